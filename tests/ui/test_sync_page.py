"""The Sync screen: a coordinator exports for HQ, previews HQ's campaigns, takes an event
offline and brings it back, and reads every run's report in the history."""

from __future__ import annotations

import threading
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from python_calamine import CalamineWorkbook
from sqlalchemy import func, select

from desktop_app.domain.timeutil import now_utc
from desktop_app.services import checkin, packs
from desktop_app.store.db import Database, open_database
from desktop_app.store.models import Event, Registration
from tests.checkin_support import make_event, populate, register
from tests.ui.helpers import app_context
from ui.views.sync import JsonReportDialog, PackReportDialog, SyncPage
from ui.workers import submit

CAMPAIGNS = Path(__file__).parents[1] / "fixtures" / "hq" / "campaigns_2026q4.xlsx"


def choose_save(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    monkeypatch.setattr("ui.views.sync.get_save_file_name", lambda *a, **k: (str(path), ""))


def choose_open(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    monkeypatch.setattr("ui.views.sync.get_open_file_name", lambda *a, **k: (str(path), ""))


def test_an_hq_export_runs_in_the_background_and_shows_in_last_exports(
    qtbot: Any, dealer_sqlite: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ev = make_event(dealer_sqlite, "冬季开放日")
    register(dealer_sqlite, ev, "李娜", "+8613800138000")
    out = tmp_path / "hq.xlsx"
    choose_save(monkeypatch, out)
    with app_context(dealer_sqlite, tmp_path) as ctx:
        page = SyncPage(ctx)
        qtbot.addWidget(page)
        assert not page.mode_since.isEnabled(), "the first export is always full"
        assert page.pii_masked.isChecked() and page.pii_warning.isHidden()
        page.pii_full.setChecked(True)
        assert not page.pii_warning.isHidden(), "full PII warns before anything is written"
        page.pii_masked.setChecked(True)
        page.export_button.click()
        qtbot.waitUntil(lambda: page.exports_table.rowCount() == 1, timeout=20000)
        assert page.export_button.isEnabled() and not page.cancel_button.isEnabled()
        assert "Exported" in page.hq_message.text() and str(out) in page.hq_message.text()
        assert page.exports_table.item(0, 2).text() == "masked"
        assert page.mode_since.isEnabled() and "Last export" in page.last_label.text()
        assert page.history_table.item(0, 1).text() == "HQ export"
    sheets = CalamineWorkbook.from_path(str(out)).sheet_names
    assert "_meta" in sheets and "people" in sheets
    people = CalamineWorkbook.from_path(str(out)).get_sheet_by_name("people").to_python()
    assert not any("13800138000" in str(cell) for row in people for cell in row), "masked"


def test_a_cancelled_hq_export_leaves_no_file(
    qtbot: Any, dealer_sqlite: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ev = make_event(dealer_sqlite)
    populate(dealer_sqlite, ev, 2500)  # the export looks at Cancel every 2000 rows
    out = tmp_path / "cancelled.xlsx"
    choose_save(monkeypatch, out)
    with app_context(dealer_sqlite, tmp_path) as ctx:
        page = SyncPage(ctx)
        qtbot.addWidget(page)
        # hold the pool so that Cancel is surely pressed while the export waits/runs
        gate = threading.Event()
        ctx.pool.setMaxThreadCount(1)
        submit(ctx.pool, lambda: gate.wait(10))
        page.export_button.click()
        assert not page.export_button.isEnabled() and page.cancel_button.isEnabled()
        assert page.hq_bar.isVisible() or not page.isVisible()
        page.cancel_button.click()
        assert "Cancelling" in page.hq_message.text()
        gate.set()
        qtbot.waitUntil(lambda: page.export_button.isEnabled(), timeout=30000)
        assert "cancelled" in page.hq_message.text()
        assert page.exports_table.rowCount() == 0
    assert not out.exists() and not list(tmp_path.glob("*.xlsx*"))


def test_a_campaign_pack_is_previewed_then_applied(
    qtbot: Any, dealer_sqlite: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    choose_open(monkeypatch, CAMPAIGNS)
    with app_context(dealer_sqlite, tmp_path) as ctx:
        page = SyncPage(ctx)
        qtbot.addWidget(page)
        page.choose_campaign_file()
        qtbot.waitUntil(lambda: page.campaign_preview is not None, timeout=20000)
        assert page.campaign_table.rowCount() >= 3
        assert "Preview only" in page.campaign_summary.text()
        results = {
            page.campaign_table.item(r, 3).text() for r in range(page.campaign_table.rowCount())
        }
        assert "new" in results
        with dealer_sqlite.read() as s:
            assert s.scalar(select(func.count()).select_from(Event)) == 0, (
                "a preview writes nothing"
            )
        assert page.apply_button.isEnabled()
        page.apply_button.click()
        qtbot.waitUntil(lambda: "Imported." in page.campaign_summary.text(), timeout=20000)
        with dealer_sqlite.read() as s:
            assert s.scalar(select(func.count()).select_from(Event)) >= 3
        assert page.history_table.item(0, 1).text() == "Campaign pack import"


def test_an_event_pack_goes_out_and_comes_back_with_its_double_entries(
    qtbot: Any, dealer_sqlite: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ev = make_event(dealer_sqlite, "车友会冬季自驾", points=30)
    a = register(dealer_sqlite, ev, "李娜", "+8613800138000")
    b = register(dealer_sqlite, ev, "王强", "+8613900139001")
    pack = tmp_path / "drive.pack"
    choose_save(monkeypatch, pack)
    with app_context(dealer_sqlite, tmp_path) as ctx:
        page = SyncPage(ctx)
        qtbot.addWidget(page)
        page.tabs.setCurrentIndex(2)
        page.pack_event.setCurrentIndex(page.pack_event.findData(str(ev)))
        asked: list[str] = []
        page.ask_new_passphrase = lambda: "冬季自驾 2026"  # type: ignore[method-assign]
        page.ask_pack_passphrase = lambda f: asked.append(f) or "冬季自驾 2026"  # type: ignore[method-assign]
        page.export_pack()
        qtbot.waitUntil(
            lambda: pack.exists() and "written" in page.pack_message.text(), timeout=20000
        )
        assert "paddock --db" in page.pack_message.text()
        assert packs.pack_is_encrypted(pack)

        base = now_utc() - timedelta(minutes=30)
        laptop = open_database(str(pack), passphrase="冬季自驾 2026")
        try:
            checkin.scan(laptop, ev, a.code, desk="笔记本", scanned_at=base + timedelta(minutes=10))
            checkin.scan(laptop, ev, b.code, desk="笔记本", scanned_at=base + timedelta(minutes=12))
        finally:
            laptop.close()
        checkin.scan(dealer_sqlite, ev, a.code, desk="前台", scanned_at=base)

        choose_open(monkeypatch, pack)
        page.import_pack()
        qtbot.waitUntil(lambda: page.pack_dialog is not None, timeout=20000)
        assert asked == ["drive.pack"]  # the encrypted pack's passphrase was asked for
        dlg = page.pack_dialog
        assert isinstance(dlg, PackReportDialog)
        assert dlg.doubles.rowCount() == 1 and dlg.doubles.item(0, 0).text() == "李娜"
        assert "前台" in dlg.doubles.item(0, 1).text() and "笔记本" in dlg.doubles.item(0, 2).text()
        assert dlg.conflicts.rowCount() == 0
        assert "2 scans added" in dlg.summary.text()
        json_dlg = dlg.show_json()
        assert '"scans_added": 2' in json_dlg.text.toPlainText()
        dlg.close()
        with dealer_sqlite.read() as s:
            rb = s.get(Registration, b.registration_id)
            assert rb is not None and rb.checked_in_desk == "笔记本"

        kinds = [page.history_table.item(r, 1).text() for r in range(page.history_table.rowCount())]
        assert kinds[:2] == ["Event pack import", "Event pack export"]
        assert "1 double entries" in page.history_table.item(0, 2).text()
        page.history_table.itemDoubleClicked.emit(page.history_table.item(0, 2))
        report = page.report_dialog
        assert isinstance(report, JsonReportDialog)
        assert "double_entries" in report.text.toPlainText()
        assert "李娜" in report.text.toPlainText(), "Chinese shown as text, not \\u escapes"


def test_a_truncated_pack_is_refused_with_a_clear_message(
    qtbot: Any, dealer_sqlite: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ev = make_event(dealer_sqlite)
    register(dealer_sqlite, ev)
    res = packs.export_pack(dealer_sqlite, ev, tmp_path / "ok.pack")
    cut = tmp_path / "cut.pack"
    cut.write_bytes(res.path.read_bytes()[:6000])
    choose_open(monkeypatch, cut)
    with app_context(dealer_sqlite, tmp_path, language="zh") as ctx:
        page = SyncPage(ctx)
        qtbot.addWidget(page)
        page.import_pack()
        qtbot.waitUntil(lambda: page.pack_import_button.isEnabled(), timeout=20000)
        assert "不完整" in page.pack_message.text() and page.pack_dialog is None
