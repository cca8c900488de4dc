"""Costs an event's participants share (AA制), payments recorded (never processed), refunds.

See docs/fees.md. Cost items say what the event costs and how it is shared; what each
registration owes is computed from them and the registrations (never stored), so a car
that drops out makes the others' shares right at once. Payments are an append-only ledger
in integer cents: a payment (+), a refund (−), a correction reversing a row recorded by
mistake. Every payment and refund gets a receipt number unique per dealer, also across an
offline laptop (event packs take a reserved block of the series).

Who shares: live registrations whose status is registered, attended or no_show (a seat
was booked for them), none if the event is cancelled. The remainder of a split goes one
cent per unit to the earliest registrations (registered_at, then id).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import Uuid, and_, bindparam, case, exists, false, func, or_, select, true, tuple_
from sqlalchemy import exc as sa_exc
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from desktop_app.domain.enums import (
    EventStatus,
    EventType,
    FeeSplit,
    PaymentKind,
    PaymentMethod,
    RegistrationStatus,
)
from desktop_app.domain.errors import NotFound, RuleViolation, ValidationError
from desktop_app.domain.ids import new_id
from desktop_app.domain.kpi import CONFIRMED
from desktop_app.domain.money import MoneyError, json_money, parse_cents, share_of, split_cents
from desktop_app.domain.roles import Permission
from desktop_app.domain.timeutil import now_utc
from desktop_app.services.auth import require
from desktop_app.services.common import as_nonce, audit, parse_id, stamp_origin
from desktop_app.services.registration import shown_status
from desktop_app.store.db import Database
from desktop_app.store.models import (
    DealerProfile,
    Event,
    FeeItem,
    Payment,
    Person,
    Registration,
    Setting,
)

SPLITS = tuple(x.value for x in FeeSplit)
METHODS = tuple(x.value for x in PaymentMethod)
LABEL_MAX = 100
REFERENCE_MAX = 100
NOTE_MAX = 500
RECEIPT_SERIES = "receipt_series"  # settings key: {"next": n, "last": n or null}
RECEIPT_DIGITS = 6


# --------------------------------------------------------------------------- results


@dataclass(frozen=True, slots=True)
class CostItem:
    """One cost item and what it comes to with today's registrations."""

    id: uuid.UUID
    event_id: uuid.UUID
    label: str
    amount_cents: int
    split: str
    per_unit: bool
    subsidy_cents: int
    position: int
    units: int = 0  # people / cars / families / registrations sharing it now
    charged_cents: int = 0  # what the participants owe for it, together
    spent_cents: int = 0  # what it costs (the total, or the unit price × units)
    subsidy_total_cents: int = 0  # what the dealer pays of it

    @property
    def priced_per_unit(self) -> bool:
        return self.per_unit or self.split == FeeSplit.FIXED

    def to_json(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "event_id": str(self.event_id),
            "label": self.label,
            "amount": json_money(self.amount_cents),
            "split": self.split,
            "per_unit": self.priced_per_unit,
            "subsidy": json_money(self.subsidy_cents),
            "position": self.position,
            "units": self.units,
            "charged": json_money(self.charged_cents),
            "spent": json_money(self.spent_cents),
            "subsidy_total": json_money(self.subsidy_total_cents),
        }


@dataclass(frozen=True, slots=True)
class Share:
    item_id: uuid.UUID
    label: str
    units: int
    cents: int

    def to_json(self) -> dict[str, Any]:
        return {
            "item_id": str(self.item_id),
            "label": self.label,
            "units": self.units,
            "amount": json_money(self.cents),
        }


class Balance:
    """What follows from `owed` and `paid` (cents): still to pay, or to give back."""

    __slots__ = ()
    owed: int
    paid: int

    @property
    def outstanding(self) -> int:
        return max(0, self.owed - self.paid)

    @property
    def refund_due(self) -> int:
        return max(0, self.paid - self.owed)


@dataclass(frozen=True, slots=True)
class FeeRow(Balance):
    """What one registration owes, has paid, still owes or gets back."""

    registration_id: uuid.UUID
    person_id: uuid.UUID
    name: str
    phone: str | None
    plate: str | None
    party_size: int
    status: str
    registered_at: datetime
    sharing: bool  # counted in the split (confirmed, event not cancelled)
    shares: tuple[Share, ...]
    owed: int
    paid: int

    def to_json(self) -> dict[str, Any]:
        return {
            "registration_id": str(self.registration_id),
            "owed": json_money(self.owed),
            "paid": json_money(self.paid),
            "outstanding": json_money(self.outstanding),
            "refund_due": json_money(self.refund_due),
            "person_id": str(self.person_id),
            "name": self.name,
            "plate": self.plate,
            "party_size": self.party_size,
            "status": self.status,
            "shares": [x.to_json() for x in self.shares],
        }


