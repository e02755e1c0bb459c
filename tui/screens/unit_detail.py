"""A unit's page: its details, its audits (newest first) and its findings still open.

Enter on an audit opens its workspace, on a finding the finding; n starts a new audit here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Vertical
from textual.widgets import DataTable, Label

from store.audits import AuditSummary, list_audits
from store.coverage import UnitCoverage, unit_coverage
from store.enums import AuditStatus, AuditType, FindingNature, RectifyStatus
from store.i18n import t
from store.models import Finding, Unit
from store.query import fetch_all
from store.units import get_unit
from store.validation import field_label
from store.worklist import UNRECTIFIED
from tui import navigation
from tui.formatting import cell, day, enum_label, money, progress
from tui.screens.base import AppScreen, add_columns
from tui.widgets.header import StatusHeader
from tui.widgets.steady_footer import SteadyFooter

if TYPE_CHECKING:
    from store.db import AuditStore

WIDE_FIELDS = ("name", "enterprise", "address")  # a row each
DETAIL_FIELDS = ("credit_code", "chairman", "finance_contact", "phone", "member_count",
                 "staff_count", "payroll_fen", "own_account", "small_micro", "directly_managed")


@dataclass(frozen=True)
class UnitPage:
    unit: Unit
    coverage: UnitCoverage | None
    audits: list[AuditSummary]
    open_findings: list[Finding]


def load_unit_page(store: AuditStore, unit_id: str, today: date) -> UnitPage:
    unit = get_unit(store, unit_id)
    coverage = next((c for c in unit_coverage(store, today) if c.unit_id == unit_id), None)
    findings = fetch_all(
        store, Finding,
        "rectify_status IN (?, ?) AND audit_id IN "
        "(SELECT id FROM audits WHERE unit_id = ? AND deleted = 0)",
        [*(s.value for s in UNRECTIFIED), unit_id], order_by="deadline IS NULL, deadline, id")
    return UnitPage(unit, coverage, list_audits(store, "a.unit_id = ?", [unit_id]), findings)


def _value(unit: Unit, name: str) -> str:
    value = getattr(unit, name)
    if isinstance(value, bool):
        return t("tui.yes") if value else t("tui.no")
    if name == "payroll_fen":
        return t("tui.yuan", amount=money(value))
    return str(value) if value not in ("", None) else "—"


class UnitDetailScreen(AppScreen[None]):
    BINDINGS = [
        Binding("n", "new_audit", "tui.bind.new_audit_here", id="new_audit_here"),
        Binding("escape", "back", "tui.bind.back", id="back"),
    ]

    def __init__(self, unit_id: str) -> None:
        super().__init__()
        self.unit_id = unit_id
        self.page: UnitPage | None = None

    def compose(self) -> ComposeResult:
        yield StatusHeader()
        with Vertical(id="unit-body"):
            yield Grid(id="unit-details")
            yield Label(id="unit-audits-title", classes="section-title")
            yield DataTable(id="unit-audits", cursor_type="row", zebra_stripes=True)
            yield Label(id="unit-findings-title", classes="section-title")
            yield DataTable(id="unit-findings", cursor_type="row", zebra_stripes=True)
        yield SteadyFooter()

    def on_mount(self) -> None:
        self.title = t("tui.unit_title")
        add_columns(self.query_one("#unit-audits", DataTable), "start", "type", "status",
                    "period", "leader", "progress", "findings")
        add_columns(self.query_one("#unit-findings", DataTable), ("finding", 24), "nature",
                    "amount", "deadline", "rectify")

    def on_screen_resume(self) -> None:
        self.load()

    @work(group="unit-load", exclusive=True, exit_on_error=False)
    async def load(self) -> None:
        page = await self.db.call(load_unit_page, self.unit_id, self.today())
        self.page = page
        self._show(page)

    def _show(self, page: UnitPage) -> None:
        self.sub_title = page.unit.name
        grid = self.query_one("#unit-details", Grid)
        grid.remove_children()
        cells = [Label(text, classes=kind) for n in WIDE_FIELDS for text, kind in
                 ((field_label(n), "field-label"), (_value(page.unit, n), "field-value wide"))]
        pairs = [(field_label(n), _value(page.unit, n)) for n in DETAIL_FIELDS]
        c = page.coverage
        if c is not None:
            pairs += [(t("tui.col.last_audit"), day(c.last_audit, t("tui.never_audited"))),
                      (t("tui.col.next_due"), day(c.next_due, t("tui.due_now"))
                       if c.directly_managed else t("tui.not_managed"))]
        cells += [Label(text, classes=kind) for label, value in pairs
                  for text, kind in ((label, "field-label"), (value, "field-value"))]
        grid.mount_all(cells)
        self.query_one("#unit-audits-title", Label).update(
            t("tui.unit_audits", n=len(page.audits)))
        audits = self.query_one("#unit-audits", DataTable)
        audits.clear()
        for a in page.audits:
            audits.add_row(day(a.planned_start), enum_label(AuditType, a.type),
                           enum_label(AuditStatus, a.status),
                           t("tui.period", start=a.period_from, end=a.period_to), a.leader_name,
                           cell(progress(a.items_answered, a.items_total), right=True),
                           cell(str(a.findings), right=True), key=a.id)
        self.query_one("#unit-findings-title", Label).update(
            t("tui.unit_open_findings", n=len(page.open_findings)))
        findings = self.query_one("#unit-findings", DataTable)
        findings.clear()
        for f in page.open_findings:
            findings.add_row(cell(f.title), enum_label(FindingNature, f.nature),
                             cell(money(f.violation_fen + f.irregular_fen), right=True),
                             day(f.deadline),
                             enum_label(RectifyStatus, f.rectify_status), key=f.id)

    @on(DataTable.RowSelected, "#unit-audits")
    def _open_audit(self, event: DataTable.RowSelected) -> None:
        navigation.open_workspace(self.app, str(event.row_key.value))

    @on(DataTable.RowSelected, "#unit-findings")
    def _open_finding(self, event: DataTable.RowSelected) -> None:
        if self.page is None:
            return
        finding = next(f for f in self.page.open_findings if f.id == event.row_key.value)
        navigation.open_finding(self.app, finding.id, finding.audit_id)

    def action_new_audit(self) -> None:
        navigation.open_new_audit(self.app, self.unit_id)

    def action_back(self) -> None:
        self.app.pop_screen()
