"""SQLAlchemy 2 typed models. Portable to SQLite and PostgreSQL: no server-only defaults.

Every row that travels between desks, laptops and HQ carries a UUID key, created/updated
timestamps in UTC, its origin (dealer code + device id) and a soft-deletion mark, so that
merges are idempotent and conflicts decidable.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Numeric,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    Uuid,
    and_,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship, validates

from desktop_app.domain.ids import new_id
from desktop_app.domain.kpi import CONFIRMED

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


def reversed_digits(value: str | None) -> str | None:
    """'+8613812345678' → '87654321831868' (suffix search as an indexed prefix search)."""
    if not value:
        return None
    digits = value[1:] if value[0] == "+" else value
    if not (digits.isascii() and digits.isdigit()):  # E.164 as stored: no per-character pass
        digits = "".join(c for c in value if c.isdigit())
    return digits[::-1] or None


class UTCDateTime(TypeDecorator[datetime]):
    """Stores naive UTC, returns aware UTC: the same on SQLite (no tz) and PostgreSQL."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column; attach a time zone first")
        return value.astimezone(UTC).replace(tzinfo=None)

    def bind_processor(self, dialect: Any) -> Any:
        """On SQLite, process_bind_param and SQLite's text format in one step: the same
        text (2026-12-07 10:30:15.123456), at half the cost on every write."""
        if dialect.name != "sqlite":
            return super().bind_processor(dialect)

        def process(value: datetime | None) -> str | None:
            if value is None:
                return None
            if value.tzinfo is None:
                raise ValueError("naive datetime given to a UTC column; attach a time zone first")
            # in UTC (astimezone returns a UTC time itself), less its "+00:00"
            return value.astimezone(UTC).isoformat(" ", "microseconds")[:-6]

        return process

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC)

    def result_processor(self, dialect: Any, coltype: Any) -> Any:
        """On SQLite, SQLite's text parsed (as SQLAlchemy's DateTime does: fromisoformat)
        and made aware in one step: on every row read."""
        if dialect.name != "sqlite":
            return super().result_processor(dialect, coltype)
        parse = datetime.fromisoformat

        def process(value: str | None) -> datetime | None:
            return None if value is None else parse(value).replace(tzinfo=UTC)

        return process


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {  # noqa: RUF012 - SQLAlchemy reads this class attribute
        datetime: UTCDateTime(),
        uuid.UUID: Uuid(),
        dict[str, Any]: JSON(),
        list[Any]: JSON(),
        Decimal: Numeric(12, 2),
    }


class Travelling:
    """Columns of every row that can travel between databases."""

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow, index=True)
    origin_dealer: Mapped[str | None] = mapped_column(String(32))
    origin_device: Mapped[str | None] = mapped_column(String(64))
    deleted_at: Mapped[datetime | None]


# --------------------------------------------------------------------------- dealership


class DealerProfile(Base):
    """The one dealership this database belongs to (a single row)."""

    __tablename__ = "dealer_profile"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(200))
    city: Mapped[str | None] = mapped_column(String(100))
    region: Mapped[str | None] = mapped_column(String(100))
    ticket_key: Mapped[str] = mapped_column(String(128))  # hex; signs QR tickets
    device_id: Mapped[str] = mapped_column(String(64))
    timezone: Mapped[str] = mapped_column(String(64), default="Asia/Shanghai")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Setting(Base):
    """Database-wide settings shared by every desk (tier thresholds, hash key…)."""

    __tablename__ = "settings"
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Staff(Travelling, Base):
    __tablename__ = "staff"
    name: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(20), default="coordinator")
    phone: Mapped[str | None] = mapped_column(String(20))
    secret_hash: Mapped[str | None] = mapped_column(String(300))  # scrypt of PIN/password
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # issue 13: an attendance file's participant with this address is staff, not an attendee
    email: Mapped[str | None] = mapped_column(String(200))


# --------------------------------------------------------------------------- events


