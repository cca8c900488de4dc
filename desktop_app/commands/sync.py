"""`paddock export hq`, `paddock import campaigns`: exchanging workbooks with HQ (the `hq`
verbs HQ itself runs are in commands/hq.py)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from desktop_app.cli import EXIT_OK, Context, common_options
from desktop_app.domain.errors import ValidationError
from desktop_app.io.hq_workbook import PII_MODES
from desktop_app.services import campaigns, hq_export
from desktop_app.services.import_report import human_lines


def register(sub: Any) -> None:
    ex = sub.add_parser("export", help="export workbooks (HQ)").add_subparsers(
        dest="export_verb", metavar="WHAT"
    )
    hq = ex.add_parser(
        "hq", parents=[common_options()], help="the HQ workbook (docs/hq-workbook.md)"
    )
    hq.add_argument("--out", required=True, help="the .xlsx to write")
    group = hq.add_mutually_exclusive_group()
    group.add_argument(
        "--since-last",
        dest="mode",
        action="store_const",
        const="since_last",
        help="only rows changed since the last HQ export (its watermark)",
    )
    group.add_argument(
        "--full", dest="mode", action="store_const", const="full", help="everything (default)"
    )
    hq.add_argument("--pii", choices=PII_MODES, default="masked", help="default: masked")
    hq.add_argument(
        "--checkins",
        choices=hq_export.CHECKIN_OPTIONS,
        default="all",
        help="scan log rows: all (default) or accepted only",
    )
    hq.add_argument(
        "--hash-key-file",
        help="store HQ's hash key from this file (used by --pii hashed, kept in settings)",
    )
    hq.set_defaults(handler=_export_hq, mode="full")

    im = sub.add_parser("import", help="import workbooks from HQ").add_subparsers(
        dest="import_verb", metavar="WHAT"
    )
    camp = im.add_parser(
        "campaigns", parents=[common_options()], help="HQ's campaign pack → draft events"
    )
    camp.add_argument("file")
    camp.add_argument(
        "--dry-run", action="store_true", help="show what would change; change nothing"
    )
    camp.set_defaults(handler=_import_campaigns)


def _export_hq(args: argparse.Namespace, ctx: Context) -> int:
    if args.hash_key_file:
        try:
            key = Path(args.hash_key_file).read_text(encoding="utf-8")
        except OSError as exc:
            raise ValidationError("hash_key", "folder_missing", folder=str(exc.filename)) from None
        hq_export.set_hash_key(ctx.db, key)
    report = hq_export.export_hq(
        ctx.db, args.out, mode=args.mode, pii=args.pii, checkins=args.checkins
    )

    def human() -> str:
        lines = [
            f"HQ export written: {report.file}",
            f"  mode {report.mode}, PII {report.pii_mode}, "
            f"watermark {report.watermark.isoformat() if report.watermark else '—'}",
        ]
        lines += [f"  {name:<18} {n:>8}" for name, n in report.rows.items()]
        return "\n".join(lines)

    ctx.emit(report.to_json(), human)
    return EXIT_OK


def _import_campaigns(args: argparse.Namespace, ctx: Context) -> int:
    report = campaigns.import_campaigns(ctx.db, args.file, dry_run=args.dry_run)

    def human() -> str:
        head = "dry run — nothing changed" if report.dry_run else "imported"
        first, *problems = human_lines(report.counts, ctx.lang)
        lines = [f"{head}: {first}; {report.conflicts} field conflicts"]
        for e in report.events:
            lines.append(f"  row {e.row} {e.campaign_code} {e.title}: {e.outcome}")
            lines += [f"      {c.field}: {c.old!r} → {c.new!r}" for c in e.changes]
            lines += [
                f"      CONFLICT {c.field}: kept local {c.local!r}; HQ now {c.hq_now!r}"
                for c in e.conflicts
            ]
            if e.note:
                lines.append(f"      ({e.note.localized(ctx.lang)})")
        return "\n".join(lines + problems)

    ctx.emit(report.to_json(), human)
    return EXIT_OK
