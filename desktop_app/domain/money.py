"""Money as integer cents (分): parsing what people type, printing, and exact AA splits.

Amounts are stored and computed as `int` cents, never floats. JSON carries them as strings
with two decimals ("33.34"); screens and receipts show "¥33.34" (whole yuan without
decimals: "¥180"). A split of an amount over shares always adds up to the amount exactly:
the cents that do not divide evenly go one each to the earliest shares.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from decimal import Decimal

MAX_CENTS = 10**11  # ¥1,000,000,000.00: beyond any club drive, inside Numeric(12, 2)
_AMOUNT = re.compile(r"^(\d+)(?:\.(\d{1,2}))?$")
_NOISE = str.maketrans("", "", " ,，_'")


class MoneyError(ValueError):
    """Text that is not an amount of money; `code` is a message code (messages.py)."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


def parse_cents(value: str | int | Decimal, *, allow_zero: bool = False) -> int:
    """'180', '180.5', '¥1,200.00', '１８０元', Decimal('33.34') → cents (18000, 18050, …).

    Refuses negatives, more than two decimals (no silent rounding of money), and anything
    that is not a plain amount. `int` input is yuan (180 → 18000), like typed text.
    """
    if isinstance(value, bool):
        raise MoneyError("not_money")
    if isinstance(value, int):
        value = str(value)
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise MoneyError("not_money")
        value = format(value, "f")
    text = unicodedata.normalize("NFKC", str(value)).strip()
    text = text.removeprefix("¥").removeprefix("￥").removeprefix("CNY").removesuffix("元")
    text = text.strip().translate(_NOISE)
    if text.startswith("-"):
        raise MoneyError("money_negative")
    m = _AMOUNT.match(text)
    if not m:
        if re.match(r"^\d+\.\d{3,}$", text):
            raise MoneyError("money_cents")
        raise MoneyError("not_money")
    cents = int(m.group(1)) * 100 + int((m.group(2) or "0").ljust(2, "0"))
    if cents == 0 and not allow_zero:
        raise MoneyError("money_zero")
    if cents > MAX_CENTS:
        raise MoneyError("money_too_big")
    return cents


def to_decimal(cents: int) -> Decimal:
    return (Decimal(cents) / 100).quantize(Decimal("0.01"))


def json_money(cents: int) -> str:
    """The JSON form: '33.34', '-5.00', '0.00'."""
    sign = "-" if cents < 0 else ""
    whole, frac = divmod(abs(int(cents)), 100)
    return f"{sign}{whole}.{frac:02d}"


def show_money(cents: int, *, fen: bool = False) -> str:
    """What people read: '¥180', '¥33.34', '-¥5', '¥1,200.50' (fen only when there are,
    or always with `fen=True`: a receipt's column of amounts, '¥50.00')."""
    sign = "-" if cents < 0 else ""
    whole, frac = divmod(abs(int(cents)), 100)
    return f"{sign}¥{whole:,}" + (f".{frac:02d}" if frac or fen else "")


def share_of(total: int, units_before: int, units: int, units_total: int) -> int:
    """The cents of one party holding `units` of `units_total` units, after `units_before`
    units held by earlier parties: total // units_total per unit, and one of the remaining
    cents for each of its units among the first (total % units_total) units."""
    if total < 0 or min(units_before, units, units_total) < 0:
        raise ValueError("amounts and unit counts are never negative")
    if units_total == 0 or units == 0:
        return 0
    if units_before + units > units_total:
        raise ValueError("a party's units lie beyond the total")
    base, extra = divmod(total, units_total)
    bonus = max(0, min(extra, units_before + units) - units_before)
    return base * units + bonus


def split_cents(total: int, weights: Sequence[int]) -> list[int]:
    """Share `total` cents over parties holding `weights` units each (people, cars, 1 per
    family), in the given order (earliest registration first).

    Every unit gets total // units; the remaining cents go one per unit to the earliest
    units, so the shares add up to `total` exactly and no unit pays more than one cent over
    another: ¥100 over three people → 33.34, 33.33, 33.33. A party of two holding the first
    two units gets both of their extra cents. Parties with weight 0 get 0.
    """
    if any(w < 0 for w in weights):
        raise ValueError("weights are counts of units (≥ 0)")
    units, before, out = sum(weights), 0, []
    for w in weights:
        out.append(share_of(total, before, w, units))
        before += w
    return out


def parse_or_none(value: str | None) -> int | None:
    """Like parse_cents for an optional field: '' or None → None."""
    if value is None or not str(value).strip():
        return None
    return parse_cents(value, allow_zero=True)
