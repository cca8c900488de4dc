"""Online attendance: import Zoom / 腾讯会议 / 钉钉 participant exports and mark registrants
of an online or hybrid event as attended with their total minutes.

Reading the file (sections, meeting block, date order, summary rows, waiting room) is
services/attendance_read.py; who a participant is, services/attendance_match.py. Rules:

- One participant = one account in the file, never a display name: a full phone, else an
  e-mail, else 钉钉's user id, else the account's name (腾讯会议's 用户昵称 — a changed
  入会昵称 is the same person — or Zoom's original name), with phone digits shown. People
  who rejoin appear on several rows; their minutes are the UNION of their [join, leave]
  intervals (two devices at once count once), rounded up to whole minutes like Zoom does.
  Rows without times (or summary rows) add up their durations.
- Staff are never attendees, and the report says how many were left out and why: hosts,
  co-hosts and panelists (身份 主持人 / 联席主持人, a Host/Panelist section, the meeting
  block's host), Zoom's Guest = No (signed in to the host's own account), addresses on
  the host's own domain (not a public one like qq.com), and anyone on Paddock's staff
  list by phone or e-mail — or by name, when the name is no registrant's and nothing
  matched them to one.
- Every row read lands in one bucket: a participant's first row created / updated /
  unchanged (their attendance row), their later rows rejoins (naming the first), staff,
  absent (registered for a webinar, never came), duplicates (the same line twice) or
  rejected (no time, or not a data row).
- Matching to registrants (status registered): see attendance_match — full phone (also
  inside a nickname), e-mail, phone digits together with the name, an unambiguous
  masked phone, an exact unique name. The rest is listed as unmatched with the reason;
  `match_attendance` matches one by hand (and a re-import keeps it).
- A registrant whose total reaches the threshold (--min-minutes, else the event's
  min_online_minutes, else 10) gets `online_minutes` set — the registration service
  derives "attended" from it. Below the threshold online_minutes stays empty; the
  minutes are kept in the online_attendance rows.
- A file from another day than the event's (attendance_dates: most of its dated stays,
  or its meeting block, more than 12 hours from the event) is refused before anything is
  written — ConfirmationRequired naming both days — unless `any_date` (CLI --any-date);
  the audit entry of such an import says so. Times of day alone cannot be checked.
- An on-site event (no online attendance), a draft or a cancelled one (nothing took
  place) is refused before the file is read.
- One transaction; a dry run rolls back. Importing the same file again changes nothing.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.domain.enums import EventFormat, EventStatus
from desktop_app.domain.errors import NotFound, RuleViolation
from desktop_app.domain.kpi import DEFAULT_MIN_ONLINE_MINUTES
from desktop_app.domain.messages import EventStatusWord, text
from desktop_app.domain.roles import Permission
from desktop_app.domain.timeutil import iso_local, to_local
from desktop_app.services.attendance_dates import other_day
from desktop_app.services.attendance_match import (
    Matcher,
    Registrant,
    StaffList,
    registrants,
    split_name,
)
from desktop_app.services.attendance_read import (
    FIELDS,
    Collected,
    Participant,
    collect,
    stay_seconds,
    to_minutes,
    union_seconds,
)
from desktop_app.services.auth import require
from desktop_app.services.common import audit, parse_id, stamp_origin
from desktop_app.services.import_report import Counted, RowCounts, dry_run_head, human_lines
from desktop_app.services.row_problems import Said
from desktop_app.store.db import Database
from desktop_app.store.models import Event, OnlineAttendance, Person, Registration

DEFAULT_MIN_MINUTES = DEFAULT_MIN_ONLINE_MINUTES


# --------------------------------------------------------------------------- results


@dataclass(frozen=True, slots=True)
class UnmatchedParticipant:
    key: str  # identity key: pass to match_attendance
    id: uuid.UUID  # the online_attendance row
    name: str
    phone: str | None
    email: str | None
    minutes: int
    sessions: int
    rows: tuple[int, ...]
    reason: str = ""  # why nobody was matched, for the person who decides (English)
    zh: str | None = None  # the same in Chinese

    def localized(self, lang: str | None = None) -> str:
        return Said(self.reason, self.zh).localized(lang)

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "id": str(self.id),
            "name": self.name,
            "phone": self.phone,
            "email": self.email,
            "minutes": self.minutes,
            "sessions": self.sessions,
            "rows": list(self.rows),
            "reason": self.localized(),
        }


@dataclass(frozen=True, slots=True)
class StaffLeftOut:
    """A participant left out as the dealership's own, and why."""

    name: str
    why: Said
    rows: tuple[int, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "reason": self.why.localized(),
            "code": self.why.code,
            "rows": list(self.rows),
        }


