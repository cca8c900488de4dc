"""The receipt as a real PDF document (reportlab): text is text (selectable, searchable,
read by pdftotext), one A5 page.

Font: the CID font STSong-Light (Adobe's Chinese font pack; every Chinese PDF viewer has
it, nothing is embedded). Kept in this one small module on purpose: when the shared PDF
layer of issue 16 lands, the receipt moves onto it and this file goes.
"""

from __future__ import annotations

import io

from reportlab.lib.pagesizes import A5
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen.canvas import Canvas

from desktop_app.domain.enums import PaymentKind
from desktop_app.services.receipts import (
    LABELS,
    ReceiptDoc,
    line_detail,
    local_text,
    payment_line,
    status_line,
    yuan,
)

FONT = "STSong-Light"
INK = (0.10, 0.12, 0.18)
MUTED = (0.41, 0.44, 0.49)
RED = (0.70, 0.13, 0.13)


def _font() -> str:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    return FONT


def _face_for(text: str, cjk: str) -> str:
    """Helvetica for text it can show (Latin, ¥), else the CJK font: Latin set in a CJK
    font's metrics looks spaced out in viewers that substitute it."""
    try:
        text.encode("cp1252")
    except UnicodeEncodeError:
        return cjk
    return "Helvetica"


def receipt_pdf(doc: ReceiptDoc, lang: str = "zh") -> bytes:
    """One A5 page: title, dealer, number and date, payer, event, the cost lines, totals,
    the payments so far, who took it, and "not a tax invoice"."""
    lang = lang if lang in LABELS else "en"
    lab = LABELS[lang]
    face = _font()
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=A5, pageCompression=1)
    refund = doc.kind == PaymentKind.REFUND
    c.setTitle(f"{lab['refund_title' if refund else 'title'].replace('  ', '')} {doc.receipt_no}")
    c.setAuthor(doc.dealer_name)
    c.setSubject(doc.event_title)
    w, h = A5
    left, right = 14 * mm, w - 14 * mm
    y = h - 18 * mm

    def put(
        x: float,
        text: str,
        size: float,
        colour: tuple[float, float, float] = INK,
        align: str = "left",
    ) -> None:
        c.setFont(_face_for(text, face), size)
        c.setFillColorRGB(*colour)
        if align == "right":
            c.drawRightString(x, y, text)
        elif align == "centre":
            c.drawCentredString(x, y, text)
        else:
            c.drawString(x, y, text)

    def rule() -> None:
        nonlocal y
        y -= 3 * mm
        c.setStrokeColorRGB(0.86, 0.88, 0.90)
        c.setLineWidth(0.8)
        c.line(left, y, right, y)
        y -= 6 * mm

    put(w / 2, lab["refund_title" if refund else "title"], 20, align="centre")
    y -= 8 * mm
    put(w / 2, doc.dealer_name, 11, align="centre")
    y -= 9 * mm
    put(left, f"{lab['no']} {doc.receipt_no}", 10, RED)
    put(right, f"{lab['date']} {local_text(doc.taken_at, doc.timezone)}", 10, align="right")
    rule()
    who = doc.name + (f" ({doc.phone_masked})" if doc.phone_masked else "")
    for label, value in (
        (lab["to" if refund else "from"], who),
        (lab["event"], doc.event_title),
        *([(lab["plate"], doc.plate)] if doc.plate else []),
    ):
        put(left, label, 10, MUTED)
        put(left + 26 * mm, value, 11)
        y -= 6.5 * mm
    rule()
    put(left, lab["items"], 11)
    put(right, lab["share"], 10, MUTED, "right")
    y -= 6.5 * mm
    for line in doc.lines:
        put(left, line.label, 10.5)
        put(right, yuan(line.cents), 10.5, align="right")
        y -= 4.8 * mm
        put(left + 4 * mm, line_detail(line, lang), 8.5, MUTED)
        y -= 6 * mm
    rule()
    this = f"{yuan(doc.amount_cents)}{lab['sep']}{lab.get(doc.method, doc.method)}"
    for label, value, size in (
        (lab["owed"], yuan(doc.owed), 10.5),
        (lab["this_refund" if refund else "this"], this, 12),
        (lab["paid"], yuan(doc.paid), 10.5),
        (*status_line(doc, lang), 12),
    ):
        put(left, label, size)
        put(right, value, size, align="right")
        y -= 6.5 * mm
    if doc.reference:
        put(left, f"{lab['ref']} {doc.reference}", 9, MUTED)
        y -= 5 * mm
    if len(doc.payments) > 1:
        rule()
        put(left, lab["payments"], 10)
        y -= 5.5 * mm
        for p in doc.payments:
            when, amount = payment_line(p, doc, lang)
            put(left, when, 8.5, MUTED)
            put(right, amount, 8.5, MUTED, "right")
            y -= 4.8 * mm
    rule()
    if doc.taken_by:
        put(left, f"{lab['by']}: {doc.taken_by}", 10)
        y -= 6 * mm
    put(left, lab["not_invoice"], 8, MUTED)
    c.showPage()
    c.save()
    return buf.getvalue()
