"""Scan-to-result at the desk: the check-in service vs the bare SQL it cannot avoid.

On a large database (benchmarks/datagen.py: 100k people, 2,000 events, 1M registrations;
plus signed tickets for `--tickets` registrations and one open day of today with
3 × `--scans` registered guests), in ONE run:

- bare SELECT: one indexed `SELECT … FROM tickets WHERE code = ?` (DB-API, no ORM);
- bare UPDATE: the conditional `UPDATE registrations SET checked_in_at … WHERE
  ticket_code = ? AND checked_in_at IS NULL AND status = 'registered'` in its own write
  transaction (BEGIN IMMEDIATE … COMMIT on SQLite: the fsync every check-in pays);
- floor: what an accepted scan must write, as raw SQL in ONE transaction — the
  conditional UPDATE (… RETURNING id, person_id), the points-ledger INSERT and the
  scan-log INSERT, then COMMIT (DB-API, no ORM, the same columns and value forms);
- service, accepted: checkin.scan() on fresh tickets (verify signature, look up, the
  conditional UPDATE, points ledger + tier, details for the desk, scan-log row, commit);
  measured interleaved with the floor (one floor scan, one service scan, …) so that the
  machine's load moves both alike;
- service, already_checked_in: the same tickets scanned again.

`--rich`: the open day also has two gift items and a cost item shared per person (issues
14 and 15), so every accepted scan also lists the gifts due and the amount owed. These
are reads: an accepted scan writes the same rows as at a plain event (handing a gift is
its own step), so the floor is the same; run both and compare.

Prints p50/p99 in ms and the ratio of the service's p99 to the floor's p99 (target
≤ 1.5×) and, as before, to the bare UPDATE's.

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
from desktop_app.domain.points import SETTING_KEY as TIERS_KEY  # noqa: E402
from desktop_app.domain.points import TierThresholds  # noqa: E402
from desktop_app.services import fees, gifts  # noqa: E402
from desktop_app.services.checkin import scan  # noqa: E402
from desktop_app.services.gifts import GiftDraft  # noqa: E402
from desktop_app.store.db import Database, open_database  # noqa: E402
from desktop_app.store.models import (  # noqa: E402
    DealerProfile,
    Event,
    Person,
    PointsEntry,
    Registration,
    Setting,
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


def today_event(
    db: Database, guests: int, rnd: random.Random, rich: bool = False
) -> tuple[uuid.UUID, list[str]]:
    """An open day happening now with `guests` registered people holding tickets (with
    `rich`, also two gift items and a shared cost item)."""
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
    # Tiers as the app keeps them (datagen draws them at random, whatever the balance): a
    # check-in's points then move a tier only when they cross a threshold, as at a desk.
    with db.engine.begin() as conn:
        balance = dict(
            conn.execute(
                select(PointsEntry.person_id, func.sum(PointsEntry.delta))
                .where(PointsEntry.person_id.in_(chosen))
                .group_by(PointsEntry.person_id)
            ).all()
        )
        tiers = TierThresholds.from_json(
            conn.scalar(select(Setting.value).where(Setting.key == TIERS_KEY))
        )
        conn.execute(
            update(Person.__table__)
            .where(Person.__table__.c.id == bindparam("pid"))
            .values(tier=bindparam("tier")),
            [{"pid": p, "tier": tiers.tier_for(int(balance.get(p) or 0))} for p in chosen],
        )
    regs, tix, codes = [], [], []
    for pid in chosen:
        reg, tix_row, code = ticketed_registration(key, eid, pid, now)
        regs.append(reg)
        tix.append(tix_row)
        codes.append(code)
    with db.engine.begin() as conn:
        conn.execute(insert(Registration.__table__), regs)
        conn.execute(insert(Ticket.__table__), tix)
    if rich:
        gifts.add_gift(db, eid, GiftDraft("签到礼", 10 * guests, "per_person"))
        gifts.add_gift(db, eid, GiftDraft("车模", 10 * guests, "per_registration"))
        fees.add_cost_item(db, eid, "场地费", "3000", "person")
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


def floor_op(db: Database, event_id: uuid.UUID, points: int) -> Callable[[str], object]:
    """The accepted scan's writes as raw SQL in one transaction (DB-API, no ORM), on a
    connection taken from the app's pool for each scan as the service takes its own: on
    SQLite the same connection (the pool is LIFO), so both find its page cache as the
    other left it. (A connection of its own would empty the service's cache at each of
    its commits: SQLite drops a connection's cache when another one has written.)"""
    sqlite = db.is_sqlite
    ph = "?" if sqlite else "%s"
    with db.read() as s:
        dealer, device = s.execute(select(DealerProfile.code, DealerProfile.device_id)).one()
    upd = (
        f"UPDATE registrations SET checked_in_at = {ph}, checked_in_desk = {ph}, "
        f"checked_out_at = NULL, updated_at = {ph} WHERE ticket_code = {ph} "
        "AND checked_in_at IS NULL AND status IN ('registered', 'attended', 'no_show') "
        "AND deleted_at IS NULL RETURNING id, person_id"
    )
    ledger = (
        "INSERT INTO points_ledger (id, created_at, updated_at, origin_dealer, origin_device, "
        "person_id, delta, reason, kind, registration_id, staff_id) "
        f"VALUES ({', '.join([ph] * 11)})"
    )
    log = (
        "INSERT INTO scan_log (id, created_at, updated_at, origin_dealer, origin_device, nonce, "
        "event_id, registration_id, action, result, raw_code, desk, staff_id, scanned_at, note) "
        f"VALUES ({', '.join([ph] * 15)})"
    )
    ev = event_id.hex if sqlite else event_id

    def new_id() -> object:
        return uuid.uuid4().hex if sqlite else uuid.uuid4()

    def do_floor(code: str) -> object:
        raw = db.engine.raw_connection()
        dbapi = raw.driver_connection
        now = datetime.now(UTC).replace(tzinfo=None)
        at = now.strftime("%Y-%m-%d %H:%M:%S.%f") if sqlite else now
        cur = dbapi.cursor()
        if sqlite:
            cur.execute("BEGIN IMMEDIATE")
        cur.execute(upd, (at, "floor", at, code))
        rid, pid = cur.fetchone()
        if points:
            cur.execute(ledger, (new_id(), at, at, dealer, device, pid, points,
                                 "签到 · 基准测试开放日", "checkin", rid, None))  # fmt: skip
        cur.execute(log, (new_id(), at, at, dealer, device, new_id(), ev, rid, "check_in",
                          "accepted", code, "floor", None, at, None))  # fmt: skip
        if sqlite:
            cur.execute("COMMIT")
        else:
            dbapi.commit()
        cur.close()
        raw.close()
        return rid

    return do_floor


def settle(db: Database) -> None:
    """Before measuring: the setup's writes (a generated database, the event's tickets)
    checkpointed out of the WAL and flushed to disk, so that finishing them does not land
    on the scans measured (a first run after generating read 1.72× at p99, the next ones
    1.29–1.34×)."""
    if db.is_sqlite:
        with db.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    os.sync()


def interleaved(
    a: Callable[[str], object], a_codes: list[str], b: Callable[[str], object], b_codes: list[str]
) -> tuple[list[float], list[float]]:
    """Time a and b alternately (a, b, a, b, …): load spikes hit both alike."""
    ta, tb = [], []
    for ca, cb in zip(a_codes, b_codes, strict=True):
        t = time.perf_counter()
        a(ca)
        ta.append(time.perf_counter() - t)
        t = time.perf_counter()
        b(cb)
        tb.append(time.perf_counter() - t)
    return ta, tb


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    ap.add_argument("--db", help="SQLite file or URL made by benchmarks/datagen.py")
    ap.add_argument("--generate", action="store_true", help="run datagen into --db first")
    ap.add_argument("--people", type=int, default=100_000)
    ap.add_argument("--registrations", type=int, default=1_000_000)
    ap.add_argument("--tickets", type=int, default=200_000, help="signed tickets to add")
    # the p99 of 5,000 is the 50th slowest: 2,000 (the 20th) moved ±0.2× between runs
    ap.add_argument("--scans", type=int, default=5_000)
    ap.add_argument("--rich", action="store_true", help="the event has gifts and fees")
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
        n = min(args.scans, (int(n_people or 0) - 100) // 4)  # 4 guests of its own a scan
        if n < args.scans:
            print(f"{n_people} people give {n} scans a row, not {args.scans}")
        eid, codes = today_event(db, n * 4 + 100, rnd, args.rich)
        bare_codes = codes[:n]
        svc_codes = codes[n : 2 * n]
        floor_codes = codes[2 * n : 3 * n]
        warm = codes[4 * n :]
        sel_codes = rnd.sample(codes, n)
        do_select, do_update = bare_ops(db)
        do_floor = floor_op(db, eid, 50)
        # warm up caches and statement compilation on the last slice
        for code in warm[:50]:
            scan(db, eid, code, desk="warm")
            do_select(code)
        for code in warm[50:]:
            do_floor(code)
        settle(db)
        floor_t, svc_t = interleaved(
            do_floor, floor_codes, lambda c: scan(db, eid, c, desk="A"), svc_codes
        )
        rows = [
            ("bare SELECT by code", timed(do_select, sel_codes)),
            ("bare conditional UPDATE + commit", timed(do_update, bare_codes)),
            ("floor: UPDATE + ledger + scan log, 1 tx", floor_t),
            ("service scan → accepted", svc_t),
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
        f"{n} scans per row; "
        + ("event with 2 gift items and a shared cost" if args.rich else "plain event")
    )
    print(f"{'':38} {'p50 ms':>8} {'p99 ms':>8} {'mean ms':>8}")
    for name, vals in rows:
        print(
            f"{name:38} {pct(vals, 50):8.2f} {pct(vals, 99):8.2f} "
            f"{statistics.mean(vals) * 1000:8.2f}"
        )
    bare99 = pct(rows[1][1], 99)
    floor50, floor99 = pct(rows[2][1], 50), pct(rows[2][1], 99)
    svc50, svc99 = pct(rows[3][1], 50), pct(rows[3][1], 99)
    print(
        f"\nservice p99 / floor p99 = {svc99 / floor99:.2f}x (target ≤ 1.5x); "
        f"p50 {svc50 / floor50:.2f}x\n"
        f"service p99 / bare UPDATE p99 = {svc99 / bare99:.2f}x; "
        f"service p99 {svc99:.2f} ms (target < 5 ms)"
    )
    print(f"load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
