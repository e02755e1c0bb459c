"""The workspace view-model (store/workspace.py): states, progress, details, caps in force,
the previous audit's findings, search, finding prefill, resume position, and its cost on a
300-item checklist with 2,000 findings."""

from __future__ import annotations

import time
from datetime import date

from store.records import field_writes
from store.audits import create_audit
from store.caps import builtin_caps
from store.checklist import Template
from store.db import AuditStore
from store.enums import AnswerResult, AuditType, FindingNature
from store.findings import add_finding
from store.review import ReviewState
from store.template_registry import get_template, publish_template
from store.units import list_units
from store.workspace import (
    area_progress, finding_prefill, item_detail, item_state, item_states, load_workspace,
    matches, period_caps, record_answer, remember_position, review_item,
)
from tui.startup import read_startup


def _audit(store: AuditStore, unit_index: int = 0, start: date = date(2026, 12, 1),
           period: tuple[int, int] = (2024, 2025), template: str = "grassroots-revenue") -> str:
    lead = store.meta("auditor_id")
    unit = list_units(store)[unit_index]
    audit = create_audit(store, lead, unit_id=unit.id, type=AuditType.REVENUE,
                         period_from=period[0], period_to=period[1], leader_id=lead,
                         planned_start=start, planned_end=start,
                         template_id=template, template_version=1)
    return audit.id or ""


def test_the_view_lists_every_item_with_its_state_and_area_progress(county_db) -> None:
    audit_id = _audit(county_db)
    view = load_workspace(county_db, audit_id)
    template = get_template(county_db, "grassroots-revenue", 1)
    assert view.codes() == [i.code for _, i in template.iter_items()]
    assert set(view.states) == set(view.codes())
    assert view.is_leader and view.leader_name == "王建华"
    assert view.unit_name == list_units(county_db)[0].name
    area_a = template.areas[0]
    assert area_progress(view, area_a) == (0, len(area_a.items))

    state = record_answer(county_db, audit_id, "A1", AnswerResult.COMPLIANT)
    view.states["A1"] = state
    assert state.answered and state.review is ReviewState.NOT_REVIEWED
    assert area_progress(view, area_a) == (1, len(area_a.items))
    assert view.answered() == 1
    state = record_answer(county_db, audit_id, "A1", note="查阅了登记证书")
    assert (state.result, state.note) == (AnswerResult.COMPLIANT, "查阅了登记证书")
    assert item_states(county_db, audit_id)["A1"] == state == item_state(county_db, audit_id,
                                                                         "A1")
    rows = county_db.query("SELECT field, old, new, base FROM changes WHERE rid = ? "
                           "AND field != '*' ORDER BY stamp", [state.answer_id])
    writes = [w for r in rows for w in field_writes(r["field"], r["old"], r["new"], r["base"])]
    fields = [w[0] for w in writes]
    assert fields.count("result") == 1 and fields.count("note") == 1
    assert [w[2] for w in writes if w[0] == "note"] == ["查阅了登记证书"]


def test_detail_shows_question_method_basis_and_the_caps_in_force(county_db) -> None:
    straddling = load_workspace(county_db, _audit(county_db, period=(2022, 2023)))
    detail = item_detail(straddling, "E1")
    assert detail.item.question.startswith("全年节日慰问品人均金额")
    assert detail.item.method and detail.basis
    assert [(c.effective_from, c.amount_fen) for c in detail.caps] == [
        (date(2018, 3, 12), 150_000), (date(2023, 1, 1), 200_000)]
    recent = load_workspace(county_db, _audit(county_db, period=(2024, 2025)))
    assert [c.amount_fen for c in item_detail(recent, "E1").caps] == [200_000]
    assert item_detail(recent, "E2").caps == []  # no cap on this item


def test_period_caps_reads_the_versions_of_one_province_only() -> None:
    caps = builtin_caps()
    assert period_caps(caps, "anhui", "holiday_goods", date(2017, 1, 1),
                       date(2017, 12, 31)) == []
    assert [c.amount_fen for c in period_caps(caps, "anhui", "holiday_goods",
                                              date(2019, 1, 1), date(2019, 12, 31))] == [150_000]
    assert period_caps(caps, "anhui", "no_such_cap", date(2019, 1, 1), date(2024, 1, 1)) == []


