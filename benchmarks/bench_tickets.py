"""Ticket batch: 1,000 ticket cards of one event into a PDF (one per page, and 4 per A4
sheet), through the same service the app and `paddock tickets` use. Prints seconds and
pages/s, plus the PNG card alone and the QR alone as baselines.

    .venv/bin/python benchmarks/bench_tickets.py [--cards 1000]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path

from sqlalchemy import insert

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from desktop_app.domain import ticket as payload  # noqa: E402
from desktop_app.domain.timeutil import now_utc  # noqa: E402
from desktop_app.services import events, tickets  # noqa: E402
from desktop_app.services.dealer import init_dealer  # noqa: E402
from desktop_app.store.db import Database, open_database  # noqa: E402
from desktop_app.store.models import Person, Registration, Ticket, utcnow  # noqa: E402

NAMES = [
    "王伟",
    "李娜",
    "张敏",
    "刘洋",
    "陈静",
    "杨磊",
    "黄丽",
    "赵强",
    "吴杰",
    "周芳",
    "欧阳娜娜",
    "司马相如",
]


def setup(db: Database, n: int) -> uuid.UUID:
    key = init_dealer(db, "SH-0021", "上海浦东星辰汽车销售服务有限公司").ticket_key
    soon = now_utc() + timedelta(days=7)
    e = events.create_event(
        db,
        events.EventDraft(
            title="星辰开放日：新能源试驾体验", type="open_day", starts_at=soon,
            ends_at=soon + timedelta(hours=7), venue="浦东展厅（张杨路 1234 号）",
        ),
    )  # fmt: skip
    events.set_status(db, e.id, "published")
    now = utcnow()
    people, regs, tks = [], [], []
    for i in range(n):
        pid, rid = uuid.uuid4(), uuid.uuid4()
        p = payload.issue(key, e.id)
        people.append({"id": pid, "name": NAMES[i % len(NAMES)], "phone": f"+86139{i:08d}",
                       "stage": "owner", "notes": "", "created_at": now, "updated_at": now})  # fmt: skip
        regs.append({"id": rid, "event_id": e.id, "person_id": pid, "status": "registered",
                     "source": "phone_invite", "party_size": 1 + i % 3, "passengers": 0,
                     "registered_at": now, "ticket_code": p.code, "is_walk_in": False,
                     "wants_test_drive": False, "created_at": now, "updated_at": now})  # fmt: skip
        tks.append({"id": uuid.uuid4(), "registration_id": rid, "event_id": e.id,
                    "serial": i + 1, "code": p.code, "short_code": p.short_code,
                    "created_at": now, "updated_at": now})  # fmt: skip
    with db.write() as s:
        s.execute(insert(Person), people)
        s.execute(insert(Registration), regs)
        s.execute(insert(Ticket), tks)
    return e.id


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cards", type=int, default=1000)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="paddock-bench-"))
    os.environ.setdefault("PADDOCK_HOME", str(tmp))
    db = open_database(str(tmp / "bench.sqlite"))
    ev = setup(db, args.cards)
    cards = tickets.event_cards(db, ev)
    t0 = time.perf_counter()
    for c in cards[:100]:
        tickets.qr_image(c.code)
    t_qr = (time.perf_counter() - t0) / 100
    t0 = time.perf_counter()
    for c in cards[:100]:
        tickets.card_png(c, "zh")
    t_png = (time.perf_counter() - t0) / 100
    print(f"{args.cards} tickets · QR alone {t_qr * 1000:.1f} ms · PNG card {t_png * 1000:.1f} ms")
    for per_page in (1, 4):
        t0 = time.perf_counter()
        res = tickets.export_event_tickets(db, ev, tmp / f"pdf{per_page}", "pdf", "zh", per_page)
        dt = time.perf_counter() - t0
        size = res.files[0].stat().st_size / 1e6
        print(
            f"  PDF {per_page}/page: {dt:6.1f} s, {res.pages} pages, {res.pages / dt:5.1f} pages/s, "
            f"{res.cards / dt:5.1f} cards/s, {size:.1f} MB"
        )
    db.close()


if __name__ == "__main__":
    main()
