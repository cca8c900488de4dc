"""Windows sized for a roomy screen, kept inside a small one (1366×768 dealer laptops)."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

FRAME_ALLOWANCE = 40  # title bar and borders the window manager adds around the widget


def resize_within_screen(widget: QWidget, width: int, height: int) -> None:
    """`widget.resize(width, height)`, but no larger than the screen's free area (taskbar
    and frame excluded), so that a dialog's buttons and a window's status bar are never
    off-screen."""
    screen = widget.screen() or QGuiApplication.primaryScreen()
    if screen is not None:
        free = screen.availableGeometry()
        width = min(width, free.width() - FRAME_ALLOWANCE // 2)
        height = min(height, free.height() - FRAME_ALLOWANCE)
    widget.resize(width, height)
