"""personal data (issue 18): consent history, erasure tombstones, people.erased_at

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-10 09:00:00.000000

- consent_changes: every consent given or withdrawn, with when, how and by whom; the
  consents people already had are copied in as method "unknown" (given at the stored time).
- erasures: one tombstone per erased person (travels to HQ in the workbook's `erasures`
  sheet).
- people.erased_at: the person is an anonymous record since then.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def _travelling() -> list[sa.Column]:
    return [
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("origin_dealer", sa.String(length=32), nullable=True),
        sa.Column("origin_device", sa.String(length=64), nullable=True),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
    ]


def upgrade() -> None:
    op.create_table(
        "consent_changes",
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("given", sa.Boolean(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("method", sa.String(length=12), nullable=False),
        sa.Column("staff_id", sa.Uuid(), nullable=True),
        sa.Column("staff_name", sa.String(length=100), nullable=True),
        sa.Column("source", sa.String(length=200), nullable=True),
        *_travelling(),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_consent_changes_person_id_people")
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"], ["staff.id"], name=op.f("fk_consent_changes_staff_id_staff")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consent_changes")),
    )
    with op.batch_alter_table("consent_changes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_consent_changes_person_id"), ["person_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_consent_changes_updated_at"), ["updated_at"], unique=False
        )
    op.create_table(
        "erasures",
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.Column("erased_at", sa.DateTime(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("staff_id", sa.Uuid(), nullable=True),
        sa.Column("staff_name", sa.String(length=100), nullable=True),
        *_travelling(),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_erasures_person_id_people")
        ),
        sa.ForeignKeyConstraint(["staff_id"], ["staff.id"], name=op.f("fk_erasures_staff_id_staff")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_erasures")),
    )
    with op.batch_alter_table("erasures", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_erasures_person_id"), ["person_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_erasures_updated_at"), ["updated_at"], unique=False)
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.add_column(sa.Column("erased_at", sa.DateTime(), nullable=True))
    _backfill_consents()


def _backfill_consents() -> None:
    """Consents stored before the history existed: one 'given' row each (method unknown)."""
    bind = op.get_bind()
    people = sa.table(
        "people",
        sa.column("id", sa.Uuid()),
        sa.column("consent_marketing_at", sa.DateTime()),
        sa.column("consent_photos_at", sa.DateTime()),
        sa.column("origin_dealer", sa.String()),
        sa.column("origin_device", sa.String()),
    )
    changes = sa.table(
        "consent_changes",
        *(
            sa.column(n, t)
            for n, t in (
                ("id", sa.Uuid()),
                ("person_id", sa.Uuid()),
                ("kind", sa.String()),
                ("given", sa.Boolean()),
                ("at", sa.DateTime()),
                ("method", sa.String()),
                ("created_at", sa.DateTime()),
                ("updated_at", sa.DateTime()),
                ("origin_dealer", sa.String()),
                ("origin_device", sa.String()),
            )
        ),
    )
    now = datetime.now(UTC).replace(tzinfo=None)
    rows = []
    for pid, marketing, photos, dealer, device in bind.execute(
        sa.select(
            people.c.id,
            people.c.consent_marketing_at,
            people.c.consent_photos_at,
            people.c.origin_dealer,
            people.c.origin_device,
        ).where(
            sa.or_(
                people.c.consent_marketing_at.is_not(None), people.c.consent_photos_at.is_not(None)
            )
        )
    ):
        for kind, at in (("marketing", marketing), ("photos", photos)):
            if at is not None:
                rows.append(
                    {
                        "id": uuid.uuid4(),
                        "person_id": pid,
                        "kind": kind,
                        "given": True,
                        "at": at,
                        "method": "unknown",
                        "created_at": now,
                        "updated_at": now,
                        "origin_dealer": dealer,
                        "origin_device": device,
                    }
                )
        if len(rows) >= 5000:
            bind.execute(sa.insert(changes), rows)
            rows = []
    if rows:
        bind.execute(sa.insert(changes), rows)


def downgrade() -> None:
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.drop_column("erased_at")
    op.drop_table("erasures")
    op.drop_table("consent_changes")
