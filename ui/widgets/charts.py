"""Report charts (arrival curve, monthly trend, funnel, split) with their numbers one click
away, and the KPI tiles of the report screens.

Why QtCharts and not pyqtgraph: these are a handful of small business charts (bars, a pie,
a line over category labels) that must print and grab cleanly, follow the app's font (Noto
Sans CJK SC for Chinese) and need no extra dependency — QtCharts ships in pyside6-addons,
which we already install. pyqtgraph shines at fast-moving numeric plots (thousands of
points at video rates) but has no category axes, no pie and no bar labels, so we would
rebuild all of that by hand.

Every card shows a chart, a "Show numbers" toggle to a plain table of the same rows, and
an empty state that says what will fill the chart. Long time and month axes show every n-th
label only (as many as fit the card's width), so labels never overlap or get cut.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QCategoryAxis,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QLineSeries,
    QPieSeries,
    QValueAxis,
)
from PySide6.QtCore import QCoreApplication, QMargins, QPointF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

# Calm, colour-blind-friendly palette (Okabe–Ito, darkened a touch for print).
PALETTE = ("#2f6fb3", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#7a7a7a", "#b8a000")
CARD_HEIGHT = 300
MIN_SLOTS = 12  # the arrival axis spans at least two hours of 10-minute columns
MAX_TIME_LABELS = 10  # an axis of 10-minute buckets shows at most this many labels


@dataclass(frozen=True, slots=True)
class Point:
    """One category and its values (one per series), e.g. ("10:20", (7,))."""

    label: str
    values: tuple[float, ...]


def _font(size_delta: float = 0.0, bold: bool = False) -> QFont:
    font = QFont(QApplication.font())
    size = font.pointSizeF() if font.pointSizeF() > 0 else 10.0
    font.setPointSizeF(max(7.0, size + size_delta))
    font.setBold(bold)
    return font


def nice_max(value: float) -> tuple[int, int]:
    """An axis top and tick count for counts: whole-number ticks, at most 6 of them."""
    top = max(1, math.ceil(value))
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000):
        if top / step <= 5:
            ticks = math.ceil(top / step)
            return ticks * step, ticks + 1
    step = 10 ** math.ceil(math.log10(top / 5))
    ticks = math.ceil(top / step)
    return ticks * step, ticks + 1


def count_axis(max_value: float, title: str = "") -> QValueAxis:
    axis = QValueAxis()
    top, ticks = nice_max(max_value)
    axis.setRange(0, top)
    axis.setTickCount(ticks)
    axis.setLabelFormat("%d")
    axis.setLabelsFont(_font(-1))
    if title:
        axis.setTitleText(title)
        axis.setTitleFont(_font(-1))
    axis.setGridLineColor(QColor("#e6eaef"))
    return axis


def label_step(n: int, most: int = MAX_TIME_LABELS) -> int:
    """Show every k-th label so that at most `most` labels are drawn."""
    return max(1, math.ceil(n / most))


def sparse_axis(labels: Sequence[str], width_px: float) -> QCategoryAxis:
    """A category axis over indexes 0…n-1 that labels only every k-th point, k chosen so the
    labels fit `width_px` without overlapping (QBarCategoryAxis would draw them all)."""
    axis = QCategoryAxis()
    axis.setLabelsPosition(QCategoryAxis.AxisLabelsPosition.AxisLabelsPositionOnValue)
    axis.setLabelsFont(_font(-1))
    axis.setTruncateLabels(False)  # we space them instead; "09:..." helps nobody
    axis.setGridLineVisible(False)
    axis.setRange(-0.5, len(labels) - 0.5)
    relabel(axis, labels, width_px)
    return axis


def fitting_step(labels: Sequence[str], font: QFont, width_px: float, slots: float = 0) -> int:
    """Label every k-th of `slots` evenly spaced categories so neighbouring labels keep a gap
    (`slots` defaults to the number of labels; padded axes have more)."""
    if not labels:
        return 1
    if width_px <= 0:
        return label_step(len(labels))
    metrics = QFontMetrics(font)
    widest = max(metrics.horizontalAdvance(t) for t in labels) + 16
    per_slot = width_px / max(slots or len(labels), 1)
    return max(1, math.ceil(widest / per_slot))


def relabel(axis: QCategoryAxis, labels: Sequence[str], width_px: float) -> int:
    """(Re)place the labels of a sparse axis for a plot `width_px` wide; returns the step.
    Untouched when the step would not change (relabelling moves the plot area a pixel or
    two, which would otherwise call us again)."""
    step = fitting_step(labels, axis.labelsFont(), width_px, axis.max() - axis.min())
    current = axis.categoriesLabels()
    if len(current) == len(range(0, len(labels), step)) and current:
        return step
    for old in list(current):
        axis.remove(old)
    for i in range(0, len(labels), step):
        axis.append(labels[i], i)
    return step


def _new_chart() -> QChart:
    chart = QChart()
    chart.setBackgroundRoundness(0)
    chart.setMargins(QMargins(4, 4, 4, 4))
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)  # grabs and prints stay exact
    chart.legend().setFont(_font(-1))
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    return chart


class ChartCard(QFrame):
    """A titled chart with a "Show numbers" toggle to a table and an explained empty state.

    Subclasses build the chart in `_chart(points)`; `set_points` feeds both views.
    """

    PAGE_CHART, PAGE_TABLE, PAGE_EMPTY = 0, 1, 2

    def __init__(
        self,
        title: str,
        headers: Sequence[str],
        empty_text: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("chartCard")
        self.setStyleSheet(
            "#chartCard { background: white; border: 1px solid #d8dee6; border-radius: 6px; }"
            "#chartCard QLabel#chartTitle { font-weight: 600; color: #1f2d3d; }"
        )
        self.headers = list(headers)
        self.empty_text = empty_text
        self.points: list[Point] = []
        self.sparse: QCategoryAxis | None = None  # relabelled to fit when the card resizes
        self.title = QLabel(title)
        self.title.setObjectName("chartTitle")
        self.toggle = QToolButton()
        self.toggle.setCheckable(True)
        # explicit context: PySide's self.tr() would look under the subclass's name
        self.toggle.setText(QCoreApplication.translate("ChartCard", "Show numbers"))
        self.toggle.setToolTip(
            QCoreApplication.translate("ChartCard", "Switch between the chart and its numbers")
        )
        self.toggle.toggled.connect(self._toggled)
        self.view = QChartView()
        self.view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.view.setMinimumHeight(200)
        self.view.setFrameShape(QFrame.Shape.NoFrame)
        self.view.setBackgroundBrush(QColor("white"))
        self.table = QTableWidget(0, len(self.headers))
        self.table.setHorizontalHeaderLabels(self.headers)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.empty = QLabel(empty_text)
        self.empty.setObjectName("emptyState")
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setStyleSheet("padding: 16px;")
        self.stack = QStackedWidget()
        for w in (self.view, self.table, self.empty):
            self.stack.addWidget(w)
        head = QHBoxLayout()
        head.addWidget(self.title, 1)
        head.addWidget(self.toggle)
        col = QVBoxLayout(self)
        col.setContentsMargins(10, 8, 10, 10)
        col.addLayout(head)
        col.addWidget(self.stack, 1)
        self.setFixedHeight(CARD_HEIGHT)  # the page scrolls; a chart never balloons
        self.set_points([])

    # ------------------------------------------------------------------ data
    def set_points(self, points: Sequence[Point]) -> None:
        """Show these numbers (an empty list or all zeros shows the empty state)."""
        self.points = list(points)
        self._fill_table()
        has_data = any(v for p in self.points for v in p.values)
        self.toggle.setEnabled(has_data)
        self.sparse = None
        if has_data:
            old = self.view.chart()
            self.view.setChart(self._chart(self.points))
            if old is not None:
                old.deleteLater()
        self._toggled(self.toggle.isChecked())

    def plot_width(self) -> float:
        chart = self.view.chart()
        area = chart.plotArea().width() if chart is not None else 0.0
        return area if area > 50 else max(100.0, self.view.width() - 90.0)

    def _use_sparse(self, chart: QChart, axis: QCategoryAxis) -> None:
        """Refit the axis labels whenever the plot area changes size (card resized)."""
        self.sparse = axis
        labels = [p.label for p in self.points]
        chart.plotAreaChanged.connect(lambda area: relabel(axis, labels, area.width()))

    def showing(self) -> str:
        """ "chart", "numbers" or "empty" — what the user sees (tests read this)."""
        return ("chart", "numbers", "empty")[self.stack.currentIndex()]

    def table_rows(self) -> list[list[str]]:
        return [
            [
                (self.table.item(r, c).text() if self.table.item(r, c) else "")
                for c in range(self.table.columnCount())
            ]
            for r in range(self.table.rowCount())
        ]

    def _fill_table(self) -> None:
        self.table.setRowCount(len(self.points))
        for r, p in enumerate(self.points):
            cells = [p.label, *(_number(v) for v in p.values)]
            for c, text in enumerate(cells[: len(self.headers)]):
                item = QTableWidgetItem(text)
                if c > 0:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.table.setItem(r, c, item)

    def _toggled(self, numbers: bool) -> None:
        has_data = self.toggle.isEnabled()
        self.toggle.setText(
            QCoreApplication.translate("ChartCard", "Show chart")
            if numbers
            else QCoreApplication.translate("ChartCard", "Show numbers")
        )
        if not has_data:
            self.stack.setCurrentIndex(self.PAGE_EMPTY)
        else:
            self.stack.setCurrentIndex(self.PAGE_TABLE if numbers else self.PAGE_CHART)

    def _chart(self, points: list[Point]) -> QChart:  # pragma: no cover - abstract
        raise NotImplementedError


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


class ArrivalCurveCard(ChartCard):
    """Check-ins per 10 minutes as columns over local times (every n-th time labelled):
    columns stay readable for one busy slot as well as for a long day."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            self.tr("Arrival curve (check-ins per 10 minutes)"),
            [self.tr("From"), self.tr("Check-ins")],
            self.tr("No check-ins yet — the arrival curve fills in as people arrive."),
            parent,
        )

    def _chart(self, points: list[Point]) -> QChart:
        chart = _new_chart()
        chart.legend().hide()
        bar_set = QBarSet(self.tr("Check-ins"))
        bar_set.setColor(QColor(PALETTE[0]))
        bar_set.setBorderColor(QColor(PALETTE[0]))
        for p in points:
            bar_set.append(p.values[0])
        series = QBarSeries()
        series.append(bar_set)
        series.setBarWidth(0.8)
        chart.addSeries(series)
        x = sparse_axis([p.label for p in points], self.plot_width())
        self._use_sparse(chart, x)
        # A short curve sits centred in at least MIN_SLOTS columns' room: one busy slot
        # must not fill the card with a single wall-to-wall column.
        pad = max(0, MIN_SLOTS - len(points))
        x.setRange(-0.5 - pad // 2, len(points) - 0.5 + pad - pad // 2)
        y = count_axis(max(p.values[0] for p in points))
        chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(x)
        series.attachAxis(y)
        return chart


class MonthlyTrendCard(ChartCard):
    """Attendance per month as bars (left axis) and the number of events as a line (right)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            self.tr("Monthly trend"),
            [self.tr("Month"), self.tr("Events"), self.tr("Attended")],
            self.tr("No events in this period — the trend appears once events have taken place."),
            parent,
        )

    def _chart(self, points: list[Point]) -> QChart:
        chart = _new_chart()
        attended = QBarSet(self.tr("Attended"))
        attended.setColor(QColor(PALETTE[0]))
        for p in points:
            attended.append(p.values[1])
        bars = QBarSeries()
        bars.append(attended)
        events = QLineSeries()
        events.setName(self.tr("Events"))
        events.setPointsVisible(True)
        events.setPen(QPen(QColor(PALETTE[1]), 2.5))
        for i, p in enumerate(points):
            events.append(QPointF(i, p.values[0]))
        chart.addSeries(bars)
        chart.addSeries(events)
        x = sparse_axis([p.label for p in points], self.plot_width())
        self._use_sparse(chart, x)
        # head-room above the tallest point so its marker is not cut in half by the frame
        left = count_axis(max(p.values[1] for p in points) * 1.05, self.tr("Attended"))
        right = count_axis(max(p.values[0] for p in points) * 1.05, self.tr("Events"))
        right.setGridLineVisible(False)
        chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(left, Qt.AlignmentFlag.AlignLeft)
        chart.addAxis(right, Qt.AlignmentFlag.AlignRight)
        for s, y in ((bars, left), (events, right)):
            s.attachAxis(x)
            s.attachAxis(y)
        return chart


class FunnelCard(ChartCard):
    """Invited → registered → attended as horizontal bars, each labelled with its number."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            self.tr("Funnel"),
            [self.tr("Step"), self.tr("People"), self.tr("% of first step")],
            self.tr("Nobody invited or registered yet — the funnel fills in as calls are made."),
            parent,
        )

    def set_points(self, points: Sequence[Point]) -> None:
        first = points[0].values[0] if points else 0
        with_share = [
            Point(p.label, (p.values[0], round(100.0 * p.values[0] / first, 1) if first else 0.0))
            for p in points
        ]
        super().set_points(with_share)

    def _chart(self, points: list[Point]) -> QChart:
        return horizontal_bars(points, self.tr("People"), PALETTE[2])


