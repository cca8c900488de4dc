"""Costs shared AA among an event's participants, payments, refunds and receipt numbers:
every figure against a hand-computed case, on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import func, select

from desktop_app.domain.errors import RuleViolation, ValidationError
from desktop_app.services import events, fees
from desktop_app.services import registration as reg
from desktop_app.store.db import Database
from desktop_app.store.models import Payment
from tests.fees_support import event_with

THREE_CARS = [("王磊", 1, "沪A12345"), ("李娜", 1, "沪B23456"), ("张伟", 1, "沪C34567")]


def owed(sheet: fees.FeeSheet) -> list[str]:
    return [fees.json_money(r.owed) for r in sheet.rows]


def test_100_yuan_among_three_people_is_3334_3333_3333(dealer_db: Database) -> None:
    ev, regs = event_with(dealer_db, THREE_CARS, type="open_day")
    fees.add_cost_item(dealer_db, ev, "午餐", "100", "person")
    sheet = fees.fee_sheet(dealer_db, ev)
    assert [r.registration_id for r in sheet.rows] == regs
    assert owed(sheet) == ["33.34", "33.33", "33.33"]
    assert sheet.to_json()["total_owed"] == "100.00"
    assert sheet.to_json()["total_paid"] == "0.00"


def test_per_person_counts_everyone_in_the_car_and_the_first_car_gets_the_extra_cents(
    dealer_db: Database,
) -> None:
    # ¥100.03 over 4 people = 25.00 each + 3 cents for people 1, 2, 3 (the first car's two)
    ev, _ = event_with(dealer_db, [("王磊", 2, "沪A12345"), ("李娜", 1, "沪B2"), ("张伟", 1, None)])
    fees.add_cost_item(dealer_db, ev, "门票", "100.03", "person")
    assert owed(fees.fee_sheet(dealer_db, ev)) == ["50.02", "25.01", "25.00"]


def test_per_car_family_fixed_per_unit_and_subsidies_add_up(dealer_db: Database) -> None:
    ev, regs = event_with(
        dealer_db, [("王磊", 3, "沪A12345"), ("李娜", 2, "沪B23456"), ("张伟", 1, "沪C34567")]
    )
    fees.add_cost_item(dealer_db, ev, "油费", "1000", "car")  # 333.34 / 333.33 / 333.33
    fees.add_cost_item(dealer_db, ev, "酒店", "1500", "family", subsidy="600")  # 300 each
    fees.add_cost_item(dealer_db, ev, "报名费", "50", "fixed", subsidy="20")  # 30 each
    fees.add_cost_item(dealer_db, ev, "保险", "20", "person", per_unit=True)  # 60 / 40 / 20
    sheet = fees.fee_sheet(dealer_db, ev)
    assert owed(sheet) == ["723.34", "703.33", "683.33"]
    rows = {r.registration_id: r for r in sheet.rows}
    assert [(x.label, fees.json_money(x.cents)) for x in rows[regs[1]].shares] == [
        ("油费", "333.33"),
        ("酒店", "300.00"),
        ("报名费", "30.00"),
        ("保险", "40.00"),
    ]
    # spent = 1000 + 1500 + 50×3 + 20×6; subsidy = 600 + 20×3
    assert (sheet.spent, sheet.subsidy) == (277000, 66000)
    assert sheet.total_owed == sheet.spent - sheet.subsidy == 211000
    by_item = {i.label: i for i in sheet.items}
    assert (by_item["保险"].units, by_item["油费"].units, by_item["报名费"].units) == (6, 3, 3)


def test_per_car_skips_registrations_without_a_car_at_an_on_site_event(
    dealer_db: Database,
) -> None:
    ev, _ = event_with(
        dealer_db,
        [("王磊", 1, "沪A12345"), ("李娜", 1, None), ("张伟", 1, "沪C34567")],
        type="open_day",
    )
    fees.add_cost_item(dealer_db, ev, "停车费", "25", "car")
    assert owed(fees.fee_sheet(dealer_db, ev)) == ["12.50", "0.00", "12.50"]


def test_partial_payments_leave_what_is_outstanding(dealer_db: Database) -> None:
    ev, regs = event_with(dealer_db, THREE_CARS)
    fees.add_cost_item(dealer_db, ev, "午餐", "100", "person")
    first = fees.record_payment(dealer_db, regs[0], "20", "wechat", "4200001234")
    assert (first.to_json()["paid"], first.to_json()["outstanding"]) == ("20.00", "13.34")
    second = fees.record_payment(dealer_db, regs[0], "13.34", "cash")
    assert second.to_json()["outstanding"] == "0.00"
    sheet = fees.fee_sheet(dealer_db, ev)
    row = sheet.row(regs[0])
    assert row is not None and (row.paid, row.outstanding, row.refund_due) == (3334, 0, 0)
    assert sheet.to_json()["total_paid"] == "33.34"
    assert sheet.to_json()["total_outstanding"] == "66.66"
    assert [c.names for c in sheet.by_car] == [("李娜",), ("张伟",)]


def test_paying_more_than_owed_shows_a_refund_due(dealer_db: Database) -> None:
    ev, regs = event_with(dealer_db, THREE_CARS)
    fees.add_cost_item(dealer_db, ev, "午餐", "100", "person")
    fees.record_payment(dealer_db, regs[1], "50", "cash")
    row = fees.fee_sheet(dealer_db, ev).row(regs[1])
    assert row is not None and (row.outstanding, row.refund_due) == (0, 1667)


def test_a_cancelled_registration_owes_nothing_and_gets_back_what_it_paid(
    dealer_db: Database,
) -> None:
    ev, regs = event_with(dealer_db, THREE_CARS)
    fees.add_cost_item(dealer_db, ev, "油费", "100", "car")
    for r in regs:
        fees.record_payment(dealer_db, r, "33.34", "wechat")
    reg.cancel(dealer_db, regs[2], "家里有事")
    sheet = fees.fee_sheet(dealer_db, ev)
    # the two cars left share ¥100: 50 each; each paid 33.34
    assert owed(sheet) == ["50.00", "50.00", "0.00"]
    assert [(r.name, fees.json_money(r.refund_due)) for r in sheet.refunds] == [("张伟", "33.34")]
    assert sheet.to_json()["refunds"] == [
        {"registration_id": str(regs[2]), "name": "张伟", "amount": "33.34"}
    ]
    done = fees.record_refund(dealer_db, regs[2])
    assert done.payment.amount_cents == -3334 and done.payment.method == "wechat"
    assert done.payment.kind == "refund" and done.payment.receipt_no
    sheet = fees.fee_sheet(dealer_db, ev)
    assert sheet.refunds == ()
    assert sheet.total_paid == 6668 and sheet.total_outstanding == 3332


def test_a_cancelled_event_refunds_everybody(dealer_db: Database) -> None:
    ev, regs = event_with(dealer_db, THREE_CARS)
    fees.add_cost_item(dealer_db, ev, "油费", "300", "car")
    fees.record_payment(dealer_db, regs[0], "100", "cash")
    fees.record_payment(dealer_db, regs[1], "60", "alipay")
    events.set_status(dealer_db, ev, "cancelled", confirm=True)
    sheet = fees.fee_sheet(dealer_db, ev)
    assert sheet.total_owed == 0
    assert [(r.name, r.refund_due) for r in sheet.refunds] == [("王磊", 10000), ("李娜", 6000)]
    with pytest.raises(RuleViolation) as err:
        fees.record_payment(dealer_db, regs[2], "100", "cash")
    assert err.value.code == "fee_event_cancelled"
    done = fees.refund_all(dealer_db, ev)
    assert [(d.payment.amount_cents, d.payment.method) for d in done] == [
        (-10000, "cash"),
        (-6000, "alipay"),
    ]
    assert fees.fee_sheet(dealer_db, ev).total_paid == 0


def test_refund_rules(dealer_db: Database) -> None:
    ev, regs = event_with(dealer_db, THREE_CARS)
    fees.add_cost_item(dealer_db, ev, "午餐", "90", "person")
    with pytest.raises(RuleViolation) as err:
        fees.record_refund(dealer_db, regs[0])
    assert err.value.code == "refund_nothing_paid"
    fees.record_payment(dealer_db, regs[0], "30", "cash")
    with pytest.raises(RuleViolation) as err:
        fees.record_refund(dealer_db, regs[0])
    assert err.value.code == "refund_nothing_due"
    assert "¥30.00" in err.value.localized("en")
    with pytest.raises(RuleViolation) as err:
        fees.record_refund(dealer_db, regs[0], amount="30.01")
    assert err.value.code == "refund_too_much"
    part = fees.record_refund(dealer_db, regs[0], amount="10", method="bank", reference="退10")
    assert (part.paid, part.outstanding) == (2000, 1000)


def test_the_ledger_is_append_only_a_mistake_is_voided_by_a_correction(
    dealer_db: Database,
) -> None:
    ev, regs = event_with(dealer_db, THREE_CARS)
    fees.add_cost_item(dealer_db, ev, "午餐", "100", "person")
    wrong = fees.record_payment(dealer_db, regs[0], "333.40", "cash")  # typed one digit too many
    fees.record_payment(dealer_db, regs[0], "33.34", "cash")
    fix = fees.void_payment(dealer_db, wrong.payment.id, "多输了一位")
    assert fix.payment.kind == "correction" and fix.payment.amount_cents == -33340
    assert fix.payment.corrects_id == wrong.payment.id and fix.payment.receipt_no is None
    assert (fix.paid, fix.outstanding) == (3334, 0)
    with pytest.raises(RuleViolation) as err:
        fees.void_payment(dealer_db, wrong.payment.id, "again")
    assert err.value.code == "already_voided"
    with pytest.raises(RuleViolation):
        fees.void_payment(dealer_db, fix.payment.id, "undo the undo")
    ledger = fees.list_payments(dealer_db, ev)
    assert [(p.kind, p.amount_cents, p.voided) for p in ledger] == [
        ("payment", 33340, True),
        ("payment", 3334, False),
        ("correction", -33340, False),
    ]


def test_a_payment_sent_twice_with_its_nonce_is_stored_once(dealer_db: Database) -> None:
    _ev, regs = event_with(dealer_db, THREE_CARS)
    nonce = uuid.uuid4()
    a = fees.record_payment(dealer_db, regs[0], "50", "cash", nonce=nonce)
    b = fees.record_payment(dealer_db, regs[0], "50", "cash", nonce=nonce)
    assert b.replayed and b.payment.id == a.payment.id
    with dealer_db.read() as s:
        assert s.scalar(select(func.count()).select_from(Payment)) == 1


def test_a_till_s_own_payment_key_works_as_a_nonce_too(dealer_db: Database) -> None:
    # `paddock pay … --nonce pay-desk1-0001` said "payment not found: pay-desk1-0001"
    _ev, regs = event_with(dealer_db, THREE_CARS)
    a = fees.record_payment(dealer_db, regs[0], "20", "alipay", nonce="pay-desk1-0001")
    b = fees.record_payment(dealer_db, regs[0], "20", "alipay", nonce="pay-desk1-0001")
    c = fees.record_payment(dealer_db, regs[0], "20", "alipay", nonce="pay-desk1-0002")
    assert not a.replayed and b.replayed and b.payment.id == a.payment.id
    assert not c.replayed and c.payment.id != a.payment.id


def test_receipt_numbers_run_per_dealer_and_corrections_take_none(dealer_db: Database) -> None:
    _ev, regs = event_with(dealer_db, THREE_CARS)
    numbers = [fees.record_payment(dealer_db, r, "10", "cash").payment.receipt_no for r in regs]
    assert numbers == ["SH-0021-000001", "SH-0021-000002", "SH-0021-000003"]
    refund = fees.record_refund(dealer_db, regs[0], amount="10")
    assert refund.payment.receipt_no == "SH-0021-000004"


def test_bad_input_is_refused_with_the_field_named(dealer_db: Database) -> None:
    ev, regs = event_with(dealer_db, THREE_CARS)
    cases = [
        (lambda: fees.add_cost_item(dealer_db, ev, "午餐", "abc", "person"), "amount"),
        (lambda: fees.add_cost_item(dealer_db, ev, "午餐", "-5", "person"), "amount"),
        (lambda: fees.add_cost_item(dealer_db, ev, "午餐", "1.234", "person"), "amount"),
        (lambda: fees.add_cost_item(dealer_db, ev, "午餐", "10", "table"), "split"),
        (lambda: fees.add_cost_item(dealer_db, ev, "", "10", "person"), "label"),
        (lambda: fees.add_cost_item(dealer_db, ev, "午餐", "10", "car", subsidy="11"), "subsidy"),
        (lambda: fees.record_payment(dealer_db, regs[0], "0", "cash"), "amount"),
        (lambda: fees.record_payment(dealer_db, regs[0], "10", "paypal"), "method"),
    ]
    for call, fld in cases:
        with pytest.raises(ValidationError) as err:
            call()
        assert err.value.field == fld
    with dealer_db.read() as s:
        assert s.scalar(select(func.count()).select_from(Payment)) == 0


def test_a_cancelled_registration_cannot_pay(dealer_db: Database) -> None:
    _ev, regs = event_with(dealer_db, THREE_CARS)
    reg.cancel(dealer_db, regs[0])
    with pytest.raises(RuleViolation) as err:
        fees.record_payment(dealer_db, regs[0], "10", "cash")
    assert err.value.code == "fee_registration_cancelled"


def test_changing_or_removing_a_cost_item_moves_every_share(dealer_db: Database) -> None:
    ev, _regs = event_with(dealer_db, THREE_CARS)
    item = fees.add_cost_item(dealer_db, ev, "午餐", "100", "person")
    fees.add_cost_item(dealer_db, ev, "过路费", "60", "car")
    fees.update_cost_item(dealer_db, item.id, "午餐", "120", "person", subsidy="30")
    assert owed(fees.fee_sheet(dealer_db, ev)) == ["50.00", "50.00", "50.00"]
    fees.remove_cost_item(dealer_db, item.id)
    sheet = fees.fee_sheet(dealer_db, ev)
    assert owed(sheet) == ["20.00", "20.00", "20.00"]
    assert [i.label for i in sheet.items] == ["过路费"]


def test_the_desks_one_registration_figure_agrees_with_the_sheet(dealer_db: Database) -> None:
    ev, regs = event_with(
        dealer_db,
        [("王磊", 3, "沪A12345"), ("李娜", 2, None), ("张伟", 1, "沪C3"), ("赵敏", 4, "沪D4")],
        type="open_day",
    )
    fees.add_cost_item(dealer_db, ev, "午餐", "100.07", "person")
    fees.add_cost_item(dealer_db, ev, "停车", "10.01", "car")
    fees.add_cost_item(dealer_db, ev, "酒店", "1000", "family", subsidy="0.02")
    fees.add_cost_item(dealer_db, ev, "保险", "5.5", "person", per_unit=True)
    fees.record_payment(dealer_db, regs[1], "40", "cash")
    reg.cancel(dealer_db, regs[2])
    sheet = fees.fee_sheet(dealer_db, ev)
    with dealer_db.read() as s:
        for r in sheet.rows:
            assert fees.outstanding_in(s, ev, r.registration_id) == r.outstanding, r.name


def test_an_event_without_fees_has_nothing_to_say_at_the_desk(dealer_db: Database) -> None:
    ev, regs = event_with(dealer_db, THREE_CARS)
    with dealer_db.read() as s:
        assert fees.outstanding_in(s, ev, regs[0]) is None


def test_the_event_report_shows_collected_spent_subsidy_balance_and_cost_per_attendee(
    dealer_db: Database,
) -> None:
    from desktop_app.services import checkin, reports

    ev, regs = event_with(dealer_db, THREE_CARS)
    assert reports.event_report(dealer_db, ev).money is None  # no fees: nothing to show
    fees.add_cost_item(dealer_db, ev, "油费", "1000", "car")
    fees.add_cost_item(dealer_db, ev, "酒店", "1500", "family", subsidy="600")
    fees.record_payment(dealer_db, regs[0], "633.34", "wechat")
    fees.record_payment(dealer_db, regs[1], "300", "cash")
    for r in regs[:2]:
        assert checkin.manual_check_in(dealer_db, ev, r, desk="前台").accepted
    money = reports.event_report(dealer_db, ev).to_json()["money"]
    assert money == {
        "collected": "933.34",
        "spent": "2500.00",
        "subsidy": "600.00",
        "balance": "-1566.66",  # collected − spent
        "owed": "1900.00",
        "outstanding": "966.66",  # 李娜 333.33, 张伟 633.33
        "refund_due": "0.00",
        "attendees": 2,
        "cost_per_attendee": "1250.00",
        "subsidy_per_attendee": "300.00",
    }


def test_an_average_per_attendee_rounds_half_up_to_the_fen() -> None:
    assert [fees.round_half_up(c, n) for c, n in ((100, 3), (200, 3), (1, 2), (-1, 2))] == [
        33,
        67,
        1,
        -1,
    ]


def test_erasing_a_person_keeps_the_accounts_and_drops_the_free_text(
    dealer_db: Database,
) -> None:
    from desktop_app.services import erasure, registration

    ev, regs = event_with(dealer_db, THREE_CARS)
    fees.add_cost_item(dealer_db, ev, "油费", "300", "car")
    fees.record_payment(
        dealer_db, regs[0], "100", "wechat", "王磊 13800000001", note="车牌沪A12345"
    )
    before = fees.fee_sheet(dealer_db, ev)
    person = registration.get_registration(dealer_db, regs[0]).person_id
    erasure.erase_person(dealer_db, person, "客户要求删除")
    after = fees.fee_sheet(dealer_db, ev)
    assert [(r.owed, r.paid) for r in after.rows] == [(r.owed, r.paid) for r in before.rows]
    [p] = fees.list_payments(dealer_db, ev)
    assert (p.amount_cents, p.receipt_no, p.reference, p.note) == (
        10000,
        "SH-0021-000001",
        None,
        None,
    )


def test_the_event_report_files_carry_the_money_figures(dealer_db: Database, tmp_path) -> None:
    """HQ staff search report PDFs and copy numbers out of the workbook: the shared costs'
    figures are in both, not only on the screen and in the JSON."""
    import shutil

    import python_calamine as pc

    from desktop_app.services import checkin, reports
    from desktop_app.services.exports import report_file
    from tests.pdf_support import pdf_text

    ev, regs = event_with(dealer_db, THREE_CARS)
    fees.add_cost_item(dealer_db, ev, "油费", "1000", "car")
    fees.add_cost_item(dealer_db, ev, "酒店", "1500", "family", subsidy="600")
    fees.record_payment(dealer_db, regs[0], "633.34", "wechat")
    for r in regs[:2]:
        assert checkin.manual_check_in(dealer_db, ev, r, desk="前台").accepted
    rep = reports.event_report(dealer_db, ev)
    xlsx = report_file(dealer_db, rep, tmp_path / "report.xlsx", "zh")
    wb = pc.CalamineWorkbook.from_path(str(xlsx))
    assert "费用分摊" in wb.sheet_names
    rows = {r[0]: r[1] for r in wb.get_sheet_by_name("费用分摊").to_python()}
    assert rows["已收款（元）"] == 633.34 and rows["总支出（元）"] == 2500.0
    assert rows["经销商补贴（元）"] == 600.0 and rows["结余（元）"] == -1866.66
    assert rows["人均费用（元）"] == 1250.0
    en = report_file(dealer_db, rep, tmp_path / "report_en.pdf", "en")
    if shutil.which("pdftotext"):
        text = " ".join(pdf_text(en).split())
        for words in ("Shared costs (AA)", "Collected", "633.34", "2,500.00", "-1,866.66"):
            assert words in text, words


def test_the_fee_sheet_says_who_has_arrived_as_the_attendee_list_does(dealer_db: Database) -> None:
    from desktop_app.services import checkin

    ev, regs = event_with(dealer_db, THREE_CARS, type="open_day")
    fees.add_cost_item(dealer_db, ev, "午餐", "90", "person")
    checkin.manual_check_in(dealer_db, [ev], regs[0], desk="A")
    sheet = {r.registration_id: r.status for r in fees.fee_sheet(dealer_db, ev).rows}
    listed = {v.id: v.status for v in reg.list_registrations(dealer_db, ev)}
    assert sheet == listed
    assert sheet[regs[0]] == "attended" and sheet[regs[1]] == "registered"
