"""The roster as a table (the first screen until the full TUI lands)."""

from __future__ import annotations

from pathlib import Path

from textual import work
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header

from store.db import AuditStore
from store.i18n import t
from store.money import format_fen
from store.units import list_units


class UnitsScreen(Screen):
    BINDINGS = [("q", "app.quit", t("tui.quit"))]

    def __init__(self, db_path: Path) -> None:
        super().__init__()
        self.db_path = db_path

    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable(id="units", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns(t("fields.name"), t("fields.enterprise"), t("fields.credit_code"),
                          t("fields.member_count"), t("fields.payroll_fen"))
        self.load_units()

    @work(thread=True, exit_on_error=False, group="db")
    def load_units(self) -> None:
        with AuditStore.open(self.db_path) as store:
            units = list_units(store)
        rows = [(u.name, u.enterprise, u.credit_code, str(u.member_count),
                 format_fen(u.payroll_fen)) for u in units]
        self.app.call_from_thread(self._show, rows)

    def _show(self, rows: list[tuple[str, ...]]) -> None:
        table = self.query_one(DataTable)
        table.add_rows(rows)
        self.sub_title = t("tui.units_count", n=len(rows))
