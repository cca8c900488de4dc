"""The event report's answers and gifts (issue 14): a bar chart of the answers to each
question with options, a line for numbers and free text, and the gifts handed, left and
their cost. Hidden for an event without questions or gifts."""

from __future__ import annotations

from PySide6.QtWidgets import QGridLayout, QLabel, QVBoxLayout, QWidget

from desktop_app.services.questions import AnswerCounts
from desktop_app.services.reports import EventReport
from ui import labels
from ui.widgets.charts import CountBarsCard, Point
from ui.widgets.report_parts import ReportTable

PER_ROW = 2


def _caption(text: str) -> QLabel:
    label = QLabel(text)
    label.setStyleSheet("font-weight: 600; color: #1f2d3d; padding-top: 8px;")
    return label


class ReportExtras(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.cards: list[CountBarsCard] = []
        self.answers_caption = _caption(self.tr("Answers to the event's questions"))
        self.grid = QGridLayout()
        self.grid.setSpacing(10)
        self.notes = QLabel(wordWrap=True)
        self.notes.setObjectName("hint")
        self.gifts_caption = _caption(self.tr("Gifts at the door"))
        self.gifts = ReportTable(
            [
                self.tr("Gift"),
                self.tr("Stock"),
                self.tr("Handed"),
                self.tr("Left"),
                self.tr("Cost per item"),
                self.tr("Cost handed"),
            ]
        )
        col = QVBoxLayout(self)
        col.setContentsMargins(0, 0, 0, 0)
        col.addWidget(self.answers_caption)
        col.addLayout(self.grid)
        col.addWidget(self.notes)
        col.addWidget(self.gifts_caption)
        col.addWidget(self.gifts)

    def show_report(self, r: EventReport) -> None:
        for card in self.cards:
            self.grid.removeWidget(card)
            card.deleteLater()
        self.cards = []
        notes: list[str] = []
        for c in r.answers:
            if c.options:
                card = CountBarsCard(c.label)
                card.set_points([Point(self._option(c, o.option), (o.count,)) for o in c.options])
                self.grid.addWidget(card, len(self.cards) // PER_ROW, len(self.cards) % PER_ROW)
                self.cards.append(card)
            else:
                notes.append(self._note(c))
        for i in range(PER_ROW):
            self.grid.setColumnStretch(i, 1)
        self.notes.setText("\n".join(notes))
        self.notes.setVisible(bool(notes))
        self.answers_caption.setVisible(bool(r.answers))
        gifts = r.gifts.gifts if r.gifts else ()
        self.gifts_caption.setVisible(bool(gifts))
        self.gifts.setVisible(bool(gifts))
        if gifts and r.gifts is not None:
            rows: list[list[object]] = [
                [
                    g.name,
                    g.stock,
                    g.handed,
                    g.left,
                    "–" if g.cost is None else f"¥{float(g.cost):,.2f}",
                    "–" if g.cost is None else f"¥{float(g.cost * g.handed):,.2f}",
                ]
                for g in gifts
            ]
            rows.append(
                [
                    self.tr("Total"),
                    "",
                    r.gifts.handed,
                    r.gifts.left,
                    "",
                    f"¥{float(r.gifts.cost):,.2f}",
                ]
            )
            self.gifts.set_rows(rows)

    @staticmethod
    def _option(c: AnswerCounts, option: str) -> str:
        if c.type == "yes_no":
            return labels.answer_text("yes_no", option == "yes")
        return option

    def _note(self, c: AnswerCounts) -> str:
        text = (
            self.tr("%1: %2 answered, %3 not")
            .replace("%1", c.label)
            .replace("%2", str(c.answered))
            .replace("%3", str(c.unanswered))
        )
        if c.mean is not None:
            text += " · " + (
                self.tr("average %1 (from %2 to %3)")
                .replace("%1", f"{c.mean:g}")
                .replace("%2", f"{c.minimum:g}")
                .replace("%3", f"{c.maximum:g}")
            )
        return text
