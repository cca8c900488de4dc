"""`paddock hq merge|load|rollup`: what HQ runs on dealers' workbooks (no dealer database).

merge: files → a roll-up workbook, no server. load: files → HQ's PostgreSQL warehouse.
rollup: the warehouse → KPI sheets (and detail sheets where they fit in Excel).
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import date
from typing import Any

from desktop_app.cli import EXIT_BAD_INPUT, EXIT_OK, Context, common_options
from desktop_app.services import hq_load, hq_merge, hq_rollup

URL_ENV = "PADDOCK_HQ_URL"  # the warehouse when --into / --from URL is not given


def register(sub: Any) -> None:
    hqg = sub.add_parser("hq", help="HQ tools (no dealer database needed)").add_subparsers(
        dest="hq_verb", metavar="ACTION"
    )
    mg = hqg.add_parser(
        "merge", parents=[common_options()], help="merge dealers' HQ workbooks into a roll-up"
    )
    mg.add_argument("files", nargs="+", metavar="FILE")
    mg.add_argument("--out", required=True, help="the roll-up .xlsx to write")
    mg.set_defaults(handler=_merge)

    ld = hqg.add_parser(
        "load",
        parents=[common_options()],
        help="load dealers' HQ workbooks into HQ's PostgreSQL warehouse (docs/hq-warehouse.md)",
    )
    ld.add_argument("files", nargs="+", metavar="FILE")
    ld.add_argument(
        "--into",
        metavar="URL",
        help=f"the warehouse: postgresql://user:password@host/database (default: {URL_ENV})",
    )
    ld.set_defaults(handler=_load)

    ru = hqg.add_parser(
        "rollup",
        parents=[common_options()],
        help="KPI roll-up of the warehouse (per dealer, campaign, region, month, event)",
    )
    ru.add_argument(
        "--from",
        dest="from_",
        action="append",
        default=[],
        metavar="URL|DATE",
        help=f"the warehouse URL (default: {URL_ENV}); given a date (YYYY-MM-DD), the first "
        "day of events to count (their local start day). Both may be given: --from URL --from DATE",
    )
    ru.add_argument("--to", metavar="DATE", help="the last day of events to count (YYYY-MM-DD)")
    ru.add_argument("--campaign", metavar="CODE", help="only this HQ campaign's events")
    ru.add_argument("--out", help="the roll-up .xlsx to write (without it: the figures only)")
    ru.add_argument(
        "--no-details",
        dest="details",
        action="store_false",
        help="KPI sheets only (no detail sheets of rows)",
    )
    ru.set_defaults(handler=_rollup)


def _merge(args: argparse.Namespace, ctx: Context) -> int:
    report = hq_merge.merge_hq(args.files, args.out)

    def human() -> str:
        lines = [f"roll-up written: {report.out}"]
        for f in report.files:
            lines.append(
                f"  {f.status:<14} {f.dealer_code or '—':<10} {f.file}"
                + (f"  ({f.error})" if f.error else "")
            )
        lines += [f"  {name:<18} {n:>8}" for name, n in report.rows.items()]
        return "\n".join(lines)

    ctx.emit(report.to_json(), human)
    if any(f.status == "rejected" for f in report.files):
        print(
            f"paddock: {sum(f.status == 'rejected' for f in report.files)} file(s) skipped",
            file=sys.stderr,
        )
    return EXIT_OK


def _usage(message: str) -> int:
    print(f"paddock: {message}", file=sys.stderr)
    return 2


def _load(args: argparse.Namespace, ctx: Context) -> int:
    into = args.into or os.environ.get(URL_ENV)  # read when run: the parser is built once
    if not into:
        return _usage(f"hq load: give the warehouse with --into URL (or set {URL_ENV})")
    report = hq_load.load_hq(args.files, into)

    def human() -> str:
        data = report.to_json()
        lines = [
            f"warehouse {report.into}: {data['loaded']} file(s) loaded, "
            f"{data['rejected']} refused — {data['rows']:,} rows: {data['created']:,} new, "
            f"{data['updated']:,} updated, {data['unchanged']:,} unchanged"
        ]
        for f in report.files:
            counts = (
                f"  {f.rows:,} rows ({f.created:,} new, {f.updated:,} updated, "
                f"{f.unchanged:,} unchanged)"
                if f.rows
                else ""
            )
            lines.append(
                f"  {f.status:<15} {f.dealer_code or '—':<10} {f.file}{counts}"
                + (f"  ({f.error})" if f.error else "")
            )
        return "\n".join(lines)

    ctx.emit(report.to_json(), human)
    refused = sum(f.status == "rejected" for f in report.files)
    if refused:
        print(f"paddock: {refused} file(s) refused (nothing of them loaded)", file=sys.stderr)
    if refused and not any(f.status in ("loaded", "already_loaded") for f in report.files):
        return EXIT_BAD_INPUT
    return EXIT_OK


def _rollup(args: argparse.Namespace, ctx: Context) -> int:
    urls = [v for v in args.from_ if "://" in v]
    days = [v for v in args.from_ if "://" not in v]
    if len(urls) > 1 or len(days) > 1:
        return _usage("hq rollup: give --from at most once as the URL and once as a date")
    url = urls[0] if urls else os.environ.get(URL_ENV)
    if not url:
        return _usage(f"hq rollup: give the warehouse with --from URL (or set {URL_ENV})")
    try:
        date_from = date.fromisoformat(days[0]) if days else None
        date_to = date.fromisoformat(args.to) if args.to else None
    except ValueError as exc:
        return _usage(f"hq rollup: dates are YYYY-MM-DD ({exc})")
    report = hq_rollup.rollup_hq(
        url,
        args.out,
        campaign=args.campaign,
        date_from=date_from,
        date_to=date_to,
        details=args.details,
    )

    def human() -> str:
        k = report.kpis
        lines = [
            f"roll-up written: {report.out}" if report.out else "roll-up (no file written)",
            f"  warehouse {report.source}",
        ]
        chosen = [f"{k}={v}" for k, v in report.filters.items() if v is not None]
        if chosen:
            lines.append(f"  events chosen by {', '.join(chosen)}")
        lines.append(
            "  " + ", ".join(f"{len(k[name]):,} {name}" for name in ("events", *_GROUP_NAMES))
        )
        if report.rows and report.out:
            lines.append("  detail sheets:")
            lines += [
                f"    {name:<18} {n:>10,}" for name, n in report.rows.items()
                if name not in {s.sheet for s in report.skipped}
            ]  # fmt: skip
        if report.out:
            lines += [f"  NOT WRITTEN {s.sheet}: {s.reason}" for s in report.skipped]
        return "\n".join(lines)

    ctx.emit(report.to_json(), human)
    for s in report.skipped:
        if report.out:
            print(f"paddock: detail sheet {s.sheet} not written: {s.reason}", file=sys.stderr)
    return EXIT_OK


_GROUP_NAMES = tuple(name for name, _k, _b in hq_merge.GROUPS)
