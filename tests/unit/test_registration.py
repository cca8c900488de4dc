"""Front desk and butlers register people: seats, waitlist, club-drive cars, windows, duplicates.

Runs on SQLite and (with PADDOCK_TEST_PG_URL) on PostgreSQL through the `dealer_db` fixture.
"""

from __future__ import annotations

import threading
import uuid
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from desktop_app.domain.enums import EventStatus, EventType
from desktop_app.domain.errors import NotFound, PaddockError, RuleViolation, ValidationError
from desktop_app.domain.timeutil import now_utc
from desktop_app.services import events
from desktop_app.services import registration as reg
from desktop_app.services.events import EventDraft
from desktop_app.store.db import Database, open_database
from desktop_app.store.models import Event, Person, Registration, Ticket, Vehicle

SOON = now_utc().replace(microsecond=0) + timedelta(days=5)


def make_event(db: Database, status: str = EventStatus.PUBLISHED, **kw: Any) -> uuid.UUID:
    draft = replace(
        EventDraft(
            title="冬季开放日",
            type=EventType.OPEN_DAY,
            starts_at=SOON,
            ends_at=SOON + timedelta(hours=7),
            venue="浦东展厅",
            capacity=None,
        ),
        **kw,
    )
    e = events.create_event(db, draft)
    path = {
        EventStatus.DRAFT: [],
        EventStatus.PUBLISHED: ["published"],
        EventStatus.CLOSED: ["published", "closed"],
        EventStatus.COMPLETED: ["published", "completed"],
        EventStatus.CANCELLED: ["published", "cancelled"],
    }[EventStatus(status)]
    for step in path:
        events.set_status(db, e.id, step, confirm=True)
    return e.id


def drive(db: Database, max_cars: int = 2, **kw: Any) -> uuid.UUID:
    return make_event(
        db,
        type=EventType.CLUB_DRIVE,
        title="千岛湖自驾",
        venue=None,
        capacity=30,
        details={"meeting_point": "G60 松江服务区", "max_cars": max_cars},
        **kw,
    )


def phone(n: int) -> str:
    return f"139{n:08d}"


def count(db: Database, model: Any) -> int:
    with db.read() as s:
        return s.scalar(select(func.count()).select_from(model)) or 0


# --------------------------------------------------------------------------- basics


def test_registering_by_phone_creates_a_prospect_and_issues_a_ticket(dealer_db: Database) -> None:
    ev = make_event(dealer_db)
    v = reg.register(dealer_db, ev, phone="138 0013 8000", name=" 张伟 ", source="online_form")
    data = v.to_json()
    for key in ("id", "event_id", "person_id", "name", "status", "ticket_code", "checked_in"):
        assert key in data
    assert data["status"] == "registered" and data["checked_in"] is False
    assert data["name"] == "张伟" and data["phone"] == "+8613800138000"
    assert data["ticket_code"].startswith("P1.") and len(data["short_code"]) == 8
    with dealer_db.read() as s:
        p = s.get(Person, v.person_id)
        assert p is not None and p.stage == "prospect" and p.source == "online_form"
        t = s.scalars(select(Ticket).where(Ticket.registration_id == v.id)).one()
        assert t.code == v.ticket_code and t.serial == 1 and t.revoked_at is None


def test_an_existing_person_is_found_by_phone_not_duplicated(dealer_db: Database) -> None:
    ev1, ev2 = make_event(dealer_db), make_event(dealer_db, title="车主见面会")
    a = reg.register(dealer_db, ev1, phone="13800138000", name="张伟")
    b = reg.register(dealer_db, ev2, phone="+86 138-0013-8000", name="张伟伟")
    assert a.person_id == b.person_id and b.name == "张伟"
    assert count(dealer_db, Person) == 1
    c = reg.register(dealer_db, ev2, phone="13900139000", name="李")
    d = reg.register(dealer_db, ev1, c.person_id)
    assert d.person_id == c.person_id


