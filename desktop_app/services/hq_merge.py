"""HQ roll-up: validate dealers' workbooks, dedupe rows by UUID, write merged sheets and KPIs.

Runs without Qt and without a database (`paddock hq merge`). KPIs come from
domain/kpi.event_kpis over the merged rows, the same function the dealer's reports use.
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
import sqlite3
import tempfile
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo
from decimal import Decimal
from itertools import groupby
from operator import itemgetter
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from desktop_app import __version__
from desktop_app.domain import kpi
from desktop_app.domain.errors import Cancelled, RuleViolation, ValidationError
from desktop_app.io import hq_workbook as hw
from desktop_app.services.hq_export import XLSX_OPTIONS, discard_workbook

Progress = Callable[[int, int], None]
IsCancelled = Callable[[], bool]

_EXCEL_EPOCH = datetime(1899, 12, 30)
_EPOCH_1970 = datetime(1970, 1, 1, tzinfo=UTC)

KPI_COLUMNS: tuple[tuple[str, str], ...] = (
    ("events_held", "int"),
    ("registered", "int"),
    ("attended", "int"),
    ("attendance_rate", "number"),
    ("walk_ins", "int"),
    ("new_prospects", "int"),
    ("referrals", "int"),
    ("new_members", "int"),
    ("avg_rating", "number"),
    ("feedback_count", "int"),
    ("points_awarded", "int"),
)
EVENT_KPI_KEYS = (
    "registered",
    "attended",
    "attendance_rate",
    "no_shows",
    "walk_ins",
    "new_prospects",
    "referrals",
    "new_members",
    "points_awarded",
    "avg_rating",
    "nps",
    "feedback_count",
)


@dataclass(frozen=True, slots=True)
class FileResult:
    file: str
    dealer_code: str | None
    status: str  # merged | rejected | duplicate_file
    error: str | None = None
    rows: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "dealer_code": self.dealer_code,
            "status": self.status,
            "error": self.error,
            "rows": self.rows,
        }


@dataclass(frozen=True, slots=True)
class MergeReport:
    out: str | None
    files: list[FileResult]
    rows: dict[str, int]  # merged (unique) rows per sheet
    duplicates: int  # rows replaced by a newer copy of the same UUID
    kpis: dict[str, Any] = field(default_factory=dict)  # {"dealers": [...], "campaigns": [...]}
    seconds: float = 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "out": self.out,
            "files": [f.to_json() for f in self.files],
            "rows": self.rows,
            "duplicates": self.duplicates,
            "kpis": self.kpis,
            "seconds": self.seconds,
        }


# --------------------------------------------------------------------------- merging


def _us(v: datetime | date | None) -> int | None:
    """A UTC datetime (or a date, at midnight UTC) as whole microseconds since 1970: how the
    scratch file keeps the times the KPI queries compare."""
    if v is None:
        return None
    if not isinstance(v, datetime):
        v = datetime(v.year, v.month, v.day, tzinfo=UTC)
    d = v - _EPOCH_1970
    return (d.days * 86_400 + d.seconds) * 1_000_000 + d.microseconds


def _from_us(us: int | None) -> datetime | None:
    return None if us is None else _EPOCH_1970 + timedelta(microseconds=us)


# Columns the KPI step queries, kept beside each pickled row (name → value from the row).
def _facts(sheet: hw.Sheet) -> dict[str, Callable[[tuple[Any, ...]], Any]]:
    i = {k: n for n, k in enumerate(sheet.keys)}

    def col(key: str) -> Callable[[tuple[Any, ...]], Any]:
        n = i[key]
        t = sheet.columns[n].type
        if t in (hw.DATETIME, hw.DATE):
            return lambda v: _us(v[n])
        return lambda v: v[n]

    keys = {
        "events": ("deleted", "starts_at", "min_online_minutes"),
        "people": ("deleted",),
        "registrations": ("deleted", "event_id", "person_id", "status", "checked_in_at",
                          "online_minutes"),
        "feedback": ("deleted", "event_id"),
        "points_ledger": ("deleted", "registration_id", "delta"),
        "club_memberships": ("deleted", "person_id"),
    }.get(sheet.name, ())  # fmt: skip
    facts = {k: col(k) for k in keys}
    if sheet.name == "club_memberships":  # a member since joining (else since the row exists)
        joined, created = i["joined_on"], i["created_at"]
        facts["since"] = lambda v: _us(v[joined]) if v[joined] is not None else _us(v[created])
    return facts


_INDEXES = (
    ("registrations", "event_id"),
    ("feedback", "event_id"),
    ("points_ledger", "registration_id"),
    ("club_memberships", "person_id"),
)


class _Merged:
    """Winning row per UUID per sheet, kept in a scratch SQLite file, not in memory.

    One table per sheet: id, dealer_code, the row tuple pickled and the few columns the KPI
    step queries (`_facts`). A repeated id replaces the stored row when _newer says so
    (SQLite calls it only for repeated ids). The file is deleted by close(), whatever
    happened.
    """

    def __init__(self, folder: Path | None) -> None:
        fd, name = tempfile.mkstemp(prefix=".paddock-merge-", suffix=".sqlite", dir=folder)
        os.close(fd)
        self.path = Path(name)
        self.added = 0  # rows read from merged files, repeated ids included
        self.meta: dict[str, dict[str, Any]] = {}  # dealer_code → newest _meta
        self.facts = {sheet.name: _facts(sheet) for sheet in hw.SHEETS}
        try:
            self.db = sqlite3.connect(name)
            self.db.execute("PRAGMA journal_mode = OFF")  # scratch: nothing to recover
            self.db.execute("PRAGMA synchronous = OFF")
            self.db.create_function("newer", 3, _newer_pickled, deterministic=True)
            self._upsert: dict[str, str] = {}
            for sheet in hw.SHEETS:
                facts = list(self.facts[sheet.name])
                self.db.execute(
                    f'CREATE TABLE "{sheet.name}" (id TEXT PRIMARY KEY, dealer_code TEXT NOT NULL, '
                    f"row BLOB NOT NULL{''.join(f', {f}' for f in facts)})"
                )
                sets = "".join(f", {f} = excluded.{f}" for f in facts)
                self._upsert[sheet.name] = (
                    f'INSERT INTO "{sheet.name}" VALUES (?, ?, ?{", ?" * len(facts)}) '
                    "ON CONFLICT (id) DO UPDATE "
                    f"SET dealer_code = excluded.dealer_code, row = excluded.row{sets} "
                    f"WHERE newer(excluded.row, \"{sheet.name}\".row, '{sheet.name}')"
                )
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        if hasattr(self, "db"):
            self.db.close()
        self.path.unlink(missing_ok=True)

    def __enter__(self) -> _Merged:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def add(self, wb: hw.WorkbookReader) -> int:
        """Every row of one open workbook, validated as it streams, in one transaction: a
        ContractError rolls the whole file back."""
        n = 0
        with self.db:  # one transaction per file
            for sheet in hw.SHEETS:
                read = [0]
                values = _scratch_rows(wb.rows(sheet), tuple(self.facts[sheet.name].values()), read)
                self.db.executemany(self._upsert[sheet.name], values)
                n += read[0]
        self.added += n
        dealer = wb.dealer_code
        prev = self.meta.get(dealer)
        if prev is None or _meta_key(wb.meta) > _meta_key(prev):
            self.meta[dealer] = wb.meta
        return n

    def count(self, sheet: str) -> int:
        return int(self.db.execute(f'SELECT count(*) FROM "{sheet}"').fetchone()[0])

    def rows(self, sheet: str) -> Iterator[tuple[Any, ...]]:
        """The sheet's winning rows by (dealer_code, id), one at a time."""
        cur = self.db.execute(f'SELECT row FROM "{sheet}" ORDER BY dealer_code, id')
        for (blob,) in cur:
            yield pickle.loads(blob)


