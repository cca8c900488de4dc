"""Event planning: create, edit, lifecycle, duplicate, templates, listing.

Times come in as aware datetimes (parse local input with domain.timeutil.parse_local) and
are stored in UTC; each event keeps its own time zone for display.
"""

from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import Session

from desktop_app.domain.enums import (
    EVENT_TRANSITIONS,
    EventFormat,
    EventStatus,
    EventType,
    RegistrationStatus,
)
from desktop_app.domain.errors import (
    ConfirmationRequired,
    NotFound,
    RuleViolation,
    ValidationError,
)
from desktop_app.domain.messages import EventStatusWord
from desktop_app.domain.roles import Permission
from desktop_app.domain.timeutil import DEFAULT_TZ, iso_local, now_utc, zone
from desktop_app.services.auth import require
from desktop_app.services.common import audit, parse_id, stamp_origin
from desktop_app.services.gifts import GiftDraft, add_gift_in, copy_gifts_in, list_gifts
from desktop_app.services.gifts import drafts_from_template as gifts_from_template
from desktop_app.services.gifts import template_data as gifts_template
from desktop_app.services.questions import (
    QuestionDraft,
    add_question_in,
    copy_questions_in,
    list_questions,
)
from desktop_app.services.questions import drafts_from_template as questions_from_template
from desktop_app.services.questions import template_data as questions_template
from desktop_app.services.registration import SEAT_STATUSES, capacity_of, is_drive
from desktop_app.store.db import Database
from desktop_app.store.models import ClassSession, Event, EventTemplate, Registration

TITLE_MAX = 200
EDITABLE = {EventStatus.DRAFT, EventStatus.PUBLISHED, EventStatus.CLOSED}
CLUB_DRIVE_KEYS = ("meeting_point", "route_stops", "departure_time", "max_cars")
CLASS_KEYS = ("instructor", "topic")


@dataclass(frozen=True, slots=True)
class SessionSlot:
    starts_at: datetime
    ends_at: datetime | None = None
    topic: str | None = None


@dataclass(frozen=True, slots=True)
class EventDraft:
    """What a coordinator fills in. Datetimes are aware (UTC or local with offset)."""

    title: str
    type: str
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    format: str = EventFormat.ON_SITE
    description: str = ""
    timezone: str = DEFAULT_TZ
    venue: str | None = None
    online_link: str | None = None
    capacity: int | None = None
    waitlist_enabled: bool = False
    registration_opens_at: datetime | None = None
    registration_closes_at: datetime | None = None
    points_award: int = 0
    campaign_code: str | None = None
    budget: Decimal | str | float | None = None
    min_online_minutes: int | None = None
    # club drive: meeting_point, route_stops (list[str]), departure_time (ISO str), max_cars
    # care class: instructor, topic
    details: dict[str, Any] = field(default_factory=dict)
    sessions: tuple[SessionSlot, ...] = ()
    requires_approval: bool = False  # issue 14: registrations arrive pending


