"""Invitation call lists: a segment builder over people, per-butler call lists, call outcomes.

- A segment combines filters with AND; values inside one filter combine with OR (two
  stages = either stage; two tags = either tag).
- "Attended" means a registration with a check-in, or online minutes at or above the
  event's minimum (1 minute when it sets none). "Last N months" is N × 30 days back from
  now, compared with the event's start.
- Call lists: each person goes to their butler's list. People without a butler are shared
  out round-robin between the butlers present in the audience (or every active staff
  member when nobody has a butler), fewest-first, so lists stay even; with
  unassigned="unassigned" they stay on an "unassigned" list that a coordinator hands out.
- People already on a list for the event, or already actively registered, are skipped.
- Only people with marketing consent are called (services/consent.py): the others are
  left out of the preview and the lists, and counted (`left_out_no_consent`).
- Recording "registered" registers the person (source phone_invite, invited_by = the
  butler) in the same transaction and links the registration to the invitation.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from desktop_app.domain import kpi
from desktop_app.domain.enums import InvitationStatus, RegistrationSource, RegistrationStatus
from desktop_app.domain.errors import NotFound, ValidationError
from desktop_app.domain.roles import Permission
from desktop_app.domain.timeutil import now_utc
from desktop_app.services.auth import require
from desktop_app.services.common import audit, parse_id, stamp_origin
from desktop_app.services.consent import marketing_ok
from desktop_app.services.registration import (
    ACTIVE_STATUSES,
    RegistrationRequest,
    register_in,
)
from desktop_app.store.db import Database
from desktop_app.store.models import (
    ClubMembership,
    Event,
    Invitation,
    Person,
    PersonTag,
    Registration,
    Staff,
    Vehicle,
)

PREVIEW_ROWS = 200


@dataclass(frozen=True, slots=True)
class Segment:
    stages: tuple[str, ...] = ()
    tiers: tuple[str, ...] = ()
    club_ids: tuple[str | uuid.UUID, ...] = ()
    models: tuple[str, ...] = ()  # vehicle model contains (case-insensitive)
    purchased_from: date | None = None
    purchased_to: date | None = None  # inclusive
    butler_ids: tuple[str | uuid.UUID, ...] = ()
    tags: tuple[str, ...] = ()
    attended_in_months: int | None = None
    not_attended_in_months: int | None = None
    never_attended: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "stages": list(self.stages),
            "tiers": list(self.tiers),
            "club_ids": [str(x) for x in self.club_ids],
            "models": list(self.models),
            "purchased_from": self.purchased_from.isoformat() if self.purchased_from else None,
            "purchased_to": self.purchased_to.isoformat() if self.purchased_to else None,
            "butler_ids": [str(x) for x in self.butler_ids],
            "tags": list(self.tags),
            "attended_in_months": self.attended_in_months,
            "not_attended_in_months": self.not_attended_in_months,
            "never_attended": self.never_attended,
        }


@dataclass(frozen=True, slots=True)
class AudienceRow:
    person_id: uuid.UUID
    name: str
    phone: str | None
    stage: str
    tier: str | None
    butler_id: uuid.UUID | None
    butler_name: str | None

    def to_json(self) -> dict[str, Any]:
        return {
            "person_id": str(self.person_id),
            "name": self.name,
            "phone": self.phone,
            "stage": self.stage,
            "tier": self.tier,
            "butler_id": str(self.butler_id) if self.butler_id else None,
            "butler_name": self.butler_name,
        }


@dataclass(frozen=True, slots=True)
class Preview:
    count: int
    rows: tuple[AudienceRow, ...]  # the first PREVIEW_ROWS, by name
    left_out_no_consent: int = 0  # matched the segment but gave no marketing consent

    def to_json(self) -> dict[str, Any]:
        return {
            "count": self.count,
            "left_out_no_consent": self.left_out_no_consent,
            "items": [r.to_json() for r in self.rows],
        }


@dataclass(frozen=True, slots=True)
class ButlerProgress:
    butler_id: uuid.UUID | None
    butler_name: str | None
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def called(self) -> int:
        return self.total - self.counts.get(InvitationStatus.TO_CALL.value, 0)

    def to_json(self) -> dict[str, Any]:
        return {
            "butler_id": str(self.butler_id) if self.butler_id else None,
            "butler_name": self.butler_name,
            "total": self.total,
            "called": self.called,
            **self.counts,
        }


@dataclass(frozen=True, slots=True)
class BuildResult:
    event_id: uuid.UUID
    added: int
    already: int  # already on a list, or already registered
    per_butler: tuple[ButlerProgress, ...]
    left_out_no_consent: int = 0  # in the segment, but no marketing consent: not called

    def to_json(self) -> dict[str, Any]:
        return {
            "event_id": str(self.event_id),
            "added": self.added,
            "already": self.already,
            "left_out_no_consent": self.left_out_no_consent,
            "per_butler": [p.to_json() for p in self.per_butler],
        }


@dataclass(frozen=True, slots=True)
class InvitationRow:
    id: uuid.UUID
    event_id: uuid.UUID
    person_id: uuid.UUID
    name: str
    phone: str | None
    butler_id: uuid.UUID | None
    butler_name: str | None
    status: str
    note: str
    called_at: datetime | None
    registration_id: uuid.UUID | None
    registration_status: str | None  # the person's registration for the event, if any

    def to_json(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "event_id": str(self.event_id),
            "person_id": str(self.person_id),
            "name": self.name,
            "phone": self.phone,
            "butler_id": str(self.butler_id) if self.butler_id else None,
            "butler_name": self.butler_name,
            "status": self.status,
            "note": self.note,
            "called_at": self.called_at.isoformat() if self.called_at else None,
            "registration_id": str(self.registration_id) if self.registration_id else None,
            "registration_status": self.registration_status,
        }


# --------------------------------------------------------------------------- segment


def attended_condition() -> ColumnElement[bool]:
    """SQL: this registration counts as attended (join Event for the online minimum)."""
    return and_(
        Registration.deleted_at.is_(None),
        Registration.status != RegistrationStatus.CANCELLED.value,
        or_(
            Registration.checked_in_at.is_not(None),
            Registration.online_minutes
            >= func.coalesce(Event.min_online_minutes, kpi.DEFAULT_MIN_ONLINE_MINUTES),
        ),
    )


def _attended_since(since: datetime | None) -> ColumnElement[bool]:
    cond = (
        select(Registration.id)
        .join(Event, Event.id == Registration.event_id)
        .where(Registration.person_id == Person.id, attended_condition())
    )
    if since is not None:
        cond = cond.where(Event.starts_at >= since)
    return exists(cond)


def _segment_where(seg: Segment, now: datetime) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = [
        Person.deleted_at.is_(None),
        Person.merged_into_id.is_(None),
    ]
    if seg.stages:
        where.append(Person.stage.in_(seg.stages))
    if seg.tiers:
        where.append(Person.tier.in_(seg.tiers))
    if seg.butler_ids:
        where.append(Person.butler_id.in_([parse_id(b, "staff") for b in seg.butler_ids]))
    if seg.club_ids:
        where.append(
            exists(
                select(ClubMembership.id).where(
                    ClubMembership.person_id == Person.id,
                    ClubMembership.deleted_at.is_(None),
                    ClubMembership.club_id.in_([parse_id(c, "club") for c in seg.club_ids]),
                )
            )
        )
    if seg.models or seg.purchased_from or seg.purchased_to:
        vq = select(Vehicle.id).where(Vehicle.person_id == Person.id, Vehicle.deleted_at.is_(None))
        if seg.models:
            vq = vq.where(
                or_(*(func.lower(Vehicle.model).like(f"%{m.strip().lower()}%") for m in seg.models))
            )
        if seg.purchased_from:
            vq = vq.where(Vehicle.purchase_date >= seg.purchased_from)
        if seg.purchased_to:
            vq = vq.where(Vehicle.purchase_date <= seg.purchased_to)
        where.append(exists(vq))
    if seg.tags:
        where.append(
            exists(
                select(PersonTag.tag).where(
                    PersonTag.person_id == Person.id, PersonTag.tag.in_(seg.tags)
                )
            )
        )
    if seg.attended_in_months is not None:
        where.append(_attended_since(now - timedelta(days=30 * seg.attended_in_months)))
    if seg.not_attended_in_months is not None:
        where.append(~_attended_since(now - timedelta(days=30 * seg.not_attended_in_months)))
    if seg.never_attended:
        where.append(~_attended_since(None))
    return where


def _not_registered(event_id: uuid.UUID) -> ColumnElement[bool]:
    return ~exists(
        select(Registration.id).where(
            Registration.person_id == Person.id,
            Registration.event_id == event_id,
            Registration.deleted_at.is_(None),
            Registration.status.in_(ACTIVE_STATUSES),
        )
    )


def _audience(
    s: Session, seg: Segment, exclude_event: uuid.UUID | None, *, consented: bool = True
) -> Any:
    """The segment's people (consented=True: only those who may be called; False: only
    those left out for want of marketing consent)."""
    where = _segment_where(seg, now_utc())
    if exclude_event is not None:
        where.append(_not_registered(exclude_event))
    where.append(marketing_ok() if consented else ~marketing_ok())
    return (
        select(Person.id, Person.name, Person.phone, Person.stage, Person.tier, Person.butler_id)
        .where(*where)
        .order_by(Person.name, Person.id)
    )


def _count(s: Session, stmt: Any) -> int:
    return int(s.scalar(select(func.count()).select_from(stmt.subquery())) or 0)


def _staff_names(s: Session) -> dict[uuid.UUID, str]:
    return {sid: name for sid, name in s.execute(select(Staff.id, Staff.name))}


def preview(db: Database, seg: Segment, exclude_event_id: str | uuid.UUID | None = None) -> Preview:
    """How many people match, and the first rows (for the builder's live preview)."""
    with db.read() as s:
        ev = parse_id(exclude_event_id, "event") if exclude_event_id else None
        stmt = _audience(s, seg, ev)
        count = _count(s, stmt)
        names = _staff_names(s)
        rows = tuple(
            AudienceRow(pid, name, phone, stage, tier, bid, names.get(bid) if bid else None)
            for pid, name, phone, stage, tier, bid in s.execute(stmt.limit(PREVIEW_ROWS))
        )
        return Preview(count, rows, _count(s, _audience(s, seg, ev, consented=False)))


# --------------------------------------------------------------------------- call lists


def _event(s: Session, event_id: str | uuid.UUID) -> Event:
    e = s.get(Event, parse_id(event_id, "event"))
    if e is None or e.deleted_at is not None:
        raise NotFound("event", event_id)
    return e


def build_call_lists(
    db: Database,
    event_id: str | uuid.UUID,
    seg: Segment,
    *,
    unassigned: str = "round_robin",
    actor: object = None,
) -> BuildResult:
    """Add the segment's people to the event's call lists, split per butler."""
    require(db, actor, Permission.INVITATIONS)
    if unassigned not in ("round_robin", "unassigned"):
        raise ValidationError("unassigned", "bad_choice", choices="round_robin, unassigned")
    with db.write() as s:
        e = _event(s, event_id)
        people = s.execute(_audience(s, seg, e.id)).all()
        left_out = _count(s, _audience(s, seg, e.id, consented=False))
        on_list = set(
            s.scalars(select(Invitation.person_id).where(Invitation.event_id == e.id)).all()
        )
        active_staff = {
            sid
            for (sid,) in s.execute(
                select(Staff.id).where(Staff.active.is_(True), Staff.deleted_at.is_(None))
            )
        }
        load: Counter[uuid.UUID] = Counter()
        for sid, n in s.execute(
            select(Invitation.staff_id, func.count())
            .where(Invitation.event_id == e.id, Invitation.staff_id.is_not(None))
            .group_by(Invitation.staff_id)
        ):
            load[sid] = int(n)
        butlers = sorted({p.butler_id for p in people if p.butler_id in active_staff}, key=str)
        pool = butlers or sorted(active_staff, key=str)
        added = already = 0
        for pid, _name, _phone, _stage, _tier, bid in people:
            if pid in on_list:
                already += 1
                continue
            staff = bid if bid in active_staff else None
            if staff is None and unassigned == "round_robin" and pool:
                staff = min(pool, key=lambda x: (load[x], str(x)))
            if staff is not None:
                load[staff] += 1
            inv = Invitation(event_id=e.id, person_id=pid, staff_id=staff)
            stamp_origin(s, inv)
            s.add(inv)
            added += 1
        s.flush()
        audit(
            s,
            "invitation.build",
            "event",
            e.id,
            {
                "segment": seg.to_json(),
                "added": added,
                "skipped": already,
                "left_out_no_consent": left_out,
            },
            actor,
        )
        return BuildResult(e.id, added, already, tuple(_progress(s, e.id)), left_out)


def _rows(s: Session, stmt: Any) -> list[InvitationRow]:
    names = _staff_names(s)
    out = []
    for inv, person, reg_status in s.execute(stmt):
        out.append(
            InvitationRow(
                inv.id,
                inv.event_id,
                inv.person_id,
                person.name,
                person.phone,
                inv.staff_id,
                names.get(inv.staff_id) if inv.staff_id else None,
                inv.status,
                inv.note or "",
                inv.called_at,
                inv.registration_id,
                reg_status,
            )
        )
    return out


def _row_stmt() -> Any:
    return (
        select(Invitation, Person, Registration.status)
        .join(Person, Person.id == Invitation.person_id)
        .outerjoin(
            Registration,
            and_(
                Registration.event_id == Invitation.event_id,
                Registration.person_id == Invitation.person_id,
                Registration.deleted_at.is_(None),
            ),
        )
        .where(Invitation.deleted_at.is_(None))
    )


def list_invitations(
    db: Database,
    event_id: str | uuid.UUID,
    butler_id: str | uuid.UUID | None = None,
    statuses: Sequence[str] | None = None,
) -> list[InvitationRow]:
    """An event's call list(s); butler_id 'none' = the unassigned list. To-call first."""
    with db.read() as s:
        e = _event(s, event_id)
        stmt = _row_stmt().where(Invitation.event_id == e.id)
        if butler_id is not None and str(butler_id).lower() in ("none", "unassigned"):
            stmt = stmt.where(Invitation.staff_id.is_(None))
        elif butler_id:
            stmt = stmt.where(Invitation.staff_id == parse_id(butler_id, "staff"))
        if statuses:
            stmt = stmt.where(Invitation.status.in_(list(statuses)))
        order = {x.value: n for n, x in enumerate(InvitationStatus)}
        rows = _rows(s, stmt.order_by(Person.name, Invitation.id))
        return sorted(rows, key=lambda r: (order.get(r.status, 9), r.name))


def get_invitation(db: Database, invitation_id: str | uuid.UUID) -> InvitationRow:
    with db.read() as s:
        rows = _rows(s, _row_stmt().where(Invitation.id == parse_id(invitation_id, "invitation")))
        if not rows:
            raise NotFound("invitation", invitation_id)
        return rows[0]


def set_call_status(
    db: Database,
    invitation_id: str | uuid.UUID,
    status: str,
    *,
    note: str | None = None,
    party_size: int = 1,
    actor: object = None,
) -> InvitationRow:
    """Record a call's outcome. "registered" registers the person for the event (or links
    the registration they already have) and marks the butler as the one who invited."""
    require(db, actor, Permission.INVITATIONS)
    if status not in InvitationStatus.__members__.values():
        raise ValidationError("status", "bad_call_status", choices=", ".join(InvitationStatus))
    with db.write() as s:
        inv = s.get(Invitation, parse_id(invitation_id, "invitation"))
        if inv is None or inv.deleted_at is not None:
            raise NotFound("invitation", invitation_id)
        if status == InvitationStatus.REGISTERED:
            _register_from(s, inv, party_size, actor)
        inv.status = status
        if note is not None:
            inv.note = note.strip()
        inv.called_at = None if status == InvitationStatus.TO_CALL else now_utc()
        s.flush()
        audit(s, "invitation.call", "invitation", inv.id, {"status": status}, actor)
        inv_id = inv.id
    return get_invitation(db, inv_id)


def _register_from(s: Session, inv: Invitation, party_size: int, actor: object) -> None:
    existing = s.scalars(
        select(Registration).where(
            Registration.event_id == inv.event_id,
            Registration.person_id == inv.person_id,
            Registration.deleted_at.is_(None),
            Registration.status != RegistrationStatus.CANCELLED.value,
        )
    ).first()
    if existing is not None:  # signed up online meanwhile: link, credit the butler
        existing.invited_by_id = existing.invited_by_id or inv.staff_id
        inv.registration_id = existing.id
        return
    req = RegistrationRequest(
        person_id=inv.person_id,
        source=RegistrationSource.PHONE_INVITE.value,
        party_size=party_size,
        invited_by_id=inv.staff_id,
    )
    r, _ = register_in(s, inv.event_id, req, actor)
    inv.registration_id = r.id


def _progress(s: Session, event_id: uuid.UUID) -> list[ButlerProgress]:
    names = _staff_names(s)
    counts: dict[uuid.UUID | None, dict[str, int]] = {}
    for staff_id, status, n in s.execute(
        select(Invitation.staff_id, Invitation.status, func.count())
        .where(Invitation.event_id == event_id, Invitation.deleted_at.is_(None))
        .group_by(Invitation.staff_id, Invitation.status)
    ):
        per = counts.setdefault(staff_id, {x.value: 0 for x in InvitationStatus})
        per[status] = per.get(status, 0) + int(n)
    out = [ButlerProgress(sid, names.get(sid) if sid else None, c) for sid, c in counts.items()]
    return sorted(out, key=lambda p: (p.butler_id is None, p.butler_name or ""))


def progress(db: Database, event_id: str | uuid.UUID) -> list[ButlerProgress]:
    """Counts per status for each butler's list (the unassigned list last)."""
    with db.read() as s:
        return _progress(s, _event(s, event_id).id)
