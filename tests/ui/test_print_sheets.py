"""Printing an event's tickets or badges from its attendee tab: pick the sheet or label,
save, see progress; the PDF holds every guest; a cancel leaves no file."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QApplication

from desktop_app.services import registration as reg
from desktop_app.store.db import Database
from tests.pdf_support import page_sizes_mm, pdf_text, qr_texts, render
from tests.ui.helpers import app_context
from tests.ui.test_attendees import make_event
from ui.views.attendees import AttendeesPanel
from ui.views.print_sheets import PrintSheetsDialog

SHOTS = os.environ.get("PADDOCK_SHOTS")  # a folder: keep screenshots for a human look
NAMES = ["张伟", "欧阳娜娜", "Li Na", "陈静", "赵强"]


def _guests(db: Database) -> Any:
    ev = make_event(db, capacity=20, title="星辰开放日：新能源试驾体验")
    codes = [reg.register(db, ev, phone=f"1380013800{n}", name=name).ticket_code
             for n, name in enumerate(NAMES)]  # fmt: skip
    return ev, codes


def _shot(widget: Any, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        QApplication.processEvents()
        widget.grab().save(str(Path(SHOTS) / f"{name}.png"))


def test_an_a4_sheet_of_eight_tickets_from_the_attendee_tab(
    qtbot: Any, dealer_sqlite: Database, tmp_path: Path
) -> None:
    ev, codes = _guests(dealer_sqlite)
    out = tmp_path / "out" / "sheet.pdf"
    with app_context(dealer_sqlite, tmp_path) as ctx:
        panel = AttendeesPanel(ctx, ev)
        qtbot.addWidget(panel)
        panel.resize(980, 520)
        panel.show()
        _shot(panel, "attendees_en")
        dlg = panel.open_print()
        assert isinstance(dlg, PrintSheetsDialog)
        dlg.ask_path = lambda _name: str(out)  # type: ignore[method-assign]
        dlg.sheet.setCurrentIndex(dlg.sheet.findData("a4-8"))
        assert not dlg.form.isRowVisible(dlg.size) and dlg.form.isRowVisible(dlg.sheet)
        _shot(dlg, "print_tickets_en")
        with qtbot.waitSignal(dlg.written, timeout=15000):
            dlg.save_btn.click()
        assert "5 ticket(s) saved to" in dlg.message.text()
        assert ctx.settings.value("print/ticket_sheet") == "a4-8"
        dlg.close()
    assert page_sizes_mm(out) == [(210, 297)]
    text = pdf_text(out)
    assert all(name in text for name in NAMES)
    assert sorted(qr_texts(render(out, 150)[0])) == sorted(codes)


def test_badges_at_the_desks_label_size_in_chinese(
    qtbot: Any, dealer_sqlite: Database, tmp_path: Path
) -> None:
    from ui.app import install_translators

    ev, _codes = _guests(dealer_sqlite)
    out = tmp_path / "badges.pdf"
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    translators = install_translators(app, "zh")
    try:
        with app_context(dealer_sqlite, tmp_path, language="zh") as ctx:
            ctx.settings.setValue("desk/badge_size", "62x29")
            dlg = PrintSheetsDialog(ctx, ev)
            qtbot.addWidget(dlg)
            dlg.show()
            dlg.kind.setCurrentIndex(dlg.kind.findData("badges"))
            assert dlg.size.currentData() == "62x29"
            assert dlg.form.isRowVisible(dlg.size) and not dlg.form.isRowVisible(dlg.sheet)
            assert dlg.windowTitle() == "打印门票和胸牌"
            _shot(dlg, "print_badges_zh")
            dlg.ask_path = lambda _name: str(out)  # type: ignore[method-assign]
            with qtbot.waitSignal(dlg.written, timeout=15000):
                dlg.save_btn.click()
            assert "已保存 5 个胸牌" in dlg.message.text()
            _shot(dlg, "print_badges_done_zh")
            dlg.sheet.setCurrentIndex(0)
            dlg.kind.setCurrentIndex(0)
            assert dlg.message.text() == ""  # the last result goes with the other choice
            _shot(dlg, "print_tickets_zh")
    finally:
        for tr in translators:
            app.removeTranslator(tr)
    assert page_sizes_mm(out) == [(62, 29)] * 5
    assert all(name in pdf_text(out) for name in NAMES)


def test_the_check_in_page_offers_every_label_size(
    qtbot: Any, dealer_sqlite: Database, tmp_path: Path
) -> None:
    from ui.app import install_translators
    from ui.views.checkin import CheckinPage

    for lang in ("en", "zh"):
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        translators = install_translators(app, lang) if lang == "zh" else []
        try:
            with app_context(dealer_sqlite, tmp_path, language=lang) as ctx:
                page = CheckinPage(ctx)
                qtbot.addWidget(page)
                page.resize(900, 700)
                page.show()
                texts = [page.size_box.itemText(i) for i in range(page.size_box.count())]
                assert len(texts) == 6 and ("毫米" in texts[0]) == (lang == "zh")
                _shot(page, f"checkin_page_{lang}")
        finally:
            for tr in translators:
                app.removeTranslator(tr)


def test_a_cancelled_print_leaves_no_file(
    qtbot: Any, dealer_sqlite: Database, tmp_path: Path
) -> None:
    ev, _codes = _guests(dealer_sqlite)
    out = tmp_path / "gone.pdf"
    with app_context(dealer_sqlite, tmp_path) as ctx:
        dlg = PrintSheetsDialog(ctx, ev)
        qtbot.addWidget(dlg)
        dlg.ask_path = lambda _name: str(out)  # type: ignore[method-assign]
        dlg.cancel_flag.set()  # pressed before the first page is written
        dlg.cancel_flag.clear = lambda: None  # type: ignore[method-assign]
        dlg.save_btn.click()
        qtbot.waitUntil(lambda: "Cancelled" in dlg.message.text(), timeout=15000)
        assert dlg.save_btn.isEnabled() and not dlg.cancel_btn.isEnabled()
    assert not out.exists() and list(tmp_path.glob("*.pdf")) == []
