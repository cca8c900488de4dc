"""The events table filter, per keystroke, on 2,000 events: our page (search box → proxy →
view repaint) against a plain QSortFilterProxyModel over a QStandardItemModel with the
same rows and the same repaint, measured in the same run."""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

from benchmarks.common import Figure, median

# Typed one key at a time, as a coordinator searching would; then erased key by key.
QUERIES = ("2026年", "开放日", "养护课堂", "浦东展厅", "HQ-2026", "#1999")


def _keystrokes() -> list[str]:
    texts: list[str] = []
    for q in QUERIES:
        texts += [q[: i + 1] for i in range(len(q))]
        texts += [q[:i] for i in range(len(q) - 1, -1, -1)]
    return texts


def run(quick: bool = False, events: int = 2_000) -> list[Figure]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    with tempfile.TemporaryDirectory() as tmp:
        os.environ.setdefault("PADDOCK_HOME", tmp)
        return _measure(Path(tmp), events, rounds=1 if quick else 3)


def _measure(tmp: Path, events: int, rounds: int) -> list[Figure]:
    import random

    from PySide6.QtCore import QSettings, QSortFilterProxyModel, Qt
    from PySide6.QtGui import QStandardItem, QStandardItemModel
    from PySide6.QtWidgets import QApplication, QTableView

    from benchmarks import datagen
    from desktop_app.services import events as event_service
    from desktop_app.store.db import open_database
    from ui.app import make_app
    from ui.context import AppContext
    from ui.models.events_model import COL_TITLE
    from ui.views.events import EventsPage

    app = make_app()
    db = open_database(str(tmp / "bench.sqlite"))
    rnd = random.Random(7)
    made = datagen.Made()
    with db.engine.begin() as conn:
        datagen.make_dealer(conn, rnd)
        datagen.make_events(conn, rnd, made, events)
    ctx = AppContext(db=db, settings=QSettings(str(tmp / "b.ini"), QSettings.Format.IniFormat))
    page = EventsPage(ctx)
    page.resize(1300, 800)
    page.show()
    while page.loading:
        app.processEvents()
    assert page.model.rowCount() == events

    rows = event_service.list_events(db)
    plain = QStandardItemModel(len(rows), 8)
    for r, row in enumerate(rows):
        for c, text in enumerate(
            (row.title, row.type, row.format, row.status, str(row.starts_at), row.venue or "")
        ):
            plain.setItem(r, c, QStandardItem(text))
    proxy = QSortFilterProxyModel()
    proxy.setSourceModel(plain)
    proxy.setFilterKeyColumn(-1)  # all columns, like our haystack
    proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    view = QTableView()
    view.setModel(proxy)
    view.resize(1300, 800)
    view.show()

    ours: list[float] = []
    base: list[float] = []
    ours_cpu: list[float] = []
    base_cpu: list[float] = []
    for _ in range(rounds):
        for text in _keystrokes():
            t0, c0 = time.perf_counter(), time.process_time()
            page.search.setText(text)  # textChanged → proxy filter → view
            page.table.viewport().repaint()
            app.processEvents()
            ours.append((time.perf_counter() - t0) * 1000)
            ours_cpu.append((time.process_time() - c0) * 1000)
            t0, c0 = time.perf_counter(), time.process_time()
            proxy.setFilterFixedString(text)
            view.viewport().repaint()
            app.processEvents()
            base.append((time.perf_counter() - t0) * 1000)
            base_cpu.append((time.process_time() - c0) * 1000)
    assert page.proxy.index(0, COL_TITLE).isValid() or page.proxy.rowCount() == 0
    page.close()
    view.close()
    ctx.pool.waitForDone()
    db.close()
    QApplication.processEvents()
    ours.sort()
    return [
        Figure(
            f"events filter per keystroke ({events} events, median)",
            median(ours),
            median(base),
            max_value=30.0,
            note="baseline: QSortFilterProxyModel.setFilterFixedString on a QStandardItemModel",
        ),
        Figure(
            f"events filter per keystroke ({events} events, CPU time, median)",
            median(ours_cpu),
            median(base_cpu),
            max_value=30.0,
            note="process CPU time: what the keystroke costs without other load on the machine",
        ),
        Figure(
            f"events filter per keystroke ({events} events, 95th percentile)",
            ours[int(len(ours) * 0.95) - 1],
            sorted(base)[int(len(base) * 0.95) - 1],
            max_value=30.0,
        ),
    ]


if __name__ == "__main__":
    for f in run():
        print(f)