@dataclass(frozen=True, slots=True)
class EventView:
    id: uuid.UUID
    title: str
    type: str
    format: str
    status: str
    starts_at: datetime | None
    ends_at: datetime | None
    timezone: str
    description: str
    venue: str | None
    online_link: str | None
    capacity: int | None
    waitlist_enabled: bool
    registration_opens_at: datetime | None
    registration_closes_at: datetime | None
    points_award: int
    campaign_code: str | None
    budget: Decimal | None
    min_online_minutes: int | None
    details: dict[str, Any]
    sessions: tuple[SessionSlot, ...]
    cancel_reason: str | None
    created_at: datetime
    updated_at: datetime
    registrations: int = 0  # active (registered or waitlisted) registrations
    requires_approval: bool = False
    pending: int = 0  # applications awaiting approval

    def draft(self) -> EventDraft:
        """The editable fields, to change and pass back to update_event."""
        names = {f for f in EventDraft.__dataclass_fields__}
        return EventDraft(
            **{k: v for k, v in asdict(self).items() if k in names}
            | {"sessions": self.sessions, "details": dict(self.details)}
        )

    def to_json(self) -> dict[str, Any]:
        tz = self.timezone
        return {
            "id": str(self.id),
            "title": self.title,
            "type": self.type,
            "format": self.format,
            "status": self.status,
            "starts_at": iso_local(self.starts_at, tz),
            "ends_at": iso_local(self.ends_at, tz),
            "timezone": tz,
            "description": self.description,
            "venue": self.venue,
            "online_link": self.online_link,
            "capacity": self.capacity,
            "waitlist": self.waitlist_enabled,
            "registration_opens_at": iso_local(self.registration_opens_at, tz),
            "registration_closes_at": iso_local(self.registration_closes_at, tz),
            "points_award": self.points_award,
            "campaign_code": self.campaign_code,
            "budget": float(self.budget) if self.budget is not None else None,
            "min_online_minutes": self.min_online_minutes,
            "details": self.details,
            "sessions": [
                {
                    "starts_at": iso_local(x.starts_at, tz),
                    "ends_at": iso_local(x.ends_at, tz),
                    "topic": x.topic,
                }
                for x in self.sessions
            ],
            "cancel_reason": self.cancel_reason,
            "registrations": self.registrations,
            "requires_approval": self.requires_approval,
            "pending": self.pending,
            "created_at": self.created_at.isoformat(),
            "updated_at": self.updated_at.isoformat(),
        }


@dataclass(frozen=True, slots=True)
class EventRow:
    """One line of the events table."""

    id: uuid.UUID
    title: str
    type: str
    format: str
    status: str
    starts_at: datetime | None
    ends_at: datetime | None
    timezone: str
    venue: str | None
    capacity: int | None
    campaign_code: str | None
    registrations: int  # confirmed: holding a seat (registration.SEAT_STATUSES), walk-ins included
    waitlisted: int = 0
    walk_ins: int = 0  # of `registrations`: registered at the door
    seats_used: int = 0  # what the capacity rule counts: party sizes, or cars for a club drive
    seat_limit: int | None = None  # capacity, or max_cars for a club drive (None: no limit)

    @property
    def is_full(self) -> bool:
        return self.seat_limit is not None and self.seats_used >= self.seat_limit


@dataclass(frozen=True, slots=True)
class TemplateView:
    id: uuid.UUID
    name: str
    type: str
    data: dict[str, Any]


# --------------------------------------------------------------------------- validation


