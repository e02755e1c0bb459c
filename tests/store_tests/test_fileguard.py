"""Bad files are refused with a specific message and left byte-identical; old files upgrade."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
from pathlib import Path

import pytest

from store.db import AuditStore
from store.errors import DatabaseRefused
from store.fileguard import check_openable, read_ahead
from store.schema import APPLICATION_ID, schema_version

FIXTURES = Path(__file__).parent / "fixtures"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _refused(path: Path, key: str, en_fragment: str) -> None:
    before = _digest(path)
    siblings = set(path.parent.iterdir())
    with pytest.raises(DatabaseRefused) as err:
        AuditStore.open(path)
    assert err.value.key == key
    assert en_fragment in err.value.message("en")
    assert "未作任何改动" in err.value.message("zh")
    assert _digest(path) == before
    assert set(path.parent.iterdir()) == siblings  # no -wal/-shm/journal left behind


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.db"
    path.write_bytes(b"")
    _refused(path, "db.empty_file", "empty")


def test_random_bytes(tmp_path: Path) -> None:
    path = tmp_path / "noise.db"
    path.write_bytes(os.urandom(8192))
    _refused(path, "db.not_sqlite", "not an SQLite database")


def test_another_applications_sqlite_file(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE contacts (name TEXT)")
    conn.commit()
    conn.close()
    _refused(path, "db.foreign_sqlite", "another application")


def _county_file(tmp_path: Path, name: str = "county.db") -> Path:
    path = tmp_path / name
    AuditStore.create(path, device_name="t").close()
    for suffix in ("-wal", "-shm"):
        assert not Path(f"{path}{suffix}").exists()
    return path


def test_newer_schema(tmp_path: Path) -> None:
    path = _county_file(tmp_path)
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {schema_version() + 1}")
    conn.execute("UPDATE meta SET value = '9.9.9' WHERE key = 'app_version'")
    conn.commit()
    conn.close()
    _refused(path, "db.newer_schema", "newer fieldaudit (9.9.9)")


def test_truncated_file(tmp_path: Path) -> None:
    path = _county_file(tmp_path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    _refused(path, "db.truncated", "truncated")


def test_corrupt_pages(tmp_path: Path) -> None:
    path = _county_file(tmp_path)
    data = bytearray(path.read_bytes())
    page = 4096
    for offset in range(page * 2, len(data), page):  # smash every b-tree page header
        data[offset: offset + 16] = b"\xff" * 16
    path.write_bytes(bytes(data))
    _refused(path, "db.corrupt", "corrupt")


def test_missing_file_is_reported(tmp_path: Path) -> None:
    with pytest.raises(DatabaseRefused) as err:
        AuditStore.open(tmp_path / "nope.db")
    assert err.value.key == "db.not_found"


def _schema(path: Path) -> list[tuple[str, str]]:
    conn = sqlite3.connect(path)
    rows = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name"
    ).fetchall()
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    conn.close()
    return [*rows, ("user_version", str(version)), ("application_id", str(app_id))]


def test_an_older_file_upgrades_to_the_same_schema_as_a_fresh_one(tmp_path: Path) -> None:
    old = tmp_path / "v1.db"
    shutil.copyfile(FIXTURES / "schema_v1.db", old)
    fresh = _county_file(tmp_path, "fresh.db")
    store = AuditStore.open(old)
    assert store.migrated_from == 1 and store.backup_path and store.backup_path.exists()
    assert store.schema_version() == schema_version()
    store.close()
    assert _schema(old) == _schema(fresh)
    assert _schema(fresh)[-1] == ("application_id", str(APPLICATION_ID))
    # the backup is the untouched v1 file
    assert _digest(store.backup_path) != _digest(old)
    assert sqlite3.connect(store.backup_path).execute("PRAGMA user_version").fetchone()[0] == 1


def test_read_ahead_is_only_an_optimisation(tmp_path: Path) -> None:
    """Reading a file ahead never raises: what is wrong with it is for the checks to say."""
    read_ahead(tmp_path / "missing.db")
    read_ahead(tmp_path)  # a folder
    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")
    read_ahead(empty)
    with pytest.raises(DatabaseRefused):
        check_openable(empty)
