"""`paddock event …`: plan events from the command line."""

from __future__ import annotations

import argparse
from dataclasses import replace
from datetime import datetime
from typing import Any

from desktop_app.cli import Context, common_options
from desktop_app.domain.enums import EventFormat, EventStatus, EventType
from desktop_app.domain.errors import ConfirmationRequired, ValidationError
from desktop_app.domain.messages import EventStatusWord
from desktop_app.domain.timeutil import parse_local, to_local
from desktop_app.io.report_labels import label
from desktop_app.services import events


def _when(value: str | None, field: str, tz: str) -> datetime | None:
    try:
        return parse_local(value, tz)
    except ValueError:
        raise ValidationError(field, "bad_datetime") from None


def _fmt(dt: datetime | None, tz: str) -> str:
    local = to_local(dt, tz)
    return local.strftime("%Y-%m-%d %H:%M") if local else "—"


def register(sub: Any) -> None:
    ev = sub.add_parser("event", help="plan events").add_subparsers(
        dest="event_verb", metavar="ACTION"
    )

    add = ev.add_parser("add", parents=[common_options()], help="create a draft event")
    add.add_argument("--type", required=True, choices=[t.value for t in EventType])
    add.add_argument("--title", required=True)
    add.add_argument("--starts", help="local time, ISO (2026-05-01T14:00 or with +08:00)")
    add.add_argument("--ends")
    add.add_argument("--format", default="on_site", choices=[f.value for f in EventFormat])
    add.add_argument("--capacity", type=int)
    add.add_argument("--waitlist", action="store_true", help="enable a waitlist when full")
    add.add_argument(
        "--approval",
        action="store_true",
        help="invite-only: registrations arrive pending until approved (paddock approve)",
    )
    add.add_argument("--venue")
    add.add_argument("--link", help="online link (livestream / meeting)")
    add.add_argument("--description", default="")
    add.add_argument("--timezone", help="IANA zone (default: the dealer's)")
    add.add_argument("--registration-opens")
    add.add_argument("--registration-closes")
    add.add_argument("--points", type=int, default=0, help="points for attending")
    add.add_argument("--campaign", help="HQ campaign code")
    add.add_argument("--budget")
    add.add_argument("--meeting-point", help="club drive: where cars meet")
    add.add_argument(
        "--route-stop", action="append", default=[], help="club drive: repeat in order"
    )
    add.add_argument("--departure", help="club drive: departure time")
    add.add_argument("--max-cars", type=int, help="club drive: capacity in cars")
    add.add_argument("--instructor", help="care class")
    add.add_argument("--topic", help="care class")
    add.add_argument(
        "--session",
        action="append",
        default=[],
        help="care class session START/END[/TOPIC] (repeat)",
    )
    add.add_argument("--publish", action="store_true", help="publish right away")
    add.set_defaults(handler=_add)

    ls = ev.add_parser("list", parents=[common_options()], help="list events")
    ls.add_argument("--search", default="")
    ls.add_argument("--type", action="append", choices=[t.value for t in EventType])
    ls.add_argument("--status", action="append", choices=[s.value for s in EventStatus])
    ls.add_argument("--from", dest="date_from", help="starting on or after this date")
    ls.add_argument("--to", dest="date_to", help="starting before this date")
    ls.set_defaults(handler=_list)

    edit = ev.add_parser(
        "edit", parents=[common_options()], help="change an event (only the options given)"
    )
    edit.add_argument("id")
    edit.add_argument("--title")
    edit.add_argument("--starts")
    edit.add_argument("--ends")
    edit.add_argument("--format", choices=[f.value for f in EventFormat])
    edit.add_argument("--capacity", type=int)
    edit.add_argument("--waitlist", action=argparse.BooleanOptionalAction, default=None)
    edit.add_argument("--approval", action=argparse.BooleanOptionalAction, default=None)
    edit.add_argument("--venue")
    edit.add_argument("--link")
    edit.add_argument("--description")
    edit.add_argument("--registration-opens")
    edit.add_argument("--registration-closes")
    edit.add_argument("--points", type=int)
    edit.add_argument("--campaign")
    edit.add_argument("--budget")
    edit.add_argument("--meeting-point")
    edit.add_argument("--route-stop", action="append", help="replaces the route (repeat)")
    edit.add_argument("--departure")
    edit.add_argument("--max-cars", type=int)
    edit.add_argument("--instructor")
    edit.add_argument("--topic")
    edit.set_defaults(handler=_edit)

    show = ev.add_parser("show", parents=[common_options()], help="show one event")
    show.add_argument("id")
    show.set_defaults(handler=_show)

    st = ev.add_parser("set-status", parents=[common_options()], help="move through the lifecycle")
    st.add_argument("id")
    st.add_argument("status", choices=[s.value for s in EventStatus])
    st.add_argument(
        "--yes", action="store_true", help="confirm cancelling an event with registrations"
    )
    st.add_argument("--reason", help="why (for cancellations)")
    st.set_defaults(handler=_set_status)

    dup = ev.add_parser(
        "duplicate", parents=[common_options()], help="copy an event as a new draft"
    )
    dup.add_argument("id")
    dup.add_argument("--starts", help="new start; all times move with it")
    dup.add_argument("--title")
    dup.set_defaults(handler=_duplicate)

    tpl = ev.add_parser(
        "save-template", parents=[common_options()], help="save an event as a template"
    )
    tpl.add_argument("id")
    tpl.add_argument("--name", required=True)
    tpl.set_defaults(handler=_save_template)

    tl = ev.add_parser("templates", parents=[common_options()], help="list templates")
    tl.add_argument("--type", choices=[t.value for t in EventType])
    tl.set_defaults(handler=_templates)

    ft = ev.add_parser(
        "from-template", parents=[common_options()], help="create a draft event from a template"
    )
    ft.add_argument("template_id")
    ft.add_argument("--starts", required=True)
    ft.add_argument("--title")
    ft.set_defaults(handler=_from_template)


