"""Receipts (收据) for money taken for an event's shared costs: the document's data, its
PNG for WeChat (Pillow), and the PDF on the shared reportlab layer (io/pdf/receipt.py).

A receipt belongs to one payment or refund and carries that row's number, unique per
dealer (services/fees.next_receipt_no). `paddock receipt REG` prints the receipt of the
registration's latest payment or refund, with everything owed, paid and still open: a
reprint gives the same number; a new payment gives a new receipt. A receipt is not a tax
invoice (发票); it says so.
"""

from __future__ import annotations

import io
import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw

from desktop_app.domain.enums import PaymentKind
from desktop_app.domain.errors import NotFound, RuleViolation, ValidationError
from desktop_app.domain.money import show_money
from desktop_app.domain.phone import mask_phone
from desktop_app.domain.roles import Permission
from desktop_app.domain.timeutil import to_local
from desktop_app.io.atomic import write_bytes_atomically
from desktop_app.services import fees
from desktop_app.services.auth import require
from desktop_app.services.common import audit, parse_id
from desktop_app.services.tickets import _wrap as wrap_text
from desktop_app.services.tickets import display_plate, font
from desktop_app.store.db import Database
from desktop_app.store.models import DealerProfile, Event, Registration

# Words on the receipt, in the language it is printed in.
LABELS: dict[str, dict[str, str]] = {
    "en": {
        "title": "RECEIPT",
        "sep": ", ",
        "refund_title": "REFUND RECEIPT",
        "no": "No.",
        "date": "Date",
        "from": "Received from",
        "to": "Refunded to",
        "event": "Event",
        "plate": "Car",
        "items": "Your share of the costs",
        "item": "Item",
        "share": "Amount",
        "owed": "Total owed",
        "this": "This payment",
        "this_refund": "This refund",
        "paid": "Paid to date",
        "outstanding": "Still to pay",
        "refund_due": "To be refunded",
        "settled": "Settled in full",
        "payments": "Payments",
        "method": "Method",
        "ref": "Ref.",
        "by": "Taken by",
        "voided": "voided",
        "not_invoice": "A receipt for shared costs collected for the participants; "
        "not a tax invoice (fapiao).",
        "shared": "{total} shared {split}, your part: {n} {unit}",
        "each": "{price} × {n} {unit}",
        "subsidy": "dealer pays {amount}",
        "subsidy_each": "dealer pays {amount} each",
        "split_person": "per person",
        "split_car": "per car",
        "split_family": "per family",
        "split_fixed": "per registration",
        "unit_person": "person(s)",
        "unit_car": "car(s)",
        "unit_family": "family",
        "unit_fixed": "registration",
        "cash": "cash",
        "wechat": "WeChat transfer",
        "alipay": "Alipay",
        "bank": "bank transfer",
    },
    "zh": {
        "title": "收  据",
        "sep": "，",
        "refund_title": "退款凭证",
        "no": "编号",
        "date": "日期",
        "from": "今收到",
        "to": "收款人",
        "event": "活动",
        "plate": "车辆",
        "items": "应分摊费用",
        "item": "项目",
        "share": "金额",
        "owed": "应缴合计",
        "this": "本次收款",
        "this_refund": "本次退款",
        "paid": "累计已缴",
        "outstanding": "尚欠",
        "refund_due": "应退",
        "settled": "已结清",
        "payments": "收付记录",
        "method": "方式",
        "ref": "单号",
        "by": "经手人",
        "voided": "已作废",
        "not_invoice": "本收据为代收活动分摊费用的凭证，不作为发票使用。",
        "shared": "共 {total}，{split}分摊，本人 {n} {unit}",
        "each": "{price} × {n} {unit}",
        "subsidy": "经销商补贴 {amount}",
        "subsidy_each": "经销商每{unit}补贴 {amount}",
        "split_person": "按人",
        "split_car": "按车",
        "split_family": "按户",
        "split_fixed": "按报名",
        "unit_person": "人",
        "unit_car": "车",
        "unit_family": "户",
        "unit_fixed": "份",
        "cash": "现金",
        "wechat": "微信转账",
        "alipay": "支付宝",
        "bank": "银行转账",
    },
}


@dataclass(frozen=True, slots=True)
class ReceiptLine:
    label: str
    amount_cents: int  # the item's total, or its price per unit
    split: str
    units: int
    per_unit: bool
    subsidy_cents: int  # the dealer's subsidy on this item (of the total, or per unit)
    cents: int


@dataclass(frozen=True, slots=True)
class ReceiptPayment:
    receipt_no: str | None
    taken_at: datetime
    kind: str
    method: str
    cents: int
    voided: bool


