"""The Clubs view (车友会) as a coordinator uses it: create a club, add members with roles,
change a role, see the club's events, open a member on the People page."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from desktop_app.domain.timeutil import parse_local
from desktop_app.services import clubs, events, people
from desktop_app.services.people import PersonDraft
from desktop_app.store.db import Database
from tests.ui.helpers import app_context, type_text
from ui.context import AppContext
from ui.views.clubs import ClubDialog, ClubsView, JoinClubDialog
from ui.views.people import PeoplePage


@pytest.fixture
def ctx(dealer_sqlite: Database, tmp_path: Path) -> Iterator[AppContext]:
    with app_context(dealer_sqlite, tmp_path) as c:
        yield c


@pytest.fixture
def club_setup(ctx: AppContext) -> dict[str, object]:
    db = ctx.db
    wang = people.create_person(db, PersonDraft("王建国", "13800138000", stage="owner"))
    li = people.create_person(db, PersonDraft("李娜", "13912345678", stage="member"))
    club = clubs.create_club(db, clubs.ClubDraft("ID.4 车友会", "ID.4", "上海", "周末自驾"))
    clubs.join_club(db, club.id, wang.id, "leader")
    start = parse_local("2026-10-12 08:00", "Asia/Shanghai")
    end = parse_local("2026-10-12 17:00", "Asia/Shanghai")
    drive = events.create_event(
        db,
        events.EventDraft(
            title="千岛湖自驾", type="club_drive", starts_at=start, ends_at=end, venue="浦东展厅"
        ),
    )
    clubs.link_event(db, club.id, drive.id)
    return {"wang": wang, "li": li, "club": club}


def members(view: ClubsView) -> dict[str, str]:
    """Member name → role as the table shows them."""
    t = view.members
    return {t.item(r, 0).text(): t.item(r, 2).text() for r in range(t.rowCount())}


@pytest.fixture
def view(qtbot, ctx: AppContext, club_setup) -> ClubsView:  # type: ignore[no-untyped-def]
    v = ClubsView(ctx)
    qtbot.addWidget(v)
    v.show()
    qtbot.waitUntil(lambda: members(v) == {"王建国": "Leader"}, timeout=3000)
    return v


def test_a_club_shows_its_members_with_roles_and_its_activity(qtbot, view) -> None:  # type: ignore[no-untyped-def]
    assert view.clubs.item(0, 0).text() == "ID.4 车友会"
    assert "leaders: 王建国" in view.header.text()
    assert view.activity.rowCount() == 1
    assert view.activity.item(0, 1).text() == "千岛湖自驾"
    assert view.activity.item(0, 2).text() == "Club drive"


def test_adding_a_member_with_a_role(qtbot, view, ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    dialog = JoinClubDialog(ctx, view.club_id, view)
    qtbot.addWidget(dialog)
    dialog.saved.connect(lambda _m: view.reload())
    type_text(qtbot, dialog.person.lineEdit(), "李娜")
    qtbot.waitUntil(lambda: dialog.person.count() == 1, timeout=3000)
    dialog.person.hidePopup()
    dialog.person.setCurrentIndex(0)
    dialog.role.setCurrentIndex(dialog.role.findData("kol"))
    with qtbot.waitSignal(dialog.saved, timeout=3000):
        dialog.save()
    qtbot.waitUntil(lambda: members(view) == {"王建国": "Leader", "李娜": "KOL"}, timeout=3000)


def test_adding_without_picking_a_person_asks_for_one(qtbot, view, ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    dialog = JoinClubDialog(ctx, view.club_id, view)
    qtbot.addWidget(dialog)
    dialog.save()
    assert dialog.error_of("person") == "Pick a person from the list."


def test_adding_someone_twice_says_they_are_already_a_member(
    qtbot, view, ctx: AppContext, club_setup
) -> None:  # type: ignore[no-untyped-def]
    dialog = JoinClubDialog(ctx, view.club_id, view)
    qtbot.addWidget(dialog)
    dialog.person.set_person(club_setup["wang"].id, "王建国")
    dialog.save()
    qtbot.waitUntil(lambda: dialog.general_error.text() != "", timeout=3000)
    assert "王建国" in dialog.general_error.text()


def test_changing_a_role_and_removing_a_member(qtbot, view) -> None:  # type: ignore[no-untyped-def]
    view.members.selectRow(0)
    view.role_combo.setCurrentIndex(view.role_combo.findData("member"))
    view.role_button.click()
    qtbot.waitUntil(lambda: members(view) == {"王建国": "Club member"}, timeout=3000)
    view.members.selectRow(0)
    view.leave_button.click()
    qtbot.waitUntil(lambda: members(view) == {}, timeout=3000)


def test_creating_a_club_needs_a_name(qtbot, view, ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    dialog = ClubDialog(ctx, None, view)
    qtbot.addWidget(dialog)
    dialog.saved.connect(view._club_saved)
    dialog.save()
    qtbot.waitUntil(lambda: dialog.error_of("name") != "", timeout=3000)
    assert dialog.error_of("name") == "is required"
    type_text(qtbot, dialog.name, "途观L 俱乐部")
    with qtbot.waitSignal(dialog.saved, timeout=3000):
        dialog.save()
    qtbot.waitUntil(lambda: view.clubs.rowCount() == 2, timeout=3000)
    qtbot.waitUntil(lambda: members(view) == {}, timeout=3000)  # the new club is selected
    assert "途观L 俱乐部" in view.header.text()


def test_double_clicking_a_member_opens_them_on_the_people_tab(qtbot, ctx, club_setup) -> None:  # type: ignore[no-untyped-def]
    page = PeoplePage(ctx)
    qtbot.addWidget(page)
    page.resize(1100, 700)
    page.show()
    view = page.show_clubs()
    qtbot.waitUntil(lambda: view.members.rowCount() == 1, timeout=3000)
    cell = view.members.visualItemRect(view.members.item(0, 0)).center()
    qtbot.mouseClick(view.members.viewport(), Qt.MouseButton.LeftButton, pos=cell)
    qtbot.mouseDClick(view.members.viewport(), Qt.MouseButton.LeftButton, pos=cell)
    assert page.tabs.currentIndex() == 0
    qtbot.waitUntil(lambda: page.people.detail.text().startswith("王建国"), timeout=3000)
