"""Name badges on accepted check-in: one small page per guest on the desk's chosen printer."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QMarginsF, QRectF, QSizeF, Qt
from PySide6.QtGui import QFont, QPageLayout, QPageSize, QPainter
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo

BADGE_MM = QSizeF(90, 55)  # common label/badge stock


def printer_names() -> list[str]:
    return [p for p in QPrinterInfo.availablePrinterNames() if p]


class BadgePrinter:
    """Prints to a named printer, or to `pdf_path` (tests, "save badges as PDF")."""

    def __init__(self, printer_name: str = "", pdf_path: str | None = None) -> None:
        self.printer_name = printer_name
        self.pdf_path = pdf_path
        self.printed = 0

    def _printer(self) -> QPrinter:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        if self.pdf_path:
            printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
            printer.setOutputFileName(self.pdf_path)
        elif self.printer_name:
            printer.setPrinterName(self.printer_name)
        printer.setPageLayout(
            QPageLayout(
                QPageSize(BADGE_MM, QPageSize.Unit.Millimeter, "badge"),
                QPageLayout.Orientation.Portrait,
                QMarginsF(4, 4, 4, 4),
                QPageLayout.Unit.Millimeter,
            )
        )
        return printer

    def print_badge(self, name: str, lines: list[str], event_title: str = "") -> bool:
        """Paint one badge; returns False when the printer cannot be opened."""
        printer = self._printer()
        painter = QPainter()
        if not painter.begin(printer):
            return False
        try:
            r = QRectF(painter.viewport())
            big = QFont()
            big.setFamilies(["Noto Sans CJK SC", "Microsoft YaHei", *big.families()])
            big.setBold(True)
            big.setPixelSize(int(r.height() * 0.28))
            small = QFont(big)
            small.setBold(False)
            small.setPixelSize(int(r.height() * 0.09))
            painter.setFont(small)
            top = QRectF(r.left(), r.top(), r.width(), r.height() * 0.16)
            painter.drawText(top, Qt.AlignmentFlag.AlignCenter, event_title)
            painter.setFont(big)
            mid = QRectF(r.left(), r.top() + r.height() * 0.18, r.width(), r.height() * 0.45)
            painter.drawText(mid, Qt.AlignmentFlag.AlignCenter, name)
            painter.setFont(small)
            bottom = QRectF(r.left(), r.top() + r.height() * 0.66, r.width(), r.height() * 0.34)
            painter.drawText(
                bottom, Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, "\n".join(lines)
            )
        finally:
            painter.end()
        self.printed += 1
        return True

    def print_outcome(self, outcome: Any) -> bool:
        lines = [x for x in (outcome.club, outcome.plate) if x]
        return self.print_badge(outcome.name or "", lines, outcome.event_title or "")
