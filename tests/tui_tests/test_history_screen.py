"""The history screen lists the change log of a finding after an edit: who, on which device,
which field (by its label), old → new with money in yuan; newest first."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable, Input, Static

from store.history import history
from tests.tui_tests.conftest import open_store, settle
from tui import navigation
from tui.screens.finding_editor import FindingEditorScreen
from tui.screens.findings_list import FindingsListScreen
from tui.screens.history import HistoryScreen


async def test_history_after_an_edit(sample_home: Path, make) -> None:
    with open_store(sample_home) as store:
        row = store.query("SELECT id, audit_id, title, violation_fen FROM findings "
                          "WHERE violation_fen > 0 AND deleted = 0 ORDER BY id LIMIT 1")[0]
    app = make(sample_home)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        navigation.open_finding(app, row["id"], row["audit_id"])
        await settle(pilot)
        editor = app.screen
        assert isinstance(editor, FindingEditorScreen)
        editor.query_one("#violation", Input).value = "88,000"
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("ctrl+l")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, HistoryScreen) and screen.sub_title == row["title"]
        with open_store(sample_home) as store:
            logged = history(store, "findings", row["id"])
        table = screen.query_one(DataTable)
        assert table.row_count == len(screen.lines) >= 2
        # the creation's empty fields are left out; every update is listed
        updates = [e for e in logged if e.base is not None]
        assert len(screen.lines) >= len(updates)
        newest = screen.lines[0]
        old = f"{row['violation_fen'] // 100:,}.{row['violation_fen'] % 100:02d}"
        assert (newest.field, newest.old, newest.new) == ("违规金额", old, "88,000.00")
        assert (newest.auditor, newest.device) == ("王建华", "test-laptop")
        cells = [str(c) for c in table.get_row_at(0)]
        assert cells[1:6] == ["王建华", "test-laptop", "违规金额", old, "88,000.00"]
        detail = str(screen.query_one("#history-detail", Static).render())
        assert "违规金额" in detail and "88,000.00" in detail
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is editor


async def test_history_from_the_findings_list(sample_home: Path, make) -> None:
    app = make(sample_home)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        navigation.open_findings(app, None)
        await settle(pilot)
        listing = app.screen
        assert isinstance(listing, FindingsListScreen)
        first = listing.shown[0]
        await pilot.press("h")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, HistoryScreen) and screen.record_id == first.id
        with open_store(sample_home) as store:
            changes = store.query("SELECT count(*) n FROM changes WHERE rid = ? AND field != '*'",
                                  [first.id])[0]["n"]
        created = [line for line in screen.lines if line.old == "—"]
        assert len(screen.lines) - len(created) <= changes
        assert any(line.field == "问题标题" for line in created)
