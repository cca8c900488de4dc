"""The full-screen check-in desk: scan anywhere, a huge result, live counters, keyboard only.

Keys: scanner anywhere · F3/Ctrl+F search (↓ or Enter to the list, Enter checks in) ·
F2 walk-in · Ctrl+Z undo last check-in · F4 check-out mode (club drives) · F6 camera ·
Alt+A admit from waitlist · Alt+O override the check-in window · F7 the guest shown wants no
more marketing (consent withdrawn at the desk) · Esc leave (confirmed).

Scans (and undo, admit, override) run on the app's single write thread, in order: on a
busy machine a scan's commit measured 20–130 ms (fsync, benchmarks/bench_desk_gui.py),
far over one 16 ms frame, so the UI thread never waits on the disk. The worker hop adds
well under a millisecond; the panel repaints at once when the outcome is back, and the
counters query (read pool) starts only after that paint.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from desktop_app.domain.errors import PaddockError
from desktop_app.services import checkin, consent, events, gifts
from ui.badge_printer import BadgePrinter
from ui.camera import CameraScanner, camera_available
from ui.context import AppContext
from ui.sounds import DeskSounds
from ui.views.desk_extras import DeskExtras
from ui.widgets.confirm import ask
from ui.widgets.counters import CountersWidget
from ui.widgets.desk_search import DeskSearch
from ui.widgets.result_panel import ResultPanel
from ui.widgets.result_words import outcome_content
from ui.widgets.scanner_input import ScannerFilter, ScannerSettings
from ui.widgets.short_button import ShortButton
from ui.widgets.short_title import ShortTitle
from ui.workers import submit

# What the desk did, one line each, no personal data (what support reads first; the
# end-to-end tests wait on these lines instead of guessing how long the desk takes)
log = logging.getLogger("paddock.desk")
MIN_SCALE = 0.6  # the chrome's smallest scale (fonts keep a readable floor)


class DeskView(QWidget):
    """One desk for one or several events of today. `closed` when staff leaves the desk."""

    closed = Signal()
    outcome_shown = Signal(object)  # the ScanOutcome on the panel
    gift_handed = Signal(object)  # issue 14: gifts.HandResult after G
    counts_updated = Signal(object)  # DeskCounts

    def __init__(
        self,
        ctx: AppContext,
        event_ids: Sequence[uuid.UUID],
        desk: str,
        staff_id: uuid.UUID | None = None,
        *,
        staff_name: str = "",
        badge_printer: BadgePrinter | None = None,
        clock: Callable[[], float] | None = None,
        sounds: DeskSounds | None = None,
        confirm: Callable[[str, str], bool] | None = None,
        ask_feedback: bool | None = None,
    ) -> None:
        super().__init__()
        self.setObjectName("deskView")
        # the quick feedback form at check-out (issue 7); a per-desk setting
        self.ask_feedback = (
            ask_feedback
            if ask_feedback is not None
            else str(ctx.settings.value("desk/feedback_at_checkout", "true")).lower() == "true"
        )
        self.ctx = ctx
        self.db = ctx.db
        self.event_ids = list(event_ids)
        self.events = [events.get_event(self.db, e) for e in self.event_ids]
        self.desk = desk
        self.staff_id = staff_id
        self.badge_printer = badge_printer
        self.sounds = sounds or DeskSounds(self)
        self.confirm = confirm or (lambda title, text: ask(self, title, text))
        self.checkout_mode = False
        self.last_outcome: Any = None
        self.undo_stack: list[Any] = []
        self.pending: list[str] = []
        self._counts_due = False
        self.in_flight = 0  # scans sent to the write thread, not answered yet
        self.is_drive = any(e.type == "club_drive" for e in self.events)
        self.setWindowTitle(self.tr("Check-in desk %1").replace("%1", desk))

        self.scanner = ScannerFilter(
            self, settings=ScannerSettings.load(ctx.settings), **({"clock": clock} if clock else {})
        )
        self.scanner.scanned.connect(self.on_scanned)
        self.scanner.input_method_burst.connect(self._scan_went_into_input_method)
        self.camera = CameraScanner(ctx.pool, self)
        self.camera.decoded.connect(self.on_scanned)
        self._drain = QTimer(self)
        self._drain.setInterval(100)
        self._drain.timeout.connect(self._drain_pending)
        self._counts_timer = QTimer(self)
        self._counts_timer.setSingleShot(True)
        self._counts_timer.setInterval(300)
        self._counts_timer.timeout.connect(self._counts_tick)

        self._build(staff_name)
        self._shortcuts()
        self.refresh_counts()

    # ------------------------------------------------------------------ layout
    def _build(self, staff_name: str) -> None:
        titles = " + ".join(e.title for e in self.events)
        self.header = ShortTitle(titles)  # at most two lines: the panel keeps its height
        self.header.setObjectName("deskHeader")
        who = self.tr("Desk %1").replace("%1", self.desk)
        if staff_name:
            who += " · " + staff_name
        self.desk_label = QLabel(who)
        self.desk_label.setObjectName("deskLabel")
        self.mode_label = QLabel()
        self.mode_label.setObjectName("modeLabel")
        top = QHBoxLayout()
        top.addWidget(self.header, 1)
        top.addWidget(self.mode_label)
        top.addSpacing(16)
        top.addWidget(self.desk_label)
        self._top = top  # the consent button and its notice join it in _build

        self.counters = CountersWidget()
        self.panel = ResultPanel()
        self.owed_line = self.panel.add_line("owed")  # issue 15: "还需缴纳 ¥180"
        self.panel.painted.connect(self._after_paint)
        self.panel.admit_requested.connect(self.admit_last)
        self.panel.override_requested.connect(self.override_last)
        self.panel.typed.connect(self._type_into_search)

        self.extras = DeskExtras(self)  # issue 14: desk questions, gifts, approve and admit

        self.side = DeskSearch(self.db, self.ctx.pool, self.event_ids)
        self.side.chosen.connect(self._chosen_in_search)
        self.search, self.results = self.side.field, self.side.results  # tests drive these

        middle = QHBoxLayout()
        middle.addWidget(self.panel, 3)
        middle.addWidget(self.side, 1)

        self.walkin_button = QPushButton(self.tr("Walk-in (F2)"))
        # long captions full screen, short ones in a narrow window (ShortButton)
        self.undo_button = ShortButton(
            self.tr("Undo last check-in (Ctrl+Z)"), self.tr("Undo (Ctrl+Z)")
        )
        self.checkout_button = ShortButton(
            self.tr("Check-out mode (F4)"), self.tr("Check-out (F4)")
        )
        self.checkout_button.setCheckable(True)
        self.checkout_button.setVisible(self.is_drive)
        self.camera_button = QPushButton(self.tr("Camera (F6)"))
        self.camera_button.setCheckable(True)
        self.camera_button.setVisible(camera_available())
        self.leave_button = ShortButton(self.tr("Leave desk (Esc)"), self.tr("Leave (Esc)"))
        # issue 18: a guest who says "no more marketing" at the desk (the last one shown)
        self.no_marketing_button = ShortButton(
            self.tr("No more marketing (F7)"), self.tr("No marketing (F7)")
        )
        self.no_marketing_button.setEnabled(False)
        self.no_marketing_button.clicked.connect(self.withdraw_consent_last)
        self.notice = QLabel()
        self.notice.setObjectName("deskNotice")
        self.notice.setWordWrap(True)
        self._top.insertWidget(1, self.notice)
        self._top.addWidget(self.no_marketing_button)
        self.walkin_button.clicked.connect(self.open_walkin)
        self.undo_button.clicked.connect(self.undo_last)
        self.checkout_button.toggled.connect(self.set_checkout_mode)
        self.camera_button.toggled.connect(self.toggle_camera)
        self.leave_button.clicked.connect(self.leave)
        bottom = QHBoxLayout()
        for b in (self.walkin_button, self.undo_button, self.checkout_button, self.camera_button):
            bottom.addWidget(b)
        bottom.addStretch(1)
        bottom.addWidget(self.leave_button)

        col = QVBoxLayout(self)
        col.setContentsMargins(16, 12, 16, 12)
        col.addLayout(top)
        col.addWidget(self.counters)
        col.addLayout(middle, 1)
        col.addLayout(bottom)
        self._update_mode_label()

    def _shortcuts(self) -> None:
        for keys, slot in (
            ("F2", self.open_walkin),
            ("Ctrl+Z", self.undo_last),
            ("F3", self.side.focus_field),
            ("Ctrl+F", self.side.focus_field),
            ("F4", lambda: self.checkout_button.isVisible() and self.checkout_button.toggle()),
            ("F6", lambda: self.camera_button.isVisible() and self.camera_button.toggle()),
            ("F7", self.withdraw_consent_last),
            ("Esc", self._escape),
        ):
            sc = QShortcut(QKeySequence(keys), self)
            sc.setContext(Qt.ShortcutContext.WindowShortcut)
            sc.activated.connect(slot)

    def resizeEvent(self, event: Any) -> None:  # Qt override
        super().resizeEvent(event)
        # 1.0 at 1366×768; bigger screens get bigger words, a small window (600×500
        # beside a spreadsheet) smaller chrome so the result panel keeps the height
        k = round(max(MIN_SCALE, min(self.height() / 768, self.width() / 1024)), 2)
        if getattr(self, "_scale", None) == k:
            return
        self._scale = k

        def px(size: int, floor: int = 13) -> int:
            return max(floor, int(size * k))

        self.counters.set_scale(k)
        self.setStyleSheet(
            "#deskView { background: #eceff1; }"
            f"#deskHeader {{ font-size: {px(22, 16)}px; font-weight: bold; color: #102027; }}"
            f"#deskLabel {{ font-size: {px(18, 14)}px; color: #37474f; }}"
            f"#modeLabel {{ font-size: {px(18, 14)}px; font-weight: bold; color: #0b57d0; }}"
            f"#deskView QPushButton {{ font-size: {px(16, 14)}px; padding: {px(6, 4)}px {px(14, 8)}px;"
            f" min-height: {px(30, 24)}px; }}"
            f"#deskView QLineEdit, #deskView QListWidget {{ font-size: {px(17, 14)}px; }}"
            f"#deskView QLabel#listCaption {{ font-size: {px(14)}px; color: #37474f; }}"
        )

    # ------------------------------------------------------------------ lifecycle
    def showEvent(self, event: Any) -> None:  # Qt override
        super().showEvent(event)
        if not self.scanner.active:
            self.scanner.attach(self)
            self.listen()
            log.info("desk %s: listening for scans", self.desk)

    def listen(self) -> None:
        """Focus on the result panel, the widget that takes no input-method input: what
        the desk holds while it waits for a scan (docs/checkin-desk.md)."""
        self.panel.setFocus(Qt.FocusReason.OtherFocusReason)

    def _type_into_search(self, text: str) -> None:
        """A person typed on the idle desk: the letters start a search."""
        self.side.field.setFocus(Qt.FocusReason.OtherFocusReason)
        self.side.field.insert(text)

    def _chosen_in_search(self, code: str) -> None:
        """Enter on a search result or on a code typed into the search: check in, then
        listen for the next scan with an empty search."""
        self.process_code(code)
        self.side.field.clear()
        self.listen()

    def _scan_went_into_input_method(self, typed: str) -> None:
        """A scanner typed into a field while a Chinese input method composed pinyin: the
        code is lost (its letters became Chinese). Say so, and listen again."""
        QGuiApplication.inputMethod().reset()
        if self.side.field.hasFocus():
            self.side.field.clear()
        self.listen()
        log.info("desk %s: a scan went into the input method; listening again", self.desk)
        self.sounds.play("error")
        self.panel.show_message(
            self.tr("Scan again"),
            self.tr(
                "That scan went into the Chinese input method (it typed “%1”). "
                "The desk is listening again: scan the ticket once more."
            ).replace("%1", typed[:24]),
            cls="warning",
        )

    def closeEvent(self, event: QCloseEvent) -> None:  # Qt override
        self.scanner.detach()
        self.camera.stop()
        self._drain.stop()
        super().closeEvent(event)
        self.closed.emit()

    def _escape(self) -> None:
        if self.extras.cancel():  # a desk question was being asked: give it up
            return
        if self.search.hasFocus() or self.results.hasFocus():
            self.search.clear()  # back to scanning; a second Esc leaves the desk
            self.listen()
            return
        self.leave()

    def leave(self) -> None:
        if self.confirm(self.tr("Leave the desk"), self.tr("Leave the check-in desk?")):
            self.close()

    # ------------------------------------------------------------------ scanning
    def _blocked(self) -> bool:
        return (
            QApplication.activeModalWidget() is not None
            or QApplication.activePopupWidget() is not None
        )

    def on_scanned(self, code: str) -> None:
        """A scanner or camera read `code`. Held back while a dialog or menu is open."""
        if self._blocked():
            self.pending.append(code)
            self._drain.start()
            return
        self.process_code(code)

    def _drain_pending(self) -> None:
        if self._blocked():
            return
        self._drain.stop()
        queued, self.pending = self.pending, []
        for code in queued:
            self.process_code(code)

    def process_code(
        self, code: str, *, override: bool = False, answers: dict[str, Any] | None = None
    ) -> None:
        """Check in (or out) one code on the write thread; the outcome shows when it is back.
        `answers` answer the event's desk questions (asked after a needs_answers)."""
        action = "check_out" if self.checkout_mode else "check_in"
        nonce = uuid.uuid4()  # made here: a retried write is stored once
        self._run(
            lambda: checkin.scan(
                self.db,
                self.event_ids,
                code,
                desk=self.desk,
                staff_id=self.staff_id,
                nonce=nonce,
                override_window=override,
                action=action,
                answers=answers,
            ),
            lambda o: self.show_outcome(
                o, retry=lambda a: self.process_code(code, override=override, answers=a)
            ),
        )

    def _run(
        self,
        call: Callable[[], Any],
        done: Callable[[Any], None] | None = None,
        refused: Callable[[BaseException], bool] | None = None,
    ) -> None:
        """Writes go through the single write thread, in order; the UI never waits on disk.
        `refused(exc)` may handle a refusal itself (True) before the panel says it."""
        self.in_flight += 1

        def finished(result: Any) -> None:
            self.in_flight -= 1
            if isValid(self.panel):
                (done or self.show_outcome)(result)

        def failed(exc: BaseException) -> None:
            if refused is not None and isValid(self.panel) and refused(exc):
                self.in_flight -= 1
                return
            self._failed(exc)

        submit(self.ctx.write_pool, call, finished, failed)

    def _failed(self, exc: BaseException) -> None:
        self.in_flight -= 1
        if not isValid(self.panel):
            return
        self.sounds.play("error")
        text = exc.localized(self.ctx.language) if isinstance(exc, PaddockError) else str(exc)
        self.panel.show_message(self.tr("Not done"), text, cls="error")
        self.panel.repaint()

    def show_outcome(self, o: Any, retry: Callable[[dict[str, Any]], None] | None = None) -> None:
        """Put an outcome on the panel. `retry(answers)` sends the same action again with
        the desk questions' answers (needs_answers: the panel asks them first)."""
        self.last_outcome = o
        log.info("desk %s: %s %s", self.desk, o.action, o.result)
        self.no_marketing_button.setEnabled(getattr(o, "person_id", None) is not None)
        self.notice.clear()
        content = outcome_content(o, several_events=len(self.event_ids) > 1)
        self.panel.show_content(content)
        self.panel.set_line(self.owed_line, str(content.extra.get("owed", "")))  # issue 15
        if retry is None and o.result == "needs_answers" and o.registration_id is not None:
            rid = o.registration_id  # e.g. a walk-in: the registration is there, check it in
            retry = lambda a: self._run(  # noqa: E731
                lambda: checkin.manual_check_in(
                    self.db, self.event_ids, rid, desk=self.desk, staff_id=self.staff_id,
                    override_window=True, answers=a,
                ),
                lambda out: self.show_outcome(out, retry=retry),
            )  # fmt: skip
        self.extras.after_outcome(o, retry)
        self.sounds.play(o.result)
        if o.result == "accepted" and o.action in ("check_in", "manual_check_in"):
            self.undo_stack.append(o)
            if self.badge_printer is not None:
                printer = self.badge_printer
                submit(self.ctx.pool, lambda: printer.print_outcome(o))
        if o.result == "waitlisted" and o.seats_free:
            self.panel.admit_button.setFocus()
        if (
            self.ask_feedback
            and o.result == "accepted"
            and o.action == "check_out"
            and o.registration_id
        ):
            from ui.views.feedback_form import open_feedback_form

            open_feedback_form(self, self.ctx, o.registration_id, o.name)
        self.outcome_shown.emit(o)
        # paint the answer now; the counters query waits until the panel is on screen
        self._counts_due = True
        self.panel.repaint()
        self.side.refresh()

    # ------------------------------------------------------------------ actions
    def withdraw_consent_last(self) -> None:
        """The guest just shown withdraws marketing consent (recorded as method "desk")."""
        o = self.last_outcome
        if o is None or getattr(o, "person_id", None) is None:
            return
        name = o.name or ""
        question = self.tr("%1 no longer wants marketing calls or messages?").replace("%1", name)
        if not self.confirm(self.tr("No more marketing"), question):
            return
        db, pid, desk = self.db, o.person_id, self.desk

        def done(state: Any) -> None:
            said = (
                self.tr("Marketing consent withdrawn for %1.")
                if getattr(state, "changed", True)
                else self.tr("%1 had not agreed to marketing: they stay off every call list.")
            )
            self.notice.setText(said.replace("%1", name))

        self._run(
            lambda: consent.set_consent(db, pid, "marketing", False, "desk", source=desk), done
        )

    def admit_last(self) -> None:
        o = self.last_outcome
        if o is None or o.result != "waitlisted" or o.registration_id is None:
            return

        def admit(answers: dict[str, Any] | None = None) -> None:
            self._run(
                lambda: checkin.admit_waitlisted(
                    self.db,
                    self.event_ids,
                    o.registration_id,
                    desk=self.desk,
                    staff_id=self.staff_id,
                    answers=answers,
                ),
                lambda out: self.show_outcome(out, retry=admit),
            )

        admit()

    def override_last(self) -> None:
        o = self.last_outcome
        if o is None or o.result != "not_open":
            return
        text = self.tr("Check-in is not open now. Check %1 in anyway?").replace("%1", o.name or "")
        if self.confirm(self.tr("Override the check-in window"), text):
            code = str(o.registration_id) if o.registration_id else (o.raw_code or "")
            self.process_code(code, override=True)

    def undo_last(self) -> None:
        """Ctrl+Z: undo this desk's last check-in. Gifts handed go back to stock, so when
        there are some the desk first asks, naming them: the clerk takes them back."""
        if not self.undo_stack:
            self.panel.show_message(self.tr("Nothing to undo"))
            return
        o = self.undo_stack.pop()
        db, rid = self.db, o.registration_id
        submit(self.ctx.pool, lambda: gifts.held_by(db, rid), lambda held: self._undo(o, held))

    def _take_back(self, items: Sequence[Any]) -> str:
        listed = " · ".join(f"{g.name} × {g.quantity}" for g in items)
        return self.tr("Take back from the guest: %1").replace("%1", listed) if listed else ""

    def _undo(self, o: Any, held: Sequence[Any]) -> None:
        if not isValid(self.panel):
            return
        if held:
            question = (
                self.tr("Undo %1's check-in?\n\n%2\nThe gifts go back to stock.")
                .replace("%1", o.name or "")
                .replace("%2", self._take_back(held))
            )
            if not self.confirm(self.tr("Undo check-in"), question):
                self.undo_stack.append(o)  # kept: Ctrl+Z can still undo it
                self.listen()
                return
        desk, staff_id = self.desk, self.staff_id

        def undone(out: Any) -> None:
            self.last_outcome = None
            if self.extras.gift_for == o.registration_id:
                self.extras.gift_for = None  # G no longer hands this guest's gifts
            back = out.gifts_returned
            self.panel.show_message(
                self.tr("Check-in undone"),
                self.tr("%1 is no longer counted as arrived.").replace("%1", o.name or ""),
                o.name or "",
                cls="warning" if back else "idle",
            )
            self.panel.set_line(self.extras.gift_line, self._take_back(back))
            self.refresh_counts()

        self._run(
            lambda: checkin.undo_checkin(self.db, o.registration_id, desk=desk, staff_id=staff_id),
            undone,
        )

    def set_checkout_mode(self, on: bool) -> None:
        self.checkout_mode = on
        self._update_mode_label()
        self.panel.show_idle(self.tr("Check-out mode — scan returning cars") if on else None)
        self.side.set_checkout_mode(on)

    def _update_mode_label(self) -> None:
        self.mode_label.setText(self.tr("CHECK-OUT") if self.checkout_mode else self.tr("CHECK-IN"))

    def toggle_camera(self, on: bool) -> None:
        if on and not self.camera.start():
            self.camera_button.setChecked(False)
        elif not on:
            self.camera.stop()

    def open_walkin(self) -> None:
        from ui.views.walkin_dialog import WalkinDialog

        dlg = WalkinDialog(self.ctx, self.events, self.desk, self.staff_id, parent=self)
        dlg.checked_in.connect(self.show_outcome)
        dlg.finished.connect(lambda _r: (dlg.deleteLater(), self.listen(), self._drain_pending()))
        self.walkin_dialog = dlg
        dlg.open()

    # ------------------------------------------------------------------ counters
    def _after_paint(self, _serial: int) -> None:
        # at most ~3 counter queries a second, and never before the answer is on screen:
        # in a burst of scans the read would otherwise compete with the next scan's write
        if self._counts_due and not self._counts_timer.isActive():
            self._counts_due = False
            self._counts_timer.start()

    def _counts_tick(self) -> None:
        self._counts_due = False  # this query sees every scan painted so far
        self.refresh_counts()

    def refresh_counts(self) -> None:
        ids, db = list(self.event_ids), self.db

        def timed() -> tuple[Any, float]:
            start = time.perf_counter()
            return checkin.desk_counts(db, ids), time.perf_counter() - start

        submit(self.ctx.pool, timed, self._show_counts)

    def _show_counts(self, answer: tuple[Any, float]) -> None:
        if not isValid(self.counters):
            return  # the desk closed while the query ran
        c, took = answer
        # a big event makes the count slower: keep it to a third of the time at most
        self._counts_timer.setInterval(max(300, int(took * 3000)))
        self.counters.set_counts(
            c.expected,
            c.arrived,
            c.walk_ins,
            c.still_to_come,
            c.still_out if self.is_drive else None,
        )
        self.counts_updated.emit(c)
