"""A coordinator plans events: every type, its details, its lifecycle, copies and templates.

Runs on SQLite and (in CI) on PostgreSQL through the `db` fixture.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from desktop_app.domain.enums import EventStatus, EventType
from desktop_app.domain.errors import (
    ConfirmationRequired,
    NotFound,
    RuleViolation,
    ValidationError,
)
from desktop_app.domain.timeutil import parse_local
from desktop_app.services import events, registration, walkin
from desktop_app.services.events import EventDraft, SessionSlot
from desktop_app.store.db import Database
from desktop_app.store.models import AuditEntry, Event, Person, Registration

START = parse_local("2026-12-05 09:30", "Asia/Shanghai")
assert START is not None
END = START + timedelta(hours=7)


def open_day(**kw: object) -> EventDraft:
    base = EventDraft(
        title="冬季开放日",
        type=EventType.OPEN_DAY,
        starts_at=START,
        ends_at=END,
        venue="浦东展厅",
        capacity=200,
    )
    return replace(base, **kw)  # type: ignore[arg-type]


def event_count(db: Database) -> int:
    with db.read() as s:
        return s.scalar(select(func.count()).select_from(Event)) or 0


@pytest.mark.parametrize("kind", list(EventType))
def test_every_event_type_can_be_planned_and_published(
    dealer_db: Database, kind: EventType
) -> None:
    draft = open_day(title=f"{kind} event", type=kind)
    if kind == EventType.CLUB_DRIVE:
        draft = replace(
            draft,
            venue=None,
            details={
                "meeting_point": "G60 松江服务区",
                "route_stops": ["千岛湖", " ", "文渊狮城"],
                "departure_time": (START + timedelta(minutes=30)).isoformat(),
                "max_cars": 12,
            },
        )
    if kind == EventType.CARE_CLASS:
        draft = replace(
            draft,
            details={"instructor": "王师傅", "topic": "轮胎"},
            sessions=(
                SessionSlot(START, START + timedelta(hours=2), "胎压"),
                SessionSlot(START + timedelta(hours=3), END, "电池"),
            ),
        )
    created = events.create_event(dealer_db, draft)
    assert created.status == EventStatus.DRAFT
    published = events.set_status(dealer_db, created.id, EventStatus.PUBLISHED)
    shown = events.get_event(dealer_db, created.id)
    assert shown.status == published.status == EventStatus.PUBLISHED
    assert shown.starts_at == START and shown.ends_at == END
    if kind == EventType.CLUB_DRIVE:
        assert shown.details["route_stops"] == ["千岛湖", "文渊狮城"]  # order kept, blanks gone
        assert shown.details["max_cars"] == 12
    if kind == EventType.CARE_CLASS:
        assert [s.topic for s in shown.sessions] == ["胎压", "电池"]
        assert shown.details["instructor"] == "王师傅"


def test_times_are_stored_in_utc_and_shown_in_the_events_zone(dealer_db: Database) -> None:
    v = events.create_event(dealer_db, open_day())
    assert v.starts_at == datetime(2026, 12, 5, 1, 30, tzinfo=UTC)
    assert v.to_json()["starts_at"] == "2026-12-05T09:30:00+08:00"


def test_the_event_must_end_after_it_starts_and_nothing_is_saved(dealer_db: Database) -> None:
    with pytest.raises(ValidationError) as err:
        events.create_event(dealer_db, open_day(ends_at=START - timedelta(hours=1)))
    assert err.value.field == "ends_at"
    assert "after the start" in str(err.value)
    assert err.value.localized("zh") == "结束时间：必须晚于开始时间"
    assert event_count(dealer_db) == 0


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"title": "  "}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"capacity": 0}, "capacity"),
        ({"type": "party"}, "type"),
        ({"format": "radio"}, "format"),
        ({"budget": "12k"}, "budget"),
        ({"online_link": "meeting.tencent.com/x", "format": "online"}, "online_link"),
        (
            {"registration_opens_at": START, "registration_closes_at": START - timedelta(days=1)},
            "registration_closes_at",
        ),
        ({"registration_closes_at": END + timedelta(days=1)}, "registration_closes_at"),
        ({"timezone": "Mars/Olympus"}, "timezone"),
        ({"points_award": -5}, "points_award"),
    ],
)
def test_bad_input_names_the_field(
    dealer_db: Database, change: dict[str, object], field: str
) -> None:
    with pytest.raises(ValidationError) as err:
        events.create_event(dealer_db, open_day(**change))
    assert err.value.field == field
    assert event_count(dealer_db) == 0


def test_validate_lists_every_problem_for_the_editor() -> None:
    problems = events.validate(open_day(title="", capacity=0, ends_at=START))
    assert {p.field for p in problems} == {"title", "capacity", "ends_at"}


def test_a_class_session_outside_the_event_is_refused(dealer_db: Database) -> None:
    draft = open_day(
        type=EventType.CARE_CLASS,
        sessions=(SessionSlot(END + timedelta(hours=1), END + timedelta(hours=2)),),
    )
    with pytest.raises(ValidationError, match="session 1"):
        events.create_event(dealer_db, draft)


def test_a_care_class_without_sessions_gets_one_session(dealer_db: Database) -> None:
    v = events.create_event(dealer_db, open_day(type=EventType.CARE_CLASS))
    assert v.sessions == (SessionSlot(START, END, None),)


def test_an_undated_draft_cannot_be_published(dealer_db: Database) -> None:
    v = events.create_event(dealer_db, EventDraft(title="明年品牌之夜", type=EventType.CITY_MEETUP))
    with pytest.raises(RuleViolation, match="without a start"):
        events.set_status(dealer_db, v.id, EventStatus.PUBLISHED)
    assert events.get_event(dealer_db, v.id).status == EventStatus.DRAFT


def test_an_online_event_needs_a_link_to_be_published(dealer_db: Database) -> None:
    v = events.create_event(dealer_db, open_day(format="online", venue=None))
    with pytest.raises(ValidationError, match="link"):
        events.set_status(dealer_db, v.id, EventStatus.PUBLISHED)


def test_the_lifecycle_runs_draft_published_closed_completed(dealer_db: Database) -> None:
    v = events.create_event(dealer_db, open_day())
    for step in (EventStatus.PUBLISHED, EventStatus.CLOSED, EventStatus.COMPLETED):
        v = events.set_status(dealer_db, v.id, step)
        assert v.status == step
    with pytest.raises(RuleViolation, match="from completed to published"):
        events.set_status(dealer_db, v.id, EventStatus.PUBLISHED)
    with pytest.raises(RuleViolation, match="can no longer be edited"):
        events.update_event(dealer_db, v.id, open_day(title="changed"))


def test_a_closed_event_can_be_reopened(dealer_db: Database) -> None:
    v = events.create_event(dealer_db, open_day())
    events.set_status(dealer_db, v.id, EventStatus.PUBLISHED)
    events.set_status(dealer_db, v.id, EventStatus.CLOSED)
    assert events.set_status(dealer_db, v.id, EventStatus.PUBLISHED).status == "published"


def test_cancelling_an_event_with_registrations_needs_confirmation_and_keeps_them(
    dealer_db: Database,
) -> None:
    v = events.create_event(dealer_db, open_day())
    events.set_status(dealer_db, v.id, EventStatus.PUBLISHED)
    with dealer_db.write() as s:
        p = Person(name="张伟", phone="+8613800138000")
        s.add(p)
        s.flush()
        s.add(Registration(event_id=v.id, person_id=p.id))
    with pytest.raises(ConfirmationRequired, match="1 registrations"):
        events.set_status(dealer_db, v.id, EventStatus.CANCELLED)
    assert events.get_event(dealer_db, v.id).status == EventStatus.PUBLISHED
    done = events.set_status(dealer_db, v.id, EventStatus.CANCELLED, confirm=True, reason="暴雨")
    assert done.status == EventStatus.CANCELLED and done.cancel_reason == "暴雨"
    assert done.registrations == 1


def test_editing_keeps_the_id_and_is_audited(dealer_db: Database) -> None:
    v = events.create_event(dealer_db, open_day())
    changed = events.update_event(dealer_db, v.id, replace(v.draft(), capacity=250))
    assert changed.id == v.id and changed.capacity == 250
    with dealer_db.read() as s:
        actions = list(s.scalars(select(AuditEntry.action).order_by(AuditEntry.at)))
    assert actions == ["event.create", "event.update"]


def test_duplicating_moves_every_time_with_the_new_start(dealer_db: Database) -> None:
    src = events.create_event(
        dealer_db,
        open_day(
            type=EventType.CARE_CLASS,
            registration_closes_at=START - timedelta(days=1),
            sessions=(SessionSlot(START, START + timedelta(hours=2), "胎压"),),
        ),
    )
    events.set_status(dealer_db, src.id, EventStatus.PUBLISHED)
    week_later = START + timedelta(days=7)
    copy = events.duplicate_event(dealer_db, src.id, starts_at=week_later)
    assert copy.id != src.id and copy.status == EventStatus.DRAFT
    assert copy.starts_at == week_later and copy.ends_at == END + timedelta(days=7)
    assert copy.registration_closes_at == week_later - timedelta(days=1)
    assert copy.sessions[0].starts_at == week_later and copy.sessions[0].topic == "胎压"


def test_a_template_makes_a_new_event_of_the_same_shape(dealer_db: Database) -> None:
    src = events.create_event(
        dealer_db,
        open_day(
            type=EventType.CLUB_DRIVE,
            venue=None,
            points_award=80,
            budget="6000.5",
            details={"meeting_point": "莘庄", "route_stops": ["A", "B"], "max_cars": 10},
        ),
    )
    t = events.save_as_template(dealer_db, src.id, "周末自驾")
    assert [x.name for x in events.list_templates(dealer_db, EventType.CLUB_DRIVE)] == ["周末自驾"]
    assert events.list_templates(dealer_db, EventType.OPEN_DAY) == []
    new_start = START + timedelta(days=30)
    made = events.create_from_template(dealer_db, t.id, starts_at=new_start, title="一月自驾")
    assert made.title == "一月自驾" and made.type == EventType.CLUB_DRIVE
    assert made.starts_at == new_start and made.ends_at == new_start + (END - START)
    assert made.details == {"meeting_point": "莘庄", "route_stops": ["A", "B"], "max_cars": 10}
    assert made.points_award == 80 and str(made.budget) == "6000.50"


def test_listing_filters_by_text_type_status_and_date(dealer_db: Database) -> None:
    a = events.create_event(dealer_db, open_day(title="开放日 A", campaign_code="HQ-MD11"))
    events.create_event(
        dealer_db,
        open_day(
            title="养护课堂",
            type=EventType.CARE_CLASS,
            starts_at=START + timedelta(days=3),
            ends_at=END + timedelta(days=3),
        ),
    )
    events.create_event(dealer_db, EventDraft(title="无日期草稿", type=EventType.OTHER))
    events.set_status(dealer_db, a.id, EventStatus.PUBLISHED)
    assert [r.title for r in events.list_events(dealer_db)] == [
        "开放日 A",
        "养护课堂",
        "无日期草稿",
    ]
    assert [r.title for r in events.list_events(dealer_db, search="hq-md")] == ["开放日 A"]
    assert [r.title for r in events.list_events(dealer_db, types=["care_class"])] == ["养护课堂"]
    assert [r.title for r in events.list_events(dealer_db, statuses=["published"])] == ["开放日 A"]
    later = events.list_events(dealer_db, starts_from=START + timedelta(days=1))
    assert [r.title for r in later] == ["养护课堂"]


def test_unknown_and_malformed_ids_are_not_found(dealer_db: Database) -> None:
    with pytest.raises(NotFound):
        events.get_event(dealer_db, "not-a-uuid")
    with pytest.raises(NotFound):
        events.get_event(dealer_db, "00000000-0000-0000-0000-000000000000")


def test_rows_carry_their_origin(dealer_db: Database) -> None:
    v = events.create_event(dealer_db, open_day())
    with dealer_db.read() as s:
        e = s.get(Event, v.id)
        assert e is not None and e.origin_dealer == "SH-0021" and e.origin_device


def test_the_events_list_counts_confirmed_seats_and_shows_the_waitlist_apart(
    dealer_db: Database,
) -> None:
    soon = datetime.now(UTC) + timedelta(hours=2)
    draft = open_day(
        capacity=4, waitlist_enabled=True, starts_at=soon, ends_at=soon + timedelta(hours=6)
    )
    ev = events.create_event(dealer_db, draft).id
    events.set_status(dealer_db, ev, EventStatus.PUBLISHED)
    for i in range(2):  # two families of two: the 4 seats are taken
        registration.register(dealer_db, ev, phone=f"1380000100{i}", name=f"家庭{i}", party_size=2)
    late = [
        registration.register(dealer_db, ev, phone=f"1390000200{i}", name=f"候补{i}")
        for i in range(3)
    ]
    assert all(r.status == "waitlisted" for r in late)
    registration.cancel(dealer_db, late[2].id)
    walkin.walkin(dealer_db, ev, "13700003000", "路过的", desk="A")  # at the door: over capacity
    [row] = events.list_events(dealer_db)
    # confirmed: the two families and the walk-in; the two still waiting are not seats
    assert (row.registrations, row.walk_ins, row.waitlisted) == (3, 1, 2)
    assert (row.seats_used, row.seat_limit, row.is_full) == (5, 4, True)
