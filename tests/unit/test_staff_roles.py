"""Staff sign in with a PIN; their role decides what the services (and the CLI) let them do."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from desktop_app.cli import main
from desktop_app.domain.errors import PermissionDenied, RuleViolation, SignInFailed
from desktop_app.domain.roles import Permission, Principal, allowed
from desktop_app.services import audit_log, auth, checkin, events, hq_export, people
from desktop_app.services.events import EventDraft
from desktop_app.store.db import Database
from desktop_app.store.models import AuditEntry, Staff
from tests.checkin_support import make_event, register

ADMIN_PIN, DESK_PIN, COORD_PIN = "246810", "1357", "8642"
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


@pytest.fixture
def team(dealer_db: Database) -> Database:
    """王店长 (admin), 小李 (front desk) and 陈专员 (coordinator), each with a PIN."""
    auth.add_account(dealer_db, "王店长", "admin", ADMIN_PIN)
    auth.bind(dealer_db, auth.sign_in(dealer_db, "王店长", ADMIN_PIN))
    auth.add_account(dealer_db, "小李", "front_desk", DESK_PIN)
    auth.add_account(dealer_db, "陈专员", "coordinator", COORD_PIN)
    auth.bind(dealer_db, None)
    return dealer_db


def as_(db: Database, name: str, pin: str) -> Principal:
    who = auth.sign_in(db, name, pin)
    auth.bind(db, who)
    return who


def test_the_pin_is_stored_only_as_a_salted_scrypt_hash(team: Database) -> None:
    with team.read() as s:
        stored = s.scalar(select(Staff.secret_hash).where(Staff.name == "王店长"))
        details = json.dumps([e.detail for e in s.scalars(select(AuditEntry))])
    assert stored is not None and ADMIN_PIN not in stored and ADMIN_PIN not in details
    scheme, n, r, p, salt, key = stored.split("$")
    assert (scheme, n, r, p) == ("scrypt", str(2**14), "8", "1")
    assert len(bytes.fromhex(salt)) == 16 and len(bytes.fromhex(key)) == 32
    assert auth.hash_secret(ADMIN_PIN) != auth.hash_secret(ADMIN_PIN)  # a fresh salt each time
    assert auth.verify_secret(ADMIN_PIN, stored)
    assert not auth.verify_secret("246811", stored)
    assert not auth.verify_secret(ADMIN_PIN, "scrypt$garbage")


def test_without_staff_accounts_everyone_is_the_admin(dealer_db: Database) -> None:
    assert not auth.accounts_exist(dealer_db)
    v = events.create_event(dealer_db, EventDraft(title="单人模式的活动", type="other"))
    assert v.title == "单人模式的活动"
    assert auth.can(dealer_db, Permission.EXPORT_PII)


def test_once_accounts_exist_nobody_acts_without_signing_in(team: Database) -> None:
    with pytest.raises(PermissionDenied) as err:
        events.create_event(team, EventDraft(title="没登录", type="other"))
    assert "sign in first" in str(err.value)
    assert "请先登录" in err.value.localized("zh")


def test_front_desk_checks_people_in_but_cannot_plan_events_or_export_pii(
    team: Database, tmp_path: Path
) -> None:
    event_id = make_event(team)
    seat = register(team, event_id)
    as_(team, "小李", DESK_PIN)
    assert checkin.scan(team, event_id, seat.code, desk="A").result == "accepted"
    assert people.search_people(team, "李娜")  # looking people up is front-desk work
    with pytest.raises(PermissionDenied) as err:
        events.create_event(team, EventDraft(title="前台想建活动", type="other"))
    assert err.value.localized("en") == "小李 (front desk) may not plan events; ask an admin"
    assert err.value.localized("zh") == "小李（前台）无权策划活动；请联系管理员"
    out = tmp_path / "hq.xlsx"
    with pytest.raises(PermissionDenied):
        hq_export.export_hq(team, out, pii="full")
    assert not out.exists()
    assert not [v for v in events.list_events(team) if v.title == "前台想建活动"]


def test_an_admin_exports_pii_and_the_audit_log_says_who(team: Database, tmp_path: Path) -> None:
    make_event(team)
    as_(team, "王店长", ADMIN_PIN)
    out = tmp_path / "hq.xlsx"
    hq_export.export_hq(team, out, pii="full")
    assert out.exists()
    rows = audit_log.list_audit(team, action="hq.export")
    assert rows and rows[0].staff_name == "王店长"


def test_a_coordinator_plans_events_but_cannot_read_the_audit_log(team: Database) -> None:
    as_(team, "陈专员", COORD_PIN)
    v = events.create_event(team, EventDraft(title="春季自驾", type="other"))
    with pytest.raises(PermissionDenied):
        audit_log.list_audit(team)
    with pytest.raises(PermissionDenied):
        auth.set_secret(team, "小李", "0000")
    as_(team, "王店长", ADMIN_PIN)
    created = audit_log.list_audit(team, action="event.create")
    assert [(r.entity_id, r.staff_name) for r in created] == [(str(v.id), "陈专员")]


def test_five_wrong_pins_lock_the_account_for_fifteen_minutes(team: Database) -> None:
    for _ in range(auth.MAX_ATTEMPTS):
        with pytest.raises(SignInFailed) as err:
            auth.sign_in(team, "小李", "0000")
        assert err.value.code == "sign_in_failed"
    with pytest.raises(SignInFailed) as err:  # even the right PIN is refused while locked
        auth.sign_in(team, "小李", DESK_PIN)
    assert err.value.code == "sign_in_locked"
    assert "locked until" in str(err.value)
    later = datetime.now(UTC) + timedelta(minutes=auth.LOCK_MINUTES + 1)
    assert auth.sign_in(team, "小李", DESK_PIN, now=later).name == "小李"
    # other staff are not affected by 小李's lock
    assert auth.sign_in(team, "王店长", ADMIN_PIN).role == "admin"


def test_a_right_pin_resets_the_count_of_wrong_ones(team: Database) -> None:
    for _ in range(auth.MAX_ATTEMPTS - 1):
        with pytest.raises(SignInFailed):
            auth.sign_in(team, "小李", "0000")
    auth.sign_in(team, "小李", DESK_PIN)
    with pytest.raises(SignInFailed) as err:
        auth.sign_in(team, "小李", "0000")
    assert err.value.code == "sign_in_failed"
    assert auth.sign_in(team, "小李", DESK_PIN).name == "小李"


def test_unknown_names_fail_like_wrong_pins(team: Database) -> None:
    with pytest.raises(SignInFailed) as err:
        auth.sign_in(team, "不存在的人", "1234")
    assert err.value.code == "sign_in_failed"


def test_a_kiosk_desk_only_checks_people_in_until_an_admin_pin_unlocks_it(
    team: Database,
) -> None:
    event_id = make_event(team)
    seat = register(team, event_id)
    as_(team, "王店长", ADMIN_PIN)
    auth.enter_kiosk(team)
    assert checkin.scan(team, event_id, seat.code, desk="K").result == "accepted"
    with pytest.raises(PermissionDenied) as err:
        people.search_people(team, "李")
    assert "kiosk" in str(err.value)
    with pytest.raises(PermissionDenied):
        events.create_event(team, EventDraft(title="自助机上建活动", type="other"))
    with pytest.raises(SignInFailed):  # a front-desk PIN does not unlock it
        auth.unlock_kiosk(team, "小李", DESK_PIN)
    assert auth.current(team) is not None and auth.current(team).kiosk  # type: ignore[union-attr]
    auth.unlock_kiosk(team, "王店长", ADMIN_PIN)
    assert people.search_people(team, "李")


def test_the_first_account_with_a_pin_must_be_an_admin(dealer_db: Database) -> None:
    with pytest.raises(RuleViolation):
        auth.add_account(dealer_db, "小李", "front_desk", DESK_PIN)
    assert not auth.accounts_exist(dealer_db)


def test_the_last_admin_cannot_lose_their_pin(team: Database) -> None:
    as_(team, "王店长", ADMIN_PIN)
    with pytest.raises(RuleViolation):
        auth.remove_secret(team, "王店长")
    auth.remove_secret(team, "小李")
    with pytest.raises(SignInFailed):
        auth.sign_in(team, "小李", DESK_PIN)


def test_role_table_front_desk_within_coordinator_within_admin() -> None:
    for perm in Permission:
        if allowed("front_desk", perm):
            assert allowed("coordinator", perm)
        if allowed("coordinator", perm):
            assert allowed("admin", perm)
        assert allowed("admin", perm, kiosk=True) == (perm == Permission.CHECK_IN)
    assert not allowed("coordinator", Permission.EXPORT_PII)
    assert not allowed("front_desk", Permission.PLAN_EVENTS)


def test_audit_export_writes_the_filtered_log(team: Database, tmp_path: Path) -> None:
    as_(team, "王店长", ADMIN_PIN)
    path, n = audit_log.export_audit(team, tmp_path / "audit.csv", action="staff")
    text = path.read_text(encoding="utf-8-sig")
    assert n >= 3 and text.count("staff.create") == 3 and DESK_PIN not in text
    assert audit_log.list_audit(team, action="export.audit")[0].staff_name == "王店长"


def test_every_change_is_in_the_audit_log_with_who_did_it(team: Database, tmp_path: Path) -> None:
    from desktop_app.services import duplicates, people_import, points
    from desktop_app.services.people import PersonDraft

    as_(team, "陈专员", COORD_PIN)
    keep = people.create_person(team, PersonDraft(name="张伟", phone="13911112222"))
    drop = people.create_person(team, PersonDraft(name="张 伟", phone="13911113333"))
    events.create_event(team, EventDraft(title="车主见面会", type="other"))
    points.adjust_points(team, keep.id, 200, "老带新奖励")
    people_import.import_people(team, FIXTURES / "people" / "dms_export.xlsx")
    with pytest.raises(PermissionDenied):  # merges are for admins
        duplicates.merge_people(team, keep.id, drop.id)
    as_(team, "王店长", ADMIN_PIN)
    duplicates.merge_people(team, keep.id, drop.id)
    hq_export.export_hq(team, tmp_path / "hq.xlsx", pii="full")
    rows = audit_log.list_audit(team, limit=None)
    by = {(r.action.split(".")[0], r.staff_name) for r in rows}
    for expected in [
        ("person", "陈专员"),
        ("event", "陈专员"),
        ("points", "陈专员"),
        ("people", "陈专员"),  # the import
        ("hq", "王店长"),  # the PII export
    ]:
        assert expected in by, (expected, sorted(by))
    assert any(r.staff_name == "王店长" and "merge" in r.action for r in rows)


# --------------------------------------------------------------------------- CLI


class Cli:
    def __init__(self, db: Database, capsys: pytest.CaptureFixture[str]) -> None:
        self.url = db.url
        self.capsys = capsys

    def run(self, *args: str) -> tuple[int, str, str]:
        self.capsys.readouterr()
        try:
            code = main(["--db", self.url, *args])
        except SystemExit as exc:
            code = int(exc.code or 0)
        out, err = self.capsys.readouterr()
        return code, out, err

    def json(self, *args: str) -> dict[str, Any]:
        code, out, err = self.run(*args, "--json")
        assert code == 0, err
        return json.loads(out)


def test_cli_front_desk_pin_cannot_export_pii_but_admin_can(
    dealer_db: Database, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    cli = Cli(dealer_db, capsys)
    made = cli.json("staff", "add", "--name", "王店长", "--role", "admin", "--pin", ADMIN_PIN)
    assert made["has_pin"] is True
    code, _, err = cli.run("staff", "add", "--name", "小李", "--role", "front_desk")
    assert code == 1 and "sign in first" in err
    admin = ("--staff", "王店长", "--pin", ADMIN_PIN)
    cli.json(*admin, "staff", "add", "--name", "小李", "--role", "front_desk", "--pin", DESK_PIN)
    out = tmp_path / "hq.xlsx"
    code, _, err = cli.run(
        "--staff", "小李", "--pin", DESK_PIN, "export", "hq", "--out", str(out), "--pii", "full"
    )
    assert code == 1 and "may not export personal data" in err and not out.exists()
    cli.json(*admin, "export", "hq", "--out", str(out), "--pii", "full")
    assert out.exists()
    code, _, err = cli.run("--staff", "小李", "--pin", "9999", "staff", "list")
    assert code == 1 and "wrong name or PIN" in err
    listed = cli.json(*admin, "staff", "list")
    assert {i["name"]: i["has_pin"] for i in listed["items"]} == {"王店长": True, "小李": True}
    entries = cli.json(*admin, "audit", "list", "--action", "hq")["items"]
    assert entries[0]["staff_name"] == "王店长" and entries[0]["action"] == "hq.export"


def test_cli_reads_the_staff_and_pin_from_the_environment(
    dealer_db: Database, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    cli = Cli(dealer_db, capsys)
    cli.json("staff", "add", "--name", "王店长", "--role", "admin", "--pin", ADMIN_PIN)
    monkeypatch.setenv("PADDOCK_STAFF", "王店长")
    monkeypatch.setenv("PADDOCK_PIN", ADMIN_PIN)
    assert cli.json("audit", "list")["items"][0]["action"] == "auth.sign_in"


def test_cli_backup_and_restore_need_an_admin(
    dealer_sqlite: Database, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    cli = Cli(dealer_sqlite, capsys)
    admin = ("--staff", "王店长", "--pin", ADMIN_PIN)
    desk = ("--staff", "小李", "--pin", DESK_PIN)
    cli.json("staff", "add", "--name", "王店长", "--role", "admin", "--pin", ADMIN_PIN)
    cli.json(*admin, "staff", "add", "--name", "小李", "--role", "front_desk", "--pin", DESK_PIN)
    copy = tmp_path / "copy.sqlite"
    code, _, err = cli.run(*desk, "backup", "--out", str(copy))
    assert code == 1 and "may not make or restore backups" in err and not copy.exists()
    cli.json(*admin, "backup", "--out", str(copy))
    assert copy.exists()
    code, _, err = cli.run(*desk, "restore", str(copy))
    assert code == 1 and "may not make or restore backups" in err
    code, _, err = cli.run("restore", str(copy))
    assert code == 1 and "sign in first" in err


def test_report_and_follow_up_exports_are_checked_by_role_and_audited(
    team: Database, tmp_path: Path
) -> None:
    from datetime import date

    from desktop_app.services import exports, followup, reports

    as_(team, "陈专员", COORD_PIN)  # a coordinator reads and exports reports …
    rep = reports.community_report(team, date(2026, 1, 1), date(2026, 12, 31))
    path = exports.report_file(team, rep, tmp_path / "community.xlsx")
    assert path.exists()
    lst = followup.follow_up(team, "dormant", months=6)
    with pytest.raises(PermissionDenied):  # … but not a list of names and phones
        exports.follow_up_file(team, lst, tmp_path / "owners.xlsx")
    assert not (tmp_path / "owners.xlsx").exists()
    as_(team, "小李", DESK_PIN)
    with pytest.raises(PermissionDenied):  # the front desk exports nothing
        exports.report_file(team, rep, tmp_path / "again.xlsx")
    as_(team, "王店长", ADMIN_PIN)
    exports.follow_up_file(team, lst, tmp_path / "owners.csv")
    with team.read() as s:
        done = [
            (e.action, e.staff_name, e.detail["file"])
            for e in s.scalars(select(AuditEntry).where(AuditEntry.action.like("export.%")))
        ]
    assert done == [
        ("export.report", "陈专员", "community.xlsx"),
        ("export.followup", "王店长", "owners.csv"),
    ]


def test_a_scan_with_nobody_signed_in_is_refused_and_writes_nothing(team: Database) -> None:
    """The scan asks whether sign-in is required inside its own transaction (when its
    cached answer is stale): the answer is the same, nothing is written."""
    from desktop_app.store.models import Registration, ScanLog

    event_id = make_event(team)
    seat = register(team, event_id)
    auth._forget_accounts(team)  # as if the last look was longer ago than ACCOUNTS_TTL
    with pytest.raises(PermissionDenied) as err:
        checkin.scan(team, event_id, seat.code, desk="A")
    assert "sign in first" in str(err.value)
    with team.read() as s:
        assert s.scalars(select(ScanLog)).first() is None
        assert s.get(Registration, seat.registration_id).checked_in_at is None  # type: ignore[union-attr]
    as_(team, "小李", DESK_PIN)
    assert checkin.scan(team, event_id, seat.code, desk="A").accepted
