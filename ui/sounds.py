"""Desk sounds: one short distinct tone per scan result class (WAVs in resources/sounds/).

Regenerate the files with `python -m ui.sounds`. Playing never raises: without audio
(no QtMultimedia, no sound device) the desk falls back to QApplication.beep() or silence.
"""

from __future__ import annotations

import math
import struct
import wave
from pathlib import Path

from PySide6.QtCore import QObject, QUrl
from PySide6.QtWidgets import QApplication

from ui.resources import resource_path

RATE = 22050

# result class → notes (frequency Hz, duration s): rising = good, double = look, low buzz = stop
TONES: dict[str, list[tuple[float, float]]] = {
    "accepted": [(880.0, 0.09), (1318.5, 0.14)],
    "warning": [(660.0, 0.11), (0.0, 0.06), (660.0, 0.11)],
    "error": [(220.0, 0.40)],
}

RESULT_CLASS: dict[str, str] = {
    "accepted": "accepted",
    "already_checked_in": "warning",
    "waitlisted": "warning",
    "not_open": "warning",
    "already_checked_out": "warning",  # check-out mode (club drives)
    "not_checked_in": "warning",
    "unknown_ticket": "error",
    "invalid_ticket": "error",
    "wrong_event": "error",
    "cancelled": "error",
    "revoked": "error",
    # issue 14
    "needs_answers": "warning",
    "pending": "warning",
    "declined": "error",
}


def result_class(result: str) -> str:
    """accepted / warning / error for a scan result word (unknown words are errors)."""
    return RESULT_CLASS.get(result, "error")


def _samples(notes: list[tuple[float, float]], square: bool) -> bytes:
    frames = bytearray()
    for freq, dur in notes:
        n = int(RATE * dur)
        fade = max(1, int(RATE * 0.008))  # avoid clicks at note edges
        for i in range(n):
            env = min(1.0, i / fade, (n - i) / fade)
            if freq <= 0:
                v = 0.0
            else:
                s = math.sin(2 * math.pi * freq * i / RATE)
                v = (1.0 if s >= 0 else -1.0) * 0.35 if square else s * 0.6
            frames += struct.pack("<h", int(v * env * 32767))
    return bytes(frames)


def write_tones(folder: Path | None = None) -> list[Path]:
    """Write accepted.wav, warning.wav and error.wav (16-bit mono); returns their paths."""
    folder = folder or resource_path("sounds")
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, notes in TONES.items():
        path = folder / f"{name}.wav"
        tmp = path.with_suffix(".tmp")
        with wave.open(str(tmp), "wb") as w:
            w.setnchannels(1)
            w.setsampwidth(2)
            w.setframerate(RATE)
            w.writeframes(_samples(notes, square=name == "error"))
        tmp.replace(path)
        paths.append(path)
    return paths


class DeskSounds(QObject):
    """Plays the tone of a result class; `enabled=False` (tests, quiet desks) plays nothing."""

    def __init__(self, parent: QObject | None = None, enabled: bool = True) -> None:
        super().__init__(parent)
        self.enabled = enabled
        self.last_played: str | None = None
        self._effects: dict[str, object] = {}
        if not enabled:
            return
        try:
            from PySide6.QtMultimedia import QSoundEffect
        except ImportError:  # Qt without multimedia: beep instead
            return
        for name in TONES:
            path = resource_path("sounds", f"{name}.wav")
            if not path.exists():
                continue
            effect = QSoundEffect(self)
            effect.setSource(QUrl.fromLocalFile(str(path)))
            effect.setVolume(0.8)
            self._effects[name] = effect

    def play(self, result: str) -> str:
        """Play the tone for a scan result; returns the class that was chosen."""
        cls = result_class(result)
        self.last_played = cls
        if not self.enabled:
            return cls
        effect = self._effects.get(cls)
        try:
            if effect is not None and effect.status() != effect.Status.Error:  # type: ignore[attr-defined]
                effect.play()  # type: ignore[attr-defined]
            else:
                QApplication.beep()
        except RuntimeError:  # audio back-end gone (device unplugged): stay silent
            pass
        return cls


if __name__ == "__main__":
    for p in write_tones():
        print(p)
