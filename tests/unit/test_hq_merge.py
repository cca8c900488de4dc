"""HQ merge: HQ combines dealers' workbooks into one roll-up whose KPIs equal each dealer's
own numbers; bad files are skipped with a clear reason; order and repeats never matter."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import python_calamine as pc
from sqlalchemy import select

from desktop_app.cli import main
from desktop_app.io import hq_workbook as hw
from desktop_app.services.hq_export import export_hq
from desktop_app.services.hq_merge import merge_hq
from desktop_app.services.reports import event_report
from desktop_app.store.db import Database, open_database
from desktop_app.store.models import Person
from tests.hq_support import BAD_REASONS, bad_copies, build_community, dealer_kpis, edited_copy

COMPARED = (
    "registered",
    "attended",
    "attendance_rate",
    "walk_ins",
    "new_prospects",
    "referrals",
    "new_members",
    "points_awarded",
    "avg_rating",
    "nps",
    "no_shows",
)


def rollup_cells(path: Path) -> dict[str, list[list[Any]]]:
    """Every sheet's values, without the generated_at cell."""
    wb = pc.CalamineWorkbook.from_path(str(path))
    out = {name: wb.get_sheet_by_name(name).to_python() for name in wb.sheet_names}
    out["_meta"] = [r for r in out["_meta"] if r[0] != "generated_at"]
    return out


@pytest.fixture
def second_dealer(tmp_path: Path, _migrated_sqlite: Path) -> Iterator[Database]:
    path = tmp_path / "dealer_b.sqlite"
    shutil.copyfile(_migrated_sqlite, path)
    db = open_database(str(path))
    build_community(db, "SZ-0107", "深圳鹏程汽车", phone_base=15912340000, people=9)
    yield db
    db.close()


@pytest.fixture
def exports(dealer_sqlite: Database, second_dealer: Database, tmp_path: Path) -> tuple[Path, Path]:
    build_community(dealer_sqlite)
    a = tmp_path / "SH-0021.xlsx"
    b = tmp_path / "SZ-0107.xlsx"
    export_hq(dealer_sqlite, a, pii="masked")
    export_hq(second_dealer, b, pii="masked")
    return a, b


def test_round_trip_dealer_export_then_hq_merge_gives_the_dealers_own_numbers(
    dealer_db: Database, tmp_path: Path
) -> None:
    c = build_community(dealer_db)
    out = tmp_path / "SH-0021.xlsx"
    export_hq(dealer_db, out, pii="masked")
    exported_at = hw.read_workbook(out).meta["exported_at"]
    report = merge_hq([out], tmp_path / "rollup.xlsx")
    by_event = {e["event_id"]: e for e in report.kpis["events"]}
    for event_id in c.events:
        # The dealer's own event report (services/reports.py) and an independent loader
        # straight from the tables agree with HQ's roll-up.
        own = event_report(dealer_db, event_id, now=exported_at).kpis.to_json()
        loaded = dealer_kpis(dealer_db, event_id, now=exported_at).to_json()
        hq = by_event[str(event_id)]
        assert {k: hq[k] for k in COMPARED} == {k: own[k] for k in COMPARED}, event_id
        assert {k: loaded[k] for k in COMPARED} == {k: own[k] for k in COMPARED}, event_id
    member_day = by_event[str(c.events[0])]
    assert member_day["walk_ins"] == 2 and member_day["attended"] > 0
    assert member_day["referrals"] >= 1 and member_day["avg_rating"] is not None
    assert member_day["new_members"] == 1
    # The dealer's line adds up its held events (the completed member day).
    dealer = report.kpis["dealers"][0]
    assert dealer["dealer_code"] == "SH-0021" and dealer["events_held"] == 1
    # The dealer's region travels in _meta: HQ adds up its regions.
    assert dealer["region"] == "华东" and hw.read_workbook(out).meta["dealer_city"] == "上海"
    assert [(r["region"], r["attended"]) for r in report.kpis["regions"]] == [
        ("华东", dealer["attended"])
    ]
    assert dealer["registered"] == member_day["registered"]
    assert dealer["attended"] == member_day["attended"]
    campaign = report.kpis["campaigns"][0]
    assert campaign["campaign_code"] == "HQ-2026-MBR12" and campaign["walk_ins"] == 2
    # The roll-up workbook holds the same numbers in its KPI sheets.
    rows = rollup_cells(tmp_path / "rollup.xlsx")["kpi_events"]
    head = rows[0]
    sheet = {r[head.index("event_id")]: dict(zip(head, r, strict=True)) for r in rows[1:]}
    assert sheet[str(c.events[0])]["attended"] == member_day["attended"]
    assert sheet[str(c.events[0])]["attendance_rate"] == pytest.approx(
        member_day["attendance_rate"]
    )


