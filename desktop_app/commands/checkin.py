"""`paddock checkin|checkout|walkin|desk|attendance …`: the check-in desk, headless.

`paddock checkin` exits 0 when the scan was accepted and 3 when it was not (the JSON
still says why), so a script at a turnstile can branch on the exit code alone.
"""

from __future__ import annotations

import argparse
import os
import socket
import sys
from typing import Any

from desktop_app.cli import EXIT_NOT_ACCEPTED, EXIT_OK, EXIT_USAGE, Context, common_options
from desktop_app.domain.messages import QuestionTypeWord, text
from desktop_app.domain.timeutil import iso_local
from desktop_app.services import checkin, walkin
from desktop_app.services.gifts import take_back_text
from desktop_app.services.questions import parse_pairs


def default_desk() -> str:
    """PADDOCK_DESK, else this computer's name (what the scan log shows as the desk)."""
    return (os.environ.get("PADDOCK_DESK") or socket.gethostname() or "desk")[:64]


def _events(raw: str) -> list[str]:
    """EVENT_ID, or several events of today separated by commas."""
    return [x.strip() for x in raw.split(",") if x.strip()]


def register(sub: Any) -> None:
    ci = sub.add_parser(
        "checkin",
        parents=[common_options()],
        help="check a ticket in (exit 3 when not accepted)",
        description="Scan or type a ticket: the QR payload, the short code (K7QX-M2PA) "
        "or a registration id. EVENT_ID may list several events of today, comma-separated.",
    )
    ci.add_argument("event_id", metavar="EVENT_ID")
    ci.add_argument("code", nargs="?", metavar="CODE")
    ci.add_argument(
        "--undo",
        metavar="REGISTRATION_ID",
        help="undo this registration's check-in; the gifts handed go back to stock "
        "(the output names them: take them back from the guest)",
    )
    ci.add_argument("--desk", default=None, help="desk name (default: PADDOCK_DESK or hostname)")
    ci.add_argument("--staff", help="staff id")
    ci.add_argument("--nonce", help="scan id made where the scan happened (idempotent)")
    ci.add_argument(
        "--override-window", action="store_true", help="admit outside the check-in window"
    )
    ci.add_argument("--admit", action="store_true", help="admit a waitlisted registration")
    ci.add_argument(
        "--approve",
        action="store_true",
        help="approve a pending registration (CODE = its id) and admit it (coordinators)",
    )
    ci.add_argument(
        "--over-capacity",
        action="store_true",
        help="with --approve / --admit: admit although the event is full",
    )
    ci.add_argument(
        "--answer",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="answer a desk question (repeat); without a required one the scan is needs_answers",
    )
    ci.set_defaults(handler=_checkin)

    co = sub.add_parser(
        "checkout", parents=[common_options()], help="check a ticket out (club drives)"
    )
    co.add_argument("event_id", metavar="EVENT_ID")
    co.add_argument("code", metavar="CODE")
    co.add_argument("--desk", default=None)
    co.add_argument("--staff")
    co.add_argument("--nonce")
    co.set_defaults(handler=_checkout)

    wi = sub.add_parser(
        "walkin", parents=[common_options()], help="register and check in a walk-in"
    )
    wi.add_argument("event_id", metavar="EVENT_ID")
    wi.add_argument("--phone", required=True)
    wi.add_argument("--name", help="needed when the phone is not known yet")
    wi.add_argument("--model", help="model of interest")
    wi.add_argument("--test-drive", action="store_true", help="wants a test drive")
    wi.add_argument("--consent", action="store_true", help="agrees to marketing contact")
    wi.add_argument("--party", type=int, default=1, help="party size")
    wi.add_argument("--plate", help="the car's plate (club drives need one)")
    wi.add_argument("--desk", default=None)
    wi.add_argument("--staff")
    wi.add_argument(
        "--answer", action="append", default=[], metavar="KEY=VALUE", help="answer a question"
    )
    wi.add_argument(
        "--approve",
        action="store_true",
        help="an event that requires approval: approve this walk-in at the door (coordinators)",
    )
    wi.set_defaults(handler=_walkin)

    desk = sub.add_parser("desk", help="desk views: counters, search, who is still out")
    dv = desk.add_subparsers(dest="desk_verb", metavar="ACTION")
    cnt = dv.add_parser("counts", parents=[common_options()], help="live counters")
    cnt.add_argument("event_id", metavar="EVENT_ID")
    cnt.set_defaults(handler=_counts)
    se = dv.add_parser("search", parents=[common_options()], help="name, phone, plate, code")
    se.add_argument("event_id", metavar="EVENT_ID")
    se.add_argument("query")
    se.set_defaults(handler=_search)
    so = dv.add_parser("still-out", parents=[common_options()], help="checked in, not out")
    so.add_argument("event_id", metavar="EVENT_ID")
    so.set_defaults(handler=_still_out)
    bm = dv.add_parser(
        "mark-attended", parents=[common_options()], help="paper sign-in list, after the event"
    )
    bm.add_argument("event_id", metavar="EVENT_ID")
    bm.add_argument("registration_ids", nargs="+", metavar="REGISTRATION_ID")
    bm.add_argument("--staff")
    bm.set_defaults(handler=_mark)

    at = sub.add_parser("attendance", help="online attendance (Zoom, 腾讯会议, 钉钉)")
    av = at.add_subparsers(dest="attendance_verb", metavar="ACTION")
    imp = av.add_parser("import", parents=[common_options()], help="import a participants export")
    imp.add_argument("event_id", metavar="EVENT_ID")
    imp.add_argument("file", metavar="FILE")
    imp.add_argument("--min-minutes", type=int, help="minutes to count as attended")
    imp.add_argument("--dry-run", action="store_true", help="report only, change nothing")
    imp.add_argument(
        "--any-date",
        action="store_true",
        help="import even when the file's dates are not the event's day",
    )
    imp.set_defaults(handler=_attendance_import)
    mt = av.add_parser(
        "match", parents=[common_options()], help="match an unmatched participant by hand"
    )
    mt.add_argument("event_id", metavar="EVENT_ID")
    mt.add_argument("row_key", metavar="ROW_KEY", help="the key from the unmatched list")
    mt.add_argument("registration_id", metavar="REGISTRATION_ID")
    mt.add_argument("--min-minutes", type=int)
    mt.set_defaults(handler=_attendance_match)