def _tz(ctx: Context, explicit: str | None = None) -> str:
    return explicit or ctx.timezone


def _sessions(values: list[str], tz: str) -> tuple[events.SessionSlot, ...]:
    slots = []
    for raw in values:
        parts = raw.split("/", 2)
        start = _when(parts[0], "sessions", tz)
        end = _when(parts[1], "sessions", tz) if len(parts) > 1 else None
        topic = parts[2] if len(parts) > 2 else None
        if start is None:
            raise ValidationError("sessions", "bad_datetime")
        slots.append(events.SessionSlot(start, end, topic))
    return tuple(slots)


def _add(args: argparse.Namespace, ctx: Context) -> int:
    tz = _tz(ctx, args.timezone)
    details: dict[str, Any] = {}
    if args.type == EventType.CLUB_DRIVE:
        dep = _when(args.departure, "departure_time", tz)
        details = {
            "meeting_point": args.meeting_point,
            "route_stops": args.route_stop,
            # local time with its offset, as the editor stores it and JSON shows times
            "departure_time": to_local(dep, tz).isoformat() if dep else None,
            "max_cars": args.max_cars,
        }
    elif args.type == EventType.CARE_CLASS:
        details = {"instructor": args.instructor, "topic": args.topic}
    draft = events.EventDraft(
        title=args.title,
        type=args.type,
        format=args.format,
        description=args.description,
        starts_at=_when(args.starts, "starts_at", tz),
        ends_at=_when(args.ends, "ends_at", tz),
        timezone=tz,
        venue=args.venue,
        online_link=args.link,
        capacity=args.capacity,
        waitlist_enabled=args.waitlist,
        registration_opens_at=_when(args.registration_opens, "registration_opens_at", tz),
        registration_closes_at=_when(args.registration_closes, "registration_closes_at", tz),
        points_award=args.points,
        campaign_code=args.campaign,
        budget=args.budget,
        details=details,
        sessions=_sessions(args.session, tz),
        requires_approval=args.approval,
    )
    if args.publish:
        # validate publishability before anything is written
        probe = events.validate(draft)
        if probe:
            raise probe[0]
    view = events.create_event(ctx.db, draft)
    if args.publish:
        try:
            view = events.set_status(ctx.db, view.id, EventStatus.PUBLISHED)
        except Exception:
            events.delete_draft(ctx.db, view.id)
            raise
    ctx.emit(view.to_json(), lambda: _line(view, ctx.lang))
    return 0


def _edit(args: argparse.Namespace, ctx: Context) -> int:
    view = events.get_event(ctx.db, args.id)
    tz = view.timezone
    draft = view.draft()
    changes: dict[str, Any] = {}
    for option, field in (("title", "title"), ("format", "format"), ("capacity", "capacity"),
                          ("waitlist", "waitlist_enabled"), ("venue", "venue"),
                          ("approval", "requires_approval"),
                          ("link", "online_link"), ("description", "description"),
                          ("points", "points_award"), ("campaign", "campaign_code"),
                          ("budget", "budget")):  # fmt: skip
        value = getattr(args, option)
        if value is not None:
            changes[field] = value
    for option, field in (("starts", "starts_at"), ("ends", "ends_at"),
                          ("registration_opens", "registration_opens_at"),
                          ("registration_closes", "registration_closes_at")):  # fmt: skip
        value = getattr(args, option)
        if value is not None:
            changes[field] = _when(value, field, tz)
    details = dict(draft.details)
    for option in ("meeting_point", "instructor", "topic", "max_cars"):
        value = getattr(args, option)
        if value is not None:
            details[option] = value
    if args.route_stop is not None:
        details["route_stops"] = args.route_stop
    if args.departure is not None:
        dep = _when(args.departure, "departure_time", tz)
        details["departure_time"] = to_local(dep, tz).isoformat() if dep else None
    v = events.update_event(ctx.db, view.id, replace(draft, details=details, **changes))
    ctx.emit(v.to_json(), lambda: _line(v, ctx.lang))
    return 0