class SplitCard(ChartCard):
    """Shares of a whole (by source, by event type) as a doughnut; the names and numbers sit
    in the legend, not on the slices, so small slices never pile their labels on each other."""

    def __init__(
        self,
        title: str,
        first_header: str,
        value_header: str,
        empty_text: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(title, [first_header, value_header, self.tr("Share")], empty_text, parent)
        self.note = QLabel()  # what the slices add up to, in words (set_note)
        self.note.setObjectName("hint")
        self.note.setWordWrap(True)
        self.note.hide()
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.addWidget(self.note)

    def set_note(self, text: str) -> None:
        """A line under the chart saying what the whole is ("10 registered + 2 walk-ins")."""
        self.note.setText(text)
        self.note.setVisible(bool(text))

    def set_points(self, points: Sequence[Point]) -> None:
        total = sum(p.values[0] for p in points)
        ordered = sorted(points, key=lambda p: -p.values[0])
        super().set_points(
            [
                Point(p.label, (p.values[0], round(100.0 * p.values[0] / total, 1) if total else 0))
                for p in ordered
            ]
        )

    def _fill_table(self) -> None:
        super()._fill_table()
        for r, p in enumerate(self.points):
            self.table.setItem(r, 2, QTableWidgetItem(f"{p.values[1]:.1f} %"))

    def _chart(self, points: list[Point]) -> QChart:
        chart = _new_chart()
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignRight)
        series = QPieSeries()
        series.setHoleSize(0.45)
        series.setPieSize(0.85)
        for i, p in enumerate(points):
            if not p.values[0]:
                continue
            s = series.append(
                f"{p.label}  {_number(p.values[0])} ({p.values[1]:.0f}%)", p.values[0]
            )
            s.setColor(QColor(PALETTE[i % len(PALETTE)]))
            s.setBorderColor(QColor("white"))
        chart.addSeries(series)
        return chart


