"""Live counts of events: ONE definition for the check-in desk's counters and the Today page.

The words match the event report's KPIs (domain/kpi.py), so the desk, the Today page and
the report show the same figure for the same event:

- expected: pre-registered people holding a place (registered, attended or no_show; not
  cancelled, waitlisted, pending or declined) — the report's `registered`.
- arrived: everyone who came — checked in at a desk (walk-ins included) or online for at
  least the event's minimum minutes — the report's `attended`.
- walk_ins: the arrived people who registered at the door (so arrived − walk_ins came
  with a registration, `arrived_registered`).
- still_to_come: expected − arrived_registered.

docs/checkin-desk.md (Counters) and docs/reports.md (Today) say the same for people.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import Session

from desktop_app.domain import kpi
from desktop_app.domain.enums import RegistrationStatus
from desktop_app.store.models import Event, Registration

# The statuses of a registration that holds a place (kpi.CONFIRMED), as the desk checks in.
PLACE_STATUSES = (
    RegistrationStatus.REGISTERED.value,
    RegistrationStatus.ATTENDED.value,
    RegistrationStatus.NO_SHOW.value,
)
assert frozenset(PLACE_STATUSES) == kpi.CONFIRMED


@dataclass(frozen=True, slots=True)
class DeskCounts:
    """Live counts of one event, or of a desk's events added up (people = registrations;
    seats = party sizes)."""

    expected: int  # pre-registered, holding a place
    expected_seats: int
    arrived: int  # everyone who came, walk-ins included (kpi attended)
    arrived_seats: int
    walk_ins: int  # of `arrived`: registered at the door
    walk_in_seats: int
    still_to_come: int  # expected − arrived_registered
    checked_out: int
    still_out: int  # checked in, not checked out (club drives)
    waitlisted: int
    online_attended: int = 0  # with online minutes recorded (any length)

    @property
    def arrived_registered(self) -> int:
        """Arrived people who had registered ahead (arrived − walk-ins)."""
        return self.arrived - self.walk_ins

    def to_json(self) -> dict[str, int]:
        return {
            "expected": self.expected,
            "expected_seats": self.expected_seats,
            "arrived": self.arrived,
            "arrived_seats": self.arrived_seats,
            "arrived_registered": self.arrived_registered,
            "walk_ins": self.walk_ins,
            "walk_in_seats": self.walk_in_seats,
            "still_to_come": self.still_to_come,
            "checked_out": self.checked_out,
            "still_out": self.still_out,
            "waitlisted": self.waitlisted,
            "online_attended": self.online_attended,
        }


ZERO = DeskCounts(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)


def _columns() -> tuple[Any, ...]:
    r = Registration
    placed = r.status.in_(PLACE_STATUSES)
    pre = and_(placed, r.is_walk_in.is_(False))
    inside = r.checked_in_at.is_not(None)
    minimum = func.coalesce(Event.min_online_minutes, kpi.DEFAULT_MIN_ONLINE_MINUTES)
    came = and_(placed, or_(inside, r.online_minutes >= minimum))
    walk = and_(came, r.is_walk_in.is_(True))

    def count(cond: Any) -> Any:
        return func.coalesce(func.sum(case((cond, 1), else_=0)), 0)

    def seats(cond: Any) -> Any:
        return func.coalesce(func.sum(case((cond, r.party_size), else_=0)), 0)

    return (
        count(pre),
        seats(pre),
        count(came),
        seats(came),
        count(walk),
        seats(walk),
        count(and_(pre, came)),
        count(and_(inside, r.checked_out_at.is_not(None))),
        count(and_(inside, r.checked_out_at.is_(None))),
        count(r.status == RegistrationStatus.WAITLISTED.value),
        count(and_(placed, r.online_minutes.is_not(None))),
    )


def _counts(row: Sequence[Any]) -> DeskCounts:
    exp, exp_seats, arr, arr_seats, walk, walk_seats, arr_reg, out, still, wait, online = (
        int(x or 0) for x in row
    )
    return DeskCounts(
        expected=exp,
        expected_seats=exp_seats,
        arrived=arr,
        arrived_seats=arr_seats,
        walk_ins=walk,
        walk_in_seats=walk_seats,
        still_to_come=max(exp - arr_reg, 0),
        checked_out=out,
        still_out=still,
        waitlisted=wait,
        online_attended=online,
    )


def counts_by_event(s: Session, event_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, DeskCounts]:
    """Each event's live counts, in one grouped query (an event without registrations: ZERO)."""
    ids = list(dict.fromkeys(event_ids))
    if not ids:
        return {}
    stmt = (
        select(Registration.event_id, *_columns())
        .join(Event, Event.id == Registration.event_id)
        .where(Registration.event_id.in_(ids), Registration.deleted_at.is_(None))
        .group_by(Registration.event_id)
    )
    found = {row[0]: _counts(row[1:]) for row in s.execute(stmt)}
    return {eid: found.get(eid, ZERO) for eid in ids}


def added_up(counts: Iterable[DeskCounts]) -> DeskCounts:
    """A desk serving several events shows their counts added up."""
    rows = list(counts)
    return DeskCounts(
        **{name: sum(getattr(c, name) for c in rows) for name in DeskCounts.__dataclass_fields__}
    )
