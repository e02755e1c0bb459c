"""Conflicts: losing writes kept visible, derived from the change log, resolved by a change.

**Value conflicts.** Each write names the stamp of the value it replaced (``base``). A write
that some later write of the same field replaced is *superseded*; the others are the field's
*heads*. One head is the winner (see ``rules.py``); every other head was written without
seeing the winner and lost: it becomes a conflict row (both values, devices, auditors and
stamps), unless a later write of the field holds the very same value (nothing was lost: the
usual case is two devices writing the same value). Forward-only fields never conflict (the
furthest state includes the lower ones).

**Tombstone rule.** A delete is an ordinary last-writer-wins write of ``deleted``. An edit
to another field of a record, stamped after the winning delete, was made on a device that had
not seen the delete (the app cannot edit a deleted record): the record stays deleted, the
edit is merged into the tombstone (nothing is lost), and a ``kind = 'deleted'`` conflict row
shows it, so the team leader can restore the record ("keep other" undeletes it).

Because the rows are a function of the set of writes, every replica derives the same ones,
with the same id (a hash of what the row is about), whatever the merge order. A local edit
can only change rows of records that already have some (it becomes the winner, so the kept
side changes, or it repeats a losing value, which hides it), so those records are brought up
to date before each merge, resolution or listing (``meta.conflicts_seq`` marks how far).
A resolution
is a change-log row (``tbl = 'conflicts'``, ``field = 'resolution'``, value ``kept`` or
``other``); choosing ``other`` also writes the losing value back as a new change, which then
merges like any other edit. The latest resolution by ``(stamp, device)`` is the one shown.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from store.errors import NotFound, RuleViolation
from store.records import CREATED, decode, encode, field_writes, writes_of_sql
from store.sync import scratch
from store.sync.rules import base_sql, is_forward_only, value_json_sql, value_sql

if TYPE_CHECKING:
    from store.db import AuditStore

Keep = Literal["kept", "other"]
CONFLICTS = "conflicts"  # ``changes.tbl`` of resolution rows
_COLUMNS = ("id", "kind", "tbl", "rid", "field", "kept_value", "kept_stamp", "kept_device",
            "kept_auditor", "other_value", "other_stamp", "other_device", "other_auditor")


def conflict_id(kind: str, table: str, record_id: str, field: str, other_stamp: str,
                other_device: str) -> str:
    """The same conflict gets the same id on every replica."""
    key = "|".join((kind, table, record_id, field, other_stamp, other_device))
    return hashlib.sha256(key.encode()).hexdigest()[:32]


# -- deriving conflict rows ------------------------------------------------------------------
def recompute(conn: sqlite3.Connection, table: str,
              examine: Iterable[tuple[str, str]]) -> list[str]:
    """Re-derive the conflicts of ``table`` within the scope in the scratch tables.

    ``examine`` lists the (record, field) pairs that may have more than one head; the scope
    whose stale rows are dropped is ``temp.sync_aff`` (value conflicts) and ``temp.sync_rec``
    (tombstone conflicts: records merged field by field, or flagged ``derive``). Returns the
    ids of conflicts new here.
    """
    conn.execute("DELETE FROM temp.sync_cand")
    rows = [*_value_candidates(conn, table, examine), *_tombstone_candidates(conn, table)]
    marks = ", ".join("?" for _ in _COLUMNS)
    conn.executemany(f"INSERT OR REPLACE INTO temp.sync_cand VALUES ({marks})", rows)
    conn.execute(
        "DELETE FROM main.conflicts WHERE tbl = ? AND kind = 'value' AND EXISTS ("
        " SELECT 1 FROM temp.sync_aff a WHERE a.tbl = conflicts.tbl"
        " AND a.field = conflicts.field AND a.rid = conflicts.rid)"
        " AND id NOT IN (SELECT id FROM temp.sync_cand)", [table])
    conn.execute(
        "DELETE FROM main.conflicts WHERE tbl = ? AND kind = 'deleted' AND rid IN ("
        " SELECT rid FROM temp.sync_rec WHERE tbl = ? AND (state IN (0, 2) OR derive = 1))"
        " AND id NOT IN (SELECT id FROM temp.sync_cand)", [table, table])
    if not rows:
        return []
    new = [r[0] for r in conn.execute(
        "SELECT id FROM temp.sync_cand WHERE id NOT IN (SELECT id FROM main.conflicts)")]
    cols = ", ".join(_COLUMNS)
    conn.execute(f"INSERT OR REPLACE INTO main.conflicts ({cols}) "
                 f"SELECT {cols} FROM temp.sync_cand")
    conn.execute("INSERT OR IGNORE INTO temp.sync_cids SELECT id FROM temp.sync_cand")
    return new


def _value_candidates(conn: sqlite3.Connection, table: str,
                      examine: Iterable[tuple[str, str]]) -> Iterator[tuple[Any, ...]]:
    for rid, field in examine:
        if is_forward_only(table, field):
            continue
        writes = conn.execute(
            f"SELECT c.field, c.stamp, c.device, c.auditor, {base_sql(field)}, "
            f"{value_sql(field)}, {value_json_sql(field)} FROM main.changes c "
            f"WHERE c.tbl = ? AND c.rid = ? AND {writes_of_sql(field)}",
            [table, rid]).fetchall()
        if len(writes) < 2:
            continue
        superseded = {w[4] for w in writes if w[0] != CREATED}
        winner = max(writes, key=lambda w: (w[1], w[2]))
        for w in writes:
            if w is winner or w[1] in superseded:
                continue
            cid = conflict_id("value", table, rid, field, w[1], w[2])
            repeated = any(x[5] == w[5] and (x[1], x[2]) > (w[1], w[2]) for x in writes)
            if repeated and not _has_resolution(conn, cid):
                continue  # a later write holds the same value: nothing was lost
            yield (cid, "value", table, rid, field, winner[6], winner[1], winner[2], winner[3],
                   w[6], w[1], w[2], w[3])


def _tombstone_candidates(conn: sqlite3.Connection, table: str) -> Iterator[tuple[Any, ...]]:
    deleted = [r[0] for r in conn.execute(
        f"SELECT r.rid FROM temp.sync_rec r JOIN main.{table} t ON t.id = r.rid "
        f"WHERE r.tbl = ? AND (r.state IN (0, 2) OR r.derive = 1) AND t.deleted = 1", [table])]
    for rid in deleted:
        delete = conn.execute(
            f"SELECT c.stamp, c.device, c.auditor, {value_sql('deleted')} FROM main.changes c "
            f"WHERE c.tbl = ? AND c.rid = ? AND {writes_of_sql('deleted')} "
            f"ORDER BY c.stamp DESC, c.device DESC LIMIT 1", [table, rid]).fetchone()
        if delete is None or delete[3] != 1:
            continue
        edits: dict[tuple[str, str], tuple[str | None, dict[str, Any]]] = {}
        for stamp, device, auditor, field, old, new, base in conn.execute(
            "SELECT stamp, device, auditor, field, old, new, base FROM main.changes "
            "WHERE tbl = ? AND rid = ? AND field NOT IN ('deleted', ?) "
            "AND stamp || device > ? ORDER BY stamp, device, field",
            [table, rid, CREATED, delete[0] + delete[1]],
        ):
            values = {name: value for name, _, value, _ in field_writes(field, old, new, base)
                      if name != "deleted"}
            if values:
                edits.setdefault((stamp, device), (auditor, {}))[1].update(values)
        for (stamp, device), (auditor, values) in edits.items():
            yield (conflict_id("deleted", table, rid, "deleted", stamp, device), "deleted", table,
                   rid, "deleted", "1", delete[0], delete[1], delete[2],
                   json.dumps(values, ensure_ascii=False, sort_keys=True), stamp, device, auditor)


def _has_resolution(conn: sqlite3.Connection, cid: str) -> bool:
    return conn.execute(
        "SELECT 1 FROM main.changes WHERE tbl = ? AND rid = ? AND field = 'resolution' LIMIT 1",
        [CONFLICTS, cid]).fetchone() is not None


FOLDED = "conflicts_seq"


def add_local_scope(conn: sqlite3.Connection) -> None:
    """Put records with conflict rows and changes since the last derivation into the scope."""
    since = conn.execute("SELECT value FROM main.meta WHERE key = ?", [FOLDED]).fetchone()
    stale = ("EXISTS (SELECT 1 FROM main.changes c WHERE c.tbl = k.tbl AND c.rid = k.rid "
             "AND c.seq > ?)")
    params = [int(since[0]) if since else 0]
    conn.execute(f"INSERT OR IGNORE INTO temp.sync_aff SELECT k.tbl, k.field, k.rid "
                 f"FROM main.conflicts k WHERE k.kind = 'value' AND {stale}", params)
    conn.execute(f"INSERT OR IGNORE INTO temp.sync_aff SELECT k.tbl, 'deleted', k.rid "
                 f"FROM main.conflicts k WHERE k.kind = 'deleted' AND {stale}", params)
    conn.execute(f"INSERT OR IGNORE INTO temp.sync_rec (tbl, rid) SELECT k.tbl, k.rid "
                 f"FROM main.conflicts k WHERE {stale}", params)


def mark_derived(conn: sqlite3.Connection) -> None:
    conn.execute(
        "INSERT INTO main.meta (key, value) SELECT ?, coalesce(max(seq), 0) FROM main.changes "
        "WHERE true ON CONFLICT (key) DO UPDATE SET value = excluded.value", [FOLDED])


def _refresh_scope(conn: sqlite3.Connection) -> None:
    """Re-derive the conflicts of the records in the scratch scope (no merge running)."""
    tables = [r[0] for r in conn.execute("SELECT DISTINCT tbl FROM temp.sync_rec")]
    for table in tables:
        pairs = conn.execute("SELECT rid, field FROM temp.sync_aff WHERE tbl = ?",
                             [table]).fetchall()
        recompute(conn, table, pairs)
    apply_resolutions(conn)
    mark_derived(conn)


def refresh(store: AuditStore) -> None:
    """Bring conflict rows up to date with local edits made since the last derivation."""
    conn = store.db.conn
    since = store.meta(FOLDED)
    pending = conn.execute(
        "SELECT 1 FROM conflicts k WHERE EXISTS (SELECT 1 FROM changes c WHERE c.tbl = k.tbl "
        "AND c.rid = k.rid AND c.seq > ?) LIMIT 1", [int(since or 0)]).fetchone()
    if pending is None:
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        scratch.reset(conn)
        add_local_scope(conn)
        _refresh_scope(conn)
        conn.execute("COMMIT")
    finally:
        if conn.in_transaction:
            conn.execute("ROLLBACK")


def apply_resolutions(conn: sqlite3.Connection) -> None:
    """Set each conflict in ``temp.sync_cids`` to its latest resolution in the log."""
    conn.execute(
        "UPDATE main.conflicts AS k SET resolution = x.res, resolved_stamp = x.stamp, "
        "resolved_device = x.device, resolved_by = x.auditor FROM ("
        " SELECT c.rid, max(c.stamp || c.device), json_extract(c.new, '$') AS res, c.stamp,"
        " c.device, c.auditor FROM main.changes c WHERE c.tbl = ? AND c.field = 'resolution'"
        " AND c.rid IN (SELECT id FROM temp.sync_cids) GROUP BY c.rid) AS x "
        "WHERE k.id = x.rid", [CONFLICTS])


# -- resolving -------------------------------------------------------------------------------
def resolve_conflict(store: AuditStore, acting: str | None, conflict_id: str, keep: Keep) -> None:
    """Keep the winning value (``"kept"``) or bring the losing one back (``"other"``).

    The choice is logged as a change and merges into other files like any edit; ``other``
    also writes the losing value (or, for an edit to a deleted record, restores the record).
    """
    if keep not in ("kept", "other"):
        raise ValueError(f"keep must be 'kept' or 'other', not {keep!r}")
    conn = store.db.conn
    row = conn.execute("SELECT kind, tbl, rid, field, other_value, resolution FROM conflicts "
                       "WHERE id = ?", [conflict_id]).fetchone()
    if row is None:
        raise NotFound("sync.conflict_not_found", id=conflict_id)
    kind, table, rid, field, other_value, resolution = row
    if resolution is not None:
        raise RuleViolation("sync.conflict_resolved", id=conflict_id[:8], resolution=resolution)
    with store.write(acting) as w:
        if keep == "other":
            w.update(table, rid, {"deleted": 0} if kind == "deleted"
                     else {field: decode(other_value)})
        conn.execute(
            "INSERT INTO changes (id, tbl, rid, field, old, new, stamp, device, auditor, base) "
            "VALUES (?, ?, ?, 'resolution', NULL, ?, ?, ?, ?, NULL)",
            [store.new_id(), CONFLICTS, conflict_id, encode(keep), str(store.clock.tick()),
             store.device_id, acting])
        scratch.reset(conn)
        add_local_scope(conn)
        conn.executemany("INSERT OR IGNORE INTO temp.sync_aff VALUES (?, ?, ?)",
                         [(table, field, rid), (table, "deleted", rid)])
        conn.execute("INSERT OR IGNORE INTO temp.sync_rec (tbl, rid) VALUES (?, ?)", [table, rid])
        conn.execute("INSERT INTO temp.sync_cids VALUES (?)", [conflict_id])
        _refresh_scope(conn)


# -- reading ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Side:
    """One of the two values of a conflict, with who wrote it, where and when."""

    value: Any
    stamp: str
    device: str
    device_name: str
    auditor: str | None
    auditor_name: str


@dataclass(frozen=True)
class Conflict:
    id: str
    kind: str
    """``value``: two edits of one field; ``deleted``: an edit to a record deleted elsewhere."""
    table: str
    record_id: str
    field: str
    kept: Side
    other: Side
    resolution: str | None
    resolved_stamp: str | None
    resolved_by: str | None

    def as_json(self) -> dict[str, Any]:
        side = lambda s: {"value": s.value, "device": s.device, "device_name": s.device_name,  # noqa: E731
                          "auditor": s.auditor_name or s.auditor, "stamp": s.stamp}
        return {"id": self.id, "kind": self.kind, "table": self.table, "record": self.record_id,
                "field": self.field, "kept": side(self.kept), "other": side(self.other),
                "resolution": self.resolution}


def list_conflicts(store: AuditStore, *, include_resolved: bool = False,
                   ids: Iterable[str] | None = None) -> list[Conflict]:
    """Conflicts for the Conflicts view, oldest losing write first."""
    refresh(store)
    return read_conflicts(store.db.conn, include_resolved=include_resolved, ids=ids)


def read_conflicts(conn: sqlite3.Connection, *, include_resolved: bool = False,
                   ids: Iterable[str] | None = None) -> list[Conflict]:
    devices = dict(conn.execute("SELECT id, name FROM devices"))
    auditors = dict(conn.execute("SELECT id, name FROM auditors"))
    where, params = ("1", [])
    if ids is not None:
        id_list = list(ids)
        where, params = f"id IN ({', '.join('?' for _ in id_list)})", id_list
    if not include_resolved:
        where += " AND resolution IS NULL"
    out = []
    for r in conn.execute(f"SELECT * FROM conflicts WHERE {where} "
                          f"ORDER BY other_stamp, other_device, id", params):
        (cid, kind, table, rid, field, kv, ks, kd, ka, ov, os_, od, oa, res, rs, _rd, rb) = r

        def side(value: str | None, stamp: str, device: str, auditor: str | None) -> Side:
            return Side(decode(value), stamp, device, devices.get(device, device[:8]), auditor,
                        auditors.get(auditor, "") if auditor else "")

        out.append(Conflict(cid, kind, table, rid, field, side(kv, ks, kd, ka),
                            side(ov, os_, od, oa), res, rs, rb))
    return out
