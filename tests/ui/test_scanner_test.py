"""Test your scanner: a dealer scans the test code with a new scanner and reads what to change."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QSettings, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from ui.views.scanner_test import ScannerTestDialog
from ui.widgets.scanner_check import TEST_CODE, Reading, check
from ui.widgets.scanner_input import Burst, ScannerSettings

SHIFT = Qt.KeyboardModifier.ShiftModifier
KEYPAD = Qt.KeyboardModifier.KeypadModifier
NOMOD = Qt.KeyboardModifier.NoModifier


def burst(text: str, gap_ms: float, *, scan: bool, suffix: str | None = None, **kw: int) -> Burst:
    gaps = tuple(gap_ms for _ in text[1:])
    return Burst(text, text.upper(), gaps, suffix, kw.get("mods", 0), kw.get("keypad", 0),
                 False, scan, 0.0, gap_ms * (len(text) - 1) / 1000)  # fmt: skip


def codes(verdict: object) -> list[str]:
    return [f.code for f in verdict.findings]  # type: ignore[attr-defined]


DEFAULT = ScannerSettings()


def test_a_usb_scanner_with_enter_works_out_of_the_box() -> None:
    v = check(Reading([burst(TEST_CODE, 2, scan=True, suffix="Enter", mods=25)]), DEFAULT)
    assert v.counted_as_scan and codes(v) == ["ok", "suffix_enter"]
    assert v.keys == 45 and v.slowest_gap_ms == 2 and v.modifiers == 25


def test_a_scanner_without_suffix_works_and_is_told_enter_is_faster() -> None:
    v = check(Reading([burst(TEST_CODE, 3, scan=True)]), DEFAULT)
    assert codes(v) == ["ok", "suffix_none"]
    assert v.findings[1].numbers == {"end_pause": 100}


def test_a_scanner_slower_than_the_gap_is_told_the_gap_to_set() -> None:
    """60 ms a key: each key was handed on as typing; 60 + 15 → 75 ms."""
    pieces = [
        Burst(c, c, (), None, 0, 0, False, False, i * 0.06, i * 0.06)
        for i, c in enumerate(TEST_CODE)
    ]
    v = check(Reading(pieces), DEFAULT)
    assert not v.counted_as_scan
    assert codes(v) == ["split"]
    assert v.findings[0].numbers == {"slowest": 60, "gap": 50, "suggest": 75}


def test_a_scanner_as_slow_as_a_person_is_told_to_change_the_scanner() -> None:
    pieces = [
        Burst(c, c, (), None, 0, 0, False, False, i * 0.1, i * 0.1) for i, c in enumerate(TEST_CODE)
    ]
    assert codes(check(Reading(pieces), DEFAULT)) == ["too_slow"]


def test_a_scan_close_to_the_limit_gets_more_room() -> None:
    v = check(Reading([burst(TEST_CODE, 40, scan=True, suffix="Enter")]), DEFAULT)
    assert codes(v) == ["ok", "suffix_enter", "near_limit"]
    assert v.findings[2].numbers["suggest"] == 55


def test_caps_lock_and_keypad_digits_are_fine_and_said_so() -> None:
    v = check(Reading([burst(TEST_CODE.lower(), 2, scan=True, suffix="Tab", keypad=12)]), DEFAULT)
    assert v.counted_as_scan and v.is_ticket
    assert codes(v) == ["ok", "suffix_tab", "lower_case", "keypad"]


def test_a_french_keyboard_layout_is_recognised() -> None:
    azerty = TEST_CODE.replace("A", "Q")  # AZERTY swaps A and Q
    v = check(Reading([burst(azerty, 2, scan=True, suffix="Enter")]), DEFAULT)
    assert "layout" in codes(v)
    assert v.findings[-1].numbers == {"got": "Q", "want": "A"}


def test_another_barcode_is_not_a_ticket() -> None:
    v = check(Reading([burst("6901234567892", 2, scan=True, suffix="Enter")]), DEFAULT)
    assert codes(v)[-1] == "not_ticket" and not v.is_ticket


# --------------------------------------------------------------------------- the dialog
class Stamped:
    """Key events with the window system's timestamps, `ms` apart, like a scanner."""

    def __init__(self) -> None:
        self.stamp = 5_000_000

    def send(self, widget: QWidget, key: int, text: str, mods: Qt.KeyboardModifier) -> None:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            ev = QKeyEvent(kind, key, mods, text)
            ev.setTimestamp(self.stamp)
            QApplication.sendEvent(widget, ev)

    def scan(self, widget: QWidget, code: str, ms: int, suffix: bool = True) -> None:
        for ch in code:
            self.stamp += ms
            if ch.isupper():
                self.send(widget, Qt.Key.Key_Shift, "", NOMOD)
            self.send(widget, ord(ch.upper()), ch, SHIFT if ch.isupper() else NOMOD)
        if suffix:
            self.stamp += ms
            self.send(widget, Qt.Key.Key_Return, "\r", NOMOD)


@pytest.fixture
def dialog(qtbot: QtBot, tmp_path: Path) -> ScannerTestDialog:
    settings = QSettings(str(tmp_path / "desk.ini"), QSettings.Format.IniFormat)
    dlg = ScannerTestDialog(settings)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    return dlg


def test_the_panel_shows_what_a_usb_scanner_sent_and_that_it_counts(
    qtbot: QtBot, dialog: ScannerTestDialog
) -> None:
    assert dialog.received.hasFocus()
    Stamped().scan(dialog.received, TEST_CODE, 2)
    qtbot.waitUntil(lambda: dialog.verdict is not None, timeout=3000)
    assert dialog.received.text() == TEST_CODE
    assert dialog.verdict_label.text() == "✓ Counted as a scan"
    assert "45 characters" in dialog.stats.text() and "ended by: Enter" in dialog.stats.text()
    assert "works at this desk" in dialog.advice.text()


def test_a_slow_bluetooth_scanner_is_tuned_on_the_panel_and_the_desk_keeps_it(
    qtbot: QtBot, dialog: ScannerTestDialog
) -> None:
    keys = Stamped()
    keys.scan(dialog.received, TEST_CODE, 60)
    qtbot.waitUntil(lambda: dialog.verdict is not None, timeout=5000)
    assert dialog.verdict_label.text() == "✕ Not counted as a scan"
    assert "up to 60 ms apart" in dialog.advice.text()
    assert dialog.gap.value() == 75, "the panel proposes the gap"
    dialog.verdict = None
    keys.stamp += 2000
    keys.scan(dialog.received, TEST_CODE, 60)
    qtbot.waitUntil(lambda: dialog.verdict is not None, timeout=5000)
    assert dialog.verdict_label.text() == "✓ Counted as a scan"
    dialog.save()
    assert ScannerSettings.load(dialog.settings).max_gap == pytest.approx(0.075)
