"""HQ's PostgreSQL warehouse: dealers' files load once and whole (or not at all, with the
reason), in any order and from two analysts at once, to the same tables; the SQL roll-up's
figures are domain/kpi.py's, figure by figure, and equal `hq merge`'s."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import openpyxl
import psycopg
import pytest
import python_calamine as pc

from desktop_app.cli import _json_default, main
from desktop_app.domain.errors import DatabaseError
from desktop_app.io import hq_workbook as hw
from desktop_app.services.hq_load import load_hq
from desktop_app.services.hq_merge import merge_hq
from desktop_app.services.hq_rollup import rollup_hq
from desktop_app.store import warehouse as wh
from desktop_app.store.db import Database
from tests.hq_support import BAD_REASONS, bad_copies, edited_copy
from tests.hq_warehouse_support import (
    community_rows,
    dump_warehouse,
    fill,
    national_files,
    reference_kpis,
    uid,
    warehouse_url,
    write_hq_file,
)

pytestmark = pytest.mark.postgres
ROOT = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)


@pytest.fixture
def url() -> str:
    return warehouse_url()


def _files(folder: Path, seed: int = 1, dealers: int = 3) -> list[Path]:
    folder.mkdir(exist_ok=True)
    return national_files(folder, seed, dealers)


def _reset(url: str) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP SCHEMA IF EXISTS hq CASCADE")


# --------------------------------------------------------------------------- loading


def test_loading_files_fills_one_table_per_sheet_keyed_by_uuid_with_the_dealer_code_kept(
    url: str, tmp_path: Path
) -> None:
    files = _files(tmp_path)
    report = load_hq(files, url)
    assert [f.status for f in report.files] == ["loaded"] * 3
    per_file = [hw.read_workbook(f) for f in files]
    for f, parsed in zip(report.files, per_file, strict=True):
        assert f.rows == sum(len(r) for r in parsed.rows.values())
        assert f.created + f.updated + f.unchanged == f.rows
    tables = dump_warehouse(url)
    merged = merge_hq(files, None)
    for sheet in hw.SHEETS:
        assert len(tables[sheet.name]) == merged.rows[sheet.name], sheet.name
        rows = {str(r[0]): r for r in tables[sheet.name]}
        # Every row kept its dealer code; a person two dealers know is one row.
        assert all(r[1] in {p.dealer_code for p in per_file} for r in rows.values())
    assert {d[0] for d in tables["dealers"]} == {p.dealer_code for p in per_file}
    regions = {d[0]: d[2] for d in tables["dealers"]}
    assert regions[per_file[0].dealer_code] == "华东" and regions[per_file[2].dealer_code] is None
    # The warehouse holds the values as the workbook has them, typed.
    person = per_file[0].rows["people"][0]
    with psycopg.connect(url) as conn:
        conn.execute("SET TIME ZONE 'UTC'")
        stored = conn.execute(
            "SELECT id::text, dealer_code, updated_at, name, stage FROM hq.people WHERE id = %s",
            (person[0],),
        ).fetchone()
    keys = hw.SHEET_BY_NAME["people"].keys
    assert stored is not None and stored[0] == person[0]
    assert stored[3:] == (person[keys.index("name")], person[keys.index("stage")])


def test_the_same_files_twice_in_any_order_or_in_one_run_give_the_same_tables(
    url: str, tmp_path: Path
) -> None:
    a, b, c = _files(tmp_path)
    # A newer export of dealer A (one person's stage changed) and a copy of B with one
    # cell changed but the same updated_at: ties must go the same way whatever the order.
    newer = edited_copy(a, tmp_path / "a_newer.xlsx", "people", 2, "stage", "member")
    wb = openpyxl.load_workbook(newer)
    ws = wb["people"]
    col = [x.value for x in ws[1]].index("updated_at") + 1
    ws.cell(2, col).value = (NOW + timedelta(days=1)).replace(tzinfo=None)
    wb.save(newer)
    tie = edited_copy(b, tmp_path / "b_tie.xlsx", "people", 3, "name", "龙*")
    files = [a, b, c, newer, tie]
    dumps = []
    for order in (files, files[::-1], [tie, c, newer, a, b], [b, tie, a, newer, c, a, tie]):
        _reset(url)
        report = load_hq(order, url)
        assert {f.status for f in report.files} <= {"loaded", "duplicate_file"}
        again = load_hq(order, url)  # loading the same files again changes nothing
        assert {f.status for f in again.files} <= {"already_loaded", "duplicate_file"}
        dumps.append(dump_warehouse(url))
    assert dumps[0] == dumps[1] == dumps[2] == dumps[3]
    people = {str(r[0]): r for r in dumps[0]["people"]}
    first_a = hw.read_workbook(a).rows["people"][0]
    assert people[first_a[0]][hw.SHEET_BY_NAME["people"].keys.index("stage")] == "member"
    # The same winners as the file merge keeps.
    merged = merge_hq(files, tmp_path / "rollup.xlsx")
    sheet = pc.CalamineWorkbook.from_path(str(tmp_path / "rollup.xlsx")).get_sheet_by_name("people")
    head, *rows = sheet.to_python()
    names = {r[head.index("id")]: r[head.index("name")] for r in rows}
    assert {
        pid: r[hw.SHEET_BY_NAME["people"].keys.index("name")] for pid, r in people.items()
    } == names
    assert len(people) == merged.rows["people"]


def _load_in_process(url: str, files: list[Path]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "desktop_app",
            "hq",
            "load",
            *map(str, files),
            "--into",
            url,
            "--json",
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PADDOCK_LANG": "en"},
    )


def test_two_analysts_loading_at_once_get_the_same_tables_as_one_after_the_other(
    url: str, tmp_path: Path
) -> None:
    files = _files(tmp_path, seed=7, dealers=4)
    newer = edited_copy(
        files[0], tmp_path / "newer.xlsx", "registrations", 2, "status", "cancelled"
    )
    files.append(newer)
    load_hq(files, url)
    expected = dump_warehouse(url)
    for _round in range(2):
        _reset(url)  # both processes also race to create the empty warehouse's schema
        procs = [_load_in_process(url, files), _load_in_process(url, files[::-1])]
        outputs = [p.communicate(timeout=300) for p in procs]
        assert [p.returncode for p in procs] == [0, 0], [o[1] for o in outputs]
        reports = [json.loads(o[0]) for o in outputs]
        statuses = [f["status"] for r in reports for f in r["files"]]
        # Each file was loaded by exactly one of the two; the other found it loaded.
        assert statuses.count("loaded") == len(files)
        assert statuses.count("already_loaded") == len(files)
        assert dump_warehouse(url) == expected


def test_tampered_truncated_foreign_and_too_new_files_are_refused_whole_with_the_reason(
    url: str, tmp_path: Path
) -> None:
    good, other, *_ = _files(tmp_path)
    load_hq([other], url)
    before = dump_warehouse(url)
    bad = bad_copies(good, tmp_path)
    report = load_hq(bad, url)
    assert [f.status for f in report.files] == ["rejected"] * len(bad)
    errors = {Path(f.file).name: f.error or "" for f in report.files}
    for name, parts in BAD_REASONS.items():
        assert all(part in errors[name] for part in parts), (name, errors[name])
    assert dump_warehouse(url) == before  # nothing of any of them, not even a loaded_files line
    # The good file still loads afterwards.
    assert load_hq([good], url).files[0].status == "loaded"


def test_a_connection_lost_mid_run_keeps_the_files_before_and_a_rerun_loads_the_rest(
    url: str, tmp_path: Path
) -> None:
    from desktop_app.services import hq_load

    files = _files(tmp_path, seed=4, dealers=3)

    def cut_the_line(done: int, _total: int) -> None:
        if done == 2:  # before the third file: the server ends the loader's session
            with psycopg.connect(url, autocommit=True) as admin:
                admin.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE application_name = %s AND datname = current_database()",
                    (hq_load.APP_NAME,),
                )

    with pytest.raises(DatabaseError) as err:
        load_hq(files, url, progress=cut_the_line)
    assert "2 file(s) loaded before it stay loaded" in str(err.value)
    again = load_hq(files, url)
    assert [f.status for f in again.files] == ["already_loaded", "already_loaded", "loaded"]
    after_rerun = dump_warehouse(url)
    _reset(url)
    load_hq(files, url)
    assert dump_warehouse(url) == after_rerun  # as if the line had never been cut


def test_a_file_that_repeats_an_id_keeps_its_newest_copy_like_the_file_merge(
    url: str, tmp_path: Path
) -> None:
    rnd = random.Random(3)
    rows = community_rows(rnd, "SH-0021", NOW, events=3, people=5, registrations=6)
    twin = dict(rows["people"][0])
    twin.update(name="王*", updated_at=twin["updated_at"] + timedelta(minutes=5))
    rows["people"].append(twin)
    f = write_hq_file(tmp_path / "twice.xlsx", "SH-0021", rows, exported_at=NOW)
    report = load_hq([f], url)
    assert report.files[0].status == "loaded"
    assert report.files[0].rows == report.files[0].created + report.files[0].unchanged
    with psycopg.connect(url) as conn:
        names = conn.execute("SELECT name FROM hq.people WHERE id = %s", (twin["id"],)).fetchall()
    assert names == [("王*",)]
    merged = merge_hq([f], None)
    assert merged.rows["people"] == 5


def test_a_text_with_a_nul_character_refuses_the_file_with_the_reason(
    url: str, tmp_path: Path
) -> None:
    # Excel files can carry control characters (_x0000_); PostgreSQL text cannot hold NUL.
    rnd = random.Random(6)
    rows = community_rows(rnd, "SH-0021", NOW, events=2, people=4, registrations=4)
    rows["feedback"][0]["comment"] = "很好\x00"
    f = write_hq_file(tmp_path / "nul.xlsx", "SH-0021", rows, exported_at=NOW)
    report = load_hq([f], url)
    assert report.files[0].status == "rejected"
    assert "cannot be stored" in (report.files[0].error or "")
    assert all(not rows for name, rows in dump_warehouse(url).items() if name != "dealers")


def test_version_1_files_without_a_region_load_beside_newer_ones(url: str, tmp_path: Path) -> None:
    rnd = random.Random(5)
    old = write_hq_file(tmp_path / "v1.xlsx", "BJ-0003",
                        community_rows(rnd, "BJ-0003", NOW), exported_at=NOW, region=None,
                        schema_version=1)  # fmt: skip
    new = write_hq_file(tmp_path / "v2.xlsx", "SH-0021",
                        community_rows(rnd, "SH-0021", NOW), exported_at=NOW, region="华东",
                        schema_version=hw.SCHEMA_VERSION)  # fmt: skip
    assert [f.status for f in load_hq([old, new], url).files] == ["loaded", "loaded"]
    kpis = rollup_hq(url).kpis
    assert {r["region"] for r in kpis["regions"]} == {"", "华东"}
    assert {d["dealer_code"]: d["region"] for d in kpis["dealers"]} == {
        "BJ-0003": "",
        "SH-0021": "华东",
    }


def test_a_real_version_1_export_and_a_version_2_one_load_with_their_text_as_stored(
    url: str, tmp_path: Path, sqlite_db: Database
) -> None:
    # The v1 exporter wrote '+8613812345678 (an apostrophe in the value); v2 writes the text
    # as it is. The warehouse holds what the dealers stored, either way.
    from desktop_app.services.hq_export import export_hq
    from tests.hq_support import build_community

    v1 = ROOT / "tests" / "fixtures" / "hq" / "dealer_v1_full.xlsx"
    build_community(sqlite_db, "SZ-0107", "深圳鹏程汽车", phone_base=15912340000)
    v2 = export_hq(sqlite_db, tmp_path / "SZ-0107.xlsx", pii="full").file
    report = load_hq([v1, v2], url)
    assert [f.status for f in report.files] == ["loaded", "loaded"]
    with psycopg.connect(url) as conn:
        phones = [p for (p,) in conn.execute("SELECT phone FROM hq.people WHERE phone IS NOT NULL")]
        texts = {v for (v,) in conn.execute("SELECT wechat FROM hq.people UNION ALL "
                                            "SELECT comment FROM hq.feedback")}  # fmt: skip
        schemas = dict(conn.execute("SELECT dealer_code, schema_version FROM hq.dealers"))
    assert phones and all(p.startswith("+86") for p in phones)
    assert '=HYPERLINK("http://evil.example","点我")' in texts and "=1+1 很好" in texts
    assert sorted(schemas.values()) == [1, 2]
    assert rollup_hq(url).kpis == merge_hq([v1, v2], None).kpis


def test_the_warehouse_schema_has_its_own_migrations_and_a_table_per_contract_sheet(
    url: str, tmp_path: Path
) -> None:
    wh.migrate(url)
    with psycopg.connect(url) as conn:
        assert conn.execute("SELECT version_num FROM hq.warehouse_version").fetchone() == (
            wh.head_revision(),
        )
        # The dealer database's chain is elsewhere: no alembic_version here.
        assert conn.execute("SELECT to_regclass('public.alembic_version')").fetchone() == (None,)
        columns = conn.execute(
            "SELECT table_name, column_name, data_type, is_nullable FROM "
            "information_schema.columns WHERE table_schema = 'hq'"
        ).fetchall()
    found: dict[str, dict[str, tuple[str, str]]] = {}
    for t, c, typ, nullable in columns:
        found.setdefault(t, {})[c] = (typ, nullable)
    pg_names = {"uuid": "uuid", "text": "text", "bigint": "bigint", "double precision": "double precision",
                "boolean": "boolean", "timestamptz": "timestamp with time zone", "date": "date"}  # fmt: skip
    for sheet in hw.SHEETS:  # a sheet or column added to the contract needs a migration
        hint = "run tools/warehouse_migration.py to write the warehouse's migration"
        assert sheet.name in found, f"no warehouse table for sheet {sheet.name}: {hint}"
        for col in sheet.columns:
            typ, nullable = found[sheet.name].get(col.key, (None, None))
            assert typ == pg_names[wh.PG_TYPES[col.type]], (sheet.name, col.key, hint)
            # never stricter than the contract (a column added later is NULL in old rows)
            assert nullable == "YES" or not col.nullable, (sheet.name, col.key)
    # Migrating again is a no-op; a warehouse from a newer Paddock is refused.
    wh.migrate(url)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("UPDATE hq.warehouse_version SET version_num = 'w9999'")
    with pytest.raises(DatabaseError) as err:
        load_hq([], url)
    assert "newer Paddock" in str(err.value)


def test_the_warehouse_is_postgresql_and_a_missing_one_says_what_to_do(
    url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(DatabaseError) as err:
        load_hq([], "sqlite:///hq.sqlite")
    assert "paddock hq merge" in str(err.value)
    assert main(["hq", "rollup", "--from", url, "--json"]) == 1
    assert "load dealers' files first" in capsys.readouterr().err
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("CREATE SCHEMA hq; CREATE TABLE hq.sales (x int)")
    with pytest.raises(DatabaseError) as err:
        load_hq([], url)
    assert "not Paddock's warehouse" in str(err.value)


def test_an_analyst_role_that_may_only_read_runs_the_rollup_but_cannot_set_up_the_warehouse(
    url: str, tmp_path: Path
) -> None:
    from sqlalchemy.engine import make_url

    base = make_url(url)
    role = f"{base.database}_reader"  # named after the test database: one per worktree/CI
    with psycopg.connect(url, autocommit=True) as admin:
        if not admin.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).fetchone():
            admin.execute(f"CREATE ROLE \"{role}\" LOGIN PASSWORD 'reader'")
    reader = base.set(username=role, password="reader").render_as_string(hide_password=False)
    files = _files(tmp_path, seed=51, dealers=2)
    with pytest.raises(DatabaseError) as err:
        load_hq(files, reader)
    assert "needs a role that may create a schema" in str(err.value)
    load_hq(files, url)  # the owner loads
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f'GRANT USAGE ON SCHEMA hq TO "{role}"')
        admin.execute(f'GRANT SELECT ON ALL TABLES IN SCHEMA hq TO "{role}"')
    got = rollup_hq(reader, tmp_path / "r.xlsx")
    assert got.kpis == rollup_hq(url).kpis and got.kpis["events"]
    with pytest.raises(DatabaseError):  # reading is all it may do
        load_hq(files, reader)


# --------------------------------------------------------------------------- roll-up


@pytest.mark.parametrize("seed", [11, 12, 13])
def test_every_rollup_figure_is_kpi_py_s_and_the_file_merge_s(
    url: str, tmp_path: Path, seed: int
) -> None:
    files = _files(tmp_path, seed=seed, dealers=3)
    load_hq(files, url)
    warehouse = rollup_hq(url).kpis
    expected = reference_kpis(files)
    assert warehouse["events"], "the data has events"
    for level in expected:
        assert len(warehouse[level]) == len(expected[level]), level
        for got, want in zip(warehouse[level], expected[level], strict=True):
            assert got == want, (level, got, want)
    assert warehouse == merge_hq(files, None).kpis == expected
    # The data exercised what it should.
    ev = expected["events"]
    assert any(e["new_prospects"] for e in ev) and any(e["walk_ins"] for e in ev)
    assert any(not e["held"] for e in ev) and any(e["no_shows"] for e in ev)
    assert any(e["new_members"] for e in ev)
    assert len(expected["months"]) > 2 and len(expected["campaigns"]) == 3


def test_rollup_by_campaign_and_dates_counts_the_chosen_events_with_the_same_definitions(
    url: str, tmp_path: Path
) -> None:
    files = _files(tmp_path, seed=21, dealers=3)
    load_hq(files, url)
    for kwargs in (
        {"campaign": "HQ-2026-MBR12"},
        {"date_from": date(2026, 5, 1), "date_to": date(2026, 8, 31)},
        {"campaign": "HQ-2026-CARE", "date_from": date(2026, 3, 1)},
        {"date_to": date(2026, 4, 30)},
    ):
        got = rollup_hq(url, **kwargs).kpis
        assert got == reference_kpis(files, **kwargs), kwargs
        assert got["events"], kwargs


def test_rollup_workbook_has_kpi_sheets_and_only_the_detail_sheets_that_fit(
    url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    files = _files(tmp_path, seed=31, dealers=2)
    load_hq(files, url)
    out = tmp_path / "rollup.xlsx"
    counts = {name: len(rows) for name, rows in dump_warehouse(url).items()}
    assert counts["registrations"] == max(counts[s.name] for s in hw.SHEETS)
    monkeypatch.setattr(hw, "MAX_SHEET_ROWS", counts["registrations"] - 1)  # it no longer fits
    code = main(["hq", "rollup", "--from", url, "--out", str(out), "--json"])
    assert code == 0
    captured = capsys.readouterr()
    data = json.loads(captured.out)
    assert [s["sheet"] for s in data["skipped_sheets"]] == ["registrations"]
    assert "detail sheet registrations not written" in captured.err
    wb = pc.CalamineWorkbook.from_path(str(out))
    names = wb.sheet_names
    assert names[:6] == [
        "_meta",
        "kpi_dealers",
        "kpi_campaigns",
        "kpi_regions",
        "kpi_months",
        "kpi_events",
    ]
    assert "registrations" not in names and "people" in names
    meta = dict(r[:2] for r in wb.get_sheet_by_name("_meta").to_python()[1:])
    assert "more than an Excel sheet holds" in meta["not_written.registrations"]
    assert meta["rows.people"] == data["rows"]["people"] == counts["people"]
    people = wb.get_sheet_by_name("people").to_python()
    assert len(people) - 1 == counts["people"]
    # The KPI sheets hold the JSON's figures, and the JSON is the file merge's.
    head, *dealers = wb.get_sheet_by_name("kpi_dealers").to_python()
    sheet = {r[0]: dict(zip(head, r, strict=True)) for r in dealers}
    for d in data["kpis"]["dealers"]:
        assert sheet[d["dealer_code"]]["attended"] == d["attended"]
        assert sheet[d["dealer_code"]]["attendance_rate"] == pytest.approx(d["attendance_rate"])
    merged = json.loads(json.dumps(merge_hq(files, None).kpis, default=_json_default))
    assert data["kpis"] == merged


def test_cli_rollup_takes_from_url_and_from_date_and_a_campaign(
    url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = _files(tmp_path, seed=41, dealers=2)
    assert main(["hq", "load", *map(str, files), "--into", url]) == 0
    assert "2 file(s) loaded" in capsys.readouterr().out
    out = tmp_path / "r.xlsx"
    args = ["hq", "rollup", "--from", url, "--from", "2026-03-01", "--to", "2026-10-31",
            "--campaign", "HQ-2026-MBR11", "--out", str(out), "--json"]  # fmt: skip
    assert main(args) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["filters"] == {
        "campaign": "HQ-2026-MBR11",
        "from": "2026-03-01",
        "to": "2026-10-31",
    }
    assert {c["campaign_code"] for c in data["kpis"]["campaigns"]} <= {"HQ-2026-MBR11"}
    # Detail sheets of a filtered roll-up hold only the chosen events' rows.
    wb = pc.CalamineWorkbook.from_path(str(out))
    head, *events = wb.get_sheet_by_name("events").to_python()
    chosen = {e["event_id"] for e in data["kpis"]["events"]}
    assert {r[head.index("id")] for r in events} >= chosen
    assert all(r[head.index("campaign_code")] == "HQ-2026-MBR11" for r in events)
    head, *regs = wb.get_sheet_by_name("registrations").to_python()
    assert {r[head.index("event_id")] for r in regs} <= {r[0] for r in events}
    assert main(["hq", "rollup", "--from", url, "--from", "2026-13-01"]) == 2
    assert main(["hq", "rollup", "--from", url, "--from", "2026-05-01", "--to", "2026-04-01"]) == 1


def test_a_person_two_dealers_know_is_counted_once_as_new(url: str, tmp_path: Path) -> None:
    # A prospect who came to dealer A's event in March and dealer B's in May is new only
    # at the first: both roll-ups look across dealers, as the file merge always did.
    rnd = random.Random(9)
    person = uid(rnd)
    files = []
    for code, start in (("SH-0021", datetime(2026, 3, 7, 2, tzinfo=UTC)),
                        ("SZ-0107", datetime(2026, 5, 9, 2, tzinfo=UTC))):  # fmt: skip
        sheets = hw.SHEET_BY_NAME
        ev = fill(sheets["events"], {"id": uid(rnd), "dealer_code": code, "updated_at": NOW,
                                     "deleted": False, "title": "会员日", "type": "member_day",
                                     "status": "completed", "starts_at": start,
                                     "timezone": "Asia/Shanghai"}, rnd)  # fmt: skip
        p = fill(sheets["people"], {"id": person, "dealer_code": code, "updated_at": NOW,
                                    "deleted": False, "name": "李*", "stage": "prospect"}, rnd)  # fmt: skip
        r = fill(sheets["registrations"], {"id": uid(rnd), "dealer_code": code, "updated_at": NOW,
                                           "deleted": False, "event_id": ev["id"], "person_id": person,
                                           "status": "registered", "checked_in_at": start}, rnd)  # fmt: skip
        rows = {"events": [ev], "people": [p], "registrations": [r]}
        files.append(write_hq_file(tmp_path / f"{code}.xlsx", code, rows, exported_at=NOW))
    load_hq(files, url)
    kpis = rollup_hq(url).kpis
    assert [(d["dealer_code"], d["new_prospects"]) for d in kpis["dealers"]] == [
        ("SH-0021", 1),
        ("SZ-0107", 0),
    ]
    assert kpis == merge_hq(files, None).kpis
    assert [m["month"] for m in kpis["months"]] == ["2026-03", "2026-05"]


@pytest.mark.parametrize("sheet_name", ["events", "vehicles"])  # every column type between them
def test_the_tie_rule_in_sql_is_the_file_merges_for_every_column_type(
    url: str, sheet_name: str
) -> None:
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from desktop_app.services.hq_merge import newer as merge_newer

    wh.migrate(url)
    sheet = hw.SHEET_BY_NAME[sheet_name]
    texts = st.one_of(st.none(), st.text(min_size=1, max_size=6).filter(lambda s: "\x00" not in s))
    when = st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2030, 1, 1)).map(
        lambda d: d.replace(tzinfo=UTC)
    )
    by_type = {
        hw.UUID: st.one_of(st.none(), st.uuids().map(str)),
        hw.TEXT: texts,
        hw.INT: st.one_of(st.none(), st.integers(-(10**12), 10**12)),
        hw.NUMBER: st.one_of(st.none(), st.floats(allow_nan=False, allow_infinity=False, width=64)),
        hw.BOOL: st.one_of(st.none(), st.booleans()),
        hw.DATETIME: st.one_of(st.none(), when),
        hw.DATE: st.one_of(st.none(), st.dates(date(2000, 1, 1), date(2030, 1, 1))),
    }
    filler = {hw.UUID: "00000000-0000-4000-8000-000000000000", hw.TEXT: "x", hw.BOOL: False,
              hw.DATETIME: NOW, hw.INT: 0}  # fmt: skip
    cols = ", ".join(wh.q(c.key) for c in sheet.columns)
    marks = ", ".join(["%s"] * len(sheet.columns))
    upd = sheet.keys.index("updated_at")
    newer = f"SELECT {wh.newer_sql(sheet, 'a', 'b')} FROM a, b"
    row = st.tuples(*(by_type[c.type] for c in sheet.columns))
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("SET TIME ZONE 'Asia/Shanghai'")  # the session's zone must not matter
        conn.execute(f"CREATE TEMP TABLE a (LIKE {wh.table(sheet.name)})")
        conn.execute(f"CREATE TEMP TABLE b (LIKE {wh.table(sheet.name)})")

        @settings(max_examples=150, deadline=None, derandomize=True)
        @given(x=row, y=row, same_time=st.booleans(), same_id=st.booleans())
        def check(x: tuple[Any, ...], y: tuple[Any, ...], same_time: bool, same_id: bool) -> None:
            # required columns are never empty in a valid file
            new = [filler[c.type] if v is None and not c.nullable else v
                   for v, c in zip(x, sheet.columns, strict=True)]  # fmt: skip
            old = [filler[c.type] if v is None and not c.nullable else v
                   for v, c in zip(y, sheet.columns, strict=True)]  # fmt: skip
            if same_time:
                old[upd] = new[upd]
            if same_id:
                old[0] = new[0]
            conn.execute("TRUNCATE a, b")
            conn.execute(f"INSERT INTO a ({cols}) VALUES ({marks})", new)
            conn.execute(f"INSERT INTO b ({cols}) VALUES ({marks})", old)
            got = conn.execute(newer).fetchone()
            assert got == (merge_newer(sheet.name, tuple(new), tuple(old)),), (new, old)

        check()
