"""Two desks (two processes) hand the last gift at the same moment: exactly one succeeds,
the other hears no_gift_left — on one SQLite file in WAL mode and on PostgreSQL. And two
desks handing the same person the same gift: one hand-out, never two.
"""

from __future__ import annotations

import multiprocessing as mp
import uuid
from collections import Counter
from typing import Any

from sqlalchemy import func, select, update

from desktop_app.domain.timeutil import now_utc
from desktop_app.services import gifts
from desktop_app.store.db import Database, open_database
from desktop_app.store.models import Gift, GiftHandout, Registration
from tests.checkin_support import make_event, populate

RACES = 40


def _desk(url: str, desk: str, pairs: list[tuple[str, str]], barrier: Any, out: Any) -> None:
    """A desk process: hand gift g to registration r for each pair, in lockstep."""
    db = open_database(url)
    results: list[str] = []
    try:
        barrier.wait(timeout=60)
        for rid, gid in pairs:
            barrier.wait(timeout=60)
            results.append(gifts.hand(db, rid, gift_ids=[gid], desk=desk).result)
    finally:
        db.close()
        out.put((desk, results))


def _run(db: Database, pairs_a: list[tuple[str, str]], pairs_b: list[tuple[str, str]]) -> dict:
    ctx = mp.get_context("spawn")
    barrier = ctx.Barrier(2)
    out = ctx.Queue()
    procs = [
        ctx.Process(target=_desk, args=(db.url, d, p, barrier, out))
        for d, p in (("A", pairs_a), ("B", pairs_b))
    ]
    for p in procs:
        p.start()
    got = dict(out.get(timeout=180) for _ in procs)
    for p in procs:
        p.join(timeout=30)
        assert p.exitcode == 0
    return got


def _checked_in(db: Database, event_id: uuid.UUID, n: int) -> list[str]:
    populate(db, event_id, n)
    with db.write() as s:
        s.execute(
            update(Registration)
            .where(Registration.event_id == event_id)
            .values(checked_in_at=now_utc(), checked_in_desk="A")
        )
        return [
            str(r)
            for r in s.scalars(
                select(Registration.id)
                .where(Registration.event_id == event_id)
                .order_by(Registration.id)
            )
        ]


def test_two_desks_handing_the_last_item_exactly_one_succeeds(dealer_db: Database) -> None:
    ev = make_event(dealer_db, capacity=None)
    regs = _checked_in(dealer_db, ev, 2 * RACES)
    gift_ids = [
        str(gifts.add_gift(dealer_db, ev, gifts.GiftDraft(f"最后一份{i}", 1)).id)
        for i in range(RACES)
    ]
    a = list(zip(regs[:RACES], gift_ids, strict=True))
    b = list(zip(regs[RACES:], gift_ids, strict=True))
    got = _run(dealer_db, a, b)
    assert len(got["A"]) == len(got["B"]) == RACES
    for ra, rb in zip(got["A"], got["B"], strict=True):
        assert sorted((ra, rb)) == ["handed", "no_gift_left"], (ra, rb)
    with dealer_db.read() as s:
        assert set(s.scalars(select(Gift.handed))) == {1}
        per_gift = Counter(s.scalars(select(GiftHandout.gift_id)))
        assert len(per_gift) == RACES and set(per_gift.values()) == {1}


def test_two_desks_handing_the_same_person_the_same_gift_hand_it_once(
    dealer_db: Database,
) -> None:
    ev = make_event(dealer_db, capacity=None)
    regs = _checked_in(dealer_db, ev, RACES)
    g = str(gifts.add_gift(dealer_db, ev, gifts.GiftDraft("签到礼", 1000)).id)
    pairs = [(r, g) for r in regs]
    got = _run(dealer_db, pairs, pairs)
    for ra, rb in zip(got["A"], got["B"], strict=True):
        assert sorted((ra, rb)) == ["already_handed", "handed"], (ra, rb)
    with dealer_db.read() as s:
        assert s.scalar(select(Gift.handed)) == RACES
        assert s.scalar(select(func.count()).select_from(GiftHandout)) == RACES
