"""The points ledger: rows are only added; balance = sum(delta); tier derives from the
points earned (the balance without what was spent on perks: spending never lowers a tier).

`award_points(s, ...)` works inside another service's transaction (check-in awards the
event's points in the same unit of work as the scan). Every ledger change recomputes the
person's tier and stamps `tier_changed_at` when it moves (the Today screen lists them).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Uuid, bindparam, func, insert, select, update
from sqlalchemy.orm import Session

from desktop_app.domain.errors import NotFound, ValidationError
from desktop_app.domain.ids import new_id
from desktop_app.domain.messages import text as message
from desktop_app.domain.points import SETTING_KEY, TierThresholds
from desktop_app.domain.roles import Permission
from desktop_app.domain.timeutil import now_utc
from desktop_app.services.auth import require
from desktop_app.services.common import audit, parse_id, stamp_origin
from desktop_app.store import driver
from desktop_app.store.db import Database
from desktop_app.store.models import Person, PointsEntry, Setting

REASON_MAX = 300
# Ledger kinds: manual (staff adjustment, audited), checkin (event attendance), undo
# (reversal of a check-in award), referral, import, merge. Free text beyond these is kept.
KINDS = ("manual", "checkin", "undo", "referral", "import", "merge", "redeem", "redeem_cancel")
# issue 15: points spent on partner perks (redeem −, a cancelled voucher's refund +) are out
# of the tier's basis: a Gold member who buys a car wash stays Gold.
SPENDING_KINDS = ("redeem", "redeem_cancel")
TIER_BASIS = PointsEntry.kind.not_in(SPENDING_KINDS)
# Reasons services/perks.py writes (stored in English, shown in the reader's language).
REDEEM_PREFIX, REDEEM_CANCEL_PREFIX = "perk: ", "perk cancelled: "
_SPENDING = ((REDEEM_CANCEL_PREFIX, "points_redeem_cancel"), (REDEEM_PREFIX, "points_redeem"))
# Reasons the check-in desk writes (stored in English, shown in the reader's language).
_GENERATED = (("check-in undone: ", "points_checkin_undone"), ("check-in: ", "points_checkin"))


def checkin_reason(kind: str, event_title: str) -> str:
    """The stored reason of a check-in award ("checkin") or its reversal ("undo")."""
    prefix = _GENERATED[0][0] if kind == "undo" else _GENERATED[1][0]
    return (prefix + event_title)[:REASON_MAX]


def reason_text(kind: str, reason: str, lang: str | None = None) -> str:
    """A ledger row's reason for a reader: the desk's own reasons in their language,
    staff's free text as they typed it."""
    if kind in ("checkin", "undo"):
        for prefix, code in _GENERATED:
            if reason.startswith(prefix):
                return message(code, lang, event=reason[len(prefix) :])
    if kind in SPENDING_KINDS:  # issue 15: "perk: 洁速洗车 · 精洗一次 (6TN3-4V76)"
        for prefix, code in _SPENDING:
            if reason.startswith(prefix):
                return message(code, lang, what=reason[len(prefix) :])
    return reason


@dataclass(frozen=True, slots=True)
class LedgerEntry:
    id: uuid.UUID
    person_id: uuid.UUID
    delta: int
    reason: str
    kind: str
    registration_id: uuid.UUID | None
    staff_id: uuid.UUID | None
    created_at: datetime
    balance_after: int  # running balance up to and including this row

    def to_json(self) -> dict[str, object]:
        return {
            "id": str(self.id),
            "person_id": str(self.person_id),
            "delta": self.delta,
            "reason": self.reason,
            "kind": self.kind,
            "registration_id": str(self.registration_id) if self.registration_id else None,
            "staff_id": str(self.staff_id) if self.staff_id else None,
            "created_at": self.created_at.isoformat(),
            "balance_after": self.balance_after,
        }


