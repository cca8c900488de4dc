"""Satisfaction surveys as 腾讯问卷, 问卷星 and 金数据 export them: labelled ratings
(非常满意…), "10分" / "五星" / stars, optional phones, and name-only answers.

Fixtures: tests/fixtures/surveys/ (made by tests/fixtures/make_surveys.py).
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest
from sqlalchemy import func, select

from desktop_app.cli import main
from desktop_app.domain.errors import FileUnreadable
from desktop_app.services import feedback
from desktop_app.store.db import Database
from desktop_app.store.models import Feedback, Person, Registration
from tests.checkin_support import make_event, register

FIX = Path(__file__).parents[1] / "fixtures" / "surveys"
ROSTER = [
    ("陈静", "+8613900139005"),
    ("周杰", "+8618600186009"),
    ("刘洋", "+8613900139004"),
    ("王伟", "+8613800138001"),
    ("王伟", "+8613800138009"),  # two 王伟: a name alone never says which
    ("李娜", "+8613800138002"),
]


def setup_event(db: Database) -> uuid.UUID:
    ev = make_event(db, "三月开放日")
    for name, phone in ROSTER:
        register(db, ev, name, phone)
    return ev


def answers(db: Database) -> set[tuple[str | None, int | None, int | None, str]]:
    """(registrant's phone or None for anonymous, rating, nps, comment)."""
    with db.read() as s:
        rows = s.execute(
            select(Person.phone, Feedback.rating, Feedback.nps, Feedback.comment)
            .select_from(Feedback)
            .outerjoin(Registration, Registration.id == Feedback.registration_id)
            .outerjoin(Person, Person.id == Registration.person_id)
        )
        return {(p, r, n, c or "") for p, r, n, c in rows}


def test_a_tencent_survey_with_labelled_ratings_and_points(dealer_db: Database) -> None:
    ev = setup_event(dealer_db)
    rep = feedback.import_feedback(dealer_db, ev, FIX / "tencent_wj_feedback.xlsx")
    assert rep.rejected == () and (rep.created, rep.unmatched) == (5, 1)
    assert rep.mapping["rating"] == "2.您对本次活动的满意度"
    assert rep.mapping["nps"] == "3.您有多大可能向朋友推荐我们?"
    assert answers(dealer_db) == {
        ("+8613900139005", 5, 10, "试驾很过瘾"),  # 非常满意, 10分
        ("+8618600186009", 4, 8, ""),  # 满意
        ("+8613900139004", 3, 6, "停车位不够"),  # 一般
        ("+8613800138001", 5, 9, ""),  # 5分, 9分
        (None, 2, 3, "太吵"),  # 不满意; the phone is nobody's: anonymous
    }


def test_a_wjx_survey_resaved_as_gbk_with_optional_phones(dealer_db: Database) -> None:
    ev = setup_event(dealer_db)
    rep = feedback.import_feedback(dealer_db, ev, FIX / "wjx_feedback_gbk.csv")
    assert rep.rejected == ()
    assert [(w.row, w.field) for w in rep.warnings] == [(5, "phone"), (6, "rating")]
    assert "不方便透露" in rep.warnings[0].reason and "7" in rep.warnings[1].reason
    assert (rep.created, rep.unmatched) == (5, 2)
    assert answers(dealer_db) == {
        ("+8613800138002", 5, 9, "讲解很细致, 下次还来"),  # no phone; 李娜 is one person
        (None, 4, 8, ""),  # 王伟: two of them registered
        ("+8618600186009", 5, 10, "第一行\n第二行"),  # 五星
        (None, 3, 5, ""),  # a phone nobody can read: kept, anonymous
        ("+8613900139004", None, 10, ""),  # 满意度 7: left out, the NPS kept
    }


def test_a_jinshuju_survey_matches_by_name_when_there_is_no_phone(dealer_db: Database) -> None:
    ev = setup_event(dealer_db)
    rep = feedback.import_feedback(dealer_db, ev, FIX / "jinshuju_feedback.xlsx")
    assert rep.mapping["nps"] == "推荐指数" and rep.rejected == ()
    assert answers(dealer_db) == {
        ("+8613900139005", 4, 9, "好"),
        ("+8613900139004", 3, 7, "茶歇一般"),  # ★★★☆☆, matched by its unique name
        (None, 5, 10, ""),
    }
    again = feedback.import_feedback(dealer_db, ev, FIX / "jinshuju_feedback.xlsx")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)


