"""Finding a unit in the roster the way auditors type: Chinese, pinyin, or a credit code.

On a laptop without a Chinese input method at hand (or with one that is slow to switch), an
auditor types ``dljx`` for 大连精细化工青山分公司 or ``jingxi`` for the same unit; with one, a
fragment such as ``精细``; from a document, part of the 统一社会信用代码. A query matches a
record when it is

* a substring of any of its texts (case-insensitive; full-width input is folded first), or
* a substring of the pinyin initials of one text (``dljx``, ``qsfgs``), or
* the start of the full pinyin of one text read from any syllable on (``dalian``,
  ``jingxihua``), with or without spaces.

Pinyin comes from pypinyin, whose phrase dictionary reads heteronyms in context (银行 →
yin hang, 重庆 → chong qing). Keys are computed once per record (:func:`search_key`), off the
UI thread; :func:`matches` is cheap enough to run on every keystroke over a county's roster.
pypinyin is imported on first use only: it costs ~0.4 s, which the app's launch must not pay.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from enum import StrEnum
from typing import TYPE_CHECKING

from store.coverage import UnitCoverage, unit_coverage
from store.models import Unit
from store.money import to_half_width
from store.units import list_units

if TYPE_CHECKING:
    from store.db import AuditStore

_SEPARATOR = "\x1f"  # between texts, so a match never spans two fields


@dataclass(frozen=True)
class SearchKey:
    """What a query is compared with, for one record."""

    text: str
    """The record's texts, lower-cased, joined by a separator."""
    initials: str
    """Pinyin initials of each text (``dljxhgqsfgs…``), joined by the separator."""
    pinyin: str
    """Full pinyin of each text without spaces (``dalianjingxi…``), joined by the separator."""
    starts: frozenset[int]
    """Offsets in :attr:`pinyin` where a syllable starts."""


def normalize_query(query: str) -> str:
    """Fold full-width characters, drop spaces and lower-case (``ＤＬ jx`` → ``dljx``)."""
    return "".join(to_half_width(query).split()).lower()


def search_key(*texts: str, codes: tuple[str, ...] = ()) -> SearchKey:
    """Build the key of a record from its names (matched also by pinyin) and its ``codes``
    (credit code and the like, matched as substrings only)."""
    return _search_key(texts, codes)


@lru_cache(maxsize=8192)
def _search_key(texts: tuple[str, ...], codes: tuple[str, ...]) -> SearchKey:
    """Pinyin conversion is the slow part (~0.5 ms a name): a roster read again reuses it."""
    from pypinyin import Style, lazy_pinyin

    initials: list[str] = []
    pinyin: list[str] = []
    starts: set[int] = set()
    offset = 0
    for text in texts:
        syllables = [s.lower() for s in lazy_pinyin(text, style=Style.NORMAL, errors="default")
                     if s.strip()]
        syllables = ["".join(s.split()) for s in syllables]
        for syllable in syllables:
            starts.add(offset)
            offset += len(syllable)
        initials.append("".join(s[0] for s in syllables if s))
        pinyin.append("".join(syllables))
        offset += len(_SEPARATOR)
    return SearchKey(
        text=_SEPARATOR.join(normalize_query(t) for t in (*texts, *codes)),
        initials=_SEPARATOR.join(initials),
        pinyin=_SEPARATOR.join(pinyin),
        starts=frozenset(starts),
    )


def matches(key: SearchKey, query: str) -> bool:
    """Whether ``query`` (raw user text) finds the record; an empty query finds everything."""
    q = normalize_query(query)
    if not q:
        return True
    if q in key.text:
        return True
    if not q.isascii() or not q.isalnum():
        return False
    if q in key.initials:
        return True
    position = key.pinyin.find(q)
    while position != -1:
        if position in key.starts:
            return True
        position = key.pinyin.find(q, position + 1)
    return False


# -- the roster as the units screen lists it ---------------------------------------------------
class RosterFilter(StrEnum):
    """The units screen's filters (each also combines with the search text)."""

    ALL = "all"
    DUE = "due"
    """Directly managed and due under the county's cadence (never audited, or next due ≤ today)."""
    NEVER = "never"
    """No audit that counts (fieldwork started) yet."""
    THIS_YEAR = "this_year"
    """Its latest counted audit started this calendar year."""
    OPEN_FINDINGS = "open_findings"
    """Has findings 未整改 or 部分整改."""


@dataclass(frozen=True)
class RosterEntry:
    """One unit with its audit coverage and its search key."""

    unit: Unit
    coverage: UnitCoverage
    key: SearchKey

    def passes(self, kind: RosterFilter, today: date) -> bool:
        c = self.coverage
        if kind is RosterFilter.DUE:
            return c.directly_managed and c.due_by(today)
        if kind is RosterFilter.NEVER:
            return c.never_audited
        if kind is RosterFilter.THIS_YEAR:
            return c.last_audit is not None and c.last_audit.year == today.year
        if kind is RosterFilter.OPEN_FINDINGS:
            return c.open_findings > 0
        return True


def roster(store: AuditStore, today: date) -> list[RosterEntry]:
    """Every unit by name, with coverage on ``today`` and a search key (name, enterprise,
    credit code)."""
    coverage = {c.unit_id: c for c in unit_coverage(store, today)}
    return [RosterEntry(u, coverage[u.id], search_key(u.name, u.enterprise, codes=(u.credit_code,)))
            for u in list_units(store) if u.id in coverage]


def filter_roster(entries: list[RosterEntry], query: str, kind: RosterFilter,
                  today: date) -> list[RosterEntry]:
    return [e for e in entries if e.passes(kind, today) and matches(e.key, query)]
