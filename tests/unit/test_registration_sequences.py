"""Random sequences of register / cancel never overbook, and the waitlist is first come,
first served: the service behaves exactly like a small reference model."""

from __future__ import annotations

import uuid
from datetime import timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop_app.domain.enums import EventType
from desktop_app.domain.errors import RuleViolation
from desktop_app.domain.timeutil import now_utc
from desktop_app.services import events
from desktop_app.services import registration as reg
from desktop_app.services.dealer import init_dealer
from desktop_app.store.db import Database
from tests.conftest import fresh_sqlite

PEOPLE = 8

ops = st.lists(
    st.one_of(
        st.tuples(st.just("register"), st.integers(0, PEOPLE - 1), st.integers(1, 3)),
        st.tuples(st.just("cancel"), st.integers(0, PEOPLE - 1), st.just(0)),
    ),
    min_size=1,
    max_size=30,
)


class Model:
    """Seats with a FIFO waitlist; a party that does not fit is skipped, keeping its place."""

    def __init__(self, capacity: int, waitlist: bool, cars: bool) -> None:
        self.capacity, self.waitlist_on, self.cars = capacity, waitlist, cars
        self.status: dict[int, str] = {}
        self.party: dict[int, int] = {}
        self.queue: list[int] = []

    def need(self, p: int) -> int:
        return 1 if self.cars else self.party[p]

    def used(self) -> int:
        return sum(self.need(p) for p, s in self.status.items() if s == "registered")

    def register(self, p: int, party: int) -> str:
        if self.status.get(p) in ("registered", "waitlisted"):
            return "exists"
        if not self.cars and party > self.capacity:
            return "too_big"
        self.party[p] = party
        if self.used() + self.need(p) <= self.capacity:
            self.status[p] = "registered"
        elif self.waitlist_on:
            self.status[p] = "waitlisted"
            self.queue.append(p)
        else:
            return "full"
        return self.status[p]

    def cancel(self, p: int) -> list[int]:
        was = self.status.get(p)
        if was not in ("registered", "waitlisted"):
            return []
        self.status[p] = "cancelled"
        if was == "waitlisted":
            self.queue.remove(p)
            return []
        promoted = []
        free = self.capacity - self.used()
        for w in list(self.queue):
            if self.need(w) <= free:
                free -= self.need(w)
                self.status[w] = "registered"
                self.queue.remove(w)
                promoted.append(w)
        return promoted


def _db(template: Path, folder: Path) -> Database:
    target = folder / f"{uuid.uuid4().hex}.sqlite"
    db = fresh_sqlite(template, target)
    init_dealer(db, "SH-0021", "星辰汽车")
    return db


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    ops=ops,
    capacity=st.integers(1, 5),
    waitlist=st.booleans(),
    cars=st.booleans(),
)
def test_register_cancel_sequences_never_overbook_and_keep_the_waitlist_fifo(
    _migrated_sqlite: Path,
    tmp_path: Path,
    ops: list[tuple[str, int, int]],
    capacity: int,
    waitlist: bool,
    cars: bool,
) -> None:
    db = _db(_migrated_sqlite, tmp_path)
    try:
        soon = now_utc() + timedelta(days=3)
        kind = EventType.CLUB_DRIVE if cars else EventType.OPEN_DAY
        details = {"meeting_point": "松江", "max_cars": capacity} if cars else {}
        ev = events.create_event(
            db,
            events.EventDraft(
                title="t", type=kind, starts_at=soon, ends_at=soon + timedelta(hours=2),
                venue="展厅", capacity=capacity if not cars else 99, waitlist_enabled=waitlist,
                details=details,
            ),
        )  # fmt: skip
        events.set_status(db, ev.id, "published")
        model = Model(capacity, waitlist, cars)
        ids: dict[int, uuid.UUID] = {}
        for op, p, party in ops:
            if op == "register":
                expected = model.register(p, party)
                try:
                    v = reg.register(
                        db, ev.id, phone=f"1390000{p:04d}", name=f"P{p}", party_size=party,
                        plate=f"沪A1{p:04d}" if cars else None,
                        passengers=party - 1 if cars else None,
                    )  # fmt: skip
                except RuleViolation as exc:
                    assert expected in ("exists", "full"), exc
                    continue
                except Exception as exc:  # ValidationError: party bigger than the event
                    assert expected == "too_big", exc
                    continue
                ids[p] = v.id
                assert v.status == expected
            elif p in ids:
                promoted = model.cancel(p)
                try:
                    res = reg.cancel(db, ids[p])
                except RuleViolation:
                    assert model.status[p] == "cancelled"
                    continue
                assert [r.id for r in res.promoted] == [ids[w] for w in promoted]
            occ = reg.occupancy(db, ev.id)
            assert occ.used <= capacity
            assert occ.used == model.used()
            listing = reg.list_registrations(db, ev.id)
            actual = {v.id: v.status for v in listing}
            assert actual == {ids[k]: s for k, s in model.status.items() if k in ids}
            queue = sorted(
                (v for v in listing if v.status == "waitlisted"),
                key=lambda v: v.waitlist_position or 0,
            )
            assert [v.id for v in queue] == [ids[w] for w in model.queue]
            for v in listing:
                assert (v.ticket_code is not None) == (v.status == "registered") or (
                    v.status == "cancelled"
                )
    finally:
        db.close()
