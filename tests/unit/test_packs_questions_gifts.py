"""Event packs carry questions, answers and gifts offline and merge them back: desk answers
given on the laptop arrive, gift hand-outs merge by nonce without double hand-outs, stock
is recounted exactly, the same pack twice changes nothing."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlalchemy import func, select

from desktop_app.domain.timeutil import now_utc
from desktop_app.services import checkin, gifts, packs, questions
from desktop_app.services.gifts import GiftDraft
from desktop_app.services.questions import QuestionDraft
from desktop_app.services.registration import list_registrations
from desktop_app.store.db import Database, open_database
from desktop_app.store.models import GiftHandout
from tests.checkin_support import make_event, register
from tests.unit.test_packs import snapshot


def test_a_laptop_day_with_desk_questions_and_gifts_merges_back_exactly(
    dealer_db: Database, tmp_path: Path
) -> None:
    main_db = dealer_db
    ev = make_event(main_db, "同城会")
    questions.add_question(
        main_db,
        ev,
        QuestionDraft("size", "衣服尺码", "choice", ("S", "M", "L"), True, False, True),
    )
    g = gifts.add_gift(main_db, ev, GiftDraft("签到礼", 3, cost="25"))
    a = register(main_db, ev, "李娜", "+8613800138000")
    b = register(main_db, ev, "王强", "+8613900139001")
    c = register(main_db, ev, "陈静", "+8615000150002")
    pack = tmp_path / "meetup.pack"
    packs.export_pack(main_db, ev, pack)
    base = now_utc() - timedelta(minutes=30)

    laptop = open_database(str(pack))
    try:
        assert [q.key for q in questions.list_questions(laptop, ev)] == ["size"]
        out = checkin.scan(laptop, ev, a.code, desk="笔记本", scanned_at=base)
        assert out.result == "needs_answers", "the laptop asks the desk question too"
        out = checkin.scan(
            laptop, ev, a.code, desk="笔记本", scanned_at=base, answers={"size": "L"}
        )
        assert out.accepted and out.gifts[0].name == "签到礼"
        assert gifts.hand(laptop, a.registration_id, desk="笔记本").handed
        out = checkin.scan(
            laptop,
            ev,
            c.code,
            desk="笔记本",
            scanned_at=base + timedelta(minutes=3),
            answers={"size": "S"},
        )
        assert gifts.hand(laptop, c.registration_id, desk="笔记本").handed
    finally:
        laptop.close()

    # meanwhile at the dealership: B comes, and A too (the two desks both hand A a gift)
    for seat, size in ((b, "M"), (a, "M")):
        assert checkin.scan(main_db, ev, seat.code, desk="前台", answers={"size": size}).accepted
        assert gifts.hand(main_db, seat.registration_id, desk="前台").handed

    report = packs.import_pack(main_db, pack)
    doubles = report.to_json()["gift_doubles"]
    assert [d["registration_id"] for d in doubles] == [str(a.registration_id)]
    assert report.gifts_over_stock == ()
    with main_db.read() as s:
        live = s.scalar(
            select(func.count())
            .select_from(GiftHandout)
            .where(GiftHandout.returned_at.is_(None), GiftHandout.deleted_at.is_(None))
        )
    assert live == 3, "A, B and C: one hand-out each, A never twice"
    assert gifts.get_gift(main_db, g.id).handed == 3
    answers = {v.name: v.answers for v in list_registrations(main_db, ev)}
    assert answers["陈静"] == {"size": "S"}
    assert answers["王强"] == {"size": "M"}
    assert answers["李娜"]["size"] in ("L", "M")  # both answered: the newest kept
    before = snapshot(main_db)
    again = packs.import_pack(main_db, pack)
    assert again.gift_doubles == (), "reported once"
    assert snapshot(main_db) == before, "the same pack twice changes nothing"


def test_an_undo_on_the_laptop_returns_a_gift_handed_before_the_export(
    dealer_db: Database, tmp_path: Path
) -> None:
    ev = make_event(dealer_db)
    g = gifts.add_gift(dealer_db, ev, GiftDraft("签到礼", 5))
    a = register(dealer_db, ev, "李娜", "+8613800138000")
    assert checkin.scan(dealer_db, ev, a.code, desk="前台").accepted
    assert gifts.hand(dealer_db, a.registration_id).handed
    pack = tmp_path / "p.pack"
    packs.export_pack(dealer_db, ev, pack)
    laptop = open_database(str(pack))
    try:
        checkin.undo_checkin(laptop, a.registration_id, desk="笔记本")
        assert gifts.get_gift(laptop, g.id).handed == 0
    finally:
        laptop.close()
    packs.import_pack(dealer_db, pack)
    assert gifts.get_gift(dealer_db, g.id).handed == 0, "the return came across"
