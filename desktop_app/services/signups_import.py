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
- A paid form's entry (金数据's 支付状态) that is unpaid or refunded holds no place: the
  person is kept (a prospect) without a registration ("not_registered", with the reason
  as a warning), or the row is a duplicate when the same person's paid entry supersedes it.
- A test drive answered with a choice's text ("需要试驾", "暂不需要") is read as yes or no;
  of several models ticked the first is the model; a plate that is no plate ("无") is an
  answer; a plate that is not a plate's shape (a wrong letter) is kept as the answer as
  written, with a warning (for a club drive too: staff check the car at the meeting point).
- Only a missing identity rejects a row: no phone, or a phone that is no mobile. A missing
  name registers by phone; a head count nobody can read counts 1 (a range "2-3人" its upper
  bound; 无 / 没有 / 不带 companions none); an unreadable submit time queues at the import's
  time: each with a warning naming row, column, value and why. Unknown phones become
  prospects with source online_form.
- An event that cannot take a registration (full without a waitlist, a submission outside
  the registration window) keeps the person as a prospect, without a registration
  ("not_registered", with the reason as a warning).
- A sign-up file goes into a published or closed event only: a draft, cancelled or
  completed event is refused once, before any row is read.
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

from desktop_app.domain.enums import (
    AnswerSource,
    QuestionType,
    RegistrationSource,
    RegistrationStatus,
)
from desktop_app.domain.errors import FileUnreadable, NotFound, PaddockError, RuleViolation
from desktop_app.domain.messages import EventStatusWord, current_language, text
from desktop_app.domain.roles import Permission
from desktop_app.domain.timeutil import now_utc, zone
from desktop_app.domain.vehicle_ids import PlateError, normalise_plate
from desktop_app.io import FieldSpec, Row, Table, guess_mapping, normalise_header, read_table
from desktop_app.io.values import (
    NONE_WORDS,
    clean,
    fill_in,
    parse_bool,
    parse_datetime,
    parse_multi,
    parse_phone,
    read_count,
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
from desktop_app.services.form_questions import (
    match_columns,
    readable_label,
    suggest_key,
    suggest_type,
)
from desktop_app.services.import_report import Counted, RowCounts, Tally, dry_run_head, human_lines
from desktop_app.services.questions import (
    QuestionDraft,
    QuestionView,
    parse_answer,
    questions_in,
    store_answers_in,
    text_answers_in,
    view_of,
)
from desktop_app.services.questions import (
    check_draft as check_question,
)
from desktop_app.services.registration import (
    WALK_IN_EVENT_STATUSES,
    RegistrationRequest,
    capacity_of,
    find_or_create_person,
    is_drive,
    register_in,
    seats_used,
)
from desktop_app.services.row_problems import Param, RowProblem, problem, say, shown, why
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


EXTRA_BUCKETS = ("not_registered",)


@dataclass(frozen=True, slots=True)
class SignupReport(Counted):
    """DESIGN.md's import report (services/import_report): each row read in one bucket —
    a person's latest submission created (a new prospect registered), updated (a known
    person whose registration this file created or changed) or unchanged; their earlier
    submissions duplicates (naming the row that superseded them); not_registered (the
    person kept, the event could not take them: unpaid, full, outside the window); or
    rejected (no usable phone). `registrations` counts outcomes per registration."""

    counts: RowCounts
    registrations: dict[str, int]
    file: str
    mapping: dict[str, str]
    dry_run: bool
    registration_ids: tuple[uuid.UUID, ...] = field(default=())
    # issue 14: the keys of the questions this file answered (a value that did not fit
    # its question is a warning of the report, as every other left-out value)
    questions_filled: tuple[str, ...] = ()

    @property
    def not_registered(self) -> int:
        return self.counts["not_registered"]

    def to_json(self) -> dict[str, Any]:
        return {
            **self.counts.to_json(),
            "registrations": dict(self.registrations),
            "file": self.file,
            "mapping": self.mapping,
            "dry_run": self.dry_run,
            "questions_filled": list(self.questions_filled),
        }

    def summary(self, lang: str | None = None) -> str:
        sep = "、" if (lang or current_language()) == "zh" else ", "
        regs = sep.join(text(f"signups_{k}", lang, n=v) for k, v in self.registrations.items() if v)
        head = dry_run_head(self.dry_run, lang)
        first, *problems = human_lines(self.counts, lang)
        lines = [
            f"{head}{first} {text('signups_new_people', lang, count=self.created)}",
            text("signups_registrations", lang, list=regs or text("signups_none", lang)),
        ]
        if self.questions_filled:
            questions = sep.join(self.questions_filled)
            lines.append(text("signups_questions", lang, list=questions))
        return "\n".join(lines + problems)


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
    unpaid: RowProblem | None = None  # holds no place: not registered unless superseded
    warnings: list[RowProblem] = field(default_factory=list)
    consent: bool | None = None  # the form's marketing-consent answer
    # issue 14: answers to the event's questions from matching columns {key: canonical},
    # and the values that did not fit a question (a warning; the row still comes in)
    question_answers: dict[str, str] = field(default_factory=dict)


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


def _party(row: Row, mapping: dict[str, int], warnings: list[RowProblem]) -> int:
    """The party size: 参加人数, else 1 + 同行人数, else 1. A count nobody can read counts
    1 (the registrant), a range its upper bound: each with a warning."""
    for key, extra in (("party", 0), ("companions", 1)):
        if key not in mapping:
            continue
        raw = row.get(mapping[key])
        try:
            got = read_count(raw)
        except ValueError as exc:
            warnings.append(problem(row.number, "signup_party_unread", key, shown(raw),
                                    detail=why(exc, raw), n=1))  # fmt: skip
            return 1
        if got is None:
            continue
        if got.is_range:
            warnings.append(problem(row.number, "signup_party_range", key, shown(raw),
                                    raw=shown(raw), n=got.n + extra))  # fmt: skip
        if got.n + extra < 1:
            warnings.append(problem(row.number, "signup_party_unread", key, shown(raw),
                                    detail=say("signup_party_min"), n=1))  # fmt: skip
            return 1
        return got.n + extra
    return 1


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
    # issue 14: columns that answer the event's questions (a split multi-select: every
    # option column of that question points at it)
    questions: dict[int, QuestionView] = field(default_factory=dict)

    @classmethod
    def of(
        cls,
        table: Table,
        mapping: dict[str, int],
        drive: bool = False,
        questions: tuple[QuestionView, ...] = (),
    ) -> _Layout:
        options = option_columns(table)
        used = frozenset(mapping.values())
        matched = question_columns(table, mapping, options, questions)
        return cls(used, frozenset(multi_select_columns(table)), options, drive, matched)


def _answer_titles(
    table: Table, mapping: dict[str, int], options: dict[int, tuple[str, str]]
) -> dict[int, str]:
    """Columns that may answer a question: every column but the registrant's identity,
    the submit time, payment and the form's own metadata; a split multi-select's option
    columns by their question's title."""
    skip = {mapping[k] for k in ("name", "phone", "submitted", "payment") if k in mapping}
    out: dict[int, str] = {}
    for col, header in enumerate(table.headers):
        if col in skip or not header or normalise_header(header) in META:
            continue
        out[col] = options[col][0] if col in options else header
    return out


def question_columns(
    table: Table,
    mapping: dict[str, int],
    options: dict[int, tuple[str, str]],
    questions: tuple[QuestionView, ...],
) -> dict[int, QuestionView]:
    """{column: question} for the columns whose title matches one of the event's
    questions (numbering and punctuation aside; form_questions.match_columns)."""
    if not questions:
        return {}
    titles = _answer_titles(table, mapping, options)
    firsts: dict[str, int] = {}
    for col, title in titles.items():
        firsts.setdefault(title, col)
    hit = match_columns({col: title for title, col in firsts.items()}, questions)
    by_title = {titles[col]: q for col, q in hit.items()}
    return {col: by_title[title] for col, title in titles.items() if title in by_title}


def _question_answers(table: Table, row: Row, layout: _Layout, sub: Submission) -> None:
    """Fill sub.question_answers from the question columns; a value that does not fit
    its question is a warning naming row, column and value (the row still comes in)."""
    values: dict[str, Any] = {}
    cols: dict[str, int] = {}
    for col, q in layout.questions.items():
        cell = clean(row.get(col))
        if col in layout.options:
            if cell is not None and text_or_none(cell) == "1":
                values.setdefault(q.key, []).append(layout.options[col][1])
            else:
                values.setdefault(q.key, [])
        elif cell is not None:
            values[q.key] = parse_multi(cell) if col in layout.multi else cell
        cols.setdefault(q.key, col)
    by_key = {q.key: q for q in layout.questions.values()}
    for key, raw in values.items():
        try:
            value = parse_answer(by_key[key], raw)
        except PaddockError as exc:
            sub.warnings.append(
                problem(
                    row.number,
                    "signup_answer_dropped",
                    key,
                    value=text_or_none(raw if not isinstance(raw, list | tuple) else "┋".join(raw)),
                    column=table.column_name(cols[key]),
                    detail=why(exc),
                )
            )
            continue
        if value is not None:
            sub.question_answers[key] = value


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


def parse_rows(
    table: Table,
    mapping: dict[str, int],
    tz: str,
    *,
    drive: bool = False,
    questions: tuple[QuestionView, ...] = (),
) -> tuple[list[Submission], list[RowProblem]]:
    """Submissions and rejected rows (only a missing or unusable phone rejects one)."""
    subs: list[Submission] = []
    problems: list[RowProblem] = []
    layout = _Layout.of(table, mapping, drive, questions)
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
    """One row as a submission (its warnings on it), or why it is rejected."""
    raw_phone = row.get(mapping["phone"])
    try:
        phone = parse_phone(raw_phone)
    except ValueError as exc:
        return problem(
            row.number, "import_phone", "phone", shown(raw_phone), detail=why(exc, raw_phone)
        )
    if phone is None:
        return problem(row.number, "signup_no_phone", "phone")
    warnings: list[RowProblem] = []
    name = text_or_none(row.get(mapping["name"]))
    if not name:
        name = phone.removeprefix("+86")
        warnings.append(problem(row.number, "signup_name_missing", "name"))
    if unpaid := _unpaid(row, mapping):  # kept for dedupe: a paid resubmission supersedes it
        return Submission(row.number, name, phone, 1, None, None, None, False, {}, unpaid=unpaid)
    party = _party(row, mapping, warnings)
    raw_submitted = row.get(mapping.get("submitted"))
    try:
        submitted = _local_to_utc(parse_datetime(raw_submitted), tz)
    except ValueError as exc:
        submitted = None
        warnings.append(problem(row.number, "signup_submitted_unread", "submitted",
                                shown(raw_submitted), detail=why(exc, raw_submitted)))  # fmt: skip
    answers = _answers(table, row, layout)
    test_drive = _wants_test_drive(answers, table, row, mapping)
    model = _model(answers, table, row, mapping)
    plate = _plate(answers, table, row, mapping, layout, warnings)
    sub = Submission(
        row.number, name[:100], phone, party, submitted, plate, model, test_drive, answers,
        warnings=warnings,
        consent=consent_answer(row.get(mapping.get(CONSENT_KEY))),
    )  # fmt: skip
    if layout.questions:
        _question_answers(table, row, layout, sub)
    return sub


def _plate(
    answers: dict[str, Any],
    table: Table,
    row: Row,
    mapping: dict[str, int],
    layout: _Layout,
    warnings: list[RowProblem],
) -> str | None:
    """The plate, normalised. An answer that is no plate ("无", "还没提车") is kept as the
    answer; a plate of the wrong shape (one wrong letter) is kept as the answer as written,
    with a warning, to check. A club drive needs the car: no plate is a warning there (the
    registration still comes in; staff ask at the meeting point)."""
    if "plate" not in mapping:  # the form asks no plate (a drive says so once)
        return None
    raw = text_or_none(row.get(mapping["plate"]))
    if raw is not None and (raw in NONE_WORDS or not _PLATE_LIKE.search(raw)):
        _keep_answer(answers, table, mapping["plate"], row)
        raw_answer, raw = raw, None
    else:
        raw_answer = None
    if raw is None:
        if layout.drive:
            warnings.append(problem(row.number, "signup_drive_no_plate", "plate", raw_answer))
        return None
    try:
        return normalise_plate(raw)
    except PlateError as exc:
        _keep_answer(answers, table, mapping["plate"], row)
        warnings.append(problem(row.number, "signup_plate_unverified", "plate", raw,
                                detail=why(exc, raw)))  # fmt: skip
        return None


_PLATE_LIKE = re.compile(r"[A-Za-z0-9]")  # a plate has letters and digits; 还没提车 has none


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
        return problem(row.number, "signup_refunded", "payment", status, status=status)
    if _UNPAID.search(status):
        return problem(row.number, "signup_not_paid", "payment", status, status=status)
    return None


def _keep_answer(answers: dict[str, Any], table: Table, col: int, row: Any) -> None:
    answers[table.column_name(col)] = text_or_none(row.get(col))


def dedupe(subs: list[Submission]) -> tuple[
    list[Submission], list[tuple[int, int]], list[Submission]
]:  # fmt: skip
    """One submission per phone: the latest (submit time, then row) wins; the winner keeps
    the first submit time for its place in the queue. Winners in first-submitted order.
    An unpaid entry is superseded by the person's paid one (a payment given up, then made
    again); of a person with nothing but unpaid entries the latest is returned in the
    third list (kept, not registered) and the others are its duplicates."""
    groups: dict[str, list[Submission]] = {}
    for sub in subs:
        groups.setdefault(sub.phone, []).append(sub)
    winners: list[Submission] = []
    dupes: list[tuple[int, int]] = []
    unpaid: list[Submission] = []
    floor = datetime.min.replace(tzinfo=zone("UTC"))
    for group in groups.values():
        valid = sorted(
            (x for x in group if x.unpaid is None), key=lambda x: (x.submitted or floor, x.row)
        )
        if valid:
            win = valid[-1]
            win.first_submitted = valid[0].submitted
            winners.append(win)
        else:
            win = max(group, key=lambda x: x.row)
            unpaid.append(win)
        dupes += [(x.row, win.row) for x in group if x is not win]
    winners.sort(key=lambda x: (x.first_submitted or floor, x.row))
    return winners, sorted(dupes), sorted(unpaid, key=lambda x: x.row)


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
        question_answers=sub.question_answers,
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
    have = text_answers_in(s, r.id)
    fresh = {k: v for k, v in sub.question_answers.items() if have.get(k) != v}
    same = r.party_size == party and (r.answers or {}) == sub.answers and not fresh
    if same:
        counts["already"] += 1
        return "unchanged"
    if party > r.party_size and r.status == RegistrationStatus.REGISTERED:
        cap = capacity_of(e)
        if cap is not None and not is_drive(e) and seats_used(s, e) - r.party_size + party > cap:
            raise PaddockError(code="signup_party_full", old=r.party_size, new=party)
    r.party_size = party
    r.answers = sub.answers
    if fresh:
        store_answers_in(s, r, fresh, AnswerSource.FORM.value)
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
    """Import an online-form export into an event's registrations (see module rules).

    Raises RuleViolation (signup_event_refused) before reading the file when the event
    cannot take registrations (draft, cancelled, completed)."""
    require(db, actor, Permission.IMPORTS)
    with db.read() as s:
        e0 = s.get(Event, parse_id(event_id, "event"))
        if e0 is None or e0.deleted_at is not None:
            raise NotFound("event", event_id)
        if e0.status not in WALK_IN_EVENT_STATUSES:
            raise RuleViolation(
                code="signup_event_refused", title=e0.title, status=EventStatusWord(e0.status)
            )
        tz, drive, eid = e0.timezone, is_drive(e0), e0.id
        qs = tuple(view_of(q) for q in questions_in(s, e0.id))
    table = read_table(path, fields=FIELDS, progress=progress, is_cancelled=is_cancelled)
    mapping = map_columns(table.headers, option_columns(table))
    subs, rejected = parse_rows(table, mapping, tz, drive=drive, questions=qs)
    winners, dupes, unpaid = dedupe(subs)
    tally = Tally(*EXTRA_BUCKETS)
    for p in rejected:
        tally.reject(p)
    for row, of in dupes:
        tally.put(row, "duplicates", of)
    if option_number_download(table):
        tally.warn(problem(None, "signup_option_numbers"))
    if drive and "plate" not in mapping:
        tally.warn(problem(None, "signup_drive_no_plate_column"))
    try:
        with db.write() as s:
            e = s.scalars(select(Event).where(Event.id == eid).with_for_update()).one()
            report = _import_in(s, e, table, mapping, winners, unpaid, tally, dry_run, actor)
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
    unpaid: list[Submission],
    tally: Tally,
    dry_run: bool,
    actor: object,
) -> SignupReport:
    counts = dict.fromkeys(
        (
            "registered",
            "waitlisted",
            "pending",
            "reactivated",
            "changed",
            "already",
            "kept_cancelled",
        ),
        0,
    )
    ids: list[uuid.UUID] = []
    for sub in winners:
        tally.warn(*sub.warnings)
        try:
            with s.begin_nested():  # a refused registration leaves nothing half-made
                outcome, rid = _apply(s, e, sub, counts, actor)
                if sub.consent and rid:
                    _consented(s, rid, sub, Path(table.path).name, actor)
        except PaddockError as exc:
            _not_registered(s, sub, why(exc), actor, tally)
            continue
        tally.put(sub.row, outcome)
        if rid:
            ids.append(rid)
    for sub in unpaid:
        assert sub.unpaid is not None
        _not_registered(s, sub, sub.unpaid, actor, tally)
    summary = tally.counts(len(table.rows))
    audit(
        s,
        "signups.import",
        "event",
        e.id,
        {"file": Path(table.path).name, "rows": summary.rows, **summary.buckets, **counts},
        actor,
    )
    return SignupReport(
        counts=summary,
        registrations=counts,
        file=table.path,
        mapping={k: table.column_name(v) for k, v in mapping.items()},
        dry_run=dry_run,
        registration_ids=tuple(ids),
        questions_filled=tuple(sorted({k for sub in winners for k in sub.question_answers})),
    )


