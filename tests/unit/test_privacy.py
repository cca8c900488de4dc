"""Personal data as PIPL asks: consent gates marketing lists, erasure leaves no personal
value anywhere (rows, audit log, reports, the SQLite file's bytes) while past report
figures stay equal, and a person gets their own copy."""

from __future__ import annotations

import json
import uuid
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, text

from desktop_app.cli import main
from desktop_app.domain.errors import PermissionDenied, RuleViolation, ValidationError
from desktop_app.domain.roles import Principal
from desktop_app.domain.timeutil import now_utc
from desktop_app.services import (
    consent,
    duplicates,
    erasure,
    events,
    feedback,
    invitations,
    people,
    person_copy,
    points,
    retention,
    walkin,
)
from desktop_app.services import people_import as pi
from desktop_app.services import registration as reg_svc
from desktop_app.services.reports import community_report, event_report
from desktop_app.store.db import Database
from desktop_app.store.models import (
    AuditEntry,
    Base,
    ConsentChange,
    Erasure,
    Person,
    Registration,
)
from tests.reports_support import Clock, Quarter, build_quarter, local

PHONE = "13912345678"
NAME = "欧阳娜娜"
WECHAT = "ouyang_nana88"
EMAIL = "nana.ouyang@example.cn"
VIN = "LSVAU218XN2183294"
PLATE = "沪AD12345"
OLD_PHONE = "13600001111"


def _admin(db: Database) -> Principal:
    from desktop_app.services import staff

    st = staff.create_staff(db, "管理员老周", "admin")
    return Principal(st.id, st.name, "admin")


def _soon(days: int = 5) -> Any:
    return now_utc().replace(microsecond=0) + timedelta(days=days)


def _event(db: Database, title: str = "星辰开放日") -> uuid.UUID:
    start = _soon()
    e = events.create_event(
        db,
        events.EventDraft(
            title=title, type="open_day", starts_at=start, ends_at=start + timedelta(hours=4),
            venue="展厅", capacity=50,
        ),
    )  # fmt: skip
    events.set_status(db, e.id, "published")
    return e.id


def _full_person(db: Database) -> uuid.UUID:
    """A person with every kind of personal value, an old phone in the audit log, a car,
    a registration with a plate and form answers, and a feedback comment."""
    p = people.create_person(
        db,
        people.PersonDraft(
            name=NAME, phone=OLD_PHONE, wechat=WECHAT, email=EMAIL, notes=f"老客户，微信 {WECHAT}",
            consent_marketing=True, tags=("VIP",),
        ),
    )  # fmt: skip
    people.update_person(db, p.id, people.PersonDraft(**{**_draft(p), "phone": PHONE}))
    people.add_vehicle(db, p.id, people.VehicleDraft(vin=VIN, plate=PLATE, model="ES6"))
    eid = _event(db)
    r = reg_svc.register(db, eid, p.id, plate=PLATE)
    with db.write() as s:  # what an online form import stores
        s.get(Registration, r.id).answers = {"备注": f"我是{NAME}"}
    feedback.add_feedback_for_person(db, eid, p.id, rating=5, nps=9, comment=f"{NAME} 很满意")
    return p.id


def _draft(p: people.PersonView) -> dict[str, Any]:
    d = p.draft()
    return {f: getattr(d, f) for f in d.__slots__}  # type: ignore[attr-defined]


def _everything_as_text(db: Database) -> str:
    """Every row of every table, as text (what a thief with a SQL client would see)."""
    parts: list[str] = []
    with db.read() as s:
        for table in Base.metadata.sorted_tables:
            for row in s.execute(select(table)):
                parts.append(json.dumps([str(v) for v in row], ensure_ascii=False))
    return "\n".join(parts)


SECRETS = (PHONE, OLD_PHONE, NAME, WECHAT, EMAIL, VIN, PLATE, "139 1234 5678")


# --------------------------------------------------------------------------- consent


