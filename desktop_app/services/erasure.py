"""Erasure (PIPL Art. 47): a person's personal data removed, an anonymous record kept.

What goes (for the person and every duplicate merged into them):
- people: name → "ERASED-xxxxxxxx", phone, WeChat, e-mail, birthday, notes, tags, consents;
- vehicles: VIN and plate (model and purchase date stay: they identify nobody);
- registrations: plate, form answers, cancel reason; invitations: call notes;
  scan notes of their registrations; feedback comments; online attendance names and
  identity keys; points reasons keep their words without the person's values;
- the audit log, import/merge reports (sync_operations) and merge snapshots: every
  value of the person is replaced by "[erased]" (rows about the person lose the name too);
- answer tables of other features: every function registered with `register_eraser`.

What stays (so last year's report says the same): the person row (id, stage, tier, butler,
referrer, source, dates), registrations with status, check-ins and party sizes, the scan
log, points, referrals, club memberships, feedback ratings, the consent history (times and
methods, no personal values). A tombstone row (`erasures`) travels to HQ in the next
workbook; the audit log records who erased whom and when, with no personal value.

On SQLite the erasure ends by folding the WAL back and VACUUM: the file then holds no
copy of the erased values (secure_delete is on for every connection too, so values
deleted by normal edits are zeroed as well). On PostgreSQL a plain VACUUM of the touched
tables frees the old row versions; the server's WAL archive and base backups follow the
DBA's retention (docs/privacy.md).
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from sqlalchemy import Text, cast, or_, select, text, update
from sqlalchemy.orm import Session

from desktop_app.domain.enums import ErasureKind
from desktop_app.domain.errors import NotFound, RuleViolation, ValidationError
from desktop_app.domain.ids import new_id
from desktop_app.domain.phone import PhoneError, display_phone, normalise_phone
from desktop_app.domain.roles import Permission
from desktop_app.domain.timeutil import now_utc
from desktop_app.services.auth import require
from desktop_app.services.common import audit, parse_id, stamp_origin
from desktop_app.store.db import Database
from desktop_app.store.models import (
    AuditEntry,
    Erasure,
    Feedback,
    Invitation,
    OnlineAttendance,
    Person,
    PersonMerge,
    PointsEntry,
    Registration,
    ScanLog,
    SyncOperation,
    Vehicle,
)

ERASED = "[erased]"
NAME_PREFIX = "ERASED-"
REASON_MAX = 500
CHUNK = 200  # people erased per transaction in a bulk erasure

# Other features' tables with a person's free text (e.g. question answers) register a
# function here: (session, person ids, registration ids) -> rows changed.
Eraser = Callable[[Session, set[uuid.UUID], set[uuid.UUID]], int]
_ERASERS: list[Eraser] = []


# Rows of other features that belong to a person and that audit rows name by their own id
# (a voucher's cancel, whose reason staff type): (session, person ids) -> (person id, row
# id) pairs. Audit rows about them are scrubbed of the person's name too.
Owned = Callable[[Session, set[uuid.UUID]], Iterable[tuple[uuid.UUID, uuid.UUID]]]
_OWNED: list[Owned] = []


def register_owned(fn: Owned) -> Owned:
    """Name a feature's rows that belong to the person being erased."""
    if fn not in _OWNED:
        _OWNED.append(fn)
    return fn


def register_eraser(fn: Eraser) -> Eraser:
    """Add a feature's own erasure step (runs inside the erasure's transaction)."""
    if fn not in _ERASERS:
        _ERASERS.append(fn)
    return fn


def erased_name(person_id: uuid.UUID) -> str:
    """The anonymous record's name: no personal value, still tells two records apart."""
    return NAME_PREFIX + person_id.hex[:8].upper()


@dataclass(frozen=True, slots=True)
class ErasureResult:
    erasure_id: uuid.UUID
    person_id: uuid.UUID
    erased_at: datetime
    kind: str
    people: int  # the person and their merged-away duplicates
    rows: dict[str, int] = field(default_factory=dict)  # rows changed per table
    compacted: bool = False  # SQLite file rewritten (VACUUM) so no old copy remains

    def to_json(self) -> dict[str, Any]:
        return {
            "id": str(self.erasure_id),
            "person_id": str(self.person_id),
            "erased_at": self.erased_at.isoformat(),
            "kind": self.kind,
            "people": self.people,
            "rows": dict(self.rows),
            "compacted": self.compacted,
        }


