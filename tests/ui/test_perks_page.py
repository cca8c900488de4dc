"""The Perks page: a coordinator adds a partner and a perk, redeems it for a member (the
voucher card to send by WeChat), and the partner's staff checks and uses the voucher on the
"Redeem voucher" screen; the person's page lists their vouchers; the event report shows the
shared costs."""

from __future__ import annotations

from pathlib import Path

import pytest
import zxingcpp
from PIL import Image
from PySide6.QtWidgets import QApplication, QDialogButtonBox
from pytestqt.qtbot import QtBot

from desktop_app.services import fees, perks, points
from desktop_app.services.reports import event_report
from desktop_app.store.db import Database
from tests.checkin_support import add_person, manual_checkin_all
from tests.fees_support import event_with
from tests.ui.helpers import app_context, translated
from ui.views.event_report import EventReportView
from ui.views.perks import PerksPage
from ui.views.person_detail import PersonDetailPane


def save(dlg) -> None:  # type: ignore[no-untyped-def]
    dlg.buttons.button(QDialogButtonBox.StandardButton.Save).click()


def test_partner_perk_redeem_and_the_voucher_desk(
    qtbot: QtBot, dealer_sqlite: Database, tmp_path: Path
) -> None:
    db = dealer_sqlite
    wang = add_person(db, "王磊", "+8613800000001")
    points.adjust_points(db, wang, 1000, "opening balance")
    with app_context(db, tmp_path) as ctx:
        page = PerksPage(ctx)
        qtbot.addWidget(page)
        qtbot.waitUntil(lambda: page.totals.text() != "")  # loaded: "0 redeemed …"
        assert not page.empty.isHidden()  # "No perks yet…"
        assert not page.add_perk_btn.isEnabled() and not page.redeem_btn.isEnabled()

        dlg = page.add_partner()
        dlg.name.setText("洁速洗车")
        dlg.city.setText("上海")
        save(dlg)
        qtbot.waitUntil(lambda: [p.name for p in page.partners] == ["洁速洗车"])
        perk = page.edit_perk(None)
        assert perk is not None
        perk.name.setText("精洗一次")
        perk.points.setValue(300)
        perk.stock.setValue(2)
        save(perk)
        qtbot.waitUntil(lambda: [k.name for k in page.perks.rows] == ["精洗一次"])
        assert page.empty.isHidden() and page.redeem_btn.isEnabled()

        page.perks_view.selectRow(0)
        red = page.redeem()
        save(red)
        qtbot.waitUntil(lambda: red.error_of("person") != "")
        red.person.set_person(wang, "王磊")
        save(red)
        qtbot.waitUntil(lambda: red.result_value is not None, timeout=5000)
        assert red.card.isVisible() and "700 left" in red.issued.text()
        card = red.save_card(str(tmp_path / "voucher.png"))
        red.close()
        assert card is not None
        code = red.result_value.voucher.code
        assert [r.text for r in zxingcpp.read_barcodes(Image.open(card))] == [code]
        qtbot.waitUntil(lambda: page.perks.rows[0].stock_left == 1)

        desk = page.desk
        page.tabs.setCurrentWidget(desk)
        desk.code.setText(code)
        with qtbot.waitSignal(desk.checked, timeout=3000):
            desk.code.returnPressed.emit()
        assert desk.last.result == "valid" and desk.consume_btn.isEnabled()
        desk.by.setText("小周")
        with qtbot.waitSignal(desk.checked, timeout=3000):
            desk.consume_btn.click()
        assert desk.last.consumed_now and "now used" in desk.result.text()
        desk.code.setText(code)
        with qtbot.waitSignal(desk.checked, timeout=3000):
            desk.check_btn.click()
        assert desk.last.result == "consumed" and "小周" in desk.details.text()
        assert not desk.consume_btn.isEnabled() and not desk.cancel_btn.isEnabled()
        desk.code.setText(code[:-1] + ("A" if code[-1] != "A" else "B"))
        with qtbot.waitSignal(desk.checked, timeout=3000):
            desk.check_btn.click()
        assert desk.last.result == "invalid" and "forged" in desk.details.text()

        pane = PersonDetailPane(ctx)
        qtbot.addWidget(pane)
        with qtbot.waitSignal(pane.loaded, timeout=3000):
            pane.show_person(wang)
        text = pane.text()
        assert "Perk vouchers" in text and "洁速洗车 · 精洗一次" in text and "Already used" in text
        page.close()


def test_the_event_report_shows_the_shared_costs(
    qtbot: QtBot, dealer_sqlite: Database, tmp_path: Path
) -> None:
    db = dealer_sqlite
    ev, regs = event_with(db, [("王磊", 2, "沪A12345"), ("李娜", 1, "沪B23456")])
    fees.add_cost_item(db, ev, "油费", "1000", "car", subsidy="200")
    fees.record_payment(db, regs[0], "400", "wechat")
    manual_checkin_all(db, ev, regs)
    with app_context(db, tmp_path) as ctx:
        view = EventReportView(ctx)
        qtbot.addWidget(view)
        view.show()
        view.show_report(event_report(db, ev))
        values = view.money_tiles.values()
        assert values["collected"] == "¥400.00" and values["spent"] == "¥1,000.00"
        assert values["subsidy"] == "¥200.00" and values["balance"] == "-¥600.00"
        assert values["fee_per_attendee"] == "¥500.00" and values["outstanding"] == "¥400.00"
        assert view.money_tiles.isVisible()


@pytest.mark.parametrize("language", ["en", "zh"])
def test_after_a_redemption_the_voucher_card_and_close_stay_on_a_laptop_screen(
    qtbot: QtBot, dealer_sqlite: Database, tmp_path: Path, language: str
) -> None:
    """On the front desk's laptop the clerk redeems a coffee voucher for 王磊: the dialog
    grows to show the card, and stays on the screen — Copy, Save PNG and Close too."""
    db = dealer_sqlite
    wang = add_person(db, "王磊", "+8613800000001")
    points.adjust_points(db, wang, 1000, "opening balance")
    partner = perks.add_partner(db, "Manner Coffee")
    perks.add_perk(db, partner.id, perks.PerkDraft("咖啡券 ×2", 120, 50))
    with translated(language), app_context(db, tmp_path, language) as ctx:
        page = PerksPage(ctx)
        qtbot.addWidget(page)
        page.setGeometry(page.screen().availableGeometry())  # the page fills the screen
        page.show()
        qtbot.waitUntil(lambda: len(page.perks.rows) == 1)
        red = page.redeem()  # opens small, in the middle of the screen
        red.person.set_person(wang, "王磊")
        save(red)
        qtbot.waitUntil(lambda: red.result_value is not None, timeout=5000)
        QApplication.processEvents()
        free = red.screen().availableGeometry()
        assert free.contains(red.frameGeometry()), (red.frameGeometry(), free)
        close = red.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        for shown in (red.card, red.copy_btn, red.save_btn, red.issued, close):
            assert shown.isVisible()
            corner = shown.mapToGlobal(shown.rect().bottomRight())
            assert free.contains(corner) and red.rect().contains(
                shown.mapTo(red, shown.rect().bottomRight())
            )
        assert red.card.pixmap().height() >= 300, "the card stays big enough to check by eye"
        red.close()
        page.close()
