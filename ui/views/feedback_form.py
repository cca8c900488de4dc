"""The desk's quick feedback form at check-out: rating 1–5, NPS 0–10, a comment — keyboard only.

Keys: 1–5 pick the rating (then the NPS row has the focus); 0–9 pick the NPS answer, "1"
then "0" picks 10; ←/→ nudge the focused row; Tab moves on; Enter saves; Esc skips.
The desk opens it with `open_feedback_form(parent, ctx, registration_id, name)`.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.errors import PaddockError
from desktop_app.services import feedback
from desktop_app.services.feedback import FeedbackView
from ui.context import AppContext
from ui.widgets.report_parts import submit_for


class ScaleRow(QFrame):
    """A row of big number buttons (lo…hi) driven by digit keys; `value` is None until picked."""

    picked = Signal(int)

    def __init__(self, lo: int, hi: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lo, self.hi = lo, hi
        self.value: int | None = None
        self._last_key: int | None = None  # "1" then "0" → 10 on the 0–10 scale
        self.setObjectName("scaleRow")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._style(False)
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        row = QHBoxLayout(self)
        row.setContentsMargins(6, 6, 6, 6)
        row.setSpacing(6)
        for n in range(lo, hi + 1):
            button = QPushButton(str(n))
            button.setCheckable(True)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the row takes the keys
            button.setMinimumSize(44, 44)
            button.setStyleSheet(
                "QPushButton { font-size: 15pt; font-weight: 600; border: 1px solid #b8c4d2;"
                " border-radius: 6px; background: white; }"
                "QPushButton:checked { background: #2f6fb3; color: white; border-color: #2f6fb3; }"
            )
            self.group.addButton(button, n)
            row.addWidget(button, 1)
        self.group.idClicked.connect(self.pick)

    def _style(self, focused: bool) -> None:
        colour = "#2f6fb3" if focused else "transparent"
        self.setStyleSheet(f"#scaleRow {{ border: 2px solid {colour}; border-radius: 8px; }}")

    def focusInEvent(self, event: QFocusEvent) -> None:  # Qt override
        self._style(True)
        self._last_key = None
        super().focusInEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:  # Qt override
        self._style(False)
        super().focusOutEvent(event)

    def pick(self, n: int) -> None:
        if not self.lo <= n <= self.hi:
            return
        self.value = n
        self.group.button(n).setChecked(True)
        self.picked.emit(n)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # Qt override
        key = event.key()
        if Qt.Key.Key_0 <= key <= Qt.Key.Key_9:
            digit = key - Qt.Key.Key_0
            if self.hi >= 10 and digit == 0 and self._last_key == 1:
                self.pick(10)
                self._last_key = None
            else:
                self.pick(digit)
                self._last_key = digit
            return
        if key in (Qt.Key.Key_Left, Qt.Key.Key_Right):
            step = 1 if key == Qt.Key.Key_Right else -1
            start = (
                self.value
                if self.value is not None
                else (self.lo if step > 0 else self.hi + 1) - step
            )
            self.pick(min(self.hi, max(self.lo, start + step)))
            return
        super().keyPressEvent(event)


class FeedbackForm(QDialog):
    """Feedback of one registration. `saved` carries the service's FeedbackView."""

    saved = Signal(object)

    def __init__(
        self,
        ctx: AppContext,
        registration_id: uuid.UUID | str,
        name: str = "",
        parent: QWidget | None = None,
        actor: object = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.registration_id = registration_id
        self.actor = actor
        self.saving = False
        self.setWindowTitle(self.tr("Quick feedback"))
        self.setMinimumWidth(640)
        greeting = (
            self.tr("Thank you for coming, %1! How was the event?").replace("%1", name)
            if name
            else self.tr("How was the event?")
        )
        title = QLabel(greeting)
        title.setStyleSheet("font-size: 14pt; font-weight: 600;")
        title.setWordWrap(True)
        self.rating = ScaleRow(1, 5)
        self.nps = ScaleRow(0, 10)
        self.comment = QLineEdit()
        self.comment.setPlaceholderText(self.tr("Anything we should know? (optional)"))
        self.comment.setMaxLength(feedback.COMMENT_MAX)
        self.error = QLabel()
        self.error.setObjectName("fieldError")
        self.error.setWordWrap(True)
        self.save_button = QPushButton(self.tr("Save (Enter)"))
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        skip = QPushButton(self.tr("Skip (Esc)"))
        skip.setAutoDefault(False)
        skip.clicked.connect(self.reject)
        self.rating.picked.connect(lambda _n: self.nps.setFocus())
        self.nps.picked.connect(lambda n: n != 1 and self.comment.setFocus())
        buttons = QHBoxLayout()
        buttons.addWidget(self.error, 1)
        buttons.addWidget(skip)
        buttons.addWidget(self.save_button)
        col = QVBoxLayout(self)
        col.addWidget(title)
        col.addWidget(QLabel(self.tr("Rating (keys 1–5): 1 = poor, 5 = excellent")))
        col.addWidget(self.rating)
        col.addWidget(
            QLabel(self.tr("How likely are you to recommend us to a friend? (keys 0–9, 1 0 = 10)"))
        )
        col.addWidget(self.nps)
        col.addWidget(QLabel(self.tr("Comment")))
        col.addWidget(self.comment)
        col.addLayout(buttons)
        self.setTabOrder(self.rating, self.nps)
        self.setTabOrder(self.nps, self.comment)
        self.rating.setFocus()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # Qt override: Enter saves from anywhere
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.save()
            return
        super().keyPressEvent(event)

    def answers(self) -> tuple[int | None, int | None, str]:
        return self.rating.value, self.nps.value, self.comment.text().strip()

    def save(self) -> None:
        if self.saving:
            return
        rating, nps, comment = self.answers()
        if rating is None and nps is None and not comment:
            self.error.setText(self.tr("Pick a rating or an NPS answer first (or Esc to skip)."))
            self.rating.setFocus()
            return
        self.saving = True
        self.save_button.setEnabled(False)
        db, reg, actor = self.ctx.db, self.registration_id, self.actor
        submit_for(
            self,
            self.ctx.write_pool,
            lambda: feedback.add_feedback(
                db, reg, rating, nps, comment, source="desk", actor=actor
            ),
            self._saved,
            self._failed,
        )

    def _saved(self, view: FeedbackView) -> None:
        self.saving = False
        self.saved.emit(view)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.saving = False
        self.save_button.setEnabled(True)
        text = exc.localized(self.ctx.language) if isinstance(exc, PaddockError) else str(exc)
        self.error.setText(text)
        if not isinstance(exc, PaddockError):
            raise exc


def open_feedback_form(
    parent: QWidget,
    ctx: AppContext,
    registration_id: uuid.UUID | str,
    name: str = "",
    on_saved: Callable[[FeedbackView], Any] | None = None,
    actor: object = None,
) -> FeedbackForm:
    """Open the quick feedback form for a registration (modeless: `open()`, not `exec()`,
    so the desk's event loop and counters keep running). Returns the dialog."""
    form = FeedbackForm(ctx, registration_id, name, parent, actor)
    form.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    if on_saved is not None:
        form.saved.connect(on_saved)
    form.open()
    form.rating.setFocus()
    return form
