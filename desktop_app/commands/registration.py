"""`paddock register / cancel / registrations / signups / tickets / ticket / invite`."""

from __future__ import annotations

import argparse
from typing import Any

from desktop_app.cli import Context, common_options
from desktop_app.domain.enums import InvitationStatus, RegistrationSource, RegistrationStatus
from desktop_app.domain.errors import ValidationError
from desktop_app.domain.ticket import format_short_code
from desktop_app.domain.timeutil import parse_local
from desktop_app.services import registration as reg
from desktop_app.services import tickets
from desktop_app.services.questions import parse_pairs


def register(sub: Any) -> None:
    p = sub.add_parser("register", parents=[common_options()], help="register a person")
    p.add_argument("event_id")
    who = p.add_mutually_exclusive_group(required=True)
    who.add_argument("--person", help="person id")
    who.add_argument("--phone", help="mobile number (found, or a new prospect is created)")
    p.add_argument("--name", help="name of a new person (a known phone needs none)")
    p.add_argument(
        "--source", default="phone_invite", choices=[x.value for x in RegistrationSource]
    )
    p.add_argument("--party", type=int, default=1, help="seats (the person plus guests)")
    p.add_argument("--plate", help="club drive: licence plate")
    p.add_argument("--vehicle", help="club drive: vehicle id")
    p.add_argument("--passengers", type=int, help="club drive: passengers besides the driver")
    p.add_argument("--consent", action="store_true", help="club drive: driver consent given")
    p.add_argument("--referred-by", help="person id of the referrer")
    p.add_argument("--invited-by", help="staff id of the butler who invited")
    p.add_argument("--over-capacity", action="store_true", help="let a walk-in in although full")
    p.add_argument(
        "--answer",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="answer a sign-up question (repeat); see: paddock questions EVENT",
    )
    p.set_defaults(handler=_register)

    p = sub.add_parser("cancel", parents=[common_options()], help="cancel a registration")
    p.add_argument("registration_id")
    p.add_argument("--reason")
    p.set_defaults(handler=_cancel)

    p = sub.add_parser("registrations", parents=[common_options()], help="list registrations")
    p.add_argument("event_id")
    p.add_argument("--status", action="append", choices=[x.value for x in RegistrationStatus])
    p.add_argument("--source", action="append", choices=[x.value for x in RegistrationSource])
    p.add_argument("--search", default="")
    p.add_argument(
        "--answer",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="only those who answered so (repeat: all must hold)",
    )
    p.set_defaults(handler=_list)

    sg = sub.add_parser("signups", help="online sign-up form exports").add_subparsers(
        dest="signups_verb", metavar="ACTION"
    )
    p = sg.add_parser("import", parents=[common_options()], help="import a form export")
    p.add_argument("event_id")
    p.add_argument("file")
    p.add_argument("--dry-run", action="store_true", help="report only; change nothing")
    p.add_argument(
        "--make-questions",
        action="store_true",
        help="first make the file's unknown question columns questions of the event",
    )
    p.set_defaults(handler=_signups_import)
    p = sg.add_parser(
        "questions",
        parents=[common_options()],
        help="the file's question columns that would become new questions",
    )
    p.add_argument("event_id")
    p.add_argument("file")
    p.set_defaults(handler=_signups_questions)

    p = sub.add_parser("tickets", parents=[common_options()], help="render an event's tickets")
    p.add_argument("event_id")
    p.add_argument("--out", required=True, help="folder to write into (or the .pdf file)")
    p.add_argument("--format", default="pdf", choices=["pdf", "png"])
    p.add_argument("--lang", dest="ticket_lang", default="zh", choices=["zh", "en"])
    p.add_argument("--per-page", type=int, default=1, choices=[1, 4, 8], help="PDF cards/page")
    p.add_argument(
        "--paper", default="a6", choices=["a6", "a5"], help="page size of a 1-up PDF (default a6)"
    )
    p.set_defaults(handler=_tickets)

    tk = sub.add_parser("ticket", help="one ticket").add_subparsers(
        dest="ticket_verb", metavar="ACTION"
    )
    p = tk.add_parser("reissue", parents=[common_options()], help="new code; old one revoked")
    p.add_argument("registration_id")
    p.set_defaults(handler=_reissue)
    p = tk.add_parser("png", parents=[common_options()], help="save one ticket card as PNG")
    p.add_argument("registration_id")
    p.add_argument("--out", required=True, help="file name (.png)")
    p.add_argument("--lang", dest="ticket_lang", default="zh", choices=["zh", "en"])
    p.set_defaults(handler=_ticket_png)

    _register_invite(sub)


