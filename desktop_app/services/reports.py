"""Reports: the Today overview, one event's report and the community report over a range.

Every event KPI is defined once, in desktop_app/domain/kpi.py: `event_report` loads the
facts from the database and calls `kpi.event_kpis`. The community report counts the same
things with aggregate SQL (GROUP BY, never a Python loop over registrations) using the
same definitions — a test checks that its totals equal the sum of the event reports.
docs/reports.md explains every number to managers.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Integer,
    and_,
    case,
    cast,
    distinct,
    extract,
    func,
    literal,
    literal_column,
    or_,
    select,
    union_all,
)
from sqlalchemy.orm import Session
from sqlalchemy.orm.util import AliasedClass

from desktop_app.domain import kpi
from desktop_app.domain.errors import NotFound, ValidationError
from desktop_app.domain.roles import Permission
from desktop_app.domain.timeutil import DEFAULT_TZ, iso_local, now_utc, zone
from desktop_app.services import fees
from desktop_app.services.auth import require
from desktop_app.services.common import parse_id
from desktop_app.services.event_counts import counts_by_event
from desktop_app.services.gifts import GiftSummary, summary_in
from desktop_app.services.questions import AnswerCounts, answer_counts_in
from desktop_app.store.db import Database
from desktop_app.store.indexed import through_index
from desktop_app.store.models import (
    Club,
    ClubMembership,
    DealerProfile,
    Event,
    EventClub,
    Feedback,
    Invitation,
    Person,
    PointsEntry,
    Registration,
    Staff,
    Vehicle,
)

WALK_INS = "walk_ins"  # the source donut's slice of the walk-ins who came
NO_BUTLER = "—"  # the by_butler key of registrations nobody invited (same as domain/kpi.py)
LEADERBOARD_SIZE = 20
CONVERTED_LISTED = 100
CALLS_BEHIND_DAYS = 3
OCCASION_DAYS = 14
TIER_CHANGE_DAYS = 7
CONFIRMED_STATUSES = tuple(sorted(kpi.CONFIRMED))  # the order ix_registrations_confirmed uses
MONTHS_PER_MASK = 62  # months as bits of one signed 64-bit integer

Registrations = type[Registration] | AliasedClass[Registration]
# Confirmed registrations, read through the covering partial index ix_registrations_confirmed
# (INDEXED BY on SQLite: see store/indexed.py). The community report's passes use it.
ConfirmedRegistration = through_index(
    Registration, "ix_registrations_confirmed", "confirmed_registrations"
)
# A few people's registrations (leaderboard, conversions): through the person index, which
# default estimates could otherwise lose to a status or event index.
RegistrationOfPerson = through_index(
    Registration, "ix_registrations_person_id", "registrations_of_person"
)

# --------------------------------------------------------------------------- SQL definitions
# The SQL twins of domain/kpi.py's definitions (tests hold them equal to event_kpis).


def confirmed(r: Registrations = Registration) -> ColumnElement[bool]:
    """A live registration that holds a place: registered, attended or no_show.

    The statuses are SQL literals, sorted: ix_registrations_confirmed states its WHERE so,
    and SQLite uses a partial index only for a query whose WHERE repeats the index's terms
    (a bound parameter does not match). `r`: Registration or an alias of it."""
    return and_(
        r.deleted_at.is_(None),
        r.status.in_([literal_column(f"'{s}'") for s in CONFIRMED_STATUSES]),
    )


def came(
    min_online_minutes: ColumnElement[Any] | None = None, r: Registrations = Registration
) -> ColumnElement[bool]:
    """kpi.attended in SQL: checked in, or online ≥ the event's minimum (join Event, or
    pass the event's min_online_minutes column when the event comes from a CTE)."""
    return and_(confirmed(r), _showed_up(min_online_minutes, r))


def _showed_up(
    min_online_minutes: ColumnElement[Any] | None = None, r: Registrations = Registration
) -> ColumnElement[bool]:
    """came() of a registration already known to be confirmed (the query's WHERE says so)."""
    minimum = Event.min_online_minutes if min_online_minutes is None else min_online_minutes
    return or_(
        r.checked_in_at.is_not(None),
        r.online_minutes >= func.coalesce(minimum, kpi.DEFAULT_MIN_ONLINE_MINUTES),
    )


def _flag(cond: ColumnElement[bool]) -> Any:
    return func.sum(case((cond, 1), else_=0))


def _dealer_tz(s: Session) -> str:
    profile = s.get(DealerProfile, 1)
    return profile.timezone if profile and profile.timezone else DEFAULT_TZ


def _local_day_bounds(d_from: date, d_to: date, tz: str) -> tuple[datetime, datetime]:
    """[from 00:00 local, the day after `to` 00:00 local) in UTC."""
    z = zone(tz)
    lo = datetime.combine(d_from, time(), z).astimezone(UTC)
    hi = datetime.combine(d_to + timedelta(days=1), time(), z).astimezone(UTC)
    return lo, hi


def _iso(dt: datetime | None) -> str | None:
    return dt.isoformat() if dt else None


# --------------------------------------------------------------------------- event report


@dataclass(frozen=True, slots=True)
class ArrivalBucket:
    """Check-ins in the 10 minutes starting at `starts_at` (label: local HH:MM)."""

    starts_at: datetime
    label: str
    check_ins: int

    def to_json(self) -> dict[str, Any]:
        return {
            "from": self.starts_at.isoformat(),
            "label": self.label,
            "check_ins": self.check_ins,
        }


@dataclass(frozen=True, slots=True)
class FunnelRow:
    """invited (on a call list) → registered → attended, for one butler or one source."""

    key: str
    invited: int
    registered: int
    attended: int

    def to_json(self) -> dict[str, Any]:
        return {
            "invited": self.invited,
            "registered": self.registered,
            "attended": self.attended,
        }


@dataclass(frozen=True, slots=True)
class FeedbackComment:
    name: str | None
    rating: int | None
    nps: int | None
    comment: str


