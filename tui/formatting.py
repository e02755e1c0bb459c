"""How values read on screen: dates as 公文 dates, money in yuan, vocabularies in the UI language.

Stored enum values are the Chinese terms themselves (``store.enums``); in English they are
shown with the labels in ``store/locales/tui.toml`` (``tui.enum.<Enum>.<MEMBER>``).
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from rich.cells import cell_len
from rich.text import Text

from store.dates import format_gongwen_date
from store.textbreak import break_text
from store.enums import AuditStatus
from store.i18n import t
from store.money import format_fen


def enum_label(enum: type[StrEnum], value: str) -> str:
    """The user-facing name of a stored vocabulary value (``value`` itself if unknown)."""
    if enum is AuditStatus:
        return t(f"audits.status.{value}")
    try:
        member = enum(value)
    except ValueError:
        return value
    return t(f"tui.enum.{enum.__name__}.{member.name}")


def day(d: date | None, empty: str = "—") -> str:
    """``2026年11月23日`` (GB/T 9704 style), or ``empty``."""
    return format_gongwen_date(d) if d else empty


def money(fen: int) -> str:
    """``1,234.50`` (yuan, two decimals)."""
    return format_fen(fen)


def progress(done: int, total: int) -> str:
    """``35/70``."""
    return f"{done}/{total}"


_UNION_SUFFIXES = ("工会委员会", "工会")


def unit_short(name: str) -> str:
    """A unit's name without the ``工会委员会`` every roster name ends with, for dense tables
    (the unit's page shows the full name)."""
    for suffix in _UNION_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


def cell(value: str, *, right: bool = False) -> Text:
    """A table cell that ends in … when its column is narrower, numbers aligned right."""
    return Text(value, no_wrap=True, overflow="ellipsis", justify="right" if right else "left")


def wrap_cjk(text: Text, width: int) -> Text:
    """``text`` broken into lines of at most ``width`` terminal cells by the same rules as the
    printed documents (store/documents/linebreak.py): no ``，。？）》`` at a line start, no
    ``（《“`` at a line end, Latin words and numbers kept whole. Styles are kept. Rich's own
    wrapping breaks Chinese anywhere, leaving a lone ``？`` or ``，`` at the start of a line."""
    if width <= 0:
        return text
    plain = text.plain
    lines = break_text(plain, [cell_len(ch) for ch in plain], width)
    return Text("\n").join(text[line.start:line.end] for line in lines)