@dataclass(frozen=True, slots=True)
class CarRow:
    """Who still owes, one line per car (the drive's list before departure)."""

    plate: str | None
    names: tuple[str, ...]
    registration_ids: tuple[uuid.UUID, ...]
    people: int
    owed: int
    paid: int
    outstanding: int

    def to_json(self) -> dict[str, Any]:
        return {
            "plate": self.plate,
            "names": list(self.names),
            "registration_ids": [str(x) for x in self.registration_ids],
            "people": self.people,
            "owed": json_money(self.owed),
            "paid": json_money(self.paid),
            "outstanding": json_money(self.outstanding),
        }


@dataclass(frozen=True, slots=True)
class FeeSheet:
    """An event's costs, who owes what, payments so far (`paddock fees EVENT`)."""

    event_id: uuid.UUID
    event_title: str
    event_status: str
    is_drive: bool
    items: tuple[CostItem, ...]
    rows: tuple[FeeRow, ...]
    ledger_rows: int = 0  # payments, refunds and corrections recorded

    @property
    def is_empty(self) -> bool:
        """No cost items and no money recorded: the event has no fees."""
        return not self.items and not self.ledger_rows

    @property
    def total_owed(self) -> int:
        return sum(r.owed for r in self.rows)

    @property
    def total_paid(self) -> int:
        return sum(r.paid for r in self.rows)

    @property
    def total_outstanding(self) -> int:
        return sum(r.outstanding for r in self.rows)

    @property
    def total_refund_due(self) -> int:
        return sum(r.refund_due for r in self.rows)

    @property
    def spent(self) -> int:
        return sum(i.spent_cents for i in self.items)

    @property
    def subsidy(self) -> int:
        return sum(i.subsidy_total_cents for i in self.items)

    def row(self, registration_id: uuid.UUID) -> FeeRow | None:
        return next((r for r in self.rows if r.registration_id == registration_id), None)

    @property
    def refunds(self) -> tuple[FeeRow, ...]:
        """Who gets what back: paid more than they owe (cancelled, or shares went down)."""
        return tuple(r for r in self.rows if r.refund_due > 0)

    @property
    def by_car(self) -> tuple[CarRow, ...]:
        """Who still owes, by car (registrations with the same plate are one car; for a
        club drive every registration is a car). Biggest amount first."""
        groups: dict[str, list[FeeRow]] = {}
        for r in self.rows:
            if r.outstanding > 0:
                groups.setdefault(r.plate or f"reg:{r.registration_id}", []).append(r)
        cars = [
            CarRow(
                rows[0].plate,
                tuple(r.name for r in rows),
                tuple(r.registration_id for r in rows),
                sum(r.party_size for r in rows),
                sum(r.owed for r in rows),
                sum(r.paid for r in rows),
                sum(r.outstanding for r in rows),
            )
            for rows in groups.values()
        ]
        return tuple(sorted(cars, key=lambda c: (-c.outstanding, c.plate or "", c.names)))

    def to_json(self) -> dict[str, Any]:
        return {
            "event_id": str(self.event_id),
            "event_title": self.event_title,
            "event_status": self.event_status,
            "items": [r.to_json() for r in self.rows],
            "total_owed": json_money(self.total_owed),
            "total_paid": json_money(self.total_paid),
            "total_outstanding": json_money(self.total_outstanding),
            "total_refund_due": json_money(self.total_refund_due),
            "spent": json_money(self.spent),
            "subsidy": json_money(self.subsidy),
            "cost_items": [i.to_json() for i in self.items],
            "refunds": [
                {
                    "registration_id": str(r.registration_id),
                    "name": r.name,
                    "amount": json_money(r.refund_due),
                }
                for r in self.refunds
            ],
            "outstanding_by_car": [c.to_json() for c in self.by_car],
        }


@dataclass(frozen=True, slots=True)
class PaymentView:
    id: uuid.UUID
    nonce: uuid.UUID
    event_id: uuid.UUID
    registration_id: uuid.UUID
    person_id: uuid.UUID
    name: str
    kind: str
    amount_cents: int
    method: str
    reference: str | None
    taken_by: str | None
    taken_at: datetime
    receipt_no: str | None
    corrects_id: uuid.UUID | None
    note: str | None
    voided: bool = False  # a correction reverses it

    def to_json(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "registration_id": str(self.registration_id),
            "event_id": str(self.event_id),
            "person_id": str(self.person_id),
            "name": self.name,
            "kind": self.kind,
            "amount": json_money(self.amount_cents),
            "method": self.method,
            "reference": self.reference,
            "taken_by": self.taken_by,
            "taken_at": self.taken_at.isoformat(),
            "receipt_no": self.receipt_no,
            "corrects_id": str(self.corrects_id) if self.corrects_id else None,
            "voided": self.voided,
            "note": self.note,
            "nonce": str(self.nonce),
        }


