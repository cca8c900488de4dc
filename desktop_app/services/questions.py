"""Sign-up questions of an event and the answers to them (docs/questions.md).

A question is asked at sign-up (register dialog, `paddock register --answer K=V`), filled
from an online form whose column title matches it, and/or asked at the desk (a required
desk question is asked before the check-in completes). Answers are stored as canonical
text (so HQ reads them in a spreadsheet) and given to scripts typed:

| type   | canonical text        | JSON          | accepted input                              |
|--------|-----------------------|---------------|---------------------------------------------|
| text   | as typed (trimmed)    | "…"           | anything                                    |
| number | 2 / 2.5               | 2 / 2.5       | 2, 2.5, ２, 两                                |
| yes_no | yes / no              | true / false  | 是/否, yes/no, y/n, 1/0, 需要/不需要, √/×     |
| choice | the option            | "option"      | the option (any case), or its number 1…n    |
| multi  | options joined by "; "| ["a", "b"]    | options separated by ┋ | ; , 、 or numbers   |
| date   | 2026-05-01            | "2026-05-01"  | 2026-05-01, 2026/5/1, 2026年5月1日           |

A required question is answered when it has any answer: "no" answers a required yes/no
(unlike pretix, where a required yes/no must be yes: 午餐需要吗 is a real question).
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from desktop_app.domain.enums import AnswerSource, QuestionType
from desktop_app.domain.errors import NotFound, RuleViolation, ValidationError
from desktop_app.domain.messages import current_language
from desktop_app.domain.roles import Permission
from desktop_app.domain.timeutil import now_utc
from desktop_app.io.values import (
    CellError,
    chinese_number,
    clean,
    fill_in,
    parse_bool,
    parse_date,
    read_count,
)
from desktop_app.services.auth import require
from desktop_app.services.common import (
    audit,
    event_rows,
    live_event,
    live_row,
    next_position,
    parse_id,
    stamp_origin,
)
from desktop_app.services.erasure import register_eraser
from desktop_app.store.db import Database
from desktop_app.store.models import Answer, Event, Question, Registration

KEY_MAX = 40
LABEL_MAX = 200
CHOICES_MAX = 30
ANSWER_MAX = 2000
MULTI_JOIN = "; "
_KEY_RE = re.compile(r"^[^\W\d][\w-]{0,39}$")  # a letter (any script) first; no spaces or =
_CHOICE_SPLIT = re.compile(r"[,，|┋\n]")
_MULTI_SPLIT = re.compile(r"[┋|;；,，、\n]")
FORBIDDEN_IN_CHOICE = re.compile(r"[;；┋|\n]")


# --------------------------------------------------------------------------- results


@dataclass(frozen=True, slots=True)
class QuestionDraft:
    """What a coordinator fills in (editor, `paddock question add`)."""

    key: str
    label: str
    type: str = QuestionType.TEXT.value
    choices: tuple[str, ...] = ()
    required: bool = False
    at_signup: bool = True
    at_desk: bool = False


@dataclass(frozen=True, slots=True)
class QuestionView:
    id: uuid.UUID
    event_id: uuid.UUID
    key: str
    label: str
    type: str
    choices: tuple[str, ...]
    required: bool
    at_signup: bool
    at_desk: bool
    position: int

    def draft(self) -> QuestionDraft:
        return QuestionDraft(
            self.key,
            self.label,
            self.type,
            self.choices,
            self.required,
            self.at_signup,
            self.at_desk,
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "event_id": str(self.event_id),
            "key": self.key,
            "label": self.label,
            "type": self.type,
            "choices": list(self.choices),
            "required": self.required,
            "at_signup": self.at_signup,
            "at_desk": self.at_desk,
            "position": self.position,
        }


@dataclass(frozen=True, slots=True)
class OptionCount:
    option: str
    count: int


@dataclass(frozen=True, slots=True)
class AnswerCounts:
    """How one question was answered over an event's live registrations."""

    key: str
    label: str
    type: str
    answered: int
    unanswered: int
    options: tuple[OptionCount, ...]  # choice / multi / yes_no / date: count per value
    mean: float | None = None  # number
    minimum: float | None = None
    maximum: float | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "label": self.label,
            "type": self.type,
            "answered": self.answered,
            "unanswered": self.unanswered,
            "counts": {o.option: o.count for o in self.options},
            "mean": self.mean,
            "min": self.minimum,
            "max": self.maximum,
        }


