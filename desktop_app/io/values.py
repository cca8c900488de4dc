"""Parsers for the values people type into spreadsheets and forms: dates, times, durations,
head counts, yes/no, multi-select answers, empty markers and phone numbers.

Every parser takes a cell as `read_table` gives it (str, date, datetime, time, timedelta or
None; numbers arrive as canonical text like "45000" or "3.5") and returns a Python value,
None for an empty cell, or raises CellError (a ValueError) whose message a person understands,
with a message code so importers can say it in Chinese too.

Date ordering rules (text): a 4-digit year first is always Y-M-D (2023/5/6, 2023-05-06,
2023.5.6, 2023年5月6日, 20230506). A year last is M/D/Y by default, as Zoom and US Excel
write it (5/6/2023 is May 6th, 2023), unless the first number is > 12
(13/5/2023 can only be D/M/Y); pass `day_first=True` for files known to be D/M/Y, and
`infer_day_first` decides that for a whole column. Month names are read too (Dec 7, 2026;
7 Dec 2026; 07-Dec-2026). Two-digit years are refused (ambiguous century). A bare number of 1–6 digits (optionally with a fraction) is an Excel
serial date in the 1900 system, including Excel's fake 1900-02-29 (serial 60). "No date" as
systems write it is empty, not an error: 0000-00-00 (MySQL's zero date), 1900-01-00 and a
date cell holding 0 (Excel's day 0).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache
from operator import mul

import phonenumbers

from desktop_app.domain.messages import text as message
from desktop_app.domain.phone import PhoneError, PhoneProblem, normalise_phone

Cell = object


class CellError(ValueError):
    """A cell a parser cannot read. `str(err)` is English; `code` and `params` name the
    message (domain/messages.py) so an import can give the reason in Chinese too."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(message(code, "en", **params))
        self.code = code
        self.params = params


# --------------------------------------------------------------------------- empties

# 问卷星 writes (空) for an unanswered optional question and (跳过) for a skipped one (also
# without the brackets once a sheet is retyped or re-saved); its "按选项序号" download uses -2
# (skipped) and -3 (not shown).
EMPTY_MARKERS = frozenset(
    {"", "(空)", "(跳过)", "-2", "-3", "N/A", "n/a", "NA", "null", "NULL", "None", "--", "—", "-"}
    | {"空", "跳过", "(未填写)", "未填写"}
)


def clean(value: Cell) -> Cell:
    """A cell with empty markers turned into None; text NFKC-normalised and trimmed."""
    if value is None:
        return None
    if isinstance(value, str):
        text = value.strip() if value.isascii() else unicodedata.normalize("NFKC", value).strip()
        return None if text in EMPTY_MARKERS else text
    return value


# Words for "none" people type into any column of a customer list (暂无 = none yet), and
# what a car not registered yet has for a plate. Not EMPTY_MARKERS: 无 also answers a
# yes/no question (parse_bool).
NONE_WORDS = frozenset(
    {"无", "暂无", "没有", "未知", "不详", "未填", "未提供", "空", "待定", "待补充", "/", "\\", "?"}
    | {"无牌", "暂无牌照", "未上牌", "未挂牌", "待上牌", "临牌", "临时牌照"}
)


def text_or_none(value: Cell) -> str | None:
    """The cell as trimmed text, or None when empty (dates become ISO text)."""
    value = clean(value)
    if value is None:
        return None
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return str(value)


# --------------------------------------------------------------------------- dates

EXCEL_EPOCH = datetime(1899, 12, 30)  # serial 1 = 1900-01-01 given the 1900 leap-year bug
_SERIAL = re.compile(r"^\d{1,6}(?:\.\d+)?$")
_YMD = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_YMD_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_DMY_OR_MDY = re.compile(r"^(\d{1,2})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{4})$")
_TWO_DIGIT_YEAR = re.compile(r"^\d{1,2}\s*[-/.]\s*\d{1,2}\s*[-/.]\s*\d{2}$")
_DATE_SPACES = re.compile(r"\s*([年月日/.-])\s*")
_DATE_MIN, _DATE_MAX = date(1900, 1, 1), date(2200, 12, 31)
_FULL_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
                "september", "october", "november", "december")  # fmt: skip
