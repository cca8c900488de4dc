"""`paddock people import FILE`: import people and vehicles from a sheet (hooked in by
commands/people.py, which calls `register` with the `people` sub-parsers)."""

from __future__ import annotations

import argparse
from typing import Any

from desktop_app.cli import Context, common_options
from desktop_app.domain.errors import ValidationError
from desktop_app.domain.messages import text
from desktop_app.services import people_import
from desktop_app.services.import_report import dry_run_head, human_lines
from desktop_app.services.people_import import FIELD_KEYS, ImportReport


def register(people_sub: Any) -> None:
    """Add `import` to the `paddock people …` verbs."""
    imp = people_sub.add_parser(
        "import",
        parents=[common_options()],
        help="import people and vehicles from .xlsx/.xls/.csv",
        description="Import people from a DMS/CRM export or any sheet. Columns are guessed "
        "from their headers (姓名, 手机号码, 车架号, 车牌号, 购车日期, 销售顾问 …); "
        "override with --map. One transaction: a bad file changes nothing.",
    )
    imp.add_argument("file", help="the .xlsx, .xls or .csv file")
    imp.add_argument(
        "--dry-run", action="store_true", help="report what would happen, change nothing"
    )
    imp.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="FIELD=HEADER",
        help=f"use this column for a field (repeat); FIELD is one of {', '.join(FIELD_KEYS)}; "
        "HEADER is a header name or a column letter; FIELD= leaves it unmapped",
    )
    imp.add_argument("--sheet", help="sheet name (default: the first sheet with data)")
    imp.set_defaults(handler=_import)


def parse_map(items: list[str]) -> dict[str, str | None]:
    """['phone=联系电话', 'vin='] → {'phone': '联系电话', 'vin': None}."""
    mapping: dict[str, str | None] = {}
    for item in items:
        key, sep, header = item.partition("=")
        key = key.strip()
        if not sep or key not in FIELD_KEYS:
            raise ValidationError("map", "bad_choice", choices=", ".join(FIELD_KEYS))
        mapping[key] = header.strip() or None
    return mapping


def _human(report: ImportReport, lang: str | None = None) -> str:
    first, *problems = human_lines(report.counts, lang)
    lines = [
        dry_run_head(report.dry_run, lang) + first,
        text(
            "people_import_vehicles",
            lang,
            added=report.vehicles_created,
            updated=report.vehicles_updated,
        ),
    ]
    if report.staff_created:
        lines.append(text("people_import_new_staff", lang, names=", ".join(report.staff_created)))
    return "\n".join(lines + problems)


def _import(args: argparse.Namespace, ctx: Context) -> int:
    mapping = parse_map(args.map) if args.map else None
    report = people_import.import_people(
        ctx.db, args.file, mapping=mapping, sheet=args.sheet, dry_run=args.dry_run
    )
    ctx.emit(report.to_json(), lambda: _human(report, ctx.lang))
    return 0
