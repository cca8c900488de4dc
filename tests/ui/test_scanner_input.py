"""A barcode scanner types into the desk like a keyboard: bursts become scans, people still type."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QEvent, QSettings, Qt
from PySide6.QtGui import QAction, QInputMethodEvent, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QLineEdit, QMenu, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from ui.widgets.scanner_input import ScannerFilter, ScannerSettings

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
    clock.advance(0.06)
    f.poll()
    assert seen == [], "not yet: 60 ms is within the burst's end pause"
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


# --------------------------------------------------------------------------- real devices
NOMOD = Qt.KeyboardModifier.NoModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
KEYPAD = Qt.KeyboardModifier.KeypadModifier
CTRL = Qt.KeyboardModifier.ControlModifier


class Device:
    """Key events as the window system delivers them from a scanner or a keyboard:
    modifier presses and releases, keypad flags, timestamps from `clock`."""

    def __init__(self, widget: QWidget, clock: FakeClock) -> None:
        self.widget = widget
        self.clock = clock

    def _send(self, kind: QEvent.Type, key: int, mods: Qt.KeyboardModifier, text: str) -> None:
        ev = QKeyEvent(kind, key, mods, text)
        ev.setTimestamp(int(self.clock() * 1000))
        QApplication.sendEvent(QApplication.focusWidget() or self.widget, ev)

    def tap(self, key: int, text: str = "", mods: Qt.KeyboardModifier = NOMOD) -> None:
        self._send(QEvent.Type.KeyPress, key, mods, text)
        self._send(QEvent.Type.KeyRelease, key, mods, text)

    def press(self, key: int, mods: Qt.KeyboardModifier = NOMOD) -> None:
        self._send(QEvent.Type.KeyPress, key, mods, "")

    def release(self, key: int, mods: Qt.KeyboardModifier = NOMOD) -> None:
        self._send(QEvent.Type.KeyRelease, key, mods, "")

    def char(self, ch: str, *, caps_lock: bool = False, keypad: bool = False) -> None:
        """One character the way a USB HID scanner types it: Shift around a capital."""
        key = ord(ch.upper())
        if ch.isupper():
            self.press(Qt.Key.Key_Shift)
            shown = ch.lower() if caps_lock else ch  # Caps Lock + Shift gives lower case
            self.tap(key, shown, SHIFT)
            self.release(Qt.Key.Key_Shift, SHIFT)
        elif ch.isdigit() and keypad:
            self.tap(key, ch, KEYPAD)
        else:
            self.tap(key, ch.upper() if caps_lock and ch.isalpha() else ch)

    def type(self, text: str, gap: float, **kw: bool) -> None:
        for ch in text:
            self.clock.advance(gap)
            self.char(ch, **kw)


# a real payload (valid base32, the shape a ticket has) for the input-method tests
REAL = "P1.MFRGGZDF.K7QXM2PAB3CDE4FG.ZT2XQ5V7M3LK6P2A"


@pytest.fixture
def device(desk, clock: FakeClock) -> Device:
    return Device(desk[0].field, clock)


def test_a_usb_scanner_with_shift_around_every_capital_is_one_scan(
    desk, device: Device, clock: FakeClock
) -> None:
    w, f, seen = desk
    bursts: list = []
    f.burst.connect(bursts.append)
    device.type(CODE, 0.002)
    clock.advance(0.002)
    device.tap(Qt.Key.Key_Return, "\r")
    assert seen == [CODE]
    assert w.field.text() == "" and w.entered == []
    assert bursts[-1].scan and bursts[-1].suffix == "Enter"
    assert bursts[-1].modifiers == sum(c.isupper() for c in CODE)


def test_altgr_and_caps_lock_inside_a_burst_neither_end_nor_break_it(
    desk, device: Device, clock: FakeClock
) -> None:
    w, _f, seen = desk
    device.press(Qt.Key.Key_CapsLock)
    device.release(Qt.Key.Key_CapsLock)
    for i, ch in enumerate(CODE):
        clock.advance(0.003)
        if i % 7 == 3:  # a non-US layout reaches some characters through AltGr
            device.press(Qt.Key.Key_AltGr)
            device.char(ch, caps_lock=True)
            device.release(Qt.Key.Key_AltGr)
        else:
            device.char(ch, caps_lock=True)
    device.tap(Qt.Key.Key_Return, "\r")
    assert seen == [CODE], "Caps Lock's lower case is read as the same ticket"
    assert w.field.text() == ""


def test_digits_from_the_numeric_keypad_are_digits_with_numlock_on_or_off(
    desk, device: Device, clock: FakeClock
) -> None:
    _w, _f, seen = desk
    device.type(CODE, 0.003, keypad=True)
    device.tap(Qt.Key.Key_Enter, "\r", KEYPAD)
    # NumLock off: the keypad's 1 and 7 arrive as End and Home, without text
    for ch in CODE:
        clock.advance(0.003)
        if ch in "17":
            device.tap(Qt.Key.Key_End if ch == "1" else Qt.Key.Key_Home, "", KEYPAD)
        else:
            device.char(ch)
    device.tap(Qt.Key.Key_Enter, "\r", KEYPAD)
    assert seen == [CODE, CODE]


def test_a_tab_suffix_ends_the_scan_at_once_and_moves_no_focus(
    desk, device: Device, clock: FakeClock
) -> None:
    w, _f, seen = desk
    device.type(CODE, 0.002)
    clock.advance(0.002)
    device.tap(Qt.Key.Key_Tab, "\t")
    assert seen == [CODE], "no pause needed: the suffix ends it"
    assert QApplication.focusWidget() is w.field


def test_a_ctrl_j_suffix_ends_the_scan(desk, device: Device, clock: FakeClock) -> None:
    w, _f, seen = desk
    device.type(CODE, 0.002)
    device.press(Qt.Key.Key_Control)
    device.tap(Qt.Key.Key_J, "\n", CTRL)
    device.release(Qt.Key.Key_Control, CTRL)
    assert seen == [CODE] and w.field.text() == ""


@pytest.mark.parametrize("gap", [0.010, 0.018, 0.025, 0.040])
def test_bluetooth_scanners_at_10_to_40_ms_a_key_are_scans(
    desk, device: Device, clock: FakeClock, gap: float
) -> None:
    w, f, seen = desk
    device.type(CODE, gap)
    clock.advance(0.11)
    f.poll()
    assert seen == [CODE] and w.field.text() == ""


def test_a_late_key_inside_a_fast_burst_does_not_break_it(
    desk, device: Device, clock: FakeClock
) -> None:
    """A Bluetooth link delivers keys in clumps: one key arrives 80 ms late."""
    w, _f, seen = desk
    device.type(CODE[:5], 0.015)
    clock.advance(0.08)
    device.type(CODE[5:30], 0.015)
    clock.advance(0.07)
    device.type(CODE[30:], 0.015)
    device.tap(Qt.Key.Key_Return, "\r")
    assert seen == [CODE] and w.field.text() == ""


@pytest.mark.parametrize("gap", [0.080, 0.150])
def test_a_person_typing_capitals_and_digits_is_never_a_scan(
    desk, device: Device, clock: FakeClock, gap: float
) -> None:
    w, f, seen = desk
    device.type("Wang Fang 13800138000", gap)
    clock.advance(0.2)
    f.poll()
    assert w.field.text() == "Wang Fang 13800138000"
    assert seen == []


def test_a_person_rolling_three_keys_fast_then_typing_on_is_not_a_scan(
    desk, device: Device, clock: FakeClock
) -> None:
    w, f, seen = desk
    device.type("the", 0.02)  # a practised word
    device.type(" Wang Fang", 0.09)
    clock.advance(0.2)
    f.poll()
    assert w.field.text() == "the Wang Fang" and seen == []


def test_an_input_method_committing_a_whole_ticket_code_is_a_scan(desk) -> None:
    w, _f, seen = desk
    ev = QInputMethodEvent()
    ev.setCommitString(REAL.lower().replace(".", "。"))
    QApplication.sendEvent(w.field, ev)
    assert seen == [REAL]
    assert w.field.text() == "", "the code is not typed into the field"


def test_a_chinese_name_from_the_input_method_reaches_the_field(desk, clock: FakeClock) -> None:
    w, f, seen = desk
    bursts: list[str] = []
    f.input_method_burst.connect(bursts.append)
    for preedit in ("w", "wa", "wan", "wang", "wang f", "wang fa", "wang fan", "wang fang"):
        clock.advance(0.15)  # a person composing pinyin
        QApplication.sendEvent(w.field, QInputMethodEvent(preedit, []))
    done = QInputMethodEvent()
    done.setCommitString("王芳")
    QApplication.sendEvent(w.field, done)
    clock.advance(0.3)
    f.poll_input_method()
    assert w.field.text() == "王芳" and seen == [] and bursts == []


def test_a_scan_that_went_into_a_pinyin_composition_is_reported(desk, clock: FakeClock) -> None:
    """What fcitx5 pinyin made of a scanner's 'P1.AB12' under Xvfb: preedit and Chinese."""
    w, f, seen = desk
    bursts: list[str] = []
    f.input_method_burst.connect(bursts.append)
    for preedit, commit in (
        ("P", ""),
        ("", "拍"),
        ("", "。"),
        ("A", ""),
        ("A B", ""),
        ("", "啊不"),
    ):
        clock.advance(0.003)
        ev = QInputMethodEvent(preedit, [])
        ev.setCommitString(commit)
        QApplication.sendEvent(w.field, ev)
    clock.advance(0.2)
    f.poll_input_method()
    assert bursts == ["拍。啊不"] and seen == []


def test_settings_are_kept_per_desk_and_kept_sensible(tmp_path) -> None:
    qs = QSettings(str(tmp_path / "desk.ini"), QSettings.Format.IniFormat)
    assert ScannerSettings.load(qs) == ScannerSettings()
    ScannerSettings(max_gap=0.065, end_pause=0.2).save(qs)
    assert ScannerSettings.load(qs) == ScannerSettings(0.065, 0.2)
    ScannerSettings(max_gap=0.9, end_pause=0.01).save(qs)
    loaded = ScannerSettings.load(qs)
    assert loaded.max_gap == 0.15 and loaded.end_pause > loaded.max_gap
