"""The audit log for admins: who did what and when, filtered, and exported to xlsx/csv."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

from sqlalchemy import select

from desktop_app.domain.roles import Permission
from desktop_app.services.auth import require
from desktop_app.services.common import audit
from desktop_app.store.db import Database
from desktop_app.store.models import AuditEntry

EXPORT_HEADERS = ("at_utc", "staff", "action", "entity", "entity_id", "device", "detail")


@dataclass(frozen=True, slots=True)
class AuditRow:
    id: uuid.UUID
    at: datetime
    staff_id: uuid.UUID | None
    staff_name: str | None
    action: str
    entity: str
    entity_id: str | None
    detail: dict[str, Any]
    device: str | None

    def to_json(self) -> dict[str, object]:
        return {
            "id": str(self.id),
            "at": self.at.isoformat(),
            "staff_id": str(self.staff_id) if self.staff_id else None,
            "staff_name": self.staff_name,
            "action": self.action,
            "entity": self.entity,
            "entity_id": self.entity_id,
            "detail": self.detail,
            "device": self.device,
        }

    def detail_text(self) -> str:
        return ", ".join(f"{k}={v}" for k, v in sorted(self.detail.items()))


def _as_utc(value: date | datetime | None) -> datetime | None:
    if value is None:
        return None
    if not isinstance(value, datetime):
        value = datetime.combine(value, time.min)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _rows(
    db: Database,
    since: date | datetime | None,
    until: date | datetime | None,
    action: str | None,
    staff: str | None,
    search: str | None,
    limit: int | None,
) -> list[AuditRow]:
    stmt = select(AuditEntry)
    if (start := _as_utc(since)) is not None:
        stmt = stmt.where(AuditEntry.at >= start)
    if (end := _as_utc(until)) is not None:
        stmt = stmt.where(AuditEntry.at < end)
    if action:
        # "people" matches people.create, people.update…; "people.create" only itself
        a = action.strip()
        stmt = stmt.where((AuditEntry.action == a) | AuditEntry.action.startswith(a + "."))
    if staff:
        stmt = stmt.where(AuditEntry.staff_name.contains(staff.strip()))
    if search:
        q = search.strip()
        stmt = stmt.where(
            AuditEntry.action.contains(q)
            | AuditEntry.entity.contains(q)
            | AuditEntry.entity_id.contains(q)
            | AuditEntry.staff_name.contains(q)
        )
    stmt = stmt.order_by(AuditEntry.at.desc(), AuditEntry.id)
    if limit:
        stmt = stmt.limit(limit)
    with db.read() as s:
        return [
            AuditRow(
                e.id,
                e.at,
                e.staff_id,
                e.staff_name,
                e.action,
                e.entity,
                e.entity_id,
                dict(e.detail or {}),
                e.device,
            )
            for e in s.scalars(stmt)
        ]


def list_audit(
    db: Database,
    since: date | datetime | None = None,
    until: date | datetime | None = None,
    action: str | None = None,
    staff: str | None = None,
    search: str | None = None,
    limit: int | None = 500,
    actor: object = None,
) -> list[AuditRow]:
    """Newest first. `action` is an exact action or a prefix ("people", "export")."""
    require(db, actor, Permission.AUDIT)
    return _rows(db, since, until, action, staff, search, limit)


def export_audit(
    db: Database,
    out: str | Path,
    since: date | datetime | None = None,
    until: date | datetime | None = None,
    action: str | None = None,
    staff: str | None = None,
    actor: object = None,
) -> tuple[Path, int]:
    """Write the (filtered) log to .xlsx or .csv; the export itself is audited."""
    require(db, actor, Permission.AUDIT)
    rows = _rows(db, since, until, action, staff, None, None)
    table = [
        [
            r.at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S"),
            r.staff_name or "",
            r.action,
            r.entity,
            r.entity_id or "",
            r.device or "",
            r.detail_text(),
        ]
        for r in rows
    ]
    from desktop_app.io.report_export import write_rows  # openpyxl: imported when exporting

    path = write_rows(out, EXPORT_HEADERS, table, title="Audit")
    with db.write() as s:
        audit(s, "export.audit", "audit", None, {"file": path.name, "rows": len(rows)}, actor)
    return path, len(rows)


def known_actions(db: Database, actor: object = None) -> list[str]:
    """Distinct actions in the log, for the filter box."""
    require(db, actor, Permission.AUDIT)
    with db.read() as s:
        return sorted(set(s.scalars(select(AuditEntry.action).distinct())))