def _scratch_rows(
    rows: Iterator[tuple[Any, ...]],
    facts: tuple[Callable[[tuple[Any, ...]], Any], ...],
    read: list[int],
) -> Iterator[tuple[Any, ...]]:
    """(id, dealer_code, the row pickled, *facts) per row; read[0] counts them."""
    dumps, proto = pickle.dumps, pickle.HIGHEST_PROTOCOL
    for v in rows:
        read[0] += 1
        yield (v[0], v[1], dumps(v, proto), *[f(v) for f in facts])


_TIE = {s.name: (s.keys.index("updated_at"), hw.tie_order(s)) for s in hw.SHEETS}


def newer(sheet: str, new: tuple[Any, ...], old: tuple[Any, ...]) -> bool:
    """Whether `new` replaces `old` (two copies of one UUID in sheet `sheet`): HQ's rule."""
    upd, order = _TIE[sheet]
    return _newer(new, old, upd, order)


def _newer_pickled(new: bytes, old: bytes, sheet: str) -> bool:
    return newer(sheet, pickle.loads(new), pickle.loads(old))


def _sortable(values: tuple[Any, ...], order: Sequence[int] | None = None) -> tuple[str, ...]:
    return tuple(
        "" if v is None else v.isoformat() if isinstance(v, datetime) else str(v)
        for v in (values if order is None else (values[i] for i in order))
    )


