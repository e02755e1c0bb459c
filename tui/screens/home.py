"""Home: my open audits with their progress, units due for audit, rectifications running late.

Enter opens the audit's workspace, the unit's page, or the finding. The lists are read again
whenever the screen comes back into view, so work done elsewhere shows at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Label

from store.audits import AuditSummary
from store.coverage import UnitCoverage, units_due
from store.devices import current_auditor_id
from store.enums import AuditStatus, RectifyStatus
from store.i18n import t
from store.worklist import LateRectification, late_rectifications, my_audits
from tui import navigation
from tui.formatting import cell, day, enum_label, money, progress, unit_short
from tui.screens.base import AppScreen, add_columns
from tui.widgets.header import StatusHeader
from tui.widgets.steady_footer import SteadyFooter

if TYPE_CHECKING:
    from store.db import AuditStore

UNIT_WIDTH = 24  # cells: 12 Chinese characters, then …


@dataclass(frozen=True)
class HomeData:
    audits: list[AuditSummary]
    due: list[UnitCoverage]
    late: list[LateRectification]


def load_home(store: AuditStore, today: date) -> HomeData:
    me = current_auditor_id(store)
    return HomeData(my_audits(store, me) if me else [], units_due(store, today),
                    late_rectifications(store, today))


class HomeScreen(AppScreen[None]):
    BINDINGS = [
        Binding("n", "app.new_audit", "tui.bind.new_audit", id="new_audit"),
        Binding("f", "app.findings_all", "tui.bind.findings_all", id="findings_all"),
        Binding("r,f5", "reload", "tui.bind.reload", show=False, id="reload"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._late_audit: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        yield StatusHeader()
        with Vertical(id="home-body"):
            yield Label(id="my-audits-title", classes="section-title")
            yield DataTable(id="my-audits", cursor_type="row", zebra_stripes=True)
            yield Label(id="due-title", classes="section-title")
            yield DataTable(id="units-due", cursor_type="row", zebra_stripes=True)
            yield Label(id="late-title", classes="section-title")
            yield DataTable(id="late", cursor_type="row", zebra_stripes=True)
        yield SteadyFooter()

    def on_mount(self) -> None:
        self.title = t("tui.home_title")
        add_columns(self.query_one("#my-audits", DataTable), ("unit", UNIT_WIDTH), "status",
                    "start", "progress", "findings", "amount")
        add_columns(self.query_one("#units-due", DataTable), ("unit", UNIT_WIDTH),
                    "last_audit", "next_due", "planned")
        add_columns(self.query_one("#late", DataTable), "overdue", "deadline", "rectify",
                    ("unit", UNIT_WIDTH), "finding")
        self._titles(None)

    def on_screen_resume(self) -> None:
        self.load()

    def action_reload(self) -> None:
        self.load()

    @work(group="home-load", exclusive=True, exit_on_error=False)
    async def load(self) -> None:
        data = await self.db.call(load_home, self.today())
        self._show(data)

    def _titles(self, data: HomeData | None) -> None:
        counts = (len(data.audits), len(data.due), len(data.late)) if data else ("…",) * 3
        for selector, key, n in zip(("#my-audits-title", "#due-title", "#late-title"),
                                    ("tui.home_my_audits", "tui.home_due", "tui.home_late"),
                                    counts, strict=True):
            self.query_one(selector, Label).update(t(key, n=n))

    def _show(self, data: HomeData) -> None:
        self._titles(data)
        rows = [(cell(unit_short(a.unit_name)), enum_label(AuditStatus, a.status),
                 day(a.planned_start), cell(progress(a.items_answered, a.items_total), right=True),
                 cell(str(a.findings), right=True),
                 cell(money(a.violation_fen + a.irregular_fen), right=True))
                for a in data.audits]
        _refill(self.query_one("#my-audits", DataTable), rows, [a.id for a in data.audits])
        rows = [(cell(unit_short(c.name)), day(c.last_audit, t("tui.never_audited")),
                 day(c.next_due, t("tui.due_now")), day(c.next_planned, ""))
                for c in data.due]
        _refill(self.query_one("#units-due", DataTable), rows, [c.unit_id for c in data.due])
        self._late_audit = {r.finding_id: r.audit_id for r in data.late}
        rows = [(cell(str(r.overdue_days), right=True), day(r.deadline),
                 enum_label(RectifyStatus, r.rectify_status), cell(unit_short(r.unit_name)),
                 cell(r.title)) for r in data.late]
        _refill(self.query_one("#late", DataTable), rows, [r.finding_id for r in data.late])

    @on(DataTable.RowSelected, "#my-audits")
    def _open_audit(self, event: DataTable.RowSelected) -> None:
        navigation.open_workspace(self.app, str(event.row_key.value))

    @on(DataTable.RowSelected, "#units-due")
    def _open_unit(self, event: DataTable.RowSelected) -> None:
        navigation.open_unit(self.app, str(event.row_key.value))

    @on(DataTable.RowSelected, "#late")
    def _open_finding(self, event: DataTable.RowSelected) -> None:
        finding_id = str(event.row_key.value)
        navigation.open_finding(self.app, finding_id, self._late_audit[finding_id])


def _refill(table: DataTable, rows: list[tuple[object, ...]], keys: list[str]) -> None:
    """Replace the rows, keeping the cursor on the same record when it is still listed."""
    current = None
    if table.row_count and table.cursor_row >= 0:
        current = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
    table.clear()
    for row, key in zip(rows, keys, strict=True):
        table.add_row(*row, key=key)
    if current in keys:
        table.move_cursor(row=keys.index(current), animate=False)
