"""A laptop killed in the middle of its work (battery out, terminal closed): what was saved
stays saved, nothing half-written appears, and the file opens again.

A child process writes findings and answers through the store as fast as it can and reports
each committed write on stdout; it is killed with SIGKILL at a random moment. Afterwards
every reported write is in the file, at most one more, and every record has its change-log
row (the record and its log entry are one transaction)."""

from __future__ import annotations

import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from store.db import AuditStore

ROOT = Path(__file__).resolve().parents[2]

WRITER = r"""
import sys
from pathlib import Path
from store.answers import list_answers, set_answer
from store.db import AuditStore
from store.findings import add_finding

store = AuditStore.open(Path(sys.argv[1]))
audit = store.query("SELECT id, leader_id FROM audits WHERE status = 'fieldwork' "
                    "ORDER BY planned_start LIMIT 1")[0]
items = [a.item_code for a in list_answers(store, audit["id"])]
print("ready", flush=True)
n = 0
while True:
    n += 1
    add_finding(store, audit["leader_id"], audit_id=audit["id"], title=f"崩溃测试问题{n}",
                facts="经抽查凭证发现问题。" * 20, violation_fen=n * 100, nature="违纪违规")
    set_answer(store, audit["leader_id"], audit["id"], items[n % len(items)],
               "不符合" if n % 2 else "符合", f"第{n}次记录")
    print(n, flush=True)
"""


@pytest.mark.parametrize("seed", range(4))
def test_kill_during_writes_loses_nothing_saved(sample_copy: Path, seed: int) -> None:
    rng = random.Random(seed)
    proc = subprocess.Popen([sys.executable, "-c", WRITER, str(sample_copy)], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "ready", proc.stderr.read() if proc.stderr else ""
    time.sleep(rng.uniform(0.2, 1.2))
    proc.send_signal(signal.SIGKILL)
    out, _ = proc.communicate(timeout=30)
    reported = [int(line) for line in out.split() if line.isdigit()]
    last = reported[-1] if reported else 0
    assert last > 0, "the writer should have committed something before the kill"

    conn = sqlite3.connect(sample_copy)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    titles = [r[0] for r in conn.execute(
        "SELECT title FROM findings WHERE title LIKE '崩溃测试问题%'")]
    numbers = sorted(int(t.removeprefix("崩溃测试问题")) for t in titles)
    assert numbers[:last] == list(range(1, last + 1))  # every reported write survived
    assert len(numbers) in (last, last + 1)  # at most the one in flight, and only whole
    orphans = conn.execute(
        "SELECT count(*) FROM findings f WHERE NOT EXISTS (SELECT 1 FROM changes c "
        "WHERE c.tbl = 'findings' AND c.rid = f.id)").fetchone()[0]
    assert orphans == 0
    ghosts = conn.execute(
        "SELECT count(*) FROM changes c WHERE c.tbl = 'findings' AND c.field = '*' "
        "AND NOT EXISTS (SELECT 1 FROM findings f WHERE f.id = c.rid)").fetchone()[0]
    assert ghosts == 0
    conn.close()
    with AuditStore.open(sample_copy) as store:  # and the app opens it as usual
        assert store.query("SELECT count(*) AS n FROM findings WHERE title LIKE '崩溃测试问题%'"
                           )[0]["n"] == len(numbers)
