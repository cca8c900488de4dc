"""`paddock fee add / fees / pay / refund / receipt / payments / void-payment`: costs shared
among an event's participants (AA制), payments recorded (never processed), receipts."""

from __future__ import annotations

import argparse
from typing import Any

from desktop_app.cli import Context, common_options
from desktop_app.domain.messages import text
from desktop_app.domain.money import show_money
from desktop_app.io.report_labels import label
from desktop_app.services import fees, receipts


def register(sub: Any) -> None:
    fee = sub.add_parser("fee", help="an event's cost items (AA)").add_subparsers(
        dest="fee_verb", metavar="ACTION"
    )
    p = fee.add_parser("add", parents=[common_options()], help="add a cost item to an event")
    p.add_argument("event_id")
    p.add_argument("--item", required=True, help="what it is: 油费, 过路费, 午餐, 酒店…")
    p.add_argument("--amount", required=True, help="the total to share, e.g. 1000 or 1000.50")
    p.add_argument("--split", required=True, choices=fees.SPLITS, help="how it is shared")
    p.add_argument("--subsidy", help="what the dealer pays of it")
    p.add_argument(
        "--each",
        action="store_true",
        help="the amount is the price per person/car/family, not a total to share",
    )
    p.set_defaults(handler=_fee_add)

    p = fee.add_parser("remove", parents=[common_options()], help="take a cost item off")
    p.add_argument("item_id")
    p.set_defaults(handler=_fee_remove)

    p = sub.add_parser(
        "fees", parents=[common_options()], help="who owes what for an event, paid, outstanding"
    )
    p.add_argument("event_id")
    p.set_defaults(handler=_fees)

    p = sub.add_parser("pay", parents=[common_options()], help="record money received")
    p.add_argument("registration_id")
    p.add_argument("--amount", required=True)
    p.add_argument("--method", required=True, choices=fees.METHODS)
    p.add_argument("--ref", help="transfer / transaction number")
    p.add_argument("--taken-by", help="who took the money (default: the signed-in staff)")
    p.add_argument("--note")
    p.add_argument(
        "--nonce",
        help="idempotency key (any text, e.g. the till's payment number): the same nonce is recorded once",
    )
    p.set_defaults(handler=_pay)

    p = sub.add_parser("refund", parents=[common_options()], help="record money paid back")
    p.add_argument("registration_id")
    p.add_argument("--amount", help="default: what is due back (paid − owed)")
    p.add_argument("--method", choices=fees.METHODS, help="default: that of the last payment")
    p.add_argument("--ref")
    p.add_argument("--note")
    p.set_defaults(handler=_refund)

    p = sub.add_parser("receipt", parents=[common_options()], help="write a receipt (PDF/PNG)")
    p.add_argument("registration_id")
    p.add_argument("--out", required=True, help="file name ending in .pdf or .png")
    p.add_argument("--payment", help="a given payment's receipt (default: the latest)")
    p.add_argument("--lang", dest="receipt_lang", default="zh", choices=["zh", "en"])
    p.set_defaults(handler=_receipt)

    p = sub.add_parser("payments", parents=[common_options()], help="an event's payments ledger")
    p.add_argument("event_id")
    p.set_defaults(handler=_payments)

    p = sub.add_parser(
        "void-payment", parents=[common_options()], help="reverse a payment recorded by mistake"
    )
    p.add_argument("payment_id")
    p.add_argument("--reason", required=True)
    p.set_defaults(handler=_void)


def _fee_add(args: argparse.Namespace, ctx: Context) -> int:
    item = fees.add_cost_item(
        ctx.db,
        args.event_id,
        args.item,
        args.amount,
        args.split,
        subsidy=args.subsidy,
        per_unit=args.each,
    )
    split = label(f"split_{item.split}", ctx.lang)
    ctx.emit(item.to_json(), f"{item.label}: {show_money(item.amount_cents)} ({split}) {item.id}")
    return 0


def _fee_remove(args: argparse.Namespace, ctx: Context) -> int:
    fees.remove_cost_item(ctx.db, args.item_id)
    ctx.emit({"id": args.item_id, "removed": True}, label("removed", ctx.lang))
    return 0


