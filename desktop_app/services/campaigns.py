"""HQ campaign packs: create/update draft events by campaign code without losing local edits.

Each event remembers what HQ last sent (Event.hq_snapshot). On import, per field: HQ
unchanged → keep whatever the dealer has; HQ changed and the dealer did not → take HQ's
value; both changed (to different values) → a conflict is listed and the local value kept.
Format: docs/hq-workbook.md ("Campaign pack").

Only a row without a campaign code is rejected (nothing identifies the campaign). A value
HQ wrote that cannot be read is left out with a warning (row, field, value, why); an
unknown type or format is imported as `other` / `on_site`, an empty title as the campaign
code, an end before the start as no end — the event is still created, so a dealer sees
HQ's campaign and can fix it. A code repeated further down is a duplicate of its first
row (not applied). Every row lands in one bucket: created, updated, unchanged,
conflicted (HQ's change kept back: the dealer had changed the same field), skipped (for
another dealer, or deleted here), duplicates or rejected.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from sqlalchemy import select

from desktop_app.domain.enums import EventFormat, EventStatus, EventType
from desktop_app.domain.errors import FileUnreadable, RuleViolation
from desktop_app.domain.ids import new_id
from desktop_app.domain.roles import Permission
from desktop_app.domain.timeutil import parse_local
from desktop_app.io.tables import read_table
from desktop_app.io.values import clean, parse_int, text_or_none
from desktop_app.services.auth import require
from desktop_app.services.common import audit, stamp_origin
from desktop_app.services.import_report import Counted, RowCounts, Tally
from desktop_app.services.row_problems import RowProblem, Said, problem, say, shown
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


EXTRA_BUCKETS = ("conflicted", "skipped")


@dataclass(frozen=True, slots=True)
class CampaignReport(Counted):
    """DESIGN.md's import report (services/import_report), each row in one bucket, plus
    per event what happened (`events`) and the number of field conflicts (`conflicts`)."""

    file: str
    dry_run: bool
    applied: bool  # False for a dry run (nothing changed)
    counts: RowCounts
    events: list[CampaignOutcome]

    @property
    def conflicts(self) -> int:
        """Fields where HQ's change was kept back (the dealer had changed them too)."""
        return sum(len(o.conflicts) for o in self.events)

    @property
    def skipped(self) -> int:
        return self.counts["skipped"]

    def to_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "dry_run": self.dry_run,
            "applied": self.applied,
            **self.counts.to_json(),
            "conflicts": self.conflicts,
            "skipped": self.skipped,
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

    def __init__(self, report: CampaignReport) -> None:
        super().__init__("dry run")
        self.report = report


def _snap(value: Any) -> Any:
    """A field value in the JSON form kept in hq_snapshot (and compared)."""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value.quantize(Decimal("0.01")))
    return value


