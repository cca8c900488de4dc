"""Front-desk staff at the door: scan, see an unmistakable answer, keep the queue moving.

Data is seeded through the real services (events, registration, tickets, check-in); scans
are typed into the desk as a keyboard-wedge scanner would, with a fake clock.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop_app.domain import ticket as payload
from desktop_app.domain.timeutil import now_utc, to_local
from desktop_app.io.pdf.badges import LABEL_SIZES
from desktop_app.services import events, registration, staff
from desktop_app.store.db import Database
from tests.checkin_support import ticket_key
from tests.ui.desk_support import (
    PINYIN_SCAN_TEXT,
    FakeClock,
    make_event,
    register,
    reissue,
    scan_into_pinyin,
    scan_keys,
    type_keys,
)
from tests.ui.helpers import app_context
from ui.badge_printer import BadgePrinter
from ui.camera import decode_qr
from ui.sounds import DeskSounds
from ui.views.desk import DeskView


class World:
    def __init__(self, db: Database) -> None:
        self.db = db
        self.event = make_event(db, "冬季开放日", points=50)
        self.other = make_event(db, "十二月会员日直播", starts_at=now_utc() + timedelta(days=9))
        self.li = register(db, self.event, "李娜", "13800138000", party_size=2, plate="沪A·D12345")
        self.wang = register(db, self.event, "王芳", "13912345678")
        self.zhao = register(db, self.event, "赵磊", "15800001111")
        self.elsewhere = register(db, self.other, "陈静", "18612340000")
        self.clerk = staff.create_staff(db, "张伟", "front_desk")


@pytest.fixture
def world(dealer_sqlite: Database) -> World:
    return World(dealer_sqlite)


class Desk:
    """The desk under test plus what the test needs to drive it."""

    def __init__(self, view: DeskView, clock: FakeClock, answers: list[bool]) -> None:
        self.view = view
        self.clock = clock
        self.answers = answers  # what staff answers to confirmations, in order
        self.asked: list[str] = []


def open_desk(qtbot: QtBot, ctx: Any, event_ids: list, staff_id: Any = None, **kw: Any) -> Desk:
    clock = FakeClock()
    answers: list[bool] = []
    holder: dict[str, Desk] = {}

    def confirm(title: str, text: str) -> bool:
        holder["d"].asked.append(text)
        return answers.pop(0) if answers else False

    view = DeskView(
        ctx,
        event_ids,
        "2",
        staff_id,
        staff_name="张伟",
        clock=clock,
        sounds=DeskSounds(enabled=False),
        confirm=confirm,
        **kw,
    )
    qtbot.addWidget(view)
    view.resize(1366, 768)
    view.show()
    qtbot.waitExposed(view)
    view.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is view)  # window shortcuts need it
    desk = Desk(view, clock, answers)
    holder["d"] = desk
    qtbot.waitUntil(lambda: view.counters.values()["expected"] > 0)
    return desk


@pytest.fixture
def desk(qtbot: QtBot, world: World, tmp_path: Path) -> Iterator[Desk]:
    with app_context(world.db, tmp_path) as ctx:
        d = open_desk(qtbot, ctx, [world.event], world.clerk.id)
        yield d
        d.view.close()


def scan(qtbot: QtBot, desk: Desk, code: str, where: Any = None) -> Any:
    before = desk.view.panel.serial
    scan_keys(qtbot, where or desk.view.search, code, desk.clock)
    qtbot.waitUntil(lambda: desk.view.panel.serial > before)
    return desk.view.last_outcome


def counts(qtbot: QtBot, desk: Desk, **expected: int) -> None:
    def match() -> bool:
        got = desk.view.counters.values()
        return all(got[k] == v for k, v in expected.items())

    qtbot.waitUntil(match, timeout=3000)


# --------------------------------------------------------------------------- results
def test_a_registered_guest_is_welcomed_by_name_with_party_and_car(
    qtbot: QtBot, desk: Desk, world: World
) -> None:
    scan(qtbot, desk, world.li.code)
    panel = desk.view.panel
    assert panel.result == "accepted" and panel.cls == "accepted" and panel.symbol_text == "✓"
    assert panel.name.text() == "李娜"
    text = panel.text()
    assert "Welcome" in text and "party of 2" in text and "沪A·D12345" in text
    assert "first visit" in text
    assert re.search(r"Checked in at \d\d:\d\d", text)
    assert desk.view.search.text() == "", "the scan typed nothing into the search field"


def test_a_second_scan_of_the_same_ticket_says_when_and_where_it_was_first_checked_in(
    qtbot: QtBot, desk: Desk, world: World
) -> None:
    first = scan(qtbot, desk, world.wang.code)
    scan(qtbot, desk, world.wang.code)
    panel = desk.view.panel
    assert panel.result == "already_checked_in" and panel.symbol_text == "!"
    local = to_local(first.first_checked_in_at, "Asia/Shanghai")
    assert local is not None
    assert f"First checked in at {local:%H:%M} at desk 2." in panel.text()
    assert panel.name.text() == "王芳"


def test_scanning_a_cancelled_ticket_shows_why(qtbot: QtBot, desk: Desk, world: World) -> None:
    registration.cancel(world.db, world.zhao.registration_id, reason="出差")
    scan(qtbot, desk, world.zhao.code)
    panel = desk.view.panel
    assert panel.result == "cancelled" and panel.cls == "error" and panel.symbol_text == "✕"
    assert "Registration cancelled" in panel.text() and "赵磊" in panel.text()
    assert "was cancelled" in panel.text()


def test_a_forged_ticket_is_invalid(qtbot: QtBot, desk: Desk, world: World) -> None:
    code = world.li.code
    forged = code[:-1] + ("A" if code[-1] != "A" else "B")
    scan(qtbot, desk, forged)
    panel = desk.view.panel
    assert panel.result == "invalid_ticket" and panel.cls == "error"
    assert "forged" in panel.text().lower()
    assert panel.name.text() == "", "a forged ticket names nobody"


def test_a_ticket_for_another_event_says_which_event(
    qtbot: QtBot, desk: Desk, world: World
) -> None:
    scan(qtbot, desk, world.elsewhere.code)
    panel = desk.view.panel
    assert panel.result == "wrong_event" and panel.cls == "error"
    assert "This ticket is for 十二月会员日直播" in panel.text()


def test_an_old_ticket_after_a_reissue_is_revoked(qtbot: QtBot, desk: Desk, world: World) -> None:
    newer = reissue(world.db, world.wang)
    scan(qtbot, desk, world.wang.code)
    assert (
        desk.view.panel.result == "revoked" and "replaced by a newer one" in desk.view.panel.text()
    )
    scan(qtbot, desk, newer.code)
    assert desk.view.panel.result == "accepted"


def test_a_genuine_ticket_this_desk_does_not_know_is_unknown(
    qtbot: QtBot, desk: Desk, world: World
) -> None:
    genuine = payload.issue(ticket_key(world.db), world.event)  # signed but never stored
    scan(qtbot, desk, genuine.code)
    assert desk.view.panel.result == "unknown_ticket" and desk.view.panel.cls == "error"
    assert "Search by name or phone" in desk.view.panel.text()


def test_a_waitlisted_guest_is_admitted_with_the_keyboard_when_seats_are_free(
    qtbot: QtBot, world: World, tmp_path: Path
) -> None:
    ev = make_event(world.db, "保养课堂", capacity=1, kind="care_class")
    register(world.db, ev, "孙悦", "13700000001")
    waiting = register(world.db, ev, "周杰", "13700000002")
    assert waiting.code == "", "waitlisted: no ticket yet"
    view = events.get_event(world.db, ev)
    events.update_event(
        world.db, ev, view.draft().__class__(**{**_fields(view.draft()), "capacity": 5})
    )
    with app_context(world.db, tmp_path) as ctx:
        d = open_desk(qtbot, ctx, [ev])
        # the person gives their name: search, ↓ to the list, Enter checks in
        d.view.search.setFocus()
        type_keys(qtbot, d.view.search, "zhou", d.clock)  # latin letters: QTest types ASCII only
        d.view.scanner.poll()
        d.view.search.setText("周杰")  # what the IME commits for "zhou jie"
        qtbot.waitUntil(lambda: d.view.results.count() == 1)
        qtbot.keyClick(d.view.search, Qt.Key.Key_Down)
        qtbot.keyClick(d.view.results, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: d.view.panel.result == "waitlisted")
        panel = d.view.panel
        assert panel.cls == "warning" and "Seats are free: admit now?" in panel.text()
        assert panel.admit_button.isVisible()
        qtbot.keyClick(d.view, Qt.Key.Key_A, Qt.KeyboardModifier.AltModifier)
        qtbot.waitUntil(lambda: d.view.panel.result == "accepted")
        assert d.view.panel.name.text() == "周杰"
        d.view.close()


def _fields(draft: Any) -> dict[str, Any]:
    return {f: getattr(draft, f) for f in draft.__dataclass_fields__}


def test_outside_the_check_in_window_an_override_needs_confirmation(
    qtbot: QtBot, world: World, tmp_path: Path
) -> None:
    ev = make_event(world.db, "试驾日", starts_at=now_utc() + timedelta(days=1))
    guest = register(world.db, ev, "吴昊", "13600000009")
    with app_context(world.db, tmp_path) as ctx:
        d = open_desk(qtbot, ctx, [ev])
        scan(qtbot, d, guest.code)
        panel = d.view.panel
        assert panel.result == "not_open" and panel.override_button.isVisible()
        assert "Override only if you are sure" in panel.text()
        d.answers.append(False)  # staff says no
        qtbot.keyClick(d.view, Qt.Key.Key_O, Qt.KeyboardModifier.AltModifier)
        qtbot.waitUntil(lambda: bool(d.asked))  # a button's shortcut clicks after 100 ms
        assert "吴昊" in d.asked[-1]
        assert d.view.panel.result == "not_open"
        d.answers.append(True)
        qtbot.keyClick(d.view, Qt.Key.Key_O, Qt.KeyboardModifier.AltModifier)
        qtbot.waitUntil(lambda: d.view.panel.result == "accepted")
        d.view.close()


RESULT_WORDS = {
    "accepted": ("Welcome — checked in", "accepted", "✓"),
    "already_checked_in": ("Already checked in", "warning", "!"),
    "waitlisted": ("On the waitlist", "warning", "!"),
    "not_open": ("Check-in not open now", "warning", "!"),
    "unknown_ticket": ("Unknown ticket", "error", "✕"),
    "invalid_ticket": ("Invalid ticket", "error", "✕"),
    "wrong_event": ("Ticket for another event", "error", "✕"),
    "cancelled": ("Registration cancelled", "error", "✕"),
    "revoked": ("Ticket revoked", "error", "✕"),
}


@pytest.mark.parametrize("result", sorted(RESULT_WORDS))
def test_every_result_has_its_own_words_colour_and_symbol(qtbot: QtBot, result: str) -> None:
    from ui.widgets.result_panel import PanelContent, ResultPanel

    panel = ResultPanel()
    qtbot.addWidget(panel)
    panel.resize(900, 500)
    panel.show()
    panel.show_content(PanelContent(result=result, sentence="…", name="李娜"))
    words, cls, symbol = RESULT_WORDS[result]
    assert words in panel.text()
    assert panel.cls == cls and panel.symbol_text == symbol
    colours = {
        c: panel_bg
        for c, panel_bg in (("accepted", "#1e7b34"), ("warning", "#f2b400"), ("error", "#b3261e"))
    }
    assert panel.background == colours[cls]
    assert len(set(colours.values())) == 3


# --------------------------------------------------------------------------- keyboard and input method
def ime_enabled(widget: Any) -> bool:
    """What the platform's input method asks before it takes a widget's keys."""
    from PySide6.QtGui import QInputMethodQueryEvent

    query = QInputMethodQueryEvent(Qt.InputMethodQuery.ImEnabled)
    QApplication.sendEvent(widget, query)
    return bool(query.value(Qt.InputMethodQuery.ImEnabled))


def test_the_desk_waits_for_scans_on_a_widget_that_takes_no_input_method(desk: Desk) -> None:
    view = desk.view
    assert view.panel.hasFocus(), "the idle desk listens on the result panel"
    assert not ime_enabled(view.panel), "a Chinese IME that is on does not catch the scan"
    assert not ime_enabled(view.results)
    assert ime_enabled(view.search), "staff still type Chinese names into the search"


def test_typing_on_the_idle_desk_starts_a_search(qtbot: QtBot, desk: Desk, world: World) -> None:
    type_keys(qtbot, desk.view.panel, "1391", desk.clock)
    desk.view.scanner.poll()
    assert desk.view.search.hasFocus() and desk.view.search.text() == "1391"
    qtbot.waitUntil(lambda: desk.view.results.count() == 1)
    assert "王芳" in desk.view.results.item(0).text()


def test_a_ticket_code_pasted_into_the_search_checks_in_on_enter(
    qtbot: QtBot, desk: Desk, world: World
) -> None:
    desk.view.search.setFocus()
    desk.view.search.setText("  " + world.zhao.code.lower() + " ")  # pasted, not typed
    qtbot.keyClick(desk.view.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: desk.view.panel.result == "accepted")
    assert desk.view.panel.name.text() == "赵磊"
    assert desk.view.search.text() == "" and desk.view.panel.hasFocus(), "ready for the next scan"


def test_escape_in_the_search_goes_back_to_scanning_before_it_leaves(
    qtbot: QtBot, desk: Desk
) -> None:
    qtbot.keyClick(desk.view, Qt.Key.Key_F3)
    type_keys(qtbot, desk.view.search, "li", desk.clock)
    desk.view.scanner.poll()
    qtbot.keyClick(desk.view.search, Qt.Key.Key_Escape)
    assert desk.view.search.text() == "" and desk.view.panel.hasFocus()
    assert not desk.asked, "the first Esc does not ask to leave"


def test_a_scan_that_went_into_the_input_method_asks_to_scan_again(
    qtbot: QtBot, desk: Desk
) -> None:
    desk.view.search.setFocus()
    scan_into_pinyin(desk.view.search, desk.clock)
    desk.clock.advance(0.5)
    desk.view.scanner.poll_input_method()
    panel = desk.view.panel
    assert panel.cls == "warning" and "Scan again" in panel.text()
    assert PINYIN_SCAN_TEXT in panel.text()
    assert desk.view.search.text() == "" and panel.hasFocus()


# --------------------------------------------------------------------------- any window size
def assert_nothing_clipped(panel: Any) -> None:
    box = panel.contentsRect()
    for lab in panel.lines:
        if lab.isHidden():
            continue
        g = lab.geometry()
        assert g.top() >= box.top() and g.bottom() <= box.bottom(), (lab.objectName(), g, box)
        assert g.height() >= lab.heightForWidth(g.width()), f"{lab.objectName()} is cut off"


@pytest.mark.parametrize("size", [(1366, 768), (600, 500)])
def test_the_result_panel_wraps_and_shrinks_so_nothing_is_cut_off(
    qtbot: QtBot, desk: Desk, world: World, size: tuple[int, int]
) -> None:
    """Full screen, or a small window beside a spreadsheet: every line is on screen, with
    room for the lines other features add (a desk question, a gift, an amount owed)."""
    view = desk.view
    view.resize(*size)
    extra = [view.panel.add_line(n) for n in ("question", "gift", "owed")]
    scan(qtbot, desk, world.li.code)
    for lab, text in zip(
        extra,
        ("请问：您对哪款车型感兴趣？ Which model are you interested in?",
         "礼品：洗车套装——请现在交给客人 · Gift: car-care kit, hand it over now",
         "仍需支付：¥200（课程费） · Still owed: ¥200 (class fee)"),
        strict=True,
    ):  # fmt: skip
        view.panel.set_line(lab, text)
    qtbot.waitUntil(lambda: view.panel.painted_serial == view.panel.serial)
    QApplication.processEvents()
    assert "Welcome — checked in" in view.panel.text()
    assert_nothing_clipped(view.panel)
    assert view.panel.floor >= 12, "still readable from a metre away"
    line = view.header.fontMetrics().lineSpacing()
    assert view.header.height() <= 2 * line + 8, "the event title takes two lines at most"
    assert view.header.toolTip() == "冬季开放日"
    if size == (1366, 768):
        assert view.panel.title.font().pixelSize() >= 40, "full screen: big words"
    assert "Still owed" in view.panel.text()


# --------------------------------------------------------------------------- counters, undo
def test_the_counters_go_up_and_undo_takes_the_person_off_the_arrived_count(
    qtbot: QtBot, desk: Desk, world: World
) -> None:
    counts(qtbot, desk, expected=3, arrived=0, still_to_come=3)
    scan(qtbot, desk, world.li.code)
    counts(qtbot, desk, arrived=1, still_to_come=2)
    scan(qtbot, desk, world.wang.code)
    counts(qtbot, desk, arrived=2, still_to_come=1)
    qtbot.keyClick(desk.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: "Check-in undone" in desk.view.panel.text())
    assert "王芳" in desk.view.panel.text()
    counts(qtbot, desk, arrived=1, still_to_come=2)
    scan(qtbot, desk, world.wang.code)
    assert desk.view.panel.result == "accepted", "after undo the ticket works again"


# --------------------------------------------------------------------------- walk-ins and dialogs
def test_a_scan_while_the_walk_in_dialog_is_open_does_not_type_into_it(
    qtbot: QtBot, desk: Desk, world: World
) -> None:
    qtbot.keyClick(desk.view, Qt.Key.Key_F2)
    dlg = desk.view.walkin_dialog
    qtbot.waitUntil(dlg.isVisible)
    assert QApplication.activeModalWidget() is dlg
    scan_keys(qtbot, dlg.phone, world.li.code, desk.clock)
    assert dlg.phone.text() == "" and dlg.isVisible(), "nothing typed, Enter did not submit"
    assert desk.view.pending == [world.li.code], "held until the dialog closes"
    qtbot.keyClick(dlg, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: desk.view.panel.result == "accepted")
    assert desk.view.panel.name.text() == "李娜"


def test_a_walk_in_is_registered_checked_in_and_counted_among_the_arrived(
    qtbot: QtBot, desk: Desk, world: World
) -> None:
    qtbot.keyClick(desk.view, Qt.Key.Key_F2)
    dlg = desk.view.walkin_dialog
    type_keys(qtbot, dlg.phone, "13512345678", desk.clock)
    desk.view.scanner.poll()
    qtbot.keyClick(dlg.phone, Qt.Key.Key_Tab)
    dlg.name.setText("钱多多")  # CJK comes through the IME, not QTest
    qtbot.keyClick(dlg.name, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: desk.view.panel.result == "accepted")
    assert desk.view.panel.name.text() == "钱多多" and "walk-in" in desk.view.panel.text()
    counts(qtbot, desk, walk_ins=1, arrived=1, expected=3, still_to_come=3)


# --------------------------------------------------------------------------- leaving
def test_escape_asks_before_leaving_the_desk(qtbot: QtBot, desk: Desk) -> None:
    desk.answers.append(False)
    qtbot.keyClick(desk.view, Qt.Key.Key_Escape)
    assert desk.asked and desk.view.isVisible()
    desk.answers.append(True)
    with qtbot.waitSignal(desk.view.closed):
        qtbot.keyClick(desk.view, Qt.Key.Key_Escape)
    assert not desk.view.scanner.active, "the scanner filter is removed with the desk"


# --------------------------------------------------------------------------- several events, drives
def test_one_desk_admits_two_events_at_once(qtbot: QtBot, world: World, tmp_path: Path) -> None:
    care = make_event(world.db, "冬季保养课堂", kind="care_class")
    student = register(world.db, care, "郑爽", "13300000003")
    with app_context(world.db, tmp_path) as ctx:
        d = open_desk(qtbot, ctx, [world.event, care])
        scan(qtbot, d, student.code)
        assert d.view.panel.result == "accepted" and "冬季保养课堂" in d.view.panel.text()
        scan(qtbot, d, world.li.code)
        assert d.view.panel.result == "accepted"
        counts(qtbot, d, expected=4, arrived=2)
        d.view.close()


def test_a_club_drive_checks_cars_out_and_back_and_shows_who_is_still_out(
    qtbot: QtBot, world: World, tmp_path: Path
) -> None:
    drive = make_event(
        world.db, "千岛湖自驾", kind="club_drive", details={"meeting_point": "4S店", "max_cars": 20}
    )
    a = registration.register(
        world.db, drive, phone="13100000001", name="车友甲", plate="沪A·D11111"
    )
    with app_context(world.db, tmp_path) as ctx:
        d = open_desk(qtbot, ctx, [drive])
        assert d.view.checkout_button.isVisible()
        scan(qtbot, d, a.ticket_code or "")
        counts(qtbot, d, arrived=1, still_out=1)
        qtbot.keyClick(d.view, Qt.Key.Key_F4)
        assert d.view.checkout_mode and "CHECK-OUT" in d.view.mode_label.text()
        qtbot.waitUntil(lambda: d.view.results.count() == 1)
        assert "车友甲" in d.view.results.item(0).text(), "the list shows who is still out"
        scan(qtbot, d, a.ticket_code or "")
        assert "Checked out" in d.view.panel.text()
        from ui.views.feedback_form import FeedbackForm

        qtbot.waitUntil(lambda: any(f.isVisible() for f in d.view.findChildren(FeedbackForm)))
        form = d.view.findChildren(FeedbackForm)[0]
        assert form.isVisible(), "checking out asks for quick feedback"
        form.reject()
        counts(qtbot, d, still_out=0)
        qtbot.waitUntil(lambda: d.view.results.count() == 0)
        d.view.close()


# --------------------------------------------------------------------------- badge, camera
def test_an_accepted_check_in_prints_a_badge_on_the_desks_printer(
    qtbot: QtBot, world: World, tmp_path: Path
) -> None:
    pdf = tmp_path / "badge.pdf"
    printer = BadgePrinter(pdf_path=str(pdf))
    with app_context(world.db, tmp_path) as ctx:
        d = open_desk(qtbot, ctx, [world.event], badge_printer=printer)
        scan(qtbot, d, world.li.code)
        qtbot.waitUntil(lambda: printer.printed == 1)
        assert pdf.read_bytes().startswith(b"%PDF")
        scan(qtbot, d, world.li.code)  # already checked in: no second badge
        ctx.pool.waitForDone(3000)
        assert printer.printed == 1, "only accepted check-ins print"
        d.view.close()


def test_a_badge_goes_to_the_printer_on_a_label_of_the_chosen_size(
    qtbot: QtBot, world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The printer path: the badge PDF rendered at the printer's resolution onto one label
    (Qt writes the "printed" page to a PDF here, standing in for the label printer)."""
    from PySide6.QtPrintSupport import QPrinter

    from tests.pdf_support import page_sizes_mm, render
    from ui.views.checkin import KEY_BADGE_SIZE, CheckinPage

    with app_context(world.db, tmp_path) as ctx:
        page = CheckinPage(ctx)
        qtbot.addWidget(page)
        assert [page.size_box.itemData(i) for i in range(page.size_box.count())] == list(
            LABEL_SIZES
        )
        page.size_box.setCurrentIndex(page.size_box.findData("62x29"))
        page.print_box.setChecked(True)
        page._save()
        assert ctx.settings.value(KEY_BADGE_SIZE) == "62x29"
    out = tmp_path / "printed.pdf"
    printer = BadgePrinter("Brother QL-820NWB", size="62x29")
    make = printer._printer

    def to_file() -> QPrinter:
        p = make()
        p.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        p.setOutputFileName(str(out))
        return p

    monkeypatch.setattr(printer, "_printer", to_file)
    assert printer.print_badge("欧阳娜娜", ["沪上车友会", ""], "星辰开放日")
    assert printer.printed == 1 and page_sizes_mm(out) == [(62, 29)]
    label = render(out, 100)[0].convert("L")
    dark = sum(label.histogram()[:128])  # pixels darker than mid-grey
    assert 0.02 < dark / (label.width * label.height) < 0.5  # the name is on the label


