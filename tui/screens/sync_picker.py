"""A small modal to choose the database file to sync with: a directory tree or a typed path.

The tree shows folders and SQLite-looking files (``.db``, ``.sqlite``, ``.sqlite3``,
``.fieldaudit``); a path typed into the input may name any file. Enter on a file in the tree,
or Enter in the input, dismisses with the chosen path; Esc dismisses with ``None``.
Whether the file really is a fieldaudit database of this county is for the sync's own checks
to say (one line), not for the picker.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DirectoryTree, Input, Label

from store.i18n import t
from tui.screens.base import AppModal
from tui.widgets.steady_footer import SteadyFooter

DB_SUFFIXES = frozenset({".db", ".sqlite", ".sqlite3", ".fieldaudit"})


class DatabaseTree(DirectoryTree):
    """A directory tree that lists folders and database files only (no hidden entries)."""

    def filter_paths(self, paths: Iterable[Path]) -> Iterable[Path]:
        return [p for p in paths if not p.name.startswith(".")
                and (p.is_dir() or p.suffix.lower() in DB_SUFFIXES)]


class SyncFilePicker(AppModal[Path | None]):
    BINDINGS = [Binding("escape", "cancel", "sync.bind.cancel", id="cancel")]

    def __init__(self, start: Path, initial: str = "") -> None:
        super().__init__()
        self.start = start if start.is_dir() else start.parent
        self.initial = initial

    def compose(self) -> ComposeResult:
        with Vertical(id="sync-picker-box"):
            yield Label(t("sync.picker_title"), id="sync-picker-title")
            yield Input(value=self.initial, placeholder=t("sync.picker_path"),
                        id="sync-picker-path", compact=True)
            yield DatabaseTree(self.start, id="sync-picker-tree")
            yield Label("", id="sync-picker-error")
        yield SteadyFooter()

    def on_mount(self) -> None:
        self.query_one(DatabaseTree).focus()

    @on(DirectoryTree.FileSelected)
    def _file(self, event: DirectoryTree.FileSelected) -> None:
        event.stop()
        self.dismiss(Path(event.path))

    @on(DirectoryTree.DirectorySelected)
    def _folder(self, event: DirectoryTree.DirectorySelected) -> None:
        self.query_one("#sync-picker-path", Input).value = str(event.path)

    @on(Input.Submitted, "#sync-picker-path")
    def _typed(self, event: Input.Submitted) -> None:
        path = Path(event.value.strip()).expanduser()
        if path.is_dir():
            self.query_one(DatabaseTree).path = path
            return
        if not path.is_file():
            self.query_one("#sync-picker-error", Label).update(
                t("sync.picker_not_file", path=str(path)))
            return
        self.dismiss(path)

    def action_cancel(self) -> None:
        self.dismiss(None)
