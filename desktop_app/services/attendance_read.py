"""Reading a Zoom / 腾讯会议 / 钉钉 participants export into participants with their stays.

What the files look like is in shared FORMATS.md; the sheet itself is read by
desktop_app.io (header found by its names below a meeting-info block; UTF-8/BOM/GBK;
NFKC, so the full-width brackets of 用户昵称（入会昵称） arrive as ASCII). On top of that:

- A sheet may hold several participant tables, each under its own header row: Zoom's
  webinar Attendee Report has Host Details / Panelist Details / Attendee Details sections.
  Rows of host and panelist sections are hosts; "Attended: No" rows (registered, never
  came) are not participants.
- The meeting block above the first header (Zoom's Meeting ID / Topic / User Email …,
  腾讯会议's 会议主题 / 会议创建者 …, across or down) names the host by e-mail or name.
- Dates written with the year last (07/12/2026) are read D/M/Y or M/D/Y for the whole
  file: whichever the values prove, else whichever is nearer the event's day. Time zones
  named in headers, dates without a year and times of day alone: attendance_times.
- A bare number in the duration column is minutes, unless the header says 秒 / seconds
  (or 小时 / hours). A replay column (回放观看时长) is never the time in the meeting.
  Zoom rows "In waiting room: Yes" are time outside the meeting.
- Placeholder names ("电话用户", "微信用户", "iPhone") are nobody in particular: without
  a phone or e-mail each of their stays is a participant of its own (two "电话用户" are
  two callers, not one person in two places).
- A row whose duration is shorter than its first-to-last span (腾讯会议 成员参会概况,
  钉钉 观看数据: 累计 time with first join and last leave) is a summary: its duration
  counts, not the span.
- What says which day the file is from (attendance_dates): each stay whose join or leave
  was written with a date (not a time of day alone), and the meeting block's start
  (Start Time / 开始时间 / 预定开始时间 / 会议时间 …).
- A 签到 (sign-in) list — 签到时间 / 签到状态 columns, no join, leave or duration — has
  no time in the meeting: refused with its own message (attendance_sign_in_list).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo
from functools import lru_cache
from pathlib import Path
from typing import Any

from desktop_app.domain.errors import FileUnreadable
from desktop_app.domain.timeutil import zone
from desktop_app.io.mapping import FieldSpec, guess_mapping, normalise_header
from desktop_app.io.tables import Cell, Row, Table, read_table
from desktop_app.io.values import (
    CellError,
    infer_day_first,
    parse_bool,
    parse_duration,
    zone_hint,
)
from desktop_app.services.attendance_match import (
    PhoneClue,
    norm_name,
    phone_cell_clue,
    shown_identity,
    split_name,
)
from desktop_app.services.attendance_times import Clock, read_when
from desktop_app.services.import_report import Tally
from desktop_app.services.row_problems import (
    RowProblem,
    Said,
    joined,
    problem,
    refused,
    say,
    shown,
    why,
)

HOST_ROLES = frozenset(
    {
        "主持人",
        "联席主持人",
        "host",
        "co-host",
        "cohost",
        "联合主持人",
        "创建者",
        "会议创建者",
        "嘉宾",
        "panelist",
        "ホスト",
        "共同ホスト",
    }
)
_ROLE_WORDS = re.compile(r"[\s,，、/;；()（）\[\]【】|]+")
# 腾讯会议 workbooks: the per-join sheet gives intervals; the overview only totals.
DETAIL_SHEETS = ("成员参会明细", "成员观看明细", "参会明细")
OVERVIEW_SHEETS = ("成员参会概况", "成员观看概况", "参会概况")
# Section titles of hosts' tables (Zoom webinar report: Host Details, Panelist Details).
_HOST_SECTION = re.compile(r"host|panelist|主持|嘉宾|讲师", re.IGNORECASE)
# Meeting-block labels whose value is the host.
# (Zoom's block is in the UI's language: User Email / 用户邮箱 / ユーザーメール.)
_HOST_EMAIL_KEYS = {
    "useremail",
    "hostemail",
    "用户邮箱",
    "主持人邮箱",
    "创建者邮箱",
    "ユーザーメール",
}
_HOST_NAME_KEYS = {"host", "hostname", "主持人", "会议创建者", "创建者", "主持人昵称", "ホスト"}
# Meeting-block labels naming the zone of every time in the file.
_ZONE_KEYS = {"timezone", "时区", "タイムゾーン"}
# Meeting-block labels of when the meeting began and ended (scheduled or actual; never
# 导出时间 / Report Generated, which can be days later).
_MEETING_START_KEYS = tuple(
    normalise_header(x)
    for x in ("Actual Start Time", "Start Time", "实际开始时间", "开始时间", "会议开始时间",
              "预定开始时间", "直播开始时间", "会议时间", "直播时间", "開始時間", "開始日時")
)  # fmt: skip
_MEETING_END_KEYS = tuple(
    normalise_header(x)
    for x in ("End Time", "实际结束时间", "结束时间", "会议结束时间", "预定结束时间",
              "直播结束时间", "終了時間", "終了日時")
)  # fmt: skip
# "2026-12-07 19:00 - 21:00", "19:00~21:00", "… 至 …": the first part is the start.
_RANGE_SPLIT = re.compile(r"\s+[-–—]\s+|(?<=:\d\d)\s*[-–—]\s*|\s*[~～至]\s*")
# Columns of a 签到 (sign-in) list: who signed in when, not how long they stayed.
_SIGN_IN_HEADER = re.compile(
    r"^(?:首次|最后)?签到(?:时间|状态|结果|情况|方式|次数)?$|^是否签到$"
    r"|^(?:sign-?in|check-?in)(?:time|status)$"
)
# Labels of a meeting block row (Zoom: Meeting ID, Topic …): never a participant header,
# although it has a Participants / 参会者 count and a Duration.
_MEETING_LABELS = frozenset(
    normalise_header(x)
    for x in ("Meeting ID", "Webinar ID", "Topic", "会议 ID", "会议ID", "主题", "ミーティングID",
              "トピック", "ウェビナーID")
)  # fmt: skip
# A duration column of replays (钉钉 回放观看时长) is not time at the live event.
# ("含回放", including replays, is the whole time and stays a candidate.)
_REPLAY_HEADER = re.compile(r"(?<!含)回放|点播|录播|replay|playback", re.IGNORECASE)
SUMMARY_SLACK_SECONDS = 60  # rounding of "62分钟" against a 62:59 span

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
            "名称（原始名称）",
            "姓名（原始姓名）",
            "用户昵称（入会昵称）",
            "用户昵称",
            "入会昵称",
            "参会者",
            "参会人",
            "参会人员",
            "观众昵称",
            "微信昵称",
            "昵称",
            "姓名",
            "用户名",
        ),
        required=True,
    ),
    FieldSpec("nickname", ("入会昵称", "会中昵称", "原始名称", "Original Name")),
    FieldSpec(
        "email",
        ("User Email", "Email", "E-mail", "ユーザーメール", "邮箱", "电子邮箱", "用户邮箱"),
    ),
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
            "进入直播间时间",
            "首次进入直播间时间",
            "进入直播时间",
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
            "离会时间",
            "最后离会时间",
            "离开时间",
            "退出时间",
            "最后离开时间",
            "结束观看时间",
            "最后观看时间",
            "离开直播间时间",
            "最后离开直播间时间",
            "离开直播时间",
        ),
    ),
    FieldSpec(
        "duration",
        (
            "Duration (Minutes)",
            "Duration (minutes)",
            "Total Duration (Minutes)",
            "Time in Session (minutes)",
            "所要時間（分）",
            "所要時間(分)",
            "持续时间（分钟）",
            "持续时间",
            "时长（分钟）",
            "单次参会时长",
            "累计参会时长",
            "参会时长",
            "观看时长",
            "累计观看时长",
            "直播观看时长",
            "观看直播时长",
            "直播时长",
            "在线时长",
        ),
    ),
    FieldSpec("role", ("身份", "角色", "Role", "参会身份", "参会角色")),
    # Zoom: Guest = No is someone signed in to the host's own account (a colleague)
    FieldSpec("guest", ("Guest", "Is Guest", "ゲスト", "访客", "是否访客")),
    # 钉钉: the account behind a display name (用户ID / UserId / 工号)
    FieldSpec("user_id", ("用户ID", "用户id", "UserId", "User ID", "钉钉ID", "员工ID", "unionid")),
    FieldSpec("attended", ("Attended", "是否参会", "是否入会", "是否观看")),
    FieldSpec("waiting", ("In waiting room", "In Waiting Room", "InWaitingRoom", "是否在等候室")),
)
_NAME_HEADERS = frozenset(normalise_header(a) for a in FIELDS[0].aliases)
_SECONDS_HEADER = re.compile(r"秒|second|\bsecs?\b|\(s\)", re.IGNORECASE)
_HOURS_HEADER = re.compile(r"小时|hour|\(h\)", re.IGNORECASE)


@dataclass(slots=True)
class Stay:
    """One row's time in the meeting (or in the waiting room)."""

    row: int
    join: datetime | None
    leave: datetime | None
    seconds: float | None
    waiting: bool = False
    dated: bool = False  # the join or leave was written with a date, not a time alone

    def interval(self) -> tuple[datetime, datetime] | None:
        """[join, leave] when the row is one stay; None when it has no span or is a summary
        (its duration is less than first-to-last: several stays added up)."""
        if self.join is None or self.leave is None:
            return None
        span = (self.leave - self.join).total_seconds()
        if self.seconds is not None and self.seconds < span - SUMMARY_SLACK_SECONDS:
            return None
        return self.join, self.leave


