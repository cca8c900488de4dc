"""One table model for short lists of row dataclasses (call lists, follow-ups, attendees).

A subclass names its `headers` (untranslated), translates them in `header_label`, and
says what a cell shows in `display`; `role_data` answers any other role (sort keys…).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)

ROW_ROLE = Qt.ItemDataRole.UserRole + 1  # the row's dataclass itself
Index = QModelIndex | QPersistentModelIndex


class RowsModel(QAbstractTableModel):
    headers: tuple[str, ...] = ()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: list[Any] = []

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.header_label(self.headers[section])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        r = self.rows[index.row()]
        if role == ROW_ROLE:
            return r
        if role == Qt.ItemDataRole.DisplayRole:
            return self.display(r, index.column())
        return self.role_data(r, index.column(), role)

    def header_label(self, text: str) -> str:
        return text

    def display(self, row: Any, column: int) -> Any:
        raise NotImplementedError

    def role_data(self, row: Any, column: int, role: int) -> Any:
        return None


class ColumnsModel(RowsModel):
    """A RowsModel whose columns are (header, function of the row) pairs, the headers
    marked with QT_TRANSLATE_NOOP(`context`, …); `right` columns (amounts, counts) align
    right; `stretch` is the column that takes the spare width (a name, not an amount)."""

    context = ""
    columns: tuple[tuple[str, Any], ...] = ()
    right: frozenset[int] = frozenset()
    stretch = 0

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.headers = tuple(h for h, _f in self.columns)

    def header_label(self, text: str) -> str:
        return QCoreApplication.translate(self.context, text)

    def display(self, row: Any, column: int) -> Any:
        return self.columns[column][1](row)

    def role_data(self, row: Any, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.TextAlignmentRole and column in self.right:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None
