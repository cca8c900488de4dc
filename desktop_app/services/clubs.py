"""Owner clubs (车友会): clubs, memberships with roles, member lists and club activity.

API (stable for the Clubs screen):
  create_club / update_club (ClubDraft) -> ClubView;  get_club;  list_clubs(db, search)
  join_club(db, club_id, person_id, role, joined_on) -> Membership
  leave_club / change_role;  members(db, club_id) -> list[MemberRow]
  link_event / unlink_event (event_clubs);  club_activity(db, club_id) -> list[ClubEventRow]
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from desktop_app.domain.enums import ClubRole, RegistrationStatus
from desktop_app.domain.errors import NotFound, RuleViolation, ValidationError
from desktop_app.domain.phone import display_phone
from desktop_app.domain.roles import Permission
from desktop_app.domain.timeutil import now_utc
from desktop_app.services.auth import require
from desktop_app.services.common import audit, parse_id, stamp_origin
from desktop_app.store.db import Database
from desktop_app.store.models import (
    Club,
    ClubMembership,
    Event,
    EventClub,
    Person,
    Registration,
)

NAME_MAX = 200


@dataclass(frozen=True, slots=True)
class ClubDraft:
    name: str
    model_focus: str | None = None
    city: str | None = None
    description: str = ""


@dataclass(frozen=True, slots=True)
class ClubView:
    id: uuid.UUID
    name: str
    model_focus: str | None
    city: str | None
    description: str
    members: int  # active memberships
    leaders: tuple[str, ...]  # names of leaders
    events: int  # events linked to the club
    created_at: datetime

    def draft(self) -> ClubDraft:
        return ClubDraft(self.name, self.model_focus, self.city, self.description)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "name": self.name,
            "model_focus": self.model_focus,
            "city": self.city,
            "description": self.description,
            "members": self.members,
            "leaders": list(self.leaders),
            "events": self.events,
            "created_at": self.created_at.isoformat(),
        }


@dataclass(frozen=True, slots=True)
class Membership:
    id: uuid.UUID
    club_id: uuid.UUID
    person_id: uuid.UUID
    role: str
    joined_on: date | None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "club_id": str(self.club_id),
            "person_id": str(self.person_id),
            "role": self.role,
            "joined_on": self.joined_on.isoformat() if self.joined_on else None,
        }


@dataclass(frozen=True, slots=True)
class MemberRow:
    person_id: uuid.UUID
    name: str
    phone: str | None
    role: str
    joined_on: date | None
    tier: str
    events_attended: int  # this club's events the member attended

    def to_json(self) -> dict[str, Any]:
        return {
            "person_id": str(self.person_id),
            "name": self.name,
            "phone": self.phone,
            "phone_display": display_phone(self.phone),
            "role": self.role,
            "joined_on": self.joined_on.isoformat() if self.joined_on else None,
            "tier": self.tier,
            "events_attended": self.events_attended,
        }


@dataclass(frozen=True, slots=True)
class ClubEventRow:
    event_id: uuid.UUID
    title: str
    type: str
    status: str
    starts_at: datetime | None
    members_registered: int  # club members with an active registration
    members_attended: int  # club members who attended / checked in
    attended: int  # everyone who attended (members or not)

    def to_json(self) -> dict[str, Any]:
        return {
            "event_id": str(self.event_id),
            "title": self.title,
            "type": self.type,
            "status": self.status,
            "starts_at": self.starts_at.isoformat() if self.starts_at else None,
            "members_registered": self.members_registered,
            "members_attended": self.members_attended,
            "attended": self.attended,
        }


def _text(value: str | None) -> str:
    return (value or "").strip()


def _check(d: ClubDraft) -> None:
    name = _text(d.name)
    if not name:
        raise ValidationError("name", "required")
    if len(name) > NAME_MAX:
        raise ValidationError("name", "too_long", max=NAME_MAX)


def _role(role: str) -> str:
    role = _text(role).lower()
    if role not in ClubRole.__members__.values():
        raise ValidationError("role", "bad_choice", choices=", ".join(ClubRole))
    return role


def _load(s: Session, club_id: str | uuid.UUID) -> Club:
    cid = parse_id(club_id, "club")
    c = s.get(Club, cid)
    if c is None or c.deleted_at is not None:
        raise NotFound("club", club_id)
    return c


def _person(s: Session, person_id: str | uuid.UUID) -> Person:
    pid = parse_id(person_id, "person")
    p = s.get(Person, pid)
    if p is None or p.deleted_at is not None:
        raise NotFound("person", person_id)
    return p


def _view(s: Session, c: Club) -> ClubView:
    active = and_(ClubMembership.club_id == c.id, ClubMembership.deleted_at.is_(None))
    members = s.scalar(select(func.count()).select_from(ClubMembership).where(active)) or 0
    leaders = tuple(
        s.scalars(
            select(Person.name)
            .join(ClubMembership, ClubMembership.person_id == Person.id)
            .where(active, ClubMembership.role == ClubRole.LEADER)
            .order_by(Person.name)
        )
    )
    events = (
        s.scalar(select(func.count()).select_from(EventClub).where(EventClub.club_id == c.id)) or 0
    )
    return ClubView(
        c.id,
        c.name,
        c.model_focus,
        c.city,
        c.description or "",
        int(members),
        leaders,
        int(events),
        c.created_at,
    )


def create_club(db: Database, draft: ClubDraft, actor: object = None) -> ClubView:
    require(db, actor, Permission.EDIT_PEOPLE)
    _check(draft)
    with db.write() as s:
        c = Club(
            name=_text(draft.name),
            model_focus=_text(draft.model_focus) or None,
            city=_text(draft.city) or None,
            description=_text(draft.description),
        )
        stamp_origin(s, c)
        s.add(c)
        s.flush()
        audit(s, "club.create", "club", c.id, {"name": c.name}, actor)
        return _view(s, c)


def update_club(
    db: Database, club_id: str | uuid.UUID, draft: ClubDraft, actor: object = None
) -> ClubView:
    require(db, actor, Permission.EDIT_PEOPLE)
    _check(draft)
    with db.write() as s:
        c = _load(s, club_id)
        c.name = _text(draft.name)
        c.model_focus = _text(draft.model_focus) or None
        c.city = _text(draft.city) or None
        c.description = _text(draft.description)
        s.flush()
        audit(s, "club.update", "club", c.id, {"name": c.name}, actor)
        return _view(s, c)


def get_club(db: Database, club_id: str | uuid.UUID) -> ClubView:
    with db.read() as s:
        return _view(s, _load(s, club_id))


def list_clubs(db: Database, search: str = "") -> list[ClubView]:
    """Clubs by name; `search` matches name, model focus or city."""
    stmt = select(Club).where(Club.deleted_at.is_(None))
    if search.strip():
        like = f"%{search.strip().lower()}%"
        stmt = stmt.where(
            or_(
                func.lower(Club.name).like(like),
                func.lower(func.coalesce(Club.model_focus, "")).like(like),
                func.lower(func.coalesce(Club.city, "")).like(like),
            )
        )
    with db.read() as s:
        return [_view(s, c) for c in s.scalars(stmt.order_by(Club.name, Club.id))]


def _membership(s: Session, club_id: uuid.UUID, person_id: uuid.UUID) -> ClubMembership | None:
    return s.scalars(
        select(ClubMembership).where(
            ClubMembership.club_id == club_id, ClubMembership.person_id == person_id
        )
    ).first()


def _mview(m: ClubMembership) -> Membership:
    return Membership(m.id, m.club_id, m.person_id, m.role, m.joined_on)


def join_club(
    db: Database,
    club_id: str | uuid.UUID,
    person_id: str | uuid.UUID,
    role: str = ClubRole.MEMBER,
    joined_on: date | None = None,
    actor: object = None,
) -> Membership:
    """Add a person to a club (joined today unless `joined_on`); re-joining after leaving
    revives the old membership with the new role and date."""
    require(db, actor, Permission.EDIT_PEOPLE)
    role = _role(role)
    with db.write() as s:
        c = _load(s, club_id)
        p = _person(s, person_id)
        m = _membership(s, c.id, p.id)
        if m is not None and m.deleted_at is None:
            raise RuleViolation(code="club_member_exists", name=p.name, club=c.name)
        when = joined_on or now_utc().date()
        if m is None:
            m = ClubMembership(club_id=c.id, person_id=p.id, role=role, joined_on=when)
            stamp_origin(s, m)
            s.add(m)
        else:
            m.deleted_at = None
            m.role = role
            m.joined_on = when
        s.flush()
        audit(
            s,
            "club.join",
            "club",
            c.id,
            {"person_id": str(p.id), "name": p.name, "role": role},
            actor,
        )
        return _mview(m)


def _active(
    s: Session, club_id: str | uuid.UUID, person_id: str | uuid.UUID
) -> tuple[Club, Person, ClubMembership]:
    c = _load(s, club_id)
    p = _person(s, person_id)
    m = _membership(s, c.id, p.id)
    if m is None or m.deleted_at is not None:
        raise RuleViolation(code="not_club_member", name=p.name, club=c.name)
    return c, p, m


def leave_club(
    db: Database, club_id: str | uuid.UUID, person_id: str | uuid.UUID, actor: object = None
) -> None:
    require(db, actor, Permission.EDIT_PEOPLE)
    with db.write() as s:
        c, p, m = _active(s, club_id, person_id)
        m.deleted_at = now_utc()
        audit(s, "club.leave", "club", c.id, {"person_id": str(p.id), "name": p.name}, actor)


def change_role(
    db: Database,
    club_id: str | uuid.UUID,
    person_id: str | uuid.UUID,
    role: str,
    actor: object = None,
) -> Membership:
    require(db, actor, Permission.EDIT_PEOPLE)
    role = _role(role)
    with db.write() as s:
        c, p, m = _active(s, club_id, person_id)
        old = m.role
        m.role = role
        s.flush()
        audit(
            s,
            "club.role",
            "club",
            c.id,
            {"person_id": str(p.id), "name": p.name, "old": old, "new": role},
            actor,
        )
        return _mview(m)


_ATTENDED = or_(
    Registration.status == RegistrationStatus.ATTENDED, Registration.checked_in_at.is_not(None)
)


def members(db: Database, club_id: str | uuid.UUID, role: str | None = None) -> list[MemberRow]:
    """Active members: leaders first, then KOLs, then members, each by name."""
    with db.read() as s:
        c = _load(s, club_id)
        attended = (
            select(Registration.person_id, func.count().label("n"))
            .join(EventClub, EventClub.event_id == Registration.event_id)
            .where(EventClub.club_id == c.id, Registration.deleted_at.is_(None), _ATTENDED)
            .group_by(Registration.person_id)
            .subquery()
        )
        stmt = (
            select(ClubMembership, Person, func.coalesce(attended.c.n, 0))
            .join(Person, Person.id == ClubMembership.person_id)
            .outerjoin(attended, attended.c.person_id == Person.id)
            .where(
                ClubMembership.club_id == c.id,
                ClubMembership.deleted_at.is_(None),
                Person.deleted_at.is_(None),
            )
        )
        if role:
            stmt = stmt.where(ClubMembership.role == _role(role))
        order = {ClubRole.LEADER.value: 0, ClubRole.KOL.value: 1, ClubRole.MEMBER.value: 2}
        rows = [
            MemberRow(p.id, p.name, p.phone, m.role, m.joined_on, p.tier or "none", int(n))
            for m, p, n in s.execute(stmt)
        ]
        return sorted(rows, key=lambda r: (order.get(r.role, 3), r.name, str(r.person_id)))


def link_event(
    db: Database, club_id: str | uuid.UUID, event_id: str | uuid.UUID, actor: object = None
) -> None:
    """Count an event as one of the club's activities (idempotent)."""
    require(db, actor, Permission.EDIT_PEOPLE)
    with db.write() as s:
        c = _load(s, club_id)
        eid = parse_id(event_id, "event")
        e = s.get(Event, eid)
        if e is None or e.deleted_at is not None:
            raise NotFound("event", event_id)
        if s.get(EventClub, (e.id, c.id)) is None:
            s.add(EventClub(event_id=e.id, club_id=c.id))
            audit(s, "club.link_event", "club", c.id, {"event_id": str(e.id)}, actor)


