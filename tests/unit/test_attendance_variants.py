"""The participant exports coordinators really bring, beyond the textbook ones: Zoom's
other layouts and locales, 腾讯会议 member lists and re-saves, 钉钉, and nicknames that
carry phone numbers.

Fixtures: tests/fixtures/attendance/ (made by tests/fixtures/make_attendance_variants.py).
"""

from __future__ import annotations

import json
import uuid
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from desktop_app.cli import main
from desktop_app.domain.errors import FileUnreadable
from desktop_app.domain.timeutil import zone
from desktop_app.services import attendance_import as ai
from desktop_app.store.db import Database
from desktop_app.store.models import OnlineAttendance, Person, Registration
from tests.checkin_support import make_event, register
from tests.unit.test_attendance_import import ROSTER, START

FIX = Path(__file__).parents[1] / "fixtures" / "attendance"

# Two 林黛玉 whose phones end alike, and a 贾宝玉: for nicknames carrying phone digits.
MORE = [
    ("贾宝玉", "+8613900009102"),
    ("林黛玉", "+8613700005566"),
    ("林黛玉", "+8618800005566"),
]


def setup_event(db: Database) -> tuple[uuid.UUID, dict[str, uuid.UUID]]:
    """The member-day event with ROSTER + MORE registered; regs keyed by phone."""
    ev = make_event(
        db, "十二月会员日直播", starts_at=START, hours=2, format="hybrid", type="member_day"
    )
    regs = {phone: register(db, ev, name, phone).registration_id for name, phone in ROSTER + MORE}
    with db.write() as s:
        p = s.scalars(select(Person).where(Person.name == "张伟")).one()
        p.email = "Zhang.Wei@example.com"
    return ev, regs


def minutes(db: Database) -> dict[str, int]:
    """Attended registrants: phone → online minutes."""
    with db.read() as s:
        rows = s.execute(
            select(Person.phone, Registration.online_minutes)
            .join(Person, Person.id == Registration.person_id)
            .where(Registration.online_minutes.is_not(None))
        )
        return dict(rows.all())  # type: ignore[arg-type]


def stored(db: Database) -> dict[str, OnlineAttendance]:
    with db.read() as s:
        return {r.display_name: r for r in s.scalars(select(OnlineAttendance))}


def counts(rep: ai.AttendanceReport) -> tuple[int, ...]:
    return (rep.participants, rep.matched, rep.unmatched, rep.attended, rep.hosts)


def imported(
    db: Database, name: str, platform: str
) -> tuple[ai.AttendanceReport, dict[str, uuid.UUID]]:
    """Import fixture `name` into a fresh member day: (report, registrations by phone);
    every one of these files reads without a rejected row."""
    ev, regs = setup_event(db)
    rep = ai.import_attendance(db, ev, FIX / name)
    assert rep.platform == platform and rep.rejected == ()
    return rep, regs


# --------------------------------------------------------------------------- Zoom


def test_zoom_unique_users_report_without_times_counts_the_totals(dealer_db: Database) -> None:
    rep, _ = imported(dealer_db, "zoom_unique_users.csv", "zoom")
    assert counts(rep) == (4, 3, 1, 2, 1)
    assert minutes(dealer_db) == {"+8613800138000": 85, "+8615000001111": 73}
    (wang,) = rep.unmatched_list
    assert wang.name == "王伟" and wang.minutes == 120
    assert "2 registrants" in wang.reason  # two 王伟 registered: never guessed


def test_a_day_first_zoom_export_is_read_on_the_event_day_not_in_july(
    dealer_db: Database,
) -> None:
    rep, _ = imported(dealer_db, "zoom_meeting_data_dmy.csv", "zoom")
    assert counts(rep) == (4, 4, 0, 3, 1)  # the host named in the meeting block is left out
    assert minutes(dealer_db) == {
        "+8613912345678": 30,
        "+8617700003333": 70,
        "+8613922224321": 16,
    }
    tz = zone("Asia/Shanghai")
    for row in stored(dealer_db).values():
        assert row.first_join_at is not None
        assert row.first_join_at.astimezone(tz).date() == date(2026, 12, 7)


def test_a_zoom_webinar_attendee_report_takes_the_attendee_section_only(
    dealer_db: Database,
) -> None:
    rep, _ = imported(dealer_db, "zoom_webinar_attendees.csv", "zoom")
    # host and panelist are left out; 陈静 registered but never came (Attended: No)
    assert counts(rep) == (3, 2, 1, 2, 2)
    assert minutes(dealer_db) == {"+8613800138000": 85, "+8618600002222": 90}
    assert [u.name for u in rep.unmatched_list] == ["路人甲"]
    assert rep.absent == 1
    assert "讲师 老周" not in stored(dealer_db)


