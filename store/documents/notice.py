"""审计通知书 (audit notice) with its materials list and 送达回证, per ``domain.md`` §4.1.

Elements: project name, auditee, basis, scope and content (the template's areas), time of
fieldwork, the team (leader and members), the materials and help required (the list is an
attachment on its own page), issuing body, 发文字号, date and seal. A notice dated fewer than
``county.notice_lead_days`` working days before fieldwork is still printed, with a warning.
"""

from __future__ import annotations

from datetime import date

from store.dates import format_gongwen_date, working_days_between
from store.documents.common import AuditFacts, Built, doc_text
from store.documents.layout import (
    Addressee,
    Attachment,
    AttachmentNote,
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
from store.i18n import t

MAX_REGULATIONS = 6
"""Laws named in a notice's or report's 审计依据 before "等法律法规"."""


def basis_text(facts: AuditFacts) -> str:
    """The 审计依据 sentence of a notice or report: the first laws the checklist cites."""
    return doc_text("notice.basis", laws="".join(regulations(facts)[:MAX_REGULATIONS]))


def regulations(facts: AuditFacts) -> list[str]:
    """The distinct laws and regulations the template's items cite, in checklist order.
    National standards (``GB …``, e.g. the credit-code rules an item checks against) are
    tools of the check, not a basis of the audit, and are left out of the notice."""
    out: list[str] = []
    for _area, item in facts.template.iter_items():
        for basis in item.basis:
            if basis.regulation not in out and not _is_standard(basis.regulation):
                out.append(basis.regulation)
    return out


def _is_standard(regulation: str) -> bool:
    return regulation.lstrip().upper().startswith(("GB ", "GB/T", "GB/Z"))


def materials(facts: AuditFacts) -> list[tuple[str, list[str]]]:
    """``(area title, materials)`` per area: the distinct entries of its items' evidence lists
    (an entry named by an earlier area is not repeated)."""
    seen: set[str] = set()
    out = []
    for area in facts.template.areas:
        names = []
        for item in area.items:
            for name in item.evidence:
                if name not in seen:
                    seen.add(name)
                    names.append(name)
        if names:
            out.append((area.title, names))
    return out


def lead_warning(facts: AuditFacts, on: date) -> str | None:
    """The short-notice warning, or ``None`` when the notice leaves enough working days."""
    need = facts.county.notice_lead_days
    days = working_days_between(on, facts.audit.planned_start)
    if days >= need:
        return None
    if facts.audit.planned_start <= on:
        return t("documents.notice_after_start", date=format_gongwen_date(on),
                 start=format_gongwen_date(facts.audit.planned_start), need=need)
    return t("documents.notice_short", date=format_gongwen_date(on),
             start=format_gongwen_date(facts.audit.planned_start), days=days, need=need)


def build_notice(facts: AuditFacts, number: str, on: date) -> Built:
    a, unit, county = facts.audit, facts.unit, facts.county
    start, end = format_gongwen_date(a.planned_start), format_gongwen_date(a.planned_end)
    project = doc_text("notice.project", unit=unit.name, period=facts.period_text, type=a.type)
    members = "、".join(m.name for m in facts.members) or doc_text("none")
    areas = tuple(Heading(2, area.title, doc_text("notice.area_items", n=len(area.items)))
                  for area in facts.template.areas)
    list_name, receipt_name = doc_text("notice.materials_title"), doc_text("receipt.title")
    blocks = (
        RedHeader(county.committee, number),
        Title(doc_text("notice.title", unit=unit.name, type=a.type)),
        Addressee(doc_text("notice.addressee", unit=unit.name)),
        Paragraph(doc_text("notice.opening", committee=county.committee, start=start,
                           period=facts.period_text, type=a.type)),
        Heading(1, doc_text("notice.h_project"), doc_text("notice.project_body", project=project)),
        Heading(1, doc_text("notice.h_basis"), basis_text(facts)),
        Heading(1, doc_text("notice.h_scope"),
                doc_text("notice.scope", period=facts.period_text, n=len(areas))),
        *areas,
        Heading(1, doc_text("notice.h_time"), doc_text("notice.time", start=start, end=end)),
        Heading(1, doc_text("notice.h_team"),
                doc_text("notice.team", leader=facts.leader.name, members=members)),
        Heading(1, doc_text("notice.h_cooperate")),
        Paragraph(doc_text("notice.cooperate_1")),
        Paragraph(doc_text("notice.cooperate_2", contact=unit.finance_contact
                           or doc_text("notice.finance_person"))),
        Paragraph(doc_text("notice.cooperate_3")),
        Paragraph(doc_text("notice.cooperate_4")),
        Paragraph(doc_text("notice.discipline")),
        Paragraph(doc_text("notice.contact", leader=facts.leader.name,
                           phone=facts.leader.phone or doc_text("notice.no_phone"))),
        AttachmentNote((list_name, receipt_name)),
        Signature(county.committee, on),
    )
    rows = tuple((str(i), area, "、".join(names))
                 for i, (area, names) in enumerate(materials(facts), 1))
    material_table = Table((Column(doc_text("col.no"), 0.6, "center"),
                            Column(doc_text("col.area"), 1.6),
                            Column(doc_text("col.material"), 5.0)), rows)
    attachments = (
        Attachment(list_name, (
            Paragraph(doc_text("notice.materials_intro", unit=unit.name,
                               period=facts.period_text)),
            material_table,
            Paragraph(doc_text("notice.materials_more")),
        ), number=1),
        Attachment(receipt_name, (receipt_form(facts, number),), number=2),
    )
    doc = Document(blocks, title=doc_text("notice.title", unit=unit.name, type=a.type),
                   author=county.committee, subject=number, attachments=attachments)
    warning = lead_warning(facts, on)
    return Built(doc, (warning,) if warning else ())


def receipt_form(facts: AuditFacts, number: str) -> FormBlock:
    """送达回证: who received which document, when, signed; the note for refused delivery."""
    date_line = doc_text("receipt.sign_date")
    return FormBlock((
        FormRow((FormField(doc_text("receipt.document"),
                           doc_text("receipt.document_value", number=number)),)),
        FormRow((FormField(doc_text("receipt.recipient"), facts.unit.name),)),
        FormRow((FormField(doc_text("receipt.address"), facts.unit.address),)),
        FormRow((FormField(doc_text("receipt.server"), ""),
                 FormField(doc_text("receipt.method"), ""))),
        FormRow((FormField(doc_text("receipt.signer"), "", date_line),), min_lines=3),
        FormRow((FormField(doc_text("receipt.note"), doc_text("receipt.refused"),
                           doc_text("receipt.witness")),), min_lines=4),
    ))
