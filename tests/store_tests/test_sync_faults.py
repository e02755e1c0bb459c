"""Faults, through the command line as a user meets them: bad sources are refused in one line
leaving the target byte-identical; a sync killed at any moment leaves the target untouched or
fully merged; two syncs into one master at once both complete."""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from store.db import AuditStore
from store.findings import update_finding
from store.schema import schema_version
from store.sync import sync_files
from store.sync.content import digest
from sync_world import SharedClock, make_world

ROOT = Path(__file__).resolve().parents[2]


def cli(*args: str, home: Path) -> subprocess.Popen:
    env = {**os.environ, "FIELDAUDIT_HOME": str(home)}
    env.pop("FIELDAUDIT_LANG", None)
    return subprocess.Popen([sys.executable, "-m", "tui.cli", *args], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def run(*args: str, home: Path) -> tuple[int, str, str]:
    proc = cli(*args, home=home)
    out, err = proc.communicate(timeout=120)
    return proc.returncode, out, err


def snapshot(folder: Path) -> dict[str, str]:
    """Every file in the folder and its hash (side files such as -wal would show up)."""
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def live_content(path: Path) -> str:
    """Digest of the content as SQLite recovery sees it (after a kill the WAL may hold frames)."""
    conn = sqlite3.connect(path)
    try:
        return digest(conn)
    finally:
        conn.close()


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory):
    clock = SharedClock()
    folder = tmp_path_factory.mktemp("faults")
    master, laptops, info = make_world(folder, 2, clock)
    with AuditStore.open(laptops[0], now_ms=clock) as s:
        update_finding(s, info["lead"], info["findings"][0], title="笔记本上的修改")
    return {"master": master, "laptops": laptops, "info": info, "clock": clock}


def _target(world, tmp_path: Path) -> tuple[Path, Path]:
    folder = tmp_path / "office"
    folder.mkdir()
    target = folder / "master.db"
    shutil.copyfile(world["master"], target)
    return folder, target


