"""Online sign-up import: 问卷星 / 金数据 / 腾讯问卷 exports (.xlsx/.csv) → registrations.

Rules (docs/user-guide describes them for users):
- Columns are found by their names (question numbering like "2、" is ignored; a question
  phrased as a sentence is found by a keyword: 姓名/称呼, 手机/电话, 几人/几位). The
  registrant's phone is 手机/手机号码/联系电话…; a column about someone else — 紧急联系人,
  家属, 亲属, 备用, 推荐人/介绍人 — is never taken as the registrant's name or phone.
- A person who submitted twice is ONE registration: the latest submission (by submit
  time — 提交答卷时间 / 提交时间 / 腾讯问卷's 结束答题时间 — then by row) gives the details;
  earlier rows count as duplicates. The place in the queue (capacity, waitlist) follows
  the person's FIRST submission time.
- 问卷星's 按选项序号 download (choices as option numbers) still imports names, phones
  and head counts, with a warning in the report; an option number is never taken as the
  car model (it is kept as the answer it is). A multi-select split into one 0/1 column per
  option ("5、(试驾体验)", "第5题(…)") is one answer: the list of options ticked.
- A paid form's entry (金数据's 支付状态) that is unpaid or refunded holds no place: it is
  rejected, or counted as a duplicate when the same person's paid entry supersedes it.
- A test drive answered with a choice's text ("需要试驾", "暂不需要") is read as yes or no;
  of several models ticked the first is the model; a plate that is no plate ("无") is an
  answer, except for a club drive (it needs the car: the row is refused, saying why).
- Unknown phones become prospects with source online_form; bad phones, missing names,
  unreadable head counts and full events without waitlist reject the row (row number as
  the spreadsheet shows it, and the reason); the rest of the file still imports.
- The window is checked at each submission's own time, so importing after registration
  closed still takes the submissions made in time; a closed event still takes them.
- A person already registered keeps their registration; a newer submission updates its
  party size and answers. A cancelled registration is re-activated only by a submission
  made after it was cancelled (re-importing an old export never undoes a cancellation).
- One transaction: the whole file or nothing. dry_run reports without changing anything.
"""

from __future__ import annotations

import re
import uuid
from collections import Counter
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.domain.enums import RegistrationSource, RegistrationStatus
from desktop_app.domain.errors import FileUnreadable, NotFound, PaddockError
from desktop_app.domain.roles import Permission
from desktop_app.domain.timeutil import now_utc, zone
from desktop_app.domain.vehicle_ids import PlateError, normalise_plate
from desktop_app.io import FieldSpec, Row, Table, guess_mapping, normalise_header, read_table
from desktop_app.io.values import (
    CellError,
    clean,
    fill_in,
    parse_bool,
    parse_count,
    parse_datetime,
    parse_multi,
    parse_phone,
    text_or_none,
)
from desktop_app.services.auth import require
from desktop_app.services.common import audit, parse_id
from desktop_app.services.consent import (
    CONSENT_ALIASES,
    CONSENT_KEY,
    CONSENT_KEYWORDS,
    consent_answer,
    set_consent_in,
)
from desktop_app.services.registration import (
    RegistrationRequest,
    capacity_of,
    is_drive,
    register_in,
    seats_used,
)
from desktop_app.services.row_problems import RowProblem, Said, problem, refused, say, why
from desktop_app.store.db import Database
from desktop_app.store.models import Event, Person, Registration

FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec(
        "name",
        ("姓名", "您的姓名", "真实姓名", "车主姓名", "名字", "称呼", "name", "联系人"),
        True,
        keywords=("姓名", "称呼"),
    ),
    FieldSpec(
        "phone",
        (
            "手机号码",
            "手机号",
            "手机",
            "联系电话",
            "电话",
            "联系方式",
            "您的手机号",
            "mobile",
            "phone",
        ),
        True,
        keywords=("手机", "电话"),
    ),
    FieldSpec(
        "party",
        ("参加人数", "参与人数", "报名人数", "到场人数", "出席人数", "人数"),
        keywords=("几人", "几位"),
    ),
    FieldSpec("companions", ("同行人数", "随行人数", "携带人数", "陪同人数")),
    FieldSpec("plate", ("车牌号码", "车牌号", "车牌")),
    FieldSpec("model", ("意向车型", "感兴趣的车型", "关注车型", "车型")),
    FieldSpec("test_drive", ("是否需要试驾", "需要试驾", "是否试驾", "试驾")),
    FieldSpec(
        "submitted",
        (
            "提交答卷时间",
            "提交时间",
            "结束答题时间",
            "答题结束时间",
            "完成时间",
            "填写时间",
            "提交日期",
            "created_at",
        ),
    ),
    FieldSpec("payment", ("支付状态", "付款状态", "订单状态", "payment status")),
    # issue 18: 是否同意接收营销信息 — a yes records marketing consent (method "form")
    FieldSpec(CONSENT_KEY, CONSENT_ALIASES, keywords=CONSENT_KEYWORDS),
)
# Columns about somebody else: never the registrant's name or phone. A bare 联系人 /
# 联系人电话 is the registrant (a form's contact person); a second or emergency one is not.
OTHER_PERSON = re.compile(
    r"紧急|家属|亲属|备用|推荐人|介绍人|邀请人|第二联系人|其他联系人|emergency", re.I
)
# A companion's name or phone (同行人手机号) is not the registrant's; 同行人数 still counts.
COMPANION = re.compile(r"同行|随行|陪同|同伴")
_PERSON = ("name", "phone")
# Form-platform metadata, not answers.
META = {
    normalise_header(h)
    for h in (
        "序号", "提交答卷时间", "所用时间", "来源", "来源详情", "来自IP", "总分", "提交人",
        "提交时间", "修改时间", "填写时长", "填写设备", "操作系统", "浏览器", "填写地区", "IP",
        "答题时长", "开始答题时间", "结束答题时间", "编号", "用户ID", "昵称", "微信OpenID",
        "微信UnionID", "微信头像", "微信性别", "微信国家", "微信省份", "微信城市", "地理位置",
        "地理位置国家和地区", "地理位置省份", "地理位置城市", "来源渠道", "自定义字段",
        "更新时间", "IP省份", "IP城市", "IP地址", "IP属地",
    )
}  # fmt: skip
# A column per option of a multi-select (or per row of a matrix): 问卷星 writes
# "5、(试驾体验)", "5(试驾体验)" or "第5题(试驾体验)"; a title may stand before the bracket.
_OPTION_COLUMN = re.compile(
    r"^(?:第\s*(?P<n>\d{1,3})\s*题|(?P<m>\d{1,3})\s*[、.．]?|(?P<title>.*?\S))"
    r"\s*[(（](?P<option>[^()（）]+)[)）]$"
)
_CODE = re.compile(r"^-?\d{1,2}$")
_FLAGS = frozenset({"0", "1"})
# A yes/no question answered with a choice's text: "需要试驾", "暂不需要", "是，安排试驾".
_NO = re.compile(r"^(?:否|不需要|不用|不要|不想|暂不|暂时不|无需|没有?需要|no\b)", re.I)
_YES = re.compile(r"^(?:是|需要|想(?!想)|愿意|好的|yes\b)", re.I)
# Payment states (金数据's 支付状态) that mean the entry holds no paid place.
_UNPAID = re.compile(
    r"未支付|待支付|未付款|待付款|支付失败|已关闭|交易关闭|已取消|unpaid|pending|fail", re.I
)
_REFUNDED = re.compile(r"(?<!部分)退款|(?<!partial )refund", re.I)
OPTION_NUMBERS = say("signup_option_numbers")  # a warning about the whole file
OPTION_NUMBERS_WARNING = OPTION_NUMBERS.en


@dataclass(frozen=True, slots=True)
class SignupReport:
    """DESIGN.md's import report: created/updated/unchanged count PEOPLE (created = new
    prospects; updated = known people whose registration this file created or changed;
    unchanged = known people already registered exactly so); duplicates and rejected
    count ROWS. `registrations` counts outcomes per registration."""

    created: int
    updated: int
    unchanged: int
    duplicates: int
    rejected: tuple[RowProblem, ...]
    registrations: dict[str, int]
    rows: int
    file: str
    mapping: dict[str, str]
    dry_run: bool
    duplicate_rows: tuple[tuple[int, int], ...] = ()  # (row, row that superseded it)
    registration_ids: tuple[uuid.UUID, ...] = field(default=())
    notes: tuple[Said, ...] = ()  # warnings about the whole file, in both languages

    @property
    def warnings(self) -> tuple[str, ...]:
        """The warnings in English (logs, tests); to_json() and summary() localize them."""
        return tuple(n.en for n in self.notes)

    def to_json(self) -> dict[str, Any]:
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "duplicates": self.duplicates,
            "rejected": [r.to_json() for r in self.rejected],
            "registrations": dict(self.registrations),
            "rows": self.rows,
            "file": self.file,
            "mapping": self.mapping,
            "dry_run": self.dry_run,
            "duplicate_rows": [{"row": r, "superseded_by": k} for r, k in self.duplicate_rows],
            "warnings": [n.localized() for n in self.notes],
        }

    def summary(self) -> str:
        regs = ", ".join(f"{k} {v}" for k, v in self.registrations.items() if v)
        head = "dry run — nothing changed. " if self.dry_run else ""
        lines = [
            f"{head}{self.rows} rows: {self.created} new people, {self.updated} updated, "
            f"{self.unchanged} unchanged, {self.duplicates} duplicates, "
            f"{len(self.rejected)} rejected",
            f"registrations: {regs or 'none'}",
        ]
        lines += [f"  row {r.row}: {r.localized()}" for r in self.rejected]
        lines += [f"warning: {n.localized()}" for n in self.notes]
        return "\n".join(lines)


