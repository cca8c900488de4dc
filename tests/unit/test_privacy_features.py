"""A person's copy and erasure reach what issues 14 and 15 hold about them: sign-up and
desk answers, gifts handed, payments with their references and notes, vouchers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from desktop_app.services import (
    erasure,
    fees,
    gifts,
    perks,
    person_copy,
    points,
    questions,
)
from desktop_app.services.checkin import scan
from desktop_app.services.gifts import GiftDraft
from desktop_app.services.questions import QuestionDraft
from desktop_app.services.registration import list_registrations
from desktop_app.services.reports import event_report
from desktop_app.store.db import Database
from tests.checkin_support import make_event, register
from tests.unit.test_privacy import _everything_as_text

PHONE = "+8613912345678"
NAME = "欧阳娜娜"
NOTE = "我不吃辣 电话13912345678"
REF = "WX4200001234"
PAY_NOTE = "欧阳娜娜 微信转账"
CANCEL = "欧阳娜娜说不要了"


def _drive_with_everything(db: Database) -> tuple[Any, Any, Any]:
    """A club drive with a text, a choice and a required desk question; 欧阳娜娜 answers
    them, checks in, is handed a gift, pays with a reference and a note, and redeems two
    vouchers (one cancelled with a reason). Another guest answers too."""
    ev = make_event(db, "莫干山自驾")
    for d in (
        QuestionDraft("note", "备注", "text"),
        QuestionDraft("size", "衣服尺码", "choice", ("S", "M", "L")),
        QuestionDraft("licence", "驾照已查验", "yes_no", (), True, False, True),
    ):
        questions.add_question(db, ev, d)
    gifts.add_gift(db, ev, GiftDraft("车载香氛", 5, cost="35"))
    fees.add_cost_item(db, ev, "油费", "300", "person")
    seat = register(db, ev, NAME, PHONE, plate="沪A12345")
    other = register(db, ev, "李雷", "+8613800138001")
    questions.set_answers(db, seat.registration_id, {"note": NOTE, "size": "L"})
    questions.set_answers(db, other.registration_id, {"note": "你好", "size": "L"})
    assert scan(db, ev, seat.code, desk="A", answers={"licence": "是"}).accepted
    assert gifts.hand(db, seat.registration_id, desk="A").handed
    fees.record_payment(db, seat.registration_id, "100", "wechat", REF, note=PAY_NOTE)
    pid = seat.person_id
    points.adjust_points(db, pid, 500, "opening balance")
    partner = perks.add_partner(db, "星巴克")
    perk = perks.add_perk(db, partner.id, perks.PerkDraft("咖啡券", 100, 5))
    perks.redeem(db, pid, perk.id)
    second = perks.redeem(db, pid, perk.id)
    perks.cancel_voucher(db, second.voucher.code, CANCEL)
    return ev, seat, other


def _sheets(path: Path) -> dict[str, list[list[Any]]]:
    import python_calamine as pc

    wb = pc.CalamineWorkbook.from_path(str(path))
    return {n: wb.get_sheet_by_name(n).to_python() for n in wb.sheet_names}


def test_a_persons_copy_holds_their_answers_gifts_payments_and_vouchers(
    dealer_db: Database, tmp_path: Path
) -> None:
    _ev, seat, _other = _drive_with_everything(dealer_db)
    zh = _sheets(
        person_copy.export_person(dealer_db, seat.person_id, tmp_path / "zh.xlsx", lang="zh").path
    )
    answers = zh["问题回答"]
    assert answers[0][:3] == ["活动", "问题", "回答"]
    got = {(r[1], r[2]) for r in answers[1:]}
    assert got == {("备注", NOTE), ("衣服尺码", "L"), ("驾照已查验", "是")}
    assert [r[1] for r in zh["礼品领取"][1:]] == ["车载香氛"]
    pay = zh["缴费记录"]
    assert len(pay) == 2 and REF in pay[1] and PAY_NOTE in pay[1] and "100.00" in pay[1]
    vouchers = zh["权益券"]
    assert len(vouchers) == 3
    assert {r[1] for r in vouchers[1:]} == {"星巴克 · 咖啡券"}
    assert any(CANCEL in r for r in vouchers[1:])
    en = _sheets(
        person_copy.export_person(dealer_db, seat.person_id, tmp_path / "en.xlsx", lang="en").path
    )
    assert {"Answers", "Gifts", "Payments", "Vouchers"} <= set(en)
    assert [r[2] for r in en["Answers"][1:] if r[1] == "驾照已查验"] == ["yes"]


def test_erasure_keeps_the_answer_counts_and_drops_the_free_text(dealer_db: Database) -> None:
    ev, seat, other = _drive_with_everything(dealer_db)
    before = event_report(dealer_db, ev).to_json()["answers"]
    erasure.erase_person(dealer_db, seat.person_id, "客户要求删除")
    after = event_report(dealer_db, ev).to_json()["answers"]
    assert after == before, "the report's answer counts are the same after erasure"
    regs = {r.id: r.answers for r in list_registrations(dealer_db, ev)}
    assert regs[seat.registration_id] == {"size": "L", "licence": True, "note": ""}
    assert regs[other.registration_id]["note"] == "你好", "another person's answers stay"
    everything = _everything_as_text(dealer_db)
    for secret in (NAME, "13912345678", REF, PAY_NOTE, CANCEL, "沪A12345"):
        assert secret not in everything, secret
