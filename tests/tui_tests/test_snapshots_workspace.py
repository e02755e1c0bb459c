"""Snapshots of the audit workspace at 100×32 and at 80×24 (the smallest supported size).

Deterministic like the shell's snapshots: a copy of the committed sample, 'today' frozen at
2026-11-23, Chinese UI. Update with ``pytest tests/tui_tests/test_snapshots_workspace.py
--snapshot-update`` only after looking at the report of the differences.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot

from tests.tui_tests.conftest import settle

SIZES = [pytest.param((100, 32), id="100x32"), pytest.param((80, 24), id="80x24")]


async def to_workspace(pilot: Pilot) -> None:
    await settle(pilot)
    await pilot.press("enter")  # Home: 石桥酿造, the first of my audits
    await settle(pilot)


@pytest.mark.parametrize("size", SIZES)
def test_workspace(snap_compare, sample_home: Path, make, size) -> None:
    """You should see 审计工作台 · 石桥酿造有限公司 in the header, the checklist on the left
    (A 组织与内部控制 9/9, B 资金与银行 7/7 with ◐ and ⚑ on B1 and B4, C 预算管理 4/6) with
    the cursor on C5, the first unchecked item; on the right C5's area, result 未检查, its
    question, method and basis; across the screen the legend 1✓符合 2✗不符合 … ✎复核后有修改,
    备注 with its hint, 现场审计 · 已检查 20/70 · 问题 2 个 · 组长 王建华, and the footer
    1 符合  n 备注  / 跳转  c 登记问题  F 问题清单  r 复核  s 推进状态 whole even at 80×24.
    Chinese text lines up in both panes and at 80×24 the tree's questions end at the pane's
    edge."""
    assert snap_compare(make(sample_home), terminal_size=size, run_before=to_workspace)


def test_workspace_answered_and_filtered(snap_compare, sample_home: Path, make) -> None:
    """You should see, at 100×32, only the items still unchecked (筛选：未检查 in the status
    line) after C5 was answered 符合 (✓ C5 stays listed) and the cursor moved to C6; the
    status line reads 已检查 21/70 and area C shows 5/6."""

    async def answer_and_filter(pilot: Pilot) -> None:
        await to_workspace(pilot)
        await pilot.press("u")
        await settle(pilot)
        await pilot.press("1", "j")
        await settle(pilot)

    assert snap_compare(make(sample_home), terminal_size=(100, 32),
                        run_before=answer_and_filter)


def test_advance_dialog(snap_compare, sample_home: Path, make) -> None:
    """You should see, at 80×24, the dialog 将审计状态由“现场审计”推进到“已出报告”？ with
    ！需确认：还有50个事项未检查 (codes listed, cut with …) and the warning about items not
    reviewed, then y / 回车 确定    n / Esc 取消."""

    async def advance(pilot: Pilot) -> None:
        await to_workspace(pilot)
        await pilot.press("s")
        await settle(pilot)

    assert snap_compare(make(sample_home), terminal_size=(80, 24), run_before=advance)
