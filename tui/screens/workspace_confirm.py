"""A yes/no question from the workspace, answered from the keyboard (y / Enter, n / Esc).

Used to offer a finding after an item is answered 不符合 or 部分符合, and before the audit's
status moves forward, with the issues ``store.review.advance_issues`` found listed in it.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Label

from store.i18n import t
from tui.screens.base import AppModal


class WorkspaceConfirm(AppModal[bool]):
    BINDINGS = [
        Binding("y,enter", "answer(True)", "workspace.bind.yes"),
        Binding("n,escape", "answer(False)", "workspace.bind.no"),
    ]

    def __init__(self, question: str, lines: list[tuple[str, str]] | None = None) -> None:
        """``lines``: (severity, text) pairs shown under the question (``block``,
        ``confirm`` or ``warn``)."""
        super().__init__()
        self.question = question
        self.lines = lines or []

    def compose(self) -> ComposeResult:
        with Vertical(id="ws-confirm"):
            yield Label(self.question, id="ws-confirm-question")
            if self.lines:
                with VerticalScroll(id="ws-confirm-issues"):
                    for severity, text in self.lines:
                        yield Label(t(f"workspace.severity.{severity}", text=text),
                                    classes=f"ws-issue -{severity}")
            yield Label(t("workspace.confirm_keys"), id="ws-confirm-keys")

    def action_answer(self, value: bool) -> None:
        self.dismiss(value)
