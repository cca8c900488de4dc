"""Check-in at the desk: scans, manual check-ins, undo, check-out, live counters, search.

Two desks must never both accept one ticket. Acceptance is ONE conditional UPDATE
(`… WHERE id=:id AND checked_in_at IS NULL AND status IN (…)`) whose rowcount decides:
1 → accepted, 0 → somebody else was first (already_checked_in, with their time and desk).
On SQLite `db.write()` and `db.write_raw()` start with BEGIN IMMEDIATE, so desks
serialise; on PostgreSQL the row lock of the UPDATE makes the second desk wait and then
match zero rows.

Every scan, accepted or not, appends one ScanLog row. A scan carries a nonce: the same
nonce re-sent (a retry, a re-import, a merge from a laptop) returns the stored outcome
and writes nothing.
"""

from __future__ import annotations

import operator
import re
import uuid
import weakref
from collections import namedtuple
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import MISSING, dataclass, field, replace
from dataclasses import fields as dataclass_fields
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from sqlalchemy import bindparam, exists, func, insert, or_, select, update
from sqlalchemy import exc as sa_exc
from sqlalchemy.orm import Session, aliased

from desktop_app.domain import ticket as tickets
from desktop_app.domain.enums import (
    AnswerSource,
    EventStatus,
    EventType,
    RegistrationStatus,
    ScanAction,
    ScanResult,
)
from desktop_app.domain.errors import NotFound, PaddockError, RuleViolation
from desktop_app.domain.ids import new_id
from desktop_app.domain.messages import MESSAGES, current_language, text
from desktop_app.domain.money import json_money
from desktop_app.domain.phone import display_phone
from desktop_app.domain.roles import Permission, Principal
from desktop_app.domain.timeutil import iso_local, now_utc
from desktop_app.services import fees
from desktop_app.services.auth import require
from desktop_app.services.common import as_nonce, audit, parse_id, require_events
from desktop_app.services.event_counts import DeskCounts, added_up, counts_by_event
from desktop_app.services.gifts import GiftBack, GiftDue, Guest, due_for, return_in
from desktop_app.services.points import (
    award_inputs,
    award_points_core,
    award_writes,
    checkin_reason,
)
from desktop_app.services.questions import (
    check_answers,
    missing_required,
    questions_in,
    store_answers_in,
    text_answers_in,
    typed,
    view_of,
)
from desktop_app.store import driver
from desktop_app.store.db import Database
from desktop_app.store.models import (
    Club,
    ClubMembership,
    DealerProfile,
    Event,
    Gift,
    Person,
    PersonTag,
    PointsEntry,
    Question,
    Registration,
    ScanLog,
    Ticket,
    Vehicle,
)

# Statuses a desk may check in. attended / no_show are derived after an event (a late
# arrival marked no_show by the evening report still gets in the next morning).
CHECKIN_STATUSES = (
    RegistrationStatus.REGISTERED.value,
    RegistrationStatus.ATTENDED.value,
    RegistrationStatus.NO_SHOW.value,
)
WINDOW_BEFORE_START = timedelta(hours=2)
SEAT_STATUSES = (RegistrationStatus.REGISTERED.value, RegistrationStatus.ATTENDED.value)
# Check-out has no words in the scan vocabulary of DESIGN.md; these two are used only
# with action=check_out.
ALREADY_CHECKED_OUT = "already_checked_out"
NOT_CHECKED_IN = "not_checked_in"
VIP_TIERS = frozenset({"gold", "platinum", "diamond", "black", "vip"})
_UUID_RE = re.compile(
    r"^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$"
)


@dataclass(frozen=True, slots=True)
class ScanOutcome:
    """What the desk shows after a scan (or manual check-in, undo, check-out).

    `result` is one word of DESIGN.md's vocabulary (accepted, already_checked_in,
    unknown_ticket, invalid_ticket, wrong_event, cancelled, revoked, waitlisted, not_open;
    for action=check_out also already_checked_out / not_checked_in). The person fields are
    filled whenever the ticket is known, whatever the result, so the desk can say "this is
    Li Na's ticket for another event".
    """

    result: str
    action: str = ScanAction.CHECK_IN.value
    event_id: uuid.UUID | None = None
    registration_id: uuid.UUID | None = None
    person_id: uuid.UUID | None = None
    name: str | None = None
    event_title: str | None = None
    event_timezone: str = "Asia/Shanghai"
    # already_checked_in: when and at which desk the person was FIRST let in
    first_checked_in_at: datetime | None = None
    first_desk: str | None = None
    checked_out_at: datetime | None = None
    party_size: int | None = None
    plate: str | None = None
    car: str | None = None  # vehicle model
    club: str | None = None
    tier: str | None = None
    notes: tuple[str, ...] = ()  # "VIP", "first visit", "referred by 王芳", "walk-in"
    # wrong_event: the event the ticket belongs to (from the payload's tag when unknown)
    other_event_id: uuid.UUID | None = None
    other_event_title: str | None = None
    # waitlisted: whether a seat is free right now (the desk offers admit_waitlisted)
    seats_free: bool | None = None
    # not_open: the window the desk may override
    window_opens_at: datetime | None = None
    window_closes_at: datetime | None = None
    points_awarded: int = 0
    reason: str | None = None  # invalid_ticket / unknown_ticket: why, in English
    short_code: str | None = None
    desk: str | None = None
    staff_id: uuid.UUID | None = None
    scanned_at: datetime | None = None
    nonce: uuid.UUID | None = None
    raw_code: str | None = None
    replayed: bool = False  # the nonce was seen before: stored outcome, nothing written
    is_walk_in: bool = False
    # issue 14: needs_answers lists the desk questions still to ask (with known answers);
    # `answers` are the desk answers given with this scan; `gifts` are due to hand over
    questions: tuple[dict[str, Any], ...] = ()
    answers: dict[str, Any] = field(default_factory=dict)
    gifts: tuple[GiftDue, ...] = ()
    # issue 15: what the person still owes of the event's shared costs (None: no fees)
    outstanding_cents: int | None = None
    # an undone check-in: the gifts handed went back to stock; the desk takes them back
    gifts_returned: tuple[GiftBack, ...] = ()

    @property
    def accepted(self) -> bool:
        return self.result == ScanResult.ACCEPTED

    def message(self, lang: str | None = None) -> str:
        """One line for the desk / CLI, in the user's language."""
        tz = self.event_timezone
        first = iso_local(self.first_checked_in_at, tz)
        return text(
            f"scan_{self.action}_{self.result}"
            if f"scan_{self.action}_{self.result}" in _ACTION_MESSAGES
            else f"scan_{self.result}",
            lang,
            name=self.name or "—",
            when=(first or "")[11:16] or "?",
            desk=self.first_desk or "?",
            other=self.other_event_title or (str(self.other_event_id or "") or "?"),
            reason=self.reason or "",
            points=self.points_awarded,
        )

    def result_word(self, lang: str | None = None) -> str:
        """The result in one word for the CLI (ACCEPTED, NEEDS_ANSWERS…; 签到成功… in zh)."""
        code = f"scan_word_{self.action}_{self.result}"
        return text(code if code in MESSAGES else f"scan_word_{self.result}", lang)

    def headline(self, lang: str | None = None) -> str:
        """The result word and the message: "NEEDS_ANSWERS: …" (请回答签到问题：… in zh)."""
        sep = "：" if (lang or current_language()) == "zh" else ": "
        return f"{self.result_word(lang)}{sep}{self.message(lang)}"

    def said_notes(self, lang: str | None = None) -> tuple[str, ...]:
        """The notes (stored in English: "VIP", "first visit"…) in the reader's language."""
        return tuple(note_text(n, lang) for n in self.notes)

    def to_json(self) -> dict[str, Any]:
        """DESIGN.md's scan shape plus what the desk shows (keys are never renamed)."""
        tz = self.event_timezone

        def sid(x: uuid.UUID | None) -> str | None:
            return str(x) if x else None

        return {
            "result": self.result,
            "event_id": sid(self.event_id),
            "registration_id": sid(self.registration_id),
            "person_id": sid(self.person_id),
            "name": self.name,
            "first_checked_in_at": iso_local(self.first_checked_in_at, tz),
            "first_desk": self.first_desk,
            "action": self.action,
            "event_title": self.event_title,
            "checked_out_at": iso_local(self.checked_out_at, tz),
            "party_size": self.party_size,
            "plate": self.plate,
            "car": self.car,
            "club": self.club,
            "tier": self.tier,
            "notes": list(self.notes),
            "other_event_id": sid(self.other_event_id),
            "other_event_title": self.other_event_title,
            "seats_free": self.seats_free,
            "window_opens_at": iso_local(self.window_opens_at, tz),
            "window_closes_at": iso_local(self.window_closes_at, tz),
            "points_awarded": self.points_awarded,
            "reason": self.reason,
            "short_code": tickets.format_short_code(self.short_code) if self.short_code else None,
            "desk": self.desk,
            "staff_id": sid(self.staff_id),
            "scanned_at": iso_local(self.scanned_at, tz),
            "nonce": sid(self.nonce),
            "replayed": self.replayed,
            "is_walk_in": self.is_walk_in,
            "questions": [dict(q) for q in self.questions],
            "answers": dict(self.answers),
            "gifts": [g.to_json() for g in self.gifts],
            "gifts_returned": [g.to_json() for g in self.gifts_returned],
            "outstanding": (
                json_money(self.outstanding_cents) if self.outstanding_cents is not None else None
            ),
        }


