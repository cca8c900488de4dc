"""Approval for invite-only meetups: pending holds no seat; approval is where capacity is
checked; declining keeps the record; the desk can approve and admit."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from sqlalchemy import select

from desktop_app.domain.errors import ConfirmationRequired, PermissionDenied, RuleViolation
from desktop_app.domain.timeutil import now_utc
from desktop_app.services import approval, auth
from desktop_app.services.checkin import manual_check_in, search_for_checkin
from desktop_app.services.events import get_event
from desktop_app.services.registration import (
    cancel,
    list_registrations,
    occupancy,
    register,
)
from desktop_app.services.walkin import walkin
from desktop_app.store.db import Database
from desktop_app.store.models import Event, Registration, Ticket
from tests.checkin_support import make_event


def _meetup(db: Database, capacity: int = 2, **kw: object) -> uuid.UUID:
    ev = make_event(db, "同城会", type="city_meetup", capacity=capacity, waitlist=False, **kw)  # type: ignore[arg-type]
    with db.write() as s:
        e = s.get(Event, ev)
        assert e is not None
        e.requires_approval = True
    return ev


def _apply(db: Database, ev: uuid.UUID, n: int, party: int = 1) -> list[uuid.UUID]:
    return [
        register(db, ev, phone=f"1380013{8000 + i}", name=f"申请人{i}", party_size=party).id
        for i in range(n)
    ]


def test_applications_arrive_pending_hold_no_seat_and_have_no_ticket(dealer_db: Database) -> None:
    ev = _meetup(dealer_db, capacity=2)
    ids = _apply(dealer_db, ev, 5)  # more applicants than seats: the dealer picks
    regs = list_registrations(dealer_db, ev)
    assert {v.status for v in regs} == {"pending"}
    assert all(v.ticket_code is None for v in regs)
    occ = occupancy(dealer_db, ev)
    assert (occ.used, occ.waitlisted) == (0, 0)
    with dealer_db.read() as s:
        assert s.scalars(select(Ticket)).first() is None
    assert approval.pending_counts(dealer_db) == {ev: 5}
    assert get_event(dealer_db, ev).pending == 5
    assert len(ids) == 5


def test_approving_seats_in_order_then_waitlists_and_the_override_seats_anyway(
    dealer_db: Database,
) -> None:
    ev = _meetup(dealer_db, capacity=2)
    a, b, c, d = _apply(dealer_db, ev, 4)
    rep = approval.approve(dealer_db, [a, b, c])
    assert [x.result for x in rep.items] == ["registered", "registered", "waitlisted"]
    assert rep.items[0].ticket_code and rep.items[2].ticket_code is None
    over = approval.approve(dealer_db, [d], over_capacity=True)
    assert over.items[0].result == "registered"
    assert occupancy(dealer_db, ev).used == 3
    again = approval.approve(dealer_db, [a])
    assert again.items[0].result == "skipped" and again.items[0].code == "not_pending"
    assert "registered" in again.items[0].reason_text("en")


def test_a_waitlisted_approval_is_promoted_when_a_seat_frees(dealer_db: Database) -> None:
    ev = _meetup(dealer_db, capacity=1)
    a, b = _apply(dealer_db, ev, 2)
    approval.approve(dealer_db, [a, b])
    res = cancel(dealer_db, a, "有事")
    assert [p.id for p in res.promoted] == [b]


def test_declining_keeps_the_record_with_its_reason_and_is_never_a_no_show(
    dealer_db: Database,
) -> None:
    ev = _meetup(dealer_db, capacity=5)
    a, b = _apply(dealer_db, ev, 2)
    with dealer_db.write() as s:  # the event is over
        e = s.get(Event, ev)
        assert e is not None
        e.ends_at = now_utc() - timedelta(minutes=5)
    rep = approval.decline(dealer_db, [a], "车型不符")
    assert rep.items[0].result == "declined" and rep.items[0].reason == "车型不符"
    views = {v.id: v for v in list_registrations(dealer_db, ev)}  # the event is over now
    assert views[a].status == "declined" and views[a].decline_reason == "车型不符"
    assert views[b].status == "pending", "pending is never a no-show"
    assert views[a].to_json()["decided_at"] is not None
    back = approval.approve(dealer_db, [a])
    assert back.items[0].result == "registered", "a declined application can still be approved"


def test_cancelling_a_pending_application_promotes_nobody(dealer_db: Database) -> None:
    ev = _meetup(dealer_db, capacity=1)
    a, b, c = _apply(dealer_db, ev, 3)
    approval.approve(dealer_db, [a, b])  # b waits
    res = cancel(dealer_db, c)
    assert res.registration.status == "cancelled" and res.promoted == ()


def test_the_desk_says_pending_and_a_coordinator_approves_and_admits(dealer_db: Database) -> None:
    ev = _meetup(dealer_db, capacity=1)
    a, b = _apply(dealer_db, ev, 2)
    approval.approve(dealer_db, [a])
    hit = search_for_checkin(dealer_db, ev, "申请人1")
    assert hit[0].status == "pending"
    out = manual_check_in(dealer_db, ev, b, desk="A")
    assert out.result == "pending" and "awaiting approval" in out.message("en")
    with pytest.raises(RuleViolation) as err:  # the event is full: the desk asks first
        approval.approve_and_admit(dealer_db, ev, b, desk="A")
    assert err.value.code == "no_seats_free"
    out = approval.approve_and_admit(dealer_db, ev, b, desk="A", over_capacity=True)
    assert out.result == "accepted" and out.action == "manual_check_in"
    with dealer_db.read() as s:
        r = s.get(Registration, b)
        assert r.status == "registered" and r.checked_in_at is not None and r.ticket_code


def test_front_desk_staff_may_not_approve(dealer_db: Database) -> None:
    ev = _meetup(dealer_db, capacity=5)
    (a,) = _apply(dealer_db, ev, 1)
    auth.add_account(dealer_db, "王店长", "admin", "246810")
    auth.bind(dealer_db, auth.sign_in(dealer_db, "王店长", "246810"))
    auth.add_account(dealer_db, "小李", "front_desk", "1357")
    auth.bind(dealer_db, auth.sign_in(dealer_db, "小李", "1357"))
    with pytest.raises(PermissionDenied):
        approval.approve(dealer_db, [a])
    with pytest.raises(PermissionDenied):
        approval.approve_and_admit(dealer_db, ev, a, desk="A")


def test_a_walk_in_at_an_invite_only_event_asks_then_approves_at_the_door(
    dealer_db: Database,
) -> None:
    ev = _meetup(dealer_db, capacity=1)
    with pytest.raises(ConfirmationRequired) as err:
        walkin(dealer_db, ev, "13912345678", "赵六", desk="A")
    assert err.value.code == "walkin_needs_approval"
    res = walkin(dealer_db, ev, "13912345678", "赵六", desk="A", approve=True)
    assert res.outcome.result == "accepted"
    (a,) = _apply(dealer_db, ev, 1)  # an applicant who comes to the door
    res = walkin(dealer_db, ev, "13800138000", None, desk="A", approve=True)
    assert res.registration_id == a and res.was_registered and res.outcome.result == "accepted"


def test_today_says_how_many_await_approval_and_butlers_see_their_people(
    dealer_db: Database,
) -> None:
    from desktop_app.services.reports import today_overview
    from desktop_app.services.staff import create_staff
    from desktop_app.store.models import Person

    ev = _meetup(dealer_db, capacity=3)
    a, b, c = _apply(dealer_db, ev, 3)
    approval.approve(dealer_db, [a])
    butler = create_staff(dealer_db, "张管家")
    with dealer_db.write() as s:
        r = s.get(Registration, b)
        s.get(Person, r.person_id).butler_id = butler.id
    today = today_overview(dealer_db)
    assert today.pending == 2 and today.to_json()["awaiting_approval"][0]["pending"] == 2
    mine = approval.pending_of(dealer_db, ev, butler.id)
    assert [p.registration_id for p in mine] == [b]
    assert [p.registration_id for p in approval.pending_of(dealer_db, ev, "none")] == [c]