def test_merging_the_same_files_twice_or_in_another_order_gives_the_same_rollup(
    exports: tuple[Path, Path], tmp_path: Path
) -> None:
    a, b = exports
    r1 = merge_hq([a, b], tmp_path / "r1.xlsx")
    r2 = merge_hq([b, a], tmp_path / "r2.xlsx")
    r3 = merge_hq([a, b, a, b], tmp_path / "r3.xlsx")
    first = rollup_cells(tmp_path / "r1.xlsx")
    assert first == rollup_cells(tmp_path / "r2.xlsx") == rollup_cells(tmp_path / "r3.xlsx")
    assert r1.kpis == r2.kpis == r3.kpis
    assert [f.status for f in r3.files] == ["merged", "merged", "duplicate_file", "duplicate_file"]
    assert {d["dealer_code"] for d in r1.kpis["dealers"]} == {"SH-0021", "SZ-0107"}
    # Every merged row keeps its dealer code.
    for sheet in hw.SHEETS:
        rows = first[sheet.name]
        col = rows[0].index("dealer_code")
        assert all(r[col] in ("SH-0021", "SZ-0107") for r in rows[1:])
    assert r1.rows["people"] == 14 + 11


def test_a_newer_copy_of_a_row_wins_whatever_the_file_order(
    dealer_sqlite: Database, tmp_path: Path
) -> None:
    build_community(dealer_sqlite)
    old = tmp_path / "old.xlsx"
    export_hq(dealer_sqlite, old, pii="full")
    with dealer_sqlite.write() as s:
        p = s.scalars(select(Person).order_by(Person.name).limit(1)).one()
        p.tier = "platinum"
        pid = str(p.id)
    new = tmp_path / "new.xlsx"
    export_hq(dealer_sqlite, new, mode="since_last", pii="full", overlap=timedelta(0))
    for order in ([old, new], [new, old]):
        report = merge_hq(order, tmp_path / "r.xlsx")
        assert report.duplicates == 1
        people = hw.read_workbook(old).sheets["people"]  # the old file still says otherwise
        assert {p["id"]: p["tier"] for p in people}[pid] != "platinum"
        rows = rollup_cells(tmp_path / "r.xlsx")["people"]
        head = rows[0]
        merged = {r[head.index("id")]: r[head.index("tier")] for r in rows[1:]}
        assert merged[pid] == "platinum"


def test_equal_timestamps_are_broken_the_same_way_in_any_order(tmp_path: Path) -> None:
    from desktop_app.services.hq_merge import _newer

    a = ("id-1", "SH-0021", "2026-11-01", "张*")
    b = ("id-1", "SH-0021", "2026-11-01", "李*")
    assert _newer(a, b, 2) != _newer(b, a, 2)