class Event(Travelling, Base):
    __tablename__ = "events"
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    type: Mapped[str] = mapped_column(String(20), index=True)
    format: Mapped[str] = mapped_column(String(10), default="on_site")
    status: Mapped[str] = mapped_column(String(12), default="draft", index=True)
    starts_at: Mapped[datetime | None] = mapped_column(index=True)
    ends_at: Mapped[datetime | None]
    timezone: Mapped[str] = mapped_column(String(64), default="Asia/Shanghai")
    venue: Mapped[str | None] = mapped_column(String(300))
    online_link: Mapped[str | None] = mapped_column(String(500))
    capacity: Mapped[int | None]
    waitlist_enabled: Mapped[bool] = mapped_column(Boolean, default=False)
    registration_opens_at: Mapped[datetime | None]
    registration_closes_at: Mapped[datetime | None]
    checkin_opens_at: Mapped[datetime | None]
    checkin_closes_at: Mapped[datetime | None]
    points_award: Mapped[int] = mapped_column(Integer, default=0)
    campaign_code: Mapped[str | None] = mapped_column(String(64), index=True)
    budget: Mapped[Decimal | None]
    min_online_minutes: Mapped[int | None]
    cancel_reason: Mapped[str | None] = mapped_column(Text)
    # Type-specific details, e.g. club drive {"meeting_point", "route_stops": [...],
    # "departure_time", "max_cars"}; care class {"instructor", "topic"}.
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # HQ campaign packs: what HQ last sent, to tell local edits from HQ changes.
    hq_snapshot: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # issue 14: an invite-only meetup: registrations arrive pending; approval seats them
    requires_approval: Mapped[bool] = mapped_column(Boolean, default=False)

    sessions: Mapped[list[ClassSession]] = relationship(
        back_populates="event", order_by="ClassSession.position", cascade="all, delete-orphan"
    )


class ClassSession(Travelling, Base):
    """One session of a care class (a class may run over several dates)."""

    __tablename__ = "class_sessions"
    event_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("events.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime | None]
    topic: Mapped[str | None] = mapped_column(String(200))
    event: Mapped[Event] = relationship(back_populates="sessions")


class EventTemplate(Travelling, Base):
    """A reusable event blueprint for one type ("save as template")."""

    __tablename__ = "event_templates"
    name: Mapped[str] = mapped_column(String(200))
    type: Mapped[str] = mapped_column(String(20), index=True)
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


# --------------------------------------------------------------------------- people


class Person(Travelling, Base):
    """ONE ID: one row per human, deduplicated by E.164 phone."""

    __tablename__ = "people"
    name: Mapped[str] = mapped_column(String(100), index=True)
    phone: Mapped[str | None] = mapped_column(String(20), unique=True)  # E.164
    # Digits of `phone` reversed, so "last 4 digits" search is an indexed prefix range.
    phone_rev: Mapped[str | None] = mapped_column(String(20), index=True)
    wechat: Mapped[str | None] = mapped_column(String(100), index=True)
    email: Mapped[str | None] = mapped_column(String(200), index=True)
    stage: Mapped[str] = mapped_column(String(12), default="prospect", index=True)
    tier: Mapped[str | None] = mapped_column(String(20), index=True)
    tier_changed_at: Mapped[datetime | None]
    butler_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff.id"), index=True)
    referred_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("people.id"), index=True)
    consent_marketing_at: Mapped[datetime | None]
    consent_photos_at: Mapped[datetime | None]
    birthday: Mapped[date | None] = mapped_column(Date)
    notes: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str | None] = mapped_column(String(30))
    stage_changed_at: Mapped[datetime | None]
    merged_into_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("people.id"))
    # issue 18 (personal data): set when the person's personal data was erased; the row
    # stays as an anonymous record so that past counts stay right.
    erased_at: Mapped[datetime | None]

    vehicles: Mapped[list[Vehicle]] = relationship(back_populates="person")
    tags: Mapped[list[PersonTag]] = relationship(cascade="all, delete-orphan")

    @validates("phone")
    def _keep_phone_rev(self, _key: str, value: str | None) -> str | None:
        self.phone_rev = reversed_digits(value)
        return value