# --------------------------------------------------------------------------- values


def _phone_forms(e164: str) -> set[str]:
    forms = {e164, e164.lstrip("+"), display_phone(e164)}
    if e164.startswith("+86"):
        n = e164[3:]
        forms |= {n, f"{n[:3]}-{n[3:7]}-{n[7:]}", "0086" + n}
    return {f for f in forms if f}


class _Values:
    """The personal values of the people being erased, and a scrubber for free text."""

    def __init__(self) -> None:
        self.identifiers: set[str] = set()  # unique to the person: phone, VIN, e-mail…
        self.names: set[str] = set()  # only scrubbed in rows about the person
        self.ids: set[str] = set()  # ids (person, vehicles, registrations) as text

    def add_person(self, p: Person) -> None:
        self.ids |= {str(p.id), p.id.hex}
        if p.name and not p.name.startswith(NAME_PREFIX) and len(p.name.strip()) >= 2:
            self.names.add(p.name.strip())
        if p.phone:
            self.identifiers |= _phone_forms(p.phone)
        for v in (p.wechat, p.email):
            if v and len(v) >= 3:
                self.identifiers.add(v)

    def add_vehicle(self, v: Vehicle) -> None:
        self.ids |= {str(v.id), v.id.hex}
        for value in (v.vin, v.plate):
            if value:
                self.identifiers.add(value)

    def add_text_id(self, ident: uuid.UUID) -> None:
        self.ids |= {str(ident), ident.hex}

    def pattern(self, with_names: bool) -> re.Pattern[str] | None:
        words = set(self.identifiers) | (self.names if with_names else set())
        if not words:
            return None
        alternatives = sorted((re.escape(w) for w in words), key=len, reverse=True)
        return re.compile("|".join(alternatives), re.IGNORECASE)

    def terms(self) -> set[str]:
        """Texts that stand for the person in a stored JSON document: ids, identifiers and
        names, as written and as JSON escapes them (\\uXXXX)."""
        words = {i for i in self.ids if "-" in i} | self.identifiers | self.names
        return words | {json.dumps(w)[1:-1] for w in words}

    @staticmethod
    def union(parts: Iterable[_Values]) -> _Values:
        out = _Values()
        for v in parts:
            out.identifiers |= v.identifiers
            out.names |= v.names
            out.ids |= v.ids
        return out


def _scrub(value: Any, pattern: re.Pattern[str]) -> Any:
    """`value` (JSON-like) with every personal value replaced by [erased]."""
    if isinstance(value, str):
        return pattern.sub(ERASED, value)
    if isinstance(value, list):
        return [_scrub(v, pattern) for v in value]
    if isinstance(value, dict):
        return {k: _scrub(v, pattern) for k, v in value.items()}
    return value


def scrub_text(text_value: str, person: Person) -> str:
    """Free text (a reason typed by staff) without this person's values."""
    vals = _Values()
    vals.add_person(person)
    pattern = vals.pattern(with_names=True)
    return pattern.sub(ERASED, text_value) if pattern else text_value


# --------------------------------------------------------------------------- lookup


def _group(s: Session, person: Person) -> list[Person]:
    """The person and everybody merged into them (their duplicates hold their data too)."""
    out = [person]
    todo = [person.id]
    seen = {person.id}
    while todo:
        found = list(s.scalars(select(Person).where(Person.merged_into_id.in_(todo))))
        todo = [p.id for p in found if p.id not in seen]
        seen |= set(todo)
        out += [p for p in found if p.id in todo]
    return out


# --------------------------------------------------------------------------- erasure


