"""整改台账: every finding with deadline, mode, status, overdue days and contact; record a
return visit (回访) and close a finding (销号) from here.

The rates at the top carry their definitions (``d`` shows them); a finding is closed only by
the auditor who verified it (see :mod:`store.office.visits`), the form says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from store.auditors import list_auditors
from store.enums import RectifyStatus
from store.i18n import t
from store.money import format_fen
from store.office.ledger import LedgerRow, ledger, ledger_rates
from store.office.rates import Rates
from store.office.visits import close_finding, list_visits, record_visit
from tui.formatting import cell, unit_short
from tui.widgets.header import StatusHeader
from tui.messages import DataChanged
from tui.screens.base import AppScreen
from tui.screens.office_forms import (
    CloseFindingForm, ExportsWorkbook, ReturnVisitForm, acting_auditor, labelled_bars,
)
from tui.widgets.steady_footer import SteadyFooter

if TYPE_CHECKING:
    from store.db import AuditStore

STATUS_FILTERS: tuple[str | None, ...] = (None, *(s.value for s in RectifyStatus))


@dataclass(frozen=True)
class LedgerData:
    rows: list[LedgerRow]
    rates: Rates
    auditors: list[tuple[str, str]]
    acting: str | None


def load_ledger(store: AuditStore, today: date, status: str | None,
                overdue_only: bool) -> LedgerData:
    return LedgerData(ledger(store, today, status=status, overdue_only=overdue_only),
                      ledger_rates(store, today),
                      [(a.name, a.id) for a in list_auditors(store, active_only=True)],
                      acting_auditor(store))


UNIT_WIDTH = 20  # cells: 10 Chinese characters, then …
TITLE_WIDTH = 32


def rates_text(rates: Rates, today: date) -> str:
    """The summary above the ledger: counts, the two rates as bars, partial separately."""
    return "\n".join([
        t("office.cli_rates", day=today.isoformat(), due=rates.due, rectified=rates.rectified,
          closed=rates.closed, partial=rates.partial, rate=rates.issue_rate.text(),
          amount_rate=rates.amount_rate.text()),
        *labelled_bars([(t("office.stat.issue_rate"), rates.issue_rate),
                        (t("office.stat.amount_rate"), rates.amount_rate),
                        (t("office.stat.partial_share"), rates.partial_share)]),
    ])


def definitions_text(keys: tuple[str, ...]) -> str:
    return "\n".join(f"{t(f'office.term.{k}')}：{t(f'office.def.{k}')}" for k in keys)


class OfficeLedgerScreen(ExportsWorkbook, AppScreen):
    """You should see the rates with bars on top and one row per finding below."""

    BINDINGS = [
        Binding("v", "visit", "office.bind.visit", id="office.ledger.visit"),
        Binding("x", "close_finding", "office.bind.close", id="office.ledger.close"),
        Binding("o", "toggle_overdue", "office.bind.overdue", id="office.ledger.overdue"),
        Binding("s", "cycle_status", "office.bind.status", id="office.ledger.status"),
        Binding("d", "toggle_definitions", "office.bind.definitions",
                id="office.ledger.definitions"),
        Binding("e", "export", "office.bind.export", id="office.ledger.export"),
        Binding("r", "reload", "office.bind.reload", show=False, id="office.ledger.reload"),
        Binding("escape", "app.pop_screen", "office.bind.back", id="office.ledger.back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.status_filter: str | None = None
        self.overdue_only = False
        self.data: LedgerData | None = None
        self.title = t("office.sheet.ledger")

    def compose(self) -> ComposeResult:
        yield StatusHeader()
        yield Static("", id="ledger-rates", classes="office-summary")
        yield Static(definitions_text(("due", "issue_rate", "amount_rate", "partial",
                                       "overdue")), id="ledger-defs", classes="office-defs")
        yield Static("", id="ledger-filter", classes="office-filter")
        yield DataTable(id="ledger-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="ledger-detail", classes="office-detail")
        yield SteadyFooter()

    def on_mount(self) -> None:
        self.query_one("#ledger-defs").display = False
        table = self.query_one(DataTable)
        widths = {"unit": UNIT_WIDTH, "title": TITLE_WIDTH}
        for c in ("unit", "item_code", "title", "rectify_status", "overdue_days", "deadline",
                  "rectify_mode", "violation", "irregular", "contact", "visits", "verified_by"):
            table.add_column(t(f"office.col.{c}"), key=c, width=widths.get(c))
        self.action_reload()

    # -- loading ----------------------------------------------------------------------------
    def action_reload(self) -> None:
        self.load()

    @work(group="office-ledger", exit_on_error=False)
    async def load(self) -> None:
        today = self.today()
        data = await self.db.call(load_ledger, today, self.status_filter, self.overdue_only)
        self.data = data
        self.query_one("#ledger-rates", Static).update(rates_text(data.rates, today))
        self.query_one("#ledger-filter", Static).update(t(
            "office.tui.ledger_filter", n=len(data.rows),
            status=self.status_filter or t("office.tui.all"),
            overdue=t("office.yes") if self.overdue_only else t("office.no")))
        table = self.query_one(DataTable)
        keep = self.selected_id()
        table.clear()
        for r in data.rows:
            table.add_row(
                cell(unit_short(r.unit_name)), r.item_code, cell(r.title), r.rectify_status,
                str(r.overdue_days) if r.overdue_days else "",
                r.deadline.isoformat() if r.deadline else "—", r.rectify_mode,
                format_fen(r.violation_fen), format_fen(r.irregular_fen), r.contact,
                str(r.visits),
                f"{r.verified_by_name} {r.verified_at.isoformat()}" if r.verified_at else "",
                key=r.finding_id)
        if keep and keep in {r.finding_id for r in data.rows}:
            table.move_cursor(row=table.get_row_index(keep))
        await self.show_detail()

    def selected_id(self) -> str | None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    def selected_row(self) -> LedgerRow | None:
        fid = self.selected_id()
        if self.data is None or fid is None:
            return None
        return next((r for r in self.data.rows if r.finding_id == fid), None)

    @on(DataTable.RowHighlighted, "#ledger-table")
    async def _highlighted(self, _event: DataTable.RowHighlighted) -> None:
        await self.show_detail()

    async def show_detail(self) -> None:
        row = self.selected_row()
        detail = self.query_one("#ledger-detail", Static)
        if row is None:
            detail.update("")
            return
        visits = await self.db.call(list_visits, finding_id=row.finding_id)
        lines = [f"{row.unit_name} · {row.title}",
                 f"{t('office.col.recommendation')}：{row.recommendation or '—'}",
                 f"{t('office.col.contact')}：{row.contact or '—'}"]
        for v in visits:
            when = v.visited_on or v.planned_on
            state = "" if v.visited_on else t("office.tui.planned")
            lines.append(f"  {when.isoformat() if when else ''} {v.method} {v.visitor_name} "
                         f"{state}{v.result}")
        detail.update("\n".join(lines))

    # -- filters ------------------------------------------------------------------------------
    def action_toggle_overdue(self) -> None:
        self.overdue_only = not self.overdue_only
        self.load()

    def action_cycle_status(self) -> None:
        i = STATUS_FILTERS.index(self.status_filter)
        self.status_filter = STATUS_FILTERS[(i + 1) % len(STATUS_FILTERS)]
        self.load()

    def action_toggle_definitions(self) -> None:
        defs = self.query_one("#ledger-defs")
        defs.display = not defs.display

    # -- return visit and 销号 ------------------------------------------------------------------
    def action_visit(self) -> None:
        row = self.selected_row()
        if row is None or self.data is None:
            return
        form = ReturnVisitForm(f"{row.unit_name} · {row.title}", self.today(),
                               self.data.auditors, self.data.acting, row.rectify_status)
        self.app.push_screen(form, callback=lambda values: self._visit_done(row, values))

    def _visit_done(self, row: LedgerRow, values: dict[str, Any] | None) -> None:
        if values is not None:
            self.save_visit(row.finding_id, values)

    @work(group="office-ledger-write", exit_on_error=False)
    async def save_visit(self, finding_id: str, values: dict[str, Any]) -> None:
        acting = self.data.acting if self.data else None
        await self.db.call(record_visit, acting, today=self.today(), finding_id=finding_id,
                           **values)
        self.post_message(DataChanged("return_visits"))
        self.notify(t("office.tui.visit_saved"))
        self.load()

    def action_close_finding(self) -> None:
        row = self.selected_row()
        if row is None or self.data is None:
            return
        if row.rectify_status == RectifyStatus.CLOSED:
            self.notify(t("office.already_closed"), severity="warning")
            return
        form = CloseFindingForm(f"{row.unit_name} · {row.title}", self.today(),
                                self.data.auditors, self.data.acting)
        self.app.push_screen(form, callback=lambda values: self._close_done(row, values))

    def _close_done(self, row: LedgerRow, values: dict[str, Any] | None) -> None:
        if values is not None:
            self.save_close(row.finding_id, values)

    @work(group="office-ledger-write", exit_on_error=False)
    async def save_close(self, finding_id: str, values: dict[str, Any]) -> None:
        await self.db.call(close_finding, values["verifier_id"], finding_id, on=values["on"],
                           today=self.today())
        self.post_message(DataChanged("findings"))
        self.notify(t("office.tui.closed"))
        self.load()
