"""Return visits and 销号: who may close a finding, with which name and date, and the log."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from office_scenario import Scenario, build_scenario
from store.enums import RectifyStatus
from store.errors import InvalidInput, RuleViolation
from store.evidence import list_evidence, read_blob
from store.findings import get_finding
from store.history import history
from store.integrity import run_checks
from store.office.visits import (
    close_finding, get_visit, list_visits, record_visit, schedule_visit,
)


@pytest.fixture
def sc(tmp_path: Path) -> Scenario:
    s = build_scenario(tmp_path / "office.db")
    s.clock.to(date(2025, 7, 1))
    yield s
    s.store.close()


TODAY = date(2025, 7, 1)


def test_closing_needs_a_visit_by_the_verifier(sc: Scenario) -> None:
    store = sc.store
    with pytest.raises(RuleViolation) as err:
        close_finding(store, sc["A02"], sc["F5"], on=TODAY, today=TODAY)
    assert "李秀梅" in str(err.value) and "回访" in str(err.value)
    # a visit by someone else does not let 李秀梅 close it
    record_visit(store, sc["A01"], today=TODAY, visited_on=date(2025, 6, 20), method="书面",
                 result="整改报告已收到", finding_id=sc["F5"])
    with pytest.raises(RuleViolation):
        close_finding(store, sc["A02"], sc["F5"], on=TODAY, today=TODAY)
    # a visit after the closing day does not count either
    record_visit(store, sc["A02"], today=TODAY, visited_on=TODAY, method="实地",
                 result="现场核实已补缴", finding_id=sc["F5"])
    with pytest.raises(RuleViolation):
        close_finding(store, sc["A02"], sc["F5"], on=date(2025, 6, 30), today=TODAY)
    closed = close_finding(store, sc["A02"], sc["F5"], on=TODAY, today=TODAY)
    assert (closed.rectify_status, closed.verified_by, closed.verified_at) == (
        RectifyStatus.CLOSED, sc["A02"], TODAY)
    stored = get_finding(store, sc["F5"])
    assert (stored.rectify_status, stored.verified_by, stored.verified_at) == (
        "已销号", sc["A02"], TODAY)
    trail = [c for c in history(store, "findings", sc["F5"]) if c.field == "rectify_status"]
    assert trail[-1].new == "已销号" and trail[-1].auditor_name == "李秀梅"
    with pytest.raises(RuleViolation):
        close_finding(store, sc["A02"], sc["F5"], on=TODAY, today=TODAY)


def test_an_audit_wide_visit_covers_its_findings(sc: Scenario) -> None:
    record_visit(sc.store, sc["A02"], today=TODAY, visited_on=TODAY, method="实地",
                 result="逐项核对", audit_id=sc["A3"])
    closed = close_finding(sc.store, sc["A02"], sc["F6"], on=TODAY, today=TODAY)
    assert closed.verified_by == sc["A02"]


def test_a_visit_can_close_only_in_the_verifiers_own_name(sc: Scenario) -> None:
    with pytest.raises(RuleViolation) as err:
        record_visit(sc.store, sc["A01"], visitor_id=sc["A02"], today=TODAY, visited_on=TODAY,
                     method="实地", result="核实", finding_id=sc["F6"],
                     new_status=RectifyStatus.CLOSED)
    assert "李秀梅" in str(err.value)
    assert get_finding(sc.store, sc["F6"]).rectify_status == "未整改"
    assert list_visits(sc.store, finding_id=sc["F6"]) == []  # nothing half-written
    visit = record_visit(sc.store, sc["A02"], today=TODAY, visited_on=TODAY, method="实地",
                         result="核实已收回购物卡", finding_id=sc["F6"],
                         new_status=RectifyStatus.CLOSED)
    f6 = get_finding(sc.store, sc["F6"])
    assert (f6.rectify_status, f6.verified_by, f6.verified_at) == ("已销号", sc["A02"], TODAY)
    assert get_visit(sc.store, visit.id).visitor_id == sc["A02"]


def test_visit_moves_status_forward_only_and_never_in_the_future(sc: Scenario) -> None:
    record_visit(sc.store, sc["A01"], today=TODAY, visited_on=TODAY, method="书面",
                 result="部分退回", finding_id=sc["F3"], new_status=RectifyStatus.PARTIAL)
    assert get_finding(sc.store, sc["F3"]).rectify_status == "部分整改"
    with pytest.raises(RuleViolation):
        record_visit(sc.store, sc["A01"], today=TODAY, visited_on=TODAY, method="书面",
                     result="x", finding_id=sc["F3"], new_status=RectifyStatus.OPEN)
    with pytest.raises(InvalidInput):
        record_visit(sc.store, sc["A01"], today=TODAY, visited_on=date(2025, 7, 2),
                     method="书面", result="x", finding_id=sc["F3"])
    with pytest.raises(InvalidInput):  # before the audit started
        record_visit(sc.store, sc["A01"], today=TODAY, visited_on=date(2024, 1, 2),
                     method="书面", result="x", finding_id=sc["F3"])
    with pytest.raises(InvalidInput, match="书面"):  # 电话 is not a method
        record_visit(sc.store, sc["A01"], today=TODAY, visited_on=TODAY, method="电话",
                     result="x", finding_id=sc["F3"])
    with pytest.raises(InvalidInput):  # a finding of another audit
        record_visit(sc.store, sc["A01"], today=TODAY, visited_on=TODAY, method="书面",
                     result="x", finding_id=sc["F3"], audit_id=sc["A3"])


def test_evidence_of_a_visit_is_stored_and_linked(sc: Scenario, tmp_path: Path) -> None:
    photo = tmp_path / "回访照片.jpg"
    photo.write_bytes(b"\xff\xd8 not really a jpeg")
    visit = record_visit(sc.store, sc["A01"], today=TODAY, visited_on=TODAY, method="实地",
                         result="见照片", finding_id=sc["F6"], evidence_path=photo)
    evidence = list_evidence(sc.store, finding_id=sc["F6"])
    assert [e.id for e in evidence] == [visit.evidence_id] and evidence[0].name == "回访照片.jpg"
    assert read_blob(sc.store, visit.evidence_sha256) == photo.read_bytes()
    whole = record_visit(sc.store, sc["A01"], today=TODAY, visited_on=TODAY, method="书面",
                         result="整改报告", audit_id=sc["A3"], evidence_path=photo)
    assert whole.evidence_id is None and whole.evidence_sha256 == visit.evidence_sha256
    with pytest.raises(InvalidInput):
        record_visit(sc.store, sc["A01"], today=TODAY, visited_on=TODAY, method="书面",
                     result="x", audit_id=sc["A3"], evidence_path=tmp_path / "missing.pdf")
    assert run_checks(sc.store) == []  # every row logged, foreign keys hold


def test_planned_visit_is_completed_by_recording_it(sc: Scenario) -> None:
    planned = schedule_visit(sc.store, sc["A01"], sc["A1"], date(2025, 9, 1), sc["A02"])
    rows = list_visits(sc.store, audit_id=sc["A1"])
    assert [(r.planned_on, r.visited_on) for r in rows] == [
        (None, date(2024, 6, 10)), (date(2025, 9, 1), None)]
    done = record_visit(sc.store, sc["A02"], today=TODAY, visited_on=TODAY, method="实地",
                        result="提前回访", audit_id=sc["A1"], planned_visit_id=planned.id)
    assert done.id == planned.id
    again = get_visit(sc.store, planned.id)
    assert (again.planned_on, again.visited_on, again.result) == (
        date(2025, 9, 1), TODAY, "提前回访")
    with pytest.raises(InvalidInput):  # already done
        record_visit(sc.store, sc["A02"], today=TODAY, visited_on=TODAY, method="实地",
                     result="x", audit_id=sc["A1"], planned_visit_id=planned.id)
    fields = {c.field for c in history(sc.store, "return_visits", planned.id)}
    assert {"visited_on", "result"} <= fields
