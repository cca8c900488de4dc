"""the desk's points read from the index: person_id, kind, delta (issue 17)

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-08 09:00:00.000000

Every scan reads the guest's balance and the points their tier counts (two sums over their
ledger rows). ix_points_ledger_person_balance holds person_id, kind and delta, so both sums
come from the index alone; it replaces ix_points_ledger_person_id (its leading column
serves every look-up that one did).
"""

from __future__ import annotations

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("points_ledger", schema=None) as batch_op:
        batch_op.create_index(
            "ix_points_ledger_person_balance", ["person_id", "kind", "delta"], unique=False
        )
        batch_op.drop_index("ix_points_ledger_person_id")


def downgrade() -> None:
    with op.batch_alter_table("points_ledger", schema=None) as batch_op:
        batch_op.create_index("ix_points_ledger_person_id", ["person_id"], unique=False)
        batch_op.drop_index("ix_points_ledger_person_balance")
