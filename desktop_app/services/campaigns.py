"""HQ campaign packs: create/update draft events by campaign code without losing local edits.

Each event remembers what HQ last sent (Event.hq_snapshot). On import, per field: HQ
unchanged → keep whatever the dealer has; HQ changed and the dealer did not → take HQ's
value; both changed (to different values) → a conflict is listed and the local value kept.
Format: docs/hq-workbook.md ("Campaign pack").
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from sqlalchemy import select

from desktop_app.domain.enums import EventFormat, EventStatus, EventType
from desktop_app.domain.errors import FileUnreadable, RuleViolation
from desktop_app.domain.roles import Permission
from desktop_app.domain.timeutil import parse_local
from desktop_app.io.tables import read_table
from desktop_app.io.values import clean, parse_int, text_or_none
from desktop_app.services.auth import require
from desktop_app.services.common import audit, stamp_origin
from desktop_app.services.row_problems import RowProblem, Said, problem, say
from desktop_app.store.db import Database
from desktop_app.store.models import DealerProfile, Event, SyncOperation

SHEET = "campaigns"
IMPORT_KIND = "campaign_import"
# Fields HQ manages, in the order reports list them.
FIELDS = (
    "title",
    "type",
    "format",
    "starts_at",
    "ends_at",
    "capacity",
    "points_award",
    "description",
    "venue",
    "online_link",
    "budget",
    "min_online_minutes",
    "registration_opens_at",
    "registration_closes_at",
)
_TIME_FIELDS = ("starts_at", "ends_at", "registration_opens_at", "registration_closes_at")
_INT_FIELDS = ("capacity", "points_award", "min_online_minutes")
_LOCKED = (EventStatus.COMPLETED.value, EventStatus.CANCELLED.value)


@dataclass(frozen=True, slots=True)
class FieldChange:
    field: str
    old: Any
    new: Any


@dataclass(frozen=True, slots=True)
class FieldConflict:
    field: str
    local: Any  # the dealer's value (kept)
    hq_before: Any  # what HQ sent last time
    hq_now: Any  # what HQ sends now (not applied)


@dataclass(frozen=True, slots=True)
class CampaignOutcome:
    row: int
    campaign_code: str
    event_id: str | None
    title: str
    outcome: str  # created | updated | unchanged | conflict | skipped
    changes: list[FieldChange] = field(default_factory=list)
    conflicts: list[FieldConflict] = field(default_factory=list)
    note: Said | None = None  # why skipped / not applied, in English and Chinese


@dataclass(frozen=True, slots=True)
class CampaignReport:
    file: str
    dry_run: bool
    applied: bool  # False for a dry run or when rows were rejected (nothing changed)
    created: int
    updated: int
    unchanged: int
    conflicts: int
    skipped: int
    duplicates: int
    rejected: list[RowProblem]  # 1-based rows, why (in English and Chinese)
    events: list[CampaignOutcome]

    def to_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "dry_run": self.dry_run,
            "applied": self.applied,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "conflicts": self.conflicts,
            "skipped": self.skipped,
            "duplicates": self.duplicates,
            "rejected": [r.to_json() for r in self.rejected],
            "events": [
                {
                    "row": e.row,
                    "campaign_code": e.campaign_code,
                    "event_id": e.event_id,
                    "title": e.title,
                    "outcome": e.outcome,
                    "changes": [{"field": c.field, "old": c.old, "new": c.new} for c in e.changes],
                    "conflicts": [
                        {
                            "field": c.field,
                            "local": c.local,
                            "hq_before": c.hq_before,
                            "hq_now": c.hq_now,
                        }
                        for c in e.conflicts
                    ],
                    "note": e.note.localized() if e.note else None,
                }
                for e in self.events
            ],
        }


class _Rollback(Exception):
    """Raised inside the write transaction to undo a dry run."""


def _snap(value: Any) -> Any:
    """A field value in the JSON form kept in hq_snapshot (and compared)."""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value.quantize(Decimal("0.01")))
    return value


def _parse_row(cells: dict[str, Any], tz: str) -> tuple[dict[str, Any], list[str], list[Said]]:
    """HQ's row → (field values, dealer codes it is for, problems)."""
    problems: list[Said] = []
    out: dict[str, Any] = {}
    for f in FIELDS:
        raw = clean(cells.get(f))
        try:
            if f in _TIME_FIELDS:
                out[f] = parse_local(raw, tz) if raw is not None else None
            elif f in _INT_FIELDS:
                out[f] = parse_int(raw)
                if out[f] is not None and out[f] < 0:
                    problems.append(say("campaign_negative", f, key=f))
            elif f == "budget":
                out[f] = (
                    None
                    if raw is None
                    else Decimal(str(raw).replace(",", "")).quantize(Decimal("0.01"))
                )
            else:
                out[f] = text_or_none(raw)
        except (ValueError, InvalidOperation, TypeError):
            problems.append(say("campaign_unreadable", f, key=f, value=repr(raw)))
    if not out.get("title"):
        problems.append(say("campaign_required", "title", key="title"))
    out["format"] = out.get("format") or EventFormat.ON_SITE.value
    for key, kinds in (("type", EventType), ("format", EventFormat)):
        allowed = [k.value for k in kinds]
        if out.get(key) not in allowed:
            problems.append(say("campaign_choice", key, key=key, choices=", ".join(allowed)))
    if out.get("starts_at") and out.get("ends_at") and out["ends_at"] <= out["starts_at"]:
        problems.append(say("campaign_ends_before"))
    if out.get("points_award") is None:
        out["points_award"] = 0
    if out.get("description") is None:
        out["description"] = ""
    dealers = [
        d.strip()
        for d in str(text_or_none(clean(cells.get("dealers"))) or "").replace("，", ",").split(",")
        if d.strip()
    ]
    return out, dealers, problems


