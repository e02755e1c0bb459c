"""年度审计计划: the suggested units (never audited, due, open findings, rotation), planned
against the target; create the chosen audits with teams and dates; put return visits into the
plan (审计回访纳入年度计划)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import DataTable, Input, Label, Static, TabbedContent, TabPane

from store.auditors import list_auditors
from store.i18n import t
from store.office.plan import PlanSuggestion, create_plan, propose_schedule, suggest_plan
from store.office.rates import Rate
from store.office.visits import schedule_visit
from tui.widgets.header import StatusHeader
from tui.messages import DataChanged
from tui.screens.base import AppScreen
from tui.screens.office_forms import (
    ChoosesYear, PlanCreateForm, ScheduleVisitForm, acting_auditor, rate_bar,
)
from tui.widgets.steady_footer import SteadyFooter

if TYPE_CHECKING:
    from store.db import AuditStore

CHECK, NO_CHECK = "☑", "☐"


@dataclass(frozen=True)
class PlanData:
    plan: PlanSuggestion
    auditors: list[tuple[str, str]]
    acting: str | None


def load_plan(store: AuditStore, today: date, year: int) -> PlanData:
    return PlanData(suggest_plan(store, today, year),
                    [(a.name, a.id) for a in list_auditors(store, active_only=True)],
                    acting_auditor(store))


def make_plan(store: AuditStore, acting: str | None, unit_ids: list[str], start: date,
              per_week: int, year: int) -> int:
    entries = propose_schedule(store, unit_ids, start, per_week)
    return len(create_plan(store, acting, entries, year))


class OfficePlanScreen(ChoosesYear, AppScreen):
    """You should see planned vs target on top, the candidate units and the visits to plan."""

    year_input = "plan-year"

    BINDINGS = [
        Binding("space", "toggle", "office.bind.toggle", id="office.plan.toggle"),
        Binding("c", "create", "office.bind.create_plan", id="office.plan.create"),
        Binding("p", "schedule_visit", "office.bind.schedule_visit", id="office.plan.visit"),
        Binding("left_square_bracket", "year(-1)", "office.bind.prev_year",
                id="office.plan.prev"),
        Binding("right_square_bracket", "year(1)", "office.bind.next_year",
                id="office.plan.next"),
        Binding("r", "reload", "office.bind.reload", show=False, id="office.plan.reload"),
        Binding("escape", "app.pop_screen", "office.bind.back", id="office.plan.back"),
    ]

    def __init__(self, year: int | None = None) -> None:
        super().__init__()
        self.year = year
        self.data: PlanData | None = None
        self.chosen: set[str] = set()
        self.title = t("office.tui.plan_title")

    def compose(self) -> ComposeResult:
        yield StatusHeader()
        with Horizontal(classes="office-year"):
            yield Label(t("office.tui.year"))
            yield Input("", id="plan-year", restrict=r"[0-9]*", max_length=4)
        yield Static("", id="plan-summary", classes="office-summary")
        with TabbedContent(id="plan-tabs"):
            with TabPane(t("office.tui.plan_units_tab"), id="plan-units-tab"):
                yield DataTable(id="plan-units", cursor_type="row", zebra_stripes=True)
            with TabPane(t("office.tui.plan_visits_tab"), id="plan-visits-tab"):
                yield DataTable(id="plan-visits", cursor_type="row", zebra_stripes=True)
        yield SteadyFooter()

    def on_mount(self) -> None:
        self.year = self.year or self.today().year
        self.query_one("#plan-year", Input).value = str(self.year)
        self.query_one("#plan-units", DataTable).add_columns(
            "", t("office.col.unit"), t("office.col.reason"), t("office.col.last_audit"),
            t("office.col.next_due"), t("office.col.open_findings"))
        self.query_one("#plan-visits", DataTable).add_columns(
            t("office.col.unit"), t("office.col.audit_start"), t("office.col.unclosed"),
            t("office.col.deadline"), t("office.col.suggested_on"), t("office.col.planned_on"),
            t("office.col.last_visit"))
        self.query_one("#plan-units", DataTable).focus()
        self.action_reload()


    @work(group="office-plan", exit_on_error=False)
    async def load(self) -> None:
        self.data = await self.db.call(load_plan, self.today(), self.year)
        self.chosen = {c.unit_id for c in self.data.plan.suggested}
        self.show()

    def summary(self) -> str:
        assert self.data is not None
        p = self.data.plan
        planned = p.already_planned + len(self.chosen)
        return "\n".join([
            t("office.tui.plan_summary", year=p.year, target=p.target,
              planned=p.already_planned, chosen=len(self.chosen), required=p.required,
              short=max(0, p.target - planned)),
            f"{t('office.tui.plan_vs_target')}  {rate_bar(Rate(planned, p.target))}",
            t("office.tui.plan_rule"),
        ])

    def show(self) -> None:
        if self.data is None:
            return
        self.query_one("#plan-summary", Static).update(self.summary())
        units = self.query_one("#plan-units", DataTable)
        row = units.cursor_row
        units.clear()
        for c in self.data.plan.candidates:
            units.add_row(CHECK if c.unit_id in self.chosen else NO_CHECK, c.unit_name,
                          t(f"office.reason.{c.reason}"),
                          c.last_audit.isoformat() if c.last_audit else "—",
                          c.next_due.isoformat() if c.next_due else "—",
                          str(c.open_findings) if c.open_findings else "", key=c.unit_id)
        if units.row_count:
            units.move_cursor(row=min(row, units.row_count - 1))
        visits = self.query_one("#plan-visits", DataTable)
        visits.clear()
        for v in self.data.plan.visits:
            visits.add_row(v.unit_name, v.audit_start.isoformat(), str(v.unclosed),
                           v.latest_deadline.isoformat() if v.latest_deadline else "—",
                           v.suggested_on.isoformat(),
                           v.planned_on.isoformat() if v.planned_on else "",
                           v.last_visit.isoformat() if v.last_visit else "", key=v.audit_id)

    def _key(self, table_id: str) -> str | None:
        table = self.query_one(table_id, DataTable)
        if not table.row_count:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    def action_toggle(self) -> None:
        unit_id = self._key("#plan-units")
        if unit_id is None:
            return
        self.chosen ^= {unit_id}
        self.show()

    # -- create the audits ------------------------------------------------------------------
    def action_create(self) -> None:
        if self.data is None or not self.chosen:
            self.notify(t("office.tui.plan_nothing"), severity="warning")
            return
        start = max(self.today(), date(self.year, 1, 1))
        self.app.push_screen(PlanCreateForm(len(self.chosen), start), callback=self._create)

    def _create(self, values: dict[str, Any] | None) -> None:
        if values is not None and self.data is not None:
            order = [c.unit_id for c in self.data.plan.candidates if c.unit_id in self.chosen]
            self.save_plan(order, values["start"], values["per_week"])

    @work(group="office-plan-write", exit_on_error=False)
    async def save_plan(self, unit_ids: list[str], start: date, per_week: int) -> None:
        acting = self.data.acting if self.data else None
        n = await self.db.call(make_plan, acting, unit_ids, start, per_week, self.year)
        self.post_message(DataChanged("audits"))
        self.notify(t("office.tui.plan_created", n=n))
        self.load()

    # -- return visits into the plan -------------------------------------------------------------
    def action_schedule_visit(self) -> None:
        self.query_one("#plan-tabs", TabbedContent).active = "plan-visits-tab"
        audit_id = self._key("#plan-visits")
        if self.data is None or audit_id is None:
            return
        v = next(v for v in self.data.plan.visits if v.audit_id == audit_id)
        form = ScheduleVisitForm(f"{v.unit_name} · {v.audit_start.isoformat()}", v.suggested_on,
                                 self.data.auditors, self.data.acting)
        self.app.push_screen(form, callback=lambda values: self._scheduled(audit_id, values))

    def _scheduled(self, audit_id: str, values: dict[str, Any] | None) -> None:
        if values is not None:
            self.save_visit(audit_id, values)

    @work(group="office-plan-write", exit_on_error=False)
    async def save_visit(self, audit_id: str, values: dict[str, Any]) -> None:
        acting = self.data.acting if self.data else None
        await self.db.call(schedule_visit, acting, audit_id, values["planned_on"],
                           values["visitor_id"], values["method"])
        self.post_message(DataChanged("return_visits"))
        self.notify(t("office.tui.visit_planned"))
        self.load()
