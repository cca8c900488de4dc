"""HQ export: a dealer sends HQ a workbook that a second reader opens with the documented
sheets, types and counts; masked/hashed files hold no phone number; incremental exports
only what changed; formula-looking text stays text, byte for byte; a cancelled export
leaves no file."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import python_calamine as pc
from sqlalchemy import select, update

from desktop_app.domain.errors import Cancelled, RuleViolation
from desktop_app.io import hq_workbook as hw
from desktop_app.services import hq_export
from desktop_app.services.hq_export import export_hq, set_hash_key
from desktop_app.store.db import Database
from desktop_app.store.models import AuditEntry, Base, Person, SyncOperation
from tests.hq_support import build_community

ELEVEN_DIGITS = re.compile(r"\d{11}")
UUIDS = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
HQ_KEY = "hq-2026-national-key-7f3a9c"


def all_cells(path: Path) -> list[Any]:
    wb = pc.CalamineWorkbook.from_path(str(path))
    return [
        v for name in wb.sheet_names for row in wb.get_sheet_by_name(name).to_python() for v in row
    ]


def sheet_rows(path: Path, sheet: str) -> list[list[Any]]:
    return pc.CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet).to_python()


def backdate(db: Database, hours: int = 2) -> None:
    """Make everything look older than the incremental overlap window."""
    old = datetime.now(UTC) - timedelta(hours=hours)
    with db.write() as s:
        for table in Base.metadata.sorted_tables:
            if table.name in {sh.table for sh in hw.SHEETS}:
                s.execute(update(table).values(updated_at=old))


def test_export_opens_in_calamine_and_openpyxl_with_documented_sheets_types_and_counts(
    dealer_db: Database, tmp_path: Path
) -> None:
    # dealer_db is already initialised; build_community inits again with the same code
    build_community(dealer_db)
    out = tmp_path / "SH-0021_hq.xlsx"
    report = export_hq(dealer_db, out, pii="full")

    wb = pc.CalamineWorkbook.from_path(str(out))
    assert wb.sheet_names == [hw.META_SHEET, hw.COLUMNS_SHEET, *(s.name for s in hw.SHEETS)]
    meta = {r[0]: r[1] for r in wb.get_sheet_by_name("_meta").to_python()[1:]}
    assert meta["schema_version"] == hw.SCHEMA_VERSION == 2 and meta["dealer_code"] == "SH-0021"
    assert meta["pii_mode"] == "full" and meta["mode"] == "full"
    for sheet in hw.SHEETS:
        rows = wb.get_sheet_by_name(sheet.name).to_python()
        assert tuple(rows[0]) == sheet.keys, sheet.name
        assert len(rows) - 1 == meta[f"rows.{sheet.name}"] == report.rows[sheet.name]
    assert report.rows["people"] == 14 and report.rows["events"] == 2
    assert report.rows["checkins"] >= 10 and report.rows["feedback"] == 5

    # Types: datetimes are real dates, numbers are numbers, booleans are booleans.
    regs = wb.get_sheet_by_name("registrations").to_python()
    head = regs[0]
    row = dict(zip(head, regs[1], strict=True))
    assert isinstance(row["updated_at"], datetime)
    assert isinstance(row["party_size"], int | float) and row["party_size"] == 1
    assert row["deleted"] is False and row["dealer_code"] == "SH-0021"
    events = wb.get_sheet_by_name("events").to_python()
    ev = dict(zip(events[0], events[1], strict=True))
    assert ev["budget"] == 3000.0 and isinstance(ev["starts_at"], datetime)

    # The contract's own reader accepts it and returns typed rows.
    parsed = hw.read_workbook(out)
    assert len(parsed.sheets["registrations"]) == report.rows["registrations"]
    assert any(p["phone"] == "+8613812340000" for p in parsed.sheets["people"])

    # openpyxl sees the frozen header, the autofilter and the column labels sheet.
    book = openpyxl.load_workbook(out)
    ws = book["people"]
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref and ws.auto_filter.ref.startswith("A1:")
    assert ws.cell(2, 3).is_date  # updated_at
    labels = {(r[0], r[1]): r[2] for r in book["_columns"].iter_rows(min_row=2, values_only=True)}
    assert labels[("people", "name")] == "姓名"
    assert "UTC" in labels[("registrations", "checked_in_at")]


@pytest.mark.parametrize("mode", ["masked", "hashed"])
def test_masked_and_hashed_exports_contain_no_phone_number_anywhere(
    dealer_db: Database, tmp_path: Path, mode: str
) -> None:
    c = build_community(dealer_db)
    if mode == "hashed":
        set_hash_key(dealer_db, HQ_KEY)
    out = tmp_path / f"{mode}.xlsx"
    export_hq(dealer_db, out, pii=mode)
    cells = [str(v) for v in all_cells(out)]
    # Every cell, every sheet: no run of 11 digits (UUIDs removed first: their last group
    # may be all digits by chance).
    leaks = [v for v in cells if ELEVEN_DIGITS.search(UUIDS.sub("", v))]
    assert leaks == []
    assert not any(p in v for p in c.phones for v in cells)
    people = hw.read_workbook(out).sheets["people"]
    assert all(p["phone"] is None or re.fullmatch(r"1\d\d\*{4}\d{4}", p["phone"]) for p in people)
    assert all(len(p["name"]) >= 2 and p["name"][1:] == "*" * (len(p["name"]) - 1) for p in people)
    feedback = hw.read_workbook(out).sheets["feedback"]
    assert any("139****5678" in (f["comment"] or "") for f in feedback)  # typed-in number masked
    if mode == "hashed":
        hashes = {p["phone_hash"] for p in people}
        assert None not in hashes and len(hashes) == len(people)
    else:
        assert all(p["phone_hash"] is None for p in people)


def test_hashed_phone_is_equal_across_dealers_with_the_same_hq_key(
    db: Database, tmp_path: Path
) -> None:
    assert hw.phone_hash("+8613812340000", HQ_KEY.encode()) == hw.phone_hash(
        "+8613812340000", HQ_KEY.encode()
    )
    assert hw.phone_hash("+8613812340000", HQ_KEY.encode()) != hw.phone_hash(
        "+8613812340000", b"another-dealer-own-key"
    )
    build_community(db)
    set_hash_key(db, HQ_KEY)
    out = tmp_path / "h.xlsx"
    export_hq(db, out, pii="hashed")
    people = hw.read_workbook(out).sheets["people"]
    expected = hw.phone_hash("+8613812340000", HQ_KEY.encode())
    assert expected in {p["phone_hash"] for p in people}


def test_hashed_export_without_the_hq_key_is_refused_and_writes_nothing(
    dealer_db: Database, tmp_path: Path
) -> None:
    with pytest.raises(RuleViolation, match="hash-key-file"):
        export_hq(dealer_db, tmp_path / "x.xlsx", pii="hashed")
    assert not (tmp_path / "x.xlsx").exists()


def test_incremental_export_holds_only_what_changed_since_the_last_export(
    dealer_db: Database, tmp_path: Path
) -> None:
    build_community(dealer_db)
    backdate(dealer_db)
    first = export_hq(dealer_db, tmp_path / "full.xlsx", mode="full", pii="masked")
    assert first.rows["people"] == 14 and first.watermark is not None
    with dealer_db.write() as s:
        p = s.scalars(select(Person).order_by(Person.name).limit(1)).one()
        p.tier = "gold"
        changed_id = str(p.id)
    just_changed = export_hq(
        dealer_db, tmp_path / "one.xlsx", mode="since_last", overlap=timedelta(0)
    )
    assert just_changed.rows["people"] == 1 and sum(just_changed.rows.values()) == 1
    one = hw.read_workbook(tmp_path / "one.xlsx").sheets["people"][0]
    assert one["id"] == changed_id and one["tier"] == "gold"
    # The default overlap re-sends the last minutes before the previous watermark (HQ
    # dedupes them); with no overlap, exactly the changed row travels.
    overlapping = export_hq(dealer_db, tmp_path / "ov.xlsx", mode="since_last")
    assert overlapping.since == just_changed.watermark - hq_export.OVERLAP
    assert overlapping.rows["people"] == 1 and sum(overlapping.rows.values()) == 1
    second = export_hq(
        dealer_db, tmp_path / "inc.xlsx", mode="since_last", pii="masked", overlap=timedelta(0)
    )
    assert second.since == overlapping.watermark
    assert second.rows["people"] == 0
    assert sum(second.rows.values()) == 0  # nothing changed since: an empty, valid file
    parsed = hw.read_workbook(tmp_path / "ov.xlsx")
    assert parsed.meta["mode"] == "since_last" and parsed.meta["since"] is not None
    assert {p["id"]: p["tier"] for p in parsed.sheets["people"]}[changed_id] == "gold"
    with dealer_db.read() as s:
        ops = s.scalars(select(SyncOperation).where(SyncOperation.kind == "hq_export")).all()
        assert len(ops) == 4 and all(op.report["rows"] for op in ops)


def test_soft_deleted_rows_travel_with_a_deleted_flag(dealer_db: Database, tmp_path: Path) -> None:
    build_community(dealer_db)
    with dealer_db.write() as s:
        p = s.scalars(select(Person).order_by(Person.name).limit(1)).one()
        p.deleted_at = datetime.now(p.created_at.tzinfo)
        gone = str(p.id)
    export_hq(dealer_db, tmp_path / "x.xlsx")
    people = {p["id"]: p for p in hw.read_workbook(tmp_path / "x.xlsx").sheets["people"]}
    assert people[gone]["deleted"] is True and people[gone]["deleted_at"] is not None


def test_text_that_looks_like_a_formula_stays_text_byte_for_byte(
    dealer_db: Database, tmp_path: Path
) -> None:
    build_community(dealer_db)
    with dealer_db.write() as s:
        p = s.scalars(select(Person).order_by(Person.name).limit(1)).one()
        p.wechat = '=HYPERLINK("http://evil.example","点我")'
        p.source = "+cmd|' /C calc'!A0"
        p.email = "@SUM(1+1)"
    out = tmp_path / "x.xlsx"
    export_hq(dealer_db, out, pii="full")
    cells = [v for v in all_cells(out) if isinstance(v, str)]
    assert '=HYPERLINK("http://evil.example","点我")' in cells
    assert "+cmd|' /C calc'!A0" in cells and "@SUM(1+1)" in cells
    assert not any(v[:1] == "'" for v in cells)  # no apostrophe is ever content
    # No cell is a formula; each formula-looking text has Excel's quote-prefix style.
    book = openpyxl.load_workbook(out)
    texts = [c for ws in book for row in ws.iter_rows() for c in row if c.data_type != "n"]
    assert all(c.data_type != "f" for c in texts)
    looking = [c for c in texts if isinstance(c.value, str) and c.value[:1] in "=+-@"]
    assert len(looking) >= 17 and all(c.quotePrefix for c in looking)  # 14 phones + 3
    # The contract reader gives the same text back.
    people = hw.read_workbook(out).sheets["people"]
    assert '=HYPERLINK("http://evil.example","点我")' in {p["wechat"] for p in people}


def test_cancelling_an_export_midway_leaves_no_file_and_no_temp_file(
    dealer_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_community(dealer_db)
    monkeypatch.setattr(hq_export, "_TICK", 5)
    calls = {"n": 0}

    def cancel_after_two() -> bool:
        calls["n"] += 1
        return calls["n"] >= 2

    out_dir = tmp_path / "exports"
    out_dir.mkdir()
    with pytest.raises(Cancelled):
        export_hq(dealer_db, out_dir / "x.xlsx", is_cancelled=cancel_after_two)
    assert list(out_dir.iterdir()) == []
    with dealer_db.read() as s:
        assert s.scalars(select(SyncOperation)).all() == []


def test_a_failing_export_keeps_the_previous_file_intact(
    dealer_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_community(dealer_db)
    out = tmp_path / "exports" / "x.xlsx"
    out.parent.mkdir()
    export_hq(dealer_db, out)
    before = out.read_bytes()

    def boom(*_a: Any, **_k: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(hq_export, "_write_columns", boom)
    with pytest.raises(OSError):
        export_hq(dealer_db, out)
    assert out.read_bytes() == before
    assert [p.name for p in out.parent.iterdir()] == ["x.xlsx"]


def test_a_killed_export_never_leaves_a_partial_file_under_the_target_name(
    tmp_path: Path, _migrated_sqlite: Path
) -> None:
    import shutil

    db_file = tmp_path / "d.sqlite"
    shutil.copyfile(_migrated_sqlite, db_file)
    out = tmp_path / "out" / "x.xlsx"
    out.parent.mkdir()
    code = (
        "import os, sys\n"
        "from desktop_app.store.db import open_database\n"
        "from desktop_app.services import hq_export\n"
        "from tests.hq_support import build_community\n"
        f"db = open_database({str(db_file)!r})\n"
        "build_community(db)\n"
        "hq_export._TICK = 3\n"
        "def die(): os._exit(9)\n"
        f"hq_export.export_hq(db, {str(out)!r}, is_cancelled=die)\n"
    )
    root = Path(__file__).resolve().parents[2]
    proc = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, timeout=120)
    assert proc.returncode == 9, proc.stderr.decode()[-2000:]
    assert not out.exists()


def test_export_is_audited_with_its_pii_mode(dealer_db: Database, tmp_path: Path) -> None:
    build_community(dealer_db)
    export_hq(dealer_db, tmp_path / "x.xlsx", pii="masked")
    with dealer_db.read() as s:
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "hq.export")).one()
        assert entry.detail["pii_mode"] == "masked" and entry.detail["rows"] > 0


def test_accepted_only_option_leaves_refused_scans_out(dealer_db: Database, tmp_path: Path) -> None:
    build_community(dealer_db)
    every = export_hq(dealer_db, tmp_path / "all.xlsx", checkins="all")
    accepted = export_hq(dealer_db, tmp_path / "acc.xlsx", checkins="accepted")
    assert accepted.rows["checkins"] < every.rows["checkins"]
    results = {r["result"] for r in hw.read_workbook(tmp_path / "acc.xlsx").sheets["checkins"]}
    assert results == {"accepted"}


def test_cli_export_hq_prints_one_json_object_and_stores_the_hash_key(
    dealer_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    from desktop_app.cli import main

    build_community(dealer_db)
    key_file = tmp_path / "hq.key"
    key_file.write_text(HQ_KEY + "\n", encoding="utf-8")
    out = tmp_path / "cli.xlsx"
    code = main(
        ["--db", dealer_db.url, "--json", "export", "hq", "--out", str(out), "--pii", "hashed",
         "--hash-key-file", str(key_file)]
    )  # fmt: skip
    assert code == 0
    data = json.loads(capsys.readouterr().out)
    assert data["pii_mode"] == "hashed" and data["rows"]["people"] == 14
    assert out.exists()
    code = main(
        ["--db", dealer_db.url, "--json", "export", "hq", "--out", str(out), "--since-last"]
    )
    assert code == 0
    assert json.loads(capsys.readouterr().out)["mode"] == "since_last"


def test_a_sheet_longer_than_excel_holds_is_refused_before_anything_is_written(
    dealer_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # xlsxwriter silently drops rows past Excel's 1,048,576: the export must say so instead.
    build_community(dealer_db)
    monkeypatch.setattr(hw, "MAX_SHEET_ROWS", 3)
    out = tmp_path / "exports" / "x.xlsx"
    out.parent.mkdir()
    with pytest.raises(RuleViolation) as err:
        export_hq(dealer_db, out)
    assert err.value.code == "sheet_rows_over_export"
    assert "more than the 3 an Excel sheet holds" in str(err.value)
    assert "--since-last" in err.value.localized("zh")
    assert list(out.parent.iterdir()) == []