def test_tampered_truncated_and_foreign_files_are_skipped_with_a_clear_reason(
    exports: tuple[Path, Path], tmp_path: Path
) -> None:
    a, b = exports
    bad = bad_copies(a, tmp_path)
    files = [*bad, b]
    report = merge_hq(files, tmp_path / "rollup.xlsx")
    status = {Path(f.file).name: f for f in report.files}
    assert status["SZ-0107.xlsx"].status == "merged"
    errors = {name: f.error or "" for name, f in status.items() if f.status == "rejected"}
    assert set(errors) == {p.name for p in bad} == set(BAD_REASONS)
    for name, parts in BAD_REASONS.items():
        assert all(part in errors[name] for part in parts), (name, errors[name])
    # Nothing of the rejected files was half-merged: only dealer B's rows are there.
    only_b = merge_hq([b], tmp_path / "b_only.xlsx")
    assert report.rows == only_b.rows
    assert rollup_cells(tmp_path / "rollup.xlsx") == rollup_cells(tmp_path / "b_only.xlsx")


def test_no_valid_file_means_no_rollup_written(tmp_path: Path) -> None:
    from desktop_app.domain.errors import RuleViolation

    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"PK\x03\x04 broken")
    with pytest.raises(RuleViolation):
        merge_hq([bad], tmp_path / "r.xlsx")
    assert not (tmp_path / "r.xlsx").exists()