class PersonTag(Base):
    __tablename__ = "person_tags"
    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("people.id"), primary_key=True)
    tag: Mapped[str] = mapped_column(String(50), primary_key=True, index=True)


class Vehicle(Travelling, Base):
    __tablename__ = "vehicles"
    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("people.id"), index=True)
    vin: Mapped[str | None] = mapped_column(String(17), unique=True)
    vin_rev: Mapped[str | None] = mapped_column(String(17), index=True)  # "last 6 of VIN"
    plate: Mapped[str | None] = mapped_column(String(12), index=True)
    plate_rev: Mapped[str | None] = mapped_column(String(12), index=True)  # "plate ends with"
    model: Mapped[str | None] = mapped_column(String(100), index=True)
    purchase_date: Mapped[date | None] = mapped_column(Date)
    person: Mapped[Person] = relationship(back_populates="vehicles")

    @validates("vin")
    def _keep_vin_rev(self, _key: str, value: str | None) -> str | None:
        self.vin_rev = value[::-1] if value else None
        return value

    @validates("plate")
    def _keep_plate_rev(self, _key: str, value: str | None) -> str | None:
        self.plate_rev = value[::-1] if value else None
        return value


class Club(Travelling, Base):
    __tablename__ = "clubs"
    name: Mapped[str] = mapped_column(String(200))
    model_focus: Mapped[str | None] = mapped_column(String(100))
    city: Mapped[str | None] = mapped_column(String(100))
    description: Mapped[str] = mapped_column(Text, default="")


class ClubMembership(Travelling, Base):
    __tablename__ = "club_memberships"
    __table_args__ = (UniqueConstraint("club_id", "person_id"),)
    club_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("clubs.id"), index=True)
    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("people.id"), index=True)
    role: Mapped[str] = mapped_column(String(10), default="member")
    joined_on: Mapped[date | None] = mapped_column(Date)


class EventClub(Base):
    """Which clubs an event belongs to (a club's activity)."""

    __tablename__ = "event_clubs"
    event_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("events.id"), primary_key=True)
    club_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("clubs.id"), primary_key=True)


class PointsEntry(Travelling, Base):
    """The points ledger: balance = sum(delta). Rows are never edited, only added."""

    __tablename__ = "points_ledger"
    # indexed by ix_points_ledger_person_balance below (person_id first)
    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("people.id"))
    delta: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(20), default="manual")  # manual, checkin, undo…
    registration_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("registrations.id"), index=True
    )
    staff_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff.id"))


class PersonMerge(Travelling, Base):
    """A merge of two people, with what is needed to undo it."""

    __tablename__ = "person_merges"
    kept_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("people.id"))
    dropped_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("people.id"))
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    undone_at: Mapped[datetime | None]


# --------------------------------------------------------------------------- registration


