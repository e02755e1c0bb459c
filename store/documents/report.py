"""审计报告 (draft for the auditee's comments), per ``domain.md`` §4.4 (内审 2106).

Parts: overview (unit, period, team, dates, scope), basis, findings (a table with both amount
kinds and their totals, then each finding's facts and basis), conclusion, recommendations,
and the section for the auditee's written feedback (10 days; silence is no objection).
"""

from __future__ import annotations

from datetime import date

from store.dates import format_gongwen_date
from store.documents.common import AuditFacts, Built, amount_text, doc_text
from store.documents.layout import (
    Addressee,
    Attachment,
    AttachmentNote,
    Block,
    Column,
    Document,
    FormBlock,
    FormField,
    FormRow,
    Heading,
    Paragraph,
    RedHeader,
    Signature,
    Table,
    Title,
)
from store.documents.notice import basis_text
from store.money import format_fen


def findings_table(facts: AuditFacts) -> Table:
    rows = tuple((str(i), f.title, f.nature, format_fen(f.violation_fen),
                  format_fen(f.irregular_fen)) for i, f in enumerate(facts.findings, 1))
    return Table(
        (Column(doc_text("col.no"), 0.6, "center"), Column(doc_text("report.col_title"), 3.6),
         Column(doc_text("report.col_nature"), 1.3, "center"),
         Column(doc_text("report.col_violation"), 1.5, "right"),
         Column(doc_text("report.col_irregular"), 1.5, "right")),
        rows,
        totals=("", doc_text("report.total", n=len(facts.findings)), "",
                format_fen(facts.violation_total), format_fen(facts.irregular_total)),
    )


def build_report(facts: AuditFacts, number: str, on: date) -> Built:
    a, unit, county = facts.audit, facts.unit, facts.county
    title = doc_text("report.title", unit=unit.name, period=facts.period_text, type=a.type)
    members = "、".join(m.name for m in facts.members) or doc_text("none")
    blocks: list[Block] = [
        RedHeader(county.committee, number),
        Title(title),
        Addressee(doc_text("notice.addressee", unit=unit.name)),
        Paragraph(doc_text("report.opening", committee=county.committee, period=facts.period_text,
                           type=a.type, start=format_gongwen_date(a.planned_start),
                           end=format_gongwen_date(a.planned_end))),
        Heading(1, doc_text("report.h_overview")),
        Paragraph(doc_text("report.unit", unit=unit.name, enterprise=unit.enterprise,
                           counts=_counts(unit.member_count, unit.staff_count),
                           chairman=unit.chairman or doc_text("none"))),
        Paragraph(doc_text("report.team", leader=facts.leader.name, members=members,
                           areas="、".join(ar.title for ar in facts.template.areas))),
        Heading(1, doc_text("report.h_basis"), basis_text(facts)),
        Heading(1, doc_text("report.h_findings")),
    ]
    if facts.findings:
        blocks += [Paragraph(doc_text("report.findings_intro", n=len(facts.findings),
                                      violation=amount_text(facts.violation_total),
                                      irregular=amount_text(facts.irregular_total))),
                   findings_table(facts)]
        for f in facts.findings:
            body = f.facts.strip()
            blocks.append(Heading(2, f.title, "。" + body if body else "。"))
            if f.basis.strip():
                blocks.append(Paragraph(doc_text("report.basis_of", basis=f.basis.strip())))
    else:
        blocks.append(Paragraph(doc_text("report.no_findings")))
    blocks += [
        Heading(1, doc_text("report.h_conclusion")),
        Paragraph(doc_text("report.conclusion" if facts.findings else "report.conclusion_clean",
                           period=facts.period_text)),
        Heading(1, doc_text("report.h_recommendations")),
    ]
    recs = [f for f in facts.findings if f.recommendation.strip()]
    for f in recs:
        blocks.append(Heading(2, f.title, "。" + f.recommendation.strip()))
    blocks.append(Paragraph(doc_text("report.general_recommendation")))
    blocks += [
        Heading(1, doc_text("report.h_feedback")),
        Paragraph(doc_text("report.feedback")),
        AttachmentNote((doc_text("report.feedback_title"),)),
        Signature(county.committee, on),
    ]
    feedback = Attachment(doc_text("report.feedback_title"), (
        Paragraph(doc_text("report.feedback_intro", title=title, number=number)),
        FormBlock((
            FormRow((FormField(doc_text("evidence.unit"), unit.name),)),
            FormRow((FormField(doc_text("report.feedback_box"), "",
                               doc_text("evidence.sign_footer")),), min_lines=12),
        )),
    ))
    return Built(Document(tuple(blocks), title=title, author=county.committee, subject=number,
                          attachments=(feedback,)))


def _counts(members: int | None, staff: int | None) -> str:
    """Member and staff numbers, leaving out what the roster does not know (0 or empty):
    a report must not tell the unit it has 0 members."""
    if members and staff:
        return doc_text("report.counts_both", members=members, staff=staff)
    if members:
        return doc_text("report.counts_members", members=members)
    if staff:
        return doc_text("report.counts_staff", staff=staff)
    return ""
