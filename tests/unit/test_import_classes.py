"""The classes of real data that cost dealers people (issue 13), one fixture each
(tests/fixtures/make_classes.py): exactly who comes in, every row in one bucket, every
value left out named with row, column, value and why; a dry run says the same and writes
nothing; the same file again changes nothing. SQLite and PostgreSQL (dealer_db)."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from desktop_app.cli import main
from desktop_app.domain.errors import RuleViolation
from desktop_app.services import attendance_import, feedback, people_import, signups_import, staff
from desktop_app.services import registration as reg
from desktop_app.services.import_report import RowCounts
from desktop_app.store.db import Database
from desktop_app.store.models import Base, Feedback, OnlineAttendance, Person, Registration
from tests.checkin_support import make_event, register
from tests.fixtures import make_classes as mk
from tests.unit.test_people_import import people_state

FIX = Path(__file__).parents[1] / "fixtures" / "classes"
HISTORY = {"audit_log", "sync_operations"}


def snapshot(db: Database) -> dict[str, list[str]]:
    """Every data row (not the history of operations), to prove a run changed nothing."""
    with db.read() as s:
        return {
            t.name: sorted(repr(tuple(r)) for r in s.execute(select(t)))
            for t in Base.metadata.sorted_tables
            if t.name not in HISTORY
        }


def problems(items: tuple[Any, ...]) -> list[tuple[int | None, str | None, str | None, str]]:
    return [(p.row, p.field, p.value, p.code) for p in items]


def checked(counts: RowCounts) -> dict[str, int]:
    assert counts.adds_up, counts.buckets
    return {"rows": counts.rows, **counts.buckets}


def to_check(key: str, value: str) -> str:
    return people_import.unverified_note(key, value)


# --------------------------------------------------------------------------- people

PEOPLE = {
    ("张伟", "+8613800138000", "owner", None, "", (), "李娜"),
    ("王芳", "+8613912345678", "owner", None, to_check("vin", mk.TYPO), (), "李娜"),
    ("李娜", "+8613500001111", "owner", None, to_check("vin", mk.SHORT), (), "赵强"),
    ("刘洋", "+8613700002222", "owner", None, to_check("vin", mk.WITH_O_BAD), (), "赵强"),
    ("陈静", "+8615001500002", "owner", None, "", (), None),
    ("赵磊", None, "owner", None, "", (), None),
}
VEHICLES = {
    ("+8613800138000", mk.VIN_A, "沪AD12345", "帕萨特", date(2023, 5, 6)),
    ("+8613800138000", mk.VIN_C, None, "途昂", date(2024, 3, 15)),  # the second car
    ("+8613912345678", None, "沪B23456", "途观L", date(2024, 1, 20)),  # the VIN to check
    ("+8613500001111", None, None, "朗逸", date(2022, 11, 3)),
    ("+8613700002222", None, "沪C11111", "凌渡", date(2023, 3, 3)),
    ("+8615001500002", mk.VIN_B, None, "速腾", date(2024, 6, 1)),
    ("赵磊", None, "沪C54321", "探岳", None),
}


def test_a_dms_list_with_vin_typos_and_repeats_written_apart_loses_nobody(
    dealer_db: Database,
) -> None:
    path = FIX / "dms_vin_typos_repeats.xlsx"
    before = snapshot(dealer_db)
    dry = people_import.import_people(dealer_db, path, dry_run=True)
    assert snapshot(dealer_db) == before, "a dry run writes nothing"
    real = people_import.import_people(dealer_db, path)
    for report in (dry, real):
        assert checked(report.counts) == {
            "rows": 9, "created": 6, "updated": 0, "unchanged": 0, "duplicates": 2,
            "additional_cars": 1, "rejected": 0,
        }  # fmt: skip
        # 张伟 again with +86, dashes and a trailing space, the VIN in lower case: the same
        # car (row 10); again with the VIN spaced out: his second car (row 11); 陈静 in
        # full-width digits, then with 0086: the same (row 12)
        assert report.duplicate_rows == ((10, 5), (12, 9))
        assert report.counts.linked("additional_cars") == ((11, 5),)
        assert problems(report.warnings) == [
            (6, "vin", mk.TYPO, "import_vin_unverified"),
            (7, "vin", mk.SHORT, "import_vin_unverified"),
            (8, "vin", mk.WITH_O_BAD, "import_vin_unverified"),
        ]
    assert (
        "check digit" in real.warnings[0].reason and "kept in the notes" in real.warnings[0].reason
    )
    assert real.warnings[0].localized("zh").startswith("车架号：校验位（第 9 位）")
    assert people_state(dealer_db) == (PEOPLE, VEHICLES)
    after = snapshot(dealer_db)
    again = people_import.import_people(dealer_db, path)
    assert checked(again.counts) == {
        "rows": 9, "created": 0, "updated": 0, "unchanged": 6, "duplicates": 2,
        "additional_cars": 1, "rejected": 0,
    }  # fmt: skip
    assert snapshot(dealer_db) == after, "the same file again changes nothing"


def _dealer_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    """A dealer's database set up with `paddock init`; its path for --db."""
    db = str(tmp_path / "cli.sqlite")
    assert main(["--db", db, "init", "--dealer-code", "SH-0021", "--dealer-name", "星辰"]) == 0
    capsys.readouterr()
    return db


