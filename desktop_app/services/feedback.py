"""Post-event feedback: the quick check-out form at the desk, and survey exports imported.

- One feedback per registration: giving it again at the desk corrects it (updated).
- Rating 1–5, NPS answer 0–10, comment; at least one of the three.
- A survey import (问卷星 / 金数据 / 腾讯问卷 …) matches rows to the event's registrations by
  ticket short code or phone; an answer without a usable phone (optional question skipped,
  "不方便透露") by a name exactly one registrant has. The rest is kept as anonymous feedback
  (it still counts in the average and NPS) and reported as `unmatched`; the same anonymous
  answer twice is two answers. Ratings may be numbers, "5分", stars or 1–5 labels
  (非常满意 … 非常不满意). Importing the same file twice changes nothing. The whole file is
  one transaction. A rating, NPS answer or phone nobody can read is left out with a
  warning and the rest of the answer is kept; only a row with no readable answer at all
  is rejected (saying why), and an empty answer sheet is counted as `empty`.
- Feedback goes into an event that took place: a draft or cancelled event is refused
  once, before any row is read.
- A registrant who answered twice — or a phone nobody registered, twice — is one answer:
  the latest (submit time, then row) counts, the others are duplicates. A column about someone else (紧急联系人电话, 推荐人) is never the
  respondent's phone or name, nor an answer. "无" / "没有" / "暂无" is no comment.
- 问卷星's 按选项序号 download is refused when it carries ratings: its scores are option
  numbers (option 1 may be 非常满意; NPS options 1–11 stand for 0–10).
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop_app.domain.errors import FileUnreadable, NotFound, RuleViolation, ValidationError
from desktop_app.domain.messages import EventStatusWord, field_label
from desktop_app.domain.roles import Permission
from desktop_app.io.mapping import FieldSpec, guess_mapping, resolve_column
from desktop_app.io.tables import Row, Table, read_table
from desktop_app.io.values import CellError, parse_datetime, parse_int, parse_phone, text_or_none
from desktop_app.services.auth import require
from desktop_app.services.common import audit, parse_id, stamp_origin
from desktop_app.services.import_report import Counted, RowCounts, Tally, human_lines
from desktop_app.services.registration import short_code_of
from desktop_app.services.row_problems import problem, shown, why
from desktop_app.services.signups_import import FIELDS as SIGNUP_FIELDS
from desktop_app.services.signups_import import OTHER_PERSON, option_number_download
from desktop_app.store.db import Database
from desktop_app.store.models import Event, Feedback, Person, Registration

COMMENT_MAX = 2000

FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec(
        "phone",
        ("手机号", "手机号码", "手机", "电话", "联系电话", "phone", "mobile"),
        keywords=("手机", "电话"),  # "请留下您的手机号，方便回访"
    ),
    FieldSpec(
        "name",
        ("姓名", "名字", "客户姓名", "您的姓名", "称呼", "name", "联系人"),
        keywords=("姓名", "称呼"),
    ),
    FieldSpec(
        "rating",
        (
            "满意度",
            "总体满意度",
            "满意程度",
            "活动评分",
            "评分",
            "打分",
            "总体评价",
            "rating",
            "satisfaction",
            "score",
        ),
        # 整体评价, not 评价 alone: "您对活动的评价和建议" is a comment question
        keywords=(
            "满意",
            "评分",
            "打分",
            "星级",
            "整体评价",
            "总体评价",
            "综合评价",
            "satisf",
            "rating",
        ),
    ),
    FieldSpec(
        "nps",
        (
            "推荐度",
            "推荐意愿",
            "推荐指数",
            "推荐可能性",
            "净推荐值",
            "您有多大可能向朋友推荐",
            "向朋友推荐",
            "nps",
            "how likely are you to recommend",
            "recommend",
        ),
        keywords=("推荐", "recommend"),
    ),
    FieldSpec(
        "comment",
        (
            "意见",
            "建议",
            "意见建议",
            "意见或建议",
            "您还有什么建议",
            "其他建议",
            "改进建议",
            "留言",
            "评论",
            "comment",
            "comments",
        ),
        keywords=("建议", "意见", "留言", "想说", "comment", "suggest"),
    ),
    FieldSpec("ticket", ("票号", "签到码", "ticket", "ticket code")),
    next(f for f in SIGNUP_FIELDS if f.key == "submitted"),  # 提交答卷时间 / 结束答题时间…
)
# Said for nothing to say: not a comment.
NO_COMMENT = frozenset({
    "无", "没有", "没", "暂无", "暂时没有", "没有了", "无建议", "没有建议", "暂无建议", "无意见",
    "没有意见", "暂无意见", "无其他建议", "没什么", "没什么建议", "no", "none", "nothing", "nope",
})  # fmt: skip


@dataclass(frozen=True, slots=True)
class FeedbackView:
    id: uuid.UUID
    event_id: uuid.UUID
    person_id: uuid.UUID | None
    registration_id: uuid.UUID | None
    rating: int | None
    nps: int | None
    comment: str
    source: str
    created: bool  # False: an earlier answer was corrected

    def to_json(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "event_id": str(self.event_id),
            "person_id": str(self.person_id) if self.person_id else None,
            "registration_id": str(self.registration_id) if self.registration_id else None,
            "rating": self.rating,
            "nps": self.nps,
            "comment": self.comment,
            "source": self.source,
            "created": self.created,
        }


EXTRA_BUCKETS = ("empty",)  # answer sheets with nothing filled in
_NO_FEEDBACK_STATUSES = ("draft", "cancelled")


@dataclass(frozen=True, slots=True)
class FeedbackImportReport(Counted):
    """DESIGN.md's import report (services/import_report): each row read in one bucket —
    an answer created, updated or unchanged (a registrant's latest answer, or an anonymous
    one), a duplicate (an earlier answer of the same respondent, naming the row that
    superseded it), empty (nothing answered) or rejected (no readable answer) — plus how
    many answers matched no registration (`unmatched`, kept as anonymous feedback)."""

    event_id: uuid.UUID
    counts: RowCounts
    unmatched: int
    mapping: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "event_id": str(self.event_id),
            **self.counts.to_json(),
            "unmatched": self.unmatched,
            "mapping": self.mapping,
        }

    def summary(self, lang: str | None = None) -> str:
        first, *problems = human_lines(self.counts, lang)
        return "\n".join([f"{first}; anonymous {self.unmatched}", *problems])


def check_answers(rating: int | None, nps: int | None, comment: str | None) -> str:
    """Validated comment text; raises ValidationError for out-of-range answers."""
    if rating is not None and (not isinstance(rating, int) or not 1 <= rating <= 5):
        raise ValidationError("rating", "bad_rating")
    if nps is not None and (not isinstance(nps, int) or not 0 <= nps <= 10):
        raise ValidationError("nps", "bad_nps")
    text = (comment or "").strip()
    if len(text) > COMMENT_MAX:
        raise ValidationError("comment", "too_long", max=COMMENT_MAX)
    if rating is None and nps is None and not text:
        raise ValidationError("rating", "feedback_empty")
    return text


def _view(f: Feedback, created: bool) -> FeedbackView:
    return FeedbackView(
        f.id,
        f.event_id,
        f.person_id,
        f.registration_id,
        f.rating,
        f.nps,
        f.comment or "",
        f.source,
        created,
    )


def _upsert(
    s: Session,
    event_id: uuid.UUID,
    reg: Registration | None,
    person_id: uuid.UUID | None,
    rating: int | None,
    nps: int | None,
    comment: str,
    source: str,
    keep: frozenset[str] = frozenset(),
) -> tuple[Feedback, str]:
    """('created' | 'updated' | 'unchanged'). Anonymous rows are matched by their answers.
    `keep`: answers the file had but nobody could read ("rating", "nps"): a stored answer
    is kept, never wiped by a value that was left out."""
    stmt = select(Feedback).where(Feedback.event_id == event_id, Feedback.deleted_at.is_(None))
    if reg is not None:
        stmt = stmt.where(Feedback.registration_id == reg.id)
    elif person_id is not None:
        stmt = stmt.where(Feedback.person_id == person_id)
    else:
        stmt = stmt.where(
            Feedback.person_id.is_(None),
            Feedback.rating.is_(rating) if rating is None else Feedback.rating == rating,
            Feedback.nps.is_(nps) if nps is None else Feedback.nps == nps,
            Feedback.comment == comment,
        )
    f = s.scalars(stmt.order_by(Feedback.created_at)).first()
    if f is None:
        f = Feedback(
            event_id=event_id,
            person_id=person_id,
            registration_id=reg.id if reg else None,
            rating=rating,
            nps=nps,
            comment=comment,
            source=source,
        )
        stamp_origin(s, f)
        s.add(f)
        s.flush()
        return f, "created"
    rating = f.rating if "rating" in keep else rating
    nps = f.nps if "nps" in keep else nps
    if (f.rating, f.nps, f.comment or "") == (rating, nps, comment):
        return f, "unchanged"
    f.rating, f.nps, f.comment, f.source = rating, nps, comment, source
    s.flush()
    return f, "updated"


def add_feedback(
    db: Database,
    registration_id: str | uuid.UUID,
    rating: int | None = None,
    nps: int | None = None,
    comment: str | None = None,
    *,
    source: str = "desk",
    actor: object = None,
) -> FeedbackView:
    """The desk's check-out form: feedback of one registration (given again = corrected).

    Raises NotFound for an unknown registration, RuleViolation for a cancelled one."""
    require(db, actor, Permission.REGISTER)
    text = check_answers(rating, nps, comment)
    with db.write() as s:
        reg = s.get(Registration, parse_id(registration_id, "registration"))
        if reg is None or reg.deleted_at is not None:
            raise NotFound("registration", registration_id)
        if reg.status == "cancelled":
            raise RuleViolation(code="feedback_cancelled")
        f, what = _upsert(s, reg.event_id, reg, reg.person_id, rating, nps, text, source)
        audit(
            s,
            f"feedback.{'add' if what == 'created' else 'edit'}",
            "feedback",
            f.id,
            {"registration_id": str(reg.id), "rating": rating, "nps": nps},
            actor,
        )
        return _view(f, what == "created")


def add_feedback_for_person(
    db: Database,
    event_id: str | uuid.UUID,
    person_id: str | uuid.UUID | None,
    rating: int | None = None,
    nps: int | None = None,
    comment: str | None = None,
    *,
    source: str = "desk",
    actor: object = None,
) -> FeedbackView:
    """Feedback of a person (their registration is linked when they have one), or an
    anonymous answer when `person_id` is None."""
    require(db, actor, Permission.REGISTER)
    text = check_answers(rating, nps, comment)
    with db.write() as s:
        e = s.get(Event, parse_id(event_id, "event"))
        if e is None or e.deleted_at is not None:
            raise NotFound("event", event_id)
        pid = parse_id(person_id, "person") if person_id else None
        if pid is not None and s.get(Person, pid) is None:
            raise NotFound("person", person_id)
        reg = _registration_of(s, e.id, pid) if pid else None
        f, what = _upsert(s, e.id, reg, pid, rating, nps, text, source)
        audit(s, "feedback.add", "feedback", f.id, {"event_id": str(e.id)}, actor)
        return _view(f, what == "created")


def _registration_of(s: Session, event_id: uuid.UUID, pid: uuid.UUID) -> Registration | None:
    return s.scalars(
        select(Registration).where(
            Registration.event_id == event_id,
            Registration.person_id == pid,
            Registration.deleted_at.is_(None),
        )
    ).first()


def list_feedback(db: Database, event_id: str | uuid.UUID) -> list[FeedbackView]:
    with db.read() as s:
        eid = parse_id(event_id, "event")
        rows = s.scalars(
            select(Feedback)
            .where(Feedback.event_id == eid, Feedback.deleted_at.is_(None))
            .order_by(Feedback.created_at, Feedback.id)
        ).all()
        return [_view(f, True) for f in rows]


# Satisfaction labels of a 1–5 scale (腾讯问卷 / 问卷星 write the label, not the number).
RATING_WORDS = {
    "非常满意": 5, "很满意": 5, "十分满意": 5, "满意": 4, "比较满意": 4, "较满意": 4,
    "一般": 3, "还行": 3, "还可以": 3, "不满意": 2, "不太满意": 2, "比较不满意": 2,
    "较不满意": 2, "非常不满意": 1, "很不满意": 1, "十分不满意": 1, "very satisfied": 5,
    "satisfied": 4, "neutral": 3, "dissatisfied": 2, "very dissatisfied": 1,
}  # fmt: skip
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_BRACKETED = re.compile(r"[(（][^()（）]*[)）]")
_SCORE_UNIT = re.compile(r"\s*(?:分|颗星|星|stars?|points?)\s*$", re.IGNORECASE)


def survey_answer(value: Any, lo: int, hi: int) -> int | None:
    """A 1–5 / 0–10 answer as surveys write it: '5', '5分', '10分', '★★★★☆' (stars
    counted), '四星', '5分(非常满意)', '非常满意(5分)', or a label of a 1–5 scale
    ('非常满意' 5 … '非常不满意' 1). None for an empty cell; ValueError otherwise."""
    text = text_or_none(value)
    if text is None:
        return None
    n: int | None
    if stars := text.count("★"):
        n = stars
    elif numbers := _NUMBER.findall(text):
        if len(numbers) > 1 or not float(numbers[0]).is_integer():
            raise CellError("feedback_not_score", lo=lo, hi=hi, text=text)
        n = int(float(numbers[0]))
    else:
        label = _BRACKETED.sub("", text).strip().lower()
        n = RATING_WORDS.get(label) if (lo, hi) == (1, 5) else None
        if n is None:
            try:
                n = parse_int(_SCORE_UNIT.sub("", label))
            except ValueError:
                n = None
        if n is None:
            raise CellError("feedback_not_score", lo=lo, hi=hi, text=text)
    if not lo <= n <= hi:
        raise CellError("feedback_score_range", lo=lo, hi=hi, n=n)
    return n


@dataclass(slots=True)
class _EventIndex:
    """The event's registrations by phone, ticket short code and name."""

    by_phone: dict[str, uuid.UUID]
    by_ticket: dict[str, uuid.UUID]
    by_name: dict[str, list[uuid.UUID]]

    @classmethod
    def load(cls, s: Session, event_id: uuid.UUID) -> _EventIndex:
        rows = s.execute(
            select(Person.phone, Person.name, Registration.id, Registration.ticket_code)
            .join(Registration, Registration.person_id == Person.id)
            .where(Registration.event_id == event_id, Registration.deleted_at.is_(None))
        ).all()
        by_name: dict[str, list[uuid.UUID]] = {}
        for _phone, name, rid, _code in rows:
            by_name.setdefault(_name_key(name), []).append(rid)
        return cls(
            by_phone={phone: rid for phone, _n, rid, _c in rows if phone},
            by_ticket={(short_code_of(c) or "").upper(): rid for _p, _n, rid, c in rows if c},
            by_name=by_name,
        )

    def find(self, phone: str | None, ticket: str | None, name: str | None) -> uuid.UUID | None:
        """The registration: by ticket, then phone; by a name held by exactly one
        registrant only when the answer gives no usable phone."""
        if ticket and (rid := self.by_ticket.get(ticket.strip().upper()[:8])):
            return rid
        if phone:
            return self.by_phone.get(phone)
        hits = self.by_name.get(_name_key(name or ""), [])
        return hits[0] if len(hits) == 1 else None


