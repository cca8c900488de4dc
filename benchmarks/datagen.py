"""A realistic large dataset for benchmarks: a busy dealership's years of community work.

    python -m benchmarks.datagen --db big.sqlite --people 100000 --events 2000 \
        --registrations 1000000

Bulk inserts (Core executemany in chunks) straight into the models' tables, one function
per table group so other areas can add theirs (call them from `generate`). Valid data: E.164
mobile numbers, VINs with correct check digits, mainland plates. Deterministic per seed.
"""

from __future__ import annotations

import argparse
import random
import secrets
import sys
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Table, insert

from desktop_app.domain.enums import EventFormat, EventStatus, EventType, Stage
from desktop_app.domain.vehicle_ids import vin_check_digit
from desktop_app.store.db import Database, open_database
from desktop_app.store.models import (
    DealerProfile,
    Event,
    Person,
    Registration,
    Staff,
    Vehicle,
)

CHUNK = 5_000
DEALER = "SH-0021"
DEVICE = "bench0000001"

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红辉鑫宇浩然子涵梓萱一诺欣怡思远俊杰晨阳雨桐嘉怡佳琪博文天佑"
# Mainland mobile prefixes that are in service (phonenumbers accepts them as mobile).
MOBILE_PREFIXES = tuple(
    f"1{n}"
    for n in (
        *(30, 31, 32, 33, 35, 36, 37, 38, 39, 50, 51, 52, 53, 55, 56, 57, 58, 59),
        *(66, 73, 75, 76, 77, 78, 80, 81, 82, 83, 85, 86, 87, 88, 89, 98, 99),
    )
)
VIN_LETTERS = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"
WMIS = ("LSV", "LFV", "LBV", "LE4", "LVS", "LSG", "LGB", "LHG", "LRW", "LNB")
YEAR_CODES = "GHJKLMNPRS"  # 2016…2025
PLATE_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"
MODELS = ("朗逸", "帕萨特", "途观L", "ID.4 CROZZ", "探岳", "凌渡", "速腾", "迈腾", "ID.6", "途昂")
VENUES = ("浦东展厅", "售后服务中心二楼教室", "华东零件配送中心", "新天地咖啡馆", "滴水湖露营地")
TITLES = {
    EventType.OPEN_DAY: "开放日",
    EventType.PARTS_TOUR: "零件中心探秘",
    EventType.MODEL_DAY: "新车型品鉴日",
    EventType.CARE_CLASS: "养护课堂",
    EventType.CLUB_DRIVE: "车友会自驾",
    EventType.MEMBER_DAY: "会员日",
    EventType.CITY_MEETUP: "城市车主见面会",
    EventType.OTHER: "安全检查日",
}


@dataclass
class Made:
    """Ids made so far, for the groups that reference them."""

    staff: list[uuid.UUID] = field(default_factory=list)
    events: list[tuple[uuid.UUID, datetime]] = field(default_factory=list)
    people: list[uuid.UUID] = field(default_factory=list)
    vehicles: dict[uuid.UUID, tuple[uuid.UUID, str]] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)


def _chunks(rows: Iterable[dict[str, Any]], size: int = CHUNK) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def bulk(conn: Connection, table: Table, rows: Iterable[dict[str, Any]]) -> int:
    """Insert rows (dicts of column values) in chunks; every column gets a value.

    Columns a row leaves out get their model default (a scalar) or NULL. On SQLite the
    rows go straight to the driver's executemany with the column types' bind processors
    applied once per value: SQLAlchemy's per-row compile step would triple the time.
    """
    columns = list(table.columns)
    names = [c.name for c in columns]
    fixed = {
        c.name: (c.default.arg if c.default is not None and c.default.is_scalar else None)
        for c in columns
    }
    callables = {
        c.name: c.default.arg
        for c in columns
        if c.default is not None and c.default.is_callable and c.name not in ("id",)
    }
    dialect = conn.dialect
    fast = dialect.name == "sqlite"
    processors = [c.type._cached_bind_processor(dialect) for c in columns]
    sql = (
        f'INSERT INTO "{table.name}" ({", ".join(chr(34) + n + chr(34) for n in names)}) '
        f"VALUES ({', '.join('?' for _ in names)})"
    )
    n = 0
    for batch in _chunks(rows):
        full = []
        for row in batch:
            values = {**fixed, **row}
            for name, fn in callables.items():
                if name not in row:
                    values[name] = fn(None)  # SQLAlchemy passes a context; ours ignore it
            full.append(values)
        if fast:
            tuples = [
                tuple(
                    p(v) if p is not None and v is not None else v
                    for p, v in zip(processors, (r[k] for k in names), strict=True)
                )
                for r in full
            ]
            conn.exec_driver_sql(sql, tuples)  # type: ignore[arg-type]
        else:
            conn.execute(insert(table), full)
        n += len(batch)
    return n


