"""Ticket cards as vector PDF: 1-up on A6 or A5, or 4-up / 8-up on A4 with cut marks.

Text is text (Noto Sans SC, embedded subset), the QR is filled rectangles. What every card
of an event shares (dealer band, title, time, place, footer) is drawn once per batch as a
form XObject and placed on each card, so 1,000 cards stay small (~1–2 KB a card).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, A5, A6
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from desktop_app.domain.errors import Cancelled
from desktop_app.io.atomic import write_atomically
from desktop_app.io.pdf import fonts
from desktop_app.io.pdf.palette import ACCENT, CUT, HEADER_MUTED, INK, MUTED, RULE
from desktop_app.io.pdf.qr import draw_qr


@dataclass(frozen=True, slots=True)
class CardFace:
    """The words and code printed on one ticket card, already in the card's language."""

    dealer: str
    heading: str  # "活动入场券" / "EVENT TICKET"
    number: str  # "编号 0042"
    title: str
    when: str
    place: str
    code: str  # the QR payload (docs/qr-ticket.md)
    code_label: str  # "手动输入码"
    short_code: str  # "K7QX-M2PA"
    name: str
    party: str  # "2 人" / "车辆 沪A·D12345 · 同车 3 人"
    footer: str  # "请在签到台出示此二维码"

    def shared(self) -> tuple[str, ...]:
        """What every card of the same event shows (drawn once as a form)."""
        return (
            self.dealer,
            self.heading,
            self.title,
            self.when,
            self.place,
            self.code_label,
            self.footer,
        )


@dataclass(frozen=True, slots=True)
class Sheet:
    """A page size and how many cards it holds (cols × rows), with cut marks when > 1."""

    key: str
    page: tuple[float, float]
    cols: int
    rows: int
    margin: float  # white border of the page outside the cards (cut marks live there)

    @property
    def per_page(self) -> int:
        return self.cols * self.rows

    @property
    def cell(self) -> tuple[float, float]:
        return (
            (self.page[0] - 2 * self.margin) / self.cols,
            (self.page[1] - 2 * self.margin) / self.rows,
        )


SHEETS: dict[str, Sheet] = {
    "a6": Sheet("a6", A6, 1, 1, 0),
    "a5": Sheet("a5", A5, 1, 1, 0),
    "a4-4": Sheet("a4-4", A4, 2, 2, 8 * mm),
    "a4-8": Sheet("a4-8", A4, 2, 4, 8 * mm),
}
BY_PER_PAGE = {1: "a6", 4: "a4-4", 8: "a4-8"}

Progress = Callable[[int, int], None]


