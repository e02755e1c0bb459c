"""The one-line header every screen shows: where you are, who you are, what is unsynced.

It reads :attr:`FieldAuditApp.shell_status` (kept current by the app after every write, see
:class:`tui.messages.DataChanged`) and the screen's title; it never queries the database.
Compose it first in every screen: ``yield StatusHeader()``.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.cells import cell_len

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Label

from store.i18n import t


@dataclass(frozen=True)
class ShellStatus:
    """What the header shows besides the screen title."""

    auditor_name: str
    db_name: str
    unsynced: int


class StatusHeader(Horizontal):
    """Title on the left; auditor, database file and unsynced count on the right."""

    DEFAULT_CSS = """
    StatusHeader {
        dock: top;
        height: 1;
        background: $panel;
        color: $foreground;
    }
    StatusHeader #header-title {
        width: 1fr;
        text-style: bold;
        text-wrap: nowrap;
        text-overflow: ellipsis;
        padding: 0 1;
    }
    StatusHeader #header-status {
        width: auto;
        max-width: 85%;
        text-wrap: nowrap;
        text-overflow: ellipsis;
        padding: 0 1;
    }
    StatusHeader #header-status.-unsynced {
        color: $warning;
    }
    """

    def compose(self) -> ComposeResult:
        yield Label(id="header-title")
        yield Label(id="header-status")

    def on_mount(self) -> None:
        self.watch(self.screen, "title", self._show_title)
        self.watch(self.screen, "sub_title", self._show_title)
        self.watch(self.app, "shell_status", self._show_status)

    def _show_title(self, _value: object = None) -> None:
        parts = [self.screen.title or t("tui.app_name"), self.screen.sub_title or ""]
        self.query_one("#header-title", Label).update(" · ".join(p for p in parts if p))

    def catch_up(self) -> None:
        """Show the status that changed while this header's screen was covered."""
        self._show_status(self.app.shell_status)  # type: ignore[attr-defined]

    def fill_ahead(self) -> None:
        """Show the current status on a screen built ahead and not shown yet, so that its
        first layout already has the header's final width: filled as it is shown, the
        header's labels changed size in that layout, and Textual laid the screen out and drew
        it a second time (~25 ms more on the finding editor's first opening)."""
        self._paint_status(self.app.shell_status)  # type: ignore[attr-defined]
        self._show_title()

    def _show_status(self, status: ShellStatus | None) -> None:
        if self.screen is not self.app.screen:
            # A covered screen's header is brought up to date when its screen is shown again
            # (AppScreen). Updated now, Textual repainted the covered screen and then the whole
            # screen on top: one more full frame for every answer typed.
            return
        self._paint_status(status)

    def _paint_status(self, status: ShellStatus | None) -> None:
        label = self.query_one("#header-status", Label)
        if status is None:
            label.update("")
            return
        text = t("tui.header_status", auditor=status.auditor_name or t("tui.no_auditor"),
                 db=status.db_name, n=status.unsynced)
        if text == str(label.content) and label.has_class("-unsynced") == (status.unsynced > 0):
            return  # unchanged (a screen shown again): a repaint now is one more late frame
        # width auto: the header is laid out again only when the text's width changes (a
        # layout of the screen per answer typed was one more frame)
        label.update(text, layout=cell_len(text) != cell_len(str(label.content)))
        label.set_class(status.unsynced > 0, "-unsynced")
