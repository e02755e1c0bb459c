"""Money: parsing typed yuan, formatting fen, exact Decimal edges and 人民币大写."""

from __future__ import annotations

import re
import tomllib
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from store.errors import InvalidInput
from store.i18n import catalogue
from store.money import (
    MAX_FEN,
    decimal_to_fen,
    fen_to_decimal,
    format_fen,
    parse_yuan,
    rmb_capital,
)

STORE = Path(__file__).parents[2] / "store"


def assert_renders(err: InvalidInput) -> None:
    """The key exists and both languages format with exactly the given parameters."""
    entry = catalogue()[err.key]
    for lang in ("zh", "en"):
        assert entry[lang].format(**err.params) == err.message(lang)
        assert "{" not in err.message(lang)


# --- parse_yuan ---------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "fen"), [
    ("1234.5", 123450),
    ("1,234.50", 123450),
    ("１２３４", 123400),
    ("１，２３４．５６", 123456),
    ("¥12", 1200),
    ("￥12", 1200),
    ("¥ 12.30", 1230),
    ("12元", 1200),
    ("12.5元", 1250),
    ("￥１２元", 1200),
    ("  7  ", 700),
    ("\u30007\u3000", 700),
    ("0", 0),
    ("0.00", 0),
    ("0.01", 1),
    (".5", 50),
    ("5.", 500),
    ("007", 700),
    ("1.230", 123),
    ("1,234,567.89", 123456789),
    ("999,999,999,999.99", MAX_FEN),
    ("999999999999.99", MAX_FEN),
])
def test_parse_yuan_accepts(text: str, fen: int) -> None:
    assert parse_yuan(text) == fen


@pytest.mark.parametrize(("text", "key"), [
    ("", "money_empty"),
    ("   ", "money_empty"),
    ("-1", "money_negative"),
    ("－1", "money_negative"),
    ("¥-1.50", "money_negative"),
    ("−3", "money_negative"),
    ("1.234", "money_too_many_decimals"),
    ("0.001", "money_too_many_decimals"),
    ("abc", "money_not_number"),
    ("1e3", "money_not_number"),
    ("NaN", "money_not_number"),
    ("inf", "money_not_number"),
    ("+5", "money_not_number"),
    ("¥", "money_not_number"),
    (".", "money_not_number"),
    ("1 234", "money_not_number"),
    ("12元5角", "money_not_number"),
    ("1..2", "money_many_points"),
    ("1,2,3.4.5", "money_many_points"),
    ("12,34", "money_bad_grouping"),
    ("1,2345", "money_bad_grouping"),
    (",123", "money_bad_grouping"),
    ("1.234,5", "money_bad_grouping"),
    ("1000000000000", "money_too_large"),
    ("1,000,000,000,000.00", "money_too_large"),
    ("9" * 5000, "money_too_large"),
])
def test_parse_yuan_rejects(text: str, key: str) -> None:
    with pytest.raises(InvalidInput) as info:
        parse_yuan(text)
    assert info.value.key == f"formats.{key}"
    assert_renders(info.value)
    if text.strip():
        assert text in info.value.message("zh") and text in info.value.message("en")


def test_parse_yuan_message_is_specific() -> None:
    with pytest.raises(InvalidInput) as info:
        parse_yuan("1.234")
    assert info.value.message("zh") == "金额最多两位小数（分）：1.234"
    assert info.value.message("en") == "An amount can have at most two decimals (fen): 1.234"


@given(st.integers(min_value=0, max_value=MAX_FEN))
def test_parse_format_round_trip(fen: int) -> None:
    assert parse_yuan(format_fen(fen)) == fen
    assert parse_yuan(format_fen(fen).replace(",", "")) == fen


# --- format_fen and the Decimal edges -------------------------------------------------------

