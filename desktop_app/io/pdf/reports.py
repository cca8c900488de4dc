"""The event and community reports as PDF documents (zh or en).

A title block with the dealer and the date range, the key figures as tiles, vector charts
(reportlab.graphics) each followed by the table of its numbers, and tables that break
across pages with their header repeated; "page n of m" and the report in the footer.
Every figure is text: HQ staff search these files and copy numbers out of them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from reportlab.platypus import Flowable, KeepTogether, Spacer

from desktop_app.domain.timeutil import now_utc, to_local
from desktop_app.io.pdf.document import (
    bar_chart,
    data_table,
    heading,
    kpi_tiles,
    line_chart,
    para,
    pie_chart,
    title_block,
    write_document,
)
from desktop_app.io.report_labels import (
    COMMUNITY_ROWS,
    answer_rows,
    event_kpi_rows,
    label,
    money_rows,
)

MIN_ARRIVAL_SLOTS = 12  # the arrival axis spans at least two hours of 10-minute columns


def fmt(key: str, value: Any) -> str:
    """A figure as the report prints it: rates in %, thousands separated, None as —."""
    if value is None:
        return "—"
    if key == "attendance_rate":
        return f"{100 * float(value):.1f}%"
    if isinstance(value, float):
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    return f"{value:,}" if isinstance(value, int) else str(value)


def _generated(lang: str, tz: str, now: datetime | None) -> str:
    local = to_local(now or now_utc(), tz)
    assert local is not None
    colon = "：" if lang == "zh" else ": "
    return f"{label('generated', lang)}{colon}{local:%Y-%m-%d %H:%M} ({tz})"


def _when(rep: Any) -> str:
    """The event's date range in its own time zone: 2026-03-08 14:00–17:00."""
    start, end = to_local(rep.starts_at, rep.timezone), to_local(rep.ends_at, rep.timezone)
    if start is None:
        return ""
    text = f"{start:%Y-%m-%d %H:%M}"
    if end is not None:
        text += f"–{end:%H:%M}" if end.date() == start.date() else f" – {end:%Y-%m-%d %H:%M}"
    return text


def _chart_with_table(chart: Flowable, table: Flowable) -> list[Flowable]:
    return [KeepTogether([chart, Spacer(1, 2), table]), Spacer(1, 8)]


def event_story(rep: Any, lang: str, dealer: str, now: datetime | None = None) -> list[Flowable]:
    data = rep.to_json()
    colon = "：" if lang == "zh" else ": "
    line = f"{label(rep.type, lang)} · {_when(rep)} ({rep.timezone})"
    if rep.venue:
        line += f" · {rep.venue}"
    extra = []
    if rep.campaign_code:
        extra.append(f"{label('campaign_code', lang)}{colon}{rep.campaign_code}")
    if rep.budget is not None:
        extra.append(f"{label('budget', lang)}{colon}{fmt('budget', float(rep.budget))}")
    story: list[Flowable] = [
        title_block(
            dealer,
            f"{label('event_report', lang)}{colon}{rep.title}",
            [line, " · ".join(extra)],
            [_generated(lang, rep.timezone, now)],
        ),
        Spacer(1, 8),
        kpi_tiles([(label(k, lang), fmt(k, data.get(k))) for k in event_kpi_rows(data)]),
    ]
    if rep.is_empty:
        return [*story, para(label("no_data", lang), "muted")]
    invited = sum(b.invited for b in rep.by_butler)
    steps = [
        ("invited", invited),
        ("registered", rep.kpis.registered),
        ("came_registered", rep.kpis.attended - rep.kpis.walk_ins),
    ]
    story += _chart_with_table(
        bar_chart(label("funnel", lang), [label(k, lang) for k, _v in steps],
                  [(label("value", lang), [v for _k, v in steps])]),
        data_table([label("metric", lang), label("value", lang)],
                   [[label(k, lang), fmt(k, v)] for k, v in steps], [0.7, 0.3], numeric={1}),
    )  # fmt: skip
    if rep.arrival_curve:
        labels = [b.label for b in rep.arrival_curve]
        counts: list[float | None] = [float(b.check_ins) for b in rep.arrival_curve]
        pad = max(0, MIN_ARRIVAL_SLOTS - len(labels))
        before, after = pad // 2, pad - pad // 2
        story += _chart_with_table(
            bar_chart(label("arrival_curve", lang), [""] * before + labels + [""] * after,
                      [(label("check_ins", lang), [None] * before + counts + [None] * after)]),
            data_table([label("time", lang), label("check_ins", lang)],
                       [[b.label, fmt("", b.check_ins)] for b in rep.arrival_curve],
                       [0.7, 0.3], numeric={1}),
        )  # fmt: skip
    sources = [r for r in rep.by_source if r.registered or r.attended]
    if sources:
        att = [(label(r.key, lang), float(r.attended)) for r in sources if r.attended]
        table = data_table(
            [label(k, lang) for k in ("source", "registered", "attended")],
            [[label(r.key, lang), fmt("", r.registered), fmt("", r.attended)] for r in sources],
            [0.5, 0.25, 0.25],
            numeric={1, 2},
        )
        story += _chart_with_table(pie_chart(label("source_split", lang), att), table) if att else [
            *heading(label("by_source", lang)), table
        ]  # fmt: skip
    story += heading(label("by_butler", lang))
    story.append(
        data_table(
            [label(k, lang) for k in ("butler", "invited", "registered", "attended")],
            [[r.key, fmt("", r.invited), fmt("", r.registered), fmt("", r.attended)]
             for r in rep.by_butler],
            [0.4, 0.2, 0.2, 0.2],
            numeric={1, 2, 3},
            wrap={0},
        )
    )  # fmt: skip
    if rep.comments:
        story += heading(label("feedback", lang))
        story.append(
            data_table(
                [label(k, lang) for k in ("name", "rating", "nps", "comment")],
                [[c.name or "—", fmt("", c.rating), fmt("", c.nps), c.comment]
                 for c in rep.comments],
                [0.18, 0.1, 0.1, 0.62],
                numeric={1, 2},
                wrap={0, 3},
            )
        )  # fmt: skip
    return story + _answers_and_gifts(rep, lang) + _money(rep, lang)