@pytest.mark.parametrize(
    ("raw", "scale", "expected"),
    [
        ("非常满意", (1, 5), 5),
        ("很不满意", (1, 5), 1),
        ("比较满意", (1, 5), 4),
        ("Very satisfied", (1, 5), 5),
        ("5分(非常满意)", (1, 5), 5),
        ("非常满意(5分)", (1, 5), 5),
        ("★★☆☆☆", (1, 5), 2),
        ("四星", (1, 5), 4),
        ("4 stars", (1, 5), 4),
        ("0分", (0, 10), 0),
        ("10分", (0, 10), 10),
        ("十", (0, 10), 10),
    ],
)
def test_ratings_as_survey_platforms_write_them(
    raw: str, scale: tuple[int, int], expected: int
) -> None:
    assert feedback.survey_answer(raw, *scale) == expected


@pytest.mark.parametrize(
    ("raw", "scale"), [("很好", (1, 5)), ("3-4", (1, 5)), ("11分", (0, 10)), ("满意", (0, 10))]
)
def test_an_answer_that_is_no_score_is_refused(raw: str, scale: tuple[int, int]) -> None:
    with pytest.raises(ValueError, match=f"{scale[0]} to {scale[1]}"):
        feedback.survey_answer(raw, *scale)


def test_the_same_anonymous_answer_from_two_people_counts_twice_once(
    dealer_db: Database, tmp_path: Path
) -> None:
    ev = setup_event(dealer_db)
    f = tmp_path / "anonymous.csv"
    f.write_text(
        "序号,1、总体满意度,2、推荐度,3、意见建议\n1,非常满意,10,(空)\n2,非常满意,10,(空)\n"
        "3,一般,6,太吵\n",
        encoding="utf-8-sig",
    )
    first = feedback.import_feedback(dealer_db, ev, f)
    assert (first.created, first.duplicates, first.unmatched) == (3, 0, 3)
    again = feedback.import_feedback(dealer_db, ev, f)
    assert (again.created, again.unchanged) == (0, 3)
    f.write_text(f.read_text(encoding="utf-8-sig") + "4,非常满意,10,(空)\n", encoding="utf-8")
    more = feedback.import_feedback(dealer_db, ev, f)  # the export, a day later
    assert (more.created, more.unchanged) == (1, 3)
    with dealer_db.read() as s:
        assert s.scalar(select(func.count()).select_from(Feedback)) == 4


def test_a_file_without_answers_is_refused_with_its_columns_and_changes_nothing(
    dealer_db: Database, tmp_path: Path
) -> None:
    ev = setup_event(dealer_db)
    f = tmp_path / "list.csv"
    f.write_text("姓名,手机号码\n陈静,13900139005\n", encoding="utf-8")
    with pytest.raises(FileUnreadable, match=r"no rating, NPS or comment column.*姓名, 手机号码"):
        feedback.import_feedback(dealer_db, ev, f)
    with dealer_db.read() as s:
        assert s.scalar(select(func.count()).select_from(Feedback)) == 0


def test_the_cli_imports_a_survey(
    dealer_sqlite: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    ev = setup_event(dealer_sqlite)
    path = FIX / "wjx_feedback_gbk.csv"
    args = ["--db", dealer_sqlite.url, "feedback", "import", str(ev), str(path)]
    assert main([*args, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["created"] == 5 and data["warnings"][0]["row"] == 5
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "5 unchanged" in out and "row 6: Rating: must be from 1 to 5: 7" in out


def test_a_chinese_coordinator_reads_the_survey_s_rejected_and_kept_rows_in_chinese(
    dealer_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    ev = setup_event(dealer_db)
    rep = feedback.import_feedback(dealer_db, ev, FIX / "wjx_feedback_gbk.csv")
    assert [w.localized("zh") for w in rep.warnings] == [
        "手机号：不方便透露 含有字母或汉字；问卷答案已保留，但未关联到客户",
        "评分：评分应在 1 到 5 之间：7；该份问卷的其他答案已保留",
    ]
    monkeypatch.setenv("PADDOCK_LANG", "zh_CN")  # --json and the CLI on a Chinese desk
    assert rep.to_json()["warnings"][1] == {
        "row": 6,
        "field": "rating",
        "value": "7",
        "reason": "评分：评分应在 1 到 5 之间：7；该份问卷的其他答案已保留",
        "code": "feedback_answer_dropped",
    }
    assert "  第 6 行：评分：评分应在 1 到 5 之间：7；该份问卷的其他答案已保留" in rep.summary()