def test_a_zoom_export_with_japanese_headers(dealer_db: Database) -> None:
    rep, _ = imported(dealer_db, "zoom_japanese.csv", "zoom")
    assert counts(rep) == (3, 3, 0, 3, 0)
    assert minutes(dealer_db) == {
        "+8613800138000": 40,
        "+8613912345678": 31,
        "+8613811114321": 15,
    }


def test_time_in_the_zoom_waiting_room_is_not_attendance(dealer_db: Database) -> None:
    rep, _ = imported(dealer_db, "zoom_waiting_room.csv", "zoom")
    assert rep.waiting_room == 3
    # 王芳 waited 4.5 min then was in for 8 (under 10); 孙丽 waited 10 then was in for 30
    assert minutes(dealer_db) == {"+8617700003333": 30}
    rows = stored(dealer_db)
    assert rows["王芳"].minutes == 8 and rows["王芳"].sessions == 1
    assert rows["周杰"].minutes == 0 and rows["周杰"].registration_id is not None


# --------------------------------------------------------------------------- 腾讯会议


def test_a_tencent_member_list_uses_the_cumulative_time_not_first_to_last(
    dealer_db: Database,
) -> None:
    rep, regs = imported(dealer_db, "tencent_member_list.xlsx", "tencent_meeting")
    assert counts(rep) == (5, 4, 1, 4, 1)
    assert minutes(dealer_db) == {
        "+8613800138000": 65,  # 19:00–20:10 with a break: 1小时5分
        "+8613912345678": 90,
        "+8613811114321": 15,  # first 19:10, last 20:40, but only 15分钟 in the meeting
        "+8615100000002": 120,  # 王伟 told apart by 151****0002
    }
    assert [(u.name, u.minutes) for u in rep.unmatched_list] == [("访客8899", 13)]
    assert stored(dealer_db)["李娜"].registration_id == regs["+8613800138000"]


def test_a_tencent_overview_resaved_as_gbk_matches_phones_inside_nicknames(
    dealer_db: Database,
) -> None:
    rep, regs = imported(dealer_db, "tencent_overview_resaved_gbk.csv", "tencent_meeting")
    assert counts(rep) == (7, 6, 1, 5, 1)
    assert minutes(dealer_db) == {
        "+8613800138000": 65,  # 1小时5分
        "+8613922224321": 50,  # "赵磊 13922224321": the full phone
        "+8615100000001": 62,  # "王伟 0001": name + last four digits pick one of two 王伟
        "+8613700005566": 60,  # "林黛玉(137****5566)": the masked phone picks one
        "+8613900009102": 45,  # "贾宝玉 139****9102"
    }
    (lin,) = rep.unmatched_list
    assert lin.name == "林黛玉 5566" and lin.minutes == 60
    assert "林黛玉" in lin.reason and "5566" in lin.reason  # two of them end in 5566
    rows = stored(dealer_db)
    assert rows["孙丽"].minutes == 5 and rows["孙丽"].registration_id == regs["+8617700003333"]


def test_an_old_xls_detail_sheet_with_seconds_and_someone_still_in_the_meeting(
    dealer_db: Database,
) -> None:
    rep, _ = imported(dealer_db, "tencent_detail_old.xls", "tencent_meeting")
    assert counts(rep) == (3, 3, 0, 3, 1)
    assert minutes(dealer_db) == {
        "+8613800138000": 65,
        "+8613912345678": 90,
        "+8613811114321": 15,  # no leave time yet: its 900 seconds
    }


# --------------------------------------------------------------------------- 钉钉


def test_a_dingtalk_live_data_workbook(dealer_db: Database) -> None:
    rep, _ = imported(dealer_db, "dingtalk_live_data.xlsx", "dingtalk")
    assert counts(rep) == (4, 3, 1, 3, 0)
    assert minutes(dealer_db) == {
        "+8617700003333": 65,  # 2 visits, 65 minutes in all (not 19:01–20:40)
        "+8618600002222": 45,
        "+8613600009999": 30,  # "周杰-9999"
    }


def test_a_dingtalk_meeting_list(dealer_db: Database) -> None:
    imported(dealer_db, "dingtalk_meeting.csv", "dingtalk")
    assert minutes(dealer_db) == {"+8613800138000": 85, "+8613811114321": 15}


