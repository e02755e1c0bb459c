"""Audit coverage: when each unit was last audited, when it is next due, and the totals the
county reports against its targets (every directly managed union within the cadence window,
``annual_target`` audits a year; domain.md §0 and §7).

Definitions (shown to users through the ``office.def_*`` messages):

* an audit **counts** once its fieldwork has started (status 现场审计 or later); its date is its
  planned start (``planned_start``), the first day of fieldwork;
* **next due** = last counted audit + ``cadence_years`` calendar years (29 February → 28
  February); a unit never audited is due at once;
* **overdue days** on day D = D − next due when positive (0 on the due day itself);
* a unit is **within the cadence window** on day D when it has a counted audit and next due ≥ D;
* **coverage** = directly managed units within the window / all directly managed units;
* **audits done this year** = counted audits whose planned start falls in D's year, against
  the county's ``annual_target``.

Every function takes ``today``; nothing here reads the system clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from store.county import get_county
from store.enums import AuditStatus, rank
from store.office.rates import Rate

if TYPE_CHECKING:
    from store.db import AuditStore

COUNTED = tuple(s.value for s in AuditStatus
                if rank(s, AuditStatus) >= rank(AuditStatus.FIELDWORK, AuditStatus))


def add_years(d: date, years: int) -> date:
    """Same month and day ``years`` later (or earlier); 29 February becomes 28 February."""
    try:
        return d.replace(year=d.year + years)
    except ValueError:
        return d.replace(year=d.year + years, day=28)


def is_counted(status: str) -> bool:
    """Whether an audit with this status counts as done for coverage."""
    return status in COUNTED


@dataclass(frozen=True)
class UnitCoverage:
    """One line of the coverage table."""

    unit_id: str
    name: str
    enterprise: str
    directly_managed: bool
    last_audit_id: str | None
    last_audit: date | None
    last_audit_type: str | None
    next_due: date | None  # None: never audited, due at once
    overdue_days: int  # 0 when not overdue; for a unit never audited, 0 (see never_audited)
    next_planned: date | None  # earliest audit planned (not started) from this year on
    open_findings: int  # findings 未整改 or 部分整改

    @property
    def never_audited(self) -> bool:
        return self.last_audit is None

    def within_window(self, today: date) -> bool:
        return self.next_due is not None and self.next_due >= today

    def due_by(self, day: date) -> bool:
        """Never audited, or next due on or before ``day``."""
        return self.next_due is None or self.next_due <= day


_UNITS_SQL = """
SELECT u.id, u.name, u.enterprise, u.directly_managed,
       (SELECT count(*) FROM findings f JOIN audits a ON a.id = f.audit_id
         WHERE a.unit_id = u.id AND f.deleted = 0 AND a.deleted = 0
           AND f.rectify_status IN ('未整改', '部分整改')) AS open_findings
FROM units u WHERE u.deleted = 0 ORDER BY u.name
"""
_AUDITS_SQL = """
SELECT id, unit_id, type, status, planned_start FROM audits WHERE deleted = 0
ORDER BY planned_start, id
"""


def unit_coverage(store: AuditStore, today: date) -> list[UnitCoverage]:
    """Coverage of every unit on ``today``, by unit name."""
    cadence = get_county(store).cadence_years
    last: dict[str, tuple[str, date, str]] = {}
    planned: dict[str, date] = {}
    for a in store.db.query(_AUDITS_SQL):
        start = date.fromisoformat(a["planned_start"])
        if is_counted(a["status"]):
            last[a["unit_id"]] = (a["id"], start, a["type"])  # ordered: the latest wins
        elif (a["status"] == AuditStatus.PLANNED and a["unit_id"] not in planned
              and start.year >= today.year):
            planned[a["unit_id"]] = start
    out = []
    for u in store.db.query(_UNITS_SQL):
        audit_id, when, kind = last.get(u["id"], (None, None, None))
        due = add_years(when, cadence) if when else None
        overdue = max(0, (today - due).days) if due else 0
        out.append(UnitCoverage(u["id"], u["name"], u["enterprise"], bool(u["directly_managed"]),
                                audit_id, when, kind, due, overdue, planned.get(u["id"]),
                                u["open_findings"]))
    return out


def units_due(store: AuditStore, today: date, within_days: int = 0) -> list[UnitCoverage]:
    """Directly managed units due for audit by ``today + within_days``.

    Never audited first (by name), then by next due date, the most overdue first.
    """
    horizon = today + timedelta(days=within_days)
    due = [c for c in unit_coverage(store, today) if c.directly_managed and c.due_by(horizon)]
    return sorted(due, key=lambda c: (c.next_due is not None, c.next_due or date.min, c.name))


@dataclass(frozen=True)
class CoverageTotals:
    today: date
    cadence_years: int
    annual_target: int
    directly_managed: int
    within_window: int
    never_audited: int
    overdue: int
    audits_done_this_year: int
    audits_planned_this_year: int  # every audit dated this year, started or not

    @property
    def share(self) -> Rate:
        """Directly managed units within the cadence window / all directly managed units."""
        return Rate(self.within_window, self.directly_managed)

    @property
    def target_progress(self) -> Rate:
        """Audits done this year / the annual target."""
        return Rate(self.audits_done_this_year, self.annual_target)


def coverage_totals(store: AuditStore, today: date,
                    rows: list[UnitCoverage] | None = None) -> CoverageTotals:
    county = get_county(store)
    rows = unit_coverage(store, today) if rows is None else rows
    managed = [r for r in rows if r.directly_managed]
    year = f"{today.year:04d}"
    done = planned = 0
    for a in store.db.query("SELECT status FROM audits WHERE deleted = 0 "
                            "AND substr(planned_start, 1, 4) = ?", [year]):
        planned += 1
        done += is_counted(a["status"])
    return CoverageTotals(
        today=today, cadence_years=county.cadence_years, annual_target=county.annual_target,
        directly_managed=len(managed),
        within_window=sum(r.within_window(today) for r in managed),
        never_audited=sum(r.never_audited for r in managed),
        overdue=sum(r.overdue_days > 0 for r in managed),
        audits_done_this_year=done, audits_planned_this_year=planned,
    )
