"""审计整改通知书 (rectification notice), per ``domain.md`` §4.5.

Fields: title, 发文字号, auditee, each problem with its recommendation, rectification mode and
deadline, the requirement to return a written 整改报告 (by the latest deadline), seal and date.
A finding without its own deadline gets the issue date plus ``county.rectify_days``.
"""

from __future__ import annotations

from datetime import date, timedelta

from store.dates import format_gongwen_date
from store.documents.common import AuditFacts, Built, amount_lines, doc_text
from store.documents.layout import (
    Addressee,
    Block,
    Document,
    Heading,
    Paragraph,
    RedHeader,
    Signature,
    Title,
)
from store.enums import RectifyMode
from store.errors import InvalidInput
from store.models import Finding


def deadline_of(facts: AuditFacts, finding: Finding, on: date) -> date:
    if finding.deadline is not None:
        return finding.deadline
    if finding.rectify_mode == RectifyMode.IMMEDIATE:
        return on + timedelta(days=min(7, facts.county.rectify_days))
    return on + timedelta(days=facts.county.rectify_days)


def build_rectification(facts: AuditFacts, number: str, on: date) -> Built:
    """Raises InvalidInput when the audit has no findings."""
    a, unit, county = facts.audit, facts.unit, facts.county
    if not facts.findings:
        raise InvalidInput("documents.no_findings", unit=unit.name)
    title = doc_text("rectify.title", unit=unit.name)
    blocks: list[Block] = [
        RedHeader(county.committee, number),
        Title(title),
        Addressee(doc_text("notice.addressee", unit=unit.name)),
        Paragraph(doc_text("rectify.opening", start=format_gongwen_date(a.planned_start),
                           end=format_gongwen_date(a.planned_end), period=facts.period_text,
                           type=a.type, n=len(facts.findings))),
        Heading(1, doc_text("rectify.h_findings")),
    ]
    deadlines = []
    for f in facts.findings:
        deadline = deadline_of(facts, f, on)
        deadlines.append(deadline)
        amounts = amount_lines(f)
        blocks.append(Heading(2, f.title, "。" + f.facts.strip() if f.facts.strip() else "。"))
        if amounts:
            blocks.append(Paragraph("".join(amounts)))
        blocks.append(Paragraph(doc_text("rectify.recommendation",
                                         text=f.recommendation.strip().rstrip("。")
                                         or doc_text("rectify.no_recommendation"))))
        blocks.append(Paragraph(doc_text("rectify.mode", mode=f.rectify_mode,
                                         deadline=format_gongwen_date(deadline))))
    last = max(deadlines)
    blocks += [
        Heading(1, doc_text("rectify.h_requirements")),
        Paragraph(doc_text("rectify.responsible")),
        Paragraph(doc_text("rectify.report", deadline=format_gongwen_date(last))),
        Paragraph(doc_text("rectify.follow_up")),
        Signature(county.committee, on),
    ]
    return Built(Document(tuple(blocks), title=title, author=county.committee, subject=number))
