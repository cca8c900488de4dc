"""A button with a long and a short caption: the long one while there is room, the short
one when the window is narrow (the desk in a 600 px window beside a spreadsheet). Its
minimum width is the short caption's, so a row of them never forces the window wider."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QPushButton, QSizePolicy, QStyle, QStyleOptionButton, QWidget


class ShortButton(QPushButton):
    def __init__(self, long: str, short: str, parent: QWidget | None = None) -> None:
        super().__init__(long, parent)
        self.long, self.short = long, short
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.setToolTip(long)

    def _size_for(self, text: str) -> QSize:
        opt = QStyleOptionButton()
        self.initStyleOption(opt)
        opt.text = text
        fm = self.fontMetrics()
        content = QSize(fm.horizontalAdvance(text), fm.height())
        return (
            self.style()
            .sizeFromContents(QStyle.ContentsType.CT_PushButton, opt, content, self)
            .expandedTo(QSize(0, self.minimumHeight()))
        )

    def sizeHint(self) -> QSize:  # Qt override
        return self._size_for(self.long)

    def minimumSizeHint(self) -> QSize:  # Qt override
        return self._size_for(self.short)

    def resizeEvent(self, event: QResizeEvent) -> None:  # Qt override
        super().resizeEvent(event)
        self._choose()

    def changeEvent(self, event) -> None:  # type: ignore[no-untyped-def]  # Qt override
        super().changeEvent(event)
        if event.type() in (event.Type.FontChange, event.Type.StyleChange):
            self.updateGeometry()
            self._choose()

    def _choose(self) -> None:
        text = self.long if self.width() >= self._size_for(self.long).width() else self.short
        if text != self.text():
            self.setText(text)
