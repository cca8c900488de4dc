"""The event editor dialog: every field of an event, with the type's own section."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.enums import EventFormat, EventType
from desktop_app.domain.errors import PaddockError, ValidationError
from desktop_app.domain.timeutil import now_utc, zone
from desktop_app.services import events
from desktop_app.services.events import EventDraft, EventView
from ui import labels
from ui.context import AppContext
from ui.views.event_extras import GiftsSection, QuestionsSection
from ui.views.event_sections import CareClassSection, ClubDriveSection
from ui.widgets.datetime_field import DateTimeField
from ui.widgets.field_error import ErrorField
from ui.widgets.screen_fit import resize_within_screen
from ui.widgets.status_badge import StatusBadge
from ui.workers import submit


def _spin(maximum: int, special: str | None = None) -> QSpinBox:
    box = QSpinBox()
    box.setRange(0, maximum)
    box.setGroupSeparatorShown(True)
    if special:
        box.setSpecialValueText(special)
    return box


class EventEditor(QDialog):
    """New event (`event=None`, optionally prefilled from `draft`) or edit an existing one."""

    saved = Signal(object)  # the EventView written

    def __init__(
        self,
        ctx: AppContext,
        event: EventView | None = None,
        draft: EventDraft | None = None,
        event_type: str = EventType.OPEN_DAY,
        parent: QWidget | None = None,
        template_id: object = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.editing = event
        self.template_id = template_id
        self.tz = event.timezone if event else ctx.timezone()
        self.result_view: EventView | None = None
        self.setWindowTitle(self.tr("Edit event") if event else self.tr("New event"))
        resize_within_screen(self, 1080, 820)
        self._build()
        start = draft or (event.draft() if event else self._blank(event_type))
        self.load(start)
        if event:
            self.status_badge.set_status(event.status)

    # ------------------------------------------------------------------ building
    def _blank(self, event_type: str) -> EventDraft:
        # Two weeks out at 10:00 local: the usual lead time for a dealership event.
        local = (now_utc().astimezone(zone(self.tz)) + timedelta(days=14)).replace(
            hour=10, minute=0, second=0, microsecond=0
        )
        return EventDraft(
            title="",
            type=event_type,
            starts_at=local,
            ends_at=local + timedelta(hours=3),
            timezone=self.tz,
        )

    def _build(self) -> None:
        self.type_combo = QComboBox()
        for value in EventType:
            self.type_combo.addItem(labels.event_type(value), value.value)
        self.format_combo = QComboBox()
        for value in EventFormat:
            self.format_combo.addItem(labels.event_format(value), value.value)
        self.title_edit = QLineEdit()
        self.title_edit.setPlaceholderText(self.tr("e.g. Winter care class: tyres and batteries"))
        self.description = QPlainTextEdit()
        self.description.setFixedHeight(70)
        self.starts = DateTimeField(self.tz, optional=True)
        self.ends = DateTimeField(self.tz, optional=True)
        self.venue = QLineEdit()
        self.online_link = QLineEdit()
        self.online_link.setPlaceholderText("https://")
        self.capacity = _spin(100_000, self.tr("No limit"))
        self.waitlist = QCheckBox(self.tr("Put people on a waitlist when full"))
        self.reg_opens = DateTimeField(self.tz, optional=True)
        self.reg_closes = DateTimeField(self.tz, optional=True)
        self.points = _spin(100_000)
        self.campaign = QLineEdit()
        self.campaign.setPlaceholderText(self.tr("e.g. HQ-2026-MD11"))
        self.budget = QLineEdit()
        self.budget.setPlaceholderText(self.tr("e.g. 12000 (yuan)"))
        self.min_online = _spin(1_000, self.tr("Not counted"))
        self.min_online.setSuffix(self.tr(" min"))
        self.approval = QCheckBox(self.tr("Invite-only: each registration waits for approval"))
        self.approval.setToolTip(
            self.tr(
                "Registrations arrive pending (no seat, no ticket); approving them in the "
                "attendee tab gives the seats, so you pick who comes."
            )
        )
        self.club = ClubDriveSection(self.tz)
        self.care = CareClassSection(self.tz)

        self.fields: dict[str, ErrorField] = {
            name: ErrorField(widget)
            for name, widget in (
                ("type", self.type_combo),
                ("format", self.format_combo),
                ("title", self.title_edit),
                ("description", self.description),
                ("starts_at", self.starts),
                ("ends_at", self.ends),
                ("venue", self.venue),
                ("online_link", self.online_link),
                ("capacity", self.capacity),
                ("registration_opens_at", self.reg_opens),
                ("registration_closes_at", self.reg_closes),
                ("points_award", self.points),
                ("campaign_code", self.campaign),
                ("budget", self.budget),
                ("min_online_minutes", self.min_online),
            )
        }
        self.fields |= self.club.fields | self.care.fields

        basics = QGroupBox(self.tr("Event"))
        form = QFormLayout(basics)
        form.addRow(self.tr("Type"), self.fields["type"])
        form.addRow(self.tr("Title"), self.fields["title"])
        form.addRow(self.tr("Format"), self.fields["format"])
        form.addRow(self.tr("Starts"), self.fields["starts_at"])
        form.addRow(self.tr("Ends"), self.fields["ends_at"])
        self.venue_label = QLabel(self.tr("Venue"))
        self.link_label = QLabel(self.tr("Online link"))
        form.addRow(self.venue_label, self.fields["venue"])
        form.addRow(self.link_label, self.fields["online_link"])
        self.min_online_label = QLabel(self.tr("Counts as attended after"))
        form.addRow(self.min_online_label, self.fields["min_online_minutes"])
        form.addRow(self.tr("Description"), self.fields["description"])

        registration = QGroupBox(self.tr("Registration and budget"))
        form2 = QFormLayout(registration)
        form2.addRow(self.tr("Capacity"), self.fields["capacity"])
        form2.addRow("", self.waitlist)
        form2.addRow("", self.approval)
        form2.addRow(self.tr("Registration opens"), self.fields["registration_opens_at"])
        form2.addRow(self.tr("Registration closes"), self.fields["registration_closes_at"])
        form2.addRow(self.tr("Points for attending"), self.fields["points_award"])
        form2.addRow(self.tr("HQ campaign code"), self.fields["campaign_code"])
        form2.addRow(self.tr("Budget"), self.fields["budget"])

        self.problems = QLabel()
        self.problems.setObjectName("formProblems")
        self.problems.setWordWrap(True)
        self.problems.hide()
        self.status_badge = StatusBadge("draft")
        header = QHBoxLayout()
        heading = QLabel(self.windowTitle())
        heading.setObjectName("pageTitle")
        header.addWidget(heading)
        header.addWidget(self.status_badge)
        header.addStretch(1)

        # Two columns for the common fields; the type's own section spans the width
        # below them (a sessions table needs room for two date-times and a topic).
        grid = QGridLayout()
        grid.addWidget(basics, 0, 0)
        grid.addWidget(registration, 0, 1)
        grid.addWidget(self.club, 1, 0, 1, 2)
        grid.addWidget(self.care, 2, 0, 1, 2)
        event_id = self.editing.id if self.editing else None
        self.questions = QuestionsSection(self.ctx, event_id)
        self.gifts = GiftsSection(self.ctx, event_id)
        if self.template_id is not None:  # a new event from a template: its questions/gifts
            qs, gs = events.template_extras(self.ctx.db, self.template_id)
            self.questions.items, self.gifts.items = list(qs), list(gs)
            self.questions.reload()
            self.gifts.reload()
        grid.addWidget(self.questions, 3, 0, 1, 2)  # full width: six columns each
        grid.addWidget(self.gifts, 4, 0, 1, 2)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        grid.setRowStretch(5, 1)
        body = QWidget()
        body.setLayout(grid)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(body)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText(self.tr("Save"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancel"))
        self.buttons.accepted.connect(self.save)
        for button in self.buttons.buttons():
            button.setAutoDefault(False)
        QShortcut(QKeySequence.StandardKey.Save, self, activated=self.save)
        self.buttons.rejected.connect(self.reject)
        outer = QVBoxLayout(self)
        outer.addLayout(header)
        outer.addWidget(self.problems)
        outer.addWidget(scroll, 1)
        outer.addWidget(self.buttons)

        self.type_combo.currentIndexChanged.connect(self._type_changed)
        self.format_combo.currentIndexChanged.connect(self._format_changed)
        self.starts.changed.connect(self._start_changed)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Enter never saves by surprise (it adds a route stop); Ctrl+Enter or Ctrl+S saves."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
                self.save()
            event.accept()
            return
        super().keyPressEvent(event)

    # ------------------------------------------------------------------ per-type / format
    def _type_changed(self) -> None:
        kind = self.type_combo.currentData()
        self.club.setVisible(kind == EventType.CLUB_DRIVE)
        self.care.setVisible(kind == EventType.CARE_CLASS)

    def _format_changed(self) -> None:
        fmt = self.format_combo.currentData()
        on_site = fmt in (EventFormat.ON_SITE, EventFormat.HYBRID)
        online = fmt in (EventFormat.ONLINE, EventFormat.HYBRID)
        for widget in (self.venue_label, self.fields["venue"]):
            widget.setVisible(on_site)
        for widget in (
            self.link_label,
            self.fields["online_link"],
            self.min_online_label,
            self.fields["min_online_minutes"],
        ):
            widget.setVisible(online)

    def _start_changed(self) -> None:
        self.care.default_start = self.starts.value()

    # ------------------------------------------------------------------ draft in / out
    def load(self, d: EventDraft) -> None:
        self.type_combo.setCurrentIndex(max(0, self.type_combo.findData(str(d.type))))
        self.format_combo.setCurrentIndex(max(0, self.format_combo.findData(str(d.format))))
        self.title_edit.setText(d.title)
        self.description.setPlainText(d.description or "")
        self.starts.set_value(d.starts_at)
        self.ends.set_value(d.ends_at)
        self.venue.setText(d.venue or "")
        self.online_link.setText(d.online_link or "")
        self.capacity.setValue(d.capacity or 0)
        self.waitlist.setChecked(d.waitlist_enabled)
        self.reg_opens.set_value(d.registration_opens_at)
        self.reg_closes.set_value(d.registration_closes_at)
        self.points.setValue(d.points_award or 0)
        self.campaign.setText(d.campaign_code or "")
        self.budget.setText("" if d.budget in (None, "") else str(d.budget))
        self.min_online.setValue(d.min_online_minutes or 0)
        self.approval.setChecked(bool(d.requires_approval))
        self.club.load(d.details if d.type == EventType.CLUB_DRIVE else {})
        self.care.load(d.details if d.type == EventType.CARE_CLASS else {}, d.sessions)
        self._type_changed()
        self._format_changed()
        self._start_changed()

    def draft(self) -> EventDraft:
        """What the form says now, as the service's EventDraft."""
        kind = self.type_combo.currentData()
        fmt = self.format_combo.currentData()
        details = {}
        sessions: tuple[events.SessionSlot, ...] = ()
        if kind == EventType.CLUB_DRIVE:
            details = self.club.details()
        elif kind == EventType.CARE_CLASS:
            details = self.care.details()
            sessions = self.care.slots()
        online = fmt in (EventFormat.ONLINE, EventFormat.HYBRID)
        return EventDraft(
            title=self.title_edit.text(),
            type=kind,
            format=fmt,
            description=self.description.toPlainText(),
            timezone=self.tz,
            starts_at=self.starts.value(),
            ends_at=self.ends.value(),
            venue=self.venue.text() if fmt != EventFormat.ONLINE else None,
            online_link=self.online_link.text() if online else None,
            capacity=self.capacity.value() or None,
            waitlist_enabled=self.waitlist.isChecked(),
            registration_opens_at=self.reg_opens.value(),
            registration_closes_at=self.reg_closes.value(),
            points_award=self.points.value(),
            campaign_code=self.campaign.text(),
            budget=self.budget.text().strip() or None,
            min_online_minutes=(self.min_online.value() or None) if online else None,
            details=details,
            sessions=sessions,
            requires_approval=self.approval.isChecked(),
        )

    # ------------------------------------------------------------------ saving
    def show_problems(self, problems: list[ValidationError]) -> None:
        for f in self.fields.values():
            f.clear_error()
        lang = self.ctx.language
        for err in problems:
            target = self.fields.get(err.field)
            if target is not None:
                previous = target.message.text() if target.has_error() else ""
                target.show_error("\n".join(x for x in (previous, err.localized(lang)) if x))
        if problems:
            self.problems.setText(
                self.tr("Please fix the fields marked in red; nothing has been saved yet.")
            )
            self.problems.show()
            first = self.fields.get(problems[0].field)
            if first is not None:
                first.field.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            self.problems.hide()

    def show_error(self, exc: BaseException) -> None:
        if isinstance(exc, ValidationError):
            self.show_problems([exc])
            return
        self.problems.setText(
            exc.localized(self.ctx.language) if isinstance(exc, PaddockError) else str(exc)
        )
        self.problems.show()

    def save(self) -> None:
        """Validate everything; write only when the whole form is valid (off the UI thread)."""
        draft = self.draft()
        problems = events.validate(draft)
        self.show_problems(problems)
        if problems:
            return
        self.save_button.setEnabled(False)
        event_id = self.editing.id if self.editing else None
        db = self.ctx.db

        qs, gs = self.questions.drafts(), self.gifts.drafts()

        def write() -> EventView:
            if event_id is None:  # a new event: its questions and gifts in one transaction
                return events.create_event(db, draft, questions=qs, gifts=gs)
            return events.update_event(db, event_id, draft)

        submit(self.ctx.write_pool, write, self._saved, self._failed)

    def _saved(self, view: EventView) -> None:
        self.result_view = view
        self.saved.emit(view)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.save_button.setEnabled(True)
        self.show_error(exc)
