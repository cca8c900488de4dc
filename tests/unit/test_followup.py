"""Follow-up lists after the open day: who to call, exported and handed to butlers."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from desktop_app.domain.errors import NotFound, ValidationError
from desktop_app.services import invitations
from desktop_app.services.followup import assign, follow_up
from desktop_app.store.db import Database
from desktop_app.store.models import Person
from tests.reports_support import Clock, Quarter, build_quarter, local

AFTER_A = local(2026, 3, 8, 9)


@pytest.fixture
def quarter(dealer_db: Database, monkeypatch: pytest.MonkeyPatch) -> Quarter:
    return build_quarter(dealer_db, Clock(monkeypatch))


def _names(lst: object) -> set[str]:
    return {r.name for r in lst.rows}  # type: ignore[attr-defined]


def test_no_shows_of_the_open_day(dealer_db: Database, quarter: Quarter) -> None:
    lst = follow_up(dealer_db, "no_shows", event_id=quarter.a, now=AFTER_A)
    assert _names(lst) == {"杨磊", "赵敏", "黄勇", "吴芳"}  # R6, R7, R8, R10
    assert all(r.event_title == "三月开放日" for r in lst.rows)
    assert lst.to_json()["count"] == 4


def test_nobody_is_a_no_show_before_the_event_is_over(
    dealer_db: Database, quarter: Quarter
) -> None:
    assert (
        follow_up(dealer_db, "no_shows", event_id=quarter.a, now=local(2026, 3, 7, 15)).rows == ()
    )


def test_walk_ins_who_asked_for_a_test_drive(dealer_db: Database, quarter: Quarter) -> None:
    lst = follow_up(dealer_db, "test_drive", event_id=quarter.a, now=AFTER_A)
    assert [(r.name, r.interest_model, r.phone) for r in lst.rows] == [
        ("钱多多", "ET5", "+8613600136001")
    ]


def test_prospects_who_came_and_have_not_bought_yet(dealer_db: Database, quarter: Quarter) -> None:
    # 张强 (R3) came as a prospect but became a member on 03-10: no longer on the list.
    # 郑好 (walk-in) came too but did not agree to marketing calls: left out, and counted.
    expected = {"王伟", "李娜", "周杰", "钱多多"}
    lst = follow_up(dealer_db, "prospects", event_id=quarter.a, now=AFTER_A)
    assert _names(lst) == expected
    assert lst.left_out_no_consent == 1
    assert lst.to_json()["left_out_no_consent"] == 1
    # without an event: the last 30 days (only the open day; January's class is older)
    assert _names(follow_up(dealer_db, "prospects", now=AFTER_A)) == expected


def test_owners_not_seen_for_months(dealer_db: Database, quarter: Quarter) -> None:
    one = follow_up(dealer_db, "dormant", months=1, now=AFTER_A)
    last = {r.name: r.last_attended_at for r in one.rows}
    assert set(last) == {"杨磊", "孙丽"}  # R6 never came; REF last came in January
    assert last["杨磊"] is None
    assert last["孙丽"] == local(2026, 1, 17, 10)
    assert _names(follow_up(dealer_db, "dormant", months=3, now=AFTER_A)) == {"杨磊"}


def test_unknown_list_or_bad_months_are_refused(dealer_db: Database) -> None:
    with pytest.raises(ValidationError):
        follow_up(dealer_db, "vips")
    with pytest.raises(ValidationError):
        follow_up(dealer_db, "dormant", months=0)


def test_assigning_without_an_event_makes_them_the_butlers_people(
    dealer_db: Database, quarter: Quarter
) -> None:
    lst = follow_up(dealer_db, "dormant", months=1, now=AFTER_A)
    res = assign(dealer_db, [r.person_id for r in lst.rows], quarter.li)
    assert (res.created, res.updated, res.unchanged) == (0, 2, 0)
    with dealer_db.read() as s:
        butlers = set(
            s.scalars(
                select(Person.butler_id).where(Person.id.in_([r.person_id for r in lst.rows]))
            )
        )
    assert butlers == {quarter.li}
    again = assign(dealer_db, [r.person_id for r in lst.rows], quarter.li)
    assert (again.updated, again.unchanged) == (0, 2)
    assert {r.butler for r in follow_up(dealer_db, "dormant", months=1, now=AFTER_A).rows} == {
        "李管家"
    }


def test_assigning_for_an_event_puts_them_on_the_butlers_call_list(
    dealer_db: Database, quarter: Quarter
) -> None:
    ids = [
        r.person_id for r in follow_up(dealer_db, "no_shows", event_id=quarter.a, now=AFTER_A).rows
    ]
    res = assign(dealer_db, ids, quarter.wang, event_id=quarter.d, note="开放日未到")
    assert (res.created, res.updated, res.unchanged) == (4, 0, 0)
    wang_list = invitations.list_invitations(dealer_db, quarter.d, butler_id=quarter.wang)
    assert {r.person_id for r in wang_list} >= set(ids)
    # handed over to 李管家 before anyone called: the lines move
    moved = assign(dealer_db, ids, quarter.li, event_id=quarter.d)
    assert (moved.created, moved.updated) == (0, 4)
    line = next(
        r
        for r in invitations.list_invitations(dealer_db, quarter.d, butler_id=quarter.li)
        if r.person_id == ids[0]
    )
    invitations.set_call_status(dealer_db, line.id, "no_answer")
    # already called: the outcome stays with whoever called
    back = assign(dealer_db, ids, quarter.wang, event_id=quarter.d)
    assert (back.updated, back.unchanged) == (3, 1)


def test_assigning_to_an_unknown_butler_changes_nothing(
    dealer_db: Database, quarter: Quarter
) -> None:
    with pytest.raises(NotFound):
        assign(dealer_db, [quarter.p["R6"]], quarter.p["R6"])


def test_follow_up_list_exports_with_chinese_headers(dealer_db: Database, quarter: Quarter) -> None:
    headers, rows = follow_up(dealer_db, "test_drive", event_id=quarter.a, now=AFTER_A).table("zh")
    assert headers[:3] == ["姓名", "手机号", "阶段"]
    assert rows[0][0] == "钱多多"