@dataclass(frozen=True, slots=True)
class AttendanceReport(Counted):
    """The import report shape of DESIGN.md (services/import_report) plus the attendance
    numbers: participants are people (staff left out), rows are the file's lines."""

    counts: RowCounts
    participants: int  # distinct people in the file, staff excluded
    matched: int
    unmatched: int
    attended: int  # registrants at or above the threshold
    min_minutes: int
    platform: str
    sheet: str | None
    dry_run: bool
    unmatched_list: list[UnmatchedParticipant] = field(default_factory=list)
    staff_left_out: list[StaffLeftOut] = field(default_factory=list)
    waiting_room: int = 0  # rows of time in Zoom's waiting room (not counted)

    @property
    def sessions(self) -> int:
        """Data rows read (staff and absentees included): `rows`."""
        return self.counts.rows

    @property
    def hosts(self) -> int:
        """Participants left out as staff (hosts, co-hosts, the dealership's own)."""
        return len(self.staff_left_out)

    @property
    def absent(self) -> int:
        return self.counts["absent"]

    def staff_by_reason(self) -> dict[str, int]:
        """How many staff were left out for each reason (message code → count)."""
        out: dict[str, int] = {}
        for st in self.staff_left_out:
            out[st.why.code or ""] = out.get(st.why.code or "", 0) + 1
        return out

    def to_json(self) -> dict[str, Any]:
        return {
            **self.counts.to_json(),
            "sessions": self.sessions,
            "participants": self.participants,
            "matched": self.matched,
            "unmatched": self.unmatched,
            "attended": self.attended,
            "hosts": self.hosts,
            "staff_left_out": [st.to_json() for st in self.staff_left_out],
            "staff_by_reason": self.staff_by_reason(),
            "min_minutes": self.min_minutes,
            "platform": self.platform,
            "sheet": self.sheet,
            "dry_run": self.dry_run,
            "waiting_room": self.waiting_room,
            "unmatched_participants": [u.to_json() for u in self.unmatched_list],
        }

    def summary(self, lang: str | None = None) -> str:
        """The CLI's text: people first (participants, staff and their rows), then the
        rows' buckets, who was left out as staff and who is unmatched."""
        first, *problems = human_lines(self.counts, lang)
        n, rows = self.participants, self.counts["staff"]
        people = text("attendance_participant" if n == 1 else "attendance_participants", lang, n=n)
        staff = text(
            "attendance_staff_row" if rows == 1 else "attendance_staff_rows",
            lang,
            n=self.hosts,
            rows=rows,
        )
        head = text(
            "attendance_summary",
            lang,
            platform=self.platform,
            participants=people,
            staff=staff,
            matched=self.matched,
            unmatched=self.unmatched,
            minutes=self.min_minutes,
            attended=self.attended,
        )
        lines = [dry_run_head(self.dry_run, lang) + head, first]
        lines += [
            text("attendance_staff_line", lang, name=st.name, why=st.why.localized(lang))
            for st in self.staff_left_out
        ]
        lines += problems
        lines += [
            text(
                "attendance_unmatched_line",
                lang,
                name=u.name,
                minutes=u.minutes,
                reason=u.localized(lang),
                key=u.key,
            )
            for u in self.unmatched_list
        ]
        return "\n".join(lines)