def test_call_lists_leave_out_people_without_consent_and_say_how_many(
    dealer_db: Database,
) -> None:
    yes = [
        people.create_person(
            dealer_db, people.PersonDraft(name=f"车主{i}", phone=f"1380000000{i}", stage="owner",
                                          consent_marketing=True),
        ).id
        for i in range(3)
    ]  # fmt: skip
    no = people.create_person(
        dealer_db, people.PersonDraft(name="不要打扰", phone="13800000009", stage="owner")
    ).id
    eid = _event(dealer_db)
    seg = invitations.Segment(stages=("owner",))
    prev = invitations.preview(dealer_db, seg, eid)
    assert (prev.count, prev.left_out_no_consent) == (3, 1)
    assert no not in {r.person_id for r in prev.rows}
    built = invitations.build_call_lists(dealer_db, eid, seg)
    assert (built.added, built.left_out_no_consent) == (3, 1)
    on_list = {r.person_id for r in invitations.list_invitations(dealer_db, eid)}
    assert on_list == set(yes)
    # one withdraws on the phone: the next list for another event leaves them out too
    consent.set_consent(dealer_db, yes[0], "marketing", False, "person_page")
    other = _event(dealer_db, "会员日")
    again = invitations.build_call_lists(dealer_db, other, seg)
    assert (again.added, again.left_out_no_consent) == (2, 2)


def test_consent_history_keeps_when_how_and_by_whom(dealer_db: Database) -> None:
    admin = _admin(dealer_db)
    p = people.create_person(
        dealer_db,
        people.PersonDraft(name="李雷", phone="13800000001", consent_marketing=True,
                           consent_method="paper", consent_source="签字表 2026-03-07 #12"),
        actor=admin,
    )  # fmt: skip
    consent.set_consent(dealer_db, p.id, "marketing", False, "person_page", actor=admin)
    unchanged = consent.set_consent(dealer_db, p.id, "marketing", False, "person_page")
    assert not unchanged.changed
    state = consent.consent_state(dealer_db, p.id)
    assert state.marketing_at is None
    assert [(h.given, h.method, h.staff_name, h.source) for h in state.history] == [
        (True, "paper", "管理员老周", "签字表 2026-03-07 #12"),
        (False, "person_page", "管理员老周", None),
    ]


def test_a_walk_in_who_agrees_at_the_desk_is_recorded_as_desk_consent(dealer_db: Database) -> None:
    eid = _event(dealer_db)
    res = walkin.walkin(
        dealer_db, eid, "13800000002", "韩梅梅", marketing_consent=True, desk="前台1",
        now=_soon(),
    )  # fmt: skip
    hist = consent.consent_state(dealer_db, res.person_id).history
    assert [(h.kind, h.given, h.method, h.source) for h in hist] == [
        ("marketing", True, "desk", "前台1")
    ]


