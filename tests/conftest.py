"""Shared fixtures. Every test runs with PADDOCK_HOME in a temp dir (never the user's data).

`db` runs a test on SQLite and, when PADDOCK_TEST_PG_URL is set (CI starts a server), on
PostgreSQL too. `sqlite_db` is SQLite only (UI tests, file-level tests).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings
from sqlalchemy import text

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

PG_URL = os.environ.get("PADDOCK_TEST_PG_URL")


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
    names = ", ".join(f'"{t.name}"' for t in reversed(Base.metadata.sorted_tables))
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
