"""Who changed what and when on one record: the change log as an audit trail.

One row per changed field, newest first: local time, auditor, device, the field's label, the
old and the new value (money in yuan, dates as 公文 dates, auditors by name). The creation of the
record lists the fields it was created with. Long texts are cut in the table; the highlighted
change is shown in full underneath.
"""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Label, Static

from store.findings_view import HistoryLine, history_lines
from store.i18n import t
from tui.formatting import cell
from tui.screens.base import AppScreen
from tui.widgets.header import StatusHeader
from tui.widgets.steady_footer import SteadyFooter

FIXED = {"when": 16, "auditor": 8, "device": 12, "field": 14}  # cells
VALUE_MIN = 10


def layout(width: int) -> list[tuple[str, int]]:
    """Columns for a screen ``width`` cells wide: old and new share what the others leave
    (the device is left out below 100 columns; the detail line under the table names it)."""
    names = ["when", "auditor", *(["device"] if width >= 100 else []), "field"]
    used = sum(FIXED[n] + 2 for n in names) + 2 * 2 + 2  # value padding, scrollbar
    value = max(VALUE_MIN, (width - used) // 2)
    return [(n, FIXED[n]) for n in names] + [("old", value), ("new", value)]


class HistoryScreen(AppScreen[None]):
    """You should see the record's title, its changes newest first, and the highlighted one
    in full."""

    BINDINGS = [
        Binding("escape", "back", "tui.bind.back", id="history.back"),
        Binding("r,f5", "reload", "tui.bind.reload", show=False, id="history.reload"),
    ]

    def __init__(self, table: str, record_id: str, title: str = "") -> None:
        super().__init__()
        self.table_name = table
        self.record_id = record_id
        self.record_title = title
        self.lines: list[HistoryLine] = []

    def compose(self) -> ComposeResult:
        yield StatusHeader()
        yield Label("", id="history-count", classes="section-title")
        yield DataTable(id="history-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="history-detail")
        yield SteadyFooter()

    def on_mount(self) -> None:
        self.title = t("findings_ui.history_title")
        self.sub_title = self.record_title
        self._columns: list[tuple[str, int]] = []
        self.query_one(DataTable).focus()
        self.load()

    def on_resize(self) -> None:
        if self._columns and layout(self.size.width) != self._columns:
            self._fill()

    def action_reload(self) -> None:
        self.load()

    @work(group="history-load", exclusive=True, exit_on_error=False)
    async def load(self) -> None:
        lines = await self.db.call(history_lines, self.table_name, self.record_id)
        self.lines = lines
        self.query_one("#history-count", Label).update(
            t("findings_ui.history_count", n=len(lines)))
        self._fill()

    def _fill(self) -> None:
        table = self.query_one(DataTable)
        self._columns = layout(self.size.width)
        table.clear(columns=True)
        for name, width in self._columns:
            table.add_column(t(f"findings_ui.history_col.{name}"), key=name, width=width)
        table.add_rows([[cell(getattr(line, name)) for name, _ in self._columns]
                        for line in self.lines])
        self._detail()

    @on(DataTable.RowHighlighted)
    def _highlighted(self, _event: DataTable.RowHighlighted) -> None:
        self._detail()

    def _detail(self) -> None:
        table = self.query_one(DataTable)
        detail = self.query_one("#history-detail", Static)
        if not self.lines or not 0 <= table.cursor_row < len(self.lines):
            detail.update(t("findings_ui.history_empty") if not self.lines else "")
            return
        line = self.lines[table.cursor_row]
        key = "findings_ui.history_created" if line.created else "findings_ui.history_detail"
        detail.update(Text(t(key, field=line.field, old=line.old,
                        new=line.new, who=line.auditor, device=line.device, when=line.when)))

    def action_back(self) -> None:
        self.app.pop_screen()
