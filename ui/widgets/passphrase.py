"""Asking for an event pack's passphrase: twice when choosing one, once when opening."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from desktop_app.store.cipher import MIN_PASSPHRASE


class PassphraseDialog(QDialog):
    """`choose=True`: a new passphrase typed twice (export); else the pack's passphrase."""

    def __init__(
        self, parent: QWidget | None, title: str, text: str, *, choose: bool = False
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.choose = choose
        intro = QLabel(text)
        intro.setWordWrap(True)
        self.first = QLineEdit()
        self.first.setEchoMode(QLineEdit.EchoMode.Password)
        self.second = QLineEdit()
        self.second.setEchoMode(QLineEdit.EchoMode.Password)
        self.error = QLabel()
        self.error.setObjectName("fieldError")
        self.error.setWordWrap(True)
        self.error.hide()
        form = QFormLayout()
        form.addRow(self.tr("Passphrase"), self.first)
        if choose:
            form.addRow(self.tr("Again"), self.second)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._check)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.resize(460, self.sizeHint().height())

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()

    def _check(self) -> None:
        value = self.first.text()
        if self.choose and len(value) < MIN_PASSPHRASE:
            self.show_error(self.tr("At least %1 characters.").replace("%1", str(MIN_PASSPHRASE)))
            return
        if self.choose and value != self.second.text():
            self.show_error(self.tr("The two passphrases differ."))
            return
        if not value:
            return
        self.accept()

    def value(self) -> str:
        return self.first.text()


def ask_new_passphrase(parent: QWidget | None) -> str | None:
    dialog = PassphraseDialog(
        parent,
        QCoreApplication.translate("PassphraseDialog", "Encrypt the pack"),
        QCoreApplication.translate(
            "PassphraseDialog",
            "The pack holds guests' names, mobiles and plates. Choose a passphrase: the laptop "
            "asks for it to open the pack, and a lost pack reveals nothing without it. Tell it "
            "to the coordinator in person, not on the same USB stick.",
        ),
        choose=True,
    )
    return dialog.value() if dialog.exec() == QDialog.DialogCode.Accepted else None


def ask_pack_passphrase(parent: QWidget | None, file: str, problem: str = "") -> str | None:
    dialog = PassphraseDialog(
        parent,
        QCoreApplication.translate("PassphraseDialog", "Encrypted event pack"),
        QCoreApplication.translate(
            "PassphraseDialog", "%1 is encrypted. Type its passphrase to open it."
        ).replace("%1", file),
    )
    if problem:
        dialog.show_error(problem)
    return dialog.value() if dialog.exec() == QDialog.DialogCode.Accepted else None
