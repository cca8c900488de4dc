"""Backups of the SQLite database: daily and before risky changes, listing, verified restore."""

from __future__ import annotations

import contextlib
import logging
import os
import re
import shutil
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from desktop_app import config
from desktop_app.domain.errors import DatabaseError
from desktop_app.store import db as store_db
from desktop_app.store.db import Database

log = logging.getLogger("paddock.backup")

DAILY = timedelta(hours=24)
OLD = timedelta(days=7)  # the UI warns when the newest backup is older than this
SQLITE_HEADER = b"SQLite format 3\x00"
_NAME = re.compile(r"^(?P<stem>.+)-(?P<stamp>\d{8}-\d{6})-(?P<reason>[A-Za-z0-9_.-]+)\.sqlite$")
# How long restore waits for other connections to let go before it says the DB is in use.
LOCK_WAIT_S = 1.0


@dataclass(frozen=True, slots=True)
class BackupInfo:
    path: Path
    created_at: datetime
    reason: str
    size: int

    def to_json(self) -> dict[str, Any]:
        return {
            "path": str(self.path),
            "created_at": self.created_at.isoformat(),
            "reason": self.reason,
            "size": self.size,
        }


@dataclass(frozen=True, slots=True)
class RestoreResult:
    restored_from: Path
    database: Path
    previous_kept_as: Path | None
    schema: str
    erasures_reapplied: int = 0  # people erased after the backup was made, erased again

    def to_json(self) -> dict[str, Any]:
        return {
            "restored_from": str(self.restored_from),
            "database": str(self.database),
            "previous_kept_as": str(self.previous_kept_as) if self.previous_kept_as else None,
            "schema": self.schema,
            "erasures_reapplied": self.erasures_reapplied,
        }


def _sqlite_path(db: Database) -> Path:
    if db.path is None:
        raise DatabaseError(code="backup_server_db")
    return db.path


def _info(path: Path) -> BackupInfo | None:
    m = _NAME.match(path.name)
    if not m:
        return None
    created = datetime.strptime(m["stamp"], "%Y%m%d-%H%M%S").replace(tzinfo=UTC)
    try:
        size = path.stat().st_size
    except OSError:
        return None
    return BackupInfo(path, created, m["reason"], size)


def list_backups(db_path: Path, folder: Path | None = None) -> list[BackupInfo]:
    """Backups of the database file `db_path`, newest first."""
    folder = folder or config.backup_dir()
    found = []
    for p in folder.glob(f"{db_path.stem}-*.sqlite"):
        info = _info(p)
        if info is not None and _NAME.match(p.name)["stem"] == db_path.stem:  # type: ignore[index]
            found.append(info)
    return sorted(found, key=lambda b: (b.created_at, b.path.name), reverse=True)


def make_backup(db: Database, reason: str = "manual", out: Path | None = None) -> BackupInfo:
    """Copy the live database with SQLite's online backup API (safe while desks work).

    Without `out` the copy goes to the backup folder and old ones rotate away.
    """
    _sqlite_path(db)
    if out is not None:
        out = out.expanduser().resolve()
        if out.is_dir():
            raise DatabaseError(
                f"{out} is a folder; give a file name such as paddock-backup.sqlite"
            )
        if not out.parent.exists():
            raise DatabaseError(f"folder does not exist: {out.parent}")
    try:
        target = store_db.backup_sqlite(db, reason=reason, target=out)
    except (sqlite3.Error, OSError) as exc:
        from desktop_app.faults import explain

        # backup_sqlite writes NAME.part and renames it: never leave the half copy behind.
        pattern = f"{out.name}.part" if out else f"{db.path.stem}-*-{reason}.sqlite.part"  # type: ignore[union-attr]
        for part in (out.parent if out else config.backup_dir()).glob(pattern):
            part.unlink(missing_ok=True)
        where = out or config.backup_dir()
        raise explain(exc, where) or DatabaseError(f"backup failed: {exc}") from exc
    _self_contained(target)
    log.info("backup (%s) written to %s", reason, target)
    stat = target.stat()
    return BackupInfo(target, datetime.fromtimestamp(stat.st_mtime, UTC), reason, stat.st_size)


def _self_contained(path: Path) -> None:
    """Switch a copy to the rollback journal: one file, no -wal/-shm beside it once copied."""
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA journal_mode=DELETE")
    finally:
        conn.close()


