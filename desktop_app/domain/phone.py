"""Mobile phone numbers: anything people type → E.164, or a reason why not.

Uses Google's libphonenumber rules (phonenumbers). Default region CN: 13800138000,
+86 138 0013 8000, 0086-138-0013-8000 and full-width ｜１３８… all become +8613800138000.
A landline, a masked number (138****2046), 10 digits or letters are refused with a reason.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberType

DEFAULT_REGION = "CN"
_MOBILE_TYPES = {PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE}
_KEEP = re.compile(r"[^\d+]")


@dataclass(frozen=True, slots=True)
class PhoneProblem:
    code: str  # masked, letters, too_short, too_long, invalid, not_mobile, empty, scientific
    reason: str


class PhoneError(ValueError):
    def __init__(self, problem: PhoneProblem) -> None:
        super().__init__(problem.reason)
        self.problem = problem


def clean_text(raw: str) -> str:
    """Full-width → half-width (NFKC), trimmed."""
    return unicodedata.normalize("NFKC", raw).strip()


def normalise_phone(raw: object, region: str = DEFAULT_REGION) -> str:
    """E.164 of a mobile number, e.g. '+8613800138000'. Raises PhoneError with the reason."""
    text = clean_text(str(raw if raw is not None else ""))
    if isinstance(raw, float) and raw.is_integer():  # Excel numeric cell 13800138000.0
        text = str(int(raw))
    elif re.fullmatch(r"\+?\d{7,15}\.0+", text):  # the same float, already stringified by an export
        text = text.split(".", 1)[0]
    if not text:
        raise PhoneError(PhoneProblem("empty", "no phone number"))
    if "*" in text or "×" in text or re.search(r"x{2,}", text, re.I):
        raise PhoneError(PhoneProblem("masked", f"masked number {text!r} cannot be used"))
    if text.lower().startswith("tel:"):
        text = text[4:]
    if re.search(r"[A-Za-z\u4e00-\u9fff]", text):
        raise PhoneError(PhoneProblem("letters", f"{text!r} contains letters"))
    digits = _KEEP.sub("", text)
    if digits.startswith("00"):
        digits = "+" + digits[2:]
    try:
        number = phonenumbers.parse(digits, region)
    except NumberParseException:
        raise PhoneError(PhoneProblem("invalid", f"{text!r} is not a phone number")) from None
    national = str(number.national_number)
    if number.country_code == 86 and national.startswith("1") and len(national) != 11:
        # Mainland mobiles are 11 digits starting with 1: say "too short" rather than the
        # vaguer "invalid" libphonenumber gives for a 10-digit number (a possible landline).
        code = "too_short" if len(national) < 11 else "too_long"
        word = "too few" if code == "too_short" else "too many"
        raise PhoneError(PhoneProblem(code, f"{text!r} has {word} digits for a mobile number"))
    if not phonenumbers.is_possible_number(number):
        code = "too_short" if len(national) < 11 else "too_long"
        word = "too few" if code == "too_short" else "too many"
        raise PhoneError(PhoneProblem(code, f"{text!r} has {word} digits for a mobile number"))
    if not phonenumbers.is_valid_number(number):
        raise PhoneError(PhoneProblem("invalid", f"{text!r} is not a valid number"))
    if phonenumbers.number_type(number) not in _MOBILE_TYPES:
        raise PhoneError(PhoneProblem("not_mobile", f"{text!r} is a landline, not a mobile"))
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def try_phone(raw: object, region: str = DEFAULT_REGION) -> str | None:
    try:
        return normalise_phone(raw, region)
    except PhoneError:
        return None


def display_phone(e164: str | None) -> str:
    """+8613800138000 → 138 0013 8000 (China); other countries in international format."""
    if not e164:
        return ""
    if e164.startswith("+86") and len(e164) == 14:
        n = e164[3:]
        return f"{n[:3]} {n[3:7]} {n[7:]}"
    try:
        return phonenumbers.format_number(
            phonenumbers.parse(e164), phonenumbers.PhoneNumberFormat.INTERNATIONAL
        )
    except NumberParseException:
        return e164


def mask_phone(e164: str | None) -> str:
    """+8613812345678 → 138****5678 (HQ masked exports, receipts)."""
    if not e164:
        return ""
    national = e164[3:] if e164.startswith("+86") else e164.lstrip("+")
    return national[:3] + "****" + national[-4:] if len(national) >= 7 else "****"
