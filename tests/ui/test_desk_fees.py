"""At the drive's meeting point the desk says who still owes their share: "还需缴纳 ¥180"."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from desktop_app.services import fees
from desktop_app.store.db import Database
from tests.ui.desk_support import make_event, register
from tests.ui.helpers import app_context
from tests.ui.test_checkin_desk import open_desk, scan


def test_an_accepted_check_in_with_money_owed_says_how_much(
    qtbot: QtBot, dealer_sqlite: Database, tmp_path: Path
) -> None:
    db = dealer_sqlite
    ev = make_event(db, "莫干山自驾", kind="club_drive", details={"max_cars": 10})
    wang = register(db, ev, "王磊", "13800000001", plate="沪A12345")
    li = register(db, ev, "李娜", "13800000002", plate="沪B23456")
    fees.add_cost_item(db, ev, "油费", "360", "car")  # 180 a car
    fees.record_payment(db, li.registration_id, "180", "wechat")
    with app_context(db, tmp_path) as ctx:
        desk = open_desk(qtbot, ctx, [ev])
        try:
            out = scan(qtbot, desk, wang.code)
            assert out.result == "accepted" and out.outstanding_cents == 18000
            assert desk.view.owed_line.text() == "Still to pay ¥180"
            assert "Still to pay ¥180" in desk.view.panel.text()
            paid = scan(qtbot, desk, li.code)
            assert paid.outstanding_cents == 0
            assert "to pay" not in desk.view.panel.text()
        finally:
            desk.view.close()
