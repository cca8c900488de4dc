"""The butlers' call-list screen: preview an audience, build lists, record calls."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

from desktop_app.domain.timeutil import now_utc
from desktop_app.services import events, invitations
from desktop_app.services import registration as reg
from desktop_app.store.db import Database
from desktop_app.store.models import Person, Staff
from tests.ui.helpers import app_context
from ui.views.call_lists import CallListsPage

SOON = now_utc().replace(microsecond=0) + timedelta(days=5)


def seed(db: Database) -> None:
    e = events.create_event(
        db,
        events.EventDraft(title="车主见面会", type="city_meetup", starts_at=SOON,
                          ends_at=SOON + timedelta(hours=3), venue="新天地", capacity=30),
    )  # fmt: skip
    events.set_status(db, e.id, "published")
    with db.write() as s:
        chen = Staff(name="陈管家")
        s.add(chen)
        s.flush()
        for n, (name, stage) in enumerate(
            [("张伟", "owner"), ("李娜", "owner"), ("王芳", "prospect")]
        ):
            s.add(
                Person(
                    name=name,
                    phone=f"+8613900000{n:03d}",
                    stage=stage,
                    butler_id=chen.id,
                    consent_marketing_at=now_utc(),
                )
            )


def test_the_preview_says_how_many_owners_are_left_out_for_lack_of_consent(
    qtbot: Any, dealer_sqlite: Database, tmp_path: Path
) -> None:
    seed(dealer_sqlite)
    with dealer_sqlite.write() as s:
        s.add(Person(name="赵敏", phone="+8613900000999", stage="owner"))  # never agreed
    with app_context(dealer_sqlite, tmp_path) as ctx:
        page = CallListsPage(ctx)
        qtbot.addWidget(page)
        page.stages["owner"].setChecked(True)
        page.preview()
        assert page.preview_label.text() == (
            "People who match: 2 (1 more left out: no marketing consent)"
        )


def test_a_butler_builds_a_list_and_records_calls(
    qtbot: Any, dealer_sqlite: Database, tmp_path: Path
) -> None:
    seed(dealer_sqlite)
    with app_context(dealer_sqlite, tmp_path) as ctx:
        page = CallListsPage(ctx)
        qtbot.addWidget(page)
        assert page.event_box.count() == 1
        page.stages["owner"].setChecked(True)
        page.preview()
        assert page.preview_label.text() == "People who match: 2"
        page.build()
        qtbot.waitUntil(lambda: page.model.rowCount() == 2, timeout=5000)
        assert "2 added" in page.message.text()
        assert "陈管家: 0/2" in page.progress_label.text()
        page.table.selectRow(0)
        first = page.selected()
        assert first is not None
        page.note.setText("周六上午来")
        page.record("registered")
        qtbot.waitUntil(lambda: "陈管家: 1/2" in page.progress_label.text(), timeout=5000)
        row = invitations.get_invitation(dealer_sqlite, first.id)
        assert row.status == "registered" and row.note == "周六上午来"
        assert row.registration_id is not None
        assert reg.get_registration(dealer_sqlite, row.registration_id).source == "phone_invite"
