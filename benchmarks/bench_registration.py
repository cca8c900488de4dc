"""Registering 10k people into events: the service path vs raw inserts of the same rows.

Three timings on the same data (10k existing people, 20 published events of 600 seats
with a waitlist, so the last events fill up and waitlist people):
- raw: one transaction of bulk INSERTs of the registration and ticket rows the service
  would write (payload signing included) — the floor;
- service, batched: register_in() for every person inside one write transaction (the
  online sign-up import path): capacity check, duplicate check, ticket, audit row;
- service, one by one: register() per person, one transaction each (a desk / butler).
Prints seconds, registrations/s and the ratios to raw.

    .venv/bin/python benchmarks/bench_registration.py [--people 10000] [--db URL]
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path

from sqlalchemy import delete, insert, text

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from desktop_app.domain import ticket as payload  # noqa: E402
from desktop_app.domain.timeutil import now_utc  # noqa: E402
from desktop_app.services import events  # noqa: E402
from desktop_app.services import registration as reg  # noqa: E402
from desktop_app.services.dealer import init_dealer  # noqa: E402
from desktop_app.store.db import Database, open_database  # noqa: E402
from desktop_app.store.models import (  # noqa: E402
    AuditEntry,
    Person,
    Registration,
    Ticket,
    reversed_digits,
    utcnow,
)

EVENTS = 20
SEATS = 600


def setup(db: Database, n: int) -> tuple[list[uuid.UUID], list[uuid.UUID], str]:
    dealer = init_dealer(db, "SH-0021", "星辰汽车")
    rnd = random.Random(5)
    now = utcnow()
    people = []
    rows = []
    for i in range(n):
        pid = uuid.uuid4()
        e164 = f"+86139{i:08d}"
        people.append(pid)
        rows.append(
            {
                "id": pid,
                "name": f"车主{i}",
                "phone": e164,
                "phone_rev": reversed_digits(e164),
                "stage": rnd.choice(("owner", "member")),
                "notes": "",
                "created_at": now,
                "updated_at": now,
            }
        )
    with db.write() as s:
        s.execute(insert(Person), rows)
    soon = now_utc() + timedelta(days=7)
    evs = []
    for k in range(EVENTS):
        e = events.create_event(
            db,
            events.EventDraft(
                title=f"开放日 {k}", type="open_day", starts_at=soon, venue="展厅",
                ends_at=soon + timedelta(hours=6), capacity=SEATS, waitlist_enabled=True,
            ),
        )  # fmt: skip
        events.set_status(db, e.id, "published")
        evs.append(e.id)
    return people, evs, dealer.ticket_key


def plan(people: list[uuid.UUID], evs: list[uuid.UUID]) -> list[tuple[uuid.UUID, uuid.UUID, int]]:
    rnd = random.Random(9)
    return [(p, evs[i % len(evs)], rnd.choice((1, 1, 1, 2, 2, 3))) for i, p in enumerate(people)]


def clear(db: Database) -> None:
    with db.write() as s:
        s.execute(delete(Ticket))
        s.execute(delete(Registration))
        s.execute(delete(AuditEntry).where(AuditEntry.action.like("registration.%")))


def raw(db: Database, rows: list[tuple[uuid.UUID, uuid.UUID, int]], key: str) -> float:
    t0 = time.perf_counter()
    now = utcnow()
    used: dict[uuid.UUID, int] = {}
    regs, tks = [], []
    serial: dict[uuid.UUID, int] = {}
    for pid, ev, party in rows:
        rid = uuid.uuid4()
        fits = used.get(ev, 0) + party <= SEATS
        status = "registered" if fits else "waitlisted"
        code = None
        if fits:
            used[ev] = used.get(ev, 0) + party
            p = payload.issue(key, ev)
            code = p.code
            serial[ev] = serial.get(ev, 0) + 1
            tks.append({"id": uuid.uuid4(), "registration_id": rid, "event_id": ev,
                        "serial": serial[ev], "code": p.code, "short_code": p.short_code,
                        "created_at": now, "updated_at": now})  # fmt: skip
        regs.append({"id": rid, "event_id": ev, "person_id": pid, "status": status,
                     "source": "phone_invite", "party_size": party, "passengers": 0,
                     "registered_at": now, "waitlisted_at": None if fits else now,
                     "ticket_code": code, "is_walk_in": False, "wants_test_drive": False,
                     "created_at": now, "updated_at": now})  # fmt: skip
    with db.write() as s:
        s.execute(insert(Registration), regs)
        s.execute(insert(Ticket), tks)
    return time.perf_counter() - t0


def batched(db: Database, rows: list[tuple[uuid.UUID, uuid.UUID, int]]) -> float:
    t0 = time.perf_counter()
    with db.write() as s:
        for pid, ev, party in rows:
            reg.register_in(s, ev, reg.RegistrationRequest(person_id=pid, party_size=party))
    return time.perf_counter() - t0


def one_by_one(db: Database, rows: list[tuple[uuid.UUID, uuid.UUID, int]]) -> float:
    t0 = time.perf_counter()
    for pid, ev, party in rows:
        reg.register(db, ev, pid, party_size=party)
    return time.perf_counter() - t0


def check(db: Database, evs: list[uuid.UUID]) -> None:
    for ev in evs:
        occ = reg.occupancy(db, ev)
        assert occ.used <= SEATS, occ


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--people", type=int, default=10_000)
    ap.add_argument("--db", help="database URL (default: a temporary SQLite file)")
    args = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="paddock-bench-")
    os.environ.setdefault("PADDOCK_HOME", tmp)
    url = args.db or str(Path(tmp) / "bench.sqlite")
    db = open_database(url)
    if args.db:
        with db.engine.begin() as conn:
            conn.execute(text("TRUNCATE registrations, tickets, people, events CASCADE"))
    people, evs, key = setup(db, args.people)
    rows = plan(people, evs)
    n = len(rows)
    t_raw = raw(db, rows, key)
    check(db, evs)
    clear(db)
    t_batch = batched(db, rows)
    check(db, evs)
    clear(db)
    t_one = one_by_one(db, rows)
    check(db, evs)
    backend = "PostgreSQL" if not db.is_sqlite else "SQLite"
    print(f"{n} registrations into {EVENTS} events of {SEATS} seats ({backend})")
    print(f"  raw inserts        {t_raw:7.2f} s  {n / t_raw:8.0f} /s   1.0x")
    print(f"  service, batched   {t_batch:7.2f} s  {n / t_batch:8.0f} /s  {t_batch / t_raw:5.1f}x")
    print(f"  service, 1 per tx  {t_one:7.2f} s  {n / t_one:8.0f} /s  {t_one / t_raw:5.1f}x")
    db.close()


if __name__ == "__main__":
    main()
