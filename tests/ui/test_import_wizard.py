"""The import wizard as a user drives it: pick a DMS export, check the columns, dry run,
import, read the rejected rows, export them; cancel halfway and find nothing changed."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from desktop_app.services import people
from desktop_app.store.db import Database
from desktop_app.store.models import Person, Vehicle
from tests.ui.helpers import app_context
from ui.context import AppContext
from ui.views.import_wizard import (
    PAGE_FILE,
    PAGE_MAPPING,
    PAGE_REPORT,
    ImportWizard,
)

FIXTURES = Path(__file__).parents[1] / "fixtures" / "people"
DMS_XLSX = FIXTURES / "dms_export.xlsx"
# The fixture's only row with nobody in it (tests/fixtures/make_people.py); the rows with
# a phone or VIN that cannot be used come in with a warning.
REJECTED_ROWS = [18]
WARNED_ROWS = [11, 12, 13, 14, 15, 20, 22]


@pytest.fixture
def ctx(dealer_sqlite: Database, tmp_path: Path) -> Iterator[AppContext]:
    with app_context(dealer_sqlite, tmp_path) as c:
        yield c


@pytest.fixture
def wizard(qtbot, ctx: AppContext) -> ImportWizard:  # type: ignore[no-untyped-def]
    w = ImportWizard(ctx)
    qtbot.addWidget(w)
    w.show()
    return w


def counts(db: Database) -> tuple[int, int]:
    with db.read() as s:
        return (
            s.scalar(select(func.count()).select_from(Person)) or 0,
            s.scalar(select(func.count()).select_from(Vehicle)) or 0,
        )


def open_file(qtbot, wizard: ImportWizard, path: Path) -> None:  # type: ignore[no-untyped-def]
    wizard.path_edit.setText(str(path))
    qtbot.mouseClick(wizard.next_button, _left())
    qtbot.waitUntil(lambda: wizard.pages.currentIndex() == PAGE_MAPPING, timeout=10_000)


def press_next_and_wait_for_report(qtbot, wizard: ImportWizard) -> None:  # type: ignore[no-untyped-def]
    qtbot.mouseClick(wizard.next_button, _left())
    qtbot.waitUntil(
        lambda: wizard.pages.currentIndex() == PAGE_REPORT and not wizard.running, timeout=20_000
    )


def _left():  # type: ignore[no-untyped-def]
    from PySide6.QtCore import Qt

    return Qt.MouseButton.LeftButton


def combo_for(wizard: ImportWizard, header: str):  # type: ignore[no-untyped-def]
    for row in range(wizard.mapping.columns.rowCount()):
        if wizard.mapping.columns.item(row, 0).text().endswith(header):
            return wizard.mapping.columns.cellWidget(row, 1)
    raise AssertionError(f"no column {header}")


def rejected_rows(wizard: ImportWizard) -> list[int]:
    t = wizard.rejected_table
    return [int(t.item(r, 0).text()) for r in range(t.rowCount())]


def test_the_columns_of_a_dms_export_are_guessed_from_chinese_headers(qtbot, wizard) -> None:  # type: ignore[no-untyped-def]
    open_file(qtbot, wizard, DMS_XLSX)
    assert combo_for(wizard, "客户姓名").currentData() == "name"
    assert combo_for(wizard, "手机号码").currentData() == "phone"
    assert combo_for(wizard, "车架号").currentData() == "vin"
    assert combo_for(wizard, "车牌号").currentData() == "plate"
    assert combo_for(wizard, "销售顾问").currentData() == "butler"
    assert combo_for(wizard, "序号").currentData() is None  # a row counter is not data
    assert "header on row 3" in wizard.mapping.info.text()  # the title row was skipped
    assert "13800138000" in wizard.mapping.columns.item(2, 2).text()  # raw first values
    checks = [wizard.mapping.rows.item(r, wizard.mapping.rows.columnCount() - 1).text()
              for r in range(wizard.mapping.rows.rowCount())]  # fmt: skip
    assert any("masked" in c for c in checks)


def test_dry_run_changes_nothing_then_import_reports_the_rejected_rows(
    qtbot, wizard, ctx: AppContext
) -> None:  # type: ignore[no-untyped-def]
    open_file(qtbot, wizard, DMS_XLSX)
    before = counts(ctx.db)
    press_next_and_wait_for_report(qtbot, wizard)  # dry run
    assert wizard.report_is_dry_run
    assert "Nothing has been saved yet" in wizard.report_summary.text()
    assert rejected_rows(wizard) == REJECTED_ROWS
    assert counts(ctx.db) == before
    with qtbot.waitSignal(wizard.imported, timeout=20_000) as imported:
        press_next_and_wait_for_report(qtbot, wizard)  # the real import
    report = imported.args[0].to_json()
    assert not wizard.report_is_dry_run
    assert rejected_rows(wizard) == REJECTED_ROWS
    reasons = {int(wizard.warnings_table.item(r, 0).text()): wizard.warnings_table.item(r, 3).text()
               for r in range(wizard.warnings_table.rowCount())}  # fmt: skip
    assert sorted(reasons) == WARNED_ROWS
    assert "masked" in reasons[11] and "landline" in reasons[12] and "check digit" in reasons[14]
    shown = wizard.buckets.values  # every bucket on the page, adding up to the rows
    assert shown["created"] == report["created"] and shown["rows"] == report["rows"] == 18
    assert sum(v for k, v in shown.items() if k not in ("rows", "warnings")) == shown["rows"]
    assert "row 9 repeats row 5" in wizard.buckets.links.text()
    assert "row 6 adds to row 4" in wizard.buckets.links.text()
    assert counts(ctx.db)[0] == before[0] + report["created"]
    zhang = people.find_by_phone(ctx.db, "13800138000")
    assert zhang is not None and zhang.name == "张伟"
    assert len(people.list_vehicles(ctx.db, zhang.id)) == 2  # two rows, one person
    assert wizard.next_button.text() == "Finish"


def test_importing_the_same_file_again_changes_nothing(qtbot, ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    for attempt in range(2):
        w = ImportWizard(ctx)
        qtbot.addWidget(w)
        open_file(qtbot, w, DMS_XLSX)
        press_next_and_wait_for_report(qtbot, w)
        press_next_and_wait_for_report(qtbot, w)
        data = w.report.to_json()
        if attempt == 1:
            assert data["created"] == 0 and data["updated"] == 0
            assert data["unchanged"] > 0


def import_csv(qtbot, wizard: ImportWizard, path: Path, content: str) -> None:  # type: ignore[no-untyped-def]
    """Write `content` as a UTF-8 CSV, open it and run the import to its report."""
    path.write_text(content, encoding="utf-8")
    open_file(qtbot, wizard, path)
    press_next_and_wait_for_report(qtbot, wizard)


def save_rejected_csv(qtbot, wizard: ImportWizard, target: Path, monkeypatch) -> list[list[str]]:  # type: ignore[no-untyped-def]
    """Press "Save rejected rows…", answer the file dialog with `target`, read the CSV."""
    monkeypatch.setattr(
        "ui.views.import_wizard.get_save_file_name",
        lambda *a, **k: (str(target), "CSV files (*.csv)"),
    )
    qtbot.mouseClick(wizard.export_button, _left())
    with target.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f))


def test_rejected_rows_can_be_saved_as_csv_with_row_numbers_and_reasons(
    qtbot, wizard, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    open_file(qtbot, wizard, DMS_XLSX)
    press_next_and_wait_for_report(qtbot, wizard)
    rows = save_rejected_csv(qtbot, wizard, tmp_path / "rejected.csv", monkeypatch)
    assert rows[0] == ["Row", "Column", "Value", "Reason"]
    assert [int(r[0]) for r in rows[1:]] == REJECTED_ROWS
    assert rows[1][2] == "" and rows[1][3] == "no name, phone or VIN"


def test_unmapping_the_vin_column_stops_vin_warnings(qtbot, wizard) -> None:  # type: ignore[no-untyped-def]
    open_file(qtbot, wizard, DMS_XLSX)
    combo = combo_for(wizard, "车架号")
    combo.setCurrentIndex(combo.findData(None))
    qtbot.waitUntil(lambda: wizard.preview.mapping.get("vin") is None, timeout=10_000)
    assert combo_for(wizard, "车架号").currentData() is None  # the user's choice stays
    press_next_and_wait_for_report(qtbot, wizard)
    warned = [int(wizard.warnings_table.item(r, 0).text())
              for r in range(wizard.warnings_table.rowCount())]  # fmt: skip
    assert warned == [11, 12, 13, 20, 22]  # rows 14, 15 had bad VINs only


def test_a_file_that_cannot_be_read_says_why_and_stays_on_the_first_step(qtbot, wizard) -> None:  # type: ignore[no-untyped-def]
    wizard.path_edit.setText(str(FIXTURES / "truncated.xlsx"))
    qtbot.mouseClick(wizard.next_button, _left())
    qtbot.waitUntil(lambda: wizard.file_error.text() != "", timeout=10_000)
    assert wizard.pages.currentIndex() == PAGE_FILE
    assert "damaged" in wizard.file_error.text()


def test_a_chinese_desk_reads_why_a_file_cannot_be_read_in_chinese(
    qtbot, dealer_sqlite: Database, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    pdf = tmp_path / "客户名单.xlsx"  # a PDF someone renamed
    pdf.write_bytes(b"%PDF-1.4 not a sheet")
    with app_context(dealer_sqlite, tmp_path, language="zh") as zh:
        w = ImportWizard(zh)
        qtbot.addWidget(w)
        for path, said in (
            (FIXTURES / "truncated.xlsx", "无法读取 truncated.xlsx：文件已损坏"),
            (pdf, "无法读取 客户名单.xlsx：这是 PDF 文档，不是表格"),
        ):
            w.file_error.clear()
            w.path_edit.setText(str(path))
            qtbot.mouseClick(w.next_button, _left())
            qtbot.waitUntil(lambda: w.file_error.text() != "", timeout=10_000)
            assert w.file_error.text().startswith(said), w.file_error.text()


def _big_csv(path: Path, n: int) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["姓名", "手机号码", "车型"])
        for i in range(n):
            w.writerow([f"测试客户{i}", f"139{i:08d}", "帕萨特"])


def test_cancelling_mid_import_leaves_the_database_unchanged(
    qtbot, wizard, ctx: AppContext, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "big.csv"
    _big_csv(path, 20_000)
    open_file(qtbot, wizard, path)
    press_next_and_wait_for_report(qtbot, wizard)  # dry run first, as users do
    before = counts(ctx.db)
    # The user sees the progress bar move and presses Cancel.
    wizard.relay.progressed.connect(
        lambda done, total: wizard.cancel_button.isEnabled() and wizard.cancel_button.click()
    )
    qtbot.mouseClick(wizard.next_button, _left())
    qtbot.waitUntil(
        lambda: wizard.pages.currentIndex() == PAGE_REPORT and not wizard.running, timeout=30_000
    )
    assert wizard.report_title.text() == "Import cancelled"
    assert "Nothing was changed" in wizard.report_summary.text()
    ctx.write_pool.waitForDone()
    assert counts(ctx.db) == before


def test_a_workbook_with_several_sheets_lets_the_user_pick_the_right_one(
    qtbot, wizard, ctx: AppContext, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    from openpyxl import Workbook

    wb = Workbook()
    summary = wb.active
    summary.title = "汇总"
    summary.append(["月份", "新增客户数"])
    summary.append(["2026-10", 2])
    sheet = wb.create_sheet("客户名单")
    sheet.append(["客户姓名", "手机号码", "车型"])
    sheet.append(["高峰", "13600001111", "途岳"])
    sheet.append(["罗敏", "13600002222", "ID.4"])
    path = tmp_path / "two_sheets.xlsx"
    wb.save(path)
    open_file(qtbot, wizard, path)
    step = wizard.mapping
    assert step.sheet.isVisibleTo(wizard) and step.sheet.count() == 2
    # It opens on the sheet whose headers name people (not the summary before it)…
    assert wizard.preview.sheet == "客户名单" and step.sheet.currentText() == "客户名单"

    def pick(name: str) -> None:  # as when the user picks a sheet
        step.sheet.setCurrentText(name)
        step.sheet.activated.emit(step.sheet.currentIndex())
        qtbot.waitUntil(lambda: wizard.preview.sheet == name, timeout=10_000)

    # …and the user can look at another sheet and come back.
    pick("汇总")
    assert combo_for(wizard, "月份").currentData() in (None, "")
    pick("客户名单")
    qtbot.waitUntil(wizard.next_button.isEnabled, timeout=10_000)
    assert combo_for(wizard, "客户姓名").currentData() == "name"
    assert combo_for(wizard, "手机号码").currentData() == "phone"
    press_next_and_wait_for_report(qtbot, wizard)
    press_next_and_wait_for_report(qtbot, wizard)
    assert wizard.report.to_json()["created"] == 2
    assert people.find_by_phone(ctx.db, "13600002222").name == "罗敏"


def test_a_chinese_desk_sees_why_each_row_was_rejected_in_chinese(
    qtbot, dealer_sqlite: Database, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    with app_context(dealer_sqlite, tmp_path, language="zh") as zh:
        w = ImportWizard(zh)
        qtbot.addWidget(w)
        w.show()
        open_file(qtbot, w, DMS_XLSX)
        checks = {w.mapping.rows.item(r, 0).text(): w.mapping.rows.item(r, w.mapping.rows.columnCount() - 1).text()
                  for r in range(w.mapping.rows.rowCount())}  # fmt: skip
        assert checks["11"].startswith(
            "手机号：138****2046 是打码号码（****），无法使用；客户已导入"
        )
        press_next_and_wait_for_report(qtbot, w)  # dry run
        reasons = {w.rejected_table.item(r, 0).text(): w.rejected_table.item(r, 3).text()
                   for r in range(w.rejected_table.rowCount())}  # fmt: skip
        assert reasons == {"18": "没有姓名、手机号或车架号"}
        kept = {w.warnings_table.item(r, 0).text(): w.warnings_table.item(r, 3).text()
                for r in range(w.warnings_table.rowCount())}  # fmt: skip
        assert kept["12"].startswith("手机号：021-8888-9999 是座机号码，不是手机号；")


def test_the_report_lists_every_row_imported_with_a_warning(qtbot, wizard, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import_csv(
        qtbot,
        wizard,
        tmp_path / "two_phones.csv",
        "姓名,手机,备用电话,车牌\n张伟,021-62345678,13800138000,沪A\n李娜,13900139000,,沪A12345\n",
    )
    assert wizard.rejected_table.rowCount() == 0
    assert wizard.warnings_table.isVisibleTo(wizard)
    rows = [
        (wizard.warnings_table.item(r, 0).text(), wizard.warnings_table.item(r, 3).text())
        for r in range(wizard.warnings_table.rowCount())
    ]
    assert [row for row, _ in rows] == ["2", "2"]  # the phone and the plate of 张伟
    assert "the second number 13800138000 was imported" in rows[0][1]
    assert "Plate dropped" in rows[1][1]


def test_a_rejected_value_that_looks_like_a_formula_is_saved_as_text_in_the_csv(
    qtbot, wizard, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    import_csv(
        qtbot,
        wizard,
        tmp_path / "form.csv",
        # no name and a phone that is no phone: nothing says who row 3 is, so it is rejected
        '姓名,手机号\n王伟,13812345678\n,"=HYPERLINK(""http://evil.example"",""点我"")"\n',
    )
    rows = save_rejected_csv(qtbot, wizard, tmp_path / "rejected.csv", monkeypatch)
    # A CSV has no cell types: the ' is what keeps Excel from running the file's own text.
    assert rows[1][0] == "3" and rows[1][2] == '\'=HYPERLINK("http://evil.example","点我")'
