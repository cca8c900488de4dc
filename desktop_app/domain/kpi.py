"""Event KPIs from plain facts: one definition for the dealer's reports and HQ's roll-up.

The dealer's report loads facts from its database; `paddock hq merge` loads the same facts
from the HQ workbooks. Both call `event_kpis`, so the numbers cannot drift apart.
Definitions (docs/reports.md repeats them for managers):

- registered: people with a confirmed registration (not cancelled, not waitlisted), walk-ins
  excluded. Counts people, not seats (seats_* keys count seats).
- attended: people who came — checked in at a desk, or online for at least the event's
  minimum minutes — walk-ins included.
- walk_ins: attended people who registered at the door.
- attendance_rate: attended registered people ÷ registered (0–1; 0 when nobody registered).
- no_shows: registered people who did not come, once the event is over (else 0; see
  still_to_come).
- new_prospects: attended people for whom this is their first attended event and who were
  prospects when they came (stage prospect, or changed stage after the event started).
- existing_owners: attended people who were owners or members before the event started.
- referrals: confirmed registrations (walk-ins included) that name a referrer.
- new_members: attended people who became members within 30 days after the event started.
- points_awarded: net points of ledger rows linked to the event's registrations.
- avg_rating: mean 1–5 rating; nps: % promoters (9–10) − % detractors (0–6), −100…100.
- cost_per_attendee: (budget + cost of the gifts handed) ÷ attended.
- pending / declined: applications to an event that requires approval, awaiting a decision
  or declined (they hold no seat: never registered, never no-shows).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

DEFAULT_MIN_ONLINE_MINUTES = 10
NEW_MEMBER_WINDOW = timedelta(days=30)
ARRIVAL_BUCKET = timedelta(minutes=10)
CONFIRMED = frozenset({"registered", "attended", "no_show"})
# A stage stamped this close to the row's creation was set by creating it, not changed.
STAMPED_AT_CREATION = timedelta(seconds=5)


def stage_change(stage_changed_at: datetime | None, created_at: datetime | None) -> datetime | None:
    """The person's last stage change, or None when the stage was only stamped as the row
    was created (imports, walk-in forms): an owner imported after an event was not a
    prospect who converted. Both loaders (dealer reports, HQ roll-up) pass facts through
    this before building PersonFacts."""
    if stage_changed_at is None or created_at is None:
        return stage_changed_at
    return None if abs(stage_changed_at - created_at) <= STAMPED_AT_CREATION else stage_changed_at


def attended(
    checked_in_at: datetime | None, online_minutes: int | None, min_online_minutes: int | None
) -> bool:
    """Came to the event: checked in at a desk, or online long enough."""
    if checked_in_at is not None:
        return True
    threshold = DEFAULT_MIN_ONLINE_MINUTES if min_online_minutes is None else min_online_minutes
    return online_minutes is not None and online_minutes >= threshold


def derive_status(
    stored: str,
    checked_in_at: datetime | None,
    online_minutes: int | None,
    min_online_minutes: int | None,
    event_over: bool,
) -> str:
    """registered / waitlisted / cancelled as stored; attended or no_show once known.
    Pending and declined (events that require approval) held no seat: never no-shows."""
    if stored in ("cancelled", "waitlisted", "pending", "declined"):
        return stored
    if attended(checked_in_at, online_minutes, min_online_minutes):
        return "attended"
    return "no_show" if event_over else "registered"


@dataclass(frozen=True, slots=True)
class EventFacts:
    id: str
    starts_at: datetime | None
    ends_at: datetime | None
    status: str
    budget: Decimal | None = None
    min_online_minutes: int | None = None
    gift_cost: Decimal | None = None  # issue 14: gifts handed at the door (cost × handed)


@dataclass(frozen=True, slots=True)
class RegistrationFacts:
    id: str
    person_id: str
    status: str  # as stored: registered, waitlisted, cancelled (attended/no_show tolerated)
    source: str = "phone_invite"
    party_size: int = 1
    is_walk_in: bool = False
    checked_in_at: datetime | None = None
    online_minutes: int | None = None
    referred_by_id: str | None = None
    butler: str | None = None  # who invited: staff name (or id) of the invitation


@dataclass(frozen=True, slots=True)
class PersonFacts:
    id: str
    stage: str
    stage_changed_at: datetime | None = None
    club_member_since: datetime | None = None  # earliest club join, None if in no club


@dataclass(frozen=True, slots=True)
class FeedbackFacts:
    rating: int | None = None
    nps: int | None = None


@dataclass(frozen=True, slots=True)
class EventKpis:
    event_id: str
    registered: int
    attended: int
    attendance_rate: float
    no_shows: int
    still_to_come: int
    walk_ins: int
    new_prospects: int
    existing_owners: int
    club_members: int
    referrals: int
    new_members: int
    points_awarded: int
    avg_rating: float | None
    nps: float | None
    feedback_count: int
    seats_registered: int
    seats_attended: int
    waitlisted: int
    cancelled: int
    cost_per_attendee: float | None
    arrival_curve: list[tuple[str, int]] = field(default_factory=list)
    by_source: dict[str, dict[str, int]] = field(default_factory=dict)
    by_butler: dict[str, dict[str, int]] = field(default_factory=dict)
    pending: int = 0  # issue 14
    declined: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "event_id": self.event_id,
            "registered": self.registered,
            "attended": self.attended,
            "attendance_rate": self.attendance_rate,
            "no_shows": self.no_shows,
            "still_to_come": self.still_to_come,
            "walk_ins": self.walk_ins,
            "new_prospects": self.new_prospects,
            "existing_owners": self.existing_owners,
            "club_members": self.club_members,
            "referrals": self.referrals,
            "new_members": self.new_members,
            "points_awarded": self.points_awarded,
            "avg_rating": self.avg_rating,
            "nps": self.nps,
            "feedback_count": self.feedback_count,
            "seats_registered": self.seats_registered,
            "seats_attended": self.seats_attended,
            "waitlisted": self.waitlisted,
            "cancelled": self.cancelled,
            "cost_per_attendee": self.cost_per_attendee,
            "arrival_curve": [{"from": t, "check_ins": n} for t, n in self.arrival_curve],
            "by_source": self.by_source,
            "by_butler": self.by_butler,
            "pending": self.pending,
            "declined": self.declined,
        }


def event_over(event: EventFacts, now: datetime) -> bool:
    return event.status == "completed" or (event.ends_at is not None and event.ends_at <= now)


def nps_score(answers: Iterable[int]) -> float | None:
    values = [a for a in answers if a is not None]
    promoters = sum(1 for a in values if a >= 9)
    detractors = sum(1 for a in values if a <= 6)
    return nps_from_counts(promoters, detractors, len(values))


# The rates from their counts: event_kpis and every roll-up (file merge, warehouse) round
# them here, so that figures computed elsewhere from the same counts agree to the digit.
def nps_from_counts(promoters: int, detractors: int, answers: int) -> float | None:
    """% promoters (9–10) − % detractors (0–6) of `answers` NPS answers; None without any."""
    return round(100.0 * (promoters - detractors) / answers, 1) if answers else None


def attendance_rate(attended_registered: int, registered: int) -> float:
    """Attended registered people ÷ registered people (0–1; 0 when nobody registered)."""
    return round(attended_registered / registered, 4) if registered else 0.0


def average_rating(total: int, ratings: int) -> float | None:
    return round(total / ratings, 2) if ratings else None


def _bucket(at: datetime) -> datetime:
    minutes = at.minute - at.minute % 10
    return at.replace(minute=minutes, second=0, microsecond=0)


def event_kpis(
    event: EventFacts,
    registrations: Iterable[RegistrationFacts],
    people: Mapping[str, PersonFacts],
    first_attended_start: Mapping[str, datetime | None],
    feedback: Iterable[FeedbackFacts] = (),
    points: Iterable[int] = (),
    now: datetime | None = None,
) -> EventKpis:
    """KPIs of one event.

    `first_attended_start[person_id]` is the start of the earliest event the person attended
    (any event, this one included); it decides who is new.
    """
    now = now or datetime.now(event.starts_at.tzinfo if event.starts_at else None)
    over = event_over(event, now)
    regs = list(registrations)
    came: list[RegistrationFacts] = []
    registered = attended_registered = seats_registered = seats_attended = 0
    waitlisted = cancelled = referrals = pending = declined = 0
    by_source: dict[str, Counter[str]] = defaultdict(Counter)
    by_butler: dict[str, Counter[str]] = defaultdict(Counter)
    arrivals: Counter[datetime] = Counter()
    for r in regs:
        if r.status == "waitlisted":
            waitlisted += 1
            continue
        if r.status == "cancelled":
            cancelled += 1
            continue
        if r.status in ("pending", "declined"):
            pending += r.status == "pending"
            declined += r.status == "declined"
            continue
        if r.status not in CONFIRMED:
            continue
        did_come = attended(r.checked_in_at, r.online_minutes, event.min_online_minutes)
        if r.referred_by_id:
            referrals += 1
        src = by_source[r.source]
        butler = by_butler[r.butler or "—"]
        if not r.is_walk_in:
            registered += 1
            seats_registered += r.party_size
            src["registered"] += 1
            butler["registered"] += 1
        if did_come:
            came.append(r)
            seats_attended += r.party_size
            src["attended"] += 1
            butler["attended"] += 1
            if not r.is_walk_in:
                attended_registered += 1
            if r.checked_in_at is not None:
                arrivals[_bucket(r.checked_in_at)] += 1
    start = event.starts_at
    new_prospects = existing_owners = club_members = new_members = 0
    for r in came:
        p = people.get(r.person_id)
        if p is None:
            continue
        changed_after_start = (
            p.stage_changed_at is not None and start is not None and p.stage_changed_at >= start
        )
        first = first_attended_start.get(r.person_id)
        is_first = first is None or start is None or first >= start
        if is_first and (p.stage == "prospect" or changed_after_start):
            new_prospects += 1
        if p.stage in ("owner", "member") and not changed_after_start:
            existing_owners += 1
        if p.club_member_since is not None and (start is None or p.club_member_since <= start):
            club_members += 1
        if (
            p.stage == "member"
            and changed_after_start
            and start is not None
            and p.stage_changed_at is not None
            and p.stage_changed_at < start + NEW_MEMBER_WINDOW
        ):
            new_members += 1
    fb = list(feedback)
    ratings = [f.rating for f in fb if f.rating is not None]
    attended_n = len(came)
    budget = float(event.budget) if event.budget is not None else None
    if event.gift_cost:
        budget = (budget or 0.0) + float(event.gift_cost)
    return EventKpis(
        event_id=event.id,
        registered=registered,
        attended=attended_n,
        attendance_rate=attendance_rate(attended_registered, registered),
        no_shows=(registered - attended_registered) if over else 0,
        still_to_come=0 if over else registered - attended_registered,
        walk_ins=sum(1 for r in came if r.is_walk_in),
        new_prospects=new_prospects,
        existing_owners=existing_owners,
        club_members=club_members,
        referrals=referrals,
        new_members=new_members,
        points_awarded=sum(points),
        avg_rating=average_rating(sum(ratings), len(ratings)),
        nps=nps_score(f.nps for f in fb if f.nps is not None),
        feedback_count=len(fb),
        seats_registered=seats_registered,
        seats_attended=seats_attended,
        waitlisted=waitlisted,
        cancelled=cancelled,
        cost_per_attendee=round(budget / attended_n, 2)
        if budget is not None and attended_n
        else None,
        arrival_curve=[(t.isoformat(), n) for t, n in sorted(arrivals.items())],
        by_source={k: dict(v) for k, v in sorted(by_source.items())},
        by_butler={k: dict(v) for k, v in sorted(by_butler.items())},
        pending=pending,
        declined=declined,
    )
