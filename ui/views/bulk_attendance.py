"""After the event: tick names from the paper sign-in list and mark them attended in one go."""

from __future__ import annotations

import uuid
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.errors import PaddockError
from desktop_app.services import registration, walkin
from ui.context import AppContext

RID = Qt.ItemDataRole.UserRole


class _Filter(QLineEdit):
    """Down arrow jumps to the list (keyboard only: filter, ↓, Space, Ctrl+Enter)."""

    def __init__(self, target: QListWidget) -> None:
        super().__init__()
        self.target = target

    def keyPressEvent(self, event: QKeyEvent) -> None:  # Qt override
        if event.key() == Qt.Key.Key_Down:
            self.target.setFocus()
            for i in range(self.target.count()):
                if not self.target.item(i).isHidden():
                    self.target.setCurrentRow(i)
                    break
            return
        super().keyPressEvent(event)


class BulkAttendanceDialog(QDialog):
    def __init__(
        self,
        ctx: AppContext,
        event_id: uuid.UUID | str,
        title: str,
        staff_id: uuid.UUID | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.event_id = event_id
        self.staff_id = staff_id
        self.last_result: Any = None
        self.setWindowTitle(self.tr("Attendance from the sign-in sheet — %1").replace("%1", title))
        self.resize(620, 640)
        self.list = QListWidget()
        self.filter = _Filter(self.list)
        self.filter.setPlaceholderText(
            self.tr("Filter by name or phone (↓ to the list, Space ticks)")
        )
        self.filter.textChanged.connect(self._apply_filter)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.mark_button = buttons.addButton(
            self.tr("Mark attended (Ctrl+Enter)"), QDialogButtonBox.ButtonRole.ApplyRole
        )
        self.mark_button.clicked.connect(self.mark)
        buttons.rejected.connect(self.reject)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self).activated.connect(self.mark)
        col = QVBoxLayout(self)
        col.addWidget(self.filter)
        col.addWidget(self.list, 1)
        col.addWidget(self.summary)
        col.addWidget(buttons)
        self.list.itemChanged.connect(lambda _i: self._count())
        self.load()

    def load(self) -> None:
        rows = registration.list_registrations(self.ctx.db, self.event_id)
        self.list.blockSignals(True)
        self.list.clear()
        for r in rows:
            if r.stored_status in ("cancelled", "waitlisted"):
                continue
            text = f"{r.name}  ·  {r.phone or ''}"
            item = QListWidgetItem(text)
            item.setData(RID, str(r.id))
            if r.checked_in:
                item.setText(text + "  ·  " + self.tr("already checked in"))
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEnabled)
                item.setCheckState(Qt.CheckState.Checked)
            else:
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Unchecked)
            self.list.addItem(item)
        self.list.blockSignals(False)
        self._apply_filter(self.filter.text())
        self._count()

    def _apply_filter(self, text: str) -> None:
        needle = text.strip().lower()
        digits = "".join(ch for ch in needle if ch.isdigit())
        for i in range(self.list.count()):
            item = self.list.item(i)
            hay = item.text().lower()
            plain = "".join(ch for ch in hay if ch.isdigit())
            show = not needle or needle in hay or (len(digits) >= 3 and digits in plain)
            item.setHidden(not show)

    def ticked(self) -> list[str]:
        out = []
        for i in range(self.list.count()):
            item = self.list.item(i)
            if (
                item.flags() & Qt.ItemFlag.ItemIsEnabled
                and item.checkState() == Qt.CheckState.Checked
            ):
                out.append(str(item.data(RID)))
        return out

    def _count(self) -> None:
        n = len(self.ticked())
        self.summary.setText(self.tr("%n ticked", "", n))
        self.mark_button.setEnabled(n > 0)

    def mark(self) -> None:
        ids = self.ticked()
        if not ids:
            return
        try:
            res = walkin.bulk_mark_attended(self.ctx.db, self.event_id, ids, staff_id=self.staff_id)
        except PaddockError as exc:
            self.summary.setText(exc.localized(self.ctx.language))
            return
        self.last_result = res
        self.load()
        text = (
            self.tr("Marked attended: %1. Already checked in: %2.")
            .replace("%1", str(res.marked))
            .replace("%2", str(res.already))
        )
        if res.refused:
            names = ", ".join(str(x.get("name") or x["registration_id"]) for x in res.refused)
            text += " " + self.tr("Not marked: %1").replace("%1", names)
        self.summary.setText(text)
