"""A Core statement run straight on the DB-API cursor of a session's transaction.

The check-in desk's accepted scan is four statements and a commit. SQLAlchemy's execute
path (execution context, parameter construction, the postcompile of every IN list,
result metadata) costs more CPU per statement than SQLite takes to run it: measured on
the scan's own statements, the hit's SELECT 140 µs against 34 µs on the bare driver, the
conditional UPDATE 67 against 6 µs (docs/checkin-desk.md).

`run(conn, stmt, params)` keeps everything that makes the statement the app's own — the
SQL SQLAlchemy compiled for this dialect (IN lists expanded once: they are constants of
the statement), the bind processors of its column types (UUID, UTC datetimes, JSON),
Python-side column defaults and on-update values (ids, created_at, updated_at), the
result processors, and SQLAlchemy's exception classes (an IntegrityError is still an
`sqlalchemy.exc.IntegrityError`; a lost server connection invalidates the pooled
connection as SQLAlchemy would) — and drops the per-call work, done once per statement,
dialect and set of parameter names.

Only for statements built once at import time and run on a hot path; everything else goes
through `Connection.execute`.

`Raw` is a write transaction on a pooled DB-API connection without SQLAlchemy's Connection
(whose connect, begin, commit and close cost about 20 µs of CPU per transaction, twice
that right after the previous scan's fsync): Database.write_raw opens one for the desk's
quick scan, and run()/run_batch() take either.
"""

from __future__ import annotations

import functools
import operator
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import Uuid
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import Connection, Dialect, Engine
from sqlalchemy.pool import PoolProxiedConnection
from sqlalchemy.sql import ClauseElement
from sqlalchemy.sql.dml import Insert, Update

from desktop_app.domain.ids import uuid_of_int

Processor = Callable[[Any], Any]


class Raw:
    """A write transaction on one of the engine's pooled DB-API connections, as a context
    manager: what run() and run_batch() need of a Connection (its dialect, DB-API
    connection, engine), plus commit and rollback. Entering checks a connection out and
    begins; leaving commits (unless a batch already did) or, on an exception, rolls back,
    and returns the connection to the pool without the pool's own rollback-on-return (the
    transaction has ended, as SQLAlchemy's Connection tells the pool). Errors are
    SQLAlchemy's, as on a Connection; `explain` turns an OperationalError into the
    app's own (a locked file, a server gone). Made by Database.write_raw, only while
    nothing listens to the engine's statements."""

    __slots__ = (
        "begin_sql", "connection", "dbapi", "dialect", "engine", "explain", "open", "pool_of"
    )  # fmt: skip

    def __init__(
        self,
        engine: Engine,
        begin_sql: str | None,
        explain: Callable[[sa_exc.OperationalError], Exception | None] | None = None,
        pool_of: Engine | None = None,
    ) -> None:
        """`begin_sql` starts the transaction (SQLite's BEGIN IMMEDIATE); None: the driver
        begins one at the first statement (psycopg). `pool_of`: the Engine whose pool to
        take the connection from, when `engine` is a copy of it with execution options
        (which reaches the pool through a property)."""
        self.engine = engine
        self.pool_of = pool_of or engine
        self.dialect = engine.dialect
        self.begin_sql = begin_sql
        self.explain = explain
        self.open = False

    def __enter__(self) -> Raw:
        try:
            self._checkout()
        except sa_exc.OperationalError as e:  # the file locked or unreadable, no server…
            raise self._explained(e) from e
        try:
            if self.begin_sql is not None:
                self._call(self.begin_sql, self.dbapi.execute, self.begin_sql)
        except BaseException as e:
            self.close()
            if isinstance(e, sa_exc.OperationalError):
                raise self._explained(e) from e
            raise
        self.open = True
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, _tb: Any
    ) -> None:
        try:
            if kind is None:
                self.commit()
            else:
                self.rollback()
        except sa_exc.OperationalError as e:
            raise self._explained(e) from e
        finally:
            self.close()
        if isinstance(exc, sa_exc.OperationalError):
            raise self._explained(exc) from exc

    def _checkout(self) -> None:
        try:
            # the pool's checkout, with its events (PostgreSQL's ping after idle); the pool
            # itself, not Engine.raw_connection, whose wrapping of errors this does
            self.connection: PoolProxiedConnection = self.pool_of.pool.connect()
        except self.dialect.loaded_dbapi.Error as e:  # the server is down, the file locked…
            raise sa_exc.DBAPIError.instance(
                None, None, e, self.dialect.loaded_dbapi.Error, hide_parameters=True
            ) from e
        self.dbapi: Any = self.connection.driver_connection

    def _explained(self, e: sa_exc.OperationalError) -> Exception:
        known = self.explain(e) if self.explain is not None else None
        return e if known is None else known

    def invalidate(self, e: BaseException) -> None:
        self.connection.invalidate(e)

    def commit(self) -> None:
        """Commit, once: after a batch that committed (run_batch's commit) it does nothing."""
        if self.open:
            self._call("COMMIT", self.dbapi.commit)
            self.open = False

    def committed(self) -> None:
        """The transaction was committed on the DB-API connection itself (a pipeline)."""
        self.open = False

    def rollback(self) -> None:
        if not self.open:
            return
        self.open = False
        if not self.connection.is_valid:  # lost: nothing to roll back, never reused
            return
        try:
            self._call("ROLLBACK", self.dbapi.rollback)
        except sa_exc.DBAPIError:  # a connection that cannot roll back is not reused
            if self.connection.is_valid:
                self.connection.invalidate()

    def close(self) -> None:
        """Back to the pool (or discarded, if invalidated). An ended transaction needs no
        rollback-on-return: _close_special is how SQLAlchemy's own Connection says so."""
        self.connection._close_special(transaction_reset=not self.open)  # type: ignore[attr-defined]

    def _call(self, what: str, fn: Callable[..., Any], *args: Any) -> None:
        try:
            fn(*args)
        except self.dialect.loaded_dbapi.Error as e:
            raise _failed(self, e, what, (), None) from e


