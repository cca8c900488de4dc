"""Name badges: one label per page, the page exactly the label printer's label.

Label printers (Brother QL, DYMO LabelWriter, Zebra) print one label per page at the
size their driver is set to, so the PDF page must be that size. The desk prints each
accepted guest's badge from this same layout (ui/badge_printer.py renders the page);
`paddock badges` writes a whole event's badges ahead of the day.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from desktop_app.domain.errors import Cancelled, ValidationError
from desktop_app.io.atomic import write_atomically
from desktop_app.io.pdf import fonts
from desktop_app.io.pdf.palette import ACCENT, INK, MUTED

# width × height in mm, as the label is fed (landscape labels are wider than high)
LABEL_SIZES: dict[str, tuple[float, float]] = {
    "90x55": (90, 55),  # name-badge card stock, the default
    "62x29": (62, 29),  # Brother DK-11209 small address label
    "62x100": (62, 100),  # Brother DK-11202 shipping label (portrait badge)
    "89x36": (89, 36),  # DYMO 99012 large address label
    "101x54": (101, 54),  # DYMO 99014 shipping label
    "102x59": (102, 59),  # DYMO 30857 / S0929100 name badge
}
DEFAULT_SIZE = "90x55"
_CUSTOM = re.compile(r"^\s*(\d{2,3}(?:\.\d)?)\s*[x×*]\s*(\d{2,3}(?:\.\d)?)\s*$")


def label_size(key: str) -> tuple[float, float]:
    """A preset (LABEL_SIZES) or any "W x H" in millimetres between 20 and 300."""
    if key in LABEL_SIZES:
        return LABEL_SIZES[key]
    m = _CUSTOM.match(key or "")
    if m:
        w, h = float(m.group(1)), float(m.group(2))
        if 20 <= w <= 300 and 20 <= h <= 300:
            return w, h
    raise ValidationError("size", "bad_label_size", value=key)


@dataclass(frozen=True, slots=True)
class BadgeFace:
    """What one badge says: the event above, the name big, club and car under it."""

    name: str
    lines: tuple[str, ...] = ()
    event_title: str = ""


def draw_badge(c: Canvas, face: BadgeFace, w: float, h: float) -> None:
    """One badge filling the page (w × h points); sizes follow the label's height."""
    regular, bold = fonts.register()
    pad = max(2.5 * mm, min(w, h) * 0.07)
    room = w - 2 * pad
    small = max(6.0, min(h * 0.085, w * 0.05))
    top = h - pad
    if face.event_title:
        c.setFillColor(ACCENT)
        size = fonts.shrink(face.event_title, small, room, floor=0.75)
        c.setFont(regular, size)
        c.drawCentredString(w / 2, top - size, fonts.fit(face.event_title, size, room))
        top -= size * 1.6
    lines = [x for x in face.lines if x]
    bottom = pad + (len(lines) * small * 1.3 if lines else 0)
    # the name: as big as fits on one line, or on two when a long name has a space
    name = face.name or "—"
    big = min(h * 0.3, (top - bottom) * 0.8)
    size = min(big, 0.98 * big * room / max(1.0, fonts.width(name, big, True)))
    parts = [name]
    if size < big * 0.55 and " " in name.strip():  # "Alexander Montgomery-Smith": two lines
        words = name.split()
        cut = min(range(1, len(words)), key=lambda i: abs(len(" ".join(words[:i])) - len(name) / 2))
        parts = [" ".join(words[:cut]), " ".join(words[cut:])]
        two = min(big * 0.6, (top - bottom) * 0.42)
        widest = max(fonts.width(x, two, True) for x in parts)
        size = min(two, 0.98 * two * room / max(1.0, widest))
    c.setFillColor(INK)
    block = size * 1.2 * len(parts)
    y = bottom + (top - bottom + block) / 2 - size
    for part in parts:
        c.setFont(bold, size)
        c.drawCentredString(w / 2, y, fonts.fit(part, size, room, True))
        y -= size * 1.2
    c.setFillColor(MUTED)
    y = pad + (len(lines) - 1) * small * 1.3
    for line in lines:
        c.setFont(regular, small)
        c.drawCentredString(w / 2, y, fonts.fit(line, small, room))
        y -= small * 1.3


def write_badges(
    faces: Sequence[BadgeFace],
    path: str | Path,
    size: str = DEFAULT_SIZE,
    *,
    title: str = "",
    progress: Callable[[int, int], None] | None = None,
    is_cancelled: Callable[[], bool] | None = None,
) -> int:
    """Badges into one PDF, one label-sized page each, atomically; returns the page count."""
    w_mm, h_mm = label_size(size)
    w, h = w_mm * mm, h_mm * mm
    regular, _bold = fonts.register()

    def write(tmp: Path) -> None:
        c = Canvas(str(tmp), pagesize=(w, h), invariant=1, initialFontName=regular)
        c.setTitle(title)
        c.setCreator("Paddock")
        for n, face in enumerate(faces, start=1):
            if is_cancelled and is_cancelled():
                raise Cancelled("badges cancelled; no file written")
            draw_badge(c, face, w, h)
            c.showPage()
            if progress:
                progress(n, len(faces))
        c.save()

    write_atomically(Path(path), write)
    return len(faces)
