"""The attendee tab of an invite-only meetup: filter pending, approve and decline in bulk
(capacity checked at approval, the coordinator chooses when it is full), answer columns,
filter by answer, the register dialog asks the sign-up questions."""

from __future__ import annotations

import uuid
from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from desktop_app.services import events, questions
from desktop_app.services import registration as reg
from desktop_app.services.questions import QuestionDraft
from desktop_app.store.db import Database
from tests.ui.helpers import app_context, type_text
from tests.ui.test_attendees import make_event
from ui.views.approval_bar import SEAT_ALL, WAITLIST_REST
from ui.views.attendees import HEADERS, AttendeesPanel


def meetup(db: Database, capacity: int = 2) -> uuid.UUID:
    ev = make_event(db, title="同城车主会", type="city_meetup", capacity=capacity)
    draft = events.get_event(db, ev).draft()
    events.update_event(db, ev, replace(draft, requires_approval=True))
    questions.add_question(db, ev, QuestionDraft("lunch", "午餐需要吗", "yes_no", required=True))
    questions.add_question(
        db,
        ev,
        QuestionDraft("size", "衣服尺码", "choice", ("S", "M", "L"), at_signup=False, at_desk=True),
    )
    return ev


def apply(db: Database, ev: uuid.UUID, n: int) -> None:
    for i in range(n):
        reg.register(
            db,
            ev,
            phone=f"1380013800{i}",
            name=f"申请人{i}",
            answers={"lunch": "是" if i % 2 else "否"},
        )


def test_pending_filter_bulk_approve_with_a_choice_when_full_and_decline(
    qtbot: Any, dealer_sqlite: Database, tmp_path: Path
) -> None:
    ev = meetup(dealer_sqlite, capacity=2)
    apply(dealer_sqlite, ev, 5)
    with app_context(dealer_sqlite, tmp_path) as ctx:
        panel = AttendeesPanel(ctx, ev)
        qtbot.addWidget(panel)
        panel.status.setCurrentIndex(panel.status.findData("pending"))
        assert panel.model.rowCount() == 5 and panel.approval.isVisibleTo(panel)
        assert "5 awaiting approval" in panel.counts.text()
        headers = [
            panel.model.headerData(c, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole)
            for c in range(panel.model.columnCount())
        ]
        assert headers[-2:] == ["午餐需要吗", "衣服尺码"], "a column per question"
        assert panel.select_where(lambda r: r.name in ("申请人0", "申请人1", "申请人2")) == 3
        asked: list[tuple[int, int]] = []
        panel.approval.ask = lambda need, free: asked.append((need, free)) or WAITLIST_REST
        with qtbot.waitSignal(panel.approval.decided, timeout=5000):
            panel.approval.approve()
        assert asked == [(3, 2)], "the coordinator was asked: 3 seats needed, 2 free"
        qtbot.waitUntil(lambda: "approved with a ticket" in panel.message.text())
        assert "2 approved with a ticket" in panel.message.text()
        assert "1 approved onto the waitlist" in panel.message.text()
        assert panel.model.rowCount() == 2, "the pending filter now shows the other two"
        panel.select_where(lambda r: r.name == "申请人3")
        panel.approval.ask_reason = lambda: ("车型不符", True)
        with qtbot.waitSignal(panel.approval.decided, timeout=5000):
            panel.approval.decline()
        qtbot.waitUntil(lambda: "1 declined" in panel.message.text())
        panel.select_where(lambda r: r.name == "申请人4")
        panel.approval.ask = lambda need, free: SEAT_ALL
        with qtbot.waitSignal(panel.approval.decided, timeout=5000):
            panel.approval.approve()
    status = {v.name: v.status for v in reg.list_registrations(dealer_sqlite, ev)}
    assert status == {
        "申请人0": "registered",
        "申请人1": "registered",
        "申请人2": "waitlisted",
        "申请人3": "declined",
        "申请人4": "registered",  # seated over capacity
    }