def validate(draft: EventDraft) -> list[ValidationError]:
    """Every problem of a draft, field by field (the editor highlights them all)."""
    problems: list[ValidationError] = []

    def bad(fld: str, code: str, **params: object) -> None:
        problems.append(ValidationError(fld, code, **params))

    title = (draft.title or "").strip()
    if not title:
        bad("title", "required")
    elif len(title) > TITLE_MAX:
        bad("title", "too_long", max=TITLE_MAX)
    if draft.type not in EventType.__members__.values():
        bad("type", "bad_choice", choices=", ".join(EventType))
    if draft.format not in EventFormat.__members__.values():
        bad("format", "bad_choice", choices=", ".join(EventFormat))
    try:
        zone(draft.timezone)
    except ValueError:
        bad("timezone", "bad_timezone")
    if draft.starts_at and draft.ends_at and draft.ends_at <= draft.starts_at:
        bad("ends_at", "end_before_start")
    if draft.capacity is not None and draft.capacity < 1:
        bad("capacity", "not_positive", min=1)
    if draft.points_award is not None and draft.points_award < 0:
        bad("points_award", "not_positive", min=0)
    if draft.min_online_minutes is not None and draft.min_online_minutes < 0:
        bad("min_online_minutes", "not_positive", min=0)
    opens, closes = draft.registration_opens_at, draft.registration_closes_at
    if opens and closes and closes <= opens:
        bad("registration_closes_at", "window_order")
    if closes and draft.ends_at and closes > draft.ends_at:
        bad("registration_closes_at", "window_after_end")
    if draft.format in (EventFormat.ONLINE, EventFormat.HYBRID) and draft.online_link:
        link = draft.online_link.strip()
        if not link.lower().startswith(("http://", "https://")):
            bad("online_link", "bad_url")
    if draft.budget not in (None, ""):
        try:
            if Decimal(str(draft.budget)) < 0:
                bad("budget", "not_positive", min=0)
        except InvalidOperation:
            bad("budget", "not_money")
    if draft.type == EventType.CLUB_DRIVE:
        max_cars = draft.details.get("max_cars")
        if max_cars not in (None, ""):
            if not isinstance(max_cars, int) or isinstance(max_cars, bool):
                bad("max_cars", "not_number")
            elif max_cars < 1:
                bad("max_cars", "not_positive", min=1)
    for n, slot in enumerate(draft.sessions, start=1):
        if slot.ends_at and slot.ends_at <= slot.starts_at:
            bad("sessions", "session_order", n=n)
        elif (
            draft.starts_at
            and draft.ends_at
            and (
                slot.starts_at < draft.starts_at or (slot.ends_at or slot.starts_at) > draft.ends_at
            )
        ):
            bad("sessions", "session_outside", n=n)
    return problems


def _check(draft: EventDraft) -> EventDraft:
    problems = validate(draft)
    if problems:
        raise problems[0]
    return _normalise(draft)


def _normalise(draft: EventDraft) -> EventDraft:
    details = {k: v for k, v in draft.details.items() if v not in (None, "", [])}
    if "route_stops" in details:
        details["route_stops"] = [str(x).strip() for x in details["route_stops"] if str(x).strip()]
    for key in ("meeting_point", "instructor", "topic", "departure_time"):
        if isinstance(details.get(key), str):
            details[key] = details[key].strip()
    budget = (
        Decimal(str(draft.budget)).quantize(Decimal("0.01"))
        if draft.budget not in (None, "")
        else None
    )
    return replace(
        draft,
        title=draft.title.strip(),
        description=(draft.description or "").strip(),
        venue=(draft.venue or "").strip() or None,
        online_link=(draft.online_link or "").strip() or None,
        campaign_code=(draft.campaign_code or "").strip() or None,
        budget=budget,
        details=details,
        points_award=draft.points_award or 0,
    )


def _publishable(e: Event) -> None:
    if e.starts_at is None or e.ends_at is None:
        raise RuleViolation(code="publish_needs_date")
    place = e.venue or (e.details or {}).get("meeting_point")
    if e.format in (EventFormat.ON_SITE, EventFormat.HYBRID) and not place:
        raise ValidationError("venue", "venue_needed")
    if e.format == EventFormat.ONLINE and not e.online_link:
        raise ValidationError("online_link", "link_needed")


# --------------------------------------------------------------------------- mapping


def _apply(e: Event, d: EventDraft) -> None:
    e.title, e.type, e.format, e.description = d.title, d.type, d.format, d.description
    e.starts_at, e.ends_at, e.timezone = d.starts_at, d.ends_at, d.timezone
    e.venue, e.online_link, e.capacity = d.venue, d.online_link, d.capacity
    e.waitlist_enabled = d.waitlist_enabled
    e.registration_opens_at, e.registration_closes_at = (
        d.registration_opens_at,
        d.registration_closes_at,
    )
    e.points_award, e.campaign_code = d.points_award, d.campaign_code
    e.budget = d.budget  # type: ignore[assignment]
    e.min_online_minutes = d.min_online_minutes
    e.requires_approval = bool(d.requires_approval)
    e.details = dict(d.details)
    slots = list(d.sessions)
    if d.type == EventType.CARE_CLASS and not slots and d.starts_at:
        slots = [SessionSlot(d.starts_at, d.ends_at, d.details.get("topic"))]
    if d.type != EventType.CARE_CLASS:
        slots = []
    e.sessions.clear()
    for pos, slot in enumerate(slots):
        e.sessions.append(
            ClassSession(
                position=pos,
                starts_at=slot.starts_at,
                ends_at=slot.ends_at,
                topic=slot.topic,
                origin_dealer=e.origin_dealer,
                origin_device=e.origin_device,
            )
        )