def _joined(row: int, problems: list[Said]) -> RowProblem:
    """All of a row's problems as one RowProblem ("type: …; ends_at: …")."""
    zh = "；".join(p.localized("zh") for p in problems)
    return RowProblem(row, "; ".join(p.en for p in problems), code=problems[0].code, zh=zh)


def read_campaign_pack(path: str | Path) -> list[tuple[int, dict[str, Any]]]:
    """The `campaigns` sheet as (1-based row number, {column key: cell})."""
    try:
        table = read_table(path, sheet=SHEET, header_row=1)
    except FileUnreadable:
        raise
    keys = [h.strip().lower() for h in table.headers]
    if "campaign_code" not in keys:
        raise FileUnreadable(f"{Path(path).name}: the {SHEET!r} sheet has no campaign_code column")
    return [(row.number, {k: row.get(i) for i, k in enumerate(keys) if k}) for row in table.rows]


def import_campaigns(
    db: Database, path: str | Path, *, dry_run: bool = False, actor: object = None
) -> CampaignReport:
    """Import HQ's campaign pack: one draft event per campaign code (idempotent).

    Returns per event what happened (created / updated fields / unchanged / conflicts
    with the local value kept / skipped). A dry run reports the same and changes nothing.
    Bad rows (with 1-based row numbers) make the whole import change nothing.
    """
    require(db, actor, Permission.IMPORTS)
    rows = read_campaign_pack(path)
    outcomes: list[CampaignOutcome] = []
    rejected: list[RowProblem] = []
    duplicates = 0
    try:
        with db.write() as s:
            profile = s.get(DealerProfile, 1)
            if profile is None:
                raise RuleViolation(code="not_initialised")
            tz = profile.timezone
            seen: set[str] = set()
            for number, cells in rows:
                code = text_or_none(clean(cells.get("campaign_code")))
                if not code:
                    if any(clean(v) is not None for v in cells.values()):
                        rejected.append(
                            problem(
                                number, "campaign_required", "campaign_code", key="campaign_code"
                            )
                        )
                    continue
                if code in seen:
                    duplicates += 1
                    rejected.append(
                        problem(number, "campaign_twice", "campaign_code", code, campaign=code)
                    )
                    continue
                seen.add(code)
                values, dealers, problems = _parse_row(cells, tz)
                if problems:
                    rejected.append(_joined(number, problems))
                    continue
                if dealers and profile.code not in dealers:
                    outcomes.append(
                        CampaignOutcome(
                            number,
                            code,
                            None,
                            values["title"],
                            "skipped",
                            note=say("campaign_other_dealer"),
                        )
                    )
                    continue
                outcomes.append(_apply(s, number, code, values, actor))
            if rejected or dry_run:
                raise _Rollback
            s.add(
                SyncOperation(
                    id=uuid.uuid4(),
                    kind=IMPORT_KIND,
                    file=str(path),
                    report=_report(path, dry_run, True, outcomes, rejected, duplicates).to_json(),
                )
            )
            audit(
                s,
                "hq.campaigns_import",
                "events",
                None,
                {"file": str(path), **_counts(outcomes)},
                actor,
            )
    except _Rollback:
        return _report(path, dry_run, False, outcomes, rejected, duplicates)
    return _report(path, dry_run, True, outcomes, rejected, duplicates)