def test_cli_hq_merge_prints_files_rows_and_kpis_as_json(
    exports: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a, b = exports
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(a.read_bytes()[:5000])
    out = tmp_path / "rollup.xlsx"
    code = main(["hq", "merge", str(a), str(broken), str(b), "--out", str(out), "--json"])
    assert code == 0
    captured = capsys.readouterr()
    data = json.loads(captured.out)
    assert [f["status"] for f in data["files"]] == ["merged", "rejected", "merged"]
    assert set(data["files"][1]) >= {"file", "dealer_code", "status", "error"}
    assert data["rows"]["people"] == 25
    assert {d["dealer_code"] for d in data["kpis"]["dealers"]} == {"SH-0021", "SZ-0107"}
    assert "1 file(s) skipped" in captured.err
    assert out.exists()


def test_a_rollup_sheet_longer_than_excel_holds_is_refused_and_nothing_is_written(
    exports: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Hundreds of dealers' registrations pass 1,048,575 rows; xlsxwriter would drop the rest
    # without a word, so the merge refuses and says how to split it.
    from desktop_app.domain.errors import RuleViolation

    monkeypatch.setattr(hw, "MAX_SHEET_ROWS", 5)
    out = tmp_path / "rollup.xlsx"
    with pytest.raises(RuleViolation) as err:
        merge_hq(list(exports), out)
    assert err.value.code == "sheet_rows_over_merge"
    assert "merge fewer files at a time" in str(err.value)
    assert not out.exists() and not list(tmp_path.glob("*.paddock-tmp"))
    # A report-only merge (no file) still gives the counts.
    assert merge_hq(list(exports), None).rows["people"] > 5


def test_copies_with_equal_timestamps_give_the_same_winner_and_count_in_any_order(
    exports: tuple[Path, Path], tmp_path: Path
) -> None:
    # Same ids and updated_at, one cell different: every row of the copy is a duplicate and
    # the tie goes to the larger row as text, whatever the order of the files.
    a, b = exports
    copy = tmp_path / "copy.xlsx"
    edited_copy(a, copy, "people", 2, "name", "龙*")
    pid = hw.read_workbook(copy).rows["people"][0][0]
    per_sheet = {name: len(rows) for name, rows in hw.read_workbook(a).rows.items()}
    rollups = []
    for n, order in enumerate(([a, copy, b], [copy, b, a], [b, a, copy])):
        report = merge_hq(order, tmp_path / f"r{n}.xlsx")
        assert report.duplicates == sum(per_sheet.values())
        rollups.append(rollup_cells(tmp_path / f"r{n}.xlsx"))
    assert rollups[0] == rollups[1] == rollups[2]
    rows = rollups[0]["people"]
    head = rows[0]
    names = {r[head.index("id")]: r[head.index("name")] for r in rows[1:]}
    original = {p["id"]: p["name"] for p in hw.read_workbook(a).sheets["people"]}[pid]
    assert names[pid] == max("龙*", original)


def _scratch_files(*folders: Path) -> list[Path]:
    return [p for f in folders for p in f.glob(".paddock-merge-*")]


def test_no_scratch_file_is_left_after_a_merge_a_refusal_a_failure_or_a_cancel(
    exports: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from desktop_app.domain.errors import Cancelled, RuleViolation

    system_tmp = tmp_path / "system_tmp"
    system_tmp.mkdir()
    monkeypatch.setattr("tempfile.tempdir", str(system_tmp))
    files = list(exports)
    out = tmp_path / "rollup.xlsx"
    merge_hq(files, out)
    merge_hq(files, None)  # report only: the scratch file goes to the system's temp folder
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"PK\x03\x04 broken")
    with pytest.raises(RuleViolation):
        merge_hq([bad], tmp_path / "r2.xlsx")
    calls = iter([False, True])
    with pytest.raises(Cancelled):
        merge_hq(files, tmp_path / "r3.xlsx", is_cancelled=lambda: next(calls, True))
    # Cancelled while the roll-up is being written (after the first entity sheet).
    checks = iter([False] * (len(files) + 1))
    with pytest.raises(Cancelled):
        merge_hq(files, tmp_path / "r4.xlsx", is_cancelled=lambda: next(checks, True))

    def boom(*_a: Any, **_k: Any) -> Any:
        raise RuntimeError("disk full")

    monkeypatch.setattr("desktop_app.services.hq_merge.compute_kpis", boom)
    with pytest.raises(RuntimeError):
        merge_hq(files, tmp_path / "r5.xlsx")
    assert not _scratch_files(tmp_path, system_tmp)
    assert not (tmp_path / "r3.xlsx").exists() and not (tmp_path / "r4.xlsx").exists()


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_merge_figures_are_kpi_py_s_computed_with_every_row_in_memory(
    tmp_path: Path, seed: int
) -> None:
    # The merge keeps rows in its scratch file and computes one event at a time; a person
    # two dealers know is still one person (their first attended event is across dealers).
    from tests.hq_warehouse_support import national_files, reference_kpis

    files = national_files(tmp_path, seed, dealers=3)
    report = merge_hq(files, tmp_path / "rollup.xlsx")
    expected = reference_kpis(files)
    for level in ("dealers", "campaigns", "regions", "months", "events"):
        assert report.kpis[level] == expected[level], level
    sheets = rollup_cells(tmp_path / "rollup.xlsx")
    for level, key in (("regions", "region"), ("months", "month")):
        head, *rows = sheets[f"kpi_{level}"]
        assert [r[head.index(key)] for r in rows] == [g[key] for g in expected[level]]
        assert [r[head.index("attended")] for r in rows] == [g["attended"] for g in expected[level]]


def test_equal_timestamps_are_decided_by_a_rows_other_values_before_its_personal_ones() -> None:
    # When a person is erased, HQ blanks their personal values; which of two copies wins
    # must not change with that, or the files' order would matter again.
    from datetime import UTC, datetime

    from desktop_app.services.hq_merge import newer

    keys = hw.SHEET_BY_NAME["people"].keys
    base = dict.fromkeys(keys) | {"id": "4b6f0a52-0000-4000-8000-000000000001",
        "dealer_code": "SH-0021", "updated_at": datetime(2026, 11, 1, tzinfo=UTC),
        "deleted": False}  # fmt: skip
    # By name alone the member's copy would win (阿 sorts after 张); by stage the owner's.
    owner = {**base, "stage": "owner", "name": "张*", "phone": "+8613800000000"}
    member = {**base, "stage": "member", "name": "阿*", "phone": "+8613900000000"}
    a, b = (tuple(r[k] for k in keys) for r in (owner, member))
    blank = tuple(
        None if c.pii else v for c, v in zip(hw.SHEET_BY_NAME["people"].columns, b, strict=True)
    )
    assert newer("people", a, b) and not newer("people", b, a)
    assert newer("people", blank, a) == newer("people", b, a)
    assert newer("people", a, blank) == newer("people", a, b)
