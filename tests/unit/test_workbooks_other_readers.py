"""The workbooks Paddock writes, read by the tools HQ and the dealers really use.

A full-mode HQ export, a roll-up, a follow-up list and a report are opened with
python-calamine, openpyxl, pandas and LibreOffice: every phone number and every text that
looks like a formula (`=HYPERLINK(…)`, `+cmd|…`, `@SUM(…)`, `-Lee`) comes back byte for byte
as Paddock stored it — no apostrophe inside the value — and no cell is a formula (such text
carries Excel's quote-prefix style instead). Version-1 files, which wrote the apostrophe
as content, are still read and merged, without it.
"""

from __future__ import annotations

import csv
import enum
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import python_calamine as pc
from sqlalchemy import select

from desktop_app.io import hq_workbook as hw
from desktop_app.io.cells import csv_safe
from desktop_app.io.report_export import export_report, write_rows
from desktop_app.services.hq_export import export_hq
from desktop_app.services.hq_merge import merge_hq
from desktop_app.services.reports import event_report
from desktop_app.store.db import Database
from desktop_app.store.models import Base, Event, Feedback, Person, PointsEntry, ScanLog
from tests.hq_support import build_community
from tests.reports_support import Clock, build_quarter, local

FIXTURES = Path(__file__).parents[1] / "fixtures" / "hq"
V1_FILE = FIXTURES / "dealer_v1_full.xlsx"  # written by Paddock's schema-1 exporter

# Text someone typed (or pasted from a web form) that a spreadsheet would run.
TRAPS = {
    "name": '=HYPERLINK("http://evil.example","点我")',
    "wechat": "+cmd|' /C calc'!A0",
    "email": "@SUM(1+1)",
    "source": "-Lee's referral",
    "title": "=1+1 冬季关爱",
    "comment": '=HYPERLINK("http://x","好评")',
    "note": "\t=2+2 desk note",
    "reason": "-50 adjustment",
}


def _lay_traps(db: Database) -> None:
    with db.write() as s:
        people = s.scalars(select(Person).order_by(Person.name)).all()
        people[0].name = TRAPS["name"]
        people[1].wechat = TRAPS["wechat"]
        people[2].email = TRAPS["email"]
        people[3].source = TRAPS["source"]
        s.scalars(select(Event).order_by(Event.title)).first().title = TRAPS["title"]  # type: ignore[union-attr]
        s.scalars(select(Feedback)).first().comment = TRAPS["comment"]  # type: ignore[union-attr]
        s.scalars(select(ScanLog)).first().note = TRAPS["note"]  # type: ignore[union-attr]
        entry = s.scalars(select(PointsEntry)).first()
        assert entry is not None
        entry.reason = TRAPS["reason"]


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, enum.Enum) else value


def _stored_text(db: Database) -> dict[tuple[str, str, str], str]:
    """(sheet, row id, column key) → every non-empty text value as the database holds it."""
    out: dict[tuple[str, str, str], str] = {}
    with db.read() as s:
        for sheet in hw.SHEETS:
            table = Base.metadata.tables[sheet.table]
            cols = [c for c in sheet.columns if c.type == hw.TEXT and c.source != ""]
            stmt = select(table.c.id, *(table.c[c.source or c.key] for c in cols))
            for row in s.execute(stmt):
                for col, value in zip(cols, row[1:], strict=True):
                    if value not in (None, ""):
                        out[(sheet.name, str(row[0]), col.key)] = _plain(value)
    return out


def _read_calamine(path: Path) -> dict[tuple[str, str, str], Any]:
    wb = pc.CalamineWorkbook.from_path(str(path))
    return _keyed({name: wb.get_sheet_by_name(name).to_python() for name in wb.sheet_names})


def _read_openpyxl(path: Path) -> dict[tuple[str, str, str], Any]:
    wb = openpyxl.load_workbook(path)
    return _keyed({ws.title: [[c.value for c in r] for r in ws.iter_rows()] for ws in wb})


def _read_pandas(path: Path, engine: str) -> dict[tuple[str, str, str], Any]:
    pd = pytest.importorskip("pandas")
    # dtype=object: pandas otherwise turns any numeric-looking text into a number, whatever
    # the cell's type (+8613812345678 → 8613812345678); docs/hq-workbook.md says so.
    frames = pd.read_excel(path, sheet_name=None, engine=engine, dtype=object)
    return _keyed(
        {
            name: [list(df.columns), *df.astype(object).where(df.notna(), None).values.tolist()]
            for name, df in frames.items()
        }
    )


