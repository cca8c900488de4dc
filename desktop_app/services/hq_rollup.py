"""`paddock hq rollup`: the KPI roll-up of HQ's warehouse, computed in PostgreSQL.

The per-event figures come from the view hq.kpi_events (domain/kpi.py's definitions in
SQL, docs/hq-warehouse.md); the per dealer / campaign / region / month lines are added up
by the same statement (GROUPING SETS), so the warehouse is read once. Rates are rounded by
domain/kpi.py's own functions from the SQL counts, so `--json` gives exactly the `kpis`
object `paddock hq merge --json` gives for the same rows. Detail sheets (the warehouse's
rows, limited to the chosen events when filtered) are written only where they fit in an
Excel sheet; a sheet that does not fit is named, with its row count, in the file and the
report. Everything is read in one REPEATABLE READ snapshot, so a load running meanwhile
never half-shows.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from desktop_app import __version__
from desktop_app.domain import kpi
from desktop_app.domain.errors import Cancelled, ValidationError
from desktop_app.io import hq_workbook as hw
from desktop_app.services import hq_merge
from desktop_app.store import warehouse as wh

IsCancelled = Callable[[], bool]
WORK_MEM = "256MB"  # for the roll-up's own transaction only

# Per-event counts hq.kpi_events gives, which the groups add up over held events.
_SUMS = (*hq_merge.GROUP_SUMS, "attended_registered", "ratings_sum", "ratings_n")
_EVENT_COUNTS = ("registered", "attended", "attended_registered", "no_shows", "walk_ins",
                 "new_prospects", "referrals", "new_members", "points_awarded", "feedback_count",
                 "ratings_sum", "ratings_n", "nps_n", "nps_promoters", "nps_detractors")  # fmt: skip
_EVENT_COLUMNS = (
    ("dealer_code", "text"),
    ("event_id", "uuid"),
    ("campaign_code", "text"),
    ("title", "text"),
    ("type", "text"),
    ("status", "text"),
    ("starts_at", "timestamptz"),
    ("held", "boolean"),
    ("region", "text"),
    ("month", "text"),
)
_LEVELS = {name: (key, by) for name, key, by in hq_merge.GROUPS}


def _filter_sql() -> str:
    return (
        "(%(campaign)s::text IS NULL OR k.campaign_code = %(campaign)s) "
        "AND (%(date_from)s::date IS NULL OR k.local_date >= %(date_from)s) "
        "AND (%(date_to)s::date IS NULL OR k.local_date <= %(date_to)s)"
    )


def kpi_sql() -> str:
    """One statement: every chosen event's line, then the group lines (level = dealers,
    campaigns, regions or months) over the same events."""
    ev_cols = ", ".join(f"k.{c}" for c, _t in _EVENT_COLUMNS)
    counts = ", ".join(f"k.{c}" for c in _EVENT_COUNTS)
    null_cols = ", ".join(f"NULL::{t}" for _c, t in _EVENT_COLUMNS)
    sums = ", ".join(
        f"coalesce(sum(k.{c}) FILTER (WHERE k.held), 0)::bigint" for c in _EVENT_COUNTS
    )
    level = (
        "CASE WHEN grouping(k.dealer_code) = 0 THEN 'dealers' "
        "WHEN grouping(k.campaign_code) = 0 THEN 'campaigns' "
        "WHEN grouping(k.region) = 0 THEN 'regions' ELSE 'months' END"
    )
    key = (
        "CASE WHEN grouping(k.dealer_code) = 0 THEN k.dealer_code "
        "WHEN grouping(k.campaign_code) = 0 THEN k.campaign_code "
        "WHEN grouping(k.region) = 0 THEN k.region ELSE k.month END"
    )
    return f"""
