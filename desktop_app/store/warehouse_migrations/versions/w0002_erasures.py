"""HQ warehouse: erasure tombstones (workbook schema 2, issue 18)

Revision ID: w0002
Revises: w0001
Create Date: 2026-12-07 12:00:00.000000

The `erasures` sheet's table, and the indexes the loader uses to blank an erased person's
personal values in every sheet (hq_load: `forget`).
"""

from __future__ import annotations

from alembic import op

from desktop_app.store.warehouse import create_index, create_sheet_table, drop_index

revision = "w0002"
down_revision = "w0001"
branch_labels = None
depends_on = None

ERASURES = (
    ("id", "uuid", True),
    ("dealer_code", "text", True),
    ("updated_at", "datetime", True),
    ("created_at", "datetime", False),
    ("deleted", "bool", True),
    ("deleted_at", "datetime", False),
    ("person_id", "uuid", True),
    ("erased_at", "datetime", True),
    ("kind", "text", False),
)
# A person's rows, found by the person (registrations, vehicles, club_memberships have theirs).
INDEXES = (
    ("erasures", "person_id"),
    ("online_attendance", "person_id"),
    ("points_ledger", "person_id"),
    ("feedback", "person_id"),
    ("checkins", "registration_id"),
)


def upgrade() -> None:
    create_sheet_table(op, "erasures", ERASURES)
    for name, column in INDEXES:
        create_index(op, name, column)


def downgrade() -> None:
    for name, column in INDEXES:
        drop_index(op, name, column)
    op.execute('DROP TABLE hq."erasures"')
