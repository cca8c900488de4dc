"""The event editor's questions and gifts (issue 14).

For an event being edited every change is written at once (a question or gift is its own
row); for a new event they are kept here and created with it, in one transaction.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from desktop_app.domain.errors import PaddockError
from desktop_app.services import gifts, questions
from desktop_app.services.gifts import GiftDraft
from desktop_app.services.questions import QuestionDraft
from ui import labels
from ui.context import AppContext
from ui.views.question_gift_dialogs import GiftDialog, QuestionDialog
from ui.workers import submit


def _tr(text: str) -> str:
    return QCoreApplication.translate("EventExtras", text)


def _message(ctx: AppContext, exc: BaseException) -> str:
    return exc.localized(ctx.language) if isinstance(exc, PaddockError) else str(exc)


# --------------------------------------------------------------------------- sections


class _ListSection(QGroupBox):
    """A titled table with Add / Edit / Remove (and Up / Down) under it."""

    changed = Signal()
    columns: tuple[str, ...] = ()

    def __init__(self, title: str, ctx: AppContext, event_id: uuid.UUID | None) -> None:
        super().__init__(title)
        self.ctx, self.event_id = ctx, event_id
        self.table = QTableWidget(0, len(self.columns))
        self.table.setHorizontalHeaderLabels([_tr(c) for c in self.columns])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setMinimumHeight(120)
        self.empty = QLabel(wordWrap=True)
        self.empty.setObjectName("hint")
        self.error = QLabel(wordWrap=True)
        self.error.setStyleSheet("color: #b00020")
        self.add_btn = QPushButton(QCoreApplication.translate("EventExtras", "Add…"))
        self.edit_btn = QPushButton(QCoreApplication.translate("EventExtras", "Edit…"))
        self.remove_btn = QPushButton(QCoreApplication.translate("EventExtras", "Remove"))
        row = QHBoxLayout()
        for b in (self.add_btn, self.edit_btn, self.remove_btn):
            row.addWidget(b)
        self.extra_buttons(row)
        row.addStretch(1)
        lay = QVBoxLayout(self)
        lay.addWidget(self.empty)
        lay.addWidget(self.table)
        lay.addWidget(self.error)
        lay.addLayout(row)
        self.add_btn.clicked.connect(lambda: self.add())
        self.edit_btn.clicked.connect(lambda: self.edit())
        self.remove_btn.clicked.connect(lambda: self.remove())
        self.table.doubleClicked.connect(lambda _i: self.edit())

    def extra_buttons(self, row: QHBoxLayout) -> None:
        return None

    def current(self) -> int:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].row() if rows else -1

    def fill(self, rows: list[tuple[str, ...]]) -> None:
        self.table.setRowCount(len(rows))
        for r, cells in enumerate(rows):
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                self.table.setItem(r, c, item)
        self.table.resizeColumnsToContents()
        self.table.setVisible(bool(rows))
        self.empty.setVisible(not rows)
        for b in (self.edit_btn, self.remove_btn):
            b.setEnabled(bool(rows))

    def _write(self, fn: Callable[[], Any]) -> None:
        self.error.clear()
        submit(self.ctx.write_pool, fn, lambda _r: self.reload(), self._failed)

    def _failed(self, exc: BaseException) -> None:
        self.error.setText(_message(self.ctx, exc))

    # what a section is made of: its rows, the dialog, and the service calls
    items: list[Any]  # the saved event's views, or a new event's drafts

    def drafts(self) -> tuple[Any, ...]:
        return tuple(x.draft() if hasattr(x, "draft") else x for x in self.items)

    def reload(self) -> None:
        raise NotImplementedError

    def ask(self, draft: Any) -> Any:
        """The dialog for one row; the checked draft, or None when cancelled."""
        raise NotImplementedError

    def service(self, verb: str, target: Any, draft: Any = None) -> Any:
        """add (target: event id), update or remove (target: row id), on the saved event."""
        raise NotImplementedError

    def clash(self, draft: Any) -> bool:
        return False

    def add(self) -> None:
        d = self.ask(None)
        if d is None:
            return
        if self.event_id is None:  # a new event: kept here, created with it
            if not self.clash(d):
                self.items.append(d)
                self.reload()
            return
        eid = self.event_id
        self._write(lambda: self.service("add", eid, d))

    def edit(self) -> None:
        i = self.current()
        if i < 0:
            return
        d = self.ask(self.drafts()[i])
        if d is None:
            return
        if self.event_id is None:
            self.items[i] = d
            self.reload()
        else:
            row_id = self.items[i].id
            self._write(lambda: self.service("update", row_id, d))

    def remove(self) -> None:
        i = self.current()
        if i < 0:
            return
        if self.event_id is None:
            del self.items[i]
            self.reload()
        else:
            row_id = self.items[i].id
            self._write(lambda: self.service("remove", row_id))


class QuestionsSection(_ListSection):
    """An event's questions: asked at sign-up, filled from online forms, asked at the desk."""

    columns = (
        QT_TRANSLATE_NOOP("EventExtras", "Question"),
        QT_TRANSLATE_NOOP("EventExtras", "Key"),
        QT_TRANSLATE_NOOP("EventExtras", "Type"),
        QT_TRANSLATE_NOOP("EventExtras", "Options"),
        QT_TRANSLATE_NOOP("EventExtras", "Required"),
        QT_TRANSLATE_NOOP("EventExtras", "Asked"),
    )

    def __init__(self, ctx: AppContext, event_id: uuid.UUID | None) -> None:
        super().__init__(QCoreApplication.translate("EventExtras", "Questions"), ctx, event_id)
        self.empty.setText(
            QCoreApplication.translate(
                "EventExtras",
                "No questions. Add what you need to know: 午餐需要吗, 衣服尺码, 驾照已查验 "
                "(asked at the desk before the check-in completes)…",
            )
        )
        self.items: list[Any] = []  # QuestionView (saved event) or QuestionDraft (new one)
        self.dialog_hook: Callable[[QuestionDialog], bool] | None = None  # tests answer it
        self.reload()

    def extra_buttons(self, row: QHBoxLayout) -> None:
        self.up_btn = QPushButton(QCoreApplication.translate("EventExtras", "Up"))
        self.down_btn = QPushButton(QCoreApplication.translate("EventExtras", "Down"))
        row.addWidget(self.up_btn)
        row.addWidget(self.down_btn)
        self.up_btn.clicked.connect(lambda: self.move(-1))
        self.down_btn.clicked.connect(lambda: self.move(1))

    def reload(self) -> None:
        if self.event_id is not None:
            self.items = questions.list_questions(self.ctx.db, self.event_id)
        rows = []
        for q in self.drafts():
            asked = " + ".join(
                w
                for w, on in (
                    (QCoreApplication.translate("EventExtras", "sign-up"), q.at_signup),
                    (QCoreApplication.translate("EventExtras", "desk"), q.at_desk),
                )
                if on
            )
            rows.append(
                (
                    q.label,
                    q.key,
                    labels.question_type(q.type),
                    " / ".join(q.choices),
                    QCoreApplication.translate("EventExtras", "yes") if q.required else "",
                    asked,
                )
            )
        self.fill(rows)
        self.changed.emit()

    def ask(self, draft: QuestionDraft | None) -> QuestionDraft | None:
        taken = {d.key for d in self.drafts()} - ({draft.key} if draft else set())
        dlg = QuestionDialog(draft, taken, self)
        ok = (
            self.dialog_hook(dlg) if self.dialog_hook else dlg.exec() == QDialog.DialogCode.Accepted
        )
        return questions.check_draft(dlg.draft()) if ok else None

    def service(self, verb: str, target: Any, draft: Any = None) -> Any:
        db = self.ctx.db
        if verb == "add":
            return questions.add_question(db, target, draft)
        if verb == "update":
            return questions.update_question(db, target, draft)
        return questions.remove_question(db, target)

    def clash(self, draft: QuestionDraft) -> bool:
        if draft.key in {x.key for x in self.drafts()}:
            self.error.setText(
                QCoreApplication.translate("EventExtras", "Another question already has this key.")
            )
            return True
        return False

    def move(self, delta: int) -> None:
        i = self.current()
        if i < 0:
            return
        j = max(0, min(len(self.items) - 1, i + delta))
        if self.event_id is None:
            self.items.insert(j, self.items.pop(i))
            self.reload()
        else:
            qid = self.items[i].id
            self._write(lambda: questions.move_question(self.ctx.db, qid, delta))
        self.table.selectRow(j)