@dataclass(slots=True)
class Participant:
    key: str
    name: str  # as shown (nickname)
    names: set[str]  # every name they go by, normalised (with and without phone digits)
    clues: list[PhoneClue]  # phone digits shown: phone column first, then in the names
    phone: str | None  # E.164, from the phone column
    masked: str | None  # the phone column's 138****1234
    email: str | None
    staff: Said | None = None  # why they are the dealership's, not an attendee (None: not)
    stays: list[Stay] = field(default_factory=list)
    parts: set[str] = field(default_factory=set)  # parts of nicknames ("途观L-刘洋")
    kind: str | None = None  # 'anonymous' / 'room': a placeholder name (attendance_match)

    def meeting_stays(self) -> list[Stay]:
        return [x for x in self.stays if not x.waiting]


# Rows beyond created / updated / unchanged / duplicates / rejected: a participant's later
# rows (rejoins, a second device), rows of staff (hosts, the dealership's own people) and
# rows of people who registered for a webinar and never came.
EXTRA_BUCKETS = ("rejoins", "staff", "absent")


@dataclass(slots=True)
class Collected:
    people: dict[str, Participant]
    tally: Tally  # rows placed while reading: rejected, duplicates, absent
    rows: int  # data rows read, hosts and absentees included
    waiting_room: int  # rows of time in Zoom's waiting room
    platform: str
    sheet: str | None
    meeting: tuple[datetime, datetime] | None = None  # the block's start and end
    host_domain: str | None = None  # the host's own e-mail domain (a company's, not qq.com)


