"""Check-out: write a laptop file from the county master for one auditor.

The laptop gets the reference data whole (county, auditors, roster, templates, caps, devices,
number blocks), the audits assigned to the auditor (leader or member, not closed) or the ones
named, their answer sheets, every audit and finding of the same units (earlier findings, for
follow-up), the evidence of those findings and answers with its files, their document numbers
and return visits, every change-log row of each record copied, and the conflict rows about
them. Records keep their ids and their change rows, so the laptop merges back by change id.

The laptop file gets a new device id and knows its master (``meta.master_device``). In the
master, in the same transaction, the device is registered, its first blocks of 发文字号 are
reserved (``numbering.py``) and the master notes that it has everything the laptop holds.
The file is built under a temporary name and renamed into place only when complete.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sqlite_utils import Database

from store import __version__
from store.clock import wall_ms_now
from store.db import AuditStore
from store.errors import NotFound, RuleViolation
from store.records import Writer
from store.schema import APPLICATION_ID, apply_migrations
from store.sync import conflicts, numbering, receipts
from store.sync.conflicts import CONFLICTS
from store.sync.errors import SyncRefused
from store.sync.identity import MASTER_KEY, is_master, read_identity
from store.sync.rules import columns, mergeable_tables

LAP = "lap"
REFERENCE = ("devices", "county", "auditors", "units", "templates", "caps", "number_blocks")


@dataclass
class CheckoutReport:
    path: Path
    device_id: str
    device_name: str
    auditor_name: str
    audits: list[str]
    records: dict[str, int] = field(default_factory=dict)
    blocks: list[tuple[str, int, int, int]] = field(default_factory=list)
    """(kind, year, first, last) reserved for the laptop."""


def checkout(master_path: Path | str, auditor_code: str, out: Path | str, *,
             audit_ids: Sequence[str] = (), device_name: str = "",
             now_ms: Callable[[], int] = wall_ms_now) -> CheckoutReport:
    master_path, out = Path(master_path), Path(out)
    if out.exists():
        raise SyncRefused("sync.out_exists", path=str(out))
    with AuditStore.open(master_path, now_ms=now_ms) as master:
        if not is_master(master):
            raise SyncRefused("sync.checkout_not_master", path=str(master_path))
        auditor = master.db.execute(
            "SELECT id, name, active FROM auditors WHERE code = ? AND deleted = 0",
            [auditor_code]).fetchone()
        if auditor is None:
            raise NotFound("sync.unknown_auditor", code=auditor_code)
        if not auditor[2]:
            raise RuleViolation("sync.auditor_inactive", name=auditor[1])
        audits = _audits(master, auditor[0], audit_ids)
        conflicts.refresh(master)  # the laptop gets conflict rows as current as the master's
        tmp = out.with_name(out.name + ".partial")
        tmp.unlink(missing_ok=True)
        device_id = master.new_id()
        name = device_name or f"{auditor[1]}-{device_id[-4:]}"
        try:
            _create_empty(tmp, device_id, master, auditor[0])
            report = CheckoutReport(out, device_id, name, auditor[1], audits)
            _fill(master, tmp, report)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
    os.replace(tmp, out)
    return report


def _audits(master: AuditStore, auditor_id: str, audit_ids: Sequence[str]) -> list[str]:
    if audit_ids:
        for audit_id in audit_ids:
            row = master.db.execute("SELECT 1 FROM audits WHERE id = ? AND deleted = 0",
                                    [audit_id]).fetchone()
            if row is None:
                raise NotFound("records.not_found", table="audits", id=audit_id)
        return list(dict.fromkeys(audit_ids))
    return [r[0] for r in master.db.execute(
        "SELECT id FROM audits WHERE deleted = 0 AND status != 'closed' AND (leader_id = ? "
        "OR EXISTS (SELECT 1 FROM json_each(audits.members) WHERE value = ?)) ORDER BY id",
        [auditor_id, auditor_id])]


def _create_empty(path: Path, device_id: str, master: AuditStore, auditor_id: str) -> None:
    conn = sqlite3.connect(str(path), isolation_level=None)
    try:
        db = Database(conn)
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        apply_migrations(db)
        meta = {"device_id": device_id, "created_by": __version__, MASTER_KEY: master.device_id,
                "county_id": master.meta("county_id") or "", "auditor_id": auditor_id}
        conn.executemany("INSERT INTO meta (key, value) VALUES (?, ?)", meta.items())
    finally:
        conn.close()


def _fill(master: AuditStore, tmp: Path, report: CheckoutReport) -> None:
    conn = master.db.conn
    conn.execute(f"ATTACH DATABASE ? AS {LAP}", [str(tmp)])
    try:
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.execute("PRAGMA defer_foreign_keys = ON")  # blobs are copied after evidence
            writer = Writer(master, None)
            writer.insert("devices", {"id": report.device_id, "name": report.device_name})
            blocks = numbering.refill(master, writer, report.device_id, initial=True)
            _pick(conn, report.audits)
            _copy(conn, report)
            report.blocks = [tuple(r) for r in conn.execute(  # type: ignore[misc]
                f"SELECT kind, year, first, last FROM {LAP}.number_blocks WHERE id IN "
                f"({', '.join('?' for _ in blocks)}) ORDER BY kind, year", blocks)]
            problems = conn.execute(f"PRAGMA {LAP}.foreign_key_check").fetchall()
            if problems:
                raise RuntimeError(f"checkout is not closed under foreign keys: {problems[:3]}")
            _bookkeeping(master, report)
            conn.execute("COMMIT")
        finally:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
    finally:
        conn.execute(f"DETACH DATABASE {LAP}")


def _pick(conn: sqlite3.Connection, audits: list[str]) -> None:
    """``temp.sync_pick``: every (table, id) the laptop gets."""
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS sync_pick (tbl TEXT NOT NULL, rid TEXT NOT NULL,"
                 " PRIMARY KEY (tbl, rid)) WITHOUT ROWID")
    conn.execute("DELETE FROM temp.sync_pick")
    conn.executemany("INSERT INTO temp.sync_pick VALUES ('assigned', ?)", [(a,) for a in audits])
    picked = "(SELECT rid FROM temp.sync_pick WHERE tbl = '{}')".format
    add = "INSERT OR IGNORE INTO temp.sync_pick SELECT '{0}', id FROM main.{0} WHERE ".format
    for table in REFERENCE:
        conn.execute(add(table) + "1")
    conn.execute(add("audits") + f"unit_id IN (SELECT unit_id FROM main.audits "
                 f"WHERE id IN {picked('assigned')})")
    conn.execute(add("answers") + f"audit_id IN {picked('assigned')}")
    conn.execute(add("findings") + f"audit_id IN {picked('audits')}")
    conn.execute(add("evidence") + f"finding_id IN {picked('findings')} "
                 f"OR answer_id IN {picked('answers')}")
    for table in mergeable_tables(conn):
        if table in (*REFERENCE, "audits", "answers", "findings", "evidence"):
            continue
        cols = columns(conn, table)
        conn.execute(add(table) + (f"audit_id IN {picked('audits')}" if "audit_id" in cols
                                   else "1"))
        if "evidence_id" in cols:  # e.g. a return visit's evidence
            conn.execute(add("evidence") + f"id IN (SELECT evidence_id FROM main.{table} "
                         f"WHERE id IN {picked(table)})")
    conn.execute("DELETE FROM temp.sync_pick WHERE tbl = 'assigned'")


def _copy(conn: sqlite3.Connection, report: CheckoutReport) -> None:
    for table in mergeable_tables(conn):
        cols = ", ".join(columns(conn, table))
        n = conn.execute(
            f"INSERT INTO {LAP}.{table} ({cols}) SELECT {cols} FROM main.{table} "
            f"WHERE id IN (SELECT rid FROM temp.sync_pick WHERE tbl = ?)", [table]).rowcount
        report.records[table] = n
    change_cols = "id, tbl, rid, field, old, new, stamp, device, auditor, base"
    prefixed = ", ".join(f"c.{c}" for c in change_cols.split(", "))
    conn.execute(
        f"INSERT INTO {LAP}.changes ({change_cols}) SELECT {prefixed} FROM temp.sync_pick p "
        f"JOIN main.changes c ON c.tbl = p.tbl AND c.rid = p.rid ORDER BY c.seq")
    conn.execute(f"INSERT INTO {LAP}.conflicts SELECT k.* FROM temp.sync_pick p "
                 f"JOIN main.conflicts k ON k.tbl = p.tbl AND k.rid = p.rid")
    conn.execute(
        f"INSERT INTO {LAP}.changes ({change_cols}) SELECT {prefixed} FROM {LAP}.conflicts k "
        f"JOIN main.changes c ON c.tbl = ? AND c.rid = k.id ORDER BY c.seq", [CONFLICTS])
    hashes = f"SELECT sha256 FROM {LAP}.evidence"
    for table in mergeable_tables(conn, LAP):
        if table != "evidence" and "evidence_sha256" in columns(conn, table, LAP):
            hashes += f" UNION SELECT evidence_sha256 FROM {LAP}.{table}"
    conn.execute(f"INSERT INTO {LAP}.blobs SELECT * FROM main.blobs WHERE sha256 IN ({hashes})")


def _bookkeeping(master: AuditStore, report: CheckoutReport) -> None:
    conn = master.db.conn
    last = conn.execute(f"SELECT seq, id FROM {LAP}.changes ORDER BY seq DESC LIMIT 1").fetchone()
    for key, value in {"hlc": str(master.clock.last), receipts.ACKED: str(last[0])}.items():
        conn.execute(f"INSERT INTO {LAP}.meta (key, value) VALUES (?, ?) ON CONFLICT (key) "
                     f"DO UPDATE SET value = excluded.value", [key, value])
    receipts.remember_position(conn, report.device_id, last[0], last[1])
    laptop = read_identity(conn, LAP)
    receipts.record(master, direction="checkout", peer=laptop, peer_path=str(report.path),
                    through_seq=last[0], changes=last[0],
                    counts={k: v for k, v in report.records.items() if v})
    master.set_meta("hlc", str(master.clock.last))
    receipt_id = master.new_id()
    conn.execute(
        f"INSERT INTO {LAP}.sync_receipts (id, at, direction, peer_device, peer_name, peer_path, "
        f"through_seq, changes, counts) SELECT ?, at, 'checkout', ?, ?, ?, through_seq, changes, "
        f"counts FROM main.sync_receipts WHERE peer_device = ? AND direction = 'checkout'",
        [receipt_id, master.device_id, read_identity(conn).device_name, str(master.path),
         report.device_id])