def _stamp(when: datetime) -> dict[str, Any]:
    return {
        "id": uuid.uuid4(),
        "created_at": when,
        "updated_at": when,
        "origin_dealer": DEALER,
        "origin_device": DEVICE,
        "deleted_at": None,
    }


# --------------------------------------------------------------------------- value makers


def chinese_name(rnd: random.Random) -> str:
    given = "".join(rnd.choice(GIVEN) for _ in range(rnd.choice((1, 2, 2))))
    return rnd.choice(SURNAMES) + given


def mobile_numbers(rnd: random.Random, n: int) -> list[str]:
    """`n` distinct valid mainland mobiles in E.164 (+86 1xx xxxx xxxx)."""
    suffixes = rnd.sample(range(10**8), n)
    return [f"+86{rnd.choice(MOBILE_PREFIXES)}{s:08d}" for s in suffixes]


def vin(rnd: random.Random, serial: int) -> str:
    body = (
        rnd.choice(WMIS)
        + "".join(rnd.choice(VIN_LETTERS) for _ in range(5))
        + "0"
        + rnd.choice(YEAR_CODES)
        + rnd.choice("ABCDEFGH")
        + f"{serial:06d}"
    )
    return body[:8] + vin_check_digit(body) + body[9:]


def plate(rnd: random.Random) -> str:
    if rnd.random() < 0.3:  # new-energy plates: 沪AD12345
        return "沪" + rnd.choice("ABCDEFGHJKLMN") + rnd.choice("DF") + f"{rnd.randrange(10**5):05d}"
    return "沪" + rnd.choice(PLATE_LETTERS[:13]) + f"{rnd.randrange(10**5):05d}"


# --------------------------------------------------------------------------- table groups


def make_dealer(conn: Connection, rnd: random.Random) -> None:
    conn.execute(
        insert(DealerProfile.__table__),
        [
            {
                "id": 1,
                "code": DEALER,
                "name": "上海浦东星辰汽车销售服务有限公司",
                "city": "上海",
                "region": "华东",
                "ticket_key": secrets.token_hex(32),
                "device_id": DEVICE,
                "timezone": "Asia/Shanghai",
                "created_at": datetime.now(UTC),
                "updated_at": datetime.now(UTC),
            }
        ],
    )


def make_staff(conn: Connection, rnd: random.Random, made: Made, n: int = 40) -> None:
    now = datetime.now(UTC)
    rows = []
    for i in range(n):
        row = _stamp(now) | {
            "name": chinese_name(rnd),
            "role": ("front_desk", "coordinator", "admin")[i % 3],
            "phone": None,
            "secret_hash": None,
            "active": True,
        }
        rows.append(row)
        made.staff.append(row["id"])
    made.counts["staff"] = bulk(conn, Staff.__table__, rows)


