"""Shared fixtures: isolated FIELDAUDIT_HOME, a deterministic clock, small county databases."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from store import paths
from store.auditors import add_auditor
from store.county import set_county
from store.db import AuditStore
from store.enums import AuditorRole
from store.i18n import set_language
from store.template_registry import publish_builtins
from store.units import add_unit


class FakeClock:
    """Wall clock for tests: starts at 2026-11-23 09:00 UTC and advances 1 ms per reading."""

    def __init__(self, start: datetime = datetime(2026, 11, 23, 9, tzinfo=UTC)) -> None:
        self.ms = int(start.timestamp() * 1000)

    def __call__(self) -> int:
        self.ms += 1
        return self.ms


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("FIELDAUDIT_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("FIELDAUDIT_LANG", raising=False)
    set_language(None)
    yield
    set_language(None)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def county_db(tmp_path: Path, clock: FakeClock) -> Iterator[AuditStore]:
    """A fresh county with templates, two auditors and two units."""
    store = AuditStore.create(tmp_path / "county.db", device_name="test", now_ms=clock)
    set_county(store, None, name="测试县总工会", committee="测试县总工会经费审查委员会",
               doc_prefix="测工审", province_code="anhui")
    publish_builtins(store, None)
    lead = add_auditor(store, None, code="A01", name="王建华", role=AuditorRole.FULL_TIME,
                       can_lead=True)
    add_auditor(store, None, code="T01", name="陈静", role=AuditorRole.INVITED)
    store.set_meta("auditor_id", lead.id)
    add_unit(store, lead.id, name="甲公司工会委员会", enterprise="甲公司",
             credit_code=_code("MA0000001"))
    add_unit(store, lead.id, name="乙公司工会委员会", enterprise="乙公司",
             credit_code=_code("MA0000002"))
    yield store
    store.close()


def _code(org: str) -> str:
    from store.credit_code import make_credit_code

    return make_credit_code("81341822" + org)


@pytest.fixture
def sample_copy(tmp_path: Path) -> Path:
    """A private copy of the committed sample county."""
    dest = tmp_path / "sample.db"
    shutil.copyfile(paths.sample_db_path(), dest)
    return dest
