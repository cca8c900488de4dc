"""A realistic demo dataset: a Shanghai dealership's month of community work.

Each area adds its part through a `_fill_*` function here; `fill_demo` runs them all in
order. Deterministic for a given seed, so screenshots and docs are reproducible.
"""

from __future__ import annotations

import random
import uuid
from datetime import datetime, timedelta
from typing import Any

from desktop_app.domain.enums import EventFormat, EventStatus, EventType
from desktop_app.domain.errors import PaddockError
from desktop_app.domain.timeutil import now_utc, zone
from desktop_app.services import events
from desktop_app.services.dealer import get_dealer, init_dealer
from desktop_app.store.db import Database

DEMO_DEALER = ("SH-0021", "上海浦东星辰汽车销售服务有限公司", "上海", "华东")


def _local_day(days: int, hour: int, minute: int = 0, tz: str = "Asia/Shanghai") -> datetime:
    today = (
        now_utc().astimezone(zone(tz)).replace(hour=hour, minute=minute, second=0, microsecond=0)
    )
    return today + timedelta(days=days)


def open_day_now(
    now: datetime | None = None, tz: str = "Asia/Shanghai"
) -> tuple[datetime, datetime]:
    """Today's demo open day, in progress whenever the demo is made: 09:30–17:00 in the
    dealership's day, else (a demo made at night, or in Europe's afternoon) from two hours
    ago for seven and a half hours — so the desk's arrivals and walk-ins are at times an
    open day could have them."""
    local = (now or now_utc()).astimezone(zone(tz))
    day = local.replace(second=0, microsecond=0)
    usual = day.replace(hour=9, minute=30), day.replace(hour=17, minute=0)
    if usual[0] + timedelta(minutes=30) <= local <= usual[1] - timedelta(minutes=30):
        return usual
    start = local.replace(minute=0 if local.minute < 30 else 30, second=0, microsecond=0)
    start -= timedelta(hours=2)
    return start, start + timedelta(hours=7, minutes=30)


