"""After an online event the coordinator imports the participants export from the Check-in
page. Picking last month's file is caught before anything is saved; they can still import
it when they mean to."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from desktop_app.domain.timeutil import zone
from desktop_app.store.db import Database
from desktop_app.store.models import OnlineAttendance
from tests.checkin_support import make_event, register
from tests.ui.helpers import app_context
from ui.context import AppContext
from ui.views.checkin import CheckinPage
from ui.views.online_attendance import OnlineAttendanceDialog

FIX = Path(__file__).parents[1] / "fixtures" / "attendance"
NOVEMBER_EXPORT = FIX / "real_zoom_cn_participants.csv"  # 2026-11-03, past midnight
TZ = zone("Asia/Shanghai")


def member_day(db: Database, starts: datetime) -> str:
    ev = make_event(
        db, "十二月会员日直播", starts_at=starts, hours=2, format="online", type="member_day"
    )
    register(db, ev, "李娜", "+8613912345678")
    register(db, ev, "王芳", "+8618611112222")
    return str(ev)


def stored_rows(db: Database) -> int:
    with db.read() as s:
        return s.scalar(select(func.count()).select_from(OnlineAttendance)) or 0


@pytest.fixture
def ctx(dealer_sqlite: Database, tmp_path: Path) -> Iterator[AppContext]:
    with app_context(dealer_sqlite, tmp_path) as c:
        yield c


def dialog_for(qtbot: QtBot, ctx: AppContext, event_id: str) -> OnlineAttendanceDialog:
    dlg = OnlineAttendanceDialog(ctx, event_id, "十二月会员日直播")
    qtbot.addWidget(dlg)
    dlg.show()
    return dlg


def choose(monkeypatch: pytest.MonkeyPatch, dlg: OnlineAttendanceDialog, path: Path) -> None:
    monkeypatch.setattr(
        "ui.views.online_attendance.get_open_file_name",
        lambda *a, **k: (str(path), ""),
    )
    dlg.browse()


def test_last_months_export_is_refused_and_can_be_imported_anyway(
    qtbot: QtBot, ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    eid = member_day(ctx.db, datetime(2026, 12, 14, 19, 0, tzinfo=TZ))
    dlg = dialog_for(qtbot, ctx, eid)
    choose(monkeypatch, dlg, NOVEMBER_EXPORT)
    assert not dlg.anyway_button.isVisible()
    qtbot.mouseClick(dlg.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dlg.refusal is not None)
    assert dlg.message.text() == (
        "this export's participants joined on 2026-11-03 … 2026-11-04, but the event "
        "十二月会员日直播 is on 2026-12-14; check you chose the right file"
    )
    assert dlg.anyway_button.isVisible() and stored_rows(ctx.db) == 0
    with qtbot.waitSignal(dlg.imported, timeout=10_000) as done:
        qtbot.mouseClick(dlg.anyway_button, Qt.MouseButton.LeftButton)
    assert done.args[0].attended == 2 and stored_rows(ctx.db) == 8
    assert not dlg.anyway_button.isVisible()
    assert dlg.message.text().startswith("8 participants (1 staff left out): 2 matched")
    shown = dlg.buckets.values  # every row of the file in one bucket, shown
    assert dlg.buckets.isVisible() and shown["staff"] == 1
    assert sum(v for k, v in shown.items() if k not in ("rows", "warnings")) == shown["rows"]
    assert dlg.unmatched.item(0).text().startswith("Staff, left out: ")


def test_choosing_another_file_after_a_refusal_asks_again(
    qtbot: QtBot, ctx: AppContext, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    eid = member_day(ctx.db, datetime(2026, 12, 14, 19, 0, tzinfo=TZ))
    dlg = dialog_for(qtbot, ctx, eid)
    choose(monkeypatch, dlg, NOVEMBER_EXPORT)
    qtbot.mouseClick(dlg.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dlg.anyway_button.isVisible())
    right = tmp_path / "12月14日.csv"
    right.write_text(
        "参会人,手机号,入会时间,离会时间\n李娜,13912345678,2026-12-14 19:00,2026-12-14 20:30\n",
        encoding="utf-8",
    )
    choose(monkeypatch, dlg, right)
    assert not dlg.anyway_button.isVisible(), "the override was for the other file"
    with qtbot.waitSignal(dlg.imported, timeout=10_000) as done:
        qtbot.mouseClick(dlg.import_button, Qt.MouseButton.LeftButton)
    assert done.args[0].attended == 1


def test_a_chinese_desk_reads_the_refusal_in_chinese(
    qtbot: QtBot, dealer_sqlite: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    eid = member_day(dealer_sqlite, datetime(2026, 12, 14, 19, 0, tzinfo=TZ))
    with app_context(dealer_sqlite, tmp_path, language="zh") as zh:
        dlg = dialog_for(qtbot, zh, eid)
        choose(monkeypatch, dlg, FIX / "real_tencent_members.xlsx")
        qtbot.mouseClick(dlg.import_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: dlg.refusal is not None)
        # 陈静 stayed until 00:30, but everyone joined on the 3rd
        assert dlg.message.text() == (
            "此导出文件中的参会者在 2026-11-03 入会，但活动「十二月会员日直播」在 2026-12-14；"
            "请确认选对了文件"
        )


def test_a_sign_in_list_says_what_to_export_and_offers_no_override(
    qtbot: QtBot, ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    eid = member_day(ctx.db, datetime(2026, 11, 3, 21, 0, tzinfo=TZ))
    dlg = dialog_for(qtbot, ctx, eid)
    choose(monkeypatch, dlg, FIX / "real_tencent_signin.xlsx")
    qtbot.mouseClick(dlg.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "sign-in list" in dlg.message.text())
    assert "参会成员明细" in dlg.message.text() and not dlg.anyway_button.isVisible()
    assert dlg.import_button.isEnabled()


def test_the_check_in_page_opens_the_import_for_the_chosen_past_event(
    qtbot: QtBot, ctx: AppContext
) -> None:
    make_event(ctx.db, "线上新车发布", format="online", type="model_day")  # an hour ago
    page = CheckinPage(ctx)
    qtbot.addWidget(page)
    assert page.online_button.isEnabled()
    page.past_box.setCurrentIndex(
        page.past_box.findText("线上新车发布", Qt.MatchFlag.MatchEndsWith)
    )
    dlg = page.open_online()
    assert dlg is not None and dlg.isVisible()
    assert dlg.event_id == page.past_box.currentData()
    assert dlg.windowTitle().endswith("线上新车发布")
    dlg.close()


def test_an_on_site_event_offers_no_online_import(qtbot: QtBot, ctx: AppContext) -> None:
    make_event(ctx.db, "车友会自驾", format="on_site", type="club_drive")
    make_event(ctx.db, "线上直播", format="online", type="member_day")
    page = CheckinPage(ctx)
    qtbot.addWidget(page)
    for title, online in (("车友会自驾", False), ("线上直播", True)):
        page.past_box.setCurrentIndex(page.past_box.findText(title, Qt.MatchFlag.MatchEndsWith))
        assert page.online_button.isEnabled() is online
        assert (page.online_button.toolTip() == "") is online
