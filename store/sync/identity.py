"""Who a database file is: its device, its county, the master it was checked out from.

Read from ``meta`` and the records through any connection (including an immutable one, so a
file can be identified without being touched). A file whose ``meta`` has no ``master_device``
is a county master; a laptop file names the master it was checked out from.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from store.db import AuditStore

MASTER_KEY = "master_device"


@dataclass(frozen=True)
class FileIdentity:
    device_id: str
    device_name: str
    county_id: str | None
    county_name: str
    master_device: str | None
    """The county master this file was checked out from; ``None`` for a master."""

    @property
    def is_master(self) -> bool:
        return self.master_device is None


def read_identity(conn: sqlite3.Connection, schema: str = "main") -> FileIdentity:
    """Identity of the database ``schema`` on ``conn`` (``main`` or an attached name)."""
    meta = dict(conn.execute(f"SELECT key, value FROM {schema}.meta").fetchall())
    device_id = meta.get("device_id", "")
    row = conn.execute(f"SELECT name FROM {schema}.devices WHERE id = ?", [device_id]).fetchone()
    counties = conn.execute(
        f"SELECT id, name FROM {schema}.county WHERE deleted = 0 ORDER BY id").fetchall()
    county_id, county_name = counties[0] if counties else (None, "")
    return FileIdentity(device_id=device_id, device_name=row[0] if row else device_id[:8],
                        county_id=county_id, county_name=county_name,
                        master_device=meta.get(MASTER_KEY) or None)


def store_identity(store: AuditStore) -> FileIdentity:
    return read_identity(store.db.conn)


def is_master(store: AuditStore) -> bool:
    """True for a county master (a file not checked out from another one)."""
    return not store.meta(MASTER_KEY)


def device_names(conn: sqlite3.Connection, schema: str = "main") -> dict[str, str]:
    return dict(conn.execute(f"SELECT id, name FROM {schema}.devices").fetchall())