WITH k AS MATERIALIZED (SELECT * FROM {wh.SCHEMA}.kpi_events k WHERE {_filter_sql()})
SELECT * FROM (
SELECT 'events' AS level, NULL::text AS key, {ev_cols},
       1::bigint, 1::bigint, k.held::int::bigint, {counts}
FROM k
UNION ALL
SELECT {level}, {key}, {null_cols},
       count(DISTINCT k.dealer_code), count(*), count(*) FILTER (WHERE k.held), {sums}
FROM k
GROUP BY GROUPING SETS ((k.dealer_code), (k.campaign_code), (k.region), (k.month))
) u ORDER BY u.level, u.key COLLATE "C", u.dealer_code COLLATE "C", u.event_id
"""


def _event_line(e: dict[str, Any]) -> dict[str, Any]:
    kpis = {
        "registered": e["registered"],
        "attended": e["attended"],
        "attendance_rate": kpi.attendance_rate(e["attended_registered"], e["registered"]),
        "no_shows": e["no_shows"],
        "walk_ins": e["walk_ins"],
        "new_prospects": e["new_prospects"],
        "referrals": e["referrals"],
        "new_members": e["new_members"],
        "points_awarded": e["points_awarded"],
        "avg_rating": kpi.average_rating(e["ratings_sum"], e["ratings_n"]),
        "nps": kpi.nps_from_counts(e["nps_promoters"], e["nps_detractors"], e["nps_n"]),
        "feedback_count": e["feedback_count"],
    }
    e = {**e, "id": str(e["event_id"])}
    return hq_merge.event_row(
        e,
        held=e["held"],
        kpis={k: kpis[k] for k in hq_merge.EVENT_KPI_KEYS},
        ratings_sum=e["ratings_sum"],
        ratings_n=e["ratings_n"],
        region=e["region"],
        month=e["month"],
    )


def warehouse_kpis(
    conn: Any, campaign: str | None, date_from: date | None, date_to: date | None
) -> tuple[list[dict[str, Any]], dict[str, list[dict[str, Any]]]]:
    """(per-event lines, group lines by kpis key) for the chosen events, in the caller's
    transaction."""
    params = {"campaign": campaign, "date_from": date_from, "date_to": date_to}
    names = [
        "level",
        "key",
        *(c for c, _t in _EVENT_COLUMNS),
        "dealers",
        "events",
        "events_held",
        *_EVENT_COUNTS,
    ]
    per_event: list[dict[str, Any]] = []
    groups: dict[str, list[dict[str, Any]]] = {name: [] for name in _LEVELS}
    for values in conn.execute(kpi_sql(), params):
        r = dict(zip(names, values, strict=True))
        level = r["level"]
        if level == "events":
            per_event.append(_event_line(r))
        elif r["key"] is not None:  # no campaign code, or no start (no month)
            key, _by = _LEVELS[level]
            groups[level].append(hq_merge.group_row(key, r["key"], r))
    dealers = {
        code: (name, region)
        for code, name, region in conn.execute(
            f"SELECT dealer_code, dealer_name, region FROM {wh.SCHEMA}.dealers"
        )
    }
    for d in groups["dealers"]:
        name, region = dealers.get(d["dealer_code"], (None, None))
        d["dealer_name"] = name
        d["region"] = region or ""
    return per_event, groups


# --------------------------------------------------------------------------- details


def _detail_where(sheet: hw.Sheet, filtered: bool) -> str:
    """Which rows of a sheet belong to the chosen events (all rows when unfiltered): by its
    event, registration, person or club — a new sheet with such a column needs nothing."""
    if not filtered:
        return "TRUE"
    keys = set(sheet.keys)
    if sheet.name == "events":
        return "t.id IN (SELECT id FROM chosen_events)"
    if "event_id" in keys:
        return "t.event_id IN (SELECT id FROM chosen_events)"
    if "registration_id" in keys:
        return "t.registration_id IN (SELECT id FROM chosen_registrations)"
    if sheet.name == "people":
        return "t.id IN (SELECT person_id FROM chosen_registrations)"
    if "person_id" in keys:
        return "t.person_id IN (SELECT person_id FROM chosen_registrations)"
    if "club_id" in keys or sheet.name == "clubs":
        col = "id" if sheet.name == "clubs" else "club_id"
        return (
            f"t.{col} IN (SELECT club_id FROM {wh.table('club_memberships')} WHERE person_id "
            "IN (SELECT person_id FROM chosen_registrations))"
        )
    return "TRUE"


def _detail_sql(sheet: hw.Sheet, filtered: bool, select: str) -> str:
    chosen = (
        f"WITH chosen_events AS (SELECT e.id FROM {wh.table('events')} e "
        f"LEFT JOIN {wh.SCHEMA}.time_zones z ON z.name = e.timezone "
        "CROSS JOIN LATERAL (SELECT e.campaign_code, "
        "(e.starts_at AT TIME ZONE coalesce(z.name, 'UTC'))::date AS local_date) k "
        f"WHERE {_filter_sql()}), "
        f"chosen_registrations AS (SELECT r.id, r.person_id FROM {wh.table('registrations')} r "
        "WHERE r.event_id IN (SELECT id FROM chosen_events)) "
        if filtered
        else ""
    )
    return f"{chosen}SELECT {select} FROM {wh.table(sheet.name)} t WHERE {_detail_where(sheet, filtered)}"


@dataclass(frozen=True, slots=True)
class SkippedSheet:
    sheet: str
    rows: int

    @property
    def reason(self) -> str:
        return (
            f"{self.rows:,} rows: more than an Excel sheet holds ({hw.MAX_SHEET_ROWS:,}); "
            f"query {wh.SCHEMA}.{self.sheet} in the warehouse instead"
        )

    def to_json(self) -> dict[str, Any]:
        return {"sheet": self.sheet, "rows": self.rows, "reason": self.reason}


@dataclass(frozen=True, slots=True)
class RollupReport:
    source: str  # the warehouse URL without its password
    out: str | None
    filters: dict[str, Any]
    rows: dict[str, int]  # detail rows per sheet (of the chosen events when filtered)
    skipped: list[SkippedSheet] = field(default_factory=list)  # detail sheets too long
    kpis: dict[str, Any] = field(default_factory=dict)
    seconds: float = 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "out": self.out,
            "filters": self.filters,
            "rows": self.rows,
            "skipped_sheets": [s.to_json() for s in self.skipped],
            "kpis": self.kpis,
            "seconds": self.seconds,
        }


def rollup_hq(
    url: str,
    out_path: str | Path | None = None,
    *,
    campaign: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    details: bool = True,
    is_cancelled: IsCancelled | None = None,
) -> RollupReport:
    """The KPIs of the warehouse at `url` — all events, or one campaign's, or those starting
    (local day) between date_from and date_to inclusive — and, with `out_path`, a roll-up
    workbook: _meta, the kpi_* sheets and (details=True) the detail sheets that fit."""
    if date_from and date_to and date_from > date_to:
        raise ValidationError("date_to", "date_range_reversed")
    t0 = time.perf_counter()
    filters = {
        "campaign": campaign,
        "from": date_from.isoformat() if date_from else None,
        "to": date_to.isoformat() if date_to else None,
    }
    filtered = any(v is not None for v in filters.values())
    params = {"campaign": campaign, "date_from": date_from, "date_to": date_to}
    with wh.connect_warehouse(url, upgrade=False, app="paddock hq rollup") as conn:
        conn.execute("SET TIME ZONE 'UTC'")
        with conn.transaction():
            conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            # The KPI passes hash a few hundred thousand rows: in memory, not in temp files.
            conn.execute(f"SET LOCAL work_mem = '{WORK_MEM}'")
            per_event, groups = warehouse_kpis(conn, campaign, date_from, date_to)
            kpis = hq_merge.kpis_json(per_event, groups)
            rows: dict[str, int] = {}
            skipped: list[SkippedSheet] = []
            if details or out_path is None:
                for sheet in hw.SHEETS:
                    sql = _detail_sql(sheet, filtered, "count(*)")
                    rows[sheet.name] = conn.execute(sql, params).fetchone()[0]
                    if rows[sheet.name] > hw.MAX_SHEET_ROWS:
                        skipped.append(SkippedSheet(sheet.name, rows[sheet.name]))
            out = None
            if out_path is not None:
                _write(conn, Path(out_path), params, filters, filtered, per_event, groups,
                       rows if details else {}, skipped, is_cancelled)  # fmt: skip
                out = str(out_path)
    return RollupReport(
        wh.safe_url(url), out, filters, rows, skipped, kpis, round(time.perf_counter() - t0, 3)
    )


def _write(
    conn: Any,
    target: Path,
    params: dict[str, Any],
    filters: dict[str, Any],
    filtered: bool,
    per_event: list[dict[str, Any]],
    groups: dict[str, list[dict[str, Any]]],
    rows: dict[str, int],
    skipped: list[SkippedSheet],
    is_cancelled: IsCancelled | None,
) -> None:
    too_long = {s.sheet: s for s in skipped}
    (n_dealers,) = conn.execute(f"SELECT count(*) FROM {wh.SCHEMA}.dealers").fetchone()
    (n_files,) = conn.execute(f"SELECT count(*) FROM {wh.SCHEMA}.loaded_files").fetchone()
    with hq_merge.rollup_workbook(target) as w:
        meta: list[tuple[str, Any]] = [
            ("kind", "hq_rollup"),
            ("source", "warehouse"),
            ("schema_version", hw.SCHEMA_VERSION),
            ("warehouse_schema", wh.head_revision()),
            ("app_version", __version__),
            ("generated_at", datetime.now(UTC)),
            ("dealers", n_dealers),
            ("files_loaded", n_files),
            *((f"filter.{k}", v) for k, v in filters.items() if v is not None),
            ("events", len(per_event)),
        ]
        for name, n in rows.items():
            meta.append((hw.rows_meta_key(name), n))
            if name in too_long:
                meta.append((f"not_written.{name}", too_long[name].reason))
        hq_merge._write_meta(w, meta)
        hq_merge.write_kpi_sheets(w, per_event, groups)
        for sheet in hw.SHEETS:
            if sheet.name not in rows or sheet.name in too_long:
                continue
            cols = [(c.key, c.type) for c in sheet.columns]
            select = ", ".join(f"t.{wh.q(c.key)}" for c in sheet.columns)
            sql = _detail_sql(sheet, filtered, select) + ' ORDER BY t.dealer_code COLLATE "C", t.id'
            w.sheet(sheet.name, cols, _stream(conn, sql, params), [c.width for c in sheet.columns])
            if is_cancelled is not None and is_cancelled():
                raise Cancelled("roll-up cancelled; no file written")


def _stream(conn: Any, sql: str, params: dict[str, Any]) -> Iterator[tuple[Any, ...]]:
    """Rows through a server-side cursor: memory stays flat however long the sheet."""
    with conn.cursor(name="paddock_rollup_detail") as cur:
        cur.itersize = 5000
        cur.execute(sql, params)
        yield from cur