def _money(rep: Any, lang: str) -> list[Flowable]:
    """Issue 15: what the shared costs came to (collected, spent, subsidy, balance…)."""
    if rep.money is None:
        return []
    rows = [[k, "—" if c is None else f"{c / 100:,.2f}"] for k, c in money_rows(rep.money, lang)]
    headers = [label("line_item", lang), label("line_amount", lang)]
    return [*heading(label("money", lang)), data_table(headers, rows, [0.7, 0.3], numeric={1})]


def _answers_and_gifts(rep: Any, lang: str) -> list[Flowable]:
    """Issue 14: each question's answer counts (a chart and its table), then the gifts."""
    story: list[Flowable] = []
    if rep.answers:
        story += heading(label("answers", lang))
    for c in rep.answers:
        counts = (f"{label('answered', lang)} {c.answered} · "
                  f"{label('unanswered', lang)} {c.unanswered}")  # fmt: skip
        if c.options:
            rows = answer_rows(c, lang)
            chart = bar_chart(
                c.label,
                [o for o, _n in rows],
                [(label("count", lang), [float(n) for _o, n in rows])],
            )
            table = data_table([label("option", lang), label("count", lang)],
                               [[o, fmt("", n)] for o, n in rows], [0.7, 0.3], numeric={1},
                               wrap={0})  # fmt: skip
            block = [chart, Spacer(1, 2), table, Spacer(1, 3), para(counts, "muted")]
            story += [KeepTogether(block), Spacer(1, 8)]
        else:
            story += [para(c.label), para(counts, "muted")]
            if c.mean is not None:
                story.append(
                    data_table([label("mean", lang), "min", "max"],
                               [[fmt("", c.mean), fmt("", c.minimum), fmt("", c.maximum)]],
                               [0.34, 0.33, 0.33], numeric={0, 1, 2})
                )  # fmt: skip
    if rep.gifts and rep.gifts.gifts:
        story += heading(label("gifts", lang))
        story.append(
            data_table(
                [label(k, lang) for k in ("gift", "stock", "handed", "left", "gift_cost")],
                [[g.name, fmt("", g.stock), fmt("", g.handed), fmt("", g.left),
                  fmt("x", float(g.cost * g.handed)) if g.cost is not None else "—"]
                 for g in rep.gifts.gifts],
                [0.36, 0.16, 0.16, 0.16, 0.16],
                numeric={1, 2, 3, 4},
                wrap={0},
            )
        )  # fmt: skip
    return story


