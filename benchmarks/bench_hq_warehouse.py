"""HQ's PostgreSQL warehouse at national scale: `paddock hq load` of 660 dealer files (2k
rows each) and `paddock hq rollup`, each against its floor measured in the same run.

Prints:
- load: all the files into an empty warehouse (a fresh process) against the floor of the
  same work — calamine reading every sheet of every file (no checks) plus a bare COPY of
  the same typed rows into the same tables (one transaction per file, no staging, no
  upsert); rows/s of each and the ratio (target ≤ 2×). The COPY alone is printed too.
- peak memory (VmHWM) of a load of 100 files and of all of them (target within 1.2×);
- roll-up: rollup_hq's KPIs (per event, dealer, campaign, region, month) of the loaded
  warehouse against the single aggregate query they need — one pass of registrations
  joined to their events and people, grouped by event (target ≤ 2×) — and against its own
  view's statement (SELECT * FROM hq.kpi_events: every definition, each person's first
  attended event included); medians of 3, interleaved. The roll-up workbook (KPI sheets,
  then with the detail sheets) is timed too, for information.

The dealer files are generated once and cached (~/.cache/paddock-bench/hq_v1_2000, or
PADDOCK_BENCH_CACHE). The warehouse: PADDOCK_BENCH_PG_URL, else a database named after
PADDOCK_TEST_PG_URL's plus `_hqbench` (created when missing; its `hq` schema is dropped).

Run: .venv/bin/python -m benchmarks.bench_hq_warehouse [--dealers 660 --rows 2000]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.bench_hq_merge import cache_dir, dealer_files
from desktop_app.store import warehouse as wh

ROOT = Path(__file__).resolve().parents[1]


def bench_url() -> str:
    import psycopg
    from sqlalchemy.engine import make_url

    explicit = os.environ.get("PADDOCK_BENCH_PG_URL")
    base = explicit or os.environ.get("PADDOCK_TEST_PG_URL")
    if not base:
        raise SystemExit("set PADDOCK_BENCH_PG_URL (or PADDOCK_TEST_PG_URL) to a PostgreSQL URL")
    url = make_url(base).set(drivername="postgresql")
    if not explicit:
        name = f"{url.database}_hqbench"
        with psycopg.connect(url.render_as_string(hide_password=False), autocommit=True) as c:
            if not c.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
                c.execute(f'CREATE DATABASE "{name}"')
        url = url.set(database=name)
    return url.render_as_string(hide_password=False)


def fresh(url: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP SCHEMA IF EXISTS hq CASCADE")
    wh.migrate(url)


def in_fresh_process(code: str, *args: str) -> dict[str, Any]:
    """Run `code` (which prints one JSON object last) in a new interpreter; its VmHWM added."""
    tail = (
        "\nimport json as _j\n"
        "_r['vmhwm_mb'] = next(int(l.split()[1]) for l in open('/proc/self/status') "
        "if l.startswith('VmHWM')) / 1024\n"
        "print(_j.dumps(_r))\n"
    )
    res = subprocess.run(
        [sys.executable, "-c", code + tail, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if res.returncode:
        raise SystemExit(res.stderr[-3000:])
    return json.loads(res.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


LOAD = """
import sys, time
from desktop_app.services.hq_load import load_hq
url, files = sys.argv[1], sys.argv[2:]
w, c = time.perf_counter(), time.process_time()
report = load_hq(files, url)
w, c = time.perf_counter() - w, time.process_time() - c
bad = [f.error for f in report.files if f.status != "loaded"][:3]
_r = {"wall": w, "cpu": c, "rows": report.total("rows"), "bad": bad}
"""

FLOOR = """
import sys, time
import psycopg
import python_calamine as pc
from desktop_app.io import hq_workbook as hw
from desktop_app.store import warehouse as wh
url, files = sys.argv[1], sys.argv[2:]
conn = psycopg.connect(url, autocommit=True)
conn.execute("SET TIME ZONE 'UTC'")
copy_sql = {s.name: f"COPY {wh.table(s.name)} ({', '.join(wh.q(c.key) for c in s.columns)}) FROM STDIN"
            for s in hw.SHEETS}
