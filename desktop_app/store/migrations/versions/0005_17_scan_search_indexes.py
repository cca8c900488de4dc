"""scan and search at their floors: the desk's first-visit index (issue 17)

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07 10:00:00.000000

ix_registrations_person_checked_in: the check-in desk shows "first visit" when the person
has no other checked-in registration. The partial index (checked-in, live registrations
only) answers that from the index instead of reading every registration row of the person.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

CHECKED_IN = "checked_in_at IS NOT NULL AND deleted_at IS NULL"


def upgrade() -> None:
    with op.batch_alter_table("registrations", schema=None) as batch_op:
        batch_op.create_index(
            "ix_registrations_person_checked_in",
            ["person_id", "id"],
            unique=False,
            sqlite_where=sa.text(CHECKED_IN),
            postgresql_where=sa.text(CHECKED_IN),
        )


def downgrade() -> None:
    with op.batch_alter_table("registrations", schema=None) as batch_op:
        batch_op.drop_index("ix_registrations_person_checked_in")
