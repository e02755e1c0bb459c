"""Snapshots of the finding editor, the findings list and the history screen at 100×32 and
at 80×24 (the smallest supported size).

Deterministic: a copy of the committed sample, 'today' frozen at 2026-11-23, Chinese UI,
pinned Textual. Update with ``pytest tests/tui_tests/test_snapshots_findings.py
--snapshot-update`` only after looking at the report of the differences.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from tests.tui_tests.conftest import open_store, settle
from tui import navigation

SIZES = [pytest.param((100, 32), id="100x32"), pytest.param((80, 24), id="80x24")]
UNIT = "石桥环保科技有限公司工会委员会"  # an audit in fieldwork, 11 findings


def _audit(db: Path) -> str:
    with open_store(db) as store:
        return store.query("SELECT a.id FROM audits a JOIN units u ON u.id = a.unit_id "
                           "WHERE u.name = ? AND a.status = 'fieldwork'", [UNIT])[0]["id"]


def _first_finding(db: Path) -> tuple[str, str]:
    with open_store(db) as store:
        row = store.query("SELECT f.id, f.audit_id FROM findings f JOIN audits a "
                          "ON a.id = f.audit_id JOIN units u ON u.id = a.unit_id "
                          "WHERE u.name = ? AND f.violation_fen > 0 ORDER BY f.item_code "
                          "LIMIT 1", [UNIT])[0]
    return row["id"], row["audit_id"]


@pytest.mark.parametrize("size", SIZES)
def test_finding_editor(snap_compare, sample_home: Path, make, size) -> None:
    """You should see 审计问题 with 石桥环保科技有限公司工会委员会 · 2025年度 on top, then
    问题标题, 问题性质 违纪违规, 违规金额 typed as 1,234.50 with 人民币壹仟贰佰叁拾肆元伍角
    under it, 管理不规范金额 typed as abc with the message that it is not an amount, and
    事实摘要; the footer shows ^s 保存, esc 返回, ^o 添加证据, ^t 整改状态, ^l 修改记录."""
    finding_id, audit_id = _first_finding(sample_home)

    async def edit(pilot: Pilot) -> None:
        await settle(pilot)
        navigation.open_finding(pilot.app, finding_id, audit_id)
        await settle(pilot)
        pilot.app.screen.query_one("#violation", Input).value = "1,234.50"
        pilot.app.screen.query_one("#irregular", Input).value = "abc"
        pilot.app.screen.query_one("#nature").focus()  # no blinking text cursor in the picture
        await pilot.pause()

    assert snap_compare(make(sample_home), terminal_size=size, run_before=edit)


@pytest.mark.parametrize("size", SIZES)
def test_findings_list(snap_compare, sample_home: Path, make, size) -> None:
    """You should see 审计问题 for 石桥环保科技有限公司工会委员会 (its 11 findings in checklist
    order), the filter bar (全部状态, 全部性质, 全部领域), the columns 事项 ▼, 问题, 性质 (only at
    100 wide), 整改状态, 整改期限, 违规金额, 不规范金额 with amounts right-aligned, and the
    totals line 显示 11 条，共 11 条 with both sums; the footer offers a 新增问题 and o 排序."""
    audit_id = _audit(sample_home)

    async def open_list(pilot: Pilot) -> None:
        await settle(pilot)
        navigation.open_findings(pilot.app, audit_id)
        await settle(pilot)

    assert snap_compare(make(sample_home), terminal_size=size, run_before=open_list)


@pytest.mark.parametrize("size", SIZES)
def test_all_findings(snap_compare, sample_home: Path, make, size) -> None:
    """You should see 全部审计问题: 413 findings sorted by unit (单位 ▼), unit names cut with …,
    the unit filter in the bar, and 显示 413 条，共 413 条 with 7,759,305.00 and 5,714,357.50."""

    async def open_list(pilot: Pilot) -> None:
        await settle(pilot)
        await pilot.press("f")
        await settle(pilot)

    assert snap_compare(make(sample_home), terminal_size=size, run_before=open_list)


def test_history(snap_compare, sample_home: Path, make, monkeypatch) -> None:
    """You should see 修改记录 with the count, the finding's changes newest first (the 销号 or
    status moves by the county's master device first, then the fields it was created with) and
    the highlighted change in full under the table."""
    monkeypatch.setenv("TZ", "Asia/Shanghai")  # local times must not depend on the machine
    time.tzset()
    finding_id, _audit_id = _first_finding(sample_home)

    async def open_history(pilot: Pilot) -> None:
        await settle(pilot)
        navigation.open_history(pilot.app, "findings", finding_id, "超标准发放节日慰问品")
        await settle(pilot)

    try:
        assert snap_compare(make(sample_home), terminal_size=(100, 32),
                            run_before=open_history)
    finally:
        monkeypatch.undo()
        time.tzset()
