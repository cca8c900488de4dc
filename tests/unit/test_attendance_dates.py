"""A coordinator picks an export from a folder of them: the one from another day is refused
before anything is written, unless they say to import it anyway (--any-date).

The wrong file: the 双十一购车夜谈直播 exports of 2026-11-03 (tests/fixtures/attendance/
real_*) brought to 十二月会员日直播 on 2026-12-14. The rule: desktop_app/services/
attendance_dates.py.
"""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from desktop_app.cli import main
from desktop_app.domain.errors import ConfirmationRequired
from desktop_app.domain.timeutil import zone
from desktop_app.services import attendance_import as ai
from desktop_app.store.db import Database
from desktop_app.store.models import AuditEntry, OnlineAttendance, Registration
from tests.checkin_support import make_event, register

FIX = Path(__file__).parents[1] / "fixtures" / "attendance"
TZ = zone("Asia/Shanghai")
DECEMBER = datetime(2026, 12, 14, 19, 0, tzinfo=TZ)
NOVEMBER_EXPORT = FIX / "real_zoom_cn_participants.csv"  # 2026-11-03 21:00 to 00:40


def member_day(db: Database, starts: datetime = DECEMBER, hours: float = 2) -> uuid.UUID:
    """十二月会员日直播 with 李娜 (her e-mail is in the November export) registered."""
    ev = make_event(
        db, "十二月会员日直播", starts_at=starts, hours=hours, format="online", type="member_day"
    )
    register(db, ev, "李娜", "+8613912345678")
    register(db, ev, "王芳", "+8618611112222")
    return ev


def nothing_written(db: Database) -> bool:
    with db.read() as s:
        rows = s.scalar(select(func.count()).select_from(OnlineAttendance))
        attended = s.scalar(
            select(func.count())
            .select_from(Registration)
            .where(Registration.online_minutes.is_not(None))
        )
        audits = s.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .where(AuditEntry.action == "attendance.import")
        )
    return rows == attended == audits == 0


def csv_file(tmp_path: Path, name: str, text: str) -> Path:
    f = tmp_path / name
    f.write_text(text, encoding="utf-8")
    return f


def test_last_months_export_brought_to_the_december_member_day_is_refused(
    dealer_db: Database,
) -> None:
    ev = member_day(dealer_db)
    with pytest.raises(ConfirmationRequired) as refused:
        ai.import_attendance(dealer_db, ev, NOVEMBER_EXPORT)
    # 王芳 stayed past midnight: the file's days are the 3rd and the 4th
    assert refused.value.localized("en") == (
        "this export's participants joined on 2026-11-03 … 2026-11-04, but the event "
        "十二月会员日直播 is on 2026-12-14; check you chose the right file"
    )
    assert refused.value.localized("zh") == (
        "此导出文件中的参会者在 2026-11-03 … 2026-11-04 入会，但活动「十二月会员日直播」在 "
        "2026-12-14；请确认选对了文件"
    )
    assert nothing_written(dealer_db)


def test_a_dry_run_of_the_wrong_file_is_refused_too(dealer_db: Database) -> None:
    ev = member_day(dealer_db)
    with pytest.raises(ConfirmationRequired, match="2026-11-03"):
        ai.import_attendance(dealer_db, ev, FIX / "real_tencent_members.xlsx", dry_run=True)


def test_importing_it_anyway_records_the_attendance_and_the_audit_says_so(
    dealer_db: Database,
) -> None:
    ev = member_day(dealer_db)
    rep = ai.import_attendance(dealer_db, ev, NOVEMBER_EXPORT, any_date=True)
    assert rep.matched == 2 and rep.attended == 2
    with dealer_db.read() as s:
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "attendance.import")).one()
    assert entry.detail["other_days"] == ["2026-11-03", "2026-11-04"]


def test_the_right_days_export_goes_through_without_a_word_in_the_audit(
    dealer_db: Database,
) -> None:
    ev = member_day(dealer_db, datetime(2026, 11, 3, 21, 0, tzinfo=TZ))
    ai.import_attendance(dealer_db, ev, NOVEMBER_EXPORT)
    with dealer_db.read() as s:
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "attendance.import")).one()
    assert "other_days" not in entry.detail


