"""Front-desk staff scan tickets: every result of the vocabulary, said clearly, logged always.

Runs on SQLite and (with PADDOCK_TEST_PG_URL) on PostgreSQL through `dealer_db`.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from desktop_app.domain import ticket as payload
from desktop_app.domain.errors import RuleViolation
from desktop_app.domain.timeutil import now_utc
from desktop_app.services import checkin
from desktop_app.store.db import Database
from desktop_app.store.models import (
    Club,
    ClubMembership,
    Person,
    PersonTag,
    PointsEntry,
    Registration,
    ScanLog,
    Vehicle,
)
from tests.checkin_support import add_person, make_event, register, reissue, ticket_key


def log_rows(db: Database) -> list[ScanLog]:
    with db.read() as s:
        return list(s.scalars(select(ScanLog).order_by(ScanLog.scanned_at)))


def points_of(db: Database, person_id: uuid.UUID) -> int:
    with db.read() as s:
        return int(
            s.scalar(
                select(func.coalesce(func.sum(PointsEntry.delta), 0)).where(
                    PointsEntry.person_id == person_id
                )
            )
            or 0
        )


def test_a_registered_guest_is_welcomed_and_gets_the_events_points(dealer_db: Database) -> None:
    ev = make_event(dealer_db, points=50)
    seat = register(dealer_db, ev, "李娜", "+8613800138000", plate="沪A·D12345", model="星辰 S7")
    out = checkin.scan(dealer_db, ev, seat.code, desk="A")
    assert out.result == "accepted" and out.accepted
    assert out.name == "李娜" and out.registration_id == seat.registration_id
    assert out.person_id == seat.person_id and out.event_id == ev
    assert out.plate == "沪A·D12345" and out.car == "星辰 S7"
    assert out.points_awarded == 50 and points_of(dealer_db, seat.person_id) == 50
    assert "first visit" in out.notes
    j = out.to_json()
    for key in ("result", "event_id", "registration_id", "person_id", "name"):
        assert key in j
    assert j["first_desk"] == "A" and j["result"] == "accepted"
    with dealer_db.read() as s:
        r = s.get(Registration, seat.registration_id)
        assert r is not None and r.checked_in_at is not None and r.checked_in_desk == "A"
        entry = s.scalars(select(PointsEntry)).one()
        assert entry.kind == "checkin" and entry.registration_id == seat.registration_id
    [log] = log_rows(dealer_db)
    assert (log.result, log.action, log.desk, log.raw_code) == (
        "accepted",
        "check_in",
        "A",
        seat.code,
    )


def test_a_second_scan_says_when_and_at_which_desk_the_guest_came_in(dealer_db: Database) -> None:
    ev = make_event(dealer_db, points=30)
    seat = register(dealer_db, ev)
    first = checkin.scan(dealer_db, ev, seat.code, desk="A")
    again = checkin.scan(dealer_db, ev, seat.code.lower(), desk="B")
    assert again.result == "already_checked_in"
    assert again.first_desk == "A"
    assert again.first_checked_in_at == first.first_checked_in_at
    assert again.to_json()["first_checked_in_at"] is not None
    assert points_of(dealer_db, seat.person_id) == 30, "points are awarded once"
    assert [x.result for x in log_rows(dealer_db)] == ["accepted", "already_checked_in"]
    assert "desk A" in again.message("en") and "A 号台" in again.message("zh")


def test_a_typo_or_forgery_is_an_invalid_ticket(dealer_db: Database) -> None:
    ev = make_event(dealer_db)
    seat = register(dealer_db, ev)
    broken = seat.code[:-1] + ("A" if seat.code[-1] != "A" else "B")
    out = checkin.scan(dealer_db, ev, broken, desk="A")
    assert out.result == "invalid_ticket" and "signature" in (out.reason or "")
    assert out.registration_id is None
    assert checkin.scan(dealer_db, ev, "hello world", desk="A").result == "invalid_ticket"
    assert checkin.scan(dealer_db, ev, "P1.ABC", desk="A").result == "invalid_ticket"
    assert [x.result for x in log_rows(dealer_db)] == ["invalid_ticket"] * 3


def test_a_genuine_ticket_this_desk_has_no_row_for_is_unknown(dealer_db: Database) -> None:
    ev = make_event(dealer_db)
    genuine = payload.issue(ticket_key(dealer_db), ev)  # signed, never stored
    out = checkin.scan(dealer_db, ev, genuine.code, desk="A")
    assert out.result == "unknown_ticket"
    assert log_rows(dealer_db)[0].result == "unknown_ticket"


def test_a_ticket_for_another_event_names_that_event(dealer_db: Database) -> None:
    today = make_event(dealer_db, "冬季开放日")
    other = make_event(dealer_db, "零件中心探秘之旅", starts_at=now_utc() + timedelta(days=3))
    seat = register(dealer_db, other, "王芳", "+8613912345678")
    out = checkin.scan(dealer_db, today, seat.code, desk="A")
    assert out.result == "wrong_event"
    assert out.other_event_id == other and out.other_event_title == "零件中心探秘之旅"
    assert out.event_id == today and out.event_title == "冬季开放日", "the desk's own event"
    assert out.name == "王芳"
    assert "零件中心探秘之旅" in out.message("zh")
    # not known here, but the payload's event tag still tells which event it is for
    orphan = payload.issue(ticket_key(dealer_db), other)
    out2 = checkin.scan(dealer_db, today, orphan.code, desk="A")
    assert out2.result == "wrong_event" and out2.other_event_id == other


def test_a_cancelled_registration_is_refused_with_the_word_cancelled(dealer_db: Database) -> None:
    ev = make_event(dealer_db)
    seat = register(dealer_db, ev, status="cancelled")
    out = checkin.scan(dealer_db, ev, seat.code, desk="A")
    assert out.result == "cancelled" and out.name == "李娜"
    assert points_of(dealer_db, seat.person_id) == 0


def test_an_old_ticket_after_a_reissue_is_revoked_and_the_new_one_works(
    dealer_db: Database,
) -> None:
    ev = make_event(dealer_db)
    old = register(dealer_db, ev)
    new = reissue(dealer_db, old)
    assert checkin.scan(dealer_db, ev, old.code, desk="A").result == "revoked"
    assert checkin.scan(dealer_db, ev, new.code, desk="A").result == "accepted"


def test_a_waitlisted_guest_can_be_admitted_when_seats_are_free(dealer_db: Database) -> None:
    ev = make_event(dealer_db, capacity=2, points=10)
    register(dealer_db, ev, "甲", "+8613800000001")
    wait = register(dealer_db, ev, "乙", "+8613800000002", status="waitlisted")
    out = checkin.scan(dealer_db, ev, wait.code, desk="A")
    assert out.result == "waitlisted" and out.seats_free is True
    admitted = checkin.admit_waitlisted(dealer_db, ev, wait.registration_id, desk="A")
    assert admitted.result == "accepted" and admitted.points_awarded == 10
    with dealer_db.read() as s:
        assert s.get(Registration, wait.registration_id).status == "registered"  # type: ignore[union-attr]


def test_a_waitlisted_guest_at_a_full_event_needs_a_confirmed_override(
    dealer_db: Database,
) -> None:
    ev = make_event(dealer_db, capacity=1)
    register(dealer_db, ev, "甲", "+8613800000001")
    wait = register(dealer_db, ev, "乙", "+8613800000002", status="waitlisted")
    out = checkin.scan(dealer_db, ev, wait.code, desk="A")
    assert out.result == "waitlisted" and out.seats_free is False
    with pytest.raises(RuleViolation) as err:
        checkin.admit_waitlisted(dealer_db, ev, wait.registration_id, desk="A")
    assert err.value.code == "no_seats_free"
    forced = checkin.admit_waitlisted(dealer_db, ev, wait.registration_id, desk="A", force=True)
    assert forced.result == "accepted"


def test_outside_the_check_in_window_it_is_not_open_unless_overridden(
    dealer_db: Database,
) -> None:
    tomorrow = now_utc() + timedelta(days=1)
    ev = make_event(dealer_db, starts_at=tomorrow)
    seat = register(dealer_db, ev)
    out = checkin.scan(dealer_db, ev, seat.code, desk="A")
    assert out.result == "not_open"
    assert out.window_opens_at == tomorrow - timedelta(hours=2)
    # two hours before the start the door opens by default
    early = checkin.scan(
        dealer_db, ev, seat.code, desk="A", scanned_at=tomorrow - timedelta(minutes=119)
    )
    assert early.result == "accepted"


def test_a_coordinator_can_override_the_window(dealer_db: Database) -> None:
    ev = make_event(dealer_db, starts_at=now_utc() - timedelta(days=1), hours=3)
    seat = register(dealer_db, ev)
    assert checkin.scan(dealer_db, ev, seat.code, desk="A").result == "not_open"
    assert checkin.scan(dealer_db, ev, seat.code, desk="A", override_window=True).accepted


@pytest.mark.parametrize("typed", ["{s}", "{s_lower}", "{s4}-{s8}", " {s4}-{s8_lower} "])
def test_the_short_code_typed_by_hand_checks_in_as_manual(dealer_db: Database, typed: str) -> None:
    ev = make_event(dealer_db)
    seat = register(dealer_db, ev)
    sc = seat.short_code
    text = typed.format(s=sc, s_lower=sc.lower(), s4=sc[:4], s8=sc[4:], s8_lower=sc[4:].lower())
    out = checkin.scan(dealer_db, ev, text, desk="A")
    assert out.result == "accepted" and out.action == "manual_check_in"
    assert log_rows(dealer_db)[0].action == "manual_check_in"


def test_an_unknown_short_code_is_an_unknown_ticket(dealer_db: Database) -> None:
    ev = make_event(dealer_db)
    register(dealer_db, ev)
    out = checkin.scan(dealer_db, ev, "ZZZZ-ZZZZ", desk="A")
    assert out.result == "unknown_ticket" and out.action == "manual_check_in"


def test_check_in_from_a_search_result_by_registration_id(dealer_db: Database) -> None:
    ev = make_event(dealer_db)
    seat = register(dealer_db, ev, "赵磊", "+8615912345678", plate="沪B·12345")
    assert seat.name == "赵磊"
    [hit] = checkin.search_for_checkin(dealer_db, ev, "2345678")
    assert hit.name == "赵磊" and hit.status == "registered"
    out = checkin.manual_check_in(dealer_db, ev, hit.registration_id, desk="A", staff_id=None)
    assert out.accepted and out.action == "manual_check_in"
    [again] = checkin.search_for_checkin(dealer_db, ev, "赵")
    assert again.status == "checked_in" and again.checked_in_desk == "A"


def test_search_finds_by_name_phone_part_plate_and_short_code(dealer_db: Database) -> None:
    ev = make_event(dealer_db)
    a = register(dealer_db, ev, "陈静", "+8613611112222", plate="沪A·D12345")
    b = register(dealer_db, ev, "陈伟", "+8618833334444")
    other = make_event(dealer_db, "别的活动")
    register(dealer_db, other, "陈某", "+8617700001111")
    assert {r.name for r in checkin.search_for_checkin(dealer_db, ev, "陈")} == {"陈静", "陈伟"}
    assert [r.name for r in checkin.search_for_checkin(dealer_db, ev, "3333")] == ["陈伟"]
    assert [r.name for r in checkin.search_for_checkin(dealer_db, ev, "138 3333")] == []
    assert [r.name for r in checkin.search_for_checkin(dealer_db, ev, "d12345")] == ["陈静"]
    assert [r.name for r in checkin.search_for_checkin(dealer_db, ev, "沪A D12345")] == ["陈静"]
    sc = b.short_code
    found = checkin.search_for_checkin(dealer_db, ev, f"{sc[:4]}-{sc[4:]}".lower())
    assert [r.name for r in found] == ["陈伟"]
    assert a.registration_id != b.registration_id


def test_a_guest_registered_without_a_car_is_shown_with_their_own_latest_car(
    dealer_db: Database,
) -> None:
    ev = make_event(dealer_db)
    lina = add_person(dealer_db, "李娜", "+8613800138000")
    with dealer_db.write() as s:
        s.add(
            Vehicle(
                person_id=lina, model="星辰 S5", plate="沪A·11111", purchase_date=date(2020, 5, 1)
            )
        )
        s.add(
            Vehicle(
                person_id=lina, model="星辰 S7", plate="沪A·22222", purchase_date=date(2024, 3, 1)
            )
        )
    seat = register(dealer_db, ev, person_id=lina)
    # someone else's car, added later, must not show up on 李娜's ticket
    other = register(dealer_db, ev, "王伟", "+8613900139000", plate="沪B·99999", model="星辰 X9")
    nobody = register(dealer_db, ev, "赵敏", "+8613700137000")
    out = checkin.scan(dealer_db, ev, seat.code, desk="A")
    assert (out.car, out.plate) == ("星辰 S7", "沪A·22222")
    assert (checkin.scan(dealer_db, ev, other.code, desk="A").car) == "星辰 X9"
    shown = checkin.scan(dealer_db, ev, nobody.code, desk="A")
    assert (shown.car, shown.plate) == (None, None)


def test_the_same_nonce_sent_twice_is_stored_once(dealer_db: Database) -> None:
    ev = make_event(dealer_db, points=20)
    seat = register(dealer_db, ev)
    nonce = uuid.uuid4()
    first = checkin.scan(dealer_db, ev, seat.code, desk="A", nonce=nonce)
    again = checkin.scan(dealer_db, ev, seat.code, desk="B", nonce=nonce)
    assert first.result == again.result == "accepted"
    assert again.replayed and again.desk == "A" and again.first_desk == "A"
    assert len(log_rows(dealer_db)) == 1
    assert points_of(dealer_db, seat.person_id) == 20
    bad = checkin.scan(dealer_db, ev, "garbage", desk="A", nonce="laptop-7:42")
    bad2 = checkin.scan(dealer_db, ev, "garbage", desk="A", nonce="laptop-7:42")
    assert bad.result == bad2.result == "invalid_ticket" and bad2.replayed
    assert len(log_rows(dealer_db)) == 2


def test_a_replayed_nonce_that_would_now_be_accepted_still_writes_nothing(
    dealer_db: Database,
) -> None:
    # Refused before the window opened; the laptop re-sends the same scan later, when the
    # ticket would be accepted: the stored outcome comes back and nothing is written.
    ev = make_event(dealer_db, points=30, starts_at=now_utc() + timedelta(hours=5))
    seat = register(dealer_db, ev)
    nonce = uuid.uuid4()
    first = checkin.scan(dealer_db, ev, seat.code, desk="A", nonce=nonce)
    assert first.result == "not_open"
    again = checkin.scan(dealer_db, ev, seat.code, desk="B", nonce=nonce, override_window=True)
    assert again.result == "not_open" and again.replayed and again.desk == "A"
    assert len(log_rows(dealer_db)) == 1
    assert points_of(dealer_db, seat.person_id) == 0
    fresh = checkin.scan(dealer_db, ev, seat.code, desk="B", override_window=True)
    assert fresh.result == "accepted" and points_of(dealer_db, seat.person_id) == 30


def test_undo_writes_a_new_log_row_and_takes_the_points_back(dealer_db: Database) -> None:
    ev = make_event(dealer_db, points=40)
    seat = register(dealer_db, ev)
    checkin.scan(dealer_db, ev, seat.code, desk="A")
    undo = checkin.undo_checkin(dealer_db, seat.registration_id, desk="A", reason="scanned wrong")
    assert undo.action == "undo" and undo.points_awarded == -40
    assert points_of(dealer_db, seat.person_id) == 0
    with dealer_db.read() as s:
        r = s.get(Registration, seat.registration_id)
        assert r is not None and r.checked_in_at is None
    assert [(x.action, x.result) for x in log_rows(dealer_db)] == [
        ("check_in", "accepted"),
        ("undo", "accepted"),
    ]
    with pytest.raises(RuleViolation) as err:
        checkin.undo_checkin(dealer_db, seat.registration_id, desk="A")
    assert err.value.code == "not_checked_in"
    # checked in again later: the points come again, once
    assert checkin.scan(dealer_db, ev, seat.code, desk="B").accepted
    assert points_of(dealer_db, seat.person_id) == 40


def test_club_drive_check_out_shows_who_is_still_out(dealer_db: Database) -> None:
    ev = make_event(dealer_db, "千岛湖环湖", type="club_drive", capacity=15)
    a = register(dealer_db, ev, "甲", "+8613800000001", plate="沪A·11111")
    b = register(dealer_db, ev, "乙", "+8613800000002", plate="沪A·22222")
    c = register(dealer_db, ev, "丙", "+8613800000003", plate="沪A·33333")
    for x in (a, b):
        checkin.scan(dealer_db, ev, x.code, desk="集合点")
    assert checkin.check_out(dealer_db, ev, c.code, desk="终点").result == "not_checked_in"
    out = checkin.check_out(dealer_db, ev, a.code, desk="终点")
    assert out.result == "accepted" and out.action == "check_out" and out.checked_out_at
    assert checkin.check_out(dealer_db, ev, a.code, desk="终点").result == "already_checked_out"
    assert [r.name for r in checkin.still_out(dealer_db, ev)] == ["乙"]
    counts = checkin.desk_counts(dealer_db, ev)
    assert (counts.arrived, counts.checked_out, counts.still_out) == (2, 1, 1)
    actions = [x.action for x in log_rows(dealer_db)]
    assert actions.count("check_out") == 3


def test_live_counters_count_walk_ins_among_the_arrived_and_say_how_many(
    dealer_db: Database,
) -> None:
    ev = make_event(dealer_db)
    seats = [register(dealer_db, ev, f"客{i}", f"+861380000000{i}", party_size=2) for i in range(4)]
    register(dealer_db, ev, "取消", "+8613800000009", status="cancelled")
    register(dealer_db, ev, "候补", "+8613800000008", status="waitlisted")
    walk = register(dealer_db, ev, "路过", "+8613800000007", is_walk_in=True)
    for x in (*seats[:3], walk):
        assert checkin.scan(dealer_db, ev, x.code, desk="A").accepted
    c = checkin.desk_counts(dealer_db, ev)
    # arrived: everyone who came (3 parties of 2 and the walk-in); still to come: expected
    # people not yet in (the walk-in never was expected)
    assert (c.expected, c.expected_seats, c.arrived, c.arrived_seats) == (4, 8, 4, 7)
    assert (c.walk_ins, c.arrived_registered, c.still_to_come, c.waitlisted) == (1, 3, 1, 1)
    assert c.to_json()["still_to_come"] == 1 and c.to_json()["arrived_registered"] == 3


def test_one_desk_can_admit_two_events_of_today(dealer_db: Database) -> None:
    open_day = make_event(dealer_db, "开放日")
    care = make_event(dealer_db, "养护课堂", type="care_class", capacity=30)
    a = register(dealer_db, open_day, "甲", "+8613800000001")
    b = register(dealer_db, care, "乙", "+8613800000002")
    both = [open_day, care]
    assert checkin.scan(dealer_db, both, a.code, desk="A").event_id == open_day
    out = checkin.scan(dealer_db, both, b.code, desk="A")
    assert out.accepted and out.event_id == care and out.event_title == "养护课堂"
    assert checkin.desk_counts(dealer_db, both).arrived == 2


def test_the_desk_sees_vip_club_tier_and_who_referred_the_guest(dealer_db: Database) -> None:
    ev = make_event(dealer_db)
    referrer = add_person(dealer_db, "王芳", "+8613912345678")
    seat = register(dealer_db, ev, "刘洋", "+8615000000001", referred_by_id=referrer)
    past = make_event(dealer_db, "十月开放日", starts_at=now_utc() - timedelta(days=35))
    old = register(dealer_db, past, person_id=seat.person_id)
    checkin.scan(dealer_db, past, old.code, desk="A", override_window=True)
    with dealer_db.write() as s:
        p = s.get(Person, seat.person_id)
        assert p is not None
        s.add(PointsEntry(person_id=p.id, delta=2500, reason="年度积分迁移", kind="import"))
        s.add(PersonTag(person_id=p.id, tag="VIP"))
        club = Club(name="星辰SUV车友会")
        s.add(club)
        s.flush()
        s.add(ClubMembership(club_id=club.id, person_id=p.id, role="leader"))
    out = checkin.scan(dealer_db, ev, seat.code, desk="A")
    assert out.tier == "gold" and out.club == "星辰SUV车友会"
    assert "VIP" in out.notes and "referred by 王芳" in out.notes
    assert "first visit" not in out.notes


def test_a_guest_registered_through_the_registration_service_checks_in(
    dealer_db: Database,
) -> None:
    registration = pytest.importorskip("desktop_app.services.registration")
    ev = make_event(dealer_db, points=5)
    view = registration.register(dealer_db, ev, phone="13800138000", name="孙丽")
    with dealer_db.read() as s:
        code = s.scalar(select(Registration.ticket_code).where(Registration.id == view.id))
    assert code
    out = checkin.scan(dealer_db, ev, code, desk="A")
    assert out.result == "accepted" and out.name == "孙丽"


def test_the_desk_lists_todays_events_and_its_latest_scans(dealer_db: Database) -> None:
    open_now = make_event(dealer_db, "开放日")
    later = make_event(dealer_db, "晚场见面会", starts_at=now_utc() + timedelta(hours=5))
    make_event(dealer_db, "下周活动", starts_at=now_utc() + timedelta(days=7))
    make_event(dealer_db, "草稿", status="draft")
    day = {e.title: e for e in checkin.events_of_day(dealer_db)}
    assert set(day) == {"开放日", "晚场见面会"}
    assert day["开放日"].is_open and not day["晚场见面会"].is_open
    assert day["晚场见面会"].id == later
    seat = register(dealer_db, open_now, "李娜", "+8613800138000")
    checkin.scan(dealer_db, open_now, "not a ticket", desk="A")
    checkin.scan(dealer_db, open_now, seat.code, desk="A")
    latest = checkin.recent_scans(dealer_db, open_now)
    assert [(x["result"], x["name"]) for x in latest] == [
        ("accepted", "李娜"),
        ("invalid_ticket", None),
    ]


def test_the_log_names_the_staff_member_at_the_desk(dealer_db: Database) -> None:
    from desktop_app.store.models import Staff

    with dealer_db.write() as s:
        clerk = Staff(name="前台小陈", role="front_desk")
        s.add(clerk)
        s.flush()
        clerk_id = clerk.id
    ev = make_event(dealer_db, points=10)
    seat = register(dealer_db, ev)
    out = checkin.scan(dealer_db, ev, seat.code, desk="A", staff_id=str(clerk_id))
    assert out.accepted and out.staff_id == clerk_id
    [log] = log_rows(dealer_db)
    assert log.staff_id == clerk_id and log.desk == "A" and log.scanned_at is not None
    with dealer_db.read() as s:
        entry = s.scalars(select(PointsEntry)).one()
        assert entry.staff_id == clerk_id


def test_a_scan_at_an_event_without_questions_gifts_or_fees_reads_none_of_them(
    dealer_db: Database,
) -> None:
    """The accept path knows from its one read of the ticket whether the event has desk
    questions, gifts or fees: a plain event's scan reads nothing else (those tables appear
    only as EXISTS inside the ticket's read), then writes."""
    from sqlalchemy import event as sa_event

    ev = make_event(dealer_db, points=10)
    first, seat = register(dealer_db, ev, "王芳", "+8613800138001"), register(dealer_db, ev)
    assert checkin.scan(dealer_db, ev, first.code, desk="A").accepted  # the dealer is cached
    statements: list[str] = []

    def seen(_conn: object, _cur: object, sql: str, *_: object) -> None:
        statements.append(" ".join(sql.split()))

    sa_event.listen(dealer_db.engine, "before_cursor_execute", seen)
    try:
        out = checkin.scan(dealer_db, ev, seat.code, desk="A")
    finally:
        sa_event.remove(dealer_db.engine, "before_cursor_execute", seen)
    assert out.accepted and out.gifts == () and out.outstanding_cents is None
    reads = [
        sql for sql in statements if sql.upper().startswith("SELECT") and "FROM staff" not in sql
    ]
    assert len(reads) == 1
    assert "questions" in reads[0] and "gifts" in reads[0] and "fee_items" in reads[0]
