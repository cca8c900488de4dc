"""A coordinator imports who attended the online member day from Zoom, 腾讯会议 or 钉钉.

Fixtures: tests/fixtures/attendance/ (made by tests/fixtures/make_attendance.py).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from desktop_app.domain.errors import FileUnreadable, RuleViolation
from desktop_app.domain.timeutil import zone
from desktop_app.services import attendance_import as ai
from desktop_app.services import checkin
from desktop_app.store.db import Database
from desktop_app.store.models import OnlineAttendance, Person, Registration
from tests.checkin_support import make_event, register

FIX = Path(__file__).parents[1] / "fixtures" / "attendance"
START = datetime(2026, 12, 7, 19, 0, tzinfo=zone("Asia/Shanghai"))

ROSTER = [
    ("李娜", "+8613800138000"),
    ("王芳", "+8613912345678"),
    ("张伟", "+8615000001111"),
    ("刘洋", "+8618600002222"),
    ("陈静", "+8613811114321"),
    ("赵磊", "+8613922224321"),
    ("孙丽", "+8617700003333"),
    ("周杰", "+8613600009999"),
    ("王伟", "+8615100000001"),
    ("王伟", "+8615100000002"),  # two people with a common name: never matched by name
]


def setup_event(db: Database, **kw: object) -> tuple[uuid.UUID, dict[str, uuid.UUID]]:
    ev = make_event(
        db,
        "十二月会员日直播",
        starts_at=START,
        hours=2,
        format="hybrid",
        type="member_day",
        **kw,  # type: ignore[arg-type]
    )
    regs: dict[str, uuid.UUID] = {}
    for name, phone in ROSTER:
        seat = register(db, ev, name, phone)
        regs.setdefault(name, seat.registration_id)
    with db.write() as s:
        p = s.scalars(select(Person).where(Person.name == "张伟")).one()
        p.email = "Zhang.Wei@example.com"
    return ev, regs


def minutes(db: Database) -> dict[str, int | None]:
    with db.read() as s:
        rows = s.execute(
            select(Person.name, Registration.online_minutes)
            .join(Person, Person.id == Registration.person_id)
            .where(Registration.online_minutes.is_not(None))
        )
        return dict(rows.all())


def counts(rep: ai.AttendanceReport) -> tuple[int, ...]:
    return (rep.sessions, rep.participants, rep.matched, rep.unmatched, rep.attended, rep.hosts)


def test_zoom_classic_export_counts_rejoins_once_and_leaves_the_host_out(
    dealer_db: Database,
) -> None:
    ev, _ = setup_event(dealer_db)
    rep = ai.import_attendance(dealer_db, ev, FIX / "zoom_participants_classic.csv")
    assert rep.platform == "zoom"
    assert counts(rep) == (10, 6, 4, 2, 3, 1)
    assert (rep.created, rep.updated, rep.unchanged, rep.duplicates) == (6, 0, 0, 1)
    assert rep.rejected == () and rep.min_minutes == 10
    # 李娜 rejoined (40 + 45); 张伟's laptop and iPhone overlapped: 19:02–20:15 = 73, not 105
    assert minutes(dealer_db) == {"李娜": 85, "张伟": 73, "刘洋": 90}
    assert sorted(u.name for u in rep.unmatched_list) == ["王伟", "路人甲"]
    with dealer_db.read() as s:
        jay = s.scalars(
            select(OnlineAttendance).where(OnlineAttendance.display_name == "Jay")
        ).one()
        assert jay.minutes == 8 and jay.registration_id is not None  # matched, too short
    j = rep.to_json()
    for key in ("created", "updated", "unchanged", "duplicates", "rejected", "sessions"):
        assert key in j
    assert j["participants"] == 6 and j["attended"] == 3


def test_zoom_newer_lower_case_export_with_bom(dealer_db: Database) -> None:
    ev, _ = setup_event(dealer_db)
    rep = ai.import_attendance(dealer_db, ev, FIX / "zoom_participants_new.csv")
    assert rep.platform == "zoom"
    # no meeting block names the host, but Guest = No says the account is the host's own
    assert counts(rep) == (5, 3, 3, 0, 2, 1)
    (host,) = rep.staff_left_out
    assert (host.name, host.why.code, host.rows) == (
        "星辰汽车客服",
        "attendance_staff_not_guest",
        (6,),
    )
    assert rep.counts["staff"] == 1 and rep.counts.adds_up
    # two devices at once (19:00–20:00 and 19:30–20:30) are 90 minutes, not 120
    assert minutes(dealer_db) == {"王芳": 30, "李娜": 90}


def test_tencent_meeting_workbook_uses_the_detail_sheet_and_masked_phones(
    dealer_db: Database,
) -> None:
    ev, _ = setup_event(dealer_db)
    rep = ai.import_attendance(dealer_db, ev, FIX / "tencent_meeting_participants.xlsx")
    assert rep.platform == "tencent_meeting" and rep.sheet == "成员参会明细"
    assert counts(rep) == (10, 6, 4, 2, 3, 2)
    assert minutes(dealer_db) == {"李娜": 65, "王芳": 90, "陈静": 15}
    assert {u.name for u in rep.unmatched_list} == {"人员3&人员4", "访客8899"}
    visitor = next(u for u in rep.unmatched_list if u.name == "访客8899")
    assert visitor.phone == "138****0000" and visitor.minutes == 60


def test_tencent_detail_re_saved_by_excel_as_gbk_csv_gives_the_same_numbers(
    dealer_db: Database,
) -> None:
    ev, _ = setup_event(dealer_db)
    rep = ai.import_attendance(dealer_db, ev, FIX / "tencent_meeting_resaved_gbk.csv")
    assert rep.platform == "tencent_meeting"
    assert counts(rep) == (10, 6, 4, 2, 3, 2)
    assert minutes(dealer_db) == {"李娜": 65, "王芳": 90, "陈静": 15}


def test_dingtalk_viewing_times_are_summed_and_bad_rows_reported(dealer_db: Database) -> None:
    ev, _ = setup_event(dealer_db)
    rep = ai.import_attendance(dealer_db, ev, FIX / "dingtalk_live_viewers.csv")
    assert rep.platform == "dingtalk"
    # 钱七's 观看时长 says 很久: left out with a warning; he still came (0 minutes counted)
    assert counts(rep) == (6, 5, 3, 2, 2, 0)
    assert rep.rejected == ()
    assert [(w.row, w.field, w.value) for w in rep.warnings] == [(7, "duration", "很久")]
    assert minutes(dealer_db) == {"孙丽": 75, "刘洋": 45}


def test_importing_the_same_file_again_changes_nothing(dealer_db: Database) -> None:
    ev, _ = setup_event(dealer_db)
    path = FIX / "tencent_meeting_participants.xlsx"
    ai.import_attendance(dealer_db, ev, path)
    before = minutes(dealer_db)
    again = ai.import_attendance(dealer_db, ev, path)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 6)
    assert minutes(dealer_db) == before
    with dealer_db.read() as s:
        assert s.scalar(select(func.count()).select_from(OnlineAttendance)) == 6


def test_a_dry_run_reports_without_writing(dealer_db: Database) -> None:
    ev, _ = setup_event(dealer_db)
    rep = ai.import_attendance(dealer_db, ev, FIX / "zoom_participants_classic.csv", dry_run=True)
    assert rep.dry_run and rep.created == 6 and rep.attended == 3
    assert minutes(dealer_db) == {}
    with dealer_db.read() as s:
        assert s.scalar(select(func.count()).select_from(OnlineAttendance)) == 0


def test_the_threshold_comes_from_the_option_else_the_event(dealer_db: Database) -> None:
    ev, _ = setup_event(dealer_db, min_online_minutes=80)
    rep = ai.import_attendance(dealer_db, ev, FIX / "zoom_participants_classic.csv")
    assert rep.min_minutes == 80 and minutes(dealer_db) == {"李娜": 85, "刘洋": 90}
    rep2 = ai.import_attendance(dealer_db, ev, FIX / "zoom_participants_classic.csv", min_minutes=5)
    assert rep2.attended == 4 and minutes(dealer_db)["周杰"] == 8
    assert checkin.desk_counts(dealer_db, ev).online_attended == 4
    # the option becomes the event's threshold, so reports derive the same attendance
    from desktop_app.services import events, registration

    assert events.get_event(dealer_db, ev).min_online_minutes == 5
    statuses = [r.status for r in registration.list_registrations(dealer_db, ev)]
    assert statuses.count("attended") == 4


def test_an_unmatched_participant_is_matched_by_hand_and_kept_on_reimport(
    dealer_db: Database,
) -> None:
    ev, regs = setup_event(dealer_db)
    path = FIX / "zoom_participants_classic.csv"
    rep = ai.import_attendance(dealer_db, ev, path)
    wang = next(u for u in rep.unmatched_list if u.name == "王伟")
    res = ai.match_attendance(dealer_db, ev, wang.key, regs["王伟"])
    assert (res.minutes, res.attended) == (120, True)
    again = ai.import_attendance(dealer_db, ev, path)
    assert (again.matched, again.unmatched, again.attended) == (5, 1, 4)
    assert (again.created, again.updated) == (0, 0)
    assert [u.name for u in again.unmatched_list] == ["路人甲"]
    by_id = ai.match_attendance(dealer_db, ev, str(again.unmatched_list[0].id), regs["孙丽"])
    assert by_id.name == "孙丽" and by_id.minutes == 40


def test_an_on_site_event_or_a_file_without_participants_is_refused(
    dealer_db: Database, tmp_path: Path
) -> None:
    on_site = make_event(dealer_db)
    with pytest.raises(RuleViolation):
        ai.import_attendance(dealer_db, on_site, FIX / "zoom_participants_classic.csv")
    ev, _ = setup_event(dealer_db)
    junk = tmp_path / "notes.csv"
    junk.write_text("车型,颜色\n星辰 S7,白\n", encoding="utf-8")
    with pytest.raises(FileUnreadable):
        ai.import_attendance(dealer_db, ev, junk)


def test_name_brackets_and_interval_union() -> None:
    assert ai.split_name("Bruce Wayne (Batman)") == ("Bruce Wayne", "Batman")
    assert ai.split_name("李娜（Lina的iPhone）") == ("李娜", "Lina的iPhone")
    assert ai.split_name("王芳") == ("王芳", None)
    t = START
    from datetime import timedelta as td

    spans = [(t, t + td(minutes=30)), (t + td(minutes=10), t + td(minutes=40))]
    spans.append((t + td(minutes=60), t + td(minutes=61)))
    assert ai.union_seconds(spans) == 41 * 60
    assert ai.to_minutes(1) == 1 and ai.to_minutes(0) == 0 and ai.to_minutes(600) == 10


def test_a_chinese_coordinator_reads_why_a_dingtalk_value_was_left_out_in_chinese(
    dealer_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    ev, _ = setup_event(dealer_db)
    rep = ai.import_attendance(dealer_db, ev, FIX / "dingtalk_live_viewers.csv")
    (bad,) = rep.warnings
    assert bad.localized("zh") == "时长未导入：'很久' 不是时长（可写 0:30:00、30分钟 或 85秒）"
    assert bad.localized("en") == (
        "Duration dropped: '很久' is not a duration (use 0:30:00, 30分钟 or 85秒)"
    )
    unmatched = {u.name: u for u in rep.unmatched_list}
    assert unmatched["周八"].localized("zh") == "报名名单里没有这个手机号、邮箱或姓名"
    assert unmatched["周八"].reason == "no registrant has this phone, e-mail or name"
    monkeypatch.setenv("PADDOCK_LANG", "zh_CN")  # --json on a Chinese desk
    data = rep.to_json()
    assert data["warnings"] == [
        {"row": 7, "field": "duration", "value": "很久", "reason": bad.localized("zh"),
         "code": "import_dropped"}
    ]  # fmt: skip
