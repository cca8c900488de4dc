"""`paddock init`, `paddock demo`, `paddock info`."""

from __future__ import annotations

import argparse
from typing import Any

from desktop_app.cli import Context, common_options
from desktop_app.services import dealer


def register(sub: Any) -> None:
    p = sub.add_parser(
        "init", parents=[common_options()], help="set up this database for a dealership"
    )
    p.add_argument("--dealer-code", required=True, help="HQ's code for the dealer, e.g. SH-0021")
    p.add_argument("--dealer-name", required=True)
    p.add_argument("--city")
    p.add_argument("--region")
    p.add_argument("--timezone", default="Asia/Shanghai")
    p.set_defaults(handler=_init)

    p = sub.add_parser(
        "demo", parents=[common_options()], help="fill the database with a realistic demo dataset"
    )
    p.add_argument("--seed", type=int, default=7)
    p.set_defaults(handler=_demo)

    p = sub.add_parser("info", parents=[common_options()], help="show the database and dealer")
    p.set_defaults(handler=_info)


def _init(args: argparse.Namespace, ctx: Context) -> int:
    d = dealer.init_dealer(
        ctx.db, args.dealer_code, args.dealer_name, args.city, args.region, args.timezone
    )
    ctx.emit(d.to_json(), f"dealer {d.code} · {d.name} ready ({ctx.db.url})")
    return 0


def _demo(args: argparse.Namespace, ctx: Context) -> int:
    from desktop_app.services import demo

    summary = demo.fill_demo(ctx.db, seed=args.seed)
    ctx.emit(
        summary, lambda: "demo data added: " + ", ".join(f"{k} {v}" for k, v in summary.items())
    )
    return 0


def _info(args: argparse.Namespace, ctx: Context) -> int:
    from desktop_app.store.db import current_revision

    d = dealer.get_dealer(ctx.db)
    info = {
        "database": ctx.db.url,
        "schema": current_revision(ctx.db.engine),
        "dealer": d.to_json() if d else None,
    }
    ctx.emit(info)
    return 0