@pytest.mark.parametrize(("fen", "text"), [
    (0, "0.00"), (1, "0.01"), (10, "0.10"), (123450, "1,234.50"), (100000000, "1,000,000.00"),
    (-123450, "-1,234.50"), (-5, "-0.05"), (MAX_FEN, "999,999,999,999.99"),
])
def test_format_fen(fen: int, text: str) -> None:
    assert format_fen(fen) == text


@pytest.mark.parametrize(("value", "fen"), [
    (Decimal("12.34"), 1234), (Decimal("12.3"), 1230), (Decimal("12"), 1200),
    (Decimal("1E+3"), 100000), (Decimal("12.340"), 1234), (Decimal("-0.05"), -5),
    (Decimal("0"), 0), (Decimal("123456789012345678901234567890.12"),
                        12345678901234567890123456789012),
])
def test_decimal_to_fen(value: Decimal, fen: int) -> None:
    assert decimal_to_fen(value) == fen


@pytest.mark.parametrize("value", [Decimal("1.234"), Decimal("NaN"), Decimal("Infinity")])
def test_decimal_to_fen_rejects(value: Decimal) -> None:
    with pytest.raises(InvalidInput) as info:
        decimal_to_fen(value)
    assert_renders(info.value)


@given(st.integers(min_value=-10**30, max_value=10**30))
def test_decimal_round_trip(fen: int) -> None:
    value = fen_to_decimal(fen)
    assert value.as_tuple().exponent == -2
    assert decimal_to_fen(value) == fen


def test_fen_to_decimal_is_exact() -> None:
    assert fen_to_decimal(123450) == Decimal("1234.50")
    assert str(fen_to_decimal(5)) == "0.05"


# --- 人民币大写 ------------------------------------------------------------------------------

OFFICIAL = [  # domain.md §6.2: the six examples of the PBOC rules, first (primary) forms
    (140950, "人民币壹仟肆佰零玖元伍角"),
    (600714, "人民币陆仟零柒元壹角肆分"),
    (168032, "人民币壹仟陆佰捌拾元零叁角贰分"),
    (10700053, "人民币壹拾万柒仟元零伍角叁分"),
    (1640902, "人民币壹万陆仟肆佰零玖元零贰分"),
    (32504, "人民币叁佰贰拾伍元零肆分"),
]

EDGES = [
    (0, "人民币零元整"),
    (1, "人民币壹分"),
    (10, "人民币壹角"),
    (11, "人民币壹角壹分"),
    (100, "人民币壹元整"),
    (105, "人民币壹元零伍分"),
    (150, "人民币壹元伍角"),
    (1000, "人民币壹拾元整"),
    (1050, "人民币壹拾元零伍角"),
    (1005, "人民币壹拾元零伍分"),
    (1100, "人民币壹拾壹元整"),
    (10000, "人民币壹佰元整"),
    (10100, "人民币壹佰零壹元整"),
    (11000, "人民币壹佰壹拾元整"),
    (100100, "人民币壹仟零壹元整"),
    (100_000_00, "人民币壹拾万元整"),
    (100_001_00, "人民币壹拾万零壹元整"),
    (101_000_00, "人民币壹拾万壹仟元整"),
    (1_000_000_00, "人民币壹佰万元整"),
    (1_000_100_00, "人民币壹佰万零壹佰元整"),
    (1_0010_0000_00, "人民币壹亿零壹拾万元整"),
    (1_0000_0001_00, "人民币壹亿零壹元整"),
    (1_0000_0100_00, "人民币壹亿零壹佰元整"),
    (1_0000_1000_00, "人民币壹亿零壹仟元整"),
    (1_1000_0000_00, "人民币壹亿壹仟万元整"),
    (10_0000_0000_00, "人民币壹拾亿元整"),
    (10_7000_0000_00, "人民币壹拾亿柒仟万元整"),
    (1000_0000_0000_00, "人民币壹仟亿元整"),
    (1001_0101_0010_05, "人民币壹仟零壹亿零壹佰零壹万零壹拾元零伍分"),
    (2_0000_0000_30, "人民币贰亿元零叁角"),
    (MAX_FEN, "人民币玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分"),
]