class GiftsSection(_ListSection):
    """An event's gifts at the door, with stock left and the rule of who gets one."""

    columns = (
        QT_TRANSLATE_NOOP("EventExtras", "Gift"),
        QT_TRANSLATE_NOOP("EventExtras", "Stock"),
        QT_TRANSLATE_NOOP("EventExtras", "Handed"),
        QT_TRANSLATE_NOOP("EventExtras", "Left"),
        QT_TRANSLATE_NOOP("EventExtras", "Who gets one"),
        QT_TRANSLATE_NOOP("EventExtras", "Cost per item"),
    )

    def __init__(self, ctx: AppContext, event_id: uuid.UUID | None) -> None:
        super().__init__(
            QCoreApplication.translate("EventExtras", "Gifts at the door"), ctx, event_id
        )
        self.empty.setText(
            QCoreApplication.translate(
                "EventExtras",
                "No gifts. 到店礼 / 伴手礼 / 签到礼: the desk says which to hand over and counts the stock.",
            )
        )
        self.items: list[Any] = []  # GiftView (saved event) or GiftDraft (new one)
        self.dialog_hook: Callable[[GiftDialog], bool] | None = None
        self.reload()

    def reload(self) -> None:
        if self.event_id is not None:
            self.items = gifts.list_gifts(self.ctx.db, self.event_id)
        rows = []
        for x in self.items:
            d = x if isinstance(x, GiftDraft) else x.draft()
            handed = 0 if isinstance(x, GiftDraft) else x.handed
            left = d.stock - handed
            low = "  ⚠" if not isinstance(x, GiftDraft) and x.low else ""
            rows.append(
                (
                    d.name,
                    str(d.stock),
                    str(handed),
                    f"{left}{low}",
                    labels.gift_rule(d.rule, d.rule_value),
                    "" if d.cost in (None, "") else f"¥{d.cost}",
                )
            )
        self.fill(rows)
        self.changed.emit()

    def ask(self, draft: GiftDraft | None) -> GiftDraft | None:
        dlg = GiftDialog(draft, self)
        ok = (
            self.dialog_hook(dlg) if self.dialog_hook else dlg.exec() == QDialog.DialogCode.Accepted
        )
        return gifts.check_draft(dlg.draft()) if ok else None

    def service(self, verb: str, target: Any, draft: Any = None) -> Any:
        db = self.ctx.db
        if verb == "add":
            return gifts.add_gift(db, target, draft)
        if verb == "update":
            return gifts.update_gift(db, target, draft)
        return gifts.remove_gift(db, target)
