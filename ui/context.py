"""What every page gets: the open database, settings and worker pools. Passed in, never global."""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QSettings, QThreadPool

from desktop_app.domain.timeutil import DEFAULT_TZ
from desktop_app.services.dealer import Dealer, get_dealer
from desktop_app.store.db import Database
from ui.workers import make_write_pool


@dataclass
class AppContext:
    db: Database
    settings: QSettings
    pool: QThreadPool = field(default_factory=QThreadPool)  # reads, reports, exports
    write_pool: QThreadPool = field(default_factory=make_write_pool)  # one writer at a time
    language: str = "en"  # "en" or "zh"

    def dealer(self) -> Dealer | None:
        return get_dealer(self.db)

    def dealer_name(self) -> str | None:
        d = self.dealer()
        return d.name if d else None

    def timezone(self) -> str:
        d = self.dealer()
        return d.timezone if d else DEFAULT_TZ