@dataclass(slots=True)
class _Section:
    title: str
    headers: tuple[str, ...]
    cols: dict[str, int]
    rows: list[Row] = field(default_factory=list)

    def zone(self, key: str) -> tzinfo | None:
        """The zone the header of column `key` names ("Join Time (GMT+08:00)")."""
        col = self.cols.get(key)
        return zone_hint(self.headers[col]) if col is not None else None

    @property
    def hosts(self) -> bool:
        return bool(_HOST_SECTION.search(self.title))


# --------------------------------------------------------------------------- sheet


def _map(headers: Sequence[object]) -> dict[str, int]:
    texts = [h if isinstance(h, str) and not _REPLAY_HEADER.search(h) else "" for h in headers]
    cols = guess_mapping(texts, FIELDS)
    if "name" not in cols and "nickname" in cols:
        cols["name"] = cols.pop("nickname")
    return cols


@lru_cache(maxsize=4096)
def _names_participant(cell: str) -> bool:
    return normalise_header(cell) in _NAME_HEADERS


def _table_cols(cells: Sequence[Cell], chosen: bool) -> dict[str, int] | None:
    """The mapping when this row is a participant table's header, else None. Rows other
    than the one read_table chose must name the participant exactly (cheap to test:
    times and numbers start with a digit, no header for the name does)."""
    if not chosen and not any(
        isinstance(c, str) and not c[:1].isdigit() and _names_participant(c) for c in cells
    ):
        return None
    if any(isinstance(c, str) and normalise_header(c) in _MEETING_LABELS for c in cells):
        return None
    cols = _map(cells)
    return cols if "name" in cols and {"join", "duration"} & cols.keys() else None


