"""HQ export: one .xlsx per export, full or incremental, in a chosen PII mode (docs/hq-workbook.md)."""

from __future__ import annotations

import contextlib
import os
import time
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import DateTime, Float, String, Table, cast, func, select, type_coerce
from sqlalchemy.orm import Session

from desktop_app import __version__
from desktop_app.domain.errors import Cancelled, RuleViolation, ValidationError
from desktop_app.domain.roles import Permission
from desktop_app.io import hq_workbook as hw
from desktop_app.services.auth import require
from desktop_app.services.common import audit
from desktop_app.store.db import Database
from desktop_app.store.models import Base, DealerProfile, Setting, SyncOperation

Progress = Callable[[int, int], None]
IsCancelled = Callable[[], bool]

HASH_KEY_SETTING = "hq_hash_key"
EXPORT_KIND = "hq_export"
# An incremental export starts this long before the previous watermark: a long write
# transaction (a big import) may commit rows stamped before the previous export's snapshot.
# HQ's merge dedupes the overlap by UUID.
OVERLAP = timedelta(minutes=10)
MODES = ("full", "since_last")
CHECKIN_OPTIONS = ("all", "accepted")
_TICK = 2000
_EXCEL_EPOCH = datetime(1899, 12, 30)


@dataclass(frozen=True, slots=True)
class ExportReport:
    file: str
    dealer_code: str
    mode: str  # full | since_last
    pii_mode: str  # full | masked | hashed
    since: datetime | None  # rows changed after this (incremental), else None
    watermark: datetime | None  # max updated_at exported (next incremental starts here)
    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    operation_id: str = ""

    def to_json(self) -> dict[str, Any]:
        d = asdict(self)
        d["since"] = self.since.isoformat() if self.since else None
        d["watermark"] = self.watermark.isoformat() if self.watermark else None
        d["total_rows"] = sum(self.rows.values())
        return d


def set_hash_key(db: Database, key: str, actor: object = None) -> None:
    """Store HQ's hash key (the text of the key file HQ sends every dealer)."""
    require(db, actor, Permission.SETTINGS)
    key = key.strip()
    if len(key) < 16:
        raise ValidationError("hash_key", "hash_key_short")
    with db.write() as s:
        row = s.get(Setting, HASH_KEY_SETTING)
        if row is None:
            s.add(Setting(key=HASH_KEY_SETTING, value=key))
        else:
            row.value = key
        audit(s, "hq.hash_key_set", "settings", HASH_KEY_SETTING, {}, actor)


def last_export(db: Database) -> SyncOperationView | None:
    """The most recent HQ export (its watermark drives the next incremental one)."""
    with db.read() as s:
        op = s.scalars(
            select(SyncOperation)
            .where(SyncOperation.kind == EXPORT_KIND)
            .order_by(SyncOperation.at.desc())
            .limit(1)
        ).first()
        return SyncOperationView.of(op) if op else None


@dataclass(frozen=True, slots=True)
class SyncOperationView:
    id: str
    at: datetime
    kind: str
    file: str | None
    watermark: datetime | None
    report: dict[str, Any]

    @staticmethod
    def of(op: SyncOperation) -> SyncOperationView:
        return SyncOperationView(
            str(op.id), op.at, op.kind, op.file, op.watermark, dict(op.report or {})
        )


def sync_history(db: Database, limit: int = 100) -> list[SyncOperationView]:
    """Every kind of sync operation (exports, imports, packs), newest first, with reports."""
    with db.read() as s:
        ops = s.scalars(select(SyncOperation).order_by(SyncOperation.at.desc()).limit(limit))
        return [SyncOperationView.of(op) for op in ops]


def _last_watermark(s: Session) -> datetime | None:
    return s.scalar(
        select(SyncOperation.watermark)
        .where(SyncOperation.kind == EXPORT_KIND, SyncOperation.watermark.is_not(None))
        .order_by(SyncOperation.at.desc())
        .limit(1)
    )


def _table(sheet: hw.Sheet) -> Table:
    return Base.metadata.tables[sheet.table]


def _hash_key(s: Session) -> bytes:
    row = s.get(Setting, HASH_KEY_SETTING)
    if row is None or not row.value:
        raise RuleViolation(code="hash_key_missing")
    return str(row.value).encode("utf-8")


