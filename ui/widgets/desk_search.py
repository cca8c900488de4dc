"""The desk's manual search: name, any part of a phone, plate or short code; Enter checks in.

In check-out mode with nothing typed the list shows who is still out (club drives).
Queries run on the read pool; a late answer to an older query is dropped.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt, QThreadPool, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLabel, QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout, QWidget
from shiboken6 import isValid

from desktop_app.domain import ticket
from desktop_app.services import checkin
from desktop_app.store.db import Database
from ui import labels
from ui.widgets.result_words import display_plate
from ui.widgets.scanner_input import refuses_input_method
from ui.workers import submit

RID = Qt.ItemDataRole.UserRole


class SearchField(QLineEdit):
    """Down arrow moves to the result list; Enter submits (a code checks in, else the list)."""

    to_list = Signal()
    submitted = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # Qt override
        if event.key() == Qt.Key.Key_Down:
            self.to_list.emit()
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.submitted.emit()
            return
        super().keyPressEvent(event)


class ResultList(QListWidget):
    """Takes no input-method input: a scan while the list has focus is still a scan."""

    def __init__(self) -> None:
        super().__init__()
        self.setAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled, False)

    def inputMethodQuery(self, query: Qt.InputMethodQuery) -> object:  # Qt override
        if refuses_input_method(query):
            return False
        return super().inputMethodQuery(query)


class DeskSearch(QWidget):
    """`chosen(code)` when staff presses Enter on a row (its registration id) or on a ticket
    code typed or pasted into the field (the QR payload: checked in like a scan)."""

    chosen = Signal(str)

    def __init__(
        self,
        db: Database,
        pool: QThreadPool,
        event_ids: Sequence[uuid.UUID],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.pool = pool
        self.event_ids = list(event_ids)
        self.checkout_mode = False
        self._gen = 0
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(150)  # typing pauses, then one query
        self._timer.timeout.connect(self.run_now)
        self.field = SearchField()
        self.field.setPlaceholderText(self.tr("Name, phone, plate or code (F3)"))
        self.field.setMinimumHeight(40)
        self.field.textChanged.connect(lambda _t: self._timer.start())
        self.field.to_list.connect(self.focus_list)
        self.field.submitted.connect(self._submitted)
        self.caption = QLabel(self.tr("Search results — Enter checks in"))
        self.caption.setObjectName("listCaption")
        self.results = ResultList()
        self.results.setWordWrap(True)
        self.results.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.results.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.results.setAlternatingRowColors(True)
        self.results.itemActivated.connect(lambda item: self.chosen.emit(str(item.data(RID))))
        col = QVBoxLayout(self)
        col.setContentsMargins(0, 0, 0, 0)
        col.addWidget(self.field)
        col.addWidget(self.caption)
        col.addWidget(self.results, 1)

    def refresh(self) -> None:
        """Re-run the current query soon (after a scan changed someone's state)."""
        if self.field.text() or self.checkout_mode:
            self._timer.start()

    def set_checkout_mode(self, on: bool) -> None:
        self.checkout_mode = on
        self.run_now()

    def focus_field(self) -> None:
        self.field.setFocus()
        self.field.selectAll()

    def _submitted(self) -> None:
        text = self.field.text()
        if ticket.is_payload(text):
            self.field.clear()
            self.chosen.emit(ticket.normalise(text))
        else:
            self.focus_list()

    def focus_list(self) -> None:
        if self.results.count():
            self.results.setFocus()
            if self.results.currentRow() < 0:
                self.results.setCurrentRow(0)

    def run_now(self) -> None:
        self._gen += 1
        gen, query, ids, db = self._gen, self.field.text(), list(self.event_ids), self.db
        if not query.strip() and self.checkout_mode:
            self.caption.setText(self.tr("Still out — Enter checks out"))
            submit(
                self.pool, lambda: checkin.still_out(db, ids), lambda rows: self._show(gen, rows)
            )
        else:
            self.caption.setText(self.tr("Search results — Enter checks in"))
            submit(
                self.pool,
                lambda: checkin.search_for_checkin(db, ids, query),
                lambda rows: self._show(gen, rows),
            )

    def _show(self, gen: int, rows: list[Any]) -> None:
        if gen != self._gen or not isValid(self.results):
            return  # an older query answered late, or the desk closed
        self.results.clear()
        for r in rows:
            first = "  ·  ".join(p for p in (r.name, r.phone, display_plate(r.plate)) if p)
            second = [self._status_word(r.status)]
            if len(self.event_ids) > 1:
                second.append(r.event_title)
            item = QListWidgetItem(first + "\n" + "  ·  ".join(second))
            item.setData(RID, str(r.registration_id))
            self.results.addItem(item)

    def _status_word(self, status: str) -> str:
        if status == "checked_in":
            return self.tr("checked in")
        if status == "checked_out":
            return self.tr("checked out")
        return labels.registration_status(status)
