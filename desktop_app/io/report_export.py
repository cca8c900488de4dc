"""Reports to files: .xlsx with the numbers and native Excel charts, PDF pages, CSV lists.

The xlsx charts are openpyxl charts (Excel draws them, they stay live when numbers are
edited). The PDF is drawn without Qt (the CLI and HQ tooling have none): Pillow renders
A4 pages at 150 dpi with a CJK font and saves them as one PDF — a raster PDF, ~100–300 kB a
page, sharp enough to print at a meeting; the app may print on screen with QPdfWriter.
Files are written to a temporary name and renamed, so a crash never leaves half a file.
"""

from __future__ import annotations

import csv
import math
import os
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, PieChart, Reference
from openpyxl.chart.label import DataLabelList
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from PIL import Image, ImageDraw, ImageFont

from desktop_app.domain.errors import ValidationError
from desktop_app.io.cells import csv_safe, looks_like_formula
from desktop_app.io.report_labels import label

EVENT_KPI_ROWS = (
    "registered",
    "attended",
    "attendance_rate",
    "no_shows",
    "still_to_come",
    "walk_ins",
    "new_prospects",
    "existing_owners",
    "club_members",
    "referrals",
    "new_members",
    "points_awarded",
    "avg_rating",
    "nps",
    "feedback_count",
    "cancelled",
    "waitlisted",
    "cost_per_attendee",
)
COMMUNITY_ROWS = (
    "events",
    "cancelled_events",
    "registered",
    "attended",
    "attendance_rate",
    "walk_ins",
    "referrals",
    "unique_attendees",
    "repeat_attendees",
    "converted",
)


# --------------------------------------------------------------------------- files


def _atomic(path: Path, write: Callable[[Path], None]) -> Path:
    """Write through a temp file in the same folder, then rename over `path`."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=path.suffix, dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        write(tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


def write_rows(
    path: str | Path, headers: Sequence[str], rows: Sequence[Sequence[Any]], title: str = "List"
) -> Path:
    """A plain list to .xlsx (bold header, frozen, filters) or .csv (UTF-8 with BOM)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":

        def write_csv(tmp: Path) -> None:
            with tmp.open("w", encoding="utf-8-sig", newline="") as fh:
                w = csv.writer(fh)
                w.writerow(headers)
                w.writerows([[csv_safe(v) for v in r] for r in rows])

        return _atomic(path, write_csv)
    if suffix != ".xlsx":
        raise ValidationError("out", "bad_export_type")
    wb = Workbook()
    ws = wb.active
    ws.title = title[:31]
    _table(ws, 1, list(headers), [list(r) for r in rows])
    ws.freeze_panes = "A2"
    if rows:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{len(rows) + 1}"
    return _atomic(path, wb.save)


def write_sheets(
    path: str | Path, sheets: Sequence[tuple[str, Sequence[str], Sequence[Sequence[Any]]]]
) -> Path:
    """Several plain lists to one .xlsx, one sheet each (title, headers, rows), atomically."""
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise ValidationError("out", "bad_xlsx_type")
    wb = Workbook()
    wb.remove(wb.active)
    for title, headers, rows in sheets:
        ws = wb.create_sheet(title[:31])
        _table(ws, 1, list(headers), [list(r) for r in rows])
        ws.freeze_panes = "A2"
    return _atomic(path, wb.save)


# --------------------------------------------------------------------------- xlsx

BOLD = Font(bold=True)
HEAD_FILL = PatternFill("solid", fgColor="DDE6F0")


def _table(ws: Any, row: int, headers: list[str], rows: list[list[Any]]) -> int:
    """Header + rows from `row`; widths fitted; returns the last row written."""
    for c, h in enumerate(headers, 1):
        cell = _put(ws, row, c, h)
        cell.font, cell.fill = BOLD, HEAD_FILL
    for r, values in enumerate(rows, row + 1):
        for c, v in enumerate(values, 1):
            _put(ws, r, c, v)
    for c, h in enumerate(headers, 1):
        width = max([_width(h), *(_width(v[c - 1]) for v in rows)]) + 2
        letter = get_column_letter(c)
        ws.column_dimensions[letter].width = max(
            ws.column_dimensions[letter].width or 0, min(width, 50)
        )
    return row + len(rows)