def test_registering_twice_says_it_exists_and_changes_nothing(dealer_db: Database) -> None:
    ev = make_event(dealer_db)
    v = reg.register(dealer_db, ev, phone=phone(1), name="王芳")
    with pytest.raises(RuleViolation) as err:
        reg.register(dealer_db, ev, v.person_id, party_size=3)
    assert "already registered" in str(err.value) and "registered" in str(err.value)
    assert "王芳" in err.value.localized("zh") and "已报名" in err.value.localized("zh")
    assert reg.get_registration(dealer_db, v.id).party_size == 1


def test_registering_again_after_cancelling_reactivates_with_the_same_ticket(
    dealer_db: Database,
) -> None:
    ev = make_event(dealer_db)
    v = reg.register(dealer_db, ev, phone=phone(1), name="王芳")
    reg.cancel(dealer_db, v.id, reason="出差")
    again = reg.register(dealer_db, ev, v.person_id, party_size=2)
    assert again.id == v.id and again.reactivated and again.status == "registered"
    assert again.ticket_code == v.ticket_code and again.cancel_reason is None
    assert again.party_size == 2
    assert count(dealer_db, Registration) == 1


def test_cancelling_twice_is_refused(dealer_db: Database) -> None:
    ev = make_event(dealer_db)
    v = reg.register(dealer_db, ev, phone=phone(1), name="王芳")
    res = reg.cancel(dealer_db, v.id, reason=" 生病 ")
    assert res.registration.status == "cancelled" and res.registration.cancel_reason == "生病"
    with pytest.raises(RuleViolation, match="already cancelled"):
        reg.cancel(dealer_db, v.id)


def test_bad_phone_or_missing_name_is_refused_and_nothing_is_created(dealer_db: Database) -> None:
    ev = make_event(dealer_db)
    with pytest.raises(ValidationError) as err:
        reg.register(dealer_db, ev, phone="138****8000", name="张")
    assert err.value.field == "phone" and "masked" in str(err.value)
    with pytest.raises(ValidationError) as err:
        reg.register(dealer_db, ev, phone="13800138000", name="  ")
    assert err.value.field == "name"
    with pytest.raises(ValidationError):
        reg.register(dealer_db, ev)
    with pytest.raises(ValidationError):
        reg.register(dealer_db, ev, phone=phone(1), name="x", source="facebook")
    with pytest.raises(ValidationError):
        reg.register(dealer_db, ev, phone=phone(1), name="x", party_size=0)
    with pytest.raises(NotFound):
        reg.register(dealer_db, ev, "not-a-uuid")
    assert count(dealer_db, Person) == 0 and count(dealer_db, Registration) == 0


# --------------------------------------------------------------------------- capacity


def test_capacity_counts_party_seats_and_a_full_event_without_waitlist_refuses(
    dealer_db: Database,
) -> None:
    ev = make_event(dealer_db, capacity=5)
    reg.register(dealer_db, ev, phone=phone(1), name="甲", party_size=3)
    reg.register(dealer_db, ev, phone=phone(2), name="乙", party_size=2)
    occ = reg.occupancy(dealer_db, ev)
    assert (occ.used, occ.capacity, occ.free, occ.unit) == (5, 5, 0, "seats")
    with pytest.raises(RuleViolation) as err:
        reg.register(dealer_db, ev, phone=phone(3), name="丙")
    assert "full (5 of 5 seats)" in str(err.value) and "no waitlist" in str(err.value)
    assert count(dealer_db, Registration) == 2
    assert count(dealer_db, Person) == 2  # the refused person was not created either


def test_a_party_bigger_than_the_event_is_refused(dealer_db: Database) -> None:
    ev = make_event(dealer_db, capacity=4, waitlist_enabled=True)
    with pytest.raises(ValidationError) as err:
        reg.register(dealer_db, ev, phone=phone(1), name="甲", party_size=5)
    assert err.value.field == "party_size"


