"""`paddock question / questions / gift / approve / decline` (issue 14).

Sign-up questions and their answers, gifts at the door, approval of applications to an
invite-only event. `gift hand` exits 0 when something was handed and 3 when not (no gift
left, already handed, nothing due), like a scan that was not accepted.
"""

from __future__ import annotations

import argparse
from dataclasses import replace
from typing import Any

from desktop_app.cli import EXIT_NOT_ACCEPTED, EXIT_OK, Context, common_options
from desktop_app.domain.enums import QuestionType
from desktop_app.domain.errors import ValidationError
from desktop_app.services import approval, gifts, questions


def register(sub: Any) -> None:
    q = sub.add_parser("question", help="an event's sign-up / desk questions").add_subparsers(
        dest="question_verb", metavar="ACTION"
    )
    add = q.add_parser("add", parents=[common_options()], help="add a question to an event")
    add.add_argument("event_id", metavar="EVENT")
    add.add_argument("--key", required=True, help="short name for scripts (e.g. lunch, size)")
    add.add_argument("--label", required=True, help="the question as people read it")
    add.add_argument("--type", default="text", choices=[t.value for t in QuestionType])
    add.add_argument("--choices", default="", help='options of choice/multi: "S,M,L"')
    add.add_argument("--required", action="store_true")
    add.add_argument(
        "--at-desk",
        action="store_true",
        help="ask at check-in (only there, unless --at-signup is given too)",
    )
    add.add_argument("--at-signup", action="store_true", help="with --at-desk: ask at both")
    add.set_defaults(handler=_add)

    ed = q.add_parser("edit", parents=[common_options()], help="change a question")
    ed.add_argument("question_id", metavar="QUESTION")
    ed.add_argument("--key")
    ed.add_argument("--label")
    ed.add_argument("--type", choices=[t.value for t in QuestionType])
    ed.add_argument("--choices")
    ed.add_argument("--required", action=argparse.BooleanOptionalAction, default=None)
    ed.add_argument("--at-desk", action=argparse.BooleanOptionalAction, default=None)
    ed.add_argument("--at-signup", action=argparse.BooleanOptionalAction, default=None)
    ed.set_defaults(handler=_edit)

    rm = q.add_parser("remove", parents=[common_options()], help="remove a question")
    rm.add_argument("question_id", metavar="QUESTION")
    rm.set_defaults(handler=_remove)

    an = q.add_parser("answer", parents=[common_options()], help="set a registration's answers")
    an.add_argument("registration_id", metavar="REGISTRATION")
    an.add_argument("--answer", action="append", required=True, metavar="KEY=VALUE")
    an.set_defaults(handler=_answer)

    ls = sub.add_parser("questions", parents=[common_options()], help="list an event's questions")
    ls.add_argument("event_id", metavar="EVENT")
    ls.add_argument("--counts", action="store_true", help="with how they were answered")
    ls.set_defaults(handler=_list)

    g = sub.add_parser("gift", help="gifts at the door (签到礼)").add_subparsers(
        dest="gift_verb", metavar="ACTION"
    )
    ga = g.add_parser("add", parents=[common_options()], help="add a gift item to an event")
    ga.add_argument("event_id", metavar="EVENT")
    ga.add_argument("--name", required=True)
    ga.add_argument("--stock", type=int, required=True, help="items bought for the event")
    ga.add_argument(
        "--rule",
        default="per_registration",
        help="per_registration (a party gets one), per_person, tier:gold, first:50, referrers",
    )
    ga.add_argument("--cost", help="cost per item (CNY); feeds the event's cost")
    ga.set_defaults(handler=_gift_add)

    ge = g.add_parser("edit", parents=[common_options()], help="change a gift (e.g. more stock)")
    ge.add_argument("gift_id", metavar="GIFT")
    ge.add_argument("--name")
    ge.add_argument("--stock", type=int)
    ge.add_argument("--rule")
    ge.add_argument("--cost")
    ge.set_defaults(handler=_gift_edit)

    gr = g.add_parser("remove", parents=[common_options()], help="remove a gift item")
    gr.add_argument("gift_id", metavar="GIFT")
    gr.set_defaults(handler=_gift_remove)

    gl = g.add_parser("list", parents=[common_options()], help="an event's gifts and stock")
    gl.add_argument("event_id", metavar="EVENT")
    gl.set_defaults(handler=_gift_list)

    gh = g.add_parser(
        "hand", parents=[common_options()], help="hand a checked-in registration its gifts"
    )
    gh.add_argument("registration_id", metavar="REG")
    gh.add_argument("--gift", action="append", help="only this gift id (repeat)")
    gh.add_argument("--desk", default=None)
    gh.add_argument("--staff")
    gh.add_argument("--nonce", help="hand-out id made where it happened (idempotent)")
    gh.set_defaults(handler=_gift_hand)

    ap = sub.add_parser("approve", parents=[common_options()], help="approve pending registrations")
    ap.add_argument("registration_ids", nargs="+", metavar="REG")
    ap.add_argument(
        "--over-capacity", action="store_true", help="seat them although the event is full"
    )
    ap.set_defaults(handler=_approve)

    de = sub.add_parser("decline", parents=[common_options()], help="decline pending registrations")
    de.add_argument("registration_ids", nargs="+", metavar="REG")
    de.add_argument("--reason", required=True)
    de.set_defaults(handler=_decline)


