"""The desk on a real X server: a world of guests with tickets, and how to read outcomes.

Outcomes are read from the database (and once per scenario through the `paddock` CLI),
never from the app's widgets: the app is another process, driven only by the keyboard.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func, select

from desktop_app.services.dealer import init_dealer
from desktop_app.store.db import Database
from desktop_app.store.models import Person, Registration, ScanLog
from tests.checkin_support import Seat, make_event, register
from tests.e2e.x11 import XDisplay, paddock_command, wait_for

GUESTS = {
    "li": ("李娜", "+8613800138000"),
    "wang": ("王芳", "+8613912345678"),
    "zhao": ("赵磊", "+8615800001111"),
    "chen": ("陈静", "+8618612340000"),
    "liu": ("刘洋", "+8613700000001"),
    "sun": ("孙悦", "+8613700000002"),
    "zhou": ("周杰", "+8613700000003"),
    "wu": ("吴昊", "+8613700000004"),
    "zheng": ("郑爽", "+8613700000005"),
    "he": ("何静", "+8613700000006"),
    "anna": ("Anna Schmidt", "+8613700000007"),
    "guo": ("郭涛", "+8613700000008"),
    "ma": ("马超", "+8613700000009"),
    "lin": ("林黛玉", "+8613700000010"),
    "xu": ("徐明", "+8613700000011"),
}


@dataclass
class World:
    """One published event whose check-in is open, and its guests (seats with tickets)."""

    db: Database
    event: uuid.UUID
    seats: dict[str, Seat] = field(default_factory=dict)

    @classmethod
    def seed(cls, db: Database) -> World:
        init_dealer(db, "SH-0021", "星辰汽车", "上海", "华东")
        event = make_event(db, "冬季开放日")
        w = cls(db, event)
        for key, (name, phone) in GUESTS.items():
            w.seats[key] = register(db, event, name, phone)
        return w

    def checked_in(self, key: str) -> bool:
        with self.db.read() as s:
            at = s.scalar(
                select(Registration.checked_in_at).where(
                    Registration.id == self.seats[key].registration_id
                )
            )
        return at is not None

    def wait_checked_in(self, key: str, timeout: float = 45) -> None:
        wait_for(lambda: self.checked_in(key), timeout, f"{key} to be checked in")

    def scans(self) -> list[tuple[str, str, str | None]]:
        """(result, desk, registration_id) of every scan-log row, oldest first."""
        with self.db.read() as s:
            rows = s.execute(
                select(ScanLog.result, ScanLog.desk, ScanLog.registration_id).order_by(
                    ScanLog.scanned_at
                )
            ).all()
        return [(r, d, str(i) if i else None) for r, d, i in rows]

    def scan_count(self) -> int:
        with self.db.read() as s:
            return int(s.scalar(select(func.count()).select_from(ScanLog)) or 0)

    def walk_in(self, phone: str) -> tuple[str, bool] | None:
        """(name, checked in) of the walk-in registered with `phone`, if any."""
        with self.db.read() as s:
            row = s.execute(
                select(Person.name, Registration.checked_in_at)
                .join(Registration, Registration.person_id == Person.id)
                .where(Person.phone == phone, Registration.is_walk_in.is_(True))
            ).first()
        return (row[0], row[1] is not None) if row else None

    def cli_checked_in(self, url: str, home: Path) -> set[str]:
        """Names the `paddock registrations` CLI lists as checked in."""
        out = subprocess.run(
            [*paddock_command(), "--db", url, "--json", "registrations", str(self.event)],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PADDOCK_HOME": str(home)},
            timeout=60,
        ).stdout
        return {r["name"] for r in json.loads(out)["items"] if r["checked_in"]}


def keyboard_walk_in(
    x: XDisplay, world: World, phone: str, type_name: Callable[[], None], dialog: str
) -> float:
    """F2, the phone at 150 ms a key, Tab, the name (`type_name`), Enter; seconds until the
    walk-in is in the database. `dialog` matches the walk-in dialog's title."""
    start = time.monotonic()
    x.key("F2")
    wait_for(lambda: re.search(dialog, x.active_window_name()), 30, "the walk-in dialog")
    x.type(phone, 150)  # the phone field takes no input method: digits stay digits
    x.key("Tab")
    type_name()
    x.key("Return")
    wait_for(lambda: world.walk_in("+86" + phone), 30, "the walk-in")
    return time.monotonic() - start