class _SheetWriter:
    """Writes one sheet's rows with the right Excel type per column.

    The per-row function is generated from the contract (one straight-line statement per
    column, no per-cell dispatch): the export's cost stays close to a bare write_row.
    Columns are selected in the form that is cheapest to turn into a cell: UUIDs as text,
    datetimes as naive UTC (no tz conversion per value), numbers as floats.
    """

    def __init__(self, ws: Any, sheet: hw.Sheet, ctx: dict[str, Any]) -> None:
        self.ws = ws
        self.sheet = sheet
        pii_mode: str = ctx["pii_mode"]
        key: bytes | None = ctx["hash_key"]
        ws.write_row(0, 0, sheet.keys, ctx["fmt_head"])
        ws.freeze_panes(1, 0)
        for i, col in enumerate(sheet.columns):
            ws.set_column(i, i, col.width)
        table = _table(sheet)
        selected = [c for c in sheet.columns if c.source != ""]
        self.select_cols = [_selectable(table.c[c.source or c.key], c.type) for c in selected]
        src = {c.key: i for i, c in enumerate(selected)}
        ns: dict[str, Any] = {
            # xlsxwriter's undecorated writers: the public ones only add A1-notation parsing.
            "ws_s": ws._write_string,
            "ws_n": ws._write_number,
            "ws_b": ws._write_boolean,
            "FDT": ctx["fmt_dt"],
            "FD": ctx["fmt_d"],
            "DEALER": ctx["dealer_code"],
            "EPOCH": _EXCEL_EPOCH,
            "EPOCH_D": _EXCEL_EPOCH.date(),
            "FQ": ctx["fmt_quote"],
            "FORMULA": hw.FORMULA_START,
            "pii": hw.pii_value,
            "MODE": pii_mode,
            "phash": hw.phone_hash,
            "KEY": key,
            "uuid_text": _uuid_text,
        }
        body: list[str] = ["def write(r, row):"]
        for c, col in enumerate(sheet.columns):
            if col.key == "dealer_code":
                body.append(f"    ws_s(r, {c}, DEALER)")
                continue
            if col.key == "deleted":
                body.append(f"    ws_b(r, {c}, row[{src['deleted_at']}] is not None)")
                continue
            if col.key == "phone_hash":
                if pii_mode == "hashed" and "phone" in src:
                    body += [
                        f"    v = row[{src['phone']}]",
                        f"    if v: ws_s(r, {c}, phash(v, KEY))",
                    ]
                continue
            body.append(f"    v = row[{src[col.key]}]")
            if col.type == hw.TEXT:
                body.append("    if v:")
                if col.pii and pii_mode != "full":
                    body.append(f"        v = pii({col.pii!r}, v, MODE)")
                body += [  # the text as it is; the quote-prefix style if it looks like a formula
                    f"        if v[0] in FORMULA: ws_s(r, {c}, v, FQ)",
                    f"        else: ws_s(r, {c}, v)",
                ]
            elif col.type == hw.UUID:
                body.append(
                    f"    if v is not None: ws_s(r, {c}, v if len(v) == 36 else uuid_text(v))"
                )
            elif col.type in (hw.INT, hw.NUMBER):
                body.append(f"    if v is not None: ws_n(r, {c}, v)")
            elif col.type == hw.BOOL:
                body.append(f"    if v is not None: ws_b(r, {c}, bool(v))")
            elif col.type == hw.DATETIME:
                body += [
                    "    if v is not None:",
                    "        d = v - EPOCH",
                    f"        ws_n(r, {c}, d.days + (d.seconds + d.microseconds / 1e6) / 86400.0, FDT)",
                ]
            elif col.type == hw.DATE:
                body.append(f"    if v is not None: ws_n(r, {c}, float((v - EPOCH_D).days), FD)")
            else:  # pragma: no cover - the contract has no other types
                raise AssertionError(col.type)
        exec(compile("\n".join(body), f"<hq_export:{sheet.name}>", "exec"), ns)
        self._write = ns["write"]
        self.rows = 0

    def write(self, row: Any) -> None:
        self.rows += 1
        self._write(self.rows, row)

    def finish(self) -> None:
        self.ws.autofilter(0, 0, max(self.rows, 1), len(self.sheet.columns) - 1)


def _uuid_text(v: Any) -> str:
    """SQLite keeps UUIDs as 32 hex digits; HQ gets the canonical 8-4-4-4-12 form."""
    v = str(v)
    if len(v) == 32:
        return f"{v[:8]}-{v[8:12]}-{v[12:16]}-{v[16:20]}-{v[20:]}"
    return v


def _selectable(column: Any, typ: str) -> Any:
    """The column in the form the row writer wants (see _SheetWriter)."""
    if typ == hw.UUID:
        return cast(column, String)
    if typ == hw.DATETIME:
        return type_coerce(column, DateTime())  # naive UTC as stored, no TypeDecorator
    if typ == hw.NUMBER:
        return type_coerce(column, Float())
    return column


