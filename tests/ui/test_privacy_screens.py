"""The personal-data screens: consent withdrawn on the person page and at the desk, the
person's copy written from its button, erasure asked twice, the retention review."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from desktop_app.domain.timeutil import now_utc
from desktop_app.services import consent, people
from desktop_app.store.db import Database
from desktop_app.store.models import Person
from tests.checkin_support import make_event, register
from tests.ui.helpers import app_context
from ui.views.people import PeopleBrowser
from ui.views.privacy import RetentionDialog


def _person(db: Database) -> Any:
    p = people.create_person(
        db,
        people.PersonDraft(name="欧阳娜娜", phone="13912345678", consent_marketing=True,
                           consent_method="paper"),
    )  # fmt: skip
    people.add_vehicle(db, p.id, people.VehicleDraft(plate="沪AD12345", model="ES6"))
    return p


def _open(qtbot: Any, page: PeopleBrowser, pid: Any) -> None:
    page.open_person(pid)
    qtbot.waitUntil(lambda: page.detail.detail is not None, timeout=10000)


def test_withdrawing_consent_on_the_person_page(
    qtbot: Any, dealer_sqlite: Database, tmp_path: Path
) -> None:
    p = _person(dealer_sqlite)
    with app_context(dealer_sqlite, tmp_path) as ctx:
        page = PeopleBrowser(ctx)
        qtbot.addWidget(page)
        _open(qtbot, page, p.id)
        bar = page.detail.privacy
        assert bar.consent_button.text() == "Withdraw marketing consent…"
        assert "marketing given (paper form" in page.detail.text()
        bar.confirm = lambda *_a: True  # type: ignore[method-assign]
        qtbot.mouseClick(bar.consent_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: "withdrawn" in page.notice.text(), timeout=10000)
        assert people.get_person(dealer_sqlite, p.id).consent_marketing_at is None
        qtbot.waitUntil(lambda: bar.consent_button.text() == "Record consent…", timeout=10000)
        assert "marketing withdrawn (staff" in page.detail.text()


def test_the_persons_copy_is_written_from_the_person_page(
    qtbot: Any, dealer_sqlite: Database, tmp_path: Path
) -> None:
    import python_calamine as pc

    p = _person(dealer_sqlite)
    out = tmp_path / "copy.xlsx"
    with app_context(dealer_sqlite, tmp_path, language="zh") as ctx:
        page = PeopleBrowser(ctx)
        qtbot.addWidget(page)
        _open(qtbot, page, p.id)
        bar = page.detail.privacy
        bar.ask_copy_path = lambda _s: (str(out), "zh")  # type: ignore[method-assign]
        qtbot.mouseClick(bar.copy_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(out.exists, timeout=10000)
    wb = pc.CalamineWorkbook.from_path(str(out))
    profile = wb.get_sheet_by_name("个人资料").to_python()
    assert ["姓名", "欧阳娜娜"] in profile


def test_erasure_asks_twice_and_a_no_changes_nothing(
    qtbot: Any, dealer_sqlite: Database, tmp_path: Path
) -> None:
    p = _person(dealer_sqlite)
    asked: list[str] = []
    with app_context(dealer_sqlite, tmp_path) as ctx:
        page = PeopleBrowser(ctx)
        qtbot.addWidget(page)
        _open(qtbot, page, p.id)
        bar = page.detail.privacy
        assert bar.erase_button.isEnabled()  # single-user database: the admin
        bar.ask_erase_reason = lambda _p: "asked on the phone"  # type: ignore[method-assign]
        bar.confirm = lambda title, _t: asked.append(title) or False  # type: ignore[method-assign]
        bar.erase()
        assert asked == ["Erase personal data — second confirmation"]
        assert people.get_person(dealer_sqlite, p.id).name == "欧阳娜娜"
        bar.confirm = lambda title, _t: asked.append(title) or True  # type: ignore[method-assign]
        bar.erase()
        qtbot.waitUntil(lambda: "erased" in page.notice.text(), timeout=10000)
        gone = people.get_person(dealer_sqlite, p.id)
        assert gone.phone is None and gone.name.startswith("ERASED-")
        qtbot.waitUntil(lambda: "Personal data erased on" in page.detail.text(), timeout=10000)
        assert not bar.erase_button.isEnabled() and not bar.consent_button.isEnabled()


def test_the_retention_review_lists_and_anonymises_after_two_yeses(
    qtbot: Any, dealer_sqlite: Database, tmp_path: Path
) -> None:
    old = people.create_person(
        dealer_sqlite, people.PersonDraft(name="老潜客", phone="13800000011")
    )
    with dealer_sqlite.write() as s:
        row = s.get(Person, old.id)
        row.created_at = row.stage_changed_at = now_utc() - timedelta(days=800)
    with app_context(dealer_sqlite, tmp_path) as ctx:
        dialog = RetentionDialog(ctx)
        qtbot.addWidget(dialog)
        assert dialog.table.rowCount() == 1 and dialog.table.item(0, 0).text() == "老潜客"
        answers = iter([True, False])
        dialog.confirm = lambda *_a: next(answers)  # type: ignore[method-assign]
        dialog.anonymise()  # the second question said no
        assert people.get_person(dealer_sqlite, old.id).name == "老潜客"
        dialog.confirm = lambda *_a: True  # type: ignore[method-assign]
        with qtbot.waitSignal(dialog.anonymised, timeout=10000):
            dialog.anonymise()
        assert people.get_person(dealer_sqlite, old.id).phone is None
        assert dialog.table.rowCount() == 0 and not dialog.empty.isHidden()


def _desk_after_scanning(qtbot: Any, ctx: Any, ev: Any, code: str) -> Any:
    """A desk for `ev` (every confirmation answered yes) that has just scanned `code`; the
    "no more marketing" key (F7) is live for that guest."""
    from ui.sounds import DeskSounds
    from ui.views.desk import DeskView

    desk = DeskView(ctx, [ev], "前台1", None, sounds=DeskSounds(enabled=False),
                    confirm=lambda *_a: True)  # fmt: skip
    qtbot.addWidget(desk)
    desk.show()
    assert not desk.no_marketing_button.isEnabled()
    desk.process_code(code)
    qtbot.waitUntil(lambda: desk.no_marketing_button.isEnabled(), timeout=10000)
    return desk


@pytest.mark.parametrize("key", ["button", "F7"])
def test_a_guest_withdraws_consent_at_the_desk(
    qtbot: Any, dealer_sqlite: Database, tmp_path: Path, key: str
) -> None:
    ev = make_event(dealer_sqlite)
    seat = register(dealer_sqlite, ev, "韩梅梅", "+8613800138009")
    with dealer_sqlite.write() as s:
        consent.set_consent_in(s, s.get(Person, seat.person_id), "marketing", True, "form")
    with app_context(dealer_sqlite, tmp_path) as ctx:
        desk = _desk_after_scanning(qtbot, ctx, ev, seat.code)
        if key == "F7":
            qtbot.keyClick(desk, Qt.Key.Key_F7)
        else:
            qtbot.mouseClick(desk.no_marketing_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: "withdrawn" in desk.notice.text(), timeout=10000)
        state = consent.consent_state(dealer_sqlite, seat.person_id)
        assert state.marketing_at is None
        assert (state.history[-1].method, state.history[-1].source) == ("desk", "前台1")


def test_f7_for_a_guest_who_never_agreed_does_not_claim_a_withdrawal(
    qtbot: Any, dealer_sqlite: Database, tmp_path: Path
) -> None:
    ev = make_event(dealer_sqlite)
    seat = register(dealer_sqlite, ev, "莫丽", "+8613800138019")  # no consent on file
    with app_context(dealer_sqlite, tmp_path) as ctx:
        desk = _desk_after_scanning(qtbot, ctx, ev, seat.code)
        qtbot.keyClick(desk, Qt.Key.Key_F7)
        qtbot.waitUntil(lambda: "had not agreed" in desk.notice.text(), timeout=10000)
        assert "withdrawn" not in desk.notice.text()
        assert consent.consent_state(dealer_sqlite, seat.person_id).marketing_at is None


def test_the_app_asks_for_an_encrypted_packs_passphrase_until_it_is_right(
    qtbot: Any, dealer_sqlite: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from desktop_app.services import packs
    from ui.app import start
    from ui.widgets import passphrase

    ev = make_event(dealer_sqlite)
    register(dealer_sqlite, ev)
    pack = tmp_path / "drive.pack"
    packs.export_pack(dealer_sqlite, ev, pack, passphrase="冬季自驾 2026")
    asked: list[tuple[str, str]] = []
    answers = iter(["wrong one!", "冬季自驾 2026"])

    def ask(_parent: Any, file: str, problem: str = "") -> str:
        asked.append((file, problem))
        return next(answers)

    monkeypatch.setattr(passphrase, "ask_pack_passphrase", ask)
    _app, window, _ = start(str(pack))
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.ready, timeout=30_000):
        pass
    assert [f for f, _p in asked] == ["drive.pack", "drive.pack"]
    assert asked[0][1] == "" and "wrong passphrase" in asked[1][1]
    assert window.ctx is not None and window.ctx.db.encrypted
    window.ctx.pool.waitForDone(5000)
    window.ctx.db.close()


def test_the_personal_data_buttons_are_whole_in_the_narrow_detail_pane(
    qtbot: Any, dealer_sqlite: Database, tmp_path: Path
) -> None:
    """The detail pane can be as narrow as 300 px: every button's caption stays whole."""
    from PySide6.QtWidgets import QSplitter

    p = _person(dealer_sqlite)
    with app_context(dealer_sqlite, tmp_path) as ctx:
        page = PeopleBrowser(ctx)
        qtbot.addWidget(page)
        page.resize(1180, 640)  # shown: the buttons are laid out at their real widths
        page.show()
        _open(qtbot, page, p.id)
        split = page.findChild(QSplitter)
        split.setSizes([1180 - 300, 300])
        qtbot.waitUntil(lambda: page.detail.width() <= 310)
        bar = page.detail.privacy
        assert bar.consent_button.text() == "Withdraw marketing consent…"
        for b in (bar.consent_button, bar.copy_button, bar.erase_button):
            assert b.isVisible()
            assert b.width() >= b.sizeHint().width(), f"{b.text()} is cut off"
            assert bar.rect().contains(b.geometry()), f"{b.text()} sticks out of the pane"
