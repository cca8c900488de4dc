"""What desk questions and gifts add to a scan (issue 14): checkin.scan() on an event
without questions or gifts (the baseline) vs an event with three desk questions answered
with the scan and two gift items (the due gifts computed for the accepted check-in), and
gifts.hand() after it — in ONE run, on one SQLite file with a few thousand registrations.

Targets: a scan with questions and gifts ≤ 2× the plain scan (p50); a hand-out ≤ 1.5× a
plain scan (one conditional UPDATE and one insert, like a check-in).

    .venv/bin/python -m benchmarks.run scan_questions [--quick]
"""

from __future__ import annotations

import statistics
import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path

from benchmarks.common import Figure
from desktop_app.domain.timeutil import now_utc
from desktop_app.services import checkin, events, gifts, questions
from desktop_app.services import registration as reg
from desktop_app.services.dealer import init_dealer
from desktop_app.services.events import EventDraft
from desktop_app.services.gifts import GiftDraft
from desktop_app.services.questions import QuestionDraft
from desktop_app.store.db import Database, open_database

ANSWERS = {"size": "M", "licence": "是", "lunch": "否"}


def _event(db: Database, title: str) -> uuid.UUID:
    start = now_utc() - timedelta(hours=1)
    v = events.create_event(
        db,
        EventDraft(
            title=title, type="open_day", starts_at=start, ends_at=start + timedelta(hours=6),
            venue="展厅", capacity=None, points_award=10,
        ),
    )  # fmt: skip
    events.set_status(db, v.id, "published")
    return v.id


def _guests(db: Database, ev: uuid.UUID, n: int, base: int) -> list[tuple[uuid.UUID, str]]:
    out = []
    for i in range(n):
        v = reg.register(db, ev, phone=f"1{base + i:010d}", name=f"车主{i}", party_size=1 + i % 3)
        out.append((v.id, v.ticket_code or ""))
    return out


def _timed(calls: list) -> list[float]:
    took = []
    for call in calls:
        t0 = time.perf_counter()
        call()
        took.append(time.perf_counter() - t0)
    return took


def run(quick: bool = False) -> list[Figure]:
    n = 150 if quick else 600
    with tempfile.TemporaryDirectory() as tmp:
        db = open_database(str(Path(tmp) / "bench.sqlite"))
        try:
            init_dealer(db, "SH-0021", "星辰汽车", "上海", "华东")
            plain = _event(db, "开放日")
            asked = _event(db, "同城会")
            for key, label, kind, choices in (
                ("size", "衣服尺码", "choice", ("S", "M", "L")),
                ("licence", "驾照已查验", "yes_no", ()),
                ("lunch", "午餐需要吗", "yes_no", ()),
            ):
                questions.add_question(
                    db, asked, QuestionDraft(key, label, kind, choices, True, False, True)
                )
            gifts.add_gift(db, asked, GiftDraft("签到礼", 10 * n, "per_person"))
            gifts.add_gift(db, asked, GiftDraft("早鸟礼", n // 2, "first_n", str(n // 4)))
            a = _guests(db, plain, n, 3_800_000_000)
            b = _guests(db, asked, n, 3_900_000_000)
            base = _timed([lambda c=c: checkin.scan(db, plain, c, desk="A") for _r, c in a])
            with_q = _timed(
                [lambda c=c: checkin.scan(db, asked, c, desk="A", answers=ANSWERS) for _r, c in b]
            )
            hand = _timed([lambda r=r: gifts.hand(db, r, desk="A") for r, _c in b])
        finally:
            db.close()
    p50 = statistics.median
    return [
        Figure("scan: plain event (baseline)", p50(base) * 1000, p50(base) * 1000),
        Figure(
            "scan: 3 desk questions answered + 2 gifts due",
            p50(with_q) * 1000,
            p50(base) * 1000,
            max_ratio=2.0,
        ),
        Figure("gift hand-out (G at the desk)", p50(hand) * 1000, p50(base) * 1000, max_ratio=1.5),
    ]
