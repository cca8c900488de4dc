"""A voucher as a PNG card to send by WeChat: the partner, the perk, the QR of the signed
code, the short code to type, the member and the last valid day (Pillow, no Qt)."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image, ImageDraw

from desktop_app.domain import voucher as payload
from desktop_app.io.atomic import write_bytes_atomically
from desktop_app.services.perks import VoucherView

# the ticket card's drawing helpers: one font finder, one QR drawer, one wrapper
from desktop_app.services.tickets import PAD, PAPER, font, qr_image
from desktop_app.services.tickets import _wrap as wrap_text

CARD_W, CARD_H = 720, 1080
GOLD = (150, 98, 20)
INK = (25, 32, 45)
MUTED = (105, 112, 125)
HEADER_MUTED = (246, 231, 200)

LABELS = {
    "en": {
        "title": "PERK VOUCHER",
        "points": "{n} points",
        "code": "Code",
        "member": "Member",
        "until": "Valid until {day}",
        "no_end": "No end date",
        "show": "Show this QR code to the partner's staff",
        "status": {"consumed": "USED", "cancelled": "CANCELLED", "expired": "EXPIRED"},
    },
    "zh": {
        "title": "会员权益券",
        "points": "{n} 积分兑换",
        "code": "核销码",
        "member": "会员",
        "until": "有效期至 {day}",
        "no_end": "长期有效",
        "show": "请向商家出示此二维码核销",
        "status": {"consumed": "已核销", "cancelled": "已取消", "expired": "已过期"},
    },
}


def render_voucher(v: VoucherView, dealer: str, lang: str = "zh") -> Image.Image:
    lang = lang if lang in LABELS else "en"
    lab = LABELS[lang]
    img = Image.new("RGB", (CARD_W, CARD_H), PAPER)
    d = ImageDraw.Draw(img)
    inner = CARD_W - 2 * PAD
    d.rectangle((0, 0, CARD_W, 112), fill=GOLD)
    head = wrap_text(d, dealer or "Paddock", font(26, True), inner, 1)
    d.text((PAD, 22), head[0] if head else "", font=font(26, True), fill=PAPER)
    d.text((PAD, 62), lab["title"], font=font(22), fill=HEADER_MUTED)
    d.text(
        (CARD_W - PAD, 62),
        lab["points"].format(n=v.points),
        font=font(22),
        fill=HEADER_MUTED,
        anchor="ra",
    )
    y = 136
    for line in wrap_text(d, v.partner, font(28), inner, 1):
        d.text((PAD, y), line, font=font(28), fill=MUTED)
        y += 40
    for line in wrap_text(d, v.perk, font(40, True), inner, 2):
        d.text((PAD, y), line, font=font(40, True), fill=INK)
        y += 54
    day = v.last_day
    d.text(
        (PAD, y + 4),
        lab["until"].format(day=day.isoformat()) if day else lab["no_end"],
        font=font(26),
        fill=INK,
    )
    top = max(y + 50, 330)
    qr = qr_image(v.code, min(inner - 40, 440))
    side = qr.size[0]
    img.paste(qr, ((CARD_W - side) // 2, top))
    y = top + side + 8
    d.text((CARD_W // 2, y), lab["code"], font=font(20), fill=MUTED, anchor="ma")
    y += 30
    short = payload.format_short_code(v.short_code)
    d.text((CARD_W // 2, y), short, font=font(46, True), fill=INK, anchor="ma")
    y += 70
    d.line((PAD, y, CARD_W - PAD, y), fill=(220, 224, 230), width=2)
    y += 16
    d.text((PAD, y), f"{lab['member']}  {v.name}", font=font(30, True), fill=INK)
    d.text((CARD_W // 2, CARD_H - 40), lab["show"], font=font(20), fill=MUTED, anchor="ms")
    stamp = lab["status"].get(v.status)
    if stamp:  # a used or cancelled voucher's card says so across the QR
        d.rectangle(
            (PAD, top + side // 2 - 44, CARD_W - PAD, top + side // 2 + 44),
            fill=PAPER,
            outline=(178, 34, 34),
            width=4,
        )
        d.text(
            (CARD_W // 2, top + side // 2),
            stamp,
            font=font(52, True),
            fill=(178, 34, 34),
            anchor="mm",
        )
    return img


def voucher_png(v: VoucherView, dealer: str, lang: str = "zh") -> bytes:
    buf = io.BytesIO()
    render_voucher(v, dealer, lang).save(buf, format="PNG", compress_level=3)
    return buf.getvalue()


def save_voucher_png(v: VoucherView, dealer: str, path: str | Path, lang: str = "zh") -> Path:
    return write_bytes_atomically(Path(path).expanduser(), voucher_png(v, dealer, lang))