def community_story(
    rep: Any, lang: str, dealer: str, now: datetime | None = None
) -> list[Flowable]:
    data = rep.to_json()
    colon = "：" if lang == "zh" else ": "
    period = f"{label('period', lang)}{colon}{data['from']} — {data['to']} ({rep.timezone})"
    story: list[Flowable] = [
        title_block(dealer, label("community_report", lang), [period],
                    [_generated(lang, rep.timezone, now)]),
        Spacer(1, 8),
        kpi_tiles([(label(k, lang), fmt(k, data.get(k))) for k in COMMUNITY_ROWS]),
    ]  # fmt: skip
    if rep.is_empty:
        return [*story, para(label("no_events", lang), "muted")]
    months = [m.month for m in rep.by_month]
    story += [
        line_chart(
            label("monthly_trend", lang),
            months,
            [
                (label("registered", lang), [float(m.registered) for m in rep.by_month]),
                (label("attended", lang), [float(m.attended) for m in rep.by_month]),
            ],
        ),
        Spacer(1, 4),
        data_table(
            [label(k, lang) for k in ("month", "events", "registered", "attended", "walk_ins",
                                      "unique_attendees")],
            [[m.month, *(fmt("", v) for v in (m.events, m.registered, m.attended, m.walk_ins,
                                              m.unique_attendees))] for m in rep.by_month],
            [0.2, 0.14, 0.16, 0.16, 0.16, 0.18],
            numeric={1, 2, 3, 4, 5},
        ),
        Spacer(1, 8),
    ]  # fmt: skip
    steps = [("invited", "invited"), ("registered", "registered"), ("came_registered", "attended")]
    story += _chart_with_table(
        bar_chart(label("funnel", lang), [label(k, lang) for k, _f in steps],
                  [(label("value", lang), [float(rep.funnel.get(f, 0)) for _k, f in steps])]),
        data_table([label("metric", lang), label("value", lang)],
                   [[label(k, lang), fmt("", rep.funnel.get(f, 0))] for k, f in steps],
                   [0.7, 0.3], numeric={1}),
    )  # fmt: skip
    if rep.by_type:
        story += _chart_with_table(
            pie_chart(label("events_by_type", lang),
                      [(label(t.type, lang), float(t.events)) for t in rep.by_type]),
            data_table([label(k, lang) for k in ("type", "events", "registered", "attended")],
                       [[label(t.type, lang), fmt("", t.events), fmt("", t.registered),
                         fmt("", t.attended)] for t in rep.by_type],
                       [0.4, 0.2, 0.2, 0.2], numeric={1, 2, 3}),
        )  # fmt: skip
    story += heading(label("leaderboard", lang))
    story.append(
        data_table(
            [label(k, lang) for k in ("name", "kol", "clubs", "referrals", "referrals_attended",
                                      "events_attended")],
            [[u.name, label("yes", lang) if u.is_kol else "", "、".join(u.clubs),
              fmt("", u.referrals), fmt("", u.referrals_attended), fmt("", u.events_attended)]
             for u in rep.leaderboard],
            [0.2, 0.08, 0.27, 0.13, 0.16, 0.16],
            numeric={3, 4, 5},
            wrap={0, 2},
        )
    )  # fmt: skip
    story += heading(label("butlers", lang))
    story.append(
        data_table(
            [label(k, lang) for k in ("butler", "invited", "called", "registered", "attended")],
            [[b.name, *(fmt("", v) for v in (b.invited, b.called, b.registered, b.attended))]
             for b in rep.butlers],
            [0.32, 0.17, 0.17, 0.17, 0.17],
            numeric={1, 2, 3, 4},
            wrap={0},
        )
    )  # fmt: skip
    story += heading(label("clubs", lang))
    story.append(
        data_table(
            [label(k, lang) for k in ("name", "members", "events", "attended",
                                      "unique_attendees")],
            [[c.name, *(fmt("", v) for v in (c.members, c.events, c.attended,
                                             c.unique_attendees))] for c in rep.clubs],
            [0.32, 0.17, 0.17, 0.17, 0.17],
            numeric={1, 2, 3, 4},
            wrap={0},
        )
    )  # fmt: skip
    if rep.converted:
        story += heading(label("converted", lang))
        story.append(
            data_table(
                [label(k, lang) for k in ("name", "stage", "first_attended_at",
                                          "stage_changed_at")],
                [[c.name, label(c.stage, lang), c.first_attended_at.date().isoformat(),
                  c.stage_changed_at.date().isoformat()] for c in rep.converted],
                [0.34, 0.2, 0.23, 0.23],
                wrap={0},
            )
        )  # fmt: skip
    return story


def write_report(
    rep: Any,
    path: str | Path,
    lang: str = "en",
    dealer: str = "",
    progress: Callable[[int, int], None] | None = None,
    is_cancelled: Callable[[], bool] | None = None,
    now: datetime | None = None,
) -> Path:
    """An EventReport or CommunityReport (services/reports.py) as a PDF, atomically."""
    if hasattr(rep, "kpis"):
        story = event_story(rep, lang, dealer, now)
        title = f"{label('event_report', lang)} — {rep.title}"
    else:
        story = community_story(rep, lang, dealer, now)
        title = f"{label('community_report', lang)} {rep.date_from} — {rep.date_to}"
    return write_document(
        path,
        story,
        title=title,
        author=dealer,
        footer=" · ".join(x for x in (dealer, title) if x),
        page_word=label("page_of", lang),
        lang=lang,
        progress=progress,
        is_cancelled=is_cancelled,
    )
