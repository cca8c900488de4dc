"""The desk's questions, gifts and approvals (issue 14), in the result panel, keyboard only.

- A scan whose required desk questions are unanswered comes back needs_answers (nothing
  written). The panel asks each unanswered desk question in turn: yes/no with Y / N,
  a choice with its number, several choices with their numbers then Enter, a number,
  date or text in a field in the panel (Enter). Esc gives up (still nothing written).
  With every answer the same check-in is sent again, answers included.
- An accepted check-in with a gift due says which to hand over (and how many are left,
  "only 3 left", or "no gift left"); G confirms it was handed.
- A pending applicant found by search says so; staff who may approve press P to approve
  and admit (a full event asks first).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLineEdit

from desktop_app.domain.errors import PaddockError
from desktop_app.domain.roles import Permission
from desktop_app.services import approval, auth, gifts
from ui import labels

Retry = Callable[[dict[str, Any]], None]
log = logging.getLogger("paddock.desk")  # the desk's own log lines (ui/views/desk.py)
GIFT_KEY, APPROVE_KEY = Qt.Key.Key_G, Qt.Key.Key_P


class DeskExtras(QObject):
    """Owned by the DeskView; watches its result panel's keys while something is asked."""

    def __init__(self, desk: Any) -> None:
        super().__init__(desk)
        self.desk = desk
        self.panel = desk.panel
        self.question_line = self.panel.add_line("question")
        self.hint_line = self.panel.add_line("hint")
        self.gift_line = self.panel.add_line("gift")
        self.field = QLineEdit(self.panel)  # number / date / text answers (input method OK)
        self.field.setObjectName("answerField")
        self.field.setMinimumHeight(40)
        self.field.hide()
        self.panel.words.insertWidget(self.panel.words.indexOf(self.hint_line), self.field)
        self.field.returnPressed.connect(self._field_entered)
        self.field.installEventFilter(self)
        self.panel.installEventFilter(self)
        # what is being asked
        self.queue: list[dict[str, Any]] = []
        self.answers: dict[str, Any] = {}
        self.ticked: list[str] = []
        self.retry: Retry | None = None
        # what the last outcome offers
        self.gift_for: Any = None  # registration id with gifts due
        self.approve_for: Any = None  # a pending / declined outcome staff may approve

    @property
    def asking(self) -> bool:
        return self.retry is not None

    # ------------------------------------------------------------------ outcomes
    def after_outcome(self, o: Any, retry: Retry | None) -> None:
        """Called by the desk after each outcome is on the panel."""
        self._stop_asking()
        self.gift_for = self.approve_for = None
        if o.result == "needs_answers" and retry is not None:
            self.ask(o, retry)
            return
        if o.result in ("accepted", "already_checked_in") and o.action != "check_out" and o.gifts:
            self._show_gifts(o)
        if o.result in ("pending", "declined") and o.registration_id is not None:
            self._offer_approval(o)

    def ask(self, o: Any, retry: Retry) -> None:
        self.queue = [q for q in o.questions if q.get("answer") is None]
        self.answers = {}
        self.retry = retry
        self._next()

    def cancel(self) -> bool:
        """Esc while asking: give up (nothing was written). True if something was cancelled."""
        if not self.asking:
            return False
        log.info("desk %s: the desk question was given up", self.desk.desk)
        self._stop_asking()
        self.panel.show_message(
            self.tr("Check-in not finished"),
            self.tr("The question was not answered; nothing was written. Scan again to restart."),
            cls="warning",
        )
        self.desk.listen()
        return True

    def _stop_asking(self) -> None:
        self.retry = None
        self.queue, self.ticked = [], []
        self.field.hide()
        self.field.clear()

    # ------------------------------------------------------------------ questions
    def _next(self) -> None:
        if not self.queue:
            retry, answers = self.retry, dict(self.answers)
            self._stop_asking()
            self.panel.set_line(self.question_line, "")
            self.panel.set_line(self.hint_line, self.tr("Checking in…"))
            if retry is not None:
                retry(answers)
            return
        q = self.queue[0]
        self.ticked = []
        typed = q["type"] in ("text", "number", "date")
        self.field.setVisible(typed)
        self.field.clear()
        if typed:
            self.field.setPlaceholderText(
                "2026-05-01" if q["type"] == "date" else self.tr("type the answer, then Enter")
            )
            self.field.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            self.panel.setFocus(Qt.FocusReason.OtherFocusReason)
        self._render()

    def _render(self) -> None:
        q = self.queue[0]
        title = q["label"] + (" *" if q.get("required") else "")
        t = q["type"]
        if t == "yes_no":
            keys = (
                self.tr("Y = %1   ·   N = %2")
                .replace("%1", labels.answer_text("yes_no", True))
                .replace("%2", labels.answer_text("yes_no", False))
            )
        elif t in ("choice", "multi"):
            marks = [
                f"{i}{' ✓' if c in self.ticked else ''} {c}"
                for i, c in enumerate(q["choices"], start=1)
            ]
            keys = "   ·   ".join(marks)
        else:
            keys = ""
        self.panel.set_line(self.question_line, f"{title}\n{keys}".strip())
        hint = []
        if t == "multi":
            hint.append(self.tr("Press the numbers to tick, then Enter."))
        if not q.get("required"):
            hint.append(self.tr("Enter skips this question."))
        hint.append(self.tr("Esc: do not check in."))
        left = len(self.queue) - 1
        if left:
            hint.append(self.tr("%1 more question(s) after this one.").replace("%1", str(left)))
        self.panel.set_line(self.hint_line, "  ".join(hint))

    def _answer(self, value: Any) -> None:
        q = self.queue.pop(0)
        if value not in (None, "", []):
            self.answers[q["key"]] = value
        self._next()

    def _key(self, e: QKeyEvent) -> bool:
        """A key pressed on the panel while asking; True when it was the answer's."""
        q = self.queue[0]
        key, text = e.key(), e.text().lower()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if q["type"] == "multi" and self.ticked:
                self._answer(list(self.ticked))
            elif not q.get("required"):
                self._answer(None)
            return True
        if q["type"] == "yes_no" and text in ("y", "n", "1", "2"):
            self._answer(text in ("y", "1"))
            return True
        if q["type"] in ("choice", "multi") and text.isdigit() and text != "0":
            i = int(text) - 1
            if i < len(q["choices"]):
                choice = q["choices"][i]
                if q["type"] == "choice":
                    self._answer(choice)
                elif choice in self.ticked:
                    self.ticked.remove(choice)
                    self._render()
                else:
                    self.ticked.append(choice)
                    self._render()
            return True
        return bool(text)  # other letters do nothing while a question waits

    def _field_entered(self) -> None:
        if not self.asking or not self.queue:
            return
        text = self.field.text().strip()
        if not text and self.queue[0].get("required"):
            return
        self.field.hide()
        self.desk.listen()
        self._answer(text or None)

    # ------------------------------------------------------------------ gifts
    def _show_gifts(self, o: Any) -> None:
        parts = []
        due = False
        for g in o.gifts:
            if g.none_left:
                parts.append(self.tr("No gift left: %1").replace("%1", g.name))
                continue
            due = True
            text = (
                self.tr("Hand over: %1 × %2").replace("%1", g.name).replace("%2", str(g.quantity))
            )
            left = max(g.left - g.quantity, 0)
            if g.low or left <= 3:  # running low: say it louder
                text += " " + self.tr("(only %1 left after this)").replace("%1", str(left))
            else:
                text += " " + self.tr("(%1 left after this)").replace("%1", str(left))
            parts.append(text)
        if due:
            parts.append(self.tr("Press G when handed."))
            self.gift_for = o.registration_id
        self.panel.set_line(self.gift_line, "\n".join(parts))

    def hand_gift(self) -> None:
        rid = self.gift_for
        if rid is None:
            return
        self.gift_for = None
        db, desk, staff = self.desk.db, self.desk.desk, self.desk.staff_id
        self.panel.set_line(self.gift_line, self.tr("Handing over…"))
        self.desk._run(lambda: gifts.hand(db, rid, desk=desk, staff_id=staff), self._handed)

    def _handed(self, res: gifts.HandResult) -> None:
        lines = []
        for i in res.items:
            if i.result == gifts.HANDED:
                lines.append(
                    self.tr("✓ %1 × %2 handed (%3 left)")
                    .replace("%1", i.name)
                    .replace("%2", str(i.quantity))
                    .replace("%3", str(i.left))
                )
            elif i.result == gifts.NO_GIFT_LEFT:
                lines.append(self.tr("No gift left: %1").replace("%1", i.name))
            elif i.result == gifts.ALREADY_HANDED:
                lines.append(self.tr("%1 was already handed").replace("%1", i.name))
        if res.result == gifts.NOT_CHECKED_IN:
            lines.append(self.tr("Not checked in: no gift"))
        self.panel.set_line(self.gift_line, "\n".join(lines))
        self.desk.gift_handed.emit(res)

    # ------------------------------------------------------------------ approval
    def _offer_approval(self, o: Any) -> None:
        if not auth.can(self.desk.db, Permission.APPROVE):
            self.panel.set_line(self.hint_line, self.tr("Ask a coordinator to approve."))
            return
        self.approve_for = o
        self.panel.set_line(self.hint_line, self.tr("Press P to approve and admit."))

    def approve_and_admit(self, answers: dict[str, Any] | None = None, over: bool = False) -> None:
        o = self.approve_for
        if o is None:
            return
        d = self.desk
        ids, rid = list(d.event_ids), o.registration_id

        def run(ans: dict[str, Any] | None = None, over_capacity: bool = over) -> None:
            d._run(
                lambda: approval.approve_and_admit(
                    d.db, ids, rid, desk=d.desk, staff_id=d.staff_id,
                    over_capacity=over_capacity, answers=ans,
                ),
                lambda out: d.show_outcome(out, retry=lambda a: run(a, over_capacity)),
                lambda exc: self._approve_refused(exc, run, ans),
            )  # fmt: skip

        run(answers)

    def _approve_refused(self, exc: BaseException, run: Callable[..., None], answers: Any) -> bool:
        """A full event: ask whether to seat them anyway (True: the refusal was handled)."""
        if isinstance(exc, PaddockError) and exc.code == "no_seats_free":
            if self.desk.confirm(
                self.tr("No seats free"), self.tr("The event is full. Approve and admit anyway?")
            ):
                run(answers, True)
            return True
        return False

    # ------------------------------------------------------------------ keys
    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # Qt override
        if event.type() != QEvent.Type.KeyPress:
            return False
        e: QKeyEvent = event  # type: ignore[assignment]
        if obj is self.field:
            if e.key() == Qt.Key.Key_Escape and self.asking:
                self.cancel()
                return True
            return False
        if self.asking and self.queue and not self.field.isVisible():
            return self._key(e)
        plain = not (
            e.modifiers()
            & (
                Qt.KeyboardModifier.ControlModifier
                | Qt.KeyboardModifier.AltModifier
                | Qt.KeyboardModifier.MetaModifier
            )
        )
        if plain and e.key() == GIFT_KEY and self.gift_for is not None:
            self.hand_gift()
            return True
        if plain and e.key() == APPROVE_KEY and self.approve_for is not None:
            self.approve_and_admit()
            return True
        return False
