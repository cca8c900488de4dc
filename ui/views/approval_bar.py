"""Approve / decline in bulk from the attendee tab (events that require approval).

Approval is where capacity is checked: when the selection needs more seats than are free,
the coordinator chooses — seat everyone over capacity, or let the rest wait on the
waitlist (approved, waiting for a seat). Declining asks for a reason and keeps the record.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QInputDialog,
    QMessageBox,
    QPushButton,
    QWidget,
)

from desktop_app.domain.errors import PaddockError
from desktop_app.services import approval
from desktop_app.services import registration as reg
from ui.context import AppContext
from ui.workers import submit

# What the coordinator answers when approvals exceed the free seats (tests replace `ask`).
SEAT_ALL, WAITLIST_REST, CANCEL = "seat_all", "waitlist", "cancel"


class ApprovalBar(QWidget):
    """`decided(DecisionReport)` after approving or declining; `failed(str)` says why not."""

    decided = Signal(object)
    failed = Signal(str)

    def __init__(
        self,
        ctx: AppContext,
        event_id: uuid.UUID,
        selected: Callable[[], list[reg.RegistrationView]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx, self.event_id, self.selected = ctx, event_id, selected
        self.approve_btn = QPushButton(QCoreApplication.translate("ApprovalBar", "Approve"))
        self.approve_btn.setToolTip(
            QCoreApplication.translate(
                "ApprovalBar", "Give the selected applicants a seat and a ticket"
            )
        )
        self.decline_btn = QPushButton(QCoreApplication.translate("ApprovalBar", "Decline…"))
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.approve_btn)
        lay.addWidget(self.decline_btn)
        self.approve_btn.clicked.connect(lambda: self.approve())
        self.decline_btn.clicked.connect(lambda: self.decline())
        self.ask: Callable[[int, int], str] = self._ask_over_capacity
        self.ask_reason: Callable[[], tuple[str, bool]] = self._ask_reason

    def _pending(self) -> list[reg.RegistrationView]:
        return [r for r in self.selected() if r.status in ("pending", "declined")]

    def approve(self) -> None:
        picked = self._pending()
        if not picked:
            self.failed.emit(
                QCoreApplication.translate(
                    "ApprovalBar", "Select applications awaiting approval first."
                )
            )
            return
        occ = reg.occupancy(self.ctx.db, self.event_id)
        need = sum(1 if occ.unit == "cars" else r.party_size for r in picked)
        over = False
        if occ.free is not None and need > occ.free:
            choice = self.ask(need, occ.free)
            if choice == CANCEL:
                return
            over = choice == SEAT_ALL
        ids = [r.id for r in picked]
        self._write(lambda: approval.approve(self.ctx.db, ids, over_capacity=over))

    def decline(self) -> None:
        picked = [r for r in self.selected() if r.status == "pending"]
        if not picked:
            self.failed.emit(
                QCoreApplication.translate(
                    "ApprovalBar", "Select applications awaiting approval first."
                )
            )
            return
        reason, ok = self.ask_reason()
        if not ok:
            return
        if not reason.strip():
            self.failed.emit(
                QCoreApplication.translate(
                    "ApprovalBar", "Say why they are declined (the reason is kept)."
                )
            )
            return
        ids = [r.id for r in picked]
        self._write(lambda: approval.decline(self.ctx.db, ids, reason))

    def _ask_over_capacity(self, need: int, free: int) -> str:
        box = QMessageBox(self)
        box.setWindowTitle(QCoreApplication.translate("ApprovalBar", "Not enough seats"))
        box.setText(
            QCoreApplication.translate(
                "ApprovalBar", "The selection needs {need} seats; {free} are free."
            )
            .replace("{need}", str(need))
            .replace("{free}", str(free))
        )
        seat = box.addButton(
            QCoreApplication.translate("ApprovalBar", "Seat them all (over capacity)"),
            QMessageBox.ButtonRole.YesRole,
        )
        wait = box.addButton(
            QCoreApplication.translate("ApprovalBar", "Waitlist the rest"),
            QMessageBox.ButtonRole.NoRole,
        )
        box.addButton(
            QCoreApplication.translate("ApprovalBar", "Cancel"), QMessageBox.ButtonRole.RejectRole
        )
        box.exec()
        clicked = box.clickedButton()
        return SEAT_ALL if clicked is seat else WAITLIST_REST if clicked is wait else CANCEL

    def _ask_reason(self) -> tuple[str, bool]:
        return QInputDialog.getText(
            self,
            QCoreApplication.translate("ApprovalBar", "Decline"),
            QCoreApplication.translate("ApprovalBar", "Reason (kept with the record)"),
        )

    def _write(self, fn: Callable[[], Any]) -> None:
        self.approve_btn.setEnabled(False)
        self.decline_btn.setEnabled(False)
        submit(self.ctx.write_pool, fn, self._done, self._error)

    def _done(self, rep: approval.DecisionReport) -> None:
        self.approve_btn.setEnabled(True)
        self.decline_btn.setEnabled(True)
        self.decided.emit(rep)

    def _error(self, exc: BaseException) -> None:
        self.approve_btn.setEnabled(True)
        self.decline_btn.setEnabled(True)
        self.failed.emit(
            exc.localized(self.ctx.language) if isinstance(exc, PaddockError) else str(exc)
        )


def decision_text(rep: approval.DecisionReport, lang: str) -> str:
    """One line for the attendee tab: how many got a seat, waited, were declined, skipped."""
    parts = []
    for key, text in (
        ("registered", QCoreApplication.translate("ApprovalBar", "{n} approved with a ticket")),
        (
            "waitlisted",
            QCoreApplication.translate(
                "ApprovalBar", "{n} approved onto the waitlist (no seat free)"
            ),
        ),
        ("declined", QCoreApplication.translate("ApprovalBar", "{n} declined")),
        ("skipped", QCoreApplication.translate("ApprovalBar", "{n} skipped")),
    ):
        if rep.count(key):
            parts.append(text.replace("{n}", str(rep.count(key))))
    skipped = [f"{d.name}: {d.reason_text(lang)}" for d in rep.items if d.result == "skipped"]
    return " · ".join(parts) + ("\n" + "\n".join(skipped) if skipped else "")
