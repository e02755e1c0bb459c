"""A small county, built event by event on a controlled clock, for the office tests.

Every event happens on its own day (10:00 China time), in date order, so the change log
holds a real history and the "as of day D" figures can be worked out by hand:

=========== ===============================================================================
2024-01-02  county (cadence 3 years, target 2), auditors 王建华 A01 and 李秀梅 A02 (leaders),
            陈静 T01; units 甲 (payroll 1,000,000.00), 乙 (500,000.00), 丙 (never audited),
            丁 (not directly managed), 戊 (2,000,000.00)
2024-03-04  A1: 甲, 经费收支审计, period 2022–2023, fieldwork
2024-03-05  F1 D1 违规 10,000.00 deadline 2024-05-03 (with recommendation)
            F2 E1 违规 2,000.00 deadline 2024-05-03 (with recommendation)
            F3 A6 不规范 500.00, no deadline, 立行立改, no recommendation
2024-04-01  A1 reported
2024-04-20  F1 已整改
2024-05-10  F2 部分整改
2024-06-10  王建华 visits F1 on site and closes it (已销号)
2024-09-02  A2: 乙, 专项资金审计, period 2023–2023, fieldwork;
            F4 SA1 不规范 300.00 deadline 2024-12-31 (with recommendation)
2025-03-03  A3: 戊, 经费收支审计, period 2023–2024, fieldwork;
            F5 D2 违规 800.00 deadline 2025-05-01, no recommendation
            F6 E3 违规 1,200.00 deadline 2025-12-31 (with recommendation)
2025-04-01  A3 reported
2025-04-15  F5 已整改
2025-06-01  A4: 乙, planned for 2025-11-03 (not started)
=========== ===============================================================================
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from store.auditors import add_auditor
from store.audits import advance_status, create_audit
from store.county import set_county
from store.credit_code import make_credit_code
from store.db import AuditStore
from store.enums import (
    AuditorRole, AuditStatus, AuditType, FindingNature, RectifyMode, RectifyStatus,
)
from store.findings import add_finding, set_rectify_status
from store.office.visits import record_visit
from store.template_registry import publish_builtins
from store.units import add_unit


class DayClock:
    """Wall clock for the scenario: set to a day, then 1 ms per reading."""

    def __init__(self, day: date) -> None:
        self.ms = 0
        self.to(day)

    def to(self, day: date) -> None:
        when = datetime(day.year, day.month, day.day, 2, tzinfo=UTC)  # 10:00 in China
        self.ms = max(self.ms, int(when.timestamp() * 1000))

    def __call__(self) -> int:
        self.ms += 1
        return self.ms


@dataclass
class Scenario:
    store: AuditStore
    clock: DayClock
    ids: dict[str, str] = field(default_factory=dict)

    def __getitem__(self, name: str) -> str:
        return self.ids[name]


def _code(org: str) -> str:
    return make_credit_code("81341822" + org)


def build_scenario(path: Path) -> Scenario:
    clock = DayClock(date(2024, 1, 2))
    store = AuditStore.create(path, device_name="office-test", now_ms=clock)
    s = Scenario(store, clock)
    set_county(store, None, name="测试县总工会", committee="测试县总工会经费审查委员会",
               doc_prefix="测工审", province_code="anhui", cadence_years=3, annual_target=2)
    publish_builtins(store, None)
    a01 = add_auditor(store, None, code="A01", name="王建华", role=AuditorRole.FULL_TIME,
                      can_lead=True, phone="13900000001")
    a02 = add_auditor(store, None, code="A02", name="李秀梅", role=AuditorRole.FULL_TIME,
                      can_lead=True)
    t01 = add_auditor(store, None, code="T01", name="陈静", role=AuditorRole.INVITED)
    s.ids |= {"A01": a01.id, "A02": a02.id, "T01": t01.id}
    store.set_meta("auditor_id", a01.id)
    units = [("甲", "MA0000001", 100_000_000, True), ("乙", "MA0000002", 50_000_000, True),
             ("丙", "MA0000003", 0, True), ("丁", "MA0000004", 0, False),
             ("戊", "MA0000005", 200_000_000, True)]
    for name, org, payroll, managed in units:
        unit = add_unit(store, a01.id, name=f"{name}公司工会委员会", enterprise=f"{name}公司",
                        credit_code=_code(org), payroll_fen=payroll, directly_managed=managed,
                        finance_contact=f"{name}会计", phone="0550-1234567")
        s.ids[name] = unit.id

    def audit(key: str, unit: str, kind: AuditType, start: date, period: tuple[int, int],
              status: AuditStatus | None) -> None:
        clock.to(start if status else date(2025, 6, 1))
        template = "special-fund" if kind == AuditType.SPECIAL_FUND else "grassroots-revenue"
        a = create_audit(store, a01.id, unit_id=s[unit], type=kind, period_from=period[0],
                         period_to=period[1], leader_id=a01.id, members=[t01.id],
                         planned_start=start, planned_end=start.replace(day=start.day + 4),
                         template_id=template, template_version=1)
        s.ids[key] = a.id
        if status:
            advance_status(store, a01.id, a.id, status)

    def finding(key: str, audit_key: str, area: str, item: str, violation: int, irregular: int,
                deadline: date | None, recommendation: str,
                mode: RectifyMode = RectifyMode.DEADLINE) -> None:
        nature = FindingNature.VIOLATION if violation else FindingNature.IRREGULAR
        f = add_finding(store, a01.id, audit_id=s[audit_key], title=f"问题{key}", nature=nature,
                        area_code=area, item_code=item, violation_fen=violation,
                        irregular_fen=irregular, deadline=deadline, rectify_mode=mode,
                        recommendation=recommendation)
        s.ids[key] = f.id

    def status(key: str, day: date, value: RectifyStatus) -> None:
        clock.to(day)
        set_rectify_status(store, a01.id, s[key], value, on=day)

    audit("A1", "甲", AuditType.REVENUE, date(2024, 3, 4), (2022, 2023), AuditStatus.FIELDWORK)
    clock.to(date(2024, 3, 5))
    finding("F1", "A1", "D", "D1", 1_000_000, 0, date(2024, 5, 3), "建议足额补缴")
    finding("F2", "A1", "E", "E1", 200_000, 0, date(2024, 5, 3), "建议追回超标准部分")
    finding("F3", "A1", "A", "A6", 0, 50_000, None, "", RectifyMode.IMMEDIATE)
    clock.to(date(2024, 4, 1))
    advance_status(store, a01.id, s["A1"], AuditStatus.REPORTED)
    status("F1", date(2024, 4, 20), RectifyStatus.DONE)
    status("F2", date(2024, 5, 10), RectifyStatus.PARTIAL)
    clock.to(date(2024, 6, 10))
    record_visit(store, a01.id, today=date(2024, 6, 10), visited_on=date(2024, 6, 10),
                 method="实地", result="已补缴，凭证齐全", finding_id=s["F1"],
                 new_status=RectifyStatus.CLOSED)
    audit("A2", "乙", AuditType.SPECIAL_FUND, date(2024, 9, 2), (2023, 2023),
          AuditStatus.FIELDWORK)
    finding("F4", "A2", "SA", "SA1", 0, 30_000, date(2024, 12, 31), "建议及时入账")
    audit("A3", "戊", AuditType.REVENUE, date(2025, 3, 3), (2023, 2024), AuditStatus.FIELDWORK)
    finding("F5", "A3", "D", "D2", 80_000, 0, date(2025, 5, 1), "")
    finding("F6", "A3", "E", "E3", 120_000, 0, date(2025, 12, 31), "建议收回购物卡")
    clock.to(date(2025, 4, 1))
    advance_status(store, a01.id, s["A3"], AuditStatus.REPORTED)
    status("F5", date(2025, 4, 15), RectifyStatus.DONE)
    audit("A4", "乙", AuditType.REVENUE, date(2025, 11, 3), (2024, 2024), None)
    return s
