"""Small helpers every service shares: origin stamping, audit rows, id parsing."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop_app.domain.errors import NotFound
from desktop_app.domain.ids import new_id
from desktop_app.store.models import AuditEntry, DealerProfile, Event, Travelling


def stamp_origin(s: Session, row: Travelling) -> None:
    """Mark a new row with this database's dealer code and device id."""
    profile = s.get(DealerProfile, 1)
    if profile is not None:
        row.origin_dealer = row.origin_dealer or profile.code
        row.origin_device = row.origin_device or profile.device_id


def audit(
    s: Session,
    action: str,
    entity: str,
    entity_id: object = None,
    detail: dict[str, Any] | None = None,
    actor: object = None,
) -> None:
    """Append one audit row in the same transaction as the change it describes.

    `actor` is a staff member (anything with .id and .name) or None for system/CLI.
    """
    if actor is None:  # the principal bound to the Database (see services/auth.bind)
        actor = s.info.get("principal")
    profile = s.get(DealerProfile, 1)
    s.add(
        AuditEntry(
            action=action,
            entity=entity,
            entity_id=str(entity_id) if entity_id is not None else None,
            detail=detail or {},
            staff_id=getattr(actor, "id", None),
            staff_name=getattr(actor, "name", None) or None,
            device=profile.device_id if profile else None,
        )
    )


def parse_id(value: str | uuid.UUID, what: str) -> uuid.UUID:
    """A UUID from user input; a clear NotFound (not a traceback) when it is malformed."""
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value).strip())
    except ValueError:
        raise NotFound(what, value) from None


def live_event(s: Session, event_id: str | uuid.UUID, *, lock: bool = False) -> Event:
    """The event, or NotFound("event") when there is none or it was deleted — the one
    check every verb that names an event makes before it reads or writes anything."""
    stmt = select(Event).where(Event.id == parse_id(event_id, "event"))
    if lock:
        # PostgreSQL: serialise writers of one event; SQLite ignores it (BEGIN IMMEDIATE
        # already holds the write lock for the whole transaction).
        stmt = stmt.with_for_update()
    e = s.scalars(stmt).first()
    if e is None or e.deleted_at is not None:
        raise NotFound("event", event_id)
    return e


def as_nonce(nonce: uuid.UUID | str | None) -> uuid.UUID:
    """The id a scan or a hand-out carries from where it happened (a new one when none
    was given): the same nonce sent again is stored once."""
    if nonce is None:
        return new_id()
    if isinstance(nonce, uuid.UUID):
        return nonce
    try:
        return uuid.UUID(str(nonce))
    except ValueError:
        # a nonce made elsewhere in another form: map it stably into a UUID
        return uuid.uuid5(uuid.NAMESPACE_URL, f"paddock-nonce:{nonce}")


def live_row(s: Session, model: Any, row_id: str | uuid.UUID, what: str) -> Any:
    """The row of `model` with this id, or NotFound(what) when there is none or it was
    deleted (soft deletion: `deleted_at`)."""
    row = s.get(model, parse_id(row_id, what))
    if row is None or row.deleted_at is not None:
        raise NotFound(what, row_id)
    return row


def event_rows(s: Session, model: Any, event_id: uuid.UUID) -> list[Any]:
    """An event's live rows of `model` (questions, gift items) in their `position` order."""
    return list(
        s.scalars(
            select(model)
            .where(model.event_id == event_id, model.deleted_at.is_(None))
            .order_by(model.position, model.created_at)
        )
    )


def next_position(s: Session, model: Any, event_id: uuid.UUID) -> int:
    """The `position` a new row of `model` takes at the end of the event's list."""
    last = s.scalar(
        select(func.max(model.position)).where(
            model.event_id == event_id, model.deleted_at.is_(None)
        )
    )
    return 0 if last is None else int(last) + 1


def require_events(s: Session, event_ids: Iterable[uuid.UUID]) -> None:
    """NotFound("event") for the first of `event_ids` that `live_event` would refuse."""
    wanted = list(event_ids)
    live = set(s.scalars(select(Event.id).where(Event.id.in_(wanted), Event.deleted_at.is_(None))))
    for eid in wanted:
        if eid not in live:
            raise NotFound("event", eid)