def test_each_result_class_has_its_own_sound_and_no_audio_never_crashes() -> None:
    import wave

    from ui.resources import resource_path
    from ui.sounds import DeskSounds, result_class

    frames = set()
    for name in ("accepted", "warning", "error"):
        with wave.open(str(resource_path("sounds", f"{name}.wav"))) as w:
            assert 0.1 < w.getnframes() / w.getframerate() < 0.6, "short tones"
            frames.add(w.readframes(w.getnframes()))
    assert len(frames) == 3, "three distinct tones"
    assert {result_class(r) for r in RESULT_WORDS} == {"accepted", "warning", "error"}
    sounds = DeskSounds(enabled=True)  # offscreen, maybe no audio device: must not raise
    for r, (_w, cls, _s) in RESULT_WORDS.items():
        assert sounds.play(r) == cls


def test_the_camera_button_is_hidden_when_no_camera_exists(desk: Desk) -> None:
    assert not desk.view.camera_button.isVisible()


def test_the_camera_decoder_reads_a_ticket_qr(world: World, tmp_path: Path) -> None:
    import qrcode

    path = tmp_path / "qr.png"
    qrcode.make(world.li.code).save(str(path))
    assert decode_qr(QImage(str(path))) == [world.li.code]


def test_a_phone_held_up_to_the_webcam_checks_the_guest_in(
    qtbot: QtBot, desk: Desk, world: World
) -> None:
    """Frames as a webcam sends them (NV12) of a phone showing the ticket — tilted, blurred,
    glared, dim, with moiré — go the camera's way: video sink → decoder thread → desk."""
    import random

    from PySide6.QtMultimedia import QVideoSink

    from benchmarks.camera_frames import CONDITIONS, make_frame, video_frame

    sink = QVideoSink()
    desk.view.camera.watch(sink)
    read: list[list[str]] = []
    desk.view.camera.frame_read.connect(lambda r: read.append(r.codes))
    rnd = random.Random(5)
    guests = [world.li, world.wang, world.zhao]
    decoded = 0
    for n, condition in enumerate(CONDITIONS):
        guest = guests[n % 3]
        sink.setVideoFrame(video_frame(make_frame(guest.code, condition, rnd).rgb))
        qtbot.waitUntil(lambda n=n: len(read) == n + 1, timeout=5000)
        decoded += read[-1] == [guest.code]
    assert decoded >= len(CONDITIONS) - 1, f"only {decoded} of {len(CONDITIONS)} frames read"
    qtbot.waitUntil(lambda: all(world_checked_in(world.db, g) for g in guests), timeout=5000)
    assert desk.view.panel.result in ("accepted", "already_checked_in")


