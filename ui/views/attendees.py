"""An event's attendees: registrations table (filter by status/source), seats used / capacity /
waitlist counts, register, cancel (says who was promoted), reissue and show tickets.

The Events page opens it for one event: `open_attendees(ctx, event_id, parent)`.
"""

from __future__ import annotations

import uuid
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
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.enums import RegistrationSource, RegistrationStatus
from desktop_app.domain.errors import PaddockError
from desktop_app.domain.money import show_money
from desktop_app.domain.phone import display_phone
from desktop_app.domain.ticket import format_short_code
from desktop_app.domain.timeutil import to_local
from desktop_app.services import approval, events, fees, questions, tickets
from desktop_app.services import registration as reg
from desktop_app.services.questions import QuestionView
from ui import labels
from ui.context import AppContext
from ui.models.rows_model import ROW_ROLE, RowsModel
from ui.views.approval_bar import ApprovalBar, decision_text
from ui.views.register_dialog import AnswersDialog, RegisterDialog, TicketDialog
from ui.views.signup_import import SignupImportDialog
from ui.workers import submit

COL_NAME, COL_PHONE, COL_STATUS, COL_PARTY, COL_SOURCE, COL_CODE, COL_REGISTERED = range(7)
COL_OWES = 7  # issue 15: what each still owes of the shared costs (shown when there are fees)
HEADERS = (
    QT_TRANSLATE_NOOP("Attendees", "Name"),
    QT_TRANSLATE_NOOP("Attendees", "Phone"),
    QT_TRANSLATE_NOOP("Attendees", "Status"),
    QT_TRANSLATE_NOOP("Attendees", "Seats"),
    QT_TRANSLATE_NOOP("Attendees", "Source"),
    QT_TRANSLATE_NOOP("Attendees", "Ticket"),
    QT_TRANSLATE_NOOP("Attendees", "Registered"),
    QT_TRANSLATE_NOOP("Attendees", "Owes"),
)


def _tr(text: str) -> str:
    return QCoreApplication.translate("Attendees", text)