@dataclass(frozen=True, slots=True)
class PointsChange:
    """What one ledger change did: the new balance and tier, and whether the tier moved."""

    entry_id: uuid.UUID
    person_id: uuid.UUID
    delta: int
    balance: int
    tier: str
    previous_tier: str
    tier_changed: bool

    def to_json(self) -> dict[str, object]:
        return {
            "id": str(self.entry_id),
            "person_id": str(self.person_id),
            "delta": self.delta,
            "balance": self.balance,
            "tier": self.tier,
            "previous_tier": self.previous_tier,
            "tier_changed": self.tier_changed,
        }


@dataclass(frozen=True, slots=True)
class TierChange:
    person_id: uuid.UUID
    name: str
    tier: str
    tier_changed_at: datetime
    balance: int


# --------------------------------------------------------------------------- thresholds


def thresholds_in(s: Session) -> TierThresholds:
    row = s.get(Setting, SETTING_KEY)
    return TierThresholds.from_json(row.value if row else None)


def get_thresholds(db: Database) -> TierThresholds:
    """The tier thresholds in force (settings key "tiers"; defaults 500 / 2000 / 5000)."""
    with db.read() as s:
        return thresholds_in(s)


def set_thresholds(
    db: Database, silver: int, gold: int, platinum: int, actor: object = None
) -> TierThresholds:
    """Store new thresholds and re-derive every person's tier from their balance."""
    require(db, actor, Permission.SETTINGS)
    try:
        new = TierThresholds(int(silver), int(gold), int(platinum))
    except (TypeError, ValueError):
        raise ValidationError("tiers", "tier_thresholds") from None
    with db.write() as s:
        row = s.get(Setting, SETTING_KEY)
        old = TierThresholds.from_json(row.value if row else None)
        if row is None:
            s.add(Setting(key=SETTING_KEY, value=new.to_json()))
        else:
            row.value = new.to_json()
        s.flush()
        changed = _recompute_all(s, new)
        audit(
            s,
            "points.tiers",
            "settings",
            SETTING_KEY,
            {"old": old.to_json(), "new": new.to_json(), "people_changed": changed},
            actor,
        )
    return new


def _recompute_all(s: Session, thresholds: TierThresholds) -> int:
    balances = dict(
        s.execute(
            select(PointsEntry.person_id, func.sum(PointsEntry.delta))
            .where(TIER_BASIS)
            .group_by(PointsEntry.person_id)
        ).all()
    )
    now = now_utc()
    changed = 0
    for p in s.scalars(select(Person).where(Person.deleted_at.is_(None))):
        tier = thresholds.tier_for(int(balances.get(p.id) or 0))
        if (p.tier or "none") != tier:
            p.tier = tier
            p.tier_changed_at = now
            changed += 1
    return changed


# --------------------------------------------------------------------------- ledger


def balance_in(s: Session, person_id: uuid.UUID) -> int:
    total = s.scalar(
        select(func.coalesce(func.sum(PointsEntry.delta), 0)).where(
            PointsEntry.person_id == person_id
        )
    )
    return int(total or 0)


def tier_points_in(s: Session, person_id: uuid.UUID) -> int:
    """The points a tier is measured by: everything earned, nothing spent on perks."""
    total = s.scalar(
        select(func.coalesce(func.sum(PointsEntry.delta), 0)).where(
            PointsEntry.person_id == person_id, TIER_BASIS
        )
    )
    return int(total or 0)


def recompute_tier_in(s: Session, person: Person) -> tuple[str, str, int]:
    """Set person.tier from the ledger; returns (previous tier, tier, balance)."""
    s.flush()
    balance = balance_in(s, person.id)
    tier = thresholds_in(s).tier_for(tier_points_in(s, person.id))
    previous = person.tier or "none"
    if previous != tier:
        person.tier = tier
        person.tier_changed_at = now_utc()
    elif person.tier is None:
        person.tier = tier  # "none" written once, without counting it as a change
    return previous, tier, balance


