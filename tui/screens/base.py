"""What every fieldaudit screen shares: bindings in the user's language, worker errors shown
as plain-language notices, and typed access to the app's database thread and settings.

Textual delivers ``Worker.StateChanged`` to the node that started the worker (it does not
bubble), so each screen forwards failures to :meth:`FieldAuditApp.report_error`, the one place
that turns exceptions into notices. Start database work as
``@work(group="…", exit_on_error=False)`` async methods that ``await self.db.call(fn, …)``.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any, TypeVar

from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable
from textual.worker import Worker, WorkerState

from store.i18n import t
from tui.keys import localize_bindings

if TYPE_CHECKING:
    from tui.app import FieldAuditApp
    from tui.db import DbThread

R = TypeVar("R")


class ReportsWorkerErrors:
    """Mixin for screens and widgets: a failed worker becomes an error notice."""

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR and event.worker.error is not None:
            self.app.report_error(event.worker.error)  # type: ignore[attr-defined]


class AppScreen(ReportsWorkerErrors, Screen[R]):
    """A full screen of the app."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        localize_bindings(self)

    @property
    def fa(self) -> FieldAuditApp:
        return self.app  # type: ignore[return-value]

    @property
    def db(self) -> DbThread:
        return self.fa.db

    def today(self) -> date:
        return self.fa.today()

    def _on_screen_resume(self) -> None:
        from tui.widgets.header import StatusHeader  # header imports nothing of the screens

        # every screen yields its header first, at the top level: no walk of the whole DOM
        for header in self.query_children(StatusHeader):
            header.catch_up()


class AppModal(ReportsWorkerErrors, ModalScreen[R]):
    """A dialog that returns a value with ``dismiss``."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        localize_bindings(self)

    @property
    def fa(self) -> FieldAuditApp:
        return self.app  # type: ignore[return-value]

    @property
    def db(self) -> DbThread:
        return self.fa.db


def add_columns(table: DataTable, *columns: str | tuple[str, int]) -> None:
    """Add columns titled ``tui.col.<name>``, keyed by name; ``(name, width)`` fixes a width
    (cells made with ``tui.formatting.cell`` then end in … instead of widening the table)."""
    for column in columns:
        name, width = column if isinstance(column, tuple) else (column, None)
        table.add_column(t(f"tui.col.{name}"), key=name, width=width)