@dataclass(frozen=True, slots=True)
class PaymentResult(Balance):
    """A payment, refund or correction just recorded, and where the registration stands."""

    payment: PaymentView
    owed: int
    paid: int
    replayed: bool = False  # the nonce was recorded before: nothing new written

    def to_json(self) -> dict[str, Any]:
        return self.payment.to_json() | {
            "owed": json_money(self.owed),
            "paid": json_money(self.paid),
            "outstanding": json_money(self.outstanding),
            "refund_due": json_money(self.refund_due),
            "replayed": self.replayed,
        }


@dataclass(frozen=True, slots=True)
class EventMoney:
    """The event report's money figures (all in cents)."""

    collected: int  # payments minus refunds
    spent: int  # what the cost items come to
    subsidy: int  # the dealer's part of the costs
    owed: int  # what the participants owe in total
    outstanding: int
    refund_due: int
    attendees: int
    has_fees: bool = False

    @property
    def balance(self) -> int:
        """Collected minus spent: what the event left in (or took from) the dealer's till."""
        return self.collected - self.spent

    @property
    def cost_per_attendee(self) -> int | None:
        return round_half_up(self.spent, self.attendees) if self.attendees else None

    @property
    def subsidy_per_attendee(self) -> int | None:
        return round_half_up(self.subsidy, self.attendees) if self.attendees else None

    def to_json(self) -> dict[str, Any]:
        def opt(v: int | None) -> str | None:
            return json_money(v) if v is not None else None

        return {
            "collected": json_money(self.collected),
            "spent": json_money(self.spent),
            "subsidy": json_money(self.subsidy),
            "balance": json_money(self.balance),
            "owed": json_money(self.owed),
            "outstanding": json_money(self.outstanding),
            "refund_due": json_money(self.refund_due),
            "attendees": self.attendees,
            "cost_per_attendee": opt(self.cost_per_attendee),
            "subsidy_per_attendee": opt(self.subsidy_per_attendee),
        }


def round_half_up(cents: int, n: int) -> int:
    """cents / n to the nearest cent, halves away from zero (an average, not a share)."""
    q = (abs(cents) * 2 + n) // (2 * n)
    return q if cents >= 0 else -q


# --------------------------------------------------------------------------- input


def money_field(value: object, fld: str, *, allow_zero: bool = False) -> int:
    """Cents from what a person typed; ValidationError naming the field otherwise."""
    try:
        return parse_cents(value, allow_zero=allow_zero)  # type: ignore[arg-type]
    except MoneyError as exc:
        raise ValidationError(fld, exc.code, **exc.params) from None


def _text(value: str | None, fld: str, limit: int) -> str | None:
    text = (value or "").strip()
    if len(text) > limit:
        raise ValidationError(fld, "too_long", max=limit)
    return text or None


def _method(value: str | None) -> str:
    m = (value or "").strip().lower()
    if m not in METHODS:
        raise ValidationError("method", "bad_choice", choices=", ".join(METHODS))
    return m


# --------------------------------------------------------------------------- cost items


def _event(s: Session, event_id: str | uuid.UUID) -> Event:
    e = s.get(Event, parse_id(event_id, "event"))
    if e is None or e.deleted_at is not None:
        raise NotFound("event", event_id)
    return e


def _check_item(
    label: str, amount: object, split: str, subsidy: object
) -> tuple[str, int, str, int]:
    text = (label or "").strip()
    if not text:
        raise ValidationError("label", "required")
    if len(text) > LABEL_MAX:
        raise ValidationError("label", "too_long", max=LABEL_MAX)
    cents = money_field(amount, "amount")
    kind = (split or "").strip().lower()
    if kind not in SPLITS:
        raise ValidationError("split", "bad_choice", choices=", ".join(SPLITS))
    sub = 0 if subsidy in (None, "") else money_field(subsidy, "subsidy", allow_zero=True)
    if sub > cents:
        raise ValidationError("subsidy", "subsidy_over_amount")
    return text, cents, kind, sub


def _item_view(i: FeeItem) -> CostItem:
    return CostItem(
        i.id, i.event_id, i.label, i.amount_cents, i.split, i.per_unit, i.subsidy_cents, i.position
    )


def add_cost_item(
    db: Database,
    event_id: str | uuid.UUID,
    label: str,
    amount: object,
    split: str,
    *,
    subsidy: object = None,
    per_unit: bool = False,
    actor: object = None,
) -> CostItem:
    """A new cost item of the event (`paddock fee add`)."""
    require(db, actor, Permission.PLAN_EVENTS)
    text, cents, kind, sub = _check_item(label, amount, split, subsidy)
    with db.write() as s:
        e = _event(s, event_id)
        if e.status == EventStatus.CANCELLED:
            raise RuleViolation(code="fee_event_cancelled")
        last = s.scalar(
            select(func.max(FeeItem.position)).where(
                FeeItem.event_id == e.id, FeeItem.deleted_at.is_(None)
            )
        )
        item = FeeItem(
            event_id=e.id,
            label=text,
            amount_cents=cents,
            split=kind,
            per_unit=bool(per_unit) and kind != FeeSplit.FIXED,
            subsidy_cents=sub,
            position=(last or 0) + 1,
        )
        stamp_origin(s, item)
        s.add(item)
        s.flush()
        audit(s, "fee.item_add", "event", e.id, _item_audit(item), actor)
        return _priced(s, item)


