"""The app shell: header, global keys, help, command palette, errors, language, resume."""

from __future__ import annotations

from pathlib import Path

from textual.command import CommandPalette
from textual.widgets import Input, Label

from store.answers import set_answer
from store.audits import list_audits
from store.devices import unsynced_count
from store.errors import InvalidInput
from tests.tui_tests.conftest import open_store, settle
from tui.screens.help import HelpScreen
from tui.screens.home import HomeScreen
from tui.screens.new_audit import NewAuditScreen
from tui.messages import DataChanged
from tui.screens.units import UnitsScreen
from tui.screens.workspace import AuditWorkspaceScreen


def header_status(app) -> str:
    return str(app.screen.query_one("#header-status", Label).render())


async def test_header_shows_auditor_database_and_unsynced_count(sample_home: Path, make) -> None:
    app = make(sample_home)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        with open_store(sample_home) as store:
            n = unsynced_count(store)
        assert n >= 1  # the device record of this laptop copy
        assert header_status(app) == f"王建华 · sample.db · 未同步变更：{n}"


async def test_unsynced_count_follows_writes(sample_home: Path, make) -> None:
    """A screen posts DataChanged after a write; the header recounts."""
    app = make(sample_home)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        before = app.shell_status.unsynced
        with open_store(sample_home) as store:  # as a screen would, through app.db
            row = store.query("SELECT audit_id, item_code FROM answers "
                              "WHERE result = '未检查' LIMIT 1")[0]
            set_answer(store, None, row["audit_id"], row["item_code"], "符合")
        app.screen.post_message(DataChanged("answers"))
        await settle(pilot)
        after = app.shell_status.unsynced
        assert after > before  # one change-log row per field changed (result, time …)
        assert header_status(app).endswith(f"未同步变更：{after}")


async def test_go_chords_move_between_home_and_units(sample_home: Path, make) -> None:
    app = make(sample_home)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await pilot.press("g", "u")
        await settle(pilot)
        assert isinstance(app.screen, UnitsScreen)
        app.screen.query_one("#units-table").focus()
        await pilot.press("g", "h")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert len(app.screen_stack) == 2  # went back, did not stack a second home
        await pilot.press("u")  # without g: nothing
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)


async def test_go_chords_open_the_office_screens(sample_home: Path, make) -> None:
    from tui.screens.office_coverage import OfficeCoverageScreen
    from tui.screens.office_ledger import OfficeLedgerScreen
    from tui.screens.office_plan import OfficePlanScreen
    from tui.screens.office_stats import OfficeStatsScreen

    app = make(sample_home)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        for key, screen_type in (("p", OfficePlanScreen), ("c", OfficeCoverageScreen),
                                 ("l", OfficeLedgerScreen), ("s", OfficeStatsScreen)):
            await pilot.press("g", key)
            await settle(pilot)
            assert isinstance(app.screen, screen_type)
            assert len(app.screen_stack) == 3  # default, home, the office screen
        await pilot.press("g", "l")
        await settle(pilot)
        assert isinstance(app.screen, OfficeLedgerScreen)
        assert len(app.screen_stack) == 3  # back to it, not a second one


async def test_help_lists_every_key_of_the_screen(sample_home: Path, make) -> None:
    app = make(sample_home)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await pilot.press("g", "u")
        await settle(pilot)
        await pilot.press("f1")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        lines = {(h.keys, h.description, h.scope) for h in app.screen.lines}
        # every binding of the units screen, even those the focused search field swallows
        assert {("/", "搜索", "screen"), ("n", "为该单位新建审计", "screen"),
                ("^r", "切换筛选", "screen"), ("esc", "返回", "screen")} <= lines
        assert ("f1 / ?", "帮助", "app") in lines
        assert ("q", "退出", "app") in lines
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, UnitsScreen)
        app.screen.query_one("#units-table").focus()
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)


async def test_palette_runs_app_commands_by_english_name(sample_home: Path, make) -> None:
    app = make(sample_home)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot)
        assert isinstance(app.screen, CommandPalette)
        app.screen.query_one(Input).value = "audit new"
        await pilot.pause(0.3)
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, NewAuditScreen)


async def test_palette_lists_the_screens_own_keys(sample_home: Path, make) -> None:
    from tui.commands import FieldAuditCommands

    app = make(sample_home)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await pilot.press("g", "u")
        await settle(pilot)
        provider = FieldAuditCommands(app.screen)
        names = [shown for shown, *_ in provider._entries()]
        assert "审计：新建" in names and "语言：切换（中文/English）" in names
        assert "基层工会名册：切换筛选" in names


async def test_user_errors_become_notices_not_tracebacks(sample_home: Path, make) -> None:
    app = make(sample_home)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)

        def fail(store):
            raise InvalidInput("formats.date_format", value="明天")

        screen = app.screen

        async def job() -> None:
            await app.db.call(fail)

        screen.run_worker(job(), group="test", exit_on_error=False)
        await settle(pilot)
        assert app.is_running
        messages = [n.message for n in app._notifications]
        assert any("无法识别的日期" in m and "明天" in m for m in messages)


async def test_language_toggle_switches_to_english(sample_home: Path, make) -> None:
    app = make(sample_home)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await pilot.press("g", "u")
        await settle(pilot)
        await app.run_action("toggle_language")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert app.screen.title == "Home"
        assert "unsynced changes:" in header_status(app)
        assert str(app.screen.query_one("#my-audits-title", Label).render()) == "My audits (4)"
        await app.run_action("toggle_language")
        await settle(pilot)
        assert app.screen.title == "首页"


async def test_english_from_settings(sample_home: Path, make) -> None:
    app = make(sample_home, lang="en")
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        assert app.screen.title == "Home"
        assert header_status(app).startswith("王建华 · sample.db · unsynced changes:")


async def test_resume_reopens_the_last_audit(sample_home: Path, make) -> None:
    with open_store(sample_home) as store:
        audit = list_audits(store, "a.status = 'fieldwork'")[0]
        store.set_meta("last_audit", audit.id)
        store.set_meta("last_item", "B2")
    app = make(sample_home)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, AuditWorkspaceScreen)
        assert (app.screen.audit_id, app.screen.item_code) == (audit.id, "B2")
        assert isinstance(app.screen_stack[-2], HomeScreen)  # back goes home


async def test_resume_ignores_an_audit_that_is_gone(sample_home: Path, make) -> None:
    with open_store(sample_home) as store:
        store.set_meta("last_audit", "01900000-0000-7000-8000-000000000000")
    app = make(sample_home)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)


async def test_quit_with_q(sample_home: Path, make) -> None:
    app = make(sample_home)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await pilot.press("q")
        await pilot.pause()
    assert not app.is_running
