"""Shared fixtures. Every test runs with PADDOCK_HOME in a temp dir (never the user's data).

`db` runs a test on SQLite and, when PADDOCK_TEST_PG_URL is set (CI starts a server), on
PostgreSQL too. `sqlite_db` is SQLite only (UI tests, file-level tests).
"""

from __future__ import annotations

import functools
import inspect
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings as hypothesis_settings
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PADDOCK_LANG", "en")

from desktop_app.services.dealer import init_dealer
from desktop_app.store.db import Database, open_database
from desktop_app.store.models import Base

# CI runs the same examples every time (a red build must be reproducible); locally
# hypothesis keeps exploring new ones.
hypothesis_settings.register_profile("ci", derandomize=True, deadline=None)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")


def database_beside(url: str, suffix: str) -> str:
    """The URL of a database next to `url`'s (its name + "_" + suffix), created when missing
    (through a connection to `url`'s own database, which exists)."""
    import psycopg
    from sqlalchemy.engine import make_url

    base = make_url(url)
    name = f"{base.database}_{suffix}"
    libpq = base.set(drivername="postgresql").render_as_string(hide_password=False)
    for attempt in range(5):  # CREATE DATABASE fails while another one copies template1
        try:
            with psycopg.connect(libpq, autocommit=True) as conn:
                found = "SELECT 1 FROM pg_database WHERE datname = %s"
                if not conn.execute(found, (name,)).fetchone():
                    conn.execute(f'CREATE DATABASE "{name}"')
            break
        except (psycopg.errors.ObjectInUse, psycopg.errors.UniqueViolation):
            time.sleep(0.5 * (attempt + 1))
        except psycopg.errors.DuplicateDatabase:
            break
    return base.set(database=name).render_as_string(hide_password=False)


# pytest-xdist: each worker (gw0, gw1 …) has its own database, <name>_gw0, so one worker
# never truncates or drops the tables another is using. Set before the test modules are
# imported (some read PADDOCK_TEST_PG_URL at import) and inherited by the CLI subprocesses.
_WORKER = os.environ.get("PYTEST_XDIST_WORKER")
if _WORKER and os.environ.get("PADDOCK_TEST_PG_URL"):
    os.environ["PADDOCK_TEST_PG_URL"] = database_beside(os.environ["PADDOCK_TEST_PG_URL"], _WORKER)
PG_URL = os.environ.get("PADDOCK_TEST_PG_URL")


def _patient_qt_waits(scale: float) -> None:
    """pytest-qt's waits return as soon as their condition holds; the timeout only says when
    to give up. The suite's 3–5 s were written on an idle machine: on a loaded CI box (two
    workers on two cores) a background job can take longer, so every wait gives up after
    `scale` times the written timeout (PADDOCK_QT_TIMEOUT_SCALE). No test waits for a
    timeout to expire, so a passing test takes no longer."""
    from pytestqt.qtbot import QtBot

    def patient(wait: Any) -> Any:
        default = inspect.signature(wait).parameters["timeout"].default

        @functools.wraps(wait)
        def waiting(self: QtBot, *args: Any, timeout: int = default, **kw: Any) -> Any:
            return wait(self, *args, timeout=int(timeout * scale), **kw)

        return waiting

    for name in ("waitUntil", "waitSignal", "waitSignals", "waitCallback"):
        setattr(QtBot, name, patient(getattr(QtBot, name)))


_patient_qt_waits(float(os.environ.get("PADDOCK_QT_TIMEOUT_SCALE", "4")))


@pytest.fixture(autouse=True, scope="session")
def _own_temp_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A temp folder of this run (of this worker, in parallel): what the app puts in the
    temp folder (packs being encrypted, demo files) is looked for there, never mixed with
    another run's. World-traversable like /tmp, for the tests that run as another user."""
    tmp_path_factory.getbasetemp()  # pytest's own folders stay where they were (kept)
    folder = Path(tempfile.mkdtemp(prefix=f"paddock-tests-{_WORKER or 'main'}-"))
    folder.chmod(0o755)
    saved = os.environ.get("TMPDIR")
    os.environ["TMPDIR"] = tempfile.tempdir = str(folder)
    yield folder
    tempfile.tempdir = None
    if saved is None:
        os.environ.pop("TMPDIR", None)
    else:
        os.environ["TMPDIR"] = saved
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(autouse=True)
def paddock_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("PADDOCK_HOME", str(home))
    monkeypatch.delenv("PADDOCK_DB", raising=False)
    return home


@pytest.fixture(scope="session")
def _migrated_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated file per run; each test gets a copy (migrating each time is slow)."""
    path = tmp_path_factory.mktemp("template") / "template.sqlite"
    os.environ.setdefault("PADDOCK_HOME", str(path.parent))
    open_database(str(path)).close()
    return path


def fresh_sqlite(template: Path, target: Path) -> Database:
    shutil.copyfile(template, target)
    return open_database(str(target))


@pytest.fixture(scope="session")
def _pg_ready() -> str:
    if not PG_URL:
        pytest.skip("PostgreSQL not configured (set PADDOCK_TEST_PG_URL; .ci/run does)")
    # A fresh schema each run: a test database left by an older checkout must not linger.
    from sqlalchemy import create_engine

    engine = create_engine(PG_URL)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    open_database(PG_URL).close()  # migrate once per run
    return PG_URL


def truncate_all(db: Database) -> None:
    """Empty every table and restart the sequences, before each PostgreSQL test.

    DELETE, children first, rather than TRUNCATE: TRUNCATE makes new files for each of
    the ~30 tables (0.3 s idle, over a second on a busy machine, on every PostgreSQL test)
    while a test's few rows are deleted in milliseconds. TRUNCATE … CASCADE remains for
    rows DELETE cannot take in that order."""
    tables = [t.name for t in reversed(Base.metadata.sorted_tables)]
    try:
        with db.engine.begin() as conn:
            for name in tables:
                conn.execute(text(f'DELETE FROM "{name}"'))
            mine = "SELECT sequencename FROM pg_sequences WHERE schemaname = current_schema()"
            for seq in conn.execute(text(mine)).scalars().all():
                conn.execute(text(f'ALTER SEQUENCE "{seq}" RESTART'))
    except IntegrityError:
        names = ", ".join(f'"{name}"' for name in tables)
        with db.engine.begin() as conn:
            conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db(
    request: pytest.FixtureRequest, tmp_path: Path, _migrated_sqlite: Path
) -> Iterator[Database]:
    if request.param == "sqlite":
        database = fresh_sqlite(_migrated_sqlite, tmp_path / "paddock.sqlite")
    else:
        url = request.getfixturevalue("_pg_ready")
        database = open_database(url)
        truncate_all(database)
    yield database
    database.close()


@pytest.fixture
def sqlite_db(tmp_path: Path, _migrated_sqlite: Path) -> Iterator[Database]:
    database = fresh_sqlite(_migrated_sqlite, tmp_path / "paddock.sqlite")
    yield database
    database.close()


@pytest.fixture
def dealer_db(db: Database) -> Database:
    """`db` set up for the demo-less test dealership SH-0021 (Asia/Shanghai)."""
    init_dealer(db, "SH-0021", "星辰汽车", "上海", "华东")
    return db


@pytest.fixture
def dealer_sqlite(sqlite_db: Database) -> Database:
    init_dealer(sqlite_db, "SH-0021", "星辰汽车", "上海", "华东")
    return sqlite_db