# message codes that exist per action (others fall back to scan_<result>)
_ACTION_MESSAGES = frozenset(
    {
        "scan_check_out_accepted",
        "scan_undo_accepted",
        "scan_manual_check_in_accepted",
    }
)


@dataclass(frozen=True, slots=True)
class CheckinRow:
    """One hit of the desk's manual search (check in from the result list)."""

    registration_id: uuid.UUID
    event_id: uuid.UUID
    event_title: str
    person_id: uuid.UUID
    name: str
    phone: str  # display form, 138 0013 8000
    plate: str | None
    short_code: str | None
    status: str  # registered, waitlisted, cancelled, checked_in, checked_out
    party_size: int
    is_walk_in: bool
    checked_in_at: datetime | None
    checked_in_desk: str | None
    checked_out_at: datetime | None
    timezone: str = "Asia/Shanghai"

    def to_json(self) -> dict[str, Any]:
        return {
            "registration_id": str(self.registration_id),
            "event_id": str(self.event_id),
            "event_title": self.event_title,
            "person_id": str(self.person_id),
            "name": self.name,
            "phone": self.phone,
            "plate": self.plate,
            "short_code": tickets.format_short_code(self.short_code) if self.short_code else None,
            "status": self.status,
            "party_size": self.party_size,
            "is_walk_in": self.is_walk_in,
            "checked_in_at": iso_local(self.checked_in_at, self.timezone),
            "checked_in_desk": self.checked_in_desk,
            "checked_out_at": iso_local(self.checked_out_at, self.timezone),
        }


# --------------------------------------------------------------------------- lookups

# The transaction a scan runs in: the ORM session of the general path, or the driver-level
# transaction of the desk's quick path (_scan_on_core, Database.write_raw).
Tx = Session | driver.Target


def _conn(tx: Tx) -> driver.Target:
    return tx.connection() if isinstance(tx, Session) else tx


class _Hit(NamedTuple):
    """A registration with its event and person, read in the scan's transaction (a tuple:
    made from the row in one step, as the desk's every scan does)."""

    reg_id: uuid.UUID
    event_id: uuid.UUID
    person_id: uuid.UUID
    status: str
    deleted: bool
    ticket_code: str | None
    checked_in_at: datetime | None
    checked_in_desk: str | None
    checked_out_at: datetime | None
    party_size: int
    plate: str | None
    is_walk_in: bool
    name: str
    tier: str | None
    event_title: str
    event_status: str
    event_type: str
    timezone: str
    starts_at: datetime | None
    ends_at: datetime | None
    checkin_opens_at: datetime | None
    checkin_closes_at: datetime | None
    points_award: int
    capacity: int | None
    # What the desk shows next to the name and what a points award starts from, read in
    # the same round trip (the _DETAIL_COLUMNS below; _details turns them into notes).
    car: str | None
    car_plate: str | None
    club: str | None
    vip_tags: int
    visited_before: bool  # another checked-in registration of the person
    referrer_name: str | None
    person_deleted: bool
    event_deleted: bool
    balance: int
    earned: int  # the tier's basis: points earned, not counting perks bought (issue 15)
    tier_thresholds: Any
    decline_reason: str | None  # issue 14: a declined application says why
    # Whether the event has desk questions, gift items, fees (issues 14, 15): read with
    # the hit, so a scan at an event without them runs no query for them.
    has_desk_questions: bool
    has_gifts: bool
    has_fees: bool
    # the scanned ticket row, when the scan was a ticket
    ticket_revoked: bool = False
    short_code: str | None = None


_HIT_COLUMNS = (
    Registration.id,
    Registration.event_id,
    Registration.person_id,
    Registration.status,
    Registration.deleted_at.is_not(None),
    Registration.ticket_code,
    Registration.checked_in_at,
    Registration.checked_in_desk,
    Registration.checked_out_at,
    Registration.party_size,
    Registration.plate,
    Registration.is_walk_in,
    Person.name,
    Person.tier,
    Event.title,
    Event.status,
    Event.type,
    Event.timezone,
    Event.starts_at,
    Event.ends_at,
    Event.checkin_opens_at,
    Event.checkin_closes_at,
    Event.points_award,
    Event.capacity,
)


# The car the desk shows: the registration's own, else the person's latest (joined once
# for its model and plate).
_CAR = aliased(Vehicle, name="car")


def _car_on() -> Any:
    own = aliased(Vehicle)  # not _CAR: no correlation
    latest_car = (
        select(own.id)
        .where(own.person_id == Registration.person_id, own.deleted_at.is_(None))
        .order_by(own.purchase_date.desc(), own.created_at.desc())
        .limit(1)
        .correlate(Registration)
        .scalar_subquery()
    )
    return _CAR.id == func.coalesce(Registration.vehicle_id, latest_car)


def _detail_columns() -> tuple[Any, ...]:
    """Car (from the _CAR join), club, VIP tag, earlier visit, referrer and the points
    balance of the hit's person, as scalar subqueries correlated to the hit's registration
    and person."""
    pid = Registration.person_id
    club = (
        select(Club.name)
        .join(ClubMembership, ClubMembership.club_id == Club.id)
        .where(
            ClubMembership.person_id == pid,
            ClubMembership.deleted_at.is_(None),
            Club.deleted_at.is_(None),
        )
        .order_by(ClubMembership.role.desc(), Club.name)
        .limit(1)
    )
    vip = select(func.count()).where(PersonTag.person_id == pid, func.upper(PersonTag.tag) == "VIP")
    other = aliased(Registration)
    earlier = exists().where(
        other.person_id == pid,
        other.id != Registration.id,
        other.checked_in_at.is_not(None),
        other.deleted_at.is_(None),
    )
    referrer = aliased(Person)
    ref = select(referrer.name).where(
        referrer.id == func.coalesce(Registration.referred_by_id, Person.referred_by_id)
    )
    return (
        _CAR.model,
        _CAR.plate,
        club.scalar_subquery(),
        vip.scalar_subquery(),
        earlier,
        ref.scalar_subquery(),
        Person.deleted_at.is_not(None),
        Event.deleted_at.is_not(None),
        *award_inputs(pid),
    )


_DETAIL_COLUMNS = _detail_columns()


