"""A Chinese front desk: fcitx5 with pinyin switched on, the app in Chinese.

While the desk waits for a scan, focus is on a widget that takes no input-method input,
so the scanner's keys bypass the pinyin composition and check the guest in. Staff still
type Chinese names into the search (wangfang + space → 王芳) and into the walk-in form.
A scan fired into the search field while pinyin is composing turns into Chinese
characters (nothing can recover it): the desk says "scan again", writes nothing, and
the next scan works.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import fresh_sqlite
from tests.e2e.conftest import World, keyboard_walk_in
from tests.e2e.x11 import InputMethod, PaddockApp, XDisplay, require_tools, wait_for

pytestmark = pytest.mark.x11


class ChineseDesk:
    def __init__(self, x: XDisplay, ime: InputMethod, world: World, app: PaddockApp) -> None:
        self.x, self.ime, self.world, self.app = x, ime, world, app

    def scan(self, key: str) -> None:
        self.x.type(self.world.seats[key].code, 2)
        self.x.key("Return")

    def pinyin(self, letters: str) -> None:
        """A person composing: letters at 150 ms, Space takes the first candidate."""
        self.x.type(letters, 150)
        self.x.key("space")


@pytest.fixture(scope="module")
def desk(tmp_path_factory: pytest.TempPathFactory, _migrated_sqlite: Path) -> Iterator[ChineseDesk]:
    require_tools("openbox", "fcitx5", "dbus-daemon", "dbus-send")
    tmp = tmp_path_factory.mktemp("x11-ime")
    db = fresh_sqlite(_migrated_sqlite, tmp / "desk.sqlite")
    world = World.seed(db)
    x = XDisplay(tmp, window_manager=True)
    try:
        ime = InputMethod(x)
        try:
            app = PaddockApp(x, str(tmp / "desk.sqlite"), tmp / "home", lang="zh", env=ime.app_env)
            app.start_desk()
            yield ChineseDesk(x, ime, world, app)
        finally:
            ime.close()
    finally:
        x.close()  # the app, fcitx5 and openbox with it
        db.close()


def test_a_scan_checks_in_while_pinyin_is_on(desk: ChineseDesk) -> None:
    desk.x.key("F3")  # into the search field: the input method takes over there …
    wait_for(lambda: desk.ime.state() == "2", 10, "fcitx5 composing Chinese")
    desk.x.key("Escape")  # … and back to the waiting desk
    time.sleep(0.3)  # a person lifts the scanner: the Esc has gone through the IME by then
    desk.scan("li")
    desk.world.wait_checked_in("li")


def test_staff_type_a_chinese_name_into_the_search_with_pinyin(desk: ChineseDesk) -> None:
    before = desk.world.scan_count()
    desk.x.key("F3")
    desk.pinyin("wangfang")  # → 王芳
    time.sleep(0.5)
    assert desk.world.scan_count() == before, "pinyin typing was taken for a scan"
    desk.x.key("Return", "Return", delay_ms=500)  # to the list; check in
    desk.world.wait_checked_in("wang")


def test_a_scan_into_a_pinyin_composition_asks_to_scan_again_then_works(
    desk: ChineseDesk,
) -> None:
    before = desk.world.scan_count()
    desk.x.key("F3")
    wait_for(lambda: desk.ime.state() == "2", 10, "fcitx5 composing Chinese")
    lost = desk.app.logged("went into the input method")
    desk.scan("zhao")  # the letters go into the pinyin composition and come out Chinese
    # fcitx5 works through the 46 keys at its own pace (1–2 s, more on a loaded machine);
    # the desk says "scan again" once it has been quiet; a person reads that, then scans
    desk.app.wait_logged("went into the input method", lost + 1)
    assert not desk.world.checked_in("zhao")
    assert desk.world.scan_count() == before, "nothing was written for the lost scan"
    desk.scan("zhao")  # the desk went back to listening: scan once more
    desk.world.wait_checked_in("zhao")


def test_a_walk_in_with_a_chinese_name_takes_under_15_seconds(
    desk: ChineseDesk, capsys: pytest.CaptureFixture[str]
) -> None:
    took = keyboard_walk_in(
        desk.x, desk.world, "13512345678", lambda: desk.pinyin("qianduoduo"), "现场"
    )  # the name in pinyin → 钱多多
    assert desk.world.walk_in("+8613512345678") == ("钱多多", True)
    with capsys.disabled():
        print(f"\n[x11+fcitx5] walk-in with a pinyin name, keyboard alone: {took:.1f} s")
    assert took < 15
