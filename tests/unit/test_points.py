"""Members earn and lose points; the ledger is the truth and the tier follows the balance."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from desktop_app.domain.errors import NotFound, ValidationError
from desktop_app.domain.points import TierThresholds, tier_for
from desktop_app.domain.timeutil import now_utc
from desktop_app.services import people, points
from desktop_app.services.people import PersonDraft
from desktop_app.store.db import Database
from desktop_app.store.models import AuditEntry, Event, PointsEntry, Registration


@pytest.mark.parametrize(
    ("balance", "tier"),
    [
        (0, "none"),
        (499, "none"),
        (500, "silver"),
        (1999, "silver"),
        (2000, "gold"),
        (5000, "platinum"),
        (-20, "none"),
    ],
)
def test_default_tiers_follow_the_balance(balance: int, tier: str) -> None:
    assert tier_for(balance) == tier


def test_thresholds_must_rise() -> None:
    with pytest.raises(ValueError):
        TierThresholds(500, 400, 5000)
    assert TierThresholds.from_json({"silver": "x"}) == TierThresholds()
    assert TierThresholds.from_json({"silver": 100}).silver == 100


def person(db: Database, name: str = "张伟", phone: str = "13800138000") -> people.PersonView:
    return people.create_person(db, PersonDraft(name=name, phone=phone))


def test_balance_is_the_sum_of_the_ledger_and_the_tier_moves_with_it(dealer_db: Database) -> None:
    p = person(dealer_db)
    first = points.adjust_points(dealer_db, p.id, 300, "老车主补录")
    assert (first.balance, first.tier, first.tier_changed) == (300, "none", False)
    up = points.adjust_points(dealer_db, p.id, 250, "推荐奖励")
    assert (up.balance, up.tier, up.previous_tier, up.tier_changed) == (550, "silver", "none", True)
    view = people.get_person(dealer_db, p.id)
    assert view.tier == "silver" and view.balance == 550 and view.tier_changed_at is not None
    down = points.adjust_points(dealer_db, p.id, -100, "积分兑换洗车")
    assert (down.balance, down.tier) == (450, "none")
    assert [e.balance_after for e in points.history(dealer_db, p.id)] == [300, 550, 450]
    assert points.balance(dealer_db, p.id) == 450


def test_a_manual_adjustment_needs_a_reason_and_is_audited(dealer_db: Database) -> None:
    p = person(dealer_db)
    with pytest.raises(ValidationError) as err:
        points.adjust_points(dealer_db, p.id, 100, "   ")
    assert err.value.field == "reason"
    with pytest.raises(ValidationError):
        points.adjust_points(dealer_db, p.id, 0, "nothing")
    points.adjust_points(dealer_db, p.id, 100, "生日礼")
    with dealer_db.read() as s:
        audits = s.scalars(select(AuditEntry).where(AuditEntry.action == "points.adjust")).all()
        assert len(audits) == 1 and audits[0].detail["reason"] == "生日礼"
        assert len(s.scalars(select(PointsEntry)).all()) == 1


def test_points_for_an_unknown_person_are_refused(dealer_db: Database) -> None:
    with pytest.raises(NotFound):
        points.adjust_points(dealer_db, "00000000-0000-0000-0000-000000000001", 5, "x")


def test_award_points_works_inside_a_check_in_transaction(dealer_db: Database) -> None:
    p = person(dealer_db)
    with dealer_db.write() as s:
        ev = Event(title="开放日", type="open_day", points_award=600)
        s.add(ev)
        s.flush()
        reg = Registration(event_id=ev.id, person_id=p.id)
        s.add(reg)
        s.flush()
        change = points.award_points(s, p.id, 600, "开放日签到", "checkin", reg.id)
        assert change.tier == "silver"
    entry = points.history(dealer_db, p.id)[0]
    assert entry.kind == "checkin" and entry.registration_id is not None


def test_a_failed_transaction_leaves_no_points(dealer_db: Database) -> None:
    p = person(dealer_db)
    with pytest.raises(RuntimeError), dealer_db.write() as s:
        points.award_points(s, p.id, 600, "签到", "checkin")
        raise RuntimeError("scan refused later in the same unit of work")
    assert points.balance(dealer_db, p.id) == 0
    assert people.get_person(dealer_db, p.id).tier == "none"


def test_new_thresholds_re_derive_every_tier(dealer_db: Database) -> None:
    a = person(dealer_db, "张伟", "13800138000")
    b = person(dealer_db, "李娜", "13912345678")
    points.adjust_points(dealer_db, a.id, 300, "补录")
    points.adjust_points(dealer_db, b.id, 2500, "补录")
    assert points.get_thresholds(dealer_db) == TierThresholds()
    new = points.set_thresholds(dealer_db, 200, 3000, 6000)
    assert new == TierThresholds(200, 3000, 6000)
    assert people.get_person(dealer_db, a.id).tier == "silver"
    assert people.get_person(dealer_db, b.id).tier == "silver"
    with pytest.raises(ValidationError):
        points.set_thresholds(dealer_db, 3000, 200, 6000)
    assert points.get_thresholds(dealer_db) == new


def test_today_lists_members_whose_tier_changed(dealer_db: Database) -> None:
    a = person(dealer_db, "张伟", "13800138000")
    person(dealer_db, "李娜", "13912345678")
    points.adjust_points(dealer_db, a.id, 2100, "补录")
    changes = points.tier_changes(dealer_db, now_utc() - timedelta(hours=1))
    assert [(c.name, c.tier, c.balance) for c in changes] == [("张伟", "gold", 2100)]
    assert points.tier_changes(dealer_db, now_utc() + timedelta(hours=1)) == []


def test_the_desks_own_reasons_read_in_the_readers_language_and_staff_text_stays() -> None:
    stored = points.checkin_reason("checkin", "冬季养护课堂")
    assert stored == "check-in: 冬季养护课堂"  # what the ledger (and HQ's sheet) keeps
    assert points.reason_text("checkin", stored, "zh") == "签到：冬季养护课堂"
    assert points.reason_text("checkin", stored, "en") == "check-in: 冬季养护课堂"
    undone = points.checkin_reason("undo", "冬季养护课堂")
    assert points.reason_text("undo", undone, "zh") == "撤销签到：冬季养护课堂"
    # Staff's free text is never rewritten, even when it starts like the desk's.
    assert points.reason_text("manual", "check-in: 补录", "zh") == "check-in: 补录"
    assert points.reason_text("checkin", "活动签到", "zh") == "活动签到"
