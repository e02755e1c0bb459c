"""Errors of syncing, checking out and numbering: each one line a user can act on."""

from __future__ import annotations

from store.errors import FieldAuditError, RuleViolation


class SyncRefused(FieldAuditError):
    """A sync or checkout was refused before anything was written (or rolled back whole)."""


class NumbersExhausted(RuleViolation):
    """This device has no free 发文字号 left in its reserved blocks for a kind and year."""


def one_line(text: str) -> str:
    """Collapse SQLite's multi-line details so a refusal stays one line."""
    return " ".join(text.split())