def _title(row: Row) -> str | None:
    filled = [c for c in row.cells if c is not None]
    return filled[0].strip() if len(filled) == 1 and isinstance(filled[0], str) else None


def sections(table: Table) -> tuple[list[Row], list[_Section]]:
    """(the meeting block above the first participant table, the participant tables)."""
    rows = [Row(n, cells) for n, cells in zip(table.preamble_rows, table.preamble, strict=False)]
    chosen = len(rows)
    rows += [Row(table.header_row, table.headers), *table.rows]
    heads = [_table_cols(r.cells, i == chosen) for i, r in enumerate(rows)]
    meeting: list[Row] = []
    found: list[_Section] = []
    title = ""
    for i, row in enumerate(rows):
        cols = heads[i]
        if cols is not None:
            headers = tuple(c if isinstance(c, str) else "" for c in row.cells)
            found.append(_Section(title, headers, cols))
            title = ""
        elif (t := _title(row)) is not None and i + 1 < len(rows) and heads[i + 1] is not None:
            title = t
            if not found:  # also the meeting block's last line ("会议时间：…" right above)
                meeting.append(row)
        elif found:
            found[-1].rows.append(row)
        else:
            meeting.append(row)
    return meeting, found


def meeting_info(rows: Sequence[Row]) -> dict[str, list[str]]:
    """Labels and values of a meeting block: across (a row of ≥ 3 labels over a row of
    values, Zoom) or down ('会议主题 | X' or '会议主题：X', 腾讯会议). Keys normalised."""
    info: dict[str, list[str]] = {}

    def put(label: object, value: object) -> None:
        if isinstance(label, str) and value is not None:
            key = normalise_header(label)
            text = value.isoformat(" ") if isinstance(value, datetime | date) else str(value)
            if key and text.strip():
                info.setdefault(key, []).append(text.strip())

    for i, row in enumerate(rows):
        filled = [(c, v) for c, v in enumerate(row.cells) if v is not None]
        if len(filled) >= 3 and all(isinstance(v, str) for _, v in filled) and i + 1 < len(rows):
            for c, label in filled:
                put(label, rows[i + 1].get(c))
        elif len(filled) == 2:
            put(filled[0][1], filled[1][1])
        elif len(filled) == 1 and isinstance(filled[0][1], str):
            parts = re.split(r"[:：]", filled[0][1], maxsplit=1)
            if len(parts) == 2:
                put(parts[0], parts[1])
    return info


# --------------------------------------------------------------------------- rows


def _read(path: Path) -> tuple[Table, Table | None]:
    """The table with the most detail, and a 腾讯会议 workbook's overview sheet if any."""
    first = read_table(path, fields=FIELDS)
    detail = next((n for n in DETAIL_SHEETS if n in first.sheets), None)
    overview = next((n for n in OVERVIEW_SHEETS if n in first.sheets), None)
    main = (
        read_table(path, sheet=detail, fields=FIELDS) if detail and first.sheet != detail else first
    )
    other = None
    if overview and main.sheet != overview:
        other = (
            first if first.sheet == overview else read_table(path, sheet=overview, fields=FIELDS)
        )
    return main, other