def view_of(q: Question) -> QuestionView:
    return QuestionView(
        q.id,
        q.event_id,
        q.key,
        q.label,
        q.type,
        tuple(str(c) for c in q.choices or ()),
        bool(q.required),
        bool(q.at_signup),
        bool(q.at_desk),
        q.position,
    )


# --------------------------------------------------------------------------- values


def split_choices(raw: str | Iterable[str]) -> tuple[str, ...]:
    """'S,M,L' (or one option a line, or 问卷星's ┋) → ('S', 'M', 'L'); blanks dropped."""
    parts = _CHOICE_SPLIT.split(raw) if isinstance(raw, str) else list(raw)
    out: list[str] = []
    for p in parts:
        p = unicodedata.normalize("NFKC", str(p)).strip()
        if p and p not in out:
            out.append(p)
    return tuple(out)


def _norm(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip().casefold()


def _match_choice(q: QuestionDraft | QuestionView, raw: str) -> str | None:
    """The option `raw` names: its text (any case, full-width too), an "other" fill-in
    ('其他〖带狗〗' or '其他: 带狗' for the option 其他, kept with its text), or its
    number 1…n."""
    filled = unicodedata.normalize("NFKC", fill_in(raw)).strip()
    want = filled.casefold()
    for c in q.choices:
        if _norm(c) == want:
            return c
    for c in q.choices:
        n = _norm(c)
        rest = filled[len(n) :]
        if want.startswith(n) and rest[:1] == ":" and rest[1:].strip():
            return f"{c}: {rest[1:].strip()}"
    if want.isdigit() and 1 <= int(want) <= len(q.choices):
        return q.choices[int(want) - 1]
    return None


def parse_answer(q: QuestionDraft | QuestionView, raw: Any) -> str | None:
    """The canonical text of an answer, None for "no answer"; ValidationError (field = the
    question's label) when the value does not fit the question's type."""
    if isinstance(raw, list | tuple):
        if q.type != QuestionType.MULTI:
            raise ValidationError(q.label, "answer_one_value")
        raw = MULTI_JOIN.join(str(x) for x in raw)
    if isinstance(raw, bool) and q.type == QuestionType.YES_NO:
        return "yes" if raw else "no"
    value = clean(raw)
    if value is None:
        return None
    text = str(value)
    t = q.type
    if t == QuestionType.TEXT:
        if len(text) > ANSWER_MAX:
            raise ValidationError(q.label, "too_long", max=ANSWER_MAX)
        return text
    if t == QuestionType.NUMBER:
        return _number(q, value)
    if t == QuestionType.YES_NO:
        try:
            yes = parse_bool(value)
        except CellError:
            raise ValidationError(q.label, "answer_not_yes_no", raw=text) from None
        return None if yes is None else ("yes" if yes else "no")
    if t == QuestionType.CHOICE:
        hit = _match_choice(q, text)
        if hit is None:
            raise ValidationError(q.label, "answer_not_choice", raw=text, choices=_list(q))
        return hit
    if t == QuestionType.MULTI:
        return _multi(q, text)
    if t == QuestionType.DATE:
        try:
            d = parse_date(value)
        except CellError:
            raise ValidationError(q.label, "answer_not_date", raw=text) from None
        return d.isoformat() if d else None
    raise ValidationError("type", "bad_choice", choices=", ".join(QuestionType))


def _list(q: QuestionDraft | QuestionView) -> str:
    return " / ".join(f"{i}. {c}" for i, c in enumerate(q.choices, start=1))


def _number(q: QuestionDraft | QuestionView, value: Any) -> str:
    if isinstance(value, bool):
        raise ValidationError(q.label, "answer_not_number", raw=str(value))
    text = str(value).replace(",", "").strip()
    try:
        d = Decimal(text)
    except InvalidOperation:
        d = _everyday_number(q, text)
    if not d.is_finite():
        raise ValidationError(q.label, "answer_not_number", raw=text)
    d = d.normalize()
    return f"{d:f}"


def _everyday_number(q: QuestionDraft | QuestionView, text: str) -> Decimal:
    """A number as people write one in a form: 十二, and head counts (3人, 两个, 1大1小,
    无 → 0). A range (2-3人) is not one number: it stays a warning."""
    try:
        return Decimal(chinese_number(text))
    except ValueError:
        pass
    try:
        count = read_count(text)
    except ValueError:
        count = None
    if count is None or count.is_range:
        raise ValidationError(q.label, "answer_not_number", raw=text)
    return Decimal(count.n)


def _multi(q: QuestionDraft | QuestionView, text: str) -> str | None:
    whole = _match_choice(q, text)
    if whole is not None and not whole[:1].isdigit():
        return whole
    picked: list[str] = []
    bad: list[str] = []
    for part in _MULTI_SPLIT.split(text):
        part = part.strip()
        if not part:
            continue
        hit = _match_choice(q, part)
        if hit is None:
            bad.append(part)
        elif hit not in picked:
            picked.append(hit)
    if bad:
        raise ValidationError(q.label, "answer_not_choice", raw=", ".join(bad), choices=_list(q))
    if not picked:
        return None
    order = {c: i for i, c in enumerate(q.choices)}
    picked.sort(key=lambda c: order.get(c.split(":", 1)[0], len(order)))
    return MULTI_JOIN.join(picked)


def typed(qtype: str, text: str | None) -> Any:
    """Canonical text → the JSON value (true/false, a number, a list of options)."""
    if text is None:
        return None
    if qtype == QuestionType.YES_NO:
        return text == "yes"
    if qtype == QuestionType.NUMBER:
        try:
            d = Decimal(text)
        except InvalidOperation:
            return text
        return int(d) if d == d.to_integral_value() else float(d)
    if qtype == QuestionType.MULTI:
        return [x for x in text.split(MULTI_JOIN) if x]
    return text


def shown(qtype: str, text: str | None, lang: str | None = None) -> str:
    """An answer as a person reads it (是 / 否 in Chinese)."""
    if text is None:
        return ""
    if qtype == QuestionType.YES_NO:
        zh = (lang or current_language()) == "zh"
        return ("是" if text == "yes" else "否") if zh else text
    if qtype == QuestionType.MULTI:
        return "、".join(typed(qtype, text)) if (lang or current_language()) == "zh" else text
    return text


# --------------------------------------------------------------------------- definitions


def check_draft(d: QuestionDraft) -> QuestionDraft:
    """The draft cleaned (key lower case, choices split), or the first ValidationError."""
    key = unicodedata.normalize("NFKC", d.key or "").strip().lower()
    if not key:
        raise ValidationError("key", "required")
    if not _KEY_RE.match(key):
        raise ValidationError("key", "question_key_bad", max=KEY_MAX)
    label = (d.label or "").strip()
    if not label:
        raise ValidationError("label", "required")
    if len(label) > LABEL_MAX:
        raise ValidationError("label", "too_long", max=LABEL_MAX)
    if d.type not in QuestionType.__members__.values():
        raise ValidationError("type", "bad_choice", choices=", ".join(QuestionType))
    choices = split_choices(d.choices)
    if d.type in (QuestionType.CHOICE, QuestionType.MULTI):
        if len(choices) < 2:
            raise ValidationError("choices", "question_choices_needed")
        if len(choices) > CHOICES_MAX:
            raise ValidationError("choices", "question_choices_many", max=CHOICES_MAX)
        for c in choices:
            if FORBIDDEN_IN_CHOICE.search(c) or len(c) > 100:
                raise ValidationError("choices", "question_choice_bad", choice=c)
    else:
        choices = ()
    if not (d.at_signup or d.at_desk):
        raise ValidationError("at_desk", "question_asked_nowhere")
    return replace(d, key=key, label=label, choices=choices)


def _question(s: Session, question_id: str | uuid.UUID) -> Question:
    return live_row(s, Question, question_id, "question")  # type: ignore[no-any-return]


def get_question(db: Database, question_id: str | uuid.UUID) -> QuestionView:
    with db.read() as s:
        return view_of(_question(s, question_id))


def questions_in(s: Session, event_id: uuid.UUID) -> list[Question]:
    return event_rows(s, Question, event_id)


def add_question_in(s: Session, e: Event, d: QuestionDraft, actor: object = None) -> Question:
    """Add (or bring back a removed question with the same key) inside a transaction."""
    d = check_draft(d)
    mine = s.scalars(
        select(Question).where(Question.event_id == e.id, Question.key == d.key)
    ).first()
    if mine is not None and mine.deleted_at is None:
        raise ValidationError("key", "question_key_taken", key=d.key)
    position = next_position(s, Question, e.id)
    q = mine or Question(event_id=e.id, key=d.key)
    if mine is None:
        stamp_origin(s, q)
        s.add(q)
    _apply(q, d)
    q.position, q.deleted_at = position, None
    s.flush()
    audit(s, "question.add", "question", q.id, {"event": str(e.id), "key": q.key}, actor)
    return q


def _apply(q: Question, d: QuestionDraft) -> None:
    q.label, q.type, q.choices = d.label, d.type, list(d.choices)
    q.required, q.at_signup, q.at_desk = d.required, d.at_signup, d.at_desk


def add_question(
    db: Database, event_id: str | uuid.UUID, draft: QuestionDraft, actor: object = None
) -> QuestionView:
    require(db, actor, Permission.PLAN_EVENTS)
    with db.write() as s:
        return view_of(add_question_in(s, live_event(s, event_id), draft, actor))


def update_question(
    db: Database, question_id: str | uuid.UUID, draft: QuestionDraft, actor: object = None
) -> QuestionView:
    """Change a question. Its key may change (answers follow); its type may change only
    while nobody has answered it (stored answers would no longer fit)."""
    require(db, actor, Permission.PLAN_EVENTS)
    d = check_draft(draft)
    with db.write() as s:
        q = _question(s, question_id)
        if d.key != q.key:
            taken = s.scalar(
                select(Question.id).where(
                    Question.event_id == q.event_id, Question.key == d.key, Question.id != q.id
                )
            )
            if taken is not None:
                raise ValidationError("key", "question_key_taken", key=d.key)
        answered = _answered(s, q.id)
        if answered and d.type != q.type:
            raise RuleViolation(code="question_type_answered", n=answered)
        if answered and q.type in (QuestionType.CHOICE, QuestionType.MULTI):
            gone = {c for c in q.choices or ()} - set(d.choices)
            used = _used_options(s, q)
            if gone & used:
                raise RuleViolation(
                    code="question_choice_answered", choice=" / ".join(sorted(gone & used))
                )
        old_key = q.key
        q.key = d.key
        _apply(q, d)
        if old_key != d.key:
            for a in s.scalars(select(Answer).where(Answer.question_id == q.id)):
                a.question_key = d.key
        s.flush()
        audit(s, "question.update", "question", q.id, {"key": q.key}, actor)
        return view_of(q)


def _answered(s: Session, question_id: uuid.UUID) -> int:
    return int(
        s.scalar(
            select(func.count())
            .select_from(Answer)
            .where(Answer.question_id == question_id, Answer.deleted_at.is_(None))
        )
        or 0
    )


def _used_options(s: Session, q: Question) -> set[str]:
    used: set[str] = set()
    for (value,) in s.execute(
        select(Answer.value).where(Answer.question_id == q.id, Answer.deleted_at.is_(None))
    ):
        for part in value.split(MULTI_JOIN) if q.type == QuestionType.MULTI else [value]:
            used.add(part.split(": ", 1)[0])
    return used


def remove_question(db: Database, question_id: str | uuid.UUID, actor: object = None) -> None:
    """Remove a question (soft: its answers stay in the database and in HQ exports)."""
    require(db, actor, Permission.PLAN_EVENTS)
    with db.write() as s:
        q = _question(s, question_id)
        q.deleted_at = now_utc()
        audit(s, "question.remove", "question", q.id, {"key": q.key}, actor)


def move_question(
    db: Database, question_id: str | uuid.UUID, delta: int, actor: object = None
) -> list[QuestionView]:
    """Move a question up (delta < 0) or down in the order it is asked."""
    require(db, actor, Permission.PLAN_EVENTS)
    with db.write() as s:
        q = _question(s, question_id)
        qs = questions_in(s, q.event_id)
        i = qs.index(q)
        j = max(0, min(len(qs) - 1, i + delta))
        qs.insert(j, qs.pop(i))
        for pos, x in enumerate(qs):
            if x.position != pos:
                x.position = pos
        s.flush()
        return [view_of(x) for x in qs]


def list_questions(
    db: Database, event_id: str | uuid.UUID, where: str | None = None
) -> list[QuestionView]:
    """The event's questions in order; `where` = "signup" or "desk" keeps those asked there."""
    with db.read() as s:
        qs = [view_of(q) for q in questions_in(s, live_event(s, event_id).id)]
    if where == "signup":
        return [q for q in qs if q.at_signup]
    if where == "desk":
        return [q for q in qs if q.at_desk]
    return qs


def copy_questions_in(s: Session, source: uuid.UUID, target: Event) -> None:
    """Duplicate an event: the same questions (no answers)."""
    for q in questions_in(s, source):
        add_question_in(s, target, view_of(q).draft())


def template_data(qs: Iterable[QuestionView]) -> list[dict[str, Any]]:
    return [
        {k: v for k, v in q.to_json().items() if k not in ("id", "event_id", "position")}
        for q in qs
    ]


def drafts_from_template(data: Iterable[Mapping[str, Any]]) -> tuple[QuestionDraft, ...]:
    out = []
    for x in data:
        try:
            out.append(
                QuestionDraft(
                    str(x["key"]),
                    str(x["label"]),
                    str(x.get("type") or QuestionType.TEXT),
                    tuple(x.get("choices") or ()),
                    bool(x.get("required")),
                    bool(x.get("at_signup", True)),
                    bool(x.get("at_desk")),
                )
            )
        except (KeyError, TypeError):
            continue  # a hand-edited template row: skipped, the rest still applies
    return tuple(out)


# --------------------------------------------------------------------------- answers


def parse_pairs(pairs: Iterable[str]) -> dict[str, str]:
    """CLI `--answer KEY=VALUE` (repeatable) → {key: value}; a key twice: the last wins."""
    out: dict[str, str] = {}
    for pair in pairs:
        key, eq, value = pair.partition("=")
        if not eq or not key.strip():
            raise ValidationError("answer", "answer_pair", pair=pair)
        out[unicodedata.normalize("NFKC", key).strip().lower()] = value
    return out


def check_answers(
    qs: Iterable[QuestionView], answers: Mapping[str, Any], where: str | None = None
) -> dict[str, str | None]:
    """{key: canonical text or None (clear)} for `answers` given by key; an unknown key or
    a value that does not fit raises ValidationError (nothing stored). `where` limits the
    keys to questions asked there ("signup" / "desk")."""
    by_key = {q.key: q for q in qs if where is None or _asked(q, where)}
    out: dict[str, str | None] = {}
    for key, raw in answers.items():
        k = unicodedata.normalize("NFKC", str(key)).strip().lower()
        q = by_key.get(k)
        if q is None:
            raise ValidationError(
                "answer", "unknown_question", key=key, keys=", ".join(by_key) or "—"
            )
        out[k] = parse_answer(q, raw)
    return out


def _asked(q: QuestionView, where: str) -> bool:
    return q.at_signup if where == "signup" else q.at_desk if where == "desk" else True


def missing_required(
    qs: Iterable[QuestionView], have: Mapping[str, Any], where: str
) -> list[QuestionView]:
    """Required questions asked `where` that have no answer in `have`."""
    return [q for q in qs if q.required and _asked(q, where) and have.get(q.key) in (None, "")]


def store_answers_in(
    s: Session,
    r: Registration,
    values: Mapping[str, str | None],
    source: str,
    qs: Iterable[QuestionView] | None = None,
) -> int:
    """Write checked answers (from check_answers) for one registration; None clears one.
    Returns how many rows changed."""
    if not values:
        return 0
    by_key = {
        q.key: q for q in (qs if qs is not None else map(view_of, questions_in(s, r.event_id)))
    }
    mine = {
        a.question_id: a for a in s.scalars(select(Answer).where(Answer.registration_id == r.id))
    }
    changed = 0
    for key, value in values.items():
        q = by_key[key]
        a = mine.get(q.id)
        if value is None:
            if a is not None and a.deleted_at is None:
                a.deleted_at = now_utc()
                changed += 1
            continue
        if a is None:
            a = Answer(
                event_id=r.event_id,
                registration_id=r.id,
                question_id=q.id,
                question_key=q.key,
                value=value,
                source=source,
            )
            stamp_origin(s, a)
            s.add(a)
            mine[q.id] = a
            changed += 1
        elif a.value != value or a.deleted_at is not None:
            a.value, a.source, a.deleted_at = value, source, None
            changed += 1
    s.flush()
    return changed


def answers_in(s: Session, reg_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, dict[str, Any]]:
    """{registration id: {key: typed value}} of live questions, in question order."""
    ids = list(reg_ids)
    out: dict[uuid.UUID, dict[str, Any]] = {rid: {} for rid in ids}
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        for rid, key, qtype, value in s.execute(
            select(Answer.registration_id, Question.key, Question.type, Answer.value)
            .join(Question, Question.id == Answer.question_id)
            .where(
                Answer.registration_id.in_(chunk),
                Answer.deleted_at.is_(None),
                Question.deleted_at.is_(None),
            )
            .order_by(Question.position, Question.created_at)
        ):
            out[rid][key] = typed(qtype, value)
    return out


def text_answers_in(s: Session, reg_id: uuid.UUID) -> dict[str, str]:
    """{key: canonical text} of one registration (what missing_required looks at)."""
    return dict(
        s.execute(
            select(Answer.question_key, Answer.value).where(
                Answer.registration_id == reg_id, Answer.deleted_at.is_(None)
            )
        ).all()
    )


def set_answers(
    db: Database,
    registration_id: str | uuid.UUID,
    answers: Mapping[str, Any],
    actor: object = None,
) -> dict[str, Any]:
    """Change a registration's answers (coordinator, attendee tab); returns them all."""
    require(db, actor, Permission.REGISTER)
    with db.write() as s:
        r = s.get(Registration, parse_id(registration_id, "registration"))
        if r is None or r.deleted_at is not None:
            raise NotFound("registration", registration_id)
        qs = [view_of(q) for q in questions_in(s, r.event_id)]
        values = check_answers(qs, answers)
        if store_answers_in(s, r, values, AnswerSource.SIGNUP.value, qs):
            audit(s, "answers.set", "registration", r.id, {"keys": sorted(values)}, actor)
        return answers_in(s, [r.id])[r.id]


# --------------------------------------------------------------------------- reports


def answer_counts(
    db: Database, event_id: str | uuid.UUID, statuses: Iterable[str] | None = None
) -> list[AnswerCounts]:
    """Per question: answered / unanswered and the count of each option (yes/no, choices,
    dates) or the mean/min/max (numbers), over live registrations in `statuses` (default:
    everyone not cancelled or declined)."""
    with db.read() as s:
        return answer_counts_in(s, live_event(s, event_id).id, statuses)


def answer_counts_in(
    s: Session, event_id: uuid.UUID, statuses: Iterable[str] | None = None
) -> list[AnswerCounts]:
    from desktop_app.domain.enums import RegistrationStatus as S

    wanted = tuple(statuses or (S.REGISTERED, S.WAITLISTED, S.PENDING, S.ATTENDED, S.NO_SHOW))
    qs = [view_of(q) for q in questions_in(s, event_id)]
    if not qs:
        return []
    live = (
        select(Registration.id)
        .where(
            Registration.event_id == event_id,
            Registration.deleted_at.is_(None),
            Registration.status.in_([str(x) for x in wanted]),
        )
        .scalar_subquery()
    )
    total = int(
        s.scalar(select(func.count()).select_from(Registration).where(Registration.id.in_(live)))
        or 0
    )
    values: dict[uuid.UUID, list[str]] = {q.id: [] for q in qs}
    for qid, value in s.execute(
        select(Answer.question_id, Answer.value).where(
            Answer.event_id == event_id,
            Answer.deleted_at.is_(None),
            Answer.registration_id.in_(live),
        )
    ):
        if qid in values:
            values[qid].append(value)
    return [_counts(q, values[q.id], total) for q in qs]


def _counts(q: QuestionView, values: list[str], total: int) -> AnswerCounts:
    n = len(values)
    base = AnswerCounts(q.key, q.label, q.type, n, max(total - n, 0), ())
    if q.type == QuestionType.NUMBER:
        nums = [float(v) for v in values if is_number(v)]
        if not nums:
            return base
        return replace(
            base, mean=round(sum(nums) / len(nums), 2), minimum=min(nums), maximum=max(nums)
        )
    if q.type == QuestionType.TEXT:
        return base
    c: Counter[str] = Counter()
    for v in filter(None, values):  # "" : an answer blanked by an older erasure
        for part in v.split(MULTI_JOIN) if q.type == QuestionType.MULTI else [v]:
            c[
                part.split(": ", 1)[0]
                if q.type in (QuestionType.CHOICE, QuestionType.MULTI)
                else part
            ] += 1
    if q.type == QuestionType.YES_NO:
        order = ["yes", "no"]
    elif q.type in (QuestionType.CHOICE, QuestionType.MULTI):
        order = list(q.choices) + sorted(k for k in c if k not in q.choices)
    else:
        order = sorted(c)
    return replace(base, options=tuple(OptionCount(o, c.get(o, 0)) for o in order))


def is_number(v: str) -> bool:
    try:
        Decimal(v)
    except InvalidOperation:
        return False
    return True


def add_questions(
    db: Database, event_id: str | uuid.UUID, drafts: Iterable[QuestionDraft], actor: object = None
) -> list[QuestionView]:
    """Add several questions in ONE transaction (the import wizard's "make these columns
    questions"): one refused refuses them all."""
    require(db, actor, Permission.PLAN_EVENTS)
    with db.write() as s:
        e = live_event(s, event_id)
        return [view_of(add_question_in(s, e, d, actor)) for d in drafts]


# --------------------------------------------------------------------------- erasure


def _erase_answers(s: Session, _people: set[uuid.UUID], regs: set[uuid.UUID]) -> int:
    """Erasing a person (services/erasure.py) blanks what they wrote: text answers and the
    fill-in of an "other" option (其他: 带狗 keeps 其他); answers picked from the event's
    own options (yes/no, choices, numbers, dates) stay, so the report's counts per option
    are the same before and after. The desk answers copied into the scan log and a
    decline's reason go too."""
    from desktop_app.store.models import ScanLog

    if not regs:
        return 0
    ids = list(regs)
    now = now_utc()
    n = 0
    for a, q in s.execute(
        select(Answer, Question)
        .join(Question, Question.id == Answer.question_id)
        .where(Answer.registration_id.in_(ids), Answer.value != "")
    ):
        kept = "" if q.type == QuestionType.TEXT else _without_fill_ins(q, a.value)
        if kept != a.value:
            a.value, a.updated_at = kept, now
            n += 1
    n += s.execute(
        update(ScanLog)
        .where(ScanLog.registration_id.in_(ids), ScanLog.answers.is_not(None))
        .values(answers=None, updated_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    s.execute(
        update(Registration)
        .where(Registration.id.in_(ids), Registration.decline_reason.is_not(None))
        .values(decline_reason=None)
        .execution_options(synchronize_session=False)
    )
    return int(n)


def _without_fill_ins(q: Question, value: str) -> str:
    """The options picked, without what was typed into "other" (only the question's own
    options are kept: a fill-in may itself hold the separator)."""
    if q.type not in (QuestionType.CHOICE, QuestionType.MULTI):
        return value
    picked = (part.split(": ", 1)[0] for part in value.split(MULTI_JOIN))
    return MULTI_JOIN.join(p for p in picked if p in q.choices)


_erase_answers.__name__ = "answers"  # the erasure report counts rows per table name
register_eraser(_erase_answers)
