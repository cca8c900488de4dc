"""Two front desks — two `paddock` processes, each on its own X display (its own PC) —
on one SQLite file and on one PostgreSQL database. Each desk scans its own guests with
a USB-scanner burst at the same moment as the other, and both scan the same ticket at
once: everyone is checked in, that ticket exactly once (the other desk hears
already_checked_in), every scan is logged under its desk."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from desktop_app.store.db import Database, open_database
from tests.conftest import fresh_sqlite, truncate_all
from tests.e2e.conftest import World
from tests.e2e.x11 import PaddockApp, XDisplay, require_tools, wait_for

pytestmark = pytest.mark.x11


def at_once(*jobs: Callable[[], None]) -> None:
    threads = [threading.Thread(target=j) for j in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)


def two_desks(world: World, url: str, tmp: Path) -> None:
    displays: list[XDisplay] = []
    apps: list[PaddockApp] = []
    try:
        for n in ("1", "2"):
            x = XDisplay(tmp / f"pc{n}", window_manager=False)
            displays.append(x)
            apps.append(PaddockApp(x, url, tmp / f"pc{n}" / "home", desk=n))
        at_once(*(app.start_desk for app in apps))
        a, b = displays
        seats = world.seats

        def desk(x: XDisplay, keys: list[str]) -> Callable[[], None]:
            def run() -> None:
                for key in keys:
                    x.type(seats[key].code, 2)
                    x.key("Return")

            return run

        at_once(desk(a, ["li", "zhao", "liu"]), desk(b, ["wang", "chen", "sun"]))
        at_once(desk(a, ["zhou"]), desk(b, ["zhou"]))  # the same ticket at both desks
        for key in ("li", "zhao", "liu", "wang", "chen", "sun", "zhou"):
            world.wait_checked_in(key)
        zhou = str(seats["zhou"].registration_id)

        def zhou_scans() -> Counter[str]:
            return Counter(r for r, _d, rid in world.scans() if rid == zhou)

        wait_for(lambda: sum(zhou_scans().values()) == 2, 45, "both scans of one ticket")
        assert zhou_scans() == Counter({"accepted": 1, "already_checked_in": 1})
        by_desk = Counter(d for r, d, _rid in world.scans() if r == "accepted")
        assert by_desk["1"] >= 3 and by_desk["2"] >= 3 and sum(by_desk.values()) == 7
        assert world.cli_checked_in(url, tmp / "pc1" / "home") == {
            "李娜", "赵磊", "刘洋", "王芳", "陈静", "孙悦", "周杰",
        }  # fmt: skip
    finally:
        for app in apps:
            app.stop()
        for x in displays:
            x.close()


@pytest.fixture
def x11_tmp(tmp_path: Path) -> Path:
    require_tools()
    for n in ("1", "2"):
        (tmp_path / f"pc{n}").mkdir()
    return tmp_path


def test_two_desks_on_one_sqlite_file(x11_tmp: Path, _migrated_sqlite: Path) -> None:
    db = fresh_sqlite(_migrated_sqlite, x11_tmp / "shared.sqlite")
    try:
        two_desks(World.seed(db), str(x11_tmp / "shared.sqlite"), x11_tmp)
    finally:
        db.close()


@pytest.fixture
def pg_world(_pg_ready: str) -> Iterator[tuple[World, str]]:
    db: Database = open_database(_pg_ready)
    truncate_all(db)
    try:
        yield World.seed(db), _pg_ready
    finally:
        truncate_all(db)
        db.close()


@pytest.mark.postgres
def test_two_desks_on_one_postgresql_database(x11_tmp: Path, pg_world: tuple[World, str]) -> None:
    world, url = pg_world
    two_desks(world, url, x11_tmp)