_MONTHS = {name: i for i, full in enumerate(_FULL_MONTHS, 1) for name in (full, full[:3])}
_MONTHS["sept"] = 9
_MONTH_NAME_DATE = re.compile(
    r"^(?:(?P<mon>[a-z]{3,9})\.?\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>\d{4})"
    r"|(?P<day2>\d{1,2})[\s-]+(?P<mon2>[a-z]{3,9})\.?,?[\s-]+(?P<year2>\d{4}))"
    r"(?:(?:\s+|,\s*|T)(?P<rest>\S.*))?$",
    re.IGNORECASE,
)
_YEAR_LAST = re.compile(r"^\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{4})(?!\d)")
_INFER_SAMPLE = 2000


def excel_serial_to_datetime(serial: float) -> datetime:
    """Excel 1900-system serial → datetime. Serial 60 (the fake 1900-02-29) is refused."""
    if serial < 1 or serial >= 2958466:
        raise CellError("cell_serial_range", serial=f"{serial:g}")
    if 60 <= serial < 61:
        raise CellError("cell_fake_leap_day")
    if serial < 60:  # before the fake leap day Excel's count is one day ahead
        serial += 1
    return EXCEL_EPOCH + timedelta(days=serial)


def _make_date(y: int, m: int, d: int, raw: str) -> date:
    try:
        result = date(y, m, d)
    except ValueError:
        raise CellError("cell_unreal_date", raw=repr(raw), m=m, d=d) from None
    if not _DATE_MIN <= result <= _DATE_MAX:
        raise CellError("cell_date_range", raw=repr(raw))
    return result


def _month_name_date(text: str) -> tuple[date, str | None] | None:
    """'Dec 7, 2026 7:00 PM' → (2026-12-07, '7:00 PM'); None when it is not that form."""
    m = _MONTH_NAME_DATE.match(text.strip())
    if not m:
        return None
    month = _MONTHS.get((m["mon"] or m["mon2"]).lower())
    if month is None:
        return None
    day, year = int(m["day"] or m["day2"]), int(m["year"] or m["year2"])
    return _make_date(year, month, day, text), m["rest"]


def infer_day_first(values: Iterable[Cell], near: date | None = None) -> bool:
    """Whether one column's dates written with the year last (07/12/2026) are D/M/Y.

    A first number over 12 anywhere says D/M/Y, a second one over 12 says M/D/Y (if both
    occur the column is mixed: M/D/Y, and each value decides alone as before). When every
    value reads both ways, the reading that puts the dates nearer to `near` (the event's
    day, say) wins; with nothing to go by, M/D/Y as Zoom and US Excel write it.
    """
    day_over, month_over = False, False
    seen: list[tuple[int, int, int]] = []
    for value in values:
        if not isinstance(value, str) or not (m := _YEAR_LAST.match(value)):
            continue
        a, b, y = int(m[1]), int(m[2]), int(m[3])
        day_over, month_over = day_over or a > 12, month_over or b > 12
        if len(seen) < _INFER_SAMPLE:
            seen.append((a, b, y))
    if day_over != month_over:
        return day_over
    if day_over or near is None or not seen:
        return False

    def distance(first_is_day: bool) -> float:
        total = 0.0
        for a, b, y in seen:
            d, mo = (a, b) if first_is_day else (b, a)
            try:
                total += abs((date(y, mo, d) - near).days)
            except ValueError:
                return float("inf")
        return total

    return distance(True) < distance(False)


def _no_date(y: int, m: int, d: int) -> bool:
    """0000-00-00 (MySQL's zero date) or 1900-01-00 (Excel's day 0): a system's "no date"."""
    return y == 0 or (y, m, d) == (1900, 1, 0)


def parse_date(value: Cell, *, day_first: bool = False) -> date | None:
    """A date from a date cell, an Excel serial or text (see the module doc for the rules)."""
    value = clean(value)
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if value == time(0):  # a date cell holding 0: Excel shows 1900-01-00
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return excel_serial_to_datetime(float(value)).date()
    raw = str(value)
    text = _DATE_SPACES.sub(r"\1", raw)
    if re.match(r"^\d{4}\D", text):  # drop a time part: '2023-05-06 00:00:00'
        text = re.split(r"[ T]", text, maxsplit=1)[0]
    if m := _YMD.match(text) or _YMD_COMPACT.match(text):
        if _no_date(int(m[1]), int(m[2]), int(m[3])):
            return None
        return _make_date(int(m[1]), int(m[2]), int(m[3]), raw)
    if m := _DMY_OR_MDY.match(text.split(" ")[0]):
        a, b, y = int(m[1]), int(m[2]), int(m[3])
        if day_first or a > 12:
            return _make_date(y, b, a, raw)
        return _make_date(y, a, b, raw)
    if _TWO_DIGIT_YEAR.match(text):
        raise CellError("cell_two_digit_year", raw=repr(raw))
    if _SERIAL.match(raw):
        return excel_serial_to_datetime(float(raw)).date()
    if named := _month_name_date(raw):
        return named[0]
    raise CellError("cell_not_date", raw=repr(raw))


