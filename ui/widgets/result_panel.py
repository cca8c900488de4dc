"""The desk's big result panel: colour + drawn symbol + words, readable from a metre away.

Colour alone is never the message: each result class also has its own shape and symbol
(green circle ✓, amber triangle !, red octagon ✕) and the translated result in words.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from PySide6.QtCore import QPointF, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
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
BOLD_LINES = {"title", "name", "notes", "question", "gift", "owed"}  # issue 14; owed: issue 15
# the small lines keep READABLE_PX while the big ones shrink; only when even that cannot
# fit do they go down to MIN_PX (the panel never scrolls: the answer must be seen at once)
READABLE_PX, MIN_PX = 15, 11
# the name and title keep at least this unit (name 28 px, title 23 px) while the small
# lines can still give way: the person at the desk reads the name first
KEEP_UNIT = 18
KEEP_FLOOR_PX = 13  # …but not by taking the small lines below this: then the name shrinks
MARGIN_X, MARGIN_Y, GAP, SPACING, NAME_GAP = 28, 24, 28, 6, 12
SMALL_MARGIN = 12  # margins and gap in a narrow panel (a 600×500 desk window)


def _margins(width: int, height: int) -> tuple[int, int]:
    """(x, y): the margins (x is also the gap beside the symbol) for a panel this size,
    full at 1366×768, down to SMALL_MARGIN in a small window, so the words get the room."""
    return (
        max(SMALL_MARGIN, min(MARGIN_X, width // 32)),
        max(SMALL_MARGIN, min(MARGIN_Y, height // 22)),
    )


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


def _sizes(unit: int, floor: int = READABLE_PX) -> dict[str, int]:
    return {name: max(floor, int(unit * k)) for name, k in FONT_SCALE.items()}


def _symbol_side(unit: int) -> int:
    return max(40, int(unit * 3.2))


class SymbolWidget(QWidget):
    """A filled shape with a symbol drawn as strokes (no font needed, no missing glyphs)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.cls = "idle"
        self.setMinimumSize(40, 40)
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
        self.unit = 40  # font unit in px, from the panel's size and words (_fit)
        self.floor = READABLE_PX  # the smallest font size in px (_fit)
        self._style_key: tuple[str, int, int] | None = None
        self.painted_serial = 0
        self.symbol = SymbolWidget(self)
        self.symbol.setAccessibleName("symbol")
        self.lines: list[QLabel] = []  # every text line, in order: what the fit measures
        self.title = self._label("title")
        self.sentence = self._label("sentence")
        self.name = self._label("name")
        self.details = self._label("details")
        self.notes = self._label("notes")
        self.admit_button = QPushButton(self.tr("Admit from waitlist (Alt+A)"))
        self.admit_button.setShortcut("Alt+A")
        self.override_button = QPushButton(self.tr("Override and check in (Alt+O)"))
        self.override_button.setShortcut("Alt+O")
        for b in (self.admit_button, self.override_button):
            b.setMinimumHeight(48)
            b.hide()
        self.admit_button.clicked.connect(self.admit_requested)
        self.override_button.clicked.connect(self.override_requested)

        words = QVBoxLayout()
        words.setSpacing(SPACING)
        words.addWidget(self.title)
        words.addWidget(self.sentence)
        words.addSpacing(NAME_GAP)
        words.addWidget(self.name)
        words.addWidget(self.details)
        words.addWidget(self.notes)
        buttons = QHBoxLayout()
        buttons.addWidget(self.admit_button)
        buttons.addWidget(self.override_button)
        buttons.addStretch(1)
        words.addLayout(buttons)
        words.addStretch(1)
        self.words = words
        row = QHBoxLayout(self)
        row.setContentsMargins(MARGIN_X, MARGIN_Y, MARGIN_X, MARGIN_Y)
        row.setSpacing(GAP)
        self.row = row
        row.addWidget(self.symbol, 0, Qt.AlignmentFlag.AlignTop)
        row.addLayout(words, 1)
        self.show_idle()

    def _label(self, name: str) -> QLabel:
        lab = QLabel(self)
        lab.setObjectName(name)
        lab.setWordWrap(True)
        lab.setTextFormat(Qt.TextFormat.PlainText)
        lab.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        lab.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Minimum)
        self.lines.append(lab)
        return lab

    def add_line(self, name: str) -> QLabel:
        """One more line of words under the notes (a desk question, a gift to hand over, an
        amount owed …): wrapped and shrunk with the rest so everything stays on screen.
        Sentence-sized; bold when `name` is in BOLD_LINES. Hidden while empty."""
        lab = self._label(name)
        self.words.insertWidget(self.words.indexOf(self.lines[-2]) + 1, lab)
        lab.hide()
        return lab

    def set_line(self, lab: QLabel, text: str) -> None:
        """Show `text` on a line (hidden when empty) and fit the panel again."""
        lab.setText(text)
        lab.setVisible(bool(text))
        self._changed()

    # ------------------------------------------------------------------ content
    def show_idle(self, message: str | None = None) -> None:
        self.result = ""
        self.content = None
        self._apply_class("idle")
        self.title.setText(message or self.tr("Ready — scan a ticket"))
        self.sentence.setText(self.tr("Or search by name, phone, plate or short code (F3)."))
        for lab in self.lines[2:]:
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
        for lab in self.lines[3:]:
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
        for lab in self.lines[5:]:  # lines added by add_line: their owners fill them after
            lab.clear()
            lab.hide()
        self.admit_button.setVisible(content.can_admit)
        self.override_button.setVisible(content.can_override)
        self._changed()

    def _apply_class(self, cls: str) -> None:
        self.cls = cls
        self.symbol.set_class(cls)  # the style follows in _changed, once, after the fit

    def _restyle(self) -> None:
        """Colours and font sizes in one style sheet (a style sheet would override setFont)."""
        key = (self.cls, self.unit, self.floor)
        if key == self._style_key:
            return  # re-polishing costs milliseconds: only when something changed
        self._style_key = key
        bg, fg, _ = STYLES[self.cls]
        px = _sizes(self.unit, self.floor)
        bold = "".join(f"#resultPanel QLabel#{n} {{ font-weight: bold; }}" for n in BOLD_LINES)
        self.setStyleSheet(
            f"#resultPanel {{ background: {bg}; border-radius: 14px; }}"
            f"#resultPanel QLabel {{ color: {fg}; background: transparent; font-size: {px['sentence']}px; }}"
            f"#resultPanel QLabel#title {{ font-size: {px['title']}px; }}"
            f"#resultPanel QLabel#name {{ font-size: {px['name']}px; }}"
            + bold
            + "#resultPanel QPushButton { background: #ffffff; color: #1f1f1f; border-radius: 8px;"
            f" padding: 8px 18px; font-weight: bold; font-size: {px['button']}px; }}"
            "#resultPanel QPushButton { border: 4px solid #ffffff; }"
            "#resultPanel QPushButton:focus { border: 4px solid #0b57d0; }"
        )

    def _changed(self) -> None:
        self.serial += 1
        self._fit()
        self._restyle()
        self.update()

    @property
    def symbol_text(self) -> str:
        return STYLES[self.cls][2]

    @property
    def background(self) -> str:
        return STYLES[self.cls][0]

    def text(self) -> str:
        """All words on the panel (for tests and screen readers)."""
        return "\n".join(lab.text() for lab in self.lines if lab.text())

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
        self._fit()
        self._restyle()

    def _fit(self) -> None:
        """The largest font unit (at most a twelfth of the height, a sixteenth of the
        width) at which every visible line, wrapped to the column's width, fits the panel:
        text wraps, then shrinks, and is never clipped — at 1366×768 full screen and in a
        600×500 window beside a spreadsheet alike."""
        if self.width() <= 0 or self.height() <= 0:
            return
        mx, my = _margins(self.width(), self.height())
        if self.row.contentsMargins().left() != mx or self.row.contentsMargins().top() != my:
            self.row.setContentsMargins(mx, my, mx, my)
            self.row.setSpacing(mx)
        top = max(1, int(min(self.height() / 12.0, self.width() / 16.0)))
        floor, unit = READABLE_PX, top
        if not self._fits(unit, floor):
            # first the name and title shrink (down to KEEP_UNIT); then the small lines give
            # way (down to KEEP_FLOOR_PX) before the name shrinks any further; below that
            # only when nothing else fits (MIN_PX)
            unit = self._largest_unit(top, floor)
            while unit < min(KEEP_UNIT, top) and floor > KEEP_FLOOR_PX:
                floor -= 1
                unit = self._largest_unit(top, floor)
            while not self._fits(unit, floor) and floor > MIN_PX:  # the last resort
                floor -= 1
                unit = self._largest_unit(top, floor)
        self.floor = floor
        self.unit = unit
        side = _symbol_side(unit)
        if self.symbol.width() != side:
            self.symbol.setFixedSize(side, side)

    def _largest_unit(self, top: int, floor: int) -> int:
        """The largest unit ≤ top at which everything fits with the small lines at `floor`
        (1 when nothing does): binary search, as the text's height grows with the unit."""
        low, high = 1, top
        while low < high:
            mid = (low + high + 1) // 2
            low, high = (mid, high) if self._fits(mid, floor) else (low, mid - 1)
        return low

    def minimumSizeHint(self) -> QSize:  # Qt override
        """Small: the fit shrinks the words to the panel, so its words never make the
        window taller or wider (a long gift line would otherwise grow a 600×500 desk)."""
        return QSize(240, 160)

    def _fits(self, unit: int, floor: int) -> bool:
        px = _sizes(unit, floor)
        mx, my = _margins(self.width(), self.height())
        width = self.width() - 3 * mx - _symbol_side(unit)
        if width < 40:
            return False
        height = 0
        shown = [lab for lab in self.lines if not lab.isHidden() and lab.text()]
        for lab in shown:
            font = QFont(self.font())
            font.setPixelSize(px.get(lab.objectName(), px["sentence"]))
            font.setBold(lab.objectName() in BOLD_LINES)
            box = QFontMetrics(font).boundingRect(
                QRect(0, 0, width, 100_000), int(Qt.TextFlag.TextWordWrap), lab.text()
            )
            height += box.height() + 2
        height += SPACING * max(0, len(shown) - 1) + NAME_GAP
        if not self.admit_button.isHidden() or not self.override_button.isHidden():
            height += SPACING + max(48, int(px["button"] * 2.2))
        return height <= self.height() - 2 * my

    def paintEvent(self, event: QPaintEvent) -> None:  # Qt override
        super().paintEvent(event)
        if self.painted_serial != self.serial:
            self.painted_serial = self.serial
            self.painted.emit(self.serial)
