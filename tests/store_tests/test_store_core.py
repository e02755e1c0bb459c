"""The store's promises: ids, clocks, the change log, tombstones and forward-only statuses."""

from __future__ import annotations

import json

from datetime import date

import pytest

from store.answers import list_answers, set_answer
from store.audits import advance_status, create_audit, list_audits
from store.clock import HybridClock, Stamp
from store.db import AuditStore
from store.enums import AnswerResult, AuditStatus, AuditType, RectifyStatus
from store.errors import InvalidInput, RuleViolation
from store.findings import add_finding, delete_finding, list_findings, set_rectify_status
from store.history import history
from store.ids import IdFactory, id_time_ms
from store.template_registry import get_template, template_items
from store.units import list_units


def _audit(store: AuditStore):
    lead = store.meta("auditor_id")
    unit = list_units(store)[0]
    return create_audit(store, lead, unit_id=unit.id, type=AuditType.REVENUE, period_from=2024,
                        period_to=2025, leader_id=lead, planned_start=date(2026, 12, 1),
                        planned_end=date(2026, 12, 5), template_id="grassroots-revenue",
                        template_version=1)


def test_ids_are_time_sortable_and_unique() -> None:
    ticks = iter([1000, 1000, 999, 2000])
    factory = IdFactory(lambda: next(ticks))
    ids = [factory() for _ in range(4)]
    assert ids == sorted(ids) and len(set(ids)) == 4
    assert id_time_ms(ids[0]) == 1000 and id_time_ms(ids[3]) == 2000


def test_clock_never_goes_backwards_and_round_trips() -> None:
    walls = iter([5000, 4000, 4000, 6000, 7000])
    clock = HybridClock(lambda: next(walls))
    stamps = [clock.tick() for _ in range(4)]
    assert stamps == sorted(stamps) and len(set(stamps)) == 4
    assert [str(s) for s in stamps] == sorted(str(s) for s in stamps)
    assert Stamp.parse(str(stamps[1])) == stamps[1]
    clock.observe(Stamp(9000, 3))
    assert clock.tick() > Stamp(9000, 3)


def test_creating_an_audit_pins_template_and_creates_one_answer_per_item(county_db) -> None:
    audit = _audit(county_db)
    items = template_items(get_template(county_db, "grassroots-revenue", 1))
    answers = list_answers(county_db, audit.id)
    assert sorted(a.item_code for a in answers) == sorted(i.code for _, i in items)
    assert all(a.result == AnswerResult.UNCHECKED for a in answers)
    summary = list_audits(county_db)[0]
    assert (summary.items_total, summary.items_answered) == (len(items), 0)


def test_every_write_is_in_the_change_log_with_clock_device_and_auditor(county_db) -> None:
    audit = _audit(county_db)
    lead = county_db.meta("auditor_id")
    first = list_answers(county_db, audit.id)[0]
    set_answer(county_db, lead, audit.id, first.item_code, AnswerResult.NONCOMPLIANT, "凭证缺失")
    set_answer(county_db, lead, audit.id, first.item_code, AnswerResult.PARTIAL)
    trail = [c for c in history(county_db, "answers", first.id) if c.field == "result"]
    assert [(c.old, c.new) for c in trail] == [
        (None, "未检查"), ("未检查", "不符合"), ("不符合", "部分符合")]
    assert trail[2].base == trail[1].stamp and trail[1].base == trail[0].stamp
    assert all(c.device == county_db.device_id and c.auditor_name for c in trail[1:])
    assert trail[1].stamp < trail[2].stamp


