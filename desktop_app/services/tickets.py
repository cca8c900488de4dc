"""QR tickets: issue, reissue, revoke, and render ticket cards (PNG; vector PDF via io/pdf) without Qt.

The payload is domain/ticket.py (contract: docs/qr-ticket.md). Every registered
registration holds one live ticket; reissuing revokes the old one (its scans say
"revoked"); cancelling a registration keeps its ticket so a scan can say "cancelled".
"""

from __future__ import annotations

import io
import os
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw, ImageFont
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop_app.domain import ticket as payload
from desktop_app.domain.enums import RegistrationStatus
from desktop_app.domain.errors import Cancelled, NotFound, PaddockError, RuleViolation
from desktop_app.domain.ids import new_id
from desktop_app.domain.roles import Permission
from desktop_app.domain.timeutil import now_utc, to_local
from desktop_app.io.atomic import write_atomically
from desktop_app.io.pdf import cards as pdf_cards
from desktop_app.io.pdf import fonts as pdf_fonts
from desktop_app.io.pdf.qr import QUIET, QrMatrix, qr_matrix
from desktop_app.services.auth import require
from desktop_app.services.common import audit, parse_id, stamp_origin
from desktop_app.store.db import Database
from desktop_app.store.models import DealerProfile, Event, Person, Registration, Ticket

# --------------------------------------------------------------------------- issuing


@dataclass(frozen=True, slots=True)
class TicketView:
    registration_id: uuid.UUID
    event_id: uuid.UUID
    serial: int
    code: str
    short_code: str
    issued_at: datetime
    revoked_at: datetime | None
    replaces: str | None = None  # the code this ticket revoked (reissue)

    def to_json(self) -> dict[str, Any]:
        return {
            "registration_id": str(self.registration_id),
            "event_id": str(self.event_id),
            "serial": self.serial,
            "ticket_code": self.code,
            "short_code": self.short_code,
            "short_code_display": payload.format_short_code(self.short_code),
            "issued_at": self.issued_at.isoformat(),
            "revoked_at": self.revoked_at.isoformat() if self.revoked_at else None,
            "replaces": self.replaces,
        }


def _ticket_view(t: Ticket, replaces: str | None = None) -> TicketView:
    return TicketView(
        t.registration_id,
        t.event_id,
        t.serial,
        t.code,
        t.short_code,
        t.created_at,
        t.revoked_at,
        replaces,
    )


def _key(s: Session) -> str:
    from desktop_app.services.registration import pin_dealer

    profile = pin_dealer(s) or s.scalars(select(DealerProfile)).first()
    if profile is None:
        raise PaddockError(code="not_initialised")
    return profile.ticket_key


def issue_ticket(s: Session, registration: Registration, *, fresh: bool = False) -> Ticket:
    """Issue a new ticket for `registration` inside the caller's transaction.

    Revokes a live previous ticket, sets registration.ticket_code to the new code. The
    serial counts tickets of the event (1, 2, 3… printed on the card as No. 0003).
    Check-in (and anyone else) may call this inside its own write transaction.
    `fresh=True` (a registration not yet flushed, that never had a ticket) skips the
    revocation lookup and lets the registration's INSERT carry the code.
    """
    if registration.status not in (
        RegistrationStatus.REGISTERED.value,
        RegistrationStatus.ATTENDED.value,
    ):
        raise RuleViolation(code="no_ticket_for_status", status=registration.status)
    now = now_utc()
    if registration.id is None:
        registration.id = new_id()
    if not fresh:
        s.flush()
        _revoke_live(s, registration, now)
    p = payload.issue(_key(s), registration.event_id)
    t = Ticket(
        registration_id=registration.id,
        event_id=registration.event_id,
        serial=_next_serial(s, registration.event_id),
        code=p.code,
        short_code=p.short_code,
        created_at=now,
    )
    stamp_origin(s, t)
    registration.ticket_code = p.code
    s.add(t)
    if not fresh:
        s.flush()
    return t


