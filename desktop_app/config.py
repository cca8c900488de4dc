"""Where Paddock keeps its files. PADDOCK_HOME overrides everything (tests, demos, portable use)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

APP_DIR_NAME = "Paddock"


def resource_path(*parts: str) -> Path:
    """A bundled file under resources/ (from a checkout, and inside the PyInstaller bundle)."""
    base = Path(getattr(sys, "_MEIPASS", Path(__file__).resolve().parent.parent))
    return base.joinpath("resources", *parts)


def _home_override() -> Path | None:
    home = os.environ.get("PADDOCK_HOME")
    return Path(home) if home else None


def data_dir() -> Path:
    base = _home_override() or Path(platformdirs.user_data_dir(APP_DIR_NAME, appauthor=False))
    base.mkdir(parents=True, exist_ok=True)
    return base


def config_dir() -> Path:
    home = _home_override()
    base = (
        home / "config"
        if home
        else Path(platformdirs.user_config_dir(APP_DIR_NAME, appauthor=False))
    )
    base.mkdir(parents=True, exist_ok=True)
    return base


def log_dir() -> Path:
    home = _home_override()
    base = home / "logs" if home else Path(platformdirs.user_log_dir(APP_DIR_NAME, appauthor=False))
    base.mkdir(parents=True, exist_ok=True)
    return base


def backup_dir() -> Path:
    base = data_dir() / "backups"
    base.mkdir(parents=True, exist_ok=True)
    return base


def default_db_path() -> Path:
    return data_dir() / "paddock.sqlite"


def database_url(explicit: str | None = None) -> str:
    """The database to open: --db, else PADDOCK_DB, else the SQLite file in the data dir.

    A bare path becomes a SQLite URL; anything with '://' is taken as a SQLAlchemy URL.
    """
    target = explicit or os.environ.get("PADDOCK_DB") or str(default_db_path())
    if "://" in target:
        return target
    return f"sqlite:///{Path(target).expanduser().resolve()}"
