"""Opening a Paddock database: engine settings, migrations on open, backups, refusals.

SQLite: WAL, foreign keys, busy timeout, synchronous=FULL (no acknowledged write is lost
when the PC is switched off at the wall). Reads use deferred transactions (never block in
WAL); writes use BEGIN IMMEDIATE so two desks serialise instead of failing with
'database is locked' halfway through. PostgreSQL: the same code, READ COMMITTED.
"""

from __future__ import annotations

import contextlib
import functools
import re
import sqlite3
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from desktop_app import config
from desktop_app.domain.errors import DatabaseError, first_line
from desktop_app.faults import explain
from desktop_app.store import cipher, driver

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
BUSY_TIMEOUT_MS = 10_000
BACKUPS_KEPT = 14
WAL_AUTOCHECKPOINT_PAGES = 8000
PING_AFTER_IDLE_S = 10.0  # PostgreSQL: a pooled connection idle this long is pinged first


def alembic_config(url: str) -> Config:
    from alembic.config import Config  # alembic is imported only to migrate (0.3 s)

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


_REVISION_LINE = re.compile(r"""^(down_revision|revision)\s*(?::[^=]*)?=\s*["']?(\w+)["']?""", re.M)


@functools.cache
def _revision_graph(folder: Path = MIGRATIONS_DIR) -> dict[str, str | None]:
    """revision → down_revision, read from the migration files' header lines (the same
    lines alembic reads; test_migrations checks both agree). Opening a database needs only
    this, so no command pays for importing alembic unless it migrates. `folder`: another
    chain's (HQ's warehouse, store/warehouse.py)."""
    graph: dict[str, str | None] = {}
    for f in sorted((folder / "versions").glob("*.py")):
        found = dict(m.groups() for m in _REVISION_LINE.finditer(f.read_text("utf-8")))
        if "revision" in found:
            down = found.get("down_revision")
            graph[found["revision"]] = None if down in (None, "None") else down
    return graph


@functools.cache
def head_revision() -> str:
    graph = _revision_graph()
    heads = set(graph) - {d for d in graph.values() if d}
    if len(heads) != 1:  # pragma: no cover - a packaging error, not a user's
        raise DatabaseError(f"the app's migrations have {len(heads)} heads: {sorted(heads)}")
    return heads.pop()


@functools.cache
def known_revisions() -> frozenset[str]:
    # Migrations are files shipped with the app: read their index once per process.
    return frozenset(_revision_graph())


_BEGIN = text("BEGIN")
_BEGIN_IMMEDIATE = text("BEGIN IMMEDIATE")


def _configure_sqlite(engine: Engine, key: str | None = None) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we emit BEGIN ourselves
        if key is not None:  # an encrypted pack: the key is the first statement
            cipher.apply_key(dbapi_conn, key)
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA foreign_keys=ON")
        # Deleted and overwritten content is zeroed, not left in free space (issue 18:
        # an erased person's phone must not survive in the file's slack).
        cur.execute("PRAGMA secure_delete=ON")
        mode = cur.execute("PRAGMA journal_mode=WAL").fetchone()
        if mode and str(mode[0]).lower() not in {"wal", "memory"}:
            cur.close()
            raise DatabaseError("cannot switch the database to WAL mode (read-only folder?)")
        cur.execute("PRAGMA synchronous=FULL")
        # A checkpoint runs inside the commit that crosses the threshold: at SQLite's
        # default (1000 pages ≈ every 50 scans) that scan took 5–10 ms. 8000 pages (~32 MB
        # of WAL) moves the pause to ~1 scan in 400, below the desk's p99.
        cur.execute(f"PRAGMA wal_autocheckpoint={WAL_AUTOCHECKPOINT_PAGES}")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # on the driver: every write transaction starts here (a desk's scan among them)
        write = conn.get_execution_options().get("paddock_write")
        driver.run(conn, _BEGIN_IMMEDIATE if write else _BEGIN, {})


