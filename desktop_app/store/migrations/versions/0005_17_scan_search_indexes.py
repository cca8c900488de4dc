"""scan and search at their floors: the desk's first-visit index, name characters (issue 17)

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07 10:00:00.000000

ix_registrations_person_checked_in: the check-in desk shows "first visit" when the person
has no other checked-in registration. The partial index (checked-in, live registrations
only) answers that from the index instead of reading every registration row of the person.

ix_people_name_chars (PostgreSQL): the People screen finds a name by any part as it is
typed, also by one or two characters (张, 晓明, li, wa). pg_trgm's index (0004) needs three
characters, and on a server whose ctype is plain C it keeps no trigrams of Chinese. This
GIN index holds the characters of each lower-cased name (`string_to_array(lower(name),
NULL)`, built in, no extension): `… @> '{l,i}'` finds the names holding every character
typed, and LIKE then checks that they are adjacent. SQLite needs none (its LIKE scan runs
in-process within the keystroke budget).
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
    if op.get_bind().dialect.name == "postgresql":
        # written as services/people.name_characters writes it: the planner matches it
        op.execute(
            "CREATE INDEX IF NOT EXISTS ix_people_name_chars "
            "ON people USING gin (string_to_array(lower(name), NULL))"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_people_name_chars")
    with op.batch_alter_table("registrations", schema=None) as batch_op:
        batch_op.drop_index("ix_registrations_person_checked_in")