@dataclass(slots=True)
class Submission:
    row: int
    name: str
    phone: str
    party: int
    submitted: datetime | None  # UTC
    plate: str | None
    model: str | None
    test_drive: bool
    answers: dict[str, Any]
    first_submitted: datetime | None = None
    unpaid: RowProblem | None = None  # holds no place: rejected unless superseded (dedupe)
    consent: bool | None = None  # the form's marketing-consent answer


class _DryRun(Exception):
    def __init__(self, report: SignupReport) -> None:
        self.report = report


# --------------------------------------------------------------------------- mapping


def map_columns(headers: tuple[str, ...], options: Collection[int] = ()) -> dict[str, int]:
    """{field: column}; registrant name/phone never from a column about someone else (nor
    a companion's: 同行人手机), no field from one option's 0/1 column of a split
    multi-select (`options`). Raises FileUnreadable naming the columns when the name or
    phone column is missing."""
    usable = [
        "" if OTHER_PERSON.search(h or "") or c in options else h for c, h in enumerate(headers)
    ]
    person = ["" if COMPANION.search(h or "") else h for h in usable]
    mapping = guess_mapping(person, [f for f in FIELDS if f.key in _PERSON])
    rest = [f for f in FIELDS if f.key not in _PERSON]
    mapping = guess_mapping(usable, rest, dict.fromkeys(_PERSON) | mapping) | mapping
    if "name" not in mapping or "phone" not in mapping:
        missing = "_".join(k for k in _PERSON if k not in mapping)
        raise FileUnreadable(
            code=f"signup_no_{missing}_column", columns=", ".join(h for h in headers if h)
        )
    return mapping


def _local_to_utc(dt: datetime | None, tz: str) -> datetime | None:
    if dt is None:
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=zone(tz))
    return dt.astimezone(zone("UTC"))


def _party(row: Any, mapping: dict[str, int]) -> int:
    party = parse_count(row.get(mapping["party"])) if "party" in mapping else None
    if party is None and "companions" in mapping:
        companions = parse_count(row.get(mapping["companions"]))
        party = 1 + (companions or 0)
    if party is None:
        return 1
    if party < 1:
        raise CellError("signup_party_min")
    return party


def option_columns(table: Table) -> dict[int, tuple[str, str]]:
    """{column: (question, option)} of multi-selects split into one 0/1 column per option
    (at least two columns of one question; every answer 0 or 1, or skipped). The question
    is its title when the header has one, else "第N题"."""
    found: dict[int, tuple[str, str]] = {}
    for col, header in enumerate(table.headers):
        m = _OPTION_COLUMN.match(header or "")
        if m is None:
            continue
        values = {clean(r.get(col)) for r in table.rows} - {None}
        if values <= _FLAGS:
            number = m["n"] or m["m"]
            question = f"第{number}题" if number else m["title"].rstrip("、:：").strip()
            found[col] = (question, m["option"].strip())
    per_question = Counter(q for q, _ in found.values())
    return {c: qo for c, qo in found.items() if per_question[qo[0]] >= 2}


def multi_select_columns(table: Table) -> set[int]:
    """Columns of multi-select questions: "多选" in the title, or any answer joined by ┋."""
    cols = {c for c, h in enumerate(table.headers) if "多选" in (h or "")}
    for row in table.rows:
        cols |= {c for c, v in enumerate(row.cells) if isinstance(v, str) and "┋" in v}
    return cols


