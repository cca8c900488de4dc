"""A title that wraps to at most a few lines and ends in "…" beyond them (the full text in
its tooltip): the desk's event title must not eat the result panel's height in a narrow
window."""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QFontMetrics, QResizeEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget


class ShortTitle(QLabel):
    def __init__(self, text: str = "", max_lines: int = 2, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.full = text
        self.max_lines = max_lines
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setToolTip(text)
        self.setText(text)

    def set_title(self, text: str) -> None:
        self.full = text
        self.setToolTip(text)
        self._fit()

    def resizeEvent(self, event: QResizeEvent) -> None:  # Qt override
        super().resizeEvent(event)
        self._fit()

    def changeEvent(self, event) -> None:  # type: ignore[no-untyped-def]  # Qt override
        super().changeEvent(event)
        if event.type() in (event.Type.FontChange, event.Type.StyleChange):
            self._fit()

    def _lines(self, text: str) -> int:
        fm = QFontMetrics(self.font())
        box = fm.boundingRect(
            QRect(0, 0, max(1, self.width()), 100_000), int(Qt.TextFlag.TextWordWrap), text
        )
        return max(1, round(box.height() / max(1, fm.lineSpacing())))

    def _fit(self) -> None:
        text = self.full
        if self.width() > 0 and self._lines(text) > self.max_lines:
            low, high = 0, len(text)  # the longest start that fits, with "…"
            while low < high:
                mid = (low + high + 1) // 2
                if self._lines(text[:mid].rstrip() + "…") <= self.max_lines:
                    low = mid
                else:
                    high = mid - 1
            text = text[:low].rstrip() + "…"
        if text != self.text():
            self.setText(text)
