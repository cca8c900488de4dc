"""Today says how many applications await approval (a double-click opens them); a butler's
call list names their people awaiting approval; the event report charts the answers and
lists the gifts handed with their cost."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pytestqt.qtbot import QtBot

from desktop_app.services import approval, checkin, gifts, invitations, staff
from desktop_app.services import registration as reg
from desktop_app.services.gifts import GiftDraft
from desktop_app.store.db import Database
from desktop_app.store.models import Person
from tests.ui.helpers import app_context
from tests.ui.test_attendees_approval import apply, meetup
from ui.views.call_lists import CallListsPage
from ui.views.event_report import EventReportView
from ui.views.today import TodayPage


def test_today_says_how_many_await_approval_and_opens_them(
    qtbot: QtBot, dealer_sqlite: Database, tmp_path: Path
) -> None:
    ev = meetup(dealer_sqlite)
    apply(dealer_sqlite, ev, 3)
    with app_context(dealer_sqlite, tmp_path) as ctx:
        page = TodayPage(ctx)
        qtbot.addWidget(page)
        qtbot.waitUntil(lambda: page.overview is not None)
        assert page.pending_label.text() == "3 awaiting approval"
        assert page.pending_label.isVisibleTo(page)
        (line,) = page.approval_box.texts()
        assert "同城车主会" in line and "3 awaiting approval" in line
        page._open_pending(page.approval_box.list.item(0))
        opened = [w for w in page.findChildren(object) if hasattr(w, "panel")]
        assert opened and opened[-1].panel.model.rowCount() == 3
        assert {r.status for r in opened[-1].panel.model.rows} == {"pending"}


def test_a_butler_sees_their_people_awaiting_approval(
    qtbot: QtBot, dealer_sqlite: Database, tmp_path: Path
) -> None:
    ev = meetup(dealer_sqlite)
    apply(dealer_sqlite, ev, 2)
    butler = staff.create_staff(dealer_sqlite, "张管家")
    mine = reg.list_registrations(dealer_sqlite, ev)[0]
    with dealer_sqlite.write() as s:
        s.get(Person, mine.person_id).butler_id = butler.id
    invitations.build_call_lists(dealer_sqlite, ev, invitations.Segment(stages=("prospect",)))
    with app_context(dealer_sqlite, tmp_path) as ctx:
        page = CallListsPage(ctx)
        qtbot.addWidget(page)
        at = [i for i in range(page.butler.count()) if page.butler.itemData(i) == butler.id]
        page.butler.setCurrentIndex(at[0])  # findData compares UUIDs by identity
        assert page.pending_label.isVisibleTo(page)
        assert mine.name in page.pending_label.text()
        assert "Awaiting approval (1)" in page.pending_label.text()


def test_the_event_report_charts_answers_and_lists_gifts(
    qtbot: QtBot, dealer_sqlite: Database, tmp_path: Path
) -> None:
    ev = meetup(dealer_sqlite, capacity=10)
    apply(dealer_sqlite, ev, 3)
    approval.approve(dealer_sqlite, [v.id for v in reg.list_registrations(dealer_sqlite, ev)])
    gifts.add_gift(dealer_sqlite, ev, GiftDraft("签到礼", 10, cost="30"))
    first = reg.list_registrations(dealer_sqlite, ev)[0]
    out = checkin.scan(
        dealer_sqlite,
        ev,
        first.ticket_code or "",
        desk="A",
        answers={"size": "M"},
        override_window=True,
    )
    assert out.accepted
    gifts.hand(dealer_sqlite, first.id)
    with app_context(dealer_sqlite, tmp_path) as ctx:
        view = EventReportView(ctx)
        qtbot.addWidget(view)
        view.show_event(ev)
        qtbot.waitUntil(lambda: view.report is not None and view.report.event_id == ev)
        extras: Any = view.extras
        titles = [c.title.text() for c in extras.cards]
        assert titles == ["午餐需要吗", "衣服尺码"]
        lunch = extras.cards[0].table_rows()
        assert lunch == [["Yes", "1"], ["No", "2"]]
        assert extras.gifts.item(0, 0).text() == "签到礼"
        assert extras.gifts.item(0, 2).text() == "1" and "30" in extras.gifts.item(0, 5).text()
        assert "incl. gifts" in view.tiles.tiles["cost_per_attendee"].hint.text()


def test_the_follow_up_list_of_who_answered_so(
    qtbot: QtBot, dealer_sqlite: Database, tmp_path: Path
) -> None:
    from ui.views.followup import FollowupView

    ev = meetup(dealer_sqlite, capacity=10)
    apply(dealer_sqlite, ev, 4)  # 申请人1 and 申请人3 want lunch
    approval.approve(dealer_sqlite, [v.id for v in reg.list_registrations(dealer_sqlite, ev)])
    with app_context(dealer_sqlite, tmp_path) as ctx:
        view = FollowupView(ctx, load_now=False)
        qtbot.addWidget(view)
        view.show_list("answered", event_id=ev)
        assert "test_drive=yes" in view.message.text(), "it says what to type"
        view.answer.setText("lunch=是")
        with qtbot.waitSignal(view.loaded, timeout=5000):
            view.load()
        assert sorted(r.name for r in view.model.rows) == ["申请人1", "申请人3"]
