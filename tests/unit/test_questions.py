"""Sign-up questions: asked at sign-up, at the desk (needs_answers), counted in reports."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from desktop_app.domain.errors import ValidationError
from desktop_app.domain.timeutil import now_utc
from desktop_app.services import events, questions
from desktop_app.services.checkin import scan
from desktop_app.services.questions import QuestionDraft
from desktop_app.services.registration import list_registrations, register
from desktop_app.store.db import Database
from desktop_app.store.models import Answer, Registration, ScanLog
from tests.checkin_support import make_event
from tests.checkin_support import register as seat_for


def _ask(db: Database, ev: uuid.UUID, key: str, label: str, type: str = "text", **kw: object):
    return questions.add_question(db, ev, QuestionDraft(key, label, type, **kw))  # type: ignore[arg-type]


def test_a_question_key_is_one_word_unique_per_event_and_choices_need_two(
    dealer_db: Database,
) -> None:
    ev = make_event(dealer_db)
    q = _ask(dealer_db, ev, " Lunch ", "午餐需要吗", "yes_no", required=True)
    assert (q.key, q.type, q.required, q.at_signup, q.at_desk) == (
        "lunch",
        "yes_no",
        True,
        True,
        False,
    )
    with pytest.raises(ValidationError) as err:
        _ask(dealer_db, ev, "LUNCH", "again")
    assert err.value.code == "question_key_taken"
    with pytest.raises(ValidationError) as err:
        _ask(dealer_db, ev, "shirt size", "尺码")
    assert err.value.code == "question_key_bad"
    with pytest.raises(ValidationError) as err:
        _ask(dealer_db, ev, "size", "尺码", "choice", choices=("S",))
    assert err.value.code == "question_choices_needed"
    size = _ask(dealer_db, ev, "size", "尺码", "choice", choices=("S", "M", "L"))
    assert size.choices == ("S", "M", "L")
    assert [x.key for x in questions.list_questions(dealer_db, ev)] == ["lunch", "size"]


def test_registering_keeps_typed_answers_and_a_missing_required_one_refuses(
    dealer_db: Database,
) -> None:
    ev = make_event(dealer_db)
    _ask(dealer_db, ev, "lunch", "午餐需要吗", "yes_no", required=True)
    _ask(dealer_db, ev, "people", "同行人数", "number")
    _ask(dealer_db, ev, "parts", "感兴趣的环节", "multi", choices=("试驾", "午餐", "抽奖"))
    _ask(dealer_db, ev, "licence", "驾照已查验", "yes_no", at_desk=True, at_signup=False)
    with pytest.raises(ValidationError) as err:
        register(dealer_db, ev, phone="13800138000", name="王芳", answers={"people": "2"})
    assert err.value.code == "answers_required" and "午餐需要吗" in str(err.value)
    with dealer_db.read() as s:
        assert s.scalar(select(func.count()).select_from(Registration)) == 0
    v = register(
        dealer_db,
        ev,
        phone="13800138000",
        name="王芳",
        answers={"lunch": "需要", "people": "两", "parts": "抽奖┋试驾"},
    )
    assert v.to_json()["answers"] == {"lunch": True, "people": 2, "parts": ["试驾", "抽奖"]}
    with dealer_db.read() as s:
        rows = {a.question_key: (a.value, a.source) for a in s.scalars(select(Answer))}
    assert rows == {
        "lunch": ("yes", "signup"),
        "people": ("2", "signup"),
        "parts": ("试驾; 抽奖", "signup"),
    }


def test_a_value_that_does_not_fit_says_which_question_and_writes_nothing(
    dealer_db: Database,
) -> None:
    ev = make_event(dealer_db)
    _ask(dealer_db, ev, "size", "衣服尺码", "choice", choices=("S", "M", "L"))
    with pytest.raises(ValidationError) as err:
        register(dealer_db, ev, phone="13800138000", name="王芳", answers={"size": "XXL"})
    assert "衣服尺码" in str(err.value) and "XXL" in str(err.value)
    with pytest.raises(ValidationError) as err:
        register(dealer_db, ev, phone="13800138000", name="王芳", answers={"colour": "red"})
    assert err.value.code == "unknown_question" and "size" in str(err.value)
    with dealer_db.read() as s:
        assert s.scalar(select(func.count()).select_from(Registration)) == 0


def test_a_required_desk_question_holds_the_check_in_until_answered(dealer_db: Database) -> None:
    ev = make_event(dealer_db)
    _ask(dealer_db, ev, "size", "衣服尺码", "choice", choices=("S", "M", "L"), at_desk=True,
         at_signup=False, required=True)  # fmt: skip
    _ask(dealer_db, ev, "lunch", "午餐需要吗", "yes_no", at_desk=True)
    seat = seat_for(dealer_db, ev)
    out = scan(dealer_db, ev, seat.code, desk="A")
    assert out.result == "needs_answers" and not out.accepted
    asked = {q["key"]: q for q in out.to_json()["questions"]}
    assert asked["size"]["missing"] and asked["size"]["choices"] == ["S", "M", "L"]
    assert not asked["lunch"]["missing"]  # optional: shown, not demanded
    with dealer_db.read() as s:
        assert s.scalar(select(func.count()).select_from(ScanLog)) == 0, "nothing written"
        assert s.get(Registration, seat.registration_id).checked_in_at is None
    with pytest.raises(ValidationError):
        scan(dealer_db, ev, seat.code, desk="A", answers={"size": "XXL"})
    out = scan(dealer_db, ev, seat.code, desk="A", answers={"size": "2", "lunch": "否"})
    assert out.result == "accepted" and out.answers == {"size": "M", "lunch": False}
    with dealer_db.read() as s:
        log = s.scalars(select(ScanLog)).one()
        assert log.answers == {"size": "M", "lunch": False}, "the scan log keeps the answer"
        sources = {a.question_key: a.source for a in s.scalars(select(Answer))}
    assert sources == {"size": "desk", "lunch": "desk"}
    again = scan(dealer_db, ev, seat.code, desk="B")
    assert again.result == "already_checked_in", "answered once: not asked again"


def test_a_desk_question_answered_at_sign_up_is_not_asked_again(dealer_db: Database) -> None:
    ev = make_event(dealer_db)
    _ask(dealer_db, ev, "size", "衣服尺码", "choice", choices=("S", "M"), at_desk=True,
         at_signup=True, required=True)  # fmt: skip
    v = register(dealer_db, ev, phone="13800138000", name="王芳", answers={"size": "s"})
    assert v.answers == {"size": "S"}
    assert scan(dealer_db, ev, v.ticket_code or "", desk="A").result == "accepted"


def test_answer_counts_per_option_and_the_mean_of_numbers(dealer_db: Database) -> None:
    ev = make_event(dealer_db)
    _ask(dealer_db, ev, "lunch", "午餐", "yes_no")
    _ask(dealer_db, ev, "size", "尺码", "choice", choices=("S", "M", "L"))
    _ask(dealer_db, ev, "kids", "儿童人数", "number")
    _ask(dealer_db, ev, "note", "备注")
    people = [
        ("13800138000", {"lunch": "是", "size": "M", "kids": "1"}),
        ("13800138001", {"lunch": "否", "size": "M", "kids": "3"}),
        ("13800138002", {"lunch": "是"}),
        ("13800138003", {}),
    ]
    for i, (phone, answers) in enumerate(people):
        register(dealer_db, ev, phone=phone, name=f"车主{i}", answers=answers)
    counts = {c.key: c for c in questions.answer_counts(dealer_db, ev)}
    assert counts["lunch"].to_json()["counts"] == {"yes": 2, "no": 1}
    assert (counts["lunch"].answered, counts["lunch"].unanswered) == (3, 1)
    assert counts["size"].to_json()["counts"] == {"S": 0, "M": 2, "L": 0}
    assert (counts["kids"].mean, counts["kids"].minimum, counts["kids"].maximum) == (2.0, 1, 3)
    assert counts["note"].answered == 0 and counts["note"].options == ()


def test_follow_up_by_answer_everyone_who_wants_a_test_drive(dealer_db: Database) -> None:
    ev = make_event(dealer_db)
    _ask(dealer_db, ev, "parts", "环节", "multi", choices=("试驾", "午餐", "抽奖"))
    register(dealer_db, ev, phone="13800138000", name="王芳", answers={"parts": "试驾,午餐"})
    register(dealer_db, ev, phone="13800138001", name="李雷", answers={"parts": "抽奖"})
    register(dealer_db, ev, phone="13800138002", name="韩梅", answers={"parts": "试驾"})
    got = list_registrations(dealer_db, ev, answers={"parts": "试驾"})
    assert sorted(v.name for v in got) == ["王芳", "韩梅"]
    both = list_registrations(dealer_db, ev, answers={"parts": "1;2"})
    assert [v.name for v in both] == ["王芳"]


def test_changing_an_answered_question_keeps_its_answers_consistent(dealer_db: Database) -> None:
    ev = make_event(dealer_db)
    q = _ask(dealer_db, ev, "size", "尺码", "choice", choices=("S", "M", "L"))
    register(dealer_db, ev, phone="13800138000", name="王芳", answers={"size": "M"})
    from dataclasses import replace

    from desktop_app.domain.errors import RuleViolation

    with pytest.raises(RuleViolation):
        questions.update_question(dealer_db, q.id, replace(q.draft(), type="text"))
    with pytest.raises(RuleViolation):
        questions.update_question(dealer_db, q.id, replace(q.draft(), choices=("S", "L")))
    renamed = questions.update_question(
        dealer_db, q.id, replace(q.draft(), key="shirt", choices=("S", "M", "L", "XL"))
    )
    assert renamed.key == "shirt"
    assert list_registrations(dealer_db, ev)[0].answers == {"shirt": "M"}


def test_a_duplicated_event_and_a_template_bring_their_questions(dealer_db: Database) -> None:
    ev = make_event(dealer_db)
    _ask(dealer_db, ev, "lunch", "午餐需要吗", "yes_no", required=True)
    _ask(dealer_db, ev, "size", "尺码", "choice", choices=("S", "M"), at_desk=True)
    copy = events.duplicate_event(dealer_db, ev, now_utc() + timedelta(days=30))
    assert [
        (q.key, q.required, q.at_desk) for q in questions.list_questions(dealer_db, copy.id)
    ] == [
        ("lunch", True, False),
        ("size", False, True),
    ]
    t = events.save_as_template(dealer_db, ev, "同城会模板")
    made = events.create_from_template(dealer_db, t.id, now_utc() + timedelta(days=60))
    assert [q.key for q in questions.list_questions(dealer_db, made.id)] == ["lunch", "size"]


def test_removing_a_question_keeps_answers_and_its_key_can_come_back(dealer_db: Database) -> None:
    ev = make_event(dealer_db)
    q = _ask(dealer_db, ev, "lunch", "午餐", "yes_no")
    register(dealer_db, ev, phone="13800138000", name="王芳", answers={"lunch": "是"})
    questions.remove_question(dealer_db, q.id)
    assert questions.list_questions(dealer_db, ev) == []
    assert list_registrations(dealer_db, ev)[0].answers == {}
    back = _ask(dealer_db, ev, "lunch", "午餐需要吗", "yes_no")
    assert back.id == q.id and list_registrations(dealer_db, ev)[0].answers == {"lunch": True}


def test_the_event_report_counts_answers_and_a_follow_up_list_finds_them(
    dealer_db: Database,
) -> None:
    from desktop_app.services.followup import follow_up
    from desktop_app.services.reports import event_report

    ev = make_event(dealer_db)
    _ask(dealer_db, ev, "test_drive", "需要试驾吗", "yes_no")
    register(dealer_db, ev, phone="13800138000", name="王芳", answers={"test_drive": "需要"})
    register(dealer_db, ev, phone="13800138001", name="李雷", answers={"test_drive": "不需要"})
    rep = event_report(dealer_db, ev).to_json()
    assert rep["answers"][0]["key"] == "test_drive"
    assert rep["answers"][0]["counts"] == {"yes": 1, "no": 1}
    lst = follow_up(dealer_db, "answered", event_id=ev, answer=("test_drive", "是"))
    assert [(r.name, r.answer) for r in lst.rows] == [("王芳", "yes")]
    headers, rows = lst.table("zh")
    assert headers[-1] == "答案" and rows[0][-1] == "yes"


def test_erasing_a_person_blanks_their_answers_and_desk_answers(dealer_db: Database) -> None:
    from desktop_app.services import erasure

    ev = make_event(dealer_db)
    _ask(dealer_db, ev, "note", "想说的话")
    _ask(dealer_db, ev, "size", "尺码", "choice", choices=("S", "M"), at_desk=True,
         at_signup=False, required=True)  # fmt: skip
    v = register(dealer_db, ev, phone="13800138000", name="王芳",
                 answers={"note": "我的车牌是沪A·D12345"})  # fmt: skip
    other = register(dealer_db, ev, phone="13800138001", name="李雷", answers={"note": "你好"})
    assert scan(dealer_db, ev, v.ticket_code or "", desk="A", answers={"size": "M"}).accepted
    res = erasure.erase_person(dealer_db, str(v.person_id), reason="本人要求")
    assert res.to_json()["rows"].get("answers", 0) >= 2
    with dealer_db.read() as s:
        mine = {
            a.question_key: a.value for a in s.scalars(select(Answer)) if a.registration_id == v.id
        }
        assert mine == {"note": "", "size": "M"}, "text goes; a picked option stays (counts)"
        values = {a.registration_id: a.value for a in s.scalars(select(Answer))}
        assert values[other.id] == "你好", "another person's answers stay"
        assert s.scalars(select(ScanLog.answers)).one() is None
