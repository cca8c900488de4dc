"""Who is this online participant? Matching a Zoom / 腾讯会议 / 钉钉 participant to a
registration of the event from what the export shows: a phone (full or masked), an
e-mail, and display names that often carry phone digits ("贾宝玉 139****9102",
"王伟 0002", "周杰-9999", "赵磊 13922224321", "林黛玉(137****5566)").

Rules, strongest first (only registrations of THIS event with status registered):
1. a full phone (phone column, or 11 digits inside the name) held by a registrant;
2. the e-mail;
3. phone digits (a masked 139****9102, or the last four digits after the name):
   - the registrants whose phone fits the digits AND whose name is the participant's:
     exactly one is a match; several stay unmatched (ambiguous);
   - no name agrees: a masked phone (prefix and suffix visible) fitting exactly one
     registrant is a match (the account's own number); the last four digits alone never
     are; digits that fit one registrant while the name is another's stay unmatched;
   - digits that fit nobody say nothing: the name decides;
4. an exact name (nickname, the name in brackets, the name without its digits; spaces,
   emoji and the "?" a GBK re-save leaves of them do not count) held by exactly one
   registrant.
A name PART ("途观L-刘洋": 刘洋) is evidence only together with phone digits
("刘洋-途观L-7000"); alone it stays unmatched and the reason names who it may be.
Placeholders ("电话用户", "微信用户", "iPhone", "Guest") and meeting rooms ("… (Zoom
Rooms)") are nobody by name; only a phone or e-mail they carry can match them.
Anything else stays unmatched, with the reason in words, for a person to decide.
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.domain.enums import RegistrationStatus
from desktop_app.domain.messages import field_label
from desktop_app.services.common import parse_id
from desktop_app.services.row_problems import Said, say
from desktop_app.store.db import Database
from desktop_app.store.models import Person, Registration, Staff

_BRACKETS = re.compile(r"^(.*?)\s*\(([^()]*)\)\s*$")
_MASK = r"[*＊xX×]{3,6}"
_MASKED_CELL = re.compile(rf"^\+?(?:86)?(1\d{{2}}){_MASK}(\d{{4}})$")
_PHONE_CELL = re.compile(r"^(?:\+?86)?(1\d{10})$")
# in a name, written together or grouped 3-4-4 ("郭涛 138 6666 8888", "138-6666-8888"),
# with or without the country code ("+86 138****8000" is how dial-in users show)
_CC = r"(?<![\d+])(?:(?:\+|00)?86[-\s]?)?"
_FULL_IN_TEXT = re.compile(rf"{_CC}(1[3-9]\d)([-\s]?)(\d{{4}})\2(\d{{4}})(?!\d)")
_MASKED_IN_TEXT = re.compile(rf"{_CC}(1\d{{2}})[-\s]?{_MASK}[-\s]?(\d{{4}})(?!\d)")
_EMAIL = re.compile(r"^[^@\s()]+@[^@\s()]+\.[A-Za-z]{2,}$")
# name parts: "上海-途观L-刘洋", "刘洋/途观L", "Li Na"
_PART_SEPARATORS = re.compile(r"[\s\-_—–·/|、,，+＋~～]+")
# Names that say nobody: phone dial-ins, anonymous viewers, a bare device name.
_PLACEHOLDER = re.compile(
    r"^(?:电话用户|电话入会用户|电话入会|电话|手机用户|固话用户|微信用户|匿名用户|匿名|访客|"
    r"游客|来宾|观众|用户|未知用户|未命名|腾讯会议用户|钉钉用户|zoom\s*user|guest|anonymous|"
    r"unknown|user|caller|phone\s*user|dial-?in\s*user|call-?in\s*user|iphone|ipad|android|"
    r"mac|macbook|pc|windows|huawei|xiaomi|oppo|vivo|honor|galaxy|华为|小米|荣耀|"
    r"(?:my\s*)?(?:iphone|ipad|android|phone|pc))$",
    re.IGNORECASE,
)
_ROOM = re.compile(r"zoom\s*rooms?|腾讯会议\s*rooms?|^rooms?$", re.IGNORECASE)
# "贾宝玉 9102", "贾宝玉_9102", "周杰-9999", "贾宝玉尾号9102", "贾宝玉(9102)"
_SUFFIX_IN_TEXT = re.compile(
    r"(?<=[^\d\s_\-—·.#(])[\s_\-—·.#]*(?:手机)?(?:尾号|后四位)?[\s:：]*\(?(\d{4})\)?$"
)
_SEPARATORS = " \t_-—·.#()（）:："


@dataclass(frozen=True, slots=True)
class PhoneClue:
    """What a cell shows of a phone: all of it (`full`, E.164), or some digits."""

    full: str | None = None
    prefix: str | None = None  # '139' of 139****9102
    suffix: str | None = None  # '9102'

    def fits(self, phone: str | None) -> bool:
        if not phone or self.suffix is None:
            return False
        national = phone[3:] if phone.startswith("+86") else phone
        return national.endswith(self.suffix) and (
            self.prefix is None or national.startswith(self.prefix)
        )

    def shown(self) -> str:
        if self.full:
            return self.full
        return f"{self.prefix}****{self.suffix}" if self.prefix else f"…{self.suffix}"


def norm_name(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip().casefold()


# Emoji and symbols around a nickname ("🌸马丽🌸", "马丽❤️"), and the "?" / "\ufffd" that
# an Excel re-save as GBK leaves of them: decoration, not part of the name.
_DECORATION = frozenset({"So", "Sk", "Cf", "Co", "Cs"})


def _undecorated(text: str) -> str:
    kept = "".join(
        c
        for c in text
        if c not in "?\ufffd"
        and not "\ufe00" <= c <= "\ufe0f"
        and unicodedata.category(c) not in _DECORATION
    )
    return kept if kept.strip() else text


def _same_name(text: str) -> str:
    """Names compare without spaces and decoration: "王 芳" in Zoom is the registrant
    王芳, and so is "🌸王芳🌸" (or "?王芳?" after a GBK re-save)."""
    return _undecorated(norm_name(text)).replace(" ", "")


def name_parts(text: str) -> set[str]:
    """The parts of a nickname written as several ("上海-途观L-刘洋" → 上海, 途观l, 刘洋),
    each at least two characters; a name of one part has none."""
    parts = {_same_name(p) for p in _PART_SEPARATORS.split(norm_name(text))}
    parts = {p for p in parts if len(p) >= 2}
    return parts if len(parts) > 1 else set()


def email_in_name(text: str) -> str | None:
    """An e-mail typed as the name, or as the name in brackets ("Lina (lina@qq.com)")."""
    for part in split_name(text):
        if part and _EMAIL.match(part.strip()):
            return part.strip().lower()
    return None


def placeholder_kind(names: Iterable[str]) -> str | None:
    """'room' for a meeting room ("星辰展厅 (Zoom Rooms)"), 'anonymous' when every name
    is a placeholder ("电话用户", "微信用户", "iPhone", "Guest"), else None. Names
    carrying digits ("访客8899") are somebody in particular: not placeholders."""
    shown = [n for n in names if n.strip()]
    if any(_ROOM.search(n) for n in shown):
        return "room"
    if shown and all(_PLACEHOLDER.match(_same_name(n)) for n in shown):
        return "anonymous"
    return None


def split_name(cell: str) -> tuple[str, str | None]:
    """'Bruce Wayne (Batman)' → ('Bruce Wayne', 'Batman'); '李娜(Lina的iPhone)' likewise;
    a name without brackets → (name, None). The LAST balanced brackets are the original."""
    text = unicodedata.normalize("NFKC", cell).strip()
    m = _BRACKETS.match(text)
    if m and m.group(1).strip():
        return m.group(1).strip(), m.group(2).strip() or None
    return text, None


def phone_cell_clue(value: object) -> PhoneClue | None:
    """A phone column's cell: a full mainland mobile or a masked 138****1234."""
    if value is None:
        return None
    text = re.sub(r"[\s\-()]", "", unicodedata.normalize("NFKC", str(value)))
    if m := _MASKED_CELL.match(text):
        return PhoneClue(prefix=m.group(1), suffix=m.group(2))
    if m := _PHONE_CELL.match(text):
        return PhoneClue(full="+86" + m.group(1))
    return None


