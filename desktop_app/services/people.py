"""People (ONE ID) and their vehicles: create, edit, find, search as you type, detail.

Read API for screens (stable; the People screen pages with these):
  search_people(db, query, stage=, tier=, club_id=, butler_id=, tag=, limit=, offset=)
      -> list[PersonRow]   one page, ordered by name then id (stable paging)
  count_people(db, query, same filters) -> int   total for the lazy table
  person_detail(db, id) -> PersonDetail   person, vehicles, clubs, points, events, referrals
  get_person(db, id) -> PersonView;  find_by_phone(db, raw) -> PersonView | None
  list_tags(db) -> list[str]

Write API: create_person / update_person (PersonDraft in, PersonView out),
add_vehicle / update_vehicle / remove_vehicle (VehicleDraft in, VehicleView out).
`create_person_in(s, ...)` and `add_vehicle_in(s, ...)` do the same inside a caller's
transaction (imports, walk-in registration).

Phones are stored as E.164; the digits reversed in `phone_rev` make "last 4 digits" an
indexed prefix search; VINs likewise keep `vin_rev` for "last 6 of the VIN".
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Subquery,
    Text,
    and_,
    exists,
    false,
    func,
    null,
    or_,
    select,
    union,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session

from desktop_app.domain.enums import RegistrationStatus, Stage
from desktop_app.domain.errors import NotFound, ValidationError
from desktop_app.domain.ids import new_id
from desktop_app.domain.phone import PhoneError, display_phone, normalise_phone
from desktop_app.domain.roles import Permission
from desktop_app.domain.timeutil import now_utc
from desktop_app.domain.vehicle_ids import PlateError, VinError, normalise_plate, normalise_vin
from desktop_app.services import consent
from desktop_app.services import points as points_service
from desktop_app.services.auth import require
from desktop_app.services.common import audit, parse_id, stamp_origin
from desktop_app.store.db import Database
from desktop_app.store.models import (
    Club,
    ClubMembership,
    Event,
    Person,
    PersonTag,
    PointsEntry,
    Registration,
    Staff,
    Vehicle,
)

NAME_MAX = 100
WECHAT_MAX = 100
EMAIL_MAX = 200
TAG_MAX = 50
SOURCE_MAX = 30
MODEL_MAX = 100
PAGE = 50
MIN_DIGITS = 3  # a phone-like query shorter than this does not filter yet
SPARSE = 500  # up to this many matches are sorted directly; more walk the name index
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PLATE_JUNK = re.compile(r"[\s\-·•.．]")
_PHONEISH = re.compile(r"^\+?[\d\s\-().]+$")
_ALNUM = re.compile(r"^[A-Za-z0-9]+$")
_PROVINCE = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼使领"


# --------------------------------------------------------------------------- types


@dataclass(frozen=True, slots=True)
class PersonDraft:
    """What staff fill in. `phone` is raw text (any format); tier is derived, never set.

    consent_marketing / consent_photos: True stamps the time consent was given (kept if
    already given); False withdraws it. Each change is kept in the consent history with
    `consent_method` (how: person_page, paper, import, form, desk, cli) and
    `consent_source` (a file or form name, a paper form's reference).
    """

    name: str
    phone: str | None = None
    wechat: str | None = None
    email: str | None = None
    stage: str = Stage.PROSPECT
    butler_id: uuid.UUID | str | None = None
    referred_by_id: uuid.UUID | str | None = None
    consent_marketing: bool = False
    consent_photos: bool = False
    tags: Sequence[str] = ()
    notes: str = ""
    source: str | None = None
    birthday: date | None = None
    consent_method: str = "person_page"
    consent_source: str | None = None


@dataclass(frozen=True, slots=True)
class PersonView:
    id: uuid.UUID
    name: str
    phone: str | None  # E.164
    wechat: str | None
    email: str | None
    stage: str
    tier: str  # none, silver, gold, platinum
    tier_changed_at: datetime | None
    butler_id: uuid.UUID | None
    butler_name: str | None
    referred_by_id: uuid.UUID | None
    referred_by_name: str | None
    consent_marketing_at: datetime | None
    consent_photos_at: datetime | None
    tags: tuple[str, ...]
    notes: str
    source: str | None
    birthday: date | None
    balance: int
    merged_into_id: uuid.UUID | None
    created_at: datetime
    updated_at: datetime
    erased_at: datetime | None = None  # personal data erased: an anonymous record

    @property
    def unreachable(self) -> bool:
        """No phone: cannot be called or texted (shown as a flag in lists)."""
        return not self.phone

    @property
    def phone_display(self) -> str:
        return display_phone(self.phone)

    def draft(self) -> PersonDraft:
        """The editable fields, to change and pass back to update_person."""
        return PersonDraft(
            name=self.name,
            phone=self.phone,
            wechat=self.wechat,
            email=self.email,
            stage=self.stage,
            butler_id=self.butler_id,
            referred_by_id=self.referred_by_id,
            consent_marketing=self.consent_marketing_at is not None,
            consent_photos=self.consent_photos_at is not None,
            tags=self.tags,
            notes=self.notes,
            source=self.source,
            birthday=self.birthday,
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "name": self.name,
            "phone": self.phone,
            "phone_display": self.phone_display,
            "unreachable": self.unreachable,
            "wechat": self.wechat,
            "email": self.email,
            "stage": self.stage,
            "tier": self.tier,
            "tier_changed_at": _iso(self.tier_changed_at),
            "butler_id": _str(self.butler_id),
            "butler_name": self.butler_name,
            "referred_by_id": _str(self.referred_by_id),
            "referred_by_name": self.referred_by_name,
            "consent_marketing_at": _iso(self.consent_marketing_at),
            "consent_photos_at": _iso(self.consent_photos_at),
            "tags": list(self.tags),
            "notes": self.notes,
            "source": self.source,
            "birthday": _iso(self.birthday),
            "balance": self.balance,
            "merged_into_id": _str(self.merged_into_id),
            "created_at": self.created_at.isoformat(),
            "updated_at": self.updated_at.isoformat(),
            "erased_at": _iso(self.erased_at),
        }


@dataclass(frozen=True, slots=True)
class PersonRow:
    """One line of the people table."""

    id: uuid.UUID
    name: str
    phone: str | None
    stage: str
    tier: str
    butler_id: uuid.UUID | None
    butler_name: str | None
    plates: tuple[str, ...]
    balance: int
    models: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()

    @property
    def unreachable(self) -> bool:
        return not self.phone

    @property
    def phone_display(self) -> str:
        return display_phone(self.phone)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "name": self.name,
            "phone": self.phone,
            "phone_display": self.phone_display,
            "unreachable": self.unreachable,
            "stage": self.stage,
            "tier": self.tier,
            "butler_id": _str(self.butler_id),
            "butler_name": self.butler_name,
            "plates": list(self.plates),
            "models": list(self.models),
            "tags": list(self.tags),
            "balance": self.balance,
        }


@dataclass(frozen=True, slots=True)
class VehicleDraft:
    """VIN and plate are raw text; both optional but validated when given (reasons shown)."""

    vin: str | None = None
    plate: str | None = None
    model: str | None = None
    purchase_date: date | None = None


@dataclass(frozen=True, slots=True)
class VehicleView:
    id: uuid.UUID
    person_id: uuid.UUID
    vin: str | None
    plate: str | None
    model: str | None
    purchase_date: date | None

    def draft(self) -> VehicleDraft:
        return VehicleDraft(self.vin, self.plate, self.model, self.purchase_date)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "person_id": str(self.person_id),
            "vin": self.vin,
            "plate": self.plate,
            "model": self.model,
            "purchase_date": _iso(self.purchase_date),
        }


@dataclass(frozen=True, slots=True)
class ClubLink:
    club_id: uuid.UUID
    club_name: str
    role: str  # member, leader, kol
    joined_on: date | None

    def to_json(self) -> dict[str, Any]:
        return {
            "club_id": str(self.club_id),
            "club_name": self.club_name,
            "role": self.role,
            "joined_on": _iso(self.joined_on),
        }


@dataclass(frozen=True, slots=True)
class AttendedEvent:
    event_id: uuid.UUID
    registration_id: uuid.UUID
    title: str
    type: str
    starts_at: datetime | None
    status: str
    checked_in_at: datetime | None

    def to_json(self) -> dict[str, Any]:
        return {
            "event_id": str(self.event_id),
            "registration_id": str(self.registration_id),
            "title": self.title,
            "type": self.type,
            "starts_at": _iso(self.starts_at),
            "status": self.status,
            "checked_in_at": _iso(self.checked_in_at),
        }


@dataclass(frozen=True, slots=True)
class PersonRef:
    id: uuid.UUID
    name: str
    stage: str
    created_at: datetime

    def to_json(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "name": self.name,
            "stage": self.stage,
            "created_at": self.created_at.isoformat(),
        }


@dataclass(frozen=True, slots=True)
class PersonDetail:
    """Everything the detail pane shows about one person."""

    person: PersonView
    vehicles: tuple[VehicleView, ...] = ()
    clubs: tuple[ClubLink, ...] = ()
    points: tuple[points_service.LedgerEntry, ...] = ()
    events: tuple[AttendedEvent, ...] = ()
    referrals: tuple[PersonRef, ...] = field(default_factory=tuple)
    vouchers: tuple[Any, ...] = ()  # issue 15: perks.VoucherView, newest first

    def to_json(self) -> dict[str, Any]:
        return self.person.to_json() | {
            "vehicles": [v.to_json() for v in self.vehicles],
            "clubs": [c.to_json() for c in self.clubs],
            "points": [e.to_json() for e in self.points],
            "events": [e.to_json() for e in self.events],
            "referrals": [r.to_json() for r in self.referrals],
            "vouchers": [v.to_json() for v in self.vouchers],
        }


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _str(value: object) -> str | None:
    return str(value) if value is not None else None


# --------------------------------------------------------------------------- validation


def clean(value: str | None) -> str:
    """Full-width → half-width, trimmed; None → ''."""
    return unicodedata.normalize("NFKC", value or "").strip()


def phone_or_error(raw: str | None, field_name: str = "phone") -> str | None:
    """E.164 for raw phone text, None when blank; ValidationError with the reason otherwise."""
    text = clean(raw)
    if not text:
        return None
    try:
        return normalise_phone(text)
    except PhoneError as exc:
        raise ValidationError(field_name, f"phone_{exc.problem.code}", text=text) from None


def vin_or_error(raw: str | None) -> str | None:
    if not clean(raw):
        return None
    try:
        return normalise_vin(raw)
    except VinError as exc:
        raise ValidationError("vin", exc.code, **exc.params) from None


def plate_or_error(raw: str | None) -> str | None:
    if not clean(raw):
        return None
    try:
        return normalise_plate(raw)
    except PlateError as exc:
        raise ValidationError("plate", exc.code, **exc.params) from None


def _tags(values: Iterable[str]) -> list[str]:
    out: list[str] = []
    for t in values or ():
        tag = clean(t)
        if not tag:
            continue
        if len(tag) > TAG_MAX:
            raise ValidationError("tags", "too_long", max=TAG_MAX)
        if tag not in out:
            out.append(tag)
    return out


def validate_person(draft: PersonDraft) -> list[ValidationError]:
    """Every problem of a draft that can be seen without the database (form highlights)."""
    problems: list[ValidationError] = []
    name = clean(draft.name)
    if not name:
        problems.append(ValidationError("name", "required"))
    elif len(name) > NAME_MAX:
        problems.append(ValidationError("name", "too_long", max=NAME_MAX))
    try:
        phone_or_error(draft.phone)
    except ValidationError as exc:
        problems.append(exc)
    if len(clean(draft.wechat)) > WECHAT_MAX:
        problems.append(ValidationError("wechat", "too_long", max=WECHAT_MAX))
    email = clean(draft.email)
    if email and (not _EMAIL.match(email) or len(email) > EMAIL_MAX):
        problems.append(ValidationError("email", "email_invalid", text=email))
    if draft.stage not in Stage.__members__.values():
        problems.append(ValidationError("stage", "bad_choice", choices=", ".join(Stage)))
    if len(clean(draft.source)) > SOURCE_MAX:
        problems.append(ValidationError("source", "too_long", max=SOURCE_MAX))
    try:
        _tags(draft.tags)
    except ValidationError as exc:
        problems.append(exc)
    return problems


def _check(draft: PersonDraft) -> None:
    problems = validate_person(draft)
    if problems:
        raise problems[0]


def _phone_free(s: Session, e164: str | None, own_id: uuid.UUID | None) -> None:
    if not e164:
        return
    other = s.scalars(select(Person).where(Person.phone == e164)).first()
    if other is not None and other.id != own_id:
        other = _survivor(s, other) or other  # name who has it now, not a merged-away row
        raise ValidationError(
            "phone", "phone_taken", phone=display_phone(e164), name=other.name, id=other.id
        )


def _ref_id(s: Session, model: type[Any], value: object, field_name: str) -> uuid.UUID | None:
    if value in (None, ""):
        return None
    ident = parse_id(value, field_name)  # type: ignore[arg-type]
    row = s.get(model, ident)
    if row is None or getattr(row, "deleted_at", None) is not None:
        raise NotFound("staff" if model is Staff else "person", value)
    return ident


def _apply(s: Session, p: Person, d: PersonDraft) -> None:
    now = now_utc()
    e164 = phone_or_error(d.phone)
    _phone_free(s, e164, p.id)
    p.name = clean(d.name)
    p.phone = e164
    p.wechat = clean(d.wechat) or None
    p.email = clean(d.email).lower() or None
    if p.stage != d.stage:
        p.stage_changed_at = now
    p.stage = str(d.stage)
    p.butler_id = _ref_id(s, Staff, d.butler_id, "butler_id")
    ref = _ref_id(s, Person, d.referred_by_id, "referred_by_id")
    if ref is not None and ref == p.id:
        raise ValidationError("referred_by_id", "self_referral")
    p.referred_by_id = ref
    p.notes = (d.notes or "").strip()
    p.source = clean(d.source) or None
    p.birthday = d.birthday
    wanted = _tags(d.tags)
    p.tags = [t for t in p.tags if t.tag in wanted] + [
        PersonTag(tag=t) for t in wanted if t not in {x.tag for x in p.tags}
    ]


# --------------------------------------------------------------------------- writes


def create_person_in(s: Session, draft: PersonDraft, actor: object = None) -> Person:
    """Create a person inside the caller's transaction (imports, walk-ins); audited."""
    _check(draft)
    p = Person(id=new_id(), name=clean(draft.name), stage=str(draft.stage), tags=[])
    p.stage_changed_at = now_utc()
    _apply(s, p, draft)
    p.tier = points_service.thresholds_in(s).tier_for(0)
    stamp_origin(s, p)
    s.add(p)
    s.flush()
    audit(s, "person.create", "person", p.id, {"name": p.name}, actor)
    _apply_consents(s, p, draft, actor)
    return p


def _apply_consents(s: Session, p: Person, d: PersonDraft, actor: object) -> None:
    """The draft's consents, each change kept in the history (services/consent.py)."""
    for kind, given in (("marketing", d.consent_marketing), ("photos", d.consent_photos)):
        consent.set_consent_in(
            s, p, kind, bool(given), d.consent_method, actor=actor, source=d.consent_source
        )


def create_person(db: Database, draft: PersonDraft, actor: object = None) -> PersonView:
    """Add a person. Phone normalised to E.164 and unique: a clash names the other person."""
    require(db, actor, Permission.EDIT_PEOPLE)
    with db.write() as s:
        p = create_person_in(s, draft, actor)
        return _view(s, p)


def update_person(
    db: Database, person_id: str | uuid.UUID, draft: PersonDraft, actor: object = None
) -> PersonView:
    """Save an edited person (the tier is not editable: it follows the points balance)."""
    require(db, actor, Permission.EDIT_PEOPLE)
    _check(draft)
    with db.write() as s:
        p = _load(s, person_id)
        if p.erased_at is not None:
            raise ValidationError("name", "person_erased")
        before = {"name": p.name, "phone": p.phone, "stage": p.stage}
        _apply(s, p, draft)
        _apply_consents(s, p, draft, actor)
        s.flush()
        after = {"name": p.name, "phone": p.phone, "stage": p.stage}
        changed = {k: [before[k], after[k]] for k in before if before[k] != after[k]}
        audit(s, "person.update", "person", p.id, {"changed": changed}, actor)
        return _view(s, p)


def _load(s: Session, person_id: str | uuid.UUID, *, allow_deleted: bool = False) -> Person:
    pid = parse_id(person_id, "person")
    p = s.get(Person, pid)
    if p is None or (p.deleted_at is not None and not allow_deleted):
        raise NotFound("person", person_id)
    return p


def _view(s: Session, p: Person) -> PersonView:
    butler = s.get(Staff, p.butler_id) if p.butler_id else None
    ref = s.get(Person, p.referred_by_id) if p.referred_by_id else None
    return PersonView(
        id=p.id,
        name=p.name,
        phone=p.phone,
        wechat=p.wechat,
        email=p.email,
        stage=p.stage,
        tier=p.tier or "none",
        tier_changed_at=p.tier_changed_at,
        butler_id=p.butler_id,
        butler_name=butler.name if butler else None,
        referred_by_id=p.referred_by_id,
        referred_by_name=ref.name if ref else None,
        consent_marketing_at=p.consent_marketing_at,
        consent_photos_at=p.consent_photos_at,
        tags=tuple(sorted(t.tag for t in p.tags)),
        notes=p.notes or "",
        source=p.source,
        birthday=p.birthday,
        balance=points_service.balance_in(s, p.id),
        merged_into_id=p.merged_into_id,
        created_at=p.created_at,
        updated_at=p.updated_at,
        erased_at=p.erased_at,
    )


# --------------------------------------------------------------------------- reads


def get_person(db: Database, person_id: str | uuid.UUID) -> PersonView:
    """One person; NotFound for an unknown, deleted or merged-away id."""
    with db.read() as s:
        return _view(s, _load(s, person_id))


def find_by_phone(db: Database, raw: str | None) -> PersonView | None:
    """The person with this phone in any format (+86, 0086, spaces, full-width…).

    None when nobody has it or the text is not a usable mobile number.
    """
    with db.read() as s:
        p = _by_phone(s, raw)
        return _view(s, p) if p else None


def _by_phone(s: Session, raw: str | None) -> Person | None:
    """The living person with this phone (following merges); None for no usable mobile."""
    try:
        e164 = normalise_phone(raw)
    except PhoneError:
        return None
    return _survivor(s, s.scalars(select(Person).where(Person.phone == e164)).first())


def _survivor(s: Session, p: Person | None) -> Person | None:
    """Follow merges: a merged-away person's old phone still finds the survivor."""
    seen: set[uuid.UUID] = set()
    while p is not None and p.deleted_at is not None and p.merged_into_id and p.id not in seen:
        seen.add(p.id)
        p = s.get(Person, p.merged_into_id)
    return p if p is not None and p.deleted_at is None else None


def _prefix(col: Any, prefix: str) -> ColumnElement[bool]:
    """`col` starts with `prefix`, as an index range (byte order: SQLite and C collation)."""
    upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    return and_(col >= prefix, col < upper)


def _contains(col: Any, text: str) -> ColumnElement[bool]:
    return col.contains(text, autoescape=True)


def _query_branches(
    query: str, sqlite: bool = True
) -> tuple[list[ColumnElement[bool]], list[ColumnElement[bool]]] | None:
    """(conditions on people, conditions on vehicles) a search box query matches, each
    one an index range except the name "contains" and, from 7 digits, the phone middle
    part: at most one scan per keystroke. None: the query does not filter."""
    text = clean(query)
    if not text:
        return None
    people_conds: list[ColumnElement[bool]] = []
    vehicle_conds: list[ColumnElement[bool]] = []
    if _PHONEISH.match(text) and any(c.isdigit() for c in text):
        digits = re.sub(r"\D", "", text)
        if len(digits) < MIN_DIGITS:
            return None  # "1", "13": too short to narrow 100k people; keep typing
        intl = digits if text.startswith("+") else digits[2:] if digits.startswith("00") else None
        if intl:
            people_conds.append(_prefix(Person.phone, "+" + intl))
        if not text.startswith("+"):
            people_conds.append(_prefix(Person.phone, "+86" + digits))
            if digits.startswith("86") and len(digits) > 11:
                people_conds.append(_prefix(Person.phone, "+" + digits))
            people_conds.append(_prefix(Person.phone_rev, digits[::-1]))  # the last digits
            if 7 <= len(digits) <= 10:
                # A middle part (7+ digits, so "VIN 后六位" stays an index lookup).
                people_conds.append(_contains(Person.phone, digits))
            if len(digits) >= 4:
                # Plates and VINs ending in these digits ("车架号后六位").
                vehicle_conds.append(_prefix(Vehicle.vin_rev, digits[::-1]))
                vehicle_conds.append(_prefix(Vehicle.plate_rev, digits[::-1]))
        return people_conds, vehicle_conds
    compact = _PLATE_JUNK.sub("", text).upper()
    plate_like = len(compact) >= 2 and compact[0] in _PROVINCE and compact[1].isascii()
    has_digit = any(c.isdigit() for c in text)
    # Names hold no digits, "@" or "沪A…": such queries skip the name scan.
    if not plate_like and not has_digit and "@" not in text:
        pattern = "%" + _escape(text) + "%"
        # SQLite's LIKE already ignores ASCII case (lower() would defeat the index);
        # PostgreSQL needs ILIKE, which costs several times LIKE: only for cased text.
        if sqlite or text.lower() == text.upper():
            name = Person.name.like(pattern, escape="\\")
        else:
            name = Person.name.ilike(pattern, escape="\\")
        if not sqlite and (len(text) < 3 or not text.isascii()):
            # pg_trgm's index needs 3 characters, and a server whose ctype is plain C keeps
            # no trigrams of Chinese: the characters index (migration 0005) finds the names
            # holding every character typed; LIKE then checks they are adjacent.
            name = and_(name_characters(Person.name).contains(sorted(set(text.lower()))), name)
        people_conds.append(name)
    if plate_like:
        vehicle_conds.append(_prefix(Vehicle.plate, compact))
    elif _ALNUM.match(compact) and len(compact) >= 3:
        vehicle_conds.append(_prefix(Vehicle.plate_rev, compact[::-1]))  # plate end
        if len(compact) >= 4:
            vehicle_conds.append(_prefix(Vehicle.vin, compact))
            vehicle_conds.append(_prefix(Vehicle.vin_rev, compact[::-1]))
    if text.isascii() and len(text) >= 3:
        people_conds += [Person.wechat == text, Person.wechat == text.lower()]
        if "@" in text:
            people_conds.append(Person.email == text.lower())
    return people_conds, vehicle_conds


def name_characters(name: Any) -> Any:
    """The characters of a lower-cased name as a text array (PostgreSQL only): what the GIN
    index ix_people_name_chars holds, written exactly as the index states it."""
    return func.string_to_array(func.lower(name), null(), type_=ARRAY(Text))


def _pg_matches(query: str, where: list[ColumnElement[bool]]) -> Subquery | None:
    """PostgreSQL: the people matching `query` and `where` as (pid, name), a UNION of one
    indexed select per branch (vehicle branches join their owner).

    The page is then picked from this set by name. Joined back to people instead, the
    planner walks the name index in order — 40,000 rows read when the matches sit
    together (张…) — or filters the whole table against the ids.
    """
    branches = _query_branches(query, sqlite=False)
    if branches is None:
        return None
    people_conds, vehicle_conds = branches
    selects: list[Any] = [
        select(Person.id.label("pid"), Person.name.label("name")).where(c, *where)
        for c in people_conds
    ]
    selects += [
        select(Person.id.label("pid"), Person.name.label("name"))
        .join(Vehicle, Vehicle.person_id == Person.id)
        .where(c, Vehicle.deleted_at.is_(None), *where)
        for c in vehicle_conds
    ]
    if not selects:
        return select(Person.id.label("pid"), Person.name.label("name")).where(false()).subquery()
    return union(*selects).subquery("matches")


def _query_ids(query: str, sqlite: bool = True) -> Subquery | ColumnElement[bool] | None:
    """A condition on Person when one branch suffices (walks the name index in order),
    else the matching ids as a UNION of small selects (materialised once, so nothing
    probes vehicles person by person)."""
    branches = _query_branches(query, sqlite)
    if branches is None:
        return None
    people_conds, vehicle_conds = branches
    if len(people_conds) == 1 and not vehicle_conds:
        return people_conds[0]
    selects: list[Any] = [select(Person.id.label("pid")).where(c) for c in people_conds]
    selects += [
        select(Vehicle.person_id.label("pid")).where(c, Vehicle.deleted_at.is_(None))
        for c in vehicle_conds
    ]
    if not selects:
        return false()
    return union(*selects).subquery("matches")


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _filters(
    sqlite: bool,
    query: str,
    stage: str | None,
    tier: str | None,
    club_id: str | uuid.UUID | None,
    butler_id: str | uuid.UUID | None,
    tag: str | None,
) -> tuple[list[ColumnElement[bool]], Subquery | None]:
    """(conditions on Person, matching ids to join or None). On PostgreSQL the matches
    already satisfy the conditions and carry names (_pg_matches)."""
    where: list[ColumnElement[bool]] = [Person.deleted_at.is_(None)]
    if stage:
        where.append(Person.stage == stage)
    if tier:
        where.append(
            or_(Person.tier.is_(None), Person.tier == "none")
            if tier == "none"
            else Person.tier == tier
        )
    if club_id:
        try:
            cid = parse_id(club_id, "club")
        except NotFound:
            return [false()], None
        where.append(
            exists().where(
                ClubMembership.person_id == Person.id,
                ClubMembership.club_id == cid,
                ClubMembership.deleted_at.is_(None),
            )
        )
    if butler_id:
        try:
            where.append(Person.butler_id == parse_id(butler_id, "staff"))
        except NotFound:
            return [false()], None
    if tag:
        where.append(exists().where(PersonTag.person_id == Person.id, PersonTag.tag == clean(tag)))
    if not sqlite:
        return where, _pg_matches(query or "", where)
    ids = _query_ids(query or "", sqlite)
    if isinstance(ids, ColumnElement):
        where.append(ids)
        ids = None
    return where, ids


def search_people(
    db: Database,
    query: str = "",
    *,
    stage: str | None = None,
    tier: str | None = None,
    club_id: str | uuid.UUID | None = None,
    butler_id: str | uuid.UUID | None = None,
    tag: str | None = None,
    limit: int = PAGE,
    offset: int = 0,
) -> list[PersonRow]:
    """One page of people matching `query` and the filters, by name then id.

    `query` matches a name (contains, case-insensitive); a phone in any format, by its
    start (1380…, +86 138…), its end (the last 4 digits) or, from 7 digits, any middle
    part; a plate by its start (沪A, 沪AD12…) or end (D12345, 12345); a VIN by its start
    (LSV…) or end (the last 6); a WeChat id or an email exactly. A phone-like query of
    1–2 digits does not filter yet. Blank query: everyone (filters still apply).
    """
    require(db, None, Permission.LOOK_UP_PEOPLE)
    where, ids = _filters(db.is_sqlite, query, stage, tier, club_id, butler_id, tag)
    stmt = (
        select(
            Person.id,
            Person.name,
            Person.phone,
            Person.stage,
            Person.tier,
            Person.butler_id,
            Staff.name,
        )
        .select_from(Person)
        .outerjoin(Staff, Staff.id == Person.butler_id)
        .limit(max(0, limit))
        .offset(max(0, offset))
    )
    with db.read() as s:
        if ids is not None and not db.is_sqlite:
            # The page is picked from the matches by name (they meet `where` already);
            # only its rows are then read from people.
            page = (
                select(ids.c.pid)
                .order_by(ids.c.name, ids.c.pid)
                .limit(max(0, limit))
                .offset(max(0, offset))
                .subquery("page")
            )
            stmt = stmt.join(page, page.c.pid == Person.id).limit(None).offset(None)
            where = []
        elif ids is not None:
            # Few matches: fetch their ids and sort just those. Many (沪A, 138): walk the
            # name index in order and stop after one page, instead of sorting thousands.
            found = s.scalars(select(ids.c.pid).limit(SPARSE + 1)).all()
            if len(found) <= SPARSE:
                where.append(Person.id.in_(found))
            else:
                # coalesce() hides the primary key from SQLite's planner, which otherwise
                # looks every match up by id and sorts them all.
                key = func.coalesce(Person.id, Person.id)
                where.append(key.in_(select(ids.c.pid)))
        rows = s.execute(stmt.where(*where).order_by(Person.name, Person.id)).all()
        ids = [r[0] for r in rows]
        plates: dict[uuid.UUID, list[str]] = {}
        models: dict[uuid.UUID, list[str]] = {}
        tags: dict[uuid.UUID, list[str]] = {}
        balances: dict[uuid.UUID, int] = {}
        if ids:
            for pid, plate, model in s.execute(
                select(Vehicle.person_id, Vehicle.plate, Vehicle.model)
                .where(Vehicle.person_id.in_(ids), Vehicle.deleted_at.is_(None))
                .order_by(Vehicle.created_at, Vehicle.id)
            ):
                if plate:
                    plates.setdefault(pid, []).append(plate)
                if model and model not in models.get(pid, ()):
                    models.setdefault(pid, []).append(model)
            for pid, tag in s.execute(
                select(PersonTag.person_id, PersonTag.tag)
                .where(PersonTag.person_id.in_(ids))
                .order_by(PersonTag.tag)
            ):
                tags.setdefault(pid, []).append(tag)
            balances = {
                pid: int(total or 0)
                for pid, total in s.execute(
                    select(PointsEntry.person_id, func.sum(PointsEntry.delta))
                    .where(PointsEntry.person_id.in_(ids))
                    .group_by(PointsEntry.person_id)
                )
            }
        return [
            PersonRow(
                id=r[0],
                name=r[1],
                phone=r[2],
                stage=r[3],
                tier=r[4] or "none",
                butler_id=r[5],
                butler_name=r[6],
                plates=tuple(plates.get(r[0], ())),
                balance=balances.get(r[0], 0),
                models=tuple(models.get(r[0], ())),
                tags=tuple(tags.get(r[0], ())),
            )
            for r in rows
        ]


def count_people(
    db: Database,
    query: str = "",
    *,
    stage: str | None = None,
    tier: str | None = None,
    club_id: str | uuid.UUID | None = None,
    butler_id: str | uuid.UUID | None = None,
    tag: str | None = None,
) -> int:
    """How many people search_people would page through with the same arguments."""
    where, ids = _filters(db.is_sqlite, query, stage, tier, club_id, butler_id, tag)
    stmt = select(func.count()).select_from(Person)
    if ids is not None and not db.is_sqlite:  # the matches already meet `where`
        stmt, where = select(func.count()).select_from(ids), []
    elif ids is not None:
        stmt = stmt.join(ids, ids.c.pid == Person.id)
    with db.read() as s:
        return int(s.scalar(stmt.where(*where)) or 0)


def list_tags(db: Database) -> list[str]:
    """Every tag in use, alphabetically (the tag filter's choices)."""
    with db.read() as s:
        return list(s.scalars(select(PersonTag.tag).distinct().order_by(PersonTag.tag)))


def person_detail(db: Database, person_id: str | uuid.UUID) -> PersonDetail:
    """A person with vehicles, clubs (with role), points history, events attended
    (attended or checked in) and the people they referred."""
    require(db, None, Permission.LOOK_UP_PEOPLE)
    with db.read() as s:
        p = _load(s, person_id)
        view = _view(s, p)
        vehicles = tuple(
            _vehicle_view(v)
            for v in s.scalars(
                select(Vehicle)
                .where(Vehicle.person_id == p.id, Vehicle.deleted_at.is_(None))
                .order_by(Vehicle.created_at, Vehicle.id)
            )
        )
        clubs = tuple(
            ClubLink(c.id, c.name, m.role, m.joined_on)
            for m, c in s.execute(
                select(ClubMembership, Club)
                .join(Club, Club.id == ClubMembership.club_id)
                .where(
                    ClubMembership.person_id == p.id,
                    ClubMembership.deleted_at.is_(None),
                    Club.deleted_at.is_(None),
                )
                .order_by(Club.name)
            )
        )
        attended = tuple(
            AttendedEvent(e.id, r.id, e.title, e.type, e.starts_at, r.status, r.checked_in_at)
            for r, e in s.execute(
                select(Registration, Event)
                .join(Event, Event.id == Registration.event_id)
                .where(
                    Registration.person_id == p.id,
                    Registration.deleted_at.is_(None),
                    or_(
                        Registration.status == RegistrationStatus.ATTENDED,
                        Registration.checked_in_at.is_not(None),
                    ),
                )
                .order_by(Event.starts_at.desc(), Event.id)
            )
        )
        referrals = tuple(
            PersonRef(r.id, r.name, r.stage, r.created_at)
            for r in s.scalars(
                select(Person)
                .where(Person.referred_by_id == p.id, Person.deleted_at.is_(None))
                .order_by(Person.created_at, Person.id)
            )
        )
        ledger = tuple(points_service.history_in(s, p.id))
        from desktop_app.services.perks import person_vouchers_in

        vouchers = tuple(person_vouchers_in(s, p.id))
        return PersonDetail(view, vehicles, clubs, ledger, attended, referrals, vouchers)


# --------------------------------------------------------------------------- vehicles


def _vehicle_view(v: Vehicle) -> VehicleView:
    return VehicleView(v.id, v.person_id, v.vin, v.plate, v.model, v.purchase_date)


def _apply_vehicle(s: Session, v: Vehicle, d: VehicleDraft) -> None:
    vin = vin_or_error(d.vin)
    plate = plate_or_error(d.plate)
    model = clean(d.model) or None
    if model and len(model) > MODEL_MAX:
        raise ValidationError("model", "too_long", max=MODEL_MAX)
    if vin and vin != v.vin:
        other = s.scalars(select(Vehicle).where(Vehicle.vin == vin)).first()
        if other is not None and other.id != v.id:
            if other.deleted_at is None:
                owner = s.get(Person, other.person_id)
                raise ValidationError(
                    "vin",
                    "vin_taken",
                    vin=vin,
                    name=owner.name if owner else "?",
                    id=other.person_id,
                )
            other.vin = None  # a removed vehicle gives its VIN up (the unique index)
            s.flush()
    v.vin = vin
    v.plate = plate
    v.model = model
    v.purchase_date = d.purchase_date


def add_vehicle_in(
    s: Session, person_id: uuid.UUID, draft: VehicleDraft, actor: object = None
) -> Vehicle:
    """Add a vehicle inside the caller's transaction; audited."""
    p = _load(s, person_id)
    v = Vehicle(id=new_id(), person_id=p.id)
    _apply_vehicle(s, v, draft)
    stamp_origin(s, v)
    s.add(v)
    s.flush()
    audit(
        s,
        "vehicle.add",
        "vehicle",
        v.id,
        {"person_id": str(p.id), "vin": v.vin, "plate": v.plate},
        actor,
    )
    return v


def add_vehicle(
    db: Database, person_id: str | uuid.UUID, draft: VehicleDraft, actor: object = None
) -> VehicleView:
    """Give a person one more vehicle; VIN (check digit) and plate validated, VIN unique."""
    require(db, actor, Permission.EDIT_PEOPLE)
    with db.write() as s:
        return _vehicle_view(add_vehicle_in(s, parse_id(person_id, "person"), draft, actor))


def _load_vehicle(s: Session, vehicle_id: str | uuid.UUID) -> Vehicle:
    vid = parse_id(vehicle_id, "vehicle")
    v = s.get(Vehicle, vid)
    if v is None or v.deleted_at is not None:
        raise NotFound("vehicle", vehicle_id)
    return v


def update_vehicle(
    db: Database, vehicle_id: str | uuid.UUID, draft: VehicleDraft, actor: object = None
) -> VehicleView:
    require(db, actor, Permission.EDIT_PEOPLE)
    with db.write() as s:
        v = _load_vehicle(s, vehicle_id)
        _apply_vehicle(s, v, draft)
        s.flush()
        audit(s, "vehicle.update", "vehicle", v.id, {"vin": v.vin, "plate": v.plate}, actor)
        return _vehicle_view(v)


def remove_vehicle(db: Database, vehicle_id: str | uuid.UUID, actor: object = None) -> None:
    """Soft-delete a vehicle (sold, scrapped); its VIN can later be registered again."""
    require(db, actor, Permission.EDIT_PEOPLE)
    with db.write() as s:
        v = _load_vehicle(s, vehicle_id)
        v.deleted_at = now_utc()
        audit(s, "vehicle.remove", "vehicle", v.id, {"vin": v.vin, "plate": v.plate}, actor)


def list_vehicles(db: Database, person_id: str | uuid.UUID) -> list[VehicleView]:
    with db.read() as s:
        p = _load(s, person_id)
        return [
            _vehicle_view(v)
            for v in s.scalars(
                select(Vehicle)
                .where(Vehicle.person_id == p.id, Vehicle.deleted_at.is_(None))
                .order_by(Vehicle.created_at, Vehicle.id)
            )
        ]


def resolve_person(db: Database, ref: str) -> uuid.UUID:
    """A person from an id or a mobile number in any format (the CLI's PERSON: `people
    show`, `points history`, `people erase` …); a merged-away person's old phone finds
    the person they were merged into."""
    with db.read() as s:
        return resolve_person_in(s, ref)


def resolve_person_in(s: Session, ref: str) -> uuid.UUID:
    """resolve_person inside the caller's transaction (a perk's redemption locks the
    person it finds)."""
    ref = (ref or "").strip()
    try:
        return uuid.UUID(ref)
    except ValueError:
        pass
    found = _by_phone(s, ref)
    if found is None:
        raise NotFound("person", ref)
    return found.id