def unlink_event(
    db: Database, club_id: str | uuid.UUID, event_id: str | uuid.UUID, actor: object = None
) -> None:
    require(db, actor, Permission.EDIT_PEOPLE)
    with db.write() as s:
        c = _load(s, club_id)
        link = s.get(EventClub, (parse_id(event_id, "event"), c.id))
        if link is not None:
            s.delete(link)
            audit(s, "club.unlink_event", "club", c.id, {"event_id": str(event_id)}, actor)


def club_activity(db: Database, club_id: str | uuid.UUID) -> list[ClubEventRow]:
    """The club's events, newest first, with how many members registered and attended."""
    with db.read() as s:
        c = _load(s, club_id)
        member_ids = select(ClubMembership.person_id).where(
            ClubMembership.club_id == c.id, ClubMembership.deleted_at.is_(None)
        )
        events = s.scalars(
            select(Event)
            .join(EventClub, EventClub.event_id == Event.id)
            .where(EventClub.club_id == c.id, Event.deleted_at.is_(None))
            .order_by(Event.starts_at.desc(), Event.id)
        ).all()
        out: list[ClubEventRow] = []
        live = Registration.deleted_at.is_(None)
        for e in events:
            base = (
                select(func.count())
                .select_from(Registration)
                .where(Registration.event_id == e.id, live)
            )
            registered = s.scalar(
                base.where(
                    Registration.person_id.in_(member_ids),
                    Registration.status.in_(
                        (
                            RegistrationStatus.REGISTERED,
                            RegistrationStatus.WAITLISTED,
                            RegistrationStatus.ATTENDED,
                        )
                    ),
                )
            )
            m_att = s.scalar(base.where(Registration.person_id.in_(member_ids), _ATTENDED))
            att = s.scalar(base.where(_ATTENDED))
            out.append(
                ClubEventRow(
                    e.id,
                    e.title,
                    e.type,
                    e.status,
                    e.starts_at,
                    int(registered or 0),
                    int(m_att or 0),
                    int(att or 0),
                )
            )
        return out
