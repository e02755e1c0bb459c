"""A small county with one planned audit and its findings, for the document tests."""

from __future__ import annotations

from datetime import date

from store.auditors import auditor_by_code
from store.audits import create_audit
from store.db import AuditStore
from store.enums import AuditType, FindingNature, RectifyMode
from store.findings import add_finding
from store.units import list_units

FACTS_1 = "经抽查2025年3月15日记-0123号凭证，发现春节慰问品支出超出标准，涉及人员85人。"
FACTS_2 = "2025年6月30日记-0456号凭证列支旅游费用，未经工会委员会集体研究。"


def planned_audit(store: AuditStore, start: date = date(2026, 12, 7),
                  unit_index: int = 0) -> str:
    lead = auditor_by_code(store, "A01")
    member = auditor_by_code(store, "T01")
    names = ["甲公司工会委员会", "乙公司工会委员会"]
    unit = next(u for u in list_units(store) if u.name == names[unit_index])
    audit = create_audit(store, lead.id, unit_id=unit.id, type=AuditType.REVENUE,
                         period_from=2025, period_to=2025, leader_id=lead.id,
                         members=[member.id], planned_start=start,
                         planned_end=date(start.year, start.month, start.day + 4),
                         template_id="grassroots-revenue", template_version=1)
    return audit.id or ""


def add_two_findings(store: AuditStore, audit_id: str) -> list[str]:
    lead = auditor_by_code(store, "A01")
    a = add_finding(store, lead.id, audit_id=audit_id, title="节日慰问品超标准发放",
                    facts=FACTS_1, violation_fen=140950, irregular_fen=0,
                    nature=FindingNature.VIOLATION, basis="《基层工会经费收支管理办法》第十二条",
                    recommendation="追回超标准部分，今后严格执行慰问标准",
                    rectify_mode=RectifyMode.DEADLINE, deadline=date(2027, 1, 15))
    b = add_finding(store, lead.id, audit_id=audit_id, title="旅游支出未经集体研究",
                    facts=FACTS_2, violation_fen=0, irregular_fen=10700053,
                    nature=FindingNature.IRREGULAR, basis="《基层工会经费收支管理办法》第六条",
                    recommendation="建立重大支出集体决策制度",
                    rectify_mode=RectifyMode.IMMEDIATE)
    return [a.id or "", b.id or ""]
