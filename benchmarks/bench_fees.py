"""Issue 15's costs, measured against a baseline in the same run (a temp SQLite file):

- the desk: check-in scans on a club drive whose shared costs the desk must report
  ("还需缴纳 ¥…": one EXISTS, the share from a few aggregates, the payments) vs the same
  scans on an identical drive without fees;
- the Fees tab: the whole fee sheet of a 1,000-car drive vs listing the same event's
  registrations (the attendee list);
- redeeming a perk (person row lock, stock UPDATE, voucher, ledger row) vs a plain manual
  points adjustment (one ledger row), both one write transaction.

    .venv/bin/python -m benchmarks.run fees [--quick]
"""

from __future__ import annotations

import os
import random
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from sqlalchemy import insert

from benchmarks.common import Figure
from benchmarks.datagen import ticketed_registration

CARS = 1_000


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def _timed(fn: Callable[[], object], n: int) -> list[float]:
    out = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1000)
    return out


def _drive(db, key: str, title: str, cars: int, rnd: random.Random) -> tuple[uuid.UUID, list[str]]:  # type: ignore[no-untyped-def]
    from desktop_app.domain.timeutil import now_utc
    from desktop_app.store.models import Event, Person, Registration, Ticket

    now = now_utc()
    eid = uuid.uuid4()
    people, regs, tix, codes = [], [], [], []
    for i in range(cars):
        pid = uuid.uuid4()
        people.append({"id": pid, "name": f"车主{i}", "phone": f"+86135{rnd.randrange(10**8):08d}"})
        reg, t, code = ticketed_registration(key, eid, pid, now - timedelta(minutes=cars - i))
        reg |= {"plate": f"沪A{i:05d}", "party_size": 1 + i % 3, "passengers": i % 3}
        regs.append(reg)
        tix.append(t)
        codes.append(code)
    with db.write() as s:
        s.execute(
            insert(Event),
            [
                {
                    "id": eid,
                    "title": title,
                    "type": "club_drive",
                    "status": "published",
                    "starts_at": now - timedelta(hours=1),
                    "ends_at": now + timedelta(hours=8),
                    "venue": "莫干山",
                    "details": {},
                    "points_award": 10,
                }
            ],
        )
        for p in people:
            s.execute(insert(Person), [p | {"stage": "owner"}])
        s.execute(insert(Registration), regs)
        s.execute(insert(Ticket), tix)
    return eid, codes


def run(quick: bool = False) -> list[Figure]:
    from desktop_app.services import checkin, fees, perks, points
    from desktop_app.services import registration as reg_service
    from desktop_app.services.dealer import init_dealer
    from desktop_app.store.db import open_database

    rnd = random.Random(15)
    scans = 150 if quick else 400
    figures: list[Figure] = []
    with tempfile.TemporaryDirectory(prefix="paddock-bench-fees-") as td:
        os.environ.setdefault("PADDOCK_HOME", td)
        db = open_database(str(Path(td) / "fees.sqlite"))
        try:
            init_dealer(db, "SH-0021", "星辰汽车", "上海", "华东")
            key = (
                db.engine.connect()
                .exec_driver_sql("SELECT ticket_key FROM dealer_profile")
                .scalar()
            )
            plain, plain_codes = _drive(db, key, "无费用自驾", CARS, rnd)
            paid, paid_codes = _drive(db, key, "AA 自驾", CARS, rnd)
            for label, amount, split in (
                ("油费", "18000", "car"),
                ("过路费", "5400", "car"),
                ("午餐", "10000", "person"),
                ("民宿", "30000", "family"),
            ):
                fees.add_cost_item(db, paid, label, amount, split)
            fees.add_cost_item(db, paid, "保险", "15", "person", per_unit=True)
            sheet = fees.fee_sheet(db, paid)
            for r in sheet.rows[: CARS // 3]:
                fees.record_payment(db, r.registration_id, "100", "wechat")

            # interleaved, so that both drives see the same database (WAL size, caches, load)
            base, costs = [], []
            for plain_code, paid_code in zip(plain_codes[:scans], paid_codes[:scans], strict=True):
                base += _timed(lambda c=plain_code: checkin.scan(db, plain, c, desk="1"), 1)
                costs += _timed(lambda c=paid_code: checkin.scan(db, paid, c, desk="1"), 1)
            figures.append(
                Figure(
                    "desk scan with shared costs, p99 (vs the same drive without fees)",
                    _p(costs, 0.99),
                    _p(base, 0.99),
                    max_ratio=1.6,
                    note=f"p50 {_p(costs, 0.5):.2f} vs {_p(base, 0.5):.2f} ms; {scans} scans",
                )
            )

            n = 5 if quick else 15
            sheet_ms = _timed(lambda: fees.fee_sheet(db, paid), n)
            list_ms = _timed(lambda: reg_service.list_registrations(db, paid), n)
            figures.append(
                Figure(
                    f"fee sheet of a {CARS:,}-car drive (vs its attendee list)",
                    _p(sheet_ms, 0.5),
                    _p(list_ms, 0.5),
                    max_ratio=3.0,
                )
            )

            partner = perks.add_partner(db, "洁速洗车")
            perk = perks.add_perk(db, partner.id, perks.PerkDraft("精洗一次", 10, 100_000))
            people = [r.person_id for r in sheet.rows[:scans]]
            for pid in people:
                points.adjust_points(db, pid, 1_000, "bench")
            who = iter(people)
            redeem_ms = _timed(lambda: perks.redeem(db, next(who), perk.id), len(people))
            who2 = iter(people)
            adjust_ms = _timed(
                lambda: points.adjust_points(db, next(who2), 5, "bench"), len(people)
            )
            figures.append(
                Figure(
                    "redeem a perk, p50 (vs a manual points adjustment)",
                    _p(redeem_ms, 0.5),
                    _p(adjust_ms, 0.5),
                    max_ratio=3.0,
                    note=f"p99 {_p(redeem_ms, 0.99):.2f} vs {_p(adjust_ms, 0.99):.2f} ms",
                )
            )
        finally:
            db.close()
    return figures


if __name__ == "__main__":
    for f in run():
        print(f"{f.name}: {f.value:.2f} {f.unit} vs {f.baseline:.2f} ({f.ratio:.2f}×) {f.note}")