@dataclass(frozen=True, slots=True)
class ReceiptDoc(fees.Balance):
    """Everything a receipt shows (one payment or refund of one registration)."""

    receipt_no: str
    payment_id: uuid.UUID
    registration_id: uuid.UUID
    kind: str  # payment | refund
    dealer_name: str
    dealer_code: str
    dealer_city: str | None
    timezone: str
    event_title: str
    event_starts_at: datetime | None
    name: str
    phone_masked: str
    plate: str | None
    taken_at: datetime
    amount_cents: int  # this payment (positive) or refund (positive: money back)
    method: str
    reference: str | None
    taken_by: str | None
    lines: tuple[ReceiptLine, ...]
    owed: int
    paid: int
    payments: tuple[ReceiptPayment, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "receipt_no": self.receipt_no,
            "payment_id": str(self.payment_id),
            "registration_id": str(self.registration_id),
            "kind": self.kind,
            "dealer": self.dealer_name,
            "event_title": self.event_title,
            "name": self.name,
            "amount": fees.json_money(self.amount_cents),
            "method": self.method,
            "owed": fees.json_money(self.owed),
            "paid": fees.json_money(self.paid),
            "outstanding": fees.json_money(self.outstanding),
            "refund_due": fees.json_money(self.refund_due),
        }


def receipt_for(
    db: Database,
    registration_id: str | uuid.UUID,
    payment_id: str | uuid.UUID | None = None,
) -> ReceiptDoc:
    """The receipt of a registration's latest payment or refund (or of `payment_id`)."""
    require(db, None, Permission.PAYMENTS)
    rid = parse_id(registration_id, "registration")
    with db.read() as s:
        r = s.get(Registration, rid)
        if r is None:
            raise NotFound("registration", registration_id)
        e = s.get(Event, r.event_id)
        assert e is not None
        ledger = fees.payments_in(s, registration_id=rid)
        documents = [p for p in ledger if p.kind != PaymentKind.CORRECTION and p.receipt_no]
        if payment_id is not None:
            pid = parse_id(payment_id, "payment")
            chosen = next((p for p in documents if p.id == pid), None)
            if chosen is None:
                raise NotFound("payment", payment_id)
        else:
            live = [p for p in documents if not p.voided]
            if not live:
                raise RuleViolation(code="no_payment_for_receipt")
            chosen = live[-1]
        row = fees.sheet_in(s, e.id).row(rid)
        items = {i.id: i for i in fees.sheet_in(s, e.id).items}
        lines = tuple(
            ReceiptLine(
                x.label,
                items[x.item_id].amount_cents,
                items[x.item_id].split,
                x.units,
                items[x.item_id].priced_per_unit,
                items[x.item_id].subsidy_cents,
                x.cents,
            )
            for x in (row.shares if row else ())
        )
        profile = s.get(DealerProfile, 1)
        return ReceiptDoc(
            receipt_no=chosen.receipt_no or "",
            payment_id=chosen.id,
            registration_id=rid,
            kind=chosen.kind,
            dealer_name=profile.name if profile else "",
            dealer_code=profile.code if profile else "",
            dealer_city=profile.city if profile else None,
            timezone=e.timezone or (profile.timezone if profile else "Asia/Shanghai"),
            event_title=e.title,
            event_starts_at=e.starts_at,
            name=chosen.name,
            phone_masked=mask_phone(row.phone) if row and row.phone else "",
            plate=r.plate,
            taken_at=chosen.taken_at,
            amount_cents=abs(chosen.amount_cents),
            method=chosen.method,
            reference=chosen.reference,
            taken_by=chosen.taken_by,
            lines=lines,
            owed=row.owed if row else 0,
            paid=row.paid if row else 0,
            payments=tuple(
                ReceiptPayment(p.receipt_no, p.taken_at, p.kind, p.method, p.amount_cents, p.voided)
                for p in ledger
                if p.kind != PaymentKind.CORRECTION
            ),
        )


# --------------------------------------------------------------------------- words


def line_detail(line: ReceiptLine, lang: str) -> str:
    """How a share came about: "共 ¥1,500，按户分摊，本人 1 户 · 经销商补贴 ¥600" /
    "¥20 × 2 person(s)"."""
    lab = LABELS[lang]
    unit = lab[f"unit_{line.split}"]
    if line.per_unit:
        text = lab["each"].format(price=show_money(line.amount_cents), n=line.units, unit=unit)
        if line.subsidy_cents:
            text += lab["sep"] + lab["subsidy_each"].format(
                amount=show_money(line.subsidy_cents), unit=unit
            )
        return text
    text = lab["shared"].format(
        total=show_money(line.amount_cents),
        split=lab[f"split_{line.split}"],
        n=line.units,
        unit=unit,
    )
    if line.subsidy_cents:
        text += lab["sep"] + lab["subsidy"].format(amount=show_money(line.subsidy_cents))
    return text