def _fill_events(db: Database, rnd: random.Random) -> dict[str, int]:
    plans: list[tuple[events.EventDraft, str]] = []
    open_day = open_day_now()

    def add(draft: events.EventDraft, status: str = EventStatus.PUBLISHED) -> None:
        plans.append((draft, status))

    add(
        events.EventDraft(
            title="星辰开放日：新能源试驾体验",
            type=EventType.OPEN_DAY,
            format=EventFormat.ON_SITE,
            starts_at=open_day[0],
            ends_at=open_day[1],
            venue="浦东展厅",
            capacity=300,
            waitlist_enabled=True,
            points_award=50,
            budget="18000",
            description="全系车型静态展示、试驾、儿童乐园与茶歇。",
        )
    )
    add(
        events.EventDraft(
            title="冬季养护课堂：轮胎与电池",
            type=EventType.CARE_CLASS,
            starts_at=_local_day(0, 14),
            ends_at=_local_day(0, 16),
            venue="售后服务中心二楼教室",
            capacity=30,
            points_award=30,
            details={"instructor": "王师傅", "topic": "冬季胎压与电池保养"},
            budget="2000",
        )
    )
    add(
        events.EventDraft(
            title="零件中心探秘之旅",
            type=EventType.PARTS_TOUR,
            starts_at=_local_day(3, 10),
            ends_at=_local_day(3, 12),
            venue="华东零件配送中心",
            capacity=20,
            points_award=20,
        )
    )
    add(
        events.EventDraft(
            title="全新SUV车型日",
            type=EventType.MODEL_DAY,
            format=EventFormat.HYBRID,
            starts_at=_local_day(6, 14),
            ends_at=_local_day(6, 17),
            venue="浦东展厅",
            online_link="https://live.example.com/model-day",
            capacity=120,
            points_award=40,
            campaign_code="HQ-2026-MD11",
            budget="25000",
        )
    )
    add(
        events.EventDraft(
            title="车友会周末自驾：千岛湖环湖",
            type=EventType.CLUB_DRIVE,
            starts_at=_local_day(9, 7),
            ends_at=_local_day(9, 19),
            capacity=15,
            points_award=80,
            details={
                "meeting_point": "G60 松江服务区",
                "route_stops": ["千岛湖东南湖区", "文渊狮城", "农夫山泉工厂"],
                "departure_time": (_local_day(9, 7, 30)).isoformat(),
                "max_cars": 15,
            },
            budget="6000",
        )
    )
    add(
        events.EventDraft(
            title="十二月会员日直播",
            type=EventType.MEMBER_DAY,
            format=EventFormat.HYBRID,
            starts_at=_local_day(12, 19),
            ends_at=_local_day(12, 21),
            venue="浦东展厅休息区",
            online_link="https://meeting.tencent.com/dm/demo",
            capacity=80,
            points_award=30,
            campaign_code="HQ-2026-MBR12",
            min_online_minutes=30,
        )
    )
    add(
        events.EventDraft(
            title="上海城市车主见面会",
            type=EventType.CITY_MEETUP,
            starts_at=_local_day(15, 18, 30),
            ends_at=_local_day(15, 21),
            venue="新天地 · 某咖啡馆包场",
            capacity=40,
            points_award=40,
        )
    )
    add(
        events.EventDraft(
            title="十月开放日",
            type=EventType.OPEN_DAY,
            starts_at=_local_day(-35, 9, 30),
            ends_at=_local_day(-35, 17),
            venue="浦东展厅",
            capacity=200,
            points_award=50,
            budget="15000",
        ),
        EventStatus.COMPLETED,
    )
    add(
        events.EventDraft(
            title="空调滤芯DIY课堂",
            type=EventType.CARE_CLASS,
            starts_at=_local_day(-14, 14),
            ends_at=_local_day(-14, 16),
            venue="售后服务中心二楼教室",
            capacity=25,
            points_award=30,
            details={"instructor": "李工", "topic": "空调滤芯更换"},
        ),
        EventStatus.COMPLETED,
    )
    add(
        events.EventDraft(
            title="春节前车辆安全检查日",
            type=EventType.OTHER,
            starts_at=_local_day(40, 9),
            ends_at=_local_day(40, 17),
            venue="售后服务中心",
            capacity=60,
        ),
        EventStatus.DRAFT,
    )
    add(
        events.EventDraft(title="（暂定）明年品牌之夜", type=EventType.CITY_MEETUP),
        EventStatus.DRAFT,
    )
    add(
        events.EventDraft(
            title="雨天取消的山路自驾",
            type=EventType.CLUB_DRIVE,
            starts_at=_local_day(-7, 8),
            ends_at=_local_day(-7, 18),
            capacity=10,
            details={"meeting_point": "莘庄地铁站北广场", "max_cars": 10},
        ),
        EventStatus.CANCELLED,
    )

    made = 0
    for draft, status in plans:
        v = events.create_event(db, draft)
        path = {
            EventStatus.DRAFT: [],
            EventStatus.PUBLISHED: [EventStatus.PUBLISHED],
            EventStatus.COMPLETED: [
                EventStatus.PUBLISHED,
                EventStatus.CLOSED,
                EventStatus.COMPLETED,
            ],
            EventStatus.CANCELLED: [EventStatus.PUBLISHED, EventStatus.CANCELLED],
        }[EventStatus(status)]
        for step in path:
            events.set_status(db, v.id, step, confirm=True, reason="暴雨预警")
        made += 1
    return {"events": made}


