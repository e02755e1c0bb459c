"""Temporary tables a merge (or a conflict resolution) works in, on the target connection.

They live in the connection's ``temp`` schema, so they never reach the file, and are emptied
at the start of each use.

- ``sync_rec``: records the incoming changes touch (or whose conflicts need re-deriving);
  ``state`` says how each merges (``merge.py``), ``derive`` that its conflicts are re-derived.
- ``sync_aff``: the fields of existing records the incoming changes touch.
- ``sync_win``: per field of one table, the winning value and how many unsuperseded writes
  ("heads") the field has; more than one head means a possible conflict.
- ``sync_dom``: dominated records of one table whose row differs from the source's, with a
  bit per differing column.
- ``sync_only``: when set, only changes of these records are merged.
- ``sync_cand``/``sync_cids``: conflict rows being recomputed, and conflict ids whose
  resolution must be re-read from the log.
"""

from __future__ import annotations

import sqlite3

_TABLES = """
CREATE TEMP TABLE IF NOT EXISTS sync_rec (
    tbl TEXT NOT NULL, rid TEXT NOT NULL, state INTEGER NOT NULL DEFAULT 0,
    derive INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (tbl, rid)) WITHOUT ROWID;
CREATE TEMP TABLE IF NOT EXISTS sync_aff (
    tbl TEXT NOT NULL, field TEXT NOT NULL, rid TEXT NOT NULL,
    PRIMARY KEY (tbl, field, rid)) WITHOUT ROWID;
CREATE TEMP TABLE IF NOT EXISTS sync_win (
    field TEXT NOT NULL, rid TEXT NOT NULL, v, changed INTEGER NOT NULL, heads INTEGER NOT NULL,
    PRIMARY KEY (field, rid)) WITHOUT ROWID;
CREATE TEMP TABLE IF NOT EXISTS sync_dom (
    rid TEXT PRIMARY KEY, bits INTEGER NOT NULL) WITHOUT ROWID;
CREATE TEMP TABLE IF NOT EXISTS sync_only (
    tbl TEXT NOT NULL, rid TEXT NOT NULL, PRIMARY KEY (tbl, rid)) WITHOUT ROWID;
CREATE TEMP TABLE IF NOT EXISTS sync_cand (
    id TEXT PRIMARY KEY, kind TEXT, tbl TEXT, rid TEXT, field TEXT,
    kept_value TEXT, kept_stamp TEXT, kept_device TEXT, kept_auditor TEXT,
    other_value TEXT, other_stamp TEXT, other_device TEXT, other_auditor TEXT);
CREATE TEMP TABLE IF NOT EXISTS sync_cids (id TEXT PRIMARY KEY);
"""
NAMES = ("sync_rec", "sync_aff", "sync_win", "sync_dom", "sync_only", "sync_cand", "sync_cids")


def reset(conn: sqlite3.Connection) -> None:
    """Create the scratch tables if needed and empty them."""
    for statement in _TABLES.strip().split(";\n"):
        if statement.strip():
            conn.execute(statement)
    for name in NAMES:
        conn.execute(f"DELETE FROM temp.{name}")