def yuan(cents: int) -> str:
    """Amounts on a receipt always show fen: ¥50.00."""
    return show_money(cents, fen=True)


def local_text(when: datetime | None, tz: str) -> str:
    local = to_local(when, tz)
    return local.strftime("%Y-%m-%d %H:%M") if local else ""


def payment_line(p: ReceiptPayment, doc: ReceiptDoc, lang: str) -> tuple[str, str]:
    """One earlier payment as (left, right) text: number, time, "voided"; amount, method."""
    lab = LABELS[lang]
    mark = f" ({lab['voided']})" if p.voided else ""
    left = f"{p.receipt_no or ''}  {local_text(p.taken_at, doc.timezone)}{mark}"
    return left, f"{yuan(p.cents)}{lab['sep']}{lab.get(p.method, p.method)}"


def status_line(doc: ReceiptDoc, lang: str) -> tuple[str, str]:
    lab = LABELS[lang]
    if doc.outstanding:
        return lab["outstanding"], yuan(doc.outstanding)
    if doc.refund_due:
        return lab["refund_due"], yuan(doc.refund_due)
    return lab["settled"], yuan(0)


# --------------------------------------------------------------------------- PNG

PNG_W = 720
PAD = 44
INK = (25, 32, 45)
MUTED = (105, 112, 125)
RED = (178, 34, 34)
RULE = (220, 224, 230)