def name_clue(text: str) -> tuple[str, PhoneClue | None]:
    """A display name → (the name without phone digits, what it shows of a phone)."""
    text = unicodedata.normalize("NFKC", text).strip()
    for pattern, make in (
        (_FULL_IN_TEXT, lambda m: PhoneClue(full="+86" + m.group(1) + m.group(3) + m.group(4))),
        (_MASKED_IN_TEXT, lambda m: PhoneClue(prefix=m.group(1), suffix=m.group(2))),
        (_SUFFIX_IN_TEXT, lambda m: PhoneClue(suffix=m.group(1))),
    ):
        m = pattern.search(text)
        if m:
            rest = (text[: m.start()] + " " + text[m.end() :]).strip(_SEPARATORS)
            rest = re.sub(r"(?:手机)?(?:尾号|后四位)$", "", rest).strip(_SEPARATORS)
            return rest, make(m)
    return text, None


@dataclass(frozen=True, slots=True)
class Shown:
    """What a row's name cells say about who someone is."""

    names: frozenset[str]  # normalised, with and without phone digits
    parts: frozenset[str]  # parts of nicknames written as several (name_parts)
    clues: tuple[PhoneClue, ...]  # phone digits inside the names
    email: str | None  # an e-mail typed as the name
    kind: str | None  # 'anonymous' / 'room' (placeholder_kind), else None


