"""Retention: prospects with no activity for N months (a setting, 24 by default) are
listed for review and can be anonymised in bulk (services/erasure.py, kind "retention").

Activity is the latest of: the record's creation, a stage change, a registration, a
check-in, an invitation call, feedback, a consent change, online attendance. Owners and
members are kept (they are customers with vehicles and service history); only prospects
who never bought are reviewed. Erased and merged-away records are not listed.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select, union_all
from sqlalchemy.orm import Session

from desktop_app.domain.enums import ErasureKind, Stage
from desktop_app.domain.errors import ValidationError
from desktop_app.domain.phone import display_phone
from desktop_app.domain.roles import Permission
from desktop_app.domain.timeutil import now_utc
from desktop_app.services import erasure
from desktop_app.services.auth import require
from desktop_app.services.common import audit
from desktop_app.store.db import Database
from desktop_app.store.models import (
    ConsentChange,
    Feedback,
    Invitation,
    OnlineAttendance,
    Person,
    Registration,
    Setting,
)

SETTING = "retention_months"
DEFAULT_MONTHS = 24
MAX_MONTHS = 240
LIST_LIMIT = 5000


@dataclass(frozen=True, slots=True)
class StaleRow:
    person_id: uuid.UUID
    name: str
    phone: str | None
    source: str | None
    created_at: datetime
    last_activity_at: datetime

    def to_json(self) -> dict[str, Any]:
        return {
            "person_id": str(self.person_id),
            "name": self.name,
            "phone": self.phone,
            "phone_display": display_phone(self.phone),
            "source": self.source,
            "created_at": self.created_at.isoformat(),
            "last_activity_at": self.last_activity_at.isoformat(),
        }


@dataclass(frozen=True, slots=True)
class RetentionReview:
    months: int
    cutoff: datetime  # no activity since this moment
    count: int  # all who are due (rows may stop at LIST_LIMIT)
    rows: tuple[StaleRow, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "months": self.months,
            "cutoff": self.cutoff.isoformat(),
            "count": self.count,
            "items": [r.to_json() for r in self.rows],
        }


def months_in(s: Session) -> int:
    row = s.get(Setting, SETTING)
    try:
        value = int(row.value) if row is not None else DEFAULT_MONTHS
    except (TypeError, ValueError):
        return DEFAULT_MONTHS
    return value if 1 <= value <= MAX_MONTHS else DEFAULT_MONTHS


def retention_months(db: Database) -> int:
    with db.read() as s:
        return months_in(s)


def set_retention_months(db: Database, months: int, actor: object = None) -> int:
    """Change the retention period (settings; admins)."""
    require(db, actor, Permission.SETTINGS)
    if isinstance(months, bool) or not isinstance(months, int) or not 1 <= months <= MAX_MONTHS:
        raise ValidationError("months", "retention_months_bad")
    with db.write() as s:
        row = s.get(Setting, SETTING)
        if row is None:
            s.add(Setting(key=SETTING, value=months))
        else:
            row.value = months
        audit(s, "settings.retention_months", "settings", SETTING, {"months": months}, actor)
    return months


def _last_activity() -> Any:
    """person_id → latest activity time, over every table that records one."""
    parts = [
        select(Person.id.label("pid"), Person.created_at.label("at")),
        select(Person.id.label("pid"), Person.stage_changed_at.label("at")),
        select(Registration.person_id.label("pid"), Registration.registered_at.label("at")),
        select(Registration.person_id.label("pid"), Registration.checked_in_at.label("at")),
        select(Invitation.person_id.label("pid"), Invitation.called_at.label("at")),
        select(Feedback.person_id.label("pid"), Feedback.created_at.label("at")),
        select(ConsentChange.person_id.label("pid"), ConsentChange.at.label("at")),
        select(OnlineAttendance.person_id.label("pid"), OnlineAttendance.last_leave_at.label("at")),
    ]
    every = union_all(*parts).subquery("activity")
    return (
        select(every.c.pid, func.max(every.c.at).label("last"))
        .where(every.c.pid.is_not(None))
        .group_by(every.c.pid)
        .subquery("last_activity")
    )


def _stale(months: int, now: datetime) -> tuple[Any, datetime, Any]:
    cutoff = now - timedelta(days=round(months * 30.44))
    last = _last_activity()
    stmt = (
        select(
            Person.id,
            Person.name,
            Person.phone,
            Person.source,
            Person.created_at,
            last.c.last,
        )
        .join(last, last.c.pid == Person.id)
        .where(
            Person.stage == Stage.PROSPECT.value,
            Person.deleted_at.is_(None),
            Person.erased_at.is_(None),
            last.c.last < cutoff,
        )
    )
    return stmt, cutoff, last.c.last


def review(
    db: Database, *, months: int | None = None, now: datetime | None = None
) -> RetentionReview:
    """Prospects due for review: no activity for `months` (default: the setting)."""
    require(db, None, Permission.ERASE_PEOPLE)
    now = now or now_utc()
    with db.read() as s:
        months = months if months is not None else months_in(s)
        if not 1 <= months <= MAX_MONTHS:
            raise ValidationError("months", "retention_months_bad")
        stmt, cutoff, last = _stale(months, now)
        count = int(s.scalar(select(func.count()).select_from(stmt.subquery())) or 0)
        rows = tuple(
            StaleRow(*r) for r in s.execute(stmt.order_by(last, Person.id).limit(LIST_LIMIT))
        )
    return RetentionReview(months, cutoff, count, rows)


def anonymise(
    db: Database,
    person_ids: Sequence[str | uuid.UUID] | None = None,
    *,
    reason: str = "",
    months: int | None = None,
    now: datetime | None = None,
    actor: object = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[erasure.ErasureResult]:
    """Anonymise the listed prospects (all who are due when `person_ids` is None). Only
    people still due are erased: someone who came back since the list was made stays."""
    require(db, actor, Permission.ERASE_PEOPLE)
    now = now or now_utc()
    with db.read() as s:
        months = months if months is not None else months_in(s)
        stmt, _cutoff, _last = _stale(months, now)
        due = set(s.scalars(select(stmt.subquery().c.id)))
    wanted = (
        due if person_ids is None else {erasure.parse_id(p, "person") for p in person_ids} & due
    )
    reason = reason.strip() or f"retention: no activity for {months} months"
    return erasure.erase_many(
        db,
        sorted(wanted, key=str),
        reason,
        kind=ErasureKind.RETENTION,
        actor=actor,
        progress=progress,
    )