class _CardWriter:
    """Draws cards of one size; the event's shared face is one form per event."""

    def __init__(self, c: Canvas, w: float, h: float) -> None:
        self.c, self.w, self.h = c, w, h
        self.portrait = h >= w
        self.u = (w if self.portrait else h) / (105 * mm if self.portrait else 74 * mm)
        self.forms: dict[tuple[str, ...], tuple[str, float]] = {}
        self.regular, self.bold = fonts.register()

    # ------------------------------------------------------------------ shared face
    def _form(self, face: CardFace) -> tuple[str, float]:
        """The form name and the y (from the card's bottom) where the QR area's top is."""
        key = face.shared()
        if key not in self.forms:
            name = f"face{len(self.forms)}"
            self.c.beginForm(name, lowerx=0, lowery=0, upperx=self.w, uppery=self.h)
            top = self._draw_shared(face)
            self.c.endForm()
            self.forms[key] = (name, top)
        return self.forms[key]

    def _band(self, face: CardFace, band: float) -> None:
        c, u, w, h = self.c, self.u, self.w, self.h
        pad = 7 * mm * u
        c.setFillColor(ACCENT)
        c.rect(0, h - band, w, band, stroke=0, fill=1)
        c.setFillColor(colors.white)
        size = fonts.shrink(face.dealer or "Paddock", 10.5 * u, w - 2 * pad, bold=True)
        c.setFont(self.bold, size)
        c.drawString(
            pad,
            h - band + band * 0.55,
            fonts.fit(face.dealer or "Paddock", size, w - 2 * pad, True),
        )
        c.setFillColor(HEADER_MUTED)
        c.setFont(self.regular, 8 * u)
        c.drawString(pad, h - band + band * 0.2, face.heading)

    def _draw_shared(self, face: CardFace) -> float:
        c, u, w, h = self.c, self.u, self.w, self.h
        pad = 7 * mm * u
        if self.portrait:
            band = 15 * mm * u
            self._band(face, band)
            y = h - band - 8 * mm * u
            c.setFillColor(INK)
            tsize = 14 * u
            for line in fonts.wrap(face.title, tsize, w - 2 * pad, 2, bold=True):
                c.setFont(self.bold, tsize)
                c.drawString(pad, y, line)
                y -= tsize * 1.3
            y -= 1 * mm * u
            c.setFont(self.regular, 9.5 * u)
            c.drawString(pad, y, fonts.fit(face.when, 9.5 * u, w - 2 * pad))
            y -= 9.5 * u * 1.45
            c.setFillColor(MUTED)
            for line in fonts.wrap(face.place, 8.5 * u, w - 2 * pad, 2):
                c.setFont(self.regular, 8.5 * u)
                c.drawString(pad, y, line)
                y -= 8.5 * u * 1.35
            c.setFont(self.regular, 7.5 * u)
            c.drawCentredString(w / 2, 5 * mm * u, fonts.fit(face.footer, 7.5 * u, w - 2 * pad))
            return y + 8.5 * u * 0.3
        band = 11 * mm * u
        self._band(face, band)
        qr_side = h - band - 2 * mm * u
        x = qr_side + 1 * mm * u
        room = w - x - pad * 0.7
        y = h - band - 6 * mm * u
        c.setFillColor(INK)
        tsize = 10.5 * u
        for line in fonts.wrap(face.title, tsize, room, 2, bold=True):
            c.setFont(self.bold, tsize)
            c.drawString(x, y, line)
            y -= tsize * 1.25
        for line in fonts.wrap(face.when, 7.5 * u, room, 2):
            c.setFont(self.regular, 7.5 * u)
            c.drawString(x, y, line)
            y -= 7.5 * u * 1.35
        c.setFillColor(MUTED)
        c.setFont(self.regular, 7.5 * u)
        c.drawString(x, y, fonts.fit(face.place, 7.5 * u, room))
        c.setFont(self.regular, 6.5 * u)
        c.drawString(x, 4 * mm * u, fonts.fit(face.footer, 6.5 * u, room))
        return y

    # ------------------------------------------------------------------ one card
    def draw(self, face: CardFace, x: float, y: float) -> None:
        c = self.c
        form, top = self._form(face)
        c.saveState()
        c.translate(x, y)
        c.doForm(form)
        pad = 7 * mm * self.u
        if self.portrait:
            self._portrait_card(face, top, pad)
        else:
            self._landscape_card(face, top, pad)
        c.restoreState()

    def _portrait_card(self, face: CardFace, top: float, pad: float) -> None:
        c, u, w, h = self.c, self.u, self.w, self.h
        band = 15 * mm * u
        c.setFillColor(HEADER_MUTED)
        c.setFont(self.regular, 8 * u)
        c.drawRightString(w - pad, h - band + band * 0.2, face.number)
        # below the QR: code label, short code, rule, name, party, footer line
        below = 4.2 * mm * u + 15 * u + 3 * mm * u + 13 * u * 1.3 + 10 * u * 1.4 + 9 * mm * u
        side = max(20 * mm, min(top - below - 1 * mm * u, w - 2 * pad + 8 * mm * u, 74 * mm * u))
        qx, qy = (w - side) / 2, top - side
        draw_qr(c, face.code, qx, qy, side)
        y = qy - 1.5 * mm * u
        c.setFillColor(MUTED)
        c.setFont(self.regular, 7.5 * u)
        c.drawCentredString(w / 2, y, face.code_label)
        y -= 15 * u + 1.5 * mm * u
        c.setFillColor(INK)
        c.setFont(self.bold, 15 * u)
        c.drawCentredString(w / 2, y, face.short_code)
        y -= 4 * mm * u
        c.setStrokeColor(RULE)
        c.setLineWidth(0.6 * u)
        c.line(pad, y, w - pad, y)
        y -= 13 * u * 1.25
        size = fonts.shrink(face.name, 13 * u, w - 2 * pad, bold=True)
        c.setFont(self.bold, size)
        c.drawString(pad, y, fonts.fit(face.name, size, w - 2 * pad, True))
        y -= 10 * u * 1.45
        psize = fonts.shrink(face.party, 10 * u, w - 2 * pad, floor=0.75)
        c.setFont(self.regular, psize)
        c.drawString(pad, y, fonts.fit(face.party, psize, w - 2 * pad))

    def _landscape_card(self, face: CardFace, top: float, pad: float) -> None:
        c, u, w, h = self.c, self.u, self.w, self.h
        band = 11 * mm * u
        c.setFillColor(HEADER_MUTED)
        c.setFont(self.regular, 7.5 * u)
        c.drawRightString(w - pad, h - band + band * 0.2, face.number)
        side = h - band - 2 * mm * u
        draw_qr(c, face.code, 1 * mm * u, 1 * mm * u, side)
        x = side + 1 * mm * u
        room = w - x - pad * 0.7
        y = min(top, 33 * mm * u) - 6 * mm * u
        c.setFillColor(INK)
        size = fonts.shrink(face.name, 12 * u, room, bold=True)
        c.setFont(self.bold, size)
        c.drawString(x, y, fonts.fit(face.name, size, room, True))
        y -= 9 * u * 1.45
        psize = fonts.shrink(face.party, 8.5 * u, room, floor=0.8)
        for line in fonts.wrap(face.party, psize, room, 2):
            c.setFont(self.regular, psize)
            c.drawString(x, y, line)
            y -= psize * 1.3
        y -= 8.5 * u * 0.2
        c.setFillColor(MUTED)
        c.setFont(self.regular, 6.5 * u)
        c.drawString(x, y, face.code_label)
        y -= 12 * u * 1.1
        c.setFillColor(INK)
        c.setFont(self.bold, 12 * u)
        c.drawString(x, y, face.short_code)


