"""The command palette (ctrl+p): every action the user can take, by name.

Two sources: the app-wide commands below ("audit: new", "units: show" …), and the key
bindings of the screen the palette was opened from, so each screen's actions are in the
palette without listing them twice. Names read "area: verb" in English and are shown in the
user's language; a query matches either form, so ``audit new`` works in the Chinese UI too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from store.i18n import t
from tui.keys import key_help


@dataclass(frozen=True)
class PaletteCommand:
    """One app-wide palette entry."""

    name: str
    """Stable English "area: verb" name, matched by queries in any language."""
    key: str
    """Catalogue key of the shown name; its ``_help`` sibling explains it."""
    action: str
    """Action run on the app."""


COMMANDS = (
    PaletteCommand("home: show", "tui.cmd.home", "go_home"),
    PaletteCommand("units: show", "tui.cmd.units", "go_units"),
    PaletteCommand("audit: new", "tui.cmd.audit_new", "new_audit"),
    PaletteCommand("findings: all", "tui.cmd.findings_all", "findings_all"),
    PaletteCommand("office: plan", "tui.cmd.plan", "go_plan"),
    PaletteCommand("office: coverage", "tui.cmd.coverage", "go_coverage"),
    PaletteCommand("office: ledger", "tui.cmd.ledger", "go_ledger"),
    PaletteCommand("office: statistics", "tui.cmd.stats", "go_stats"),
    PaletteCommand("sync: files", "tui.cmd.sync", "go_sync"),
    PaletteCommand("help", "tui.cmd.help", "help"),
    PaletteCommand("language: toggle", "tui.cmd.language", "toggle_language"),
    PaletteCommand("app: quit", "tui.cmd.quit", "quit"),
)


class FieldAuditCommands(Provider):
    """App commands, then the current screen's own keys as "<screen>: <action>"."""

    def _entries(self) -> Iterator[tuple[str, str, str, Callable[[], object]]]:
        """(shown name, English name, help, callback) for every available command."""
        app = self.app
        for command in COMMANDS:
            if app.check_action(command.action, ()):
                yield (t(command.key), command.name, t(f"{command.key}_help"),
                       partial(app.run_action, command.action))
        screen = self.screen
        area = screen.title or type(screen).__name__
        app_names = {t(c.key) for c in COMMANDS}
        for line in key_help(screen):
            if line.scope == "app" or line.action.startswith("app.") \
                    or line.description in app_names:
                continue
            yield (t("tui.cmd.screen_entry", area=area, action=line.description),
                   line.english, t("tui.cmd.key_hint", keys=line.keys),
                   partial(app.run_action, line.action, line.node))

    async def discover(self) -> Hits:
        for shown, _name, help_text, callback in self._entries():
            yield DiscoveryHit(shown, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for shown, name, help_text, callback in self._entries():
            score = max(matcher.match(shown), matcher.match(name))
            if score > 0:
                yield Hit(score, matcher.highlight(shown), callback, text=shown, help=help_text)
