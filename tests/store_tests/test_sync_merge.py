"""Sync rules on small, readable scenarios: check-out, field merge, conflicts, forward-only
fields, tombstones, resolutions, receipts and the unsynced counter, evidence, old schemas."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from datetime import date
from pathlib import Path

import pytest
from sqlite_utils import Database

from store.answers import set_answer
from store.audits import advance_status, create_audit, get_audit
from store.db import AuditStore
from store.devices import unsynced_count
from store.enums import AnswerResult, AuditStatus, RectifyStatus
from store.errors import NotFound, RuleViolation
from store.evidence import attach_file, read_blob
from store.findings import delete_finding, get_finding, update_finding
from store.integrity import run_checks
from store.schema import APPLICATION_ID, migrations
from store.sync import (
    SyncRefused, checkout, list_conflicts, list_receipts, resolve_conflict, sync_files,
)
from store.sync import session
from sync_world import SharedClock, build_master, content, make_world


@pytest.fixture
def clock() -> SharedClock:
    return SharedClock()


@pytest.fixture
def world(tmp_path: Path, clock: SharedClock):
    master, laptops, info = make_world(tmp_path / "w", 2, clock)
    return master, laptops[0], laptops[1], info


def opened(path: Path, clock: SharedClock) -> AuditStore:
    return AuditStore.open(path, now_ms=clock)


def sync(src: Path, dst: Path, clock: SharedClock, **kw):
    return sync_files(src, dst, now_ms=clock, **kw)


def file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# -- check-out -------------------------------------------------------------------------------
def test_checkout_gives_the_auditor_their_work_and_the_file_its_identity(world, clock) -> None:
    master, lap, _, info = world
    with opened(master, clock) as m, opened(lap, clock) as laptop:
        assert laptop.device_id and laptop.device_id != m.device_id
        assert laptop.meta("master_device") == m.device_id
        assert laptop.meta("auditor_id") == info["lead"]
        assert laptop.meta("county_id") == m.meta("county_id")
        assert m.db.execute("SELECT name FROM devices WHERE id = ?",
                            [laptop.device_id]).fetchone()
        assert get_audit(laptop, info["audit"]).status == AuditStatus.NOTIFIED
        count = lambda s, t: s.db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]  # noqa: E731
        for table in ("answers", "findings", "units", "auditors", "templates", "caps"):
            assert count(laptop, table) == count(m, table), table
        assert run_checks(laptop) == []
        assert unsynced_count(laptop) == 0
        blocks = laptop.db.execute("SELECT count(*) FROM number_blocks WHERE device_id = ?",
                                   [laptop.device_id]).fetchone()[0]
        assert blocks >= 5


def test_checkout_takes_only_assigned_audits_plus_history_of_their_units(tmp_path, clock):
    master = tmp_path / "m.db"
    info = build_master(master, clock)
    with opened(master, clock) as m:
        other = create_audit(m, info["lead"], unit_id=info["units"][1], type="经费收支审计",
                             period_from=2025, period_to=2025, leader_id=info["lead"],
                             planned_start=date(2026, 12, 1), planned_end=date(2026, 12, 2),
                             template_id="grassroots-revenue", template_version=1)
    out = tmp_path / "lap.db"
    report = checkout(master, "T01", out, now_ms=clock)  # T01 is a member of the first audit
    assert report.audits == [info["audit"]]
    with opened(out, clock) as laptop:
        q = laptop.db.execute
        assert q("SELECT count(*) FROM audits WHERE id = ?", [other.id]).fetchone()[0] == 0
        assert {r[0] for r in q("SELECT DISTINCT audit_id FROM answers")} == {info["audit"]}
        assert q("PRAGMA foreign_key_check").fetchall() == []


def test_checkout_refusals(world, tmp_path, clock) -> None:
    master, lap, _, _ = world
    with pytest.raises(NotFound):
        checkout(master, "ZZZ", tmp_path / "x.db", now_ms=clock)
    with pytest.raises(SyncRefused, match="已存在"):
        checkout(master, "A01", lap, now_ms=clock)
    with pytest.raises(SyncRefused, match="笔记本"):
        checkout(lap, "A01", tmp_path / "y.db", now_ms=clock)
    assert not (tmp_path / "x.db").exists() and not (tmp_path / "y.db").exists()


# -- merging fields --------------------------------------------------------------------------
def test_edits_to_different_fields_of_one_record_both_survive(world, clock) -> None:
    master, a, b, info = world
    fid = info["findings"][0]
    with opened(a, clock) as s:
        update_finding(s, info["lead"], fid, facts="甲机补充的事实")
    with opened(b, clock) as s:
        update_finding(s, info["member"], fid, recommendation="乙机的建议")
    assert sync(a, master, clock).applied == 1
    assert sync(b, master, clock).applied == 1
    with opened(master, clock) as m:
        f = get_finding(m, fid)
        assert (f.facts, f.recommendation) == ("甲机补充的事实", "乙机的建议")
        assert list_conflicts(m) == []


def test_concurrent_edits_of_one_field_keep_the_newest_and_record_the_other(world, clock):
    master, a, b, info = world
    fid = info["findings"][0]
    with opened(a, clock) as s:
        update_finding(s, info["lead"], fid, title="甲机标题")
        a_device = s.device_id
    with opened(b, clock) as s:
        update_finding(s, info["member"], fid, title="乙机标题")  # later: wins
        b_device = s.device_id
    sync(b, master, clock)
    report = sync(a, master, clock)
    assert report.applied == 0  # the older edit loses...
    [c] = report.conflicts      # ...and is kept, with both authors and times
    assert (c.table, c.record_id, c.field) == ("findings", fid, "title")
    assert (c.kept.value, c.kept.device, c.kept.auditor_name) == ("乙机标题", b_device, "陈静")
    assert (c.other.value, c.other.device, c.other.auditor_name) == ("甲机标题", a_device, "王建华")
    assert c.kept.stamp > c.other.stamp
    out = report.as_json()["conflicts"][0]
    assert out["kept"]["value"] == "乙机标题" and out["other"]["device"] == a_device
    with opened(master, clock) as m:
        assert get_finding(m, fid).title == "乙机标题"


def test_a_plain_successor_is_not_a_conflict(world, clock) -> None:
    master, a, _, info = world
    fid = info["findings"][0]
    with opened(master, clock) as m:
        update_finding(m, info["lead"], fid, title="主库先改")
    sync(master, a, clock)
    with opened(a, clock) as s:
        update_finding(s, info["lead"], fid, title="笔记本在其后再改")
    report = sync(a, master, clock)
    assert report.applied == 1 and report.conflicts == []


def test_forward_only_fields_merge_to_the_furthest_state_without_conflicts(world, clock):
    master, a, b, info = world
    fid = info["findings"][1]
    with opened(a, clock) as s:
        update_finding(s, info["lead"], fid, rectify_status=RectifyStatus.DONE)
        advance_status(s, info["lead"], info["audit"], AuditStatus.REPORTED)
    with opened(b, clock) as s:  # later stamps, lower states
        update_finding(s, info["lead"], fid, rectify_status=RectifyStatus.PARTIAL)
        advance_status(s, info["lead"], info["audit"], AuditStatus.FIELDWORK)
    for order in ((a, b), (b, a)):
        target = master.with_name(f"m{order[0].stem}.db")
        target.write_bytes(master.read_bytes())
        for src in order:
            assert sync(src, target, clock).conflicts == []
        with opened(target, clock) as m:
            assert get_finding(m, fid).rectify_status == RectifyStatus.DONE
            assert get_audit(m, info["audit"]).status == AuditStatus.REPORTED
            assert list_conflicts(m, include_resolved=True) == []


def test_review_marks_merge_to_the_latest_review(world, clock) -> None:
    master, a, b, info = world
    stamps = {}
    for path in (b, a):  # a reviews later, but b's edit (after) must not lower the mark
        with opened(path, clock) as s:
            row = s.db.execute("SELECT id FROM answers WHERE audit_id = ? LIMIT 1",
                               [info["audit"]]).fetchone()
            with s.write(info["lead"]) as w:
                w.update("answers", row[0], {"reviewed_stamp": str(s.clock.tick()),
                                             "reviewed_by": info["lead"]})
            stamps[path] = s.db.execute("SELECT reviewed_stamp FROM answers WHERE id = ?",
                                        row).fetchone()[0]
    sync(a, master, clock)
    sync(b, master, clock)
    with opened(master, clock) as m:
        got = m.db.execute("SELECT reviewed_stamp FROM answers WHERE id = ?", row).fetchone()[0]
    assert got == max(stamps.values()) == stamps[a]


# -- tombstones and resolutions --------------------------------------------------------------
def test_an_edit_concurrent_with_a_delete_stays_in_the_tombstone_and_is_flagged(world, clock):
    master, a, b, info = world
    fid = info["findings"][2]
    with opened(a, clock) as s:
        delete_finding(s, info["lead"], fid)
    with opened(b, clock) as s:
        update_finding(s, info["member"], fid, facts="删除后另一台机器的补充")
    sync(a, master, clock)
    report = sync(b, master, clock)
    [c] = report.conflicts
    assert (c.kind, c.field, c.kept.value) == ("deleted", "deleted", 1)
    assert c.other.value == {"facts": "删除后另一台机器的补充"}
    with opened(master, clock) as m:
        with pytest.raises(NotFound):
            get_finding(m, fid)
        row = m.db.execute("SELECT facts, deleted FROM findings WHERE id = ?", [fid]).fetchone()
        assert row == ("删除后另一台机器的补充", 1)  # nothing lost
        resolve_conflict(m, info["lead"], c.id, "other")  # the team leader restores it
        assert get_finding(m, fid).facts == "删除后另一台机器的补充"
    # The restoration is a change like any other: it reaches the laptop that deleted it.
    sync(master, a, clock)
    with opened(a, clock) as s:
        assert get_finding(s, fid).facts == "删除后另一台机器的补充"


def test_a_resolution_is_a_change_that_merges_like_any_other(world, clock) -> None:
    master, a, b, info = world
    fid = info["findings"][0]
    with opened(a, clock) as s:
        update_finding(s, info["lead"], fid, title="甲")
    with opened(b, clock) as s:
        update_finding(s, info["lead"], fid, title="乙")
    sync(a, master, clock)
    sync(b, master, clock)
    with opened(master, clock) as m:
        [c] = list_conflicts(m)
        assert (c.kept.value, c.other.value) == ("乙", "甲")
        resolve_conflict(m, info["lead"], c.id, "other")
        assert get_finding(m, fid).title == "甲"
        assert list_conflicts(m) == []
        [done] = list_conflicts(m, include_resolved=True)
        assert done.resolution == "other"
        with pytest.raises(RuleViolation):
            resolve_conflict(m, info["lead"], c.id, "kept")
        with pytest.raises(NotFound):
            resolve_conflict(m, info["lead"], "nope", "kept")
    for laptop in (a, b):
        sync(master, laptop, clock)
        assert content(laptop) == content(master)
        assert sync(laptop, master, clock).applied == 0
    with opened(b, clock) as s:
        assert get_finding(s, fid).title == "甲"
        assert list_conflicts(s, include_resolved=True)[0].resolution == "other"


def test_keeping_the_winner_only_marks_the_conflict(world, clock) -> None:
    master, a, b, info = world
    fid = info["findings"][0]
    for path, title in ((a, "甲"), (b, "乙")):
        with opened(path, clock) as s:
            update_finding(s, info["lead"], fid, title=title)
        sync(path, master, clock)
    with opened(master, clock) as m:
        [c] = list_conflicts(m)
        resolve_conflict(m, info["lead"], c.id, "kept")
        assert get_finding(m, fid).title == "乙"
        assert list_conflicts(m, include_resolved=True)[0].resolution == "kept"


# -- idempotence, dry run, both directions ---------------------------------------------------
def test_merging_twice_applies_nothing_and_dry_run_writes_nothing(world, clock) -> None:
    master, a, _, info = world
    with opened(a, clock) as s:
        set_answer(s, info["lead"], info["audit"], _item(s, info), AnswerResult.NONCOMPLIANT,
                   "抽查发现问题")
    before = file_hash(master)
    dry = sync(a, master, clock, dry_run=True)
    assert dry.applied == 4 and dry.dry_run and dry.source_receipt == "dry_run"
    assert file_hash(master) == before
    assert not Path(f"{master}-wal").exists()
    real = sync(a, master, clock)
    assert (real.applied, real.changes) == (dry.applied, dry.changes)
    assert real.as_json()["tables"] == dry.as_json()["tables"]
    snapshot = content(master)
    again = sync(a, master, clock)
    assert (again.applied, again.changes, again.conflicts) == (0, 0, [])
    assert content(master) == snapshot


def test_master_to_laptop_brings_new_assignments_and_both_then_match(world, clock) -> None:
    master, a, _, info = world
    with opened(master, clock) as m:
        new = create_audit(m, info["lead"], unit_id=info["units"][1], type="专项资金审计",
                           period_from=2025, period_to=2025, leader_id=info["lead"],
                           planned_start=date(2026, 12, 7), planned_end=date(2026, 12, 9),
                           template_id="special-fund", template_version=1)
    with opened(a, clock) as s:
        update_finding(s, info["lead"], info["findings"][0], response="单位已答复")
    report = sync(master, a, clock)
    assert report.tables["audits"].added == 1
    with opened(a, clock) as s:
        assert get_audit(s, new.id).type == "专项资金审计"
    sync(a, master, clock)
    assert content(a) == content(master)


# -- receipts and the unsynced counter -------------------------------------------------------
def test_receipts_in_both_files_and_the_counter_drops_only_when_the_master_has_it(
        world, clock, monkeypatch) -> None:
    master, a, b, info = world
    with opened(a, clock) as s:
        for title in ("一", "二", "三"):
            update_finding(s, info["lead"], info["findings"][0], title=title)
        assert unsynced_count(s) == 3
    sync(a, b, clock)  # another laptop is not the master: nothing acknowledged
    with opened(a, clock) as s:
        assert unsynced_count(s) == 3
    report = sync(a, master, clock)
    assert report.source_receipt == "written" and report.acked_seq
    with opened(a, clock) as s, opened(master, clock) as m:
        assert unsynced_count(s) == 0
        sent = [r for r in list_receipts(s) if r.direction == "sent"]
        assert sent[0].peer_device == m.device_id and sent[0].applied == report.applied
        received = [r for r in list_receipts(m) if r.direction == "received"]
        assert received[0].peer_device == s.device_id
        update_finding(s, info["lead"], info["findings"][1], title="四")
        assert unsynced_count(s) == 1
    # The receipt step is lost (say the laptop was unplugged right after the master's commit):
    monkeypatch.setattr(session, "_source_side", lambda *args: None)
    sync(a, master, clock)
    with opened(a, clock) as s:
        assert unsynced_count(s) == 1
    # The next refresh from the master acknowledges what the master has.
    monkeypatch.undo()
    assert sync(master, a, clock).acked_seq
    with opened(a, clock) as s:
        assert unsynced_count(s) == 0


# -- evidence --------------------------------------------------------------------------------
def test_evidence_travels_deduplicated_and_verified(world, clock, tmp_path) -> None:
    master, a, b, info = world
    photo = tmp_path / "凭证照片.jpg"
    photo.write_bytes(b"\xff\xd8" + bytes(range(256)) * 400)
    for path in (a, b):  # the same file attached on both laptops
        with opened(path, clock) as s:
            attach_file(s, info["lead"], photo, finding_id=info["findings"][0])
    assert sync(a, master, clock).blobs == 1
    assert sync(b, master, clock).blobs == 0
    with opened(master, clock) as m:
        assert m.db.execute("SELECT count(*) FROM blobs").fetchone()[0] == 1
        sha = hashlib.sha256(photo.read_bytes()).hexdigest()
        assert read_blob(m, sha) == photo.read_bytes()
        assert m.db.execute("SELECT count(*) FROM evidence WHERE deleted = 0").fetchone()[0] == 2


def test_a_damaged_evidence_file_refuses_the_whole_sync(world, clock, tmp_path) -> None:
    master, a, _, info = world
    photo = tmp_path / "收据.png"
    photo.write_bytes(b"\x89PNG" + b"x" * 5000)
    with opened(a, clock) as s:
        attach_file(s, info["lead"], photo, finding_id=info["findings"][0])
        s.db.execute("UPDATE blobs SET data = zeroblob(5004)")
    before = file_hash(master)
    with pytest.raises(SyncRefused, match="收据.png"):
        sync(a, master, clock)
    assert file_hash(master) == before


# -- older schema ----------------------------------------------------------------------------
def test_an_older_source_is_upgraded_in_a_temporary_copy_never_in_place(tmp_path, clock):
    old = tmp_path / "old.db"
    conn = sqlite3.connect(old, isolation_level=None)
    db = Database(conn)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    migrations.apply(db, stop_before="m003_sync")
    conn.execute("PRAGMA user_version = 2")
    conn.execute("INSERT INTO meta VALUES ('device_id', '01a20000-0000-7000-8000-0000000000aa')")
    store = AuditStore(old, db, clock)  # written by a fieldaudit that knew only m001–m002
    from store.county import set_county
    from store.template_registry import publish_builtins

    set_county(store, None, name="旧县总工会", committee="旧县总工会经费审查委员会",
               doc_prefix="旧工审", province_code="anhui")
    with store.write(None) as w:
        w.insert("devices", {"id": store.device_id, "name": "旧主库"})
    publish_builtins(store, None)
    store.close()
    master = tmp_path / "master.db"
    master.write_bytes(old.read_bytes())
    with opened(master, clock) as m:  # the office upgraded its master (backup kept)
        m.set_meta("device_id", "01a20000-0000-7000-8000-0000000000bb")
        m.device_id = m.meta("device_id")
        with m.write(None) as w:
            w.insert("devices", {"id": m.device_id, "name": "新主库"})
    store = AuditStore(old, Database(sqlite3.connect(old, isolation_level=None)), clock)
    with store.write(None) as w:  # the old file keeps working in the old version
        w.update("county", store.meta("county_id"), {"annual_target": 55})
    store.close()
    before = file_hash(old)
    report = sync(old, master, clock)
    assert report.upgraded_source and report.source_receipt == "older_schema"
    assert report.applied == 1
    assert file_hash(old) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["master.db", "master.db.v2.bak",
                                                           "old.db"]
    with opened(master, clock) as m:
        assert m.db.execute("SELECT annual_target FROM county").fetchone()[0] == 55


def _item(store: AuditStore, info: dict) -> str:
    return store.db.execute("SELECT item_code FROM answers WHERE audit_id = ? ORDER BY item_code "
                            "LIMIT 1", [info["audit"]]).fetchone()[0]


def test_report_json_shape(world, clock) -> None:
    master, a, _, info = world
    with opened(a, clock) as s:
        update_finding(s, info["lead"], info["findings"][0], basis="《办法》第七条")
    out = sync(a, master, clock).as_json()
    json.dumps(out, ensure_ascii=False)
    assert {"applied", "conflicts", "tables", "changes", "source_device", "target_device",
            "dry_run", "blobs", "acked_seq"} <= set(out)
    assert out["tables"] == {"findings": {"added": 0, "updated": 1, "fields": 1}}


# -- return visits (table from migration m004_office) ----------------------------------------
def test_return_visits_merge_like_other_tables(world, clock) -> None:
    from store.office.visits import get_visit, schedule_visit

    master, a, b, info = world
    with opened(a, clock) as s:  # a visit planned offline on laptop A
        visit = schedule_visit(s, info["lead"], info["audit"], date(2026, 12, 1), info["lead"],
                               finding_id=info["findings"][0])
    first = sync(a, master, clock)
    assert first.tables["return_visits"].added == 1
    sync(master, b, clock)
    with opened(a, clock) as s:   # both laptops edit the same visit concurrently
        s_row = {"result": "甲机记录的回访结果"}
        with s.write(info["lead"]) as w:
            w.update("return_visits", visit.id, s_row)
    with opened(b, clock) as s:
        with s.write(info["member"]) as w:
            w.update("return_visits", visit.id, {"result": "乙机记录的回访结果"})
    sync(a, master, clock)
    report = sync(b, master, clock)
    [c] = [c for c in report.conflicts if c.table == "return_visits"]
    assert (c.field, c.kept.value, c.other.value) == (
        "result", "乙机记录的回访结果", "甲机记录的回访结果")
    sync(master, a, clock)
    with opened(master, clock) as m, opened(a, clock) as s:
        assert get_visit(m, visit.id).result == get_visit(s, visit.id).result == "乙机记录的回访结果"
    assert content(master)["return_visits"] == content(a)["return_visits"]
    assert sync(b, master, clock).applied == 0


def test_an_open_target_gets_its_page_cache_back_after_a_sync(world, clock) -> None:
    master, a, _b, info = world
    with opened(a, clock) as s:
        update_finding(s, info["lead"], info["findings"][0], facts="甲机补充的事实")
    with opened(master, clock) as m:
        before = m.db.execute("PRAGMA cache_size").fetchone()[0]
        assert session.sync_into(m, a).applied == 1
        assert m.db.execute("PRAGMA cache_size").fetchone()[0] == before
        assert before != -session.MERGE_CACHE_KIB
