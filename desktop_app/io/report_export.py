"""Reports to files: .xlsx with the numbers and native Excel charts, PDF pages, CSV lists.

The xlsx charts are openpyxl charts (Excel draws them, they stay live when numbers are
edited). The PDF is a real document from the PDF layer (io/pdf/reports.py: text, vector
charts, tables repeating their header). Files are written to a temporary name and
renamed, so a crash never leaves half a file.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, PieChart, Reference
from openpyxl.chart.label import DataLabelList
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from desktop_app.domain.errors import ValidationError
from desktop_app.io.atomic import write_atomically
from desktop_app.io.cells import csv_safe, looks_like_formula
from desktop_app.io.report_labels import (
    COMMUNITY_ROWS,
    answer_rows,
    event_kpi_rows,
    label,
    money_rows,
)

# --------------------------------------------------------------------------- files


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

        return write_atomically(path, write_csv)
    if suffix != ".xlsx":
        raise ValidationError("out", "bad_export_type")
    wb = Workbook()
    ws = wb.active
    ws.title = title[:31]
    _table(ws, 1, list(headers), [list(r) for r in rows])
    ws.freeze_panes = "A2"
    if rows:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{len(rows) + 1}"
    return write_atomically(path, wb.save)


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
    return write_atomically(path, wb.save)


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
        event_kpi_rows(data),
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
    if rep.answers:
        _answers_sheet(wb.create_sheet(label("answers", lang)), rep.answers, lang)
    if rep.gifts and rep.gifts.gifts:
        _gifts_sheet(wb.create_sheet(label("gifts", lang)), rep.gifts, lang)
    if rep.money is not None:
        rows = [[k, None if c is None else c / 100] for k, c in money_rows(rep.money, lang)]
        headers = [label("line_item", lang), label("line_amount", lang)]
        _table(wb.create_sheet(label("money", lang)), 1, headers, rows)
    return wb


def _answers_sheet(ws: Any, answers: Any, lang: str) -> None:
    """Per question: its options with how many chose each, a bar chart beside each."""
    row = 1
    for c in answers:
        _put(ws, row, 1, c.label).font = Font(bold=True)
        ws.cell(row=row, column=3, value=f"{label('answered', lang)} {c.answered} · "
                f"{label('unanswered', lang)} {c.unanswered}")  # fmt: skip
        rows = [[o, n] for o, n in answer_rows(c, lang)]
        if c.mean is not None:
            rows = [[label("mean", lang), c.mean], ["min", c.minimum], ["max", c.maximum]]
        last = _table(ws, row + 1, [label("option", lang), label("count", lang)], rows)
        if c.options:
            chart = _bar(c.label, ws, (2, 2), (row + 1, last), 1)
            chart.height = max(4.0, 1.0 + 0.7 * len(rows))
            ws.add_chart(chart, f"E{row}")
            row = max(last, row + int(chart.height * 2)) + 2
        else:
            row = last + 2


def _gifts_sheet(ws: Any, gifts: Any, lang: str) -> None:
    keys = ("gift", "stock", "handed", "left", "unit_cost", "gift_cost")
    rows = [
        [g.name, g.stock, g.handed, g.left,
         float(g.cost) if g.cost is not None else None,
         float(g.cost * g.handed) if g.cost is not None else None]
        for g in gifts.gifts
    ]  # fmt: skip
    rows.append(["Σ", None, gifts.handed, gifts.left, None, float(gifts.cost)])
    _table(ws, 1, [label(k, lang) for k in keys], rows)


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


def export_report(
    rep: Any,
    path: str | Path,
    lang: str = "en",
    dealer: str = "",
    progress: Callable[[int, int], None] | None = None,
    is_cancelled: Callable[[], bool] | None = None,
) -> Path:
    """An EventReport or CommunityReport to .xlsx or .pdf (by the file's suffix); the PDF
    names `dealer` in its title block (io/pdf/reports.py)."""
    path = Path(path)
    suffix = path.suffix.lower()
    is_event = hasattr(rep, "kpis")
    if suffix == ".xlsx":
        wb = event_workbook(rep, lang) if is_event else community_workbook(rep, lang)
        return write_atomically(path, wb.save)
    if suffix == ".pdf":
        from desktop_app.io.pdf.reports import write_report

        return write_report(rep, path, lang, dealer, progress, is_cancelled)
    raise ValidationError("out", "bad_export_type")
