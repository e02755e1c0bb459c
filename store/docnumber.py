"""发文字号 such as ``X工审〔2026〕5号`` (``domain.md`` §6.1, GB/T 9704-2012).

The standard form uses the 六角括号 U+3014/U+3015, a four-digit year and a serial without
leading zeros or 第. Users often type other brackets, which are harmless and normalised here;
a leading zero, a 第, a missing 号 or a two-digit year change how the number reads in an
official document, so those are refused with a message saying what to write instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from store.errors import InvalidInput
from store.money import to_half_width

YEAR_MIN, YEAR_MAX = 2000, 2100
_OPEN = "〔[【(〖﹝"  # after full-width to half-width: ［ → [ and （ → (
_CLOSE = "〕]】)〗﹞"
_BRACKETS = _OPEN + _CLOSE + "《》<>{}"
_SHAPE = re.compile(rf"(?P<prefix>[^{re.escape(_OPEN)}]*)[{re.escape(_OPEN)}]"
                    rf"(?P<year>[^{re.escape(_CLOSE)}]*)[{re.escape(_CLOSE)}](?P<rest>.*)")


@dataclass(frozen=True, slots=True)
class DocNumber:
    """A parsed 发文字号; ``str()`` gives the canonical form."""

    prefix: str
    year: int
    serial: int

    def __str__(self) -> str:
        return f"{self.prefix}〔{self.year}〕{self.serial}号"


def format_doc_number(prefix: str, year: int, serial: int) -> str:
    """``("X工审", 2026, 5)`` → ``"X工审〔2026〕5号"`` after checking each part.

    Raises:
        InvalidInput: empty prefix, a prefix with brackets or only digits, a year outside
            2000–2100, or a serial below 1.
    """
    return str(_checked(prefix.strip(), year, serial))


def parse_doc_number(text: str) -> DocNumber:
    """Read a 发文字号 a user typed, accepting any common bracket and stray spaces.

    Raises:
        InvalidInput: ``formats.docno_*`` naming the text and the part to fix.
    """
    s = to_half_width(text).strip()
    if not s:
        raise InvalidInput("formats.docno_empty")
    shape = _SHAPE.fullmatch(s)
    if shape is None:
        raise InvalidInput("formats.docno_format", value=text)
    prefix, year_text = shape["prefix"].strip(), shape["year"].strip()
    rest = shape["rest"].strip()
    if not prefix:
        raise InvalidInput("formats.docno_prefix_empty", value=text)
    if not (year_text.isascii() and year_text.isdigit()):
        raise InvalidInput("formats.docno_year_digits", value=text, year=year_text)
    if len(year_text) == 2:
        raise InvalidInput("formats.docno_year_short", value=text, year=year_text)
    if len(year_text) != 4:
        raise InvalidInput("formats.docno_year_digits", value=text, year=year_text)
    if rest.startswith("第"):
        raise InvalidInput("formats.docno_di", value=text)
    if not rest.endswith("号"):
        raise InvalidInput("formats.docno_no_hao", value=text)
    serial_text = rest.removesuffix("号").strip()
    if not (serial_text.isascii() and serial_text.isdigit()):
        raise InvalidInput("formats.docno_serial_digits", value=text, serial=serial_text)
    if serial_text.startswith("0") and serial_text.strip("0"):
        raise InvalidInput("formats.docno_leading_zero", value=text, serial=serial_text,
                           fixed=serial_text.lstrip("0"))
    return _checked(prefix, int(year_text), int(serial_text))


def _checked(prefix: str, year: int, serial: int) -> DocNumber:
    if not prefix:
        raise InvalidInput("formats.docno_prefix_empty", value=prefix)
    if any(c in _BRACKETS for c in to_half_width(prefix)):
        raise InvalidInput("formats.docno_prefix_brackets", value=prefix)
    if prefix.isdigit():
        raise InvalidInput("formats.docno_prefix_digits", value=prefix)
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise InvalidInput("formats.docno_year_range", year=year, min=YEAR_MIN, max=YEAR_MAX)
    if serial < 1:
        raise InvalidInput("formats.docno_serial_min", serial=serial)
    return DocNumber(prefix, year, serial)
