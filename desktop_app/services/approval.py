"""Approval for invite-only events (同城会 of 30–50 invited owners; docs/approval.md).

An event with `requires_approval` takes registrations as `pending`: an application that
holds no seat and has no ticket (Paddock differs from pretix and CiviCRM on purpose: an
invite-only meetup wants more applicants than seats, and the dealer picks). Approval is
where capacity is checked: a seat free → registered, with a ticket; full → waitlisted
(approved, waiting for a seat — even when the event has no public waitlist), unless the
coordinator overrides capacity. Declining keeps the record with its reason. A declined
application can still be approved later (the coordinator changed their mind).

Bulk approve/decline is one transaction with one result per registration; a registration
that cannot be decided (not pending, party bigger than the event) is skipped with why.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop_app.domain.enums import RegistrationStatus, ScanResult
from desktop_app.domain.errors import PaddockError, RuleViolation, ValidationError
from desktop_app.domain.messages import text
from desktop_app.domain.roles import Permission
from desktop_app.domain.timeutil import now_utc
from desktop_app.services.auth import require
from desktop_app.services.common import audit, parse_id
from desktop_app.services.registration import (
    _ensure_ticket,
    _event,
    _place,
    _registration,
    pin_dealer,
)
from desktop_app.store.db import Database
from desktop_app.store.models import Event, Person, Registration

if TYPE_CHECKING:
    from desktop_app.services.checkin import ScanOutcome

PENDING = RegistrationStatus.PENDING.value
DECLINED = RegistrationStatus.DECLINED.value
REASON_MAX = 500


@dataclass(frozen=True, slots=True)
class Decision:
    registration_id: uuid.UUID
    name: str
    result: str  # registered, waitlisted, declined, skipped
    reason: str | None = None  # skipped: why (English); declined: the reason given
    code: str | None = None  # skipped: message code (messages.py) for the reader's language
    ticket_code: str | None = None
    params: tuple[tuple[str, Any], ...] = ()  # the message's parameters

    def to_json(self) -> dict[str, Any]:
        return {
            "registration_id": str(self.registration_id),
            "name": self.name,
            "result": self.result,
            "reason": self.reason,
            "code": self.code,
            "ticket_code": self.ticket_code,
        }

    def reason_text(self, lang: str | None = None) -> str:
        return text(self.code, lang, **dict(self.params)) if self.code else (self.reason or "")


@dataclass(frozen=True, slots=True)
class DecisionReport:
    items: tuple[Decision, ...]

    def count(self, result: str) -> int:
        return sum(1 for d in self.items if d.result == result)

    def to_json(self) -> dict[str, Any]:
        return {
            "items": [d.to_json() for d in self.items],
            "registered": self.count("registered"),
            "waitlisted": self.count("waitlisted"),
            "declined": self.count("declined"),
            "skipped": self.count("skipped"),
        }


def approve_in(
    s: Session,
    r: Registration,
    e: Event,
    now: datetime,
    actor: object = None,
    *,
    over_capacity: bool = False,
) -> str:
    """Seat an application inside the caller's transaction (the event row locked first):
    registered with a ticket when it fits (or `over_capacity`), else waitlisted."""
    if r.status not in (PENDING, DECLINED):
        raise RuleViolation(code="not_pending", status=r.status)
    _place(s, e, r, now, over_capacity, waitlist=True)
    r.decided_at, r.decided_by_id, r.decline_reason = now, getattr(actor, "id", None), None
    if r.status == RegistrationStatus.REGISTERED:
        _ensure_ticket(s, r)
    else:
        r.ticket_code = None
    s.flush()
    audit(s, "registration.approve", "registration", r.id, {"status": r.status}, actor)
    return r.status


def _decide(
    db: Database,
    registration_ids: Iterable[str | uuid.UUID],
    decide: Any,
    actor: object,
) -> DecisionReport:
    ids = list(dict.fromkeys(parse_id(x, "registration") for x in registration_ids))
    if not ids:
        raise ValidationError("registration", "required")
    now = now_utc()
    items: list[Decision] = []
    with db.write() as s:
        pin_dealer(s)
        regs = [_registration(s, rid) for rid in ids]  # an unknown id refuses them all
        for r in regs:
            e = _event(s, r.event_id, lock=True)
            s.refresh(r)  # another coordinator may have decided it meanwhile
            name = s.scalar(select(Person.name).where(Person.id == r.person_id)) or ""
            try:
                with s.begin_nested():
                    result = decide(s, r, e, now)
            except PaddockError as exc:
                items.append(
                    Decision(
                        r.id,
                        name,
                        "skipped",
                        exc.localized("en"),
                        exc.code or None,
                        params=tuple(exc.params.items()),
                    )
                )
                continue
            reason = r.decline_reason if result == DECLINED else None
            items.append(Decision(r.id, name, result, reason, None, r.ticket_code))
    return DecisionReport(tuple(items))


def approve(
    db: Database,
    registration_ids: Iterable[str | uuid.UUID],
    *,
    over_capacity: bool = False,
    actor: object = None,
) -> DecisionReport:
    """Approve applications in the order given: each gets a seat and a ticket while seats
    last, then the waitlist (or a seat anyway with `over_capacity`)."""
    require(db, actor, Permission.APPROVE)

    def go(s: Session, r: Registration, e: Event, now: datetime) -> str:
        return approve_in(s, r, e, now, actor, over_capacity=over_capacity)

    return _decide(db, registration_ids, go, actor)


def decline(
    db: Database,
    registration_ids: Iterable[str | uuid.UUID],
    reason: str,
    *,
    actor: object = None,
) -> DecisionReport:
    """Decline applications (the record and the reason are kept; no ticket)."""
    require(db, actor, Permission.APPROVE)
    why = (reason or "").strip()
    if not why:
        raise ValidationError("reason", "required")
    if len(why) > REASON_MAX:
        raise ValidationError("reason", "too_long", max=REASON_MAX)

    def go(s: Session, r: Registration, e: Event, now: datetime) -> str:
        if r.status != PENDING:
            raise RuleViolation(code="not_pending", status=r.status)
        r.status = DECLINED
        r.decided_at, r.decided_by_id, r.decline_reason = now, getattr(actor, "id", None), why
        r.ticket_code = None
        s.flush()
        audit(s, "registration.decline", "registration", r.id, {"reason": why}, actor)
        return DECLINED

    return _decide(db, registration_ids, go, actor)


def pending_counts(
    db: Database, event_ids: Iterable[uuid.UUID] | None = None
) -> dict[uuid.UUID, int]:
    """Applications awaiting approval per event (Today's "N awaiting approval")."""
    stmt = (
        select(Registration.event_id, func.count())
        .join(Event, Event.id == Registration.event_id)
        .where(
            Registration.status == PENDING,
            Registration.deleted_at.is_(None),
            Event.deleted_at.is_(None),
        )
        .group_by(Registration.event_id)
    )
    if event_ids is not None:
        stmt = stmt.where(Registration.event_id.in_(list(event_ids)))
    with db.read() as s:
        return {eid: int(n) for eid, n in s.execute(stmt)}


def approve_and_admit(
    db: Database,
    event_ids: uuid.UUID | str | Iterable[uuid.UUID | str],
    registration_id: uuid.UUID | str,
    *,
    desk: str,
    staff_id: uuid.UUID | str | None = None,
    over_capacity: bool = False,
    answers: Mapping[str, Any] | None = None,
    actor: object = None,
) -> ScanOutcome:
    """A pending applicant at the desk (found by search): approve and check in, in ONE
    transaction, by staff who may approve. A full event refuses (RuleViolation
    no_seats_free: the desk asks) unless `over_capacity`. The check-in window is not
    applied: the person is at the desk. A required desk question unanswered gives
    needs_answers and writes nothing (not even the approval)."""
    from desktop_app.services import checkin

    require(db, actor, Permission.CHECK_IN)
    who = require(db, actor, Permission.APPROVE)
    ids = checkin._ids(event_ids)
    rid = parse_id(registration_id, "registration")
    staff = parse_id(staff_id, "staff") if staff_id else who.id
    now = now_utc()
    try:
        with db.write() as s:
            pin_dealer(s)
            r = _registration(s, rid)
            e = _event(s, r.event_id, lock=True)
            s.refresh(r)
            if r.event_id in ids and r.status in (PENDING, DECLINED):
                status = approve_in(s, r, e, now, actor or who, over_capacity=over_capacity)
                if status != RegistrationStatus.REGISTERED:
                    raise RuleViolation(code="no_seats_free")
            out = checkin.check_in_in(
                s, ids, rid, desk=desk, staff_id=staff, scanned_at=now,
                override_window=True, answers=answers,
            )  # fmt: skip
            if out.result == ScanResult.NEEDS_ANSWERS:
                raise checkin.Unwritten(out)  # not even the approval is kept
            return out
    except checkin.Unwritten as done:
        return done.outcome


@dataclass(frozen=True, slots=True)
class PendingRow:
    """An application awaiting approval, with the butler who looks after the person."""

    registration_id: uuid.UUID
    event_id: uuid.UUID
    person_id: uuid.UUID
    name: str
    phone: str | None
    party_size: int
    source: str
    registered_at: datetime
    butler_id: uuid.UUID | None
    butler_name: str | None

    def to_json(self) -> dict[str, Any]:
        return {
            "registration_id": str(self.registration_id),
            "event_id": str(self.event_id),
            "person_id": str(self.person_id),
            "name": self.name,
            "phone": self.phone,
            "party_size": self.party_size,
            "source": self.source,
            "registered_at": self.registered_at.isoformat(),
            "butler_id": str(self.butler_id) if self.butler_id else None,
            "butler_name": self.butler_name,
        }


def pending_of(
    db: Database, event_id: str | uuid.UUID, butler_id: str | uuid.UUID | None = None
) -> list[PendingRow]:
    """An event's applications awaiting approval, oldest first; with `butler_id` only the
    people that butler looks after (their butler, or the butler who invited them) — what a
    butler sees in the call list. 'none' = people without a butler."""
    from desktop_app.store.models import Staff

    eid = parse_id(event_id, "event")
    butler = func.coalesce(Person.butler_id, Registration.invited_by_id)
    stmt = (
        select(
            Registration.id,
            Registration.event_id,
            Person.id,
            Person.name,
            Person.phone,
            Registration.party_size,
            Registration.source,
            Registration.registered_at,
            butler,
            Staff.name,
        )
        .join(Person, Person.id == Registration.person_id)
        .outerjoin(Staff, Staff.id == butler)
        .where(
            Registration.event_id == eid,
            Registration.status == PENDING,
            Registration.deleted_at.is_(None),
        )
        .order_by(Registration.registered_at, Registration.id)
    )
    if butler_id is not None and str(butler_id).lower() in ("none", "unassigned"):
        stmt = stmt.where(butler.is_(None))
    elif butler_id:
        stmt = stmt.where(butler == parse_id(butler_id, "staff"))
    with db.read() as s:
        return [PendingRow(*row) for row in s.execute(stmt)]
