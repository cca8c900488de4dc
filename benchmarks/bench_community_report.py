"""The community report over 2 years of a busy dealer (2k events, 1M registrations) against
ONE aggregate SQL query over the same rows (registrations × events in the range, grouped by
event type), measured in the same run. Target: the report ≤ 3× that query. And the report
as a PDF document (zh and en) against the report's own computation: ≤ 0.5× it.

    python -m benchmarks.bench_community_report [--db big.sqlite] [--registrations N]

Without --db a fresh database is generated with benchmarks/datagen.py (1M registrations
take ~9 minutes on a shared 2-core machine). The report needs facts datagen leaves out —
check-in times, walk-ins, referrals, butlers' call lists, clubs — so `add_community_facts`
adds them with set-based SQL (idempotent: it runs once per database).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import and_, case, func, select, text

from benchmarks.common import Figure, median
from desktop_app.io.report_export import export_report
from desktop_app.services.reports import came, community_report
from desktop_app.store.db import Database, open_database
from desktop_app.store.models import Event, Registration

SQLITE_FACTS = (
    # people who came have a check-in time within the first hour; datagen's walk-in source
    # becomes a real walk-in
    """UPDATE registrations SET
         checked_in_at = (SELECT datetime(e.starts_at, '+' || (abs(random()) % 3600) || ' seconds')
                          FROM events e WHERE e.id = registrations.event_id),
         is_walk_in = (source = 'walk_in')
       WHERE status = 'attended'""",
    # one in 20 confirmed registrations names a referrer (someone among the first 5k people)
    """UPDATE registrations SET referred_by_id =
         (SELECT id FROM people WHERE people.rowid = 1 + abs(random()) % 5000)
       WHERE status != 'cancelled' AND abs(random()) % 20 = 0""",
    # phone invitations were made by a butler, who had the person on a call list
    """UPDATE registrations SET invited_by_id =
         (SELECT id FROM staff WHERE staff.rowid = 1 + abs(registrations.rowid) % 40)
       WHERE source = 'phone_invite'""",
    """INSERT INTO invitations (id, created_at, updated_at, event_id, person_id, staff_id,
         status, note, registration_id)
       SELECT lower(hex(randomblob(16))), created_at, updated_at, event_id, person_id,
         invited_by_id, 'registered', '', id
       FROM registrations WHERE invited_by_id IS NOT NULL""",
    """WITH RECURSIVE c(value) AS (SELECT 1 UNION ALL SELECT value + 1 FROM c WHERE value < 20)
       INSERT INTO clubs (id, created_at, updated_at, name, description)
       SELECT lower(hex(randomblob(16))), datetime('now'), datetime('now'),
         '车友会 ' || value, '' FROM c""",
    """INSERT INTO club_memberships (id, created_at, updated_at, club_id, person_id, role)
       SELECT lower(hex(randomblob(16))), datetime('now'), datetime('now'),
         (SELECT id FROM clubs WHERE clubs.rowid = 1 + p.rowid % 20), p.id,
         CASE WHEN p.rowid % 250 = 0 THEN 'kol' ELSE 'member' END
       FROM people p WHERE p.stage != 'prospect' AND p.rowid % 10 = 0""",
    """INSERT INTO event_clubs (event_id, club_id)
       SELECT e.id, (SELECT id FROM clubs WHERE clubs.rowid = 1 + e.rowid % 20)
       FROM events e WHERE e.type IN ('club_drive', 'member_day')""",
)


def add_community_facts(db: Database) -> None:
    with db.engine.begin() as conn:
        if conn.execute(text("SELECT count(*) FROM clubs")).scalar():
            return
        if not db.is_sqlite:
            raise SystemExit("add_community_facts: SQLite only (generate on SQLite)")
        for sql in SQLITE_FACTS:
            conn.exec_driver_sql(sql)
        conn.exec_driver_sql("ANALYZE")


def baseline_query(db: Database, lo: datetime, hi: datetime) -> list[tuple[object, ...]]:
    """One aggregate query over the same rows: registrations and attendance per event type."""
    stmt = (
        select(
            Event.type,
            func.count(),
            func.sum(case((came(), 1), else_=0)),
        )
        .join(Event, Event.id == Registration.event_id)
        .where(
            and_(Event.deleted_at.is_(None), Event.starts_at >= lo, Event.starts_at < hi),
            Registration.deleted_at.is_(None),
        )
        .group_by(Event.type)
    )
    with db.read() as s:
        return [tuple(r) for r in s.execute(stmt)]


def measure(db: Database, rounds: int) -> list[Figure]:
    today = datetime.now(UTC).date()
    d_from, d_to = date(today.year - 2, today.month, 1), today
    lo = datetime.combine(d_from, datetime.min.time(), UTC) - timedelta(hours=8)
    hi = datetime.combine(d_to + timedelta(days=1), datetime.min.time(), UTC) - timedelta(hours=8)
    ours: list[float] = []
    base: list[float] = []
    rep = None
    for _ in range(rounds):
        t0 = time.perf_counter()
        baseline_query(db, lo, hi)
        base.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        rep = community_report(db, d_from, d_to)
        ours.append(time.perf_counter() - t0)
    assert rep is not None
    pdf_s: list[float] = []
    with tempfile.TemporaryDirectory() as out:
        for lang in ("zh", "en"):
            t0 = time.perf_counter()
            pdf = export_report(rep, Path(out) / f"community_{lang}.pdf", lang, "星辰汽车")
            pdf_s.append(time.perf_counter() - t0)
        pdf_kb = pdf.stat().st_size / 1000
    note = (
        f"{rep.totals.events} events, {rep.totals.registered:,} registered, "
        f"{rep.totals.attended:,} attended, {rep.totals.unique_attendees:,} people"
    )
    return [
        Figure(
            "community report, 2 years (vs one GROUP BY query)",
            median(ours),
            median(base),
            unit="s",
            max_ratio=3.0,
            note=note,
        ),
        Figure(
            "community report PDF, 2 years (vs the report's own computation)",
            median(pdf_s),
            median(ours),
            unit="s",
            max_ratio=0.5,
            note=f"zh and en documents, {pdf_kb:.0f} KB each (fonts embedded)",
        ),
    ]


def run(
    quick: bool = False, registrations: int = 1_000_000, db_path: str | None = None
) -> list[Figure]:
    path = db_path or os.environ.get("PADDOCK_BENCH_REPORTS_DB")
    if path and Path(path).exists():
        db = open_database(path)
        try:
            add_community_facts(db)
            return measure(db, 1 if quick else 3)
        finally:
            db.close()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ.setdefault("PADDOCK_HOME", tmp)
        from benchmarks import datagen

        db = open_database(str(Path(tmp) / "big.sqlite"))
        try:
            datagen.generate(db, max(1000, registrations // 10), 2000, registrations)
            add_community_facts(db)
            return measure(db, 1 if quick else 3)
        finally:
            db.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--db", help="an existing datagen database (reused)")
    parser.add_argument("--registrations", type=int, default=1_000_000)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    figures = run(args.quick, args.registrations, args.db)
    for f in figures:
        print(
            f"{f.name}: {f.value:.2f} {f.unit} vs baseline {f.baseline:.3f} {f.unit} "
            f"= {f.ratio:.1f}× (target ≤{f.max_ratio:g}×) {'ok' if f.ok else 'MISSED'} — {f.note}"
        )
    return 0 if all(f.ok for f in figures) else 1


if __name__ == "__main__":
    sys.exit(main())
