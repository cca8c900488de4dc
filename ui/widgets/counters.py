"""Live desk counters: expected, arrived (walk-ins included), of whom walk-ins, still to come
(and still out for drives)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget


class _Counter(QFrame):
    def __init__(self, caption: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("counter")
        self.set_scale(1.0)
        self.value = QLabel("0")
        self.value.setObjectName("value")
        self.value.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.caption = QLabel(caption)
        self.caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        col = QVBoxLayout(self)
        col.setContentsMargins(8, 4, 8, 6)
        col.setSpacing(0)
        col.addWidget(self.value)
        col.addWidget(self.caption)

    def set_scale(self, k: float) -> None:
        self.setStyleSheet(
            "#counter { background: #263238; border-radius: 10px; }"
            f"#counter QLabel {{ color: #ffffff; background: transparent;"
            f" font-size: {max(13, int(16 * k))}px; }}"
            f"#counter QLabel#value {{ font-size: {max(24, int(40 * k))}px; font-weight: bold; }}"
        )

    def set(self, n: int) -> None:
        self.value.setText(str(n))
        self.setAccessibleName(f"{self.caption.text()}: {n}")


class CountersWidget(QWidget):
    """Four (or five) big numbers; `set_counts` takes the service's desk counts."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # The same words and numbers as the Today page's cards (services/event_counts.py)
        self.expected = _Counter(self.tr("Expected"))
        self.expected.setToolTip(self.tr("People who registered ahead and hold a place"))
        self.arrived = _Counter(self.tr("Arrived"))
        self.arrived.setToolTip(self.tr("Everyone who came, walk-ins included"))
        self.walk_ins = _Counter(self.tr("of whom walk-ins"))
        self.walk_ins.setToolTip(self.tr("Arrived people who registered at the door"))
        self.still_to_come = _Counter(self.tr("Still to come"))
        self.still_to_come.setToolTip(self.tr("Expected people who have not arrived yet"))
        self.still_out = _Counter(self.tr("Still out"))
        self.still_out.hide()
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(10)
        for c in (self.expected, self.arrived, self.walk_ins, self.still_to_come, self.still_out):
            row.addWidget(c, 1)

    def set_counts(
        self,
        expected: int,
        arrived: int,
        walk_ins: int,
        still_to_come: int,
        still_out: int | None = None,
    ) -> None:
        self.expected.set(expected)
        self.arrived.set(arrived)
        self.walk_ins.set(walk_ins)
        self.still_to_come.set(still_to_come)
        self.still_out.setVisible(still_out is not None)
        if still_out is not None:
            self.still_out.set(still_out)

    def set_scale(self, k: float) -> None:
        """Bigger numbers on bigger screens (1.0 = a 768 px high desk)."""
        for c in (self.expected, self.arrived, self.walk_ins, self.still_to_come, self.still_out):
            c.set_scale(k)

    def values(self) -> dict[str, int]:
        """Current numbers by name (tests read these)."""
        out = {
            "expected": int(self.expected.value.text()),
            "arrived": int(self.arrived.value.text()),
            "walk_ins": int(self.walk_ins.value.text()),
            "still_to_come": int(self.still_to_come.value.text()),
        }
        if self.still_out.isVisible() or not self.still_out.isHidden():
            out["still_out"] = int(self.still_out.value.text())
        return out
