"""Display labels for the stored words (event types, statuses, formats, registration states,
scan results), translated at display time. One table per enum, context "Labels"."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtGui import QColor

EVENT_TYPES: dict[str, str] = {
    "open_day": QT_TRANSLATE_NOOP("Labels", "Open day"),
    "parts_tour": QT_TRANSLATE_NOOP("Labels", "Parts-centre tour"),
    "model_day": QT_TRANSLATE_NOOP("Labels", "Model day"),
    "care_class": QT_TRANSLATE_NOOP("Labels", "Care class"),
    "club_drive": QT_TRANSLATE_NOOP("Labels", "Club drive"),
    "member_day": QT_TRANSLATE_NOOP("Labels", "Member day"),
    "city_meetup": QT_TRANSLATE_NOOP("Labels", "City owners' meetup"),
    "other": QT_TRANSLATE_NOOP("Labels", "Other"),
}

EVENT_STATUSES: dict[str, str] = {
    "draft": QT_TRANSLATE_NOOP("Labels", "Draft"),
    "published": QT_TRANSLATE_NOOP("Labels", "Published"),
    "closed": QT_TRANSLATE_NOOP("Labels", "Closed"),
    "completed": QT_TRANSLATE_NOOP("Labels", "Completed"),
    "cancelled": QT_TRANSLATE_NOOP("Labels", "Cancelled"),
}

EVENT_FORMATS: dict[str, str] = {
    "on_site": QT_TRANSLATE_NOOP("Labels", "On site"),
    "online": QT_TRANSLATE_NOOP("Labels", "Online"),
    "hybrid": QT_TRANSLATE_NOOP("Labels", "Hybrid"),
}

REGISTRATION_STATUSES: dict[str, str] = {
    "registered": QT_TRANSLATE_NOOP("Labels", "Registered"),
    "waitlisted": QT_TRANSLATE_NOOP("Labels", "Waitlisted"),
    "cancelled": QT_TRANSLATE_NOOP("Labels", "Registration cancelled"),
    "attended": QT_TRANSLATE_NOOP("Labels", "Attended"),
    "no_show": QT_TRANSLATE_NOOP("Labels", "No-show"),
    # issue 14
    "pending": QT_TRANSLATE_NOOP("Labels", "Awaiting approval"),
    "declined": QT_TRANSLATE_NOOP("Labels", "Declined"),
}

SCAN_RESULTS: dict[str, str] = {
    "accepted": QT_TRANSLATE_NOOP("Labels", "Welcome — checked in"),
    "already_checked_in": QT_TRANSLATE_NOOP("Labels", "Already checked in"),
    "unknown_ticket": QT_TRANSLATE_NOOP("Labels", "Unknown ticket"),
    "invalid_ticket": QT_TRANSLATE_NOOP("Labels", "Invalid ticket (typo or forged)"),
    "wrong_event": QT_TRANSLATE_NOOP("Labels", "Ticket for another event"),
    "cancelled": QT_TRANSLATE_NOOP("Labels", "Registration cancelled"),
    "revoked": QT_TRANSLATE_NOOP("Labels", "Ticket revoked (reissued)"),
    "waitlisted": QT_TRANSLATE_NOOP("Labels", "On the waitlist"),
    "not_open": QT_TRANSLATE_NOOP("Labels", "Check-in not open now"),
    # issue 14
    "needs_answers": QT_TRANSLATE_NOOP("Labels", "Answer the desk question"),
    "pending": QT_TRANSLATE_NOOP("Labels", "Awaiting approval"),
    "declined": QT_TRANSLATE_NOOP("Labels", "Application declined"),
}

# issue 14: question types, gift rules, where an answer came from
QUESTION_TYPES: dict[str, str] = {
    "text": QT_TRANSLATE_NOOP("Labels", "Text"),
    "number": QT_TRANSLATE_NOOP("Labels", "Number"),
    "yes_no": QT_TRANSLATE_NOOP("Labels", "Yes / no"),
    "choice": QT_TRANSLATE_NOOP("Labels", "One choice"),
    "multi": QT_TRANSLATE_NOOP("Labels", "Several choices"),
    "date": QT_TRANSLATE_NOOP("Labels", "Date"),
}

GIFT_RULES: dict[str, str] = {
    "per_registration": QT_TRANSLATE_NOOP("Labels", "One per registration (a family gets one)"),
    "per_person": QT_TRANSLATE_NOOP("Labels", "One per person of the party"),
    "tier": QT_TRANSLATE_NOOP("Labels", "Members of a tier and above"),
    "first_n": QT_TRANSLATE_NOOP("Labels", "The first N arrivals"),
    "referrers": QT_TRANSLATE_NOOP("Labels", "People who referred someone"),
}

YES_NO: dict[str, str] = {
    "yes": QT_TRANSLATE_NOOP("Labels", "Yes"),
    "no": QT_TRANSLATE_NOOP("Labels", "No"),
}

STAGES: dict[str, str] = {
    "prospect": QT_TRANSLATE_NOOP("Labels", "Prospect"),
    "owner": QT_TRANSLATE_NOOP("Labels", "Owner"),
    "member": QT_TRANSLATE_NOOP("Labels", "Member"),
}

TIERS: dict[str, str] = {
    "none": QT_TRANSLATE_NOOP("Labels", "No tier"),
    "silver": QT_TRANSLATE_NOOP("Labels", "Silver"),
    "gold": QT_TRANSLATE_NOOP("Labels", "Gold"),
    "platinum": QT_TRANSLATE_NOOP("Labels", "Platinum"),
}

CLUB_ROLES: dict[str, str] = {
    "member": QT_TRANSLATE_NOOP("Labels", "Club member"),
    "leader": QT_TRANSLATE_NOOP("Labels", "Leader"),
    "kol": QT_TRANSLATE_NOOP("Labels", "KOL"),
}

# Where a person came from (Person.source): registration sources plus imports.
PERSON_SOURCES: dict[str, str] = {
    "walk_in": QT_TRANSLATE_NOOP("Labels", "Walk-in"),
    "phone_invite": QT_TRANSLATE_NOOP("Labels", "Phone invitation"),
    "online_form": QT_TRANSLATE_NOOP("Labels", "Online form"),
    "hq_list": QT_TRANSLATE_NOOP("Labels", "HQ list"),
    "referral": QT_TRANSLATE_NOOP("Labels", "Referral"),
    "club": QT_TRANSLATE_NOOP("Labels", "Club"),
    "import": QT_TRANSLATE_NOOP("Labels", "Imported list"),
    # where a person first came from, as DMS lists and the demo write it
    "showroom": QT_TRANSLATE_NOOP("Labels", "Showroom visit"),
    "dms": QT_TRANSLATE_NOOP("Labels", "DMS list"),
    "wechat": QT_TRANSLATE_NOOP("Labels", "WeChat"),
}

# Badge colours (text, background): calm for plans, green for live, grey for history.
STATUS_COLOURS: dict[str, tuple[str, str]] = {
    "draft": ("#5f6368", "#eceff1"),
    "published": ("#1b5e20", "#e3f4e4"),
    "closed": ("#8a5300", "#fff1d6"),
    "completed": ("#1a4f8b", "#e3edf9"),
    "cancelled": ("#b3261e", "#fde7e6"),
}


def label(table: dict[str, str], value: str | None) -> str:
    """The translated label of a stored word; the word itself if it is unknown."""
    if value is None:
        return ""
    source = table.get(value)
    return QCoreApplication.translate("Labels", source) if source else value


def event_type(value: str | None) -> str:
    return label(EVENT_TYPES, value)


def event_status(value: str | None) -> str:
    return label(EVENT_STATUSES, value)


def event_format(value: str | None) -> str:
    return label(EVENT_FORMATS, value)


def registration_status(value: str | None) -> str:
    return label(REGISTRATION_STATUSES, value)


def scan_result(value: str | None) -> str:
    return label(SCAN_RESULTS, value)


def status_colours(value: str) -> tuple[QColor, QColor]:
    fg, bg = STATUS_COLOURS.get(value, ("#202124", "#ffffff"))
    return QColor(fg), QColor(bg)


def stage(value: str | None) -> str:
    return label(STAGES, value)


def tier(value: str | None) -> str:
    return label(TIERS, value)


def club_role(value: str | None) -> str:
    return label(CLUB_ROLES, value)


def person_source(value: str | None) -> str:
    return label(PERSON_SOURCES, value)


def question_type(value: str | None) -> str:
    return label(QUESTION_TYPES, value)


def gift_rule(value: str | None, rule_value: str | None = None) -> str:
    """'Members of a tier and above: Gold', 'The first N arrivals: 50'."""
    text = label(GIFT_RULES, value)
    shown = tier(rule_value) if value == "tier" else rule_value
    if value in ("tier", "first_n") and rule_value:
        return (
            QCoreApplication.translate("Labels", "%1: %2")
            .replace("%1", text)
            .replace("%2", str(shown))
        )
    return text


def answer_text(qtype: str, value: object) -> str:
    """A typed answer (registrations JSON) as a person reads it: 是/否, options joined."""
    if value is None:
        return ""
    if qtype == "yes_no" or isinstance(value, bool):
        return label(YES_NO, "yes" if value else "no")
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# --------------------------------------------------------------------------- issue 15

FEE_SPLITS: dict[str, str] = {
    "person": QT_TRANSLATE_NOOP("Labels", "Per person"),
    "car": QT_TRANSLATE_NOOP("Labels", "Per car"),
    "family": QT_TRANSLATE_NOOP("Labels", "Per family"),
    "fixed": QT_TRANSLATE_NOOP("Labels", "Fixed fee per registration"),
}

PAYMENT_METHODS: dict[str, str] = {
    "cash": QT_TRANSLATE_NOOP("Labels", "Cash"),
    "wechat": QT_TRANSLATE_NOOP("Labels", "WeChat transfer"),
    "alipay": QT_TRANSLATE_NOOP("Labels", "Alipay"),
    "bank": QT_TRANSLATE_NOOP("Labels", "Bank transfer"),
}

PAYMENT_KINDS: dict[str, str] = {
    "payment": QT_TRANSLATE_NOOP("Labels", "Payment"),
    "refund": QT_TRANSLATE_NOOP("Labels", "Refund"),
    "correction": QT_TRANSLATE_NOOP("Labels", "Correction"),
}

VOUCHER_RESULTS: dict[str, str] = {
    "valid": QT_TRANSLATE_NOOP("Labels", "Valid"),
    "consumed": QT_TRANSLATE_NOOP("Labels", "Already used"),
    "expired": QT_TRANSLATE_NOOP("Labels", "Expired"),
    "cancelled": QT_TRANSLATE_NOOP("Labels", "Cancelled (points refunded)"),
    "invalid": QT_TRANSLATE_NOOP("Labels", "Invalid (typo or forged)"),
    "unknown": QT_TRANSLATE_NOOP("Labels", "Unknown voucher"),
}


def fee_split(value: str | None) -> str:
    return label(FEE_SPLITS, value)


def payment_method(value: str | None) -> str:
    return label(PAYMENT_METHODS, value)


def payment_kind(value: str | None) -> str:
    return label(PAYMENT_KINDS, value)


def voucher_result(value: str | None) -> str:
    return label(VOUCHER_RESULTS, value)
