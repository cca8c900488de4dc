"""Gifts at the door (到店礼 / 伴手礼 / 签到礼): items with stock and a rule, handed at the desk.

- An event has gift items, each with a stock, a rule — one per registration (a family is
  one registration: its party gets one), one per person of the party, members of tier ≥
  X only, the first N arrivals, referrers only — and an optional cost per item.
- After an accepted check-in the desk shows what is due; one key hands it. Stock is exact
  across desks: the hand-out is ONE conditional UPDATE (`handed = handed + :n WHERE
  handed + :n <= stock`), so two desks handing the last item → exactly one succeeds; the
  other hears "no gift left". A registration gets each gift once (the gift row's lock,
  then a look for a live hand-out; a partial unique index backs it up).
- Undoing a check-in returns its gifts to stock. Running low (≤ max(3, 10 % of stock)
  left, once some were handed) warns at the desk; zero stock says "no gift left" instead of hiding the gift.
- A hand-out carries a nonce like a scan: sent again, it is stored once; packs merge back
  by nonce without double hand-outs (services/packs.py).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import and_, exists, func, select, update
from sqlalchemy.orm import Session

from desktop_app.domain.enums import GiftRule
from desktop_app.domain.errors import NotFound, ValidationError
from desktop_app.domain.ids import new_id
from desktop_app.domain.messages import text
from desktop_app.domain.roles import Permission
from desktop_app.domain.timeutil import now_utc
from desktop_app.services.auth import require
from desktop_app.services.common import (
    as_nonce,
    audit,
    event_rows,
    live_event,
    live_row,
    next_position,
    parse_id,
    stamp_origin,
)
from desktop_app.store.db import Database
from desktop_app.store.models import Event, Gift, GiftHandout, Person, Registration

NAME_MAX = 100
STOCK_MAX = 1_000_000
TIER_ORDER = ("none", "silver", "gold", "platinum")
# CLI/editor spellings of the rules (a family registers as one party: per_party = one per
# registration)
_RULE_WORDS = {
    "per_registration": GiftRule.PER_REGISTRATION,
    "per_party": GiftRule.PER_REGISTRATION,
    "per_family": GiftRule.PER_REGISTRATION,
    "per_person": GiftRule.PER_PERSON,
    "tier": GiftRule.TIER,
    "first_n": GiftRule.FIRST_N,
    "first": GiftRule.FIRST_N,
    "referrers": GiftRule.REFERRERS,
    "referrer": GiftRule.REFERRERS,
}

HANDED, NO_GIFT_LEFT, ALREADY_HANDED = "handed", "no_gift_left", "already_handed"
NOT_DUE, NOT_CHECKED_IN, NOTHING_DUE = "not_due", "not_checked_in", "nothing_due"


# --------------------------------------------------------------------------- results


@dataclass(frozen=True, slots=True)
class GiftDraft:
    name: str
    stock: int
    rule: str = GiftRule.PER_REGISTRATION.value
    rule_value: str | None = None
    cost: Decimal | str | float | None = None


def low_at(stock: int) -> int:
    """Stock left at which the desk warns: max(3, 10 % of the stock)."""
    return max(3, stock // 10)


@dataclass(frozen=True, slots=True)
class GiftView:
    id: uuid.UUID
    event_id: uuid.UUID
    name: str
    stock: int
    handed: int
    rule: str
    rule_value: str | None
    cost: Decimal | None
    position: int

    @property
    def left(self) -> int:
        return max(self.stock - self.handed, 0)

    @property
    def low(self) -> bool:
        """Running low: few left (a small stock untouched is not a warning yet)."""
        return self.left < self.stock and self.left <= low_at(self.stock)

    @property
    def rule_text(self) -> str:
        return f"{self.rule}:{self.rule_value}" if self.rule_value else self.rule

    def draft(self) -> GiftDraft:
        return GiftDraft(self.name, self.stock, self.rule, self.rule_value, self.cost)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "event_id": str(self.event_id),
            "name": self.name,
            "stock": self.stock,
            "handed": self.handed,
            "left": self.left,
            "low": self.low,
            "rule": self.rule,
            "rule_value": self.rule_value,
            "cost": float(self.cost) if self.cost is not None else None,
            "cost_handed": float(self.cost * self.handed) if self.cost is not None else None,
        }


@dataclass(frozen=True, slots=True)
class GiftDue:
    """A gift the desk should hand to a registration that came (or why it cannot)."""

    gift_id: uuid.UUID
    name: str
    quantity: int
    left: int
    low: bool

    @property
    def none_left(self) -> bool:
        return self.left <= 0

    def to_json(self) -> dict[str, Any]:
        return {
            "gift_id": str(self.gift_id),
            "name": self.name,
            "quantity": self.quantity,
            "left": self.left,
            "low": self.low,
            "none_left": self.none_left,
        }


@dataclass(frozen=True, slots=True)
class GiftBack:
    """A gift a guest holds whose check-in is undone: it goes back to stock, so the desk
    takes it back from the guest."""

    gift_id: uuid.UUID
    name: str
    quantity: int

    def to_json(self) -> dict[str, Any]:
        return {"gift_id": str(self.gift_id), "name": self.name, "quantity": self.quantity}


def take_back_text(items: Iterable[GiftBack], lang: str | None = None) -> str:
    """ "Take back from the guest: 保温杯 × 1 · 伴手礼 × 2 (back in stock)", or "" for none."""
    listed = " · ".join(f"{g.name} × {g.quantity}" for g in items)
    return text("undo_take_gifts_back", lang, gifts=listed) if listed else ""


@dataclass(frozen=True, slots=True)
class HandedItem:
    gift_id: uuid.UUID
    name: str
    result: str  # handed, no_gift_left, already_handed, not_due
    quantity: int = 0
    left: int = 0
    low: bool = False
    nonce: uuid.UUID | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "gift_id": str(self.gift_id),
            "name": self.name,
            "result": self.result,
            "quantity": self.quantity,
            "left": self.left,
            "low": self.low,
            "nonce": str(self.nonce) if self.nonce else None,
        }


@dataclass(frozen=True, slots=True)
class HandResult:
    """`paddock gift hand REG`: `result` is handed when at least one item was handed."""

    registration_id: uuid.UUID
    name: str
    result: str
    items: tuple[HandedItem, ...] = ()

    @property
    def handed(self) -> bool:
        return self.result == HANDED

    def to_json(self) -> dict[str, Any]:
        return {
            "result": self.result,
            "registration_id": str(self.registration_id),
            "name": self.name,
            "items": [i.to_json() for i in self.items],
        }


@dataclass(frozen=True, slots=True)
class GiftSummary:
    """The event report's gifts: per item, and the total cost of what was handed."""

    gifts: tuple[GiftView, ...]

    @property
    def handed(self) -> int:
        return sum(g.handed for g in self.gifts)

    @property
    def left(self) -> int:
        return sum(g.left for g in self.gifts)

    @property
    def cost(self) -> Decimal:
        return sum((g.cost * g.handed for g in self.gifts if g.cost is not None), Decimal(0))

    def to_json(self) -> dict[str, Any]:
        return {
            "handed": self.handed,
            "left": self.left,
            "cost": float(self.cost),
            "items": [g.to_json() for g in self.gifts],
        }


