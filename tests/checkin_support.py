"""Test data for the check-in desk: events, people, registrations and signed tickets.

Rows are written directly (the tables are the contract), so check-in tests do not
depend on the registration service's rules; one test goes through that service too.
Also imported by the multi-process tests' child processes.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import insert, select

from desktop_app.domain import ticket as payload
from desktop_app.domain.timeutil import now_utc
from desktop_app.store.db import Database
from desktop_app.store.models import (
    DealerProfile,
    Event,
    Person,
    Registration,
    Ticket,
    Vehicle,
    reversed_digits,
)


@dataclass(frozen=True)
class Seat:
    """One registration with its current ticket."""

    registration_id: uuid.UUID
    person_id: uuid.UUID
    event_id: uuid.UUID
    code: str
    short_code: str
    name: str
    phone: str


def ticket_key(db: Database) -> str:
    with db.read() as s:
        key = s.scalar(select(DealerProfile.ticket_key))
    assert key, "init_dealer first"
    return key


def make_event(
    db: Database,
    title: str = "冬季开放日",
    *,
    starts_at: datetime | None = None,
    hours: float = 7,
    capacity: int | None = 300,
    points: int = 50,
    type: str = "open_day",
    format: str = "on_site",
    status: str = "published",
    waitlist: bool = True,
    min_online_minutes: int | None = None,
    details: dict | None = None,
) -> uuid.UUID:
    """A published event; by default it started an hour ago (check-in open now)."""
    start = starts_at or (now_utc() - timedelta(hours=1))
    with db.write() as s:
        e = Event(
            title=title,
            type=type,
            format=format,
            status=status,
            starts_at=start,
            ends_at=start + timedelta(hours=hours),
            venue="浦东展厅",
            capacity=capacity,
            waitlist_enabled=waitlist,
            points_award=points,
            min_online_minutes=min_online_minutes,
            details=details or {},
            online_link="https://meeting.tencent.com/dm/x" if format != "on_site" else None,
        )
        s.add(e)
        s.flush()
        return e.id


def add_person(db: Database, name: str, phone: str | None, *, tier: str | None = None) -> uuid.UUID:
    with db.write() as s:
        p = Person(name=name, phone=phone, stage="owner", tier=tier)
        s.add(p)
        s.flush()
        return p.id


def register(
    db: Database,
    event_id: uuid.UUID,
    name: str = "李娜",
    phone: str | None = "+8613800138000",
    *,
    person_id: uuid.UUID | None = None,
    status: str = "registered",
    party_size: int = 1,
    plate: str | None = None,
    model: str | None = None,
    is_walk_in: bool = False,
    referred_by_id: uuid.UUID | None = None,
) -> Seat:
    """A registration + its ticket row, signed with this database's dealer key."""
    key = ticket_key(db)
    t = payload.issue(key, event_id)
    with db.write() as s:
        if person_id is None:
            p = Person(name=name, phone=phone, stage="owner")
            s.add(p)
            s.flush()
            person_id = p.id
        else:
            p = s.get(Person, person_id)
            assert p is not None
            name, phone = p.name, p.phone or ""
        vehicle_id = None
        if model or plate:
            v = Vehicle(person_id=person_id, model=model, plate=plate)
            s.add(v)
            s.flush()
            vehicle_id = v.id
        r = Registration(
            event_id=event_id,
            person_id=person_id,
            status=status,
            party_size=party_size,
            plate=plate,
            vehicle_id=vehicle_id,
            is_walk_in=is_walk_in,
            source="walk_in" if is_walk_in else "phone_invite",
            referred_by_id=referred_by_id,
            ticket_code=t.code,
        )
        s.add(r)
        s.flush()
        s.add(
            Ticket(
                registration_id=r.id,
                event_id=event_id,
                serial=1,
                code=t.code,
                short_code=t.short_code,
            )
        )
        return Seat(r.id, person_id, event_id, t.code, t.short_code, name, phone or "")


def reissue(db: Database, seat: Seat) -> Seat:
    """A new ticket for the same registration; the old one is revoked."""
    t = payload.issue(ticket_key(db), seat.event_id)
    with db.write() as s:
        old = s.scalars(select(Ticket).where(Ticket.code == seat.code)).one()
        old.revoked_at = now_utc()
        s.add(
            Ticket(
                registration_id=seat.registration_id,
                event_id=seat.event_id,
                serial=old.serial + 1,
                code=t.code,
                short_code=t.short_code,
            )
        )
        r = s.get(Registration, seat.registration_id)
        assert r is not None
        r.ticket_code = t.code
    return Seat(
        seat.registration_id,
        seat.person_id,
        seat.event_id,
        t.code,
        t.short_code,
        seat.name,
        seat.phone,
    )


def populate(db: Database, event_id: uuid.UUID, n: int, phone_base: int = 13900000000) -> list[str]:
    """`n` registered people with tickets, inserted in bulk; returns their ticket codes."""
    key = ticket_key(db)
    people, regs, tix, codes = [], [], [], []
    now = now_utc()
    for i in range(n):
        pid, rid = uuid.uuid4(), uuid.uuid4()
        t = payload.issue(key, event_id)
        phone = f"+86{phone_base + i}"
        people.append(
            {
                "id": pid,
                "name": f"车主{i:05d}",
                "phone": phone,
                "phone_rev": reversed_digits(phone),
                "stage": "owner",
                "created_at": now,
                "updated_at": now,
                "notes": "",
            }
        )
        regs.append(
            {
                "id": rid,
                "event_id": event_id,
                "person_id": pid,
                "status": "registered",
                "source": "phone_invite",
                "party_size": 1,
                "passengers": 0,
                "is_walk_in": False,
                "wants_test_drive": False,
                "ticket_code": t.code,
                "registered_at": now,
                "created_at": now,
                "updated_at": now,
            }
        )
        tix.append(
            {
                "id": uuid.uuid4(),
                "registration_id": rid,
                "event_id": event_id,
                "serial": 1,
                "code": t.code,
                "short_code": t.short_code,
                "created_at": now,
                "updated_at": now,
            }
        )
        codes.append(t.code)
    with db.write() as s:
        s.execute(insert(Person), people)
        s.execute(insert(Registration), regs)
        s.execute(insert(Ticket), tix)
    return codes


def manual_checkin_all(
    db: Database, event_id: uuid.UUID, registration_ids: list[uuid.UUID]
) -> None:
    """Check these registrations in at the desk (manual check-in, as from a search)."""
    from desktop_app.services.checkin import manual_check_in

    for rid in registration_ids:
        assert manual_check_in(db, event_id, rid, desk="前台").accepted