def _fill_people(db: Database, rnd: random.Random) -> dict[str, int]:
    """~300 people with butlers, vehicles, 3 clubs, points across every tier, referrals."""
    from sqlalchemy import func, select

    from desktop_app.services import clubs, people_samples, points, staff
    from desktop_app.services.people import (
        PersonDraft,
        VehicleDraft,
        add_vehicle_in,
        create_person_in,
    )
    from desktop_app.store.models import ClubMembership, Event, EventClub, Person

    with db.read() as s:
        if s.scalar(select(func.count()).select_from(Person)):
            return {"people": 0}
    butlers = [
        staff.create_staff(db, name, role)
        for name, role in (
            ("陈静", "coordinator"),
            ("刘洋", "coordinator"),
            ("孙丽", "front_desk"),
            ("周杰", "admin"),
        )
    ]
    club_list = [
        clubs.create_club(db, clubs.ClubDraft(name, model, "上海", desc))
        for name, model, desc in (
            ("上海ID.4车友会", "ID.4 X", "新能源车主周末自驾、充电经验交流"),
            ("途观L自驾俱乐部", "途观L", "长三角周边自驾与露营"),
            ("帕萨特商务车友会", "帕萨特", "商务车主沙龙与亲子活动"),
        )
    ]
    today = now_utc().date()
    stages = ["prospect"] * 4 + ["owner"] * 4 + ["member"] * 2
    tags = ["VIP", "试驾", "老客户转介绍", "新能源意向", "车展线索", "亲子"]
    phones: set[str] = set()
    made = vehicles = memberships = 0
    with db.write() as s:
        ids: list = []
        for i in range(300):
            phone = people_samples.mobile(rnd)
            while phone in phones:
                phone = people_samples.mobile(rnd)
            phones.add(phone)
            stage = rnd.choice(stages)
            draft = PersonDraft(
                name=people_samples.chinese_name(rnd),
                phone=None if i % 37 == 5 else phone,  # a few walk-ins left no phone
                wechat=f"wx_{phone[-6:]}" if rnd.random() < 0.4 else None,
                stage=stage,
                butler_id=rnd.choice(butlers).id if stage != "prospect" or i % 3 == 0 else None,
                referred_by_id=rnd.choice(ids) if ids and rnd.random() < 0.12 else None,
                consent_marketing=rnd.random() < 0.7,
                consent_photos=rnd.random() < 0.5,
                consent_method=("form", "desk", "paper", "import")[i % 4],
                tags=rnd.sample(tags, rnd.choice([0, 0, 1, 1, 2])),
                source=rnd.choice(["showroom", "dms", "wechat", "hq_list", "referral"]),
            )
            p = create_person_in(s, draft)
            ids.append(p.id)
            made += 1
            if stage != "prospect":
                for _ in range(1 if rnd.random() < 0.85 else 2):
                    vin, model = people_samples.vin(rnd)
                    add_vehicle_in(
                        s,
                        p.id,
                        VehicleDraft(
                            vin=vin,
                            plate=people_samples.plate(rnd),
                            model=model,
                            purchase_date=people_samples.purchase_date(rnd, today),
                        ),
                    )
                    vehicles += 1
                # Points: most owners have a little, some reach silver, gold or platinum.
                total = rnd.choice([50, 120, 300, 650, 900, 1500, 2300, 3000, 5600])
                for reason, share in (("购车积分", 0.6), ("活动签到", 0.3), ("推荐奖励", 0.1)):
                    points.award_points(
                        s,
                        p.id,
                        int(total * share),
                        reason,
                        "import" if reason == "购车积分" else "checkin",
                    )
                if stage == "member" and rnd.random() < 0.6:
                    club = rnd.choice(club_list)
                    s.add(
                        ClubMembership(
                            club_id=club.id,
                            person_id=p.id,
                            role="member",
                            joined_on=today - timedelta(days=rnd.randrange(10, 900)),
                        )
                    )
                    memberships += 1
        # Two people entered twice, for the duplicates screen to find.
        twins = [
            create_person_in(s, PersonDraft(name=n, phone=ph, wechat=wx, source=src))
            for n, ph, wx, src in (
                ("周晓燕", "13661234567", "zxy_1988", "showroom"),
                ("周 晓燕", None, "ZXY_1988", "wechat"),
                ("吴海涛", "18917654321", None, "dms"),
                ("吴海滔", None, None, "showroom"),
            )
        ]
        add_vehicle_in(s, twins[2].id, VehicleDraft(plate="沪B8K123", model="帕萨特"))
        add_vehicle_in(s, twins[3].id, VehicleDraft(plate="沪B·8K123"))
        made += len(twins)
        s.flush()
        for club in club_list:
            rows = s.scalars(select(ClubMembership).where(ClubMembership.club_id == club.id)).all()
            for m, role in zip(rows, ["leader", "kol", "kol"], strict=False):
                m.role = role
        drives = s.scalars(select(Event).where(Event.type == "club_drive")).all()
        for e in drives:
            s.add(EventClub(event_id=e.id, club_id=club_list[0].id))
    return {
        "people": made,
        "vehicles": vehicles,
        "clubs": len(club_list),
        "club_members": memberships,
        "staff": len(butlers),
    }


