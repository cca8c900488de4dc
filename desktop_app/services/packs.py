"""Event packs: one event's slice as a Paddock SQLite database for an offline laptop, and
the merge of what the laptop did (scans, walk-ins, check-outs) back into the main database.

See docs/event-pack.md. The pack IS a Paddock database (same schema and revision), so the
laptop runs the normal desk on it (`paddock --db drive.pack`). Import verifies the file
first (SQLite header, size against the header's page count, PRAGMA integrity_check, the
"pack" setting, dealer code, HMAC, schema revision, event), then merges in ONE
transaction: scans by nonce, people by UUID or E.164 phone, registrations by UUID or
(event, person), the check-in cache replayed from the union of both scan logs (earliest
check-in kept, the other reported as a double entry), rows changed on both sides decided
by updated_at (newest wins) and listed as conflicts.
"""

from __future__ import annotations

import hmac
import json
import os
import shutil
import sqlite3
import tempfile
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Table, bindparam, func, insert, or_, select, update
from sqlalchemy.orm import Session

from desktop_app import __version__
from desktop_app.domain.enums import ScanAction, ScanResult
from desktop_app.domain.errors import (
    FileUnreadable,
    NotFound,
    PaddockError,
    RuleViolation,
)
from desktop_app.domain.roles import Permission
from desktop_app.domain.timeutil import now_utc
from desktop_app.services import fees_pack
from desktop_app.services.auth import require
from desktop_app.services.common import audit, parse_id
from desktop_app.services.import_report import CORE, REJECTED, Counted, RowCounts
from desktop_app.services.points import TIER_BASIS, thresholds_in
from desktop_app.services.row_problems import RowProblem, problem
from desktop_app.store import cipher
from desktop_app.store.db import Database, head_revision, known_revisions, open_database
from desktop_app.store.models import (
    Answer,
    ClassSession,
    Club,
    ClubMembership,
    DealerProfile,
    Event,
    EventClub,
    Feedback,
    Gift,
    GiftHandout,
    OnlineAttendance,
    Person,
    PersonTag,
    PointsEntry,
    Question,
    Registration,
    ScanLog,
    Setting,
    Staff,
    SyncOperation,
    Ticket,
    Vehicle,
)

PACK_SETTING = "pack"
PACK_FORMAT = 1
EXPORT_KIND = "pack_export"
IMPORT_KIND = "pack_import"
SQLITE_HEADER = b"SQLite format 3\x00"
# Settings that stay at the dealership: HQ's key for hashed exports is not needed offline.
_SETTINGS_KEPT_HOME = frozenset({"hq_hash_key", PACK_SETTING, fees_pack.RECEIPT_SERIES})
# Columns that are not data: who/when stamps (kept from the row's origin) and derived
# caches recomputed after the merge.
_STAMPS = ("id", "created_at", "updated_at", "origin_dealer", "origin_device")
_DERIVED: dict[str, frozenset[str]] = {
    "people": frozenset({"tier", "tier_changed_at"}),  # from the points ledger
    "registrations": frozenset({"checked_in_at", "checked_in_desk", "checked_out_at"}),
    "gifts": frozenset({"handed"}),  # issue 14: recounted from the hand-outs after a merge
}
_IN_ACTIONS = (ScanAction.CHECK_IN.value, ScanAction.MANUAL_CHECK_IN.value)
_POINTS_KINDS = ("checkin", "undo")


# --------------------------------------------------------------------------- results


@dataclass(frozen=True, slots=True)
class PackInfo:
    """The pack's `pack` setting: where it came from and for which event."""

    source_dealer: str
    source_device: str
    pack_device: str
    event_id: uuid.UUID
    event_title: str
    exported_at: datetime
    app_version: str
    schema: str
    counts: dict[str, int]
    checksum: str

    def to_json(self) -> dict[str, Any]:
        return {
            "format": PACK_FORMAT,
            "source_dealer": self.source_dealer,
            "source_device": self.source_device,
            "pack_device": self.pack_device,
            "event_id": str(self.event_id),
            "event_title": self.event_title,
            "exported_at": self.exported_at.isoformat(),
            "app_version": self.app_version,
            "schema": self.schema,
            "counts": dict(self.counts),
            "checksum": self.checksum,
        }

    @staticmethod
    def of(value: dict[str, Any]) -> PackInfo:
        return PackInfo(
            source_dealer=str(value["source_dealer"]),
            source_device=str(value["source_device"]),
            pack_device=str(value["pack_device"]),
            event_id=uuid.UUID(str(value["event_id"])),
            event_title=str(value.get("event_title") or ""),
            exported_at=datetime.fromisoformat(str(value["exported_at"])),
            app_version=str(value.get("app_version") or ""),
            schema=str(value.get("schema") or ""),
            counts={str(k): int(v) for k, v in dict(value.get("counts") or {}).items()},
            checksum=str(value.get("checksum") or ""),
        )


@dataclass(frozen=True, slots=True)
class PackExport:
    path: Path
    info: PackInfo
    size_bytes: int
    encrypted: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "file": str(self.path),
            "size_bytes": self.size_bytes,
            "encrypted": self.encrypted,
            **self.info.to_json(),
        }


@dataclass(frozen=True, slots=True)
class PackImportReport(Counted):
    """DESIGN.md's import shape (services/import_report: `rows` are the pack's database
    rows, each created, updated, unchanged, a duplicate of a row here — same phone, VIN,
    registration — or rejected, with table and id) plus what the desk needs to know about
    the laptop's day."""

    file: str
    event_id: uuid.UUID
    event_title: str
    pack_device: str
    dry_run: bool
    counts: RowCounts = field(default_factory=lambda: RowCounts(0, dict.fromkeys(_BUCKETS, 0)))
    scans_added: int = 0
    checkins_added: int = 0
    walk_ins_added: int = 0
    double_entries: tuple[dict[str, Any], ...] = ()
    conflicts: tuple[dict[str, Any], ...] = ()
    matched: tuple[dict[str, Any], ...] = ()  # pack rows mapped onto existing rows
    # issue 14: a gift handed to the same person in both places (one kept), and items
    # handed beyond their stock in total (both places handed the last ones offline)
    gift_doubles: tuple[dict[str, Any], ...] = ()
    gifts_over_stock: tuple[dict[str, Any], ...] = ()
    # issue 15: payments taken on the laptop, and receipt numbers that had to change
    payments_added: int = 0
    receipts_renumbered: tuple[dict[str, Any], ...] = ()

    @property
    def changed_anything(self) -> bool:
        return bool(self.created or self.updated or self.scans_added)

    def to_json(self) -> dict[str, Any]:
        return {
            **self.counts.to_json(),
            "scans_added": self.scans_added,
            "checkins_added": self.checkins_added,
            "walk_ins_added": self.walk_ins_added,
            "double_entries": list(self.double_entries),
            "conflicts": list(self.conflicts),
            "matched": list(self.matched),
            "gift_doubles": list(self.gift_doubles),
            "gifts_over_stock": list(self.gifts_over_stock),
            "payments_added": self.payments_added,
            "receipts_renumbered": list(self.receipts_renumbered),
            "file": self.file,
            "event_id": str(self.event_id),
            "event_title": self.event_title,
            "pack_device": self.pack_device,
            "dry_run": self.dry_run,
        }


