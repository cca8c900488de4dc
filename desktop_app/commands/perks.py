"""`paddock partner … / perk …`: partner perks (异业合作) redeemed with points, signed
vouchers verified and consumed by the partner."""

from __future__ import annotations

import argparse
from typing import Any

from desktop_app.cli import EXIT_NOT_ACCEPTED, EXIT_OK, Context, common_options
from desktop_app.domain import voucher as payload
from desktop_app.domain.points import TIERS
from desktop_app.services import perks
from desktop_app.services.dealer import get_dealer


def register(sub: Any) -> None:
    partner = sub.add_parser("partner", help="partners whose perks members redeem")
    ps = partner.add_subparsers(dest="partner_verb", metavar="ACTION")
    p = ps.add_parser("add", parents=[common_options()], help="add a partner")
    p.add_argument("--name", required=True)
    p.add_argument("--contact", help="contact person and phone / WeChat")
    p.add_argument("--city")
    p.add_argument("--notes", default="")
    p.set_defaults(handler=_partner_add)
    p = ps.add_parser("list", parents=[common_options()], help="list partners")
    p.set_defaults(handler=_partner_list)

    perk = sub.add_parser("perk", help="perks redeemed with points, and their vouchers")
    ks = perk.add_subparsers(dest="perk_verb", metavar="ACTION")
    p = ks.add_parser("add", parents=[common_options()], help="add a perk of a partner")
    p.add_argument("--partner", required=True, help="partner id or name")
    p.add_argument("--name", required=True)
    p.add_argument("--points", required=True, help="points price")
    p.add_argument("--stock", required=True, help="how many can be redeemed")
    p.add_argument("--tier", choices=TIERS[1:], help="members of this tier and above only")
    p.add_argument("--valid-from", help="first day it can be redeemed (YYYY-MM-DD)")
    p.add_argument("--valid-until", help="last day it can be redeemed and used (YYYY-MM-DD)")
    p.add_argument("--limit", help="at most this many per person")
    p.add_argument("--description", default="")
    p.set_defaults(handler=_perk_add)

    p = ks.add_parser("list", parents=[common_options()], help="list perks with stock left")
    p.set_defaults(handler=_perk_list)

    p = ks.add_parser("redeem", parents=[common_options()], help="spend points on a perk")
    p.add_argument("person", help="person id or mobile number")
    p.add_argument("perk", help="perk id or name")
    p.add_argument("--out", help="also save the voucher card as PNG (to send by WeChat)")
    p.add_argument("--card-lang", default="zh", choices=["zh", "en"])
    p.set_defaults(handler=_redeem)

    p = ks.add_parser("verify", parents=[common_options()], help="check (and use) a voucher")
    p.add_argument("code", help="the voucher's QR text or its 8-character code")
    p.add_argument("--consume", action="store_true", help="use it up if it is valid")
    p.add_argument("--by", help="who honoured it (the partner's staff)")
    p.set_defaults(handler=_verify)

    p = ks.add_parser("cancel", parents=[common_options()], help="cancel an unused voucher")
    p.add_argument("code")
    p.add_argument("--reason")
    p.set_defaults(handler=_cancel)

    p = ks.add_parser("png", parents=[common_options()], help="save a voucher card as PNG")
    p.add_argument("code")
    p.add_argument("--out", required=True)
    p.add_argument("--card-lang", default="zh", choices=["zh", "en"])
    p.set_defaults(handler=_png)

    p = ks.add_parser("vouchers", parents=[common_options()], help="a person's vouchers")
    p.add_argument("person_id")
    p.set_defaults(handler=_vouchers)

    p = ks.add_parser("report", parents=[common_options()], help="redemptions per partner and perk")
    p.set_defaults(handler=_report)


def _dealer_name(ctx: Context) -> str:
    dealer = get_dealer(ctx.db)
    return dealer.name if dealer else ""


def _partner_add(args: argparse.Namespace, ctx: Context) -> int:
    p = perks.add_partner(ctx.db, args.name, args.contact, args.city, args.notes)
    ctx.emit(p.to_json(), f"partner {p.name} ({p.id})")
    return EXIT_OK