def _not_registered(
    s: Session, sub: Submission, reason: Param | RowProblem, actor: object, tally: Tally
) -> None:
    """The event could not take the submission (unpaid, full, outside the window): the
    person is kept (a prospect, as any sign-up), without a registration; the report says
    why, naming the payment cell for an unpaid entry."""
    find_or_create_person(s, sub.phone, sub.name, RegistrationSource.ONLINE_FORM.value, actor)
    tally.put(sub.row, "not_registered")
    where = (reason.field, reason.value) if isinstance(reason, RowProblem) else (None, None)
    tally.warn(problem(sub.row, "signup_not_registered", *where, detail=reason))


# --------------------------------------------------------------------------- issue 14


@dataclass(frozen=True, slots=True)
class QuestionCandidate:
    """A form column no registration field and no question of the event takes: what it
    would become as a question (the import wizard makes them in one click)."""

    column: str
    draft: QuestionDraft
    samples: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "column": self.column,
            "key": self.draft.key,
            "label": self.draft.label,
            "type": self.draft.type,
            "choices": list(self.draft.choices),
            "samples": list(self.samples),
        }


def question_candidates(
    db: Database, event_id: str | uuid.UUID, path: str | Path
) -> list[QuestionCandidate]:
    """The file's question columns that would fill nothing: neither a registration field
    (name, phone, party, plate, model, test drive…) nor a question of the event. Each with
    a suggested key, label, type and options (a split multi-select is one question)."""
    table = read_table(path, fields=FIELDS)
    options = option_columns(table)
    mapping = map_columns(table.headers, options)
    with db.read() as s:
        e = s.get(Event, parse_id(event_id, "event"))
        if e is None or e.deleted_at is not None:
            raise NotFound("event", event_id)
        qs = tuple(view_of(q) for q in questions_in(s, e.id))
    matched = question_columns(table, mapping, options, qs)
    used = set(mapping.values()) | set(matched)
    by_title: dict[str, list[int]] = {}
    for col, title in _answer_titles(table, mapping, options).items():
        if col not in used:
            by_title.setdefault(title, []).append(col)
    taken = {q.key for q in qs}
    out: list[QuestionCandidate] = []
    multi = multi_select_columns(table)
    for title, cols in by_title.items():
        if cols[0] in options:
            kind, choices = QuestionType.MULTI.value, tuple(options[c][1] for c in cols)
            samples: list[str] = []
        else:
            col = cols[0]
            values = [text_or_none(r.get(col)) for r in table.rows]
            samples = [v for v in dict.fromkeys(v for v in values if v)][:5]
            kind, choices = suggest_type(values)
            if col in multi and kind != QuestionType.MULTI:
                kind = QuestionType.MULTI.value
                choices = tuple(dict.fromkeys(p for v in values if v for p in parse_multi(v)))
        label = readable_label(title)
        key = suggest_key(label, taken)
        taken.add(key)
        draft = QuestionDraft(key, label, kind, choices)
        try:
            draft = check_question(draft)
        except PaddockError:  # too many options, odd characters: ask it as text
            draft = QuestionDraft(key, label, QuestionType.TEXT.value)
        out.append(QuestionCandidate(title, draft, tuple(samples)))
    return out
