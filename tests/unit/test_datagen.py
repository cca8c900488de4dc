"""The benchmark dataset is realistic and valid: sizes as asked, phones E.164, VINs with
correct check digits, plates in mainland format, one registration per person and event."""

from __future__ import annotations

import random

from sqlalchemy import func, select

from benchmarks import datagen
from desktop_app.domain.phone import normalise_phone
from desktop_app.domain.vehicle_ids import normalise_plate, normalise_vin
from desktop_app.services import events
from desktop_app.services.dealer import get_dealer
from desktop_app.store.db import Database
from desktop_app.store.models import Event, Person, Registration, Vehicle


def test_generates_the_requested_sizes_with_valid_values(db: Database) -> None:
    counts = datagen.generate(db, people=400, events=30, registrations=2_000, seed=3)
    assert counts["people"] == 400 and counts["events"] == 30
    assert counts["registrations"] == 2_000
    assert get_dealer(db) is not None
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(Registration)) == 2_000
        pairs = s.execute(select(Registration.event_id, Registration.person_id)).all()
        assert len(set(pairs)) == len(pairs)
        phones = s.scalars(select(Person.phone).where(Person.phone.is_not(None))).all()
        assert all(normalise_phone(p) == p for p in phones)
        for v in s.scalars(select(Vehicle)):
            assert normalise_vin(v.vin) == v.vin and v.vin_rev == v.vin[::-1]
            assert v.plate_rev == v.plate[::-1]
            assert normalise_plate(v.plate) == v.plate
        kinds = set(s.scalars(select(Event.type)))
    assert len(kinds) == 8
    rows = events.list_events(db)  # the service reads what datagen wrote
    assert len(rows) == 30 and sum(r.registrations for r in rows) > 0


def test_the_same_seed_gives_the_same_names() -> None:
    first, second = random.Random(5), random.Random(5)
    a = [datagen.chinese_name(first) for _ in range(5)]
    b = [datagen.chinese_name(second) for _ in range(5)]
    assert a == b
    assert all(2 <= len(n) <= 3 for n in a)
