"""Paddock's PDFs read by a second engine: QtPdf is PDFium, the engine of Chrome's and
Edge's PDF viewers. It must find the same text and decode the same QR codes as poppler."""

from __future__ import annotations

from pathlib import Path

import zxingcpp
from PIL import Image
from PySide6.QtCore import QSize
from PySide6.QtPdf import QPdfDocument
from pytestqt.qtbot import QtBot

from desktop_app.io.pdf.receipt import write_receipt
from desktop_app.services import registration as reg
from desktop_app.services import tickets
from desktop_app.store.db import Database
from tests.unit.test_receipt import drive_receipt
from tests.unit.test_tickets import make_event


def _open(pdf: Path) -> QPdfDocument:
    doc = QPdfDocument()
    assert doc.load(str(pdf)) == QPdfDocument.Error.None_
    return doc


def _text(doc: QPdfDocument) -> str:
    return "\n".join(doc.getAllText(i).text() for i in range(doc.pageCount()))


def _qr(doc: QPdfDocument, page: int, dpi: int) -> list[str]:
    size = doc.pagePointSize(page)
    img = doc.render(page, QSize(round(size.width() * dpi / 72), round(size.height() * dpi / 72)))
    rgb = Image.frombytes(
        "RGBA", (img.width(), img.height()), bytes(img.convertToFormat(img.Format.Format_RGBA8888)
                                                   .constBits())
    )  # fmt: skip
    white = Image.new("RGBA", rgb.size, "white")
    flat = Image.alpha_composite(white, rgb).convert("L")
    return [r.text for r in zxingcpp.read_barcodes(flat, formats=zxingcpp.BarcodeFormat.QRCode)]


def test_pdfium_reads_the_names_and_decodes_every_qr_of_a_sheet(
    qtbot: QtBot, dealer_sqlite: Database, tmp_path: Path
) -> None:
    ev = make_event(dealer_sqlite)
    names = ["欧阳娜娜", "Li Na", "王𠮷", "司马相如", "张伟"]
    codes = {reg.register(dealer_sqlite, ev, phone=f"1380013800{n}", name=name).ticket_code
             for n, name in enumerate(names)}  # fmt: skip
    res = tickets.export_event_tickets(dealer_sqlite, ev, tmp_path, "pdf", "zh", 8)
    doc = _open(res.files[0])
    text = _text(doc)
    assert all(name in text for name in names)
    assert set(_qr(doc, 0, 150)) == codes


def test_pdfium_reads_every_amount_of_a_receipt(qtbot: QtBot, tmp_path: Path) -> None:
    doc = _open(write_receipt(drive_receipt(), tmp_path / "r.pdf", "zh"))
    text = _text(doc)
    for s in ("收据", "R-SH0021-2026-0007", "¥1,004.00", "¥304.00", "自驾费用（每车）"):
        assert s in text