def _name_key(name: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", name)).casefold()


@dataclass(frozen=True, slots=True)
class _Answer:
    """One registrant's answer sheet: its row, answers and submit time (for ordering)."""

    row: int
    rating: int | None
    nps: int | None
    comment: str
    submitted: datetime | None
    unread: frozenset[str] = frozenset()  # answers given but left out (unreadable)

    def order(self) -> tuple[datetime, int]:
        return (self.submitted or datetime.min, self.row)


AnswerKey = tuple[int | None, int | None, str]


def _score(row: Row, cols: Mapping[str, int], key: str, lo: int, hi: int,
           unread: list[tuple[str, object, Exception]]) -> int | None:  # fmt: skip
    """The answer, or None; an answer nobody can read goes to `unread` (key, cell, why)."""
    raw = row.get(cols.get(key))
    try:
        return survey_answer(raw, lo, hi)
    except ValueError as exc:
        unread.append((key, raw, exc))
        return None


def _read_answer(row: Row, cols: Mapping[str, int], tally: Tally) -> tuple[Any, ...] | None:
    """(rating, nps, comment, phone, answers left out) of one row; None when it is rejected or empty (the
    row is placed then). A score nobody can read is left out with a warning."""
    unread: list[tuple[str, object, Exception]] = []
    rating = _score(row, cols, "rating", 1, 5, unread)
    nps = _score(row, cols, "nps", 0, 10, unread)
    comment = (text_or_none(row.get(cols.get("comment"))) or "")[:COMMENT_MAX]
    if comment.strip(" 。.!！~～").lower() in NO_COMMENT:
        comment = ""
    if rating is None and nps is None and not comment:
        if unread:  # something was answered, and none of it can be read
            key, raw, exc = unread[0]
            tally.reject(problem(row.number, "feedback_no_answer", key, shown(raw),
                                 detail=lambda lang: f"{field_label(key, lang)}: "
                                 f"{why(exc, raw)(lang)}"))  # fmt: skip
        else:
            tally.put(row.number, "empty")  # an empty answer sheet: nothing to record
        return None
    for key, raw, exc in unread:
        tally.warn(problem(row.number, "feedback_answer_dropped", key, shown(raw),
                           detail=why(exc, raw)))  # fmt: skip
    left_out = frozenset(key for key, _raw, _exc in unread)
    raw_phone = row.get(cols.get("phone"))
    try:
        phone = parse_phone(raw_phone) if "phone" in cols else None
    except ValueError as exc:  # an optional question answered "不方便透露": keep the answer
        phone = None
        tally.warn(problem(row.number, "feedback_phone_dropped", "phone", shown(raw_phone),
                           detail=why(exc, raw_phone)))  # fmt: skip
    return rating, nps, comment, phone, left_out


def _import_rows(
    s: Session, event_id: uuid.UUID, table: Table, cols: Mapping[str, int]
) -> tuple[Tally, int]:
    """(where each row went, how many answers matched no registration)."""
    index = _EventIndex.load(s, event_id)
    tally = Tally(*EXTRA_BUCKETS)
    anonymous: dict[AnswerKey, list[int]] = {}  # the same answer N times: N people
    # One respondent's answers: by registration, or by phone for a phone nobody registered.
    sheets: dict[uuid.UUID | str, list[_Answer]] = {}
    for row in table.rows:
        got = _read_answer(row, cols, tally)
        if got is None:
            continue
        rating, nps, comment, phone, unread = got
        ticket = text_or_none(row.get(cols.get("ticket")))
        rid = index.find(phone, ticket, text_or_none(row.get(cols.get("name"))))
        if rid is None and phone is None:
            anonymous.setdefault((rating, nps, comment), []).append(row.number)
            continue
        answer = _Answer(row.number, rating, nps, comment, _submitted(row, cols), unread)
        sheets.setdefault(rid or phone or "", []).append(answer)
    for who, answers in sheets.items():
        answers.sort(key=_Answer.order)  # the latest answer (submit time, then row) counts
        last = answers[-1]
        for a in answers[:-1]:
            tally.put(a.row, "duplicates", last.row)
        if isinstance(who, str):  # an unregistered phone: anonymous, but once
            anonymous.setdefault((last.rating, last.nps, last.comment), []).append(last.row)
            continue
        reg = s.get(Registration, who)
        assert reg is not None
        _f, what = _upsert(
            s, event_id, reg, reg.person_id, last.rating, last.nps, last.comment, "survey",
            last.unread,
        )  # fmt: skip
        tally.put(last.row, what)
    _store_anonymous(s, event_id, anonymous, tally)
    return tally, sum(len(rows) for rows in anonymous.values())


def _submitted(row: Row, cols: Mapping[str, int]) -> datetime | None:
    """The row's submit time, naive (UTC when the export gave an offset); None if unreadable:
    it only orders one person's answers, it never rejects one."""
    try:
        when = parse_datetime(row.get(cols.get("submitted")))
    except ValueError:
        return None
    if when is not None and when.tzinfo is not None:
        when = when.astimezone(UTC).replace(tzinfo=None)
    return when


def _store_anonymous(
    s: Session, event_id: uuid.UUID, anonymous: dict[AnswerKey, list[int]], tally: Tally
) -> None:
    """Anonymous answers have no identity: the same answer N times in the file is N
    answers, and a re-import finds the N already stored (survey answers, by count): the
    first rows of such a group are unchanged, the rest created."""
    for (rating, nps, comment), rows in anonymous.items():
        stored = s.scalar(
            select(func.count())
            .select_from(Feedback)
            .where(
                Feedback.event_id == event_id,
                Feedback.person_id.is_(None),
                Feedback.registration_id.is_(None),
                Feedback.deleted_at.is_(None),
                Feedback.source == "survey",
                Feedback.rating.is_(None) if rating is None else Feedback.rating == rating,
                Feedback.nps.is_(None) if nps is None else Feedback.nps == nps,
                Feedback.comment == comment,
            )
        )
        have = int(stored or 0)
        for i, number in enumerate(sorted(rows)):
            if i < have:
                tally.put(number, "unchanged")
                continue
            f = Feedback(
                event_id=event_id, rating=rating, nps=nps, comment=comment, source="survey"
            )
            stamp_origin(s, f)
            s.add(f)
            tally.put(number, "created")
    s.flush()


def map_survey_columns(
    headers: tuple[str, ...], overrides: Mapping[str, int | str | None] | None = None
) -> dict[str, int]:
    """{field: column}. A column about someone else (紧急联系人电话, 推荐人…) is never the
    respondent's phone or name, nor an answer ("推荐人" is no NPS question); the user's
    `overrides` still name any column. Raises ValidationError for an unknown override."""
    try:
        chosen: dict[str, int | str | None] = {
            k: None if v is None else resolve_column(headers, v)
            for k, v in (overrides or {}).items()
        }
    except ValueError as exc:
        raise ValidationError("mapping", "bad_choice", choices=str(exc)) from None
    masked = ["" if OTHER_PERSON.search(h or "") else h for h in headers]
    return guess_mapping(masked, FIELDS, chosen)


def import_feedback(
    db: Database,
    event_id: str | uuid.UUID,
    path: str | Path,
    *,
    mapping: Mapping[str, int | str | None] | None = None,
    sheet: str | None = None,
    progress: Callable[[int, int], None] | None = None,
    is_cancelled: Callable[[], bool] | None = None,
    actor: object = None,
) -> FeedbackImportReport:
    """Import a survey export (xlsx/xls/csv; Chinese or English headers) in one transaction.

    Rows match the event's registrations by ticket code or phone; without a usable phone,
    by a name exactly one registrant has. The rest is anonymous feedback. Raises
    FileUnreadable for a file without a rating, NPS or comment column; RuleViolation
    (feedback_event_refused) before reading it for a draft or cancelled event."""
    require(db, actor, Permission.IMPORTS)
    with db.read() as s:
        e0 = s.get(Event, parse_id(event_id, "event"))
        if e0 is None or e0.deleted_at is not None:
            raise NotFound("event", event_id)
        if e0.status in _NO_FEEDBACK_STATUSES:
            raise RuleViolation(
                code="feedback_event_refused", title=e0.title, status=EventStatusWord(e0.status)
            )
    table = read_table(
        path, sheet=sheet, fields=FIELDS, progress=progress, is_cancelled=is_cancelled
    )
    cols = map_survey_columns(table.headers, mapping)
    if "rating" not in cols and "nps" not in cols and "comment" not in cols:
        raise FileUnreadable(
            code="feedback_no_columns",
            file=Path(path).name,
            columns=", ".join(h for h in table.headers if h),
        )
    if ("rating" in cols or "nps" in cols) and option_number_download(table):
        raise FileUnreadable(code="feedback_option_numbers", file=Path(path).name)
    with db.write() as s:
        e = s.get(Event, parse_id(event_id, "event"))
        if e is None or e.deleted_at is not None:
            raise NotFound("event", event_id)
        tally, unmatched = _import_rows(s, e.id, table, cols)
        counts = tally.counts(len(table.rows))
        audit(
            s,
            "feedback.import",
            "event",
            e.id,
            {
                "file": Path(path).name,
                "rows": counts.rows,
                **counts.buckets,
                "warnings": len(counts.warnings),
            },
            actor,
        )
    return FeedbackImportReport(
        parse_id(event_id, "event"),
        counts,
        unmatched,
        {k: table.column_name(v) for k, v in cols.items()},
    )
