"""Opening databases: new, upgraded after a backup, refused when not ours or too new."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic import command
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import inspect, text

from desktop_app import config
from desktop_app.domain.errors import DatabaseError
from desktop_app.store.db import alembic_config, head_revision, open_database
from desktop_app.store.models import Base


def test_a_new_file_gets_the_whole_schema_in_wal_mode(tmp_path: Path) -> None:
    db = open_database(str(tmp_path / "new.sqlite"))
    with db.read() as s:
        assert s.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert s.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert s.execute(text("PRAGMA busy_timeout")).scalar() >= 5000
    tables = set(inspect(db.engine).get_table_names())
    assert set(Base.metadata.tables) <= tables
    db.close()


def test_migrations_match_the_models(tmp_path: Path) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    db = open_database(str(tmp_path / "x.sqlite"))
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == [], "models changed without a migration: run tools/regen_migrations.py"
    db.close()


def test_an_older_database_is_backed_up_then_upgraded(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    url = f"sqlite:///{path}"
    command.upgrade(alembic_config(url), "0001")
    with sqlite3.connect(path) as conn:
        conn.execute(
            "INSERT INTO dealer_profile (id, code, name, ticket_key, device_id, timezone,"
            " created_at, updated_at) VALUES (1, 'OLD-1', 'Old dealer', 'k', 'd',"
            " 'Asia/Shanghai', '2025-01-01 00:00:00', '2025-01-01 00:00:00')"
        )
    db = open_database(str(path))
    with db.read() as s:
        assert (
            s.execute(text("SELECT version_num FROM alembic_version")).scalar() == head_revision()
        )
        assert s.execute(text("SELECT code FROM dealer_profile")).scalar() == "OLD-1"
    backups = list(config.backup_dir().glob("old-*-pre-migrate-0001.sqlite"))
    assert len(backups) == 1
    with sqlite3.connect(backups[0]) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
    db.close()


def test_a_database_from_a_newer_paddock_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "newer.sqlite"
    open_database(str(path)).close()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999_future'")
    with pytest.raises(DatabaseError, match="newer Paddock"):
        open_database(str(path))


def test_a_text_file_is_not_a_paddock_database(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite"
    path.write_text("shopping list")
    with pytest.raises(DatabaseError, match="not a Paddock database"):
        open_database(str(path))
    assert path.read_text() == "shopping list"


def test_another_programs_sqlite_file_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE customers (id INTEGER)")
    with pytest.raises(DatabaseError, match="not a Paddock database"):
        open_database(str(path))
    with sqlite3.connect(path) as conn:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    assert tables == {"customers"}


def test_database_url_defaults_to_the_data_dir(monkeypatch: pytest.MonkeyPatch) -> None:
    assert config.database_url().endswith("paddock.sqlite")
    assert str(config.data_dir()) in config.database_url()
    monkeypatch.setenv("PADDOCK_DB", "postgresql+psycopg://u@h/db")
    assert config.database_url() == "postgresql+psycopg://u@h/db"
    assert config.database_url("x.sqlite").startswith("sqlite:///")


def test_the_app_reads_the_same_revision_chain_as_alembic_without_importing_it() -> None:
    import subprocess
    import sys

    from alembic.script import ScriptDirectory

    from desktop_app.store.db import _revision_graph, known_revisions

    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    assert head_revision() == script.get_current_head()
    assert _revision_graph() == {r.revision: r.down_revision for r in script.walk_revisions()}
    assert known_revisions() == {r.revision for r in script.walk_revisions()}
    # Opening an up-to-date database (every CLI command does) imports no alembic.
    code = (
        "import sys, tempfile, os\n"
        "from desktop_app.store.db import open_database\n"
        "p = os.path.join(tempfile.mkdtemp(), 'a.sqlite')\n"
        "open_database(p).close()\n"  # creates: migrates, imports alembic
        "for m in [m for m in sys.modules if m.startswith('alembic')]: del sys.modules[m]\n"
        "open_database(p).close()\n"
        "print(sorted(m for m in sys.modules if m.startswith('alembic'))[:3])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# UTCDateTime's one-step SQLite processors write and read exactly what SQLAlchemy's own
# DateTime does (every file already written stays readable, every new one is the same).
_AWARE = st.datetimes(
    min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30), timezones=st.timezones()
)


@given(_AWARE)
def test_a_time_is_stored_in_sqlites_text_exactly_as_sqlalchemy_stores_it(when: datetime) -> None:
    from sqlalchemy import DateTime
    from sqlalchemy.dialects import sqlite

    from desktop_app.store.models import UTCDateTime

    d = sqlite.dialect()
    ours_in = UTCDateTime().dialect_impl(d).bind_processor(d)
    ours_out = UTCDateTime().dialect_impl(d).result_processor(d, None)
    theirs_in = DateTime().dialect_impl(d).bind_processor(d)
    theirs_out = DateTime().dialect_impl(d).result_processor(d, None)
    utc = when.astimezone(UTC)
    stored = ours_in(when)
    assert stored == theirs_in(utc.replace(tzinfo=None))
    assert ours_out(stored) == theirs_out(stored).replace(tzinfo=UTC) == utc
    assert ours_in(None) is None and ours_out(None) is None
    with pytest.raises(ValueError):
        ours_in(utc.replace(tzinfo=None))  # a naive time is refused, as before
