"""The Events page: filter bar, lifecycle toolbar and the events table."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from PySide6.QtCore import QDate, QModelIndex, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QStackedWidget,
    QTableView,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.enums import EVENT_TRANSITIONS, EventStatus, EventType
from desktop_app.domain.errors import ConfirmationRequired, PaddockError
from desktop_app.domain.timeutil import now_utc, parse_local
from desktop_app.services import events
from desktop_app.services.events import EDITABLE, EventRow, EventView
from ui import labels
from ui.context import AppContext
from ui.models.events_model import COL_STATUS, COL_TITLE, ROW_ROLE, EventsFilter, EventsModel
from ui.views.event_editor import EventEditor
from ui.widgets.date_dialog import ask_start
from ui.widgets.status_badge import StatusBadgeDelegate
from ui.workers import submit


class EventsPage(QWidget):
    events_changed = Signal()  # after any write; other pages may listen
    loaded = Signal()  # the table shows fresh rows

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.editor: EventEditor | None = None
        self._generation = 0
        self.loading = False
        self.model = EventsModel(self)
        self.proxy = EventsFilter(self)
        self.proxy.setSourceModel(self.model)
        self._build_filters()
        self._build_toolbar()
        self._build_table()
        layout = QVBoxLayout(self)
        title = QLabel(self.tr("Events"))
        title.setObjectName("pageTitle")
        layout.addWidget(title)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.filter_bar)
        layout.addWidget(self.body, 1)
        self.message = QLabel()
        self.message.setObjectName("pageMessage")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        self._update_actions()
        self.refresh()

    # ------------------------------------------------------------------ building
    def _build_filters(self) -> None:
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Search title, venue or campaign code…"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(lambda text: self.proxy.set_filters(text=text))
        self.search.textChanged.connect(self._update_empty)
        self.type_filter = QComboBox()
        self.type_filter.addItem(self.tr("All types"), None)
        for t in EventType:
            self.type_filter.addItem(labels.event_type(t), t.value)
        self.status_filter = QComboBox()
        self.status_filter.addItem(self.tr("All statuses"), None)
        for st in EventStatus:
            self.status_filter.addItem(labels.event_status(st), st.value)
        self.from_box, self.from_date = QCheckBox(self.tr("From")), QDateEdit()
        self.to_box, self.to_date = QCheckBox(self.tr("To")), QDateEdit()
        today = QDate.currentDate()
        self.from_date.setDate(today)
        self.to_date.setDate(today.addMonths(1))
        for box, edit in ((self.from_box, self.from_date), (self.to_box, self.to_date)):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setEnabled(False)
            box.toggled.connect(edit.setEnabled)
            box.toggled.connect(self._apply_filters)
            edit.dateChanged.connect(self._apply_filters)
        self.type_filter.currentIndexChanged.connect(self._apply_filters)
        self.status_filter.currentIndexChanged.connect(self._apply_filters)
        self.filter_bar = QWidget()
        row = QHBoxLayout(self.filter_bar)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.search, 3)
        row.addWidget(self.type_filter, 1)
        row.addWidget(self.status_filter, 1)
        for w in (self.from_box, self.from_date, self.to_box, self.to_date):
            row.addWidget(w)

    def _action(self, text: str, slot: Callable[[], Any], tip: str = "") -> QAction:
        action = QAction(text, self)
        action.setToolTip(tip or text)
        action.triggered.connect(lambda _checked=False: slot())
        self.toolbar.addAction(action)
        return action

    def _build_toolbar(self) -> None:
        self.toolbar = QToolBar()
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.new_menu = QMenu(self)
        for t in EventType:
            act = self.new_menu.addAction(labels.event_type(t))
            act.triggered.connect(lambda _c=False, kind=t.value: self.new_event(kind))
        self.new_button = QToolButton()
        self.new_button.setText(self.tr("New event"))
        self.new_button.setObjectName("primaryButton")
        self.new_button.setMenu(self.new_menu)
        self.new_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.toolbar.addWidget(self.new_button)
        self.act_from_template = self._action(self.tr("New from template"), self.new_from_template)
        self.toolbar.addSeparator()
        self.act_edit = self._action(self.tr("Edit"), self.edit_selected)
        self.act_duplicate = self._action(self.tr("Duplicate"), self.duplicate_selected)
        self.act_template = self._action(self.tr("Save as template"), self.save_template)
        self.act_attendees = self._action(self.tr("Attendees…"), self.open_attendees)
        self.toolbar.addSeparator()
        self.act_publish = self._action(
            self.tr("Publish"), lambda: self.change_status(EventStatus.PUBLISHED)
        )
        self.act_close = self._action(
            self.tr("Close registration"), lambda: self.change_status(EventStatus.CLOSED)
        )
        self.act_complete = self._action(
            self.tr("Complete"), lambda: self.change_status(EventStatus.COMPLETED)
        )
        self.act_cancel = self._action(
            self.tr("Cancel event"), lambda: self.change_status(EventStatus.CANCELLED)
        )
        self.act_delete = self._action(self.tr("Delete draft"), self.delete_selected)

    def _build_table(self) -> None:
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # keep the service's order
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(30)
        self.table.setItemDelegateForColumn(COL_STATUS, StatusBadgeDelegate(self.table))
        # Widths are set once per load from a sample of rows: ResizeToContents would
        # measure every cell of every row on each keystroke of the search box.
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(COL_TITLE, QHeaderView.ResizeMode.Stretch)
        header.setResizeContentsPrecision(50)  # rows sampled by resizeColumnToContents
        self._widths_set = False
        self.table.doubleClicked.connect(self._edit_index)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_actions())
        self.empty = QLabel()
        self.empty.setObjectName("emptyState")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.body = QStackedWidget()
        self.body.addWidget(self.table)
        self.body.addWidget(self.empty)

    # ------------------------------------------------------------------ loading
    def refresh(self, select_id: object = None) -> None:
        """Reload rows off the UI thread; the newest request wins."""
        self._generation += 1
        self.loading = True
        generation, db = self._generation, self.ctx.db

        def done(rows: list[EventRow]) -> None:
            if generation == self._generation:
                self._show_rows(rows, select_id)

        submit(self.ctx.pool, lambda: events.list_events(db), done, self.show_error)

    def _show_rows(self, rows: list[EventRow], select_id: object) -> None:
        current = select_id or (self.selected().id if self.selected() else None)
        self.loading = False
        self.model.set_rows(rows)
        if rows and not self._widths_set:
            for col in range(self.model.columnCount()):
                if col != COL_TITLE:
                    self.table.resizeColumnToContents(col)
            self._widths_set = True
        self._update_empty()
        if current is not None:
            self.select_event(current)
        self._update_actions()
        self.loaded.emit()

    def _update_empty(self) -> None:
        if self.model.rowCount() == 0:
            self.empty.setText(self.tr("No events yet — click New event to plan your first one."))
            self.body.setCurrentWidget(self.empty)
        elif self.proxy.rowCount() == 0:
            self.empty.setText(self.tr("No events match these filters."))
            self.body.setCurrentWidget(self.empty)
        else:
            self.body.setCurrentWidget(self.table)

    def _apply_filters(self) -> None:
        tz = self.ctx.timezone()

        def day(box: QCheckBox, edit: QDateEdit, extra: int) -> datetime | None:
            if not box.isChecked():
                return None
            return parse_local(edit.date().addDays(extra).toPython(), tz)  # type: ignore[arg-type]

        self.proxy.set_filters(
            type=self.type_filter.currentData(),
            status=self.status_filter.currentData(),
            date_from=day(self.from_box, self.from_date, 0),
            date_to=day(self.to_box, self.to_date, 1),  # the "to" day is included
        )
        self._update_empty()
        self._update_actions()

    # ------------------------------------------------------------------ selection
    def selected(self) -> EventRow | None:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].data(ROW_ROLE) if rows else None

    def select_event(self, event_id: object) -> None:
        row = self.model.row_of(event_id)
        if row < 0:
            return
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        if index.isValid():
            self.table.selectRow(index.row())
            self.table.scrollTo(index)

    def _update_actions(self) -> None:
        row = self.selected()
        status = EventStatus(row.status) if row else None
        allowed = EVENT_TRANSITIONS[status] if status else frozenset()
        self.act_edit.setEnabled(status in EDITABLE)
        self.act_duplicate.setEnabled(row is not None)
        self.act_template.setEnabled(row is not None)
        self.act_attendees.setEnabled(row is not None)
        self.act_publish.setEnabled(EventStatus.PUBLISHED in allowed)
        self.act_close.setEnabled(EventStatus.CLOSED in allowed)
        self.act_complete.setEnabled(EventStatus.COMPLETED in allowed)
        self.act_cancel.setEnabled(EventStatus.CANCELLED in allowed)
        self.act_delete.setEnabled(status == EventStatus.DRAFT)
        reopen = status == EventStatus.CLOSED
        self.act_publish.setText(self.tr("Reopen registration") if reopen else self.tr("Publish"))

    # ------------------------------------------------------------------ actions
    def _open_editor(self, editor: EventEditor) -> EventEditor:
        self.editor = editor
        editor.saved.connect(self._after_save)
        editor.open()  # window-modal, returns at once (tests drive it)
        return editor

    def _after_save(self, view: EventView) -> None:
        self.say(self.tr("Saved “%1”.").replace("%1", view.title))
        self.events_changed.emit()
        self.refresh(view.id)

    def new_event(self, kind: str = EventType.OPEN_DAY) -> EventEditor:
        return self._open_editor(EventEditor(self.ctx, event_type=kind, parent=self))

    def _edit_index(self, index: QModelIndex) -> None:
        self.table.selectRow(index.row())
        self.edit_selected()

    def open_attendees(self) -> QWidget | None:
        """The selected event's registrations: register, cancel, reissue, tickets."""
        from ui.views.attendees import open_attendees

        row = self.selected()
        if row is None:
            return None
        dialog = open_attendees(self.ctx, row.id, self)
        dialog.finished.connect(lambda _code: self.refresh())
        return dialog

    def edit_selected(self) -> EventEditor | None:
        row = self.selected()
        if row is None or row.status not in EDITABLE:
            return None
        try:
            view = events.get_event(self.ctx.db, row.id)
        except PaddockError as exc:
            self.show_error(exc)
            return None
        return self._open_editor(EventEditor(self.ctx, event=view, parent=self))

    def _default_next_start(self, row: EventRow) -> datetime:
        base = row.starts_at or now_utc().replace(minute=0, second=0, microsecond=0)
        while base < now_utc():
            base += timedelta(days=7)  # the same weekday and hour, in the future
        return base

    def duplicate_selected(self) -> None:
        row = self.selected()
        if row is None:
            return
        start = ask_start(
            self,
            row.timezone,
            self._default_next_start(row),
            self.tr("When should the copy start? All its times move with it."),
        )
        if start is None:
            return
        db = self.ctx.db
        self._write(
            lambda: events.duplicate_event(db, row.id, start),
            self.tr("Copied as a new draft."),
        )

    def save_template(self) -> None:
        row = self.selected()
        if row is None:
            return
        name, ok = QInputDialog.getText(
            self, self.tr("Save as template"), self.tr("Template name:"), text=row.title
        )
        if not ok:
            return
        db = self.ctx.db
        self._write(
            lambda: events.save_as_template(db, row.id, name),
            self.tr("Template saved."),
            refresh=False,
        )

    def new_from_template(self) -> EventEditor | None:
        templates = events.list_templates(self.ctx.db)
        if not templates:
            QMessageBox.information(
                self,
                self.tr("New from template"),
                self.tr("No templates yet. Select an event and click Save as template first."),
            )
            return None
        names = [f"{t.name} · {labels.event_type(t.type)}" for t in templates]
        choice, ok = QInputDialog.getItem(
            self, self.tr("New from template"), self.tr("Template:"), names, 0, False
        )
        if not ok:
            return None
        template = templates[names.index(choice)]
        default = (now_utc() + timedelta(days=14)).replace(minute=0, second=0, microsecond=0)
        start = ask_start(
            self, self.ctx.timezone(), default, self.tr("When does the new event start?")
        )
        if start is None:
            return None
        draft = events.draft_from_template(self.ctx.db, template.id, start)
        return self._open_editor(
            EventEditor(
                self.ctx,
                draft=draft,
                event_type=template.type,
                parent=self,
                template_id=template.id,
            )
        )

    def change_status(self, status: str, confirm: bool = False, reason: str | None = None) -> None:
        row = self.selected()
        if row is None:
            return
        if status == EventStatus.CANCELLED and not confirm:
            answer = QMessageBox.question(
                self,
                self.tr("Cancel event"),
                self.tr("Cancel “%1”? This cannot be undone.").replace("%1", row.title),
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        db = self.ctx.db

        def on_error(exc: BaseException) -> None:
            if isinstance(exc, ConfirmationRequired):
                self._confirm_cancel(row, exc)
            else:
                self.show_error(exc)

        self._write(
            lambda: events.set_status(db, row.id, status, confirm=confirm, reason=reason),
            self.tr("Status changed to %1.").replace("%1", labels.event_status(status)),
            on_error=on_error,
        )

    def _confirm_cancel(self, row: EventRow, exc: ConfirmationRequired) -> None:
        """The event has registrations: say so, ask for a reason, then cancel for real."""
        reason, ok = QInputDialog.getText(
            self,
            self.tr("Cancel event"),
            exc.localized(self.ctx.language) + "\n\n" + self.tr("Reason (told to registrants):"),
        )
        if ok:
            self.change_status(EventStatus.CANCELLED, confirm=True, reason=reason)

    def delete_selected(self) -> None:
        row = self.selected()
        if row is None or row.status != EventStatus.DRAFT:
            return
        answer = QMessageBox.question(
            self,
            self.tr("Delete draft"),
            self.tr("Delete the draft “%1”?").replace("%1", row.title),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        db = self.ctx.db
        self._write(lambda: events.delete_draft(db, row.id), self.tr("Draft deleted."))

    # ------------------------------------------------------------------ plumbing
    def _write(
        self,
        fn: Callable[[], Any],
        done_text: str,
        refresh: bool = True,
        on_error: Callable[[BaseException], None] | None = None,
    ) -> None:
        def done(result: object) -> None:
            self.say(done_text)
            if refresh:
                self.events_changed.emit()
                self.refresh(getattr(result, "id", None))

        submit(self.ctx.write_pool, fn, done, on_error or self.show_error)

    def say(self, text: str) -> None:
        self.message.setProperty("error", False)
        self.message.setText(text)
        self.message.style().polish(self.message)

    def show_error(self, exc: BaseException) -> None:
        text = exc.localized(self.ctx.language) if isinstance(exc, PaddockError) else str(exc)
        self.message.setProperty("error", True)
        self.message.setText(text)
        self.message.style().polish(self.message)
        if not isinstance(exc, PaddockError):
            raise exc