@dataclass(frozen=True, slots=True)
class EventReport:
    """One event's report. `kpis` holds every number (domain/kpi.py definitions);
    `arrival_curve` is in the event's local time, with empty buckets filled with 0."""

    event_id: uuid.UUID
    title: str
    type: str
    format: str
    status: str
    starts_at: datetime | None
    ends_at: datetime | None
    timezone: str
    venue: str | None
    campaign_code: str | None
    budget: Decimal | None
    kpis: kpi.EventKpis
    arrival_curve: tuple[ArrivalBucket, ...]
    by_source: tuple[FunnelRow, ...]  # invited is 0 for sources (calls are per butler)
    by_butler: tuple[FunnelRow, ...]
    comments: tuple[FeedbackComment, ...]
    # issue 14: how the event's questions were answered; the gifts handed and their cost
    answers: tuple[AnswerCounts, ...] = ()
    gifts: GiftSummary | None = None
    # issue 15: money shared among participants (None when the event has no fees)
    money: fees.EventMoney | None = None

    @property
    def source_split(self) -> tuple[tuple[str, int], ...]:
        """The source donut's slices: registered people per registration source (walk-ins
        excluded, as in `registered`), then the walk-ins who came as their own slice
        (`WALK_INS`). The slices add up to registered + walk_ins."""
        slices = [(r.key, r.registered) for r in self.by_source if r.registered]
        if self.kpis.walk_ins:
            slices.append((WALK_INS, self.kpis.walk_ins))
        return tuple(slices)

    @property
    def is_empty(self) -> bool:
        """Nobody registered, came or was invited: the screen says so instead of charts."""
        k = self.kpis
        return not (k.registered or k.attended or k.waitlisted or k.cancelled or self.by_butler)

    def to_json(self) -> dict[str, Any]:
        """DESIGN.md's event report keys, plus the extras (never renamed)."""
        out = self.kpis.to_json()
        out.update(
            {
                "id": str(self.event_id),
                "event_id": str(self.event_id),
                "title": self.title,
                "type": self.type,
                "format": self.format,
                "status": self.status,
                "starts_at": iso_local(self.starts_at, self.timezone),
                "ends_at": iso_local(self.ends_at, self.timezone),
                "timezone": self.timezone,
                "venue": self.venue,
                "campaign_code": self.campaign_code,
                "budget": float(self.budget) if self.budget is not None else None,
                "arrival_curve": [b.to_json() for b in self.arrival_curve],
                "by_source": {r.key: r.to_json() for r in self.by_source},
                "source_split": dict(self.source_split),
                "by_butler": {r.key: r.to_json() for r in self.by_butler},
                "comments": [
                    {"name": c.name, "rating": c.rating, "nps": c.nps, "comment": c.comment}
                    for c in self.comments
                ],
                "answers": [a.to_json() for a in self.answers],
                "gifts": self.gifts.to_json() if self.gifts else None,
                "money": self.money.to_json() if self.money is not None else None,
            }
        )
        return out


def _event_row(s: Session, event_id: str | uuid.UUID) -> Event:
    e = s.get(Event, parse_id(event_id, "event"))
    if e is None or e.deleted_at is not None:
        raise NotFound("event", event_id)
    return e


def _facts_of(e: Event, gift_cost: Decimal | None = None) -> kpi.EventFacts:
    return kpi.EventFacts(
        id=str(e.id),
        starts_at=e.starts_at,
        ends_at=e.ends_at,
        status=e.status,
        budget=e.budget,
        min_online_minutes=e.min_online_minutes,
        gift_cost=gift_cost,
    )


def _load_registrations(s: Session, e: Event) -> list[kpi.RegistrationFacts]:
    stmt = (
        select(
            Registration.id,
            Registration.person_id,
            Registration.status,
            Registration.source,
            Registration.party_size,
            Registration.is_walk_in,
            Registration.checked_in_at,
            Registration.online_minutes,
            Registration.referred_by_id,
            Staff.name,
        )
        .outerjoin(Staff, Staff.id == Registration.invited_by_id)
        .where(Registration.event_id == e.id, Registration.deleted_at.is_(None))
    )
    return [
        kpi.RegistrationFacts(
            id=str(rid),
            person_id=str(pid),
            status=status,
            source=source or "",
            party_size=party or 1,
            is_walk_in=bool(walk_in),
            checked_in_at=cin,
            online_minutes=online,
            referred_by_id=str(ref) if ref else None,
            butler=butler,
        )
        for rid, pid, status, source, party, walk_in, cin, online, ref, butler in s.execute(stmt)
    ]


def _load_people(s: Session, event_id: uuid.UUID) -> dict[str, kpi.PersonFacts]:
    of_event = select(Registration.person_id).where(
        Registration.event_id == event_id, Registration.deleted_at.is_(None)
    )
    since: dict[str, datetime] = {}
    for pid, joined, created in s.execute(
        select(ClubMembership.person_id, ClubMembership.joined_on, ClubMembership.created_at).where(
            ClubMembership.deleted_at.is_(None), ClubMembership.person_id.in_(of_event)
        )
    ):
        # joined_on is a calendar date: count it from midnight UTC, like the HQ roll-up
        at = datetime(joined.year, joined.month, joined.day, tzinfo=UTC) if joined else created
        key = str(pid)
        if at is not None and (key not in since or at < since[key]):
            since[key] = at
    return {
        str(pid): kpi.PersonFacts(
            str(pid), stage, kpi.stage_change(changed, created), since.get(str(pid))
        )
        for pid, stage, changed, created in s.execute(
            select(Person.id, Person.stage, Person.stage_changed_at, Person.created_at).where(
                Person.id.in_(of_event)
            )
        )
    }


def _first_attended(s: Session, event_id: uuid.UUID) -> dict[str, datetime | None]:
    of_event = select(Registration.person_id).where(
        Registration.event_id == event_id, Registration.deleted_at.is_(None)
    )
    stmt = (
        select(Registration.person_id, func.min(Event.starts_at))
        .join(Event, Event.id == Registration.event_id)
        .where(came(), Event.deleted_at.is_(None), Registration.person_id.in_(of_event))
        .group_by(Registration.person_id)
    )
    return {str(pid): first for pid, first in s.execute(stmt)}


def _curve(k: kpi.EventKpis, tz: str) -> tuple[ArrivalBucket, ...]:
    if not k.arrival_curve:
        return ()
    counts = {datetime.fromisoformat(t): n for t, n in k.arrival_curve}
    first, last = min(counts), max(counts)
    out = []
    at = first
    z = zone(tz)
    while at <= last:  # fill the quiet 10 minutes so the line chart has a true time axis
        local = at.astimezone(z)
        out.append(ArrivalBucket(local, local.strftime("%H:%M"), counts.get(at, 0)))
        at += kpi.ARRIVAL_BUCKET
    return tuple(out)


def _butler_funnel(s: Session, e: Event, k: kpi.EventKpis) -> tuple[FunnelRow, ...]:
    invited: dict[str, int] = {}
    for name, n in s.execute(
        select(func.coalesce(Staff.name, literal(NO_BUTLER)), func.count())
        .select_from(Invitation)
        .outerjoin(Staff, Staff.id == Invitation.staff_id)
        .where(Invitation.event_id == e.id, Invitation.deleted_at.is_(None))
        .group_by(Staff.name)
    ):
        invited[name] = invited.get(name, 0) + int(n)
    keys = sorted(set(invited) | set(k.by_butler), key=lambda x: (x == NO_BUTLER, x))
    return tuple(
        FunnelRow(
            key,
            invited.get(key, 0),
            k.by_butler.get(key, {}).get("registered", 0),
            k.by_butler.get(key, {}).get("attended", 0),
        )
        for key in keys
    )


