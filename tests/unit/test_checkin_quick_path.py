"""The desk's everyday scan runs on a quick path (a Core connection, the admission's
writes sent together); whatever it answers, it answers and writes exactly what the
general path does. Each story scans two guests in the same situation, one through each
path, and compares what the desk shows and what went into the database.

Runs on SQLite and (with PADDOCK_TEST_PG_URL) on PostgreSQL, where the writes go in one
pipeline.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from desktop_app.domain.timeutil import now_utc
from desktop_app.services import checkin
from desktop_app.services.points import adjust_points
from desktop_app.store.db import Database
from desktop_app.store.models import Person, PointsEntry, Registration, ScanLog
from tests.checkin_support import Seat, make_event, register, reissue

# what the desk shows, apart from who the guest is and when
SHOWN = (
    "result",
    "action",
    "event_id",
    "event_title",
    "party_size",
    "plate",
    "car",
    "club",
    "tier",
    "notes",
    "first_desk",
    "other_event_id",
    "seats_free",
    "window_opens_at",
    "window_closes_at",
    "points_awarded",
    "reason",
    "desk",
    "staff_id",
    "replayed",
    "is_walk_in",
    "gifts",
    "outstanding_cents",
)


def shown(out: checkin.ScanOutcome) -> dict[str, Any]:
    return {k: getattr(out, k) for k in SHOWN}


def written(db: Database, seat: Seat) -> dict[str, Any]:
    """What the scan left in the database for this guest, without ids and times."""
    with db.read() as s:
        reg = s.get(Registration, seat.registration_id)
        person = s.get(Person, seat.person_id)
        assert reg is not None and person is not None
        ledger = s.scalars(
            select(PointsEntry).where(PointsEntry.registration_id == seat.registration_id)
        ).all()
        logs = s.scalars(
            select(ScanLog).where(ScanLog.registration_id == seat.registration_id)
        ).all()
        return {
            "checked_in": reg.checked_in_at is not None,
            "desk": reg.checked_in_desk,
            "status": reg.status,
            "tier": person.tier,
            "ledger": sorted(
                (e.delta, e.kind, e.reason, e.staff_id, e.origin_dealer, e.origin_device)
                for e in ledger
            ),
            "log": sorted(
                (g.action, g.result, g.desk, g.note, g.event_id, g.staff_id, g.origin_dealer)
                for g in logs
            ),
        }


@pytest.fixture
def general_path_only(monkeypatch: pytest.MonkeyPatch) -> Callable[[bool], None]:
    """Switch the quick path off (True) or on again (False)."""
    quick = checkin._scan_on_core

    def switch(off: bool) -> None:
        monkeypatch.setattr(checkin, "_scan_on_core", (lambda *a, **k: None) if off else quick)

    return switch


@pytest.fixture
def quick_answers(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The results the quick path answered itself (None: it left the scan to the other)."""
    seen: list[str] = []
    quick = checkin._scan_on_core

    def spy(*args: Any, **kwargs: Any) -> checkin.ScanOutcome | None:
        out = quick(*args, **kwargs)
        seen.append("general" if out is None else out.result)
        return out

    monkeypatch.setattr(checkin, "_scan_on_core", spy)
    return seen


def both_paths(
    db: Database,
    switch: Callable[[bool], None],
    make: Callable[[str, str], Seat],
    scan: Callable[[Seat], checkin.ScanOutcome],
) -> tuple[checkin.ScanOutcome, checkin.ScanOutcome, Seat, Seat]:
    quick_seat, general_seat = make("李娜", "+8613800138000"), make("王芳", "+8613800138001")
    quick = scan(quick_seat)
    switch(True)
    general = scan(general_seat)
    switch(False)
    assert shown(quick) == shown(general)
    assert written(db, quick_seat) == written(db, general_seat)
    return quick, general, quick_seat, general_seat


