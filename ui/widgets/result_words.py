"""A scan outcome in words: the sentence, details and notes the desk's result panel shows.

Translation context "ResultPanel" (these words live on that panel).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from desktop_app.domain.money import show_money
from desktop_app.domain.timeutil import to_local
from ui import labels
from ui.widgets.result_panel import PanelContent


def _hhmm(when: datetime | None, tz: str) -> str:
    local = to_local(when, tz)
    return local.strftime("%H:%M") if local else "?"


def _note(note: str) -> str:
    """The service's English note words, shown translated."""
    if note.startswith("referred by "):
        return QCoreApplication.translate("ResultPanel", "referred by %1").replace(
            "%1", note.removeprefix("referred by ")
        )
    return {
        "VIP": QCoreApplication.translate("ResultPanel", "VIP"),
        "first visit": QCoreApplication.translate("ResultPanel", "first visit"),
        "walk-in": QCoreApplication.translate("ResultPanel", "walk-in"),
        "outside the check-in window": QCoreApplication.translate(
            "ResultPanel", "outside the check-in window"
        ),
    }.get(note, note)


def display_plate(plate: str | None) -> str:
    """沪AD12345 → 沪A·D12345 (how plates are printed and read out)."""
    if not plate:
        return ""
    if "·" in plate or len(plate) < 7:
        return plate
    return f"{plate[:2]}·{plate[2:]}"


CHECK_OUT_TITLES: dict[str, str] = {
    "accepted": QT_TRANSLATE_NOOP("ResultPanel", "Checked out — welcome back"),
    "already_checked_out": QT_TRANSLATE_NOOP("ResultPanel", "Already checked out"),
    "not_checked_in": QT_TRANSLATE_NOOP("ResultPanel", "Never checked in"),
}


def outcome_content(o: Any, several_events: bool = False) -> PanelContent:
    """What the panel shows for a services.checkin.ScanOutcome (any action)."""
    tz = o.event_timezone
    r = o.result
    title = None
    if o.action == "check_out":
        title = (
            QCoreApplication.translate("ResultPanel", CHECK_OUT_TITLES[r])
            if r in CHECK_OUT_TITLES
            else None
        )
    if r == "accepted":
        when = _hhmm(o.scanned_at, tz)
        if o.action == "check_out":
            sentence = QCoreApplication.translate("ResultPanel", "Checked out at %1.").replace(
                "%1", when
            )
        elif several_events and o.event_title:
            sentence = (
                QCoreApplication.translate("ResultPanel", "Checked in at %1 for %2.")
                .replace("%1", when)
                .replace("%2", o.event_title)
            )
        else:
            sentence = QCoreApplication.translate("ResultPanel", "Checked in at %1.").replace(
                "%1", when
            )
        if o.points_awarded:
            # %1, not %n: this lupdate does not extract translate(..., n) from Python
            sentence += " " + QCoreApplication.translate("ResultPanel", "Points +%1.").replace(
                "%1", str(o.points_awarded)
            )
    elif r == "already_checked_in":
        sentence = (
            QCoreApplication.translate("ResultPanel", "First checked in at %1 at desk %2.")
            .replace("%1", _hhmm(o.first_checked_in_at, tz))
            .replace("%2", o.first_desk or "?")
        )
    elif r == "wrong_event":
        sentence = QCoreApplication.translate("ResultPanel", "This ticket is for %1.").replace(
            "%1", o.other_event_title or QCoreApplication.translate("ResultPanel", "another event")
        )
    elif r == "invalid_ticket":
        sentence = QCoreApplication.translate(
            "ResultPanel", "Do not admit. Scan again, or search by name or phone."
        )
    elif r == "unknown_ticket":
        sentence = QCoreApplication.translate(
            "ResultPanel", "A genuine ticket, but not in this desk's list. Search by name or phone."
        )
    elif r == "cancelled":
        sentence = QCoreApplication.translate(
            "ResultPanel",
            "This registration was cancelled. Register again as a walk-in if there is room.",
        )
    elif r == "revoked":
        sentence = QCoreApplication.translate(
            "ResultPanel",
            "This ticket was replaced by a newer one. Ask for the latest ticket or search by name.",
        )
    elif r == "waitlisted":
        sentence = (
            QCoreApplication.translate("ResultPanel", "Seats are free: admit now?")
            if o.seats_free
            else QCoreApplication.translate(
                "ResultPanel", "No seat is free right now; ask the coordinator."
            )
        )
    elif r == "not_open":
        sentence = (
            QCoreApplication.translate(
                "ResultPanel", "Check-in is open %1–%2. Override only if you are sure."
            )
            .replace("%1", _hhmm(o.window_opens_at, tz))
            .replace("%2", _hhmm(o.window_closes_at, tz))
        )
    elif r == "already_checked_out":
        sentence = QCoreApplication.translate("ResultPanel", "Checked out at %1.").replace(
            "%1", _hhmm(o.checked_out_at, tz)
        )
    elif r == "needs_answers":
        sentence = QCoreApplication.translate(
            "ResultPanel", "Answer the question below to finish the check-in."
        )
    elif r == "pending":
        sentence = QCoreApplication.translate(
            "ResultPanel", "Applied for this invite-only event; not approved yet."
        )
    elif r == "declined":
        sentence = QCoreApplication.translate(
            "ResultPanel", "The application was declined: %1"
        ).replace("%1", o.reason or "—")
    elif r == "not_checked_in":
        sentence = QCoreApplication.translate(
            "ResultPanel", "This person never checked in, so cannot check out."
        )
    else:
        sentence = ""
    details: list[str] = []
    if o.name:
        if o.party_size:
            details.append(
                QCoreApplication.translate("ResultPanel", "party of %1").replace(
                    "%1", str(o.party_size)
                )
            )
        car = " ".join(x for x in (o.car, display_plate(o.plate)) if x)
        if car:
            details.append(car)
        if o.club:
            details.append(o.club)
        if o.tier and o.tier != "none":
            details.append(labels.tier(o.tier))
    owed = getattr(o, "outstanding_cents", None)
    # issue 15: shared costs not paid yet ("还需缴纳 ¥180"), on its own panel line
    owed_text = (
        QCoreApplication.translate("ResultPanel", "Still to pay %1").replace("%1", show_money(owed))
        if owed
        else ""
    )
    return PanelContent(
        result=r,
        sentence=sentence,
        name=o.name or "",
        details=tuple(details),
        notes=tuple(_note(n) for n in o.notes),
        can_admit=r == "waitlisted" and bool(o.seats_free) and o.registration_id is not None,
        can_override=r == "not_open",
        title=title,
        extra={"owed": owed_text} if owed_text else {},
    )
