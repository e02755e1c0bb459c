"""The audit store: one SQLite file per laptop or county master, opened through this class.

Opening checks the file first (``store.fileguard``) and refuses it untouched if it is empty,
truncated, corrupt, foreign or newer; an older file is backed up and then migrated. The
connection runs in autocommit mode: every write goes through :meth:`AuditStore.write`, one
``BEGIN IMMEDIATE`` transaction that also appends the change log (see ``store.records``).
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from store import __version__
from store.clock import HybridClock, Stamp, wall_ms_now
from store.errors import DatabaseRefused
from store.fileguard import check_openable
from store.ids import IdFactory
from store.schema import APPLICATION_ID, apply_migrations, schema_version

BUSY_TIMEOUT_S = 30.0


def _connect(path: Path) -> Database:
    conn = sqlite3.connect(
        str(path), isolation_level=None, timeout=BUSY_TIMEOUT_S, check_same_thread=False
    )
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    return Database(conn)


class AuditStore:
    """An open fieldaudit database plus this device's identity and clock.

    One instance belongs to one thread at a time (the TUI gives it to a single DB worker).
    """

    def __init__(self, path: Path, db: Database, now_ms: Callable[[], int] = wall_ms_now,
                 new_id: IdFactory | None = None):
        self.path = path
        self.new_id = new_id or IdFactory(now_ms)
        self.db = db
        last = self.meta("hlc")
        self.clock = HybridClock(now_ms, Stamp.parse(last) if last else None)
        self.device_id: str = self.meta("device_id") or ""
        self.migrated_from: int | None = None
        self.backup_path: Path | None = None
        self._version_recorded = False

    # -- opening and creating -------------------------------------------------------------
    @classmethod
    def open(cls, path: Path | str, *, now_ms: Callable[[], int] = wall_ms_now,
             new_id: IdFactory | None = None) -> AuditStore:
        """Open an existing database, upgrading an older schema after backing the file up."""
        path = Path(path)
        if not path.exists():
            raise DatabaseRefused("db.not_found", path=str(path))
        header = check_openable(path)
        backup: Path | None = None
        if header.user_version < schema_version():
            backup = path.with_name(f"{path.name}.v{header.user_version}.bak")
            _backup(path, backup)
        try:
            db = _connect(path)
        except sqlite3.DatabaseError as exc:
            raise DatabaseRefused("db.corrupt", path=str(path), detail=str(exc)) from exc
        apply_migrations(db)
        store = cls(path, db, now_ms, new_id)
        if backup is not None:
            store.migrated_from, store.backup_path = header.user_version, backup
        return store

    @classmethod
    def create(
        cls, path: Path | str, *, device_name: str = "",
        now_ms: Callable[[], int] = wall_ms_now, new_id: IdFactory | None = None,
    ) -> AuditStore:
        """Create a new, empty fieldaudit database at ``path`` (which must not exist)."""
        path = Path(path)
        if path.exists():
            raise DatabaseRefused("db.already_exists", path=str(path))
        path.parent.mkdir(parents=True, exist_ok=True)
        db = _connect(path)
        db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        apply_migrations(db)
        new_id = new_id or IdFactory(now_ms)
        device_id = new_id()
        for key, value in {"device_id": device_id, "created_by": __version__}.items():
            db.execute("INSERT INTO meta (key, value) VALUES (?, ?)", [key, value])
        store = cls(path, db, now_ms, new_id)
        with store.write(None) as w:
            w.insert("devices", {"id": device_id, "name": device_name or device_id[:8]})
        return store

    def close(self) -> None:
        self.db.conn.close()

    def __enter__(self) -> AuditStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- local settings (never synced) ----------------------------------------------------
    def meta(self, key: str, default: str | None = None) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
        return row[0] if row else default

    def set_meta(self, key: str, value: str) -> None:
        self.db.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [key, value],
        )

    # -- writing ----------------------------------------------------------------------------
    @contextmanager
    def write(self, auditor_id: str | None) -> Iterator[Any]:
        """One atomic write: data rows and their change-log rows commit together or not at all."""
        from store.records import Writer

        conn = self.db.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            writer = Writer(self, auditor_id)
            yield writer
            self.set_meta("hlc", str(self.clock.last))
            if not self._version_recorded:
                self.set_meta("app_version", __version__)
            conn.execute("COMMIT")
            self._version_recorded = True
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise

    # -- reading ----------------------------------------------------------------------------
    def query(self, sql: str, params: Any = ()) -> list[dict[str, Any]]:
        return list(self.db.query(sql, params))

    def schema_version(self) -> int:
        return self.db.execute("PRAGMA user_version").fetchone()[0]


def _backup(src: Path, dest: Path) -> None:
    """Copy ``src`` to ``dest`` safely even if another process has it open (SQLite backup API)."""
    if dest.exists():
        dest.unlink()
    source = sqlite3.connect(f"{src.resolve().as_uri()}?mode=ro", uri=True)
    try:
        target = sqlite3.connect(str(dest))
        try:
            source.backup(target)
        finally:
            target.close()
    finally:
        source.close()
    shutil.copymode(src, dest)
