"""Dialogs of the Perks page: a partner, a perk, and redeeming a perk for a member (with the
voucher card to send by WeChat)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.errors import ValidationError
from desktop_app.domain.points import TIERS
from desktop_app.domain.voucher import format_short_code
from desktop_app.services import perks
from desktop_app.services.voucher_card import save_voucher_png, voucher_png
from ui import labels
from ui.context import AppContext
from ui.views.fee_dialogs import SavingDialog
from ui.views.person_dialogs import PersonPicker, run_for
from ui.widgets.file_dialogs import get_save_file_name
from ui.widgets.screen_fit import free_height, keep_within_screen

CARD_HEIGHT = 420  # the voucher card's preview; Copy and Save PNG take the full image
CARD_MARGIN = 12  # the layout's spacing around the card


class PartnerDialog(SavingDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, QCoreApplication.translate("PerkDialogs", "New partner"), parent)
        self.name = QLineEdit(
            placeholderText=QCoreApplication.translate("PerkDialogs", "Car wash, hotel, coffee…")
        )
        self.contact = QLineEdit(
            placeholderText=QCoreApplication.translate(
                "PerkDialogs", "Contact person and phone / WeChat"
            )
        )
        self.city = QLineEdit()
        self.add_field("name", QCoreApplication.translate("PerkDialogs", "Name"), self.name)
        self.add_field(
            "contact", QCoreApplication.translate("PerkDialogs", "Contact"), self.contact
        )
        self.add_field("city", QCoreApplication.translate("PerkDialogs", "City"), self.city)
        self.work = lambda: perks.add_partner(
            ctx.db, self.name.text(), self.contact.text(), self.city.text()
        )


class PerkDialog(SavingDialog):
    """Add a perk to a partner, or change one (stock, price, limits, dates, on/off)."""

    def __init__(
        self,
        ctx: AppContext,
        partners: list[perks.PartnerView],
        perk: perks.PerkView | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            ctx,
            QCoreApplication.translate("PerkDialogs", "New perk")
            if perk is None
            else QCoreApplication.translate("PerkDialogs", "Change perk"),
            parent,
        )
        self.partner = QComboBox()
        for p in partners:
            self.partner.addItem(p.name, p.id)
        self.name = QLineEdit()
        self.points = QSpinBox(minimum=1, maximum=1_000_000, value=300, singleStep=50)
        self.stock = QSpinBox(minimum=0, maximum=1_000_000, value=10)
        self.tier = QComboBox()
        for t in TIERS:
            self.tier.addItem(
                QCoreApplication.translate("PerkDialogs", "Everyone")
                if t == "none"
                else labels.tier(t),
                t,
            )
        self.limit = QSpinBox(
            minimum=0,
            maximum=99,
            specialValueText=QCoreApplication.translate("PerkDialogs", "No limit"),
        )
        self.has_until = QCheckBox(QCoreApplication.translate("PerkDialogs", "Valid until"))
        self.until = QDateEdit(calendarPopup=True, displayFormat="yyyy-MM-dd")
        self.until.setDate(self.until.date().currentDate().addMonths(3))
        self.until.setEnabled(False)
        self.has_until.toggled.connect(self.until.setEnabled)
        self.active = QCheckBox(
            QCoreApplication.translate("PerkDialogs", "Offered now"), checked=True
        )
        self.description = QLineEdit()
        until_row = QHBoxLayout()
        until_row.addWidget(self.has_until)
        until_row.addWidget(self.until, 1)
        self.add_field(
            "partner", QCoreApplication.translate("PerkDialogs", "Partner"), self.partner
        )
        self.add_field("name", QCoreApplication.translate("PerkDialogs", "Perk"), self.name)
        self.add_field("points", QCoreApplication.translate("PerkDialogs", "Points"), self.points)
        self.add_field("stock", QCoreApplication.translate("PerkDialogs", "Stock"), self.stock)
        self.add_field("tier", QCoreApplication.translate("PerkDialogs", "Members of"), self.tier)
        self.add_field(
            "per_person_limit",
            QCoreApplication.translate("PerkDialogs", "Per person at most"),
            self.limit,
        )
        self.form.addRow("", until_row)
        self.add_field(
            "description",
            QCoreApplication.translate("PerkDialogs", "Description"),
            self.description,
        )
        self.form.addRow("", self.active)
        if perk is not None:
            self.partner.setCurrentIndex(self.partner.findData(perk.partner_id))
            self.partner.setEnabled(False)
            self.name.setText(perk.name)
            self.points.setValue(perk.points)
            self.stock.setValue(perk.stock)
            self.tier.setCurrentIndex(self.tier.findData(perk.min_tier or "none"))
            self.limit.setValue(perk.per_person_limit or 0)
            self.description.setText(perk.description)
            self.active.setChecked(perk.active)
            if perk.valid_until:
                self.has_until.setChecked(True)
                self.until.setDate(perk.valid_until)
        self.work = lambda: self._save(ctx, perk)

    def draft(self) -> perks.PerkDraft:
        return perks.PerkDraft(
            self.name.text(),
            self.points.value(),
            self.stock.value(),
            self.description.text(),
            str(self.tier.currentData()),
            self.limit.value() or None,
            None,
            self.until.date().toPython() if self.has_until.isChecked() else None,
            self.active.isChecked(),
        )

    def _save(self, ctx: AppContext, perk: perks.PerkView | None) -> Any:
        if perk is None:
            return perks.add_perk(ctx.db, self.partner.currentData(), self.draft())
        return perks.update_perk(ctx.db, perk.id, self.draft())


class RedeemDialog(SavingDialog):
    """Find the member (name or phone), pick the perk, redeem: the dialog stays open with
    the voucher card, Copy (paste into WeChat) and Save PNG."""

    def __init__(
        self,
        ctx: AppContext,
        offered: list[perks.PerkView],
        perk: perks.PerkView | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            ctx, QCoreApplication.translate("PerkDialogs", "Redeem a perk for a member"), parent
        )
        self.result_value: perks.RedeemResult | None = None
        self.png = b""
        self.person = PersonPicker(ctx)
        self.perk = QComboBox()
        for k in offered:
            points = QCoreApplication.translate("PerkDialogs", "%1 points").replace(
                "%1", str(k.points)
            )
            self.perk.addItem(f"{k.partner} · {k.name} — {points} ({k.stock_left}/{k.stock})", k.id)
        if perk is not None:
            self.perk.setCurrentIndex(max(0, self.perk.findData(perk.id)))
        self.card = QLabel(alignment=Qt.AlignmentFlag.AlignCenter)
        self.card.hide()
        self.issued = QLabel(wordWrap=True)
        self.issued.setObjectName("voucherIssued")
        self.issued.setStyleSheet("color: #1e7b34; font-weight: bold;")
        self.issued.hide()
        self.copy_btn = QPushButton(
            QCoreApplication.translate("PerkDialogs", "Copy card (paste into WeChat)")
        )
        self.save_btn = QPushButton(QCoreApplication.translate("PerkDialogs", "Save PNG…"))
        self.add_field("person", QCoreApplication.translate("PerkDialogs", "Member"), self.person)
        self.add_field("perk", QCoreApplication.translate("PerkDialogs", "Perk"), self.perk)
        actions = QHBoxLayout()
        for b in (self.copy_btn, self.save_btn):
            b.hide()
            actions.addWidget(b)
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.insertWidget(1, self.card)
        layout.insertLayout(2, actions)
        layout.insertWidget(3, self.issued)
        self.buttons.button(self.buttons.StandardButton.Save).setText(
            QCoreApplication.translate("PerkDialogs", "Redeem")
        )
        self.copy_btn.clicked.connect(self.copy_card)
        self.save_btn.clicked.connect(lambda: self.save_card())
        self.perk.currentIndexChanged.connect(lambda _i: self.clear_errors())  # no stale refusal
        self.setMinimumWidth(460)

    def save(self) -> None:
        """Redeem on the write pool; on success keep the dialog open with the card."""
        self.clear_errors()
        person, perk_id = self.person.person_id(), self.perk.currentData()
        if person is None:
            self.show_error(ValidationError("person", "required"))
            return
        db, dealer = self.ctx.db, self.ctx.dealer_name() or ""
        lang = "zh" if self.ctx.language == "zh" else "en"

        def work() -> tuple[perks.RedeemResult, bytes]:
            done = perks.redeem(db, person, perk_id)
            return done, voucher_png(done.voucher, dealer, lang)

        self.buttons.setEnabled(False)
        run_for(self, self.ctx.write_pool, work, self._redeemed, self._refused)

    def _refused(self, exc: BaseException) -> None:
        self.buttons.setEnabled(True)
        self.show_error(exc)

    def _redeemed(self, result: tuple[perks.RedeemResult, bytes]) -> None:
        done, self.png = result
        self.result_value = done
        self.card.show()
        self.copy_btn.show()
        self.save_btn.show()
        self.person.setEnabled(False)
        self.perk.setEnabled(False)
        self.issued.setText(
            QCoreApplication.translate(
                "PerkDialogs", "Voucher %1 issued: %2 points spent, %3 left."
            )
            .replace("%1", format_short_code(done.voucher.short_code))
            .replace("%2", str(done.voucher.points))
            .replace("%3", str(done.balance))
        )
        self.issued.show()
        # Save → gone, Cancel → Close (replacing the buttons would delete a live one)
        self.buttons.button(self.buttons.StandardButton.Save).hide()
        self.buttons.button(self.buttons.StandardButton.Cancel).setText(
            QCoreApplication.translate("PerkDialogs", "Close")
        )
        self.buttons.setEnabled(True)
        self._fit_card()
        self.saved.emit(done)

    def _fit_card(self) -> None:
        """The card as large as the screen allows (420 px at most): on a 1366×768 laptop the
        dialog, its Copy / Save PNG and Close stay on the screen (docs/screens.md)."""
        self.card.clear()
        rest = self.sizeHint().height()  # everything but the card
        room = min(CARD_HEIGHT, free_height(self) - rest - CARD_MARGIN)
        image = QPixmap.fromImage(QImage.fromData(self.png))
        self.card.setPixmap(
            image.scaledToHeight(max(room, 160), Qt.TransformationMode.SmoothTransformation)
        )
        keep_within_screen(self)

    def copy_card(self) -> None:
        QGuiApplication.clipboard().setImage(QImage.fromData(self.png))

    def save_card(self, path: str | None = None) -> str | None:
        done = self.result_value
        if done is None:
            return None
        if path is None:
            path, _f = get_save_file_name(
                self,
                QCoreApplication.translate("PerkDialogs", "Save voucher"),
                f"{done.voucher.name}-{done.voucher.perk}.png",
                "PNG (*.png)",
            )
            if not path:
                return None
        lang = "zh" if self.ctx.language == "zh" else "en"
        save_voucher_png(done.voucher, self.ctx.dealer_name() or "", path, lang)
        return path