def _keyed(sheets: dict[str, list[list[Any]]]) -> dict[tuple[str, str, str], Any]:
    """(sheet, id, key) → value for every contract sheet present."""
    out: dict[tuple[str, str, str], Any] = {}
    for sheet in hw.SHEETS:
        rows = sheets.get(sheet.name)
        if not rows:
            continue
        head = [str(h) for h in rows[0]]
        for values in rows[1:]:
            row = dict(zip(head, values, strict=False))
            for col in sheet.columns:
                if col.type == hw.TEXT and col.source != "" and row.get(col.key) not in (None, ""):
                    out[(sheet.name, str(row["id"]), col.key)] = row[col.key]
    return out


def _assert_no_formula_and_quote_prefixed(path: Path) -> int:
    """No cell is a formula; each formula-looking text is a string with the quote-prefix
    style and no ' of its own. Returns how many such cells there are."""
    book = openpyxl.load_workbook(path)
    n = 0
    for ws in book:
        for row in ws.iter_rows():
            for c in row:
                assert c.data_type != "f", (ws.title, c.coordinate, c.value)
                if isinstance(c.value, str) and c.value[:1] in hw.FORMULA_START:
                    assert c.data_type == "s" and c.quotePrefix, (ws.title, c.coordinate)
                    n += 1
                if isinstance(c.value, str):
                    assert not (c.value[:1] == "'" and c.value[1:2] in hw.FORMULA_START), (
                        ws.title,
                        c.coordinate,
                        c.value,
                    )
    return n


def test_a_full_mode_export_reads_back_byte_identical_in_calamine_openpyxl_and_pandas(
    dealer_db: Database, tmp_path: Path
) -> None:
    community = build_community(dealer_db)
    _lay_traps(dealer_db)
    out = export_hq(dealer_db, tmp_path / "SH-0021_full.xlsx", pii="full").file
    stored = _stored_text(dealer_db)
    phones = {v for (sheet, _id, key), v in stored.items() if key == "phone"}
    assert phones == {"+86" + p for p in community.phones}  # every phone, in E.164
    assert set(TRAPS.values()) <= set(stored.values())

    for reader in (_read_calamine, _read_openpyxl):
        assert reader(Path(out)) == stored, reader.__name__
    for engine in ("calamine", "openpyxl"):
        assert _read_pandas(Path(out), engine) == stored, engine
    assert _assert_no_formula_and_quote_prefixed(Path(out)) >= len(phones) + len(TRAPS)
    # Paddock's own reader agrees.
    people = {p["id"]: p for p in hw.read_workbook(Path(out)).sheets["people"]}
    assert {p["phone"] for p in people.values()} == phones


def test_libreoffice_reads_phones_and_formula_looking_text_as_stored(
    dealer_sqlite: Database, tmp_path: Path
) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) not installed")
    community = build_community(dealer_sqlite)
    _lay_traps(dealer_sqlite)
    out = Path(export_hq(dealer_sqlite, tmp_path / "hq.xlsx", pii="full").file)
    sheets = _libreoffice_csv(soffice, out, tmp_path)
    got = _keyed(sheets)
    stored = _stored_text(dealer_sqlite)
    assert got == stored
    phones = {got[k] for k in got if k[2] == "phone"}
    assert phones == {"+86" + p for p in community.phones}


def _libreoffice_csv(soffice: str, xlsx: Path, tmp: Path) -> dict[str, list[list[str]]]:
    """Every sheet of `xlsx` as LibreOffice's own CSV export (UTF-8, one file per sheet)."""
    outdir = tmp / "lo"
    outdir.mkdir()
    profile = (tmp / "lo-profile").as_uri()  # a private profile: parallel runs never clash
    subprocess.run(
        [soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to",
         "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1",
         "--outdir", str(outdir), str(xlsx)],
        check=True, capture_output=True, timeout=180, env={**os.environ, "HOME": str(tmp)},
    )  # fmt: skip
    sheets: dict[str, list[list[str]]] = {}
    for f in outdir.glob(f"{xlsx.stem}-*.csv"):
        with f.open(encoding="utf-8", newline="") as fh:
            sheets[f.stem.removeprefix(f"{xlsx.stem}-")] = list(csv.reader(fh))
    assert "people" in sheets, sorted(sheets)
    return sheets


