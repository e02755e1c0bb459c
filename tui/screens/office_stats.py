"""年度统计: the chosen year against the year before, with the audits per month and the
rectification rate at each month end drawn in the terminal; exports the workbook (``e``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Input, Label, Sparkline, Static

from store.i18n import t
from store.office.rates import Rates
from store.office.stats import YearStats, compare_years, rate_series
from store.office.tables import display_cell, stats_table
from tui.widgets.header import StatusHeader
from tui.screens.base import AppScreen
from tui.screens.office_forms import ChoosesYear, ExportsWorkbook, bar_rows
from tui.screens.office_ledger import definitions_text
from tui.widgets.steady_footer import SteadyFooter

if TYPE_CHECKING:
    from store.db import AuditStore

DEFINITIONS = ("audits", "audited_money", "dues_recovered", "recommendations", "due",
               "issue_rate", "amount_rate", "partial", "compare")


@dataclass(frozen=True)
class StatsData:
    year: int
    current: YearStats
    previous: YearStats
    series: list[Rates]
    headers: list[str]
    rows: list[list[str]]


def load_stats(store: AuditStore, year: int, today: date) -> StatsData:
    cur, prev = compare_years(store, year, today)
    table = stats_table(store, year, today)
    rows = [[display_cell(v) for v in row] for row in table.rows]
    return StatsData(year, cur, prev, rate_series(store, year, today), table.headers, rows)


def month_label(month: int) -> str:
    return t("office.tui.month", month=month)


def audits_line(stats: YearStats) -> str:
    """The numbers under the sparkline: ``1月 0 · 2月 0 · 3月 2 …``."""
    return " · ".join(f"{month_label(m)} {n}"
                      for m, n in enumerate(stats.audits_per_month, start=1))


def rate_chart(series: list[Rates]) -> str:
    if not series:
        return t("office.tui.no_data")
    return bar_rows([(month_label(r.on.month), r.issue_rate.num * 1000 // r.issue_rate.den
                      if r.issue_rate.defined else 0, r.issue_rate.text())
                     for r in series], width=24)


class OfficeStatsScreen(ChoosesYear, ExportsWorkbook, AppScreen):
    """You should see two charts (audits per month, rate per month end) and the year table."""

    year_input = "stats-year"

    BINDINGS = [
        Binding("left_square_bracket", "year(-1)", "office.bind.prev_year",
                id="office.stats.prev"),
        Binding("right_square_bracket", "year(1)", "office.bind.next_year",
                id="office.stats.next"),
        Binding("d", "toggle_definitions", "office.bind.definitions",
                id="office.stats.definitions"),
        Binding("e", "export", "office.bind.export", id="office.stats.export"),
        Binding("r", "reload", "office.bind.reload", show=False, id="office.stats.reload"),
        Binding("escape", "app.pop_screen", "office.bind.back", id="office.stats.back"),
    ]

    def __init__(self, year: int | None = None) -> None:
        super().__init__()
        self.year = year
        self.data: StatsData | None = None
        self.title = t("office.sheet.stats")

    def compose(self) -> ComposeResult:
        yield StatusHeader()
        with Horizontal(classes="office-year"):
            yield Label(t("office.tui.year"))
            yield Input("", id="stats-year", restrict=r"[0-9]*", max_length=4)
        with Horizontal(id="stats-charts"):
            with Vertical(classes="office-chart"):
                yield Label("", id="audits-title")
                yield Sparkline([], id="audits-spark")
                yield Static("", id="audits-bars", classes="office-chart-numbers")
            with Vertical(classes="office-chart"):
                yield Label(t("office.tui.rate_chart_title"), id="rate-title")
                yield Static("", id="rate-bars")
        yield DataTable(id="stats-table", cursor_type="row", zebra_stripes=True)
        yield Static(definitions_text(DEFINITIONS), id="stats-defs", classes="office-defs")
        yield SteadyFooter()

    def on_mount(self) -> None:
        self.year = self.year or self.today().year
        self.query_one("#stats-year", Input).value = str(self.year)
        self.query_one("#stats-defs").display = False
        self.query_one(DataTable).focus()
        self.action_reload()


    def action_toggle_definitions(self) -> None:
        defs = self.query_one("#stats-defs")
        defs.display = not defs.display

    @work(group="office-stats", exit_on_error=False)
    async def load(self) -> None:
        data = await self.db.call(load_stats, self.year, self.today())
        self.data = data
        self.query_one("#audits-title", Label).update(
            t("office.tui.audits_chart_title", year=data.year))
        self.query_one("#audits-spark", Sparkline).data = list(data.current.audits_per_month)
        self.query_one("#audits-bars", Static).update(audits_line(data.current))
        self.query_one("#rate-bars", Static).update(rate_chart(data.series))
        table = self.query_one(DataTable)
        table.clear(columns=True)
        table.add_columns(*data.headers)
        for row in data.rows:
            table.add_row(*row)