def award_points(
    s: Session,
    person_id: uuid.UUID,
    delta: int,
    reason: str,
    kind: str = "manual",
    registration_id: uuid.UUID | None = None,
    staff_id: uuid.UUID | None = None,
) -> PointsChange:
    """Add one ledger row INSIDE the caller's transaction and re-derive the tier.

    No audit row here: the calling service audits its own action (a check-in, a manual
    adjustment). Raises NotFound for an unknown or merged-away person.
    """
    person = s.get(Person, person_id)
    if person is None or person.deleted_at is not None:
        raise NotFound("person", person_id)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("reason", "reason_required")
    if len(reason) > REASON_MAX:
        raise ValidationError("reason", "too_long", max=REASON_MAX)
    entry = PointsEntry(
        person_id=person.id,
        delta=int(delta),
        reason=reason,
        kind=kind,
        registration_id=registration_id,
        staff_id=staff_id,
    )
    stamp_origin(s, entry)
    s.add(entry)
    previous, tier, balance = recompute_tier_in(s, person)
    return PointsChange(entry.id, person.id, int(delta), balance, tier, previous, previous != tier)


def award_inputs(person_id: Any) -> tuple[Any, Any, Any]:
    """(balance, points earned, tier thresholds) for award_points_core as scalar subqueries
    on `person_id` (a bind parameter, or a column of the caller's own query: the check-in
    desk reads them with the ticket, in the same round trip). Earned = the tier's basis:
    the balance without points spent on perks (TIER_BASIS)."""
    balance = (
        select(func.coalesce(func.sum(PointsEntry.delta), 0))
        .where(PointsEntry.person_id == person_id)
        .scalar_subquery()
    )
    earned = (
        select(func.coalesce(func.sum(PointsEntry.delta), 0))
        .where(PointsEntry.person_id == person_id, TIER_BASIS)
        .scalar_subquery()
    )
    tiers = select(Setting.value).where(Setting.key == SETTING_KEY).scalar_subquery()
    return balance, earned, tiers


# Built once: the check-in desk awards points on every accepted scan (hot path).
_PID = bindparam("pid", type_=Uuid())
_BEFORE_AWARD = select(Person.tier, *award_inputs(_PID)).where(
    Person.id == _PID, Person.deleted_at.is_(None)
)
_LEDGER_INSERT = insert(PointsEntry.__table__)
_SET_TIER = update(Person.__table__).where(Person.id == bindparam("b_pid", type_=Uuid()))


def award_points_core(
    s: Session,
    person_id: uuid.UUID,
    delta: int,
    reason: str,
    kind: str,
    registration_id: uuid.UUID | None,
    staff_id: uuid.UUID | None,
    origin: tuple[str | None, str | None],
    before: tuple[str | None, int, int, Any] | None = None,
) -> PointsChange:
    """award_points() in two statements (one SELECT, one INSERT; an UPDATE only when the
    tier moves; award_writes) and no ORM objects: the same rows, for the check-in desk.
    `before`: as for award_writes, read here when not given. Falls back to award_points
    when the session holds ORM state for this person (or unflushed changes), so the
    identity map never goes stale.
    """
    if s.new or s.dirty or s.deleted or s.identity_key(Person, person_id) in s.identity_map:
        return award_points(s, person_id, delta, reason, kind, registration_id, staff_id)
    conn = s.connection()
    row = before if before is not None else conn.execute(_BEFORE_AWARD, {"pid": person_id}).first()
    if row is None:
        raise NotFound("person", person_id)
    args = (person_id, delta, reason, kind, registration_id, staff_id, origin)
    change, writes = award_writes(*args, (row[0], row[1], row[2], row[3]))
    for stmt, params in writes:
        driver.run(conn, stmt, params)
    return change