def _count(s: Session, event_id: uuid.UUID, statuses: tuple[str, ...]) -> int:
    return (
        s.scalar(
            select(func.count())
            .select_from(Registration)
            .where(
                Registration.event_id == event_id,
                Registration.deleted_at.is_(None),
                Registration.status.in_(statuses),
            )
        )
        or 0
    )


def _active_registrations(s: Session, event_id: uuid.UUID) -> int:
    return _count(s, event_id, ("registered", "waitlisted", "attended"))


def _view(s: Session, e: Event) -> EventView:
    return EventView(
        id=e.id,
        title=e.title,
        type=e.type,
        format=e.format,
        status=e.status,
        starts_at=e.starts_at,
        ends_at=e.ends_at,
        timezone=e.timezone,
        description=e.description,
        venue=e.venue,
        online_link=e.online_link,
        capacity=e.capacity,
        waitlist_enabled=e.waitlist_enabled,
        registration_opens_at=e.registration_opens_at,
        registration_closes_at=e.registration_closes_at,
        points_award=e.points_award,
        campaign_code=e.campaign_code,
        budget=e.budget,
        min_online_minutes=e.min_online_minutes,
        details=dict(e.details or {}),
        sessions=tuple(SessionSlot(x.starts_at, x.ends_at, x.topic) for x in e.sessions),
        cancel_reason=e.cancel_reason,
        created_at=e.created_at,
        updated_at=e.updated_at,
        registrations=_active_registrations(s, e.id),
        requires_approval=bool(e.requires_approval),
        pending=_pending(s, e.id),
    )


def _pending(s: Session, event_id: uuid.UUID) -> int:
    return _count(s, event_id, ("pending",))


def _load(s: Session, event_id: str | uuid.UUID) -> Event:
    e = s.get(Event, parse_id(event_id, "event"))
    if e is None or e.deleted_at is not None:
        raise NotFound("event", event_id)
    return e


# --------------------------------------------------------------------------- use cases


def create_event(
    db: Database,
    draft: EventDraft,
    actor: object = None,
    *,
    questions: tuple[QuestionDraft, ...] = (),
    gifts: tuple[GiftDraft, ...] = (),
    copy_from: uuid.UUID | None = None,
) -> EventView:
    """A new draft; with the given questions and gifts, or those of `copy_from` (one
    transaction: a bad question refuses the whole event)."""
    require(db, actor, Permission.PLAN_EVENTS)
    draft = _check(draft)
    with db.write() as s:
        e = Event(status=EventStatus.DRAFT)
        stamp_origin(s, e)
        _apply(e, draft)
        s.add(e)
        s.flush()
        audit(s, "event.create", "event", e.id, {"title": e.title, "type": e.type}, actor)
        if copy_from is not None:
            copy_questions_in(s, copy_from, e)
            copy_gifts_in(s, copy_from, e)
        for q in questions:
            add_question_in(s, e, q, actor)
        for g in gifts:
            add_gift_in(s, e, g, actor)
        return _view(s, e)


def update_event(
    db: Database, event_id: str | uuid.UUID, draft: EventDraft, actor: object = None
) -> EventView:
    require(db, actor, Permission.PLAN_EVENTS)
    draft = _check(draft)
    with db.write() as s:
        e = _load(s, event_id)
        if e.status not in EDITABLE:
            raise RuleViolation(code="not_editable", status=EventStatusWord(e.status))
        _apply(e, draft)
        if e.status != EventStatus.DRAFT:
            _publishable(e)
        s.flush()
        audit(s, "event.update", "event", e.id, {"title": e.title}, actor)
        return _view(s, e)


