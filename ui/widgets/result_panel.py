"""The desk's big result panel: colour + drawn symbol + words, readable from a metre away.

Colour alone is never the message: each result class also has its own shape and symbol
(green circle ✓, amber triangle !, red octagon ✕) and the translated result in words.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QKeyEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QPolygonF,
)
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from ui import labels
from ui.sounds import result_class
from ui.widgets.scanner_input import refuses_input_method

# class → (background, text colour, symbol); amber carries dark text for contrast
STYLES: dict[str, tuple[str, str, str]] = {
    "accepted": ("#1e7b34", "#ffffff", "✓"),
    "warning": ("#f2b400", "#1f1600", "!"),
    "error": ("#b3261e", "#ffffff", "✕"),
    "idle": ("#37474f", "#ffffff", ""),
}


# font sizes as multiples of the panel's unit (about a twelfth of its height)
FONT_SCALE = {"title": 1.3, "sentence": 0.6, "name": 1.6, "button": 0.5}


@dataclass(frozen=True)
class PanelContent:
    """Everything the panel shows for one scan (built by the desk from the service outcome)."""

    result: str
    sentence: str = ""
    name: str = ""
    details: tuple[str, ...] = ()  # party size, car/plate, club, tier
    notes: tuple[str, ...] = ()  # VIP, first visit, referred by …
    can_admit: bool = False
    can_override: bool = False
    title: str | None = None  # instead of the result's label (check-out, undo)
    extra: dict[str, object] = field(default_factory=dict)


class SymbolWidget(QWidget):
    """A filled shape with a symbol drawn as strokes (no font needed, no missing glyphs)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.cls = "idle"
        self.setMinimumSize(96, 96)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)

    def set_class(self, cls: str) -> None:
        self.cls = cls
        self.update()

    def paintEvent(self, _event: QPaintEvent) -> None:  # Qt override
        if self.cls == "idle":
            return
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        side = min(self.width(), self.height()) - 4
        r = QRectF((self.width() - side) / 2, (self.height() - side) / 2, side, side)
        ink = QColor(STYLES[self.cls][0])
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor("#ffffff"))
        c = r.center()
        if self.cls == "accepted":
            p.drawEllipse(r)
        elif self.cls == "warning":
            p.drawPolygon(
                QPolygonF(
                    [
                        QPointF(c.x(), r.top()),
                        QPointF(r.right(), r.bottom()),
                        QPointF(r.left(), r.bottom()),
                    ]
                )
            )
        else:
            pts = []
            for i in range(8):
                a = math.pi / 8 + i * math.pi / 4
                pts.append(QPointF(c.x() + side / 2 * math.cos(a), c.y() + side / 2 * math.sin(a)))
            p.drawPolygon(QPolygonF(pts))
        pen = QPen(ink, side * 0.12, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        p.setPen(pen)
        p.setBrush(Qt.BrushStyle.NoBrush)
        s = side
        if self.cls == "accepted":
            path = QPainterPath(QPointF(c.x() - s * 0.24, c.y() + s * 0.02))
            path.lineTo(QPointF(c.x() - s * 0.06, c.y() + s * 0.2))
            path.lineTo(QPointF(c.x() + s * 0.26, c.y() - s * 0.18))
            p.drawPath(path)
        elif self.cls == "warning":
            p.drawLine(QPointF(c.x(), c.y() - s * 0.12), QPointF(c.x(), c.y() + s * 0.16))
            p.drawPoint(QPointF(c.x(), c.y() + s * 0.34))
        else:
            d = s * 0.2
            p.drawLine(QPointF(c.x() - d, c.y() - d), QPointF(c.x() + d, c.y() + d))
            p.drawLine(QPointF(c.x() + d, c.y() - d), QPointF(c.x() - d, c.y() + d))
        p.end()


class ResultPanel(QFrame):
    """Shows one scan result; `admit_requested` / `override_requested` come from its buttons.

    It is also the widget that holds the keyboard focus while the desk waits for a scan:
    it takes no input-method input, so a Chinese IME that is switched on does not turn a
    scanner's letters into pinyin (docs/checkin-desk.md). What a person types on it is
    handed to the search field (`typed`)."""

    admit_requested = Signal()
    override_requested = Signal()
    painted = Signal(int)  # paint serial, for benchmarks and tests ("the result is on screen")
    typed = Signal(str)  # a person typed on the idle desk

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("resultPanel")
        self.setAutoFillBackground(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled, False)
        self.result: str = ""
        self.cls = "idle"
        self.content: PanelContent | None = None
        self.serial = 0
        self.unit = 40  # font unit in px, from the panel's size (resizeEvent)
        self._style_key: tuple[str, int] | None = None
        self.painted_serial = 0
        self.symbol = SymbolWidget(self)
        self.symbol.setAccessibleName("symbol")
        self.title = self._label("title")
        self.sentence = self._label("sentence")
        self.name = self._label("name")
        self.details = self._label("details")
        self.notes = self._label("notes")
        self.admit_button = QPushButton(self.tr("Admit from waitlist (A)"))
        self.admit_button.setShortcut("Alt+A")
        self.override_button = QPushButton(self.tr("Override and check in (O)"))
        self.override_button.setShortcut("Alt+O")
        for b in (self.admit_button, self.override_button):
            b.setMinimumHeight(48)
            b.hide()
        self.admit_button.clicked.connect(self.admit_requested)
        self.override_button.clicked.connect(self.override_requested)

        words = QVBoxLayout()
        words.setSpacing(6)
        words.addWidget(self.title)
        words.addWidget(self.sentence)
        words.addSpacing(12)
        words.addWidget(self.name)
        words.addWidget(self.details)
        words.addWidget(self.notes)
        buttons = QHBoxLayout()
        buttons.addWidget(self.admit_button)
        buttons.addWidget(self.override_button)
        buttons.addStretch(1)
        words.addLayout(buttons)
        words.addStretch(1)
        row = QHBoxLayout(self)
        row.setContentsMargins(28, 24, 28, 24)
        row.setSpacing(28)
        row.addWidget(self.symbol, 0, Qt.AlignmentFlag.AlignTop)
        row.addLayout(words, 1)
        self.show_idle()

    def _label(self, name: str) -> QLabel:
        lab = QLabel(self)
        lab.setObjectName(name)
        lab.setWordWrap(True)
        lab.setTextFormat(Qt.TextFormat.PlainText)
        lab.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        lab.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        return lab

    # ------------------------------------------------------------------ content
    def show_idle(self, message: str | None = None) -> None:
        self.result = ""
        self.content = None
        self._apply_class("idle")
        self.title.setText(message or self.tr("Ready — scan a ticket"))
        self.sentence.setText(self.tr("Or search by name, phone, plate or short code (F3)."))
        for lab in (self.name, self.details, self.notes):
            lab.clear()
            lab.hide()
        self.admit_button.hide()
        self.override_button.hide()
        self._changed()

    def show_message(
        self, title: str, sentence: str = "", name: str = "", cls: str = "idle"
    ) -> None:
        """A non-scan message (undo done, service refused): neutral unless `cls` says otherwise."""
        self.content = None
        self.result = ""
        self._apply_class(cls)
        self.title.setText(title)
        for lab, text in ((self.sentence, sentence), (self.name, name)):
            lab.setText(text)
            lab.setVisible(bool(text))
        for lab in (self.details, self.notes):
            lab.clear()
            lab.hide()
        self.admit_button.hide()
        self.override_button.hide()
        self._changed()

    def show_content(self, content: PanelContent) -> None:
        self.content = content
        self.result = content.result
        self._apply_class(result_class(content.result))
        self.title.setText(content.title or labels.scan_result(content.result))
        self.sentence.setText(content.sentence)
        self.sentence.setVisible(bool(content.sentence))
        for lab, text in (
            (self.name, content.name),
            (self.details, "   ·   ".join(content.details)),
            (self.notes, "   ·   ".join(content.notes)),
        ):
            lab.setText(text)
            lab.setVisible(bool(text))
        self.admit_button.setVisible(content.can_admit)
        self.override_button.setVisible(content.can_override)
        self._changed()

    def _apply_class(self, cls: str) -> None:
        self.cls = cls
        self.symbol.set_class(cls)
        self._restyle()

    def _restyle(self) -> None:
        """Colours and font sizes in one style sheet (a style sheet would override setFont)."""
        key = (self.cls, self.unit)
        if key == self._style_key:
            return  # re-polishing costs milliseconds: only when something changed
        self._style_key = key
        bg, fg, _ = STYLES[self.cls]
        u = self.unit
        px = {name: max(14, int(u * k)) for name, k in FONT_SCALE.items()}
        self.setStyleSheet(
            f"#resultPanel {{ background: {bg}; border-radius: 14px; }}"
            f"#resultPanel QLabel {{ color: {fg}; background: transparent; font-size: {px['sentence']}px; }}"
            f"#resultPanel QLabel#title {{ font-size: {px['title']}px; font-weight: bold; }}"
            f"#resultPanel QLabel#name {{ font-size: {px['name']}px; font-weight: bold; }}"
            f"#resultPanel QLabel#notes {{ font-weight: bold; }}"
            "#resultPanel QPushButton { background: #ffffff; color: #1f1f1f; border-radius: 8px;"
            f" padding: 8px 18px; font-weight: bold; font-size: {px['button']}px; }}"
            "#resultPanel QPushButton { border: 4px solid #ffffff; }"
            "#resultPanel QPushButton:focus { border: 4px solid #0b57d0; }"
        )

    def _changed(self) -> None:
        self.serial += 1
        self.update()

    @property
    def symbol_text(self) -> str:
        return STYLES[self.cls][2]

    @property
    def background(self) -> str:
        return STYLES[self.cls][0]

    def text(self) -> str:
        """All words on the panel (for tests and screen readers)."""
        parts = [
            self.title.text(),
            self.sentence.text(),
            self.name.text(),
            self.details.text(),
            self.notes.text(),
        ]
        return "\n".join(p for p in parts if p)

    # ------------------------------------------------------------------ keyboard
    def inputMethodQuery(self, query: Qt.InputMethodQuery) -> object:  # Qt override
        if refuses_input_method(query):
            return False
        return super().inputMethodQuery(query)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # Qt override
        text = event.text()
        mods = event.modifiers() & (
            Qt.KeyboardModifier.ControlModifier
            | Qt.KeyboardModifier.AltModifier
            | Qt.KeyboardModifier.MetaModifier
        )
        if len(text) == 1 and text.isprintable() and not mods:
            self.typed.emit(text)
            return
        super().keyPressEvent(event)

    # ------------------------------------------------------------------ sizing
    def resizeEvent(self, event) -> None:  # type: ignore[no-untyped-def]  # Qt override
        super().resizeEvent(event)
        h = max(240, self.height())
        w = max(480, self.width())
        self.unit = int(min(h / 12.0, w / 22.0))
        self.symbol.setFixedSize(int(self.unit * 3.2), int(self.unit * 3.2))
        self._restyle()

    def paintEvent(self, event: QPaintEvent) -> None:  # Qt override
        super().paintEvent(event)
        if self.painted_serial != self.serial:
            self.painted_serial = self.serial
            self.painted.emit(self.serial)
