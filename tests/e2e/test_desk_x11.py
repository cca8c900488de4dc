"""The real `paddock` on a real X server, driven the way a USB scanner and a person drive it.

One desk (Xvfb 1366×768 with openbox, the desk full screen) takes scans from xdotool
acting as each kind of keyboard-wedge scanner: Shift around every capital at 2 ms a key
with an Enter suffix, without a suffix, with Tab or Ctrl+J, keypad digits, Caps Lock on,
a Bluetooth scanner at 20 ms a key; a person types a phone and a Latin name at 150 ms a
key (never a scan); a scan arrives while the walk-in dialog is open (queued, then
checked in); a walk-in is registered with the keyboard alone, timed. Who is checked in is
read from the database and, at the end, from the `paddock registrations` CLI.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import fresh_sqlite
from tests.e2e.conftest import World
from tests.e2e.x11 import PaddockApp, XDisplay, require_tools, wait_for

pytestmark = pytest.mark.x11

SCANNER_MS = 2  # a USB HID scanner: a few ms a key
PERSON_MS = 150  # a person typing


class Desk:
    def __init__(self, x: XDisplay, app: PaddockApp, world: World, url: str, home: Path) -> None:
        self.x, self.app, self.world, self.url, self.home = x, app, world, url, home

    def scan(
        self, key: str, *, suffix: str | None = "Return", ms_per_key: int = SCANNER_MS
    ) -> None:
        self.x.type(self.world.seats[key].code, ms_per_key)
        if suffix:
            self.x.key(suffix)

    def settle(self) -> None:
        """Give the desk time to have misread something, if it were going to."""
        time.sleep(0.6)


@pytest.fixture(scope="module")
def desk(tmp_path_factory: pytest.TempPathFactory, _migrated_sqlite: Path) -> Iterator[Desk]:
    require_tools("openbox")
    tmp = tmp_path_factory.mktemp("x11-desk")
    db = fresh_sqlite(_migrated_sqlite, tmp / "desk.sqlite")
    world = World.seed(db)
    x = XDisplay(tmp, window_manager=True)
    try:
        app = PaddockApp(x, str(tmp / "desk.sqlite"), tmp / "home")
        app.start_desk()
        yield Desk(x, app, world, str(tmp / "desk.sqlite"), tmp / "home")
    finally:
        x.close()  # the app and openbox with it
        db.close()


def test_the_desk_opens_full_screen_with_a_window_manager(desk: Desk) -> None:
    assert desk.x.window_geometry(PaddockApp.DESK) == (1366, 768)


def test_a_usb_scanner_with_shift_around_capitals_and_enter_checks_in(desk: Desk) -> None:
    desk.scan("li")
    desk.world.wait_checked_in("li")


def test_a_scanner_without_a_suffix_checks_in_after_a_pause(desk: Desk) -> None:
    desk.scan("wang", suffix=None)
    desk.world.wait_checked_in("wang")


def test_a_tab_suffix_checks_in_and_the_next_scan_still_works(desk: Desk) -> None:
    desk.scan("zhao", suffix="Tab")
    desk.world.wait_checked_in("zhao")
    desk.scan("chen", suffix="Tab")  # the Tab moved no focus away from the scanner
    desk.world.wait_checked_in("chen")


def test_a_ctrl_j_suffix_checks_in(desk: Desk) -> None:
    desk.scan("liu", suffix="ctrl+j")
    desk.world.wait_checked_in("liu")


def test_a_scanner_in_keypad_emulation_checks_in(desk: Desk) -> None:
    """Digits as keypad keys (xdotool adds NumLock around them), letters with Shift."""
    code = desk.world.seats["sun"].code
    keys = [f"KP_{c}" if c.isdigit() else ("period" if c == "." else c) for c in code]
    desk.x.key(*keys, "KP_Enter", delay_ms=SCANNER_MS)
    desk.world.wait_checked_in("sun")


def test_a_bluetooth_scanner_at_20_ms_a_key_checks_in(desk: Desk) -> None:
    desk.scan("zhou", ms_per_key=20)
    desk.world.wait_checked_in("zhou")


def test_caps_lock_on_the_desk_computer_does_not_matter(desk: Desk) -> None:
    desk.x.key("Caps_Lock")
    try:
        desk.scan("wu")
        desk.world.wait_checked_in("wu")
    finally:
        desk.x.key("Caps_Lock")


def test_a_person_typing_a_phone_is_never_a_scan_and_can_check_in_from_the_list(
    desk: Desk,
) -> None:
    before = desk.world.scan_count()
    desk.x.type("13700000005", PERSON_MS)  # on the idle desk: the digits start a search
    desk.settle()
    assert desk.world.scan_count() == before, "typing was taken for a scan"
    desk.x.key("Return", "Return", delay_ms=400)  # Enter: to the list; Enter: check in
    desk.world.wait_checked_in("zheng")


def test_a_person_typing_a_latin_name_with_capitals_is_never_a_scan(desk: Desk) -> None:
    before = desk.world.scan_count()
    desk.x.key("F3")
    desk.x.type("Anna Schmidt", PERSON_MS)
    desk.settle()
    assert desk.world.scan_count() == before
    desk.x.key("Return", "Return", delay_ms=400)
    desk.world.wait_checked_in("anna")


def test_a_scan_while_the_walk_in_dialog_is_open_is_queued_then_checked_in(desk: Desk) -> None:
    desk.x.key("F2")
    wait_for(lambda: "Walk-in" in desk.x.active_window_name(), 10, "the walk-in dialog")
    desk.scan("guo")
    desk.settle()
    assert not desk.world.checked_in("guo"), "held while the dialog is open"
    desk.x.key("Escape")
    desk.world.wait_checked_in("guo")
    assert desk.world.walk_in("+8613700000008") is None, "the scan registered no walk-in"


def test_a_walk_in_with_the_keyboard_alone_takes_under_15_seconds(
    desk: Desk, capsys: pytest.CaptureFixture[str]
) -> None:
    """F2, the phone, Tab, the name, Enter — typed at a person's 150 ms a key."""
    start = time.monotonic()
    desk.x.key("F2")
    wait_for(lambda: "Walk-in" in desk.x.active_window_name(), 10, "the walk-in dialog")
    desk.x.type("13512345678", PERSON_MS)
    desk.x.key("Tab")
    desk.x.type("Qian Duoduo", PERSON_MS)
    desk.x.key("Return")
    wait_for(lambda: desk.world.walk_in("+8613512345678"), 15, "the walk-in")
    took = time.monotonic() - start
    assert desk.world.walk_in("+8613512345678") == ("Qian Duoduo", True)
    with capsys.disabled():
        print(f"\n[x11] walk-in with the keyboard alone (150 ms a key): {took:.1f} s")
    assert took < 15


def test_after_all_that_the_cli_lists_exactly_who_was_checked_in(desk: Desk) -> None:
    expected = {
        "李娜", "王芳", "赵磊", "陈静", "刘洋", "孙悦", "周杰", "吴昊", "郑爽",
        "Anna Schmidt", "郭涛", "Qian Duoduo",
    }  # fmt: skip
    assert desk.world.cli_checked_in(desk.url, desk.home) == expected
    results = [r for r, _d, _i in desk.world.scans()]
    assert results.count("accepted") == len(expected)
    assert "invalid_ticket" not in results, "no scan was torn or mistyped"