def get_event(db: Database, event_id: str | uuid.UUID) -> EventView:
    with db.read() as s:
        return _view(s, _load(s, event_id))


def set_status(
    db: Database,
    event_id: str | uuid.UUID,
    status: str,
    *,
    confirm: bool = False,
    reason: str | None = None,
    actor: object = None,
) -> EventView:
    """Move an event through its lifecycle; see domain.enums.EVENT_TRANSITIONS.

    Cancelling an event that has registrations raises ConfirmationRequired unless
    `confirm` is true; its registrations are kept either way.
    """
    require(db, actor, Permission.PLAN_EVENTS)
    if status not in EventStatus.__members__.values():
        raise ValidationError("status", "bad_choice", choices=", ".join(EventStatus))
    new = EventStatus(status)
    with db.write() as s:
        e = _load(s, event_id)
        old = EventStatus(e.status)
        if new == old:
            return _view(s, e)
        if new not in EVENT_TRANSITIONS[old]:
            raise RuleViolation(
                code="bad_transition", old=EventStatusWord(old), new=EventStatusWord(new)
            )
        if new in (EventStatus.PUBLISHED, EventStatus.CLOSED, EventStatus.COMPLETED):
            _publishable(e)
        if new == EventStatus.CANCELLED:
            n = _active_registrations(s, e.id)
            if n and not confirm:
                raise ConfirmationRequired(code="cancel_confirm", n=n)
            e.cancel_reason = (reason or "").strip() or None
        e.status = new
        s.flush()
        audit(
            s,
            "event.status",
            "event",
            e.id,
            {"from": old.value, "to": new.value, "reason": reason},
            actor,
        )
        return _view(s, e)


def delete_draft(db: Database, event_id: str | uuid.UUID, actor: object = None) -> None:
    """Soft-delete a draft (published events are cancelled instead, to keep history)."""
    require(db, actor, Permission.PLAN_EVENTS)
    with db.write() as s:
        e = _load(s, event_id)
        if e.status != EventStatus.DRAFT:
            raise RuleViolation(
                code="bad_transition", old=EventStatusWord(e.status), new=EventStatusWord("deleted")
            )
        e.deleted_at = now_utc()
        audit(s, "event.delete", "event", e.id, {"title": e.title}, actor)


def list_events(
    db: Database,
    search: str = "",
    types: list[str] | None = None,
    statuses: list[str] | None = None,
    starts_from: datetime | None = None,
    starts_to: datetime | None = None,
) -> list[EventRow]:
    """Events matching the filters, soonest first (undated drafts last).

    Each row counts what the capacity rule counts: confirmed registrations (registered or
    attended, walk-ins included — they take seats), their seats (cars for a club drive),
    and apart from them the waitlist (docs/registration.md, "The events list")."""
    r = Registration
    seated = r.status.in_(SEAT_STATUSES)

    def count(cond: Any) -> Any:
        return func.sum(case((cond, 1), else_=0))

    counts = (
        select(
            r.event_id,
            count(seated).label("n"),
            count(r.status == RegistrationStatus.WAITLISTED.value).label("waiting"),
            count(and_(seated, r.is_walk_in.is_(True))).label("walk"),
            func.sum(case((seated, r.party_size), else_=0)).label("seats"),
        )
        .where(r.deleted_at.is_(None))
        .group_by(r.event_id)
        .subquery()
    )
    c = counts.c
    stmt = (
        select(
            Event,
            func.coalesce(c.n, 0),
            func.coalesce(c.waiting, 0),
            func.coalesce(c.walk, 0),
            func.coalesce(c.seats, 0),
        )
        .outerjoin(counts, c.event_id == Event.id)
        .where(Event.deleted_at.is_(None))
    )
    if search.strip():
        like = f"%{search.strip().lower()}%"
        stmt = stmt.where(
            or_(
                func.lower(Event.title).like(like),
                func.lower(func.coalesce(Event.venue, "")).like(like),
                func.lower(func.coalesce(Event.campaign_code, "")).like(like),
            )
        )
    if types:
        stmt = stmt.where(Event.type.in_(types))
    if statuses:
        stmt = stmt.where(Event.status.in_(statuses))
    if starts_from:
        stmt = stmt.where(Event.starts_at >= starts_from)
    if starts_to:
        stmt = stmt.where(Event.starts_at < starts_to)
    stmt = stmt.order_by(Event.starts_at.is_(None), Event.starts_at, Event.title)
    with db.read() as s:
        return [
            EventRow(
                e.id,
                e.title,
                e.type,
                e.format,
                e.status,
                e.starts_at,
                e.ends_at,
                e.timezone,
                e.venue,
                e.capacity,
                e.campaign_code,
                int(n),
                waitlisted=int(waiting),
                walk_ins=int(walk),
                seats_used=int(n) if is_drive(e) else int(seats),
                seat_limit=capacity_of(e),
            )
            for e, n, waiting, walk, seats in s.execute(stmt)
        ]


