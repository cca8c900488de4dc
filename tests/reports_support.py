"""A dealership's quarter built through the real services, with every report number known.

Timeline (Asia/Shanghai), driven by a clock patched into the services:
- 2026-01-05: staff 王管家 / 李管家, people, club 沪上车友会 (R5 joins as KOL).
- 2026-01-17 care class B: R2, REF, R7 registered; R2 and REF come, R7 does not.
- 2026-03-07 14:00–18:00 open day A (budget 6000, 50 points):
  call list (tag 三月开放日) for R1–R4 + X on 王管家's list → R1–R4 registered, X declined;
  R5, R6 registered by 李管家; R7, R8 online; R9, R10 referred by REF; R11 cancels.
  Check-ins R1 +3m, R2 +7m, R3 +12m, R4 +15m, R5 +38m, R9 +41m; walk-ins W1 +22m (wants a
  test drive), W2 +45m. Feedback R1 5/10, R2 4/9, R4 3/6.
- 2026-03-10: R3 becomes a member (bought and joined); R1 joins the club.
- Event C (2026-03-20) published then cancelled; event D member day 2026-03-09 10:00 with
  a call list for owners still to call.
"""

from __future__ import annotations

import sys
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from desktop_app.services import checkin, clubs, events, feedback, invitations, people, staff
from desktop_app.services import registration as reg_svc
from desktop_app.services import walkin as walkin_svc
from desktop_app.store.db import Database

SH = ZoneInfo("Asia/Shanghai")


def local(y: int, m: int, d: int, hh: int = 0, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=SH)