def view_of(g: Gift) -> GiftView:
    return GiftView(
        g.id, g.event_id, g.name, g.stock, g.handed, g.rule, g.rule_value, g.cost, g.position
    )


# --------------------------------------------------------------------------- definitions


def parse_rule(text: str) -> tuple[str, str | None]:
    """'per_registration', 'per_person', 'tier:gold' ('tier>=gold'), 'first:50'
    ('first_n:50'), 'referrers' → (rule, value)."""
    raw = (text or "").strip().lower().replace(">=", ":").replace("≥", ":").replace("=", ":")
    word, _, value = raw.partition(":")
    rule = _RULE_WORDS.get(word.strip().replace("-", "_"))
    if rule is None:
        raise ValidationError("rule", "gift_rule_bad")
    return rule.value, value.strip() or None


def check_draft(d: GiftDraft) -> GiftDraft:
    name = (d.name or "").strip()
    if not name:
        raise ValidationError("name", "required")
    if len(name) > NAME_MAX:
        raise ValidationError("name", "too_long", max=NAME_MAX)
    if isinstance(d.stock, bool) or not isinstance(d.stock, int):
        raise ValidationError("stock", "not_number")
    if d.stock < 0 or d.stock > STOCK_MAX:
        raise ValidationError("stock", "not_positive", min=0)
    rule, value = d.rule, (d.rule_value or "").strip().lower() or None
    if rule not in GiftRule.__members__.values():
        rule, parsed = parse_rule(rule)
        value = value or parsed
    if rule == GiftRule.TIER:
        if value not in TIER_ORDER[1:]:
            raise ValidationError("rule", "gift_tier_bad", tiers=", ".join(TIER_ORDER[1:]))
    elif rule == GiftRule.FIRST_N:
        if not (value or "").isdigit() or int(value or 0) < 1:
            raise ValidationError("rule", "gift_first_n_bad")
        value = str(int(value or 0))
    else:
        value = None
    cost = None
    if d.cost not in (None, ""):
        try:
            cost = Decimal(str(d.cost)).quantize(Decimal("0.01"))
        except InvalidOperation:
            raise ValidationError("cost", "not_money") from None
        if cost < 0:
            raise ValidationError("cost", "not_positive", min=0)
    return GiftDraft(name, d.stock, rule, value, cost)


