"""Home: my open audits with progress, units due, late rectifications; Enter opens them."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import DataTable, Label

from store.coverage import units_due
from store.devices import current_auditor_id
from store.enums import RectifyStatus
from store.findings import set_rectify_status
from store.worklist import late_rectifications, my_audits
from tests.tui_tests.conftest import TODAY, open_store, settle
from tui.screens.home import HomeScreen
from tui.screens.unit_detail import UnitDetailScreen
from tui.screens.workspace import AuditWorkspaceScreen


def cells(table: DataTable, row: int) -> list[str]:
    return [str(c) for c in table.get_row_at(row)]


async def test_home_lists_match_the_database(sample_home: Path, make) -> None:
    with open_store(sample_home) as store:
        mine = my_audits(store, current_auditor_id(store) or "")
        due = units_due(store, TODAY)
        late = late_rectifications(store, TODAY)
    app = make(sample_home)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, HomeScreen)
        audits = screen.query_one("#my-audits", DataTable)
        assert audits.row_count == len(mine) == 4
        first = mine[0]
        assert first.status == "fieldwork"
        assert cells(audits, 0) == [
            "石桥酿造有限公司", "现场审计", "2026年11月16日", "20/70", "2",
            "146,091.00"]  # 违规 146,091.00 + 不规范 0.00
        assert first.violation_fen + first.irregular_fen == 14_609_100
        assert screen.query_one("#units-due", DataTable).row_count == len(due) == 27
        assert screen.query_one("#late", DataTable).row_count == len(late) == 168
        assert str(screen.query_one("#late-title", Label).render()) == "整改逾期（168）"
        assert cells(screen.query_one("#late", DataTable), 0)[:3] == [
            "1298", "2023年5月5日", "部分整改"]


async def test_enter_on_a_due_unit_opens_its_page(sample_home: Path, make) -> None:
    app = make(sample_home)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        app.screen.query_one("#units-due", DataTable).focus()
        await pilot.press("down", "enter")
        await settle(pilot)
        assert isinstance(app.screen, UnitDetailScreen)
        assert app.screen.sub_title == "北塘模具股份有限公司工会委员会"
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)


async def test_enter_on_my_audit_opens_its_workspace(sample_home: Path, make) -> None:
    with open_store(sample_home) as store:
        first = my_audits(store, current_auditor_id(store) or "")[0]
    app = make(sample_home)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, AuditWorkspaceScreen)
        assert app.screen.audit_id == first.id


async def test_enter_on_a_late_rectification_opens_the_finding(sample_home: Path,
                                                             make) -> None:
    editor = pytest.importorskip("tui.screens.finding_editor")
    with open_store(sample_home) as store:
        late = late_rectifications(store, TODAY)[0]
    app = make(sample_home)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        app.screen.query_one("#late", DataTable).focus()
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, editor.FindingEditorScreen)
        assert (app.screen.finding_id, app.screen.audit_id) == (late.finding_id, late.audit_id)


async def test_home_is_read_again_when_it_comes_back(sample_home: Path, make) -> None:
    """Work done on another screen shows when the user returns."""
    app = make(sample_home)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await pilot.press("g", "u")
        await settle(pilot)
        with open_store(sample_home) as store:
            first = late_rectifications(store, TODAY)[0].finding_id
            set_rectify_status(store, current_auditor_id(store), first, RectifyStatus.DONE)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen.query_one("#late", DataTable).row_count == 167