def update_cost_item(
    db: Database,
    item_id: str | uuid.UUID,
    label: str,
    amount: object,
    split: str,
    *,
    subsidy: object = None,
    per_unit: bool = False,
    actor: object = None,
) -> CostItem:
    """Change a cost item: everybody's share follows (payments stay as recorded)."""
    require(db, actor, Permission.PLAN_EVENTS)
    text, cents, kind, sub = _check_item(label, amount, split, subsidy)
    with db.write() as s:
        item = _item(s, item_id)
        before = _item_audit(item)
        item.label, item.amount_cents, item.split, item.subsidy_cents = text, cents, kind, sub
        item.per_unit = bool(per_unit) and kind != FeeSplit.FIXED
        s.flush()
        audit(
            s,
            "fee.item_change",
            "event",
            item.event_id,
            {"before": before, "after": _item_audit(item)},
            actor,
        )
        return _priced(s, item)


def _priced(s: Session, item: FeeItem) -> CostItem:
    """The item with what it comes to with today's registrations."""
    s.flush()
    return next(i for i in sheet_in(s, item.event_id).items if i.id == item.id)


def remove_cost_item(db: Database, item_id: str | uuid.UUID, actor: object = None) -> None:
    """Take a cost item off the event (soft deletion: HQ and packs learn of it)."""
    require(db, actor, Permission.PLAN_EVENTS)
    with db.write() as s:
        item = _item(s, item_id)
        item.deleted_at = now_utc()
        audit(s, "fee.item_remove", "event", item.event_id, _item_audit(item), actor)


def _item(s: Session, item_id: str | uuid.UUID) -> FeeItem:
    item = s.get(FeeItem, parse_id(item_id, "cost item"))
    if item is None or item.deleted_at is not None:
        raise NotFound("cost item", item_id)
    e = s.get(Event, item.event_id)
    if e is not None and e.status == EventStatus.CANCELLED:
        raise RuleViolation(code="fee_event_cancelled")
    return item


def _item_audit(i: FeeItem) -> dict[str, Any]:
    return {
        "item": str(i.id),
        "label": i.label,
        "amount": json_money(i.amount_cents),
        "split": i.split,
        "per_unit": i.per_unit,
        "subsidy": json_money(i.subsidy_cents),
    }


# --------------------------------------------------------------------------- the sheet


def _units(split: str, party_size: int, has_car: bool) -> int:
    """How many units of `split` one registration holds."""
    if split == FeeSplit.PERSON:
        return max(int(party_size or 1), 1)
    if split == FeeSplit.CAR:
        return 1 if has_car else 0
    return 1  # family, fixed: one per registration


def _has_car(drive: bool) -> Any:
    """SQL: does a registration bring a car (a club drive's always does: one per car)."""
    if drive:
        return true()
    return or_(Registration.plate.is_not(None), Registration.vehicle_id.is_not(None))


def _sharing(e: Event) -> Any:
    """SQL: the registrations that share the event's costs."""
    if e.status == EventStatus.CANCELLED:
        return false()
    return and_(Registration.deleted_at.is_(None), Registration.status.in_(sorted(CONFIRMED)))


def _items_of(s: Session, event_id: uuid.UUID) -> list[FeeItem]:
    return list(
        s.scalars(
            select(FeeItem)
            .where(FeeItem.event_id == event_id, FeeItem.deleted_at.is_(None))
            .order_by(FeeItem.position, FeeItem.created_at, FeeItem.id)
        )
    )


def _paid_by_registration(s: Session, event_id: uuid.UUID) -> dict[uuid.UUID, tuple[int, int]]:
    """registration → (net paid cents, number of ledger rows)."""
    return {
        rid: (int(total or 0), int(n))
        for rid, total, n in s.execute(
            select(Payment.registration_id, func.sum(Payment.amount_cents), func.count())
            .where(Payment.event_id == event_id)
            .group_by(Payment.registration_id)
        )
    }


