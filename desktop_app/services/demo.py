"""A realistic demo dataset: a Shanghai dealership's month of community work.

Each area adds its part through a `_fill_*` function here; `fill_demo` runs them all in
order. Deterministic for a given seed, so screenshots and docs are reproducible.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from desktop_app.domain.enums import EventFormat, EventStatus, EventType
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


def _fill_events(db: Database, rnd: random.Random) -> dict[str, int]:
    plans: list[tuple[events.EventDraft, str]] = []

    def add(draft: events.EventDraft, status: str = EventStatus.PUBLISHED) -> None:
        plans.append((draft, status))

    add(
        events.EventDraft(
            title="星辰开放日：新能源试驾体验",
            type=EventType.OPEN_DAY,
            format=EventFormat.ON_SITE,
            starts_at=_local_day(0, 9, 30),
            ends_at=_local_day(0, 17),
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


def fill_demo(db: Database, seed: int = 7) -> dict[str, int]:
    """Add the demo dataset (sets up the demo dealer if the database has none)."""
    rnd = random.Random(seed)
    if get_dealer(db) is None:
        init_dealer(db, *DEMO_DEALER)
    summary: dict[str, int] = {}
    summary.update(_fill_events(db, rnd))
    return summary
