"""Partner perks (异业合作) redeemed with points: partners, perks, signed vouchers.

See docs/perks.md. Redeeming debits the points ledger and issues a signed voucher (payload
`V1…`, domain/voucher.py) in ONE transaction: the person's row is locked first (two desks
spending the same person's points wait for each other, so the balance never goes below
zero), then one conditional UPDATE takes an item of stock (`issued < stock`: the last item
goes to exactly one desk). The partner verifies and consumes the voucher (one conditional
UPDATE again: consumed once); cancelling an unused voucher gives the points and the stock
back. Spent points do not lower a member's tier (services/points.TIER_BASIS).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from desktop_app.domain import voucher as payload
from desktop_app.domain.errors import NotFound, RuleViolation, ValidationError
from desktop_app.domain.messages import TierWord
from desktop_app.domain.points import TIER_RANK, TIERS
from desktop_app.domain.roles import Permission
from desktop_app.domain.timeutil import now_utc, zone
from desktop_app.services.auth import require
from desktop_app.services.common import audit, parse_id, stamp_origin
from desktop_app.services.points import (
    REDEEM_CANCEL_PREFIX,
    REDEEM_PREFIX,
    award_points,
    balance_in,
)
from desktop_app.store.db import Database
from desktop_app.store.models import DealerProfile, Partner, Perk, Person, Voucher

NAME_MAX = 200
TEXT_MAX = 200
REDEEM, REDEEM_CANCEL = "redeem", "redeem_cancel"  # points ledger kinds


# --------------------------------------------------------------------------- results


@dataclass(frozen=True, slots=True)
class PartnerView:
    id: uuid.UUID
    name: str
    contact: str | None
    city: str | None
    notes: str
    perks: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "name": self.name,
            "contact": self.contact,
            "city": self.city,
            "notes": self.notes,
            "perks": self.perks,
        }


@dataclass(frozen=True, slots=True)
class PerkView:
    id: uuid.UUID
    partner_id: uuid.UUID
    partner: str
    name: str
    description: str
    points: int
    stock: int
    issued: int
    min_tier: str | None
    per_person_limit: int | None
    valid_from: date | None
    valid_until: date | None
    active: bool

    @property
    def stock_left(self) -> int:
        return max(0, self.stock - self.issued)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "partner_id": str(self.partner_id),
            "partner": self.partner,
            "name": self.name,
            "description": self.description,
            "points": self.points,
            "stock": self.stock,
            "issued": self.issued,
            "stock_left": self.stock_left,
            "tier": self.min_tier,
            "per_person_limit": self.per_person_limit,
            "valid_from": self.valid_from.isoformat() if self.valid_from else None,
            "valid_until": self.valid_until.isoformat() if self.valid_until else None,
            "active": self.active,
        }


@dataclass(frozen=True, slots=True)
class VoucherView:
    id: uuid.UUID
    code: str
    short_code: str
    perk_id: uuid.UUID
    perk: str
    partner_id: uuid.UUID
    partner: str
    person_id: uuid.UUID
    name: str
    points: int
    issued_at: datetime
    valid_until: datetime | None
    consumed_at: datetime | None
    consumed_by: str | None
    cancelled_at: datetime | None
    status: str  # valid | consumed | expired | cancelled (now)
    timezone: str = "Asia/Shanghai"  # the dealer's: what "the last day" means

    @property
    def last_day(self) -> date | None:
        """The last day it can be used, in the dealer's time zone (valid_until is the
        midnight that ends it)."""
        if self.valid_until is None:
            return None
        return (self.valid_until - timedelta(seconds=1)).astimezone(zone(self.timezone)).date()

    def to_json(self) -> dict[str, Any]:
        def iso(x: datetime | None) -> str | None:
            return x.isoformat() if x else None

        return {
            "id": str(self.id),
            "code": self.code,
            "short_code": payload.format_short_code(self.short_code),
            "perk_id": str(self.perk_id),
            "perk": self.perk,
            "partner_id": str(self.partner_id),
            "partner": self.partner,
            "person_id": str(self.person_id),
            "name": self.name,
            "points": self.points,
            "issued_at": iso(self.issued_at),
            "valid_until": iso(self.valid_until),
            "consumed_at": iso(self.consumed_at),
            "consumed_by": self.consumed_by,
            "cancelled_at": iso(self.cancelled_at),
            "status": self.status,
        }


@dataclass(frozen=True, slots=True)
class RedeemResult:
    voucher: VoucherView
    balance: int  # the person's points after redeeming

    def to_json(self) -> dict[str, Any]:
        v = self.voucher
        return {
            "code": v.code,
            "perk_id": str(v.perk_id),
            "person_id": str(v.person_id),
            "points": v.points,
            "voucher_id": str(v.id),
            "short_code": payload.format_short_code(v.short_code),
            "perk": v.perk,
            "partner": v.partner,
            "name": v.name,
            "valid_until": v.valid_until.isoformat() if v.valid_until else None,
            "balance": self.balance,
        }


@dataclass(frozen=True, slots=True)
class VerifyResult:
    """What `paddock perk verify` and the Redeem voucher screen say about a code."""

    result: str  # valid | consumed | expired | cancelled | invalid | unknown
    code: str
    reason: str | None = None  # invalid: why, in English
    voucher: VoucherView | None = None
    consumed_now: bool = False  # this call consumed it

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "result": self.result,
            "code": self.code,
            "reason": self.reason,
            "consumed": self.consumed_now,
        }
        if self.voucher is not None:
            v = self.voucher.to_json()
            out |= {k: v[k] for k in v if k not in ("code", "status")}
            out["voucher_id"] = out.pop("id")
        return out


@dataclass(frozen=True, slots=True)
class PerkReportRow:
    partner_id: uuid.UUID
    partner: str
    perk_id: uuid.UUID
    perk: str
    points: int
    redeemed: int  # vouchers issued and not cancelled
    consumed: int
    cancelled: int
    points_spent: int
    stock: int
    stock_left: int

    def to_json(self) -> dict[str, Any]:
        return {
            "partner_id": str(self.partner_id),
            "partner": self.partner,
            "perk_id": str(self.perk_id),
            "perk": self.perk,
            "points": self.points,
            "redeemed": self.redeemed,
            "consumed": self.consumed,
            "cancelled": self.cancelled,
            "points_spent": self.points_spent,
            "stock": self.stock,
            "stock_left": self.stock_left,
        }


@dataclass(frozen=True, slots=True)
class PerkReport:
    rows: tuple[PerkReportRow, ...]

    @property
    def by_partner(self) -> list[dict[str, Any]]:
        out: dict[uuid.UUID, dict[str, Any]] = {}
        for r in self.rows:
            p = out.setdefault(
                r.partner_id,
                {
                    "partner_id": str(r.partner_id),
                    "partner": r.partner,
                    "redeemed": 0,
                    "consumed": 0,
                    "cancelled": 0,
                    "points_spent": 0,
                    "stock_left": 0,
                },
            )
            for k in ("redeemed", "consumed", "cancelled", "points_spent", "stock_left"):
                p[k] += getattr(r, k)
        return list(out.values())

    def to_json(self) -> dict[str, Any]:
        return {
            "items": [r.to_json() for r in self.rows],
            "partners": self.by_partner,
            "redeemed": sum(r.redeemed for r in self.rows),
            "consumed": sum(r.consumed for r in self.rows),
            "points_spent": sum(r.points_spent for r in self.rows),
            "stock_left": sum(r.stock_left for r in self.rows),
        }


# --------------------------------------------------------------------------- input


def _name(value: str | None, fld: str = "name") -> str:
    text = (value or "").strip()
    if not text:
        raise ValidationError(fld, "required")
    if len(text) > NAME_MAX:
        raise ValidationError(fld, "too_long", max=NAME_MAX)
    return text


def _opt(value: str | None, fld: str, limit: int = TEXT_MAX) -> str | None:
    text = (value or "").strip()
    if len(text) > limit:
        raise ValidationError(fld, "too_long", max=limit)
    return text or None


def _whole(value: object, fld: str, minimum: int) -> int:
    try:
        n = int(str(value).strip())
    except (TypeError, ValueError):
        raise ValidationError(fld, "not_number") from None
    if n < minimum:
        raise ValidationError(fld, "not_positive", min=minimum)
    return n


def _tier(value: str | None) -> str | None:
    t = (value or "").strip().lower()
    if not t or t == "none":
        return None
    if t not in TIERS:
        raise ValidationError("tier", "bad_choice", choices=", ".join(TIERS[1:]))
    return t


def _day(value: date | str | None, fld: str) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip().replace("/", "-"))
    except ValueError:
        raise ValidationError(fld, "bad_date") from None


def _tz(s: Session) -> str:
    profile = s.get(DealerProfile, 1)
    return profile.timezone if profile else "Asia/Shanghai"


def _today(s: Session) -> date:
    return now_utc().astimezone(zone(_tz(s))).date()


def _end_of(s: Session, day: date | None) -> datetime | None:
    """The instant a voucher valid through `day` (dealer's time zone) stops being valid."""
    if day is None:
        return None
    return datetime.combine(day + timedelta(days=1), time(), tzinfo=zone(_tz(s))).astimezone(UTC)


# --------------------------------------------------------------------------- partners


def _partner_view(s: Session, p: Partner) -> PartnerView:
    n = s.scalar(
        select(func.count())
        .select_from(Perk)
        .where(Perk.partner_id == p.id, Perk.deleted_at.is_(None))
    )
    return PartnerView(p.id, p.name, p.contact, p.city, p.notes, int(n or 0))


def add_partner(
    db: Database,
    name: str,
    contact: str | None = None,
    city: str | None = None,
    notes: str = "",
    actor: object = None,
) -> PartnerView:
    """A new partner (`paddock partner add`)."""
    require(db, actor, Permission.PERKS)
    row = Partner(
        name=_name(name),
        contact=_opt(contact, "contact"),
        city=_opt(city, "city", 100),
        notes=(notes or "").strip(),
    )
    with db.write() as s:
        stamp_origin(s, row)
        s.add(row)
        s.flush()
        audit(s, "perk.partner_add", "partner", row.id, {"name": row.name}, actor)
        return _partner_view(s, row)


def update_partner(
    db: Database,
    partner_id: str | uuid.UUID,
    name: str,
    contact: str | None = None,
    city: str | None = None,
    notes: str = "",
    actor: object = None,
) -> PartnerView:
    require(db, actor, Permission.PERKS)
    with db.write() as s:
        p = _partner(s, partner_id)
        p.name, p.contact = _name(name), _opt(contact, "contact")
        p.city, p.notes = _opt(city, "city", 100), (notes or "").strip()
        s.flush()
        audit(s, "perk.partner_change", "partner", p.id, {"name": p.name}, actor)
        return _partner_view(s, p)


def list_partners(db: Database) -> list[PartnerView]:
    require(db, None, Permission.LOOK_UP_PEOPLE)
    with db.read() as s:
        rows = s.scalars(
            select(Partner).where(Partner.deleted_at.is_(None)).order_by(Partner.name, Partner.id)
        )
        return [_partner_view(s, p) for p in rows]


def _named(s: Session, model: Any, ident: str | uuid.UUID, what: str) -> Any:
    """A partner or perk by id, or by its exact name (any case) as people type it in the
    CLI; a name two of them share is refused (`{what}_ambiguous`: use the id)."""
    found = None
    try:
        found = s.get(model, parse_id(ident, what))
    except NotFound:
        matches = s.scalars(
            select(model).where(
                func.lower(model.name) == str(ident).strip().lower(), model.deleted_at.is_(None)
            )
        ).all()
        if len(matches) > 1:
            raise RuleViolation(code=f"{what}_ambiguous", name=str(ident)) from None
        found = matches[0] if matches else None
    if found is None or found.deleted_at is not None:
        raise NotFound(what, ident)
    return found


def _partner(s: Session, ident: str | uuid.UUID) -> Partner:
    return _named(s, Partner, ident, "partner")  # type: ignore[no-any-return]


# --------------------------------------------------------------------------- perks


@dataclass(frozen=True, slots=True)
class PerkDraft:
    """What the perk form and `paddock perk add` give."""

    name: str
    points: object
    stock: object
    description: str = ""
    tier: str | None = None
    per_person_limit: object = None
    valid_from: date | str | None = None
    valid_until: date | str | None = None
    active: bool = True


def _checked(d: PerkDraft) -> dict[str, Any]:
    out = {
        "name": _name(d.name),
        "description": (d.description or "").strip(),
        "points": _whole(d.points, "points", 1),
        "stock": _whole(d.stock, "stock", 0),
        "min_tier": _tier(d.tier),
        "per_person_limit": (
            None
            if d.per_person_limit in (None, "", 0, "0")
            else _whole(d.per_person_limit, "per_person_limit", 1)
        ),
        "valid_from": _day(d.valid_from, "valid_from"),
        "valid_until": _day(d.valid_until, "valid_until"),
        "active": bool(d.active),
    }
    if out["valid_from"] and out["valid_until"] and out["valid_until"] < out["valid_from"]:
        raise ValidationError("valid_until", "range_order")
    return out


def _perk_view(p: Perk, partner: str) -> PerkView:
    return PerkView(
        p.id,
        p.partner_id,
        partner,
        p.name,
        p.description,
        p.points,
        p.stock,
        p.issued,
        p.min_tier,
        p.per_person_limit,
        p.valid_from,
        p.valid_until,
        p.active,
    )


def add_perk(
    db: Database, partner: str | uuid.UUID, draft: PerkDraft, actor: object = None
) -> PerkView:
    """A perk of a partner (`paddock perk add --partner P …`); `partner` is an id or name."""
    require(db, actor, Permission.PERKS)
    values = _checked(draft)
    with db.write() as s:
        owner = _partner(s, partner)
        perk = Perk(partner_id=owner.id, issued=0, **values)
        stamp_origin(s, perk)
        s.add(perk)
        s.flush()
        audit(s, "perk.add", "perk", perk.id, _perk_audit(perk), actor)
        return _perk_view(perk, owner.name)


def update_perk(
    db: Database, perk_id: str | uuid.UUID, draft: PerkDraft, actor: object = None
) -> PerkView:
    """Change a perk. Stock may be raised any time, lowered no further than the vouchers
    already out; vouchers already issued keep their own validity."""
    require(db, actor, Permission.PERKS)
    values = _checked(draft)
    with db.write() as s:
        perk = _perk(s, perk_id)
        # one conditional UPDATE: a desk redeeming meanwhile cannot push issued past stock
        res = s.execute(
            update(Perk)
            .where(Perk.id == perk.id, Perk.issued <= values["stock"])
            .values(**values, updated_at=now_utc())
            .execution_options(synchronize_session=False)
        )
        if res.rowcount != 1:
            raise ValidationError("stock", "stock_below_issued", issued=perk.issued)
        s.refresh(perk)
        audit(s, "perk.change", "perk", perk.id, _perk_audit(perk), actor)
        return _perk_view(perk, _partner_name(s, perk.partner_id))


def list_perks(db: Database, *, include_inactive: bool = True) -> list[PerkView]:
    require(db, None, Permission.LOOK_UP_PEOPLE)
    with db.read() as s:
        stmt = (
            select(Perk, Partner.name)
            .join(Partner, Partner.id == Perk.partner_id)
            .where(Perk.deleted_at.is_(None), Partner.deleted_at.is_(None))
            .order_by(Partner.name, Perk.points, Perk.name, Perk.id)
        )
        if not include_inactive:
            stmt = stmt.where(Perk.active.is_(True))
        return [_perk_view(p, name) for p, name in s.execute(stmt)]


def _perk(s: Session, ident: str | uuid.UUID) -> Perk:
    return _named(s, Perk, ident, "perk")  # type: ignore[no-any-return]


def _partner_name(s: Session, partner_id: uuid.UUID) -> str:
    return s.scalar(select(Partner.name).where(Partner.id == partner_id)) or ""


def _perk_audit(p: Perk) -> dict[str, Any]:
    return {
        "name": p.name,
        "points": p.points,
        "stock": p.stock,
        "tier": p.min_tier,
        "per_person_limit": p.per_person_limit,
        "valid_from": p.valid_from.isoformat() if p.valid_from else None,
        "valid_until": p.valid_until.isoformat() if p.valid_until else None,
        "active": p.active,
    }


# --------------------------------------------------------------------------- redeem


def _person_for_update(s: Session, ident: str | uuid.UUID) -> Person:
    """The person, row-locked (PostgreSQL: SELECT … FOR UPDATE; SQLite's write
    transactions are already serial), found by id or by mobile number (a merged-away
    person's old phone finds the survivor, as everywhere: people.resolve_person)."""
    from desktop_app.services.people import resolve_person_in

    pid = resolve_person_in(s, str(ident))
    person = s.scalars(
        select(Person)
        .where(Person.id == pid)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).first()
    if person is None or person.deleted_at is not None or person.merged_into_id is not None:
        raise NotFound("person", ident)
    return person


def redeem(
    db: Database, person: str | uuid.UUID, perk: str | uuid.UUID, actor: object = None
) -> RedeemResult:
    """Spend a person's points on a perk: a signed voucher, the points debited, one item of
    stock taken — all or nothing (`paddock perk redeem PERSON PERK`)."""
    who = require(db, actor, Permission.VOUCHERS)
    now = now_utc()
    with db.write() as s:
        p = _person_for_update(s, person)
        k = _perk(s, perk)
        partner = _partner(s, k.partner_id)
        _check_redeem(s, p, k)
        taken = s.execute(
            update(Perk)
            .where(Perk.id == k.id, Perk.issued < Perk.stock, Perk.deleted_at.is_(None))
            .values(issued=Perk.issued + 1, updated_at=now)
            .execution_options(synchronize_session=False)
        )
        if taken.rowcount != 1:
            raise RuleViolation(code="perk_out_of_stock", perk=k.name)
        key = s.scalar(select(DealerProfile.ticket_key))
        if not key:
            raise RuleViolation(code="not_initialised")
        issued = payload.issue(key, k.id)
        v = Voucher(
            code=issued.code,
            short_code=issued.short_code,
            perk_id=k.id,
            person_id=p.id,
            points=k.points,
            valid_until=_end_of(s, k.valid_until),
            staff_id=who.id,
        )
        stamp_origin(s, v)
        s.add(v)
        change = award_points(
            s,
            p.id,
            -k.points,
            f"{REDEEM_PREFIX}{partner.name} · {k.name} "
            f"({payload.format_short_code(issued.short_code)})",
            REDEEM,
            staff_id=who.id,
        )
        if change.balance < 0:  # cannot happen while the person row is locked; never commit
            raise RuleViolation(
                code="points_short", balance=change.balance + k.points, points=k.points
            )
        s.flush()
        audit(
            s,
            "perk.redeem",
            "person",
            p.id,
            {
                "perk": str(k.id),
                "voucher": str(v.id),
                "points": k.points,
                "short_code": issued.short_code,
            },
            actor,
        )
        return RedeemResult(_voucher_view(v, k, partner, p.name, now, _tz(s)), change.balance)


def _check_redeem(s: Session, p: Person, k: Perk) -> None:
    if not k.active:
        raise RuleViolation(code="perk_inactive", perk=k.name)
    today = _today(s)
    if k.valid_from and today < k.valid_from:
        raise RuleViolation(code="perk_not_yet", perk=k.name, day=k.valid_from.isoformat())
    if k.valid_until and today > k.valid_until:
        raise RuleViolation(code="perk_over", perk=k.name, day=k.valid_until.isoformat())
    if k.min_tier and TIER_RANK.get(p.tier or "none", 0) < TIER_RANK[k.min_tier]:
        raise RuleViolation(
            code="perk_tier",
            perk=k.name,
            tier=TierWord(k.min_tier),
            have=TierWord(p.tier or "none"),
        )
    if k.per_person_limit:
        held = s.scalar(
            select(func.count())
            .select_from(Voucher)
            .where(
                Voucher.person_id == p.id,
                Voucher.perk_id == k.id,
                Voucher.cancelled_at.is_(None),
            )
        )
        if int(held or 0) >= k.per_person_limit:
            raise RuleViolation(code="perk_limit", perk=k.name, n=k.per_person_limit)
    have = balance_in(s, p.id)
    if have < k.points:
        raise RuleViolation(code="points_short", balance=have, points=k.points)


# --------------------------------------------------------------------------- vouchers


def voucher_status(v: Voucher, now: datetime) -> str:
    """valid, consumed, cancelled or expired (payload's words)."""
    if v.cancelled_at is not None:
        return payload.CANCELLED
    if v.consumed_at is not None:
        return payload.CONSUMED
    if v.valid_until is not None and now >= v.valid_until:
        return payload.EXPIRED
    return payload.VALID


def _voucher_view(
    v: Voucher, k: Perk, partner: Partner, name: str, now: datetime, tz: str
) -> VoucherView:
    return VoucherView(
        v.id,
        v.code,
        v.short_code,
        k.id,
        k.name,
        partner.id,
        partner.name,
        v.person_id,
        name,
        v.points,
        v.created_at or now,
        v.valid_until,
        v.consumed_at,
        v.consumed_by,
        v.cancelled_at,
        voucher_status(v, now),
        tz,
    )


def _view_of(s: Session, v: Voucher, now: datetime | None = None) -> VoucherView:
    k = s.get(Perk, v.perk_id)
    assert k is not None
    partner = s.get(Partner, k.partner_id)
    assert partner is not None
    name = s.scalar(select(Person.name).where(Person.id == v.person_id)) or ""
    return _voucher_view(v, k, partner, name, now or now_utc(), _tz(s))


def _find_voucher(s: Session, raw: str) -> tuple[Voucher | None, str | None]:
    """The voucher a scanned or typed code names, or (None, why it is invalid). A code
    whose signature holds but that this database has no row for: (None, None) = unknown."""
    key = s.scalar(select(DealerProfile.ticket_key)) or ""
    try:
        code = payload.verify(key, raw).code
    except payload.VoucherInvalid as exc:
        short = payload.normalise(raw).replace("-", "")
        if payload.looks_like_short_code(raw):
            found = s.scalars(
                select(Voucher).where(Voucher.short_code == short).order_by(Voucher.created_at)
            ).first()
            return found, None if found else "no voucher has this short code"
        if payload.normalise(raw).startswith("P1."):
            return None, "this is an event ticket, not a voucher"
        return None, str(exc)
    return s.scalars(select(Voucher).where(Voucher.code == code)).first(), None


def verify(
    db: Database,
    raw: str,
    *,
    consume: bool = False,
    by: str | None = None,
    actor: object = None,
) -> VerifyResult:
    """Check a voucher (`paddock perk verify CODE`); with `consume`, a valid one is used up
    by one conditional UPDATE, so two partners' desks cannot both honour it."""
    who = require(db, actor, Permission.VOUCHERS)
    code = payload.normalise(raw or "")
    now = now_utc()
    with db.write() if consume else db.read() as s:
        v, invalid = _find_voucher(s, raw or "")
        if v is None:
            if invalid is not None and not payload.looks_like_short_code(raw or ""):
                return VerifyResult(payload.INVALID, code, invalid)
            return VerifyResult(payload.UNKNOWN, code, invalid)
        status = voucher_status(v, now)
        if status != payload.VALID or not consume:
            return VerifyResult(status, v.code, voucher=_view_of(s, v, now))
        used = s.execute(
            update(Voucher)
            .where(
                Voucher.id == v.id, Voucher.consumed_at.is_(None), Voucher.cancelled_at.is_(None)
            )
            .values(
                consumed_at=now, consumed_by=_opt(by, "by", 100) or who.name or None, updated_at=now
            )
            .execution_options(synchronize_session=False)
        )
        s.refresh(v)
        if used.rowcount != 1:  # the other desk was first
            return VerifyResult(voucher_status(v, now), v.code, voucher=_view_of(s, v, now))
        audit(s, "perk.consume", "voucher", v.id, {"by": v.consumed_by}, actor)
        return VerifyResult(payload.VALID, v.code, voucher=_view_of(s, v, now), consumed_now=True)


def cancel_voucher(
    db: Database, raw: str, reason: str | None = None, actor: object = None
) -> VoucherView:
    """Cancel an unused voucher (`paddock perk cancel CODE`): the points come back to the
    person and the item back to stock. A consumed voucher cannot be cancelled."""
    who = require(db, actor, Permission.VOUCHERS)
    now = now_utc()
    with db.write() as s:
        v, invalid = _find_voucher(s, raw or "")
        if v is None:
            if invalid is not None:
                raise RuleViolation(code="voucher_invalid", reason=invalid)
            raise NotFound("voucher", raw)
        done = s.execute(
            update(Voucher)
            .where(
                Voucher.id == v.id, Voucher.consumed_at.is_(None), Voucher.cancelled_at.is_(None)
            )
            .values(cancelled_at=now, cancel_reason=_opt(reason, "reason", 300), updated_at=now)
            .execution_options(synchronize_session=False)
        )
        s.refresh(v)
        if done.rowcount != 1:
            code = "voucher_consumed" if v.consumed_at else "voucher_already_cancelled"
            raise RuleViolation(code=code)
        s.execute(
            update(Perk)
            .where(Perk.id == v.perk_id, Perk.issued > 0)
            .values(issued=Perk.issued - 1, updated_at=now)
            .execution_options(synchronize_session=False)
        )
        k = s.get(Perk, v.perk_id)
        assert k is not None
        award_points(
            s,
            v.person_id,
            v.points,
            f"{REDEEM_CANCEL_PREFIX}{k.name} ({payload.format_short_code(v.short_code)})",
            REDEEM_CANCEL,
            staff_id=who.id,
        )
        audit(s, "perk.cancel", "voucher", v.id, {"points": v.points, "reason": reason}, actor)
        return _view_of(s, v, now)


def person_vouchers_in(s: Session, person_id: uuid.UUID) -> list[VoucherView]:
    """A person's vouchers, newest first (their page)."""
    now = now_utc()
    rows = s.execute(
        select(Voucher, Perk, Partner)
        .join(Perk, Perk.id == Voucher.perk_id)
        .join(Partner, Partner.id == Perk.partner_id)
        .where(Voucher.person_id == person_id, Voucher.deleted_at.is_(None))
        .order_by(Voucher.created_at.desc(), Voucher.id)
    ).all()
    name = s.scalar(select(Person.name).where(Person.id == person_id)) or ""
    tz = _tz(s)
    return [_voucher_view(v, k, partner, name, now, tz) for v, k, partner in rows]


def person_vouchers(db: Database, person_id: str | uuid.UUID) -> list[VoucherView]:
    require(db, None, Permission.LOOK_UP_PEOPLE)
    with db.read() as s:
        return person_vouchers_in(s, parse_id(person_id, "person"))


def get_voucher(db: Database, raw: str) -> VoucherView:
    """A voucher by its code, short code or id (to render its card)."""
    with db.read() as s:
        v: Voucher | None
        try:
            v = s.get(Voucher, uuid.UUID(str(raw).strip()))
        except ValueError:
            v, _why = _find_voucher(s, raw)
        if v is None:
            raise NotFound("voucher", raw)
        return _view_of(s, v)


# --------------------------------------------------------------------------- report


def perk_report(
    db: Database, since: datetime | None = None, until: datetime | None = None
) -> PerkReport:
    """Redemptions per partner and per perk, points spent, stock left (vouchers issued in
    [since, until) when given; stock left is today's)."""
    require(db, None, Permission.REPORTS)
    with db.read() as s:
        cond = [Voucher.deleted_at.is_(None)]
        if since is not None:
            cond.append(Voucher.created_at >= since)
        if until is not None:
            cond.append(Voucher.created_at < until)
        live = Voucher.cancelled_at.is_(None)
        counts = {
            pid: (int(red or 0), int(used or 0), int(gone or 0), int(spent or 0))
            for pid, red, used, gone, spent in s.execute(
                select(
                    Voucher.perk_id,
                    func.count().filter(live),
                    func.count().filter(live, Voucher.consumed_at.is_not(None)),
                    func.count().filter(Voucher.cancelled_at.is_not(None)),
                    func.coalesce(func.sum(Voucher.points).filter(live), 0),
                )
                .where(*cond)
                .group_by(Voucher.perk_id)
            )
        }
        rows = []
        for k, partner in s.execute(
            select(Perk, Partner.name)
            .join(Partner, Partner.id == Perk.partner_id)
            .where(or_(Perk.deleted_at.is_(None), Perk.id.in_(list(counts) or [uuid.uuid4()])))
            .order_by(Partner.name, Perk.name, Perk.id)
        ):
            red, used, gone, spent = counts.get(k.id, (0, 0, 0, 0))
            rows.append(
                PerkReportRow(
                    k.partner_id,
                    partner,
                    k.id,
                    k.name,
                    k.points,
                    red,
                    used,
                    gone,
                    spent,
                    k.stock,
                    max(0, k.stock - k.issued),
                )
            )
        return PerkReport(tuple(rows))