def sheet_in(s: Session, event_id: str | uuid.UUID) -> FeeSheet:
    """The fee sheet inside a caller's session (see fee_sheet)."""
    e = _event(s, event_id)
    drive = e.type == EventType.CLUB_DRIVE
    items = _items_of(s, e.id)
    paid = _paid_by_registration(s, e.id)
    regs = s.execute(
        select(
            Registration.id,
            Registration.person_id,
            Person.name,
            Person.phone,
            Registration.plate,
            Registration.party_size,
            Registration.status,
            Registration.registered_at,
            _has_car(drive),
            _sharing(e),
            Registration.checked_in_at,
            Registration.online_minutes,
        )
        .join(Person, Person.id == Registration.person_id)
        .where(Registration.event_id == e.id)
        .order_by(Registration.registered_at, Registration.id)
    ).all()
    sharing = [r for r in regs if r[9]]
    weights = {i.id: [_units(i.split, r.party_size, bool(r[8])) for r in sharing] for i in items}
    shares: dict[uuid.UUID, list[Share]] = {r.id: [] for r in sharing}
    views: list[CostItem] = []
    for i in items:
        w = weights[i.id]
        units = sum(w)
        amounts = _item_shares(i, w)
        for r, units_r, cents in zip(sharing, w, amounts, strict=True):
            if units_r:
                shares[r.id].append(Share(i.id, i.label, units_r, cents))
        priced = i.per_unit or i.split == FeeSplit.FIXED
        views.append(
            replace(
                _item_view(i),
                units=units,
                charged_cents=sum(amounts),
                spent_cents=i.amount_cents * units if priced else i.amount_cents,
                subsidy_total_cents=i.subsidy_cents * units if priced else i.subsidy_cents,
            )
        )
    rows: list[FeeRow] = []
    now = now_utc()
    for r in regs:
        mine = shares.get(r.id)
        got, n_rows = paid.get(r.id, (0, 0))
        if mine is None and n_rows == 0:
            continue
        rows.append(
            FeeRow(
                r.id,
                r.person_id,
                r.name,
                r.phone,
                r.plate,
                r.party_size,
                shown_status(r, e, now),  # as the attendee tab shows it
                r.registered_at,
                mine is not None,
                tuple(mine or ()),
                sum(x.cents for x in mine or ()),
                got,
            )
        )
    ledger_rows = sum(n for _paid, n in paid.values())
    return FeeSheet(e.id, e.title, e.status, drive, tuple(views), tuple(rows), ledger_rows)


def _item_shares(i: FeeItem, weights: Sequence[int]) -> list[int]:
    """Cents each sharing registration owes for one item (in registration order)."""
    if i.per_unit or i.split == FeeSplit.FIXED:
        return [(i.amount_cents - i.subsidy_cents) * w for w in weights]
    return split_cents(i.amount_cents - i.subsidy_cents, weights)


def fee_sheet(db: Database, event_id: str | uuid.UUID) -> FeeSheet:
    """Cost items, who owes what, payments, refunds due and the outstanding list by car."""
    require(db, None, Permission.LOOK_UP_PEOPLE)
    with db.read() as s:
        return sheet_in(s, event_id)


def owed_map(db: Database, event_id: str | uuid.UUID) -> dict[uuid.UUID, FeeRow]:
    """registration → its fee row (the attendee list's "Owes" column); empty if no fees."""
    with db.read() as s:
        sheet = sheet_in(s, event_id)
    return {} if sheet.is_empty else {r.registration_id: r for r in sheet.rows}


def has_fees(s: Session, event_id: uuid.UUID) -> bool:
    return bool(s.connection().execute(_HAS_FEES, {"eid": event_id}).scalar())


# The desk asks for one registration's outstanding amount on every scan: statements built
# once, executed on the connection (no ORM objects), as checkin's own hot path does.
_EID, _RID = bindparam("eid", type_=Uuid()), bindparam("rid", type_=Uuid())


def fees_exist(event_id: Any) -> ColumnElement[bool]:
    """Whether an event has fees (a live item, or a payment): a SQL condition on the
    event id `event_id` (a bound parameter, or a column the check-in read correlates to)."""
    return or_(
        exists().where(FeeItem.event_id == event_id, FeeItem.deleted_at.is_(None)),
        exists().where(Payment.event_id == event_id),
    )


_HAS_FEES = select(fees_exist(_EID))
_ITEMS = (
    select(FeeItem.amount_cents, FeeItem.subsidy_cents, FeeItem.split, FeeItem.per_unit)
    .where(FeeItem.event_id == _EID, FeeItem.deleted_at.is_(None))
    .order_by(FeeItem.position, FeeItem.created_at, FeeItem.id)
)
_FACTS = (
    select(
        Event.type,
        Event.status,
        Registration.registered_at,
        Registration.party_size,
        or_(Registration.plate.is_not(None), Registration.vehicle_id.is_not(None)),
        Registration.status,
        Registration.deleted_at,
        select(func.coalesce(func.sum(Payment.amount_cents), 0))
        .where(Payment.registration_id == _RID)
        .scalar_subquery(),
    )
    .join(Event, Event.id == Registration.event_id)
    .where(Registration.id == _RID)
)


