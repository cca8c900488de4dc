"""Marking a form field as wrong: a red border on the input and a message line under it."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget


class ErrorField(QWidget):
    """Wraps one input with a hidden message label; `show_error` turns both red."""

    def __init__(self, field: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field = field
        self.message = QLabel()
        self.message.setObjectName("fieldError")
        self.message.setWordWrap(True)
        self.message.hide()
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(2)
        box.addWidget(field)
        box.addWidget(self.message)

    def show_error(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()
        self._mark(True)

    def clear_error(self) -> None:
        self.message.clear()
        self.message.hide()
        self._mark(False)

    def has_error(self) -> bool:
        return not self.message.isHidden()

    def _mark(self, invalid: bool) -> None:
        # The style sheet draws [invalid="true"] inputs with a red border.
        for w in (self.field, *self.field.findChildren(QWidget)):
            w.setProperty("invalid", invalid)
            w.style().unpolish(w)
            w.style().polish(w)
