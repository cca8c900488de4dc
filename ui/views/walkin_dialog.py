"""Walk-in dialog: phone first (a known person shows up as you type), then name, interest, Enter.

Registers and checks in through services.walkin in one transaction. Keyboard only:
type the phone, Tab, name, Tab, model, Space for test drive / consent, Enter submits.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from desktop_app.domain.errors import ConfirmationRequired, PaddockError
from desktop_app.services import walkin
from ui.context import AppContext
from ui.widgets.scanner_input import LatinLineEdit
from ui.workers import submit

MODELS_KEY = "desk/recent_models"
STAGES = {
    "prospect": QT_TRANSLATE_NOOP("WalkinDialog", "prospect"),
    "owner": QT_TRANSLATE_NOOP("WalkinDialog", "owner"),
    "member": QT_TRANSLATE_NOOP("WalkinDialog", "member"),
}


def _stage(stage: str) -> str:
    return QCoreApplication.translate("WalkinDialog", STAGES[stage]) if stage in STAGES else stage


class WalkinDialog(QDialog):
    """`checked_in(ScanOutcome)` after a successful walk-in; stays open on a problem."""

    checked_in = Signal(object)

    def __init__(
        self,
        ctx: AppContext,
        events: Sequence[Any],
        desk: str,
        staff_id: uuid.UUID | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.events = list(events)
        self.desk = desk
        self.staff_id = staff_id
        self.result_value: Any = None
        self.hits: list[Any] = []
        self.busy = False  # a submit is on the write thread
        self._gen = 0
        self.setWindowTitle(self.tr("Walk-in"))
        self.setModal(True)
        self.setMinimumWidth(520)

        self.event_box = QComboBox()
        for e in self.events:
            self.event_box.addItem(e.title, str(e.id))
        self.phone = LatinLineEdit()  # digits: a scan here is a scan, not pinyin
        self.phone.setPlaceholderText(self.tr("Mobile number, e.g. 138 0013 8000"))
        self.phone.textChanged.connect(self._lookup)
        self.found = QLabel()
        self.found.setWordWrap(True)
        self.found.setStyleSheet("color: #1b5e20; font-weight: bold;")
        self.name = QLineEdit()
        self.name.setPlaceholderText(self.tr("Full name"))
        self.model = QComboBox()
        self.model.setEditable(True)
        self.model.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        recent = ctx.settings.value(MODELS_KEY, []) or []
        self.model.addItems(
            [""] + [str(m) for m in (recent if isinstance(recent, list) else [recent])]
        )
        self.model.lineEdit().setPlaceholderText(self.tr("Model they are interested in"))
        self.test_drive = QCheckBox(self.tr("Wants a test drive"))
        self.consent = QCheckBox(self.tr("Agrees to marketing messages"))
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b3261e; font-weight: bold;")
        self.error.hide()

        form = QFormLayout()
        if len(self.events) > 1:
            form.addRow(self.tr("Event"), self.event_box)
        else:
            self.event_box.hide()
        form.addRow(self.tr("Phone"), self.phone)
        form.addRow("", self.found)
        form.setRowVisible(self.found, False)  # shown when a known phone is typed
        self.form = form
        form.addRow(self.tr("Name"), self.name)
        form.addRow(self.tr("Interest"), self.model)
        form.addRow("", self.test_drive)
        form.addRow("", self.consent)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.ok = buttons.addButton(
            self.tr("Register and check in"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.ok.setDefault(True)
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        col = QVBoxLayout(self)
        col.addLayout(form)
        col.addWidget(self.error)
        col.addWidget(buttons)
        self.phone.setFocus()

    def event_id(self) -> str:
        return str(self.event_box.currentData())

    # ------------------------------------------------------------------ lookup
    def _lookup(self, text: str) -> None:
        self._gen += 1
        gen, eid, db = self._gen, self.event_id(), self.ctx.db
        submit(
            self.ctx.pool,
            lambda: walkin.find_by_phone(db, eid, text),
            lambda hits: self._show_hits(gen, hits),
        )

    def _show_hits(self, gen: int, hits: list[Any]) -> None:
        if gen != self._gen:
            return
        self.hits = hits
        self.form.setRowVisible(self.found, bool(hits))
        if not hits:
            self.found.clear()
            self.name.setEnabled(True)
            return
        lines = []
        for h in hits[:3]:
            line = f"{h.name} · {h.phone} · {_stage(h.stage)}"
            if h.checked_in:
                line += " · " + self.tr("already checked in")
            elif h.registration_id:
                line += " · " + self.tr("registered for this event")
            lines.append(line)
        self.found.setText(self.tr("Found: %1").replace("%1", "\n".join(lines)))
        exact = (
            len(hits) == 1
            and _digits(hits[0].phone).endswith(_digits(self.phone.text()))
            and len(_digits(self.phone.text())) >= 11
        )
        if exact:
            self.name.setText(hits[0].name)
        self.name.setEnabled(not exact)

    # ------------------------------------------------------------------ submit
    def keyPressEvent(self, event: Any) -> None:  # Qt override: Enter anywhere submits
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.submit()
            return
        super().keyPressEvent(event)

    def submit(self) -> None:
        """Register + check in on the write thread; the dialog waits, the desk does not."""
        if self.result_value is not None or self.busy:
            return
        self.busy = True
        self.ok.setEnabled(False)
        model = self.model.currentText().strip()
        db, eid, phone = self.ctx.db, self.event_id(), self.phone.text()
        name = self.name.text() if self.name.isEnabled() else None
        drive, consent = self.test_drive.isChecked(), self.consent.isChecked()
        desk, staff_id = self.desk, self.staff_id
        approve = getattr(self, "approve_confirmed", False)

        def work() -> Any:
            return walkin.walkin(
                db,
                eid,
                phone,
                name,
                interest_model=model or None,
                wants_test_drive=drive,
                marketing_consent=consent,
                desk=desk,
                staff_id=staff_id,
                approve=approve,
            )

        submit(self.ctx.write_pool, work, lambda res: self._done(res, model), self._refused)

    def _done(self, res: Any, model: str) -> None:
        self.busy = False
        if not isValid(self):
            return
        if model:
            self._remember(model)
        self.result_value = res
        self.checked_in.emit(res.outcome)
        self.accept()

    def _refused(self, exc: BaseException) -> None:
        self.busy = False
        if not isValid(self):
            return
        self.ok.setEnabled(True)
        text = exc.localized(self.ctx.language) if isinstance(exc, PaddockError) else str(exc)
        if isinstance(exc, ConfirmationRequired) and exc.code == "walkin_needs_approval":
            # an invite-only event: a second Enter approves and admits them (issue 14)
            self.approve_confirmed = True
            text += "\n" + self.tr("Press Enter again to approve and admit.")
        self.error.setText(text)
        self.error.show()

    def _remember(self, model: str) -> None:
        recent = [
            self.model.itemText(i) for i in range(self.model.count()) if self.model.itemText(i)
        ]
        recent = [model] + [m for m in recent if m != model]
        self.ctx.settings.setValue(MODELS_KEY, recent[:12])


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())
