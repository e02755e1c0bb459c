"""Sync benchmark: 20 laptop files merged into a county master, against a plain SQLite copy.

At ``--scale 1`` (the default) the master holds 1,000,000 rows (2,000 units, 12,000 audits,
840,000 checklist answers, 150,000 findings, their creation rows in the change log); 20
laptops are checked out from it with ``store.sync.checkout`` (357 audits each, neighbours
sharing one audit so that some edits conflict) and between them change 500,000 answers (four
fields each) and 100,000 findings (4,000 edited and 1,000 new per laptop), written the way
``store.records.Writer`` writes them (rows plus change-log rows with bases).

Measured, each in its own subprocess on a fresh copy of the same master (time and peak RSS):

- **baseline**: per laptop, ``ATTACH`` and ``INSERT … SELECT … ON CONFLICT (id) DO UPDATE …
  WHERE excluded.stamp > stamp`` of the changed answers and findings, one transaction each;
- **merge**: the master opened once, then ``store.sync.sync_into`` for each laptop (all
  checks, including ``PRAGMA quick_check`` of each laptop, run alongside the merge; the merge;
  receipts in both files).

Each is run ``--repeat`` times (default 2), alternately; the best run of each is compared, and
every run's time is printed (this machine's disk speed varies by ±15 % from run to run).

It prints the ratio merge / baseline (target ≤ 3) and both peak memories (target < 200 MB),
and checks that both ways leave the answers and findings identical.

    .venv/bin/python bench/sync_bench.py               # full size (≈ 10 minutes, ≈ 3 GB disk)
    .venv/bin/python bench/sync_bench.py --scale 0.02  # a few seconds
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from store.auditors import add_auditor  # noqa: E402
from store.county import set_county  # noqa: E402
from store.db import AuditStore  # noqa: E402
from store.enums import AuditorRole  # noqa: E402
from store.ids import IdFactory  # noqa: E402
from store.sync.checkout import checkout  # noqa: E402
from store.template_registry import get_template, publish_builtins, template_items  # noqa: E402

LAPTOPS = 20
STAMP_SQL = ("strftime('%Y-%m-%dT%H:%M:%S', {ms} / 1000, 'unixepoch') || '.' || "
             "printf('%03d', {ms} % 1000) || 'Z.00000'")


def log(msg: str) -> None:
    print(msg, flush=True)


# -- building the master ---------------------------------------------------------------------
def build_master(path: Path, scale: float, rng: random.Random) -> dict:
    now = int(time.time() * 1000)
    clock_ms = [now - 90 * 86_400_000]

    def clock() -> int:
        clock_ms[0] += 1
        return clock_ms[0]

    ids = IdFactory(clock, random_bytes=rng.randbytes)
    store = AuditStore.create(path, device_name="县经审办主库", now_ms=clock, new_id=ids)
    set_county(store, None, name="青山县总工会", committee="青山县总工会经费审查委员会",
               doc_prefix="青工审", province_code="anhui")
    publish_builtins(store, None)
    auditors = [add_auditor(store, None, code=f"A{i:02d}", name=f"审计员{i:02d}",
                            role=AuditorRole.FULL_TIME, can_lead=True).id
                for i in range(1, LAPTOPS + 1)]
    items = [item.code for _, item in template_items(get_template(store, "grassroots-revenue", 1))]
    n_units = max(40, int(2000 * scale))
    n_audits = max(LAPTOPS * 3, int(12000 * scale))
    per_laptop = max(2, int(7143 * scale) // LAPTOPS)
    findings_per_audit = 12.5
    conn = store.db.conn
    device = store.device_id

    def stamp_now() -> str:
        return str(store.clock.tick())

    conn.execute("BEGIN IMMEDIATE")
    units = [ids() for _ in range(n_units)]
    conn.executemany(
        "INSERT INTO units (id, name, enterprise, credit_code, address, member_count, staff_count,"
        " payroll_fen, stamp, device) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(u, f"第{i}企业工会委员会", f"第{i}企业有限公司", f"91341822MA{i:08d}",
          f"青山县工业园区{i}号", 100 + i % 500, 120 + i % 600, 6_000_000_00 + i, stamp_now(),
          device) for i, u in enumerate(units)])
    audits, assignment = [], {k: [] for k in range(LAPTOPS)}
    for n in range(n_audits):
        audit_id = ids()
        laptop = n // per_laptop if n < per_laptop * LAPTOPS else None
        leader = auditors[laptop] if laptop is not None else rng.choice(auditors)
        audits.append((audit_id, rng.choice(units), "经费收支审计", 2024, 2025, leader, "[]",
                       "2026-11-02", "2026-11-06", "grassroots-revenue", 1,
                       "fieldwork" if laptop is not None else "closed", stamp_now(), device))
        if laptop is not None:
            assignment[laptop].append(audit_id)
    for k in range(LAPTOPS):  # neighbours share one audit: their edits of it conflict
        assignment[k].append(assignment[(k + 1) % LAPTOPS][0])
    conn.executemany(
        "INSERT INTO audits (id, unit_id, type, period_from, period_to, leader_id, members, "
        "planned_start, planned_end, template_id, template_version, status, stamp, device) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", audits)
    for chunk in range(0, len(audits), 1000):
        conn.executemany(
            "INSERT INTO answers (id, audit_id, item_code, stamp, device) VALUES (?, ?, ?, ?, ?)",
            [(ids(), a[0], code, stamp_now(), device) for a in audits[chunk:chunk + 1000]
             for code in items])
    n_findings = int(len(audits) * findings_per_audit)
    conn.executemany(
        "INSERT INTO findings (id, audit_id, title, facts, violation_fen, nature, area_code, "
        "item_code, basis, recommendation, rectify_status, stamp, device) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(ids(), audits[rng.randrange(len(audits))][0], "超标准发放慰问品",
          f"经抽查2025年{1 + n % 12}月记-{n % 180:03d}号凭证，发现超标准发放慰问品，涉及金额"
          f"{n % 90 + 10}万元。", (n % 900 + 10) * 10_000, "违纪违规", "C", items[n % len(items)],
          "《基层工会经费收支管理办法》第十二条", "建议立即纠正，并于整改期限内书面报告整改情况。",
          "未整改", stamp_now(), device) for n in range(n_findings)])
    for table in ("units", "audits", "answers", "findings"):
        _log_creation(conn, table)
    conn.execute("INSERT INTO meta (key, value) VALUES ('hlc', ?) ON CONFLICT (key) DO UPDATE "
                 "SET value = excluded.value", [str(store.clock.last)])
    conn.execute("COMMIT")
    rows = sum(conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
               for t in ("devices", "county", "auditors", "units", "templates", "caps",
                         "audits", "answers", "findings"))
    store.close()
    return {"rows": rows, "assignment": assignment}


def _log_creation(conn: sqlite3.Connection, table: str) -> None:
    """The creation row of each bulk-inserted record, as ``Writer.insert`` writes it."""
    cols = [r[1] for r in conn.execute(f"PRAGMA table_info({table})")
            if r[1] not in ("id", "stamp", "device", "auditor")]
    obj = ", ".join(f"'{c}', {c}" for c in cols)
    conn.execute(
        f"INSERT INTO changes (id, tbl, rid, field, old, new, stamp, device, auditor, base) "
        f"SELECT 'c' || id, '{table}', id, '*', NULL, json_object({obj}), stamp, device, auditor, "
        f"NULL FROM {table} WHERE NOT EXISTS (SELECT 1 FROM changes c WHERE c.tbl = '{table}' "
        f"AND c.rid = {table}.id) ORDER BY stamp")


# -- the laptops' work -----------------------------------------------------------------------
def _log_write(conn: sqlite3.Connection, alias: str, table: str, new: dict[str, str], id_sql: str,
               stamp: str, device: str, auditor: str) -> None:
    """The change-log row of one write of several fields per row of the temp table ``alias``,
    as ``Writer.update`` writes it (field ``+``; old and new JSON objects by field; every
    field replaced the record's last write, so ``base`` is that one stamp)."""
    def obj(values: dict[str, str]) -> str:
        return "json_object(" + ", ".join(f"'{f}', {v}" for f, v in values.items()) + ")"

    conn.execute(
        f"INSERT INTO changes (id, tbl, rid, field, old, new, stamp, device, auditor, base) "
        f"SELECT {id_sql}, '{table}', {alias}.id, '+', "
        f"{obj({f: f'{alias}.{f}' for f in new})}, {obj(new)}, {stamp}, '{device}', "
        f"'{auditor}', {alias}.base FROM {alias} ORDER BY {alias}.n")
def edit_laptop(path: Path, k: int, findings_edited: int, findings_new: int) -> str:
    """Change every answer (4 fields) and some findings (2 fields), add findings."""
    conn = sqlite3.connect(path, isolation_level=None)
    device, auditor = (conn.execute(f"SELECT value FROM meta WHERE key = '{key}'").fetchone()[0]
                       for key in ("device_id", "auditor_id"))
    checkout_hlc = conn.execute("SELECT value FROM meta WHERE key = 'hlc'").fetchone()[0]
    base_ms = int(time.time() * 1000) - 2 * 86_400_000 + k * 40_000  # edited since checkout
    conn.execute("BEGIN")
    borrowed = conn.execute("SELECT id FROM audits WHERE status = 'fieldwork' "
                            "AND leader_id != ?", [auditor]).fetchall()
    conn.execute("CREATE TEMP TABLE e AS SELECT id, stamp AS base, result, note, answered_by, "
                 "answered_at, row_number() OVER (ORDER BY id) AS n FROM answers "
                 "WHERE audit_id NOT IN (SELECT value FROM json_each(?)) "
                 "OR item_code IN (SELECT item_code FROM answers ORDER BY item_code LIMIT 5)",
                 [json.dumps([b[0] for b in borrowed])])
    new = {"result": f"CASE WHEN e.n % 10 = 0 THEN '不符合' ELSE '符合' END",
           "note": f"'笔记本{k}：已抽查凭证与账簿，' || e.n", "answered_by": f"'{auditor}'",
           "answered_at": f"'2026-11-0{1 + k % 9}T10:00:00+00:00'"}
    stamp = STAMP_SQL.format(ms=f"({base_ms} + e.n)")
    _log_write(conn, "e", "answers", new, f"printf('%012x-{k:02d}0-%08d', {base_ms} + e.n, e.n)",
               stamp, device, auditor)
    sets = ", ".join(f"{f} = {v}" for f, v in new.items())
    conn.execute(f"UPDATE answers SET {sets}, stamp = {stamp}, device = '{device}', "
                 f"auditor = '{auditor}' FROM e WHERE answers.id = e.id")
    conn.execute("DROP TABLE e")
    offset = 30_000  # findings' stamps come after the answers'
    conn.execute(
        "CREATE TEMP TABLE f AS SELECT id, stamp AS base, rectify_status, response, "
        "row_number() OVER (ORDER BY id) AS n FROM findings WHERE audit_id IN "
        "(SELECT id FROM audits WHERE status = 'fieldwork' AND leader_id = ?) ORDER BY id LIMIT ?",
        [auditor, findings_edited])
    stamp = STAMP_SQL.format(ms=f"({base_ms + offset} + f.n)")
    new = {"rectify_status": "'部分整改'", "response": f"'被审计单位已书面答复（笔记本{k}）'"}
    _log_write(conn, "f", "findings", new,
               f"printf('%012x-{k:02d}5-%08d', {base_ms + offset} + f.n, f.n)", stamp, device,
               auditor)
    sets = ", ".join(f"{f} = {v}" for f, v in new.items())
    conn.execute(f"UPDATE findings SET {sets}, stamp = {stamp}, device = '{device}', "
                 f"auditor = '{auditor}' FROM f WHERE findings.id = f.id")
    audit = conn.execute("SELECT id FROM audits WHERE status = 'fieldwork' AND leader_id = ? "
                         "LIMIT 1", [auditor]).fetchone()[0]
    ms = base_ms + 2 * offset
    for n in range(findings_new):
        conn.execute(
            "INSERT INTO findings (id, audit_id, title, facts, violation_fen, nature, stamp, "
            "device, auditor) VALUES (?, ?, ?, ?, ?, '违纪违规', "
            f"{STAMP_SQL.format(ms='?')}, ?, ?)",
            [f"{ms + n:012x}-7{k:03d}-8000-{n:012x}", audit, f"新发现问题{n}",
             "现场检查发现白条入账。", 1000 * n, ms + n, ms + n, device, auditor])
    _log_creation(conn, "findings")
    conn.execute("UPDATE meta SET value = (SELECT max(stamp) FROM changes) WHERE key = 'hlc'")
    conn.execute("COMMIT")
    conn.close()
    return checkout_hlc


# -- the two measured runs (each in its own process) ------------------------------------------
def child_baseline(master: Path, laptops: list[dict]) -> dict:
    from store.db import _connect

    conn = _connect(master).conn
    started = time.perf_counter()
    for lap in laptops:
        conn.execute("ATTACH DATABASE ? AS src", [lap["path"]])
        conn.execute("BEGIN IMMEDIATE")
        for table in ("answers", "findings"):
            cols = [r[1] for r in conn.execute(f"PRAGMA main.table_info({table})")]
            updates = ", ".join(f"{c} = excluded.{c}" for c in cols if c != "id")
            conn.execute(
                f"INSERT INTO main.{table} ({', '.join(cols)}) SELECT {', '.join(cols)} "
                f"FROM src.{table} WHERE stamp > ? ORDER BY id ON CONFLICT (id) DO UPDATE SET "
                f"{updates} WHERE excluded.stamp > {table}.stamp", [lap["checkout_hlc"]])
        conn.execute("COMMIT")
        conn.execute("DETACH DATABASE src")
    elapsed = time.perf_counter() - started
    conn.close()
    return {"seconds": elapsed, "peak_mb": _peak_mb()}


def child_merge(master: Path, laptops: list[dict]) -> dict:
    from store.sync.session import sync_into

    opened = time.perf_counter()
    store = AuditStore.open(master)
    started = time.perf_counter()
    applied = conflicts = 0
    for lap in laptops:
        report = sync_into(store, lap["path"])
        applied += report.applied
        conflicts += len(report.conflicts)
        assert report.source_receipt == "written", report.source_receipt
    elapsed = time.perf_counter() - started
    store.close()
    return {"seconds": elapsed, "open_seconds": started - opened, "peak_mb": _peak_mb(),
            "applied": applied, "conflicts": conflicts}


def _peak_mb() -> float:
    """Peak resident memory of this process since it started (``VmHWM``; ``ru_maxrss``
    would include the parent's pages inherited through fork)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _digest(path: Path) -> str:
    conn = sqlite3.connect(path)
    h = hashlib.sha256()
    for table in ("answers", "findings"):
        for row in conn.execute(f"SELECT * FROM {table} ORDER BY id"):
            h.update(repr(row).encode())
    conn.close()
    return h.hexdigest()


def _spawn(kind: str, master: Path, config: Path) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", kind, "--master", str(master),
                          "--config", str(config)], capture_output=True, text=True, check=False)
    if out.returncode:
        raise SystemExit(f"{kind} run failed:\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0,
                        help="fraction of the full size (1.0 = 1,000,000-row master)")
    parser.add_argument("--dir", type=Path, help="work directory (default: a temporary one)")
    parser.add_argument("--seed", type=int, default=20261123)
    parser.add_argument("--repeat", type=int, default=2,
                        help="runs of each, alternately (this disk's speed varies from run to "
                             "run; the best of each is compared)")
    parser.add_argument("--child", choices=["baseline", "merge"], help=argparse.SUPPRESS)
    parser.add_argument("--master", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--config", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        laptops = json.loads(args.config.read_text())
        run = child_baseline if args.child == "baseline" else child_merge
        print(json.dumps(run(args.master, laptops)))
        return 0
    work = args.dir or Path(tempfile.mkdtemp(prefix="fieldaudit-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    rng = random.Random(args.seed)
    t0 = time.perf_counter()
    master = work / "master.db"
    for p in work.glob("*.db*"):
        p.unlink()
    built = build_master(master, args.scale, rng)
    log(f"master: {built['rows']:,} rows, built in {time.perf_counter() - t0:.1f} s")
    t0 = time.perf_counter()
    laptops = []
    edited = max(1, int(4000 * args.scale))
    added = max(1, int(1000 * args.scale))
    checkout_ms = [int(time.time() * 1000) - 3 * 86_400_000]

    def checkout_clock() -> int:  # the laptops were checked out three days ago
        checkout_ms[0] += 1
        return checkout_ms[0]

    for k, audits in built["assignment"].items():
        path = work / f"laptop{k:02d}.db"
        checkout(master, f"A{k + 1:02d}", path, audit_ids=audits, device_name=f"笔记本{k:02d}",
                 now_ms=checkout_clock)
        hlc = edit_laptop(path, k, edited, added)
        laptops.append({"path": str(path), "checkout_hlc": hlc})
    answers = sum(sqlite3.connect(p["path"]).execute(
        "SELECT count(*) FROM answers WHERE stamp > ?", [p["checkout_hlc"]]).fetchone()[0]
        for p in laptops)
    findings = sum(sqlite3.connect(p["path"]).execute(
        "SELECT count(*) FROM findings WHERE stamp > ?", [p["checkout_hlc"]]).fetchone()[0]
        for p in laptops)
    size = sum(Path(p["path"]).stat().st_size for p in laptops) / 1e6
    log(f"{len(laptops)} laptops ({size:.0f} MB): {answers:,} changed answers, "
        f"{findings:,} changed findings; prepared in {time.perf_counter() - t0:.1f} s")
    config = work / "laptops.json"
    config.write_text(json.dumps(laptops))
    copies = {kind: work / f"master-{kind}.db" for kind in ("baseline", "merge")}
    bases, merges = [], []
    for _ in range(args.repeat):  # alternately, each on a fresh copy of the master
        for kind, runs in (("baseline", bases), ("merge", merges)):
            for side in work.glob(f"master-{kind}.db-*"):
                side.unlink()
            shutil.copyfile(master, copies[kind])
            runs.append(_spawn(kind, copies[kind], config))
    same = _digest(copies["baseline"]) == _digest(copies["merge"])
    base = min(bases, key=lambda r: r["seconds"])
    merged = min(merges, key=lambda r: r["seconds"])
    ratio = merged["seconds"] / base["seconds"]

    def seconds(runs: list[dict]) -> str:
        return " / ".join(f"{r['seconds']:.2f}" for r in runs)

    log(f"baseline (ATTACH + INSERT … ON CONFLICT): {seconds(bases)} s, "
        f"peak {max(r['peak_mb'] for r in bases):.0f} MB")
    log(f"fieldaudit merge (checks, merge, receipts): {seconds(merges)} s, "
        f"peak {max(r['peak_mb'] for r in merges):.0f} MB; {merged['applied']:,} field values "
        f"applied, {merged['conflicts']:,} conflicts (master opened in "
        f"{merged['open_seconds']:.1f} s)")
    pairs = " / ".join(f"{m['seconds'] / b['seconds']:.2f}×" for b, m in zip(bases, merges,
                                                                              strict=True))
    log(f"ratio merge/baseline, best run of each: {ratio:.2f}× (target ≤ 3×; run by run: "
        f"{pairs}); peak memory {max(r['peak_mb'] for r in merges):.0f} MB (target < 200 MB); "
        f"answers and findings identical: {same}")
    if args.dir is None:
        shutil.rmtree(work, ignore_errors=True)
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
