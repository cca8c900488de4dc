"""The global exception hook: log the traceback, show a friendly dialog with what to do and the log path."""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QCoreApplication, QThread
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from desktop_app import APP_NAME
from desktop_app.faults import explain
from desktop_app.logging_setup import log_unexpected, setup_logging

_showing = False  # an error while the dialog is open must not stack dialogs


def error_texts(exc: BaseException, log: Path | None, lang: str = "en") -> tuple[str, str]:
    """(what happened, what to do + where the log is) in the UI language."""
    known = explain(exc)
    if known is not None:
        what = known.localized(lang)
        todo = QCoreApplication.translate(
            "ErrorDialog",
            "Your last change may not have been saved. Fix the cause above, then try again.",
        )
    else:
        what = QCoreApplication.translate(
            "ErrorDialog",
            "Paddock ran into an unexpected problem and could not finish what you asked.",
        )
        todo = QCoreApplication.translate(
            "ErrorDialog",
            "Your data saved before this moment is safe. Try again; if it happens again, "
            "restart Paddock and send the log file to your IT contact.",
        )
    unavailable = QCoreApplication.translate("ErrorDialog", "(not available)")
    where = QCoreApplication.translate("ErrorDialog", "Log file: %1").replace(
        "%1", str(log) if log else unavailable
    )
    return what, f"{todo}\n\n{where}"


def show_error_dialog(
    exc: BaseException, log: Path | None, parent: QWidget | None = None, lang: str = "en"
) -> QMessageBox:
    """Build and show (non-blocking for tests via `open()`; modal in the hook) the dialog."""
    what, todo = error_texts(exc, log, lang)
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle(
        QCoreApplication.translate("ErrorDialog", "%1 — something went wrong").replace(
            "%1", APP_NAME
        )
    )
    box.setText(what)
    box.setInformativeText(todo)
    box.setDetailedText(f"{type(exc).__name__}: {exc}")
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    box.setObjectName("paddock_error_dialog")
    return box


def handle_exception(
    exc_type: type[BaseException],
    exc: BaseException,
    tb: TracebackType | None,
    *,
    lang: str = "en",
    show: Callable[[QMessageBox], object] | None = None,
) -> None:
    """What the hook does; `show` is injectable so tests do not block on exec()."""
    global _showing
    if issubclass(exc_type, KeyboardInterrupt):
        sys.__excepthook__(exc_type, exc, tb)
        return
    if exc.__traceback__ is None and tb is not None:
        exc = exc.with_traceback(tb)
    log = log_unexpected(exc, "gui")
    app = QApplication.instance()
    on_gui_thread = app is not None and QThread.currentThread() == app.thread()
    if not on_gui_thread or _showing:
        print(f"paddock: unexpected error: {exc!r}; see {log}", file=sys.stderr)
        return
    _showing = True
    try:
        box = show_error_dialog(exc, log, QApplication.activeWindow(), lang)
        (show or (lambda b: b.exec()))(box)
    finally:
        _showing = False


def install_excepthook(lang: str = "en") -> Path | None:
    """Install for the main thread and for Python threads; returns the log file."""
    log = setup_logging("gui")

    def hook(t: type[BaseException], e: BaseException, tb: TracebackType | None) -> None:
        handle_exception(t, e, tb, lang=lang)

    def thread_hook(args: threading.ExceptHookArgs) -> None:
        if args.exc_value is not None:
            handle_exception(args.exc_type, args.exc_value, args.exc_traceback, lang=lang)

    sys.excepthook = hook
    threading.excepthook = thread_hook
    return log
