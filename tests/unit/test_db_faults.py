"""A desk PC's storage goes wrong: read-only files and folders, a database another program holds,
a full disk, a file from a newer Paddock, an unexpected bug. The person at the desk gets one
clear line (CLI exit 1) or a DatabaseError the UI can show, never a traceback, and nothing
half-written is left behind.

Honesty note: as root, chmod does not stop writes. The read-only cases therefore use a real
read-only bind mount (root) and, separately, a chmod 444 file opened by an unprivileged
user (setpriv); each is skipped, with the reason, where the machine cannot do it.
"""

from __future__ import annotations

import errno
import functools
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from desktop_app.cli import main
from desktop_app.domain.errors import DatabaseError
from desktop_app.services import backup
from desktop_app.store import db as store_db
from desktop_app.store.db import Database, open_database

EVENT_ARGS = (
    "event",
    "add",
    "--type",
    "open_day",
    "--title",
    "周末开放日",
    "--starts",
    "2026-12-05T10:00",
    "--ends",
    "2026-12-05T12:00",
)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def assert_one_clear_line(err: str, *words: str) -> None:
    assert "Traceback" not in err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert lines[0].startswith("paddock: ")
    for word in words:
        assert word in lines[0], lines[0]


def events_in(path: Path) -> int:
    conn = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)
    try:
        return int(conn.execute("SELECT count(*) FROM events").fetchone()[0])
    finally:
        conn.close()


def _mount(*args: str) -> bool:
    if os.geteuid() != 0 or not shutil.which("mount"):
        return False
    return subprocess.run(["mount", *args], capture_output=True).returncode == 0


@pytest.fixture
def read_only_copy(dealer_sqlite: Database, tmp_path: Path) -> Iterator[Path]:
    """The dealer database inside a folder bind-mounted read-only (like a locked-down share)."""
    assert dealer_sqlite.path is not None
    dealer_sqlite.close()
    src = tmp_path / "share-src"
    src.mkdir()
    shutil.copyfile(dealer_sqlite.path, src / "paddock.sqlite")
    mnt = tmp_path / "share"
    mnt.mkdir()
    if not _mount("--bind", str(src), str(mnt)):
        pytest.skip("needs root and mount(8) for a real read-only bind mount")
    try:
        if not _mount("-o", "remount,ro,bind", str(mnt)):
            pytest.skip("cannot remount read-only here")
        yield mnt / "paddock.sqlite"
    finally:
        subprocess.run(["umount", str(mnt)], capture_output=True)


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """A 384 KB tmpfs: a real 'No space left on device', not a mock."""
    mnt = tmp_path / "tiny"
    mnt.mkdir()
    if not _mount("-t", "tmpfs", "-o", "size=384k", "tmpfs", str(mnt)):
        pytest.skip("needs root to mount a small tmpfs")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", str(mnt)], capture_output=True)


# --- read-only ------------------------------------------------------------------------


def test_a_database_in_a_read_only_folder_is_reported_not_a_traceback(
    read_only_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "--db", str(read_only_copy), *EVENT_ARGS)
    assert code == 1 and out == ""
    assert_one_clear_line(err, "read-only", str(read_only_copy))
    assert events_in(read_only_copy) == 0


def test_opening_a_read_only_database_raises_a_database_error(read_only_copy: Path) -> None:
    with pytest.raises(DatabaseError) as err:
        open_database(str(read_only_copy))
    assert err.value.code == "db_readonly"


