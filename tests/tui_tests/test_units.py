"""Units: roster search (Chinese, pinyin initials, full pinyin, credit code), filters, the
unit's page, and starting an audit from it."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import DataTable, Input, Label, Select

from store.audits import list_audits
from store.search import RosterFilter, filter_roster, roster
from store.units import list_units
from tests.tui_tests.conftest import TODAY, open_store, settle
from tui.screens.new_audit import NewAuditScreen
from tui.screens.unit_detail import UnitDetailScreen
from tui.screens.units import UnitsScreen
from tui.widgets.virtual_table import VirtualTable

TARGET = "大连精细化工青山分公司工会委员会"


def shown_names(app) -> list[str]:
    return [e.unit.name for e in app.screen.shown]


async def open_units(pilot) -> UnitsScreen:
    await settle(pilot)
    await pilot.press("g", "u")
    await settle(pilot)
    assert isinstance(pilot.app.screen, UnitsScreen)
    return pilot.app.screen


@pytest.mark.parametrize("query", ["dljx", "DLJX", "dalian", "dalianjingxi", "jingxihua",
                                   "精细化工青山", "941AMCFMX7", "941amc"])
async def test_search_finds_the_unit(sample_home: Path, make, query: str) -> None:
    app = make(sample_home)
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_units(pilot)
        screen.query_one(Input).value = query
        await pilot.pause()
        assert TARGET in shown_names(app)
        table = screen.query_one(VirtualTable)
        assert table.row_count == len(screen.shown)
        assert table.get_row_at(shown_names(app).index(TARGET))["unit"] == "大连精细化工青山分公司"


async def test_search_narrows_and_says_how_many(sample_home: Path, make) -> None:
    app = make(sample_home)
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_units(pilot)
        assert screen.query_one(VirtualTable).row_count == 80
        await pilot.press(*"dljx")  # typed into the focused search box, as a user would
        assert shown_names(app) == ["大连机械制造有限责任公司工会委员会", TARGET]
        assert str(screen.query_one("#units-count", Label).render()) == "显示 2 个，共 80 个基层工会"
        screen.query_one(Input).value = "ｄａｌｉａｎ ｊ"  # full-width, as an IME may send
        await pilot.pause()
        assert TARGET in shown_names(app)
        screen.query_one(Input).value = "zzzz"
        await pilot.pause()
        assert shown_names(app) == []


@pytest.mark.parametrize(("kind", "expected"), [
    (RosterFilter.ALL, 80), (RosterFilter.DUE, 27), (RosterFilter.NEVER, 21),
    (RosterFilter.THIS_YEAR, 14), (RosterFilter.OPEN_FINDINGS, 54)])
async def test_filters_count(sample_home: Path, make, kind: RosterFilter, expected: int) -> None:
    with open_store(sample_home) as store:
        assert len(filter_roster(roster(store, TODAY), "", kind, TODAY)) == expected
    app = make(sample_home)
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_units(pilot)
        screen.query_one(Select).value = kind
        await pilot.pause()
        assert screen.query_one(VirtualTable).row_count == expected


async def test_filter_key_cycles_and_combines_with_search(sample_home: Path, make) -> None:
    app = make(sample_home)
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_units(pilot)
        await pilot.press(*"dl")
        everything = len(screen.shown)
        await pilot.press("ctrl+r")  # → due for audit
        assert screen.kind is RosterFilter.DUE
        assert 0 < len(screen.shown) < everything
        assert all(e.coverage.due_by(TODAY) for e in screen.shown)


async def test_unit_page_shows_details_history_and_open_findings(sample_home: Path,
                                                                  make) -> None:
    with open_store(sample_home) as store:
        unit = next(u for u in list_units(store) if u.name == TARGET)
        history = list_audits(store, "a.unit_id = ?", [unit.id])
    app = make(sample_home)
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_units(pilot)
        await pilot.press(*"dljxhgqs", "enter")  # Enter in the search box moves to the table
        assert app.focused is screen.query_one(VirtualTable)
        await pilot.press("enter")
        await settle(pilot)
        page = app.screen
        assert isinstance(page, UnitDetailScreen)
        texts = [str(label.render()) for label in page.query("#unit-details Label")]
        assert TARGET in texts and unit.credit_code in texts
        payroll = f"{unit.payroll_fen // 100:,}.{unit.payroll_fen % 100:02d} 元"
        assert payroll in texts
        audits = page.query_one("#unit-audits", DataTable)
        assert audits.row_count == len(history) >= 1
        assert page.query_one("#unit-findings", DataTable).row_count == len(
            page.page.open_findings)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, NewAuditScreen)
        assert app.screen.query_one("#unit", Select).value == unit.id


async def test_n_on_the_roster_starts_an_audit_of_the_highlighted_unit(sample_home: Path,
                                                                      make) -> None:
    app = make(sample_home)
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_units(pilot)
        await pilot.press(*"jingxihuagongqing", "enter", "n")
        await settle(pilot)
        assert isinstance(app.screen, NewAuditScreen)
        assert app.screen.unit_id == screen.shown[0].unit.id


async def test_each_letter_redraws_the_table_in_the_same_frame(sample_home: Path,
                                                               make) -> None:
    """The first frame after a letter already shows the narrowed roster (the table used to
    follow the search box one frame later)."""
    from tests.tui_tests.terminal_model import TerminalModel, drawn_now

    app = make(sample_home)
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_units(pilot)
        terminal = TerminalModel(100, 32).attach(app)
        firsts = terminal.shown
        app.screen.refresh()
        await settle(pilot)
        for letter, count in (("d", None), ("l", None), ("j", None), ("x", 2)):
            firsts.clear()
            await pilot.press(letter)
            await settle(pilot)
            shown = len(screen.shown)
            assert count is None or shown == count
            first = firsts[0]
            assert any(f"显示 {shown} 个，共 80 个基层工会" in line for line in first), first
            assert terminal.text() == drawn_now(app)
