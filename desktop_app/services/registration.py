"""Registrations: register, cancel (with automatic waitlist promotion), list with derived status.

Rules (docs/user-guide and docs/qr-ticket.md describe them for users):
- One registration per person per event. Registering again while it is active raises
  RuleViolation("already_registered") naming its status; registering again after a
  cancellation re-activates the same row (capacity and waitlist apply again, and the
  person keeps the ticket they already hold, so the QR on their phone works again).
- Only published events accept registrations. A walk-in (source walk_in) may also be
  added to a CLOSED event and outside the registration window — the person is at the
  door — but never to a draft, completed or cancelled event.
- Capacity counts seats (sum of party_size of registered/attended rows) or, for club
  drives, cars (details.max_cars, else capacity; one registration = one car). When full
  the registration is waitlisted if the event has a waitlist, else refused.
- Cancelling frees seats and promotes waitlisted registrations in waitlist order; a party
  that does not fit the freed seats is skipped (it keeps its place) so a single seat is
  not left empty behind a family of four.
- The capacity check and the insert run in one write transaction: BEGIN IMMEDIATE on
  SQLite, and the event row locked (SELECT … FOR UPDATE) on PostgreSQL, so two desks
  registering the last seat at once can never overbook.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Uuid, bindparam, case, func, select
from sqlalchemy.orm import Session

from desktop_app.domain import kpi
from desktop_app.domain.enums import (
    AnswerSource,
    EventStatus,
    EventType,
    RegistrationSource,
    RegistrationStatus,
    Stage,
)
from desktop_app.domain.errors import NotFound, RuleViolation, ValidationError
from desktop_app.domain.ids import new_id
from desktop_app.domain.messages import EventStatusWord
from desktop_app.domain.phone import PhoneError, normalise_phone
from desktop_app.domain.roles import Permission
from desktop_app.domain.timeutil import now_utc, to_local
from desktop_app.domain.vehicle_ids import PlateError, normalise_plate
from desktop_app.services.auth import require
from desktop_app.services.common import audit, live_event, parse_id, stamp_origin
from desktop_app.services.questions import (
    answers_in,
    check_answers,
    missing_required,
    questions_in,
    store_answers_in,
    view_of,
)
from desktop_app.store.db import Database
from desktop_app.store.models import DealerProfile, Event, Person, Registration, Staff, Vehicle

PARTY_MAX = 50
SEAT_STATUSES = (RegistrationStatus.REGISTERED.value, RegistrationStatus.ATTENDED.value)
ACTIVE_STATUSES = (*SEAT_STATUSES, RegistrationStatus.WAITLISTED.value)
_AS_STORED = frozenset(
    {
        RegistrationStatus.CANCELLED.value,
        RegistrationStatus.WAITLISTED.value,
        RegistrationStatus.PENDING.value,
        RegistrationStatus.DECLINED.value,
    }
)
# Walk-ins are people at the door: a closed event (registration stopped) still takes them.
WALK_IN_EVENT_STATUSES = (EventStatus.PUBLISHED.value, EventStatus.CLOSED.value)


# --------------------------------------------------------------------------- results


@dataclass(frozen=True, slots=True)
class RegistrationView:
    id: uuid.UUID
    event_id: uuid.UUID
    person_id: uuid.UUID
    name: str
    phone: str | None
    status: str  # derived: registered, waitlisted, cancelled, attended, no_show
    stored_status: str  # what the row says: registered, waitlisted, cancelled
    source: str
    party_size: int
    passengers: int
    vehicle_id: uuid.UUID | None
    plate: str | None
    driver_consent_at: datetime | None
    referred_by_id: uuid.UUID | None
    invited_by_id: uuid.UUID | None
    registered_at: datetime
    waitlisted_at: datetime | None
    waitlist_position: int | None
    cancelled_at: datetime | None
    cancel_reason: str | None
    ticket_code: str | None
    checked_in_at: datetime | None
    online_minutes: int | None
    is_walk_in: bool
    reactivated: bool = False
    promoted: bool = False  # this registration just left the waitlist
    # issue 14: answers to the event's questions {key: typed value}; approval decision
    answers: dict[str, Any] = field(default_factory=dict)
    decided_at: datetime | None = None
    decline_reason: str | None = None

    @property
    def short_code(self) -> str | None:
        return short_code_of(self.ticket_code)

    @property
    def checked_in(self) -> bool:
        return self.checked_in_at is not None

    def to_json(self) -> dict[str, Any]:
        def iso(x: datetime | None) -> str | None:
            return x.isoformat() if x else None

        def sid(x: uuid.UUID | None) -> str | None:
            return str(x) if x else None

        return {
            "id": str(self.id),
            "event_id": str(self.event_id),
            "person_id": str(self.person_id),
            "name": self.name,
            "status": self.status,
            "ticket_code": self.ticket_code,
            "checked_in": self.checked_in,
            "phone": self.phone,
            "stored_status": self.stored_status,
            "source": self.source,
            "party_size": self.party_size,
            "passengers": self.passengers,
            "vehicle_id": sid(self.vehicle_id),
            "plate": self.plate,
            "driver_consent_at": iso(self.driver_consent_at),
            "referred_by_id": sid(self.referred_by_id),
            "invited_by_id": sid(self.invited_by_id),
            "registered_at": iso(self.registered_at),
            "waitlisted_at": iso(self.waitlisted_at),
            "waitlist_position": self.waitlist_position,
            "cancelled_at": iso(self.cancelled_at),
            "cancel_reason": self.cancel_reason,
            "short_code": self.short_code,
            "checked_in_at": iso(self.checked_in_at),
            "online_minutes": self.online_minutes,
            "walk_in": self.is_walk_in,
            "reactivated": self.reactivated,
            "promoted": self.promoted,
            "answers": dict(self.answers),
            "decided_at": iso(self.decided_at),
            "decline_reason": self.decline_reason,
        }


@dataclass(frozen=True, slots=True)
class CancelResult:
    registration: RegistrationView
    promoted: tuple[RegistrationView, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return self.registration.to_json() | {"promoted": [p.to_json() for p in self.promoted]}


@dataclass(frozen=True, slots=True)
class Occupancy:
    """How full an event is, in its unit (seats, or cars for club drives)."""

    event_id: uuid.UUID
    unit: str  # "seats" or "cars"
    capacity: int | None
    used: int
    waitlisted: int  # registrations on the waitlist
    registrations: int  # registered/attended registrations (people, not seats)
    waitlist_enabled: bool

    @property
    def free(self) -> int | None:
        return None if self.capacity is None else max(self.capacity - self.used, 0)

    def to_json(self) -> dict[str, Any]:
        return {
            "event_id": str(self.event_id),
            "unit": self.unit,
            "capacity": self.capacity,
            "used": self.used,
            "free": self.free,
            "waitlisted": self.waitlisted,
            "registrations": self.registrations,
            "waitlist": self.waitlist_enabled,
        }


@dataclass(frozen=True, slots=True)
class RegistrationRequest:
    """What the register form / CLI / import gives (resolved inside the transaction)."""

    person_id: uuid.UUID | str | None = None
    phone: str | None = None
    name: str | None = None
    source: str = RegistrationSource.PHONE_INVITE.value
    party_size: int = 1
    vehicle_id: uuid.UUID | str | None = None
    plate: str | None = None
    passengers: int | None = None
    driver_consent: bool = False
    referred_by_id: uuid.UUID | str | None = None
    invited_by_id: uuid.UUID | str | None = None
    answers: dict[str, Any] | None = None  # the online form's other columns, by title
    # issue 14: answers to the event's questions {key: raw value} (checked here) and who
    # may skip approval (a coordinator admitting a walk-in at the door)
    question_answers: Mapping[str, Any] | None = None
    approved: bool = False
    allow_over_capacity: bool = False  # a manager lets a walk-in in although full
    registered_at: datetime | None = None  # e.g. the form's submit time
    # An online-form submission imported later: the window is checked at its submit time
    # (pass now=submitted) and a closed event still takes it (it came in before closing).
    imported: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


# --------------------------------------------------------------------------- derivation


def short_code_of(ticket_code: str | None) -> str | None:
    """The 8-char manual-entry code inside a payload (P1.EVENT.TICKET.SIG → TICKET[:8])."""
    if not ticket_code:
        return None
    parts = ticket_code.split(".")
    return parts[2][:8] if len(parts) == 4 else None


def derive_status(
    stored: str,
    *,
    checked_in_at: datetime | None,
    online_minutes: int | None,
    min_online_minutes: int | None,
    event_status: str,
    event_ends_at: datetime | None,
    now: datetime | None = None,
) -> str:
    """attended / no_show are not stored: they follow from check-ins, online minutes and
    whether the event is over (completed, or its end time has passed). Pending and
    declined registrations held no seat: they are never no-shows."""
    if stored in _AS_STORED:
        return stored
    if kpi.attended(checked_in_at, online_minutes, min_online_minutes):
        return RegistrationStatus.ATTENDED.value
    now = now or now_utc()
    over = event_status == EventStatus.COMPLETED or (
        event_ends_at is not None and event_ends_at < now
    )
    if over and event_status != EventStatus.CANCELLED:
        return RegistrationStatus.NO_SHOW.value
    return RegistrationStatus.REGISTERED.value


def shown_status(r: Any, e: Any, now: datetime | None = None) -> str:
    """derive_status of registration `r` (an ORM row or a selected row) of event `e`: the
    status the attendee tab, the Fees tab and `registrations --json` show."""
    return derive_status(
        r.status,
        checked_in_at=r.checked_in_at,
        online_minutes=r.online_minutes,
        min_online_minutes=e.min_online_minutes,
        event_status=e.status,
        event_ends_at=e.ends_at,
        now=now,
    )


def is_drive(e: Event) -> bool:
    return e.type == EventType.CLUB_DRIVE


def capacity_of(e: Event) -> int | None:
    """Seats, or cars for a club drive (details.max_cars, else capacity). None = no limit."""
    if is_drive(e):
        max_cars = (e.details or {}).get("max_cars")
        if isinstance(max_cars, int) and not isinstance(max_cars, bool) and max_cars > 0:
            return max_cars
    return e.capacity


def _demand(e: Event, r: Registration) -> int:
    return 1 if is_drive(e) else r.party_size


def _used(s: Session, e: Event) -> int:
    measure = func.count() if is_drive(e) else func.coalesce(func.sum(Registration.party_size), 0)
    return int(
        s.scalar(
            select(measure)
            .select_from(Registration)
            .where(
                Registration.event_id == e.id,
                Registration.deleted_at.is_(None),
                Registration.status.in_(SEAT_STATUSES),
            )
        )
        or 0
    )


def seats_used(s: Session, e: Event) -> int:
    """Seats (or cars) taken by registered/attended registrations of `e`."""
    return _used(s, e)


def _occupancy(s: Session, e: Event) -> Occupancy:
    counts = dict(
        s.execute(
            select(Registration.status, func.count())
            .where(Registration.event_id == e.id, Registration.deleted_at.is_(None))
            .group_by(Registration.status)
        ).all()
    )
    return Occupancy(
        event_id=e.id,
        unit="cars" if is_drive(e) else "seats",
        capacity=capacity_of(e),
        used=_used(s, e),
        waitlisted=int(counts.get(RegistrationStatus.WAITLISTED.value, 0)),
        registrations=sum(int(counts.get(x, 0)) for x in SEAT_STATUSES),
        waitlist_enabled=bool(e.waitlist_enabled),
    )


def occupancy(db: Database, event_id: str | uuid.UUID) -> Occupancy:
    with db.read() as s:
        return _occupancy(s, _event(s, event_id))


# --------------------------------------------------------------------------- loading


def tx_cache(s: Session) -> dict[str, Any]:
    """Per-transaction memo: rows locked or pinned in the current transaction."""
    tx = s.get_transaction()
    if "paddock_cache" not in s.info or s.info.get("paddock_tx") is not tx:
        s.info["paddock_tx"] = tx
        s.info["paddock_cache"] = {}
    return s.info["paddock_cache"]


def pin_dealer(s: Session) -> DealerProfile | None:
    """Keep the dealer profile referenced for the transaction: the session's identity map
    is weak, and stamp_origin/audit/tickets read it for every row."""
    cache = tx_cache(s)
    if "dealer" not in cache:
        cache["dealer"] = s.get(DealerProfile, 1)
    return cache["dealer"]


def _event(s: Session, event_id: str | uuid.UUID, *, lock: bool = False) -> Event:
    eid = parse_id(event_id, "event")
    locked: dict[uuid.UUID, Event] = tx_cache(s).setdefault("locked_events", {})
    if lock and eid in locked:  # already locked in this transaction (batch imports)
        return locked[eid]
    e = live_event(s, eid, lock=lock)  # serialises registrations of one event
    if lock:
        locked[eid] = e
    return e


def _registration(s: Session, registration_id: str | uuid.UUID) -> Registration:
    r = s.get(Registration, parse_id(registration_id, "registration"))
    if r is None or r.deleted_at is not None:
        raise NotFound("registration", registration_id)
    return r


def _waitlist(s: Session, event_id: uuid.UUID) -> list[Registration]:
    return list(
        s.scalars(
            select(Registration)
            .where(
                Registration.event_id == event_id,
                Registration.deleted_at.is_(None),
                Registration.status == RegistrationStatus.WAITLISTED.value,
            )
            .order_by(Registration.waitlisted_at, Registration.registered_at, Registration.id)
        )
    )


def _positions(s: Session, event_id: uuid.UUID) -> dict[uuid.UUID, int]:
    return {r.id: n for n, r in enumerate(_waitlist(s, event_id), start=1)}


def _view(
    s: Session,
    r: Registration,
    e: Event | None = None,
    person: Person | None = None,
    positions: dict[uuid.UUID, int] | None = None,
    *,
    now: datetime | None = None,
    reactivated: bool = False,
    promoted: bool = False,
    answers: dict[str, Any] | None = None,
) -> RegistrationView:
    e = e or s.get(Event, r.event_id)
    person = person or s.get(Person, r.person_id)
    assert e is not None and person is not None
    if positions is None and r.status == RegistrationStatus.WAITLISTED:
        positions = _positions(s, e.id)
    return RegistrationView(
        id=r.id,
        event_id=r.event_id,
        person_id=r.person_id,
        name=person.name,
        phone=person.phone,
        status=shown_status(r, e, now),
        stored_status=r.status,
        source=r.source,
        party_size=r.party_size,
        passengers=r.passengers,
        vehicle_id=r.vehicle_id,
        plate=r.plate,
        driver_consent_at=r.driver_consent_at,
        referred_by_id=r.referred_by_id,
        invited_by_id=r.invited_by_id,
        registered_at=r.registered_at,
        waitlisted_at=r.waitlisted_at,
        waitlist_position=(positions or {}).get(r.id),
        cancelled_at=r.cancelled_at,
        cancel_reason=r.cancel_reason,
        ticket_code=r.ticket_code,
        checked_in_at=r.checked_in_at,
        online_minutes=r.online_minutes,
        is_walk_in=r.is_walk_in,
        reactivated=reactivated,
        promoted=promoted,
        answers=answers if answers is not None else answers_in(s, [r.id])[r.id],
        decided_at=r.decided_at,
        decline_reason=r.decline_reason,
    )


# --------------------------------------------------------------------------- people


def find_or_create_person(
    s: Session, phone: str | None, name: str | None, source: str, actor: object = None
) -> tuple[Person, bool]:
    """The person with this phone (E.164), else a new prospect; (person, created).

    Runs inside the caller's transaction; creation goes through people.create_person_in.
    """
    try:
        e164 = normalise_phone(phone)
    except PhoneError as exc:
        raise ValidationError("phone", "bad_value", reason=exc.problem.reason) from None
    p = s.scalars(select(Person).where(Person.phone == e164)).first()
    seen: set[uuid.UUID] = set()
    while p is not None and p.merged_into_id is not None and p.id not in seen:
        seen.add(p.id)  # a merged duplicate: register the kept person
        p = s.get(Person, p.merged_into_id)
    if p is not None and p.deleted_at is None:
        return p, False
    clean = (name or "").strip()
    if not clean:
        raise ValidationError("name", "required")
    if len(clean) > 100:
        raise ValidationError("name", "too_long", max=100)
    if p is not None:  # soft-deleted person with this phone: bring the record back
        p.deleted_at = None
        p.name = clean
        return p, False
    from desktop_app.services.people import PersonDraft, create_person_in

    # people.py owns the person rules (tier, stage stamps, audit)
    draft = PersonDraft(name=clean, phone=e164, stage=Stage.PROSPECT.value, source=source)
    return create_person_in(s, draft, actor), True


def _person(s: Session, req: RegistrationRequest, actor: object) -> Person:
    if req.person_id:
        p = s.get(Person, parse_id(req.person_id, "person"))
        if p is None or p.deleted_at is not None:
            raise NotFound("person", req.person_id)
        while p.merged_into_id is not None:
            kept = s.get(Person, p.merged_into_id)
            if kept is None:
                break
            p = kept
        return p
    if not (req.phone or "").strip():
        raise ValidationError("person", "person_or_phone")
    return find_or_create_person(s, req.phone, req.name, req.source, actor)[0]


# --------------------------------------------------------------------------- checks


def _fmt_local(dt: datetime, tz: str) -> str:
    local = to_local(dt, tz)
    return local.strftime("%Y-%m-%d %H:%M") if local else ""


def _check_open(e: Event, source: str, now: datetime, imported: bool = False) -> None:
    walk_in = source == RegistrationSource.WALK_IN
    late_ok = walk_in or imported
    allowed = WALK_IN_EVENT_STATUSES if late_ok else (EventStatus.PUBLISHED.value,)
    if e.status not in allowed:
        raise RuleViolation(code="event_not_accepting", status=EventStatusWord(e.status))
    if walk_in:
        return
    if e.registration_opens_at and now < e.registration_opens_at:
        raise RuleViolation(
            code="registration_not_open", when=_fmt_local(e.registration_opens_at, e.timezone)
        )
    if e.registration_closes_at and now >= e.registration_closes_at:
        raise RuleViolation(
            code="registration_closed", when=_fmt_local(e.registration_closes_at, e.timezone)
        )
    if e.ends_at and now >= e.ends_at:
        raise RuleViolation(code="event_over")


def _check_request(req: RegistrationRequest) -> None:
    if req.source not in RegistrationSource.__members__.values():
        raise ValidationError("source", "bad_choice", choices=", ".join(RegistrationSource))
    if not isinstance(req.party_size, int) or req.party_size < 1:
        raise ValidationError("party_size", "not_positive", min=1)
    if req.party_size > PARTY_MAX:
        raise ValidationError("party_size", "bad_value", reason=f"at most {PARTY_MAX}")
    if req.passengers is not None and req.passengers < 0:
        raise ValidationError("passengers", "not_positive", min=0)


def _apply_car(
    s: Session, e: Event, r: Registration, req: RegistrationRequest, now: datetime
) -> None:
    """Vehicle/plate, passengers and consent; a club drive needs a car."""
    vehicle_id = parse_id(req.vehicle_id, "vehicle") if req.vehicle_id else None
    plate = None
    if vehicle_id:
        v = s.get(Vehicle, vehicle_id)
        if v is None or v.deleted_at is not None:
            raise NotFound("vehicle", req.vehicle_id)
        if v.person_id != r.person_id:
            raise ValidationError("vehicle", "vehicle_not_theirs")
        plate = v.plate
    if req.plate and req.plate.strip():
        try:
            plate = normalise_plate(req.plate)
        except PlateError as exc:
            raise ValidationError("plate", "bad_value", reason=str(exc)) from None
    if is_drive(e) and not (vehicle_id or plate) and not req.imported:
        # (an imported sign-up is never lost for its plate: signups_import keeps the
        # answer as written, with a warning, for staff to check at the meeting point)
        raise ValidationError("plate", "car_needed")
    r.vehicle_id, r.plate = vehicle_id, plate
    if is_drive(e):
        # one registration = one car: the driver plus passengers
        passengers = req.passengers if req.passengers is not None else req.party_size - 1
        r.passengers = passengers
        r.party_size = 1 + passengers
    else:
        r.passengers = req.passengers or 0
        r.party_size = req.party_size
    if req.driver_consent:
        r.driver_consent_at = r.driver_consent_at or now


def _place(
    s: Session,
    e: Event,
    r: Registration,
    now: datetime,
    over_ok: bool,
    waitlist: bool | None = None,
) -> None:
    """Registered if it fits, else waitlisted (if enabled, or `waitlist`), else refused."""
    cap = capacity_of(e)
    need = _demand(e, r)
    if cap is not None and need > cap and not is_drive(e) and not over_ok:
        raise ValidationError("party_size", "party_too_big", n=need, capacity=cap)
    used, smallest_waiting, last = _capacity_state(s, e) if cap is not None else (0, None, None)
    # Someone who would jump the waitlist waits behind it instead (a safety net: after
    # every change the waitlist is promoted, so normally nobody waiting fits).
    free = (cap - used) if cap is not None else 0
    waiting_fits = free >= 1 and smallest_waiting is not None and smallest_waiting <= free
    fits = cap is None or over_ok or (used + need <= cap and not waiting_fits)
    if fits:
        r.status = RegistrationStatus.REGISTERED.value
        r.waitlisted_at = None
        return
    if not (e.waitlist_enabled if waitlist is None else waitlist):
        raise RuleViolation(
            code="event_full_cars" if is_drive(e) else "event_full", used=used, capacity=cap
        )
    r.status = RegistrationStatus.WAITLISTED.value
    # strictly after the last one, so the order is FIFO even with a coarse clock
    r.waitlisted_at = max(now, last + timedelta(microseconds=1)) if last else now


_WAITING = RegistrationStatus.WAITLISTED.value


def _capacity_select(drive: bool) -> Any:
    waiting = Registration.status == _WAITING
    seated = Registration.status.in_(SEAT_STATUSES)
    if drive:
        used = func.count(case((seated, 1)))
        smallest = func.min(case((waiting, 1)))
    else:
        used = func.sum(case((seated, Registration.party_size)))
        smallest = func.min(case((waiting, Registration.party_size)))
    return select(used, smallest, func.max(case((waiting, Registration.waitlisted_at)))).where(
        Registration.event_id == bindparam("eid", type_=Uuid()),
        Registration.deleted_at.is_(None),
        Registration.status.in_(ACTIVE_STATUSES),
    )


# Built once: building a statement costs more than running it (registration is per row
# in imports of thousands of sign-ups).
_CAPACITY = {True: _capacity_select(True), False: _capacity_select(False)}
_EXISTING = select(Registration).where(
    Registration.event_id == bindparam("eid", type_=Uuid()),
    Registration.person_id == bindparam("pid", type_=Uuid()),
)


def _capacity_state(s: Session, e: Event) -> tuple[int, int | None, datetime | None]:
    """(seats or cars used, smallest waiting demand, last waitlisted_at) in ONE query that
    reads only ix_registrations_event_seats: registering stays flat as an event fills."""
    row = s.execute(_CAPACITY[is_drive(e)], {"eid": e.id}).one()
    return int(row[0] or 0), row[1], row[2]


def _promote(s: Session, e: Event, now: datetime, actor: object) -> list[Registration]:
    """Move waitlisted registrations that fit the free seats to registered, in order."""
    if e.status not in WALK_IN_EVENT_STATUSES:
        return []
    cap = capacity_of(e)
    free = None if cap is None else cap - _used(s, e)
    promoted: list[Registration] = []
    for w in _waitlist(s, e.id):
        need = _demand(e, w)
        if free is not None and need > free:
            continue  # a bigger party keeps its place; smaller ones behind may fit
        w.status = RegistrationStatus.REGISTERED.value
        w.waitlisted_at = None
        if free is not None:
            free -= need
        promoted.append(w)
    if promoted:
        s.flush()
        for w in promoted:
            _ensure_ticket(s, w)
            audit(s, "registration.promote", "registration", w.id, {"event": str(e.id)}, actor)
    return promoted


def _ensure_ticket(s: Session, r: Registration, new: bool = False) -> None:
    """A registered person holds one live ticket: the one they already had (re-activated
    or promoted: the QR on their phone works again), else a newly issued one."""
    from desktop_app.services.tickets import issue_ticket
    from desktop_app.store.models import Ticket

    live = None
    if not new:
        live = s.scalars(
            select(Ticket)
            .where(Ticket.registration_id == r.id, Ticket.revoked_at.is_(None))
            .order_by(Ticket.serial.desc())
        ).first()
    if live is not None:
        r.ticket_code = live.code
    else:
        issue_ticket(s, r, fresh=new)


# --------------------------------------------------------------------------- use cases


def register_in(
    s: Session,
    event_id: str | uuid.UUID,
    req: RegistrationRequest,
    actor: object = None,
    *,
    now: datetime | None = None,
) -> tuple[Registration, bool]:
    """Register inside the caller's write transaction; (row, reactivated).

    Locks the event row first, so the capacity check and the insert are atomic.
    """
    now = now or now_utc()
    _check_request(req)
    pin_dealer(s)
    e = _event(s, event_id, lock=True)
    _check_open(e, req.source, now, req.imported)
    person = _person(s, req, actor)
    existing = s.scalars(_EXISTING, {"eid": e.id, "pid": person.id}).first()
    reactivated = False
    if existing is not None and existing.deleted_at is None:
        if existing.status != RegistrationStatus.CANCELLED:
            shown = _view(s, existing, e, person, now=now)
            raise RuleViolation(code="already_registered", name=person.name, status=shown.status)
        r, reactivated = existing, True
        r.cancelled_at, r.cancel_reason = None, None
    else:
        r = existing or Registration(event_id=e.id, person_id=person.id)
        r.deleted_at = None
        if existing is None:
            stamp_origin(s, r)
    r.source = req.source
    r.is_walk_in = req.source == RegistrationSource.WALK_IN
    r.registered_at = req.registered_at or now
    r.referred_by_id = parse_id(req.referred_by_id, "person") if req.referred_by_id else None
    if r.referred_by_id and s.get(Person, r.referred_by_id) is None:
        raise NotFound("person", req.referred_by_id)
    r.invited_by_id = parse_id(req.invited_by_id, "staff") if req.invited_by_id else None
    if r.invited_by_id and s.get(Staff, r.invited_by_id) is None:
        raise NotFound("staff", req.invited_by_id)
    if req.answers is not None:
        r.answers = req.answers
    qs = [view_of(q) for q in questions_in(s, e.id)] if req.question_answers else []
    checked = check_answers(qs, req.question_answers or {})
    _apply_car(s, e, r, req, now)
    r.decided_at = r.decided_by_id = r.decline_reason = None
    if e.requires_approval and not req.approved:
        # an application: no seat, no ticket, until a coordinator approves it
        r.status = RegistrationStatus.PENDING.value
        r.waitlisted_at = None
    else:
        _place(s, e, r, now, req.allow_over_capacity)
        if e.requires_approval:
            r.decided_at, r.decided_by_id = now, getattr(actor, "id", None)
    if r.status == RegistrationStatus.REGISTERED:
        # a new registration's INSERT carries its ticket code (one flush, no UPDATE)
        _ensure_ticket(s, r, new=existing is None)
    else:
        r.ticket_code = None  # waitlisted / pending: no ticket shown until seated
    if existing is None:
        r.id = r.id or new_id()  # known before the flush, so the audit row joins it
        s.add(r)
    audit(
        s,
        "registration.reactivate" if reactivated else "registration.create",
        "registration",
        r.id,
        {"event": str(e.id), "status": r.status, "source": r.source, "party": r.party_size},
        actor,
    )
    s.flush()  # one flush: the registration, its ticket and the audit row
    if checked:
        store_answers_in(s, r, checked, _answer_source(req.source), qs)
    return r, reactivated


def _answer_source(source: str) -> str:
    if source == RegistrationSource.ONLINE_FORM:
        return AnswerSource.FORM.value
    if source == RegistrationSource.WALK_IN:
        return AnswerSource.DESK.value
    return AnswerSource.SIGNUP.value


def register(
    db: Database,
    event_id: str | uuid.UUID,
    person_id: str | uuid.UUID | None = None,
    *,
    phone: str | None = None,
    name: str | None = None,
    source: str = RegistrationSource.PHONE_INVITE.value,
    party_size: int = 1,
    vehicle_id: str | uuid.UUID | None = None,
    plate: str | None = None,
    passengers: int | None = None,
    driver_consent: bool = False,
    referred_by_id: str | uuid.UUID | None = None,
    invited_by_id: str | uuid.UUID | None = None,
    allow_over_capacity: bool = False,
    answers: Mapping[str, Any] | None = None,
    actor: object = None,
) -> RegistrationView:
    """Register a person (by id, or by phone + name: found or created as a prospect).

    `answers` {key: value} answer the event's sign-up questions; a required one missing
    refuses the registration (ValidationError answers_required: nothing is written). An
    event that requires approval takes it as pending (no seat, no ticket)."""
    require(db, actor, Permission.REGISTER)
    req = RegistrationRequest(
        person_id=person_id,
        phone=phone,
        name=name,
        source=source,
        party_size=party_size,
        vehicle_id=vehicle_id,
        plate=plate,
        passengers=passengers,
        driver_consent=driver_consent,
        referred_by_id=referred_by_id,
        invited_by_id=invited_by_id,
        allow_over_capacity=allow_over_capacity,
        question_answers=dict(answers or {}),
    )
    with db.write() as s:
        _require_signup_answers(s, event_id, answers or {})
        r, reactivated = register_in(s, event_id, req, actor)
        return _view(s, r, reactivated=reactivated)


def _require_signup_answers(
    s: Session, event_id: str | uuid.UUID, answers: Mapping[str, Any]
) -> None:
    qs = [view_of(q) for q in questions_in(s, _event(s, event_id).id)]
    given = {k: v for k, v in check_answers(qs, answers).items() if v is not None}
    missing = missing_required(qs, given, "signup")
    if missing:
        raise ValidationError(
            "answer", "answers_required", labels="、".join(f"{q.label} ({q.key})" for q in missing)
        )


def cancel(
    db: Database,
    registration_id: str | uuid.UUID,
    reason: str | None = None,
    actor: object = None,
) -> CancelResult:
    """Cancel a registration (its ticket stays, so a scan says "cancelled") and promote
    the waitlist into the freed seats; the result lists who was promoted."""
    require(db, actor, Permission.REGISTER)
    now = now_utc()
    with db.write() as s:
        r = _registration(s, registration_id)
        e = _event(s, r.event_id, lock=True)
        s.refresh(r)  # re-read after the lock: another desk may have changed it
        if r.status == RegistrationStatus.CANCELLED:
            raise RuleViolation(code="already_cancelled")
        was = r.status
        r.status = RegistrationStatus.CANCELLED.value
        r.cancelled_at = now
        r.cancel_reason = (reason or "").strip() or None
        r.waitlisted_at = None
        s.flush()
        audit(
            s,
            "registration.cancel",
            "registration",
            r.id,
            {"event": str(e.id), "was": was, "reason": r.cancel_reason},
            actor,
        )
        promoted = _promote(s, e, now, actor) if was in SEAT_STATUSES else []
        s.flush()
        positions = _positions(s, e.id)
        return CancelResult(
            _view(s, r, e, positions=positions, now=now),
            tuple(_view(s, w, e, positions=positions, now=now, promoted=True) for w in promoted),
        )


def promote_waitlist(
    db: Database, event_id: str | uuid.UUID, actor: object = None
) -> list[RegistrationView]:
    """Fill free seats from the waitlist (after capacity was raised, for example)."""
    require(db, actor, Permission.REGISTER)
    now = now_utc()
    with db.write() as s:
        e = _event(s, event_id, lock=True)
        promoted = _promote(s, e, now, actor)
        s.flush()
        positions = _positions(s, e.id)
        return [_view(s, w, e, positions=positions, now=now, promoted=True) for w in promoted]


def get_registration(db: Database, registration_id: str | uuid.UUID) -> RegistrationView:
    with db.read() as s:
        return _view(s, _registration(s, registration_id))


def find_registration(
    db: Database, event_id: str | uuid.UUID, person_id: str | uuid.UUID
) -> RegistrationView | None:
    with db.read() as s:
        r = s.scalars(
            select(Registration).where(
                Registration.event_id == parse_id(event_id, "event"),
                Registration.person_id == parse_id(person_id, "person"),
                Registration.deleted_at.is_(None),
            )
        ).first()
        return _view(s, r) if r else None


def list_registrations(
    db: Database,
    event_id: str | uuid.UUID,
    statuses: Sequence[str] | None = None,
    sources: Sequence[str] | None = None,
    search: str = "",
    answers: Mapping[str, Any] | None = None,
) -> list[RegistrationView]:
    """An event's registrations with DERIVED status (attended / no_show after the event),
    waitlist in order first by position, then by registration time. `answers` {key:
    value} keeps those who answered so (a multiple choice: who ticked that option)."""
    now = now_utc()
    wanted = set(statuses or ())
    bad = wanted - set(RegistrationStatus.__members__.values())
    if bad:
        raise ValidationError("status", "bad_choice", choices=", ".join(RegistrationStatus))
    with db.read() as s:
        e = _event(s, event_id)
        stmt = (
            select(Registration, Person)
            .join(Person, Person.id == Registration.person_id)
            .where(Registration.event_id == e.id, Registration.deleted_at.is_(None))
            .order_by(Registration.registered_at, Registration.id)
        )
        if sources:
            stmt = stmt.where(Registration.source.in_(list(sources)))
        if search.strip():
            like = f"%{search.strip().lower()}%"
            stmt = stmt.where(
                func.lower(Person.name).like(like) | func.coalesce(Person.phone, "").like(like)
            )
        positions = _positions(s, e.id)
        rows = list(s.execute(stmt))
        given = answers_in(s, [r.id for r, _p in rows])
        views = [_view(s, r, e, p, positions, now=now, answers=given[r.id]) for r, p in rows]
        if answers:
            qs = [view_of(q) for q in questions_in(s, e.id)]
            want = {k: v for k, v in check_answers(qs, answers).items() if v is not None}
            types = {q.key: q.type for q in qs}
            views = [v for v in views if _answered_as(v.answers, want, types)]
    if wanted:
        views = [v for v in views if v.status in wanted]
    return views


def _answered_as(
    have: Mapping[str, Any], want: Mapping[str, str], types: Mapping[str, str]
) -> bool:
    from desktop_app.services.questions import typed

    for key, text in want.items():
        value, expect = have.get(key), typed(types[key], text)
        if isinstance(expect, list):
            if not isinstance(value, list) or not set(expect) <= set(value):
                return False
        elif value != expect:
            return False
    return True


def derive_after_event(db: Database, event_id: str | uuid.UUID) -> dict[str, int]:
    """Counts per derived status (attended / no_show once the event is over)."""
    counts: dict[str, int] = {x.value: 0 for x in RegistrationStatus}
    for v in list_registrations(db, event_id):
        counts[v.status] += 1
    return counts