_TIME = re.compile(
    r"^(\d{1,2})[:：](\d{2})(?:[:：](\d{2})(?:\.\d+)?)?\s*(AM|PM|上午|下午)?$", re.IGNORECASE
)
_AMPM_FIRST = re.compile(r"^(上午|下午|AM|PM)\s*(.+)$", re.IGNORECASE)
# 9时05分, 9点05分07秒 (Chinese clock words) → 9:05, 9:05:07
_CN_CLOCK = re.compile(r"(\d{1,2})\s*[时点]\s*(\d{1,2})\s*分(?:\s*(\d{1,2})\s*秒)?")
# A UTC offset by name: '(GMT+09:00) Osaka', 'UTC+8', 'GMT-05:30', 'UTC'.
NAMED_ZONE = re.compile(
    r"[(\[（]?\s*(?<![a-z])(?:GMT|UTC)(?![a-z])\s*(?:([+\-−])\s*(\d{1,2})(?::?(\d{2}))?)?\s*[)\]）]?",
    re.IGNORECASE,
)
_OFFSET_AT_END = re.compile(r"\s([+\-−])(\d{2}):?(\d{2})\s*$")  # '… 09:05 +0800'


def _offset(sign: str | None, hours: str | None, minutes: str | None) -> timezone | None:
    h, m = int(hours or 0), int(minutes or 0)
    if h > 14 or m > 59:
        return None
    offset = timedelta(hours=h, minutes=m)
    return timezone(-offset if sign in ("-", "−") else offset)


def zone_hint(text: object) -> timezone | None:
    """The UTC offset a header, cell or label names ('(GMT+09:00) Osaka, Sapporo, Tokyo',
    'UTC+8', 'UTC'), or None when it names none."""
    if not isinstance(text, str) or not (m := NAMED_ZONE.search(text)):
        return None
    return _offset(m[1], m[2], m[3])


def _cn_clock(text: str) -> str:
    return _CN_CLOCK.sub(
        lambda m: f"{m[1]}:{int(m[2]):02d}" + (f":{int(m[3]):02d}" if m[3] else ""), text
    )


def _split_zone(text: str) -> tuple[str, timezone | None]:
    """'2026-11-03 09:05 +0800' → ('2026-11-03 09:05', UTC+8): a zone written after a
    time (by name, or as +0800 / +08:00); no zone → (text, None)."""
    m = _OFFSET_AT_END.search(text)
    if m is None:
        m = next((z for z in NAMED_ZONE.finditer(text) if not text[z.end() :].strip()), None)
    if m is None or not re.search(r"\d[:：]\d", text[: m.start()]):  # a zone after a time only
        return text, None
    zone = _offset(m[1], m[2], m[3])
    return (text[: m.start()], zone) if zone is not None else (text, None)


def parse_time(value: Cell) -> time | None:
    """'12:00', '9:54:15 AM', '下午 3:05' → time."""
    value = clean(value)
    if value is None:
        return None
    if isinstance(value, time):
        return value
    if isinstance(value, datetime):
        return value.time()
    raw = str(value).strip()
    text = _cn_clock(raw)
    if m := _AMPM_FIRST.match(text):
        text = f"{m[2]} {m[1]}"
    m = _TIME.match(text)
    if not m:
        raise CellError("cell_not_time_hint", raw=repr(raw))
    h, mi, s = int(m[1]), int(m[2]), int(m[3] or 0)
    half = (m[4] or "").upper()
    if half in ("PM", "下午") and h < 12:
        h += 12
    elif half in ("AM", "上午") and h == 12:
        h = 0
    if h > 23 or mi > 59 or s > 59:
        raise CellError("cell_not_time", raw=repr(raw))
    return time(h, mi, s)


