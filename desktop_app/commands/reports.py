"""`paddock report / followup / feedback / today`: reports, follow-up lists and feedback."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import Any

from desktop_app.cli import Context, common_options
from desktop_app.domain.errors import ValidationError
from desktop_app.domain.messages import text
from desktop_app.io.report_labels import label
from desktop_app.services import exports, feedback, followup, reports
from desktop_app.services.questions import parse_pairs


def _date(value: str, field: str) -> date:
    try:
        return date.fromisoformat(value.strip().replace("/", "-"))
    except ValueError:
        raise ValidationError(field, "bad_datetime") from None


def register(sub: Any) -> None:
    rep = sub.add_parser("report", help="event and community reports").add_subparsers(
        dest="report_verb", metavar="ACTION"
    )
    p = rep.add_parser("event", parents=[common_options()], help="one event's report")
    p.add_argument("event_id")
    p.set_defaults(handler=_event)

    p = rep.add_parser("community", parents=[common_options()], help="community over a range")
    p.add_argument("--from", dest="date_from", required=True, help="first day, 2026-01-01")
    p.add_argument("--to", dest="date_to", required=True, help="last day (included)")
    p.set_defaults(handler=_community)

    exp = rep.add_parser("export", help="write a report to .xlsx or .pdf").add_subparsers(
        dest="export_what", metavar="REPORT"
    )
    p = exp.add_parser("event", parents=[common_options()], help="an event's report")
    p.add_argument("event_id")
    _export_options(p)
    p.set_defaults(handler=_export_event)
    p = exp.add_parser("community", parents=[common_options()], help="the community report")
    p.add_argument("--from", dest="date_from", required=True)
    p.add_argument("--to", dest="date_to", required=True)
    _export_options(p)
    p.set_defaults(handler=_export_community)

    p = sub.add_parser("today", parents=[common_options()], help="the Today overview")
    p.set_defaults(handler=_today)

    p = sub.add_parser("followup", parents=[common_options()], help="follow-up call lists")
    p.add_argument("list", choices=followup.LISTS)
    p.add_argument("--event", help="event id (default: events of the last 30 days)")
    p.add_argument("--months", type=int, default=followup.DEFAULT_MONTHS, help="dormant: N")
    p.add_argument("--out", help="write the list to FILE.xlsx or FILE.csv")
    p.add_argument("--lang", dest="out_lang", choices=("en", "zh"), help="export headers")
    p.add_argument("--assign", metavar="STAFF_ID", help="hand the whole list to this butler")
    p.add_argument("--for-event", help="with --assign: put them on this event's call list")
    p.add_argument(
        "--answer", metavar="KEY=VALUE", help="answered: the answer to look for (test_drive=yes)"
    )
    p.set_defaults(handler=_followup)

    fb = sub.add_parser("feedback", help="post-event feedback").add_subparsers(
        dest="feedback_verb", metavar="ACTION"
    )
    p = fb.add_parser("add", parents=[common_options()], help="feedback of one registration")
    p.add_argument("registration_id")
    p.add_argument("--rating", type=int, help="1–5")
    p.add_argument("--nps", type=int, help="0–10: how likely to recommend us")
    p.add_argument("--comment")
    p.set_defaults(handler=_feedback_add)
    p = fb.add_parser("import", parents=[common_options()], help="import a survey export")
    p.add_argument("event_id")
    p.add_argument("file")
    p.set_defaults(handler=_feedback_import)


def _export_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--out", required=True, help="FILE.xlsx or FILE.pdf")
    p.add_argument("--lang", dest="out_lang", choices=("en", "zh"), help="labels (default: yours)")


def _event_text(r: reports.EventReport, lang: str) -> str:
    data = r.to_json()
    lines = [f"{r.title}  ({r.type}, {str(data['starts_at'] or '')[:16]})"]
    for key in (
        "registered",
        "attended",
        "attendance_rate",
        "no_shows",
        "walk_ins",
        "new_prospects",
        "existing_owners",
        "club_members",
        "referrals",
        "new_members",
        "points_awarded",
        "avg_rating",
        "nps",
        "cost_per_attendee",
    ):
        value = data[key]
        if key == "attendance_rate":
            value = f"{100 * value:.1f}%"
        lines.append(f"  {label(key, lang):<28} {'—' if value is None else value}")
    return "\n".join(lines)


def _event(args: argparse.Namespace, ctx: Context) -> int:
    r = reports.event_report(ctx.db, args.event_id)
    ctx.emit(r.to_json(), lambda: _event_text(r, ctx.lang))
    return 0


def _community_text(r: reports.CommunityReport, lang: str) -> str:
    t = r.totals
    lines = [
        f"{r.date_from} — {r.date_to}: {t.events} {label('events', lang)}, "
        f"{t.registered} {label('registered', lang)}, {t.attended} {label('attended', lang)}, "
        f"{t.unique_attendees} {label('unique_attendees', lang)}, "
        f"{t.repeat_attendees} {label('repeat_attendees', lang)}, {t.converted} "
        f"{label('converted', lang)}"
    ]
    lines += [f"  {m.month}  {m.events:>4} {m.registered:>7} {m.attended:>7}" for m in r.by_month]
    return "\n".join(lines)


def _community(args: argparse.Namespace, ctx: Context) -> int:
    r = reports.community_report(ctx.db, _date(args.date_from, "from"), _date(args.date_to, "to"))
    ctx.emit(r.to_json(), lambda: _community_text(r, ctx.lang))
    return 0


def _lang(args: argparse.Namespace, ctx: Context) -> str:
    return args.out_lang or ("zh" if ctx.lang == "zh" else "en")


def _written(ctx: Context, path: Path, what: str) -> int:
    ctx.emit({"file": str(path), "report": what, "bytes": path.stat().st_size}, f"wrote {path}")
    return 0


def _check_out(out: str) -> Path:
    path = Path(out)
    if path.suffix.lower() not in (".xlsx", ".pdf"):
        raise ValidationError("out", "bad_export_type")
    return path


def _export_event(args: argparse.Namespace, ctx: Context) -> int:
    path = _check_out(args.out)
    r = reports.event_report(ctx.db, args.event_id)
    return _written(ctx, exports.report_file(ctx.db, r, path, _lang(args, ctx)), "event")


def _export_community(args: argparse.Namespace, ctx: Context) -> int:
    path = _check_out(args.out)
    r = reports.community_report(ctx.db, _date(args.date_from, "from"), _date(args.date_to, "to"))
    return _written(ctx, exports.report_file(ctx.db, r, path, _lang(args, ctx)), "community")


def _today(args: argparse.Namespace, ctx: Context) -> int:
    t = reports.today_overview(ctx.db)

    def human() -> str:
        lang = ctx.lang
        lines = [
            text("today_event_line", lang, title=e.title, registered=e.registered,
                 arrived=e.arrived, walk_ins=e.walk_ins, still_to_come=e.still_to_come)
            for e in t.today
        ]  # fmt: skip
        lines += [
            text("today_calls_line", lang, title=c.title, butler=c.butler, count=c.to_call)
            for c in t.calls_behind
        ]
        lines += [f"{o.on} {o.name} {label(o.kind, lang)}" for o in t.occasions]
        lines += [
            text("today_approval_line", lang, title=a.title, count=a.pending)
            for a in t.awaiting_approval
        ]
        return "\n".join(lines) or text("today_nothing", lang)

    ctx.emit(t.to_json(), human)
    return 0


def _followup(args: argparse.Namespace, ctx: Context) -> int:
    answer = None
    if args.answer:
        ((key, value),) = parse_pairs([args.answer]).items()
        answer = (key, value)
    lst = followup.follow_up(
        ctx.db, args.list, event_id=args.event, months=args.months, answer=answer
    )
    out: dict[str, Any] = lst.to_json()
    if args.out:
        out["file"] = str(exports.follow_up_file(ctx.db, lst, args.out, _lang(args, ctx)))
    if args.assign:
        res = followup.assign(
            ctx.db, [r.person_id for r in lst.rows], args.assign, event_id=args.for_event
        )
        out["assigned"] = res.to_json()

    def human() -> str:
        lines = [
            f"{r.name}\t{r.phone or ''}\t{r.butler or '—'}\t{r.event_title or ''}"
            + (f"\t{r.answer}" if r.answer is not None else "")
            for r in lst.rows
        ]
        lines.append(f"{len(lst.rows)} people")
        if "file" in out:
            lines.append(f"wrote {out['file']}")
        return "\n".join(lines)

    ctx.emit(out, human)
    return 0


def _feedback_add(args: argparse.Namespace, ctx: Context) -> int:
    v = feedback.add_feedback(ctx.db, args.registration_id, args.rating, args.nps, args.comment)
    ctx.emit(v.to_json(), f"feedback {'saved' if v.created else 'corrected'}")
    return 0


def _feedback_import(args: argparse.Namespace, ctx: Context) -> int:
    rep = feedback.import_feedback(ctx.db, args.event_id, args.file)
    ctx.emit(rep.to_json(), lambda: rep.summary(ctx.lang))
    return 0
