"""A lazily paged table model over 100k people: pages of rows fetched on demand, off the UI thread."""

from __future__ import annotations

import uuid
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any, Protocol

import shiboken6
from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QThreadPool,
    Signal,
)
from PySide6.QtGui import QColor

from desktop_app.domain.phone import display_phone
from desktop_app.store.db import Database
from ui import labels
from ui.workers import submit

PAGE_SIZE = 200
MAX_CACHED_PAGES = 25  # 5,000 rows in memory at most, however far the user scrolls

Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True, slots=True)
class PeopleQuery:
    """What the People page asks for: the search text and the filters."""

    text: str = ""
    stage: str | None = None
    tier: str | None = None
    club_id: uuid.UUID | str | None = None
    butler_id: uuid.UUID | str | None = None
    tag: str | None = None

    def filters(self) -> dict[str, Any]:
        return {
            "stage": self.stage,
            "tier": self.tier,
            "club_id": self.club_id,
            "butler_id": self.butler_id,
            "tag": self.tag,
        }


class PeopleSource(Protocol):
    def count(self, query: PeopleQuery) -> int: ...
    def page(self, query: PeopleQuery, offset: int, limit: int) -> Sequence[Any]: ...


class ServicePeopleSource:
    """The people service (search_people / count_people) as the model's source."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def count(self, query: PeopleQuery) -> int:
        from desktop_app.services import people

        return people.count_people(self.db, query.text, **query.filters())

    def page(self, query: PeopleQuery, offset: int, limit: int) -> Sequence[Any]:
        from desktop_app.services import people

        return people.search_people(
            self.db, query.text, limit=limit, offset=offset, **query.filters()
        )


def _plates_models(row: Any) -> str:
    plates = [p for p in (getattr(row, "plates", ()) or ()) if p]
    models = [m for m in (getattr(row, "models", ()) or ()) if m]
    return " · ".join([*plates, *models])


def _tier(row: Any) -> str:
    return labels.tier(row.tier) if row.tier not in (None, "none") else ""


def _phone(row: Any) -> str:
    return (
        display_phone(row.phone)
        if row.phone
        else QCoreApplication.translate("PeopleModel", "no phone")
    )


def _tags(row: Any) -> str:
    return ", ".join(getattr(row, "tags", ()) or ())


# Columns: (header, cell text). Headers are translated when shown.
COLUMNS: tuple[tuple[str, Callable[[Any], str]], ...] = (
    (QT_TRANSLATE_NOOP("PeopleModel", "Name"), lambda r: r.name),
    (QT_TRANSLATE_NOOP("PeopleModel", "Phone"), _phone),
    (QT_TRANSLATE_NOOP("PeopleModel", "Stage"), lambda r: labels.stage(r.stage)),
    (QT_TRANSLATE_NOOP("PeopleModel", "Tier"), _tier),
    (QT_TRANSLATE_NOOP("PeopleModel", "Points"), lambda r: str(r.balance)),
    (QT_TRANSLATE_NOOP("PeopleModel", "Butler"), lambda r: r.butler_name or ""),
    (QT_TRANSLATE_NOOP("PeopleModel", "Vehicles"), _plates_models),
    (QT_TRANSLATE_NOOP("PeopleModel", "Tags"), _tags),
)
HEADERS = tuple(header for header, _ in COLUMNS)
COL_NAME, COL_PHONE, COL_STAGE, COL_TIER, COL_POINTS, COL_BUTLER, COL_VEHICLES, COL_TAGS = range(
    len(COLUMNS)
)
RowRole = Qt.ItemDataRole.UserRole + 1


class PeopleModel(QAbstractTableModel):
    """Rows appear a page at a time (canFetchMore/fetchMore); old pages are dropped and
    fetched again when scrolled back to, so memory stays bounded at 100k people.

    With a pool, queries run on it and the results come back through signals; without
    one (tests of the paging logic) they run inline.
    """

    loading_changed = Signal(bool)
    total_changed = Signal(int)  # how many people match the current query
    query_failed = Signal(object)

    def __init__(
        self,
        source: PeopleSource,
        pool: QThreadPool | None = None,
        parent: QObject | None = None,
        page_size: int = PAGE_SIZE,
        max_cached_pages: int = MAX_CACHED_PAGES,
    ) -> None:
        super().__init__(parent)
        self.source = source
        self.pool = pool
        self.page_size = page_size
        self.max_cached_pages = max_cached_pages
        self.query = PeopleQuery()
        self.total = -1  # unknown until the first answer (and its count) arrive
        self._loaded = 0  # rows the view has been told about
        self._pages: OrderedDict[int, list[Any]] = OrderedDict()  # LRU of pages
        self._pending: set[int] = set()
        self._generation = 0  # bumps on every new query: late answers are dropped
        self._first_in_flight = False
        self._loading = False

    # ------------------------------------------------------------------ queries

    def set_query(self, query: PeopleQuery) -> None:
        """Start over with a new search/filter; the first page replaces the rows.

        While one first-page query runs, newer keystrokes only replace the wanted query:
        when the running one comes back (stale) the latest is started, so a fast typist
        never queues a query per key.
        """
        self.query = query
        self._generation += 1
        self._set_loading(True)
        if not self._first_in_flight:
            self._start_first_page()

    def _start_first_page(self) -> None:
        generation, query = self._generation, self.query
        self._first_in_flight = True

        def work() -> list[Any]:
            return list(self.source.page(query, 0, self.page_size))

        self._run(
            work,
            lambda rows: self._first_page_arrived(generation, rows),
            lambda: self._first_page_failed(generation),
        )

    def refresh(self) -> None:
        self.set_query(self.query)

    def set_text(self, text: str) -> None:
        self.set_query(replace(self.query, text=text))

    def _first_page_failed(self, generation: int) -> None:
        self._first_in_flight = False
        if generation != self._generation:
            self._start_first_page()

    def _first_page_arrived(self, generation: int, rows: list[Any]) -> None:
        self._first_in_flight = False
        if generation != self._generation:
            self._start_first_page()  # the user typed on: ask for what they want now
            return
        self.beginResetModel()
        self._pages.clear()
        self._pending.clear()
        self._pages[0] = rows
        self._loaded = len(rows)
        # A short first page is the whole answer; otherwise count in a second query, so
        # the rows show without waiting for the count.
        self.total = len(rows) if len(rows) < self.page_size else -1
        self.endResetModel()
        if self.total >= 0:
            self._total_known(self.total)
            return
        query = self.query
        self._run(
            lambda: self.source.count(query),
            lambda total: self._count_arrived(generation, total),
        )

    def _count_arrived(self, generation: int, total: int) -> None:
        if generation == self._generation:
            self.total = total
            self._total_known(total)

    def _total_known(self, total: int) -> None:
        self._set_loading(False)
        self.total_changed.emit(total)

    def total_known(self) -> bool:
        return self.total >= 0

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        if parent.isValid():
            return False
        next_page = self._loaded // self.page_size
        if next_page in self._pending:
            return False
        if self.total < 0:  # still counting: a full last page means there may be more
            return self._loaded > 0 and self._loaded % self.page_size == 0
        return self._loaded < self.total

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if not self.canFetchMore(parent):
            return
        self._load_page(self._loaded // self.page_size, append=True)

    def _load_page(self, page: int, *, append: bool) -> None:
        generation, query = self._generation, self.query
        self._pending.add(page)
        offset = page * self.page_size

        def work() -> list[Any]:
            return list(self.source.page(query, offset, self.page_size))

        self._run(work, lambda rows: self._page_arrived(generation, page, rows, append))

    def _page_arrived(self, generation: int, page: int, rows: list[Any], append: bool) -> None:
        if generation != self._generation:
            return
        self._pending.discard(page)
        self._store(page, rows)
        first = page * self.page_size
        if append:
            if first != self._loaded or not rows:
                return
            self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
            self._loaded += len(rows)
            self.endInsertRows()
        else:
            last = min(first + len(rows), self._loaded) - 1
            if last >= first:
                self.dataChanged.emit(self.index(first, 0), self.index(last, len(COLUMNS) - 1))

    def _store(self, page: int, rows: list[Any]) -> None:
        self._pages[page] = rows
        self._pages.move_to_end(page)
        while len(self._pages) > self.max_cached_pages:
            self._pages.popitem(last=False)

    def _run(
        self,
        work: Callable[[], Any],
        done: Callable[[Any], None],
        on_fail: Callable[[], None] | None = None,
    ) -> None:
        if self.pool is None:
            try:
                result = work()
            except Exception as exc:
                self._failed(self._generation, exc, on_fail)
                return
            done(result)
            return
        generation = self._generation
        submit(
            self.pool,
            work,
            lambda r: done(r) if shiboken6.isValid(self) else None,
            lambda exc: self._failed(generation, exc, on_fail) if shiboken6.isValid(self) else None,
        )

    def _failed(
        self, generation: int, exc: BaseException, on_fail: Callable[[], None] | None
    ) -> None:
        if on_fail is not None:
            on_fail()
        if generation == self._generation:
            self._pending.clear()
            self._set_loading(False)
            self.query_failed.emit(exc)

    def _set_loading(self, loading: bool) -> None:
        if loading != self._loading:
            self._loading = loading
            self.loading_changed.emit(loading)

    # ------------------------------------------------------------------ rows

    def cached_rows(self) -> int:
        return sum(len(rows) for rows in self._pages.values())

    def row_at(self, row: int) -> Any | None:
        """The PersonRow at `row`, or None while its page is (re)loading."""
        if not 0 <= row < self._loaded:
            return None
        page, pos = divmod(row, self.page_size)
        rows = self._pages.get(page)
        if rows is None:
            if page not in self._pending:
                self._load_page(page, append=False)
            rows = self._pages.get(page)  # inline sources answer at once
            if rows is None:
                return None
        else:
            self._pages.move_to_end(page)
        return rows[pos] if pos < len(rows) else None

    def row_of(self, person_id: uuid.UUID) -> int:
        """The row of a person among the cached pages, or -1."""
        for page, rows in self._pages.items():
            for pos, r in enumerate(rows):
                if r.id == person_id:
                    return page * self.page_size + pos
        return -1

    # ------------------------------------------------------------------ Qt model API

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._loaded

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return QCoreApplication.translate("PeopleModel", HEADERS[section])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.row_at(index.row())
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if row is None:
                return "…" if col == COL_NAME else ""
            return COLUMNS[col][1](row)
        if row is None:
            return None
        if role == RowRole:
            return row
        if role == Qt.ItemDataRole.ForegroundRole and col == COL_PHONE and row.unreachable:
            return QColor("#b3261e")  # unreachable: nobody can call or text them
        if role == Qt.ItemDataRole.ToolTipRole and col == COL_PHONE and row.unreachable:
            return QCoreApplication.translate(
                "PeopleModel", "Unreachable: no mobile number on file"
            )
        if role == Qt.ItemDataRole.TextAlignmentRole and col == COL_POINTS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None
