"""staff: e-mail (issue 13)

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 10:00:00.000000

An attendance import leaves the dealership's own people out of the attendees; it knows
them by name, phone and — with this column — the e-mail they join Zoom with.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("staff", schema=None) as batch_op:
        batch_op.add_column(sa.Column("email", sa.String(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("staff", schema=None) as batch_op:
        batch_op.drop_column("email")