class Database:
    """An open Paddock database: `read()` for queries, `write()` for one unit of work."""

    def __init__(self, url: str, engine: Engine, *, encrypted: bool = False) -> None:
        self.url = url
        self.engine = engine
        self.is_sqlite = engine.dialect.name == "sqlite"
        # an encrypted pack (store/cipher.py): never copied out in plain (no backups)
        self.encrypted = encrypted
        self._read = sessionmaker(engine, expire_on_commit=False)
        self._write_engine = engine.execution_options(paddock_write=True)
        self._write = sessionmaker(self._write_engine, expire_on_commit=False)
        self.principal: Any = None  # who acts on this database (services/auth.bind)

    @property
    def path(self) -> Path | None:
        """The SQLite file, or None for a server database."""
        db = make_url(self.url).database
        return Path(db) if self.is_sqlite and db and db != ":memory:" else None

    @contextlib.contextmanager
    def read(self) -> Iterator[Session]:
        with self._read() as s:
            yield s

    @contextlib.contextmanager
    def write(self) -> Iterator[Session]:
        """A transaction: committed when the block ends, rolled back if it raises.

        Locked, read-only, full-disk and server-gone failures become a DatabaseError.
        """
        with self._explained(), self._write(info={"principal": self.principal}) as s, s.begin():
            yield s

    def write_raw(self) -> contextlib.AbstractContextManager[driver.Target]:
        """write() for a hot path of prebuilt Core statements run with store/driver (the
        desk's quick scan): a transaction on a pooled DB-API connection (driver.Raw),
        without the ORM session or SQLAlchemy's Connection and what they cost per
        transaction (about 60 and 20 µs of CPU). While something listens to the engine's
        statements (a test counting them, echo) it is a Core Connection's, so they see
        them. Committed when the block ends, rolled back if it raises; failures explained
        as write()'s are."""
        engine = self._write_engine
        if driver.listened(engine):
            return self._write_core()
        begin = _BEGIN_IMMEDIATE.text if self.is_sqlite else None
        return driver.Raw(engine, begin, self._explain, pool_of=self.engine)

    @contextlib.contextmanager
    def _write_core(self) -> Iterator[driver.Target]:
        with self._explained(), self._write_engine.connect() as conn, conn.begin():
            yield conn

    @contextlib.contextmanager
    def _explained(self) -> Iterator[None]:
        """Locked, read-only, full-disk and server-gone failures become a DatabaseError."""
        try:
            yield
        except sa_exc.OperationalError as exc:
            known = self._explain(exc)
            if known is None:
                raise
            raise known from exc

    def _explain(self, exc: sa_exc.OperationalError) -> DatabaseError | None:
        return explain(exc, self.path or self.url)

    def close(self) -> None:
        self.engine.dispose()


