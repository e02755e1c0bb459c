"""Property tests: random edit scripts on 2–4 laptops and random merge orders.

For every script: any merge order gives the same master; each field holds its newest write by
(stamp, device) (forward-only fields their furthest state); every concurrent losing write is
in the conflicts table and nothing else is; merging again changes nothing; and after A→B then
B→A both files hold the same content.
"""

from __future__ import annotations

import sqlite3
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from store.answers import set_answer
from store.audits import advance_status
from store.db import AuditStore
from store.enums import AnswerResult, AuditStatus, FindingNature, RectifyStatus
from store.errors import FieldAuditError
from store.findings import add_finding, delete_finding, list_findings, update_finding
from store.records import decode
from store.sync import list_conflicts, resolve_conflict, sync_files
from store.sync.rules import fields, mergeable_tables
from sync_world import SharedClock, content, copy_world, expected_state, make_world

MAX_LAPTOPS = 4
ITEMS = ["1.1", "1.2", "1.3", "2.1"]


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory):
    clock = SharedClock()
    folder = tmp_path_factory.mktemp("world")
    master, laptops, info = make_world(folder, MAX_LAPTOPS, clock)
    with AuditStore.open(master, now_ms=clock) as store:
        codes = [r[0] for r in store.db.execute(
            "SELECT item_code FROM answers WHERE audit_id = ? ORDER BY item_code LIMIT 4",
            [info["audit"]])]
    return {"files": [master, *laptops], "info": info, "clock": clock, "items": codes}


texts = st.sampled_from(["甲", "乙", "丙", "整改中", "已核实", ""])
edits = st.one_of(
    st.tuples(st.just("edit"), st.integers(0, 3), st.integers(0, 1),
              st.sampled_from(["title", "facts", "violation_fen", "title+facts"]), texts),
    st.tuples(st.just("answer"), st.integers(0, 3), st.integers(0, 1),
              st.sampled_from(list(AnswerResult)), texts),
)
ops = st.one_of(
    edits, edits,
    st.tuples(st.just("rectify"), st.integers(0, 3), st.integers(0, 3),
              st.sampled_from([RectifyStatus.PARTIAL, RectifyStatus.DONE]), st.just("")),
    st.tuples(st.just("status"), st.integers(0, 3), st.just(0),
              st.sampled_from([AuditStatus.FIELDWORK, AuditStatus.REPORTED]), st.just("")),
    st.tuples(st.just("review"), st.integers(0, 3), st.integers(0, 3), st.just(""), st.just("")),
    st.tuples(st.just("delete"), st.integers(0, 3), st.integers(0, 3), st.just(""), st.just("")),
    st.tuples(st.just("add"), st.integers(0, 3), st.just(0), st.just(""), texts),
    st.tuples(st.just("resolve"), st.integers(0, 3), st.integers(0, 3),
              st.sampled_from(["kept", "other"]), st.just("")),
    st.tuples(st.just("roundtrip"), st.integers(0, 3), st.just(0), st.just(""), st.just("")),
    # the same field edited on two laptops, or edited on one and deleted on another
    st.tuples(st.just("clash"), st.integers(0, 3), st.integers(0, 1),
              st.sampled_from(["title", "facts", "title+facts", "delete"]), texts),
)


def _apply(store: AuditStore, op: tuple, info: dict, items: list[str]) -> None:
    kind, dev, n, what, text = op
    lead = info["lead"]
    live = [f.id for f in list_findings(store, info["audit"])]
    target = (info["findings"] + live)[n % (len(info["findings"]) + len(live))]
    try:
        if kind == "edit":
            # "title+facts": one write of two fields (a several-field change-log row)
            update_finding(store, lead, target, **{
                name: dev * 100 + len(text) if name == "violation_fen" else f"{text}{name}@{dev}"
                for name in what.split("+")})
        elif kind == "answer":
            set_answer(store, lead, info["audit"], items[n], what, f"{text}@{dev}")
        elif kind == "rectify":
            update_finding(store, lead, target, rectify_status=what)
        elif kind == "status":
            advance_status(store, lead, info["audit"], what)
        elif kind == "review":
            row = store.db.execute("SELECT id FROM answers WHERE audit_id = ? AND item_code = ?",
                                   [info["audit"], items[n]]).fetchone()
            with store.write(lead) as w:
                w.update("answers", row[0], {"reviewed_by": lead,
                                             "reviewed_stamp": str(store.clock.last)})
        elif kind == "delete":
            delete_finding(store, lead, target)
        elif kind == "add":
            add_finding(store, lead, audit_id=info["audit"], title=f"新问题{text}",
                        nature=FindingNature.IRREGULAR)
        elif kind == "resolve":
            open_ = list_conflicts(store)
            if open_:
                resolve_conflict(store, lead, open_[n % len(open_)].id, what)
    except FieldAuditError:
        pass  # e.g. editing a finding deleted here, a status that would go backwards