def event_report(
    db: Database, event_id: str | uuid.UUID, now: datetime | None = None
) -> EventReport:
    """The report of one event: loads its facts and calls domain/kpi.event_kpis.

    An event with no registrations gives zeros (and None for ratings/NPS/cost), not errors.
    Raises NotFound for an unknown or deleted event.
    """
    require(db, None, Permission.REPORTS)
    now = now or now_utc()
    with db.read() as s:
        e = _event_row(s, event_id)
        regs = _load_registrations(s, e)
        people = _load_people(s, e.id)
        first = _first_attended(s, e.id)
        fb_rows = s.execute(
            select(Feedback.rating, Feedback.nps, Feedback.comment, Person.name)
            .outerjoin(Person, Person.id == Feedback.person_id)
            .where(Feedback.event_id == e.id, Feedback.deleted_at.is_(None))
            .order_by(Feedback.created_at)
        ).all()
        points = s.scalar(
            select(func.coalesce(func.sum(PointsEntry.delta), 0))
            .join(Registration, Registration.id == PointsEntry.registration_id)
            .where(Registration.event_id == e.id, PointsEntry.deleted_at.is_(None))
        )
        gift_summary = summary_in(s, e.id)
        k = kpi.event_kpis(
            _facts_of(e, gift_summary.cost),
            regs,
            people,
            first,
            [kpi.FeedbackFacts(r, n) for r, n, _c, _name in fb_rows],
            [int(points or 0)],
            now=now,
        )
        by_butler = _butler_funnel(s, e, k)
        tz = e.timezone or _dealer_tz(s)
        return EventReport(
            event_id=e.id,
            title=e.title,
            type=e.type,
            format=e.format,
            status=e.status,
            starts_at=e.starts_at,
            ends_at=e.ends_at,
            timezone=tz,
            venue=e.venue,
            campaign_code=e.campaign_code,
            budget=e.budget,
            kpis=k,
            arrival_curve=_curve(k, tz),
            by_source=tuple(
                FunnelRow(src, 0, v.get("registered", 0), v.get("attended", 0))
                for src, v in k.by_source.items()
            ),
            by_butler=by_butler,
            comments=tuple(
                FeedbackComment(name, r, n, c or "")
                for r, n, c, name in fb_rows
                if (c or "").strip()
            ),
            answers=tuple(answer_counts_in(s, e.id)),
            gifts=gift_summary,
            money=_money(s, e.id, k.attended),
        )


def _money(s: Session, event_id: uuid.UUID, attended: int) -> fees.EventMoney | None:
    """Collected, spent, subsidy, balance and cost per attendee (issue 15)."""
    money = fees.event_money_in(s, event_id, attended)
    return money if money.has_fees else None


# --------------------------------------------------------------------------- community report


@dataclass(frozen=True, slots=True)
class MonthRow:
    """One local calendar month ("2026-05") of the range."""

    month: str
    events: int
    events_by_type: dict[str, int]
    registered: int
    attended: int
    walk_ins: int
    unique_attendees: int

    def to_json(self) -> dict[str, Any]:
        return asdict(self)  # every field, as is


@dataclass(frozen=True, slots=True)
class TypeRow:
    type: str
    events: int
    registered: int
    attended: int

    def to_json(self) -> dict[str, Any]:
        return asdict(self)  # every field, as is


@dataclass(frozen=True, slots=True)
class ConvertedPerson:
    """A prospect who attended in the range and became an owner/member afterwards."""

    person_id: uuid.UUID
    name: str
    stage: str
    first_attended_at: datetime
    stage_changed_at: datetime

    def to_json(self) -> dict[str, Any]:
        return {
            "person_id": str(self.person_id),
            "name": self.name,
            "stage": self.stage,
            "first_attended_at": self.first_attended_at.isoformat(),
            "stage_changed_at": self.stage_changed_at.isoformat(),
        }


@dataclass(frozen=True, slots=True)
class SuperUser:
    """A leaderboard line: referrals that registered / attended, KOL roles, events attended."""

    person_id: uuid.UUID
    name: str
    is_kol: bool
    clubs: tuple[str, ...]
    referrals: int  # confirmed registrations naming this person as referrer (kpi.referrals)
    referrals_attended: int
    events_attended: int

    def to_json(self) -> dict[str, Any]:
        return {
            "person_id": str(self.person_id),
            "name": self.name,
            "is_kol": self.is_kol,
            "clubs": list(self.clubs),
            "referrals": self.referrals,
            "referrals_attended": self.referrals_attended,
            "events_attended": self.events_attended,
        }


@dataclass(frozen=True, slots=True)
class ClubActivity:
    club_id: uuid.UUID
    name: str
    members: int
    events: int
    attended: int  # attendances at the club's events (people per event, summed)
    unique_attendees: int

    def to_json(self) -> dict[str, Any]:
        return {
            "club_id": str(self.club_id),
            "name": self.name,
            "members": self.members,
            "events": self.events,
            "attended": self.attended,
            "unique_attendees": self.unique_attendees,
        }


@dataclass(frozen=True, slots=True)
class ButlerPerformance:
    """invited (call-list lines) → called → registered (invited_by) → attended."""

    staff_id: uuid.UUID | None
    name: str
    invited: int
    called: int
    registered: int
    attended: int

    def to_json(self) -> dict[str, Any]:
        return {
            "staff_id": str(self.staff_id) if self.staff_id else None,
            "name": self.name,
            "invited": self.invited,
            "called": self.called,
            "registered": self.registered,
            "attended": self.attended,
        }


@dataclass(frozen=True, slots=True)
class CommunityTotals:
    events: int  # not cancelled, starting in the range, started by now (held)
    cancelled_events: int
    registered: int  # sums of the event reports' numbers
    attended: int
    walk_ins: int
    referrals: int
    attendance_rate: float  # attended registered people ÷ registered, over the range
    unique_attendees: int
    repeat_attendees: int  # people at 2+ events in the range
    converted: int
    upcoming_events: int = 0  # in the range but not started yet: counted in nothing else

    def to_json(self) -> dict[str, Any]:
        return asdict(self)  # every field, as is


@dataclass(frozen=True, slots=True)
class CommunityReport:
    """The community over [date_from, date_to] (local dates, both included)."""

    date_from: date
    date_to: date
    timezone: str
    totals: CommunityTotals
    by_month: tuple[MonthRow, ...]  # every month of the range, also empty ones
    by_type: tuple[TypeRow, ...]
    attendance_histogram: dict[int, int]  # events attended in range → people (1, 2, 3…)
    converted: tuple[ConvertedPerson, ...]  # at most CONVERTED_LISTED, latest change first
    leaderboard: tuple[SuperUser, ...]
    clubs: tuple[ClubActivity, ...]
    butlers: tuple[ButlerPerformance, ...]
    funnel: dict[str, int] = field(default_factory=dict)  # invited → registered → attended

    @property
    def is_empty(self) -> bool:
        t = self.totals
        return t.events == 0 and t.cancelled_events == 0 and t.upcoming_events == 0

    def to_json(self) -> dict[str, Any]:
        return {
            "from": self.date_from.isoformat(),
            "to": self.date_to.isoformat(),
            "timezone": self.timezone,
            **self.totals.to_json(),
            "by_month": [m.to_json() for m in self.by_month],
            "by_type": [t.to_json() for t in self.by_type],
            "attendance_histogram": {str(k): v for k, v in self.attendance_histogram.items()},
            "converted_people": [c.to_json() for c in self.converted],
            "leaderboard": [u.to_json() for u in self.leaderboard],
            "clubs": [c.to_json() for c in self.clubs],
            "butlers": [b.to_json() for b in self.butlers],
            "funnel": self.funnel,
        }