def test_a_version_1_file_is_read_and_merged_without_its_apostrophes(tmp_path: Path) -> None:
    old = hw.read_workbook(V1_FILE)
    assert old.meta["schema_version"] == 1
    # The file itself holds the apostrophe as content (that is what version 1 wrote) …
    raw = _read_calamine(V1_FILE)
    assert all(v.startswith("'+86") for k, v in raw.items() if k[2] == "phone")
    # … and the reader gives the stored text back.
    people = old.sheets["people"]
    assert all(p["phone"].startswith("+86") for p in people if p["phone"])
    assert '=HYPERLINK("http://evil.example","点我")' in {p["wechat"] for p in people}
    assert {"@SUM(1+1)", "+cmd|' /C calc'!A0", "-Lee"} <= {
        v for p in people for v in (p["email"], p["source"], p["name"])
    }
    assert "=1+1 很好" in {f["comment"] for f in old.sheets["feedback"]}


def test_a_roll_up_of_a_version_1_and_a_version_2_file_holds_the_stored_text(
    dealer_db: Database, tmp_path: Path
) -> None:
    build_community(dealer_db)
    _lay_traps(dealer_db)
    new = export_hq(dealer_db, tmp_path / "SH-0021.xlsx", pii="full").file
    report = merge_hq([V1_FILE, new], tmp_path / "rollup.xlsx")
    assert [f.status for f in report.files] == ["merged", "merged"]
    rollup = Path(report.out or "")
    got = _read_calamine(rollup)
    stored = {(s, i, k): v for (s, i, k), v in _stored_text(dealer_db).items()}
    assert {k: got[k] for k in stored} == stored
    v1 = {k: v for k, v in got.items() if k not in stored}
    assert v1 and not any(isinstance(v, str) and v.startswith("'") for v in v1.values())
    assert _assert_no_formula_and_quote_prefixed(rollup) > 0
    meta = {r[0]: r[1] for r in pc.CalamineWorkbook.from_path(str(rollup)).get_sheet_by_name(
        "_meta").to_python()[1:]}  # fmt: skip
    assert meta["schema_version"] == hw.SCHEMA_VERSION == 2


def test_follow_up_and_audit_lists_keep_text_as_is_in_xlsx_and_neutralise_only_in_csv(
    tmp_path: Path,
) -> None:
    headers = ["姓名", "手机号", "备注"]
    rows = [["王伟", "+8613800138001", "=cmd()"], ["#N/A", "-5", "@x"], ["李娜", None, "ok"]]
    xlsx = write_rows(tmp_path / "list.xlsx", headers, rows)
    cells = pc.CalamineWorkbook.from_path(str(xlsx)).get_sheet_by_name("List").to_python()
    assert cells[1:] == [[v if v is not None else "" for v in r] for r in rows]
    assert _assert_no_formula_and_quote_prefixed(xlsx) == 4  # +86…, =cmd(), -5, @x
    book = openpyxl.load_workbook(xlsx)
    assert book.active["A3"].data_type == "s"  # "#N/A" is a name, not an error cell
    # A CSV has no cell types: there the ' is the only defence (a phone stays a phone).
    text = write_rows(tmp_path / "list.csv", headers, rows).read_text(encoding="utf-8-sig")
    assert text.splitlines()[1:3] == ["王伟,+8613800138001,'=cmd()", "#N/A,'-5,'@x"]
    assert csv_safe("\t=1") == "'\t=1" and csv_safe(3) == 3


def test_an_event_report_workbook_keeps_a_formula_looking_name_and_comment_as_text(
    dealer_sqlite: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    q = build_quarter(dealer_sqlite, Clock(monkeypatch))
    with dealer_sqlite.write() as s:
        fb = s.scalars(select(Feedback).where(Feedback.event_id == q.a)).first()
        assert fb is not None and fb.person_id is not None
        fb.comment = TRAPS["comment"]
        person = s.get(Person, fb.person_id)
        assert person is not None
        person.name = TRAPS["name"]
    rep = event_report(dealer_sqlite, q.a, now=local(2026, 3, 8, 9))
    out = export_report(rep, tmp_path / "event.xlsx", "en")
    wb = pc.CalamineWorkbook.from_path(str(out))
    cells = [v for n in wb.sheet_names for row in wb.get_sheet_by_name(n).to_python() for v in row]
    assert TRAPS["comment"] in cells and TRAPS["name"] in cells
    assert _assert_no_formula_and_quote_prefixed(out) >= 2
