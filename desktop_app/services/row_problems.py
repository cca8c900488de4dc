"""Why an imported row was rejected or a value dropped, in the reader's language.

Every importer (people, sign-ups, attendance, survey feedback) says it the same way: one
message code of domain/messages.py rendered in English and Chinese when the problem is
found. `reason` (English) is what logs, tests and scripts read; `localized(lang)` is what
a screen shows; `to_json()` follows `current_language()` as the CLI's other output does.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from desktop_app.domain.errors import PaddockError
from desktop_app.domain.messages import current_language, field_label, text
from desktop_app.domain.phone import PhoneError
from desktop_app.domain.vehicle_ids import PlateError, VinError
from desktop_app.io.values import CellError

Param = object | Callable[[str], object]  # a value, or a function of the language


@dataclass(frozen=True, slots=True)
class Said:
    """One message in English and Chinese (e.g. why a participant was not matched)."""

    en: str
    zh: str | None = None
    code: str | None = None

    def localized(self, lang: str | None = None) -> str:
        if (lang or current_language()) == "zh" and self.zh:
            return self.zh
        return self.en


def say(code: str, field: str | None = None, **params: Param) -> Said:
    """The message `code` in both languages; `label` (the field's name) is always
    available to the template, and a callable param is given the language."""

    def render(lang: str) -> str:
        given = {k: v(lang) if callable(v) else v for k, v in params.items()}
        return text(code, lang, label=field_label(field or "", lang), **given)

    return Said(render("en"), render("zh"), code)


@dataclass(frozen=True, slots=True)
class RowProblem:
    """Why a row (1-based, as the spreadsheet shows it) was rejected, or a value dropped.

    `reason` is English (logs, tests); `localized(lang)` is the reader's language, from
    the message `code` (domain/messages.py) rendered when the problem was found."""

    row: int
    reason: str
    field: str | None = None
    value: str | None = None
    code: str | None = None
    zh: str | None = None

    def localized(self, lang: str | None = None) -> str:
        return Said(self.reason, self.zh).localized(lang)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"row": self.row, "reason": self.localized()}
        if self.field:
            out["field"] = self.field
        if self.value is not None:
            out["value"] = self.value
        return out


def problem(
    row: int, code: str, field: str | None = None, value: str | None = None, **params: Param
) -> RowProblem:
    """A RowProblem in both languages from one message code."""
    said = say(code, field, **params)
    return RowProblem(row, said.en, field, value, code, said.zh)


def shown(value: object) -> str:
    """A cell as the reasons quote it (dates in ISO form)."""
    return value.isoformat() if isinstance(value, date) else str(value)


def why(exc: Exception, raw: object = None) -> Callable[[str], str]:
    """The exception's reason in a language: English as raised; Chinese from its message
    code (a cell, phone, VIN or plate the parsers refused, or a PaddockError), else the
    English text. `raw` is the cell as the file had it (a phone's reason quotes it)."""

    def render(lang: str) -> str:
        if isinstance(exc, PaddockError):
            return exc.localized(lang)
        if lang != "en":
            if isinstance(exc, PhoneError):
                return text(f"phone_{exc.problem.code}", lang, text=shown(raw))
            if isinstance(exc, VinError | PlateError | CellError):
                return text(exc.code, lang, **exc.params)
        return str(exc)

    return render


def refused(row: int, exc: Exception, raw: object = None) -> RowProblem:
    """A row refused by an exception: English as raised, Chinese from its code."""
    render = why(exc, raw)
    code = getattr(exc, "code", None)
    return RowProblem(
        row, render("en"), code=code if isinstance(code, str) else None, zh=render("zh")
    )
