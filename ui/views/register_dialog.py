"""Register dialog (one field finds a person or starts a new one) and the ticket card dialog
(preview, copy for WeChat, save PNG/PDF, print). Save PDF and Print both use the PDF
layer's card (tickets.write_pdf, docs/pdf.md); the PNG is for copying into WeChat."""

from __future__ import annotations

import re
import tempfile
import uuid
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QImage, QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.enums import RegistrationSource
from desktop_app.domain.errors import PaddockError
from desktop_app.services import events, people, questions, tickets
from desktop_app.services import registration as reg
from ui import labels
from ui.context import AppContext
from ui.widgets.answers_form import AnswersForm
from ui.widgets.file_dialogs import get_save_file_name
from ui.workers import submit

_PHONEISH = re.compile(r"^[\d\s+\-()（）]{5,}$")


def _tr(text: str) -> str:
    return QCoreApplication.translate("RegisterDialog", text)


class RegisterDialog(QDialog):
    """`registered(RegistrationView)` on success; a problem stays in the dialog, in words."""

    registered = Signal(object)

    def __init__(
        self, ctx: AppContext, event_id: uuid.UUID, is_drive: bool, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx, self.event_id, self.is_drive = ctx, event_id, is_drive
        self.person_id: uuid.UUID | None = None
        self.setWindowTitle(QCoreApplication.translate("RegisterDialog", "Register"))
        self.find = QLineEdit(
            placeholderText=QCoreApplication.translate(
                "RegisterDialog", "Name or phone — find someone, or a new phone"
            )
        )
        # wide enough for the whole hint in either language (it says what may be typed)
        self.find.setMinimumWidth(
            self.find.fontMetrics().horizontalAdvance(self.find.placeholderText()) + 24
        )
        self.matches = QListWidget()
        self.matches.setMaximumHeight(140)
        self.name = QLineEdit(
            placeholderText=QCoreApplication.translate("RegisterDialog", "Name (new person)")
        )
        self.party = QSpinBox(minimum=1, maximum=reg.PARTY_MAX, value=1)
        self.source = QComboBox()
        for s in RegistrationSource:
            self.source.addItem(labels.person_source(s.value), s.value)
        self.source.setCurrentIndex(self.source.findData("phone_invite"))
        self.plate = QLineEdit(placeholderText="沪A·D12345")
        self.passengers = QSpinBox(minimum=0, maximum=8)
        self.consent = QCheckBox(
            QCoreApplication.translate("RegisterDialog", "Driver agreed to the drive rules")
        )
        self.error = QLabel(wordWrap=True)
        self.error.setStyleSheet("color: #b00020")
        form = QFormLayout()
        form.addRow(QCoreApplication.translate("RegisterDialog", "Person"), self.find)
        form.addRow("", self.matches)
        form.addRow(QCoreApplication.translate("RegisterDialog", "New person's name"), self.name)
        if is_drive:
            form.addRow(QCoreApplication.translate("RegisterDialog", "Plate"), self.plate)
            form.addRow(QCoreApplication.translate("RegisterDialog", "Passengers"), self.passengers)
            form.addRow("", self.consent)
        else:
            form.addRow(
                QCoreApplication.translate("RegisterDialog", "Seats (with guests)"), self.party
            )
        form.addRow(QCoreApplication.translate("RegisterDialog", "Source"), self.source)
        # issue 14: the event's sign-up questions, and whether it takes applications
        ev = events.get_event(ctx.db, event_id)
        self.answers = AnswersForm(questions.list_questions(ctx.db, event_id, "signup"))
        self.approval_note = QLabel(
            QCoreApplication.translate(
                "RegisterDialog",
                "This event is invite-only: the registration waits for approval "
                "(no seat, no ticket until approved).",
            ),
            wordWrap=True,
        )
        self.approval_note.setVisible(ev.requires_approval)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(
            QCoreApplication.translate("RegisterDialog", "Register")
        )
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        if self.answers.questions:
            lay.addWidget(self.answers)
        lay.addWidget(self.approval_note)
        lay.addWidget(self.error)
        lay.addWidget(self.buttons)
        self._timer = QTimer(self, singleShot=True, interval=200)
        self._timer.timeout.connect(self.search)
        self.find.textChanged.connect(self._typed)
        self.matches.currentItemChanged.connect(self._picked)

    def _typed(self, _text: str) -> None:
        self.person_id = None
        self.error.clear()  # the refusal was about what was typed before
        self._timer.start()

    def search(self) -> None:
        """People matching the field (name, phone start/end, plate…), for picking."""
        text = self.find.text().strip()
        self.matches.clear()
        if len(text) < 2:
            return
        for row in people.search_people(self.ctx.db, text, limit=8):
            item = QListWidgetItem(f"{row.name}  {row.phone_display}  {labels.stage(row.stage)}")
            item.setData(Qt.ItemDataRole.UserRole, row.id)
            self.matches.addItem(item)
        self.name.setEnabled(True)

    def _picked(self, item: QListWidgetItem | None) -> None:
        self.person_id = item.data(Qt.ItemDataRole.UserRole) if item else None
        self.name.setEnabled(self.person_id is None)

    def request(self) -> dict[str, Any]:
        """What register() gets: the picked person, or the typed phone + the new name."""
        common: dict[str, Any] = {"source": self.source.currentData()}
        if self.answers.questions:
            common["answers"] = self.answers.values()
        if self.is_drive:
            common |= {
                "plate": self.plate.text(),
                "passengers": self.passengers.value(),
                "driver_consent": self.consent.isChecked(),
            }
        else:
            common["party_size"] = self.party.value()
        if self.person_id is not None:
            return {"person_id": self.person_id, **common}
        text = self.find.text().strip()
        phone = text if _PHONEISH.match(text) else None
        name = self.name.text().strip() or (None if phone else text)
        return {"phone": phone, "name": name, **common}

    def submit(self) -> None:
        self.error.clear()
        kwargs = self.request()
        self.buttons.setEnabled(False)
        submit(
            self.ctx.write_pool,
            lambda: reg.register(self.ctx.db, self.event_id, **kwargs),
            self._done,
            self._failed,
        )

    def _done(self, view: object) -> None:
        self.buttons.setEnabled(True)
        self.registered.emit(view)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.buttons.setEnabled(True)
        if isinstance(exc, PaddockError):
            self.error.setText(exc.localized(self.ctx.language))
        else:
            self.error.setText(str(exc))


class AnswersDialog(QDialog):
    """A registration's answers to the event's questions (the coordinator corrects them)."""

    saved = Signal(object)  # {key: value} as stored now

    def __init__(
        self,
        ctx: AppContext,
        registration: reg.RegistrationView,
        qs: list[questions.QuestionView],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx, self.registration = ctx, registration
        self.setWindowTitle(
            QCoreApplication.translate("RegisterDialog", "Answers — {name}").replace(
                "{name}", registration.name
            )
        )
        self.form = AnswersForm(qs)
        self.form.set_values(registration.answers)
        self.error = QLabel(wordWrap=True)
        self.error.setStyleSheet("color: #b00020")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(
            QCoreApplication.translate("RegisterDialog", "Save")
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(
            QCoreApplication.translate("RegisterDialog", "Cancel")
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(self.form)
        lay.addWidget(self.error)
        lay.addWidget(self.buttons)

    def save(self) -> None:
        given = self.form.values()
        # an answer emptied in the form is cleared (None)
        values = {q.key: given.get(q.key) for q in self.form.questions}
        rid = self.registration.id
        submit(
            self.ctx.write_pool,
            lambda: questions.set_answers(self.ctx.db, rid, values),
            self._done,
            self._failed,
        )

    def _done(self, answers: object) -> None:
        self.saved.emit(answers)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.error.setText(
            exc.localized(self.ctx.language) if isinstance(exc, PaddockError) else str(exc)
        )


class TicketDialog(QDialog):
    """A ticket card: preview, copy to the clipboard (paste into WeChat), save, print."""

    def __init__(self, ctx: AppContext, registration_id: uuid.UUID, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.card = tickets.card_for(ctx.db, registration_id)
        self.setWindowTitle(QCoreApplication.translate("RegisterDialog", "Ticket"))
        self.lang = QComboBox()
        self.lang.addItem("中文", "zh")
        self.lang.addItem("English", "en")
        self.lang.setCurrentIndex(0 if ctx.language == "zh" else 1)
        self.preview = QLabel(alignment=Qt.AlignmentFlag.AlignCenter)
        self.copy_btn = QPushButton(QCoreApplication.translate("RegisterDialog", "Copy image"))
        self.save_btn = QPushButton(QCoreApplication.translate("RegisterDialog", "Save PNG…"))
        self.pdf_btn = QPushButton(QCoreApplication.translate("RegisterDialog", "Save PDF…"))
        self.print_btn = QPushButton(QCoreApplication.translate("RegisterDialog", "Print…"))
        row = QHBoxLayout()
        for w in (self.lang, self.copy_btn, self.save_btn, self.pdf_btn, self.print_btn):
            row.addWidget(w)
        lay = QVBoxLayout(self)
        lay.addWidget(self.preview)
        lay.addLayout(row)
        self.lang.currentIndexChanged.connect(self.render)
        self.copy_btn.clicked.connect(self.copy)
        self.save_btn.clicked.connect(self.save_png)
        self.pdf_btn.clicked.connect(self.save_pdf)
        self.print_btn.clicked.connect(self.print_card)
        self.image = QImage()
        self.render()

    def render(self) -> None:
        self.image = QImage.fromData(tickets.card_png(self.card, self.lang.currentData()), "PNG")
        scaled = QPixmap.fromImage(self.image).scaledToHeight(
            540, Qt.TransformationMode.SmoothTransformation
        )
        self.preview.setPixmap(scaled)

    def copy(self) -> None:
        QGuiApplication.clipboard().setImage(self.image)

    def _ask(self, caption: str, suffix: str, filt: str) -> Path | None:
        name = f"ticket-{self.card.serial:04d}-{self.card.short_code}.{suffix}"
        path, _ = get_save_file_name(self, caption, name, filt)
        return Path(path) if path else None

    def save_png(self) -> None:
        path = self._ask(
            QCoreApplication.translate("RegisterDialog", "Save ticket"), "png", "PNG (*.png)"
        )
        if path:
            tickets.save_card_png(self.card, path, self.lang.currentData())

    def save_pdf(self) -> None:
        path = self._ask(
            QCoreApplication.translate("RegisterDialog", "Save ticket"), "pdf", "PDF (*.pdf)"
        )
        if path:
            tickets.write_pdf([self.card], path, self.lang.currentData())

    def print_card(self) -> None:
        """Print the same vector card as "Save PDF" (the PDF layer), on A6 unless the
        print dialog says otherwise."""
        from PySide6.QtGui import QPageSize
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setPageSize(QPageSize(QPageSize.PageSizeId.A6))
        if QPrintDialog(printer, self).exec() != QDialog.DialogCode.Accepted:
            return
        self.print_to(printer)

    def print_to(self, printer: Any) -> bool:
        """The card's PDF (tickets.write_pdf, as Save PDF writes it) painted on `printer`."""
        from ui.badge_printer import paint_pdf

        with tempfile.TemporaryDirectory(prefix="paddock-ticket-") as tmp:
            pdf = Path(tmp) / "ticket.pdf"
            tickets.write_pdf([self.card], pdf, self.lang.currentData())
            return paint_pdf(pdf, printer)
