"""What the terminal shows: every frame the app sends, applied to a grid of cells.

Textual draws a frame either whole (``LayoutUpdate``) or as the changed spans of some lines
(``ChopsUpdate``); both are rich renderables of cursor moves and text. Applying them in order
gives what a user's terminal shows, so a test can compare it with a full drawing of the screen
as it is now: a frame skipped or drawn too early leaves stale cells behind.
"""

from __future__ import annotations

from typing import Any

from rich.cells import cell_len
from rich.segment import ControlType

WIDE_TAIL = ""
"""The second cell of a double-width character."""


class TerminalModel:
    def __init__(self, width: int, height: int) -> None:
        self.width, self.height = width, height
        self.cells = [[" "] * width for _ in range(height)]
        self.frames = 0
        self.shown: list[list[str]] = []
        """What the terminal showed after each frame (a test clears it before a key)."""

    def attach(self, app: Any) -> TerminalModel:
        """Apply every frame ``app`` sends from now on (headless, they are discarded)."""
        display = app._display  # noqa: SLF001 — the one place frames leave the app

        def _display(screen: Any, renderable: Any) -> None:
            display(screen, renderable)
            if renderable is not None:
                self.apply(app, renderable)

        app._display = _display  # noqa: SLF001
        return self

    def apply(self, app: Any, update: Any) -> None:
        self.frames += 1
        console = app.console
        x = y = 0
        for segment in update.__rich_console__(console, console.options):
            if segment.control:
                for control in segment.control:
                    if control[0] == ControlType.CURSOR_MOVE_TO:
                        x, y = control[1], control[2]
                continue
            for char in segment.text:
                if char == "\n":
                    continue
                width = cell_len(char)
                if 0 <= y < self.height and 0 <= x < self.width:
                    self.cells[y][x] = char
                    if width == 2 and x + 1 < self.width:
                        self.cells[y][x + 1] = WIDE_TAIL
                x += width
        self.shown.append(self.text())

    def text(self) -> list[str]:
        return ["".join(row).rstrip() for row in self.cells]


def drawn_now(app: Any) -> list[str]:
    """The current screen drawn whole, as a fresh terminal would show it."""
    width, height = app.size
    fresh = TerminalModel(width, height)
    fresh.apply(app, app.screen._compositor.render_update(full=True))  # noqa: SLF001
    return fresh.text()
