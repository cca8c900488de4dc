"""Walk-ins at the desk (find or create by phone, register, check in — one transaction)
and attendance marked after the fact from a paper sign-in list.

Capacity: a walk-in is a person already standing at the door, so a full event still
takes them (registered with allow_over_capacity). They are flagged `is_walk_in` and the
desk counts them apart from pre-registered arrivals, so "arrived / expected" stays honest
and the coordinator sees how many extra seats were used.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.domain.enums import (
    AnswerSource,
    RegistrationSource,
    RegistrationStatus,
    ScanResult,
)
from desktop_app.domain.errors import ConfirmationRequired, ValidationError
from desktop_app.domain.phone import PhoneError, display_phone, normalise_phone
from desktop_app.domain.roles import Permission
from desktop_app.domain.timeutil import now_utc
from desktop_app.services import consent
from desktop_app.services.approval import approve_in
from desktop_app.services.auth import require
from desktop_app.services.checkin import (
    OUTSIDE_WINDOW,
    ScanOutcome,
    check_in_in,
    outside_window,
    window,
)
from desktop_app.services.common import audit, live_event, parse_id
from desktop_app.services.questions import check_answers, questions_in, store_answers_in, view_of
from desktop_app.services.registration import RegistrationRequest, register_in
from desktop_app.store.db import Database
from desktop_app.store.models import Person, Registration, reversed_digits

INTEREST_MAX = 100
PENDING, DECLINED = RegistrationStatus.PENDING.value, RegistrationStatus.DECLINED.value


def _checked(s: Session, event_id: uuid.UUID, answers: Mapping[str, Any]) -> dict[str, Any]:
    return check_answers([view_of(q) for q in questions_in(s, event_id)], answers)


@dataclass(frozen=True, slots=True)
class WalkinResult:
    """What the walk-in dialog shows after Enter."""

    outcome: ScanOutcome  # the check-in (accepted, or already_checked_in if they were in)
    person_id: uuid.UUID
    registration_id: uuid.UUID
    person_created: bool  # a new prospect (source walk_in)
    was_registered: bool  # they had registered before: checked in on that registration

    def to_json(self) -> dict[str, Any]:
        return self.outcome.to_json() | {
            "person_created": self.person_created,
            "was_registered": self.was_registered,
        }


@dataclass(frozen=True, slots=True)
class PersonHit:
    """A person found while the desk types a phone number."""

    person_id: uuid.UUID
    name: str
    phone: str  # display form
    stage: str
    registration_id: uuid.UUID | None  # their registration for this event, if any
    registration_status: str | None
    checked_in: bool

    def to_json(self) -> dict[str, Any]:
        return {
            "person_id": str(self.person_id),
            "name": self.name,
            "phone": self.phone,
            "stage": self.stage,
            "registration_id": str(self.registration_id) if self.registration_id else None,
            "registration_status": self.registration_status,
            "checked_in": self.checked_in,
        }


@dataclass(frozen=True, slots=True)
class BulkResult:
    marked: int
    already: int
    refused: list[dict[str, Any]] = field(default_factory=list)  # {registration_id, result}

    def to_json(self) -> dict[str, Any]:
        return {"marked": self.marked, "already": self.already, "refused": self.refused}


def find_by_phone(
    db: Database, event_id: uuid.UUID | str, typed: str, limit: int = 8
) -> list[PersonHit]:
    """People whose phone ends with (or, with 7+ digits, contains) what was typed so far,
    with their registration for this event: the walk-in dialog shows them as you type."""
    eid = parse_id(event_id, "event")
    digits = re.sub(r"\D", "", typed or "")
    if len(digits) < 4:
        return []
    if len(digits) >= 7:
        cond = Person.phone.contains(digits)
    else:  # last digits: an indexed prefix search on the reversed phone
        cond = Person.phone_rev.startswith(reversed_digits(digits) or "")
    stmt = (
        select(
            Person.id,
            Person.name,
            Person.phone,
            Person.stage,
            Registration.id,
            Registration.status,
            Registration.checked_in_at,
        )
        .outerjoin(
            Registration,
            (Registration.person_id == Person.id)
            & (Registration.event_id == eid)
            & Registration.deleted_at.is_(None),
        )
        .where(cond, Person.deleted_at.is_(None), Person.merged_into_id.is_(None))
        .order_by(Person.name)
        .limit(limit)
    )
    with db.read() as s:
        return [
            PersonHit(pid, name, display_phone(phone), stage, rid, st, cin is not None)
            for pid, name, phone, stage, rid, st, cin in s.execute(stmt)
        ]


def walkin(
    db: Database,
    event_id: uuid.UUID | str,
    phone: str,
    name: str | None,
    *,
    interest_model: str | None = None,
    wants_test_drive: bool = False,
    marketing_consent: bool = False,
    party_size: int = 1,
    plate: str | None = None,
    desk: str,
    staff_id: uuid.UUID | str | None = None,
    now: datetime | None = None,
    answers: Mapping[str, Any] | None = None,
    approve: bool = False,
) -> WalkinResult:
    """Register and check in someone at the door, in ONE transaction.

    The person is found by phone (their stored name is kept) or created as a prospect
    with source walk_in. Someone who had registered already is simply checked in on
    that registration. Interest (model, test drive) is kept on the registration;
    marketing consent is stamped on the person. A club drive needs the car's `plate`.
    The person is at the desk, so the check-in window does not stop a walk-in; outside it
    (the desk picked tomorrow's event, or the guest came after the end) the outcome says
    so in its notes ("outside the check-in window"), on the desk and in the CLI's text.

    `answers` answer the event's questions (sign-up and desk ones); a required desk question
    still unanswered leaves the walk-in registered and the outcome needs_answers (the desk
    asks, then checks in by registration id). An event that requires approval asks for
    confirmation first (ConfirmationRequired walkin_needs_approval): `approve=True`, by staff
    who may approve, seats the person at once (over capacity: they are at the door).
    """
    require(db, None, Permission.WALK_IN)
    eid = parse_id(event_id, "event")
    staff = parse_id(staff_id, "staff") if staff_id else None
    when = now or now_utc()
    try:
        e164 = normalise_phone(phone)
    except PhoneError as exc:
        raise ValidationError("phone", "bad_value", reason=exc.problem.reason) from None
    model = (interest_model or "").strip() or None
    if model and len(model) > INTEREST_MAX:
        raise ValidationError("interest_model", "too_long", max=INTEREST_MAX)
    with db.write() as s:
        event = live_event(s, eid)
        opens, closes = window(
            event.starts_at, event.ends_at, event.checkin_opens_at, event.checkin_closes_at
        )
        outside = outside_window(opens, closes, when)
        person = s.scalars(select(Person).where(Person.phone == e164)).first()
        existing = None
        if person is not None:
            existing = s.scalars(
                select(Registration).where(
                    Registration.event_id == eid,
                    Registration.person_id == person.id,
                    Registration.deleted_at.is_(None),
                    Registration.status != RegistrationStatus.CANCELLED,
                )
            ).first()
        created = person is None
        undecided = existing is None or existing.status in (PENDING, DECLINED)
        if event.requires_approval and undecided:
            if not approve:
                raise ConfirmationRequired(code="walkin_needs_approval", title=event.title)
            require(db, None, Permission.APPROVE)
        if existing is not None:
            reg = existing
            if reg.status in (PENDING, DECLINED):
                approve_in(s, reg, event, when, None, over_capacity=True)
            if answers:
                store_answers_in(s, reg, _checked(s, eid, answers), AnswerSource.DESK.value)
        else:
            if person is None and not (name or "").strip():
                raise ValidationError("name", "required")
            req = RegistrationRequest(
                phone=e164,
                name=(name or "").strip() or None,
                source=RegistrationSource.WALK_IN.value,
                party_size=party_size,
                plate=(plate or "").strip() or None,
                allow_over_capacity=True,
                registered_at=when,
                question_answers=dict(answers or {}),
                approved=approve,
            )
            reg, _ = register_in(s, eid, req, staff, now=when)
        if model:
            reg.interest_model = model
        if wants_test_drive:
            reg.wants_test_drive = True
        person = s.get(Person, reg.person_id)
        assert person is not None
        if marketing_consent:
            consent.set_consent_in(s, person, "marketing", True, "desk", source=desk, at=when)
        s.flush()
        outcome = check_in_in(
            s, eid, reg.id, desk=desk, staff_id=staff, scanned_at=when, override_window=True
        )
        if outside and outcome.accepted:
            outcome = replace(outcome, notes=(*outcome.notes, OUTSIDE_WINDOW))
        audit(
            s,
            "checkin.walk_in",
            "registration",
            reg.id,
            {
                "desk": desk,
                "person_created": created,
                "was_registered": existing is not None,
                "interest_model": model,
                "test_drive": wants_test_drive,
                "consent": marketing_consent,
            },
        )
        return WalkinResult(outcome, person.id, reg.id, created, existing is not None)


def bulk_mark_attended(
    db: Database,
    event_id: uuid.UUID | str,
    registration_ids: Iterable[uuid.UUID | str],
    *,
    staff_id: uuid.UUID | str | None = None,
    desk: str = "sign-in sheet",
    at: datetime | None = None,
) -> BulkResult:
    """After the event: tick names from the paper sign-in list. Each becomes a
    manual_check_in with the staff member (window not applied; points as for a scan).
    One transaction: a bad id changes nothing."""
    require(db, None, Permission.CHECK_IN)
    eid = parse_id(event_id, "event")
    staff = parse_id(staff_id, "staff") if staff_id else None
    ids = [parse_id(r, "registration") for r in registration_ids]
    marked = already = 0
    refused: list[dict[str, Any]] = []
    with db.write() as s:
        live_event(s, eid)
        when = at or now_utc()
        for rid in dict.fromkeys(ids):
            out = check_in_in(
                s,
                eid,
                rid,
                desk=desk,
                staff_id=staff,
                scanned_at=when,
                override_window=True,
                note="paper sign-in list",
                ask=False,  # after the event: nobody is there to ask the desk questions
            )
            if out.result == ScanResult.ACCEPTED:
                marked += 1
            elif out.result == ScanResult.ALREADY_CHECKED_IN:
                already += 1
            else:
                refused.append(
                    {"registration_id": str(rid), "name": out.name, "result": out.result}
                )
        audit(
            s,
            "checkin.bulk",
            "event",
            eid,
            {"marked": marked, "already": already, "refused": len(refused)},
        )
    return BulkResult(marked, already, refused)
