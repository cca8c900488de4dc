"""The events table: a Qt model over services.events.list_events rows, plus its filter proxy."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractItemModel,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QBrush

from desktop_app.domain.timeutil import to_local
from desktop_app.services.events import EventRow
from ui import labels
from ui.widgets.status_badge import STATUS_ROLE

COL_TITLE, COL_TYPE, COL_FORMAT, COL_STATUS, COL_STARTS, COL_VENUE, COL_CAPACITY, COL_REGS = range(
    8
)
HEADERS = (
    QT_TRANSLATE_NOOP("EventsModel", "Title"),
    QT_TRANSLATE_NOOP("EventsModel", "Type"),
    QT_TRANSLATE_NOOP("EventsModel", "Format"),
    QT_TRANSLATE_NOOP("EventsModel", "Status"),
    QT_TRANSLATE_NOOP("EventsModel", "Starts"),
    QT_TRANSLATE_NOOP("EventsModel", "Venue"),
    QT_TRANSLATE_NOOP("EventsModel", "Capacity"),
    QT_TRANSLATE_NOOP("EventsModel", "Confirmed"),
)
HEADER_TIPS = {
    COL_REGS: QT_TRANSLATE_NOOP(
        "EventsModel",
        "Registrations holding a seat (registered or attended, walk-ins included); "
        "the waitlist in brackets. Red: no seat left.",
    ),
}
ROW_ROLE = Qt.ItemDataRole.UserRole + 1  # the EventRow itself
SORT_ROLE = Qt.ItemDataRole.UserRole + 2

Index = QModelIndex | QPersistentModelIndex

_DISPLAY = Qt.ItemDataRole.DisplayRole.value
_ALIGN = Qt.ItemDataRole.TextAlignmentRole.value
_FOREGROUND = Qt.ItemDataRole.ForegroundRole.value
_TOOLTIP = Qt.ItemDataRole.ToolTipRole.value
_RIGHT = int((Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter).value)
_ROOT = QModelIndex()
_COLUMNS = 8
_OTHER_ROLES = frozenset({ROW_ROLE, SORT_ROLE, STATUS_ROLE, _ALIGN, _FOREGROUND, _TOOLTIP})


def _tr(text: str) -> str:
    return QCoreApplication.translate("EventsModel", text)


def local_text(dt: datetime | None, tz: str) -> str:
    local = to_local(dt, tz)
    return local.strftime("%Y-%m-%d %H:%M") if local else "—"


def _regs_tip(r: EventRow) -> str:
    """What the Confirmed cell counts, in numbers that match the Today page and the report."""
    lines = [
        QCoreApplication.translate("EventsModel", "%1 registered ahead, %2 walk-ins")
        .replace("%1", str(r.registrations - r.walk_ins))
        .replace("%2", str(r.walk_ins))
    ]
    if r.waitlisted:
        lines.append(
            QCoreApplication.translate("EventsModel", "%1 on the waitlist").replace(
                "%1", str(r.waitlisted)
            )
        )
    if r.seat_limit is not None:
        lines.append(
            QCoreApplication.translate("EventsModel", "%1 of %2 places taken")
            .replace("%1", str(r.seats_used))
            .replace("%2", str(r.seat_limit))
        )
    return "\n".join(lines)


class EventsModel(QAbstractTableModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[EventRow] = []
        self._cells: list[tuple[str, ...]] = []
        self._full: dict[int, QBrush] = {}
        self._search: list[str] = []  # lower-cased haystack per row, for fast filtering

    # ------------------------------------------------------------------ data in
    def set_rows(self, rows: list[EventRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        # Display text is computed once per load: the view asks for every visible cell on
        # every repaint (each a C++→Python call), so data() must only look things up.
        self._cells = [tuple(self._display(r, c) for c in range(len(HEADERS))) for r in rows]
        full = labels.status_colours("cancelled")[0]
        self._full = {i: QBrush(full) for i, r in enumerate(rows) if r.is_full}
        self._search = [
            " ".join(
                x for x in (r.title, r.venue, r.campaign_code, labels.event_type(r.type)) if x
            ).lower()
            for r in self._rows
        ]
        self.endResetModel()

    def row_at(self, row: int) -> EventRow:
        return self._rows[row]

    def haystack(self, row: int) -> str:
        return self._search[row]

    def row_of(self, event_id: object) -> int:
        return next((i for i, r in enumerate(self._rows) if r.id == event_id), -1)

    # ------------------------------------------------------------------ Qt API
    def rowCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else _COLUMNS

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _tr(HEADERS[section])
        if orientation == Qt.Orientation.Horizontal and role == _TOOLTIP and section in HEADER_TIPS:
            return _tr(HEADER_TIPS[section])
        return None

    def data(self, index: Index, role: int = _DISPLAY) -> Any:
        if role == _DISPLAY:
            return self._cells[index.row()][index.column()]
        if role not in _OTHER_ROLES:  # most roles a view asks for: answer fast
            return None
        row, col = index.row(), index.column()
        r = self._rows[row]
        if role == ROW_ROLE:
            return r
        if role == SORT_ROLE:
            return self._sort_key(r, col)
        if role == STATUS_ROLE:
            return r.status if col == COL_STATUS else None
        if role == _ALIGN:
            return _RIGHT if col in (COL_CAPACITY, COL_REGS) else None
        if role == _FOREGROUND:
            return self._full.get(row) if col == COL_REGS else None  # full: say it in red
        if role == _TOOLTIP and col == COL_TITLE:
            return r.title
        if role == _TOOLTIP and col == COL_REGS:
            return _regs_tip(r)
        return None

    def _display(self, r: EventRow, col: int) -> str:
        if col == COL_TITLE:
            return r.title
        if col == COL_TYPE:
            return labels.event_type(r.type)
        if col == COL_FORMAT:
            return labels.event_format(r.format)
        if col == COL_STATUS:
            return labels.event_status(r.status)
        if col == COL_STARTS:
            return local_text(r.starts_at, r.timezone)
        if col == COL_VENUE:
            return r.venue or ""
        if col == COL_CAPACITY:
            return str(r.capacity) if r.capacity is not None else "—"
        if col == COL_REGS:
            if not r.waitlisted:
                return str(r.registrations)
            return (
                QCoreApplication.translate("EventsModel", "%1 (+%2 waitlisted)")
                .replace("%1", str(r.registrations))
                .replace("%2", str(r.waitlisted))
            )
        return ""

    def _sort_key(self, r: EventRow, col: int) -> Any:
        if col == COL_STARTS:
            # undated drafts sort last, as in the service
            return r.starts_at.timestamp() if r.starts_at else float("inf")
        if col == COL_CAPACITY:
            return r.capacity if r.capacity is not None else -1
        if col == COL_REGS:
            return r.registrations
        return self._display(r, col).lower()


class EventsFilter(QSortFilterProxyModel):
    """Search text, type, status and a date range, all applied together as the user types."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self._text = ""
        self._type: str | None = None
        self._status: str | None = None
        self._from: datetime | None = None
        self._to: datetime | None = None
        self._accepted: bytes | None = None

    def set_filters(
        self,
        text: str | None = None,
        type: str | None = "",
        status: str | None = "",
        date_from: datetime | str | None = "",
        date_to: datetime | str | None = "",
    ) -> None:
        """Change any of the filters ('' leaves one as it is) and refilter once."""
        new_api = hasattr(self, "beginFilterChange")  # Qt ≥ 6.9 deprecates invalidateFilter
        if new_api:
            self.beginFilterChange()
        if text is not None:
            self._text = text.strip().lower()
        if type != "":
            self._type = type
        if status != "":
            self._status = status
        if date_from != "":
            self._from = date_from  # type: ignore[assignment]
        if date_to != "":
            self._to = date_to  # type: ignore[assignment]
        self._accepted = None  # recomputed in one pass on the first filterAcceptsRow
        if new_api:
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self.invalidateFilter()

    def setSourceModel(self, model: QAbstractItemModel) -> None:  # type: ignore[override]
        super().setSourceModel(model)
        model.modelAboutToBeReset.connect(self._forget)

    def _forget(self) -> None:
        self._accepted = None

    def _accepts(self, model: EventsModel, i: int) -> bool:
        r = model.row_at(i)
        if self._type and r.type != self._type:
            return False
        if self._status and r.status != self._status:
            return False
        if self._from and (r.starts_at is None or r.starts_at < self._from):
            return False
        if self._to and (r.starts_at is None or r.starts_at >= self._to):
            return False
        return not self._text or self._text in model.haystack(i)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        # Qt asks row by row (2,000 C++→Python calls a keystroke): decide all rows in one
        # Python pass and answer each call with a lookup.
        accepted = self._accepted
        if accepted is None or source_row >= len(accepted):
            model = self.sourceModel()
            assert isinstance(model, EventsModel)
            accepted = self._accepted = bytes(
                self._accepts(model, i) for i in range(model.rowCount())
            )
        return bool(accepted[source_row])
