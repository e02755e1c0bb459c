"""The office's reports as plain tables: a title, headers and typed cells.

One description feeds the Excel and CSV exports and the command line, so a column means the
same everywhere. Cells keep their type — :class:`Money` (fen), :class:`~store.office.rates.Rate`,
:class:`Points`, ``int``, ``date``, ``str`` or ``None`` — and each writer formats them its own
way (Excel number formats, CSV plain numbers). Headers and labels come from the message
catalogue (``store/locales/office.toml``), Chinese by default.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from store.coverage import coverage_totals, unit_coverage
from store.i18n import t
from store.money import format_fen
from store.office.ledger import ledger
from store.office.rates import Rate
from store.office.stats import YearStats, compare_years
from store.office.visits import list_visits

if TYPE_CHECKING:
    from store.db import AuditStore


@dataclass(frozen=True)
class Money:
    """An amount in fen, written out as yuan."""

    fen: int


@dataclass(frozen=True)
class Points:
    """A difference between two rates, in percentage points (one decimal)."""

    value: Decimal


@dataclass
class Table:
    key: str  # sheet and file name: office.sheet.<key>
    headers: list[str]
    widths: list[int]
    rows: list[list[Any]] = field(default_factory=list)

    @property
    def title(self) -> str:
        return t(f"office.sheet.{self.key}")


def display_cell(value: Any) -> str:
    """A cell as people read it on screen: ``1,234.50``, ``61.6%``, ``+2.3``, ``2026-01-02``."""
    if value is None:
        return ""
    if isinstance(value, Money):
        return format_fen(value.fen)
    if isinstance(value, Rate):
        return value.text()
    if isinstance(value, Points):
        return f"{value.value:+}"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _table(key: str, columns: list[tuple[str, int]]) -> Table:
    return Table(key, [t(f"office.col.{c}") for c, _ in columns], [w for _, w in columns])


def ledger_table(store: AuditStore, today: date) -> Table:
    table = _table("ledger", [
        ("unit", 30), ("audit_type", 14), ("audit_start", 12), ("item_code", 8), ("title", 40),
        ("nature", 10), ("violation", 14), ("irregular", 14), ("recommendation", 40),
        ("rectify_mode", 10), ("deadline", 12), ("rectify_status", 10), ("overdue_days", 10),
        ("contact", 10), ("phone", 14), ("visits", 8), ("last_visit", 12),
        ("verified_by", 10), ("verified_at", 12), ("finding_id", 38)])
    for r in ledger(store, today):
        table.rows.append([
            r.unit_name, r.audit_type, r.audit_start, r.item_code, r.title, r.nature,
            Money(r.violation_fen), Money(r.irregular_fen), r.recommendation, r.rectify_mode,
            r.deadline, r.rectify_status, r.overdue_days, r.finance_contact or r.chairman,
            r.phone, r.visits, r.last_visit, r.verified_by_name or None, r.verified_at,
            r.finding_id])
    return table


def coverage_table(store: AuditStore, today: date) -> Table:
    table = _table("coverage", [
        ("unit", 30), ("enterprise", 28), ("directly_managed", 8), ("last_audit", 12),
        ("last_audit_type", 14), ("next_due", 12), ("overdue_days", 10),
        ("coverage_state", 10), ("next_planned", 12), ("open_findings", 10)])
    for c in unit_coverage(store, today):
        state = ("never" if c.never_audited else "overdue" if c.overdue_days
                 else "within")
        table.rows.append([
            c.name, c.enterprise, t("office.yes") if c.directly_managed else t("office.no"),
            c.last_audit, c.last_audit_type, c.next_due, c.overdue_days,
            t(f"office.coverage_state.{state}"), c.next_planned, c.open_findings])
    return table


def visits_table(store: AuditStore) -> Table:
    table = _table("visits", [
        ("unit", 30), ("title", 40), ("planned_on", 12), ("visited_on", 12), ("method", 8),
        ("visitor", 10), ("result", 40), ("evidence", 24)])
    for v in list_visits(store):
        table.rows.append([v.unit_name, v.finding_title or t("office.whole_audit"),
                           v.planned_on, v.visited_on, v.method, v.visitor_name, v.result,
                           v.evidence_name])
    return table


def _diff(a: Any, b: Any) -> Any:
    if isinstance(a, int) and isinstance(b, int):
        return a - b
    if isinstance(a, Money) and isinstance(b, Money):
        return Money(a.fen - b.fen)
    if isinstance(a, Rate) and isinstance(b, Rate):
        pa, pb = a.percent(), b.percent()
        return None if pa is None or pb is None else Points(pa - pb)
    return None


def stats_rows(cur: YearStats, prev: YearStats) -> list[tuple[str, str, Any, Any]]:
    """(category, indicator, this year, previous year) for the report table."""
    cat = lambda k: t(f"office.stat_cat.{k}")  # noqa: E731
    ind = lambda k, **p: t(f"office.stat.{k}", **p)  # noqa: E731
    rows: list[tuple[str, str, Any, Any]] = [
        (cat("audits"), ind("audits_planned"), cur.audits_planned, prev.audits_planned),
        (cat("audits"), ind("audits"), cur.audits, prev.audits),
    ]
    rows += [(cat("audits"), kind, cur.audits_by_type.get(kind, 0),
              prev.audits_by_type.get(kind, 0)) for kind in cur.audits_by_type]
    rows += [
        (cat("audits"), ind("units_audited"), cur.units_audited, prev.units_audited),
        (cat("audits"), ind("audited_money"), Money(cur.audited_fen), Money(prev.audited_fen)),
        (cat("findings"), ind("findings"), cur.findings, prev.findings),
        (cat("findings"), ind("violation"), Money(cur.violation_fen), Money(prev.violation_fen)),
        (cat("findings"), ind("irregular"), Money(cur.irregular_fen), Money(prev.irregular_fen)),
    ]
    for nature, (n, _fen) in cur.by_nature.items():
        rows.append((cat("by_nature"), ind("nature_count", nature=nature), n,
                     prev.by_nature.get(nature, (0, 0))[0]))
    for nature, (_n, fen) in cur.by_nature.items():
        rows.append((cat("by_nature"), ind("nature_amount", nature=nature), Money(fen),
                     Money(prev.by_nature.get(nature, (0, 0))[1])))
    prev_areas = {a.code: a for a in prev.by_area}
    titles = {a.code: a.title for a in [*prev.by_area, *cur.by_area]}
    for code in sorted({*prev_areas, *(a.code for a in cur.by_area)}):
        this = next((a for a in cur.by_area if a.code == code), None)
        last = prev_areas.get(code)
        label = f"{code or '—'} {titles.get(code) or t('office.area_none')}".strip()
        rows.append((cat("by_area"), ind("area_count", area=label),
                     this.findings if this else 0, last.findings if last else 0))
        rows.append((cat("by_area"), ind("area_amount", area=label),
                     Money(this.violation_fen + this.irregular_fen) if this else Money(0),
                     Money(last.violation_fen + last.irregular_fen) if last else Money(0)))
    rows += [
        (cat("results"), ind("recommendations"), cur.recommendations, prev.recommendations),
        (cat("results"), ind("dues_recovered_count"), cur.dues_recovered_count,
         prev.dues_recovered_count),
        (cat("results"), ind("dues_recovered"), Money(cur.dues_recovered_fen),
         Money(prev.dues_recovered_fen)),
        (cat("results"), ind("visits_done"), cur.visits_done, prev.visits_done),
        (cat("rectification"), ind("due"), cur.rates.due, prev.rates.due),
        (cat("rectification"), ind("rectified"), cur.rates.rectified, prev.rates.rectified),
        (cat("rectification"), ind("closed"), cur.rates.closed, prev.rates.closed),
        (cat("rectification"), ind("partial"), cur.rates.partial, prev.rates.partial),
        (cat("rectification"), ind("unrectified"), cur.rates.unrectified,
         prev.rates.unrectified),
        (cat("rectification"), ind("issue_rate"), cur.rates.issue_rate, prev.rates.issue_rate),
        (cat("rectification"), ind("partial_share"), cur.rates.partial_share,
         prev.rates.partial_share),
        (cat("rectification"), ind("due_amount"), Money(cur.rates.due_fen),
         Money(prev.rates.due_fen)),
        (cat("rectification"), ind("rectified_amount"), Money(cur.rates.rectified_fen),
         Money(prev.rates.rectified_fen)),
        (cat("rectification"), ind("amount_rate"), cur.rates.amount_rate,
         prev.rates.amount_rate),
    ]
    return rows


def stats_table(store: AuditStore, year: int, today: date) -> Table:
    cur, prev = compare_years(store, year, today)
    table = Table("stats", [t("office.col.category"), t("office.col.indicator"),
                            t("office.col.year_value", year=cur.year, day=cur.as_of.isoformat()),
                            t("office.col.year_value", year=prev.year, day=prev.as_of.isoformat()),
                            t("office.col.change")], [16, 36, 22, 22, 14])
    for category, indicator, a, b in stats_rows(cur, prev):
        table.rows.append([category, indicator, a, b, _diff(a, b)])
    totals = coverage_totals(store, today)
    cat = t("office.stat_cat.coverage", day=today.isoformat())
    for indicator, value in [
        (t("office.stat.target"), totals.annual_target),
        (t("office.stat.done_this_year", year=today.year), totals.audits_done_this_year),
        (t("office.stat.target_progress"), totals.target_progress),
        (t("office.stat.directly_managed"), totals.directly_managed),
        (t("office.stat.within_window", years=totals.cadence_years), totals.within_window),
        (t("office.stat.coverage_share"), totals.share),
        (t("office.stat.never_audited"), totals.never_audited),
        (t("office.stat.overdue_units"), totals.overdue),
    ]:
        table.rows.append([cat, indicator, value, None, None])
    return table


DEFINITIONS = ("due", "issue_rate", "amount_rate", "partial", "overdue", "coverage",
               "next_due", "audits", "audited_money", "dues_recovered", "recommendations",
               "compare")


def definitions_table() -> Table:
    table = _table("definitions", [("term", 18), ("definition", 110)])
    for key in DEFINITIONS:
        table.rows.append([t(f"office.term.{key}"), t(f"office.def.{key}")])
    return table


def all_tables(store: AuditStore, today: date, year: int | None = None) -> list[Table]:
    """Every sheet of the export, in order."""
    return [ledger_table(store, today), coverage_table(store, today),
            stats_table(store, year or today.year, today), visits_table(store),
            definitions_table()]