def parse_datetime(value: Cell, *, day_first: bool = False) -> datetime | None:
    """A naive local datetime: '2023/10/1 12:00:00', '10/01/2023 09:54:15 AM',
    '2023-10-01T12:00', an Excel serial with a fraction, or a datetime cell.

    A date alone gives midnight. ISO text with an offset keeps its tzinfo (aware).
    """
    value = clean(value)
    if value is None:
        return None
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime.combine(value, time())
    raw = str(value)
    if _SERIAL.match(raw):
        return excel_serial_to_datetime(float(raw)).replace(microsecond=0)
    iso = raw.replace("Z", "+00:00")
    if re.match(r"^\d{4}-\d{2}-\d{2}T", iso):
        try:
            return datetime.fromisoformat(iso)
        except ValueError:
            pass
    raw, zone = _split_zone(_cn_clock(raw))
    if zone is not None:  # the time said its zone: keep it (aware), as ISO text does
        local = parse_datetime(raw, day_first=day_first)
        return local.replace(tzinfo=zone) if local is not None else None
    if named := _month_name_date(raw):
        day, rest = named
        try:
            clock = parse_time(rest) if rest else None
        except ValueError:
            raise CellError("cell_bad_time_part", raw=repr(raw), part=repr(rest)) from None
        return datetime.combine(day, clock or time())
    parts = raw.replace("T", " ").split(None, 1)
    if not parts:  # e.g. a lone "T"
        raise CellError("cell_not_datetime", raw=repr(raw))
    day = parse_date(parts[0], day_first=day_first)
    zero = day is None and (m := _YMD.match(_DATE_SPACES.sub(r"\1", parts[0])))
    if zero and _no_date(int(m[1]), int(m[2]), int(m[3])):  # 0000-00-00 00:00:00
        return None
    if day is None:  # the date part is an empty marker, e.g. "- 0"
        raise CellError("cell_not_datetime", raw=repr(raw))
    if len(parts) == 1:
        return datetime.combine(day, time())
    try:
        clock = parse_time(parts[1])
    except ValueError:
        raise CellError("cell_bad_time_part", raw=repr(raw), part=repr(parts[1])) from None
    return datetime.combine(day, clock or time())


# --------------------------------------------------------------------------- durations

_HMS = re.compile(r"^(\d+):(\d{1,2})(?::(\d{1,2}))?$")
_UNIT = re.compile(
    r"(\d+(?:\.\d+)?)\s*(小时|时|h|hr|hrs|hours?|分钟|分|min|mins|minutes?|m|秒钟|秒|s|sec|secs|seconds?)",
    re.IGNORECASE,
)
_UNIT_SECONDS = {"小时": 3600, "时": 3600, "h": 3600, "hr": 3600, "hrs": 3600, "hour": 3600}
_UNIT_SECONDS |= {"hours": 3600, "分钟": 60, "分": 60, "min": 60, "mins": 60, "minute": 60}
_UNIT_SECONDS |= {"minutes": 60, "m": 60, "秒钟": 1, "秒": 1, "s": 1, "sec": 1, "secs": 1}
_UNIT_SECONDS |= {"second": 1, "seconds": 1}


MAX_DURATION_DAYS = 366


def _span(seconds: float, raw: str) -> timedelta:
    if seconds > MAX_DURATION_DAYS * 86400:
        raise CellError("cell_duration_too_long", raw=repr(raw))
    return timedelta(seconds=seconds)


_BARE_SECONDS = {"seconds": 1, "minutes": 60, "hours": 3600}


def parse_duration(value: Cell, *, bare_unit: str = "minutes") -> timedelta | None:
    """'0:30:00' / '1:05' (H:MM) / '85秒' / '30分钟' / '1小时20分' / '1h 5m' / a number.

    A bare number is in `bare_unit` ("minutes" as Zoom's Duration (Minutes), "seconds" or
    "hours"). A time-of-day cell from Excel (time or timedelta) is a duration too.
    """
    value = clean(value)
    if value is None:
        return None
    if isinstance(value, timedelta):
        return value
    if isinstance(value, time):
        return timedelta(hours=value.hour, minutes=value.minute, seconds=value.second)
    raw = str(value)
    text = raw.replace(" ", "")
    if re.fullmatch(r"\d+(?:\.\d+)?", text):
        return _span(float(text) * _BARE_SECONDS[bare_unit], raw)
    if m := _HMS.match(text):
        h, mi, s = int(m[1]), int(m[2]), int(m[3] or 0)
        if mi > 59 or s > 59:
            raise CellError("cell_duration_59", raw=repr(raw))
        return _span(h * 3600 + mi * 60 + s, raw)
    matches = list(_UNIT.finditer(text))
    if matches and "".join(m[0] for m in matches) == text:
        seconds = sum(float(m[1]) * _UNIT_SECONDS[m[2].lower()] for m in matches)
        return _span(seconds, raw)
    raise CellError("cell_not_duration", raw=repr(raw))