def award_writes(
    person_id: uuid.UUID,
    delta: int,
    reason: str,
    kind: str,
    registration_id: uuid.UUID | None,
    staff_id: uuid.UUID | None,
    origin: tuple[str | None, str | None],
    before: tuple[str | None, int, int, Any],
) -> tuple[PointsChange, list[tuple[Any, dict[str, Any]]]]:
    """An award as the statements that make it — the ledger row, and the person's tier
    when it moves — with the change they make, for the caller to run (the desk sends
    them with the scan's other writes). `origin` is (dealer code, device id) as
    stamp_origin would set them; `before` the person's (stored tier, balance, points
    earned, tier thresholds) read in the caller's transaction (award_inputs)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("reason", "reason_required")
    if len(reason) > REASON_MAX:
        raise ValidationError("reason", "too_long", max=REASON_MAX)
    stored_tier, before_balance, earned, tiers = before
    entry_id = new_id()
    writes: list[tuple[Any, dict[str, Any]]] = [
        (
            _LEDGER_INSERT,
            {
                "id": entry_id,
                "person_id": person_id,
                "delta": int(delta),
                "reason": reason,
                "kind": kind,
                "registration_id": registration_id,
                "staff_id": staff_id,
                "origin_dealer": origin[0],
                "origin_device": origin[1],
            },
        )
    ]
    balance = int(before_balance or 0) + int(delta)
    basis = int(earned or 0) + (0 if kind in SPENDING_KINDS else int(delta))
    tier = TierThresholds.from_json(tiers).tier_for(basis)
    previous = stored_tier or "none"
    if previous != tier:
        writes.append((_SET_TIER, {"b_pid": person_id, "tier": tier, "tier_changed_at": now_utc()}))
    elif stored_tier is None:
        writes.append((_SET_TIER, {"b_pid": person_id, "tier": tier}))
    change = PointsChange(
        entry_id, person_id, int(delta), balance, tier, previous, previous != tier
    )
    return change, writes


def adjust_points(
    db: Database, person_id: str | uuid.UUID, delta: int, reason: str, actor: object = None
) -> PointsChange:
    """A staff member's manual adjustment: needs a non-zero delta and a reason; audited."""
    require(db, actor, Permission.POINTS)
    pid = parse_id(person_id, "person")
    try:
        delta = int(delta)
    except (TypeError, ValueError):
        raise ValidationError("delta", "not_number") from None
    if delta == 0:
        raise ValidationError("delta", "zero_points")
    if not (reason or "").strip():
        raise ValidationError("reason", "reason_required")
    with db.write() as s:
        change = award_points(s, pid, delta, reason, "manual", staff_id=getattr(actor, "id", None))
        audit(
            s,
            "points.adjust",
            "person",
            pid,
            {
                "delta": delta,
                "reason": reason.strip(),
                "balance": change.balance,
                "tier": change.tier,
            },
            actor,
        )
        return change


def balance(db: Database, person_id: str | uuid.UUID) -> int:
    with db.read() as s:
        return balance_in(s, parse_id(person_id, "person"))


def history_in(s: Session, person_id: uuid.UUID) -> list[LedgerEntry]:
    rows = s.scalars(
        select(PointsEntry)
        .where(PointsEntry.person_id == person_id)
        .order_by(PointsEntry.created_at, PointsEntry.id)
    ).all()
    out: list[LedgerEntry] = []
    running = 0
    for r in rows:
        running += r.delta
        out.append(
            LedgerEntry(
                r.id,
                r.person_id,
                r.delta,
                r.reason,
                r.kind,
                r.registration_id,
                r.staff_id,
                r.created_at,
                running,
            )
        )
    return out


def history(db: Database, person_id: str | uuid.UUID) -> list[LedgerEntry]:
    """A person's ledger, oldest first, with the running balance."""
    with db.read() as s:
        return history_in(s, parse_id(person_id, "person"))


def tier_changes(db: Database, since: datetime, limit: int = 200) -> list[TierChange]:
    """People whose tier changed at or after `since`, newest first (Today screen)."""
    with db.read() as s:
        people = s.scalars(
            select(Person)
            .where(
                Person.deleted_at.is_(None),
                Person.tier_changed_at.is_not(None),
                Person.tier_changed_at >= since,
            )
            .order_by(Person.tier_changed_at.desc())
            .limit(limit)
        ).all()
        return [
            TierChange(p.id, p.name, p.tier or "none", p.tier_changed_at, balance_in(s, p.id))  # type: ignore[arg-type]
            for p in people
        ]