def _parse_row(
    number: int, cells: dict[str, Any], tz: str
) -> tuple[dict[str, Any], list[str], list[RowProblem]]:
    """HQ's row → (field values, dealer codes it is for, warnings: values left out)."""
    warnings: list[RowProblem] = []
    out: dict[str, Any] = {}
    for f in FIELDS:
        raw = clean(cells.get(f))
        try:
            if f in _TIME_FIELDS:
                out[f] = parse_local(raw, tz) if raw is not None else None
            elif f in _INT_FIELDS:
                out[f] = parse_int(raw)
                if out[f] is not None and out[f] < 0:
                    warnings.append(problem(number, "campaign_negative_dropped", f,
                                            shown(raw), key=f))  # fmt: skip
                    out[f] = None
            elif f == "budget":
                out[f] = (
                    None
                    if raw is None
                    else Decimal(str(raw).replace(",", "")).quantize(Decimal("0.01"))
                )
            else:
                out[f] = text_or_none(raw)
        except (ValueError, InvalidOperation, TypeError):
            warnings.append(problem(number, "campaign_value_dropped", f, shown(raw), key=f,
                                    cell=repr(shown(raw))))  # fmt: skip
            out[f] = None
    code = text_or_none(clean(cells.get("campaign_code"))) or ""
    if not out.get("title"):
        warnings.append(problem(number, "campaign_title_from_code", "title", None,
                                campaign=code))  # fmt: skip
        out["title"] = code[:200]
    out["format"] = out.get("format") or EventFormat.ON_SITE.value
    for key, kinds, default in (
        ("type", EventType, EventType.OTHER.value),
        ("format", EventFormat, EventFormat.ON_SITE.value),
    ):
        allowed = [k.value for k in kinds]
        if out.get(key) not in allowed:
            warnings.append(problem(number, "campaign_choice_default", key, out.get(key),
                                    key=key, cell=repr(out.get(key)),
                                    choices=", ".join(allowed), default=default))  # fmt: skip
            out[key] = default
    if out.get("starts_at") and out.get("ends_at") and out["ends_at"] <= out["starts_at"]:
        ends = shown(clean(cells.get("ends_at")))
        warnings.append(problem(number, "campaign_ends_dropped", "ends_at", ends,
                                cell=ends))  # fmt: skip
        out["ends_at"] = None
    if out.get("points_award") is None:
        out["points_award"] = 0
    if out.get("description") is None:
        out["description"] = ""
    dealers = [
        d.strip()
        for d in str(text_or_none(clean(cells.get("dealers"))) or "").replace("，", ",").split(",")
        if d.strip()
    ]
    return out, dealers, warnings


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
    with the local value kept / skipped), each row in one bucket, and the values left
    out with a warning. A dry run reports the same and changes nothing.
    """
    require(db, actor, Permission.IMPORTS)
    rows = read_campaign_pack(path)
    outcomes: list[CampaignOutcome] = []
    tally = Tally(*EXTRA_BUCKETS)
    try:
        with db.write() as s:
            profile = s.get(DealerProfile, 1)
            if profile is None:
                raise RuleViolation(code="not_initialised")
            tz = profile.timezone
            first: dict[str, int] = {}
            for number, cells in rows:
                code = text_or_none(clean(cells.get("campaign_code")))
                if not code:
                    tally.reject(
                        problem(number, "campaign_required", "campaign_code", key="campaign_code")
                    )
                    continue
                if code in first:
                    tally.put(number, "duplicates", first[code])
                    tally.warn(problem(number, "campaign_repeats", "campaign_code", code,
                                       campaign=code, first=first[code]))  # fmt: skip
                    continue
                first[code] = number
                values, dealers, warnings = _parse_row(number, cells, tz)
                tally.warn(*warnings)
                if dealers and profile.code not in dealers:
                    outcome = CampaignOutcome(
                        number,
                        code,
                        None,
                        values["title"],
                        "skipped",
                        note=say("campaign_other_dealer"),
                    )
                else:
                    outcome = _apply(s, number, code, values, actor)
                outcomes.append(outcome)
                tally.put(number, _BUCKET_OF[outcome.outcome])
            report = _report(path, dry_run, outcomes, tally.counts(len(rows)))
            if dry_run:
                raise _Rollback(report)
            s.add(
                SyncOperation(
                    id=new_id(), kind=IMPORT_KIND, file=str(path), report=report.to_json()
                )
            )
            audit(
                s,
                "hq.campaigns_import",
                "events",
                None,
                {"file": str(path), "rows": report.rows, **report.counts.buckets},
                actor,
            )
    except _Rollback as done:
        return done.report
    return report


_BUCKET_OF = {
    "created": "created",
    "updated": "updated",
    "unchanged": "unchanged",
    "conflict": "conflicted",
    "skipped": "skipped",
}


def _report(
    path: str | Path, dry_run: bool, outcomes: list[CampaignOutcome], counts: RowCounts
) -> CampaignReport:
    return CampaignReport(
        file=str(path), dry_run=dry_run, applied=not dry_run, counts=counts, events=outcomes
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
