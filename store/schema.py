"""Numbered schema migrations (sqlite-utils ``Migrations``).

A migration is never edited once shipped: add a new one at the end (never set
``user_version`` in a migration). After migrating, :func:`apply_migrations` records the number
of applied migrations in ``PRAGMA user_version``, so the schema version can be read from the
file header without opening the database (see ``store/fileguard.py``) and a file from a newer
fieldaudit is refused before anything touches it.

Every table whose records a laptop can create ("mergeable" tables) has a UUIDv7 ``id`` and the
bookkeeping columns of its last change: ``stamp`` (hybrid-logical-clock text), ``device``,
``auditor`` and ``deleted`` (tombstone flag). Per-field history lives in ``changes``.
"""

from __future__ import annotations

import sqlite3

from sqlite_utils import Database, Migrations

APPLICATION_ID = 0x46415544  # "FAUD": marks a SQLite file as a fieldaudit database
migrations = Migrations("fieldaudit")

SYNC_COLUMNS = """
    stamp TEXT NOT NULL,
    device TEXT NOT NULL,
    auditor TEXT,
    deleted INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1))
"""


@migrations()
def m001_initial(db: Database) -> None:
    run_script(
        db,
        f"""
CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE devices (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    {SYNC_COLUMNS}
);
CREATE TABLE county (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    committee TEXT NOT NULL,
    doc_prefix TEXT NOT NULL,
    province_code TEXT NOT NULL,
    cadence_years INTEGER NOT NULL DEFAULT 3,
    annual_target INTEGER NOT NULL DEFAULT 40,
    notice_lead_days INTEGER NOT NULL DEFAULT 3,
    rectify_days INTEGER NOT NULL DEFAULT 30,
    {SYNC_COLUMNS}
);
CREATE TABLE auditors (
    id TEXT PRIMARY KEY,
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    role TEXT NOT NULL,
    phone TEXT NOT NULL DEFAULT '',
    can_lead INTEGER NOT NULL DEFAULT 0,
    active INTEGER NOT NULL DEFAULT 1,
    {SYNC_COLUMNS}
);
CREATE INDEX auditors_code ON auditors(code);
CREATE TABLE units (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    enterprise TEXT NOT NULL,
    credit_code TEXT NOT NULL,
    address TEXT NOT NULL DEFAULT '',
    chairman TEXT NOT NULL DEFAULT '',
    finance_contact TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    member_count INTEGER NOT NULL DEFAULT 0,
    staff_count INTEGER NOT NULL DEFAULT 0,
    payroll_fen INTEGER NOT NULL DEFAULT 0,
    own_account INTEGER NOT NULL DEFAULT 1,
    small_micro INTEGER NOT NULL DEFAULT 0,
    directly_managed INTEGER NOT NULL DEFAULT 1,
    {SYNC_COLUMNS}
);
CREATE INDEX units_credit_code ON units(credit_code);
CREATE TABLE templates (
    id TEXT PRIMARY KEY,
    template_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    {SYNC_COLUMNS},
    UNIQUE (template_id, version)
);
CREATE TABLE caps (
    id TEXT PRIMARY KEY,
    province_code TEXT NOT NULL,
    version TEXT NOT NULL,
    effective_from TEXT NOT NULL,
    body TEXT NOT NULL,
    {SYNC_COLUMNS},
    UNIQUE (province_code, version)
);
CREATE TABLE audits (
    id TEXT PRIMARY KEY,
    unit_id TEXT NOT NULL REFERENCES units(id),
    type TEXT NOT NULL,
    period_from INTEGER NOT NULL,
    period_to INTEGER NOT NULL,
    leader_id TEXT NOT NULL REFERENCES auditors(id),
    members TEXT NOT NULL DEFAULT '[]',
    planned_start TEXT NOT NULL,
    planned_end TEXT NOT NULL,
    template_id TEXT NOT NULL,
    template_version INTEGER NOT NULL,
    status TEXT NOT NULL DEFAULT 'planned',
    {SYNC_COLUMNS},
    FOREIGN KEY (template_id, template_version) REFERENCES templates(template_id, version)
);
CREATE INDEX audits_unit ON audits(unit_id);
CREATE TABLE answers (
    id TEXT PRIMARY KEY,
    audit_id TEXT NOT NULL REFERENCES audits(id),
    item_code TEXT NOT NULL,
    result TEXT NOT NULL DEFAULT '未检查',
    note TEXT NOT NULL DEFAULT '',
    answered_by TEXT,
    answered_at TEXT,
    reviewed_by TEXT,
    reviewed_stamp TEXT,
    {SYNC_COLUMNS}
);
CREATE UNIQUE INDEX answers_item ON answers(audit_id, item_code);
CREATE TABLE findings (
    id TEXT PRIMARY KEY,
    audit_id TEXT NOT NULL REFERENCES audits(id),
    title TEXT NOT NULL,
    facts TEXT NOT NULL DEFAULT '',
    violation_fen INTEGER NOT NULL DEFAULT 0 CHECK (violation_fen >= 0),
    irregular_fen INTEGER NOT NULL DEFAULT 0 CHECK (irregular_fen >= 0),
    nature TEXT NOT NULL,
    area_code TEXT NOT NULL DEFAULT '',
    item_code TEXT NOT NULL DEFAULT '',
    basis TEXT NOT NULL DEFAULT '',
    recommendation TEXT NOT NULL DEFAULT '',
    rectify_mode TEXT NOT NULL DEFAULT '限期整改',
    deadline TEXT,
    rectify_status TEXT NOT NULL DEFAULT '未整改',
    verified_by TEXT,
    verified_at TEXT,
    response TEXT NOT NULL DEFAULT '',
    reviewed_by TEXT,
    reviewed_stamp TEXT,
    {SYNC_COLUMNS}
);
CREATE INDEX findings_audit ON findings(audit_id);
CREATE TABLE blobs (
    sha256 TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    data BLOB NOT NULL
);
CREATE TABLE evidence (
    id TEXT PRIMARY KEY,
    sha256 TEXT NOT NULL REFERENCES blobs(sha256),
    name TEXT NOT NULL,
    mime TEXT NOT NULL,
    size INTEGER NOT NULL,
    captured_at TEXT NOT NULL,
    finding_id TEXT REFERENCES findings(id),
    answer_id TEXT REFERENCES answers(id),
    note TEXT NOT NULL DEFAULT '',
    {SYNC_COLUMNS},
    CHECK (finding_id IS NOT NULL OR answer_id IS NOT NULL)
);
CREATE INDEX evidence_finding ON evidence(finding_id);
CREATE INDEX evidence_answer ON evidence(answer_id);
CREATE TABLE changes (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    tbl TEXT NOT NULL,
    rid TEXT NOT NULL,
    field TEXT NOT NULL,
    old TEXT,
    new TEXT,
    stamp TEXT NOT NULL,
    device TEXT NOT NULL,
    auditor TEXT,
    base TEXT
);
CREATE INDEX changes_field ON changes(tbl, rid, field, stamp);
CREATE TRIGGER changes_append_only_update BEFORE UPDATE ON changes
BEGIN SELECT RAISE(ABORT, 'changes is append-only'); END;
CREATE TRIGGER changes_append_only_delete BEFORE DELETE ON changes
BEGIN SELECT RAISE(ABORT, 'changes is append-only'); END;
"""
    )


