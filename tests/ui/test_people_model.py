"""The people table model over 100k people: pages arrive lazily and memory stays bounded."""

from __future__ import annotations

import random
import uuid

import pytest
from PySide6.QtCore import QCoreApplication, QModelIndex, Qt, QThreadPool
from sqlalchemy import insert

from desktop_app.services import people
from desktop_app.store.db import Database
from desktop_app.store.models import Person, reversed_digits
from ui.models.people_model import (
    COL_NAME,
    COL_PHONE,
    MAX_CACHED_PAGES,
    PAGE_SIZE,
    PeopleModel,
    PeopleQuery,
    RowRole,
    ServicePeopleSource,
)

# one worker builds the 100k people once (module fixture), rather than each worker its own
pytestmark = pytest.mark.xdist_group("people_100k")

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚"


def _bulk_people(db: Database, n: int) -> None:
    """Seed n people straight into the table (the service path is tested elsewhere)."""
    rnd = random.Random(7)
    rows = []
    for i in range(n):
        phone = f"+861{rnd.choice('3589')}{i:09d}" if i % 10 else None  # every 10th unreachable
        rows.append(
            {
                "id": uuid.uuid4(),
                "name": rnd.choice(SURNAMES) + rnd.choice(GIVEN) + rnd.choice(GIVEN),
                "phone": phone,
                "phone_rev": reversed_digits(phone),
                "stage": rnd.choice(("prospect", "owner", "member")),
                "tier": "none",
                "notes": "",
            }
        )
    with db.write() as s:
        for start in range(0, n, 10_000):
            s.execute(insert(Person), rows[start : start + 10_000])


@pytest.fixture(scope="module")
def hundred_k(tmp_path_factory: pytest.TempPathFactory, _migrated_sqlite) -> Database:  # type: ignore[no-untyped-def]
    from tests.conftest import fresh_sqlite

    db = fresh_sqlite(_migrated_sqlite, tmp_path_factory.mktemp("big") / "big.sqlite")
    _bulk_people(db, 100_000)
    yield db
    db.close()


def test_a_100k_list_shows_one_page_and_grows_a_page_at_a_time(hundred_k: Database) -> None:
    model = PeopleModel(ServicePeopleSource(hundred_k))  # inline: no pool
    model.set_query(PeopleQuery())
    assert model.total == 100_000
    assert model.rowCount() == PAGE_SIZE
    assert model.canFetchMore(QModelIndex())
    model.fetchMore(QModelIndex())
    assert model.rowCount() == 2 * PAGE_SIZE
    first = model.index(0, COL_NAME).data(RowRole)
    expected = people.search_people(hundred_k, "", limit=1)[0]
    assert first.id == expected.id


def test_scrolling_far_keeps_only_a_bounded_number_of_rows_in_memory(
    hundred_k: Database,
) -> None:
    model = PeopleModel(ServicePeopleSource(hundred_k), max_cached_pages=MAX_CACHED_PAGES)
    model.set_query(PeopleQuery())
    for _ in range(60):  # 12,200 rows scrolled through
        model.fetchMore(QModelIndex())
    assert model.rowCount() == 61 * PAGE_SIZE
    assert model.cached_rows() <= MAX_CACHED_PAGES * PAGE_SIZE
    # Scrolling back to the top fetches the dropped page again, with the same people.
    top = model.index(0, COL_NAME).data(Qt.ItemDataRole.DisplayRole)
    assert top == people.search_people(hundred_k, "", limit=1)[0].name
    assert model.cached_rows() <= MAX_CACHED_PAGES * PAGE_SIZE


def test_searching_the_last_four_digits_narrows_100k_to_the_owner(hundred_k: Database) -> None:
    model = PeopleModel(ServicePeopleSource(hundred_k))
    page = people.search_people(hundred_k, "", limit=20, offset=777)
    someone = next(p for p in page if p.phone)  # every 10th person has no phone
    model.set_query(PeopleQuery(text=someone.phone[-8:]))
    ids = [model.index(r, 0).data(RowRole).id for r in range(model.rowCount())]
    assert someone.id in ids
    assert model.total < 50


def test_people_without_a_phone_are_flagged_unreachable(hundred_k: Database) -> None:
    model = PeopleModel(ServicePeopleSource(hundred_k))
    model.set_query(PeopleQuery())
    rows = [model.index(r, 0).data(RowRole) for r in range(model.rowCount())]
    r = next(i for i, row in enumerate(rows) if row.phone is None)
    assert model.index(r, COL_PHONE).data() == "no phone"
    assert "Unreachable" in model.index(r, COL_PHONE).data(Qt.ItemDataRole.ToolTipRole)


def test_an_answer_to_an_old_search_is_dropped(qtbot, hundred_k: Database) -> None:  # type: ignore[no-untyped-def]
    pool = QThreadPool()
    model = PeopleModel(ServicePeopleSource(hundred_k), pool)
    model.set_query(PeopleQuery(text="王"))
    model.set_query(PeopleQuery(stage="owner"))  # the user typed on before the answer came
    qtbot.waitUntil(lambda: model.rowCount() > 0 and model.query.stage == "owner", timeout=10_000)
    pool.waitForDone()
    QCoreApplication.processEvents()  # deliver any late answer; it must not replace the rows
    rows = [model.index(r, 0).data(RowRole) for r in range(model.rowCount())]
    assert {row.stage for row in rows} == {"owner"}
    assert model.total == people.count_people(hundred_k, stage="owner")


class CountingSource:
    """The real service, recording which queries reached it."""

    def __init__(self, db: Database) -> None:
        self.inner = ServicePeopleSource(db)
        self.pages: list[str] = []
        self.counts: list[str] = []

    def count(self, query: PeopleQuery) -> int:
        self.counts.append(query.text)
        return self.inner.count(query)

    def page(self, query: PeopleQuery, offset: int, limit: int):  # type: ignore[no-untyped-def]
        if offset == 0:
            self.pages.append(query.text)
        return self.inner.page(query, offset, limit)


def test_fast_typing_runs_the_first_and_the_latest_search_only(qtbot, hundred_k: Database) -> None:  # type: ignore[no-untyped-def]
    source = CountingSource(hundred_k)
    model = PeopleModel(source, QThreadPool())
    for text in ("1", "13", "138", "1380", "13800"):  # keys arriving while "1" still runs
        model.set_query(PeopleQuery(text=text))
    qtbot.waitUntil(lambda: model.total_known() and model.query.text == "13800", timeout=10_000)
    assert source.pages == ["1", "13800"]
    assert "138" not in source.counts


def test_a_short_answer_needs_no_count_query(hundred_k: Database) -> None:
    source = CountingSource(hundred_k)
    model = PeopleModel(source)
    model.set_query(PeopleQuery(text="王伟芳"))
    assert 0 < model.total < PAGE_SIZE
    assert source.counts == []
