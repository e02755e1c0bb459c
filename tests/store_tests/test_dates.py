"""Dates: 公文 format, tolerant parsing with specific refusals, working days, bill capitals."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from store.dates import (
    add_working_days,
    capital_bill_date,
    format_gongwen_date,
    is_working_day,
    parse_user_date,
    working_days_between,
)
from store.errors import InvalidInput
from store.i18n import catalogue


def assert_renders(err: InvalidInput) -> None:
    entry = catalogue()[err.key]
    for lang in ("zh", "en"):
        assert entry[lang].format(**err.params) == err.message(lang)
        assert "{" not in err.message(lang)


@pytest.mark.parametrize(("d", "text"), [
    (date(2026, 11, 23), "2026年11月23日"),
    (date(2026, 1, 5), "2026年1月5日"),
    (date(2026, 10, 1), "2026年10月1日"),
    (date(2000, 12, 31), "2000年12月31日"),
])
def test_format_gongwen_date(d: date, text: str) -> None:
    assert format_gongwen_date(d) == text


@given(st.dates(date(1900, 1, 1), date(2100, 12, 31)))
def test_gongwen_round_trip(d: date) -> None:
    assert parse_user_date(format_gongwen_date(d)) == d
    assert parse_user_date(d.isoformat()) == d


@pytest.mark.parametrize(("text", "d"), [
    ("2026-11-23", date(2026, 11, 23)),
    ("2026/11/23", date(2026, 11, 23)),
    ("2026.11.23", date(2026, 11, 23)),
    ("2026年11月23日", date(2026, 11, 23)),
    ("2026年1月5日", date(2026, 1, 5)),
    ("2026年01月05日", date(2026, 1, 5)),
    ("2026年1月5", date(2026, 1, 5)),
    ("2026 年 1 月 5 日", date(2026, 1, 5)),
    ("20261123", date(2026, 11, 23)),
    ("2026-1-5", date(2026, 1, 5)),
    ("２０２６－１１－２３", date(2026, 11, 23)),
    ("２０２６年１１月２３日", date(2026, 11, 23)),
    ("２０２６／１１／２３", date(2026, 11, 23)),
    ("２０２６．１１．２３", date(2026, 11, 23)),
    ("  2026-11-23\u3000", date(2026, 11, 23)),
    ("2024-02-29", date(2024, 2, 29)),
])
def test_parse_user_date(text: str, d: date) -> None:
    assert parse_user_date(text) == d


@pytest.mark.parametrize(("text", "key"), [
    ("", "date_empty"),
    ("   ", "date_empty"),
    ("2026-02-30", "date_bad_day"),
    ("2026-02-29", "date_bad_day"),
    ("2026-04-31", "date_bad_day"),
    ("2026年11月0日", "date_bad_day"),
    ("20261132", "date_bad_day"),
    ("2026-13-01", "date_bad_month"),
    ("2026-00-10", "date_bad_month"),
    ("26-11-23", "date_two_digit_year"),
    ("26年11月23日", "date_two_digit_year"),
    ("261123", "date_two_digit_year"),
    ("1899-12-31", "date_year_range"),
    ("2101-01-01", "date_year_range"),
    ("0226-11-23", "date_year_range"),
    ("tomorrow", "date_format"),
    ("2026-11", "date_format"),
    ("2026-11/23", "date_format"),
    ("2026-011-23", "date_format"),
    ("202611234", "date_format"),
    ("二〇二六年十一月二十三日", "date_format"),
    ("2026-11-23 09:00", "date_format"),
])
def test_parse_user_date_rejects(text: str, key: str) -> None:
    with pytest.raises(InvalidInput) as info:
        parse_user_date(text)
    assert info.value.key == f"formats.{key}"
    assert_renders(info.value)


def test_impossible_date_says_why() -> None:
    with pytest.raises(InvalidInput) as info:
        parse_user_date("2026-02-30")
    assert info.value.message("zh") == "日期不存在：2026年2月只有 28 天，没有 30 日：2026-02-30"
    assert info.value.message("en") == (
        "No such date: 2026-02 has only 28 days, not day 30: 2026-02-30")


# --- working days -----------------------------------------------------------------------------

MON = date(2026, 11, 23)
WED, THU, FRI = MON - timedelta(days=5), MON - timedelta(days=4), MON - timedelta(days=3)
SAT, SUN = MON - timedelta(days=2), MON - timedelta(days=1)
NATIONAL_DAY = frozenset(date(2026, 10, d) for d in range(1, 8))  # Thu 1 – Wed 7 Oct
MAKEUP = frozenset({date(2026, 9, 20), date(2026, 10, 10)})  # Sun and Sat worked (调休)


@pytest.mark.parametrize(("start", "end", "count"), [
    (MON, MON, 0),
    (FRI, MON, 1),  # Sat, Sun don't count; Mon does
    (SAT, MON, 1),
    (WED, MON, 3),  # Thu, Fri, Mon
    (THU, MON, 2),
    (FRI, SUN, 0),
    (MON - timedelta(days=7), MON, 5),
    (date(2026, 1, 1), date(2026, 12, 31), 260),
    (MON, WED, -3),  # mirrored
])
def test_working_days_between(start: date, end: date, count: int) -> None:
    assert working_days_between(start, end) == count


@pytest.mark.parametrize(("delivered", "fieldwork", "in_time"), [
    # "deliver the audit notice at least 3 working days before fieldwork", fieldwork Mon 23 Nov
    (WED, MON, True),  # Thu, Fri, Mon: 3 working days
    (MON - timedelta(days=7), MON, True),
    (THU, MON, False),  # Fri, Mon: only 2 — the weekend does not count
    (FRI, MON, False),
    (SAT, MON, False),
    (SUN, MON, False),
])
def test_three_working_day_notice_rule(delivered: date, fieldwork: date, in_time: bool) -> None:
    assert (working_days_between(delivered, fieldwork) >= 3) is in_time
    assert (delivered <= add_working_days(fieldwork, -3)) is in_time


@pytest.mark.parametrize(("d", "n", "result"), [
    (MON, 0, MON),
    (SAT, 0, SAT),
    (FRI, 1, MON),
    (SAT, 1, MON),
    (WED, 3, MON),
    (MON, -3, WED),
    (SUN, -1, FRI),
    (MON, 5, MON + timedelta(days=7)),
    (MON, -5, MON - timedelta(days=7)),
])
def test_add_working_days(d: date, n: int, result: date) -> None:
    assert add_working_days(d, n) == result


def test_holidays_and_makeup_days() -> None:
    sep30 = date(2026, 9, 30)  # Wed before the holiday
    assert add_working_days(sep30, 1, NATIONAL_DAY) == date(2026, 10, 8)  # Thu after it
    assert add_working_days(sep30, 3, NATIONAL_DAY, makeup_days=MAKEUP) == date(2026, 10, 10)
    assert working_days_between(sep30, date(2026, 10, 12), NATIONAL_DAY) == 3  # 8, 9, 12
    assert working_days_between(sep30, date(2026, 10, 12), NATIONAL_DAY,
                                makeup_days=MAKEUP) == 4
    assert working_days_between(date(2026, 9, 18), date(2026, 9, 21),
                                makeup_days=MAKEUP) == 2  # Sun 20 and Mon 21
    assert not is_working_day(date(2026, 10, 1), NATIONAL_DAY)
    assert is_working_day(date(2026, 10, 10), makeup_days=MAKEUP)
    assert not is_working_day(date(2026, 10, 10))


def _slow_count(start: date, end: date, holidays: frozenset[date],
                makeup: frozenset[date]) -> int:
    days = (start + timedelta(days=i) for i in range(1, (end - start).days + 1))
    return sum(is_working_day(d, holidays, makeup_days=makeup) for d in days)


day_sets = st.frozensets(st.dates(date(2026, 1, 1), date(2026, 12, 31)), max_size=20)


@given(st.dates(date(2026, 1, 1), date(2026, 12, 31)),
       st.dates(date(2026, 1, 1), date(2026, 12, 31)), day_sets, day_sets)
def test_between_matches_day_by_day_count(a: date, b: date, holidays: frozenset[date],
                                          makeup: frozenset[date]) -> None:
    start, end = min(a, b), max(a, b)
    expected = _slow_count(start, end, holidays, makeup)
    assert working_days_between(start, end, holidays, makeup_days=makeup) == expected
    assert working_days_between(end, start, holidays, makeup_days=makeup) == -expected


@given(st.dates(date(2026, 1, 1), date(2026, 12, 31)), st.integers(-60, 60), day_sets)
def test_add_and_between_agree(d: date, n: int, holidays: frozenset[date]) -> None:
    result = add_working_days(d, n, holidays)
    if n:
        assert is_working_day(result, holidays)
    if n >= 0:
        assert working_days_between(d, result, holidays) == n
    elif is_working_day(d, holidays):
        assert working_days_between(result, d, holidays) == -n


# --- bill dates in capitals -------------------------------------------------------------------

@pytest.mark.parametrize(("d", "text"), [
    (date(2026, 1, 15), "贰零贰陆年零壹月壹拾伍日"),
    (date(2026, 10, 20), "贰零贰陆年零壹拾月零贰拾日"),
    (date(2026, 2, 1), "贰零贰陆年零贰月零壹日"),
    (date(2026, 3, 10), "贰零贰陆年叁月零壹拾日"),
    (date(2026, 9, 9), "贰零贰陆年玖月零玖日"),
    (date(2026, 11, 11), "贰零贰陆年壹拾壹月壹拾壹日"),
    (date(2026, 12, 19), "贰零贰陆年壹拾贰月壹拾玖日"),
    (date(2026, 5, 21), "贰零贰陆年伍月贰拾壹日"),
    (date(2026, 6, 30), "贰零贰陆年陆月零叁拾日"),
    (date(2026, 7, 31), "贰零贰陆年柒月叁拾壹日"),
    (date(2000, 8, 25), "贰零零零年捌月贰拾伍日"),
])
def test_capital_bill_date(d: date, text: str) -> None:
    assert capital_bill_date(d) == text


@given(st.dates(date(1900, 1, 1), date(2100, 12, 31)))
def test_capital_bill_date_properties(d: date) -> None:
    text = capital_bill_date(d)
    assert set(text) <= set("零壹贰叁肆伍陆柒捌玖拾年月日")
    month = text[5:text.index("月")]
    day = text[text.index("月") + 1:-1]
    assert month.startswith("零") == (d.month in (1, 2, 10))
    assert day.startswith("零") == (d.day <= 10 or d.day in (20, 30))
    assert day.startswith("壹拾") == (11 <= d.day <= 19)