def _excel_serial(value: datetime | date) -> float:
    """Excel's day number (1900 system) of a UTC datetime or a date."""
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        delta = value - _EXCEL_EPOCH
        return delta.days + (delta.seconds + delta.microseconds / 1e6) / 86400.0
    return float((value - _EXCEL_EPOCH.date()).days)


def _temp_path(out: Path) -> Path:
    return out.with_name(f".{out.name}.{uuid.uuid4().hex[:8]}.paddock-tmp")


def _sweep_dead_temps(out: Path, idle: float = 600) -> None:
    """Remove temp files of exports to `out` that were killed (kill -9, power cut).

    Only files untouched for `idle` seconds: a live export keeps writing its temp file.
    """
    cutoff = time.time() - idle
    for old in out.parent.glob(f".{out.name}.*.paddock-tmp"):
        with contextlib.suppress(OSError):
            if old.stat().st_mtime < cutoff:
                old.unlink()


def export_hq(
    db: Database,
    out_path: str | Path,
    *,
    mode: str = "full",
    pii: str = "masked",
    checkins: str = "all",
    overlap: timedelta = OVERLAP,
    progress: Progress | None = None,
    is_cancelled: IsCancelled | None = None,
    actor: object = None,
) -> ExportReport:
    """Write the HQ workbook to `out_path` and record it; returns what was exported.

    mode: "full" (everything) or "since_last" (rows changed since the previous export's
    watermark, minus a 10-minute overlap; full when there was no previous export).
    pii: "full", "masked" (138****5678, 张*) or "hashed" (masked + HMAC-SHA256 phone hash
    with the HQ key from settings "hq_hash_key"). checkins: "all" scans or "accepted" only.
    overlap: how far before the previous watermark an incremental export starts (rows of
    a transaction that committed late, desks with skewed clocks); HQ dedupes by UUID.
    progress(done, total) is called every few thousand rows; is_cancelled() → Cancelled,
    and no file (nor temp file) is left. The export is audited (PII mode included) and
    stored in sync_operations with its report.
    """
    require(db, actor, Permission.EXPORT_PII)
    import xlsxwriter

    if mode not in MODES:
        raise ValidationError("mode", "bad_choice", choices=", ".join(MODES))
    if pii not in hw.PII_MODES:
        raise ValidationError("pii", "bad_choice", choices=", ".join(hw.PII_MODES))
    if checkins not in CHECKIN_OPTIONS:
        raise ValidationError("checkins", "bad_choice", choices=", ".join(CHECKIN_OPTIONS))
    out = Path(out_path)
    if not out.parent.is_dir():
        raise ValidationError("out", "folder_missing", folder=str(out.parent))
    t0 = time.perf_counter()
    exported_at = datetime.now(UTC)
    tmp = _temp_path(out)
    rows: dict[str, int] = {}
    with db.read() as s:
        profile = s.get(DealerProfile, 1)
        if profile is None:
            raise RuleViolation(code="not_initialised")
        key = _hash_key(s) if pii == "hashed" else None
        since = None
        if mode == "since_last":
            last = _last_watermark(s)
            since = last - overlap if last is not None else None
        # Watermark taken at the start, in the same read transaction as the rows: a row
        # changed while we write is newer than it and goes into the next export.
        marks = [s.scalar(select(func.max(_table(sh).c.updated_at))) for sh in hw.SHEETS]
        watermark = max((m for m in marks if m is not None), default=None)
        counts: dict[str, int] = {}
        for sheet in hw.SHEETS:
            counts[sheet.name] = (
                s.scalar(
                    _where(
                        select(func.count()).select_from(_table(sheet)),
                        sheet,
                        since,
                        watermark,
                        checkins,
                    )
                )
                or 0
            )
        for name, n in counts.items():  # counted in the same read transaction as the rows
            hw.check_sheet_rows(name, n, "sheet_rows_over_export")
        total = sum(counts.values())
        wb = xlsxwriter.Workbook(
            str(tmp),
            {
                "constant_memory": True,
                "strings_to_numbers": False,
                "strings_to_formulas": False,
                "strings_to_urls": False,
            },
        )
        try:
            ctx = {
                "fmt_dt": wb.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"}),
                "fmt_d": wb.add_format({"num_format": "yyyy-mm-dd"}),
                "fmt_head": wb.add_format({"bold": True, "bg_color": "#DDEBF7"}),
                "fmt_quote": wb.add_format(hw.QUOTE_PREFIX),
                "pii_mode": pii,
                "hash_key": key,
                "dealer_code": profile.code,
            }
            meta_ws = wb.add_worksheet(hw.META_SHEET)
            cols_ws = wb.add_worksheet(hw.COLUMNS_SHEET)
            done = 0
            for sheet in hw.SHEETS:
                ws = wb.add_worksheet(sheet.name)
                w = _SheetWriter(ws, sheet, ctx)
                stmt = _where(select(*w.select_cols), sheet, since, watermark, checkins)
                stmt = stmt.order_by(_table(sheet).c.updated_at, _table(sheet).c.id)
                for row in s.execute(stmt.execution_options(yield_per=5000)):
                    w.write(row)
                    done += 1
                    if done % _TICK == 0:
                        if is_cancelled is not None and is_cancelled():
                            raise Cancelled(code="export_cancelled")
                        if progress is not None:
                            progress(done, total)
                w.finish()
                rows[sheet.name] = w.rows
            meta: list[tuple[str, Any]] = [
                ("schema_version", hw.SCHEMA_VERSION),
                ("dealer_code", profile.code),
                ("dealer_name", profile.name),
                ("app_version", __version__),
                ("exported_at", exported_at),
                ("watermark", watermark),
                ("since", since),
                ("mode", mode),
                ("pii_mode", pii),
                ("checkins", checkins),
                *((hw.rows_meta_key(n), c) for n, c in rows.items()),
            ]
            _write_meta(meta_ws, meta, ctx)
            _write_columns(cols_ws, ctx)
            wb.close()
            os.replace(tmp, out)
        except BaseException:
            discard_workbook(wb, tmp)
            raise
    _sweep_dead_temps(out)
    if progress is not None:
        progress(total, total)
    report = ExportReport(
        file=str(out),
        dealer_code=profile.code,
        mode=mode,
        pii_mode=pii,
        since=since,
        watermark=watermark,
        rows=rows,
        seconds=round(time.perf_counter() - t0, 3),
    )
    op_id = uuid.uuid4()
    with db.write() as s:
        s.add(
            SyncOperation(
                id=op_id,
                kind=EXPORT_KIND,
                file=str(out),
                watermark=watermark,
                report=report.to_json(),
            )
        )
        audit(
            s,
            "hq.export",
            "sync_operations",
            op_id,
            {"file": str(out), "mode": mode, "pii_mode": pii, "rows": sum(rows.values())},
            actor,
        )
    return ExportReport(**{**asdict(report), "operation_id": str(op_id)})