def _readonly_uri(path: Path) -> str:
    """Open without touching the folder; `immutable` unless a -wal holds pages to read."""
    wal = Path(f"{path}-wal")
    has_wal = wal.exists() and wal.stat().st_size > 0
    return f"file:{path}?mode=ro" + ("" if has_wal else "&immutable=1")


def last_backup_age(db: Database, now: datetime | None = None) -> timedelta | None:
    """How old the newest backup of this SQLite database is; None if there is none (or PG)."""
    if db.path is None:
        return None
    backups = list_backups(db.path)
    if not backups:
        return None
    return (now or datetime.now(UTC)) - backups[0].created_at


def backup_warning_age(db: Database, now: datetime | None = None) -> timedelta | None:
    """The age to warn about when the newest backup is older than 7 days (or missing).

    Returns None when all is well (or for PostgreSQL, backed up on the server); a missing
    backup is reported as timedelta.max so the UI can say "never".
    """
    if db.path is None:
        return None
    age = last_backup_age(db, now)
    if age is None:
        return timedelta.max
    return age if age > OLD else None


def backup_if_due(db: Database, now: datetime | None = None) -> BackupInfo | None:
    """The daily backup: made on open when the newest backup is older than 24 hours.
    An encrypted pack is never copied out in plain (the dealership holds the original)."""
    if db.path is None or not db.path.exists() or db.encrypted:
        return None
    age = last_backup_age(db, now)
    if age is not None and age < DAILY:
        return None
    return make_backup(db, reason="daily")


def backup_before(db: Database, action: str) -> BackupInfo | None:
    """Call before a risky change (merge, bulk import, restore): a SQLite copy to roll back to.

    Returns None on PostgreSQL (the server's own backups cover it).
    """
    if db.path is None or db.encrypted:
        return None
    reason = re.sub(r"[^A-Za-z0-9_-]+", "-", f"pre-{action}").strip("-") or "pre-change"
    return make_backup(db, reason=reason)


# --- restore -------------------------------------------------------------------------


def verify_backup(path: Path) -> str:
    """Check `path` is a sound Paddock database this app can open; return its schema revision.

    Refuses (DatabaseError): missing file, not SQLite, failed integrity check, not a Paddock
    database, written by a newer Paddock.
    """
    if not path.is_file():
        raise DatabaseError(code="file_missing", path=str(path))
    with path.open("rb") as fh:
        if fh.read(16) != SQLITE_HEADER:
            raise DatabaseError(code="backup_not_sqlite", path=str(path))
    try:
        conn = sqlite3.connect(_readonly_uri(path), uri=True)
    except sqlite3.Error as exc:
        raise DatabaseError(code="backup_corrupt", path=str(path), detail=str(exc)) from exc
    try:
        try:
            rows = [r[0] for r in conn.execute("PRAGMA integrity_check").fetchall()]
        except sqlite3.DatabaseError as exc:
            raise DatabaseError(code="backup_corrupt", path=str(path), detail=str(exc)) from exc
        if rows != ["ok"]:
            raise DatabaseError(code="backup_corrupt", path=str(path), detail="; ".join(rows[:3]))
        try:
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        except sqlite3.DatabaseError:
            row = None
    finally:
        conn.close()
    if not row:
        raise DatabaseError(code="backup_not_paddock", path=str(path))
    rev = str(row[0])
    if rev not in store_db.known_revisions():
        raise DatabaseError(code="backup_newer", path=str(path), rev=rev)
    return rev


@contextlib.contextmanager
def _sole_user(path: Path) -> Iterator[sqlite3.Connection | None]:
    """Hold the database exclusively, or refuse because another program uses it.

    In WAL mode readers never block a lock, so the test is switching the journal back to
    DELETE: SQLite allows that only when no other connection is open. We then hold an
    EXCLUSIVE lock until the file is replaced, so a desk that opens it meanwhile waits.
    """
    if not path.exists():
        yield None
        return
    conn = sqlite3.connect(path, timeout=LOCK_WAIT_S, isolation_level=None)
    try:
        try:
            mode = conn.execute("PRAGMA journal_mode=DELETE").fetchone()
            if not mode or str(mode[0]).lower() != "delete":
                raise DatabaseError(code="restore_in_use", path=str(path))
            conn.execute("BEGIN EXCLUSIVE")
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                raise DatabaseError(code="restore_in_use", path=str(path)) from exc
            raise DatabaseError(f"cannot lock {path}: {exc}") from exc
        yield conn
    finally:
        if conn.in_transaction:
            with contextlib.suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
        conn.close()


