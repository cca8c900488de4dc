"""The real `paddock` desk on a real X server: a USB scanner (xdotool, Shift around capitals,
2 ms a key) scans a ticket whose event asks a required desk question; a person answers it
with one key; the gift shown is confirmed with G. Outcomes are read from the database and
the `paddock` CLI, never from the app's widgets."""

from __future__ import annotations

import json
import os
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop_app.services import gifts, questions
from desktop_app.services.gifts import GiftDraft
from desktop_app.services.questions import QuestionDraft
from tests.conftest import fresh_sqlite
from tests.e2e.conftest import World
from tests.e2e.x11 import PaddockApp, XDisplay, paddock_command, require_tools, wait_for

pytestmark = pytest.mark.x11


def cli(url: str, home: Path, *argv: str) -> dict:
    out = subprocess.run(
        [*paddock_command(), "--db", url, "--json", *argv],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PADDOCK_HOME": str(home)},
        timeout=60,
    ).stdout
    return json.loads(out)


@pytest.fixture(scope="module")
def desk(tmp_path_factory: pytest.TempPathFactory, _migrated_sqlite: Path) -> Iterator[tuple]:
    require_tools("openbox")
    tmp = tmp_path_factory.mktemp("x11-questions")
    db = fresh_sqlite(_migrated_sqlite, tmp / "desk.sqlite")
    world = World.seed(db)
    questions.add_question(
        db,
        world.event,
        QuestionDraft("size", "衣服尺码", "choice", ("S", "M", "L"), True, False, True),
    )
    questions.add_question(
        db, world.event, QuestionDraft("licence", "驾照已查验", "yes_no", (), True, False, True)
    )
    gifts.add_gift(db, world.event, GiftDraft("签到礼", 10))
    x = XDisplay(tmp, window_manager=True)
    try:
        app = PaddockApp(x, str(tmp / "desk.sqlite"), tmp / "home")
        app.start_desk()
        yield x, world, str(tmp / "desk.sqlite"), tmp / "home", app
    finally:
        x.close()
        db.close()


def test_a_scan_waits_for_the_desk_question_then_one_key_each_checks_in(desk: tuple) -> None:
    x, world, url, home, app = desk
    asked = app.logged("needs_answers")
    x.type(world.seats["li"].code, 2)  # the scanner: Shift around every capital
    x.key("Return")
    app.wait_logged("needs_answers", asked + 1)  # the panel asks the first question
    assert not world.checked_in("li"), "not checked in before the question is answered"
    assert world.scan_count() == 0, "nothing written, not even the scan log"
    x.type("2", 150)  # 衣服尺码: 2 = M (a person, not a scan)
    time.sleep(0.8)
    x.type("y", 150)  # 驾照已查验: Y = yes
    world.wait_checked_in("li")
    x.type("g", 150)  # the gift was handed
    wait_for(
        lambda: cli(url, home, "gift", "list", str(world.event))["items"][0]["handed"] == 1,
        20,
        "the gift to be recorded as handed",
    )
    regs = {r["name"]: r for r in cli(url, home, "registrations", str(world.event))["items"]}
    assert regs["李娜"]["checked_in"] and regs["李娜"]["answers"] == {"size": "M", "licence": True}


def test_esc_gives_up_and_the_next_scan_is_asked_again(desk: tuple) -> None:
    x, world, url, home, app = desk
    asked = app.logged("needs_answers")
    x.type(world.seats["wang"].code, 2)
    x.key("Return")
    app.wait_logged("needs_answers", asked + 1)
    x.key("Escape")  # gives up the question; does not leave the desk
    app.wait_logged("the desk question was given up")
    assert not world.checked_in("wang")
    x.type(world.seats["wang"].code, 2)
    x.key("Return")
    app.wait_logged("needs_answers", asked + 2)
    x.type("3", 150)  # L
    time.sleep(0.8)
    x.type("n", 150)  # licence not checked: still an answer
    world.wait_checked_in("wang")
    regs = {r["name"]: r for r in cli(url, home, "registrations", str(world.event))["items"]}
    assert regs["王芳"]["answers"] == {"size": "L", "licence": False}
