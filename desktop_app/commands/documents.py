"""Printed documents that are not tickets or reports: `paddock badges`."""

from __future__ import annotations

import argparse
from typing import Any

from desktop_app.cli import Context, common_options
from desktop_app.io.pdf.badges import DEFAULT_SIZE, LABEL_SIZES


def register(sub: Any) -> None:
    p = sub.add_parser(
        "badges", parents=[common_options()], help="an event's name badges, one label a page"
    )
    p.add_argument("event_id")
    p.add_argument("--out", required=True, help="a .pdf file, or a folder to write into")
    p.add_argument(
        "--size",
        default=DEFAULT_SIZE,
        help=f"label size in mm: {', '.join(LABEL_SIZES)} or WxH (default {DEFAULT_SIZE})",
    )
    p.set_defaults(handler=_badges)


def _badges(args: argparse.Namespace, ctx: Context) -> int:
    from desktop_app.services.badges import export_event_badges

    path, n = export_event_badges(ctx.db, args.event_id, args.out, args.size)
    ctx.emit({"file": str(path), "badges": n, "size": args.size}, f"{n} badges → {path}")
    return 0
