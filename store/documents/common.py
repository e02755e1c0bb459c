"""What every audit document builder needs: the audit's records gathered once, and 发文字号.

A document is built from an :class:`AuditFacts` (read in one go, so a builder never touches
the database) and an issue date. Numbers: a document kind that carries a 发文字号 keeps the
number it got the first time it was printed (looked up in ``doc_numbers`` by kind, audit and
finding), so reprinting never uses a new serial; a first print allocates one through
:func:`store.sync.numbering.next_doc_number` in the same write that records it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from store.auditors import get_auditor
from store.audits import get_audit
from store.checklist import Template
from store.county import get_county
from store.docnumber import format_doc_number
from store.documents.layout import Document
from store.evidence import list_evidence
from store.findings import list_findings
from store.errors import NotFound
from store.i18n import t
from store.models import Audit, Auditor, County, Finding, Unit
from store.money import format_fen, rmb_capital
from store.sync.numbering import next_doc_number
from store.template_registry import get_template
from store.units import get_unit

if TYPE_CHECKING:
    from store.db import AuditStore


def doc_text(key: str, **params: object) -> str:
    """Wording of an official document: always Chinese, whatever the interface language."""
    return t(f"documents.{key}", "zh", **params)


def amount_text(fen: int) -> str:
    """``¥12,345.60（人民币壹万贰仟叁佰肆拾伍元陆角）``: figures and capitals together."""
    return doc_text("amount", figures=format_fen(fen), capital=rmb_capital(fen))


def amount_lines(finding: Finding) -> list[str]:
    """``违规金额¥…（人民币…）。`` and ``管理不规范金额…``, each only when it is not zero."""
    lines = []
    if finding.violation_fen:
        lines.append(doc_text("evidence.violation", amount=amount_text(finding.violation_fen)))
    if finding.irregular_fen:
        lines.append(doc_text("evidence.irregular", amount=amount_text(finding.irregular_fen)))
    return lines


@dataclass(frozen=True)
class Built:
    """A document ready to render, and the warnings to show before it is sent."""

    document: Document
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class AuditFacts:
    """One audit with everything its documents print."""

    audit: Audit
    unit: Unit
    county: County
    leader: Auditor
    members: tuple[Auditor, ...]
    template: Template
    findings: tuple[Finding, ...]
    evidence_names: dict[str, tuple[str, ...]]
    """finding id → names of the files attached to it (printed as the 取证单's 附件)."""

    def finding(self, finding_id: str) -> Finding:
        for f in self.findings:
            if f.id == finding_id:
                return f
        raise NotFound("documents.finding_not_in_audit", finding=finding_id,
                       audit=self.audit.id or "")

    @property
    def violation_total(self) -> int:
        return sum(f.violation_fen for f in self.findings)

    @property
    def irregular_total(self) -> int:
        return sum(f.irregular_fen for f in self.findings)

    @property
    def team(self) -> tuple[Auditor, ...]:
        return (self.leader, *self.members)

    @property
    def period_text(self) -> str:
        a = self.audit
        if a.period_from == a.period_to:
            return doc_text("period_one", year=a.period_from)
        return doc_text("period_range", start=a.period_from, end=a.period_to)


def load_facts(store: AuditStore, audit_id: str) -> AuditFacts:
    """Read the audit, its unit, county, team, template and live findings.

    Raises:
        NotFound: no such audit (or a record it refers to is missing).
    """
    audit = get_audit(store, audit_id)
    findings = tuple(list_findings(store, audit_id))
    return AuditFacts(
        audit=audit,
        unit=get_unit(store, audit.unit_id),
        county=get_county(store),
        leader=get_auditor(store, audit.leader_id),
        members=tuple(get_auditor(store, m) for m in audit.members),
        template=get_template(store, audit.template_id, audit.template_version),
        findings=findings,
        evidence_names={f.id or "": tuple(e.name for e in list_evidence(store, finding_id=f.id))
                        for f in findings},
    )


SERIES_SUFFIX_KEYS = {"report": "series.report", "rectify": "series.rectify",
                     "opinion": "series.opinion", "decision": "series.decision"}


def series_prefix(doc_prefix: str, kind: str) -> str:
    """The 机关代字 of a series: the county's prefix for notices (``青工审``), with a kind
    character for the others (``青工审报``, ``青工审改``), so two series never print the same
    number text."""
    key = SERIES_SUFFIX_KEYS.get(kind)
    return doc_prefix + (doc_text(key) if key else "")


@dataclass(frozen=True)
class IssuedNumber:
    """A document's 发文字号 and the date it was first issued (a reprint keeps both)."""

    text: str
    issued_on: date
    new: bool = False


def existing_number(store: AuditStore, kind: str, audit_id: str,
                    finding_id: str | None = None) -> IssuedNumber | None:
    """The 发文字号 this document got when it was first printed, if it was."""
    row = store.db.execute(
        "SELECT text, issued_on FROM doc_numbers WHERE kind = ? AND audit_id = ? "
        "AND finding_id IS ? AND deleted = 0 ORDER BY year, serial LIMIT 1",
        [kind, audit_id, finding_id]).fetchone()
    return IssuedNumber(row[0], date.fromisoformat(row[1])) if row else None


def issue_number(store: AuditStore, acting: str | None, kind: str, audit_id: str, on: date,
                 finding_id: str | None = None) -> IssuedNumber:
    """The document's existing number, or a new one dated ``on`` and recorded now.

    Raises:
        NumbersExhausted: a laptop whose reserved block for ``kind`` and year is used up.
    """
    found = existing_number(store, kind, audit_id, finding_id)
    if found is not None:
        return found
    prefix = series_prefix(get_county(store).doc_prefix, kind)
    with store.write(acting) as w:
        serial = next_doc_number(store, kind, on.year)
        text = format_doc_number(prefix, on.year, serial)
        w.insert("doc_numbers", {"kind": kind, "year": on.year, "serial": serial, "text": text,
                                 "audit_id": audit_id, "finding_id": finding_id,
                                 "issued_on": on.isoformat()})
    return IssuedNumber(text, on, new=True)