class RegistrationsModel(RowsModel):
    """Rows are RegistrationView (derived status); no ORM objects reach the view. One
    column per question of the event after the fixed ones (its answers)."""

    headers = HEADERS

    def __init__(
        self, tz: str = "Asia/Shanghai", parent: Any = None, is_drive: bool = False
    ) -> None:
        super().__init__(parent)
        self.tz = tz
        self.is_drive = is_drive  # a drive's seats column also shows the car's plate
        self.fees: dict[uuid.UUID, fees.FeeRow] = {}  # registration → its share (issue 15)
        self.questions: list[QuestionView] = []

    def set_questions(self, qs: list[QuestionView]) -> None:
        self.beginResetModel()
        self.questions = list(qs)
        self.headers = HEADERS + tuple(q.label for q in qs)
        self.endResetModel()

    def header_label(self, text: str) -> str:
        if text == HEADERS[COL_PARTY] and self.is_drive:
            return QCoreApplication.translate("Attendees", "People · plate")
        return _tr(text) if text in HEADERS else text

    def display(self, r: reg.RegistrationView, column: int) -> Any:
        return self._display(r, column)

    def role_data(self, r: reg.RegistrationView, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.UserRole:  # sort key
            return self._sort_key(r, column)
        return None

    def _display(self, r: reg.RegistrationView, col: int) -> str:
        if col >= len(HEADERS):
            q = self.questions[col - len(HEADERS)]
            return labels.answer_text(q.type, r.answers.get(q.key))
        if col == COL_NAME:
            return r.name
        if col == COL_PHONE:
            return display_phone(r.phone)
        if col == COL_STATUS:
            text = labels.registration_status(r.status)
            return f"{text} #{r.waitlist_position}" if r.waitlist_position else text
        if col == COL_PARTY:
            return f"{r.party_size}" + (f" · {r.plate}" if r.plate else "")
        if col == COL_SOURCE:
            return labels.person_source(r.source)
        if col == COL_CODE:
            return format_short_code(r.short_code) if r.short_code else "—"
        if col == COL_OWES:
            return _owes(self.fees.get(r.id))
        local = to_local(r.registered_at, self.tz)
        return local.strftime("%m-%d %H:%M") if local else ""

    def _sort_key(self, r: reg.RegistrationView, col: int) -> Any:
        if col == COL_PARTY:
            return r.party_size
        if col == COL_STATUS:
            return (r.status, r.waitlist_position or 0)
        if col == COL_REGISTERED:
            return r.registered_at.timestamp()
        if col == COL_OWES:
            row = self.fees.get(r.id)
            return row.outstanding - row.refund_due if row else 0
        return self._display(r, col)


def _owes(row: fees.FeeRow | None) -> str:
    """ "¥180 of ¥683.34", "paid", "refund ¥33.34" — the attendee list's money column."""
    if row is None:
        return ""
    if row.refund_due:
        return QCoreApplication.translate("Attendees", "refund %1").replace(
            "%1", show_money(row.refund_due)
        )
    if row.outstanding:
        return (
            QCoreApplication.translate("Attendees", "%1 of %2")
            .replace("%1", show_money(row.outstanding))
            .replace("%2", show_money(row.owed))
        )
    return QCoreApplication.translate("Attendees", "paid") if row.owed else ""


class AttendeesPanel(QWidget):
    """The attendee tab of one event. `changed` after any registration change."""

    changed = Signal()

    def __init__(self, ctx: AppContext, event_id: uuid.UUID, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx, self.event_id = ctx, event_id
        ev = events.get_event(ctx.db, event_id)
        self.is_drive = ev.type == "club_drive"
        self.requires_approval = ev.requires_approval
        self.model = RegistrationsModel(ev.timezone, self, is_drive=self.is_drive)
        self.model.set_questions(questions.list_questions(ctx.db, event_id))
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(Qt.ItemDataRole.UserRole)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(COL_REGISTERED, Qt.SortOrder.AscendingOrder)  # first come first
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        # several rows at once: approve or decline applications in bulk
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.counts = QLabel()
        self.message = QLabel(wordWrap=True)
        self.status = QComboBox()
        self.status.addItem(QCoreApplication.translate("Attendees", "All statuses"), None)
        for s in RegistrationStatus:
            self.status.addItem(labels.registration_status(s.value), s.value)
        self.source = QComboBox()
        self.source.addItem(QCoreApplication.translate("Attendees", "All sources"), None)
        for s in RegistrationSource:
            self.source.addItem(labels.person_source(s.value), s.value)
        self.search = QLineEdit(
            placeholderText=QCoreApplication.translate("Attendees", "Search name or phone")
        )
        self.answer = QComboBox()  # filter by answer: (key, option) of the event's questions
        self._fill_answer_filter()
        self.approval = ApprovalBar(ctx, event_id, self.selected_all, self)
        self.approval.decided.connect(self._decided)
        self.approval.failed.connect(self.message.setText)
        self.answers_btn = QPushButton(QCoreApplication.translate("Attendees", "Answers…"))
        self.answers_btn.setVisible(bool(self.model.questions))
        self.import_btn = QPushButton(QCoreApplication.translate("Attendees", "Import sign-ups…"))
        self.register_btn = QPushButton(QCoreApplication.translate("Attendees", "Register…"))
        self.cancel_btn = QPushButton(
            QCoreApplication.translate("Attendees", "Cancel registration…")
        )
        self.reissue_btn = QPushButton(QCoreApplication.translate("Attendees", "Reissue ticket"))
        self.ticket_btn = QPushButton(QCoreApplication.translate("Attendees", "Ticket…"))
        self.print_btn = QPushButton(
            QCoreApplication.translate("Attendees", "Print tickets and badges…")
        )
        self._layout()
        for combo in (self.status, self.source, self.answer):
            combo.currentIndexChanged.connect(self.refresh)
        self.answers_btn.clicked.connect(self.edit_answers)
        self.import_btn.clicked.connect(self.import_signups)
        self.search.returnPressed.connect(self.refresh)
        self.register_btn.clicked.connect(self.open_register)
        self.cancel_btn.clicked.connect(self.cancel_selected)
        self.reissue_btn.clicked.connect(self.reissue_selected)
        self.ticket_btn.clicked.connect(self.show_ticket)
        self.print_btn.clicked.connect(self.open_print)
        self.table.doubleClicked.connect(lambda _i: self.show_ticket())
        self.refresh()

    def _layout(self) -> None:
        filters = QHBoxLayout()
        for w in (self.status, self.source, self.answer, self.search):
            filters.addWidget(w)
        actions = QHBoxLayout()
        for w in (self.register_btn, self.cancel_btn, self.reissue_btn, self.ticket_btn):
            actions.addWidget(w)
        actions.addWidget(self.answers_btn)
        actions.addWidget(self.import_btn)
        actions.addWidget(self.approval)
        actions.addStretch(1)
        actions.addWidget(self.print_btn)
        lay = QVBoxLayout(self)
        lay.addWidget(self.counts)
        lay.addLayout(filters)
        lay.addWidget(self.table)
        lay.addWidget(self.message)
        lay.addLayout(actions)

    # ------------------------------------------------------------------ data

    def refresh(self) -> None:
        """Reload rows and counts (reads are fast per event; the filters run in SQL)."""
        status = self.status.currentData()
        source = self.source.currentData()
        answer = self.answer.currentData()
        rows = reg.list_registrations(
            self.ctx.db,
            self.event_id,
            [status] if status else None,
            [source] if source else None,
            self.search.text(),
            dict([answer]) if answer else None,
        )
        self.model.fees = fees.owed_map(self.ctx.db, self.event_id)
        self.model.set_rows(rows)
        self.table.resizeColumnsToContents()  # statuses and answers are read in full
        pending = (
            sum(1 for r in rows if r.status == "pending") if status in (None, "pending") else 0
        )
        self.approval.setVisible(self.requires_approval or pending > 0)
        self.table.setColumnHidden(COL_OWES, not self.model.fees)
        occ = reg.occupancy(self.ctx.db, self.event_id)
        cap = str(occ.capacity) if occ.capacity is not None else "∞"
        unit = (
            QCoreApplication.translate("Attendees", "cars")
            if occ.unit == "cars"
            else QCoreApplication.translate("Attendees", "seats")
        )
        self.counts.setText(
            QCoreApplication.translate(
                "Attendees",
                "{used} / {cap} {unit} used · {waiting} on the waitlist · {n} registrations",
            )
            .replace("{used}", str(occ.used))
            .replace("{cap}", cap)
            .replace("{unit}", unit)
            .replace("{waiting}", str(occ.waitlisted))
            .replace("{n}", str(occ.registrations))
        )
        waiting = approval.pending_counts(self.ctx.db, [self.event_id]).get(self.event_id, 0)
        if waiting:
            self.counts.setText(
                self.counts.text()
                + " · "
                + QCoreApplication.translate("Attendees", "{n} awaiting approval").replace(
                    "{n}", str(waiting)
                )
            )

    def selected(self) -> reg.RegistrationView | None:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].data(ROW_ROLE) if rows else None

    def selected_all(self) -> list[reg.RegistrationView]:
        return [i.data(ROW_ROLE) for i in self.table.selectionModel().selectedRows()]

    def select_where(self, keep: Any) -> int:
        """Select every row for which keep(row) is true (tests, "select all pending")."""
        from PySide6.QtCore import QItemSelectionModel

        sel = self.table.selectionModel()
        sel.clearSelection()
        n = 0
        for row in range(self.proxy.rowCount()):
            index = self.proxy.index(row, 0)
            if keep(index.data(ROW_ROLE)):
                sel.select(
                    index,
                    QItemSelectionModel.SelectionFlag.Select
                    | QItemSelectionModel.SelectionFlag.Rows,
                )
                n += 1
        return n

    def _decided(self, rep: Any) -> None:
        self.message.setText(decision_text(rep, self.ctx.language))
        self._after_change()

    def import_signups(self) -> SignupImportDialog:
        dlg = SignupImportDialog(self.ctx, self.event_id, self)
        dlg.imported.connect(lambda _r: self._after_change())
        dlg.open()
        return dlg

    def edit_answers(self) -> AnswersDialog | None:
        r = self.selected()
        if r is None:
            return None
        dlg = AnswersDialog(self.ctx, r, self.model.questions, self)
        dlg.saved.connect(lambda _a: self._after_change())
        dlg.open()
        return dlg

    # ------------------------------------------------------------------ actions

    def open_register(self) -> RegisterDialog:
        dlg = RegisterDialog(self.ctx, self.event_id, self.is_drive, self)
        dlg.registered.connect(self._registered)
        dlg.open()
        return dlg

    def _registered(self, v: reg.RegistrationView) -> None:
        if v.status == "waitlisted":
            self.message.setText(
                QCoreApplication.translate("Attendees", "{name} is on the waitlist (position {n})")
                .replace("{name}", v.name)
                .replace("{n}", str(v.waitlist_position))
            )
        else:
            self.message.setText(
                QCoreApplication.translate("Attendees", "{name} registered").replace(
                    "{name}", v.name
                )
            )
        self._after_change()

    def cancel_selected(self, reason: str | None = None) -> None:
        r = self.selected()
        if r is None:
            return
        if reason is None:
            reason, ok = QInputDialog.getText(
                self,
                QCoreApplication.translate("Attendees", "Cancel registration"),
                QCoreApplication.translate("Attendees", "Reason"),
            )
            if not ok:
                return
        self._write(lambda: reg.cancel(self.ctx.db, r.id, reason), self._cancelled)

    def _cancelled(self, res: reg.CancelResult) -> None:
        text = QCoreApplication.translate(
            "Attendees", "{name}'s registration is cancelled."
        ).replace("{name}", res.registration.name)
        if res.promoted:
            names = ", ".join(p.name for p in res.promoted)
            text += " " + QCoreApplication.translate(
                "Attendees", "Promoted from the waitlist: {names}"
            ).replace("{names}", names)
        self.message.setText(text)
        self._after_change()
        row = self.model.fees.get(res.registration.id)
        if row is not None and row.refund_due:  # issue 15: the money goes back too
            self.message.setText(
                text
                + " "
                + QCoreApplication.translate(
                    "Attendees", "Paid %1: refund it in the Fees tab."
                ).replace("%1", show_money(row.refund_due))
            )

    def reissue_selected(self) -> None:
        r = self.selected()
        if r is None:
            return
        self._write(lambda: tickets.reissue(self.ctx.db, r.id), self._reissued)

    def _reissued(self, t: tickets.TicketView) -> None:
        self.message.setText(
            QCoreApplication.translate(
                "Attendees", "New ticket {code}; the old one no longer works"
            ).replace("{code}", format_short_code(t.short_code))
        )
        self._after_change()

    def show_ticket(self) -> TicketDialog | None:
        r = self.selected()
        if r is None:
            return None
        try:
            dlg = TicketDialog(self.ctx, r.id, self)
        except PaddockError as exc:
            self.message.setText(exc.localized(self.ctx.language))
            return None
        dlg.open()
        return dlg

    def open_print(self) -> QDialog:
        """The whole event's tickets or badges as one PDF to print."""
        from ui.views.print_sheets import PrintSheetsDialog

        dlg = PrintSheetsDialog(self.ctx, self.event_id, self)
        dlg.open()
        return dlg

    def _write(self, fn: Any, on_done: Any) -> None:
        submit(self.ctx.write_pool, fn, on_done, self._failed)

    def _failed(self, exc: BaseException) -> None:
        text = exc.localized(self.ctx.language) if isinstance(exc, PaddockError) else str(exc)
        self.message.setText(text)
        if not isinstance(exc, PaddockError):
            QMessageBox.warning(self, QCoreApplication.translate("Attendees", "Problem"), text)

    def _fill_answer_filter(self) -> None:
        self.answer.blockSignals(True)
        self.answer.clear()
        self.answer.addItem(QCoreApplication.translate("Attendees", "Any answers"), None)
        for q in self.model.questions:
            options = ("yes", "no") if q.type == "yes_no" else q.choices
            for o in options:
                shown = labels.answer_text(q.type, o == "yes") if q.type == "yes_no" else o
                self.answer.addItem(f"{q.label}: {shown}", (q.key, o))
        self.answer.setVisible(self.answer.count() > 1)
        self.answer.blockSignals(False)

    def _after_change(self) -> None:
        qs = questions.list_questions(self.ctx.db, self.event_id)
        if [q.key for q in qs] != [q.key for q in self.model.questions]:
            self.model.set_questions(qs)  # an import made new questions
            self._fill_answer_filter()
            self.answers_btn.setVisible(bool(qs))
        self.refresh()
        self.changed.emit()


def open_attendees(ctx: AppContext, event_id: uuid.UUID, parent: QWidget | None = None) -> QDialog:
    """The attendee tab in its own window (the Events page's "Attendees…" action)."""
    dlg = QDialog(parent)
    ev = events.get_event(ctx.db, event_id)
    dlg.setWindowTitle(
        QCoreApplication.translate("Attendees", "Attendees — {title}").replace("{title}", ev.title)
    )
    lay = QVBoxLayout(dlg)
    panel = AttendeesPanel(ctx, event_id, dlg)
    # issue 15: the event's money in a second tab; either side's changes refresh the other
    from ui.views.fees import FeesPanel

    fees_panel = FeesPanel(ctx, event_id, dlg)
    tabs = QTabWidget(dlg)
    tabs.addTab(panel, QCoreApplication.translate("Attendees", "Attendees"))
    tabs.addTab(fees_panel, QCoreApplication.translate("Attendees", "Fees (AA)"))
    panel.changed.connect(fees_panel.refresh)
    fees_panel.changed.connect(panel.refresh)
    lay.addWidget(tabs)
    dlg.resize(1000, 640)
    dlg.panel = panel  # type: ignore[attr-defined]
    dlg.fees = fees_panel  # type: ignore[attr-defined]
    dlg.tabs = tabs  # type: ignore[attr-defined]
    dlg.show()
    return dlg
