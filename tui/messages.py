"""Messages that travel up to the app: results of work done, in the past tense.

Screens and widgets post these after the database has changed; the app reacts in one place
(the header: current auditor, unsynced counter). Widgets never reach into the app
to refresh it themselves (attributes down, messages up).
"""

from __future__ import annotations

from textual.message import Message


class DataChanged(Message):
    """Something was written to the database (an answer, a finding, an audit, an auditor …).

    Post it from any screen or widget after a successful write; it bubbles to the app, which
    recounts the unsynced changes shown in the header. ``table`` is informative only.
    """

    def __init__(self, table: str = "") -> None:
        super().__init__()
        self.table = table

