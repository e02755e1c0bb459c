"""The committed sample county is what the generator produces, and it has real content."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from store import paths
from store.credit_code import validate_credit_code
from store.sample import build_sample

TABLES = ("county", "auditors", "units", "templates", "caps", "audits", "answers", "findings",
          "evidence", "blobs", "changes", "doc_numbers", "number_blocks", "devices")


def _dump(path: Path) -> dict[str, list[tuple]]:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
    out = {t: sorted(conn.execute(f"SELECT * FROM {t}").fetchall(), key=repr) for t in TABLES}
    conn.close()
    return out


def test_generator_reproduces_the_committed_sample(tmp_path: Path) -> None:
    fresh = build_sample(tmp_path / "again.db")
    assert _dump(fresh) == _dump(paths.sample_db_path())


def test_sample_has_a_plausible_county() -> None:
    conn = sqlite3.connect(f"{paths.sample_db_path().resolve().as_uri()}?mode=ro&immutable=1",
                           uri=True)
    q = lambda sql: conn.execute(sql).fetchall()  # noqa: E731
    assert q("SELECT count(*) FROM units")[0][0] == 80
    codes = [r[0] for r in q("SELECT credit_code FROM units")]
    assert all(c.startswith("81") and validate_credit_code(c) == c for c in codes)
    roles = dict(q("SELECT role, count(*) FROM auditors GROUP BY role"))
    assert roles == {"经审办专职": 2, "特邀审计员": 3}
    by_year = dict(q("SELECT substr(planned_start, 1, 4), count(*) FROM audits GROUP BY 1"))
    assert sum(v for k, v in by_year.items() if k < "2026") == 45 and by_year["2026"] >= 10
    statuses = {r[0] for r in q("SELECT DISTINCT rectify_status FROM findings")}
    assert statuses == {"未整改", "部分整改", "已整改", "已销号"}
    assert q("SELECT count(*) FROM findings WHERE violation_fen > 0")[0][0] > 50
    assert q("SELECT count(*) FROM evidence")[0][0] > 0
    conn.close()
