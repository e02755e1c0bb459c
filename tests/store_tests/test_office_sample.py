"""The office figures on the sample county: stable across runs and consistent with plain SQL."""

from __future__ import annotations

import shutil
from dataclasses import asdict
from datetime import date
from pathlib import Path

import pytest

from store.coverage import coverage_totals, unit_coverage
from store.db import AuditStore
from store.office.ledger import ledger, ledger_rates
from store.office.plan import suggest_plan
from store.office.stats import compare_years, rate_series
from store.office.tables import all_tables

TODAY = date(2026, 11, 23)
LATER = date(2028, 1, 1)  # after every change in the sample: states are the current ones


def _figures(path: Path) -> dict:
    with AuditStore.open(path) as store:
        cur, prev = compare_years(store, 2026, TODAY)
        return {
            "coverage": [asdict(c) for c in unit_coverage(store, TODAY)],
            "totals": asdict(coverage_totals(store, TODAY)),
            "ledger": [asdict(r) for r in ledger(store, TODAY)],
            "rates": asdict(ledger_rates(store, TODAY)),
            "stats": (asdict(cur), asdict(prev)),
            "series": [asdict(r) for r in rate_series(store, 2025, TODAY)],
            "plan": [asdict(c) for c in suggest_plan(store, TODAY, 2027).candidates],
            "tables": [(t.title, t.headers, t.rows) for t in all_tables(store, TODAY)],
        }


def test_sample_figures_are_identical_across_runs(sample_copy: Path, tmp_path: Path) -> None:
    other = tmp_path / "again.db"
    shutil.copyfile(sample_copy, other)
    assert _figures(sample_copy) == _figures(other)


@pytest.fixture
def sample(sample_copy: Path):
    store = AuditStore.open(sample_copy)
    yield store
    store.close()


def test_sample_rates_agree_with_plain_sql(sample: AuditStore) -> None:
    q = lambda sql: sample.db.execute(sql).fetchone()  # noqa: E731
    base = ("FROM findings f JOIN audits a ON a.id = f.audit_id "
            "WHERE f.deleted = 0 AND a.deleted = 0 AND (f.rectify_status IN ('已整改', '已销号') "
            f"OR f.deadline < '{LATER.isoformat()}' OR (f.deadline IS NULL AND a.status IN "
            "('reported', 'rectifying', 'closed')))")
    due, due_fen = q(f"SELECT count(*), sum(violation_fen + irregular_fen) {base}")
    done, done_fen = q(f"SELECT count(*), sum(violation_fen + irregular_fen) {base} "
                       "AND f.rectify_status IN ('已整改', '已销号')")
    partial = q(f"SELECT count(*) {base} AND f.rectify_status = '部分整改'")[0]
    r = ledger_rates(sample, LATER)
    assert (r.findings, r.due, r.rectified, r.partial) == (413, due, done, partial)
    assert (r.due_fen, r.rectified_fen) == (due_fen, done_fen)


def test_sample_headline_numbers(sample: AuditStore) -> None:
    totals = coverage_totals(sample, TODAY)
    assert (totals.directly_managed, totals.annual_target, totals.cadence_years) == (66, 40, 3)
    assert totals.within_window + totals.never_audited + totals.overdue == 66
    assert totals.audits_planned_this_year == 17
    cur, prev = compare_years(sample, 2025, TODAY)
    assert prev.audits == 15 and cur.audits == 15  # 2024 and 2025: 15 audits each
    assert cur.findings == sum(a.findings for a in cur.by_area)
    assert cur.violation_fen + cur.irregular_fen == sum(v[1] for v in cur.by_nature.values())
    assert 0 < cur.rates.issue_rate.num <= cur.rates.issue_rate.den
    rows = ledger(sample, TODAY)
    assert len(rows) == 413 and rows[0].overdue_days >= rows[-1].overdue_days
    assert all(r.overdue_days == 0 for r in rows if r.rectify_status in ("已整改", "已销号"))
    plan = suggest_plan(sample, TODAY, 2027)
    assert len(plan.suggested) >= 40 - plan.already_planned
    assert [c.reason for c in plan.candidates] == sorted(
        (c.reason for c in plan.candidates),
        key=["never", "due", "open_findings", "rotation"].index)
