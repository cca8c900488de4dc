"""A barcode scanner types into the desk like a keyboard: bursts become scans, people still type."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QLineEdit, QMenu, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from ui.widgets.scanner_input import ScannerFilter

CODE = "P1.MFRGGZDF.K7QXM2PAB3CDE4FG.ZT2XQ5V7M3LK8P2A"


class FakeClock:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t

    def advance(self, seconds: float) -> None:
        self.t += seconds


def type_text(qtbot: QtBot, widget: QWidget, text: str, clock: FakeClock, gap: float) -> None:
    for ch in text:
        clock.advance(gap)
        if ch.isascii():
            qtbot.keyClick(widget, ch)
        else:  # QTest only maps ASCII to keys; an IME's '。' arrives as a key with text
            for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                QApplication.sendEvent(
                    widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, ch)
                )


def scan(qtbot: QtBot, widget: QWidget, text: str, clock: FakeClock, enter: bool = True) -> None:
    """What a scanner does: ~4 ms per key, then Enter."""
    type_text(qtbot, widget, text, clock, 0.004)
    if enter:
        clock.advance(0.004)
        qtbot.keyClick(widget, Qt.Key.Key_Return)


class Desk(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.field = QLineEdit()
        self.other = QLineEdit()
        col = QVBoxLayout(self)
        col.addWidget(self.field)
        col.addWidget(self.other)
        self.entered: list[str] = []
        self.field.returnPressed.connect(lambda: self.entered.append(self.field.text()))


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def desk(qtbot: QtBot, clock: FakeClock) -> Iterator[tuple[Desk, ScannerFilter, list[str]]]:
    w = Desk()
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    w.field.setFocus()
    f = ScannerFilter(w, clock=clock)
    seen: list[str] = []
    f.scanned.connect(seen.append)
    f.attach(w)
    yield w, f, seen
    f.detach()


def test_a_scan_into_a_text_field_is_captured_and_types_nothing(
    qtbot: QtBot, clock: FakeClock, desk
) -> None:
    w, _f, seen = desk
    scan(qtbot, w.field, CODE, clock)
    assert seen == [CODE]
    assert w.field.text() == ""
    assert w.entered == [], "the scanner's Enter does not reach the field"


def test_a_scan_is_captured_wherever_the_focus_is(qtbot: QtBot, clock: FakeClock, desk) -> None:
    w, _f, seen = desk
    w.other.setFocus()
    scan(qtbot, w.other, CODE, clock)
    scan(qtbot, w, CODE, clock)
    assert seen == [CODE, CODE]
    assert w.other.text() == ""


def test_a_person_typing_reaches_the_focused_field(qtbot: QtBot, clock: FakeClock, desk) -> None:
    w, f, seen = desk
    type_text(qtbot, w.field, "wang fang", clock, 0.12)  # ~8 keys per second
    clock.advance(0.2)
    f.poll()
    assert w.field.text() == "wang fang"
    assert seen == []


def test_a_person_pressing_enter_after_typing_gets_the_text_then_enter(
    qtbot: QtBot, clock: FakeClock, desk
) -> None:
    w, _f, seen = desk
    type_text(qtbot, w.field, "1380", clock, 0.15)
    clock.advance(0.15)
    qtbot.keyClick(w.field, Qt.Key.Key_Return)
    assert w.entered == ["1380"]
    assert seen == []


def test_a_short_fast_burst_is_typing_not_a_scan(qtbot: QtBot, clock: FakeClock, desk) -> None:
    w, f, seen = desk
    type_text(qtbot, w.field, "abc", clock, 0.004)  # rolling three keys quickly
    clock.advance(0.2)
    f.poll()
    assert w.field.text() == "abc" and seen == []


def test_a_scanner_without_enter_suffix_is_ended_by_a_short_pause(
    qtbot: QtBot, clock: FakeClock, desk
) -> None:
    w, f, seen = desk
    scan(qtbot, w.field, CODE, clock, enter=False)
    clock.advance(0.05)
    f.poll()
    assert seen == [], "not yet: 50 ms is within the burst's end pause"
    clock.advance(0.05)
    f.poll()
    assert seen == [CODE]
    assert w.field.text() == ""


def test_two_enterless_scans_back_to_back_are_two_scans(
    qtbot: QtBot, clock: FakeClock, desk
) -> None:
    w, f, seen = desk
    scan(qtbot, w.field, CODE, clock, enter=False)
    clock.advance(0.5)
    scan(qtbot, w.field, CODE.replace("K7", "Q7"), clock, enter=False)
    clock.advance(0.1)
    f.poll()
    assert seen == [CODE, CODE.replace("K7", "Q7")]


def test_a_chinese_ime_full_stop_is_normalised(qtbot: QtBot, clock: FakeClock, desk) -> None:
    w, _f, seen = desk
    mangled = CODE.replace(".", "。").lower()
    scan(qtbot, w.field, mangled, clock)
    assert seen == [CODE]


def test_a_scan_does_not_trigger_single_key_shortcuts(qtbot: QtBot, clock: FakeClock, desk) -> None:
    w, _f, seen = desk
    fired: list[str] = []
    sc = QShortcut(QKeySequence("P"), w)
    sc.activated.connect(lambda: fired.append("P"))
    scan(qtbot, w.field, CODE, clock)
    assert seen == [CODE] and fired == []


def test_a_scan_while_a_menu_is_open_triggers_none_of_its_items(
    qtbot: QtBot, clock: FakeClock, desk
) -> None:
    w, _f, seen = desk
    menu = QMenu(w)
    triggered: list[str] = []
    for text in ("&Print badge", "&Kiosk mode", "&Quit"):
        act = QAction(text, menu)
        act.triggered.connect(lambda _c=False, t=text: triggered.append(t))
        menu.addAction(act)
    menu.popup(w.mapToGlobal(w.rect().center()))
    qtbot.waitUntil(menu.isVisible)
    scan(qtbot, menu, CODE, clock)
    assert triggered == []
    assert menu.isVisible(), "the menu was not closed by the scanner's keys"
    assert seen == [CODE]
    menu.close()


def test_after_detach_keys_are_plain_keys_again(qtbot: QtBot, clock: FakeClock, desk) -> None:
    w, f, seen = desk
    f.detach()
    scan(qtbot, w.field, "P1.ABCDEFGH", clock)
    assert w.field.text() == "P1.ABCDEFGH" and seen == []
    f.attach(w)


def test_holding_a_key_down_is_typing_not_a_scan(qtbot: QtBot, clock: FakeClock, desk) -> None:
    w, f, seen = desk
    clock.advance(1)
    qtbot.keyClick(w.field, "a")
    for _ in range(12):  # auto-repeat: as fast as a scanner, but flagged as repeats
        clock.advance(0.03)
        QApplication.sendEvent(
            w.field,
            QKeyEvent(
                QEvent.Type.KeyPress, Qt.Key.Key_A, Qt.KeyboardModifier.NoModifier, "a", True
            ),
        )
    clock.advance(0.2)
    f.poll()
    assert w.field.text() == "a" * 13 and seen == []


def test_a_scan_processed_late_is_still_one_scan(qtbot: QtBot, clock: FakeClock) -> None:
    """The UI thread was busy: keys stamped 4 ms apart are handled 100 ms apart."""
    w = Desk()
    qtbot.addWidget(w)
    w.show()
    f = ScannerFilter(w, clock=clock, use_event_time=True)
    seen: list[str] = []
    f.scanned.connect(seen.append)
    f.attach(w)
    stamp = 1_000_000
    for ch in CODE:
        stamp += 4
        clock.advance(0.1)
        key = QKeyEvent(QEvent.Type.KeyPress, ord(ch), Qt.KeyboardModifier.NoModifier, ch)
        key.setTimestamp(stamp)
        QApplication.sendEvent(w.field, key)
    enter = QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Return, Qt.KeyboardModifier.NoModifier, "\r")
    enter.setTimestamp(stamp + 4)
    QApplication.sendEvent(w.field, enter)
    f.detach()
    assert seen == [CODE] and w.field.text() == ""