def option_number_download(table: Table) -> bool:
    """问卷星's 按选项序号 download: one 0/1 column per option of a multi-select, or a
    question answered -2 (skipped) / -3 (not shown), which its 按选项文本 download writes
    (跳过) and leaves empty — a fill-in question skipped is -2 there too."""
    if option_columns(table):
        return True
    for col, header in enumerate(table.headers):
        if not header or normalise_header(header) in META:
            continue
        if any(r.get(col) in ("-2", "-3") for r in table.rows):
            return True
    return False


@dataclass(frozen=True, slots=True)
class _Layout:
    """How the answers are laid out: the columns mapped to fields, multi-select columns
    (joined with ┋) and per-option 0/1 columns (column → question, option)."""

    used: frozenset[int]
    multi: frozenset[int]
    options: dict[int, tuple[str, str]]
    drive: bool = False  # a club drive: a plate that is no plate refuses the row

    @classmethod
    def of(cls, table: Table, mapping: dict[str, int], drive: bool = False) -> _Layout:
        options = option_columns(table)
        used = frozenset(mapping.values())
        return cls(used, frozenset(multi_select_columns(table)), options, drive)


def _answers(table: Table, row: Any, layout: _Layout) -> dict[str, Any]:
    """The other questions' answers, by column title (multi-select ones as lists: a
    question split into 0/1 columns is one list of the options ticked)."""
    out: dict[str, Any] = {}
    for col, header in enumerate(table.headers):
        if col in layout.used or not header or normalise_header(header) in META:
            continue
        value = clean(row.get(col))
        if value is None:
            continue
        text = text_or_none(value) or ""
        if col in layout.options:
            question, option = layout.options[col]
            if text == "1":
                out.setdefault(question, []).append(option)
        elif col in layout.multi:
            out[header] = list(parse_multi(text))
        else:
            out[header] = fill_in(text)
    return out


def parse_rows(table: Table, mapping: dict[str, int], tz: str, *, drive: bool = False) -> tuple[
    list[Submission], list[RowProblem]
]:  # fmt: skip
    """Submissions and rejected rows. For an event that is not a club drive, a plate that
    is no plate ("无") is kept as an answer instead of refusing the row."""
    subs: list[Submission] = []
    problems: list[RowProblem] = []
    layout = _Layout.of(table, mapping, drive)
    for row in table.rows:
        got = _submission(table, row, mapping, tz, layout)
        if isinstance(got, RowProblem):
            problems.append(got)
        else:
            subs.append(got)
    return subs, problems


def _submission(
    table: Table, row: Row, mapping: dict[str, int], tz: str, layout: _Layout
) -> Submission | RowProblem:
    """One row as a submission, or why it is rejected."""
    name = text_or_none(row.get(mapping["name"]))
    raw_phone = row.get(mapping["phone"])
    try:
        phone = parse_phone(raw_phone)
    except ValueError as exc:
        return problem(row.number, "import_phone", detail=why(exc, raw_phone))
    if phone is None:
        return problem(row.number, "signup_no_phone")
    if not name:
        return problem(row.number, "signup_no_name")
    if unpaid := _unpaid(row, mapping):  # kept for dedupe: a paid resubmission supersedes it
        return Submission(row.number, name, phone, 1, None, None, None, False, {}, unpaid=unpaid)
    try:
        party = _party(row, mapping)
    except ValueError as exc:
        return problem(row.number, "signup_party", detail=why(exc))
    try:
        submitted = _local_to_utc(parse_datetime(row.get(mapping.get("submitted"))), tz)
    except ValueError as exc:
        return problem(row.number, "signup_submitted", detail=why(exc))
    answers = _answers(table, row, layout)
    test_drive = _wants_test_drive(answers, table, row, mapping)
    model = _model(answers, table, row, mapping)
    plate = text_or_none(row.get(mapping.get("plate")))
    if plate is not None and not layout.drive:
        try:
            normalise_plate(plate)
        except PlateError:  # "无", "还没提车": no plate, but no reason to refuse the guest
            plate = None
            _keep_answer(answers, table, mapping["plate"], row)
    return Submission(
        row.number, name[:100], phone, party, submitted, plate, model, test_drive, answers,
        consent=consent_answer(row.get(mapping.get(CONSENT_KEY))),
    )  # fmt: skip


