"""HQ warehouse: issue 14: questions and answers

Revision ID: w0003
Revises: w0002
Create Date: 2026-12-07 12:46:31
"""

from __future__ import annotations

from alembic import op

from desktop_app.store.warehouse import PG_TYPES, create_index, create_sheet_table, drop_index, q

revision = "w0003"
down_revision = "w0002"
branch_labels = None
depends_on = None

# (key, contract type, required) per column, as the workbook contract has them now.
SHEETS: dict[str, tuple[tuple[str, str, bool], ...]] = {
    "questions": (
        ("id", "uuid", True),
        ("dealer_code", "text", True),
        ("updated_at", "datetime", True),
        ("created_at", "datetime", False),
        ("deleted", "bool", True),
        ("deleted_at", "datetime", False),
        ("event_id", "uuid", True),
        ("key", "text", True),
        ("label", "text", True),
        ("type", "text", False),
        ("choices", "text", False),
        ("required", "bool", False),
        ("at_signup", "bool", False),
        ("at_desk", "bool", False),
    ),
    "answers": (
        ("id", "uuid", True),
        ("dealer_code", "text", True),
        ("updated_at", "datetime", True),
        ("created_at", "datetime", False),
        ("deleted", "bool", True),
        ("deleted_at", "datetime", False),
        ("event_id", "uuid", True),
        ("registration_id", "uuid", True),
        ("question_id", "uuid", True),
        ("question_key", "text", True),
        ("value", "text", False),
        ("source", "text", False),
    ),
}
COLUMNS: dict[str, tuple[tuple[str, str, bool], ...]] = {}
# An event's questions, a registration's answers (the erasure pass finds a person's answers
# through their registrations).
INDEXES = (
    ("questions", "event_id"),
    ("answers", "event_id"),
    ("answers", "registration_id"),
)


def upgrade() -> None:
    for name, columns in SHEETS.items():
        create_sheet_table(op, name, columns)
    for name, columns in COLUMNS.items():
        for key, typ, _required in columns:  # added to existing rows: NULL there
            op.execute(f"ALTER TABLE hq.{q(name)} ADD COLUMN {q(key)} {PG_TYPES[typ]}")
    for name, column in INDEXES:
        create_index(op, name, column)


def downgrade() -> None:
    for name, column in INDEXES:
        drop_index(op, name, column)
    for name in SHEETS:
        op.execute(f"DROP TABLE hq.{q(name)}")
    for name, columns in COLUMNS.items():
        for key, _typ, _required in columns:
            op.execute(f"ALTER TABLE hq.{q(name)} DROP COLUMN {q(key)}")
