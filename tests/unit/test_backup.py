"""A dealership's data survives mistakes: daily and manual backups, a warning when they are old,
and `paddock restore` that checks a file before it replaces anything and keeps the current one."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import func, select, text

from desktop_app.cli import main
from desktop_app.domain.errors import DatabaseError
from desktop_app.services import backup
from desktop_app.store import db as store_db
from desktop_app.store.db import Database, open_database
from desktop_app.store.models import Event


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def add_event(capsys: pytest.CaptureFixture[str], path: Path, title: str) -> None:
    code, _, err = run(
        capsys,
        "--db",
        str(path),
        "event",
        "add",
        "--type",
        "open_day",
        "--title",
        title,
        "--starts",
        "2026-12-05T10:00",
        "--ends",
        "2026-12-05T12:00",
    )
    assert code == 0, err


def titles(path: Path) -> set[str]:
    conn = sqlite3.connect(path)
    try:
        return {r[0] for r in conn.execute("SELECT title FROM events")}
    finally:
        conn.close()


def event_count(db: Database) -> int:
    with db.read() as s:
        return s.scalar(select(func.count()).select_from(Event)) or 0


# --- making backups ------------------------------------------------------------------


def test_a_manual_backup_is_one_self_contained_file_that_opens(
    dealer_sqlite: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    assert dealer_sqlite.path is not None
    add_event(capsys, dealer_sqlite.path, "春季开放日")
    info = backup.make_backup(dealer_sqlite)
    assert info.path.parent == backup.config.backup_dir()
    assert info.reason == "manual" and info.size > 0
    assert not Path(f"{info.path}-wal").exists(), "no -wal beside a backup: one file to copy"
    assert titles(info.path) == {"春季开放日"}
    copy = open_database(str(info.path))
    assert event_count(copy) == 1
    copy.close()


def test_paddock_backup_prints_one_json_object_and_lists_newest_first(
    dealer_sqlite: Database, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out_file = tmp_path / "usb" / "paddock-copy.sqlite"
    out_file.parent.mkdir()
    code, out, err = run(
        capsys, "--db", dealer_sqlite.url, "backup", "--out", str(out_file), "--json"
    )
    assert code == 0, err
    made = json.loads(out)
    assert made["path"] == str(out_file) and made["size"] > 0
    assert out_file.exists()

    code, out, _ = run(capsys, "--db", dealer_sqlite.url, "backup", "--json")
    assert code == 0
    code, out, _ = run(capsys, "--db", dealer_sqlite.url, "backup", "list", "--json")
    assert code == 0 and len(out.strip().splitlines()) == 1
    listing = json.loads(out)
    reasons = [b["reason"] for b in listing["items"]]
    assert "manual" in reasons and "daily" in reasons  # the first CLI open made the daily one
    stamps = [b["created_at"] for b in listing["items"]]
    assert stamps == sorted(stamps, reverse=True)
    assert listing["old"] is False and listing["newest_age_hours"] < 1


def test_backup_to_a_missing_folder_is_refused_with_one_line(
    dealer_sqlite: Database, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, err = run(
        capsys, "--db", dealer_sqlite.url, "backup", "--out", str(tmp_path / "nope" / "x.sqlite")
    )
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and "folder does not exist" in err


def test_backups_rotate_keeping_the_newest_fourteen(dealer_sqlite: Database) -> None:
    assert dealer_sqlite.path is not None
    folder = backup.config.backup_dir()
    stem = dealer_sqlite.path.stem
    for day in range(1, 21):
        (folder / f"{stem}-202601{day:02d}-030000-daily.sqlite").write_bytes(b"old")
    backup.make_backup(dealer_sqlite)
    kept = backup.list_backups(dealer_sqlite.path)
    assert len(kept) == store_db.BACKUPS_KEPT
    assert kept[0].reason == "manual"
    assert kept[-1].path.name == f"{stem}-20260108-030000-daily.sqlite"


def test_the_daily_backup_is_made_only_when_the_newest_is_a_day_old(
    dealer_sqlite: Database,
) -> None:
    first = backup.backup_if_due(dealer_sqlite)
    assert first is not None and first.reason == "daily"
    assert backup.backup_if_due(dealer_sqlite) is None  # a minute later: nothing to do
    tomorrow = datetime.now(UTC) + timedelta(hours=25)
    again = backup.backup_if_due(dealer_sqlite, now=tomorrow)
    assert again is not None


def test_the_ui_is_warned_when_the_last_backup_is_over_a_week_old(
    dealer_sqlite: Database,
) -> None:
    assert backup.backup_warning_age(dealer_sqlite) == timedelta.max  # never backed up
    backup.make_backup(dealer_sqlite)
    assert backup.backup_warning_age(dealer_sqlite) is None
    later = datetime.now(UTC) + timedelta(days=8)
    age = backup.backup_warning_age(dealer_sqlite, now=later)
    assert age is not None and age.days == 8
    age_now = backup.last_backup_age(dealer_sqlite)
    assert age_now is not None and age_now < timedelta(minutes=5)


def test_a_merge_or_import_can_ask_for_a_backup_first(dealer_sqlite: Database) -> None:
    info = backup.backup_before(dealer_sqlite, "merge people")
    assert info is not None and info.reason == "pre-merge-people"
    assert info.path.name.endswith("-pre-merge-people.sqlite")


@pytest.mark.postgres
def test_a_server_database_is_backed_up_on_the_server_not_by_paddock(_pg_ready: str) -> None:
    db = open_database(_pg_ready)
    assert backup.backup_before(db, "merge") is None
    assert backup.backup_warning_age(db) is None
    with pytest.raises(DatabaseError, match="pg_dump"):
        backup.make_backup(db)
    db.close()


# --- restoring -----------------------------------------------------------------------


def test_restore_brings_back_the_backup_and_keeps_the_current_database(
    dealer_sqlite: Database, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = dealer_sqlite.path
    assert path is not None
    add_event(capsys, path, "车主节")
    saved = tmp_path / "before-mistake.sqlite"
    backup.make_backup(dealer_sqlite, out=saved)
    add_event(capsys, path, "误建的活动")
    dealer_sqlite.close()  # the desk closes Paddock before restoring

    code, out, err = run(capsys, "--db", str(path), "restore", str(saved), "--json")
    assert code == 0, err
    result = json.loads(out)
    assert titles(path) == {"车主节"}
    kept = Path(result["previous_kept_as"])
    assert kept.exists() and titles(kept) == {"车主节", "误建的活动"}
    assert result["schema"] == store_db.head_revision()
    assert list(path.parent.glob("*.part")) == []


def test_restore_refuses_a_file_that_is_not_a_sqlite_database(
    dealer_sqlite: Database, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert dealer_sqlite.path is not None
    bogus = tmp_path / "paddock.sqlite.xlsx"
    bogus.write_bytes(b"PK\x03\x04 this is a spreadsheet")
    dealer_sqlite.close()
    before = dealer_sqlite.path.read_bytes()
    code, out, err = run(capsys, "--db", str(dealer_sqlite.path), "restore", str(bogus))
    assert code == 1 and out == ""
    assert "not a SQLite database file" in err and "Traceback" not in err
    assert dealer_sqlite.path.read_bytes() == before


def test_restore_refuses_a_damaged_backup(dealer_sqlite: Database, tmp_path: Path) -> None:
    damaged = tmp_path / "damaged.sqlite"
    backup.make_backup(dealer_sqlite, out=damaged)
    conn = sqlite3.connect(damaged)  # enough rows for a multi-page b-tree to damage
    conn.execute("CREATE TABLE filler (id INTEGER PRIMARY KEY, note TEXT)")
    conn.executemany("INSERT INTO filler (note) VALUES (?)", [("说明" * 100,)] * 400)
    conn.commit()
    conn.close()
    raw = bytearray(damaged.read_bytes())
    page = 4096
    for offset in range(len(raw) - page * 40, len(raw), page):  # trash the filler's pages
        raw[offset : offset + 64] = b"\xff" * 64
    damaged.write_bytes(bytes(raw))
    with pytest.raises(DatabaseError) as err:
        backup.verify_backup(damaged)
    assert err.value.code == "backup_corrupt"


def test_restore_refuses_a_sqlite_file_from_another_program(tmp_path: Path) -> None:
    other = tmp_path / "crm-export.sqlite"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)")
    conn.commit()
    conn.close()
    with pytest.raises(DatabaseError) as err:
        backup.restore(str(tmp_path / "paddock.sqlite"), other)
    assert err.value.code == "backup_not_paddock"
    assert not (tmp_path / "paddock.sqlite").exists()


def test_restore_refuses_a_backup_from_a_newer_paddock(
    dealer_sqlite: Database, tmp_path: Path
) -> None:
    future = tmp_path / "future.sqlite"
    backup.make_backup(dealer_sqlite, out=future)
    conn = sqlite3.connect(future)
    conn.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    conn.commit()
    conn.close()
    with pytest.raises(DatabaseError) as err:
        backup.restore(dealer_sqlite.url, future)
    assert err.value.code == "backup_newer"
    assert "newer Paddock" in str(err.value)


def test_restore_waits_for_every_desk_to_close_the_database(
    dealer_sqlite: Database,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr(backup, "LOCK_WAIT_S", 0.2)
    saved = tmp_path / "saved.sqlite"
    backup.make_backup(dealer_sqlite, out=saved)
    assert dealer_sqlite.path is not None
    with dealer_sqlite.read() as s:  # another desk is open on the file (WAL reader)
        s.execute(text("SELECT 1"))
        with pytest.raises(DatabaseError) as err:
            backup.restore(dealer_sqlite.url, saved)
        assert err.value.code == "restore_in_use"
    dealer_sqlite.close()
    code, _, err_text = run(capsys, "--db", dealer_sqlite.url, "restore", str(saved))
    assert code == 0, err_text


def test_restoring_an_older_backup_upgrades_it_to_this_version(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = tmp_path / "from-last-year.sqlite"
    cfg = store_db.alembic_config(f"sqlite:///{old}")
    command.upgrade(cfg, "0001")
    target = tmp_path / "paddock.sqlite"
    code, out, err = run(capsys, "--db", str(target), "restore", str(old), "--json")
    assert code == 0, err
    assert json.loads(out)["schema"] == store_db.head_revision()
