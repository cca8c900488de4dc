"""The building blocks of the report screens besides charts: KPI tiles, report tables, and
`submit_for` (a worker whose answer is dropped if its widget is gone)."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

import shiboken6
from PySide6.QtCore import Qt, QThreadPool
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGridLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.workers import submit


class KpiTile(QFrame):
    """One big number with its caption (and an optional hint under it, e.g. "of 40")."""

    def __init__(self, caption: str, tooltip: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("kpiTile")
        self.setStyleSheet(
            "#kpiTile { background: #f4f7fb; border: 1px solid #dde4ec; border-radius: 6px; }"
            "#kpiTile QLabel { background: transparent; }"
            "#kpiTile QLabel#kpiValue { font-size: 17pt; font-weight: 600; color: #1f2d3d; }"
            "#kpiTile QLabel#kpiCaption { color: #4a5868; }"
            "#kpiTile QLabel#kpiHint { color: #7a8796; font-size: 8pt; }"
        )
        self.value = QLabel("–")
        self.value.setObjectName("kpiValue")
        self.caption = QLabel(caption)
        self.caption.setObjectName("kpiCaption")
        self.caption.setWordWrap(True)
        self.hint = QLabel()
        self.hint.setObjectName("kpiHint")
        self.hint.setWordWrap(True)
        self.setToolTip(tooltip)
        col = QVBoxLayout(self)
        col.setContentsMargins(10, 6, 10, 6)
        col.setSpacing(0)
        col.addWidget(self.value)
        col.addWidget(self.caption)
        col.addWidget(self.hint)
        col.addStretch(1)

    def set(self, value: str, hint: str = "") -> None:
        self.value.setText(value)
        self.hint.setText(hint)
        self.hint.setVisible(bool(hint))
        self.setAccessibleName(f"{self.caption.text()}: {value}")


class TileGrid(QWidget):
    """KPI tiles in rows of `per_row`, keyed by name (`tiles["attended"].set("41")`)."""

    def __init__(
        self, tiles: Sequence[tuple[str, str, str]], per_row: int, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(8)
        self.tiles: dict[str, KpiTile] = {}
        for i, (key, caption, tip) in enumerate(tiles):
            tile = KpiTile(caption, tip)
            self.tiles[key] = tile
            grid.addWidget(tile, i // per_row, i % per_row)
        for c in range(per_row):
            grid.setColumnStretch(c, 1)

    def values(self) -> dict[str, str]:
        """What each tile shows (tests read this)."""
        return {k: t.value.text() for k, t in self.tiles.items()}


class ReportTable(QTableWidget):
    """A read-only table of a report section: the first column names the row and stretches,
    number columns fit their contents and align right; numbers sort as numbers (rows keep
    the service's order until a header is clicked). As tall as its rows (up to `max_rows`,
    then it scrolls), so the page scrolls rather than the table; an empty table says why."""

    def __init__(
        self,
        headers: Sequence[str],
        max_rows: int = 12,
        parent: QWidget | None = None,
        *,
        empty_text: str = "",
        stretch: Sequence[int] = (0,),
    ) -> None:
        super().__init__(0, len(headers), parent)
        self.max_rows = max_rows
        self.empty_text = empty_text or self.tr("Nothing to show yet.")
        self.is_empty = True
        self.setHorizontalHeaderLabels(list(headers))
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.verticalHeader().hide()
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        header = self.horizontalHeader()
        header.setMinimumSectionSize(70)
        for c in range(len(headers)):
            mode = (
                QHeaderView.ResizeMode.Stretch
                if c in stretch
                else QHeaderView.ResizeMode.ResizeToContents
            )
            header.setSectionResizeMode(c, mode)

    def set_rows(self, rows: Sequence[Sequence[object]]) -> None:
        self.setSortingEnabled(False)
        self.clearSpans()
        self.is_empty = not rows
        self.setRowCount(len(rows) or 1)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                self.setItem(r, c, _cell(value))
        if not rows:
            item = QTableWidgetItem(self.empty_text)
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            item.setForeground(QColor("#5f6b7a"))
            self.setItem(0, 0, item)
            for c in range(1, self.columnCount()):
                self.setItem(0, c, QTableWidgetItem(""))
            self.setSpan(0, 0, 1, self.columnCount())
        else:
            self.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
            self.setSortingEnabled(True)
        shown = max(1, min(self.max_rows, len(rows)))
        row_h = self.verticalHeader().defaultSectionSize()
        self.setFixedHeight(self.horizontalHeader().sizeHint().height() + shown * row_h + 4)

    def texts(self) -> list[list[str]]:
        """The cells as shown (an empty table gives [])."""
        if self.is_empty:
            return []
        return [
            [(self.item(r, c).text() if self.item(r, c) else "") for c in range(self.columnCount())]
            for r in range(self.rowCount())
        ]


_NUMERIC_TEXT = re.compile(r"^[-+¥$\d.,\s%–/]+$")


def _cell(value: object) -> QTableWidgetItem:
    item = QTableWidgetItem()
    right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
    if isinstance(value, int | float) and not isinstance(value, bool):
        item.setData(Qt.ItemDataRole.DisplayRole, value)
        item.setTextAlignment(right)
        return item
    item.setText("" if value is None else str(value))
    if _NUMERIC_TEXT.match(item.text()):
        item.setTextAlignment(right)  # "33 %", "¥750", "–" line up with the numbers
    else:
        item.setToolTip(item.text())
    return item


def submit_for(
    widget: QWidget,
    pool: QThreadPool,
    fn: Callable[[], Any],
    on_done: Callable[[Any], None] | None = None,
    on_error: Callable[[BaseException], None] | None = None,
) -> None:
    """`ui.workers.submit` for a report widget: the callbacks are dropped when the widget was
    deleted meanwhile (a page closed while its report was still being counted)."""

    def guard(callback: Callable[[Any], None] | None) -> Callable[[Any], None] | None:
        if callback is None:
            return None
        return lambda value: callback(value) if shiboken6.isValid(widget) else None

    submit(pool, fn, guard(on_done), guard(on_error))
