"""The event editor's questions, gifts and approval: a new meetup is created with them in
one go; an existing event's question or gift is written at once."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from desktop_app.services import events, gifts, questions
from desktop_app.store.db import Database
from tests.ui.helpers import app_context, plan, type_text
from ui.context import AppContext
from ui.views.event_editor import EventEditor
from ui.views.question_gift_dialogs import GiftDialog, QuestionDialog


@pytest.fixture
def ctx(dealer_sqlite: Database, tmp_path: Path) -> Iterator[AppContext]:
    with app_context(dealer_sqlite, tmp_path) as c:
        yield c


def fill_question(
    dlg: QuestionDialog, label: str, kind: str, choices: str = "", **flags: bool
) -> bool:
    dlg.label.setText(label)
    dlg.type.setCurrentIndex(dlg.type.findData(kind))
    dlg.choices.setText(choices)
    dlg.required.setChecked(flags.get("required", False))
    dlg.at_signup.setChecked(flags.get("at_signup", True))
    dlg.at_desk.setChecked(flags.get("at_desk", False))
    return True


def test_a_new_invite_only_meetup_with_a_desk_question_and_a_gift(
    qtbot: QtBot, ctx: AppContext
) -> None:
    editor = EventEditor(ctx, event_type="city_meetup")
    qtbot.addWidget(editor)
    type_text(qtbot, editor.title_edit, "同城车主会·十二月")
    editor.venue.setText("徐汇展厅")
    editor.capacity.setValue(40)
    editor.approval.setChecked(True)
    editor.questions.dialog_hook = lambda d: fill_question(
        d, "衣服尺码", "choice", "S, M, L, XL", required=True, at_signup=False, at_desk=True
    )
    editor.questions.add()
    editor.questions.dialog_hook = lambda d: fill_question(d, "午餐需要吗", "yes_no")
    editor.questions.add()
    assert editor.questions.table.rowCount() == 2
    assert editor.questions.table.item(0, 5).text() == "desk"

    def gift(d: GiftDialog) -> bool:
        d.name.setText("签到礼·保温杯")
        d.stock.setValue(40)
        d.rule.setCurrentIndex(d.rule.findData("tier"))
        d.tier.setCurrentIndex(d.tier.findData("gold"))
        d.cost.setText("35")
        return True

    editor.gifts.dialog_hook = gift
    editor.gifts.add()
    assert "Gold" in editor.gifts.table.item(0, 4).text()
    with qtbot.waitSignal(editor.saved, timeout=5000):
        editor.save()
    view = editor.result_view
    assert view is not None and view.requires_approval
    qs = questions.list_questions(ctx.db, view.id)
    assert [(q.key, q.at_desk, q.required, q.choices) for q in qs] == [
        ("q1", True, True, ("S", "M", "L", "XL")),
        ("q2", False, False, ()),
    ]
    (g,) = gifts.list_gifts(ctx.db, view.id)
    assert (g.name, g.stock, g.rule, g.rule_value, float(g.cost)) == (
        "签到礼·保温杯", 40, "tier", "gold", 35.0
    )  # fmt: skip


def test_an_existing_events_question_and_gift_are_written_at_once(
    qtbot: QtBot, ctx: AppContext
) -> None:
    eid = plan(ctx.db, "开放日", status="published").id
    editor = EventEditor(ctx, event=events.get_event(ctx.db, eid))
    qtbot.addWidget(editor)

    def q(d: QuestionDialog) -> bool:
        fill_question(d, "Lunch?", "yes_no", required=True)
        d.key.setText("lunch")
        return True

    editor.questions.dialog_hook = q
    editor.questions.add()
    qtbot.waitUntil(lambda: editor.questions.table.rowCount() == 1)
    assert [x.key for x in questions.list_questions(ctx.db, eid)] == ["lunch"]

    def bad(d: QuestionDialog) -> bool:
        fill_question(d, "Size", "choice", "S")  # one option only
        d.accept()
        assert "two options" in d.error.text()
        return False

    editor.questions.dialog_hook = bad
    editor.questions.add()
    editor.gifts.dialog_hook = lambda d: (d.name.setText("伴手礼"), d.stock.setValue(3), True)[-1]
    editor.gifts.add()
    qtbot.waitUntil(lambda: editor.gifts.table.rowCount() == 1)
    editor.gifts.table.selectRow(0)
    editor.gifts.remove()
    qtbot.waitUntil(lambda: editor.gifts.table.rowCount() == 0)
    assert gifts.list_gifts(ctx.db, eid) == []
