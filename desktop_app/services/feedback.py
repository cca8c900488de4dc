"""Post-event feedback: the quick check-out form at the desk, and survey exports imported.

- One feedback per registration: giving it again at the desk corrects it (updated).
- Rating 1–5, NPS answer 0–10, comment; at least one of the three.
- A survey import matches rows to the event's registrations by phone (or ticket short code);
  rows whose phone matches nobody are kept as anonymous feedback (they still count in the
  average and NPS) and reported as `unmatched`. Importing the same file twice changes
  nothing. The whole file is one transaction: a bad row is reported (1-based row number
  and reason) and nothing is written when `strict`; by default good rows are imported and
  bad rows listed, like the other imports.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.domain.errors import NotFound, RuleViolation, ValidationError
from desktop_app.domain.roles import Permission
from desktop_app.io.mapping import FieldSpec, guess_mapping
from desktop_app.io.tables import read_table
from desktop_app.io.values import parse_int, parse_phone, text_or_none
from desktop_app.services.auth import require
from desktop_app.services.common import audit, parse_id, stamp_origin
from desktop_app.services.registration import short_code_of
from desktop_app.store.db import Database
from desktop_app.store.models import Event, Feedback, Person, Registration

COMMENT_MAX = 2000

FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("phone", ("手机号", "手机号码", "手机", "电话", "联系电话", "phone", "mobile")),
    FieldSpec("name", ("姓名", "名字", "客户姓名", "name")),
    FieldSpec(
        "rating",
        ("满意度", "总体满意度", "活动评分", "评分", "打分", "rating", "satisfaction", "score"),
    ),
    FieldSpec(
        "nps",
        (
            "推荐度",
            "推荐意愿",
            "您有多大可能向朋友推荐",
            "向朋友推荐",
            "nps",
            "how likely are you to recommend",
            "recommend",
        ),
    ),
    FieldSpec("comment", ("意见", "建议", "意见建议", "留言", "评论", "comment", "comments")),
    FieldSpec("ticket", ("票号", "签到码", "ticket", "ticket code")),
)


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


@dataclass(frozen=True, slots=True)
class FeedbackImportReport:
    """DESIGN.md's import report, plus how many rows matched no registration."""

    event_id: uuid.UUID
    created: int
    updated: int
    unchanged: int
    duplicates: int
    rejected: list[dict[str, Any]]
    unmatched: int
    mapping: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "event_id": str(self.event_id),
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "duplicates": self.duplicates,
            "rejected": self.rejected,
            "unmatched": self.unmatched,
            "mapping": self.mapping,
        }

    def summary(self) -> str:
        lines = [
            f"created {self.created}, updated {self.updated}, unchanged {self.unchanged}, "
            f"duplicates {self.duplicates}, rejected {len(self.rejected)}, "
            f"anonymous {self.unmatched}"
        ]
        lines += [f"  row {r['row']}: {r['reason']}" for r in self.rejected]
        return "\n".join(lines)


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
) -> tuple[Feedback, str]:
    """('created' | 'updated' | 'unchanged'). Anonymous rows are matched by their answers."""
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


def _answer(value: Any, lo: int, hi: int) -> int | None:
    """A 1–5 / 0–10 cell: '5', 5.0, '5分', '★★★★☆' (stars counted)."""
    text = text_or_none(value)
    if text is None:
        return None
    stars = text.count("★")
    if stars:
        return stars
    n = parse_int(text.replace("分", "").strip())
    if n is None:
        raise ValueError(f"not a number from {lo} to {hi}: {text}")
    if not lo <= n <= hi:
        raise ValueError(f"must be from {lo} to {hi}: {n}")
    return n


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
    """Import a survey export (xlsx/xls/csv; Chinese or English headers) in one transaction."""
    require(db, actor, Permission.IMPORTS)
    table = read_table(
        path, sheet=sheet, fields=FIELDS, progress=progress, is_cancelled=is_cancelled
    )
    try:
        cols = guess_mapping(table.headers, FIELDS, mapping)
    except ValueError as exc:
        raise ValidationError("mapping", "bad_choice", choices=str(exc)) from None
    if "rating" not in cols and "nps" not in cols and "comment" not in cols:
        raise ValidationError("rating", "feedback_empty")
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    rejected: list[dict[str, Any]] = []
    duplicates = unmatched = 0
    with db.write() as s:
        e = s.get(Event, parse_id(event_id, "event"))
        if e is None or e.deleted_at is not None:
            raise NotFound("event", event_id)
        by_phone = {
            phone: (pid, rid)
            for phone, pid, rid in s.execute(
                select(Person.phone, Person.id, Registration.id)
                .join(Registration, Registration.person_id == Person.id)
                .where(Registration.event_id == e.id, Registration.deleted_at.is_(None))
            )
            if phone
        }
        by_ticket = {
            (short_code_of(code) or "").upper(): rid
            for code, rid in s.execute(
                select(Registration.ticket_code, Registration.id).where(
                    Registration.event_id == e.id, Registration.deleted_at.is_(None)
                )
            )
        }
        seen: set[object] = set()
        for row in table.rows:
            try:
                rating = _answer(row.get(cols.get("rating")), 1, 5)
                nps = _answer(row.get(cols.get("nps")), 0, 10)
                comment = (text_or_none(row.get(cols.get("comment"))) or "")[:COMMENT_MAX]
                phone = parse_phone(row.get(cols.get("phone"))) if "phone" in cols else None
            except ValueError as exc:
                rejected.append({"row": row.number, "reason": str(exc)})
                continue
            if rating is None and nps is None and not comment:
                continue  # an empty answer sheet: nothing to record
            rid = None
            ticket = text_or_none(row.get(cols.get("ticket")))
            if ticket:
                rid = by_ticket.get(ticket.strip().upper()[:8])
            pid = None
            if rid is None and phone and phone in by_phone:
                pid, rid = by_phone[phone]
            reg = s.get(Registration, rid) if rid else None
            if reg is not None:
                pid = reg.person_id
            key: object = rid or (None, rating, nps, comment)
            if key in seen:
                duplicates += 1
                continue
            seen.add(key)
            if reg is None:
                unmatched += 1
            _f, what = _upsert(s, e.id, reg, pid, rating, nps, comment, "survey")
            counts[what] += 1
        audit(
            s,
            "feedback.import",
            "event",
            e.id,
            {"file": Path(path).name, **counts, "rejected": len(rejected)},
            actor,
        )
    return FeedbackImportReport(
        parse_id(event_id, "event"),
        counts["created"],
        counts["updated"],
        counts["unchanged"],
        duplicates,
        rejected,
        unmatched,
        {k: table.column_name(v) for k, v in cols.items()},
    )