def _fees(args: argparse.Namespace, ctx: Context) -> int:
    sheet = fees.fee_sheet(ctx.db, args.event_id)

    def human() -> str:
        say = lambda key: label(key, ctx.lang)  # noqa: E731
        lines = [f"{sheet.event_title}"]
        for i in sheet.items:
            lines.append(
                f"  {i.label}: {show_money(i.amount_cents)} {say(f'split_{i.split}')}"
                + (f" {say('each')}" if i.priced_per_unit else "")
                + (f", {say('subsidy')} {show_money(i.subsidy_cents)}" if i.subsidy_cents else "")
                + f" → {i.units} {say('units')}"
            )
        for r in sheet.rows:
            extra = f"  {say('to_refund')} {show_money(r.refund_due)}" if r.refund_due else ""
            lines.append(
                f"{r.name:<10} {r.plate or '':<10} {say('owes')} {show_money(r.owed):>10}  "
                f"{say('paid')} {show_money(r.paid):>10}  "
                f"{say('outstanding')} {show_money(r.outstanding):>10}{extra}"
            )
        total = text(
            "fees_total",
            ctx.lang,
            owed=show_money(sheet.total_owed),
            paid=show_money(sheet.total_paid),
            outstanding=show_money(sheet.total_outstanding),
        )
        if sheet.total_refund_due:  # else owed ≠ paid + outstanding to a reader
            total += text("fees_total_refund", ctx.lang, refund=show_money(sheet.total_refund_due))
        lines.append(total)
        return "\n".join(lines)

    ctx.emit(sheet.to_json(), human)
    return 0


def _pay(args: argparse.Namespace, ctx: Context) -> int:
    done = fees.record_payment(
        ctx.db,
        args.registration_id,
        args.amount,
        args.method,
        args.ref,
        taken_by=args.taken_by,
        note=args.note,
        nonce=args.nonce,
    )
    ctx.emit(done.to_json(), lambda: _said(done, "fees_received", ctx.lang))
    return 0


def _refund(args: argparse.Namespace, ctx: Context) -> int:
    done = fees.record_refund(
        ctx.db, args.registration_id, args.amount, args.method, args.ref, note=args.note
    )
    ctx.emit(done.to_json(), lambda: _said(done, "fees_refunded", ctx.lang))
    return 0


def _said(done: fees.PaymentResult, code: str, lang: str) -> str:
    """What was recorded (or that a replayed --nonce was recorded before) and where the
    registration stands: still to pay, or paid too much and a refund is due."""
    p = done.payment
    what = text(
        "fees_replayed" if done.replayed else code,
        lang,
        name=p.name,
        amount=show_money(abs(p.amount_cents)),
        method=label(p.method, lang),
        receipt=p.receipt_no,
    )
    money = {"paid": show_money(done.paid), "owed": show_money(done.owed)}
    if done.refund_due:
        stands = text("fees_balance_overpaid", lang, refund=show_money(done.refund_due), **money)
    else:
        stands = text("fees_balance", lang, outstanding=show_money(done.outstanding), **money)
    return f"{what}{'；' if lang == 'zh' else '; '}{stands}"


def _receipt(args: argparse.Namespace, ctx: Context) -> int:
    path, doc = receipts.save_receipt(
        ctx.db, args.registration_id, args.out, lang=args.receipt_lang, payment_id=args.payment
    )
    ctx.emit({"file": str(path), **doc.to_json()}, f"receipt {doc.receipt_no} → {path}")
    return 0


def _payments(args: argparse.Namespace, ctx: Context) -> int:
    rows = fees.list_payments(ctx.db, args.event_id)

    def human() -> str:
        say = lambda key: label(key, ctx.lang)  # noqa: E731
        return "\n".join(
            f"{p.receipt_no or '—':<16} {ctx.local(p.taken_at)} {p.name:<10} "
            f"{say(f'kind_{p.kind}'):<10} {show_money(p.amount_cents):>10} {say(p.method)}"
            + (f" ({say('voided')})" if p.voided else "")
            for p in rows
        )

    ctx.emit({"items": [p.to_json() for p in rows]}, human)
    return 0


def _void(args: argparse.Namespace, ctx: Context) -> int:
    done = fees.void_payment(ctx.db, args.payment_id, args.reason)
    ctx.emit(done.to_json(), lambda: _said(done, "fees_corrected", ctx.lang))
    return 0
