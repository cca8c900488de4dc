"""Text that a spreadsheet could run as a formula, and how each export format keeps it text.

An .xlsx string cell is never a formula: the exporters write such text unchanged, as a
string cell with Excel's quote-prefix style (so editing the cell in Excel or WPS keeps it
text). Only a CSV has no cell types: there the text gets a leading ' (`csv_safe`).
"""

from __future__ import annotations

import re
from typing import Any

# = + - @ start a formula in Excel/WPS/LibreOffice; tab and CR are read as one after DDE tricks.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# A phone number in E.164 (+8613800138001) opens as a number in a CSV, never as a formula.
_PHONE = re.compile(r"\+\d[\d ]{5,}")


def looks_like_formula(text: str) -> bool:
    """True for text whose first character starts a formula when typed into a spreadsheet."""
    return bool(text) and text[0] in FORMULA_START


def csv_safe(value: Any) -> Any:
    """A CSV cell: formula-looking text gets a leading ' (the only defence a CSV has);
    a phone number in E.164 is left as it is."""
    if isinstance(value, str) and looks_like_formula(value) and not _PHONE.fullmatch(value):
        return "'" + value
    return value