def test_a_read_only_file_for_an_ordinary_desk_user_is_reported(
    dealer_sqlite: Database, tmp_path: Path
) -> None:
    """chmod 444 on the file, the desk runs as an unprivileged user (uid 65534)."""
    if os.geteuid() != 0 or not shutil.which("setpriv"):
        pytest.skip("needs root to run the CLI as another user (setpriv)")
    assert dealer_sqlite.path is not None
    dealer_sqlite.close()
    # /tmp/pytest-of-root is 0700: use a world-traversable folder so the only obstacle is
    # the file's mode (the first command below proves the desk user can read it).
    base = Path(tempfile.mkdtemp(prefix="paddock-desk-"))
    try:
        folder = base / "desk"
        folder.mkdir()
        db_file = folder / "paddock.sqlite"
        shutil.copyfile(dealer_sqlite.path, db_file)
        home = base / "home"
        home.mkdir()
        for p in (base, folder, home):
            p.chmod(0o777)  # the folder stays writable: only the file is read-only
        db_file.chmod(0o444)
        env = {**os.environ, "PADDOCK_HOME": str(home), "PADDOCK_LANG": "en"}
        cmd = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
        probe = subprocess.run([*cmd, sys.executable, "-c", "import desktop_app"], env=env)
        if probe.returncode != 0:
            pytest.skip("the venv is not readable by an unprivileged user here")
        paddock = [*cmd, sys.executable, "-m", "desktop_app", "--db", str(db_file)]
        reading = subprocess.run(
            [*paddock, "event", "list", "--json"], env=env, capture_output=True, text=True
        )
        assert reading.returncode == 0, reading.stderr
        r = subprocess.run(
            [*paddock, *EVENT_ARGS], env=env, capture_output=True, text=True, timeout=120
        )
        assert r.returncode == 1, r.stderr
        assert_one_clear_line(r.stderr, "read-only")
        assert events_in(db_file) == 0
    finally:
        shutil.rmtree(base, ignore_errors=True)


# --- locked ---------------------------------------------------------------------------


