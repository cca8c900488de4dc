"""Gifts at the door: who gets what, exact stock, undo returns, low and no stock said."""

from __future__ import annotations

import shutil
import uuid
from decimal import Decimal

import pytest
from sqlalchemy import select

from desktop_app.domain.errors import ValidationError
from desktop_app.services import gifts
from desktop_app.services.checkin import scan, undo_checkin
from desktop_app.services.gifts import GiftDraft
from desktop_app.store.db import Database
from desktop_app.store.models import Gift, GiftHandout, Person
from tests.checkin_support import make_event, register
from tests.pdf_support import pdf_text


def _gift(db: Database, ev: uuid.UUID, name: str, stock: int, rule: str = "per_registration",
          cost: str | None = None) -> gifts.GiftView:  # fmt: skip
    r, v = gifts.parse_rule(rule)
    return gifts.add_gift(db, ev, GiftDraft(name, stock, r, v, cost))


def _in(db: Database, ev: uuid.UUID, name: str, phone: str, **kw: object):
    seat = register(db, ev, name, phone, **kw)  # type: ignore[arg-type]
    out = scan(db, ev, seat.code, desk="A")
    assert out.result == "accepted"
    return seat, out


def test_an_accepted_check_in_says_which_gift_to_hand_and_one_call_hands_it(
    dealer_db: Database,
) -> None:
    ev = make_event(dealer_db)
    g = _gift(dealer_db, ev, "签到礼", 10, cost="25")
    seat, out = _in(dealer_db, ev, "王芳", "+8613800138000")
    assert [(d.name, d.quantity, d.left, d.none_left) for d in out.gifts] == [
        ("签到礼", 1, 10, False)
    ]
    assert out.to_json()["gifts"][0]["name"] == "签到礼"
    res = gifts.hand(dealer_db, seat.registration_id, desk="A")
    assert res.result == "handed" and res.items[0].left == 9
    again = gifts.hand(dealer_db, seat.registration_id, desk="B")
    assert again.result in ("already_handed", "nothing_due") and not again.handed
    assert gifts.get_gift(dealer_db, g.id).handed == 1
    assert gifts.due(dealer_db, seat.registration_id) == ()


def test_rules_per_person_tier_first_arrivals_and_referrers(dealer_db: Database) -> None:
    ev = make_event(dealer_db, points=0)  # no award: the tier set below stays as it is
    _gift(dealer_db, ev, "伴手礼", 100, "per_person")
    _gift(dealer_db, ev, "金卡礼", 100, "tier:gold")
    _gift(dealer_db, ev, "早鸟礼", 100, "first:2")
    _gift(dealer_db, ev, "推荐礼", 100, "referrers")
    family, out = _in(dealer_db, ev, "王芳", "+8613800138000", party_size=3)
    assert {d.name: d.quantity for d in out.gifts} == {"伴手礼": 3, "早鸟礼": 1}
    with dealer_db.write() as s:
        gold = Person(name="金卡车主", phone="+8613900000001", stage="member", tier="platinum")
        s.add(gold)
        s.flush()
        friend = Person(
            name="朋友", phone="+8613900000002", stage="prospect", referred_by_id=gold.id
        )
        s.add(friend)
        s.flush()
        gold_id = gold.id
    _, out = _in(dealer_db, ev, "金卡车主", "", person_id=gold_id)
    assert {d.name: d.quantity for d in out.gifts} == {
        "伴手礼": 1,
        "金卡礼": 1,
        "早鸟礼": 1,
        "推荐礼": 1,
    }
    _, out = _in(dealer_db, ev, "第三位", "+8613800138003")
    assert {d.name for d in out.gifts} == {"伴手礼"}, "only the first 2 arrivals get 早鸟礼"
    res = gifts.hand(dealer_db, family.registration_id)
    assert {i.name: i.quantity for i in res.items} == {"伴手礼": 3, "早鸟礼": 1}


