"""Column mapping: which column of a sheet holds which field, guessed from header names.

Headers are compared after `normalise_header` (NFKC, lower case, no spaces, no question
numbering like "1、" / "Q1." / "2.", no trailing "：", "(必填)", "*"; pandas' "Unnamed: 3"
is a blank header). A header equal to an alias wins; then a header that contains an alias (or is contained in one, for aliases of
at least 2 characters, covering ≥ 40% of the header); then fuzzy similarity (rapidfuzz,
≥ 85); last, for fields that give `keywords` (survey questions are whole sentences:
"您对本次活动的满意度"), a header containing a keyword. Each column serves at most one
field; stronger matches are assigned first, ties by the aliases' order and then the field
order. An alias written "=客户" counts only as the whole header: a word too general to
name a field inside another header (客户编号, 保有客户数 and 客户类型 are not the name).
"""

from __future__ import annotations

import functools
import re
import types
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

FUZZY_MIN = 85.0
KEYWORD_SCORE = 70.0  # below any alias match: a keyword only decides when nothing else does
# A contained alias must cover this share of the header: "客户" names the client in
# "客户姓名" but not in a title like "客户信息导出 2026-11-01".
MIN_OVERLAP = 0.4


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """A field an importer understands. `aliases` are header names (Chinese and English);
    `keywords`, words that anywhere in a header make it a weak candidate (opt-in, for
    sentence-like question titles). Keywords do not count when finding the header row.
    An alias starting with "=" matches only a header that is exactly it."""

    key: str
    aliases: tuple[str, ...]
    required: bool = False
    keywords: tuple[str, ...] = ()


_NUMBERING = re.compile(
    r"^(?:(?:q|第)?\d{1,3}(?:题)?\s*(?:[、.．:：)）]|\s)\s*|[(（]\d{1,3}[)）]\s*|[一二三四五六七八九十]{1,3}\s*、\s*)",
    re.IGNORECASE,
)
# "(必填)", "*", and the question type a survey platform appends: "【单选题】", "[多选]".
_REQUIRED = re.compile(
    r"(?:[(（【\[](?:必填|选填|必选|可选|必答|选答|required|optional|"
    r"(?:矩阵)?(?:单选|多选|填空|排序|量表|评分|打分|下拉)题?|下拉框)[)）】\]]|[*＊])",
    re.I,
)
_TRAILING = re.compile(r"[:：*＊\s]+$")
_SPACES = re.compile(r"[\s_\-·]+")
_UNNAMED = re.compile(r"unnamed:?\d+(?:level\d+)?")  # pandas: "Unnamed: 3", "…_level_1"


def normalise_header(header: object) -> str:
    """'1、 客户姓名（必填）：' → '客户姓名'; ' Mobile Phone* ' → 'mobilephone'."""
    if header is None:
        return ""
    text = unicodedata.normalize("NFKC", str(header)).strip()
    text = _REQUIRED.sub("", text)
    text = _NUMBERING.sub("", text, count=1)
    text = _SPACES.sub("", _TRAILING.sub("", text)).lower()
    return "" if _UNNAMED.fullmatch(text) else text


_NOTE = re.compile(r"\(([^()]*)\)")


def _score(header: str, aliases: Sequence[str]) -> float:
    """~100 exact; 80–90 containment; fuzzy ratio (if ≥ FUZZY_MIN) below that; else 0.

    A note in brackets is weighed apart too, a little below the same words without one:
    "车架号(vin)" is "车架号" or "vin"; "手机号码(11位)" is "手机号码"."""
    if not header:
        return 0.0
    best = _score_one(header, aliases)
    if "(" in header:
        for part in (_NOTE.sub("", header), *_NOTE.findall(header)):
            if part and part != header:
                best = max(best, _score_one(part, aliases) - 0.5)
    return best