read_w = read_c = copy_w = copy_c = 0.0
rows = 0
for f in files:
    # the floor's read: calamine hands over every cell of every sheet, nothing checked
    w, c = time.perf_counter(), time.process_time()
    wb = pc.CalamineWorkbook.from_path(f)
    wb.get_sheet_by_name("_meta").to_python()
    for s in hw.SHEETS:
        wb.get_sheet_by_name(s.name).to_python()
    wb.close()
    read_w += time.perf_counter() - w
    read_c += time.process_time() - c
    typed = hw.read_workbook(f).rows  # the same rows typed as the tables want (not timed)
    w, c = time.perf_counter(), time.process_time()
    with conn.transaction(), conn.cursor() as cur:
        for s in hw.SHEETS:
            with cur.copy(copy_sql[s.name]) as cp:
                for r in typed[s.name]:
                    cp.write_row(r)
                    rows += 1
    copy_w += time.perf_counter() - w
    copy_c += time.process_time() - c
_r = {"read_wall": read_w, "read_cpu": read_c, "copy_wall": copy_w, "copy_cpu": copy_c,
      "rows": rows}
"""

ROLLUP = """
import sys, time
from desktop_app.services.hq_rollup import rollup_hq
url, out, details = sys.argv[1], sys.argv[2], sys.argv[3] == "1"
w = time.perf_counter()
r = rollup_hq(url, out if out != "-" else None, details=details)
_r = {"wall": time.perf_counter() - w, "events": len(r.kpis["events"]),
      "skipped": [s.sheet for s in r.skipped]}
"""

# The one pass the KPIs cannot do without: every live registration of a live event with
# its person's stage, counted per event by what it is (confirmed, walk-in, came, prospect).
AGGREGATE = """
SELECT r.event_id,
       count(*) FILTER (WHERE r.status IN ('registered', 'attended', 'no_show')
                          AND NOT coalesce(r.is_walk_in, false)),
       count(*) FILTER (WHERE r.checked_in_at IS NOT NULL OR r.online_minutes >= 10),
       count(*) FILTER (WHERE r.referred_by_id IS NOT NULL),
       count(*) FILTER (WHERE p.stage = 'prospect')