def test_an_admission_that_lifts_the_guest_to_silver_is_the_same_on_both_paths(
    dealer_db: Database, general_path_only: Callable[[bool], None], quick_answers: list[str]
) -> None:
    ev = make_event(dealer_db, points=50)

    def make(name: str, phone: str) -> Seat:
        seat = register(dealer_db, ev, name, phone, plate="沪A·D12345", model="星辰 S7")
        adjust_points(dealer_db, seat.person_id, 480, "老车主积分迁移")
        return seat

    quick, _, seat, _ = both_paths(
        dealer_db, general_path_only, make, lambda s: checkin.scan(dealer_db, ev, s.code, desk="A")
    )
    assert quick.accepted and quick.tier == "silver" and quick.points_awarded == 50
    assert written(dealer_db, seat)["tier"] == "silver"
    assert quick_answers == ["accepted"]


@pytest.mark.parametrize(
    "situation",
    ["already_checked_in", "cancelled", "not_open", "revoked", "pending"],
)
def test_a_refusal_the_ticket_alone_explains_is_the_same_on_both_paths(
    dealer_db: Database,
    general_path_only: Callable[[bool], None],
    quick_answers: list[str],
    situation: str,
) -> None:
    later = now_utc() + timedelta(days=1)
    ev = make_event(dealer_db, starts_at=later if situation == "not_open" else None)
    status = {"cancelled": "cancelled", "pending": "pending"}.get(situation, "registered")

    def make(name: str, phone: str) -> Seat:
        seat = register(dealer_db, ev, name, phone, status=status)
        if situation == "already_checked_in":
            assert checkin.scan(dealer_db, ev, seat.code, desk="B").accepted
        if situation == "revoked":
            reissue(dealer_db, seat)
        return seat

    quick, _, _, _ = both_paths(
        dealer_db, general_path_only, make, lambda s: checkin.scan(dealer_db, ev, s.code, desk="A")
    )
    assert quick.result == situation
    if situation == "not_open":
        # the quick path's UPDATE (sent with its read) admitted a guest the window
        # refuses: it rolled back and the general path answered, writing the same rows
        assert quick_answers[-1] == "general"
    else:
        assert quick_answers[-1] == situation  # answered by the quick path itself


def test_a_waitlisted_guest_is_left_to_the_general_path_which_counts_the_seats(
    dealer_db: Database, quick_answers: list[str]
) -> None:
    ev = make_event(dealer_db, capacity=10)
    seat = register(dealer_db, ev, status="waitlisted")
    out = checkin.scan(dealer_db, ev, seat.code, desk="A")
    assert out.result == "waitlisted" and out.seats_free is True
    assert quick_answers == ["general"]


def test_a_resent_scan_through_the_quick_path_returns_the_stored_outcome(
    dealer_db: Database,
) -> None:
    ev = make_event(dealer_db, points=20)
    seat = register(dealer_db, ev)
    nonce = uuid.uuid4()
    first = checkin.scan(dealer_db, ev, seat.code, desk="A", nonce=nonce)
    again = checkin.scan(dealer_db, ev, seat.code, desk="A", nonce=nonce)
    assert first.accepted and not first.replayed
    assert again.result == "accepted" and again.replayed
    assert written(dealer_db, seat)["ledger"][0][0] == 20
    assert len(written(dealer_db, seat)["log"]) == 1


def test_when_another_desk_gets_there_first_the_quick_path_writes_nothing(
    dealer_db: Database, monkeypatch: pytest.MonkeyPatch, quick_answers: list[str]
) -> None:
    """The quick path read the guest as not yet in, but the UPDATE matched no row (the
    other desk's check-in landed in between): its ledger and log rows are rolled back and
    the general path answers already_checked_in with the other desk's time."""
    ev = make_event(dealer_db, points=30)
    seat = register(dealer_db, ev)
    assert checkin.scan(dealer_db, ev, seat.code, desk="B").accepted
    real = checkin._refusal
    calls: list[int] = []

    def first_misses_it(h: Any, *args: Any) -> Any:  # the quick path's read, made stale
        calls.append(1)
        return None if len(calls) == 1 else real(h, *args)

    monkeypatch.setattr(checkin, "_refusal", first_misses_it)
    quick_answers.clear()
    out = checkin.scan(dealer_db, ev, seat.code, desk="A")
    assert out.result == "already_checked_in" and out.first_desk == "B"
    assert quick_answers == ["general"]
    rows = written(dealer_db, seat)
    assert [(e[0], e[1]) for e in rows["ledger"]] == [(30, "checkin")]
    assert sorted(g[1] for g in rows["log"]) == ["accepted", "already_checked_in"]
