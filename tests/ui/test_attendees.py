"""The attendee tab: register in one field, cancel (shows who was promoted), tickets for WeChat."""

from __future__ import annotations

import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

import zxingcpp
from PIL import Image
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from desktop_app.domain.timeutil import now_utc
from desktop_app.services import events
from desktop_app.services import registration as reg
from desktop_app.store.db import Database
from tests.ui.helpers import app_context, type_text
from ui.views.attendees import (
    COL_PARTY,
    COL_STATUS,
    ROW_ROLE,
    AttendeesPanel,
    RegistrationsModel,
)

SOON = now_utc().replace(microsecond=0) + timedelta(days=5)


def make_event(db: Database, **kw: Any) -> uuid.UUID:
    base: dict[str, Any] = dict(
        title="冬季养护课堂", type="care_class", starts_at=SOON, ends_at=SOON + timedelta(hours=2),
        venue="售后服务中心", capacity=2, waitlist_enabled=True,
    )  # fmt: skip
    e = events.create_event(db, events.EventDraft(**(base | kw)))
    events.set_status(db, e.id, "published")
    return e.id


def test_the_model_shows_derived_status_and_waitlist_position(dealer_sqlite: Database) -> None:
    ev = make_event(dealer_sqlite, capacity=1)
    reg.register(dealer_sqlite, ev, phone="13800138000", name="张伟")
    reg.register(dealer_sqlite, ev, phone="13900139000", name="李娜")
    model = RegistrationsModel()
    model.set_rows(reg.list_registrations(dealer_sqlite, ev))
    assert model.rowCount() == 2
    assert model.index(1, COL_STATUS).data() == "Waitlisted #1"
    assert model.index(0, 0).data(ROW_ROLE).name == "张伟"


def test_a_drive_lists_each_car_with_its_plate_under_a_header_that_says_so(
    qtbot: Any, dealer_sqlite: Database, tmp_path: Path
) -> None:
    drive = make_event(dealer_sqlite, title="千岛湖自驾", type="club_drive", capacity=10)
    reg.register(
        dealer_sqlite, drive, phone="13800138000", name="张伟",
        plate="沪AD12345", passengers=2, driver_consent=True,
    )  # fmt: skip
    with app_context(dealer_sqlite, tmp_path) as ctx:
        panel = AttendeesPanel(ctx, drive)
        qtbot.addWidget(panel)
        qtbot.waitUntil(lambda: panel.model.rowCount() == 1, timeout=5000)
        header = panel.model.headerData(COL_PARTY, Qt.Orientation.Horizontal)
        assert header == "People · plate"
        assert panel.model.index(0, COL_PARTY).data() == "3 · 沪AD12345"
    model = RegistrationsModel()  # any other event: seats only
    assert model.headerData(COL_PARTY, Qt.Orientation.Horizontal) == "Seats"


def test_registering_a_new_person_from_one_field(
    qtbot: Any, dealer_sqlite: Database, tmp_path: Path
) -> None:
    ev = make_event(dealer_sqlite)
    with app_context(dealer_sqlite, tmp_path) as ctx:
        panel = AttendeesPanel(ctx, ev)
        qtbot.addWidget(panel)
        dlg = panel.open_register()
        qtbot.keyClicks(dlg.find, "138 0013 8000")
        type_text(qtbot, dlg.name, "张伟")
        dlg.party.setValue(2)
        with qtbot.waitSignal(dlg.registered, timeout=5000):
            dlg.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
        qtbot.waitUntil(lambda: panel.model.rowCount() == 1)
        assert "2 / 2 seats used" in panel.counts.text()
        assert "张伟 registered" in panel.message.text()


def test_the_register_dialog_shows_its_whole_hint_in_chinese(
    qtbot: Any, dealer_sqlite: Database, tmp_path: Path
) -> None:
    from ui.app import install_translators

    ev = make_event(dealer_sqlite)
    app = QApplication.instance()
    translators = install_translators(app, "zh")  # type: ignore[arg-type]
    try:
        with app_context(dealer_sqlite, tmp_path, language="zh") as ctx:
            panel = AttendeesPanel(ctx, ev)
            qtbot.addWidget(panel)
            dlg = panel.open_register()
            qtbot.waitExposed(dlg)
            hint = dlg.find.placeholderText()
            assert hint.startswith("姓名或手机号")
            # the hint says what may be typed: none of it may be cut off
            assert dlg.find.width() > dlg.find.fontMetrics().horizontalAdvance(hint)
    finally:
        for t in translators:
            app.removeTranslator(t)  # type: ignore[union-attr]


