"""Evidence files travelling with their records: deduplicated by hash, verified on arrival.

Blobs are content-addressed (``blobs.sha256``), so a file already in the target is never
copied twice. Before anything is written, every blob the target lacks is re-hashed from the
source in chunks (a 200 MB photo never sits in memory whole); one that does not match its
hash or size refuses the sync, naming the evidence it belongs to.
"""

from __future__ import annotations

import hashlib
import sqlite3

from store.sync.errors import SyncRefused

CHUNK = 1 << 20


def verify_incoming(conn: sqlite3.Connection, source_path: str, schema: str = "src") -> int:
    """Check every blob ``schema`` holds and ``main`` lacks; returns how many there are."""
    rows = conn.execute(
        f"SELECT s.rowid, s.sha256, s.size FROM {schema}.blobs s WHERE NOT EXISTS "
        f"(SELECT 1 FROM main.blobs b WHERE b.sha256 = s.sha256)").fetchall()
    for rowid, sha256, size in rows:
        digest, length = hashlib.sha256(), 0
        with conn.blobopen("blobs", "data", rowid, readonly=True, name=schema) as blob:
            while chunk := blob.read(CHUNK):
                digest.update(chunk)
                length += len(chunk)
        if digest.hexdigest() != sha256 or length != size:
            name = conn.execute(f"SELECT name FROM {schema}.evidence WHERE sha256 = ? LIMIT 1",
                                [sha256]).fetchone()
            raise SyncRefused("sync.blob_damaged", path=source_path,
                              name=name[0] if name else "?", sha256=sha256[:12])
    return len(rows)