def _months(d_from: date, d_to: date) -> list[date]:
    out, m = [], date(d_from.year, d_from.month, 1)
    while m <= d_to:
        out.append(m)
        m = date(m.year + (m.month == 12), m.month % 12 + 1, 1)
    return out


def _month_index(months: list[date], tz: str) -> Any:
    """SQL: index of the local month an event starts in (a CASE over UTC boundaries)."""
    z = zone(tz)
    bounds = [datetime.combine(m, time(), z).astimezone(UTC) for m in months[1:]]
    if not bounds:
        return literal(0)
    return case(*((Event.starts_at < b, i) for i, b in enumerate(bounds)), else_=len(bounds))


def community_report(
    db: Database, date_from: date, date_to: date, now: datetime | None = None
) -> CommunityReport:
    """Events starting between the two local dates (inclusive), counted with GROUP BY.

    Only events that have started by `now` count (a range may reach into the future: "last
    12 months" runs to the end of this month); events still to come and cancelled events
    are counted apart and contribute nothing else. Raises ValidationError when `date_to`
    is before `date_from`.
    """
    require(db, None, Permission.REPORTS)
    if date_to < date_from:
        raise ValidationError("to", "range_order")
    now = now or now_utc()
    with db.read() as s:
        tz = _dealer_tz(s)
        lo, hi = _local_day_bounds(date_from, date_to, tz)
        in_range = and_(Event.deleted_at.is_(None), Event.starts_at >= lo, Event.starts_at < hi)
        held = and_(in_range, Event.status != "cancelled", Event.starts_at <= now)
        months = _months(date_from, date_to)
        z = zone(tz)

        events = s.execute(
            select(Event.id, Event.type, Event.status, Event.starts_at).where(in_range)
        ).all()
        cancelled = sum(1 for e in events if e.status == "cancelled")
        upcoming = sum(1 for e in events if e.status != "cancelled" and e.starts_at > now)
        live = [e for e in events if e.status != "cancelled" and e.starts_at <= now]
        month_of = {e.id: e.starts_at.astimezone(z).strftime("%Y-%m") for e in live}
        type_of = {e.id: e.type for e in live}

        per_event, butler_sum = _event_and_butler_counts(s, held)
        month_sum: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
        type_sum: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        tot_reg = tot_att = tot_walk = tot_att_reg = tot_ref = 0
        for eid, (reg, att, walk, att_reg, ref) in per_event.items():
            tot_reg += reg
            tot_att += att
            tot_walk += walk
            tot_att_reg += att_reg
            tot_ref += ref
            ms = month_sum[month_of[eid]]
            ms[0] += reg
            ms[1] += att
            ms[2] += walk
            ts = type_sum[type_of[eid]]
            ts[0] += reg
            ts[1] += att
        for bid in _butlers_of_unconfirmed(s, held, set(butler_sum)):
            butler_sum[bid] = [0, 0]  # a line of zeros, as for any butler in the range

        histogram, unique_month = _people_counts(s, held, months, tz)
        converted_n, converted = _converted(s, held, lo)
        by_month = []
        for i, m in enumerate(months):
            key = m.strftime("%Y-%m")
            evs = [e for e in live if month_of[e.id] == key]
            by_type_m: dict[str, int] = defaultdict(int)
            for e in evs:
                by_type_m[e.type] += 1
            reg, att, walk = month_sum.get(key, [0, 0, 0])
            by_month.append(
                MonthRow(
                    key,
                    len(evs),
                    dict(sorted(by_type_m.items())),
                    reg,
                    att,
                    walk,
                    unique_month.get(i, 0),
                )
            )
        type_events: dict[str, int] = defaultdict(int)
        for e in live:
            type_events[e.type] += 1
        by_type = tuple(
            TypeRow(t, n, type_sum.get(t, [0, 0])[0], type_sum.get(t, [0, 0])[1])
            for t, n in sorted(type_events.items(), key=lambda x: (-x[1], x[0]))
        )

        leaderboard = _leaderboard(s, held)
        clubs = _club_activity(s, held)
        butlers = _butlers(s, held, butler_sum)
        unique = sum(histogram.values())
        repeat = sum(v for k, v in histogram.items() if k >= 2)
        totals = CommunityTotals(
            events=len(live),
            cancelled_events=cancelled,
            registered=tot_reg,
            attended=tot_att,
            walk_ins=tot_walk,
            referrals=tot_ref,
            attendance_rate=round(tot_att_reg / tot_reg, 4) if tot_reg else 0.0,
            unique_attendees=unique,
            repeat_attendees=repeat,
            converted=converted_n,
            upcoming_events=upcoming,
        )
        funnel = {
            "invited": sum(b.invited for b in butlers),
            "registered": tot_reg,
            "attended": tot_att_reg,
        }
        return CommunityReport(
            date_from=date_from,
            date_to=date_to,
            timezone=tz,
            totals=totals,
            by_month=tuple(by_month),
            by_type=by_type,
            attendance_histogram=dict(sorted(histogram.items())),
            converted=tuple(converted),
            leaderboard=leaderboard,
            clubs=clubs,
            butlers=butlers,
            funnel=funnel,
        )


def _of_held(held: ColumnElement[bool]) -> ColumnElement[bool]:
    """Event.id IN (the held events' ids). The events loop then runs in id order, so a GROUP
    BY Event.id, … streams through ix_registrations_confirmed instead of sorting every
    registration (a range on starts_at would visit the events in time order)."""
    return Event.id.in_(select(Event.id).where(held).correlate(None))


