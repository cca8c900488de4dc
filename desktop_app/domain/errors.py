"""Typed errors whose message a person can act on. The UI and CLI render them in the
user's language through `localized()`; `str(err)` is English (logs, tests)."""

from __future__ import annotations

from desktop_app.domain.messages import current_language, field_label, text, thing


def first_line(exc: BaseException) -> str:
    """An exception's first line for a message (a driver error's own text, not SQLAlchemy's
    wrapper; at most 200 characters), or its type's name when it says nothing (EOFError())."""
    lines = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    return lines[0][:200] if lines else type(exc).__name__


class PaddockError(Exception):
    """Base of every error a user can do something about (CLI exit code 1).

    Either a plain message, or a message `code` (see messages.py) with parameters.
    """

    def __init__(self, message: str = "", *, code: str | None = None, **params: object) -> None:
        self.code = code
        self.params = params
        self._plain = message
        super().__init__(self.localized("en"))

    def localized(self, lang: str | None = None) -> str:
        if not self.code:
            return self._plain
        # a parameter that has words of its own (a reason) is said in the same language
        params = {
            k: v.localized(lang) if hasattr(v, "localized") else v for k, v in self.params.items()
        }
        return text(self.code, lang, **params)


class ValidationError(PaddockError):
    """Input refused; `field` names what to fix (matches the form field / CLI option)."""

    def __init__(self, field: str, code: str, **params: object) -> None:
        self.field = field
        super().__init__(code=code, **params)

    def localized(self, lang: str | None = None) -> str:
        sep = "：" if (lang or "") == "zh" else ": "
        return f"{field_label(self.field, lang)}{sep}{text(self.code or '', lang, **self.params)}"


class NotFound(PaddockError):
    def __init__(self, what: str, ident: object) -> None:
        self.what = what
        self.ident = ident
        super().__init__(f"{what} not found: {ident}")

    def localized(self, lang: str | None = None) -> str:
        return text("not_found", lang, what=thing(self.what, lang), ident=self.ident)


class RuleViolation(PaddockError):
    """A business rule forbids the change (e.g. publishing an event without a date)."""


class ConfirmationRequired(PaddockError):
    """The change is allowed only after the user confirms (e.g. cancelling a full event)."""


class DatabaseError(PaddockError):
    """The database cannot be opened or used: not Paddock's, newer than this app, locked…"""


class RowInvalid(PaddockError):
    """One row of an imported file is refused; `row` is 1-based as the spreadsheet shows it."""

    def __init__(self, row: int, field: str, reason: str) -> None:
        self.row = row
        self.field = field
        self.reason = reason
        super().__init__(f"row {row}: {field}: {reason}")


class FileUnreadable(PaddockError):
    """An input file cannot be read at all (wrong type, corrupt, empty…)."""


class Cancelled(PaddockError):
    """The user cancelled a long operation; nothing was changed."""


class PermissionDenied(PaddockError):
    """The signed-in staff member's role (or kiosk mode) does not allow this; nothing changed.

    `permission` and `role` are codes; they are put into words in the reader's language.
    """

    def __init__(self, code: str, permission: str, staff: str = "", role: str = "") -> None:
        self.permission = permission
        self.role = role
        super().__init__(code=code, permission=permission, staff=staff, role=role)

    def localized(self, lang: str | None = None) -> str:
        from desktop_app.domain.messages import PERMISSION_WORDS, ROLE_WORDS

        zh = (lang or current_language()) == "zh"
        perm = PERMISSION_WORDS.get(self.permission, (self.permission,) * 2)[int(zh)]
        role = ROLE_WORDS.get(self.role, (self.role,) * 2)[int(zh)]
        return text(self.code or "", lang, **{**self.params, "permission": perm, "role": role})


class SignInFailed(PaddockError):
    """Wrong PIN/password, unknown staff member, or the account is locked for a while."""
