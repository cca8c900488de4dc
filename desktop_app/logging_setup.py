"""Rotating log files in the user log dir (PADDOCK_HOME-aware), shared by the CLI and the GUI."""

from __future__ import annotations

import logging
import logging.handlers
import os
from pathlib import Path

from desktop_app import __version__, config

LOG_FILE_NAME = "paddock.log"
MAX_BYTES = 1_000_000
BACKUP_COUNT = 5  # five old files of 1 MB: weeks of desk use, small enough to e-mail
FORMAT = "%(asctime)s %(levelname)-7s %(process)d %(name)s: %(message)s"

_handler: logging.Handler | None = None
_handler_path: Path | None = None


def log_file() -> Path:
    """Where the current log file is (the path shown to people in error messages)."""
    return config.log_dir() / LOG_FILE_NAME


def setup_logging(component: str = "cli", level: int | None = None) -> Path | None:
    """Send the `paddock` and `desktop_app`/`ui` loggers to a rotating file; idempotent.

    Returns the log file, or None when the log dir cannot be written (logging is then
    off, so a read-only profile never stops the app).
    """
    global _handler, _handler_path
    wanted = config.log_dir() / LOG_FILE_NAME if _log_dir_usable() else None
    if _handler is not None:
        if wanted == _handler_path:
            return _handler_path
        teardown_logging()  # PADDOCK_HOME changed (tests, `--db` on another profile)
    if level is None:
        level = logging.DEBUG if os.environ.get("PADDOCK_DEBUG") else logging.INFO
    root = logging.getLogger()
    path: Path | None
    try:
        if wanted is None:
            raise OSError("log dir not writable")
        path = wanted
        handler: logging.Handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT, encoding="utf-8"
        )
    except OSError:
        # No writable log dir (locked-down profile): do not log rather than print
        # tracebacks on stderr, which the CLI keeps to one line.
        path = None
        handler = logging.NullHandler()
    handler.setFormatter(logging.Formatter(FORMAT))
    root.addHandler(handler)
    if root.level == logging.NOTSET or root.level > level:
        root.setLevel(level)
    # Libraries are chatty at INFO (alembic prints every migration step): keep warnings.
    for noisy in ("sqlalchemy", "alembic", "PIL", "asyncio"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    _handler, _handler_path = handler, path
    logging.getLogger("paddock").debug("paddock %s %s started", __version__, component)
    return path


def teardown_logging() -> None:
    """Remove the handler (tests switch PADDOCK_HOME between runs)."""
    global _handler, _handler_path
    if _handler is not None:
        logging.getLogger().removeHandler(_handler)
        _handler.close()
        _handler, _handler_path = None, None


def _log_dir_usable() -> bool:
    try:
        config.log_dir()
    except OSError:
        return False
    return True


def log_unexpected(exc: BaseException, where: str) -> Path | None:
    """Write `exc` with its traceback to the log; returns the log file (None if unavailable)."""
    path = setup_logging()
    logging.getLogger("paddock").error(
        "unexpected error in %s", where, exc_info=(type(exc), exc, exc.__traceback__)
    )
    if _handler is not None:
        _handler.flush()
    return path