def _event_and_butler_counts(
    s: Session, held: ColumnElement[bool]
) -> tuple[dict[uuid.UUID, tuple[int, int, int, int, int]], dict[uuid.UUID | None, list[int]]]:
    """Per held event (registered, attended, walk-ins, attended registered, referrals) and
    per butler [registered, attended registered], from ONE pass over the confirmed
    registrations grouped by (event, butler). The pass reads only ix_registrations_confirmed,
    in its (event, butler) order, so that GROUP BY streams; the two roll-ups over its few
    thousand rows run in the same statement."""
    r = ConfirmedRegistration
    attended = _showed_up(r=r)  # the WHERE keeps confirmed registrations only
    pe = (
        select(
            Event.id.label("event_id"),
            r.invited_by_id.label("butler_id"),
            _flag(r.is_walk_in.is_(False)).label("reg"),
            _flag(attended).label("att"),
            _flag(and_(attended, r.is_walk_in.is_(True))).label("walk"),
            func.count(r.referred_by_id).label("ref"),
        )
        .select_from(Event)
        .join(r, r.event_id == Event.id)
        .where(_of_held(held), confirmed(r))
        .group_by(Event.id, r.invited_by_id)
        .cte("per_event_butler")
        .prefix_with("MATERIALIZED")
    )
    sums = [func.sum(c) for c in (pe.c.reg, pe.c.att, pe.c.walk, pe.c.ref)]
    stmt = union_all(
        select(literal("e").label("k"), pe.c.event_id.label("id"), *sums).group_by(pe.c.event_id),
        select(literal("b"), pe.c.butler_id, *sums)
        .where(pe.c.butler_id.is_not(None))
        .group_by(pe.c.butler_id),
    )
    per_event: dict[uuid.UUID, tuple[int, int, int, int, int]] = {}
    per_butler: dict[uuid.UUID | None, list[int]] = {}
    for kind, key, reg, att, walk, ref in s.connection().execute(stmt):
        att_reg = int(att) - int(walk)  # attended and not a walk-in
        if kind == "e":
            per_event[key] = (int(reg), int(att), int(walk), att_reg, int(ref))
        else:
            per_butler[key] = [int(reg), att_reg]
    return per_event, per_butler


def _butlers_of_unconfirmed(
    s: Session, held: ColumnElement[bool], known: set[uuid.UUID | None]
) -> list[uuid.UUID]:
    """Butlers without a line yet who invited live registrations of the range that are not
    confirmed (waitlisted, cancelled): they get a line too, of zeros. Asked only about
    staff who could be such a butler, so usually not at all."""
    unknown = [sid for sid in s.scalars(select(Staff.id)) if sid not in known]
    if not unknown:
        return []
    return list(
        s.scalars(
            select(Registration.invited_by_id)
            .distinct()
            .join(Event, Event.id == Registration.event_id)
            .where(
                held,
                Registration.deleted_at.is_(None),
                Registration.status.not_in(CONFIRMED_STATUSES),
                Registration.invited_by_id.in_(unknown),
            )
        )
    )


def _people_counts(
    s: Session, held: ColumnElement[bool], months: list[date], tz: str
) -> tuple[dict[int, int], dict[int, int]]:
    """(events attended → people, month index → different people) from ONE pass over
    ix_registrations_confirmed (never the table) grouped by person: per person the events
    they came to, and the months they came in as bits of a mask (a sum of distinct powers
    of two is their OR). The roll-up counts people per number of events and per month bit.
    Each held event's month is worked out once, in a small CTE, not per registration."""
    held_events = (
        select(
            Event.id.label("id"),
            Event.min_online_minutes.label("min_online_minutes"),
            _month_index(months, tz).label("m"),
        )
        .where(held)
        .cte("held_events")
        .prefix_with("MATERIALIZED")
    )
    r = ConfirmedRegistration
    month, one = held_events.c.m, cast(literal(1), BigInteger)
    masks = []
    for first in range(0, len(months), MONTHS_PER_MASK):
        bit = (
            one.bitwise_lshift(month)
            if len(months) <= MONTHS_PER_MASK
            else case(
                (
                    month.between(first, first + MONTHS_PER_MASK - 1),
                    one.bitwise_lshift(month - first),
                )
            )
        )
        masks.append(cast(func.sum(distinct(bit)), BigInteger).label(f"mask{first}"))
    per_person = (
        select(func.count().label("n"), *masks)
        .select_from(held_events)
        .join(r, r.event_id == held_events.c.id)
        .where(came(held_events.c.min_online_minutes, r))
        .group_by(r.person_id)
        .subquery()
    )
    in_month = [
        func.sum(
            per_person.c[f"mask{i - i % MONTHS_PER_MASK}"]
            .bitwise_rshift(literal(i % MONTHS_PER_MASK, Integer))  # PostgreSQL: bigint >> int
            .bitwise_and(1)
        )
        for i in range(len(months))
    ]
    histogram: dict[int, int] = {}
    unique_month: dict[int, int] = defaultdict(int)
    for n, people, *per_month in s.connection().execute(
        select(per_person.c.n, func.count(), *in_month).group_by(per_person.c.n)
    ):
        histogram[int(n)] = int(people)
        for i, k in enumerate(per_month):
            unique_month[i] += int(k or 0)
    return dict(sorted(histogram.items())), dict(unique_month)


def _changed_after_creation(s: Session) -> ColumnElement[bool]:
    """SQL twin of kpi.stage_change: the stage was not merely stamped at creation."""
    gap = kpi.STAMPED_AT_CREATION
    if s.get_bind().dialect.name == "sqlite":  # stored as ISO text: shift it with datetime()
        secs = int(gap.total_seconds())
        later = func.datetime(Person.created_at, f"+{secs} seconds")
        earlier = func.datetime(Person.created_at, f"-{secs} seconds")
    else:
        interval = literal_column(f"interval '{int(gap.total_seconds())} seconds'")
        later, earlier = Person.created_at + interval, Person.created_at - interval
    return or_(Person.stage_changed_at > later, Person.stage_changed_at < earlier)


def _converted(
    s: Session, held: ColumnElement[bool], lo: datetime
) -> tuple[int, list[ConvertedPerson]]:
    """People now owners/members whose stage changed after their first attended event of
    the range. Driven from people who changed stage since the range began (few), through
    the registrations' person index."""
    candidates = (
        select(Person.id)
        .where(
            Person.deleted_at.is_(None),
            Person.stage.in_(("owner", "member")),
            Person.stage_changed_at > lo,
            _changed_after_creation(s),
        )
        .correlate(None)  # its own scan of people, not the outer query's row
    )
    r = RegistrationOfPerson
    firsts = (
        select(r.person_id.label("pid"), func.min(Event.starts_at).label("first"))
        .join(Event, Event.id == r.event_id)
        .where(r.person_id.in_(candidates), held, came(r=r))
        .group_by(r.person_id)
        .subquery()
    )
    stmt = (
        select(Person.id, Person.name, Person.stage, firsts.c.first, Person.stage_changed_at)
        .join(firsts, firsts.c.pid == Person.id)
        .where(Person.stage_changed_at > firsts.c.first)
    )
    sub = stmt.subquery()
    count = int(s.scalar(select(func.count()).select_from(sub)) or 0)
    if not count:
        return 0, []
    rows = s.execute(
        select(sub).order_by(sub.c.stage_changed_at.desc(), sub.c.id).limit(CONVERTED_LISTED)
    ).all()
    return count, [ConvertedPerson(*r) for r in rows]