@migrations()
def m002_document_numbers(db: Database) -> None:
    """发文字号 issued, and the blocks of numbers reserved per device for offline printing."""
    run_script(
        db,
        f"""
CREATE TABLE doc_numbers (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    year INTEGER NOT NULL,
    serial INTEGER NOT NULL CHECK (serial >= 1),
    text TEXT NOT NULL,
    audit_id TEXT NOT NULL REFERENCES audits(id),
    finding_id TEXT REFERENCES findings(id),
    issued_on TEXT NOT NULL,
    {SYNC_COLUMNS},
    UNIQUE (kind, year, serial)
);
CREATE INDEX doc_numbers_audit ON doc_numbers(audit_id);
CREATE TABLE number_blocks (
    id TEXT PRIMARY KEY,
    device_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    year INTEGER NOT NULL,
    first INTEGER NOT NULL CHECK (first >= 1),
    last INTEGER NOT NULL,
    {SYNC_COLUMNS},
    CHECK (last >= first)
);
CREATE INDEX number_blocks_device ON number_blocks(device_id, kind, year);
""",
    )


@migrations()
def m003_sync(db: Database) -> None:
    """Sync bookkeeping (see ``store/sync`` and ``docs/sync.md``).

    ``conflicts``: concurrent writes of one field that lost (``kind = 'value'``), and edits
    made on another device to a record that was deleted (``kind = 'deleted'``). Each row is
    derived from the change log alone (so every replica derives the same rows, with the same
    deterministic id); a resolution is a change-log row with ``tbl = 'conflicts'``.
    ``sync_receipts``: one row per sync or checkout this file took part in.
    ``sync_peers``: per peer device, the peer's change-log position this file has fully seen
    (a shortcut only: merging is keyed on change ids).
    """
    run_script(
        db,
        """
CREATE TABLE conflicts (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('value', 'deleted')),
    tbl TEXT NOT NULL,
    rid TEXT NOT NULL,
    field TEXT NOT NULL,
    kept_value TEXT,
    kept_stamp TEXT NOT NULL,
    kept_device TEXT NOT NULL,
    kept_auditor TEXT,
    other_value TEXT,
    other_stamp TEXT NOT NULL,
    other_device TEXT NOT NULL,
    other_auditor TEXT,
    resolution TEXT CHECK (resolution IN ('kept', 'other')),
    resolved_stamp TEXT,
    resolved_device TEXT,
    resolved_by TEXT
);
CREATE INDEX conflicts_record ON conflicts(tbl, rid, field);
CREATE TABLE sync_receipts (
    id TEXT PRIMARY KEY,
    at TEXT NOT NULL,
    direction TEXT NOT NULL CHECK (direction IN ('received', 'sent', 'checkout')),
    peer_device TEXT NOT NULL,
    peer_name TEXT NOT NULL DEFAULT '',
    peer_path TEXT NOT NULL DEFAULT '',
    through_seq INTEGER NOT NULL DEFAULT 0,
    applied INTEGER NOT NULL DEFAULT 0,
    changes INTEGER NOT NULL DEFAULT 0,
    conflicts INTEGER NOT NULL DEFAULT 0,
    counts TEXT NOT NULL DEFAULT '{}'
);
CREATE TABLE sync_peers (
    device_id TEXT PRIMARY KEY,
    seen_seq INTEGER NOT NULL,
    seen_id TEXT NOT NULL
);
""",
    )