def _online_copy(src: Path, dst: Path) -> None:
    source = sqlite3.connect(_readonly_uri(src), uri=True)
    try:
        target = sqlite3.connect(dst)
        try:
            source.backup(target)
            target.execute("PRAGMA journal_mode=DELETE")  # a single self-contained file
        finally:
            target.close()
    finally:
        source.close()


def _swap_in(staged: Path, target: Path) -> None:
    os.replace(staged, target)
    for suffix in ("-wal", "-shm", "-journal"):  # none after journal_mode=DELETE; be sure
        Path(f"{target}{suffix}").unlink(missing_ok=True)


def restore(db_arg: str | None, backup_file: Path) -> RestoreResult:
    """Replace the SQLite database (`--db`/PADDOCK_DB/default) by a verified backup.

    Order: verify the file, copy it next to the database under a temp name, take the
    database exclusively (refused while another program or desk has it open), keep the
    current file as a `pre-restore` backup, swap in the copy with os.replace.
    """
    from sqlalchemy.engine import make_url

    url = make_url(config.database_url(db_arg))
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        raise DatabaseError(code="backup_server_db")
    target = Path(url.database)
    source = backup_file.expanduser().resolve()
    rev = verify_backup(source)
    if not target.parent.exists():
        raise DatabaseError(f"folder does not exist: {target.parent}")
    staged = target.with_name(f".{target.name}.restore.part")
    kept: Path | None = None
    tombstones = _erasures_in(target)  # erasures made since: applied again after the swap
    try:
        _online_copy(source, staged)
        with _sole_user(target) as lock:
            if lock is not None:
                stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
                kept = config.backup_dir() / f"{target.stem}-{stamp}-pre-restore.sqlite"
                kept_part = kept.with_name(kept.name + ".part")
                # We hold the only (exclusive) lock and the journal is merged into the
                # main file, so a byte copy is a consistent snapshot.
                shutil.copyfile(target, kept_part)
                kept_part.replace(kept)
            if os.name != "nt":  # POSIX: swap while still holding the lock (no window)
                _swap_in(staged, target)
        if os.name == "nt":  # Windows cannot replace a file that is open: swap right after
            try:
                _swap_in(staged, target)
            except PermissionError as exc:  # a desk opened it in between
                raise DatabaseError(code="restore_in_use", path=str(target)) from exc
    except (OSError, sqlite3.Error) as exc:
        from desktop_app.faults import explain

        raise explain(exc, target) or DatabaseError(f"restore failed: {exc}") from exc
    finally:
        staged.unlink(missing_ok=True)
    log.info("restored %s from %s (previous kept as %s)", target, source, kept)
    again = _reapply_erasures(target, tombstones) if tombstones else 0
    return RestoreResult(source, target, kept, rev, again)


def _erasures_in(path: Path) -> list[tuple[str, str, str]]:
    """(person_id, kind, reason) of every erasure recorded in the database being replaced."""
    if not path.exists():
        return []
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            return [
                (str(pid), str(kind), str(reason or ""))
                for pid, kind, reason in con.execute("SELECT person_id, kind, reason FROM erasures")
            ]
        finally:
            con.close()
    except sqlite3.Error:  # no erasures table (an older schema) or not readable
        return []


def _reapply_erasures(target: Path, tombstones: list[tuple[str, str, str]]) -> int:
    """A backup older than an erasure must not bring the person back (PIPL Art. 47)."""
    import uuid

    from desktop_app.services import erasure

    db = store_db.open_database(str(target), backup=False)
    try:
        return erasure.reapply(
            db, [(uuid.UUID(pid), kind, reason) for pid, kind, reason in tombstones]
        )
    finally:
        db.close()


def daily_backup_quietly(db: Database) -> BackupInfo | None:
    """backup_if_due for callers that must not fail because of it (CLI and GUI start-up)."""
    try:
        return backup_if_due(db)
    except (DatabaseError, OSError, sqlite3.Error) as exc:
        log.warning("daily backup skipped: %s", exc)
        return None
