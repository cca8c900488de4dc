"""Hostile files and scans: importers give a clear error or a report, never a crash or a
half-import; zip bombs are refused by a size cap in a blink; forged QR payloads never pass."""

from __future__ import annotations

import io
import os
import random
import struct
import time
import uuid
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE as ILLEGAL
from sqlalchemy import func, select

from desktop_app.domain import ticket as payload
from desktop_app.domain.errors import PaddockError
from desktop_app.services import (
    attendance_import,
    campaigns,
    checkin,
    feedback,
    hq_merge,
    packs,
    people_import,
    signups_import,
)
from desktop_app.store.db import Database
from desktop_app.store.models import Base
from tests.checkin_support import make_event, register, ticket_key

FUZZ = settings(
    max_examples=int(os.environ.get("PADDOCK_FUZZ_EXAMPLES", "30")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

HEADERS = [
    "姓名", "客户姓名", "手机号", "手机", "联系电话", "车架号", "VIN", "车牌", "车牌号", "车型",
    "购车日期", "微信", "邮箱", "生日", "标签", "管家", "提交时间", "报名人数", "同行人数",
    "参会者", "用户昵称", "入会时间", "退会时间", "时长", "评分", "推荐度", "意见", "活动名称",
    "campaign_code", "title", "type", "starts_at", "ends_at", "name", "phone", "rating", "nps",
    "comment", "序号", "", "  ", "=cmd|' /C calc'!A0",
]  # fmt: skip
CELL = st.one_of(
    st.none(),
    st.text(max_size=30),
    st.integers(min_value=-(2**63), max_value=2**63),
    st.floats(allow_nan=True, allow_infinity=True),
    st.from_regex(r"1[3-9]\d{9}", fullmatch=True),
    st.from_regex(r"\+?86[ -]?1\d{2}[ -]?\d{4}[ -]?\d{4}", fullmatch=True),
    st.from_regex(r"[A-HJ-NPR-Z0-9]{17}", fullmatch=True),
    st.from_regex(r"20\d\d[-/.]\d{1,2}[-/.]\d{1,2}( \d\d:\d\d(:\d\d)?)?", fullmatch=True),
    st.sampled_from(["=1+1", "@SUM(A1)", "-", "\x00", "\ufeff", "N/A", "是", "否", "5", "10"]),
)
ENCODINGS = ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16", "big5", "latin-1", "shift_jis"]


def table_counts(db: Database) -> dict[str, int]:
    with db.read() as s:
        return {
            t.name: s.scalar(select(func.count()).select_from(t)) or 0
            for t in Base.metadata.sorted_tables
        }


def genuine_xlsx(rows: list[list[Any]]) -> bytes:
    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


GENUINE = genuine_xlsx(
    [["姓名", "手机号", "车架号", "车型"], ["李娜", "13800138000", "LSVAM4187C2184847", "途观L"]]
)


@st.composite
def hostile_file(draw: st.DrawFn) -> tuple[str, bytes]:
    """(suffix, content): random bytes, a broken genuine workbook, or random tables."""
    kind = draw(st.sampled_from(["bytes", "truncated", "mutated", "csv", "xlsx"]))
    if kind == "bytes":
        return draw(st.sampled_from([".xlsx", ".csv", ".xls"])), draw(st.binary(max_size=3000))
    if kind == "truncated":
        return ".xlsx", GENUINE[: draw(st.integers(0, len(GENUINE) - 1))]
    if kind == "mutated":
        data = bytearray(GENUINE)
        for _ in range(draw(st.integers(1, 8))):
            data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
        return ".xlsx", bytes(data)
    headers = draw(st.lists(st.sampled_from(HEADERS), min_size=0, max_size=8))
    width = max(1, len(headers))
    body = draw(st.lists(st.lists(CELL, min_size=0, max_size=width + 1), max_size=12))
    if kind == "csv":
        lines = [headers, *body]
        text = "\n".join(",".join("" if c is None else str(c) for c in r) for r in lines)
        encoding = draw(st.sampled_from(ENCODINGS))
        return ".csv", text.encode(encoding, errors="replace")
    safe = [[ILLEGAL.sub("", c) if isinstance(c, str) else c for c in r] for r in body]
    return ".xlsx", genuine_xlsx([list(headers), *safe])


Importer = Callable[[Database, Path], object]


def _importers(event_id: uuid.UUID) -> dict[str, Importer]:
    return {
        "people": lambda db, p: people_import.import_people(db, p),
        "signups": lambda db, p: signups_import.import_signups(db, event_id, p),
        "attendance": lambda db, p: attendance_import.import_attendance(db, event_id, p),
        "campaigns": lambda db, p: campaigns.import_campaigns(db, p),
        "feedback": lambda db, p: feedback.import_feedback(db, event_id, p),
        "pack": lambda db, p: packs.import_pack(db, p),
        "hq_merge": lambda db, p: hq_merge.merge_hq([p], p.with_name("rollup.xlsx")),
    }


NAMES = list(_importers(uuid.uuid4()))


def feed(db: Database, importer: Importer, path: Path) -> str:
    """'ok' or 'refused'; anything but a PaddockError escapes (and fails the test).
    After a refusal not one row anywhere may have changed."""
    before = table_counts(db)
    try:
        importer(db, path)
    except PaddockError as exc:
        assert str(exc).strip(), "an error must say something"
        assert table_counts(db) == before, f"partial import after: {exc}"
        return "refused"
    return "ok"


@pytest.fixture
def online_event(dealer_sqlite: Database) -> uuid.UUID:
    return make_event(dealer_sqlite, "线上养护课堂", format="online", type="care_class")


@pytest.mark.parametrize("name", NAMES)
def test_hostile_files_get_a_clear_answer_never_a_crash(
    name: str, dealer_sqlite: Database, online_event: uuid.UUID, tmp_path: Path
) -> None:
    importer = _importers(online_event)[name]

    @FUZZ
    @given(hostile_file())
    def check(case: tuple[str, bytes]) -> None:
        suffix, content = case
        path = tmp_path / f"input{suffix}"
        path.write_bytes(content)
        feed(dealer_sqlite, importer, path)

    check()


# --------------------------------------------------------------------------- zip bombs


def zip_bomb(path: Path, unpacked_mb: int, declared: int | None = None) -> Path:
    """A real workbook whose sheet XML inflates to `unpacked_mb` MB of rows.

    Built from one compressed megabyte repeated (full flushes make the deflate blocks
    independent), so a few MB on disk. `declared` lies about the unpacked size."""
    rows = b'<row><c t="inlineStr"><is><t>AAAAAAAAAAAAAAAAAAAA</t></is></c></row>'
    chunk = rows * (1_048_576 // len(rows))
    head = (
        b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns='
        b'"http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    )
    tail = b"</sheetData></worksheet>"
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    start = c.compress(head) + c.flush(zlib.Z_FULL_FLUSH)
    piece = c.compress(chunk) + c.flush(zlib.Z_FULL_FLUSH)
    data = start + piece * unpacked_mb + c.compress(tail) + c.flush()
    size = min(len(head) + len(chunk) * unpacked_mb + len(tail), 0xFFFFFFFE)
    size = size if declared is None else declared
    base = zipfile.ZipFile(io.BytesIO(GENUINE))
    out = io.BytesIO()
    entries: list[tuple[str, int, int, int, int, int]] = []  # name, method, crc, csize, size, off
    sheet = "xl/worksheets/sheet1.xml"
    for info in base.infolist():
        name = info.filename
        if name == sheet:
            body, method, crc, usize = data, 8, 0, size
        else:
            raw = base.read(name)
            body, method, crc, usize = raw, 0, zlib.crc32(raw), len(raw)
        off = out.tell()
        enc = name.encode()
        out.write(
            struct.pack(
                "<IHHHHHIIIHH", 0x04034B50, 20, 0, method, 0, 0, crc, len(body), usize, len(enc), 0
            )
        )
        out.write(enc + body)
        entries.append((name, method, crc, len(body), usize, off))
    cd_start = out.tell()
    for name, method, crc, csize, usize, off in entries:
        enc = name.encode()
        out.write(
            struct.pack(
                "<IHHHHHHIIIHHHHHII",
                0x02014B50,
                20,
                20,
                0,
                method,
                0,
                0,
                crc,
                csize,
                usize,
                len(enc),
                0,
                0,
                0,
                0,
                0,
                off,
            )
        )
        out.write(enc)
    cd_size = out.tell() - cd_start
    out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), cd_size, cd_start, 0))  # fmt: skip
    path.write_bytes(out.getvalue())
    return path


@pytest.fixture(scope="module")
def bombs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("bombs")
    return {
        # 7 MB on disk, says (truthfully) it unpacks to 2.1 GB: the size cap
        "huge": zip_bomb(folder / "huge.xlsx", 2100),
        # 1.7 MB that inflates to 500 MB (under the size cap): the ratio cap
        "dense": zip_bomb(folder / "dense.xlsx", 500),
        # says 1 KB, inflates to 200 MB: the reader stops at the declared size
        "liar": zip_bomb(folder / "liar.xlsx", 200, declared=1000),
    }


@pytest.mark.xdist_group("zip_bombs")  # one worker writes the bombs (module fixture)
@pytest.mark.parametrize("bomb", ["huge", "dense", "liar"])
@pytest.mark.parametrize("name", NAMES)
def test_zip_bombs_are_refused_in_a_blink_without_being_inflated(
    name: str, bomb: str, bombs: dict[str, Path], dealer_sqlite: Database, online_event: uuid.UUID
) -> None:
    started = time.perf_counter()
    try:
        result = feed(dealer_sqlite, _importers(online_event)[name], bombs[bomb])
    except AssertionError:
        raise
    seconds = time.perf_counter() - started
    if name == "hq_merge":  # a report listing the file as rejected (the roll-up goes on)
        assert result in ("ok", "refused")
        assert seconds < 15, f"{seconds:.1f}s"
        return
    assert result == "refused"
    assert seconds < 3, f"{bomb} bomb kept the importer busy {seconds:.1f}s"


@pytest.mark.xdist_group("zip_bombs")
def test_the_zip_bomb_files_really_are_bombs(bombs: dict[str, Path]) -> None:
    for key, path in bombs.items():
        size = path.stat().st_size
        assert size < 8_000_000, key
        with zipfile.ZipFile(path) as zf:
            declared = zf.getinfo("xl/worksheets/sheet1.xml").file_size
        assert declared == 1000 if key == "liar" else declared > 100 * size


# --------------------------------------------------------------------------- odd text files


@pytest.mark.parametrize("name", ["people", "signups", "attendance", "feedback", "campaigns"])
@pytest.mark.parametrize(
    "content",
    [
        pytest.param("姓名,手机号\n" + "李" * 200_000 + ",13800138000\n", id="huge-cell"),
        pytest.param("姓名,手机号\n李娜,13800138000\n" * 3, id="duplicates"),
        pytest.param("\ufeff\ufeff姓名,手机号\r\r\n\x00\x00,\n", id="nul-and-boms"),
        pytest.param('"姓名,手机号\n李娜,"13800138000\n', id="unbalanced-quotes"),
        pytest.param("姓名;手机号\t车型\n李娜;138 0013 8000\t途观\n", id="mixed-delimiters"),
    ],
)
@pytest.mark.parametrize("encoding", ["utf-8", "gbk", "utf-16", "big5"])
def test_odd_text_files_and_wrong_encodings_are_handled(
    name: str,
    content: str,
    encoding: str,
    dealer_sqlite: Database,
    online_event: uuid.UUID,
    tmp_path: Path,
) -> None:
    path = tmp_path / "odd.csv"
    path.write_bytes(content.encode(encoding, errors="replace"))
    feed(dealer_sqlite, _importers(online_event)[name], path)


# --------------------------------------------------------------------------- QR payloads

B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"


def test_random_strings_never_verify_as_tickets() -> None:
    key = os.urandom(32).hex()

    @settings(max_examples=2000, deadline=None)
    @given(
        st.one_of(
            st.text(max_size=60),
            st.from_regex(r"P1\.[A-Z2-7]{8}\.[A-Z2-7]{16}\.[A-Z2-7]{16}", fullmatch=True),
            st.from_regex(r"[pP]1[.。 ][A-Za-z2-7 ]{8,50}", fullmatch=True),
        )
    )
    def check(raw: str) -> None:
        with pytest.raises(payload.TicketInvalid):
            payload.verify(key, raw)

    check()


def mutate(code: str, rnd: random.Random) -> str:
    i = rnd.randrange(len(code))
    how = rnd.choice(["replace", "delete", "insert", "swap"])
    c = rnd.choice(B32 + ".-_/\\0189abcxyz。é中\u200b\n\t ")
    if how == "replace":
        return code[:i] + c + code[i + 1 :]
    if how == "delete":
        return code[:i] + code[i + 1 :]
    if how == "insert":
        return code[:i] + c + code[i:]
    j = min(i + 1, len(code) - 1)
    return code[:i] + code[j] + code[i] + code[j + 1 :] if j != i else code


def test_one_character_changes_of_genuine_payloads_never_verify() -> None:
    key = os.urandom(32).hex()
    event_id = uuid.uuid4()

    @settings(max_examples=1500, deadline=None)
    @given(st.integers(0, 2**32))
    def check(seed: int) -> None:
        rnd = random.Random(seed)
        genuine = payload.issue(key, event_id).code
        raw = mutate(genuine, rnd)
        assume(payload.normalise(raw) != genuine)  # a case or blank change is the same ticket
        with pytest.raises(payload.TicketInvalid):
            payload.verify(key, raw)

    check()


def test_the_desk_accepts_only_genuine_scans(dealer_sqlite: Database) -> None:
    event_id = make_event(dealer_sqlite)
    seats = [
        register(dealer_sqlite, event_id, f"车主{i}", f"+86139000000{i:02d}") for i in range(5)
    ]
    genuine = {s.code for s in seats}
    shorts = {s.short_code for s in seats}
    assert ticket_key(dealer_sqlite)
    rnd = random.Random(20261124)

    @settings(
        max_examples=int(os.environ.get("PADDOCK_FUZZ_EXAMPLES", "30")) * 4,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture],
    )
    @given(st.one_of(st.text(max_size=60), st.integers(0, 2**32)))
    def check(case: str | int) -> None:
        raw = case if isinstance(case, str) else mutate(rnd.choice(sorted(genuine)), rnd)
        norm = payload.normalise(raw)
        assume(norm not in genuine and norm.replace("-", "") not in shorts)
        before = table_counts(dealer_sqlite)["registrations"]
        try:
            out = checkin.scan(dealer_sqlite, event_id, raw, desk="F")
        except PaddockError:
            return
        assert out.result != "accepted", raw
        assert table_counts(dealer_sqlite)["registrations"] == before

    check()
    # and the genuine ones still pass (the fuzzing did not break the desk)
    assert checkin.scan(dealer_sqlite, event_id, seats[0].code, desk="F").result == "accepted"