def _gift(s: Session, gift_id: str | uuid.UUID) -> Gift:
    return live_row(s, Gift, gift_id, "gift")  # type: ignore[no-any-return]


def get_gift(db: Database, gift_id: str | uuid.UUID) -> GiftView:
    with db.read() as s:
        return view_of(_gift(s, gift_id))


def gifts_in(s: Session, event_id: uuid.UUID) -> list[Gift]:
    return event_rows(s, Gift, event_id)


def add_gift_in(s: Session, e: Event, d: GiftDraft, actor: object = None) -> Gift:
    d = check_draft(d)
    position = next_position(s, Gift, e.id)
    g = Gift(
        event_id=e.id,
        name=d.name,
        stock=d.stock,
        handed=0,
        rule=d.rule,
        rule_value=d.rule_value,
        cost=d.cost,  # type: ignore[arg-type]
        position=position,
    )
    stamp_origin(s, g)
    s.add(g)
    s.flush()
    audit(
        s, "gift.add", "gift", g.id, {"event": str(e.id), "name": g.name, "stock": g.stock}, actor
    )
    return g


def add_gift(
    db: Database, event_id: str | uuid.UUID, draft: GiftDraft, actor: object = None
) -> GiftView:
    require(db, actor, Permission.PLAN_EVENTS)
    with db.write() as s:
        return view_of(add_gift_in(s, live_event(s, event_id), draft, actor))


def update_gift(
    db: Database, gift_id: str | uuid.UUID, draft: GiftDraft, actor: object = None
) -> GiftView:
    """Change a gift (more stock arrived, another rule). The stock cannot go below what
    was already handed."""
    require(db, actor, Permission.PLAN_EVENTS)
    d = check_draft(draft)
    with db.write() as s:
        g = _gift(s, gift_id)
        # the stock is changed under the same condition the desks hand with
        res = s.execute(
            update(Gift)
            .where(Gift.id == g.id, Gift.handed <= d.stock)
            .values(
                name=d.name,
                stock=d.stock,
                rule=d.rule,
                rule_value=d.rule_value,
                cost=d.cost,
                updated_at=now_utc(),
            )
            .execution_options(synchronize_session=False)
        )
        s.refresh(g)
        if res.rowcount != 1:
            raise ValidationError("stock", "gift_stock_below_handed", handed=g.handed)
        audit(s, "gift.update", "gift", g.id, {"name": g.name, "stock": g.stock}, actor)
        return view_of(g)


def remove_gift(db: Database, gift_id: str | uuid.UUID, actor: object = None) -> None:
    """Remove a gift item (soft: hand-outs so far stay in the report)."""
    require(db, actor, Permission.PLAN_EVENTS)
    with db.write() as s:
        g = _gift(s, gift_id)
        g.deleted_at = now_utc()
        audit(s, "gift.remove", "gift", g.id, {"name": g.name}, actor)


def list_gifts(db: Database, event_id: str | uuid.UUID) -> list[GiftView]:
    with db.read() as s:
        return [view_of(g) for g in gifts_in(s, live_event(s, event_id).id)]


def summary_in(s: Session, event_id: uuid.UUID) -> GiftSummary:
    """Handed, left and cost per item; a removed item is kept when something was handed
    (its cost was spent)."""
    rows = s.scalars(
        select(Gift)
        .where(Gift.event_id == event_id, Gift.deleted_at.is_(None) | (Gift.handed > 0))
        .order_by(Gift.position, Gift.created_at)
    )
    return GiftSummary(tuple(view_of(g) for g in rows))


def gift_summary(db: Database, event_id: str | uuid.UUID) -> GiftSummary:
    with db.read() as s:
        return summary_in(s, live_event(s, event_id).id)


def copy_gifts_in(s: Session, source: uuid.UUID, target: Event) -> None:
    """Duplicate an event: the same items with their full stock (nothing handed)."""
    for g in gifts_in(s, source):
        add_gift_in(s, target, view_of(g).draft())


