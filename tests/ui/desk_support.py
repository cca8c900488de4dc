"""Seeding the desk's world through the real services, and a scanner that types with a fake clock."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from desktop_app.domain.timeutil import now_utc
from desktop_app.services import events, registration, tickets
from desktop_app.services.events import EventDraft
from desktop_app.store.db import Database


class FakeClock:
    def __init__(self) -> None:
        self.t = 5000.0

    def __call__(self) -> float:
        return self.t

    def advance(self, seconds: float) -> None:
        self.t += seconds


def scan_keys(qtbot: QtBot, widget: QWidget, code: str, clock: FakeClock) -> None:
    """A keyboard-wedge scanner: 4 ms per key, Enter at the end."""
    for ch in code:
        clock.advance(0.004)
        qtbot.keyClick(widget, ch)
    clock.advance(0.004)
    qtbot.keyClick(widget, Qt.Key.Key_Return)


def type_keys(qtbot: QtBot, widget: QWidget, text: str, clock: FakeClock) -> None:
    """A person typing (150 ms per key); the scanner filter then hands the keys on."""
    for ch in text:
        clock.advance(0.15)
        qtbot.keyClick(widget, ch)
    clock.advance(0.2)


def make_event(
    db: Database,
    title: str,
    *,
    starts_at: datetime | None = None,
    hours: float = 7,
    kind: str = "open_day",
    capacity: int | None = 300,
    points: int = 50,
    details: dict | None = None,
) -> uuid.UUID:
    start = starts_at or now_utc() - timedelta(hours=1)
    view = events.create_event(
        db,
        EventDraft(
            title=title,
            type=kind,
            starts_at=start,
            ends_at=start + timedelta(hours=hours),
            venue="浦东展厅",
            capacity=capacity,
            waitlist_enabled=True,
            points_award=points,
            details=details or {},
        ),
    )
    events.set_status(db, view.id, "published")
    return view.id


@dataclass(frozen=True)
class Guest:
    registration_id: uuid.UUID
    person_id: uuid.UUID
    name: str
    code: str  # the QR payload ("" while waitlisted: no ticket yet)


def register(
    db: Database,
    event_id: uuid.UUID,
    name: str,
    phone: str,
    *,
    party_size: int = 1,
    plate: str | None = None,
) -> Guest:
    r = registration.register(
        db, event_id, phone=phone, name=name, party_size=party_size, plate=plate
    )
    return Guest(r.id, r.person_id, r.name, r.ticket_code or "")


def reissue(db: Database, guest: Guest) -> Guest:
    t = tickets.reissue(db, guest.registration_id)
    return Guest(guest.registration_id, guest.person_id, guest.name, t.code)


# what fcitx5 pinyin made of the start of a scanned ticket (P1.K4BY3JTM.XFJX…) under
# Xvfb: preedit updates and Chinese commits, in order (recorded, tests/e2e reproduces it)
PINYIN_SCAN = (
    ("P", ""), ("", "拍"), ("", "。"), ("K", ""), ("", "开"), ("B", ""), ("B Y", ""),
    ("", "表演"), ("J", ""), ("J T", ""), ("J T M", ""), ("", "将他们"), ("", "。"),
    ("X", ""), ("X F", ""), ("X F J", ""),
)  # fmt: skip
PINYIN_SCAN_TEXT = "拍。开表演将他们。"


def scan_into_pinyin(widget: QWidget, clock: FakeClock) -> None:
    """A scanner typing into a field while an input method composes pinyin: 3 ms apart."""
    for preedit, commit in PINYIN_SCAN:
        clock.advance(0.003)
        ev = QInputMethodEvent(preedit, [])
        ev.setCommitString(commit)
        QApplication.sendEvent(widget, ev)
