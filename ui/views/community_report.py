"""The community report over a date range: totals, monthly trend, events by type, funnel,
repeat attendance, leaderboard, clubs, butlers and prospects who became owners."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
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
from desktop_app.domain.timeutil import now_utc, to_local
from desktop_app.services import reports
from desktop_app.services.reports import CommunityReport
from ui import labels
from ui.context import AppContext
from ui.views.event_report import butler_name, percent
from ui.widgets.charts import FunnelCard, MonthlyTrendCard, Point, SplitCard
from ui.widgets.export_bar import ExportBar
from ui.widgets.report_parts import ReportTable, TileGrid, submit_for

TILES_PER_ROW = 5
PRESETS = ("last_12_months", "this_month", "last_3_months", "this_year", "last_year", "custom")


def _month_start(d: date, back: int = 0) -> date:
    index = d.year * 12 + d.month - 1 - back
    return date(index // 12, index % 12 + 1, 1)


def _month_end(d: date) -> date:
    return _month_start(d, -1) - timedelta(days=1)


def preset_range(key: str, today: date) -> tuple[date, date]:
    """The dates of a range preset (local calendar dates, both included)."""
    if key == "this_month":
        return _month_start(today), _month_end(today)
    if key == "last_3_months":
        return _month_start(today, 2), _month_end(today)
    if key == "this_year":
        return date(today.year, 1, 1), date(today.year, 12, 31)
    if key == "last_year":
        return date(today.year - 1, 1, 1), date(today.year - 1, 12, 31)
    return _month_start(today, 11), _month_end(today)


def _qdate(d: date) -> QDate:
    return QDate(d.year, d.month, d.day)


def _pydate(q: QDate) -> date:
    return date(q.year(), q.month(), q.day())


class CommunityReportView(QWidget):
    loaded = Signal()

    def __init__(
        self, ctx: AppContext, parent: QWidget | None = None, *, load_now: bool = True
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.report: CommunityReport | None = None
        self._generation = 0
        self._build()
        self.apply_preset(load=load_now)

    # ------------------------------------------------------------------ building
    def _build(self) -> None:
        self.preset = QComboBox()
        names = {
            "last_12_months": self.tr("Last 12 months"),
            "this_month": self.tr("This month"),
            "last_3_months": self.tr("Last 3 months"),
            "this_year": self.tr("This year"),
            "last_year": self.tr("Last year"),
            "custom": self.tr("Custom dates"),
        }
        for key in PRESETS:
            self.preset.addItem(names[key], key)
        self.date_from = QDateEdit(calendarPopup=True, displayFormat="yyyy-MM-dd")
        self.date_to = QDateEdit(calendarPopup=True, displayFormat="yyyy-MM-dd")
        self.preset.currentIndexChanged.connect(lambda _i: self.apply_preset())
        self.show_button = QPushButton(self.tr("Show"))
        self.show_button.setObjectName("primaryButton")
        self.show_button.clicked.connect(self.load)
        for edit in (self.date_from, self.date_to):
            edit.dateChanged.connect(self._dates_edited)
        self.exports = ExportBar(self.ctx, self._export_job, self)
        self.exports.exported.connect(
            lambda p: self._say(self.tr("Saved %1").replace("%1", p), False)
        )
        self.exports.failed.connect(
            lambda t: self._say(self.tr("Could not export: %1").replace("%1", t), True)
        )
        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("Period")))
        bar.addWidget(self.preset)
        bar.addWidget(self.date_from)
        bar.addWidget(QLabel("–"))
        bar.addWidget(self.date_to)
        bar.addWidget(self.show_button)
        bar.addStretch(1)
        bar.addWidget(self.exports)
        self.heading = QLabel()
        self.heading.setStyleSheet("font-size: 13pt; font-weight: 600; color: #1f2d3d;")
        self.heading.setWordWrap(True)
        self.scope = QLabel()  # which events the figures count (started ones only)
        self.scope.setObjectName("hint")
        self.scope.setWordWrap(True)
        self.tiles = TileGrid(self._tile_specs(), TILES_PER_ROW)
        self.trend = MonthlyTrendCard()
        self.types = SplitCard(
            self.tr("Events by type"),
            self.tr("Type"),
            self.tr("Events"),
            self.tr("No events in this period."),
        )
        self.funnel = FunnelCard()
        self.repeat = SplitCard(
            self.tr("Repeat attendance"),
            self.tr("Events attended"),
            self.tr("People"),
            self.tr("Nobody attended an event in this period yet."),
        )
        charts = QGridLayout()
        charts.setSpacing(10)
        charts.addWidget(self.trend, 0, 0, 1, 2)
        charts.addWidget(self.types, 1, 0)
        charts.addWidget(self.repeat, 1, 1)
        charts.addWidget(self.funnel, 2, 0, 1, 2)
        for c in range(2):
            charts.setColumnStretch(c, 1)
        self.by_type = ReportTable(
            [
                self.tr("Type"),
                self.tr("Events"),
                self.tr("Registered"),
                self.tr("Attended"),
            ],
            empty_text=self.tr("No events in this period."),
        )
        self.leaderboard = ReportTable(
            [
                self.tr("Name"),
                self.tr("KOL"),
                self.tr("Clubs"),
                self.tr("Referrals"),
                self.tr("Referrals who came"),
                self.tr("Events attended"),
            ],
            max_rows=20,
            empty_text=self.tr("No referrals and no KOLs in this period."),
        )
        self.clubs = ReportTable(
            [
                self.tr("Club"),
                self.tr("Members"),
                self.tr("Events"),
                self.tr("Attendances"),
                self.tr("Different people"),
            ],
            empty_text=self.tr("No club events in this period."),
        )
        self.butlers = ReportTable(
            [
                self.tr("Butler"),
                self.tr("Invited"),
                self.tr("Called"),
                self.tr("Registered"),
                self.tr("Attended"),
                self.tr("Rate"),
            ],
            empty_text=self.tr("No call lists or butler registrations in this period."),
        )
        self.converted = ReportTable(
            [
                self.tr("Name"),
                self.tr("Now"),
                self.tr("First attended"),
                self.tr("Stage changed"),
            ],
            empty_text=self.tr("No prospect who came in this period has become an owner yet."),
        )
        content = QWidget()
        col = QVBoxLayout(content)
        col.setContentsMargins(0, 0, 8, 0)
        col.addWidget(self.heading)
        col.addWidget(self.scope)
        col.addWidget(self.tiles)
        col.addLayout(charts)
        for caption, table in (
            (self.tr("Events by type"), self.by_type),
            (self.tr("Super-users: top referrers and KOLs"), self.leaderboard),
            (self.tr("Club activity"), self.clubs),
            (
                self.tr("Butler performance (invited → called → registered → attended)"),
                self.butlers,
            ),
            (self.tr("Prospects who attended and later became owners"), self.converted),
        ):
            label = QLabel(caption)
            label.setStyleSheet("font-weight: 600; color: #1f2d3d; padding-top: 8px;")
            col.addWidget(label)
            col.addWidget(table)
        col.addStretch(1)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setWidget(content)
        self.message = QLabel()
        self.message.setObjectName("pageMessage")
        self.message.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.message)
        layout.addWidget(self.scroll, 1)

    def _tile_specs(self) -> list[tuple[str, str, str]]:
        return [
            (
                "events",
                self.tr("Events"),
                self.tr("Events of the period that have started by now (not cancelled)"),
            ),
            ("registered", self.tr("Registered"), self.tr("Sum of the events' registered people")),
            ("attended", self.tr("Attended"), self.tr("Sum of the events' attendees, walk-ins included")),
            ("attendance_rate", self.tr("Attendance rate"), self.tr("Registered people who came ÷ registered")),
            ("walk_ins", self.tr("Walk-ins"), self.tr("People who registered at the door")),
            ("unique_attendees", self.tr("Different people"), self.tr("People who attended at least one event")),
            ("repeat_attendees", self.tr("Came back"), self.tr("People at 2 or more events in the period")),
            ("converted", self.tr("Prospects → owners"), self.tr("Prospects who attended, then became owners or members")),
            ("referrals", self.tr("Referrals"), self.tr("Registrations that name who referred them")),
            ("cancelled_events", self.tr("Cancelled events"), self.tr("Events of the period that were cancelled")),
        ]  # fmt: skip

    # ------------------------------------------------------------------ range
    def _today(self) -> date:
        local = to_local(now_utc(), self.ctx.timezone())
        assert local is not None
        return local.date()

    def apply_preset(self, load: bool = True) -> None:
        key = self.preset.currentData()
        if key == "custom":
            return
        d_from, d_to = preset_range(str(key), self._today())
        for edit, d in ((self.date_from, d_from), (self.date_to, d_to)):
            edit.blockSignals(True)
            edit.setDate(_qdate(d))
            edit.blockSignals(False)
        if load:
            self.load()

    def _dates_edited(self) -> None:
        self.preset.blockSignals(True)
        self.preset.setCurrentIndex(PRESETS.index("custom"))
        self.preset.blockSignals(False)

    def set_range(self, d_from: date, d_to: date) -> None:
        """Show the report of these dates (tests and other pages)."""
        self._dates_edited()
        for edit, d in ((self.date_from, d_from), (self.date_to, d_to)):
            edit.blockSignals(True)
            edit.setDate(_qdate(d))
            edit.blockSignals(False)
        self.load()

    def range(self) -> tuple[date, date]:
        return _pydate(self.date_from.date()), _pydate(self.date_to.date())

    # ------------------------------------------------------------------ loading
    def load(self) -> None:
        d_from, d_to = self.range()
        if d_to < d_from:
            self._say(self.tr("The end date is before the start date."), True)
            return
        self._generation += 1
        generation, db = self._generation, self.ctx.db
        self.show_button.setEnabled(False)
        self._say(self.tr("Counting…"), False)

        def done(report: CommunityReport) -> None:
            if generation == self._generation:
                self.show_report(report)

        submit_for(
            self,
            self.ctx.pool,
            lambda: reports.community_report(db, d_from, d_to),
            done,
            self.show_error,
        )

    def _say(self, text: str, error: bool) -> None:
        self.message.setProperty("error", error)
        self.message.style().polish(self.message)
        self.message.setText(text)

    def show_error(self, exc: BaseException) -> None:
        self.show_button.setEnabled(True)
        text = exc.localized(self.ctx.language) if isinstance(exc, PaddockError) else str(exc)
        self._say(text, True)
        if not isinstance(exc, PaddockError):
            raise exc

    # ------------------------------------------------------------------ showing
    def show_report(self, r: CommunityReport) -> None:
        self.report = r
        self.show_button.setEnabled(True)
        self._say("", False)
        t = r.totals
        heading = self.tr("Community report %1 – %2").replace("%1", r.date_from.isoformat())
        heading = heading.replace("%2", r.date_to.isoformat())
        if r.is_empty:
            heading += "  ·  " + self.tr("No events in this period.")
        self.heading.setText(heading)
        scope = (
            self.tr(
                "Only events that have started by now are counted. "
                "%n event(s) of this period still to come are left out.",
                "",
                t.upcoming_events,
            )
            if t.upcoming_events
            else self.tr("Only events that have started by now are counted.")
        )
        self.scope.setText(scope)
        tiles = self.tiles.tiles
        for key in (
            "events",
            "registered",
            "attended",
            "walk_ins",
            "unique_attendees",
            "repeat_attendees",
            "converted",
            "referrals",
            "cancelled_events",
        ):
            tiles[key].set(f"{getattr(t, key):,}")
        tiles["attendance_rate"].set(percent(t.attendance_rate if t.registered else None))
        if t.unique_attendees:
            share = percent(t.repeat_attendees / t.unique_attendees)
            tiles["repeat_attendees"].set(
                f"{t.repeat_attendees:,}", self.tr("%1 of attendees").replace("%1", share)
            )
        self.trend.set_points([Point(m.month, (m.events, m.attended)) for m in r.by_month])
        self.types.set_points([Point(labels.event_type(x.type), (x.events,)) for x in r.by_type])
        steps = [
            (self.tr("Invited"), r.funnel.get("invited", 0)),
            (self.tr("Registered"), r.funnel.get("registered", 0)),
            (self.tr("Attended (registered)"), r.funnel.get("attended", 0)),
        ]
        if not steps[0][1]:
            steps = steps[1:]
        self.funnel.set_points([Point(label, (n,)) for label, n in steps])
        self.repeat.set_points(self._repeat_points(r.attendance_histogram))
        self._fill_tables(r)
        self.loaded.emit()

    def _repeat_points(self, histogram: dict[int, int]) -> list[Point]:
        once = histogram.get(1, 0)
        twice = histogram.get(2, 0)
        more = sum(v for k, v in histogram.items() if k >= 3)
        return [
            Point(self.tr("1 event"), (once,)),
            Point(self.tr("2 events"), (twice,)),
            Point(self.tr("3 or more events"), (more,)),
        ]

    def _fill_tables(self, r: CommunityReport) -> None:
        tz = r.timezone
        self.by_type.set_rows(
            [[labels.event_type(x.type), x.events, x.registered, x.attended] for x in r.by_type]
        )
        yes = self.tr("Yes")
        self.leaderboard.set_rows(
            [
                [u.name, yes if u.is_kol else "", ", ".join(u.clubs), u.referrals,
                 u.referrals_attended, u.events_attended]
                for u in r.leaderboard
            ]
        )  # fmt: skip
        self.clubs.set_rows(
            [[c.name, c.members, c.events, c.attended, c.unique_attendees] for c in r.clubs]
        )
        self.butlers.set_rows(
            [
                [butler_name(b.name), b.invited, b.called, b.registered, b.attended,
                 percent(min(b.attended, b.registered) / b.registered) if b.registered else "–"]
                for b in r.butlers
            ]
        )  # fmt: skip
        self.converted.set_rows(
            [
                [c.name, labels.stage(c.stage), _day(c.first_attended_at, tz),
                 _day(c.stage_changed_at, tz)]
                for c in r.converted
            ]
        )  # fmt: skip

    def scroll_to_bottom(self) -> None:
        bar = self.scroll.verticalScrollBar()
        bar.setValue(bar.maximum())

    def _export_job(self) -> CommunityReport | None:
        """The report on screen (not dates edited since)."""
        return self.report


def _day(dt: Any, tz: str) -> str:
    local = to_local(dt, tz)
    return local.strftime("%Y-%m-%d") if local else ""