def _newer(
    new: tuple[Any, ...], old: tuple[Any, ...], upd: int, order: Sequence[int] | None = None
) -> bool:
    """Newest updated_at wins; on a tie the larger row as text (its values in `order`,
    compared one by one) wins, whatever the order the copies come in."""
    if new[upd] != old[upd]:
        return new[upd] > old[upd]
    return _sortable(new, order) > _sortable(old, order)


def _meta_key(meta: dict[str, Any]) -> tuple[str, ...]:
    """A dealer's newest _meta wins: by exported_at, then its names as text (the warehouse's
    hq.dealers upsert orders them the same way)."""

    def iso(key: str) -> str:
        at = meta.get(key)
        return at.isoformat() if isinstance(at, datetime) else ""

    return (
        iso("exported_at"),
        *(str(meta.get(k) or "") for k in _META_TIE),
        iso("watermark"),
    )


# After exported_at, these break a tie between two _meta of one dealer (then watermark).
_META_TIE = ("dealer_name", "dealer_region", "dealer_city", "schema_version", "app_version",
             "pii_mode")  # fmt: skip


def digest(path: Path) -> str:
    """SHA-256 of a file (hex): the same file given twice is merged or loaded once."""
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


# --------------------------------------------------------------------------- KPIs

# The roll-up's groupings: kpis key → (the group row's key, the per-event key grouped by).
GROUPS: tuple[tuple[str, str, str], ...] = (
    ("dealers", "dealer_code", "dealer_code"),
    ("campaigns", "campaign_code", "campaign_code"),
    ("regions", "region", "_region"),
    ("months", "month", "_month"),
)
# What a group adds up over its held events (rates are recomputed from the sums).
GROUP_SUMS = ("registered", "attended", "walk_ins", "new_prospects", "referrals",
              "new_members", "feedback_count", "points_awarded")  # fmt: skip


@functools.cache
def _zone(name: str | None) -> tzinfo:
    if not name:
        return UTC
    try:
        return ZoneInfo(name)
    except (ValueError, KeyError, OSError):  # ZoneInfoNotFoundError is a KeyError
        return UTC


def event_month(starts_at: datetime | None, timezone: str | None) -> str | None:
    """The month (YYYY-MM) an event starts in where it happens: its own time zone, UTC when
    that is missing or unknown; None without a start. The warehouse's kpi_events agrees."""
    if starts_at is None:
        return None
    return starts_at.astimezone(_zone(timezone)).strftime("%Y-%m")


def dealer_region(meta: dict[str, Any]) -> str:
    """The dealer's region from its file's _meta ("" when unknown: schema-1 files lack it)."""
    return str(meta.get("dealer_region") or "")


_EVENT_REGS = """
SELECT r.row, p.row, f.starts_at,
       (SELECT min(m.since) FROM club_memberships m WHERE m.person_id = r.person_id
        AND NOT m.deleted)
FROM registrations r
LEFT JOIN people p ON p.id = r.person_id AND NOT p.deleted
LEFT JOIN first_attended f ON f.person_id = r.person_id
WHERE r.event_id = ? AND NOT r.deleted
"""
_EVENT_FEEDBACK = "SELECT row FROM feedback WHERE event_id = ? AND NOT deleted"
_EVENT_POINTS = """
SELECT l.delta FROM points_ledger l JOIN registrations r ON r.id = l.registration_id
WHERE r.event_id = ? AND NOT r.deleted AND NOT l.deleted
"""


