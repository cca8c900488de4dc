"""Windows sized for a roomy screen, kept inside a small one (1366×768 dealer laptops)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
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


def free_height(widget: QWidget) -> int:
    """The height a window's contents may take on the widget's screen (frame excluded)."""
    screen = widget.screen() or QGuiApplication.primaryScreen()
    return screen.availableGeometry().height() - FRAME_ALLOWANCE if screen else 10_000


def keep_within_screen(widget: QWidget) -> None:
    """A shown window that grew (a dialog showing its result): fit its new size to its
    contents, no larger than the screen's free area, and move it up or left so that all of
    it — the buttons at its bottom too — is on the screen."""
    screen = widget.screen() or QGuiApplication.primaryScreen()
    if screen is None:
        return
    free = screen.availableGeometry()
    QCoreApplication.sendPostedEvents()  # shown and re-captioned children polished first
    layout = widget.layout()
    if layout is not None:
        layout.activate()  # the size the contents just shown ask for
    hint = widget.sizeHint().expandedTo(widget.minimumSizeHint())
    width = min(max(widget.width(), hint.width()), free.width() - FRAME_ALLOWANCE // 2)
    if layout is not None and layout.hasHeightForWidth():  # wrapped text at this width
        hint.setHeight(max(hint.height(), layout.totalHeightForWidth(width)))
    height = min(max(widget.height(), hint.height()), free.height() - FRAME_ALLOWANCE)
    widget.resize(width, height)
    frame = widget.frameGeometry()
    extra_w, extra_h = frame.width() - widget.width(), frame.height() - widget.height()
    x = min(max(frame.x(), free.left()), free.right() + 1 - width - extra_w)
    y = min(max(frame.y(), free.top()), free.bottom() + 1 - height - extra_h)
    widget.move(max(x, free.left()), max(y, free.top()))
