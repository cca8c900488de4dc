"""What every page gets: the open database, settings and a worker pool. Passed in, never global."""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QSettings, QThreadPool

from desktop_app.services.dealer import get_dealer
from desktop_app.store.db import Database


@dataclass
class AppContext:
    db: Database
    settings: QSettings
    pool: QThreadPool = field(default_factory=QThreadPool)
    language: str = "en"  # "en" or "zh"

    def dealer_name(self) -> str | None:
        d = get_dealer(self.db)
        return d.name if d else None