def shown_identity(cells: Iterable[str]) -> Shown:
    """Every name a participant goes by, its parts, the phone digits and e-mail shown."""
    names: set[str] = set()
    parts: set[str] = set()
    clues: list[PhoneClue] = []
    bare: list[str] = []
    email = None
    for cell in cells:
        email = email or email_in_name(cell)
        for part in split_name(cell):
            if not part:
                continue
            bare.append(part)
            names.add(norm_name(part))
            rest, clue = name_clue(part)
            if clue is not None:
                clues.append(clue)
                if rest:
                    names.add(norm_name(rest))
            parts |= name_parts(rest if clue is not None else part)
    return Shown(frozenset(names), frozenset(parts), tuple(clues), email, placeholder_kind(bare))


@dataclass(slots=True)
class Registrant:
    reg_id: uuid.UUID
    person_id: uuid.UUID
    name: str
    phone: str | None
    email: str | None
    online_minutes: int | None


def registrants(s: Session, event_id: uuid.UUID) -> list[Registrant]:
    stmt = (
        select(
            Registration.id,
            Person.id,
            Person.name,
            Person.phone,
            Person.email,
            Registration.online_minutes,
        )
        .join(Person, Person.id == Registration.person_id)
        .where(
            Registration.event_id == event_id,
            Registration.deleted_at.is_(None),
            Registration.status == RegistrationStatus.REGISTERED,
        )
    )
    return [Registrant(*row) for row in s.execute(stmt)]


NO_REASON = Said("", "")  # matched: nothing to explain


def _who(regs: Iterable[Registrant]) -> str:
    return "、".join(sorted({r.name for r in regs}))


