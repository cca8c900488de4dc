"""Alembic environment of HQ's warehouse (schema `hq`, version table hq.warehouse_version).

A chain of its own, separate from the dealer database's (store/migrations); configured in
code by store/warehouse.py so that it works in the bundle.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine, text

SCHEMA = "hq"
VERSION_TABLE = "warehouse_version"
cfg = context.config


def _run(connection: object) -> None:
    connection.execute(text(f"CREATE SCHEMA IF NOT EXISTS {SCHEMA}"))  # type: ignore[attr-defined]
    context.configure(
        connection=connection,  # type: ignore[arg-type]
        version_table=VERSION_TABLE,
        version_table_schema=SCHEMA,
        transactional_ddl=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = cfg.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    engine = create_engine(cfg.get_main_option("sqlalchemy.url") or "")
    with engine.begin() as conn:
        _run(conn)
