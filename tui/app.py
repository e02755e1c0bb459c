"""The Textual application: a thin shell around the screens.

It owns the settings, the database thread and the header's status; it decides the first
screen (first run, home, or the audit the user left off at), holds the global keys and the
command palette, and turns every error a user can cause into a plain-language notice.
Behaviour lives in the screens (``tui/screens``).
"""

from __future__ import annotations

import gc
import sqlite3
import time
from datetime import date
from typing import TYPE_CHECKING

from textual import events, work
from textual.app import App
from textual.binding import Binding
from textual.command import CommandPalette
from textual.reactive import reactive
from textual.worker import Worker, WorkerState

from store.errors import FieldAuditError
from store.i18n import current_language, set_language, t
from tui.commands import FieldAuditCommands
from tui.db import DbThread
from tui.idle_gc import IdleCollector
from tui.keys import key_help, localize_bindings
from tui.messages import DataChanged
from tui.startup import read_startup, read_status
from tui.widgets.header import ShellStatus

if TYPE_CHECKING:
    from tui.cli import Settings

CHORD_SECONDS = 1.5
#: Second key after ``g`` → the place it goes to (``action_go_<place>``).
CHORDS = {"h": "home", "u": "units", "p": "plan", "c": "coverage", "l": "ledger",
          "s": "stats", "y": "sync"}