def _list(args: argparse.Namespace, ctx: Context) -> int:
    tz = _tz(ctx)
    rows = events.list_events(
        ctx.db,
        search=args.search,
        types=args.type,
        statuses=args.status,
        starts_from=_when(args.date_from, "starts_at", tz),
        starts_to=_when(args.date_to, "starts_at", tz),
    )
    items = [
        {
            "id": str(r.id),
            "title": r.title,
            "type": r.type,
            "format": r.format,
            "status": r.status,
            "starts_at": to_local(r.starts_at, r.timezone),
            "ends_at": to_local(r.ends_at, r.timezone),
            "venue": r.venue,
            "capacity": r.capacity,
            "campaign_code": r.campaign_code,
            "registrations": r.registrations,
            "waitlisted": r.waitlisted,
            "walk_ins": r.walk_ins,
            "seats_used": r.seats_used,
        }
        for r in rows
    ]

    def human() -> str:
        if not rows:
            return "no events"
        return "\n".join(
            f"{r.id}  {_fmt(r.starts_at, r.timezone)}  {_status(r.status, ctx.lang)}  "
            f"{label(r.type, ctx.lang)}  {r.title}"
            for r in rows
        )

    ctx.emit({"items": items}, human)
    return 0


def _status(status: str, lang: str) -> str:
    return EventStatusWord(status).localized(lang)


def _line(v: events.EventView, lang: str) -> str:
    """`ID  status  title`: what a CLI verb that changed an event says."""
    return f"{v.id}  {_status(v.status, lang)}  {v.title}"


def _human_event(v: events.EventView, lang: str) -> str:
    kinds = ", ".join((label(v.type, lang), label(v.format, lang), _status(v.status, lang)))
    when = f"{_fmt(v.starts_at, v.timezone)} → {_fmt(v.ends_at, v.timezone)} ({v.timezone})"
    lines = [
        f"{v.title}  [{kinds}]",
        f"{label('event_id', lang)}: {v.id}",
        f"{label('event_when', lang)}: {when}",
    ]
    for key, value in (
        ("venue", v.venue),
        ("online_link", v.online_link),
        ("capacity", v.capacity),
        ("campaign_code", v.campaign_code),
        ("points_award", v.points_award or None),
        ("budget", v.budget),
        ("approval", label("approval_required", lang) if v.requires_approval else None),
        ("pending", v.pending or None),
    ):
        if value is not None:
            lines.append(f"{label(key, lang)}: {value}")
    for k, val in v.details.items():
        lines.append(f"{k}: {val}")
    for n, x in enumerate(v.sessions, 1):
        lines.append(
            f"{label('session', lang)} {n}: {_fmt(x.starts_at, v.timezone)} {x.topic or ''}"
        )
    return "\n".join(lines)


def _show(args: argparse.Namespace, ctx: Context) -> int:
    v = events.get_event(ctx.db, args.id)
    ctx.emit(v.to_json(), lambda: _human_event(v, ctx.lang))
    return 0


def _set_status(args: argparse.Namespace, ctx: Context) -> int:
    try:
        v = events.set_status(ctx.db, args.id, args.status, confirm=args.yes, reason=args.reason)
    except ConfirmationRequired as exc:  # the CLI cannot ask: say which option confirms
        raise ConfirmationRequired(code="cli_add_yes", reason=exc.localized(ctx.lang)) from None
    ctx.emit(v.to_json(), lambda: _line(v, ctx.lang))
    return 0


def _duplicate(args: argparse.Namespace, ctx: Context) -> int:
    src = events.get_event(ctx.db, args.id)
    v = events.duplicate_event(
        ctx.db, src.id, _when(args.starts, "starts_at", src.timezone), args.title
    )
    ctx.emit(v.to_json(), lambda: _line(v, ctx.lang))
    return 0


def _save_template(args: argparse.Namespace, ctx: Context) -> int:
    t = events.save_as_template(ctx.db, args.id, args.name)
    ctx.emit(
        {"id": str(t.id), "name": t.name, "type": t.type, "data": t.data},
        f"{t.id}  template {t.name} ({t.type})",
    )
    return 0


def _templates(args: argparse.Namespace, ctx: Context) -> int:
    items = [
        {"id": str(t.id), "name": t.name, "type": t.type}
        for t in events.list_templates(ctx.db, args.type)
    ]
    ctx.emit(
        {"items": items},
        lambda: (
            "\n".join(f"{i['id']}  {i['type']:<11}  {i['name']}" for i in items) or "no templates"
        ),
    )
    return 0


def _from_template(args: argparse.Namespace, ctx: Context) -> int:
    tz = _tz(ctx)
    v = events.create_from_template(
        ctx.db, args.template_id, _when(args.starts, "starts_at", tz), args.title
    )
    ctx.emit(v.to_json(), lambda: _line(v, ctx.lang))
    return 0
