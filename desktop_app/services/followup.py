"""Follow-up lists after events: who to call next, exportable and assignable to butlers.

Lists (definitions as in domain/kpi.py; "attended" = checked in or online long enough):
- no_shows: registered people (walk-ins excluded) who did not come to an event that is over.
- test_drive: walk-ins who came and asked for a test drive (the walk-in form's tick box).
- prospects: people who came and are still prospects today (not yet owners).
- dormant: owners and members who have attended no event starting in the last N months
  (N × 30 days, as the invitation segments count), including those who never came.

Every list is a marketing contact list: only people with marketing consent are on it
(services/consent.py); `left_out_no_consent` counts those the list left out.

Without an event, no_shows / test_drive / prospects cover events that started in the last
30 days (before `now`). Assigning a list to a butler (decision, see docs/reports.md):
- with a target event: each person gets a line on that butler's call list for the event
  (created, or moved to the butler and reset to to_call when still uncalled) — the normal
  call-list screen then drives the calls and records who registered;
- without an event: the butler becomes the person's butler (people.butler_id), the
  long-term owner of the relationship. Both are audited.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import Session, aliased

from desktop_app.domain import kpi
from desktop_app.domain.errors import NotFound, ValidationError
from desktop_app.domain.roles import Permission
from desktop_app.domain.timeutil import iso_local, now_utc
from desktop_app.services.auth import require
from desktop_app.services.common import audit, parse_id, stamp_origin
from desktop_app.services.consent import marketing_ok
from desktop_app.services.reports import came
from desktop_app.store.db import Database
from desktop_app.store.models import Event, Invitation, Person, Registration, Staff

LISTS = ("no_shows", "test_drive", "prospects", "dormant")
RECENT_DAYS = 30
DEFAULT_MONTHS = 6
MAX_ROWS = 50_000


@dataclass(frozen=True, slots=True)
class FollowUpRow:
    person_id: uuid.UUID
    name: str
    phone: str | None
    stage: str
    tier: str | None
    butler_id: uuid.UUID | None
    butler: str | None
    event_id: uuid.UUID | None  # the event that put them on the list (None for dormant)
    event_title: str | None
    event_starts_at: datetime | None
    registration_id: uuid.UUID | None
    interest_model: str | None
    last_attended_at: datetime | None  # dormant: their last attended event's start

    def to_json(self) -> dict[str, Any]:
        return {
            "person_id": str(self.person_id),
            "name": self.name,
            "phone": self.phone,
            "stage": self.stage,
            "tier": self.tier,
            "butler_id": str(self.butler_id) if self.butler_id else None,
            "butler": self.butler,
            "event_id": str(self.event_id) if self.event_id else None,
            "event_title": self.event_title,
            "event_starts_at": iso_local(self.event_starts_at),
            "registration_id": str(self.registration_id) if self.registration_id else None,
            "interest_model": self.interest_model,
            "last_attended_at": iso_local(self.last_attended_at),
        }


COLUMNS: tuple[tuple[str, str, str], ...] = (
    # key, English header, Chinese header (exports)
    ("name", "Name", "姓名"),
    ("phone", "Phone", "手机号"),
    ("stage", "Stage", "阶段"),
    ("tier", "Tier", "会员等级"),
    ("butler", "Butler", "管家"),
    ("event_title", "Event", "活动"),
    ("event_starts_at", "Event start", "活动开始"),
    ("interest_model", "Interested in", "意向车型"),
    ("last_attended_at", "Last attended", "最近到场"),
    ("person_id", "Person ID", "人员ID"),
)


@dataclass(frozen=True, slots=True)
class FollowUpList:
    kind: str
    event_id: uuid.UUID | None
    months: int | None
    rows: tuple[FollowUpRow, ...]
    truncated: bool = False
    left_out_no_consent: int = 0  # would be on the list but gave no marketing consent

    def to_json(self) -> dict[str, Any]:
        return {
            "list": self.kind,
            "event_id": str(self.event_id) if self.event_id else None,
            "months": self.months,
            "count": len(self.rows),
            "left_out_no_consent": self.left_out_no_consent,
            "truncated": self.truncated,
            "items": [r.to_json() for r in self.rows],
        }

    def table(self, lang: str = "en") -> tuple[list[str], list[list[Any]]]:
        """Headers and cell values for an xlsx/csv export."""
        headers = [zh if lang == "zh" else en for _k, en, zh in COLUMNS]
        rows = []
        for r in self.rows:
            data = r.to_json()
            rows.append([data[k] for k, _en, _zh in COLUMNS])
        return headers, rows


@dataclass(frozen=True, slots=True)
class AssignResult:
    butler_id: uuid.UUID
    event_id: uuid.UUID | None
    created: int  # call-list lines created
    updated: int  # lines moved to this butler / people whose butler changed
    unchanged: int

    def to_json(self) -> dict[str, Any]:
        return {
            "butler_id": str(self.butler_id),
            "event_id": str(self.event_id) if self.event_id else None,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
        }


def _event(s: Session, event_id: str | uuid.UUID) -> Event:
    e = s.get(Event, parse_id(event_id, "event"))
    if e is None or e.deleted_at is not None:
        raise NotFound("event", event_id)
    return e


def _base(extra: Sequence[Any] = ()) -> Any:
    butler = aliased(Staff)
    return (
        select(
            Person.id,
            Person.name,
            Person.phone,
            Person.stage,
            Person.tier,
            Person.butler_id,
            butler.name,
            *extra,
        )
        .outerjoin(butler, butler.id == Person.butler_id)
        .where(Person.deleted_at.is_(None), Person.merged_into_id.is_(None))
    )


def _event_scope(
    s: Session, event_id: str | uuid.UUID | None, now: datetime, over_only: bool
) -> Any:
    if event_id is not None:
        return Event.id == _event(s, event_id).id
    cond = and_(
        Event.deleted_at.is_(None),
        Event.status != "cancelled",
        Event.starts_at >= now - timedelta(days=RECENT_DAYS),
        Event.starts_at <= now,
    )
    if over_only:
        cond = and_(cond, Event.ends_at <= now)
    return cond


def follow_up(
    db: Database,
    kind: str,
    *,
    event_id: str | uuid.UUID | None = None,
    months: int = DEFAULT_MONTHS,
    now: datetime | None = None,
) -> FollowUpList:
    """One follow-up list (see the module docstring), sorted by butler then name."""
    require(db, None, Permission.INVITATIONS)
    if kind not in LISTS:
        raise ValidationError("list", "bad_followup_list", choices=", ".join(LISTS))
    if kind == "dormant" and (not isinstance(months, int) or months < 1):
        raise ValidationError("months", "not_positive", min=1)
    now = now or now_utc()
    with db.read() as s:
        if kind == "dormant":
            stmt = _dormant(months, now)
        else:
            scope = _event_scope(s, event_id, now, over_only=kind == "no_shows")
            ev_cols = (
                Event.id,
                Event.title,
                Event.starts_at,
                Registration.id,
                Registration.interest_model,
            )
            stmt = (
                _base(ev_cols)
                .join(Registration, Registration.person_id == Person.id)
                .join(Event, Event.id == Registration.event_id)
                .where(scope, Event.deleted_at.is_(None))
            )
            if kind == "no_shows":
                stmt = stmt.where(
                    Registration.deleted_at.is_(None),
                    Registration.status.in_(kpi.CONFIRMED),
                    Registration.is_walk_in.is_(False),
                    _did_not_come(),
                )
                if event_id is not None:
                    e = _event(s, event_id)
                    if not kpi.event_over(
                        kpi.EventFacts(str(e.id), e.starts_at, e.ends_at, e.status), now
                    ):
                        stmt = stmt.where(False)  # nobody is a no-show before the end
            elif kind == "test_drive":
                stmt = stmt.where(
                    came(),
                    Registration.is_walk_in.is_(True),
                    Registration.wants_test_drive.is_(True),
                )
            else:
                stmt = stmt.where(came(), Person.stage == "prospect")
        left_out = int(
            s.scalar(select(func.count()).select_from(stmt.where(~marketing_ok()).subquery())) or 0
        )
        rows = s.execute(stmt.where(marketing_ok()).limit(MAX_ROWS + 1)).all()
    out = []
    for pid, name, phone, stage, tier, bid, bname, *rest in rows[:MAX_ROWS]:
        if kind == "dormant":
            ev: list[Any] = [None] * 5
            last = rest[0]
        else:
            ev, last = list(rest), None
        out.append(FollowUpRow(pid, name, phone, stage, tier, bid, bname, *ev, last))
    out.sort(key=lambda r: (r.butler or "\uffff", r.name, str(r.person_id)))
    return FollowUpList(
        kind,
        parse_id(event_id, "event") if event_id else None,
        months if kind == "dormant" else None,
        tuple(out),
        truncated=len(rows) > MAX_ROWS,
        left_out_no_consent=left_out,
    )


def _did_not_come() -> Any:
    """NOT came(), spelled out: NOT over a NULL online_minutes would drop the row."""
    return and_(
        Registration.checked_in_at.is_(None),
        or_(
            Registration.online_minutes.is_(None),
            Registration.online_minutes
            < func.coalesce(Event.min_online_minutes, kpi.DEFAULT_MIN_ONLINE_MINUTES),
        ),
    )


def _dormant(months: int, now: datetime) -> Any:
    cutoff = now - timedelta(days=30 * months)
    last = (
        select(Registration.person_id.label("pid"), func.max(Event.starts_at).label("last"))
        .join(Event, Event.id == Registration.event_id)
        .where(came(), Event.deleted_at.is_(None), Event.starts_at <= now)
        .group_by(Registration.person_id)
        .subquery()
    )
    recent = exists(
        select(Registration.id)
        .join(Event, Event.id == Registration.event_id)
        .where(
            Registration.person_id == Person.id,
            came(),
            Event.deleted_at.is_(None),
            Event.starts_at >= cutoff,
            Event.starts_at <= now,
        )
    )
    return (
        _base((last.c.last,))
        .outerjoin(last, last.c.pid == Person.id)
        .where(Person.stage.in_(("owner", "member")), ~recent)
    )


def assign(
    db: Database,
    person_ids: Sequence[str | uuid.UUID],
    butler_id: str | uuid.UUID,
    *,
    event_id: str | uuid.UUID | None = None,
    note: str = "",
    actor: object = None,
) -> AssignResult:
    """Hand people to a butler: call-list lines for `event_id`, else their butler.

    Call-list lines are made only for people with marketing consent; the others are
    counted in `unchanged` (and the audit row says how many were left out)."""
    require(db, actor, Permission.INVITATIONS)
    ids = list(dict.fromkeys(parse_id(p, "person") for p in person_ids))
    with db.write() as s:
        st = s.get(Staff, parse_id(butler_id, "staff"))
        if st is None or st.deleted_at is not None or not st.active:
            raise NotFound("staff", butler_id)
        found = set(s.scalars(select(Person.id).where(Person.id.in_(ids))).all()) if ids else set()
        missing = [p for p in ids if p not in found]
        if missing:
            raise NotFound("person", missing[0])
        created = updated = unchanged = left_out = 0
        eid = None
        if event_id is not None:
            e = _event(s, event_id)
            eid = e.id
            existing = {
                inv.person_id: inv
                for inv in s.scalars(
                    select(Invitation).where(
                        Invitation.event_id == e.id, Invitation.person_id.in_(ids)
                    )
                )
            }
            may_call = set(
                s.scalars(select(Person.id).where(Person.id.in_(ids), marketing_ok())).all()
            )
            for pid in ids:
                if pid not in may_call:
                    unchanged += 1
                    left_out += 1
                    continue
                inv = existing.get(pid)
                if inv is None:
                    inv = Invitation(event_id=e.id, person_id=pid, staff_id=st.id, note=note)
                    stamp_origin(s, inv)
                    s.add(inv)
                    created += 1
                elif inv.staff_id == st.id and inv.deleted_at is None:
                    unchanged += 1
                elif inv.status == "to_call" or inv.deleted_at is not None:
                    inv.staff_id, inv.deleted_at, inv.status = st.id, None, "to_call"
                    inv.note = note or inv.note
                    updated += 1
                else:
                    unchanged += 1  # already called by someone: keep their outcome
        else:
            for p in s.scalars(select(Person).where(Person.id.in_(ids))):
                if p.butler_id == st.id:
                    unchanged += 1
                else:
                    p.butler_id = st.id
                    updated += 1
        s.flush()
        audit(
            s,
            "followup.assign",
            "staff",
            st.id,
            {
                "event_id": str(eid) if eid else None,
                "people": len(ids),
                "created": created,
                "updated": updated,
                "left_out_no_consent": left_out,
            },
            actor,
        )
        return AssignResult(st.id, eid, created, updated, unchanged)