def _next_serial(s: Session, event_id: uuid.UUID) -> int:
    """Next ticket number of the event; remembered for the transaction (batch imports)."""
    from desktop_app.services.registration import tx_cache

    serials: dict[uuid.UUID, int] = tx_cache(s).setdefault("serials", {})
    if event_id not in serials:
        with s.no_autoflush:
            serials[event_id] = (
                s.scalar(select(func.max(Ticket.serial)).where(Ticket.event_id == event_id)) or 0
            )
    serials[event_id] += 1
    return serials[event_id]


def _revoke_live(s: Session, r: Registration, now: datetime) -> list[Ticket]:
    live = list(
        s.scalars(select(Ticket).where(Ticket.registration_id == r.id, Ticket.revoked_at.is_(None)))
    )
    for t in live:
        t.revoked_at = now
    return live


def _load_registration(s: Session, registration_id: str | uuid.UUID) -> Registration:
    r = s.get(Registration, parse_id(registration_id, "registration"))
    if r is None or r.deleted_at is not None:
        raise NotFound("registration", registration_id)
    return r


def reissue(db: Database, registration_id: str | uuid.UUID, actor: object = None) -> TicketView:
    """A new code for a registered person (lost phone, forwarded ticket); the old one is
    revoked: scanning it says "revoked"."""
    require(db, actor, Permission.REGISTER)
    with db.write() as s:
        r = _load_registration(s, registration_id)
        old = r.ticket_code
        t = issue_ticket(s, r)
        audit(s, "ticket.reissue", "registration", r.id, {"serial": t.serial}, actor)
        return _ticket_view(t, old)


def revoke(db: Database, registration_id: str | uuid.UUID, actor: object = None) -> int:
    """Revoke the live ticket(s) without issuing a new one; returns how many were revoked."""
    require(db, actor, Permission.REGISTER)
    with db.write() as s:
        r = _load_registration(s, registration_id)
        n = len(_revoke_live(s, r, now_utc()))
        r.ticket_code = None
        audit(s, "ticket.revoke", "registration", r.id, {"revoked": n}, actor)
        return n


def ticket_history(db: Database, registration_id: str | uuid.UUID) -> list[TicketView]:
    with db.read() as s:
        r = _load_registration(s, registration_id)
        rows = s.scalars(
            select(Ticket).where(Ticket.registration_id == r.id).order_by(Ticket.serial)
        )
        return [_ticket_view(t) for t in rows]


# --------------------------------------------------------------------------- cards


@dataclass(frozen=True, slots=True)
class TicketCard:
    """Everything printed on one ticket card."""

    registration_id: uuid.UUID
    event_title: str
    starts_at: datetime | None
    ends_at: datetime | None
    timezone: str
    place: str | None
    online_link: str | None
    name: str
    party_size: int
    is_drive: bool
    plate: str | None
    passengers: int
    code: str
    short_code: str
    serial: int
    dealer_name: str


def _card(s: Session, r: Registration, e: Event, p: Person, dealer: str) -> TicketCard | None:
    if not r.ticket_code or r.status not in (
        RegistrationStatus.REGISTERED.value,
        RegistrationStatus.ATTENDED.value,
    ):
        return None
    t = s.scalars(select(Ticket).where(Ticket.code == r.ticket_code)).first()
    if t is None or t.revoked_at is not None:
        return None
    details = e.details or {}
    return TicketCard(
        registration_id=r.id,
        event_title=e.title,
        starts_at=e.starts_at,
        ends_at=e.ends_at,
        timezone=e.timezone,
        place=e.venue or details.get("meeting_point"),
        online_link=e.online_link,
        name=p.name,
        party_size=r.party_size,
        is_drive=e.type == "club_drive",
        plate=r.plate,
        passengers=r.passengers,
        code=t.code,
        short_code=t.short_code,
        serial=t.serial,
        dealer_name=dealer,
    )


def _dealer_name(s: Session) -> str:
    profile = s.get(DealerProfile, 1)
    return profile.name if profile else ""


