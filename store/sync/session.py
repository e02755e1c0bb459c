"""One sync, start to finish: check, wait for the target, merge, receipts, acknowledgement.

``sync_files(SOURCE, TARGET)`` is what ``fieldaudit sync`` runs; ``sync_into(store, SOURCE)``
does the same into a database the caller already has open (the TUI's Sync screen). The same
rules hold in both directions (laptop → master, master → laptop).

Order of events:
1. File checks of both files, then the checks needing both (``checks.py``) — a refusal
   writes nothing to either file. The one check that reads the whole source
   (``quick_check``) runs in a thread alongside steps 1-3 (``checks.SourceIntegrity``); the
   COMMIT of step 3 waits for it, and a damaged source is refused with the target untouched.
2. ``BEGIN IMMEDIATE`` on the target: a second sync into the same file waits here for the
   first to finish (``on_wait`` is told once).
3. The merge (``merge.py``), and in the same transaction: the master's refill of number
   blocks for the laptop, the laptop's acknowledgement (master → laptop), the source position
   and the ``received`` receipt. One COMMIT: a kill at any moment leaves the target as it was
   or fully merged. ``dry_run`` rolls back instead and reports the same.
4. After the commit, in the source's own transaction: the ``sent`` receipt, the
   acknowledgement of its changes (laptop → its master) and any refilled number blocks.
   If this step cannot run (the source is read-only, has an older schema, or the process is
   killed), nothing is lost: the next sync applies nothing new and writes it then.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from store.clock import wall_ms_now
from store.db import BUSY_TIMEOUT_S, AuditStore, _connect
from store.errors import FieldAuditError
from store.fileguard import immutable_connect
from store.records import Writer
from store.schema import schema_version
from store.sync import checks, merge, numbering, receipts
from store.sync.checks import CLOCK_MARGIN_MS, PreparedSource
from store.sync.conflicts import Conflict, read_conflicts
from store.sync.errors import SyncRefused
from store.sync.identity import FileIdentity
from store.sync.merge import TableCounts

WAIT_LIMIT_S = 3600.0
"""How long a sync waits for another one into the same target before giving up."""
MERGE_CACHE_KIB = 64 * 1024
"""Page cache of the target while a merge runs (SQLite's default is 2 MiB): a full-size
laptop merge writes ~18,000 pages of a 1 GB master and reads its indexes around them. Given
back afterwards; the peak memory of a merge stays far under the 200 MB target."""


@dataclass
class SyncReport:
    source: str
    target: str
    source_device: FileIdentity
    target_device: FileIdentity
    dry_run: bool
    changes: int = 0
    applied: int = 0
    tables: dict[str, TableCounts] = field(default_factory=dict)
    blobs: int = 0
    conflicts: list[Conflict] = field(default_factory=list)
    blocks: int = 0
    """Number blocks the master reserved for the source device in this sync."""
    acked_seq: int | None = None
    """The laptop's change-log position the master now acknowledges (when one moved)."""
    source_receipt: str = "none"
    """``written``, ``dry_run``, ``older_schema``, or ``failed: <reason>``."""
    upgraded_source: bool = False

    def as_json(self) -> dict[str, Any]:
        def device(d: FileIdentity) -> dict[str, Any]:
            return {"id": d.device_id, "name": d.device_name, "master": d.is_master}

        return {
            "source": self.source, "target": self.target, "dry_run": self.dry_run,
            "source_device": device(self.source_device),
            "target_device": device(self.target_device),
            "applied": self.applied, "changes": self.changes,
            "conflicts": [c.as_json() for c in self.conflicts],
            "tables": {name: c.as_json() for name, c in sorted(self.tables.items())},
            "blobs": self.blobs, "number_blocks": self.blocks, "acked_seq": self.acked_seq,
            "source_receipt": self.source_receipt, "upgraded_source": self.upgraded_source,
        }


def sync_files(source: Path | str, target: Path | str, *, dry_run: bool = False,
               now_ms: Callable[[], int] = wall_ms_now, margin_ms: int = CLOCK_MARGIN_MS,
               on_wait: Callable[[], None] | None = None) -> SyncReport:
    """Merge the file ``source`` into the file ``target`` (see the module docstring)."""
    source, target = Path(source), Path(target)
    header = checks.check_target_file(target)
    prepared = checks.prepare_source(source, target)
    try:
        with checks.SourceIntegrity(prepared) as integrity:
            return _checked_and_run(prepared, integrity, target, header.user_version,
                                    dry_run=dry_run, now_ms=now_ms, margin_ms=margin_ms,
                                    on_wait=on_wait)
    finally:
        prepared.cleanup()


def _checked_and_run(prepared: PreparedSource, integrity: checks.SourceIntegrity, target: Path,
                     user_version: int, *, dry_run: bool, now_ms: Callable[[], int],
                     margin_ms: int, on_wait: Callable[[], None] | None) -> SyncReport:
    if not Path(f"{target}-wal").exists():
        # Nobody has the target open: check through an immutable connection, so that a
        # refusal leaves it byte-identical (no -wal/-shm either). A target in use is
        # checked through the live connection below, before anything is written.
        conn = immutable_connect(target)
        try:
            checks.attach(conn, prepared)
            checks.check_against_target(conn, prepared, now_ms=now_ms(), margin_ms=margin_ms)
        finally:
            conn.close()
    if user_version < schema_version():
        integrity.wait()  # upgrading the target writes to it: the source must have passed
        store = AuditStore.open(target, now_ms=now_ms)  # upgraded, with a backup
    else:
        store = AuditStore(target, _connect(target), now_ms)  # no write just to open
    with store:
        return _run(store, prepared, integrity, dry_run=dry_run, margin_ms=margin_ms,
                    on_wait=on_wait)


def sync_into(store: AuditStore, source: Path | str, *, dry_run: bool = False,
              margin_ms: int = CLOCK_MARGIN_MS,
              on_wait: Callable[[], None] | None = None) -> SyncReport:
    """Merge the file ``source`` into the open ``store`` (same checks and rules)."""
    uri_ok = any(r[0] == "USE_URI" for r in store.db.execute("PRAGMA compile_options"))
    prepared = checks.prepare_source(Path(source), store.path, force_copy=not uri_ok)
    try:
        with checks.SourceIntegrity(prepared) as integrity:
            return _run(store, prepared, integrity, dry_run=dry_run, margin_ms=margin_ms,
                        on_wait=on_wait)
    finally:
        prepared.cleanup()


def _run(store: AuditStore, prepared: PreparedSource, integrity: checks.SourceIntegrity, *,
         dry_run: bool, margin_ms: int, on_wait: Callable[[], None] | None) -> SyncReport:
    conn = store.db.conn
    cache = conn.execute("PRAGMA main.cache_size").fetchone()[0]
    conn.execute(f"PRAGMA main.cache_size = -{MERGE_CACHE_KIB}")
    checks.attach(conn, prepared)
    try:
        source, target = checks.check_against_target(
            conn, prepared, now_ms=store.clock.now_ms(), margin_ms=margin_ms)
        report = SyncReport(str(prepared.path), str(store.path), source, target, dry_run,
                            upgraded_source=prepared.upgraded)
        _begin(conn, on_wait)
        try:
            done = _merge_in_transaction(store, report, source, target, dry_run)
            report.conflicts = read_conflicts(conn, include_resolved=True, ids=done.new_conflicts)
            integrity.wait()  # the source's quick_check, run alongside: nothing before it passed
            conn.execute("ROLLBACK" if dry_run else "COMMIT")
        except sqlite3.IntegrityError as exc:
            raise SyncRefused("sync.constraint", path=str(prepared.path), detail=str(exc)) from None
        finally:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
    finally:
        checks.detach(conn)
        conn.execute(f"PRAGMA main.cache_size = {int(cache)}")
    if dry_run:
        report.source_receipt = "dry_run"
    elif not prepared.writable:
        report.source_receipt = "older_schema"
    else:
        _source_side(store, prepared, report, done)
    return report


@dataclass
class _Merged:
    """What the target transaction hands to the source-side step."""

    through_seq: int
    new_conflicts: list[str]
    new_blocks: list[str]


def _begin(conn: sqlite3.Connection, on_wait: Callable[[], None] | None) -> None:
    """BEGIN IMMEDIATE, waiting (and saying so once) while another writer holds the file."""
    conn.execute("PRAGMA busy_timeout = 250")
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:
        if "locked" not in str(exc) and "busy" not in str(exc):
            raise
        if on_wait is not None:
            on_wait()
        conn.execute(f"PRAGMA busy_timeout = {int(WAIT_LIMIT_S * 1000)}")
        conn.execute("BEGIN IMMEDIATE")
    finally:
        conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")


def _merge_in_transaction(store: AuditStore, report: SyncReport, source: FileIdentity,
                          target: FileIdentity, dry_run: bool) -> _Merged:
    conn = store.db.conn
    conn.execute("PRAGMA defer_foreign_keys = ON")
    since = receipts.seen_position(conn, source.device_id)
    through_seq, through_id = receipts.source_position(conn)
    if source.is_master and target.master_device == source.device_id:
        acked = receipts.acknowledged_by_source(store)
        if acked > int(store.meta(receipts.ACKED) or 0):
            report.acked_seq = acked
            receipts.acknowledge(store, acked)
    result = merge.merge(store, since_seq=since)
    report.changes, report.applied, report.tables = result.changes, result.applied, result.tables
    report.blobs = result.blobs
    new_blocks: list[str] = []
    if not dry_run and source.master_device == target.device_id:
        new_blocks = numbering.refill(store, Writer(store, None), source.device_id)
        report.blocks = len(new_blocks)
    receipts.remember_position(conn, source.device_id, through_seq, through_id)
    receipts.record(store, direction="received", peer=source, peer_path=report.source,
                    through_seq=through_seq, applied=result.applied, changes=result.changes,
                    conflicts=len(result.new_conflicts),
                    counts={k: v.as_json() for k, v in result.tables.items()})
    store.set_meta("hlc", str(store.clock.last))
    return _Merged(through_seq, result.new_conflicts, new_blocks)


def _source_side(store: AuditStore, prepared: PreparedSource, report: SyncReport,
                 done: _Merged) -> None:
    """Receipt, acknowledgement and refilled blocks, written into the source file."""
    through_seq, new_blocks = done.through_seq, done.new_blocks
    try:
        # Checked moments ago (and written by this version): opened without re-checking.
        with AuditStore(prepared.path, _connect(prepared.path)) as source:
            conn = source.db.conn
            conn.execute(f"ATTACH DATABASE ? AS {checks.SRC}", [str(store.path)])
            try:
                conn.execute("BEGIN IMMEDIATE")
                try:
                    if new_blocks:
                        merge.merge(source, only=[("number_blocks", b) for b in new_blocks],
                                    copy_blobs=False)
                    receipts.record(source, direction="sent", peer=report.target_device,
                                    peer_path=report.target, through_seq=through_seq,
                                    applied=report.applied, changes=report.changes,
                                    conflicts=len(report.conflicts),
                                    counts={k: v.as_json() for k, v in report.tables.items()})
                    if report.source_device.master_device == report.target_device.device_id:
                        receipts.acknowledge(source, through_seq)
                        report.acked_seq = through_seq
                    conn.execute("COMMIT")
                finally:
                    if conn.in_transaction:
                        conn.execute("ROLLBACK")
            finally:
                checks.detach(conn)
        report.source_receipt = "written"
    except (FieldAuditError, sqlite3.Error, OSError) as exc:
        report.source_receipt = f"failed: {exc}"