def _event_has_columns() -> tuple[Any, ...]:
    """Whether the hit's event has desk questions, gift items and fees: three EXISTS
    correlated to the registration's event (each one probe of an event_id index)."""
    eid = Registration.event_id
    return (
        exists().where(
            Question.event_id == eid, Question.deleted_at.is_(None), Question.at_desk.is_(True)
        ),
        exists().where(Gift.event_id == eid, Gift.deleted_at.is_(None)),
        fees.fees_exist(eid),
    )


def _hit_select() -> Any:
    return (
        select(*_HIT_COLUMNS, *_DETAIL_COLUMNS, Registration.decline_reason, *_event_has_columns())
        .join(Person, Person.id == Registration.person_id)
        .join(Event, Event.id == Registration.event_id)
        .outerjoin(_CAR, _car_on())
    )


def _hit(row: Sequence[Any], revoked: bool = False, short: str | None = None) -> _Hit:
    return _Hit(*row, revoked, short)


_TICKET_CODE_AT = 5  # the registration's current ticket code in a hit's row
assert _HIT_COLUMNS[_TICKET_CODE_AT] is Registration.ticket_code


def _ticket_hit(row: Sequence[Any]) -> _Hit:
    """A hit read with its ticket's revoked_at, short_code and code at the end of the row.
    A ticket superseded by a reissue is revoked even if its row was not stamped."""
    *cols, revoked_at, short, tcode = row
    revoked = revoked_at is not None or cols[_TICKET_CODE_AT] not in (None, tcode)
    return _hit(cols, revoked, short)


# Built once: constructing SQLAlchemy statements per scan costs more than running them.
_HIT_BY_CODE = (
    _hit_select()
    .add_columns(Ticket.revoked_at, Ticket.short_code, Ticket.code)
    .join(Ticket, Ticket.registration_id == Registration.id)
    .where(Ticket.code == bindparam("code"))
)


def _read_by_code(code: str) -> Write:
    return _HIT_BY_CODE, {"code": code}


def _hit_read(read: driver.Result) -> _Hit | None:
    return _ticket_hit(read.rows[0]) if read.rows else None


def _by_ticket_code(tx: Tx, code: str) -> _Hit | None:
    # a batch of one: on PostgreSQL the read goes with the transaction's BEGIN (one round
    # trip) when it is the first statement; the quick path sends it with its UPDATE
    [read] = driver.run_batch(_conn(tx), [_read_by_code(code)])
    return _hit_read(read)


def _by_short_code(s: Session, short: str, event_ids: Sequence[uuid.UUID]) -> _Hit | None:
    stmt = _hit_select().add_columns(Ticket.revoked_at, Ticket.short_code, Ticket.code)
    stmt = stmt.join(Ticket, Ticket.registration_id == Registration.id).where(
        Ticket.short_code == short
    )
    # this desk's events first, then live tickets before revoked ones (a short code is
    # 40 bits: collisions across events are possible, within one event practically not)
    rows = s.connection().execute(stmt).all()
    if not rows:
        return None

    def rank(r: Any) -> tuple[int, int]:
        return (0 if r[1] in event_ids else 1, 0 if r[-3] is None else 1)

    return _ticket_hit(min(rows, key=rank))


def _by_registration(s: Session, reg_id: uuid.UUID) -> _Hit | None:
    row = s.connection().execute(_hit_select().where(Registration.id == reg_id)).first()
    if row is None:
        return None
    short = None
    h = _hit(row)
    if h.ticket_code:
        short = s.scalar(select(Ticket.short_code).where(Ticket.code == h.ticket_code))
    return h._replace(short_code=short)


def _event_by_tag(s: Session, tag: str) -> tuple[uuid.UUID, str] | None:
    """The event a well-signed payload names (its tag = first 40 bits of the id)."""
    for eid, title in s.execute(select(Event.id, Event.title).where(Event.deleted_at.is_(None))):
        if tickets.event_tag(eid) == tag:
            return eid, title
    return None


# The dealer's ticket key and origin never change once set (init_dealer keeps them), so
# each engine reads them once: a scan is on the hot path of a queue at the door.
_DEALER_CACHE: weakref.WeakKeyDictionary[Any, tuple[str, str | None, str | None]] = (
    weakref.WeakKeyDictionary()
)


_DEALER_ROW = select(DealerProfile.ticket_key, DealerProfile.code, DealerProfile.device_id).where(
    DealerProfile.id == 1
)


def _dealer(tx: Tx) -> tuple[str, str | None, str | None]:
    conn = _conn(tx)
    engine = conn.engine
    hit = _DEALER_CACHE.get(engine)
    if hit is None:
        row = driver.run(conn, _DEALER_ROW, {}).first()
        if row is None:
            raise PaddockError(code="not_initialised")
        hit = (row[0], row[1], row[2])
        _DEALER_CACHE[engine] = hit
    return hit


def _ticket_key(tx: Tx) -> str:
    return _dealer(tx)[0]


def window(
    starts_at: datetime | None,
    ends_at: datetime | None,
    opens_at: datetime | None = None,
    closes_at: datetime | None = None,
) -> tuple[datetime | None, datetime | None]:
    """The check-in window: the event's own, else from 2 h before the start until the end."""
    opens = opens_at or (starts_at - WINDOW_BEFORE_START if starts_at else None)
    closes = closes_at or ends_at or (starts_at + timedelta(hours=12) if starts_at else None)
    return opens, closes


def outside_window(opens: datetime | None, closes: datetime | None, now: datetime) -> bool:
    """Whether `now` falls outside a check-in window (`window`'s two ends)."""
    return (opens is not None and now < opens) or (closes is not None and now > closes)


# --------------------------------------------------------------------------- details


# "VIP" is the same word in both languages
OUTSIDE_WINDOW = "outside the check-in window"  # a walk-in checked in outside it
_NOTE_CODES = {
    "first visit": "scan_note_first_visit",
    "walk-in": "scan_note_walk_in",
    OUTSIDE_WINDOW: "scan_note_outside_window",
}
REFERRED_BY = "referred by "


def note_text(note: str, lang: str | None = None) -> str:
    """A desk note (as _details writes it) in the reader's language."""
    if note.startswith(REFERRED_BY):
        return text("scan_note_referred_by", lang, name=note.removeprefix(REFERRED_BY))
    return text(_NOTE_CODES[note], lang) if note in _NOTE_CODES else note


def _details(h: _Hit) -> dict[str, Any]:
    """Car, club, notes: what the desk shows next to the name (read with the hit)."""
    notes: list[str] = []
    if h.vip_tags or (h.tier or "").lower() in VIP_TIERS:
        notes.append("VIP")
    if not h.visited_before:
        notes.append("first visit")
    if h.referrer_name:  # the registration's referrer, else the person's
        notes.append(f"{REFERRED_BY}{h.referrer_name}")
    if h.is_walk_in:
        notes.append("walk-in")
    return {"car": h.car, "plate": h.plate or h.car_plate, "club": h.club, "notes": tuple(notes)}


def _seats_free(s: Session, h: _Hit) -> bool:
    """Whether a waitlisted registration fits now. Same rule as services.registration:
    seats (party sizes of registered rows), or cars for a club drive (details.max_cars,
    else capacity; one registration = one car)."""
    drive = h.event_type == EventType.CLUB_DRIVE
    cap = h.capacity
    if drive:
        details = s.scalar(select(Event.details).where(Event.id == h.event_id)) or {}
        max_cars = details.get("max_cars")
        if isinstance(max_cars, int) and not isinstance(max_cars, bool) and max_cars > 0:
            cap = max_cars
    if cap is None:
        return True
    measure = func.count() if drive else func.coalesce(func.sum(Registration.party_size), 0)
    used = s.scalar(
        select(measure)
        .select_from(Registration)
        .where(
            Registration.event_id == h.event_id,
            Registration.deleted_at.is_(None),
            Registration.status.in_(SEAT_STATUSES),
        )
    )
    need = 1 if drive else max(h.party_size, 1)
    return int(used or 0) + need <= cap


