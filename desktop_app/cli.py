"""The `paddock` command: no arguments opens the app; verbs run the services headless.

Exit codes: 0 ok, 1 bad input (one line on stderr, nothing changed), 2 usage,
3 a scan that was not accepted. `--json` prints exactly one JSON object on stdout.
"""

from __future__ import annotations

import argparse
import functools
import importlib
import json
import os
import sys
from collections.abc import Callable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from desktop_app import __version__
from desktop_app.domain.errors import PaddockError
from desktop_app.domain.messages import current_language, text
from desktop_app.logging_setup import setup_logging
from desktop_app.store.db import Database, open_database

EXIT_OK, EXIT_BAD_INPUT, EXIT_USAGE, EXIT_NOT_ACCEPTED = 0, 1, 2, 3

# Verb modules under desktop_app/commands; a module that is missing is skipped so that
# areas can land one at a time.
COMMAND_MODULES = (
    "setup",
    "events",
    "people",
    "clubs",
    "registration",
    "checkin",
    "sync",
    "hq",
    "packs",
    "reports",
    "admin",
    "staff",
    "questions",  # issue 14: question, questions, gift, approve, decline
    "documents",
    "fees",  # issue 15
    "perks",  # issue 15
)


def _json_default(value: object) -> object:
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    to_json = getattr(value, "to_json", None)
    if callable(to_json):
        return to_json()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


