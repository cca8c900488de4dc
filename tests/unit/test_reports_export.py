"""Report exports: .xlsx with numbers and native charts, PDF pages a person can read."""

from __future__ import annotations

import os
import subprocess
from dataclasses import replace
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from desktop_app.domain.errors import ValidationError
from desktop_app.io.report_export import export_report, label, write_rows
from desktop_app.services.reports import FeedbackComment, community_report, event_report
from desktop_app.store.db import Database
from tests.pdf_support import image_count, needs_poppler, pdf_info, pdf_text, pdf_text_page
from tests.reports_support import Clock, Quarter, build_quarter, local

AFTER_A = local(2026, 3, 8, 9)
AFTER_D = local(2026, 3, 10, 12)  # the member day D is over: the whole quarter has been held
LOOK = os.environ.get("PADDOCK_LOOK_DIR")  # set to keep the rendered pages for a human look


@pytest.fixture
def quarter(dealer_sqlite: Database, monkeypatch: pytest.MonkeyPatch) -> Quarter:
    return build_quarter(dealer_sqlite, Clock(monkeypatch))


def _cells(path: Path, sheet: str) -> list[list[object]]:
    wb = CalamineWorkbook.from_path(str(path))
    return wb.get_sheet_by_name(sheet).to_python()


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
    rep = community_report(dealer_sqlite, date(2026, 1, 1), date(2026, 3, 31), now=AFTER_D)
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


def _words(text: str) -> str:
    """pdftotext output with line breaks and spaces dropped (table cells, wrapped titles)."""
    return "".join(text.split())


@needs_poppler
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_event_report_pdf_is_text_every_figure_readable(
    dealer_sqlite: Database, quarter: Quarter, tmp_path: Path, lang: str
) -> None:
    rep = event_report(dealer_sqlite, quarter.a, now=AFTER_A)
    pdf = export_report(rep, tmp_path / f"event_{lang}.pdf", lang, dealer="上海浦东星辰汽车")
    text = pdf_text(pdf)
    flat = _words(text)
    assert "上海浦东星辰汽车" in text and rep.title in text
    assert "2026-03-0714:00–18:00" in flat  # the event's date range, local time
    for key in ("registered", "attended", "walk_ins", "attendance_rate", "cost_per_attendee"):
        assert _words(label(key, lang)) in flat
    data = rep.to_json()
    for key in ("registered", "attended", "walk_ins", "no_shows", "points_awarded"):
        assert _words(label(key, lang)) + "" in flat
        assert str(data[key]) in text
    assert "60.0%" in text and "750" in text  # attendance rate, cost per attendee
    for b in rep.arrival_curve:  # the arrival chart's numbers are in its table too
        assert b.label in text
    for r in rep.by_butler:
        assert r.key in text
    for c in rep.comments:
        assert c.comment in text
    pages = int(pdf_info(pdf)["Pages"])
    page_word = "Page 1 of" if lang == "en" else "第1页/共"
    assert (page_word in text) if lang == "en" else (page_word in flat)
    assert pages >= 1 and image_count(pdf) == 0  # charts are vectors too
    _look(pdf)


@needs_poppler
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_community_report_pdf_carries_the_period_months_and_people(
    dealer_sqlite: Database, quarter: Quarter, tmp_path: Path, lang: str
) -> None:
    rep = community_report(dealer_sqlite, date(2026, 1, 1), date(2026, 3, 31), now=AFTER_D)
    pdf = export_report(rep, tmp_path / f"community_{lang}.pdf", lang, dealer="星辰汽车")
    text = pdf_text(pdf)
    flat = _words(text)
    assert "星辰汽车" in text and "2026-01-01" in text and "2026-03-31" in text
    for m in rep.by_month:  # every month's row: 2026-01 1 3 2 0 2
        row = f"{m.month}{m.events}{m.registered}{m.attended}{m.walk_ins}{m.unique_attendees}"
        assert row in flat
    for u in rep.leaderboard:
        assert u.name in text
    for b in rep.butlers:
        assert b.name in text
    for c in rep.clubs:
        assert c.name in text
    assert f"{100 * rep.totals.attendance_rate:.1f}%" in text
    _look(pdf)


@needs_poppler
def test_a_long_table_breaks_across_pages_with_its_header_repeated(
    dealer_sqlite: Database, quarter: Quarter, tmp_path: Path
) -> None:
    rep = event_report(dealer_sqlite, quarter.a, now=AFTER_A)
    many = tuple(
        FeedbackComment(f"客户{n:03d}", 1 + n % 5, n % 11, f"第 {n} 条意见：试驾路线很好")
        for n in range(140)
    )
    pdf = export_report(replace(rep, comments=many), tmp_path / "long.pdf", "zh", dealer="星辰")
    pages = int(pdf_info(pdf)["Pages"])
    assert pages >= 4
    header = _words(label("comment", "zh"))
    with_rows = 0
    for n in range(1, pages + 1):
        page = _words(pdf_text_page(pdf, n))
        assert f"第{n}页/共{pages}页" in page
        if "客户" in page:  # every page that holds feedback rows starts them with the header
            with_rows += 1
            assert header in page and _words(label("rating", "zh")) in page
    assert with_rows >= 3
    text = pdf_text(pdf)
    assert all(f"客户{n:03d}" in text for n in range(140))


@needs_poppler
def test_an_empty_report_says_so_and_a_cancelled_one_leaves_no_file(
    dealer_sqlite: Database, quarter: Quarter, tmp_path: Path
) -> None:
    from desktop_app.domain.errors import Cancelled

    out = tmp_path / "out"
    empty = export_report(
        event_report(dealer_sqlite, quarter.c, now=AFTER_A), out / "empty.pdf", "en"
    )
    assert "No registrations yet" in pdf_text(empty)
    rep = community_report(dealer_sqlite, date(2026, 1, 1), date(2026, 3, 31), now=AFTER_D)
    seen: list[tuple[int, int]] = []
    export_report(rep, out / "ok.pdf", "en", progress=lambda a, b: seen.append((a, b)))
    assert seen and seen[-1][0] == seen[-1][1]
    with pytest.raises(Cancelled):
        export_report(rep, out / "gone.pdf", "en", is_cancelled=lambda: True)
    assert sorted(p.name for p in out.iterdir()) == ["empty.pdf", "ok.pdf"]


def _look(pdf: Path) -> None:
    if LOOK:
        Path(LOOK).mkdir(parents=True, exist_ok=True)
        subprocess.run(["pdftoppm", "-png", "-r", "80", str(pdf), str(Path(LOOK) / pdf.stem)])


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
