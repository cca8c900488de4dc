"""Owners sign up through 问卷星 / 金数据 forms; the coordinator imports the export into the event."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from desktop_app.cli import main
from desktop_app.domain.errors import FileUnreadable
from desktop_app.domain.timeutil import now_utc
from desktop_app.services import events, signups_import
from desktop_app.services import registration as reg
from desktop_app.store.db import Database
from desktop_app.store.models import Person, Registration

FIX = Path(__file__).parents[1] / "fixtures" / "signups"
SOON = now_utc().replace(microsecond=0) + timedelta(days=5)

# Only a phone that is missing or no mobile rejects a row: nobody to register.
WJX_REJECTED = [
    (4, "phone: masked number '138****5678' cannot be used"),
    (5, "phone: '1381234567' has 10 digits; a mobile number has 11"),
]
# A head count nobody can read, a missing name: registered, with a warning.
WJX_WARNINGS = [
    (9, "party", "party size: '全家都来' is not a number of people (use 3, 3人 or 1大1小); "
     "counted as 1"),
    (10, "name", "name: no name; the person is named by their phone until someone types "
     "the name"),
]  # fmt: skip
# phone → (name, status, party, waitlist position): capacity 8, queue by FIRST submission
WJX_EXPECTED = {
    "+8613812345678": ("张伟", "registered", 3, None),  # row 8 (later) wins over row 2
    "+8618612345678": ("陈静", "registered", 3, None),  # row 6 (later time) wins over row 12
    "+8613912345678": ("李娜", "registered", 1, None),
    "+8613712345678": ("孙丽", "registered", 1, None),  # 全家都来: counted as 1
    "+8615912345678": ("赵磊", "waitlisted", 2, 1),  # 1大1小
    "+8613612345678": ("13612345678", "waitlisted", 1, 2),  # no name: named by the phone
    "+8618812345678": ("周杰", "waitlisted", 2, 3),
}


def rejected(report: signups_import.SignupReport) -> list[tuple[int | None, str]]:
    return [(r.row, r.reason) for r in report.rejected]


def warned(report: signups_import.SignupReport) -> list[tuple[int | None, str | None, str]]:
    return [(w.row, w.field, w.reason) for w in report.warnings]


def make_event(db: Database, **kw: Any) -> uuid.UUID:
    base: dict[str, Any] = dict(
        title="星辰开放日", type="open_day", starts_at=SOON, ends_at=SOON + timedelta(hours=7),
        venue="浦东展厅", capacity=8, waitlist_enabled=True,
    )  # fmt: skip
    e = events.create_event(db, events.EventDraft(**(base | kw)))
    events.set_status(db, e.id, "published")
    return e.id


def drive(db: Database) -> uuid.UUID:
    return make_event(
        db, title="千岛湖自驾", type="club_drive", venue=None, capacity=None,
        details={"meeting_point": "G60 松江服务区", "max_cars": 2},
    )  # fmt: skip


def result(db: Database, ev: uuid.UUID) -> dict[str, tuple[Any, ...]]:
    return {
        v.phone or "": (v.name, v.status, v.party_size, v.waitlist_position)
        for v in reg.list_registrations(db, ev)
    }


@pytest.mark.parametrize("name", ["wjx_open_day.xlsx", "wjx_open_day_gbk.csv"])
def test_a_wjx_export_imports_the_exact_right_set(dealer_db: Database, name: str) -> None:
    ev = make_event(dealer_db)
    report = signups_import.import_signups(dealer_db, ev, FIX / name)
    data = report.to_json()
    assert (data["created"], data["updated"], data["unchanged"]) == (7, 0, 0)
    assert data["duplicates"] == 2 and data["not_registered"] == 0
    assert sum(data["buckets"].values()) == data["rows"] == 11
    assert data["duplicate_rows"] == [{"row": 2, "same_as": 8}, {"row": 12, "same_as": 6}]
    assert rejected(report) == WJX_REJECTED and warned(report) == WJX_WARNINGS
    assert data["registrations"]["registered"] == 4
    assert data["registrations"]["waitlisted"] == 3
    assert result(dealer_db, ev) == WJX_EXPECTED
    views = {v.name: v for v in reg.list_registrations(dealer_db, ev)}
    assert all(v.source == "online_form" for v in views.values())
    with dealer_db.read() as s:
        zhang = s.get(Registration, views["张伟"].id)
        assert zhang is not None and zhang.answers is not None
        assert zhang.answers["5、您感兴趣的活动环节(多选)"] == ["试驾体验"]
        assert zhang.answers["7、其他想说的"] == "老婆也来"
        assert zhang.wants_test_drive and zhang.interest_model == "星辰 S7"
        people = s.scalars(select(Person)).all()
        assert {(p.stage, p.source) for p in people} == {("prospect", "online_form")}


def test_reimporting_the_same_export_changes_nothing(dealer_db: Database) -> None:
    ev = make_event(dealer_db)
    signups_import.import_signups(dealer_db, ev, FIX / "wjx_open_day.xlsx")
    again = signups_import.import_signups(dealer_db, ev, FIX / "wjx_open_day_gbk.csv")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 7)
    assert again.registrations["already"] == 7
    assert result(dealer_db, ev) == WJX_EXPECTED


def test_a_dry_run_reports_without_changing_anything(dealer_db: Database) -> None:
    ev = make_event(dealer_db)
    report = signups_import.import_signups(dealer_db, ev, FIX / "wjx_open_day.xlsx", dry_run=True)
    assert report.dry_run and report.created == 7 and len(report.rejected) == 2
    with dealer_db.read() as s:
        assert s.scalar(select(func.count()).select_from(Registration)) == 0
        assert s.scalar(select(func.count()).select_from(Person)) == 0


@pytest.mark.parametrize("name", ["jinshuju_drive.xlsx", "jinshuju_drive_gbk.csv"])
def test_a_jinshuju_export_never_takes_the_emergency_contacts_phone(
    dealer_db: Database, name: str
) -> None:
    ev = drive(dealer_db)
    report = signups_import.import_signups(dealer_db, ev, FIX / name)
    assert report.mapping["phone"] == "手机" and report.mapping["name"] == "姓名"
    assert rejected(report) == [
        (3, "phone: no phone number"),
        (5, "phone: '1860000123' has 10 digits; a mobile number has 11"),
    ]
    assert report.duplicates == 1 and report.created == 3
    assert result(dealer_db, ev) == {
        "+8613611112222": ("欧阳娜娜", "registered", 3, None),
        "+8618600001234": ("吴磊", "registered", 2, None),  # the later submission: 1 passenger
        "+8613500008888": ("何炅", "waitlisted", 3, 1),  # 3rd car, max 2
    }
    plates = {v.name: v.plate for v in reg.list_registrations(dealer_db, ev)}
    assert plates == {"欧阳娜娜": "沪AD12345", "吴磊": "沪B12345", "何炅": "浙A88888"}
    with dealer_db.read() as s:
        phones = set(s.scalars(select(Person.phone)))
    assert "+8613900001111" not in phones and "+8613900002222" not in phones


def test_known_people_are_registered_not_duplicated(dealer_db: Database) -> None:
    ev = make_event(dealer_db)
    other = make_event(dealer_db, title="另一个活动")
    known = reg.register(dealer_db, other, phone="13912345678", name="李娜VIP")
    report = signups_import.import_signups(dealer_db, ev, FIX / "wjx_open_day.xlsx")
    assert (report.created, report.updated) == (6, 1)
    assert result(dealer_db, ev)["+8613912345678"][0] == "李娜VIP"
    assert reg.find_registration(dealer_db, ev, known.person_id) is not None


def test_reimporting_does_not_undo_a_cancellation(dealer_db: Database) -> None:
    ev = make_event(dealer_db)
    signups_import.import_signups(dealer_db, ev, FIX / "wjx_open_day.xlsx")
    li = next(v for v in reg.list_registrations(dealer_db, ev) if v.name == "李娜")
    res = reg.cancel(dealer_db, li.id, reason="电话取消")
    # 1 seat free: 赵磊 (2) does not fit; the nameless one-person sign-up does
    assert [p.name for p in res.promoted] == ["13612345678"]
    again = signups_import.import_signups(dealer_db, ev, FIX / "wjx_open_day.xlsx")
    assert again.registrations["kept_cancelled"] == 1
    assert reg.get_registration(dealer_db, li.id).status == "cancelled"


def test_a_full_event_without_waitlist_keeps_the_people_that_do_not_fit_unregistered(
    dealer_db: Database,
) -> None:
    ev = make_event(dealer_db, capacity=4, waitlist_enabled=False)
    report = signups_import.import_signups(dealer_db, ev, FIX / "wjx_open_day.xlsx")
    got = result(dealer_db, ev)
    # queue by first submission: 张伟 3 (09:12), 陈静 3 (09:30) no, 李娜 1 yes, the rest no
    assert set(got) == {"+8613812345678", "+8613912345678"}
    assert (report.created, report.not_registered, report.duplicates) == (2, 5, 2)
    assert report.counts.adds_up
    full = [w for w in report.warnings if "full" in w.reason]
    assert [w.row for w in full] == [6, 7, 9, 10, 11]
    assert all(w.reason.endswith("the person is kept, without a registration") for w in full)
    with dealer_db.read() as s:  # nobody is lost: the five are prospects to call
        assert s.scalar(select(func.count()).select_from(Person)) == 7


def test_the_import_is_all_or_nothing(dealer_db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    ev = make_event(dealer_db)

    def boom(*a: Any, **k: Any) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(signups_import, "audit", boom)
    with pytest.raises(RuntimeError):
        signups_import.import_signups(dealer_db, ev, FIX / "wjx_open_day.xlsx")
    with dealer_db.read() as s:
        assert s.scalar(select(func.count()).select_from(Registration)) == 0
        assert s.scalar(select(func.count()).select_from(Person)) == 0


def test_a_file_without_name_or_phone_columns_is_refused(
    dealer_db: Database, tmp_path: Path
) -> None:
    ev = make_event(dealer_db)
    f = tmp_path / "x.csv"
    f.write_text("序号,提交答卷时间,1、您的车型\n1,2026/11/10 9:00:00,S7\n", encoding="utf-8")
    with pytest.raises(FileUnreadable, match="name and phone"):
        signups_import.import_signups(dealer_db, ev, f)
    g = tmp_path / "y.csv"
    g.write_text("姓名,紧急联系人电话\n张三,13800138000\n", encoding="utf-8")
    with pytest.raises(FileUnreadable, match="phone column"):
        signups_import.import_signups(dealer_db, ev, g)


def test_the_cli_imports_signups(
    dealer_sqlite: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    ev = make_event(dealer_sqlite)
    args = ["--db", dealer_sqlite.url, "signups", "import", str(ev)]
    assert main([*args, str(FIX / "wjx_open_day.xlsx"), "--dry-run", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["dry_run"] and [(r["row"], r["reason"]) for r in data["rejected"]] == WJX_REJECTED
    assert [(w["row"], w["field"]) for w in data["warnings"]] == [(9, "party"), (10, "name")]
    assert main([*args, str(FIX / "wjx_open_day.xlsx")]) == 0
    out = capsys.readouterr().out
    assert "7 new people" in out and "row 4:" in out
    assert main([*args, str(FIX / "missing.xlsx")]) == 1


def test_a_chinese_desk_reads_why_a_wjx_row_was_rejected_in_chinese(
    dealer_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    ev = make_event(dealer_db)
    report = signups_import.import_signups(dealer_db, ev, FIX / "wjx_open_day.xlsx")
    assert {r.row: r.localized("zh") for r in report.rejected} == {
        4: "手机号：138****5678 是打码号码（****），无法使用",
        5: "手机号：1381234567 位数太少，不是手机号",
    }
    assert {w.row: w.localized("zh") for w in report.warnings} == {
        9: "报名人数：'全家都来' 不是人数（可写 3、3人 或 1大1小）；按 1 人计",
        10: "没有填写姓名；暂以手机号作为姓名，可稍后补填",
    }
    assert [r.localized("en") for r in report.rejected] == [why for _, why in WJX_REJECTED]
    monkeypatch.setenv("PADDOCK_LANG", "zh_CN")  # the CLI's --json on a Chinese desk
    assert report.to_json()["warnings"][1] == {
        "row": 10,
        "field": "name",
        "value": None,
        "reason": "没有填写姓名；暂以手机号作为姓名，可稍后补填",
        "code": "signup_name_missing",
    }
    assert "  第 10 行：没有填写姓名；暂以手机号作为姓名，可稍后补填" in report.summary()
    head = report.summary().splitlines()[:2]  # the counts read as sentences too
    assert "新增" in head[0] and head[1].startswith("报名：已报名 ")
    assert "registered" not in report.summary() and "new people" not in report.summary()
    assert report.summary("en").splitlines()[1].startswith("registrations: registered ")


def test_a_full_event_says_so_in_chinese(dealer_db: Database) -> None:
    ev = make_event(dealer_db, capacity=4, waitlist_enabled=False)
    report = signups_import.import_signups(dealer_db, ev, FIX / "wjx_open_day.xlsx")
    full = {w.row: w.localized("zh") for w in report.warnings if "full" in w.reason}
    assert sorted(full) == [6, 7, 9, 10, 11]  # the registration rule's own words (event_full)
    assert all(zh.startswith("活动已满（") and "未开启候补" in zh for zh in full.values())
    assert all(zh.endswith("；已保留该客户，但未报名") for zh in full.values())


def test_a_jinshuju_row_without_a_phone_is_explained_in_chinese(dealer_db: Database) -> None:
    report = signups_import.import_signups(dealer_db, drive(dealer_db), FIX / "jinshuju_drive.xlsx")
    assert [r.localized("zh") for r in report.rejected] == [
        "没有填写手机号",
        "手机号：1860000123 位数太少，不是手机号",
    ]