def _run_script(files: list[Path], script: list[tuple], info: dict, items: list[str],
                clock: SharedClock) -> None:
    master, laptops = files[0], files[1:]
    for op in script:
        laptop = laptops[op[1] % len(laptops)]
        if op[0] == "clash":
            other = laptops[(op[1] + 1) % len(laptops)]
            first = ("delete", op[1], op[2], "", "") if op[3] == "delete" else \
                ("edit", op[1], op[2], op[3], op[4])
            for path, step in ((laptop, first), (other, ("edit", op[1] + 1, *op[2:]))):
                with AuditStore.open(path, now_ms=clock) as store:
                    _apply(store, step if step[3] != "delete" else (*step[:3], "title", step[4]),
                           info, items)
            continue
        if op[0] == "roundtrip":
            sync_files(laptop, master, now_ms=clock)
            sync_files(master, laptop, now_ms=clock)
            continue
        if op[0] == "resolve":  # the team leader, at the office, after merging the laptops
            for path in laptops:
                sync_files(path, master, now_ms=clock)
            with AuditStore.open(master, now_ms=clock) as store:
                _apply(store, op, info, items)
            continue
        with AuditStore.open(laptop, now_ms=clock) as store:
            _apply(store, op, info, items)


def _changes(path: Path) -> list[dict]:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
    conn.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in conn.execute("SELECT * FROM changes")]
    finally:
        conn.close()


def _check_against_oracle(master: Path, sources: list[Path]) -> None:
    seen = {c["id"]: c for path in sources for c in _changes(path)}
    merged = {c["id"]: c for c in _changes(master)}
    assert set(merged) == set(seen), "the master holds exactly the union of the change logs"
    conn = sqlite3.connect(f"{master.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
    conn.row_factory = sqlite3.Row
    try:
        fields_of = {t: list(fields(conn, t)) for t in mergeable_tables(conn)}
        values, conflict_ids = expected_state(list(merged.values()), fields_of)
        for (table, rid), expected in values.items():
            row = dict(conn.execute(f"SELECT * FROM {table} WHERE id = ?", [rid]).fetchone())
            actual = {k: row[k] for k in expected}
            assert actual == expected, (table, rid)
        stored = {r["id"] for r in conn.execute("SELECT id FROM conflicts")}
        assert stored == conflict_ids
        for r in conn.execute("SELECT * FROM conflicts WHERE kind = 'value'"):
            assert decode(r["kept_value"]) == values[(r["tbl"], r["rid"])][r["field"]]
    finally:
        conn.close()


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(n_laptops=st.integers(2, MAX_LAPTOPS), script=st.lists(ops, min_size=2, max_size=16),
       orders=st.tuples(st.permutations(range(MAX_LAPTOPS)), st.permutations(range(MAX_LAPTOPS))),
       data=st.data())
def test_any_merge_order_gives_the_same_master(world, n_laptops, script, orders, data) -> None:
    clock = world["clock"]
    with tempfile.TemporaryDirectory() as tmp:
        files = copy_world(world["files"][: 1 + n_laptops], Path(tmp) / "script")
        _run_script(files, script, world["info"], world["items"], clock)
        master, laptops = files[0], files[1:]
        results = []
        for k, order in enumerate(orders):
            copy = copy_world([master], Path(tmp) / f"order{k}")[0]
            for i in (i for i in order if i < n_laptops):
                sync_files(laptops[i], copy, now_ms=clock)
            results.append(copy)
        first = content(results[0])
        assert content(results[1]) == first
        _check_against_oracle(results[0], files)
        for laptop in laptops:  # merging again changes nothing
            assert sync_files(laptop, results[0], now_ms=clock).applied == 0
        assert content(results[0]) == first
        a = laptops[data.draw(st.integers(0, n_laptops - 1), label="A")]
        b = copy_world([master], Path(tmp) / "b")[0]
        sync_files(a, b, now_ms=clock)
        sync_files(b, a, now_ms=clock)
        assert content(a) == content(b)
