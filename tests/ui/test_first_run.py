"""First start: the coordinator sets up the dealership (optionally with demo data), then
finds the main window with its pages, status bar and shortcuts."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from desktop_app.services.dealer import get_dealer
from desktop_app.store.db import Database
from tests.ui.helpers import app_context, event_count, type_text
from ui.context import AppContext
from ui.main_window import PAGES, MainWindow, PlaceholderPage
from ui.views import setup
from ui.views.setup import SetupDialog, ensure_dealer


@pytest.fixture
def ctx(sqlite_db: Database, tmp_path: Path) -> Iterator[AppContext]:
    with app_context(sqlite_db, tmp_path) as c:
        yield c


def test_a_bad_dealer_code_is_explained_and_nothing_is_saved(qtbot: QtBot, ctx: AppContext) -> None:
    dialog = SetupDialog(ctx)
    qtbot.addWidget(dialog)
    type_text(qtbot, dialog.code, "上海 21")
    type_text(qtbot, dialog.name, "星辰汽车")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.fields["dealer_code"].message.text().startswith("Dealer code: use 2–32 letters")
    assert get_dealer(ctx.db) is None
    assert dialog.result() != QDialog.DialogCode.Accepted


def test_setting_up_the_dealer_saves_it_and_the_language(qtbot: QtBot, ctx: AppContext) -> None:
    dialog = SetupDialog(ctx)
    qtbot.addWidget(dialog)
    type_text(qtbot, dialog.code, "sh-0021")
    type_text(qtbot, dialog.name, "上海浦东星辰汽车")
    type_text(qtbot, dialog.city, "上海")
    dialog.language.setCurrentIndex(dialog.language.findData("zh"))
    assert dialog.language_note.isVisibleTo(dialog)  # applies on restart, and says so
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted
    dealer = get_dealer(ctx.db)
    assert dealer is not None and (dealer.code, dealer.city) == ("SH-0021", "上海")
    assert ctx.settings.value("ui/language") == "zh"
    assert event_count(ctx.db) == 0


def test_demo_data_is_filled_in_the_background(qtbot: QtBot, ctx: AppContext) -> None:
    dialog = SetupDialog(ctx)
    qtbot.addWidget(dialog)
    type_text(qtbot, dialog.code, "SH-0021")
    type_text(qtbot, dialog.name, "Star Motors")
    dialog.demo.setChecked(True)
    with qtbot.waitSignal(dialog.accepted, timeout=30_000):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
        assert dialog.busy.isVisibleTo(dialog) and not dialog.buttons.isEnabled()
    assert event_count(ctx.db) >= 8


def test_an_existing_dealer_skips_the_dialog(
    ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    from desktop_app.services.dealer import init_dealer

    init_dealer(ctx.db, "SH-0021", "星辰汽车")
    monkeypatch.setattr(SetupDialog, "exec", lambda self: pytest.fail("dialog shown"))
    assert ensure_dealer(ctx) is True


def test_quitting_the_setup_returns_false(ctx: AppContext, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(setup.SetupDialog, "exec", lambda self: QDialog.DialogCode.Rejected)
    assert ensure_dealer(ctx) is False
    assert get_dealer(ctx.db) is None


@pytest.fixture
def window(qtbot: QtBot, ctx: AppContext) -> MainWindow:
    from desktop_app.services.dealer import init_dealer

    init_dealer(ctx.db, "SH-0021", "星辰汽车", "上海")
    w = MainWindow(ctx)
    qtbot.addWidget(w)
    w.show()
    return w


def test_main_window_has_every_page_and_shows_the_dealer(window: MainWindow) -> None:
    keys = [spec.key for spec in PAGES]
    assert window.nav.count() == len(PAGES)
    for key in ("today", "events", "calls", "people", "checkin", "reports", "sync", "settings"):
        assert key in keys
    assert "星辰汽车" in window.windowTitle()
    assert window.dealer_label.text() == "SH-0021 · 星辰汽车"
    assert "paddock.sqlite" in window.db_label.text()


def test_ctrl_number_switches_pages_and_builds_them_once(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert window.nav.currentRow() == 1
    events_page = window.pages["events"]
    settings_row = [spec.key for spec in PAGES].index("settings")
    qtbot.keyClick(window, Qt.Key(Qt.Key.Key_1 + settings_row), Qt.KeyboardModifier.ControlModifier)
    assert type(window.pages["settings"]).__name__ == "SettingsPage"
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert window.pages["events"] is events_page


def test_pages_not_built_yet_say_what_will_come(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ui import main_window

    monkeypatch.setattr(main_window, "_load_factory", lambda _path: None)
    page = window.show_page("sync")
    assert isinstance(page, PlaceholderPage)
    texts = " ".join(label.text() for label in page.findChildren(type(window.dealer_label)))
    assert "HQ exports" in texts


def test_window_geometry_and_page_are_remembered(
    qtbot: QtBot, window: MainWindow, ctx: AppContext
) -> None:
    window.resize(720, 530)  # inside the offscreen 800×600 screen
    window.show_page("settings")
    window.close()
    again = MainWindow(ctx)
    qtbot.addWidget(again)
    assert (again.width(), again.height()) == (720, 530)
    assert again.nav.currentRow() == [p.key for p in PAGES].index("settings")


def test_settings_page_edits_the_profile_and_keeps_the_code(
    qtbot: QtBot, window: MainWindow, ctx: AppContext
) -> None:
    page = window.show_page("settings")
    assert page.code.isReadOnly() and page.code.text() == "SH-0021"  # type: ignore[attr-defined]
    page.name.clear()  # type: ignore[attr-defined]
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    assert "is required" in page.fields["dealer_name"].message.text()  # type: ignore[attr-defined]
    type_text(qtbot, page.name, "星辰汽车浦东店")  # type: ignore[attr-defined]
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    assert get_dealer(ctx.db).name == "星辰汽车浦东店"  # type: ignore[union-attr]
    assert "星辰汽车浦东店" in window.dealer_label.text()
    page.language.setCurrentIndex(page.language.findData("zh"))  # type: ignore[attr-defined]
    assert ctx.settings.value("ui/language") == "zh"
    assert "Restart" in page.language_note.text()  # type: ignore[attr-defined]
    assert page.db_label.text() == str(ctx.db.path)  # type: ignore[attr-defined]


def test_start_shows_the_window_at_once_then_attaches_the_database(
    qtbot: QtBot, sqlite_db: Database, paddock_home: Path
) -> None:
    from desktop_app.services.dealer import init_dealer
    from ui.app import start

    init_dealer(sqlite_db, "SH-0021", "星辰汽车")
    _app, window, code = start(sqlite_db.url)
    qtbot.addWidget(window)
    assert code == 0 and window.isVisible()
    with qtbot.waitSignal(window.ready, timeout=30_000):
        pass  # the database opens on a pool thread
    assert window.ctx is not None and window.dealer_label.text().startswith("SH-0021")
    assert window.pages  # the remembered (or first) page is built
    window.ctx.pool.waitForDone(5000)


def test_start_on_a_file_that_is_not_a_database_says_so(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QApplication, QMessageBox

    from ui.app import start

    shown: list[str] = []
    exits: list[int] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda _p, _t, text, *a, **k: shown.append(text))
    # a real exit() would leave every later test's event loops dead: record it instead
    monkeypatch.setattr(QApplication, "exit", staticmethod(lambda code=0: exits.append(code)))
    notes = tmp_path / "notes.txt"
    notes.write_text("not a database", encoding="utf-8")
    _app, window, _ = start(str(notes))
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: bool(shown), timeout=30_000)
    assert "not a Paddock database" in shown[0]
    assert window.ctx is None and not window.isVisible()
    assert exits == [1], "the app quits with exit code 1"


def test_the_window_paints_before_the_data_stack_is_imported(tmp_path: Path) -> None:
    """Start-up budget: SQLAlchemy/Alembic take ~1 s to import; the shell must not wait."""
    import os
    import subprocess
    import sys

    code = (
        "import sys\n"
        "import ui.app\n"
        "ui.app.submit = lambda *a, **k: None  # keep the database closed\n"
        "app, window, _ = ui.app.start('unused.sqlite')\n"
        "assert window.isVisible()\n"
        "heavy = sorted(m for m in ('sqlalchemy', 'alembic') if m in sys.modules)\n"
        "print('heavy:', heavy)\n"
    )
    root = Path(__file__).resolve().parents[2]
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "PADDOCK_HOME": str(tmp_path),
    }
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=root, env=env, capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 0, out.stderr
    assert "heavy: []" in out.stdout


def test_paddock_lang_zh_opens_the_window_in_chinese_whatever_was_saved(tmp_path: Path) -> None:
    """`paddock --lang zh` on a desk whose saved language (or system locale) is English."""
    import os
    import subprocess
    import sys

    code = (
        "import ui.app\n"
        "from ui.app import make_settings\n"
        "make_settings().setValue('ui/language', 'en')\n"
        "ui.app.submit = lambda *a, **k: None  # keep the database closed\n"
        "app, window, _ = ui.app.start('unused.sqlite', 'zh')\n"
        "print('nav:', [window.nav.item(i).text() for i in range(3)])\n"
    )
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PADDOCK_HOME": str(tmp_path)}
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=root, env=env, capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 0, out.stderr
    assert "nav: ['今日', '活动', '邀约名单']" in out.stdout, out.stdout
