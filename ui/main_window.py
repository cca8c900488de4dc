"""The main window only wires pages: a navigation list on the left, a stack on the right.

Pages are registered in PAGES (key, label, factory). A factory takes the AppContext and
returns a QWidget; areas that have not landed yet show a placeholder that says what
will come there (no dead buttons).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QByteArray,
    QCoreApplication,
    QSettings,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QStackedWidget,
    QStatusBar,
    QVBoxLayout,
    QWidget,
)

from ui.widgets.screen_fit import resize_within_screen

if TYPE_CHECKING:  # the data stack is imported after the window shows (fast start-up)
    from ui.context import AppContext


def _tr(text: str) -> str:
    return QCoreApplication.translate("MainWindow", text)


@dataclass(frozen=True)
class PageSpec:
    key: str
    label: str  # translated at display time (context "MainWindow")
    factory: str  # "module:callable" under ui.views, imported lazily
    placeholder: str  # shown while the page's area has not landed


PAGES: tuple[PageSpec, ...] = (
    PageSpec(
        "today",
        QT_TRANSLATE_NOOP("MainWindow", "Today"),
        "ui.views.today:TodayPage",
        QT_TRANSLATE_NOOP(
            "MainWindow",
            "Today's and this week's events with live counts, call lists "
            "behind schedule and owners to invite will appear here.",
        ),
    ),
    PageSpec(
        "events",
        QT_TRANSLATE_NOOP("MainWindow", "Events"),
        "ui.views.events:EventsPage",
        QT_TRANSLATE_NOOP("MainWindow", "Plan events here."),
    ),
    PageSpec(
        "calls",
        QT_TRANSLATE_NOOP("MainWindow", "Call lists"),
        "ui.views.call_lists:CallListsPage",
        QT_TRANSLATE_NOOP("MainWindow", "Butlers' invitation call lists per event."),
    ),
    PageSpec(
        "people",
        QT_TRANSLATE_NOOP("MainWindow", "People"),
        "ui.views.people:PeoplePage",
        QT_TRANSLATE_NOOP(
            "MainWindow",
            "Owners, prospects and members (one record per person), their "
            "vehicles, clubs and points will be managed here.",
        ),
    ),
    PageSpec(
        "checkin",
        QT_TRANSLATE_NOOP("MainWindow", "Check-in"),
        "ui.views.checkin:CheckinPage",
        QT_TRANSLATE_NOOP(
            "MainWindow",
            "The front-desk check-in screen (QR scanner, camera, walk-ins) will open here.",
        ),
    ),
    PageSpec(
        "reports",
        QT_TRANSLATE_NOOP("MainWindow", "Reports"),
        "ui.views.reports:ReportsPage",
        QT_TRANSLATE_NOOP(
            "MainWindow", "Event and community reports with charts and exports will appear here."
        ),
    ),
    PageSpec(
        "sync",
        QT_TRANSLATE_NOOP("MainWindow", "Sync"),
        "ui.views.sync:SyncPage",
        QT_TRANSLATE_NOOP(
            "MainWindow", "HQ exports, campaign packs and offline event packs will be handled here."
        ),
    ),
    PageSpec(
        "audit",
        QT_TRANSLATE_NOOP("MainWindow", "Audit log"),
        "ui.views.audit:AuditPage",
        QT_TRANSLATE_NOOP("MainWindow", "Who changed what and when (admins)."),
    ),
    PageSpec(
        "settings",
        QT_TRANSLATE_NOOP("MainWindow", "Settings"),
        "ui.views.settings:SettingsPage",
        QT_TRANSLATE_NOOP("MainWindow", "Dealer profile, language and desk settings."),
    ),
    # issue 15 (last, so every earlier page keeps its Ctrl+number)
    PageSpec(
        "perks",
        QT_TRANSLATE_NOOP("MainWindow", "Perks"),
        "ui.views.perks:PerksPage",
        QT_TRANSLATE_NOOP("MainWindow", "Partner perks redeemed with points, and vouchers."),
    ),
)


class PlaceholderPage(QWidget):
    def __init__(self, title: str, text: str) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        heading = QLabel(title)
        heading.setObjectName("pageTitle")
        body = QLabel(text)
        body.setWordWrap(True)
        body.setObjectName("placeholderText")
        layout.addWidget(heading)
        layout.addWidget(body)
        layout.addStretch(1)


def _load_factory(path: str) -> Callable[[AppContext], QWidget] | None:
    module_name, _, attr = path.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name == module_name:
            return None
        raise
    return getattr(module, attr)


class MainWindow(QMainWindow):
    """The shell. Built either with an open AppContext, or first without one (start-up
    shows the window at once and `attach`es the context once the database is open)."""

    ready = Signal()  # the database is attached and the current page is built

    def __init__(self, ctx: AppContext | None = None, settings: QSettings | None = None) -> None:
        super().__init__()
        self.ctx: AppContext | None = None
        self.settings = ctx.settings if ctx is not None else settings
        if self.settings is None:
            raise ValueError("MainWindow needs an AppContext or QSettings")
        self.setObjectName("mainWindow")
        self.setWindowTitle("Paddock")
        resize_within_screen(self, 1280, 800)
        self.nav = QListWidget()
        self.nav.setObjectName("nav")
        self.nav.setFixedWidth(180)
        self.nav.setIconSize(QSize(20, 20))
        self.stack = QStackedWidget()
        self.pages: dict[str, QWidget] = {}
        for n, spec in enumerate(PAGES, start=1):
            item = QListWidgetItem(_tr(spec.label))
            item.setData(Qt.ItemDataRole.UserRole, spec.key)
            self.nav.addItem(item)
            self.stack.addWidget(QWidget())  # built on first visit (fast start-up)
            if n <= 9:  # Ctrl+1 … Ctrl+9; later pages are reached from the list
                item.setToolTip(f"Ctrl+{n}")
                shortcut = QShortcut(QKeySequence(f"Ctrl+{n}"), self)
                shortcut.activated.connect(lambda row=n - 1: self.nav.setCurrentRow(row))
        central = QWidget()
        row = QHBoxLayout(central)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addWidget(self.nav)
        row.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.dealer_label = QLabel()
        self.db_label = QLabel(QCoreApplication.translate("MainWindow", "Opening the database…"))
        self.db_label.setObjectName("statusDatabase")
        status = QStatusBar()
        status.addWidget(self.dealer_label)
        status.addPermanentWidget(self.db_label)
        self.setStatusBar(status)
        geometry = self.settings.value("window/geometry")
        if isinstance(geometry, QByteArray | bytes):
            self.restoreGeometry(QByteArray(geometry))
        self.nav.currentRowChanged.connect(self._show_row)
        start = str(self.settings.value("window/page", "") or "")
        keys = [spec.key for spec in PAGES]
        self.nav.blockSignals(True)  # pages are built once the context is there
        self.nav.setCurrentRow(keys.index(start) if start in keys else 0)
        self.nav.blockSignals(False)
        if ctx is not None:
            self.attach(ctx)

    def attach(self, ctx: AppContext) -> None:
        """The database is open: show the dealer and build the current page."""
        self.ctx = ctx
        self.settings = ctx.settings
        self.update_status()
        self._show_row(self.nav.currentRow())
        self.ready.emit()

    def update_status(self) -> None:
        """Dealer and database in the title and status bar (after setup or profile edits)."""
        if self.ctx is None:
            return
        dealer = self.ctx.dealer()
        self.setWindowTitle(f"Paddock — {dealer.name}" if dealer else "Paddock")
        self.dealer_label.setText(f"{dealer.code} · {dealer.name}" if dealer else "")
        where = self.ctx.db.path
        self.db_label.setText(
            QCoreApplication.translate("MainWindow", "Database: %1").replace(
                "%1", where.name if where else _server(self.ctx.db.url)
            )
        )
        self.db_label.setToolTip(str(where) if where else _server(self.ctx.db.url))

    def _show_row(self, row: int) -> None:
        if row < 0 or self.ctx is None:
            return
        spec = PAGES[row]
        page = self.pages.get(spec.key)
        if page is None:
            factory = _load_factory(spec.factory)
            page = (
                factory(self.ctx)
                if factory
                else PlaceholderPage(_tr(spec.label), _tr(spec.placeholder))
            )
            old = self.stack.widget(row)
            self.stack.removeWidget(old)
            old.deleteLater()
            self.stack.insertWidget(row, page)
            self.pages[spec.key] = page
        self.stack.setCurrentIndex(row)

    def show_page(self, key: str) -> QWidget:
        """Switch to a page by key (also used by tests and other pages' links)."""
        row = next(i for i, spec in enumerate(PAGES) if spec.key == key)
        self.nav.setCurrentRow(row)
        return self.pages[key]

    def set_kiosk(self, on: bool) -> None:
        """Kiosk desk: only the check-in page is reachable (the services refuse the rest)."""
        for row, spec in enumerate(PAGES):
            self.nav.item(row).setHidden(on and spec.key != "checkin")
        if on:
            self.show_page("checkin")

    def closeEvent(self, event: QCloseEvent) -> None:
        assert self.settings is not None
        self.settings.setValue("window/geometry", self.saveGeometry())
        current = self.nav.currentRow()
        if current >= 0:
            self.settings.setValue("window/page", PAGES[current].key)
        self.settings.sync()
        super().closeEvent(event)


def _server(url: str) -> str:
    """A server URL without its password, for the status bar."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    return f"{parsed.host or ''}/{parsed.database or ''}"
