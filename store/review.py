"""Review (复核): the team leader signs off answers and findings; the audit moves forward.

A review records who reviewed (``reviewed_by``) and *which version* was reviewed
(``reviewed_stamp``: the stamp of the record's latest content change at that moment). Writing
the review itself changes the record's row stamp, so "modified since review" is read from the
change log: a content change (any field but the two review fields) stamped after
``reviewed_stamp``. Stamps are hybrid-logical-clock text that sorts as time
(``store.clock``), so an edit made after the review, on any device, shows up once merged.

Only the audit's team leader (组长) may review; 分级复核 is the leader's duty.

Advancing an audit's status is checked first (:func:`advance_issues`): moving to 已出报告 or
beyond with items still 未检查 needs an explicit confirmation; findings lacking a basis or a
recommendation, amounts that do not fit the nature, answers that call for a finding without
one (the item's ``opens_finding_on``), and answers not reviewed are warnings.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Literal

from store.audits import advance_status, get_audit
from store.auditors import get_auditor
from store.enums import AnswerResult, AuditStatus, FindingNature, rank
from store.errors import NotFound, RuleViolation
from store.i18n import t
from store.models import Answer, Audit, Finding
from store.query import fetch_one
from store.records import MULTI
from store.template_registry import get_template

if TYPE_CHECKING:
    from store.db import AuditStore

REVIEWABLE = {"answers": Answer, "findings": Finding}
REVIEW_FIELDS = ("reviewed_by", "reviewed_stamp")
#: Statuses from which the report is out: unanswered items must be confirmed before them.
REPORTED_OR_LATER = tuple(s for s in AuditStatus
                          if rank(s, AuditStatus) >= rank(AuditStatus.REPORTED, AuditStatus))
LISTED_CODES = 8  # item codes named in a message before "…"


class ReviewState(StrEnum):
    NOT_REVIEWED = "not_reviewed"
    REVIEWED = "reviewed"
    MODIFIED = "modified"
    """Reviewed, then changed: the leader must look again."""


def review_state(reviewed_stamp: str | None, content_stamp: str | None) -> ReviewState:
    """The state of a record from its review stamp and its latest content-change stamp."""
    if not reviewed_stamp:
        return ReviewState.NOT_REVIEWED
    if content_stamp is not None and content_stamp > reviewed_stamp:
        return ReviewState.MODIFIED
    return ReviewState.REVIEWED


_MARK = "'reviewed_by', 'reviewed_stamp'"
_CONTENT = (f"(field NOT IN ({_MARK}, '{MULTI}') OR (field = '{MULTI}' AND EXISTS "
            f"(SELECT 1 FROM json_each(new) WHERE key NOT IN ({_MARK}))))")
"""A change row writes something besides the review mark (a several-field row: any key)."""


def content_stamp(store: AuditStore, table: str, record_id: str) -> str | None:
    """Stamp of the latest change to anything but the review fields (creation included)."""
    row = store.db.execute(
        f"SELECT max(stamp) FROM changes WHERE tbl = ? AND rid = ? AND {_CONTENT}",
        [table, record_id]).fetchone()
    return row[0] if row else None


def content_stamps(store: AuditStore, table: str, audit_id: str) -> dict[str, str]:
    """Record id → latest content-change stamp, for every record of ``table`` in an audit
    (one query, for the workspace's marks)."""
    _model(table)
    rows = store.db.execute(
        f"SELECT rid, max(stamp) FROM changes WHERE tbl = ? AND {_CONTENT} AND rid IN "
        f"(SELECT id FROM {table} WHERE audit_id = ?) GROUP BY rid", [table, audit_id])
    return dict(rows.fetchall())


def _model(table: str) -> type[Answer] | type[Finding]:
    if table not in REVIEWABLE:
        raise NotFound("review.not_reviewable", table=table)
    return REVIEWABLE[table]


def check_leader(store: AuditStore, acting: str | None, audit: Audit) -> None:
    """Raise unless ``acting`` leads ``audit`` (only the team leader reviews)."""
    if acting is None:
        raise RuleViolation("review.need_auditor")
    if acting != audit.leader_id:
        leader = get_auditor(store, audit.leader_id)
        raise RuleViolation("review.leader_only", leader=leader.name)


def mark_reviewed(store: AuditStore, acting: str | None, table: str, record_id: str) -> str:
    """Record that the team leader ``acting`` reviewed the record as it is now.

    Returns the reviewed content stamp. An answer still 未检查 has nothing to review.
    """
    record = fetch_one(store, _model(table), record_id)
    check_leader(store, acting, get_audit(store, record.audit_id))
    if isinstance(record, Answer) and record.result == AnswerResult.UNCHECKED:
        raise RuleViolation("review.unchecked", code=record.item_code)
    stamp = content_stamp(store, table, record_id)
    with store.write(acting) as w:
        w.update(table, record_id, {"reviewed_by": acting, "reviewed_stamp": stamp})
    return stamp or ""


def is_modified_since_review(store: AuditStore, table: str, record_id: str) -> bool:
    """True when the record was reviewed and its content changed afterwards."""
    record = fetch_one(store, _model(table), record_id)
    return review_state(record.reviewed_stamp,
                        content_stamp(store, table, record_id)) is ReviewState.MODIFIED


# -- advancing the audit ----------------------------------------------------------------------
Severity = Literal["block", "confirm", "warn"]


@dataclass(frozen=True)
class AdvanceIssue:
    """Something to know before the status moves: ``block`` stops it, ``confirm`` needs the
    user's explicit yes, ``warn`` is shown only."""

    severity: Severity
    key: str
    params: dict[str, object] = field(default_factory=dict)

    def message(self) -> str:
        return t(self.key, **self.params)


def next_status(status: AuditStatus | str) -> AuditStatus | None:
    """The status after ``status``, or None at the end."""
    order = list(AuditStatus)
    index = order.index(AuditStatus(status))
    return order[index + 1] if index + 1 < len(order) else None


def _codes(codes: Iterable[str]) -> str:
    listed = list(codes)
    shown = "、".join(listed[:LISTED_CODES])
    return shown + ("…" if len(listed) > LISTED_CODES else "")


def advance_issues(store: AuditStore, audit_id: str,
                   target: AuditStatus | str) -> list[AdvanceIssue]:
    """What stands in the way of moving ``audit_id`` to ``target``, most serious first."""
    audit = get_audit(store, audit_id)
    target = AuditStatus(target)
    if rank(target, AuditStatus) <= rank(audit.status, AuditStatus):
        return [AdvanceIssue("block", "records.backwards",
                             {"field": "status", "old": audit.status, "new": target})]
    if target not in REPORTED_OR_LATER:
        return []
    issues: list[AdvanceIssue] = []
    answers = store.query(
        "SELECT id, item_code, result, reviewed_stamp FROM answers "
        "WHERE audit_id = ? AND deleted = 0 ORDER BY rowid", [audit_id])
    unanswered = [a["item_code"] for a in answers if a["result"] == AnswerResult.UNCHECKED]
    if unanswered:
        issues.append(AdvanceIssue("confirm", "review.issue.unanswered",
                                   {"n": len(unanswered), "codes": _codes(unanswered)}))
    findings = store.query(
        "SELECT id, title, nature, item_code, basis, recommendation, violation_fen, "
        "irregular_fen FROM findings WHERE audit_id = ? AND deleted = 0 ORDER BY id",
        [audit_id])
    with_findings = {f["item_code"] for f in findings}
    template = get_template(store, audit.template_id, audit.template_version)
    opens = {item.code: item.opens_finding_on for _, item in template.iter_items()}
    missing = [a["item_code"] for a in answers
               if a["result"] in opens.get(a["item_code"], ())
               and a["item_code"] not in with_findings]
    if missing:
        issues.append(AdvanceIssue("warn", "review.issue.no_finding",
                                   {"n": len(missing), "codes": _codes(missing)}))
    for f in findings:
        if not f["basis"].strip():
            issues.append(AdvanceIssue("warn", "review.issue.no_basis", {"title": f["title"]}))
        if not f["recommendation"].strip():
            issues.append(AdvanceIssue("warn", "review.issue.no_recommendation",
                                       {"title": f["title"]}))
        if f["nature"] == FindingNature.VIOLATION and f["irregular_fen"] and not f["violation_fen"]:
            issues.append(AdvanceIssue("warn", "review.issue.amount_nature",
                                       {"title": f["title"], "nature": f["nature"]}))
        if f["nature"] == FindingNature.IRREGULAR and f["violation_fen"]:
            issues.append(AdvanceIssue("warn", "review.issue.amount_nature",
                                       {"title": f["title"], "nature": f["nature"]}))
    stamps = content_stamps(store, "answers", audit_id)
    unreviewed = [a["item_code"] for a in answers if a["result"] != AnswerResult.UNCHECKED
                  and review_state(a["reviewed_stamp"], stamps.get(a["id"]))
                  is not ReviewState.REVIEWED]
    if unreviewed:
        issues.append(AdvanceIssue("warn", "review.issue.unreviewed",
                                   {"n": len(unreviewed), "codes": _codes(unreviewed)}))
    return issues


def advance_audit(store: AuditStore, acting: str | None, audit_id: str,
                  target: AuditStatus | str, *, confirmed: bool = False) -> Audit:
    """Move the audit to ``target`` after :func:`advance_issues`: a ``block`` refuses, a
    ``confirm`` refuses unless ``confirmed``; warnings never stop it."""
    issues = advance_issues(store, audit_id, target)
    for issue in issues:
        if issue.severity == "block":
            raise RuleViolation(issue.key, **issue.params)
    if not confirmed and any(i.severity == "confirm" for i in issues):
        raise RuleViolation("review.needs_confirmation")
    return advance_status(store, acting, audit_id, AuditStatus(target))
