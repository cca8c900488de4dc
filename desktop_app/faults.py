"""Turning low-level failures (locked, read-only, disk full, server gone) into errors a person can act on."""

from __future__ import annotations

import errno
import os
import sqlite3
from pathlib import Path

from sqlalchemy import exc as sa_exc

from desktop_app.domain.errors import DatabaseError, PaddockError, first_line

_LOCKED = ("database is locked", "database table is locked", "database is busy")
_READONLY = ("readonly database", "read-only file system", "read-only database")
_FULL = ("database or disk is full", "no space left on device")
_UNREACHABLE = (
    "connection refused",
    "server closed the connection",
    "could not connect",
    "connection timeout",
    "terminating connection",
    "connection is closed",
    "the connection is lost",
    "consuming input failed",
)


def _writable(path: Path) -> bool:
    """access(2) honours read-only mounts even for root (EROFS), unlike the mode bits."""
    target = path if path.exists() else path.parent
    return os.access(target, os.W_OK) and os.access(path.parent, os.W_OK)


def explain(exc: BaseException, path: Path | str | None = None) -> PaddockError | None:
    """A PaddockError describing `exc`, or None when it is not a known storage fault.

    `path` is the database file (or the file being written) shown in the message.
    """
    if isinstance(exc, PaddockError):
        return exc
    where = str(path) if path else "?"
    if isinstance(exc, OSError) and not isinstance(exc, sa_exc.SQLAlchemyError):
        where = str(exc.filename or where)
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            return DatabaseError(code="disk_full", path=where)
        if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            return DatabaseError(code="db_readonly", path=where)
        return None
    if not isinstance(exc, sa_exc.DBAPIError | sa_exc.OperationalError | sqlite3.Error):
        return None
    detail = first_line(exc)
    low = detail.lower()
    if any(s in low for s in _LOCKED):
        return DatabaseError(code="db_locked", path=where)
    if any(s in low for s in _READONLY):
        return DatabaseError(code="db_readonly", path=where)
    if any(s in low for s in _FULL):
        return DatabaseError(code="disk_full", path=where)
    if "unable to open database file" in low:
        if path and not _writable(Path(path)):
            return DatabaseError(code="db_readonly", path=where)
        return DatabaseError(code="db_io_error", detail=detail)
    if "disk i/o error" in low:
        if path and not _writable(Path(path)):
            return DatabaseError(code="db_readonly", path=where)
        return DatabaseError(code="db_io_error", detail=detail)
    if any(s in low for s in _UNREACHABLE) or getattr(exc, "connection_invalidated", False):
        return DatabaseError(code="db_unreachable", detail=detail)
    return None


def location(db_arg: str | None) -> str:
    """The SQLite file, or host/name of the server database, that `--db` resolves to."""
    from sqlalchemy.engine import make_url

    from desktop_app import config

    try:
        url = make_url(config.database_url(db_arg))
    except (sa_exc.ArgumentError, ValueError, OSError):
        return str(db_arg or "?")
    if url.get_backend_name() == "sqlite":
        return str(url.database or ":memory:")
    return f"{url.host or 'localhost'}/{url.database or ''}"
