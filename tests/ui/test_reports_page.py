"""The Reports page as the manager uses it after the March open day: the event report's
tiles and charts, the quarter's community report, follow-up lists handed to a butler,
exports, and the desk's quick feedback form — on a quarter built through the real services
(tests/reports_support.py), whose numbers are known by construction."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop_app.services import feedback, invitations
from desktop_app.store.db import Database
from tests.reports_support import Clock, Quarter, build_quarter, local
from tests.ui.helpers import app_context
from ui.context import AppContext
from ui.views.feedback_form import FeedbackForm, open_feedback_form
from ui.views.reports import ReportsPage
from ui.widgets.charts import ChartCard, nice_max
from ui.widgets.export_bar import ExportBar

Q1 = (date(2026, 1, 1), date(2026, 3, 31))


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    return Clock(monkeypatch)


@pytest.fixture
def quarter(dealer_sqlite: Database, clock: Clock) -> Quarter:
    q = build_quarter(dealer_sqlite, clock)
    clock.set(local(2026, 3, 10, 12))  # after the open day: no-shows are known
    return q


@pytest.fixture
def ctx(dealer_sqlite: Database, tmp_path: Path) -> Iterator[AppContext]:
    with app_context(dealer_sqlite, tmp_path) as c:
        yield c


@pytest.fixture
def page(qtbot: QtBot, ctx: AppContext, quarter: Quarter) -> ReportsPage:
    p = ReportsPage(ctx)
    qtbot.addWidget(p)
    p.resize(1186, 740)
    p.show()
    return p


def open_event(qtbot: QtBot, page: ReportsPage, event_id: object) -> None:
    page.show_event(event_id)
    view = page.event_report
    qtbot.waitUntil(lambda: view.report is not None and view.report.event_id == event_id)


def test_the_open_day_report_shows_every_number(
    qtbot: QtBot, page: ReportsPage, quarter: Quarter
) -> None:
    open_event(qtbot, page, quarter.a)
    tiles = page.event_report.tiles.values()
    assert tiles == {
        "registered": "10",
        "attended": "8",
        "attendance_rate": "60 %",
        "no_shows": "4",
        "walk_ins": "2",
        "new_prospects": "5",
        "existing_owners": "2",
        "club_members": "1",
        "referrals": "2",
        "new_members": "1",
        "points_awarded": "400",
        "avg_rating": "4.0 / 5",
        "nps": "+33",
        "cost_per_attendee": "¥750",
    }
    assert page.event_report.heading.text() == "三月开放日"
    assert "Budget ¥6,000" in page.event_report.subheading.text()
    # the rate beside "8 attended" (walk-ins included) says what it counts
    rate = page.event_report.tiles.tiles["attendance_rate"]
    assert rate.hint.text() == "6 of 10 registered came"


def test_the_arrival_curve_has_its_numbers_one_click_away(
    qtbot: QtBot, page: ReportsPage, quarter: Quarter
) -> None:
    open_event(qtbot, page, quarter.a)
    card = page.event_report.arrival
    assert card.showing() == "chart"
    qtbot.mouseClick(card.toggle, Qt.MouseButton.LeftButton)
    assert card.showing() == "numbers"
    assert card.table_rows() == [
        ["14:00", "2"],
        ["14:10", "2"],
        ["14:20", "1"],
        ["14:30", "1"],
        ["14:40", "2"],
    ]
    qtbot.mouseClick(card.toggle, Qt.MouseButton.LeftButton)
    assert card.showing() == "chart"


def test_funnel_sources_and_butlers_split_the_open_day(
    qtbot: QtBot, page: ReportsPage, quarter: Quarter
) -> None:
    open_event(qtbot, page, quarter.a)
    view = page.event_report
    assert view.funnel.table_rows() == [
        ["Invited", "5", "100"],
        ["Registered", "10", "200"],
        ["Attended (registered)", "6", "120"],
    ]
    assert sorted(view.by_source.texts()) == [
        ["Online form", "2", "0", "0 %"],
        ["Phone invitation", "6", "5", "83 %"],
        ["Referral", "2", "1", "50 %"],
        ["Walk-in", "0", "2", "–"],
    ]
    butlers = {row[0]: row[1:4] for row in view.by_butler.texts()}
    assert butlers == {
        "王管家": ["5", "4", "4"],
        "李管家": ["0", "2", "1"],
        "Not invited by a butler": ["0", "4", "3"],
    }
    assert [row[3] for row in view.comments.texts()] == ["讲解很细致", "停车位太少"]


def test_the_source_donut_shows_walk_ins_as_their_own_slice_and_adds_up_to_its_legend(
    qtbot: QtBot, page: ReportsPage, quarter: Quarter
) -> None:
    open_event(qtbot, page, quarter.a)
    view = page.event_report
    sources = {row[0]: row[1] for row in view.sources.table_rows()}
    # the 10 registered by where they heard of the day, and the 2 who walked in apart
    assert sources == {
        "Phone invitation": "6",
        "Online form": "2",
        "Referral": "2",
        "Walk-ins": "2",
    }
    registered = sum(int(n) for name, n in sources.items() if name != "Walk-ins")
    assert registered == int(view.tiles.values()["registered"]) == 10
    assert sources["Walk-ins"] == view.tiles.values()["walk_ins"]
    assert view.sources.title.text() == "Registered by source, and walk-ins"
    assert view.sources.note.text() == "10 registered + 2 walk-ins = 12 people"
    shares = [float(row[2].rstrip(" %")) for row in view.sources.table_rows()]
    assert sum(shares) == pytest.approx(100, abs=0.2)


def test_an_event_nobody_came_to_explains_its_empty_charts(
    qtbot: QtBot, page: ReportsPage, quarter: Quarter
) -> None:
    open_event(qtbot, page, quarter.c)  # published, then cancelled: no registrations
    view = page.event_report
    assert view.tiles.values()["registered"] == "0"
    assert view.tiles.values()["avg_rating"] == "–"
    assert view.arrival.showing() == "empty"
    assert "fills in as people arrive" in view.arrival.empty.text()
    assert not view.arrival.toggle.isEnabled()
    assert view.sources.showing() == "empty"
    assert "Nobody has registered" in view.subheading.text()
    assert view.by_source.texts() == []
    assert "No registrations yet" in view.by_source.item(0, 0).text()


def test_before_the_end_no_shows_wait_and_say_who_is_still_to_come(
    qtbot: QtBot, page: ReportsPage, quarter: Quarter, clock: Clock
) -> None:
    clock.set(local(2026, 3, 7, 15))
    open_event(qtbot, page, quarter.a)
    tile = page.event_report.tiles.tiles["no_shows"]
    assert tile.value.text() == "–"
    assert tile.hint.text() == "4 still to come"


def open_community(qtbot: QtBot, page: ReportsPage) -> None:
    page.show_community()
    view = page.community
    view.set_range(*Q1)
    qtbot.waitUntil(lambda: view.report is not None and view.report.date_from == Q1[0])


def test_the_quarter_community_report(qtbot: QtBot, page: ReportsPage, quarter: Quarter) -> None:
    open_community(qtbot, page)
    view = page.community
    tiles = view.tiles.values()
    assert (tiles["events"], tiles["cancelled_events"]) == ("3", "1")
    assert (tiles["registered"], tiles["attended"], tiles["walk_ins"]) == ("13", "10", "2")
    assert tiles["attendance_rate"] == "62 %"  # 8 of 13
    assert tiles["referrals"] == "2"
    trend = view.trend.table_rows()
    assert [row[0] for row in trend] == ["2026-01", "2026-02", "2026-03"]
    assert [row[1] for row in trend] == ["1", "0", "2"]  # events held per month
    assert [row[2] for row in trend] == ["2", "0", "8"]  # attended per month
    types = {row[0]: row[1] for row in view.types.table_rows()}
    assert types == {"Open day": "1", "Care class": "1", "Member day": "1"}
    # R2 came twice (care class, open day): the one repeat attendee
    assert tiles["repeat_attendees"] == "1"
    repeat = {row[0]: row[1] for row in view.repeat.table_rows()}
    assert repeat["2 events"] == "1"
    butlers = {row[0]: row[1:5] for row in view.butlers.texts()}
    # 王管家: 5 lines for the open day + 3 owners (R4, R5, REF) for the member day; the 5
    # open-day calls are made, 4 registered and all 4 came
    assert butlers["王管家"] == ["8", "5", "4", "4"]
    assert butlers["李管家"] == ["0", "0", "2", "1"]


def test_community_leaderboard_and_converted_prospects(
    qtbot: QtBot, page: ReportsPage, quarter: Quarter
) -> None:
    open_community(qtbot, page)
    view = page.community
    board = {row[0]: row for row in view.leaderboard.texts()}
    assert board["孙丽"][3:5] == ["2", "1"]  # REF: two referrals, one came
    assert board["陈静"][1] == "Yes"  # R5 is the club's KOL
    converted = [row[0] for row in view.converted.texts()]
    assert "张强" in converted  # R3: prospect at the open day, member three days later


def test_the_community_report_says_it_counts_only_events_held_so_far(
    qtbot: QtBot, page: ReportsPage, quarter: Quarter, clock: Clock
) -> None:
    clock.set(local(2026, 3, 8, 9))  # the member day of 03-09 has not started yet
    open_community(qtbot, page)
    view = page.community
    tiles = view.tiles.values()
    assert (tiles["events"], tiles["cancelled_events"]) == ("2", "1")
    assert view.scope.text() == (
        "Only events that have started by now are counted. "
        "1 event(s) of this period still to come are left out."
    )


def test_an_empty_period_says_so(qtbot: QtBot, page: ReportsPage, quarter: Quarter) -> None:
    page.show_community()
    view = page.community
    view.set_range(date(2025, 1, 1), date(2025, 3, 31))
    qtbot.waitUntil(lambda: view.report is not None and view.report.date_from.year == 2025)
    assert "No events in this period" in view.heading.text()
    assert view.trend.showing() == "empty"
    # no referrals in 2025; the club's KOL stays on the board with zeros
    assert view.leaderboard.texts() == [["陈静", "Yes", "沪上车友会", "0", "0", "0"]]


def test_no_shows_are_assigned_to_a_butlers_call_list(
    qtbot: QtBot, page: ReportsPage, quarter: Quarter, ctx: AppContext
) -> None:
    page.show_followup()
    view = page.followup
    view.show_list("no_shows", event_id=quarter.a)
    qtbot.waitUntil(lambda: view.current is not None and view.current.event_id == quarter.a)
    names = sorted(r.name for r in view.current.rows)
    assert names == sorted(["杨磊", "赵敏", "黄勇", "吴芳"])  # R6, R7, R8, R10
    assert not view.assign_button.isEnabled()
    view.select_names(["赵敏", "黄勇"])
    assert view.assign_button.isEnabled()
    view.ask_assignment = lambda count: (quarter.li, quarter.d, "三月未到场")  # type: ignore[method-assign]
    with qtbot.waitSignal(view.assigned, timeout=5000) as done:
        qtbot.mouseClick(view.assign_button, Qt.MouseButton.LeftButton)
    assert done.args[0].created == 2
    lines = {
        r.person_id: r
        for r in invitations.list_invitations(ctx.db, quarter.d)
        if r.note == "三月未到场"
    }
    assert set(lines) == {quarter.p["R7"], quarter.p["R8"]}
    assert {r.butler_name for r in lines.values()} == {"李管家"}
    assert "2 added" in view.message.text()


def test_walk_ins_who_want_a_test_drive_are_exported(
    qtbot: QtBot, page: ReportsPage, quarter: Quarter, tmp_path: Path
) -> None:
    page.show_followup()
    view = page.followup
    view.show_list("test_drive", event_id=quarter.a)
    qtbot.waitUntil(lambda: view.current is not None and view.current.kind == "test_drive")
    assert [(r.name, r.interest_model) for r in view.current.rows] == [("钱多多", "ET5")]
    out = tmp_path / "test-drives.xlsx"
    view.ask_export_path = lambda suggested: str(out)  # type: ignore[method-assign]
    qtbot.mouseClick(view.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Saved" in view.message.text(), timeout=10000)
    sheet = openpyxl.load_workbook(out).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0][0] == "Name" and values[1][0] == "钱多多"


@pytest.mark.parametrize("fmt", ["xlsx", "pdf"])
def test_the_event_report_exports_off_the_ui_thread(
    qtbot: QtBot, page: ReportsPage, quarter: Quarter, tmp_path: Path, fmt: str
) -> None:
    open_event(qtbot, page, quarter.a)
    bar: ExportBar = page.event_report.exports
    asked: list[str] = []

    def ask(f: str, suggested: str) -> str:
        asked.append(suggested)
        return str(tmp_path / suggested)

    bar.ask_path = ask  # type: ignore[method-assign]
    with qtbot.waitSignal(bar.exported, timeout=20000) as done:
        qtbot.mouseClick(bar.pdf if fmt == "pdf" else bar.xlsx, Qt.MouseButton.LeftButton)
    path = Path(done.args[0])
    assert asked == [f"20260307-三月开放日.{fmt}"]
    assert path.exists() and path.stat().st_size > 1000
    if fmt == "pdf":
        assert path.read_bytes().startswith(b"%PDF")
    else:
        wb = openpyxl.load_workbook(path)
        assert any(ws._charts for ws in wb.worksheets)  # native Excel charts, not pictures
    assert bar.xlsx.isEnabled() and "Saved" in page.event_report.message.text()


def test_the_community_report_exports_to_xlsx(
    qtbot: QtBot, page: ReportsPage, quarter: Quarter, tmp_path: Path
) -> None:
    open_community(qtbot, page)
    bar = page.community.exports
    bar.ask_path = lambda f, suggested: str(tmp_path / suggested)  # type: ignore[method-assign]
    with qtbot.waitSignal(bar.exported, timeout=20000) as done:
        qtbot.mouseClick(bar.xlsx, Qt.MouseButton.LeftButton)
    assert Path(done.args[0]).name == "community-20260101-20260331.xlsx"
    assert Path(done.args[0]).exists()


# --------------------------------------------------------------------------- desk feedback


def test_the_desk_feedback_form_is_filled_with_the_keyboard_only(
    qtbot: QtBot, ctx: AppContext, quarter: Quarter
) -> None:
    parent = ReportsPage(ctx)
    qtbot.addWidget(parent)
    saved: list[object] = []
    form = open_feedback_form(parent, ctx, quarter.r["R5"], "陈静", on_saved=saved.append)
    assert isinstance(form, FeedbackForm)
    qtbot.waitExposed(form)
    qtbot.keyClick(form.rating, Qt.Key.Key_4)  # rating 4 → the NPS row takes the keys
    assert form.rating.value == 4 and form.focusWidget() is form.nps
    qtbot.keyClick(form.nps, Qt.Key.Key_1)
    qtbot.keyClick(form.nps, Qt.Key.Key_0)  # "1" then "0" → 10
    assert form.nps.value == 10
    qtbot.keyClick(form.nps, Qt.Key.Key_Tab)
    qtbot.keyClicks(form.comment, "coffee was great")
    qtbot.keyClick(form.comment, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(saved), timeout=5000)
    answers = [
        (f.rating, f.nps, f.comment)
        for f in feedback.list_feedback(ctx.db, quarter.a)
        if f.registration_id == quarter.r["R5"]
    ]
    assert answers == [(4, 10, "coffee was great")]


def test_the_feedback_form_refuses_to_save_nothing(
    qtbot: QtBot, ctx: AppContext, quarter: Quarter
) -> None:
    form = FeedbackForm(ctx, quarter.r["R9"], "周杰")
    qtbot.addWidget(form)
    form.show()
    qtbot.keyClick(form.rating, Qt.Key.Key_Return)
    assert "Pick a rating" in form.error.text()
    qtbot.keyClick(form.rating, Qt.Key.Key_Right)  # arrows work too: first press → 1
    qtbot.keyClick(form.rating, Qt.Key.Key_Right)
    assert form.rating.value == 2
    qtbot.keyClick(form.rating, Qt.Key.Key_9)  # out of range on a 1–5 scale: ignored
    assert form.rating.value == 2


# --------------------------------------------------------------------------- charts


def test_count_axes_use_whole_numbers() -> None:
    assert nice_max(3) == (3, 4)
    assert nice_max(7) == (8, 5)  # 0, 2, 4, 6, 8
    assert nice_max(221) == (250, 6)


def test_long_time_axes_label_only_what_fits(qtbot: QtBot, page: ReportsPage) -> None:
    from ui.widgets.charts import ArrivalCurveCard, Point

    card = ArrivalCurveCard()
    qtbot.addWidget(card)
    card.resize(420, 300)
    card.show()
    points = [Point(f"{9 + i // 6:02d}:{i % 6 * 10:02d}", (i % 7,)) for i in range(48)]
    card.set_points(points)
    qtbot.waitUntil(lambda: card.sparse is not None and len(card.sparse.categoriesLabels()) > 0)
    shown = len(card.sparse.categoriesLabels())
    assert 2 <= shown < 12  # eight hours in 420 px: a handful of labels, never 48
    assert isinstance(card, ChartCard) and card.showing() == "chart"


def test_the_event_report_opens_on_the_latest_event_held_not_a_cancelled_one(
    qtbot: QtBot, ctx: AppContext, quarter: Quarter, clock: Clock
) -> None:
    clock.set(local(2026, 3, 21, 9))  # the day after event C, which was cancelled
    p = ReportsPage(ctx)
    qtbot.addWidget(p)
    p.show()
    view = p.event_report
    qtbot.waitUntil(lambda: view.report is not None)
    assert view.report.event_id == quarter.d  # the member day of 03-09, the latest held
