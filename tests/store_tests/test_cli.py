"""The command line as a user runs it: one clear line per error, never a traceback."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from store import paths


def run(*args: str, home: Path, lang: str | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "FIELDAUDIT_HOME": str(home)}
    env.pop("FIELDAUDIT_LANG", None)
    if lang:
        env["FIELDAUDIT_LANG"] = lang
    return subprocess.run([sys.executable, "-m", "tui.cli", *args], capture_output=True,
                          text=True, env=env, timeout=120)


def test_help_lists_every_subcommand_and_version(tmp_path: Path) -> None:
    out = run("--help", home=tmp_path).stdout
    for name in ("init", "import-units", "audits", "check"):
        assert name in out
    assert "新建一个空的县级工会数据库" in out
    assert "create an empty county database" in run("--lang", "en", "--help", home=tmp_path).stdout
    assert run("--version", home=tmp_path).stdout.startswith("fieldaudit ")


def test_init_then_audits_json_then_check(tmp_path: Path) -> None:
    db = tmp_path / "new.db"
    r = run("init", "--db", str(db), "--county", "东林县总工会", "--code", "东工审", home=tmp_path)
    assert r.returncode == 0, r.stderr
    assert json.loads(run("audits", "--db", str(db), "--json", home=tmp_path).stdout) == []
    r = run("check", "--db", str(db), home=tmp_path)
    assert r.returncode == 0 and "检查通过" in r.stdout
    again = run("init", "--db", str(db), "--county", "x", "--code", "y", home=tmp_path)
    assert again.returncode != 0 and "已存在" in again.stderr


def test_db_before_the_subcommand_is_the_one_used(tmp_path: Path) -> None:
    """``fieldaudit --db X audits`` reads X, not the user's database (nor a fresh sample copy)."""
    db = tmp_path / "new.db"
    assert run("init", "--db", str(db), "--county", "东林县总工会", "--code", "东工审",
               home=tmp_path).returncode == 0
    home = tmp_path / "home"
    r = run("--db", str(db), "audits", "--json", home=home)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout) == []
    assert not (home / "fieldaudit.db").exists()
    after = run("--db", str(tmp_path / "missing.db"), "audits", "--db", str(db), "--json",
                home=home)
    assert after.returncode == 0 and json.loads(after.stdout) == []  # the later --db wins


def test_first_use_copies_the_sample_and_says_where(tmp_path: Path) -> None:
    home = tmp_path / "home"
    sample_before = paths.sample_db_path().read_bytes()
    r = run("audits", "--json", home=home)
    assert r.returncode == 0
    assert str(home / "fieldaudit.db") in r.stderr
    audits = json.loads(r.stdout)
    assert len(audits) == 62 and {"id", "unit_name", "type", "status"} <= audits[0].keys()
    assert paths.sample_db_path().read_bytes() == sample_before


@pytest.mark.parametrize("content, fragment", [
    (b"", "空的"), (os.urandom(4096), "不是 SQLite"),
])
def test_bad_database_files_fail_with_one_line(tmp_path: Path, content: bytes,
                                               fragment: str) -> None:
    db = tmp_path / "bad.db"
    db.write_bytes(content)
    for command in (["check", "--db", str(db)], ["audits", "--db", str(db)]):
        r = run(*command, home=tmp_path)
        assert r.returncode != 0
        assert fragment in r.stderr and "Traceback" not in r.stderr
        assert len(r.stderr.strip().splitlines()) == 1
    assert db.read_bytes() == content


def test_check_fails_with_reason_on_a_damaged_log(tmp_path: Path) -> None:
    import sqlite3

    db = tmp_path / "x.db"
    shutil.copyfile(paths.sample_db_path(), db)
    conn = sqlite3.connect(db)
    conn.execute("INSERT INTO units (id, name, enterprise, credit_code, stamp, device) "
                 "VALUES ('u1', 'x', 'x', 'x', 's', 'd')")
    conn.commit()
    conn.close()
    r = run("check", "--db", str(db), home=tmp_path, lang="en")
    assert r.returncode == 1 and "without change-log entries" in r.stderr


def test_english_errors(tmp_path: Path) -> None:
    r = run("audits", "--db", str(tmp_path / "missing.db"), home=tmp_path, lang="en")
    assert r.returncode != 0 and "not found" in r.stderr


def test_import_units_reports_rows(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    run("init", "--db", str(db), "--county", "东林县总工会", "--code", "东工审", home=tmp_path)
    roster = tmp_path / "r.csv"
    roster.write_text("工会名称,企业名称,统一社会信用代码\n甲工会,甲公司,81341822MA0000001Z\n",
                      encoding="utf-8")
    r = run("import-units", "--db", str(db), str(roster), home=tmp_path)
    assert r.returncode != 0 and "第 2 行" in r.stderr and "Traceback" not in r.stderr
