"""The findings of one audit, or of every audit of the county: filter, sort, total, open.

The rows are read once (``store.findings_view.finding_rows``) and their table cells built once;
filtering and sorting then happen in memory and the table (``VirtualTable``) draws only the
lines on screen, so a key answers in one frame even for 2,000 findings (issue 3), and the
cursor stays on its finding while it is shown. The line under the table totals both amount kinds for exactly the
rows shown. Enter opens the finding; ``a`` adds one (only in the list of one audit).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Label, Select

from store.enums import FindingNature, RectifyStatus
from store.findings_view import (
    SORTS, FindingFilter, FindingRow, audit_heading, filter_choices, filter_rows, finding_rows,
    sort_rows, totals,
)
from store.i18n import t
from tui import navigation
from tui.formatting import enum_label, money, unit_short
from tui.screens.base import AppScreen
from tui.widgets.header import StatusHeader
from tui.widgets.virtual_table import Column, VirtualTable
from tui.widgets.steady_footer import SteadyFooter

if TYPE_CHECKING:
    from store.db import AuditStore

UNIT_WIDTH = 12  # cells: 6 Chinese characters, then …
TITLE_MIN, TITLE_MAX = 12, 40
FILTERS = ("status", "nature", "area", "unit")


@dataclass(frozen=True)
class ListData:
    rows: list[FindingRow]
    heading: str


def load_list(store: AuditStore, audit_id: str | None) -> ListData:
    rows = finding_rows(store, audit_id)
    heading = ""
    if audit_id:
        audit = store.db.execute(
            "SELECT u.name, a.period_from, a.period_to FROM audits a "
            "JOIN units u ON u.id = a.unit_id WHERE a.id = ?", [audit_id]).fetchone()
        if audit:
            heading = audit_heading(audit[0], audit[1], audit[2])
    return ListData(rows, heading)


class FindingsListScreen(AppScreen[None]):
    """You should see the filter bar, one row per finding and the totals of what is shown."""

    BINDINGS = [
        Binding("a", "add", "findings_ui.bind.add", id="findings.add"),
        Binding("o", "sort", "findings_ui.bind.sort", id="findings.sort"),
        Binding("O", "reverse", "findings_ui.bind.reverse", show=False, id="findings.reverse"),
        Binding("s", "cycle('status')", "findings_ui.bind.filter_status", id="findings.status"),
        Binding("v", "cycle('nature')", "findings_ui.bind.filter_nature", id="findings.nature"),
        Binding("e", "cycle('area')", "findings_ui.bind.filter_area", show=False,
                id="findings.area"),
        Binding("u", "cycle('unit')", "findings_ui.bind.filter_unit", show=False,
                id="findings.unit"),
        Binding("x", "clear_filters", "findings_ui.bind.clear", show=False, id="findings.clear"),
        Binding("h", "history", "findings_ui.bind.history_row", show=False,
                id="findings.history"),
        Binding("r,f5", "reload", "tui.bind.reload", show=False, id="findings.reload"),
        Binding("escape", "back", "tui.bind.back", id="findings.back"),
    ]

    def __init__(self, audit_id: str | None = None) -> None:
        super().__init__()
        self.audit_id = audit_id
        self.rows: list[FindingRow] = []
        self.shown: list[FindingRow] = []
        self.sort = "item" if audit_id else "unit"
        self.reverse = False
        self._cells: dict[str, dict[str, str]] = {}
        self._widest: dict[str, int] = {}
        self._shown_layout: list[tuple[str, int]] = []
        self._shown_key: tuple[object, ...] = ()
        self._filling = False
        self._applied: FindingFilter | None = None
        self._sorted: list[FindingRow] = []
        self._sorted_key: tuple[str, bool] | None = None

    def compose(self) -> ComposeResult:
        yield StatusHeader()
        with Horizontal(id="findings-filters"):
            yield Select([(enum_label(RectifyStatus, s), s.value) for s in RectifyStatus],
                         prompt=t("findings_ui.any_status"), id="filter-status", compact=True)
            yield Select([(enum_label(FindingNature, n), n.value) for n in FindingNature],
                         prompt=t("findings_ui.any_nature"), id="filter-nature", compact=True)
            yield Select([], prompt=t("findings_ui.any_area"), id="filter-area", compact=True)
            yield Select([], prompt=t("findings_ui.any_unit"), id="filter-unit", compact=True,
                         type_to_search=True)
        yield VirtualTable(id="findings-table", zebra_stripes=True)
        yield Label("", id="findings-totals")
        yield SteadyFooter()

    def on_mount(self) -> None:
        self.title = t("findings_ui.list_title" if self.audit_id else "findings_ui.all_title")
        self.query_one("#filter-unit").display = self.audit_id is None
        self.query_one(VirtualTable).focus()

    def _layout(self) -> list[tuple[str, int]]:
        """Columns and their widths in cells (measured with ``cell_len``, so Chinese text
        counts double): every column as wide as its widest value, the title taking what is
        left of the screen. Below 100 columns the nature column is left out (it is a filter and
        in the editor), and across all audits the item code too, so titles stay readable."""
        wide = self.size.width >= 100 or self.size.width == 0
        names = [*(["unit"] if self.audit_id is None else []),
                 *(["item"] if wide or self.audit_id else []), "title",
                 *(["nature"] if wide else []), "status", "deadline", "violation", "irregular"]
        widths = {n: max(cell_len(self._header(n)), self._widest.get(n, 0)) for n in names}
        widths["unit"] = min(widths.get("unit", 0), UNIT_WIDTH)
        others = sum(w + 2 for n, w in widths.items() if n != "title")
        room = (self.size.width or 100) - others - 2 - 2  # title padding, scrollbar
        widths["title"] = max(TITLE_MIN, min(room, TITLE_MAX))
        return [(n, widths[n]) for n in names]

    def _header(self, name: str) -> str:
        label = t(f"findings_ui.col.{name}")
        if name == self.sort:
            label += " ▲" if self.reverse else " ▼"
        return label

    def _columns(self) -> None:
        layout = self._layout()
        if (layout, self.sort, self.reverse) == self._shown_key:
            return
        self._shown_key = (layout, self.sort, self.reverse)
        self._shown_layout = layout
        self.query_one(VirtualTable).set_columns(
            Column(name, self._header(name), width,
                   "right" if name in ("violation", "irregular") else "left")
            for name, width in layout)
        self.refilter()

    def on_resize(self) -> None:
        self._columns()

    def on_screen_resume(self) -> None:
        self.load()

    def action_reload(self) -> None:
        self.load()

    @work(group="findings-load", exclusive=True, exit_on_error=False)
    async def load(self) -> None:
        data = await self.db.call(load_list, self.audit_id)
        self.rows = data.rows
        self._sorted_key = None
        self._cells = self._cells_of(data.rows)
        self._widest = self._measure()
        if data.heading:
            self.sub_title = data.heading
        self._fill_choices()
        self._shown_key = ()
        self._columns()

    @staticmethod
    def _cells_of(rows: list[FindingRow]) -> dict[str, dict[str, str]]:
        """Each finding's cells as plain strings (the table cuts them to their column and
        aligns the amount columns right). Plain strings and labels looked up once per value:
        a Rich ``Text`` per cell made 2,000 findings three times slower to build and set off
        a full garbage collection on opening the list."""
        labels: dict[tuple[type, str], str] = {}

        def label(enum: type, value: str) -> str:
            if (enum, value) not in labels:
                labels[enum, value] = enum_label(enum, value)
            return labels[enum, value]

        return {r.id: {"unit": unit_short(r.unit_name), "item": r.item_code, "title": r.title,
                       "nature": label(FindingNature, r.nature),
                       "status": label(RectifyStatus, r.rectify_status),
                       "deadline": r.deadline.isoformat() if r.deadline else "—",
                       "violation": money(r.violation_fen), "irregular": money(r.irregular_fen)}
                for r in rows}

    def _measure(self) -> dict[str, int]:
        """The widest value of each column, in cells."""
        widest: dict[str, int] = {"deadline": len("2026-11-23")}
        widest["nature"] = max(cell_len(enum_label(FindingNature, n)) for n in FindingNature)
        widest["status"] = max(cell_len(enum_label(RectifyStatus, s)) for s in RectifyStatus)
        for name in ("unit", "item", "violation", "irregular"):
            widest[name] = max((cell_len(c[name]) for c in self._cells.values()), default=0)
        return widest

    def _fill_choices(self) -> None:
        areas, units = filter_choices(self.rows)
        self._filling = True
        try:
            for name, options in (("area", [(a, a) for a in areas]),
                                  ("unit", [(unit_short(n), uid) for uid, n in units])):
                select = self.query_one(f"#filter-{name}", Select)
                keep = select.value
                select.set_options(options)
                if keep in {v for _, v in options}:
                    select.value = keep
        finally:
            self._filling = False

    # -- filtering and sorting ------------------------------------------------------------
    def current_filter(self) -> FindingFilter:
        values = {}
        for name in FILTERS:
            value = self.query_one(f"#filter-{name}", Select).value
            values[name] = value if isinstance(value, str) else None
        return FindingFilter(values["status"], values["nature"], values["area"],
                             values["unit"])

    def refilter(self) -> None:
        self._applied = self.current_filter()
        if self._sorted_key != (self.sort, self.reverse):  # filtering keeps the order
            self._sorted = sort_rows(self.rows, self.sort, self.reverse)
            self._sorted_key = (self.sort, self.reverse)
        self.shown = filter_rows(self._sorted, self._applied)
        # the table keeps the cursor on the same finding when it is still shown; rows are
        # found by their index in self.shown
        self.query_one(VirtualTable).replace_rows([self._cells[r.id] for r in self.shown],
                                                  keys=[r.id for r in self.shown])
        total = totals(self.shown)
        line = Text(t("findings_ui.totals", n=total.count, all=len(self.rows),
                      violation=money(total.violation_fen), irregular=money(total.irregular_fen)))
        label = self.query_one("#findings-totals", Label)
        # a line that still fits needs no layout of the screen (a third of a filter key's time)
        label.update(line, layout=label.size.height != 1
                     or line.cell_len > label.content_size.width)

    def selected_row(self) -> FindingRow | None:
        table = self.query_one(VirtualTable)
        if not table.row_count or not 0 <= table.cursor_row < len(self.shown):
            return None
        return self.shown[table.cursor_row]

    def selected_id(self) -> str | None:
        row = self.selected_row()
        return row.id if row else None

    @on(Select.Changed)
    def _filter_changed(self, event: Select.Changed) -> None:
        # refilling the choices also reports a change: only a different filter refills
        if (not self._filling and (event.select.id or "").startswith("filter-")
                and self.current_filter() != self._applied):
            self.refilter()

    def action_cycle(self, name: str) -> None:
        """Step a filter to its next value (after the last one: any)."""
        select = self.query_one(f"#filter-{name}", Select)
        if not select.display:
            return
        values = [v for _, v in select._options if isinstance(v, str)]  # noqa: SLF001
        current = select.value
        if not values:
            return
        if not isinstance(current, str):
            select.value = values[0]
        elif values.index(current) + 1 < len(values):
            select.value = values[values.index(current) + 1]
        else:
            select.clear()
        self._refilter_if_changed()

    def action_clear_filters(self) -> None:
        for name in FILTERS:
            self.query_one(f"#filter-{name}", Select).clear()
        self._refilter_if_changed()

    def _refilter_if_changed(self) -> None:
        """Refilter in the same frame as the key that changed a filter (the ``Select.Changed``
        that follows then finds nothing to do) rather than one frame later."""
        if self.current_filter() != self._applied:
            self.refilter()

    def action_sort(self) -> None:
        sorts = SORTS if self.audit_id is None else tuple(s for s in SORTS if s != "unit")
        self.sort = sorts[(sorts.index(self.sort) + 1) % len(sorts)] if self.sort in sorts \
            else sorts[0]
        self.reverse = False
        self._columns()

    def action_reverse(self) -> None:
        self.reverse = not self.reverse
        self._columns()

    # -- opening ------------------------------------------------------------------------------
    @on(VirtualTable.RowSelected, "#findings-table")
    def _open(self, _event: VirtualTable.RowSelected) -> None:
        row = self.selected_row()
        if row is not None:
            navigation.open_finding(self.app, row.id, row.audit_id)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "add":
            return self.audit_id is not None
        if action == "cycle" and parameters == ("unit",):
            return self.audit_id is None
        return True

    def action_add(self) -> None:
        if self.audit_id is not None:
            navigation.open_finding(self.app, None, self.audit_id)

    def action_history(self) -> None:
        row = self.selected_row()
        if row is not None:
            navigation.open_history(self.app, "findings", row.id, row.title)

    def action_back(self) -> None:
        self.app.pop_screen()
