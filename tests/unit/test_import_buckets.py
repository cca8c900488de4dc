"""Every row read lands in exactly one bucket, for every importer, whatever the file says.

Hypothesis writes files the way real exports write them — the same phone as 138 0013 8000,
+86 138…, full-width digits, 0086…, a VIN in lower case or with spaces, 无 / 2-3人 head
counts, a plate one letter off, unreadable scores, a co-host from the dealership — and
checks the report: the buckets add up to the rows read, a duplicate or an additional row
names an earlier row of the same file, only a row without an identity is rejected, and
importing the same file again creates nothing.
"""

from __future__ import annotations

import csv
import io
import os
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from desktop_app.domain.timeutil import now_utc
from desktop_app.io.values import parse_phone, parse_vin
from desktop_app.services import (
    attendance_import,
    campaigns,
    checkin,
    feedback,
    packs,
    people_import,
    signups_import,
    walkin,
)
from desktop_app.services.dealer import init_dealer
from desktop_app.services.import_report import RowCounts
from desktop_app.store.db import Database, open_database
from tests.checkin_support import make_event, register
from tests.conftest import fresh_sqlite
from tests.fixtures.make_people import make_vin

EXAMPLES = settings(
    max_examples=int(os.environ.get("PADDOCK_BUCKET_EXAMPLES", "12")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    # exploring with many examples (PADDOCK_BUCKET_SHRINK=0): report the first failure as
    # found, shrinking a file of database imports takes minutes
    phases=tuple(Phase)
    if os.environ.get("PADDOCK_BUCKET_SHRINK", "1") == "1"
    else (Phase.explicit, Phase.reuse, Phase.generate),
)

NAMES = ["王伟", "李娜", "张伟", "刘洋", "陈静"]
NATIONAL = ["13800138000", "13912345678", "18600186009", "15000150002", "17700003333"]
VINS = [make_vin("LSVAU218", f"N{n:07d}") for n in (2183294, 2010071, 2000512)]
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def written(national: str, how: int) -> str:
    """One mobile as people write it: 0 plain, 1 spaced, 2 +86, 3 full-width, 4 0086,
    5 dashes and a trailing space."""
    return [
        national,
        f"{national[:3]} {national[3:7]} {national[7:]}",
        f"+86 {national}",
        national.translate(FULL_WIDTH),
        f"0086{national}",
        f"{national[:3]}-{national[3:7]}-{national[7:]} ",
    ][how]


@dataclass(frozen=True)
class Cell:
    """A generated cell and what it is worth: the text, and the identity it carries (an
    E.164 phone or a VIN), None when it carries none."""

    text: str
    value: str | None = None


def phones() -> st.SearchStrategy[Cell]:
    good = st.builds(
        lambda i, how: Cell(written(NATIONAL[i], how), "+86" + NATIONAL[i]),
        st.integers(0, len(NATIONAL) - 1),
        st.integers(0, 5),
    )
    bad = st.sampled_from(["138****2046", "021-8888-9999", "1380013800", "12345", "不方便透露"])
    return st.one_of(good, good, bad.map(Cell), st.just(Cell("")))


def vins() -> st.SearchStrategy[Cell]:
    def form(vin: str, how: int) -> str:
        return [vin, vin.lower(), f"{vin[:8]} {vin[8:]}", f" {vin} "][how]

    good = st.builds(
        lambda i, how: Cell(form(VINS[i], how), VINS[i]),
        st.integers(0, len(VINS) - 1),
        st.integers(0, 3),
    )
    typo = st.sampled_from([v[:8] + ("1" if v[8] != "1" else "2") + v[9:] for v in VINS])
    return st.one_of(good, typo.map(Cell), st.just(Cell("")), st.just(Cell("")))


def csv_bytes(rows: list[list[str]], encoding: str = "utf-8-sig") -> bytes:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    return buf.getvalue().encode(encoding)


def adds_up(counts: RowCounts) -> None:
    """The report's own contract, checked as a script would check it from the JSON."""
    data = counts.to_json()
    assert sum(data["buckets"].values()) == data["rows"], data["buckets"]
    assert len(data["rejected"]) == data["buckets"]["rejected"]
    for link in data["duplicate_rows"]:
        assert link["same_as"] < link["row"] or link["same_as"] != link["row"]
    for key in [k for k in data if k.endswith("_rows") and k != "duplicate_rows"]:
        for link in data[key]:
            assert link["adds_to"] < link["row"], (key, link)
    for p in [*data["rejected"], *data["warnings"]]:
        assert set(p) >= {"row", "field", "value", "reason", "code"} and p["reason"]


@pytest.fixture
def new_db(tmp_path: Path, _migrated_sqlite: Path) -> Iterator[Callable[[], Database]]:
    """A fresh dealership database per generated file (each example starts clean)."""
    opened: list[Database] = []

    def make() -> Database:
        db = fresh_sqlite(_migrated_sqlite, tmp_path / f"{uuid.uuid4().hex}.sqlite")
        init_dealer(db, "SH-0021", "星辰汽车", "上海", "华东")
        opened.append(db)
        return db

    yield make
    for db in opened:
        db.close()


def save(tmp_path: Path, data: bytes, suffix: str = ".csv") -> Path:
    path = tmp_path / f"{uuid.uuid4().hex}{suffix}"
    path.write_bytes(data)
    return path


# --------------------------------------------------------------------------- people


def not_blank(row: tuple[Any, ...]) -> bool:
    """A row with something in it (a blank line is no row of the file)."""
    return any(c.text.strip() if isinstance(c, Cell) else str(c).strip() for c in row)


PEOPLE_ROW = st.tuples(
    st.sampled_from([*NAMES, ""]),
    phones(),
    vins(),
    st.sampled_from(["沪A12345", "沪A 12345", "沪B23456", "沪Z", ""]),
    st.sampled_from(["帕萨特", "途观L", ""]),
)


def test_people_every_row_in_one_bucket_and_only_nobody_is_rejected(
    new_db: Callable[[], Database], tmp_path: Path
) -> None:
    @EXAMPLES
    @given(st.lists(PEOPLE_ROW.filter(not_blank), min_size=1, max_size=10))
    def check(rows: list[tuple[str, Cell, Cell, str, str]]) -> None:
        db = new_db()
        sheet = [["客户姓名", "手机号码", "车架号", "车牌号", "车型"]]
        sheet += [[n, p.text, v.text, plate, model] for n, p, v, plate, model in rows]
        path = save(tmp_path, csv_bytes(sheet))
        first = people_import.import_people(db, path)
        adds_up(first.counts)
        assert first.rows == len(rows)
        for problem in first.rejected:  # only a row nobody can be found or made from
            name, phone, vin, _plate, _model = rows[problem.row - 2]
            assert phone.value is None and (vin.value is None or not name), problem
        again = people_import.import_people(db, path)
        adds_up(again.counts)
        assert (again.created, again.vehicles_created) == (0, 0), again.to_json()
        assert again.rows == first.rows
        # the same phone written differently is the same person: that row is reported as
        # a duplicate or an additional car of the first, never merged silently
        linked = dict(first.counts.linked("duplicates"))
        linked |= dict(first.counts.linked("additional_cars"))
        rejected = {p.row for p in first.rejected}
        seen: set[str] = set()
        for number, (_name, phone, _vin, _plate, _model) in enumerate(rows, start=2):
            if phone.value is None or number in rejected:
                continue
            if phone.value in seen:
                assert number in linked, (number, first.to_json())
            seen.add(phone.value)

    check()


# --------------------------------------------------------------------------- sign-ups

COUNTS = [
    "2",
    "无",
    "没有",
    "不带",
    "暂无",
    "0",
    "空",
    "2-3人",
    "两三个",
    "1大1小",
    "全家都来",
    "看情况",
    "",
]
SIGNUP_ROW = st.tuples(
    st.sampled_from([*NAMES, ""]),
    phones(),
    st.sampled_from(COUNTS),
    st.sampled_from(["沪A12345", "沪AD1234X", "沪A1234", "无", "还没提车", ""]),
    st.sampled_from(["2026/11/3 9:00", "2026/11/3 10:30:00", "昨天", ""]),
    st.sampled_from(["已支付", "已支付", "未支付", "已退款"]),
)


@pytest.mark.parametrize("kind", ["open_day", "club_drive"])
def test_signups_every_row_in_one_bucket_and_only_a_missing_phone_rejects(
    new_db: Callable[[], Database], tmp_path: Path, kind: str
) -> None:
    @EXAMPLES
    @given(st.lists(SIGNUP_ROW, min_size=1, max_size=10), st.integers(1, 12))
    def check(rows: list[tuple[str, Cell, str, str, str, str]], capacity: int) -> None:
        db = new_db()
        ev = make_event(
            db, "开放日", type=kind, capacity=capacity, waitlist=capacity % 2 == 0,
            starts_at=now_utc() + timedelta(days=5),
        )  # fmt: skip
        sheet = [["提交时间", "姓名", "手机号码", "同行人数", "车牌号", "支付状态"]]
        sheet += [[t, n, p.text, c, plate, pay] for n, p, c, plate, t, pay in rows]
        path = save(tmp_path, csv_bytes(sheet))
        first = signups_import.import_signups(db, ev, path)
        adds_up(first.counts)
        assert first.rows == len(rows)
        rejected = {p.row for p in first.rejected}
        for number, (_name, phone, *_rest) in enumerate(rows, start=2):
            assert (number in rejected) == (phone.value is None), (number, first.to_json())
        again = signups_import.import_signups(db, ev, path)
        adds_up(again.counts)
        assert (again.created, again.updated) == (0, 0), again.to_json()
        assert again.counts.buckets == {
            **first.counts.buckets,
            "created": 0,
            "updated": 0,
            "unchanged": first.created + first.updated + first.unchanged,
        }

    check()


# --------------------------------------------------------------------------- attendance

ZOOM_NAMES = [
    ("张伟", ""), ("张伟 (张伟的iPhone)", ""), ("Zhang Wei (张伟)", ""), ("李娜", ""),
    ("Lina (李娜)", ""), ("刘洋", "liu.yang@qq.com"), ("王伟", ""), ("路人甲", ""),
    ("销售小王", "wang@xingchen-auto.cn"), ("星辰汽车客服", "host@xingchen-auto.cn"),
    ("电话用户", ""), ("iPhone", ""),
]  # fmt: skip
ZOOM_ROW = st.tuples(
    st.sampled_from(ZOOM_NAMES),
    st.integers(0, 100),  # join: minutes after 19:00
    st.integers(-5, 90),  # minutes stayed (a negative one leaves before joining)
    st.sampled_from(["Yes", "Yes", "No"]),
    st.sampled_from(["", "很久"]),  # a duration cell nobody can read
)


def zoom_file(rows: list[tuple[tuple[str, str], int, int, str, str]]) -> bytes:
    start = datetime(2026, 12, 7, 19, 0)

    def us(dt: datetime) -> str:
        return dt.strftime("%m/%d/%Y %I:%M:%S %p")

    sheet = [
        ["Meeting ID", "Topic", "Start Time", "End Time", "User Email", "Duration (Minutes)",
         "Participants"],
        ["852 1234 5678", "会员日直播", us(start), us(start + timedelta(hours=2)),
         "host@xingchen-auto.cn", 120, len(rows)],
        [""] * 7,
        ["Name (Original Name)", "User Email", "Join Time", "Leave Time", "Duration (Minutes)",
         "Guest"],
    ]  # fmt: skip
    for (name, email), join, stay, guest, bad in rows:
        a = start + timedelta(minutes=join)
        b = a + timedelta(minutes=stay)
        sheet.append([name, email, us(a), us(b), bad or max(stay, 0), guest])
    return csv_bytes(sheet)


def test_attendance_every_row_in_one_bucket_and_staff_never_attend(
    new_db: Callable[[], Database], tmp_path: Path
) -> None:
    @EXAMPLES
    @given(st.lists(ZOOM_ROW, min_size=1, max_size=12))
    def check(rows: list[tuple[tuple[str, str], int, int, str, str]]) -> None:
        db = new_db()
        ev = make_event(
            db, "会员日直播", format="online", type="member_day", hours=2,
            starts_at=datetime(2026, 12, 7, 11, 0, tzinfo=now_utc().tzinfo),
        )  # fmt: skip
        for name, phone in (("张伟", "+8613800138000"), ("李娜", "+8613912345678")):
            register(db, ev, name, phone)
        path = save(tmp_path, zoom_file(rows))
        first = attendance_import.import_attendance(db, ev, path)
        adds_up(first.counts)
        assert first.rows == len(rows)
        staff_rows = {r for st_ in first.staff_left_out for r in st_.rows}
        # (the same line twice is a duplicate; a row without time at all is rejected)
        other = {r for r, _ in first.duplicate_rows} | {p.row for p in first.rejected}
        for number, ((_name, email), _j, _s, guest, _bad) in enumerate(rows, start=5):
            if (guest == "No" or email.endswith("@xingchen-auto.cn")) and number not in other:
                assert number in staff_rows, (number, first.to_json())
        assert first.counts["staff"] == len(staff_rows)
        again = attendance_import.import_attendance(db, ev, path)
        adds_up(again.counts)
        assert (again.created, again.updated) == (0, 0), again.to_json()

    check()


# --------------------------------------------------------------------------- feedback

SCORES = ["5", "4分", "★★★☆☆", "非常满意", "7", "很好", "", "一般"]
FEEDBACK_ROW = st.tuples(
    st.sampled_from([*NAMES, ""]),
    phones(),
    st.sampled_from(SCORES),
    st.sampled_from(["9", "10分", "11", "", "推荐"]),
    st.sampled_from(["", "无", "茶歇很好", "停车位不够"]),
)


def test_feedback_every_row_in_one_bucket(new_db: Callable[[], Database], tmp_path: Path) -> None:
    @EXAMPLES
    @given(st.lists(FEEDBACK_ROW, min_size=1, max_size=10))
    def check(rows: list[tuple[str, Cell, str, str, str]]) -> None:
        db = new_db()
        ev = make_event(db, "三月开放日")
        for name, national in zip(NAMES[:3], NATIONAL[:3], strict=True):
            register(db, ev, name, "+86" + national)
        sheet = [["姓名", "手机号码", "满意度", "推荐度", "意见建议"]]
        sheet += [[n, p.text, r, nps, c] for n, p, r, nps, c in rows]
        path = save(tmp_path, csv_bytes(sheet))
        first = feedback.import_feedback(db, ev, path)
        adds_up(first.counts)
        assert first.rows == len(rows)
        again = feedback.import_feedback(db, ev, path)
        adds_up(again.counts)
        assert (again.created, again.updated) == (0, 0), again.to_json()

    check()


# --------------------------------------------------------------------------- campaign packs

CAMPAIGN_ROW = st.tuples(
    st.sampled_from(["HQ-1", "HQ-2", "HQ-3", "hq-4", ""]),
    st.sampled_from(["会员日", "", "开放日"]),
    st.sampled_from(["member_day", "open_day", "party", ""]),
    st.sampled_from(["on_site", "online", "hybrid", "tv"]),
    st.sampled_from(["2026-12-12 14:00", "明天", ""]),
    st.sampled_from(["2026-12-12 17:00", "2026-12-12 12:00", ""]),
    st.sampled_from(["80", "-3", "很多", ""]),
    st.sampled_from(["", "SH-0021", "BJ-0001", "SH-0021,BJ-0001"]),
)


def test_campaign_packs_every_row_in_one_bucket(
    new_db: Callable[[], Database], tmp_path: Path
) -> None:
    @EXAMPLES
    @given(st.lists(CAMPAIGN_ROW.filter(not_blank), min_size=1, max_size=8))
    def check(rows: list[tuple[str, ...]]) -> None:
        db = new_db()
        wb = Workbook()
        ws = wb.active
        ws.title = "campaigns"
        ws.append(["campaign_code", "title", "type", "format", "starts_at", "ends_at",
                   "capacity", "dealers"])  # fmt: skip
        for row in rows:
            ws.append(list(row))
        path = tmp_path / f"{uuid.uuid4().hex}.xlsx"
        wb.save(path)
        first = campaigns.import_campaigns(db, path)
        adds_up(first.counts)
        assert first.rows == len(rows)
        for problem in first.rejected:
            assert not rows[problem.row - 2][0], problem  # only a missing campaign code
        again = campaigns.import_campaigns(db, path)
        adds_up(again.counts)
        assert (again.created, again.updated) == (0, 0), again.to_json()

    check()


# --------------------------------------------------------------------------- event packs


def test_event_packs_every_row_in_one_bucket(
    new_db: Callable[[], Database], tmp_path: Path
) -> None:
    @settings(EXAMPLES, max_examples=max(EXAMPLES.max_examples // 3, 3))
    @given(
        st.integers(1, 5),  # registrants
        st.lists(st.integers(0, 4), max_size=6),  # laptop scans (registrant index)
        st.lists(st.sampled_from(NATIONAL), max_size=3),  # walk-ins at the laptop
        st.lists(st.integers(0, 4), max_size=3),  # scans at the dealership meanwhile
    )
    def check(people: int, scans: list[int], walkins: list[str], here: list[int]) -> None:
        db = new_db()
        ev = make_event(db, "自驾", points=50)
        seats = [
            register(db, ev, NAMES[i], "+86" + NATIONAL[i].replace("138", "135", 1))
            for i in range(people)
        ]
        pack = tmp_path / f"{uuid.uuid4().hex}.pack"
        packs.export_pack(db, ev, pack)
        when = now_utc() - timedelta(minutes=30)
        laptop = open_database(str(pack))  # the laptop opens the pack as its database
        try:
            for i in scans:
                checkin.scan(laptop, ev, seats[i % people].code, desk="笔记本", scanned_at=when)
            for national in walkins:
                walkin.walkin(laptop, ev, national, "新客", desk="笔记本", now=when)
        finally:
            laptop.close()
        for i in here:
            checkin.scan(db, ev, seats[i % people].code, desk="前台", scanned_at=when)
        first = packs.import_pack(db, pack)
        adds_up(first.counts)
        again = packs.import_pack(db, pack)
        adds_up(again.counts)
        assert (again.created, again.updated) == (0, 0), again.to_json()
        assert again.rows == first.rows

    check()


def test_the_generated_people_cells_are_what_they_say() -> None:
    """The generators' own promise: a phone written any way is the same E.164."""
    for national in NATIONAL:
        assert {parse_phone(written(national, how)) for how in range(6)} == {"+86" + national}
    for vin in VINS:
        assert parse_vin(vin.lower()) == parse_vin(f" {vin[:8]} {vin[8:]} ") == vin
