"""HQ's warehouse: dealers' HQ workbooks in PostgreSQL, one table per workbook sheet.

Its schema (`hq`) has its own Alembic chain (store/warehouse_migrations, version table
`hq.warehouse_version`), separate from the dealer database's. docs/hq-warehouse.md
documents the tables for BI tools. `connect_warehouse` migrates an empty or older warehouse
(one process at a time: an advisory lock) and refuses one written by a newer Paddock.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop_app.domain.errors import DatabaseError, first_line
from desktop_app.io import hq_workbook as hw
from desktop_app.store.db import _revision_graph

if TYPE_CHECKING:
    import psycopg
    from alembic.config import Config

SCHEMA = "hq"
VERSION_TABLE = "warehouse_version"
MIGRATIONS_DIR = Path(__file__).with_name("warehouse_migrations")
# pg_advisory_xact_lock key: "paddock-hq" as an int, so two loaders never migrate at once.
_MIGRATE_LOCK = 0x7061_6464_6F63_6B68 & 0x7FFF_FFFF_FFFF_FFFF

# Contract column type → PostgreSQL type. Migrations create sheet tables with these
# (`create_sheet_table`); never change an existing entry (old migrations rely on it).
PG_TYPES: dict[str, str] = {
    hw.UUID: "uuid",
    hw.TEXT: "text",
    hw.INT: "bigint",
    hw.NUMBER: "double precision",
    hw.BOOL: "boolean",
    hw.DATETIME: "timestamptz",
    hw.DATE: "date",
}


def q(name: str) -> str:
    """A quoted identifier (column keys such as `type` or `format` are SQL words)."""
    return '"' + name.replace('"', '""') + '"'


def table(sheet: str) -> str:
    return f"{SCHEMA}.{q(sheet)}"


def create_sheet_table(op: Any, sheet: str, columns: Sequence[tuple[str, str, bool]]) -> None:
    """For migrations: the table of one workbook sheet — (key, contract type, required)
    per column, `id` the primary key. Adding a sheet to the contract = one migration
    calling this with the sheet's columns (and `create_index` for its foreign ids)."""
    cols = ",\n  ".join(
        f"{q(key)} {PG_TYPES[typ]}{' NOT NULL' if required else ''}"
        for key, typ, required in columns
    )
    op.execute(
        f"CREATE TABLE {table(sheet)} (\n  {cols},\n"
        f"  CONSTRAINT {q(f'pk_{sheet}')} PRIMARY KEY (id)\n)"
    )


def create_index(op: Any, sheet: str, column: str) -> None:
    """For migrations: the index `ix_<sheet>_<column>` on a sheet's table (joins, erasure)."""
    op.execute(f"CREATE INDEX {q(f'ix_{sheet}_{column}')} ON {table(sheet)} ({q(column)})")


def drop_index(op: Any, sheet: str, column: str) -> None:
    op.execute(f"DROP INDEX {SCHEMA}.{q(f'ix_{sheet}_{column}')}")


# --------------------------------------------------------------------------- tie rule


def _py_text(col: hw.Column, ref: str) -> str:
    """SQL giving the text the file merge's `_sortable` makes of one value (str() of it,
    isoformat() of a datetime, '' for None), so equal timestamps are broken alike."""
    c = f"{ref}.{q(col.key)}"
    if col.type == hw.TEXT:
        return f"coalesce({c}, '')"
    if col.type in (hw.UUID, hw.INT):
        return f"coalesce({c}::text, '')"
    if col.type == hw.BOOL:
        return f"CASE WHEN {c} THEN 'True' WHEN NOT {c} THEN 'False' ELSE '' END"
    if col.type == hw.DATETIME:
        return f"coalesce({SCHEMA}.py_isoformat({c}), '')"
    if col.type == hw.DATE:
        return f"coalesce(to_char({c}, 'YYYY-MM-DD'), '')"
    if col.type == hw.NUMBER:
        return f"coalesce({SCHEMA}.py_float_text({c}), '')"
    raise AssertionError(col.type)


def newer_sql(sheet: hw.Sheet, new: str = "excluded", old: str = "t") -> str:
    """The file merge's `newer(sheet, new, old)` as a SQL condition: a newer updated_at wins;
    on equal ones the row that sorts last as text, its values in `tie_order` (Python's str
    order = UTF-8 byte order, hence COLLATE "C")."""

    order = hw.tie_order(sheet)

    def row_text(ref: str) -> str:
        items = ", ".join(_py_text(sheet.columns[i], ref) for i in order)
        return f'(ARRAY[{items}]) COLLATE "C"'

    return (
        f"({new}.updated_at > {old}.updated_at OR ({new}.updated_at = {old}.updated_at "
        f"AND {row_text(new)} > {row_text(old)}))"
    )


# --------------------------------------------------------------------------- connecting


def conninfo(url: str) -> str:
    """A libpq URL from what a user types: postgresql://… or SQLAlchemy's
    postgresql+psycopg://…; anything else is refused with what to do instead."""
    m = re.match(r"^(postgres(?:ql)?)(\+\w+)?://", url)
    if not m:
        raise DatabaseError(code="warehouse_not_postgres", url=_safe(url))
    return "postgresql://" + url[m.end() :]