def test_zero_stock_says_no_gift_left_instead_of_hiding_it(dealer_db: Database) -> None:
    ev = make_event(dealer_db)
    _gift(dealer_db, ev, "签到礼", 1)
    first, _ = _in(dealer_db, ev, "王芳", "+8613800138000")
    assert gifts.hand(dealer_db, first.registration_id).result == "handed"
    second, out = _in(dealer_db, ev, "李雷", "+8613800138001")
    assert [(d.name, d.left, d.none_left) for d in out.gifts] == [("签到礼", 0, True)]
    res = gifts.hand(dealer_db, second.registration_id)
    assert res.result == "no_gift_left" and res.items[0].result == "no_gift_left"


def test_a_family_when_two_are_left_gets_the_two(dealer_db: Database) -> None:
    ev = make_event(dealer_db)
    g = _gift(dealer_db, ev, "伴手礼", 2, "per_person")
    seat, _ = _in(dealer_db, ev, "王芳", "+8613800138000", party_size=4)
    res = gifts.hand(dealer_db, seat.registration_id)
    assert (res.result, res.items[0].quantity, res.items[0].left) == ("handed", 2, 0)
    assert gifts.get_gift(dealer_db, g.id).handed == 2


def test_running_low_warns_and_stock_below_handed_is_refused(dealer_db: Database) -> None:
    ev = make_event(dealer_db)
    g = _gift(dealer_db, ev, "签到礼", 4)
    assert not gifts.get_gift(dealer_db, g.id).low, "an untouched small stock is no warning"
    seat, _ = _in(dealer_db, ev, "王芳", "+8613800138000")
    res = gifts.hand(dealer_db, seat.registration_id)
    assert res.items[0].low and gifts.get_gift(dealer_db, g.id).low
    with pytest.raises(ValidationError) as err:
        gifts.update_gift(dealer_db, g.id, GiftDraft("签到礼", 0))
    assert err.value.code == "gift_stock_below_handed"
    more = gifts.update_gift(dealer_db, g.id, GiftDraft("签到礼", 40))
    assert (more.left, more.low) == (39, False)


def test_undoing_a_check_in_returns_the_gift_to_stock(dealer_db: Database) -> None:
    ev = make_event(dealer_db)
    g = _gift(dealer_db, ev, "伴手礼", 5, "per_person")
    seat, _ = _in(dealer_db, ev, "王芳", "+8613800138000", party_size=2)
    gifts.hand(dealer_db, seat.registration_id)
    assert gifts.get_gift(dealer_db, g.id).left == 3
    held = gifts.held_by(dealer_db, seat.registration_id)
    assert [(b.name, b.quantity) for b in held] == [("伴手礼", 2)], "asked before the undo"
    out = undo_checkin(dealer_db, seat.registration_id, desk="A")
    assert gifts.get_gift(dealer_db, g.id).left == 5
    assert out.gifts_returned == held, "the undo says what to take back from the guest"
    assert out.to_json()["gifts_returned"] == [
        {"gift_id": str(g.id), "name": "伴手礼", "quantity": 2}
    ]
    assert gifts.take_back_text(held, "zh") == "请向客人收回礼品：伴手礼 × 2（已退回库存）"
    assert gifts.held_by(dealer_db, seat.registration_id) == ()
    with dealer_db.read() as s:
        h = s.scalars(select(GiftHandout)).one()
        assert h.returned_at is not None
    assert gifts.hand(dealer_db, seat.registration_id).result == "not_checked_in"
    out = scan(dealer_db, ev, seat.code, desk="A")
    assert out.result == "accepted" and out.gifts[0].quantity == 2, "due again after re-entry"
    assert gifts.hand(dealer_db, seat.registration_id).result == "handed"


def test_the_same_hand_out_sent_twice_is_stored_once(dealer_db: Database) -> None:
    ev = make_event(dealer_db)
    g = _gift(dealer_db, ev, "签到礼", 5)
    seat, _ = _in(dealer_db, ev, "王芳", "+8613800138000")
    nonce = uuid.uuid4()
    a = gifts.hand(dealer_db, seat.registration_id, nonce=nonce)
    b = gifts.hand(dealer_db, seat.registration_id, nonce=nonce)
    assert a.result == b.result == "handed" and a.items[0].nonce == b.items[0].nonce
    with dealer_db.read() as s:
        assert len(s.scalars(select(GiftHandout)).all()) == 1
        assert s.get(Gift, g.id).handed == 1


