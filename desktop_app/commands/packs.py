"""`paddock pack export|import`: an event's pack for an offline laptop, and merging it back."""

from __future__ import annotations

import argparse
from typing import Any

from desktop_app.cli import EXIT_OK, Context, common_options
from desktop_app.domain.errors import ValidationError
from desktop_app.services import packs


def register(sub: Any) -> None:
    pk = sub.add_parser("pack", help="event packs for offline laptops (docs/event-pack.md)")
    pv = pk.add_subparsers(dest="pack_verb", metavar="ACTION")
    ex = pv.add_parser(
        "export",
        parents=[common_options()],
        help="write one event's pack (open it on the laptop with: paddock --db FILE)",
    )
    ex.add_argument("event_id", metavar="EVENT_ID")
    ex.add_argument("--out", required=True, metavar="FILE", help="the pack file to write")
    ex.add_argument(
        "--passphrase",
        dest="pack_passphrase",
        metavar="P",
        help="encrypt the pack with this passphrase (at least 8 characters; "
        "or PADDOCK_PASSPHRASE); the laptop needs it to open the pack",
    )
    ex.set_defaults(handler=_export)
    im = pv.add_parser(
        "import",
        parents=[common_options()],
        help="merge a laptop's pack back (scans, walk-ins; importing twice changes nothing)",
    )
    im.add_argument("file", metavar="FILE")
    im.add_argument("--dry-run", action="store_true", help="report only, change nothing")
    im.add_argument(
        "--passphrase",
        dest="pack_passphrase",
        metavar="P",
        help="the pack's passphrase (or PADDOCK_PASSPHRASE)",
    )
    im.set_defaults(handler=_import)


def _pack_passphrase(args: argparse.Namespace, ctx: Context) -> str | None:
    return args.pack_passphrase or ctx.passphrase


def _export(args: argparse.Namespace, ctx: Context) -> int:
    passphrase = _pack_passphrase(args, ctx)
    if not passphrase:  # packs leave the building: never in plain
        raise ValidationError("passphrase", "pack_passphrase_needed")
    res = packs.export_pack(ctx.db, args.event_id, args.out, passphrase=passphrase)

    def human() -> str:
        counts = res.info.counts
        return (
            f"pack for “{res.info.event_title}” written to {res.path} "
            f"({res.size_bytes // 1024} KB: {counts.get('registrations', 0)} registrations, "
            f"{counts.get('people', 0)} people), encrypted; on the laptop: "
            f"paddock --db {res.path} (it asks for the passphrase)"
        )

    ctx.emit(res.to_json(), human)
    return EXIT_OK


def _import(args: argparse.Namespace, ctx: Context) -> int:
    rep = packs.import_pack(
        ctx.db, args.file, dry_run=args.dry_run, passphrase=_pack_passphrase(args, ctx)
    )

    def human() -> str:
        head = "DRY RUN — nothing changed. " if rep.dry_run else ""
        lines = [
            f"{head}{rep.event_title}: {rep.scans_added} scans added, "
            f"{rep.checkins_added} check-ins, {rep.walk_ins_added} walk-ins; "
            f"created {rep.created}, updated {rep.updated}, unchanged {rep.unchanged}, "
            f"duplicates {rep.duplicates}"
        ]
        for d in rep.double_entries:
            lines.append(
                f"  double entry: {d['name']} — kept {d['kept']['at']} ({d['kept']['desk']}), "
                f"also {d['other']['at']} ({d['other']['desk']})"
            )
        for c in rep.conflicts:
            lines.append(
                f"  conflict: {c['table']} {c['id']} {', '.join(c['fields'])} — kept {c['kept']}"
            )
        for r in rep.rejected:
            lines.append(
                f"  rejected: {r.get('table')} {r.get('id')}: {packs.rejected_text(r, ctx.lang)}"
            )
        return "\n".join(lines)

    ctx.emit(rep.to_json(), human)
    return EXIT_OK
