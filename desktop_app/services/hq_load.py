"""`paddock hq load`: dealers' HQ workbooks into HQ's PostgreSQL warehouse.

Each file is checked like `hq merge` checks it and loaded in ONE transaction: its rows are
validated as they stream (COPY) into session-private staging tables, then one upsert per
sheet keeps the winning row of every UUID by the file merge's own rule (a newer updated_at;
on a tie the row that sorts last as text). A file that fails anywhere is rolled back whole
and reported with its reason. Files are keyed by their SHA-256 in hq.loaded_files, so a
file loaded twice — also by two analysts at once — is loaded once; since the winner of
every UUID depends only on the set of rows, any order of loading gives the same tables.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desktop_app.domain.errors import Cancelled, DatabaseError, first_line
from desktop_app.io import hq_workbook as hw
from desktop_app.services.hq_merge import FileResult
from desktop_app.services.hq_read_ahead import QueuedFile, ReadAhead, Refused
from desktop_app.store import warehouse as wh

Progress = Callable[[int, int], None]
IsCancelled = Callable[[], bool]

RETRIES = 5  # a deadlock or serialization failure between two loaders: the file is redone
APP_NAME = "paddock hq load"


@dataclass(frozen=True, slots=True)
class LoadedFile(FileResult):
    """A file's outcome (status loaded | already_loaded | duplicate_file | rejected) and,
    when loaded, what its rows did: rows = created + updated + unchanged."""

    created: int = 0  # UUIDs new to the warehouse
    updated: int = 0  # UUIDs whose stored row this file's newer row replaced
    unchanged: int = 0  # rows that lost to the stored row (older, or the same)

    def to_json(self) -> dict[str, Any]:
        return {
            **FileResult.to_json(self),
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
        }


@dataclass(frozen=True, slots=True)
class LoadReport:
    into: str  # the warehouse URL without its password
    files: list[LoadedFile]
    seconds: float = 0.0

    def total(self, key: str) -> int:
        return sum(getattr(f, key) for f in self.files)

    def to_json(self) -> dict[str, Any]:
        return {
            "into": self.into,
            "files": [f.to_json() for f in self.files],
            "loaded": sum(f.status == "loaded" for f in self.files),
            "rejected": sum(f.status == "rejected" for f in self.files),
            "rows": self.total("rows"),
            "created": self.total("created"),
            "updated": self.total("updated"),
            "unchanged": self.total("unchanged"),
            "seconds": self.seconds,
        }


def _stage(sheet: hw.Sheet) -> str:
    return wh.q(f"stage_{sheet.name}")


def _columns(sheet: hw.Sheet) -> str:
    return ", ".join(wh.q(c.key) for c in sheet.columns)


def upsert_sql(sheet: hw.Sheet, dedupe: bool = False) -> str:
    """One statement: the staged rows into the sheet's table, keeping per id the row the file
    merge keeps; returns (created, updated). Rows go in id order, so two loaders lock rows
    in the same order. `dedupe`: the file repeats an id (an edited file), so only its
    winning copy is offered."""
    cols = _columns(sheet)
    sets = ", ".join(f"{wh.q(c.key)} = excluded.{wh.q(c.key)}" for c in sheet.columns[1:])
    if dedupe:
        source = (
            f"SELECT DISTINCT ON (s.id) {cols} FROM {_stage(sheet)} s "
            f"WHERE NOT EXISTS (SELECT 1 FROM {_stage(sheet)} o WHERE o.id = s.id "
            f"AND o.ctid <> s.ctid AND {wh.newer_sql(sheet, 'o', 's')}) ORDER BY s.id"
        )
    else:
        source = f"SELECT {cols} FROM {_stage(sheet)} ORDER BY id"
    return (
        f"WITH up AS (INSERT INTO {wh.table(sheet.name)} AS t ({cols}) {source} "
        f"ON CONFLICT (id) DO UPDATE SET {sets} WHERE {wh.newer_sql(sheet)} "
        "RETURNING (xmax = 0) AS created) "
        "SELECT count(*) FILTER (WHERE created), count(*) FILTER (WHERE NOT created) FROM up"
    )


def _erased_name(ref: str) -> str:
    """hq_workbook.erased_person_name in SQL."""
    return f"'ERASED-' || upper(left(replace({ref}.id::text, '-', ''), 8))"


def affected_sql() -> str:
    """The erased people this file touches: its own tombstones, and every erased person a
    row of it belongs to (by the sheet's person column; check-ins through registrations)."""
    parts = [f"SELECT person_id FROM {_stage(hw.SHEET_BY_NAME['erasures'])}"]
    erasures = wh.table("erasures")
    for name, key in hw.PERSON_KEY.items():
        stage = _stage(hw.SHEET_BY_NAME[name])
        if key == "registration_id":
            parts.append(
                f"SELECT r.person_id FROM {stage} s JOIN {wh.table('registrations')} r "
                f"ON r.id = s.registration_id JOIN {erasures} e ON e.person_id = r.person_id"
            )
        else:
            parts.append(
                f"SELECT s.{wh.q(key)} FROM {stage} s JOIN {erasures} e "
                f"ON e.person_id = s.{wh.q(key)}"
            )
    return "SELECT DISTINCT person_id FROM (" + " UNION ALL ".join(parts) + ") z(person_id)"


def forget_sql(sheet: hw.Sheet, staged: bool = False) -> str | None:
    """Blank the personal values (hq_workbook.forget_row) of the given erased people's rows
    of a sheet — rows not blank yet only; None for a sheet with nothing personal. `staged`:
    in the file's staging table, before the upsert, so that a row the warehouse already
    holds blanked is not "updated" by the same row with the values still in it."""
    key = hw.PERSON_KEY.get(sheet.name)
    blank = sorted(hw.ERASED_COLUMNS.get(sheet.name, ()))
    if key is None or not blank:
        return None
    sets, still = [], []
    for col in blank:
        if sheet.name == "people" and col == "name":
            sets.append(f"name = {_erased_name('t')}")
            still.append(f"t.name IS DISTINCT FROM {_erased_name('t')}")
        else:
            sets.append(f"{wh.q(col)} = NULL")
            still.append(f"t.{wh.q(col)} IS NOT NULL")
    if key == "registration_id":
        regs = [wh.table("registrations")]
        if staged:
            regs.append(_stage(hw.SHEET_BY_NAME["registrations"]))
        whose = (
            "t.registration_id IN ("
            + " UNION ALL ".join(
                f"SELECT r.id FROM {r} r WHERE r.person_id = ANY(%(people)s::uuid[])" for r in regs
            )
            + ")"
        )
    else:
        whose = f"t.{wh.q(key)} = ANY(%(people)s::uuid[])"
    target = _stage(sheet) if staged else wh.table(sheet.name)
    return f"UPDATE {target} t SET {', '.join(sets)} WHERE {whose} AND ({' OR '.join(still)})"


# The newest _meta of a dealer wins (the same order as the file merge's `_meta_key`).
_DEALER_SQL = """
INSERT INTO hq.dealers AS d (dealer_code, dealer_name, region, city, exported_at, watermark,
                             schema_version, app_version, pii_mode)
VALUES (%(dealer_code)s, %(dealer_name)s, %(region)s, %(city)s, %(exported_at)s,
        %(watermark)s, %(schema_version)s, %(app_version)s, %(pii_mode)s)
ON CONFLICT (dealer_code) DO UPDATE SET
  dealer_name = excluded.dealer_name, region = excluded.region, city = excluded.city,
  exported_at = excluded.exported_at, watermark = excluded.watermark,
  schema_version = excluded.schema_version, app_version = excluded.app_version,
  pii_mode = excluded.pii_mode
WHERE {newer}
"""


def _meta_text(ref: str) -> str:
    """A dealers row as the file merge's `_meta_key` writes a _meta (same order, same text)."""
    items = [f"coalesce(hq.py_isoformat({ref}.exported_at), '')"]
    items += [f"coalesce({ref}.{c}::text, '')" for c in ("dealer_name", "region", "city",
              "schema_version", "app_version", "pii_mode")]  # fmt: skip
    items.append(f"coalesce(hq.py_isoformat({ref}.watermark), '')")
    return f'(ARRAY[{", ".join(items)}]) COLLATE "C"'


_DEALER_SQL = _DEALER_SQL.replace("{newer}", f"{_meta_text('excluded')} > {_meta_text('d')}")

_CLAIM_SQL = """
INSERT INTO hq.loaded_files (sha256, file, dealer_code, schema_version, exported_at,
                             watermark, since, mode, pii_mode, rows, created, updated, unchanged)
VALUES (%(sha256)s, %(file)s, %(dealer_code)s, %(schema_version)s, %(exported_at)s,
        %(watermark)s, %(since)s, %(mode)s, %(pii_mode)s, 0, 0, 0, 0)
ON CONFLICT (sha256) DO NOTHING
RETURNING 1
"""


def _meta_params(meta: dict[str, Any]) -> dict[str, Any]:
    def when(key: str) -> Any:
        v = meta.get(key)
        return v if hasattr(v, "tzinfo") else None

    def txt(key: str) -> str | None:
        v = meta.get(key)
        return None if v is None else str(v)

    return {
        "dealer_code": str(meta["dealer_code"]),
        "dealer_name": txt("dealer_name"),
        "region": txt("dealer_region"),
        "city": txt("dealer_city"),
        "exported_at": when("exported_at"),
        "watermark": when("watermark"),
        "since": when("since"),
        "schema_version": meta.get("schema_version"),
        "app_version": txt("app_version"),
        "pii_mode": txt("pii_mode"),
        "mode": txt("mode"),
    }


class Loader:
    """One connection to the warehouse, its staging tables made once; `load` per file."""

    def __init__(self, conn: Any) -> None:
        self.conn = conn
        conn.execute("SET TIME ZONE 'UTC'")
        with conn.transaction():
            for sheet in hw.SHEETS:
                conn.execute(
                    f"CREATE TEMP TABLE IF NOT EXISTS {_stage(sheet)} "
                    f"(LIKE {wh.table(sheet.name)}) ON COMMIT DELETE ROWS"
                )
        self._copy = {s.name: f"COPY {_stage(s)} ({_columns(s)}) FROM STDIN" for s in hw.SHEETS}
        self._upsert = {s.name: upsert_sql(s) for s in hw.SHEETS}
        self._upsert_dedupe = {s.name: upsert_sql(s, dedupe=True) for s in hw.SHEETS}
        self._affected = affected_sql()
        self._forget = [sql for s in hw.SHEETS if (sql := forget_sql(s))]
        self._forget_staged = [sql for s in hw.SHEETS if (sql := forget_sql(s, staged=True))]

    def load(self, path: Path, sha256: str, first: QueuedFile | None = None) -> LoadedFile:
        """Load one file (already known to be new to this run) — or say why not. `first`:
        the file as the read-ahead brings it, for the first try (a retry reads it again)."""
        import psycopg
        from psycopg import errors

        dedupe = False
        for attempt in range(RETRIES + 1):
            try:
                if first is not None and attempt == 0:
                    try:
                        return self._load(first, sha256, dedupe)
                    finally:
                        first.close()
                with hw.open_workbook(path) as reader:
                    return self._load(reader, sha256, dedupe)
            except hw.ContractError as exc:
                return LoadedFile(str(path), None, "rejected", str(exc))
            except errors.CardinalityViolation:
                dedupe = True  # the file repeats an id in a sheet: load its winning copies
            except (errors.DeadlockDetected, errors.SerializationFailure):
                if attempt == RETRIES:
                    raise
                time.sleep(0.05 * (attempt + 1))
            except psycopg.DataError as exc:
                # e.g. a NUL character in a text cell: no PostgreSQL text can hold it
                return LoadedFile(
                    str(path), None, "rejected", f"a value cannot be stored ({first_line(exc)})"
                )
        raise AssertionError("unreachable")  # pragma: no cover

    def _load(
        self, reader: hw.WorkbookReader | QueuedFile, sha256: str, dedupe: bool
    ) -> LoadedFile:
        conn = self.conn
        meta = _meta_params(reader.meta)
        code = meta["dealer_code"]
        with conn.transaction():
            claim = {**meta, "sha256": sha256, "file": reader.path.name}
            if conn.execute(_CLAIM_SQL, claim).fetchone() is None:
                return LoadedFile(str(reader.path), code, "already_loaded")
            rows = 0
            with conn.cursor() as cur:
                for sheet in hw.SHEETS:
                    with cur.copy(self._copy[sheet.name]) as copy:
                        for row in reader.rows(sheet):
                            copy.write_row(row)
                            rows += 1
            self._forget_erased(self._forget_staged)  # what is blank stays "unchanged"
            created = updated = 0
            upserts = self._upsert_dedupe if dedupe else self._upsert
            for sheet in hw.SHEETS:
                c, u = conn.execute(upserts[sheet.name]).fetchone()
                created += c
                updated += u
            conn.execute(_DEALER_SQL, meta)
            self._forget_erased(self._forget)
            unchanged = rows - created - updated
            conn.execute(
                "UPDATE hq.loaded_files SET rows = %s, created = %s, updated = %s, unchanged = %s "
                "WHERE sha256 = %s",
                (rows, created, updated, unchanged, sha256),
            )
        return LoadedFile(str(reader.path), code, "loaded", None, rows, created, updated, unchanged)

    def _forget_erased(self, statements: list[str]) -> None:
        """A tombstone is final (docs/hq-workbook.md, version 2): whatever the order of the
        files, an erased person's personal values are blanked in every sheet — those this
        file's tombstones name, and those a row of this file brings back. Run on the
        staged file before the upsert, and on the tables after it."""
        people = [str(p) for (p,) in self.conn.execute(self._affected)]
        if people:
            for sql in statements:
                self.conn.execute(sql, {"people": people})


def load_hq(
    files: Sequence[str | Path],
    url: str,
    *,
    progress: Progress | None = None,
    is_cancelled: IsCancelled | None = None,
) -> LoadReport:
    """Load dealers' HQ workbooks into the warehouse at `url` (migrated first if needed).

    Per file: `loaded`, `already_loaded` (its SHA-256 is in hq.loaded_files), `duplicate_file`
    (given twice in this run) or `rejected` with the reason (nothing of it kept). Files
    before a cancel stay loaded; is_cancelled() → Cancelled before the next file."""
    import psycopg

    t0 = time.perf_counter()
    results: list[LoadedFile] = []
    seen: set[str] = set()
    paths = [Path(f) for f in files]
    with wh.connect_warehouse(url, app=APP_NAME) as conn, ReadAhead(paths) as ahead:
        loader = Loader(conn)
        for i, path in enumerate(paths):
            if is_cancelled is not None and is_cancelled():
                raise Cancelled("load cancelled; the files before it are loaded")
            if progress is not None:
                progress(i, len(paths))
            item = ahead.next()
            if isinstance(item, Refused):
                results.append(LoadedFile(str(path), None, "rejected", item.error))
                continue
            if item.sha256 in seen:
                item.close()
                results.append(
                    LoadedFile(str(path), None, "duplicate_file", "the same file was given twice")
                )
                continue
            seen.add(item.sha256)
            try:
                results.append(loader.load(path, item.sha256, first=item))
            except psycopg.errors.InsufficientPrivilege as exc:
                raise DatabaseError(
                    code="warehouse_read_only", url=wh.safe_url(url), detail=first_line(exc)
                ) from None
            except psycopg.OperationalError as exc:  # the server went away mid-run
                loaded = sum(r.status == "loaded" for r in results)
                raise DatabaseError(
                    code="warehouse_lost",
                    url=wh.safe_url(url),
                    loaded=loaded,
                    detail=first_line(exc),
                ) from exc
    if progress is not None:
        progress(len(files), len(files))
    return LoadReport(wh.safe_url(url), results, round(time.perf_counter() - t0, 3))
