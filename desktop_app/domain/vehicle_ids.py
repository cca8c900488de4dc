"""VINs (ISO 3779, China GB 16735 check digit) and mainland licence plates."""

from __future__ import annotations

import re
import unicodedata

_VIN_VALUES = {
    **{str(d): d for d in range(10)},
    **dict(zip("ABCDEFGH", range(1, 9), strict=True)),
    **dict(zip("JKLMN", range(1, 6), strict=True)),
    "P": 7,
    "R": 9,
    **dict(zip("STUVWXYZ", range(2, 10), strict=True)),
}
_VIN_WEIGHTS = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)


class VinError(ValueError):
    """Why a VIN is refused: English text plus a message `code` and params for translation."""

    def __init__(self, reason: str, code: str = "vin_invalid", **params: object) -> None:
        super().__init__(reason)
        self.reason = reason
        self.code = code
        self.params = params


def vin_check_digit(vin: str) -> str:
    total = sum(_VIN_VALUES[c] * w for c, w in zip(vin, _VIN_WEIGHTS, strict=True))
    rest = total % 11
    return "X" if rest == 10 else str(rest)


def normalise_vin(raw: object) -> str:
    """Upper-case 17-char VIN with a valid 9th-digit check; raises VinError with why not."""
    text = unicodedata.normalize("NFKC", str(raw or "")).strip().upper()
    text = re.sub(r"[\s\-·]", "", text)
    if not text:
        raise VinError("no VIN", "vin_empty")
    if len(text) != 17:
        raise VinError(
            f"a VIN has 17 characters, {text!r} has {len(text)}",
            "vin_length",
            text=text,
            n=len(text),
        )
    bad = sorted({c for c in text if c in "IOQ"})
    if bad:
        found = ", ".join(bad)
        raise VinError(f"a VIN never contains I, O or Q ({found} found)", "vin_ioq", found=found)
    wrong = sorted({c for c in text if c not in _VIN_VALUES})
    if wrong:
        found = "".join(wrong)
        raise VinError(
            f"a VIN has only letters and digits ({found} found)", "vin_chars", found=found
        )
    expected = vin_check_digit(text)
    if text[8] != expected:
        raise VinError(
            f"check digit (9th character) is {text[8]}, should be {expected}: a typo in the VIN",
            "vin_check",
            got=text[8],
            expected=expected,
        )
    return text


PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
_LETTER = "A-HJ-NP-Z"
PLATE_RE = re.compile(
    rf"^[{PROVINCES}使领][{_LETTER}]"
    rf"(?:"
    rf"\d{{5}}[A-HJK]|[A-HJK][{_LETTER}0-9]\d{{4}}"  # new-energy, 8 characters
    rf"|[{_LETTER}0-9]{{4}}[{_LETTER}0-9挂学警港澳]"  # ordinary, 7 characters
    rf")$"
)

_PLATE_JUNK = re.compile(r"[\s\-·•.．]")


class PlateError(ValueError):
    """Why a plate is refused: English text plus a message `code` and params."""

    def __init__(self, reason: str, code: str = "plate_format", **params: object) -> None:
        super().__init__(reason)
        self.reason = reason
        self.code = code
        self.params = params


def normalise_plate(raw: object) -> str:
    """沪A·12345 / 沪a 12345 / 沪A-D12345 → 沪A12345 / 沪AD12345; raises PlateError."""
    if raw.__class__ is str and PLATE_RE.fullmatch(raw) and unicodedata.is_normalized("NFKC", raw):
        return raw  # already a plate as it is written here: nothing to clean
    text = _PLATE_JUNK.sub("", unicodedata.normalize("NFKC", str(raw or "")).strip().upper())
    if not text:
        raise PlateError("no plate", "plate_empty")
    if not PLATE_RE.match(text):
        if text[0] not in PROVINCES + "使领":
            raise PlateError(
                f"{text!r} does not start with a province character (沪, 京, 粤…)",
                "plate_province",
                text=text,
            )
        if len(text) not in (7, 8):
            raise PlateError(
                f"a plate has 7 characters (8 for new-energy), {text!r} has {len(text)}",
                "plate_length",
                text=text,
                n=len(text),
            )
        if "I" in text[1:] or "O" in text[1:]:
            raise PlateError(
                f"{text!r}: plates never use the letters I or O", "plate_io", text=text
            )
        raise PlateError(f"{text!r} is not a mainland plate format", "plate_format", text=text)
    return text


def is_new_energy(plate: str) -> bool:
    return len(plate) == 8
