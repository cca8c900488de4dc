"""`paddock people …`, `paddock points …`: the ONE ID from the command line."""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any

from desktop_app.cli import Context, common_options
from desktop_app.domain.enums import Stage
from desktop_app.domain.errors import ValidationError
from desktop_app.domain.phone import display_phone
from desktop_app.services import duplicates, people, points


def parse_date(value: str | None, field: str) -> date | None:
    """YYYY-MM-DD (also 2023/5/6) → date; a ValidationError naming the option otherwise."""
    if not value:
        return None
    text = value.strip().replace("/", "-").replace(".", "-")
    try:
        y, m, d = (int(x) for x in text.split("-"))
        return date(y, m, d)
    except ValueError:
        raise ValidationError(field, "bad_date") from None


def register(sub: Any) -> None:
    _register_people(sub)
    # `paddock staff …` lives in commands/staff.py (accounts, PINs, audit)
    _register_points(sub)


def _register_people(sub: Any) -> None:
    group = sub.add_parser("people", help="people (ONE ID): add, find, show, merge")
    people_sub = group.add_subparsers(dest="people_verb", metavar="ACTION")

    add = people_sub.add_parser("add", parents=[common_options()], help="add a person")
    add.add_argument("--name", required=True)
    add.add_argument("--phone", help="mobile in any format (+86, 0086, spaces, dashes)")
    add.add_argument("--wechat")
    add.add_argument("--email")
    add.add_argument("--stage", default=Stage.PROSPECT, choices=[s.value for s in Stage])
    add.add_argument("--butler", metavar="STAFF_ID", help="the staff member who looks after them")
    add.add_argument("--referred-by", metavar="PERSON_ID")
    add.add_argument("--tag", action="append", default=[], help="repeat for several tags")
    add.add_argument("--notes", default="")
    add.add_argument("--source")
    add.add_argument("--birthday", help="YYYY-MM-DD")
    add.add_argument("--consent-marketing", action="store_true", help="agreed to be contacted")
    add.add_argument("--consent-photos", action="store_true", help="agreed to photos")
    add.set_defaults(handler=_add)

    find = people_sub.add_parser(
        "find", parents=[common_options()], help="search by name, phone, plate or VIN"
    )
    find.add_argument("query", nargs="?", default="")
    find.add_argument("--stage", choices=[s.value for s in Stage])
    find.add_argument("--tier", choices=["none", "silver", "gold", "platinum"])
    find.add_argument("--club", metavar="CLUB_ID")
    find.add_argument("--butler", metavar="STAFF_ID")
    find.add_argument("--tag")
    find.add_argument("--limit", type=int, default=50)
    find.add_argument("--offset", type=int, default=0)
    find.set_defaults(handler=_find)

    show = people_sub.add_parser("show", parents=[common_options()], help="one person in full")
    show.add_argument("id", metavar="PERSON", help="the person's id or mobile number")
    show.set_defaults(handler=_show)

    veh = people_sub.add_parser(
        "add-vehicle", parents=[common_options()], help="give a person a vehicle"
    )
    veh.add_argument("person_id", metavar="PERSON", help="the person's id or mobile number")
    veh.add_argument("--vin")
    veh.add_argument("--plate")
    veh.add_argument("--model")
    veh.add_argument("--purchased", help="purchase date YYYY-MM-DD")
    veh.set_defaults(handler=_add_vehicle)

    merge = people_sub.add_parser(
        "merge", parents=[common_options()], help="merge DROP_ID into KEEP_ID (undoable)"
    )
    merge.add_argument("keep_id")
    merge.add_argument("drop_id")
    merge.set_defaults(handler=_merge)

    undo = people_sub.add_parser(
        "undo-merge", parents=[common_options()], help="undo the last merge"
    )
    undo.set_defaults(handler=_undo_merge)

    dup = people_sub.add_parser(
        "duplicates", parents=[common_options()], help="list likely duplicate people"
    )
    dup.add_argument("--limit", type=int, default=200)
    dup.set_defaults(handler=_duplicates)

    # ---- `paddock people import` is registered by desktop_app/commands/people_import.py
    # (the import helper's module); it adds its own sub-parser to `people_sub`.
    try:
        from desktop_app.commands import people_import
    except ModuleNotFoundError as exc:
        if exc.name != "desktop_app.commands.people_import":
            raise
    else:
        people_import.register(people_sub)
    # personal-data verbs (issue 18): consent, erase, export-person, retention, erasures
    from desktop_app.commands import privacy

    privacy.register(people_sub)


def _register_points(sub: Any) -> None:
    group = sub.add_parser("points", help="member points ledger")
    points_sub = group.add_subparsers(dest="points_verb", metavar="ACTION")
    adj = points_sub.add_parser(
        "adjust", parents=[common_options()], help="add or remove points (needs a reason)"
    )
    adj.add_argument("person_id", metavar="PERSON", help="the person's id or mobile number")
    adj.add_argument("delta", type=int, help="e.g. 200 or -50")
    adj.add_argument("--reason", required=True)
    adj.set_defaults(handler=_points_adjust)
    hist = points_sub.add_parser("history", parents=[common_options()], help="a person's ledger")
    hist.add_argument("person_id", metavar="PERSON", help="the person's id or mobile number")
    hist.set_defaults(handler=_points_history)
    tiers = points_sub.add_parser(
        "tiers", parents=[common_options()], help="show or set the tier thresholds"
    )
    tiers.add_argument("--silver", type=int)
    tiers.add_argument("--gold", type=int)
    tiers.add_argument("--platinum", type=int)
    tiers.set_defaults(handler=_points_tiers)


