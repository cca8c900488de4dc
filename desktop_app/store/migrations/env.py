"""Alembic environment; configured in code (see store/db.py) so it works in the bundle."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from desktop_app.store.models import Base, UTCDateTime

target_metadata = Base.metadata
cfg = context.config


def _render_item(type_: str, obj: object, _ctx: object) -> str | bool:
    # Migrations must not depend on today's models module: store UTCDateTime as DateTime.
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime()"
    return False


def _run(connection: object) -> None:
    context.configure(
        connection=connection,  # type: ignore[arg-type]
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
        render_item=_render_item,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = cfg.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    engine = create_engine(cfg.get_main_option("sqlalchemy.url") or "sqlite://")
    with engine.begin() as conn:
        _run(conn)
