"""What an import says about a row or a file, in the reader's language: ONE shape for all.

`Said` is one message (English, Chinese, its message code) — why a file cannot be read,
why a participant was not matched, a note about a whole file. `RowProblem` is why one row
was rejected or one of its values left out: `{row, field, value, reason, code}` for every
importer (people, sign-ups, attendance, feedback, campaign packs, event packs). `reason`
is rendered when the problem is found, in English and Chinese, from the message `code`
of domain/messages.py; `to_json()` gives it in the reader's language
(`current_language()`, as the CLI's other output). A problem outside a spreadsheet (an
event pack's database row) has no row number and says where it is in `where`
(table, id).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from desktop_app.domain.messages import current_language, field_label, text

Param = object | Callable[[str], object]  # a value, or a function of the language


@dataclass(frozen=True, slots=True)
class Said:
    """One message in English and Chinese, with the message code it was rendered from."""

    en: str
    zh: str | None = None
    code: str | None = None

    def localized(self, lang: str | None = None) -> str:
        if (lang or current_language()) == "zh" and self.zh:
            return self.zh
        return self.en

    def __str__(self) -> str:
        return self.en


def say(code: str, field: str | None = None, **params: Param) -> Said:
    """The message `code` in both languages; `label` (the field's name) is always
    available to the template, a callable param is given the language, and a param with
    words of its own (a Said, an error) is said in the same language."""

    def render(lang: str) -> str:
        given = {k: _in(v, lang) for k, v in params.items()}
        return text(code, lang, label=field_label(field or "", lang), **given)

    return Said(render("en"), render("zh"), code)


def _in(value: object, lang: str) -> object:
    if hasattr(value, "localized"):
        return value.localized(lang)
    return value(lang) if callable(value) else value


@dataclass(frozen=True, slots=True)
class RowProblem:
    """Why a row (1-based, as the spreadsheet shows it) was rejected, or a value left out.

    `reason` is English (logs, tests); `localized(lang)` the reader's language. `field` is
    the field key (phone, vin, party…), `value` the cell as the file had it."""

    row: int | None
    reason: str
    field: str | None = None
    value: str | None = None
    code: str | None = None
    zh: str | None = None
    where: tuple[tuple[str, str], ...] = ()  # outside a sheet: (("table", …), ("id", …))

    def localized(self, lang: str | None = None) -> str:
        return Said(self.reason, self.zh).localized(lang)

    @property
    def said(self) -> Said:
        return Said(self.reason, self.zh, self.code)

    def to_json(self, lang: str | None = None) -> dict[str, Any]:
        """{row, field, value, reason, code} (+ `where`'s keys): every key always there."""
        return {
            "row": self.row,
            "field": self.field,
            "value": self.value,
            "reason": self.localized(lang),
            "code": self.code,
            **dict(self.where),
        }


def problem(
    row: int | None,
    code: str,
    field: str | None = None,
    value: str | None = None,
    **params: Param,
) -> RowProblem:
    """A RowProblem in both languages from one message code."""
    said = say(code, field, **params)
    return RowProblem(row, said.en, field, value, code, said.zh)


def joined(row: int, problems: list[RowProblem] | list[Said]) -> RowProblem:
    """Several problems of one row as one ("type: …; ends_at: …"), first code kept."""
    en = "; ".join(p.en if isinstance(p, Said) else p.reason for p in problems)
    zh = "；".join(p.localized("zh") for p in problems)
    first = problems[0]
    return RowProblem(row, en, getattr(first, "field", None), None, first.code, zh)
