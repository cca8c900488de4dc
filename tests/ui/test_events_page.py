"""The Events page as a coordinator uses it: find events, move them through their lifecycle."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QInputDialog, QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from desktop_app.services import events, registration
from desktop_app.store.db import Database
from desktop_app.store.models import Registration
from tests.ui.helpers import START, app_context, event_count, plan, register_people, type_text
from ui.context import AppContext
from ui.models.events_model import COL_REGS, COL_STATUS, COL_TYPE, EventsModel
from ui.views import events as events_view
from ui.views.events import EventsPage


@pytest.fixture
def ctx(dealer_sqlite: Database, tmp_path: Path) -> Iterator[AppContext]:
    with app_context(dealer_sqlite, tmp_path) as c:
        yield c


def open_page(qtbot: QtBot, ctx: AppContext) -> EventsPage:
    page = EventsPage(ctx)
    qtbot.addWidget(page)
    page.resize(1300, 700)
    page.show()
    qtbot.waitUntil(lambda: not page.loading)
    return page


def visible_titles(page: EventsPage) -> list[str]:
    return [page.proxy.index(r, 0).data() for r in range(page.proxy.rowCount())]


def select_title(qtbot: QtBot, page: EventsPage, title: str) -> None:
    row = visible_titles(page).index(title)
    rect = page.table.visualRect(page.proxy.index(row, 0))
    qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert page.selected() is not None and page.selected().title == title


def wait_status(qtbot: QtBot, ctx: AppContext, event_id: object, status: str) -> None:
    qtbot.waitUntil(lambda: events.get_event(ctx.db, event_id).status == status)


def test_a_new_dealer_sees_how_to_start(qtbot: QtBot, ctx: AppContext) -> None:
    page = open_page(qtbot, ctx)
    assert page.body.currentWidget() is page.empty
    assert "click New event" in page.empty.text()
    assert not page.act_edit.isEnabled() and not page.act_publish.isEnabled()


def test_typing_in_the_search_box_narrows_the_table(qtbot: QtBot, ctx: AppContext) -> None:
    plan(ctx.db, "冬季开放日")
    plan(ctx.db, "养护课堂：轮胎", kind="care_class")
    plan(ctx.db, "千岛湖自驾", kind="club_drive")
    page = open_page(qtbot, ctx)
    assert len(visible_titles(page)) == 3
    type_text(qtbot, page.search, "轮胎")
    assert visible_titles(page) == ["养护课堂：轮胎"]
    page.search.clear()
    type_text(qtbot, page.search, "club")  # the translated type label is searchable too
    assert visible_titles(page) == ["千岛湖自驾"]
    page.search.clear()
    type_text(qtbot, page.search, "nothing like this")
    assert page.body.currentWidget() is page.empty
    assert "match" in page.empty.text()


def test_type_status_and_date_filters_combine(qtbot: QtBot, ctx: AppContext) -> None:
    plan(ctx.db, "开放日 A", status="published", days=0)
    plan(ctx.db, "开放日 B", status="draft", days=20)
    plan(ctx.db, "自驾", kind="club_drive", status="published", days=40)
    page = open_page(qtbot, ctx)
    page.type_filter.setCurrentIndex(page.type_filter.findData("open_day"))
    assert sorted(visible_titles(page)) == ["开放日 A", "开放日 B"]
    page.status_filter.setCurrentIndex(page.status_filter.findData("published"))
    assert visible_titles(page) == ["开放日 A"]
    page.type_filter.setCurrentIndex(0)
    page.status_filter.setCurrentIndex(0)
    page.from_box.setChecked(True)
    page.from_date.setDate(QDate(2026, 12, 10))
    page.to_box.setChecked(True)
    page.to_date.setDate(QDate(2026, 12, 25))  # the "to" day itself counts
    assert visible_titles(page) == ["开放日 B"]


def test_table_shows_translated_type_and_status_badge(qtbot: QtBot, ctx: AppContext) -> None:
    plan(ctx.db, "车主见面会", kind="city_meetup", status="published")
    page = open_page(qtbot, ctx)
    assert page.proxy.index(0, COL_TYPE).data() == "City owners' meetup"
    assert page.proxy.index(0, COL_STATUS).data() == "Published"


def test_actions_follow_the_selected_events_status(qtbot: QtBot, ctx: AppContext) -> None:
    plan(ctx.db, "草稿活动", status="draft")
    plan(ctx.db, "已发布活动", status="published", days=1)
    plan(ctx.db, "已截止活动", status="closed", days=2)
    plan(ctx.db, "已完成活动", status="completed", days=3)
    page = open_page(qtbot, ctx)
    expected = {
        # title: edit, publish, close, complete, cancel, delete
        "草稿活动": (True, True, False, False, True, True),
        "已发布活动": (True, False, True, True, True, False),
        "已截止活动": (True, True, False, True, True, False),
        "已完成活动": (False, False, False, False, False, False),
    }
    for title, flags in expected.items():
        select_title(qtbot, page, title)
        actual = tuple(
            a.isEnabled()
            for a in (
                page.act_edit,
                page.act_publish,
                page.act_close,
                page.act_complete,
                page.act_cancel,
                page.act_delete,
            )
        )
        assert actual == flags, title
        assert page.act_duplicate.isEnabled() and page.act_template.isEnabled()
    select_title(qtbot, page, "已截止活动")
    assert page.act_publish.text() == "Reopen registration"


def test_publish_close_complete_from_the_toolbar(qtbot: QtBot, ctx: AppContext) -> None:
    view = plan(ctx.db, "零件中心参观", kind="parts_tour")
    page = open_page(qtbot, ctx)
    select_title(qtbot, page, "零件中心参观")
    for action, status, label in (
        (page.act_publish, "published", "Published"),
        (page.act_close, "closed", "Closed"),
        (page.act_complete, "completed", "Completed"),
    ):
        action.trigger()
        wait_status(qtbot, ctx, view.id, status)
        qtbot.waitUntil(lambda label=label: page.proxy.index(0, COL_STATUS).data() == label)
    assert not page.act_cancel.isEnabled()  # completed is final


def test_publishing_an_undated_draft_says_why_it_cannot(qtbot: QtBot, ctx: AppContext) -> None:
    view = events.create_event(ctx.db, events.EventDraft(title="明年品牌之夜", type="city_meetup"))
    page = open_page(qtbot, ctx)
    select_title(qtbot, page, "明年品牌之夜")
    page.act_publish.trigger()
    qtbot.waitUntil(lambda: "without a start" in page.message.text())
    assert events.get_event(ctx.db, view.id).status == "draft"


def test_cancelling_an_event_with_registrations_asks_and_keeps_them(
    qtbot: QtBot, ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    view = plan(ctx.db, "十二月开放日", status="published")
    register_people(ctx.db, view.id, 3)
    asked: list[str] = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)

    def give_reason(_parent: object, _title: str, label: str, *a: object, **k: object):
        asked.append(label)
        return "暴雨预警，改期", True

    monkeypatch.setattr(QInputDialog, "getText", give_reason)
    page = open_page(qtbot, ctx)
    select_title(qtbot, page, "十二月开放日")
    page.act_cancel.trigger()
    wait_status(qtbot, ctx, view.id, "cancelled")
    assert "3 registrations" in asked[0]
    after = events.get_event(ctx.db, view.id)
    assert after.cancel_reason == "暴雨预警，改期"
    with ctx.db.read() as s:
        kept = s.scalar(select(func.count()).select_from(Registration))
    assert kept == 3


def test_backing_out_of_the_reason_leaves_the_event_published(
    qtbot: QtBot, ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    view = plan(ctx.db, "会员日", kind="member_day", status="published")
    register_people(ctx.db, view.id, 2)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    asked: list[bool] = []

    def refuse(*_a: object, **_k: object) -> tuple[str, bool]:
        asked.append(True)
        return "", False

    monkeypatch.setattr(QInputDialog, "getText", refuse)
    page = open_page(qtbot, ctx)
    select_title(qtbot, page, "会员日")
    page.act_cancel.trigger()
    qtbot.waitUntil(lambda: bool(asked))
    ctx.write_pool.waitForDone(2000)
    assert events.get_event(ctx.db, view.id).status == "published"


def test_duplicate_asks_for_the_new_start_and_adds_a_draft(
    qtbot: QtBot, ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    plan(ctx.db, "养护课堂", kind="care_class", status="completed")
    new_start = START + timedelta(days=28)
    monkeypatch.setattr(events_view, "ask_start", lambda *a, **k: new_start)
    page = open_page(qtbot, ctx)
    select_title(qtbot, page, "养护课堂")
    page.act_duplicate.trigger()
    qtbot.waitUntil(lambda: page.model.rowCount() == 2)
    copy = page.selected()
    assert copy is not None and copy.status == "draft" and copy.starts_at == new_start


def test_save_as_template_then_new_from_template_opens_a_filled_editor(
    qtbot: QtBot, ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    plan(ctx.db, "千岛湖自驾", kind="club_drive", status="completed")
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("标准自驾", True))
    monkeypatch.setattr(
        QInputDialog, "getItem", lambda _p, _t, _l, items, *a, **k: (items[0], True)
    )
    start: datetime = START + timedelta(days=60)
    monkeypatch.setattr(events_view, "ask_start", lambda *a, **k: start)
    page = open_page(qtbot, ctx)
    select_title(qtbot, page, "千岛湖自驾")
    page.act_template.trigger()
    qtbot.waitUntil(lambda: len(events.list_templates(ctx.db)) == 1)
    editor = page.new_from_template()
    assert editor is not None
    assert editor.type_combo.currentData() == "club_drive" and editor.club.isVisible()
    assert editor.starts.value() == start
    before = event_count(ctx.db)
    editor.save_button.click()
    qtbot.waitUntil(lambda: event_count(ctx.db) == before + 1)
    qtbot.waitUntil(lambda: page.model.rowCount() == 2)


def test_deleting_a_draft_removes_it_after_asking(
    qtbot: QtBot, ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    plan(ctx.db, "暂定活动")
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    page = open_page(qtbot, ctx)
    select_title(qtbot, page, "暂定活动")
    page.act_delete.trigger()
    qtbot.waitUntil(lambda: page.model.rowCount() == 0)
    assert event_count(ctx.db) == 0
    assert page.body.currentWidget() is page.empty


def test_the_table_model_works_without_widgets(ctx: AppContext) -> None:
    plan(ctx.db, "开放日", status="published")
    model = EventsModel()
    model.set_rows(events.list_events(ctx.db))
    assert model.rowCount() == 1 and model.columnCount() == 8
    assert model.index(0, COL_STATUS).data() == "Published"
    assert model.headerData(COL_TYPE, Qt.Orientation.Horizontal) == "Type"


def test_the_registered_column_shows_confirmed_seats_with_the_waitlist_beside_them(
    qtbot: QtBot, ctx: AppContext
) -> None:
    soon = datetime.now(START.tzinfo) + timedelta(hours=2)
    view = events.create_event(
        ctx.db,
        events.EventDraft(
            title="试驾日",
            type="model_day",
            starts_at=soon,
            ends_at=soon + timedelta(hours=6),
            venue="浦东展厅",
            capacity=3,
            waitlist_enabled=True,
        ),
    )
    events.set_status(ctx.db, view.id, "published")
    for i in range(5):
        registration.register(ctx.db, view.id, phone=f"1390000{i:04d}", name=f"试驾{i}")
    page = open_page(qtbot, ctx)
    cell = page.proxy.index(0, COL_REGS)
    assert page.model.headerData(COL_REGS, Qt.Orientation.Horizontal) == "Confirmed"
    assert cell.data() == "3 (+2 waitlisted)"  # the coordinator reads 3 seats, not 5
    assert cell.data(Qt.ItemDataRole.ToolTipRole).splitlines() == [
        "3 registered ahead, 0 walk-ins",
        "2 on the waitlist",
        "3 of 3 places taken",
    ]
    assert cell.data(Qt.ItemDataRole.ForegroundRole) is not None  # full: in red
