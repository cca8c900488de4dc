"""The Today page (the app's home): today's and this week's events with live counts, open
registrations, call lists behind schedule, tier changes and owners to invite.

Counts refresh every REFRESH_MS on a pool thread (reports.today_overview), only while the
page is visible; a refresh still running is never doubled.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QMouseEvent, QShowEvent
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.errors import PaddockError
from desktop_app.domain.timeutil import now_utc, to_local
from desktop_app.services import reports
from desktop_app.services.reports import EventCounts, TodayOverview
from ui import labels
from ui.context import AppContext
from ui.widgets.report_parts import submit_for

log = logging.getLogger(__name__)
REFRESH_MS = 10_000
TODAY_PER_ROW = 3
WEEK_PER_ROW = 4
MAX_LINES = 8
EVENT_ROLE = Qt.ItemDataRole.UserRole + 1


def _tr(text: str) -> str:
    return QCoreApplication.translate("TodayPage", text)


def _hhmm(dt: datetime | None, tz: str) -> str:
    local = to_local(dt, tz)
    return local.strftime("%H:%M") if local else ""


def _day(dt: datetime | None, tz: str) -> str:
    local = to_local(dt, tz)
    return local.strftime("%m-%d") if local else ""


class EventCard(QFrame):
    """One event with its live numbers; clicking it opens the event's report."""

    clicked = Signal(object)  # the event id

    def __init__(self, e: EventCounts, with_date: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.event_id = e.event_id
        self.setObjectName("eventCard")
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setStyleSheet(
            "#eventCard { background: white; border: 1px solid #d8dee6; border-radius: 8px; }"
            "#eventCard:hover { border-color: #2f6fb3; }"
            "#eventCard QLabel { background: transparent; }"
            "#eventCard QLabel#cardTitle { font-size: 11pt; font-weight: 600; color: #1f2d3d; }"
            "#eventCard QLabel#cardWhen { color: #4a5868; }"
            "#eventCard QLabel#cardValue { font-size: 15pt; font-weight: 600; color: #1f2d3d; }"
            "#eventCard QLabel#cardCaption { color: #5f6b7a; font-size: 9pt; }"
        )
        when = f"{_hhmm(e.starts_at, e.timezone)}–{_hhmm(e.ends_at, e.timezone)}"
        if with_date:
            when = f"{_day(e.starts_at, e.timezone)}  {when}"
        head = QLabel(f"{when}  ·  {labels.event_type(e.type)}  ·  {labels.event_status(e.status)}")
        head.setObjectName("cardWhen")
        self.when = head
        title = QLabel(e.title)
        title.setObjectName("cardTitle")
        title.setWordWrap(True)
        title.setToolTip(e.title)
        numbers = QHBoxLayout()
        registered = str(e.registered) if e.capacity is None else f"{e.registered}/{e.capacity}"
        # The desk's counters, in the same words (services/event_counts.py)
        self.values = {"registered": e.registered, "arrived": e.arrived, "walk_ins": e.walk_ins}
        for value, caption, tip in (
            (
                registered,
                QCoreApplication.translate("TodayPage", "Registered"),
                QCoreApplication.translate(
                    "TodayPage", "People who registered ahead and hold a place"
                ),
            ),
            (
                str(e.arrived),
                QCoreApplication.translate("TodayPage", "Arrived"),
                QCoreApplication.translate("TodayPage", "Everyone who came, walk-ins included"),
            ),
            (
                str(e.walk_ins),
                QCoreApplication.translate("TodayPage", "of whom walk-ins"),
                QCoreApplication.translate(
                    "TodayPage", "Arrived people who registered at the door"
                ),
            ),
        ):
            cell = QVBoxLayout()
            cell.setSpacing(0)
            v = QLabel(value)
            v.setObjectName("cardValue")
            v.setToolTip(tip)
            c = QLabel(caption)
            c.setObjectName("cardCaption")
            c.setToolTip(tip)
            cell.addWidget(v)
            cell.addWidget(c)
            numbers.addLayout(cell, 1)
        bar = QProgressBar()
        bar.setMaximumHeight(6)
        bar.setTextVisible(False)
        bar.setRange(0, max(1, e.registered))
        bar.setValue(min(e.arrived_registered, e.registered))
        bar.setToolTip(
            QCoreApplication.translate("TodayPage", "%1 of %2 registered people have arrived")
            .replace("%1", str(e.arrived_registered))
            .replace("%2", str(e.registered))
        )
        col = QVBoxLayout(self)
        col.setContentsMargins(12, 8, 12, 10)
        col.setSpacing(4)
        col.addWidget(head)
        col.addWidget(title)
        col.addLayout(numbers)
        col.addWidget(bar)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.setAccessibleName(
            f"{e.title}: {_tr('Registered')} {e.registered}, {_tr('Arrived')} {e.arrived}, "
            f"{_tr('of whom walk-ins')} {e.walk_ins}"
        )

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # Qt override
        if event.button() == Qt.MouseButton.LeftButton:
            self.clicked.emit(self.event_id)
        super().mouseReleaseEvent(event)


class CardGrid(QWidget):
    """Event cards in rows, or a one-line note when there are none."""

    def __init__(self, per_row: int, empty_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.per_row = per_row
        self.cards: list[EventCard] = []
        self._shown: tuple[EventCounts, ...] | None = None
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setSpacing(10)
        self.empty = QLabel(empty_text)
        self.empty.setObjectName("hint")
        self.empty.setWordWrap(True)

    def set_events(
        self, rows: Sequence[EventCounts], with_date: bool, on_click: Callable[[Any], None]
    ) -> None:
        if tuple(rows) == self._shown:
            return  # the 10-second refresh changed nothing: keep the cards (and hover)
        self._shown = tuple(rows)
        while self.grid.count():
            item = self.grid.takeAt(0)
            w = item.widget() if item else None
            if w is not None and w is not self.empty:
                w.deleteLater()
        self.cards = [EventCard(e, with_date) for e in rows]
        for i, card in enumerate(self.cards):
            card.clicked.connect(on_click)
            self.grid.addWidget(card, i // self.per_row, i % self.per_row)
        for c in range(self.per_row):
            self.grid.setColumnStretch(c, 1)
        self.empty.setVisible(not self.cards)
        if not self.cards:
            self.grid.addWidget(self.empty, 0, 0, 1, self.per_row)


class ListBox(QGroupBox):
    """A titled short list; items that name an event open its report on double-click."""

    def __init__(self, title: str, empty_text: str, parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.empty_text = empty_text
        self.list = QListWidget()
        self.list.setFrameShape(QFrame.Shape.NoFrame)
        self.list.setWordWrap(True)
        self.list.setStyleSheet("QListWidget { background: transparent; }")
        col = QVBoxLayout(self)
        col.setContentsMargins(6, 4, 6, 6)
        col.addWidget(self.list)

    def set_items(self, items: Sequence[tuple[str, str, uuid.UUID | None]]) -> None:
        """(text, tooltip, event id or None) per line."""
        self.list.clear()
        for text, tip, event_id in items:
            item = QListWidgetItem(text)
            item.setToolTip(tip or text)
            item.setData(EVENT_ROLE, event_id)
            self.list.addItem(item)
        if not items:
            item = QListWidgetItem(self.empty_text)
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.list.addItem(item)
        # As tall as its lines (up to MAX_LINES, then it scrolls): no half-empty boxes.
        row = max(self.list.sizeHintForRow(0), self.list.fontMetrics().height() + 4)
        self.list.setFixedHeight(row * min(MAX_LINES, self.list.count()) + 6)

    def texts(self) -> list[str]:
        return [self.list.item(i).text() for i in range(self.list.count())]


class TodayPage(QWidget):
    """Home screen. `clock` returns the current UTC time (tests pass a fixed one)."""

    loaded = Signal()  # fresh numbers are on screen
    event_opened = Signal(object)  # an event card or line was clicked (its id)

    def __init__(
        self,
        ctx: AppContext,
        parent: QWidget | None = None,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.clock = clock or (lambda: now_utc())
        self.overview: TodayOverview | None = None
        self.loading = False
        self.timer = QTimer(self)
        self.timer.setInterval(REFRESH_MS)
        self.timer.timeout.connect(self.refresh)
        self._build()
        self.refresh()

    # ------------------------------------------------------------------ building
    def _build(self) -> None:
        title = QLabel(self.tr("Today"))
        title.setObjectName("pageTitle")
        self.date_label = QLabel()
        self.date_label.setObjectName("hint")
        self.updated = QLabel()
        self.updated.setObjectName("hint")
        self.pending_label = QLabel()  # issue 14: "N awaiting approval"
        self.pending_label.setObjectName("pendingBadge")
        self.pending_label.setStyleSheet(
            "#pendingBadge { background: #fff1d6; color: #8a5300; border-radius: 9px;"
            " padding: 2px 10px; font-weight: 600; }"
        )
        self.pending_label.hide()
        refresh = QPushButton(self.tr("Refresh"))
        refresh.setToolTip(self.tr("Counts also refresh by themselves every 10 seconds"))
        refresh.clicked.connect(self.refresh)
        head = QHBoxLayout()
        head.addWidget(title)
        head.addWidget(self.date_label)
        head.addWidget(self.pending_label)
        head.addStretch(1)
        head.addWidget(self.updated)
        head.addWidget(refresh)
        self.today_cards = CardGrid(
            TODAY_PER_ROW, self.tr("No events today. The coming week is below.")
        )
        self.week_cards = CardGrid(WEEK_PER_ROW, self.tr("Nothing planned for the next 7 days."))
        self.open_box = ListBox(
            self.tr("Registrations open"), self.tr("No published event is taking registrations.")
        )
        self.calls_box = ListBox(
            self.tr("Call lists behind schedule"),
            self.tr("All call lists for the next days are done."),
        )
        self.tiers_box = ListBox(
            self.tr("Tier changes (last 7 days)"), self.tr("No member changed tier this week.")
        )
        self.occasions_box = ListBox(
            self.tr("Birthdays and purchase anniversaries (next 14 days)"),
            self.tr("No owner birthdays or purchase anniversaries in the next 14 days."),
        )
        self.approval_box = ListBox(self.tr("Awaiting approval"), "")
        self.approval_box.list.itemDoubleClicked.connect(self._open_pending)
        self.approval_box.hide()
        for box in (self.open_box, self.calls_box, self.occasions_box):
            box.list.itemDoubleClicked.connect(self._item_opened)
        lists = QGridLayout()
        lists.setSpacing(10)
        top = Qt.AlignmentFlag.AlignTop  # a one-line box keeps its height beside a long one
        lists.addWidget(self.open_box, 0, 0, top)
        lists.addWidget(self.calls_box, 0, 1, top)
        lists.addWidget(self.occasions_box, 1, 0, top)
        lists.addWidget(self.tiers_box, 1, 1, top)
        lists.addWidget(self.approval_box, 2, 0, top)
        content = QWidget()
        col = QVBoxLayout(content)
        col.setContentsMargins(0, 0, 8, 0)
        col.addWidget(self._section(self.tr("Today's events")))
        col.addWidget(self.today_cards)
        col.addWidget(self._section(self.tr("This week")))
        col.addWidget(self.week_cards)
        col.addLayout(lists)
        col.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(content)
        self.empty = QLabel(
            self.tr(
                "Nothing here yet. Plan and publish your first event on the Events page: "
                "its live counts, open registrations and call lists will show up here."
            )
        )
        self.empty.setObjectName("emptyState")
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.go_events = QPushButton(self.tr("Go to Events"))
        self.go_events.clicked.connect(lambda: self._show_page("events"))
        empty_page = QWidget()
        empty_col = QVBoxLayout(empty_page)
        empty_col.addStretch(1)
        empty_col.addWidget(self.empty)
        empty_col.addWidget(self.go_events, 0, Qt.AlignmentFlag.AlignHCenter)
        empty_col.addStretch(2)
        self.body = QStackedWidget()
        self.body.addWidget(scroll)
        self.body.addWidget(empty_page)
        self.message = QLabel()
        self.message.setObjectName("pageMessage")
        self.message.setWordWrap(True)
        self.message.hide()
        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addWidget(self.message)
        layout.addWidget(self.body, 1)

    @staticmethod
    def _section(text: str) -> QLabel:
        label = QLabel(text)
        label.setStyleSheet("font-size: 12pt; font-weight: 600; color: #1f2d3d; padding-top: 6px;")
        return label

    # ------------------------------------------------------------------ live refresh
    def showEvent(self, event: QShowEvent) -> None:  # Qt override
        super().showEvent(event)
        self.timer.start()
        if self.overview is not None:
            self.refresh()

    def hideEvent(self, event: Any) -> None:  # Qt override: no polling behind other pages
        super().hideEvent(event)
        self.timer.stop()

    def refresh(self) -> None:
        """Reload the overview off the UI thread (skipped while one is still running)."""
        if self.loading:
            return
        self.loading = True
        db, now = self.ctx.db, self.clock()
        submit_for(
            self,
            self.ctx.pool,
            lambda: reports.today_overview(db, now),
            self.show_overview,
            self._failed,
        )

    def _failed(self, exc: BaseException) -> None:
        self.loading = False
        if not isinstance(exc, PaddockError):  # a lost server, say: logged, shown, retried
            log.error("today overview failed", exc_info=exc)
        text = exc.localized(self.ctx.language) if isinstance(exc, PaddockError) else str(exc)
        self.message.setText(self.tr("Could not load today's overview: %1").replace("%1", text))
        self.message.setProperty("error", True)
        self.message.style().polish(self.message)
        self.message.show()

    # ------------------------------------------------------------------ showing
    def show_overview(self, o: TodayOverview) -> None:
        """Put an overview on screen (called with the worker's result)."""
        self.loading = False
        self.overview = o
        self.message.hide()
        local_now = to_local(o.now, o.timezone)
        self.date_label.setText(local_now.strftime("%Y-%m-%d") if local_now else "")
        self.updated.setText(
            self.tr("Updated %1").replace("%1", local_now.strftime("%H:%M:%S") if local_now else "")
        )
        self.body.setCurrentIndex(1 if o.is_empty else 0)
        self.today_cards.set_events(o.today, False, self.open_event)
        self.week_cards.set_events(o.this_week, True, self.open_event)
        self.open_box.set_items([self._open_line(r) for r in o.open_registrations])
        self.calls_box.set_items([self._calls_line(c) for c in o.calls_behind])
        self.tiers_box.set_items(
            [
                (
                    self.tr("%1 is now %2 (since %3)")
                    .replace("%1", t.name)
                    .replace("%2", labels.tier(t.tier or "none"))
                    .replace("%3", _day(t.changed_at, o.timezone)),
                    "",
                    None,
                )
                for t in o.tier_changes
            ]
        )
        self.occasions_box.set_items([self._occasion_line(x) for x in o.occasions])
        self._show_pending(o)
        self.loaded.emit()

    def _show_pending(self, o: TodayOverview) -> None:
        """Invite-only events with applications to decide (issue 14)."""
        self.pending_label.setText(self.tr("%1 awaiting approval").replace("%1", str(o.pending)))
        self.pending_label.setVisible(o.pending > 0)
        self.approval_box.setVisible(bool(o.awaiting_approval))
        self.approval_box.set_items(
            [
                (
                    self.tr("%1 (%2): %3 awaiting approval, %4 approved")
                    .replace("%1", a.title)
                    .replace("%2", _day(a.starts_at, a.timezone))
                    .replace("%3", str(a.pending))
                    .replace(
                        "%4",
                        str(a.registered) if a.capacity is None else f"{a.registered}/{a.capacity}",
                    ),
                    self.tr("Double-click to decide in the attendee list"),
                    a.event_id,
                )
                for a in o.awaiting_approval
            ]
        )

    def _open_pending(self, item: QListWidgetItem) -> None:
        """The event's attendee list, filtered to the applications awaiting approval."""
        event_id = item.data(EVENT_ROLE)
        if event_id is None:
            return
        from ui.views.attendees import open_attendees

        dlg = open_attendees(self.ctx, event_id, self)
        panel = dlg.panel  # type: ignore[attr-defined]
        panel.status.setCurrentIndex(panel.status.findData("pending"))

    def _open_line(self, r: reports.OpenRegistration) -> tuple[str, str, uuid.UUID | None]:
        seats = str(r.registered) if r.capacity is None else f"{r.registered}/{r.capacity}"
        text = (
            self.tr("%1 (%2) — %3 registered")
            .replace("%1", r.title)
            .replace("%2", f"{_day(r.starts_at, r.timezone)} {_hhmm(r.starts_at, r.timezone)}")
            .replace("%3", seats)
        )
        if r.waitlisted:
            text = (
                self.tr("%1 (+%2 waitlisted)").replace("%1", text).replace("%2", str(r.waitlisted))
            )
        tip = (
            self.tr("Registration closes %1").replace(
                "%1", f"{_day(r.closes_at, r.timezone)} {_hhmm(r.closes_at, r.timezone)}"
            )
            if r.closes_at
            else ""
        )
        return text, tip, r.event_id

    def _calls_line(self, c: reports.CallsBehind) -> tuple[str, str, uuid.UUID | None]:
        butler = self.tr("Unassigned") if c.butler == reports.NO_BUTLER else c.butler
        text = (
            self.tr("%1: %2 of %3 still to call for %4 (%5)")
            .replace("%1", butler)
            .replace("%2", str(c.to_call))
            .replace("%3", str(c.total))
            .replace("%4", c.title)
            .replace("%5", _day(c.starts_at, c.timezone))
        )
        return text, "", c.event_id

    def _occasion_line(self, x: reports.Occasion) -> tuple[str, str, uuid.UUID | None]:
        on = x.on.strftime("%m-%d")
        if x.kind == "birthday":
            what = self.tr("%1: birthday on %2").replace("%1", x.name).replace("%2", on)
        else:
            years = (
                self.tr("1 year")
                if x.years == 1
                else self.tr("%1 years").replace("%1", str(x.years))
            )
            what = (
                self.tr("%1: %2 with the %3 on %4")
                .replace("%1", x.name)
                .replace("%2", years)
                .replace("%3", x.model or self.tr("car"))
                .replace("%4", on)
            )
        if x.invite_event_title:
            what += " — " + self.tr("invite to %1").replace("%1", x.invite_event_title)
        tip = " · ".join(p for p in (x.phone or "", x.butler or "") if p)
        return what, tip, x.invite_event_id

    # ------------------------------------------------------------------ navigation
    def _item_opened(self, item: QListWidgetItem) -> None:
        event_id = item.data(EVENT_ROLE)
        if event_id is not None:
            self.open_event(event_id)

    def open_event(self, event_id: Any) -> None:
        """Open the event's report on the Reports page (the Events page if it is missing)."""
        self.event_opened.emit(event_id)
        page = self._show_page("reports")
        if page is not None and hasattr(page, "show_event"):
            page.show_event(event_id)
        elif page is None:
            self._show_page("events")

    def _show_page(self, key: str) -> QWidget | None:
        window = self.window()
        show_page = getattr(window, "show_page", None)
        return show_page(key) if callable(show_page) else None
