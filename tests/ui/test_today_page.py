"""The Today page as the manager sees it first thing: the open day's live counts, the coming
week, call lists behind schedule and owners to invite — on a quarter built through the
real services (tests/reports_support.py), whose answers are known."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop_app.services import walkin
from desktop_app.store.db import Database
from tests.reports_support import Clock, Quarter, build_quarter, local
from tests.ui.helpers import app_context
from tests.ui.test_checkin_desk import open_desk
from ui.context import AppContext
from ui.main_window import MainWindow
from ui.views.reports import ReportsPage
from ui.views.today import TodayPage

EVENING_OF_A = local(2026, 3, 7, 18, 30)  # open day A is over; member day D is in 2 days


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    return Clock(monkeypatch)


@pytest.fixture
def quarter(dealer_sqlite: Database, clock: Clock) -> Quarter:
    return build_quarter(dealer_sqlite, clock)


@pytest.fixture
def ctx(dealer_sqlite: Database, tmp_path: Path) -> Iterator[AppContext]:
    with app_context(dealer_sqlite, tmp_path) as c:
        yield c


def open_today(qtbot: QtBot, ctx: AppContext, at: datetime = EVENING_OF_A) -> TodayPage:
    page = TodayPage(ctx, clock=lambda: at)
    qtbot.addWidget(page)
    page.resize(1186, 740)
    page.show()
    qtbot.waitUntil(lambda: page.overview is not None)
    return page


def test_the_open_day_card_shows_registered_arrived_and_walk_ins(
    qtbot: QtBot, ctx: AppContext, quarter: Quarter
) -> None:
    page = open_today(qtbot, ctx)
    cards = page.today_cards.cards
    assert [c.event_id for c in cards] == [quarter.a]
    assert cards[0].values == {"registered": 10, "arrived": 8, "walk_ins": 2}
    assert "三月开放日" in cards[0].accessibleName()
    assert cards[0].when.text().startswith("14:00–18:00")
    assert page.date_label.text() == "2026-03-07"


def test_the_coming_week_and_the_calls_still_to_make(
    qtbot: QtBot, ctx: AppContext, quarter: Quarter
) -> None:
    page = open_today(qtbot, ctx)
    assert [c.event_id for c in page.week_cards.cards] == [quarter.d]
    calls = page.calls_box.texts()
    assert calls and all("会员日" in line and "still to call" in line for line in calls)
    opened = page.open_box.texts()
    assert any("会员日" in line for line in opened)


def test_owners_with_a_birthday_or_anniversary_are_suggested_an_event(
    qtbot: QtBot, ctx: AppContext, quarter: Quarter
) -> None:
    page = open_today(qtbot, ctx)
    lines = page.occasions_box.texts()
    assert any(line.startswith("刘洋: birthday on 03-12") for line in lines), lines
    assert any("杨磊: 2 years with the ES6 on 03-15" in line for line in lines), lines
    assert all("invite to 会员日" in line for line in lines), lines


def test_counts_refresh_by_themselves_when_someone_walks_in(
    qtbot: QtBot, ctx: AppContext, quarter: Quarter, clock: Clock
) -> None:
    page = open_today(qtbot, ctx, at=local(2026, 3, 7, 15))
    assert page.today_cards.cards[0].values["walk_ins"] == 2
    clock.set(local(2026, 3, 7, 15, 5))
    walkin.walkin(ctx.db, quarter.a, "13600136099", "冯晓", desk="D2", now=clock.now)
    page.timer.setInterval(50)  # the page's 10-second timer, shortened for the test
    page.timer.start()
    qtbot.waitUntil(lambda: page.today_cards.cards[0].values["walk_ins"] == 3, timeout=5000)
    assert page.today_cards.cards[0].values["arrived"] == 9


def test_the_desk_and_the_today_page_show_the_same_arrivals_for_an_event_with_walk_ins(
    qtbot: QtBot, ctx: AppContext, quarter: Quarter
) -> None:
    page = open_today(qtbot, ctx, at=local(2026, 3, 7, 15))
    card = page.today_cards.cards[0]
    desk = open_desk(qtbot, ctx, [quarter.a])
    try:
        qtbot.waitUntil(lambda: desk.view.counters.values()["arrived"] == 8)
        shown = desk.view.counters.values()
        assert (shown["expected"], shown["arrived"], shown["walk_ins"]) == (10, 8, 2)
        assert card.values == {"registered": 10, "arrived": 8, "walk_ins": 2}
        # the same words under the numbers, and what they leave out said on the card
        assert desk.view.counters.walk_ins.caption.text() == "of whom walk-ins"
        assert "of whom walk-ins 2" in card.accessibleName()
        assert shown["still_to_come"] == 4  # 10 expected, 6 of them in
    finally:
        desk.view.close()


def test_a_new_database_says_how_to_start(qtbot: QtBot, ctx: AppContext) -> None:
    page = open_today(qtbot, ctx)
    assert page.body.currentIndex() == 1
    assert "Plan and publish your first event" in page.empty.text()
    assert page.go_events.isVisible()


def test_clicking_an_event_card_opens_its_report(
    qtbot: QtBot, ctx: AppContext, quarter: Quarter, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("ui.views.today.now_utc", lambda: EVENING_OF_A)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    today = window.show_page("today")
    assert isinstance(today, TodayPage)
    qtbot.waitUntil(lambda: today.overview is not None and bool(today.today_cards.cards))
    card = today.today_cards.cards[0]
    with qtbot.waitSignal(today.event_opened) as opened:
        qtbot.mouseClick(card, Qt.MouseButton.LeftButton)
    assert opened.args == [quarter.a]
    reports = window.pages["reports"]
    assert isinstance(reports, ReportsPage)
    assert window.stack.currentWidget() is reports
    view = reports.event_report
    qtbot.waitUntil(lambda: view.report is not None and view.report.event_id == quarter.a)
    assert view.heading.text() == "三月开放日"