class Registration(Travelling, Base):
    __tablename__ = "registrations"
    __table_args__ = (UniqueConstraint("event_id", "person_id"),)
    event_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("events.id"), index=True)
    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("people.id"), index=True)
    status: Mapped[str] = mapped_column(String(12), default="registered", index=True)
    source: Mapped[str] = mapped_column(String(20), default="phone_invite")
    party_size: Mapped[int] = mapped_column(Integer, default=1)
    vehicle_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("vehicles.id"))
    plate: Mapped[str | None] = mapped_column(String(12))
    passengers: Mapped[int] = mapped_column(Integer, default=0)
    driver_consent_at: Mapped[datetime | None]
    referred_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("people.id"))
    invited_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff.id"))
    registered_at: Mapped[datetime] = mapped_column(default=utcnow)
    waitlisted_at: Mapped[datetime | None]
    cancelled_at: Mapped[datetime | None]
    cancel_reason: Mapped[str | None] = mapped_column(Text)
    is_walk_in: Mapped[bool] = mapped_column(Boolean, default=False)
    interest_model: Mapped[str | None] = mapped_column(String(100))
    wants_test_drive: Mapped[bool] = mapped_column(Boolean, default=False)
    answers: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # online form answers
    # Current ticket (the tickets table keeps the history, incl. revoked ones).
    ticket_code: Mapped[str | None] = mapped_column(String(64), unique=True)
    # Check-in state: a cache of the scan log, set by one conditional UPDATE so that two
    # desks can never both accept the same ticket.
    checked_in_at: Mapped[datetime | None]
    checked_in_desk: Mapped[str | None] = mapped_column(String(64))
    checked_out_at: Mapped[datetime | None]
    online_minutes: Mapped[int | None]
    # issue 14: approval (pending → registered/waitlisted, or declined) — who and when
    decided_at: Mapped[datetime | None]
    # staff id; no foreign key: adding one to an existing SQLite table means rebuilding
    # the table, which the tickets and scans that point at it forbid (staff are never deleted)
    decided_by_id: Mapped[uuid.UUID | None]
    decline_reason: Mapped[str | None] = mapped_column(Text)


class Ticket(Travelling, Base):
    """Every ticket ever issued; reissue revokes the previous one."""

    __tablename__ = "tickets"
    registration_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("registrations.id"), index=True)
    event_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("events.id"), index=True)
    serial: Mapped[int] = mapped_column(Integer)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    short_code: Mapped[str] = mapped_column(String(16), index=True)
    revoked_at: Mapped[datetime | None]


class Invitation(Travelling, Base):
    """One line of a butler's call list for an event."""

    __tablename__ = "invitations"
    __table_args__ = (UniqueConstraint("event_id", "person_id"),)
    event_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("events.id"), index=True)
    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("people.id"), index=True)
    staff_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff.id"), index=True)
    status: Mapped[str] = mapped_column(String(12), default="to_call")
    note: Mapped[str] = mapped_column(Text, default="")
    called_at: Mapped[datetime | None]
    registration_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("registrations.id"))


class ScanLog(Travelling, Base):
    """Append-only: every scan or manual check-in/undo/check-out, accepted or not."""

    __tablename__ = "scan_log"
    nonce: Mapped[uuid.UUID] = mapped_column(unique=True, default=new_id)
    event_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("events.id"), index=True)
    registration_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("registrations.id"), index=True
    )
    action: Mapped[str] = mapped_column(String(20), default="check_in")
    result: Mapped[str] = mapped_column(String(24))
    raw_code: Mapped[str | None] = mapped_column(String(300))
    desk: Mapped[str | None] = mapped_column(String(64))
    staff_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff.id"))
    scanned_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    note: Mapped[str | None] = mapped_column(Text)
    # issue 14: desk questions answered with this scan ({key: value as stored})
    answers: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class OnlineAttendance(Travelling, Base):
    __tablename__ = "online_attendance"
    event_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("events.id"), index=True)
    registration_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("registrations.id"))
    person_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("people.id"))
    platform: Mapped[str] = mapped_column(String(20))
    display_name: Mapped[str] = mapped_column(String(200))
    identity_key: Mapped[str] = mapped_column(String(300))
    first_join_at: Mapped[datetime | None]
    last_leave_at: Mapped[datetime | None]
    minutes: Mapped[int] = mapped_column(Integer, default=0)
    sessions: Mapped[int] = mapped_column(Integer, default=1)


class Feedback(Travelling, Base):
    __tablename__ = "feedback"
    event_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("events.id"), index=True)
    person_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("people.id"))
    registration_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("registrations.id"))
    rating: Mapped[int | None]
    nps: Mapped[int | None]
    comment: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(String(20), default="desk")


# --------------------------------------------------------------------------- issue 15:
# costs shared among participants (AA制) and partner perks redeemed with points


