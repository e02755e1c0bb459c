"""Reading checklist data files (templates, caps, the problem library) from TOML into models.

Both kinds of mistake a person editing these files can make end here as a
:class:`~store.errors.TemplateError` that names the file and says where: a TOML syntax error
gives the line and column, a validation error gives the field path in the form
``areas[2].items[5].basis`` (indices count from 0, as in JSON paths) followed by the item code
when there is one, because that is what the editor searches for in the file.

Model validators that detect a problem below their own level (a duplicate item code found by
the template) put the relative location in the error context under ``"loc"``; it is appended to
the error's own location so the user still gets the full path.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any, NoReturn, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from store.errors import TemplateError
from store.i18n import Lang, catalogue, normalize_lang, t

M = TypeVar("M", bound=BaseModel)

_QUOTED = re.compile(r"'([^']*)'")
_AT_LINE = re.compile(r"^(?P<problem>.*?)\s*\(at line (?P<line>\d+), column (?P<column>\d+)\)$")


class Problem:
    """What is wrong with one field, rendered in the language in force when it is shown.

    Passed as the ``problem`` parameter of a :class:`TemplateError`; ``str.format`` calls
    :meth:`__format__`, so the sentence is looked up late, like the message around it. The
    catalogue entries write ``{problem:zh}`` / ``{problem:en}`` so an explicitly requested
    language reaches the nested sentence too; an empty spec means the current language.
    Pydantic error types with a ``checklists.problem.<type>`` entry are translated; any other
    falls back to pydantic's own (English) wording rather than hiding the detail.
    """

    def __init__(self, key: str, params: dict[str, Any], fallback: str) -> None:
        self.key = key
        self.params = params
        self.fallback = fallback

    def render(self, lang: Lang | None = None) -> str:
        if self.key in catalogue():
            return t(self.key, lang, **self.params)
        return self.fallback

    def __str__(self) -> str:
        return self.render()

    def __format__(self, spec: str) -> str:
        return self.render(normalize_lang(spec))

    def __repr__(self) -> str:
        return f"Problem({self.key!r}, {self.params!r})"


def read_toml(path: Path) -> dict[str, Any]:
    """Parse ``path`` as TOML; unreadable files and syntax errors become ``TemplateError``."""
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        match = _AT_LINE.match(str(exc))
        if match:
            raise TemplateError(
                "checklists.toml_syntax",
                file=str(path),
                line=int(match["line"]),
                column=int(match["column"]),
                problem=match["problem"],
            ) from None
        raise TemplateError("checklists.toml_syntax_plain", file=str(path), problem=str(exc)) from None
    except UnicodeDecodeError:
        raise TemplateError("checklists.not_utf8", file=str(path)) from None
    except OSError as exc:
        raise TemplateError(
            "checklists.unreadable", file=str(path), problem=exc.strerror or str(exc)
        ) from None


def load_model_file(path: Path | str, model: type[M]) -> M:
    """Read ``path`` and validate it as ``model``; every failure is a ``TemplateError``."""
    path = Path(path)
    raw = read_toml(path)
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        raise_validation_error(path, exc, raw)


def raise_validation_error(path: Path, exc: ValidationError, raw: dict[str, Any]) -> NoReturn:
    """Turn the first pydantic error into a ``TemplateError`` naming file, field and problem."""
    errors = exc.errors(include_url=False)
    first = errors[0]
    loc = full_loc(first)
    params = dict(
        file=str(path),
        field=describe_loc(loc, raw),
        problem=problem_of(first),
    )
    if len(errors) > 1:
        raise TemplateError("checklists.invalid_field_more", more=len(errors) - 1, **params) from None
    raise TemplateError("checklists.invalid_field", **params) from None


def full_loc(error: ErrorDetails) -> tuple[int | str, ...]:
    """The error's location plus any sub-location a model validator put in its context."""
    extra = (error.get("ctx") or {}).get("loc", ())
    # A dict key that failed validation is reported at a pseudo-segment "[key]"; the key itself
    # (the segment before it) is what the user needs to see.
    return tuple(seg for seg in (*error["loc"], *extra) if seg != "[key]")


def format_loc(loc: tuple[int | str, ...]) -> str:
    """``("areas", 2, "items", 5, "basis")`` → ``areas[2].items[5].basis``."""
    out = ""
    for seg in loc:
        if isinstance(seg, int):
            out += f"[{seg}]"
        else:
            out += f".{seg}" if out else str(seg)
    return out or "(root)"


def describe_loc(loc: tuple[int | str, ...], raw: Any) -> str:
    """The field path, followed by the code of the innermost list element on it (``(C3)``)."""
    code: str | None = None
    node = raw
    for seg in loc:
        if isinstance(node, dict) and isinstance(seg, str) and seg in node:
            node = node[seg]
        elif isinstance(node, list) and isinstance(seg, int) and 0 <= seg < len(node):
            node = node[seg]
            if isinstance(node, dict) and isinstance(node.get("code"), str):
                code = node["code"]
        else:
            break
    text = format_loc(loc)
    return f"{text} ({code})" if code else text


def problem_of(error: ErrorDetails) -> Problem:
    ctx = {k: v for k, v in (error.get("ctx") or {}).items() if k != "loc"}
    if error["type"] == "value_error" and "error" in ctx:
        ctx["error"] = str(ctx["error"])
    if isinstance(ctx.get("expected"), str):
        # pydantic writes "'a', 'b' or 'c'"; a plain list reads the same in every language.
        choices = _QUOTED.findall(ctx["expected"])
        if choices:
            ctx["expected"] = " / ".join(choices)
    return Problem(f"checklists.problem.{error['type']}", ctx, error["msg"])
