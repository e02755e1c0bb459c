"""Conflicts: the values that lost a sync, side by side with the values kept, per field.

Two devices changed the same field without seeing each other's edit; the merge kept the newer
one everywhere and recorded the other here (``store.sync.conflicts``). The team leader keeps
the current value (``k``) or swaps to the other one (``s``); either choice is a change that
merges into every other file like any edit. An edit made on one laptop to a record deleted on
another appears with the value "deleted"; swapping restores the record with that edit.
``r`` shows resolved conflicts too.
"""

from __future__ import annotations

import json
from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Label

from store.dates import stamp_local_time
from store.db import AuditStore
from store.devices import current_auditor_id
from store.errors import FieldAuditError
from store.i18n import t
from store.history import record_label
from store.sync import Conflict, list_conflicts, resolve_conflict
from store.validation import field_label, table_label
from tui.formatting import cell
from tui.messages import DataChanged
from tui.screens.base import AppScreen
from tui.widgets.header import StatusHeader
from tui.widgets.steady_footer import SteadyFooter

VALUE_WIDTH = 24
RECORD_WIDTH = 26


def show_value(conflict: Conflict, value: Any, *, kept: bool) -> str:
    if conflict.kind == "deleted":
        if kept:
            return t("sync.deleted_value")
        fields = ", ".join(f"{k}={_text(v)}" for k, v in (value or {}).items())
        return t("sync.edit_after_delete", fields=fields)
    return _text(value)


def _text(value: Any) -> str:
    if value is None:
        return "—"
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def labelled_conflicts(store: AuditStore, include_resolved: bool
                       ) -> list[tuple[Conflict, str]]:
    """The conflicts with a name a user recognises for each record (database thread)."""
    return [(c, record_label(store, c.table, c.record_id))
            for c in list_conflicts(store, include_resolved=include_resolved)]


def resolve_as_current(store: AuditStore, conflict_id: str, keep: str) -> None:
    resolve_conflict(store, current_auditor_id(store), conflict_id, keep)  # type: ignore[arg-type]


class ConflictsScreen(AppScreen[None]):
    BINDINGS = [
        Binding("k", "resolve('kept')", "sync.bind.keep", id="conflict_keep"),
        Binding("s", "resolve('other')", "sync.bind.swap", id="conflict_swap"),
        Binding("r", "toggle_resolved", "sync.bind.show_resolved", id="conflict_resolved"),
        Binding("escape", "back", "sync.bind.back", id="conflict_back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.conflicts: list[Conflict] = []
        self.include_resolved = False

    def compose(self) -> ComposeResult:
        yield StatusHeader()
        yield DataTable(id="conflicts-table", cursor_type="row", zebra_stripes=True)
        yield Label("", id="conflicts-count")
        yield SteadyFooter()

    def on_mount(self) -> None:
        self.title = t("sync.conflicts_title")
        table = self.query_one(DataTable)
        for name in ("table", "record", "field"):
            table.add_column(t(f"sync.col.{name}"), key=name,
                             width=RECORD_WIDTH if name == "record" else None)
        for name in ("kept", "kept_by", "other", "other_by", "resolution"):
            table.add_column(t(f"sync.col.{name}"), key=name,
                             width=VALUE_WIDTH if name in ("kept", "other") else None)
        table.focus()
        self.load()

    @work(group="conflicts-load", exclusive=True, exit_on_error=False)
    async def load(self) -> None:
        labelled = await self.db.call(labelled_conflicts, self.include_resolved)
        self.conflicts = [c for c, _label in labelled]
        table = self.query_one(DataTable)
        row = table.cursor_row
        table.clear()
        for c, label in labelled:
            table.add_row(
                table_label(c.table), cell(label), field_label(c.field),
                cell(show_value(c, c.kept.value, kept=True)), self._author(c.kept),
                cell(show_value(c, c.other.value, kept=False)), self._author(c.other),
                t(f"sync.resolution.{c.resolution}") if c.resolution else "", key=c.id)
        if self.conflicts:
            table.move_cursor(row=min(max(row, 0), len(self.conflicts) - 1))
        key = "sync.conflicts_count_all" if self.include_resolved else "sync.conflicts_count"
        self.query_one("#conflicts-count", Label).update(t(key, n=len(self.conflicts)))

    @staticmethod
    def _author(side: Any) -> str:
        return t("sync.author", auditor=side.auditor_name or "—", device=side.device_name,
                 time=stamp_local_time(side.stamp))

    def current(self) -> Conflict | None:
        table = self.query_one(DataTable)
        if not self.conflicts or table.cursor_row < 0:
            return None
        return self.conflicts[min(table.cursor_row, len(self.conflicts) - 1)]

    def action_resolve(self, keep: str) -> None:
        conflict = self.current()
        if conflict is not None:
            self.resolve(conflict.id, keep)

    @work(group="conflicts-write", exit_on_error=False)
    async def resolve(self, conflict_id: str, keep: str) -> None:
        try:
            await self.db.call(resolve_as_current, conflict_id, keep)
        except FieldAuditError as err:
            self.app.report_error(err)  # type: ignore[attr-defined]
            return
        self.notify(t("sync.conflict_kept" if keep == "kept" else "sync.conflict_swapped"))
        self.post_message(DataChanged("conflicts"))
        self.load()

    def action_toggle_resolved(self) -> None:
        self.include_resolved = not self.include_resolved
        self.load()

    def action_back(self) -> None:
        self.app.pop_screen()
