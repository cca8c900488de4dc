"""The People page as a front-desk user sees it: search, filters, detail, create, edit, points."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QMessageBox
from sqlalchemy import func, select

from desktop_app.domain.vehicle_ids import vin_check_digit
from desktop_app.services import clubs, people, points, staff
from desktop_app.services.people import PersonDraft, VehicleDraft
from desktop_app.store.db import Database
from desktop_app.store.models import Person, Registration
from tests.ui.helpers import app_context, plan, type_text
from ui.context import AppContext
from ui.models.people_model import COL_NAME, COL_PHONE, RowRole
from ui.views.people import PeoplePage
from ui.views.person_dialogs import AdjustPointsDialog, PersonDialog, VehicleDialog


def vin(prefix: str) -> str:
    """A VIN with a valid 9th-digit check (GB 16735), from 16 chosen characters."""
    body = (prefix + "0" * 17)[:17]
    body = body[:8] + "0" + body[9:]
    return body[:8] + vin_check_digit(body) + body[9:]


@pytest.fixture
def ctx(dealer_sqlite: Database, tmp_path: Path) -> Iterator[AppContext]:
    with app_context(dealer_sqlite, tmp_path) as c:
        yield c


@pytest.fixture
def seeded(ctx: AppContext) -> dict[str, object]:
    db = ctx.db
    butler = staff.create_staff(db, "李顾问")
    wang = people.create_person(
        db,
        PersonDraft(
            "王建国",
            "138 0013 8000",
            stage="owner",
            butler_id=butler.id,
            consent_marketing=True,
            tags=["VIP"],
        ),
    )
    people.add_vehicle(db, wang.id, VehicleDraft(vin("LSVAU2180N218"), "沪A·D12345", "ID.4"))
    zhang = people.create_person(db, PersonDraft("张丽", "+86 139-1234-5678", stage="member"))
    liu = people.create_person(
        db, PersonDraft("刘洋", "15912342046", referred_by_id=wang.id, stage="prospect")
    )
    nophone = people.create_person(db, PersonDraft("陈静", None))
    club = clubs.create_club(db, clubs.ClubDraft("ID.4 车友会", "ID.4", "上海"))
    clubs.join_club(db, club.id, wang.id, "leader")
    points.adjust_points(db, wang.id, 120, "老带新奖励")
    return {"wang": wang, "zhang": zhang, "liu": liu, "nophone": nophone, "club": club}


@pytest.fixture
def page(qtbot, ctx: AppContext, seeded: dict[str, object]) -> PeoplePage:  # type: ignore[no-untyped-def]
    p = PeoplePage(ctx)
    qtbot.addWidget(p)
    p.resize(1200, 700)
    p.show()
    qtbot.waitUntil(lambda: p.people.model.total == 4, timeout=5000)
    return p


def names(page: PeoplePage) -> list[str]:
    model = page.people.model
    return [model.index(r, COL_NAME).data() for r in range(model.rowCount())]


def search(qtbot, page: PeoplePage, text: str) -> None:  # type: ignore[no-untyped-def]
    box = page.people.search
    box.clear()
    type_text(qtbot, box, text)
    qtbot.waitUntil(lambda: page.people.model.query.text == text, timeout=3000)
    qtbot.waitUntil(lambda: not page.people.model._loading, timeout=3000)


def person_count(db: Database) -> int:
    with db.read() as s:
        return s.scalar(select(func.count()).select_from(Person)) or 0


def test_everyone_is_listed_with_a_readable_phone_and_the_unreachable_flagged(page) -> None:  # type: ignore[no-untyped-def]
    assert sorted(names(page)) == sorted(["王建国", "张丽", "刘洋", "陈静"])
    model = page.people.model
    rows = {model.index(r, 0).data(RowRole).name: r for r in range(model.rowCount())}
    assert model.index(rows["王建国"], COL_PHONE).data() == "138 0013 8000"
    assert model.index(rows["陈静"], COL_PHONE).data() == "no phone"
    assert "4 people" in page.people.status.text()


def test_typing_a_name_shows_only_matching_people(qtbot, page) -> None:  # type: ignore[no-untyped-def]
    search(qtbot, page, "王")
    assert names(page) == ["王建国"]


@pytest.mark.parametrize("typed", ["13800138000", "+86 138-0013-8000", "8000", "沪A D12345"])
def test_a_phone_in_any_format_its_last_4_digits_or_a_plate_find_the_owner(
    qtbot, page, typed: str
) -> None:  # type: ignore[no-untyped-def]
    search(qtbot, page, typed)
    assert names(page) == ["王建国"]


def test_the_vin_finds_the_owner(qtbot, page) -> None:  # type: ignore[no-untyped-def]
    search(qtbot, page, vin("LSVAU2180N218"))
    assert names(page) == ["王建国"]


def test_a_search_that_matches_nobody_says_so(qtbot, page) -> None:  # type: ignore[no-untyped-def]
    search(qtbot, page, "赵无名")
    assert page.people.body.currentWidget() is page.people.empty
    assert "Nobody matches" in page.people.empty.text()


def test_filtering_by_stage_keeps_only_that_stage(qtbot, page) -> None:  # type: ignore[no-untyped-def]
    stage = page.people.stage
    stage.setCurrentIndex(stage.findData("member"))
    qtbot.waitUntil(lambda: names(page) == ["张丽"], timeout=3000)


def test_filtering_by_club_and_butler(qtbot, page, seeded) -> None:  # type: ignore[no-untyped-def]
    club = page.people.club
    club.setCurrentIndex(club.findData(str(seeded["club"].id)))
    qtbot.waitUntil(lambda: names(page) == ["王建国"], timeout=3000)
    club.setCurrentIndex(0)
    qtbot.waitUntil(lambda: len(names(page)) == 4, timeout=3000)
    butler = page.people.butler
    butler.setCurrentIndex(butler.findText("李顾问"))
    qtbot.waitUntil(lambda: names(page) == ["王建国"], timeout=3000)


def test_selecting_a_person_shows_vehicles_clubs_points_and_consents(
    qtbot, page, seeded, ctx: AppContext
) -> None:  # type: ignore[no-untyped-def]
    drive = plan(ctx.db, "千岛湖自驾", kind="club_drive", status="completed")
    with ctx.db.write() as s:
        s.add(Registration(event_id=drive.id, person_id=seeded["wang"].id, status="attended"))
    search(qtbot, page, "王建国")
    page.people.table.selectRow(0)
    qtbot.waitUntil(lambda: "王建国" in page.people.detail.text(), timeout=3000)
    text = page.people.detail.text()
    assert "沪A" in text and "ID.4" in text  # vehicle
    assert "ID.4 车友会" in text and "Leader" in text  # club with role
    assert "+120" in text and "老带新奖励" in text  # points history
    assert "given 20" in text  # marketing consent with the time it was given
    assert "刘洋" in text  # referral made
    assert "千岛湖自驾" in text and "Club drive" in text  # event attended


def test_an_empty_database_explains_how_to_start(qtbot, ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    p = PeoplePage(ctx)
    qtbot.addWidget(p)
    qtbot.waitUntil(lambda: p.people.body.currentWidget() is p.people.empty, timeout=3000)
    assert "No people yet" in p.people.empty.text()
    assert "Import" in p.people.empty.text()


def test_creating_a_person_with_a_bad_phone_shows_why_and_saves_nothing(
    qtbot, page, ctx: AppContext
) -> None:  # type: ignore[no-untyped-def]
    before = person_count(ctx.db)
    dialog = PersonDialog(ctx, parent=page)
    qtbot.addWidget(dialog)
    type_text(qtbot, dialog.name, "赵敏")
    qtbot.keyClicks(dialog.phone, "138****2046")
    dialog.save()
    assert "masked" in dialog.error_of("phone")
    assert dialog.result() != QDialog.DialogCode.Accepted
    ctx.write_pool.waitForDone()
    assert person_count(ctx.db) == before


def test_a_phone_already_on_file_names_the_other_person(qtbot, page, ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    dialog = PersonDialog(ctx, parent=page)
    qtbot.addWidget(dialog)
    type_text(qtbot, dialog.name, "王小二")
    qtbot.keyClicks(dialog.phone, "0086 138 0013 8000")
    dialog.save()
    qtbot.waitUntil(lambda: dialog.error_of("phone") != "", timeout=3000)
    assert "王建国" in dialog.error_of("phone")


def test_validation_messages_follow_the_users_language(
    qtbot, seeded, dealer_sqlite, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    with app_context(dealer_sqlite, tmp_path, language="zh") as zh:
        dialog = PersonDialog(zh)
        qtbot.addWidget(dialog)
        qtbot.keyClicks(dialog.phone, "12345")
        dialog.save()
        assert dialog.error_of("name") == "必填"
        assert "12345" in dialog.error_of("phone") and "手机号" in dialog.error_of("phone")


def test_new_person_appears_in_the_list_and_detail(qtbot, page, ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    page.people.new_person()
    dialog = page.people.findChild(PersonDialog)
    type_text(qtbot, dialog.name, "赵敏")
    qtbot.keyClicks(dialog.phone, "+86 186 1234 0001")
    dialog.stage.setCurrentIndex(dialog.stage.findData("owner"))
    with qtbot.waitSignal(dialog.saved, timeout=3000):
        dialog.save()
    qtbot.waitUntil(lambda: "赵敏" in names(page), timeout=3000)
    qtbot.waitUntil(lambda: "赵敏" in page.people.detail.text(), timeout=3000)
    assert people.find_by_phone(ctx.db, "18612340001").stage == "owner"


def test_editing_a_person_saves_the_change(qtbot, page, seeded, ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    page.people.open_person(seeded["zhang"].id)
    page.people.edit_person()
    dialog = page.people.findChild(PersonDialog)
    assert dialog.phone.text() == "139 1234 5678"
    dialog.email.setText("zhangli@example.com")
    with qtbot.waitSignal(dialog.saved, timeout=3000):
        dialog.save()
    assert people.get_person(ctx.db, seeded["zhang"].id).email == "zhangli@example.com"


def test_a_vehicle_with_a_typo_in_the_vin_is_refused_with_the_reason(
    qtbot, page, seeded, ctx: AppContext
) -> None:  # type: ignore[no-untyped-def]
    good = vin("LFV2A21K5M300")
    typo = good[:8] + ("X" if good[8] != "X" else "1") + good[9:]
    dialog = VehicleDialog(ctx, seeded["zhang"].id)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.vin, typo)
    dialog.save()
    qtbot.waitUntil(lambda: dialog.error_of("vin") != "", timeout=3000)
    assert "check digit" in dialog.error_of("vin")
    dialog.vin.setText(good)
    type_text(qtbot, dialog.plate, "沪AD99999")
    with qtbot.waitSignal(dialog.saved, timeout=3000):
        dialog.save()
    assert [v.vin for v in people.list_vehicles(ctx.db, seeded["zhang"].id)] == [good]


def test_adjusting_points_needs_a_reason(qtbot, page, seeded, ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    dialog = AdjustPointsDialog(ctx, seeded["zhang"].id)
    qtbot.addWidget(dialog)
    dialog.delta.setValue(50)
    dialog.save()
    qtbot.waitUntil(lambda: dialog.error_of("reason") != "", timeout=3000)
    assert points.balance(ctx.db, seeded["zhang"].id) == 0
    type_text(qtbot, dialog.reason, "试驾反馈奖励")
    with qtbot.waitSignal(dialog.saved, timeout=3000):
        dialog.save()
    assert points.balance(ctx.db, seeded["zhang"].id) == 50


def test_clicking_a_referral_opens_that_person(qtbot, page, seeded) -> None:  # type: ignore[no-untyped-def]
    browser = page.people
    browser.open_person(seeded["wang"].id)
    qtbot.waitUntil(lambda: "刘洋" in browser.detail.text(), timeout=3000)
    browser.detail.person_linked.emit(seeded["liu"].id)
    qtbot.waitUntil(lambda: browser.detail.text().startswith("刘洋"), timeout=3000)
    assert browser.selected_id() == seeded["liu"].id


def test_the_clubs_tab_is_reachable_from_the_people_page(qtbot, page) -> None:  # type: ignore[no-untyped-def]
    view = page.show_clubs()
    qtbot.waitUntil(lambda: view.members.rowCount() == 1, timeout=3000)
    assert view.members.item(0, 0).text() == "王建国"
    assert page.tabs.currentWidget() is view
    assert page.tabs.tabText(1) == "Clubs"


# --------------------------------------------------------------------------- merging


@pytest.fixture
def twins(ctx: AppContext) -> tuple[object, object]:
    """One man entered twice: once by sales, once at an event, sharing the car's plate."""
    db = ctx.db
    a = people.create_person(db, PersonDraft("王建国", "13800138000", stage="owner"))
    people.add_vehicle(db, a.id, VehicleDraft(vin("LSVAU2180N218"), "沪A·D12345", "帕萨特"))
    b = people.create_person(db, PersonDraft("王 建国", "13700001111", wechat="wjg_1970"))
    people.add_vehicle(db, b.id, VehicleDraft(vin("LFV2A21K5M300"), "沪AD12345", "途观L"))
    points.adjust_points(db, b.id, 80, "活动签到")
    return a, b