Target = Connection | Raw  # where run() and run_batch() run their statements


@dataclass(slots=True)
class Result:
    """What a driver-level statement returned: its rows (processed) and rowcount."""

    rows: list[tuple[Any, ...]]
    rowcount: int

    def first(self) -> tuple[Any, ...] | None:
        return self.rows[0] if self.rows else None


@dataclass(slots=True)
class _Prepared:
    sql: str
    constants: dict[str, Any]  # processed values of binds the caller does not pass
    # (name, bind processor) of the caller's values that have one
    processors: tuple[tuple[str, Processor], ...]
    # prefetched column defaults: (name, the default, its bind processor or None)
    defaults: tuple[tuple[str, Callable[[], Any], Processor | None], ...]
    returns_rows: bool
    result_types: tuple[Any, ...]
    # positional paramstyle: the values dict → the parameter tuple in the SQL's order, in
    # one C call; named (psycopg): None, the dict is the parameters
    positional: Callable[[dict[str, Any]], tuple[Any, ...]] | None = field(default=None)
    # (column index, processor) for the result columns that have one; None: not yet known
    results: tuple[tuple[int, Processor], ...] | None = field(default=None)


_CACHE: dict[tuple[int, str, frozenset[str]], _Prepared] = {}


def _default_of(column: Any, on_update: bool) -> Callable[[], Any]:
    default = column.onupdate if on_update else column.default
    if default.is_scalar:
        value = default.arg
        return lambda: value
    if default.is_callable:
        # SQLAlchemy wraps a zero-argument callable to take a context: call the original
        original = getattr(default.arg, "__wrapped__", None)
        if original is not None:
            return cast(Callable[[], Any], original)
        fn = default.arg
        return lambda: fn(None)
    raise TypeError(f"{column} has a default the driver path cannot prefetch")


