"""The main window only wires pages: a navigation list on the left, a stack on the right.

Pages are registered in PAGES (key, label, factory). A factory takes the AppContext and
returns a QWidget; areas that have not landed yet show a placeholder that says what
will come there (no dead buttons).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QSize, Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ui.context import AppContext


def _tr(text: str) -> str:
    return QCoreApplication.translate("MainWindow", text)


@dataclass(frozen=True)
class PageSpec:
    key: str
    label: str  # translated at display time (context "MainWindow")
    factory: str  # "module:callable" under ui.views, imported lazily
    placeholder: str  # shown while the page's area has not landed


def QT_TRANSLATE_NOOP(_ctx: str, text: str) -> str:
    return text


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
        "settings",
        QT_TRANSLATE_NOOP("MainWindow", "Settings"),
        "ui.views.settings:SettingsPage",
        QT_TRANSLATE_NOOP("MainWindow", "Dealer profile, language and desk settings."),
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
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        dealer = ctx.dealer_name()
        self.setWindowTitle(f"Paddock — {dealer}" if dealer else "Paddock")
        self.resize(1280, 800)
        self.nav = QListWidget()
        self.nav.setObjectName("nav")
        self.nav.setFixedWidth(180)
        self.nav.setIconSize(QSize(20, 20))
        self.stack = QStackedWidget()
        self.pages: dict[str, QWidget] = {}
        for spec in PAGES:
            item = QListWidgetItem(_tr(spec.label))
            item.setData(Qt.ItemDataRole.UserRole, spec.key)
            self.nav.addItem(item)
            self.stack.addWidget(QWidget())  # built on first visit (fast start-up)
        central = QWidget()
        row = QHBoxLayout(central)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addWidget(self.nav)
        row.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.nav.currentRowChanged.connect(self._show_row)
        self.nav.setCurrentRow(0)

    def _show_row(self, row: int) -> None:
        if row < 0:
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