@dataclass(frozen=True, slots=True)
class MatchResult:
    registration_id: uuid.UUID
    name: str
    minutes: int
    attended: bool

    def to_json(self) -> dict[str, Any]:
        return {
            "registration_id": str(self.registration_id),
            "name": self.name,
            "minutes": self.minutes,
            "attended": self.attended,
        }


# --------------------------------------------------------------------------- import


class _DryRun(Exception):
    def __init__(self, report: AttendanceReport) -> None:
        self.report = report


def _threshold(event: Event, min_minutes: int | None) -> int:
    if min_minutes is not None:
        return max(int(min_minutes), 0)
    if event.min_online_minutes is not None:
        return event.min_online_minutes
    return DEFAULT_MIN_MINUTES


def _load_event(s: Session, event_id: uuid.UUID | str) -> Event:
    e = s.get(Event, parse_id(event_id, "event"))
    if e is None or e.deleted_at is not None:
        raise NotFound("event", event_id)
    if e.format == EventFormat.ON_SITE:
        raise RuleViolation(code="not_online_event", title=e.title)
    if e.status in (EventStatus.DRAFT, EventStatus.CANCELLED):
        raise RuleViolation(
            code="attendance_event_refused", title=e.title, status=EventStatusWord(e.status)
        )
    return e


def import_attendance(
    db: Database,
    event_id: uuid.UUID | str,
    path: str | Path,
    *,
    min_minutes: int | None = None,
    dry_run: bool = False,
    any_date: bool = False,
    progress: Callable[[int, int], None] | None = None,
    is_cancelled: Callable[[], bool] | None = None,
) -> AttendanceReport:
    """Read a participants export and record attendance for `event_id` (see module doc).

    Raises FileUnreadable when the file cannot be read or has no participant table,
    ConfirmationRequired (attendance_other_day…) when it is from another day and not
    `any_date`, RuleViolation(not_online_event) for an on-site event, NotFound for an
    unknown event.
    """
    require(db, None, Permission.IMPORTS)
    path = Path(path)
    with db.read() as s:
        event = _load_event(s, event_id)
        tz, title = event.timezone, event.title
        starts, ends = to_local(event.starts_at, tz), to_local(event.ends_at, tz)
    got = collect(path, tz, starts)
    off = other_day(got, starts, ends, tz) if starts else None
    if off is not None and not any_date:
        raise off.refusal(title)
    # imported anyway: the audit entry keeps the days the file was from
    noted = {"other_days": [d.isoformat() for d in off.file_days]} if off else {}
    try:
        with db.write() as s:
            report = _apply(s, event_id, got, min_minutes, dry_run)
            if dry_run:
                raise _DryRun(report)
            audit(
                s,
                "attendance.import",
                "event",
                parse_id(event_id, "event"),
                {k: v for k, v in report.to_json().items() if k != "unmatched_participants"}
                | {"file": path.name}
                | noted,
            )
            return report
    except _DryRun as dry:
        return dry.report


