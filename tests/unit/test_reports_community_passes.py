"""The community report's passes over ix_registrations_confirmed (a partial covering index)
count what the event reports count: online attendance, soft deletion, butlers with nothing
but cancellations, ranges longer than one month mask. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from sqlalchemy import update

from desktop_app.services import checkin, events, staff
from desktop_app.services import registration as reg_svc
from desktop_app.services.reports import community_report, event_report
from desktop_app.store.db import Database
from desktop_app.store.models import Event, Registration
from tests.reports_support import Clock, Quarter, build_quarter, local

Q1 = (date(2026, 1, 1), date(2026, 3, 31))
AFTER_A = local(2026, 3, 8, 9)
AFTER_D = local(2026, 3, 10, 12)  # the member day D is over: the whole quarter has been held


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    return Clock(monkeypatch)


@pytest.fixture
def quarter(dealer_db: Database, clock: Clock) -> Quarter:
    return build_quarter(dealer_db, clock)


def _set(db: Database, registration_id: uuid.UUID, **values: object) -> None:
    with db.write() as s:
        s.execute(update(Registration).where(Registration.id == registration_id).values(**values))


def test_online_minutes_count_and_deleted_registrations_do_not(
    dealer_db: Database, quarter: Quarter
) -> None:
    with dealer_db.write() as s:
        s.execute(update(Event).where(Event.id == quarter.a).values(min_online_minutes=30))
    _set(dealer_db, quarter.r["R7"], online_minutes=45)  # came, online
    _set(dealer_db, quarter.r["R8"], online_minutes=29)  # one minute short: did not come
    _set(dealer_db, quarter.r["R6"], deleted_at=AFTER_A)  # registered, then deleted
    rep = community_report(dealer_db, *Q1, now=AFTER_D)
    parts = [
        event_report(dealer_db, e, now=AFTER_A).kpis for e in (quarter.a, quarter.b, quarter.d)
    ]
    t = rep.totals
    assert t.registered == sum(k.registered for k in parts) == 12  # 13 less R6
    assert t.attended == sum(k.attended for k in parts) == 11  # 10 and R7 online
    assert t.walk_ins == sum(k.walk_ins for k in parts) == 2
    assert t.unique_attendees == 10 and rep.attendance_histogram == {1: 9, 2: 1}
    march = next(m for m in rep.by_month if m.month == "2026-03")
    assert (march.registered, march.attended, march.unique_attendees) == (9, 9, 9)
    li = next(b for b in rep.butlers if b.name == "李管家")
    assert (li.registered, li.attended) == (1, 1)  # R5 came; R6's line is gone


def test_a_butler_whose_registrations_were_all_cancelled_keeps_a_line_of_zeros(
    dealer_db: Database, quarter: Quarter, clock: Clock
) -> None:
    zhao = staff.create_staff(dealer_db, "赵管家").id
    clock.set(local(2026, 3, 1, 10))
    r = reg_svc.register(dealer_db, quarter.d, quarter.p["R8"], invited_by_id=zhao)
    reg_svc.cancel(dealer_db, r.id, "有事")
    rep = community_report(dealer_db, *Q1, now=AFTER_D)
    butlers = {b.name: (b.invited, b.called, b.registered, b.attended) for b in rep.butlers}
    assert butlers["赵管家"] == (0, 0, 0, 0)
    assert butlers["王管家"] == (8, 5, 4, 4) and butlers["李管家"] == (0, 0, 2, 1)
    assert rep.totals.registered == 13  # the cancellation counts nowhere


def test_a_range_longer_than_one_month_mask(
    dealer_db: Database, quarter: Quarter, clock: Clock
) -> None:
    """75 months: the months attended are two masks of bits, the first and the second."""
    clock.set(local(2020, 1, 10, 9))
    e = events.create_event(
        dealer_db,
        events.EventDraft(
            title="老车主聚会",
            type="city_meetup",
            starts_at=local(2020, 2, 15, 14),
            ends_at=local(2020, 2, 15, 17),
            venue="浦东展厅",
            capacity=50,
        ),
    ).id
    events.set_status(dealer_db, e, "published")
    reg = reg_svc.register(dealer_db, e, quarter.p["REF"])
    clock.set(local(2020, 2, 15, 14, 5))
    assert checkin.manual_check_in(dealer_db, e, reg.id, desk="D1").result == "accepted"
    rep = community_report(dealer_db, date(2020, 1, 1), Q1[1], now=AFTER_D)
    assert len(rep.by_month) == 75
    unique = {m.month: m.unique_attendees for m in rep.by_month if m.unique_attendees}
    assert unique == {"2020-02": 1, "2026-01": 2, "2026-03": 8}
    assert rep.attendance_histogram == {1: 7, 2: 2}  # R2 at A and B, REF at B and 2020
    assert rep.totals.unique_attendees == 9 and rep.totals.repeat_attendees == 2
    q1 = community_report(dealer_db, *Q1, now=AFTER_D)
    assert [m for m in rep.by_month if m.month >= "2026-01"] == list(q1.by_month)


def test_registrations_of_events_outside_the_range_count_nowhere(
    dealer_db: Database, quarter: Quarter
) -> None:
    """The index holds every event's confirmed registrations; the range picks the events."""
    march = community_report(dealer_db, date(2026, 3, 1), Q1[1], now=AFTER_D)
    assert (march.totals.registered, march.totals.attended) == (10, 8)
    assert march.attendance_histogram == {1: 8}  # R2's January visit is out of range
    assert march.totals.referrals == 2 and march.leaderboard[0].referrals == 2