def _leaderboard(s: Session, held: ColumnElement[bool]) -> tuple[SuperUser, ...]:
    """Top referrers of the range, then every KOL (club role kol), merged per person."""
    r = ConfirmedRegistration
    refs: dict[uuid.UUID, tuple[int, int]] = {
        pid: (int(n), int(a or 0))
        for pid, n, a in s.execute(
            select(r.referred_by_id, func.count(), _flag(_showed_up(r=r)))
            .select_from(Event)
            .join(r, r.event_id == Event.id)
            .where(_of_held(held), confirmed(r), r.referred_by_id.is_not(None))
            .group_by(r.referred_by_id)
            .order_by(func.count().desc(), r.referred_by_id)
            .limit(LEADERBOARD_SIZE)
        )
    }
    clubs: dict[uuid.UUID, list[str]] = defaultdict(list)
    kols: set[uuid.UUID] = set()
    for pid, club, role in s.execute(
        select(ClubMembership.person_id, Club.name, ClubMembership.role)
        .join(Club, Club.id == ClubMembership.club_id)
        .where(
            ClubMembership.deleted_at.is_(None),
            Club.deleted_at.is_(None),
            or_(ClubMembership.role == "kol", ClubMembership.person_id.in_(list(refs) or [None])),
        )
        .order_by(Club.name)
    ):
        clubs[pid].append(club)
        if role == "kol":
            kols.add(pid)
    ids = list(set(refs) | kols)
    if not ids:
        return ()
    names = dict(
        s.execute(
            select(Person.id, Person.name).where(Person.id.in_(ids), Person.deleted_at.is_(None))
        ).all()
    )
    by_person = RegistrationOfPerson
    attended_n = dict(
        s.execute(
            select(by_person.person_id, func.count())
            .join(Event, Event.id == by_person.event_id)
            .where(held, came(r=by_person), by_person.person_id.in_(ids))
            .group_by(by_person.person_id)
        ).all()
    )
    rows = [
        SuperUser(
            pid,
            names[pid],
            pid in kols,
            tuple(dict.fromkeys(clubs.get(pid, []))),
            refs.get(pid, (0, 0))[0],
            refs.get(pid, (0, 0))[1],
            int(attended_n.get(pid, 0)),
        )
        for pid in ids
        if pid in names
    ]
    rows.sort(key=lambda u: (-u.referrals_attended, -u.referrals, -u.events_attended, u.name))
    return tuple(rows)


def _club_activity(s: Session, held: ColumnElement[bool]) -> tuple[ClubActivity, ...]:
    r = ConfirmedRegistration
    members = dict(
        s.execute(
            select(ClubMembership.club_id, func.count())
            .where(ClubMembership.deleted_at.is_(None))
            .group_by(ClubMembership.club_id)
        ).all()
    )
    events_n = dict(
        s.execute(
            select(EventClub.club_id, func.count())
            .join(Event, Event.id == EventClub.event_id)
            .where(held)
            .group_by(EventClub.club_id)
        ).all()
    )
    att: dict[uuid.UUID, tuple[int, int]] = {
        cid: (int(a), int(u))
        for cid, a, u in s.execute(
            select(EventClub.club_id, func.count(), func.count(distinct(r.person_id)))
            .join(Event, Event.id == EventClub.event_id)
            .join(r, r.event_id == Event.id)
            .where(held, came(r=r))
            .group_by(EventClub.club_id)
        )
    }
    out = [
        ClubActivity(
            cid,
            name,
            int(members.get(cid, 0)),
            int(events_n.get(cid, 0)),
            att.get(cid, (0, 0))[0],
            att.get(cid, (0, 0))[1],
        )
        for cid, name in s.execute(select(Club.id, Club.name).where(Club.deleted_at.is_(None)))
    ]
    out.sort(key=lambda c: (-c.events, -c.attended, c.name))
    return tuple(out)


def _butlers(
    s: Session, held: ColumnElement[bool], reg_att: dict[uuid.UUID | None, list[int]]
) -> tuple[ButlerPerformance, ...]:
    calls: dict[uuid.UUID | None, tuple[int, int]] = {
        sid: (int(n), int(c or 0))
        for sid, n, c in s.execute(
            select(Invitation.staff_id, func.count(), _flag(Invitation.status != "to_call"))
            .join(Event, Event.id == Invitation.event_id)
            .where(held, Invitation.deleted_at.is_(None))
            .group_by(Invitation.staff_id)
        )
    }
    ids = [i for i in set(calls) | set(reg_att) if i is not None]
    names = dict(s.execute(select(Staff.id, Staff.name).where(Staff.id.in_(ids))).all())
    out = [
        ButlerPerformance(
            sid,
            names.get(sid, "?") if sid else NO_BUTLER,
            calls.get(sid, (0, 0))[0],
            calls.get(sid, (0, 0))[1],
            reg_att.get(sid, [0, 0])[0],
            reg_att.get(sid, [0, 0])[1],
        )
        for sid in [*ids, *([None] if None in calls else [])]
    ]
    out.sort(key=lambda b: (b.staff_id is None, -b.attended, -b.registered, b.name))
    return tuple(out)


# --------------------------------------------------------------------------- today


@dataclass(frozen=True, slots=True)
class EventCounts:
    """An event with live counts, the same as its desk's counters (services/event_counts.py):
    registered (pre-registered, holding a place), arrived (everyone who came, walk-ins
    included), walk-ins (of the arrived), waitlisted, still to come."""

    event_id: uuid.UUID
    title: str
    type: str
    status: str
    starts_at: datetime | None
    ends_at: datetime | None
    timezone: str
    capacity: int | None
    registered: int
    arrived: int
    walk_ins: int
    waitlisted: int
    still_to_come: int = 0

    @property
    def arrived_registered(self) -> int:
        """Arrived people who had registered ahead."""
        return self.arrived - self.walk_ins

    def to_json(self) -> dict[str, Any]:
        return {
            "event_id": str(self.event_id),
            "title": self.title,
            "type": self.type,
            "status": self.status,
            "starts_at": iso_local(self.starts_at, self.timezone),
            "ends_at": iso_local(self.ends_at, self.timezone),
            "capacity": self.capacity,
            "registered": self.registered,
            "arrived": self.arrived,
            "walk_ins": self.walk_ins,
            "waitlisted": self.waitlisted,
            "arrived_registered": self.arrived_registered,
            "still_to_come": self.still_to_come,
        }


@dataclass(frozen=True, slots=True)
class OpenRegistration:
    """A published event taking registrations now (window open, not over)."""

    event_id: uuid.UUID
    title: str
    starts_at: datetime | None
    closes_at: datetime | None
    timezone: str
    capacity: int | None
    registered: int
    waitlisted: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "event_id": str(self.event_id),
            "title": self.title,
            "starts_at": iso_local(self.starts_at, self.timezone),
            "closes_at": iso_local(self.closes_at, self.timezone),
            "capacity": self.capacity,
            "registered": self.registered,
            "waitlisted": self.waitlisted,
        }