@pytest.mark.parametrize("layout", ["Format_NV12", "Format_YUYV", "Format_UYVY"])
def test_the_decoder_takes_a_webcam_frames_luma_without_converting_it(layout: str) -> None:
    import numpy as np
    from PySide6.QtCore import QSize
    from PySide6.QtMultimedia import QVideoFrame, QVideoFrameFormat

    from ui.camera import frame_pixels

    luma = (np.arange(480 * 640, dtype=np.uint32) % 251).astype(np.uint8).reshape(480, 640)
    fmt = QVideoFrameFormat(QSize(640, 480), getattr(QVideoFrameFormat.PixelFormat, layout))
    frame = QVideoFrame(fmt)
    assert frame.map(QVideoFrame.MapMode.WriteOnly)
    line = frame.bytesPerLine(0)
    plane = np.frombuffer(frame.bits(0), dtype=np.uint8)[: 480 * line].reshape(480, line)
    if layout == "Format_NV12":
        plane[:, :640] = luma
    else:  # packed: Y0 U Y1 V (YUYV) or U Y0 V Y1 (UYVY)
        first = 0 if layout == "Format_YUYV" else 1
        plane[:, first : first + 1280 : 2] = luma
        plane[:, 1 - first : 1 - first + 1280 : 2] = 128
    frame.unmap()
    assert np.array_equal(frame_pixels(frame), luma)


