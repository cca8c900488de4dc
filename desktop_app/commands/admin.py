"""`paddock backup [list]`, `paddock restore FILE`, `paddock log`: keeping the data safe."""

from __future__ import annotations

import argparse
from collections import deque
from pathlib import Path
from typing import Any

from desktop_app.cli import Context, common_options
from desktop_app.domain.roles import Permission
from desktop_app.services import auth, backup


def register(sub: Any) -> None:
    p = sub.add_parser(
        "backup",
        parents=[common_options()],
        help="copy the SQLite database now (or: paddock backup list)",
        description="Copy the live SQLite database with the online backup API (safe while "
        "desks work). Without --out the copy goes to the backup folder, where the newest "
        "14 are kept.",
    )
    p.add_argument("--out", type=Path, help="write the copy to this file instead")
    p.set_defaults(handler=_backup)
    verbs = p.add_subparsers(dest="backup_verb", metavar="ACTION")
    lp = verbs.add_parser("list", parents=[common_options()], help="list the backups, newest first")
    lp.set_defaults(handler=_list)

    p = sub.add_parser(
        "restore",
        parents=[common_options()],
        help="replace the database by a backup (verified first; the current one is kept)",
        description="Verify FILE (SQLite, integrity check, a Paddock schema this version "
        "knows), keep the current database as a 'pre-restore' backup, then swap FILE in. "
        "Refused while another program or desk has the database open: close every Paddock "
        "window using it first. SQLite only (PostgreSQL: restore on the server).",
    )
    p.add_argument("file", type=Path, help="the backup file (.sqlite)")
    p.set_defaults(handler=_restore)

    p = sub.add_parser("log", parents=[common_options()], help="show where the log is, and its end")
    p.add_argument("--lines", type=int, default=20, help="how many of the last lines to show")
    p.set_defaults(handler=_log)


def _backup(args: argparse.Namespace, ctx: Context) -> int:
    auth.require(ctx.db, None, Permission.BACKUPS)
    info = backup.make_backup(ctx.db, reason="manual", out=args.out)
    ctx.emit(info.to_json(), f"backup written: {info.path} ({info.size // 1024} KB)")
    return 0


def _list(args: argparse.Namespace, ctx: Context) -> int:
    db = ctx.db
    if db.path is None:
        items: list[backup.BackupInfo] = []
    else:
        items = backup.list_backups(db.path)
    age = backup.last_backup_age(db)
    warn = backup.backup_warning_age(db)
    obj = {
        "items": [b.to_json() for b in items],
        "newest_age_hours": round(age.total_seconds() / 3600, 1) if age is not None else None,
        "old": warn is not None,
    }

    def human() -> str:
        if not items:
            return "no backups yet: run `paddock backup`"
        lines = [f"{b.created_at:%Y-%m-%d %H:%M} UTC  {b.reason:<18} {b.path}" for b in items]
        if warn is not None:
            lines.append(f"warning: the newest backup is {age.days if age else '?'} days old")
        return "\n".join(lines)

    ctx.emit(obj, human)
    return 0


def _restore(args: argparse.Namespace, ctx: Context) -> int:
    from desktop_app.store.db import current_revision, open_database

    auth.require_before_restore(args.db, args.signin_staff, args.signin_pin)
    result = backup.restore(args.db, args.file)
    # Open once so an older backup is upgraded now (after its own pre-migrate backup).
    db = open_database(args.db)
    try:
        schema = current_revision(db.engine) or result.schema
    finally:
        db.close()
    obj = {**result.to_json(), "schema": schema}
    kept = f"; the previous database is kept as {result.previous_kept_as}"
    ctx.emit(
        obj,
        f"restored {result.database} from {result.restored_from}"
        + (kept if result.previous_kept_as else ""),
    )
    return 0


def _log(args: argparse.Namespace, ctx: Context) -> int:
    from desktop_app.logging_setup import log_file

    path = log_file()
    tail: list[str] = []
    if path.exists():
        with path.open(encoding="utf-8", errors="replace") as fh:
            tail = [line.rstrip("\n") for line in deque(fh, maxlen=max(args.lines, 0))]
    ctx.emit({"path": str(path), "lines": tail}, lambda: "\n".join([f"log: {path}", *tail]))
    return 0