@dataclass(frozen=True, slots=True)
class CallsBehind:
    """A butler's call list for an event starting soon, with people still to call."""

    event_id: uuid.UUID
    title: str
    starts_at: datetime | None
    timezone: str
    staff_id: uuid.UUID | None
    butler: str  # NO_BUTLER for the unassigned list
    to_call: int
    total: int

    def to_json(self) -> dict[str, Any]:
        return {
            "event_id": str(self.event_id),
            "title": self.title,
            "starts_at": iso_local(self.starts_at, self.timezone),
            "staff_id": str(self.staff_id) if self.staff_id else None,
            "butler": self.butler,
            "to_call": self.to_call,
            "total": self.total,
        }


@dataclass(frozen=True, slots=True)
class TierChange:
    person_id: uuid.UUID
    name: str
    tier: str | None
    changed_at: datetime

    def to_json(self) -> dict[str, Any]:
        return {
            "person_id": str(self.person_id),
            "name": self.name,
            "tier": self.tier,
            "changed_at": self.changed_at.isoformat(),
        }


@dataclass(frozen=True, slots=True)
class Occasion:
    """An owner's birthday or car purchase anniversary soon, with an event to invite to."""

    person_id: uuid.UUID
    name: str
    phone: str | None
    kind: str  # "birthday" | "purchase_anniversary"
    on: date  # the coming date (this year's)
    years: int | None  # anniversary: years since purchase; birthday: None
    butler: str | None
    model: str | None  # the car of an anniversary
    invite_event_id: uuid.UUID | None
    invite_event_title: str | None

    def to_json(self) -> dict[str, Any]:
        return {
            "person_id": str(self.person_id),
            "name": self.name,
            "phone": self.phone,
            "kind": self.kind,
            "on": self.on.isoformat(),
            "years": self.years,
            "butler": self.butler,
            "model": self.model,
            "invite_event_id": str(self.invite_event_id) if self.invite_event_id else None,
            "invite_event_title": self.invite_event_title,
        }


@dataclass(frozen=True, slots=True)
class AwaitingApproval:
    """An invite-only event (not over) with applications awaiting approval (issue 14)."""

    event_id: uuid.UUID
    title: str
    starts_at: datetime | None
    timezone: str
    capacity: int | None
    pending: int
    registered: int  # seats already given (approved)

    def to_json(self) -> dict[str, Any]:
        return {
            "event_id": str(self.event_id),
            "title": self.title,
            "starts_at": iso_local(self.starts_at, self.timezone),
            "capacity": self.capacity,
            "pending": self.pending,
            "registered": self.registered,
        }


@dataclass(frozen=True, slots=True)
class TodayOverview:
    """The home screen. `this_week`: events starting after today, within the next 7 days."""

    now: datetime
    timezone: str
    today: tuple[EventCounts, ...]
    this_week: tuple[EventCounts, ...]
    open_registrations: tuple[OpenRegistration, ...]
    calls_behind: tuple[CallsBehind, ...]
    tier_changes: tuple[TierChange, ...]
    occasions: tuple[Occasion, ...]
    awaiting_approval: tuple[AwaitingApproval, ...] = ()

    @property
    def pending(self) -> int:
        """Applications awaiting approval over all events ("N awaiting approval")."""
        return sum(a.pending for a in self.awaiting_approval)

    @property
    def is_empty(self) -> bool:
        return not (
            self.today
            or self.this_week
            or self.open_registrations
            or self.calls_behind
            or self.tier_changes
            or self.occasions
            or self.awaiting_approval
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "now": self.now.isoformat(),
            "timezone": self.timezone,
            "today": [e.to_json() for e in self.today],
            "this_week": [e.to_json() for e in self.this_week],
            "open_registrations": [e.to_json() for e in self.open_registrations],
            "calls_behind": [c.to_json() for c in self.calls_behind],
            "tier_changes": [t.to_json() for t in self.tier_changes],
            "occasions": [o.to_json() for o in self.occasions],
            "awaiting_approval": [a.to_json() for a in self.awaiting_approval],
            "pending": self.pending,
        }


def _event_counts(s: Session, rows: list[Any], tz: str) -> tuple[EventCounts, ...]:
    """The cards' numbers: the desk's counters of each event (services/event_counts.py)."""
    counts = counts_by_event(s, [e.id for e in rows])
    return tuple(
        EventCounts(
            e.id,
            e.title,
            e.type,
            e.status,
            e.starts_at,
            e.ends_at,
            e.timezone or tz,
            e.capacity,
            registered=counts[e.id].expected,
            arrived=counts[e.id].arrived,
            walk_ins=counts[e.id].walk_ins,
            waitlisted=counts[e.id].waitlisted,
            still_to_come=counts[e.id].still_to_come,
        )
        for e in rows
    )


def _open_now(now: datetime) -> ColumnElement[bool]:
    return and_(
        Event.deleted_at.is_(None),
        Event.status == "published",
        or_(Event.registration_opens_at.is_(None), Event.registration_opens_at <= now),
        or_(Event.registration_closes_at.is_(None), Event.registration_closes_at > now),
        or_(Event.ends_at.is_(None), Event.ends_at > now),
    )


def _upcoming_days(today: date, days: int) -> list[date]:
    return [today + timedelta(days=i) for i in range(days)]


def _month_day_in(col: Any, days: list[date]) -> ColumnElement[bool]:
    """SQL: the date column's month/day falls on one of `days` (Feb 29 shown on Feb 28)."""
    pairs = {(d.month, d.day) for d in days}
    if (2, 28) in pairs and not any(d.month == 2 and d.day == 29 for d in days):
        pairs.add((2, 29))
    return or_(
        *(and_(extract("month", col) == m, extract("day", col) == d) for m, d in sorted(pairs))
    )


def _next_on(md: date, days: list[date]) -> date:
    for d in days:
        if (d.month, d.day) == (md.month, md.day) or (
            (md.month, md.day) == (2, 29) and (d.month, d.day) == (2, 28)
        ):
            return d
    return days[0]


