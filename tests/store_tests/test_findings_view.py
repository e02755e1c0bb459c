"""The findings list's rows, filters, sorts and totals, and history read as a table."""

from __future__ import annotations

import itertools
from datetime import UTC, date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from store.auditors import auditor_by_code
from store.dates import stamp_local_time
from store.db import AuditStore
from store.devices import assign_new_device, set_current_auditor
from store.enums import FindingNature, RectifyStatus
from store.findings import add_finding, set_rectify_status, update_finding
from store.findings_view import (
    SORTS, FindingFilter, _item_key, editor_context, filter_choices, filter_rows, finding_rows,
    Totals, history_lines, show_value, sort_rows, totals,
)
from store.i18n import set_language


@pytest.fixture
def sample(sample_copy: Path):
    with AuditStore.open(sample_copy) as store:
        yield store


def _sql_count(store: AuditStore, where: str = "1", params: list | tuple = ()) -> int:
    return store.db.execute(
        "SELECT count(*) FROM findings f JOIN audits a ON a.id = f.audit_id "
        f"WHERE f.deleted = 0 AND a.deleted = 0 AND ({where})", params).fetchone()[0]


def test_rows_and_totals_match_the_database(sample: AuditStore) -> None:
    rows = finding_rows(sample)
    assert len(rows) == _sql_count(sample) == 413
    sums = sample.db.execute("SELECT sum(violation_fen), sum(irregular_fen) FROM findings "
                             "WHERE deleted = 0").fetchone()
    assert totals(rows) == Totals(413, sums[0], sums[1])
    audit_id = rows[0].audit_id
    one = finding_rows(sample, audit_id)
    assert {r.audit_id for r in one} == {audit_id}
    assert len(one) == _sql_count(sample, "f.audit_id = ?", [audit_id])
    names = {r["id"]: r["name"] for r in sample.query(
        "SELECT a.id, u.name FROM audits a JOIN units u ON u.id = a.unit_id")}
    assert all(r.unit_name == names[r.audit_id] for r in rows)


def test_every_filter_combination_matches_sql(sample: AuditStore) -> None:
    rows = finding_rows(sample)
    areas, units = filter_choices(rows)
    assert "A" in areas and "SA" in areas and len(units) > 10
    for status, nature, area in itertools.product(
            [None, *RectifyStatus], [None, *FindingNature], [None, *areas]):
        shown = filter_rows(rows, FindingFilter(status, nature, area))
        where, params = ["1"], []
        for column, value in (("rectify_status", status), ("nature", nature),
                              ("area_code", area)):
            if value is not None:
                where.append(f"f.{column} = ?")
                params.append(str(value))
        assert len(shown) == _sql_count(sample, " AND ".join(where), params)
    unit_id = units[0][0]
    shown = filter_rows(rows, FindingFilter(unit_id=unit_id))
    assert shown and len(shown) == _sql_count(sample, "a.unit_id = ?", [unit_id])
    assert totals(shown).violation_fen == sum(r.violation_fen for r in shown)


def test_sorts(sample: AuditStore) -> None:
    rows = finding_rows(sample)
    for sort in SORTS:
        ordered = sort_rows(rows, sort)
        assert sorted(r.id for r in ordered) == sorted(r.id for r in rows)
        assert sort_rows(rows, sort, reverse=True) == ordered[::-1]
    by_violation = [r.violation_fen for r in sort_rows(rows, "violation")]
    assert by_violation == sorted(by_violation, reverse=True)
    deadlines = [r.deadline for r in sort_rows(rows, "deadline")]
    dated = [d for d in deadlines if d is not None]
    assert dated == sorted(dated) and deadlines[:len(dated)] == dated
    ranks = [list(RectifyStatus).index(RectifyStatus(r.rectify_status))
             for r in sort_rows(rows, "status")]
    assert ranks == sorted(ranks)


def test_item_codes_sort_naturally() -> None:
    codes = ["A10", "A2", "SA1", "A1.2", "A1", "B1", "E23", "E5"]
    assert sorted(codes, key=_item_key) == ["A1", "A1.2", "A2", "A10", "B1", "E5", "E23", "SA1"]


@given(st.lists(st.integers(0, 10**12), max_size=30))
def test_totals_are_exact_sums(amounts: list[int]) -> None:
    from store.findings_view import FindingRow

    rows = [FindingRow(str(i), "a", "u", "单位", 2025, 2025, "t", "违纪违规", "A", "A1", fen,
                       fen // 3, "限期整改", None, "未整改") for i, fen in enumerate(amounts)]
    assert totals(rows) == Totals(len(amounts), sum(amounts), sum(f // 3 for f in amounts))


def test_show_value_formats_money_dates_and_auditors() -> None:
    set_language("zh")
    names = {"x1": "王建华"}
    assert show_value("violation_fen", 123450, names) == "1,234.50"
    assert show_value("deadline", "2026-11-23", names) == "2026年11月23日"
    assert show_value("verified_by", "x1", names) == "王建华"
    assert show_value("facts", "", names) == "—"
    assert show_value("title", "白条入账", names) == "白条入账"
    assert show_value("rectify_status", "已销号", names) == "已销号"
    set_language("en")
    assert show_value("rectify_status", "已销号", names) == "Closed"
    assert show_value("nature", "管理不规范", names) == "Irregular management"
    set_language("zh")
    assert stamp_local_time("2026-11-23T09:05:00.004Z.00000", UTC) == "2026-11-23 09:05"
    assert show_value("answered_at", "2026-11-23T09:05:00", names) == "2026-11-23 09:05"


def test_history_lines_after_edits(sample_copy: Path) -> None:
    set_language("zh")
    with AuditStore.open(sample_copy) as store:
        assign_new_device(store, "测试笔记本")
        me = auditor_by_code(store, "A01")
        set_current_auditor(store, me.id or "")
        audit_id = finding_rows(store)[0].audit_id
        finding = add_finding(store, me.id, audit_id=audit_id, title="白条入账",
                              nature=FindingNature.VIOLATION, violation_fen=500)
        update_finding(store, me.id, finding.id or "", violation_fen=123450,
                       deadline=date(2026, 12, 31))
        set_rectify_status(store, me.id, finding.id or "", RectifyStatus.PARTIAL)
        lines = history_lines(store, "findings", finding.id or "", UTC)
    newest = lines[0]
    assert (newest.field, newest.old, newest.new) == ("整改状态", "未整改", "部分整改")
    assert newest.auditor == "王建华" and newest.device == "测试笔记本"
    changed = {(line.field, line.old, line.new) for line in lines}
    assert ("违规金额", "5.00", "1,234.50") in changed
    assert ("整改期限", "—", "2026年12月31日") in changed
    created = [line for line in lines if line.old == "—" and line.field == "问题标题"]
    assert created and created[0].new == "白条入账"
    assert not any(line.field in ("deleted", "audit_id", "删除") for line in lines)
    assert all(len(line.when) == 16 for line in lines)


def test_editor_context_has_the_checklist(sample: AuditStore) -> None:
    row = finding_rows(sample)[0]
    context = editor_context(sample, row.id, "ignored-when-editing")
    assert context.audit_id == row.audit_id and context.finding is not None
    assert context.unit_name == row.unit_name
    codes = [code for code, _ in context.areas]
    assert row.area_code in codes
    assert row.item_code in {c for c, _ in context.items[row.area_code]}
