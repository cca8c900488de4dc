"""The dialogs of one question and one gift item (the event editor's sections use them)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.enums import GiftRule, QuestionType
from desktop_app.domain.errors import PaddockError
from desktop_app.services import gifts, questions
from desktop_app.services.form_questions import suggest_key
from desktop_app.services.gifts import GiftDraft
from desktop_app.services.questions import QuestionDraft
from ui import labels


def _buttons(dialog: QDialog) -> QDialogButtonBox:
    box = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
    )
    box.button(QDialogButtonBox.StandardButton.Ok).setText(
        QCoreApplication.translate("EventExtras", "OK")
    )
    box.button(QDialogButtonBox.StandardButton.Cancel).setText(
        QCoreApplication.translate("EventExtras", "Cancel")
    )
    box.accepted.connect(dialog.accept)
    box.rejected.connect(dialog.reject)
    return box


class QuestionDialog(QDialog):
    """One question: its words, type, options, whether required, where it is asked."""

    def __init__(self, draft: QuestionDraft | None, taken: set[str], parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(
            QCoreApplication.translate("EventExtras", "Question")
            if draft is None
            else QCoreApplication.translate("EventExtras", "Edit question")
        )
        self.taken = taken
        self.label = QLineEdit(
            placeholderText=QCoreApplication.translate("EventExtras", "e.g. 午餐需要吗 / Lunch?")
        )
        self.key = QLineEdit(
            placeholderText=QCoreApplication.translate(
                "EventExtras", "short name for scripts, e.g. lunch"
            )
        )
        self.type = QComboBox()
        for t in QuestionType:
            self.type.addItem(labels.question_type(t.value), t.value)
        self.choices = QLineEdit(
            placeholderText=QCoreApplication.translate(
                "EventExtras", "options, separated by commas: S,M,L"
            )
        )
        self.choices_label = QLabel(QCoreApplication.translate("EventExtras", "Options"))
        self.required = QCheckBox(QCoreApplication.translate("EventExtras", "Required"))
        self.at_signup = QCheckBox(
            QCoreApplication.translate(
                "EventExtras", "Ask at sign-up (register dialog, online forms)"
            )
        )
        self.at_desk = QCheckBox(
            QCoreApplication.translate(
                "EventExtras", "Ask at the desk before the check-in completes"
            )
        )
        self.error = QLabel(wordWrap=True)
        self.error.setStyleSheet("color: #b00020")
        form = QFormLayout()
        form.addRow(QCoreApplication.translate("EventExtras", "Question"), self.label)
        form.addRow(QCoreApplication.translate("EventExtras", "Key"), self.key)
        form.addRow(QCoreApplication.translate("EventExtras", "Type"), self.type)
        form.addRow(self.choices_label, self.choices)
        form.addRow("", self.required)
        form.addRow("", self.at_signup)
        form.addRow("", self.at_desk)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(self.error)
        self.buttons = _buttons(self)
        lay.addWidget(self.buttons)
        self.type.currentIndexChanged.connect(self._type_changed)
        d = draft or QuestionDraft("", "")
        self.label.setText(d.label)
        self.key.setText(d.key)
        self.type.setCurrentIndex(max(0, self.type.findData(d.type)))
        self.choices.setText(", ".join(d.choices))
        self.required.setChecked(d.required)
        self.at_signup.setChecked(d.at_signup)
        self.at_desk.setChecked(d.at_desk)
        self._type_changed()

    def _type_changed(self) -> None:
        has = self.type.currentData() in (QuestionType.CHOICE, QuestionType.MULTI)
        self.choices.setVisible(has)
        self.choices_label.setVisible(has)

    def draft(self) -> QuestionDraft:
        key = self.key.text().strip() or suggest_key(self.label.text(), self.taken)
        return QuestionDraft(
            key,
            self.label.text(),
            self.type.currentData(),
            questions.split_choices(self.choices.text()),
            self.required.isChecked(),
            self.at_signup.isChecked(),
            self.at_desk.isChecked(),
        )

    def accept(self) -> None:
        try:
            d = questions.check_draft(self.draft())
        except PaddockError as exc:
            self.error.setText(exc.localized())
            return
        self.key.setText(d.key)
        super().accept()


class GiftDialog(QDialog):
    """One gift item: name, stock, rule (with its tier or N) and cost per item."""

    def __init__(self, draft: GiftDraft | None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(
            QCoreApplication.translate("EventExtras", "Gift")
            if draft is None
            else QCoreApplication.translate("EventExtras", "Edit gift")
        )
        self.name = QLineEdit(
            placeholderText=QCoreApplication.translate("EventExtras", "e.g. 签到礼 · 保温杯")
        )
        self.stock = QSpinBox(minimum=0, maximum=gifts.STOCK_MAX)
        self.rule = QComboBox()
        for r in GiftRule:
            self.rule.addItem(labels.gift_rule(r.value), r.value)
        self.tier = QComboBox()
        for t in gifts.TIER_ORDER[1:]:
            self.tier.addItem(labels.tier(t), t)
        self.first_n = QSpinBox(minimum=1, maximum=100_000, value=50)
        self.cost = QLineEdit(
            placeholderText=QCoreApplication.translate("EventExtras", "e.g. 25 (yuan per item)")
        )
        self.error = QLabel(wordWrap=True)
        self.error.setStyleSheet("color: #b00020")
        form = QFormLayout()
        form.addRow(QCoreApplication.translate("EventExtras", "Gift"), self.name)
        form.addRow(QCoreApplication.translate("EventExtras", "Stock"), self.stock)
        form.addRow(QCoreApplication.translate("EventExtras", "Who gets one"), self.rule)
        self.tier_label, self.n_label = (
            QLabel(QCoreApplication.translate("EventExtras", "Tier")),
            QLabel(QCoreApplication.translate("EventExtras", "First arrivals")),
        )
        form.addRow(self.tier_label, self.tier)
        form.addRow(self.n_label, self.first_n)
        form.addRow(QCoreApplication.translate("EventExtras", "Cost per item"), self.cost)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(self.error)
        self.buttons = _buttons(self)
        lay.addWidget(self.buttons)
        self.rule.currentIndexChanged.connect(self._rule_changed)
        d = draft or GiftDraft("", 50)
        self.name.setText(d.name)
        self.stock.setValue(d.stock)
        self.rule.setCurrentIndex(max(0, self.rule.findData(d.rule)))
        if d.rule == GiftRule.TIER and d.rule_value:
            self.tier.setCurrentIndex(max(0, self.tier.findData(d.rule_value)))
        if d.rule == GiftRule.FIRST_N and d.rule_value:
            self.first_n.setValue(int(d.rule_value))
        self.cost.setText("" if d.cost is None else str(d.cost))
        self._rule_changed()

    def _rule_changed(self) -> None:
        rule = self.rule.currentData()
        for w in (self.tier_label, self.tier):
            w.setVisible(rule == GiftRule.TIER)
        for w in (self.n_label, self.first_n):
            w.setVisible(rule == GiftRule.FIRST_N)

    def draft(self) -> GiftDraft:
        rule = self.rule.currentData()
        value = (
            self.tier.currentData()
            if rule == GiftRule.TIER
            else str(self.first_n.value())
            if rule == GiftRule.FIRST_N
            else None
        )
        return GiftDraft(
            self.name.text(), self.stock.value(), rule, value, self.cost.text().strip() or None
        )

    def accept(self) -> None:
        try:
            gifts.check_draft(self.draft())
        except PaddockError as exc:
            self.error.setText(exc.localized())
            return
        super().accept()