class Clock:
    """Patches `now_utc` in every loaded desktop_app module (services read it from there)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.mp = monkeypatch
        self.now = local(2026, 1, 5, 9)

    def set(self, when: datetime) -> None:
        self.now = when
        for name, mod in list(sys.modules.items()):
            if name.startswith("desktop_app") and hasattr(mod, "now_utc"):
                self.mp.setattr(mod, "now_utc", lambda: self.now, raising=False)


@dataclass
class Quarter:
    a: uuid.UUID
    b: uuid.UUID
    c: uuid.UUID
    d: uuid.UUID
    wang: uuid.UUID
    li: uuid.UUID
    club: uuid.UUID
    p: dict[str, uuid.UUID] = field(default_factory=dict)  # R1…R11, REF, X, W1, W2
    r: dict[str, uuid.UUID] = field(default_factory=dict)  # registrations at A (and B_*)


PHONES = {
    "R1": "13800138001",
    "R2": "13800138002",
    "R3": "13800138003",
    "R4": "13900139004",
    "R5": "13900139005",
    "R6": "15000150006",
    "R7": "15100151007",
    "R8": "15200152008",
    "R9": "18600186009",
    "R10": "18600186010",
    "R11": "18600186011",
    "REF": "18800188000",
    "X": "13700137000",
}
NAMES = {
    "R1": "王伟",
    "R2": "李娜",
    "R3": "张强",
    "R4": "刘洋",
    "R5": "陈静",
    "R6": "杨磊",
    "R7": "赵敏",
    "R8": "黄勇",
    "R9": "周杰",
    "R10": "吴芳",
    "R11": "徐涛",
    "REF": "孙丽",
    "X": "马超",
}
STAGES = {"R4": "owner", "R5": "owner", "R6": "member", "REF": "owner"}


def _event(
    title: str, type_: str, start: datetime, hours: float, **kw: object
) -> events.EventDraft:
    return events.EventDraft(
        title=title,
        type=type_,
        starts_at=start,
        ends_at=start + timedelta(hours=hours),
        venue="浦东展厅",
        capacity=300,
        **kw,  # type: ignore[arg-type]
    )


def build_quarter(db: Database, clock: Clock) -> Quarter:
    clock.set(local(2026, 1, 5, 9))
    wang = staff.create_staff(db, "王管家").id
    li = staff.create_staff(db, "李管家").id
    club = clubs.create_club(db, clubs.ClubDraft(name="沪上车友会")).id
    p: dict[str, uuid.UUID] = {}
    for key, name in NAMES.items():
        p[key] = people.create_person(
            db,
            people.PersonDraft(
                name=name,
                phone=PHONES[key],
                stage=STAGES.get(key, "prospect"),
                consent_marketing=True,
                butler_id=wang if key in ("R1", "R2", "R3", "R4", "X") else None,
                tags=("三月开放日",) if key in ("R1", "R2", "R3", "R4", "X") else (),
                birthday=date(1985, 3, 12)
                if key == "R4"
                else date(1990, 3, 9)
                if key == "R1"
                else None,
            ),
        ).id
    people.add_vehicle(
        db, p["R6"], people.VehicleDraft(model="ES6", purchase_date=date(2024, 3, 15))
    )
    clubs.join_club(db, club, p["R5"], role="kol", joined_on=date(2026, 1, 5))

    b = events.create_event(db, _event("冬季养护课堂", "care_class", local(2026, 1, 17, 10), 2)).id
    events.set_status(db, b, "published")
    a = events.create_event(
        db,
        _event(
            "三月开放日",
            "open_day",
            local(2026, 3, 7, 14),
            4,
            budget=Decimal("6000"),
            points_award=50,
        ),
    ).id
    events.set_status(db, a, "published")
    clubs.link_event(db, club, a)

    clock.set(local(2026, 1, 10, 11))
    r: dict[str, uuid.UUID] = {}
    for key in ("R2", "REF", "R7"):
        r["B_" + key] = reg_svc.register(db, b, p[key]).id
    clock.set(local(2026, 1, 17, 10, 5))
    for key in ("R2", "REF"):
        out = checkin.manual_check_in(db, b, r["B_" + key], desk="D1", scanned_at=clock.now)
        assert out.result == "accepted", out
    clock.set(local(2026, 1, 17, 13))
    events.set_status(db, b, "completed")

    clock.set(local(2026, 2, 20, 10))
    built = invitations.build_call_lists(db, a, invitations.Segment(tags=("三月开放日",)))
    assert built.added == 5
    for row in invitations.list_invitations(db, a):
        who = next(k for k, v in p.items() if v == row.person_id)
        invitations.set_call_status(db, row.id, "declined" if who == "X" else "registered")
    for row in invitations.list_invitations(db, a):
        if row.registration_id:
            who = next(k for k, v in p.items() if v == row.person_id)
            r[who] = row.registration_id
    for key in ("R5", "R6"):
        r[key] = reg_svc.register(db, a, p[key], invited_by_id=li).id
    for key in ("R7", "R8"):
        r[key] = reg_svc.register(db, a, p[key], source="online_form").id
    for key in ("R9", "R10"):
        r[key] = reg_svc.register(db, a, p[key], source="referral", referred_by_id=p["REF"]).id
    r["R11"] = reg_svc.register(db, a, p["R11"], source="online_form").id
    reg_svc.cancel(db, r["R11"], "出差")

    start = local(2026, 3, 7, 14)
    arrivals = [
        ("R1", 3),
        ("R2", 7),
        ("R3", 12),
        ("R4", 15),
        ("W1", 22),
        ("R5", 38),
        ("R9", 41),
        ("W2", 45),
    ]
    for key, minutes in arrivals:
        clock.set(start + timedelta(minutes=minutes))
        if key.startswith("W"):
            res = walkin_svc.walkin(
                db,
                a,
                "13600136001" if key == "W1" else "13600136002",
                "钱多多" if key == "W1" else "郑好",
                interest_model="ET5" if key == "W1" else None,
                wants_test_drive=key == "W1",
                marketing_consent=key == "W1",  # 郑好 (W2) did not agree to be contacted
                desk="D1",
                now=clock.now,
            )
            p[key], r[key] = res.person_id, res.registration_id
            assert res.outcome.result == "accepted", res.outcome
        else:
            out = checkin.manual_check_in(db, a, r[key], desk="D1", scanned_at=clock.now)
            assert out.result == "accepted", out
    clock.set(local(2026, 3, 7, 17, 30))
    feedback.add_feedback(db, r["R1"], 5, 10)
    feedback.add_feedback(db, r["R2"], 4, 9, "讲解很细致")
    feedback.add_feedback(db, r["R4"], 3, 6, "停车位太少")

    clock.set(local(2026, 3, 1, 9))
    c = events.create_event(db, _event("城市夜骑", "city_meetup", local(2026, 3, 20, 19), 2)).id
    events.set_status(db, c, "published")
    events.set_status(db, c, "cancelled", reason="暴雨")
    d = events.create_event(db, _event("会员日", "member_day", local(2026, 3, 9, 10), 4)).id
    events.set_status(db, d, "published")
    invitations.build_call_lists(db, d, invitations.Segment(stages=("owner",)))

    clock.set(local(2026, 3, 10, 11))
    r3 = people.get_person(db, p["R3"])
    people.update_person(
        db,
        p["R3"],
        people.PersonDraft(name=r3.name, phone=r3.phone, stage="member", butler_id=wang),
    )
    clubs.join_club(db, club, p["R1"], joined_on=date(2026, 3, 10))
    return Quarter(a=a, b=b, c=c, d=d, wang=wang, li=li, club=club, p=p, r=r)
