"""A coordinator takes an event offline on a laptop and brings the pack back.

The story: export the event's pack; the laptop opens it as its database and checks people
in and adds walk-ins; meanwhile the dealership checks one of the same tickets in EARLIER
and another LATER; the pack comes back: nothing lost, nothing doubled, the earliest
check-in kept, double entries reported; the same pack again changes nothing. Runs on
SQLite and (with PADDOCK_TEST_PG_URL) PostgreSQL as the dealership's database.
"""

from __future__ import annotations

import json
import sqlite3
import tempfile
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, update

from desktop_app.cli import main
from desktop_app.domain.errors import DatabaseError, FileUnreadable, PaddockError
from desktop_app.domain.timeutil import now_utc
from desktop_app.services import checkin, packs, walkin
from desktop_app.services.dealer import init_dealer
from desktop_app.store.db import Database, open_database
from desktop_app.store.models import (
    Base,
    DealerProfile,
    Person,
    PointsEntry,
    Registration,
    ScanLog,
    Setting,
    SyncOperation,
)
from tests.checkin_support import add_person, make_event, register

# What the merge must never touch twice: everything but the history of operations.
HISTORY = {"sync_operations", "audit_log"}


def snapshot(db: Database) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every data table, in a stable order (content, not file bytes)."""
    out: dict[str, list[tuple[Any, ...]]] = {}
    with db.read() as s:
        for table in Base.metadata.sorted_tables:
            if table.name in HISTORY:
                continue
            rows = s.execute(select(table)).all()
            out[table.name] = sorted((tuple(map(repr, r)) for r in rows), key=repr)
    return out


def points_of(db: Database, person_id: uuid.UUID) -> int:
    with db.read() as s:
        return int(
            s.scalar(
                select(func.coalesce(func.sum(PointsEntry.delta), 0)).where(
                    PointsEntry.person_id == person_id
                )
            )
            or 0
        )


def reg(db: Database, rid: uuid.UUID) -> Registration:
    with db.read() as s:
        r = s.get(Registration, rid)
        assert r is not None
        return r


def scans_of(db: Database, rid: uuid.UUID) -> list[ScanLog]:
    with db.read() as s:
        return list(
            s.scalars(
                select(ScanLog)
                .where(ScanLog.registration_id == rid, ScanLog.result == "accepted")
                .order_by(ScanLog.scanned_at)
            )
        )


@pytest.fixture
def laptop_day(dealer_db: Database, tmp_path: Path) -> dict[str, Any]:
    """The whole offline day, up to the moment the pack comes back to the dealership."""
    main_db = dealer_db
    ev = make_event(main_db, "星辰车主冬季自驾", points=50)
    a = register(main_db, ev, "李娜", "+8613800138000", plate="沪A·D12345", model="星辰 S7")
    b = register(main_db, ev, "王强", "+8613900139001")
    c = register(main_db, ev, "陈静", "+8615000150002")
    register(main_db, ev, "赵磊", "+8618600186003")  # never comes
    known = add_person(main_db, "刘洋", "+8613700137004")  # not registered for this event

    pack_path = tmp_path / "drive.pack"
    exported = packs.export_pack(main_db, ev, pack_path)
    base = now_utc() - timedelta(minutes=40)

    laptop = open_database(str(pack_path))  # exactly what `paddock --db drive.pack` does
    try:
        assert checkin.scan(
            laptop, ev, a.code, desk="笔记本", scanned_at=base + timedelta(minutes=20)
        ).accepted
        assert checkin.scan(
            laptop, ev, b.code, desk="笔记本", scanned_at=base + timedelta(minutes=5)
        ).accepted
        assert checkin.scan(
            laptop, ev, c.code, desk="笔记本", scanned_at=base + timedelta(minutes=7)
        ).accepted
        new_walk = walkin.walkin(
            laptop, ev, "15812345678", "孙悦", desk="笔记本", now=base + timedelta(minutes=9)
        )
        known_walk = walkin.walkin(
            laptop, ev, "13700137004", "刘洋", desk="笔记本", now=base + timedelta(minutes=11)
        )
        laptop_device = laptop_profile_device(laptop)
    finally:
        laptop.close()

    # meanwhile at the dealership: A earlier than the laptop, B later; 刘洋 registers by phone
    assert checkin.scan(main_db, ev, a.code, desk="前台", scanned_at=base).accepted
    assert checkin.scan(
        main_db, ev, b.code, desk="前台", scanned_at=base + timedelta(minutes=15)
    ).accepted
    liu = register(main_db, ev, person_id=known)
    return {
        "db": main_db,
        "event": ev,
        "a": a,
        "b": b,
        "c": c,
        "base": base,
        "pack": pack_path,
        "export": exported,
        "new_walk": new_walk,
        "known_walk": known_walk,
        "liu": liu,
        "laptop_device": laptop_device,
    }


def laptop_profile_device(db: Database) -> str:
    with db.read() as s:
        profile = s.get(DealerProfile, 1)
        assert profile is not None
        return profile.device_id


def test_the_pack_is_a_paddock_database_with_the_event_slice_and_its_own_device(
    dealer_db: Database, tmp_path: Path
) -> None:
    ev = make_event(dealer_db, "开放日", points=10)
    other = make_event(dealer_db, "另一场活动")
    seat = register(dealer_db, ev, "李娜", "+8613800138000", plate="沪A·D12345", model="S7")
    register(dealer_db, other, "不相关", "+8613800138999")
    res = packs.export_pack(dealer_db, ev, tmp_path / "open-day.pack")
    assert res.path.exists() and not list(tmp_path.glob("*.part"))
    assert res.info.counts["registrations"] == 1 and res.info.counts["people"] == 1
    with sqlite3.connect(res.path) as con:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert con.execute("PRAGMA journal_mode").fetchone()[0] == "delete", "one file to carry"
    laptop = open_database(str(res.path))
    try:
        with laptop.read() as s:
            profile = s.get(DealerProfile, 1)
            assert profile is not None and profile.code == "SH-0021"
            info = s.get(Setting, "pack")
            assert info is not None and info.value["event_id"] == str(ev)
            assert info.value["source_dealer"] == "SH-0021" and info.value["checksum"]
            assert profile.device_id == info.value["pack_device"]
            assert s.scalar(select(func.count()).select_from(Person)) == 1
        with dealer_db.read() as s:
            home = s.get(DealerProfile, 1)
            assert home is not None and home.device_id != profile.device_id
            assert home.ticket_key == profile.ticket_key, "signatures verify offline"
            op = s.scalars(select(SyncOperation).where(SyncOperation.kind == "pack_export")).one()
            assert op.report["event_id"] == str(ev)
        out = checkin.scan(laptop, ev, seat.code, desk="笔记本")
        assert out.accepted and out.plate == "沪A·D12345"
    finally:
        laptop.close()


def test_laptop_day_merges_back_nothing_lost_nothing_doubled_earliest_kept(
    laptop_day: dict[str, Any],
) -> None:
    db: Database = laptop_day["db"]
    a, b, c = laptop_day["a"], laptop_day["b"], laptop_day["c"]
    base = laptop_day["base"]
    rep = packs.import_pack(db, laptop_day["pack"])

    # 3 ticket scans + 2 walk-in check-ins came from the laptop
    assert rep.scans_added == 5
    assert rep.walk_ins_added == 1, "孙悦 is new; 刘洋 was matched to the registration made here"
    assert rep.checkins_added == 3  # 陈静, 孙悦, 刘洋 were not in here before
    assert rep.conflicts == ()
    # A: the dealership was earlier → its check-in stands; B: the laptop was earlier
    ra, rb = reg(db, a.registration_id), reg(db, b.registration_id)
    assert ra.checked_in_at == base and ra.checked_in_desk == "前台"
    assert rb.checked_in_at == base + timedelta(minutes=5) and rb.checked_in_desk == "笔记本"
    doubles = {d["registration_id"]: d for d in rep.double_entries}
    assert set(doubles) == {str(a.registration_id), str(b.registration_id)}
    assert doubles[str(a.registration_id)]["kept"]["desk"] == "前台"
    assert doubles[str(a.registration_id)]["other"]["desk"] == "笔记本"
    assert doubles[str(b.registration_id)]["kept"]["desk"] == "笔记本"
    assert doubles[str(b.registration_id)]["name"] == "王强"
    assert doubles[str(a.registration_id)]["points_not_added"] == 50
    # both scan rows of a double entry are kept
    assert [x.desk for x in scans_of(db, a.registration_id)] == ["前台", "笔记本"]
    assert [x.desk for x in scans_of(db, b.registration_id)] == ["笔记本", "前台"]
    # C only at the laptop
    rc = reg(db, c.registration_id)
    assert rc.checked_in_at == base + timedelta(minutes=7) and rc.checked_in_desk == "笔记本"
    # one visit, one award — wherever they were let in
    for seat in (a, b, c):
        assert points_of(db, seat.person_id) == 50
    # walk-ins: the new person keeps the laptop's UUID; the known phone stays ONE person
    new_walk = laptop_day["new_walk"]
    with db.read() as s:
        p = s.get(Person, new_walk.person_id)
        assert p is not None and p.name == "孙悦" and p.phone == "+8615812345678"
        r = s.get(Registration, new_walk.registration_id)
        assert r is not None and r.is_walk_in and r.checked_in_desk == "笔记本"
        assert (
            s.scalar(
                select(func.count()).select_from(Person).where(Person.phone == "+8613700137004")
            )
            == 1
        )
    liu = laptop_day["liu"]
    rl = reg(db, liu.registration_id)
    assert rl.checked_in_at == base + timedelta(minutes=11)
    assert points_of(db, liu.person_id) == 50 and points_of(db, new_walk.person_id) == 50
    matched = {m["table"] for m in rep.matched}
    assert matched == {"people", "registrations"}
    assert rep.duplicates >= 2
    # the report and the history
    j = rep.to_json()
    for key in (
        "created",
        "updated",
        "unchanged",
        "duplicates",
        "rejected",
        "scans_added",
        "checkins_added",
        "walk_ins_added",
        "double_entries",
        "conflicts",
    ):
        assert key in j
    json.dumps(j)
    with db.read() as s:
        op = s.scalars(select(SyncOperation).where(SyncOperation.kind == "pack_import")).one()
        assert op.report["scans_added"] == 5 and len(op.report["double_entries"]) == 2


def test_importing_the_same_pack_twice_changes_nothing(laptop_day: dict[str, Any]) -> None:
    db: Database = laptop_day["db"]
    first = packs.import_pack(db, laptop_day["pack"])
    assert first.scans_added == 5
    before = snapshot(db)
    again = packs.import_pack(db, laptop_day["pack"])
    assert (again.created, again.updated, again.scans_added) == (0, 0, 0)
    assert (again.checkins_added, again.walk_ins_added) == (0, 0)
    assert again.double_entries == () and again.conflicts == () and again.rejected == ()
    assert again.unchanged > 0
    assert snapshot(db) == before, "the same content, row for row"


def test_a_dry_run_reports_and_changes_nothing(laptop_day: dict[str, Any]) -> None:
    db: Database = laptop_day["db"]
    before = snapshot(db)
    rep = packs.import_pack(db, laptop_day["pack"], dry_run=True)
    assert rep.dry_run and rep.scans_added == 5 and len(rep.double_entries) == 2
    assert snapshot(db) == before
    with db.read() as s:
        assert (
            s.scalar(
                select(func.count())
                .select_from(SyncOperation)
                .where(SyncOperation.kind == "pack_import")
            )
            == 0
        )


def test_a_pack_truncated_in_transit_is_refused_and_nothing_changes(
    laptop_day: dict[str, Any], tmp_path: Path
) -> None:
    db: Database = laptop_day["db"]
    data = laptop_day["pack"].read_bytes()
    cut = tmp_path / "cut.pack"
    cut.write_bytes(data[: len(data) // 2])
    before = snapshot(db)
    with pytest.raises(FileUnreadable) as err:
        packs.import_pack(db, cut)
    assert "incomplete" in str(err.value) and "cut.pack" in str(err.value)
    assert "不完整" in err.value.localized("zh")
    assert snapshot(db) == before
    # a page-aligned cut (the header says how long the file must be) is caught too
    cut.write_bytes(data[: 4096 * 3])
    with pytest.raises(FileUnreadable, match="incomplete"):
        packs.import_pack(db, cut)
    cut.write_bytes(b"PK\x03\x04 not a database at all" * 10)
    with pytest.raises(FileUnreadable, match="not an event pack"):
        packs.import_pack(db, cut)
    assert snapshot(db) == before


def test_another_dealers_pack_is_refused(dealer_db: Database, tmp_path: Path) -> None:
    other = open_database(str(tmp_path / "other-dealer.sqlite"))
    try:
        init_dealer(other, "BJ-0007", "北京星辰", "北京", "华北")
        ev = make_event(other, "北京开放日")
        register(other, ev, "张伟", "+8613600136000")
        res = packs.export_pack(other, ev, tmp_path / "bj.pack")
    finally:
        other.close()
    before = snapshot(dealer_db)
    with pytest.raises(FileUnreadable) as err:
        packs.import_pack(dealer_db, res.path)
    assert "BJ-0007" in str(err.value) and "SH-0021" in str(err.value)
    assert snapshot(dealer_db) == before


def test_a_pack_from_a_newer_paddock_is_refused(dealer_db: Database, tmp_path: Path) -> None:
    ev = make_event(dealer_db)
    register(dealer_db, ev)
    res = packs.export_pack(dealer_db, ev, tmp_path / "x.pack")
    with sqlite3.connect(res.path) as con:
        con.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    with pytest.raises(FileUnreadable) as err:
        packs.import_pack(dealer_db, res.path)
    assert "newer Paddock" in str(err.value) and "9999_from_the_future" in str(err.value)


def test_a_hand_edited_pack_does_not_verify(dealer_db: Database, tmp_path: Path) -> None:
    ev = make_event(dealer_db)
    register(dealer_db, ev)
    res = packs.export_pack(dealer_db, ev, tmp_path / "x.pack")
    with sqlite3.connect(res.path) as con:
        (raw,) = con.execute("SELECT value FROM settings WHERE key='pack'").fetchone()
        info = json.loads(raw)
        info["event_title"] = "伪造"
        con.execute("UPDATE settings SET value=? WHERE key='pack'", (json.dumps(info),))
    with pytest.raises(FileUnreadable, match="signature"):
        packs.import_pack(dealer_db, res.path)


def test_a_row_changed_in_both_places_keeps_the_newest_and_is_listed(
    dealer_db: Database, tmp_path: Path
) -> None:
    ev = make_event(dealer_db)
    a = register(dealer_db, ev, "李娜", "+8613800138000")
    b = register(dealer_db, ev, "王强", "+8613900139001")
    res = packs.export_pack(dealer_db, ev, tmp_path / "x.pack")
    t0 = now_utc()
    laptop = open_database(str(res.path))
    try:
        with laptop.write() as s:
            s.execute(
                update(Person)
                .where(Person.id == a.person_id)
                .values(notes="笔记本：想试驾", updated_at=t0 + timedelta(seconds=5))
            )
            s.execute(
                update(Person)
                .where(Person.id == b.person_id)
                .values(email="wq@example.cn", updated_at=t0 + timedelta(seconds=5))
            )
    finally:
        laptop.close()
    with dealer_db.write() as s:  # the dealership edited 李娜 later than the laptop
        s.execute(
            update(Person)
            .where(Person.id == a.person_id)
            .values(notes="前台：已联系", updated_at=t0 + timedelta(seconds=30))
        )
    rep = packs.import_pack(dealer_db, res.path)
    [conflict] = rep.conflicts
    assert conflict["id"] == str(a.person_id) and conflict["fields"] == ["notes"]
    assert conflict["kept"] == "here" and conflict["pack"]["notes"] == "笔记本：想试驾"
    with dealer_db.read() as s:
        pa, pb = s.get(Person, a.person_id), s.get(Person, b.person_id)
        assert pa is not None and pa.notes == "前台：已联系"
        assert pb is not None and pb.email == "wq@example.cn", "changed only on the laptop"
    assert rep.updated == 1
    again = packs.import_pack(dealer_db, res.path)
    assert again.conflicts == () and again.updated == 0


def test_pack_cli_export_and_import_with_json(
    dealer_sqlite: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ev = make_event(dealer_sqlite, points=20)
    seat = register(dealer_sqlite, ev, "李娜", "+8613800138000")
    out = tmp_path / "cli.pack"
    home = str(dealer_sqlite.path)
    pw = "山路自驾 2026"

    def run(*argv: str) -> tuple[int, dict[str, Any]]:
        code = main(list(argv))
        text = capsys.readouterr().out.strip()
        return code, json.loads(text) if text.startswith("{") else {"text": text}

    code = main(["--db", home, "pack", "export", str(ev), "--out", str(out)])
    assert code == 1 and "choose a passphrase" in capsys.readouterr().err
    code, obj = run(
        "--db", home, "pack", "export", str(ev), "--out", str(out), "--passphrase", pw, "--json"
    )
    assert code == 0 and obj["event_id"] == str(ev) and obj["counts"]["registrations"] == 1
    assert obj["encrypted"] is True
    # the laptop: without the passphrase nothing opens, and nothing is said about the event
    code = main(["--db", str(out), "checkin", str(ev), seat.code, "--json"])
    captured = capsys.readouterr()
    assert code == 1 and captured.out == ""
    assert captured.err.strip() == "paddock: this pack is encrypted: give its passphrase"
    code = main(["--passphrase", "not the one", "--db", str(out), "registrations", str(ev)])
    assert code == 1 and "wrong passphrase" in capsys.readouterr().err
    code, obj = run(
        "--passphrase", pw, "--db", str(out), "checkin", str(ev), seat.code, "--desk", "笔记本",
        "--json",
    )  # fmt: skip
    assert code == 0 and obj["result"] == "accepted"
    code = main(["--db", home, "pack", "import", str(out), "--json"])
    assert code == 1 and "this pack is encrypted: give its passphrase" in capsys.readouterr().err
    code, obj = run(
        "--db", home, "pack", "import", str(out), "--dry-run", "--passphrase", pw, "--json"
    )
    assert code == 0 and obj["dry_run"] and obj["scans_added"] == 1
    code, obj = run("--passphrase", pw, "--db", home, "pack", "import", str(out), "--json")
    assert code == 0 and obj["scans_added"] == 1 and obj["checkins_added"] == 1
    assert obj["rejected"] == [] and obj["double_entries"] == []
    code, obj = run("--db", home, "pack", "import", str(out), "--passphrase", pw)
    assert code == 0 and "0 scans added" in obj["text"]
    bad = tmp_path / "bad.pack"
    bad.write_bytes(out.read_bytes()[:5000])
    code = main(["--db", home, "pack", "import", str(bad), "--passphrase", pw, "--json"])
    captured = capsys.readouterr()
    assert code == 1 and captured.out == "" and "incomplete" in captured.err
    code = main(
        ["--db", home, "pack", "export", str(uuid.uuid4()), "--out", str(bad), "--passphrase", pw]
    )
    assert code == 1 and "not found" in capsys.readouterr().err


def test_an_encrypted_pack_reveals_nothing_without_its_passphrase(
    dealer_sqlite: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ev = make_event(dealer_sqlite, points=20)
    seat = register(dealer_sqlite, ev, "欧阳娜娜", "+8613912345678")
    out = tmp_path / "drive.pack"
    res = packs.export_pack(dealer_sqlite, ev, out, passphrase="correct horse 9")
    assert res.encrypted and packs.pack_is_encrypted(out)

    def raw() -> bytes:
        return b"".join(f.read_bytes() for f in tmp_path.glob("drive.pack*"))

    for secret in ("13912345678", "欧阳娜娜", seat.code, "SQLite format 3"):
        assert secret.encode() not in raw(), secret
    with pytest.raises(DatabaseError) as no_key:
        open_database(str(out))
    assert str(no_key.value) == "this pack is encrypted: give its passphrase"
    with pytest.raises(PaddockError) as wrong:
        open_database(str(out), passphrase="wrong horse 9")
    assert "wrong passphrase" in str(wrong.value)
    with pytest.raises(PaddockError) as not_imported:
        packs.import_pack(dealer_sqlite, out)
    assert str(not_imported.value) == "this pack is encrypted: give its passphrase"
    # the laptop works on it all day (WAL, walk-ins): still nothing readable on disk
    monkeypatch.setenv("PADDOCK_PASSPHRASE", "correct horse 9")
    laptop = open_database(str(out))
    try:
        assert laptop.encrypted
        assert checkin.scan(laptop, ev, seat.code, desk="笔记本").result == "accepted"
        walkin_person = "13700001234"
        walkin.walkin(laptop, ev, walkin_person, "路边加入", desk="笔记本")
        assert walkin_person.encode() not in raw() and b"13912345678" not in raw()
        assert list(tmp_path.glob("drive.pack-wal")), "the laptop writes through the WAL"
    finally:
        laptop.close()
    monkeypatch.delenv("PADDOCK_PASSPHRASE")
    rep = packs.import_pack(dealer_sqlite, out, passphrase="correct horse 9")
    assert rep.scans_added == 2 and rep.walk_ins_added == 1  # the scan and the walk-in
    assert not list(Path(tempfile.gettempdir()).glob("paddock-pack-*/pack-plain.sqlite"))
    with pytest.raises(PaddockError):
        packs.export_pack(dealer_sqlite, ev, tmp_path / "weak.pack", passphrase="short")


def test_refusals_raise_paddock_errors_in_both_languages(
    dealer_db: Database, tmp_path: Path
) -> None:
    missing = tmp_path / "nope.pack"
    with pytest.raises(PaddockError):
        packs.import_pack(dealer_db, missing)
    empty = tmp_path / "empty.pack"
    empty.write_bytes(b"")
    with pytest.raises(FileUnreadable) as err:
        packs.import_pack(dealer_db, empty)
    assert err.value.localized("zh") != err.value.localized("en")


def test_a_phone_changed_on_the_laptop_but_taken_here_meanwhile_is_left_out_and_says_why(
    dealer_db: Database, tmp_path: Path
) -> None:
    from desktop_app.services import people
    from desktop_app.services.people import PersonDraft

    ev = make_event(dealer_db, "星辰车主冬季自驾")
    wang = register(dealer_db, ev, "王强", "+8613900139001")
    pack_path = tmp_path / "drive.pack"
    packs.export_pack(dealer_db, ev, pack_path)
    laptop = open_database(str(pack_path))
    try:  # on the road, 王强 gives his new number
        people.update_person(laptop, wang.person_id, PersonDraft(name="王强", phone="13911112222"))
    finally:
        laptop.close()
    # meanwhile the dealership gave that number to someone else
    add_person(dealer_db, "周杰", "+8613911112222")
    report = packs.import_pack(dealer_db, pack_path)
    assert [(r["table"], r["code"]) for r in report.rejected] == [("people", "pack_phone_taken")]
    assert "another person here has this phone" in report.rejected[0]["reason"]
    assert packs.rejected_text(report.rejected[0], "zh").startswith("手机号已被占用")
    with dealer_db.read() as s:  # 王强 keeps the number the dealership knows
        assert s.get(Person, wang.person_id).phone == "+8613900139001"  # type: ignore[union-attr]
