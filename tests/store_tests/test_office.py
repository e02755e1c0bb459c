"""Office figures on a hand-built county, checked against values worked out by hand.

The scenario (tests/store_tests/office_scenario.py) lists every event with its day; the
comments below each assertion show the arithmetic.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from office_scenario import Scenario, build_scenario
from store.audits import advance_status, create_audit
from store.coverage import add_years, coverage_totals, unit_coverage, units_due
from store.enums import AuditStatus, AuditType
from store.errors import InvalidInput
from store.office.ledger import ledger, ledger_rates
from store.office.plan import (
    DUE, NEVER, OPEN_FINDINGS, create_plan, propose_schedule, suggest_plan, visits_due,
)
from store.office.rates import Rate, overdue_days
from store.office.stats import compare_years, dues_payment, month_ends, rate_series
from store.units import list_units


@pytest.fixture
def sc(tmp_path: Path) -> Scenario:
    s = build_scenario(tmp_path / "office.db")
    yield s
    s.store.close()


# -- dates and rates, frozen clock ------------------------------------------------------------
def test_overdue_days_across_a_year_boundary() -> None:
    deadline = date(2025, 12, 31)
    assert overdue_days("未整改", deadline, date(2026, 1, 2)) == 2
    assert overdue_days("部分整改", deadline, date(2026, 1, 1)) == 1
    assert overdue_days("未整改", deadline, date(2025, 12, 31)) == 0  # the deadline day is in time
    assert overdue_days("已整改", deadline, date(2026, 1, 2)) == 0
    assert overdue_days("未整改", None, date(2026, 1, 2)) == 0


def test_due_date_is_cadence_years_after_the_last_audit() -> None:
    assert add_years(date(2023, 3, 6), 3) == date(2026, 3, 6)
    assert add_years(date(2024, 2, 29), 3) == date(2027, 2, 28)
    assert add_years(date(2026, 1, 2), -1) == date(2025, 1, 2)


def test_coverage_due_date_and_overdue_with_a_frozen_clock(county_db) -> None:
    lead = county_db.meta("auditor_id")
    unit = list_units(county_db)[0]
    audit = create_audit(county_db, lead, unit_id=unit.id, type=AuditType.REVENUE,
                         period_from=2021, period_to=2022, leader_id=lead,
                         planned_start=date(2023, 3, 6), planned_end=date(2023, 3, 10),
                         template_id="grassroots-revenue", template_version=1)
    # planned only: does not count yet
    row = {c.unit_id: c for c in unit_coverage(county_db, date(2023, 3, 7))}[unit.id]
    assert row.never_audited and row.next_due is None
    advance_status(county_db, lead, audit.id, AuditStatus.FIELDWORK)
    by_day = lambda d: {c.unit_id: c for c in unit_coverage(county_db, d)}[unit.id]  # noqa: E731
    assert by_day(date(2026, 3, 6)).next_due == date(2026, 3, 6)
    assert by_day(date(2026, 3, 6)).overdue_days == 0
    assert by_day(date(2026, 3, 6)).within_window(date(2026, 3, 6))
    assert by_day(date(2026, 3, 7)).overdue_days == 1
    assert by_day(date(2027, 1, 2)).overdue_days == 302  # 2026-03-06 → 2027-01-02
    assert [c.unit_id for c in units_due(county_db, date(2026, 3, 5))] != [unit.id]
    due = units_due(county_db, date(2026, 3, 7))
    assert due[-1].unit_id == unit.id and due[0].never_audited  # never audited come first
    assert unit.id in {c.unit_id for c in units_due(county_db, date(2026, 3, 1), within_days=5)}


def test_rate_rounding_and_undefined() -> None:
    assert Rate(1, 3).text() == "33.3%" and Rate(2, 3).text() == "66.7%"
    assert Rate(1, 8).percent() == Decimal("12.5") and Rate(1, 16).percent() == Decimal("6.3")
    assert Rate(0, 0).text() == "—" and Rate(0, 0).fraction() is None
    assert Rate(1, 3).fraction() == Decimal("0.3333")


# -- the hand-built county --------------------------------------------------------------------
def test_rates_at_the_end_of_2024_and_across_the_year_boundary(sc: Scenario) -> None:
    r = ledger_rates(sc.store, date(2024, 12, 31))
    # F1 已销号 (due), F2 部分整改 deadline 05-03 passed (due), F3 no deadline + reported (due),
    # F4 deadline 12-31 not yet passed on 12-31 (not due)
    assert (r.findings, r.due, r.rectified, r.closed, r.partial, r.unrectified) == (
        4, 3, 1, 1, 1, 1)
    assert r.issue_rate == Rate(1, 3) and r.issue_rate.text() == "33.3%"
    assert (r.due_fen, r.rectified_fen) == (1_000_000 + 200_000 + 50_000, 1_000_000)
    assert r.amount_rate.text() == "80.0%"  # 10,000 / 12,500
    assert r.partial_share.text() == "33.3%"
    r = ledger_rates(sc.store, date(2025, 1, 2))  # F4 now overdue: due 4
    assert (r.due, r.rectified) == (4, 1) and r.issue_rate.text() == "25.0%"
    assert r.amount_rate == Rate(1_000_000, 1_280_000) and r.amount_rate.text() == "78.1%"


def test_ledger_lists_every_finding_with_overdue_days_and_contact(sc: Scenario) -> None:
    rows = ledger(sc.store, date(2025, 1, 2))
    # most overdue first, then by deadline (none last)
    assert [r.finding_id for r in rows] == [sc[k] for k in ("F2", "F4", "F1", "F5", "F6", "F3")]
    by_id = {r.finding_id: r for r in rows}
    assert by_id[sc["F2"]].overdue_days == 244  # 2024-05-03 → 2025-01-02: 28+30+31+31+30+31+30+31+2
    assert by_id[sc["F4"]].overdue_days == 2  # 2024-12-31 → 2025-01-02
    assert by_id[sc["F1"]].overdue_days == 0 and by_id[sc["F3"]].overdue_days == 0
    f1 = by_id[sc["F1"]]
    assert (f1.rectify_status, f1.verified_by_name, f1.verified_at) == (
        "已销号", "王建华", date(2024, 6, 10))
    assert (f1.visits, f1.last_visit) == (1, date(2024, 6, 10))
    assert f1.contact == "甲会计 0550-1234567" and f1.rectify_mode == "限期整改"
    assert len(rows) == 6  # the ledger lists today's records: F5 and F6 exist now
    overdue = ledger(sc.store, date(2025, 1, 2), overdue_only=True)
    assert [r.finding_id for r in overdue] == [sc["F2"], sc["F4"]]
    assert {r.finding_id for r in ledger(sc.store, date(2026, 1, 2), status="未整改")} == {
        sc["F3"], sc["F4"], sc["F6"]}


def test_year_statistics_against_the_year_before(sc: Scenario) -> None:
    cur, prev = compare_years(sc.store, 2025, date(2025, 6, 30))
    assert (cur.as_of, prev.as_of) == (date(2025, 6, 30), date(2024, 6, 30))
    # 2025: A3 carried out, A4 only planned
    assert (cur.audits_planned, cur.audits, cur.units_audited) == (2, 1, 1)
    assert cur.audits_by_type["经费收支审计"] == 1 and cur.audits_by_type["专项资金审计"] == 0
    assert cur.audited_fen == 200_000_000 * 2 // 100 * 2 == 8_000_000  # 戊: 2% × 2 years
    assert (cur.findings, cur.violation_fen, cur.irregular_fen) == (2, 200_000, 0)
    assert [(a.code, a.title, a.findings, a.violation_fen) for a in cur.by_area] == [
        ("D", "收入", 1, 80_000), ("E", "支出", 1, 120_000)]
    assert cur.by_nature == {"违纪违规": (2, 200_000), "管理不规范": (0, 0)}
    assert cur.recommendations == 1  # F6 only
    assert (cur.dues_recovered_count, cur.dues_recovered_fen) == (1, 80_000)  # F5 (D2) 04-15
    assert cur.visits_done == 0
    # rates of the 2025 cohort on 2025-06-30: F5 rectified (due), F6 deadline 12-31 (not due)
    assert (cur.rates.due, cur.rates.rectified) == (1, 1)
    assert cur.rates.issue_rate.text() == "100.0%"
    assert cur.audits_per_month == (0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0)

    # 2024 on 2024-06-30: A1 and A2 carried out
    assert (prev.audits_planned, prev.audits, prev.units_audited) == (2, 2, 2)
    assert prev.audits_by_type["经费收支审计"] == 1 and prev.audits_by_type["专项资金审计"] == 1
    # 甲 1,000,000.00 × 2% × 2 years + 乙 500,000.00 × 2% × 1 year = 40,000 + 10,000 yuan
    assert prev.audited_fen == 4_000_000 + 1_000_000
    assert (prev.findings, prev.violation_fen, prev.irregular_fen) == (4, 1_200_000, 80_000)
    assert [(a.code, a.findings) for a in prev.by_area] == [("A", 1), ("D", 1), ("E", 1), ("SA", 1)]
    assert prev.recommendations == 3  # F1, F2, F4
    assert (prev.dues_recovered_count, prev.dues_recovered_fen) == (1, 1_000_000)  # F1 04-20
    assert prev.visits_done == 1
    # F4 did not exist on 2024-06-30; F1 closed, F2 partial, F3 reported without deadline
    assert (prev.rates.findings, prev.rates.due, prev.rates.rectified, prev.rates.partial) == (
        3, 3, 1, 1)
    assert prev.rates.issue_rate.text() == "33.3%" and prev.rates.amount_rate.text() == "80.0%"
    assert prev.audits_per_month[2] == 1 and prev.audits_per_month[8] == 1


def test_dues_recovered_counts_the_year_of_rectification(sc: Scenario) -> None:
    cur, prev = compare_years(sc.store, 2025, date(2025, 4, 14))  # F5 rectified the day after
    assert cur.dues_recovered_fen == 0
    cur, _ = compare_years(sc.store, 2025, date(2025, 4, 15))
    assert cur.dues_recovered_fen == 80_000
    assert dues_payment(100_000_000, 2) == 4_000_000 and dues_payment(25, 1) == 1  # half-up


def test_rate_over_time_follows_the_change_log(sc: Scenario) -> None:
    assert month_ends(2024, date(2024, 5, 20))[-1] == date(2024, 5, 20)
    series = rate_series(sc.store, 2024, date(2024, 12, 31))
    assert [r.on.month for r in series] == list(range(1, 13))
    texts = [r.issue_rate.text() for r in series]
    # Jan–Mar: nothing due yet (F1/F2 deadline 05-03, report issued 04-01)
    # Apr 30: F1 rectified, F3 due after the report → 1/2; from May 31: F2 due → 1/3
    assert texts == ["—", "—", "—", "50.0%"] + ["33.3%"] * 8


def test_coverage_totals(sc: Scenario) -> None:
    totals = coverage_totals(sc.store, date(2025, 6, 30))
    # directly managed: 甲 乙 丙 戊 (丁 is not); 丙 never audited
    assert (totals.directly_managed, totals.within_window, totals.never_audited) == (4, 3, 1)
    assert totals.share.text() == "75.0%"
    assert (totals.audits_done_this_year, totals.audits_planned_this_year) == (1, 2)
    assert totals.annual_target == 2 and totals.target_progress.text() == "50.0%"
    rows = {c.name[0]: c for c in unit_coverage(sc.store, date(2025, 6, 30))}
    assert rows["甲"].next_due == date(2027, 3, 4) and rows["甲"].open_findings == 2
    assert rows["乙"].next_planned == date(2025, 11, 3)
    totals = coverage_totals(sc.store, date(2027, 3, 5))  # 甲 one day past its due date
    assert totals.overdue == 1 and totals.within_window == 2


def test_plan_suggestion_order_and_target(sc: Scenario) -> None:
    plan = suggest_plan(sc.store, date(2025, 6, 30), 2026)
    order = [(c.unit_name[0], c.reason) for c in plan.candidates]
    # never audited first; then open findings (甲 has 2), then 乙 before 戊 (older last audit)
    assert order == [("丙", NEVER), ("甲", OPEN_FINDINGS), ("乙", OPEN_FINDINGS),
                     ("戊", OPEN_FINDINGS)]
    assert [c.unit_name[0] for c in plan.suggested] == ["丙", "甲"]  # target 2
    assert (plan.target, plan.already_planned, plan.required, plan.shortfall) == (2, 0, 1, 0)
    plan = suggest_plan(sc.store, date(2025, 6, 30), 2027)  # 甲 due 2027-03-04
    assert [(c.unit_name[0], c.reason) for c in plan.candidates][:2] == [("丙", NEVER),
                                                                         ("甲", DUE)]
    plan = suggest_plan(sc.store, date(2025, 6, 30), 2025)  # 乙 and 戊 already dated in 2025
    assert {c.unit_name[0] for c in plan.candidates} == {"丙", "甲"}
    assert plan.already_planned == 2 and len(plan.suggested) == 1  # required 丙 only


def test_return_visits_in_the_plan(sc: Scenario) -> None:
    visits = visits_due(sc.store, date(2025, 6, 30), 2025)
    assert [(v.audit_id, v.unclosed) for v in visits] == [(sc["A1"], 2), (sc["A3"], 2)]
    assert visits[0].suggested_on == date(2025, 6, 30)  # deadlines long past: from today
    assert visits[0].last_visit == date(2024, 6, 10)
    assert visits[1].suggested_on == date(2025, 12, 31)  # after F6's deadline, within the year


def test_creating_the_plan_assigns_teams_and_dates(sc: Scenario) -> None:
    plan = suggest_plan(sc.store, date(2025, 6, 30), 2026)
    entries = propose_schedule(sc.store, [c.unit_id for c in plan.suggested], date(2026, 3, 1),
                               per_week=1)
    assert [e.planned_start for e in entries] == [date(2026, 3, 2), date(2026, 3, 9)]
    assert [e.planned_end for e in entries] == [date(2026, 3, 6), date(2026, 3, 13)]
    assert entries[0].leader_id != entries[1].leader_id  # leaders rotate
    assert sc["T01"] in entries[0].members  # invited auditors are enlisted first
    audits = create_plan(sc.store, sc["A01"], entries, 2026)
    assert [(a.period_from, a.period_to) for a in audits] == [(2023, 2025), (2024, 2025)]
    after = suggest_plan(sc.store, date(2025, 6, 30), 2026)
    assert after.already_planned == 2 and not after.suggested
    late = propose_schedule(sc.store, [sc["戊"]], date(2026, 12, 30))
    with pytest.raises(InvalidInput):
        create_plan(sc.store, sc["A01"], late, 2026)