def _emit_scan(ctx: Context, out: checkin.ScanOutcome) -> int:
    lang = ctx.lang

    def human() -> str:
        bits = [out.headline(lang)]
        if out.party_size and out.party_size > 1:
            bits.append(text("scan_party", lang, n=out.party_size))
        if out.plate:
            bits.append(out.plate)
        bits.extend(out.said_notes(lang))
        lines = ["  ·  ".join(bits)]
        for q in out.questions:
            if q.get("missing"):
                choices = f" [{' / '.join(q['choices'])}]" if q.get("choices") else ""
                kind = QuestionTypeWord(q["type"]).localized(lang)
                lines.append(
                    text(
                        "scan_question_missing",
                        lang,
                        label=q["label"],
                        type=kind,
                        choices=choices,
                        key=q["key"],
                    )
                )
        for g in out.gifts:
            left = (
                text("scan_gift_none_left", lang)
                if g.none_left
                else text("scan_gift_low" if g.low else "scan_gift_left", lang, n=g.left)
            )
            lines.append(text("scan_gift", lang, name=g.name, quantity=g.quantity, left=left))
        return "\n".join(lines)

    ctx.emit(out.to_json(), human)
    return EXIT_OK if out.accepted else EXIT_NOT_ACCEPTED


def _checkin(args: argparse.Namespace, ctx: Context) -> int:
    desk = args.desk or default_desk()
    events = _events(args.event_id)
    if args.undo:
        out = checkin.undo_checkin(ctx.db, args.undo, desk=desk, staff_id=args.staff)
        back = take_back_text(out.gifts_returned, ctx.lang)
        ctx.emit(out.to_json(), lambda: "\n".join(filter(None, (out.message(ctx.lang), back))))
        return EXIT_OK
    if not args.code:
        print("paddock: checkin needs CODE (or --undo REGISTRATION_ID)", file=sys.stderr)
        return EXIT_USAGE
    answers = parse_pairs(args.answer)
    if args.approve:
        from desktop_app.services.approval import approve_and_admit

        out = approve_and_admit(
            ctx.db,
            events,
            args.code,
            desk=desk,
            staff_id=args.staff,
            over_capacity=args.over_capacity,
            answers=answers,
        )
        return _emit_scan(ctx, out)
    if args.admit:
        out = checkin.admit_waitlisted(
            ctx.db,
            events,
            args.code,
            desk=desk,
            staff_id=args.staff,
            force=args.override_window or args.over_capacity,
            override_window=args.override_window,
            answers=answers,
        )
        return _emit_scan(ctx, out)
    out = checkin.scan(
        ctx.db,
        events,
        args.code,
        desk=desk,
        staff_id=args.staff,
        nonce=args.nonce,
        override_window=args.override_window,
        answers=answers,
    )
    return _emit_scan(ctx, out)