def _fill_registrations(db: Database, rnd: random.Random) -> dict[str, int]:
    """Registrations for the demo events the way a dealership fills them: butlers' phone
    invites, online forms, HQ lists and referrals; the parts tour and the club drive full
    with a waitlist (and a cancellation that promoted someone), past events' registrations,
    tickets for every confirmed seat, and call lists for the city meetup."""
    from dataclasses import replace

    from sqlalchemy import func, select

    from desktop_app.domain.errors import PaddockError
    from desktop_app.services import invitations
    from desktop_app.services import registration as reg
    from desktop_app.services.tickets import issue_ticket
    from desktop_app.store.models import Event, Person, Registration, Vehicle

    now = now_utc()
    with db.read() as s:
        if s.scalar(select(func.count()).select_from(Registration)):
            return {"registrations": 0}
        evs = list(s.scalars(select(Event).where(Event.starts_at.is_not(None))))
        people = [
            (pid, butler)
            for pid, butler in s.execute(
                select(Person.id, Person.butler_id)
                .where(Person.phone.is_not(None), Person.merged_into_id.is_(None))
                .order_by(Person.created_at, Person.id)
            )
        ]
        cars = {
            pid: (vid, plate)
            for vid, pid, plate in s.execute(
                select(Vehicle.id, Vehicle.person_id, Vehicle.plate).where(
                    Vehicle.plate.is_not(None)
                )
            )
        }
    if not people:
        return {"registrations": 0}
    counts = {"registrations": 0, "waitlisted": 0, "promoted": 0, "cancelled": 0}
    sources = ["phone_invite"] * 5 + ["online_form"] * 3 + ["hq_list", "referral"]

    def fill(e: Event, seats: int, drive: bool = False) -> list[reg.RegistrationView]:
        made: list[uuid.UUID] = []
        friends: list[uuid.UUID] = []  # people already registered: they refer others
        pool = [p for p in people if not drive or p[0] in cars]
        with db.write() as s:
            for pid, butler in rnd.sample(pool, min(len(pool), seats)):
                src = "club" if drive else rnd.choice(sources)
                vid = cars[pid][0] if drive else None
                req = reg.RegistrationRequest(
                    person_id=pid,
                    source=src,
                    party_size=1 if drive else rnd.choice([1, 1, 1, 2, 2, 3]),
                    vehicle_id=vid,
                    passengers=rnd.choice([0, 1, 2, 3]) if drive else None,
                    driver_consent=drive,
                    invited_by_id=butler if src == "phone_invite" else None,
                    referred_by_id=rnd.choice(friends) if src == "referral" and friends else None,
                )
                when = (e.starts_at or now) - timedelta(days=rnd.uniform(2, 12))
                try:
                    with s.begin_nested():
                        r, _ = reg.register_in(s, e.id, req, now=min(when, now))
                except PaddockError:
                    continue  # full without waitlist, already registered…
                made.append(r.id)
                friends.append(pid)
        return [reg.get_registration(db, rid) for rid in made]

    for e in evs:
        if e.status != EventStatus.PUBLISHED:
            continue
        if e.type in (EventType.PARTS_TOUR, EventType.CLUB_DRIVE):
            v = events.get_event(db, e.id)  # full: the coordinator switched the waitlist on
            events.update_event(db, e.id, replace(v.draft(), waitlist_enabled=True))
        wanted = {
            EventType.OPEN_DAY: 70, EventType.CARE_CLASS: 24, EventType.PARTS_TOUR: 16,
            EventType.MODEL_DAY: 45, EventType.CLUB_DRIVE: 19, EventType.MEMBER_DAY: 30,
            EventType.CITY_MEETUP: 12,
        }.get(EventType(e.type), 10)  # fmt: skip
        views = fill(e, wanted, drive=e.type == EventType.CLUB_DRIVE)
        counts["registrations"] += len(views)
        counts["waitlisted"] += sum(v.status == "waitlisted" for v in views)
        if e.type in (EventType.PARTS_TOUR, EventType.CLUB_DRIVE):
            booked = [v for v in views if v.status == "registered"]
            for v in booked[:1]:
                res = reg.cancel(db, v.id, reason="临时出差")
                counts["cancelled"] += 1
                counts["promoted"] += len(res.promoted)
    # Past events: what was registered then (check-in marks attendance later).
    with db.write() as s:
        for e in evs:
            if e.status != EventStatus.COMPLETED:
                continue
            for pid, butler in rnd.sample(people, min(len(people), 40)):
                r = Registration(
                    event_id=e.id, person_id=pid, status="registered",
                    source=rnd.choice(sources[:-1]), party_size=rnd.choice([1, 1, 2]),
                    invited_by_id=butler,
                    registered_at=(e.starts_at or now) - timedelta(days=rnd.uniform(2, 14)),
                )  # fmt: skip
                s.add(r)
                s.flush()
                issue_ticket(s, r)
                counts["registrations"] += 1
    # Call lists for the city meetup: butlers are half way through.
    meetup = next((e for e in evs if e.type == EventType.CITY_MEETUP), None)
    if meetup is not None and meetup.status == EventStatus.PUBLISHED:
        seg = invitations.Segment(stages=("owner", "member"))
        built = invitations.build_call_lists(db, meetup.id, seg)
        counts["invitations"] = built.added
        outcomes = ["no_answer", "invited", "declined", "registered", "to_call", "to_call"]
        notes = {"no_answer": "未接，明天再打", "declined": "周末要陪孩子", "invited": "考虑一下"}
        for row in invitations.list_invitations(db, meetup.id):
            status = rnd.choice(outcomes)
            if status == "to_call":
                continue
            try:
                invitations.set_call_status(db, row.id, status, note=notes.get(status))
            except PaddockError:
                continue
    return counts


