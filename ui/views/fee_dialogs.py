"""Dialogs of the Fees tab: a cost item, a payment or refund, a reason. Built on the People
page's FormDialog: saving runs on the write pool, a refused value is shown under its field
and nothing is written."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QLineEdit, QWidget

from desktop_app.domain.money import json_money
from desktop_app.services import fees
from ui import labels
from ui.context import AppContext
from ui.views.person_dialogs import FormDialog


class SavingDialog(FormDialog):
    """A FormDialog whose Save runs `work()`; `saved(result)` once the service accepted."""

    saved = Signal(object)

    def __init__(self, ctx: AppContext, title: str, parent: QWidget | None = None) -> None:
        super().__init__(ctx, title, parent)
        self.work: Callable[[], Any] | None = None

    def save(self) -> None:
        assert self.work is not None
        self.clear_errors()
        self.run_save(self.work, self.saved.emit)


class CostItemDialog(SavingDialog):
    """Add or change a cost item: what, how much, how it is shared, the dealer's part."""

    def __init__(
        self,
        ctx: AppContext,
        save: Callable[[str, str, str, str, bool], Any],
        item: fees.CostItem | None = None,
        parent: QWidget | None = None,
    ) -> None:
        title = (
            QCoreApplication.translate("FeeDialogs", "Cost item")
            if item is None
            else QCoreApplication.translate("FeeDialogs", "Change cost item")
        )
        super().__init__(ctx, title, parent)
        self.label = QLineEdit(
            placeholderText=QCoreApplication.translate(
                "FeeDialogs", "Fuel, tolls, lunch, hotel, insurance…"
            )
        )
        self.amount = QLineEdit(placeholderText="1000.00")
        self.split = QComboBox()
        for key in fees.SPLITS:
            self.split.addItem(labels.fee_split(key), key)
        self.each = QCheckBox(
            QCoreApplication.translate(
                "FeeDialogs", "The amount is a price per person / car / family"
            )
        )
        self.subsidy = QLineEdit(placeholderText="0")
        self.hint = QLabel(wordWrap=True)
        self.hint.setObjectName("hint")
        self.add_field("label", QCoreApplication.translate("FeeDialogs", "Item"), self.label)
        self.add_field(
            "amount", QCoreApplication.translate("FeeDialogs", "Amount (¥)"), self.amount
        )
        self.add_field("split", QCoreApplication.translate("FeeDialogs", "Shared"), self.split)
        self.form.addRow("", self.each)
        self.add_field(
            "subsidy", QCoreApplication.translate("FeeDialogs", "Dealer subsidy (¥)"), self.subsidy
        )
        self.form.addRow("", self.hint)
        self.split.currentIndexChanged.connect(self._hint)
        self.each.toggled.connect(self._hint)
        if item is not None:
            self.label.setText(item.label)
            self.amount.setText(json_money(item.amount_cents))
            self.split.setCurrentIndex(self.split.findData(item.split))
            self.each.setChecked(item.per_unit)
            self.subsidy.setText(json_money(item.subsidy_cents) if item.subsidy_cents else "")
        self._hint()
        self.setMinimumWidth(440)
        self.work = lambda: save(
            self.label.text(),
            self.amount.text(),
            str(self.split.currentData()),
            self.subsidy.text(),
            self.each.isChecked(),
        )

    def _hint(self) -> None:
        fixed = self.split.currentData() == "fixed"
        self.each.setEnabled(not fixed)
        self.hint.setText(
            QCoreApplication.translate(
                "FeeDialogs", "Subsidy per unit: each one pays the price minus it."
            )
            if fixed or self.each.isChecked()
            else QCoreApplication.translate(
                "FeeDialogs", "Subsidy of the total: the rest is shared, extra fen to the earliest."
            )
        )


class PaymentDialog(SavingDialog):
    """Record money received (or paid back): amount, method, reference, note."""

    def __init__(
        self,
        ctx: AppContext,
        name: str,
        amount_cents: int,
        save: Callable[[str, str, str, str], Any],
        *,
        refund: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        title = (
            QCoreApplication.translate("FeeDialogs", "Refund to %1")
            if refund
            else QCoreApplication.translate("FeeDialogs", "Payment from %1")
        )
        super().__init__(ctx, title.replace("%1", name), parent)
        self.amount = QLineEdit(json_money(amount_cents) if amount_cents > 0 else "")
        self.method = QComboBox()
        for key in fees.METHODS:
            self.method.addItem(labels.payment_method(key), key)
        self.reference = QLineEdit(
            placeholderText=QCoreApplication.translate("FeeDialogs", "Transfer number (optional)")
        )
        self.note = QLineEdit()
        self.add_field(
            "amount", QCoreApplication.translate("FeeDialogs", "Amount (¥)"), self.amount
        )
        self.add_field("method", QCoreApplication.translate("FeeDialogs", "Method"), self.method)
        self.add_field(
            "reference", QCoreApplication.translate("FeeDialogs", "Reference"), self.reference
        )
        self.add_field("note", QCoreApplication.translate("FeeDialogs", "Note"), self.note)
        self.buttons.button(self.buttons.StandardButton.Save).setText(
            QCoreApplication.translate("FeeDialogs", "Record refund")
            if refund
            else QCoreApplication.translate("FeeDialogs", "Record payment")
        )
        self.setMinimumWidth(420)
        self.work = lambda: save(
            self.amount.text(),
            str(self.method.currentData()),
            self.reference.text(),
            self.note.text(),
        )


class ReasonDialog(SavingDialog):
    """A required reason (voiding a payment recorded by mistake)."""

    def __init__(
        self, ctx: AppContext, title: str, save: Callable[[str], Any], parent: QWidget | None = None
    ) -> None:
        super().__init__(ctx, title, parent)
        self.reason = QLineEdit()
        self.add_field("reason", QCoreApplication.translate("FeeDialogs", "Reason"), self.reason)
        self.setMinimumWidth(380)
        self.work = lambda: save(self.reason.text())
