"""Messages that travel up to the app: results of work done, in the past tense.

Screens and widgets post these after the database has changed; the app reacts in one place
(the header: current auditor, unsynced counter). Widgets never reach into the app
to refresh it themselves (attributes down, messages up).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from tui.widgets.header import ShellStatus


class DataChanged(Message):
    """Something was written to the database (an answer, a finding, an audit, an auditor …).

    Post it from any screen or widget after a successful write; it bubbles to the app, which
    recounts the unsynced changes shown in the header. ``table`` is informative only.
    ``status``: the header's status read in the same database trip as the write
    (``tui.startup.then_status``); the app then shows it instead of reading it again, and the
    header changes in the same frame as the write's own result.
    """

    def __init__(self, table: str = "", status: ShellStatus | None = None) -> None:
        super().__init__()
        self.table = table
        self.status = status