class CountBarsCard(ChartCard):
    """How many people gave each answer to one question, as horizontal bars labelled with
    their numbers (issue 14: the event report's answer counts)."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(
            title,
            [
                QCoreApplication.translate("CountBarsCard", "Answer"),
                QCoreApplication.translate("CountBarsCard", "People"),
            ],
            QCoreApplication.translate("CountBarsCard", "Nobody has answered yet."),
            parent,
        )

    def _chart(self, points: list[Point]) -> QChart:
        return horizontal_bars(
            points, QCoreApplication.translate("CountBarsCard", "People"), PALETTE[1]
        )


def horizontal_bars(points: list[Point], name: str, colour: str) -> QChart:
    """One horizontal bar per point, the first on top, each labelled with its number."""
    chart = _new_chart()
    chart.legend().hide()
    bar_set = QBarSet(name)
    bar_set.setColor(QColor(colour))
    bar_set.setLabelColor(QColor("#1f2d3d"))
    bar_set.setLabelFont(_font(0, bold=True))
    for p in reversed(points):
        bar_set.append(p.values[0])
    series = QHorizontalBarSeries()
    series.append(bar_set)
    series.setLabelsVisible(True)
    series.setLabelsPosition(QHorizontalBarSeries.LabelsPosition.LabelsOutsideEnd)
    series.setBarWidth(0.6)
    chart.addSeries(series)
    y = QBarCategoryAxis()
    y.append([p.label for p in reversed(points)])
    y.setLabelsFont(_font(-1))
    # Head-room on the right so the outside-end labels are not clipped.
    x = count_axis(max(p.values[0] for p in points) * 1.15)
    chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
    chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
    series.attachAxis(y)
    series.attachAxis(x)
    return chart