# --------------------------------------------------------------------------- counts

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "壹": 1, "二": 2, "两": 2, "贰": 2, "俩": 2, "三": 3}
_CN_DIGITS |= {"叁": 3, "仨": 3, "四": 4, "肆": 4, "五": 5, "伍": 5, "六": 6, "陆": 6, "七": 7}
_CN_DIGITS |= {"柒": 7, "八": 8, "捌": 8, "九": 9, "玖": 9}


def chinese_number(text: str) -> int:
    """一..九十九: '三' → 3, '十' → 10, '十二' → 12, '二十' → 20, '两' → 2."""
    if text.isdigit():
        return int(text)
    if text in _CN_DIGITS:
        return _CN_DIGITS[text]
    if "十" in text or "拾" in text:
        tens, _, ones = text.replace("拾", "十").partition("十")
        t = _CN_DIGITS.get(tens, -1) if tens else 1
        o = _CN_DIGITS.get(ones, -1) if ones else 0
        if t >= 0 and o >= 0 and len(tens) <= 1 and len(ones) <= 1:
            return t * 10 + o
    raise CellError("cell_not_number", raw=repr(text))


_COUNT_NUM = r"(\d+|[零〇一壹二两贰俩三叁仨四肆五伍六陆七柒八捌九玖十拾]+)"
_PEOPLE_UNITS = r"(?:个人|[个位名口人])?(?:大人|成人|小孩|儿童|孩子|小朋友|大|小|娃)?"
_COUNT_PART = re.compile(_COUNT_NUM + _PEOPLE_UNITS + r"[+、,和与及]?")
_SELF = re.compile(r"^(本人|自己|我|1人?)\s*[+＋加和]\s*(.+)$")
# A single-choice head count's option text: "仅本人", "4人及以上" (at least 4), "2人(含本人)".
_ONLY_SELF = frozenset({"本人", "仅本人", "只有本人", "本人一人", "自己", "我自己", "仅自己", "只有我",
                        "就我", "就我自己", "我一个人", "独自", "单人"})  # fmt: skip
_AT_LEAST = re.compile(r"^(?:至少)?(.+?)(?:及以上|或以上|以上|及更多|或更多|\+)$")
_NOTE = re.compile(r"\(([^()]*)\)")


# "Nobody" as people answer a head count (同行人数: 无): zero. Not a NONE_WORD: those
# leave a column empty, and 无 also answers a yes/no question.
ZERO_COUNT = frozenset(
    {"无", "没有", "没", "不带", "不带人", "暂无", "无人", "没人", "零", "无同行", "无同行人",
     "没有同行", "没有同行人", "不携带", "none", "no", "nobody", "zero"}
)  # fmt: skip
# A range: 2-3人, 2~3位, 2到3个, 2至3人, 两三个 (two or three).
_RANGE = re.compile(
    r"^" + _COUNT_NUM + r"(?:人|位|个|名)?\s*(?:-|~|～|—|–|到|至)\s*" + _COUNT_NUM + r"(.*)$"
)
_TWO_NEIGHBOURS = {"一两": (1, 2), "两三": (2, 3), "三四": (3, 4), "四五": (4, 5), "五六": (5, 6)}


@dataclass(frozen=True, slots=True)
class Count:
    """A head count as read: `n`, and for a range ("2-3人") its lower bound `low` (`n` is
    the upper bound: seats are planned for everyone who may come)."""

    n: int
    low: int | None = None

    @property
    def is_range(self) -> bool:
        return self.low is not None


def read_count(value: Cell) -> Count | None:
    """A head count (parse_count's forms), also "nobody" (无 / 没有 / 不带 / 暂无 → 0) and a
    range ("2-3人", "两三个" → upper bound, with `low` set so the caller can say so)."""
    value = clean(value)
    if value is None:
        return None
    text = re.sub(r"\s+", "", str(value))
    if text.lower() in ZERO_COUNT:
        return Count(0)
    if m := _RANGE.match(text):
        try:
            low, high = chinese_number(m[1]), chinese_number(m[2])
            rest = parse_count(m[2] + m[3]) if m[3] else high
        except ValueError:
            low, rest = -1, None
        if rest is not None and 0 <= low < rest:
            return Count(rest, low)
    for words, (low, high) in _TWO_NEIGHBOURS.items():
        if (
            text.startswith(words)
            and (tail := text[len(words) :])
            and (re.fullmatch(_PEOPLE_UNITS, tail))
        ):
            return Count(high, low)
    n = parse_count(value)
    return None if n is None else Count(n)


