"""The finding editor's small dialogs: leave without saving, and move rectification status.

Both only ask; the editor does the store work with what they return.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Label, OptionList
from textual.widgets.option_list import Option

from store.enums import RectifyStatus
from store.i18n import t
from tui.formatting import enum_label
from tui.screens.base import AppModal


class DiscardChangesModal(AppModal[bool]):
    """Asks before typed text is thrown away: y / Enter on 放弃 discards, n / Esc keeps editing."""

    BINDINGS = [
        Binding("y", "answer(True)", "findings_ui.bind.discard"),
        Binding("n,escape", "answer(False)", "findings_ui.bind.keep_editing"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="discard-dialog", classes="finding-dialog"):
            yield Label(t("findings_ui.discard_question"), id="discard-question")
            with Horizontal(classes="finding-dialog-buttons"):
                yield Button(t("findings_ui.discard_yes"), id="discard", variant="error",
                             compact=True)
                yield Button(t("findings_ui.discard_no"), id="keep", variant="primary",
                             compact=True)

    def on_mount(self) -> None:
        self.query_one("#keep", Button).focus()

    def action_answer(self, discard: bool) -> None:
        self.dismiss(discard)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "discard")


class RectifyStatusModal(AppModal[RectifyStatus | None]):
    """Pick the rectification status to move to; the store refuses a move backwards."""

    BINDINGS = [Binding("escape", "cancel", "tui.bind.cancel")]

    def __init__(self, current: str) -> None:
        super().__init__()
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(id="status-dialog", classes="finding-dialog"):
            yield Label(t("findings_ui.status_question",
                          current=enum_label(RectifyStatus, self.current)))
            options = [Option(self._label(s), id=s.value) for s in RectifyStatus]
            yield OptionList(*options, id="status-options")
            yield Label(t("findings_ui.status_note"), classes="finding-dialog-note")

    def _label(self, status: RectifyStatus) -> str:
        mark = "● " if status.value == self.current else "  "
        return mark + enum_label(RectifyStatus, status)

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        values = [s.value for s in RectifyStatus]
        if self.current in values:
            options.highlighted = min(values.index(self.current) + 1, len(values) - 1)
        options.focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(RectifyStatus(str(event.option.id)))

    def action_cancel(self) -> None:
        self.dismiss(None)
