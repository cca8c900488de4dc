"""Front-desk staff keep ONE record per person: add, edit, find as they type, see everything.

Runs on SQLite and PostgreSQL through the `db` fixture.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from desktop_app.domain.errors import NotFound, ValidationError
from desktop_app.services import people, points, staff
from desktop_app.services.people import PersonDraft, VehicleDraft
from desktop_app.store.db import Database
from desktop_app.store.models import AuditEntry, Event, Person, Registration

VIN_A = "LSVAM4187C2184847"
VIN_B = "1M8GDM9AXKP042788"


def add(
    db: Database, name: str = "张伟", phone: str | None = "13800138000", **kw: object
) -> people.PersonView:
    return people.create_person(db, PersonDraft(name=name, phone=phone, **kw))  # type: ignore[arg-type]


def test_a_person_added_with_a_messy_phone_is_stored_as_e164(dealer_db: Database) -> None:
    p = add(dealer_db, phone="+86 138-0013-8000")
    assert p.phone == "+8613800138000"
    assert p.phone_display == "138 0013 8000"
    assert not p.unreachable
    assert p.tier == "none"
    assert p.stage == "prospect"
    assert people.get_person(dealer_db, p.id) == p


def test_the_same_phone_twice_names_the_person_who_has_it(dealer_db: Database) -> None:
    first = add(dealer_db, "王芳", "13912345678")
    with pytest.raises(ValidationError) as err:
        add(dealer_db, "王芳芳", "0086 139 1234 5678")
    assert err.value.field == "phone"
    assert "王芳" in str(err.value) and str(first.id) in str(err.value)
    assert "王芳" in err.value.localized("zh")


def test_a_person_without_a_phone_is_allowed_and_flagged_unreachable(dealer_db: Database) -> None:
    a = add(dealer_db, "李雷", None)
    b = add(dealer_db, "韩梅梅", "  ")
    assert a.phone is None and a.unreachable
    assert b.unreachable
    assert people.search_people(dealer_db, "李雷")[0].unreachable


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("138****2046", "phone_masked"),
        ("021-62345678", "phone_not_mobile"),
        ("1380013800", "phone_too_short"),
        ("138abc38000", "phone_letters"),
    ],
)
def test_an_unusable_phone_is_refused_with_the_reason(
    dealer_db: Database, raw: str, code: str
) -> None:
    with pytest.raises(ValidationError) as err:
        add(dealer_db, "赵六", raw)
    assert err.value.field == "phone" and err.value.code == code
    assert people.count_people(dealer_db) == 0


def test_a_blank_name_and_bad_email_are_reported_together() -> None:
    problems = people.validate_person(PersonDraft(name=" ", email="not-an-email", stage="vip"))
    assert {p.field for p in problems} == {"name", "email", "stage"}


def test_marketing_consent_keeps_the_time_it_was_first_given(dealer_db: Database) -> None:
    p = add(dealer_db, consent_marketing=True)
    given = p.consent_marketing_at
    assert given is not None and p.consent_photos_at is None
    again = people.update_person(dealer_db, p.id, replace(p.draft(), notes="回访"))
    assert again.consent_marketing_at == given
    withdrawn = people.update_person(dealer_db, p.id, replace(p.draft(), consent_marketing=False))
    assert withdrawn.consent_marketing_at is None


def test_editing_a_person_changes_fields_and_is_audited(dealer_db: Database) -> None:
    butler = staff.create_staff(dealer_db, "陈管家", "coordinator")
    p = add(dealer_db, tags=["VIP", "试驾"])
    edited = people.update_person(
        dealer_db,
        p.id,
        replace(
            p.draft(),
            name="张 伟",
            stage="owner",
            butler_id=butler.id,
            tags=["VIP", "车主"],
            wechat="zhangwei88",
            birthday=date(1985, 3, 2),
        ),
    )
    assert edited.name == "张 伟" and edited.stage == "owner"
    assert edited.butler_name == "陈管家"
    assert edited.tags == ("VIP", "车主")
    assert edited.birthday == date(1985, 3, 2)
    with dealer_db.read() as s:
        actions = list(s.scalars(select(AuditEntry.action).order_by(AuditEntry.at)))
    assert actions[-1] == "person.update" and "person.create" in actions


def test_tier_cannot_be_set_by_hand(dealer_db: Database) -> None:
    assert "tier" not in PersonDraft.__dataclass_fields__
    p = add(dealer_db)
    assert people.update_person(dealer_db, p.id, p.draft()).tier == "none"


def test_a_person_cannot_refer_themselves(dealer_db: Database) -> None:
    p = add(dealer_db)
    with pytest.raises(ValidationError) as err:
        people.update_person(dealer_db, p.id, replace(p.draft(), referred_by_id=p.id))
    assert err.value.code == "self_referral"


def test_unknown_butler_or_referrer_is_not_found(dealer_db: Database) -> None:
    with pytest.raises(NotFound):
        add(dealer_db, butler_id="00000000-0000-0000-0000-000000000001")
    with pytest.raises(NotFound):
        people.get_person(dealer_db, "not-a-uuid")


def test_find_by_phone_accepts_any_format(dealer_db: Database) -> None:
    p = add(dealer_db)
    for raw in ("13800138000", "+86 138 0013 8000", "0086-138-0013-8000", "１３８００１３８０００"):
        found = people.find_by_phone(dealer_db, raw)
        assert found is not None and found.id == p.id
    assert people.find_by_phone(dealer_db, "13900000000") is None
    assert people.find_by_phone(dealer_db, "138****8000") is None


@pytest.fixture
def crowd(dealer_db: Database) -> dict[str, people.PersonView]:
    made = {
        "zw": add(dealer_db, "张伟", "13800138000"),
        "zwei": add(dealer_db, "张伟伟", "13912345678"),
        "ln": add(dealer_db, "李娜", "15855550001", wechat="lina_sh"),
        "tom": add(dealer_db, "Tom Smith", "+8618621005678", email="tom@example.com"),
        "nophone": add(dealer_db, "王小明", None),
    }
    people.add_vehicle(dealer_db, made["ln"].id, VehicleDraft(VIN_A, "沪A·D12345", "ID.4"))
    people.add_vehicle(dealer_db, made["tom"].id, VehicleDraft(VIN_B, "苏E-8K7N6", "Tiguan"))
    return made


def names(db: Database, q: str, **kw: object) -> list[str]:
    return [r.name for r in people.search_people(db, q, **kw)]  # type: ignore[arg-type]


def test_search_by_part_of_a_name(dealer_db: Database, crowd: dict) -> None:
    assert names(dealer_db, "张") == ["张伟", "张伟伟"]
    assert names(dealer_db, "伟伟") == ["张伟伟"]
    assert names(dealer_db, "tom") == ["Tom Smith"]
    assert people.count_people(dealer_db, "张") == 2


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("1380", ["张伟"]),
        ("138 0013", ["张伟"]),
        ("+86 139", ["张伟伟"]),
        ("5678", ["Tom Smith", "张伟伟"]),  # last 4 digits
        ("0013800", ["张伟"]),  # a middle part (7+ digits)
        ("13", ["Tom Smith", "张伟", "张伟伟", "李娜", "王小明"]),  # too short: no filter yet
        ("13800138000", ["张伟"]),
        ("0086 13800138000", ["张伟"]),
        ("１３８００１３８０００", ["张伟"]),
    ],
)
def test_search_by_phone_in_any_format_or_any_part(
    dealer_db: Database, crowd: dict, query: str, expected: list[str]
) -> None:
    assert names(dealer_db, query) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("沪A", ["李娜"]),
        ("沪A·D123", ["李娜"]),
        ("D12345", ["李娜"]),
        ("苏E8K", ["Tom Smith"]),
        ("LSVAM", ["李娜"]),  # VIN start
        ("184847", ["李娜"]),  # 车架号后六位
        ("kp042788", ["Tom Smith"]),  # end of a VIN, any case
        ("lina_sh", ["李娜"]),
        ("tom@example.com", ["Tom Smith"]),
    ],
)
def test_search_by_plate_vin_wechat_or_email(
    dealer_db: Database, crowd: dict, query: str, expected: list[str]
) -> None:
    assert names(dealer_db, query) == expected


def test_search_treats_percent_and_underscore_literally(dealer_db: Database, crowd: dict) -> None:
    assert names(dealer_db, "%") == []
    assert names(dealer_db, "_") == []


def test_removed_vehicles_are_not_searched(dealer_db: Database, crowd: dict) -> None:
    v = people.list_vehicles(dealer_db, crowd["ln"].id)[0]
    people.remove_vehicle(dealer_db, v.id)
    assert names(dealer_db, "沪AD") == []


def test_filters_and_paging_for_the_lazy_table(dealer_db: Database, crowd: dict) -> None:
    butler = staff.create_staff(dealer_db, "陈管家", "coordinator")
    ln = crowd["ln"]
    people.update_person(
        dealer_db, ln.id, replace(ln.draft(), stage="owner", butler_id=butler.id, tags=["VIP"])
    )
    points.adjust_points(dealer_db, ln.id, 600, "老车主积分补录")
    assert names(dealer_db, "", stage="owner") == ["李娜"]
    assert names(dealer_db, "", butler_id=butler.id) == ["李娜"]
    assert names(dealer_db, "", tag="VIP") == ["李娜"]
    assert names(dealer_db, "", tier="silver") == ["李娜"]
    assert "李娜" not in names(dealer_db, "", tier="none")
    assert people.count_people(dealer_db, "", tier="none") == 4
    everyone = names(dealer_db, "", limit=100)
    assert len(everyone) == 5
    pages = (
        names(dealer_db, "", limit=2)
        + names(dealer_db, "", limit=2, offset=2)
        + names(dealer_db, "", limit=2, offset=4)
    )
    assert pages == everyone
    row = people.search_people(dealer_db, "李娜")[0]
    assert row.plates == ("沪AD12345",) and row.balance == 600 and row.tier == "silver"
    assert people.list_tags(dealer_db) == ["VIP"]


def test_a_person_can_have_several_vehicles(dealer_db: Database) -> None:
    p = add(dealer_db)
    people.add_vehicle(dealer_db, p.id, VehicleDraft(VIN_A, "沪AD12345", "ID.4", date(2023, 5, 6)))
    people.add_vehicle(dealer_db, p.id, VehicleDraft(None, "沪B12345", "Passat"))
    vs = people.list_vehicles(dealer_db, p.id)
    assert [v.plate for v in vs] == ["沪AD12345", "沪B12345"]
    assert vs[0].purchase_date == date(2023, 5, 6)


def test_a_vin_with_a_wrong_check_digit_is_refused_with_the_reason(dealer_db: Database) -> None:
    p = add(dealer_db)
    with pytest.raises(ValidationError) as err:
        people.add_vehicle(dealer_db, p.id, VehicleDraft("LSVAM4188C2184847"))
    assert err.value.field == "vin" and err.value.code == "vin_check"
    assert "should be 7" in str(err.value)
    with pytest.raises(ValidationError) as err:
        people.add_vehicle(dealer_db, p.id, VehicleDraft(plate="沪I12345"))
    assert err.value.field == "plate"
    assert people.list_vehicles(dealer_db, p.id) == []


def test_a_vin_belongs_to_one_person(dealer_db: Database) -> None:
    a = add(dealer_db, "张伟", "13800138000")
    b = add(dealer_db, "李娜", "13912345678")
    people.add_vehicle(dealer_db, a.id, VehicleDraft(VIN_A))
    with pytest.raises(ValidationError) as err:
        people.add_vehicle(dealer_db, b.id, VehicleDraft(VIN_A.lower()))
    assert err.value.code == "vin_taken" and "张伟" in str(err.value)


def test_a_sold_car_can_be_registered_to_its_new_owner(dealer_db: Database) -> None:
    a = add(dealer_db, "张伟", "13800138000")
    b = add(dealer_db, "李娜", "13912345678")
    v = people.add_vehicle(dealer_db, a.id, VehicleDraft(VIN_A, "沪AD12345"))
    people.remove_vehicle(dealer_db, v.id)
    again = people.add_vehicle(dealer_db, b.id, VehicleDraft(VIN_A, "沪AD12345"))
    assert again.person_id == b.id
    assert people.list_vehicles(dealer_db, a.id) == []
    edited = people.update_vehicle(dealer_db, again.id, replace(again.draft(), model="ID.4 X"))
    assert edited.model == "ID.4 X"


def test_person_detail_shows_vehicles_clubs_points_events_and_referrals(
    dealer_db: Database,
) -> None:
    from desktop_app.services import clubs

    p = add(dealer_db, "张伟")
    friend = add(dealer_db, "李娜", "13912345678", referred_by_id=p.id)
    people.add_vehicle(dealer_db, p.id, VehicleDraft(VIN_A, "沪AD12345"))
    club = clubs.create_club(dealer_db, clubs.ClubDraft("ID.4 车友会", "ID.4", "上海"))
    clubs.join_club(dealer_db, club.id, p.id, "leader", date(2024, 1, 1))
    points.adjust_points(dealer_db, p.id, 100, "推荐新客户")
    with dealer_db.write() as s:
        went = Event(
            title="开放日",
            type="open_day",
            status="completed",
            starts_at=datetime(2026, 10, 1, 2, tzinfo=UTC),
        )
        skipped = Event(
            title="自驾",
            type="club_drive",
            status="completed",
            starts_at=datetime(2026, 11, 1, 2, tzinfo=UTC),
        )
        s.add_all([went, skipped])
        s.flush()
        s.add(
            Registration(
                event_id=went.id,
                person_id=p.id,
                status="registered",
                checked_in_at=datetime(2026, 10, 1, 2, 5, tzinfo=UTC),
            )
        )
        s.add(Registration(event_id=skipped.id, person_id=p.id, status="no_show"))
    d = people.person_detail(dealer_db, p.id)
    assert [v.vin for v in d.vehicles] == [VIN_A]
    assert [(c.club_name, c.role) for c in d.clubs] == [("ID.4 车友会", "leader")]
    assert [(e.delta, e.balance_after) for e in d.points] == [(100, 100)]
    assert [e.title for e in d.events] == ["开放日"]
    assert [r.id for r in d.referrals] == [friend.id]
    assert people.get_person(dealer_db, friend.id).referred_by_name == "张伟"
    js = d.to_json()
    assert js["id"] == str(p.id) and js["clubs"][0]["role"] == "leader"


def test_phone_rev_column_follows_the_phone(dealer_db: Database) -> None:
    p = add(dealer_db)
    people.update_person(dealer_db, p.id, replace(p.draft(), phone="13912345678"))
    with dealer_db.read() as s:
        row = s.get(Person, p.id)
        assert row is not None and row.phone_rev == "8613912345678"[::-1]


def test_staff_are_added_and_listed(dealer_db: Database) -> None:
    staff.create_staff(dealer_db, "王前台", "front_desk", "13700001111")
    staff.create_staff(dealer_db, "陈管家", "coordinator")
    assert [s.name for s in staff.list_staff(dealer_db)] == sorted(["王前台", "陈管家"])
    assert [s.name for s in staff.list_staff(dealer_db, role="front_desk")] == ["王前台"]
    with pytest.raises(ValidationError):
        staff.create_staff(dealer_db, "X", "butler")


@pytest.mark.parametrize("query", ["沪A", "5678", "138", "张", "tom@example.com"])
def test_a_page_is_the_same_whether_matches_are_few_or_many(
    dealer_db: Database, crowd: dict, monkeypatch: pytest.MonkeyPatch, query: str
) -> None:
    few = people.search_people(dealer_db, query)
    monkeypatch.setattr(people, "SPARSE", 0)  # take the "many matches" path
    assert people.search_people(dealer_db, query) == few
    assert len(few) == people.count_people(dealer_db, query)


def test_one_or_two_characters_and_latin_names_are_found_anywhere_in_the_name(
    dealer_db: Database,
) -> None:
    for name, phone in (("Lily Zhou", "13800000001"), ("LI Na", "13800000002"),
                        ("david chen", "13800000003"), ("Daniel Li", "13800000004"),
                        ("王晓明", "13800000005"), ("晓明 Wang", "13800000006"),
                        ("张伟", "13800000007")):  # fmt: skip
        add(dealer_db, name, phone)
    # (sets: the order of upper and lower case is the database's collation)
    li = names(dealer_db, "li")
    assert sorted(li) == ["Daniel Li", "LI Na", "Lily Zhou"]
    assert names(dealer_db, "LI") == li
    assert names(dealer_db, "Ch") == ["david chen"]
    assert names(dealer_db, "wa") == ["晓明 Wang"]
    assert sorted(names(dealer_db, "晓明")) == ["晓明 Wang", "王晓明"]
    assert sorted(names(dealer_db, "明")) == ["晓明 Wang", "王晓明"]
    assert names(dealer_db, "明晓") == []  # both characters, but not in this order
    assert names(dealer_db, "il") == ["Lily Zhou"]  # "Daniel Li" has both, not together
    assert names(dealer_db, "li", limit=1, offset=1) == li[1:2]  # pages follow the order
    assert people.count_people(dealer_db, "li") == 3
    assert people.count_people(dealer_db, "li", stage="member") == 0


@pytest.fixture
def pg_people(_pg_ready: str) -> Iterator[Database]:
    """An empty PostgreSQL database of its own (plans are looked at, not only results)."""
    from desktop_app.store.db import open_database
    from tests.conftest import truncate_all

    pg_db = open_database(_pg_ready)
    truncate_all(pg_db)
    yield pg_db
    pg_db.close()


@pytest.mark.postgres
def test_on_postgresql_names_are_searched_through_a_trigram_index(pg_people: Database) -> None:
    from sqlalchemy import text

    pg_db = pg_people
    people.create_person(pg_db, PersonDraft(name="Wang Xiaoming", phone="13800138000"))
    people.create_person(pg_db, PersonDraft(name="王小明", phone="13900139000"))
    with pg_db.read() as s:
        index = s.execute(
            text("SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_people_name_trgm'")
        ).scalar()
        s.execute(text("SET LOCAL enable_seqscan = off"))  # as on a big table
        plan = " ".join(
            r[0] for r in s.execute(text("EXPLAIN SELECT id FROM people WHERE name ILIKE '%xiao%'"))
        )
    assert index is not None and "gin_trgm_ops" in index
    assert "ix_people_name_trgm" in plan
    assert [r.name for r in people.search_people(pg_db, "XIAO")] == ["Wang Xiaoming"]
    assert [r.name for r in people.search_people(pg_db, "小明")] == ["王小明"]


@pytest.mark.postgres
def test_on_postgresql_one_or_two_characters_use_the_characters_index(
    pg_people: Database,
) -> None:
    from sqlalchemy import text

    pg_db = pg_people
    people.create_person(pg_db, PersonDraft(name="Lily Zhou", phone="13800138000"))
    people.create_person(pg_db, PersonDraft(name="王晓明", phone="13900139000"))
    fragment = people.name_characters(people.Person.name).contains(["明", "晓"])
    stmt = people.select(people.Person.id).where(fragment)
    sql = str(stmt.compile(pg_db.engine, compile_kwargs={"literal_binds": True}))
    with pg_db.read() as s:
        s.execute(text("SET LOCAL enable_seqscan = off"))  # as on a big table
        plan = " ".join(r[0] for r in s.execute(text("EXPLAIN " + sql)))
    assert "ix_people_name_chars" in plan
    assert [r.name for r in people.search_people(pg_db, "晓明")] == ["王晓明"]
    assert [r.name for r in people.search_people(pg_db, "LI")] == ["Lily Zhou"]
