"""`paddock report / followup / feedback / today` from a shell: one JSON object, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from desktop_app.cli import main
from desktop_app.store.db import Database
from tests.reports_support import Clock, Quarter, build_quarter, local

SURVEY = Path(__file__).parents[1] / "fixtures" / "reports" / "survey_wjx.xlsx"


@pytest.fixture
def quarter(dealer_sqlite: Database, monkeypatch: pytest.MonkeyPatch) -> Quarter:
    clock = Clock(monkeypatch)
    q = build_quarter(dealer_sqlite, clock)
    clock.set(local(2026, 3, 8, 9))  # the morning after the open day
    return q


def run(capsys: pytest.CaptureFixture[str], db: Database, *argv: str) -> tuple[int, str, str]:
    try:
        code = main(["--db", db.url, *argv])
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def run_json(capsys: pytest.CaptureFixture[str], db: Database, *argv: str) -> dict:
    code, out, err = run(capsys, db, *argv, "--json")
    assert code == 0, err
    assert len(out.strip().splitlines()) == 1
    return json.loads(out)


def test_report_event_json_is_the_design_shape(
    capsys: pytest.CaptureFixture[str], dealer_sqlite: Database, quarter: Quarter
) -> None:
    data = run_json(capsys, dealer_sqlite, "report", "event", str(quarter.a))
    assert (data["registered"], data["attended"], data["walk_ins"], data["no_shows"]) == (
        10,
        8,
        2,
        4,
    )
    assert data["attendance_rate"] == 0.6 and data["avg_rating"] == 4.0


def test_report_event_human_text(
    capsys: pytest.CaptureFixture[str], dealer_sqlite: Database, quarter: Quarter
) -> None:
    code, out, _err = run(capsys, dealer_sqlite, "report", "event", str(quarter.a))
    assert code == 0 and "三月开放日" in out and "60.0%" in out


def test_report_community_json(
    capsys: pytest.CaptureFixture[str], dealer_sqlite: Database, quarter: Quarter
) -> None:
    data = run_json(
        capsys, dealer_sqlite, "report", "community", "--from", "2026-01-01", "--to", "2026-03-31"
    )
    # the morning after the open day: the member day D (03-09) has not started yet
    assert (data["events"], data["registered"], data["attended"], data["repeat_attendees"]) == (
        2,
        13,
        10,
        1,
    )
    assert (data["upcoming_events"], data["cancelled_events"]) == (1, 1)
    assert [m["month"] for m in data["by_month"]] == ["2026-01", "2026-02", "2026-03"]


def test_report_export_writes_xlsx_and_pdf(
    capsys: pytest.CaptureFixture[str], dealer_sqlite: Database, quarter: Quarter, tmp_path: Path
) -> None:
    xlsx = tmp_path / "open_day.xlsx"
    data = run_json(
        capsys,
        dealer_sqlite,
        "report",
        "export",
        "event",
        str(quarter.a),
        "--out",
        str(xlsx),
        "--lang",
        "zh",
    )
    assert data["file"] == str(xlsx)
    assert "概览" in openpyxl.load_workbook(xlsx).sheetnames
    pdf = tmp_path / "q1.pdf"
    run_json(
        capsys,
        dealer_sqlite,
        "report",
        "export",
        "community",
        "--from",
        "2026-01-01",
        "--to",
        "2026-03-31",
        "--out",
        str(pdf),
    )
    assert pdf.read_bytes()[:4] == b"%PDF"


def test_bad_input_exits_1_with_one_line_and_no_file(
    capsys: pytest.CaptureFixture[str], dealer_sqlite: Database, quarter: Quarter, tmp_path: Path
) -> None:
    code, out, err = run(
        capsys,
        dealer_sqlite,
        "report",
        "export",
        "event",
        str(quarter.a),
        "--out",
        str(tmp_path / "out" / "x.docx"),
    )
    assert (code, out) == (1, "") and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "out").exists()
    code, _out, err = run(
        capsys, dealer_sqlite, "report", "community", "--from", "2026-03-01", "--to", "2026-01-01"
    )
    assert code == 1 and err.strip()
    code, _out, _err = run(capsys, dealer_sqlite, "report", "event", "not-an-id")
    assert code == 1


def test_followup_no_shows_to_csv(
    capsys: pytest.CaptureFixture[str], dealer_sqlite: Database, quarter: Quarter, tmp_path: Path
) -> None:
    out = tmp_path / "no_shows.csv"
    data = run_json(
        capsys,
        dealer_sqlite,
        "followup",
        "no_shows",
        "--event",
        str(quarter.a),
        "--out",
        str(out),
        "--lang",
        "zh",
    )
    assert data["count"] == 4 and len(data["items"]) == 4
    lines = out.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].startswith("姓名,手机号") and len(lines) == 5


def test_followup_dormant_assigned_to_a_butler(
    capsys: pytest.CaptureFixture[str], dealer_sqlite: Database, quarter: Quarter
) -> None:
    data = run_json(
        capsys, dealer_sqlite, "followup", "dormant", "--months", "1", "--assign", str(quarter.li)
    )
    assert data["assigned"]["updated"] == data["count"] == 2


def test_feedback_add_and_import(
    capsys: pytest.CaptureFixture[str], dealer_sqlite: Database, quarter: Quarter
) -> None:
    data = run_json(
        capsys,
        dealer_sqlite,
        "feedback",
        "add",
        str(quarter.r["R5"]),
        "--rating",
        "5",
        "--nps",
        "10",
        "--comment",
        "很好",
    )
    assert data["created"] is True and data["rating"] == 5
    code, _out, err = run(
        capsys, dealer_sqlite, "feedback", "add", str(quarter.r["R5"]), "--rating", "9"
    )
    assert code == 1 and "1 to 5" in err
    rep = run_json(capsys, dealer_sqlite, "feedback", "import", str(quarter.a), str(SURVEY))
    # 刘洋's 满意度 7 is left out with a warning; his NPS and comment come in
    assert rep["rejected"] == []
    assert [(w["row"], w["field"], w["value"]) for w in rep["warnings"]] == [(8, "rating", "7")]
    assert rep["unchanged"] == 0 and rep["updated"] == 3  # R5 (desk → survey), R1, 刘洋
    assert sum(rep["buckets"].values()) == rep["rows"]


def test_today_json(
    capsys: pytest.CaptureFixture[str], dealer_sqlite: Database, quarter: Quarter
) -> None:
    data = run_json(capsys, dealer_sqlite, "today")
    assert [e["title"] for e in data["this_week"]] == ["会员日"]