def _first_attended(db: sqlite3.Connection) -> None:
    """Per person, the start of the earliest event they attended (any dealer's): a table in
    the scratch file, filled as the registrations stream by person."""
    db.execute("CREATE TABLE first_attended (person_id TEXT PRIMARY KEY, starts_at INTEGER)")
    cur = db.execute(
        "SELECT r.person_id, r.status, r.checked_in_at, r.online_minutes, "
        "e.min_online_minutes, e.starts_at FROM registrations r JOIN events e "
        "ON e.id = r.event_id WHERE NOT r.deleted AND NOT e.deleted "
        "AND e.starts_at IS NOT NULL ORDER BY r.person_id"
    )

    def firsts() -> Iterator[tuple[str, int]]:
        for person, regs in groupby(cur, key=itemgetter(0)):
            first = None
            for _p, status, checked_in, minutes, min_minutes, start in regs:
                if (
                    status in kpi.CONFIRMED
                    and kpi.attended(checked_in, minutes, min_minutes)
                    and (first is None or start < first)
                ):
                    first = start
            if first is not None:
                yield person, first

    db.executemany("INSERT INTO first_attended VALUES (?, ?)", firsts())


def compute_kpis(merged: _Merged) -> tuple[list[dict[str, Any]], dict[str, list[dict[str, Any]]]]:
    """Per-event KPIs with domain/kpi.event_kpis, and per dealer, campaign, region and month.

    Flat in memory: the scratch file answers, one event at a time, that event's live
    registrations with their people's facts and first attended event (computed once over
    all dealers, so a person in two dealers' files counts as one), its feedback and points.
    Deleted rows are ignored. An event is "held" when it is not cancelled and is over at the
    time its dealer exported (status completed, or ended). Groups add up their held events;
    rates and averages are recomputed from the sums.
    """
    db = merged.db
    for table, column in _INDEXES:
        db.execute(f'CREATE INDEX IF NOT EXISTS "ix_{table}_{column}" ON "{table}" ({column})')
    _first_attended(db)
    keys = {s.name: s.keys for s in hw.SHEETS}
    loads = pickle.loads
    per_event: list[dict[str, Any]] = []
    events = db.execute("SELECT row FROM events WHERE NOT deleted ORDER BY dealer_code, id")
    for (blob,) in events:
        e = dict(zip(keys["events"], loads(blob), strict=True))
        eid = e["id"]
        regs: list[kpi.RegistrationFacts] = []
        people: dict[str, kpi.PersonFacts] = {}
        first: dict[str, datetime | None] = {}
        for r_blob, p_blob, first_us, since_us in db.execute(_EVENT_REGS, (eid,)):
            r = dict(zip(keys["registrations"], loads(r_blob), strict=True))
            regs.append(
                kpi.RegistrationFacts(
                    id=r["id"],
                    person_id=r["person_id"],
                    status=r["status"],
                    source=r["source"] or "",
                    party_size=r["party_size"] or 1,
                    is_walk_in=bool(r["is_walk_in"]),
                    checked_in_at=r["checked_in_at"],
                    online_minutes=r["online_minutes"],
                    referred_by_id=r["referred_by_id"],
                )
            )
            if p_blob is not None:
                p = dict(zip(keys["people"], loads(p_blob), strict=True))
                people[p["id"]] = kpi.PersonFacts(
                    p["id"],
                    p["stage"],
                    kpi.stage_change(p["stage_changed_at"], p["created_at"]),
                    _from_us(since_us),
                )
            if first_us is not None:
                first[r["person_id"]] = _from_us(first_us)
        feedback = [
            kpi.FeedbackFacts(f["rating"], f["nps"])
            for f in (
                dict(zip(keys["feedback"], loads(b), strict=True))
                for (b,) in db.execute(_EVENT_FEEDBACK, (eid,))
            )
        ]
        points = [d for (d,) in db.execute(_EVENT_POINTS, (eid,))]
        facts = kpi.EventFacts(
            id=eid,
            starts_at=e["starts_at"],
            ends_at=e["ends_at"],
            status=e["status"],
            budget=Decimal(str(e["budget"])) if e["budget"] is not None else None,
            min_online_minutes=e["min_online_minutes"],
        )
        meta = merged.meta.get(e["dealer_code"], {})
        exported = meta.get("exported_at")
        now = exported if isinstance(exported, datetime) else datetime.now(UTC)
        k = kpi.event_kpis(facts, regs, people, first, feedback, points, now=now)
        ratings = [f.rating for f in feedback if f.rating is not None]
        per_event.append(
            event_row(
                e,
                held=e["status"] != "cancelled" and kpi.event_over(facts, now),
                kpis={key: getattr(k, key) for key in EVENT_KPI_KEYS},
                ratings_sum=sum(ratings),
                ratings_n=len(ratings),
                region=dealer_region(meta),
                month=event_month(e["starts_at"], e["timezone"]),
            )
        )
    groups = {name: _aggregate(per_event, key, by) for name, key, by in GROUPS}
    for d in groups["dealers"]:
        meta = merged.meta.get(d["dealer_code"], {})
        d["dealer_name"] = meta.get("dealer_name")
        d["region"] = dealer_region(meta)
    return per_event, groups