def _fill_checkins(db: Database, rnd: random.Random) -> dict[str, int]:
    """Today's open day half arrived (two desks, a few walk-ins, one undone scan), the
    care class starting, past events marked from their sign-in sheets (the rest no-shows).

    Runs after registrations; if none exist yet it registers a few people itself.
    """
    from sqlalchemy import select

    from desktop_app.domain.errors import PaddockError
    from desktop_app.services import checkin, walkin
    from desktop_app.services import registration as reg
    from desktop_app.store.models import Event, Person, Registration

    now = now_utc()
    with db.read() as s:
        evs = list(s.execute(select(Event.id, Event.type, Event.status, Event.starts_at)))
        people = list(s.scalars(select(Person.id).order_by(Person.created_at, Person.id)))
    today = [e for e in evs if e.starts_at and abs((e.starts_at - now).total_seconds()) < 20 * 3600]
    today = [e for e in today if e.status == EventStatus.PUBLISHED]
    past = [e for e in evs if e.status == EventStatus.COMPLETED]

    def regs_of(event_id: object) -> list[tuple[object, str | None]]:
        with db.read() as s:
            return list(
                s.execute(
                    select(Registration.id, Registration.ticket_code)
                    .where(Registration.event_id == event_id, Registration.status == "registered")
                    .order_by(Registration.registered_at, Registration.id)
                )
            )

    arrived = walk_ins = marked = 0
    for e in today:
        rows = regs_of(e.id)
        if len(rows) < 10 and people:  # no registration demo yet: invite a few
            for pid in rnd.sample(people, min(len(people), 40 if e.type == "open_day" else 12)):
                req = reg.RegistrationRequest(person_id=pid, source="phone_invite")
                try:  # registered two days before the event, as it would have been
                    with db.write() as s:
                        reg.register_in(s, e.id, req, now=e.starts_at - timedelta(days=2))
                except PaddockError:  # full, already registered…: the demo skips them
                    continue
            rows = regs_of(e.id)
        if now < e.starts_at - timedelta(minutes=40):
            continue  # later today: registered, nobody has come yet
        share = 0.55 if e.type == EventType.OPEN_DAY else 0.3
        opened = min(now, e.starts_at) - timedelta(minutes=40)
        for n, (rid, code) in enumerate(rows[: int(len(rows) * share)]):
            at = min(now, opened + timedelta(minutes=n * 2 + rnd.randint(0, 1)))
            desk = "A" if n % 3 else "B"
            out = checkin.scan(
                db, e.id, code or str(rid), desk=desk, scanned_at=at, override_window=True
            )
            arrived += out.accepted
        if e.type == EventType.OPEN_DAY:
            for name, phone, model in (
                ("蒋文博", "13917264510", "ID.4 CROZZ"),
                ("邱晓雯", "15821093376", "途观L"),
                ("韦俊杰", "18616675203", None),
            ):
                w = walkin.walkin(
                    db,
                    e.id,
                    phone,
                    name,
                    interest_model=model,
                    wants_test_drive=model is not None,
                    marketing_consent=True,
                    desk="A",
                )
                walk_ins += w.outcome.accepted
            if rows:  # a scan at the wrong desk, undone
                first = rows[0][0]
                checkin.undo_checkin(db, first, desk="B", reason="扫错了人")
                checkin.manual_check_in(db, e.id, first, desk="B", override_window=True)
    for e in past:
        # the desk's list after the event, arrival times as people really come: most in the
        # first hour, a few early, stragglers later (the reports' arrival curve shows them)
        by_slot: dict[int, list[Any]] = {}
        for rid, _ in regs_of(e.id):
            if rnd.random() < 0.78:
                minutes = min(150, max(-20, int(rnd.gauss(30, 25))))
                by_slot.setdefault(minutes // 10 * 10, []).append(rid)
        for minutes, ticked in sorted(by_slot.items()):
            at = e.starts_at + timedelta(minutes=minutes + rnd.randint(0, 9))
            marked += walkin.bulk_mark_attended(db, e.id, ticked, at=at).marked
    return {"checked_in": arrived, "walk_ins": walk_ins, "marked_attended": marked}


def _fill_feedback(db: Database, rnd: random.Random) -> dict[str, int]:
    """Check-out feedback from about 40% of the people who came to events so far: mostly
    happy (ratings 4–5, NPS 8–10), some grumbles about parking and waiting."""
    from sqlalchemy import select

    from desktop_app.services.feedback import add_feedback
    from desktop_app.store.models import Event, Registration

    comments = (
        "讲解很专业，下次还来",
        "停车位太少了",
        "签到排队有点久",
        "试驾路线不错",
        "茶歇很好",
        "希望多办亲子活动",
        "",
        "",
        "",
    )
    with db.read() as s:
        came = (
            s.execute(
                select(Registration.id)
                .join(Event, Event.id == Registration.event_id)
                .where(Registration.checked_in_at.is_not(None), Registration.status != "cancelled")
                .order_by(Registration.id)
            )
            .scalars()
            .all()
        )
    n = 0
    for rid in came:
        if rnd.random() > 0.4:
            continue
        rating = rnd.choices((5, 4, 3, 2), (50, 32, 13, 5))[0]
        nps = max(0, min(10, rating * 2 + rnd.choice((-2, -1, 0, 0, 1))))
        add_feedback(db, rid, rating, nps, rnd.choice(comments))
        n += 1
    return {"feedback": n}


def _fill_packs(db: Database, rnd: random.Random) -> dict[str, int]:
    """A club drive taken offline: the coordinator's laptop checked people in at the
    service-area meeting point and added a walk-in; one owner was also let in at the
    dealership's desk earlier (a double entry); the pack came back and was imported."""
    import tempfile
    from pathlib import Path

    from sqlalchemy import select

    from desktop_app.services import checkin, packs, walkin
    from desktop_app.store.db import open_database
    from desktop_app.store.models import Event, Registration

    with db.read() as s:
        candidates = list(
            s.execute(
                select(Event.id, Registration.ticket_code)
                .join(Registration, Registration.event_id == Event.id)
                .where(
                    Event.status == EventStatus.PUBLISHED,
                    Registration.status == "registered",
                    Registration.checked_in_at.is_(None),
                    Registration.ticket_code.is_not(None),
                )
                .order_by(Event.starts_at, Registration.id)
            )
        )
    by_event: dict[object, list[str]] = {}
    for event_id, code in candidates:
        by_event.setdefault(event_id, []).append(code)
    picked = next(((e, c) for e, c in by_event.items() if len(c) >= 6), None)
    if picked is None:
        return {"packs": 0}
    event_id, codes = picked
    when = now_utc() - timedelta(hours=2)
    with tempfile.TemporaryDirectory(prefix="paddock-demo-") as folder:
        path = Path(folder) / "车友会自驾-笔记本.pack"
        packs.export_pack(db, event_id, path)
        laptop = open_database(str(path), backup=False)
        try:
            for i, code in enumerate(codes[:5]):
                checkin.scan(
                    laptop,
                    event_id,
                    code,
                    desk="笔记本-服务区",
                    scanned_at=when + timedelta(minutes=3 * i + rnd.randint(0, 2)),
                    override_window=True,
                )
            walkin.walkin(
                laptop,
                event_id,
                f"1{rnd.choice('358')}{rnd.randint(100000000, 999999999)}",
                rnd.choice(("欧阳明", "司马婷", "诸葛亮亮")),
                interest_model="星辰 S7",
                desk="笔记本-服务区",
                now=when + timedelta(minutes=20),
            )
        finally:
            laptop.close()
        checkin.scan(
            db, event_id, codes[0], desk="前台", scanned_at=when - timedelta(minutes=10),
            override_window=True,
        )  # fmt: skip
        rep = packs.import_pack(db, path)
    return {"pack_scans": rep.scans_added, "pack_double_entries": len(rep.double_entries)}


def _fill_hq(db: Database, rnd: random.Random) -> dict[str, int]:
    """HQ's key for hashed exports is set, and HQ's year-end campaign pack was imported
    (a draft event that remembers what HQ sent, and a campaign import in the sync history)."""
    import tempfile
    from pathlib import Path

    from openpyxl import Workbook

    from desktop_app.services.campaigns import import_campaigns
    from desktop_app.services.hq_export import set_hash_key

    set_hash_key(db, "demo-hq-key-2026-星辰-national")
    day = _local_day(33 + rnd.randint(0, 2), 18).replace(tzinfo=None)
    wb = Workbook()
    ws = wb.active
    ws.title = "campaigns"
    ws.append(["campaign_code", "title", "type", "format", "starts_at", "ends_at", "capacity",
               "points_award", "description", "venue", "budget"])  # fmt: skip
    ws.append(["HQ-2026-YEAREND", "年终车主答谢晚宴", "member_day", "on_site", day,
               day + timedelta(hours=3), 150, 300, "年终答谢：优秀车主颁奖、抽奖",
               "酒店宴会厅", 50000])  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="paddock-demo-") as folder:
        path = Path(folder) / "总部活动包-2026年终.xlsx"
        wb.save(path)
        report = import_campaigns(db, path)
    return {"campaigns_imported": report.created}


