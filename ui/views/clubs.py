"""The Clubs view (车友会): clubs, their members with roles, and the club's activity."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.phone import display_phone
from desktop_app.domain.timeutil import to_local
from desktop_app.services import clubs as clubs_service
from ui import labels
from ui.context import AppContext
from ui.views.person_dialogs import FormDialog, PersonPicker, error_text, run_for

ID_ROLE = Qt.ItemDataRole.UserRole


class ClubsView(QWidget):
    person_opened = Signal(object)  # a member was double-clicked: show them on People

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.club_id: uuid.UUID | None = None
        self.clubs = _table(
            [self.tr("Club"), self.tr("Model"), self.tr("City"), self.tr("Members")]
        )
        self.clubs.itemSelectionChanged.connect(self._club_selected)
        self.new_button = QPushButton(self.tr("New club…"))
        self.edit_button = QPushButton(self.tr("Edit club…"))
        self.new_button.clicked.connect(lambda: self._edit_club(None))
        self.edit_button.clicked.connect(lambda: self._edit_club(self.club_id))
        left = QWidget()
        lbox = QVBoxLayout(left)
        lbox.setContentsMargins(0, 0, 0, 0)
        lbox.addWidget(self.clubs, 1)
        row = QHBoxLayout()
        row.addWidget(self.new_button)
        row.addWidget(self.edit_button)
        row.addStretch(1)
        lbox.addLayout(row)
        self.header = QLabel()
        self.header.setObjectName("clubHeader")
        self.header.setWordWrap(True)
        self.header.setTextFormat(Qt.TextFormat.RichText)
        self.members = _table(
            [
                self.tr("Name"),
                self.tr("Phone"),
                self.tr("Role"),
                self.tr("Joined"),
                self.tr("Tier"),
                self.tr("Club events attended"),
            ]
        )
        self.members.itemDoubleClicked.connect(self._member_opened)
        self.members.itemSelectionChanged.connect(self._update_buttons)
        self.add_member_button = QPushButton(self.tr("Add member…"))
        self.role_combo = QComboBox()
        for key in labels.CLUB_ROLES:
            self.role_combo.addItem(labels.club_role(key), key)
        self.role_button = QPushButton(self.tr("Change role"))
        self.leave_button = QPushButton(self.tr("Remove from club"))
        self.add_member_button.clicked.connect(self._add_member)
        self.role_button.clicked.connect(self._change_role)
        self.leave_button.clicked.connect(self._leave)
        self.error = QLabel()
        self.error.setObjectName("fieldError")
        self.error.setWordWrap(True)
        members_tab = QWidget()
        mbox = QVBoxLayout(members_tab)
        mbox.addWidget(self.members, 1)
        actions = QHBoxLayout()
        actions.addWidget(self.add_member_button)
        actions.addStretch(1)
        actions.addWidget(self.role_combo)
        actions.addWidget(self.role_button)
        actions.addWidget(self.leave_button)
        mbox.addLayout(actions)
        self.activity = _table(
            [
                self.tr("Date"),
                self.tr("Event"),
                self.tr("Type"),
                self.tr("Status"),
                self.tr("Members registered"),
                self.tr("Members attended"),
                self.tr("Attended (all)"),
            ]
        )
        self.tabs = QTabWidget()
        self.tabs.addTab(members_tab, self.tr("Members"))
        self.tabs.addTab(self.activity, self.tr("Activity"))
        right = QWidget()
        rbox = QVBoxLayout(right)
        rbox.setContentsMargins(0, 0, 0, 0)
        rbox.addWidget(self.header)
        rbox.addWidget(self.tabs, 1)
        rbox.addWidget(self.error)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        layout = QVBoxLayout(self)
        layout.addWidget(split)
        self.reload()

    # ------------------------------------------------------------------ loading

    def reload(self) -> None:
        clubs = clubs_service.list_clubs(self.ctx.db)
        self.clubs.blockSignals(True)
        self.clubs.setRowCount(len(clubs))
        for i, c in enumerate(clubs):
            for col, text in enumerate((c.name, c.model_focus or "", c.city or "", str(c.members))):
                self.clubs.setItem(i, col, _item(text, c.id))
        self.clubs.blockSignals(False)
        row = next((i for i, c in enumerate(clubs) if c.id == self.club_id), 0 if clubs else -1)
        if row >= 0:
            self.clubs.selectRow(row)
            self._club_selected()
        else:
            self.club_id = None
            self.header.setText(
                self.tr("No clubs yet. Create the first owners' club with “New club…”.")
            )
            self.members.setRowCount(0)
            self.activity.setRowCount(0)
        self._update_buttons()

    def _club_selected(self) -> None:
        items = self.clubs.selectedItems()
        if not items:
            return
        self.club_id = items[0].data(ID_ROLE)
        self.load_club()

    def load_club(self) -> None:
        cid, db = self.club_id, self.ctx.db
        if cid is None:
            return

        def work() -> tuple[Any, list[Any], list[Any]]:
            return (
                clubs_service.get_club(db, cid),
                clubs_service.members(db, cid),
                clubs_service.club_activity(db, cid),
            )

        run_for(self, self.ctx.pool, work, lambda r: self._club_loaded(cid, *r), self._failed)

    def _club_loaded(
        self, cid: uuid.UUID, club: Any, members: list[Any], events: list[Any]
    ) -> None:
        if cid != self.club_id:
            return
        facts = " · ".join(x for x in (club.model_focus, club.city) if x)
        leaders = ", ".join(club.leaders) or "—"
        self.header.setText(
            f"<b style='font-size:15px'>{_e(club.name)}</b> &nbsp; {_e(facts)}<br>"
            + _e(
                self.tr("%1 members · leaders: %2")
                .replace("%1", str(club.members))
                .replace("%2", leaders)
            )
            + (
                f"<br><span style='color:#5f6368'>{_e(club.description)}</span>"
                if club.description
                else ""
            )
        )
        self.members.setRowCount(len(members))
        for i, m in enumerate(members):
            cells = (
                m.name,
                display_phone(m.phone) if m.phone else "",
                labels.club_role(m.role),
                m.joined_on.isoformat() if m.joined_on else "",
                labels.tier(m.tier) if m.tier != "none" else "",
                str(m.events_attended),
            )
            for col, text in enumerate(cells):
                self.members.setItem(i, col, _item(text, m.person_id))
        tz = self.ctx.timezone()
        self.activity.setRowCount(len(events))
        for i, ev in enumerate(events):
            local = to_local(ev.starts_at, tz)
            cells = (
                local.strftime("%Y-%m-%d") if local else "",
                ev.title,
                labels.event_type(ev.type),
                labels.event_status(ev.status),
                str(ev.members_registered),
                str(ev.members_attended),
                str(ev.attended),
            )
            for col, text in enumerate(cells):
                self.activity.setItem(i, col, _item(text, ev.event_id))
        self.error.clear()
        self._update_buttons()

    def _failed(self, exc: BaseException) -> None:
        self.error.setText(error_text(exc, self.ctx.language))

    # ------------------------------------------------------------------ actions

    def selected_member(self) -> uuid.UUID | None:
        items = self.members.selectedItems()
        return items[0].data(ID_ROLE) if items else None

    def _update_buttons(self) -> None:
        has_club = self.club_id is not None
        has_member = self.selected_member() is not None
        self.edit_button.setEnabled(has_club)
        self.add_member_button.setEnabled(has_club)
        for w in (self.role_combo, self.role_button, self.leave_button):
            w.setEnabled(has_member)

    def _member_opened(self, item: QTableWidgetItem) -> None:
        self.person_opened.emit(item.data(ID_ROLE))

    def _write(self, work: Callable[[], Any], then: Callable[[], None] | None = None) -> None:
        def done(_r: Any) -> None:
            (then or self.reload)()

        run_for(self, self.ctx.write_pool, work, done, self._failed)

    def _change_role(self) -> None:
        pid, cid, db = self.selected_member(), self.club_id, self.ctx.db
        role = self.role_combo.currentData()
        if pid and cid:
            self._write(lambda: clubs_service.change_role(db, cid, pid, role))

    def _leave(self) -> None:
        pid, cid, db = self.selected_member(), self.club_id, self.ctx.db
        if pid and cid:
            self._write(lambda: clubs_service.leave_club(db, cid, pid))

    def _add_member(self) -> None:
        if self.club_id is None:
            return
        dialog = JoinClubDialog(self.ctx, self.club_id, self)
        dialog.saved.connect(lambda _m: self.reload())
        dialog.open()

    def _edit_club(self, club_id: uuid.UUID | None) -> None:
        dialog = ClubDialog(self.ctx, club_id, self)
        dialog.saved.connect(self._club_saved)
        dialog.open()

    def _club_saved(self, club: Any) -> None:
        self.club_id = club.id
        self.reload()


class ClubDialog(FormDialog):
    saved = Signal(object)  # ClubView

    def __init__(
        self, ctx: AppContext, club_id: uuid.UUID | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(ctx, self.tr("Edit club") if club_id else self.tr("New club"), parent)
        self.club_id = club_id
        self.setMinimumWidth(420)
        self.name = self.add_field("name", self.tr("Name"), QLineEdit())
        self.model = self.add_field("model_focus", self.tr("Model focus"), QLineEdit())
        self.city = self.add_field("city", self.tr("City"), QLineEdit())
        self.description = self.add_field("description", self.tr("Description"), QPlainTextEdit())
        self.description.setFixedHeight(70)
        if club_id is not None:
            c = clubs_service.get_club(ctx.db, club_id)
            self.name.setText(c.name)
            self.model.setText(c.model_focus or "")
            self.city.setText(c.city or "")
            self.description.setPlainText(c.description)

    def save(self) -> None:
        self.clear_errors()
        draft = clubs_service.ClubDraft(
            self.name.text(),
            self.model.text() or None,
            self.city.text() or None,
            self.description.toPlainText(),
        )
        db, cid = self.ctx.db, self.club_id
        if cid is None:
            self.run_save(lambda: clubs_service.create_club(db, draft), self.saved.emit)
        else:
            self.run_save(lambda: clubs_service.update_club(db, cid, draft), self.saved.emit)


class JoinClubDialog(FormDialog):
    saved = Signal(object)  # Membership

    def __init__(self, ctx: AppContext, club_id: uuid.UUID, parent: QWidget | None = None) -> None:
        super().__init__(ctx, self.tr("Add member"), parent)
        self.club_id = club_id
        self.setMinimumWidth(420)
        self.person = self.add_field("person", self.tr("Person"), PersonPicker(ctx))
        self.role = self.add_field("role", self.tr("Role"), QComboBox())
        for key in labels.CLUB_ROLES:
            self.role.addItem(labels.club_role(key), key)
        self.joined = self.add_field(
            "joined_on", self.tr("Joined on"), QDateEdit(QDate.currentDate())
        )
        self.joined.setCalendarPopup(True)
        self.joined.setDisplayFormat("yyyy-MM-dd")

    def save(self) -> None:
        self.clear_errors()
        pid = self.person.person_id()
        if pid is None:
            self.fields["person"].show_error(self.tr("Pick a person from the list."))
            return
        db, cid, role = self.ctx.db, self.club_id, self.role.currentData()
        joined = self.joined.date().toPython()
        self.run_save(
            lambda: clubs_service.join_club(db, cid, pid, role, joined),  # type: ignore[arg-type]
            self.saved.emit,
        )


def _table(headers: list[str]) -> QTableWidget:
    t = QTableWidget(0, len(headers))
    t.setHorizontalHeaderLabels(headers)
    t.verticalHeader().hide()
    t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    t.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    t.setAlternatingRowColors(True)
    t.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    t.horizontalHeader().setStretchLastSection(True)
    return t


def _item(text: str, ident: object) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setData(ID_ROLE, ident)
    return item


def _e(text: str) -> str:
    import html

    return html.escape(text)