def run_script(db: Database, script: str) -> None:
    """Execute ``script`` statement by statement inside the caller's transaction.

    ``sqlite3.executescript`` would COMMIT first, breaking the migration's atomicity.
    """
    pending = ""
    for line in script.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            db.execute(pending.strip())
            pending = ""
    if pending.strip():
        raise ValueError(f"incomplete SQL statement in migration: {pending[:60]!r}")


def apply_migrations(db: Database) -> None:
    """Apply pending migrations and stamp the schema version into the file header."""
    migrations.apply(db)
    db.execute(f"PRAGMA user_version = {len(migrations.applied(db))}")


def schema_version() -> int:
    """The schema version this build of fieldaudit writes (number of known migrations)."""
    return len(migrations._migrations)


# Tables whose rows carry sync bookkeeping and are written only through store.records.
MERGEABLE_TABLES = (
    "devices", "county", "auditors", "units", "templates", "caps",
    "audits", "answers", "findings", "evidence", "doc_numbers", "number_blocks",
    "return_visits",
)


@migrations()
def m004_office(db: Database) -> None:
    """审计回访 (return visits): planned in the annual plan, then recorded with their result.

    A visit belongs to an audit and, when it checks one problem, to that finding. A planned
    visit has ``planned_on`` and no ``visited_on`` yet. Evidence is an ``evidence`` row (when
    the visit is about a finding) or, for a visit about the whole audit, a blob by SHA-256.
    """
    run_script(
        db,
        f"""
CREATE TABLE return_visits (
    id TEXT PRIMARY KEY,
    audit_id TEXT NOT NULL REFERENCES audits(id),
    finding_id TEXT REFERENCES findings(id),
    planned_on TEXT,
    visited_on TEXT,
    method TEXT NOT NULL CHECK (method IN ('书面', '实地')),
    result TEXT NOT NULL DEFAULT '',
    evidence_id TEXT REFERENCES evidence(id),
    evidence_sha256 TEXT,
    evidence_name TEXT NOT NULL DEFAULT '',
    visitor_id TEXT NOT NULL REFERENCES auditors(id),
    {SYNC_COLUMNS},
    CHECK (planned_on IS NOT NULL OR visited_on IS NOT NULL)
);
CREATE INDEX return_visits_audit ON return_visits(audit_id);
CREATE INDEX return_visits_finding ON return_visits(finding_id);
""",
    )


@migrations()
def m005_several_field_writes(db: Database) -> None:
    """Change-log rows of field ``+``: one row for a write of several fields, its old values,
    new values and bases as JSON objects keyed by field (``store.records``).

    When every field of such a write replaced a value of the same write (the usual case),
    ``base`` is that one stamp rather than an object.

    Files of earlier versions simply hold none of these rows. The version number rises so
    that an earlier fieldaudit, which would read such a row as a field named ``+``, refuses
    files written by this one instead of merging them wrongly.

    The change log's look-up index becomes ``(tbl, rid)``: every query reads the few rows of
    one record (or all rows of a table), so ``field`` and ``stamp`` in the key only made each
    entry larger, and a merge dirtied a third more index pages.
    """
    run_script(db, """
DROP INDEX IF EXISTS changes_field;
CREATE INDEX changes_record ON changes(tbl, rid);
""")
