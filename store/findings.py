"""Findings: problems found, their amounts, basis, recommendation and rectification."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from store.enums import RectifyStatus, rank
from store.errors import RuleViolation
from store.models import Audit, Finding
from store.query import fetch_all, fetch_one
from store.validation import build

if TYPE_CHECKING:
    from store.db import AuditStore


def list_findings(store: AuditStore, audit_id: str | None = None) -> list[Finding]:
    if audit_id is None:
        return fetch_all(store, Finding)
    return fetch_all(store, Finding, "audit_id = ?", [audit_id])


def get_finding(store: AuditStore, finding_id: str) -> Finding:
    return fetch_one(store, Finding, finding_id)


def add_finding(store: AuditStore, acting: str | None, **fields: Any) -> Finding:
    finding = build(Finding, **fields)
    fetch_one(store, Audit, finding.audit_id)
    with store.write(acting) as w:
        finding_id = w.insert("findings", finding.to_row())
    return finding.model_copy(update={"id": finding_id})


def update_finding(store: AuditStore, acting: str | None, finding_id: str,
                   **fields: Any) -> Finding:
    """Edit any fields; rectification status may only move forward (see set_rectify_status)."""
    current = get_finding(store, finding_id)
    finding = build(Finding, **{**current.data(), **fields})
    if rank(finding.rectify_status, RectifyStatus) < rank(current.rectify_status, RectifyStatus):
        raise RuleViolation("records.backwards", field="rectify_status",
                            old=current.rectify_status, new=finding.rectify_status)
    with store.write(acting) as w:
        w.update("findings", finding_id, finding.to_row())
    return finding.model_copy(update={"id": finding_id})


def set_rectify_status(store: AuditStore, acting: str | None, finding_id: str,
                       status: RectifyStatus, on: date | None = None) -> Finding:
    """Record rectification progress; 已销号 records ``acting`` as verifier on ``on``."""
    fields: dict[str, Any] = {"rectify_status": status}
    if status == RectifyStatus.CLOSED:
        if acting is None:
            raise RuleViolation("findings.close_needs_auditor")
        fields |= {"verified_by": acting, "verified_at": on or date.today()}
    return update_finding(store, acting, finding_id, **fields)


def delete_finding(store: AuditStore, acting: str | None, finding_id: str) -> None:
    get_finding(store, finding_id)
    with store.write(acting) as w:
        w.delete("findings", finding_id)
