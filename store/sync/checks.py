"""Everything checked before a sync writes a byte, cheapest first; each refusal is one line.

On the source alone (read through immutable connections, so it is never modified): it is a
file; SQLite can open it and ``PRAGMA quick_check`` passes over every page (not empty,
truncated, corrupt, foreign, or from a newer fieldaudit: ``store.fileguard``); the
``quick_check`` runs alongside the merge (``SourceIntegrity``), which commits only after it
passed. ``quick_check`` is ``integrity_check`` without the index-against-table comparison, at a
fraction of the time; the merge only uses the source's indexes to look records up, and a
record a damaged index fails to find takes the slower field-by-field path, which reads the
change log and is still right. A source with an older schema is copied to a temporary file and upgraded there, never
in place; a source another program has open (a ``-wal`` next to it) is read through a
consistent snapshot copy, checked again.

Against the target (source attached to a connection on it): it is a fieldaudit database with
a device; it belongs to the same county (the county record id); it is not the target itself
or a copy of it (same device id); no change the target lacks is stamped more than
``margin_ms`` ahead of this computer's clock, or of the target's own latest stamp if that is
later (the refusal names the device); and every
evidence blob the target lacks matches its hash.
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from store.clock import Stamp
from store.errors import DatabaseRefused, FieldAuditError
from store.fileguard import FileHeader, check_integrity, check_openable, immutable_connect
from store.schema import apply_migrations, schema_version
from store.sync import blobs
from store.sync.errors import SyncRefused, one_line
from store.sync.identity import FileIdentity, read_identity
from store.sync.receipts import seen_position

CLOCK_MARGIN_MS = 60 * 60 * 1000
"""How far ahead of this computer's clock an incoming change may be stamped (1 hour)."""
SRC = "src"


@dataclass
class PreparedSource:
    """A source file that passed the file-level checks, and what to attach for merging."""

    path: Path
    attach: str
    """Database name to ATTACH: the file itself (immutable URI) or a temporary copy."""
    schema_version: int
    upgraded: bool
    """Merged from a temporary upgraded copy (the file itself has an older schema)."""
    tmpdir: Path | None = None
    unchecked: Path | None = None
    """The file attached as it is, whose ``quick_check`` is still to run (SourceIntegrity)."""

    @property
    def writable(self) -> bool:
        """Whether a receipt may be written into the source file (same schema as ours)."""
        return not self.upgraded

    def cleanup(self) -> None:
        if self.tmpdir is not None:
            shutil.rmtree(self.tmpdir, ignore_errors=True)
            self.tmpdir = None


def check_target_file(path: Path) -> FileHeader:
    """The target must exist and be openable; checked without touching it."""
    if not path.exists():
        raise SyncRefused("sync.target_missing", path=str(path))
    try:
        return check_openable(path)
    except DatabaseRefused as err:
        raise SyncRefused("sync.target_refused", path=str(path),
                          reason=one_line(err.message())) from None


def prepare_source(path: Path, target_path: Path | None, *,
                   force_copy: bool = False) -> PreparedSource:
    """File-level checks of the source; ``force_copy`` reads it through a temporary copy."""
    if not path.exists():
        raise SyncRefused("sync.source_missing", path=str(path))
    if target_path is not None and path.resolve() == target_path.resolve():
        raise SyncRefused("sync.same_file", path=str(path))
    try:
        # every check but quick_check, which reads the whole file: see SourceIntegrity
        header = check_openable(path, integrity=False)
    except DatabaseRefused as err:
        raise SyncRefused("sync.source_refused", path=str(path),
                          reason=one_line(err.message())) from None
    hot = any(Path(f"{path}{s}").exists() and Path(f"{path}{s}").stat().st_size
              for s in ("-wal",))
    older = header.user_version < schema_version()
    prepared = PreparedSource(path, path.resolve().as_uri() + "?mode=ro&immutable=1",
                              header.user_version, upgraded=older)
    try:
        if hot or older or force_copy:
            prepared.tmpdir = Path(tempfile.mkdtemp(prefix="fieldaudit-sync-"))
            copy = prepared.tmpdir / "source.db"
            _snapshot(path, copy, hot=hot)
            prepared.attach = str(copy)
            _integrity(copy, path)  # what is merged is the copy: checked whole now
            if older:
                db = Database(sqlite3.connect(str(copy), isolation_level=None))
                apply_migrations(db)
                db.conn.close()
        else:
            prepared.unchecked = path
    except BaseException:
        prepared.cleanup()
        raise
    return prepared


