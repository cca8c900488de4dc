"""A dealership's community data built through the real services, and its own KPIs from the DB.

Used by the HQ export/merge tests: what the dealer sees in its reports must be what HQ sees
after export → merge. `dealer_kpis` loads facts straight from the database (no workbook)
and calls domain.kpi.event_kpis, the same function the roll-up uses.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from desktop_app.domain import kpi
from desktop_app.domain.timeutil import now_utc
from desktop_app.services import checkin, events, registration, walkin
from desktop_app.services.dealer import init_dealer
from desktop_app.store.db import Database
from desktop_app.store.models import (
    ClubMembership,
    Event,
    Feedback,
    Person,
    PointsEntry,
    Registration,
)

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平"


@dataclass
class Community:
    dealer_code: str
    events: list[uuid.UUID] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)  # national 11-digit numbers used


def build_community(
    db: Database,
    dealer_code: str = "SH-0021",
    dealer_name: str = "星辰汽车",
    *,
    phone_base: int = 13812340000,
    people: int = 12,
    campaign: str = "HQ-2026-MBR12",
) -> Community:
    """Two events (one with an HQ campaign code, completed), registrations, scans, walk-ins,
    a cancellation, a referral and feedback — all through the services a desk uses."""
    init_dealer(db, dealer_code, dealer_name, "上海", "华东")
    c = Community(dealer_code)
    now = now_utc()
    for k, (title, code) in enumerate((("12月会员日", campaign), ("冬季养护课堂", None))):
        ev = events.create_event(
            db,
            events.EventDraft(
                title=title,
                type="member_day" if k == 0 else "care_class",
                starts_at=now - timedelta(hours=2),
                ends_at=now + timedelta(hours=4),
                venue="浦东展厅",
                capacity=100,
                campaign_code=code,
                points_award=50,
                budget="3000.00",
            ),
        )
        events.set_status(db, ev.id, "published")
        c.events.append(ev.id)
    first_person: uuid.UUID | None = None
    for i in range(people):
        phone = str(phone_base + i)
        c.phones.append(phone)
        name = SURNAMES[i % len(SURNAMES)] + GIVEN[(i * 7) % len(GIVEN)]
        for j, event_id in enumerate(c.events):
            if j == 1 and i % 2:
                continue
            reg = registration.register(
                db,
                event_id,
                phone=phone,
                name=name,
                referred_by_id=first_person if i % 5 == 4 else None,
            )
            if first_person is None:
                first_person = reg.person_id
            if i % 3 != 2:
                checkin.scan(db, event_id, reg.ticket_code or "", desk="前台A")
            elif i % 6 == 5:
                registration.cancel(db, reg.id)
    # Two walk-ins at the member day, one of them a new phone.
    walkin.walkin(db, c.events[0], str(phone_base + 900), "马超", desk="前台B")
    walkin.walkin(db, c.events[0], str(phone_base + 901), "朱丽", desk="前台B")
    c.phones += [str(phone_base + 900), str(phone_base + 901)]
    # A wrong ticket scanned (logged, not accepted).
    checkin.scan(db, c.events[0], "P1.NOTATICKET", desk="前台A")
    with db.write() as s:
        regs = s.scalars(
            select(Registration).where(
                Registration.event_id == c.events[0], Registration.checked_in_at.is_not(None)
            )
        ).all()
        for n, r in enumerate(regs[:5]):
            s.add(
                Feedback(
                    event_id=r.event_id,
                    person_id=r.person_id,
                    registration_id=r.id,
                    rating=3 + n % 3,
                    nps=6 + n,
                    comment="活动很好，有事打我电话 13912345678" if n == 0 else "不错",
                    origin_dealer=dealer_code,
                )
            )
        # One member became a member after the event started (a new member): signed up at
        # the member day's desk an hour after it began.
        p = s.get(Person, regs[0].person_id)
        assert p is not None
        p.stage = "member"
        p.stage_changed_at = now - timedelta(hours=1)
        p.created_at = now - timedelta(days=90)  # known long before (not a creation stamp)
    events.set_status(db, c.events[0], "completed")
    return c


def dealer_kpis(db: Database, event_id: uuid.UUID, now: datetime) -> kpi.EventKpis:
    """The dealer's own numbers for one event, loaded from its database."""
    with db.read() as s:
        e = s.get(Event, event_id)
        assert e is not None
        facts = kpi.EventFacts(
            str(e.id), e.starts_at, e.ends_at, e.status, e.budget, e.min_online_minutes
        )
        regs = s.scalars(
            select(Registration).where(
                Registration.event_id == event_id, Registration.deleted_at.is_(None)
            )
        ).all()
        people: dict[str, kpi.PersonFacts] = {}
        for p in s.scalars(select(Person).where(Person.deleted_at.is_(None))):
            since = s.scalar(
                select(ClubMembership.joined_on)
                .where(ClubMembership.person_id == p.id)
                .order_by(ClubMembership.joined_on)
                .limit(1)
            )
            people[str(p.id)] = kpi.PersonFacts(
                str(p.id),
                p.stage,
                kpi.stage_change(p.stage_changed_at, p.created_at),
                datetime(since.year, since.month, since.day, tzinfo=UTC) if since else None,
            )
        first: dict[str, datetime | None] = {}
        rows = s.execute(
            select(Registration.person_id, Registration.status, Registration.checked_in_at,
                   Registration.online_minutes, Event.starts_at, Event.min_online_minutes)
            .join(Event, Event.id == Registration.event_id)
            .where(Registration.deleted_at.is_(None), Event.deleted_at.is_(None))
        )  # fmt: skip
        for pid, status, at, minutes, start, min_minutes in rows:
            if status in kpi.CONFIRMED and kpi.attended(at, minutes, min_minutes) and start:
                key = str(pid)
                if first.get(key) is None or start < first[key]:
                    first[key] = start
        reg_ids = [r.id for r in regs]
        fb = [
            kpi.FeedbackFacts(f.rating, f.nps)
            for f in s.scalars(select(Feedback).where(Feedback.event_id == event_id))
        ]
        points = [
            d
            for (d,) in s.execute(
                select(PointsEntry.delta).where(PointsEntry.registration_id.in_(reg_ids))
            )
        ]
        return kpi.event_kpis(
            facts,
            [
                kpi.RegistrationFacts(
                    str(r.id),
                    str(r.person_id),
                    r.status,
                    r.source,
                    r.party_size,
                    r.is_walk_in,
                    r.checked_in_at,
                    r.online_minutes,
                    str(r.referred_by_id) if r.referred_by_id else None,
                )
                for r in regs
            ],
            people,
            first,
            fb,
            points,
            now=now,
        )