FROM hq.registrations r
JOIN hq.events e ON e.id = r.event_id
LEFT JOIN hq.people p ON p.id = r.person_id AND NOT p.deleted
WHERE NOT r.deleted AND NOT e.deleted
GROUP BY r.event_id
"""


def rollup_kpis(url: str) -> float:
    from desktop_app.services.hq_rollup import rollup_hq

    w = time.perf_counter()
    rollup_hq(url, details=False)
    return time.perf_counter() - w


def timed_query(url: str, sql: str) -> float:
    """One statement in the roll-up's session settings (its work_mem), connection included
    as the roll-up's is."""
    import psycopg

    from desktop_app.services.hq_rollup import WORK_MEM

    w = time.perf_counter()
    with psycopg.connect(url) as conn:
        conn.execute(f"SET work_mem = '{WORK_MEM}'")
        conn.execute(sql).fetchall()
    return time.perf_counter() - w


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--dealers", type=int, default=660)
    ap.add_argument("--rows", type=int, default=2000)
    ap.add_argument("--small", type=int, default=100, help="files of the smaller memory run")
    args = ap.parse_args()
    load0 = os.getloadavg()
    t0 = time.perf_counter()
    files = [str(f) for f in dealer_files(args.dealers, args.rows)]
    print(f"{len(files)} dealer files ready in {time.perf_counter() - t0:.0f}s "
          f"({cache_dir(args.rows)})", flush=True)  # fmt: skip
    url = bench_url()
    print(f"warehouse {wh.safe_url(url)}; load average at start {load0[0]:.1f} (2 cores)")

    fresh(url)
    floor = in_fresh_process(FLOOR, url, *files)
    fresh(url)
    load = in_fresh_process(LOAD, url, *files)
    if load["bad"]:
        print("files not loaded:", load["bad"])
    rows = load["rows"]
    floor_wall = floor["read_wall"] + floor["copy_wall"]
    floor_cpu = floor["read_cpu"] + floor["copy_cpu"]
    print(f"\nload of {len(files)} files, {rows:,} rows (all the files; fresh process each)")
    print(
        f"  calamine read, no checks      wall {floor['read_wall']:7.1f}s  cpu {floor['read_cpu']:7.1f}s"
    )
    print(f"  bare COPY of the same rows    wall {floor['copy_wall']:7.1f}s  cpu {floor['copy_cpu']:7.1f}s"
          f"  {rows / floor['copy_wall']:9,.0f} rows/s")  # fmt: skip
    print(f"  floor = read + bare COPY      wall {floor_wall:7.1f}s  cpu {floor_cpu:7.1f}s"
          f"  {rows / floor_wall:9,.0f} rows/s  (baseline)")  # fmt: skip
    print(f"  hq load (checks, staging, upsert) wall {load['wall']:7.1f}s  cpu {load['cpu']:7.1f}s"
          f"  {rows / load['wall']:9,.0f} rows/s  = {load['wall'] / floor_wall:4.2f}× the floor "
          f"(target ≤ 2×); {load['wall'] / floor['copy_wall']:4.1f}× the COPY alone", flush=True)  # fmt: skip

    # Roll-up of the loaded warehouse against its one aggregate pass (medians of 3).
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("ANALYZE")
    agg_runs, view_runs, kpi_runs = [], [], []
    for _ in range(3):  # interleaved, so that a change in the machine's load hits all
        agg_runs.append(timed_query(url, AGGREGATE))
        view_runs.append(timed_query(url, "SELECT * FROM hq.kpi_events"))
        kpi_runs.append(rollup_kpis(url))
    agg, view, kpis = (statistics.median(r) for r in (agg_runs, view_runs, kpi_runs))
    print(f"\nroll-up of the loaded warehouse ({rows:,} rows), medians of 3")
    print(f"  GROUP BY event of registrations ⋈ events ⋈ people  {agg:7.2f}s  (baseline)")
    print(
        f"  SELECT * FROM hq.kpi_events (every definition)      {view:7.2f}s  = {view / agg:4.2f}×"
    )
    print(f"  rollup_hq KPIs: events, dealers, campaigns, regions, months  {kpis:7.2f}s  "
          f"= {kpis / agg:4.2f}× the GROUP BY (target ≤ 2×), {kpis / view:4.2f}× its own view")  # fmt: skip
    out = Path(cache_dir(args.rows)).parent / "rollup_bench.xlsx"
    sheets = in_fresh_process(ROLLUP, url, str(out), "0")
    print(f"  roll-up workbook, KPI sheets  {sheets['wall']:7.2f}s  ({sheets['events']:,} events)")
    full = in_fresh_process(ROLLUP, url, str(out), "1")
    print(f"  … with the detail sheets      {full['wall']:7.2f}s  (not written: "
          f"{', '.join(full['skipped']) or 'none'}); peak {full['vmhwm_mb']:.0f} MB", flush=True)  # fmt: skip

    # Peak memory: a load of the first `small` files vs all of them (both from empty).
    fresh(url)
    small = in_fresh_process(LOAD, url, *files[: args.small])
    print(f"\npeak memory (VmHWM) of hq load: {small['vmhwm_mb']:.0f} MB for {args.small} files, "
          f"{load['vmhwm_mb']:.0f} MB for {len(files)} = {load['vmhwm_mb'] / small['vmhwm_mb']:4.2f}× "
          "(target ≤ 1.2×)")  # fmt: skip
    load1 = os.getloadavg()
    print(f"load average at the end {load1[0]:.1f} (1 min), {load1[1]:.1f} (5 min)")


if __name__ == "__main__":
    main()
