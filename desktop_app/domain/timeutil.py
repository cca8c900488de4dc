"""Local time in, UTC stored: parsing and formatting event times."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_TZ = "Asia/Shanghai"


def zone(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or DEFAULT_TZ)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {name!r}") from None


_SEPARATORS = re.compile(r"[/.年月]")


def parse_local(value: str | datetime | date | None, tz: str | None = None) -> datetime | None:
    """'2026-05-01 14:00', '2026-05-01T14:00+08:00', '2026/5/1 14:00', a date or datetime
    → an aware UTC datetime. Naive values are read in `tz` (the dealer's zone).

    Raises ValueError for text that is not a date and time.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        dt = value
    elif isinstance(value, date):
        dt = datetime.combine(value, time())
    else:
        raw = value.strip().replace("日", "").replace("Z", "+00:00")
        raw = _SEPARATORS.sub("-", raw).replace("时", ":").replace("分", "")
        raw = re.sub(r"^(\d{4})-(\d{1,2})-(\d{1,2})", _pad_date, raw)
        raw = re.sub(r"[ T](\d):", r"T0\1:", raw)
        dt = datetime.fromisoformat(raw)
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=zone(tz))
    return dt.astimezone(UTC)


def _pad_date(m: re.Match[str]) -> str:
    return f"{m.group(1)}-{int(m.group(2)):02d}-{int(m.group(3)):02d}"


def to_local(value: datetime | None, tz: str | None = None) -> datetime | None:
    return value.astimezone(zone(tz)) if value else None


def iso_local(value: datetime | None, tz: str | None = None) -> str | None:
    """ISO 8601 with the local offset, e.g. 2026-05-01T14:00:00+08:00 (for JSON)."""
    local = to_local(value, tz)
    return local.isoformat() if local else None


def now_utc() -> datetime:
    return datetime.now(UTC)