def test_merging_two_records_keeps_one_person_with_both_vehicles(
    qtbot, ctx: AppContext, twins, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    from ui.views.merge_dialogs import DuplicatesDialog, MergeDialog

    a, b = twins
    page = PeoplePage(ctx)
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: page.people.model.total == 2, timeout=3000)
    page.people.find_duplicates()
    dups = page.people.findChild(DuplicatesDialog)
    qtbot.waitUntil(lambda: dups.table.rowCount() == 1, timeout=5000)
    assert "same plate" in dups.table.item(0, 2).text()
    dups.compare()
    merge = dups.findChild(MergeDialog)
    qtbot.waitUntil(lambda: merge.merge_button.isEnabled(), timeout=5000)
    keep, _drop = merge.keep_drop()
    assert keep.person.id == a.id  # the older record is offered as the survivor
    assert "vehicles: 1" in merge.moves.text() and "balance 80" in merge.moves.text()
    with qtbot.waitSignal(dups.merged, timeout=5000):
        merge.merge_button.click()
    qtbot.waitUntil(lambda: page.people.model.total == 1, timeout=5000)
    assert "Merged 王 建国 into 王建国" in page.people.notice.text()
    survivor = people.person_detail(ctx.db, a.id)
    assert sorted(v.model for v in survivor.vehicles) == ["帕萨特", "途观L"]
    assert survivor.person.balance == 80 and survivor.person.wechat == "wjg_1970"

    # Second thoughts: undo brings the other record back with its car.
    monkeypatch.setattr(
        "ui.views.merge_dialogs.QMessageBox.question",
        lambda *a, **k: QMessageBox.StandardButton.Yes,
    )
    page.people.undo_merge()
    qtbot.waitUntil(lambda: page.people.model.total == 2, timeout=5000)
    assert "separate person again" in page.people.notice.text()
    assert [v.model for v in people.list_vehicles(ctx.db, b.id)] == ["途观L"]