def _safe(url: str) -> str:
    """The URL without its password (for messages and reports)."""
    return re.sub(r"(://[^:/@]+):[^@/]*@", r"\1:***@", url)


safe_url = _safe


def _sqlalchemy_url(url: str) -> str:
    return "postgresql+psycopg://" + conninfo(url).removeprefix("postgresql://")


def alembic_config(url: str) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("sqlalchemy.url", _sqlalchemy_url(url).replace("%", "%%"))
    return cfg


@functools.cache
def _revisions() -> tuple[frozenset[str], str]:
    """(known revisions, head) of the warehouse chain, from its migration files."""
    graph = _revision_graph(MIGRATIONS_DIR)
    heads = set(graph) - {d for d in graph.values() if d}
    if len(heads) != 1:  # pragma: no cover - a packaging error
        raise DatabaseError(f"the warehouse migrations have {len(heads)} heads: {sorted(heads)}")
    return frozenset(graph), heads.pop()


def head_revision() -> str:
    return _revisions()[1]


def _current(conn: psycopg.Connection[Any]) -> tuple[str | None, bool]:
    """(revision stamped in the warehouse or None, whether schema `hq` exists)."""
    has_schema = conn.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", (SCHEMA,)).fetchone()
    if not has_schema:
        return None, False
    has_table = conn.execute(
        "SELECT 1 FROM pg_tables WHERE schemaname = %s AND tablename = %s",
        (SCHEMA, VERSION_TABLE),
    ).fetchone()
    if not has_table:
        return None, True
    row = conn.execute(f"SELECT version_num FROM {SCHEMA}.{VERSION_TABLE}").fetchone()
    return (row[0] if row else None), True


def _check_revision(rev: str | None, has_schema: bool, conn: psycopg.Connection[Any]) -> None:
    known, _head = _revisions()
    if rev is None and has_schema:
        n = conn.execute(
            "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = %s",
            (SCHEMA,),
        ).fetchone()
        if n and n[0]:
            raise DatabaseError(code="warehouse_foreign_schema", schema=SCHEMA)
    if rev is not None and rev not in known:
        raise DatabaseError(code="warehouse_newer", revision=rev)


def migrate(url: str) -> None:
    """Bring the warehouse at `url` to this app's schema (creating it in an empty database).
    Two loaders starting at once: the second waits for the first's migration and finds
    nothing left to do."""
    import psycopg

    with _connect(url) as conn:
        rev, has_schema = _current(conn)
        _check_revision(rev, has_schema, conn)
        if rev == head_revision():
            return
    from alembic import command
    from sqlalchemy import create_engine, text
    from sqlalchemy import exc as sa_exc
    from sqlalchemy.pool import NullPool

    engine = create_engine(_sqlalchemy_url(url), poolclass=NullPool)
    try:
        with engine.begin() as sa_conn:
            sa_conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _MIGRATE_LOCK})
            raw = sa_conn.connection.driver_connection
            assert isinstance(raw, psycopg.Connection)
            rev, has_schema = _current(raw)
            _check_revision(rev, has_schema, raw)
            if rev != head_revision():
                cfg = alembic_config(url)
                cfg.attributes["connection"] = sa_conn
                command.upgrade(cfg, "head")
    except sa_exc.DBAPIError as exc:  # e.g. a role that may not create the schema
        detail = str(exc.orig or exc).strip().splitlines()[0]
        raise DatabaseError(
            code="warehouse_cannot_migrate", url=_safe(url), detail=detail
        ) from None
    finally:
        engine.dispose()


def _connect(url: str, app: str = "paddock") -> psycopg.Connection[Any]:
    import psycopg

    try:
        # application_name: a DBA sees in pg_stat_activity which Paddock verb is connected
        return psycopg.connect(conninfo(url), autocommit=True, application_name=app)
    except psycopg.OperationalError as exc:
        raise DatabaseError(
            code="warehouse_unreachable", url=_safe(url), detail=first_line(exc)
        ) from None


@contextmanager
def connect_warehouse(
    url: str, *, upgrade: bool = True, app: str = "paddock"
) -> Iterator[psycopg.Connection[Any]]:
    """An autocommit psycopg connection to the warehouse at its current schema.

    upgrade=True (loading) migrates it first; upgrade=False (reading) refuses a warehouse
    that is missing or not at this app's schema, saying what to run."""
    if upgrade:
        migrate(url)
    conn = _connect(url, app)
    try:
        if not upgrade:
            rev, has_schema = _current(conn)
            _check_revision(rev, has_schema, conn)
            if rev is None:
                raise DatabaseError(code="warehouse_empty", url=_safe(url))
            if rev != head_revision():
                raise DatabaseError(
                    code="warehouse_needs_upgrade", revision=rev, head=head_revision()
                )
        yield conn
    finally:
        conn.close()
