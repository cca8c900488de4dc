"""Online attendance: import Zoom / 腾讯会议 / 钉钉 participant exports and mark registrants
of an online or hybrid event as attended with their total minutes.

What the files look like is in shared FORMATS.md; the reading is desktop_app.io
(header found by its names below a meeting-info preamble; UTF-8/BOM/GBK; NFKC, so the
full-width brackets of 用户昵称（入会昵称） arrive as ASCII). Rules:

- One participant = one identity in the file: a full phone, else an e-mail, else the
  name cell as written ("Name (Original Name)" / "用户昵称(入会昵称)"). People who rejoin
  appear on several rows; their minutes are the UNION of their [join, leave] intervals
  (two devices at once count once), rounded up to whole minutes like Zoom does. Rows
  without times add up their durations.
- Hosts and co-hosts (身份 主持人 / 联席主持人, Zoom's meeting-block host e-mail) are
  left out of participants and matching.
- Matching to registrants (status registered): full phone; a masked 138****1234 when
  exactly one registrant's phone has that prefix and suffix; e-mail; then an exact name
  (the nickname or the name in brackets) held by exactly one registrant. The rest is
  listed as unmatched; `match_attendance` matches one by hand (and a re-import keeps it).
- A registrant whose total reaches the threshold (--min-minutes, else the event's
  min_online_minutes, else 10) gets `online_minutes` set — the registration service
  derives "attended" from it. Below the threshold online_minutes stays empty; the
  minutes are kept in the online_attendance rows.
- One transaction; a dry run rolls back. Importing the same file again changes nothing.
"""

from __future__ import annotations

import math
import re
import unicodedata
import uuid
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.domain.enums import EventFormat, RegistrationStatus
from desktop_app.domain.errors import FileUnreadable, NotFound, RuleViolation
from desktop_app.domain.kpi import DEFAULT_MIN_ONLINE_MINUTES
from desktop_app.domain.roles import Permission
from desktop_app.domain.timeutil import iso_local, zone
from desktop_app.io.mapping import FieldSpec, guess_mapping, normalise_header
from desktop_app.io.tables import Row, Table, read_table
from desktop_app.io.values import parse_datetime, parse_duration
from desktop_app.services.auth import require
from desktop_app.services.common import audit, parse_id, stamp_origin
from desktop_app.store.db import Database
from desktop_app.store.models import Event, OnlineAttendance, Person, Registration

DEFAULT_MIN_MINUTES = DEFAULT_MIN_ONLINE_MINUTES
HOST_ROLES = frozenset(
    {"主持人", "联席主持人", "host", "co-host", "cohost", "联合主持人", "创建者"}
)
# 腾讯会议 workbooks: the per-join sheet gives intervals; the overview only totals.
DETAIL_SHEETS = ("成员参会明细", "成员观看明细", "参会明细")
OVERVIEW_SHEETS = ("成员参会概况", "成员观看概况", "参会概况")

FIELDS = (
    FieldSpec(
        "name",
        (
            "Name (Original Name)",
            "Name (original name)",
            "User Name (Original Name)",
            "Participant",
            "Name",
            "名前 (元の名前)",
            "名前",
            "用户昵称（入会昵称）",
            "用户昵称",
            "入会昵称",
            "参会者",
            "参会人",
            "观众昵称",
            "昵称",
            "姓名",
            "用户名",
        ),
        required=True,
    ),
    FieldSpec("email", ("User Email", "Email", "E-mail", "ユーザーメール", "邮箱", "电子邮箱")),
    FieldSpec("phone", ("手机号", "手机号码", "电话", "联系电话", "手机", "Phone", "Phone Number")),
    FieldSpec(
        "join",
        (
            "Join Time",
            "Join time",
            "参加時刻",
            "入会时间",
            "首次入会时间",
            "加入时间",
            "进入时间",
            "首次进入时间",
            "开始观看时间",
            "首次观看时间",
        ),
    ),
    FieldSpec(
        "leave",
        (
            "Leave Time",
            "Leave time",
            "退出時刻",
            "退会时间",
            "最后退会时间",
            "离开时间",
            "退出时间",
            "最后离开时间",
            "结束观看时间",
            "最后观看时间",
        ),
    ),
    FieldSpec(
        "duration",
        (
            "Duration (Minutes)",
            "Duration (minutes)",
            "Time in Session (minutes)",
            "所要時間（分）",
            "所要時間(分)",
            "单次参会时长",
            "累计参会时长",
            "参会时长",
            "观看时长",
            "累计观看时长",
            "在线时长",
        ),
    ),
    FieldSpec("role", ("身份", "角色", "Role", "参会身份")),
)