class Matcher:
    """The event's registrants, indexed for the rules of the module doc."""

    def __init__(self, regs: list[Registrant]) -> None:
        self.regs = regs
        self.by_id = {r.reg_id: r for r in regs}
        self.by_phone = {r.phone: r for r in regs if r.phone}
        self.by_email = {r.email.lower(): r for r in regs if r.email}
        self.by_name: dict[str, list[Registrant]] = defaultdict(list)
        for r in regs:
            self.by_name[_same_name(r.name)].append(r)

    @classmethod
    def for_event(cls, db: Database, event_id: uuid.UUID | str) -> Matcher:
        with db.read() as s:
            return cls(registrants(s, parse_id(event_id, "event")))

    def match(
        self,
        names: Iterable[str],
        clues: Iterable[PhoneClue],
        email: str | None,
        *,
        parts: Iterable[str] = (),
        kind: str | None = None,
    ) -> tuple[Registrant | None, Said]:
        """(the registrant, NO_REASON) or (None, why not, in both languages). A
        placeholder or room (`kind`) is matched by its phone or e-mail only."""
        clues = list(clues)
        for clue in clues:
            if clue.full and clue.full in self.by_phone:
                return self.by_phone[clue.full], NO_REASON
        if email and email.lower() in self.by_email:
            return self.by_email[email.lower()], NO_REASON
        named = self._named(names) if kind is None else {}
        by_part = self._named(parts) if kind is None and not named else {}
        for clue in clues:
            if clue.suffix is None:
                continue
            fits = {r.reg_id: r for r in self.regs if clue.fits(r.phone)}
            if not fits:
                continue  # digits of another number: they say nothing
            agree = named or by_part  # a name part counts only with the digits
            both = [r for k, r in fits.items() if k in agree]
            if len(both) == 1:
                return both[0], NO_REASON
            if both:
                return None, say(
                    "match_named_fit", n=len(both), who=_who(both), digits=clue.shown()
                )
            if agree:
                return None, say(
                    "match_digits_other_name",
                    digits=clue.shown(),
                    fits=_who(fits.values()),
                    named=_who(agree.values()),
                )
            if clue.prefix is None:
                return None, say("match_suffix_only", suffix=clue.suffix)
            if len(fits) == 1:
                return next(iter(fits.values())), NO_REASON
            return None, say("match_many_fit", n=len(fits), digits=clue.shown())
        if kind is not None:
            return None, say(f"match_{kind}")
        if len(named) == 1:
            return next(iter(named.values())), NO_REASON
        if named:
            return None, say("match_many_named", n=len(named), who=_who(named.values()))
        if by_part:
            return None, say("match_name_part", who=_who(by_part.values()))
        return None, say("match_nobody")

    def _named(self, names: Iterable[str]) -> dict[uuid.UUID, Registrant]:
        return {r.reg_id: r for n in names for r in self.by_name.get(_same_name(n), [])}

    def match_cells(
        self, name: str, phone: object = None, email: str | None = None
    ) -> tuple[uuid.UUID | None, str]:
        """Match one participant as a file shows it: (registration id, '') or (None, why,
        in English)."""
        shown = shown_identity([name])
        cell = phone_cell_clue(phone)
        reg, reason = self.match(
            shown.names,
            ([cell] if cell else []) + list(shown.clues),
            email or shown.email,
            parts=shown.parts,
            kind=shown.kind,
        )
        return (reg.reg_id if reg else None), reason.en


@dataclass(frozen=True, slots=True)
class StaffList:
    """Paddock's own staff (active accounts), to leave them out of an attendance file."""

    names: frozenset[str]  # as _same_name compares them
    phones: frozenset[str]  # E.164
    emails: frozenset[str] = frozenset()

    @classmethod
    def load(cls, s: Session) -> StaffList:
        rows = s.execute(
            select(Staff.name, Staff.phone, Staff.email).where(
                Staff.deleted_at.is_(None), Staff.active
            )
        ).all()
        return cls(
            frozenset(_same_name(n) for n, _, _ in rows if n and n.strip()),
            frozenset(p for _, p, _ in rows if p),
            frozenset(e.lower() for _, _, e in rows if e),
        )

    def says(
        self, names: Iterable[str], clues: Iterable[PhoneClue], email: str | None,
        matched: bool, matcher: Matcher,
    ) -> Said | None:  # fmt: skip
        """Why this participant is staff, or None. A phone or e-mail on the list always
        says so; a name only when it matched no registrant and no registrant has it
        (王伟 the customer is not 王伟 the advisor)."""
        if any(c.full and c.full in self.phones for c in clues):
            return say("attendance_staff_list", how=lambda lang: field_label("phone", lang))
        if email and email.lower() in self.emails:
            return say("attendance_staff_list", how=lambda lang: field_label("email", lang))
        names = list(names)
        if (
            not matched
            and not matcher._named(names)
            and any(_same_name(n) in self.names for n in names)
        ):
            return say("attendance_staff_list", how=lambda lang: field_label("name", lang))
        return None