def _wants_test_drive(
    answers: dict[str, Any], table: Table, row: Row, mapping: dict[str, int]
) -> bool:
    """是/否, or a choice's text that starts with yes or no ("需要试驾", "暂不需要",
    "是，安排试驾"); anything else ("看情况") is kept as the answer it is."""
    raw = row.get(mapping.get("test_drive"))
    try:
        return bool(parse_bool(raw))
    except ValueError:
        text = text_or_none(raw) or ""
    if _NO.match(text):
        return False
    if _YES.match(text):
        return True
    _keep_answer(answers, table, mapping["test_drive"], row)
    return False


def _model(answers: dict[str, Any], table: Table, row: Row, mapping: dict[str, int]) -> str | None:
    """The car model asked about; of several ticked ("S7┋X5") the first, all kept as the
    answer; an option number is no model (kept as the answer it is)."""
    model = text_or_none(row.get(mapping.get("model")))
    if model is None:
        return None
    if _CODE.match(model):
        _keep_answer(answers, table, mapping["model"], row)
        return None
    choices = parse_multi(model)
    if len(choices) > 1:
        answers[table.column_name(mapping["model"])] = list(choices)
    return choices[0][:100] if choices else None


def _unpaid(row: Row, mapping: dict[str, int]) -> RowProblem | None:
    """A paid form's entry that was never paid, or was refunded, holds no place."""
    status = text_or_none(row.get(mapping.get("payment")))
    if status is None:
        return None
    if _REFUNDED.search(status):
        return problem(row.number, "signup_refunded", status=status)
    if _UNPAID.search(status):
        return problem(row.number, "signup_not_paid", status=status)
    return None


def _keep_answer(answers: dict[str, Any], table: Table, col: int, row: Any) -> None:
    answers[table.column_name(col)] = text_or_none(row.get(col))


def dedupe(subs: list[Submission]) -> tuple[
    list[Submission], list[tuple[int, int]], list[RowProblem]
]:  # fmt: skip
    """One submission per phone: the latest (submit time, then row) wins; the winner keeps
    the first submit time for its place in the queue. Winners in first-submitted order.
    An unpaid entry is superseded by the person's paid one (a payment given up, then made
    again); a person with nothing but unpaid entries is rejected (the third list)."""
    groups: dict[str, list[Submission]] = {}
    for sub in subs:
        groups.setdefault(sub.phone, []).append(sub)
    winners: list[Submission] = []
    dupes: list[tuple[int, int]] = []
    refused: list[RowProblem] = []
    floor = datetime.min.replace(tzinfo=zone("UTC"))
    for group in groups.values():
        valid = sorted(
            (x for x in group if x.unpaid is None), key=lambda x: (x.submitted or floor, x.row)
        )
        if not valid:
            refused += [x.unpaid for x in group if x.unpaid is not None]
            continue
        win = valid[-1]
        win.first_submitted = valid[0].submitted
        winners.append(win)
        dupes += [(x.row, win.row) for x in group if x is not win]
    winners.sort(key=lambda x: (x.first_submitted or floor, x.row))
    return winners, sorted(dupes), refused


# --------------------------------------------------------------------------- applying


def _apply(
    s: Session, e: Event, sub: Submission, counts: dict[str, int], actor: object
) -> tuple[str, uuid.UUID | None]:
    """One winner → (people outcome: created/updated/unchanged, registration id)."""
    person = s.scalars(select(Person).where(Person.phone == sub.phone)).first()
    while person is not None and person.merged_into_id is not None:
        person = s.get(Person, person.merged_into_id)
    existing = None
    if person is not None:
        existing = s.scalars(
            select(Registration).where(
                Registration.event_id == e.id,
                Registration.person_id == person.id,
                Registration.deleted_at.is_(None),
            )
        ).first()
    if existing is not None and existing.status != RegistrationStatus.CANCELLED:
        return _update_existing(s, e, existing, sub, counts), existing.id
    if (
        existing is not None
        and existing.cancelled_at
        and sub.submitted
        and sub.submitted <= existing.cancelled_at
    ):
        counts["kept_cancelled"] += 1
        return "unchanged", existing.id
    req = RegistrationRequest(
        person_id=person.id if person else None,
        phone=sub.phone,
        name=sub.name,
        source=RegistrationSource.ONLINE_FORM.value,
        party_size=sub.party,
        plate=sub.plate,
        answers=sub.answers,
        registered_at=sub.submitted,
        imported=True,
    )
    when = sub.first_submitted or now_utc()
    r, reactivated = register_in(s, e.id, req, actor, now=when)
    r.interest_model = sub.model or r.interest_model
    r.wants_test_drive = sub.test_drive or r.wants_test_drive
    counts["reactivated" if reactivated else r.status] += 1
    if person is None:
        return "created", r.id
    return "updated", r.id