def _outcome(result: str, h: _Hit | None, base: ScanOutcome | _Draft, **extra: Any) -> ScanOutcome:
    result = str(result)
    if h is None:
        assert isinstance(base, ScanOutcome)
        return replace(base, result=result, **extra)
    fields = _details(h)
    fields.update(
        result=result,
        event_id=h.event_id,
        registration_id=h.reg_id,
        person_id=h.person_id,
        name=h.name,
        event_title=h.event_title,
        event_timezone=h.timezone,
        party_size=h.party_size,
        tier=h.tier,
        short_code=h.short_code,
        is_walk_in=h.is_walk_in,
        checked_out_at=h.checked_out_at,
    )
    fields.update(extra)  # what the caller knows better than the hit (a new tier…)
    return _replaced(base, fields)


_OUTCOME_FIELDS = tuple(f.name for f in dataclass_fields(ScanOutcome))
_outcome_values = operator.attrgetter(*_OUTCOME_FIELDS)

# What a scan brings before anything is read (who, where, when, which code), on the quick
# path: ScanOutcome's fields as a tuple, made in one call where the frozen dataclass sets
# each of its 37 fields one call at a time; only the final outcome is a ScanOutcome.
_Draft = namedtuple(  # type: ignore[misc]
    "_Draft",
    _OUTCOME_FIELDS,
    defaults=[
        None if f.default is MISSING else f.default
        for f in dataclass_fields(ScanOutcome)
        if f.name != "result"
    ],
)
# a field made by a factory has no tuple default: scan()'s base_for gives it (answers={})
assert [f.name for f in dataclass_fields(ScanOutcome) if f.default_factory is not MISSING] == [
    "answers"
]


def _replaced(base: ScanOutcome | _Draft, changes: dict[str, Any]) -> ScanOutcome:
    """dataclasses.replace for the outcome every scan builds, at half its cost (its
    fields read in one call)."""
    values = dict(zip(_OUTCOME_FIELDS, _outcome_values(base), strict=True))
    values.update(changes)
    return ScanOutcome(**values)


# --------------------------------------------------------------------------- points


def _award(
    tx: Tx,
    h: _Hit,
    delta: int,
    kind: str,
    staff_id: uuid.UUID | None,
    writes: list[Write] | None = None,
) -> str | None:
    """One ledger row linked to the registration, in the check-in's own transaction; the
    points service re-derives the person's tier. Returns the tier now (None: no tier).
    On the quick path (`tx` a Core connection) the statements are added to `writes`, for
    the caller to send with the scan's other writes."""
    if delta == 0:
        return h.tier
    reason = checkin_reason(kind, h.event_title)
    # the person's tier, balance and thresholds came with the hit, in this transaction
    before = None if h.person_deleted else (h.tier, h.balance, h.earned, h.tier_thresholds)
    args = (h.person_id, delta, reason, kind, h.reg_id, staff_id, _origin(tx))
    if isinstance(tx, Session):
        change = award_points_core(tx, *args, before)
    else:
        assert writes is not None and before is not None, "the quick path excludes both"
        change, more = award_writes(*args, before)
        writes.extend(more)
    return None if change.tier in (None, "", "none") else change.tier


def _checkin_points(s: Session, reg_id: uuid.UUID) -> int:
    """Net points this registration earned by check-in (awards minus undos)."""
    return int(
        s.scalar(
            select(func.coalesce(func.sum(PointsEntry.delta), 0)).where(
                PointsEntry.registration_id == reg_id,
                PointsEntry.kind.in_(("checkin", "undo")),
                PointsEntry.deleted_at.is_(None),
            )
        )
        or 0
    )


def _origin(tx: Tx) -> tuple[str | None, str | None]:
    try:
        _, code, device = _dealer(tx)
    except PaddockError:
        return None, None
    return code, device


_LOG_INSERT = insert(ScanLog.__table__)
Write = tuple[Any, Mapping[str, Any]]  # a statement and its parameters, for driver.run


def _log(tx: Tx, o: ScanOutcome, fallback_event: uuid.UUID | None) -> None:
    driver.run(_conn(tx), *_log_write(tx, o, fallback_event))


def _log_write(tx: Tx, o: ScanOutcome, fallback_event: uuid.UUID | None) -> Write:
    """The scan-log row of outcome `o`, as a statement to run."""
    dealer, device = _origin(tx)
    return (
        _LOG_INSERT,
        {
            "id": new_id(),
            "nonce": o.nonce,
            "event_id": o.event_id or fallback_event,
            "registration_id": o.registration_id,
            "action": o.action,
            "result": o.result,
            "raw_code": (o.raw_code or "")[:300] or None,
            "desk": o.desk,
            "staff_id": o.staff_id,
            "scanned_at": o.scanned_at,
            "note": o.reason,
            "origin_dealer": dealer,
            "origin_device": device,
            "answers": dict(o.answers) or None,
        },
    )


# --------------------------------------------------------------------------- scan


class Unwritten(Exception):
    """Leave a write transaction without writing anything, returning `outcome` (a
    needs_answers decided after the transaction had changed something)."""

    def __init__(self, outcome: ScanOutcome) -> None:
        super().__init__(outcome.result)
        self.outcome = outcome


def _ids(event_ids: uuid.UUID | str | Iterable[uuid.UUID | str]) -> tuple[uuid.UUID, ...]:
    if isinstance(event_ids, uuid.UUID | str):
        event_ids = [event_ids]
    out = tuple(parse_id(e, "event") for e in event_ids)
    if not out:
        raise NotFound("event", "")
    return out


def _as_nonce(nonce: uuid.UUID | str | None) -> uuid.UUID:
    return as_nonce(nonce)


def _stored(s: Session, nonce: uuid.UUID) -> ScanOutcome | None:
    """The outcome of a scan already logged under `nonce` (replays write nothing)."""
    row = s.execute(select(ScanLog).where(ScanLog.nonce == nonce)).scalar_one_or_none()
    if row is None:
        return None
    base = ScanOutcome(
        result=row.result,
        action=row.action,
        event_id=row.event_id,
        desk=row.desk,
        staff_id=row.staff_id,
        scanned_at=row.scanned_at,
        nonce=row.nonce,
        raw_code=row.raw_code,
        reason=row.note,
        replayed=True,
    )
    if row.registration_id is None:
        return base
    h = _by_registration(s, row.registration_id)
    if h is None:
        return replace(base, registration_id=row.registration_id)
    extra: dict[str, Any] = {}
    if row.result in (ScanResult.ACCEPTED, ScanResult.ALREADY_CHECKED_IN):
        extra = {"first_checked_in_at": h.checked_in_at, "first_desk": h.checked_in_desk}
    out = _outcome(row.result, h, base, **extra)
    if row.result == ScanResult.WRONG_EVENT:
        out = replace(
            out,
            event_id=row.event_id,
            event_title=_event_title(s, row.event_id) if row.event_id else None,
            other_event_id=h.event_id,
            other_event_title=h.event_title,
        )
    return out


def _event_title(s: Session, event_id: uuid.UUID) -> str | None:
    return s.scalar(select(Event.title).where(Event.id == event_id))