def template_data(gifts: Iterable[GiftView]) -> list[dict[str, Any]]:
    return [
        {
            "name": g.name,
            "stock": g.stock,
            "rule": g.rule,
            "rule_value": g.rule_value,
            "cost": str(g.cost) if g.cost is not None else None,
        }
        for g in gifts
    ]


def drafts_from_template(data: Iterable[dict[str, Any]]) -> tuple[GiftDraft, ...]:
    out = []
    for x in data:
        try:
            out.append(
                GiftDraft(
                    str(x["name"]),
                    int(x.get("stock") or 0),
                    str(x.get("rule") or GiftRule.PER_REGISTRATION),
                    x.get("rule_value"),
                    x.get("cost"),
                )
            )
        except (KeyError, TypeError, ValueError):
            continue
    return tuple(out)


# --------------------------------------------------------------------------- who gets what


@dataclass(frozen=True, slots=True)
class Guest:
    """Who a gift rule looks at: one registration with its person's name and tier."""

    reg_id: uuid.UUID
    event_id: uuid.UUID
    person_id: uuid.UUID
    name: str
    party_size: int
    checked_in_at: datetime | None
    tier: str | None


def _guest(s: Session, registration_id: uuid.UUID) -> Guest | None:
    row = s.execute(
        select(
            Registration.id,
            Registration.event_id,
            Registration.person_id,
            Person.name,
            Registration.party_size,
            Registration.checked_in_at,
            Person.tier,
        )
        .join(Person, Person.id == Registration.person_id)
        .where(Registration.id == registration_id, Registration.deleted_at.is_(None))
    ).first()
    return Guest(*row) if row else None


def _tier_rank(tier: str | None) -> int:
    t = (tier or "none").lower()
    return TIER_ORDER.index(t) if t in TIER_ORDER else 0


def _quantity(s: Session, g: Gift, guest: Guest) -> int:
    """How many of `g` the guest's registration gets (0: the rule leaves them out)."""
    rule = g.rule
    if rule == GiftRule.PER_PERSON:
        return max(guest.party_size, 1)
    if rule == GiftRule.TIER:
        return 1 if _tier_rank(guest.tier) >= _tier_rank(g.rule_value) else 0
    if rule == GiftRule.FIRST_N:
        if guest.checked_in_at is None:
            return 0
        before = s.scalar(
            select(func.count())
            .select_from(Registration)
            .where(
                Registration.event_id == guest.event_id,
                Registration.deleted_at.is_(None),
                Registration.checked_in_at.is_not(None),
                (Registration.checked_in_at < guest.checked_in_at)
                | and_(
                    Registration.checked_in_at == guest.checked_in_at,
                    Registration.id < guest.reg_id,
                ),
            )
        )
        return 1 if int(before or 0) < int(g.rule_value or 0) else 0
    if rule == GiftRule.REFERRERS:
        referred = s.scalar(
            select(
                exists().where(
                    Person.referred_by_id == guest.person_id, Person.deleted_at.is_(None)
                )
                | exists().where(
                    Registration.referred_by_id == guest.person_id,
                    Registration.deleted_at.is_(None),
                )
            )
        )
        return 1 if referred else 0
    return 1


def _handed_to(s: Session, reg_id: uuid.UUID) -> set[uuid.UUID]:
    return set(
        s.scalars(
            select(GiftHandout.gift_id).where(
                GiftHandout.registration_id == reg_id,
                GiftHandout.returned_at.is_(None),
                GiftHandout.deleted_at.is_(None),
            )
        )
    )


def due_in(s: Session, registration_id: uuid.UUID) -> tuple[GiftDue, ...]:
    """The gifts a checked-in registration should get now and has not got yet, in the
    event's order; an item with no stock left is listed (the desk says so)."""
    guest = _guest(s, registration_id)
    return () if guest is None else due_for(s, guest)


def due_for(s: Session, guest: Guest) -> tuple[GiftDue, ...]:
    """due_in for a guest the caller has read already (the desk's scan reads the
    registration, person and tier with the ticket)."""
    if guest.checked_in_at is None:
        return ()
    gifts = gifts_in(s, guest.event_id)
    if not gifts:
        return ()
    have = _handed_to(s, guest.reg_id)
    out = []
    for g in gifts:
        if g.id in have:
            continue
        n = _quantity(s, g, guest)
        if n:
            v = view_of(g)
            out.append(GiftDue(g.id, g.name, n, v.left, v.low))
    return tuple(out)


