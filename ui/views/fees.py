"""The Fees tab of an event (AA制): cost items and how they are shared, who owes what,
payments and refunds recorded, receipts, the outstanding list by car before departure.

Everything comes from services/fees.py (the sheet is read off the UI thread); writes go
through the dialogs in fee_dialogs.py on the write pool.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.errors import PaddockError
from desktop_app.services import fees, receipts
from desktop_app.services.tickets import display_plate
from ui.context import AppContext
from ui.views.fee_dialogs import CostItemDialog, PaymentDialog, ReasonDialog
from ui.views.fee_models import CarsModel, ItemsModel, LedgerModel, OwedModel, money
from ui.widgets.file_dialogs import get_save_file_name
from ui.widgets.row_table import fit_rows, row_table, selected_row
from ui.workers import submit


class FeesPanel(QWidget):
    """One event's money. `changed` after any write (the attendee list shows who owes)."""

    changed = Signal()
    loaded = Signal()

    def __init__(self, ctx: AppContext, event_id: uuid.UUID, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx, self.event_id = ctx, event_id
        self.sheet: fees.FeeSheet | None = None
        self.dialog: QWidget | None = None
        LedgerModel.tz = ctx.timezone()
        self.summary = QLabel(wordWrap=True)
        self.summary.setObjectName("feesSummary")
        self.message = QLabel(wordWrap=True)
        self.items, self.owed, self.cars, self.ledger = (
            ItemsModel(self),
            OwedModel(self),
            CarsModel(self),
            LedgerModel(self),
        )
        self.items_view = row_table(self.items)
        self.owed_view = row_table(self.owed)
        self.cars_view = row_table(self.cars)
        self.ledger_view = row_table(self.ledger)
        self.refunds_view = row_table(OwedModel(self))
        self.refunds = self.refunds_view.model()
        self.add_item_btn = QPushButton(QCoreApplication.translate("Fees", "Add cost…"))
        self.edit_item_btn = QPushButton(QCoreApplication.translate("Fees", "Change…"))
        self.remove_item_btn = QPushButton(QCoreApplication.translate("Fees", "Remove"))
        self.pay_btn = QPushButton(QCoreApplication.translate("Fees", "Record payment…"))
        self.refund_btn = QPushButton(QCoreApplication.translate("Fees", "Refund…"))
        self.receipt_btn = QPushButton(QCoreApplication.translate("Fees", "Receipt…"))
        self.void_btn = QPushButton(
            QCoreApplication.translate("Fees", "Void (recorded by mistake)…")
        )
        self.refund_all_btn = QPushButton(QCoreApplication.translate("Fees", "Record all refunds"))
        self.copy_btn = QPushButton(QCoreApplication.translate("Fees", "Copy who still owes"))
        self.copy_btn.setToolTip(
            QCoreApplication.translate("Fees", "A list to paste into the drive's WeChat group")
        )
        self.tabs = QTabWidget()
        self.tabs.addTab(self.owed_view, QCoreApplication.translate("Fees", "Who owes what"))
        self.tabs.addTab(self.cars_view, QCoreApplication.translate("Fees", "Outstanding by car"))
        self.tabs.addTab(self.ledger_view, QCoreApplication.translate("Fees", "Payments"))
        self.tabs.addTab(self.refunds_view, QCoreApplication.translate("Fees", "Refunds"))
        self._layout()
        self.add_item_btn.clicked.connect(lambda: self.edit_item(None))
        self.edit_item_btn.clicked.connect(lambda: self.edit_item(selected_row(self.items_view)))
        self.remove_item_btn.clicked.connect(self.remove_item)
        self.pay_btn.clicked.connect(lambda: self.take_payment())
        self.refund_btn.clicked.connect(lambda: self.take_payment(refund=True))
        self.receipt_btn.clicked.connect(lambda: self.save_receipt())
        self.void_btn.clicked.connect(self.void_selected)
        self.refund_all_btn.clicked.connect(self.refund_everyone)
        self.copy_btn.clicked.connect(self.copy_owing)
        self.owed_view.doubleClicked.connect(lambda _i: self.take_payment())
        self.items_view.doubleClicked.connect(
            lambda _i: self.edit_item(selected_row(self.items_view))
        )
        self.refresh()

    def _layout(self) -> None:
        item_buttons = QHBoxLayout()
        for b in (self.add_item_btn, self.edit_item_btn, self.remove_item_btn):
            item_buttons.addWidget(b)
        item_buttons.addStretch(1)
        money_buttons = QHBoxLayout()
        for b in (
            self.pay_btn,
            self.refund_btn,
            self.receipt_btn,
            self.void_btn,
            self.refund_all_btn,
            self.copy_btn,
        ):
            money_buttons.addWidget(b)
        money_buttons.addStretch(1)
        costs = QLabel(QCoreApplication.translate("Fees", "Costs and how they are shared"))
        costs.setObjectName("sectionTitle")
        lay = QVBoxLayout(self)
        lay.addWidget(self.summary)
        lay.addWidget(costs)
        lay.addWidget(self.items_view)
        lay.addLayout(item_buttons)
        lay.addWidget(self.tabs, 1)
        lay.addLayout(money_buttons)
        lay.addWidget(self.message)

    # ------------------------------------------------------------------ data

    def refresh(self) -> None:
        db, eid = self.ctx.db, self.event_id
        submit(
            self.ctx.pool,
            lambda: (fees.fee_sheet(db, eid), fees.list_payments(db, eid)),
            self._show,
            self._failed,
        )

    def _show(self, got: tuple[fees.FeeSheet, list[fees.PaymentView]]) -> None:
        sheet, ledger = got
        self.sheet = sheet
        self.items.set_rows(sheet.items)
        fit_rows(self.items_view, len(sheet.items))
        self.owed.set_rows(sheet.rows)
        self.cars.set_rows(sheet.by_car)
        self.ledger.set_rows(ledger)
        self.refunds.set_rows(sheet.refunds)  # type: ignore[attr-defined]
        self.tabs.setTabText(
            1,
            QCoreApplication.translate("Fees", "Outstanding by car (%1)").replace(
                "%1", str(len(sheet.by_car))
            ),
        )
        self.tabs.setTabText(
            3,
            QCoreApplication.translate("Fees", "Refunds (%1)").replace(
                "%1", str(len(sheet.refunds))
            ),
        )
        self.summary.setText(self._summary(sheet))
        cancelled = sheet.event_status == "cancelled"
        for b in (self.add_item_btn, self.edit_item_btn, self.remove_item_btn, self.pay_btn):
            b.setEnabled(not cancelled)
        self.refund_all_btn.setEnabled(bool(sheet.refunds))
        self.loaded.emit()

    def _summary(self, sheet: fees.FeeSheet) -> str:
        if sheet.is_empty:
            return QCoreApplication.translate(
                "Fees",
                "No costs yet. Add what the participants share (fuel, tolls, lunch, hotel…).",
            )
        parts = [
            QCoreApplication.translate("Fees", "Costs %1").replace("%1", money(sheet.spent)),
            QCoreApplication.translate("Fees", "dealer subsidy %1").replace(
                "%1", money(sheet.subsidy)
            ),
            QCoreApplication.translate("Fees", "participants owe %1").replace(
                "%1", money(sheet.total_owed)
            ),
            QCoreApplication.translate("Fees", "paid %1").replace("%1", money(sheet.total_paid)),
            QCoreApplication.translate("Fees", "outstanding %1").replace(
                "%1", money(sheet.total_outstanding)
            ),
        ]
        if sheet.total_refund_due:
            parts.append(
                QCoreApplication.translate("Fees", "to refund %1").replace(
                    "%1", money(sheet.total_refund_due)
                )
            )
        text = " · ".join(parts)
        if sheet.event_status == "cancelled":
            text = (
                QCoreApplication.translate("Fees", "The event is cancelled: refund what was paid.")
                + "\n"
                + text
            )
        return text

    def _failed(self, exc: BaseException) -> None:
        if not isinstance(exc, PaddockError):
            raise exc
        self.message.setText(exc.localized(self.ctx.language))

    def _after_write(self, text: str) -> None:
        self.message.setText(text)
        self.refresh()
        self.changed.emit()

    # ------------------------------------------------------------------ actions

    def edit_item(self, item: fees.CostItem | None) -> CostItemDialog:
        db, eid = self.ctx.db, self.event_id

        def save(label: str, amount: str, split: str, subsidy: str, each: bool) -> Any:
            if item is None:
                return fees.add_cost_item(
                    db, eid, label, amount, split, subsidy=subsidy, per_unit=each
                )
            return fees.update_cost_item(
                db, item.id, label, amount, split, subsidy=subsidy, per_unit=each
            )

        dlg = CostItemDialog(self.ctx, save, item, self)
        dlg.saved.connect(
            lambda i: self._after_write(
                QCoreApplication.translate("Fees", "Saved: %1").replace("%1", i.label)
            )
        )
        self.dialog = dlg
        dlg.open()
        return dlg

    def remove_item(self) -> None:
        item = selected_row(self.items_view)
        if item is None:
            return
        submit(
            self.ctx.write_pool,
            lambda: fees.remove_cost_item(self.ctx.db, item.id),
            lambda _r: self._after_write(
                QCoreApplication.translate("Fees", "Removed: %1").replace("%1", item.label)
            ),
            self._failed,
        )

    def take_payment(self, refund: bool = False) -> PaymentDialog | None:
        view = self.refunds_view if refund and self.tabs.currentIndex() == 3 else self.owed_view
        row: fees.FeeRow | None = selected_row(view)
        if row is None:
            self.message.setText(
                QCoreApplication.translate("Fees", "Select a person in the list first.")
            )
            return None
        db = self.ctx.db

        def save(amount: str, method: str, ref: str, note: str) -> Any:
            if refund:
                return fees.record_refund(db, row.registration_id, amount, method, ref, note=note)
            return fees.record_payment(db, row.registration_id, amount, method, ref, note=note)

        dlg = PaymentDialog(
            self.ctx,
            row.name,
            row.refund_due if refund else row.outstanding,
            save,
            refund=refund,
            parent=self,
        )
        dlg.saved.connect(self._recorded)
        self.dialog = dlg
        dlg.open()
        return dlg

    def _recorded(self, done: fees.PaymentResult) -> None:
        p = done.payment
        text = (
            QCoreApplication.translate("Fees", "Receipt %1: %2 from %3.")
            if p.amount_cents > 0
            else QCoreApplication.translate("Fees", "Receipt %1: %2 to %3.")
        )
        self._after_write(
            text.replace("%1", p.receipt_no or "—")
            .replace("%2", money(abs(p.amount_cents)))
            .replace("%3", p.name)
        )

    def save_receipt(self, path: str | None = None) -> Path | None:
        row: fees.FeeRow | None = selected_row(self.owed_view)
        if row is None:
            self.message.setText(
                QCoreApplication.translate("Fees", "Select a person in the list first.")
            )
            return None
        if path is None:
            path, _filter = get_save_file_name(
                self,
                QCoreApplication.translate("Fees", "Save receipt"),
                f"{row.name}.pdf",
                QCoreApplication.translate("Fees", "PDF (*.pdf);;PNG for WeChat (*.png)"),
            )
            if not path:
                return None
        lang = "zh" if self.ctx.language == "zh" else "en"
        try:
            target, doc = receipts.save_receipt(self.ctx.db, row.registration_id, path, lang=lang)
        except PaddockError as exc:
            self._failed(exc)
            return None
        self.message.setText(
            QCoreApplication.translate("Fees", "Receipt %1 saved to %2")
            .replace("%1", doc.receipt_no)
            .replace("%2", str(target))
        )
        return target

    def void_selected(self) -> ReasonDialog | None:
        self.tabs.setCurrentIndex(2)
        p: fees.PaymentView | None = selected_row(self.ledger_view)
        if p is None:
            self.message.setText(
                QCoreApplication.translate(
                    "Fees", "Select the payment recorded by mistake in Payments."
                )
            )
            return None
        dlg = ReasonDialog(
            self.ctx,
            QCoreApplication.translate("Fees", "Void %1").replace(
                "%1", p.receipt_no or money(p.amount_cents)
            ),
            lambda reason: fees.void_payment(self.ctx.db, p.id, reason),
            self,
        )
        dlg.saved.connect(
            lambda _r: self._after_write(
                QCoreApplication.translate("Fees", "Voided; a correction was recorded.")
            )
        )
        self.dialog = dlg
        dlg.open()
        return dlg

    def owing_text(self) -> str:
        """Who still owes, car by car, as people post it in the drive's WeChat group."""
        sheet = self.sheet
        if sheet is None:
            return ""
        head = QCoreApplication.translate("Fees", "%1 — still to pay:").replace(
            "%1", sheet.event_title
        )
        lines = [head]
        for c in sheet.by_car:
            plate = display_plate(c.plate) if c.plate else ""
            lines.append(f"{plate} {'、'.join(c.names)} {money(c.outstanding)}".strip())
        if not sheet.by_car:
            lines.append(QCoreApplication.translate("Fees", "Everyone has paid."))
        return "\n".join(lines)

    def copy_owing(self) -> None:
        QGuiApplication.clipboard().setText(self.owing_text())
        self.message.setText(
            QCoreApplication.translate("Fees", "Copied: paste it into the WeChat group.")
        )

    def refund_everyone(self) -> None:
        submit(
            self.ctx.write_pool,
            lambda: fees.refund_all(self.ctx.db, self.event_id),
            lambda done: self._after_write(
                QCoreApplication.translate("Fees", "%1 refunds recorded.").replace(
                    "%1", str(len(done))
                )
            ),
            self._failed,
        )