def _resolve(
    s: Session, raw: str, event_ids: Sequence[uuid.UUID], base: ScanOutcome
) -> tuple[_Hit | None, ScanOutcome]:
    """Find the registration behind what was scanned or typed, or say why not.

    Returns (hit, base) when a registration was found (base may now say manual_check_in),
    or (None, final outcome) when the scan ends here.
    """
    code = tickets.normalise(raw)
    manual = ScanAction.MANUAL_CHECK_IN.value if base.action == ScanAction.CHECK_IN else base.action
    if code.startswith(f"{tickets.VERSION}."):
        try:
            payload = tickets.verify(_ticket_key(s), code)
        except tickets.TicketInvalid as exc:
            return None, replace(base, result=ScanResult.INVALID_TICKET.value, reason=str(exc))
        h = _by_ticket_code(s, payload.code)
        if h is not None:
            return h, base
        other = _event_by_tag(s, payload.event_tag)
        if other is not None and other[0] not in event_ids:
            return None, replace(
                base,
                result=ScanResult.WRONG_EVENT.value,
                other_event_id=other[0],
                other_event_title=other[1],
                reason="genuine ticket of another event",
            )
        return None, replace(
            base,
            result=ScanResult.UNKNOWN_TICKET.value,
            short_code=payload.short_code,
            reason="genuine ticket, but this database has no such ticket",
        )
    if _UUID_RE.match(raw.strip()):
        h = _by_registration(s, uuid.UUID(raw.strip()))
        if h is None:
            return None, replace(
                base,
                action=manual,
                result=ScanResult.UNKNOWN_TICKET.value,
                reason="no such registration",
            )
        return h, replace(base, action=manual)
    if tickets.looks_like_short_code(code):
        short = code.replace("-", "")
        h = _by_short_code(s, short, event_ids)
        if h is None:
            return None, replace(
                base,
                action=manual,
                result=ScanResult.UNKNOWN_TICKET.value,
                short_code=short,
                reason="no ticket has this short code",
            )
        return h, replace(base, action=manual)
    return None, replace(
        base, result=ScanResult.INVALID_TICKET.value, reason="not a Paddock ticket"
    )


def _refusal(
    h: _Hit, event_ids: Sequence[uuid.UUID], now: datetime, override_window: bool
) -> tuple[str, dict[str, Any]] | None:
    """Why `h` cannot be checked in at `now`, as (result, outcome fields); None: it can.
    A waitlisted hit's seats_free and an already-checked-in hit's gifts due are read by
    the caller (they need queries)."""
    if h.ticket_revoked:
        return ScanResult.REVOKED, {"reason": "a newer ticket was issued"}
    if h.event_id not in event_ids:
        return ScanResult.WRONG_EVENT, {
            "other_event_id": h.event_id,
            "other_event_title": h.event_title,
        }
    if h.deleted or h.status == RegistrationStatus.CANCELLED:
        return ScanResult.CANCELLED, {}
    if h.event_status == EventStatus.CANCELLED:
        return ScanResult.CANCELLED, {"reason": "the event was cancelled"}
    if h.status == RegistrationStatus.PENDING:
        return ScanResult.PENDING, {"reason": "awaiting approval"}
    if h.status == RegistrationStatus.DECLINED:
        return ScanResult.DECLINED, {"reason": h.decline_reason}
    if h.status == RegistrationStatus.WAITLISTED:
        return ScanResult.WAITLISTED, {}
    if h.checked_in_at is not None:
        return ScanResult.ALREADY_CHECKED_IN, {
            "first_checked_in_at": h.checked_in_at,
            "first_desk": h.checked_in_desk,
        }
    opens, closes = window(h.starts_at, h.ends_at, h.checkin_opens_at, h.checkin_closes_at)
    if not override_window and outside_window(opens, closes, now):
        return ScanResult.NOT_OPEN, {"window_opens_at": opens, "window_closes_at": closes}
    return None


def _decide_check_in(
    s: Session,
    h: _Hit,
    event_ids: Sequence[uuid.UUID],
    base: ScanOutcome,
    override_window: bool,
    answers: Mapping[str, Any] | None = None,
    ask: bool = True,
) -> ScanOutcome:
    assert base.scanned_at is not None
    refused = _refusal(h, event_ids, base.scanned_at, override_window)
    if refused is not None:
        result, extra = refused
        if result == ScanResult.WAITLISTED:
            extra = {"seats_free": _seats_free(s, h)}
        elif result == ScanResult.ALREADY_CHECKED_IN:
            extra["gifts"] = _gifts_due(s, h)  # a gift not handed the first time is still due
        return _outcome(result, h, base, **extra)
    if ask:
        asked = _desk_questions(s, h, base, answers or {})
        if asked.result == ScanResult.NEEDS_ANSWERS:
            return asked
        base = asked
    return _accept(s, h, base)


def _desk_questions(
    s: Session, h: _Hit, base: ScanOutcome, answers: Mapping[str, Any]
) -> ScanOutcome:
    """Check and store the desk answers given with the scan; a required desk question
    still unanswered → needs_answers with the desk questions (nothing stored)."""
    qs = (
        [view_of(q) for q in questions_in(s, h.event_id) if q.at_desk]
        if h.has_desk_questions
        else []
    )
    if not qs:
        if answers:  # an answer to a question the desk does not ask: say which exist
            check_answers(qs, answers, "desk")
        return base
    given = check_answers(qs, answers, "desk")  # ValidationError: nothing written
    have = text_answers_in(s, h.reg_id)
    merged = {**have, **{k: v for k, v in given.items()}}
    missing = missing_required(qs, merged, "desk")
    if missing:
        ask = [
            q.to_json() | {"answer": typed(q.type, merged.get(q.key)), "missing": q in missing}
            for q in qs
        ]
        return _outcome(ScanResult.NEEDS_ANSWERS, h, base, questions=tuple(ask))
    if given:
        reg = s.get(Registration, h.reg_id)
        assert reg is not None
        store_answers_in(s, reg, given, AnswerSource.DESK.value, qs)
    shown = {k: typed(q.type, v) for q in qs for k, v in given.items() if k == q.key}
    return replace(base, answers=shown)


def _accept_update(*key: Any) -> Any:
    """The conditional UPDATE that admits: the registration `key` picks, if not already in
    and in a status that may come in."""
    return (
        update(Registration.__table__)
        .where(
            *key,
            Registration.checked_in_at.is_(None),
            Registration.status.in_(CHECKIN_STATUSES),
            Registration.deleted_at.is_(None),
        )
        .values(
            checked_in_at=bindparam("b_now"),
            checked_in_desk=bindparam("b_desk"),
            checked_out_at=None,
            updated_at=bindparam("b_now"),
        )
    )


# by id: the general path, which has read the hit first
_ACCEPT_UPDATE = _accept_update(Registration.id == bindparam("b_rid"))
# by the scanned code: the quick path, which sends it with the read. ticket_code is unique
# and the hit holds it unless its ticket was superseded (then the rules refuse: revoked),
# so a row matched is the hit's registration.
_ACCEPT_BY_CODE = _accept_update(
    Registration.ticket_code == bindparam("b_code"), Registration.event_id == bindparam("b_event")
)


def _accept_write(h: _Hit, base: ScanOutcome) -> Write:
    return _ACCEPT_UPDATE, {"b_rid": h.reg_id, "b_now": base.scanned_at, "b_desk": base.desk}


def _accepted(
    h: _Hit, base: ScanOutcome | _Draft, tier: str | None, gifts: tuple[GiftDue, ...]
) -> ScanOutcome:
    return _outcome(
        ScanResult.ACCEPTED,
        h,
        base,
        tier=tier,
        checked_out_at=None,
        first_checked_in_at=base.scanned_at,
        first_desk=base.desk,
        points_awarded=h.points_award,
        gifts=gifts,
    )


def _accept(s: Session, h: _Hit, base: ScanOutcome) -> ScanOutcome:
    """The one conditional UPDATE that makes double acceptance impossible (the general
    path; the quick path sends the same UPDATE with its other writes)."""
    now = base.scanned_at
    conn = s.connection()
    if driver.run(conn, *_accept_write(h, base)).rowcount == 1:
        tier = _award(s, h, h.points_award, "checkin", base.staff_id)
        gifts: tuple[GiftDue, ...] = ()
        if h.has_gifts:  # due to the guest as now checked in, with the new tier
            guest = h._replace(checked_in_at=now, checked_in_desk=base.desk, tier=tier)
            gifts = _gifts_due(s, guest)
        return _accepted(h, base, tier, gifts)
    first = conn.execute(
        select(Registration.checked_in_at, Registration.checked_in_desk, Registration.status).where(
            Registration.id == h.reg_id
        )
    ).one()
    if first[0] is None:  # status changed under us (cancelled at the other desk)
        return _outcome(str(first[2]), h, base)
    return _outcome(
        ScanResult.ALREADY_CHECKED_IN,
        h,
        base,
        first_checked_in_at=first[0],
        first_desk=first[1],
    )