def _consented(
    s: Session, registration_id: uuid.UUID, sub: Submission, file: str, actor: object
) -> None:
    """The form's consent answer was yes: recorded as given on the form, when submitted."""
    reg = s.get(Registration, registration_id)
    person = s.get(Person, reg.person_id) if reg is not None else None
    if person is not None and person.erased_at is None:
        set_consent_in(
            s, person, "marketing", True, "form", actor=actor, source=file,
            at=sub.submitted or sub.first_submitted,
        )  # fmt: skip


def _update_existing(
    s: Session, e: Event, r: Registration, sub: Submission, counts: dict[str, int]
) -> str:
    party = 1 + (r.passengers or 0) if is_drive(e) else sub.party
    same = r.party_size == party and (r.answers or {}) == sub.answers
    if same:
        counts["already"] += 1
        return "unchanged"
    if party > r.party_size and r.status == RegistrationStatus.REGISTERED:
        cap = capacity_of(e)
        if cap is not None and not is_drive(e) and seats_used(s, e) - r.party_size + party > cap:
            raise PaddockError(code="signup_party_full", old=r.party_size, new=party)
    r.party_size = party
    r.answers = sub.answers
    r.interest_model = sub.model or r.interest_model
    r.wants_test_drive = sub.test_drive or r.wants_test_drive
    counts["changed"] += 1
    return "updated"


def import_signups(
    db: Database,
    event_id: str | uuid.UUID,
    path: str | Path,
    *,
    dry_run: bool = False,
    actor: object = None,
    progress: Callable[[int, int], None] | None = None,
    is_cancelled: Callable[[], bool] | None = None,
) -> SignupReport:
    """Import an online-form export into an event's registrations (see module rules)."""
    require(db, actor, Permission.IMPORTS)
    table = read_table(path, fields=FIELDS, progress=progress, is_cancelled=is_cancelled)
    mapping = map_columns(table.headers, option_columns(table))
    with db.read() as s:
        e0 = s.get(Event, parse_id(event_id, "event"))
        if e0 is None or e0.deleted_at is not None:
            raise NotFound("event", event_id)
        tz, drive = e0.timezone, is_drive(e0)
    subs, rejected = parse_rows(table, mapping, tz, drive=drive)
    winners, dupes, unpaid = dedupe(subs)
    rejected += unpaid
    try:
        with db.write() as s:
            e = s.scalars(select(Event).where(Event.id == e0.id).with_for_update()).one()
            report = _import_in(s, e, table, mapping, winners, dupes, rejected, dry_run, actor)
            if dry_run:
                raise _DryRun(report)
            return report
    except _DryRun as done:
        return done.report


def _import_in(
    s: Session,
    e: Event,
    table: Table,
    mapping: dict[str, int],
    winners: list[Submission],
    dupes: list[tuple[int, int]],
    rejected: list[RowProblem],
    dry_run: bool,
    actor: object,
) -> SignupReport:
    people = {"created": 0, "updated": 0, "unchanged": 0}
    counts = dict.fromkeys(
        ("registered", "waitlisted", "reactivated", "changed", "already", "kept_cancelled"), 0
    )
    problems = list(rejected)
    ids: list[uuid.UUID] = []
    for sub in winners:
        try:
            with s.begin_nested():  # a refused row leaves nothing behind (not even a person)
                outcome, rid = _apply(s, e, sub, counts, actor)
                if sub.consent and rid:
                    _consented(s, rid, sub, Path(table.path).name, actor)
        except PaddockError as exc:
            problems.append(refused(sub.row, exc))
            continue
        people[outcome] += 1
        if rid:
            ids.append(rid)
    audit(
        s,
        "signups.import",
        "event",
        e.id,
        {"file": Path(table.path).name, "rows": len(table.rows), **people, **counts},
        actor,
    )
    return SignupReport(
        created=people["created"],
        updated=people["updated"],
        unchanged=people["unchanged"],
        duplicates=len(dupes),
        rejected=tuple(sorted(problems, key=lambda p: p.row)),
        registrations=counts,
        rows=len(table.rows),
        file=table.path,
        mapping={k: table.column_name(v) for k, v in mapping.items()},
        dry_run=dry_run,
        duplicate_rows=tuple(dupes),
        registration_ids=tuple(ids),
        notes=(OPTION_NUMBERS,) if option_number_download(table) else (),
    )