def edited_copy(src: Path, dst: Path, sheet: str, row: int, key: str, value: object) -> Path:
    """A copy of an HQ workbook with one cell changed (openpyxl: as a person in Excel would)."""
    import openpyxl

    wb = openpyxl.load_workbook(src)
    ws = wb[sheet]
    col = [c.value for c in ws[1]].index(key) + 1
    ws.cell(row, col).value = value
    wb.save(dst)
    return dst


# What each broken copy's refusal must say (parts of the reason).
BAD_REASONS: dict[str, tuple[str, ...]] = {
    "typed.xlsx": ("party_size", "row 2"),
    "late.xlsx": ("feedback row 2", "rating"),  # the last sheet: the rest streamed already
    "short.xlsx": ("_meta says",),
    "truncated.xlsx": ("truncated",),
    "flipped.xlsx": ("damaged",),
    "客户信息.xlsx": ("_meta",),
    "future.xlsx": ("schema_version 99",),
    "mixed.xlsx": ("BJ-0003",),
    "notes.xlsx": ("not an .xlsx",),
}


def bad_copies(good: Path, folder: Path) -> list[Path]:
    """Every way a dealer's file reaches HQ broken, each made from `good`: a wrong type, a
    bad cell in the last sheet, rows deleted, cut short, a byte flipped, someone else's
    spreadsheet, a newer schema, another dealer's row, not a workbook (BAD_REASONS)."""
    import zipfile

    import openpyxl

    typed = edited_copy(good, folder / "typed.xlsx", "registrations", 2, "party_size", "两个")
    late = edited_copy(good, folder / "late.xlsx", "feedback", 2, "rating", "五星")
    short = folder / "short.xlsx"
    wb = openpyxl.load_workbook(good)
    wb["registrations"].delete_rows(3, 2)
    wb.save(short)
    truncated = folder / "truncated.xlsx"
    truncated.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    flipped = folder / "flipped.xlsx"
    data = bytearray(good.read_bytes())
    with zipfile.ZipFile(good) as zf:
        info = zf.getinfo("xl/worksheets/sheet8.xml")
    data[info.header_offset + 30 + len(info.filename) + 40] ^= 0xFF  # inside its data
    flipped.write_bytes(bytes(data))
    foreign = folder / "客户信息.xlsx"
    fw = openpyxl.Workbook()
    fw.active.append(["客户姓名", "手机号码"])
    fw.active.append(["张伟", "13812345678"])
    fw.save(foreign)
    future = folder / "future.xlsx"
    wb = openpyxl.load_workbook(good)
    for row in wb["_meta"].iter_rows():
        if row[0].value == "schema_version":
            row[1].value = 99
    wb.save(future)
    mixed = edited_copy(good, folder / "mixed.xlsx", "people", 2, "dealer_code", "BJ-0003")
    text = folder / "notes.xlsx"
    text.write_text("not a workbook", encoding="utf-8")
    return [typed, late, short, truncated, flipped, foreign, future, mixed, text]