def _gifts_due(s: Session, h: _Hit) -> tuple[GiftDue, ...]:
    """The gifts due to a checked-in hit; no query when its event has no gift items."""
    if not h.has_gifts:
        return ()
    guest = Guest(h.reg_id, h.event_id, h.person_id, h.name, h.party_size, h.checked_in_at, h.tier)
    return due_for(s, guest)


def _decide_check_out(
    s: Session, h: _Hit, event_ids: Sequence[uuid.UUID], base: ScanOutcome
) -> ScanOutcome:
    now = base.scanned_at
    if h.ticket_revoked:
        return _outcome(ScanResult.REVOKED, h, base)
    if h.event_id not in event_ids:
        return _outcome(
            ScanResult.WRONG_EVENT,
            h,
            base,
            other_event_id=h.event_id,
            other_event_title=h.event_title,
        )
    first = {"first_checked_in_at": h.checked_in_at, "first_desk": h.checked_in_desk}
    res = s.connection().execute(
        update(Registration.__table__)
        .where(
            Registration.id == h.reg_id,
            Registration.checked_in_at.is_not(None),
            Registration.checked_out_at.is_(None),
        )
        .values(checked_out_at=now, updated_at=now)
    )
    if res.rowcount == 1:
        return _outcome(ScanResult.ACCEPTED, h._replace(checked_out_at=now), base, **first)
    row = (
        s.connection()
        .execute(
            select(Registration.checked_in_at, Registration.checked_out_at).where(
                Registration.id == h.reg_id
            )
        )
        .one()
    )
    if row[0] is None:
        return _outcome(NOT_CHECKED_IN, h, base)
    return _outcome(ALREADY_CHECKED_OUT, h._replace(checked_out_at=row[1]), base, **first)


class _Overtaken(Exception):
    """The quick path cannot answer (another desk got there first, or its UPDATE admitted
    a guest the rules refuse): it rolls back and leaves the scan to the general path."""


def _scan_on_core(
    db: Database,
    ids: tuple[uuid.UUID, ...],
    raw_code: str,
    base_for: Callable[[Principal, Callable[..., Any]], Any],
    override_window: bool,
) -> ScanOutcome | None:
    """The desk's everyday scan on a driver-level transaction (Database.write_raw),
    without the ORM session's and SQLAlchemy Connection's cost per transaction: a genuine
    ticket of the desk's one event, at an event without desk questions, gift items or fees
    — admitted, or refused for a reason the hit alone shows (already in, cancelled, not
    open…). The same read, rules (_refusal), conditional UPDATE and scan-log row as the
    general path, in two steps: the read goes with the UPDATE (by the scanned code), then
    the ledger and scan-log rows go with the COMMIT — on PostgreSQL two round trips. The
    UPDATE's count must agree with the rules: none where they admit (another desk got
    there between), or one where they refuse (outside the window, a cancelled event…),
    and the transaction rolls back. Anything else returns None having written nothing, and scan()
    runs the general path from the start."""
    code = tickets.normalise(raw_code)
    if len(ids) != 1 or not code.startswith(f"{tickets.VERSION}."):
        return None
    try:
        with db.write_raw() as conn:
            base: _Draft = base_for(require(db, None, Permission.CHECK_IN, conn), _Draft)
            try:
                payload = tickets.verify(_ticket_key(conn), code)
            except tickets.TicketInvalid:
                return None
            read, update_ = driver.run_batch(
                conn,
                [
                    _read_by_code(payload.code),
                    (
                        _ACCEPT_BY_CODE,
                        {
                            "b_code": payload.code,
                            "b_event": ids[0],
                            "b_now": base.scanned_at,
                            "b_desk": base.desk,
                        },
                    ),
                ],
            )
            h = _hit_read(read)
            admitted = update_.rowcount == 1
            if (
                h is None
                or h.event_id != ids[0]
                or h.event_deleted
                or h.person_deleted
                or h.has_desk_questions
                or h.has_gifts
                or h.has_fees
            ):
                if admitted:
                    raise _Overtaken
                return None
            refused = _refusal(h, ids, base.scanned_at, override_window)
            if refused is not None:  # said from the hit alone, except a waitlist's seats
                if admitted:
                    raise _Overtaken
                if refused[0] == ScanResult.WAITLISTED:
                    return None
                out = _outcome(refused[0], h, base, **refused[1])
                driver.run_batch(conn, [_log_write(conn, out, ids[0])], commit=True)
                return out
            if not admitted:
                raise _Overtaken
            writes: list[Write] = []
            out = _accepted(
                h, base, _award(conn, h, h.points_award, "checkin", base.staff_id, writes), ()
            )
            writes.append(_log_write(conn, out, ids[0]))
            driver.run_batch(conn, writes, commit=True)
            return out
    except _Overtaken:  # rolled back: the general path reads again and says what happened
        return None


def scan(
    db: Database,
    event_ids: uuid.UUID | str | Iterable[uuid.UUID | str],
    raw_code: str,
    *,
    desk: str,
    staff_id: uuid.UUID | str | None = None,
    nonce: uuid.UUID | str | None = None,
    scanned_at: datetime | None = None,
    override_window: bool = False,
    action: str = ScanAction.CHECK_IN.value,
    answers: Mapping[str, Any] | None = None,
) -> ScanOutcome:
    """Check a person in (or out) from what the desk scanned or typed.

    `raw_code` is a QR payload (P1.…), a short code (K7QX-M2PA, any case, dash optional)
    or a registration id (check-in from a search result); the last two are logged as
    manual_check_in. `event_ids` are the event(s) this desk admits today. The outcome is
    also appended to the scan log, whatever the result; the same `nonce` sent again
    returns the stored outcome and writes nothing. `override_window` admits outside the
    check-in window (the UI asks for confirmation first). `action="check_out"` checks out.
    `answers` {key: value} answer the event's desk questions: while a required one is
    unanswered the result is needs_answers (the questions listed; nothing written, not
    even the scan log), and a value that does not fit raises ValidationError.
    """
    ids = _ids(event_ids)
    n = _as_nonce(nonce)
    staff = parse_id(staff_id, "staff") if staff_id else None
    when = scanned_at or now_utc()
    if action not in (ScanAction.CHECK_IN, ScanAction.CHECK_OUT, ScanAction.MANUAL_CHECK_IN):
        raise RuleViolation(f"unknown scan action {action!r}")

    def base_for(who: Principal, make: Callable[..., Any] = ScanOutcome) -> Any:
        """What the scan brings, as a ScanOutcome (or the quick path's _Draft)."""
        return make(
            result="",
            action=action,
            event_id=ids[0],
            desk=desk,
            staff_id=staff or who.id,  # the signed-in staff
            scanned_at=when,
            nonce=n,
            raw_code=raw_code,
            answers={},
        )

    try:
        # A nonce seen before is caught by the scan log's unique nonce when the row goes in:
        # everything this transaction did is rolled back and the stored outcome returned
        # (below). A first scan — nearly every scan — pays no look-up for it.
        if action == ScanAction.CHECK_IN and not answers:
            quick = _scan_on_core(db, ids, raw_code or "", base_for, override_window)
            if quick is not None:
                return quick
        with db.write() as s:
            # who may scan, asked in this transaction (its own would cost a round trip)
            base = base_for(require(db, None, Permission.CHECK_IN, s))
            h, base2 = _resolve(s, raw_code or "", ids, base)
            if h is None or ids != (h.event_id,) or h.event_deleted:
                # a ticket of the desk's one live event proves it exists; else look
                try:
                    require_events(s, ids)
                except NotFound:
                    # a scan re-sent after its event was deleted still gets its outcome
                    stored = _stored(s, n) if nonce is not None else None
                    if stored is None:
                        raise
                    return stored
            if h is None:
                out = base2
            elif action == ScanAction.CHECK_OUT:
                out = _decide_check_out(s, h, ids, base2)
            else:
                out = _decide_check_in(s, h, ids, base2, override_window, answers)
            if out.result == ScanResult.WRONG_EVENT:
                # the desk's event; the ticket's own event is other_event_*
                out = replace(out, event_id=ids[0], event_title=_event_title(s, ids[0]))
            if out.result != ScanResult.NEEDS_ANSWERS:
                _log(s, out, ids[0])
            return _with_money(s, out, h is not None and h.has_fees)
    except sa_exc.IntegrityError:
        # the same nonce: a retry, a re-import, or another desk/process in the meantime
        with db.read() as s:
            stored = _stored(s, n)
        if stored is None:
            raise
        return stored