def platform_of(table: Table, meeting: Sequence[Row], found: Sequence[_Section]) -> str:
    heads = " ".join(h for s in found for h in s.headers).lower()
    sheets = " ".join(table.sheets)
    pre = " ".join(
        [str(c) for row in meeting for c in row.cells if c is not None] + [s.title for s in found]
    ).lower()
    if "钉钉" in pre or "dingtalk" in pre:
        return "dingtalk"
    if "视频号" in pre or "视频号" in sheets or "微信昵称" in heads:
        return "wechat_channels"
    if "成员参会" in sheets or "成员观看" in sheets or "入会" in heads or "腾讯会议" in pre:
        return "tencent_meeting"
    if "观看时长" in heads:
        return "dingtalk"
    zoom_words = ("original name", "join time", "参加時刻", "webinar", "zoom", "原始名称")
    if any(w in heads or w in pre for w in zoom_words):
        return "zoom"
    return "other"


def _overview_hosts(overview: Table | None) -> set[str]:
    """腾讯会议: 身份 may be on the overview sheet only."""
    if overview is None:
        return set()
    cols = _map(overview.headers)
    if "name" not in cols or "role" not in cols:
        return set()
    found = set()
    for r in overview.rows:
        role, name = r.get(cols["role"]), r.get(cols["name"])
        if is_host_role(role) and name:
            found.add(norm_name(str(name)))
    return found


def is_host_role(role: Cell) -> bool:
    """身份 / Role of a host: 主持人, 联席主持人, Co-host, and the same with a note
    ("主持人（我）", "会议创建者/主持人"); 普通参会者 and attendees are not."""
    if not isinstance(role, str):
        return False
    text = role.strip().lower()
    return text in HOST_ROLES or any(w in HOST_ROLES for w in _ROLE_WORDS.split(text) if w)


def _bare_unit(header: str) -> str:
    if _SECONDS_HEADER.search(header):
        return "seconds"
    return "hours" if _HOURS_HEADER.search(header) else "minutes"


def _when(row: Row, sec: _Section, key: str, ctx: _Context) -> tuple[datetime | None, bool]:
    """(the cell's date and time, whether it was a time of day alone), in the zone the
    header or the cell names, else the meeting block's, else the event's."""
    clock = Clock(ctx.start, sec.zone(key) or ctx.file_zone or zone(ctx.tz))
    return read_when(row.get(sec.cols.get(key)), clock, day_first=ctx.day_first, what=key)


def _flag(row: Row, col: int | None) -> bool | None:
    try:
        return parse_bool(row.get(col))
    except ValueError:
        return None  # a free-text cell says nothing


@dataclass(frozen=True, slots=True)
class _Context:
    tz: str
    start: datetime | None  # the event's start (aware)
    day_first: bool
    host_emails: frozenset[str]
    host_names: frozenset[str]
    file_zone: tzinfo | None = None  # the meeting block's 时区 / Time Zone
    platform: str = "other"
    host_domain: str | None = None


# Mail services anyone can sign up to: the host's address there says nothing about who
# else works with them (a host on qq.com does not make every qq.com attendee staff).
PUBLIC_MAIL = frozenset(
    {"qq.com", "vip.qq.com", "foxmail.com", "163.com", "126.com", "yeah.net", "vip.163.com",
     "sina.com", "sina.cn", "sohu.com", "139.com", "189.cn", "wo.cn", "aliyun.com",
     "gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "live.com", "msn.com",
     "yahoo.com", "yahoo.com.cn", "icloud.com", "me.com", "mac.com", "protonmail.com",
     "proton.me", "tom.com", "21cn.com", "263.net"}
)  # fmt: skip


def own_domain(emails: frozenset[str] | set[str]) -> str | None:
    """The host's own e-mail domain (their company's), None for a public mail service."""
    for email in sorted(emails):
        domain = email.rpartition("@")[2].strip().lower()
        if domain and domain not in PUBLIC_MAIL:
            return domain
    return None


