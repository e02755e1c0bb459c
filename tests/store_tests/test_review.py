"""Review (复核) by the team leader, "modified since review", and the checks before an audit
moves forward (store/review.py)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from store.answers import get_answer, set_answer
from store.audits import advance_status, create_audit, get_audit
from store.auditors import auditor_by_code
from store.db import AuditStore
from store.enums import AnswerResult, AuditStatus, AuditType, FindingNature
from store.errors import RuleViolation
from store.findings import add_finding, update_finding
from store.i18n import catalogue
from store.history import history
from store.review import (
    ReviewState, advance_audit, advance_issues, content_stamp, is_modified_since_review,
    mark_reviewed, next_status, review_state,
)
from store.units import list_units


def _audit(store: AuditStore) -> str:
    lead = store.meta("auditor_id")
    unit = list_units(store)[0]
    audit = create_audit(store, lead, unit_id=unit.id, type=AuditType.REVENUE,
                         period_from=2024, period_to=2025, leader_id=lead,
                         members=[auditor_by_code(store, "T01").id],
                         planned_start=date(2026, 12, 1), planned_end=date(2026, 12, 5),
                         template_id="grassroots-revenue", template_version=1)
    return audit.id or ""


def _leader(store: AuditStore) -> str:
    return store.meta("auditor_id") or ""


def test_the_leader_reviews_an_answer_and_an_edit_afterwards_shows(county_db) -> None:
    audit_id = _audit(county_db)
    lead = _leader(county_db)
    answer = set_answer(county_db, lead, audit_id, "A1", AnswerResult.COMPLIANT)
    stamp = mark_reviewed(county_db, lead, "answers", answer.id)
    row = get_answer(county_db, audit_id, "A1")
    assert (row.reviewed_by, row.reviewed_stamp) == (lead, stamp)
    assert stamp == content_stamp(county_db, "answers", answer.id)
    assert row.meta_stamp > stamp  # the review itself is a logged change, not a content one
    logged = [e for e in history(county_db, "answers", answer.id) if e.stamp == row.meta_stamp]
    assert sorted(e.field for e in logged) == ["reviewed_by", "reviewed_stamp"]
    assert {e.field: e.new for e in logged} == {"reviewed_by": lead, "reviewed_stamp": stamp}
    assert not is_modified_since_review(county_db, "answers", answer.id)

    set_answer(county_db, auditor_by_code(county_db, "T01").id, audit_id, "A1", note="补充说明")
    assert is_modified_since_review(county_db, "answers", answer.id)
    mark_reviewed(county_db, lead, "answers", answer.id)
    assert not is_modified_since_review(county_db, "answers", answer.id)


def test_only_the_team_leader_may_review(county_db) -> None:
    audit_id = _audit(county_db)
    member = auditor_by_code(county_db, "T01")
    answer = set_answer(county_db, member.id, audit_id, "A2", AnswerResult.NONCOMPLIANT)
    with pytest.raises(RuleViolation) as refused:
        mark_reviewed(county_db, member.id, "answers", answer.id)
    assert refused.value.key == "review.leader_only"
    assert "王建华" in refused.value.message()
    with pytest.raises(RuleViolation) as nobody:
        mark_reviewed(county_db, None, "answers", answer.id)
    assert nobody.value.key == "review.need_auditor"
    assert get_answer(county_db, audit_id, "A2").reviewed_by is None


def test_an_unchecked_answer_has_nothing_to_review(county_db) -> None:
    audit_id = _audit(county_db)
    answer = get_answer(county_db, audit_id, "A3")
    with pytest.raises(RuleViolation) as refused:
        mark_reviewed(county_db, _leader(county_db), "answers", answer.id)
    assert refused.value.key == "review.unchecked"


def test_findings_are_reviewed_the_same_way(county_db) -> None:
    audit_id = _audit(county_db)
    lead = _leader(county_db)
    finding = add_finding(county_db, lead, audit_id=audit_id, title="账户不独立",
                          nature=FindingNature.VIOLATION, item_code="B1")
    mark_reviewed(county_db, lead, "findings", finding.id)
    assert not is_modified_since_review(county_db, "findings", finding.id)
    update_finding(county_db, lead, finding.id, violation_fen=12_300)
    assert is_modified_since_review(county_db, "findings", finding.id)


@given(st.lists(st.text(alphabet="0123456789abc", min_size=10, max_size=10), min_size=0,
                max_size=4))
def test_review_state_follows_the_stamps(stamps: list[str]) -> None:
    assert review_state(None, max(stamps, default=None)) is ReviewState.NOT_REVIEWED
    reviewed = "5555555555"
    later = [s for s in stamps if s > reviewed]
    expected = ReviewState.MODIFIED if later else ReviewState.REVIEWED
    assert review_state(reviewed, max(stamps, default=None)) is expected


EDITS = st.lists(st.tuples(st.sampled_from(list(AnswerResult)),
                           st.sampled_from(["", "凭证缺失", "已核对"])), min_size=0, max_size=4)


@settings(max_examples=20, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=EDITS)
def test_any_edit_after_review_means_modified_since_review(county_db, edits) -> None:
    audit_id = _audit(county_db)  # a fresh audit per example (the store is shared)
    lead = _leader(county_db)
    member = auditor_by_code(county_db, "T01").id
    answer = set_answer(county_db, lead, audit_id, "C1", AnswerResult.COMPLIANT, note="初查")
    mark_reviewed(county_db, lead, "answers", answer.id)
    changed = False
    current = get_answer(county_db, audit_id, "C1")
    for result, note in edits:
        changed |= (result, note) != (current.result, current.note)
        current = set_answer(county_db, member, audit_id, "C1", result, note)
    assert is_modified_since_review(county_db, "answers", answer.id) is changed


def test_next_status_walks_forward_to_the_end() -> None:
    assert next_status(AuditStatus.FIELDWORK) is AuditStatus.REPORTED
    assert next_status("rectifying") is AuditStatus.CLOSED
    assert next_status(AuditStatus.CLOSED) is None


def test_reporting_with_unchecked_items_needs_confirmation(county_db) -> None:
    audit_id = _audit(county_db)
    lead = _leader(county_db)
    assert advance_issues(county_db, audit_id, AuditStatus.FIELDWORK) == []
    advance_audit(county_db, lead, audit_id, AuditStatus.FIELDWORK)
    issues = advance_issues(county_db, audit_id, AuditStatus.REPORTED)
    assert [i.severity for i in issues] == ["confirm"]
    assert issues[0].params["n"] == 70
    assert issues[0].message().startswith("还有70个事项未检查：A1、A2")
    with pytest.raises(RuleViolation) as refused:
        advance_audit(county_db, lead, audit_id, AuditStatus.REPORTED)
    assert refused.value.key == "review.needs_confirmation"
    assert get_audit(county_db, audit_id).status == AuditStatus.FIELDWORK
    assert advance_audit(county_db, lead, audit_id, AuditStatus.REPORTED,
                         confirmed=True).status == AuditStatus.REPORTED
    assert get_audit(county_db, audit_id).status == AuditStatus.REPORTED
    back = advance_issues(county_db, audit_id, AuditStatus.FIELDWORK)
    assert [i.severity for i in back] == ["block"]
    with pytest.raises(RuleViolation):
        advance_audit(county_db, lead, audit_id, AuditStatus.FIELDWORK, confirmed=True)


def test_warnings_name_findings_and_answers_that_need_attention(county_db) -> None:
    audit_id = _audit(county_db)
    lead = _leader(county_db)
    advance_status(county_db, lead, audit_id, AuditStatus.FIELDWORK)
    template_codes = [r["item_code"] for r in county_db.query(
        "SELECT item_code FROM answers WHERE audit_id = ? ORDER BY rowid", [audit_id])]
    for code in template_codes:
        set_answer(county_db, lead, audit_id, code, AnswerResult.COMPLIANT)
    set_answer(county_db, lead, audit_id, "B1", AnswerResult.NONCOMPLIANT)
    set_answer(county_db, lead, audit_id, "B4", AnswerResult.PARTIAL)
    add_finding(county_db, lead, audit_id=audit_id, title="白条抵库", item_code="B4",
                nature=FindingNature.IRREGULAR, violation_fen=5_000, basis="",
                recommendation="")
    for code in template_codes:
        if code != "A1":
            mark_reviewed(county_db, lead, "answers",
                          get_answer(county_db, audit_id, code).id)
    issues = advance_issues(county_db, audit_id, AuditStatus.REPORTED)
    by_key = {i.key: i for i in issues}
    assert {i.severity for i in issues} == {"warn"}
    assert by_key["review.issue.no_finding"].params["codes"] == "B1"
    assert "白条抵库" in by_key["review.issue.no_basis"].message()
    assert "review.issue.no_recommendation" in by_key
    assert "review.issue.amount_nature" in by_key
    assert by_key["review.issue.unreviewed"].params["codes"] == "A1"
    for issue in issues:
        assert issue.key in catalogue()
    assert advance_audit(county_db, lead, audit_id, AuditStatus.REPORTED).status == "reported"