class FieldAuditApp(App[int]):
    CSS_PATH = ["app.tcss", "office.tcss", "workspace.tcss", "findings.tcss",
                "documents.tcss", "sync.tcss"]
    TITLE = "fieldaudit"
    COMMANDS = {FieldAuditCommands}
    BINDINGS = [
        Binding("f1,question_mark", "help", "tui.bind.help", id="help"),
        Binding("g", "chord", "tui.bind.go", id="go", key_display="g h/u/p/c/l/s"),
        *(Binding(key, f"chord_go('{place}')", f"tui.bind.go_{place}", show=False,
                  priority=True) for key, place in CHORDS.items()),
        Binding("q", "quit", "tui.bind.quit", id="quit"),
    ]

    shell_status: reactive[ShellStatus | None] = reactive(None, repaint=False)  # header watches it

    def __init__(self, settings: Settings) -> None:
        set_language(settings.lang)
        super().__init__()
        self.settings = settings
        self.db = DbThread(settings.db_path)
        self.idle_gc = IdleCollector()
        self._chord_until = 0.0
        localize_bindings(self)

    def today(self) -> date:
        return self.settings.today or date.today()

    # -- start and stop -----------------------------------------------------------------
    def on_mount(self) -> None:
        self.start()

    @work(group="startup", exit_on_error=False)
    async def start(self) -> None:
        from tui.screens.home import HomeScreen

        info = await self.db.call(read_startup)
        self.shell_status = info.status
        if info.auditor_id is None:
            from tui.screens.first_run import FirstRunScreen

            await self.push_screen(FirstRunScreen(), callback=self._after_first_run)
            return
        await self.push_screen(HomeScreen())
        gc.freeze()  # see on_unmount
        self.idle_gc.start(self)
        if self.settings.resume and info.last_audit:
            from tui.navigation import open_workspace

            open_workspace(self, info.last_audit, info.last_item)

    async def _after_first_run(self, _auditor_id: str | None) -> None:
        from tui.screens.home import HomeScreen

        self.shell_status = await self.db.call(read_status)
        self.refresh_bindings()
        await self.push_screen(HomeScreen())
        self.idle_gc.start(self)

    def on_unmount(self) -> None:
        # The modules, styles and Home screen live as long as the app: frozen out of the
        # garbage collector's full passes after start-up, which otherwise paused a key press
        # for 75-200 ms every few screens opened (measured on the finding editor). Given back
        # here so that an app run inside a longer process (the tests) leaves nothing behind.
        gc.unfreeze()
        self.idle_gc.stop()
        self.db.close()

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key | events.MouseDown):
            self.idle_gc.input_seen()  # full garbage-collection passes wait for a pause
        await super().on_event(event)

    # -- the header's status --------------------------------------------------------------
    def on_data_changed(self, message: DataChanged) -> None:
        if message.status is not None:
            self.shell_status = message.status
        else:
            self.refresh_status()

    @work(group="status", exit_on_error=False)
    async def refresh_status(self) -> None:
        self.shell_status = await self.db.call(read_status)

    # -- errors ---------------------------------------------------------------------------
    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR and event.worker.error is not None:
            self.report_error(event.worker.error)

    def report_error(self, error: BaseException) -> None:
        """Show an error in plain language; only unexpected ones go to the log in full."""
        if isinstance(error, FieldAuditError):
            message = error.message()
        elif isinstance(error, sqlite3.OperationalError):
            message = t("cli.sqlite_error", detail=str(error))
        elif isinstance(error, OSError):
            message = t("cli.os_error", detail=f"{error.strerror}: {error.filename}")
        else:
            self.log.error(error)
            message = t("tui.unexpected_error", detail=f"{type(error).__name__}: {error}")
        self.notify(message, title=t("tui.error_title"), severity="error", timeout=8)

    # -- global actions -------------------------------------------------------------------
    def action_help(self) -> None:
        from tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen.title or "", key_help(self.screen)))

    def action_command_palette(self) -> None:
        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(CommandPalette(id="--command-palette",
                                            placeholder=t("tui.palette_placeholder")))

    def action_chord(self) -> None:
        self._chord_until = time.monotonic() + CHORD_SECONDS
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "chord_go":  # only just after g
            return time.monotonic() < self._chord_until
        if action == "chord" or action.startswith("go_") or action in (
                "new_audit", "findings_all", "toggle_language"):
            return self.ready()  # nothing to go to before someone signs in
        return True

    def ready(self) -> bool:
        """Whether someone is signed in (before that, only the first-run screen works)."""
        return bool(self.shell_status and self.shell_status.auditor_name)

    async def action_chord_go(self, place: str) -> None:
        self._chord_until = 0.0
        await self.run_action(f"go_{place}")

    def action_go_home(self) -> None:
        from tui.navigation import back_to
        from tui.screens.home import HomeScreen

        back_to(self, HomeScreen, HomeScreen)

    def action_go_units(self) -> None:
        from tui.navigation import back_to
        from tui.screens.home import HomeScreen
        from tui.screens.units import UnitsScreen

        if any(isinstance(s, UnitsScreen) for s in self.screen_stack):
            back_to(self, UnitsScreen)
        elif back_to(self, HomeScreen):
            self.push_screen(UnitsScreen())

    def _go_office(self, screen_type: type) -> None:
        """Show an office screen: the one already open, or a new one above Home."""
        from tui.navigation import back_to
        from tui.screens.home import HomeScreen

        if any(isinstance(s, screen_type) for s in self.screen_stack):
            back_to(self, screen_type)
        elif back_to(self, HomeScreen):
            self.push_screen(screen_type())

    def action_go_plan(self) -> None:
        from tui.screens.office_plan import OfficePlanScreen

        self._go_office(OfficePlanScreen)

    def action_go_coverage(self) -> None:
        from tui.screens.office_coverage import OfficeCoverageScreen

        self._go_office(OfficeCoverageScreen)

    def action_go_ledger(self) -> None:
        from tui.screens.office_ledger import OfficeLedgerScreen

        self._go_office(OfficeLedgerScreen)

    def action_go_stats(self) -> None:
        from tui.screens.office_stats import OfficeStatsScreen

        self._go_office(OfficeStatsScreen)

    def action_go_sync(self) -> None:
        try:
            from tui.screens.sync import SyncScreen
        except ImportError:  # the Sync screen is being written (issue 4)
            self.notify(t("tui.screen_not_ready"), severity="warning")
            return
        self._go_office(SyncScreen)

    def action_new_audit(self) -> None:
        from tui.navigation import open_new_audit

        open_new_audit(self)

    def action_findings_all(self) -> None:
        from tui.navigation import open_findings

        open_findings(self, None)

    def action_toggle_language(self) -> None:
        from tui.navigation import reset_to
        from tui.screens.home import HomeScreen

        previous = current_language()
        set_language("en" if previous == "zh" else "zh")
        if reset_to(self, HomeScreen()):
            localize_bindings(self)
            self.refresh_bindings()
            self.notify(t("tui.language_switched"))
        else:
            set_language(previous)