def _register_invite(sub: Any) -> None:
    inv = sub.add_parser("invite", help="invitation call lists").add_subparsers(
        dest="invite_verb", metavar="ACTION"
    )
    p = inv.add_parser("build", parents=[common_options()], help="build call lists from a segment")
    p.add_argument("event_id")
    p.add_argument("--stage", action="append", help="prospect / owner / member (repeat)")
    p.add_argument("--tier", action="append")
    p.add_argument("--club", action="append", help="club id (repeat)")
    p.add_argument("--model", action="append", help="vehicle model contains (repeat)")
    p.add_argument("--purchased-from", help="vehicle purchase date from (YYYY-MM-DD)")
    p.add_argument("--purchased-to", help="vehicle purchase date to (inclusive)")
    p.add_argument("--butler", action="append", help="staff id (repeat)")
    p.add_argument("--tag", action="append", help="person has this tag (repeat: any)")
    p.add_argument("--attended-months", type=int, help="attended an event in the last N months")
    p.add_argument("--not-attended-months", type=int, help="no attendance in the last N months")
    p.add_argument("--never-attended", action="store_true")
    p.add_argument("--preview", action="store_true", help="count and list only; build nothing")
    p.add_argument(
        "--unassigned",
        default="round_robin",
        choices=["round_robin", "unassigned"],
        help="people without a butler: share them out, or leave them on an unassigned list",
    )
    p.set_defaults(handler=_invite_build)

    p = inv.add_parser("list", parents=[common_options()], help="an event's call lists")
    p.add_argument("event_id")
    p.add_argument("--butler", help="staff id, or 'none' for the unassigned list")
    p.add_argument("--status", action="append", choices=[x.value for x in InvitationStatus])
    p.set_defaults(handler=_invite_list)

    p = inv.add_parser("set", parents=[common_options()], help="record a call")
    p.add_argument("invitation_id")
    p.add_argument("status", choices=[x.value for x in InvitationStatus])
    p.add_argument("--note")
    p.add_argument("--party", type=int, default=1, help="with status registered")
    p.set_defaults(handler=_invite_set)

    p = inv.add_parser("progress", parents=[common_options()], help="counts per butler")
    p.add_argument("event_id")
    p.set_defaults(handler=_invite_progress)


# --------------------------------------------------------------------------- handlers


def _line(v: reg.RegistrationView) -> str:
    code = format_short_code(v.short_code) if v.short_code else "—"
    extra = f" #{v.waitlist_position}" if v.waitlist_position else ""
    car = f" {v.plate}" if v.plate else ""
    return f"{v.id}  {v.status}{extra}  {v.name}  ×{v.party_size}{car}  {v.source}  {code}"


def _register(args: argparse.Namespace, ctx: Context) -> int:
    # a known phone needs no --name; a new one is refused by the service ("Name: is required")
    v = reg.register(
        ctx.db,
        args.event_id,
        args.person,
        phone=args.phone,
        name=args.name,
        source=args.source,
        party_size=args.party,
        vehicle_id=args.vehicle,
        plate=args.plate,
        passengers=args.passengers,
        driver_consent=args.consent,
        referred_by_id=args.referred_by,
        invited_by_id=args.invited_by,
        allow_over_capacity=args.over_capacity,
        answers=parse_pairs(args.answer),
    )

    def human() -> str:
        if v.status == "pending":
            return f"{v.name}: pending approval (no seat, no ticket yet) · {v.id}"
        if v.status == "waitlisted":
            return f"{v.name}: waitlisted (position {v.waitlist_position}) · {v.id}"
        again = " (re-activated)" if v.reactivated else ""
        code = format_short_code(v.short_code) if v.short_code else "—"
        return f"{v.name}: registered{again} · ticket {code} · {v.id}"

    ctx.emit(v.to_json(), human)
    return 0


def _cancel(args: argparse.Namespace, ctx: Context) -> int:
    res = reg.cancel(ctx.db, args.registration_id, args.reason)

    def human() -> str:
        lines = [f"{res.registration.name}: cancelled"]
        lines += [f"promoted from the waitlist: {p.name} ({p.id})" for p in res.promoted]
        if not res.promoted:
            lines.append("nobody promoted from the waitlist")
        return "\n".join(lines)

    ctx.emit(res.to_json(), human)
    return 0


def _list(args: argparse.Namespace, ctx: Context) -> int:
    views = reg.list_registrations(
        ctx.db, args.event_id, args.status, args.source, args.search, parse_pairs(args.answer)
    )
    occ = reg.occupancy(ctx.db, args.event_id)

    def human() -> str:
        cap = occ.capacity if occ.capacity is not None else "∞"
        head = f"{occ.used}/{cap} {occ.unit} used · {occ.waitlisted} waitlisted"
        return "\n".join([head, *(_line(v) for v in views)])

    ctx.emit({"items": [v.to_json() for v in views], "occupancy": occ.to_json()}, human)
    return 0


def _signups_import(args: argparse.Namespace, ctx: Context) -> int:
    from desktop_app.services import signups_import

    made: list[Any] = []
    if args.make_questions and not args.dry_run:
        from desktop_app.services.questions import add_questions

        cands = signups_import.question_candidates(ctx.db, args.event_id, args.file)
        made = add_questions(ctx.db, args.event_id, [c.draft for c in cands])
    report = signups_import.import_signups(ctx.db, args.event_id, args.file, dry_run=args.dry_run)
    out = report.to_json() | {"questions_made": [q.to_json() for q in made]}

    def human() -> str:
        head = [f"new question: {q.key} ({q.type}) {q.label}" for q in made]
        return "\n".join([*head, report.summary(ctx.lang)])

    ctx.emit(out, human)
    return 0