class FeeItem(Travelling, Base):
    """A cost of an event its participants share: fuel, tolls, lunch, hotel, insurance.

    `amount_cents` is the total to share over the units of `split` (people, cars,
    families), or the price of one unit when `per_unit`; a `fixed` fee is per registration.
    `subsidy_cents` is what the dealer pays of it (of the total; per unit for per-unit and
    fixed items). What each registration owes is computed (services/fees.py), never stored.
    """

    __tablename__ = "fee_items"
    event_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("events.id"), index=True)
    label: Mapped[str] = mapped_column(String(100))
    amount_cents: Mapped[int] = mapped_column(Integer)
    split: Mapped[str] = mapped_column(String(10), default="person")
    per_unit: Mapped[bool] = mapped_column(Boolean, default=False)
    subsidy_cents: Mapped[int] = mapped_column(Integer, default=0)
    position: Mapped[int] = mapped_column(Integer, default=0)


class Payment(Travelling, Base):
    """The fees ledger: money received (+) or paid back (−), recorded, never processed.

    Append-only: rows are never edited; a mistake is reversed by a `correction` row. The
    nonce is made where the money was taken (desk or offline laptop), so a payment merged
    back from an event pack is stored exactly once. `receipt_no` is unique per dealer
    (services/fees.next_receipt_no: one series, blocks reserved for packs).
    """

    __tablename__ = "payments"
    nonce: Mapped[uuid.UUID] = mapped_column(unique=True, default=new_id)
    event_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("events.id"), index=True)
    registration_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("registrations.id"), index=True)
    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("people.id"), index=True)
    kind: Mapped[str] = mapped_column(String(12), default="payment")
    amount_cents: Mapped[int] = mapped_column(Integer)
    method: Mapped[str] = mapped_column(String(12), default="cash")
    reference: Mapped[str | None] = mapped_column(String(100))
    taken_by: Mapped[str | None] = mapped_column(String(100))
    staff_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff.id"))
    taken_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    receipt_no: Mapped[str | None] = mapped_column(String(40), unique=True)
    # unique: a row is reversed at most once, even by two desks at the same moment
    corrects_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("payments.id"), unique=True)
    note: Mapped[str | None] = mapped_column(Text)


class Partner(Travelling, Base):
    """A business whose perks members redeem with points (异业合作: hotel, car wash…)."""

    __tablename__ = "partners"
    name: Mapped[str] = mapped_column(String(200))
    contact: Mapped[str | None] = mapped_column(String(200))
    city: Mapped[str | None] = mapped_column(String(100))
    notes: Mapped[str] = mapped_column(Text, default="")


class Perk(Travelling, Base):
    """Something a partner gives for points. `issued` counts live vouchers (redeemed, not
    cancelled); one conditional UPDATE (issued < stock) hands out the last one exactly once."""

    __tablename__ = "perks"
    partner_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("partners.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    points: Mapped[int] = mapped_column(Integer)
    stock: Mapped[int] = mapped_column(Integer)
    issued: Mapped[int] = mapped_column(Integer, default=0)
    min_tier: Mapped[str | None] = mapped_column(String(20))
    per_person_limit: Mapped[int | None]
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Voucher(Travelling, Base):
    """A redeemed perk: the signed code the member shows the partner (docs/perks.md)."""

    __tablename__ = "vouchers"
    code: Mapped[str] = mapped_column(String(64), unique=True)
    short_code: Mapped[str] = mapped_column(String(16), index=True)
    perk_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("perks.id"), index=True)
    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("people.id"), index=True)
    points: Mapped[int] = mapped_column(Integer)
    valid_until: Mapped[datetime | None]
    staff_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff.id"))
    consumed_at: Mapped[datetime | None]
    consumed_by: Mapped[str | None] = mapped_column(String(100))
    cancelled_at: Mapped[datetime | None]
    cancel_reason: Mapped[str | None] = mapped_column(Text)


# --------------------------------------------------------------------------- end of issue 15
# --------------------------------------------------------------------------- personal data (issue 18)