def render_png(doc: ReceiptDoc, lang: str = "zh") -> Image.Image:
    """The receipt as an image for WeChat (720 px wide, as tall as it needs)."""
    lang = lang if lang in LABELS else "en"
    lab = LABELS[lang]
    rows: list[tuple[str, Any]] = []  # drawing steps, measured first, then drawn

    def text(
        x: int, s: str, size: int, *, bold: bool = False, fill: Any = INK, anchor: str = "la"
    ) -> None:
        rows.append(("text", (x, s, size, bold, fill, anchor)))

    def gap(h: int) -> None:
        rows.append(("gap", h))

    def rule() -> None:
        rows.append(("rule", None))

    right = PNG_W - PAD
    refund = doc.kind == PaymentKind.REFUND
    text(PNG_W // 2, lab["refund_title" if refund else "title"], 40, bold=True, anchor="ma")
    gap(58)
    text(PNG_W // 2, doc.dealer_name, 24, anchor="ma")
    gap(40)
    text(PAD, f"{lab['no']} {doc.receipt_no}", 22, fill=RED)
    text(right, f"{lab['date']} {local_text(doc.taken_at, doc.timezone)}", 22, anchor="ra")
    gap(38)
    rule()
    who = f"{doc.name}" + (f"（{doc.phone_masked}）" if doc.phone_masked else "")
    col = PAD + (120 if lang == "zh" else 190)
    text(PAD, lab["to" if refund else "from"], 22, fill=MUTED)
    text(col, who, 24, bold=True)
    gap(38)
    text(PAD, lab["event"], 22, fill=MUTED)
    text(col, doc.event_title[:30], 22)
    gap(34)
    if doc.plate:
        text(PAD, lab["plate"], 22, fill=MUTED)
        text(col, display_plate(doc.plate), 22)
        gap(34)
    rule()
    text(PAD, lab["items"], 22, bold=True)
    gap(36)
    for line in doc.lines:
        text(PAD, line.label, 22)
        text(right, yuan(line.cents), 22, anchor="ra")
        gap(28)
        text(PAD + 16, line_detail(line, lang), 18, fill=MUTED)
        gap(30)
    rule()
    for label, value, bold in (
        (lab["owed"], yuan(doc.owed), False),
        (
            lab["this_refund" if refund else "this"],
            f"{yuan(doc.amount_cents)}{lab['sep']}{lab.get(doc.method, doc.method)}",
            True,
        ),
        (lab["paid"], yuan(doc.paid), False),
        (*status_line(doc, lang), True),
    ):
        text(PAD, label, 24 if bold else 22, bold=bold)
        text(right, value, 24 if bold else 22, bold=bold, anchor="ra")
        gap(38)
    if doc.reference:
        text(PAD, f"{lab['ref']} {doc.reference}", 18, fill=MUTED)
        gap(28)
    rule()
    if len(doc.payments) > 1:
        text(PAD, lab["payments"], 20, bold=True)
        gap(32)
        for p in doc.payments:
            when, amount = payment_line(p, doc, lang)
            text(PAD, when, 18, fill=MUTED)
            text(right, amount, 18, fill=MUTED, anchor="ra")
            gap(28)
        rule()
    if doc.taken_by:
        text(
            PAD,
            f"{lab['by']}：{doc.taken_by}" if lang == "zh" else f"{lab['by']}: {doc.taken_by}",
            20,
        )
        gap(32)
    probe = ImageDraw.Draw(Image.new("RGB", (1, 1)))
    for line in wrap_text(probe, lab["not_invoice"], font(16), right - PAD, 3):
        text(PAD, line, 16, fill=MUTED)
        gap(24)
    gap(16)
    height = (
        PAD
        + sum(h for kind, h in rows if kind == "gap")
        + 12 * sum(1 for kind, _ in rows if kind == "rule")
    )
    img = Image.new("RGB", (PNG_W, max(height, 400)), (255, 255, 255))
    d = ImageDraw.Draw(img)
    y = PAD
    for kind, arg in rows:
        if kind == "gap":
            y += arg
        elif kind == "rule":
            y += 4
            d.line((PAD, y, right, y), fill=RULE, width=2)
            y += 8
        else:
            x, s, size, bold, fill, anchor = arg
            d.text((x, y), s, font=font(size, bold), fill=fill, anchor=anchor)
    return img


def receipt_png(doc: ReceiptDoc, lang: str = "zh") -> bytes:
    buf = io.BytesIO()
    render_png(doc, lang).save(buf, format="PNG", compress_level=6)
    return buf.getvalue()


def pdf_receipt(doc: ReceiptDoc, lang: str = "zh") -> Any:
    """The receipt for the shared PDF layer (io/pdf/receipt.py, issue 16): one line per
    cost share (quantity 1: a share with its remainder fen is not units × a price), this
    payment or refund, what was paid before, the earlier payments, "not a tax invoice"."""
    from desktop_app.domain.money import to_decimal
    from desktop_app.io.pdf.receipt import Receipt
    from desktop_app.io.pdf.receipt import ReceiptLine as PdfLine

    lab = LABELS[lang if lang in LABELS else "en"]
    this = -doc.amount_cents if doc.kind == PaymentKind.REFUND else doc.amount_cents
    extra = [  # the earlier payments: number → when, amount, method
        (p.receipt_no or "—", " ".join(payment_line(p, doc, lang)).split("  ", 1)[-1])
        for p in doc.payments
        if p.receipt_no != doc.receipt_no
    ]
    wrap = "（{}）" if lang == "zh" else " ({})"
    note = lab["not_invoice"]
    if doc.refund_due:
        note = f"{lab['refund_due']} {yuan(doc.refund_due)}. {note}"
    return Receipt(
        number=doc.receipt_no,
        issued_at=doc.taken_at,
        timezone=doc.timezone,
        dealer_name=doc.dealer_name,
        dealer_lines=tuple(x for x in (doc.dealer_city, doc.dealer_code) if x),
        lines=tuple(
            PdfLine(x.label + wrap.format(line_detail(x, lang)), 1, to_decimal(x.cents))
            for x in doc.lines
        ),
        paid=to_decimal(this),
        paid_before=to_decimal(doc.paid - this),
        payer=doc.name,
        payer_lines=tuple(x for x in (doc.phone_masked, doc.plate) if x),
        event=doc.event_title,
        method=lab.get(doc.method, doc.method),
        reference=doc.reference or "",
        staff=doc.taken_by or "",
        note=note,
        extra=tuple(extra),
    )


def save_receipt(
    db: Database,
    registration_id: str | uuid.UUID,
    out: str | Path,
    *,
    lang: str = "zh",
    payment_id: str | uuid.UUID | None = None,
    actor: object = None,
) -> tuple[Path, ReceiptDoc]:
    """Write the receipt to `out`: .pdf (a real document) or .png (for WeChat); written to a
    temporary name and renamed."""
    target = Path(out).expanduser()
    kind = target.suffix.lower()
    if kind not in (".pdf", ".png"):
        raise ValidationError("out", "bad_receipt_file")
    if not target.parent.is_dir():
        raise RuleViolation(code="folder_missing", folder=str(target.parent))
    doc = receipt_for(db, registration_id, payment_id)
    if kind == ".pdf":
        from desktop_app.io.pdf.receipt import write_receipt

        write_receipt(pdf_receipt(doc, lang), target, lang)  # written atomically there
    else:
        write_bytes_atomically(target, receipt_png(doc, lang))
    with db.write() as s:
        audit(
            s,
            "fee.receipt",
            "registration",
            doc.registration_id,
            {"receipt_no": doc.receipt_no, "file": str(target)},
            actor,
        )
    return target, doc
