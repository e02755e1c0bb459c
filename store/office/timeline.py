"""A field's value on a past day, read back from the change log.

Reports look back: "the 整改率 at the end of March", "last year's report". The change log
(``changes``) holds every value a field ever had with the clock stamp of the change, so the
value on day D is the last one logged on or before D. Stamps are UTC; days are China Standard
Time (UTC+8, no daylight saving), the county's own calendar.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any

from store.records import CREATED, MULTI, decode, writes_of_sql

if TYPE_CHECKING:
    from store.db import AuditStore

CHINA = timezone(timedelta(hours=8), "CST")


def stamp_day(stamp: str) -> date:
    """The local (UTC+8) day of a clock stamp such as ``2026-11-23T17:00:00.000Z.00000``."""
    utc = datetime.strptime(stamp[:19], "%Y-%m-%dT%H:%M:%S").replace(tzinfo=UTC)
    return utc.astimezone(CHINA).date()


@dataclass
class Timeline:
    """The values one field of one record took, by local day, oldest first."""

    days: list[date] = field(default_factory=list)
    values: list[Any] = field(default_factory=list)

    @property
    def created(self) -> date | None:
        return self.days[0] if self.days else None

    def at(self, day: date) -> Any:
        """The value at the end of ``day``; ``None`` if the record did not exist yet."""
        i = bisect_right(self.days, day)
        return self.values[i - 1] if i else None

    def first_day(self, accept: Iterable[Any]) -> date | None:
        """The first day the field held one of the ``accept`` values, if ever."""
        wanted = set(accept)
        for day, value in zip(self.days, self.values, strict=True):
            if value in wanted:
                return day
        return None


def field_timelines(store: AuditStore, table: str, column: str) -> dict[str, Timeline]:
    """Every record of ``table`` → the timeline of its ``column`` (creation value included)."""
    rows = store.db.execute(
        f"SELECT rid, field, new, stamp FROM changes c WHERE tbl = ? "
        f"AND {writes_of_sql(column)} ORDER BY stamp, device, seq",
        [table],
    ).fetchall()
    out: dict[str, Timeline] = {}
    for rid, fld, new, stamp in rows:
        value = decode(new)
        if fld in (CREATED, MULTI):  # a JSON object holding this field among others
            if not isinstance(value, dict) or column not in value:
                continue
            value = value[column]
        line = out.setdefault(rid, Timeline())
        line.days.append(stamp_day(stamp))
        line.values.append(value)
    return out