@pytest.mark.parametrize(("fen", "capital"), OFFICIAL + EDGES)
def test_rmb_capital(fen: int, capital: str) -> None:
    assert rmb_capital(fen) == capital
    assert rmb_capital(fen, prefix=False) == capital.removeprefix("人民币")


@pytest.mark.parametrize(("fen", "key"), [(-1, "money_negative"),
                                          (MAX_FEN + 1, "money_too_large")])
def test_rmb_capital_rejects(fen: int, key: str) -> None:
    with pytest.raises(InvalidInput) as info:
        rmb_capital(fen)
    assert info.value.key == f"formats.{key}"
    assert_renders(info.value)


_VALUE = {c: i for i, c in enumerate("零壹贰叁肆伍陆柒捌玖")}
_UNIT = {"拾": 10, "佰": 100, "仟": 1000}


def capital_to_fen(text: str) -> int:
    """An independent reader of capital amounts, to check rmb_capital by round trip."""
    text = text.removeprefix("人民币").removesuffix("整")
    whole, _, cents = text.rpartition("元") if "元" in text else ("", "", text)
    total = section = digit = 0
    for char in whole:
        if char in _VALUE:
            digit = _VALUE[char]
        elif char in _UNIT:
            section += digit * _UNIT[char]
            digit = 0
        elif char == "万":
            total += (section + digit) * 10**4
            section = digit = 0
        elif char == "亿":
            total = (total + section + digit) * 10**8
            section = digit = 0
        else:
            raise AssertionError(char)
    yuan = total + section + digit
    jiao = re.search(r"(.)角", cents)
    fen = re.search(r"(.)分", cents)
    return (yuan * 100 + (_VALUE[jiao.group(1)] * 10 if jiao else 0)
            + (_VALUE[fen.group(1)] if fen else 0))


ALLOWED = set("人民币零壹贰叁肆伍陆柒捌玖拾佰仟万亿元角分整")


@given(st.integers(min_value=0, max_value=MAX_FEN))
def test_rmb_capital_properties(fen: int) -> None:
    capital = rmb_capital(fen)
    body = capital.removeprefix("人民币")
    assert capital.startswith("人民币")
    assert set(capital) <= ALLOWED
    assert "零零" not in capital
    assert body.startswith("零") == (fen == 0)
    assert capital.endswith("整") == (fen % 100 == 0)
    assert capital.count("整") <= 1
    assert not body.endswith("零")
    assert ("元" in capital) == (fen == 0 or fen >= 100)
    assert capital_to_fen(capital) == fen


@given(st.integers(min_value=0, max_value=10**12 - 1))
def test_rmb_capital_round_trip_up_to_10_12_fen(fen: int) -> None:
    assert capital_to_fen(rmb_capital(fen)) == fen


def test_capital_reader_on_official_examples() -> None:
    for fen, capital in OFFICIAL:
        assert capital_to_fen(capital) == fen
    # the alternative forms the rules also allow read back to the same amounts
    assert capital_to_fen("人民币壹拾万零柒仟元伍角叁分") == 10700053
    assert capital_to_fen("人民币壹仟陆佰捌拾元叁角贰分") == 168032


# --- the catalogue covers the four format modules exactly ----------------------------------

def test_formats_catalogue_matches_code() -> None:
    sources = "".join((STORE / f"{m}.py").read_text(encoding="utf-8")
                      for m in ("money", "credit_code", "docnumber", "dates"))
    used = set(re.findall(r'"formats\.(\w+)"', sources))
    used |= set(re.findall(r'"(credit_(?:letter_not_used|bad_char))"', sources))
    with (STORE / "locales" / "formats.toml").open("rb") as fh:
        defined = tomllib.load(fh)
    assert used == set(defined)
    for key, entry in defined.items():
        assert set(entry) == {"zh", "en"}, key
        assert entry["zh"].strip() and entry["en"].strip(), key