def erase_person(
    db: Database,
    person_id: str | uuid.UUID,
    reason: str,
    *,
    kind: str = ErasureKind.REQUEST,
    actor: object = None,
    compact: bool = True,
) -> ErasureResult:
    """Erase one person's personal data (admins). See the module docstring."""
    who = require(db, actor, Permission.ERASE_PEOPLE)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("reason", "erase_reason_needed")
    if kind not in ErasureKind.__members__.values():
        raise ValidationError("kind", "bad_choice", choices=", ".join(ErasureKind))
    with db.write() as s:
        p = s.get(Person, parse_id(person_id, "person"))
        if p is None:
            raise NotFound("person", person_id)
        while p.merged_into_id is not None and p.deleted_at is not None:
            nxt = s.get(Person, p.merged_into_id)
            if nxt is None:
                break
            p = nxt
        if p.erased_at is not None:
            raise RuleViolation(code="erase_already", at=p.erased_at.date().isoformat())
        result = _erase_in(s, [p], reason[:REASON_MAX], kind, who)[0]
    compacted = compact_after_erasure(db) if compact else False
    return replace(result, compacted=compacted)


def erase_many(
    db: Database,
    person_ids: Sequence[str | uuid.UUID],
    reason: str,
    *,
    kind: str = ErasureKind.RETENTION,
    actor: object = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[ErasureResult]:
    """Erase several people (retention review), CHUNK per transaction, compacted once."""
    who = require(db, actor, Permission.ERASE_PEOPLE)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("reason", "erase_reason_needed")
    ids = list(dict.fromkeys(parse_id(p, "person") for p in person_ids))
    out: list[ErasureResult] = []
    for i in range(0, len(ids), CHUNK):
        with db.write() as s:
            people = [
                p
                for p in s.scalars(select(Person).where(Person.id.in_(ids[i : i + CHUNK])))
                if p.erased_at is None and p.deleted_at is None
            ]
            out += _erase_in(s, people, reason[:REASON_MAX], kind, who)
        if progress is not None:
            progress(min(i + CHUNK, len(ids)), len(ids))
    if out:
        compacted = compact_after_erasure(db)
        out = [replace(r, compacted=compacted) for r in out]
    return out


def _erase_in(
    s: Session, people: list[Person], reason: str, kind: str, who: Any
) -> list[ErasureResult]:
    """Erase `people` (each with their merged duplicates) inside one transaction."""
    import desktop_app.services.questions  # noqa: F401 - registers its eraser (issue 14)

    if not people:
        return []
    now = now_utc()
    groups = {p.id: _group(s, p) for p in people}
    all_people = [q for g in groups.values() for q in g]
    pids = {q.id for q in all_people}
    # one _Values per erased person (with their duplicates): scrubbing a row of the audit
    # log uses the values of the people that row is about, not everybody's
    per: dict[uuid.UUID, _Values] = {}
    group_of: dict[uuid.UUID, uuid.UUID] = {}
    for key, group in groups.items():
        per[key] = _Values()
        for q in group:
            per[key].add_person(q)
            group_of[q.id] = key
    vehicles = list(s.scalars(select(Vehicle).where(Vehicle.person_id.in_(pids))))
    for v in vehicles:
        per[group_of[v.person_id]].add_vehicle(v)
    regs = list(s.scalars(select(Registration).where(Registration.person_id.in_(pids))))
    rids = {r.id for r in regs}
    for r in regs:
        per[group_of[r.person_id]].add_text_id(r.id)
        if r.plate:
            per[group_of[r.person_id]].identifiers.add(r.plate)
    for fn in _OWNED:
        for owner, row_id in fn(s, pids):
            per[group_of[owner]].add_text_id(row_id)
    for v_ in per.values():
        _harvest(s, v_)
    vals = _Values.union(per.values())
    rows: dict[str, int] = {}

    def count(table: str, n: int) -> None:
        if n:
            rows[table] = rows.get(table, 0) + n

    # the reason is typed by staff: it must not carry the values it erases
    strip_all = vals.pattern(with_names=True)
    reason = strip_all.sub(ERASED, reason) if strip_all else reason

    for q in all_people:
        q.name = erased_name(q.id)
        q.phone = None
        q.wechat = None
        q.email = None
        q.birthday = None
        q.notes = ""
        q.consent_marketing_at = None
        q.consent_photos_at = None
        q.erased_at = now
        q.tags = []
    count("people", len(all_people))
    for v in vehicles:
        v.vin = None
        v.plate = None
    count("vehicles", len(vehicles))
    for r in regs:
        r.plate = None
        r.answers = None
        r.cancel_reason = None
    count("registrations", len(regs))
    s.flush()
    count(
        "invitations",
        s.execute(
            update(Invitation).where(Invitation.person_id.in_(pids)).values(note="", updated_at=now)
        ).rowcount,
    )
    if rids:
        count(
            "scan_log",
            s.execute(
                update(ScanLog)
                .where(ScanLog.registration_id.in_(rids), ScanLog.note.is_not(None))
                .values(note=None, updated_at=now)
            ).rowcount,
        )
    count(
        "feedback",
        s.execute(
            update(Feedback)
            .where(or_(Feedback.person_id.in_(pids), Feedback.registration_id.in_(list(rids))))
            .values(comment="", updated_at=now)
        ).rowcount,
    )
    for oa in s.scalars(
        select(OnlineAttendance).where(
            or_(
                OnlineAttendance.person_id.in_(pids),
                OnlineAttendance.registration_id.in_(list(rids)),
            )
        )
    ):
        oa.display_name = ""
        oa.identity_key = f"erased:{oa.id}"
        count("online_attendance", 1)
    pattern = vals.pattern(with_names=True)
    if pattern is not None:
        for pe in s.scalars(select(PointsEntry).where(PointsEntry.person_id.in_(pids))):
            cleaned = pattern.sub(ERASED, pe.reason or "")
            if cleaned != pe.reason:
                pe.reason = cleaned
                count("points_ledger", 1)
    for m in s.scalars(
        select(PersonMerge).where(
            or_(PersonMerge.kept_id.in_(pids), PersonMerge.dropped_id.in_(pids))
        )
    ):
        # the undo record holds old values; an erased merge cannot be undone
        m.snapshot = {"erased": True, "changes": [], "added_tags": []}
        count("person_merges", 1)
    for fn in _ERASERS:
        n = fn(s, pids, rids)
        count(fn.__name__, n)
    everyone = list(per.values())
    count("audit_log", _scrub_json_rows(s, AuditEntry, "detail", everyone))
    count("sync_operations", _scrub_json_rows(s, SyncOperation, "report", everyone))
    s.flush()
    staff_id = getattr(who, "id", None)
    staff_name = getattr(who, "name", None) or None
    results: list[ErasureResult] = []
    for p in people:
        e = Erasure(
            id=new_id(),
            person_id=p.id,
            erased_at=now,
            kind=kind,
            reason=reason,
            staff_id=staff_id,
            staff_name=staff_name,
        )
        stamp_origin(s, e)
        s.add(e)
        s.flush()
        group = groups[p.id]
        audit(
            s,
            "person.erase",
            "person",
            p.id,
            {
                "erasure_id": str(e.id),
                "kind": kind,
                "reason": reason,
                "duplicates": [str(q.id) for q in group[1:]],
            },
            who,
        )
        results.append(ErasureResult(e.id, p.id, now, kind, len(group), dict(rows)))
    return results


# Keys whose values are a person's words or identifiers in rows about them.
_PERSONAL_KEYS = frozenset(
    {"name", "dropped_name", "phone", "wechat", "email", "vin", "plate", "display_name",
     "comment", "note", "notes", "text", "value", "changed", "answers"}
)  # fmt: skip
_UUIDISH = re.compile(r"^[0-9a-fA-F-]{32,36}$")


_IDENTITY_KEYS = ("name", "dropped_name", "phone", "wechat", "email", "vin", "plate",
                  "display_name")  # fmt: skip


def _harvest(s: Session, vals: _Values) -> None:
    """Old values the rows no longer hold (a phone changed last year, a sold car's VIN) are
    in the audit rows about the person: add them to what is scrubbed."""
    ids = [i for i in vals.ids if "-" in i]
    for chunk in (ids[i : i + 500] for i in range(0, len(ids), 500)):
        for (detail,) in s.execute(
            select(AuditEntry.detail).where(AuditEntry.entity_id.in_(chunk))
        ):
            detail = detail or {}
            changed = detail.get("changed") if isinstance(detail.get("changed"), dict) else {}
            leaves: list[tuple[str, Any]] = [(k, detail.get(k)) for k in _IDENTITY_KEYS]
            for k in ("name", "phone"):
                old_new = changed.get(k)
                leaves += [(k, v) for v in (old_new if isinstance(old_new, list) else [old_new])]
            for key, leaf in leaves:
                if not isinstance(leaf, str) or len(leaf.strip()) < 2 or _UUIDISH.match(leaf):
                    continue
                leaf = leaf.strip()
                if key.endswith("name"):
                    if not leaf.startswith(NAME_PREFIX):
                        vals.names.add(leaf)
                    continue
                try:
                    vals.identifiers |= _phone_forms(normalise_phone(leaf))
                except PhoneError:
                    vals.identifiers.add(leaf)


def _blank_personal(value: Any, pattern: re.Pattern[str]) -> Any:
    """A row about the person: personal keys lose their values, other text is scrubbed."""
    if isinstance(value, dict):
        return {
            k: (ERASED if k in _PERSONAL_KEYS and v not in (None, "", [], {}) else
                _blank_personal(v, pattern))
            for k, v in value.items()
        }  # fmt: skip
    if isinstance(value, list):
        return [_blank_personal(v, pattern) for v in value]
    return _scrub(value, pattern)


_UUID_TOKEN = re.compile(
    r"[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}"
)
_JSON_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"')
_DIGIT_RUN = re.compile(r"\+?\d{7,}")
_FEW_TERMS = 60  # up to this many: SQL finds the rows (LIKE); more: one pass in Python


def _tokens(raw: str) -> set[str]:
    """Ids, whole JSON strings and digit runs of a stored document."""
    return (
        {t.lower() for t in _UUID_TOKEN.findall(raw)}
        | set(_JSON_STRING.findall(raw))
        | set(_DIGIT_RUN.findall(raw))
    )


def _like(text_: str) -> str:
    return "%" + text_.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _candidates(s: Session, model: Any, column: str, people: list[_Values]) -> list[Any]:
    """Ids of the rows that may hold one of the people's values. One person (the usual
    erasure): the database finds them (LIKE over the stored text, plus entity_id). Many (a
    retention clean-up): one pass over the stored text, matching its ids, whole strings and
    digit runs against the people's values — a value inside another person's free text is
    then found only when it is a phone number."""
    raw = cast(getattr(model, column), Text).label("raw")
    has_entity = hasattr(model, "entity_id")
    ids = sorted({i for v in people for i in v.ids if "-" in i})
    terms = set().union(*(v.terms() for v in people))
    if len(terms) <= _FEW_TERMS:
        conds = [raw.like(_like(t), escape="\\") for t in terms]
        if has_entity:
            conds.append(model.entity_id.in_(ids))
        return list(s.scalars(select(model.id).where(or_(*conds))))
    keys = terms | {i.replace("-", "") for i in ids}
    entity_ids = set(ids)
    cols = [model.id, raw] + ([model.entity_id] if has_entity else [])
    out = []
    for row in s.execute(select(*cols).execution_options(yield_per=5000)):
        if (has_entity and row[2] in entity_ids) or (row[1] and _tokens(row[1]) & keys):
            out.append(row[0])
    return out


def _scrub_json_rows(s: Session, model: Any, column: str, people: list[_Values]) -> int:
    """Replace the people's values in a JSON column (audit log, import reports).

    Audit rows about one of the people (entity_id) lose every personal key's value; rows
    that mention one of their ids lose that person's names too; other rows lose the
    person's unique identifiers (phone, VIN, plate, e-mail, WeChat)."""
    people = [v for v in people if v.identifiers or v.names]
    if not people:
        return 0
    by_id = {i.lower(): n for n, v in enumerate(people) for i in v.ids}
    by_value = {t: n for n, v in enumerate(people) for t in v.terms()}
    has_entity = hasattr(model, "entity_id")
    col = getattr(model, column)
    changed = 0
    found = _candidates(s, model, column, people)
    for lo in range(0, len(found), 500):
        cols = [model.id, col, cast(col, Text).label("raw")]
        cols += [model.entity_id] if has_entity else []
        for row in s.execute(select(*cols).where(model.id.in_(found[lo : lo + 500]))):
            rid, value, raw = row[0], row[1], row[2] or ""
            owner = by_id.get(str(row[3]).lower()) if has_entity and row[3] else None
            toks = _tokens(raw)
            about = {by_id[t] for t in toks if t in by_id}
            mentioned = {by_value[t] for t in toks if t in by_value}
            if len(people) == 1 and not (about or mentioned) and owner is None:
                mentioned = {0}  # the database matched it inside a longer text
            new = value
            if owner is not None:
                new = _blank_personal(new, people[owner].pattern(with_names=True))
            for n in about | mentioned:
                pattern = people[n].pattern(with_names=n in about or n == owner)
                if pattern is not None:
                    new = _scrub(new, pattern)
            if new != value:
                s.execute(update(model).where(model.id == rid).values({column: new}))
                changed += 1
    return changed


def reapply(db: Database, tombstones: Sequence[tuple[uuid.UUID, str, str]]) -> int:
    """Erase again, after a restore, the people erased since the backup was made (the
    restore itself was an admin's act). Returns how many were erased again."""
    done = 0
    with db.write() as s:
        for pid, kind, reason in tombstones:
            p = s.get(Person, pid)
            if p is None or p.erased_at is not None:
                continue
            _erase_in(s, [p], f"re-applied after a restore: {reason}"[:REASON_MAX], kind, None)
            done += 1
    if done:
        compact_after_erasure(db)
    return done


# --------------------------------------------------------------------------- the file


def compact_after_erasure(db: Database) -> bool:
    """Leave no old copy of erased values in the database's own files.

    SQLite: checkpoint the WAL into the file and truncate it, VACUUM (rewrites every page,
    dropping free pages and slack), checkpoint again. PostgreSQL: VACUUM the touched
    tables (old row versions become reusable space). Returns False when another
    connection kept the file busy (the erasure itself is committed either way; the next
    erasure or `paddock people compact` finishes the job).
    """
    if db.is_sqlite:
        raw = db.engine.raw_connection()
        try:
            con = raw.driver_connection
            assert con is not None
            try:
                con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                con.execute("VACUUM")
                busy = con.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
            except Exception:  # locked by another desk: done at the next erasure
                return False
            return bool(busy) and int(busy[0]) == 0
        finally:
            raw.close()
    try:
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            for table in _TOUCHED:
                conn.execute(text(f"VACUUM {table}"))
    except Exception:
        return False
    return True


_TOUCHED = (
    "people",
    "vehicles",
    "registrations",
    "invitations",
    "scan_log",
    "feedback",
    "online_attendance",
    "points_ledger",
    "person_merges",
    "person_tags",
    "audit_log",
    "sync_operations",
)


# --------------------------------------------------------------------------- reads


@dataclass(frozen=True, slots=True)
class ErasureRow:
    id: uuid.UUID
    person_id: uuid.UUID
    erased_at: datetime
    kind: str
    reason: str
    staff_name: str | None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "person_id": str(self.person_id),
            "erased_at": self.erased_at.isoformat(),
            "kind": self.kind,
            "reason": self.reason,
            "staff_name": self.staff_name,
        }


def list_erasures(db: Database, limit: int = 500) -> list[ErasureRow]:
    """Erasures made here, newest first (admins)."""
    require(db, None, Permission.ERASE_PEOPLE)
    with db.read() as s:
        return [
            ErasureRow(e.id, e.person_id, e.erased_at, e.kind, e.reason, e.staff_name)
            for e in s.scalars(
                select(Erasure).order_by(Erasure.erased_at.desc(), Erasure.id).limit(limit)
            )
        ]


def erased_ids_in(s: Session, ids: Iterable[uuid.UUID] | None = None) -> set[uuid.UUID]:
    stmt = select(Erasure.person_id)
    if ids is not None:
        stmt = stmt.where(Erasure.person_id.in_(list(ids)))
    return set(s.scalars(stmt))


# Features whose tables hold a person's free text register their erasers on import.
from desktop_app.services import fees_erasure  # noqa: E402,F401  (issue 15)

__all__ = [
    "ERASED",
    "ErasureResult",
    "ErasureRow",
    "compact_after_erasure",
    "erase_many",
    "erase_person",
    "erased_ids_in",
    "erased_name",
    "list_erasures",
    "register_eraser",
    "register_owned",
    "scrub_text",
]