class ConsentChange(Travelling, Base):
    """One consent given or withdrawn (PIPL Art. 15): what, when, how, by whom.

    `people.consent_*_at` is the current state (what lists read); this is its history.
    """

    __tablename__ = "consent_changes"
    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("people.id"), index=True)
    kind: Mapped[str] = mapped_column(String(12), default="marketing")  # marketing, photos
    given: Mapped[bool] = mapped_column(Boolean)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    # form, desk, import, paper, person_page, cli (domain/enums.ConsentMethod)
    method: Mapped[str] = mapped_column(String(12))
    staff_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff.id"))
    staff_name: Mapped[str | None] = mapped_column(String(100))
    source: Mapped[str | None] = mapped_column(String(200))  # file or form name, paper ref


class Erasure(Travelling, Base):
    """A tombstone: this person's personal data was erased here (travels to HQ)."""

    __tablename__ = "erasures"
    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("people.id"), index=True)
    erased_at: Mapped[datetime] = mapped_column(default=utcnow)
    kind: Mapped[str] = mapped_column(String(12), default="request")  # request, retention
    reason: Mapped[str] = mapped_column(Text, default="")  # the person's own values removed
    staff_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff.id"))
    staff_name: Mapped[str | None] = mapped_column(String(100))


# --------------------------------------------------------------------------- audit and sync


class AuditEntry(Base):
    __tablename__ = "audit_log"
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    staff_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff.id"))
    staff_name: Mapped[str | None] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(50), index=True)
    entity: Mapped[str] = mapped_column(String(30))
    entity_id: Mapped[str | None] = mapped_column(String(64))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    device: Mapped[str | None] = mapped_column(String(64))


class SyncOperation(Base):
    """History of exports/imports/merges with their reports (Sync screen)."""

    __tablename__ = "sync_operations"
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    kind: Mapped[str] = mapped_column(String(30))
    file: Mapped[str | None] = mapped_column(String(500))
    watermark: Mapped[datetime | None]
    report: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


Index("ix_scan_log_reg_action", ScanLog.registration_id, ScanLog.action)
# Capacity checks (SUM of seats, the waitlist's last time, "does a waiting party fit")
# read only this index: registering stays flat as an event fills up.
Index(
    "ix_registrations_event_seats",
    Registration.event_id,
    Registration.status,
    Registration.deleted_at,
    Registration.waitlisted_at,
    Registration.party_size,
)
# Reports (services/reports.py): every count over confirmed registrations (reports.confirmed:
# live, status registered/attended/no_show) reads this index, not the table. Event and butler
# first, so a per-event, per-butler GROUP BY streams in index order; status and deleted_at
# are listed so that SQLite's planner sees the index covers a query naming them.
# The WHERE repeats reports.confirmed literally (sorted statuses): SQLite matches a partial
# index's terms against the query's WHERE as written.
Index(
    "ix_registrations_confirmed",
    Registration.event_id,
    Registration.invited_by_id,
    Registration.is_walk_in,
    Registration.referred_by_id,
    Registration.person_id,
    Registration.checked_in_at,
    Registration.online_minutes,
    Registration.status,
    Registration.deleted_at,
    sqlite_where=and_(
        Registration.deleted_at.is_(None), Registration.status.in_(sorted(CONFIRMED))
    ),
    postgresql_where=and_(
        Registration.deleted_at.is_(None), Registration.status.in_(sorted(CONFIRMED))
    ),
)


# --------------------------------------------------------------------------- issue 14
# Sign-up questions and their answers; gifts at the door and who was handed one.


class Question(Travelling, Base):
    """A question of one event, asked at sign-up, filled from online forms, and/or asked
    at the desk (pretix's questions with ask-during-check-in; CiviCRM's profile fields)."""

    __tablename__ = "questions"
    __table_args__ = (UniqueConstraint("event_id", "key"),)
    event_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("events.id"), index=True)
    key: Mapped[str] = mapped_column(String(40))  # lower case; the JSON/CLI name
    label: Mapped[str] = mapped_column(String(200))
    type: Mapped[str] = mapped_column(String(10))  # text number yes_no choice multi date
    choices: Mapped[list[Any]] = mapped_column(JSON, default=list)
    required: Mapped[bool] = mapped_column(Boolean, default=False)
    at_signup: Mapped[bool] = mapped_column(Boolean, default=True)
    at_desk: Mapped[bool] = mapped_column(Boolean, default=False)
    position: Mapped[int] = mapped_column(Integer, default=0)