def _email_of(*cells: Cell) -> str | None:
    for cell in cells:
        if isinstance(cell, str) and "@" in cell and " " not in cell.strip():
            return cell.strip().lower()
    return None


def _stay(row: Row, sec: _Section, ctx: _Context, warnings: list[RowProblem]) -> Stay:
    """The row's time: join/leave (attendance_times.read_when), duration in
    the header's unit, waiting room or not. A cell nobody can read is left out with a
    warning (the participant still came)."""
    cols = sec.cols

    def when(key: str) -> tuple[datetime | None, bool]:
        try:
            return _when(row, sec, key, ctx)
        except ValueError as exc:
            warnings.append(_left_out(row, sec, key, exc))
            return None, False

    join, join_clock = when("join")
    leave, leave_clock = when("leave")
    if join and leave and leave < join and (join_clock or leave_clock):
        leave += timedelta(days=1)  # times of day only: left after midnight
    unit = _bare_unit(sec.headers[cols["duration"]]) if "duration" in cols else "minutes"
    try:
        dur = parse_duration(row.get(cols.get("duration")), bare_unit=unit)
    except ValueError as exc:
        warnings.append(_left_out(row, sec, "duration", exc))
        dur = None
    seconds = dur.total_seconds() if dur is not None else None
    waiting = bool(_flag(row, cols.get("waiting")))
    dated = (join is not None and not join_clock) or (leave is not None and not leave_clock)
    return Stay(row.number, join, leave, seconds, waiting, dated)


def _left_out(row: Row, sec: _Section, key: str, exc: ValueError) -> RowProblem:
    raw = row.get(sec.cols.get(key))
    return problem(row.number, "import_dropped", key, shown(raw), detail=why(exc, raw))


def _parse_row(
    row: Row, sec: _Section, ctx: _Context, warnings: list[RowProblem]
) -> tuple[Participant | None, Stay]:
    """(who, their stay); who is None for an empty-looking line. ValueError for a row
    that cannot be used (no time at all, or leaving before joining), with the reason."""
    cols = sec.cols
    stay = _stay(row, sec, ctx, warnings)
    raw_name = row.get(cols["name"])
    nickname = row.get(cols.get("nickname"))
    phone_cell = row.get(cols.get("phone"))
    clue = phone_cell_clue(phone_cell)
    phone = clue.full if clue else None
    email = _email_of(row.get(cols.get("email")), phone_cell)
    if raw_name is None and phone is None and email is None and nickname is None:
        if stay.join is None and stay.seconds is None:
            return None, stay
        raise CellError("attendance_no_identity")
    if stay.join and stay.leave and stay.leave < stay.join:
        raise CellError("attendance_leave_first")
    if stay.join is None and stay.seconds is None:
        raise CellError("attendance_no_time")
    cells = [str(c) for c in (raw_name, nickname) if c is not None] or [str(phone or email)]
    shown = shown_identity(cells)
    email = email or shown.email
    clues = ([clue] if clue else []) + list(shown.clues)
    user_id = row.get(cols.get("user_id"))
    who = Participant(
        _key(cells[0], phone, email, clue, shown.kind, stay, ctx.platform, user_id),
        split_name(cells[0])[0],
        set(shown.names),
        clues,
        phone,
        clue.shown() if clue and not clue.full else None,
        email,
        _staff_in_file(row, sec, ctx, email, shown.names, shown.kind),
        parts=set(shown.parts),
        kind=shown.kind,
    )
    return who, stay


