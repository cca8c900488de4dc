"""`paddock hq merge` of 660 dealers' files (2k rows each) against a bare read + write.

Prints, measured in the same run:
- baseline: python-calamine reading every sheet of every file (to_python) plus xlsxwriter
  constant_memory write_row of the roll-up's rows (as many rows as the merge writes), bare;
- merge_hq: validation of every file against the contract, dedupe, KPIs, typed roll-up —
  seconds and the ratio (target ≤ 1.5×);
- peak RSS of a merge in a fresh process at 1/4 and all of the files.

The dealer files are generated once (valid contract workbooks, realistic shapes: 600 people,
800 registrations, 200 scans… per dealer) and kept with --keep DIR.

Run: .venv/bin/python -m benchmarks.bench_hq_merge [--dealers 660 --rows 2000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.datagen import SURNAMES
from desktop_app.io import hq_workbook as hw

# Rows per sheet for a 2,000-row dealer file (scaled for other sizes).
SHAPE = {
    "events": 10,
    "people": 600,
    "vehicles": 300,
    "clubs": 2,
    "club_memberships": 50,
    "registrations": 800,
    "checkins": 190,
    "online_attendance": 0,
    "points_ledger": 40,
    "feedback": 8,
}
CAMPAIGNS = ("HQ-2026-MBR11", "HQ-2026-MBR12", "HQ-2026-MD-S7", "HQ-2026-CARE-WIN")
REGIONS = ("华东", "华南", "华北", "华中", "西南", "西北", "东北")


def _value(col: hw.Column, rnd: random.Random, ctx: dict[str, Any], i: int) -> Any:
    k, t = col.key, col.type
    if k in ctx:
        v = ctx[k]
        return v(i) if callable(v) else v
    if t == hw.UUID:
        return (
            None
            if col.nullable and rnd.random() < 0.5
            else str(uuid.UUID(int=rnd.getrandbits(128)))
        )
    if t == hw.DATETIME:
        return (
            None
            if col.nullable and rnd.random() < 0.3
            else ctx["_now"] - timedelta(minutes=rnd.randint(0, 400_000))
        )
    if t == hw.DATE:
        return date(2020, 1, 1) + timedelta(days=rnd.randint(0, 2000))
    if t == hw.INT:
        return rnd.randint(0, 5)
    if t == hw.NUMBER:
        return float(rnd.randint(1000, 50000))
    if t == hw.BOOL:
        return rnd.random() < 0.1
    return rnd.choice(("展厅", "车友会", "线上", "门店活动", "老客户回访"))


def make_dealer_file(path: Path, n: int, rows_per_file: int) -> None:
    import xlsxwriter

    from desktop_app.services.hq_merge import _write_meta, _Writer

    rnd = random.Random(n)
    code = f"D{n:04d}"
    now = datetime(2026, 11, 20, tzinfo=UTC)
    scale = rows_per_file / sum(SHAPE.values())
    # sheets the shape does not name (added to the contract later) are empty
    counts = {s.name: max(1 if SHAPE.get(s.name) else 0, round(SHAPE.get(s.name, 0) * scale))
              for s in hw.SHEETS}  # fmt: skip
    ids = {
        k: [str(uuid.UUID(int=rnd.getrandbits(128))) for _ in range(v)] for k, v in counts.items()
    }
    events = ids["events"]
    people = ids["people"]
    regs = ids["registrations"]
    starts = {e: now - timedelta(days=rnd.randint(1, 300)) for e in events}
    reg_event = {r: rnd.choice(events) for r in regs}
    common = {"dealer_code": code, "deleted": False, "deleted_at": None, "_now": now}
    per_sheet: dict[str, dict[str, Any]] = {
        "events": {
            "title": lambda i: f"活动{i}", "type": "member_day", "format": "on_site",
            "status": "completed", "starts_at": lambda i: starts[events[i]],
            "ends_at": lambda i: starts[events[i]] + timedelta(hours=3), "timezone": "Asia/Shanghai",
            "campaign_code": lambda i: CAMPAIGNS[i % len(CAMPAIGNS)] if i % 2 else None,
            "min_online_minutes": None, "cancel_reason": None,
        },
        "people": {
            "name": lambda i: rnd.choice(SURNAMES) + "*", "phone": lambda i: f"13{rnd.randint(0, 9)}****{rnd.randint(0, 9999):04d}",
            "phone_hash": None, "stage": lambda i: rnd.choice(("prospect", "owner", "member")),
            "merged_into_id": None,
        },
        "vehicles": {"person_id": lambda i: people[i % len(people)]},
        "club_memberships": {"person_id": lambda i: people[i], "club_id": lambda i: ids["clubs"][i % 2]},
        "registrations": {
            "event_id": lambda i: reg_event[regs[i]], "person_id": lambda i: people[i % len(people)],
            "status": lambda i: rnd.choice(("registered", "registered", "cancelled")),
            "source": "phone_invite", "party_size": 1,
            "checked_in_at": lambda i: starts[reg_event[regs[i]]] + timedelta(minutes=rnd.randint(0, 60)) if i % 3 else None,
        },
        "checkins": {
            "event_id": lambda i: rnd.choice(events), "registration_id": lambda i: rnd.choice(regs),
            "action": "check_in", "result": "accepted",
        },
        "points_ledger": {"person_id": lambda i: people[i], "registration_id": lambda i: regs[i], "delta": 50},
        "feedback": {"event_id": lambda i: events[i % len(events)], "rating": lambda i: rnd.randint(3, 5), "nps": 9},
    }  # fmt: skip
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    w = _Writer(wb)
    meta: list[tuple[str, Any]] = [
        ("schema_version", hw.SCHEMA_VERSION), ("dealer_code", code), ("dealer_name", f"经销商{n}"),
        ("dealer_region", REGIONS[n % len(REGIONS)]), ("dealer_city", f"城市{n % 97}"),
        ("app_version", "0.1.0"), ("exported_at", now), ("watermark", now), ("since", ""),
        ("mode", "full"), ("pii_mode", "masked"), ("checkins", "all"),
        *((hw.rows_meta_key(k), v) for k, v in counts.items()),
    ]  # fmt: skip
    _write_meta(w, meta)
    for sheet in hw.SHEETS:
        ctx = {**common, **per_sheet.get(sheet.name, {})}
        rows = []
        for i, rid in enumerate(ids[sheet.name]):
            ctx["id"] = rid
            ctx["updated_at"] = now - timedelta(minutes=i)
            rows.append([_value(c, rnd, ctx, i) for c in sheet.columns])
        w.sheet(sheet.name, [(c.key, c.type) for c in sheet.columns], rows)
    wb.close()


def timed(fn: Callable[[], object]) -> tuple[float, float]:
    w, c = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - w, time.process_time() - c


def bare(files: list[Path], out: Path) -> int:
    """calamine reads every sheet; xlsxwriter writes the same rows back, untyped."""
    import python_calamine as pc
    import xlsxwriter

    wb_out = xlsxwriter.Workbook(str(out), {"constant_memory": True, "remove_timezone": True})
    sheets = {s.name: wb_out.add_worksheet(s.name) for s in hw.SHEETS}
    next_row = dict.fromkeys(sheets, 1)
    n = 0
    # Rows go out sheet by sheet (constant_memory writes rows in order per sheet), so the
    # baseline holds them like the merge does, then writes.
    held: dict[str, list[list[Any]]] = {name: [] for name in sheets}
    for f in files:
        wb = pc.CalamineWorkbook.from_path(str(f))
        wb.get_sheet_by_name("_meta").to_python()
        for name in sheets:
            held[name].extend(wb.get_sheet_by_name(name).to_python()[1:])
        wb.close()
    for name, ws in sheets.items():
        for row in held[name]:
            ws.write_row(next_row[name], 0, row)
            next_row[name] += 1
            n += 1
    wb_out.close()
    return n


def merge_in_fresh_process(files: list[Path], out: Path) -> tuple[float, float, float, int]:
    """(wall s, cpu s, peak RSS MB, roll-up rows) of merge_hq in a fresh process."""
    code = (
        "import json, sys, time\n"
        "from desktop_app.services.hq_merge import merge_hq\n"
        "files = sys.argv[1:]\n"
        "w, c = time.perf_counter(), time.process_time()\n"
        f"r = merge_hq(files, {str(out)!r})\n"
        "w, c = time.perf_counter() - w, time.process_time() - c\n"
        # VmHWM, not ru_maxrss: Linux carries the parent's peak into a forked child's
        # ru_maxrss across exec, so it reported this benchmark's own memory, not the merge's.
        "rss = next(int(l.split()[1]) for l in open('/proc/self/status') if l.startswith('VmHWM')) / 1024\n"
        "bad = [f.error for f in r.files if f.status != 'merged']\n"
        "print(json.dumps([w, c, rss, sum(r.rows.values()), bad[:3]]))\n"
    )
    root = Path(__file__).resolve().parents[1]
    res = subprocess.run(
        [sys.executable, "-c", code, *map(str, files)],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    )
    w, c, rss, rows, bad = json.loads(res.stdout.strip().splitlines()[-1])
    if bad:
        print("rejected files:", bad)
    return w, c, rss, rows


def cache_dir(rows: int) -> Path:
    """Where generated dealer files are kept between runs (PADDOCK_BENCH_CACHE, else
    ~/.cache/paddock-bench): generating 660 of them takes minutes."""
    base = Path(os.environ.get("PADDOCK_BENCH_CACHE") or Path.home() / ".cache" / "paddock-bench")
    folder = base / f"hq_v{hw.SCHEMA_VERSION}_{rows}"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def dealer_files(n: int, rows: int, folder: Path | None = None) -> list[Path]:
    """The first n dealer files, generating the missing ones (kept for next time)."""
    folder = folder or cache_dir(rows)
    files = []
    for i in range(n):
        f = folder / f"D{i:04d}.xlsx"
        if not f.exists():
            part = f.with_suffix(".part")
            make_dealer_file(part, i, rows)
            part.rename(f)
        files.append(f)
    return files


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--dealers", type=int, default=660)
    ap.add_argument("--rows", type=int, default=2000)
    ap.add_argument("--small", type=int, default=100, help="files of the smaller memory run")
    ap.add_argument("--keep", help="folder for the dealer files (default: the cache)")
    args = ap.parse_args()
    t0 = time.perf_counter()
    folder = Path(args.keep) / f"dealers_{args.rows}" if args.keep else None
    if folder is not None:
        folder.mkdir(parents=True, exist_ok=True)
    files = dealer_files(args.dealers, args.rows, folder)
    tmp = Path(tempfile.mkdtemp(prefix="bench_merge_"))
    print(f"{len(files)} dealer files ready in {time.perf_counter() - t0:.0f}s", flush=True)
    print(f"load average at start {os.getloadavg()[0]:.1f} (2 cores)")

    t_bare = timed(lambda: bare(files, tmp / "bare.xlsx"))
    w, c, rss_full, rows = merge_in_fresh_process(files, tmp / "rollup.xlsx")
    print(f"files {len(files)}, roll-up rows {rows:,}")
    print(
        f"{'bare calamine read + xlsxwriter':34s} wall {t_bare[0]:7.1f}s | cpu {t_bare[1]:7.1f}s  (baseline)"
    )
    print(
        f"{'merge_hq (fresh process)':34s} wall {w:7.1f}s ({w / t_bare[0]:4.2f}×) | cpu {c:7.1f}s "
        f"({c / t_bare[1]:4.2f}×)  target ≤ 1.5×",
        flush=True,
    )
    small = merge_in_fresh_process(files[: args.small], tmp / "r_small.xlsx")[2]
    print(
        f"peak RSS (VmHWM) of a merge: {small:.0f} MB for {args.small} files, {rss_full:.0f} MB "
        f"for {len(files)} = {rss_full / small:4.2f}×"
    )
    print(f"load average at the end {os.getloadavg()[0]:.1f}")
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