class SourceIntegrity:
    """The source's ``quick_check``, run in a thread while the checks against the target and
    the merge go on (``with SourceIntegrity(prepared) as integrity: … integrity.wait()`` before
    the COMMIT). Reading a 100 MB laptop file and walking every b-tree took 0.1-0.3 s a laptop,
    mostly waiting for the disk, in which the merge works on the other core. Nothing is
    committed before it passed: a damaged source is refused with the same one line, and the
    target is untouched. An error the damage caused in the merge meanwhile (SQLite's
    "malformed") gives way to that refusal. A source merged from a checked copy has nothing
    left to check here."""

    def __init__(self, prepared: PreparedSource) -> None:
        self.prepared = prepared
        self._error: DatabaseRefused | None = None
        self._thread: threading.Thread | None = None

    def __enter__(self) -> SourceIntegrity:
        if self.prepared.unchecked is not None:
            self._thread = threading.Thread(target=self._run, args=(self.prepared.unchecked,),
                                            name="fieldaudit-source-check", daemon=True)
            self._thread.start()
        return self

    def _run(self, path: Path) -> None:
        try:
            check_integrity(path)
        except DatabaseRefused as err:
            self._error = err

    def wait(self) -> None:
        """Block until the check is done; raise its refusal if the source is damaged."""
        if self._thread is not None:
            self._thread.join()
            self._thread = None
            self.prepared.unchecked = None
        if self._error is not None:
            raise SyncRefused("sync.source_refused", path=str(self.prepared.path),
                              reason=one_line(self._error.message()))

    def __exit__(self, exc_type: Any, exc: BaseException | None, tb: Any) -> None:
        if exc is None or isinstance(exc, sqlite3.DatabaseError | FieldAuditError):
            self.wait()  # a damaged source is what failed: say so
        elif self._thread is not None:
            self._thread.join()


def _snapshot(path: Path, copy: Path, *, hot: bool) -> None:
    """A consistent copy through SQLite's backup API (reading the WAL if one is in use)."""
    uri = path.resolve().as_uri() + ("?mode=ro" if hot else "?mode=ro&immutable=1")
    try:
        source = sqlite3.connect(uri, uri=True)
        try:
            target = sqlite3.connect(str(copy))
            try:
                source.backup(target)
            finally:
                target.close()
        finally:
            source.close()
    except sqlite3.DatabaseError as exc:
        raise SyncRefused("sync.source_corrupt", path=str(path), detail=str(exc)) from None


def _integrity(file: Path, shown: Path) -> None:
    try:
        conn = immutable_connect(file)
        try:
            problems = [r[0] for r in conn.execute("PRAGMA quick_check(5)")]
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise SyncRefused("sync.source_corrupt", path=str(shown),
                          detail=one_line(str(exc))) from None
    if problems != ["ok"]:
        raise SyncRefused("sync.source_corrupt", path=str(shown),
                          detail=one_line("; ".join(problems)))


def attach(conn: sqlite3.Connection, prepared: PreparedSource) -> None:
    conn.execute(f"ATTACH DATABASE ? AS {SRC}", [prepared.attach])


def detach(conn: sqlite3.Connection) -> None:
    if any(r[1] == SRC for r in conn.execute("PRAGMA database_list")):
        conn.execute(f"DETACH DATABASE {SRC}")


def check_against_target(conn: sqlite3.Connection, prepared: PreparedSource, *, now_ms: int,
                         margin_ms: int = CLOCK_MARGIN_MS) -> tuple[FileIdentity, FileIdentity]:
    """Checks needing both files (source attached as ``src``); returns (source, target) ids.

    Only reads: ``conn`` may be an immutable connection on the target.
    """
    path = str(prepared.path)
    try:
        source = read_identity(conn, SRC)
    except sqlite3.DatabaseError:
        raise SyncRefused("sync.source_not_fieldaudit", path=path) from None
    target = read_identity(conn)
    if not source.device_id:
        raise SyncRefused("sync.source_not_fieldaudit", path=path)
    if source.county_id is None:
        raise SyncRefused("sync.source_no_county", path=path)
    if source.county_id != target.county_id:
        raise SyncRefused("sync.other_county", path=path, source=source.county_name,
                          target=target.county_name or "?")
    if source.device_id == target.device_id:
        raise SyncRefused("sync.same_device", path=path, device=source.device_name)
    # A stamp may run ahead of the wall clock by as much as the target's own clock does
    # (a hybrid clock continues from the latest stamp it has seen), plus the margin.
    hlc = conn.execute("SELECT value FROM main.meta WHERE key = 'hlc'").fetchone()
    base_ms = max(now_ms, Stamp.parse(hlc[0]).wall_ms if hlc else 0)
    limit = Stamp(base_ms + margin_ms, 0)
    since = seen_position(conn, source.device_id, SRC)
    ahead = conn.execute(
        f"SELECT s.device, max(s.stamp) FROM {SRC}.changes s WHERE s.seq > ? AND s.stamp > ? "
        f"AND NOT EXISTS (SELECT 1 FROM main.changes m WHERE m.id = s.id) GROUP BY s.device "
        f"ORDER BY max(s.stamp) DESC LIMIT 1", [since, str(limit)]).fetchone()
    if ahead is not None:
        name = conn.execute(f"SELECT name FROM {SRC}.devices WHERE id = ?", [ahead[0]]).fetchone()
        stamp = Stamp.parse(ahead[1])
        hours = (stamp.wall_ms - base_ms) / 3_600_000
        raise SyncRefused("sync.clock_ahead", path=path, device=name[0] if name else ahead[0],
                          device_id=ahead[0][:8], stamp=_local(stamp.wall_ms),
                          hours=f"{hours:.1f}", margin=margin_ms // 60_000,
                          until=_local(stamp.wall_ms - margin_ms - (base_ms - now_ms)))
    blobs.verify_incoming(conn, path, SRC)
    return source, target


def _local(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, UTC).astimezone().strftime("%Y-%m-%d %H:%M")
