"""When something unexpected happens in the app, the person at the desk sees what happened, what
to do and where the log is — and the log has the traceback for IT."""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import exc as sa_exc

from desktop_app.logging_setup import teardown_logging
from ui import errors


@pytest.fixture(autouse=True)
def _restore_hooks() -> object:
    saved = sys.excepthook
    yield
    sys.excepthook = saved
    teardown_logging()


def raise_and_catch(exc: BaseException) -> tuple[type[BaseException], BaseException, object]:
    try:
        raise exc
    except BaseException:
        t, e, tb = sys.exc_info()
        assert t is not None and e is not None
        return t, e, tb


def test_an_unexpected_error_shows_a_friendly_dialog_with_the_log_path(
    qtbot: object, paddock_home: Path
) -> None:
    shown: list[QMessageBox] = []
    log = errors.install_excepthook("en")
    assert log == paddock_home / "logs" / "paddock.log"
    t, e, tb = raise_and_catch(KeyError("event_id"))
    errors.handle_exception(t, e, tb, show=shown.append)  # type: ignore[arg-type]
    assert len(shown) == 1
    box = shown[0]
    assert "unexpected problem" in box.text()
    assert "Try again" in box.informativeText()
    assert str(log) in box.informativeText()
    assert box.icon() == QMessageBox.Icon.Critical
    logged = log.read_text(encoding="utf-8")
    assert "Traceback" in logged and "KeyError: 'event_id'" in logged


def test_a_locked_database_gets_its_own_sentence_instead_of_a_generic_one(
    qtbot: object, paddock_home: Path
) -> None:
    shown: list[QMessageBox] = []
    errors.install_excepthook("en")
    locked = sa_exc.OperationalError("INSERT …", {}, sqlite3.OperationalError("database is locked"))
    t, e, tb = raise_and_catch(locked)
    errors.handle_exception(t, e, tb, show=shown.append)  # type: ignore[arg-type]
    assert "busy" in shown[0].text()
    assert "unexpected" not in shown[0].text()


def test_the_hook_is_what_python_calls_for_uncaught_exceptions(
    qtbot: object, paddock_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[QMessageBox] = []
    real = errors.handle_exception
    monkeypatch.setattr(
        errors,
        "handle_exception",
        lambda t, e, tb, lang="en": real(t, e, tb, lang=lang, show=shown.append),
    )
    errors.install_excepthook("en")
    assert sys.excepthook is not sys.__excepthook__
    sys.excepthook(*raise_and_catch(RuntimeError("boom")))
    assert len(shown) == 1


def test_the_dialog_speaks_chinese_with_the_chinese_catalogue(
    qtbot: object, paddock_home: Path
) -> None:
    from PySide6.QtWidgets import QApplication

    from ui.app import install_translators

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    translators = install_translators(app, "zh")
    try:
        _, e, _ = raise_and_catch(ValueError("x"))
        box = errors.show_error_dialog(e, paddock_home / "logs" / "paddock.log", lang="zh")
        assert "意外问题" in box.text()
        assert "日志文件：" in box.informativeText()
    finally:
        for tr in translators:
            app.removeTranslator(tr)
