"""Event and community reports: every number checked against a quarter built through the
real services (tests/reports_support.py), whose answers are known by construction."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest

from desktop_app.domain.errors import NotFound, ValidationError
from desktop_app.services import checkin, events, points
from desktop_app.services import registration as reg_svc
from desktop_app.services.reports import community_report, event_report, today_overview
from desktop_app.store.db import Database
from tests.reports_support import Clock, Quarter, build_quarter, local


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    return Clock(monkeypatch)


@pytest.fixture
def quarter(dealer_db: Database, clock: Clock) -> Quarter:
    return build_quarter(dealer_db, clock)


AFTER_A = local(2026, 3, 8, 9)
AFTER_D = local(2026, 3, 10, 12)  # the member day D is over: the whole quarter has been held


def test_open_day_report_shows_what_the_day_brought(dealer_db: Database, quarter: Quarter) -> None:
    rep = event_report(dealer_db, quarter.a, now=AFTER_A)
    k = rep.kpis
    assert (k.registered, k.attended, k.walk_ins, k.cancelled, k.waitlisted) == (10, 8, 2, 1, 0)
    assert k.attendance_rate == 0.6
    assert k.no_shows == 4  # R6, R7, R8, R10
    assert k.still_to_come == 0
    # R1, R3 (became a member after the day), R9 and both walk-ins; R2 came in January
    assert k.new_prospects == 5
    assert k.existing_owners == 2  # R4, R5 (R6 the member did not come)
    assert k.club_members == 1  # R5; R1 joined the club three days later
    assert k.referrals == 2  # R9, R10 named REF
    assert k.new_members == 1  # R3
    assert k.points_awarded == 8 * 50
    assert k.avg_rating == 4.0
    assert k.nps == pytest.approx(33.3)  # promoters 10, 9; detractor 6 → (2 − 1) / 3
    assert k.feedback_count == 3
    assert k.cost_per_attendee == 750.0  # 6000 ÷ 8
    assert (k.seats_registered, k.seats_attended) == (10, 8)


def test_open_day_arrival_curve_is_in_local_ten_minute_steps(
    dealer_db: Database, quarter: Quarter
) -> None:
    rep = event_report(dealer_db, quarter.a, now=AFTER_A)
    assert [(b.label, b.check_ins) for b in rep.arrival_curve] == [
        ("14:00", 2),
        ("14:10", 2),
        ("14:20", 1),
        ("14:30", 1),
        ("14:40", 2),
    ]
    assert rep.to_json()["arrival_curve"][0]["from"].startswith("2026-03-07T14:00:00+08:00")


def test_open_day_split_by_butler_and_by_source(dealer_db: Database, quarter: Quarter) -> None:
    rep = event_report(dealer_db, quarter.a, now=AFTER_A)
    butlers = {b.key: (b.invited, b.registered, b.attended) for b in rep.by_butler}
    assert butlers == {"王管家": (5, 4, 4), "李管家": (0, 2, 1), "—": (0, 4, 3)}
    sources = {s.key: (s.registered, s.attended) for s in rep.by_source}
    assert sources == {
        "phone_invite": (6, 5),
        "online_form": (2, 0),
        "referral": (2, 1),
        "walk_in": (0, 2),
    }
    assert [c.comment for c in rep.comments] == ["讲解很细致", "停车位太少"]


def test_event_report_json_keeps_the_design_keys(dealer_db: Database, quarter: Quarter) -> None:
    data = event_report(dealer_db, quarter.a, now=AFTER_A).to_json()
    for key in (
        "event_id",
        "registered",
        "attended",
        "attendance_rate",
        "no_shows",
        "walk_ins",
        "new_prospects",
        "referrals",
        "points_awarded",
        "avg_rating",
        "nps",
    ):
        assert key in data
    assert data["event_id"] == str(quarter.a)
    assert data["title"] == "三月开放日"
    assert data["by_butler"]["王管家"] == {"invited": 5, "registered": 4, "attended": 4}


def test_before_the_event_ends_nobody_is_a_no_show_yet(
    dealer_db: Database, quarter: Quarter
) -> None:
    k = event_report(dealer_db, quarter.a, now=local(2026, 3, 7, 15)).kpis
    assert (k.no_shows, k.still_to_come) == (0, 4)


def test_care_class_report(dealer_db: Database, quarter: Quarter) -> None:
    k = event_report(dealer_db, quarter.b, now=AFTER_A).kpis
    assert (k.registered, k.attended, k.no_shows) == (3, 2, 1)
    assert k.new_prospects == 1  # R2; REF was already an owner
    assert k.existing_owners == 1
    assert k.avg_rating is None and k.nps is None and k.cost_per_attendee is None


def test_event_without_registrations_gives_zeros_not_errors(
    dealer_db: Database, quarter: Quarter
) -> None:
    rep = event_report(dealer_db, quarter.c, now=AFTER_A)
    k = rep.kpis
    assert (k.registered, k.attended, k.no_shows, k.walk_ins, k.points_awarded) == (0,) * 5
    assert k.attendance_rate == 0.0
    assert rep.arrival_curve == () and rep.is_empty
    assert rep.to_json()["avg_rating"] is None


def test_unknown_event_report_says_not_found(dealer_db: Database) -> None:
    with pytest.raises(NotFound):
        event_report(dealer_db, uuid.uuid4())
    with pytest.raises(NotFound):
        event_report(dealer_db, "not-an-id")


# --------------------------------------------------------------------------- community

Q1 = (date(2026, 1, 1), date(2026, 3, 31))


def test_community_totals_add_up_the_event_reports(dealer_db: Database, quarter: Quarter) -> None:
    rep = community_report(dealer_db, *Q1, now=AFTER_D)
    t = rep.totals
    assert (t.events, t.cancelled_events) == (3, 1)  # A, B, D; C cancelled
    parts = [
        event_report(dealer_db, e, now=AFTER_A).kpis for e in (quarter.a, quarter.b, quarter.d)
    ]
    assert t.registered == sum(k.registered for k in parts) == 13
    assert t.attended == sum(k.attended for k in parts) == 10
    assert t.walk_ins == sum(k.walk_ins for k in parts) == 2
    assert t.referrals == sum(k.referrals for k in parts) == 2
    assert t.attendance_rate == round(8 / 13, 4)


def test_community_repeat_attendance_and_conversions(dealer_db: Database, quarter: Quarter) -> None:
    rep = community_report(dealer_db, *Q1, now=AFTER_D)
    assert rep.totals.unique_attendees == 9  # 8 at A + REF (R2 came to both)
    assert rep.totals.repeat_attendees == 1
    assert rep.attendance_histogram == {1: 8, 2: 1}
    assert rep.totals.converted == 1
    assert [c.name for c in rep.converted] == ["张强"]
    assert rep.converted[0].stage == "member"


def test_community_months_and_types(dealer_db: Database, quarter: Quarter) -> None:
    rep = community_report(dealer_db, *Q1, now=AFTER_D)
    months = {
        m.month: (m.events, m.registered, m.attended, m.walk_ins, m.unique_attendees)
        for m in rep.by_month
    }
    assert months == {
        "2026-01": (1, 3, 2, 0, 2),
        "2026-02": (0, 0, 0, 0, 0),
        "2026-03": (2, 10, 8, 2, 8),
    }
    assert rep.by_month[2].events_by_type == {"member_day": 1, "open_day": 1}
    types = {t.type: (t.events, t.registered, t.attended) for t in rep.by_type}
    assert types == {"open_day": (1, 10, 8), "care_class": (1, 3, 2), "member_day": (1, 0, 0)}


def test_community_leaderboard_clubs_and_butlers(dealer_db: Database, quarter: Quarter) -> None:
    rep = community_report(dealer_db, *Q1, now=AFTER_D)
    board = [
        (u.name, u.is_kol, u.referrals, u.referrals_attended, u.events_attended)
        for u in rep.leaderboard
    ]
    assert board == [("孙丽", False, 2, 1, 1), ("陈静", True, 0, 0, 1)]
    assert rep.leaderboard[1].clubs == ("沪上车友会",)
    club = next(c for c in rep.clubs if c.club_id == quarter.club)
    assert (club.members, club.events, club.attended, club.unique_attendees) == (2, 1, 8, 8)
    butlers = {b.name: (b.invited, b.called, b.registered, b.attended) for b in rep.butlers}
    # 王管家: 5 lines for A (4 registered, X declined) + 3 owners of D still to call
    # (R4 is his; R5 and REF have no butler and go to the only butler in the audience)
    assert butlers == {"王管家": (8, 5, 4, 4), "李管家": (0, 0, 2, 1)}
    assert rep.funnel == {"invited": 8, "registered": 13, "attended": 8}


def test_community_range_without_events_is_empty(dealer_db: Database, quarter: Quarter) -> None:
    rep = community_report(dealer_db, date(2025, 1, 1), date(2025, 12, 31), now=AFTER_D)
    assert rep.is_empty
    assert rep.totals.registered == 0 and rep.totals.attendance_rate == 0.0
    assert len(rep.by_month) == 12 and all(m.events == 0 for m in rep.by_month)
    assert rep.leaderboard == () or all(u.referrals == 0 for u in rep.leaderboard)


def test_the_community_report_leaves_out_events_that_have_not_started_yet(
    dealer_db: Database, quarter: Quarter, clock: Clock
) -> None:
    clock.set(local(2026, 3, 8, 8))
    reg_svc.register(dealer_db, quarter.d, quarter.p["R4"])  # 刘洋 signs up for the member day
    # the morning after the open day: the member day (03-09) is still to come
    before = community_report(dealer_db, *Q1, now=AFTER_A).totals
    assert (before.events, before.upcoming_events, before.cancelled_events) == (2, 1, 1)
    assert before.registered == 13  # 刘洋's seat at the member day is not an attendance yet
    assert before.attendance_rate == round(8 / 13, 4)
    # once it has been held, it counts (刘洋 did not come)
    after = community_report(dealer_db, *Q1, now=AFTER_D).totals
    assert (after.events, after.upcoming_events, after.registered) == (3, 0, 14)
    assert after.attendance_rate == round(8 / 14, 4)


def test_community_range_must_be_in_order(dealer_db: Database) -> None:
    with pytest.raises(ValidationError):
        community_report(dealer_db, date(2026, 3, 1), date(2026, 1, 1))


def test_community_report_json_has_the_totals(dealer_db: Database, quarter: Quarter) -> None:
    data = community_report(dealer_db, *Q1, now=AFTER_D).to_json()
    assert data["from"] == "2026-01-01" and data["registered"] == 13
    assert data["attendance_histogram"] == {"1": 8, "2": 1}


# --------------------------------------------------------------------------- today


def test_today_shows_the_open_day_with_live_counts(dealer_db: Database, quarter: Quarter) -> None:
    now = local(2026, 3, 7, 15)
    t = today_overview(dealer_db, now)
    assert [(e.title, e.registered, e.arrived, e.walk_ins) for e in t.today] == [
        ("三月开放日", 10, 8, 2)
    ]
    assert [e.title for e in t.this_week] == ["会员日"]
    assert {o.title for o in t.open_registrations} == {"三月开放日", "会员日"}
    behind = [c for c in t.calls_behind if c.event_id == quarter.d]
    assert sum(c.to_call for c in behind) == sum(c.total for c in behind) > 0
    since = now - timedelta(days=7)
    expected = {c.person_id for c in points.tier_changes(dealer_db, since) if c.at <= now}
    assert {c.person_id for c in t.tier_changes} == expected


def test_the_source_split_keeps_walk_ins_out_of_the_registered_slices(
    dealer_db: Database, quarter: Quarter
) -> None:
    rep = event_report(dealer_db, quarter.a, now=AFTER_A)
    split = dict(rep.source_split)
    assert split == {"phone_invite": 6, "online_form": 2, "referral": 2, "walk_ins": 2}
    assert sum(split.values()) == rep.kpis.registered + rep.kpis.walk_ins
    assert rep.to_json()["source_split"] == split


def test_the_desk_and_the_today_page_show_the_same_arrivals_for_an_event_with_walk_ins(
    dealer_db: Database, quarter: Quarter
) -> None:
    # mid-afternoon of the open day: 6 registered guests and 2 walk-ins are in
    now = local(2026, 3, 7, 15)
    [card] = today_overview(dealer_db, now).today
    desk = checkin.desk_counts(dealer_db, quarter.a)
    assert (card.registered, card.arrived, card.walk_ins, card.still_to_come) == (10, 8, 2, 4)
    assert (desk.expected, desk.arrived, desk.walk_ins, desk.still_to_come) == (10, 8, 2, 4)
    assert card.arrived_registered == desk.arrived_registered == 6
    # and the event report says the same: registered 10, attended 8, of whom 2 walk-ins
    k = event_report(dealer_db, quarter.a, now=now).kpis
    assert (k.registered, k.attended, k.walk_ins, k.still_to_come) == (10, 8, 2, 4)


def test_today_lists_owners_birthdays_and_car_anniversaries(
    dealer_db: Database, quarter: Quarter
) -> None:
    t = today_overview(dealer_db, local(2026, 3, 7, 15))
    occ = [(o.name, o.kind, o.on, o.years, o.invite_event_title) for o in t.occasions]
    # R1's birthday is on 03-09 too, but R1 is a prospect: not listed
    assert occ == [
        ("刘洋", "birthday", date(2026, 3, 12), None, "会员日"),
        ("杨磊", "purchase_anniversary", date(2026, 3, 15), 2, "会员日"),
    ]


def test_today_on_a_quiet_day_is_empty(dealer_db: Database) -> None:
    t = today_overview(dealer_db, local(2026, 3, 7, 15))
    assert t.is_empty
    assert t.to_json()["today"] == []


def test_cancelled_event_is_not_on_today(dealer_db: Database, quarter: Quarter) -> None:
    t = today_overview(dealer_db, local(2026, 3, 20, 12))
    assert all(e.event_id != quarter.c for e in t.today)
    assert events.get_event(dealer_db, quarter.c).status == "cancelled"


def test_a_stage_stamped_when_the_person_was_created_is_not_a_change() -> None:
    from desktop_app.domain.kpi import stage_change

    created = local(2026, 3, 1, 9)
    # an owner imported from the DMS after an event: not a prospect who converted
    assert stage_change(created + timedelta(seconds=1), created) is None
    assert stage_change(created + timedelta(days=9), created) == created + timedelta(days=9)
    assert stage_change(None, created) is None
