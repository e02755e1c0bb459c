"""What the app reads before its first screen, on the database thread: the header's status,
whether someone has signed in on this laptop, and where they left off."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from store.audits import get_audit
from store.devices import current_auditor, unsynced_count
from store.errors import NotFound
from tui.widgets.header import ShellStatus

if TYPE_CHECKING:
    from store.db import AuditStore

T = TypeVar("T")


@dataclass(frozen=True)
class Startup:
    status: ShellStatus
    auditor_id: str | None
    """None: nobody has signed in on this laptop yet (first run)."""
    last_audit: str | None
    """The audit open when the app was last closed, if it still exists (meta ``last_audit``)."""
    last_item: str | None
    """The checklist item selected in it then (meta ``last_item``)."""


def read_status(store: AuditStore) -> ShellStatus:
    try:
        auditor = current_auditor(store)
    except NotFound:  # the chosen auditor's record is gone (e.g. a merge): ask again
        auditor = None
    return ShellStatus(auditor.name if auditor else "", store.path.name, unsynced_count(store))


def then_status(store: AuditStore, fn: Callable[..., T], *args: Any) -> tuple[T, ShellStatus]:
    """``fn(store, *args)`` and the header's status after it, in one trip to the database
    thread: a screen that sets ``app.shell_status`` from it updates the header in the same
    frame as its own change (the ``DataChanged`` re-read then finds nothing new)."""
    return fn(store, *args), read_status(store)


def read_startup(store: AuditStore) -> Startup:
    status = read_status(store)
    auditor_id = store.meta("auditor_id") if status.auditor_name else None
    last_audit = store.meta("last_audit")
    if last_audit:
        try:
            get_audit(store, last_audit)
        except NotFound:
            last_audit = None
    return Startup(status, auditor_id, last_audit,
                   store.meta("last_item") if last_audit else None)