def _put(ws: Any, row: int, column: int, value: Any) -> Any:
    """One cell. Text is always a string cell, byte for byte as given: openpyxl would make
    `=…` a formula and `#N/A` an error; formula-looking text gets Excel's quote-prefix style
    (an edit in Excel keeps it text), never a ' inside the value."""
    cell = ws.cell(row=row, column=column, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
        if looks_like_formula(value):
            cell.quotePrefix = True
    return cell


def _width(value: Any) -> int:
    text = "" if value is None else str(value)
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _bar(
    title: str, ws: Any, cols: tuple[int, int], rows: tuple[int, int], cats: int, y_title: str = ""
) -> BarChart:
    ch = BarChart()
    ch.type = "col"
    ch.title = title
    ch.y_axis.title = y_title
    data = Reference(ws, min_col=cols[0], max_col=cols[1], min_row=rows[0], max_row=rows[1])
    ch.add_data(data, titles_from_data=True)
    ch.set_categories(Reference(ws, min_col=cats, min_row=rows[0] + 1, max_row=rows[1]))
    ch.height, ch.width = 8, 16
    ch.y_axis.delete = False
    ch.x_axis.delete = False
    return ch


def _line(
    title: str, ws: Any, cols: tuple[int, int], rows: tuple[int, int], cats: int
) -> LineChart:
    ch = LineChart()
    ch.title = title
    data = Reference(ws, min_col=cols[0], max_col=cols[1], min_row=rows[0], max_row=rows[1])
    ch.add_data(data, titles_from_data=True)
    ch.set_categories(Reference(ws, min_col=cats, min_row=rows[0] + 1, max_row=rows[1]))
    ch.height, ch.width = 8, 18
    ch.y_axis.delete = False
    ch.x_axis.delete = False
    return ch


def _pie(title: str, ws: Any, col: int, rows: tuple[int, int], cats: int) -> PieChart:
    ch = PieChart()
    ch.title = title
    ch.add_data(Reference(ws, min_col=col, min_row=rows[0], max_row=rows[1]), titles_from_data=True)
    ch.set_categories(Reference(ws, min_col=cats, min_row=rows[0] + 1, max_row=rows[1]))
    ch.dataLabels = DataLabelList()
    ch.dataLabels.showPercent = True
    ch.height, ch.width = 8, 12
    return ch


def _kpi_value(key: str, value: Any) -> Any:
    if key == "attendance_rate" and value is not None:
        return round(float(value), 4)
    return value


def _summary_sheet(
    ws: Any, title: str, subtitle: str, values: dict[str, Any], keys: Sequence[str], lang: str
) -> int:
    _put(ws, 1, 1, title).font = Font(bold=True, size=14)
    _put(ws, 2, 1, subtitle)
    rows = [[label(k, lang), _kpi_value(k, values.get(k))] for k in keys]
    last = _table(ws, 4, [label("metric", lang), label("value", lang)], rows)
    for r in range(5, last + 1):
        if ws.cell(row=r, column=1).value == label("attendance_rate", lang):
            ws.cell(row=r, column=2).number_format = "0.0%"
    ws.column_dimensions["A"].width = max(ws.column_dimensions["A"].width or 0, 28)
    return last


def event_workbook(rep: Any, lang: str = "en") -> Workbook:
    """An EventReport (services/reports.py) as a workbook with charts."""
    data = rep.to_json()
    wb = Workbook()
    ws = wb.active
    ws.title = label("summary", lang)
    when = (data["starts_at"] or "")[:16].replace("T", " ")
    last = _summary_sheet(
        ws,
        f"{label('event_report', lang)} — {rep.title}",
        f"{label(rep.type, lang)} · {when} · {rep.timezone}",
        data,
        EVENT_KPI_ROWS,
        lang,
    )
    invited = sum(b.invited for b in rep.by_butler)
    f0 = last + 3
    _table(
        ws,
        f0,
        [label("funnel", lang), label("value", lang)],
        [
            [label("invited", lang), invited],
            [label("registered", lang), rep.kpis.registered],
            [label("came_registered", lang), rep.kpis.attended - rep.kpis.walk_ins],
        ],
    )
    ws.add_chart(_bar(label("funnel", lang), ws, (2, 2), (f0, f0 + 3), 1), "D4")

    arr = wb.create_sheet(label("arrivals", lang))
    rows = [[b.label, b.check_ins] for b in rep.arrival_curve]
    _table(arr, 1, [label("time", lang), label("check_ins", lang)], rows)
    if rows:
        arr.add_chart(_line(label("arrival_curve", lang), arr, (2, 2), (1, len(rows) + 1), 1), "D2")
    else:
        arr["D2"] = label("no_data", lang)

    src = wb.create_sheet(label("by_source", lang))
    rows = [[label(r.key, lang), r.registered, r.attended] for r in rep.by_source]
    _table(
        src, 1, [label("source", lang), label("registered", lang), label("attended", lang)], rows
    )
    if any(r[2] for r in rows):
        src.add_chart(_pie(label("source_split", lang), src, 3, (1, len(rows) + 1), 1), "E2")

    but = wb.create_sheet(label("by_butler", lang))
    rows = [[r.key, r.invited, r.registered, r.attended] for r in rep.by_butler]
    _table(
        but,
        1,
        [
            label("butler", lang),
            label("invited", lang),
            label("registered", lang),
            label("attended", lang),
        ],
        rows,
    )
    if rows:
        but.add_chart(_bar(label("butler_funnel", lang), but, (2, 4), (1, len(rows) + 1), 1), "F2")

    fb = wb.create_sheet(label("feedback", lang))
    _table(
        fb,
        1,
        [label("name", lang), label("rating", lang), label("nps", lang), label("comment", lang)],
        [[c.name, c.rating, c.nps, c.comment] for c in rep.comments],
    )
    return wb


def community_workbook(rep: Any, lang: str = "en") -> Workbook:
    """A CommunityReport as a workbook with charts."""
    data = rep.to_json()
    wb = Workbook()
    ws = wb.active
    ws.title = label("summary", lang)
    period = f"{label('period', lang)}: {data['from']} — {data['to']}"
    last = _summary_sheet(ws, label("community_report", lang), period, data, COMMUNITY_ROWS, lang)
    f0 = last + 3
    _table(
        ws,
        f0,
        [label("funnel", lang), label("value", lang)],
        [
            [label(k if k != "attended" else "came_registered", lang), rep.funnel.get(k, 0)]
            for k in ("invited", "registered", "attended")
        ],
    )
    ws.add_chart(_bar(label("funnel", lang), ws, (2, 2), (f0, f0 + 3), 1), "D4")

    ms = wb.create_sheet(label("months", lang))
    rows = [
        [m.month, m.events, m.registered, m.attended, m.walk_ins, m.unique_attendees]
        for m in rep.by_month
    ]
    _table(
        ms,
        1,
        [
            label(k, lang)
            for k in ("month", "events", "registered", "attended", "walk_ins", "unique_attendees")
        ],
        rows,
    )
    if rows:
        ms.add_chart(_line(label("monthly_trend", lang), ms, (3, 4), (1, len(rows) + 1), 1), "H2")
        ms.add_chart(_bar(label("events", lang), ms, (2, 2), (1, len(rows) + 1), 1), "H20")

    ts = wb.create_sheet(label("types", lang))
    rows = [[label(t.type, lang), t.events, t.registered, t.attended] for t in rep.by_type]
    _table(ts, 1, [label(k, lang) for k in ("type", "events", "registered", "attended")], rows)
    if rows:
        ts.add_chart(_pie(label("events_by_type", lang), ts, 2, (1, len(rows) + 1), 1), "F2")

    lb = wb.create_sheet(label("leaderboard", lang))
    _table(
        lb,
        1,
        [
            label(k, lang)
            for k in ("name", "kol", "clubs", "referrals", "referrals_attended", "events_attended")
        ],
        [
            [
                u.name,
                label("yes", lang) if u.is_kol else "",
                "、".join(u.clubs),
                u.referrals,
                u.referrals_attended,
                u.events_attended,
            ]
            for u in rep.leaderboard
        ],
    )

    cl = wb.create_sheet(label("clubs", lang))
    _table(
        cl,
        1,
        [label(k, lang) for k in ("name", "members", "events", "attended", "unique_attendees")],
        [[c.name, c.members, c.events, c.attended, c.unique_attendees] for c in rep.clubs],
    )

    bs = wb.create_sheet(label("butlers", lang))
    rows = [[b.name, b.invited, b.called, b.registered, b.attended] for b in rep.butlers]
    _table(
        bs,
        1,
        [label(k, lang) for k in ("butler", "invited", "called", "registered", "attended")],
        rows,
    )
    if rows:
        bs.add_chart(_bar(label("butler_funnel", lang), bs, (2, 5), (1, len(rows) + 1), 1), "G2")

    cv = wb.create_sheet(label("converted", lang))
    _table(
        cv,
        1,
        [label(k, lang) for k in ("name", "stage", "first_attended_at", "stage_changed_at")],
        [
            [
                c.name,
                label(c.stage, lang),
                c.first_attended_at.date().isoformat(),
                c.stage_changed_at.date().isoformat(),
            ]
            for c in rep.converted
        ],
    )
    return wb


# --------------------------------------------------------------------------- pdf (Pillow)

DPI = 150
PAGE = (1240, 1754)  # A4 at 150 dpi
MARGIN = 90
INK = (33, 37, 41)
MUTED = (108, 117, 125)
GRID = (222, 226, 230)
PALETTE = (
    (31, 119, 180),
    (255, 127, 14),
    (44, 160, 44),
    (214, 39, 40),
    (148, 103, 189),
    (140, 86, 75),
    (227, 119, 194),
    (127, 127, 127),
    (188, 189, 34),
    (23, 190, 207),
)
FONT_CANDIDATES = (
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2),  # Debian/Ubuntu: SC face
    ("/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc", 2),
    ("/System/Library/Fonts/PingFang.ttc", 0),
    ("C:/Windows/Fonts/msyh.ttc", 0),  # Microsoft YaHei
    ("C:/Windows/Fonts/simhei.ttf", 0),
)


