"""Report exports: .xlsx with numbers and native charts, PDF pages a person can read."""

from __future__ import annotations

import os
import shutil
import subprocess
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from desktop_app.domain.errors import ValidationError
from desktop_app.io.report_export import export_report, label, write_rows
from desktop_app.services.reports import community_report, event_report
from desktop_app.store.db import Database
from tests.reports_support import Clock, Quarter, build_quarter, local

AFTER_A = local(2026, 3, 8, 9)
LOOK = os.environ.get("PADDOCK_LOOK_DIR")  # set to keep the rendered pages for a human look


@pytest.fixture
def quarter(dealer_sqlite: Database, monkeypatch: pytest.MonkeyPatch) -> Quarter:
    return build_quarter(dealer_sqlite, Clock(monkeypatch))


def _cells(path: Path, sheet: str) -> list[list[object]]:
    wb = CalamineWorkbook.from_path(str(path))
    return wb.get_sheet_by_name(sheet).to_python()


def _render(pdf: Path) -> list[Path]:
    out = pdf.with_suffix("")
    subprocess.run(["pdftoppm", "-png", "-r", "50", str(pdf), str(out)], check=True)
    pages = sorted(pdf.parent.glob(out.name + "-*.png"))
    if LOOK:
        Path(LOOK).mkdir(parents=True, exist_ok=True)
        for p in pages:
            shutil.copy(p, Path(LOOK) / p.name)
    return pages


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_event_report_xlsx_has_the_numbers_and_charts(
    dealer_sqlite: Database, quarter: Quarter, tmp_path: Path, lang: str
) -> None:
    rep = event_report(dealer_sqlite, quarter.a, now=AFTER_A)
    out = export_report(rep, tmp_path / f"event_{lang}.xlsx", lang)
    summary = {r[0]: r[1] for r in _cells(out, label("summary", lang)) if len(r) > 1}
    assert summary[label("registered", lang)] == 10
    assert summary[label("attended", lang)] == 8
    assert summary[label("walk_ins", lang)] == 2
    assert summary[label("attendance_rate", lang)] == 0.6
    assert summary[label("cost_per_attendee", lang)] == 750
    arrivals = _cells(out, label("arrivals", lang))
    assert arrivals[1:] == [["14:00", 2], ["14:10", 2], ["14:20", 1], ["14:30", 1], ["14:40", 2]]
    wb = openpyxl.load_workbook(out)
    charts = {
        name: len(wb[label(name, lang)]._charts)
        for name in ("summary", "arrivals", "by_source", "by_butler")
    }
    assert charts == {"summary": 1, "arrivals": 1, "by_source": 1, "by_butler": 1}
    assert not list(tmp_path.glob(".*"))  # no temp file left behind


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_community_report_xlsx_has_months_and_charts(
    dealer_sqlite: Database, quarter: Quarter, tmp_path: Path, lang: str
) -> None:
    rep = community_report(dealer_sqlite, date(2026, 1, 1), date(2026, 3, 31), now=AFTER_A)
    out = export_report(rep, tmp_path / "community.xlsx", lang)
    months = _cells(out, label("months", lang))
    assert months[1] == ["2026-01", 1, 3, 2, 0, 2]
    assert months[3] == ["2026-03", 2, 10, 8, 2, 8]
    wb = openpyxl.load_workbook(out)
    assert len(wb[label("months", lang)]._charts) == 2  # trend line + events bar
    assert len(wb[label("types", lang)]._charts) == 1  # pie
    assert len(wb[label("summary", lang)]._charts) == 1  # funnel
    assert len(wb[label("butlers", lang)]._charts) == 1
    board = _cells(out, label("leaderboard", lang))
    assert board[1][0] == "孙丽" and board[1][3] == 2


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_report_pdfs_are_real_pdfs_that_render(
    dealer_sqlite: Database, quarter: Quarter, tmp_path: Path, lang: str
) -> None:
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) not installed")
    ev = export_report(
        event_report(dealer_sqlite, quarter.a, now=AFTER_A), tmp_path / f"event_{lang}.pdf", lang
    )
    cm = export_report(
        community_report(dealer_sqlite, date(2026, 1, 1), date(2026, 3, 31), now=AFTER_A),
        tmp_path / f"community_{lang}.pdf",
        lang,
    )
    empty = export_report(
        event_report(dealer_sqlite, quarter.c, now=AFTER_A), tmp_path / f"empty_{lang}.pdf", lang
    )
    for pdf in (ev, cm, empty):
        assert pdf.read_bytes()[:4] == b"%PDF"
        pages = _render(pdf)
        assert pages and all(p.stat().st_size > 1000 for p in pages)


def test_follow_up_rows_export_to_csv_and_xlsx(tmp_path: Path) -> None:
    rows = [["王伟", "+8613800138001", "=cmd()"], ["李娜", None, "ok"]]
    csv_path = write_rows(tmp_path / "list.csv", ["姓名", "手机号", "备注"], rows)
    text = csv_path.read_text(encoding="utf-8-sig")
    assert text.splitlines()[1] == "王伟,+8613800138001,'=cmd()"  # formula neutralised
    xlsx = write_rows(tmp_path / "list.xlsx", ["姓名", "手机号", "备注"], rows)
    assert _cells(xlsx, "List")[2] == ["李娜", "", "ok"]


def test_export_refuses_an_unknown_file_type(dealer_sqlite: Database, tmp_path: Path) -> None:
    with pytest.raises(ValidationError):
        write_rows(tmp_path / "x.txt", ["a"], [])