def test_answer_columns_and_the_filter_by_answer(
    qtbot: Any, dealer_sqlite: Database, tmp_path: Path
) -> None:
    ev = meetup(dealer_sqlite)
    apply(dealer_sqlite, ev, 4)
    with app_context(dealer_sqlite, tmp_path) as ctx:
        panel = AttendeesPanel(ctx, ev)
        qtbot.addWidget(panel)
        col = panel.model.columnCount() - 2
        shown = sorted(panel.model.index(r, col).data() for r in range(panel.model.rowCount()))
        assert shown == ["No", "No", "Yes", "Yes"]
        panel.answer.setCurrentIndex(panel.answer.findText("午餐需要吗: Yes"))
        assert sorted(r.name for r in panel.model.rows) == ["申请人1", "申请人3"]


def test_the_register_dialog_asks_the_sign_up_questions_and_says_it_waits(
    qtbot: Any, dealer_sqlite: Database, tmp_path: Path
) -> None:
    ev = meetup(dealer_sqlite)
    with app_context(dealer_sqlite, tmp_path, "zh") as ctx:
        panel = AttendeesPanel(ctx, ev)
        qtbot.addWidget(panel)
        dlg = panel.open_register()
        assert list(dlg.answers.fields) == ["lunch"], "the desk question is asked at the desk"
        assert dlg.approval_note.isVisibleTo(dlg)
        qtbot.keyClicks(dlg.find, "13800138000")
        type_text(qtbot, dlg.name, "王芳")
        dlg.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
        qtbot.waitUntil(lambda: bool(dlg.error.text()))
        assert "午餐需要吗" in dlg.error.text(), "a required question is asked first"
        box = dlg.answers.fields["lunch"]
        box.setCurrentIndex(box.findData("yes"))
        with qtbot.waitSignal(dlg.registered, timeout=5000):
            dlg.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    (v,) = reg.list_registrations(dealer_sqlite, ev)
    assert (v.status, v.answers, v.ticket_code) == ("pending", {"lunch": True}, None)


def test_a_coordinator_corrects_answers(
    qtbot: Any, dealer_sqlite: Database, tmp_path: Path
) -> None:
    ev = meetup(dealer_sqlite)
    apply(dealer_sqlite, ev, 1)
    with app_context(dealer_sqlite, tmp_path) as ctx:
        panel = AttendeesPanel(ctx, ev)
        qtbot.addWidget(panel)
        panel.select_where(lambda r: True)
        dlg = panel.edit_answers()
        assert dlg is not None
        size = dlg.form.fields["size"]
        size.setCurrentIndex(size.findData("L"))
        with qtbot.waitSignal(dlg.saved, timeout=5000):
            dlg.save()
    (v,) = reg.list_registrations(dealer_sqlite, ev)
    assert v.answers == {"lunch": False, "size": "L"}


def test_a_form_export_imported_from_the_attendee_tab_makes_questions_in_one_click(
    qtbot: Any, dealer_sqlite: Database, tmp_path: Path
) -> None:
    from tests.unit.test_signups_import import FIX

    ev = make_event(dealer_sqlite, capacity=None)
    with app_context(dealer_sqlite, tmp_path) as ctx:
        panel = AttendeesPanel(ctx, ev)
        qtbot.addWidget(panel)
        dlg = panel.import_signups()
        with qtbot.waitSignal(dlg.previewed, timeout=10000):
            dlg.choose(FIX / "wjx_open_day.xlsx")
        assert "If imported:" in dlg.summary.text() and "7 registered" in dlg.summary.text()
        assert dlg.cand_list.count() == 2, "您感兴趣的活动环节 and 其他想说的"
        assert reg.list_registrations(dealer_sqlite, ev) == [], "a preview writes nothing"
        with qtbot.waitSignal(dlg.previewed, timeout=10000):
            dlg.make_questions()
        assert dlg.cand_list.count() == 0 and "Questions answered by the file" in dlg.summary.text()
        with qtbot.waitSignal(dlg.imported, timeout=10000):
            dlg.import_btn.click()
        qtbot.waitUntil(lambda: panel.model.rowCount() == 7)
        assert panel.model.columnCount() == len(HEADERS) + 2, "a column per new question"
    keys = [q.key for q in questions.list_questions(dealer_sqlite, ev)]
    got = {v.name: v.answers for v in reg.list_registrations(dealer_sqlite, ev)}
    assert got["张伟"][keys[0]] == ["试驾体验"]