def _checksum(key: str, info: dict[str, Any]) -> str:
    """HMAC of the pack's identity under the dealer's ticket key: a pack edited by hand, or
    minted by another database that claims this dealer's code, does not verify."""
    body = {k: v for k, v in info.items() if k != "checksum"}
    msg = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hmac.new(
        bytes.fromhex(key) if _is_hex(key) else key.encode(), msg.encode(), "sha256"
    ).hexdigest()


def _is_hex(value: str) -> bool:
    try:
        bytes.fromhex(value)
    except ValueError:
        return False
    return True


# --------------------------------------------------------------------------- export


def _tbl(model: Any) -> Table:
    return model.__table__  # type: ignore[no-any-return]


def _rows(s: Session, stmt: Any) -> list[dict[str, Any]]:
    return [dict(r) for r in s.execute(stmt).mappings()]


def _in_chunks(ids: Iterable[Any], size: int = 500) -> Iterable[list[Any]]:
    items = list(ids)
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _rows_in(s: Session, table: Table, column: str, ids: Iterable[Any]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for chunk in _in_chunks(ids):
        out.extend(_rows(s, select(table).where(table.c[column].in_(chunk))))
    return out


def _slice(s: Session, eid: uuid.UUID) -> dict[str, list[dict[str, Any]]]:
    """Every row the desk needs for one event, in foreign-key order."""
    regs = _rows(s, select(_tbl(Registration)).where(Registration.event_id == eid))
    feedback = _rows(s, select(_tbl(Feedback)).where(Feedback.event_id == eid))
    online = _rows(s, select(_tbl(OnlineAttendance)).where(OnlineAttendance.event_id == eid))
    person_ids: set[uuid.UUID] = {r["person_id"] for r in regs}
    person_ids |= {r["referred_by_id"] for r in regs if r["referred_by_id"]}
    person_ids |= {r["person_id"] for r in feedback + online if r["person_id"]}
    reg_vehicle_ids = {r["vehicle_id"] for r in regs if r["vehicle_id"]}
    for v in _rows_in(s, _tbl(Vehicle), "id", reg_vehicle_ids):
        person_ids.add(v["person_id"])
    # referrers and merge targets must be present too (foreign keys hold in the pack)
    people: dict[uuid.UUID, dict[str, Any]] = {}
    todo = set(person_ids)
    while todo:
        found = _rows_in(s, _tbl(Person), "id", todo)
        todo = set()
        for p in found:
            people[p["id"]] = p
            for ref in (p["referred_by_id"], p["merged_into_id"]):
                if ref and ref not in people:
                    todo.add(ref)
    pids = list(people)
    memberships = _rows_in(s, _tbl(ClubMembership), "person_id", pids)
    event_clubs = _rows(s, select(_tbl(EventClub)).where(EventClub.event_id == eid))
    club_ids = {m["club_id"] for m in memberships} | {c["club_id"] for c in event_clubs}
    reg_ids = {r["id"] for r in regs}
    ledger = _rows_in(s, _tbl(PointsEntry), "person_id", pids)
    for row in ledger:
        # other events' rows keep the balance right; their registrations are not here
        if row["registration_id"] not in reg_ids:
            row["registration_id"] = None
    scans = _rows(
        s,
        select(_tbl(ScanLog)).where(
            or_(ScanLog.event_id == eid, ScanLog.registration_id.in_(reg_ids or [eid]))
        ),
    )
    for row in scans:
        if row["registration_id"] not in reg_ids:
            row["registration_id"] = None
        if row["event_id"] != eid:
            row["event_id"] = None
    return {
        "staff": _rows(s, select(_tbl(Staff))),
        "events": _rows(s, select(_tbl(Event)).where(Event.id == eid)),
        "class_sessions": _rows(s, select(_tbl(ClassSession)).where(ClassSession.event_id == eid)),
        "clubs": _rows_in(s, _tbl(Club), "id", club_ids),
        "event_clubs": event_clubs,
        "people": _people_in_fk_order(list(people.values())),
        "person_tags": _rows_in(s, _tbl(PersonTag), "person_id", pids),
        "vehicles": _rows_in(s, _tbl(Vehicle), "person_id", pids),
        "club_memberships": memberships,
        "registrations": regs,
        "tickets": _rows(s, select(_tbl(Ticket)).where(Ticket.event_id == eid)),
        "scan_log": scans,
        "points_ledger": ledger,
        "feedback": feedback,
        "online_attendance": online,
        **_slice_questions_gifts(s, eid),
        **fees_pack.slice_rows(s, eid),  # issue 15: cost items and payments
    }


def _people_in_fk_order(people: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Referrers before the people they referred (so each insert's foreign keys hold)."""
    by_id = {p["id"]: p for p in people}
    done: set[uuid.UUID] = set()
    out: list[dict[str, Any]] = []

    def visit(p: dict[str, Any], depth: int = 0) -> None:
        if p["id"] in done or depth > 100:
            return
        done.add(p["id"])
        for ref in (p["referred_by_id"], p["merged_into_id"]):
            if ref in by_id and ref != p["id"]:
                visit(by_id[ref], depth + 1)
        out.append(p)

    for p in people:
        visit(p)
    return out


def _sqlite_files(path: Path) -> list[Path]:
    return [path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")]


def export_pack(
    db: Database,
    event_id: uuid.UUID | str,
    out: str | Path,
    *,
    passphrase: str | None = None,
    actor: object = None,
    progress: Callable[[int, int], None] | None = None,
) -> PackExport:
    """Write the event's pack to `out` (temp file, then rename: never a half pack).

    With `passphrase` the pack is encrypted from its first byte (SQLCipher, store/cipher.py):
    no plain copy is ever written. The CLI and the app always give one; None (a plain
    pack) is for tests and tools.
    """
    require(db, actor, Permission.EXPORT_PII)
    if passphrase is not None:
        cipher.check_passphrase(passphrase)
    eid = parse_id(event_id, "event")
    out = Path(out).expanduser().resolve()
    if not out.parent.is_dir():
        raise PaddockError(code="folder_missing", folder=str(out.parent))
    if db.path is not None and out == db.path.resolve():
        raise RuleViolation(code="pack_same_db")
    with db.read() as s:
        profile = s.get(DealerProfile, 1)
        if profile is None:
            raise PaddockError(code="not_initialised")
        event = s.get(Event, eid)
        if event is None or event.deleted_at is not None:
            raise NotFound("event", event_id)
        data = _slice(s, eid)
        dealer = _rows(s, select(_tbl(DealerProfile)).where(DealerProfile.id == 1))[0]
        settings = [
            r for r in _rows(s, select(_tbl(Setting))) if r["key"] not in _SETTINGS_KEPT_HOME
        ]
        title = event.title
    with db.write() as s:  # issue 15: the pack's own block of receipt numbers
        settings.append(fees_pack.reserve_block(s) | {"updated_at": now_utc()})
    exported_at = now_utc()
    pack_device = f"pack-{uuid.uuid4().hex[:12]}"
    info = {
        "format": PACK_FORMAT,
        "source_dealer": dealer["code"],
        "source_device": dealer["device_id"],
        "pack_device": pack_device,
        "event_id": str(eid),
        "event_title": title,
        "exported_at": exported_at.isoformat(),
        "app_version": __version__,
        "schema": head_revision(),
        "counts": {name: len(rows) for name, rows in data.items()},
    }
    info["checksum"] = _checksum(dealer["ticket_key"], info)
    tmp = out.with_name(f".{out.name}.{uuid.uuid4().hex[:8]}.part")
    pack: Database | None = None
    try:
        pack = open_database(
            f"sqlite:///{tmp}", backup=False, passphrase=passphrase, encrypt=passphrase is not None
        )
        total = len(data) + 2
        with pack.write() as ps:
            conn = ps.connection()
            conn.execute(insert(_tbl(DealerProfile)), [{**dealer, "device_id": pack_device}])
            if settings:
                conn.execute(insert(_tbl(Setting)), settings)
            conn.execute(
                insert(_tbl(Setting)),
                [{"key": PACK_SETTING, "value": info, "updated_at": exported_at}],
            )
            for i, (name, rows) in enumerate(data.items(), start=1):
                if rows:
                    conn.execute(insert(_tbl_by_name(name)), rows)
                if progress:
                    progress(i, total)
        pack.close()
        pack = None
        _make_single_file(tmp, passphrase)
        size = tmp.stat().st_size
        os.replace(tmp, out)
    except BaseException:
        if pack is not None:
            pack.close()
        for f in _sqlite_files(tmp):
            f.unlink(missing_ok=True)
        raise
    result = PackExport(out, PackInfo.of(info), size, encrypted=passphrase is not None)
    with db.write() as s:
        report = {k: v for k, v in result.to_json().items() if k != "checksum"}
        s.add(SyncOperation(kind=EXPORT_KIND, file=str(out), watermark=exported_at, report=report))
        audit(s, "pack.export", "event", eid, {"file": str(out), "pack_device": pack_device}, actor)
    if progress:
        progress(len(data) + 2, len(data) + 2)
    return result


def _tbl_by_name(name: str) -> Table:
    return Person.metadata.tables[name]


def _make_single_file(path: Path, passphrase: str | None = None) -> None:
    """Fold the WAL back and leave a rollback-journal file: one file to carry."""
    con = cipher.connect(path, passphrase) if passphrase else sqlite3.connect(path)
    try:
        con.execute("PRAGMA journal_mode=DELETE")
        ok = con.execute("PRAGMA integrity_check").fetchone()
        if not ok or ok[0] != "ok":
            raise PaddockError(f"the pack written to {path} failed its integrity check")
    finally:
        con.close()


# --------------------------------------------------------------------------- verify


def _refuse(code: str, file: Path, **params: object) -> FileUnreadable:
    return FileUnreadable(code=code, file=file.name, **params)


def _check_file(copy: Path, shown: Path) -> str:
    """Header, size, integrity and schema of the copied pack; returns its revision."""
    size = copy.stat().st_size
    with copy.open("rb") as fh:
        header = fh.read(100)
    if header[:16] != SQLITE_HEADER:
        if size == 0 or len(header) < 16:
            raise _refuse("pack_truncated", shown, reason="empty file")
        raise _refuse("pack_not_sqlite", shown)
    if len(header) < 100:
        raise _refuse("pack_truncated", shown, reason=f"only {size} bytes")
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    header_valid = header[24:28] == header[92:96]
    if size % page_size or (header_valid and size < pages * page_size):
        raise _refuse(
            "pack_truncated",
            shown,
            reason=f"{size} of {pages * page_size} bytes" if header_valid else f"{size} bytes",
        )
    try:
        con = sqlite3.connect(copy)
        try:
            problems = [r[0] for r in con.execute("PRAGMA integrity_check(5)").fetchall()]
            if problems != ["ok"]:
                raise _refuse("pack_truncated", shown, reason="; ".join(problems)[:200])
            tables = {
                r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
            if "alembic_version" not in tables or "settings" not in tables:
                raise _refuse("pack_not_a_pack", shown)
            rev_row = con.execute("SELECT version_num FROM alembic_version").fetchone()
            has_pack = con.execute(
                "SELECT count(*) FROM settings WHERE key = ?", (PACK_SETTING,)
            ).fetchone()[0]
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        raise _refuse("pack_truncated", shown, reason=str(exc)) from None
    rev = str(rev_row[0]) if rev_row else ""
    if rev not in known_revisions():
        raise _refuse("pack_newer_schema", shown, rev=rev or "?")
    if not has_pack:
        raise _refuse("pack_not_a_pack", shown)
    return rev


def _copy_pack(path: Path, folder: Path, passphrase: str | None = None) -> Path:
    """Work on a copy: the coordinator's file is never changed, and a pack still open in
    WAL mode on the laptop's drive comes with its -wal file. An encrypted pack is
    decrypted into a plain copy in the same private temp folder (or refused without its
    passphrase: "this pack is encrypted: give its passphrase")."""
    if not path.is_file():
        raise NotFound("file", str(path))
    copy = folder / "pack.sqlite"
    shutil.copyfile(path, copy)
    wal = path.with_name(path.name + "-wal")
    if wal.is_file():
        shutil.copyfile(wal, folder / "pack.sqlite-wal")
    if not cipher.random_head(copy):
        return copy
    if copy.stat().st_size % cipher.PAGE_SIZE:
        raise _refuse("pack_truncated", path, reason=f"{copy.stat().st_size} bytes")
    passphrase = passphrase or cipher.passphrase_from_env()
    if not passphrase:
        raise FileUnreadable(code="pack_encrypted")
    plain = folder / "pack-plain.sqlite"
    cipher.decrypt_to(copy, plain, passphrase, shown=path)
    return plain


def pack_is_encrypted(path: str | Path) -> bool:
    """Does opening or importing this pack need a passphrase? (the app asks first)"""
    return cipher.random_head(Path(path).expanduser())


def read_pack_info(path: str | Path, *, passphrase: str | None = None) -> PackInfo:
    """Verify a pack file and return its `pack` setting (nothing is imported)."""
    src = Path(path).expanduser()
    with tempfile.TemporaryDirectory(prefix="paddock-pack-") as td:
        copy = _copy_pack(src, Path(td), passphrase)
        _check_file(copy, src)
        return _load(copy, src)[0]


def _load(copy: Path, shown: Path) -> tuple[PackInfo, dict[str, list[dict[str, Any]]], str]:
    """Open the (verified) copy as a Paddock database — upgrading an older pack — and read
    its rows. Returns (info, rows by table, the pack's dealer ticket key)."""
    pack = open_database(f"sqlite:///{copy}", backup=False)
    try:
        with pack.read() as ps:
            setting = ps.get(Setting, PACK_SETTING)
            profile = ps.get(DealerProfile, 1)
            if setting is None or profile is None:
                raise _refuse("pack_not_a_pack", shown)
            try:
                info = PackInfo.of(dict(setting.value))
            except (KeyError, TypeError, ValueError):
                raise _refuse("pack_not_a_pack", shown) from None
            rows = {name: _rows(ps, select(_tbl_by_name(name))) for name in _MERGE_ORDER}
            raw_info = dict(setting.value)
    finally:
        pack.close()
    return info, rows, json.dumps(raw_info, sort_keys=True)


# --------------------------------------------------------------------------- import

_MERGE_ORDER = (
    "staff",
    "events",
    "class_sessions",
    "clubs",
    "event_clubs",
    "people",
    "person_tags",
    "vehicles",
    "club_memberships",
    "registrations",
    "tickets",
    "scan_log",
    "points_ledger",
    "feedback",
    "online_attendance",
    # issue 14
    "questions",
    "answers",
    "gifts",
    "gift_handouts",
    *fees_pack.TABLES,  # issue 15
)


_BUCKETS = (*CORE, REJECTED)


class _DryRun(Exception):
    def __init__(self, report: PackImportReport) -> None:
        super().__init__("dry run")
        self.report = report


@dataclass
class _Merge:
    """State of one merge inside the main database's transaction."""

    s: Session
    info: PackInfo
    seen_conflicts: set[tuple[str, str, str]]
    person_map: dict[uuid.UUID, uuid.UUID] = field(default_factory=dict)
    reg_map: dict[uuid.UUID, uuid.UUID] = field(default_factory=dict)
    vehicle_map: dict[uuid.UUID, uuid.UUID] = field(default_factory=dict)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    duplicates: int = 0
    rejected: list[RowProblem] = field(default_factory=list)
    scans_added: int = 0
    checkins_added: int = 0
    walk_ins_added: int = 0
    double_entries: list[dict[str, Any]] = field(default_factory=list)
    conflicts: list[dict[str, Any]] = field(default_factory=list)
    matched: list[dict[str, Any]] = field(default_factory=list)
    question_map: dict[uuid.UUID, uuid.UUID] = field(default_factory=dict)
    gift_doubles: list[dict[str, Any]] = field(default_factory=list)
    gifts_over_stock: list[dict[str, Any]] = field(default_factory=list)
    touched_regs: set[uuid.UUID] = field(default_factory=set)
    touched_people: set[uuid.UUID] = field(default_factory=set)
    added_nonces: set[str] = field(default_factory=set)
    payments_added: int = 0  # issue 15
    receipts_renumbered: list[dict[str, Any]] = field(default_factory=list)
    # this database's rows with the pack's ids, loaded per table in a few IN queries
    cache: dict[str, dict[Any, dict[str, Any]]] = field(default_factory=dict)

    def counts(self, rows: int) -> RowCounts:
        """The pack's `rows` database rows, each in one bucket."""
        sizes = (self.created, self.updated, self.unchanged, self.duplicates, len(self.rejected))
        return RowCounts(rows, dict(zip(_BUCKETS, sizes, strict=True)), tuple(self.rejected))

    def preload(self, table: Table, rows: list[dict[str, Any]]) -> None:
        found: dict[Any, dict[str, Any]] = {}
        for chunk in _in_chunks({r["id"] for r in rows}):
            for r in self.s.execute(select(table).where(table.c.id.in_(chunk))).mappings():
                found[r["id"]] = dict(r)
        self.cache[table.name] = found

    # ---- foreign keys of pack rows pointing at rows that were matched to other ids
    def remap(self, table: Table, row: dict[str, Any]) -> dict[str, Any]:
        out = dict(row)
        for col in table.columns:
            for fk in col.foreign_keys:
                target = fk.column.table.name
                mapping = {
                    "people": self.person_map,
                    "registrations": self.reg_map,
                    "vehicles": self.vehicle_map,
                    "questions": self.question_map,
                }.get(target)
                if mapping and out.get(col.name) in mapping:
                    out[col.name] = mapping[out[col.name]]
        return out

    def current(self, table: Table, row_id: Any) -> dict[str, Any] | None:
        cached = self.cache.get(table.name)
        if cached is not None:
            return cached.get(row_id)
        found = self.s.execute(select(table).where(table.c.id == row_id)).mappings().first()
        return dict(found) if found else None

    def insert(self, table: Table, row: dict[str, Any]) -> None:
        self.s.execute(insert(table), [row])
        self.created += 1
        cached = self.cache.get(table.name)
        if cached is not None and "id" in row:
            cached[row["id"]] = dict(row)

    def insert_many(self, table: Table, rows: list[dict[str, Any]]) -> None:
        """One executemany for rows nothing reads back before the next step."""
        if rows:
            self.s.execute(insert(table), rows)
            self.created += len(rows)

    def upsert(self, table: Table, prow: dict[str, Any]) -> str:
        """Insert a row new to us, or bring a changed row across (newest updated_at wins
        when both sides changed it since the export). Returns what happened."""
        mine = self.current(table, prow["id"])
        if mine is None:
            self.insert(table, prow)
            return "created"
        skip = set(_STAMPS) | _DERIVED.get(table.name, frozenset())
        diff = {
            c: prow[c] for c in prow if c not in skip and c in mine and not _same(prow[c], mine[c])
        }
        exported = self.info.exported_at
        pack_changed = _after(prow.get("updated_at"), exported)
        if not diff or not pack_changed:
            self.unchanged += 1
            return "unchanged"
        if _after(mine.get("updated_at"), exported):
            pack_wins = _after(prow.get("updated_at"), mine.get("updated_at"))
            key = (table.name, str(prow["id"]), _iso(prow.get("updated_at")))
            if not pack_wins and key in self.seen_conflicts:
                self.unchanged += 1  # reported by an earlier import of this same pack
                return "unchanged"
            self.conflicts.append(
                {
                    "table": table.name,
                    "id": str(prow["id"]),
                    "fields": sorted(diff),
                    "here": {k: _jsonable(mine[k]) for k in sorted(diff)},
                    "pack": {k: _jsonable(prow[k]) for k in sorted(diff)},
                    "here_updated_at": _iso(mine.get("updated_at")),
                    "pack_updated_at": _iso(prow.get("updated_at")),
                    "kept": "pack" if pack_wins else "here",
                }
            )
            if not pack_wins:
                self.unchanged += 1
                return "conflict"
        self.s.execute(
            update(table)
            .where(table.c.id == prow["id"])
            .values(**diff, updated_at=prow["updated_at"])
        )
        mine.update(diff, updated_at=prow["updated_at"])
        self.updated += 1
        return "updated"


def _same(a: Any, b: Any) -> bool:
    if a == b:
        return True
    try:  # Numeric from SQLite vs PostgreSQL (Decimal('12') vs Decimal('12.00'))
        return float(a) == float(b)
    except (TypeError, ValueError):
        return False


def _after(a: datetime | None, b: datetime | None) -> bool:
    return a is not None and (b is None or a > b)


def _iso(v: datetime | None) -> str | None:
    return v.isoformat() if v else None


def _jsonable(v: Any) -> Any:
    if isinstance(v, datetime):
        return v.isoformat()
    if isinstance(v, uuid.UUID):
        return str(v)
    if isinstance(v, str | int | float | bool | dict | list) or v is None:
        return v
    return str(v)


def import_pack(
    db: Database,
    path: str | Path,
    *,
    dry_run: bool = False,
    passphrase: str | None = None,
    actor: object = None,
) -> PackImportReport:
    """Verify the pack, then merge it in ONE transaction (nothing at all on any refusal).

    An encrypted pack needs its `passphrase` (else PADDOCK_PASSPHRASE).
    Importing the same pack again finds everything already there: all unchanged.
    """
    require(db, actor, Permission.MERGES)
    src = Path(path).expanduser().resolve()
    if db.path is not None and src == db.path.resolve():
        raise RuleViolation(code="pack_same_db")
    with tempfile.TemporaryDirectory(prefix="paddock-pack-") as td:
        copy = _copy_pack(src, Path(td), passphrase)
        _check_file(copy, src)
        info, rows, raw_info = _load(copy, src)
    with db.read() as s:
        profile = s.get(DealerProfile, 1)
        if profile is None:
            raise PaddockError(code="not_initialised")
        if info.source_dealer != profile.code:
            raise _refuse(
                "pack_other_dealer", src, pack_dealer=info.source_dealer, dealer=profile.code
            )
        if not hmac.compare_digest(
            _checksum(profile.ticket_key, json.loads(raw_info)), info.checksum
        ):
            raise _refuse("pack_bad_checksum", src)
        if s.get(Event, info.event_id) is None:
            raise _refuse("pack_event_missing", src, title=info.event_title)
        seen = _conflicts_reported_before(s, info.pack_device)
    try:
        with db.write() as s:
            m = _Merge(s, info, seen)
            _merge(m, rows)
            report = PackImportReport(
                file=str(src),
                event_id=info.event_id,
                event_title=info.event_title,
                pack_device=info.pack_device,
                dry_run=dry_run,
                counts=m.counts(sum(len(table_rows) for table_rows in rows.values())),
                scans_added=m.scans_added,
                checkins_added=m.checkins_added,
                walk_ins_added=m.walk_ins_added,
                double_entries=tuple(m.double_entries),
                conflicts=tuple(m.conflicts),
                matched=tuple(m.matched),
                gift_doubles=tuple(m.gift_doubles),
                gifts_over_stock=tuple(m.gifts_over_stock),
                payments_added=m.payments_added,
                receipts_renumbered=tuple(m.receipts_renumbered),
            )
            if dry_run:
                raise _DryRun(report)
            s.add(SyncOperation(kind=IMPORT_KIND, file=str(src), report=report.to_json()))
            audit(
                s,
                "pack.import",
                "event",
                info.event_id,
                {
                    "file": str(src),
                    "pack_device": info.pack_device,
                    "scans_added": m.scans_added,
                    "double_entries": len(m.double_entries),
                    "conflicts": len(m.conflicts),
                },
                actor,
            )
    except _DryRun as done:
        return done.report
    return report


def _conflicts_reported_before(s: Session, pack_device: str) -> set[tuple[str, str, str]]:
    seen: set[tuple[str, str, str]] = set()
    for rep in s.scalars(select(SyncOperation.report).where(SyncOperation.kind == IMPORT_KIND)):
        if not isinstance(rep, dict) or rep.get("pack_device") != pack_device:
            continue
        for c in rep.get("conflicts") or []:
            seen.add((str(c.get("table")), str(c.get("id")), str(c.get("pack_updated_at"))))
    return seen


# --------------------------------------------------------------------------- merge steps


def _forget_erased(m: _Merge, rows: dict[str, list[dict[str, Any]]]) -> None:
    """People erased here since the pack left (issue 18) stay erased: the pack's copies of
    their records and personal values are not brought back, whatever their time stamps."""
    ids = [r["id"] for r in rows["people"]]
    erased: set[Any] = set()
    for chunk in _in_chunks(ids):
        erased |= set(
            m.s.scalars(
                select(Person.id).where(Person.id.in_(chunk), Person.erased_at.is_not(None))
            )
        )
    if not erased:
        return
    for name in ("people", "person_tags", "vehicles"):
        key = "id" if name == "people" else "person_id"
        kept = [r for r in rows[name] if r[key] not in erased]
        m.unchanged += len(rows[name]) - len(kept)
        rows[name] = kept
    blank = {
        "registrations": {"plate": None, "answers": None, "cancel_reason": None},
        "feedback": {"comment": ""},
        "online_attendance": {"display_name": ""},
    }
    for name, values in blank.items():
        for r in rows[name]:
            if r.get("person_id") in erased:
                r.update(values)
                if name == "online_attendance":
                    r["identity_key"] = f"erased:{r['id']}"


def _merge(m: _Merge, rows: dict[str, list[dict[str, Any]]]) -> None:
    t = _tbl_by_name
    _forget_erased(m, rows)
    for name, table_rows in rows.items():
        if "id" in t(name).c:
            m.preload(t(name), table_rows)
    for name in ("staff", "events", "class_sessions", "clubs"):
        for row in rows[name]:
            m.upsert(t(name), m.remap(t(name), row))
    _insert_pairs(m, t("event_clubs"), rows["event_clubs"], ("event_id", "club_id"))
    _merge_people(m, rows["people"])
    tags = [m.remap(t("person_tags"), row) for row in rows["person_tags"]]
    _insert_pairs(m, t("person_tags"), tags, ("person_id", "tag"))
    _merge_vehicles(m, rows["vehicles"])
    _merge_memberships(m, rows["club_memberships"])
    _merge_registrations(m, rows["registrations"])
    for row in rows["tickets"]:
        _merge_ticket(m, m.remap(t("tickets"), row))
    _merge_scans(m, rows["scan_log"])
    _replay_checkins(m)
    _merge_ledger(m, rows["points_ledger"])
    for name in ("feedback", "online_attendance"):
        for row in rows[name]:
            m.upsert(t(name), m.remap(t(name), row))
    _merge_questions_gifts(m, rows)
    fees_pack.merge_rows(m, rows, t)  # issue 15: payments by nonce, cost items
    _recompute_tiers(m)


def _insert_pairs(
    m: _Merge, table: Table, rows: list[dict[str, Any]], keys: tuple[str, str]
) -> None:
    """Link rows without an id (event ↔ club, person ↔ tag): added when missing."""
    a, b = keys
    have: set[tuple[Any, Any]] = set()
    for chunk in _in_chunks({r[a] for r in rows}):
        have |= {
            (x, y)
            for x, y in m.s.execute(select(table.c[a], table.c[b]).where(table.c[a].in_(chunk)))
        }
    for row in rows:
        if (row[a], row[b]) in have:
            m.unchanged += 1
            continue
        m.insert(table, row)
        have.add((row[a], row[b]))


def _merge_people(m: _Merge, people: list[dict[str, Any]]) -> None:
    table = _tbl_by_name("people")
    refs: list[dict[str, Any]] = []
    for prow in people:
        if m.current(table, prow["id"]) is not None:
            continue
        same_phone = None
        if prow["phone"]:
            same_phone = m.s.scalar(select(Person.id).where(Person.phone == prow["phone"]))
        if same_phone is not None:
            # a walk-in the dealership also knows (same E.164 phone): one person, ONE ID
            m.person_map[prow["id"]] = same_phone
            m.duplicates += 1
            m.matched.append(
                {
                    "table": "people",
                    "pack_id": str(prow["id"]),
                    "id": str(same_phone),
                    "reason": "same phone",
                    "name": prow["name"],
                }
            )
    for prow in people:
        if prow["id"] in m.person_map:
            continue
        row = m.remap(table, prow)
        if m.current(table, row["id"]) is None:
            # self-references after every new person is in (a referrer may come later)
            refs.append(row)
            m.insert(table, {**row, "referred_by_id": None, "merged_into_id": None})
            m.touched_people.add(row["id"])
            continue
        mine = m.current(table, row["id"]) or {}
        if (
            row["phone"]
            and row["phone"] != mine.get("phone")
            and m.s.scalar(
                select(Person.id).where(Person.phone == row["phone"], Person.id != row["id"])
            )
        ):
            m.rejected.append(
                _rejected("people", row["id"], "pack_phone_taken", "phone", row["phone"])
            )
            continue
        m.upsert(table, row)
    for row in refs:
        if row["referred_by_id"] or row["merged_into_id"]:
            m.s.execute(
                update(table)
                .where(table.c.id == row["id"])
                .values(referred_by_id=row["referred_by_id"], merged_into_id=row["merged_into_id"])
            )


def _rejected(table: str, row_id: object, code: str, field: str, value: object) -> RowProblem:
    """A pack row left out, in the one problem shape: no sheet row, so `where` says the
    table and id; `field` and `value` what was in the way."""
    made = problem(None, code, field, None if value is None else str(value))
    return replace(made, where=(("table", table), ("id", str(row_id))))


def _merge_vehicles(m: _Merge, vehicles: list[dict[str, Any]]) -> None:
    table = _tbl_by_name("vehicles")
    for prow in vehicles:
        row = m.remap(table, prow)
        mine = m.current(table, row["id"])
        other = None
        if row["vin"] and (mine is None or mine.get("vin") != row["vin"]):
            other = m.s.scalar(
                select(Vehicle.id).where(Vehicle.vin == row["vin"], Vehicle.id != row["id"])
            )
        if mine is None and other is not None:
            m.vehicle_map[row["id"]] = other
            m.duplicates += 1
            m.matched.append(
                {
                    "table": "vehicles",
                    "pack_id": str(row["id"]),
                    "id": str(other),
                    "reason": "same VIN",
                }
            )
            continue
        if mine is not None and other is not None:
            m.rejected.append(_rejected("vehicles", row["id"], "pack_vin_taken", "vin", row["vin"]))
            continue
        m.upsert(table, row)


def _merge_memberships(m: _Merge, memberships: list[dict[str, Any]]) -> None:
    table = _tbl_by_name("club_memberships")
    for prow in memberships:
        row = m.remap(table, prow)
        if m.current(table, row["id"]) is None:
            other = m.s.scalar(
                select(ClubMembership.id).where(
                    ClubMembership.club_id == row["club_id"],
                    ClubMembership.person_id == row["person_id"],
                )
            )
            if other is not None:
                m.duplicates += 1
                continue
        m.upsert(table, row)


def _merge_registrations(m: _Merge, regs: list[dict[str, Any]]) -> None:
    table = _tbl_by_name("registrations")
    cache = _DERIVED["registrations"]
    for prow in regs:
        row = m.remap(table, prow)
        mine = m.current(table, row["id"])
        if mine is not None:
            m.upsert(table, row)
            if _reg_checkin_differs(row, mine):
                m.touched_regs.add(row["id"])
            continue
        other = m.s.execute(
            select(Registration.id, Registration.status).where(
                Registration.event_id == row["event_id"],
                Registration.person_id == row["person_id"],
            )
        ).first()
        if other is not None:
            # registered at the dealership meanwhile: one registration, the laptop's
            # scans and tickets now point at it
            m.reg_map[row["id"]] = other[0]
            m.duplicates += 1
            m.touched_regs.add(other[0])
            m.matched.append(
                {
                    "table": "registrations",
                    "pack_id": str(row["id"]),
                    "id": str(other[0]),
                    "reason": "the same person registered here meanwhile",
                    "is_walk_in": bool(row["is_walk_in"]),
                }
            )
            continue
        ticket_taken = row["ticket_code"] and m.s.scalar(
            select(Registration.id).where(Registration.ticket_code == row["ticket_code"])
        )
        m.insert(
            table,
            {
                **row,
                **dict.fromkeys(cache),
                "ticket_code": None if ticket_taken else row["ticket_code"],
            },
        )
        m.touched_regs.add(row["id"])
        m.touched_people.add(row["person_id"])
        if row["is_walk_in"]:
            m.walk_ins_added += 1


def _reg_checkin_differs(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return any(not _same(a[c], b[c]) for c in _DERIVED["registrations"])


def _merge_ticket(m: _Merge, row: dict[str, Any]) -> None:
    table = _tbl_by_name("tickets")
    if m.current(table, row["id"]) is None and m.s.scalar(
        select(Ticket.id).where(Ticket.code == row["code"])
    ):
        m.duplicates += 1
        return
    m.upsert(table, row)


def _merge_scans(m: _Merge, scans: list[dict[str, Any]]) -> None:
    """Scans by nonce: a scan already here (re-import, or exported from here) is skipped."""
    table = _tbl_by_name("scan_log")
    nonces = [r["nonce"] for r in scans]
    have: set[uuid.UUID] = set()
    for chunk in _in_chunks(nonces):
        have |= set(m.s.scalars(select(ScanLog.nonce).where(ScanLog.nonce.in_(chunk))))
    new: list[dict[str, Any]] = []
    for prow in scans:
        if prow["nonce"] in have:
            m.unchanged += 1
            continue
        row = m.remap(table, prow)
        if m.current(table, row["id"]) is not None:
            row["id"] = uuid.uuid4()  # impossible in practice; the nonce is the identity
        new.append(row)
        have.add(row["nonce"])
        m.added_nonces.add(str(row["nonce"]))
        m.scans_added += 1
        if row["registration_id"] is not None and row["result"] == ScanResult.ACCEPTED:
            m.touched_regs.add(row["registration_id"])
    m.insert_many(table, new)


def _replay_checkins(m: _Merge) -> None:
    """Recompute the check-in cache of every registration the pack touched from BOTH scan
    logs in time order: the earliest check-in stands; a second check-in while the person is
    already in (the other place let them in too) is a double entry, reported, both scan rows
    kept; undo and check-out rows apply in time order."""
    rids = sorted(m.touched_regs, key=str)
    regs: dict[uuid.UUID, Any] = {}
    logs: dict[uuid.UUID, list[Any]] = {rid: [] for rid in rids}
    for chunk in _in_chunks(rids):
        for r in m.s.execute(
            select(
                Registration.id,
                Registration.person_id,
                Registration.ticket_code,
                Registration.checked_in_at,
                Registration.checked_in_desk,
                Registration.checked_out_at,
            ).where(Registration.id.in_(chunk))
        ):
            regs[r.id] = r
        for r in m.s.execute(
            select(
                ScanLog.registration_id,
                ScanLog.nonce,
                ScanLog.action,
                ScanLog.scanned_at,
                ScanLog.desk,
                ScanLog.origin_device,
                ScanLog.id,
            ).where(ScanLog.registration_id.in_(chunk), ScanLog.result == ScanResult.ACCEPTED)
        ):
            logs[r.registration_id].append(r)
    table = _tbl_by_name("registrations")
    now = now_utc()
    changes: list[dict[str, Any]] = []
    for rid in rids:
        reg = regs.get(rid)
        if reg is None:
            continue
        events: list[tuple[datetime, str, str, str | None, str | None, str | None]] = [
            (r.scanned_at, str(r.id), r.action, r.desk, r.origin_device, str(r.nonce))
            for r in logs[rid]
        ]
        had_in = reg.checked_in_at
        if had_in is not None and not any(e[2] in _IN_ACTIONS and e[0] == had_in for e in events):
            # a check-in the log does not explain (older data): it still counts
            events.append((had_in, "", ScanAction.CHECK_IN.value, reg.checked_in_desk, None, None))
        events.sort(key=lambda e: (e[0], e[1]))
        cin: tuple[datetime, str | None, str | None, str | None] | None = None
        cout: datetime | None = None
        doubles: list[dict[str, Any]] = []
        for when, _id, action, desk, device, nonce in events:
            if action in _IN_ACTIONS:
                if cin is None:
                    cin, cout = (when, desk, device, nonce), None
                elif cin[3] in m.added_nonces or nonce in m.added_nonces:
                    # reported once: when the laptop's scan first arrives
                    doubles.append(
                        {
                            "kept": {
                                "at": cin[0].isoformat(),
                                "desk": cin[1],
                                "device": cin[2],
                                "nonce": cin[3],
                            },
                            "other": {
                                "at": when.isoformat(),
                                "desk": desk,
                                "device": device,
                                "nonce": nonce,
                            },
                        }
                    )
            elif action == ScanAction.UNDO:
                cin, cout = None, None
            elif action == ScanAction.CHECK_OUT and cin is not None and cout is None:
                cout = when
        new_in = cin[0] if cin else None
        new_desk = cin[1] if cin else None
        if (new_in, new_desk, cout) != (reg.checked_in_at, reg.checked_in_desk, reg.checked_out_at):
            if had_in is None and new_in is not None:
                m.checkins_added += 1
            changes.append(
                {"b_id": rid, "b_in": new_in, "b_desk": new_desk, "b_out": cout, "b_now": now}
            )
        if doubles:
            name = m.s.scalar(select(Person.name).where(Person.id == reg.person_id))
            for d in doubles:
                m.double_entries.append(
                    {
                        "registration_id": str(rid),
                        "person_id": str(reg.person_id),
                        "name": name,
                        "ticket_code": reg.ticket_code,
                        **d,
                    }
                )
    if changes:
        m.s.connection().execute(
            update(table)
            .where(table.c.id == bindparam("b_id"))
            .values(
                checked_in_at=bindparam("b_in"),
                checked_in_desk=bindparam("b_desk"),
                checked_out_at=bindparam("b_out"),
                updated_at=bindparam("b_now"),
            ),
            changes,
        )


def _merge_ledger(m: _Merge, ledger: list[dict[str, Any]]) -> None:
    """Ledger rows are never edited: new ones are added by UUID. When the dealership
    already holds a registration's check-in award (a double entry), the laptop's
    check-in/undo rows for it are not added — one visit, one award — and the double entry
    says so. The rule looks only at what is stored, so a re-import decides the same."""
    table = _tbl_by_name("points_ledger")
    rows = [m.remap(table, r) for r in ledger]
    awarded_here = _net_checkin_points_here(
        m,
        {r["registration_id"] for r in rows if r["registration_id"] and r["kind"] in _POINTS_KINDS},
    )
    skipped: dict[str, int] = {}
    new: list[dict[str, Any]] = []
    for row in rows:
        if m.current(table, row["id"]) is not None:
            m.unchanged += 1
            continue
        rid = row["registration_id"]
        if rid is not None and row["kind"] in _POINTS_KINDS and awarded_here.get(rid, 0) > 0:
            skipped[str(rid)] = skipped.get(str(rid), 0) + int(row["delta"])
            m.unchanged += 1
            continue
        new.append(row)
        m.touched_people.add(row["person_id"])
    m.insert_many(table, new)
    for d in m.double_entries:
        d["points_not_added"] = skipped.get(d["registration_id"], 0)


def _net_checkin_points_here(m: _Merge, reg_ids: set[uuid.UUID]) -> dict[uuid.UUID, int]:
    """Net check-in points per registration from anywhere but the pack."""
    out: dict[uuid.UUID, int] = {}
    for chunk in _in_chunks(reg_ids):
        for rid, net in m.s.execute(
            select(PointsEntry.registration_id, func.sum(PointsEntry.delta))
            .where(
                PointsEntry.registration_id.in_(chunk),
                PointsEntry.kind.in_(_POINTS_KINDS),
                or_(
                    PointsEntry.origin_device.is_(None),
                    PointsEntry.origin_device != m.info.pack_device,
                ),
            )
            .group_by(PointsEntry.registration_id)
        ):
            out[rid] = int(net or 0)
    return out


def _recompute_tiers(m: _Merge) -> None:
    """Tiers follow the ledger (as points.recompute_tier_in does), for everybody whose
    ledger the pack changed, in a few grouped queries."""
    thresholds = thresholds_in(m.s)
    pids = sorted(m.touched_people, key=str)
    table = _tbl_by_name("people")
    now = now_utc()
    for chunk in _in_chunks(pids):
        balances = dict(
            m.s.execute(
                select(PointsEntry.person_id, func.sum(PointsEntry.delta))
                .where(PointsEntry.person_id.in_(chunk), TIER_BASIS)
                .group_by(PointsEntry.person_id)
            ).all()
        )
        for pid, tier, deleted in m.s.execute(
            select(Person.id, Person.tier, Person.deleted_at).where(Person.id.in_(chunk))
        ):
            if deleted is not None:
                continue
            new = thresholds.tier_for(int(balances.get(pid) or 0))
            if (tier or "none") != new:
                m.s.execute(
                    update(table)
                    .where(table.c.id == pid)
                    .values(tier=new, tier_changed_at=now, updated_at=now)
                )
            elif tier is None:
                m.s.execute(update(table).where(table.c.id == pid).values(tier=new))


# --------------------------------------------------------------------------- issue 14
# Questions, answers, gifts and gift hand-outs travel with the event; hand-outs merge back
# by nonce like scans (never twice), stock is recounted from the hand-outs.


def _slice_questions_gifts(s: Session, eid: uuid.UUID) -> dict[str, list[dict[str, Any]]]:
    return {
        "questions": _rows(s, select(_tbl(Question)).where(Question.event_id == eid)),
        "answers": _rows(s, select(_tbl(Answer)).where(Answer.event_id == eid)),
        "gifts": _rows(s, select(_tbl(Gift)).where(Gift.event_id == eid)),
        "gift_handouts": _rows(s, select(_tbl(GiftHandout)).where(GiftHandout.event_id == eid)),
    }


def _merge_questions_gifts(m: _Merge, rows: dict[str, list[dict[str, Any]]]) -> None:
    _merge_questions(m, rows.get("questions", []))
    _merge_answers(m, rows.get("answers", []))
    gifts = _tbl_by_name("gifts")
    for row in rows.get("gifts", []):
        m.upsert(gifts, m.remap(gifts, row))
    touched = _merge_handouts(m, rows.get("gift_handouts", []))
    from desktop_app.services.gifts import recount_in

    m.gifts_over_stock.extend(recount_in(m.s, touched))


def _merge_questions(m: _Merge, questions: list[dict[str, Any]]) -> None:
    """By id; a question added in both places under the same key is one question."""
    table = _tbl_by_name("questions")
    for prow in questions:
        row = m.remap(table, prow)
        if m.current(table, row["id"]) is None:
            other = m.s.scalar(
                select(Question.id).where(
                    Question.event_id == row["event_id"], Question.key == row["key"]
                )
            )
            if other is not None:
                m.question_map[row["id"]] = other
                m.duplicates += 1
                continue
        m.upsert(table, row)


def _merge_answers(m: _Merge, answers: list[dict[str, Any]]) -> None:
    """By id, or by (registration, question) when both places answered: the newest wins."""
    table = _tbl_by_name("answers")
    for prow in answers:
        row = m.remap(table, prow)
        if m.current(table, row["id"]) is not None:
            m.upsert(table, row)
            continue
        mine = (
            m.s.execute(
                select(table).where(
                    table.c.registration_id == row["registration_id"],
                    table.c.question_id == row["question_id"],
                )
            )
            .mappings()
            .first()
        )
        if mine is None:
            m.insert(table, row)
        elif _after(row.get("updated_at"), mine["updated_at"]):
            keep = ("value", "source", "deleted_at", "question_key")
            m.s.execute(
                update(table)
                .where(table.c.id == mine["id"])
                .values(**{k: row[k] for k in keep}, updated_at=row["updated_at"])
            )
            m.updated += 1
        else:
            m.unchanged += 1


def _merge_handouts(m: _Merge, handouts: list[dict[str, Any]]) -> set[uuid.UUID]:
    """Hand-outs by nonce: one already here is skipped (a return made on the laptop is
    brought across). A gift handed to the same registration in both places is one
    hand-out (the earliest kept; the other stored as removed) and listed in gift_doubles.
    Returns the gifts touched."""
    table = _tbl_by_name("gift_handouts")
    touched: set[uuid.UUID] = set()
    for prow in sorted(handouts, key=lambda r: (r["handed_at"], str(r["nonce"]))):
        row = m.remap(table, prow)
        mine = m.s.execute(select(table).where(table.c.nonce == row["nonce"])).mappings().first()
        if mine is not None:
            if row["returned_at"] is not None and mine["returned_at"] is None:
                m.s.execute(
                    update(table)
                    .where(table.c.id == mine["id"])
                    .values(returned_at=row["returned_at"], updated_at=row["updated_at"])
                )
                m.updated += 1
                touched.add(row["gift_id"])
            else:
                m.unchanged += 1
            continue
        live = row["returned_at"] is None and row["deleted_at"] is None
        other = None
        if live:
            other = (
                m.s.execute(
                    select(table).where(
                        table.c.gift_id == row["gift_id"],
                        table.c.registration_id == row["registration_id"],
                        table.c.returned_at.is_(None),
                        table.c.deleted_at.is_(None),
                    )
                )
                .mappings()
                .first()
            )
        if other is not None:
            name = m.s.scalar(select(Gift.name).where(Gift.id == row["gift_id"]))
            m.gift_doubles.append(
                {
                    "registration_id": str(row["registration_id"]),
                    "gift_id": str(row["gift_id"]),
                    "gift": name,
                    "kept": {"at": _iso(other["handed_at"]), "desk": other["desk"]},
                    "other": {"at": _iso(row["handed_at"]), "desk": row["desk"],
                              "quantity": row["quantity"]},
                }
            )  # fmt: skip
            # kept as a removed row: the nonce is known, so the same pack again is quiet
            row["deleted_at"] = now_utc()
        if m.current(table, row["id"]) is not None:
            row["id"] = uuid.uuid4()  # impossible in practice; the nonce is the identity
        m.insert(table, row)
        touched.add(row["gift_id"])
    return touched


# --------------------------------------------------------------------------- history


@dataclass(frozen=True, slots=True)
class SyncHistoryRow:
    id: str
    at: datetime
    kind: str
    file: str | None
    report: dict[str, Any]

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "at": self.at.isoformat(),
            "kind": self.kind,
            "file": self.file,
            "report": self.report,
        }


def sync_history(
    db: Database, kinds: Iterable[str] | None = None, limit: int = 200
) -> list[SyncHistoryRow]:
    """Exports, imports and merges, newest first (the Sync screen's history)."""
    with db.read() as s:
        stmt = select(SyncOperation).order_by(SyncOperation.at.desc()).limit(limit)
        if kinds is not None:
            stmt = stmt.where(SyncOperation.kind.in_(list(kinds)))
        return [
            SyncHistoryRow(str(op.id), op.at, op.kind, op.file, dict(op.report or {}))
            for op in s.scalars(stmt)
        ]


__all__ = [
    "EXPORT_KIND",
    "IMPORT_KIND",
    "PackExport",
    "PackImportReport",
    "PackInfo",
    "SyncHistoryRow",
    "export_pack",
    "import_pack",
    "read_pack_info",
    "sync_history",
]
