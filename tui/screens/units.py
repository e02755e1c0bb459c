"""Units: the roster as a table, narrowed as you type and by a filter.

Search by Chinese (``精细``), pinyin initials (``dljx``), full pinyin (``dalian``) or part of
the credit code; filter to units due, never audited, audited this year, or with open
findings. The roster and its search keys are read once on the database thread; narrowing
runs in memory on every keystroke. Enter opens the unit's page; n starts an audit there.
"""

from __future__ import annotations

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from rich.cells import cell_len
from textual.widgets import Input, Label, Select

from store.i18n import t
from store.search import RosterEntry, RosterFilter, filter_roster, roster
from tui import navigation
from tui.formatting import day, unit_short
from tui.screens.base import AppScreen
from tui.widgets.header import StatusHeader
from tui.widgets.steady_footer import SteadyFooter
from tui.widgets.virtual_table import Column, VirtualTable

UNIT_WIDTH = 28  # cells: 14 Chinese characters, then …
WIDE = 96  # terminal columns from which the credit code fits beside the rest
DATE_WIDTH = cell_len("2026年11月23日")
RIGHT = ("open", "members")


class UnitsScreen(AppScreen[None]):
    BINDINGS = [
        Binding("slash", "focus_search", "tui.bind.search", id="search"),
        Binding("n", "new_audit", "tui.bind.new_audit_here", id="new_audit_here"),
        Binding("ctrl+r", "cycle_filter", "tui.bind.filter", id="filter"),
        Binding("escape", "back", "tui.bind.back", id="back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.entries: list[RosterEntry] = []
        self.shown: list[RosterEntry] = []
        self._wide: bool | None = None

    def compose(self) -> ComposeResult:
        yield StatusHeader()
        with Horizontal(id="units-controls"):
            yield Input(placeholder=t("tui.units_search_placeholder"), id="units-search",
                        compact=True)
            yield Select([(t(f"tui.filter.{f.value}"), f) for f in RosterFilter],
                         value=RosterFilter.ALL, allow_blank=False, id="units-filter",
                         compact=True)
        yield VirtualTable(id="units-table", zebra_stripes=True)
        yield Label(id="units-count")
        yield SteadyFooter()

    def on_mount(self) -> None:
        self.title = t("tui.units_title")
        # a watcher runs as the letter is typed, so the table is redrawn in the same frame as
        # the search box; Input.Changed (a message) arrived after that frame, and the table
        # followed one frame later (~35 ms to the last frame instead of ~10)
        self.watch(self.query_one("#units-search", Input), "value", self._search_typed,
                   init=False)
        self._set_columns(self.app.size.width >= WIDE)
        self.query_one("#units-count", Label).update(t("tui.loading"))
        self.load()

    def on_resize(self, event: events.Resize) -> None:
        if (event.size.width >= WIDE) != self._wide:
            self._set_columns(event.size.width >= WIDE)
            self.refilter(force=True)

    def _set_columns(self, wide: bool) -> None:
        """At 80 columns the credit code would be cut to a stub: it shows from ``WIDE`` on
        (the search still finds units by it at any width)."""
        self._wide = wide
        names = ["unit", "last_audit", "next_due", "open", "members",
                 *(["credit_code"] if wide else [])]
        fixed = {"unit": UNIT_WIDTH, "credit_code": 18, "last_audit": DATE_WIDTH,
                 "next_due": DATE_WIDTH}
        self.query_one(VirtualTable).set_columns([
            Column(name, label := t(f"tui.col.{name}"),
                   max(fixed.get(name, 0), cell_len(label), 5 if name in RIGHT else 0),
                   "right" if name in RIGHT else "left")
            for name in names])

    def on_screen_resume(self) -> None:
        if self.entries:  # back from a unit or a new audit: coverage may have changed
            self.load()

    @work(group="units-load", exclusive=True, exit_on_error=False)
    async def load(self) -> None:
        self.entries = await self.db.call(roster, self.today())
        self.refilter(force=True)

    @property
    def kind(self) -> RosterFilter:
        value = self.query_one("#units-filter", Select).value
        return value if isinstance(value, RosterFilter) else RosterFilter.ALL

    def refilter(self, force: bool = False) -> None:
        query = self.query_one("#units-search", Input).value
        shown = filter_roster(self.entries, query, self.kind, self.today())
        if not force and [e.unit.id for e in shown] == [e.unit.id for e in self.shown]:
            return  # another letter that finds the same units: nothing to redraw
        self.shown = shown
        never, due, not_managed = t("tui.never_audited"), t("tui.due_now"), t("tui.not_managed")
        rows = []
        for e in self.shown:
            c = e.coverage
            rows.append({"unit": unit_short(e.unit.name), "last_audit": day(c.last_audit, never),
                         "next_due": day(c.next_due, due) if c.directly_managed else not_managed,
                         "open": str(c.open_findings or ""), "members": str(e.unit.member_count),
                         "credit_code": e.unit.credit_code})
        self.query_one(VirtualTable).replace_rows(rows, keys=[e.unit.id for e in self.shown])
        self.query_one("#units-count", Label).update(
            t("tui.units_count_of", n=len(self.shown), total=len(self.entries)))

    def _search_typed(self, _value: str) -> None:
        self.refilter()

    @on(Select.Changed, "#units-filter")
    def _narrow(self) -> None:
        self.refilter()

    @on(Input.Submitted, "#units-search")
    def _to_table(self) -> None:
        self.query_one(VirtualTable).focus()

    @on(VirtualTable.RowSelected, "#units-table")
    def _open(self, event: VirtualTable.RowSelected) -> None:
        if 0 <= event.cursor_row < len(self.shown):
            navigation.open_unit(self.app, self.shown[event.cursor_row].unit.id or "")

    def _current_unit(self) -> str | None:
        table = self.query_one(VirtualTable)
        if not self.shown or not 0 <= table.cursor_row < len(self.shown):
            return None
        return self.shown[table.cursor_row].unit.id

    def action_focus_search(self) -> None:
        self.query_one("#units-search", Input).focus()

    def action_new_audit(self) -> None:
        navigation.open_new_audit(self.app, self._current_unit())

    def action_cycle_filter(self) -> None:
        select = self.query_one("#units-filter", Select)
        kinds = list(RosterFilter)
        select.value = kinds[(kinds.index(self.kind) + 1) % len(kinds)]

    def action_back(self) -> None:
        self.app.pop_screen()
