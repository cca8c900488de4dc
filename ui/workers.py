"""Work off the UI thread: a QRunnable Task with signals, and one single-thread write pool."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal


class TaskSignals(QObject):
    finished = Signal(object)  # the function's result
    failed = Signal(object)  # the exception it raised


class Task(QRunnable):
    """Runs `fn()` on a pool thread; `run()` never touches widgets (signals do, queued)."""

    def __init__(self, fn: Callable[[], Any]) -> None:
        super().__init__()
        self.fn = fn
        self.signals = TaskSignals()
        # The pool must not delete us before the queued signals reach their receivers.
        self.setAutoDelete(False)

    def run(self) -> None:
        try:
            result = self.fn()
        except Exception as exc:  # handed to the UI, which shows it translated
            self._emit(self.signals.failed, exc)
        else:
            self._emit(self.signals.finished, result)

    @staticmethod
    def _emit(signal: Any, value: object) -> None:
        # the app quit meanwhile (Qt deleted the signals): there is no one left to tell
        with contextlib.suppress(RuntimeError):
            signal.emit(value)


def make_write_pool() -> QThreadPool:
    """Writes go through one thread so that units of work never race each other."""
    pool = QThreadPool()
    pool.setMaxThreadCount(1)
    return pool


_running: set[Task] = set()


def submit(
    pool: QThreadPool,
    fn: Callable[[], Any],
    on_done: Callable[[Any], None] | None = None,
    on_error: Callable[[BaseException], None] | None = None,
) -> Task:
    """Start `fn` on `pool`; callbacks run on the UI thread. Keeps the task alive until done."""
    task = Task(fn)
    _running.add(task)

    def finished(result: object) -> None:
        _running.discard(task)
        if on_done:
            on_done(result)

    def failed(exc: object) -> None:
        _running.discard(task)
        if on_error:
            on_error(exc)  # type: ignore[arg-type]

    task.signals.finished.connect(finished)
    task.signals.failed.connect(failed)
    pool.start(task)
    return task
