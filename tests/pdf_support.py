"""Reading Paddock's PDFs back the way other tools do: poppler's pdftotext, pdftoppm and
pdfinfo, and zxing-cpp on the rendered pages (an independent decoder)."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image

needs_poppler = pytest.mark.skipif(
    shutil.which("pdftoppm") is None, reason="poppler-utils (pdftoppm, pdftotext) not installed"
)


def pdf_text(pdf: Path, layout: bool = False) -> str:
    args = ["pdftotext", "-enc", "UTF-8", *(["-layout"] if layout else []), str(pdf), "-"]
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def pdf_text_page(pdf: Path, page: int) -> str:
    args = ["pdftotext", "-enc", "UTF-8", "-f", str(page), "-l", str(page), str(pdf), "-"]
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def pdf_info(pdf: Path) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    return {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in out.splitlines())}


def page_sizes_mm(pdf: Path) -> list[tuple[int, int]]:
    """Each page's width × height in whole millimetres."""
    out = subprocess.run(
        ["pdfinfo", "-f", "1", "-l", "9999", str(pdf)], check=True, capture_output=True, text=True
    ).stdout
    sizes = []
    for line in out.splitlines():
        if line.startswith("Page") and "size:" in line:
            w, h = (float(x) for x in line.split("size:")[1].split("pts")[0].split(" x "))
            sizes.append((round(w / 72 * 25.4), round(h / 72 * 25.4)))
    return sizes


def render(
    pdf: Path, dpi: int, first: int = 1, last: int | None = None, gray: bool = False
) -> list[Image.Image]:
    """The pages as pdftoppm draws them at `dpi` (uncompressed PPM / PGM: quicker than PNG)."""
    with tempfile.TemporaryDirectory() as tmp:
        args = ["pdftoppm", *(["-gray"] if gray else []), "-r", str(dpi), "-f", str(first)]
        if last is not None:
            args += ["-l", str(last)]
        subprocess.run([*args, str(pdf), f"{tmp}/p"], check=True)
        pages = []
        for p in sorted(Path(tmp).glob("p-*.p?m"), key=lambda q: int(q.stem.split("-")[-1])):
            with Image.open(p) as img:
                pages.append(img.convert("L" if gray else "RGB"))
        return pages


def qr_texts(img: Image.Image) -> list[str]:
    return [r.text for r in zxingcpp.read_barcodes(img, formats=zxingcpp.BarcodeFormat.QRCode)]


def image_count(pdf: Path) -> int:
    """How many raster images the PDF holds (pdfimages -list)."""
    out = subprocess.run(
        ["pdfimages", "-list", str(pdf)], check=True, capture_output=True, text=True
    ).stdout
    return max(0, len(out.strip().splitlines()) - 2)
