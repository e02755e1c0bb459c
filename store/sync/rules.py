"""The merge rules, as SQL the engine runs: which write of a field wins.

Every value a field has ever had is a write in ``changes``: a row for that field, a row of a
write of several fields (field ``+``, JSON objects keyed by field), or the record's creation
row (field ``*``, the whole record as JSON); ``store.records`` describes the shapes. The value
a replica holds is a function of the set of writes it has seen, so merging files in any order
gives the same result:

- **Ordinary fields: last writer wins.** The write with the greatest ``(stamp, device)``.
- **Forward-only fields: furthest state wins.** ``audits.status`` and
  ``findings.rectify_status`` by their rank in the enum, ``reviewed_stamp`` of answers and
  findings by the stamp reviewed (a later review mark supersedes an earlier one; no mark is
  lowest). Ties (same rank) fall back to ``(stamp, device)``. These fields never produce
  conflicts: a lower state written concurrently is implied by the higher one.
- **Tombstones** (``deleted``) are an ordinary last-writer-wins field; see ``conflicts.py``
  for how edits concurrent with a delete are kept visible.
"""

from __future__ import annotations

import sqlite3
from enum import StrEnum

from store.records import FORWARD_ONLY, MULTI
from store.schema import MERGEABLE_TABLES

BOOKKEEPING = ("id", "stamp", "device", "auditor")
REVIEW_MARKS = frozenset({("answers", "reviewed_stamp"), ("findings", "reviewed_stamp")})
WRITE_ORDER = "c.stamp || c.device"
"""Total order of writes; stamps and device ids are fixed width, so text order is right."""


def value_sql(field: str) -> str:
    """SQL value a write ``c`` of ``field`` gives it (see ``store.records.writes_of_sql``)."""
    return (f"CASE WHEN c.field = '{field}' THEN json_extract(c.new, '$') "
            f"ELSE json_extract(c.new, '$.{field}') END")


def value_json_sql(field: str) -> str:
    """The same value as JSON text (for conflict rows and reports)."""
    return (f"CASE WHEN c.field = '{field}' THEN c.new "
            f"ELSE json_quote(json_extract(c.new, '$.{field}')) END")


def base_sql(field: str) -> str:
    """The stamp of the value a write ``c`` of ``field`` replaced (NULL for a creation)."""
    return (f"CASE c.field WHEN '{field}' THEN c.base WHEN '{MULTI}' THEN "
            f"CASE WHEN c.base LIKE '{{%' THEN json_extract(c.base, '$.{field}') "
            f"ELSE c.base END END")


def is_forward_only(table: str, field: str) -> bool:
    return (table, field) in FORWARD_ONLY or (table, field) in REVIEW_MARKS


def winner_key_sql(table: str, field: str) -> str:
    """An expression whose maximum over a field's writes is the winning write."""
    enum: type[StrEnum] | None = FORWARD_ONLY.get((table, field))
    if enum is not None:
        ranks = " ".join(f"WHEN '{member.value}' THEN {i + 1}" for i, member in enumerate(enum))
        return f"printf('%03d', CASE {value_sql(field)} {ranks} ELSE 0 END) || {WRITE_ORDER}"
    if (table, field) in REVIEW_MARKS:
        v = value_sql(field)
        return f"(CASE WHEN {v} IS NULL THEN '0' ELSE '1' || {v} END) || '|' || {WRITE_ORDER}"
    return WRITE_ORDER


def columns(conn: sqlite3.Connection, table: str, schema: str = "main") -> tuple[str, ...]:
    """All columns of ``table`` in ``schema``, in declaration order."""
    return tuple(r[1] for r in conn.execute(f"PRAGMA {schema}.table_info({table})"))


def fields(conn: sqlite3.Connection, table: str, schema: str = "main") -> tuple[str, ...]:
    """The mergeable fields of ``table``: every column but the id and the bookkeeping."""
    return tuple(c for c in columns(conn, table, schema) if c not in BOOKKEEPING)


def mergeable_tables(conn: sqlite3.Connection, schema: str = "main") -> tuple[str, ...]:
    """MERGEABLE_TABLES present in ``schema``, in dependency order."""
    present = {r[0] for r in conn.execute(
        f"SELECT name FROM {schema}.sqlite_master WHERE type = 'table'")}
    return tuple(t for t in MERGEABLE_TABLES if t in present)