def today_overview(
    db: Database,
    now: datetime | None = None,
    *,
    calls_within_days: int = CALLS_BEHIND_DAYS,
    occasion_days: int = OCCASION_DAYS,
) -> TodayOverview:
    """What the manager sees first: today's and the coming week's events with live counts,
    registrations open now, call lists still to call for events within `calls_within_days`,
    tier changes of the last 7 days, owners' birthdays and purchase anniversaries within
    `occasion_days` (each with the soonest open event they are not registered for)."""
    now = now or now_utc()
    with db.read() as s:
        tz = _dealer_tz(s)
        z = zone(tz)
        today = now.astimezone(z).date()
        day_lo, day_hi = _local_day_bounds(today, today, tz)
        week_hi = day_hi + timedelta(days=7)
        live = and_(Event.deleted_at.is_(None), Event.status.not_in(("cancelled", "draft")))
        cols = (
            Event.id,
            Event.title,
            Event.type,
            Event.status,
            Event.starts_at,
            Event.ends_at,
            Event.timezone,
            Event.capacity,
        )
        today_rows = s.execute(
            select(*cols)
            .where(
                live,
                Event.starts_at < day_hi,
                or_(
                    Event.starts_at >= day_lo,
                    and_(Event.ends_at.is_not(None), Event.ends_at > day_lo),
                ),
            )
            .order_by(Event.starts_at)
        ).all()
        week_rows = s.execute(
            select(*cols)
            .where(live, Event.starts_at >= day_hi, Event.starts_at < week_hi)
            .order_by(Event.starts_at)
        ).all()
        open_rows = s.execute(
            select(
                Event.id,
                Event.title,
                Event.starts_at,
                Event.registration_closes_at,
                Event.timezone,
                Event.capacity,
            )
            .where(_open_now(now))
            .order_by(Event.starts_at)
        ).all()
        open_counts = counts_by_event(s, [e.id for e in open_rows])
        open_regs = tuple(
            OpenRegistration(
                e.id,
                e.title,
                e.starts_at,
                e.registration_closes_at,
                e.timezone or tz,
                e.capacity,
                open_counts[e.id].expected,
                open_counts[e.id].waitlisted,
            )
            for e in open_rows
        )
        behind = tuple(
            CallsBehind(eid, title, st, etz or tz, sid, name or NO_BUTLER, int(tc), int(n))
            for eid, title, st, etz, sid, name, tc, n in s.execute(
                select(
                    Event.id,
                    Event.title,
                    Event.starts_at,
                    Event.timezone,
                    Invitation.staff_id,
                    Staff.name,
                    _flag(Invitation.status == "to_call"),
                    func.count(),
                )
                .join(Event, Event.id == Invitation.event_id)
                .outerjoin(Staff, Staff.id == Invitation.staff_id)
                .where(
                    Invitation.deleted_at.is_(None),
                    Event.deleted_at.is_(None),
                    Event.status.in_(("published", "draft", "closed")),
                    Event.starts_at >= now,
                    Event.starts_at < now + timedelta(days=calls_within_days),
                )
                .group_by(
                    Event.id,
                    Event.title,
                    Event.starts_at,
                    Event.timezone,
                    Invitation.staff_id,
                    Staff.name,
                )
                .having(_flag(Invitation.status == "to_call") > 0)
                .order_by(Event.starts_at, Staff.name)
            )
        )
        tiers = tuple(
            TierChange(pid, name, tier, at)
            for pid, name, tier, at in s.execute(
                select(Person.id, Person.name, Person.tier, Person.tier_changed_at)
                .where(
                    Person.deleted_at.is_(None),
                    Person.merged_into_id.is_(None),
                    Person.tier_changed_at >= now - timedelta(days=TIER_CHANGE_DAYS),
                    Person.tier_changed_at <= now,
                )
                .order_by(Person.tier_changed_at.desc())
                .limit(100)
            )
        )
        occasions = _occasions(s, now, today, occasion_days, open_rows)
        awaiting = _awaiting_approval(s, now, tz)
        return TodayOverview(
            now=now,
            timezone=tz,
            today=_event_counts(s, today_rows, tz),
            this_week=_event_counts(s, week_rows, tz),
            open_registrations=open_regs,
            calls_behind=behind,
            tier_changes=tiers,
            occasions=occasions,
            awaiting_approval=awaiting,
        )


def _awaiting_approval(s: Session, now: datetime, tz: str) -> tuple[AwaitingApproval, ...]:
    rows = s.execute(
        select(
            Event.id,
            Event.title,
            Event.starts_at,
            Event.timezone,
            Event.capacity,
            _flag(Registration.status == "pending"),
            _flag(Registration.status.in_(("registered", "attended"))),
        )
        .join(Registration, Registration.event_id == Event.id)
        .where(
            Event.deleted_at.is_(None),
            Event.status.in_(("published", "closed", "draft")),
            or_(Event.ends_at.is_(None), Event.ends_at > now),
            Registration.deleted_at.is_(None),
        )
        .group_by(Event.id, Event.title, Event.starts_at, Event.timezone, Event.capacity)
        .having(_flag(Registration.status == "pending") > 0)
        .order_by(Event.starts_at)
    )
    return tuple(
        AwaitingApproval(eid, title, st, etz or tz, cap, int(p), int(r))
        for eid, title, st, etz, cap, p, r in rows
    )


def _occasions(
    s: Session, now: datetime, today: date, days_n: int, open_rows: list[Any]
) -> tuple[Occasion, ...]:
    days = _upcoming_days(today, days_n)
    owner = and_(
        Person.deleted_at.is_(None),
        Person.merged_into_id.is_(None),
        Person.stage.in_(("owner", "member")),
    )
    found: list[tuple[Any, ...]] = []
    for pid, name, phone, bday, butler in s.execute(
        select(Person.id, Person.name, Person.phone, Person.birthday, Staff.name)
        .outerjoin(Staff, Staff.id == Person.butler_id)
        .where(owner, Person.birthday.is_not(None), _month_day_in(Person.birthday, days))
        .limit(200)
    ):
        found.append((pid, name, phone, "birthday", _next_on(bday, days), None, butler, None))
    for pid, name, phone, bought, model, butler in s.execute(
        select(
            Person.id, Person.name, Person.phone, Vehicle.purchase_date, Vehicle.model, Staff.name
        )
        .join(Vehicle, Vehicle.person_id == Person.id)
        .outerjoin(Staff, Staff.id == Person.butler_id)
        .where(
            owner,
            Vehicle.deleted_at.is_(None),
            Vehicle.purchase_date.is_not(None),
            Vehicle.purchase_date < today,
            _month_day_in(Vehicle.purchase_date, days),
        )
        .limit(200)
    ):
        on = _next_on(bought, days)
        years = on.year - bought.year
        if years >= 1:
            found.append((pid, name, phone, "purchase_anniversary", on, years, butler, model))
    if not found:
        return ()
    upcoming = [e for e in open_rows if e.starts_at is not None and e.starts_at > now][:10]
    taken: set[tuple[uuid.UUID, uuid.UUID]] = set()
    if upcoming:
        taken = {
            (pid, eid)
            for pid, eid in s.execute(
                select(Registration.person_id, Registration.event_id).where(
                    Registration.deleted_at.is_(None),
                    Registration.status != "cancelled",
                    Registration.event_id.in_([e.id for e in upcoming]),
                    Registration.person_id.in_(list({f[0] for f in found})),
                )
            )
        }
    out = []
    for pid, name, phone, kind, on, years, butler, model in found:
        invite = next((e for e in upcoming if (pid, e.id) not in taken), None)
        out.append(
            Occasion(
                pid,
                name,
                phone,
                kind,
                on,
                years,
                butler,
                model,
                invite.id if invite else None,
                invite.title if invite else None,
            )
        )
    out.sort(key=lambda o: (o.on, o.name, o.kind))
    return tuple(out)
