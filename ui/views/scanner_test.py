"""Test your scanner: scan the code shown here and see what the desk received — the
characters, the timing, whether it counted as a scan — and what to change. The timing
(longest pause between keys, quiet that ends a code without Enter) is set here for this
desk and used by the desk from its next start."""

from __future__ import annotations

import io

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtGui import QFont, QPixmap
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop_app.services.tickets import qr_image
from ui.widgets.scanner_check import TEST_CODE, Finding, Reading, Verdict, check
from ui.widgets.scanner_input import Burst, LatinLineEdit, ScannerFilter, ScannerSettings

QUIET_MS = 700  # one scan's bursts: until the keyboard has been quiet this long


class ScannerTestDialog(QDialog):
    def __init__(self, settings: QSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.setWindowTitle(self.tr("Test your scanner"))
        self.setModal(True)
        self.reading = Reading()
        self.verdict: Verdict | None = None
        current = ScannerSettings.load(settings)
        self.filter = ScannerFilter(self, settings=current)
        self.filter.burst.connect(self._on_burst)
        self.filter.input_method_burst.connect(self._on_input_method)
        self._quiet = QTimer(self)
        self._quiet.setSingleShot(True)
        self._quiet.setInterval(QUIET_MS)
        self._quiet.timeout.connect(self._show_reading)

        intro = QLabel(
            self.tr(
                "Scan the code below with the scanner, the way you will scan tickets. "
                "This panel shows what the desk received and whether it counted as a scan."
            )
        )
        intro.setWordWrap(True)
        qr = QLabel()
        buf = io.BytesIO()
        qr_image(TEST_CODE, 240).save(buf, "PNG")
        pix = QPixmap()
        pix.loadFromData(buf.getvalue(), "PNG")
        qr.setPixmap(pix)
        qr.setAlignment(Qt.AlignmentFlag.AlignCenter)
        code = QLabel(TEST_CODE)
        code.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        code.setWordWrap(True)
        left = QVBoxLayout()
        left.addWidget(qr)
        left.addWidget(code)
        left.addStretch(1)

        self.received = LatinLineEdit()  # holds the focus: takes no input-method input
        self.received.setReadOnly(True)
        self.received.setPlaceholderText(self.tr("Waiting for a scan…"))
        mono = QFont("monospace")
        mono.setStyleHint(QFont.StyleHint.Monospace)
        self.received.setFont(mono)
        self.verdict_label = QLabel()
        self.verdict_label.setObjectName("scannerVerdict")
        self.verdict_label.setWordWrap(True)
        self.stats = QLabel()
        self.stats.setWordWrap(True)
        self.advice = QLabel(self.tr("Scan the code on the left with your scanner."))
        self.advice.setWordWrap(True)
        self.advice.setTextFormat(Qt.TextFormat.PlainText)
        self.advice.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        got = QGroupBox(self.tr("What the desk received"))
        gcol = QVBoxLayout(got)
        gcol.addWidget(self.received)
        gcol.addWidget(self.verdict_label)
        gcol.addWidget(self.stats)
        gcol.addWidget(self.advice, 1)

        self.gap = QSpinBox()
        self.gap.setRange(10, 150)
        self.gap.setSuffix(" ms")
        self.gap.setValue(round(current.max_gap * 1000))
        self.end_pause = QSpinBox()
        self.end_pause.setRange(30, 600)
        self.end_pause.setSuffix(" ms")
        self.end_pause.setValue(round(current.end_pause * 1000))
        for box in (self.gap, self.end_pause):
            box.valueChanged.connect(self._apply)
        defaults = QPushButton(self.tr("Restore defaults"))
        defaults.clicked.connect(self._defaults)
        timing = QGroupBox(self.tr("This desk's scanner timing"))
        form = QFormLayout(timing)
        form.addRow(self.tr("Longest pause between a scanner's keys"), self.gap)
        form.addRow(self.tr("Quiet that ends a code without Enter"), self.end_pause)
        form.addRow("", defaults)
        form.setAlignment(defaults, Qt.AlignmentFlag.AlignLeft)

        top = QHBoxLayout()
        top.addLayout(left)
        top.addWidget(got, 1)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        col = QVBoxLayout(self)
        col.addWidget(intro)
        col.addLayout(top, 1)
        col.addWidget(timing)
        col.addWidget(buttons)
        self.setMinimumWidth(760)
        self.received.setFocus()

    # ------------------------------------------------------------------ lifecycle
    def showEvent(self, event) -> None:  # type: ignore[no-untyped-def]  # Qt override
        super().showEvent(event)
        if not self.filter.active:
            self.filter.attach(self)
        self.received.setFocus()

    def keyPressEvent(self, event) -> None:  # type: ignore[no-untyped-def]  # Qt override
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            return  # a slow scanner's Enter (handed on as typing) must not save and close
        super().keyPressEvent(event)

    def done(self, result: int) -> None:  # Qt override
        self.filter.detach()
        super().done(result)

    def current(self) -> ScannerSettings:
        return ScannerSettings(self.gap.value() / 1000, self.end_pause.value() / 1000).clamped()

    def _apply(self) -> None:
        self.filter.apply(self.current())

    def _defaults(self) -> None:
        d = ScannerSettings()
        self.gap.setValue(round(d.max_gap * 1000))
        self.end_pause.setValue(round(d.end_pause * 1000))

    def save(self) -> None:
        self.current().save(self.settings)
        self.accept()

    # ------------------------------------------------------------------ readings
    def _on_burst(self, burst: Burst) -> None:
        focus = QApplication.focusWidget()
        if (
            focus is not None
            and focus is not self.received
            and focus.parent()
            in (
                self.gap,
                self.end_pause,
            )
        ):
            return  # someone typing a number into the timing boxes
        self.reading.bursts.append(burst)
        self._quiet.start()

    def _on_input_method(self, typed: str) -> None:
        self.reading.input_method_text += typed
        self._quiet.start()

    def _show_reading(self) -> None:
        reading, self.reading = self.reading, Reading()
        v = check(reading, self.filter.settings)
        self.verdict = v
        self.received.setText(reading.text)
        good = v.counted_as_scan and v.is_ticket
        self.verdict_label.setText(
            ("✓ " + self.tr("Counted as a scan"))
            if v.counted_as_scan
            else ("✕ " + self.tr("Not counted as a scan"))
        )
        self.verdict_label.setStyleSheet(
            f"font-size: 18px; font-weight: bold; color: {'#1e7b34' if good else '#b3261e'};"
        )
        ended = {
            "Enter": self.tr("Enter"),
            "Tab": self.tr("Tab"),
            "Ctrl+J": "Ctrl+J",
            "Ctrl+M": "Ctrl+M",
        }.get(v.suffix or "", self.tr("a pause"))
        self.stats.setText(
            self.tr(
                "%1 characters in %2 ms · pause between keys: average %3 ms, longest %4 ms"
                " · ended by: %5 · Shift and other modifier presses: %6 · keypad digits: %7"
            )
            .replace("%1", str(v.keys))
            .replace("%2", f"{v.duration_ms:.0f}")
            .replace("%3", f"{v.average_gap_ms:.0f}")
            .replace("%4", f"{v.slowest_gap_ms:.0f}")
            .replace("%5", ended if v.counted_as_scan else "—")
            .replace("%6", str(v.modifiers))
            .replace("%7", str(v.keypad))
        )
        self.advice.setText("\n".join("• " + self.words(f) for f in v.findings))
        for f in v.findings:
            if f.code in ("split", "near_limit"):
                self.gap.setValue(int(f.numbers["suggest"]))  # type: ignore[call-overload]
        self.received.setFocus()

    def words(self, f: Finding) -> str:
        n = {k: str(v) for k, v in f.numbers.items()}
        texts = {
            "ok": self.tr("This scanner works at this desk."),
            "suffix_enter": self.tr("It ends each code with Enter: the fastest setting."),
            "suffix_tab": self.tr("It ends each code with Tab: that works too."),
            "suffix_ctrl_j": self.tr("It ends each code with Ctrl+J (line feed): that works too."),
            "suffix_ctrl_m": self.tr(
                "It ends each code with Ctrl+M (carriage return): that works too."
            ),
            "suffix_none": self.tr(
                "It sends nothing after the code, so the desk waits %1 ms of quiet to know "
                "the code has ended. That works; an Enter (CR) suffix makes every scan a "
                "little faster (most scanner manuals have an “add Enter suffix” barcode)."
            ).replace("%1", n.get("end_pause", "")),
            "near_limit": self.tr(
                "Its slowest key came %1 ms after the one before, close to this desk's "
                "limit of %2 ms. The limit is now %3 ms: save to keep it."
            )
            .replace("%1", n.get("slowest", ""))
            .replace("%2", n.get("gap", ""))
            .replace("%3", n.get("suggest", "")),
            "split": self.tr(
                "The keys came up to %1 ms apart, slower than this desk's limit of %2 ms, so "
                "the desk took them for typing. The limit is now %3 ms: scan again, then save."
            )
            .replace("%1", n.get("slowest", ""))
            .replace("%2", n.get("gap", ""))
            .replace("%3", n.get("suggest", "")),
            "too_slow": self.tr(
                "The keys came up to %1 ms apart — as slow as a person types, so the desk "
                "cannot tell them from typing. Set the scanner's character delay to its "
                "shortest (see its manual), or connect it by USB cable instead of Bluetooth."
            ).replace("%1", n.get("slowest", "")),
            "short": self.tr(
                "Only %1 characters arrived (a ticket has at least %2): scan the test code."
            )
            .replace("%1", n.get("keys", ""))
            .replace("%2", n.get("min", "")),
            "lower_case": self.tr(
                "Letters arrived in lower case (Caps Lock is on, or the scanner is set to "
                "lower case): that works — tickets are read in any case."
            ),
            "keypad": self.tr(
                "Digits came from the numeric keypad (keypad emulation): that works."
            ),
            "layout": (
                self.tr(
                    "Some characters came out different (“%1” where the code has “%2”): the "
                    "scanner's keyboard language is not this computer's. Set the scanner to "
                    "the US English keyboard (a barcode in its manual)."
                )
                if n.get("want")
                else self.tr(
                    "“%1” is not a character of a ticket: the scanner's keyboard language is "
                    "not this computer's. Set the scanner to the US English keyboard (a "
                    "barcode in its manual)."
                )
            )
            .replace("%1", n.get("got", ""))
            .replace("%2", n.get("want", "")),
            "not_ticket": self.tr(
                "“%1” is not a Paddock ticket: scan the test code or a ticket Paddock printed."
            ).replace("%1", n.get("text", "")),
            "input_method": self.tr(
                "A Chinese input method took the keys (it typed “%1”). Switch it to English "
                "(usually Shift) before scanning here; the desk itself keeps it off while it "
                "waits for a scan."
            ).replace("%1", n.get("typed", "")),
        }
        return texts.get(f.code, f.code)
