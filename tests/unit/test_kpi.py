"""Event KPIs, checked against an event whose answers are known by construction."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from desktop_app.domain.kpi import (
    EventFacts,
    FeedbackFacts,
    PersonFacts,
    RegistrationFacts,
    derive_status,
    event_kpis,
    nps_score,
)

START = datetime(2026, 11, 1, 1, 30, tzinfo=UTC)  # 09:30 in Shanghai
END = START + timedelta(hours=7)
AFTER = END + timedelta(days=1)
EARLIER = START - timedelta(days=60)


def open_day(**kw: object) -> EventFacts:
    base: dict[str, object] = {
        "id": "E1",
        "starts_at": START,
        "ends_at": END,
        "status": "completed",
        "budget": Decimal("1000"),
    }
    base.update(kw)
    return EventFacts(**base)  # type: ignore[arg-type]


def reg(n: int, **kw: object) -> RegistrationFacts:
    base: dict[str, object] = {"id": f"R{n}", "person_id": f"P{n}", "status": "registered"}
    base.update(kw)
    return RegistrationFacts(**base)  # type: ignore[arg-type]


def at(minutes: int) -> datetime:
    return START + timedelta(minutes=minutes)


# 10 registered (one with a party of 3), 6 came; 2 walk-ins; 1 waitlisted; 1 cancelled.
REGS = [
    reg(1, checked_in_at=at(1), party_size=3, butler="王芳"),
    reg(2, checked_in_at=at(4), referred_by_id="P9", source="referral", butler="王芳"),
    reg(3, checked_in_at=at(12), butler="李强"),
    reg(4, checked_in_at=at(15)),
    reg(5, checked_in_at=at(35), source="online_form"),
    reg(6, online_minutes=45, source="online_form"),  # came online
    reg(7, online_minutes=5, source="online_form"),  # too short: did not come
    reg(8, butler="李强"),
    reg(9),
    reg(10),
    reg(11, is_walk_in=True, source="walk_in", checked_in_at=at(20)),
    reg(12, is_walk_in=True, source="walk_in", checked_in_at=at(21), referred_by_id="P1"),
    reg(13, status="waitlisted"),
    reg(14, status="cancelled"),
]
PEOPLE = {
    "P1": PersonFacts("P1", "member", club_member_since=EARLIER),
    "P2": PersonFacts("P2", "owner"),
    "P3": PersonFacts("P3", "prospect"),  # first event: new prospect
    "P4": PersonFacts("P4", "prospect"),  # came before: not new
    "P5": PersonFacts("P5", "owner", stage_changed_at=START + timedelta(days=3)),  # bought after
    "P6": PersonFacts("P6", "member", stage_changed_at=START + timedelta(days=10)),  # new member
    "P11": PersonFacts("P11", "prospect"),  # walk-in, new
    "P12": PersonFacts("P12", "prospect", club_member_since=AFTER),  # joined club later
}
FIRST = {
    "P1": EARLIER,
    "P2": EARLIER,
    "P3": START,
    "P4": EARLIER,
    "P5": START,
    "P6": START,
    "P11": START,
    "P12": START,
}


def test_an_open_day_with_known_answers() -> None:
    k = event_kpis(
        open_day(),
        REGS,
        PEOPLE,
        FIRST,
        feedback=[
            FeedbackFacts(5, 10),
            FeedbackFacts(4, 9),
            FeedbackFacts(3, 6),
            FeedbackFacts(None, 8),
        ],
        points=[50] * 8 + [-50],
        now=AFTER,
    )
    assert k.registered == 10
    assert k.attended == 8  # P1–P6 and two walk-ins
    assert k.attendance_rate == 0.6
    assert k.no_shows == 4 and k.still_to_come == 0
    assert k.walk_ins == 2
    assert k.new_prospects == 5  # P3, P5 (prospect when came), P6, P11, P12
    assert k.existing_owners == 2  # P1, P2
    assert k.club_members == 1  # P1 (P12 joined after)
    assert k.referrals == 2
    assert k.new_members == 1  # P6
    assert k.points_awarded == 350
    assert k.avg_rating == 4.0
    assert k.nps == 25.0  # 2 promoters, 1 detractor, 4 answers
    assert k.seats_registered == 12 and k.seats_attended == 10
    assert k.waitlisted == 1 and k.cancelled == 1
    assert k.cost_per_attendee == 125.0
    assert k.arrival_curve == [
        (at(0).isoformat(), 2),
        (at(10).isoformat(), 2),
        (at(20).isoformat(), 2),
        (at(30).isoformat(), 1),
    ]
    assert k.by_source["online_form"] == {"registered": 3, "attended": 2}
    assert k.by_butler["王芳"] == {"registered": 2, "attended": 2}
    assert k.by_butler["李强"] == {"registered": 2, "attended": 1}
    j = k.to_json()
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
        assert key in j


def test_before_the_event_ends_nobody_is_a_no_show_yet() -> None:
    k = event_kpis(open_day(status="published"), REGS, PEOPLE, FIRST, now=at(40))
    assert k.no_shows == 0 and k.still_to_come == 4


def test_an_empty_event_reports_zeros_not_errors() -> None:
    k = event_kpis(open_day(budget=None), [], {}, {}, now=AFTER)
    assert (k.registered, k.attended, k.attendance_rate, k.avg_rating, k.nps) == (
        0,
        0,
        0.0,
        None,
        None,
    )
    assert k.cost_per_attendee is None


def test_status_derivation() -> None:
    assert derive_status("registered", at(1), None, None, False) == "attended"
    assert derive_status("registered", None, 30, 20, True) == "attended"
    assert derive_status("registered", None, 19, 20, True) == "no_show"
    assert derive_status("registered", None, None, None, False) == "registered"
    assert derive_status("cancelled", at(1), None, None, True) == "cancelled"
    assert derive_status("waitlisted", None, None, None, True) == "waitlisted"


def test_nps_is_promoters_minus_detractors() -> None:
    assert nps_score([10, 10, 0, 7]) == 25.0
    assert nps_score([]) is None
