"""QR ticket payloads (the contract is docs/qr-ticket.md).

    P1.<EVENT>.<TICKET>.<SIG>          e.g. P1.MFRGGZDF.K7QXM2PAB3CDE4FG.ZT2XQ5V7M3LK8P2A

- `P1`      version 1 of the payload.
- `EVENT`   8 base32 chars: the first 40 bits of the event's UUID (tells wrong_event offline).
- `TICKET`  16 base32 chars: 80 random bits, unique per issued ticket (reissue = new value).
- `SIG`     16 base32 chars: HMAC-SHA256(dealer ticket key, "P1.EVENT.TICKET") cut to 80 bits.

45 characters from the QR alphanumeric set (A–Z, 2–7, '.'), so a version-3 QR at level M
holds it, and it survives scanners that change case. A typo or forgery fails the
signature (invalid_ticket); a well-signed ticket this desk has no row for is genuine but
unknown (unknown_ticket).
"""

from __future__ import annotations

import base64
import functools
import hmac
import re
import secrets
import unicodedata
import uuid
from dataclasses import dataclass

VERSION = "P1"
_B32 = "[A-Z2-7]"
PAYLOAD_RE = re.compile(rf"^{VERSION}\.({_B32}{{8}})\.({_B32}{{16}})\.({_B32}{{16}})$")
SHORT_CODE_LEN = 8


_B32_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
_B32_PAIRS = [a + b for a in _B32_ALPHABET for b in _B32_ALPHABET]  # 10 bits → 2 chars


def _b32(data: bytes) -> str:
    """RFC 4648 base32 without padding. The payload's parts are 5 or 10 bytes (whole 40-bit
    groups): two characters per 10 bits from a table, 3× base64.b32encode's speed."""
    if len(data) % 5:
        return base64.b32encode(data).decode("ascii").rstrip("=")
    n, pairs = int.from_bytes(data, "big"), _B32_PAIRS
    return "".join([pairs[(n >> shift) & 1023] for shift in range(len(data) * 8 - 10, -1, -10)])


def event_tag(event_id: uuid.UUID) -> str:
    """8 base32 chars identifying the event inside a payload."""
    return _b32(event_id.bytes[:5])


@functools.lru_cache(maxsize=8)
def _keyed(key: str) -> hmac.HMAC:
    """HMAC-SHA256 keyed with the dealer key, before any message: each signature copies
    it (the key's pads are hashed once, not per ticket)."""
    return hmac.new(bytes.fromhex(key), digestmod="sha256")


def _sign(key: str, body: str) -> str:
    mac = _keyed(key).copy()
    mac.update(body.encode("ascii"))
    return _b32(mac.digest()[:10])


@dataclass(frozen=True, slots=True)
class TicketPayload:
    code: str  # the whole payload, as printed in the QR
    event_tag: str
    ticket_id: str

    @property
    def short_code(self) -> str:
        """What a person types when the QR will not scan: first 8 chars of the ticket id."""
        return self.ticket_id[:SHORT_CODE_LEN]


def issue(key: str, event_id: uuid.UUID) -> TicketPayload:
    """A new signed payload for a ticket of `event_id`."""
    tag = event_tag(event_id)
    tid = _b32(secrets.token_bytes(10))
    body = f"{VERSION}.{tag}.{tid}"
    return TicketPayload(f"{body}.{_sign(key, body)}", tag, tid)


class TicketInvalid(ValueError):
    """Malformed payload or bad signature (scan result invalid_ticket)."""


def normalise(raw: str) -> str:
    """What a scanner typed → canonical payload text: full-width characters to ASCII (a
    Chinese input method types ＰＡ１ and 。), trim, upper-case (Caps Lock), drop spaces."""
    text = unicodedata.normalize("NFKC", raw).replace("。", ".").strip().upper()
    return text.replace(" ", "")


def is_payload(raw: str) -> bool:
    """True when `raw` is, once normalised, a whole P1 payload (signature not checked)."""
    return bool(PAYLOAD_RE.match(normalise(raw)))


def verify(key: str, raw: str) -> TicketPayload:
    """Parse and check a scanned payload; raises TicketInvalid with the reason."""
    code = normalise(raw)
    m = PAYLOAD_RE.match(code)
    if not m:
        if not code.startswith(f"{VERSION}."):
            raise TicketInvalid("not a Paddock ticket")
        raise TicketInvalid("damaged ticket code")
    tag, tid, sig = m.groups()
    if not hmac.compare_digest(_sign(key, f"{VERSION}.{tag}.{tid}"), sig):
        raise TicketInvalid("signature does not match (typo or forged ticket)")
    return TicketPayload(code, tag, tid)


def looks_like_short_code(raw: str) -> bool:
    text = normalise(raw).replace("-", "")
    return bool(re.fullmatch(rf"{_B32}{{{SHORT_CODE_LEN}}}", text))


def format_short_code(short: str) -> str:
    """K7QXM2PA → K7QX-M2PA (easier to read out and type)."""
    return f"{short[:4]}-{short[4:]}"
