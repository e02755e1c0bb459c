"""审计回访 (return visits) and 销号 (closing a finding after checking its rectification).

A return visit checks, in writing (书面) or on site (实地), whether an audited unit rectified
what it was told to. It belongs to an audit and, when it checks one problem, to that finding.
The annual plan schedules visits (``planned_on``); recording one fills in ``visited_on``, the
result and the evidence, and may move the finding's rectification status forward.

销号 closes a finding for good and is done only by the auditor who verified the rectification:
either in the same step as their visit (the visit sets 已销号), or afterwards by
:func:`close_finding`, which requires a recorded visit by that auditor covering the finding.
The finding then records the verifier and the date (``verified_by``, ``verified_at``).
"""

from __future__ import annotations

import hashlib
import mimetypes
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self

from pydantic import Field, model_validator

from store.enums import RectifyStatus, rank
from store.errors import InvalidInput, NotFound, RuleViolation
from store.evidence import MAX_EVIDENCE_BYTES
from store.models import Audit, Auditor, Evidence, Finding, LongText, Record, Text
from store.query import fetch_all, fetch_one
from store.validation import build

if TYPE_CHECKING:
    from store.db import AuditStore


class VisitMethod(StrEnum):
    WRITTEN = "书面"
    ON_SITE = "实地"


class ReturnVisit(Record):
    TABLE = "return_visits"
    audit_id: str = Field(description="the audit whose rectification is checked")
    finding_id: str | None = Field(None, description="the finding checked; None: the whole audit")
    planned_on: date | None = Field(None, description="day planned in the annual plan")
    visited_on: date | None = Field(None, description="day the visit took place")
    method: VisitMethod = Field(VisitMethod.ON_SITE, description="书面 or 实地")
    result: LongText = Field("", description="what the visit found")
    evidence_id: str | None = Field(None, description="evidence row (visits about a finding)")
    evidence_sha256: str | None = Field(None, pattern=r"^[0-9a-f]{64}$",
                                        description="blob of the evidence file")
    evidence_name: Text = Field("", description="file name of the evidence")
    visitor_id: str = Field(description="the auditor who visits (and may verify)")

    @model_validator(mode="after")
    def _planned_or_done(self) -> Self:
        if self.planned_on is None and self.visited_on is None:
            raise ValueError("a return visit needs a planned day or the day it took place")
        return self

    @property
    def done(self) -> bool:
        return self.visited_on is not None


def _method(value: VisitMethod | str) -> VisitMethod:
    try:
        return VisitMethod(value)
    except ValueError:
        raise InvalidInput("office.bad_method", value=str(value),
                           known="、".join(m.value for m in VisitMethod)) from None


def _active_auditor(store: AuditStore, auditor_id: str | None) -> Auditor:
    if not auditor_id:
        raise RuleViolation("office.visit_needs_auditor")
    auditor = fetch_one(store, Auditor, auditor_id)
    if not auditor.active:
        raise RuleViolation("office.auditor_inactive", name=auditor.name)
    return auditor


