"""Two records of one customer become one: every link follows the survivor, and the last
merge can be undone exactly."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import select

from desktop_app.domain.errors import NotFound, RuleViolation, ValidationError
from desktop_app.services import clubs, duplicates, people, points
from desktop_app.services.people import PersonDraft, VehicleDraft
from desktop_app.store.db import Database
from desktop_app.store.models import (
    AuditEntry,
    ClubMembership,
    Event,
    Feedback,
    Invitation,
    OnlineAttendance,
    Person,
    PersonMerge,
    PersonTag,
    PointsEntry,
    Registration,
    ScanLog,
    Ticket,
    Vehicle,
)

VIN_A = "LSVAM4187C2184847"
VIN_B = "1M8GDM9AXKP042788"
TRACKED = (
    Person,
    PersonTag,
    Vehicle,
    Registration,
    ClubMembership,
    PointsEntry,
    Invitation,
    Feedback,
    OnlineAttendance,
    ScanLog,
    Ticket,
)


def snapshot(db: Database) -> dict[str, list[dict[str, Any]]]:
    """Every business column of every row a merge may touch (updated_at aside)."""
    out: dict[str, list[dict[str, Any]]] = {}
    with db.read() as s:
        for model in TRACKED:
            cols = [c.name for c in model.__table__.c if c.name != "updated_at"]
            rows = [{c: getattr(r, c) for c in cols} for r in s.scalars(select(model)).all()]
            out[model.__tablename__] = sorted(rows, key=lambda r: str(r.get("id", r)))
    return out


def at(day: int) -> datetime:
    return datetime(2026, 10, day, 2, tzinfo=UTC)


@pytest.fixture
def story(dealer_db: Database) -> dict[str, Any]:
    """张伟 was entered twice: once at the showroom, once from a WeChat campaign."""
    db = dealer_db
    keep = people.create_person(
        db, PersonDraft(name="张伟", phone="13800138000", stage="prospect", tags=["试驾"])
    )
    drop = people.create_person(
        db,
        PersonDraft(
            name="张 伟",
            phone="13800138001",
            wechat="zhangwei88",
            email="zw@example.com",
            stage="owner",
            tags=["车主", "试驾"],
            notes="喜欢自驾",
            consent_marketing=True,
            birthday=date(1985, 3, 2),
        ),
    )
    friend = people.create_person(
        db, PersonDraft(name="李娜", phone="13912345678", referred_by_id=drop.id)
    )
    v_keep = people.add_vehicle(db, keep.id, VehicleDraft(VIN_B, "沪B12345"))
    v_drop = people.add_vehicle(db, drop.id, VehicleDraft(VIN_A, "沪AD12345", "ID.4"))
    club = clubs.create_club(db, clubs.ClubDraft("ID.4车友会", "ID.4", "上海"))
    other_club = clubs.create_club(db, clubs.ClubDraft("自驾俱乐部"))
    clubs.join_club(db, club.id, keep.id, "member", date(2025, 1, 1))
    clubs.join_club(db, club.id, drop.id, "leader", date(2024, 6, 1))
    clubs.join_club(db, other_club.id, drop.id, "kol", date(2024, 7, 1))
    points.adjust_points(db, keep.id, 300, "补录")
    points.adjust_points(db, drop.id, 400, "补录")
    with db.write() as s:
        both = Event(title="开放日", type="open_day", status="completed", starts_at=at(1))
        only = Event(title="养护课堂", type="care_class", status="completed", starts_at=at(5))
        s.add_all([both, only])
        s.flush()
        r_keep = Registration(
            event_id=both.id, person_id=keep.id, status="registered", ticket_code="TK-KEEP"
        )
        r_drop = Registration(
            event_id=both.id,
            person_id=drop.id,
            status="attended",
            ticket_code="TK-DROP",
            checked_in_at=at(1),
            checked_in_desk="A",
        )
        r_only = Registration(event_id=only.id, person_id=drop.id, status="registered")
        r_friend = Registration(event_id=only.id, person_id=friend.id, referred_by_id=drop.id)
        s.add_all([r_keep, r_drop, r_only, r_friend])
        s.flush()
        s.add_all(
            [
                ScanLog(event_id=both.id, registration_id=r_drop.id, result="accepted", desk="A"),
                Ticket(
                    registration_id=r_drop.id,
                    event_id=both.id,
                    serial=1,
                    code="TK-DROP",
                    short_code="DROP",
                ),
                PointsEntry(
                    person_id=drop.id,
                    delta=50,
                    reason="开放日签到",
                    kind="checkin",
                    registration_id=r_drop.id,
                ),
                Invitation(event_id=both.id, person_id=keep.id, status="registered"),
                Invitation(event_id=both.id, person_id=drop.id, status="invited"),
                Invitation(event_id=only.id, person_id=drop.id, status="registered"),
                Feedback(event_id=both.id, person_id=drop.id, registration_id=r_drop.id, rating=5),
                OnlineAttendance(
                    event_id=both.id,
                    person_id=drop.id,
                    platform="tencent",
                    display_name="张伟",
                    identity_key="zw",
                    minutes=40,
                ),
            ]
        )
        ids = {
            "both": both.id,
            "only": only.id,
            "r_keep": r_keep.id,
            "r_drop": r_drop.id,
            "r_only": r_only.id,
            "r_friend": r_friend.id,
        }
    return {
        "keep": keep,
        "drop": drop,
        "friend": friend,
        "club": club,
        "other_club": other_club,
        "v_keep": v_keep,
        "v_drop": v_drop,
        **ids,
    }


def test_merging_moves_every_link_to_the_survivor(dealer_db: Database, story: dict) -> None:
    keep, drop = story["keep"], story["drop"]
    report = duplicates.merge_people(dealer_db, keep.id, drop.id)
    assert report.kept_id == keep.id and report.dropped_id == drop.id
    d = people.person_detail(dealer_db, keep.id)
    assert {v.vin for v in d.vehicles} == {VIN_A, VIN_B}
    assert {(c.club_name, c.role) for c in d.clubs} == {
        ("ID.4车友会", "leader"),
        ("自驾俱乐部", "kol"),
    }
    assert [c.joined_on for c in d.clubs if c.club_name == "ID.4车友会"] == [date(2024, 6, 1)]
    assert d.person.balance == 750 and d.person.tier == "silver"
    assert {e.title for e in d.events} == {"开放日"}
    assert [r.name for r in d.referrals] == ["李娜"]
    with dealer_db.read() as s:
        regs = s.scalars(
            select(Registration).where(
                Registration.person_id == keep.id, Registration.deleted_at.is_(None)
            )
        ).all()
        assert {r.event_id for r in regs} == {story["both"], story["only"]}
        friend_reg = s.get(Registration, story["r_friend"])
        assert friend_reg is not None and friend_reg.referred_by_id == keep.id
        for model in (Feedback, OnlineAttendance, PointsEntry):
            assert not s.scalars(select(model).where(model.person_id == drop.id)).all()
        invs = s.scalars(select(Invitation).where(Invitation.person_id == keep.id)).all()
        assert {i.event_id for i in invs} == {story["both"], story["only"]}


def test_a_double_registration_keeps_the_better_status(dealer_db: Database, story: dict) -> None:
    report = duplicates.merge_people(dealer_db, story["keep"].id, story["drop"].id)
    assert report.conflicts == (
        {
            "event_id": str(story["both"]),
            "kept_status": "registered",
            "dropped_status": "attended",
            "result_status": "attended",
        },
    )
    with dealer_db.read() as s:
        kept = s.get(Registration, story["r_keep"])
        gone = s.get(Registration, story["r_drop"])
        assert kept is not None and gone is not None
        assert kept.status == "attended" and kept.checked_in_desk == "A"
        assert kept.ticket_code == "TK-DROP" and gone.ticket_code is None
        assert gone.deleted_at is not None
        scan = s.scalars(select(ScanLog)).one()
        assert scan.registration_id == kept.id
        assert s.scalars(select(Ticket)).one().registration_id == kept.id


def test_the_survivor_s_blanks_are_filled_from_the_dropped_record(
    dealer_db: Database, story: dict
) -> None:
    report = duplicates.merge_people(dealer_db, story["keep"].id, story["drop"].id)
    kept = people.get_person(dealer_db, story["keep"].id)
    assert kept.phone == "+8613800138000"  # its own phone stays
    assert kept.wechat == "zhangwei88" and kept.email == "zw@example.com"
    assert kept.birthday == date(1985, 3, 2) and kept.notes == "喜欢自驾"
    assert kept.consent_marketing_at is not None
    assert kept.stage == "owner"
    assert kept.tags == ("试驾", "车主")
    assert {"wechat", "email", "stage"} <= set(report.filled)


def test_the_dropped_person_disappears_but_their_phone_still_finds_the_survivor(
    dealer_db: Database, story: dict
) -> None:
    keep, drop = story["keep"], story["drop"]
    duplicates.merge_people(dealer_db, keep.id, drop.id)
    with pytest.raises(NotFound):
        people.get_person(dealer_db, drop.id)
    assert [r.id for r in people.search_people(dealer_db, "张")] == [keep.id]
    found = people.find_by_phone(dealer_db, "13800138001")
    assert found is not None and found.id == keep.id
    with dealer_db.read() as s:
        row = s.get(Person, drop.id)
        assert row is not None and row.merged_into_id == keep.id and row.deleted_at is not None
        merge = s.scalars(select(PersonMerge)).one()
        assert merge.kept_id == keep.id and merge.snapshot["changes"]
        assert s.scalars(select(AuditEntry).where(AuditEntry.action == "person.merge")).one()


def test_a_survivor_without_a_phone_takes_the_dropped_phone(dealer_db: Database) -> None:
    keep = people.create_person(dealer_db, PersonDraft(name="王芳", phone=None))
    drop = people.create_person(dealer_db, PersonDraft(name="王芳", phone="13912345678"))
    duplicates.merge_people(dealer_db, keep.id, drop.id)
    assert people.get_person(dealer_db, keep.id).phone == "+8613912345678"
    assert [r.name for r in people.search_people(dealer_db, "5678")] == ["王芳"]
    duplicates.undo_last_merge(dealer_db)
    assert people.get_person(dealer_db, keep.id).phone is None
    assert people.get_person(dealer_db, drop.id).phone == "+8613912345678"


def test_undoing_the_last_merge_restores_everything_exactly(
    dealer_db: Database, story: dict
) -> None:
    before = snapshot(dealer_db)
    duplicates.merge_people(dealer_db, story["keep"].id, story["drop"].id)
    assert snapshot(dealer_db) != before
    report = duplicates.undo_last_merge(dealer_db)
    assert report.undone and report.dropped_id == story["drop"].id
    assert snapshot(dealer_db) == before
    assert people.get_person(dealer_db, story["drop"].id).balance == 450
    with pytest.raises(RuleViolation):
        duplicates.undo_last_merge(dealer_db)
    with dealer_db.read() as s:
        assert s.scalars(select(AuditEntry).where(AuditEntry.action == "person.unmerge")).one()


def test_two_merges_undo_newest_first(dealer_db: Database) -> None:
    a = people.create_person(dealer_db, PersonDraft(name="赵敏", phone="13800000001"))
    b = people.create_person(dealer_db, PersonDraft(name="赵敏", phone=None))
    c = people.create_person(dealer_db, PersonDraft(name="赵 敏", phone="13800000003"))
    before = snapshot(dealer_db)
    duplicates.merge_people(dealer_db, a.id, b.id)
    middle = snapshot(dealer_db)
    duplicates.merge_people(dealer_db, a.id, c.id)
    assert duplicates.undo_last_merge(dealer_db).dropped_id == c.id
    assert snapshot(dealer_db) == middle
    assert duplicates.undo_last_merge(dealer_db).dropped_id == b.id
    assert snapshot(dealer_db) == before
    assert [m.undone for m in duplicates.list_merges(dealer_db)] == [True, True]


def test_undo_is_refused_when_the_phone_was_given_to_someone_new(dealer_db: Database) -> None:
    keep = people.create_person(dealer_db, PersonDraft(name="王芳", phone=None))
    drop = people.create_person(dealer_db, PersonDraft(name="王芳", phone="13912345678"))
    duplicates.merge_people(dealer_db, keep.id, drop.id)
    kept = people.get_person(dealer_db, keep.id)
    people.update_person(dealer_db, keep.id, kept.draft().__class__(name="王芳", phone=None))
    people.create_person(dealer_db, PersonDraft(name="新客户", phone="13912345678"))
    with pytest.raises(RuleViolation) as err:
        duplicates.undo_last_merge(dealer_db)
    assert err.value.code == "undo_blocked"
    with pytest.raises(NotFound):
        people.get_person(dealer_db, drop.id)  # nothing half-undone


def test_merging_someone_with_themselves_or_a_merged_person_is_refused(
    dealer_db: Database, story: dict
) -> None:
    keep, drop = story["keep"], story["drop"]
    with pytest.raises(ValidationError):
        duplicates.merge_people(dealer_db, keep.id, keep.id)
    duplicates.merge_people(dealer_db, keep.id, drop.id)
    with pytest.raises(RuleViolation):
        duplicates.merge_people(dealer_db, keep.id, drop.id)


def test_likely_duplicates_are_found_with_a_reason(dealer_db: Database) -> None:
    def add(name: str, phone: str | None = None, **kw: Any) -> uuid.UUID:
        return people.create_person(dealer_db, PersonDraft(name=name, phone=phone, **kw)).id

    a = add("张伟", "13800138000")
    b = add("张 伟", None)
    people.add_vehicle(dealer_db, a, VehicleDraft(plate="沪AD12345"))
    people.add_vehicle(dealer_db, b, VehicleDraft(plate="沪A·D12345"))
    wife = add("刘丽", "13900000000")
    people.add_vehicle(dealer_db, wife, VehicleDraft(plate="沪B12345"))
    husband = add("陈刚", "13900000001")
    people.add_vehicle(dealer_db, husband, VehicleDraft(plate="沪B12345"))
    c = add("李娜", "13912345678", wechat="lina_sh")
    d = add("李娜", None, wechat="LINA_SH")
    e = add("Wang Fang", "+8613712345678")
    f = add("wang fang", "+85291234567")  # Hong Kong mobile, different last 8 digits
    h = add("王小明", "+8613851234567")
    i = add("王小明", "+852 5123 4567")  # same last 8, typed with the wrong country code
    pairs = duplicates.find_duplicates(dealer_db)
    found = {frozenset((p.a_id, p.b_id)): p for p in pairs}
    assert frozenset((a, b)) in found and "plate" in found[frozenset((a, b))].reason
    assert frozenset((c, d)) in found and "WeChat" in found[frozenset((c, d))].reason
    assert frozenset((wife, husband)) not in found  # same car, different names
    assert frozenset((e, f)) not in found
    assert all(0 < p.score <= 100 for p in pairs)
    scores = [p.score for p in pairs]
    assert scores == sorted(scores, reverse=True)
    assert frozenset((h, i)) in found and "last 8" in found[frozenset((h, i))].reason
    assert duplicates.find_duplicates(dealer_db, limit=1) == pairs[:1]


def test_a_chinese_desk_reads_why_two_people_look_alike_in_chinese(dealer_db: Database) -> None:
    a = people.create_person(
        dealer_db, PersonDraft(name="张伟", phone="13800138000", wechat="zw_85")
    )
    b = people.create_person(dealer_db, PersonDraft(name="张 伟", wechat="zw_85"))
    people.add_vehicle(dealer_db, a.id, VehicleDraft(plate="沪AD12345"))
    people.add_vehicle(dealer_db, b.id, VehicleDraft(plate="沪AD12345"))
    (pair,) = duplicates.find_duplicates(dealer_db)
    assert pair.localized("en") == "same plate 沪AD12345; similar name; same WeChat zw_85"
    assert pair.localized("zh") == "车牌相同 沪AD12345；姓名相似；微信号相同 zw_85"