def _totals_select(drive: bool) -> Any:
    """Units of the sharing registrations, in all and before one registration (by
    registered_at, then id): people, cars, registrations."""
    car = case((_has_car(drive), 1), else_=0)
    before = tuple_(Registration.registered_at, Registration.id) < tuple_(
        bindparam("at", type_=Registration.registered_at.type), bindparam("me", type_=Uuid())
    )
    person = Registration.party_size  # ≥ 1 (services/registration checks it)
    return select(
        func.coalesce(func.sum(person), 0),
        func.coalesce(func.sum(car), 0),
        func.count(),
        func.coalesce(func.sum(case((before, person), else_=0)), 0),
        func.coalesce(func.sum(case((before, car), else_=0)), 0),
        func.coalesce(func.sum(case((before, 1), else_=0)), 0),
    ).where(
        Registration.event_id == _EID,
        Registration.deleted_at.is_(None),
        Registration.status.in_(sorted(CONFIRMED)),
    )


_TOTALS = {True: _totals_select(True), False: _totals_select(False)}


def outstanding_in(
    s: Session, event_id: uuid.UUID, registration_id: uuid.UUID, with_fees: bool | None = None
) -> int | None:
    """What one registration still owes (the desk's "还需缴纳 ¥180"): one EXISTS for an
    event without fees; else the items, the registration's facts and one aggregate over
    the sharing registrations, not the whole sheet. None when the event has no fees.
    `with_fees`: whether the event has fees when the caller already read it (fees_exist, in the
    same transaction), so the EXISTS is not run again. Agrees with sheet_in (tests check
    both on the same events)."""
    conn = s.connection()
    if with_fees is None:
        with_fees = bool(conn.execute(_HAS_FEES, {"eid": event_id}).scalar())
    if not with_fees:
        return None
    items = conn.execute(_ITEMS, {"eid": event_id}).all()
    me = conn.execute(_FACTS, {"rid": registration_id}).first()
    if me is None:
        return None
    etype, estatus, at, party, with_car, status, deleted, paid = me
    paid = int(paid or 0)
    if (
        not items
        or estatus == EventStatus.CANCELLED
        or deleted is not None
        or status not in CONFIRMED
    ):
        return 0
    drive = etype == EventType.CLUB_DRIVE
    totals = conn.execute(_TOTALS[drive], {"eid": event_id, "at": at, "me": registration_id}).one()
    units_total = {FeeSplit.PERSON: totals[0], FeeSplit.CAR: totals[1]}
    units_before = {FeeSplit.PERSON: totals[3], FeeSplit.CAR: totals[4]}
    owed = 0
    for amount, subsidy, split, per_unit in items:
        w = _units(split, party, drive or bool(with_car))
        if per_unit or split == FeeSplit.FIXED:
            owed += (amount - subsidy) * w
            continue
        total = int(units_total.get(split, totals[2]))
        prior = int(units_before.get(split, totals[5]))
        owed += share_of(amount - subsidy, prior, w, total)
    return max(0, owed - paid)


def event_money_in(s: Session, event_id: uuid.UUID, attendees: int) -> EventMoney:
    """The event report's money figures; `attendees` as the report counts them."""
    sheet = sheet_in(s, event_id)
    return EventMoney(
        collected=sheet.total_paid,
        spent=sheet.spent,
        subsidy=sheet.subsidy,
        owed=sheet.total_owed,
        outstanding=sheet.total_outstanding,
        refund_due=sheet.total_refund_due,
        attendees=attendees,
        has_fees=has_fees(s, sheet.event_id),
    )


# --------------------------------------------------------------------------- receipts numbers


def next_receipt_no(s: Session) -> str:
    """The next receipt number of this dealer, e.g. SH-0021-000042.

    One series per dealer in `settings` (row-locked, so two desks never take the same
    number); an event pack holds a block reserved from it ("last" set), so numbers taken on
    an offline laptop never meet the dealership's.
    """
    row = _series_row(s)
    value = dict(row.value or {})
    n = int(value.get("next") or 1)
    last = value.get("last")
    if last is not None and n > int(last):
        raise RuleViolation(code="receipts_used_up", last=_format_receipt(s, int(last)))
    row.value = {**value, "next": n + 1}
    s.flush()
    return _format_receipt(s, n)


def reserve_receipt_block(s: Session, size: int) -> dict[str, int]:
    """Take `size` numbers off this database's series for an event pack: the pack's own
    series setting ({"next", "last"})."""
    row = _series_row(s)
    value = dict(row.value or {})
    n = int(value.get("next") or 1)
    row.value = {**value, "next": n + size}
    s.flush()
    return {"next": n, "last": n + size - 1}