def _fill_fees_and_perks(db: Database, rnd: random.Random) -> dict[str, int]:
    """Issue 15: a club drive's shared costs with payments taken (some partial), and partner
    perks with a few vouchers redeemed by members who had the points (one already used)."""
    from sqlalchemy import func, select

    from desktop_app.services import fees, perks
    from desktop_app.store.models import Event, PointsEntry, Registration

    with db.read() as s:
        drive = s.execute(
            select(Event.id)
            .join(Registration, Registration.event_id == Event.id)
            .where(Event.type == "club_drive", Event.status != EventStatus.CANCELLED)
            .group_by(Event.id, Event.starts_at)
            .having(func.count() >= 3)
            .order_by(Event.starts_at.desc())
            .limit(1)
        ).scalar()
        rich = list(
            s.scalars(
                select(PointsEntry.person_id)
                .group_by(PointsEntry.person_id)
                .having(func.sum(PointsEntry.delta) >= 300)
                .order_by(PointsEntry.person_id)
                .limit(3)
            )
        )
    items = payments = 0
    if drive is not None:
        for label, amount, split, subsidy in (
            ("油费", "1200", "car", None),
            ("过路费", "360", "car", None),
            ("午餐", "680", "person", None),
            ("民宿", "2400", "family", "800"),
        ):
            fees.add_cost_item(db, drive, label, amount, split, subsidy=subsidy)
            items += 1
        sheet = fees.fee_sheet(db, drive)
        for i, row in enumerate(sheet.rows):
            if i % 3 == 2:
                continue  # still owes: the outstanding list has someone to chase
            part = row.owed if i % 3 == 0 else row.owed // 2
            method = rnd.choice(("wechat", "wechat", "alipay", "cash"))
            ref = f"42000{rnd.randint(10**8, 10**9 - 1)}" if method != "cash" else None
            fees.record_payment(db, row.registration_id, f"{part / 100:.2f}", method, ref)
            payments += 1
    wash = perks.add_partner(db, "洁速洗车（浦东店）", "周经理 139 0000 1111", "上海")
    hotel = perks.add_partner(db, "莫干山云栖民宿", "前台 0572-8888 8888", "湖州")
    cafe = perks.add_partner(db, "Manner Coffee", None, "上海")
    wash_perk = perks.add_perk(db, wash.id, perks.PerkDraft("精洗一次", 300, 50))
    perks.add_perk(
        db, wash.id, perks.PerkDraft("镀晶套餐", 2000, 5, tier="gold", per_person_limit=1)
    )
    perks.add_perk(db, hotel.id, perks.PerkDraft("周末一晚（含早）", 5000, 2, tier="platinum"))
    perks.add_perk(db, cafe.id, perks.PerkDraft("咖啡券 ×2", 120, 200))
    vouchers = 0
    for n, pid in enumerate(rich):
        v = perks.redeem(db, pid, wash_perk.id).voucher
        vouchers += 1
        if n == 0:
            perks.verify(db, v.code, consume=True, by="洗车店小周")
    return {"fee_items": items, "payments": payments, "vouchers": vouchers}


