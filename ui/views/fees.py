"""The Fees tab of an event (AA制): cost items and how they are shared, who owes what,
payments and refunds recorded, receipts, the outstanding list by car before departure.

Everything comes from services/fees.py (the sheet is read off the UI thread); writes go
through the dialogs in fee_dialogs.py on the write pool.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.errors import PaddockError
from desktop_app.domain.money import show_money
from desktop_app.domain.timeutil import to_local
from desktop_app.services import fees, receipts
from desktop_app.services.tickets import display_plate
from ui import labels
from ui.context import AppContext
from ui.models.rows_model import ROW_ROLE, RowsModel
from ui.views.fee_dialogs import CostItemDialog, PaymentDialog, ReasonDialog
from ui.workers import submit


def _tr(text: str) -> str:
    return QCoreApplication.translate("Fees", text)


def _money(cents: int) -> str:
    return show_money(cents, fen=True)


class _Table(RowsModel):
    """A RowsModel whose cells are (header, function of the row) pairs; amounts right-aligned."""

    columns: tuple[tuple[str, Any], ...] = ()
    money_columns: frozenset[int] = frozenset()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.headers = tuple(h for h, _f in self.columns)

    def header_label(self, text: str) -> str:
        return _tr(text)

    def display(self, row: Any, column: int) -> Any:
        return self.columns[column][1](row)

    def role_data(self, row: Any, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.TextAlignmentRole and column in self.money_columns:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class ItemsModel(_Table):
    columns = (
        (QT_TRANSLATE_NOOP("Fees", "Item"), lambda i: i.label),
        (
            QT_TRANSLATE_NOOP("Fees", "Amount"),
            lambda i: (
                _money(i.amount_cents)
                + (" " + QCoreApplication.translate("Fees", "each") if i.priced_per_unit else "")
            ),
        ),
        (QT_TRANSLATE_NOOP("Fees", "Shared"), lambda i: labels.fee_split(i.split)),
        (QT_TRANSLATE_NOOP("Fees", "Units"), lambda i: str(i.units)),
        (QT_TRANSLATE_NOOP("Fees", "Dealer subsidy"), lambda i: _money(i.subsidy_total_cents)),
        (QT_TRANSLATE_NOOP("Fees", "Participants pay"), lambda i: _money(i.charged_cents)),
    )
    money_columns = frozenset({1, 4, 5})


class OwedModel(_Table):
    columns = (
        (QT_TRANSLATE_NOOP("Fees", "Name"), lambda r: r.name),
        (QT_TRANSLATE_NOOP("Fees", "Car"), lambda r: display_plate(r.plate) if r.plate else ""),
        (QT_TRANSLATE_NOOP("Fees", "People"), lambda r: str(r.party_size)),
        (QT_TRANSLATE_NOOP("Fees", "Status"), lambda r: labels.registration_status(r.status)),
        (QT_TRANSLATE_NOOP("Fees", "Owes"), lambda r: _money(r.owed)),
        (QT_TRANSLATE_NOOP("Fees", "Paid"), lambda r: _money(r.paid)),
        (
            QT_TRANSLATE_NOOP("Fees", "Outstanding"),
            lambda r: _money(r.outstanding) if r.outstanding else "",
        ),
        (
            QT_TRANSLATE_NOOP("Fees", "Refund due"),
            lambda r: _money(r.refund_due) if r.refund_due else "",
        ),
    )
    money_columns = frozenset({4, 5, 6, 7})


class CarsModel(_Table):
    columns = (
        (QT_TRANSLATE_NOOP("Fees", "Car"), lambda c: display_plate(c.plate) if c.plate else "—"),
        (QT_TRANSLATE_NOOP("Fees", "Who"), lambda c: "、".join(c.names)),
        (QT_TRANSLATE_NOOP("Fees", "People"), lambda c: str(c.people)),
        (QT_TRANSLATE_NOOP("Fees", "Owes"), lambda c: _money(c.owed)),
        (QT_TRANSLATE_NOOP("Fees", "Paid"), lambda c: _money(c.paid)),
        (QT_TRANSLATE_NOOP("Fees", "Outstanding"), lambda c: _money(c.outstanding)),
    )
    money_columns = frozenset({3, 4, 5})


class LedgerModel(_Table):
    tz = "Asia/Shanghai"
    columns = (
        (QT_TRANSLATE_NOOP("Fees", "Receipt"), lambda p: p.receipt_no or "—"),
        (
            QT_TRANSLATE_NOOP("Fees", "When"),
            lambda p: f"{to_local(p.taken_at, LedgerModel.tz):%m-%d %H:%M}",
        ),
        (QT_TRANSLATE_NOOP("Fees", "Name"), lambda p: p.name),
        (
            QT_TRANSLATE_NOOP("Fees", "Kind"),
            lambda p: (
                labels.payment_kind(p.kind)
                + (" (" + QCoreApplication.translate("Fees", "voided") + ")" if p.voided else "")
            ),
        ),
        (QT_TRANSLATE_NOOP("Fees", "Amount"), lambda p: _money(p.amount_cents)),
        (QT_TRANSLATE_NOOP("Fees", "Method"), lambda p: labels.payment_method(p.method)),
        (QT_TRANSLATE_NOOP("Fees", "Reference"), lambda p: p.reference or p.note or ""),
        (QT_TRANSLATE_NOOP("Fees", "Taken by"), lambda p: p.taken_by or ""),
    )
    money_columns = frozenset({4})


def _table(model: RowsModel) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setAlternatingRowColors(True)
    view.verticalHeader().hide()
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    view.horizontalHeader().setStretchLastSection(True)
    return view


def _selected(view: QTableView) -> Any:
    rows = view.selectionModel().selectedRows()
    return rows[0].data(ROW_ROLE) if rows else None


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
        self.items_view = _table(self.items)
        self.owed_view = _table(self.owed)
        self.cars_view = _table(self.cars)
        self.ledger_view = _table(self.ledger)
        self.refunds_view = _table(OwedModel(self))
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
        self.tabs = QTabWidget()
        self.tabs.addTab(self.owed_view, QCoreApplication.translate("Fees", "Who owes what"))
        self.tabs.addTab(self.cars_view, QCoreApplication.translate("Fees", "Outstanding by car"))
        self.tabs.addTab(self.ledger_view, QCoreApplication.translate("Fees", "Payments"))
        self.tabs.addTab(self.refunds_view, QCoreApplication.translate("Fees", "Refunds"))
        self._layout()
        self.add_item_btn.clicked.connect(lambda: self.edit_item(None))
        self.edit_item_btn.clicked.connect(lambda: self.edit_item(_selected(self.items_view)))
        self.remove_item_btn.clicked.connect(self.remove_item)
        self.pay_btn.clicked.connect(lambda: self.take_payment())
        self.refund_btn.clicked.connect(lambda: self.take_payment(refund=True))
        self.receipt_btn.clicked.connect(lambda: self.save_receipt())
        self.void_btn.clicked.connect(self.void_selected)
        self.refund_all_btn.clicked.connect(self.refund_everyone)
        self.owed_view.doubleClicked.connect(lambda _i: self.take_payment())
        self.items_view.doubleClicked.connect(lambda _i: self.edit_item(_selected(self.items_view)))
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
        ):
            money_buttons.addWidget(b)
        money_buttons.addStretch(1)
        costs = QLabel(QCoreApplication.translate("Fees", "Costs and how they are shared"))
        costs.setObjectName("sectionTitle")
        lay = QVBoxLayout(self)
        lay.addWidget(self.summary)
        lay.addWidget(costs)
        lay.addWidget(self.items_view, 2)
        lay.addLayout(item_buttons)
        lay.addWidget(self.tabs, 5)
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
            QCoreApplication.translate("Fees", "Costs %1").replace("%1", _money(sheet.spent)),
            QCoreApplication.translate("Fees", "dealer subsidy %1").replace(
                "%1", _money(sheet.subsidy)
            ),
            QCoreApplication.translate("Fees", "participants owe %1").replace(
                "%1", _money(sheet.total_owed)
            ),
            QCoreApplication.translate("Fees", "paid %1").replace("%1", _money(sheet.total_paid)),
            QCoreApplication.translate("Fees", "outstanding %1").replace(
                "%1", _money(sheet.total_outstanding)
            ),
        ]
        if sheet.total_refund_due:
            parts.append(
                QCoreApplication.translate("Fees", "to refund %1").replace(
                    "%1", _money(sheet.total_refund_due)
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
        item = _selected(self.items_view)
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
        row: fees.FeeRow | None = _selected(view)
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
            .replace("%2", _money(abs(p.amount_cents)))
            .replace("%3", p.name)
        )

    def save_receipt(self, path: str | None = None) -> Path | None:
        row: fees.FeeRow | None = _selected(self.owed_view)
        if row is None:
            self.message.setText(
                QCoreApplication.translate("Fees", "Select a person in the list first.")
            )
            return None
        if path is None:
            path, _filter = QFileDialog.getSaveFileName(
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
        p: fees.PaymentView | None = _selected(self.ledger_view)
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
                "%1", p.receipt_no or _money(p.amount_cents)
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
