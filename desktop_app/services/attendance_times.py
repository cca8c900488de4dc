"""Join and leave times as participant exports write them, to aware datetimes.

desktop_app.io.values reads the common forms (2026-11-03 21:05:00, 11/03/2026 09:05 PM,
Nov 3, 2026 9:05 PM, 2026年11月3日 21:05). On top of that, what attendance exports do:

- A UTC offset in the column's header ("Join Time (GMT+08:00)", "入会时间(UTC+8)",
  "Join time (UTC)"), in the cell, or as the meeting block's 时区 / Time Zone, is the zone
  of those times: a head office's Zoom account on Tokyo time or on UTC. Else the event's.
- A date without a year ("11-03 21:02", "11月3日 21:02", 钉钉) is the day nearest the
  event's (month-day or day-month, this year or the next or last); "2026年11月3日21:05" (no space) and 午前 / 午後 (Japanese)
  are read too.
- A time of day alone ("21:05", "0:20") is placed in the 24 hours from 6 hours before
  the event's start: people join a little early and stay late, past midnight.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

from desktop_app.io.tables import Cell
from desktop_app.io.values import NAMED_ZONE, CellError, parse_datetime, parse_time, zone_hint

EARLY = timedelta(hours=6)  # a time of day alone is at most this long before the start
_YEARLESS = re.compile(r"^(\d{1,2})\s*[-/月]\s*(\d{1,2})\s*日?(?:\s+(\S.*))?$")
_DAY_THEN_CLOCK = re.compile(r"日(?=\d)")
_JA_HALF = {"午前": " AM ", "午後": " PM "}


@dataclass(frozen=True, slots=True)
class Clock:
    """Where a file's times are: the event's start (aware) and the zone they are in."""

    start: datetime | None
    zone: tzinfo

    def local_start(self) -> datetime | None:
        return self.start.astimezone(self.zone).replace(tzinfo=None) if self.start else None


def _with_year(m: re.Match[str], near: date) -> str | None:
    """'11-03 21:02' → '2026-11-03 21:02': the reading (month-day, or day-month when that
    is the only one or nearer) and the year that put it nearest `near`."""
    a, b = int(m[1]), int(m[2])
    best: date | None = None
    for month, day in ((a, b), (b, a)):
        for year in (near.year - 1, near.year, near.year + 1):
            try:
                candidate = date(year, month, day)
            except ValueError:
                continue
            if best is None or abs(candidate - near) < abs(best - near):
                best = candidate
    if best is None:
        return None
    return f"{best.isoformat()} {m[3] or ''}".strip()


def when_text(text: str, near: date | None) -> tuple[str, tzinfo | None]:
    """A date-time text rewritten so values.parse_datetime reads it, and the zone it
    names (the zone is cut off the text)."""
    zone = zone_hint(text)
    if zone is not None:
        text = NAMED_ZONE.sub(" ", text)
    for word, half in _JA_HALF.items():
        text = text.replace(word, half)
    text = _DAY_THEN_CLOCK.sub("日 ", " ".join(text.split()))
    if near is not None and (m := _YEARLESS.match(text)):
        text = _with_year(m, near) or text
    return text, zone


def place_clock(clock: time, at: Clock) -> datetime | None:
    """A time of day alone → that time within [start − 6 h, start + 18 h), naive, in the
    file's zone; None without an event start."""
    start = at.local_start()
    if start is None:
        return None
    value = datetime.combine(start.date(), clock)
    if value < start - EARLY:
        value += timedelta(days=1)
    elif value >= start - EARLY + timedelta(days=1):
        value -= timedelta(days=1)
    return value


def read_when(cell: Cell, at: Clock, *, day_first: bool, what: str) -> tuple[datetime | None, bool]:
    """(the cell's moment, aware; whether it was a time of day alone). CellError
    (attendance_bad_join / _leave) when it is neither a date-time nor a time."""
    zone, raw = at.zone, cell
    if isinstance(cell, str):
        near = at.start.astimezone(at.zone).date() if at.start else None
        cell, named = when_text(cell, near)
        zone = named or zone
    clock_only = False
    try:
        value = parse_datetime(cell, day_first=day_first)
    except ValueError:
        value = _clock_alone(cell, at)
        if value is None:
            raise CellError(f"attendance_bad_{what}", cell=repr(raw)) from None
        clock_only = True
    if value is not None and value.tzinfo is None:
        value = value.replace(tzinfo=zone)
    return value, clock_only


def _clock_alone(cell: Cell, at: Clock) -> datetime | None:
    try:
        clock = parse_time(cell)
    except ValueError:
        return None
    return place_clock(clock, at) if clock is not None else None
