"""HQ export throughput: 100k people + 1M registrations + 500k scans, against bare writers.

Prints, measured in the same run on the same database:
- db read: the export's SELECTs streamed, nothing written;
- bare xlsxwriter constant_memory and bare openpyxl write-only: the same rows (raw driver
  values) written with write_row/append, no types, formats, PII or neutralising — baselines;
- export_hq (masked PII, the default) — rows/s and the ratio to the faster bare writer
  (target ≤ 1.3×);
- peak RSS of an export in a fresh process at 1/10 and full size (flat = streaming).

Run: .venv/bin/python -m benchmarks.bench_hq_export [--people 100000 --registrations 1000000
     --scans 500000] [--keep DIR]  (DIR caches the generated databases between runs)
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.datagen import DEALER, DEVICE, bulk, generate
from desktop_app.io import hq_workbook as hw
from desktop_app.store.db import Database, open_database
from desktop_app.store.models import Base, DealerProfile, ScanLog


def add_scans(db: Database, n: int) -> int:
    """`n` scan-log rows for attended registrations (90% accepted, the rest refusals)."""
    with db.engine.connect() as conn:
        regs = conn.exec_driver_sql(
            "SELECT id, event_id, updated_at FROM registrations WHERE status='attended' LIMIT ?",
            (n,),
        ).fetchall()
    if not regs:
        return 0
    from datetime import UTC, datetime

    def rows():  # type: ignore[no-untyped-def]
        for i in range(n):
            rid, eid, upd = regs[i % len(regs)]
            when = datetime.fromisoformat(str(upd)).replace(tzinfo=UTC) + timedelta(days=1)
            ok = i < len(regs) and i % 10
            yield {
                "id": uuid.uuid4(),
                "created_at": when,
                "updated_at": when,
                "origin_dealer": DEALER,
                "origin_device": DEVICE,
                "nonce": uuid.uuid4(),
                "event_id": uuid.UUID(hex=str(eid)),
                "registration_id": uuid.UUID(hex=str(rid)),
                "action": "check_in",
                "result": "accepted" if ok else "already_checked_in",
                "desk": "前台A" if i % 2 else "前台B",
                "scanned_at": when,
            }

    with db.engine.begin() as conn:
        return bulk(conn, ScanLog.__table__, rows())


def make_db(path: Path, people: int, registrations: int, scans: int) -> None:
    if path.exists():
        return
    db = open_database(str(path))
    t0 = time.perf_counter()
    counts = generate(
        db, people=people, events=max(50, registrations // 500), registrations=registrations
    )
    counts["scans"] = add_scans(db, scans)
    db.close()
    print(f"generated {path.name}: {counts} in {time.perf_counter() - t0:.0f}s", flush=True)


def timed(fn: Callable[[], object]) -> tuple[float, float]:
    w, c = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - w, time.process_time() - c


def raw_rows(db: Database):  # type: ignore[no-untyped-def]
    """(sheet, rows) with the driver's raw values of the export's columns."""
    for sheet in hw.SHEETS:
        table = Base.metadata.tables[sheet.table]
        cols = [c.source or c.key for c in sheet.columns if c.source != ""]
        with db.engine.connect() as conn:
            cur = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
            cur.execute(f"SELECT {', '.join(cols)} FROM {table.name} ORDER BY updated_at, id")
            yield sheet, cur


def db_read(db: Database) -> int:
    n = 0
    for _sheet, cur in raw_rows(db):
        for _row in cur:
            n += 1
    return n


def bare_xlsxwriter(db: Database, out: Path) -> int:
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(out), {"constant_memory": True})
    n = 0
    for sheet, cur in raw_rows(db):
        ws = wb.add_worksheet(sheet.name)
        ws.write_row(0, 0, sheet.keys)
        for r, row in enumerate(cur, start=1):
            ws.write_row(r, 0, row)
            n += 1
    wb.close()
    return n


def bare_openpyxl(db: Database, out: Path) -> int:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    n = 0
    for sheet, cur in raw_rows(db):
        ws = wb.create_sheet(sheet.name)
        ws.append(sheet.keys)
        for row in cur:
            ws.append(row)
            n += 1
    wb.save(out)
    return n


def peak_rss_of_export(db_path: Path, out: Path) -> float:
    """MB of peak resident memory of an export in a fresh process."""
    code = (
        "import resource, sys\n"
        "from desktop_app.store.db import open_database\n"
        "from desktop_app.services.hq_export import export_hq\n"
        f"db = open_database({str(db_path)!r})\n"
        "base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        f"export_hq(db, {str(out)!r}, pii='masked')\n"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - base, "
        "resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n"
    )
    root = Path(__file__).resolve().parents[1]
    res = subprocess.run(
        [sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True
    )
    _growth_kb, total_kb = (int(x) for x in res.stdout.split())
    return total_kb / 1024


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--people", type=int, default=100_000)
    ap.add_argument("--registrations", type=int, default=1_000_000)
    ap.add_argument("--scans", type=int, default=500_000)
    ap.add_argument("--keep", help="folder to keep the generated databases in")
    ap.add_argument("--skip-openpyxl", action="store_true")
    args = ap.parse_args()
    tmp = Path(args.keep or tempfile.mkdtemp(prefix="bench_hq_"))
    tmp.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("PADDOCK_HOME", str(tmp))
    tag = f"{args.people}_{args.registrations}_{args.scans}"
    big = tmp / f"hq_{tag}.sqlite"
    small = tmp / f"hq_{tag}_tenth.sqlite"
    make_db(big, args.people, args.registrations, args.scans)
    make_db(small, args.people // 10, args.registrations // 10, args.scans // 10)

    from desktop_app.services.hq_export import export_hq

    db = open_database(str(big))
    with db.read() as s:
        assert s.get(DealerProfile, 1) is not None
    n = db_read(db)
    print(f"rows exported: {n:,} (all sheets)", flush=True)
    t_read = timed(lambda: db_read(db))
    t_xw = timed(lambda: bare_xlsxwriter(db, tmp / "bare_xw.xlsx"))
    t_op = None if args.skip_openpyxl else timed(lambda: bare_openpyxl(db, tmp / "bare_op.xlsx"))
    box: dict[str, object] = {}
    t_exp = timed(lambda: box.update(r=export_hq(db, tmp / "export.xlsx", pii="masked")))
    report = box["r"]
    db.close()
    bare = min(t for t in (t_xw, t_op) if t is not None)
    bare_name = "xlsxwriter" if bare is t_xw else "openpyxl"

    def line(label: str, t: tuple[float, float], note: str = "") -> None:
        print(
            f"{label:34s} wall {t[0]:7.1f}s {n / t[0]:9,.0f} rows/s {t[0] / bare[0]:5.2f}×"
            f" | cpu {t[1]:7.1f}s {t[1] / bare[1]:5.2f}× {note}",
            flush=True,
        )

    line("db read only (raw driver)", t_read)
    line("bare xlsxwriter constant_memory", t_xw, "(baseline)" if bare is t_xw else "")
    if t_op is not None:
        line("bare openpyxl write-only", t_op, "(baseline)" if bare is t_op else "")
    line("export_hq (masked, typed)", t_exp, f"(target ≤ 1.3× bare {bare_name})")
    print(f"export file {(tmp / 'export.xlsx').stat().st_size / 1e6:.0f} MB; rows {report.rows}")  # type: ignore[attr-defined]
    rss_small = peak_rss_of_export(small, tmp / "export_small.xlsx")
    rss_big = peak_rss_of_export(big, tmp / "export_big.xlsx")
    print(f"peak RSS of an export: {rss_small:.0f} MB at 1/10 size, {rss_big:.0f} MB at full size")
    self_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"(this benchmark process peaked at {self_rss:.0f} MB)")


if __name__ == "__main__":
    main()
