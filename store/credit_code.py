"""统一社会信用代码 (GB 32100-2015): the one identifier every union and enterprise carries.

A unit's code is its key in rosters, so a mistyped code would create a second, phantom unit.
The check character (mod 31, weights 3^(i-1)) catches every single-character substitution,
so validating on entry is cheap insurance. Facts and the worked example: ``domain.md`` §6.3.
"""

from __future__ import annotations

from store.errors import InvalidInput
from store.money import to_half_width

#: The 31 characters of the code, valued 0..30 by position; I, O, Z, S and V are never used.
CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_VALUE = {char: value for value, char in enumerate(CHARSET)}
#: Wi = 3^(i-1) mod 31 for positions 1..17.
WEIGHTS = tuple(pow(3, i, 31) for i in range(17))
_UNUSED_LETTERS = "IOZSV"
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def normalize(text: str) -> str:
    """Strip, full-width to half-width, upper-case: how codes are stored and compared."""
    return to_half_width(text).strip().upper()


def check_char(first17: str) -> str:
    """The 18th character for the first 17 (already normalised and valid).

    Raises:
        ValueError: ``first17`` is not 17 characters of :data:`CHARSET` (a programming error;
            user input goes through :func:`validate_credit_code`).
    """
    if len(first17) != 17 or any(c not in _VALUE for c in first17):
        raise ValueError(f"need 17 characters of {CHARSET}, got {first17!r}")
    total = sum(_VALUE[c] * w for c, w in zip(first17, WEIGHTS, strict=True))
    return CHARSET[(31 - total % 31) % 31]


def make_credit_code(first17: str) -> str:
    """A complete code: ``first17`` plus its check character (for sample data and tests)."""
    return first17 + check_char(first17)


def validate_credit_code(text: str) -> str:
    """The normalised code, or :class:`InvalidInput` saying exactly what is wrong.

    Checks, in the order a user can fix them: empty, illegal characters (named with their
    1-based position; I/O/Z/S/V get their own hint), length, the six-digit region code in
    positions 3–8, then the check character (naming the one expected).
    """
    code = normalize(text)
    if not code:
        raise InvalidInput("formats.credit_empty")
    for position, char in enumerate(code, start=1):
        if char in _VALUE:
            continue
        key = "credit_letter_not_used" if char in _UNUSED_LETTERS else "credit_bad_char"
        raise InvalidInput(f"formats.{key}", value=text, char=char, position=position)
    if len(code) != 18:
        raise InvalidInput("formats.credit_length", value=text, given=len(code))
    for position in range(3, 9):
        if not code[position - 1].isdigit():
            raise InvalidInput("formats.credit_region_digits", value=text,
                               char=code[position - 1], position=position)
    expected = check_char(code[:17])
    if code[17] != expected:
        raise InvalidInput("formats.credit_check", value=text, given=code[17], expected=expected)
    return code


def organization_code_ok(code: str) -> bool:
    """Whether characters 9–17 pass the GB 11714 organisation-code check.

    Accepts a full 18-character code or the 9-character organisation code alone. Some
    legitimately issued codes may not carry this check, so callers treat ``False`` as a
    warning to double-check the code, never as a reason to refuse it.
    """
    code = normalize(code)
    org = code[8:17] if len(code) == 18 else code
    if len(org) != 9 or not org[:8].isascii() or not org[:8].isalnum():
        return False
    total = sum(int(c, 36) * w for c, w in zip(org[:8], _ORG_WEIGHTS, strict=True))
    value = 11 - total % 11
    return org[8] == ("X" if value == 10 else "0" if value == 11 else str(value))


def is_grassroots_union(code: str) -> bool:
    """Codes issued by the union registry (8) to a grassroots union (1) start with ``81``."""
    return normalize(code).startswith("81")
