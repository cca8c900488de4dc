"""Why an imported row was rejected or a value dropped, in the reader's language.

The shape itself (`RowProblem`, `Said`, `say`, `problem`) is domain/problems.py: one for
every importer. Here are the helpers that read the parsers' exceptions (io.values'
CellError, the phone/VIN/plate errors) into it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from desktop_app.domain.errors import PaddockError
from desktop_app.domain.messages import text
from desktop_app.domain.phone import PhoneError
from desktop_app.domain.problems import Param, RowProblem, Said, joined, problem, say
from desktop_app.domain.vehicle_ids import PlateError, VinError
from desktop_app.io.values import CellError


def shown(value: object) -> str:
    """A cell as the reasons quote it (dates in ISO form, a time after a space)."""
    if isinstance(value, datetime):
        return value.isoformat(" ")
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


def refused(row: int, exc: Exception, raw: object = None, field: str | None = None) -> RowProblem:
    """A row (or a value of it) refused by an exception: English as raised, Chinese from
    its code; `raw` is the cell as the file had it, `field` the field it was read for."""
    render = why(exc, raw)
    code = getattr(exc, "code", None)
    if isinstance(exc, PhoneError):
        code = f"phone_{exc.problem.code}"
    return RowProblem(
        row,
        render("en"),
        field,
        None if raw is None else shown(raw),
        code if isinstance(code, str) else None,
        render("zh"),
    )


__all__ = ["Param", "RowProblem", "Said", "joined", "problem", "refused", "say", "shown", "why"]