# --------------------------------------------------------------------------- questions


def _human_question(q: questions.QuestionView) -> str:
    where = "+".join(w for w, on in (("sign-up", q.at_signup), ("desk", q.at_desk)) if on)
    req = " required" if q.required else ""
    choices = f" [{' / '.join(q.choices)}]" if q.choices else ""
    return f"{q.id}  {q.key:<12} {q.type:<7} {where}{req}  {q.label}{choices}"


def _add(args: argparse.Namespace, ctx: Context) -> int:
    draft = questions.QuestionDraft(
        key=args.key,
        label=args.label,
        type=args.type,
        choices=questions.split_choices(args.choices),
        required=args.required,
        at_signup=args.at_signup or not args.at_desk,
        at_desk=args.at_desk,
    )
    v = questions.add_question(ctx.db, args.event_id, draft)
    ctx.emit(v.to_json(), lambda: _human_question(v))
    return EXIT_OK


def _edit(args: argparse.Namespace, ctx: Context) -> int:
    current = questions.get_question(ctx.db, args.question_id)
    d = current.draft()
    changes: dict[str, Any] = {
        k: v
        for k, v in (
            ("key", args.key),
            ("label", args.label),
            ("type", args.type),
            ("required", args.required),
            ("at_desk", args.at_desk),
            ("at_signup", args.at_signup),
        )
        if v is not None
    }
    if args.choices is not None:
        changes["choices"] = questions.split_choices(args.choices)
    v = questions.update_question(ctx.db, current.id, replace(d, **changes))
    ctx.emit(v.to_json(), lambda: _human_question(v))
    return EXIT_OK


def _remove(args: argparse.Namespace, ctx: Context) -> int:
    questions.remove_question(ctx.db, args.question_id)
    ctx.emit({"id": args.question_id, "removed": True}, f"removed {args.question_id}")
    return EXIT_OK


def _answer(args: argparse.Namespace, ctx: Context) -> int:
    got = questions.set_answers(ctx.db, args.registration_id, questions.parse_pairs(args.answer))
    ctx.emit(
        {"id": args.registration_id, "answers": got},
        lambda: "\n".join(f"{k}: {v}" for k, v in got.items()) or "no answers",
    )
    return EXIT_OK


def _list(args: argparse.Namespace, ctx: Context) -> int:
    qs = questions.list_questions(ctx.db, args.event_id)
    counts = questions.answer_counts(ctx.db, args.event_id) if args.counts else []
    by_key = {c.key: c for c in counts}
    items = [
        q.to_json() | ({"answers": by_key[q.key].to_json()} if q.key in by_key else {}) for q in qs
    ]

    def human() -> str:
        if not qs:
            return "no questions"
        lines = []
        for q in qs:
            lines.append(_human_question(q))
            c = by_key.get(q.key)
            if c is not None:
                tally = ", ".join(f"{o.option} {o.count}" for o in c.options)
                mean = f" mean {c.mean}" if c.mean is not None else ""
                lines.append(f"    answered {c.answered}, not {c.unanswered}{mean}  {tally}")
        return "\n".join(lines)

    ctx.emit({"items": items}, human)
    return EXIT_OK


