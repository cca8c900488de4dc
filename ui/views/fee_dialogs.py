"""Dialogs of the Fees tab: a cost item, a payment or refund, a reason; each keeps a refused
input open with the reason in words (nothing is written until the service accepts it)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, Signal
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

from desktop_app.domain.errors import PaddockError
from desktop_app.domain.money import json_money
from desktop_app.services import fees
from ui import labels
from ui.context import AppContext
from ui.workers import submit


def _tr(text: str) -> str:
    return QCoreApplication.translate("FeeDialogs", text)


class _Form(QDialog):
    """A form whose OK runs `submit()` on the write pool; `saved(result)` when the service
    accepted it, else the PaddockError stays in the dialog as a sentence."""

    saved = Signal(object)

    def __init__(self, title: str, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.ctx = ctx
        self.language = ctx.language
        self.result_value: Any = None
        self.submit: Callable[[], Any] | None = None
        self.form = QFormLayout()
        self.error = QLabel(wordWrap=True)
        self.error.setObjectName("fieldError")
        self.error.setStyleSheet("color: #b00020")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self._ok)
        self.buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addLayout(self.form)
        lay.addWidget(self.error)
        lay.addWidget(self.buttons)
        self.setMinimumWidth(420)

    def _ok(self) -> None:
        assert self.submit is not None
        self.buttons.setEnabled(False)
        submit(self.ctx.write_pool, self.submit, self._done, self._failed)

    def _done(self, result: Any) -> None:
        self.result_value = result
        self.buttons.setEnabled(True)
        self.saved.emit(result)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.buttons.setEnabled(True)
        if not isinstance(exc, PaddockError):
            raise exc
        self.error.setText(exc.localized(self.language))


class CostItemDialog(_Form):
    """Add or change a cost item: what, how much, how it is shared, the dealer's part."""

    def __init__(
        self,
        ctx: AppContext,
        save: Callable[[str, str, str, str, bool], Any],
        item: fees.CostItem | None = None,
        parent: QWidget | None = None,
    ) -> None:
        title = _tr("Cost item") if item is None else _tr("Change cost item")
        super().__init__(title, ctx, parent)
        self.label = QLineEdit(placeholderText=_tr("Fuel, tolls, lunch, hotel, insurance…"))
        self.amount = QLineEdit(placeholderText="1000.00")
        self.split = QComboBox()
        for key in fees.SPLITS:
            self.split.addItem(labels.fee_split(key), key)
        self.each = QCheckBox(_tr("The amount is a price per person / car / family"))
        self.subsidy = QLineEdit(placeholderText="0")
        self.subsidy_hint = QLabel(wordWrap=True)
        self.subsidy_hint.setObjectName("hint")
        self.form.addRow(_tr("Item"), self.label)
        self.form.addRow(_tr("Amount (¥)"), self.amount)
        self.form.addRow(_tr("Shared"), self.split)
        self.form.addRow("", self.each)
        self.form.addRow(_tr("Dealer subsidy (¥)"), self.subsidy)
        self.form.addRow("", self.subsidy_hint)
        self.split.currentIndexChanged.connect(self._hint)
        self.each.toggled.connect(self._hint)
        if item is not None:
            self.label.setText(item.label)
            self.amount.setText(json_money(item.amount_cents))
            self.split.setCurrentIndex(self.split.findData(item.split))
            self.each.setChecked(item.per_unit)
            self.subsidy.setText(json_money(item.subsidy_cents) if item.subsidy_cents else "")
        self._hint()
        self.submit = lambda: save(
            self.label.text(),
            self.amount.text(),
            str(self.split.currentData()),
            self.subsidy.text(),
            self.each.isChecked(),
        )

    def _hint(self) -> None:
        fixed = self.split.currentData() == "fixed"
        self.each.setEnabled(not fixed)
        per_unit = fixed or self.each.isChecked()
        self.subsidy_hint.setText(
            _tr("Subsidy per unit: each one pays the price minus it.")
            if per_unit
            else _tr("Subsidy of the total: the rest is shared, extra fen to the earliest.")
        )


class PaymentDialog(_Form):
    """Record money received (or paid back): amount, method, reference, note."""

    def __init__(
        self,
        ctx: AppContext,
        name: str,
        amount_cents: int,
        save: Callable[[str, str, str, str], Any],
        *,
        refund: bool = False,
        method: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        title = _tr("Refund to %1") if refund else _tr("Payment from %1")
        super().__init__(title.replace("%1", name), ctx, parent)
        self.amount = QLineEdit(json_money(amount_cents) if amount_cents > 0 else "")
        self.method = QComboBox()
        for key in fees.METHODS:
            self.method.addItem(labels.payment_method(key), key)
        if method:
            self.method.setCurrentIndex(self.method.findData(method))
        self.reference = QLineEdit(placeholderText=_tr("Transfer number (optional)"))
        self.note = QLineEdit()
        self.form.addRow(_tr("Amount (¥)"), self.amount)
        self.form.addRow(_tr("Method"), self.method)
        self.form.addRow(_tr("Reference"), self.reference)
        self.form.addRow(_tr("Note"), self.note)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(
            _tr("Record refund") if refund else _tr("Record payment")
        )
        self.submit = lambda: save(
            self.amount.text(),
            str(self.method.currentData()),
            self.reference.text(),
            self.note.text(),
        )


class ReasonDialog(_Form):
    """A required reason (voiding a payment recorded by mistake)."""

    def __init__(
        self, ctx: AppContext, title: str, save: Callable[[str], Any], parent: QWidget | None = None
    ) -> None:
        super().__init__(title, ctx, parent)
        self.reason = QLineEdit()
        self.form.addRow(_tr("Reason"), self.reason)
        self.submit = lambda: save(self.reason.text())
