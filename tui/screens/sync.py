"""Sync: merge another database file into this one, or this one into it, with a dry run first.

At the office the team leader picks a laptop's file and merges it into the master ("that file
into this database"); before an auditor goes back out, the master is merged into the laptop's
file ("this database into that file"). The same rules hold both ways (``store.sync``).
``/`` types a path, ``p`` previews (a dry run: the same report, nothing written), ``a`` merges, ``c`` opens the
Conflicts view, ``o`` browses for the file. The merge runs on the database thread, never on
the UI thread. A refused sync shows its one-line reason and changes neither file. The table
of receipts lists every sync this database took part in.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Input, Label, Select

from store.dates import iso_local_time
from store.db import AuditStore
from store.errors import FieldAuditError
from store.i18n import t
from store.sync import SyncReport, list_conflicts, list_receipts, sync_files, sync_into
from store.sync.errors import one_line
from store.sync.receipts import Receipt
from store.validation import table_label
from tui.formatting import cell
from tui.messages import DataChanged
from tui.screens.base import AppScreen
from tui.widgets.header import StatusHeader
from tui.widgets.steady_footer import SteadyFooter


class Direction(StrEnum):
    INTO_THIS = "into_this"
    """The chosen file is merged into the open database (a laptop's work comes in)."""
    INTO_FILE = "into_file"
    """The open database is merged into the chosen file (a laptop is refreshed)."""


def run_sync(store: AuditStore, path: Path, direction: Direction, dry_run: bool) -> SyncReport:
    """One sync on the database thread (``store`` is the app's open database)."""
    if direction is Direction.INTO_THIS:
        return sync_into(store, path, dry_run=dry_run)
    return sync_files(store.path, path, dry_run=dry_run)


@dataclass(frozen=True)
class SyncOverview:
    receipts: list[Receipt]
    open_conflicts: int


def read_overview(store: AuditStore) -> SyncOverview:
    return SyncOverview(list_receipts(store, limit=50), len(list_conflicts(store)))


class SyncScreen(AppScreen[None]):
    BINDINGS = [
        Binding("o", "pick", "sync.bind.pick", id="sync_pick"),
        Binding("slash", "focus_path", "sync.bind.focus_path", id="sync_focus_path"),
        Binding("p", "preview", "sync.bind.preview", id="sync_preview"),
        Binding("a", "apply", "sync.bind.apply", id="sync_apply"),
        Binding("c", "conflicts", "sync.bind.conflicts", id="sync_conflicts"),
        Binding("escape", "back", "sync.bind.back", id="sync_back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.last_report: SyncReport | None = None
        self._report_for: tuple[Path | None, Direction] | None = None
        """The path and direction of the run whose result is shown."""
        self.last_error: str = ""

    def compose(self) -> ComposeResult:
        yield StatusHeader()
        with Vertical(id="sync-form"):
            yield Input(placeholder=t("sync.path_placeholder"), id="sync-path", compact=True)
            yield Select([(t(f"sync.direction.{d.value}"), d) for d in Direction],
                         value=Direction.INTO_THIS, allow_blank=False, id="sync-direction",
                         compact=True)
        yield Label("", id="sync-summary")
        yield Label("", id="sync-route")
        with Horizontal(id="sync-body"):
            with Vertical(id="sync-tables-box"):
                yield Label(t("sync.tables_title"), classes="sync-caption")
                yield DataTable(id="sync-tables", cursor_type="row", zebra_stripes=True)
            with Vertical(id="sync-receipts-box"):
                yield Label(t("sync.receipts_title"), classes="sync-caption")
                yield DataTable(id="sync-receipts", cursor_type="row", zebra_stripes=True)
        yield Label("", id="sync-conflicts-line")
        yield SteadyFooter()

    def on_mount(self) -> None:
        self.title = t("sync.screen_title")
        tables = self.query_one("#sync-tables", DataTable)
        for name in ("table", "added", "updated", "fields"):
            tables.add_column(t(f"sync.col.{name}"), key=name)
        receipts = self.query_one("#sync-receipts", DataTable)
        for name in ("at", "direction", "peer", "applied", "changes", "conflicts"):
            receipts.add_column(t(f"sync.col.{name}"), key=name)
        self.query_one("#sync-receipts", DataTable).focus()
        self.load()

    def on_screen_resume(self) -> None:
        self.load()

    # -- reading ----------------------------------------------------------------------------
    @work(group="sync-load", exclusive=True, exit_on_error=False)
    async def load(self) -> None:
        overview = await self.db.call(read_overview)
        table = self.query_one("#sync-receipts", DataTable)
        table.clear()
        for r in overview.receipts:
            table.add_row(iso_local_time(r.at), t(f"sync.receipt_dir.{r.direction}"),
                          r.peer_name, cell(str(r.applied), right=True),
                          cell(str(r.changes), right=True), cell(str(r.conflicts), right=True),
                          key=r.id)
        self.query_one("#sync-conflicts-line", Label).update(
            t("sync.open_conflicts", n=overview.open_conflicts) if overview.open_conflicts
            else t("sync.no_open_conflicts"))

    # -- the choices ------------------------------------------------------------------------
    @property
    def direction(self) -> Direction:
        value = self.query_one("#sync-direction", Select).value
        return value if isinstance(value, Direction) else Direction.INTO_THIS

    def chosen_path(self) -> Path | None:
        text = self.query_one("#sync-path", Input).value.strip()
        return Path(text).expanduser() if text else None

    def action_pick(self) -> None:
        from tui.screens.sync_picker import SyncFilePicker

        current = self.chosen_path()
        start = current.parent if current is not None else Path(self.db.path).resolve().parent
        self.app.push_screen(SyncFilePicker(start, str(current or "")), self._picked)

    def _picked(self, path: Path | None) -> None:
        if path is not None:
            self.query_one("#sync-path", Input).value = str(path)
            self.action_preview()

    def action_focus_path(self) -> None:
        self.query_one("#sync-path", Input).focus()

    @on(Input.Submitted, "#sync-path")
    def _submitted(self) -> None:
        self.query_one("#sync-tables", DataTable).focus()  # letters are keys again
        self.action_preview()

    @on(Select.Changed, "#sync-direction")
    @on(Input.Changed, "#sync-path")
    def _changed(self) -> None:
        """A different file or direction: the shown preview no longer applies.

        (Setting the path from the picker also lands here, possibly after its preview has
        finished: a report for the path and direction now chosen is kept.)"""
        if self._report_for != (self.chosen_path(), self.direction):
            self.last_report = None

    # -- running ----------------------------------------------------------------------------
    def action_preview(self) -> None:
        self._start(dry_run=True)

    def action_apply(self) -> None:
        self._start(dry_run=False)

    def _start(self, *, dry_run: bool) -> None:
        path = self.chosen_path()
        if path is None:
            self._show_error(t("sync.no_path"))
            return
        self.query_one("#sync-summary", Label).update(
            t("sync.previewing") if dry_run else t("sync.working"))
        self._report_for = (path, self.direction)
        self.run_sync(path, self.direction, dry_run)

    @work(group="sync-run", exit_on_error=False)
    async def run_sync(self, path: Path, direction: Direction, dry_run: bool) -> None:
        try:
            report = await self.db.call(run_sync, path, direction, dry_run)
        except FieldAuditError as err:
            self._show_error(err.message())
            self.app.report_error(err)  # type: ignore[attr-defined]
            return
        self.last_error = ""
        self._show_report(report)
        if not dry_run:
            self.post_message(DataChanged("sync"))
            self.notify(t("sync.applied_notice", applied=report.applied,
                          conflicts=len(report.conflicts)))
            self.load()

    def _show_error(self, message: str) -> None:
        self.last_error = one_line(message)
        self.last_report = None
        self.query_one("#sync-summary", Label).update(
            t("sync.refused_line", reason=self.last_error))
        self.query_one("#sync-route", Label).update("")
        self.query_one("#sync-tables", DataTable).clear()

    def _show_report(self, report: SyncReport) -> None:
        self.last_report = report
        key = "sync.preview_result" if report.dry_run else "sync.applied_result"
        self.query_one("#sync-summary", Label).update(t(
            key, applied=report.applied, changes=report.changes, blobs=report.blobs,
            conflicts=len(report.conflicts)))
        self.query_one("#sync-route", Label).update(t(
            "sync.from_to", source=Path(report.source).name,
            source_device=report.source_device.device_name, target=Path(report.target).name,
            target_device=report.target_device.device_name))
        table = self.query_one("#sync-tables", DataTable)
        table.clear()
        for name, counts in sorted(report.tables.items()):
            table.add_row(table_label(name), cell(str(counts.added), right=True),
                          cell(str(counts.updated), right=True),
                          cell(str(counts.fields), right=True), key=name)

    def action_conflicts(self) -> None:
        from tui.screens.conflicts import ConflictsScreen

        self.app.push_screen(ConflictsScreen())

    def action_back(self) -> None:
        self.app.pop_screen()