def _series_row(s: Session) -> Setting:
    stmt = (
        select(Setting)
        .where(Setting.key == RECEIPT_SERIES)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    row = s.scalars(stmt).first()
    if row is not None:
        return row
    try:
        with s.begin_nested():
            s.add(Setting(key=RECEIPT_SERIES, value={"next": 1, "last": None}))
    except sa_exc.IntegrityError:  # another desk created it at the same moment
        pass
    row = s.scalars(stmt).first()
    assert row is not None
    return row


def _format_receipt(s: Session, n: int) -> str:
    profile = s.get(DealerProfile, 1)
    code = profile.code if profile else "PADDOCK"
    return f"{code}-{n:0{RECEIPT_DIGITS}d}"


# --------------------------------------------------------------------------- payments


def _registration(s: Session, registration_id: str | uuid.UUID) -> tuple[Registration, Event]:
    r = s.get(Registration, parse_id(registration_id, "registration"))
    if r is None or r.deleted_at is not None:
        raise NotFound("registration", registration_id)
    e = s.get(Event, r.event_id)
    assert e is not None
    return r, e


def _view(s: Session, p: Payment, voided: bool | None = None) -> PaymentView:
    name = s.scalar(select(Person.name).where(Person.id == p.person_id)) or ""
    if voided is None:
        voided = bool(s.scalar(select(exists().where(Payment.corrects_id == p.id))))
    return replace(_view_named(p, name), voided=voided)


def _result(s: Session, p: Payment, replayed: bool = False) -> PaymentResult:
    s.flush()
    row = sheet_in(s, p.event_id).row(p.registration_id)
    owed, paid = (row.owed, row.paid) if row else (0, 0)
    return PaymentResult(_view(s, p), owed, paid, replayed)


def _by_nonce(s: Session, nonce: uuid.UUID) -> Payment | None:
    return s.scalars(select(Payment).where(Payment.nonce == nonce)).first()


def _record(
    db: Database,
    registration_id: str | uuid.UUID,
    decide: Any,
    *,
    nonce: uuid.UUID | str | None,
    actor: object,
) -> PaymentResult:
    """One ledger row in one transaction, idempotent by nonce (a payment sent twice, or
    merged from a laptop, is stored once). `decide(s, r, e, who)` returns the new row."""
    who = require(db, actor, Permission.PAYMENTS)
    n = as_nonce(nonce)  # any text a till or a script sends maps stably to one id
    try:
        with db.write() as s:
            stored = _by_nonce(s, n)
            if stored is not None:
                return _result(s, stored, replayed=True)
            r, e = _registration(s, registration_id)
            row = decide(s, r, e, who)
            row.nonce = n
            stamp_origin(s, row)
            s.add(row)
            s.flush()
            audit(
                s,
                f"fee.{row.kind}",
                "registration",
                r.id,
                {
                    "amount": json_money(row.amount_cents),
                    "method": row.method,
                    "receipt_no": row.receipt_no,
                    "payment": str(row.id),
                },
                actor,
            )
            return _result(s, row)
    except sa_exc.IntegrityError:
        with db.read() as s:
            stored = _by_nonce(s, n)
            if stored is None:
                raise
            return _result(s, stored, replayed=True)


def record_payment(
    db: Database,
    registration_id: str | uuid.UUID,
    amount: object,
    method: str,
    reference: str | None = None,
    *,
    taken_by: str | None = None,
    taken_at: datetime | None = None,
    nonce: uuid.UUID | str | None = None,
    note: str | None = None,
    actor: object = None,
) -> PaymentResult:
    """Money received for a registration (`paddock pay`): partial payments are fine; more
    than owed shows as a refund due. Refused for a cancelled registration or event."""
    cents = money_field(amount, "amount")
    m = _method(method)
    ref = _text(reference, "reference", REFERENCE_MAX)
    text = _text(note, "note", NOTE_MAX)

    def decide(s: Session, r: Registration, e: Event, who: Any) -> Payment:
        if e.status == EventStatus.CANCELLED:
            raise RuleViolation(code="fee_event_cancelled")
        if r.status == RegistrationStatus.CANCELLED:
            raise RuleViolation(code="fee_registration_cancelled")
        return _row(s, r, who, PaymentKind.PAYMENT, cents, m, ref, taken_by, taken_at, text)

    return _record(db, registration_id, decide, nonce=nonce, actor=actor)


def record_refund(
    db: Database,
    registration_id: str | uuid.UUID,
    amount: object = None,
    method: str | None = None,
    reference: str | None = None,
    *,
    taken_by: str | None = None,
    taken_at: datetime | None = None,
    nonce: uuid.UUID | str | None = None,
    note: str | None = None,
    actor: object = None,
) -> PaymentResult:
    """Money paid back (`paddock refund`): by default what is due back (paid − owed: all of
    it for a cancelled registration or event); `amount` refunds a set sum up to what was
    paid. The method defaults to the one of the last payment."""
    cents = None if amount in (None, "") else money_field(amount, "amount")
    m = None if method in (None, "") else _method(method)
    ref = _text(reference, "reference", REFERENCE_MAX)
    text = _text(note, "note", NOTE_MAX)

    def decide(s: Session, r: Registration, e: Event, who: Any) -> Payment:
        row = sheet_in(s, e.id).row(r.id)
        owed, paid = (row.owed, row.paid) if row else (0, 0)
        if paid <= 0:
            raise RuleViolation(code="refund_nothing_paid")
        due = cents
        if due is None:
            due = max(0, paid - owed)
            if due == 0:
                raise RuleViolation(
                    code="refund_nothing_due", paid=json_money(paid), owed=json_money(owed)
                )
        elif due > paid:
            raise RuleViolation(code="refund_too_much", paid=json_money(paid))
        how = m or _last_method(s, r.id)
        return _row(s, r, who, PaymentKind.REFUND, -due, how, ref, taken_by, taken_at, text)

    return _record(db, registration_id, decide, nonce=nonce, actor=actor)


def refund_all(
    db: Database, event_id: str | uuid.UUID, method: str | None = None, actor: object = None
) -> list[PaymentResult]:
    """Record every refund due at once (an event cancelled: everyone gets their money back)."""
    sheet = fee_sheet(db, event_id)
    return [record_refund(db, r.registration_id, method=method, actor=actor) for r in sheet.refunds]


def void_payment(
    db: Database,
    payment_id: str | uuid.UUID,
    reason: str,
    *,
    nonce: uuid.UUID | str | None = None,
    actor: object = None,
) -> PaymentResult:
    """Reverse a payment or refund recorded by mistake: a correction row of the opposite
    amount (the ledger is append-only; the mistaken row stays, marked voided)."""
    why = _text(reason, "reason", NOTE_MAX)
    if not why:
        raise ValidationError("reason", "reason_required")
    pid = parse_id(payment_id, "payment")
    with db.read() as s:
        target = s.get(Payment, pid)
        if target is None:
            raise NotFound("payment", payment_id)
        reg_id = target.registration_id

    def decide(s: Session, r: Registration, e: Event, who: Any) -> Payment:
        p = s.get(Payment, pid)
        assert p is not None
        if p.kind == PaymentKind.CORRECTION:
            raise RuleViolation(code="void_correction")
        if s.scalar(select(exists().where(Payment.corrects_id == p.id))):
            raise RuleViolation(code="already_voided", receipt=p.receipt_no or "")
        row = _row(
            s,
            r,
            who,
            PaymentKind.CORRECTION,
            -p.amount_cents,
            p.method,
            p.reference,
            None,
            None,
            why,
            receipt=False,
        )
        row.corrects_id = p.id
        return row

    return _record(db, reg_id, decide, nonce=nonce, actor=actor)


def _row(
    s: Session,
    r: Registration,
    who: Any,
    kind: str,
    cents: int,
    method: str,
    reference: str | None,
    taken_by: str | None,
    taken_at: datetime | None,
    note: str | None,
    *,
    receipt: bool = True,
) -> Payment:
    return Payment(
        id=new_id(),
        event_id=r.event_id,
        registration_id=r.id,
        person_id=r.person_id,
        kind=str(kind),
        amount_cents=cents,
        method=method,
        reference=reference,
        taken_by=_text(taken_by, "taken_by", 100) or (getattr(who, "name", "") or None),
        staff_id=getattr(who, "id", None),
        taken_at=taken_at or now_utc(),
        receipt_no=next_receipt_no(s) if receipt else None,
        note=note,
    )


def _last_method(s: Session, registration_id: uuid.UUID) -> str:
    m = s.scalar(
        select(Payment.method)
        .where(Payment.registration_id == registration_id, Payment.kind == PaymentKind.PAYMENT)
        .order_by(Payment.taken_at.desc(), Payment.id)
        .limit(1)
    )
    return m or PaymentMethod.CASH.value


def list_payments(
    db: Database,
    event_id: str | uuid.UUID | None = None,
    registration_id: str | uuid.UUID | None = None,
) -> list[PaymentView]:
    """The ledger of an event or of one registration, oldest first (voided rows marked)."""
    require(db, None, Permission.LOOK_UP_PEOPLE)
    with db.read() as s:
        return payments_in(s, event_id=event_id, registration_id=registration_id)


def payments_in(
    s: Session,
    *,
    event_id: str | uuid.UUID | None = None,
    registration_id: str | uuid.UUID | None = None,
) -> list[PaymentView]:
    stmt = select(Payment, Person.name).join(Person, Person.id == Payment.person_id)
    if registration_id is not None:
        stmt = stmt.where(Payment.registration_id == parse_id(registration_id, "registration"))
    elif event_id is not None:
        stmt = stmt.where(Payment.event_id == _event(s, event_id).id)
    rows = s.execute(stmt.order_by(Payment.taken_at, Payment.created_at, Payment.id)).all()
    voided = {p.corrects_id for p, _ in rows if p.corrects_id}
    return [replace(_view_named(p, name), voided=p.id in voided) for p, name in rows]


def _view_named(p: Payment, name: str) -> PaymentView:
    return PaymentView(
        p.id,
        p.nonce,
        p.event_id,
        p.registration_id,
        p.person_id,
        name,
        p.kind,
        p.amount_cents,
        p.method,
        p.reference,
        p.taken_by,
        p.taken_at,
        p.receipt_no,
        p.corrects_id,
        p.note,
    )
