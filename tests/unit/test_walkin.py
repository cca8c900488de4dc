"""Walk-ins at the door: phone first, registered and checked in at once; paper lists later."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from desktop_app.domain.errors import ValidationError
from desktop_app.domain.timeutil import now_utc
from desktop_app.services import checkin, walkin
from desktop_app.store.db import Database
from desktop_app.store.models import AuditEntry, Person, Registration, ScanLog
from tests.checkin_support import add_person, make_event, register


def test_a_stranger_becomes_a_prospect_registered_and_checked_in(dealer_db: Database) -> None:
    ev = make_event(dealer_db, points=50)
    res = walkin.walkin(
        dealer_db,
        ev,
        "139 1234 5678",
        "周杰",
        interest_model="星辰 S7",
        wants_test_drive=True,
        marketing_consent=True,
        desk="A",
    )
    assert res.person_created and not res.was_registered
    assert res.outcome.result == "accepted" and res.outcome.is_walk_in
    assert "walk-in" in res.outcome.notes and res.outcome.points_awarded == 50
    with dealer_db.read() as s:
        p = s.get(Person, res.person_id)
        r = s.get(Registration, res.registration_id)
        assert p is not None and r is not None
        assert (p.phone, p.stage, p.source) == ("+8613912345678", "prospect", "walk_in")
        assert p.consent_marketing_at is not None
        assert (r.source, r.is_walk_in, r.interest_model, r.wants_test_drive) == (
            "walk_in",
            True,
            "星辰 S7",
            True,
        )
        assert r.checked_in_at is not None and r.checked_in_desk == "A"
        log = s.scalars(select(ScanLog)).one()
        assert log.action == "manual_check_in" and log.result == "accepted"
        assert s.scalar(select(func.count()).where(AuditEntry.action == "checkin.walk_in")) == 1
    counts = checkin.desk_counts(dealer_db, ev)
    assert (counts.walk_ins, counts.arrived, counts.expected) == (1, 1, 0)


def test_a_known_phone_keeps_the_persons_name(dealer_db: Database) -> None:
    ev = make_event(dealer_db)
    pid = add_person(dealer_db, "王芳", "+8613912345678")
    hits = walkin.find_by_phone(dealer_db, ev, "5678")
    assert [(h.name, h.registration_id) for h in hits] == [("王芳", None)]
    res = walkin.walkin(dealer_db, ev, "13912345678", "王 芳?", desk="A")
    assert res.person_id == pid and not res.person_created
    with dealer_db.read() as s:
        assert s.get(Person, pid).name == "王芳"  # type: ignore[union-attr]


def test_someone_who_had_registered_is_checked_in_on_that_registration(
    dealer_db: Database,
) -> None:
    ev = make_event(dealer_db)
    seat = register(dealer_db, ev, "李娜", "+8613800138000")
    hits = walkin.find_by_phone(dealer_db, ev, "138001380")
    assert hits[0].registration_id == seat.registration_id and not hits[0].checked_in
    res = walkin.walkin(dealer_db, ev, "13800138000", "李娜", desk="B")
    assert res.was_registered and res.registration_id == seat.registration_id
    assert res.outcome.result == "accepted" and not res.outcome.is_walk_in
    again = walkin.walkin(dealer_db, ev, "13800138000", "李娜", desk="C")
    assert again.outcome.result == "already_checked_in" and again.outcome.first_desk == "B"


def test_a_full_event_still_takes_walk_ins_who_count_as_arrived_and_as_walk_ins(
    dealer_db: Database,
) -> None:
    ev = make_event(dealer_db, capacity=1, waitlist=False)
    seat = register(dealer_db, ev, "甲", "+8613800000001")
    checkin.scan(dealer_db, ev, seat.code, desk="A")
    res = walkin.walkin(dealer_db, ev, "13800000002", "乙", desk="A")
    assert res.outcome.accepted
    c = checkin.desk_counts(dealer_db, ev)
    assert (c.expected, c.arrived, c.walk_ins, c.still_to_come) == (1, 2, 1, 0)


def test_a_walk_in_needs_a_valid_phone_and_a_name_and_changes_nothing_otherwise(
    dealer_db: Database,
) -> None:
    ev = make_event(dealer_db)
    with pytest.raises(ValidationError) as err:
        walkin.walkin(dealer_db, ev, "138****1234", "某人", desk="A")
    assert err.value.field == "phone"
    with pytest.raises(ValidationError) as err2:
        walkin.walkin(dealer_db, ev, "13800000003", "  ", desk="A")
    assert err2.value.field == "name"
    with dealer_db.read() as s:
        assert s.scalar(select(func.count()).select_from(Person)) == 0
        assert s.scalar(select(func.count()).select_from(ScanLog)) == 0


def test_a_paper_sign_in_list_marks_attendance_after_the_event(dealer_db: Database) -> None:
    ev = make_event(dealer_db, starts_at=now_utc() - timedelta(days=2), hours=3, points=10)
    seats = [register(dealer_db, ev, f"客{i}", f"+861380000000{i}") for i in range(4)]
    gone = register(dealer_db, ev, "取消", "+8613800000009", status="cancelled")
    staff = None
    checkin.scan(dealer_db, ev, seats[0].code, desk="A", override_window=True)
    res = walkin.bulk_mark_attended(
        dealer_db,
        ev,
        [
            seats[0].registration_id,
            seats[1].registration_id,
            seats[2].registration_id,
            gone.registration_id,
        ],
        staff_id=staff,
    )
    assert (res.marked, res.already) == (2, 1)
    assert res.refused == [
        {"registration_id": str(gone.registration_id), "name": "取消", "result": "cancelled"}
    ]
    with dealer_db.read() as s:
        rows = s.scalars(select(ScanLog).where(ScanLog.action == "manual_check_in")).all()
        assert len(rows) == 4 and {r.desk for r in rows} == {"sign-in sheet"}
    c = checkin.desk_counts(dealer_db, ev)
    assert (c.arrived, c.still_to_come) == (3, 1)


def test_a_walk_in_outside_the_check_in_window_comes_in_and_the_desk_is_told(
    dealer_db: Database,
) -> None:
    """The person is at the desk, so the window does not stop a walk-in (a scan of a
    ticket would need the override) — but the desk sees it was outside the window, in case
    it picked tomorrow's event by mistake."""
    ev = make_event(dealer_db, starts_at=now_utc() + timedelta(days=1))
    res = walkin.walkin(dealer_db, ev, "13912345678", "周杰", desk="A")
    assert res.outcome.result == "accepted" and res.outcome.is_walk_in
    assert "outside the check-in window" in res.outcome.notes
    assert checkin.note_text("outside the check-in window", "zh") == "不在签到时间内"
    now = walkin.walkin(dealer_db, make_event(dealer_db), "13912345679", "李雷", desk="A")
    assert "outside the check-in window" not in now.outcome.notes
