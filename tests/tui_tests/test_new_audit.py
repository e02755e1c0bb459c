"""New audit: every field checked with a clear message; saving creates the audit, its answer
sheet and change-log rows signed by the current auditor on this laptop."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from textual.widgets import Input, Label, Select, SelectionList

from store.auditors import auditor_by_code
from store.audits import get_audit
from store.devices import current_auditor_id
from store.units import list_units
from tests.tui_tests.conftest import open_store, settle
from tui.screens.home import HomeScreen
from tui.screens.new_audit import NewAuditScreen

UNIT = "大连精细化工青山分公司工会委员会"


def error(app, field: str) -> str:
    label = app.screen.query_one(f"#{field}-error", Label)
    return str(label.render()) if label.display and label.has_class("-error") else ""


def audit_ids(db: Path) -> set[str]:
    with open_store(db) as store:
        return {r["id"] for r in store.query("SELECT id FROM audits")}


async def open_form(pilot) -> NewAuditScreen:
    await settle(pilot)
    await pilot.press("n")  # from Home
    await settle(pilot)
    assert isinstance(pilot.app.screen, NewAuditScreen)
    return pilot.app.screen


async def test_create_an_audit_end_to_end(sample_home: Path, make) -> None:
    with open_store(sample_home) as store:
        unit = next(u for u in list_units(store) if u.name == UNIT)
        me = current_auditor_id(store)
        chen = auditor_by_code(store, "T02").id
        liu = auditor_by_code(store, "T03").id
    before = audit_ids(sample_home)
    app = make(sample_home)
    async with app.run_test(size=(100, 32)) as pilot:
        form = await open_form(pilot)
        assert app.focused is form.query_one("#unit")
        form.query_one("#unit", Select).value = unit.id
        form.query_one("#type", Select).value = "经费收支审计"
        await pilot.pause()
        # the template is the county's usual one for this type, in its newest version
        assert form.query_one("#template", Select).value == "grassroots-revenue"
        assert form.query_one("#leader", Select).value == me  # 王建华 may lead
        form.query_one("#period_from", Input).value = "2024"
        form.query_one("#period_to", Input).value = "2025"
        members = form.query_one("#members", SelectionList)
        members.select(chen)
        members.select(liu)
        form.query_one("#planned_start", Input).value = "2026年11月30日"
        form.query_one("#planned_end", Input).value = "2026-12-04"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, NewAuditScreen)
        await pilot.press("g", "h")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
    (audit_id,) = audit_ids(sample_home) - before
    with open_store(sample_home) as store:
        audit = get_audit(store, audit_id)
        assert (audit.unit_id, audit.type, audit.period_from, audit.period_to) == (
            unit.id, "经费收支审计", 2024, 2025)
        assert (audit.template_id, audit.template_version) == ("grassroots-revenue", 1)
        assert (audit.planned_start, audit.planned_end) == (date(2026, 11, 30),
                                                            date(2026, 12, 4))
        assert (audit.leader_id, sorted(audit.members)) == (me, sorted([chen, liu]))
        assert audit.status == "planned"
        answers = store.query("SELECT result FROM answers WHERE audit_id = ?", [audit_id])
        assert len(answers) == 70 and {a["result"] for a in answers} == {"未检查"}
        logged = store.query(
            "SELECT tbl, auditor, device FROM changes WHERE rid = ? OR rid IN "
            "(SELECT id FROM answers WHERE audit_id = ?)", [audit_id, audit_id])
        assert len(logged) == 71
        assert {(r["auditor"], r["device"]) for r in logged} == {(me, store.device_id)}


async def test_every_field_is_checked_with_a_clear_message(sample_home: Path, make) -> None:
    before = audit_ids(sample_home)
    app = make(sample_home)
    async with app.run_test(size=(100, 32)) as pilot:
        form = await open_form(pilot)
        form.query_one("#period_from", Input).value = "25"
        form.query_one("#planned_start", Input).value = "2026-13-01"
        form.query_one("#planned_end", Input).value = "明天"
        form.query_one("#leader", Select).clear()
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert error(app, "unit") == "请选择被审计单位。"
        assert "起始年度应为 2000–2100 之间的四位年份" in error(app, "period")
        assert error(app, "leader").startswith("请选择审计组组长")
        assert "13" in error(app, "planned_start")
        assert "无法识别的日期" in error(app, "planned_end")
        assert app.focused is form.query_one("#unit")  # the first field in error
        assert isinstance(app.screen, NewAuditScreen)

        form.query_one("#period_from", Input).value = "2025"
        form.query_one("#period_to", Input).value = "2024"
        form.query_one("#planned_start", Input).value = "2026年12月7日"
        form.query_one("#planned_end", Input).value = "2026年12月1日"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert error(app, "period") == "起始年度 2025 晚于截止年度 2024，请对调。"
        assert error(app, "planned_start") == ""
        assert error(app, "planned_end") == "计划结束日期早于开始日期（2026年12月7日）。"

        form.query_one("#period_from", Input).value = "2026"
        form.query_one("#period_to", Input).value = "2027"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert error(app, "period") == "截止年度 2027 还没有到来（今年是 2026 年）。"
    assert audit_ids(sample_home) == before


async def test_a_corrected_field_clears_its_message_as_you_type(sample_home: Path,
                                                               make) -> None:
    app = make(sample_home)
    async with app.run_test(size=(100, 32)) as pilot:
        form = await open_form(pilot)
        start = form.query_one("#planned_start", Input)
        start.focus()
        start.value = "2026-11-3"
        await pilot.press("tab")  # leaving the field checks it and reads the date back
        label = form.query_one("#planned_start-error", Label)
        assert str(label.render()) == "即 2026年11月3日" and label.has_class("-hint")
        start.value = "2026-11-31"
        await pilot.pause()
        assert "11" in error(app, "planned_start") and "31" in error(app, "planned_start")
        start.value = "2026-11-30"
        await pilot.pause()
        assert error(app, "planned_start") == ""
        assert str(label.render()) == "即 2026年11月30日"


async def test_templates_follow_the_audit_type(sample_home: Path, make) -> None:
    app = make(sample_home)
    async with app.run_test(size=(100, 32)) as pilot:
        form = await open_form(pilot)
        template = form.query_one("#template", Select)
        form.query_one("#type", Select).value = "专项资金审计"
        await pilot.pause()
        assert [v for _, v in template._options if v != Select.NULL] == ["special-fund"]
        assert template.value == "special-fund"
        form.query_one("#type", Select).value = "经济责任审计"
        await pilot.pause()
        assert "没有适用于该审计类型的清单模板" in error(app, "template")


async def test_the_leader_is_not_offered_as_a_member(sample_home: Path, make) -> None:
    with open_store(sample_home) as store:
        me = current_auditor_id(store)
        li = auditor_by_code(store, "A02").id
    app = make(sample_home)
    async with app.run_test(size=(100, 32)) as pilot:
        form = await open_form(pilot)
        members = form.query_one("#members", SelectionList)
        offered = {members.get_option_at_index(i).value for i in range(members.option_count)}
        assert me not in offered and li in offered
        members.select(li)
        form.query_one("#leader", Select).value = li
        await pilot.pause()
        offered = {members.get_option_at_index(i).value for i in range(members.option_count)}
        assert li not in offered and me in offered
        assert li not in members.selected


@pytest.mark.parametrize("press_twice", [False, True])
async def test_escape_asks_before_discarding_typed_text(sample_home: Path, make,
                                                        press_twice: bool) -> None:
    app = make(sample_home)
    async with app.run_test(size=(100, 32)) as pilot:
        form = await open_form(pilot)
        form.query_one("#period_from", Input).value = "2023"
        await pilot.pause()
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is form  # first Esc only warns
        if press_twice:
            await pilot.press("escape")
            await settle(pilot)
            assert isinstance(app.screen, HomeScreen)


async def test_saving_twice_in_a_row_creates_one_audit(sample_home: Path, make) -> None:
    with open_store(sample_home) as store:
        unit = next(u for u in list_units(store) if u.name == UNIT)
    before = audit_ids(sample_home)
    app = make(sample_home)
    async with app.run_test(size=(100, 32)) as pilot:
        form = await open_form(pilot)
        form.query_one("#unit", Select).value = unit.id
        await pilot.pause()
        form.action_save()
        form.action_save()  # a second Ctrl+S before the first has been written
        await settle(pilot)
    assert len(audit_ids(sample_home) - before) == 1
