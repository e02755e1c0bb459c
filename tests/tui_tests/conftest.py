"""Fixtures for driving the real app: copies of the sample county, at Home or at first run.

The sample (``store.paths.sample_db_path()``) is copied like the CLI does on first launch: it
takes a new device id, so the changes a test makes are this "laptop's" and counted as unsynced.
"Today" is frozen at 2026-11-23 (the sample's own present), so lists and snapshots are stable.
"""

from __future__ import annotations

import shutil
from collections.abc import Awaitable, Callable
from datetime import date
from pathlib import Path

import pytest
from textual.pilot import Pilot

from store import paths
from store.auditors import auditor_by_code
from store.db import AuditStore
from store.devices import assign_new_device, set_current_auditor
from tui.cli import Settings, make_app

TODAY = date(2026, 11, 23)
ME = "A01"  # 王建华, who may lead, in the sample county


def copy_sample(dest: Path, auditor_code: str | None = ME) -> Path:
    shutil.copyfile(paths.sample_db_path(), dest)
    with AuditStore.open(dest) as store:
        assign_new_device(store, "test-laptop")
        if auditor_code is not None:
            set_current_auditor(store, auditor_by_code(store, auditor_code).id or "")
    return dest


@pytest.fixture
def sample_home(tmp_path: Path) -> Path:
    """A laptop copy of the sample county whose auditor is chosen (the app opens at Home)."""
    return copy_sample(tmp_path / "sample.db")


@pytest.fixture
def sample_first_run(tmp_path: Path) -> Path:
    """A laptop copy of the sample county with no auditor chosen (the app opens first run)."""
    return copy_sample(tmp_path / "sample.db", auditor_code=None)


@pytest.fixture
def make(request: pytest.FixtureRequest):
    """``make(db_path, **settings)`` → an app on that file with today frozen, in Chinese."""

    def _make(db_path: Path, **overrides):
        return make_app(Settings(db_path=db_path, **{"lang": "zh", "today": TODAY,
                                                     **overrides}))

    return _make


async def settle(pilot: Pilot) -> None:
    """Wait until every worker (database reads and writes) has finished and the screen shows
    the result."""
    app = pilot.app
    for _ in range(50):
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        if not any(w.is_running for w in app.workers):
            return


def open_store(db_path: Path) -> AuditStore:
    return AuditStore.open(db_path)


Step = Callable[[Pilot], Awaitable[None]]
