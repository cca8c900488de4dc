"""One event's report: KPI tiles, arrival curve, funnel, source split, by-source and
by-butler tables, feedback comments; export to .xlsx / PDF off the UI thread."""

from __future__ import annotations

import uuid
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.errors import PaddockError
from desktop_app.domain.money import show_money
from desktop_app.domain.timeutil import to_local
from desktop_app.services import events, reports
from desktop_app.services.events import EventRow
from desktop_app.services.reports import WALK_INS, EventReport
from ui import labels
from ui.context import AppContext
from ui.views.report_extras import ReportExtras
from ui.widgets.charts import ArrivalCurveCard, FunnelCard, Point, SplitCard
from ui.widgets.export_bar import ExportBar
from ui.widgets.report_parts import ReportTable, TileGrid, submit_for

TILES_PER_ROW = 7


def percent(fraction: float | None) -> str:
    return "–" if fraction is None else f"{fraction * 100:.0f} %"


def money(value: float | None) -> str:
    return "–" if value is None else f"¥{value:,.0f}"


def butler_name(key: str) -> str:
    return (
        QCoreApplication.translate("EventReportView", "Not invited by a butler")
        if key == reports.NO_BUTLER
        else key
    )


def when_text(starts: Any, ends: Any, tz: str) -> str:
    a, b = to_local(starts, tz), to_local(ends, tz)
    if a is None:
        return QCoreApplication.translate("EventReportView", "No date yet")
    text = a.strftime("%Y-%m-%d %H:%M")
    if b is not None:
        text += "–" + (b.strftime("%H:%M") if b.date() == a.date() else b.strftime("%m-%d %H:%M"))
    return text


