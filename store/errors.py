"""Errors a user can cause, carrying a catalogue key so every surface can say them in the
user's language. The CLI prints ``str(err)`` and exits non-zero; the TUI shows it in a notice.
"""

from __future__ import annotations

from store.i18n import Lang, t


class FieldAuditError(Exception):
    """Base class: a message key from the catalogue plus its parameters."""

    exit_code = 2

    def __init__(self, key: str, /, **params: object) -> None:
        self.key = key
        self.params = params
        super().__init__(key)

    def message(self, lang: Lang | None = None) -> str:
        return t(self.key, lang, **self.params)

    def __str__(self) -> str:
        return self.message()


class InvalidInput(FieldAuditError):
    """A value typed or imported by a user is malformed (amount, code, date, 文号 …)."""


class DatabaseRefused(FieldAuditError):
    """A file cannot be opened as a fieldaudit database; it was left untouched."""


class NotFound(FieldAuditError):
    """A record named by the user does not exist."""


class RuleViolation(FieldAuditError):
    """An operation would break a business rule (status moving backwards, …)."""


class TemplateError(FieldAuditError):
    """A checklist template or caps file is invalid; the message names file and field."""