def _prepare(stmt: ClauseElement, dialect: Dialect, keys: frozenset[str]) -> _Prepared:
    compiled: Any = stmt.compile(dialect=dialect, column_keys=sorted(keys))
    dml = isinstance(stmt, Insert | Update)
    prefetch = [(c, False) for c in getattr(compiled, "insert_prefetch", ()) if dml] + [
        (c, True) for c in getattr(compiled, "update_prefetch", ()) if dml
    ]
    defaults = tuple((c.key, _default_of(c, upd)) for c, upd in prefetch if c.key not in keys)
    # Values for every bind: the caller's (placeholders here), the defaults', the statement's
    # own literals (IN lists); expanding them gives the final SQL and the bind names.
    placeholders = {k: None for k in keys} | {k: None for k, _ in defaults}
    state = compiled.construct_expanded_state(placeholders)
    given = set(keys) | {k for k, _ in defaults}
    processors = {
        name: proc
        for bind, name in compiled.bind_names.items()
        if (proc := bind.type.dialect_impl(dialect).bind_processor(dialect)) is not None
    } | dict(state.processors)  # the expanded IN lists' own names
    constants: dict[str, Any] = {}
    for name, value in state.parameters.items():
        if name not in given:
            proc = processors.get(name)
            constants[name] = proc(value) if proc else value
    order = tuple(state.positiontup) if state.positiontup is not None else None
    types = tuple(c.type for c in getattr(stmt, "exported_columns", ()))
    return _Prepared(
        sql=state.statement,
        constants=constants,
        processors=tuple((k, processors[k]) for k in sorted(keys) if k in processors),
        defaults=tuple((k, make, processors.get(k)) for k, make in defaults),
        returns_rows=bool(types),
        result_types=types,
        positional=None if order is None else _tuple_of(order),
    )


def _tuple_of(order: tuple[str, ...]) -> Callable[[dict[str, Any]], tuple[Any, ...]]:
    if not order:
        return lambda _values: ()
    if len(order) == 1:
        key = order[0]
        return lambda values: (values[key],)
    return operator.itemgetter(*order)


def _prepared(conn: Target, stmt: ClauseElement, keys: frozenset[str]) -> _Prepared:
    dialect = conn.dialect
    key = (id(stmt), dialect.name, keys)
    p = _CACHE.get(key)
    if p is None:
        p = _CACHE[key] = _prepare(stmt, dialect, keys)
    return p


def _result_processors(p: _Prepared, dialect: Dialect, description: Sequence[Any]) -> None:
    impls = (t.dialect_impl(dialect) for t in p.result_types)
    procs = (
        _faster(impl, impl.result_processor(dialect, d[1]))
        for impl, d in zip(impls, description, strict=True)
    )
    p.results = tuple((i, f) for i, f in enumerate(procs) if f is not None)


def uuid_from_text(value: str) -> uuid.UUID:
    """uuid.UUID(value) for a UUID stored as text: the 32 hex digits SQLite holds (how
    Paddock writes them) taken straight to the UUID's int (0.6 µs against UUID()'s 0.9);
    any other form (dashes, braces) through UUID() itself, which also says why a bad one
    is bad."""
    if len(value) == 32 and value.isalnum():  # no sign, space or separator int() takes
        try:
            number = int(value, 16)
        except ValueError:
            pass
        else:
            return uuid_of_int(number)  # 32 hex digits: always in range
    return uuid.UUID(value)


def _faster(impl: Any, proc: Processor | None) -> Processor | None:
    """A column type's result processor, or the same result made faster: a UUID read back
    from text (SQLAlchemy's is uuid.UUID(value) for every value)."""
    if proc is not None and isinstance(impl, Uuid) and impl.as_uuid:
        return uuid_from_text
    return proc


def listened(conn: Connection | Engine) -> bool:
    """Whether anyone listens to the engine's statements (a test counting them, a
    profiler, echo): then statements go through SQLAlchemy, so they see them. (Asked of
    before_cursor_execute, where such listeners hook in: asking every event costs more
    than a statement's own run.)"""
    return bool(conn.dispatch.before_cursor_execute) or bool(conn.engine.echo)


def _dbapi(conn: Target) -> Any:
    return conn.dbapi if isinstance(conn, Raw) else conn.connection.driver_connection


def _listened(conn: Target) -> bool:
    return not isinstance(conn, Raw) and listened(conn)


def _through_sqlalchemy(conn: Connection, stmt: ClauseElement, params: Mapping[str, Any]) -> Result:
    res = conn.execute(stmt, params)
    return Result([tuple(r) for r in res] if res.returns_rows else [], res.rowcount)