def card_for(db: Database, registration_id: str | uuid.UUID) -> TicketCard:
    with db.read() as s:
        r = _load_registration(s, registration_id)
        e, p = s.get(Event, r.event_id), s.get(Person, r.person_id)
        assert e is not None and p is not None
        card = _card(s, r, e, p, _dealer_name(s))
        if card is None:
            raise RuleViolation(code="no_ticket_for_status", status=r.status)
        return card


def event_cards(db: Database, event_id: str | uuid.UUID) -> list[TicketCard]:
    """Cards of every registered person with a live ticket, in serial order."""
    with db.read() as s:
        e = s.get(Event, parse_id(event_id, "event"))
        if e is None or e.deleted_at is not None:
            raise NotFound("event", event_id)
        dealer = _dealer_name(s)
        rows = s.execute(
            select(Registration, Person)
            .join(Person, Person.id == Registration.person_id)
            .where(
                Registration.event_id == e.id,
                Registration.deleted_at.is_(None),
                Registration.ticket_code.is_not(None),
            )
        )
        cards = [c for r, p in rows if (c := _card(s, r, e, p, dealer)) is not None]
    return sorted(cards, key=lambda c: c.serial)


# --------------------------------------------------------------------------- rendering

CARD_W, CARD_H = 720, 1080  # 2:3 portrait, phone-friendly; 3.6 x 5.4 in at 200 dpi
DPI = 200
INK = (25, 32, 45)
MUTED = (105, 112, 125)
ACCENT = (18, 60, 110)
PAPER = (255, 255, 255)
HEADER_MUTED = (200, 215, 235)
PAD = 48

FONT_CANDIDATES: tuple[tuple[str, int], ...] = (
    # (path, index in a .ttc collection: Noto Sans CJK SC is 2); the shipped Noto Sans SC
    # (resources/fonts, the PDFs' font) comes first, these are for a broken install
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-{w}.ttc", 2),
    ("/usr/share/fonts/noto-cjk/NotoSansCJK-{w}.ttc", 2),
    ("/usr/share/fonts/google-noto-cjk/NotoSansCJK-{w}.ttc", 2),
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
    ("C:/Windows/Fonts/msyh{wb}.ttc", 0),  # Microsoft YaHei (msyh.ttc / msyhbd.ttc)
    ("C:/Windows/Fonts/simhei.ttf", 0),
    ("/System/Library/Fonts/PingFang.ttc", 0),
    ("/System/Library/Fonts/STHeiti Medium.ttc", 0),
    ("/Library/Fonts/Arial Unicode.ttf", 0),
)

LABELS: dict[str, dict[str, str]] = {
    "en": {
        "ticket": "EVENT TICKET",
        "guest": "Guest",
        "party": "{n} person",
        "party_n": "{n} people",
        "car": "Car {plate}",
        "car_people": "{n} in the car",
        "code": "Manual code",
        "show": "Show this QR code at the check-in desk",
        "place": "Place",
        "when": "When",
        "online": "Online",
        "no": "No. {n:04d}",
        "tbd": "date to be announced",
    },
    "zh": {
        "ticket": "活动入场券",
        "guest": "嘉宾",
        "party": "{n} 人",
        "party_n": "{n} 人",
        "car": "车辆 {plate}",
        "car_people": "同车 {n} 人",
        "code": "手动输入码",
        "show": "请在签到台出示此二维码",
        "place": "地点",
        "when": "时间",
        "online": "线上",
        "no": "编号 {n:04d}",
        "tbd": "时间待定",
    },
}
WEEKDAYS = {
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
    "zh": ("周一", "周二", "周三", "周四", "周五", "周六", "周日"),
}


@lru_cache(maxsize=4)
def _font_file(bold: bool) -> tuple[str, int] | None:
    override = os.environ.get("PADDOCK_TICKET_FONT")
    if override and Path(override).exists():
        return override, 0
    try:
        return str(pdf_fonts.font_file(pdf_fonts.BOLD if bold else pdf_fonts.REGULAR)), 0
    except pdf_fonts.FontMissing:
        pass
    for pattern, index in FONT_CANDIDATES:
        path = pattern.format(w="Bold" if bold else "Regular", wb="bd" if bold else "")
        if Path(path).exists():
            return path, index
    return None


