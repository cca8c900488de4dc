"""Kill -9 during an import, a migration and an HQ export, and the PostgreSQL server
dropping the desk's connections: the database stays intact, nothing is half-written,
no partial file is left under the target name, and the desk carries on afterwards.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import xlsxwriter
from alembic import command
from sqlalchemy import create_engine, func, select, text

from desktop_app.domain.errors import DatabaseError
from desktop_app.services.dealer import init_dealer
from desktop_app.store.db import Database, alembic_config, head_revision, open_database
from desktop_app.store.models import Person, Vehicle
from tests.checkin_support import make_event, populate
from tests.fixtures.make_people import make_vin

ROOT = Path(__file__).resolve().parents[2]
PG_URL = os.environ.get("PADDOCK_TEST_PG_URL")
IMPORT_ROWS = 20_000


def _child(code: str, *args: str, tmpdir: Path | None = None) -> subprocess.Popen[str]:
    env = os.environ | {"PYTHONPATH": str(ROOT)}
    if tmpdir is not None:  # where the child's own temp files go (xlsxwriter's row files)
        env["TMPDIR"] = str(tmpdir)
    return subprocess.Popen(
        [sys.executable, "-c", code, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env=env,
    )


def _wait_for_line(p: subprocess.Popen[str], wanted: str, timeout: float = 60) -> None:
    """Read the child's progress lines until one starts with `wanted`."""
    assert p.stdout is not None
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = p.stdout.readline()
        if not line:
            err = p.stderr.read() if p.stderr else ""
            pytest.fail(f"child ended before {wanted!r}: rc={p.wait()} {err[-2000:]}")
        if line.startswith(wanted):
            return
    pytest.fail(f"child never printed {wanted!r}")


def _sigkill(p: subprocess.Popen[str]) -> None:
    p.send_signal(signal.SIGKILL)
    assert p.wait(timeout=10) == -signal.SIGKILL


def _integrity(path: Path) -> str:
    with sqlite3.connect(path) as conn:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]


# ------------------------------------------------------------------ kill -9 mid-import