@pytest.fixture
def short_busy_timeout(monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setattr(store_db, "BUSY_TIMEOUT_MS", 300)
    return 300


def hold_exclusive(path: Path) -> sqlite3.Connection:
    """Another program (a sync tool, a second app) holds a write lock and does not let go."""
    other = sqlite3.connect(path, isolation_level=None, timeout=0)
    other.execute("BEGIN EXCLUSIVE")
    other.execute("UPDATE dealer_profile SET name = name")
    return other


def test_a_locked_database_gives_a_clear_error_after_the_busy_timeout(
    dealer_sqlite: Database,
    short_busy_timeout: int,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert dealer_sqlite.path is not None
    path = dealer_sqlite.path
    dealer_sqlite.close()
    other = hold_exclusive(path)
    try:
        started = time.monotonic()
        code, out, err = run(capsys, "--db", str(path), *EVENT_ARGS)
        waited = time.monotonic() - started
    finally:
        other.rollback()
        other.close()
    assert code == 1 and out == ""
    assert_one_clear_line(err, "busy", str(path))
    assert waited < 10, "the short busy timeout applies, the desk is not frozen"
    assert events_in(path) == 0


def test_a_write_on_a_locked_database_raises_database_error_and_changes_nothing(
    tmp_path: Path, _migrated_sqlite: Path, short_busy_timeout: int
) -> None:
    path = tmp_path / "paddock.sqlite"
    shutil.copyfile(_migrated_sqlite, path)
    db = open_database(str(path))  # opened after the patch: 300 ms busy timeout
    other = hold_exclusive(path)
    try:
        with pytest.raises(DatabaseError) as err, db.write() as s:
            s.execute(text("DELETE FROM events"))
        assert err.value.code == "db_locked"
    finally:
        other.rollback()
        other.close()
        db.close()


# --- disk full ------------------------------------------------------------------------


def test_a_backup_onto_a_full_disk_says_so_and_leaves_no_partial_file(
    dealer_sqlite: Database, tiny_disk: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert dealer_sqlite.path is not None
    assert dealer_sqlite.path.stat().st_size > 384 * 1024, "the copy cannot fit"
    out_file = tiny_disk / "usb-stick.sqlite"
    code, out, err = run(capsys, "--db", dealer_sqlite.url, "backup", "--out", str(out_file))
    assert code == 1 and out == ""
    assert_one_clear_line(err, "disk is full")
    assert list(tiny_disk.iterdir()) == [], "no half copy left behind"


def test_writing_to_a_database_on_a_full_disk_is_a_clear_error_and_the_file_stays_sound(
    tiny_disk: Path,
) -> None:
    path = tiny_disk / "paddock.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    conn.commit()
    conn.close()
    db = Database(f"sqlite:///{path}", store_db.make_engine(f"sqlite:///{path}"))
    try:
        with pytest.raises(DatabaseError) as err, db.write() as s:
            for _ in range(200):  # 800 KB into a 384 KB disk
                s.execute(text("INSERT INTO notes (body) VALUES (:b)"), {"b": "x" * 4000})
        assert err.value.code == "disk_full"
    finally:
        db.close()
    check = sqlite3.connect(path)
    try:
        assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert check.execute("SELECT count(*) FROM notes").fetchone()[0] == 0
    finally:
        check.close()


def test_an_export_that_hits_enospc_reports_disk_full_and_leaves_no_partial_file(
    dealer_sqlite: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without root (no tmpfs): the rename that publishes the file fails with ENOSPC."""
    out_file = tmp_path / "copy.sqlite"

    def full(*_a: object, **_k: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device", str(out_file))

    monkeypatch.setattr(Path, "replace", full)
    with pytest.raises(DatabaseError) as err:
        backup.make_backup(dealer_sqlite, out=out_file)
    assert err.value.code == "disk_full"
    assert not out_file.exists()
    assert list(tmp_path.glob("*.part")) == []


# --- not ours / newer / unexpected ----------------------------------------------------


def test_a_database_from_a_newer_paddock_is_refused_in_the_cli(
    dealer_sqlite: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    assert dealer_sqlite.path is not None
    with dealer_sqlite.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0099_next_year'"))
    dealer_sqlite.close()
    code, out, err = run(capsys, "--db", str(dealer_sqlite.path), "event", "list", "--json")
    assert code == 1 and out == ""
    assert_one_clear_line(err, "newer Paddock")


def test_a_file_that_is_not_a_database_is_refused_in_the_cli(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    wrong = tmp_path / "签到表.xlsx"
    wrong.write_bytes(b"PK\x03\x04" + b"\0" * 200)
    code, out, err = run(capsys, "--db", str(wrong), "event", "list")
    assert code == 1 and out == ""
    assert_one_clear_line(err, "not a Paddock database")
    assert wrong.read_bytes().startswith(b"PK")


def test_an_unexpected_bug_prints_one_line_with_the_log_path_and_logs_the_traceback(
    dealer_sqlite: Database,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    paddock_home: Path,
) -> None:
    from desktop_app import cli
    from desktop_app.commands import admin

    def broken(*_a: object) -> int:
        raise ZeroDivisionError("points per seat")

    monkeypatch.setattr(admin, "_log", broken)
    # the parser (built once per process) holds the handlers: one with the broken handler
    monkeypatch.setattr(cli, "build_parser", functools.cache(cli.build_parser.__wrapped__))
    code, out, err = run(capsys, "--db", dealer_sqlite.url, "log")
    assert code == 1 and out == ""
    log = paddock_home / "logs" / "paddock.log"
    assert_one_clear_line(err, "unexpected error", "ZeroDivisionError", str(log))
    logged = log.read_text(encoding="utf-8")
    assert "Traceback" in logged and "points per seat" in logged


def test_paddock_log_shows_where_the_log_is(
    dealer_sqlite: Database, capsys: pytest.CaptureFixture[str], paddock_home: Path
) -> None:
    run(capsys, "--db", dealer_sqlite.url, "backup", "list")  # first open: daily backup
    code, out, _ = run(capsys, "--db", dealer_sqlite.url, "log", "--json")
    assert code == 0
    shown = json.loads(out)
    assert shown["path"] == str(paddock_home / "logs" / "paddock.log")
    assert any("backup (daily)" in line for line in shown["lines"])