# --------------------------------------------------------------------------- gifts


def _human_gift(g: gifts.GiftView) -> str:
    cost = f"  ¥{g.cost}/item" if g.cost is not None else ""
    low = "  LOW" if g.low and g.left else ("  NONE LEFT" if not g.left else "")
    return f"{g.id}  {g.name}  {g.handed}/{g.stock} handed, {g.left} left{low}  {g.rule_text}{cost}"


def _gift_add(args: argparse.Namespace, ctx: Context) -> int:
    rule, value = gifts.parse_rule(args.rule)
    g = gifts.add_gift(
        ctx.db, args.event_id, gifts.GiftDraft(args.name, args.stock, rule, value, args.cost)
    )
    ctx.emit(g.to_json(), lambda: _human_gift(g))
    return EXIT_OK


def _gift_edit(args: argparse.Namespace, ctx: Context) -> int:
    current = gifts.get_gift(ctx.db, args.gift_id)
    d = current.draft()
    rule, value = (d.rule, d.rule_value) if args.rule is None else gifts.parse_rule(args.rule)
    g = gifts.update_gift(
        ctx.db,
        current.id,
        gifts.GiftDraft(
            args.name if args.name is not None else d.name,
            args.stock if args.stock is not None else d.stock,
            rule,
            value,
            args.cost if args.cost is not None else d.cost,
        ),
    )
    ctx.emit(g.to_json(), lambda: _human_gift(g))
    return EXIT_OK


def _gift_remove(args: argparse.Namespace, ctx: Context) -> int:
    gifts.remove_gift(ctx.db, args.gift_id)
    ctx.emit({"id": args.gift_id, "removed": True}, f"removed {args.gift_id}")
    return EXIT_OK


def _gift_list(args: argparse.Namespace, ctx: Context) -> int:
    items = gifts.list_gifts(ctx.db, args.event_id)
    ctx.emit(
        {"items": [g.to_json() for g in items]},
        lambda: "\n".join(_human_gift(g) for g in items) or "no gifts",
    )
    return EXIT_OK


def _gift_hand(args: argparse.Namespace, ctx: Context) -> int:
    from desktop_app.commands.checkin import default_desk

    res = gifts.hand(
        ctx.db,
        args.registration_id,
        gift_ids=args.gift,
        desk=args.desk or default_desk(),
        staff_id=args.staff,
        nonce=args.nonce,
    )

    def human() -> str:
        lines = [f"{res.result.upper()}: {res.name}"]
        for i in res.items:
            extra = f" ×{i.quantity}, {i.left} left" if i.result == gifts.HANDED else ""
            lines.append(f"  {i.name}: {i.result}{extra}")
        return "\n".join(lines)

    ctx.emit(res.to_json(), human)
    return EXIT_OK if res.handed else EXIT_NOT_ACCEPTED


# --------------------------------------------------------------------------- approval


def _human_decisions(rep: approval.DecisionReport, lang: str) -> str:
    lines = [
        f"{d.registration_id}  {d.result:<10}  {d.name}"
        + (f"  ({d.reason_text(lang)})" if d.result in ("skipped", "declined") else "")
        for d in rep.items
    ]
    lines.append(
        f"registered {rep.count('registered')}, waitlisted {rep.count('waitlisted')}, "
        f"declined {rep.count('declined')}, skipped {rep.count('skipped')}"
    )
    return "\n".join(lines)


def _approve(args: argparse.Namespace, ctx: Context) -> int:
    rep = approval.approve(ctx.db, args.registration_ids, over_capacity=args.over_capacity)
    ctx.emit(rep.to_json(), lambda: _human_decisions(rep, ctx.lang))
    return EXIT_OK


def _decline(args: argparse.Namespace, ctx: Context) -> int:
    if not (args.reason or "").strip():
        raise ValidationError("reason", "required")
    rep = approval.decline(ctx.db, args.registration_ids, args.reason)
    ctx.emit(rep.to_json(), lambda: _human_decisions(rep, ctx.lang))
    return EXIT_OK