def _counts(outcomes: list[CampaignOutcome]) -> dict[str, int]:
    return {
        k: sum(1 for o in outcomes if o.outcome == k)
        for k in ("created", "updated", "unchanged", "conflict", "skipped")
    }


def _report(
    path: str | Path,
    dry_run: bool,
    applied: bool,
    outcomes: list[CampaignOutcome],
    rejected: list[RowProblem],
    duplicates: int,
) -> CampaignReport:
    c = _counts(outcomes)
    return CampaignReport(
        file=str(path),
        dry_run=dry_run,
        applied=applied and not dry_run,
        created=c["created"],
        updated=c["updated"],
        unchanged=c["unchanged"],
        conflicts=sum(len(o.conflicts) for o in outcomes),
        skipped=c["skipped"],
        duplicates=duplicates,
        rejected=rejected,
        events=outcomes,
    )


def _apply(
    s: Any, number: int, code: str, values: dict[str, Any], actor: object
) -> CampaignOutcome:
    hq = {f: _snap(values[f]) for f in FIELDS}
    ev = s.scalars(
        select(Event).where(Event.campaign_code == code).order_by(Event.created_at).limit(1)
    ).first()
    if ev is None:
        ev = Event(campaign_code=code, status=EventStatus.DRAFT.value, details={}, hq_snapshot=hq)
        for f in FIELDS:
            setattr(ev, f, values[f])
        stamp_origin(s, ev)
        s.add(ev)
        s.flush()
        audit(s, "event.create_from_campaign", "events", ev.id, {"campaign_code": code}, actor)
        return CampaignOutcome(number, code, str(ev.id), ev.title, "created")
    if ev.deleted_at is not None:
        return CampaignOutcome(
            number, code, str(ev.id), ev.title, "skipped", note=say("campaign_deleted_here")
        )
    snapshot = dict(ev.hq_snapshot or {})
    changes: list[FieldChange] = []
    conflicts: list[FieldConflict] = []
    locked = ev.status in _LOCKED
    for f in FIELDS:
        new = hq[f]
        before = snapshot.get(f)
        local = _snap(getattr(ev, f))
        if new in (before, local):
            continue  # HQ did not change it, or the dealer already has HQ's new value
        if locked or (f in snapshot and local != before) or (not snapshot and local is not None):
            conflicts.append(FieldConflict(f, local, before, new))
            continue
        changes.append(FieldChange(f, local, new))
        setattr(ev, f, values[f])
    if changes or conflicts or snapshot != hq:
        ev.hq_snapshot = hq
    if changes:
        audit(
            s,
            "event.update_from_campaign",
            "events",
            ev.id,
            {"campaign_code": code, "fields": [c.field for c in changes]},
            actor,
        )
    outcome = "conflict" if conflicts else "updated" if changes else "unchanged"
    note = say("campaign_locked", status=ev.status) if locked and conflicts else None
    return CampaignOutcome(number, code, str(ev.id), ev.title, outcome, changes, conflicts, note)