def due(db: Database, registration_id: str | uuid.UUID) -> tuple[GiftDue, ...]:
    with db.read() as s:
        return due_in(s, parse_id(registration_id, "registration"))


# --------------------------------------------------------------------------- hand and return


def _take(s: Session, gift_id: uuid.UUID, want: int, now: datetime) -> int:
    """Take up to `want` items from stock with the conditional UPDATE; returns how many
    (a family of 4 when 2 are left gets the 2). 0 = none left."""
    while want > 0:
        res = s.execute(
            update(Gift)
            .where(Gift.id == gift_id, Gift.deleted_at.is_(None), Gift.handed + want <= Gift.stock)
            .values(handed=Gift.handed + want, updated_at=now)
            .execution_options(synchronize_session=False)
        )
        if res.rowcount == 1:
            return want
        left = s.scalar(select(Gift.stock - Gift.handed).where(Gift.id == gift_id))
        if left is None or left <= 0:
            return 0
        want = min(want, int(left))
    return 0


def _give_back(s: Session, gift_id: uuid.UUID, n: int, now: datetime) -> None:
    s.execute(
        update(Gift)
        .where(Gift.id == gift_id)
        .values(handed=Gift.handed - n, updated_at=now)
        .execution_options(synchronize_session=False)
    )


def hand_in(
    s: Session,
    registration_id: uuid.UUID,
    *,
    gift_ids: Iterable[uuid.UUID] | None = None,
    desk: str | None = None,
    staff_id: uuid.UUID | None = None,
    nonce: uuid.UUID | None = None,
    now: datetime | None = None,
) -> HandResult:
    """Hand a checked-in registration its due gifts (or just `gift_ids`) inside the
    caller's transaction."""
    now = now or now_utc()
    base = nonce or new_id()
    guest = _guest(s, registration_id)
    if guest is None:
        raise NotFound("registration", registration_id)
    if guest.checked_in_at is None:
        return HandResult(guest.reg_id, guest.name, NOT_CHECKED_IN)
    wanted = set(gift_ids) if gift_ids is not None else None
    items: list[HandedItem] = []
    gifts = [g for g in gifts_in(s, guest.event_id) if wanted is None or g.id in wanted]
    if wanted is not None and len(gifts) != len(wanted):
        missing = wanted - {g.id for g in gifts}
        raise NotFound("gift", ", ".join(map(str, missing)))
    for g in gifts:
        n_nonce = uuid.uuid5(base, str(g.id))
        stored = s.scalar(select(GiftHandout).where(GiftHandout.nonce == n_nonce))
        if stored is not None:  # sent again: stored once
            left = _left(s, g.id)
            items.append(HandedItem(g.id, g.name, HANDED, stored.quantity, left, False, n_nonce))
            continue
        n = _quantity(s, g, guest)
        if n == 0:
            if wanted is not None:
                items.append(HandedItem(g.id, g.name, NOT_DUE))
            continue
        if _holds(s, g.id, guest.reg_id):
            items.append(HandedItem(g.id, g.name, ALREADY_HANDED, 0, _left(s, g.id)))
            continue
        got = _take(s, g.id, n, now)  # the gift row is locked from here (PostgreSQL)
        if _holds(s, g.id, guest.reg_id):
            if got:
                _give_back(s, g.id, got, now)
            items.append(HandedItem(g.id, g.name, ALREADY_HANDED, 0, _left(s, g.id)))
            continue
        left = _left(s, g.id)
        if got == 0:
            items.append(HandedItem(g.id, g.name, NO_GIFT_LEFT, 0, 0, True))
            continue
        h = GiftHandout(
            nonce=n_nonce,
            event_id=guest.event_id,
            gift_id=g.id,
            registration_id=guest.reg_id,
            quantity=got,
            handed_at=now,
            desk=desk,
            staff_id=staff_id,
        )
        stamp_origin(s, h)
        s.add(h)
        s.flush()
        low = left < g.stock and left <= low_at(g.stock)
        items.append(HandedItem(g.id, g.name, HANDED, got, left, low, n_nonce))
    if any(i.result == HANDED for i in items):
        result = HANDED
        audit(
            s,
            "gift.hand",
            "registration",
            guest.reg_id,
            {"desk": desk, "gifts": [i.name for i in items if i.result == HANDED]},
        )
    elif items:
        order = (NO_GIFT_LEFT, ALREADY_HANDED, NOT_DUE)
        result = min((i.result for i in items), key=order.index)
    else:
        result = NOTHING_DUE
    return HandResult(guest.reg_id, guest.name, result, tuple(items))


