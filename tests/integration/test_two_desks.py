"""Two desks (two processes) scan the same tickets at the same moment: exactly one is
accepted, the other hears already_checked_in — on one SQLite file in WAL mode and on
PostgreSQL (with PADDOCK_TEST_PG_URL). Then a 1,000-scan burst from two desks: nothing
lost, nothing accepted twice.
"""

from __future__ import annotations

import multiprocessing as mp
import uuid
from collections import Counter
from typing import Any

from sqlalchemy import func, select

from desktop_app.services.checkin import scan
from desktop_app.store.db import Database, open_database
from desktop_app.store.models import Registration, ScanLog
from tests.checkin_support import make_event, populate

RACES = 100
BURST_TICKETS = 500  # two desks x 500 = 1,000 scans


def _desk(
    url: str,
    desk: str,
    event_id: str,
    codes: list[str],
    barrier: Any,
    per_scan_barrier: bool,
    out: Any,
) -> None:
    """A desk process: open the shared database and scan `codes` in order."""
    db = open_database(url)
    results: list[tuple[str, str, str | None]] = []
    try:
        barrier.wait(timeout=60)
        for code in codes:
            if per_scan_barrier:
                barrier.wait(timeout=60)
            o = scan(db, event_id, code, desk=desk)
            results.append((code, o.result, o.first_desk))
    finally:
        db.close()
        out.put((desk, results))


def _run_two_desks(
    db: Database, event_id: uuid.UUID, codes_a: list[str], codes_b: list[str], lockstep: bool
) -> dict[str, list[tuple[str, str, str | None]]]:
    ctx = mp.get_context("spawn")
    barrier = ctx.Barrier(2)
    out = ctx.Queue()
    procs = [
        ctx.Process(target=_desk, args=(db.url, d, str(event_id), c, barrier, lockstep, out))
        for d, c in (("A", codes_a), ("B", codes_b))
    ]
    for p in procs:
        p.start()
    got = dict(out.get(timeout=120) for _ in procs)
    for p in procs:
        p.join(timeout=30)
        assert p.exitcode == 0
    return got


def _accepted_per_registration(db: Database, event_id: uuid.UUID) -> Counter[uuid.UUID]:
    with db.read() as s:
        rows = s.scalars(
            select(ScanLog.registration_id).where(
                ScanLog.event_id == event_id, ScanLog.result == "accepted"
            )
        )
        return Counter(rows)


def test_the_same_ticket_at_the_same_moment_is_accepted_exactly_once(
    dealer_db: Database,
) -> None:
    ev = make_event(dealer_db, capacity=None, points=10)
    codes = populate(dealer_db, ev, RACES)
    got = _run_two_desks(dealer_db, ev, codes, codes, lockstep=True)
    a, b = got["A"], got["B"]
    assert len(a) == len(b) == RACES
    wins = Counter()
    for (code_a, ra, fa), (code_b, rb, fb) in zip(a, b, strict=True):
        assert code_a == code_b
        assert sorted((ra, rb)) == ["accepted", "already_checked_in"], (ra, rb)
        winner = "A" if ra == "accepted" else "B"
        assert fa == fb == winner, "the loser is told which desk was first"
        wins[winner] += 1
    assert sum(wins.values()) == RACES
    accepted = _accepted_per_registration(dealer_db, ev)
    assert len(accepted) == RACES and set(accepted.values()) == {1}
    with dealer_db.read() as s:
        assert s.scalar(select(func.count()).select_from(ScanLog)) == 2 * RACES


def test_a_burst_of_1000_scans_from_two_desks_loses_nothing_and_doubles_nothing(
    dealer_db: Database,
) -> None:
    ev = make_event(dealer_db, capacity=None)
    codes = populate(dealer_db, ev, BURST_TICKETS, phone_base=13700000000)
    # desk A from the front, desk B from the back: they meet in the middle
    got = _run_two_desks(dealer_db, ev, codes, list(reversed(codes)), lockstep=False)
    results = [r for desk in got.values() for _, r, _ in desk]
    assert len(results) == 2 * BURST_TICKETS
    assert Counter(results) == {"accepted": BURST_TICKETS, "already_checked_in": BURST_TICKETS}
    accepted = _accepted_per_registration(dealer_db, ev)
    assert len(accepted) == BURST_TICKETS and set(accepted.values()) == {1}
    with dealer_db.read() as s:
        assert s.scalar(select(func.count()).select_from(ScanLog)) == 2 * BURST_TICKETS
        inside = s.scalar(
            select(func.count())
            .select_from(Registration)
            .where(Registration.event_id == ev, Registration.checked_in_at.is_not(None))
        )
        assert inside == BURST_TICKETS
