"""The HQ workbook's questions and answers sheets (schema version 2) and `hq merge` of a
version-1 file (no such sheets) together with a version-2 one."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import python_calamine as pc

from desktop_app.io import hq_workbook as hw
from desktop_app.services import questions
from desktop_app.services.hq_export import export_hq
from desktop_app.services.hq_merge import merge_hq
from desktop_app.services.questions import QuestionDraft
from desktop_app.services.registration import register
from desktop_app.store.db import Database
from tests.checkin_support import make_event


def _with_answers(db: Database) -> str:
    ev = make_event(db)
    questions.add_question(db, ev, QuestionDraft("lunch", "午餐需要吗", "yes_no", required=True))
    questions.add_question(
        db, ev, QuestionDraft("parts", "感兴趣的环节", "multi", ("=抽奖", "试驾", "午餐"))
    )
    questions.add_question(db, ev, QuestionDraft("note", "备注"))
    register(
        db,
        ev,
        phone="13800138000",
        name="王芳",
        answers={"lunch": "是", "parts": "试驾┋=抽奖", "note": "我的电话 13912345678"},
    )
    return str(ev)


def test_the_answers_sheet_is_readable_by_other_tools_and_masks_phones(
    dealer_db: Database, tmp_path: Path
) -> None:
    ev = _with_answers(dealer_db)
    out = tmp_path / "SH-0021.xlsx"
    export_hq(dealer_db, out, pii="masked")
    wb = pc.CalamineWorkbook.from_path(str(out))
    qs = wb.get_sheet_by_name("questions").to_python()
    head = qs[0]
    rows = [dict(zip(head, r, strict=True)) for r in qs[1:]]
    assert {r["key"]: r["choices"] for r in rows} == {
        "lunch": "",
        "parts": "=抽奖; 试驾; 午餐",  # text as written (a quote-prefixed string cell)
        "note": "",
    }
    assert all(r["event_id"] == ev for r in rows)
    ans = wb.get_sheet_by_name("answers").to_python()
    got = {r[ans[0].index("question_key")]: r[ans[0].index("value")] for r in ans[1:]}
    assert got["lunch"] == "yes" and got["parts"] == "=抽奖; 试驾"
    assert "13912345678" not in got["note"] and got["note"].startswith("我的电话 139")
    ob = openpyxl.load_workbook(out, read_only=True)  # a second reader opens it too
    assert "answers" in ob.sheetnames and "questions" in ob.sheetnames
    meta = {r[0]: r[1] for r in wb.get_sheet_by_name("_meta").to_python()[1:]}
    assert meta["schema_version"] == 2 and meta["rows.answers"] == 3


def _as_version_1(src: Path, dst: Path) -> None:
    """What a Paddock of schema 1 wrote: no questions/answers sheets, version 1."""
    wb = openpyxl.load_workbook(src)
    for sheet in hw.SHEETS:
        if sheet.since > 1:
            del wb[sheet.name]
    meta = wb["_meta"]
    for row in list(meta.iter_rows()):
        if row[0].value == "schema_version":
            row[1].value = 1
        if str(row[0].value).startswith("rows.") and str(row[0].value)[5:] not in wb.sheetnames:
            row[0].value = row[1].value = None
    wb.save(dst)


def test_hq_merge_takes_version_1_and_version_2_files_together(
    dealer_db: Database, tmp_path: Path, _migrated_sqlite: Path
) -> None:
    import shutil

    from desktop_app.services.dealer import init_dealer
    from desktop_app.store.db import open_database

    _with_answers(dealer_db)
    v2 = tmp_path / "SH-0021.xlsx"
    export_hq(dealer_db, v2, pii="full")
    other_path = tmp_path / "other.sqlite"
    shutil.copyfile(_migrated_sqlite, other_path)
    other = open_database(str(other_path))
    try:
        init_dealer(other, "SZ-0107", "深圳鹏程汽车", "深圳", "华南")
        _with_answers(other)
        export_hq(other, tmp_path / "SZ-new.xlsx", pii="full")
    finally:
        other.close()
    v1 = tmp_path / "SZ-0107.xlsx"
    _as_version_1(tmp_path / "SZ-new.xlsx", v1)
    assert hw.read_workbook(v1).meta["schema_version"] == 1
    report = merge_hq([v1, v2], tmp_path / "rollup.xlsx")
    assert [f.status for f in report.files] == ["merged", "merged"]
    rollup = pc.CalamineWorkbook.from_path(str(tmp_path / "rollup.xlsx"))
    answers = rollup.get_sheet_by_name("answers").to_python()
    dealers = {r[answers[0].index("dealer_code")] for r in answers[1:]}
    assert dealers == {"SH-0021"}, "the version-1 file brings no answers, and no error"
    regs = rollup.get_sheet_by_name("registrations").to_python()
    assert {r[regs[0].index("dealer_code")] for r in regs[1:]} == {"SH-0021", "SZ-0107"}


def test_an_erased_persons_answers_are_blank_in_the_roll_up_whatever_the_file_order(
    dealer_db: Database, tmp_path: Path
) -> None:
    from desktop_app.services import erasure

    _with_answers(dealer_db)
    before = tmp_path / "before.xlsx"
    export_hq(dealer_db, before, pii="full")
    (person,) = [r["person_id"] for r in _sheet(before, "registrations")]
    erasure.erase_person(dealer_db, person, reason="本人要求")
    after = tmp_path / "after.xlsx"
    export_hq(dealer_db, after, pii="full")
    for files in ([before, after], [after, before]):
        merge_hq(files, tmp_path / "rollup.xlsx")
        values = [r["value"] for r in _sheet(tmp_path / "rollup.xlsx", "answers")]
        assert len(values) == 3 and all(v in (None, "") for v in values), files


def _sheet(path: Path, name: str) -> list[dict]:
    rows = pc.CalamineWorkbook.from_path(str(path)).get_sheet_by_name(name).to_python()
    return [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]
