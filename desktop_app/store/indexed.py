"""A table read through one named index: `FROM t AS a INDEXED BY ix` on SQLite.

Paddock never runs ANALYZE, so at a desk SQLite's planner picks indexes from default
estimates. For the few big aggregate passes whose speed rests on one covering index (the
community report over ix_registrations_confirmed) that guess is not good enough: with three
equality columns ix_registrations_event_seats looks more selective, and a single-column
status index looks cheaper still, though both read every table row. INDEXED BY is SQLite's
own tool for a plan that does not change (https://sqlite.org/lang_indexedby.html); a query
the index cannot answer fails with "no query solution" instead of silently slowing down.
Other databases get the plain alias.
"""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import Table, inspect
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import aliased
from sqlalchemy.orm.util import AliasedClass
from sqlalchemy.sql.selectable import Alias
from sqlalchemy.sql.visitors import InternalTraversal

T = TypeVar("T")


class IndexedAlias(Alias):
    """An alias of a table that SQLite reads through `index_name`."""

    inherit_cache = True
    _traverse_internals = [  # noqa: RUF012 - SQLAlchemy reads this class attribute
        *Alias._traverse_internals,
        ("index_name", InternalTraversal.dp_string),
    ]
    index_name: str


def through_index(model: type[T], index_name: str, name: str) -> AliasedClass[T]:
    """`model` as an ORM alias called `name`, read through `index_name` on SQLite."""
    table = model.__table__  # type: ignore[attr-defined]
    assert isinstance(table, Table) and index_name in {i.name for i in table.indexes}
    alias = IndexedAlias._construct(table, name=name)
    alias.index_name = index_name
    return _settled(aliased(model, alias))


def _settled(cls: AliasedClass[T]) -> AliasedClass[T]:
    """`cls` with every column attribute adapted now, on the importing thread.

    An AliasedClass adapts its attributes lazily and memoizes them, and that first adaption
    is not thread-safe: two report queries built at once on the app's worker threads could
    memoize the base table's column (SQLAlchemy warns "Did not locate an expression in
    selectable"), and every later query through the alias joined the whole table (a
    person's 1 event attended read as 10). Module-level aliases are settled when made."""
    for attr in inspect(cls).mapper.column_attrs:
        getattr(cls, attr.key).expression  # noqa: B018 - memoizes the adapted column
    return cls


@compiles(IndexedAlias)
def _plain(element: IndexedAlias, compiler: Any, **kw: Any) -> str:
    return str(compiler.visit_alias(element, **kw))


@compiles(IndexedAlias, "sqlite")
def _sqlite(element: IndexedAlias, compiler: Any, **kw: Any) -> str:
    sql = str(compiler.visit_alias(element, **kw))
    return f"{sql} INDEXED BY {element.index_name}" if kw.get("asfrom") else sql
