"""Regenerate the pre-release migrations from models.py (development only).

0001 holds the spine tables, 0002 everything else. Once a release has shipped, never
regenerate: add a new revision with `alembic revision --autogenerate` instead.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import MetaData

from desktop_app.store import models
from desktop_app.store.db import MIGRATIONS_DIR

SPINE = {"dealer_profile", "settings", "staff", "events", "class_sessions", "event_templates"}
VERSIONS = MIGRATIONS_DIR / "versions"


def _cfg(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("sqlalchemy.url", url)
    return cfg


def main() -> None:
    for f in VERSIONS.glob("*.py"):
        f.unlink()
    full = models.Base.metadata
    spine = MetaData(naming_convention=full.naming_convention)
    for name in sorted(SPINE):
        full.tables[name].to_metadata(spine)
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'gen.sqlite'}"
        models.Base.metadata = spine  # type: ignore[misc]
        try:
            command.revision(
                _cfg(url), "spine: dealer, staff, events", autogenerate=True, rev_id="0001"
            )
        finally:
            models.Base.metadata = full  # type: ignore[misc]
        command.upgrade(_cfg(url), "head")
        command.revision(
            _cfg(url),
            "community: people, registrations, scans, sync",
            autogenerate=True,
            rev_id="0002",
        )
    print("regenerated:", sorted(p.name for p in VERSIONS.glob("*.py")))


if __name__ == "__main__":
    main()