def _staff_in_file(
    row: Row,
    sec: _Section,
    ctx: _Context,
    email: str | None,
    names: frozenset[str],
    kind: str | None,
) -> Said | None:
    """Why the file shows this row is the dealership's own: a host or co-host (身份, a
    Host/Panelist section, the meeting block's host), a Zoom account of the host's own
    (Guest = No), an address on the host's own domain. None for an attendee. A meeting
    room is a place, not a person: customers may watch from the showroom's Zoom Room, so
    only a host's role makes it staff."""
    if (
        sec.hosts
        or is_host_role(row.get(sec.cols.get("role")))
        or (email is not None and email in ctx.host_emails)
        or bool(names & ctx.host_names)
    ):
        return say("attendance_staff_host")
    if kind == "room":
        return None
    if "guest" in sec.cols and _flag(row, sec.cols["guest"]) is False:
        return say("attendance_staff_not_guest")
    if ctx.host_domain and email and email.rpartition("@")[2] == ctx.host_domain:
        return say("attendance_staff_domain", domain=ctx.host_domain)
    return None


def _key(
    name: str,
    phone: str | None,
    email: str | None,
    clue: PhoneClue | None,
    kind: str | None,
    stay: Stay,
    platform: str = "other",
    user_id: object = None,
) -> str:
    """Who a row is in this file — the account, never the display name it showed: a full
    phone, else an e-mail, else 钉钉's user id, else the account's name: 腾讯会议's 用户昵称
    (the part before the brackets of "用户昵称(入会昵称)"; a changed 入会昵称 is the same
    person), Zoom's original name (inside the brackets of "Name (Original Name)"), with
    the phone column's digits. A placeholder name with nothing else is only this one stay
    ("电话用户" twice are two callers)."""
    if phone:
        return f"phone:{phone}"
    if email:
        return f"email:{email}"
    if user_id is not None and str(user_id).strip():
        return f"id:{str(user_id).strip()}"
    if clue is None and kind == "anonymous":
        when = stay.join.astimezone(UTC).isoformat() if stay.join else f"row{stay.row}"
        return f"anon:{norm_name(name)}@{when}"
    return f"name:{norm_name(account_name(name, platform))}" + (f"|{clue.shown()}" if clue else "")


def account_name(cell: str, platform: str) -> str:
    """The name of the account behind a name cell: 腾讯会议 "用户昵称(入会昵称)" → 用户昵称;
    Zoom "Display (Original)" → Original; anything else as written."""
    shown, inside = split_name(cell)
    if inside is None:
        return cell
    if platform == "tencent_meeting":
        return shown
    if platform == "zoom":
        return inside
    return cell


def collect(path: Path, tz: str, start: datetime | None) -> Collected:
    """Read the export at `path` into participants (see the module doc); `start` is the
    event's start (aware), which places dates without a year and times of day alone.

    Raises FileUnreadable when it cannot be read or holds no participant table (with
    its own message for a 签到 sign-in list)."""
    table, overview = _read(path)
    meeting, found = sections(table)
    if not found:
        code = "attendance_sign_in_list" if is_sign_in_list(table) else "attendance_no_table"
        raise FileUnreadable(code=code, file=path.name)
    info = meeting_info(meeting)
    times = [
        r.get(s.cols.get(k))
        for s in found
        for r in s.rows
        for k in ("join", "leave")
        if k in s.cols
    ]
    near = start.astimezone(zone(tz)).date() if start else None
    host_emails = frozenset(v.lower() for k in _HOST_EMAIL_KEYS for v in info.get(k, []))
    ctx = _Context(
        tz=tz,
        start=start,
        day_first=infer_day_first(times, near),
        host_emails=host_emails,
        host_names=frozenset(
            {norm_name(v) for k in _HOST_NAME_KEYS for v in info.get(k, [])}
            | _overview_hosts(overview)
        ),
        file_zone=next(
            (z for k in _ZONE_KEYS for v in info.get(k, []) if (z := zone_hint(v))), None
        ),
        platform=platform_of(table, meeting, found),
        host_domain=own_domain(host_emails),
    )
    tally = Tally(*EXTRA_BUCKETS, linking=("rejoins",))
    out = Collected({}, tally, 0, 0, ctx.platform, table.sheet)
    out.meeting = _meeting_span(info, ctx)
    out.host_domain = ctx.host_domain
    seen: dict[tuple[Any, ...], int] = {}
    for sec in found:
        for row in sec.rows:
            out.rows += 1
            _take(row, sec, ctx, out, seen)
    return out


