"""What a database *holds*, for comparing replicas: records, change log, blobs, conflicts.

Sync bookkeeping is left out (``meta``, receipts, peer positions, change-log sequence
numbers, the migration table): two files that merged the same changes in different orders
have the same content by this measure. Used by the tests and the benchmark.
"""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path
from typing import Any

from store.fileguard import immutable_connect
from store.sync.rules import columns, mergeable_tables

CHANGE_COLUMNS = "id, tbl, rid, field, old, new, stamp, device, auditor, base"


def content(conn: sqlite3.Connection) -> dict[str, list[tuple[Any, ...]]]:
    """Every table's rows, sorted; the whole content in memory (small files only)."""
    out = {}
    for table in mergeable_tables(conn):
        out[table] = sorted(conn.execute(
            f"SELECT {', '.join(columns(conn, table))} FROM {table}").fetchall(), key=repr)
    out["changes"] = conn.execute(f"SELECT {CHANGE_COLUMNS} FROM changes ORDER BY id").fetchall()
    out["blobs"] = conn.execute("SELECT sha256, size FROM blobs ORDER BY sha256").fetchall()
    out["conflicts"] = conn.execute("SELECT * FROM conflicts ORDER BY id").fetchall()
    return out


def content_of(path: Path | str) -> dict[str, list[tuple[Any, ...]]]:
    """:func:`content` of a file, read without modifying it (the file must not be in use)."""
    conn = immutable_connect(Path(path))
    try:
        return content(conn)
    finally:
        conn.close()


def digest(conn: sqlite3.Connection) -> str:
    """A SHA-256 of the content, streamed table by table in a fixed order."""
    h = hashlib.sha256()
    queries = [f"SELECT {', '.join(columns(conn, t))} FROM {t} ORDER BY id"
               for t in mergeable_tables(conn)]
    queries += [f"SELECT {CHANGE_COLUMNS} FROM changes ORDER BY id",
                "SELECT sha256, size FROM blobs ORDER BY sha256",
                "SELECT * FROM conflicts ORDER BY id"]
    for sql in queries:
        h.update(sql.encode())
        for row in conn.execute(sql):
            h.update(repr(row).encode())
    return h.hexdigest()