def event_row(
    e: dict[str, Any],
    *,
    held: bool,
    kpis: dict[str, Any],
    ratings_sum: int,
    ratings_n: int,
    region: str,
    month: str | None,
) -> dict[str, Any]:
    """One event's line of the roll-up (kpi_events; keys with _ are for the groups only)."""
    return {
        "dealer_code": e["dealer_code"],
        "event_id": str(e["id"]),
        "campaign_code": e["campaign_code"],
        "title": e["title"],
        "type": e["type"],
        "status": e["status"],
        "starts_at": e["starts_at"],
        "held": held,
        **kpis,
        "_ratings_sum": ratings_sum,
        "_ratings_n": ratings_n,
        "_region": region,
        "_month": month,
    }


def group_row(key: str, value: str, sums: dict[str, Any]) -> dict[str, Any]:
    """A group's line from its sums: `dealers` (distinct), `events`, `events_held`, the
    GROUP_SUMS over held events, `attended_registered`, `ratings_sum`, `ratings_n`."""
    row: dict[str, Any] = {key: value, "dealers": sums["dealers"], "events": sums["events"]}
    for name, _t in KPI_COLUMNS:
        if name == "attendance_rate":
            row[name] = kpi.attendance_rate(sums["attended_registered"], sums["registered"])
        elif name == "avg_rating":
            row[name] = kpi.average_rating(sums["ratings_sum"], sums["ratings_n"])
        else:
            row[name] = sums[name]
    return row


def _aggregate(per_event: list[dict[str, Any]], key: str, by: str) -> list[dict[str, Any]]:
    groups: dict[str, dict[str, Any]] = {}
    for e in per_event:
        if e[by] is None:  # no campaign code, or no start (no month)
            continue
        g = groups.setdefault(
            e[by],
            {"dealers": set(), "events": 0, "events_held": 0, "attended_registered": 0,
             "ratings_sum": 0, "ratings_n": 0, **dict.fromkeys(GROUP_SUMS, 0)},
        )  # fmt: skip
        g["dealers"].add(e["dealer_code"])
        g["events"] += 1
        if not e["held"]:
            continue
        g["events_held"] += 1
        for name in GROUP_SUMS:
            g[name] += e[name]
        g["attended_registered"] += e["attended"] - e["walk_ins"]
        g["ratings_sum"] += e["_ratings_sum"]
        g["ratings_n"] += e["_ratings_n"]
    return [
        group_row(key, value, {**groups[value], "dealers": len(groups[value]["dealers"])})
        for value in sorted(groups)
    ]


def kpis_json(
    per_event: list[dict[str, Any]], groups: dict[str, list[dict[str, Any]]]
) -> dict[str, Any]:
    """The `kpis` object of `hq merge --json` and `hq rollup --json` (the same shape)."""
    return {
        **{name: groups[name] for name, _k, _b in GROUPS},
        "events": [{k: v for k, v in e.items() if not k.startswith("_")} for e in per_event],
    }


# --------------------------------------------------------------------------- writing