def is_sign_in_list(table: Table) -> bool:
    """A 签到 list: a header row with 签到时间 / 签到状态 style columns and no join, leave
    or duration column (腾讯会议's 签到 export, a 钉钉 签到 sheet)."""
    for cells in (*table.preamble, table.headers):
        texts = [normalise_header(c) for c in cells if isinstance(c, str)]
        if any(_SIGN_IN_HEADER.match(t) for t in texts) and not (
            {"join", "leave", "duration"} & _map(cells).keys()
        ):
            return True
    return False


def _block_when(values: Sequence[str], ctx: _Context) -> datetime | None:
    """The first of a meeting-block label's values read as a date and time (a time of day
    alone says nothing about the day); a range's first part."""
    clock = Clock(ctx.start, ctx.file_zone or zone(ctx.tz))
    for value in values:
        text = _RANGE_SPLIT.split(value.strip(), maxsplit=1)[0]
        try:
            when, clock_only = read_when(text, clock, day_first=ctx.day_first, what="join")
        except ValueError:
            continue
        if when is not None and not clock_only:
            return when
    return None


def _meeting_span(info: dict[str, list[str]], ctx: _Context) -> tuple[datetime, datetime] | None:
    """When the meeting block says the meeting began and ended (the one it gives for
    both when it gives one), or None when it says neither."""
    start = next((w for k in _MEETING_START_KEYS if (w := _block_when(info.get(k, []), ctx))), None)
    end = next((w for k in _MEETING_END_KEYS if (w := _block_when(info.get(k, []), ctx))), None)
    start = start or end
    if start is None:
        return None
    return start, end if end is not None and end >= start else start


def _take(
    row: Row, sec: _Section, ctx: _Context, out: Collected, seen: dict[tuple[Any, ...], int]
) -> None:
    """Read one row into its participant; the rows that are nobody's time in the meeting
    are placed here (absent, rejected, not data, the same line twice)."""
    if "attended" in sec.cols and _flag(row, sec.cols["attended"]) is False:
        out.tally.put(row.number, "absent")
        return
    warnings: list[RowProblem] = []
    try:
        p, stay = _parse_row(row, sec, ctx, warnings)
    except ValueError as exc:  # with the cells that could not be read, if any
        out.tally.reject(joined(row.number, [refused(row.number, exc), *warnings]))
        return
    if p is None:
        out.tally.reject(problem(row.number, "import_not_data"))
        return
    out.tally.warn(*warnings)
    fingerprint = (p.key, stay.join, stay.leave, stay.seconds, stay.waiting)
    if fingerprint in seen:  # the same line twice (exports pasted together)
        out.tally.put(row.number, "duplicates", seen[fingerprint])
        return
    seen[fingerprint] = row.number
    out.waiting_room += stay.waiting
    known = out.people.get(p.key)
    if known is None:
        out.people[p.key] = known = p
    else:
        known.names |= p.names
        known.parts |= p.parts
        known.clues += [c for c in p.clues if c not in known.clues]
        known.staff = known.staff or p.staff
        known.kind = known.kind if p.kind == known.kind else None  # a real name was seen
    known.stays.append(stay)


# --------------------------------------------------------------------------- minutes


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


def stay_seconds(stays: Sequence[Stay]) -> float:
    """Seconds in the meeting: the union of the stays' intervals (two devices at once
    count once) plus the durations of rows without one; waiting-room rows count nothing."""
    counted = [x for x in stays if not x.waiting]
    spans = [iv for x in counted if (iv := x.interval()) is not None]
    rest = sum(x.seconds or 0.0 for x in counted if x.interval() is None)
    return union_seconds(spans) + rest


def to_minutes(seconds: float) -> int:
    """Whole minutes, rounded up as Zoom does (1 s → 1 min); 0 stays 0."""
    return math.ceil(round(seconds) / 60) if seconds > 0 else 0