def test_the_previous_audit_of_the_same_unit_shows_its_finding_on_the_item(county_db) -> None:
    lead = county_db.meta("auditor_id")
    older = _audit(county_db, start=date(2022, 5, 1), period=(2020, 2021))
    earlier = _audit(county_db, start=date(2024, 5, 1), period=(2022, 2023))
    other_unit = _audit(county_db, unit_index=1, start=date(2025, 5, 1), period=(2023, 2024))
    for audit_id, title in [(older, "最早的问题"), (earlier, "账户不独立"),
                            (other_unit, "别的单位")]:
        add_finding(county_db, lead, audit_id=audit_id, title=title, item_code="B1",
                    area_code="B", nature=FindingNature.VIOLATION, violation_fen=72_161_00)
    current = load_workspace(county_db, _audit(county_db))
    previous = item_detail(current, "B1").previous
    assert [(p.title, p.period_from, p.period_to, p.violation_fen) for p in previous] == [
        ("账户不独立", 2022, 2023, 72_161_00)]
    assert item_detail(current, "B2").previous == []
    assert load_workspace(county_db, older).previous == {}


def test_matches_prefers_codes_then_text(county_db) -> None:
    audit_id = _audit(county_db)
    record_answer(county_db, audit_id, "H1", note="凭证号 记-0815")
    view = load_workspace(county_db, audit_id)
    assert matches(view, "e1")[:3] == ["E1", "E10", "E11"]
    assert matches(view, "E1")[0] == "E1"
    assert "E1" in matches(view, "节日慰问品")
    assert matches(view, "记-0815") == ["H1"]  # notes are searched too
    assert matches(view, "  ") == [] and matches(view, "没有这种文字") == []


def test_finding_prefill_from_an_item(county_db) -> None:
    view = load_workspace(county_db, _audit(county_db))
    prefill = finding_prefill(view, "E1")
    assert set(prefill) == {"title", "nature", "basis", "area_code", "item_code",
                            "recommendation"}
    assert (prefill["title"], prefill["nature"], prefill["area_code"], prefill["item_code"]) \
        == ("超标准发放节日慰问品", FindingNature.VIOLATION, "E", "E1")
    assert "补充通知" in prefill["basis"] and prefill["basis"] in prefill["recommendation"]


def test_position_is_remembered_for_the_next_launch(county_db) -> None:
    audit_id = _audit(county_db)
    remember_position(county_db, audit_id, "C3")
    start = read_startup(county_db)
    assert (start.last_audit, start.last_item) == (audit_id, "C3")
    before = county_db.query("SELECT count(*) AS n FROM changes")[0]["n"]
    remember_position(county_db, audit_id, "C4")
    assert county_db.query("SELECT count(*) AS n FROM changes")[0]["n"] == before  # not synced


def test_review_item_returns_the_reviewed_state(county_db) -> None:
    audit_id = _audit(county_db)
    record_answer(county_db, audit_id, "A1", AnswerResult.COMPLIANT)
    assert review_item(county_db, audit_id, "A1").review is ReviewState.REVIEWED
    assert record_answer(county_db, audit_id, "A1", note="改").review is ReviewState.MODIFIED


def _big_template(areas: int = 10, per_area: int = 30) -> Template:
    letters = "ABCDEFGHJKLMNPQRSTUVWXYZ"
    item = {"question": "是否符合规定？", "method": "抽查凭证。", "finding_title": "不符合规定",
            "nature": "管理不规范",
            "basis": [{"regulation": "《基层工会经费收支管理办法》"}]}
    return Template.model_validate({
        "schema_version": 1, "id": "big-test", "version": 1, "title": "大模板",
        "audit_types": ["经费收支审计"], "description": "性能测试", "published": "2026-01-01",
        "areas": [{"code": letters[a], "title": f"领域{a}",
                   "items": [{**item, "code": f"{letters[a]}{i + 1}"} for i in range(per_area)]}
                  for a in range(areas)]})


def test_a_300_item_checklist_with_2000_findings_stays_fast(county_db) -> None:
    lead = county_db.meta("auditor_id")
    template = _big_template()
    publish_template(county_db, lead, template)
    audit_id = _audit(county_db, template="big-test")
    codes = [i.code for _, i in template.iter_items()]
    with county_db.write(lead) as w:
        for n in range(2000):
            w.insert("findings", {"audit_id": audit_id, "title": f"问题{n}",
                                  "nature": "管理不规范", "item_code": codes[n % 300]})
    started = time.perf_counter()
    view = load_workspace(county_db, audit_id)
    load_s = time.perf_counter() - started
    assert len(view.states) == 300 and view.finding_count() == 2000
    started = time.perf_counter()
    for code in codes[:50]:
        record_answer(county_db, audit_id, code, AnswerResult.COMPLIANT)
    answer_ms = (time.perf_counter() - started) / 50 * 1000
    started = time.perf_counter()
    states = item_states(county_db, audit_id)
    states_s = time.perf_counter() - started
    print(f"\nload {load_s * 1000:.0f} ms, answer {answer_ms:.1f} ms each, "
          f"all states {states_s * 1000:.0f} ms")
    assert sum(s.answered for s in states.values()) == 50
    assert load_s < 2.0 and answer_ms < 100 and states_s < 1.0
