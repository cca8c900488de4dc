"""A club drive's money offline: the laptop takes payments in the event pack, and they
merge back exactly once (by nonce), with receipt numbers that never meet the dealership's.
SQLite and PostgreSQL as the dealership's database."""

from __future__ import annotations

import shutil
from pathlib import Path

from sqlalchemy import func, select

from desktop_app.services import fees, packs
from desktop_app.store.db import Database, open_database
from desktop_app.store.models import Payment
from tests.fees_support import event_with
from tests.unit.test_packs import snapshot

CARS = [("王磊", 2, "沪A12345"), ("李娜", 1, "沪B23456"), ("张伟", 1, "沪C34567")]


def test_payments_taken_on_the_laptop_merge_back_once(dealer_db: Database, tmp_path: Path) -> None:
    ev, regs = event_with(dealer_db, CARS)
    fees.add_cost_item(dealer_db, ev, "油费", "900", "car")
    first = fees.record_payment(dealer_db, regs[0], "300", "wechat")
    assert first.payment.receipt_no == "SH-0021-000001"
    pack = tmp_path / "drive.pack"
    packs.export_pack(dealer_db, ev, pack)

    laptop = open_database(str(pack))
    try:
        on_road = fees.record_payment(laptop, regs[1], "300", "cash", taken_by="领队老张")
        toll = fees.add_cost_item(laptop, ev, "过路费", "120", "car")
        fixed = fees.record_payment(laptop, regs[2], "100", "cash")
        fees.void_payment(laptop, fixed.payment.id, "收错人了")
        laptop_sheet = fees.fee_sheet(laptop, ev)
    finally:
        laptop.close()
    # the pack's block starts after the dealership's last number
    assert on_road.payment.receipt_no == "SH-0021-000002"
    # meanwhile the dealership goes on with its own numbers, after the pack's block
    here = fees.record_payment(dealer_db, regs[2], "50", "alipay")
    assert here.payment.receipt_no == "SH-0021-001002"

    report = packs.import_pack(dealer_db, pack)
    assert report.payments_added == 3 and report.receipts_renumbered == ()
    assert report.to_json()["payments_added"] == 3
    sheet = fees.fee_sheet(dealer_db, ev)
    assert [i.label for i in sheet.items] == ["油费", "过路费"] and toll.id in {
        i.id for i in sheet.items
    }
    # 油费 300 + 过路费 40 each; 王磊 300, 李娜 300, 张伟 100 − 100 (voided) + 50
    assert [(r.name, r.owed, r.paid) for r in sheet.rows] == [
        ("王磊", 34000, 30000),
        ("李娜", 34000, 30000),
        ("张伟", 34000, 5000),
    ]
    assert laptop_sheet.total_paid == 60000
    before = snapshot(dealer_db)
    again = packs.import_pack(dealer_db, pack)
    assert again.payments_added == 0
    assert snapshot(dealer_db) == before


def test_the_same_pack_copied_onto_two_laptops_never_repeats_a_receipt_number(
    dealer_db: Database, tmp_path: Path
) -> None:
    ev, regs = event_with(dealer_db, CARS)
    fees.add_cost_item(dealer_db, ev, "午餐", "300", "person")
    one, two = tmp_path / "one.pack", tmp_path / "two.pack"
    packs.export_pack(dealer_db, ev, one)
    shutil.copyfile(one, two)
    for path, reg in ((one, regs[0]), (two, regs[1])):
        laptop = open_database(str(path))
        try:
            assert fees.record_payment(laptop, reg, "75", "cash").payment.receipt_no == (
                "SH-0021-000001"
            )
        finally:
            laptop.close()
    assert packs.import_pack(dealer_db, one).receipts_renumbered == ()
    report = packs.import_pack(dealer_db, two)
    assert [(r["was"], r["now"]) for r in report.receipts_renumbered] == [
        ("SH-0021-000001", "SH-0021-001001")
    ]
    with dealer_db.read() as s:
        numbers = list(s.scalars(select(Payment.receipt_no).order_by(Payment.receipt_no)))
        assert numbers == ["SH-0021-000001", "SH-0021-001001"]
        assert s.scalar(select(func.sum(Payment.amount_cents))) == 15000