def test_undo_with_nothing_to_undo_says_so(qtbot, page, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QMessageBox

    monkeypatch.setattr(
        "ui.views.merge_dialogs.QMessageBox.question",
        lambda *a, **k: QMessageBox.StandardButton.Yes,
    )
    page.people.undo_merge()
    qtbot.waitUntil(lambda: "no merge to undo" in page.people.notice.text(), timeout=3000)


def test_editing_keeps_the_butler(qtbot, page, seeded, ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    dialog = PersonDialog(ctx, person_id=seeded["wang"].id)
    qtbot.addWidget(dialog)
    assert dialog.butler.currentText() == "李顾问"
    assert dialog.consent_marketing.isChecked()
    with qtbot.waitSignal(dialog.saved, timeout=3000):
        dialog.save()
    after = people.get_person(ctx.db, seeded["wang"].id)
    assert after.butler_name == "李顾问" and after.referred_by_id is None
    assert after.consent_marketing_at == seeded["wang"].consent_marketing_at


def test_the_people_entry_of_the_main_window_opens_this_page(
    qtbot, ctx: AppContext, seeded
) -> None:  # type: ignore[no-untyped-def]
    from ui.main_window import MainWindow

    window = MainWindow(ctx)
    qtbot.addWidget(window)
    page = window.show_page("people")
    assert isinstance(page, PeoplePage)
    qtbot.waitUntil(lambda: page.people.model.total == 4, timeout=5000)


def test_the_page_speaks_chinese_when_the_user_does(qtbot, seeded, dealer_sqlite, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QApplication

    from ui.app import install_translators

    app = QApplication.instance()
    translators = install_translators(app, "zh")
    try:
        with app_context(dealer_sqlite, tmp_path, language="zh") as zh:
            p = PeoplePage(zh)
            qtbot.addWidget(p)
            qtbot.waitUntil(lambda: p.people.model.total == 4, timeout=5000)
            model = p.people.model
            assert model.headerData(COL_NAME, Qt.Orientation.Horizontal) == "姓名"
            assert p.people.new_button.text() == "新建客户…"
            assert p.tabs.tabText(1) == "车友会"
            stages = {model.index(r, 2).data() for r in range(model.rowCount())}
            assert stages == {"车主", "会员", "潜客"}
    finally:
        for t in translators:
            app.removeTranslator(t)