def world_checked_in(db: Database, guest: Any) -> bool:
    from desktop_app.store.models import Registration

    with db.read() as s:
        return s.get(Registration, guest.registration_id).checked_in_at is not None


# --------------------------------------------------------------------------- the page, the sheet
def test_the_check_in_page_remembers_the_desk_and_starts_a_desk_for_two_events(
    qtbot: QtBot, world: World, tmp_path: Path
) -> None:
    from ui.views.checkin import KEY_DESK, KEY_STAFF, CheckinPage

    care = make_event(world.db, "冬季保养课堂", kind="care_class")
    with app_context(world.db, tmp_path) as ctx:
        page = CheckinPage(ctx)
        qtbot.addWidget(page)
        titles = [page.events_list.item(i).text() for i in range(page.events_list.count())]
        assert any("冬季开放日" in t for t in titles) and any("冬季保养课堂" in t for t in titles)
        assert not any("十二月会员日直播" in t for t in titles), "only today's events"
        for i in range(page.events_list.count()):
            page.events_list.item(i).setCheckState(Qt.CheckState.Checked)
        page.desk_name.setText("东门")
        page.staff_box.setCurrentIndex(page.staff_box.findText("张伟"))
        d = page.start_desk(full_screen=False)
        assert d is not None and set(d.event_ids) == {world.event, care}
        assert ctx.settings.value(KEY_DESK) == "东门"
        assert ctx.settings.value(KEY_STAFF) == str(world.clerk.id)
        assert "东门" in d.desk_label.text() and "张伟" in d.desk_label.text()
        d.confirm = lambda _t, _x: True
        d.close()
        again = CheckinPage(ctx)
        qtbot.addWidget(again)
        assert again.desk_name.text() == "东门" and again.staff_box.currentText() == "张伟"


