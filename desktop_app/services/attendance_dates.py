"""Is a participants export from the event's day? The wrong file picked from a folder of
exports (last month's member day) is refused before anything is written.

Evidence: every stay whose join or leave was written with a date (a time of day alone is
placed on the event's day by attendance_times, so it proves nothing), and the meeting
block's start–end (Start Time / 开始时间 / 预定开始时间 / 会议时间 …) as one more. A piece
of evidence is on the event's day when it overlaps the event's start–end widened by
MARGIN (12 hours) on both sides. When more than half of it is not, the file is from
another day. A file with no date at all cannot be checked and says nothing.

Why a 12-hour margin and not the calendar day: people join early and stay past midnight
at a late talk (21:00 to 00:45), an event can cross midnight, and a file read on another
clock than the one it was written on (a head office's Zoom on UTC: 8 hours) is still the
right meeting. The same time slot on any other day is at least 22 hours from a two-hour
event, and is caught. "More than half", so two exports pasted together, one of them
right, are not refused.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from desktop_app.domain.errors import ConfirmationRequired
from desktop_app.domain.timeutil import zone
from desktop_app.services.attendance_read import Collected

MARGIN = timedelta(hours=12)


@dataclass(frozen=True, slots=True)
class OtherDay:
    """The file is from another day: the days its evidence outside the event starts on,
    and the event's own days (both in the event's zone)."""

    file_days: tuple[date, ...]
    event_days: tuple[date, ...]
    meeting_only: bool  # only the meeting block had a date (the rows: times of day alone)

    def refusal(self, title: str) -> ConfirmationRequired:
        """The error to raise unless the user imports it anyway."""
        return ConfirmationRequired(
            code="attendance_other_day_meeting" if self.meeting_only else "attendance_other_day",
            file_days=days_text(self.file_days),
            title=title,
            event_days=days_text(self.event_days),
        )


def days_text(days: Sequence[date]) -> str:
    """'2026-11-03', or the first and last day: '2026-11-03 … 2026-11-04'."""
    first, last = min(days), max(days)
    return first.isoformat() if first == last else f"{first.isoformat()} … {last.isoformat()}"


def evidence(got: Collected) -> list[tuple[datetime, datetime, bool]]:
    """(start, end, from the meeting block) of everything in the file that has a date."""
    found: list[tuple[datetime, datetime, bool]] = []
    for person in got.people.values():
        for stay in person.stays:
            moments = [t for t in (stay.join, stay.leave) if t is not None]
            if stay.dated and moments:
                found.append((min(moments), max(moments), False))
    if got.meeting is not None:
        found.append((*got.meeting, True))
    return found


def other_day(got: Collected, starts: datetime, ends: datetime | None, tz: str) -> OtherDay | None:
    """OtherDay when most of the file's dated evidence is more than MARGIN away from the
    event's `starts`–`ends` (aware); None when it fits, or when nothing in it has a date."""
    lo, hi = starts - MARGIN, max(ends or starts, starts) + MARGIN
    found = evidence(got)
    outside = [(a, m) for a, b, m in found if b < lo or a > hi]
    if not found or len(outside) * 2 <= len(found):
        return None
    here = zone(tz)
    return OtherDay(
        file_days=tuple(sorted({a.astimezone(here).date() for a, _ in outside})),
        event_days=tuple(t.astimezone(here).date() for t in (starts, ends or starts)),
        meeting_only=all(m for _, m in outside),
    )
