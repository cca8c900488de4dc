"""HQ warehouse: issue 15: fees, payments, partners, perks, redemptions

Revision ID: w0004
Revises: w0003
Create Date: 2026-12-07 13:00:15
"""

from __future__ import annotations

from alembic import op

from desktop_app.store.warehouse import PG_TYPES, create_index, create_sheet_table, drop_index, q

revision = "w0004"
down_revision = "w0003"
branch_labels = None
depends_on = None

# (key, contract type, required) per column, as the workbook contract has them now.
SHEETS: dict[str, tuple[tuple[str, str, bool], ...]] = {
    "fees": (
        ("id", "uuid", True),
        ("dealer_code", "text", True),
        ("updated_at", "datetime", True),
        ("created_at", "datetime", False),
        ("deleted", "bool", True),
        ("deleted_at", "datetime", False),
        ("event_id", "uuid", True),
        ("label", "text", True),
        ("amount_cents", "int", True),
        ("split", "text", True),
        ("per_unit", "bool", False),
        ("subsidy_cents", "int", False),
        ("position", "int", False),
    ),
    "payments": (
        ("id", "uuid", True),
        ("dealer_code", "text", True),
        ("updated_at", "datetime", True),
        ("created_at", "datetime", False),
        ("deleted", "bool", True),
        ("deleted_at", "datetime", False),
        ("nonce", "uuid", True),
        ("event_id", "uuid", True),
        ("registration_id", "uuid", True),
        ("person_id", "uuid", True),
        ("kind", "text", True),
        ("amount_cents", "int", True),
        ("method", "text", False),
        ("reference", "text", False),
        ("taken_by", "text", False),
        ("staff_id", "uuid", False),
        ("taken_at", "datetime", True),
        ("receipt_no", "text", False),
        ("corrects_id", "uuid", False),
        ("note", "text", False),
    ),
    "partners": (
        ("id", "uuid", True),
        ("dealer_code", "text", True),
        ("updated_at", "datetime", True),
        ("created_at", "datetime", False),
        ("deleted", "bool", True),
        ("deleted_at", "datetime", False),
        ("name", "text", True),
        ("contact", "text", False),
        ("city", "text", False),
    ),
    "perks": (
        ("id", "uuid", True),
        ("dealer_code", "text", True),
        ("updated_at", "datetime", True),
        ("created_at", "datetime", False),
        ("deleted", "bool", True),
        ("deleted_at", "datetime", False),
        ("partner_id", "uuid", True),
        ("name", "text", True),
        ("points", "int", True),
        ("stock", "int", True),
        ("issued", "int", False),
        ("min_tier", "text", False),
        ("per_person_limit", "int", False),
        ("valid_from", "date", False),
        ("valid_until", "date", False),
        ("active", "bool", False),
    ),
    "redemptions": (
        ("id", "uuid", True),
        ("dealer_code", "text", True),
        ("updated_at", "datetime", True),
        ("created_at", "datetime", False),
        ("deleted", "bool", True),
        ("deleted_at", "datetime", False),
        ("perk_id", "uuid", True),
        ("person_id", "uuid", True),
        ("points", "int", True),
        ("valid_until", "datetime", False),
        ("consumed_at", "datetime", False),
        ("consumed_by", "text", False),
        ("cancelled_at", "datetime", False),
        ("cancel_reason", "text", False),
    ),
}
COLUMNS: dict[str, tuple[tuple[str, str, bool], ...]] = {}
# An event's cost items and payments, a registration's and a person's payments, a perk's
# and a person's vouchers (the erasure pass finds a person's rows by person_id).
INDEXES = (
    ("fees", "event_id"),
    ("payments", "event_id"),
    ("payments", "registration_id"),
    ("payments", "person_id"),
    ("perks", "partner_id"),
    ("redemptions", "perk_id"),
    ("redemptions", "person_id"),
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