def _serial(v: datetime | date) -> float:
    if isinstance(v, datetime):
        if v.tzinfo is not None:
            v = v.astimezone(UTC).replace(tzinfo=None)
        d = v - _EXCEL_EPOCH
        return d.days + (d.seconds + d.microseconds / 1e6) / 86400.0
    return float((v - _EXCEL_EPOCH.date()).days)


class _Writer:
    def __init__(self, wb: Any) -> None:
        self.wb = wb
        self.fmt_dt = wb.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
        self.fmt_d = wb.add_format({"num_format": "yyyy-mm-dd"})
        self.fmt_pct = wb.add_format({"num_format": "0.0%"})
        self.fmt_head = wb.add_format({"bold": True, "bg_color": "#DDEBF7"})
        self.fmt_quote = wb.add_format(hw.QUOTE_PREFIX)

    def sheet(
        self,
        name: str,
        columns: Sequence[tuple[str, str]],
        rows: Iterable[Sequence[Any]],
        widths: Sequence[int] | None = None,
    ) -> int:
        ws = self.wb.add_worksheet(name)
        ws.write_row(0, 0, [c for c, _t in columns], self.fmt_head)
        ws.freeze_panes(1, 0)
        for i, (c, _t) in enumerate(columns):
            ws.set_column(i, i, widths[i] if widths else max(10, min(38, len(c) + 4)))
        write = _row_writer(ws, [t for _c, t in columns], self)
        r = 0
        for r, values in enumerate(rows, start=1):
            write(r, values)
        ws.autofilter(0, 0, max(r, 1), len(columns) - 1)
        return r


_EPOCH_UTC = _EXCEL_EPOCH.replace(tzinfo=UTC)


def _row_writer(ws: Any, types: Sequence[str], w: _Writer) -> Callable[[int, Sequence[Any]], None]:
    """A generated function writing one row: straight-line code per column, no dispatch.

    Values are the contract's (str, int, float, bool, aware UTC datetime, date) or None.
    """
    ns: dict[str, Any] = {
        "ws_s": ws._write_string,  # the undecorated writers (no A1-notation parsing)
        "ws_n": ws._write_number,
        "ws_b": ws._write_boolean,
        "FDT": w.fmt_dt,
        "FD": w.fmt_d,
        "FPCT": w.fmt_pct,
        "EPOCH": _EPOCH_UTC,
        "EPOCH_D": _EXCEL_EPOCH.date(),
        "FQ": w.fmt_quote,
        "FORMULA": hw.FORMULA_START,
        "serial": _serial,
    }
    body = ["def write(r, vals):"]
    for c, t in enumerate(types):
        body.append(f"    v = vals[{c}]")
        if t in ("text", "uuid"):
            body += [
                '    if v is not None and v != "":',
                "        v = str(v)",
                f"        if v[0] in FORMULA: ws_s(r, {c}, v, FQ)",  # text as it is, quote-prefixed
                f"        else: ws_s(r, {c}, v)",
            ]
        elif t in ("int", "number"):
            body.append(f"    if v is not None: ws_n(r, {c}, v)")
        elif t == "rate":
            body.append(f"    if v is not None: ws_n(r, {c}, v, FPCT)")
        elif t == "bool":
            body.append(f"    if v is not None: ws_b(r, {c}, bool(v))")
        elif t == "datetime":
            body += [
                "    if v is not None:",
                "        if v.__class__ is datetime and v.tzinfo is not None:",
                "            d = v - EPOCH",
                f"            ws_n(r, {c}, d.days + (d.seconds + d.microseconds / 1e6) / 86400.0, FDT)",
                f"        else: ws_n(r, {c}, serial(v), FDT)",
            ]
        elif t == "date":
            body.append(f"    if v is not None: ws_n(r, {c}, serial(v), FD)")
        else:
            body.append(f"    if v is not None: ws_s(r, {c}, str(v))")
    ns["datetime"] = datetime
    exec(compile("\n".join(body), "<hq_merge:row>", "exec"), ns)
    return ns["write"]  # type: ignore[no-any-return]


