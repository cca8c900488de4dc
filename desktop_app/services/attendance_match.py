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
4. an exact name (nickname, the name in brackets, the name without its digits; spaces
   do not count) held by exactly one registrant.
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
from desktop_app.services.common import parse_id
from desktop_app.services.row_problems import Said, say
from desktop_app.store.db import Database
from desktop_app.store.models import Person, Registration

_BRACKETS = re.compile(r"^(.*?)\s*\(([^()]*)\)\s*$")
_MASK = r"[*＊xX×]{3,6}"
_MASKED_CELL = re.compile(rf"^\+?(?:86)?(1\d{{2}}){_MASK}(\d{{4}})$")
_PHONE_CELL = re.compile(r"^(?:\+?86)?(1\d{10})$")
_FULL_IN_TEXT = re.compile(r"(?<!\d)(?:\+?86[-\s]?)?(1[3-9]\d{9})(?!\d)")
_MASKED_IN_TEXT = re.compile(rf"(?<!\d)(1\d{{2}}){_MASK}(\d{{4}})(?!\d)")
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


def _same_name(text: str) -> str:
    """Names compare without spaces: "王 芳" in Zoom is the registrant 王芳."""
    return norm_name(text).replace(" ", "")


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
        (_FULL_IN_TEXT, lambda m: PhoneClue(full="+86" + m.group(1))),
        (_MASKED_IN_TEXT, lambda m: PhoneClue(prefix=m.group(1), suffix=m.group(2))),
        (_SUFFIX_IN_TEXT, lambda m: PhoneClue(suffix=m.group(1))),
    ):
        m = pattern.search(text)
        if m:
            rest = (text[: m.start()] + " " + text[m.end() :]).strip(_SEPARATORS)
            rest = re.sub(r"(?:手机)?(?:尾号|后四位)$", "", rest).strip(_SEPARATORS)
            return rest, make(m)
    return text, None


def names_and_clues(cells: Iterable[str]) -> tuple[set[str], list[PhoneClue]]:
    """Every name a participant goes by (normalised), and the phone digits they show."""
    names: set[str] = set()
    clues: list[PhoneClue] = []
    for cell in cells:
        shown, original = split_name(cell)
        for part in (shown, original):
            if not part:
                continue
            names.add(norm_name(part))
            rest, clue = name_clue(part)
            if clue is not None:
                clues.append(clue)
                if rest:
                    names.add(norm_name(rest))
    return names, clues


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
        self, names: set[str], clues: list[PhoneClue], email: str | None
    ) -> tuple[Registrant | None, Said]:
        """(the registrant, NO_REASON) or (None, why not, in both languages)."""
        for clue in clues:
            if clue.full and clue.full in self.by_phone:
                return self.by_phone[clue.full], NO_REASON
        if email and email.lower() in self.by_email:
            return self.by_email[email.lower()], NO_REASON
        named = {r.reg_id: r for n in names for r in self.by_name.get(_same_name(n), [])}
        for clue in clues:
            if clue.suffix is None:
                continue
            fits = {r.reg_id: r for r in self.regs if clue.fits(r.phone)}
            if not fits:
                continue  # digits of another number: they say nothing
            both = [r for k, r in fits.items() if k in named]
            if len(both) == 1:
                return both[0], NO_REASON
            if both:
                return None, say(
                    "match_named_fit", n=len(both), who=_who(both), digits=clue.shown()
                )
            if named:
                return None, say(
                    "match_digits_other_name",
                    digits=clue.shown(),
                    fits=_who(fits.values()),
                    named=_who(named.values()),
                )
            if clue.prefix is None:
                return None, say("match_suffix_only", suffix=clue.suffix)
            if len(fits) == 1:
                return next(iter(fits.values())), NO_REASON
            return None, say("match_many_fit", n=len(fits), digits=clue.shown())
        if len(named) == 1:
            return next(iter(named.values())), NO_REASON
        if named:
            return None, say("match_many_named", n=len(named), who=_who(named.values()))
        return None, say("match_nobody")

    def match_cells(
        self, name: str, phone: object = None, email: str | None = None
    ) -> tuple[uuid.UUID | None, str]:
        """Match one participant as a file shows it: (registration id, '') or (None, why,
        in English)."""
        names, clues = names_and_clues([name])
        cell = phone_cell_clue(phone)
        reg, reason = self.match(names, ([cell] if cell else []) + clues, email)
        return (reg.reg_id if reg else None), reason.en
