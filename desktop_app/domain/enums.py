"""The words Paddock uses everywhere: stored in the database, printed in JSON, shown translated."""

from __future__ import annotations

from enum import StrEnum


class EventType(StrEnum):
    OPEN_DAY = "open_day"
    PARTS_TOUR = "parts_tour"
    MODEL_DAY = "model_day"
    CARE_CLASS = "care_class"
    CLUB_DRIVE = "club_drive"
    MEMBER_DAY = "member_day"
    CITY_MEETUP = "city_meetup"
    OTHER = "other"


class EventFormat(StrEnum):
    ON_SITE = "on_site"
    ONLINE = "online"
    HYBRID = "hybrid"


class EventStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    CLOSED = "closed"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


# Allowed lifecycle moves: draft → published → closed → completed, or cancelled from any
# open state. Re-opening a closed event (closed → published) is allowed: a coordinator who
# closed registration too early must be able to undo it.
EVENT_TRANSITIONS: dict[EventStatus, frozenset[EventStatus]] = {
    EventStatus.DRAFT: frozenset({EventStatus.PUBLISHED, EventStatus.CANCELLED}),
    EventStatus.PUBLISHED: frozenset(
        {EventStatus.CLOSED, EventStatus.COMPLETED, EventStatus.CANCELLED, EventStatus.DRAFT}
    ),
    EventStatus.CLOSED: frozenset(
        {EventStatus.PUBLISHED, EventStatus.COMPLETED, EventStatus.CANCELLED}
    ),
    EventStatus.COMPLETED: frozenset(),
    EventStatus.CANCELLED: frozenset(),
}


class StaffRole(StrEnum):
    FRONT_DESK = "front_desk"
    COORDINATOR = "coordinator"
    ADMIN = "admin"


class Stage(StrEnum):
    PROSPECT = "prospect"
    OWNER = "owner"
    MEMBER = "member"


class ClubRole(StrEnum):
    MEMBER = "member"
    LEADER = "leader"
    KOL = "kol"


class RegistrationSource(StrEnum):
    WALK_IN = "walk_in"
    PHONE_INVITE = "phone_invite"
    ONLINE_FORM = "online_form"
    HQ_LIST = "hq_list"
    REFERRAL = "referral"
    CLUB = "club"


class RegistrationStatus(StrEnum):
    REGISTERED = "registered"
    WAITLISTED = "waitlisted"
    CANCELLED = "cancelled"
    ATTENDED = "attended"
    NO_SHOW = "no_show"
    # issue 14: events that require approval (never no-shows: they hold no seat)
    PENDING = "pending"
    DECLINED = "declined"


class InvitationStatus(StrEnum):
    TO_CALL = "to_call"
    NO_ANSWER = "no_answer"
    INVITED = "invited"
    DECLINED = "declined"
    REGISTERED = "registered"


class ScanResult(StrEnum):
    ACCEPTED = "accepted"
    ALREADY_CHECKED_IN = "already_checked_in"
    UNKNOWN_TICKET = "unknown_ticket"
    INVALID_TICKET = "invalid_ticket"
    WRONG_EVENT = "wrong_event"
    CANCELLED = "cancelled"
    REVOKED = "revoked"
    WAITLISTED = "waitlisted"
    NOT_OPEN = "not_open"
    # issue 14: required desk questions unanswered (nothing written); not yet approved;
    # declined by the coordinator
    NEEDS_ANSWERS = "needs_answers"
    PENDING = "pending"
    DECLINED = "declined"


class ScanAction(StrEnum):
    CHECK_IN = "check_in"
    MANUAL_CHECK_IN = "manual_check_in"
    UNDO = "undo"
    CHECK_OUT = "check_out"


class PiiMode(StrEnum):
    FULL = "full"
    MASKED = "masked"
    HASHED = "hashed"


# --------------------------------------------------------------------------- issue 14


class QuestionType(StrEnum):
    TEXT = "text"
    NUMBER = "number"
    YES_NO = "yes_no"
    CHOICE = "choice"
    MULTI = "multi"
    DATE = "date"


class AnswerSource(StrEnum):
    SIGNUP = "signup"  # register dialog, `paddock register --answer`
    FORM = "form"  # an online sign-up form import
    DESK = "desk"  # asked at check-in


class GiftRule(StrEnum):
    PER_REGISTRATION = "per_registration"  # one per registration: a family (party) gets one
    PER_PERSON = "per_person"  # one for every person of the party
    TIER = "tier"  # members of tier >= rule_value only (one per registration)
    FIRST_N = "first_n"  # the first rule_value arrivals (one per registration)
    REFERRERS = "referrers"  # people who referred someone (one per registration)


# --------------------------------------------------------------------------- issue 15: fees


class FeeSplit(StrEnum):
    """How a cost item is shared (AA制): a total over people, cars or families, or a fixed
    fee per registration."""

    PERSON = "person"
    CAR = "car"
    FAMILY = "family"
    FIXED = "fixed"


class PaymentMethod(StrEnum):
    CASH = "cash"
    WECHAT = "wechat"  # WeChat transfer (微信转账)
    ALIPAY = "alipay"
    BANK = "bank"  # bank transfer


class PaymentKind(StrEnum):
    PAYMENT = "payment"  # money received (+)
    REFUND = "refund"  # money paid back (−)
    CORRECTION = "correction"  # reverses a row recorded by mistake (append-only ledger)


# issue 18 (personal data)
class ConsentKind(StrEnum):
    MARKETING = "marketing"
    PHOTOS = "photos"


class ConsentMethod(StrEnum):
    """How a consent was given or withdrawn (PIPL Art. 15: provable when and how)."""

    FORM = "form"  # an online sign-up form's consent question (问卷星, 金数据…)
    DESK = "desk"  # at the front desk (walk-in form, desk panel)
    IMPORT = "import"  # a consent column of a people import
    PAPER = "paper"  # a signed paper form, entered by staff
    PERSON_PAGE = "person_page"  # staff on the person page (e.g. on the phone)
    CLI = "cli"  # `paddock people consent …`
    UNKNOWN = "unknown"  # stored before Paddock kept the history


class ErasureKind(StrEnum):
    REQUEST = "request"  # the person asked (PIPL Art. 47)
    RETENTION = "retention"  # no activity for the retention period
