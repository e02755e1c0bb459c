"""Statistics for the annual 经审 report, for a chosen year against the year before.

What the union bodies themselves report (domain.md §0: 青海 2021) — audits by type, money
audited, problems by area and nature with both amount kinds, 追缴漏缴 dues recovered,
recommendations made and the 整改率 — defined here so that every number can be recomputed
by hand (the ``office.def_*`` messages show the same definitions in the UI and exports):

* **审计项目 (audits of year Y)** — audits whose fieldwork has started (status 现场审计 or
  later) and whose planned start falls in Y; 计划项目 counts every audit dated in Y.
* **审计资金总额 (money audited)** — for each audit of Y, the audited unit's annual payroll
  (工资总额, from the roster) × 2 % × the number of years audited (period_to − period_from + 1):
  the union funds the unit should have paid (应拨缴工会经费) over the audited period, rounded
  half-up to the fen. It is an estimate from the roster, not a figure from the books.
* **发现问题 / 违规金额 / 管理不规范金额** — the findings of the audits of Y, by area (the
  checklist area of the audit's template) and by nature.
* **审计建议** — findings of those audits with a recommendation written.
* **追缴漏缴工会经费 (dues recovered in Y)** — findings, of any audit, on checklist items that
  cite typical finding 10 (拨缴经费未足额、未按时拨缴: items D1 and D2 of 基层工会经费收支审计)
  which first became 已整改 or 已销号 on a day in Y (and not after the report day); their
  问题金额 (违规 + 管理不规范) is the amount recovered.
* **回访** — return visits that took place in Y.
* **整改率** — over the findings of the audits of Y, as defined in :mod:`store.office.rates`,
  evaluated on the report day. The previous year is evaluated on the same calendar day one
  year earlier, so both columns measure findings of the same age (and the previous column
  repeats what last year's report said).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from store.coverage import add_years, is_counted
from store.enums import AuditType, FindingNature
from store.office.rates import Rates
from store.office.snapshot import FindingFact, FindingsHistory
from store.template_registry import get_template

if TYPE_CHECKING:
    from store.db import AuditStore

DUES_TYPICAL_FINDING = 10
DUES_RATE_PERCENT = 2


@dataclass(frozen=True)
class AreaLine:
    code: str
    title: str
    findings: int
    violation_fen: int
    irregular_fen: int


@dataclass(frozen=True)
class YearStats:
    year: int
    as_of: date
    audits_planned: int
    audits: int
    audits_by_type: dict[str, int]
    units_audited: int
    audited_fen: int
    findings: int
    by_area: list[AreaLine]
    by_nature: dict[str, tuple[int, int]]  # nature → (findings, 问题金额 fen)
    violation_fen: int
    irregular_fen: int
    recommendations: int
    dues_recovered_count: int
    dues_recovered_fen: int
    visits_done: int
    rates: Rates
    audits_per_month: tuple[int, ...]  # January … December


def dues_payment(payroll_fen: int, years: int) -> int:
    """2 % of ``years`` × the annual payroll, in fen, rounded half-up."""
    return (payroll_fen * DUES_RATE_PERCENT * years + 50) // 100


class _Templates:
    """Area titles and dues items of the templates audits are pinned to (read once each)."""

    def __init__(self, store: AuditStore) -> None:
        self.store = store
        self._cache: dict[tuple[str, int], tuple[dict[str, str], frozenset[str]]] = {}

    def _load(self, template_id: str, version: int) -> tuple[dict[str, str], frozenset[str]]:
        key = (template_id, version)
        if key not in self._cache:
            t = get_template(self.store, template_id, version)
            titles = {a.code: a.title for a in t.areas}
            dues = frozenset(i.code for _, i in t.iter_items()
                             if DUES_TYPICAL_FINDING in i.typical_findings)
            self._cache[key] = (titles, dues)
        return self._cache[key]

    def area_title(self, f: FindingFact) -> str:
        return self._load(f.template_id, f.template_version)[0].get(f.area_code, "")

    def is_dues_item(self, f: FindingFact) -> bool:
        return f.item_code in self._load(f.template_id, f.template_version)[1]


def year_stats(store: AuditStore, year: int, as_of: date,
               history: FindingsHistory | None = None) -> YearStats:
    """Statistics of ``year`` with the rates evaluated on ``as_of``."""
    history = history or FindingsHistory(store)
    templates = _Templates(store)
    prefix = f"{year:04d}"
    audits = store.query(
        "SELECT a.id, a.unit_id, a.type, a.status, a.planned_start, a.period_from, a.period_to, "
        "u.payroll_fen FROM audits a JOIN units u ON u.id = a.unit_id "
        "WHERE a.deleted = 0 AND substr(a.planned_start, 1, 4) = ?", [prefix])
    done = [a for a in audits if is_counted(a["status"])]
    done_ids = {a["id"] for a in done}
    by_type = {t.value: 0 for t in AuditType} | Counter(a["type"] for a in done)
    per_month = [0] * 12
    for a in done:
        per_month[int(a["planned_start"][5:7]) - 1] += 1
    audited_fen = sum(dues_payment(a["payroll_fen"], a["period_to"] - a["period_from"] + 1)
                      for a in done)

    cohort = [f for f in history.facts if f.audit_id in done_ids]
    areas: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    titles: dict[str, str] = {}
    nature: dict[str, list[int]] = {n.value: [0, 0] for n in FindingNature}
    for f in cohort:
        line = areas[f.area_code]
        line[0] += 1
        line[1] += f.violation_fen
        line[2] += f.irregular_fen
        titles.setdefault(f.area_code, templates.area_title(f))
        n = nature.setdefault(f.nature, [0, 0])
        n[0] += 1
        n[1] += f.amount_fen

    recovered = [f for f in history.facts if templates.is_dues_item(f)
                 and (day := history.first_rectified(f)) is not None
                 and day.year == year and day <= as_of]
    visits = store.db.execute(
        "SELECT count(*) FROM return_visits v JOIN audits a ON a.id = v.audit_id "
        "WHERE v.deleted = 0 AND a.deleted = 0 AND substr(v.visited_on, 1, 4) = ? "
        "AND v.visited_on <= ?", [prefix, as_of.isoformat()]).fetchone()[0]
    ids = {f.id for f in cohort}
    return YearStats(
        year=year, as_of=as_of, audits_planned=len(audits), audits=len(done),
        audits_by_type=dict(by_type), units_audited=len({a["unit_id"] for a in done}),
        audited_fen=audited_fen, findings=len(cohort),
        by_area=[AreaLine(code, titles.get(code, ""), *areas[code]) for code in sorted(areas)],
        by_nature={k: (v[0], v[1]) for k, v in nature.items()},
        violation_fen=sum(f.violation_fen for f in cohort),
        irregular_fen=sum(f.irregular_fen for f in cohort),
        recommendations=sum(bool(f.recommendation.strip()) for f in cohort),
        dues_recovered_count=len(recovered),
        dues_recovered_fen=sum(f.amount_fen for f in recovered),
        visits_done=visits,
        rates=history.rates(as_of, lambda f: f.id in ids),
        audits_per_month=tuple(per_month),
    )


def compare_years(store: AuditStore, year: int, today: date) -> tuple[YearStats, YearStats]:
    """``year`` evaluated on ``today``, and ``year - 1`` on the same day a year earlier."""
    history = FindingsHistory(store)
    return (year_stats(store, year, today, history),
            year_stats(store, year - 1, add_years(today, -1), history))


def month_ends(year: int, today: date) -> list[date]:
    """The last day of each month of ``year`` up to ``today`` (``today`` for its own month)."""
    out = []
    for month in range(1, 13):
        first_next = date(year + (month == 12), month % 12 + 1, 1)
        end = first_next - timedelta(days=1)
        if date(year, month, 1) > today:
            break
        out.append(min(end, today))
    return out


def rate_series(store: AuditStore, year: int, today: date,
                history: FindingsHistory | None = None) -> list[Rates]:
    """The county-wide rectification rates at each month end of ``year`` (up to ``today``)."""
    history = history or FindingsHistory(store)
    return [history.rates(day) for day in month_ends(year, today)]
