"""Online attendance from exports as they really come: Zoom in Chinese and Japanese and on
other time zones, webinar reports in 12-hour time, 腾讯会议 workbooks and re-saves, 钉钉,
微信视频号; rejoins, stays past midnight, dial-ins, rooms, placeholders and nicknames.

Fixtures: tests/fixtures/attendance/real_* (made by tests/fixtures/make_attendance_real.py).
The event is 双十一购车夜谈直播, 2026-11-03 21:00–23:00 Asia/Shanghai; the talk ran late.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, time, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import func, select

from desktop_app.cli import main
from desktop_app.domain.errors import FileUnreadable
from desktop_app.domain.timeutil import zone
from desktop_app.io.values import zone_hint
from desktop_app.services import attendance_import as ai
from desktop_app.services.attendance_match import name_clue, placeholder_kind, shown_identity
from desktop_app.services.attendance_read import _map, is_host_role
from desktop_app.services.attendance_times import Clock, place_clock, read_when
from desktop_app.store.db import Database
from desktop_app.store.models import OnlineAttendance, Person, Registration
from tests.checkin_support import make_event, register

FIX = Path(__file__).parents[1] / "fixtures" / "attendance"
TZ = zone("Asia/Shanghai")
START = datetime(2026, 11, 3, 21, 0, tzinfo=TZ)

# name, phone, e-mail. Two 张伟; 张伟 and 王建国 both end in 8000 (138… and 133…).
ROSTER = [
    ("张伟", "+8613800138000", "zhang.wei@163.com"),
    ("张伟", "+8615900006666", None),
    ("李娜", "+8613912345678", "Lina.Li@qq.com"),
    ("王芳", "+8618611112222", None),
    ("刘洋", "+8613700137000", None),
    ("陈静", "+8615012340000", None),
    ("杨帆", "+8617722223333", None),
    ("赵磊", "+8613566667777", None),
    ("王建国", "+8613300008000", None),
    ("周杰", "+8618800001234", None),
    ("吴敏", "+8613122224444", None),
    ("孙悦", "+8613811110000", None),
    ("何洁", "+8619955556666", None),
    ("郭涛", "+8613866668888", None),
    ("Emily Chen", "+8613644445555", "emily.chen@example.com"),
    ("马丽", "+8615577778888", None),
    ("高峰", "+8618122223344", None),
    ("罗敏", "+8613522220000", None),
]
ZHANG_WEI = "+8613800138000"  # the 张伟 whose phone ends in 8000


def setup_event(db: Database) -> tuple[uuid.UUID, dict[str, uuid.UUID]]:
    """The late-night talk with ROSTER registered; registrations keyed by phone."""
    ev = make_event(
        db, "双十一购车夜谈直播", starts_at=START, hours=2, format="online", type="member_day"
    )
    regs: dict[str, uuid.UUID] = {}
    for name, phone, email in ROSTER:
        seat = register(db, ev, name, phone)
        regs[phone] = seat.registration_id
        if email:
            with db.write() as s:
                person = s.get(Person, seat.person_id)
                assert person is not None
                person.email = email
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


def rows_of(db: Database) -> list[OnlineAttendance]:
    with db.read() as s:
        return list(s.scalars(select(OnlineAttendance)))


def row_named(db: Database, name: str) -> OnlineAttendance:
    (row,) = [r for r in rows_of(db) if r.display_name == name]
    return row


def local(value: datetime | None) -> str:
    assert value is not None
    return value.astimezone(TZ).strftime("%m-%d %H:%M")


def counts(rep: ai.AttendanceReport) -> tuple[int, ...]:
    return (rep.participants, rep.matched, rep.unmatched, rep.attended, rep.hosts)


def unmatched(rep: ai.AttendanceReport) -> list[tuple[str, int, str]]:
    return sorted((u.name, u.minutes, u.reason) for u in rep.unmatched_list)


def imported(db: Database, name: str, platform: str) -> ai.AttendanceReport:
    """Import fixture `name` into a fresh event; none of them has a rejected row."""
    ev, _ = setup_event(db)
    rep = ai.import_attendance(db, ev, FIX / name)
    assert rep.platform == platform and rep.rejected == ()
    return rep


ANONYMOUS = ai.Matcher([]).match(set(), [], None, kind="anonymous")[1].en
ROOM = ai.Matcher([]).match(set(), [], None, kind="room")[1].en
NOBODY = "no registrant has this phone, e-mail or name"


# --------------------------------------------------------------------------- Zoom


def test_zoom_in_chinese_sums_rejoins_devices_and_a_dial_in_of_one_man_once(
    dealer_db: Database,
) -> None:
    rep = imported(dealer_db, "real_zoom_cn_participants.csv", "zoom")
    # the host is the 用户邮箱 of the meeting block; two 电话用户 are two callers
    assert counts(rep) == (8, 6, 2, 4, 1)
    assert minutes(dealer_db) == {
        # 张伟-8000 on three rows and two devices, and on the phone as +86 138****8000:
        # 21:01:05–22:10:30 and 22:15:00–22:59:10 → 113 min 35 s, rounded up
        ZHANG_WEI: 114,
        "+8613912345678": 90,  # LINA.LI@QQ.COM is 李娜's e-mail
        "+8613644445555": 100,  # Emily Chen by e-mail
        "+8618611112222": 71,  # 王芳 23:30–00:25 and again 00:20–00:40:05
    }
    assert unmatched(rep) == [("电话用户", 10, ANONYMOUS), ("电话用户", 95, ANONYMOUS)]
    wang = row_named(dealer_db, "王芳")
    assert (local(wang.first_join_at), local(wang.last_leave_at)) == ("11-03 23:30", "11-04 00:40")
    assert "星辰汽车直播间" not in {r.display_name for r in rows_of(dealer_db)}


def test_a_zoom_webinar_in_12_hour_time_across_midnight(dealer_db: Database) -> None:
    rep = imported(dealer_db, "real_zoom_webinar_ampm.csv", "zoom")
    assert counts(rep) == (4, 4, 0, 3, 2) and rep.absent == 1  # 陈静 never came
    assert minutes(dealer_db) == {
        "+8613700137000": 91,  # 刘洋 45:49 + 45:00 (one phone, two rows)
        "+8617722223333": 75,  # 杨帆 11:30 PM to 12:45 AM
        "+8618800001234": 90,  # "周杰 (Jay的MacBook)": the name 周杰
    }
    yang = row_named(dealer_db, "杨帆")
    assert local(yang.last_leave_at) == "11-04 00:45"
    zhao = row_named(dealer_db, "赵磊")
    assert zhao.minutes == 9 and zhao.registration_id is not None  # there, but too short


def test_a_zoom_report_on_tokyo_time_is_read_in_its_own_zone(dealer_db: Database) -> None:
    rep = imported(dealer_db, "real_zoom_ja_jst.csv", "zoom")
    assert counts(rep) == (3, 3, 0, 3, 1)  # the host by ユーザーメール
    assert minutes(dealer_db) == {
        "+8613122224444": 90,
        "+8613811110000": 65,  # 孙悦 20 + 45
        "+8619955556666": 60,
    }
    assert local(row_named(dealer_db, "吴敏").first_join_at) == "11-03 21:05"  # 22:05 in Tokyo
    he = row_named(dealer_db, "何洁")
    assert (local(he.first_join_at), local(he.last_leave_at)) == ("11-03 23:30", "11-04 00:30")
    sun = row_named(dealer_db, "孙悦")
    assert local(sun.last_leave_at) == "11-03 23:55"  # 0:55 the next day in Tokyo


def test_a_zoom_report_in_utc_with_namesakes_a_room_and_anonymous_iphones(
    dealer_db: Database,
) -> None:
    rep = imported(dealer_db, "real_zoom_meeting_utc.csv", "zoom")
    assert counts(rep) == (7, 3, 4, 3, 1) and rep.waiting_room == 1
    assert minutes(dealer_db) == {
        ZHANG_WEI: 88,  # the 张伟 with his own e-mail
        "+8613866668888": 50,  # "郭涛 138 6666 8888": the phone in the name
        "+8618122223344": 64,  # 高峰 after 6 minutes in the waiting room
    }
    assert unmatched(rep) == [
        ("iPhone", 20, ANONYMOUS),
        ("iPhone", 50, ANONYMOUS),
        ("张伟", 30, "2 registrants are named 张伟"),  # another e-mail: not the first 张伟
        ("星辰展厅2F", 120, ROOM),
    ]
    guo = row_named(dealer_db, "郭涛 138 6666 8888")
    assert (local(guo.first_join_at), local(guo.last_leave_at)) == ("11-03 23:30", "11-04 00:20")
    assert local(row_named(dealer_db, "高峰").first_join_at) == "11-03 21:06"


def test_zoom_saved_by_excel_as_unicode_text(dealer_db: Database) -> None:
    rep = imported(dealer_db, "real_zoom_utf16_tab.txt", "zoom")
    assert counts(rep) == (5, 5, 0, 3, 1)
    assert minutes(dealer_db) == {
        "+8613522220000": 90,  # 罗敏 on two devices, a minute of overlap
        "+8618800001234": 40,  # 周杰-1234 from 23:55 to 0:35
        "+8613912345678": 30,  # "lina.li@qq.com" typed as the name
    }
    assert row_named(dealer_db, "Emily Chen").minutes == 8


# --------------------------------------------------------------------------- 腾讯会议


def test_a_tencent_workbook_with_dial_ins_and_car_nicknames(dealer_db: Database) -> None:
    rep = imported(dealer_db, "real_tencent_members.xlsx", "tencent_meeting")
    assert rep.sheet == "成员参会明细"
    assert counts(rep) == (6, 4, 2, 3, 2)  # 主持人 and 联席主持人 left out
    assert minutes(dealer_db) == {
        ZHANG_WEI: 97,  # "张伟（尾号8000）" + 138****8000, reconnected: 21:03–22:40
        "+8613300008000": 45,  # 电话用户 calling from 133****8000: 王建国
        "+8615012340000": 50,  # 陈静 23:40–00:30
    }
    assert row_named(dealer_db, "高峰").minutes == 5
    assert unmatched(rep) == [("帕萨特-王先生", 105, NOBODY), ("电话用户", 3, ANONYMOUS)]
    chen = row_named(dealer_db, "陈静")
    assert local(chen.last_leave_at) == "11-04 00:30"


def test_an_old_tencent_xls_with_chinese_dates_and_hh_mm_ss(dealer_db: Database) -> None:
    rep = imported(dealer_db, "real_tencent_detail_hms.xls", "tencent_meeting")
    assert counts(rep) == (4, 3, 1, 3, 1)  # the 合计 line is no participant
    assert minutes(dealer_db) == {
        "+8619955556666": 93,  # 何洁-6666: 00:30:00 + 01:02:03
        "+8613122224444": 70,  # 吴敏(131****4444)
        "+8613522220000": 30,  # 罗敏 23:50–0:20
    }
    assert unmatched(rep) == [("Lucky", 60, NOBODY)]


def test_a_tencent_overview_resaved_as_gbk_with_decimal_minutes(dealer_db: Database) -> None:
    rep = imported(dealer_db, "real_tencent_overview_gbk.csv", "tencent_meeting")
    assert counts(rep) == (4, 3, 1, 2, 2)
    # 累计参会时长 counts, not first-to-last: 李娜 was in three times, 62.5 minutes in all
    assert minutes(dealer_db) == {"+8613912345678": 63, ZHANG_WEI: 151}
    assert row_named(dealer_db, "赵磊").minutes == 6
    assert unmatched(rep) == [("帕萨特-王先生", 88, NOBODY)]


def test_a_tencent_sign_in_list_is_refused_with_what_to_export_instead(
    dealer_db: Database,
) -> None:
    ev, _ = setup_event(dealer_db)
    with pytest.raises(FileUnreadable) as refused:
        ai.import_attendance(dealer_db, ev, FIX / "real_tencent_signin.xlsx")
    assert refused.value.localized("en") == (
        "real_tencent_signin.xlsx is a sign-in list (签到): it says who signed in and when, "
        "not how long anyone stayed in the meeting; export the participant details instead "
        "(腾讯会议: 参会成员明细, or 导出参会明细) and import that"
    )
    assert refused.value.localized("zh") == (
        "real_tencent_signin.xlsx 是签到列表：只记录谁在何时签到，没有每人在会议中的时长；"
        "请改为导出参会明细（腾讯会议：参会成员明细，或“导出参会明细”）后再导入"
    )
    with dealer_db.read() as s:
        assert s.scalar(select(func.count()).select_from(OnlineAttendance)) == 0


@pytest.mark.parametrize(
    "header",
    ["姓名,手机号,签到时间,签到方式", "参会人,是否签到", "昵称,签到状态,签到结果"],
)
def test_any_sign_in_sheet_without_time_in_the_meeting_is_told_apart(
    dealer_db: Database, tmp_path: Path, header: str
) -> None:
    ev, _ = setup_event(dealer_db)
    f = tmp_path / "钉钉签到.csv"
    f.write_text(header + "\n李娜,13912345678,2026-11-03 21:05,扫码\n", encoding="utf-8")
    with pytest.raises(FileUnreadable, match="is a sign-in list"):
        ai.import_attendance(dealer_db, ev, f)


def test_a_participant_table_with_a_sign_in_column_is_still_read(
    dealer_db: Database, tmp_path: Path
) -> None:
    ev, _ = setup_event(dealer_db)
    f = tmp_path / "参会明细.csv"
    f.write_text(
        "用户昵称,签到时间,入会时间,退会时间\n"
        "李娜,2026-11-03 21:05,2026-11-03 21:00,2026-11-03 22:30\n",
        encoding="utf-8",
    )
    assert ai.import_attendance(dealer_db, ev, f).attended == 1


def test_a_file_with_no_table_at_all_still_says_so(dealer_db: Database, tmp_path: Path) -> None:
    ev, _ = setup_event(dealer_db)
    f = tmp_path / "通讯录.csv"
    f.write_text("姓名,手机号\n李娜,13912345678\n", encoding="utf-8")
    with pytest.raises(FileUnreadable, match="no participant table"):
        ai.import_attendance(dealer_db, ev, f)


# --------------------------------------------------------------------------- 钉钉, 视频号


def test_a_dingtalk_meeting_resaved_as_gbk_with_times_of_day_past_midnight(
    dealer_db: Database,
) -> None:
    rep = imported(dealer_db, "real_dingtalk_meeting_gbk.csv", "dingtalk")
    assert counts(rep) == (4, 4, 0, 3, 0)
    assert minutes(dealer_db) == {
        "+8613700137000": 55,  # 刘洋 23:40–0:10 and 0:02–0:35: 23:40–0:35, not 63
        "+8613566667777": 59,
        "+8615577778888": 60,  # "?马丽?": the emoji lost in GBK
    }
    liu = row_named(dealer_db, "刘洋")
    assert (local(liu.first_join_at), local(liu.last_leave_at)) == ("11-03 23:40", "11-04 00:35")


def test_dingtalk_live_data_without_years_counts_live_time_not_replays(
    dealer_db: Database,
) -> None:
    rep = imported(dealer_db, "real_dingtalk_live_stats.xlsx", "dingtalk")
    assert counts(rep) == (4, 3, 1, 2, 0)
    assert minutes(dealer_db) == {"+8613811110000": 73, "+8613122224444": 110}
    assert row_named(dealer_db, "何洁").minutes == 9  # 120 minutes of replay do not count
    assert unmatched(rep) == [("张伟", 45, "2 registrants are named 张伟")]
    assert local(row_named(dealer_db, "孙悦").first_join_at) == "11-03 21:02"


def test_wechat_channels_viewers_match_only_unambiguous_names(dealer_db: Database) -> None:
    rep = imported(dealer_db, "real_wechat_channels_viewers.xlsx", "wechat_channels")
    assert counts(rep) == (7, 2, 5, 2, 0)
    assert minutes(dealer_db) == {
        "+8615577778888": 72,  # 🌸马丽🌸
        "+8618611112222": 70,  # 王芳 23:20–0:05 and 0:03–0:30
    }
    assert unmatched(rep) == [
        ("Lina", 30, NOBODY),
        ("张伟", 90, "2 registrants are named 张伟"),
        ("微信用户", 20, ANONYMOUS),
        ("微信用户", 60, ANONYMOUS),
        (
            "途观L-刘洋",
            60,
            "the nickname contains the name of 刘洋; not matched without a phone or e-mail "
            "to confirm it",
        ),
    ]


def test_importing_a_real_export_again_changes_nothing(dealer_db: Database) -> None:
    ev, _ = setup_event(dealer_db)
    path = FIX / "real_zoom_cn_participants.csv"
    ai.import_attendance(dealer_db, ev, path)
    before = minutes(dealer_db)
    again = ai.import_attendance(dealer_db, ev, path)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 8)
    assert minutes(dealer_db) == before


def test_the_cli_shows_a_chinese_desk_why_viewers_stayed_unmatched(
    dealer_sqlite: Database,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ev, _ = setup_event(dealer_sqlite)
    path = FIX / "real_wechat_channels_viewers.xlsx"
    monkeypatch.setenv("PADDOCK_LANG", "zh_CN")
    args = ["--db", dealer_sqlite.url, "attendance", "import", str(ev), str(path), "--json"]
    assert main(args) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["platform"] == "wechat_channels" and data["matched"] == 2
    reasons = {u["name"]: u["reason"] for u in data["unmatched_participants"]}
    assert reasons["途观L-刘洋"] == "昵称里含有 刘洋 的姓名；没有手机号或邮箱佐证，未自动匹配"
    assert (
        reasons["微信用户"] == "这个名称看不出是谁（电话入会、匿名观众或设备名）；每次进入单独列出"
    )


# --------------------------------------------------------------------------- rules: times


def test_a_utc_offset_in_a_header_or_cell_is_the_zone_of_the_times() -> None:
    assert zone_hint("Join Time (GMT+08:00)") == timezone(timedelta(hours=8))
    assert zone_hint("入会时间(UTC+8)") == timezone(timedelta(hours=8))
    assert zone_hint("参加時刻 (GMT+09:00) 大阪、札幌、東京") == timezone(timedelta(hours=9))
    assert zone_hint("Leave time (UTC)") == UTC
    assert zone_hint("Join Time (GMT-05:30)") == timezone(-timedelta(hours=5, minutes=30))
    assert zone_hint("Join Time") is None
    assert zone_hint("会议号 853 2026 1103") is None
    clock = Clock(START, TZ)
    got, _ = read_when("2026-11-03 13:05:00 UTC", clock, day_first=False, what="join")
    assert got is not None and got.astimezone(TZ).time() == time(21, 5)


def test_a_time_zone_in_the_meeting_block_applies_to_every_time(
    dealer_db: Database, tmp_path: Path
) -> None:
    ev, _ = setup_event(dealer_db)
    f = tmp_path / "会议.csv"
    f.write_text(
        "会议主题,双十一购车夜谈直播\n时区,(GMT+09:00) 东京\n,\n"
        "参会人,手机号,入会时间,离会时间\n"
        "吴敏,13122224444,2026-11-03 22:05:00,2026-11-03 23:35:00\n",
        encoding="utf-8",
    )
    ai.import_attendance(dealer_db, ev, f)
    assert local(row_named(dealer_db, "吴敏").first_join_at) == "11-03 21:05"


def test_a_time_of_day_alone_is_placed_from_six_hours_before_the_start() -> None:
    night = Clock(START, TZ)  # 21:00
    assert place_clock(time(0, 2), night) == datetime(2026, 11, 4, 0, 2)
    assert place_clock(time(23, 40), night) == datetime(2026, 11, 3, 23, 40)
    assert place_clock(time(15, 0), night) == datetime(2026, 11, 3, 15, 0)
    assert place_clock(time(14, 59), night) == datetime(2026, 11, 4, 14, 59)
    morning = Clock(datetime(2026, 11, 3, 10, 0, tzinfo=TZ), TZ)
    assert place_clock(time(23, 0), morning) == datetime(2026, 11, 3, 23, 0)
    assert place_clock(time(9, 30), morning) == datetime(2026, 11, 3, 9, 30)
    assert place_clock(time(1, 0), morning) == datetime(2026, 11, 4, 1, 0)
    assert place_clock(time(9, 0), Clock(None, TZ)) is None


def test_dates_without_a_year_take_the_year_nearest_the_event() -> None:
    def when(text: str, start: datetime = START) -> datetime | None:
        got, _ = read_when(text, Clock(start, TZ), day_first=False, what="join")
        return got.replace(tzinfo=None) if got else None

    assert when("11-03 21:02") == datetime(2026, 11, 3, 21, 2)
    assert when("11月3日 21:02") == datetime(2026, 11, 3, 21, 2)
    assert when("11月4日0:10") == datetime(2026, 11, 4, 0, 10)
    new_year = datetime(2026, 12, 31, 23, 0, tzinfo=TZ)
    assert when("01-01 00:20", new_year) == datetime(2027, 1, 1, 0, 20)
    assert when("12/31 23:10", new_year) == datetime(2026, 12, 31, 23, 10)
    assert when("03/11 21:02") == datetime(2026, 11, 3, 21, 2)  # day first: nearer
    assert when("07/12/2026 19:00") == datetime(2026, 7, 12, 19, 0)  # a year: as before


def test_chinese_dates_without_a_space_and_japanese_half_days() -> None:
    def when(text: str) -> datetime | None:
        got, _ = read_when(text, Clock(START, TZ), day_first=False, what="join")
        return got.replace(tzinfo=None) if got else None

    assert when("2026年11月3日21:05") == datetime(2026, 11, 3, 21, 5)
    assert when("2026年11月3日 21:05") == datetime(2026, 11, 3, 21, 5)
    assert when("2026/11/03 午後9:05") == datetime(2026, 11, 3, 21, 5)
    assert when("2026/11/04 午前0:15") == datetime(2026, 11, 4, 0, 15)
    assert when("2026/11/3 下午9:05") == datetime(2026, 11, 3, 21, 5)
    with pytest.raises(ValueError, match="not a date and time"):
        when("很晚")


# --------------------------------------------------------------------------- rules: who


def test_placeholders_and_rooms_say_nobody_in_particular() -> None:
    for name in ("电话用户", "微信用户", "iPhone", "Guest", "访客", "匿名用户", "🌸微信用户"):
        assert placeholder_kind([name]) == "anonymous", name
    assert placeholder_kind(["星辰展厅2F", "Zoom Rooms"]) == "room"
    assert shown_identity(["星辰展厅2F (Zoom Rooms)"]).kind == "room"
    for name in ("李娜的iPhone", "访客8899", "李娜", "Emily Chen"):
        assert placeholder_kind([name]) is None, name
    assert shown_identity(["iPhone (李娜)"]).kind is None  # the original name is somebody


def test_a_placeholder_is_matched_by_its_phone_only(dealer_db: Database) -> None:
    ev, regs = setup_event(dealer_db)
    matcher = ai.Matcher.for_event(dealer_db, ev)
    assert matcher.match_cells("电话用户", "133****8000")[0] == regs["+8613300008000"]
    assert matcher.match_cells("电话用户") == (None, ANONYMOUS)
    got, reason = matcher.match_cells("访客", None)
    assert got is None and reason == ANONYMOUS


def test_placeholder_rows_are_one_participant_per_stay_and_still_duplicates(
    dealer_db: Database, tmp_path: Path
) -> None:
    ev, _ = setup_event(dealer_db)
    lines = "参会人,入会时间,离会时间\n电话用户,21:00,21:30\n电话用户,21:40,22:30\n电话用户,21:00,21:30\n"
    f = tmp_path / "会议.csv"
    f.write_text(lines, encoding="utf-8")
    rep = ai.import_attendance(dealer_db, ev, f)
    assert (rep.participants, rep.duplicates) == (2, 1)
    assert sorted(u.minutes for u in rep.unmatched_list) == [30, 50]


def test_a_name_part_counts_only_together_with_phone_digits(dealer_db: Database) -> None:
    ev, regs = setup_event(dealer_db)
    matcher = ai.Matcher.for_event(dealer_db, ev)
    assert matcher.match_cells("刘洋-途观L-7000")[0] == regs["+8613700137000"]
    assert matcher.match_cells("上海-途观L-刘洋", "137****7000")[0] == regs["+8613700137000"]
    got, reason = matcher.match_cells("上海-途观L-刘洋")
    assert got is None and "刘洋" in reason
    got, reason = matcher.match_cells("帕萨特-王先生")
    assert got is None and reason == NOBODY  # 王先生 is no name: never 王芳 or 王建国
    got, reason = matcher.match_cells("帕萨特-王先生-8000")
    assert got is None and "8000" in reason  # the digits fit 张伟 and 王建国; no name agrees
    got, reason = matcher.match_cells("张伟-帕萨特")
    assert got is None and "张伟" in reason  # two of them


def test_name_tails_with_the_phone_s_last_digits(dealer_db: Database) -> None:
    ev, regs = setup_event(dealer_db)
    matcher = ai.Matcher.for_event(dealer_db, ev)
    for name in ("张伟-8000", "张伟（尾号8000）", "张伟 手机尾号:8000", "张伟8000", "张伟_8000"):
        assert matcher.match_cells(name)[0] == regs[ZHANG_WEI], name
    assert matcher.match_cells("张伟-6666")[0] == regs["+8615900006666"]
    got, reason = matcher.match_cells("张伟")
    assert got is None and reason == "2 registrants are named 张伟"
    got, reason = matcher.match_cells("王芳-8000")  # 王芳's phone ends in 2222
    assert got is None and "王芳" in reason and "8000" in reason


def test_phones_inside_names_with_spaces_dashes_or_the_country_code() -> None:
    assert name_clue("郭涛 138 6666 8888")[1].full == "+8613866668888"  # type: ignore[union-attr]
    assert name_clue("郭涛 138-6666-8888")[1].full == "+8613866668888"  # type: ignore[union-attr]
    assert name_clue("+86 13866668888")[1].full == "+8613866668888"  # type: ignore[union-attr]
    rest, clue = name_clue("+86 138****8000")
    assert rest == "" and clue is not None and (clue.prefix, clue.suffix) == ("138", "8000")
    rest, clue = name_clue("86138****8000")
    assert clue is not None and (clue.prefix, clue.suffix) == ("138", "8000")
    rest, clue = name_clue("郭涛 138 6666-8888")  # mixed grouping: not one number
    assert clue is None or clue.full is None


def test_emoji_and_the_question_marks_of_a_gbk_resave_do_not_count_in_names(
    dealer_db: Database,
) -> None:
    ev, regs = setup_event(dealer_db)
    matcher = ai.Matcher.for_event(dealer_db, ev)
    for name in ("🌸马丽🌸", "?马丽?", "马丽❤️", "★马丽★"):
        assert matcher.match_cells(name)[0] == regs["+8615577778888"], name
    assert matcher.match_cells("🌸🌸")[0] is None


def test_an_email_typed_as_the_name(dealer_db: Database) -> None:
    ev, regs = setup_event(dealer_db)
    matcher = ai.Matcher.for_event(dealer_db, ev)
    assert matcher.match_cells("lina.li@qq.com")[0] == regs["+8613912345678"]
    assert matcher.match_cells("Lina (LINA.LI@qq.com)")[0] == regs["+8613912345678"]
    assert shown_identity(["李娜@星辰车友会"]).email is None  # not an address


# --------------------------------------------------------------------------- rules: columns


def test_a_replay_column_is_never_the_time_at_the_event() -> None:
    assert _map(["昵称", "观看时长(回放)", "观看时长(直播)"])["duration"] == 2
    assert _map(["昵称", "回放累计观看时长", "首次观看时间"]).get("duration") is None
    assert _map(["昵称", "观看时长(含回放)"])["duration"] == 1  # everything: still the time


def test_host_roles_with_a_note_are_hosts() -> None:
    for role in ("主持人", "主持人（我）", "会议创建者/主持人", "Co-Host", "联席主持人", "ホスト"):
        assert is_host_role(role), role
    for role in ("普通参会者", "参会者", "Attendee", None, "观众"):
        assert not is_host_role(role), role


def test_a_chinese_zoom_meeting_block_is_not_a_participant_table(
    dealer_db: Database, tmp_path: Path
) -> None:
    """Zoom in Chinese with 显示唯一用户: the block row has 参会者 and 持续时间 too."""
    ev, _ = setup_event(dealer_db)
    f = tmp_path / "participants_853.csv"
    f.write_text(
        "会议 ID,主题,开始时间,结束时间,用户邮箱,持续时间（分钟）,参会者\n"
        "853 2026 1103,双十一购车夜谈直播,2026/11/03 20:50:12,2026/11/04 00:40:05,"
        "live@xingchen-auto.cn,230,3\n,,,,,,\n"
        "名称（原始名称）,用户邮箱,持续时间（分钟）,访客\n"
        "星辰汽车直播间,live@xingchen-auto.cn,230,否\n吴敏,,95,是\n罗敏,,12,是\n",
        encoding="utf-8-sig",
    )
    rep = ai.import_attendance(dealer_db, ev, f)
    assert rep.rejected == () and counts(rep) == (2, 2, 0, 2, 1)
    assert minutes(dealer_db) == {"+8613122224444": 95, "+8613522220000": 12}