def _bad_sources(world, tmp_path: Path) -> dict[str, tuple[Path, str]]:
    """name → (source file, a fragment of the one-line reason)."""
    good = world["laptops"][0]
    data = good.read_bytes()
    out: dict[str, tuple[Path, str]] = {}

    def write(name: str, content: bytes, why: str) -> None:
        path = tmp_path / f"{name}.db"
        path.write_bytes(content)
        out[name] = (path, why)

    write("truncated", data[: len(data) // 2], "不完整")
    page = 4096
    corrupt = bytearray(data)
    rng = random.Random(7)
    for offset in range(3 * page, 6 * page):
        corrupt[offset] = rng.randrange(256)
    write("corrupt", bytes(corrupt), "损坏")
    # damage far from the schema, which only the whole-file check finds: it runs alongside
    # the merge (SourceIntegrity), and the merge must not be committed
    late = bytearray(data)
    pages = len(data) // page
    for offset in range((pages - 12) * page, (pages - 9) * page):
        late[offset] = rng.randrange(256)
    write("corrupt_late", bytes(late), "损坏")
    write("random_bytes", rng.randbytes(64 * 1024), "不是 SQLite")
    write("empty", b"", "空的")
    foreign = tmp_path / "foreign.db"
    sqlite3.connect(foreign).execute("CREATE TABLE t (x)").connection.close()
    out["foreign"] = (foreign, "其他软件")
    newer = tmp_path / "newer.db"
    shutil.copyfile(good, newer)
    conn = sqlite3.connect(newer)
    conn.execute(f"PRAGMA user_version = {schema_version() + 1}")
    conn.close()
    out["newer_schema"] = (newer, "更新版本")
    other = tmp_path / "other_county.db"
    code, _, err = run("init", "--db", str(other), "--county", "东林县总工会", "--code", "东工审",
                       home=tmp_path / "home")
    assert code == 0, err
    out["other_county"] = (other, "另一个县级工会")
    future = tmp_path / "future.db"
    shutil.copyfile(world["laptops"][1], future)
    year_ahead = SharedClock()
    year_ahead.ms += 365 * 24 * 3600 * 1000
    with AuditStore.open(future, now_ms=year_ahead) as s:
        update_finding(s, world["info"]["lead"], world["info"]["findings"][1], title="来自未来")
        name = s.db.execute("SELECT name FROM devices WHERE id = ?", [s.device_id]).fetchone()[0]
    out["far_future_clock"] = (future, name)  # the message names the device
    out["missing"] = (tmp_path / "no-such-file.db", "找不到")
    return out


def test_every_bad_source_is_refused_in_one_line_and_the_target_is_untouched(world, tmp_path):
    folder, target = _target(world, tmp_path)
    before = snapshot(folder)
    for name, (source, why) in _bad_sources(world, tmp_path).items():
        code, out, err = run("sync", str(source), "--into", str(target), home=tmp_path / "home")
        assert code != 0, name
        assert out == "", name
        lines = err.strip().splitlines()
        assert len(lines) == 1 and "Traceback" not in err, (name, err)
        assert why in lines[0] and "未作任何改动" in lines[0], (name, lines[0])
        assert snapshot(folder) == before, name
    code, _, err = run("--lang", "en", "sync", str(tmp_path / "empty.db"), "--into", str(target),
                       home=tmp_path / "home")
    assert code != 0 and err.count("\n") == 1 and "neither file was changed" in err


def test_a_bad_target_is_refused_too(world, tmp_path) -> None:
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"garbage" * 1000)
    code, _, err = run("sync", str(world["laptops"][0]), "--into", str(bad), home=tmp_path)
    assert code != 0 and err.count("\n") == 1 and "目标" in err
    assert bad.read_bytes() == b"garbage" * 1000


@pytest.fixture(scope="module")
def heavy(world, tmp_path_factory: pytest.TempPathFactory):
    """A laptop whose merge takes long enough to be killed in the middle of it."""
    folder = tmp_path_factory.mktemp("heavy")
    laptop = folder / "heavy.db"
    shutil.copyfile(world["laptops"][1], laptop)
    info = world["info"]
    with AuditStore.open(laptop, now_ms=world["clock"]) as s:
        answers = [r[0] for r in s.db.execute("SELECT id FROM answers")]
        with s.write(info["lead"]) as w:
            for k in range(12_000):
                w.insert("findings", {"audit_id": info["audit"], "title": f"问题{k}",
                                      "facts": "经抽查凭证发现问题。" * 20, "nature": "违纪违规"})
            for r in range(100):
                for a in answers:
                    w.update("answers", a, {"note": f"第{r}轮复核"})
    return laptop


def test_a_sync_killed_at_any_moment_leaves_the_target_untouched_or_fully_merged(
        world, heavy, tmp_path) -> None:
    folder, target = _target(world, tmp_path)
    untouched = live_content(target)
    reference = tmp_path / "reference.db"
    shutil.copyfile(target, reference)
    started = time.monotonic()
    code, _, err = run("sync", str(heavy), "--into", str(reference), home=tmp_path)
    duration = time.monotonic() - started
    assert code == 0, err
    merged = live_content(reference)
    assert merged != untouched
    rng = random.Random(20261123)
    startup = 0.25  # interpreter and imports, before the sync touches anything
    outcomes = []
    for attempt in range(6):
        shutil.copyfile(world["master"], target)
        for side in ("-wal", "-shm"):
            Path(f"{target}{side}").unlink(missing_ok=True)
        laptop = tmp_path / f"laptop{attempt}.db"
        shutil.copyfile(heavy, laptop)
        proc = cli("sync", str(laptop), "--into", str(target), home=tmp_path)
        time.sleep(rng.uniform(startup, duration * 1.1))
        proc.send_signal(signal.SIGKILL)
        proc.communicate()
        now = live_content(target)
        assert now in (untouched, merged), f"attempt {attempt}: half-merged target"
        outcomes.append(now == merged)
        # Whatever happened, syncing again completes the merge and the laptop is consistent.
        sync_files(laptop, target)
        assert live_content(target) == merged
        assert sqlite3.connect(laptop).execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    print("killed after commit:", sum(outcomes), "of", len(outcomes))


def test_two_syncs_into_one_master_at_once_both_complete(world, heavy, tmp_path) -> None:
    folder, target = _target(world, tmp_path)
    reference = tmp_path / "reference.db"
    shutil.copyfile(target, reference)
    light = world["laptops"][0]
    for source in (heavy, light):
        assert run("sync", str(source), "--into", str(reference), home=tmp_path)[0] == 0
    procs = [cli("sync", str(source), "--into", str(target), home=tmp_path)
             for source in (heavy, light)]
    results = [p.communicate(timeout=120) + (p.returncode,) for p in procs]
    assert [r[2] for r in results] == [0, 0], results
    assert live_content(target) == live_content(reference)


def test_cli_json_dry_run_and_checkout(world, tmp_path) -> None:
    import json

    folder, target = _target(world, tmp_path)
    before = snapshot(folder)
    code, out, err = run("sync", str(world["laptops"][0]), "--into", str(target), "--dry-run",
                         "--json", home=tmp_path)
    assert code == 0, err
    report = json.loads(out)
    assert report["dry_run"] and report["applied"] == 1 and report["conflicts"] == []
    assert report["tables"]["findings"] == {"added": 0, "updated": 1, "fields": 1}
    assert snapshot(folder) == before
    code, out, err = run("sync", str(world["laptops"][0]), "--into", str(target), home=tmp_path)
    assert code == 0 and "1 个字段值有变化" in out, err
    code, out, _ = run("sync", str(world["laptops"][0]), "--into", str(target), "--json",
                       home=tmp_path)
    assert json.loads(out)["applied"] == 0
    lap = tmp_path / "new-laptop.db"
    code, out, err = run("checkout", "--from", str(target), "--auditor", "A01", "--out", str(lap),
                         home=tmp_path)
    assert code == 0 and "审计项目 1 个" in out and "预留文号" in out, err
    code, _, err = run("checkout", "--from", str(target), "--auditor", "A01", "--out", str(lap),
                       home=tmp_path)
    assert code != 0 and err.count("\n") == 1


def test_a_second_sync_waits_for_the_first_and_says_so(world, tmp_path) -> None:
    """While another writer holds the master, the sync says once that it waits, then merges."""
    folder, target = _target(world, tmp_path)
    holder = sqlite3.connect(target, isolation_level=None)
    holder.execute("PRAGMA journal_mode = WAL")
    holder.execute("BEGIN IMMEDIATE")  # an earlier sync still merging
    try:
        proc = cli("sync", str(world["laptops"][0]), "--into", str(target), home=tmp_path)
        assert proc.stderr is not None
        line = proc.stderr.readline()  # blocks until the sync reports that it waits
        assert "等待" in line and str(target) in line
        assert proc.poll() is None  # still waiting, nothing written
    finally:
        holder.execute("COMMIT")
        holder.close()
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0 and "1 个字段值有变化" in out, err


def test_damage_only_the_whole_file_check_finds_stops_the_commit(world, tmp_path) -> None:
    """The source's quick_check runs alongside the merge: a file whose header, schema and
    identity read fine but whose pages are damaged further on is merged up to the COMMIT,
    then refused, and the target is byte-identical."""
    from store.errors import DatabaseRefused
    from store.fileguard import check_integrity, check_openable
    from store.sync.errors import SyncRefused

    folder, target = _target(world, tmp_path)
    before = snapshot(folder)
    late, why = _bad_sources(world, tmp_path)["corrupt_late"]
    check_openable(late, integrity=False)  # everything but the whole-file check passes
    with pytest.raises(DatabaseRefused):
        check_integrity(late)
    with pytest.raises(SyncRefused) as refused:
        sync_files(late, target)
    assert refused.value.key == "sync.source_refused"
    assert why in refused.value.message()
    assert snapshot(folder) == before
