"""Follow-up lists: no-shows, walk-ins who asked for a test drive, prospects who attended,
owners not seen for N months — multi-select, "Assign to butler…", export to .xlsx/.csv."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.errors import PaddockError
from desktop_app.domain.phone import display_phone
from desktop_app.domain.roles import Permission
from desktop_app.domain.timeutil import to_local
from desktop_app.services import auth, events, exports, followup, staff
from desktop_app.services.events import EventRow
from desktop_app.services.followup import AssignResult, FollowUpList, FollowUpRow
from desktop_app.services.staff import StaffView
from ui import labels
from ui.context import AppContext
from ui.models.rows_model import ROW_ROLE, RowsModel
from ui.widgets.file_dialogs import get_save_file_name
from ui.widgets.report_parts import submit_for

LIST_NAMES: dict[str, str] = {
    "no_shows": QT_TRANSLATE_NOOP("FollowupView", "No-shows"),
    "test_drive": QT_TRANSLATE_NOOP("FollowupView", "Walk-ins who asked for a test drive"),
    "prospects": QT_TRANSLATE_NOOP("FollowupView", "Prospects who attended"),
    "dormant": QT_TRANSLATE_NOOP("FollowupView", "Owners not seen for N months"),
    "answered": QT_TRANSLATE_NOOP("FollowupView", "People who answered a question so"),
}
HEADERS = (
    QT_TRANSLATE_NOOP("FollowupView", "Name"),
    QT_TRANSLATE_NOOP("FollowupView", "Phone"),
    QT_TRANSLATE_NOOP("FollowupView", "Stage"),
    QT_TRANSLATE_NOOP("FollowupView", "Tier"),
    QT_TRANSLATE_NOOP("FollowupView", "Butler"),
    QT_TRANSLATE_NOOP("FollowupView", "Event"),
    QT_TRANSLATE_NOOP("FollowupView", "When"),
    QT_TRANSLATE_NOOP("FollowupView", "Interested in"),
)
COL_NAME, COL_BUTLER, COL_WHEN = 0, 4, 6


def _tr(text: str) -> str:
    return QCoreApplication.translate("FollowupView", text)


def _day(dt: Any) -> str:
    local = to_local(dt, None)
    return local.strftime("%Y-%m-%d") if local else ""


class FollowupModel(RowsModel):
    """The rows of one list (at most followup.MAX_ROWS; plain cells, cheap to sort)."""

    headers = HEADERS

    def header_label(self, text: str) -> str:
        return _tr(text)

    def display(self, r: FollowUpRow, column: int) -> Any:
        return (
            r.name,
            display_phone(r.phone),
            labels.stage(r.stage),
            labels.tier(r.tier) if r.tier else "",
            r.butler or QCoreApplication.translate("FollowupView", "No butler"),
            r.event_title or "",
            _day(r.last_attended_at if r.event_id is None else r.event_starts_at),
            r.interest_model or "",
        )[column]


class AssignDialog(QDialog):
    """Pick the butler, and optionally the event whose call list the people go on."""

    def __init__(
        self,
        butlers: list[StaffView],
        upcoming: list[EventRow],
        count: int,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Assign to butler"))
        self.butler = QComboBox()
        for b in butlers:
            self.butler.addItem(b.name, b.id)
        self.event_box = QComboBox()
        self.event_box.addItem(self.tr("No event: make them this butler's people"), None)
        for e in upcoming:
            local = to_local(e.starts_at, e.timezone)
            day = local.strftime("%m-%d") if local else ""
            self.event_box.addItem(
                self.tr("Call list of %1").replace("%1", f"{day} {e.title}"), e.id
            )
        self.note = QLineEdit()
        self.note.setPlaceholderText(self.tr("Note for the butler (optional)"))
        intro = QLabel(
            self.tr(
                "%1. With an event, each gets a line on the butler's call list for "
                "it; without one, the butler becomes their butler."
            ).replace("%1", self.tr("Selected: %n", "", count))
        )
        intro.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("Butler"), self.butler)
        form.addRow(self.tr("Event"), self.event_box)
        form.addRow(self.tr("Note"), self.note)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(bool(butlers))
        col = QVBoxLayout(self)
        col.addWidget(intro)
        if not butlers:
            col.addWidget(QLabel(self.tr("No active butlers yet: add staff in Settings first.")))
        col.addLayout(form)
        col.addWidget(buttons)

    def choice(self) -> tuple[uuid.UUID, uuid.UUID | None, str]:
        return self.butler.currentData(), self.event_box.currentData(), self.note.text().strip()


class FollowupView(QWidget):
    loaded = Signal()  # a list is on screen
    assigned = Signal(object)  # AssignResult

    def __init__(
        self, ctx: AppContext, parent: QWidget | None = None, *, load_now: bool = True
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.current: FollowUpList | None = None
        self.loaded_once = False
        self._generation = 0
        self._event_override: Any = None  # an event asked for before the picker has it
        self.event_rows: list[EventRow] = []
        self.model = FollowupModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self._build()
        self.reload_events()
        if load_now:
            self.load()

    # ------------------------------------------------------------------ building
    def _build(self) -> None:
        self.kind = QComboBox()
        for key in followup.LISTS:
            self.kind.addItem(_tr(LIST_NAMES[key]), key)
        self.event_box = QComboBox()
        self.event_box.setMinimumWidth(260)
        self.event_box.addItem(self.tr("Events of the last 30 days"), None)
        self.months = QSpinBox(minimum=1, maximum=60, value=followup.DEFAULT_MONTHS)
        self.months.setSuffix(self.tr(" months"))
        self.months_label = QLabel(self.tr("Not seen for"))
        self.answer = QLineEdit()  # issue 14: the "answered" list's question=answer
        self.answer.setPlaceholderText(self.tr("question key=answer, e.g. test_drive=yes"))
        self.answer.returnPressed.connect(self.load)
        self.show_button = QPushButton(self.tr("Show"))
        self.show_button.clicked.connect(self.load)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.event_box.currentIndexChanged.connect(self._event_picked)
        self.months.editingFinished.connect(self.load)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("List")))
        bar.addWidget(self.kind)
        bar.addWidget(self.event_box, 1)
        bar.addWidget(self.months_label)
        bar.addWidget(self.months)
        bar.addWidget(self.answer)
        bar.addWidget(self.show_button)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_actions())
        self.count_label = QLabel()
        self.count_label.setObjectName("hint")
        self.select_all = QPushButton(self.tr("Select all"))
        self.select_all.clicked.connect(self.table.selectAll)
        self.assign_button = QPushButton(self.tr("Assign to butler…"))
        self.assign_button.clicked.connect(self.assign_selected)
        self.export_button = QPushButton(self.tr("Export…"))
        self.export_button.clicked.connect(self.export)
        actions = QHBoxLayout()
        actions.addWidget(self.count_label, 1)
        actions.addWidget(self.select_all)
        actions.addWidget(self.assign_button)
        actions.addWidget(self.export_button)
        self.message = QLabel()
        self.message.setObjectName("pageMessage")
        self.message.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        layout.addLayout(actions)
        layout.addWidget(self.message)
        self._kind_changed(load=False)

    def _event_picked(self, _index: int) -> None:
        self._event_override = None
        self.load()

    def _kind_changed(self, _index: int = 0, load: bool = True) -> None:
        dormant = self.kind.currentData() == "dormant"
        self.event_box.setVisible(not dormant)
        self.months.setVisible(dormant)
        self.months_label.setVisible(dormant)
        self.answer.setVisible(self.kind.currentData() == "answered")
        if load:
            self.load()

    def reload_events(self) -> None:
        db = self.ctx.db
        submit_for(
            self, self.ctx.pool, lambda: events.list_events(db), self._fill_events, self.show_error
        )

    def _fill_events(self, rows: list[EventRow]) -> None:
        self.event_rows = rows
        past = [r for r in rows if r.status not in ("draft", "cancelled") and r.starts_at]
        past.sort(key=lambda r: r.starts_at, reverse=True)  # type: ignore[arg-type, return-value]
        self.event_box.blockSignals(True)
        for r in past[:200]:
            local = to_local(r.starts_at, r.timezone)
            self.event_box.addItem(f"{local:%Y-%m-%d}  {r.title}" if local else r.title, r.id)
        self.event_box.blockSignals(False)

    # ------------------------------------------------------------------ loading
    def show_list(self, kind: str, *, event_id: Any = None, months: int | None = None) -> None:
        """Show one list (tests and other pages)."""
        self.kind.blockSignals(True)
        self.kind.setCurrentIndex(max(0, self.kind.findData(kind)))
        self.kind.blockSignals(False)
        self._kind_changed(load=False)
        if months is not None:
            self.months.setValue(months)
        self.event_box.blockSignals(True)
        self.event_box.setCurrentIndex(0)
        self._event_override = event_id
        for i in range(self.event_box.count()):
            if event_id is not None and self.event_box.itemData(i) == event_id:
                self.event_box.setCurrentIndex(i)
                self._event_override = None
        self.event_box.blockSignals(False)
        self.load()

    def load(self) -> None:
        kind = str(self.kind.currentData())
        event_id = self.event_box.currentData() or self._event_override
        months = self.months.value()
        answer = None
        if kind == "answered":
            text = self.answer.text().strip()
            if "=" not in text:
                self.model.set_rows([])
                self._say(self.tr("Type the question's key and the answer: test_drive=yes"), False)
                return
            key, _, value = text.partition("=")
            answer = (key, value)
        self._generation += 1
        generation, db = self._generation, self.ctx.db

        def done(lst: FollowUpList) -> None:
            if generation == self._generation:
                self.show_rows(lst)

        submit_for(
            self,
            self.ctx.pool,
            lambda: followup.follow_up(db, kind, event_id=event_id, months=months, answer=answer),
            done,
            self.show_error,
        )

    def show_rows(self, lst: FollowUpList) -> None:
        self.current = lst
        self.loaded_once = True
        self.model.set_rows(list(lst.rows))
        for col in range(self.model.columnCount()):
            self.table.resizeColumnToContents(col)
        text = self.tr("People on this list: %n", "", len(lst.rows))
        if lst.truncated:
            text += " " + self.tr("(the first %1 — narrow it down by event)").replace(
                "%1", str(len(lst.rows))
            )
        if not lst.rows:
            text = self._empty_text(lst.kind)
        if lst.left_out_no_consent:
            text += " " + self.tr("%1 more left out: no marketing consent.").replace(
                "%1", str(lst.left_out_no_consent)
            )
        self.count_label.setText(text)
        self._update_actions()
        self.loaded.emit()

    def _empty_text(self, kind: str) -> str:
        return {
            "no_shows": self.tr("No no-shows: everybody registered came (or no event is over)."),
            "test_drive": self.tr("No walk-in asked for a test drive."),
            "prospects": self.tr("No prospect attended (or all of them became owners)."),
            "dormant": self.tr("Every owner came to an event in this period."),
        }.get(kind, "")

    def _update_actions(self) -> None:
        chosen = len(self.selected_rows())
        has_rows = self.model.rowCount() > 0
        self.assign_button.setEnabled(chosen > 0)
        self.assign_button.setText(
            self.tr("Assign %n to butler…", "", chosen) if chosen else self.tr("Assign to butler…")
        )
        self.select_all.setEnabled(has_rows)
        may_export = auth.can(self.ctx.db, Permission.EXPORT_PII)
        self.export_button.setEnabled(has_rows and may_export)
        self.export_button.setToolTip(
            self.tr("The whole list to .xlsx or .csv")
            if may_export
            else self.tr("Names and phone numbers: only an admin may export this list")
        )

    def selected_rows(self) -> list[FollowUpRow]:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        return [self.proxy.index(i.row(), 0).data(ROW_ROLE) for i in rows]

    def select_names(self, names: list[str]) -> None:
        """Select the rows of these people (tests)."""
        sel = self.table.selectionModel()
        sel.clearSelection()
        for r in range(self.proxy.rowCount()):
            if self.proxy.index(r, COL_NAME).data() in names:
                sel.select(
                    self.proxy.index(r, 0),
                    sel.SelectionFlag.Select | sel.SelectionFlag.Rows,
                )

    # ------------------------------------------------------------------ actions
    def ask_assignment(self, count: int) -> tuple[uuid.UUID, uuid.UUID | None, str] | None:
        """The butler/event/note chosen in the dialog (tests replace this)."""
        upcoming = [r for r in self.event_rows if r.status in ("draft", "published", "closed")]
        dialog = AssignDialog(staff.list_staff(self.ctx.db), upcoming, count, self)
        return dialog.choice() if dialog.exec() == QDialog.DialogCode.Accepted else None

    def assign_selected(self) -> None:
        rows = self.selected_rows()
        if not rows:
            return
        choice = self.ask_assignment(len(rows))
        if choice is None:
            return
        butler_id, event_id, note = choice
        ids = [r.person_id for r in rows]
        db = self.ctx.db
        self.assign_button.setEnabled(False)
        submit_for(
            self,
            self.ctx.write_pool,
            lambda: followup.assign(db, ids, butler_id, event_id=event_id, note=note),
            self._assigned,
            self.show_error,
        )

    def _assigned(self, result: AssignResult) -> None:
        if result.event_id is not None:
            text = self.tr("Call list: %1 added, %2 moved to this butler, %3 unchanged.")
        else:
            text = self.tr("Butler set: %2 people changed, %3 already had this butler.")
        self._say(
            text.replace("%1", str(result.created))
            .replace("%2", str(result.updated))
            .replace("%3", str(result.unchanged)),
            False,
        )
        self.assigned.emit(result)
        self.load()  # butler names changed

    def ask_export_path(self, suggested: str) -> str:
        """The file to write (tests replace this)."""
        path, chosen = get_save_file_name(
            self,
            self.tr("Export list"),
            str(Path.home() / suggested),
            self.tr("Excel workbook (*.xlsx);;CSV, UTF-8 (*.csv)"),
        )
        if path and Path(path).suffix.lower() not in (".xlsx", ".csv"):
            path += ".csv" if "csv" in chosen.lower() else ".xlsx"
        return path

    def export(self) -> None:
        lst = self.current
        if lst is None or not lst.rows:
            return
        path = self.ask_export_path(f"follow-up-{lst.kind}.xlsx")
        if not path:
            return
        lang, title = self.ctx.language, _tr(LIST_NAMES[lst.kind])
        self.export_button.setEnabled(False)
        submit_for(
            self,
            self.ctx.pool,
            lambda: exports.follow_up_file(self.ctx.db, lst, Path(path), lang, title),
            lambda _p: self._exported(path),
            self.show_error,
        )

    def _exported(self, path: str) -> None:
        self.export_button.setEnabled(True)
        self._say(self.tr("Saved %1").replace("%1", path), False)

    # ------------------------------------------------------------------ messages
    def _say(self, text: str, error: bool) -> None:
        self.message.setProperty("error", error)
        self.message.style().polish(self.message)
        self.message.setText(text)

    def show_error(self, exc: BaseException) -> None:
        self._update_actions()
        text = exc.localized(self.ctx.language) if isinstance(exc, PaddockError) else str(exc)
        self._say(text, True)
        if not isinstance(exc, PaddockError | OSError):
            raise exc
