"""Turn pydantic validation errors into one clear sentence in the user's language.

Field labels come from ``store/locales/fields.toml`` (``fields.<name>``), problem wording from
``store/locales/validation.toml`` keyed by pydantic's error type, so "unit: credit_code: String
should match pattern" reaches a user as "统一社会信用代码：格式不正确".
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from store.errors import InvalidInput
from store.i18n import catalogue, t

M = TypeVar("M", bound=BaseModel)
_PROBLEMS = {
    "missing": "missing", "string_too_short": "too_short", "string_too_long": "too_long",
    "greater_than_equal": "too_small", "greater_than": "too_small",
    "less_than_equal": "too_large", "less_than": "too_large",
    "string_pattern_mismatch": "pattern", "enum": "enum", "literal_error": "enum",
    "int_parsing": "not_integer", "int_from_float": "not_integer", "int_type": "not_integer",
    "date_parsing": "not_date", "date_from_datetime_parsing": "not_date", "date_type": "not_date",
    "bool_parsing": "not_bool", "extra_forbidden": "extra",
}


def field_label(name: str) -> str:
    key = f"fields.{name}"
    return t(key) if key in catalogue() else name


def table_label(name: str) -> str:
    """What a table holds, as users call it (``store/locales/tables.toml``)."""
    key = f"tables.{name}"
    return t(key) if key in catalogue() else name


def invalid_from(exc: ValidationError) -> InvalidInput:
    """The first error of ``exc`` as an :class:`InvalidInput` naming the field."""
    err = exc.errors()[0]
    loc = [str(p) for p in err.get("loc", ()) if not isinstance(p, int)]
    field = field_label(loc[-1]) if loc else ""
    problem_key = _PROBLEMS.get(err["type"])
    ctx = {k: v for k, v in (err.get("ctx") or {}).items() if isinstance(v, (int, str, float))}
    if problem_key:
        problem = t(f"validation.{problem_key}", **ctx, input=err.get("input"))
    else:
        msg = str(err.get("msg", ""))
        problem = msg.removeprefix("Value error, ")
    return InvalidInput("validation.field", field=field, problem=problem)


def build(model: type[M], /, **data: object) -> M:
    """Construct ``model`` or raise :class:`InvalidInput` with a user-readable message."""
    try:
        return model(**data)
    except ValidationError as exc:
        raise invalid_from(exc) from None


def checked(fn: Callable[[], M]) -> M:
    try:
        return fn()
    except ValidationError as exc:
        raise invalid_from(exc) from None