class Context:
    """What a handler needs: the database (opened on first use) and output helpers."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.json = bool(getattr(args, "json", False))
        self.lang = args.lang or current_language()
        self._db: Database | None = None

    @property
    def passphrase(self) -> str | None:
        """An encrypted pack's passphrase: --passphrase before the verb, else
        PADDOCK_PASSPHRASE (store/cipher.py)."""
        from desktop_app.store.cipher import passphrase_from_env

        return getattr(self.args, "passphrase", None) or passphrase_from_env()

    @property
    def db(self) -> Database:
        if self._db is None:
            self._db = open_database(self.args.db, passphrase=self.passphrase)
            from desktop_app.services.auth import sign_in_from_cli

            sign_in_from_cli(self._db, self.args.signin_staff, self.args.signin_pin)
            from desktop_app.services.backup import daily_backup_quietly

            daily_backup_quietly(self._db)
        return self._db

    @functools.cached_property
    def timezone(self) -> str:
        """The dealership's time zone: every time a person reads is in it."""
        from desktop_app.domain.timeutil import DEFAULT_TZ
        from desktop_app.services.dealer import get_dealer

        dealer = get_dealer(self.db)
        return dealer.timezone if dealer and dealer.timezone else DEFAULT_TZ

    def local(self, when: datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
        """A stored (UTC) time as the dealership's clock shows it, for the human text."""
        from desktop_app.domain.timeutil import to_local

        shown = to_local(when, self.timezone)
        return shown.strftime(fmt) if shown else "—"

    def emit(self, obj: dict[str, Any], human: str | Callable[[], str] | None = None) -> None:
        """Print `obj` as one JSON object with --json, else the human text."""
        if self.json:
            print(json.dumps(obj, ensure_ascii=False, default=_json_default))
        else:
            text = human() if callable(human) else human
            if text is None:
                text = json.dumps(obj, ensure_ascii=False, indent=2, default=_json_default)
            print(text)

    def close(self) -> None:
        if self._db is not None:
            self._db.close()


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        print(f"paddock: {message}", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def common_options() -> argparse.ArgumentParser:
    """Options every verb accepts after its name too (`paddock event list --json`)."""
    p = argparse.ArgumentParser(add_help=False)
    p.add_argument(
        "--json",
        action="store_true",
        default=argparse.SUPPRESS,
        help="print one JSON object on stdout",
    )
    p.add_argument(
        "--db",
        default=argparse.SUPPRESS,
        help="SQLite file or database URL (default: PADDOCK_DB, else the data dir)",
    )
    return p


@functools.cache
def build_parser() -> argparse.ArgumentParser:
    """The whole command line, built once per process: its ~250 parsers cost a third of a
    second (argparse looks up a translation for each), which a process calling `main`
    many times (the tests, a script) should pay once. Nothing in it may depend on the
    environment at call time: defaults from the environment are read by the handlers."""
    parser = _Parser(prog="paddock", description="Paddock — owner community events for dealers.")
    parser.add_argument(
        "--db",
        help="SQLite file or database URL (default: PADDOCK_DB, else "
        "the SQLite file in the user data dir)",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object on stdout")
    parser.add_argument(
        "--lang",
        choices=["en", "zh"],
        help="language of messages (and of the window, for this run)",
    )
    parser.add_argument(
        "--staff",
        dest="signin_staff",
        metavar="NAME",
        help="sign in as this staff member (needed once staff accounts exist; or PADDOCK_STAFF)",
    )
    parser.add_argument("--pin", dest="signin_pin", metavar="PIN", help="PIN (or PADDOCK_PIN)")
    parser.add_argument(
        "--passphrase",
        metavar="P",
        help="passphrase of an encrypted event pack given with --db (or PADDOCK_PASSPHRASE)",
    )
    parser.add_argument("--version", action="version", version=f"paddock {__version__}")
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="open the main window offscreen-capable, wait until painted, exit 0 (installer check)",
    )
    sub = parser.add_subparsers(dest="verb", metavar="VERB", parser_class=_Parser)
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(f"desktop_app.commands.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"desktop_app.commands.{name}":
                continue
            raise
        module.register(sub)
    return parser


def run_gui(db: str | None, lang: str | None = None) -> int:
    try:
        from ui.app import run
    except ImportError as exc:  # PySide6 missing: say how to get it
        print(
            f"paddock: the desktop UI needs PySide6 ({exc}); "
            "install with: pip install 'paddock[gui]'",
            file=sys.stderr,
        )
        return EXIT_BAD_INPUT
    return run(db, lang)


def _report_unexpected(exc: Exception, lang: str, db_arg: str | None) -> int:
    """Storage faults get their own sentence; anything else is logged with its traceback."""
    from desktop_app.faults import explain, location
    from desktop_app.logging_setup import log_unexpected

    known = explain(exc, location(db_arg))
    log = log_unexpected(exc, "cli")
    if known is not None:
        print(f"paddock: {known.localized(lang)}", file=sys.stderr)
    else:
        detail = (
            f"{type(exc).__name__}: {str(exc).strip().splitlines()[0] if str(exc).strip() else ''}"
        )
        print(
            f"paddock: {text('unexpected_error', lang, detail=detail, log=log or '-')}",
            file=sys.stderr,
        )
    return EXIT_BAD_INPUT


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    setup_logging("cli")
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.self_test:
        from ui.selftest import run_self_test

        return run_self_test(args.db)
    if not getattr(args, "verb", None):
        return run_gui(args.db, args.lang)
    handler = getattr(args, "handler", None)
    if handler is None:  # a group verb without its sub-verb, e.g. `paddock event`
        print(
            f"paddock: '{args.verb}' needs an action; see: paddock {args.verb} --help",
            file=sys.stderr,
        )
        return EXIT_USAGE
    ctx = Context(args)
    try:
        code = int(handler(args, ctx) or EXIT_OK)
        sys.stdout.flush()  # a closed pipe shows here, not at interpreter exit
        return code
    except BrokenPipeError:  # `paddock … | head`: the reader has seen enough
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except PaddockError as exc:
        print(f"paddock: {exc.localized(ctx.lang)}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("paddock: interrupted; nothing was changed", file=sys.stderr)
        return EXIT_BAD_INPUT
    except Exception as exc:  # one line + the log path, never a traceback on a desk PC
        return _report_unexpected(exc, ctx.lang, args.db)
    finally:
        ctx.close()


if __name__ == "__main__":
    raise SystemExit(main())
