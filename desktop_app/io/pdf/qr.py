"""QR codes as module matrices (zxing-cpp's writer) and as vector rectangles on a PDF page.

Measured (benchmarks/bench_tickets.py): zxing-cpp's writer makes the ticket's QR in
~0.1 ms, segno in ~3.4 ms and qrcode (pure Python) in ~4.3 ms, with the same matrix
(version 3, level M, same mask). The payload stays as docs/qr-ticket.md says: upper case
(alphanumeric mode), error correction M, a 4-module quiet zone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import zxingcpp
from reportlab.pdfgen.canvas import Canvas

QUIET = 4  # modules of white around the symbol (ISO/IEC 18004)
_DARK = bytes(1 if b < 128 else 0 for b in range(256))  # zxing's grey → 1 for a dark module
_RUN = re.compile(rb"\x01+")


@dataclass(frozen=True, slots=True)
class QrMatrix:
    """size × size modules; rows[y][x] is 1 for a dark module."""

    size: int
    rows: tuple[bytes, ...]

    @property
    def with_quiet(self) -> int:
        """Modules across, quiet zone included."""
        return self.size + 2 * QUIET


@lru_cache(maxsize=4096)
def qr_matrix(text: str, ec_level: str = "M") -> QrMatrix:
    """The QR of `text` (the ticket payload: upper case keeps it alphanumeric)."""
    img = zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.QRCode, ec_level=ec_level).to_image(
        scale=1, add_quiet_zones=False
    )
    raw = memoryview(img).tobytes().translate(_DARK)  # one byte a module: 0 dark, 255 light
    n = img.shape[1]
    return QrMatrix(n, tuple(raw[i : i + n] for i in range(0, len(raw), n)))


def runs(matrix: QrMatrix) -> list[tuple[int, int, int]]:
    """Horizontal runs of dark modules: (x, y, length), y from the top."""
    return [
        (m.start(), y, m.end() - m.start())
        for y, row in enumerate(matrix.rows)
        for m in _RUN.finditer(row)
    ]


@lru_cache(maxsize=4096)
def _path_ops(text: str, ec_level: str) -> str:
    """The PDF path of the symbol in module units, y up, origin at the bottom-left of the
    symbol (without quiet zone); one rectangle per run of dark modules."""
    m = qr_matrix(text, ec_level)
    return " ".join(f"{x} {m.size - 1 - y} {n} 1 re" for x, y, n in runs(m))


def draw_qr(c: Canvas, text: str, x: float, y: float, side: float, ec_level: str = "M") -> float:
    """Draw the QR of `text` as filled rectangles in the square (x, y, side) — quiet zone
    included, so nothing else may be drawn inside it. Returns the module size (points)."""
    m = qr_matrix(text, ec_level)
    module = side / m.with_quiet
    ox, oy = x + QUIET * module, y + QUIET * module
    c.saveState()
    c.setFillColorRGB(0, 0, 0)
    # one path, filled once; cm scales module units so the operators stay short
    c._code.append(f"{module:.4f} 0 0 {module:.4f} {ox:.3f} {oy:.3f} cm")
    c._code.append(_path_ops(text, ec_level) + " f")
    c.restoreState()
    return module
