"""Online form columns and event questions: which column answers which question, and
what question an unknown column would make (the import wizard's "make these questions").
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from collections.abc import Iterable, Mapping
from decimal import InvalidOperation
from typing import Any

from desktop_app.domain.enums import QuestionType
from desktop_app.io.values import CellError, clean, fill_in, parse_bool, parse_date
from desktop_app.services.questions import (
    CHOICES_MAX,
    FORBIDDEN_IN_CHOICE,
    QuestionView,
    is_number,
    split_choices,
)

# Numbering that forms put before a question title: "5、", "第5题", "Q5.", "5. ", "(5)"
_NUMBERING = re.compile(r"^\s*(?:第\s*\d+\s*题|Q\s*\d+|\(?\d+\)?)\s*[、.．:：)）]?\s*", re.I)
_PUNCT = re.compile(r"[\W_]+")


def title_key(title: str) -> str:
    """A form column title or question label for matching: numbering ("5、", "第5题"),
    spaces and punctuation dropped, full-width folded, lower case."""
    text = unicodedata.normalize("NFKC", title or "")
    text = _NUMBERING.sub("", text)
    return _PUNCT.sub("", text).casefold()


def readable_label(title: str) -> str:
    """A column title as a question's label: numbering and "(多选)" markers dropped."""
    text = _NUMBERING.sub("", unicodedata.normalize("NFKC", title or "")).strip()
    text = re.sub(r"[(（]\s*(?:多选|单选|必填|可多选)\s*[)）]\s*$", "", text).strip()
    return (text or title or "?")[:200]


def match_columns(titles: Mapping[int, str], qs: Iterable[QuestionView]) -> dict[int, QuestionView]:
    """Which form columns answer which questions: a column whose title (numbering and
    punctuation aside) is the question's label or key; else whose title contains the
    label (a sentence around it, "您的衣服尺码是？"). Each question takes one column."""
    qs = list(qs)
    keys = {q.id: (title_key(q.label), title_key(q.key)) for q in qs}
    out: dict[int, QuestionView] = {}
    taken: set[uuid.UUID] = set()
    normal = {col: title_key(t) for col, t in titles.items()}
    for col, t in normal.items():
        for q in qs:
            if q.id not in taken and t and t in keys[q.id]:
                out[col] = q
                taken.add(q.id)
                break
    for col, t in normal.items():
        if col in out or not t:
            continue
        hits = [
            q for q in qs if q.id not in taken and len(keys[q.id][0]) >= 2 and keys[q.id][0] in t
        ]
        if len(hits) == 1:
            out[col] = hits[0]
            taken.add(hits[0].id)
    return out


def suggest_key(title: str, taken: Iterable[str] = ()) -> str:
    """A key for a question made from a form column: ASCII words of the title, else q1, q2…"""
    used = set(taken)
    words = re.findall(r"[a-z0-9]+", unicodedata.normalize("NFKC", title).casefold())
    base = "_".join(words)[:30].strip("_")
    if not base or not base[0].isalpha():
        base = "q"
    n, key = 1, base if base != "q" else "q1"
    while key in used:
        n += 1
        key = f"{base}{n}" if base != "q" else f"q{n}"
    return key


def suggest_type(values: Iterable[Any]) -> tuple[str, tuple[str, ...]]:
    """A question type for a column from its answers: yes/no, numbers, dates, a few
    distinct short answers (choice), 问卷星's ┋-joined ones (multi), else text."""
    vals = [str(v) for v in (clean(v) for v in values) if v is not None][:500]
    if not vals:
        return QuestionType.TEXT.value, ()

    def all_ok(fn: Any) -> bool:
        try:
            return all(fn(v) is not None for v in vals)
        except (CellError, ValueError, InvalidOperation):
            return False

    if all_ok(parse_bool):
        return QuestionType.YES_NO.value, ()
    if all(is_number(v.replace(",", "")) for v in vals):
        return QuestionType.NUMBER.value, ()
    if all_ok(parse_date) and all(re.search(r"\d{4}", v) for v in vals):
        return QuestionType.DATE.value, ()
    if any("┋" in v for v in vals):
        opts = split_choices([p for v in vals for p in re.split(r"┋", v)])
        opts = tuple(fill_in(o).split(":", 1)[0] for o in opts)
        opts = tuple(dict.fromkeys(o for o in opts if o))
        if 2 <= len(opts) <= CHOICES_MAX and not any(FORBIDDEN_IN_CHOICE.search(o) for o in opts):
            return QuestionType.MULTI.value, opts
    distinct = tuple(dict.fromkeys(fill_in(v).split(":", 1)[0] for v in vals))
    few = 2 <= len(distinct) <= 12 and len(vals) >= 2 * len(distinct)
    if few and all(len(d) <= 30 and not FORBIDDEN_IN_CHOICE.search(d) for d in distinct):
        return QuestionType.CHOICE.value, distinct
    return QuestionType.TEXT.value, ()
