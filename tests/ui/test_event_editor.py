"""A coordinator fills in the event editor: every type's details, and refused input."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop_app.services import events
from desktop_app.store.db import Database
from tests.ui.helpers import START, app_context, event_count, plan, type_text
from ui.context import AppContext
from ui.views.event_editor import EventEditor
from ui.views.events import EventsPage


@pytest.fixture
def ctx(dealer_sqlite: Database, tmp_path: Path) -> Iterator[AppContext]:
    with app_context(dealer_sqlite, tmp_path) as c:
        yield c


@pytest.fixture
def page(qtbot: QtBot, ctx: AppContext) -> EventsPage:
    p = EventsPage(ctx)
    qtbot.addWidget(p)
    p.resize(1200, 700)
    p.show()
    qtbot.waitUntil(lambda: not p.loading)
    return p


def titles_in_table(page: EventsPage) -> list[str]:
    return [page.proxy.index(r, 0).data() for r in range(page.proxy.rowCount())]


def type_into(qtbot: QtBot, widget: object, text: str) -> None:
    widget.selectAll()  # type: ignore[attr-defined]
    type_text(qtbot, widget, text)


def test_new_club_drive_with_its_route_appears_in_the_table(
    qtbot: QtBot, page: EventsPage, ctx: AppContext
) -> None:
    editor = page.new_event("club_drive")
    assert editor.club.isVisible() and not editor.care.isVisible()
    type_text(qtbot, editor.title_edit, "车友会周末自驾：千岛湖")
    type_text(qtbot, editor.club.meeting_point, "G60 松江服务区")
    for stop in ("文渊狮城", "千岛湖东南湖区", "农夫山泉工厂"):
        type_text(qtbot, editor.club.stop_input, stop)
        qtbot.keyClick(editor.club.stop_input, Qt.Key.Key_Return)
    editor.club.stops.setCurrentRow(1)
    qtbot.mouseClick(editor.club.up_button, Qt.MouseButton.LeftButton)  # lake first
    type_into(qtbot, editor.club.max_cars, "12")
    editor.club.departure.set_value(START + timedelta(minutes=-30))
    editor.starts.set_value(START)
    editor.ends.set_value(START + timedelta(hours=10))
    with qtbot.waitSignal(page.loaded, timeout=5000):
        qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert editor.result() == EventEditor.DialogCode.Accepted
    assert "车友会周末自驾：千岛湖" in titles_in_table(page)
    saved = events.get_event(ctx.db, editor.result_view.id)  # type: ignore[union-attr]
    assert saved.details["route_stops"] == ["千岛湖东南湖区", "文渊狮城", "农夫山泉工厂"]
    assert saved.details["meeting_point"] == "G60 松江服务区"
    assert saved.details["max_cars"] == 12
    assert saved.details["departure_time"].startswith("2026-12-05T09:00")
    assert page.selected() is not None and page.selected().id == saved.id


def test_care_class_with_two_sessions_is_saved_with_both(
    qtbot: QtBot, page: EventsPage, ctx: AppContext
) -> None:
    editor = page.new_event("care_class")
    assert editor.care.isVisible() and not editor.club.isVisible()
    type_text(qtbot, editor.title_edit, "冬季养护课堂")
    type_text(qtbot, editor.care.instructor, "王师傅")
    type_text(qtbot, editor.care.topic, "轮胎与电池")
    editor.starts.set_value(START)
    editor.ends.set_value(START + timedelta(days=7, hours=3))
    qtbot.mouseClick(editor.care.add_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(editor.care.add_button, Qt.MouseButton.LeftButton)
    assert editor.care.sessions.rowCount() == 2
    first, second = editor.care.slots()
    assert second.starts_at - first.starts_at == timedelta(days=7)  # weekly by default
    type_text(qtbot, editor.care.sessions.cellWidget(1, 2), "电池保养")
    with qtbot.waitSignal(page.loaded, timeout=5000):
        qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    saved = events.get_event(ctx.db, editor.result_view.id)  # type: ignore[union-attr]
    assert [s.topic for s in saved.sessions] == [None, "电池保养"]
    assert saved.details == {"instructor": "王师傅", "topic": "轮胎与电池"}


def test_empty_title_and_end_before_start_are_shown_and_nothing_is_saved(
    qtbot: QtBot, page: EventsPage, ctx: AppContext
) -> None:
    before = event_count(ctx.db)
    editor = page.new_event("open_day")
    editor.starts.set_value(START)
    editor.ends.set_value(START - timedelta(hours=1))
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert editor.isVisible()
    assert editor.fields["title"].message.text() == "Title: is required"
    assert editor.fields["ends_at"].message.text() == "Ends: must be after the start"
    assert editor.title_edit.property("invalid") is True
    assert "nothing has been saved" in editor.problems.text()
    assert event_count(ctx.db) == before
    # fixing both clears the marks and saves
    type_text(qtbot, editor.title_edit, "开放日")
    editor.ends.set_value(START + timedelta(hours=5))
    with qtbot.waitSignal(page.loaded, timeout=5000):
        qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert not editor.fields["title"].has_error()
    assert event_count(ctx.db) == before + 1


def test_messages_are_in_chinese_for_a_chinese_user(
    qtbot: QtBot, dealer_sqlite: Database, tmp_path: Path
) -> None:
    with app_context(dealer_sqlite, tmp_path, language="zh") as ctx:
        editor = EventEditor(ctx, event_type="open_day")
        qtbot.addWidget(editor)
        type_into(qtbot, editor.budget, "一千块")
        qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
        assert editor.fields["title"].message.text() == "标题：必填"
        assert editor.fields["budget"].message.text().startswith("预算：必须是金额")
        assert event_count(dealer_sqlite) == 0


def test_online_format_asks_for_a_link_instead_of_a_venue(
    qtbot: QtBot, page: EventsPage, ctx: AppContext
) -> None:
    editor = page.new_event("member_day")
    editor.format_combo.setCurrentIndex(editor.format_combo.findData("online"))
    assert not editor.fields["venue"].isVisible()
    assert editor.fields["online_link"].isVisible()
    type_text(qtbot, editor.title_edit, "会员日直播")
    type_text(qtbot, editor.online_link, "live.example.com")
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert "http" in editor.fields["online_link"].message.text()
    assert event_count(ctx.db) == 0
    type_into(qtbot, editor.online_link, "https://live.example.com/md")
    with qtbot.waitSignal(page.loaded, timeout=5000):
        qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    saved = events.get_event(ctx.db, editor.result_view.id)  # type: ignore[union-attr]
    assert saved.format == "online" and saved.venue is None
    assert saved.online_link == "https://live.example.com/md"


def test_double_click_edits_and_the_row_shows_the_new_title(
    qtbot: QtBot, ctx: AppContext, page: EventsPage
) -> None:
    view = plan(ctx.db, "十二月开放日", status="published")
    page.refresh()
    qtbot.waitUntil(lambda: not page.loading)
    index = page.proxy.index(0, 0)
    rect = page.table.visualRect(index)
    qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    editor = page.editor
    assert editor is not None and editor.title_edit.text() == "十二月开放日"
    assert editor.status_badge.text() == "Published"
    type_into(qtbot, editor.title_edit, "十二月开放日（延期）")
    with qtbot.waitSignal(page.loaded, timeout=5000):
        qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert titles_in_table(page) == ["十二月开放日（延期）"]
    assert events.get_event(ctx.db, view.id).title == "十二月开放日（延期）"


def test_a_published_event_cannot_lose_its_venue(
    qtbot: QtBot, ctx: AppContext, page: EventsPage
) -> None:
    view = plan(ctx.db, "零件中心参观", kind="parts_tour", status="published")
    editor = EventEditor(ctx, event=events.get_event(ctx.db, view.id))
    qtbot.addWidget(editor)
    editor.venue.clear()
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: editor.fields["venue"].has_error())
    assert "needs a venue" in editor.fields["venue"].message.text()
    assert editor.save_button.isEnabled()
    assert events.get_event(ctx.db, view.id).venue == "浦东展厅"


def test_template_prefills_the_editor(qtbot: QtBot, ctx: AppContext) -> None:
    view = plan(ctx.db, "养护课堂", kind="care_class")
    template = events.save_as_template(ctx.db, view.id, "标准养护课堂")
    draft = events.draft_from_template(ctx.db, template.id, START + timedelta(days=30))
    editor = EventEditor(ctx, draft=draft)
    qtbot.addWidget(editor)
    assert editor.type_combo.currentData() == "care_class"
    assert editor.title_edit.text() == "养护课堂"
    assert editor.ends.value() - editor.starts.value() == timedelta(hours=6)  # type: ignore[operator]
    assert editor.care.sessions.rowCount() == 1