def _apply(
    s: Session,
    event_id: uuid.UUID | str,
    got: Collected,
    min_minutes: int | None,
    dry_run: bool,
) -> AttendanceReport:
    event = _load_event(s, event_id)
    threshold = _threshold(event, min_minutes)
    if min_minutes is not None and event.min_online_minutes != threshold:
        # One threshold per event: reports and status derivation read the event's own.
        event.min_online_minutes = threshold
    matcher = Matcher(registrants(s, event.id))
    staff_list = StaffList.load(s)
    existing = {
        oa.identity_key: oa
        for oa in s.scalars(
            select(OnlineAttendance).where(
                OnlineAttendance.event_id == event.id, OnlineAttendance.deleted_at.is_(None)
            )
        )
    }
    tally = got.tally
    per_reg: dict[uuid.UUID, list[Participant]] = defaultdict(list)
    unmatched: list[tuple[Participant, OnlineAttendance, Said]] = []
    staff: list[StaffLeftOut] = []
    matched = 0
    for p in got.people.values():
        rows = sorted(x.row for x in p.stays)
        reg, reason = matcher.match(p.names, p.clues, p.email, parts=p.parts, kind=p.kind)
        why_staff = p.staff or staff_list.says(p.names, p.clues, p.email, reg is not None, matcher)
        if why_staff is not None:
            staff.append(StaffLeftOut(p.name, why_staff, tuple(rows)))
            for row in rows:
                tally.put(row, "staff")
            continue
        oa = existing.get(p.key)
        if reg is None and oa is not None and oa.registration_id in matcher.by_id:
            reg = matcher.by_id[oa.registration_id]  # matched by hand earlier: keep it
        outcome, oa = _record(s, event.id, existing.get(p.key), p, reg, got.platform)
        tally.put(rows[0], outcome)
        for row in rows[1:]:
            tally.put(row, "rejoins", rows[0])
        if reg is not None:
            matched += 1
            per_reg[reg.reg_id].append(p)
        else:
            unmatched.append((p, oa, reason))
    s.flush()
    attended = 0
    in_file = set(got.people)
    for reg_id, parts in per_reg.items():
        total = _registrant_minutes(s, event.id, reg_id, parts, in_file)
        if _set_minutes(s, reg_id, total, threshold):
            attended += 1
    return AttendanceReport(
        counts=tally.counts(got.rows),
        participants=len(got.people) - len(staff),
        matched=matched,
        unmatched=len(unmatched),
        attended=attended,
        min_minutes=threshold,
        platform=got.platform,
        sheet=got.sheet,
        dry_run=dry_run,
        unmatched_list=[
            UnmatchedParticipant(
                key=p.key,
                id=oa.id,
                name=p.name,
                phone=p.phone or p.masked,
                email=p.email,
                minutes=oa.minutes,
                sessions=len(p.meeting_stays()),
                rows=tuple(x.row for x in p.stays),
                reason=reason.en,
                zh=reason.zh,
            )
            for p, oa, reason in unmatched
        ],
        staff_left_out=staff,
        waiting_room=got.waiting_room,
    )


def _record(
    s: Session,
    event_id: uuid.UUID,
    oa: OnlineAttendance | None,
    p: Participant,
    reg: Registrant | None,
    platform: str,
) -> tuple[str, OnlineAttendance]:
    """The participant's attendance row: ('created' | 'updated' | 'unchanged', the row)."""
    stays = p.meeting_stays()
    joins = [x.join for x in stays if x.join]
    leaves = [x.leave for x in stays if x.leave]
    values = {
        "registration_id": reg.reg_id if reg else None,
        "person_id": reg.person_id if reg else None,
        "platform": platform,
        "display_name": p.name[:200],
        "first_join_at": min(joins) if joins else None,
        "last_leave_at": max(leaves) if leaves else None,
        "minutes": to_minutes(stay_seconds(stays)),
        "sessions": len(stays),
    }
    if oa is None:
        oa = OnlineAttendance(event_id=event_id, identity_key=p.key[:300], **values)
        stamp_origin(s, oa)
        s.add(oa)
        return "created", oa
    if any(getattr(oa, k) != v for k, v in values.items()):
        for k, v in values.items():
            setattr(oa, k, v)
        return "updated", oa
    return "unchanged", oa


