"""At the desk, keyboard only: a required desk question is asked in the result panel before
the check-in completes (nothing written until answered); the gift to hand over is shown
and G confirms it; a pending applicant found by search is approved and admitted with P."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from desktop_app.services import events, gifts, questions
from desktop_app.services import registration as reg
from desktop_app.services.gifts import GiftDraft
from desktop_app.services.questions import QuestionDraft
from desktop_app.store.db import Database
from desktop_app.store.models import ScanLog
from tests.ui.desk_support import make_event, register, scan_keys
from tests.ui.helpers import app_context
from tests.ui.test_checkin_desk import open_desk


def keys(qtbot: QtBot, desk: Any, *presses: Any) -> None:
    """A person pressing keys on the desk (slowly: the scanner filter hands them on)."""
    for k in presses:
        desk.clock.advance(0.2)
        qtbot.keyClick(desk.view.panel, k)
    desk.clock.advance(0.3)


def scanned(qtbot: QtBot, desk: Any, code: str) -> Any:
    before = desk.view.panel.serial
    scan_keys(qtbot, desk.view.panel, code, desk.clock)
    qtbot.waitUntil(lambda: desk.view.panel.serial > before)
    qtbot.waitUntil(lambda: desk.view.in_flight == 0)
    return desk.view.last_outcome


@pytest.fixture
def meetup(dealer_sqlite: Database) -> Any:
    ev = make_event(dealer_sqlite, "车主同城会", points=0)
    questions.add_question(
        dealer_sqlite,
        ev,
        QuestionDraft("size", "衣服尺码", "choice", ("S", "M", "L"), True, False, True),
    )
    questions.add_question(
        dealer_sqlite, ev, QuestionDraft("licence", "驾照已查验", "yes_no", (), True, False, True)
    )
    gifts.add_gift(dealer_sqlite, ev, GiftDraft("签到礼", 3, "per_person", cost="20"))
    return ev


def test_a_required_desk_question_is_asked_keyboard_only_before_the_check_in(
    qtbot: QtBot, dealer_sqlite: Database, meetup: Any, tmp_path: Path
) -> None:
    li = register(dealer_sqlite, meetup, "李娜", "13800138000", party_size=2)
    with app_context(dealer_sqlite, tmp_path) as ctx:
        desk = open_desk(qtbot, ctx, [meetup])
        o = scanned(qtbot, desk, li.code)
        assert o.result == "needs_answers"
        panel = desk.view.panel.text()
        assert "衣服尺码 *" in panel and "1 S" in panel and "2 M" in panel
        with dealer_sqlite.read() as s:
            assert s.scalar(select(func.count()).select_from(ScanLog)) == 0, "nothing written"
        keys(qtbot, desk, Qt.Key.Key_2)  # M
        qtbot.waitUntil(lambda: "驾照已查验" in desk.view.panel.text())
        assert "Y = Yes" in desk.view.panel.text()
        keys(qtbot, desk, Qt.Key.Key_Y)
        qtbot.waitUntil(lambda: desk.view.last_outcome.result == "accepted")
        text = desk.view.panel.text()
        assert "李娜" in text
        assert "Hand over: 签到礼 × 2" in text and "only 1 left after this" in text
        assert "Press G when handed" in text
        keys(qtbot, desk, Qt.Key.Key_G)
        qtbot.waitUntil(lambda: "handed (1 left)" in desk.view.panel.text())
        desk.view.close()
    (v,) = reg.list_registrations(dealer_sqlite, meetup)
    assert v.checked_in and v.answers == {"size": "M", "licence": True}
    with dealer_sqlite.read() as s:
        assert s.scalars(select(ScanLog.answers)).one() == {"size": "M", "licence": True}
    assert gifts.list_gifts(dealer_sqlite, meetup)[0].handed == 2


def test_esc_gives_up_the_question_and_nothing_is_written(
    qtbot: QtBot, dealer_sqlite: Database, meetup: Any, tmp_path: Path
) -> None:
    li = register(dealer_sqlite, meetup, "李娜", "13800138000")
    with app_context(dealer_sqlite, tmp_path) as ctx:
        desk = open_desk(qtbot, ctx, [meetup])
        assert scanned(qtbot, desk, li.code).result == "needs_answers"
        keys(qtbot, desk, Qt.Key.Key_Escape)
        qtbot.waitUntil(lambda: "Check-in not finished" in desk.view.panel.text())
        assert desk.view.isVisible(), "Esc gave up the question, it did not leave the desk"
        desk.view.close()
    (v,) = reg.list_registrations(dealer_sqlite, meetup)
    assert not v.checked_in and v.answers == {}


def test_no_gift_left_is_said_not_hidden(
    qtbot: QtBot, dealer_sqlite: Database, tmp_path: Path
) -> None:
    ev = make_event(dealer_sqlite, "开放日", points=0)
    gifts.add_gift(dealer_sqlite, ev, GiftDraft("伴手礼", 1))
    a = register(dealer_sqlite, ev, "王芳", "13900001111")
    b = register(dealer_sqlite, ev, "赵磊", "13900002222")
    with app_context(dealer_sqlite, tmp_path) as ctx:
        desk = open_desk(qtbot, ctx, [ev])
        assert scanned(qtbot, desk, a.code).result == "accepted"
        keys(qtbot, desk, Qt.Key.Key_G)
        qtbot.waitUntil(lambda: "handed (0 left)" in desk.view.panel.text())
        assert scanned(qtbot, desk, b.code).result == "accepted"
        assert "No gift left: 伴手礼" in desk.view.panel.text()
        assert "Press G" not in desk.view.panel.text()
        desk.view.close()


def test_a_pending_applicant_is_approved_and_admitted_with_p(
    qtbot: QtBot, dealer_sqlite: Database, tmp_path: Path
) -> None:
    ev = make_event(dealer_sqlite, "邀请制车主会", points=0, capacity=1)
    draft = events.get_event(dealer_sqlite, ev).draft()
    events.update_event(dealer_sqlite, ev, replace(draft, requires_approval=True))
    first = reg.register(dealer_sqlite, ev, phone="13800000001", name="先到")
    from desktop_app.services import approval

    approval.approve(dealer_sqlite, [first.id])
    late = reg.register(dealer_sqlite, ev, phone="13800000002", name="后来")
    with app_context(dealer_sqlite, tmp_path) as ctx:
        desk = open_desk(qtbot, ctx, [ev])
        desk.view.process_code(str(late.id))  # as Enter on a search result does
        qtbot.waitUntil(lambda: desk.view.last_outcome is not None)
        assert desk.view.last_outcome.result == "pending"
        assert "Press P to approve and admit" in desk.view.panel.text()
        desk.answers.append(True)  # "the event is full: approve and admit anyway?" → yes
        keys(qtbot, desk, Qt.Key.Key_P)
        qtbot.waitUntil(lambda: desk.view.last_outcome.result == "accepted")
        assert any("full" in a for a in desk.asked)
        desk.view.close()
    status = {v.name: (v.status, v.checked_in) for v in reg.list_registrations(dealer_sqlite, ev)}
    assert status["后来"] == ("attended", True)


def test_a_walk_in_at_an_invite_only_event_asks_then_enter_approves(
    qtbot: QtBot, dealer_sqlite: Database, tmp_path: Path
) -> None:
    from ui.views.walkin_dialog import WalkinDialog

    ev = make_event(dealer_sqlite, "邀请制车主会", points=0)
    draft = events.get_event(dealer_sqlite, ev).draft()
    view = events.update_event(dealer_sqlite, ev, replace(draft, requires_approval=True))
    with app_context(dealer_sqlite, tmp_path) as ctx:
        dlg = WalkinDialog(ctx, [view], "2", None)
        qtbot.addWidget(dlg)
        done: list[Any] = []
        dlg.checked_in.connect(done.append)
        dlg.show()
        qtbot.keyClicks(dlg.phone, "13912345678")
        qtbot.keyClick(dlg.phone, Qt.Key.Key_Tab)
        qtbot.keyClicks(dlg.name, "Wang Fang")
        qtbot.keyClick(dlg.name, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: "invite-only" in dlg.error.text())
        assert "Press Enter again to approve and admit" in dlg.error.text()
        assert reg.list_registrations(dealer_sqlite, ev) == [], "nothing written yet"
        qtbot.keyClick(dlg.name, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: bool(done))
    assert done[0].result == "accepted"
    (v,) = reg.list_registrations(dealer_sqlite, ev)
    assert v.status == "attended" and v.is_walk_in


def test_undoing_a_check_in_after_the_gift_was_handed_says_to_take_it_back(
    qtbot: QtBot, dealer_sqlite: Database, tmp_path: Path
) -> None:
    """李娜 and her husband were let in and given two 伴手礼 — but the ticket was her
    neighbour's. Ctrl+Z first asks, naming the gifts; "No" leaves everything as it was;
    "Yes" undoes it and the panel tells the clerk to take the two 伴手礼 back."""
    ev = make_event(dealer_sqlite, "开放日", points=0)
    gifts.add_gift(dealer_sqlite, ev, GiftDraft("伴手礼", 10, "per_person"))
    li = register(dealer_sqlite, ev, "李娜", "13800138000", party_size=2)
    with app_context(dealer_sqlite, tmp_path) as ctx:
        desk = open_desk(qtbot, ctx, [ev])
        view = desk.view
        assert scanned(qtbot, desk, li.code).result == "accepted"
        keys(qtbot, desk, Qt.Key.Key_G)
        qtbot.waitUntil(lambda: "伴手礼 × 2 handed (8 left)" in view.panel.text())

        desk.answers.append(False)  # "No": not now
        qtbot.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(lambda: len(desk.asked) == 1)
        assert "Undo 李娜's check-in?" in desk.asked[0]
        assert "Take back from the guest: 伴手礼 × 2" in desk.asked[0]
        assert reg.list_registrations(dealer_sqlite, ev)[0].checked_in, "nothing undone"

        desk.answers.append(True)
        qtbot.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(lambda: "Check-in undone" in view.panel.text())
        text = view.panel.text()
        assert "Take back from the guest: 伴手礼 × 2" in text
        assert view.panel.cls == "warning", "amber: something still to do"
        assert view.extras.gift_line.isVisible()
        view.close()
    assert not reg.list_registrations(dealer_sqlite, ev)[0].checked_in
    assert gifts.list_gifts(dealer_sqlite, ev)[0].left == 10, "back in stock"


def test_undoing_a_check_in_with_no_gift_handed_asks_nothing(
    qtbot: QtBot, dealer_sqlite: Database, tmp_path: Path
) -> None:
    """The gift was not handed yet (G not pressed): Ctrl+Z undoes at once, as before."""
    ev = make_event(dealer_sqlite, "开放日", points=0)
    gifts.add_gift(dealer_sqlite, ev, GiftDraft("伴手礼", 10))
    li = register(dealer_sqlite, ev, "李娜", "13800138000")
    with app_context(dealer_sqlite, tmp_path) as ctx:
        desk = open_desk(qtbot, ctx, [ev])
        assert scanned(qtbot, desk, li.code).result == "accepted"
        qtbot.keyClick(desk.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(lambda: "Check-in undone" in desk.view.panel.text())
        assert desk.asked == [] and "Take back" not in desk.view.panel.text()
        keys(qtbot, desk, Qt.Key.Key_G)  # the undone guest's gift is no longer handed
        qtbot.waitUntil(lambda: desk.view.in_flight == 0)
        desk.view.close()
    assert gifts.list_gifts(dealer_sqlite, ev)[0].left == 10
