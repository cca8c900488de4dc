"""Partner perks redeemed with points: signed vouchers, stock, tiers, limits, verify and
consume, cancel with points back — on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from desktop_app.domain import voucher as payload
from desktop_app.domain.errors import NotFound, RuleViolation, ValidationError
from desktop_app.domain.timeutil import now_utc
from desktop_app.services import perks, points
from desktop_app.store.db import Database
from desktop_app.store.models import PointsEntry, Voucher
from tests.checkin_support import add_person, ticket_key


def member(db: Database, name: str, phone: str, earned: int) -> uuid.UUID:
    pid = add_person(db, name, phone)
    if earned:
        points.adjust_points(db, pid, earned, "opening balance")
    return pid


@pytest.fixture
def shop(dealer_db: Database) -> dict[str, object]:
    wash = perks.add_partner(dealer_db, "洁速洗车", contact="周经理 13900001111", city="上海")
    hotel = perks.add_partner(dealer_db, "莫干山民宿")
    return {
        "wash": perks.add_perk(dealer_db, "洁速洗车", perks.PerkDraft("精洗一次", 300, 10)),
        "night": perks.add_perk(
            dealer_db, hotel.id, perks.PerkDraft("周末一晚", 2000, 1, tier="gold")
        ),
        "wash_partner": wash,
    }


def test_redeeming_debits_points_takes_stock_and_issues_a_signed_voucher(
    dealer_db: Database, shop: dict[str, perks.PerkView]
) -> None:
    pid = member(dealer_db, "王磊", "+8613800000001", 1000)
    done = perks.redeem(dealer_db, pid, shop["wash"].id)
    assert done.balance == 700
    assert points.balance(dealer_db, pid) == 700
    body = done.to_json()
    assert {k: body[k] for k in ("perk_id", "person_id", "points")} == {
        "perk_id": str(shop["wash"].id),
        "person_id": str(pid),
        "points": 300,
    }
    assert body["code"].startswith("V1.") and len(body["code"]) == 45
    assert payload.verify(ticket_key(dealer_db), body["code"]).code == body["code"]
    [wash, _night] = [p for p in perks.list_perks(dealer_db) if p.id == shop["wash"].id] + [None]
    assert wash is not None and (wash.issued, wash.stock_left) == (1, 9)
    ledger = points.history(dealer_db, pid)
    assert [(e.kind, e.delta) for e in ledger] == [("manual", 1000), ("redeem", -300)]


def test_a_person_is_found_by_mobile_number_too(
    dealer_db: Database, shop: dict[str, perks.PerkView]
) -> None:
    member(dealer_db, "王磊", "+8613800000001", 1000)
    done = perks.redeem(dealer_db, "13800000001", "精洗一次")
    assert done.voucher.name == "王磊"


def test_a_merged_away_record_s_phone_redeems_for_the_person_it_was_merged_into(
    dealer_db: Database, shop: dict[str, perks.PerkView]
) -> None:
    """The clerk types the number the customer gives; after a merge that number belongs
    to the record that was kept, as for every other verb (people show, points history)."""
    from desktop_app.services import duplicates

    kept = member(dealer_db, "王磊", "+8613800000001", 1000)
    dropped = member(dealer_db, "王磊", "+8613800000077", 0)
    duplicates.merge_people(dealer_db, kept, dropped)
    done = perks.redeem(dealer_db, "138 0000 0077", "精洗一次")
    assert done.voucher.name == "王磊" and done.to_json()["person_id"] == str(kept)
    assert points.balance(dealer_db, kept) == 700


def test_spending_points_never_lowers_the_tier(
    dealer_db: Database, shop: dict[str, perks.PerkView]
) -> None:
    pid = member(dealer_db, "李娜", "+8613800000002", 2100)  # gold from 2000
    perks.redeem(dealer_db, pid, shop["night"].id)
    from desktop_app.services.people import get_person

    p = get_person(dealer_db, pid)
    assert (p.balance, p.tier) == (100, "gold")


def test_not_enough_points_changes_nothing(
    dealer_db: Database, shop: dict[str, perks.PerkView]
) -> None:
    pid = member(dealer_db, "张伟", "+8613800000003", 299)
    with pytest.raises(RuleViolation) as err:
        perks.redeem(dealer_db, pid, shop["wash"].id)
    assert err.value.code == "points_short"
    assert "299" in err.value.localized("en") and "积分不足" in err.value.localized("zh")
    with dealer_db.read() as s:
        assert s.scalar(select(func.count()).select_from(Voucher)) == 0
        assert s.scalar(select(func.count()).select_from(PointsEntry)) == 1
    assert perks.list_perks(dealer_db)[0].issued == 0


def test_tier_limit_per_person_limit_validity_and_stock(
    dealer_db: Database, shop: dict[str, perks.PerkView]
) -> None:
    silver = member(dealer_db, "赵敏", "+8613800000004", 600)
    gold = member(dealer_db, "钱多", "+8613800000005", 9000)
    with pytest.raises(RuleViolation) as err:
        perks.redeem(dealer_db, silver, shop["night"].id)
    assert err.value.code == "perk_tier"
    assert "Gold" in err.value.localized("en") and "金卡" in err.value.localized("zh")
    perks.redeem(dealer_db, gold, shop["night"].id)
    other_gold = member(dealer_db, "孙亮", "+8613800000006", 9000)
    with pytest.raises(RuleViolation) as err:
        perks.redeem(dealer_db, other_gold, shop["night"].id)
    assert err.value.code == "perk_out_of_stock"

    today = now_utc().date()
    limited = perks.add_perk(
        dealer_db, "洁速洗车", perks.PerkDraft("打蜡", 10, 100, per_person_limit=2)
    )
    perks.redeem(dealer_db, gold, limited.id)
    perks.redeem(dealer_db, gold, limited.id)
    with pytest.raises(RuleViolation) as err:
        perks.redeem(dealer_db, gold, limited.id)
    assert err.value.code == "perk_limit"
    later = perks.add_perk(
        dealer_db,
        "洁速洗车",
        perks.PerkDraft("春季保养", 10, 5, valid_from=today + timedelta(days=3)),
    )
    over = perks.add_perk(
        dealer_db,
        "洁速洗车",
        perks.PerkDraft("冬季检测", 10, 5, valid_until=today - timedelta(days=3)),
    )
    for perk, code in ((later, "perk_not_yet"), (over, "perk_over")):
        with pytest.raises(RuleViolation) as err:
            perks.redeem(dealer_db, gold, perk.id)
        assert err.value.code == code


def test_verify_says_valid_consumed_expired_cancelled_invalid_or_unknown(
    dealer_db: Database, shop: dict[str, perks.PerkView]
) -> None:
    pid = member(dealer_db, "王磊", "+8613800000001", 5000)
    code = perks.redeem(dealer_db, pid, shop["wash"].id).voucher.code
    check = perks.verify(dealer_db, code)
    assert (check.result, check.consumed_now) == ("valid", False)
    assert check.to_json()["perk"] == "精洗一次" and check.to_json()["partner"] == "洁速洗车"
    used = perks.verify(dealer_db, code.lower(), consume=True, by="洗车店小周")
    assert (used.result, used.consumed_now) == ("valid", True)
    again = perks.verify(dealer_db, code, consume=True)
    assert (again.result, again.consumed_now) == ("consumed", False)
    assert again.voucher is not None and again.voucher.consumed_by == "洗车店小周"

    forged = code[:-1] + ("A" if code[-1] != "A" else "B")
    assert perks.verify(dealer_db, forged).result == "invalid"
    assert "signature" in (perks.verify(dealer_db, forged).reason or "")
    assert (
        perks.verify(dealer_db, "P1.AAAAAAAA.AAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAA").result == "invalid"
    )
    assert perks.verify(dealer_db, "hello").result == "invalid"
    genuine_elsewhere = payload.issue(ticket_key(dealer_db), shop["wash"].id).code
    assert perks.verify(dealer_db, genuine_elsewhere).result == "unknown"

    second = perks.redeem(dealer_db, pid, shop["wash"].id).voucher
    with dealer_db.write() as s:
        s.execute(
            update(Voucher)
            .where(Voucher.id == second.id)
            .values(valid_until=now_utc() - timedelta(minutes=1))
        )
    assert perks.verify(dealer_db, second.code, consume=True).result == "expired"
    third = perks.redeem(dealer_db, pid, shop["wash"].id).voucher
    assert perks.verify(dealer_db, payload.format_short_code(third.short_code)).result == "valid"
    perks.cancel_voucher(dealer_db, third.code, "不需要了")
    assert perks.verify(dealer_db, third.code).result == "cancelled"


def test_cancelling_an_unused_voucher_gives_points_and_stock_back(
    dealer_db: Database, shop: dict[str, perks.PerkView]
) -> None:
    pid = member(dealer_db, "王磊", "+8613800000001", 1000)
    v = perks.redeem(dealer_db, pid, shop["wash"].id).voucher
    out = perks.cancel_voucher(dealer_db, v.code, "换成别的")
    assert out.status == "cancelled"
    assert points.balance(dealer_db, pid) == 1000
    assert [p.issued for p in perks.list_perks(dealer_db) if p.id == shop["wash"].id] == [0]
    with pytest.raises(RuleViolation) as err:
        perks.cancel_voucher(dealer_db, v.code)
    assert err.value.code == "voucher_already_cancelled"
    used = perks.redeem(dealer_db, pid, shop["wash"].id).voucher
    perks.verify(dealer_db, used.code, consume=True)
    with pytest.raises(RuleViolation) as err:
        perks.cancel_voucher(dealer_db, used.code)
    assert err.value.code == "voucher_consumed"
    assert points.balance(dealer_db, pid) == 700
    with pytest.raises(NotFound):
        perks.cancel_voucher(dealer_db, payload.issue(ticket_key(dealer_db), shop["wash"].id).code)


def test_report_counts_redemptions_points_spent_and_stock_left_per_partner_and_perk(
    dealer_db: Database, shop: dict[str, perks.PerkView]
) -> None:
    a = member(dealer_db, "王磊", "+8613800000001", 5000)
    b = member(dealer_db, "李娜", "+8613800000002", 5000)
    v1 = perks.redeem(dealer_db, a, shop["wash"].id).voucher
    perks.redeem(dealer_db, b, shop["wash"].id)
    v3 = perks.redeem(dealer_db, b, shop["wash"].id).voucher
    perks.redeem(dealer_db, a, shop["night"].id)
    perks.verify(dealer_db, v1.code, consume=True)
    perks.cancel_voucher(dealer_db, v3.code)
    report = perks.perk_report(dealer_db).to_json()
    rows = {r["perk"]: r for r in report["items"]}
    assert {k: rows["精洗一次"][k] for k in ("redeemed", "consumed", "cancelled",
            "points_spent", "stock_left")} == {
        "redeemed": 2, "consumed": 1, "cancelled": 1, "points_spent": 600, "stock_left": 8,
    }  # fmt: skip
    assert (rows["周末一晚"]["points_spent"], rows["周末一晚"]["stock_left"]) == (2000, 0)
    partners = {p["partner"]: p for p in report["partners"]}
    assert partners["洁速洗车"]["points_spent"] == 600
    assert (report["redeemed"], report["points_spent"]) == (3, 2600)
    mine = perks.person_vouchers(dealer_db, b)
    assert [v.status for v in mine] == ["cancelled", "valid"]


def test_bad_perk_input_names_the_field(
    dealer_db: Database, shop: dict[str, perks.PerkView]
) -> None:
    cases = [
        (perks.PerkDraft("", 10, 1), "name"),
        (perks.PerkDraft("x", "abc", 1), "points"),
        (perks.PerkDraft("x", 0, 1), "points"),
        (perks.PerkDraft("x", 10, -1), "stock"),
        (perks.PerkDraft("x", 10, 1, tier="diamond"), "tier"),
        (perks.PerkDraft("x", 10, 1, valid_until="2026-13-01"), "valid_until"),
    ]
    for draft, fld in cases:
        with pytest.raises(ValidationError) as err:
            perks.add_perk(dealer_db, "洁速洗车", draft)
        assert err.value.field == fld
    with pytest.raises(NotFound):
        perks.add_perk(dealer_db, "没有这家", perks.PerkDraft("x", 10, 1))
    pid = member(dealer_db, "王磊", "+8613800000001", 5000)
    perks.redeem(dealer_db, pid, shop["wash"].id)
    with pytest.raises(ValidationError) as err:
        perks.update_perk(dealer_db, shop["wash"].id, perks.PerkDraft("精洗一次", 300, 0))
    assert err.value.field == "stock"
    more = perks.update_perk(dealer_db, shop["wash"].id, perks.PerkDraft("精洗一次", 300, 50))
    assert (more.stock, more.stock_left) == (50, 49)


def test_merging_two_records_of_one_person_moves_vouchers_and_payments_and_undo_restores(
    dealer_db: Database, shop: dict[str, perks.PerkView]
) -> None:
    from desktop_app.services import duplicates, fees
    from tests.fees_support import event_with

    ev, regs = event_with(dealer_db, [("王磊", 1, "沪A12345")])
    fees.add_cost_item(dealer_db, ev, "油费", "300", "car")
    fees.record_payment(dealer_db, regs[0], "300", "cash")
    from desktop_app.services.registration import get_registration

    dropped = get_registration(dealer_db, regs[0]).person_id
    points.adjust_points(dealer_db, dropped, 1000, "opening balance")
    v = perks.redeem(dealer_db, dropped, shop["wash"].id).voucher
    kept = member(dealer_db, "王磊", "+8613800000099", 0)
    duplicates.merge_people(dealer_db, kept, dropped)
    assert [x.id for x in perks.person_vouchers(dealer_db, kept)] == [v.id]
    assert [p.person_id for p in fees.list_payments(dealer_db, ev)] == [kept]
    assert points.balance(dealer_db, kept) == 700
    duplicates.undo_last_merge(dealer_db)
    assert [x.id for x in perks.person_vouchers(dealer_db, dropped)] == [v.id]
    assert [p.person_id for p in fees.list_payments(dealer_db, ev)] == [dropped]


def test_a_check_in_after_spending_keeps_the_tier_earned(
    dealer_db: Database, shop: dict[str, perks.PerkView]
) -> None:
    """The desk's fast award path reads the points earned with the ticket: a Gold member
    who spent most of their balance on a perk is still Gold after the next check-in."""
    from desktop_app.services import checkin
    from desktop_app.services.people import get_person
    from tests.checkin_support import make_event, register

    pid = member(dealer_db, "李娜", "+8613800000002", 2100)
    perks.redeem(dealer_db, pid, shop["night"].id)  # 2,000 points: balance 100
    ev = make_event(dealer_db, points=10)
    seat = register(dealer_db, ev, person_id=pid)
    out = checkin.scan(dealer_db, ev, seat.code, desk="1")
    assert out.accepted and out.tier == "gold"
    p = get_person(dealer_db, pid)
    assert (p.balance, p.tier) == (110, "gold")