def _args(p: _Prepared, params: Mapping[str, Any]) -> Any:
    values = {**p.constants, **params}  # then only the values that need a processor
    for k, proc in p.processors:
        v = values[k]
        if v is not None:  # every processor keeps None
            values[k] = proc(v)
    for k, make, proc in p.defaults:
        v = make()
        values[k] = v if proc is None or v is None else proc(v)
    return p.positional(values) if p.positional is not None else values


def _result(p: _Prepared, dialect: Dialect, cursor: Any) -> Result:
    rows: list[tuple[Any, ...]] = []
    if p.returns_rows:
        raw = cursor.fetchall()
        if p.results is None:
            _result_processors(p, dialect, cursor.description)
        results = p.results or ()
        for r in raw:
            row = list(r)
            for i, f in results:
                v = row[i]
                if v is not None:  # every processor keeps None
                    row[i] = f(v)
            rows.append(tuple(row))
    return Result(rows, cursor.rowcount)


def _failed(conn: Target, e: Exception, sql: str, args: Any, cursor: Any) -> Exception:
    """The DB-API error as SQLAlchemy raises it (IntegrityError, OperationalError…); a lost
    server connection invalidates the pooled connection, as SQLAlchemy does."""
    gone = conn.dialect.is_disconnect(e, conn.connection.dbapi_connection, cursor)
    if gone:
        conn.invalidate(e)
    return sa_exc.DBAPIError.instance(
        sql,
        args,
        e,
        conn.dialect.loaded_dbapi.Error,
        hide_parameters=True,
        dialect=conn.dialect,
        connection_invalidated=gone,
    )


def run(conn: Target, stmt: ClauseElement, params: Mapping[str, Any]) -> Result:
    """Run `stmt` (built once, at import time) with `params` in `conn`'s transaction."""
    if _listened(conn):
        assert isinstance(conn, Connection)
        return _through_sqlalchemy(conn, stmt, params)
    p = _prepared(conn, stmt, frozenset(params))
    args = _args(p, params)
    dbapi = _dbapi(conn)
    cursor = dbapi.cursor()
    try:
        cursor.execute(p.sql, args)
        return _result(p, conn.dialect, cursor)
    except conn.dialect.loaded_dbapi.Error as e:
        raise _failed(conn, e, p.sql, args, cursor) from e
    finally:
        cursor.close()


def run_batch(
    conn: Target, batch: Sequence[tuple[ClauseElement, Mapping[str, Any]]], *, commit: bool = False
) -> list[Result]:
    """Run statements in order whose results are looked at only once all have run: on
    PostgreSQL in one round trip (psycopg's pipeline mode, which also sends the BEGIN of
    a transaction not yet started along with them), elsewhere one after another. The
    first failure raises as run() does (the caller's transaction then rolls back).
    `commit`: the batch ends the transaction — a driver-level one (Raw) commits in the
    same round trip; on a Connection its own block commits, as it would anyway."""
    dbapi = _dbapi(conn)
    pipeline = getattr(dbapi, "pipeline", None)
    if pipeline is None or _listened(conn) or not _pipeline_supported():
        results = [run(conn, stmt, params) for stmt, params in batch]
        if commit and isinstance(conn, Raw):
            conn.commit()
        return results
    work = []
    for stmt, params in batch:
        p = _prepared(conn, stmt, frozenset(params))
        work.append((p, _args(p, params), dbapi.cursor()))
    try:
        with pipeline():  # errors surface at its end: say which statements were sent
            for p, args, cursor in work:
                cursor.execute(p.sql, args)
            if commit and isinstance(conn, Raw):
                dbapi.commit()
                conn.committed()
        return [_result(p, conn.dialect, cursor) for p, _, cursor in work]
    except conn.dialect.loaded_dbapi.Error as e:
        sql = ";\n".join(p.sql for p, _, _ in work)
        raise _failed(conn, e, sql, [a for _, a, _ in work], None) from e
    finally:
        for _, _, cursor in work:
            cursor.close()


@functools.cache
def _pipeline_supported() -> bool:
    import psycopg

    return bool(psycopg.Pipeline.is_supported())
