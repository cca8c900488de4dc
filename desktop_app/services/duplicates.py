"""Likely duplicate people, merging two into one, and undoing a merge.

find_duplicates: the phone is unique, and so is the VIN, so a duplicate never shares
those exactly; it shows as a similar name with the same plate, the same WeChat id or
email, or the same last 8 phone digits written in another country format.

merge_people moves every link of the dropped person to the survivor (registrations,
vehicles, club memberships, points, invitations, feedback, online attendance, referrals),
fills the survivor's blanks, soft-deletes the dropped person (merged_into_id) and keeps
in person_merges a list of every column it changed with the old value, so
undo_last_merge can put each one back, newest change first.
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from rapidfuzz import fuzz
from sqlalchemy import Date, Uuid, func, select
from sqlalchemy import exc as sa_exc
from sqlalchemy.orm import Session

from desktop_app.domain.enums import ClubRole, RegistrationStatus, Stage
from desktop_app.domain.errors import NotFound, RuleViolation, ValidationError, first_line
from desktop_app.domain.messages import text
from desktop_app.domain.roles import Permission
from desktop_app.domain.timeutil import now_utc
from desktop_app.services import points as points_service
from desktop_app.services.auth import require
from desktop_app.services.common import audit, parse_id, stamp_origin
from desktop_app.services.row_problems import Said
from desktop_app.store.db import Database
from desktop_app.store.models import (
    ClubMembership,
    Feedback,
    Invitation,
    OnlineAttendance,
    Payment,
    Person,
    PersonMerge,
    PersonTag,
    PointsEntry,
    Registration,
    ScanLog,
    Ticket,
    UTCDateTime,
    Vehicle,
    Voucher,
)

_MODELS: dict[str, Any] = {
    m.__tablename__: m
    for m in (
        Person,
        Registration,
        Vehicle,
        ClubMembership,
        PointsEntry,
        Invitation,
        OnlineAttendance,
        Feedback,
        ScanLog,
        Ticket,
        Payment,  # issue 15: money and vouchers follow the person (undo puts them back)
        Voucher,
    )
}
# Which of two registrations of one person to one event survives a merge.
_STATUS_RANK = {
    RegistrationStatus.ATTENDED.value: 5,
    RegistrationStatus.REGISTERED.value: 4,
    RegistrationStatus.NO_SHOW.value: 3,
    RegistrationStatus.WAITLISTED.value: 2,
    RegistrationStatus.CANCELLED.value: 1,
}
_ROLE_RANK = {ClubRole.LEADER.value: 3, ClubRole.KOL.value: 2, ClubRole.MEMBER.value: 1}
_STAGE_RANK = {Stage.PROSPECT.value: 1, Stage.OWNER.value: 2, Stage.MEMBER.value: 3}
# Registration state that follows the better of two registrations to the same event.
_REG_STATE = (
    "status",
    "checked_in_at",
    "checked_in_desk",
    "checked_out_at",
    "online_minutes",
    "waitlisted_at",
    "cancelled_at",
    "cancel_reason",
)
_FILL = (
    "wechat",
    "email",
    "butler_id",
    "birthday",
    "source",
    "consent_marketing_at",
    "consent_photos_at",
)
NAME_SIMILAR = 80  # rapidfuzz ratio from which two names count as "similar"


# --------------------------------------------------------------------------- finding


@dataclass(frozen=True, slots=True)
class DuplicatePair:
    a_id: uuid.UUID
    a_name: str
    b_id: uuid.UUID
    b_name: str
    reason: str  # English, e.g. "same plate 沪AD12345; similar name"
    score: float  # 0–100, higher = more likely the same person
    zh: str = ""  # the same in Chinese

    def localized(self, lang: str | None = None) -> str:
        return Said(self.reason, self.zh or None).localized(lang)

    def to_json(self) -> dict[str, Any]:
        return {
            "a_id": str(self.a_id),
            "a_name": self.a_name,
            "b_id": str(self.b_id),
            "b_name": self.b_name,
            "reason": self.localized(),
            "score": round(self.score, 1),
        }


def _reasons(found: list[tuple[str, dict[str, str]]], lang: str) -> str:
    return ("；" if lang == "zh" else "; ").join(text(c, lang, **p) for c, p in found)


def _name_key(name: str) -> str:
    return re.sub(r"[\s·.]", "", unicodedata.normalize("NFKC", name or "")).lower()


def name_similarity(a: str, b: str) -> float:
    """0–100: how alike two names are, ignoring spaces, dots, width and case."""
    return float(fuzz.ratio(_name_key(a), _name_key(b)))


def find_duplicates(db: Database, limit: int = 200) -> list[DuplicatePair]:
    """Pairs of people who are probably one person, most likely first."""
    found: dict[tuple[uuid.UUID, uuid.UUID], tuple[list[tuple[str, dict[str, str]]], float]] = {}
    names: dict[uuid.UUID, str] = {}

    def consider(
        group: list[tuple[uuid.UUID, str]],
        reason: tuple[str, dict[str, str]],
        base: float,
        need: float,
    ) -> None:
        for i, (a, an) in enumerate(group):
            for b, bn in group[i + 1 :]:
                if a == b:
                    continue
                sim = name_similarity(an, bn)
                if sim < need:
                    continue
                key = (a, b) if str(a) < str(b) else (b, a)
                names[a], names[b] = an, bn
                reasons, score = found.get(key, ([], 0.0))
                reasons.append(reason)
                found[key] = (reasons, max(score, base + sim * (100 - base) / 100) + 0)

    live = Person.deleted_at.is_(None)
    with db.read() as s:
        # Similar name + same plate (a spouse sharing a car has a different name).
        plates = (
            select(Vehicle.plate)
            .where(Vehicle.deleted_at.is_(None), Vehicle.plate.is_not(None))
            .group_by(Vehicle.plate)
            .having(func.count(func.distinct(Vehicle.person_id)) > 1)
        )
        groups: dict[str, list[tuple[uuid.UUID, str]]] = defaultdict(list)
        for plate, pid, name in s.execute(
            select(Vehicle.plate, Person.id, Person.name)
            .join(Person, Person.id == Vehicle.person_id)
            .where(live, Vehicle.deleted_at.is_(None), Vehicle.plate.in_(plates))
        ):
            groups[plate].append((pid, name))
        for plate, group in groups.items():
            consider(group, ("dup_plate", {"plate": plate}), 40, 60)
        # Same WeChat id or email + similar name.
        for col, code in ((Person.wechat, "dup_wechat"), (Person.email, "dup_email")):
            key = func.lower(col)
            dup = (
                select(key)
                .where(live, col.is_not(None), col != "")
                .group_by(key)
                .having(func.count() > 1)
            )
            groups = defaultdict(list)
            for value, pid, name in s.execute(
                select(key, Person.id, Person.name).where(live, key.in_(dup))
            ):
                groups[value].append((pid, name))
            for value, group in groups.items():
                consider(group, (code, {"value": value}), 50, NAME_SIMILAR)
        # Same last 8 digits in another country format (+86 vs +852, a typo in the code).
        tail = func.substr(Person.phone_rev, 1, 8)
        dup = (
            select(tail)
            .where(live, Person.phone_rev.is_not(None))
            .group_by(tail)
            .having(func.count() > 1)
        )
        groups = defaultdict(list)
        for value, pid, name in s.execute(
            select(tail, Person.id, Person.name).where(live, tail.in_(dup))
        ):
            groups[value].append((pid, name))
        for value, group in groups.items():
            consider(group, ("dup_phone_tail", {"digits": value[::-1]}), 30, NAME_SIMILAR)
    pairs = [
        DuplicatePair(
            a,
            names[a],
            b,
            names[b],
            _reasons(reasons, "en"),
            min(100.0, score + 5 * (len(reasons) - 1)),
            _reasons(reasons, "zh"),
        )
        for (a, b), (reasons, score) in found.items()
    ]
    pairs.sort(key=lambda p: (-p.score, p.a_name, str(p.a_id), str(p.b_id)))
    return pairs[: max(0, limit)]


# --------------------------------------------------------------------------- merging


@dataclass(frozen=True, slots=True)
class MergeReport:
    merge_id: uuid.UUID
    kept_id: uuid.UUID
    kept_name: str
    dropped_id: uuid.UUID
    dropped_name: str
    moved: dict[str, int]  # rows that now point at the survivor, per kind
    filled: tuple[str, ...]  # survivor fields filled from the dropped person
    conflicts: tuple[dict[str, Any], ...] = field(default_factory=tuple)
    undone: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "id": str(self.merge_id),
            "kept_id": str(self.kept_id),
            "kept_name": self.kept_name,
            "dropped_id": str(self.dropped_id),
            "dropped_name": self.dropped_name,
            "moved": dict(self.moved),
            # the import/merge report keys of DESIGN.md: one duplicate resolved, rows moved
            "created": 0,
            "updated": sum(self.moved.values()),
            "unchanged": 0,
            "duplicates": 0 if self.undone else 1,
            "rejected": [],
            "filled": list(self.filled),
            "conflicts": list(self.conflicts),
            "undone": self.undone,
        }

    def summary(self) -> str:
        if self.undone:
            return f"merge undone: {self.dropped_name} ({self.dropped_id}) is separate again"
        moved = ", ".join(f"{k} {v}" for k, v in self.moved.items() if v) or "nothing to move"
        text = f"merged {self.dropped_name} into {self.kept_name} ({self.kept_id}): {moved}"
        if self.conflicts:
            text += f"; {len(self.conflicts)} double registration(s) resolved"
        return text


def _enc(value: Any) -> Any:
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _dec(table: str, col: str, value: Any) -> Any:
    if value is None:
        return None
    kind = _MODELS[table].__table__.c[col].type
    if isinstance(kind, Uuid):
        return uuid.UUID(value)
    if isinstance(kind, UTCDateTime):
        return datetime.fromisoformat(value)
    if isinstance(kind, Date):
        return date.fromisoformat(value)
    return value


class _Recorder:
    """Sets columns one at a time (flushing, so unique keys change in a safe order) and
    remembers each old value for undo."""

    def __init__(self, s: Session) -> None:
        self.s = s
        self.changes: list[dict[str, Any]] = []

    def set(self, row: Any, col: str, value: Any) -> bool:
        old = getattr(row, col)
        if old == value:
            return False
        self.changes.append({"t": row.__tablename__, "id": str(row.id), "c": col, "old": _enc(old)})
        setattr(row, col, value)
        self.s.flush()
        return True


def _active_person(s: Session, ident: str | uuid.UUID, what: str) -> Person:
    p = s.get(Person, parse_id(ident, "person"))
    if p is None:
        raise NotFound("person", ident)
    if p.deleted_at is not None:
        raise RuleViolation(code="merge_gone", name=p.name)
    return p


def _attended(r: Registration) -> bool:
    return r.status == RegistrationStatus.ATTENDED or r.checked_in_at is not None


def _reg_rank(r: Registration) -> int:
    if r.deleted_at is not None:
        return 0
    return 5 if _attended(r) else _STATUS_RANK.get(r.status, 1)


def merge_people(
    db: Database, keep_id: str | uuid.UUID, drop_id: str | uuid.UUID, actor: object = None
) -> MergeReport:
    """Merge `drop_id` into `keep_id` in one transaction; audited; undoable."""
    require(db, actor, Permission.MERGES)
    with db.write() as s:
        keep = _active_person(s, keep_id, "keep")
        drop = _active_person(s, drop_id, "drop")
        if keep.id == drop.id:
            raise ValidationError("person", "merge_same")
        rec = _Recorder(s)
        now = now_utc()
        moved: dict[str, int] = defaultdict(int)
        conflicts: list[dict[str, Any]] = []
        _merge_registrations(s, rec, keep, drop, now, moved, conflicts)
        _merge_simple(s, rec, keep, drop, moved)
        _merge_memberships(s, rec, keep, drop, now, moved)
        _merge_invitations(s, rec, keep, drop, now, moved)
        filled = _fill_blanks(s, rec, keep, drop)
        added_tags = sorted({t.tag for t in drop.tags} - {t.tag for t in keep.tags})
        for tag in added_tags:
            s.add(PersonTag(person_id=keep.id, tag=tag))
        s.flush()
        rec.set(drop, "merged_into_id", keep.id)
        rec.set(drop, "deleted_at", now)
        _retier(s, rec, keep)
        snapshot = {
            "changes": rec.changes,
            "added_tags": added_tags,
            "conflicts": conflicts,
            "moved": dict(moved),
            "filled": filled,
        }
        m = PersonMerge(kept_id=keep.id, dropped_id=drop.id, snapshot=snapshot)
        stamp_origin(s, m)
        s.add(m)
        s.flush()
        audit(
            s,
            "person.merge",
            "person",
            keep.id,
            {
                "merge_id": str(m.id),
                "dropped_id": str(drop.id),
                "dropped_name": drop.name,
                "moved": dict(moved),
                "conflicts": conflicts,
            },
            actor,
        )
        return MergeReport(
            m.id,
            keep.id,
            keep.name,
            drop.id,
            drop.name,
            dict(moved),
            tuple(filled),
            tuple(conflicts),
        )


def _merge_registrations(
    s: Session,
    rec: _Recorder,
    keep: Person,
    drop: Person,
    now: datetime,
    moved: dict[str, int],
    conflicts: list[dict[str, Any]],
) -> None:
    mine = {
        r.event_id: r
        for r in s.scalars(select(Registration).where(Registration.person_id == keep.id))
    }
    for r in s.scalars(
        select(Registration).where(Registration.person_id == drop.id).order_by(Registration.id)
    ).all():
        kept = mine.get(r.event_id)
        if kept is None:
            rec.set(r, "person_id", keep.id)
            moved["registrations"] += 1
            continue
        # Both were registered to one event: one registration survives, with the better
        # status (attended > registered > no-show > waitlisted > cancelled).
        take_dropped = _reg_rank(r) > _reg_rank(kept)
        conflicts.append(
            {
                "event_id": str(r.event_id),
                "kept_status": kept.status,
                "dropped_status": r.status,
                "result_status": r.status if take_dropped else kept.status,
            }
        )
        if take_dropped:
            for col in _REG_STATE:
                rec.set(kept, col, getattr(r, col))
            code = r.ticket_code
            if code:
                rec.set(r, "ticket_code", None)
                rec.set(kept, "ticket_code", code)
            if kept.deleted_at is not None:
                rec.set(kept, "deleted_at", None)
            for model in (
                ScanLog,
                Ticket,
                PointsEntry,
                Feedback,
                OnlineAttendance,
                Invitation,
                Payment,
            ):
                for child in s.scalars(select(model).where(model.registration_id == r.id)).all():
                    rec.set(child, "registration_id", kept.id)
        if r.deleted_at is None:
            rec.set(r, "deleted_at", now)
    for r in s.scalars(select(Registration).where(Registration.referred_by_id == drop.id)).all():
        rec.set(r, "referred_by_id", keep.id)
        moved["registration_referrals"] += 1


def _merge_simple(
    s: Session, rec: _Recorder, keep: Person, drop: Person, moved: dict[str, int]
) -> None:
    for label, model in (
        ("vehicles", Vehicle),
        ("points", PointsEntry),
        ("feedback", Feedback),
        ("online_attendance", OnlineAttendance),
        ("payments", Payment),  # issue 15
        ("vouchers", Voucher),
    ):
        for row in s.scalars(select(model).where(model.person_id == drop.id)).all():
            rec.set(row, "person_id", keep.id)
            moved[label] += 1
    for p in s.scalars(select(Person).where(Person.referred_by_id == drop.id)).all():
        rec.set(p, "referred_by_id", None if p.id == keep.id else keep.id)
        moved["referrals"] += p.id != keep.id


def _merge_memberships(
    s: Session, rec: _Recorder, keep: Person, drop: Person, now: datetime, moved: dict[str, int]
) -> None:
    mine = {
        m.club_id: m
        for m in s.scalars(select(ClubMembership).where(ClubMembership.person_id == keep.id))
    }
    for m in s.scalars(
        select(ClubMembership)
        .where(ClubMembership.person_id == drop.id)
        .order_by(ClubMembership.id)
    ).all():
        kept = mine.get(m.club_id)
        if kept is None:
            rec.set(m, "person_id", keep.id)
            moved["club_memberships"] += 1
            continue
        if m.deleted_at is None:
            if kept.deleted_at is not None:
                rec.set(kept, "deleted_at", None)
                rec.set(kept, "role", m.role)
                rec.set(kept, "joined_on", m.joined_on)
            else:
                if _ROLE_RANK.get(m.role, 0) > _ROLE_RANK.get(kept.role, 0):
                    rec.set(kept, "role", m.role)
                if m.joined_on and (kept.joined_on is None or m.joined_on < kept.joined_on):
                    rec.set(kept, "joined_on", m.joined_on)
            rec.set(m, "deleted_at", now)
            moved["club_memberships"] += 1


def _merge_invitations(
    s: Session, rec: _Recorder, keep: Person, drop: Person, now: datetime, moved: dict[str, int]
) -> None:
    mine = {
        i.event_id for i in s.scalars(select(Invitation).where(Invitation.person_id == keep.id))
    }
    for inv in s.scalars(select(Invitation).where(Invitation.person_id == drop.id)).all():
        if inv.event_id in mine:
            if inv.deleted_at is None:
                rec.set(inv, "deleted_at", now)  # the survivor is on that call list already
            continue
        rec.set(inv, "person_id", keep.id)
        moved["invitations"] += 1


def _fill_blanks(s: Session, rec: _Recorder, keep: Person, drop: Person) -> list[str]:
    filled: list[str] = []
    if not keep.phone and drop.phone:
        phone = drop.phone
        rec.set(drop, "phone", None)  # unique: free it first
        rec.set(keep, "phone", phone)
        filled.append("phone")
    for col in _FILL:
        if getattr(keep, col) in (None, "") and getattr(drop, col) not in (None, ""):
            rec.set(keep, col, getattr(drop, col))
            filled.append(col)
    ref = drop.referred_by_id
    if keep.referred_by_id is None and ref is not None and ref not in (keep.id, drop.id):
        rec.set(keep, "referred_by_id", ref)
        filled.append("referred_by_id")
    if not (keep.notes or "").strip() and (drop.notes or "").strip():
        rec.set(keep, "notes", drop.notes)
        filled.append("notes")
    if _STAGE_RANK.get(drop.stage, 0) > _STAGE_RANK.get(keep.stage, 0):
        rec.set(keep, "stage", drop.stage)
        rec.set(keep, "stage_changed_at", now_utc())
        filled.append("stage")
    return filled


def _retier(s: Session, rec: _Recorder, keep: Person) -> None:
    earned = points_service.tier_points_in(s, keep.id)
    tier = points_service.thresholds_in(s).tier_for(earned)
    if (keep.tier or "none") != tier:
        rec.set(keep, "tier", tier)
        rec.set(keep, "tier_changed_at", now_utc())


# --------------------------------------------------------------------------- undo


def list_merges(db: Database, limit: int = 50) -> list[MergeReport]:
    """Recent merges, newest first (undone ones flagged)."""
    with db.read() as s:
        rows = s.scalars(
            select(PersonMerge).order_by(PersonMerge.created_at.desc(), PersonMerge.id).limit(limit)
        ).all()
        return [_report(s, m) for m in rows]


def _report(s: Session, m: PersonMerge) -> MergeReport:
    keep = s.get(Person, m.kept_id)
    drop = s.get(Person, m.dropped_id)
    snap = m.snapshot or {}
    return MergeReport(
        m.id,
        m.kept_id,
        keep.name if keep else "?",
        m.dropped_id,
        drop.name if drop else "?",
        dict(snap.get("moved", {})),
        tuple(snap.get("filled", ())),
        tuple(snap.get("conflicts", ())),
        m.undone_at is not None,
    )


def undo_last_merge(db: Database, actor: object = None) -> MergeReport:
    """Undo the most recent merge not yet undone: every changed column gets its old value
    back, the dropped person reappears with their phone, vehicles, registrations…

    Repeat to undo earlier merges too. Refused (nothing changed) when a later change makes
    the old values impossible, e.g. the phone was given to someone else meanwhile.
    """
    require(db, actor, Permission.MERGES)
    with db.write() as s:
        # a merge of people who were erased since cannot be undone (its record was emptied)
        m = next(
            (
                c
                for c in s.scalars(
                    select(PersonMerge)
                    .where(PersonMerge.undone_at.is_(None))
                    .order_by(PersonMerge.created_at.desc(), PersonMerge.id.desc())
                )
                if not (c.snapshot or {}).get("erased")
            ),
            None,
        )
        if m is None:
            raise RuleViolation(code="nothing_to_undo")
        snap = m.snapshot or {}
        try:
            for tag in snap.get("added_tags", ()):
                row = s.get(PersonTag, (m.kept_id, tag))
                if row is not None:
                    s.delete(row)
            s.flush()
            for ch in reversed(snap.get("changes", [])):
                model = _MODELS[ch["t"]]
                row = s.get(model, uuid.UUID(ch["id"]))
                if row is None:
                    raise RuleViolation(
                        code="undo_blocked", detail=f"{ch['t']} {ch['id']} no longer exists"
                    )
                setattr(row, ch["c"], _dec(ch["t"], ch["c"], ch["old"]))
                s.flush()
        except sa_exc.IntegrityError as exc:
            raise RuleViolation(code="undo_blocked", detail=first_line(exc)) from None
        m.undone_at = now_utc()
        s.flush()
        keep = s.get(Person, m.kept_id)
        if keep is not None:
            points_service.recompute_tier_in(s, keep)
        drop = s.get(Person, m.dropped_id)
        if drop is not None:
            points_service.recompute_tier_in(s, drop)
        audit(
            s,
            "person.unmerge",
            "person",
            m.kept_id,
            {"merge_id": str(m.id), "dropped_id": str(m.dropped_id)},
            actor,
        )
        return _report(s, m)