def _fill_questions_and_gifts(db: Database, rnd: random.Random) -> dict[str, int]:
    """Issue 14: today's open day asks two sign-up questions (most registrations answered
    them) and gives a check-in gift to every registration and a first-30 gift; the gifts
    due to the guests already in were handed over at the desk."""
    from sqlalchemy import select

    from desktop_app.services import gifts, questions
    from desktop_app.services.gifts import GiftDraft
    from desktop_app.services.questions import QuestionDraft
    from desktop_app.store.models import Event, Registration

    with db.read() as s:
        open_day = s.execute(
            select(Event.id)
            .where(Event.type == "open_day", Event.status == EventStatus.PUBLISHED)
            .order_by(Event.starts_at)
            .limit(1)
        ).scalar()
        if open_day is None:
            return {"questions": 0, "answers": 0, "gifts": 0, "gifts_handed": 0}
        regs = s.execute(
            select(Registration.id, Registration.checked_in_at)
            .where(
                Registration.event_id == open_day,
                Registration.deleted_at.is_(None),
                Registration.status.in_(("registered", "attended")),
            )
            .order_by(Registration.registered_at, Registration.id)
        ).all()
    models = ("ID.4 X", "ID.6 X", "ID.7 VIZZION", "途观L")
    questions.add_question(db, open_day, QuestionDraft("test_drive", "想预约试驾吗？", "yes_no"))
    questions.add_question(
        db, open_day, QuestionDraft("model", "最感兴趣的车型", "choice", choices=models)
    )
    answered = 0
    for rid, _ in regs:
        if rnd.random() < 0.7:
            questions.set_answers(
                db, rid, {"test_drive": rnd.random() < 0.6, "model": rnd.choice(models)}
            )
            answered += 1
    gifts.add_gift(db, open_day, GiftDraft("签到礼：车载香薰", 200, "per_registration"))
    gifts.add_gift(db, open_day, GiftDraft("前 30 位到场：定制雨伞", 30, "first_n", "30"))
    handed = 0
    for rid, checked_in in regs:
        if checked_in is not None:
            got = gifts.hand(db, rid, desk="1")
            handed += sum(i.quantity for i in got.items if i.result == "handed")
    return {"questions": 2, "answers": answered, "gifts": 2, "gifts_handed": handed}


def _has_events(db: Database) -> bool:
    from sqlalchemy import select

    from desktop_app.store.models import Event

    with db.read() as s:
        return s.scalar(select(Event.id).limit(1)) is not None


def fill_demo(db: Database, seed: int = 7) -> dict[str, int]:
    """Add the demo dataset (sets up the demo dealer if the database has none)."""
    rnd = random.Random(seed)
    if _has_events(db):
        # a second run would double every event: the demo goes into a fresh database
        raise PaddockError(code="demo_not_empty")
    if get_dealer(db) is None:
        init_dealer(db, *DEMO_DEALER)
    summary: dict[str, int] = {}
    summary.update(_fill_events(db, rnd))
    summary.update(_fill_people(db, rnd))
    summary.update(_fill_registrations(db, rnd))
    summary.update(_fill_checkins(db, rnd))
    summary.update(_fill_feedback(db, rnd))
    summary.update(_fill_packs(db, rnd))
    summary.update(_fill_hq(db, rnd))
    summary.update(_fill_fees_and_perks(db, rnd))  # issue 15
    summary.update(_fill_questions_and_gifts(db, rnd))  # issue 14
    return summary
