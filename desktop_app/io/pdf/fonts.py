"""The fonts every Paddock PDF (and PNG card) is set in: Noto Sans SC, shipped with the app.

resources/fonts/NotoSansSC-TT-{Regular,Bold}.ttf are Noto Sans CJK SC converted to
TrueType outlines (tools/make_pdf_fonts.py), because reportlab embeds TrueType only.
reportlab embeds the glyphs a document uses (subsets of 256 with a ToUnicode map), so the
text looks the same in every viewer and pdftotext / search / copy read it. docs/pdf.md
says why this and not the STSong-Light CID font.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from reportlab import rl_config
from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFont

from desktop_app.config import resource_path
from desktop_app.domain.errors import PaddockError

REGULAR = "PaddockSans"
BOLD = "PaddockSans-Bold"
FILES = {REGULAR: "NotoSansSC-TT-Regular.ttf", BOLD: "NotoSansSC-TT-Bold.ttf"}


class FontMissing(PaddockError):
    """The shipped font is not where it should be (a broken install)."""

    def __init__(self, path: Path) -> None:
        super().__init__(code="pdf_font_missing", path=str(path))


def font_file(name: str) -> Path:
    """The .ttf behind `name` (REGULAR or BOLD); PADDOCK_PDF_FONT_DIR overrides the folder."""
    folder = os.environ.get("PADDOCK_PDF_FONT_DIR")
    base = Path(folder) if folder else resource_path("fonts")
    path = base / FILES[name]
    if not path.exists():
        raise FontMissing(path)
    return path


def _to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """reportlab's ToUnicode CMap, with characters beyond U+FFFF written as UTF-16
    surrogate pairs (reportlab writes them as 5 hex digits, so a name like 王𠮷 came out
    of pdftotext / copy as 王₻)."""

    def utf16(v: int) -> str:
        return (
            chr(v).encode("utf-16-be", "surrogatepass").hex().upper()
            if v > 0xFFFF
            else (f"{v:04X}")
        )

    lines = [
        "/CIDInit /ProcSet findresource begin",
        "12 dict begin",
        "begincmap",
        "/CIDSystemInfo",
        f"<< /Registry ({fontname})",
        f"/Ordering ({fontname})",
        "/Supplement 0",
        ">> def",
        f"/CMapName /{fontname} def",
        "/CMapType 2 def",
        "1 begincodespacerange",
        f"<00> <{len(subset) - 1:02X}>",
        "endcodespacerange",
        f"{len(subset)} beginbfchar",
        *(f"<{i:02X}> <{utf16(v)}>" for i, v in enumerate(subset)),
        "endbfchar",
        "endcmap",
        "CMapName currentdict /CMap defineresource pop",
        "end",
        "end",
    ]
    return "\n".join(lines)


@lru_cache(maxsize=1)
def register() -> tuple[str, str]:
    """Register the regular and bold faces with reportlab once per process (about 0.1 s)."""
    ttfonts.makeToUnicodeCMap = _to_unicode_cmap  # see _to_unicode_cmap
    # Binary Flate streams, not ASCII85 on top: reportlab's ASCII85 is pure Python (half
    # the time of a 1,000-card batch) and makes every stream 25% larger.
    rl_config.useA85 = 0
    for name in (REGULAR, BOLD):
        pdfmetrics.registerFont(TTFont(name, str(font_file(name))))
    pdfmetrics.registerFontFamily(
        REGULAR, normal=REGULAR, bold=BOLD, italic=REGULAR, boldItalic=BOLD
    )
    addMapping(REGULAR, 0, 0, REGULAR)
    addMapping(REGULAR, 1, 0, BOLD)
    return REGULAR, BOLD


def width(text: str, size: float, bold: bool = False) -> float:
    """Width of `text` in points at `size` (after register())."""
    return pdfmetrics.stringWidth(text, BOLD if bold else REGULAR, size)


def fit(text: str, size: float, room: float, bold: bool = False) -> str:
    """`text` cut with … so it is at most `room` points wide."""
    if width(text, size, bold) <= room:
        return text
    while text and width(text + "…", size, bold) > room:
        text = text[:-1]
    return text + "…"


def shrink(text: str, size: float, room: float, bold: bool = False, floor: float = 0.6) -> float:
    """The font size (at most `size`, at least floor × size) at which `text` fits `room`."""
    w = width(text, size, bold)
    return size if w <= room else max(size * floor, 0.98 * size * room / w)


def wrap(text: str, size: float, room: float, lines: int, bold: bool = False) -> list[str]:
    """Greedy wrap by character (Chinese has no spaces; English breaks at a space when it
    can), at most `lines` lines, the last one cut with … when the text does not fit."""
    out: list[str] = []
    rest = text.strip()
    while rest and len(out) < lines:
        cut = len(rest)
        while cut > 1 and width(rest[:cut], size, bold) > room:
            cut -= 1
        if cut < len(rest):
            space = rest.rfind(" ", 0, cut + 1)
            if space > cut // 2:
                cut = space
        out.append(rest[:cut].strip())
        rest = rest[cut:].strip()
    if rest and out:
        out[-1] = fit(out[-1] + "…", size, room, bold) if not out[-1].endswith("…") else out[-1]
        if width(out[-1], size, bold) > room:
            out[-1] = fit(out[-1], size, room, bold)
    return out
