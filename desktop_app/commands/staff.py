"""`paddock staff …` (accounts, roles, PINs) and `paddock audit …` (who did what, export)."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from typing import Any

from desktop_app.cli import Context, common_options
from desktop_app.commands.people import parse_date
from desktop_app.domain.enums import StaffRole
from desktop_app.domain.errors import ValidationError
from desktop_app.services import audit_log, auth, staff

ROLES = [r.value for r in StaffRole]


def register(sub: Any) -> None:
    group = sub.add_parser(
        "staff",
        help="staff members (butlers, front desk, coordinators, admins) and their PINs",
        description="Once any staff member has a PIN or password, every command needs "
        "`paddock --staff NAME --pin PIN …` (or PADDOCK_STAFF / PADDOCK_PIN) and is limited "
        "to that person's role. The first account with a PIN must be an admin.",
    )
    verbs = group.add_subparsers(dest="staff_verb", metavar="ACTION")
    add = verbs.add_parser("add", parents=[common_options()], help="add a staff member")
    add.add_argument("--name", required=True)
    add.add_argument("--role", default=StaffRole.COORDINATOR, choices=ROLES)
    add.add_argument("--phone")
    add.add_argument(
        "--email", help="the address they join Zoom with (left out of attendance imports)"
    )
    add.add_argument(
        "--pin", dest="new_pin", help="PIN (4+ digits) or password to sign in with (optional)"
    )
    add.set_defaults(handler=_add)

    ls = verbs.add_parser("list", parents=[common_options()], help="list staff")
    ls.add_argument("--role", choices=ROLES)
    ls.add_argument("--all", action="store_true", help="include inactive staff")
    ls.set_defaults(handler=_list)

    sp = verbs.add_parser(
        "set-pin", parents=[common_options()], help="set someone's PIN or password (admins)"
    )
    sp.add_argument("who", help="staff name or id")
    sp.add_argument(
        "--new-pin",
        dest="new_pin",
        help="the new PIN; without it you are asked (not echoed), or PADDOCK_NEW_PIN",
    )
    sp.set_defaults(handler=_set_pin)

    rp = verbs.add_parser(
        "remove-pin", parents=[common_options()], help="take away someone's sign-in (admins)"
    )
    rp.add_argument("who", help="staff name or id")
    rp.set_defaults(handler=_remove_pin)

    for name, active in (("deactivate", False), ("activate", True)):
        p = verbs.add_parser(
            name, parents=[common_options()], help=f"{name} a staff member (admins)"
        )
        p.add_argument("who", help="staff name or id")
        p.set_defaults(handler=_set_active, active=active)

    group = sub.add_parser("audit", help="the audit log: who changed what and when (admins)")
    verbs = group.add_subparsers(dest="audit_verb", metavar="ACTION")
    al = verbs.add_parser("list", parents=[common_options()], help="newest entries first")
    _filters(al)
    al.add_argument("--limit", type=int, default=200)
    al.set_defaults(handler=_audit_list)
    ae = verbs.add_parser("export", parents=[common_options()], help="write to .xlsx or .csv")
    ae.add_argument("--out", required=True, help="FILE.xlsx or FILE.csv")
    _filters(ae)
    ae.set_defaults(handler=_audit_export)


def _filters(p: argparse.ArgumentParser) -> None:
    p.add_argument("--since", help="from this day (YYYY-MM-DD)")
    p.add_argument("--until", help="before this day (YYYY-MM-DD)")
    p.add_argument("--action", help="e.g. people, people.update, export, auth.sign_in_failed")
    p.add_argument("--by", dest="by_staff", help="staff name contains")


def _add(args: argparse.Namespace, ctx: Context) -> int:
    st = auth.add_account(ctx.db, args.name, args.role, args.new_pin, args.phone, email=args.email)
    out = {**st.to_json(), "has_pin": args.new_pin is not None}
    ctx.emit(out, f"added {st.name} ({st.role}) {st.id}" + (" with a PIN" if args.new_pin else ""))
    return 0


def _list(args: argparse.Namespace, ctx: Context) -> int:
    rows = staff.list_staff(ctx.db, role=args.role, active_only=not args.all)
    accounts = {a.id: a for a in auth.list_accounts(ctx.db)}
    items = []
    for r in rows:
        acc = accounts.get(r.id)
        items.append(
            {
                **r.to_json(),
                "has_pin": bool(acc and acc.has_secret),
                "locked_until": acc.locked_until.isoformat() if acc and acc.locked_until else None,
            }
        )

    def human() -> str:
        lines = []
        for i in items:
            pin = "PIN" if i["has_pin"] else "-"
            locked = f"  locked until {i['locked_until']}" if i["locked_until"] else ""
            lines.append(f"{i['id']}  {i['name']}  {i['role']}  {pin}{locked}")
        return "\n".join(lines) or "no staff yet"

    ctx.emit({"items": items}, human)
    return 0


def _ask_new_pin(given: str | None) -> str:
    if given is not None:
        return given
    env = os.environ.get("PADDOCK_NEW_PIN")
    if env is not None:
        return env
    if not sys.stdin.isatty():
        raise ValidationError("pin", "required")
    first = getpass.getpass("new PIN or password: ")
    if getpass.getpass("again: ") != first:
        raise ValidationError("pin", "pin_mismatch")
    return first


def _set_pin(args: argparse.Namespace, ctx: Context) -> int:
    acc = auth.set_secret(ctx.db, args.who, _ask_new_pin(args.new_pin))
    ctx.emit(acc.to_json(), f"PIN set for {acc.name} ({acc.role})")
    return 0


def _remove_pin(args: argparse.Namespace, ctx: Context) -> int:
    acc = auth.remove_secret(ctx.db, args.who)
    ctx.emit(acc.to_json(), f"{acc.name} can no longer sign in")
    return 0


def _set_active(args: argparse.Namespace, ctx: Context) -> int:
    sid = auth.staff_id_of(ctx.db, args.who)
    st = staff.set_active(ctx.db, sid, args.active)
    ctx.emit(st.to_json(), f"{st.name}: {'active' if st.active else 'inactive'}")
    return 0


def _audit_list(args: argparse.Namespace, ctx: Context) -> int:
    rows = audit_log.list_audit(
        ctx.db,
        since=parse_date(args.since, "since"),
        until=parse_date(args.until, "until"),
        action=args.action,
        staff=args.by_staff,
        limit=args.limit,
    )

    def human() -> str:
        return (
            "\n".join(
                f"{ctx.local(r.at, '%Y-%m-%d %H:%M:%S')}  {r.staff_name or '-':<10} "
                f"{r.action:<24} {r.entity} {r.entity_id or ''} {r.detail_text()}"
                for r in rows
            )
            or "no audit entries"
        )

    ctx.emit({"items": [r.to_json() for r in rows]}, human)
    return 0


def _audit_export(args: argparse.Namespace, ctx: Context) -> int:
    path, count = audit_log.export_audit(
        ctx.db,
        args.out,
        since=parse_date(args.since, "since"),
        until=parse_date(args.until, "until"),
        action=args.action,
        staff=args.by_staff,
    )
    ctx.emit({"path": str(path), "rows": count}, f"{count} audit entries written to {path}")
    return 0
