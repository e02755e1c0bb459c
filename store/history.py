"""The change log read as an audit trail: who changed what, when, on which device."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from store.records import CREATED, decode

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
        common = (r["device"], r["dname"], r["auditor"], r["auditor_name"], r["base"])
        if r["field"] == CREATED:  # a creation: one entry per initial field value
            for field, value in decode(r["new"]).items():
                entries.append(ChangeEntry(r["stamp"], r["tbl"], r["rid"], field, None, value,
                                           *common))
        else:
            entries.append(ChangeEntry(r["stamp"], r["tbl"], r["rid"], r["field"],
                                       decode(r["old"]), decode(r["new"]), *common))
    return entries
