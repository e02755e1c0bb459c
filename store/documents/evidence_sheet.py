"""审计取证单 (evidence sheet), one page or more per finding (``domain.md`` §4.2).

Fields: project and auditee, the matter, its summary (facts with voucher numbers and dates as
the auditor wrote them, amounts in figures and in 人民币大写, nature), basis, attached files,
auditors and date, and the auditee's block: opinion, signature of the responsible person,
seal and date. When the auditee refuses to sign, two auditors note it in the 备注 box and the
sheet stays valid evidence. 取证单 carry no 发文字号.
"""

from __future__ import annotations

from datetime import date

from store.dates import format_gongwen_date
from store.documents.common import AuditFacts, Built, amount_lines, doc_text
from store.documents.layout import Block, Document, FormBlock, FormField, FormRow, PageBreak, Title
from store.errors import InvalidInput
from store.models import Finding


def summary_text(finding: Finding) -> str:
    """The 审计事项摘要: facts, then each amount kind that is not zero, then the nature."""
    parts = [finding.facts.strip()] if finding.facts.strip() else []
    parts += amount_lines(finding)
    parts.append(doc_text("evidence.nature", nature=finding.nature))
    return "\n".join(parts)


def sheet_blocks(facts: AuditFacts, finding: Finding, on: date) -> tuple[Block, ...]:
    names = facts.evidence_names.get(finding.id or "", ())
    attached = (doc_text("evidence.files", n=len(names), names="、".join(names)) if names
                else doc_text("none"))
    project = doc_text("notice.project", unit=facts.unit.name, period=facts.period_text,
                       type=facts.audit.type)
    team = "、".join(a.name for a in facts.team)
    sign = doc_text("evidence.sign_footer")
    form = FormBlock((
        FormRow((FormField(doc_text("evidence.project"), project),)),
        FormRow((FormField(doc_text("evidence.unit"), facts.unit.name),)),
        FormRow((FormField(doc_text("evidence.matter"), finding.title),)),
        FormRow((FormField(doc_text("evidence.summary"), summary_text(finding)),), min_lines=5),
        FormRow((FormField(doc_text("evidence.basis"), finding.basis or doc_text("none")),)),
        FormRow((FormField(doc_text("evidence.attachments"), attached),)),
        FormRow((FormField(doc_text("evidence.auditors"), team),
                 FormField(doc_text("evidence.made_on"), format_gongwen_date(on)))),
        FormRow((FormField(doc_text("evidence.opinion"), "", sign),), min_lines=6),
        FormRow((FormField(doc_text("evidence.remark"), doc_text("evidence.refused"),
                           doc_text("evidence.refused_footer")),), min_lines=3),
    ))
    return (Title(doc_text("evidence.title")), form)


def build_evidence(facts: AuditFacts, on: date, finding_id: str | None = None) -> Built:
    """Sheets for one finding, or for every finding of the audit, each on its own page.

    Raises:
        NotFound: ``finding_id`` is not a finding of this audit.
        InvalidInput: the audit has no findings yet.
    """
    findings = (facts.finding(finding_id),) if finding_id else facts.findings
    if not findings:
        raise InvalidInput("documents.no_findings", unit=facts.unit.name)
    blocks: list[Block] = []
    for finding in findings:
        if blocks:
            blocks.append(PageBreak())
        blocks += sheet_blocks(facts, finding, on)
    title = doc_text("evidence.title")
    doc = Document(tuple(blocks), title=f"{title}（{facts.unit.name}）",
                   author=facts.county.committee)
    return Built(doc)