def _big_people_xlsx(path: Path, n: int) -> None:
    """A DMS-style customer export: n people, each with a phone, a car (valid VIN), a plate."""
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    ws = wb.add_worksheet("客户信息")
    ws.write_row(0, 0, ["序号", "客户姓名", "手机号码", "车型", "车架号", "车牌号"])
    surnames = "王李张刘陈杨黄赵吴周"
    given = "伟芳娜敏静丽强磊军洋勇艳杰涛明超"
    letters = "ABCDEFGHJKLMNPRSTUVWXYZ"
    for i in range(n):
        name = surnames[i % 10] + given[(i // 10) % 16] + given[(i // 160) % 16]
        vin = make_vin("LSVAU218", f"N{i:07d}")
        plate = f"沪A·{letters[i % 23]}{i % 100000:05d}"
        ws.write_row(i + 1, 0, [i + 1, name, f"138{i:08d}", "朗逸", vin, plate])
    wb.close()


# Prints the importer's progress; "writing" comes once the write transaction is open
# (progress 800 = matching done, rows being flushed into the database).
IMPORT_CHILD = """
import sys
from desktop_app.services.people_import import import_people
from desktop_app.store.db import open_database
db = open_database(sys.argv[1])
seen = set()
def progress(done, total):
    if done >= 800 and "w" not in seen:
        seen.add("w")
        print("writing", flush=True)
rep = import_people(db, sys.argv[2], progress=progress)
print("done", rep.created, flush=True)
"""


def test_killing_an_import_mid_write_leaves_no_half_imported_people(
    dealer_sqlite: Database, tmp_path: Path
) -> None:
    book = tmp_path / "big.xlsx"
    _big_people_xlsx(book, IMPORT_ROWS)
    path = dealer_sqlite.path
    assert path is not None
    dealer_sqlite.close()
    wal = Path(f"{path}-wal")
    wal_before = wal.stat().st_size if wal.exists() else 0

    p = _child(IMPORT_CHILD, str(path), str(book))
    _wait_for_line(p, "writing", timeout=120)
    # Give the flush a moment to spill pages into the WAL, so the kill lands mid-write.
    deadline = time.monotonic() + 3
    while time.monotonic() < deadline and (wal.stat().st_size if wal.exists() else 0) <= (
        wal_before + 64 * 1024
    ):
        time.sleep(0.005)
    _sigkill(p)
    assert p.stdout is not None
    committed = p.stdout.read().startswith("done")

    assert _integrity(path) == "ok"
    db = open_database(str(path))
    with db.read() as s:
        people = s.scalar(select(func.count()).select_from(Person))
        cars = s.scalar(select(func.count()).select_from(Vehicle))
    # One transaction: all or nothing (all only if it committed before the kill landed).
    expected = IMPORT_ROWS if committed else 0
    assert (people, cars) == (expected, expected)
    assert not committed, "the kill must land inside the write transaction to prove anything"

    # The user runs the same import again: it goes through completely.
    from desktop_app.services.people_import import import_people

    rep = import_people(db, book)
    assert rep.created == IMPORT_ROWS and not rep.rejected
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(Person)) == IMPORT_ROWS
        assert s.scalar(select(func.count()).select_from(Vehicle)) == IMPORT_ROWS
    db.close()
    assert _integrity(path) == "ok"


# --------------------------------------------------------------- kill -9 mid-migration

# Upgrades a 0001 database the way the app does (open_database: backup, then upgrade),
# with every DDL statement slowed down so the kill reliably lands inside the migration.
MIGRATE_CHILD = """
import sys, time
from alembic.ddl.impl import DefaultImpl
from desktop_app.store.db import open_database
real_exec = DefaultImpl._exec
n = [0]
def slow_exec(self, construct, *a, **k):
    out = real_exec(self, construct, *a, **k)
    n[0] += 1
    if n[0] == 3:
        print("migrating", flush=True)
    time.sleep(0.05)
    return out
DefaultImpl._exec = slow_exec
open_database(sys.argv[1])
print("done", flush=True)
"""


def _version(path: Path) -> str:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT version_num FROM alembic_version").fetchone()[0]


def _dealer_code(path: Path) -> str:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT code FROM dealer_profile").fetchone()[0]


def test_killing_an_upgrade_midway_keeps_the_old_schema_and_data_then_upgrades_cleanly(
    tmp_path: Path, paddock_home: Path
) -> None:
    path = tmp_path / "old.sqlite"
    command.upgrade(alembic_config(f"sqlite:///{path}"), "0001")
    with sqlite3.connect(path) as conn:
        conn.execute(
            "INSERT INTO dealer_profile (id, code, name, ticket_key, device_id, timezone,"
            " created_at, updated_at) VALUES (1, 'OLD-1', '老店', 'k', 'd',"
            " 'Asia/Shanghai', '2025-01-01 00:00:00', '2025-01-01 00:00:00')"
        )

    p = _child(MIGRATE_CHILD, str(path))
    _wait_for_line(p, "migrating")
    _sigkill(p)

    # SQLite DDL is transactional: the half-run upgrade was rolled back with the journal.
    assert _integrity(path) == "ok"
    assert _version(path) == "0001"
    assert _dealer_code(path) == "OLD-1"
    with sqlite3.connect(path) as conn:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert "people" not in tables, "no table of migration 0002 survives the kill"

    # The backup taken before the upgrade is complete and still at 0001.
    backups = sorted((paddock_home / "backups").glob("old-*-pre-migrate-0001.sqlite"))
    assert len(backups) == 1
    assert _integrity(backups[0]) == "ok"
    assert (_version(backups[0]), _dealer_code(backups[0])) == ("0001", "OLD-1")
    assert not list((paddock_home / "backups").glob("*.part"))

    # Opening it again upgrades it to the current schema with the data kept.
    db = open_database(str(path))
    db.close()
    assert _version(path) == head_revision()
    assert _dealer_code(path) == "OLD-1"
    assert _integrity(path) == "ok"


# ------------------------------------------------------------- kill -9 mid-HQ-export

EXPORT_CHILD = """
import sys
from desktop_app.services import hq_export
from desktop_app.store.db import open_database
db = open_database(sys.argv[1])
hq_export._TICK = 500
def progress(done, total):
    if 0 < done < total:
        print("writing", done, total, flush=True)
hq_export.export_hq(db, sys.argv[2], progress=progress)
print("done", flush=True)
"""


def _temps(folder: Path, target: str) -> list[Path]:
    return sorted(folder.glob(f".{target}.*.paddock-tmp"))


def test_killing_an_hq_export_leaves_no_file_under_the_target_name(
    dealer_sqlite: Database, tmp_path: Path
) -> None:
    ev = make_event(dealer_sqlite, capacity=None)
    populate(dealer_sqlite, ev, 6000)
    path = dealer_sqlite.path
    assert path is not None
    out_dir = tmp_path / "exports"
    out_dir.mkdir()
    out = out_dir / "SH-0021.xlsx"
    scratch = tmp_path / "scratch"
    scratch.mkdir()

    # Killed while writing rows: xlsxwriter has not created the workbook file yet.
    p = _child(EXPORT_CHILD, str(path), str(out), tmpdir=scratch)
    _wait_for_line(p, "writing")
    _sigkill(p)
    assert list(out_dir.iterdir()) == [], "no target file, no temp file"
    # (xlsxwriter's per-sheet row files stay in the system temp folder: nothing can run
    # after SIGKILL, and they never carry the target's name; the OS temp cleaner owns them.)

    # Killed while the workbook is being zipped into its temp name: the temp file is
    # left behind (nothing runs after SIGKILL), but never anything under the target name.
    p = _child(EXPORT_CHILD, str(path), str(out), tmpdir=scratch)
    _wait_for_line(p, "writing")
    deadline = time.monotonic() + 60
    while not _temps(out_dir, out.name) and p.poll() is None and time.monotonic() < deadline:
        time.sleep(0.001)
    _sigkill(p)
    assert not out.exists()
    leftovers = _temps(out_dir, out.name)
    assert len(leftovers) == 1 and list(out_dir.iterdir()) == leftovers
    # An hour later the next export succeeds and sweeps up the dead export's temp file.
    stale = time.time() - 3600
    os.utime(leftovers[0], (stale, stale))

    from desktop_app.services.hq_export import export_hq

    rep = export_hq(dealer_sqlite, out)
    assert rep.rows["people"] == 6000
    assert [f.name for f in out_dir.iterdir()] == [out.name]
    assert _integrity(path) == "ok"


# ----------------------------------------------------- PostgreSQL connections dropped


@pytest.fixture
def pg_dealer(_pg_ready: str) -> Iterator[Database]:
    """The migrated test database (`_pg_ready`: run alone, or first on a worker, it is new)."""
    from tests.conftest import truncate_all

    db = open_database(_pg_ready)
    truncate_all(db)
    init_dealer(db, "SH-0021", "星辰汽车", "上海", "华东")
    yield db
    db.close()


def _drop_all_connections(url: str) -> int:
    """What a server restart does to the desk: every backend of this database is killed."""
    admin = create_engine(url)
    try:
        with admin.begin() as conn:
            killed = conn.execute(
                text(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
            ).scalar()
    finally:
        admin.dispose()
    return int(killed or 0)


def test_the_desk_recovers_when_postgresql_drops_its_connections(pg_dealer: Database) -> None:
    from desktop_app.services.checkin import scan

    ev = make_event(pg_dealer, capacity=None)
    codes = populate(pg_dealer, ev, 5)
    assert scan(pg_dealer, ev, codes[0], desk="A").result == "accepted"
    assert PG_URL is not None
    assert _drop_all_connections(PG_URL) >= 1  # the desk's pooled connection was cut

    # pool_pre_ping notices the dead connection and reconnects; if a dead connection
    # slips through anyway, the desk sees "server unreachable", never a raw traceback.
    try:
        first = scan(pg_dealer, ev, codes[1], desk="A").result
    except DatabaseError as exc:
        assert exc.code == "db_unreachable", exc
        first = "unreachable"
    assert first in {"accepted", "unreachable"}
    # ...and the very next scan works: the desk recovered without a restart.
    for code in codes[2:]:
        assert scan(pg_dealer, ev, code, desk="A").result == "accepted"
    with pg_dealer.read() as s:
        n = s.scalar(text("SELECT count(*) FROM scan_log WHERE result = 'accepted'"))
    assert n == (5 if first == "accepted" else 4)


def test_cli_against_a_server_that_is_not_listening_says_so_in_one_line() -> None:
    url = "postgresql+psycopg://paddock:paddock@127.0.0.1:1/paddock"
    proc = subprocess.run(
        [sys.executable, "-m", "desktop_app.cli", "--db", url, "event", "list"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env=os.environ | {"PYTHONPATH": str(ROOT)},
    )
    assert proc.returncode == 1, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    assert proc.stdout == ""


def test_after_a_pause_a_dropped_connection_is_replaced_before_the_scan(
    pg_dealer: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A pooled connection idle for PING_AFTER_IDLE_S is pinged at checkout: a server
    # restart during a lull costs the next scan nothing, not even an error message.
    from desktop_app.services.checkin import scan
    from desktop_app.store import db as store_db

    ev = make_event(pg_dealer, capacity=None)
    codes = populate(pg_dealer, ev, 3)
    assert scan(pg_dealer, ev, codes[0], desk="A").result == "accepted"
    monkeypatch.setattr(store_db, "PING_AFTER_IDLE_S", 0.0)  # "after a pause"
    assert PG_URL is not None
    assert _drop_all_connections(PG_URL) >= 1
    assert scan(pg_dealer, ev, codes[1], desk="A").result == "accepted"
    assert scan(pg_dealer, ev, codes[2], desk="A").result == "accepted"
