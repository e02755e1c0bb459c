"""统一社会信用代码: check character, normalisation, specific errors, GB 11714 warning check."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from store.credit_code import (
    CHARSET,
    WEIGHTS,
    check_char,
    is_grassroots_union,
    make_credit_code,
    organization_code_ok,
    validate_credit_code,
)
from store.errors import InvalidInput
from store.i18n import catalogue

GOOD = ["91110000802100433B", "91310000132149237G", "91350100M000100Y43"]


def assert_renders(err: InvalidInput) -> None:
    entry = catalogue()[err.key]
    for lang in ("zh", "en"):
        assert entry[lang].format(**err.params) == err.message(lang)
        assert "{" not in err.message(lang)


def test_weights_match_the_standard() -> None:
    assert WEIGHTS == (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
    assert len(CHARSET) == 31 and not set("IOZSV") & set(CHARSET)


def test_worked_example_sum() -> None:
    """domain.md §6.3: the weighted sum of 91350100M000100Y4 is 1640, so the check is 3."""
    first17 = "91350100M000100Y4"
    assert sum(CHARSET.index(c) * w for c, w in zip(first17, WEIGHTS, strict=True)) == 1640
    assert check_char(first17) == "3"


@pytest.mark.parametrize("code", GOOD)
def test_good_codes(code: str) -> None:
    assert validate_credit_code(code) == code
    assert make_credit_code(code[:17]) == code
    assert organization_code_ok(code)


@pytest.mark.parametrize(("text", "code"), [
    ("  91110000802100433B  ", "91110000802100433B"),
    ("91110000802100433b", "91110000802100433B"),
    ("91350100m000100y43", "91350100M000100Y43"),
    ("９１１１００００８０２１００４３３Ｂ", "91110000802100433B"),
    ("\u300091310000132149237g\u3000", "91310000132149237G"),
])
def test_normalised(text: str, code: str) -> None:
    assert validate_credit_code(text) == code


@pytest.mark.parametrize(("text", "key", "params"), [
    ("", "credit_empty", {}),
    ("   ", "credit_empty", {}),
    ("91350100M000100Y4Z", "credit_letter_not_used", {"char": "Z", "position": 18}),
    ("91350100M000100Y4", "credit_length", {"given": 17}),
    ("91110000802100433B0", "credit_length", {"given": 19}),
    ("9111", "credit_length", {"given": 4}),
    ("91110000802100433C", "credit_check", {"expected": "B", "given": "C"}),
    ("91350100M000100Y44", "credit_check", {"expected": "3", "given": "4"}),
    ("91110000-802100433B", "credit_bad_char", {"char": "-", "position": 9}),
    ("91110000 802100433B", "credit_bad_char", {"char": " ", "position": 9}),
    ("9111000080210043中B", "credit_bad_char", {"char": "中", "position": 17}),
    ("911100008O2100433B", "credit_letter_not_used", {"char": "O", "position": 10}),
    ("i1110000802100433B", "credit_letter_not_used", {"char": "I", "position": 1}),
    ("91110000802100433S", "credit_letter_not_used", {"char": "S", "position": 18}),
    ("91A10000802100433B", "credit_region_digits", {"char": "A", "position": 3}),
])
def test_bad_codes(text: str, key: str, params: dict[str, object]) -> None:
    with pytest.raises(InvalidInput) as info:
        validate_credit_code(text)
    err = info.value
    assert err.key == f"formats.{key}"
    assert params.items() <= err.params.items()
    assert_renders(err)


def test_check_message_names_expected_character() -> None:
    with pytest.raises(InvalidInput) as info:
        validate_credit_code("91350100M000100Y4Z")
    assert "18" in info.value.message("zh")
    with pytest.raises(InvalidInput) as info:
        validate_credit_code("91350100M000100Y44")
    assert "“3”" in info.value.message("zh")
    assert '"3"' in info.value.message("en")


@pytest.mark.parametrize("bad", ["", "123", "9135010000001000I", "91350100m000100y4",
                                 "91110000802100433B"])
def test_check_char_rejects_bad_input(bad: str) -> None:
    with pytest.raises(ValueError):
        check_char(bad)


@pytest.mark.parametrize(("code", "ok"), [
    ("91110000802100433B", True),
    ("802100433", True),
    ("91110000802100434B", False),  # org check digit wrong (credit check aside)
    ("8021004", False),
    ("80-100433", False),
    ("91110000MA0000001X", False),
])
def test_organization_code_ok(code: str, ok: bool) -> None:
    assert organization_code_ok(code) is ok


@pytest.mark.parametrize(("code", "grassroots"), [
    ("81341822MA0000001X", True), (" 81341822ma0000001x", True),
    ("91110000802100433B", False), ("89341822MA0000001X", False),
])
def test_is_grassroots_union(code: str, grassroots: bool) -> None:
    assert is_grassroots_union(code) is grassroots


# --- properties ------------------------------------------------------------------------------

code_chars = st.sampled_from(CHARSET)
first17s = st.builds(
    lambda head, region, body: head + region + body,
    st.text(code_chars, min_size=2, max_size=2),
    st.text(st.sampled_from("0123456789"), min_size=6, max_size=6),
    st.text(code_chars, min_size=9, max_size=9),
)


@given(first17s)
def test_made_codes_validate(first17: str) -> None:
    code = make_credit_code(first17)
    assert validate_credit_code(code) == code
    assert validate_credit_code(code.lower()) == code


@given(first17s, st.integers(min_value=0, max_value=17), st.sampled_from(CHARSET + "IOZSV"))
def test_any_single_substitution_is_caught(first17: str, index: int, new: str) -> None:
    """Mod 31 is prime and every weight is non-zero mod 31, so changing one character by a
    non-zero amount (mod 31) always changes the weighted sum: no substitution goes unseen."""
    code = make_credit_code(first17)
    if code[index] == new:
        new = CHARSET[(CHARSET.index(new) + 1) % 31]
    changed = code[:index] + new + code[index + 1:]
    with pytest.raises(InvalidInput):
        validate_credit_code(changed)


@given(first17s, st.integers(min_value=0, max_value=16))
def test_adjacent_transpositions_of_distinct_characters_are_caught(first17: str, i: int) -> None:
    """Swapping a, b at i, i+1 changes the sum by (a-b)(w_{i+1} - w_i) mod 31. Inside the first
    17, w_{i+1} = 3·w_i, so that is (a-b)·2·w_i; for the check character (weight 1 after
    w_17 = 28) it is (a-b)·(-27). Both are non-zero mod 31 when a ≠ b: every swap is caught."""
    code = make_credit_code(first17)
    if code[i] == code[i + 1]:
        return
    swapped = code[:i] + code[i + 1] + code[i] + code[i + 2:]
    with pytest.raises(InvalidInput):
        validate_credit_code(swapped)
