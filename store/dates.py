"""Dates as users type them, as 公文 print them, and counted in working days; moments
(change stamps, receipt times) as users read them.

公文 dates use Arabic numerals without leading zeros (``2026年11月23日``, GB/T 9704-2012);
bills write dates in capitals (``贰零贰陆年零壹月壹拾伍日``) so they cannot be altered; audit
deadlines such as "deliver the notice 3 working days before fieldwork" count working days.
See ``domain.md`` §6.2 (last bullet) and §6.4.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Set
from datetime import UTC, date, datetime, timedelta, tzinfo

from store.clock import Stamp
from store.errors import InvalidInput
from store.money import to_half_width

YEAR_MIN, YEAR_MAX = 1900, 2100
_NUMERIC = re.compile(r"([0-9]+)\s*([-/.])\s*([0-9]+)\s*\2\s*([0-9]+)")
_CHINESE = re.compile(r"([0-9]+)\s*年\s*([0-9]+)\s*月\s*([0-9]+)\s*日?")
_COMPACT = re.compile(r"([0-9]{4})([0-9]{2})([0-9]{2})")
_CAPITAL_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_NO_DAYS: frozenset[date] = frozenset()


def format_gongwen_date(d: date) -> str:
    """``date(2026, 1, 5)`` → ``"2026年1月5日"``: full year, no leading zeros (GB/T 9704)."""
    return f"{d.year}年{d.month}月{d.day}日"


def stamp_local_time(stamp: str, tz: tzinfo | None = None) -> str:
    """A change's clock stamp in local time (or ``tz``), to the minute: ``2026-11-23 17:05``
    (the stamp itself when it does not read)."""
    try:
        wall = Stamp.parse(stamp).wall_ms
    except ValueError:
        return stamp
    return datetime.fromtimestamp(wall / 1000, UTC).astimezone(tz).strftime("%Y-%m-%d %H:%M")


def iso_local_time(text: str, tz: tzinfo | None = None) -> str:
    """An ISO date-time to the minute, in local time (or ``tz``) when it carries a zone (the
    text itself when it does not read)."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return text
    if moment.tzinfo is not None:
        moment = moment.astimezone(tz)
    return moment.strftime("%Y-%m-%d %H:%M")


def parse_user_date(text: str) -> date:
    """Read a date typed as ``2026-11-23``, ``2026/11/23``, ``2026.11.23``, ``2026年11月23日``
    or ``20261123``, in half- or full-width digits.

    A two-digit year is refused rather than guessed (26 could be 1926 or 2026 in a union's
    records), and so is a date that does not exist, with the reason.

    Raises:
        InvalidInput: ``formats.date_*`` naming the text and the problem.
    """
    s = to_half_width(text).strip()
    if not s:
        raise InvalidInput("formats.date_empty")
    match = _NUMERIC.fullmatch(s) or _CHINESE.fullmatch(s) or _COMPACT.fullmatch(s)
    if match is None:
        if re.fullmatch(r"[0-9]{6}", s):
            raise InvalidInput("formats.date_two_digit_year", value=text)
        raise InvalidInput("formats.date_format", value=text)
    parts = [g for g in match.groups() if g not in ("-", "/", ".")]
    year_text, month_text, day_text = parts
    if len(year_text) == 2:
        raise InvalidInput("formats.date_two_digit_year", value=text)
    if len(year_text) != 4 or len(month_text) > 2 or len(day_text) > 2:
        raise InvalidInput("formats.date_format", value=text)
    year, month, day = int(year_text), int(month_text), int(day_text)
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise InvalidInput("formats.date_year_range", value=text, min=YEAR_MIN, max=YEAR_MAX)
    if not 1 <= month <= 12:
        raise InvalidInput("formats.date_bad_month", value=text, month=month)
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        raise InvalidInput("formats.date_bad_day", value=text, year=year, month=month,
                           day=day, last=last)
    return date(year, month, day)


def is_working_day(d: date, holidays: Set[date] = _NO_DAYS, *,
                   makeup_days: Set[date] = _NO_DAYS) -> bool:
    """Monday to Friday, minus ``holidays``, plus ``makeup_days`` (调休 weekend workdays).

    China's public-holiday schedule moves some workdays onto weekends each year; the caller
    supplies both sets (from the county's settings), this module knows no calendar.
    """
    if d in makeup_days:
        return True
    return d.weekday() < 5 and d not in holidays


def add_working_days(d: date, n: int, holidays: Set[date] = _NO_DAYS, *,
                     makeup_days: Set[date] = _NO_DAYS) -> date:
    """The ``n``-th working day after ``d`` (before it when ``n`` is negative); ``d`` if 0.

    ``d`` itself is never counted. So ``add_working_days(fieldwork, -3)`` is the latest day
    a notice may be delivered under a "3 working days before" rule, and for a positive ``n``
    ``working_days_between(d, add_working_days(d, n)) == n``.
    """
    step = timedelta(days=1 if n > 0 else -1)
    remaining = abs(n)
    current = d
    while remaining:
        current += step
        if is_working_day(current, holidays, makeup_days=makeup_days):
            remaining -= 1
    return current


def working_days_between(start: date, end: date, holidays: Set[date] = _NO_DAYS, *,
                         makeup_days: Set[date] = _NO_DAYS) -> int:
    """Working days ``w`` with ``start < w <= end``; negative (mirrored) when ``end < start``.

    This is the Chinese legal way of counting a period (the first day is not counted, the
    last is): a notice delivered on Wednesday for fieldwork starting the next Monday has
    3 working days (Thu, Fri, Mon), which satisfies a "提前3个工作日" rule.
    """
    if end < start:
        return -working_days_between(end, start, holidays, makeup_days=makeup_days)
    count = _weekdays_upto(end) - _weekdays_upto(start)
    for day in set(holidays) | set(makeup_days):
        if start < day <= end:
            count += is_working_day(day, holidays, makeup_days=makeup_days) - (day.weekday() < 5)
    return count


def _weekdays_upto(d: date) -> int:
    """Monday–Friday days from 0001-01-01 (a Monday) to ``d`` inclusive, in O(1)."""
    weeks, rest = divmod(d.toordinal(), 7)
    return weeks * 5 + min(rest, 5)


def capital_bill_date(d: date) -> str:
    """Bill date in capitals: ``date(2026, 1, 15)`` → ``"贰零贰陆年零壹月壹拾伍日"``.

    Per the PBOC rules a 零 goes before months 1, 2, 10 and days 1–10, 20, 30, and a 壹
    before days 11–19, so nothing can be written in front of them afterwards.
    """
    year = "".join(_CAPITAL_DIGITS[int(c)] for c in f"{d.year:04d}")
    month = ("零" if d.month in (1, 2, 10) else "") + _capital_1_to_31(d.month)
    day = ("零" if d.day <= 10 or d.day in (20, 30) else "") + _capital_1_to_31(d.day)
    return f"{year}年{month}月{day}日"


def _capital_1_to_31(n: int) -> str:
    """1..31 in capitals with an explicit 壹拾 (10 → 壹拾, 15 → 壹拾伍, 20 → 贰拾)."""
    tens, ones = divmod(n, 10)
    return (f"{_CAPITAL_DIGITS[tens]}拾" if tens else "") + (_CAPITAL_DIGITS[ones] if ones else "")
