"""Make the PDF fonts in resources/fonts/ from Noto Sans CJK SC (OFL-1.1).

reportlab embeds TrueType-outline fonts only; Noto Sans CJK ships PostScript (CFF)
outlines. This converts the Simplified-Chinese face of Noto Sans CJK Regular and Bold to
TrueType outlines (fontTools cu2qu, 1 unit tolerance: no visible change at print sizes),
keeping what Chinese documents use: Latin, punctuation, symbols, every CJK ideograph the
face maps (BMP and the supplementary planes: rare name characters), kana; dropping Hangul
syllables, OpenType layout and glyph names (reportlab uses neither). Why this font route:
docs/pdf.md.

    python tools/make_pdf_fonts.py [--src /usr/share/fonts/opentype/noto]

Needs fonttools (dev extra) and the Noto Sans CJK .ttc files (Debian: fonts-noto-cjk).
Takes about half a minute a weight. The output is committed; run this only to update it.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.subset import Options, Subsetter
from fontTools.ttLib import TTFont, newTable

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "resources" / "fonts"
SC_FACE = 2  # index of "Noto Sans CJK SC" in NotoSansCJK-*.ttc
WEIGHTS = ("Regular", "Bold")
DROP = ["GSUB", "GPOS", "GDEF", "BASE", "VORG", "vhea", "vmtx", "DSIG"]


def keep(u: int) -> bool:
    """Everything but Korean Hangul (syllables and jamo)."""
    return not (0xAC00 <= u <= 0xD7AF or 0x1100 <= u <= 0x11FF or 0x3130 <= u <= 0x318F)


def to_truetype(font: TTFont) -> None:
    """Replace the CFF outlines by quadratic TrueType ones, in place."""
    order = font.getGlyphOrder()
    glyphs = font.getGlyphSet()
    glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyphs)
        glyphs[name].draw(Cu2QuPen(pen, 1.0, reverse_direction=True))
        glyf[name] = pen.glyph()
    font["glyf"] = glyf
    font["loca"] = newTable("loca")
    maxp = newTable("maxp")
    maxp.tableVersion = 0x00010000
    for attr in (
        "maxTwilightPoints",
        "maxStorage",
        "maxFunctionDefs",
        "maxInstructionDefs",
        "maxStackElements",
        "maxSizeOfInstructions",
        "maxComponentElements",
    ):
        setattr(maxp, attr, 0)
    maxp.maxZones = 1
    font["maxp"] = maxp
    font["head"].glyphDataFormat = 0
    post = font["post"]
    post.formatType = 3.0  # no glyph names
    post.extraNames, post.mapping = [], {}
    del font["CFF "]
    font.sfntVersion = "\x00\x01\x00\x00"


def make(src: Path, weight: str) -> Path:
    started = time.monotonic()
    font = TTFont(src / f"NotoSansCJK-{weight}.ttc", fontNumber=SC_FACE)
    unicodes = [u for u in font.getBestCmap() if keep(u)]
    opts = Options()
    opts.layout_features = []
    opts.name_IDs = ["*"]
    opts.notdef_outline = True
    opts.hinting = False
    opts.drop_tables += DROP
    sub = Subsetter(opts)
    sub.populate(unicodes=unicodes)
    sub.subset(font)
    to_truetype(font)
    OUT.mkdir(parents=True, exist_ok=True)
    out = OUT / f"NotoSansSC-TT-{weight}.ttf"
    font.save(out)
    print(
        f"{out.name}: {len(unicodes)} characters, {out.stat().st_size / 1e6:.1f} MB, "
        f"{time.monotonic() - started:.0f} s"
    )
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--src", type=Path, default=Path("/usr/share/fonts/opentype/noto"))
    args = ap.parse_args()
    for weight in WEIGHTS:
        make(args.src, weight)


if __name__ == "__main__":
    main()
