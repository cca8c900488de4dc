"""Migration 0003: ix_registrations_confirmed, the covering partial index of confirmed
registrations the community report reads (services/reports.py). A database someone
ANALYZEd gets statistics for it; one never analyzed (every desk's) stays without."""

from __future__ import annotations

import sqlite3
import uuid
from pathlib import Path

from alembic import command

from desktop_app.store.db import alembic_config, open_database
from desktop_app.store.models import Base


def _registration_row(conn: sqlite3.Connection) -> None:
    """One registration with its event and person (foreign keys are off in plain sqlite3)."""
    now = "2026-01-01 00:00:00.000000"
    event, person = uuid.uuid4().hex, uuid.uuid4().hex
    conn.execute(
        "INSERT INTO registrations (id, created_at, updated_at, event_id, person_id, status,"
        " source, party_size, passengers, registered_at, is_walk_in, wants_test_drive)"
        " VALUES (?, ?, ?, ?, ?, 'registered', 'phone_invite', 1, 0, ?, 0, 0)",
        (uuid.uuid4().hex, now, now, event, person, now),
    )


def test_an_analyzed_database_gets_statistics_for_the_new_index(tmp_path: Path) -> None:
    path = tmp_path / "analyzed.sqlite"
    command.upgrade(alembic_config(f"sqlite:///{path}"), "0002")
    with sqlite3.connect(path) as conn:
        _registration_row(conn)
        conn.execute("ANALYZE")
    open_database(str(path)).close()
    with sqlite3.connect(path) as conn:
        rows = conn.execute(
            "SELECT stat FROM sqlite_stat1 WHERE idx = 'ix_registrations_confirmed'"
        ).fetchall()
    assert rows == [("1 1 1 1 1 1 1 1 1 1",)]


def test_a_database_never_analyzed_is_left_without_statistics(tmp_path: Path) -> None:
    path = tmp_path / "plain.sqlite"
    open_database(str(path)).close()
    with sqlite3.connect(path) as conn:
        assert not conn.execute(
            "SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'"
        ).fetchall()
        (sql,) = conn.execute(
            "SELECT sql FROM sqlite_master WHERE name = 'ix_registrations_confirmed'"
        ).fetchone()
    # the WHERE the report's queries repeat (services/reports.confirmed)
    assert "WHERE deleted_at IS NULL AND status IN ('attended', 'no_show', 'registered')" in sql
    model = next(
        i
        for i in Base.metadata.tables["registrations"].indexes
        if i.name == "ix_registrations_confirmed"
    )
    assert [c.name for c in model.columns][:2] == ["event_id", "invited_by_id"]
