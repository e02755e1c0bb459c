"""The change log read as an audit trail: who changed what, when, on which device."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from store.records import field_writes

if TYPE_CHECKING:
    from store.db import AuditStore


@dataclass(frozen=True)
class ChangeEntry:
    stamp: str
    table: str
    record_id: str
    field: str
    old: Any
    new: Any
    device: str
    device_name: str
    auditor_id: str | None
    auditor_name: str
    base: str | None


def history(store: AuditStore, table: str, record_id: str) -> list[ChangeEntry]:
    """Every logged change of one record, oldest first."""
    rows = store.db.query(
        "SELECT c.*, coalesce(a.name, '') AS auditor_name, coalesce(d.name, c.device) AS dname "
        "FROM changes c LEFT JOIN auditors a ON a.id = c.auditor "
        "LEFT JOIN devices d ON d.id = c.device "
        "WHERE c.tbl = ? AND c.rid = ? ORDER BY c.stamp, c.device, c.seq",
        [table, record_id],
    )
    entries: list[ChangeEntry] = []
    for r in rows:
        who = (r["device"], r["dname"], r["auditor"], r["auditor_name"])
        # a creation or a write of several fields: one entry per field value
        for field, old, new, base in field_writes(r["field"], r["old"], r["new"], r["base"]):
            entries.append(ChangeEntry(r["stamp"], r["tbl"], r["rid"], field, old, new,
                                       *who, base))
    return entries


_LABEL_SQL = {
    "units": "SELECT name FROM units WHERE id = ?",
    "auditors": "SELECT code || ' ' || name FROM auditors WHERE id = ?",
    "audits": "SELECT u.name || ' · ' || a.type FROM audits a JOIN units u ON u.id = a.unit_id "
              "WHERE a.id = ?",
    "answers": "SELECT u.name || ' · ' || s.item_code FROM answers s "
               "JOIN audits a ON a.id = s.audit_id JOIN units u ON u.id = a.unit_id "
               "WHERE s.id = ?",
    "findings": "SELECT u.name || ' · ' || f.title FROM findings f "
                "JOIN audits a ON a.id = f.audit_id JOIN units u ON u.id = a.unit_id "
                "WHERE f.id = ?",
    "evidence": "SELECT name FROM evidence WHERE id = ?",
    "return_visits": "SELECT u.name || ' · ' || coalesce(v.visited_on, v.planned_on) "
                     "FROM return_visits v JOIN audits a ON a.id = v.audit_id "
                     "JOIN units u ON u.id = a.unit_id WHERE v.id = ?",
    "devices": "SELECT name FROM devices WHERE id = ?",
}


def record_label(store: AuditStore, table: str, record_id: str) -> str:
    """A short name a user recognises for one record (a unit's name, a finding's unit and
    title, …); the tail of its id when the record has no such name or no longer exists."""
    sql = _LABEL_SQL.get(table)
    row = store.db.execute(sql, [record_id]).fetchone() if sql else None
    return str(row[0]) if row and row[0] else f"…{record_id[-8:]}"