def test_registering_an_existing_person_by_search_and_a_duplicate_says_so(
    qtbot: Any, dealer_sqlite: Database, tmp_path: Path
) -> None:
    ev = make_event(dealer_sqlite)
    other = make_event(dealer_sqlite, title="另一个")
    reg.register(dealer_sqlite, other, phone="13800138000", name="张伟")
    with app_context(dealer_sqlite, tmp_path) as ctx:
        panel = AttendeesPanel(ctx, ev)
        qtbot.addWidget(panel)
        dlg = panel.open_register()
        dlg.find.setText("张伟")
        dlg.search()
        assert dlg.matches.count() == 1
        dlg.matches.setCurrentRow(0)
        with qtbot.waitSignal(dlg.registered, timeout=5000):
            dlg.submit()
        dlg2 = panel.open_register()
        dlg2.find.setText("张伟")
        dlg2.search()
        dlg2.matches.setCurrentRow(0)
        dlg2.submit()
        qtbot.waitUntil(lambda: "already registered" in dlg2.error.text(), timeout=5000)
        assert dlg2.isVisible()
        dlg2.find.setText("139 0013 9000")  # someone else now: the old refusal goes
        assert dlg2.error.text() == ""


def test_cancelling_says_who_was_promoted(
    qtbot: Any, dealer_sqlite: Database, tmp_path: Path
) -> None:
    ev = make_event(dealer_sqlite, capacity=1)
    reg.register(dealer_sqlite, ev, phone="13800138000", name="张伟")
    reg.register(dealer_sqlite, ev, phone="13900139000", name="李娜")
    with app_context(dealer_sqlite, tmp_path) as ctx:
        panel = AttendeesPanel(ctx, ev)
        qtbot.addWidget(panel)
        assert "1 on the waitlist" in panel.counts.text()
        panel.table.selectRow(0)
        panel.cancel_selected(reason="出差")
        qtbot.waitUntil(lambda: "Promoted from the waitlist: 李娜" in panel.message.text())
        assert "0 on the waitlist" in panel.counts.text()
        panel.status.setCurrentIndex(panel.status.findData("cancelled"))
        assert panel.model.rowCount() == 1


def _ticket_of_first(qtbot: Any, ctx: Any, ev: uuid.UUID) -> tuple[AttendeesPanel, Any]:
    """The attendee tab, and the ticket dialog of its first registration."""
    panel = AttendeesPanel(ctx, ev)
    qtbot.addWidget(panel)
    panel.table.selectRow(0)
    dlg = panel.show_ticket()
    assert dlg is not None
    qtbot.addWidget(dlg)
    return panel, dlg


def test_the_ticket_card_copies_to_the_clipboard_as_a_scannable_image(
    qtbot: Any, dealer_sqlite: Database, tmp_path: Path
) -> None:
    ev = make_event(dealer_sqlite)
    v = reg.register(dealer_sqlite, ev, phone="13800138000", name="张伟")
    with app_context(dealer_sqlite, tmp_path) as ctx:
        panel, dlg = _ticket_of_first(qtbot, ctx, ev)
        dlg.copy()
        image = QApplication.clipboard().image()
        assert not image.isNull()
        path = tmp_path / "clip.png"
        image.save(str(path))
        found = zxingcpp.read_barcodes(Image.open(path), formats=zxingcpp.BarcodeFormat.QRCode)
        assert [r.text for r in found] == [v.ticket_code]
        dlg.lang.setCurrentIndex(1)  # English card
        assert dlg.preview.pixmap() is not None
        panel.reissue_selected()
        qtbot.waitUntil(lambda: "old one no longer works" in panel.message.text())
        assert reg.get_registration(dealer_sqlite, v.id).ticket_code != v.ticket_code
        assert panel.table.model().index(0, 0).data(Qt.ItemDataRole.DisplayRole) == "张伟"


def test_printing_a_ticket_prints_the_pdf_layers_card_with_its_qr(
    qtbot: Any, dealer_sqlite: Database, tmp_path: Path, monkeypatch: Any
) -> None:
    """Print… goes through the same vector card as Save PDF (tickets.write_pdf), rendered
    at the printer's resolution: the printed page scans to the ticket's code."""
    from PySide6.QtPrintSupport import QPrinter

    from desktop_app.services import tickets
    from tests.ui.test_pdfs_in_pdfium import _open, _qr

    ev = make_event(dealer_sqlite)
    v = reg.register(dealer_sqlite, ev, phone="13800138000", name="张伟")
    written: list[Path] = []
    real = tickets.write_pdf

    def spy(cards: Any, path: Path, *args: Any, **kw: Any) -> int:
        written.append(path)
        return real(cards, path, *args, **kw)

    monkeypatch.setattr(tickets, "write_pdf", spy)
    with app_context(dealer_sqlite, tmp_path) as ctx:
        _panel, dlg = _ticket_of_first(qtbot, ctx, ev)
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(tmp_path / "printed.pdf"))
        assert dlg.print_to(printer)
    assert len(written) == 1, "the card came from the PDF layer"
    doc = _open(tmp_path / "printed.pdf")
    assert _qr(doc, 0, 150) == [v.ticket_code]
