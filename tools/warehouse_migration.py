"""Write HQ's warehouse's next migration: a table for each workbook sheet it lacks and a
column for each column it lacks (development only).

After adding a sheet or a column to desktop_app/io/hq_workbook.py:

    PADDOCK_TEST_PG_URL=postgresql://… .venv/bin/python tools/warehouse_migration.py "answers"

It migrates a scratch warehouse (the database named after PADDOCK_TEST_PG_URL's plus `_hq`,
its `hq` schema dropped first) to today's head, compares its tables with the contract and
writes desktop_app/store/warehouse_migrations/versions/wNNNN_<slug>.py. Read it, add
indexes for the new sheet's foreign ids (event_id, registration_id, person_id), commit it.
tests/integration/test_hq_warehouse.py fails until every sheet has its table.
"""

from __future__ import annotations

import os
import re
import sys
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import psycopg
from sqlalchemy.engine import make_url

from desktop_app.io import hq_workbook as hw
from desktop_app.store import warehouse as wh

TEMPLATE = '''"""HQ warehouse: {message}

Revision ID: {rev}
Revises: {down}
Create Date: {date}
"""

from __future__ import annotations

from alembic import op

from desktop_app.store.warehouse import PG_TYPES, create_index, create_sheet_table, drop_index, q

revision = "{rev}"
down_revision = "{down}"
branch_labels = None
depends_on = None

# (key, contract type, required) per column, as the workbook contract has them now.
SHEETS: dict[str, tuple[tuple[str, str, bool], ...]] = {{
{sheets}}}
COLUMNS: dict[str, tuple[tuple[str, str, bool], ...]] = {{{columns}}}
# (sheet, column): the new sheets' foreign ids (event_id, registration_id, person_id).
INDEXES: tuple[tuple[str, str], ...] = ()


def upgrade() -> None:
    for name, columns in SHEETS.items():
        create_sheet_table(op, name, columns)
    for name, columns in COLUMNS.items():
        for key, typ, _required in columns:  # added to existing rows: NULL there
            op.execute(f"ALTER TABLE hq.{{q(name)}} ADD COLUMN {{q(key)}} {{PG_TYPES[typ]}}")
    for name, column in INDEXES:
        create_index(op, name, column)


def downgrade() -> None:
    for name, column in INDEXES:
        drop_index(op, name, column)
    for name in SHEETS:
        op.execute(f"DROP TABLE hq.{{q(name)}}")
    for name, columns in COLUMNS.items():
        for key, _typ, _required in columns:
            op.execute(f"ALTER TABLE hq.{{q(name)}} DROP COLUMN {{q(key)}}")
'''


def _columns(cols: list[hw.Column]) -> str:
    return "".join(f'        ("{c.key}", "{c.type}", {not c.nullable}),\n' for c in cols)


def main(message: str) -> Path:
    base = os.environ.get("PADDOCK_TEST_PG_URL")
    if not base:
        raise SystemExit("set PADDOCK_TEST_PG_URL to a PostgreSQL URL you may create a database in")
    url = make_url(base).set(drivername="postgresql")
    name = f"{url.database}_hq"
    with psycopg.connect(url.render_as_string(hide_password=False), autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    target = url.set(database=name).render_as_string(hide_password=False)
    with psycopg.connect(target, autocommit=True) as conn:
        conn.execute("DROP SCHEMA IF EXISTS hq CASCADE")
    wh.migrate(target)
    with psycopg.connect(target) as conn:
        found: dict[str, set[str]] = {}
        for table, column in conn.execute(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = 'hq'"
        ):
            found.setdefault(table, set()).add(column)
    new_sheets = {s.name: list(s.columns) for s in hw.SHEETS if s.name not in found}
    new_columns = {
        s.name: [c for c in s.columns if c.key not in found[s.name]]
        for s in hw.SHEETS
        if s.name in found and any(c.key not in found[s.name] for c in s.columns)
    }
    if not new_sheets and not new_columns:
        raise SystemExit("the warehouse has every sheet and column of the contract already")
    head = wh.head_revision()
    rev = f"w{int(head[1:]) + 1:04d}"
    slug = re.sub(r"\W+", "_", message.lower()).strip("_")[:40]
    path = wh.MIGRATIONS_DIR / "versions" / f"{rev}_{slug}.py"
    path.write_text(
        TEMPLATE.format(
            message=message,
            rev=rev,
            down=head,
            date=datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S"),
            sheets="".join(f'    "{n}": (\n{_columns(c)}    ),\n' for n, c in new_sheets.items()),
            columns="".join(f'\n    "{n}": (\n{_columns(c)}    ),' for n, c in new_columns.items())
            + ("\n" if new_columns else ""),
        ),
        encoding="utf-8",
    )
    print(f"wrote {path}: tables {sorted(new_sheets)}, columns "
          f"{ {n: [c.key for c in cs] for n, cs in new_columns.items()} }")  # fmt: skip
    return path


if __name__ == "__main__":
    main(" ".join(sys.argv[1:]) or "new workbook sheets")
