"""Print an event's tickets or name badges as one PDF: pick the sheet (A6 / A5 one a page,
A4 with 4 or 8 cards and cut marks) or the label size, the language, and where to save.
Written off the UI thread with a progress bar and a cancel button; cancelled, no file."""

from __future__ import annotations

import threading
import uuid
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.errors import Cancelled
from desktop_app.io.pdf.badges import DEFAULT_SIZE
from desktop_app.services import badges, tickets
from ui.context import AppContext
from ui.views.checkin import KEY_BADGE_SIZE, badge_size_choices
from ui.views.person_dialogs import error_text, run_for
from ui.widgets.file_dialogs import get_save_file_name

KEY_SHEET = "print/ticket_sheet"
SHEETS = {"a6": (1, "a6"), "a5": (1, "a5"), "a4-4": (4, "a6"), "a4-8": (8, "a6")}  # per page, paper
KEY_DIR = "print/dir"


class _Relay(QObject):
    """Carries progress from the worker thread to the bar (queued signal)."""

    progressed = Signal(int, int)


class PrintSheetsDialog(QDialog):
    """Tickets (vector PDF sheets) or badges (one label a page) of one event."""

    written = Signal(str)  # the file

    def __init__(self, ctx: AppContext, event_id: uuid.UUID, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx, self.event_id = ctx, event_id
        self.setWindowTitle(self.tr("Print tickets and badges"))
        self.setMinimumWidth(460)
        self.cancel_flag = threading.Event()
        self.relay = _Relay(self)
        self.relay.progressed.connect(self._progressed)
        self.kind = QComboBox()
        self.kind.addItem(self.tr("Tickets"), "tickets")
        self.kind.addItem(self.tr("Name badges"), "badges")
        self.sheet = QComboBox()
        for key, text in (
            ("a6", self.tr("A6, one ticket a page")),
            ("a5", self.tr("A5, one ticket a page")),
            ("a4-4", self.tr("A4, 4 tickets a sheet with cut marks")),
            ("a4-8", self.tr("A4, 8 tickets a sheet with cut marks")),
        ):
            self.sheet.addItem(text, key)
        self.sheet.setCurrentIndex(max(0, self.sheet.findData(ctx.settings.value(KEY_SHEET))))
        self.size = QComboBox()
        for key, text in badge_size_choices():
            self.size.addItem(text, key)
        saved = ctx.settings.value(KEY_BADGE_SIZE, DEFAULT_SIZE)
        self.size.setCurrentIndex(max(0, self.size.findData(saved)))
        self.lang = QComboBox()
        self.lang.addItem("中文", "zh")
        self.lang.addItem("English", "en")
        self.lang.setCurrentIndex(0 if ctx.language == "zh" else 1)
        self.bar = QProgressBar()
        self.bar.hide()
        self.message = QLabel(wordWrap=True)
        self.save_btn = QPushButton(self.tr("Save PDF…"))
        self.save_btn.setDefault(True)
        self.cancel_btn = QPushButton(self.tr("Cancel"))
        self.cancel_btn.setEnabled(False)
        buttons = QDialogButtonBox()
        buttons.addButton(self.save_btn, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.cancel_btn, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Close).clicked.connect(self.reject)
        self.form = QFormLayout()
        self.form.addRow(self.tr("Print"), self.kind)
        self.form.addRow(self.tr("Sheet"), self.sheet)
        self.form.addRow(self.tr("Label size"), self.size)
        self.form.addRow(self.tr("Language"), self.lang)
        lay = QVBoxLayout(self)
        lay.addLayout(self.form)
        lay.addWidget(self.bar)
        lay.addWidget(self.message)
        lay.addWidget(buttons)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.save_btn.clicked.connect(self.save)
        self.cancel_btn.clicked.connect(self.cancel)
        self._kind_changed()

    def _kind_changed(self) -> None:
        self.message.clear()
        is_tickets = self.kind.currentData() == "tickets"
        self.form.setRowVisible(self.sheet, is_tickets)
        self.form.setRowVisible(self.lang, is_tickets)
        self.form.setRowVisible(self.size, not is_tickets)

    def ask_path(self, suggested: str) -> str:
        """Where to save (tests replace this; the dialog is the user's way)."""
        start = Path(str(self.ctx.settings.value(KEY_DIR, "") or Path.home())) / suggested
        path, _ = get_save_file_name(self, self.tr("Save PDF"), str(start), "PDF (*.pdf)")
        if path and not path.lower().endswith(".pdf"):
            path += ".pdf"
        return path

    def save(self) -> None:
        is_tickets = self.kind.currentData() == "tickets"
        sheet, size, lang = (
            self.sheet.currentData(),
            self.size.currentData(),
            self.lang.currentData(),
        )
        short = str(self.event_id)[:8]
        name = f"tickets-{short}-{lang}-{sheet}.pdf" if is_tickets else f"badges-{short}-{size}.pdf"
        path = self.ask_path(name)
        if not path:
            return
        self.ctx.settings.setValue(KEY_DIR, str(Path(path).parent))
        if is_tickets:
            self.ctx.settings.setValue(KEY_SHEET, sheet)
        self.cancel_flag.clear()
        self._running(True)
        self.message.setText(self.tr("Writing %1…").replace("%1", Path(path).name))
        db, relay, flag, target = self.ctx.db, self.relay, self.cancel_flag, Path(path)

        def work() -> Any:
            def progress(done: int, total: int) -> None:
                relay.progressed.emit(done, total)

            if is_tickets:
                per_page, paper = SHEETS[sheet]
                return tickets.export_event_tickets(
                    db, self.event_id, target, "pdf", lang, per_page, progress, flag.is_set, paper
                ).cards
            _path, n = badges.export_event_badges(
                db, self.event_id, target, size, progress, flag.is_set
            )
            return n

        done = (
            (lambda n: self._done(self.tr("%n ticket(s) saved to %1", "", n), path))
            if (is_tickets)
            else (lambda n: self._done(self.tr("%n badge(s) saved to %1", "", n), path))
        )
        run_for(self, self.ctx.pool, work, done, self._failed)

    def _running(self, on: bool) -> None:
        self.save_btn.setEnabled(not on)
        self.cancel_btn.setEnabled(on)
        self.bar.setVisible(on)
        self.bar.setRange(0, 0)

    def _progressed(self, done: int, total: int) -> None:
        if total > 0:
            self.bar.setRange(0, total)
            self.bar.setValue(done)

    def cancel(self) -> None:
        self.cancel_flag.set()
        self.cancel_btn.setEnabled(False)

    def _done(self, text: str, path: str) -> None:
        self._running(False)
        self.message.setText(text.replace("%1", path))
        self.written.emit(path)

    def _failed(self, exc: BaseException) -> None:
        self._running(False)
        if isinstance(exc, Cancelled):
            self.message.setText(self.tr("Cancelled: no file was written."))
        else:
            self.message.setText(error_text(exc, self.ctx.language))
