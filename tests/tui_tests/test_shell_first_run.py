"""First run: choose or register who works on this laptop, name the laptop, then Home."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, Label, OptionList

from store.auditors import auditor_by_code
from store.devices import current_auditor_id, device_name
from tests.tui_tests.conftest import open_store, settle
from tui.screens.first_run import FirstRunScreen
from tui.screens.home import HomeScreen


def error_text(app, field: str) -> str:
    label = app.screen.query_one(f"#{field}-error", Label)
    return str(label.render()) if label.display else ""


async def test_opens_first_run_when_nobody_is_signed_in(sample_first_run: Path, make) -> None:
    app = make(sample_first_run)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, FirstRunScreen)
        options = app.screen.query_one(OptionList)
        assert options.option_count == 6  # five active auditors + "register"
        assert app.shell_status.auditor_name == ""
        await pilot.press("g", "h")  # nowhere to go before choosing
        assert isinstance(app.screen, FirstRunScreen)


async def test_choose_an_existing_auditor_and_name_the_laptop(sample_first_run: Path,
                                                             make) -> None:
    app = make(sample_first_run)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await pilot.press("down", "enter")  # A02 李秀梅, then on to the laptop's name
        assert app.focused.id == "device-name"
        app.focused.value = "经审办-笔记本2"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert app.shell_status.auditor_name == "李秀梅"
    with open_store(sample_first_run) as store:
        me = auditor_by_code(store, "A02").id
        assert current_auditor_id(store) == me
        assert device_name(store) == "经审办-笔记本2"
        rows = store.query("SELECT auditor, device FROM changes WHERE tbl = 'devices' "
                           "AND field = 'name' ORDER BY seq DESC LIMIT 1")
        assert rows == [{"auditor": me, "device": store.device_id}]


async def test_register_a_new_auditor_with_checked_fields(sample_first_run: Path,
                                                         make) -> None:
    app = make(sample_first_run)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await pilot.press("end")
        assert app.screen.query_one("#new-auditor").display
        await pilot.press("enter")
        assert app.focused.id == "new-code"
        screen = app.screen
        screen.query_one("#new-code", Input).value = "A 6"
        screen.query_one("#device-name", Input).value = ""
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "编号只能由字母、数字" in error_text(app, "new-code")
        assert "请填写姓名" in error_text(app, "new-name")
        assert app.focused.id == "new-code"
        screen.query_one("#new-code", Input).value = "a01"
        screen.query_one("#new-name", Input).value = "周明"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "已被 王建华 使用" in error_text(app, "new-code")
        screen.query_one("#new-code", Input).value = "T06"
        screen.query_one("#new-phone", Input).value = "电话"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "电话只能由数字" in error_text(app, "new-phone")
        screen.query_one("#new-phone", Input).value = "0550-1234567"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "请为这台电脑起个名字" in error_text(app, "device-name")
        assert isinstance(app.screen, FirstRunScreen)
        screen.query_one("#device-name", Input).value = "周明的笔记本"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert app.shell_status.auditor_name == "周明"
    with open_store(sample_first_run) as store:
        new = auditor_by_code(store, "T06")
        assert (new.name, new.phone, new.role, new.can_lead) == (
            "周明", "0550-1234567", "经审办专职", False)
        assert current_auditor_id(store) == new.id
        assert device_name(store) == "周明的笔记本"
        signed = store.query("SELECT auditor FROM changes WHERE tbl = 'auditors' AND rid = ?",
                             [new.id])
        assert signed == [{"auditor": new.id}]  # registered by themselves
