"""Statements run on the driver (store/driver.py) behave as SQLAlchemy runs them: the same
rows written (ids and times from the column defaults, UUIDs, UTC datetimes, JSON), the
same values read back, the same exceptions, and visible to anyone who listens.

Runs on SQLite and (with PADDOCK_TEST_PG_URL) on PostgreSQL, where run_batch pipelines.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import bindparam, event, insert, select, update
from sqlalchemy import exc as sa_exc

from desktop_app.store import driver
from desktop_app.store.db import Database
from desktop_app.store.models import ScanLog

LOG = insert(ScanLog.__table__)
READ = select(
    ScanLog.id,
    ScanLog.nonce,
    ScanLog.scanned_at,
    ScanLog.answers,
    ScanLog.created_at,
    ScanLog.result,
).where(ScanLog.nonce == bindparam("nonce"))
MARK = (
    update(ScanLog.__table__)
    .where(ScanLog.nonce == bindparam("b_nonce"), ScanLog.result.in_(("accepted", "revoked")))
    .values(note=bindparam("b_note"))
)
WHEN = datetime(2026, 12, 7, 10, 30, 15, 123456, tzinfo=UTC)


def a_log(nonce: uuid.UUID, **extra: object) -> dict[str, object]:
    return {
        "nonce": nonce,
        "action": "check_in",
        "result": "accepted",
        "desk": "A",
        "scanned_at": WHEN,
        "answers": {"带几位": 2, "饮品": ["咖啡"]},
        **extra,
    }


def test_a_row_written_on_the_driver_reads_back_as_one_written_by_sqlalchemy(
    db: Database,
) -> None:
    on_driver, through_sa = uuid.uuid4(), uuid.uuid4()
    with db.write_raw() as tx:
        driver.run(tx, LOG, a_log(on_driver))
    with db.engine.begin() as conn:
        conn.execute(LOG, a_log(through_sa))
    with db.write_raw() as tx:
        ours = driver.run(tx, READ, {"nonce": on_driver}).rows
    with db.engine.connect() as conn:
        theirs = conn.execute(READ, {"nonce": through_sa}).all()
    [mine], [sa_row] = ours, [tuple(r) for r in theirs]
    assert isinstance(mine[0], uuid.UUID) and mine[0] != sa_row[0]  # its own default id
    assert mine[1] == on_driver and sa_row[1] == through_sa
    assert mine[2] == sa_row[2] == WHEN  # aware UTC, microseconds kept
    assert mine[3] == sa_row[3] == {"带几位": 2, "饮品": ["咖啡"]}
    assert mine[4].tzinfo is not None and abs((mine[4] - sa_row[4]).total_seconds()) < 60
    with db.read() as s:  # and the ORM sees the driver's row like any other
        row = s.scalars(select(ScanLog).where(ScanLog.nonce == on_driver)).one()
        assert row.updated_at is not None and row.answers == {"带几位": 2, "饮品": ["咖啡"]}


def test_an_update_with_an_in_list_counts_the_rows_it_matched(db: Database) -> None:
    n = uuid.uuid4()
    with db.write_raw() as conn:
        driver.run(conn, LOG, a_log(n))
        assert driver.run(conn, MARK, {"b_nonce": n, "b_note": "ok"}).rowcount == 1
        assert driver.run(conn, MARK, {"b_nonce": uuid.uuid4(), "b_note": "no"}).rowcount == 0


def test_a_duplicate_is_an_integrity_error_and_the_transaction_keeps_nothing(
    db: Database,
) -> None:
    n, other = uuid.uuid4(), uuid.uuid4()
    with db.write_raw() as conn:
        driver.run(conn, LOG, a_log(n))
    with pytest.raises(sa_exc.IntegrityError), db.write_raw() as conn:
        driver.run(conn, LOG, a_log(other))
        driver.run(conn, LOG, a_log(n))  # the scan log's nonce is unique
    with pytest.raises(sa_exc.IntegrityError), db.write_raw() as conn:
        driver.run_batch(conn, [(LOG, a_log(uuid.uuid4())), (LOG, a_log(n))])
    with db.read() as s:
        assert s.scalars(select(ScanLog.nonce)).all() == [n]


def test_a_batch_runs_in_order_and_returns_each_result(db: Database) -> None:
    n = uuid.uuid4()
    with db.write_raw() as conn:
        results = driver.run_batch(
            conn,
            [
                (LOG, a_log(n)),
                (MARK, {"b_nonce": n, "b_note": "seen"}),
                (READ, {"nonce": n}),
            ],
        )
    assert [r.rowcount for r in results[:2]] == [1, 1]
    assert results[2].rows[0][1] == n and results[2].first() is not None


def test_someone_listening_to_the_engine_sees_the_driver_statements(db: Database) -> None:
    seen: list[str] = []

    def listen(_conn: object, _cur: object, sql: str, *_: object) -> None:
        seen.append(sql.split()[0].upper())

    event.listen(db.engine, "before_cursor_execute", listen)
    try:
        with db.write_raw() as conn:
            n = uuid.uuid4()
            driver.run(conn, LOG, a_log(n))
            driver.run_batch(conn, [(MARK, {"b_nonce": n, "b_note": "x"}), (READ, {"nonce": n})])
    finally:
        event.remove(db.engine, "before_cursor_execute", listen)
    assert [s for s in seen if s != "BEGIN"] == ["INSERT", "UPDATE", "SELECT"]


def test_a_raw_transaction_commits_rolls_back_and_returns_its_connection(db: Database) -> None:
    kept, dropped = uuid.uuid4(), uuid.uuid4()
    with db.write_raw() as tx:
        assert isinstance(tx, driver.Raw)  # nothing listens: no SQLAlchemy Connection
        driver.run(tx, LOG, a_log(kept))
    with pytest.raises(RuntimeError), db.write_raw() as tx:
        driver.run(tx, LOG, a_log(dropped))
        raise RuntimeError("the desk's code failed after writing")
    with db.read() as s:
        assert s.scalars(select(ScanLog.nonce)).all() == [kept]
    assert db.engine.pool.checkedout() == 0  # both went back to the pool
    with db.write_raw() as tx:  # and the pooled connection is clean for the next one
        assert driver.run(tx, READ, {"nonce": dropped}).rows == []


def test_a_raw_transaction_that_cannot_start_is_explained(db: Database) -> None:
    import sqlite3

    from desktop_app.domain.errors import DatabaseError

    if db.path is None:
        pytest.skip("a SQLite desk's write lock")
    holder = sqlite3.connect(db.path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another desk holds the write lock
    try:
        with db.engine.connect() as c:
            c.exec_driver_sql("PRAGMA busy_timeout=50")  # the pooled connection gives up fast
        with pytest.raises(DatabaseError) as err, db.write_raw() as tx:
            driver.run(tx, LOG, a_log(uuid.uuid4()))
        assert err.value.code == "db_locked", err.value
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert db.engine.pool.checkedout() == 0


def test_a_batch_that_commits_keeps_its_rows_and_a_failing_one_keeps_none(db: Database) -> None:
    n, m = uuid.uuid4(), uuid.uuid4()
    with db.write_raw() as tx:  # on PostgreSQL the COMMIT goes with the statements
        driver.run_batch(tx, [(LOG, a_log(n)), (MARK, {"b_nonce": n, "b_note": "in"})], commit=True)
    with pytest.raises(sa_exc.IntegrityError), db.write_raw() as tx:
        driver.run_batch(tx, [(LOG, a_log(m)), (LOG, a_log(n))], commit=True)
    with db.read() as s:
        assert s.execute(select(ScanLog.nonce, ScanLog.note)).all() == [(n, "in")]
    assert db.engine.pool.checkedout() == 0


@given(
    st.one_of(
        st.uuids().map(lambda u: u.hex),
        st.uuids().map(str),
        st.text(alphabet="0123456789abcdefABCDEF-_ +{}x", min_size=28, max_size=36),
        st.text(max_size=40),
    )
)
def test_a_uuid_read_back_from_text_is_what_uuid_makes_of_it(text: str) -> None:
    """The driver's reading of a UUID column's text gives uuid.UUID(text), or the same error."""
    try:
        expected: object = uuid.UUID(text)
    except ValueError:
        expected = ValueError
    try:
        got: object = driver.uuid_from_text(text)
    except ValueError:
        got = ValueError
    assert got == expected
    if isinstance(got, uuid.UUID):
        assert got.is_safe is uuid.SafeUUID.unknown and hash(got) == hash(expected)