# --------------------------------------------------------------------------- handlers


def _person_line(p: people.PersonView | people.PersonRow) -> str:
    phone = display_phone(p.phone) if p.phone else "(no phone)"
    return f"{p.id}  {p.name}  {phone}  {p.stage}  {p.tier}"


def _add(args: argparse.Namespace, ctx: Context) -> int:
    draft = people.PersonDraft(
        name=args.name,
        phone=args.phone,
        wechat=args.wechat,
        email=args.email,
        stage=args.stage,
        butler_id=args.butler,
        referred_by_id=args.referred_by,
        consent_marketing=args.consent_marketing,
        consent_photos=args.consent_photos,
        consent_method="cli",
        tags=args.tag,
        notes=args.notes,
        source=args.source or "cli",
        birthday=parse_date(args.birthday, "birthday"),
    )
    p = people.create_person(ctx.db, draft)
    ctx.emit(p.to_json(), f"added {_person_line(p)}")
    return 0


def _find(args: argparse.Namespace, ctx: Context) -> int:
    filters = {
        "stage": args.stage,
        "tier": args.tier,
        "club_id": args.club,
        "butler_id": args.butler,
        "tag": args.tag,
    }
    rows = people.search_people(ctx.db, args.query, limit=args.limit, offset=args.offset, **filters)
    total = people.count_people(ctx.db, args.query, **filters)
    ctx.emit(
        {"items": [r.to_json() for r in rows], "count": total},
        lambda: "\n".join([_person_line(r) for r in rows] + [f"({len(rows)} of {total})"]),
    )
    return 0


def _show(args: argparse.Namespace, ctx: Context) -> int:
    d = people.person_detail(ctx.db, people.resolve_person(ctx.db, args.id))

    def human() -> str:
        p = d.person
        lines = [_person_line(p)]
        if p.butler_name:
            lines.append(f"butler: {p.butler_name}")
        if p.referred_by_name:
            lines.append(f"referred by: {p.referred_by_name}")
        lines.append(f"points: {p.balance}")
        lines += [f"vehicle: {v.plate or '-'}  {v.vin or '-'}  {v.model or ''}" for v in d.vehicles]
        lines += [f"club: {c.club_name} ({c.role})" for c in d.clubs]
        lines += [f"event: {e.title} ({e.status})" for e in d.events]
        lines += [f"referred: {r.name}" for r in d.referrals]
        return "\n".join(lines)

    ctx.emit(d.to_json(), human)
    return 0


def _add_vehicle(args: argparse.Namespace, ctx: Context) -> int:
    v = people.add_vehicle(
        ctx.db,
        people.resolve_person(ctx.db, args.person_id),
        people.VehicleDraft(
            vin=args.vin,
            plate=args.plate,
            model=args.model,
            purchase_date=parse_date(args.purchased, "purchase_date"),
        ),
    )
    ctx.emit(v.to_json(), f"vehicle {v.plate or ''} {v.vin or ''} added ({v.id})")
    return 0


def _merge(args: argparse.Namespace, ctx: Context) -> int:
    report = duplicates.merge_people(ctx.db, args.keep_id, args.drop_id)
    ctx.emit(report.to_json(), lambda: report.summary())
    return 0


def _undo_merge(args: argparse.Namespace, ctx: Context) -> int:
    report = duplicates.undo_last_merge(ctx.db)
    ctx.emit(report.to_json(), lambda: report.summary())
    return 0


def _duplicates(args: argparse.Namespace, ctx: Context) -> int:
    pairs = duplicates.find_duplicates(ctx.db, limit=args.limit)
    ctx.emit(
        {"items": [p.to_json() for p in pairs]},
        lambda: (
            "\n".join(
                f"{p.score:5.1f}  {p.a_name} / {p.b_name}  {p.localized()}  ({p.a_id} {p.b_id})"
                for p in pairs
            )
            or "no likely duplicates"
        ),
    )
    return 0


def _points_adjust(args: argparse.Namespace, ctx: Context) -> int:
    pid = people.resolve_person(ctx.db, args.person_id)
    ch = points.adjust_points(ctx.db, pid, args.delta, args.reason)
    ctx.emit(
        ch.to_json(),
        f"{ch.delta:+d} points → balance {ch.balance}, tier {ch.tier}"
        + (f" (was {ch.previous_tier})" if ch.tier_changed else ""),
    )
    return 0


def _points_history(args: argparse.Namespace, ctx: Context) -> int:
    rows = points.history(ctx.db, people.resolve_person(ctx.db, args.person_id))
    ctx.emit(
        {"items": [r.to_json() for r in rows]},
        lambda: (
            "\n".join(
                f"{ctx.local(r.created_at, '%Y-%m-%d')}  {r.delta:+6d}  {r.balance_after:6d}  "
                f"{r.kind}  "
                f"{points.reason_text(r.kind, r.reason)}"
                for r in rows
            )
            or "no points yet"
        ),
    )
    return 0


def _points_tiers(args: argparse.Namespace, ctx: Context) -> int:
    current = points.get_thresholds(ctx.db)
    if args.silver is not None or args.gold is not None or args.platinum is not None:
        current = points.set_thresholds(
            ctx.db,
            args.silver if args.silver is not None else current.silver,
            args.gold if args.gold is not None else current.gold,
            args.platinum if args.platinum is not None else current.platinum,
        )
    ctx.emit(
        current.to_json(),
        f"silver ≥ {current.silver}, gold ≥ {current.gold}, platinum ≥ {current.platinum}",
    )
    return 0
