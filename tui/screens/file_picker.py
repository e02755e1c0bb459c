"""Choose a file from disk to attach as evidence: browse a directory tree or type a path.

Enter on a file in the tree chooses it; a path typed in the box (``~`` allowed) chooses the
file, or moves the tree to a directory. Hidden files are not listed. Returns the chosen path,
or None when the user goes back with Esc.
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


class VisibleDirectoryTree(DirectoryTree):
    """A directory tree without hidden files and folders."""

    def filter_paths(self, paths: Iterable[Path]) -> Iterable[Path]:
        return [p for p in paths if not p.name.startswith(".")]


class FilePickerScreen(AppModal[Path | None]):
    BINDINGS = [Binding("escape", "cancel", "tui.bind.cancel")]

    def __init__(self, start: Path | None = None) -> None:
        super().__init__()
        self.start = start if start is not None and start.is_dir() else Path.home()

    def compose(self) -> ComposeResult:
        with Vertical(id="picker-dialog"):
            yield Label(t("findings_ui.picker_title"), id="picker-title")
            yield Input(str(self.start), id="picker-path", compact=True,
                        placeholder=t("findings_ui.picker_path_hint"))
            yield Label("", id="picker-error")
            yield VisibleDirectoryTree(self.start, id="picker-tree")
            yield Label(t("findings_ui.picker_help"), id="picker-help")

    def on_mount(self) -> None:
        self.query_one("#picker-tree").focus()

    @on(DirectoryTree.FileSelected)
    def _file_chosen(self, event: DirectoryTree.FileSelected) -> None:
        self.dismiss(Path(event.path))

    @on(DirectoryTree.DirectorySelected)
    def _directory_highlighted(self, event: DirectoryTree.DirectorySelected) -> None:
        self.query_one("#picker-path", Input).value = str(event.path)

    @on(Input.Submitted, "#picker-path")
    def _path_typed(self, event: Input.Submitted) -> None:
        path = Path(event.value.strip()).expanduser()
        error = self.query_one("#picker-error", Label)
        if path.is_file():
            self.dismiss(path)
        elif path.is_dir():
            error.update("")
            self.query_one(VisibleDirectoryTree).path = path
        else:
            error.update(t("findings_ui.picker_no_such", path=str(path)))

    def action_cancel(self) -> None:
        self.dismiss(None)