def test_the_summary_gives_handed_left_and_cost(dealer_db: Database) -> None:
    ev = make_event(dealer_db)
    _gift(dealer_db, ev, "签到礼", 10, cost="25.5")
    _gift(dealer_db, ev, "伴手礼", 10, "per_person", cost="10")
    seat, _ = _in(dealer_db, ev, "王芳", "+8613800138000", party_size=2)
    gifts.hand(dealer_db, seat.registration_id)
    summary = gifts.gift_summary(dealer_db, ev)
    assert (summary.handed, summary.left, summary.cost) == (3, 17, Decimal("45.50"))
    assert summary.to_json()["items"][1]["cost_handed"] == 20.0


def test_bad_rules_and_stock_say_why(dealer_db: Database) -> None:
    ev = make_event(dealer_db)
    for rule, code in (("tier:diamond", "gift_tier_bad"), ("first:x", "gift_first_n_bad")):
        with pytest.raises(ValidationError) as err:
            _gift(dealer_db, ev, "礼", 1, rule)
        assert err.value.code == code
    with pytest.raises(ValidationError) as err:
        gifts.parse_rule("everyone")
    assert err.value.code == "gift_rule_bad"
    with pytest.raises(ValidationError):
        gifts.add_gift(dealer_db, ev, GiftDraft("礼", -1))
    assert gifts.parse_rule("per_family") == ("per_registration", None)


def test_the_event_report_and_its_files_show_gifts_and_answers(
    dealer_db: Database, tmp_path: object
) -> None:
    from pathlib import Path

    import python_calamine as pc

    from desktop_app.services import questions
    from desktop_app.services.exports import report_file
    from desktop_app.services.reports import event_report

    ev = make_event(dealer_db, points=0)
    with dealer_db.write() as s:
        from desktop_app.store.models import Event

        s.get(Event, ev).budget = Decimal("100")
    questions.add_question(
        dealer_db, ev, questions.QuestionDraft("size", "衣服尺码", "choice", ("S", "M", "L"))
    )
    _gift(dealer_db, ev, "签到礼", 10, cost="25")
    seat, _ = _in(dealer_db, ev, "王芳", "+8613800138000")
    questions.set_answers(dealer_db, seat.registration_id, {"size": "M"})
    gifts.hand(dealer_db, seat.registration_id)
    rep = event_report(dealer_db, ev)
    data = rep.to_json()
    assert data["gifts"]["handed"] == 1 and data["gifts"]["cost"] == 25.0
    assert data["cost_per_attendee"] == 125.0, "gift cost feeds the event's cost"
    out = Path(str(tmp_path)) / "report.xlsx"
    report_file(dealer_db, rep, out, "zh")
    wb = pc.CalamineWorkbook.from_path(str(out))
    assert "问卷答案" in wb.sheet_names and "礼品" in wb.sheet_names
    answers = wb.get_sheet_by_name("问卷答案").to_python()
    assert answers[0][0] == "衣服尺码" and ["M", 1.0] in [r[:2] for r in answers]
    gift_rows = wb.get_sheet_by_name("礼品").to_python()
    assert gift_rows[1][:4] == ["签到礼", 10.0, 1.0, 9.0]
    pdf = report_file(dealer_db, rep, Path(str(tmp_path)) / "report.pdf", "zh")
    assert pdf.read_bytes()[:4] == b"%PDF"
    if shutil.which("pdftotext"):  # the PDF's answer counts and gift table are text
        text = "".join(pdf_text(pdf).split())
        for words in ("问卷答案", "衣服尺码", "已回答1", "礼品", "签到礼", "待审核"):
            if words == "待审核":
                assert words not in text, "no approval tiles for an event without applications"
            else:
                assert words in text, words


def test_handing_again_says_already_handed_with_the_stock_really_left(
    dealer_db: Database,
) -> None:
    ev = make_event(dealer_db)
    _gift(dealer_db, ev, "签到礼", 10)
    seat, _out = _in(dealer_db, ev, "王芳", "+8613800138000")
    assert gifts.hand(dealer_db, seat.registration_id, desk="A").items[0].left == 9
    again = gifts.hand(dealer_db, seat.registration_id, desk="B")
    assert [(i.result, i.quantity, i.left, i.low) for i in again.items] == [
        ("already_handed", 0, 9, False)
    ], "not 'left 0', which a desk or script would read as none left"
