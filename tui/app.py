"""The Textual application: a thin shell that owns the settings and pushes screens."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import App

from tui.screens.units import UnitsScreen

if TYPE_CHECKING:
    from tui.cli import Settings


class FieldAuditApp(App[int]):
    CSS_PATH = "app.tcss"
    TITLE = "fieldaudit"

    def __init__(self, settings: Settings) -> None:
        super().__init__()
        self.settings = settings

    def on_mount(self) -> None:
        self.push_screen(UnitsScreen(self.settings.db_path))