def _font_source() -> tuple[str, int] | None:
    env = os.environ.get("PADDOCK_PDF_FONT")
    if env and Path(env).exists():
        return env, 0
    for path, index in FONT_CANDIDATES:
        if Path(path).exists():
            return path, index
    return None


def font(size: int) -> Any:
    src = _font_source()
    if src is None:  # no CJK font on this machine: Latin still prints
        return ImageFont.load_default(size)
    return ImageFont.truetype(src[0], size, index=src[1])


KEEP_WITH_HEADING = 40 + 34 * 3  # a table's header and three rows
MIN_ARRIVAL_SLOTS = 12  # the arrival axis spans at least two hours of 10-minute columns


class _Pages:
    """A4 pages drawn top to bottom; a new page when the next block would not fit."""

    def __init__(self, title: str, lang: str) -> None:
        self.title, self.lang = title, lang
        self.pages: list[Image.Image] = []
        self.f_title, self.f_h, self.f, self.f_small = font(40), font(28), font(22), font(18)
        self._new()

    def _new(self) -> None:
        self.img = Image.new("RGB", PAGE, "white")
        self.d = ImageDraw.Draw(self.img)
        self.pages.append(self.img)
        self.y = MARGIN
        self.d.text(
            (MARGIN, PAGE[1] - MARGIN // 2 - 20),
            f"{self.title} · {len(self.pages)}",
            font=self.f_small,
            fill=MUTED,
        )

    def need(self, height: int) -> None:
        if self.y + height > PAGE[1] - MARGIN:
            self._new()

    def heading(self, text: str, size: str = "h") -> None:
        """A heading never ends a page: room for it and the first rows under it."""
        f = self.f_title if size == "title" else self.f_h
        self.need(f.size + 30 + KEEP_WITH_HEADING)
        self.d.text((MARGIN, self.y), text, font=f, fill=INK)
        self.y += f.size + (18 if size == "title" else 14)

    def line(self, text: str) -> None:
        self.need(34)
        self.d.text((MARGIN, self.y), text, font=self.f, fill=MUTED)
        self.y += 36

    def tiles(self, items: list[tuple[str, str]]) -> None:
        """KPI tiles, 4 a row: big number, label under it."""
        w = (PAGE[0] - 2 * MARGIN - 3 * 20) // 4
        big = font(38)
        for i in range(0, len(items), 4):
            self.need(120)
            for j, (lab, val) in enumerate(items[i : i + 4]):
                x = MARGIN + j * (w + 20)
                self.d.rounded_rectangle(
                    (x, self.y, x + w, self.y + 108), 10, fill=(245, 247, 250), outline=GRID
                )
                self.d.text(
                    (x + 16, self.y + 10), _fit(self.d, val, big, w - 32), font=big, fill=INK
                )
                self.d.text(
                    (x + 16, self.y + 66),
                    _fit(self.d, lab, self.f_small, w - 32),
                    font=self.f_small,
                    fill=MUTED,
                )
            self.y += 128
        self.y += 8

    def table(self, headers: list[str], rows: list[list[Any]], widths: list[float]) -> None:
        total = PAGE[0] - 2 * MARGIN
        xs = [MARGIN]
        for w in widths[:-1]:
            xs.append(xs[-1] + int(total * w))
        self.need(40 + 34 * min(len(rows), 3))
        self._row(headers, xs, widths, header=True)
        for r in rows:
            if self.y + 34 > PAGE[1] - MARGIN:
                self._new()
                self._row(headers, xs, widths, header=True)
            self._row([("" if v is None else str(v)) for v in r], xs, widths)
        self.y += 16

    def _row(
        self, cells: list[str], xs: list[int], widths: list[float], header: bool = False
    ) -> None:
        total = PAGE[0] - 2 * MARGIN
        if header:
            self.d.rectangle((MARGIN, self.y, PAGE[0] - MARGIN, self.y + 34), fill=(221, 230, 240))
        for x, w, text in zip(xs, widths, cells, strict=False):
            self.d.text(
                (x + 8, self.y + 5),
                _fit(self.d, text, self.f_small, int(total * w) - 16),
                font=self.f_small,
                fill=INK,
            )
        self.d.line((MARGIN, self.y + 34, PAGE[0] - MARGIN, self.y + 34), fill=GRID)
        self.y += 34

    def chart(
        self,
        title: str,
        draw: Callable[[ImageDraw.ImageDraw, tuple[int, int, int, int]], None],
        height: int = 440,
    ) -> None:
        self.need(height + 60)
        self.d.text((MARGIN, self.y), title, font=self.f_h, fill=INK)
        self.y += 44
        draw(self.d, (MARGIN, self.y, PAGE[0] - MARGIN, self.y + height))
        self.y += height + 24

    def save(self, path: Path) -> None:
        first, *rest = self.pages
        first.save(path, "PDF", resolution=DPI, save_all=True, append_images=rest)


def _fit(d: ImageDraw.ImageDraw, text: str, f: Any, width: int) -> str:
    """Cut text with … so it never runs into the next column."""
    if d.textlength(text, font=f) <= width:
        return text
    while text and d.textlength(text + "…", font=f) > width:
        text = text[:-1]
    return text + "…"


def _nice_max(v: float) -> float:
    """A round axis top at or above `v` (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10 × 10^k)."""
    if v <= 5:  # small counts: whole-number ticks 0…5
        return 5
    scale = 10 ** math.floor(math.log10(v))
    for m in (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10):
        if v <= m * scale:
            return m * scale
    return 10 * scale


def _axes(
    d: ImageDraw.ImageDraw, box: tuple[int, int, int, int], top: float, f: Any
) -> tuple[int, int, int, int]:
    """Y grid with 5 steps; returns the plot area (left, top, right, bottom)."""
    x0, y0, x1, y1 = box
    left, bottom = x0 + 80, y1 - 60
    for i in range(6):
        y = bottom - (bottom - y0) * i / 5
        d.line((left, y, x1, y), fill=GRID)
        val = top * i / 5
        txt = f"{val:g}" if val < 1000 else f"{val:,.0f}"
        d.text((left - 10 - d.textlength(txt, font=f), y - 11), txt, font=f, fill=MUTED)
    d.line((left, y0, left, bottom), fill=MUTED)
    d.line((left, bottom, x1, bottom), fill=MUTED)
    return left, y0, x1, bottom


def _x_labels(
    d: ImageDraw.ImageDraw, labels: list[str], xs: list[float], bottom: int, f: Any
) -> None:
    """Category labels, thinned so none overlap."""
    if not labels:
        return
    widest = max(d.textlength(t, font=f) for t in labels) + 12
    gap = (xs[1] - xs[0]) if len(xs) > 1 else widest
    every = max(1, int(widest // max(gap, 1)) + (1 if widest % max(gap, 1) else 0))
    for i, (t, x) in enumerate(zip(labels, xs, strict=True)):
        if i % every == 0:
            d.text((x - d.textlength(t, font=f) / 2, bottom + 10), t, font=f, fill=INK)


def line_chart(labels: list[str], series: list[tuple[str, list[float]]]) -> Callable[..., None]:
    def draw(d: ImageDraw.ImageDraw, box: tuple[int, int, int, int]) -> None:
        f = font(18)
        top = _nice_max(1.12 * max((v for _n, vals in series for v in vals), default=0))
        left, y0, right, bottom = _axes(d, box, top, f)
        n = max(1, len(labels))
        xs = [left + (right - left) * (i + 0.5) / n for i in range(n)]
        for k, (name, vals) in enumerate(series):
            color = PALETTE[k % len(PALETTE)]
            pts = [(x, bottom - (bottom - y0) * v / top) for x, v in zip(xs, vals, strict=True)]
            if len(pts) > 1:
                d.line(pts, fill=color, width=4)
            for x, y in pts:
                d.ellipse((x - 5, y - 5, x + 5, y + 5), fill=color)
            _legend(d, (right - 220 * (len(series) - k), box[1] - 40), name, color, f)
        _x_labels(d, labels, xs, bottom, f)

    return draw


def bar_chart(
    labels: list[str], series: list[tuple[str, list[float | None]]]
) -> Callable[..., None]:
    """Columns per category; a None value is an empty slot (no column, no number)."""

    def draw(d: ImageDraw.ImageDraw, box: tuple[int, int, int, int]) -> None:
        f = font(18)
        top = _nice_max(
            1.12 * max((v for _n, vals in series for v in vals if v is not None), default=0)
        )
        left, y0, right, bottom = _axes(d, box, top, f)
        n = max(1, len(labels))
        slot = (right - left) / n
        bw = slot * 0.7 / max(1, len(series))
        xs = [left + slot * (i + 0.5) for i in range(n)]
        for k, (name, vals) in enumerate(series):
            color = PALETTE[k % len(PALETTE)]
            for i, v in enumerate(vals):
                if v is None:
                    continue
                x = left + slot * i + slot * 0.15 + bw * k
                h = (bottom - y0) * v / top
                d.rectangle((x, bottom - h, x + bw - 2, bottom), fill=color)
                if bw > 30:
                    txt = f"{v:g}"
                    d.text(
                        (x + (bw - d.textlength(txt, font=f)) / 2, bottom - h - 24),
                        txt,
                        font=f,
                        fill=INK,
                    )
            if len(series) > 1:
                _legend(d, (right - 200 * (len(series) - k), box[1] - 40), name, color, f)
        _x_labels(d, labels, xs, bottom, f)

    return draw


def pie_chart(items: list[tuple[str, float]]) -> Callable[..., None]:
    def draw(d: ImageDraw.ImageDraw, box: tuple[int, int, int, int]) -> None:
        f = font(20)
        x0, y0, x1, y1 = box
        total = sum(v for _n, v in items) or 1
        size = min(y1 - y0, (x1 - x0) // 2) - 20
        cx, cy = x0 + size // 2 + 20, y0 + (y1 - y0) // 2
        start = -90.0
        for k, (_name, v) in enumerate(items):
            sweep = 360.0 * v / total
            d.pieslice(
                (cx - size // 2, cy - size // 2, cx + size // 2, cy + size // 2),
                start,
                start + sweep,
                fill=PALETTE[k % len(PALETTE)],
                outline="white",
                width=2,
            )
            start += sweep
        ly = y0 + 20
        for k, (name, v) in enumerate(items):  # legend at the side: labels never overlap
            _legend(
                d,
                (x0 + size + 80, ly),
                f"{name}  {v:g}  ({100 * v / total:.0f}%)",
                PALETTE[k % len(PALETTE)],
                f,
            )
            ly += 40

    return draw


def _legend(
    d: ImageDraw.ImageDraw, at: tuple[float, float], text: str, color: tuple[int, int, int], f: Any
) -> None:
    x, y = at
    d.rectangle((x, y + 4, x + 18, y + 22), fill=color)
    d.text((x + 26, y), text, font=f, fill=INK)


def _fmt(key: str, value: Any) -> str:
    if value is None:
        return "—"
    if key == "attendance_rate":
        return f"{100 * float(value):.1f}%"
    if isinstance(value, float):
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    return f"{value:,}" if isinstance(value, int) else str(value)


def event_pdf_pages(rep: Any, lang: str) -> _Pages:
    data = rep.to_json()
    p = _Pages(rep.title, lang)
    p.heading(
        f"{label('event_report', lang)}：{rep.title}"
        if lang == "zh"
        else f"{label('event_report', lang)}: {rep.title}",
        "title",
    )
    when = (data["starts_at"] or "")[:16].replace("T", " ")
    p.line(
        f"{label(rep.type, lang)} · {when} ({rep.timezone})"
        + (f" · {rep.venue}" if rep.venue else "")
    )
    p.tiles([(label(k, lang), _fmt(k, data.get(k))) for k in EVENT_KPI_ROWS])
    if rep.is_empty:
        p.line(label("no_data", lang))
        return p
    invited = sum(b.invited for b in rep.by_butler)
    funnel = [invited, rep.kpis.registered, rep.kpis.attended - rep.kpis.walk_ins]
    p.chart(
        label("funnel", lang),
        bar_chart(
            [label(k, lang) for k in ("invited", "registered", "came_registered")],
            [(label("value", lang), funnel)],
        ),
        360,
    )
    if rep.arrival_curve:
        # columns, as on screen; a short curve sits centred in at least two hours' room
        labels = [b.label for b in rep.arrival_curve]
        counts: list[float | None] = [float(b.check_ins) for b in rep.arrival_curve]
        pad = max(0, MIN_ARRIVAL_SLOTS - len(labels))
        before, after = pad // 2, pad - pad // 2
        p.chart(
            label("arrival_curve", lang),
            bar_chart(
                [""] * before + labels + [""] * after,
                [(label("check_ins", lang), [None] * before + counts + [None] * after)],
            ),
        )
    att = [(label(r.key, lang), r.attended) for r in rep.by_source if r.attended]
    if att:
        p.chart(label("source_split", lang), pie_chart(att), 380)
    p.heading(label("by_butler", lang))
    p.table(
        [label(k, lang) for k in ("butler", "invited", "registered", "attended")],
        [[r.key, r.invited, r.registered, r.attended] for r in rep.by_butler],
        [0.4, 0.2, 0.2, 0.2],
    )
    if rep.comments:
        p.heading(label("feedback", lang))
        p.table(
            [label(k, lang) for k in ("name", "rating", "nps", "comment")],
            [[c.name or "—", c.rating, c.nps, c.comment] for c in rep.comments],
            [0.18, 0.1, 0.1, 0.62],
        )
    return p


def community_pdf_pages(rep: Any, lang: str) -> _Pages:
    data = rep.to_json()
    p = _Pages(label("community_report", lang), lang)
    p.heading(label("community_report", lang), "title")
    p.line(f"{label('period', lang)}: {data['from']} — {data['to']} ({rep.timezone})")
    p.tiles([(label(k, lang), _fmt(k, data.get(k))) for k in COMMUNITY_ROWS])
    if rep.is_empty:
        p.line(label("no_events", lang))
        return p
    months = [m.month for m in rep.by_month]
    p.chart(
        label("monthly_trend", lang),
        line_chart(
            months,
            [
                (label("registered", lang), [m.registered for m in rep.by_month]),
                (label("attended", lang), [m.attended for m in rep.by_month]),
            ],
        ),
    )
    p.chart(
        label("funnel", lang),
        bar_chart(
            [label(k, lang) for k in ("invited", "registered", "came_registered")],
            [
                (
                    label("value", lang),
                    [rep.funnel.get(k, 0) for k in ("invited", "registered", "attended")],
                )
            ],
        ),
        340,
    )
    if rep.by_type:
        p.chart(
            label("events_by_type", lang),
            pie_chart([(label(t.type, lang), t.events) for t in rep.by_type]),
            380,
        )
    p.heading(label("leaderboard", lang))
    p.table(
        [
            label(k, lang)
            for k in ("name", "kol", "referrals", "referrals_attended", "events_attended")
        ],
        [
            [
                u.name,
                label("yes", lang) if u.is_kol else "",
                u.referrals,
                u.referrals_attended,
                u.events_attended,
            ]
            for u in rep.leaderboard
        ],
        [0.3, 0.1, 0.2, 0.2, 0.2],
    )
    p.heading(label("butlers", lang))
    p.table(
        [label(k, lang) for k in ("butler", "invited", "called", "registered", "attended")],
        [[b.name, b.invited, b.called, b.registered, b.attended] for b in rep.butlers],
        [0.32, 0.17, 0.17, 0.17, 0.17],
    )
    p.heading(label("clubs", lang))
    p.table(
        [label(k, lang) for k in ("name", "members", "events", "attended", "unique_attendees")],
        [[c.name, c.members, c.events, c.attended, c.unique_attendees] for c in rep.clubs],
        [0.32, 0.17, 0.17, 0.17, 0.17],
    )
    return p


def export_report(rep: Any, path: str | Path, lang: str = "en") -> Path:
    """An EventReport or CommunityReport to .xlsx or .pdf (by the file's suffix)."""
    path = Path(path)
    suffix = path.suffix.lower()
    is_event = hasattr(rep, "kpis")
    if suffix == ".xlsx":
        wb = event_workbook(rep, lang) if is_event else community_workbook(rep, lang)
        return _atomic(path, wb.save)
    if suffix == ".pdf":
        pages = event_pdf_pages(rep, lang) if is_event else community_pdf_pages(rep, lang)
        return _atomic(path, pages.save)
    raise ValidationError("out", "bad_export_type")