def _where(
    stmt: Any, sheet: hw.Sheet, since: datetime | None, watermark: datetime | None, checkins: str
) -> Any:
    t = _table(sheet)
    if watermark is None:
        return stmt.where(t.c.updated_at.is_(None))  # an empty database: nothing to export
    stmt = stmt.where(t.c.updated_at <= watermark)
    if since is not None:
        stmt = stmt.where(t.c.updated_at > since)
    if sheet.name == "checkins" and checkins == "accepted":
        stmt = stmt.where(t.c.result == "accepted")
    return stmt


def _write_meta(ws: Any, meta: list[tuple[str, Any]], ctx: dict[str, Any]) -> None:
    ws.write_row(0, 0, ("key", "value"), ctx["fmt_head"])
    ws.set_column(0, 0, 26)
    ws.set_column(1, 1, 30)
    for r, (k, v) in enumerate(meta, start=1):
        ws.write_string(r, 0, k)
        if isinstance(v, datetime):
            ws.write_number(r, 1, _excel_serial(v), ctx["fmt_dt"])
        elif isinstance(v, int):
            ws.write_number(r, 1, v)
        elif v is None:
            ws.write_blank(r, 1, None)
        else:
            hw.write_text(ws, r, 1, str(v), ctx["fmt_quote"])


def _write_columns(ws: Any, ctx: dict[str, Any]) -> None:
    head = ("sheet", "key", "label_zh", "label_en", "type")
    ws.write_row(0, 0, head, ctx["fmt_head"])
    for i, w in enumerate((18, 24, 24, 30, 10)):
        ws.set_column(i, i, w)
    r = 1
    for sheet in hw.SHEETS:
        for col in sheet.columns:
            ws.write_row(r, 0, (sheet.name, col.key, col.label_zh, col.label_en, col.type))
            r += 1
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, r - 1, len(head) - 1)


def discard_workbook(wb: Any, tmp: Path) -> None:
    """Drop a half-written export: xlsxwriter's row temp files and our temp workbook."""
    for ws in wb.worksheets():
        try:
            ws._opt_close()
            if getattr(ws, "row_data_filename", None):
                os.unlink(ws.row_data_filename)
        except OSError:
            pass
    with contextlib.suppress(OSError):
        tmp.unlink(missing_ok=True)