def make_engine(url: str, key: str | None = None) -> Engine:
    """An engine for `url`; `key` (store/cipher.raw_key) opens an encrypted SQLite file."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        extra: dict[str, Any] = {"module": cipher.dbapi()} if key is not None else {}
        # hide_parameters: customers' phones must not end up in logged tracebacks
        # LIFO: the connection used last is used next. SQLite empties a connection's page
        # cache whenever another connection has written; with FIFO a desk's scans took
        # turns on the pool's connections (one more is opened by any worker thread) and
        # each found its cache emptied by the scan before.
        engine = create_engine(
            url,
            connect_args={"timeout": BUSY_TIMEOUT_MS / 1000},
            hide_parameters=True,
            pool_use_lifo=True,
            **extra,
        )
        _configure_sqlite(engine, key)
        return engine
    if parsed.get_backend_name() == "postgresql" and parsed.get_driver_name() in ("", "psycopg2"):
        # psycopg 3 is what we ship; accept plain postgresql:// URLs.
        url = str(parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False))
    engine = create_engine(url, hide_parameters=True)
    _ping_when_idle(engine)
    return engine


def _ping_when_idle(engine: Engine) -> None:
    """pool_pre_ping, but only for a connection idle for PING_AFTER_IDLE_S or more.

    A desk scanning a queue reuses a connection it used seconds ago: pinging it costs a
    round trip on every scan (pool_pre_ping pings at every checkout). After a pause, the
    ping catches what a server restart or a LAN drop left behind, and the pool opens a new
    connection before anyone uses the dead one. A connection cut within the window shows
    as "server unreachable" on one write (nothing is half-written: the transaction never
    commits); SQLAlchemy then drops the pool's connections and the next write reconnects.
    """

    @event.listens_for(engine, "checkin")
    def _idle_from(_dbapi_conn: Any, record: Any) -> None:
        record.info["paddock_idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _ping(dbapi_conn: Any, record: Any, _proxy: Any) -> None:
        since = record.info.get("paddock_idle_since")
        if since is not None and time.monotonic() - since < PING_AFTER_IDLE_S:
            return
        try:
            alive = engine.dialect.do_ping(dbapi_conn)
        except Exception:
            alive = False
        if not alive:
            # the pool discards this connection and checks out (or opens) another
            raise sa_exc.DisconnectionError("connection found dead by the idle ping")


def _check_sqlite_file(path: Path) -> None:
    """Refuse, before SQLAlchemy touches it, a file that is not a SQLite database."""
    if not path.exists() or path.stat().st_size == 0:
        if not path.parent.exists():
            raise DatabaseError(f"folder does not exist: {path.parent}")
        return
    try:
        with path.open("rb") as fh:
            header = fh.read(16)
    except OSError as exc:
        raise DatabaseError(f"cannot read {path}: {exc.strerror}") from exc
    if header != b"SQLite format 3\x00":
        raise DatabaseError(f"{path} is not a Paddock database (not a SQLite file)")


def current_revision(engine: Engine) -> str | None:
    """The schema revision stamped in the database (alembic_version), None if unstamped."""
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def open_database(
    url: str | None = None,
    *,
    upgrade: bool = True,
    backup: bool = True,
    passphrase: str | None = None,
    encrypt: bool = False,
) -> Database:
    """Open (creating or upgrading as needed) the database at `url` (see config.database_url).

    An encrypted file (an event pack) opens with `passphrase`, else PADDOCK_PASSPHRASE;
    without either it is refused with "this pack is encrypted: give its passphrase".
    `encrypt=True` creates a new file encrypted with `passphrase`.

    Raises DatabaseError with a sentence a person can act on when the file is not a Paddock
    database, is newer than this app, or cannot be reached.
    """
    url = config.database_url(url)
    parsed = make_url(url)
    is_sqlite = parsed.get_backend_name() == "sqlite"
    key: str | None = None
    if is_sqlite and parsed.database and parsed.database != ":memory:":
        path = Path(parsed.database)
        if cipher.looks_encrypted(path):
            passphrase = passphrase or cipher.passphrase_from_env()
            if not passphrase:
                raise DatabaseError(code="pack_encrypted")
            cipher.connect(path, passphrase).close()  # a wrong passphrase says so here
            key = cipher.key_for(path, passphrase)
        elif encrypt:
            _check_sqlite_file(path)
            if path.exists() and path.stat().st_size > 0:
                raise DatabaseError(f"{path} exists and is not encrypted")
            key = cipher.key_for(path, cipher.check_passphrase(passphrase))
        else:
            _check_sqlite_file(path)
    engine = make_engine(url, key)
    db = Database(url, engine, encrypted=key is not None)
    try:
        _ensure_schema(db, upgrade=upgrade, backup=backup)
    except DatabaseError:
        engine.dispose()
        raise
    except sa_exc.OperationalError as exc:
        engine.dispose()
        known = explain(exc, parsed.database if is_sqlite else None)
        raise known or DatabaseError(f"cannot open the database: {first_line(exc)}") from exc
    except sa_exc.DatabaseError as exc:
        engine.dispose()
        raise DatabaseError(f"not a Paddock database: {first_line(exc)}") from exc
    return db


def _ensure_schema(db: Database, *, upgrade: bool, backup: bool) -> None:
    with db.engine.connect() as conn:
        tables = set(inspect(conn).get_table_names())
    rev = current_revision(db.engine) if "alembic_version" in tables else None
    if rev is None:
        foreign = tables - {"alembic_version"}
        if foreign:
            raise DatabaseError(
                "this database is not a Paddock database (it has tables "
                f"{', '.join(sorted(foreign)[:3])}… but no Paddock schema); choose another file"
            )
    elif rev not in known_revisions():
        raise DatabaseError(
            f"this database was written by a newer Paddock (schema {rev}); "
            "install the newer version to open it"
        )
    head = head_revision()
    if rev == head:
        return
    if not upgrade:
        raise DatabaseError(f"the database needs an upgrade (schema {rev} → {head})")
    if rev is not None and backup and db.is_sqlite and not db.encrypted:
        backup_sqlite(db, reason=f"pre-migrate-{rev}")
    with db.engine.begin() as conn:
        cfg = alembic_config(db.url)
        cfg.attributes["connection"] = conn
        from alembic import command

        command.upgrade(cfg, "head")


def backup_sqlite(db: Database, reason: str = "manual", target: Path | None = None) -> Path:
    """Copy the live SQLite database with the online backup API (safe while desks work)."""
    src_path = db.path
    if src_path is None:
        raise DatabaseError("backups are made by the PostgreSQL server (pg_dump), not by Paddock")
    if db.encrypted:  # a plain copy of an encrypted pack would undo its encryption
        raise DatabaseError("an encrypted pack is not backed up (the dealership has the original)")
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    target = target or config.backup_dir() / f"{src_path.stem}-{stamp}-{reason}.sqlite"
    tmp = target.with_name(target.name + ".part")
    src = sqlite3.connect(src_path)
    try:
        dst = sqlite3.connect(tmp)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
    tmp.replace(target)
    _rotate_backups(target.parent, src_path.stem)
    return target


def _rotate_backups(folder: Path, stem: str) -> None:
    backups = sorted(folder.glob(f"{stem}-*.sqlite"))
    for old in backups[:-BACKUPS_KEPT]:
        old.unlink(missing_ok=True)
