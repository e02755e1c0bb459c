"""发文字号: canonical formatting, tolerant bracket parsing, specific refusals."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given
from hypothesis import strategies as st

from store.docnumber import DocNumber, format_doc_number, parse_doc_number
from store.errors import InvalidInput
from store.i18n import catalogue


def assert_renders(err: InvalidInput) -> None:
    entry = catalogue()[err.key]
    for lang in ("zh", "en"):
        assert entry[lang].format(**err.params) == err.message(lang)
        assert "{" not in err.message(lang)


@pytest.mark.parametrize(("prefix", "year", "serial", "text"), [
    ("X工审", 2026, 5, "X工审〔2026〕5号"),
    ("XX审改", 2024, 12, "XX审改〔2024〕12号"),
    ("测工审", 2000, 1, "测工审〔2000〕1号"),
    ("总工办发", 2017, 32, "总工办发〔2017〕32号"),
    ("  青工审 ", 2100, 105, "青工审〔2100〕105号"),
])
def test_format(prefix: str, year: int, serial: int, text: str) -> None:
    assert format_doc_number(prefix, year, serial) == text
    assert "\u3014" in text and "\u3015" in text


@pytest.mark.parametrize(("prefix", "year", "serial", "key"), [
    ("", 2026, 5, "docno_prefix_empty"),
    ("   ", 2026, 5, "docno_prefix_empty"),
    ("X工审〔", 2026, 5, "docno_prefix_brackets"),
    ("X工[审]", 2026, 5, "docno_prefix_brackets"),
    ("X工审（", 2026, 5, "docno_prefix_brackets"),
    ("2026", 2026, 5, "docno_prefix_digits"),
    ("X工审", 1999, 5, "docno_year_range"),
    ("X工审", 2101, 5, "docno_year_range"),
    ("X工审", 26, 5, "docno_year_range"),
    ("X工审", 2026, 0, "docno_serial_min"),
    ("X工审", 2026, -3, "docno_serial_min"),
])
def test_format_rejects(prefix: str, year: int, serial: int, key: str) -> None:
    with pytest.raises(InvalidInput) as info:
        format_doc_number(prefix, year, serial)
    assert info.value.key == f"formats.{key}"
    assert_renders(info.value)


@pytest.mark.parametrize("text", [
    "X工审〔2026〕5号",
    "X工审[2026]5号",
    "X工审［2026］5号",
    "X工审【2026】5号",
    "X工审(2026)5号",
    "X工审（2026）5号",
    "X工审〖2026〗5号",
    "X工审﹝2026﹞5号",
    "X工审 〔 2026 〕 5 号",
    "  X工审〔2026〕5号  ",
    "X工审〔２０２６〕５号",
    "X工审[2026〕5号",
])
def test_parse_normalises(text: str) -> None:
    number = parse_doc_number(text)
    assert number == DocNumber("X工审", 2026, 5)
    assert str(number) == "X工审〔2026〕5号"


@pytest.mark.parametrize(("text", "key"), [
    ("", "docno_empty"),
    ("  ", "docno_empty"),
    ("X工审2026年5号", "docno_format"),
    ("X工审-2026-5", "docno_format"),
    ("〔2026〕5号", "docno_prefix_empty"),
    ("X工审〔2026〕05号", "docno_leading_zero"),
    ("X工审〔2026〕005号", "docno_leading_zero"),
    ("X工审〔2026〕第5号", "docno_di"),
    ("X工审〔2026〕5", "docno_no_hao"),
    ("X工审〔2026〕", "docno_no_hao"),
    ("X工审〔26〕5号", "docno_year_short"),
    ("X工审〔20266〕5号", "docno_year_digits"),
    ("X工审〔二〇二六〕5号", "docno_year_digits"),
    ("X工审〔〕5号", "docno_year_digits"),
    ("X工审〔1999〕5号", "docno_year_range"),
    ("X工审〔2026〕五号", "docno_serial_digits"),
    ("X工审〔2026〕号", "docno_serial_digits"),
    ("X工审〔2026〕0号", "docno_serial_min"),
    ("X工审〔2026〕00号", "docno_serial_min"),
    ("2026〔2026〕5号", "docno_prefix_digits"),
    ("X工〕审〔2026〕5号", "docno_prefix_brackets"),
])
def test_parse_rejects(text: str, key: str) -> None:
    with pytest.raises(InvalidInput) as info:
        parse_doc_number(text)
    assert info.value.key == f"formats.{key}"
    assert_renders(info.value)


def test_leading_zero_message_says_what_to_write() -> None:
    with pytest.raises(InvalidInput) as info:
        parse_doc_number("X工审〔2026〕05号")
    assert "“5”" in info.value.message("zh") and "05" in info.value.message("zh")
    assert '"5"' in info.value.message("en")


def test_docnumber_is_frozen() -> None:
    number = parse_doc_number("X工审〔2026〕5号")
    with pytest.raises(dataclasses.FrozenInstanceError):
        number.serial = 6  # type: ignore[misc]


prefixes = st.text(st.sampled_from("县工审改办发总青测XY"), min_size=1, max_size=6)


@given(prefixes, st.integers(2000, 2100), st.integers(1, 100_000))
def test_format_parse_round_trip(prefix: str, year: int, serial: int) -> None:
    text = format_doc_number(prefix, year, serial)
    assert parse_doc_number(text) == DocNumber(prefix, year, serial)
