"""The desk in a 600×500 window beside a spreadsheet, at a club drive with fees, a
required desk question and a gift: the window really is that small, and the guest's name
and the result stay whole and large enough to read while the question, the gift and the
amount owed are all on the panel."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSize, Qt, QTranslator
from PySide6.QtWidgets import QApplication, QLabel, QPushButton
from pytestqt.qtbot import QtBot

from desktop_app.services import fees, gifts, questions
from desktop_app.services.gifts import GiftDraft
from desktop_app.services.questions import QuestionDraft
from desktop_app.store.db import Database
from tests.ui.desk_support import make_event, register
from tests.ui.helpers import app_context
from tests.ui.test_checkin_desk import assert_nothing_clipped, open_desk
from tests.ui.test_desk_questions_gifts import keys, scanned
from tools.update_translations import QM


@pytest.fixture
def drive(dealer_sqlite: Database) -> Any:
    db = dealer_sqlite
    ev = make_event(db, "莫干山秋色自驾：竹海与民宿一日游", kind="club_drive",
                    details={"max_cars": 20})  # fmt: skip
    questions.add_question(
        db, ev,
        QuestionDraft("lunch", "午餐选择（到场确认）", "choice", ("牛肉面", "素食套餐", "不用餐"),
                      True, False, True),
    )  # fmt: skip
    gifts.add_gift(db, ev, GiftDraft("车友会纪念保温杯", 20, "per_registration", cost="45"))
    fees.add_cost_item(db, ev, "油费", "360", "car")
    return ev


def _readable(panel: Any, name_px: int = 28) -> None:
    """The name and the result's title are whole, inside the panel, and not shrunk away."""
    QApplication.processEvents()
    assert_nothing_clipped(panel)
    box = panel.contentsRect()
    for lab in (panel.title, panel.name):
        assert lab.isVisible() and lab.text()
        assert box.contains(lab.geometry()), f"{lab.objectName()} is out of view"
    assert panel.name.font().pixelSize() >= name_px, "the name stays big"
    assert panel.title.font().pixelSize() >= name_px * 0.8
    assert panel.floor >= 13, "the small lines stay readable"


def test_a_600_by_500_desk_shows_the_name_with_question_gift_and_money_owed(
    qtbot: QtBot, dealer_sqlite: Database, drive: Any, tmp_path: Path
) -> None:
    wang = register(dealer_sqlite, drive, "欧阳思远", "13800000001", party_size=2,
                    plate="沪AD12341")  # fmt: skip
    register(dealer_sqlite, drive, "李娜", "13800000002", plate="沪AD12342")  # ¥180 a car
    with app_context(dealer_sqlite, tmp_path) as ctx:
        desk = open_desk(qtbot, ctx, [drive])
        view, panel = desk.view, desk.view.panel
        assert view.checkout_button.isVisible() and view.no_marketing_button.isVisible()
        view.resize(600, 500)
        qtbot.waitUntil(lambda: view.size() == QSize(600, 500))
        assert view.minimumSizeHint().width() <= 600 and view.minimumSizeHint().height() <= 500
        o = scanned(qtbot, desk, wang.code)
        assert o.result == "needs_answers"
        assert "午餐选择（到场确认） *" in panel.text()
        _readable(panel)
        keys(qtbot, desk, Qt.Key.Key_1)
        qtbot.waitUntil(lambda: view.last_outcome.result == "accepted")
        qtbot.waitUntil(lambda: view.in_flight == 0)
        assert view.size() == QSize(600, 500), "the lines did not grow the window"
        text = panel.text()
        assert "Still to pay ¥180" in text and "Hand over: 车友会纪念保温杯 × 1" in text
        # all three extra lines at once (a question asked again over an accepted result)
        panel.set_line(
            view.extras.question_line, "午餐选择（到场确认） *\n1 牛肉面 · 2 素食套餐 · 3 不用餐"
        )
        _readable(panel, name_px=24)
        for lab in (view.extras.question_line, view.extras.gift_line, view.owed_line):
            assert lab.isVisible()
        # short captions in the narrow window, every one of them whole
        for b in (view.undo_button, view.checkout_button, view.leave_button):
            assert b.text() == b.short and b.width() >= b.minimumSizeHint().width()
        view.resize(1366, 768)
        qtbot.waitUntil(lambda: view.undo_button.text() == "Undo last check-in (Ctrl+Z)")
        view.close()


KEY_NAMES = {"Ctrl", "Esc", "Enter", "Alt", "Shift", "Tab"}


def english_words(text: str) -> list[str]:
    return [w for w in re.findall(r"[A-Za-z]{3,}", text) if w not in KEY_NAMES]


def test_the_small_chinese_desk_has_no_english_left(
    qtbot: QtBot, dealer_sqlite: Database, drive: Any, tmp_path: Path
) -> None:
    translator = QTranslator()
    assert translator.load(str(QM))
    QApplication.instance().installTranslator(translator)  # type: ignore[union-attr]
    try:
        wang = register(dealer_sqlite, drive, "欧阳思远", "13800000001", plate="沪AD12341")
        with app_context(dealer_sqlite, tmp_path, language="zh") as ctx:
            desk = open_desk(qtbot, ctx, [drive])
            view = desk.view
            view.resize(600, 500)
            qtbot.waitUntil(lambda: view.size() == QSize(600, 500))
            scanned(qtbot, desk, wang.code)
            keys(qtbot, desk, Qt.Key.Key_1)
            qtbot.waitUntil(lambda: view.last_outcome.result == "accepted")
            QApplication.processEvents()
            shown = [
                w.text()
                for w in view.findChildren(QLabel) + view.findChildren(QPushButton)
                if w.isVisible() and w.text()
            ]
            left = {t: english_words(t) for t in shown if english_words(t)}
            assert not left, f"English in the Chinese desk: {left}"
            assert view.undo_button.text() == "撤销（Ctrl+Z）"
            assert "还需缴纳" in view.panel.text() and "请发放" in view.panel.text()
            view.close()
    finally:
        QApplication.instance().removeTranslator(translator)  # type: ignore[union-attr]