def test_a_full_event_waitlists_in_order_and_cancelling_promotes_the_next(
    dealer_db: Database,
) -> None:
    ev = make_event(dealer_db, capacity=2, waitlist_enabled=True)
    a = reg.register(dealer_db, ev, phone=phone(1), name="甲")
    reg.register(dealer_db, ev, phone=phone(2), name="乙")
    w1 = reg.register(dealer_db, ev, phone=phone(3), name="丙")
    w2 = reg.register(dealer_db, ev, phone=phone(4), name="丁")
    assert (w1.status, w1.waitlist_position, w1.ticket_code) == ("waitlisted", 1, None)
    assert (w2.status, w2.waitlist_position) == ("waitlisted", 2)
    res = reg.cancel(dealer_db, a.id, reason="有事")
    assert [p.name for p in res.promoted] == ["丙"]
    promoted = res.promoted[0]
    assert promoted.status == "registered" and promoted.ticket_code and promoted.promoted
    assert reg.get_registration(dealer_db, w2.id).waitlist_position == 1
    assert res.to_json()["promoted"][0]["name"] == "丙"
    occ = reg.occupancy(dealer_db, ev)
    assert (occ.used, occ.waitlisted, occ.registrations) == (2, 1, 2)


def test_promotion_skips_a_party_that_does_not_fit_but_keeps_its_place(
    dealer_db: Database,
) -> None:
    ev = make_event(dealer_db, capacity=3, waitlist_enabled=True)
    a = reg.register(dealer_db, ev, phone=phone(1), name="甲", party_size=1)
    reg.register(dealer_db, ev, phone=phone(2), name="乙", party_size=2)
    family = reg.register(dealer_db, ev, phone=phone(3), name="丙", party_size=4 - 1)
    single = reg.register(dealer_db, ev, phone=phone(4), name="丁", party_size=1)
    assert family.status == single.status == "waitlisted"
    res = reg.cancel(dealer_db, a.id)
    assert [p.name for p in res.promoted] == ["丁"]
    assert reg.get_registration(dealer_db, family.id).waitlist_position == 1


def test_cancelling_a_waitlisted_registration_promotes_nobody(dealer_db: Database) -> None:
    ev = make_event(dealer_db, capacity=1, waitlist_enabled=True)
    reg.register(dealer_db, ev, phone=phone(1), name="甲")
    w1 = reg.register(dealer_db, ev, phone=phone(2), name="乙")
    w2 = reg.register(dealer_db, ev, phone=phone(3), name="丙")
    assert reg.cancel(dealer_db, w1.id).promoted == ()
    assert reg.get_registration(dealer_db, w2.id).waitlist_position == 1


def test_raising_capacity_and_promoting_fills_from_the_waitlist(dealer_db: Database) -> None:
    ev = make_event(dealer_db, capacity=1, waitlist_enabled=True)
    reg.register(dealer_db, ev, phone=phone(1), name="甲")
    reg.register(dealer_db, ev, phone=phone(2), name="乙")
    reg.register(dealer_db, ev, phone=phone(3), name="丙")
    e = events.get_event(dealer_db, ev)
    events.update_event(dealer_db, ev, replace(e.draft(), capacity=2))
    assert [p.name for p in reg.promote_waitlist(dealer_db, ev)] == ["乙"]


def test_a_walk_in_may_be_let_in_over_capacity_by_the_desk(dealer_db: Database) -> None:
    ev = make_event(dealer_db, capacity=1)
    reg.register(dealer_db, ev, phone=phone(1), name="甲")
    v = reg.register(
        dealer_db, ev, phone=phone(2), name="乙", source="walk_in", allow_over_capacity=True
    )
    assert v.status == "registered" and v.is_walk_in
    assert reg.occupancy(dealer_db, ev).used == 2


# --------------------------------------------------------------------------- club drives