def _score_one(header: str, aliases: Sequence[str]) -> float:
    """_score of a header without brackets."""
    best = 0.0
    for rank, alias in enumerate(aliases):
        if alias.startswith("="):  # only the whole header
            if header == alias[1:]:
                return 100.0 - 0.01 * rank
            continue
        if header == alias:
            return 100.0 - 0.01 * rank  # earlier aliases are preferred: 姓名 over 联系人
        overlap = min(len(alias), len(header)) / max(len(alias), len(header))
        if (
            len(alias) >= 2
            and overlap >= MIN_OVERLAP
            and (alias in header or (len(header) >= 2 and header in alias))
        ):
            # longer overlaps are stronger: '手机号码' beats '手机' inside '联系手机号码'
            best = max(best, 80.0 + 10.0 * overlap)
        else:
            ratio = fuzz.ratio(header, alias)
            if ratio >= FUZZY_MIN:
                best = max(best, min(ratio, 79.0))
    return best


def _norm_aliases(fields: Sequence[FieldSpec]) -> Mapping[str, tuple[str, ...]]:
    """Normalised aliases in their given order (earlier = preferred), then the key."""
    return _aliases_of(tuple(fields))


@functools.lru_cache(maxsize=64)
def _aliases_of(fields: tuple[FieldSpec, ...]) -> Mapping[str, tuple[str, ...]]:
    """_norm_aliases, worked out once per set of fields (header_score asks it per row)."""
    return types.MappingProxyType(
        {
            f.key: tuple(
                a for a in dict.fromkeys(normalise_header(x) for x in (*f.aliases, f.key)) if a
            )
            for f in fields
        }
    )


def header_score(cells: Sequence[object], fields: Sequence[FieldSpec]) -> float:
    """How much a row looks like the header for `fields`: exact hits count 1, others 0.5."""
    aliases = _norm_aliases(fields)
    headers = [normalise_header(c) if isinstance(c, str) else "" for c in cells]
    total = 0.0
    for key in aliases:
        best = max((_score(h, aliases[key]) for h in headers), default=0.0)
        total += 1.0 if best >= 99 else 0.5 if best >= 80 else 0.0
    return total


def guess_mapping(
    headers: Sequence[object],
    fields: Sequence[FieldSpec],
    overrides: Mapping[str, int | str | None] | None = None,
) -> dict[str, int]:
    """{field key: column index (0-based)} for the fields whose column can be guessed.

    `overrides` (from the user) win: a column index, a header name (matched after
    normalisation, or a column letter like "C"), or None to leave the field unmapped.
    Raises ValueError when an override names a header that does not exist.
    """
    normal = [normalise_header(h) for h in headers]
    chosen: dict[str, int] = {}
    taken: set[int] = set()
    for key, target in (overrides or {}).items():
        if target is None:
            continue
        col = resolve_column(headers, target)
        chosen[key] = col
        taken.add(col)
    aliases = _norm_aliases(fields)
    candidates: list[tuple[float, int, int, str]] = []
    for order, spec in enumerate(fields):
        if spec.key in chosen or (overrides and spec.key in overrides):
            continue
        keywords = [normalise_header(k) for k in spec.keywords]
        for col, header in enumerate(normal):
            score = _score(header, aliases[spec.key])
            if score == 0 and header and any(k and k in header for k in keywords):
                score = KEYWORD_SCORE
            if score > 0:
                candidates.append((-score, order, col, spec.key))
    for _neg, _order, col, key in sorted(candidates):
        if key in chosen or col in taken:
            continue
        chosen[key] = col
        taken.add(col)
    return chosen


def column_letter(index: int) -> str:
    """0 → 'A', 27 → 'AB' (as Excel shows columns)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def resolve_column(headers: Sequence[object], target: int | str) -> int:
    """A column index from an index, a header name or a column letter; ValueError if none."""
    if isinstance(target, int):
        if 0 <= target < len(headers):
            return target
        raise ValueError(f"there is no column {target + 1} (the sheet has {len(headers)})")
    wanted = normalise_header(target)
    for col, header in enumerate(headers):
        if normalise_header(header) == wanted and wanted:
            return col
    text = str(target).strip().upper()
    if re.fullmatch(r"[A-Z]{1,3}", text):
        col = 0
        for ch in text:
            col = col * 26 + ord(ch) - 64
        if col - 1 < len(headers):
            return col - 1
    known = ", ".join(str(h) for h in headers if h)
    raise ValueError(f"no column named {target!r} (the columns are: {known})")
