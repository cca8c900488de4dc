"""Keyboard-wedge scanner capture: an application event filter that tells scanner bursts from typing.

A USB/Bluetooth scanner "types" its payload very fast and usually ends with a suffix key.
While the desk is active this filter sees every key press in the application:

- characters are HELD for a moment. While each follows the previous one within `max_gap`
  (50 ms; a person types ≥ 80 ms a key) they stay held; once `min_length` (8) came that
  fast, it is a scan. One late key (up to `end_pause`) per 16 does not break a burst that
  is already scanner-fast: Bluetooth links and busy USB hubs deliver keys in clumps.
- what real scanners send besides characters (onScan.js and Odoo do the same):
  modifier presses and releases (Shift around every capital, AltGr on other layouts,
  Caps Lock, NumLock) add no character and neither end nor break a burst; digits from the
  numeric keypad are digits (also with NumLock off, when they arrive as End, ↓, PgDn…);
  Caps Lock turns letters to lower case, which the ticket reader does not mind.
- a burst ends at once with a suffix key — Enter, keypad Enter, Tab or Ctrl+J (the suffix
  is swallowed: Tab moves no focus) — or, for scanners without a suffix, after a quiet
  `end_pause` (100 ms) → `scanned(code)`.
- keys that turn out to be a person typing are REPLAYED, in order, to the widget that
  should have received them (≤ 50 ms later, nobody notices).
- while held, ShortcutOverride is accepted, so no single-key shortcut or menu mnemonic
  fires on a scanner's characters (menus and modal dialogs included).
- input methods: a commit string that is a whole ticket payload counts as a scan (an IME
  in English mode commits the scanner's characters in one piece); input-method traffic at
  scanner speed (a scan that went into a pinyin composition and came out as Chinese) is
  reported by `input_method_burst` so the desk can say "scan again" (docs/checkin-desk.md).

Decision for scans while a menu or modal dialog is open: the burst is swallowed (nothing
is typed into the dialog, none of its shortcuts fire) and `scanned` is still emitted;
the desk queues such codes and processes them, in order, as soon as the dialog or menu
closes — nothing is lost and the result is shown where staff can see it.

Gaps between keys are measured with the key events' own timestamps (stamped by the
window system when the key arrived), so a busy UI thread — a scan being written, the GIL
held by a worker — cannot tear one scan into two by processing its keys late. Pauses
(Enter-less scanners, people typing) are measured on `clock` at processing time. Tests
inject `clock` (seconds); it then also stands in for the event time, and they call
`poll()` instead of sleeping.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from itertools import pairwise

from PySide6.QtCore import QEvent, QObject, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QInputMethodEvent, QKeyEvent
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget

from desktop_app.domain.ticket import is_payload, normalise

MAX_GAP = 0.050
MIN_LENGTH = 8
END_PAUSE = 0.100
IME_BURST = 6  # input-method updates this fast in a row: a scanner typed into the IME
KEY_GAP = "desk/scanner_gap_ms"
KEY_END_PAUSE = "desk/scanner_end_pause_ms"

K = Qt.Key
_ENTER = (K.Key_Return, K.Key_Enter)
# keys that only change what the next key means: never a character, never an end
MODIFIER_KEYS = frozenset(
    {
        K.Key_Shift,
        K.Key_Control,
        K.Key_Alt,
        K.Key_AltGr,
        K.Key_Meta,
        K.Key_Super_L,
        K.Key_Super_R,
        K.Key_Hyper_L,
        K.Key_Hyper_R,
        K.Key_CapsLock,
        K.Key_NumLock,
        K.Key_ScrollLock,
        K.Key_Mode_switch,
        K.Key_Kana_Lock,
        K.Key_Kana_Shift,
        K.Key_Eisu_Shift,
        K.Key_Eisu_toggle,
    }
)
# the numeric keypad with NumLock off: a scanner in keypad-emulation mode still means digits
KEYPAD_DIGITS = {
    K.Key_Insert: "0",
    K.Key_End: "1",
    K.Key_Down: "2",
    K.Key_PageDown: "3",
    K.Key_Left: "4",
    K.Key_Clear: "5",
    K.Key_Right: "6",
    K.Key_Home: "7",
    K.Key_Up: "8",
    K.Key_PageUp: "9",
    K.Key_Delete: ".",
}
_CTRL = Qt.KeyboardModifier.ControlModifier
_ALT = Qt.KeyboardModifier.AltModifier
_META = Qt.KeyboardModifier.MetaModifier
_KEYPAD = Qt.KeyboardModifier.KeypadModifier


@dataclass(frozen=True)
class ScannerSettings:
    """The per-desk timing (Check-in page → Test your scanner); seconds."""

    max_gap: float = MAX_GAP
    end_pause: float = END_PAUSE
    min_length: int = MIN_LENGTH

    @classmethod
    def load(cls, settings: QSettings) -> ScannerSettings:
        def ms(key: str, default: float) -> float:
            try:
                return float(settings.value(key, "") or default * 1000) / 1000
            except (TypeError, ValueError):
                return default

        return cls(ms(KEY_GAP, MAX_GAP), ms(KEY_END_PAUSE, END_PAUSE)).clamped()

    def save(self, settings: QSettings) -> None:
        s = self.clamped()
        settings.setValue(KEY_GAP, round(s.max_gap * 1000))
        settings.setValue(KEY_END_PAUSE, round(s.end_pause * 1000))

    def clamped(self) -> ScannerSettings:
        """Gap 10–150 ms; the end pause is longer than the gap (else every burst ends early)."""
        gap = min(max(self.max_gap, 0.010), 0.150)
        return ScannerSettings(gap, min(max(self.end_pause, gap + 0.020), 0.600), self.min_length)


@dataclass(frozen=True)
class Burst:
    """What the filter decided about one run of keys (the scanner test panel shows it)."""

    text: str  # the characters as they arrived
    code: str  # normalised: what a scan checks in
    gaps_ms: tuple[float, ...]  # between consecutive characters
    suffix: str | None  # "Enter", "Tab", "Ctrl+J"; None: ended by a pause
    modifiers: int  # modifier presses (Shift around capitals…)
    keypad: int  # characters from the numeric keypad
    via_input_method: bool  # an input method's commit string
    scan: bool  # counted as a scan (else handed on as typing)
    started: float = 0.0  # event time of the first key (seconds)
    ended: float = 0.0  # … of the last key


@dataclass
class _Held:
    receiver: QWidget
    key: int
    modifiers: Qt.KeyboardModifier
    text: str  # the event's own text (replayed as it came)
    char: str  # what it adds to a code (a keypad End with NumLock off adds "1")
    at: float  # event time (gaps between keys)
    seen: float  # clock time when processed (pauses)
    released: bool = False


def _suffix(event: QKeyEvent) -> str | None:
    key, mods = event.key(), event.modifiers()
    if key in _ENTER:
        return "Enter"
    if key == K.Key_Tab and not (mods & (_CTRL | _ALT | _META)):
        return "Tab"
    if key in (K.Key_J, K.Key_M) and mods & _CTRL and not mods & _ALT:
        return "Ctrl+J" if key == K.Key_J else "Ctrl+M"  # LF / CR as control characters
    return None


def _char(event: QKeyEvent) -> str | None:
    """The character a key adds to a code, or None (a person's arrow, F-key, shortcut)."""
    mods = event.modifiers()
    if (mods & _KEYPAD) and not event.text():
        return KEYPAD_DIGITS.get(event.key())  # type: ignore[call-overload]
    text = event.text()
    if len(text) != 1 or not text.isprintable() or event.key() in _ENTER:
        return None
    # Ctrl/Alt/Meta + key is a shortcut; Ctrl+Alt together is AltGr on Windows layouts
    if mods & _META or (bool(mods & _CTRL) != bool(mods & _ALT)):
        return None
    return text


class ScannerFilter(QObject):
    """Install with `attach(root)`; emits `scanned(str)` with the normalised payload."""

    scanned = Signal(str)
    burst = Signal(object)  # a Burst for every decision (the scanner test panel)
    input_method_burst = Signal(str)  # what an input method committed at scanner speed

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        clock: Callable[[], float] | None = None,
        max_gap: float = MAX_GAP,
        min_length: int = MIN_LENGTH,
        end_pause: float = END_PAUSE,
        settings: ScannerSettings | None = None,
        use_event_time: bool | None = None,
    ) -> None:
        super().__init__(parent)
        self.clock = clock or time.monotonic
        # a test clock replaces event timestamps unless the test asks for both
        self._event_times = clock is None if use_event_time is None else use_event_time
        self.max_gap = max_gap
        self.min_length = min_length
        self.end_pause = end_pause
        if settings is not None:
            self.apply(settings)
        self._root: QWidget | None = None
        self._held: list[_Held] = []
        self._slow = 0  # late keys inside the held burst
        self._modifiers = 0  # modifier presses since the last decision
        self._swallowed_keys: set[int] = set()  # scanner keys whose release is still due
        self._replaying = False
        self._polling = False
        self._ime_times: list[float] = []
        self._ime_text = ""
        self._ime_preedit = ""
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.poll)
        self._ime_timer = QTimer(self)  # its own: keys the IME lets through are held meanwhile
        self._ime_timer.setSingleShot(True)
        self._ime_timer.timeout.connect(self.poll_input_method)

    def apply(self, settings: ScannerSettings) -> None:
        s = settings.clamped()
        self.max_gap, self.end_pause, self.min_length = s.max_gap, s.end_pause, s.min_length

    @property
    def settings(self) -> ScannerSettings:
        return ScannerSettings(self.max_gap, self.end_pause, self.min_length)

    # ------------------------------------------------------------------ install
    def attach(self, root: QWidget) -> None:
        """Start capturing for `root`'s window (and dialogs/menus opened over it)."""
        self._root = root
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    def detach(self) -> None:
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        self._replay()
        self._root = None

    @property
    def active(self) -> bool:
        return self._root is not None

    # ------------------------------------------------------------------ filter
    def _in_scope(self, obj: QObject) -> bool:
        if self._root is None or not isinstance(obj, QWidget):
            return False  # QWindow sees the same key first; count it once, at the widget
        top = self._root.window()
        if obj.window() is top:
            return True
        # a modal dialog or popup menu in front of the desk: capture there too
        return (
            QApplication.activeModalWidget() is not None
            or QApplication.activePopupWidget() is not None
        )

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # Qt override
        if self._replaying:
            return False
        etype = event.type()
        if etype not in (
            QEvent.Type.KeyPress,
            QEvent.Type.KeyRelease,
            QEvent.Type.ShortcutOverride,
            QEvent.Type.InputMethod,
        ):
            return False
        if not self._in_scope(obj):
            return False
        if etype == QEvent.Type.InputMethod:
            assert isinstance(event, QInputMethodEvent)
            return self._on_input_method(event)
        assert isinstance(event, QKeyEvent)
        if etype == QEvent.Type.ShortcutOverride:
            return self._on_override(event)
        if etype == QEvent.Type.KeyRelease:
            return self._on_release(event)
        return self._on_press(obj, event)  # type: ignore[arg-type]

    def _on_override(self, event: QKeyEvent) -> bool:
        if event.key() in MODIFIER_KEYS:
            return False
        if (_char(event) is not None and not event.isAutoRepeat()) or (
            self._held and _suffix(event)
        ):
            event.accept()  # "the focus widget wants this key": no shortcut fires
            return True
        return False

    def _on_release(self, event: QKeyEvent) -> bool:
        key = event.key()
        for h in reversed(self._held):
            if h.key == key and not h.released:
                h.released = True
                return True
        if key in self._swallowed_keys:
            self._swallowed_keys.discard(key)
            return True
        return False

    def _on_press(self, obj: QWidget, event: QKeyEvent) -> bool:
        key = event.key()
        if key in MODIFIER_KEYS:
            if obj is QApplication.focusWidget():  # not again as it propagates to parents
                self._modifiers += 1
            return False  # Shift/AltGr/Caps Lock: no character, and the burst goes on
        now = self._time(event)
        suffix = _suffix(event)
        if suffix is not None:
            if self._is_burst():
                self._emit(suffix)
                self._swallowed_keys.add(key)
                return True
            self._replay()
            return False
        char = _char(event)
        if char is None or event.isAutoRepeat():
            # a person pressing arrows/F-keys/Backspace, or holding a key down (auto-repeat
            # is as fast as a scanner): hand over what is held, in order, then this key
            self._decide()
            return False
        if self._held and not self._continues(now - self._held[-1].at):
            self._decide()
        self._held.append(_Held(obj, key, event.modifiers(), event.text(), char, now, self.clock()))
        self._arm()
        return True

    def _continues(self, gap: float) -> bool:
        """Does a key `gap` seconds after the last held one belong to the same burst?"""
        if gap <= self.max_gap:
            return True
        fast = len(self._held) - 1 - self._slow
        if gap <= self.end_pause and fast >= 2 and self._slow < 1 + len(self._held) // 16:
            self._slow += 1  # one late key in a scanner-fast run (a Bluetooth clump)
            return True
        return False

    def _time(self, event: QKeyEvent) -> float:
        """When the key was pressed: the window system's stamp (ms), else the clock."""
        stamp = event.timestamp() if self._event_times else 0
        return stamp / 1000.0 if stamp else self.clock()

    def _is_burst(self) -> bool:
        """Enough keys held, each scanner-fast (else they had been handed on already)."""
        return len(self._held) >= self.min_length

    # ------------------------------------------------------------------ input methods
    def _on_input_method(self, event: QInputMethodEvent) -> bool:
        commit, preedit = event.commitString(), event.preeditString()
        if commit and not preedit and is_payload(commit):
            self._replay()
            self._report(commit, (), None, via_input_method=True, scan=True)
            self.scanned.emit(normalise(commit))
            return True  # the code is not typed into the field
        if commit or preedit != self._ime_preedit:
            now = self.clock()
            if self._ime_times and now - self._ime_times[-1] > self.max_gap:
                self._ime_times, self._ime_text = [], ""
            self._ime_times.append(now)
            self._ime_text += commit
            if len(self._ime_times) >= IME_BURST:
                self._ime_timer.start(int(self.end_pause * 1000) + 5)
        self._ime_preedit = preedit
        return False

    def poll_input_method(self) -> None:
        """After a quiet end pause: was there input-method traffic at scanner speed?"""
        if len(self._ime_times) < IME_BURST:
            return
        quiet = self.clock() - self._ime_times[-1]
        if quiet < self.end_pause:
            self._ime_timer.start(int((self.end_pause - quiet) * 1000) + 5)
            return
        text = self._ime_text
        self._ime_times, self._ime_text = [], ""
        self.input_method_burst.emit(text)

    # ------------------------------------------------------------------ decisions
    def _arm(self) -> None:
        """Wake up when the held keys are due for a decision."""
        idle = self.clock() - self._held[-1].seen
        due = self.end_pause if len(self._held) >= self.min_length else self.max_gap
        if self._could_be_late():
            due = self.end_pause
        self._timer.start(max(5, int((due - idle) * 1000) + 5))

    def _could_be_late(self) -> bool:
        """Short but scanner-fast so far: wait out one late key before calling it typing."""
        fast = len(self._held) - 1 - self._slow
        return fast >= 2 and self._slow < 1 + len(self._held) // 16

    def poll(self) -> None:
        """Decide about held keys after a pause (the timer calls this; tests call it directly)."""
        if not self._held:
            return
        if not self._polling:
            # keys that queued up while the UI thread was busy are handled first, so a
            # late timer cannot mistake a stalled scan for a pause
            self._polling = True
            try:
                QApplication.processEvents()
            finally:
                self._polling = False
            if not self._held:
                return
        idle = self.clock() - self._held[-1].seen
        if len(self._held) >= self.min_length:
            if idle >= self.end_pause:
                self._emit(None)  # a scanner without a suffix
                return
        elif idle > self.max_gap and not (self._could_be_late() and idle < self.end_pause):
            self._replay()
            return
        self._arm()

    def _decide(self) -> None:
        if self._is_burst():
            self._emit(None)  # a scanner without a suffix, followed by a new key
        else:
            self._replay()

    @staticmethod
    def _gaps(held: list[_Held]) -> tuple[float, ...]:
        return tuple(round((b.at - a.at) * 1000, 1) for a, b in pairwise(held))

    def _report(
        self,
        text: str,
        gaps: tuple[float, ...],
        suffix: str | None,
        *,
        keypad: int = 0,
        via_input_method: bool = False,
        scan: bool,
        held: list[_Held] | None = None,
    ) -> None:
        started = held[0].at if held else self.clock()
        ended = held[-1].at if held else started
        self.burst.emit(
            Burst(
                text,
                normalise(text),
                gaps,
                suffix,
                self._modifiers,
                keypad,
                via_input_method,
                scan,
                started,
                ended,
            )
        )
        self._modifiers = 0

    def _emit(self, suffix: str | None) -> None:
        text = "".join(h.char for h in self._held)
        keypad = sum(1 for h in self._held if h.modifiers & _KEYPAD)
        self._report(
            text, self._gaps(self._held), suffix, keypad=keypad, scan=True, held=self._held
        )
        self._swallowed_keys.update(h.key for h in self._held if not h.released)
        self._held.clear()
        self._slow = 0
        self._timer.stop()
        code = normalise(text)
        if code:
            self.scanned.emit(code)

    def _replay(self) -> None:
        """Give held keys to the widgets they were meant for, in order (a person typed them)."""
        held, self._held = self._held, []
        self._slow = 0
        self._timer.stop()
        if not held:
            return
        keypad = sum(1 for h in held if h.modifiers & _KEYPAD)
        text = "".join(h.char for h in held)
        self._report(text, self._gaps(held), None, keypad=keypad, scan=False, held=held)
        self._replaying = True
        try:
            for h in held:
                try:
                    target = h.receiver if h.receiver.isVisible() else QApplication.focusWidget()
                except RuntimeError:  # the widget was deleted meanwhile
                    target = QApplication.focusWidget()
                if target is None:
                    continue
                press = QKeyEvent(QEvent.Type.KeyPress, h.key, h.modifiers, h.text)
                QApplication.sendEvent(target, press)
                if h.released:
                    release = QKeyEvent(QEvent.Type.KeyRelease, h.key, h.modifiers, h.text)
                    QApplication.sendEvent(target, release)
        finally:
            self._replaying = False


def refuses_input_method(query: Qt.InputMethodQuery) -> bool:
    """For inputMethodQuery overrides: answer "no input method here" (Qt.ImEnabled).

    A QLineEdit answers ImEnabled itself (enabled and not read-only), so clearing its
    WA_InputMethodEnabled is not enough: under fcitx5/IBus a scan still went into the
    pinyin composition. The query decides on every platform (Windows detaches the IME,
    IBus and fcitx5 pass the keys through)."""
    return query == Qt.InputMethodQuery.ImEnabled


class LatinLineEdit(QLineEdit):
    """A field that takes no input-method input: phone numbers and codes, where a scan may
    arrive while a Chinese input method is on."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled, False)
        self.setInputMethodHints(Qt.InputMethodHint.ImhPreferLatin)

    def inputMethodQuery(self, query: Qt.InputMethodQuery) -> object:  # Qt override
        if refuses_input_method(query):
            return False
        return super().inputMethodQuery(query)