def _shift(draft: EventDraft, delta: timedelta) -> EventDraft:
    def sh(x: datetime | None) -> datetime | None:
        return x + delta if x else None

    details = dict(draft.details)
    if details.get("departure_time"):
        dep = datetime.fromisoformat(details["departure_time"])
        details["departure_time"] = (dep + delta).isoformat()
    return replace(
        draft,
        starts_at=sh(draft.starts_at),
        ends_at=sh(draft.ends_at),
        registration_opens_at=sh(draft.registration_opens_at),
        registration_closes_at=sh(draft.registration_closes_at),
        sessions=tuple(
            SessionSlot(x.starts_at + delta, sh(x.ends_at), x.topic) for x in draft.sessions
        ),
        details=details,
    )


def duplicate_event(
    db: Database,
    event_id: str | uuid.UUID,
    starts_at: datetime | None = None,
    title: str | None = None,
    actor: object = None,
) -> EventView:
    """A new draft copying everything but registrations; dates moved to `starts_at` if given."""
    require(db, actor, Permission.PLAN_EVENTS)
    src = get_event(db, event_id)
    draft = src.draft()
    if starts_at and src.starts_at:
        draft = _shift(draft, starts_at - src.starts_at)
    elif starts_at:
        draft = replace(draft, starts_at=starts_at)
    draft = replace(draft, title=title or src.title)
    return create_event(db, draft, actor, copy_from=src.id)


# --------------------------------------------------------------------------- templates


def _template_data(v: EventView) -> dict[str, Any]:
    """Template = the event without its dates; times are kept as offsets from the start."""
    start = v.starts_at

    def offset(x: datetime | None) -> float | None:
        return (x - start).total_seconds() if x and start else None

    return {
        "title": v.title,
        "format": v.format,
        "description": v.description,
        "timezone": v.timezone,
        "venue": v.venue,
        "online_link": v.online_link,
        "capacity": v.capacity,
        "waitlist_enabled": v.waitlist_enabled,
        "points_award": v.points_award,
        "budget": str(v.budget) if v.budget is not None else None,
        "min_online_minutes": v.min_online_minutes,
        "requires_approval": v.requires_approval,
        "details": {k: val for k, val in v.details.items() if k != "departure_time"},
        "duration_s": offset(v.ends_at),
        "registration_opens_s": offset(v.registration_opens_at),
        "registration_closes_s": offset(v.registration_closes_at),
        "sessions": [
            {"start_s": offset(x.starts_at), "end_s": offset(x.ends_at), "topic": x.topic}
            for x in v.sessions
        ],
    }


