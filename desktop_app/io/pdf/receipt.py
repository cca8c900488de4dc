"""A payment receipt (or refund notice) as a PDF document, for the fees work (issue 15).

The caller fills a `Receipt` (plain values, no database) and calls `write_receipt`:

    receipt = Receipt(
        number="R-SH0021-2026-0007", issued_at=paid_at, timezone="Asia/Shanghai",
        dealer_name="上海浦东星辰汽车", dealer_lines=("浦东新区张杨路 1234 号", "021-5888 0000"),
        payer="张伟", payer_lines=("沪A·D12345",), event="车友会自驾：千岛湖 2026-05-01",
        lines=(ReceiptLine("自驾费用（每车）", 1, Decimal("800.00")),
               ReceiptLine("午餐", 3, Decimal("68.00"))),
        paid=Decimal("500.00"), method="微信支付", reference="4200001234…",
        staff="王管家",
    )
    write_receipt(receipt, "receipt.pdf", lang="zh")

It prints the dealer's title block, the receipt number and date, who paid for what, the
items (description, quantity, unit price, amount), the totals (total, paid before, this
payment or refund, balance due) and a note. A negative `paid` is a refund: the document
is then titled "Refund receipt". Money is Decimal, printed with two decimals and the
currency sign. Text is text (pdftotext reads every figure); written atomically.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from reportlab.platypus import Flowable, Spacer

from desktop_app.domain.timeutil import to_local
from desktop_app.io.pdf.document import (
    data_table,
    key_values,
    para,
    title_block,
    totals_table,
    write_document,
)
from desktop_app.io.report_labels import label

SIGNS = {"CNY": "¥", "USD": "$", "EUR": "€", "HKD": "HK$"}


def money(value: Decimal | int, currency: str = "CNY") -> str:
    """¥1,234.50 (−¥20.00 for a refund)."""
    v = Decimal(value).quantize(Decimal("0.01"))
    sign = SIGNS.get(currency, currency + " ")
    return f"{'−' if v < 0 else ''}{sign}{abs(v):,.2f}"


@dataclass(frozen=True, slots=True)
class ReceiptLine:
    description: str
    quantity: Decimal | int = 1
    unit_price: Decimal = Decimal("0")

    @property
    def amount(self) -> Decimal:
        return (Decimal(self.quantity) * self.unit_price).quantize(Decimal("0.01"))


@dataclass(frozen=True, slots=True)
class Receipt:
    """Everything a receipt prints; `paid` is this payment (negative: a refund)."""

    number: str
    issued_at: datetime
    timezone: str
    dealer_name: str
    lines: tuple[ReceiptLine, ...]
    paid: Decimal
    paid_before: Decimal = Decimal("0")
    dealer_lines: tuple[str, ...] = ()
    payer: str = ""
    payer_lines: tuple[str, ...] = ()
    event: str = ""
    method: str = ""
    reference: str = ""
    staff: str = ""
    note: str = ""
    currency: str = "CNY"
    extra: tuple[tuple[str, str], ...] = field(default=())  # more label: value rows

    @property
    def total(self) -> Decimal:
        return sum((x.amount for x in self.lines), Decimal("0"))

    @property
    def balance(self) -> Decimal:
        return self.total - self.paid_before - self.paid


def receipt_story(r: Receipt, lang: str = "zh") -> list[Flowable]:
    """The receipt's flowables (to embed in another document, or for write_receipt)."""
    local = to_local(r.issued_at, r.timezone)
    assert local is not None
    colon = "：" if lang == "zh" else ": "
    refund = r.paid < 0  # money paid back: the person receives it
    title = label("refund" if refund else "receipt", lang)
    story: list[Flowable] = [
        title_block(
            r.dealer_name,
            title,
            list(r.dealer_lines),
            [
                f"{label('receipt_no', lang)}{colon}{r.number}",
                f"{label('receipt_date', lang)}{colon}{local:%Y-%m-%d %H:%M}",
            ],
        ),
        Spacer(1, 10),
        key_values(
            [
                (
                    label("refund_payee" if refund else "payer", lang),
                    " · ".join(x for x in (r.payer, *r.payer_lines) if x),
                ),
                (label("paid_for", lang), r.event),
                (label("refund_method" if refund else "pay_method", lang), r.method),
                (label("transaction", lang), r.reference),
                (label("refunded_by" if refund else "received_by", lang), r.staff),
                *r.extra,
            ]
        ),
        Spacer(1, 10),
        data_table(
            [label(k, lang) for k in ("line_item", "quantity", "unit_price", "line_amount")],
            [
                [
                    x.description,
                    f"{x.quantity:g}" if isinstance(x.quantity, Decimal) else str(x.quantity),
                    money(x.unit_price, r.currency),
                    money(x.amount, r.currency),
                ]
                for x in r.lines
            ],
            [0.5, 0.12, 0.19, 0.19],
            numeric={1, 2, 3},
            wrap={0},
        ),
        Spacer(1, 6),
    ]
    totals = [(label("receipt_total", lang), money(r.total, r.currency))]
    if r.paid_before:
        totals.append((label("paid_before", lang), money(r.paid_before, r.currency)))
    totals.append((label("refunded" if refund else "paid_now", lang), money(r.paid, r.currency)))
    totals.append((label("balance_due", lang), money(r.balance, r.currency)))
    story.append(totals_table(totals))
    if r.note:
        story += [Spacer(1, 12), para(r.note, "muted")]
    return story


def write_receipt(
    r: Receipt,
    path: str | Path,
    lang: str = "zh",
    progress: Callable[[int, int], None] | None = None,
    is_cancelled: Callable[[], bool] | None = None,
) -> Path:
    """The receipt as an A4 PDF, atomically."""
    title = f"{label('refund' if r.paid < 0 else 'receipt', lang)} {r.number}"
    return write_document(
        path,
        receipt_story(r, lang),
        title=title,
        author=r.dealer_name,
        footer=f"{r.dealer_name} · {title}",
        page_word=label("page_of", lang),
        lang=lang,
        progress=progress,
        is_cancelled=is_cancelled,
    )