def _partner_list(args: argparse.Namespace, ctx: Context) -> int:
    rows = perks.list_partners(ctx.db)
    ctx.emit(
        {"items": [p.to_json() for p in rows]},
        lambda: "\n".join(f"{p.id}  {p.name}  {p.city or ''}  {p.perks} perks" for p in rows),
    )
    return EXIT_OK


def _perk_add(args: argparse.Namespace, ctx: Context) -> int:
    k = perks.add_perk(
        ctx.db,
        args.partner,
        perks.PerkDraft(
            args.name,
            args.points,
            args.stock,
            args.description,
            args.tier,
            args.limit,
            args.valid_from,
            args.valid_until,
        ),
    )
    ctx.emit(k.to_json(), f"perk {k.name}: {k.points} points, stock {k.stock} ({k.id})")
    return EXIT_OK


def _perk_list(args: argparse.Namespace, ctx: Context) -> int:
    rows = perks.list_perks(ctx.db)
    ctx.emit(
        {"items": [k.to_json() for k in rows]},
        lambda: "\n".join(
            f"{k.id}  {k.partner} · {k.name}  {k.points} pts  {k.stock_left}/{k.stock} left"
            + (f"  {k.min_tier}+" if k.min_tier else "")
            + (f"  until {k.valid_until}" if k.valid_until else "")
            for k in rows
        ),
    )
    return EXIT_OK


def _redeem(args: argparse.Namespace, ctx: Context) -> int:
    done = perks.redeem(ctx.db, args.person, args.perk)
    out = done.to_json()
    if args.out:
        from desktop_app.services.voucher_card import save_voucher_png

        out["file"] = str(
            save_voucher_png(done.voucher, _dealer_name(ctx), args.out, args.card_lang)
        )
    ctx.emit(
        out,
        f"{done.voucher.name}: {done.voucher.perk} for {done.voucher.points} points, voucher "
        f"{payload.format_short_code(done.voucher.short_code)} ({done.voucher.code}); "
        f"{done.balance} points left",
    )
    return EXIT_OK


def _verify(args: argparse.Namespace, ctx: Context) -> int:
    res = perks.verify(ctx.db, args.code, consume=args.consume, by=args.by)

    def human() -> str:
        v = res.voucher
        what = f" — {v.partner} · {v.perk}, {v.name}" if v else ""
        used = " (now consumed)" if res.consumed_now else ""
        why = f": {res.reason}" if res.reason else ""
        return f"{res.result}{used}{what}{why}"

    ctx.emit(res.to_json(), human)
    return EXIT_OK if res.result == payload.VALID else EXIT_NOT_ACCEPTED


def _cancel(args: argparse.Namespace, ctx: Context) -> int:
    v = perks.cancel_voucher(ctx.db, args.code, args.reason)
    ctx.emit(v.to_json(), f"cancelled; {v.points} points back to {v.name}")
    return EXIT_OK


def _png(args: argparse.Namespace, ctx: Context) -> int:
    from desktop_app.services.voucher_card import save_voucher_png

    v = perks.get_voucher(ctx.db, args.code)
    path = save_voucher_png(v, _dealer_name(ctx), args.out, args.card_lang)
    ctx.emit({"file": str(path), **v.to_json()}, str(path))
    return EXIT_OK


def _vouchers(args: argparse.Namespace, ctx: Context) -> int:
    rows = perks.person_vouchers(ctx.db, args.person_id)
    ctx.emit(
        {"items": [v.to_json() for v in rows]},
        lambda: "\n".join(
            f"{payload.format_short_code(v.short_code)}  {v.partner} · {v.perk}  {v.status}"
            for v in rows
        ),
    )
    return EXIT_OK


def _report(args: argparse.Namespace, ctx: Context) -> int:
    rep = perks.perk_report(ctx.db)
    ctx.emit(
        rep.to_json(),
        lambda: "\n".join(
            f"{r.partner} · {r.perk}: {r.redeemed} redeemed, {r.consumed} used, "
            f"{r.points_spent} points, {r.stock_left} left"
            for r in rep.rows
        ),
    )
    return EXIT_OK