def save_as_template(
    db: Database, event_id: str | uuid.UUID, name: str, actor: object = None
) -> TemplateView:
    require(db, actor, Permission.PLAN_EVENTS)
    name = (name or "").strip()
    if not name:
        raise ValidationError("name", "required")
    v = get_event(db, event_id)
    data = _template_data(v)
    data["questions"] = questions_template(list_questions(db, v.id))
    data["gifts"] = gifts_template(list_gifts(db, v.id))
    with db.write() as s:
        t = EventTemplate(name=name, type=v.type, data=data)
        stamp_origin(s, t)
        s.add(t)
        s.flush()
        audit(s, "template.create", "event_template", t.id, {"name": name}, actor)
        return TemplateView(t.id, t.name, t.type, dict(t.data))


def list_templates(db: Database, type: str | None = None) -> list[TemplateView]:
    stmt = select(EventTemplate).where(EventTemplate.deleted_at.is_(None))
    if type:
        stmt = stmt.where(EventTemplate.type == type)
    with db.read() as s:
        return [
            TemplateView(t.id, t.name, t.type, dict(t.data))
            for t in s.scalars(stmt.order_by(EventTemplate.type, EventTemplate.name))
        ]


def draft_from_template(
    db: Database, template_id: str | uuid.UUID, starts_at: datetime | None = None
) -> EventDraft:
    """A draft filled from a template, dated from `starts_at` (the editor shows it first)."""
    with db.read() as s:
        t = s.get(EventTemplate, parse_id(template_id, "template"))
        if t is None or t.deleted_at is not None:
            raise NotFound("template", template_id)
        data, type_ = dict(t.data), t.type

    def at(key: str) -> datetime | None:
        sec = data.get(key)
        return starts_at + timedelta(seconds=sec) if starts_at and sec is not None else None

    sessions = tuple(
        SessionSlot(
            starts_at + timedelta(seconds=x["start_s"] or 0),
            starts_at + timedelta(seconds=x["end_s"]) if x.get("end_s") else None,
            x.get("topic"),
        )
        for x in data.get("sessions", [])
        if starts_at and x.get("start_s") is not None
    )
    return EventDraft(
        title=data.get("title", ""),
        type=type_,
        format=data.get("format", EventFormat.ON_SITE),
        description=data.get("description", ""),
        timezone=data.get("timezone", DEFAULT_TZ),
        venue=data.get("venue"),
        online_link=data.get("online_link"),
        capacity=data.get("capacity"),
        waitlist_enabled=bool(data.get("waitlist_enabled")),
        points_award=data.get("points_award") or 0,
        budget=data.get("budget"),
        min_online_minutes=data.get("min_online_minutes"),
        requires_approval=bool(data.get("requires_approval")),
        details=dict(data.get("details") or {}),
        starts_at=starts_at,
        ends_at=at("duration_s"),
        registration_opens_at=at("registration_opens_s"),
        registration_closes_at=at("registration_closes_s"),
        sessions=sessions,
    )


def create_from_template(
    db: Database,
    template_id: str | uuid.UUID,
    starts_at: datetime | None = None,
    title: str | None = None,
    actor: object = None,
) -> EventView:
    require(db, actor, Permission.PLAN_EVENTS)
    draft = draft_from_template(db, template_id, starts_at)
    if title:
        draft = replace(draft, title=title)
    questions, gifts = template_extras(db, template_id)
    return create_event(db, draft, actor, questions=questions, gifts=gifts)


def template_extras(
    db: Database, template_id: str | uuid.UUID
) -> tuple[tuple[QuestionDraft, ...], tuple[GiftDraft, ...]]:
    """The questions and gift items a template brings (issue 14)."""
    with db.read() as s:
        t = s.get(EventTemplate, parse_id(template_id, "template"))
        if t is None or t.deleted_at is not None:
            raise NotFound("template", template_id)
        data = dict(t.data)
    return (
        questions_from_template(data.get("questions") or ()),
        gifts_from_template(data.get("gifts") or ()),
    )
