"""Online forms answer the event's questions: a column whose title matches a question fills
it; a value that does not fit is a warning (the row still comes in); unknown question
columns are offered as questions (the import wizard makes them in one click)."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from desktop_app.cli import main
from desktop_app.services import questions, signups_import
from desktop_app.services.questions import QuestionDraft
from desktop_app.services.registration import list_registrations
from desktop_app.store.db import Database
from tests.unit.test_signups_import import FIX, make_event


def test_matching_columns_fill_the_questions_and_a_misfit_is_a_warning(
    dealer_db: Database,
) -> None:
    ev = make_event(dealer_db, capacity=None)
    parts = ("新车静态展示", "试驾体验", "儿童乐园", "茶歇交流")
    questions.add_question(
        dealer_db, ev, QuestionDraft("parts", "您感兴趣的活动环节", "multi", parts)
    )
    questions.add_question(dealer_db, ev, QuestionDraft("test_drive", "是否需要试驾", "yes_no"))
    questions.add_question(
        dealer_db, ev, QuestionDraft("model", "意向车型", "choice", ("星辰 S7", "星辰 X5"))
    )
    rep = signups_import.import_signups(dealer_db, ev, FIX / "wjx_open_day.xlsx")
    assert set(rep.questions_filled) == {"parts", "test_drive", "model"}
    got = {v.name: v.answers for v in list_registrations(dealer_db, ev)}
    assert got["张伟"]["parts"] == ["试驾体验"]  # his later submission wins
    assert got["张伟"]["test_drive"] is True and got["张伟"]["model"] == "星辰 S7"
    assert got["李娜"] == {"parts": ["茶歇交流"], "test_drive": False}
    assert not [w for w in rep.warnings if w.code == "signup_answer_dropped"]


def test_a_value_that_does_not_fit_its_question_is_a_warning_not_a_rejection(
    dealer_db: Database, tmp_path: Path
) -> None:
    ev = make_event(dealer_db, capacity=None)
    questions.add_question(
        dealer_db, ev, QuestionDraft("size", "衣服尺码", "choice", ("S", "M", "L"))
    )
    questions.add_question(dealer_db, ev, QuestionDraft("lunch", "午餐需要吗", "yes_no"))
    path = tmp_path / "金数据_报名.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["序号", "姓名", "手机号码", "3. 衣服尺码", "4. 午餐需要吗？", "提交时间"])
    ws.append([1, "王芳", "13800138000", "m", "要", "2026-11-20 10:00:00"])
    ws.append([2, "李雷", "13800138001", "XXL", "看情况", "2026-11-20 10:05:00"])
    wb.save(path)
    rep = signups_import.import_signups(dealer_db, ev, path)
    assert rep.rejected == () and rep.to_json()["registrations"]["registered"] == 2
    got = {v.name: v.answers for v in list_registrations(dealer_db, ev)}
    assert got == {"王芳": {"size": "M", "lunch": True}, "李雷": {}}
    dropped = [w for w in rep.warnings if w.code == "signup_answer_dropped"]
    assert {(w.row, w.field, w.value) for w in dropped} == {
        (3, "size", "XXL"),
        (3, "lunch", "看情况"),
    }
    assert len(dropped) == 2, "each left-out answer is a warning of the report"
    text = [w.to_json() for w in dropped]
    assert all("left out" in t["reason"] for t in text)
    assert any("3. 衣服尺码" in t["reason"] for t in text), "the column is named"


def test_a_split_multi_select_answers_one_question(dealer_db: Database) -> None:
    ev = make_event(dealer_db, capacity=None)
    codes = openpyxl.load_workbook(FIX / "wjx_codes.xlsx").active
    headers = [c.value for c in codes[1]]
    option_cols = [h for h in headers if h and "(" in str(h)]
    if not option_cols:
        pytest.skip("the fixture has no split multi-select")
    cand = signups_import.question_candidates(dealer_db, ev, FIX / "wjx_codes.xlsx")
    multi = [c for c in cand if c.draft.type == "multi"]
    assert multi and len(multi[0].draft.choices) >= 2


def test_unknown_columns_become_questions_in_one_click_then_fill(
    dealer_db: Database, tmp_path: Path
) -> None:
    ev = make_event(dealer_db, capacity=None)
    cand = signups_import.question_candidates(dealer_db, ev, FIX / "wjx_open_day.xlsx")
    by_label = {c.draft.label: c for c in cand}
    assert set(by_label) == {"您感兴趣的活动环节", "其他想说的"}, (
        "fields and metadata are not offered"
    )
    parts = by_label["您感兴趣的活动环节"].draft
    assert parts.type == "multi" and "试驾体验" in parts.choices
    assert by_label["其他想说的"].draft.type == "text"
    made = questions.add_questions(dealer_db, ev, [c.draft for c in cand])
    assert len(made) == 2
    assert signups_import.question_candidates(dealer_db, ev, FIX / "wjx_open_day.xlsx") == []
    rep = signups_import.import_signups(dealer_db, ev, FIX / "wjx_open_day.xlsx")
    assert parts.key in rep.questions_filled
    got = {v.name: v.answers for v in list_registrations(dealer_db, ev)}
    assert "试驾体验" in got["张伟"][parts.key]


def test_an_approval_event_takes_form_sign_ups_as_pending(
    dealer_db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    from desktop_app.services import events

    ev = make_event(dealer_db, capacity=2)
    draft = events.get_event(dealer_db, ev).draft()
    from dataclasses import replace

    events.update_event(dealer_db, ev, replace(draft, requires_approval=True))
    code = main(["--db", dealer_db.url, "signups", "import", str(ev), str(FIX / "wjx_open_day.xlsx"), "--json"])  # fmt: skip
    out = json.loads(capsys.readouterr().out)
    assert code == 0 and out["registrations"]["pending"] == 7
    assert out["registrations"]["registered"] == out["registrations"]["waitlisted"] == 0
    assert {v.status for v in list_registrations(dealer_db, ev)} == {"pending"}


def test_the_cli_lists_and_makes_the_new_questions(
    dealer_db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    ev = make_event(dealer_db, capacity=None)
    f = str(FIX / "wjx_open_day.xlsx")
    assert main(["--db", dealer_db.url, "signups", "questions", str(ev), f, "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)["items"]
    assert {x["label"] for x in listed} == {"您感兴趣的活动环节", "其他想说的"}
    code = main(["--db", dealer_db.url, "signups", "import", str(ev), f, "--make-questions", "--json"])  # fmt: skip
    out = json.loads(capsys.readouterr().out)
    assert code == 0 and len(out["questions_made"]) == 2
    assert set(out["questions_filled"]) == {q["key"] for q in out["questions_made"]}


def test_a_misfit_multi_select_warning_shows_the_cell_as_the_form_wrote_it(
    dealer_db: Database,
) -> None:
    ev = make_event(dealer_db, capacity=None)
    parts = ("新车静态展示", "试驾体验", "茶歇交流")  # no 儿童乐园
    questions.add_question(
        dealer_db, ev, QuestionDraft("parts", "您感兴趣的活动环节", "multi", parts)
    )
    rep = signups_import.import_signups(dealer_db, ev, FIX / "wjx_open_day.xlsx")
    dropped = {(w.row, w.value) for w in rep.warnings if w.code == "signup_answer_dropped"}
    assert dropped == {(6, "儿童乐园┋茶歇交流"), (7, "儿童乐园")}


def test_a_number_question_reads_head_counts_as_people_write_them(dealer_db: Database) -> None:
    ev = make_event(dealer_db, capacity=None)
    questions.add_question(dealer_db, ev, QuestionDraft("people", "参加人数", "number"))
    rep = signups_import.import_signups(dealer_db, ev, FIX / "wjx_open_day.xlsx")
    got = {v.name: v.answers.get("people") for v in list_registrations(dealer_db, ev)}
    # 两个, 1, 3人 (张伟's later row), 3人, 1大1小, 1, 2: everyday counts are numbers
    assert got == {
        "张伟": 3, "李娜": 1, "陈静": 3, "赵磊": 2, "13612345678": 1, "周杰": 2, "孙丽": None,
    }  # fmt: skip
    dropped = [(w.row, w.value) for w in rep.warnings if w.code == "signup_answer_dropped"]
    assert dropped == [(9, "全家都来")], "what is not a count stays a warning"