def make_events(conn: Connection, rnd: random.Random, made: Made, n: int) -> None:
    """`n` events over the last ~3 years and the next few months, every type and status."""
    now = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    span_days = max(30, n // 2)
    kinds = list(EventType)

    def rows() -> Iterator[dict[str, Any]]:
        for i in range(n):
            kind = kinds[i % len(kinds)]
            start = now + timedelta(days=rnd.randint(-span_days, 90), hours=rnd.choice((1, 2, 6)))
            past = start < now
            status = (
                rnd.choice((EventStatus.COMPLETED,) * 9 + (EventStatus.CANCELLED,))
                if past
                else rnd.choice((EventStatus.PUBLISHED,) * 3 + (EventStatus.DRAFT,))
            )
            details: dict[str, Any] = {}
            if kind == EventType.CLUB_DRIVE:
                details = {
                    "meeting_point": "G60 松江服务区",
                    "route_stops": ["千岛湖", "文渊狮城"],
                    "max_cars": rnd.choice((10, 15, 20)),
                }
            elif kind == EventType.CARE_CLASS:
                details = {"instructor": chinese_name(rnd) + "师傅", "topic": "季节保养"}
            row = _stamp(start - timedelta(days=30)) | {
                "title": f"{start.year}年{start.month}月{TITLES[kind]} #{i + 1}",
                "description": "",
                "type": kind.value,
                "format": rnd.choice((EventFormat.ON_SITE,) * 4 + (EventFormat.HYBRID,)).value,
                "status": status.value,
                "starts_at": start,
                "ends_at": start + timedelta(hours=rnd.choice((2, 3, 8))),
                "timezone": "Asia/Shanghai",
                "venue": rnd.choice(VENUES),
                "online_link": None,
                "capacity": rnd.choice((20, 30, 50, 120, 300, 600, 1000)),
                "waitlist_enabled": rnd.random() < 0.3,
                "registration_opens_at": None,
                "registration_closes_at": None,
                "points_award": rnd.choice((0, 20, 30, 50)),
                "campaign_code": f"HQ-{start.year}-{i % 97:02d}" if rnd.random() < 0.3 else None,
                "budget": None,
                "min_online_minutes": None,
                "cancel_reason": "天气原因" if status == EventStatus.CANCELLED else None,
                "details": details,
                "hq_snapshot": None,
            }
            made.events.append((row["id"], start))
            yield row

    made.counts["events"] = bulk(conn, Event.__table__, rows())


def make_people(conn: Connection, rnd: random.Random, made: Made, n: int) -> None:
    """People (60% owners/members with one vehicle each) and their vehicles."""
    phones = mobile_numbers(rnd, n)
    now = datetime.now(UTC)
    vehicles: list[dict[str, Any]] = []

    def rows() -> Iterator[dict[str, Any]]:
        for i in range(n):
            stage = rnd.choices((Stage.PROSPECT, Stage.OWNER, Stage.MEMBER), (4, 4, 2))[0]
            created = now - timedelta(days=rnd.randint(0, 1500))
            phone = phones[i] if rnd.random() < 0.97 else None
            row = _stamp(created) | {
                "name": chinese_name(rnd),
                "phone": phone,
                "phone_rev": phone[1:][::-1] if phone else None,  # as Person keeps it
                "wechat": None,
                "email": None,
                "stage": stage.value,
                "tier": rnd.choice((None, "silver", "gold", "platinum"))
                if stage == Stage.MEMBER
                else None,
                "butler_id": rnd.choice(made.staff)
                if made.staff and stage != Stage.PROSPECT
                else None,
                "referred_by_id": None,
                "birthday": None,
                "notes": "",
                "source": rnd.choice(("dms", "walk_in", "online_form", "referral")),
                "merged_into_id": None,
            }
            made.people.append(row["id"])
            if stage != Stage.PROSPECT:
                vin_text, plate_text = vin(rnd, len(vehicles)), plate(rnd)
                v = _stamp(created) | {  # *_rev: what Vehicle's validators keep in step
                    "person_id": row["id"],
                    "vin": vin_text,
                    "vin_rev": vin_text[::-1],
                    "plate": plate_text,
                    "plate_rev": plate_text[::-1],
                    "model": rnd.choice(MODELS),
                    "purchase_date": (created - timedelta(days=rnd.randint(0, 900))).date(),
                }
                vehicles.append(v)
                made.vehicles[row["id"]] = (v["id"], v["plate"])
            yield row

    made.counts["people"] = bulk(conn, Person.__table__, rows())
    made.counts["vehicles"] = bulk(conn, Vehicle.__table__, vehicles)


def make_registrations(conn: Connection, rnd: random.Random, made: Made, n: int) -> None:
    """`n` registrations spread over the events (bigger events get more), one per person."""
    if not made.events or not made.people:
        made.counts["registrations"] = 0
        return
    now = datetime.now(UTC)
    per_event = _spread(rnd, n, len(made.events), len(made.people))

    def rows() -> Iterator[dict[str, Any]]:
        for (event_id, start), k in zip(made.events, per_event, strict=True):
            past = start < now
            for person_id in rnd.sample(made.people, k):
                vehicle = made.vehicles.get(person_id)
                if past:
                    status = rnd.choices(("attended", "no_show", "cancelled"), (7, 2, 1))[0]
                else:
                    status = rnd.choices(("registered", "waitlisted", "cancelled"), (17, 2, 1))[0]
                yield _stamp(start - timedelta(days=rnd.randint(1, 25))) | {
                    "event_id": event_id,
                    "person_id": person_id,
                    "status": status,
                    "source": rnd.choice(("phone_invite", "online_form", "walk_in", "club")),
                    "party_size": rnd.choice((1, 1, 1, 2, 2, 3)),
                    "vehicle_id": vehicle[0] if vehicle else None,
                    "plate": vehicle[1] if vehicle else None,
                    "passengers": 0,
                    "ticket_code": None,
                    "registered_at": start - timedelta(days=1),
                }

    made.counts["registrations"] = bulk(conn, Registration.__table__, rows())


def _spread(rnd: random.Random, total: int, buckets: int, cap: int) -> list[int]:
    """Split `total` over `buckets` unevenly (a few big open days, many small classes)."""
    weights = [rnd.paretovariate(1.5) for _ in range(buckets)]
    scale = total / sum(weights)
    counts = [min(cap, int(w * scale)) for w in weights]
    short = total - sum(counts)
    i = 0
    while short > 0 and i < buckets * 4:  # top up buckets that have room, round-robin
        b = i % buckets
        room = cap - counts[b]
        if room > 0:
            add = min(room, short, max(1, total // buckets))
            counts[b] += add
            short -= add
        i += 1
    return counts


# --------------------------------------------------------------------------- driver

Group = Callable[[Connection, random.Random, Made, int], None]


def generate(
    db: Database,
    people: int = 100_000,
    events: int = 2_000,
    registrations: int = 1_000_000,
    seed: int = 42,
    progress: Callable[[str], None] = lambda _msg: None,
) -> dict[str, int]:
    """Fill an empty Paddock database; returns row counts per table group."""
    rnd = random.Random(seed)
    made = Made()
    steps: list[tuple[str, Group, int]] = [
        ("staff", make_staff, 40),
        ("events", make_events, events),
        ("people", make_people, people),
        ("registrations", make_registrations, registrations),
    ]
    with db.engine.begin() as conn:
        make_dealer(conn, rnd)
    for name, fn, size in steps:
        t0 = time.perf_counter()
        with db.engine.begin() as conn:  # one transaction per group
            fn(conn, rnd, made, size)
        progress(f"{name}: {made.counts.get(name, 0)} rows in {time.perf_counter() - t0:.1f}s")
    if db.engine.dialect.name == "sqlite":
        with db.engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE")
    return dict(made.counts)


def ticketed_registration(
    key: str, event_id: uuid.UUID, person_id: uuid.UUID, now: datetime
) -> tuple[dict[str, Any], dict[str, Any], str]:
    """Rows for a registered person holding a genuine signed ticket (bulk inserts)."""
    from desktop_app.domain import ticket as payload

    rid = uuid.uuid4()
    t = payload.issue(key, event_id)
    reg = {
        "id": rid,
        "event_id": event_id,
        "person_id": person_id,
        "status": "registered",
        "source": "phone_invite",
        "party_size": 1,
        "passengers": 0,
        "is_walk_in": False,
        "wants_test_drive": False,
        "ticket_code": t.code,
        "registered_at": now,
        "created_at": now,
        "updated_at": now,
    }
    tix = {
        "id": uuid.uuid4(),
        "registration_id": rid,
        "event_id": event_id,
        "serial": 1,
        "code": t.code,
        "short_code": t.short_code,
        "created_at": now,
        "updated_at": now,
    }
    return reg, tix, t.code


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--db", required=True, help="SQLite file or database URL (empty)")
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--events", type=int, default=2_000)
    parser.add_argument("--registrations", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args(argv)
    db = open_database(args.db)
    try:
        with db.read() as s:
            if s.get(DealerProfile, 1) is not None:
                print("datagen: the database is not empty; use a new file", file=sys.stderr)
                return 1
        counts = generate(
            db,
            args.people,
            args.events,
            args.registrations,
            args.seed,
            progress=lambda m: print(m, file=sys.stderr),
        )
    finally:
        db.close()
    print(", ".join(f"{k} {v}" for k, v in counts.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
