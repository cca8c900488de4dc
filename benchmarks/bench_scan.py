"""Scan-to-result at the desk: the check-in service vs the bare SQL it cannot avoid.

On a large database (benchmarks/datagen.py: 100k people, 2,000 events, 1M registrations;
plus signed tickets for `--tickets` registrations and one open day of today with
3 × `--scans` registered guests), in ONE run:

- bare SELECT: one indexed `SELECT … FROM tickets WHERE code = ?` (DB-API, no ORM);
- bare UPDATE: the conditional `UPDATE registrations SET checked_in_at … WHERE
  ticket_code = ? AND checked_in_at IS NULL AND status = 'registered'` in its own write
  transaction (BEGIN IMMEDIATE … COMMIT on SQLite: the fsync every check-in pays);
- service, accepted: checkin.scan() on fresh tickets (verify signature, look up, the
  conditional UPDATE, points ledger + tier, details for the desk, scan-log row, commit);
- service, already_checked_in: the same tickets scanned again.

Prints p50/p99 in ms and the ratio of the service's p99 to the bare UPDATE's p99
(targets: p99 < 5 ms; ≤ 3× the bare UPDATE).

    .venv/bin/python benchmarks/bench_scan.py --db /tmp/big.sqlite [--generate] [--scans 2000]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import bindparam, func, insert, select, update  # noqa: E402

from benchmarks.datagen import ticketed_registration  # noqa: E402
from desktop_app.domain import ticket as payload  # noqa: E402
from desktop_app.services.checkin import scan  # noqa: E402
from desktop_app.store.db import Database, open_database  # noqa: E402
from desktop_app.store.models import (  # noqa: E402
    DealerProfile,
    Event,
    Person,
    Registration,
    Ticket,
)

CHUNK = 5_000


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k] * 1000


def add_tickets(db: Database, n: int, rnd: random.Random) -> int:
    """Signed tickets for `n` existing registrations (datagen makes none)."""
    with db.read() as s:
        key = s.scalar(select(DealerProfile.ticket_key))
        have = s.scalar(select(func.count()).select_from(Ticket)) or 0
        if have >= n:
            return have
        rows = s.execute(
            select(Registration.id, Registration.event_id)
            .where(Registration.ticket_code.is_(None))
            .limit(n - have)
        ).all()
    now = datetime.now(UTC)
    for i in range(0, len(rows), CHUNK):
        part = rows[i : i + CHUNK]
        tix, codes = [], []
        for rid, eid in part:
            t = payload.issue(key, eid)
            tix.append(
                {
                    "id": uuid.uuid4(),
                    "registration_id": rid,
                    "event_id": eid,
                    "serial": 1,
                    "code": t.code,
                    "short_code": t.short_code,
                    "created_at": now,
                    "updated_at": now,
                }
            )
            codes.append({"rid": rid, "code": t.code})
        with db.engine.begin() as conn:
            conn.execute(insert(Ticket.__table__), tix)
            conn.execute(
                update(Registration.__table__)
                .where(Registration.__table__.c.id == bindparam("rid"))
                .values(ticket_code=bindparam("code")),
                codes,
            )
    return have + len(rows)


def today_event(db: Database, guests: int, rnd: random.Random) -> tuple[uuid.UUID, list[str]]:
    """An open day happening now with `guests` registered people holding tickets."""
    now = datetime.now(UTC)
    with db.write() as s:
        key = s.scalar(select(DealerProfile.ticket_key))
        e = Event(
            title="基准测试开放日",
            type="open_day",
            status="published",
            starts_at=now - timedelta(hours=1),
            ends_at=now + timedelta(hours=6),
            venue="浦东展厅",
            capacity=None,
            points_award=50,
        )
        s.add(e)
        s.flush()
        eid = e.id
        people = list(s.scalars(select(Person.id).order_by(Person.id).limit(guests * 3 + 1000)))
    chosen = rnd.sample(people, guests)
    regs, tix, codes = [], [], []
    for pid in chosen:
        reg, tix_row, code = ticketed_registration(key, eid, pid, now)
        regs.append(reg)
        tix.append(tix_row)
        codes.append(code)
    with db.engine.begin() as conn:
        conn.execute(insert(Registration.__table__), regs)
        conn.execute(insert(Ticket.__table__), tix)
    return eid, codes


def timed(fn: Callable[[str], object], codes: list[str]) -> list[float]:
    out = []
    for code in codes:
        t = time.perf_counter()
        fn(code)
        out.append(time.perf_counter() - t)
    return out


def bare_ops(db: Database) -> tuple[Callable[[str], object], Callable[[str], object]]:
    """The bare SELECT and the bare conditional UPDATE on a DB-API connection."""
    raw = db.engine.raw_connection()
    dbapi = raw.driver_connection
    sqlite = db.is_sqlite
    ph = "?" if sqlite else "%s"
    sel = f"SELECT id, registration_id, revoked_at FROM tickets WHERE code = {ph}"
    upd = (
        f"UPDATE registrations SET checked_in_at = {ph}, checked_in_desk = {ph} "
        f"WHERE ticket_code = {ph} AND checked_in_at IS NULL AND status = 'registered'"
    )

    def do_select(code: str) -> object:
        cur = dbapi.cursor()
        cur.execute(sel, (code,))
        row = cur.fetchone()
        cur.close()
        if not sqlite:
            dbapi.commit()
        return row

    def do_update(code: str) -> object:
        cur = dbapi.cursor()
        now = datetime.now(UTC).replace(tzinfo=None)
        if sqlite:
            cur.execute("BEGIN IMMEDIATE")
            cur.execute(upd, (now, "bare", code))
            n = cur.rowcount
            cur.execute("COMMIT")
        else:
            cur.execute(upd, (now, "bare", code))
            n = cur.rowcount
            dbapi.commit()
        cur.close()
        assert n == 1, "each bare UPDATE must check one guest in"
        return n

    return do_select, do_update


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    ap.add_argument("--db", help="SQLite file or URL made by benchmarks/datagen.py")
    ap.add_argument("--generate", action="store_true", help="run datagen into --db first")
    ap.add_argument("--people", type=int, default=100_000)
    ap.add_argument("--registrations", type=int, default=1_000_000)
    ap.add_argument("--tickets", type=int, default=200_000, help="signed tickets to add")
    ap.add_argument("--scans", type=int, default=2_000)
    args = ap.parse_args(argv)
    os.environ.setdefault("PADDOCK_HOME", tempfile.mkdtemp(prefix="paddock-bench-"))
    url = args.db or str(Path(tempfile.mkdtemp()) / "bench.sqlite")
    rnd = random.Random(5)
    db = open_database(url)
    try:
        with db.read() as s:
            empty = s.get(DealerProfile, 1) is None
        if empty or args.generate:
            from benchmarks.datagen import generate

            t = time.perf_counter()
            counts = generate(db, args.people, 2_000, args.registrations)
            print(f"datagen: {counts} in {time.perf_counter() - t:.0f}s")
        with db.read() as s:
            n_people = s.scalar(select(func.count()).select_from(Person))
            n_regs = s.scalar(select(func.count()).select_from(Registration))
        t = time.perf_counter()
        n_tix = add_tickets(db, args.tickets, rnd)
        print(f"tickets: {n_tix} (added in {time.perf_counter() - t:.0f}s)")
        eid, codes = today_event(db, args.scans * 3, rnd)
        bare_codes = codes[: args.scans]
        svc_codes = codes[args.scans : 2 * args.scans]
        sel_codes = rnd.sample(codes, args.scans)
        do_select, do_update = bare_ops(db)
        # warm up caches and statement compilation on the third slice
        for code in codes[2 * args.scans : 2 * args.scans + 50]:
            scan(db, eid, code, desk="warm")
            do_select(code)
        rows = [
            ("bare SELECT by code", timed(do_select, sel_codes)),
            ("bare conditional UPDATE + commit", timed(do_update, bare_codes)),
            (
                "service scan → accepted",
                timed(lambda c: scan(db, eid, c, desk="A"), svc_codes),
            ),
            (
                "service scan → already_checked_in",
                timed(lambda c: scan(db, eid, c, desk="B"), svc_codes),
            ),
        ]
    finally:
        db.close()
    backend = "SQLite (WAL, synchronous=FULL)" if db.is_sqlite else "PostgreSQL"
    print(
        f"\n{backend}: {n_people} people, {n_regs} registrations, {n_tix} tickets; "
        f"{args.scans} scans per row"
    )
    print(f"{'':38} {'p50 ms':>8} {'p99 ms':>8} {'mean ms':>8}")
    for name, vals in rows:
        print(
            f"{name:38} {pct(vals, 50):8.2f} {pct(vals, 99):8.2f} "
            f"{statistics.mean(vals) * 1000:8.2f}"
        )
    bare99 = pct(rows[1][1], 99)
    svc99 = pct(rows[2][1], 99)
    print(
        f"\nservice p99 / bare UPDATE p99 = {svc99 / bare99:.2f}x (target ≤ 3x); "
        f"service p99 {svc99:.2f} ms (target < 5 ms)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
