"""Receipts, acknowledgements and per-peer positions: what each side knows the other has.

- A **receipt** is written into both files of every sync (``sync_receipts``): in the target
  ``received`` (from which device, through which of its change-log positions, what was
  applied, counts, conflicts), in the source ``sent`` (to which device, acknowledged through).
- A laptop's **unsynced counter** (``store.devices.unsynced_count``) counts its own changes
  after ``meta.acked_seq``. It only moves when the county master has the changes: after a
  laptop → master sync commits (written into the laptop with its ``sent`` receipt), or during
  a master → laptop sync, up to the first own change the master still lacks.
- A **peer position** (``sync_peers``) records that every source change up to ``seen_seq``
  is in this file, so the next sync from that device reads only later rows. It is trusted only
  if the source still has the same change id at that position (a file restored from a backup
  or replaced does not, and is then read from the start).
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from store.sync.identity import FileIdentity

if TYPE_CHECKING:
    from store.db import AuditStore

ACKED = "acked_seq"


def record(store: AuditStore, *, direction: str, peer: FileIdentity, peer_path: str,
           through_seq: int, applied: int = 0, changes: int = 0, conflicts: int = 0,
           counts: dict[str, Any] | None = None) -> str:
    receipt_id = store.new_id()
    at = datetime.fromtimestamp(store.clock.now_ms() / 1000, UTC).isoformat(timespec="seconds")
    store.db.conn.execute(
        "INSERT INTO main.sync_receipts (id, at, direction, peer_device, peer_name, peer_path, "
        "through_seq, applied, changes, conflicts, counts) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [receipt_id, at, direction, peer.device_id, peer.device_name, peer_path, through_seq,
         applied, changes, conflicts, json.dumps(counts or {}, ensure_ascii=False)])
    return receipt_id


@dataclass(frozen=True)
class Receipt:
    id: str
    at: str
    direction: str
    peer_device: str
    peer_name: str
    peer_path: str
    through_seq: int
    applied: int
    changes: int
    conflicts: int
    counts: dict[str, Any]


def list_receipts(store: AuditStore, limit: int = 100) -> list[Receipt]:
    """Newest first."""
    rows = store.db.execute(
        "SELECT id, at, direction, peer_device, peer_name, peer_path, through_seq, applied, "
        "changes, conflicts, counts FROM sync_receipts ORDER BY at DESC, id DESC LIMIT ?",
        [limit]).fetchall()
    return [Receipt(*r[:10], json.loads(r[10])) for r in rows]


# -- peer positions --------------------------------------------------------------------------
def seen_position(conn: sqlite3.Connection, peer_device: str, schema: str = "src") -> int:
    """Source change-log position up to which the target already has everything (or 0)."""
    row = conn.execute("SELECT seen_seq, seen_id FROM main.sync_peers WHERE device_id = ?",
                       [peer_device]).fetchone()
    if row is None:
        return 0
    at = conn.execute(f"SELECT id FROM {schema}.changes WHERE seq = ?", [row[0]]).fetchone()
    return row[0] if at is not None and at[0] == row[1] else 0


def source_position(conn: sqlite3.Connection, schema: str = "src") -> tuple[int, str | None]:
    row = conn.execute(f"SELECT seq, id FROM {schema}.changes ORDER BY seq DESC LIMIT 1").fetchone()
    return (row[0], row[1]) if row else (0, None)


def remember_position(conn: sqlite3.Connection, peer_device: str, seq: int,
                      change_id: str | None) -> None:
    if change_id is None:
        return
    conn.execute(
        "INSERT INTO main.sync_peers (device_id, seen_seq, seen_id) VALUES (?, ?, ?) "
        "ON CONFLICT (device_id) DO UPDATE SET seen_seq = excluded.seen_seq, "
        "seen_id = excluded.seen_id", [peer_device, seq, change_id])


# -- acknowledgements ------------------------------------------------------------------------
def acknowledge(store: AuditStore, through_seq: int) -> None:
    """The master has this device's changes up to ``through_seq`` (never moves back)."""
    current = int(store.meta(ACKED) or 0)
    if through_seq > current:
        store.set_meta(ACKED, str(through_seq))


def acknowledged_by_source(store: AuditStore, schema: str = "src") -> int:
    """Own change-log position up to which the attached master has every own change."""
    conn = store.db.conn
    current = int(store.meta(ACKED) or 0)
    first_missing = conn.execute(
        f"SELECT min(c.seq) FROM main.changes c WHERE c.device = ? AND c.seq > ? "
        f"AND NOT EXISTS (SELECT 1 FROM {schema}.changes s WHERE s.id = c.id)",
        [store.device_id, current]).fetchone()[0]
    if first_missing is not None:
        return first_missing - 1
    return conn.execute("SELECT coalesce(max(seq), 0) FROM main.changes").fetchone()[0]
