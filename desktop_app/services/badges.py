"""Name badges for an event's guests, printed ahead of the day (the desk prints one per
accepted check-in itself): name, club and car, one label per page (io/pdf/badges.py)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import select

from desktop_app.domain.enums import RegistrationStatus
from desktop_app.domain.errors import NotFound, RuleViolation
from desktop_app.domain.roles import Permission
from desktop_app.io.pdf.badges import DEFAULT_SIZE, BadgeFace, label_size, write_badges
from desktop_app.services.auth import require
from desktop_app.services.common import audit, parse_id
from desktop_app.services.tickets import display_plate
from desktop_app.store.db import Database
from desktop_app.store.models import Club, ClubMembership, Event, Person, Registration

CONFIRMED = (RegistrationStatus.REGISTERED.value, RegistrationStatus.ATTENDED.value)


def event_badges(db: Database, event_id: str | uuid.UUID) -> list[BadgeFace]:
    """A badge for every registered (or attended) guest, by name."""
    with db.read() as s:
        e = s.get(Event, parse_id(event_id, "event"))
        if e is None or e.deleted_at is not None:
            raise NotFound("event", event_id)
        rows = s.execute(
            select(Person.id, Person.name, Registration.plate)
            .join(Person, Person.id == Registration.person_id)
            .where(
                Registration.event_id == e.id,
                Registration.deleted_at.is_(None),
                Registration.status.in_(CONFIRMED),
            )
            .order_by(Person.name)
        ).all()
        clubs: dict[uuid.UUID, str] = {}
        members = s.execute(
            select(ClubMembership.person_id, Club.name)
            .join(Club, Club.id == ClubMembership.club_id)
            .join(Registration, Registration.person_id == ClubMembership.person_id)
            .where(
                Registration.event_id == e.id,
                ClubMembership.deleted_at.is_(None),
                Club.deleted_at.is_(None),
            )
            .order_by(ClubMembership.role.desc(), Club.name)
        )
        for pid, club in members:
            clubs.setdefault(pid, club)
        title = e.title
    return [
        BadgeFace(
            name=name,
            lines=tuple(x for x in (clubs.get(pid), display_plate(plate) if plate else None) if x),
            event_title=title,
        )
        for pid, name, plate in rows
    ]


def export_event_badges(
    db: Database,
    event_id: str | uuid.UUID,
    out: str | Path,
    size: str = DEFAULT_SIZE,
    progress: Callable[[int, int], None] | None = None,
    is_cancelled: Callable[[], bool] | None = None,
    actor: object = None,
) -> tuple[Path, int]:
    """Every guest's badge into one PDF at the label size; returns (file, badges)."""
    require(db, actor, Permission.REGISTER)
    label_size(size)  # a bad size is refused before any work
    faces = event_badges(db, event_id)
    if not faces:
        raise RuleViolation(code="nothing_to_print")
    path = Path(out)
    if path.suffix.lower() != ".pdf":
        path = path / f"badges-{str(event_id)[:8]}-{size}.pdf"
    n = write_badges(
        faces, path, size, title=faces[0].event_title, progress=progress, is_cancelled=is_cancelled
    )
    with db.write() as s:  # badges carry names and plates: who printed them is logged
        audit(s, "export.badges", "event", event_id, {"file": path.name, "badges": n}, actor)
    return path, n