class Answer(Travelling, Base):
    """One registration's answer to one question, as canonical text (services/questions)."""

    __tablename__ = "answers"
    __table_args__ = (UniqueConstraint("registration_id", "question_id"),)
    event_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("events.id"), index=True)
    registration_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("registrations.id"), index=True)
    question_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("questions.id"), index=True)
    question_key: Mapped[str] = mapped_column(String(40))
    value: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(12), default="signup")  # signup form desk


class Gift(Travelling, Base):
    """A gift item of an event (到店礼 / 伴手礼 / 签到礼) with its stock and rule.

    `handed` is changed only by one conditional UPDATE (`… WHERE handed + :n <= stock`), so
    two desks handing the last item can never both succeed."""

    __tablename__ = "gifts"
    event_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("events.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    stock: Mapped[int] = mapped_column(Integer, default=0)
    handed: Mapped[int] = mapped_column(Integer, default=0)
    rule: Mapped[str] = mapped_column(String(20), default="per_registration")
    rule_value: Mapped[str | None] = mapped_column(String(40))  # tier, or N of first_n
    cost: Mapped[Decimal | None]  # per item, CNY
    position: Mapped[int] = mapped_column(Integer, default=0)


class GiftHandout(Travelling, Base):
    """A gift handed to a registration's party; returned to stock when the check-in is
    undone. Idempotent by nonce like scans (packs merge back without double hand-outs)."""

    __tablename__ = "gift_handouts"
    nonce: Mapped[uuid.UUID] = mapped_column(unique=True, default=new_id)
    event_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("events.id"), index=True)
    gift_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("gifts.id"), index=True)
    registration_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("registrations.id"), index=True)
    quantity: Mapped[int] = mapped_column(Integer, default=1)
    handed_at: Mapped[datetime] = mapped_column(default=utcnow)
    desk: Mapped[str | None] = mapped_column(String(64))
    staff_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff.id"))
    returned_at: Mapped[datetime | None]


# A person's balance and the points their tier counts (earned, not spent) are sums over
# their ledger rows; the desk reads both with every scan. With delta and kind in the index
# the sums are read from one index page instead of one table page per ledger row (a cold
# page each at the door). Its leading person_id serves every other by-person look-up.
Index("ix_points_ledger_person_balance", PointsEntry.person_id, PointsEntry.kind, PointsEntry.delta)

# One live hand-out of a gift per registration: a second desk handing the same person the
# same gift at the same moment fails on this index (its stock UPDATE rolls back with it).
Index(
    "ix_gift_handouts_live",
    GiftHandout.gift_id,
    GiftHandout.registration_id,
    unique=True,
    sqlite_where=and_(GiftHandout.returned_at.is_(None), GiftHandout.deleted_at.is_(None)),
    postgresql_where=and_(GiftHandout.returned_at.is_(None), GiftHandout.deleted_at.is_(None)),
)
# Issue 17 (the scan at its floor): the desk's "first visit" note asks whether the person has
# another checked-in registration. Without this index each scan read every registration row
# of the person (a person with 16 past registrations: 16 cold pages, ~3 ms at the door); the
# partial index answers from the index alone, and holds only checked-in registrations.
# The WHERE is written as checkin._detail_columns writes it (SQLite matches terms as written).
Index(
    "ix_registrations_person_checked_in",
    Registration.person_id,
    Registration.id,
    sqlite_where=and_(Registration.checked_in_at.is_not(None), Registration.deleted_at.is_(None)),
    postgresql_where=and_(
        Registration.checked_in_at.is_not(None), Registration.deleted_at.is_(None)
    ),
)
