"""Keyboard-wedge scanner capture: an application event filter that tells scanner bursts from typing.

A USB/Bluetooth scanner "types" its payload very fast (a few ms per key) and usually ends
with Enter. While the desk is active this filter sees every key press in the application:

- printable keys are HELD for a moment. If the next key follows within `max_gap` (30 ms)
  they stay held; once at least `min_length` (8) keys came that fast, it is a scan.
- a burst ends with Enter (the Enter is swallowed too) or, for scanners configured
  without the Enter suffix, with a pause of `end_pause` (80 ms) → `scanned(code)`.
- keys that turn out to be a person typing are REPLAYED, in order, to the widget that
  should have received them (a ~30 ms delay nobody notices).
- while held, ShortcutOverride is accepted, so no single-key shortcut or menu mnemonic
  fires on a scanner's characters (menus and modal dialogs included).

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

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget

from desktop_app.domain.ticket import normalise

MAX_GAP = 0.030
MIN_LENGTH = 8
END_PAUSE = 0.080
_ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
_MODS = (
    Qt.KeyboardModifier.ControlModifier
    | Qt.KeyboardModifier.AltModifier
    | Qt.KeyboardModifier.MetaModifier
)


@dataclass
class _Held:
    receiver: QWidget
    key: int
    modifiers: Qt.KeyboardModifier
    text: str
    at: float  # event time (gaps between keys)
    seen: float  # clock time when processed (pauses)
    released: bool = False


class ScannerFilter(QObject):
    """Install with `attach(root)`; emits `scanned(str)` with the normalised payload."""

    scanned = Signal(str)

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        clock: Callable[[], float] | None = None,
        max_gap: float = MAX_GAP,
        min_length: int = MIN_LENGTH,
        end_pause: float = END_PAUSE,
        use_event_time: bool | None = None,
    ) -> None:
        super().__init__(parent)
        self.clock = clock or time.monotonic
        # a test clock replaces event timestamps unless the test asks for both
        self._event_times = clock is None if use_event_time is None else use_event_time
        self.max_gap = max_gap
        self.min_length = min_length
        self.end_pause = end_pause
        self._root: QWidget | None = None
        self._held: list[_Held] = []
        self._swallowed_keys: set[int] = set()  # scanner keys whose release is still due
        self._replaying = False
        self._polling = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.poll)

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
        ):
            return False
        if not self._in_scope(obj):
            return False
        assert isinstance(event, QKeyEvent)
        if etype == QEvent.Type.ShortcutOverride:
            return self._on_override(event)
        if etype == QEvent.Type.KeyRelease:
            return self._on_release(event)
        return self._on_press(obj, event)  # type: ignore[arg-type]

    @staticmethod
    def _printable(event: QKeyEvent) -> bool:
        text = event.text()
        return (
            len(text) == 1
            and text.isprintable()
            and not (event.modifiers() & _MODS)
            and event.key() not in _ENTER
        )

    def _on_override(self, event: QKeyEvent) -> bool:
        if self._printable(event) or (event.key() in _ENTER and self._held):
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
        now = self._time(event)
        if event.key() in _ENTER:
            if self._held and self._is_burst(now):
                self._emit()
                self._swallowed_keys.add(event.key())
                return True
            self._replay()
            return False
        if not self._printable(event) or event.isAutoRepeat():
            # a person pressing Tab/arrows/F-keys, or holding a key down (auto-repeat is
            # as fast as a scanner): hand over what is held, in order, then this key
            self._replay()
            return False
        if self._held and now - self._held[-1].at > self.max_gap:
            if len(self._held) >= self.min_length:
                self._emit()  # a scanner without Enter suffix, followed by a new key
            else:
                self._replay()
        self._held.append(
            _Held(obj, event.key(), event.modifiers(), event.text(), now, self.clock())
        )
        self._timer.start(int(self.max_gap * 1000) + 5)
        return True

    def _time(self, event: QKeyEvent) -> float:
        """When the key was pressed: the window system's stamp (ms), else the clock."""
        stamp = event.timestamp() if self._event_times else 0
        return stamp / 1000.0 if stamp else self.clock()

    def _is_burst(self, now: float) -> bool:
        return len(self._held) >= self.min_length and now - self._held[-1].at <= self.end_pause

    # ------------------------------------------------------------------ decisions
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
        if len(self._held) < self.min_length:
            if idle > self.max_gap:
                self._replay()
                return
        elif idle >= self.end_pause:
            self._emit()  # scanner configured without the Enter suffix
            return
        self._timer.start(int(self.max_gap * 1000) + 5)

    def _emit(self) -> None:
        code = normalise("".join(h.text for h in self._held))
        self._swallowed_keys.update(h.key for h in self._held if not h.released)
        self._held.clear()
        self._timer.stop()
        if code:
            self.scanned.emit(code)

    def _replay(self) -> None:
        """Give held keys to the widgets they were meant for, in order (a person typed them)."""
        held, self._held = self._held, []
        self._timer.stop()
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
