"""Help (F1 or ?): every key of the screen the user was on, then the app-wide keys.

The list is generated from the bindings (``tui.keys.key_help``), so it cannot drift from what
the keys do; the app passes it in when it opens the dialog.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Label

from store.i18n import t
from tui.keys import KeyHelp
from tui.screens.base import AppModal


class HelpScreen(AppModal[None]):
    BINDINGS = [
        Binding("escape,f1,q", "close", "tui.bind.close"),
    ]

    def __init__(self, screen_title: str, lines: list[KeyHelp]) -> None:
        super().__init__()
        self.screen_title = screen_title
        self.lines = lines

    def compose(self) -> ComposeResult:
        with Vertical(id="help-dialog"):
            yield Label(t("tui.help_title", screen=self.screen_title), id="help-title")
            yield DataTable(id="help-keys", cursor_type="row", zebra_stripes=True)
            yield Label(t("tui.help_footer"), id="help-footer")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column(t("tui.help_col_keys"), key="keys")
        table.add_column(t("tui.help_col_action"), key="action")
        table.add_column(t("tui.help_col_scope"), key="scope")
        for line in self.lines:
            table.add_row(line.keys, line.description, t(f"tui.help_scope.{line.scope}"))

    def action_close(self) -> None:
        self.dismiss(None)
