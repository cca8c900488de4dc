"""Club leaders run their 车友会: members with roles, join dates, and the club's events."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from desktop_app.domain.errors import NotFound, RuleViolation, ValidationError
from desktop_app.services import clubs, people
from desktop_app.services.clubs import ClubDraft
from desktop_app.services.people import PersonDraft
from desktop_app.store.db import Database
from desktop_app.store.models import Event, Registration


def person(db: Database, name: str, phone: str) -> people.PersonView:
    return people.create_person(db, PersonDraft(name=name, phone=phone))


@pytest.fixture
def club(dealer_db: Database) -> clubs.ClubView:
    return clubs.create_club(dealer_db, ClubDraft("上海ID.4车友会", "ID.4", "上海", "周末自驾"))


def test_a_club_has_a_model_focus_and_city(dealer_db: Database, club: clubs.ClubView) -> None:
    assert (club.name, club.model_focus, club.city, club.members) == (
        "上海ID.4车友会",
        "ID.4",
        "上海",
        0,
    )
    edited = clubs.update_club(dealer_db, club.id, ClubDraft("沪ID.4车友会", "ID.4 X", "上海"))
    assert edited.name == "沪ID.4车友会" and edited.model_focus == "ID.4 X"
    assert [c.name for c in clubs.list_clubs(dealer_db, "id.4")] == ["沪ID.4车友会"]
    assert clubs.list_clubs(dealer_db, "北京") == []
    with pytest.raises(ValidationError):
        clubs.create_club(dealer_db, ClubDraft("  "))


def test_members_join_with_roles_and_dates(dealer_db: Database, club: clubs.ClubView) -> None:
    a = person(dealer_db, "张伟", "13800138000")
    b = person(dealer_db, "李娜", "13912345678")
    c = person(dealer_db, "王芳", "15000001111")
    clubs.join_club(dealer_db, club.id, a.id, "member", date(2024, 3, 1))
    clubs.join_club(dealer_db, club.id, b.id, "leader", date(2023, 1, 1))
    clubs.join_club(dealer_db, club.id, c.id, "kol")
    rows = clubs.members(dealer_db, club.id)
    assert [(r.name, r.role) for r in rows] == [
        ("李娜", "leader"),
        ("王芳", "kol"),
        ("张伟", "member"),
    ]
    assert rows[2].joined_on == date(2024, 3, 1)
    assert rows[1].joined_on is not None
    view = clubs.get_club(dealer_db, club.id)
    assert view.members == 3 and view.leaders == ("李娜",)
    assert [r.name for r in clubs.members(dealer_db, club.id, "kol")] == ["王芳"]


def test_joining_twice_is_refused_and_a_bad_role_is_named(
    dealer_db: Database, club: clubs.ClubView
) -> None:
    a = person(dealer_db, "张伟", "13800138000")
    clubs.join_club(dealer_db, club.id, a.id)
    with pytest.raises(RuleViolation) as err:
        clubs.join_club(dealer_db, club.id, a.id)
    assert "张伟" in str(err.value)
    with pytest.raises(ValidationError):
        clubs.change_role(dealer_db, club.id, a.id, "president")


def test_leaving_and_rejoining_keeps_one_membership(
    dealer_db: Database, club: clubs.ClubView
) -> None:
    a = person(dealer_db, "张伟", "13800138000")
    first = clubs.join_club(dealer_db, club.id, a.id, joined_on=date(2023, 5, 1))
    clubs.change_role(dealer_db, club.id, a.id, "leader")
    clubs.leave_club(dealer_db, club.id, a.id)
    assert clubs.members(dealer_db, club.id) == []
    with pytest.raises(RuleViolation):
        clubs.leave_club(dealer_db, club.id, a.id)
    again = clubs.join_club(dealer_db, club.id, a.id, "member", date(2025, 1, 1))
    assert again.id == first.id and again.role == "member" and again.joined_on == date(2025, 1, 1)
    assert [c.club_name for c in people.person_detail(dealer_db, a.id).clubs] == ["上海ID.4车友会"]


def test_club_activity_counts_members_who_attended(
    dealer_db: Database, club: clubs.ClubView
) -> None:
    a = person(dealer_db, "张伟", "13800138000")
    b = person(dealer_db, "李娜", "13912345678")
    outsider = person(dealer_db, "路人", "15000001111")
    clubs.join_club(dealer_db, club.id, a.id)
    clubs.join_club(dealer_db, club.id, b.id)
    with dealer_db.write() as s:
        drive = Event(
            title="千岛湖自驾",
            type="club_drive",
            status="completed",
            starts_at=datetime(2026, 10, 3, 0, tzinfo=UTC),
        )
        other = Event(
            title="开放日",
            type="open_day",
            status="completed",
            starts_at=datetime(2026, 10, 9, 0, tzinfo=UTC),
        )
        s.add_all([drive, other])
        s.flush()
        ids = (drive.id, other.id)
        s.add_all(
            [
                Registration(event_id=drive.id, person_id=a.id, status="attended"),
                Registration(event_id=drive.id, person_id=b.id, status="no_show"),
                Registration(
                    event_id=drive.id,
                    person_id=outsider.id,
                    status="registered",
                    checked_in_at=datetime(2026, 10, 3, 0, 5, tzinfo=UTC),
                ),
                Registration(event_id=other.id, person_id=a.id, status="attended"),
            ]
        )
    clubs.link_event(dealer_db, club.id, ids[0])
    clubs.link_event(dealer_db, club.id, ids[0])  # idempotent
    rows = clubs.club_activity(dealer_db, club.id)
    assert [(r.title, r.members_registered, r.members_attended, r.attended) for r in rows] == [
        ("千岛湖自驾", 1, 1, 2)
    ]
    assert clubs.get_club(dealer_db, club.id).events == 1
    assert {m.name: m.events_attended for m in clubs.members(dealer_db, club.id)} == {
        "张伟": 1,
        "李娜": 0,
    }
    clubs.unlink_event(dealer_db, club.id, ids[0])
    assert clubs.club_activity(dealer_db, club.id) == []


def test_filtering_people_by_club(dealer_db: Database, club: clubs.ClubView) -> None:
    a = person(dealer_db, "张伟", "13800138000")
    person(dealer_db, "李娜", "13912345678")
    clubs.join_club(dealer_db, club.id, a.id)
    assert [r.name for r in people.search_people(dealer_db, "", club_id=club.id)] == ["张伟"]
    assert people.count_people(dealer_db, "", club_id=club.id) == 1


def test_unknown_club_is_not_found(dealer_db: Database) -> None:
    with pytest.raises(NotFound):
        clubs.members(dealer_db, "00000000-0000-0000-0000-000000000009")