@contextmanager
def rollup_workbook(out_path: str | Path) -> Iterator[_Writer]:
    """A roll-up .xlsx written under a temporary name and renamed when complete; nothing is
    left under either name when the block fails or is cancelled."""
    import xlsxwriter

    target = Path(out_path)
    if not target.parent.is_dir():
        raise ValidationError("out", "folder_missing", folder=str(target.parent))
    tmp = target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}.paddock-tmp")
    wb_out = xlsxwriter.Workbook(str(tmp), XLSX_OPTIONS)
    try:
        yield _Writer(wb_out)
        wb_out.close()
        os.replace(tmp, target)
    except BaseException:
        discard_workbook(wb_out, tmp)
        raise


def _kpi_columns() -> list[tuple[str, str]]:
    return [(n, "rate" if n == "attendance_rate" else t) for n, t in KPI_COLUMNS]


def write_kpi_sheets(
    w: _Writer, per_event: list[dict[str, Any]], groups: dict[str, list[dict[str, Any]]]
) -> None:
    """kpi_dealers, kpi_campaigns, kpi_regions, kpi_months and kpi_events (merge and rollup)."""
    for name, key, _by in GROUPS:
        cols = [(key, "text")]
        if name == "dealers":
            cols += [("dealer_name", "text"), ("region", "text")]
        else:
            cols.append(("dealers", "int"))
        cols += [("events", "int"), *_kpi_columns()]
        w.sheet(f"kpi_{name}", cols, ([g.get(c) for c, _t in cols] for g in groups[name]))
    ev_cols = [("dealer_code", "text"), ("event_id", "uuid"), ("campaign_code", "text"), ("title", "text"), ("type", "text"), ("status", "text"), ("starts_at", "datetime"), ("held", "bool"),
               *((k, "rate" if k == "attendance_rate" else "number") for k in EVENT_KPI_KEYS)]  # fmt: skip
    w.sheet("kpi_events", ev_cols, ([e.get(k) for k, _t in ev_cols] for e in per_event))


def merge_hq(
    files: Sequence[str | Path],
    out_path: str | Path | None,
    *,
    progress: Progress | None = None,
    is_cancelled: IsCancelled | None = None,
) -> MergeReport:
    """Merge dealers' HQ workbooks into one roll-up at `out_path` (None: report only).

    Each file is validated whole first (ContractError → status "rejected" with the
    reason, nothing of it merged); the same file given twice counts once
    ("duplicate_file"). Rows are deduped by UUID, newest updated_at winning (ties broken by
    the row's text, so input order never matters). The roll-up holds the merged sheets
    (sorted by dealer_code, id), `kpi_events`, `kpi_dealers`, `kpi_campaigns` and a `_meta`
    sheet; everything but its generated_at cell depends only on the set of files.
    progress(files_done, files_total) before each file; is_cancelled() → Cancelled and no
    file written. Winning rows wait in a scratch SQLite file (in the roll-up's folder, else
    the system's temp folder), deleted on the way out.
    """
    folder = Path(out_path).parent if out_path is not None else None
    with _Merged(folder if folder is not None and folder.is_dir() else None) as merged:
        return _merge(merged, files, out_path, progress, is_cancelled)


