"""One message catalogue for every sentence a user reads (zh-CN default, English available).

Messages live in ``store/locales/*.toml``; each file holds one area's keys, each key a table
with ``zh`` and ``en`` strings using ``str.format`` placeholders. Splitting by area keeps the
files small and lets each part of the program own its messages, while lookups stay in one place.

The language is chosen, in order, by :func:`set_language`, the ``FIELDAUDIT_LANG`` environment
variable, then zh-CN. It is read at call time, never at import time.
"""

from __future__ import annotations

import os
import tomllib
from functools import cache
from pathlib import Path
from typing import Literal

Lang = Literal["zh", "en"]
_LOCALES = Path(__file__).parent / "locales"
_override: Lang | None = None


def normalize_lang(value: str | None) -> Lang | None:
    """Map user spellings (``en``, ``en_US``, ``zh-CN``, ``zh_CN.UTF-8``) to a catalogue language."""
    if not value:
        return None
    v = value.strip().lower()
    if v.startswith("en"):
        return "en"
    if v.startswith("zh"):
        return "zh"
    return None


def set_language(lang: str | None) -> None:
    """Force the language for this process (``None`` returns to the environment default)."""
    global _override
    _override = normalize_lang(lang)


def current_language() -> Lang:
    return _override or normalize_lang(os.environ.get("FIELDAUDIT_LANG")) or "zh"


@cache
def catalogue() -> dict[str, dict[str, str]]:
    """All messages, keyed ``"<file stem>.<key>"``; loaded once, on first use."""
    messages: dict[str, dict[str, str]] = {}
    for path in sorted(_LOCALES.glob("*.toml")):
        with path.open("rb") as fh:
            data = tomllib.load(fh)
        for key, entry in _flatten(data):
            messages[f"{path.stem}.{key}"] = entry
    return messages


def _flatten(data: dict, prefix: str = ""):
    for key, value in data.items():
        if isinstance(value, dict) and "zh" in value and "en" in value:
            yield prefix + key, value
        elif isinstance(value, dict):
            yield from _flatten(value, f"{prefix}{key}.")


def t(key: str, lang: Lang | None = None, /, **params: object) -> str:
    """Translate ``key`` into the current (or given) language, filling ``params``.

    An unknown key returns the key itself so a missing message is visible, never a crash.
    """
    entry = catalogue().get(key)
    if entry is None:
        return key
    text = entry[lang or current_language()]
    try:
        return text.format(**params)
    except (KeyError, IndexError, ValueError):
        return text