def test_the_cli_refuses_the_wrong_file_and_names_the_option_that_imports_it(
    dealer_sqlite: Database,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ev = member_day(dealer_sqlite)
    args = ["--db", dealer_sqlite.url, "attendance", "import", str(ev), str(NOVEMBER_EXPORT)]
    monkeypatch.setenv("PADDOCK_LANG", "en")
    assert main(args) == 1
    err = capsys.readouterr().err
    assert (
        "joined on 2026-11-03 … 2026-11-04, but the event 十二月会员日直播 is on 2026-12-14" in err
    )
    assert "check you chose the right file, or pass --any-date to import it anyway" in err
    monkeypatch.setenv("PADDOCK_LANG", "zh_CN")
    assert main(args) == 1
    assert "如确实要导入，请加上 --any-date" in capsys.readouterr().err
    assert nothing_written(dealer_sqlite)
    assert main([*args, "--any-date", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["attended"] == 2


def test_a_file_with_times_of_day_only_cannot_be_checked_and_says_nothing(
    dealer_db: Database,
) -> None:
    # 钉钉 meeting list re-saved as GBK: 21:00, 23:40, 0:10 … and no meeting block
    ev = member_day(dealer_db)
    rep = ai.import_attendance(dealer_db, ev, FIX / "real_dingtalk_meeting_gbk.csv")
    assert rep.participants == 4 and rep.rejected == ()


def test_a_late_talk_that_ran_past_midnight_is_not_another_day(
    dealer_db: Database, tmp_path: Path
) -> None:
    # 22:30 to 00:30; most people came after midnight, the last left at 01:40
    ev = member_day(dealer_db, datetime(2026, 12, 14, 22, 30, tzinfo=TZ))
    f = csv_file(
        tmp_path,
        "participants.csv",
        "Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes)\n"
        "李娜,lina.li@qq.com,2026/12/14 22:25:00,2026/12/15 00:05:00,100\n"
        "王芳,,2026/12/15 00:02:00,2026/12/15 01:40:00,98\n"
        "访客,,2026/12/15 00:10:00,2026/12/15 00:50:00,40\n",
    )
    rep = ai.import_attendance(dealer_db, ev, f)
    assert (rep.participants, rep.matched, rep.attended) == (3, 2, 2)


def test_a_file_read_on_utc_is_still_the_meeting_of_that_evening(
    dealer_db: Database, tmp_path: Path
) -> None:
    # a head office's Zoom on UTC: 11:00 UTC is 19:00 in Shanghai
    ev = member_day(dealer_db)
    f = csv_file(
        tmp_path,
        "participants.csv",
        "Name (Original Name),Join time (UTC),Leave time (UTC),Duration (minutes)\n"
        "李娜,2026-12-14 11:02:00,2026-12-14 12:30:00,88\n",
    )
    assert ai.import_attendance(dealer_db, ev, f).participants == 1


def test_one_stray_row_of_another_day_does_not_refuse_the_file(
    dealer_db: Database, tmp_path: Path
) -> None:
    ev = member_day(dealer_db)
    f = csv_file(
        tmp_path,
        "participants.csv",
        "参会人,入会时间,离会时间\n"
        "李娜,2026-12-14 19:00,2026-12-14 20:30\n"
        "王芳,2026-12-14 19:05,2026-12-14 20:00\n"
        "张三,2026-11-03 21:00,2026-11-03 22:00\n",
    )
    assert ai.import_attendance(dealer_db, ev, f).participants == 3


def test_the_meeting_blocks_date_speaks_for_rows_with_times_of_day_only(
    dealer_db: Database, tmp_path: Path
) -> None:
    ev = member_day(dealer_db)
    f = csv_file(
        tmp_path,
        "腾讯会议.csv",
        "会议主题：双十一购车夜谈直播\n会议时间：2026-11-03 21:00 - 23:00\n\n"
        "用户昵称,入会时间,退会时间,参会时长\n李娜,21:00:00,22:30:00,90分钟\n",
    )
    with pytest.raises(ConfirmationRequired) as refused:
        ai.import_attendance(dealer_db, ev, f)
    assert refused.value.localized("en") == (
        "the meeting in this export is dated 2026-11-03, but the event 十二月会员日直播 is "
        "on 2026-12-14; check you chose the right file"
    )
    assert nothing_written(dealer_db)
    right = f.read_text(encoding="utf-8").replace("2026-11-03", "2026-12-14")
    f.write_text(right, encoding="utf-8")
    assert ai.import_attendance(dealer_db, ev, f).participants == 1


def test_a_multi_day_event_names_its_first_and_last_day(dealer_db: Database) -> None:
    ev = member_day(dealer_db, DECEMBER, hours=48)
    with pytest.raises(ConfirmationRequired, match=r"is on 2026-12-14 … 2026-12-16;"):
        ai.import_attendance(dealer_db, ev, FIX / "real_zoom_ja_jst.csv")


def test_a_recurring_meetings_first_date_in_the_block_is_outvoted_by_the_rows(
    dealer_db: Database, tmp_path: Path
) -> None:
    # the same 腾讯会议 room every month: 预定开始时间 is the first occurrence's
    ev = member_day(dealer_db)
    f = csv_file(
        tmp_path,
        "腾讯会议.csv",
        "会议主题：星辰会员日（周期会议）\n预定开始时间：2026-09-14 19:00:00\n\n"
        "用户昵称,入会时间,退会时间\n"
        "李娜,2026-12-14 19:00:00,2026-12-14 20:30:00\n"
        "王芳,2026-12-14 19:10:00,2026-12-14 20:00:00\n",
    )
    assert ai.import_attendance(dealer_db, ev, f).participants == 2