def _merge(
    merged: _Merged,
    files: Sequence[str | Path],
    out_path: str | Path | None,
    progress: Progress | None,
    is_cancelled: IsCancelled | None,
) -> MergeReport:

    t0 = time.perf_counter()
    results: list[FileResult] = []
    seen: dict[str, str] = {}
    good: list[tuple[str, str, str]] = []  # (dealer_code, sha256, summary) of merged files
    total = len(files)
    for i, f in enumerate(files):
        if is_cancelled is not None and is_cancelled():
            raise Cancelled("merge cancelled; no file written")
        if progress is not None:
            progress(i, total)
        path = Path(f)
        try:
            sha = digest(path)
        except OSError as exc:
            results.append(
                FileResult(str(path), None, "rejected", f"cannot read the file ({exc.strerror})")
            )
            continue
        if sha in seen:
            results.append(
                FileResult(str(path), seen[sha], "duplicate_file", "the same file was given twice")
            )
            continue
        try:
            with hw.open_workbook(path) as wb:
                n = merged.add(wb)
        except hw.ContractError as exc:
            results.append(FileResult(str(path), None, "rejected", str(exc)))
            continue
        seen[sha] = wb.dealer_code
        m = wb.meta
        good.append(
            (
                wb.dealer_code,
                sha,
                f"exported_at={_iso(m.get('exported_at'))} watermark={_iso(m.get('watermark'))} "
                f"mode={m.get('mode')} pii={m.get('pii_mode')}",
            )
        )
        results.append(FileResult(str(path), wb.dealer_code, "merged", None, n))
    rows_count = {sheet.name: merged.count(sheet.name) for sheet in hw.SHEETS}
    if out_path is not None:
        for name, n in rows_count.items():
            hw.check_sheet_rows(name, n, "sheet_rows_over_merge")
    if not good:
        if out_path is not None:
            raise RuleViolation(code="merge_nothing")
        return MergeReport(None, results, rows_count, 0, {}, round(time.perf_counter() - t0, 3))

    per_event, groups = compute_kpis(merged)
    kpis = kpis_json(per_event, groups)
    out: str | None = None
    if out_path is not None:
        with rollup_workbook(out_path) as w:
            meta_rows: list[tuple[Any, ...]] = [
                ("kind", "hq_rollup"),
                ("schema_version", hw.SCHEMA_VERSION),
                ("app_version", __version__),
                ("generated_at", datetime.now(UTC)),
                ("dealers", len(merged.meta)),
                *((hw.rows_meta_key(n), c) for n, c in rows_count.items()),
            ]
            for code, sha, summary in sorted(good):
                meta_rows.append((f"file.{code}.{sha[:12]}", summary))
            _write_meta(w, meta_rows)
            write_kpi_sheets(w, per_event, groups)
            erased = _erased(merged)
            for sheet in hw.SHEETS:
                cols = [(c.key, c.type) for c in sheet.columns]
                rows = _forgetting(sheet, merged.rows(sheet.name), erased)
                w.sheet(sheet.name, cols, rows, [c.width for c in sheet.columns])
                if is_cancelled is not None and is_cancelled():
                    raise Cancelled("merge cancelled; no file written")
        out = str(out_path)
    duplicates = merged.added - sum(rows_count.values())  # every row whose id was there
    return MergeReport(
        out, results, rows_count, duplicates, kpis, round(time.perf_counter() - t0, 3)
    )


def _erased(merged: _Merged) -> dict[str, set[str]]:
    """Erasure tombstones of every file (issue 18): person ids, and their registrations'
    ids (for the checkins sheet)."""
    sheet = hw.SHEET_BY_NAME["erasures"]
    pid = sheet.keys.index("person_id")
    people = {str(r[pid]) for r in merged.rows("erasures")}
    regs: set[str] = set()
    if people:
        reg_sheet = hw.SHEET_BY_NAME["registrations"]
        rp = reg_sheet.keys.index("person_id")
        regs = {str(r[0]) for r in merged.rows("registrations") if str(r[rp]) in people}
    return {"person": people, "registration": regs}


def _forgetting(
    sheet: hw.Sheet, rows: Iterable[tuple[Any, ...]], erased: dict[str, set[str]]
) -> Iterator[tuple[Any, ...]]:
    """The sheet's rows with the personal values of erased people blanked, whichever file
    (older or newer than the tombstone) the winning row came from."""
    key = hw.PERSON_KEY.get(sheet.name)
    ids = erased["registration" if key == "registration_id" else "person"]
    if key is None or not ids:
        yield from rows
        return
    k = sheet.keys.index(key)
    for row in rows:
        yield hw.forget_row(sheet, row) if str(row[k]) in ids else row


def _iso(v: Any) -> str:
    return v.isoformat() if isinstance(v, datetime) else str(v or "")


def _write_meta(w: _Writer, rows: list[tuple[Any, ...]]) -> None:
    ws = w.wb.add_worksheet(hw.META_SHEET)
    ws.write_row(0, 0, ("key", "value"), w.fmt_head)
    ws.set_column(0, 0, 30)
    ws.set_column(1, 1, 60)
    for r, (k, v) in enumerate(rows, start=1):
        ws.write_string(r, 0, k)
        if isinstance(v, datetime):
            ws.write_number(r, 1, _serial(v), w.fmt_dt)
        elif isinstance(v, int):
            ws.write_number(r, 1, v)
        else:
            hw.write_text(ws, r, 1, str(v), w.fmt_quote)
