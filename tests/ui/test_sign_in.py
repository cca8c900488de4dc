"""At a shared desk staff sign in with a PIN pad, the desk locks when idle, kiosk = check-in only."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop_app.services import audit_log, auth
from desktop_app.store.db import Database
from ui.context import AppContext
from ui.main_window import MainWindow
from ui.views.audit import AuditPage
from ui.views.sign_in import SessionGuard, install_sign_in

ADMIN_PIN, DESK_PIN = "246810", "1357"


@pytest.fixture(autouse=True)
def event_loops_run(qapp: QApplication) -> None:
    """An earlier test's app.exit() (ui.app.start failing) leaves Qt's quit flag set and
    every nested event loop returns at once: timers and worker results never arrive.
    QCoreApplication.exec() clears the flag when it returns."""
    QTimer.singleShot(0, qapp.quit)
    qapp.exec()


@pytest.fixture
def staffed(dealer_sqlite: Database) -> Database:
    auth.add_account(dealer_sqlite, "王店长", "admin", ADMIN_PIN)
    auth.bind(dealer_sqlite, auth.sign_in(dealer_sqlite, "王店长", ADMIN_PIN))
    auth.add_account(dealer_sqlite, "小李", "front_desk", DESK_PIN)
    auth.bind(dealer_sqlite, None)
    return dealer_sqlite


@pytest.fixture
def desk(
    staffed: Database, tmp_path: Path, qtbot: QtBot
) -> Iterator[tuple[MainWindow, AppContext]]:
    settings = QSettings(str(tmp_path / "paddock.ini"), QSettings.Format.IniFormat)
    settings.setValue("window/page", "audit")  # the last user was an admin on the audit page
    ctx = AppContext(db=staffed, settings=settings, language="en")
    window = MainWindow(settings=settings)
    qtbot.addWidget(window)
    window.show()
    install_sign_in(window, ctx, window.attach)
    yield window, ctx
    ctx.pool.waitForDone(5000)


def guard_of(window: MainWindow) -> SessionGuard:
    return window.session_guard  # type: ignore[attr-defined,no-any-return]


def type_pin(qtbot: QtBot, window: MainWindow, name: str, pin: str) -> None:
    panel = guard_of(window).gate.panel
    assert panel is not None
    panel.staff.setCurrentIndex(panel.staff.findData(name))
    for digit in pin:
        qtbot.mouseClick(panel.findChild(type(panel.ok), f"pad_{digit}"), Qt.MouseButton.LeftButton)
    qtbot.mouseClick(panel.ok, Qt.MouseButton.LeftButton)


def visible_pages(window: MainWindow) -> list[str]:
    return [
        window.nav.item(r).data(Qt.ItemDataRole.UserRole)
        for r in range(window.nav.count())
        if not window.nav.item(r).isHidden()
    ]


def test_nothing_shows_until_someone_signs_in(desk: tuple[MainWindow, AppContext]) -> None:
    window, _ = desk
    assert guard_of(window).gate.isVisible()
    assert window.ctx is None  # no page has loaded anyone's data yet


def test_a_wrong_pin_says_so_and_keeps_the_desk_covered(
    desk: tuple[MainWindow, AppContext], qtbot: QtBot
) -> None:
    window, _ = desk
    type_pin(qtbot, window, "小李", "9999")
    panel = guard_of(window).gate.panel
    assert panel is not None and "wrong name or PIN" in panel.error.text()
    assert panel.pin.text() == "" and guard_of(window).gate.isVisible()


def test_front_desk_signs_in_with_the_pin_pad_and_sees_only_their_pages(
    desk: tuple[MainWindow, AppContext], qtbot: QtBot
) -> None:
    window, ctx = desk
    type_pin(qtbot, window, "小李", DESK_PIN)
    assert not guard_of(window).gate.isVisible()
    assert auth.current(ctx.db) is not None and auth.current(ctx.db).name == "小李"  # type: ignore[union-attr]
    shown = visible_pages(window)
    assert {"today", "people", "checkin"} <= set(shown)
    assert not {"events", "calls", "reports", "sync", "audit", "settings"} & set(shown)
    assert (
        window.ctx is ctx and window.nav.currentItem().data(Qt.ItemDataRole.UserRole) == "checkin"
    )
    assert "小李" in guard_of(window).button.text()


def test_the_desk_locks_when_idle_and_the_pin_unlocks_it(
    desk: tuple[MainWindow, AppContext], qtbot: QtBot
) -> None:
    window, _ = desk
    type_pin(qtbot, window, "小李", DESK_PIN)
    guard = guard_of(window)
    assert guard.idle.isActive() and guard.idle.interval() == 10 * 60_000  # default 10 min
    guard.idle.setInterval(30)
    qtbot.waitUntil(lambda: guard.gate.isVisible(), timeout=3000)
    panel = guard.gate.panel
    assert panel is not None and panel.mode == "locked" and panel.staff.currentData() == "小李"
    type_pin(qtbot, window, "小李", DESK_PIN)
    assert not guard.gate.isVisible()


def test_switch_user_from_the_lock_screen(
    desk: tuple[MainWindow, AppContext], qtbot: QtBot
) -> None:
    window, ctx = desk
    type_pin(qtbot, window, "小李", DESK_PIN)
    guard = guard_of(window)
    guard.lock()
    assert guard.gate.panel is not None
    qtbot.mouseClick(guard.gate.panel.switch, Qt.MouseButton.LeftButton)
    type_pin(qtbot, window, "王店长", ADMIN_PIN)
    assert auth.current(ctx.db).role == "admin"  # type: ignore[union-attr]
    assert "audit" in visible_pages(window) and "settings" in visible_pages(window)


def test_kiosk_mode_shows_only_check_in_until_an_admin_pin(
    desk: tuple[MainWindow, AppContext], qtbot: QtBot
) -> None:
    window, ctx = desk
    type_pin(qtbot, window, "王店长", ADMIN_PIN)
    guard = guard_of(window)
    guard.toggle_kiosk()
    assert visible_pages(window) == ["checkin"]
    assert auth.current(ctx.db).kiosk  # type: ignore[union-attr]
    assert not guard.idle.isActive()  # a kiosk stays open for check-in
    guard.toggle_kiosk()  # asks for an admin PIN; Cancel leaves the kiosk as it was
    assert guard.gate.panel is not None
    qtbot.mouseClick(guard.gate.panel.cancel, Qt.MouseButton.LeftButton)
    assert not guard.gate.isVisible() and auth.current(ctx.db).kiosk  # type: ignore[union-attr]
    guard.toggle_kiosk()
    panel = guard.gate.panel
    assert panel is not None and panel.mode == "kiosk_unlock"
    assert [panel.staff.itemData(i) for i in range(panel.staff.count())] == ["王店长"]
    type_pin(qtbot, window, "王店长", ADMIN_PIN)
    assert not auth.current(ctx.db).kiosk  # type: ignore[union-attr]
    assert "events" in visible_pages(window)


def test_admins_filter_and_export_the_audit_log(
    staffed: Database, tmp_path: Path, qtbot: QtBot
) -> None:
    auth.bind(staffed, auth.sign_in(staffed, "王店长", ADMIN_PIN))
    ctx = AppContext(
        db=staffed, settings=QSettings(str(tmp_path / "p.ini"), QSettings.Format.IniFormat)
    )
    page = AuditPage(ctx)
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: page.model.rowCount() > 0, timeout=5000)
    page.action.setCurrentIndex(page.action.findData("staff"))
    qtbot.waitUntil(
        lambda: (
            page.model.rowCount() > 0
            and all(r.action.startswith("staff.") for r in page.model.rows)
        ),
        timeout=5000,
    )
    out = tmp_path / "audit.xlsx"
    page.choose_file = lambda: str(out)  # type: ignore[method-assign]
    qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: out.exists() and "written" in page.export_note.text(), timeout=5000)
    assert audit_log.list_audit(staffed, action="export.audit")
    ctx.pool.waitForDone(5000)


def test_the_audit_page_tells_non_admins_it_is_for_admins(
    staffed: Database, tmp_path: Path, qtbot: QtBot
) -> None:
    auth.bind(staffed, auth.sign_in(staffed, "小李", DESK_PIN))
    ctx = AppContext(
        db=staffed, settings=QSettings(str(tmp_path / "p.ini"), QSettings.Format.IniFormat)
    )
    page = AuditPage(ctx)
    qtbot.addWidget(page)
    assert "Only admins" in page.status.text() and not page.export_button.isEnabled()
    assert page.model.rowCount() == 0


def test_a_single_user_desk_asks_for_a_pin_once_another_desk_sets_the_first_one(
    dealer_sqlite: Database, tmp_path: Path, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    import ui.views.sign_in as sign_in
    from desktop_app.store.db import open_database

    monkeypatch.setattr(sign_in, "FIRST_PIN_POLL_MS", 50)
    monkeypatch.setattr(auth, "ACCOUNTS_TTL", 0.0)
    settings = QSettings(str(tmp_path / "paddock.ini"), QSettings.Format.IniFormat)
    ctx = AppContext(db=dealer_sqlite, settings=settings, language="en")
    window = MainWindow(settings=settings)
    qtbot.addWidget(window)
    window.show()
    assert install_sign_in(window, ctx, window.attach) is None  # nobody has a PIN yet
    assert window.ctx is not None  # the desk works at once
    other_desk = open_database(dealer_sqlite.url)
    auth.add_account(other_desk, "王店长", "admin", ADMIN_PIN)
    other_desk.close()
    qtbot.waitUntil(lambda: getattr(window, "session_guard", None) is not None, timeout=5000)
    gate = guard_of(window).gate
    assert gate.isVisible() and gate.panel is not None  # covered until someone signs in
    type_pin(qtbot, window, "王店长", ADMIN_PIN)
    qtbot.waitUntil(lambda: not gate.isVisible(), timeout=5000)
    assert auth.current(ctx.db) is not None and auth.current(ctx.db).name == "王店长"
    ctx.pool.waitForDone(5000)