def parse_count(value: Cell) -> int | None:
    """Head counts as people type them: '3', '3人', '两个', '两位', '一家三口' (3),
    '1大1小' (2), '2大1小' (3), '2个大人1个小孩' (3), '本人+1' (2), '三' (3), and form
    options: '仅本人' (1), '4人及以上' / '3+' (the least: 4, 3), '2人(含本人)' (2; a note in
    brackets is read only when nothing outside it is a count). Must be ≥ 0."""
    value = clean(value)
    if value is None:
        return None
    raw = str(value)
    text = re.sub(r"\s+", "", raw)
    if _NOTE.search(text):
        outside = _NOTE.sub("", text)
        inside = _NOTE.findall(text)
        for part in (outside, *inside):
            try:
                if (n := parse_count(part)) is not None:
                    return n
            except ValueError:
                continue
        raise CellError("cell_not_count_hint", raw=repr(raw))
    if re.fullmatch(r"\d+(?:\.0+)?", text):
        return int(float(text))
    if text in _ONLY_SELF:
        return 1
    if (m := _AT_LEAST.match(text)) and m[1] != text:
        return parse_count(m[1])
    if m := _SELF.match(text):
        rest = parse_count(m[2])
        if rest is None:
            raise CellError("cell_not_count", raw=repr(raw))
        return 1 + rest
    if m := re.fullmatch(r"一家" + _COUNT_NUM + "口", text):
        return chinese_number(m[1])
    parts = list(_COUNT_PART.finditer(text))
    if parts and "".join(p[0] for p in parts) == text:
        try:
            return sum(chinese_number(p[1]) for p in parts)
        except ValueError:
            pass
    raise CellError("cell_not_count_hint", raw=repr(raw))


def parse_int(value: Cell) -> int | None:
    """A whole number from '12', '12.0', ' 12 ', '十二'."""
    value = clean(value)
    if value is None:
        return None
    text = str(value).replace(",", "").strip()
    if re.fullmatch(r"-?\d+(?:\.0+)?", text):
        return int(float(text))
    try:
        return chinese_number(text)
    except ValueError:
        raise CellError("cell_not_int", raw=repr(value)) from None


# --------------------------------------------------------------------------- choices

_TRUE = frozenset({"是", "y", "yes", "true", "1", "√", "✓", "✔", "对", "有", "要", "需要", "同意"})
_FALSE = frozenset({"否", "n", "no", "false", "0", "×", "✗", "✘", "x", "不", "无", "不需要"})
_FALSE |= {"不要", "不同意", "没有"}


def parse_bool(value: Cell) -> bool | None:
    """是/否, Y/N, yes/no, true/false, 1/0, √/×, 同意/不同意."""
    value = clean(value)
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise CellError("cell_not_bool", raw=repr(value))


_OTHER_FILL = re.compile(r"〖(.*?)〗")


def parse_multi(value: Cell) -> tuple[str, ...]:
    """A multi-select answer: 问卷星 joins choices with ┋ ('A┋B┋其他〖自填〗'); also
    accepts | ; ； 、 and newlines. "Other" fill-ins in 〖…〗 are kept as 'Other: text'."""
    value = clean(value)
    if value is None:
        return ()
    parts = re.split(r"[┋|;；、\n]", str(value))
    out = []
    for part in parts:
        part = part.strip()
        if not part or part in EMPTY_MARKERS:
            continue
        out.append(fill_in(part))
    return tuple(out)


def fill_in(answer: str) -> str:
    """A choice with an "other" fill-in as 问卷星 writes it, '其他〖带狗〗' → '其他: 带狗'
    (an empty fill-in leaves the label); any other text as it is."""
    if m := _OTHER_FILL.search(answer):
        label = answer[: m.start()].strip()
        fill = m[1].strip()
        return f"{label}: {fill}" if fill else label
    return answer


# --------------------------------------------------------------------------- identifiers

