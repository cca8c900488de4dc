"""Two desks (two processes) redeem perks at the same moment, on one SQLite file and on
PostgreSQL: the last item of stock goes to exactly one of them, and a person's points are
never spent twice (the balance never goes below zero)."""

from __future__ import annotations

import multiprocessing as mp
import uuid
from typing import Any

from sqlalchemy import func, select

from desktop_app.domain.errors import PaddockError
from desktop_app.services import perks, points
from desktop_app.store.db import Database, open_database
from desktop_app.store.models import Perk, PointsEntry, Voucher
from tests.checkin_support import add_person

ROUNDS = 25


def _desk(url: str, desk: str, jobs: list[tuple[str, str]], barrier: Any, out: Any) -> None:
    """A desk process: for each (person, perk), wait for the other desk, then redeem."""
    db = open_database(url)
    results: list[str] = []
    try:
        for person, perk in jobs:
            barrier.wait(timeout=60)
            try:
                perks.redeem(db, person, perk)
                results.append("ok")
            except PaddockError as exc:
                results.append(exc.code or str(exc))
    finally:
        db.close()
        out.put((desk, results))


def _race(db: Database, jobs_a: list[tuple[str, str]], jobs_b: list[tuple[str, str]]) -> dict:
    ctx = mp.get_context("spawn")
    barrier = ctx.Barrier(2)
    out = ctx.Queue()
    procs = [
        ctx.Process(target=_desk, args=(db.url, d, jobs, barrier, out))
        for d, jobs in (("A", jobs_a), ("B", jobs_b))
    ]
    for p in procs:
        p.start()
    got = dict(out.get(timeout=180) for _ in procs)
    for p in procs:
        p.join(timeout=30)
        assert p.exitcode == 0
    return got


def _member(db: Database, i: int, pts: int) -> str:
    pid = add_person(db, f"会员{i}", f"+86137{i:08d}")
    points.adjust_points(db, pid, pts, "opening balance")
    return str(pid)


def test_the_last_item_of_stock_goes_to_exactly_one_desk(dealer_db: Database) -> None:
    partner = perks.add_partner(dealer_db, "洁速洗车")
    jobs_a, jobs_b, perk_ids = [], [], []
    for i in range(ROUNDS):
        perk = perks.add_perk(dealer_db, partner.id, perks.PerkDraft(f"精洗 {i}", 100, 1))
        perk_ids.append(perk.id)
        jobs_a.append((_member(dealer_db, 2 * i, 500), str(perk.id)))
        jobs_b.append((_member(dealer_db, 2 * i + 1, 500), str(perk.id)))
    got = _race(dealer_db, jobs_a, jobs_b)
    for a, b in zip(got["A"], got["B"], strict=True):
        assert sorted((a, b)) == ["ok", "perk_out_of_stock"], (a, b)
    with dealer_db.read() as s:
        assert s.scalar(select(func.count()).select_from(Voucher)) == ROUNDS
        issued = dict(s.execute(select(Perk.id, Perk.issued)).all())
        assert all(issued[p] == 1 for p in perk_ids)
        spent = s.scalar(select(func.sum(PointsEntry.delta)).where(PointsEntry.kind == "redeem"))
        assert spent == -100 * ROUNDS


def test_the_same_persons_points_are_never_spent_twice(dealer_db: Database) -> None:
    partner = perks.add_partner(dealer_db, "莫干山民宿")
    wash = perks.add_perk(dealer_db, partner.id, perks.PerkDraft("下午茶", 300, 1000))
    night = perks.add_perk(dealer_db, partner.id, perks.PerkDraft("早餐", 300, 1000))
    people = [_member(dealer_db, 500 + i, 300) for i in range(ROUNDS)]
    got = _race(
        dealer_db,
        [(p, str(wash.id)) for p in people],
        [(p, str(night.id)) for p in people],
    )
    for a, b in zip(got["A"], got["B"], strict=True):
        assert sorted((a, b)) == ["ok", "points_short"], (a, b)
    for p in people:
        assert points.balance(dealer_db, uuid.UUID(p)) == 0
    with dealer_db.read() as s:
        assert s.scalar(select(func.count()).select_from(Voucher)) == ROUNDS
