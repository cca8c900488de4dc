"""The event's Fees tab: a coordinator enters the drive's costs, takes payments, sees who
still owes by car, voids a mistake, and the attendee list shows who owes what."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from desktop_app.services import fees
from desktop_app.services import registration as reg
from desktop_app.store.db import Database
from desktop_app.store.models import Payment
from tests.fees_support import event_with
from tests.ui.helpers import app_context
from ui.views.attendees import COL_OWES, open_attendees

CARS = [("王磊", 2, "沪A12345"), ("李娜", 1, "沪B23456"), ("张伟", 1, "沪C34567")]


def ok(dlg) -> None:  # type: ignore[no-untyped-def]
    dlg.buttons.button(QDialogButtonBox.StandardButton.Save).click()


def test_costs_payments_and_who_owes_by_car(
    qtbot: QtBot, dealer_sqlite: Database, tmp_path: Path
) -> None:
    ev, _regs = event_with(dealer_sqlite, CARS)
    with app_context(dealer_sqlite, tmp_path) as ctx:
        dlg = open_attendees(ctx, ev)
        qtbot.addWidget(dlg)
        panel = dlg.fees  # type: ignore[attr-defined]
        qtbot.waitUntil(lambda: panel.sheet is not None)
        assert "No costs yet" in panel.summary.text()

        item = panel.edit_item(None)
        item.label.setText("油费")
        item.amount.setText("1,000")
        item.split.setCurrentIndex(item.split.findData("car"))
        ok(item)
        qtbot.waitUntil(lambda: panel.items.rowCount() == 1)
        bad = panel.edit_item(None)
        bad.label.setText("午餐")
        bad.amount.setText("12.345")
        ok(bad)
        qtbot.waitUntil(lambda: "two decimals" in bad.error_of("amount"))
        assert bad.isVisible()
        bad.reject()

        qtbot.waitUntil(lambda: panel.owed.rowCount() == 3)
        panel.owed_view.selectRow(0)
        pay = panel.take_payment()
        assert pay is not None and pay.amount.text() == "333.34"  # what is outstanding
        pay.amount.setText("300")
        pay.method.setCurrentIndex(pay.method.findData("wechat"))
        pay.reference.setText("4200001234")
        ok(pay)
        qtbot.waitUntil(lambda: panel.ledger.rowCount() == 1)
        assert "SH-0021-000001" in panel.message.text()
        assert "outstanding ¥700.00" in panel.summary.text()
        assert [c.names for c in panel.cars.rows] == [("李娜",), ("张伟",), ("王磊",)]
        assert panel.cars.rows[-1].outstanding == 3334

        panel.tabs.setCurrentIndex(2)
        panel.ledger_view.selectRow(0)
        void = panel.void_selected()
        assert void is not None
        void.reason.setText("收错了")
        ok(void)
        qtbot.waitUntil(lambda: panel.ledger.rowCount() == 2)
        with dealer_sqlite.read() as s:
            assert s.scalar(select(func.sum(Payment.amount_cents))) == 0
        qtbot.waitUntil(lambda: panel.sheet is not None and panel.sheet.total_paid == 0)
        lines = panel.owing_text().splitlines()
        assert lines[0].endswith("still to pay:") and lines[1] == "沪A·12345 王磊 ¥333.34"
        assert len(lines) == 4

        attendees = dlg.panel  # type: ignore[attr-defined]
        qtbot.waitUntil(lambda: not attendees.table.isColumnHidden(COL_OWES))
        owes = [
            attendees.proxy.index(r, COL_OWES).data(Qt.ItemDataRole.DisplayRole)
            for r in range(attendees.proxy.rowCount())
        ]
        assert "¥333.34 of ¥333.34" in owes
        dlg.close()


def test_cancelling_a_paid_registration_points_to_the_refund(
    qtbot: QtBot, dealer_sqlite: Database, tmp_path: Path
) -> None:
    ev, regs = event_with(dealer_sqlite, CARS)
    fees.add_cost_item(dealer_sqlite, ev, "油费", "300", "car")
    fees.record_payment(dealer_sqlite, regs[2], "100", "cash")
    with app_context(dealer_sqlite, tmp_path) as ctx:
        dlg = open_attendees(ctx, ev)
        qtbot.addWidget(dlg)
        attendees = dlg.panel  # type: ignore[attr-defined]
        row = next(
            r
            for r in range(attendees.proxy.rowCount())
            if attendees.proxy.index(r, 0).data() == "张伟"
        )
        attendees.table.selectRow(row)
        attendees.cancel_selected("家里有事")
        qtbot.waitUntil(lambda: "refund it in the Fees tab" in attendees.message.text())
        panel = dlg.fees  # type: ignore[attr-defined]
        qtbot.waitUntil(lambda: panel.refunds.rowCount() == 1)
        panel.refund_everyone()
        qtbot.waitUntil(lambda: panel.refunds.rowCount() == 0)
        assert "1 refunds recorded" in panel.message.text()
        assert reg.get_registration(dealer_sqlite, regs[2]).status == "cancelled"
        dlg.close()