@lru_cache(maxsize=64)
def font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """A CJK-capable font; Pillow's built-in font when none is installed (no Chinese then)."""
    found = _font_file(bold) or _font_file(False)
    if found:
        try:
            return ImageFont.truetype(found[0], size, index=found[1])
        except OSError:
            pass
    return ImageFont.load_default(size)


def qr_image(code: str, side: int = 460) -> Image.Image:
    """The QR of a payload (error correction M, 4-module quiet zone), at most `side` px
    wide with whole-pixel modules (no resampling blur for scanners). The same matrix as
    the PDF's vector QR (io/pdf/qr.py)."""
    m = qr_matrix(code.upper())  # upper case keeps it in the compact alphanumeric mode
    n = m.with_quiet
    small = Image.new("1", (n, n), 1)
    small.putdata([0 if v else 1 for row in _quiet(m) for v in row])
    box = max(1, side // n)
    return small.resize((n * box, n * box), Image.Resampling.NEAREST).convert("RGB")


def _quiet(m: QrMatrix) -> list[bytes]:
    """The matrix rows with the 4-module white border around them."""
    blank = bytes(m.with_quiet)
    edge = bytes(QUIET)
    return [blank] * QUIET + [edge + row + edge for row in m.rows] + [blank] * QUIET


def format_when(card: TicketCard, lang: str) -> str:
    start = to_local(card.starts_at, card.timezone)
    if start is None:
        return LABELS[lang]["tbd"]
    end = to_local(card.ends_at, card.timezone)
    day = WEEKDAYS[lang][start.weekday()]
    if lang == "zh":
        text = f"{start.year}年{start.month}月{start.day}日 {day} {start:%H:%M}"
    else:
        text = f"{day} {start.day} {start:%b} {start.year}, {start:%H:%M}"
    if end is not None:
        text += f"–{end:%H:%M}" if end.date() == start.date() else f" – {end:%m-%d %H:%M}"
    return text


def format_party(card: TicketCard, lang: str) -> str:
    lab = LABELS[lang]
    if card.is_drive:
        plate = display_plate(card.plate) if card.plate else "—"
        return f"{lab['car'].format(plate=plate)} · {lab['car_people'].format(n=card.party_size)}"
    key = "party" if card.party_size == 1 else "party_n"
    return lab[key].format(n=card.party_size)


def display_plate(plate: str) -> str:
    """沪AD12345 → 沪A·D12345 (how plates are written)."""
    return f"{plate[:2]}·{plate[2:]}" if len(plate) > 2 else plate


def _wrap(draw: ImageDraw.ImageDraw, text: str, fnt: Any, width: int, lines: int) -> list[str]:
    """Greedy wrap by character (works for Chinese; English breaks at spaces when it can)."""
    out: list[str] = []
    rest = text.strip()
    while rest and len(out) < lines:
        cut = len(rest)
        while cut > 1 and draw.textlength(rest[:cut], font=fnt) > width:
            cut -= 1
        if cut < len(rest):
            space = rest.rfind(" ", 0, cut)
            if space > cut // 2:
                cut = space
        out.append(rest[:cut].strip())
        rest = rest[cut:].strip()
    if rest and out:  # did not fit: ellipsis on the last line
        last = out[-1]
        while last and draw.textlength(last + "…", font=fnt) > width:
            last = last[:-1]
        out[-1] = last + "…"
    return out


@lru_cache(maxsize=8)
def _event_face(
    dealer: str,
    title: str,
    when: str,
    place: str,
    lang: str,
) -> tuple[Image.Image, int]:
    """What every card of an event shares (header, title, time, place, footer), drawn once
    per batch; returns the image and the y where the QR area starts."""
    lab = LABELS[lang]
    img = Image.new("RGB", (CARD_W, CARD_H), PAPER)
    d = ImageDraw.Draw(img)
    inner = CARD_W - 2 * PAD
    d.rectangle((0, 0, CARD_W, 112), fill=ACCENT)
    head = _wrap(d, dealer or "Paddock", font(26, True), inner, 1)
    d.text((PAD, 22), head[0] if head else "", font=font(26, True), fill=PAPER)
    d.text((PAD, 62), lab["ticket"], font=font(22), fill=HEADER_MUTED)
    y = 136
    for line in _wrap(d, title, font(38, True), inner, 2):
        d.text((PAD, y), line, font=font(38, True), fill=INK)
        y += 50
    y += 6
    d.text((PAD, y), when, font=font(26), fill=INK)
    y += 40
    for line in _wrap(d, place, font(24), inner, 2):
        d.text((PAD, y), line, font=font(24), fill=MUTED)
        y += 34
    d.text((CARD_W // 2, CARD_H - 40), lab["show"], font=font(20), fill=MUTED, anchor="ms")
    return img, max(y + 12, 330)


def render_card(card: TicketCard, lang: str = "zh") -> Image.Image:
    """The ticket card as an RGB image (CARD_W x CARD_H)."""
    lang = lang if lang in LABELS else "en"
    lab = LABELS[lang]
    place = card.place or (lab["online"] if card.online_link else "")
    face, top = _event_face(
        card.dealer_name, card.event_title, format_when(card, lang), place, lang
    )
    img = face.copy()
    d = ImageDraw.Draw(img)
    inner = CARD_W - 2 * PAD
    no = lab["no"].format(n=card.serial)
    d.text((CARD_W - PAD, 62), no, font=font(22), fill=HEADER_MUTED, anchor="ra")
    # the QR, as large as the space allows
    qr = qr_image(card.code, min(inner - 40, 460))
    side = qr.size[0]
    qy = top + (460 - side) // 2
    img.paste(qr, ((CARD_W - side) // 2, qy))
    y = qy + side + 8
    d.text((CARD_W // 2, y), lab["code"], font=font(20), fill=MUTED, anchor="ma")
    y += 30
    short = payload.format_short_code(card.short_code)
    d.text((CARD_W // 2, y), short, font=font(46, True), fill=INK, anchor="ma")
    y += 70
    d.line((PAD, y, CARD_W - PAD, y), fill=(220, 224, 230), width=2)
    y += 16
    name = _wrap(d, card.name, font(34, True), inner, 1)
    d.text((PAD, y), name[0] if name else lab["guest"], font=font(34, True), fill=INK)
    y += 48
    d.text((PAD, y), format_party(card, lang), font=font(26), fill=INK)
    return img


def card_png(card: TicketCard, lang: str = "zh") -> bytes:
    buf = io.BytesIO()
    render_card(card, lang).save(buf, format="PNG", dpi=(DPI, DPI), compress_level=3)
    return buf.getvalue()


def save_card_png(card: TicketCard, path: str | Path, lang: str = "zh") -> Path:
    target = Path(path)
    data = card_png(card, lang)
    write_atomically(target, lambda tmp: tmp.write_bytes(data))
    return target


# --------------------------------------------------------------------------- batch / PDF

SHEETS = tuple(pdf_cards.SHEETS)  # a6, a5 (1-up), a4-4, a4-8 (A4 with cut marks)


def card_face(card: TicketCard, lang: str = "zh") -> pdf_cards.CardFace:
    """The words on a card in `lang`, for the PDF layer."""
    lang = lang if lang in LABELS else "en"
    lab = LABELS[lang]
    return pdf_cards.CardFace(
        dealer=card.dealer_name,
        heading=lab["ticket"],
        number=lab["no"].format(n=card.serial),
        title=card.event_title,
        when=format_when(card, lang),
        place=card.place or (lab["online"] if card.online_link else ""),
        code=card.code.upper(),
        code_label=lab["code"],
        short_code=payload.format_short_code(card.short_code),
        name=card.name or lab["guest"],
        party=format_party(card, lang),
        footer=lab["show"],
    )


def sheet_for(per_page: int = 1, paper: str = "a6") -> str:
    """The sheet key for `per_page` cards (1, 4, 8); 1-up prints on `paper` (a6 or a5)."""
    if per_page == 1:
        if paper not in ("a6", "a5"):
            raise ValueError("paper must be a6 or a5")
        return paper
    if per_page not in pdf_cards.BY_PER_PAGE:
        raise ValueError("per_page must be 1, 4 or 8")
    return pdf_cards.BY_PER_PAGE[per_page]


@dataclass(frozen=True, slots=True)
class BatchResult:
    files: tuple[Path, ...]
    cards: int
    pages: int

    def to_json(self) -> dict[str, Any]:
        return {"files": [str(f) for f in self.files], "cards": self.cards, "pages": self.pages}


def write_pdf(
    cards: Sequence[TicketCard],
    path: str | Path,
    lang: str = "zh",
    per_page: int = 1,
    progress: Callable[[int, int], None] | None = None,
    is_cancelled: Callable[[], bool] | None = None,
    paper: str = "a6",
) -> int:
    """All cards into one vector PDF (temp name + rename); returns the page count.

    1-up on A6 or A5 (`paper`), or 4 / 8 cards per A4 sheet with cut marks."""
    sheet = sheet_for(per_page, paper)
    title = cards[0].event_title if cards else ""
    return pdf_cards.write_cards(
        [card_face(c, lang) for c in cards],
        path,
        sheet,
        title=title,
        author=cards[0].dealer_name if cards else "",
        progress=progress,
        is_cancelled=is_cancelled,
    )


def export_event_tickets(
    db: Database,
    event_id: str | uuid.UUID,
    out_dir: str | Path,
    fmt: str = "pdf",
    lang: str = "zh",
    per_page: int = 1,
    progress: Callable[[int, int], None] | None = None,
    is_cancelled: Callable[[], bool] | None = None,
    paper: str = "a6",
) -> BatchResult:
    """Every live ticket of an event: one PDF (`out_dir/tickets-<event>-<lang>-<sheet>.pdf`,
    or `out_dir` itself when it names a .pdf file) or one PNG per card in `out_dir`."""
    require(db, None, Permission.REGISTER)
    sheet = sheet_for(per_page, paper) if fmt == "pdf" else ""
    cards = event_cards(db, event_id)
    if not cards:
        raise RuleViolation(code="nothing_to_render")
    folder = Path(out_dir)
    if fmt == "pdf" and folder.suffix.lower() == ".pdf":  # a file name was given
        folder, name = folder.parent, folder.name
    else:
        name = f"tickets-{str(event_id)[:8]}-{lang}-{sheet}.pdf"
    if folder.exists() and not folder.is_dir():
        raise RuleViolation(code="out_not_folder", folder=str(folder))
    folder.mkdir(parents=True, exist_ok=True)
    if fmt == "pdf":
        target = folder / name
        pages = write_pdf(cards, target, lang, per_page, progress, is_cancelled, paper)
        _audit_export(db, event_id, target.name, len(cards))
        return BatchResult((target,), len(cards), pages)
    files: list[Path] = []
    for n, c in enumerate(cards, start=1):
        if is_cancelled and is_cancelled():
            raise Cancelled("ticket batch cancelled")
        safe = "".join(ch for ch in c.name if ch.isalnum())[:20] or "guest"
        files.append(save_card_png(c, folder / f"{c.serial:04d}-{safe}-{c.short_code}.png", lang))
        if progress:
            progress(n, len(cards))
    _audit_export(db, event_id, str(folder), len(cards))
    return BatchResult(tuple(files), len(cards), len(files))


def _audit_export(db: Database, event_id: str | uuid.UUID, file: str, cards: int) -> None:
    """Ticket cards carry names and plates: who exported them is in the audit log."""
    with db.write() as s:
        audit(s, "export.tickets", "event", event_id, {"file": file, "cards": cards})
