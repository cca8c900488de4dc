"""`paddock --self-test`: open the main window, wait until it has painted, exit 0 (installer smoke)."""

from __future__ import annotations

import sys
import time

from PySide6.QtCore import QEvent, QObject, QThreadPool, QTimer

TIMEOUT_MS = 20_000


class _PaintWatch(QObject):
    """Notes the first Paint event the main window receives."""

    def __init__(self) -> None:
        super().__init__()
        self.painted = False

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.painted = True
        return False


def run_self_test(db_url: str | None = None) -> int:
    """0 when the real start-up path showed the main window, painted it and attached the
    database (with translations and resources from wherever the app runs); 1 otherwise."""
    started = time.perf_counter()
    from ui import app as ui_app

    app, window, _ = ui_app.start(db_url)
    watch = _PaintWatch()
    window.installEventFilter(watch)
    window.update()  # the first paint may already be queued; ask for one we can see

    def check() -> None:
        if watch.painted and getattr(window, "ctx", None) is not None:
            app.quit()

    poll = QTimer()
    poll.timeout.connect(check)
    poll.start(50)
    QTimer.singleShot(TIMEOUT_MS, app.quit)
    code = app.exec()
    poll.stop()
    ctx = getattr(window, "ctx", None)
    elapsed = (time.perf_counter() - started) * 1000
    lang = ctx.language if ctx is not None else "?"
    translators = len(getattr(app, "_paddock_translators", []))
    window.close()
    QThreadPool.globalInstance().waitForDone(10_000)
    if ctx is not None:
        ctx.db.close()
    if not watch.painted or ctx is None:
        what = "not painted" if not watch.painted else "database not attached"
        print(f"self-test: FAILED ({what} within {TIMEOUT_MS} ms, exit {code})", file=sys.stderr)
        return 1
    from desktop_app.logging_setup import log_file

    print(
        f"self-test ok: main window painted and database attached in {elapsed:.0f} ms "
        f"(platform {app.platformName()}, language {lang}, {translators} translators, "
        f"log {log_file()})"
    )
    return 0