def _left(s: Session, gift_id: uuid.UUID) -> int:
    return max(int(s.scalar(select(Gift.stock - Gift.handed).where(Gift.id == gift_id)) or 0), 0)


def _holds(s: Session, gift_id: uuid.UUID, reg_id: uuid.UUID) -> bool:
    """Has the registration a live hand-out of this gift (read after the gift row's lock:
    a desk that handed it a moment ago has committed by now)?"""
    return bool(
        s.scalar(
            select(
                exists().where(
                    GiftHandout.gift_id == gift_id,
                    GiftHandout.registration_id == reg_id,
                    GiftHandout.returned_at.is_(None),
                    GiftHandout.deleted_at.is_(None),
                )
            )
        )
    )


def hand(
    db: Database,
    registration_id: str | uuid.UUID,
    *,
    gift_ids: Iterable[str | uuid.UUID] | None = None,
    desk: str | None = None,
    staff_id: str | uuid.UUID | None = None,
    nonce: str | uuid.UUID | None = None,
) -> HandResult:
    """Hand the gifts due to a checked-in registration (one key at the desk, `paddock
    gift hand REG`). Exactly-once across desks; the same nonce sent again is stored once."""
    who = require(db, None, Permission.CHECK_IN)
    rid = parse_id(registration_id, "registration")
    ids = [parse_id(g, "gift") for g in gift_ids] if gift_ids is not None else None
    staff = parse_id(staff_id, "staff") if staff_id else who.id
    n = as_nonce(nonce)
    with db.write() as s:
        return hand_in(s, rid, gift_ids=ids, desk=desk, staff_id=staff, nonce=n)


def _held(s: Session, registration_id: uuid.UUID) -> list[tuple[GiftHandout, str]]:
    """The registration's live hand-outs (handed, not returned) with their gift's name."""
    rows = s.execute(
        select(GiftHandout, Gift.name)
        .join(Gift, Gift.id == GiftHandout.gift_id)
        .where(
            GiftHandout.registration_id == registration_id,
            GiftHandout.returned_at.is_(None),
            GiftHandout.deleted_at.is_(None),
        )
        .order_by(Gift.created_at, Gift.name)
    )
    return [(h, name) for h, name in rows]


def _backs(held: list[tuple[GiftHandout, str]]) -> tuple[GiftBack, ...]:
    totals: dict[uuid.UUID, GiftBack] = {}
    for h, name in held:
        was = totals.get(h.gift_id)
        totals[h.gift_id] = GiftBack(h.gift_id, name, h.quantity + (was.quantity if was else 0))
    return tuple(totals.values())


def held_by(db: Database, registration_id: uuid.UUID | str) -> tuple[GiftBack, ...]:
    """The gifts a registration holds now: what undoing its check-in would take back."""
    rid = parse_id(registration_id, "registration")
    with db.read() as s:
        return _backs(_held(s, rid))


def return_in(s: Session, registration_id: uuid.UUID, now: datetime) -> tuple[GiftBack, ...]:
    """Undo of a check-in: its live hand-outs go back to stock. Returns what went back
    (the desk asks the guest for it)."""
    held = _held(s, registration_id)
    for h, _name in held:
        h.returned_at = now
        _give_back(s, h.gift_id, h.quantity, now)
    s.flush()
    return _backs(held)


def recount_in(s: Session, gift_ids: Iterable[uuid.UUID]) -> list[dict[str, Any]]:
    """Set each gift's `handed` from its live hand-outs (after a pack merge); returns the
    gifts now handed beyond their stock (two places handed the last ones offline)."""
    over: list[dict[str, Any]] = []
    now = now_utc()
    for gid in sorted(set(gift_ids), key=str):
        total = int(
            s.scalar(
                select(func.coalesce(func.sum(GiftHandout.quantity), 0)).where(
                    GiftHandout.gift_id == gid,
                    GiftHandout.returned_at.is_(None),
                    GiftHandout.deleted_at.is_(None),
                )
            )
            or 0
        )
        g = s.get(Gift, gid)
        if g is None:
            continue
        if g.handed != total:
            s.execute(
                update(Gift)
                .where(Gift.id == gid)
                .values(handed=total, updated_at=now)
                .execution_options(synchronize_session=False)
            )
        if total > g.stock:
            over.append({"gift_id": str(gid), "name": g.name, "stock": g.stock, "handed": total})
    return over