def _signups_questions(args: argparse.Namespace, ctx: Context) -> int:
    from desktop_app.services import signups_import

    cands = signups_import.question_candidates(ctx.db, args.event_id, args.file)
    ctx.emit(
        {"items": [c.to_json() for c in cands]},
        lambda: (
            "\n".join(
                f"{c.column} → {c.draft.key} ({c.draft.type}) {' / '.join(c.draft.choices)}"
                for c in cands
            )
            or "every question column already fills a field or a question"
        ),
    )
    return 0


def _tickets(args: argparse.Namespace, ctx: Context) -> int:
    res = tickets.export_event_tickets(
        ctx.db, args.event_id, args.out, args.format, args.ticket_lang, args.per_page,
        paper=args.paper,
    )  # fmt: skip
    ctx.emit(
        res.to_json(),
        lambda: (
            f"{res.cards} tickets, {res.pages} pages → "
            + (str(res.files[0]) if args.format == "pdf" else f"{args.out} ({len(res.files)} PNG)")
        ),
    )
    return 0


def _reissue(args: argparse.Namespace, ctx: Context) -> int:
    t = tickets.reissue(ctx.db, args.registration_id)
    ctx.emit(
        {"id": str(t.registration_id)} | t.to_json(),
        f"new ticket {format_short_code(t.short_code)} (No. {t.serial}); the old one is revoked",
    )
    return 0


def _ticket_png(args: argparse.Namespace, ctx: Context) -> int:
    card = tickets.card_for(ctx.db, args.registration_id)
    path = tickets.save_card_png(card, args.out, args.ticket_lang)
    ctx.emit({"id": str(card.registration_id), "file": str(path)}, str(path))
    return 0


def _date(value: str | None, field: str) -> Any:
    if not value:
        return None
    try:
        dt = parse_local(value)
    except ValueError:
        raise ValidationError(field, "bad_datetime") from None
    return dt.date() if dt else None


def _invite_build(args: argparse.Namespace, ctx: Context) -> int:
    from desktop_app.services import invitations

    seg = invitations.Segment(
        stages=tuple(args.stage or ()),
        tiers=tuple(args.tier or ()),
        club_ids=tuple(args.club or ()),
        models=tuple(args.model or ()),
        purchased_from=_date(args.purchased_from, "purchased_from"),
        purchased_to=_date(args.purchased_to, "purchased_to"),
        butler_ids=tuple(args.butler or ()),
        tags=tuple(args.tag or ()),
        attended_in_months=args.attended_months,
        not_attended_in_months=args.not_attended_months,
        never_attended=args.never_attended,
    )
    if args.preview:
        pv = invitations.preview(ctx.db, seg, exclude_event_id=args.event_id)
        ctx.emit(
            pv.to_json(),
            lambda: (
                f"{pv.count} people match\n"
                + "\n".join(f"{r.person_id}  {r.name}  {r.butler_name or '—'}" for r in pv.rows)
            ),
        )
        return 0
    res = invitations.build_call_lists(ctx.db, args.event_id, seg, unassigned=args.unassigned)
    ctx.emit(
        res.to_json(),
        lambda: (
            f"{res.added} added, {res.already} already on a list\n"
            + "\n".join(f"{b.butler_name or 'unassigned'}: {b.total}" for b in res.per_butler)
        ),
    )
    return 0


def _invite_list(args: argparse.Namespace, ctx: Context) -> int:
    from desktop_app.services import invitations
    from desktop_app.services.approval import pending_of

    rows = invitations.list_invitations(ctx.db, args.event_id, args.butler, args.status)
    pending = pending_of(ctx.db, args.event_id, args.butler)

    def human() -> str:
        lines = [
            f"{r.id}  {r.status:<9}  {r.name}  {r.phone or ''}  {r.butler_name or '—'}  {r.note}"
            for r in rows
        ] or ["no invitations"]
        if pending:
            lines.append(f"awaiting approval ({len(pending)}):")
            lines += [f"  {p.registration_id}  {p.name}  {p.phone or ''}" for p in pending]
        return "\n".join(lines)

    ctx.emit(
        {"items": [r.to_json() for r in rows], "pending": [p.to_json() for p in pending]}, human
    )
    return 0


def _invite_set(args: argparse.Namespace, ctx: Context) -> int:
    from desktop_app.services import invitations

    r = invitations.set_call_status(
        ctx.db, args.invitation_id, args.status, note=args.note, party_size=args.party
    )
    ctx.emit(r.to_json(), f"{r.name}: {r.status}")
    return 0


def _invite_progress(args: argparse.Namespace, ctx: Context) -> int:
    from desktop_app.services import invitations

    prog = invitations.progress(ctx.db, args.event_id)
    ctx.emit(
        {"items": [p.to_json() for p in prog]},
        lambda: "\n".join(
            f"{p.butler_name or 'unassigned'}: "
            + ", ".join(f"{k} {v}" for k, v in p.counts.items())
            for p in prog
        ),
    )
    return 0