def check_in_in(
    s: Session,
    event_ids: uuid.UUID | str | Iterable[uuid.UUID | str],
    registration_id: uuid.UUID,
    *,
    desk: str,
    staff_id: uuid.UUID | None = None,
    scanned_at: datetime | None = None,
    override_window: bool = False,
    nonce: uuid.UUID | None = None,
    note: str | None = None,
    answers: Mapping[str, Any] | None = None,
    ask: bool = True,
) -> ScanOutcome:
    """A manual check-in INSIDE the caller's transaction (walk-ins, paper sign-in lists);
    logged as manual_check_in like any other. `ask=False` skips the desk questions (a
    paper list after the event: nobody is there to ask)."""
    ids = _ids(event_ids)
    h = _by_registration(s, registration_id)
    if h is None:
        raise NotFound("registration", registration_id)
    base = ScanOutcome(
        result="",
        action=ScanAction.MANUAL_CHECK_IN.value,
        event_id=ids[0],
        desk=desk,
        staff_id=staff_id,
        scanned_at=scanned_at or now_utc(),
        nonce=nonce or new_id(),
        raw_code=str(registration_id),
    )
    out = _decide_check_in(s, h, ids, base, override_window, answers, ask)
    if out.result != ScanResult.NEEDS_ANSWERS:
        _log(s, replace(out, reason=note or out.reason), ids[0])
    return _with_money(s, out, h.has_fees)


def _with_money(s: Session, out: ScanOutcome, has_fees: bool) -> ScanOutcome:
    """An admitted person who still owes part of the shared costs: the desk says how much
    ("还需缴纳 ¥180"). `has_fees` was read with the hit: no query for an event without fees."""
    if (
        out.result not in (ScanResult.ACCEPTED, ScanResult.ALREADY_CHECKED_IN)
        or out.action == ScanAction.CHECK_OUT
        or out.registration_id is None
        or out.event_id is None
    ):
        return out
    if not has_fees:
        return out
    owed = fees.outstanding_in(s, out.event_id, out.registration_id, with_fees=True)
    return out if owed is None else replace(out, outstanding_cents=owed)


def manual_check_in(
    db: Database,
    event_ids: uuid.UUID | str | Iterable[uuid.UUID | str],
    registration_id: uuid.UUID | str,
    *,
    desk: str,
    staff_id: uuid.UUID | str | None = None,
    nonce: uuid.UUID | str | None = None,
    scanned_at: datetime | None = None,
    override_window: bool = False,
    answers: Mapping[str, Any] | None = None,
) -> ScanOutcome:
    """Check in from a search result (logged as manual_check_in)."""
    require(db, None, Permission.CHECK_IN)
    rid = parse_id(registration_id, "registration")
    return scan(
        db,
        event_ids,
        str(rid),
        desk=desk,
        staff_id=staff_id,
        nonce=nonce,
        scanned_at=scanned_at,
        override_window=override_window,
        answers=answers,
    )


def check_out(
    db: Database,
    event_ids: uuid.UUID | str | Iterable[uuid.UUID | str],
    raw_code: str,
    *,
    desk: str,
    staff_id: uuid.UUID | str | None = None,
    nonce: uuid.UUID | str | None = None,
    scanned_at: datetime | None = None,
) -> ScanOutcome:
    """Check a person out (club drives: who is back). Results: accepted,
    already_checked_out, not_checked_in, or the scan vocabulary for bad tickets."""
    require(db, None, Permission.CHECK_IN)
    return scan(
        db,
        event_ids,
        raw_code,
        desk=desk,
        staff_id=staff_id,
        nonce=nonce,
        scanned_at=scanned_at,
        action=ScanAction.CHECK_OUT.value,
    )


def admit_waitlisted(
    db: Database,
    event_ids: uuid.UUID | str | Iterable[uuid.UUID | str],
    registration_id: uuid.UUID | str,
    *,
    desk: str,
    staff_id: uuid.UUID | str | None = None,
    force: bool = False,
    override_window: bool = False,
    scanned_at: datetime | None = None,
    answers: Mapping[str, Any] | None = None,
) -> ScanOutcome:
    """A waitlisted person at the desk: move them to registered and check them in.

    Refuses (RuleViolation no_seats_free) when the event is full, unless `force` (the
    coordinator squeezes them in). Both steps are one transaction.
    """
    require(db, None, Permission.CHECK_IN)
    try:
        return _admit_waitlisted(
            db,
            event_ids,
            registration_id,
            desk,
            staff_id,
            force,
            override_window,
            scanned_at,
            answers,
        )
    except Unwritten as done:
        return done.outcome


def _admit_waitlisted(
    db: Database,
    event_ids: uuid.UUID | str | Iterable[uuid.UUID | str],
    registration_id: uuid.UUID | str,
    desk: str,
    staff_id: uuid.UUID | str | None,
    force: bool,
    override_window: bool,
    scanned_at: datetime | None,
    answers: Mapping[str, Any] | None,
) -> ScanOutcome:
    ids = _ids(event_ids)
    rid = parse_id(registration_id, "registration")
    staff = parse_id(staff_id, "staff") if staff_id else None
    when = scanned_at or now_utc()
    with db.write() as s:
        require_events(s, ids)
        h = _by_registration(s, rid)
        if h is None or h.deleted:
            raise NotFound("registration", registration_id)
        base = ScanOutcome(
            result="",
            action=ScanAction.MANUAL_CHECK_IN.value,
            event_id=ids[0],
            desk=desk,
            staff_id=staff,
            scanned_at=when,
            nonce=new_id(),
            raw_code=str(rid),
        )
        if h.status == RegistrationStatus.WAITLISTED and h.event_id in ids:
            if not force and not _seats_free(s, h):
                raise RuleViolation(code="no_seats_free")
            s.connection().execute(
                update(Registration.__table__)
                .where(Registration.id == rid, Registration.status == RegistrationStatus.WAITLISTED)
                .values(status=RegistrationStatus.REGISTERED.value, updated_at=when)
            )
            audit(s, "registration.admit_waitlisted", "registration", rid, {"desk": desk})
            h = h._replace(status=RegistrationStatus.REGISTERED.value)
        out = _decide_check_in(s, h, ids, base, override_window, answers)
        if out.result == ScanResult.NEEDS_ANSWERS:
            raise Unwritten(out)  # not admitted until the questions are answered
        _log(s, out, ids[0])
        return out