def test_a_club_drive_counts_cars_and_needs_a_valid_plate(dealer_db: Database) -> None:
    ev = drive(dealer_db, max_cars=2)
    with pytest.raises(ValidationError) as err:
        reg.register(dealer_db, ev, phone=phone(1), name="甲", source="club")
    assert err.value.field == "plate" and "needs a car" in str(err.value)
    with pytest.raises(ValidationError) as err:
        reg.register(dealer_db, ev, phone=phone(1), name="甲", plate="沪I12345")
    assert err.value.field == "plate"
    a = reg.register(
        dealer_db, ev, phone=phone(1), name="甲", plate="沪a·d12345", passengers=3,
        driver_consent=True, source="club",
    )  # fmt: skip
    assert (a.plate, a.passengers, a.party_size) == ("沪AD12345", 3, 4)
    assert a.driver_consent_at is not None
    reg.register(dealer_db, ev, phone=phone(2), name="乙", plate="沪B12345", passengers=4)
    occ = reg.occupancy(dealer_db, ev)
    assert (occ.unit, occ.used, occ.capacity) == ("cars", 2, 2)
    with pytest.raises(RuleViolation, match="2 of 2 cars"):
        reg.register(dealer_db, ev, phone=phone(3), name="丙", plate="沪C12345")


def test_a_club_drive_takes_the_plate_from_the_persons_vehicle(dealer_db: Database) -> None:
    ev = drive(dealer_db)
    owner = reg.register(dealer_db, make_event(dealer_db), phone=phone(1), name="甲")
    other = reg.register(dealer_db, make_event(dealer_db), phone=phone(2), name="乙")
    with dealer_db.write() as s:
        car = Vehicle(person_id=owner.person_id, plate="沪AD55555", model="星辰 S7")
        s.add(car)
        s.flush()
        car_id = car.id
    v = reg.register(dealer_db, ev, owner.person_id, vehicle_id=car_id)
    assert v.plate == "沪AD55555" and v.vehicle_id == car_id
    with pytest.raises(ValidationError) as err:
        reg.register(dealer_db, ev, other.person_id, vehicle_id=car_id)
    assert err.value.field == "vehicle"


# --------------------------------------------------------------------------- status / window


@pytest.mark.parametrize("status", ["draft", "closed", "completed", "cancelled"])
def test_only_published_events_take_registrations(dealer_db: Database, status: str) -> None:
    ev = make_event(dealer_db, status=status)
    with pytest.raises(RuleViolation) as err:
        reg.register(dealer_db, ev, phone=phone(1), name="甲")
    assert f"a {status} event does not accept registrations" in str(err.value)


def test_a_walk_in_is_taken_at_a_closed_event_but_never_at_a_cancelled_one(
    dealer_db: Database,
) -> None:
    closed = make_event(dealer_db, status="closed")
    assert reg.register(dealer_db, closed, phone=phone(1), name="甲", source="walk_in").is_walk_in
    cancelled = make_event(dealer_db, status="cancelled")
    with pytest.raises(RuleViolation, match="cancelled event"):
        reg.register(dealer_db, cancelled, phone=phone(1), name="甲", source="walk_in")


def test_the_registration_window_is_enforced_except_for_walk_ins(dealer_db: Database) -> None:
    now = now_utc()
    later = make_event(
        dealer_db,
        registration_opens_at=now + timedelta(days=1),
        registration_closes_at=now + timedelta(days=2),
    )
    with pytest.raises(RuleViolation, match="registration opens at"):
        reg.register(dealer_db, later, phone=phone(1), name="甲")
    gone = make_event(
        dealer_db,
        registration_opens_at=now - timedelta(days=3),
        registration_closes_at=now - timedelta(days=1),
    )
    with pytest.raises(RuleViolation, match="registration closed at"):
        reg.register(dealer_db, gone, phone=phone(1), name="甲")
    assert reg.register(dealer_db, gone, phone=phone(1), name="甲", source="walk_in")