def test_a_write_of_several_fields_is_one_log_row_that_keeps_each_fields_base(county_db) -> None:
    audit = _audit(county_db)
    lead = county_db.meta("auditor_id")
    answer = list_answers(county_db, audit.id)[0]
    set_answer(county_db, lead, audit.id, answer.item_code, note="先记一笔")
    noted = county_db.db.execute("SELECT max(stamp) FROM changes WHERE rid = ?",
                                 [answer.id]).fetchone()[0]
    set_answer(county_db, lead, audit.id, answer.item_code, AnswerResult.NONCOMPLIANT, "凭证缺失")
    rows = county_db.query("SELECT field, old, new, base, stamp FROM changes WHERE rid = ? "
                           "ORDER BY seq", [answer.id])
    assert [r["field"] for r in rows] == ["*", "+", "+"]  # created, then two writes
    assert "result" not in json.loads(rows[1]["new"])  # the note came first, with its auditor
    assert rows[1]["base"] == rows[0]["stamp"]  # every field replaced the creation: one stamp
    both = rows[2]
    assert json.loads(both["new"])["result"] == "不符合"
    assert json.loads(both["new"])["note"] == "凭证缺失"
    assert json.loads(both["old"])["note"] == "先记一笔"
    # each field names the write it replaced: the note its own edit, the result the creation
    bases = json.loads(both["base"])
    assert bases["note"] == noted and bases["result"] == rows[0]["stamp"]
    trail = [(c.field, c.old, c.new, c.base) for c in history(county_db, "answers", answer.id)
             if c.stamp == both["stamp"] and c.field in ("result", "note")]
    assert sorted(trail) == [("note", "先记一笔", "凭证缺失", noted),
                             ("result", "未检查", "不符合", rows[0]["stamp"])]


def test_a_failed_write_leaves_neither_row_nor_log(county_db) -> None:
    before = county_db.db.execute("SELECT count(*) FROM changes").fetchone()[0]
    with pytest.raises(RuntimeError), county_db.write(None) as w:
        w.insert("units", {"name": "x", "enterprise": "x", "credit_code": "x"})
        raise RuntimeError("simulated crash mid-write")
    assert county_db.db.execute("SELECT count(*) FROM changes").fetchone()[0] == before
    assert len(list_units(county_db)) == 2


def test_change_log_is_append_only(county_db) -> None:
    import sqlite3

    with pytest.raises(sqlite3.DatabaseError):
        county_db.db.execute("UPDATE changes SET new = 'forged'")
    with pytest.raises(sqlite3.DatabaseError):
        county_db.db.execute("DELETE FROM changes")


def test_status_moves_forward_only(county_db) -> None:
    audit = _audit(county_db)
    lead = county_db.meta("auditor_id")
    advance_status(county_db, lead, audit.id, AuditStatus.FIELDWORK)
    with pytest.raises(RuleViolation) as err:
        advance_status(county_db, lead, audit.id, AuditStatus.NOTIFIED)
    assert "只能向前" in str(err.value)


def test_findings_amounts_tombstones_and_closing(county_db) -> None:
    audit = _audit(county_db)
    lead = county_db.meta("auditor_id")
    finding = add_finding(county_db, lead, audit_id=audit.id, title="超标准发放节日慰问品",
                          nature="违纪违规", violation_fen=123_450, irregular_fen=0)
    with pytest.raises(InvalidInput):
        add_finding(county_db, lead, audit_id=audit.id, title="x", nature="违纪违规",
                    violation_fen=-1)
    set_rectify_status(county_db, lead, finding.id, RectifyStatus.CLOSED, on=date(2026, 12, 20))
    closed = list_findings(county_db, audit.id)[0]
    assert (closed.verified_by, closed.verified_at) == (lead, date(2026, 12, 20))
    with pytest.raises(RuleViolation):
        set_rectify_status(county_db, lead, finding.id, RectifyStatus.PARTIAL)
    delete_finding(county_db, lead, finding.id)
    assert list_findings(county_db, audit.id) == []
    row = county_db.db.execute("SELECT deleted FROM findings WHERE id = ?", [finding.id])
    assert row.fetchone()[0] == 1  # tombstone kept for merging
    assert history(county_db, "findings", finding.id)[-1].field == "deleted"


def test_file_records_schema_and_app_version(county_db) -> None:
    from store import __version__
    from store.schema import schema_version

    assert county_db.schema_version() == schema_version()
    assert county_db.meta("app_version") == __version__