def undo_checkin(
    db: Database,
    registration_id: uuid.UUID | str,
    *,
    desk: str,
    staff_id: uuid.UUID | str | None = None,
    reason: str | None = None,
) -> ScanOutcome:
    """Undo a check-in: a new scan-log row (action undo), the cache cleared, points reversed.

    Raises RuleViolation(not_checked_in) when there is nothing to undo.
    """
    require(db, None, Permission.CHECK_IN)
    rid = parse_id(registration_id, "registration")
    staff = parse_id(staff_id, "staff") if staff_id else None
    when = now_utc()
    with db.write() as s:
        h = _by_registration(s, rid)
        if h is None:
            raise NotFound("registration", registration_id)
        res = s.connection().execute(
            update(Registration.__table__)
            .where(Registration.id == rid, Registration.checked_in_at.is_not(None))
            .values(checked_in_at=None, checked_in_desk=None, checked_out_at=None, updated_at=when)
        )
        if res.rowcount != 1:
            raise RuleViolation(code="not_checked_in", name=h.name)
        net = _checkin_points(s, rid)
        if net > 0:
            h = h._replace(tier=_award(s, h, -net, "undo", staff))
        back = return_in(s, rid, when)  # the gifts handed go back to stock
        out = _outcome(
            ScanResult.ACCEPTED,
            h._replace(checked_out_at=None),
            ScanOutcome(
                result="",
                action=ScanAction.UNDO.value,
                desk=desk,
                staff_id=staff,
                scanned_at=when,
                nonce=new_id(),
                raw_code=str(rid),
                reason=reason,
            ),
            first_checked_in_at=h.checked_in_at,
            first_desk=h.checked_in_desk,
            points_awarded=-net if net > 0 else 0,
            gifts_returned=back,
        )
        _log(s, out, h.event_id)
        audit(
            s,
            "checkin.undo",
            "registration",
            rid,
            {
                "desk": desk,
                "was": iso_local(h.checked_in_at),
                "reason": reason,
                "gifts_returned": [f"{g.name} × {g.quantity}" for g in back],
            },
        )
        return out


# --------------------------------------------------------------------------- desk views


def desk_counts(db: Database, event_ids: uuid.UUID | str | Iterable[uuid.UUID | str]) -> DeskCounts:
    """The desk's counters: its events' live counts added up (services/event_counts.py, the
    same numbers the Today page shows)."""
    ids = _ids(event_ids)
    with db.read() as s:
        require_events(s, ids)  # zeros for an event that does not exist would be a lie
        return added_up(counts_by_event(s, ids).values())


def _row_status(status: str, cin: datetime | None, cout: datetime | None) -> str:
    if cout is not None:
        return "checked_out"
    if cin is not None:
        return "checked_in"
    return status


_ROW_COLUMNS = (
    Registration.id,
    Registration.event_id,
    Event.title,
    Person.id,
    Person.name,
    Person.phone,
    Registration.plate,
    Ticket.short_code,
    Registration.status,
    Registration.party_size,
    Registration.is_walk_in,
    Registration.checked_in_at,
    Registration.checked_in_desk,
    Registration.checked_out_at,
    Event.timezone,
)


def _rows_select() -> Any:
    return (
        select(*_ROW_COLUMNS)
        .join(Person, Person.id == Registration.person_id)
        .join(Event, Event.id == Registration.event_id)
        .outerjoin(Ticket, Ticket.code == Registration.ticket_code)
        .where(Registration.deleted_at.is_(None))
    )


def _to_row(x: Sequence[Any]) -> CheckinRow:
    return CheckinRow(
        registration_id=x[0],
        event_id=x[1],
        event_title=x[2],
        person_id=x[3],
        name=x[4],
        phone=display_phone(x[5]),
        plate=x[6],
        short_code=x[7],
        status=_row_status(x[8], x[11], x[13]),
        party_size=x[9],
        is_walk_in=bool(x[10]),
        checked_in_at=x[11],
        checked_in_desk=x[12],
        checked_out_at=x[13],
        timezone=x[14],
    )


_PLATE_JUNK = re.compile(r"[\s·.\-•]")


def search_for_checkin(
    db: Database,
    event_ids: uuid.UUID | str | Iterable[uuid.UUID | str],
    query: str,
    limit: int = 50,
) -> list[CheckinRow]:
    """Registrations of the desk's events matching a name, any part of a phone, a plate
    or a short code; people not yet in first, then by name."""
    require(db, None, Permission.CHECK_IN)
    ids = _ids(event_ids)
    q = (query or "").strip()
    if not q:
        return []
    conds = [func.lower(Person.name).contains(q.lower(), autoescape=True)]
    digits = re.sub(r"\D", "", q)
    # a phone part is typed as digits only; "沪A D12345" is a plate, not a phone
    if len(digits) >= 3 and re.fullmatch(r"[\d\s+\-()]+", q):
        conds.append(Person.phone.contains(digits, autoescape=True))
    plate = _PLATE_JUNK.sub("", q).upper()
    if len(plate) >= 3:
        conds.append(
            func.replace(func.replace(func.upper(Registration.plate), "·", ""), " ", "").contains(
                plate, autoescape=True
            )
        )
        conds.append(
            Registration.vehicle_id.in_(
                select(Vehicle.id).where(
                    func.replace(
                        func.replace(func.upper(Vehicle.plate), "·", ""), " ", ""
                    ).contains(plate, autoescape=True)
                )
            )
        )
    short = tickets.normalise(q).replace("-", "")
    if tickets.looks_like_short_code(short):
        conds.append(Ticket.short_code == short)
    stmt = (
        _rows_select()
        .where(Registration.event_id.in_(ids), or_(*conds))
        .order_by(Registration.checked_in_at.is_not(None), Person.name)
        .limit(limit)
    )
    with db.read() as s:
        require_events(s, ids)
        return [_to_row(x) for x in s.execute(stmt)]


def still_out(
    db: Database, event_ids: uuid.UUID | str | Iterable[uuid.UUID | str]
) -> list[CheckinRow]:
    """Checked in but not yet checked out (club drive: who is not back yet)."""
    ids = _ids(event_ids)
    stmt = (
        _rows_select()
        .where(
            Registration.event_id.in_(ids),
            Registration.checked_in_at.is_not(None),
            Registration.checked_out_at.is_(None),
        )
        .order_by(Person.name)
    )
    with db.read() as s:
        require_events(s, ids)
        return [_to_row(x) for x in s.execute(stmt)]


def recent_scans(
    db: Database, event_ids: uuid.UUID | str | Iterable[uuid.UUID | str], limit: int = 20
) -> list[dict[str, Any]]:
    """The desk's latest scan-log lines (newest first) for the history strip."""
    ids = _ids(event_ids)
    stmt = (
        select(
            ScanLog.scanned_at,
            ScanLog.action,
            ScanLog.result,
            ScanLog.desk,
            ScanLog.registration_id,
            Person.name,
        )
        .outerjoin(Registration, Registration.id == ScanLog.registration_id)
        .outerjoin(Person, Person.id == Registration.person_id)
        .where(ScanLog.event_id.in_(ids))
        .order_by(ScanLog.scanned_at.desc())
        .limit(limit)
    )
    with db.read() as s:
        return [
            {
                "scanned_at": r[0],
                "action": r[1],
                "result": r[2],
                "desk": r[3],
                "registration_id": r[4],
                "name": r[5],
            }
            for r in s.execute(stmt)
        ]


@dataclass(frozen=True, slots=True)
class TodayEvent:
    id: uuid.UUID
    title: str
    starts_at: datetime | None
    ends_at: datetime | None
    timezone: str
    window_opens_at: datetime | None
    window_closes_at: datetime | None
    is_open: bool
    extra: dict[str, Any] = field(default_factory=dict)


def events_of_day(db: Database, day_of: datetime | None = None) -> list[TodayEvent]:
    """Published/closed events whose check-in window touches the day of `day_of` (UTC±)."""
    now = day_of or now_utc()
    lo, hi = now - timedelta(hours=14), now + timedelta(hours=14)
    stmt = (
        select(
            Event.id,
            Event.title,
            Event.starts_at,
            Event.ends_at,
            Event.timezone,
            Event.checkin_opens_at,
            Event.checkin_closes_at,
        )
        .where(
            Event.deleted_at.is_(None),
            Event.status.in_((EventStatus.PUBLISHED.value, EventStatus.CLOSED.value)),
            Event.starts_at < hi,
            or_(Event.ends_at.is_(None), Event.ends_at > lo),
        )
        .order_by(Event.starts_at)
    )
    out = []
    with db.read() as s:
        for eid, title, st, en, tz, co, cc in s.execute(stmt):
            opens, closes = window(st, en, co, cc)
            is_open = (opens is None or opens <= now) and (closes is None or now <= closes)
            out.append(TodayEvent(eid, title, st, en, tz, opens, closes, is_open))
    return out