def test_the_people_import_cli_reports_rows_every_bucket_and_the_warnings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db, path = _dealer_cli(tmp_path, capsys), str(FIX / "dms_vin_typos_repeats.xlsx")
    assert main(["--db", db, "people", "import", path, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["rows"] == 9 and sum(data["buckets"].values()) == 9
    assert (data["created"], data["duplicates"], data["additional_cars"]) == (6, 2, 1)
    assert data["rejected"] == []
    assert data["duplicate_rows"] == [{"row": 10, "same_as": 5}, {"row": 12, "same_as": 9}]
    assert data["additional_cars_rows"] == [{"row": 11, "adds_to": 5}]
    assert [set(w) for w in data["warnings"]] == [{"row", "field", "value", "reason", "code"}] * 3
    assert main(["--db", db, "people", "import", path]) == 0
    out = capsys.readouterr().out
    assert out.startswith("9 rows, 0 created, 0 updated, 6 unchanged, 2 duplicates, 1 more cars")
    assert "row 6: VIN: check digit" in out


def test_a_chinese_speaking_user_reads_a_people_dry_run_all_in_chinese(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db, path = _dealer_cli(tmp_path, capsys), str(FIX / "dms_vin_typos_repeats.xlsx")
    assert main(["--db", db, "--lang", "zh", "people", "import", path, "--dry-run"]) == 0
    head, vehicles, *_ = capsys.readouterr().out.splitlines()
    assert head.startswith("试运行（未保存任何内容）：共 9 行，新建 6，")
    assert vehicles == "车辆：新增 7，更新 0"
    assert main(["--db", db, "people", "import", path, "--dry-run"]) == 0
    head, vehicles, *_ = capsys.readouterr().out.splitlines()
    assert head.startswith("Dry run (nothing saved): 9 rows, 6 created, ")
    assert vehicles == "vehicles: 7 added, 0 updated"


# --------------------------------------------------------------------------- sign-ups


def future_event(db: Database, title: str, **kw: Any) -> uuid.UUID:
    return make_event(db, title, starts_at=datetime.now(UTC) + timedelta(days=30), **kw)


def signups(db: Database, ev: uuid.UUID) -> dict[str, tuple[Any, ...]]:
    return {
        v.phone or "": (v.name, v.status, v.party_size, v.plate)
        for v in reg.list_registrations(db, ev)
    }


def test_a_jinshuju_drive_with_everyday_answers_registers_everyone_with_a_phone(
    dealer_db: Database,
) -> None:
    ev = future_event(
        dealer_db, "千岛湖自驾", type="club_drive", capacity=None, details={"max_cars": 10}
    )
    path = FIX / "jinshuju_drive_everyday.xlsx"
    before = snapshot(dealer_db)
    dry = signups_import.import_signups(dealer_db, ev, path, dry_run=True)
    assert snapshot(dealer_db) == before
    real = signups_import.import_signups(dealer_db, ev, path)
    for report in (dry, real):
        assert checked(report.counts) == {
            "rows": 8, "created": 6, "updated": 0, "unchanged": 0, "duplicates": 1,
            "not_registered": 0, "rejected": 1,
        }  # fmt: skip
        assert report.duplicate_rows == ((3, 9),)  # 吴磊's first submission
        assert problems(report.rejected) == [(7, "phone", None, "signup_no_phone")]
        assert problems(report.warnings) == [
            (5, "plate", "无", "signup_drive_no_plate"),
            (6, "name", None, "signup_name_missing"),
            (8, "companions", "2-3人", "signup_party_range"),
            (8, "plate", "沪B12O45", "signup_plate_unverified"),
            (9, "companions", "两三个", "signup_party_range"),
        ]
    assert signups(dealer_db, ev) == {
        "+8613611112222": ("欧阳娜娜", "registered", 1, "沪AD12345"),  # 同行 无
        "+8613500008888": ("何炅", "registered", 1, "浙A88888"),  # 不带
        "+8613700001111": ("钱进", "registered", 3, None),  # 1大1小; no plate: warned
        "+8613700002222": ("13700002222", "registered", 1, "沪A54321"),  # no name
        "+8613700003333": ("孙俪", "registered", 4, None),  # 2-3人: the upper bound
        "+8618600001234": ("吴磊", "registered", 4, "沪B12345"),  # 两三个, his later answer
    }
    with dealer_db.read() as s:  # the plate as written stays with the answers, to check
        sun = s.scalars(
            select(Registration)
            .join(Person, Person.id == Registration.person_id)
            .where(Person.phone == "+8613700003333")
        ).one()
        assert sun.answers is not None and sun.answers["车牌号"] == "沪B12O45"
    after = snapshot(dealer_db)
    again = signups_import.import_signups(dealer_db, ev, path)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 6)
    assert snapshot(dealer_db) == after


def test_a_wjx_open_day_with_everyday_counts_and_a_bad_submit_time(dealer_db: Database) -> None:
    ev = future_event(dealer_db, "开放日")
    report = signups_import.import_signups(dealer_db, ev, FIX / "wjx_open_day_everyday.csv")
    assert checked(report.counts) == {
        "rows": 5, "created": 4, "updated": 0, "unchanged": 0, "duplicates": 0,
        "not_registered": 0, "rejected": 1,
    }  # fmt: skip
    assert problems(report.rejected) == [(6, "phone", "138****5678", "import_phone")]
    assert problems(report.warnings) == [
        (2, "party", "两三个", "signup_party_range"),
        (3, "party", "暂无", "signup_party_unread"),
        (4, "party", "0", "signup_party_unread"),
        (4, "submitted", "上周五", "signup_submitted_unread"),
    ]
    assert {k: v[2] for k, v in signups(dealer_db, ev).items()} == {
        "+8613812345678": 3,
        "+8613912345678": 1,
        "+8618612345678": 1,
        "+8615912345678": 1,  # (空)
    }


@pytest.mark.parametrize(
    ("status", "zh_status"), [("draft", "草稿"), ("cancelled", "已取消"), ("completed", "已完成")]
)
def test_a_sign_up_file_for_an_event_that_takes_none_is_refused_once_before_any_row(
    dealer_db: Database, status: str, zh_status: str, capsys: pytest.CaptureFixture[str]
) -> None:
    ev = future_event(dealer_db, "草稿活动", status=status)
    before = snapshot(dealer_db)
    with pytest.raises(RuleViolation) as refused:
        signups_import.import_signups(dealer_db, ev, FIX / "jinshuju_drive_everyday.xlsx")
    assert refused.value.code == "signup_event_refused"
    assert f"草稿活动 is {status}" in str(refused.value)
    # in Chinese the status is its label, as the events screen shows it — not the stored key
    assert refused.value.localized("zh").startswith(f"「草稿活动」的状态为「{zh_status}」")
    assert snapshot(dealer_db) == before
    args = ["--db", dealer_db.url, "signups", "import", str(ev)]
    assert main([*args, str(FIX / "jinshuju_drive_everyday.xlsx")]) == 1
    out, err = capsys.readouterr()
    assert out == "" and err.count("does not take") + err.count(status) >= 1
    assert len(err.strip().splitlines()) == 1, "said once, not per row"
    assert main(["--lang", "zh", *args, str(FIX / "jinshuju_drive_everyday.xlsx")]) == 1
    out, err = capsys.readouterr()
    assert f"「{zh_status}」" in err and status not in err


# --------------------------------------------------------------------------- attendance

ROSTER = (
    ("李娜", "+8613800138000"),
    ("王芳", "+8613912345678"),
    ("陈静", "+8615000150002"),
    ("张伟", "+8613800138001"),
    ("孙丽", "+8617700003333"),
    ("刘洋", "+8618600002222"),
)


def online_event(db: Database) -> uuid.UUID:
    ev = make_event(
        db, "十二月会员日直播", format="online", type="member_day", hours=2,
        starts_at=datetime(2026, 12, 7, 11, 0, tzinfo=UTC),
    )  # fmt: skip
    for name, phone in ROSTER:
        register(db, ev, name, phone)
    staff.create_staff(db, "赵强", phone="13600136000", email="zhao.qiang@gmail.com")
    return ev


def minutes(db: Database) -> dict[str, int | None]:
    with db.read() as s:
        return dict(
            s.execute(
                select(Person.name, Registration.online_minutes).join(
                    Person, Person.id == Registration.person_id
                )
            ).all()
        )


def test_a_tencent_participant_who_changes_their_nickname_is_one_participant(
    dealer_db: Database,
) -> None:
    ev = online_event(dealer_db)
    path = FIX / "tencent_nickname_changed.xlsx"
    before = snapshot(dealer_db)
    dry = attendance_import.import_attendance(dealer_db, ev, path, dry_run=True)
    assert snapshot(dealer_db) == before
    rep = attendance_import.import_attendance(dealer_db, ev, path)
    for report in (dry, rep):
        assert checked(report.counts) == {
            "rows": 7, "created": 3, "updated": 0, "unchanged": 0, "duplicates": 0,
            "rejoins": 2, "staff": 2, "absent": 0, "rejected": 0,
        }  # fmt: skip
        assert report.counts.linked("rejoins") == ((12, 11), (14, 13))
        assert (report.participants, report.matched, report.attended) == (3, 3, 3)
        assert [(st.name, st.why.code) for st in report.staff_left_out] == [
            ("星辰客服", "attendance_staff_host"),
            ("小助手", "attendance_staff_host"),
        ]
    # 李娜 30 + 55 minutes under two 入会昵称; 王芳 19:00–20:10 (two overlapping stays)
    assert {k: v for k, v in minutes(dealer_db).items() if v} == {
        "李娜": 85,
        "王芳": 70,
        "陈静": 15,
    }
    with dealer_db.read() as s:
        assert s.scalar(select(func.count()).select_from(OnlineAttendance)) == 3
    after = snapshot(dealer_db)
    again = attendance_import.import_attendance(dealer_db, ev, path)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert snapshot(dealer_db) == after


def test_zoom_staff_are_never_attendees_and_the_report_says_why(dealer_db: Database) -> None:
    ev = online_event(dealer_db)
    rep = attendance_import.import_attendance(dealer_db, ev, FIX / "zoom_cohost_dealer_domain.csv")
    assert checked(rep.counts) == {
        "rows": 8, "created": 3, "updated": 0, "unchanged": 0, "duplicates": 0,
        "rejoins": 1, "staff": 4, "absent": 0, "rejected": 0,
    }  # fmt: skip
    assert [(st.name, st.why.code, st.rows) for st in rep.staff_left_out] == [
        ("星辰汽车客服", "attendance_staff_host", (5,)),  # the meeting block's host
        ("销售顾问 小王", "attendance_staff_not_guest", (6,)),  # a co-host: Guest = No
        ("售后 老周", "attendance_staff_domain", (7,)),  # xingchen-auto.cn, like the host
        ("Zhao", "attendance_staff_list", (8,)),  # 赵强's e-mail on Paddock's staff list
    ]
    assert rep.staff_by_reason() == {
        "attendance_staff_host": 1,
        "attendance_staff_not_guest": 1,
        "attendance_staff_domain": 1,
        "attendance_staff_list": 1,
    }
    # 张伟 renamed himself 伟哥: the same account (his original name, his e-mail)
    assert rep.counts.linked("rejoins") == ((11, 10),)
    assert (rep.participants, rep.matched, rep.unmatched) == (3, 2, 1)
    assert [u.name for u in rep.unmatched_list] == ["路人甲"]
    data = rep.to_json()
    assert data["hosts"] == 4 and data["staff"] == 4
    assert data["staff_left_out"][2]["reason"] == "e-mail on the host's own domain xingchen-auto.cn"


def test_dingtalk_viewers_are_their_accounts(dealer_db: Database) -> None:
    ev = online_event(dealer_db)
    rep = attendance_import.import_attendance(dealer_db, ev, FIX / "dingtalk_user_ids.xlsx")
    assert checked(rep.counts) == {
        "rows": 4, "created": 3, "updated": 0, "unchanged": 0, "duplicates": 0,
        "rejoins": 1, "staff": 0, "absent": 0, "rejected": 0,
    }  # fmt: skip
    assert rep.counts.linked("rejoins") == ((4, 3),)  # 孙丽-车友会 is ding_u01 again
    assert {k: v for k, v in minutes(dealer_db).items() if v} == {"孙丽": 75, "刘洋": 45}


def test_the_attendance_text_counts_staff_as_people_and_their_rows_apart(
    dealer_db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    """孙丽 joined twice (two rows) and 刘洋 once, both on the staff list: two staff, three
    rows; the one viewer left is one participant (not "1 participants")."""
    ev = make_event(
        dealer_db, "十二月会员日直播", format="online", type="member_day", hours=2,
        starts_at=datetime(2026, 12, 7, 11, 0, tzinfo=UTC),
    )  # fmt: skip
    staff.create_staff(dealer_db, "孙丽", phone="13700137001")
    staff.create_staff(dealer_db, "刘洋", phone="13700137002")
    args = ["--db", dealer_db.url, "attendance", "import", str(ev)]
    args += [str(FIX / "dingtalk_user_ids.xlsx"), "--dry-run"]
    assert main(args) == 0
    people, rows, *_ = capsys.readouterr().out.splitlines()
    assert people.startswith(
        "Dry run (nothing saved): dingtalk: 1 participant, 2 staff (3 rows) left out;"
    )
    assert rows.startswith("4 rows, ") and ", 3 staff rows left out, " in rows
    assert main(["--lang", "zh", *args]) == 0
    people, rows, *_ = capsys.readouterr().out.splitlines()
    assert people.startswith(
        "试运行（未保存任何内容）：dingtalk：参会者 1 人，已排除员工 2 人（3 行）；"
    )
    assert rows.startswith("共 4 行，") and "，员工记录（已排除）3 行，" in rows


def test_an_attendance_file_for_an_on_site_draft_or_cancelled_event_is_refused(
    dealer_db: Database,
) -> None:
    for kw, code in (
        ({"format": "on_site"}, "not_online_event"),
        ({"format": "online", "status": "draft"}, "attendance_event_refused"),
        ({"format": "online", "status": "cancelled"}, "attendance_event_refused"),
    ):
        ev = make_event(dealer_db, "活动", **kw)  # type: ignore[arg-type]
        before = snapshot(dealer_db)
        with pytest.raises(RuleViolation) as refused:
            attendance_import.import_attendance(dealer_db, ev, FIX / "dingtalk_user_ids.xlsx")
        assert refused.value.code == code
        assert snapshot(dealer_db) == before


# --------------------------------------------------------------------------- feedback


def test_a_survey_with_bad_scores_keeps_every_readable_answer(dealer_db: Database) -> None:
    ev = make_event(dealer_db, "三月开放日")
    for name, phone in (("陈静", "+8613900139005"), ("周杰", "+8618600186009"),
                        ("刘洋", "+8613900139004")):  # fmt: skip
        register(dealer_db, ev, name, phone)
    path = FIX / "wjx_feedback_everyday.xlsx"
    rep = feedback.import_feedback(dealer_db, ev, path)
    assert checked(rep.counts) == {
        "rows": 5, "created": 2, "updated": 0, "unchanged": 0, "duplicates": 1, "empty": 1,
        "rejected": 1,
    }  # fmt: skip
    assert rep.duplicate_rows == ((3, 6),)  # 周杰 again, his phone written with +86
    assert problems(rep.rejected) == [(4, "rating", "还行吧", "feedback_no_answer")]
    assert problems(rep.warnings) == [(3, "rating", "6分", "feedback_answer_dropped")]
    with dealer_db.read() as s:
        got = {(f.rating, f.nps, f.comment) for f in s.scalars(select(Feedback))}
    assert got == {(5, 10, "试驾很过瘾"), (4, 9, "")}
    again = feedback.import_feedback(dealer_db, ev, path)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)


def test_feedback_for_a_draft_event_is_refused(dealer_db: Database) -> None:
    ev = make_event(dealer_db, "未发布", status="draft")
    with pytest.raises(RuleViolation) as refused:
        feedback.import_feedback(dealer_db, ev, FIX / "wjx_feedback_everyday.xlsx")
    assert refused.value.code == "feedback_event_refused"