def test_withdrawing_from_the_cli_by_phone_number(dealer_db: Database, capsys: Any) -> None:
    p = people.create_person(
        dealer_db, people.PersonDraft(name="王五", phone=PHONE, consent_marketing=True)
    )
    url = dealer_db.url
    assert main(["--db", url, "people", "consent", "139 1234 5678", "--withdraw", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["consent_marketing"] is False
    assert [h["method"] for h in out["history"]] == ["person_page", "cli"]
    assert people.get_person(dealer_db, p.id).consent_marketing_at is None


# --------------------------------------------------------------------------- erasure


def test_an_erased_person_leaves_no_personal_value_in_any_table(dealer_db: Database) -> None:
    admin = _admin(dealer_db)
    pid = _full_person(dealer_db)
    before = _everything_as_text(dealer_db)
    assert all(v in before for v in (PHONE, OLD_PHONE, NAME, VIN, PLATE))
    res = erasure.erase_person(dealer_db, pid, f"客户{NAME}来电要求删除（{PHONE}）", actor=admin)
    after = _everything_as_text(dealer_db)
    for secret in SECRETS:
        assert secret not in after, secret
    assert res.people == 1 and res.rows["people"] == 1
    p = people.get_person(dealer_db, pid)
    assert p.name == erasure.erased_name(pid) and p.phone is None and not p.tags
    # the tombstone's reason says why without the values it erased
    with dealer_db.read() as s:
        tomb = s.scalars(select(Erasure)).one()
        assert tomb.person_id == pid and NAME not in tomb.reason and PHONE not in tomb.reason


def test_the_sqlite_file_holds_no_copy_of_the_erased_values(dealer_sqlite: Database) -> None:
    admin = _admin(dealer_sqlite)
    db = dealer_sqlite
    pid = _full_person(db)
    path = db.path
    assert path is not None

    def raw() -> bytes:
        return b"".join(f.read_bytes() for f in path.parent.glob(path.name + "*") if f.is_file())

    assert PHONE.encode() in raw()
    res = erasure.erase_person(db, pid, "客户要求删除", actor=admin)
    assert res.compacted
    data = raw()
    for secret in SECRETS:
        assert secret.encode("utf-8") not in data, secret
        # JSON columns may hold text as \\uXXXX escapes
        assert json.dumps(secret).strip('"').encode() not in data, secret


def test_report_figures_are_the_same_before_and_after_erasure(
    dealer_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    admin = _admin(dealer_db)
    clock = Clock(monkeypatch)
    q: Quarter = build_quarter(dealer_db, clock)
    after_a = local(2026, 3, 8, 9)

    def figures() -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, eid in (("a", q.a), ("b", q.b)):
            rep = event_report(dealer_db, eid, now=after_a).to_json()
            out[key] = {k: v for k, v in rep.items() if isinstance(v, int | float) or v is None}
        com = community_report(dealer_db, date(2026, 1, 1), date(2026, 3, 31), now=after_a)
        out["community"] = {
            k: v for k, v in com.to_json().items() if isinstance(v, int | float) or v is None
        }
        return out

    before = figures()
    assert before["a"]["attended"] > 0 and before["a"]["referrals"] > 0
    # the referrer, a guest who came and gave feedback, and a walk-in
    erasure.erase_many(dealer_db, [q.p["REF"], q.p["R1"], q.p["W1"]], "客户要求删除", actor=admin)
    assert figures() == before


def test_the_audit_log_keeps_who_erased_whom_and_when_without_personal_data(
    dealer_db: Database,
) -> None:
    admin = _admin(dealer_db)
    pid = _full_person(dealer_db)
    erasure.erase_person(dealer_db, pid, "客户要求删除", actor=admin)
    with dealer_db.read() as s:
        rows = s.scalars(select(AuditEntry)).all()
        erase = [r for r in rows if r.action == "person.erase"]
        assert len(erase) == 1
        assert erase[0].entity_id == str(pid) and erase[0].staff_name == "管理员老周"
        assert erase[0].detail["kind"] == "request"
        # the person.update row keeps that something changed, not the old/new values
        upd = [r for r in rows if r.action == "person.update" and r.entity_id == str(pid)]
        assert upd and upd[0].detail["changed"] == erasure.ERASED
        text_ = json.dumps([r.detail for r in rows], ensure_ascii=False)
    for secret in SECRETS:
        assert secret not in text_


def test_a_later_import_of_the_same_phone_creates_a_new_person(
    dealer_db: Database, tmp_path: Path
) -> None:
    admin = _admin(dealer_db)
    pid = _full_person(dealer_db)
    erasure.erase_person(dealer_db, pid, "客户要求删除", actor=admin)
    sheet = tmp_path / "dms.csv"
    sheet.write_text(f"姓名,手机号\n{NAME},{PHONE}\n", encoding="utf-8")
    report = pi.import_people(dealer_db, sheet)
    assert report.created == 1
    found = people.find_by_phone(dealer_db, PHONE)
    assert found is not None and found.id != pid and found.name == NAME
    assert people.get_person(dealer_db, pid).phone is None


def test_duplicates_merged_into_the_person_are_erased_too(dealer_db: Database) -> None:
    admin = _admin(dealer_db)
    keep = people.create_person(dealer_db, people.PersonDraft(name=NAME, phone=PHONE)).id
    dup = people.create_person(dealer_db, people.PersonDraft(name=NAME, phone=OLD_PHONE)).id
    duplicates.merge_people(dealer_db, keep, dup)
    res = erasure.erase_person(dealer_db, keep, "客户要求删除", actor=admin)
    assert res.people == 2
    for secret in (PHONE, OLD_PHONE, NAME):
        assert secret not in _everything_as_text(dealer_db)
    with pytest.raises(RuleViolation):  # nothing left to undo: the merge record was emptied
        duplicates.undo_last_merge(dealer_db)


def test_only_admins_erase_and_a_reason_is_required(dealer_db: Database) -> None:
    admin = _admin(dealer_db)
    pid = people.create_person(dealer_db, people.PersonDraft(name=NAME, phone=PHONE)).id
    coordinator = Principal(uuid.uuid4(), "小李", "coordinator")
    with pytest.raises(PermissionDenied):
        erasure.erase_person(dealer_db, pid, "客户要求", actor=coordinator)
    with pytest.raises(ValidationError):
        erasure.erase_person(dealer_db, pid, "  ", actor=admin)
    assert people.get_person(dealer_db, pid).name == NAME
    erasure.erase_person(dealer_db, pid, "客户要求", actor=admin)
    with pytest.raises(RuleViolation) as again:
        erasure.erase_person(dealer_db, pid, "客户要求", actor=admin)
    assert "already erased" in str(again.value)
    with pytest.raises(ValidationError):  # an anonymous record is not edited back to life
        people.update_person(dealer_db, pid, people.PersonDraft(name=NAME, phone=PHONE))


def test_paddock_people_erase_by_phone(dealer_db: Database, capsys: Any) -> None:
    pid = people.create_person(dealer_db, people.PersonDraft(name=NAME, phone=PHONE)).id
    args = ["--db", dealer_db.url, "people", "erase", PHONE, "--reason", "来电要求", "--json"]
    assert main(args) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["person_id"] == str(pid) and out["kind"] == "request"
    assert main(args) == 1  # nobody has that phone any more
    assert "not found" in capsys.readouterr().err


# --------------------------------------------------------------------------- own copy


def test_a_person_gets_a_copy_of_everything_held_about_them(
    dealer_db: Database, tmp_path: Path
) -> None:
    import python_calamine as pc

    pid = _full_person(dealer_db)
    res = person_copy.export_person(dealer_db, pid, tmp_path / "copy.xlsx", lang="zh")
    wb = pc.CalamineWorkbook.from_path(str(res.path))
    assert wb.sheet_names == person_copy.sheet_titles("zh")
    profile = dict((r[0], r[1]) for r in wb.get_sheet_by_name("个人资料").to_python()[1:])
    assert profile["姓名"] == NAME and profile["手机号"] == "139 1234 5678"
    assert profile["微信号"] == WECHAT and profile["客户阶段"] == "潜客"
    consents = wb.get_sheet_by_name("授权记录").to_python()
    assert consents[0][:3] == ["授权事项", "同意/撤回", "时间"]
    assert consents[1][:2] == ["营销联系", "同意"]
    vehicles = wb.get_sheet_by_name("车辆").to_python()
    assert vehicles[1][:2] == [VIN, PLATE]
    regs = wb.get_sheet_by_name("活动报名").to_python()
    assert regs[1][0] == "星辰开放日" and regs[1][5] == PLATE and NAME in regs[1][8]
    fb = wb.get_sheet_by_name("活动反馈").to_python()
    assert fb[1][1] == 5 and NAME in fb[1][3]
    en = person_copy.export_person(dealer_db, pid, tmp_path / "copy_en.xlsx", lang="en")
    wb_en = pc.CalamineWorkbook.from_path(str(en.path))
    assert wb_en.sheet_names[1] == "Profile"
    assert wb_en.get_sheet_by_name("Consents").to_python()[1][:2] == ["Marketing contact", "given"]


def test_export_person_cli(dealer_db: Database, tmp_path: Path, capsys: Any) -> None:
    import python_calamine as pc

    _full_person(dealer_db)
    out = tmp_path / "她的副本.xlsx"
    args = ["--db", dealer_db.url, "people", "export-person", PHONE, "--out", str(out)]
    assert main([*args, "--language", "en", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["file"] == str(out)
    assert "Profile" in pc.CalamineWorkbook.from_path(str(out)).sheet_names


# --------------------------------------------------------------------------- retention


def _aged(db: Database, name: str, phone: str, when: Any, stage: str = "prospect") -> uuid.UUID:
    """A person whose record was made at `when` (the import that brought them in)."""
    pid = people.create_person(db, people.PersonDraft(name=name, phone=phone, stage=stage)).id
    with db.write() as s:
        p = s.get(Person, pid)
        p.created_at = p.stage_changed_at = when
    return pid


def test_prospects_without_activity_are_listed_for_review_and_anonymised(
    dealer_db: Database,
) -> None:
    admin = _admin(dealer_db)
    now = local(2026, 1, 15, 10)
    old = _aged(dealer_db, "老潜客", "13800000011", local(2023, 1, 10))
    owner = _aged(dealer_db, "老车主", "13800000012", local(2023, 1, 10), stage="owner")
    came_back = _aged(dealer_db, "回头客", "13800000013", local(2023, 1, 10))
    with dealer_db.write() as s:  # agreed on paper in June 2025: activity
        p = s.get(Person, came_back)
        consent.set_consent_in(s, p, "marketing", True, "paper", at=local(2025, 6, 1, 10))
    new = _aged(dealer_db, "新潜客", "13800000014", local(2025, 6, 2))
    rev = retention.review(dealer_db, now=now)
    assert rev.months == 24
    assert [r.person_id for r in rev.rows] == [old]
    assert rev.count == 1 and rev.rows[0].name == "老潜客"
    # a shorter period (a setting) brings in June 2025's prospects too
    retention.set_retention_months(dealer_db, 6)
    assert {r.person_id for r in retention.review(dealer_db, now=now).rows} == {
        old,
        came_back,
        new,
    }
    with pytest.raises(ValidationError):
        retention.set_retention_months(dealer_db, 0)
    retention.set_retention_months(dealer_db, 24)
    done = retention.anonymise(dealer_db, [old, owner, new], now=now, actor=admin)
    assert [r.person_id for r in done] == [old]  # only who is due
    assert done[0].kind == "retention"
    assert people.get_person(dealer_db, old).phone is None
    assert people.get_person(dealer_db, owner).name == "老车主"
    assert retention.review(dealer_db, now=now).rows == ()


def test_migration_copies_existing_consents_into_the_history(tmp_path: Path) -> None:
    """0005 back-fills: a consent stored before the history has one 'unknown' row."""
    from alembic import command

    from desktop_app.store.db import alembic_config, open_database

    path = tmp_path / "old.sqlite"
    command.upgrade(alembic_config(f"sqlite:///{path}"), "0004")
    import sqlite3

    con = sqlite3.connect(path)
    con.execute(
        "INSERT INTO people (id, name, phone, stage, notes, consent_marketing_at, created_at,"
        " updated_at) VALUES ('00000000000000000000000000000001', '旧档案', '+8613800000077',"
        " 'owner', '', '2024-05-01 02:00:00', '2024-05-01 02:00:00', '2024-05-01 02:00:00')"
    )
    con.commit()
    con.close()
    db = open_database(str(path))
    try:
        with db.read() as s:
            rows = s.scalars(select(ConsentChange)).all()
            assert [(r.kind, r.given, r.method, r.at.year) for r in rows] == [
                ("marketing", True, "unknown", 2024)
            ]
            assert s.scalar(text("SELECT erased_at FROM people")) is None
    finally:
        db.close()


# --------------------------------------------------------------------------- HQ


def _cells(path: Path) -> str:
    """Every cell of every sheet, as a second reader (calamine) sees it."""
    import python_calamine as pc

    wb = pc.CalamineWorkbook.from_path(str(path))
    return "\n".join(
        json.dumps(wb.get_sheet_by_name(n).to_python(), ensure_ascii=False, default=str)
        for n in wb.sheet_names
    )


def _as_version_1(src: Path, dst: Path) -> Path:
    """The same workbook as a version-1 dealer (no erasures sheet) would have written it."""
    from openpyxl import load_workbook

    wb = load_workbook(src)
    del wb["erasures"]
    meta = wb["_meta"]
    for row in list(meta.iter_rows()):
        if row[0].value == "schema_version":
            row[1].value = 1
        if row[0].value == "rows.erasures":
            meta.delete_rows(row[0].row)
    wb.save(dst)
    return dst


def test_erasure_travels_to_hq_and_hq_merge_drops_the_personal_data(
    dealer_db: Database, tmp_path: Path
) -> None:
    from desktop_app.io import hq_workbook as hw
    from desktop_app.services.hq_export import export_hq
    from desktop_app.services.hq_merge import merge_hq

    admin = _admin(dealer_db)
    pid = _full_person(dealer_db)
    other = people.create_person(
        dealer_db, people.PersonDraft(name="留下的人", phone="13800000055")
    )
    old = tmp_path / "SH-0021-old.xlsx"
    export_hq(dealer_db, old, pii="full")
    assert PHONE in _cells(old).replace("+86", "")
    erasure.erase_person(dealer_db, pid, "客户要求删除", actor=admin)
    new = tmp_path / "SH-0021-new.xlsx"
    export_hq(dealer_db, new, mode="since_last", pii="full")
    parsed = hw.read_workbook(new)
    assert parsed.meta["schema_version"] == 2
    tomb = parsed.sheets["erasures"]
    assert [(t["person_id"], t["kind"]) for t in tomb] == [(str(pid), "request")]
    new_cells = _cells(new)
    for secret in SECRETS:
        assert secret not in new_cells, secret
    before = merge_hq([old], tmp_path / "before.xlsx")
    for files in ([old, new], [new, old]):  # whichever order HQ merges them in
        out = tmp_path / "rollup.xlsx"
        rep = merge_hq(files, out)
        merged = _cells(out)
        for secret in SECRETS:
            assert secret not in merged, secret
        assert "留下的人" in merged and other.id is not None  # others keep their data
        assert rep.rows["people"] == before.rows["people"]
        assert rep.rows["registrations"] == before.rows["registrations"]
        assert rep.kpis["dealers"] == before.kpis["dealers"]
    # HQ merging the old workbook alone (before the tombstone arrives) still has them
    assert NAME in _cells(tmp_path / "before.xlsx")
    # a version-1 workbook (a dealer not yet updated) still merges beside a version-2 one
    v1 = _as_version_1(old, tmp_path / "SH-0021-v1.xlsx")
    rep = merge_hq([v1, new], tmp_path / "mixed.xlsx")
    assert [f.status for f in rep.files] == ["merged", "merged"]
    assert NAME not in _cells(tmp_path / "mixed.xlsx")


def _warehouse_text(url: str) -> str:
    """Every value of every table of the HQ warehouse, as text."""
    import psycopg

    with psycopg.connect(url) as conn:
        tables = [t for (t,) in conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'hq'")]  # fmt: skip
        return "\n".join(
            str(row[0])
            for t in tables
            for row in conn.execute(f'SELECT row_to_json(t)::text FROM hq."{t}" t')
        )


def test_erasure_reaches_the_hq_warehouse_whatever_the_order_and_an_old_file_cannot_undo_it(
    dealer_db: Database, tmp_path: Path
) -> None:
    # issue 17: HQ's warehouse applies the tombstone on every load (docs/hq-warehouse.md)
    import psycopg

    from desktop_app.services.hq_export import export_hq
    from desktop_app.services.hq_load import load_hq
    from desktop_app.services.hq_merge import merge_hq
    from desktop_app.services.hq_rollup import rollup_hq
    from tests.hq_warehouse_support import dump_warehouse, warehouse_url

    url = warehouse_url()
    admin = _admin(dealer_db)
    pid = _full_person(dealer_db)
    people.create_person(dealer_db, people.PersonDraft(name="留下的人", phone="13800000055"))
    # points whose reason the dealer keeps through the erasure (HQ blanks it)
    points.adjust_points(dealer_db, pid, 100, "老带新奖励", actor=admin)
    old = tmp_path / "SH-0021-old.xlsx"
    export_hq(dealer_db, old, pii="full")
    erasure.erase_person(dealer_db, pid, "客户要求删除", actor=admin)
    new = tmp_path / "SH-0021-new.xlsx"
    export_hq(dealer_db, new, mode="since_last", pii="full")
    load_hq([old], url)
    assert NAME in _warehouse_text(url)  # before the tombstone arrives, HQ has them
    dumps = []
    for files in ([old, new], [new, old]):
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("DROP SCHEMA hq CASCADE")
        assert {f.status for f in load_hq(files, url).files} == {"loaded"}
        stored = _warehouse_text(url)
        for secret in SECRETS:
            assert secret not in stored, secret
        assert "留下的人" in stored  # others keep their data
        assert f"ERASED-{pid.hex[:8].upper()}" in stored
        dumps.append(dump_warehouse(url))
        # The KPIs are the file merge's (an erasure changes no figure).
        assert rollup_hq(url).kpis == merge_hq(files, None).kpis
    assert dumps[0] == dumps[1]
    # A late copy of the old workbook (another file: written by a version-1 Paddock) loads,
    # and brings nothing back.
    late = _as_version_1(old, tmp_path / "SH-0021-late.xlsx")
    loaded = load_hq([late], url).files[0]
    assert loaded.status == "loaded"
    stored = _warehouse_text(url)
    for secret in SECRETS:
        assert secret not in stored, secret
    # …and changes nothing: its rows of the erased person equal the blanked ones once
    # blanked themselves (it reported them "updated", writing the values back and blanking
    # them again inside the load).
    assert (loaded.created, loaded.updated) == (0, 0), loaded
    again = tmp_path / "SH-0021-again.xlsx"
    export_hq(dealer_db, again, pii="full")  # a later full export: nothing new since
    loaded = load_hq([again], url).files[0]
    assert (loaded.status, loaded.created, loaded.updated) == ("loaded", 0, 0), loaded


def test_a_pack_made_before_an_erasure_does_not_bring_the_person_back(
    dealer_sqlite: Database, tmp_path: Path
) -> None:
    from sqlalchemy import update

    from desktop_app.services import checkin, packs
    from desktop_app.store.db import open_database
    from tests.checkin_support import make_event, register

    admin = _admin(dealer_sqlite)
    ev = make_event(dealer_sqlite)
    seat = register(dealer_sqlite, ev, NAME, "+86" + PHONE)
    pw = "山路自驾 2026"
    out = tmp_path / "drive.pack"
    packs.export_pack(dealer_sqlite, ev, out, passphrase=pw)
    erasure.erase_person(dealer_sqlite, seat.person_id, "客户要求删除", actor=admin)
    laptop = open_database(str(out), passphrase=pw)
    try:  # the laptop checks them in and edits their record after the erasure
        assert checkin.scan(laptop, ev, seat.code, desk="笔记本").result == "accepted"
        with laptop.write() as s:
            s.execute(
                update(Person)
                .where(Person.id == seat.person_id)
                .values(notes="笔记本：想试驾", updated_at=now_utc() + timedelta(minutes=5))
            )
    finally:
        laptop.close()
    rep = packs.import_pack(dealer_sqlite, out, passphrase=pw)
    assert rep.checkins_added == 1  # the visit counts
    p = people.get_person(dealer_sqlite, seat.person_id)
    assert p.phone is None and p.name.startswith("ERASED-") and p.notes == ""
    text_ = _everything_as_text(dealer_sqlite)
    assert PHONE not in text_ and NAME not in text_


def test_restoring_a_backup_made_before_an_erasure_erases_the_person_again(
    dealer_sqlite: Database, tmp_path: Path, capsys: Any
) -> None:
    from desktop_app.services import backup

    admin = _admin(dealer_sqlite)
    pid = _full_person(dealer_sqlite)
    saved = tmp_path / "before.sqlite"
    backup.make_backup(dealer_sqlite, out=saved)
    erasure.erase_person(dealer_sqlite, pid, "客户要求删除", actor=admin)
    path = dealer_sqlite.path
    assert path is not None
    dealer_sqlite.close()
    argv = ["--db", str(path), "restore", str(saved), "--json"]
    code = main(argv)
    out, err = capsys.readouterr()
    assert code == 0, err
    assert json.loads(out)["erasures_reapplied"] == 1
    from desktop_app.store.db import open_database

    db = open_database(str(path))
    try:
        p = people.get_person(db, pid)
        assert p.phone is None and p.name.startswith("ERASED-")
        assert PHONE not in _everything_as_text(db)
    finally:
        db.close()
    data = b"".join(f.read_bytes() for f in path.parent.glob(path.name + "*") if f.is_file())
    assert PHONE.encode() not in data


def test_a_bulk_erasure_scrubs_the_audit_log_of_every_person(dealer_db: Database) -> None:
    """Many people at once (a retention clean-up) take the one-pass path over the log."""
    admin = _admin(dealer_db)
    phones = [f"1390000{i:04d}" for i in range(12)]
    ids = [
        people.create_person(dealer_db, people.PersonDraft(name=f"批量客户{i}", phone=ph)).id
        for i, ph in enumerate(phones)
    ]
    keep = people.create_person(dealer_db, people.PersonDraft(name="留下", phone="13700000001"))
    with dealer_db.write() as s:  # an unrelated row that quotes one of the phones
        s.add(AuditEntry(action="note", entity="x", detail={"text": f"回电 {phones[3]}"}))
    res = erasure.erase_many(dealer_db, ids, "年度清理", actor=admin)
    assert len(res) == 12
    text_ = _everything_as_text(dealer_db)
    for i, ph in enumerate(phones):
        assert ph not in text_ and f"批量客户{i}" not in text_
    assert "留下" in text_ and "13700000001" in text_ and keep.id is not None


@pytest.mark.parametrize(
    ("answer", "agreed"),
    [("同意", True), ("是，同意接收", True), ("√", True), ("Yes", True), ("愿意接收", True),
     ("1", True), ("不同意", False), ("否", False), ("拒绝", False), ("No", False),
     ("不愿意", False), ("", None), (None, None), ("—", None)],
)  # fmt: skip
def test_consent_answers_from_forms_and_lists(answer: object, agreed: bool | None) -> None:
    assert consent.consent_answer(answer) is agreed


def test_a_people_import_maps_a_consent_column(dealer_db: Database, tmp_path: Path) -> None:
    """是否同意接收营销信息: 同意 records consent (method import, the file as reference);
    不同意 records none and withdraws nothing; an unclear answer is a warning."""
    had = people.create_person(
        dealer_db, people.PersonDraft(name="老客户", phone="13800000021", consent_marketing=True)
    )
    later = people.create_person(
        dealer_db, people.PersonDraft(name="后来同意", phone="13800000025")
    )
    sheet = tmp_path / "车主名单.csv"
    sheet.write_text(
        "姓名,手机号,是否同意接收营销信息\n"
        "张三,13800000022,同意\n"
        "李四,13800000023,不同意\n"
        "王五,13800000024,看情况\n"
        "老客户,13800000021,否\n"
        "后来同意,13800000025,是\n",
        encoding="utf-8",
    )
    preview = pi.preview(dealer_db, sheet)
    assert preview.mapping.get("consent_marketing") is not None
    report = pi.import_people(dealer_db, sheet)
    assert (report.created, report.updated, report.rows) == (3, 1, 5)
    assert [(w.row, w.code) for w in report.warnings] == [(4, "import_consent_unclear")]
    by_name = {n: people.find_by_phone(dealer_db, ph) for n, ph in
               (("张三", "13800000022"), ("李四", "13800000023"), ("王五", "13800000024"))}  # fmt: skip
    yes = consent.consent_state(dealer_db, by_name["张三"].id)
    assert yes.marketing_at is not None
    assert [(h.method, h.source) for h in yes.history] == [("import", "车主名单.csv")]
    assert by_name["李四"].consent_marketing_at is None
    assert by_name["王五"].consent_marketing_at is None
    assert people.get_person(dealer_db, had.id).consent_marketing_at is not None  # kept
    agreed = consent.consent_state(dealer_db, later.id)
    assert agreed.marketing_at is not None and agreed.history[-1].method == "import"


def test_a_sign_up_forms_consent_question_records_form_consent(
    dealer_db: Database, tmp_path: Path
) -> None:
    """问卷星 export with 是否同意接收活动通知: 同意 → consent given on the form, at the
    submission time; 不同意 → none."""
    from desktop_app.services.signups_import import import_signups

    eid = _event(dealer_db)
    form = tmp_path / "问卷星_报名.csv"
    form.write_text(
        "序号,提交答卷时间,1、您的姓名,2、手机号码,3、是否同意接收活动通知及优惠信息？\n"
        "1,2026/11/20 10:05:11,陈晨,13800000031,同意\n"
        "2,2026/11/20 10:07:42,林琳,13800000032,不同意\n",
        encoding="utf-8",
    )
    report = import_signups(dealer_db, eid, form)
    assert report.created == 2
    chen = people.find_by_phone(dealer_db, "13800000031")
    lin = people.find_by_phone(dealer_db, "13800000032")
    assert chen is not None and lin is not None
    hist = consent.consent_state(dealer_db, chen.id).history
    assert [(h.method, h.source) for h in hist] == [("form", "问卷星_报名.csv")]
    assert hist[0].at.astimezone(local(2026, 1, 1).tzinfo).strftime("%H:%M") == "10:05"
    assert lin.consent_marketing_at is None
