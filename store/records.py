"""The only way records are written: every field change is stamped and logged.

A :class:`Writer` lives inside one :meth:`AuditStore.write` transaction. ``insert``, ``update``
and ``delete`` write the row, set its bookkeeping columns (``stamp``, ``device``, ``auditor``)
and append one row per write to ``changes``, with the hybrid-logical-clock stamp, the device and
the auditor:

- an insert: field ``*``, ``new`` the whole record as stored (a JSON object);
- an update of one field: field the field's name, ``old``/``new`` its values (JSON) and
  ``base`` the stamp of the value it replaced, which lets sync tell a plain successor from a
  concurrent edit;
- an update of several fields at once: field ``+``, and ``old``, ``new`` and ``base`` JSON
  objects keyed by field — ``base`` just the stamp when it is the same for every field (one
  row instead of one per field: answering an item writes its result, auditor and time
  together, and the log, its indexes and every merge carry a quarter of the rows).

Either way each field keeps its own value, old value and base, so merging stays field by field
(``store.sync.rules`` reads both shapes). Deletes are
tombstones (``deleted = 1``), logged like any other field.

Forward-only fields (audit status, rectification status) refuse to move backwards here; sync
applies the same ranks when it merges.
"""

from __future__ import annotations

import json
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from store.enums import AuditStatus, RectifyStatus, rank
from store.errors import NotFound, RuleViolation
from store.schema import MERGEABLE_TABLES

if TYPE_CHECKING:
    from store.db import AuditStore

BOOKKEEPING = frozenset({"id", "stamp", "device", "auditor"})
CREATED = "*"  # the ``field`` of the change-log row that records a whole new record
MULTI = "+"  # the ``field`` of the change-log row of an update of several fields
FORWARD_ONLY: dict[tuple[str, str], type[StrEnum]] = {
    ("audits", "status"): AuditStatus,
    ("findings", "rectify_status"): RectifyStatus,
}


def encode(value: Any) -> str | None:
    """Change-log representation of a field value (JSON, Chinese kept readable)."""
    return None if value is None else json.dumps(value, ensure_ascii=False)


def decode(text: str | None) -> Any:
    return None if text is None else json.loads(text)


def writes_of_sql(field: str, *, created: bool = True) -> str:
    """SQL condition: change row ``c`` writes ``field`` (its own row, a several-field row
    naming it, or — with ``created`` — the record's creation row). ``field`` is a column name
    from the schema, never user input."""
    own = f"c.field IN ('{field}', '{CREATED}')" if created else f"c.field = '{field}'"
    return (f"({own} OR (c.field = '{MULTI}' "
            f"AND json_type(c.new, '$.{field}') IS NOT NULL))")


def field_writes(field: str, old: Any, new: Any, base: Any) -> list[tuple[str, Any, Any, Any]]:
    """One change row as (field, old, new, base) per field it writes (decoded; a creation row
    gives each initial value with no old value and no base)."""
    if field == CREATED:
        return [(k, None, v, None) for k, v in decode(new).items()]
    if field == MULTI:
        olds, values = decode(old) or {}, decode(new)
        bases = decode(base) if base and base.startswith("{") else dict.fromkeys(values, base)
        return [(k, olds.get(k), v, bases.get(k)) for k, v in values.items()]
    return [(field, decode(old), decode(new), base)]


class Writer:
    def __init__(self, store: AuditStore, auditor_id: str | None) -> None:
        self.store = store
        self.auditor_id = auditor_id
        self._conn = store.db.conn

    def insert(self, table: str, values: dict[str, Any]) -> str:
        """Insert a new record, logging every field; returns its id (a new UUIDv7 if absent)."""
        _check_table(table)
        record_id = values.get("id") or self.store.new_id()
        stamp = str(self.store.clock.tick())
        fields = {k: v for k, v in values.items() if k not in BOOKKEEPING}
        row = {**fields, "id": record_id, "stamp": stamp, "device": self.store.device_id,
               "auditor": self.auditor_id}
        cols = ", ".join(row)
        marks = ", ".join("?" for _ in row)
        self._conn.execute(f"INSERT INTO {table} ({cols}) VALUES ({marks})", list(row.values()))
        # One log row for the whole record as stored (column defaults included), field "*":
        # the log alone rebuilds it, at a fraction of the size of a row per field.
        created = {k: v for k, v in self.current(table, record_id).items()
                   if k not in BOOKKEEPING}
        self._log(table, record_id, CREATED, None, encode(created), stamp, None)
        return record_id

    def update(self, table: str, record_id: str, values: dict[str, Any]) -> list[str]:
        """Change the given fields; unchanged values are skipped. Returns the changed fields."""
        _check_table(table)
        current = self.current(table, record_id)
        changed = {k: v for k, v in values.items()
                   if k not in BOOKKEEPING and current.get(k) != v}
        for field, value in changed.items():
            enum = FORWARD_ONLY.get((table, field))
            if enum is not None and rank(value, enum) < rank(current[field], enum):
                raise RuleViolation("records.backwards", field=field,
                                    old=current[field], new=value)
        if not changed:
            return []
        stamp = str(self.store.clock.tick())
        sets = ", ".join(f"{k} = ?" for k in changed)
        self._conn.execute(
            f"UPDATE {table} SET {sets}, stamp = ?, device = ?, auditor = ? WHERE id = ?",
            [*changed.values(), stamp, self.store.device_id, self.auditor_id, record_id],
        )
        bases = {field: self._field_stamp(table, record_id, field) for field in changed}
        if len(changed) == 1:
            (field, value), = changed.items()
            self._log(table, record_id, field, encode(current[field]), encode(value), stamp,
                      bases[field])
        else:
            shared = set(bases.values())
            base = shared.pop() if len(shared) == 1 else encode(bases)
            self._log(table, record_id, MULTI, encode({k: current[k] for k in changed}),
                      encode(changed), stamp, base)
        return list(changed)

    def delete(self, table: str, record_id: str) -> None:
        """Tombstone a record: it stays in the file (and merges) with ``deleted = 1``."""
        self.update(table, record_id, {"deleted": 1})

    def current(self, table: str, record_id: str) -> dict[str, Any]:
        cur = self._conn.execute(f"SELECT * FROM {table} WHERE id = ?", [record_id])
        row = cur.fetchone()
        if row is None:
            raise NotFound("records.not_found", table=table, id=record_id)
        return dict(zip([d[0] for d in cur.description], row, strict=True))

    def _field_stamp(self, table: str, record_id: str, field: str) -> str | None:
        """Stamp of the latest write of ``field`` (its creation included)."""
        row = self._conn.execute(
            f"SELECT c.stamp FROM changes c WHERE c.tbl = ? AND c.rid = ? "
            f"AND {writes_of_sql(field)} ORDER BY c.stamp DESC, c.device DESC LIMIT 1",
            [table, record_id],
        ).fetchone()
        return row[0] if row else None

    def _log(self, table: str, record_id: str, field: str, old: str | None, new: str | None,
             stamp: str, base: str | None) -> None:
        self._conn.execute(
            "INSERT INTO changes (id, tbl, rid, field, old, new, stamp, device, auditor, base) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [self.store.new_id(), table, record_id, field, old, new, stamp,
             self.store.device_id, self.auditor_id, base],
        )


def _check_table(table: str) -> None:
    if table not in MERGEABLE_TABLES:
        raise ValueError(f"{table} is not a mergeable table")