def test_the_scanner_timing_tested_on_the_check_in_page_is_what_the_desk_uses(
    qtbot: QtBot, world: World, tmp_path: Path
) -> None:
    from ui.views.checkin import CheckinPage

    with app_context(world.db, tmp_path) as ctx:
        page = CheckinPage(ctx)
        qtbot.addWidget(page)
        assert "50 ms" in page.scanner_label.text() and "100 ms" in page.scanner_label.text()
        dlg = page.open_scanner_test()
        qtbot.waitExposed(dlg)
        dlg.gap.setValue(70)
        dlg.end_pause.setValue(160)
        dlg.save()
        qtbot.waitUntil(lambda: "70 ms" in page.scanner_label.text())
        desk = page.start_desk(full_screen=False)
        assert desk is not None
        assert desk.scanner.max_gap == pytest.approx(0.07)
        assert desk.scanner.end_pause == pytest.approx(0.16)
        desk.confirm = lambda _t, _x: True
        desk.close()


def test_attendance_is_marked_from_the_paper_sign_in_sheet_with_the_staff_member(
    qtbot: QtBot, world: World, tmp_path: Path
) -> None:
    from ui.views.bulk_attendance import BulkAttendanceDialog

    with app_context(world.db, tmp_path) as ctx:
        dlg = BulkAttendanceDialog(ctx, world.event, "冬季开放日", world.clerk.id)
        qtbot.addWidget(dlg)
        dlg.show()
        dlg.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is dlg)
        assert dlg.list.count() == 3 and not dlg.mark_button.isEnabled()
        qtbot.keyClicks(dlg.filter, "139")  # part of 王芳's phone
        visible = [
            dlg.list.item(i) for i in range(dlg.list.count()) if not dlg.list.item(i).isHidden()
        ]
        assert [v.text().split()[0] for v in visible] == ["王芳"]
        qtbot.keyClick(dlg.filter, Qt.Key.Key_Down)
        qtbot.keyClick(dlg.list, Qt.Key.Key_Space)
        assert dlg.ticked() == [str(world.wang.registration_id)]
        qtbot.keyClick(dlg.list, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(lambda: dlg.last_result is not None)
        assert dlg.last_result.marked == 1
        assert "Marked attended: 1" in dlg.summary.text()
        rows = {r.name: r for r in registration.list_registrations(world.db, world.event)}
        assert rows["王芳"].checked_in and not rows["李娜"].checked_in
