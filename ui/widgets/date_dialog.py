"""A small dialog asking for one date and time (when a copy or a templated event starts)."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from ui.widgets.datetime_field import DateTimeField


class StartDateDialog(QDialog):
    """Asks when a copied or templated event should start."""

    def __init__(self, tz: str, default: datetime, text: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Start date"))
        self.field = DateTimeField(tz)
        self.field.set_value(default)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        box = QVBoxLayout(self)
        box.addWidget(QLabel(text))
        box.addWidget(self.field)
        box.addWidget(buttons)


def ask_start(parent: QWidget, tz: str, default: datetime, text: str) -> datetime | None:
    dialog = StartDateDialog(tz, default, text, parent)
    return dialog.field.value() if dialog.exec() == QDialog.DialogCode.Accepted else None
