"""The audit log page (admins): who changed what and when, with filters and export."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QDate, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.errors import PaddockError
from desktop_app.domain.roles import Permission
from desktop_app.domain.timeutil import DEFAULT_TZ, to_local
from desktop_app.services import audit_log, auth
from desktop_app.services.audit_log import AuditRow
from ui.context import AppContext
from ui.widgets.file_dialogs import get_save_file_name
from ui.workers import submit

COL_AT, COL_STAFF, COL_ACTION, COL_ENTITY, COL_DETAIL, COL_DEVICE = range(6)
Index = QModelIndex | QPersistentModelIndex


class AuditModel(QAbstractTableModel):
    def __init__(self, tz: str = DEFAULT_TZ) -> None:
        super().__init__()
        self.tz = tz
        self.rows: list[AuditRow] = []
        self.headers = [
            self.tr("When"),
            self.tr("Staff"),
            self.tr("Action"),
            self.tr("Record"),
            self.tr("Details"),
            self.tr("Device"),
        ]

    def set_rows(self, rows: list[AuditRow]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.headers[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole:
            return None
        r = self.rows[index.row()]
        col = index.column()
        if col == COL_AT:
            local = to_local(r.at, self.tz)  # the dealership's clock, as everywhere else
            return f"{local:%Y-%m-%d %H:%M:%S}" if local else ""
        if col == COL_STAFF:
            return r.staff_name or self.tr("(system)")
        if col == COL_ACTION:
            return r.action
        if col == COL_ENTITY:
            return f"{r.entity} {r.entity_id or ''}".strip()
        if col == COL_DETAIL:
            return r.detail_text()
        return r.device or ""


class AuditPage(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self._generation = 0
        self.setObjectName("auditPage")
        title = QLabel(self.tr("Audit log"))
        font = title.font()
        font.setPointSize(font.pointSize() + 4)
        font.setBold(True)
        title.setFont(font)
        self.since = QDateEdit()
        self.since.setCalendarPopup(True)
        self.since.setDisplayFormat("yyyy-MM-dd")
        start = date.today() - timedelta(days=30)
        self.since.setDate(QDate(start.year, start.month, start.day))
        self.action = QComboBox()
        self.action.setObjectName("auditAction")
        self.action.setMinimumWidth(200)
        self.staff = QLineEdit()
        self.staff.setPlaceholderText(self.tr("Staff name"))
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Search actions and records"))
        self.refresh_button = QPushButton(self.tr("Refresh"))
        self.export_button = QPushButton(self.tr("Export…"))
        self.export_button.setObjectName("auditExport")
        self.status = QLabel()
        self.status.setObjectName("auditStatus")
        self.export_note = QLabel()
        self.export_note.setObjectName("auditExportNote")
        self.model = AuditModel(ctx.timezone())
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        filters = QHBoxLayout()
        filters.addWidget(QLabel(self.tr("From")))
        filters.addWidget(self.since)
        filters.addWidget(QLabel(self.tr("Action")))
        filters.addWidget(self.action)
        filters.addWidget(self.staff)
        filters.addWidget(self.search, 1)
        filters.addWidget(self.refresh_button)
        filters.addWidget(self.export_button)
        col = QVBoxLayout(self)
        col.addWidget(title)
        col.addLayout(filters)
        col.addWidget(self.table, 1)
        status_row = QHBoxLayout()
        status_row.addWidget(self.status)
        status_row.addStretch(1)
        status_row.addWidget(self.export_note)
        col.addLayout(status_row)
        self.refresh_button.clicked.connect(self.reload)
        self.export_button.clicked.connect(self.export)
        self.action.currentIndexChanged.connect(lambda _i: self.reload())
        self.staff.returnPressed.connect(self.reload)
        self.search.returnPressed.connect(self.reload)
        self.since.dateChanged.connect(lambda _d: self.reload())
        self.allowed = auth.can(ctx.db, Permission.AUDIT)
        for w in (self.since, self.action, self.staff, self.search, self.export_button):
            w.setEnabled(self.allowed)
        if not self.allowed:
            self.status.setText(self.tr("Only admins can see the audit log."))
            return
        self._fill_actions()
        self.reload()

    def _fill_actions(self) -> None:
        self.action.blockSignals(True)
        self.action.clear()
        self.action.addItem(self.tr("All actions"), "")
        groups = sorted({a.split(".")[0] for a in audit_log.known_actions(self.ctx.db)})
        actions = audit_log.known_actions(self.ctx.db)
        for g in groups:
            self.action.addItem(f"{g}.*", g)
            for a in actions:
                if a.startswith(g + ".") and a != g:
                    self.action.addItem(f"    {a}", a)
        self.action.blockSignals(False)

    def filters(self) -> dict[str, Any]:
        d = self.since.date()
        return {
            "since": date(d.year(), d.month(), d.day()),
            "action": self.action.currentData() or None,
            "staff": self.staff.text().strip() or None,
        }

    def reload(self) -> None:
        if not self.allowed:
            return
        f = self.filters()
        search = self.search.text().strip() or None
        self._generation += 1
        generation = self._generation
        submit(
            self.ctx.pool,
            lambda: audit_log.list_audit(self.ctx.db, search=search, limit=2000, **f),
            lambda rows: self._loaded(rows, generation),
            self._failed,
        )

    def _loaded(self, rows: list[AuditRow], generation: int) -> None:
        if generation != self._generation:
            return  # an older query finished after a newer one: keep the newer rows
        self.model.set_rows(rows)
        self.status.setText(self.tr("%n entries", "", len(rows)))

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, PaddockError):
            self.status.setText(exc.localized(self.ctx.language))
            return
        raise exc

    def choose_file(self) -> str:
        name, _ = get_save_file_name(
            self,
            self.tr("Export the audit log"),
            str(Path.home() / f"paddock-audit-{date.today():%Y%m%d}.xlsx"),
            self.tr("Excel workbook (*.xlsx);;CSV (*.csv)"),
        )
        return name

    def export(self) -> None:
        out = self.choose_file()
        if not out:
            return
        f = self.filters()
        submit(
            self.ctx.pool,
            lambda: audit_log.export_audit(self.ctx.db, out, **f),
            self._exported,
            self._failed,
        )

    def _exported(self, result: tuple[Path, int]) -> None:
        path, count = result
        self.reload()  # the export itself is now in the log
        note = self.tr("%n entries written to %1", "", count).replace("%1", str(path))
        self.export_note.setText(note)
