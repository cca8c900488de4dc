"""`paddock club …`: owner clubs (车友会), memberships and activity."""

from __future__ import annotations

import argparse
from typing import Any

from desktop_app.cli import Context, common_options
from desktop_app.commands.people import parse_date
from desktop_app.domain.enums import ClubRole
from desktop_app.services import clubs

ROLES = [r.value for r in ClubRole]


def register(sub: Any) -> None:
    group = sub.add_parser("club", help="owner clubs (车友会)")
    club_sub = group.add_subparsers(dest="club_verb", metavar="ACTION")

    add = club_sub.add_parser("add", parents=[common_options()], help="create a club")
    add.add_argument("--name", required=True)
    add.add_argument("--model", help="model focus, e.g. ID.4")
    add.add_argument("--city")
    add.add_argument("--description", default="")
    add.set_defaults(handler=_add)

    join = club_sub.add_parser("join", parents=[common_options()], help="add a member")
    join.add_argument("club_id")
    join.add_argument("person_id")
    join.add_argument("--role", default="member", choices=ROLES)
    join.add_argument("--joined", help="join date YYYY-MM-DD (default today)")
    join.set_defaults(handler=_join)

    leave = club_sub.add_parser("leave", parents=[common_options()], help="remove a member")
    leave.add_argument("club_id")
    leave.add_argument("person_id")
    leave.set_defaults(handler=_leave)

    role = club_sub.add_parser("role", parents=[common_options()], help="change a member's role")
    role.add_argument("club_id")
    role.add_argument("person_id")
    role.add_argument("role", choices=ROLES)
    role.set_defaults(handler=_role)

    ls = club_sub.add_parser("list", parents=[common_options()], help="list clubs")
    ls.add_argument("--search", default="")
    ls.set_defaults(handler=_list)

    mem = club_sub.add_parser("members", parents=[common_options()], help="a club's members")
    mem.add_argument("club_id")
    mem.add_argument("--role", choices=ROLES)
    mem.set_defaults(handler=_members)

    act = club_sub.add_parser("activity", parents=[common_options()], help="a club's events")
    act.add_argument("club_id")
    act.set_defaults(handler=_activity)

    link = club_sub.add_parser(
        "link-event", parents=[common_options()], help="count an event as the club's"
    )
    link.add_argument("club_id")
    link.add_argument("event_id")
    link.set_defaults(handler=_link)


def _add(args: argparse.Namespace, ctx: Context) -> int:
    c = clubs.create_club(
        ctx.db, clubs.ClubDraft(args.name, args.model, args.city, args.description)
    )
    ctx.emit(c.to_json(), f"club {c.name} created ({c.id})")
    return 0


def _join(args: argparse.Namespace, ctx: Context) -> int:
    m = clubs.join_club(
        ctx.db, args.club_id, args.person_id, args.role, parse_date(args.joined, "joined_on")
    )
    ctx.emit(m.to_json(), f"joined as {m.role} on {m.joined_on}")
    return 0


def _leave(args: argparse.Namespace, ctx: Context) -> int:
    clubs.leave_club(ctx.db, args.club_id, args.person_id)
    ctx.emit({"club_id": args.club_id, "person_id": args.person_id, "left": True}, "left the club")
    return 0


def _role(args: argparse.Namespace, ctx: Context) -> int:
    m = clubs.change_role(ctx.db, args.club_id, args.person_id, args.role)
    ctx.emit(m.to_json(), f"role is now {m.role}")
    return 0


def _list(args: argparse.Namespace, ctx: Context) -> int:
    rows = clubs.list_clubs(ctx.db, args.search)
    ctx.emit(
        {"items": [c.to_json() for c in rows]},
        lambda: (
            "\n".join(
                f"{c.id}  {c.name}  {c.model_focus or '-'}  {c.city or '-'}  {c.members} members"
                for c in rows
            )
            or "no clubs yet"
        ),
    )
    return 0


def _members(args: argparse.Namespace, ctx: Context) -> int:
    rows = clubs.members(ctx.db, args.club_id, args.role)
    ctx.emit(
        {"items": [m.to_json() for m in rows]},
        lambda: (
            "\n".join(f"{m.person_id}  {m.name}  {m.role}  {m.joined_on or ''}" for m in rows)
            or "no members yet"
        ),
    )
    return 0


def _activity(args: argparse.Namespace, ctx: Context) -> int:
    rows = clubs.club_activity(ctx.db, args.club_id)
    ctx.emit(
        {"items": [r.to_json() for r in rows]},
        lambda: (
            "\n".join(
                f"{ctx.local(r.starts_at, '%Y-%m-%d')}  {r.title}  "
                f"members {r.members_attended}/{r.members_registered}"
                for r in rows
            )
            or "no events yet"
        ),
    )
    return 0


def _link(args: argparse.Namespace, ctx: Context) -> int:
    clubs.link_event(ctx.db, args.club_id, args.event_id)
    ctx.emit({"club_id": args.club_id, "event_id": args.event_id, "linked": True}, "linked")
    return 0
