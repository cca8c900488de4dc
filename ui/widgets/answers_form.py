"""A form with one field per event question (register dialog, a registration's answers).

Each type gets the field a person expects: text and numbers a line, yes/no and one choice a
drop-down, several choices tick boxes, a date a line with an example. `values()` gives
{key: value} for the service (which checks and says which question does not fit);
required questions carry a star.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from desktop_app.services.questions import QuestionView
from ui import labels


class _Ticks(QWidget):
    """Several choices as tick boxes, three to a row."""

    def __init__(self, choices: tuple[str, ...], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        self.boxes = [QCheckBox(c) for c in choices]
        for i, box in enumerate(self.boxes):
            grid.addWidget(box, i // 3, i % 3)

    def value(self) -> list[str]:
        return [b.text() for b in self.boxes if b.isChecked()]

    def set_value(self, value: Any) -> None:
        chosen = {str(v).split(":", 1)[0] for v in (value or [])}
        for b in self.boxes:
            b.setChecked(b.text() in chosen)


class AnswersForm(QWidget):
    """Fields for `questions`; `fields[key]` is the widget of one question."""

    def __init__(self, questions: list[QuestionView], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.questions = list(questions)
        self.fields: dict[str, QWidget] = {}
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        for q in self.questions:
            field = self._field(q)
            self.fields[q.key] = field
            text = q.label + (" *" if q.required else "")
            label = QLabel(text)
            label.setToolTip(f"{q.key} · {labels.question_type(q.type)}")
            label.setWordWrap(True)
            form.addRow(label, field)

    def _field(self, q: QuestionView) -> QWidget:
        if q.type == "yes_no":
            box = QComboBox()
            box.addItem("", None)
            box.addItem(labels.label(labels.YES_NO, "yes"), "yes")
            box.addItem(labels.label(labels.YES_NO, "no"), "no")
            return box
        if q.type == "choice":
            box = QComboBox()
            box.addItem("", None)
            for c in q.choices:
                box.addItem(c, c)
            return box
        if q.type == "multi":
            return _Ticks(q.choices)
        edit = QLineEdit()
        if q.type == "number":
            edit.setPlaceholderText(QCoreApplication.translate("AnswersForm", "a number, e.g. 2"))
        elif q.type == "date":
            edit.setPlaceholderText("2026-05-01")
        return edit

    def values(self) -> dict[str, Any]:
        """{key: value} of the questions answered (empty ones left out)."""
        out: dict[str, Any] = {}
        for q in self.questions:
            w = self.fields[q.key]
            if isinstance(w, QComboBox):
                value = w.currentData()
            elif isinstance(w, _Ticks):
                value = w.value() or None
            else:
                value = w.text().strip() or None  # type: ignore[attr-defined]
            if value is not None:
                out[q.key] = value
        return out

    def set_values(self, answers: dict[str, Any]) -> None:
        """Fill from typed answers (RegistrationView.answers)."""
        for q in self.questions:
            w = self.fields[q.key]
            value = answers.get(q.key)
            if isinstance(w, QComboBox):
                data = ("yes" if value else "no") if isinstance(value, bool) else value
                w.setCurrentIndex(max(0, w.findData(data)))
            elif isinstance(w, _Ticks):
                w.set_value(value)
            else:
                w.setText("" if value is None else labels.answer_text(q.type, value))  # type: ignore[attr-defined]
