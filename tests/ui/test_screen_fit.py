"""A dealer laptop's 1366×768 screen (and the offscreen test screen, 800×800) holds the
main window and the event editor whole: status bar, Save and Cancel on the screen."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QApplication

from desktop_app.store.db import Database
from tests.ui.helpers import app_context
from ui.main_window import MainWindow
from ui.views.event_editor import EventEditor


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