def _checkout(args: argparse.Namespace, ctx: Context) -> int:
    out = checkin.check_out(
        ctx.db,
        _events(args.event_id),
        args.code,
        desk=args.desk or default_desk(),
        staff_id=args.staff,
        nonce=args.nonce,
    )
    return _emit_scan(ctx, out)


def _walkin(args: argparse.Namespace, ctx: Context) -> int:
    from desktop_app.domain.errors import ConfirmationRequired

    try:
        res = _walkin_call(args, ctx)
    except ConfirmationRequired as exc:  # the CLI cannot ask: say which option confirms
        raise ConfirmationRequired(code="cli_add_approve", reason=exc.localized(ctx.lang)) from None
    out = res.outcome
    ctx.emit(
        res.to_json(),
        lambda: (
            out.headline(ctx.lang)
            + ("  ·  " + text("walkin_new_prospect", ctx.lang) if res.person_created else "")
            + (
                "  ·  " + checkin.note_text(checkin.OUTSIDE_WINDOW, ctx.lang)
                if checkin.OUTSIDE_WINDOW in out.notes
                else ""
            )
        ),
    )
    return EXIT_OK if out.result in ("accepted", "already_checked_in") else EXIT_NOT_ACCEPTED


def _walkin_call(args: argparse.Namespace, ctx: Context) -> walkin.WalkinResult:
    return walkin.walkin(
        ctx.db,
        args.event_id,
        args.phone,
        args.name,
        interest_model=args.model,
        wants_test_drive=args.test_drive,
        marketing_consent=args.consent,
        party_size=args.party,
        plate=args.plate,
        desk=args.desk or default_desk(),
        staff_id=args.staff,
        answers=parse_pairs(args.answer),
        approve=args.approve,
    )


def _counts(args: argparse.Namespace, ctx: Context) -> int:
    c = checkin.desk_counts(ctx.db, _events(args.event_id))
    ctx.emit(
        c.to_json(),
        lambda: text(
            "desk_counts_line", ctx.lang, expected=c.expected, arrived=c.arrived,
            walk_ins=c.walk_ins, still_to_come=c.still_to_come, checked_out=c.checked_out,
        ),
    )  # fmt: skip
    return EXIT_OK


def _rows_human(rows: list[checkin.CheckinRow]) -> str:
    if not rows:
        return "nobody"
    return "\n".join(
        f"{r.registration_id}  {r.status:<11}  {r.name}  {r.phone}  {r.plate or ''}  "
        f"{iso_local(r.checked_in_at, r.timezone) or ''}"
        for r in rows
    )


def _search(args: argparse.Namespace, ctx: Context) -> int:
    rows = checkin.search_for_checkin(ctx.db, _events(args.event_id), args.query)
    ctx.emit({"items": [r.to_json() for r in rows]}, lambda: _rows_human(rows))
    return EXIT_OK


def _still_out(args: argparse.Namespace, ctx: Context) -> int:
    rows = checkin.still_out(ctx.db, _events(args.event_id))
    ctx.emit({"items": [r.to_json() for r in rows]}, lambda: _rows_human(rows))
    return EXIT_OK


def _mark(args: argparse.Namespace, ctx: Context) -> int:
    res = walkin.bulk_mark_attended(
        ctx.db, args.event_id, args.registration_ids, staff_id=args.staff
    )
    ctx.emit(
        res.to_json(),
        f"marked {res.marked}, already in {res.already}, refused {len(res.refused)}",
    )
    return EXIT_OK


def _attendance_import(args: argparse.Namespace, ctx: Context) -> int:
    from desktop_app.domain.errors import ConfirmationRequired
    from desktop_app.services import attendance_import

    try:
        rep = attendance_import.import_attendance(
            ctx.db,
            args.event_id,
            args.file,
            min_minutes=args.min_minutes,
            dry_run=args.dry_run,
            any_date=args.any_date,
        )
    except ConfirmationRequired as exc:  # the CLI cannot ask: say which option confirms
        raise ConfirmationRequired(code="cli_any_date", reason=exc.localized(ctx.lang)) from None
    ctx.emit(rep.to_json(), lambda: rep.summary(ctx.lang))
    return EXIT_OK


def _attendance_match(args: argparse.Namespace, ctx: Context) -> int:
    from desktop_app.services import attendance_import

    res = attendance_import.match_attendance(
        ctx.db, args.event_id, args.row_key, args.registration_id, min_minutes=args.min_minutes
    )
    ctx.emit(res.to_json(), f"{res.name}: {res.minutes} min, attended={res.attended}")
    return EXIT_OK
