"""Marketing and photo consent (PIPL Art. 15): given and withdrawn with when, how and by
whom, and the rule every marketing list applies.

`people.consent_marketing_at` / `consent_photos_at` hold the current state (set = given,
at that time); `consent_changes` holds every change. Withdrawal is always allowed to any
signed-in staff member (the desk too): a person who says "stop calling me" is honoured at
whichever desk they say it. Giving consent needs someone who may edit people or register
walk-ins.

Marketing lists (invitation call lists, follow-up lists and their exports) take only
people with marketing consent (`marketing_ok()`) and say how many they left out.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from desktop_app.domain.enums import ConsentKind, ConsentMethod
from desktop_app.domain.errors import NotFound, ValidationError
from desktop_app.domain.ids import new_id
from desktop_app.domain.roles import Permission
from desktop_app.domain.timeutil import now_utc
from desktop_app.services.auth import can, require
from desktop_app.services.common import audit, parse_id, stamp_origin
from desktop_app.store.db import Database
from desktop_app.store.models import ConsentChange, Person

SOURCE_MAX = 200

# A consent column of an import or an online form ("是否同意接收营销信息", "同意接收活动通知",
# "Marketing consent"): its answer gives consent with method "import" (people imports)
# or "form" (sign-up forms). A "no" never withdraws: withdrawal is the person's own act.
# (importers build their io.mapping.FieldSpec from these; rapidfuzz is theirs to import)
CONSENT_KEY = "consent_marketing"
CONSENT_ALIASES = (
    "营销授权",
    "营销同意",
    "是否同意接收营销信息",
    "同意接收营销信息",
    "同意接收活动通知",
    "同意接收优惠信息",
    "接收营销信息",
    "marketing consent",
    "consent to marketing",
    "marketing opt-in",
    "opt-in",
)
CONSENT_KEYWORDS = ("营销", "同意接收", "愿意接收", "consent", "opt-in", "opt in")
_YES_WORDS = (
    "同意",
    "愿意",
    "接受",
    "允许",
    "可以",
    "是",
    "好",
    "yes",
    "y",
    "true",
    "1",
    "√",
    "✓",
    "✔",
    "agree",
)
_NO_WORDS = (
    "不",
    "拒绝",
    "否",
    "未",
    "没",
    "no",
    "n",
    "false",
    "0",
    "×",
    "✗",
    "✘",
    "x",
    "disagree",
)


@dataclass(frozen=True, slots=True)
class ConsentEntry:
    """One line of a person's consent history."""

    id: uuid.UUID
    person_id: uuid.UUID
    kind: str  # marketing, photos
    given: bool
    at: datetime
    method: str
    staff_name: str | None
    source: str | None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "person_id": str(self.person_id),
            "kind": self.kind,
            "given": self.given,
            "at": self.at.isoformat(),
            "method": self.method,
            "staff_name": self.staff_name,
            "source": self.source,
        }


@dataclass(frozen=True, slots=True)
class ConsentState:
    person_id: uuid.UUID
    marketing_at: datetime | None
    photos_at: datetime | None
    changed: bool  # False when the person already was in that state
    history: tuple[ConsentEntry, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "id": str(self.person_id),
            "consent_marketing": self.marketing_at is not None,
            "consent_marketing_at": self.marketing_at.isoformat() if self.marketing_at else None,
            "consent_photos": self.photos_at is not None,
            "consent_photos_at": self.photos_at.isoformat() if self.photos_at else None,
            "changed": self.changed,
            "history": [h.to_json() for h in self.history],
        }


def consent_answer(value: object) -> bool | None:
    """An answer to a consent question: True (agreed), False (declined), None (blank or
    not an answer). "同意", "是，同意接收", "√", "Yes" agree; "不同意", "否", "拒绝" decline."""
    if value is None or isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if not text or text in ("-", "—", "/", "无", "n/a"):
        return None
    if text.startswith(_NO_WORDS) or any(w in text for w in ("不同意", "不愿意", "不接受", "拒绝")):
        return False
    if text.startswith(_YES_WORDS) or any(w in text for w in ("同意", "愿意", "接受")):
        return True
    return None