def _cut_marks(c: Canvas, sheet: Sheet) -> None:
    """Short lines in the page border where every cut goes (none on the cards)."""
    cw, ch = sheet.cell
    m, (pw, ph) = sheet.margin, sheet.page
    gap, length = 1.5 * mm, m - 2.5 * mm
    c.saveState()
    c.setStrokeColor(CUT)
    c.setLineWidth(0.3)
    for i in range(sheet.cols + 1):
        x = m + i * cw
        c.line(x, ph - m + gap, x, ph - m + gap + length)
        c.line(x, m - gap, x, m - gap - length)
    for j in range(sheet.rows + 1):
        y = m + j * ch
        c.line(m - gap, y, m - gap - length, y)
        c.line(pw - m + gap, y, pw - m + gap + length, y)
    c.restoreState()


def write_cards(
    faces: Sequence[CardFace],
    path: str | Path,
    sheet: str = "a6",
    *,
    title: str = "",
    author: str = "",
    progress: Progress | None = None,
    is_cancelled: Callable[[], bool] | None = None,
) -> int:
    """All cards into one PDF on `sheet` (SHEETS), atomically; returns the page count.

    `progress(cards_done, total)` after each page; `is_cancelled()` true stops with
    Cancelled and leaves no file."""
    if sheet not in SHEETS:
        raise ValueError(f"sheet must be one of {', '.join(SHEETS)}")
    sh = SHEETS[sheet]
    cw, ch = sh.cell
    pages = 0

    def write(tmp: Path) -> None:
        nonlocal pages
        regular, _bold = fonts.register()
        c = Canvas(
            str(tmp), pagesize=sh.page, invariant=1, pageCompression=1, initialFontName=regular
        )
        c.setTitle(title)
        c.setAuthor(author)
        c.setCreator("Paddock")
        writer = _CardWriter(c, cw, ch)
        total = len(faces)
        for start in range(0, total, sh.per_page):
            if is_cancelled and is_cancelled():
                raise Cancelled("ticket batch cancelled; no file written")
            for i, face in enumerate(faces[start : start + sh.per_page]):
                col, row = i % sh.cols, i // sh.cols
                x = sh.margin + col * cw
                y = sh.page[1] - sh.margin - (row + 1) * ch
                writer.draw(face, x, y)
            if sh.per_page > 1:
                _cut_marks(c, sh)
            c.showPage()
            pages += 1
            if progress:
                progress(min(start + sh.per_page, total), total)
        c.save()

    write_atomically(Path(path), write)
    return pages
