"""First run: ask for the dealership (code, name, city), the language, and offer demo data."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.errors import PaddockError, ValidationError
from desktop_app.services import dealer, demo
from ui.context import AppContext
from ui.widgets.field_error import ErrorField
from ui.workers import submit


class SetupDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(self.tr("Welcome to Paddock"))
        self.setMinimumWidth(520)
        intro = QLabel(
            self.tr(
                "Set up this database for your dealership. The dealer code is the one HQ "
                "gave you; it is printed on tickets and HQ files and cannot change later."
            )
        )
        intro.setWordWrap(True)
        heading = QLabel(self.tr("Welcome to Paddock"))
        heading.setObjectName("pageTitle")
        self.code = QLineEdit()
        self.code.setPlaceholderText(self.tr("e.g. SH-0021"))
        self.name = QLineEdit()
        self.name.setPlaceholderText(self.tr("e.g. Pudong Star Motors"))
        self.city = QLineEdit()
        self.city.setPlaceholderText(self.tr("e.g. Shanghai"))
        self.language = QComboBox()
        self.language.addItem("中文（简体）", "zh")
        self.language.addItem("English", "en")
        self.language.setCurrentIndex(self.language.findData(ctx.language))
        self.demo = QCheckBox(self.tr("Fill with demo data (a month of events to try things out)"))
        self.fields = {
            "dealer_code": ErrorField(self.code),
            "dealer_name": ErrorField(self.name),
            "city": ErrorField(self.city),
        }
        form = QFormLayout()
        form.addRow(self.tr("Dealer code"), self.fields["dealer_code"])
        form.addRow(self.tr("Dealer name"), self.fields["dealer_name"])
        form.addRow(self.tr("City"), self.fields["city"])
        form.addRow(self.tr("Language"), self.language)
        form.addRow("", self.demo)
        self.language_note = QLabel(self.tr("The language applies the next time Paddock starts."))
        self.language_note.setObjectName("hint")
        self.language_note.setVisible(False)
        self.language.currentIndexChanged.connect(
            lambda: self.language_note.setVisible(self.language.currentData() != ctx.language)
        )
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)  # indeterminate: the demo filler reports no steps
        self.busy.setFormat(self.tr("Adding demo data…"))
        self.busy.setTextVisible(True)
        self.busy.hide()
        self.error = QLabel()
        self.error.setObjectName("formProblems")
        self.error.setWordWrap(True)
        self.error.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("Start"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Quit"))
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        box = QVBoxLayout(self)
        box.addWidget(heading)
        box.addWidget(intro)
        box.addLayout(form)
        box.addWidget(self.language_note)
        box.addWidget(self.busy)
        box.addWidget(self.error)
        box.addWidget(self.buttons)

    def submit(self) -> None:
        for f in self.fields.values():
            f.clear_error()
        self.error.hide()
        lang = self.language.currentData()
        self.ctx.settings.setValue("ui/language", lang)
        try:
            dealer.init_dealer(
                self.ctx.db, self.code.text(), self.name.text(), self.city.text().strip() or None
            )
        except ValidationError as exc:
            self.fields[exc.field].show_error(exc.localized(self.ctx.language))
            self.fields[exc.field].field.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        except PaddockError as exc:
            self._failed(exc)
            return
        if not self.demo.isChecked():
            self.accept()
            return
        self._set_busy(True)
        db = self.ctx.db
        submit(self.ctx.write_pool, lambda: demo.fill_demo(db), self._demo_done, self._failed)

    def _set_busy(self, busy: bool) -> None:
        self.busy.setVisible(busy)
        self.buttons.setEnabled(not busy)
        for w in (self.code, self.name, self.city, self.language, self.demo):
            w.setEnabled(not busy)

    def _demo_done(self, _summary: object) -> None:
        self._set_busy(False)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        text = exc.localized(self.ctx.language) if isinstance(exc, PaddockError) else str(exc)
        self.error.setText(text)
        self.error.show()


def ensure_dealer(ctx: AppContext, parent: QWidget | None = None) -> bool:
    """True when the database has a dealer (asking for one first if needed); False on cancel."""
    if dealer.get_dealer(ctx.db) is not None:
        return True
    dialog = SetupDialog(ctx, parent)
    return dialog.exec() == QDialog.DialogCode.Accepted