def marketing_ok() -> ColumnElement[bool]:
    """SQL: this person may be contacted for marketing (consent given, not withdrawn)."""
    return Person.consent_marketing_at.is_not(None)


def _column(kind: str) -> str:
    if kind not in ConsentKind.__members__.values():
        raise ValidationError("kind", "bad_choice", choices=", ".join(ConsentKind))
    return f"consent_{kind}_at"


def set_consent_in(
    s: Session,
    person: Person,
    kind: str,
    given: bool,
    method: str,
    *,
    actor: object = None,
    source: str | None = None,
    at: datetime | None = None,
) -> bool:
    """Give or withdraw one consent inside the caller's transaction.

    Records a history row and an audit row only when the state changes (giving twice
    keeps the first time). Returns whether it changed.
    """
    column = _column(kind)
    if method not in ConsentMethod.__members__.values():
        raise ValidationError("method", "bad_choice", choices=", ".join(ConsentMethod))
    current = getattr(person, column)
    if given == (current is not None):
        return False
    when = at or now_utc()
    setattr(person, column, when if given else None)
    if actor is None:
        actor = s.info.get("principal")
    row = ConsentChange(
        id=new_id(),
        person_id=person.id,
        kind=kind,
        given=given,
        at=when,
        method=method,
        staff_id=getattr(actor, "id", None),
        staff_name=getattr(actor, "name", None) or None,
        source=(source or "").strip()[:SOURCE_MAX] or None,
    )
    stamp_origin(s, row)
    s.add(row)
    audit(
        s,
        "consent.give" if given else "consent.withdraw",
        "person",
        person.id,
        {"kind": kind, "method": method},
        actor,
    )
    return True


def history_in(s: Session, person_id: uuid.UUID) -> list[ConsentEntry]:
    return [
        ConsentEntry(c.id, c.person_id, c.kind, c.given, c.at, c.method, c.staff_name, c.source)
        for c in s.scalars(
            select(ConsentChange)
            .where(ConsentChange.person_id == person_id, ConsentChange.deleted_at.is_(None))
            .order_by(ConsentChange.at, ConsentChange.created_at, ConsentChange.id)
        )
    ]


def _state(s: Session, p: Person, changed: bool) -> ConsentState:
    return ConsentState(
        p.id, p.consent_marketing_at, p.consent_photos_at, changed, tuple(history_in(s, p.id))
    )


def set_consent(
    db: Database,
    person_id: str | uuid.UUID,
    kind: str,
    given: bool,
    method: str,
    *,
    source: str | None = None,
    actor: object = None,
) -> ConsentState:
    """Give or withdraw a person's consent (withdrawal: any staff; giving: people editors
    and the desk). Unchanged when already in that state."""
    if given:
        if not (can(db, Permission.EDIT_PEOPLE, actor) or can(db, Permission.WALK_IN, actor)):
            require(db, actor, Permission.EDIT_PEOPLE)  # raises with the usual sentence
    else:
        require(db, actor, Permission.LOOK_UP_PEOPLE)
    with db.write() as s:
        p = s.get(Person, parse_id(person_id, "person"))
        if p is None or p.deleted_at is not None:
            raise NotFound("person", person_id)
        if p.erased_at is not None and given:
            raise ValidationError("consent", "person_erased")
        changed = set_consent_in(s, p, kind, given, method, actor=actor, source=source)
        s.flush()
        return _state(s, p, changed)


def consent_state(db: Database, person_id: str | uuid.UUID) -> ConsentState:
    """The person's consents now and their history, oldest first."""
    require(db, None, Permission.LOOK_UP_PEOPLE)
    with db.read() as s:
        p = s.get(Person, parse_id(person_id, "person"))
        if p is None:
            raise NotFound("person", person_id)
        return _state(s, p, False)


__all__ = [
    "ConsentEntry",
    "ConsentState",
    "consent_state",
    "history_in",
    "marketing_ok",
    "set_consent",
    "set_consent_in",
]