def _read_evidence(path: Path | str) -> tuple[bytes, str, str, str, datetime]:
    path = Path(path)
    if not path.is_file():
        raise InvalidInput("evidence.not_a_file", path=str(path))
    size = path.stat().st_size
    if size > MAX_EVIDENCE_BYTES:
        raise InvalidInput("evidence.too_large", path=str(path), mb=size // 1_048_576)
    data = path.read_bytes()
    mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    captured = datetime.fromtimestamp(path.stat().st_mtime, UTC).replace(microsecond=0)
    return data, hashlib.sha256(data).hexdigest(), path.name, mime, captured


def record_visit(
    store: AuditStore, acting: str | None, *, today: date, visited_on: date,
    method: VisitMethod | str, result: str, finding_id: str | None = None,
    audit_id: str | None = None, visitor_id: str | None = None,
    evidence_path: Path | str | None = None, evidence_id: str | None = None,
    new_status: RectifyStatus | str | None = None, planned_visit_id: str | None = None,
) -> ReturnVisit:
    """Record a return visit, optionally moving the finding's status forward, in one write.

    ``visitor_id`` defaults to ``acting``. ``new_status`` (for a visit about a finding) is
    the status the visit found; 已销号 makes the visitor the verifier, so it must be the
    visitor who records it. ``planned_visit_id`` completes a visit planned earlier.

    Raises:
        InvalidInput: a day in the future, a missing file, a finding of another audit …
        RuleViolation: status moving backwards, closing on someone else's behalf …
    """
    visitor = _active_auditor(store, visitor_id or acting)
    method = _method(method)
    if visited_on > today:
        raise InvalidInput("office.visit_in_future", day=visited_on.isoformat())
    finding = fetch_one(store, Finding, finding_id) if finding_id else None
    if finding is not None:
        if audit_id and audit_id != finding.audit_id:
            raise InvalidInput("office.visit_wrong_audit")
        audit_id = finding.audit_id
    if not audit_id:
        raise InvalidInput("office.visit_needs_target")
    audit = fetch_one(store, Audit, audit_id)
    if visited_on < audit.planned_start:
        raise InvalidInput("office.visit_before_audit", day=visited_on.isoformat(),
                           start=audit.planned_start.isoformat())
    planned = None
    if planned_visit_id:
        planned = fetch_one(store, ReturnVisit, planned_visit_id)
        if planned.audit_id != audit_id or planned.done:
            raise InvalidInput("office.visit_plan_mismatch")
    finding_update = _status_change(finding, new_status, visitor, acting, visited_on)
    visit = build(ReturnVisit, audit_id=audit_id, finding_id=finding_id,
                  planned_on=planned.planned_on if planned else None, visited_on=visited_on,
                  method=method, result=result, evidence_id=evidence_id, visitor_id=visitor.id)
    if evidence_id:
        linked = fetch_one(store, Evidence, evidence_id)
        if linked.finding_id and finding_id and linked.finding_id != finding_id:
            raise InvalidInput("office.visit_wrong_evidence")
    file = _read_evidence(evidence_path) if evidence_path else None
    with store.write(acting) as w:
        if file is not None:
            data, digest, name, mime, captured = file
            store.db.execute("INSERT INTO blobs (sha256, size, data) VALUES (?, ?, ?) "
                             "ON CONFLICT DO NOTHING", [digest, len(data), data])
            visit = visit.model_copy(update={"evidence_sha256": digest, "evidence_name": name})
            if finding_id:
                ev = build(Evidence, sha256=digest, name=name, mime=mime, size=len(data),
                           captured_at=captured, finding_id=finding_id,
                           note=f"回访 {visited_on.isoformat()}")
                visit = visit.model_copy(update={"evidence_id": w.insert("evidence",
                                                                         ev.to_row())})
        if planned is not None:
            w.update("return_visits", planned.id, visit.to_row())
            visit_id = planned.id
        else:
            visit_id = w.insert("return_visits", visit.to_row())
        if finding_update is not None:
            w.update("findings", finding.id, finding_update.to_row())
    return visit.model_copy(update={"id": visit_id})


def _status_change(finding: Finding | None, new_status: RectifyStatus | str | None,
                   visitor: Auditor, acting: str | None, on: date) -> Finding | None:
    if new_status is None:
        return None
    if finding is None:
        raise InvalidInput("office.status_needs_finding")
    status = RectifyStatus(new_status)
    if status == finding.rectify_status:
        return None
    if rank(status, RectifyStatus) < rank(finding.rectify_status, RectifyStatus):
        raise RuleViolation("records.backwards", field="rectify_status",
                            old=finding.rectify_status, new=status)
    fields: dict[str, Any] = {"rectify_status": status}
    if status == RectifyStatus.CLOSED:
        if acting != visitor.id:
            raise RuleViolation("office.close_not_verifier", name=visitor.name)
        fields |= {"verified_by": visitor.id, "verified_at": on}
    return build(Finding, **{**finding.data(), **fields})


def close_finding(store: AuditStore, verifier_id: str | None, finding_id: str, *, on: date,
                  today: date) -> Finding:
    """销号 by ``verifier_id`` on ``on``: they must have recorded a visit covering the finding.

    A visit covers a finding when it names it, or names its audit without a finding, and
    took place on or before ``on``.
    """
    verifier = _active_auditor(store, verifier_id)
    if on > today:
        raise InvalidInput("office.visit_in_future", day=on.isoformat())
    finding = fetch_one(store, Finding, finding_id)
    if finding.rectify_status == RectifyStatus.CLOSED:
        raise RuleViolation("office.already_closed")
    visits = fetch_all(
        store, ReturnVisit,
        "visitor_id = ? AND visited_on IS NOT NULL AND visited_on <= ? AND "
        "(finding_id = ? OR (finding_id IS NULL AND audit_id = ?))",
        [verifier.id, on.isoformat(), finding_id, finding.audit_id])
    if not visits:
        raise RuleViolation("office.close_needs_visit", name=verifier.name)
    closed = build(Finding, **{**finding.data(), "rectify_status": RectifyStatus.CLOSED,
                               "verified_by": verifier.id, "verified_at": on})
    with store.write(verifier.id) as w:
        w.update("findings", finding_id, closed.to_row())
    return closed.model_copy(update={"id": finding_id})


def schedule_visit(store: AuditStore, acting: str | None, audit_id: str, planned_on: date,
                   visitor_id: str, method: VisitMethod | str = VisitMethod.ON_SITE,
                   finding_id: str | None = None) -> ReturnVisit:
    """Put a return visit into the plan (回访纳入年度计划)."""
    visitor = _active_auditor(store, visitor_id)
    method = _method(method)
    fetch_one(store, Audit, audit_id)
    if finding_id and fetch_one(store, Finding, finding_id).audit_id != audit_id:
        raise InvalidInput("office.visit_wrong_audit")
    visit = build(ReturnVisit, audit_id=audit_id, finding_id=finding_id, planned_on=planned_on,
                  method=method, visitor_id=visitor.id)
    with store.write(acting) as w:
        visit_id = w.insert("return_visits", visit.to_row())
    return visit.model_copy(update={"id": visit_id})


@dataclass(frozen=True)
class VisitRow:
    """A return visit as lists and exports show it."""

    id: str
    audit_id: str
    finding_id: str | None
    unit_name: str
    finding_title: str
    planned_on: date | None
    visited_on: date | None
    method: str
    result: str
    evidence_name: str
    visitor_name: str


_VISITS_SQL = """
SELECT v.id, v.audit_id, v.finding_id, u.name AS unit_name,
       coalesce(f.title, '') AS finding_title, v.planned_on, v.visited_on, v.method, v.result,
       v.evidence_name, coalesce(p.name, '') AS visitor_name
FROM return_visits v JOIN audits a ON a.id = v.audit_id JOIN units u ON u.id = a.unit_id
LEFT JOIN findings f ON f.id = v.finding_id LEFT JOIN auditors p ON p.id = v.visitor_id
WHERE v.deleted = 0 AND a.deleted = 0 AND ({where})
ORDER BY coalesce(v.visited_on, v.planned_on), u.name, v.id
"""


def list_visits(store: AuditStore, *, finding_id: str | None = None,
                audit_id: str | None = None) -> list[VisitRow]:
    """Return visits, planned and done, oldest first; optionally of one finding or audit.

    The visits of a finding include the visits about its whole audit.
    """
    if finding_id:
        audit = fetch_one(store, Finding, finding_id).audit_id
        where, params = ("v.finding_id = ? OR (v.finding_id IS NULL AND v.audit_id = ?)",
                         [finding_id, audit])
    elif audit_id:
        where, params = "v.audit_id = ?", [audit_id]
    else:
        where, params = "1", []
    rows = []
    for r in store.db.query(_VISITS_SQL.format(where=where), params):
        rows.append(VisitRow(**{**r, **{k: date.fromisoformat(r[k]) if r[k] else None
                                        for k in ("planned_on", "visited_on")}}))
    return rows


def get_visit(store: AuditStore, visit_id: str) -> ReturnVisit:
    try:
        return fetch_one(store, ReturnVisit, visit_id)
    except NotFound:
        raise NotFound("office.visit_unknown", id=visit_id) from None
