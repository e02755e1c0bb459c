"""This device's identity and local state: who is working, which device, what is unsynced.

Kept in ``meta`` (never merged): the device id, the current auditor ("who am I"), where the
user left off, and the change-log position the county master has acknowledged. A file copied
from elsewhere (the sample county, a master) must take a new device id before it is used as
a laptop, or two devices would sign changes with the same id.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from store.models import Auditor
from store.query import fetch_one

if TYPE_CHECKING:
    from store.db import AuditStore


def assign_new_device(store: AuditStore, name: str) -> str:
    """Give this file a fresh device id (after copying it) and register the device's name."""
    device_id = store.new_id()
    store.set_meta("device_id", device_id)
    store.device_id = device_id
    store.set_meta("acked_seq", str(_max_seq(store)))  # what came with the copy is not ours
    with store.write(current_auditor_id(store)) as w:
        w.insert("devices", {"id": device_id, "name": name or device_id[:8]})
    return device_id


def device_name(store: AuditStore) -> str:
    row = store.db.execute("SELECT name FROM devices WHERE id = ?", [store.device_id]).fetchone()
    return row[0] if row else store.device_id[:8]


def rename_device(store: AuditStore, name: str) -> None:
    with store.write(current_auditor_id(store)) as w:
        w.update("devices", store.device_id, {"name": name})


def current_auditor_id(store: AuditStore) -> str | None:
    return store.meta("auditor_id") or None


def current_auditor(store: AuditStore) -> Auditor | None:
    auditor_id = current_auditor_id(store)
    return fetch_one(store, Auditor, auditor_id) if auditor_id else None


def set_current_auditor(store: AuditStore, auditor_id: str) -> Auditor:
    auditor = fetch_one(store, Auditor, auditor_id)
    store.set_meta("auditor_id", auditor_id)
    return auditor


def unsynced_count(store: AuditStore) -> int:
    """Changes made on this device that the county master has not acknowledged yet."""
    acked = int(store.meta("acked_seq") or 0)
    return store.db.execute(
        "SELECT count(*) FROM changes WHERE device = ? AND seq > ?", [store.device_id, acked]
    ).fetchone()[0]


def _max_seq(store: AuditStore) -> int:
    return store.db.execute("SELECT coalesce(max(seq), 0) FROM changes").fetchone()[0]
