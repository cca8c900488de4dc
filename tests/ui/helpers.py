"""Shared bits of the UI tests: an AppContext over a test database, and small data helpers."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

from PySide6.QtCore import QSettings, QTranslator
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QWidget
from sqlalchemy import func, select

from desktop_app.domain.timeutil import parse_local
from desktop_app.services import events
from desktop_app.services.events import EventDraft
from desktop_app.store.db import Database
from desktop_app.store.models import Event, Person, Registration
from ui.context import AppContext

START = parse_local("2026-12-05 09:30", "Asia/Shanghai")
assert START is not None


@contextmanager
def translated(language: str) -> Iterator[None]:
    """The app's Chinese catalogue installed while a "zh" test runs (nothing for "en")."""
    if language != "zh":
        yield
        return
    from tools.update_translations import QM

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    translator = QTranslator()
    assert translator.load(str(QM)), "compiled catalogue missing: run tools/update_translations.py"
    app.installTranslator(translator)
    try:
        yield
    finally:
        app.removeTranslator(translator)


@contextmanager
def app_context(db: Database, tmp_path: Path, language: str = "en") -> Iterator[AppContext]:
    settings = QSettings(str(tmp_path / "paddock.ini"), QSettings.Format.IniFormat)
    ctx = AppContext(db=db, settings=settings, language=language)
    try:
        yield ctx
    finally:
        ctx.pool.waitForDone(5000)
        ctx.write_pool.waitForDone(5000)


def event_count(db: Database) -> int:
    with db.read() as s:
        return (
            s.scalar(select(func.count()).select_from(Event).where(Event.deleted_at.is_(None))) or 0
        )


def plan(db: Database, title: str, kind: str = "open_day", status: str = "draft", days: int = 0):
    view = events.create_event(
        db,
        EventDraft(
            title=title,
            type=kind,
            starts_at=START + timedelta(days=days),
            ends_at=START + timedelta(days=days, hours=6),
            venue="浦东展厅",
            capacity=50,
        ),
    )
    path = {
        "draft": [],
        "published": ["published"],
        "closed": ["published", "closed"],
        "completed": ["published", "completed"],
        "cancelled": ["cancelled"],
    }[status]
    for step in path:
        view = events.set_status(db, view.id, step)
    return view


def register_people(db: Database, event_id: object, n: int) -> None:
    with db.write() as s:
        for i in range(n):
            person = Person(name=f"测试车主{i}", phone=f"+86138000000{i:02d}")
            s.add(person)
            s.flush()
            s.add(Registration(event_id=event_id, person_id=person.id, status="registered"))


def type_text(qtbot: object, widget: QWidget, text: str) -> None:
    """Type like a user: ASCII through key clicks, Chinese through the input method's commit
    (QTest's key clicks only know ASCII; an IME commits whole words the same way)."""
    chunk = ""
    for ch in text + "\0":
        if ch.isascii() and ch != "\0":
            if chunk and not chunk.isascii():
                _commit(widget, chunk)
                chunk = ""
            chunk += ch
        else:
            if chunk and chunk.isascii():
                qtbot.keyClicks(widget, chunk)  # type: ignore[attr-defined]
                chunk = ""
            if ch != "\0":
                chunk += ch
    if chunk:
        _commit(widget, chunk) if not chunk.isascii() else qtbot.keyClicks(widget, chunk)  # type: ignore[attr-defined]


def _commit(widget: QWidget, text: str) -> None:
    target = widget.focusProxy() or widget
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(target, event)