def test_a_list_with_times_of_day_only_is_read_on_the_event_day(
    dealer_db: Database, tmp_path: Path
) -> None:
    ev, _ = setup_event(dealer_db)
    f = tmp_path / "钉钉会议.csv"
    f.write_text(
        "参会人,手机号,入会时间,离会时间\n李娜,13800138000,19:00,19:40\n"
        "陈静,13811114321,23:50:00,00:20:00\n",  # stayed past midnight
        encoding="utf-8",
    )
    rep = ai.import_attendance(dealer_db, ev, f)
    assert rep.rejected == ()
    assert minutes(dealer_db) == {"+8613800138000": 40, "+8613811114321": 30}
    li = stored(dealer_db)["李娜"]
    assert li.first_join_at is not None
    assert li.first_join_at.astimezone(zone("Asia/Shanghai")).date() == date(2026, 12, 7)


def test_two_zoom_exports_pasted_into_one_file_count_each_stay_once(
    dealer_db: Database, tmp_path: Path
) -> None:
    ev, _ = setup_event(dealer_db)
    one = (FIX / "zoom_participants_new.csv").read_bytes()
    f = tmp_path / "pasted.csv"
    f.write_bytes(one + one[3:])  # the second copy without its BOM, header and all
    rep = ai.import_attendance(dealer_db, ev, f)
    assert rep.rejected == () and rep.duplicates == 5
    assert minutes(dealer_db) == {"+8613912345678": 30, "+8613800138000": 90}


# --------------------------------------------------------------------------- rules


def test_masked_digits_and_names_decide_only_when_unambiguous(dealer_db: Database) -> None:
    ev, regs = setup_event(dealer_db)
    matcher = ai.Matcher.for_event(dealer_db, ev)

    def who(name: str, phone: str | None = None) -> uuid.UUID | None:
        return matcher.match_cells(name, phone)[0]

    assert who("贾宝玉 139****9102") == regs["+8613900009102"]
    assert who("贾宝玉（139****9102）") == regs["+8613900009102"]
    assert who("贾宝玉_9102") == regs["+8613900009102"]
    assert who("贾宝玉尾号9102") == regs["+8613900009102"]
    assert who("王伟 0002") == regs["+8615100000002"]
    assert who("王伟", "151****0001") == regs["+8615100000001"]
    assert who("林黛玉 137****5566") == regs["+8613700005566"]
    assert who("林黛玉 5566") is None  # both end in 5566
    assert who("林黛玉") is None  # two of them
    assert who("贾宝玉 9999") is None  # the digits belong to nobody named so
    assert who("访客9102") is None  # four digits alone are never enough
    # the digits say one registrant, the name another: a person decides
    got, reason = matcher.match_cells("李娜 139****9102", None)
    assert got is None and "贾宝玉" in reason and "李娜" in reason
    # a full phone in the nickname wins
    assert who("随便叫 13922224321") == regs["+8613922224321"]
    assert who("贾 宝玉") == regs["+8613900009102"]  # spaces typed into a name do not count


def test_a_sign_up_form_given_as_attendance_is_refused_and_changes_nothing(
    dealer_db: Database,
) -> None:
    ev, _ = setup_event(dealer_db)
    signups = Path(__file__).parents[1] / "fixtures" / "signups" / "wjx_open_day.xlsx"
    with pytest.raises(FileUnreadable, match="no participant table"):
        ai.import_attendance(dealer_db, ev, signups)
    with dealer_db.read() as s:
        assert s.scalar(select(func.count()).select_from(OnlineAttendance)) == 0


def test_the_cli_reports_the_reason_a_participant_stayed_unmatched(
    dealer_sqlite: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    ev, _ = setup_event(dealer_sqlite)
    path = FIX / "tencent_overview_resaved_gbk.csv"
    args = ["--db", dealer_sqlite.url, "attendance", "import", str(ev), str(path), "--json"]
    assert main(args) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["matched"] == 6
    (lin,) = data["unmatched_participants"]
    assert lin["name"] == "林黛玉 5566" and "5566" in lin["reason"]
    assert main(args[:-1]) == 0
    assert "林黛玉 5566" in capsys.readouterr().out


def test_a_chinese_coordinator_reads_why_a_participant_was_not_matched(
    dealer_db: Database,
) -> None:
    rep, _ = imported(dealer_db, "tencent_overview_resaved_gbk.csv", "tencent_meeting")
    (lin,) = rep.unmatched_list
    assert lin.localized("zh") == "有 2 位报名人叫 林黛玉，手机号都对得上 …5566"
    assert lin.localized("en") == lin.reason and lin.reason.startswith("2 registrants named")


def test_two_namesakes_are_explained_in_chinese(dealer_db: Database) -> None:
    rep, _ = imported(dealer_db, "zoom_unique_users.csv", "zoom")
    (wang,) = rep.unmatched_list
    assert wang.localized("zh") == "有 2 位报名人叫 王伟"
    assert wang.reason == "2 registrants are named 王伟"
