"""`paddock people consent|erase|export-person|retention|erasures`: personal-data duties
(PIPL: consent and withdrawal, a person's copy, erasure, retention). Hooked in by
commands/people.py with the `people` sub-parsers. PERSON is an id or a mobile number."""

from __future__ import annotations

import argparse
from typing import Any

from desktop_app.cli import Context, common_options
from desktop_app.domain.enums import ConsentKind, ConsentMethod
from desktop_app.domain.timeutil import iso_local
from desktop_app.services import consent, erasure, people, person_copy, retention


def register(people_sub: Any) -> None:
    c = people_sub.add_parser(
        "consent",
        parents=[common_options()],
        help="give or withdraw a person's marketing (or photo) consent; shows the history",
    )
    c.add_argument("person", metavar="PERSON", help="person id or mobile number")
    g = c.add_mutually_exclusive_group()
    g.add_argument("--give", action="store_true", help="record that they agreed")
    g.add_argument("--withdraw", action="store_true", help="record that they withdrew")
    c.add_argument("--kind", default="marketing", choices=[k.value for k in ConsentKind])
    c.add_argument(
        "--method",
        default="cli",
        choices=[m.value for m in ConsentMethod if m != ConsentMethod.UNKNOWN],
        help="how they said it (paper: a signed form; default cli)",
    )
    c.add_argument("--source", help="form or file name, paper form reference")
    c.set_defaults(handler=_consent)

    e = people_sub.add_parser(
        "erase",
        parents=[common_options()],
        help="erase a person's personal data, keep an anonymous record (admins; final)",
    )
    e.add_argument("person", metavar="PERSON", help="person id or mobile number")
    e.add_argument("--reason", required=True, help="why (e.g. 'asked by phone on 2026-05-01')")
    e.set_defaults(handler=_erase)

    x = people_sub.add_parser(
        "export-person",
        parents=[common_options()],
        help="a person's own copy of everything held about them (.xlsx)",
    )
    x.add_argument("person", metavar="PERSON", help="person id or mobile number")
    x.add_argument("--out", required=True, metavar="FILE.xlsx")
    x.add_argument(
        "--language",
        dest="copy_lang",
        choices=["zh", "en"],
        help="the person's language (default: the desk's)",
    )
    x.set_defaults(handler=_export_person)

    r = people_sub.add_parser(
        "retention",
        parents=[common_options()],
        help="prospects with no activity for N months: list, anonymise, set N",
    )
    r.add_argument("--months", type=int, help="this time (default: the setting, 24)")
    r.add_argument("--set-months", type=int, metavar="N", help="change the setting")
    r.add_argument("--anonymise", action="store_true", help="anonymise everyone listed")
    r.add_argument("--reason", default="", help="recorded with each erasure")
    r.set_defaults(handler=_retention)

    h = people_sub.add_parser(
        "erasures", parents=[common_options()], help="erasures made here (admins)"
    )
    h.set_defaults(handler=_erasures)


def _consent(args: argparse.Namespace, ctx: Context) -> int:
    pid = people.resolve_person(ctx.db, args.person)
    if args.give or args.withdraw:
        state = consent.set_consent(
            ctx.db, pid, args.kind, bool(args.give), args.method, source=args.source
        )
    else:
        state = consent.consent_state(ctx.db, pid)

    def human() -> str:
        at = state.marketing_at if args.kind == "marketing" else state.photos_at
        head = f"{args.kind} consent: {'given ' + (iso_local(at) or '') if at else 'none'}" + (
            "" if state.changed or not (args.give or args.withdraw) else " (unchanged)"
        )
        lines = [head]
        for h in state.history:
            lines.append(
                f"  {iso_local(h.at)}  {h.kind:<9} {'given' if h.given else 'withdrawn':<9} "
                f"{h.method:<11} {h.staff_name or ''} {h.source or ''}".rstrip()
            )
        return "\n".join(lines)

    ctx.emit(state.to_json(), human)
    return 0


def _erase(args: argparse.Namespace, ctx: Context) -> int:
    pid = people.resolve_person(ctx.db, args.person)
    res = erasure.erase_person(ctx.db, pid, args.reason)

    def human() -> str:
        extra = f" (with {res.people - 1} merged duplicate(s))" if res.people > 1 else ""
        return (
            f"erased {res.person_id}{extra}: personal data removed, anonymous record kept; "
            f"the next HQ workbook carries the tombstone"
        )

    ctx.emit(res.to_json(), human)
    return 0


def _export_person(args: argparse.Namespace, ctx: Context) -> int:
    pid = people.resolve_person(ctx.db, args.person)
    res = person_copy.export_person(ctx.db, pid, args.out, lang=args.copy_lang or ctx.lang)
    ctx.emit(res.to_json(), lambda: f"written to {res.path}")
    return 0


def _retention(args: argparse.Namespace, ctx: Context) -> int:
    if args.set_months is not None:
        retention.set_retention_months(ctx.db, args.set_months)
    if args.anonymise:
        done = retention.anonymise(ctx.db, months=args.months, reason=args.reason)
        out = {"anonymised": len(done), "items": [r.to_json() for r in done]}
        ctx.emit(out, lambda: f"anonymised {len(done)} prospect(s)")
        return 0
    rev = retention.review(ctx.db, months=args.months)

    def human() -> str:
        lines = [
            f"{rev.count} prospect(s) with no activity for {rev.months} months "
            f"(since {iso_local(rev.cutoff)})"
        ]
        for r in rev.rows:
            lines.append(
                f"  {r.person_id}  {r.name}  {r.to_json()['phone_display']}  "
                f"last activity {iso_local(r.last_activity_at)}"
            )
        return "\n".join(lines)

    ctx.emit(rev.to_json(), human)
    return 0


def _erasures(args: argparse.Namespace, ctx: Context) -> int:
    rows = erasure.list_erasures(ctx.db)
    ctx.emit(
        {"items": [r.to_json() for r in rows]},
        lambda: (
            "\n".join(
                f"{iso_local(r.erased_at)}  {r.person_id}  {r.kind}  {r.staff_name or '-'}  {r.reason}"
                for r in rows
            )
            or "no erasures"
        ),
    )
    return 0
