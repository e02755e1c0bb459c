"""``fieldaudit print`` as a user runs it on the sample county: files written, numbers said,
reprints keep their number, the month's batch, and one clear line (never a PDF with boxes)
when no Chinese TrueType font is installed."""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pdfplumber
import pytest

from store.i18n import t


def run(*args: str, home: Path, env: dict[str, str] | None = None
        ) -> subprocess.CompletedProcess:
    full = {**os.environ, "FIELDAUDIT_HOME": str(home), **(env or {})}
    full.pop("FIELDAUDIT_LANG", None)
    return subprocess.run([sys.executable, "-m", "tui.cli", *args], capture_output=True,
                          text=True, env=full, timeout=180)


def text_of(path: Path) -> str:
    with pdfplumber.open(path) as pdf:
        return re.sub(r"\s+", "", "".join(p.extract_text() or "" for p in pdf.pages))


@pytest.fixture
def county(sample_copy: Path, tmp_path: Path) -> tuple[Path, Path, list[dict]]:
    home = tmp_path / "home"
    r = run("audits", "--db", str(sample_copy), "--json", home=home)
    assert r.returncode == 0, r.stderr
    return sample_copy, home, json.loads(r.stdout)


def _audit(audits: list[dict], start: str) -> dict:
    return next(a for a in audits if a["planned_start"] == start)


def _numbers(db: Path) -> list[tuple[str, int, str]]:
    with sqlite3.connect(db) as con:
        return con.execute("SELECT kind, serial, text FROM doc_numbers WHERE deleted = 0 "
                           "ORDER BY kind, serial").fetchall()


def test_print_notice_then_reprint_keeps_the_number(county, tmp_path: Path) -> None:
    db, home, audits = county
    audit = _audit(audits, "2026-12-07")
    before = _numbers(db)
    out = tmp_path / "通知书.pdf"
    r = run("print", "notice", "--db", str(db), "--audit", audit["id"], "--out", str(out),
            "--date", "2026-11-23", home=home)
    assert r.returncode == 0, r.stderr
    number = re.search(r"青工审〔2026〕[1-9]\d*号", r.stdout)
    assert number and str(out) in r.stdout
    text = text_of(out)
    assert audit["unit_name"] in text and number[0] in text
    assert len(_numbers(db)) == len(before) + 1
    again = run("print", "notice", "--db", str(db), "--audit", audit["id"], "--out",
                str(tmp_path / "again.pdf"), home=home)
    assert again.returncode == 0 and number[0] in again.stdout and "沿用原号" in again.stdout
    assert len(_numbers(db)) == len(before) + 1
    assert "2026年11月23日" in text_of(tmp_path / "again.pdf")  # the first issue date


def test_short_notice_prints_with_a_warning_on_stderr(county, tmp_path: Path) -> None:
    db, home, audits = county
    audit = _audit(audits, "2026-12-07")  # a Monday
    r = run("print", "notice", "--db", str(db), "--audit", audit["id"], "--out",
            str(tmp_path / "n.pdf"), "--date", "2026-12-03", home=home)
    assert r.returncode == 0, r.stderr
    assert "2 个工作日" in r.stderr and (tmp_path / "n.pdf").is_file()


def test_batch_prints_every_notice_of_the_month(county, tmp_path: Path) -> None:
    db, home, audits = county
    december = sorted((a for a in audits if a["planned_start"].startswith("2026-12-")),
                      key=lambda a: a["planned_start"])
    assert len(december) >= 2
    folder = tmp_path / "notices"
    r = run("print", "notices", "--db", str(db), "--month", "2026-12", "--out", str(folder),
            "--date", "2026-11-23", home=home)
    assert r.returncode == 0, r.stderr
    files = sorted(folder.glob("*.pdf"))
    assert len(files) == len(december)
    numbers = set()
    for audit, path in zip(december, files, strict=True):
        assert path.name.startswith(audit["planned_start"])
        text = text_of(path)
        assert audit["unit_name"] in text
        found = re.findall(r"青工审〔2026〕([1-9]\d*)号", text)
        assert found
        numbers.add(found[0])
    assert len(numbers) == len(december)  # never the same number twice
    assert f"已打印 {len(december)} 份审计通知书" in r.stdout
    empty = run("print", "notices", "--db", str(db), "--month", "2030-01", "--out",
                str(folder), home=home)
    assert empty.returncode == 0 and "2030-01" in empty.stdout


def test_every_kind_prints_from_the_command_line(county, tmp_path: Path) -> None:
    db, home, audits = county
    audit = next(a for a in audits if a["status"] == "fieldwork" or a["findings"] > 3)
    for kind, number in (("evidence", None), ("rectification", "青工审改〔"),
                         ("report", "青工审报〔")):
        out = tmp_path / f"{kind}.pdf"
        r = run("print", kind, "--db", str(db), "--audit", audit["id"], "--out", str(out),
                home=home)
        assert r.returncode == 0, r.stderr
        text = text_of(out)
        assert audit["unit_name"] in text
        if number:
            assert number in r.stdout and number in text


@pytest.mark.parametrize(("args", "fragment"), [
    (("print", "notices", "--month", "2026-13"), "2026-13"),
    (("print", "report"), "--audit"),
    (("print", "notice", "--audit", "nope"), "nope"),
    (("print", "notice", "--audit", "x", "--finding", "y"), "--finding"),
])
def test_mistakes_fail_with_one_line(county, tmp_path: Path, args, fragment: str) -> None:
    db, home, _audits = county
    r = run(*args, "--db", str(db), "--out", str(tmp_path / "x.pdf"), home=home)
    assert r.returncode != 0 and "Traceback" not in r.stderr
    assert fragment in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "x.pdf").exists()


def test_no_cjk_font_stops_with_the_catalogue_message(county, tmp_path: Path) -> None:
    db, home, audits = county
    audit = _audit(audits, "2026-12-07")
    before = _numbers(db)
    empty = tmp_path / "no-fonts"
    empty.mkdir()
    out = tmp_path / "n.pdf"
    r = run("print", "notice", "--db", str(db), "--audit", audit["id"], "--out", str(out),
            home=home, env={"FIELDAUDIT_FONT_DIRS": str(empty)})
    assert r.returncode != 0 and "Traceback" not in r.stderr
    start = t("documents.no_cjk_font", "zh", hint="@", folder="@").split("@")[0]
    assert start in r.stderr and "fonts-wqy-zenhei" in r.stderr
    assert not out.exists() and not list(tmp_path.glob("*.pdf"))
    assert _numbers(db) == before  # no number spent on a document that was not printed


def test_db_before_the_subcommand_is_the_one_printed_from(county, tmp_path: Path) -> None:
    """``fieldaudit --db X print …`` (the TUI's option, given first) prints from X too."""
    db, _home, audits = county
    home = tmp_path / "fresh-home"
    audit = _audit(audits, "2026-12-07")
    before = len(_numbers(db))
    r = run("--db", str(db), "print", "notice", "--audit", audit["id"], "--out",
            str(tmp_path / "n.pdf"), home=home)
    assert r.returncode == 0, r.stderr
    assert len(_numbers(db)) == before + 1
    assert not (home / "fieldaudit.db").exists()  # the user's own database was not used