class EventReportView(QWidget):
    """Pick an event, see its report. `show_event(id)` is how other pages open it."""

    loaded = Signal()  # a report is on screen

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.report: EventReport | None = None
        self.event_rows: list[EventRow] = []
        self._pending: uuid.UUID | None = None
        self._generation = 0
        self._build()
        self.reload_events()

    # ------------------------------------------------------------------ building
    def _build(self) -> None:
        self.picker = QComboBox()
        self.picker.setMinimumWidth(380)
        self.picker.setToolTip(self.tr("The event to report on (latest first)"))
        self.picker.currentIndexChanged.connect(self._picked)
        refresh = QPushButton(self.tr("Refresh"))
        refresh.clicked.connect(self.load)
        self.exports = ExportBar(self.ctx, self._export_job, self)
        self.exports.exported.connect(self._exported)
        self.exports.failed.connect(self._export_failed)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("Event")))
        bar.addWidget(self.picker, 1)
        bar.addWidget(refresh)
        bar.addWidget(self.exports)
        self.heading = QLabel()
        self.heading.setObjectName("reportHeading")
        self.heading.setStyleSheet("font-size: 13pt; font-weight: 600; color: #1f2d3d;")
        self.heading.setWordWrap(True)
        self.subheading = QLabel()
        self.subheading.setObjectName("hint")
        self.subheading.setWordWrap(True)
        self.tiles = TileGrid(self._tile_specs(), TILES_PER_ROW)
        # issue 15: the shared costs of the event (shown when it has fees)
        self.money_caption = self._caption(self.tr("Shared costs (AA)"))
        self.money_tiles = TileGrid(self._money_specs(), TILES_PER_ROW)
        self.arrival = ArrivalCurveCard()
        self.funnel = FunnelCard()
        self.sources = SplitCard(
            self.tr("Registered by source, and walk-ins"),
            self.tr("Source"),
            self.tr("People"),
            self.tr("No registrations yet — the split shows where people heard of the event."),
        )
        charts = QGridLayout()
        charts.setSpacing(10)
        charts.addWidget(self.arrival, 0, 0, 1, 2)
        charts.addWidget(self.funnel, 1, 0)
        charts.addWidget(self.sources, 1, 1)
        for c in range(2):
            charts.setColumnStretch(c, 1)
        self.by_source = ReportTable(
            [self.tr("Source"), self.tr("Registered"), self.tr("Attended"), self.tr("Rate")],
            empty_text=self.tr("No registrations yet."),
        )
        self.by_butler = ReportTable(
            [
                self.tr("Butler"),
                self.tr("Invited"),
                self.tr("Registered"),
                self.tr("Attended"),
                self.tr("Rate"),
            ],
            empty_text=self.tr("Nobody was invited or registered by a butler."),
        )
        self.comments = ReportTable(
            [self.tr("Name"), self.tr("Rating"), self.tr("NPS"), self.tr("Comment")],
            empty_text=self.tr(
                "No comments yet — the desk's check-out form and survey imports add them."
            ),
            stretch=(3,),
        )
        tables = QGridLayout()
        tables.setSpacing(10)
        tables.addWidget(self._caption(self.tr("By source")), 0, 0)
        tables.addWidget(
            self._caption(self.tr("By butler (invited → registered → attended)")), 0, 1
        )
        tables.addWidget(self.by_source, 1, 0)
        tables.addWidget(self.by_butler, 1, 1)
        content = QWidget()
        col = QVBoxLayout(content)
        col.setContentsMargins(0, 0, 8, 0)
        col.addWidget(self.heading)
        col.addWidget(self.subheading)
        col.addWidget(self.tiles)
        col.addWidget(self.money_caption)
        col.addWidget(self.money_tiles)
        col.addLayout(charts)
        col.addLayout(tables)
        col.addWidget(self._caption(self.tr("Feedback comments")))
        col.addWidget(self.comments)
        self.extras = ReportExtras(self)  # issue 14: answer counts, gifts
        col.addWidget(self.extras)
        col.addStretch(1)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setWidget(content)
        self.empty = QLabel(
            self.tr("No events yet. Plan one on the Events page; its report appears here.")
        )
        self.empty.setObjectName("emptyState")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.message = QLabel()
        self.message.setObjectName("pageMessage")
        self.message.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.message)
        layout.addWidget(self.scroll, 1)
        layout.addWidget(self.empty, 1)
        self.empty.hide()

    @staticmethod
    def _caption(text: str) -> QLabel:
        label = QLabel(text)
        label.setStyleSheet("font-weight: 600; color: #1f2d3d; padding-top: 8px;")
        return label

    def _tile_specs(self) -> list[tuple[str, str, str]]:
        return [
            ("registered", self.tr("Registered"), self.tr("People with a confirmed registration (walk-ins not counted)")),
            ("attended", self.tr("Attended"), self.tr("People who came: checked in, or online long enough; walk-ins included")),
            ("attendance_rate", self.tr("Attendance rate"), self.tr("Registered people who came ÷ registered")),
            ("no_shows", self.tr("No-shows"), self.tr("Registered people who did not come, once the event is over")),
            ("walk_ins", self.tr("Walk-ins"), self.tr("People who registered at the door")),
            ("new_prospects", self.tr("New prospects"), self.tr("First event attended, and a prospect when they came")),
            ("existing_owners", self.tr("Existing owners"), self.tr("Owners or members before the event started")),
            ("club_members", self.tr("Club members"), self.tr("Attendees in a club before the event started")),
            ("referrals", self.tr("Referrals"), self.tr("Registrations that name who referred them")),
            ("new_members", self.tr("New members"), self.tr("Attendees who became members within 30 days")),
            ("points_awarded", self.tr("Points awarded"), self.tr("Net points booked for this event's registrations")),
            ("avg_rating", self.tr("Average rating"), self.tr("Mean of the 1–5 ratings")),
            ("nps", self.tr("NPS"), self.tr("% promoters (9–10) − % detractors (0–6)")),
            ("cost_per_attendee", self.tr("Cost per attendee"), self.tr("(Budget + gifts handed) ÷ attended")),
        ]  # fmt: skip

    # ------------------------------------------------------------------ loading
    def _money_specs(self) -> list[tuple[str, str, str]]:
        return [
            ("collected", self.tr("Collected"), self.tr("Payments minus refunds")),
            ("spent", self.tr("Spent"), self.tr("What the cost items come to")),
            ("subsidy", self.tr("Dealer subsidy"), self.tr("The dealer's part of the costs")),
            ("balance", self.tr("Balance"), self.tr("Collected − spent")),
            ("fee_per_attendee", self.tr("Spent per attendee"), self.tr("Spent ÷ attended")),
            ("outstanding", self.tr("Still to collect"), self.tr("What participants still owe")),
        ]

    def _fill_money(self, r: EventReport) -> None:
        m = r.money
        for w in (self.money_caption, self.money_tiles):
            w.setVisible(m is not None)
        if m is None:
            return
        t = self.money_tiles.tiles
        t["collected"].set(show_money(m.collected, fen=True))
        t["spent"].set(show_money(m.spent, fen=True))
        t["subsidy"].set(
            show_money(m.subsidy, fen=True),
            self.tr("%1 per attendee").replace("%1", show_money(m.subsidy_per_attendee or 0))
            if m.subsidy_per_attendee is not None
            else "",
        )
        t["balance"].set(show_money(m.balance, fen=True))
        t["fee_per_attendee"].set(
            show_money(m.cost_per_attendee, fen=True) if m.cost_per_attendee is not None else "–",
            "" if m.attendees else self.tr("nobody attended yet"),
        )
        t["outstanding"].set(
            show_money(m.outstanding, fen=True),
            self.tr("%1 to refund").replace("%1", show_money(m.refund_due)) if m.refund_due else "",
        )

    def reload_events(self) -> None:
        """Fill the picker (off the UI thread); keeps or applies the wanted event."""
        db = self.ctx.db
        submit_for(
            self, self.ctx.pool, lambda: events.list_events(db), self._fill_picker, self.show_error
        )

    def _fill_picker(self, rows: list[EventRow]) -> None:
        wanted = self._pending or self.current_event_id()
        rows = [r for r in rows if r.status != "draft" or r.registrations]
        rows.sort(key=lambda r: (r.starts_at is None, r.starts_at), reverse=True)
        self.event_rows = rows
        self.picker.blockSignals(True)
        self.picker.clear()
        for r in rows:
            local = to_local(r.starts_at, r.timezone)
            day = local.strftime("%Y-%m-%d") if local else "—"
            self.picker.addItem(f"{day}  {r.title}  ({labels.event_status(r.status)})", r.id)
        self.picker.blockSignals(False)
        self.scroll.setVisible(bool(rows))
        self.empty.setVisible(not rows)
        target = wanted or self.first_event_id()
        if target is not None:
            self._select(target)

    def first_event_id(self) -> uuid.UUID | None:
        """The latest event that has started and was not cancelled (else the latest that
        started, else the soonest one): the natural default."""
        from desktop_app.domain.timeutil import now_utc

        now = now_utc()
        started = [r for r in self.event_rows if r.starts_at is not None and r.starts_at <= now]
        held = [r for r in started if r.status != "cancelled"]
        pick = (held or started or self.event_rows[-1:] or [None])[0]
        return pick.id if pick else None

    def current_event_id(self) -> uuid.UUID | None:
        data = self.picker.currentData()
        return data if isinstance(data, uuid.UUID) else None

    def show_event(self, event_id: Any) -> None:
        """Show this event's report (the picker follows)."""
        wanted = event_id if isinstance(event_id, uuid.UUID) else uuid.UUID(str(event_id))
        if self._index_of(wanted) < 0:
            self._pending = wanted
            self.reload_events()
            return
        self._select(wanted)

    def _select(self, event_id: uuid.UUID) -> None:
        self._pending = None
        index = self._index_of(event_id)
        if index < 0:
            return
        if index == self.picker.currentIndex():
            self.load()
        else:
            self.picker.setCurrentIndex(index)  # loads through _picked

    def _index_of(self, event_id: uuid.UUID) -> int:
        # findData compares wrapped Python objects by identity, not by value
        for i in range(self.picker.count()):
            if self.picker.itemData(i) == event_id:
                return i
        return -1

    def _picked(self, _index: int) -> None:
        self.load()

    def load(self) -> None:
        event_id = self.current_event_id()
        if event_id is None:
            return
        self._generation += 1
        generation, db = self._generation, self.ctx.db

        def done(report: EventReport) -> None:
            if generation == self._generation:
                self.show_report(report)

        submit_for(
            self, self.ctx.pool, lambda: reports.event_report(db, event_id), done, self.show_error
        )

    def show_error(self, exc: BaseException) -> None:
        text = exc.localized(self.ctx.language) if isinstance(exc, PaddockError) else str(exc)
        self.message.setProperty("error", True)
        self.message.style().polish(self.message)
        self.message.setText(text)
        if not isinstance(exc, PaddockError):
            raise exc

    # ------------------------------------------------------------------ showing
    def show_report(self, r: EventReport) -> None:
        self.report = r
        self.message.clear()
        k = r.kpis
        self.heading.setText(r.title)
        parts = [
            when_text(r.starts_at, r.ends_at, r.timezone),
            r.venue or "",
            labels.event_type(r.type),
            labels.event_format(r.format),
            labels.event_status(r.status),
        ]
        if r.budget is not None:
            parts.append(self.tr("Budget %1").replace("%1", money(float(r.budget))))
        if k.pending or k.declined:
            parts.append(
                self.tr("%1 awaiting approval, %2 declined")
                .replace("%1", str(k.pending))
                .replace("%2", str(k.declined))
            )
        if r.is_empty:
            parts.append(self.tr("Nobody has registered or been invited yet."))
        self.subheading.setText("  ·  ".join(p for p in parts if p))
        self._fill_tiles(r)
        self._fill_money(r)
        self.arrival.set_points([Point(b.label, (b.check_ins,)) for b in r.arrival_curve])
        invited = sum(b.invited for b in r.by_butler)
        steps = [(self.tr("Invited"), invited)] if invited else []
        steps += [
            (self.tr("Registered"), k.registered),
            (self.tr("Attended (registered)"), k.attended - k.walk_ins),
        ]
        self.funnel.set_points([Point(label, (n,)) for label, n in steps])
        self.sources.set_points([Point(self._slice_label(key), (n,)) for key, n in r.source_split])
        self.sources.set_note(
            self.tr("%1 registered + %2 walk-ins = %3 people")
            .replace("%1", str(k.registered))
            .replace("%2", str(k.walk_ins))
            .replace("%3", str(k.registered + k.walk_ins))
            if k.walk_ins
            else self.tr("%1 registered").replace("%1", str(k.registered))
        )
        self.by_source.set_rows(
            [
                [labels.person_source(s.key), s.registered, s.attended, _rate(s.attended, s.registered, s.key)]
                for s in r.by_source
            ]
        )  # fmt: skip
        self.by_butler.set_rows(
            [
                [butler_name(b.key), b.invited, b.registered, b.attended, _rate(b.attended, b.registered, "")]
                for b in r.by_butler
            ]
        )  # fmt: skip
        self.comments.set_rows(
            [[c.name or self.tr("Anonymous"), c.rating, c.nps, c.comment] for c in r.comments]
        )
        self.extras.show_report(r)
        self.loaded.emit()

    def _slice_label(self, key: str) -> str:
        return self.tr("Walk-ins") if key == WALK_INS else labels.person_source(key)

    def _fill_tiles(self, r: EventReport) -> None:
        k, t = r.kpis, self.tiles.tiles
        for key in (
            "registered",
            "attended",
            "walk_ins",
            "new_prospects",
            "existing_owners",
            "club_members",
            "referrals",
            "new_members",
        ):
            t[key].set(str(getattr(k, key)))
        t["attended"].set(
            str(k.attended),
            self.tr("%1 seats").replace("%1", str(k.seats_attended))
            if k.seats_attended != k.attended
            else "",
        )
        t["registered"].set(
            str(k.registered),
            self.tr("+%1 waitlisted").replace("%1", str(k.waitlisted)) if k.waitlisted else "",
        )
        came = max(0, k.attended - k.walk_ins)  # walk-ins came, but never registered ahead
        t["attendance_rate"].set(
            percent(k.attendance_rate if k.registered else None),
            self.tr("%1 of %2 registered came")
            .replace("%1", str(came))
            .replace("%2", str(k.registered))
            if k.registered
            else "",
        )
        if k.still_to_come:  # not over yet: nobody is a no-show before the end
            t["no_shows"].set("–", self.tr("%1 still to come").replace("%1", str(k.still_to_come)))
        else:
            t["no_shows"].set(str(k.no_shows))
        t["points_awarded"].set(f"{k.points_awarded:,}")
        fb_hint = (
            self.tr("%1 answers").replace("%1", str(k.feedback_count))
            if k.feedback_count
            else self.tr("no feedback yet")
        )
        t["avg_rating"].set("–" if k.avg_rating is None else f"{k.avg_rating:.1f} / 5", fb_hint)
        t["nps"].set("–" if k.nps is None else f"{k.nps:+.0f}", fb_hint)
        gift_cost = float(r.gifts.cost) if r.gifts and r.gifts.cost else 0.0
        t["cost_per_attendee"].set(
            money(k.cost_per_attendee),
            self.tr("incl. gifts %1").replace("%1", money(gift_cost))
            if gift_cost
            else ("" if r.budget is not None else self.tr("no budget set")),
        )

    def _exported(self, path: str) -> None:
        self.message.setProperty("error", False)
        self.message.style().polish(self.message)
        self.message.setText(self.tr("Saved %1").replace("%1", path))

    def _export_failed(self, text: str) -> None:
        self.message.setProperty("error", True)
        self.message.style().polish(self.message)
        self.message.setText(self.tr("Could not export: %1").replace("%1", text))

    def scroll_to_bottom(self) -> None:
        bar = self.scroll.verticalScrollBar()
        bar.setValue(bar.maximum())

    # ------------------------------------------------------------------ export
    def _export_job(self) -> EventReport | None:
        """What the export bar writes: the report on screen (not counted again)."""
        return self.report


def _rate(attended: int, registered: int, key: str) -> str:
    if key == "walk_in" or not registered:
        return "–"
    return percent(min(attended, registered) / registered)