def test_attended_and_no_show_are_derived_after_the_event(dealer_db: Database) -> None:
    ev = make_event(dealer_db, min_online_minutes=30, format="hybrid", online_link="https://x.cn")
    came = reg.register(dealer_db, ev, phone=phone(1), name="甲")
    online = reg.register(dealer_db, ev, phone=phone(2), name="乙")
    short = reg.register(dealer_db, ev, phone=phone(3), name="丙")
    absent = reg.register(dealer_db, ev, phone=phone(4), name="丁")
    gone = reg.register(dealer_db, ev, phone=phone(5), name="戊")
    reg.cancel(dealer_db, gone.id)
    with dealer_db.write() as s:
        s.get(Registration, came.id).checked_in_at = now_utc()  # type: ignore[union-attr]
        s.get(Registration, online.id).online_minutes = 45  # type: ignore[union-attr]
        s.get(Registration, short.id).online_minutes = 10  # type: ignore[union-attr]
    before = {v.name: v.status for v in reg.list_registrations(dealer_db, ev)}
    assert before == {"甲": "attended", "乙": "attended", "丙": "registered", "丁": "registered",
                      "戊": "cancelled"}  # fmt: skip
    events.set_status(dealer_db, ev, "completed")
    after = {v.name: v.status for v in reg.list_registrations(dealer_db, ev)}
    assert after == {"甲": "attended", "乙": "attended", "丙": "no_show", "丁": "no_show",
                     "戊": "cancelled"}  # fmt: skip
    assert [v.name for v in reg.list_registrations(dealer_db, ev, ["no_show"])] == ["丙", "丁"]
    assert reg.derive_after_event(dealer_db, ev)["attended"] == 2
    with pytest.raises(ValidationError):
        reg.list_registrations(dealer_db, ev, ["came"])
    assert absent.id in {
        v.id for v in reg.list_registrations(dealer_db, ev, sources=["phone_invite"])
    }


def test_derive_status_rules() -> None:
    now = now_utc()
    kw: dict[str, Any] = dict(
        checked_in_at=None, online_minutes=None, min_online_minutes=None,
        event_status="published", event_ends_at=now + timedelta(hours=1), now=now,
    )  # fmt: skip
    assert reg.derive_status("registered", **kw) == "registered"
    # online: the event's minimum, else domain.kpi's default of 10 minutes
    assert reg.derive_status("registered", **kw | {"online_minutes": 9}) == "registered"
    assert reg.derive_status("registered", **kw | {"online_minutes": 10}) == "attended"
    assert (
        reg.derive_status("registered", **kw | {"online_minutes": 1, "min_online_minutes": 1})
        == "attended"
    )
    assert (
        reg.derive_status("registered", **kw | {"event_ends_at": now - timedelta(1)}) == "no_show"
    )
    assert reg.derive_status("waitlisted", **kw | {"event_status": "completed"}) == "waitlisted"
    assert reg.derive_status("registered", **kw | {"event_status": "cancelled",
                             "event_ends_at": now - timedelta(1)}) == "registered"  # fmt: skip


def test_referrals_and_butler_invites_are_recorded(dealer_db: Database) -> None:
    from desktop_app.store.models import Staff

    ev = make_event(dealer_db)
    friend = reg.register(dealer_db, ev, phone=phone(1), name="甲")
    with dealer_db.write() as s:
        butler = Staff(name="管家小陈")
        s.add(butler)
        s.flush()
        butler_id = butler.id
    v = reg.register(
        dealer_db, ev, phone=phone(2), name="乙", source="referral",
        referred_by_id=friend.person_id, invited_by_id=butler_id,
    )  # fmt: skip
    assert v.referred_by_id == friend.person_id and v.invited_by_id == butler_id
    with pytest.raises(NotFound):
        reg.register(dealer_db, ev, phone=phone(3), name="丙", referred_by_id=butler_id)


# --------------------------------------------------------------------------- concurrency


def test_two_desks_registering_the_last_seats_at_once_never_overbook(
    dealer_db: Database,
) -> None:
    ev = make_event(dealer_db, capacity=3)
    desks = [open_database(dealer_db.url) for _ in range(6)]
    results: list[str] = []
    lock = threading.Lock()
    barrier = threading.Barrier(len(desks))

    def desk(n: int, db: Database) -> None:
        barrier.wait()
        try:
            reg.register(db, ev, phone=phone(100 + n), name=f"客{n}")
            out = "ok"
        except PaddockError:
            out = "full"
        with lock:
            results.append(out)

    threads = [threading.Thread(target=desk, args=(n, d)) for n, d in enumerate(desks)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for d in desks:
        d.close()
    assert sorted(results) == ["full"] * 3 + ["ok"] * 3
    assert reg.occupancy(dealer_db, ev).used == 3
    with dealer_db.read() as s:
        assert s.scalar(select(func.count()).select_from(Event)) == 1
