"""A walk-in at the door is registered and checked in with the keyboard alone, in seconds."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from desktop_app.services import checkin, events, registration
from desktop_app.store.db import Database
from desktop_app.store.models import Person, Registration
from tests.ui.desk_support import make_event
from tests.ui.helpers import app_context
from ui.views.walkin_dialog import WalkinDialog


@pytest.fixture
def setup(
    qtbot: QtBot, dealer_sqlite: Database, tmp_path: Path
) -> Iterator[tuple[WalkinDialog, Any, list]]:
    ev = make_event(dealer_sqlite, "冬季开放日")
    registration.register(dealer_sqlite, ev, phone="13800138000", name="李娜")
    with app_context(dealer_sqlite, tmp_path) as ctx:
        dlg, done = open_dialog(qtbot, ctx, dealer_sqlite, ev)
        yield dlg, ev, done


def open_dialog(qtbot: QtBot, ctx: Any, db: Database, ev: Any) -> tuple[WalkinDialog, list]:
    """The desk's walk-in dialog for `ev`, shown, the phone field focused; `done` collects
    the outcomes it checks in."""
    dlg = WalkinDialog(ctx, [events.get_event(db, ev)], "2", None)
    done: list = []
    dlg.checked_in.connect(done.append)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    dlg.phone.setFocus()
    return dlg, done


def person(db: Database, phone: str) -> Person | None:
    with db.read() as s:
        return s.scalars(select(Person).where(Person.phone == phone)).first()


def test_a_new_walk_in_is_done_with_the_keyboard_alone_in_under_15_seconds(
    qtbot: QtBot, setup: tuple[WalkinDialog, Any, list], dealer_sqlite: Database
) -> None:
    dlg, ev, done = setup
    started = time.monotonic()
    qtbot.keyClicks(dlg.phone, "13912345678")
    qtbot.keyClick(dlg.phone, Qt.Key.Key_Tab)
    qtbot.keyClicks(dlg.name, "Wang Fang")
    qtbot.keyClick(dlg.name, Qt.Key.Key_Tab)
    qtbot.keyClicks(dlg.model.lineEdit(), "S7")
    qtbot.keyClick(dlg.model, Qt.Key.Key_Tab)
    qtbot.keyClick(dlg.test_drive, Qt.Key.Key_Space)
    qtbot.keyClick(dlg.test_drive, Qt.Key.Key_Tab)
    qtbot.keyClick(dlg.consent, Qt.Key.Key_Space)
    qtbot.keyClick(dlg.consent, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(done))
    assert time.monotonic() - started < 15
    [outcome] = done
    assert outcome.result == "accepted" and outcome.name == "Wang Fang" and outcome.is_walk_in
    assert not dlg.isVisible()
    p = person(dealer_sqlite, "+8613912345678")
    assert p is not None and p.consent_marketing_at is not None
    with dealer_sqlite.read() as s:
        r = s.scalars(select(Registration).where(Registration.person_id == p.id)).one()
        assert (r.is_walk_in, r.interest_model, r.wants_test_drive) == (True, "S7", True)
    assert checkin.desk_counts(dealer_sqlite, ev).walk_ins == 1


def test_a_known_phone_shows_the_person_as_you_type_and_checks_them_in(
    qtbot: QtBot, setup: tuple[WalkinDialog, Any, list]
) -> None:
    dlg, _ev, done = setup
    qtbot.keyClicks(dlg.phone, "1380013")
    qtbot.waitUntil(lambda: "李娜" in dlg.found.text())
    assert "registered for this event" in dlg.found.text()
    qtbot.keyClicks(dlg.phone, "8000")
    qtbot.waitUntil(lambda: not dlg.name.isEnabled())
    assert dlg.name.text() == "李娜"
    qtbot.keyClick(dlg.phone, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(done))
    assert done[0].result == "accepted" and done[0].name == "李娜"
    assert not done[0].is_walk_in, "she had registered: checked in on her registration"


def test_a_bad_phone_keeps_the_dialog_open_and_says_why(
    qtbot: QtBot, setup: tuple[WalkinDialog, Any, list]
) -> None:
    dlg, _ev, done = setup
    qtbot.keyClicks(dlg.phone, "12")
    qtbot.keyClick(dlg.phone, Qt.Key.Key_Tab)
    qtbot.keyClicks(dlg.name, "Zhao")
    qtbot.keyClick(dlg.name, Qt.Key.Key_Return)
    qtbot.waitUntil(dlg.error.isVisible)
    assert dlg.isVisible() and not done and dlg.error.text()
    assert dlg.ok.isEnabled(), "staff can correct the phone and press Enter again"


def test_a_new_person_without_a_name_is_refused(
    qtbot: QtBot, setup: tuple[WalkinDialog, Any, list]
) -> None:
    dlg, _ev, done = setup
    qtbot.keyClicks(dlg.phone, "13700001234")
    qtbot.keyClick(dlg.phone, Qt.Key.Key_Return)
    qtbot.waitUntil(dlg.error.isVisible)
    assert dlg.isVisible() and not done and dlg.error.text()


def test_the_model_typed_is_offered_again_next_time(
    qtbot: QtBot, setup: tuple[WalkinDialog, Any, list], dealer_sqlite: Database
) -> None:
    dlg, ev, done = setup
    qtbot.keyClicks(dlg.phone, "13912345670")
    dlg.name.setText("钱多多")
    dlg.model.setEditText("星辰 S7")
    qtbot.keyClick(dlg.name, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(done))
    again = WalkinDialog(dlg.ctx, [events.get_event(dealer_sqlite, ev)], "2", None)
    qtbot.addWidget(again)
    assert again.model.findText("星辰 S7") >= 0


def test_a_walk_in_for_an_event_not_open_yet_comes_in_and_says_it_was_outside_the_window(
    qtbot: QtBot, dealer_sqlite: Database, tmp_path: Path
) -> None:
    from datetime import timedelta

    from desktop_app.domain.timeutil import now_utc

    ev = make_event(dealer_sqlite, "明日车友会", starts_at=now_utc() + timedelta(days=1))
    with app_context(dealer_sqlite, tmp_path) as ctx:
        dlg, done = open_dialog(qtbot, ctx, dealer_sqlite, ev)
        qtbot.keyClicks(dlg.phone, "13700001234")
        qtbot.keyClick(dlg.phone, Qt.Key.Key_Tab)
        qtbot.keyClicks(dlg.name, "Zhao Lei")
        qtbot.keyClick(dlg.name, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: bool(done))
        assert done[0].result == "accepted" and done[0].is_walk_in
        assert "outside the check-in window" in done[0].notes