_PHONE_JUNK = re.compile(r"[\s\-()（）.]")
# Excel shows an 11-digit number typed into a General cell as 1.38123E+10 and a CSV saved
# from it keeps only that: the last digits are gone.
_SCIENTIFIC = re.compile(r"[+]?\d(?:\.\d+)?[eE]\+?\d{1,2}")
# A note after the number, without digits: '18600001234(已验证)', '138…【本人】'.
_PHONE_TRAILING_NOTE = re.compile(r"\s*[(\[【][^()\[\]【】\d]*[)\]】]\s*$")


@lru_cache(maxsize=1)
def _cn_mobile() -> re.Pattern[str]:
    """A mainland mobile, as compact text ('+8613812345678', '13812345678'), decided on
    libphonenumber's own CN patterns so the fast path decides exactly like it: an 11-digit
    national number (group "n") that fits the general and the mobile pattern and none of
    the types number_type() checks before mobile."""
    meta = phonenumbers.PhoneMetadata.metadata_for_region("CN")
    assert meta is not None

    def text(desc: object) -> str | None:
        return getattr(desc, "national_number_pattern", None)

    general, mobile = text(meta.general_desc), text(meta.mobile)
    assert general is not None and mobile is not None
    # A match on any of these means number_type() is not MOBILE.
    earlier = [
        t
        for d in (
            meta.premium_rate,
            meta.toll_free,
            meta.shared_cost,
            meta.voip,
            meta.personal_number,
            meta.pager,
            meta.uan,
            meta.voicemail,
        )
        if (t := text(d))
    ]
    other = "|".join(f"(?:{t})" for t in earlier)
    return re.compile(
        rf"(?:\+86|0086|86)?(?=1\d{{10}}\Z)(?=(?:{general})\Z)"
        + (rf"(?!(?:{other})\Z)" if other else "")
        + rf"(?P<n>{mobile})"
    )


_TEN_DIGITS = re.compile(r"(?:\+?86|0086)?1\d{9}")


def parse_phone(value: Cell) -> str | None:
    """E.164 mobile number, or None when empty; raises ValueError (domain PhoneError) with
    the reason. The common mainland case is decided on libphonenumber's CN patterns
    directly (50× faster); everything else goes through domain.phone.normalise_phone."""
    if value.__class__ is str and value.isascii() and (m := _cn_mobile().fullmatch(value)):
        return "+86" + m["n"]  # already compact: nothing to clean or take out
    value = clean(value)
    if value is None:
        return None
    text = str(value)
    compact = _PHONE_JUNK.sub("", text)
    if m := _cn_mobile().fullmatch(compact):
        return "+86" + m["n"]
    if _TEN_DIGITS.fullmatch(compact):
        raise PhoneError(
            PhoneProblem("too_short", f"{text!r} has 10 digits; a mobile number has 11")
        )
    if _SCIENTIFIC.fullmatch(text):
        raise PhoneError(
            PhoneProblem(
                "scientific",
                f"{text!r} is a number Excel shortened (E+ notation): its last digits are "
                "lost; format the phone column as text and export again",
            )
        )
    if (bare := _PHONE_TRAILING_NOTE.sub("", text)) != text and bare:
        return parse_phone(bare)
    return normalise_phone(text)


# Several numbers in one cell: 13800138000/13900139000, 021-12345678；138…, a line each.
_PHONE_LIST = re.compile(r"\s*(?:[/,，;；、|\n]|或|和|及)\s*")
_PHONE_LABEL = re.compile(r"^[^\d+]{1,8}[:：]\s*")  # 手机：…, 本人:…
_PHONE_NOTE = re.compile(r"\s*[(（][^)）]*[)）]\s*")  # …（微信同号）, …(本人)
_MOBILE_IN_TEXT = re.compile(r"(?<!\d)(?:(?:\+|00)?86[\s-]?)?1\d{2}(?:[\s-]?\d){8}(?!\d)")


