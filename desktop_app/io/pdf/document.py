"""Flowing documents (reports, receipts): A4 pages with a title block, tables that break
across pages with their header repeated, vector charts, and "page n of m" in the footer.

Build a list of flowables with the helpers here and hand it to `write_document`:

    story = [
        title_block(dealer="上海浦东星辰汽车", title="收据", lines=["No. R-2026-0001"]),
        data_table(["项目", "数量", "金额"], rows, widths=[0.6, 0.15, 0.25], numeric={1, 2}),
        totals_table([("合计", "¥ 1,200.00")]),
    ]
    write_document(path, story, title="收据 R-2026-0001", author=dealer, footer="…")

Text is set in the shipped Noto Sans SC (fonts.py): selectable, searchable, extractable.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.charts.piecharts import Pie
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from desktop_app.domain.errors import Cancelled
from desktop_app.io.atomic import write_atomically
from desktop_app.io.pdf import fonts
from desktop_app.io.pdf.palette import (
    ACCENT,
    GRID,
    HEAD_FILL,
    INK,
    MUTED,
    TILE_FILL,
    ZEBRA,
)
from desktop_app.io.pdf.palette import SERIES as PALETTE

MARGIN = 18 * mm
PAGE = A4
WIDTH = PAGE[0] - 2 * MARGIN  # the text column

Progress = Callable[[int, int], None]
IsCancelled = Callable[[], bool]


@functools.cache
def styles() -> dict[str, ParagraphStyle]:
    """Paragraph styles; CJK word wrap breaks between any two Chinese characters."""
    regular, bold = fonts.register()
    base = ParagraphStyle(
        "body", fontName=regular, fontSize=9.5, leading=13, textColor=INK, wordWrap="CJK"
    )
    return {
        "body": base,
        "muted": ParagraphStyle("muted", parent=base, textColor=MUTED),
        "cell": ParagraphStyle("cell", parent=base, fontSize=8.5, leading=11),
        "cell_right": ParagraphStyle(
            "cell_right", parent=base, fontSize=8.5, leading=11, alignment=TA_RIGHT
        ),
        "head": ParagraphStyle("head", parent=base, fontName=bold, fontSize=8.5, leading=11),
        "dealer": ParagraphStyle(
            "dealer", parent=base, fontName=bold, fontSize=10.5, leading=14, textColor=ACCENT
        ),
        "title": ParagraphStyle(
            "title",
            parent=base,
            fontName=bold,
            fontSize=19,
            leading=25,
            spaceBefore=2,
            spaceAfter=4,
        ),
        "h2": ParagraphStyle(
            "h2",
            parent=base,
            fontName=bold,
            fontSize=12.5,
            leading=17,
            spaceBefore=10,
            spaceAfter=5,
        ),
        "tile_value": ParagraphStyle(
            "tile_value", parent=base, fontName=bold, fontSize=15, leading=19
        ),
        "tile_label": ParagraphStyle(
            "tile_label", parent=base, fontSize=7.5, leading=10, textColor=MUTED
        ),
    }


def para(text: Any, style: str = "body") -> Paragraph:
    """A paragraph of plain text (markup characters are escaped)."""
    return Paragraph(escape("" if text is None else str(text)), styles()[style])


# --------------------------------------------------------------------------- blocks


def title_block(
    dealer: str, title: str, lines: Sequence[str] = (), right: Sequence[str] = ()
) -> Flowable:
    """The document's head: the dealer (accent), the title, a few muted lines (date range,
    event, generated at) and, on the right, e.g. a receipt number and date."""
    left = [para(dealer or "Paddock", "dealer"), para(title, "title")]
    left += [para(x, "muted") for x in lines if x]
    rstyle = ParagraphStyle("r", parent=styles()["muted"], alignment=TA_RIGHT)
    rcol = [Paragraph(escape(x), rstyle) for x in right if x]
    t = Table([[left, rcol]], colWidths=[WIDTH * 0.68, WIDTH * 0.32])
    t.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("LINEBELOW", (0, 0), (-1, 0), 1.2, ACCENT),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
            ]
        )
    )
    return t


def heading(text: str) -> list[Flowable]:
    """A section heading that never ends a page (it moves on with room for a few rows)."""
    return [CondPageBreak(40 * mm), para(text, "h2")]


def kpi_tiles(items: Sequence[tuple[str, str]], per_row: int = 4) -> Flowable:
    """Key figures as tiles: the number big, its label under it."""
    gap = 3 * mm
    w = (WIDTH - gap * (per_row - 1)) / per_row
    rows: list[Flowable] = []
    for i in range(0, len(items), per_row):
        chunk = items[i : i + per_row]
        row: list[Any] = []
        style: list[tuple[Any, ...]] = [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("TOPPADDING", (0, 0), (-1, -1), 5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
            ("LEFTPADDING", (0, 0), (-1, -1), 7),
        ]
        for j, (lab, value) in enumerate(chunk):
            if j:
                row.append("")
            row.append([para(value, "tile_value"), para(lab, "tile_label")])
            style += [
                ("BACKGROUND", (2 * j, 0), (2 * j, 0), TILE_FILL),
                ("BOX", (2 * j, 0), (2 * j, 0), 0.5, GRID),
            ]
        widths = [w if k % 2 == 0 else gap for k in range(len(row))]
        t = Table([row], colWidths=widths, hAlign="LEFT")
        t.setStyle(TableStyle(style))
        rows += [t, Spacer(1, gap)]
    return KeepTogether(rows)


def data_table(
    headers: Sequence[str],
    rows: Sequence[Sequence[Any]],
    widths: Sequence[float],
    numeric: set[int] | frozenset[int] = frozenset(),
    wrap: set[int] | frozenset[int] = frozenset(),
) -> Flowable:
    """A table whose header row repeats on every page it runs onto.

    `widths` are fractions of the text column; `numeric` columns are right-aligned;
    `wrap` columns hold long text (comments, names) that wraps instead of running on."""
    st = styles()
    head = [para(h, "head") for h in headers]
    body: list[list[Any]] = []
    for r in rows:
        cells: list[Any] = []
        for i, v in enumerate(r):
            text = ("—" if i in numeric else "") if v is None or v == "" else str(v)
            if i in wrap:
                cells.append(Paragraph(escape(text), st["cell"]))
            else:
                cells.append(text)
        body.append(cells)
    right = ParagraphStyle("head_right", parent=st["head"], alignment=TA_RIGHT)
    for i in numeric:
        head[i] = Paragraph(escape(str(headers[i])), right)
    col_w = [WIDTH * f for f in widths]
    t = Table([head, *body], colWidths=col_w, repeatRows=1, hAlign="LEFT")
    style: list[tuple[Any, ...]] = [
        ("FONTNAME", (0, 1), (-1, -1), fonts.REGULAR),
        ("FONTSIZE", (0, 1), (-1, -1), 8.5),
        ("TEXTCOLOR", (0, 1), (-1, -1), INK),
        ("BACKGROUND", (0, 0), (-1, 0), HEAD_FILL),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, GRID),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3.5),
    ]
    for i in numeric:
        style.append(("ALIGN", (i, 1), (i, -1), "RIGHT"))
    style += [("BACKGROUND", (0, r), (-1, r), ZEBRA) for r in range(2, len(body) + 1, 2)]
    t.setStyle(TableStyle(style))
    return t


def totals_table(items: Sequence[tuple[str, str]], bold_last: bool = True) -> Flowable:
    """Label / amount pairs right-aligned under a table (subtotal, paid, balance)."""
    regular, bold = fonts.register()
    t = Table(
        [[lab, val] for lab, val in items], colWidths=[WIDTH * 0.3, WIDTH * 0.2], hAlign="RIGHT"
    )
    style: list[tuple[Any, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), regular),
        ("FONTSIZE", (0, 0), (-1, -1), 9.5),
        ("ALIGN", (0, 0), (-1, -1), "RIGHT"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    if bold_last and items:
        style += [
            ("FONTNAME", (0, -1), (-1, -1), bold),
            ("FONTSIZE", (0, -1), (-1, -1), 11),
            ("LINEABOVE", (0, -1), (-1, -1), 0.8, INK),
        ]
    t.setStyle(TableStyle(style))
    return t


def key_values(items: Sequence[tuple[str, str]], label_width: float = 0.22) -> Flowable:
    """Two columns of label: value (payer, method, event…)."""
    t = Table(
        [[para(k, "muted"), para(v)] for k, v in items if v],
        colWidths=[WIDTH * label_width, WIDTH * (1 - label_width)],
        hAlign="LEFT",
    )
    t.setStyle(
        TableStyle(
            [
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 1),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return t


# --------------------------------------------------------------------------- charts


def nice_max(v: float) -> float:
    """A round axis top at or above `v` (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10 × 10^k)."""
    import math

    if v <= 5:
        return 5
    scale = 10 ** math.floor(math.log10(v))
    for m in (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10):
        if v <= m * scale:
            return m * scale
    return 10 * scale


def _chart_frame(title: str, height: float) -> Drawing:
    d = Drawing(WIDTH, height)
    d.add(String(0, height - 12, title, fontName=fonts.BOLD, fontSize=11, fillColor=INK))
    return d


def _legend(d: Drawing, names: Sequence[str], right: float, y: float) -> None:
    """Series names in one row ending at `right` (only when there are several)."""
    if len(names) < 2:
        return
    step = max(fonts.width(n, 8) for n in names) + 24
    lg = Legend()
    lg.x, lg.y = right - step * len(names), y
    lg.alignment = "right"  # text on the right of its swatch
    lg.columnMaximum = 1
    lg.deltax = step
    lg.fontName, lg.fontSize = fonts.REGULAR, 8
    lg.colorNamePairs = [(PALETTE[i % len(PALETTE)], n) for i, n in enumerate(names)]
    lg.dx = lg.dy = 7
    d.add(lg)


def _axes_fonts(chart: Any, top: float, labels: Sequence[str], every: int) -> None:
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = top
    chart.valueAxis.valueStep = top / 5
    chart.valueAxis.labels.fontName = fonts.REGULAR
    chart.valueAxis.labels.fontSize = 7.5
    chart.valueAxis.labelTextFormat = lambda v: f"{v:,.0f}" if v >= 10 else f"{v:g}"
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = GRID
    chart.valueAxis.strokeColor = MUTED
    chart.categoryAxis.strokeColor = MUTED
    chart.categoryAxis.labels.fontName = fonts.REGULAR
    chart.categoryAxis.labels.fontSize = 7.5
    chart.categoryAxis.categoryNames = [t if i % every == 0 else "" for i, t in enumerate(labels)]


def _every(labels: Sequence[str], plot_width: float) -> int:
    """Show every n-th category label so that none overlap."""
    if not labels:
        return 1
    widest = max(fonts.width(t, 7.5) for t in labels) + 6
    slot = plot_width / len(labels)
    return max(1, int(-(-widest // slot)))


def bar_chart(
    title: str,
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    height: float = 55 * mm,
    values_on_bars: bool = True,
) -> Drawing:
    """Columns per category (one colour per series); None is an empty slot."""
    fonts.register()
    d = _chart_frame(title, height)
    ch = VerticalBarChart()
    ch.x, ch.y, ch.width, ch.height = 34, 22, WIDTH - 44, height - 52
    data = [[(v if v is not None else 0) for v in vals] for _n, vals in series]
    ch.data = data or [[0]]
    top = nice_max(1.12 * max((v for row in data for v in row), default=0))
    _axes_fonts(ch, top, list(labels) or [""], _every(labels, ch.width))
    ch.groupSpacing = 6
    ch.barSpacing = 1
    for i in range(len(data)):
        ch.bars[i].fillColor = PALETTE[i % len(PALETTE)]
        ch.bars[i].strokeColor = None
    slot = ch.width / max(1, len(labels)) / max(1, len(data))
    if values_on_bars and slot > 14:
        ch.barLabelFormat = lambda v: f"{v:g}" if v else ""
        ch.barLabels.fontName = fonts.REGULAR
        ch.barLabels.fontSize = 7.5
        ch.barLabels.nudge = 6
    d.add(ch)
    _legend(d, [n for n, _v in series], WIDTH, height - 6)
    return d


def line_chart(
    title: str,
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float]]],
    height: float = 66 * mm,
) -> Drawing:
    """One line with dots per series over the categories (months)."""
    from reportlab.graphics.widgets.markers import makeMarker

    fonts.register()
    d = _chart_frame(title, height)
    ch = HorizontalLineChart()
    ch.x, ch.y, ch.width, ch.height = 34, 22, WIDTH - 44, height - 52
    data = [list(vals) for _n, vals in series]
    ch.data = data or [[0]]
    top = nice_max(1.12 * max((v for row in data for v in row), default=0))
    _axes_fonts(ch, top, list(labels) or [""], _every(labels, ch.width))
    ch.joinedLines = 1
    for i in range(len(data)):
        ch.lines[i].strokeColor = PALETTE[i % len(PALETTE)]
        ch.lines[i].strokeWidth = 1.8
        ch.lines[i].symbol = makeMarker("FilledCircle", size=3.5)
        ch.lines[i].symbol.fillColor = PALETTE[i % len(PALETTE)]
    d.add(ch)
    _legend(d, [n for n, _v in series], WIDTH, height - 6)
    return d


def pie_chart(title: str, items: Sequence[tuple[str, float]], height: float = 62 * mm) -> Drawing:
    """A pie with its legend at the side: name, value and share (labels never overlap)."""
    fonts.register()
    d = _chart_frame(title, height)
    total = sum(v for _n, v in items) or 1
    side = min(height - 30, WIDTH / 2 - 20)
    pie = Pie()
    pie.x, pie.y, pie.width, pie.height = 10, (height - 18 - side) / 2, side, side
    pie.data = [v for _n, v in items] or [1]
    pie.labels = None
    pie.startAngle, pie.direction = 90, "clockwise"
    pie.slices.strokeColor = colors.white
    pie.slices.strokeWidth = 1
    for i in range(len(items)):
        pie.slices[i].fillColor = PALETTE[i % len(PALETTE)]
    d.add(pie)
    lg = Legend()
    lg.x, lg.y = side + 40, height - 28
    lg.alignment = "right"
    lg.fontName, lg.fontSize = fonts.REGULAR, 8.5
    lg.columnMaximum = 10
    lg.dx = lg.dy = 8
    lg.deltay = 14
    lg.colorNamePairs = [
        (PALETTE[i % len(PALETTE)], f"{n}  {v:g}  ({100 * v / total:.0f}%)")
        for i, (n, v) in enumerate(items)
    ]
    d.add(lg)
    return d


# --------------------------------------------------------------------------- writing


class _Numbered(Canvas):
    """Holds the pages until the end, then stamps "page n of m" and the footer on each."""

    def __init__(self, *args: Any, footer: str = "", page_word: str = "{n} / {m}", **kw: Any):
        super().__init__(*args, **kw)
        self._held: list[dict[str, Any]] = []
        self._footer, self._page_word = footer, page_word

    def showPage(self) -> None:  # reportlab's name
        self._held.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._held)
        for state in self._held:
            self.__dict__.update(state)
            self._stamp(total)
            super().showPage()
        super().save()

    def _stamp(self, total: int) -> None:
        regular, _bold = fonts.register()
        self.saveState()
        self.setFont(regular, 7.5)
        self.setFillColor(MUTED)
        self.setStrokeColor(GRID)
        self.setLineWidth(0.5)
        y = MARGIN * 0.55
        self.line(MARGIN, y + 10, PAGE[0] - MARGIN, y + 10)
        self.drawString(MARGIN, y, fonts.fit(self._footer, 7.5, WIDTH * 0.75))
        self.drawRightString(
            PAGE[0] - MARGIN, y, self._page_word.format(n=self._pageNumber, m=total)
        )
        self.restoreState()


class _Doc(BaseDocTemplate):
    def __init__(
        self,
        path: str,
        total: int,
        progress: Progress | None,
        is_cancelled: IsCancelled | None,
        **kw: Any,
    ) -> None:
        super().__init__(
            path,
            pagesize=PAGE,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=MARGIN,
            bottomMargin=MARGIN + 4 * mm,
            **kw,
        )
        frame = Frame(
            MARGIN,
            MARGIN + 4 * mm,
            WIDTH,
            PAGE[1] - 2 * MARGIN - 4 * mm,
            id="body",
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        )
        self.addPageTemplates([PageTemplate("page", [frame])])
        self._total, self._done = total, 0
        self._progress, self._is_cancelled = progress, is_cancelled

    def afterFlowable(self, flowable: Flowable) -> None:  # reportlab's name
        self._done += 1
        if self._is_cancelled and self._is_cancelled():
            raise Cancelled("document cancelled; no file written")
        if self._progress:
            self._progress(min(self._done, self._total), self._total)


def write_document(
    path: str | Path,
    story: Sequence[Flowable],
    *,
    title: str,
    author: str = "",
    footer: str = "",
    page_word: str = "{n} / {m}",
    lang: str = "zh",
    progress: Progress | None = None,
    is_cancelled: IsCancelled | None = None,
) -> Path:
    """Lay `story` out on A4 pages and write it atomically (temp name + rename).

    `page_word` formats the page number ({n}, {m}); `progress(done, total)` counts
    flowables laid out; `is_cancelled()` true stops with Cancelled and leaves no file."""
    fonts.register()
    flow = list(story)

    def write(tmp: Path) -> None:
        doc = _Doc(
            str(tmp),
            len(flow),
            progress,
            is_cancelled,
            title=title,
            author=author,
            creator="Paddock",
            subject=title,
            lang="zh-CN" if lang == "zh" else "en",
            invariant=1,
        )
        maker = functools.partial(
            _Numbered, footer=footer, page_word=page_word, initialFontName=fonts.REGULAR
        )
        doc.build(flow, canvasmaker=maker)

    return write_atomically(Path(path), write)


__all__ = [
    "bar_chart",
    "data_table",
    "heading",
    "key_values",
    "kpi_tiles",
    "line_chart",
    "para",
    "pie_chart",
    "title_block",
    "totals_table",
    "write_document",
]
