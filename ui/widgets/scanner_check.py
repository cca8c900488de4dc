"""What one test scan tells about a scanner, and what to change (the "Test your scanner" panel).

The scanner filter reports every decision as a `Burst`; one physical scan may arrive as
one burst (a scan), or — when the scanner is slower than the desk's gap — as several
bursts handed on as typing. `Reading` gathers the bursts of one scan; `check()` turns it
into plain findings (codes with numbers) that the dialog words in the user's language.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from desktop_app.domain.ticket import is_payload, normalise
from ui.widgets.scanner_input import Burst, ScannerSettings

# the code shown on the test panel: every kind of character a ticket has (capitals with
# Shift, digits 2–7, dots); signed by no dealer, so a desk would call it invalid_ticket
TEST_CODE = "P1.TEST2345.SCANNER234567ABC.PADDOCKDESK67ABC"
PERSON_MS = (
    80  # nobody types faster than this a key for long; a scanner this slow looks like typing
)


@dataclass
class Reading:
    """The bursts of one scan (until the keyboard is quiet), in order."""

    bursts: list[Burst] = field(default_factory=list)
    input_method_text: str = ""  # what an input method made of keys at scanner speed

    @property
    def text(self) -> str:
        return "".join(b.text for b in self.bursts) or self.input_method_text

    def gaps_ms(self) -> list[float]:
        """Every gap between consecutive characters, across burst boundaries too."""
        gaps: list[float] = []
        for prev, b in zip([None, *self.bursts], self.bursts, strict=False):
            if prev is not None and b.text and prev.text:
                gaps.append(round((b.started - prev.ended) * 1000, 1))
            gaps.extend(b.gaps_ms)
        return gaps


@dataclass(frozen=True)
class Finding:
    code: str  # ok, split, typing, input_method, suffix_none, suffix_tab, …
    numbers: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Verdict:
    counted_as_scan: bool  # the desk would check this code in (if it is a ticket)
    is_ticket: bool  # the characters form a Paddock ticket payload
    keys: int
    duration_ms: float
    average_gap_ms: float
    slowest_gap_ms: float
    suffix: str | None
    modifiers: int
    keypad: int
    findings: tuple[Finding, ...]


def _round_up(ms: float, step: int = 5) -> int:
    return int(math.ceil(ms / step) * step)


def check(reading: Reading, settings: ScannerSettings, expected: str = TEST_CODE) -> Verdict:
    """What the desk made of one test scan, and what to change."""
    bursts = reading.bursts
    text = reading.text
    scans = [b for b in bursts if b.scan]
    gaps = reading.gaps_ms()
    slowest = max(gaps, default=0.0)
    duration = round((bursts[-1].ended - bursts[0].started) * 1000, 1) if bursts else 0.0
    counted = len(bursts) == 1 and bool(scans)
    findings: list[Finding] = []
    gap_ms = round(settings.max_gap * 1000)
    if reading.input_method_text or any(b.via_input_method for b in bursts):
        findings.append(Finding("input_method", {"typed": reading.input_method_text}))
    if counted:
        suffix = scans[0].suffix
        findings.append(Finding("ok"))
        findings.append(
            Finding(f"suffix_{(suffix or 'none').lower().replace('+', '_')}",
                    {"end_pause": round(settings.end_pause * 1000)})
        )  # fmt: skip
    elif bursts:
        if slowest >= PERSON_MS:
            findings.append(Finding("too_slow", {"slowest": round(slowest)}))
        elif len(text) >= settings.min_length:
            findings.append(
                Finding("split", {"slowest": round(slowest), "gap": gap_ms,
                                  "suggest": min(150, _round_up(slowest + 15))})
            )  # fmt: skip
        else:
            findings.append(Finding("short", {"keys": len(text), "min": settings.min_length}))
    if counted and slowest > 0.7 * settings.max_gap * 1000:
        findings.append(
            Finding("near_limit", {"slowest": round(slowest), "gap": gap_ms,
                                   "suggest": min(150, _round_up(slowest + 15))})
        )  # fmt: skip
    ticket = is_payload(text)
    if text and any(c.islower() for c in text) and normalise(text) == normalise(expected):
        findings.append(Finding("lower_case"))
    if any(b.keypad for b in bursts):
        findings.append(Finding("keypad"))
    odd = _layout_damage(normalise(text), expected) if text else None
    if odd is not None:
        findings.append(Finding("layout", {"got": odd[0], "want": odd[1]}))
    elif text and not ticket:
        findings.append(Finding("not_ticket", {"text": text[:48]}))
    average = round(sum(gaps) / len(gaps), 1) if gaps else 0.0
    return Verdict(
        counted_as_scan=counted,
        is_ticket=ticket,
        keys=len(text),
        duration_ms=duration,
        average_gap_ms=average,
        slowest_gap_ms=slowest,
        suffix=scans[0].suffix if counted else None,
        modifiers=sum(b.modifiers for b in bursts),
        keypad=sum(b.keypad for b in bursts),
        findings=tuple(findings),
    )


TICKET_CHARS = set("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567.1")


def _layout_damage(got: str, expected: str) -> tuple[str, str] | None:
    """A ticket-length code with characters a keyboard layout swapped (AZERTY's A/Q,
    QWERTZ's Y/Z, a '.' that came out as ';'): the first wrong character and, for the
    test code, what it should have been."""
    if len(got) != len(expected):
        return None
    wrong = [(g, w) for g, w in zip(got, expected, strict=True) if g != w]
    if 0 < len(wrong) <= 12:  # the test code, a few characters swapped
        return wrong[0]
    stray = [c for c in got if c not in TICKET_CHARS]
    return (stray[0], "") if stray else None  # a ticket with a character no ticket has
