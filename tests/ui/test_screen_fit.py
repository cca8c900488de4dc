"""A dealer laptop's 1366×768 screen (and the offscreen test screen, 800×800) holds the
main window and the event editor whole: status bar, Save and Cancel on the screen."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSize
from PySide6.QtWidgets import QApplication

from desktop_app.store.db import Database
from tests.ui.helpers import app_context, translated
from ui.main_window import PAGES, MainWindow
from ui.views.event_editor import EventEditor
from ui.widgets.screen_fit import FRAME_ALLOWANCE


def test_the_main_window_and_the_event_editor_open_inside_the_screen(
    qtbot: Any, dealer_sqlite: Database, tmp_path: Path
) -> None:
    free = QApplication.primaryScreen().availableGeometry()
    with app_context(dealer_sqlite, tmp_path) as ctx:
        window = MainWindow(ctx)
        qtbot.addWidget(window)
        editor = EventEditor(ctx)
        qtbot.addWidget(editor)
        for widget in (window, editor):
            assert widget.width() <= free.width() and widget.height() < free.height()


# A dealer laptop's 1366×768 screen less Windows 11's 48-px taskbar, and less the title
# bar and frame the window manager adds (FRAME_ALLOWANCE): the main window's room
LAPTOP_FREE = QSize(1366 - FRAME_ALLOWANCE // 2, 768 - 48 - FRAME_ALLOWANCE)


@pytest.mark.parametrize("language", ["en", "zh"])
def test_after_a_visit_to_every_page_the_main_window_still_fits_a_laptop_screen(
    qtbot: Any, dealer_sqlite: Database, tmp_path: Path, language: str
) -> None:
    """A clerk clicks through every page, the Check-in page too: the window's minimum
    size stays inside the laptop's screen, so the maximised window keeps its status bar
    and the Check-in page's Start desk and After the event on screen."""
    with translated(language), app_context(dealer_sqlite, tmp_path, language) as ctx:
        window = MainWindow(ctx)
        qtbot.addWidget(window)
        window.show()
        for spec in PAGES:
            window.show_page(spec.key)
            QApplication.processEvents()
            least = window.minimumSizeHint()
            assert least.height() <= LAPTOP_FREE.height(), (spec.key, least)
            assert least.width() <= LAPTOP_FREE.width(), (spec.key, least)
        page = window.show_page("checkin")
        window.resize(window.minimumSizeHint())
        QApplication.processEvents()
        for w in (page.start_button, page.events_list, page.sheet_button, page.scanner_button):
            assert w.isVisible() and page.rect().contains(w.mapTo(page, w.rect().bottomRight()))
