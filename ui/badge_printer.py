"""Name badges on accepted check-in: one label per guest on the desk's chosen printer.

The badge is the PDF layer's (desktop_app/io/pdf/badges.py), at the label size chosen on
the check-in page. For a printer, QtPdf renders that page at the printer's resolution
(label printers are raster devices) and it is painted onto one label; "save as PDF"
(tests, no printer) keeps the vector PDF itself.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from PySide6.QtCore import QMarginsF, QRect, QSizeF, Qt
from PySide6.QtGui import QPageLayout, QPageSize, QPainter
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo

from desktop_app.io.pdf.badges import DEFAULT_SIZE, BadgeFace, label_size, write_badges
from desktop_app.services.tickets import display_plate


def paint_pdf(pdf: Path, printer: QPrinter) -> bool:
    """Print the PDF layer's first page: QtPdf (PDFium) renders it at the printer's
    resolution, its shape kept, onto the printer's page. False when the printer cannot be
    opened or the PDF not read. (Badges at the desk; the register dialog's ticket.)"""
    from PySide6.QtPdf import QPdfDocument

    doc = QPdfDocument()
    if doc.load(str(pdf)) != QPdfDocument.Error.None_:
        return False
    painter = QPainter()
    if not painter.begin(printer):
        doc.close()
        return False
    try:
        area = painter.viewport()
        size = doc.pagePointSize(0).toSize().scaled(area.size(), Qt.AspectRatioMode.KeepAspectRatio)
        image = doc.render(0, size)
        painter.fillRect(area, Qt.GlobalColor.white)
        painter.drawImage(QRect(area.topLeft(), size), image)
    finally:
        painter.end()
        doc.close()
    return True


def printer_names() -> list[str]:
    return [p for p in QPrinterInfo.availablePrinterNames() if p]


class BadgePrinter:
    """Prints to a named printer, or to `pdf_path` (tests, "save badges as PDF")."""

    def __init__(
        self, printer_name: str = "", pdf_path: str | None = None, size: str = DEFAULT_SIZE
    ) -> None:
        self.printer_name = printer_name
        self.pdf_path = pdf_path
        self.size = size
        self.printed = 0

    def _printer(self) -> QPrinter:
        w, h = label_size(self.size)
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setPrinterName(self.printer_name)
        printer.setFullPage(True)
        printer.setPageLayout(
            QPageLayout(
                QPageSize(QSizeF(w, h), QPageSize.Unit.Millimeter, f"badge {self.size}"),
                QPageLayout.Orientation.Portrait,
                QMarginsF(0, 0, 0, 0),
                QPageLayout.Unit.Millimeter,
            )
        )
        return printer

    def print_badge(self, name: str, lines: list[str], event_title: str = "") -> bool:
        """One badge; returns False when the printer cannot be opened or the PDF not read."""
        face = BadgeFace(name, tuple(x for x in lines if x), event_title)
        if self.pdf_path:
            write_badges([face], self.pdf_path, self.size, title=event_title)
            self.printed += 1
            return True
        with tempfile.TemporaryDirectory(prefix="paddock-badge-") as tmp:
            pdf = Path(tmp) / "badge.pdf"
            write_badges([face], pdf, self.size, title=event_title)
            if not self._paint(pdf):
                return False
        self.printed += 1
        return True

    def _paint(self, pdf: Path) -> bool:
        return paint_pdf(pdf, self._printer())

    def print_outcome(self, outcome: Any) -> bool:
        plate = display_plate(outcome.plate) if outcome.plate else None
        lines = [x for x in (outcome.club, plate) if x]
        return self.print_badge(outcome.name or "", lines, outcome.event_title or "")