_BRACKETS = re.compile(r"^(.*?)\s*\(([^()]*)\)\s*$")
_MASKED = re.compile(r"^\+?(?:86)?(1\d{2})[*＊xX×]{3,6}(\d{4})$")
_PHONE = re.compile(r"^(?:\+?86)?(1\d{10})$")


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
        }


@dataclass(frozen=True, slots=True)
class AttendanceReport:
    """The import report shape of DESIGN.md plus the attendance numbers."""

    created: int
    updated: int
    unchanged: int
    duplicates: int
    rejected: list[dict[str, Any]]
    sessions: int  # data rows read (hosts included)
    participants: int  # distinct people in the file, hosts excluded
    matched: int
    unmatched: int
    attended: int  # registrants at or above the threshold
    hosts: int
    min_minutes: int
    platform: str
    sheet: str | None
    dry_run: bool
    unmatched_list: list[UnmatchedParticipant] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "duplicates": self.duplicates,
            "rejected": self.rejected,
            "sessions": self.sessions,
            "participants": self.participants,
            "matched": self.matched,
            "unmatched": self.unmatched,
            "attended": self.attended,
            "hosts": self.hosts,
            "min_minutes": self.min_minutes,
            "platform": self.platform,
            "sheet": self.sheet,
            "dry_run": self.dry_run,
            "unmatched_participants": [u.to_json() for u in self.unmatched_list],
        }

    def summary(self) -> str:
        lines = [
            f"{self.platform}: {self.sessions} rows, {self.participants} participants "
            f"({self.hosts} hosts left out); matched {self.matched}, unmatched {self.unmatched}; "
            f"attended (≥ {self.min_minutes} min) {self.attended}"
            + ("  [dry run: nothing changed]" if self.dry_run else ""),
            f"created {self.created}, updated {self.updated}, unchanged {self.unchanged}, "
            f"duplicates {self.duplicates}, rejected {len(self.rejected)}",
        ]
        lines += [f"  row {r['row']}: {r['reason']}" for r in self.rejected]
        lines += [
            f"  unmatched: {u.name} ({u.minutes} min)  key={u.key}" for u in self.unmatched_list
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


# --------------------------------------------------------------------------- reading


@dataclass(slots=True)
class _Session:
    row: int
    join: datetime | None
    leave: datetime | None
    seconds: float | None


@dataclass(slots=True)
class _Participant:
    key: str
    name: str  # as shown (nickname)
    names: set[str]  # nickname and original name, normalised
    phone: str | None  # E.164
    masked: tuple[str, str] | None  # (prefix, suffix) of 138****1234
    email: str | None
    host: bool = False
    sessions: list[_Session] = field(default_factory=list)

    def intervals(self) -> list[tuple[datetime, datetime]]:
        return [(x.join, x.leave) for x in self.sessions if x.join and x.leave]


def _norm_name(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip().casefold()


def split_name(cell: str) -> tuple[str, str | None]:
    """'Bruce Wayne (Batman)' → ('Bruce Wayne', 'Batman'); '李娜(Lina的iPhone)' likewise;
    a name without brackets → (name, None). The LAST balanced brackets are the original."""
    text = unicodedata.normalize("NFKC", cell).strip()
    m = _BRACKETS.match(text)
    if m and m.group(1).strip():
        return m.group(1).strip(), m.group(2).strip() or None
    return text, None


def _phone_of(value: object) -> tuple[str | None, tuple[str, str] | None]:
    if value is None:
        return None, None
    text = re.sub(r"[\s\-()]", "", unicodedata.normalize("NFKC", str(value)))
    if m := _MASKED.match(text):
        return None, (m.group(1), m.group(2))
    if m := _PHONE.match(text):
        return "+86" + m.group(1), None
    return None, None


def _platform(table: Table) -> str:
    heads = " ".join(table.headers).lower()
    sheets = " ".join(table.sheets)
    pre = " ".join(str(c) for row in table.preamble for c in row if c is not None)
    if "成员参会" in sheets or "成员观看" in sheets or "入会" in heads or "腾讯会议" in pre:
        return "tencent_meeting"
    if "钉钉" in pre or "观看时长" in heads or "dingtalk" in pre.lower():
        return "dingtalk"
    if "original name" in heads or "join time" in heads or "参加時刻" in heads:
        return "zoom"
    return "other"


def _host_emails(table: Table) -> set[str]:
    """Zoom's classic layout: the meeting block above the header names the host's e-mail."""
    found: set[str] = set()
    rows = table.preamble
    for i, row in enumerate(rows[:-1]):
        for col, cell in enumerate(row):
            if isinstance(cell, str) and normalise_header(cell) in ("useremail", "主持人邮箱"):
                value = rows[i + 1][col] if col < len(rows[i + 1]) else None
                if isinstance(value, str) and "@" in value:
                    found.add(value.strip().lower())
    return found


def _read(path: Path) -> tuple[Table, dict[str, Table]]:
    """The table with the most detail, and the others of a 腾讯会议 workbook by role."""
    first = read_table(path, fields=FIELDS)
    extra: dict[str, Table] = {}
    detail = next((n for n in DETAIL_SHEETS if n in first.sheets), None)
    overview = next((n for n in OVERVIEW_SHEETS if n in first.sheets), None)
    if detail and first.sheet != detail:
        main = read_table(path, sheet=detail, fields=FIELDS)
    else:
        main = first
    if overview and main.sheet != overview:
        extra["overview"] = (
            first if first.sheet == overview else read_table(path, sheet=overview, fields=FIELDS)
        )
    return main, extra


def _local(value: datetime | None, tz: str) -> datetime | None:
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=zone(tz))
    return value


def _collect(
    table: Table, tz: str, overview: Table | None
) -> tuple[dict[str, _Participant], list[dict[str, Any]], int]:
    """Rows → participants. Returns (participants by key, rejected rows, duplicate rows)."""
    cols = guess_mapping(table.headers, FIELDS)
    if "name" not in cols or not ({"join", "duration"} & cols.keys()):
        raise FileUnreadable(code="attendance_no_table", file=Path(table.path).name)
    hosts_by_email = _host_emails(table)
    host_names: set[str] = set()
    if overview is not None:  # 腾讯会议: 身份 may be on the overview sheet only
        ocols = guess_mapping(overview.headers, FIELDS)
        if "name" in ocols and "role" in ocols:
            for r in overview.rows:
                role, name = r.get(ocols["role"]), r.get(ocols["name"])
                if isinstance(role, str) and role.strip().lower() in HOST_ROLES and name:
                    host_names.add(_norm_name(str(name)))
    people: dict[str, _Participant] = {}
    rejected: list[dict[str, Any]] = []
    seen: set[tuple[Any, ...]] = set()
    duplicates = 0
    for row in table.rows:
        try:
            p, sess = _parse_row(row, cols, tz)
        except ValueError as exc:
            rejected.append({"row": row.number, "reason": str(exc)})
            continue
        if p is None:
            continue
        fingerprint = (p.key, sess.join, sess.leave, sess.seconds)
        if fingerprint in seen:  # the same line twice (exports pasted together)
            duplicates += 1
            continue
        seen.add(fingerprint)
        known = people.get(p.key)
        if known is None:
            people[p.key] = known = p
        else:
            known.names |= p.names
            known.host = known.host or p.host
        if _norm_name(p.name) in host_names or (p.email and p.email in hosts_by_email):
            known.host = True
        known.sessions.append(sess)
    return people, rejected, duplicates


def _parse_row(row: Row, cols: dict[str, int], tz: str) -> tuple[_Participant | None, _Session]:
    raw_name = row.get(cols["name"])
    phone, masked = _phone_of(row.get(cols.get("phone")))
    email_cell = row.get(cols.get("email"))
    email = (
        str(email_cell).strip().lower()
        if isinstance(email_cell, str) and "@" in email_cell
        else None
    )
    try:
        join = _local(parse_datetime(row.get(cols.get("join"))), tz)
    except ValueError:
        raise ValueError(
            f"join time {row.get(cols.get('join'))!r} is not a date and time"
        ) from None
    try:
        leave = _local(parse_datetime(row.get(cols.get("leave"))), tz)
    except ValueError:
        raise ValueError(
            f"leave time {row.get(cols.get('leave'))!r} is not a date and time"
        ) from None
    try:
        dur = parse_duration(row.get(cols.get("duration")))
    except ValueError as exc:
        raise ValueError(str(exc)) from None
    sess = _Session(row.number, join, leave, dur.total_seconds() if dur is not None else None)
    if raw_name is None and phone is None and email is None:
        if join is None and dur is None:
            return None, sess  # an empty-looking line
        raise ValueError("no name, phone or e-mail")
    if join and leave and leave < join:
        raise ValueError("leave time is before join time")
    if join is None and dur is None:
        raise ValueError("neither join/leave times nor a duration")
    shown, original = split_name(str(raw_name or phone or email))
    names = {_norm_name(shown)} | ({_norm_name(original)} if original else set())
    if phone:
        key = f"phone:{phone}"
    elif email:
        key = f"email:{email}"
    else:
        key = f"name:{_norm_name(str(raw_name))}"
        if masked:
            key += f"|{masked[0]}****{masked[1]}"
    role = row.get(cols.get("role"))
    host = isinstance(role, str) and role.strip().lower() in HOST_ROLES
    p = _Participant(key, shown, names, phone, masked, email, host)
    return p, sess


def union_seconds(intervals: Sequence[tuple[datetime, datetime]]) -> float:
    """Total length of the union of [join, leave] intervals (overlaps counted once)."""
    total = 0.0
    end: datetime | None = None
    start: datetime | None = None
    for a, b in sorted(intervals):
        if end is None or a > end:
            if end is not None and start is not None:
                total += (end - start).total_seconds()
            start, end = a, b
        elif b > end:
            end = b
    if end is not None and start is not None:
        total += (end - start).total_seconds()
    return total


def _seconds(sessions: Sequence[_Session]) -> float:
    """Union of intervals when every row has times; else the sum of row durations."""
    if sessions and all(x.join and x.leave for x in sessions):
        return union_seconds([(x.join, x.leave) for x in sessions])  # type: ignore[misc]
    total = 0.0
    for x in sessions:
        if x.seconds is not None:
            total += x.seconds
        elif x.join and x.leave:
            total += (x.leave - x.join).total_seconds()
    return total


def to_minutes(seconds: float) -> int:
    """Whole minutes, rounded up as Zoom does (1 s → 1 min); 0 stays 0."""
    return math.ceil(round(seconds) / 60) if seconds > 0 else 0


# --------------------------------------------------------------------------- matching


@dataclass(slots=True)
class _Registrant:
    reg_id: uuid.UUID
    person_id: uuid.UUID
    name: str
    phone: str | None
    email: str | None
    online_minutes: int | None


def _registrants(s: Session, event_id: uuid.UUID) -> list[_Registrant]:
    stmt = (
        select(
            Registration.id,
            Person.id,
            Person.name,
            Person.phone,
            Person.email,
            Registration.online_minutes,
        )
        .join(Person, Person.id == Registration.person_id)
        .where(
            Registration.event_id == event_id,
            Registration.deleted_at.is_(None),
            Registration.status == RegistrationStatus.REGISTERED,
        )
    )
    return [_Registrant(*row) for row in s.execute(stmt)]


class _Matcher:
    def __init__(self, regs: list[_Registrant]) -> None:
        self.by_id = {r.reg_id: r for r in regs}
        self.by_phone = {r.phone: r for r in regs if r.phone}
        self.by_email = {r.email.lower(): r for r in regs if r.email}
        self.by_name: dict[str, list[_Registrant]] = defaultdict(list)
        for r in regs:
            self.by_name[_norm_name(r.name)].append(r)
        self.regs = regs

    def match(self, p: _Participant) -> _Registrant | None:
        if p.phone and p.phone in self.by_phone:
            return self.by_phone[p.phone]
        if p.masked:
            pre, suf = p.masked
            hits = [
                r
                for r in self.regs
                if r.phone and r.phone[3:].startswith(pre) and r.phone.endswith(suf)
            ]
            if len(hits) == 1:
                return hits[0]
        if p.email and p.email in self.by_email:
            return self.by_email[p.email]
        found = {r.reg_id: r for n in p.names for r in self.by_name.get(n, [])}
        return next(iter(found.values())) if len(found) == 1 else None


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
    return e


def import_attendance(
    db: Database,
    event_id: uuid.UUID | str,
    path: str | Path,
    *,
    min_minutes: int | None = None,
    dry_run: bool = False,
    progress: Callable[[int, int], None] | None = None,
    is_cancelled: Callable[[], bool] | None = None,
) -> AttendanceReport:
    """Read a participants export and record attendance for `event_id` (see module doc).

    Raises FileUnreadable when the file cannot be read or has no participant table,
    RuleViolation(not_online_event) for an on-site event, NotFound for an unknown event.
    """
    require(db, None, Permission.IMPORTS)
    path = Path(path)
    with db.read() as s:
        tz = _load_event(s, event_id).timezone
    table, extra = _read(path)
    people, rejected, duplicates = _collect(table, tz, extra.get("overview"))
    platform = _platform(table)
    try:
        with db.write() as s:
            report = replace(
                _apply(s, event_id, people, platform, min_minutes, dry_run),
                rejected=rejected,
                duplicates=duplicates,
                sessions=len(table.rows),
                sheet=table.sheet,
            )
            if dry_run:
                raise _DryRun(report)
            audit(
                s,
                "attendance.import",
                "event",
                parse_id(event_id, "event"),
                {k: v for k, v in report.to_json().items() if k != "unmatched_participants"}
                | {"file": path.name},
            )
            return report
    except _DryRun as dry:
        return dry.report


def _apply(
    s: Session,
    event_id: uuid.UUID | str,
    people: dict[str, _Participant],
    platform: str,
    min_minutes: int | None,
    dry_run: bool,
) -> AttendanceReport:
    event = _load_event(s, event_id)
    threshold = _threshold(event, min_minutes)
    if min_minutes is not None and event.min_online_minutes != threshold:
        # One threshold per event: reports and status derivation read the event's own.
        event.min_online_minutes = threshold
    matcher = _Matcher(_registrants(s, event.id))
    existing = {
        oa.identity_key: oa
        for oa in s.scalars(
            select(OnlineAttendance).where(
                OnlineAttendance.event_id == event.id, OnlineAttendance.deleted_at.is_(None)
            )
        )
    }
    created = updated = unchanged = hosts = 0
    per_reg: dict[uuid.UUID, list[_Participant]] = defaultdict(list)
    unmatched: list[tuple[_Participant, OnlineAttendance]] = []
    matched = 0
    for p in people.values():
        if p.host:
            hosts += 1
            continue
        reg = matcher.match(p)
        oa = existing.get(p.key)
        if reg is None and oa is not None and oa.registration_id in matcher.by_id:
            reg = matcher.by_id[oa.registration_id]  # matched by hand earlier: keep it
        minutes = to_minutes(_seconds(p.sessions))
        joins = [x.join for x in p.sessions if x.join]
        leaves = [x.leave for x in p.sessions if x.leave]
        values = {
            "registration_id": reg.reg_id if reg else None,
            "person_id": reg.person_id if reg else None,
            "platform": platform,
            "display_name": p.name[:200],
            "first_join_at": min(joins) if joins else None,
            "last_leave_at": max(leaves) if leaves else None,
            "minutes": minutes,
            "sessions": len(p.sessions),
        }
        if oa is None:
            oa = OnlineAttendance(event_id=event.id, identity_key=p.key[:300], **values)
            stamp_origin(s, oa)
            s.add(oa)
            created += 1
        elif any(getattr(oa, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(oa, k, v)
            updated += 1
        else:
            unchanged += 1
        if reg is not None:
            matched += 1
            per_reg[reg.reg_id].append(p)
        else:
            unmatched.append((p, oa))
    s.flush()
    attended = 0
    in_file = set(people)
    for reg_id, parts in per_reg.items():
        total = _registrant_minutes(s, event.id, reg_id, parts, in_file)
        if _set_minutes(s, reg_id, total, threshold):
            attended += 1
    return AttendanceReport(
        created=created,
        updated=updated,
        unchanged=unchanged,
        duplicates=0,
        rejected=[],
        sessions=0,
        participants=sum(1 for p in people.values() if not p.host),
        matched=matched,
        unmatched=len(unmatched),
        attended=attended,
        hosts=hosts,
        min_minutes=threshold,
        platform=platform,
        sheet=None,
        dry_run=dry_run,
        unmatched_list=[
            UnmatchedParticipant(
                key=p.key,
                id=oa.id,
                name=p.name,
                phone=p.phone or (f"{p.masked[0]}****{p.masked[1]}" if p.masked else None),
                email=p.email,
                minutes=oa.minutes,
                sessions=len(p.sessions),
                rows=tuple(x.row for x in p.sessions),
            )
            for p, oa in unmatched
        ],
    )


def _registrant_minutes(
    s: Session,
    event_id: uuid.UUID,
    reg_id: uuid.UUID,
    parts: list[_Participant],
    in_file: set[str],
) -> int:
    """This file's participants of one registrant as one union (two nicknames on two
    devices at once count once), plus minutes recorded for them from other files."""
    sessions = [x for p in parts for x in p.sessions]
    total = to_minutes(_seconds(sessions))
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
    "AttendanceReport",
    "MatchResult",
    "UnmatchedParticipant",
    "import_attendance",
    "list_attendance",
    "match_attendance",
    "split_name",
    "to_minutes",
    "union_seconds",
]
