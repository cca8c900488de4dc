"""HQ roll-up: validate dealers' workbooks, dedupe rows by UUID, write merged sheets and KPIs.

Runs without Qt and without a database (`paddock hq merge`). KPIs come from
domain/kpi.event_kpis over the merged rows, the same function the dealer's reports use.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sqlite3
import tempfile
import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from desktop_app import __version__
from desktop_app.domain import kpi
from desktop_app.domain.errors import Cancelled, RuleViolation, ValidationError
from desktop_app.io import hq_workbook as hw
from desktop_app.services.hq_export import discard_workbook

Progress = Callable[[int, int], None]
IsCancelled = Callable[[], bool]

_EXCEL_EPOCH = datetime(1899, 12, 30)

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


class _Merged:
    """Winning row per UUID per sheet, kept in a scratch SQLite file, not in memory.

    One table per sheet: id, dealer_code and the row tuple pickled. A repeated id replaces
    the stored row when _newer says so (SQLite calls it only for repeated ids). The file is
    deleted by close(), whatever happened.
    """

    def __init__(self, folder: Path | None) -> None:
        fd, name = tempfile.mkstemp(prefix=".paddock-merge-", suffix=".sqlite", dir=folder)
        os.close(fd)
        self.path = Path(name)
        self.added = 0  # rows read from merged files, repeated ids included
        self.meta: dict[str, dict[str, Any]] = {}  # dealer_code → newest _meta
        try:
            self.db = sqlite3.connect(name)
            self.db.execute("PRAGMA journal_mode = OFF")  # scratch: nothing to recover
            self.db.execute("PRAGMA synchronous = OFF")
            self.db.create_function("newer", 3, _newer_pickled, deterministic=True)
            for sheet in hw.SHEETS:
                self.db.execute(
                    f'CREATE TABLE "{sheet.name}" '
                    "(id TEXT PRIMARY KEY, dealer_code TEXT NOT NULL, row BLOB NOT NULL)"
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

    def add(self, wb: hw.ParsedWorkbook) -> int:
        n = 0
        with self.db:  # one transaction per file
            for sheet in hw.SHEETS:
                upd = sheet.keys.index("updated_at")
                rows = wb.rows[sheet.name]
                n += len(rows)
                self.db.executemany(
                    f'INSERT INTO "{sheet.name}" VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE '
                    "SET dealer_code = excluded.dealer_code, row = excluded.row "
                    f'WHERE newer(excluded.row, "{sheet.name}".row, {upd})',
                    ((v[0], v[1], pickle.dumps(v, pickle.HIGHEST_PROTOCOL)) for v in rows),
                )
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


def _newer_pickled(new: bytes, old: bytes, upd: int) -> bool:
    return _newer(pickle.loads(new), pickle.loads(old), upd)


def _sortable(values: tuple[Any, ...]) -> tuple[str, ...]:
    return tuple(
        "" if v is None else v.isoformat() if isinstance(v, datetime) else str(v) for v in values
    )


def _newer(new: tuple[Any, ...], old: tuple[Any, ...], upd: int) -> bool:
    """Newest updated_at wins; on a tie the larger row (as text) wins, whatever the order."""
    if new[upd] != old[upd]:
        return new[upd] > old[upd]
    return _sortable(new) > _sortable(old)


def _meta_key(meta: dict[str, Any]) -> tuple[str, str]:
    at = meta.get("exported_at")
    return (
        at.isoformat() if isinstance(at, datetime) else str(at or ""),
        str(meta.get("dealer_name") or ""),
    )


def _digest(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


# --------------------------------------------------------------------------- KPIs


def _as_dt(d: date | datetime | None) -> datetime | None:
    if d is None or isinstance(d, datetime):
        return d
    return datetime(d.year, d.month, d.day, tzinfo=UTC)


def compute_kpis(
    rows: dict[str, Iterable[dict[str, Any]]],
    now_by_dealer: dict[str, datetime],
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    """Per-event, per-dealer and per-campaign KPIs from merged rows (dicts by column key).

    Each sheet's rows are iterated once, so they may be generators.

    Deleted rows are ignored. An event is "held" when it is not cancelled and is over at
    the time its dealer exported (status completed, or ended). Dealer and campaign figures
    add up their held events; rates and averages are recomputed from the sums.
    """
    events = {r["id"]: r for r in rows["events"] if not r["deleted"]}
    people: dict[str, kpi.PersonFacts] = {}
    member_since: dict[str, datetime] = {}
    for m in rows["club_memberships"]:
        if m["deleted"]:
            continue
        since = _as_dt(m["joined_on"]) or m["created_at"]
        if since is not None and (
            m["person_id"] not in member_since or since < member_since[m["person_id"]]
        ):
            member_since[m["person_id"]] = since
    for p in rows["people"]:
        if not p["deleted"]:
            people[p["id"]] = kpi.PersonFacts(
                p["id"],
                p["stage"],
                kpi.stage_change(p["stage_changed_at"], p["created_at"]),
                member_since.get(p["id"]),
            )
    regs_by_event: dict[str, list[kpi.RegistrationFacts]] = defaultdict(list)
    first_start: dict[str, datetime | None] = {}
    reg_event: dict[str, str] = {}
    for r in rows["registrations"]:
        if r["deleted"] or r["event_id"] not in events:
            continue
        e = events[r["event_id"]]
        facts = kpi.RegistrationFacts(
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
        regs_by_event[r["event_id"]].append(facts)
        reg_event[r["id"]] = r["event_id"]
        came = r["status"] in kpi.CONFIRMED and kpi.attended(
            r["checked_in_at"], r["online_minutes"], e["min_online_minutes"]
        )
        if came and e["starts_at"] is not None:
            cur = first_start.get(r["person_id"])
            if cur is None or e["starts_at"] < cur:
                first_start[r["person_id"]] = e["starts_at"]
    feedback: dict[str, list[kpi.FeedbackFacts]] = defaultdict(list)
    for f in rows["feedback"]:
        if not f["deleted"] and f["event_id"] in events:
            feedback[f["event_id"]].append(kpi.FeedbackFacts(f["rating"], f["nps"]))
    points: dict[str, list[int]] = defaultdict(list)
    for p in rows["points_ledger"]:
        if not p["deleted"] and p["registration_id"] in reg_event:
            points[reg_event[p["registration_id"]]].append(p["delta"])

    per_event: list[dict[str, Any]] = []
    for eid in sorted(events, key=lambda i: (events[i]["dealer_code"], i)):
        e = events[eid]
        facts = kpi.EventFacts(
            id=eid,
            starts_at=e["starts_at"],
            ends_at=e["ends_at"],
            status=e["status"],
            budget=Decimal(str(e["budget"])) if e["budget"] is not None else None,
            min_online_minutes=e["min_online_minutes"],
        )
        now = now_by_dealer.get(e["dealer_code"]) or datetime.now(UTC)
        k = kpi.event_kpis(
            facts,
            regs_by_event.get(eid, ()),
            people,
            first_start,
            feedback.get(eid, ()),
            points.get(eid, ()),
            now=now,
        )
        ratings = [f.rating for f in feedback.get(eid, ()) if f.rating is not None]
        held = e["status"] != "cancelled" and kpi.event_over(facts, now)
        per_event.append(
            {
                "dealer_code": e["dealer_code"],
                "event_id": eid,
                "campaign_code": e["campaign_code"],
                "title": e["title"],
                "type": e["type"],
                "status": e["status"],
                "starts_at": e["starts_at"],
                "held": held,
                **{key: getattr(k, key) for key in EVENT_KPI_KEYS},
                "_ratings_sum": sum(ratings),
                "_ratings_n": len(ratings),
            }
        )
    dealers = _aggregate(per_event, "dealer_code")
    campaigns = _aggregate([e for e in per_event if e["campaign_code"]], "campaign_code")
    return per_event, dealers, campaigns


def _aggregate(per_event: list[dict[str, Any]], by: str) -> list[dict[str, Any]]:
    groups: dict[str, dict[str, Any]] = {}
    for e in per_event:
        g = groups.setdefault(
            e[by],
            {by: e[by], "dealers": set(), "events": 0, "events_held": 0, "registered": 0, "attended": 0,
             "_att_reg": 0, "walk_ins": 0, "new_prospects": 0, "referrals": 0, "new_members": 0,
             "feedback_count": 0, "points_awarded": 0, "_rs": 0, "_rn": 0},
        )  # fmt: skip
        g["dealers"].add(e["dealer_code"])
        g["events"] += 1
        if not e["held"]:
            continue
        g["events_held"] += 1
        for key in ("registered", "attended", "walk_ins", "new_prospects", "referrals",
                    "new_members", "feedback_count", "points_awarded"):  # fmt: skip
            g[key] += e[key]
        g["_att_reg"] += e["attended"] - e["walk_ins"]
        g["_rs"] += e["_ratings_sum"]
        g["_rn"] += e["_ratings_n"]
    out = []
    for key in sorted(groups):
        g = groups[key]
        row = {by: key, "dealers": len(g["dealers"]), "events": g["events"]}
        for name, _t in KPI_COLUMNS:
            if name == "attendance_rate":
                row[name] = round(g["_att_reg"] / g["registered"], 4) if g["registered"] else 0.0
            elif name == "avg_rating":
                row[name] = round(g["_rs"] / g["_rn"], 2) if g["_rn"] else None
            else:
                row[name] = g[name]
        out.append(row)
    return out


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
    import xlsxwriter

    t0 = time.perf_counter()
    results: list[FileResult] = []
    seen: dict[str, str] = {}
    good: list[tuple[str, str, str]] = []  # (dealer_code, digest, summary) of merged files
    total = len(files)
    for i, f in enumerate(files):
        if is_cancelled is not None and is_cancelled():
            raise Cancelled("merge cancelled; no file written")
        if progress is not None:
            progress(i, total)
        path = Path(f)
        try:
            digest = _digest(path)
        except OSError as exc:
            results.append(
                FileResult(str(path), None, "rejected", f"cannot read the file ({exc.strerror})")
            )
            continue
        if digest in seen:
            results.append(
                FileResult(
                    str(path), seen[digest], "duplicate_file", "the same file was given twice"
                )
            )
            continue
        try:
            wb = hw.read_workbook(path)
        except hw.ContractError as exc:
            results.append(FileResult(str(path), None, "rejected", str(exc)))
            continue
        seen[digest] = wb.dealer_code
        n = merged.add(wb)
        m = wb.meta
        good.append(
            (
                wb.dealer_code,
                digest,
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

    # One dict at a time, by dealer then id: compute_kpis reads each sheet once.
    as_dicts = {
        sheet.name: _dicts(sheet.keys, merged.rows(sheet.name))
        for sheet in hw.SHEETS
        if sheet.name
        in ("events", "people", "club_memberships", "registrations", "feedback", "points_ledger")
    }
    now_by_dealer = {
        d: m["exported_at"]
        for d, m in merged.meta.items()
        if isinstance(m.get("exported_at"), datetime)
    }
    per_event, dealers, campaigns = compute_kpis(as_dicts, now_by_dealer)
    for d in dealers:
        d["dealer_name"] = merged.meta.get(d["dealer_code"], {}).get("dealer_name")
    kpis = {
        "dealers": dealers,
        "campaigns": campaigns,
        "events": [{k: v for k, v in e.items() if not k.startswith("_")} for e in per_event],
    }
    out: str | None = None
    if out_path is not None:
        target = Path(out_path)
        if not target.parent.is_dir():
            raise ValidationError("out", "folder_missing", folder=str(target.parent))
        tmp = target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}.paddock-tmp")
        wb_out = xlsxwriter.Workbook(
            str(tmp),
            {
                "constant_memory": True,
                "strings_to_numbers": False,
                "strings_to_formulas": False,
                "strings_to_urls": False,
            },
        )
        try:
            w = _Writer(wb_out)
            meta_rows: list[tuple[Any, ...]] = [
                ("kind", "hq_rollup"),
                ("schema_version", hw.SCHEMA_VERSION),
                ("app_version", __version__),
                ("generated_at", datetime.now(UTC)),
                ("dealers", len(merged.meta)),
                *((hw.rows_meta_key(n), c) for n, c in rows_count.items()),
            ]
            for code, digest, summary in sorted(good):
                meta_rows.append((f"file.{code}.{digest[:12]}", summary))
            _write_meta(w, meta_rows)
            dealer_cols = [
                ("dealer_code", "text"),
                ("dealer_name", "text"),
                ("events", "int"),
                *((n, "rate" if n == "attendance_rate" else t) for n, t in KPI_COLUMNS),
            ]
            w.sheet(
                "kpi_dealers", dealer_cols, ([d.get(c) for c, _t in dealer_cols] for d in dealers)
            )
            camp_cols = [
                ("campaign_code", "text"),
                ("dealers", "int"),
                ("events", "int"),
                *((n, "rate" if n == "attendance_rate" else t) for n, t in KPI_COLUMNS),
            ]
            w.sheet(
                "kpi_campaigns", camp_cols, ([c.get(k) for k, _t in camp_cols] for c in campaigns)
            )
            ev_cols = [("dealer_code", "text"), ("event_id", "uuid"), ("campaign_code", "text"), ("title", "text"), ("type", "text"), ("status", "text"), ("starts_at", "datetime"), ("held", "bool"),
                       *((k, "rate" if k == "attendance_rate" else "number") for k in EVENT_KPI_KEYS)]  # fmt: skip
            w.sheet("kpi_events", ev_cols, ([e.get(k) for k, _t in ev_cols] for e in per_event))
            erased = _erased(merged)
            for sheet in hw.SHEETS:
                cols = [(c.key, c.type) for c in sheet.columns]
                rows = _forgetting(sheet, merged.rows(sheet.name), erased)
                w.sheet(sheet.name, cols, rows, [c.width for c in sheet.columns])
                if is_cancelled is not None and is_cancelled():
                    raise Cancelled("merge cancelled; no file written")
            wb_out.close()
            os.replace(tmp, target)
        except BaseException:
            discard_workbook(wb_out, tmp)
            raise
        out = str(target)
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


def _dicts(keys: Sequence[str], rows: Iterable[tuple[Any, ...]]) -> Iterator[dict[str, Any]]:
    return (dict(zip(keys, v, strict=True)) for v in rows)


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