def parse_phone_cell(value: Cell) -> tuple[str | None, tuple[str, ...]]:
    """(E.164 mobile, the other numbers) of a cell that may hold more than one number:
    '13800138000/13900139000', '021-12345678 13700001111', '138 0013 8000（微信同号）',
    '手机：13600001111'. The first mobile is the phone; the other numbers (as written) are
    not imported. A cell without any mobile raises parse_phone's reason for the whole
    cell (a landline alone, 10 digits, a masked number stay refused)."""
    try:
        return parse_phone(value), ()
    except PhoneError as whole:
        first = whole
    found: dict[str, str] = {}  # E.164 → the number as written, first seen first
    others: list[str] = []
    for piece in _PHONE_LIST.split(str(clean(value))):
        piece = _PHONE_NOTE.sub(" ", _PHONE_LABEL.sub("", piece)).strip()
        candidates = [piece] if piece else []
        if piece and (inside := [m[0] for m in _MOBILE_IN_TEXT.finditer(piece)]):
            candidates = inside if len(inside) > 1 or inside[0] != piece else candidates
        for number in candidates:
            try:
                found.setdefault(parse_phone(number) or "", number)
            except PhoneError:
                if sum(c.isdigit() for c in number) >= 7:
                    others.append(number)
    found.pop("", None)
    if not found:
        raise first
    phone, *more = found
    return phone, tuple(dict.fromkeys((*(found[m] for m in more), *others)))


_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")


def parse_email(value: Cell) -> str | None:
    value = clean(value)
    if value is None:
        return None
    text = str(value).strip()
    if not _EMAIL.match(text):
        raise CellError("cell_not_email", raw=repr(text))
    return text.lower()


_VIN_OK = re.compile(r"^[A-HJ-NPR-Z0-9]{17}$")
_VIN_JUNK = re.compile(r"[\s\-·\u200b\u2060\ufeff]")
_VIN_VALUE = {
    **{str(d): d for d in range(10)},
    **dict(zip("ABCDEFGH", range(1, 9), strict=True)),
    **dict(zip("JKLMN", range(1, 6), strict=True)),
    "P": 7,
    "R": 9,
    **dict(zip("STUVWXYZ", range(2, 10), strict=True)),
}
_VIN_WEIGHTS = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)


_VIN_TYPOS = str.maketrans("IOQ", "100")  # letters a VIN never has, typed for digits


def compact_vin(value: Cell) -> str:
    """A VIN cell as parse_vin reads it: upper case, without spaces, '-' or '·'."""
    return _VIN_JUNK.sub("", str(clean(value) or "")).upper()


def _vin_checks(text: str) -> bool:
    if not _VIN_OK.match(text):
        return False
    rest = sum(map(mul, map(_VIN_VALUE.__getitem__, text), _VIN_WEIGHTS)) % 11
    return text[8] == ("X" if rest == 10 else str(rest))


def parse_vin(value: Cell) -> str | None:
    """Upper-case VIN with a valid 9th-digit check (GB 16735), None when empty; raises
    ValueError (domain VinError) with the reason. Well-formed VINs are checked here
    directly; anything else goes to domain.vehicle_ids.normalise_vin for its reason.

    A VIN never has I, O or Q: one typed with them for 1 and 0 is read as the digits when
    the check digit then holds (compare with compact_vin to tell the user)."""
    if value.__class__ is str and _VIN_OK.fullmatch(value):
        text = value  # already compact: nothing to clean or take out
    else:
        value = clean(value)
        if value is None:
            return None
        text = _VIN_JUNK.sub("", str(value)).upper()
    if _VIN_OK.match(text):  # the common case, inline (50k rows: one call each)
        rest = sum(map(mul, map(_VIN_VALUE.__getitem__, text), _VIN_WEIGHTS)) % 11
        if text[8] == ("X" if rest == 10 else str(rest)):
            return text
    if len(text) == 17 and (fixed := text.translate(_VIN_TYPOS)) != text and _vin_checks(fixed):
        return fixed
    from desktop_app.domain.vehicle_ids import normalise_vin

    return normalise_vin(text)


_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_SPACE_IN_HAN = re.compile(f"(?<=[{_HAN}])\\s+(?=[{_HAN}])")
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200e\u200f\u2060\ufeff"))  # copied from chats


def clean_name(value: Cell) -> str | None:
    """A person's name as text: runs of spaces as one, none between Chinese characters
    (王　芳 padded to line up with three-character names is 王芳; 'Tom Lee' keeps its), no
    zero-width spaces. Text is taken as read_table gives it (already NFKC)."""
    text = value if isinstance(value, str) else text_or_none(value)
    if not text or text in EMPTY_MARKERS:
        return None
    if " " not in text and text.isprintable():  # most names: as they are
        return text
    text = " ".join(text.translate(_INVISIBLE).split())
    return _SPACE_IN_HAN.sub("", text) or None
