"""审计覆盖: per unit its last audit, next due date and overdue days; coverage of the
directly managed unions within the cadence window and this year's audits against the target,
drawn as bars."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from store.coverage import CoverageTotals, UnitCoverage, coverage_totals, unit_coverage
from store.i18n import t
from tui.widgets.header import StatusHeader
from tui.screens.base import AppScreen
from tui.screens.office_forms import ExportsWorkbook, rate_bar
from tui.widgets.steady_footer import SteadyFooter

if TYPE_CHECKING:
    from store.db import AuditStore


@dataclass(frozen=True)
class CoverageData:
    rows: list[UnitCoverage]
    totals: CoverageTotals


def load_coverage(store: AuditStore, today: date) -> CoverageData:
    rows = unit_coverage(store, today)
    return CoverageData(rows, coverage_totals(store, today, rows))


def summary_text(totals: CoverageTotals) -> str:
    return "\n".join([
        t("office.cli_coverage_totals", managed=totals.directly_managed,
          within=totals.within_window, years=totals.cadence_years, share=totals.share.text(),
          done=totals.audits_done_this_year, target=totals.annual_target,
          year=totals.today.year),
        f"{t('office.stat.coverage_share')}  {rate_bar(totals.share)}",
        f"{t('office.stat.target_progress')}  {rate_bar(totals.target_progress)}",
        t("office.tui.coverage_counts", never=totals.never_audited, overdue=totals.overdue),
        f"{t('office.term.coverage')}：{t('office.def.coverage')}",
    ])


def state_of(c: UnitCoverage) -> str:
    key = "never" if c.never_audited else "overdue" if c.overdue_days else "within"
    return t(f"office.coverage_state.{key}")


class OfficeCoverageScreen(ExportsWorkbook, AppScreen):
    """You should see coverage bars on top and one row per unit, most overdue first."""

    BINDINGS = [
        Binding("d", "toggle_due", "office.bind.due_only", id="office.coverage.due"),
        Binding("m", "toggle_managed", "office.bind.managed_only", id="office.coverage.managed"),
        Binding("e", "export", "office.bind.export", id="office.coverage.export"),
        Binding("r", "reload", "office.bind.reload", show=False, id="office.coverage.reload"),
        Binding("escape", "app.pop_screen", "office.bind.back", id="office.coverage.back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.due_only = False
        self.managed_only = True
        self.data: CoverageData | None = None
        self.title = t("office.sheet.coverage")

    def compose(self) -> ComposeResult:
        yield StatusHeader()
        yield Static("", id="coverage-summary", classes="office-summary")
        yield Static("", id="coverage-filter", classes="office-filter")
        yield DataTable(id="coverage-table", cursor_type="row", zebra_stripes=True)
        yield SteadyFooter()

    def on_mount(self) -> None:
        self.query_one(DataTable).add_columns(*(t(f"office.col.{c}") for c in (
            "unit", "directly_managed", "last_audit", "last_audit_type", "next_due",
            "overdue_days", "coverage_state", "next_planned", "open_findings")))
        self.action_reload()

    def action_reload(self) -> None:
        self.load()

    def action_toggle_due(self) -> None:
        self.due_only = not self.due_only
        self.show()

    def action_toggle_managed(self) -> None:
        self.managed_only = not self.managed_only
        self.show()

    @work(group="office-coverage", exit_on_error=False)
    async def load(self) -> None:
        self.data = await self.db.call(load_coverage, self.today())
        self.query_one("#coverage-summary", Static).update(summary_text(self.data.totals))
        self.show()

    def visible(self) -> list[UnitCoverage]:
        if self.data is None:
            return []
        today = self.data.totals.today
        rows = [r for r in self.data.rows
                if (r.directly_managed or not self.managed_only)
                and (r.due_by(today) or not self.due_only)]
        # never audited first, then most overdue, then by next due date
        return sorted(rows, key=lambda r: (not r.never_audited, -r.overdue_days,
                                           r.next_due or date.min, r.name))

    def show(self) -> None:
        rows = self.visible()
        self.query_one("#coverage-filter", Static).update(t(
            "office.tui.coverage_filter", n=len(rows),
            due=t("office.yes") if self.due_only else t("office.no"),
            managed=t("office.yes") if self.managed_only else t("office.no")))
        table = self.query_one(DataTable)
        table.clear()
        for r in rows:
            table.add_row(
                r.name, t("office.yes") if r.directly_managed else t("office.no"),
                r.last_audit.isoformat() if r.last_audit else "—", r.last_audit_type or "",
                r.next_due.isoformat() if r.next_due else "—",
                str(r.overdue_days) if r.overdue_days else "", state_of(r),
                r.next_planned.isoformat() if r.next_planned else "",
                str(r.open_findings) if r.open_findings else "", key=r.unit_id)