def _registrant_minutes(
    s: Session,
    event_id: uuid.UUID,
    reg_id: uuid.UUID,
    parts: list[Participant],
    in_file: set[str],
) -> int:
    """This file's participants of one registrant as one union (two nicknames on two
    devices at once count once), plus minutes recorded for them from other files."""
    total = to_minutes(stay_seconds([x for p in parts for x in p.stays]))
    others = s.scalars(
        select(OnlineAttendance.minutes).where(
            OnlineAttendance.event_id == event_id,
            OnlineAttendance.registration_id == reg_id,
            OnlineAttendance.identity_key.not_in(in_file) if in_file else True,
            OnlineAttendance.deleted_at.is_(None),
        )
    )
    return total + sum(others)


def _set_minutes(s: Session, reg_id: uuid.UUID, minutes: int, threshold: int) -> bool:
    """online_minutes = minutes when at/above the threshold (attended), else empty."""
    reg = s.get(Registration, reg_id)
    assert reg is not None
    value = minutes if minutes >= max(threshold, 1) else None
    if reg.online_minutes != value:
        reg.online_minutes = value
    return value is not None


def match_attendance(
    db: Database,
    event_id: uuid.UUID | str,
    row_key: str,
    registration_id: uuid.UUID | str,
    *,
    min_minutes: int | None = None,
) -> MatchResult:
    """Match an unmatched participant (its key or row id from the report) to a
    registration by hand; the registrant's minutes and attended mark are recomputed."""
    rid = parse_id(registration_id, "registration")
    with db.write() as s:
        event = _load_event(s, event_id)
        stmt = select(OnlineAttendance).where(
            OnlineAttendance.event_id == event.id, OnlineAttendance.deleted_at.is_(None)
        )
        try:
            oa = s.scalars(stmt.where(OnlineAttendance.id == uuid.UUID(row_key))).first()
        except ValueError:
            oa = s.scalars(stmt.where(OnlineAttendance.identity_key == row_key)).first()
        if oa is None:
            raise NotFound("attendance row", row_key)
        reg = s.get(Registration, rid)
        if reg is None or reg.deleted_at is not None or reg.event_id != event.id:
            raise NotFound("registration", registration_id)
        person = s.get(Person, reg.person_id)
        oa.registration_id, oa.person_id = reg.id, reg.person_id
        s.flush()
        total = sum(
            s.scalars(
                select(OnlineAttendance.minutes).where(
                    OnlineAttendance.event_id == event.id,
                    OnlineAttendance.registration_id == reg.id,
                    OnlineAttendance.deleted_at.is_(None),
                )
            )
        )
        attended = _set_minutes(s, reg.id, total, _threshold(event, min_minutes))
        audit(
            s,
            "attendance.match",
            "registration",
            reg.id,
            {"key": oa.identity_key, "minutes": total},
        )
        return MatchResult(reg.id, person.name if person else "", total, attended)


def list_attendance(db: Database, event_id: uuid.UUID | str) -> list[dict[str, Any]]:
    """The event's online attendance rows (matched first), for the attendee tab."""
    eid = parse_id(event_id, "event")
    with db.read() as s:
        tz = s.scalar(select(Event.timezone).where(Event.id == eid)) or "Asia/Shanghai"
        rows = s.scalars(
            select(OnlineAttendance)
            .where(OnlineAttendance.event_id == eid, OnlineAttendance.deleted_at.is_(None))
            .order_by(OnlineAttendance.registration_id.is_(None), OnlineAttendance.display_name)
        )
        return [
            {
                "id": str(r.id),
                "key": r.identity_key,
                "name": r.display_name,
                "platform": r.platform,
                "registration_id": str(r.registration_id) if r.registration_id else None,
                "minutes": r.minutes,
                "sessions": r.sessions,
                "first_join_at": iso_local(r.first_join_at, tz),
                "last_leave_at": iso_local(r.last_leave_at, tz),
            }
            for r in rows
        ]


__all__ = [
    "FIELDS",
    "AttendanceReport",
    "MatchResult",
    "Matcher",
    "UnmatchedParticipant",
    "import_attendance",
    "list_attendance",
    "match_attendance",
    "split_name",
    "to_minutes",
    "union_seconds",
]
