"""Money as integer fen (分), the only representation stored or computed with.

Binary floats cannot hold 0.10 exactly, and an audit report whose totals are off by one fen
loses its credibility, so amounts are ``int`` fen everywhere. ``Decimal`` appears only at the
edges: when a user types an amount (:func:`parse_yuan`) and when one is written out
(:func:`format_fen`, :func:`rmb_capital`, which follows the PBOC rules quoted in
``domain.md`` §6.2). Nothing here ever touches ``float``.
"""

from __future__ import annotations

import re
from decimal import Decimal

from store.errors import InvalidInput

#: The largest amount the app accepts: 999,999,999,999.99 yuan (the capital form's limit, 亿).
MAX_FEN = 99_999_999_999_999
_MAX_TEXT = "999,999,999,999.99"

# Full-width ASCII (U+FF01..U+FF5E) to half-width; ideographic space to space; full-width
# ￥ (U+FFE5) to ¥ (U+00A5); the minus sign U+2212 to "-".
_HALF_WIDTH = {0xFF01 + i: 0x21 + i for i in range(94)} | {
    0x3000: 0x20, 0xFFE5: 0xA5, 0x2212: ord("-")}
_GROUPED = re.compile(r"\d{1,3}(?:,\d{3})+")

_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_IN_SECTION = ("", "拾", "佰", "仟")
_SECTIONS = ("", "万", "亿")


def to_half_width(text: str) -> str:
    """Full-width digits, letters and punctuation (as typed with a Chinese IME) to ASCII."""
    return text.translate(_HALF_WIDTH)


def parse_yuan(text: str) -> int:
    """Turn an amount in yuan as a user types it into fen.

    Accepts ``1234.5``, ``1,234.50``, ``１２３４``, ``¥12``, ``￥12``, ``12元`` and
    surrounding spaces. Digits beyond the fen are accepted only when they are zeros
    (``1.230``), because spreadsheets export such values; anything that would need rounding
    is refused rather than silently changed.

    Raises:
        InvalidInput: ``formats.money_*`` naming the text and what is wrong with it.
    """
    s = to_half_width(text).strip()
    if not s:
        raise InvalidInput("formats.money_empty", value=text)
    s = s.removeprefix("¥").removesuffix("元").strip()
    if s.startswith("-"):
        raise InvalidInput("formats.money_negative", value=text)
    if not re.fullmatch(r"[0-9,.]*[0-9][0-9,.]*", s):
        raise InvalidInput("formats.money_not_number", value=text)
    if s.count(".") > 1:
        raise InvalidInput("formats.money_many_points", value=text)
    whole, _, frac = s.partition(".")
    if "," in frac or ("," in whole and not _GROUPED.fullmatch(whole)):
        raise InvalidInput("formats.money_bad_grouping", value=text)
    whole = whole.replace(",", "").lstrip("0")
    if len(frac.rstrip("0")) > 2:
        raise InvalidInput("formats.money_too_many_decimals", value=text)
    if len(whole) > 12:
        raise InvalidInput("formats.money_too_large", value=text, max=_MAX_TEXT)
    return int(whole or "0") * 100 + int(frac.rstrip("0").ljust(2, "0"))


def format_fen(fen: int) -> str:
    """``123450`` → ``"1,234.50"``: always two decimals and thousands commas, as in reports."""
    sign = "-" if fen < 0 else ""
    yuan, rest = divmod(abs(fen), 100)
    return f"{sign}{yuan:,}.{rest:02d}"


def fen_to_decimal(fen: int) -> Decimal:
    """Exact yuan value of ``fen`` (built from text, so no context rounding can apply)."""
    return Decimal(f"{fen}e-2")


def decimal_to_fen(value: Decimal) -> int:
    """Exact fen of a yuan ``Decimal``; refuses a value that would need rounding.

    Works on the digit tuple instead of multiplying, so no decimal context can round.
    """
    if not value.is_finite():
        raise InvalidInput("formats.money_not_number", value=str(value))
    sign, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)  # finite
    number = int("".join(map(str, digits)) or "0")
    if exponent >= -2:
        fen = number * 10 ** (exponent + 2)
    else:
        number, rest = divmod(number, 10 ** (-exponent - 2))
        if rest:
            raise InvalidInput("formats.money_too_many_decimals", value=str(value))
        fen = number
    return -fen if sign else fen


def rmb_capital(fen: int, prefix: bool = True) -> str:
    """人民币大写 per 《正确填写票据和结算凭证的基本规定》 (``domain.md`` §6.2).

    The rules leave two choices open; this function makes them deterministically so the
    same amount always prints the same way and all six official examples come out exactly:

    * the optional 零 at the 元 position is always written (``捌拾元零叁角``);
    * across a 万/亿 boundary a 零 is written only where a whole 4-digit section is zero or
      the lower section starts with zeros (``壹拾万柒仟`` as in the official ¥107000.53,
      ``壹亿零壹佰``, ``壹亿零壹仟``);
    * 整 is written only when there are no 角 and no 分.

    Raises:
        InvalidInput: for a negative amount or one above :data:`MAX_FEN`.
    """
    if fen < 0:
        raise InvalidInput("formats.money_negative", value=format_fen(fen))
    if fen > MAX_FEN:
        raise InvalidInput("formats.money_too_large", value=format_fen(fen), max=_MAX_TEXT)
    yuan, jiao, fen_digit = fen // 100, fen // 10 % 10, fen % 10
    head = "人民币" if prefix else ""
    if fen == 0:
        return head + "零元整"
    out = [head, _integer_capital(yuan), "元"] if yuan else [head]
    if jiao == 0 and fen_digit == 0:
        return "".join(out) + "整"
    if yuan and (yuan % 10 == 0 or jiao == 0):
        out.append("零")
    if jiao:
        out.append(_DIGITS[jiao] + "角")
    if fen_digit:
        out.append(_DIGITS[fen_digit] + "分")
    return "".join(out)


def _integer_capital(n: int) -> str:
    """Capital form of a positive integer below 10^12, without the 元."""
    sections: list[int] = []
    while n:
        n, section = divmod(n, 10_000)
        sections.append(section)
    out: list[str] = []
    zero_pending = False
    for index in reversed(range(len(sections))):
        section = sections[index]
        if section == 0:
            zero_pending = True
            continue
        if out and (zero_pending or section < 1000):
            out.append("零")
        out.append(_section_capital(section) + _SECTIONS[index])
        zero_pending = False
    return "".join(out)


def _section_capital(section: int) -> str:
    """1..9999 without leading 零; inner zero runs become one 零, trailing zeros vanish."""
    digits = f"{section:04d}".lstrip("0")
    out: list[str] = []
    for position, char in enumerate(digits):
        digit = int(char)
        place = len(digits) - 1 - position
        if digit:
            out.append(_DIGITS[digit] + _IN_SECTION[place])
        elif out and out[-1] != "零":
            out.append("零")
    return "".join(out).rstrip("零")
