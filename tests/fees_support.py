"""Test data for fees: a club drive (or any event) with registrations at known times, so
that "the earliest registration" is the same on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy import update

from desktop_app.domain.timeutil import now_utc
from desktop_app.store.db import Database
from desktop_app.store.models import Registration
from tests.checkin_support import make_event, register


def event_with(
    db: Database,
    parties: list[tuple[str, int, str | None]],
    *,
    type: str = "club_drive",
    title: str = "莫干山自驾",
    status: str = "published",
) -> tuple[uuid.UUID, list[uuid.UUID]]:
    """An event and one registration per (name, party size, plate), registered one minute
    apart in list order. Returns (event id, registration ids in that order)."""
    ev = make_event(db, title, type=type, capacity=None, status=status, points=0)
    base = now_utc() - timedelta(days=3)
    ids: list[uuid.UUID] = []
    for i, (name, party, plate) in enumerate(parties):
        seat = register(db, ev, name, f"+86139{i:08d}", party_size=party, plate=plate)
        ids.append(seat.registration_id)
        with db.write() as s:
            s.execute(
                update(Registration)
                .where(Registration.id == seat.registration_id)
                .values(registered_at=base + timedelta(minutes=i))
            )
    return ev, ids
