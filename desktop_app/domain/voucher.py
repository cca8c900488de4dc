"""Perk voucher payloads (the contract is docs/perks.md, "Voucher payload").

    V1.<PERK>.<VOUCHER>.<SIG>          e.g. V1.G4YTAMBQ.C3JZ7PXM2KQA4DEF.NQ5W2MJ7X3LKTB6C

- `V1`      version 1 of the voucher payload (tickets are `P1`: a voucher never scans as
            a ticket, nor a ticket as a voucher).
- `PERK`    8 base32 chars: the first 40 bits of the perk's UUID.
- `VOUCHER` 16 base32 chars: 80 random bits, unique per issued voucher.
- `SIG`     16 base32 chars: HMAC-SHA256(dealer ticket key, "V1.PERK.VOUCHER") cut to 80 bits.

The same discipline as QR tickets (domain/ticket.py): 45 characters of the QR
alphanumeric set, case-insensitive on input, a typo or forgery fails the signature
(`invalid`), a well-signed voucher this database has no row for is genuine but `unknown`.
"""

from __future__ import annotations

import hmac
import re
import secrets
import uuid
from dataclasses import dataclass

# One signing routine and one normaliser for every signed payload of the dealer.
from desktop_app.domain.ticket import _b32, _sign, normalise

VERSION = "V1"
_B32 = "[A-Z2-7]"
PAYLOAD_RE = re.compile(rf"^{VERSION}\.({_B32}{{8}})\.({_B32}{{16}})\.({_B32}{{16}})$")
SHORT_CODE_LEN = 8

# verify results (the words of `paddock perk verify` and the Redeem voucher screen)
VALID, CONSUMED, EXPIRED, CANCELLED, INVALID, UNKNOWN = (
    "valid",
    "consumed",
    "expired",
    "cancelled",
    "invalid",
    "unknown",
)
RESULTS = (VALID, CONSUMED, EXPIRED, CANCELLED, INVALID, UNKNOWN)


def perk_tag(perk_id: uuid.UUID) -> str:
    return _b32(perk_id.bytes[:5])


@dataclass(frozen=True, slots=True)
class VoucherPayload:
    code: str
    perk_tag: str
    voucher_id: str

    @property
    def short_code(self) -> str:
        """What a partner types when the QR will not scan: the first 8 chars of the id."""
        return self.voucher_id[:SHORT_CODE_LEN]


class VoucherInvalid(ValueError):
    """Malformed payload or bad signature (verify result `invalid`)."""


def issue(key: str, perk_id: uuid.UUID) -> VoucherPayload:
    tag = perk_tag(perk_id)
    vid = _b32(secrets.token_bytes(10))
    body = f"{VERSION}.{tag}.{vid}"
    return VoucherPayload(f"{body}.{_sign(key, body)}", tag, vid)


def verify(key: str, raw: str) -> VoucherPayload:
    """Parse and check a scanned or typed voucher; raises VoucherInvalid with the reason."""
    code = normalise(raw)
    m = PAYLOAD_RE.match(code)
    if not m:
        if not code.startswith(f"{VERSION}."):
            raise VoucherInvalid("not a Paddock voucher")
        raise VoucherInvalid("damaged voucher code")
    tag, vid, sig = m.groups()
    if not hmac.compare_digest(_sign(key, f"{VERSION}.{tag}.{vid}"), sig):
        raise VoucherInvalid("signature does not match (typo or forged voucher)")
    return VoucherPayload(code, tag, vid)


def looks_like_short_code(raw: str) -> bool:
    return bool(re.fullmatch(rf"{_B32}{{{SHORT_CODE_LEN}}}", normalise(raw).replace("-", "")))


def format_short_code(short: str) -> str:
    return f"{short[:4]}-{short[4:]}"
