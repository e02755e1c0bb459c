"""Audits: one engagement at one unit, pinned to the template version it started with.

Creating an audit also creates one ``未检查`` answer per template item, in the same
transaction, so every laptop that receives the audit shares the same answer records (no
duplicates when their edits merge). Status only moves forward.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from store.enums import AuditStatus, rank
from store.errors import InvalidInput, RuleViolation
from store.models import Audit, Auditor, Unit
from store.query import fetch_all, fetch_one
from store.template_registry import get_template, template_items
from store.validation import build

if TYPE_CHECKING:
    from store.db import AuditStore


def create_audit(store: AuditStore, acting: str | None, **fields: Any) -> Audit:
    """Validate references and create the audit with its answer sheet."""
    audit = build(Audit, **fields)
    fetch_one(store, Unit, audit.unit_id)
    leader = fetch_one(store, Auditor, audit.leader_id)
    if not leader.can_lead:
        raise InvalidInput("audits.not_a_leader", name=leader.name)
    for member in audit.members:
        fetch_one(store, Auditor, member)
    if audit.leader_id in audit.members:
        raise InvalidInput("audits.leader_in_members", name=leader.name)
    template = get_template(store, audit.template_id, audit.template_version)
    with store.write(acting) as w:
        audit_id = w.insert("audits", audit.to_row())
        for _area, item in template_items(template):
            w.insert("answers", {"audit_id": audit_id, "item_code": item.code})
    return audit.model_copy(update={"id": audit_id})


def get_audit(store: AuditStore, audit_id: str) -> Audit:
    return fetch_one(store, Audit, audit_id)


def update_audit(store: AuditStore, acting: str | None, audit_id: str, **fields: Any) -> Audit:
    """Edit planning fields; the template pin and status have their own rules."""
    current = get_audit(store, audit_id)
    if {"template_id", "template_version"} & fields.keys():
        raise RuleViolation("audits.template_pinned")
    if "status" in fields:
        raise RuleViolation("audits.use_advance")
    audit = build(Audit, **{**current.data(), **fields})
    with store.write(acting) as w:
        w.update("audits", audit_id, audit.to_row())
    return audit.model_copy(update={"id": audit_id})


def advance_status(store: AuditStore, acting: str | None, audit_id: str,
                   status: AuditStatus) -> Audit:
    """Move the audit's status forward (skipping steps is allowed, going back never)."""
    current = get_audit(store, audit_id)
    if rank(status, AuditStatus) <= rank(current.status, AuditStatus):
        raise RuleViolation("records.backwards", field="status", old=current.status, new=status)
    with store.write(acting) as w:
        w.update("audits", audit_id, {"status": status.value})
    return current.model_copy(update={"status": status})


@dataclass(frozen=True)
class AuditSummary:
    """One line of an audit list, with what the lists and the CLI show."""

    id: str
    unit_id: str
    unit_name: str
    type: str
    status: str
    period_from: int
    period_to: int
    planned_start: date
    planned_end: date
    leader_name: str
    items_total: int
    items_answered: int
    findings: int
    violation_fen: int
    irregular_fen: int


_SUMMARY_SQL = """
SELECT a.id, a.unit_id, u.name AS unit_name, a.type, a.status, a.period_from, a.period_to,
       a.planned_start, a.planned_end, l.name AS leader_name,
       (SELECT count(*) FROM answers x WHERE x.audit_id = a.id AND x.deleted = 0) AS items_total,
       (SELECT count(*) FROM answers x WHERE x.audit_id = a.id AND x.deleted = 0
            AND x.result != '未检查') AS items_answered,
       (SELECT count(*) FROM findings f WHERE f.audit_id = a.id AND f.deleted = 0) AS findings,
       (SELECT coalesce(sum(violation_fen), 0) FROM findings f
            WHERE f.audit_id = a.id AND f.deleted = 0) AS violation_fen,
       (SELECT coalesce(sum(irregular_fen), 0) FROM findings f
            WHERE f.audit_id = a.id AND f.deleted = 0) AS irregular_fen
FROM audits a JOIN units u ON u.id = a.unit_id JOIN auditors l ON l.id = a.leader_id
WHERE a.deleted = 0 AND ({where})
ORDER BY a.planned_start DESC, u.name
"""


def list_audits(store: AuditStore, where: str = "1", params: Any = ()) -> list[AuditSummary]:
    rows = store.db.query(_SUMMARY_SQL.format(where=where), params)
    return [AuditSummary(**{**r, "planned_start": date.fromisoformat(r["planned_start"]),
                            "planned_end": date.fromisoformat(r["planned_end"])}) for r in rows]


def audits_of_unit(store: AuditStore, unit_id: str) -> list[Audit]:
    return fetch_all(store, Audit, "unit_id = ?", [unit_id], order_by="planned_start DESC")
