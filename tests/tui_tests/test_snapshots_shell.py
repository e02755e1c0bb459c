"""Snapshots of the shell's key screens at 100×32 and at 80×24 (the smallest supported size).

Deterministic: a copy of the committed sample, 'today' frozen at 2026-11-23, Chinese UI,
pinned Textual. Update with ``pytest tests/tui_tests/test_snapshots_shell.py
--snapshot-update`` only after looking at the report of the differences.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from tests.tui_tests.conftest import settle

SIZES = [pytest.param((100, 32), id="100x32"), pytest.param((80, 24), id="80x24")]


async def to_units(pilot: Pilot) -> None:
    await settle(pilot)
    await pilot.press("g", "u")
    await settle(pilot)


@pytest.mark.parametrize("size", SIZES)
def test_home(snap_compare, sample_home: Path, make, size) -> None:
    """You should see the header (首页, 王建华 · sample.db · 未同步变更：1), then 我的审计（6）
    with 青山物流有限公司 in fieldwork (70/70, 8 findings, 221,221.50) first, 到期应审单位（32）
    starting with units never audited, 整改逾期（116） with the 1298-day-late findings of
    青山建材有限责任公司 first, and the footer with n 新建审计, f 全部问题, f1 帮助, g h/u, q 退出.
    At 80×24 every column of 我的审计 is still visible; problem titles end in …."""
    assert snap_compare(make(sample_home), terminal_size=size, run_before=settle)


@pytest.mark.parametrize("size", SIZES)
def test_units(snap_compare, sample_home: Path, make, size) -> None:
    """You should see the roster: the search box with its pinyin hint and the 全部单位 filter,
    80 units by name (short names without 工会委员会), last audit, due date (应即审计 for units
    never audited, 非直管 for units not directly managed), open findings, members and the
    credit code (cut at 80×24), and 显示 80 个，共 80 个基层工会 under the table."""
    assert snap_compare(make(sample_home), terminal_size=size, run_before=to_units)


def test_units_search_pinyin(snap_compare, sample_home: Path, make) -> None:
    """You should see "dljx" in the search box and exactly two units: 大连机械制造有限责任公司
    and 大连精细化工青山分公司, with 显示 2 个，共 80 个基层工会."""

    async def search(pilot: Pilot) -> None:
        await to_units(pilot)
        pilot.app.screen.query_one(Input).value = "dljx"
        await pilot.pause()

    assert snap_compare(make(sample_home), terminal_size=(80, 24), run_before=search)


def test_first_run(snap_compare, sample_first_run: Path, make) -> None:
    """You should see 首次使用 with an empty auditor in the header, the five auditors of the
    county (A01 王建华 highlighted) and the register entry last, the laptop's name
    (test-laptop) and the 开始使用（Ctrl+S） button, all within 80×24."""
    assert snap_compare(make(sample_first_run), terminal_size=(80, 24), run_before=settle)


def test_new_audit_form(snap_compare, sample_home: Path, make) -> None:
    """You should see the new-audit form at 80×24: unit still to choose, 经费收支审计, period
    2025 to 2025, the template 基层工会经费收支审计（第1版，70项）, leader 王建华, the four other
    auditors as members, and planned dates 2026-11-23 and 2026-11-27, with the buttons."""

    async def open_form(pilot: Pilot) -> None:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)

    assert snap_compare(make(sample_home), terminal_size=(80, 24), run_before=open_form)


def test_help(snap_compare, sample_home: Path, make) -> None:
    """You should see the help dialog over Home listing n 新建审计, f 全部问题, r / f5 刷新
    (本页), then f1 / ? 帮助, g h/u 首页/名册, q 退出 and ^p 命令面板 (全局)."""

    async def help_(pilot: Pilot) -> None:
        await settle(pilot)
        await pilot.press("f1")
        await settle(pilot)

    assert snap_compare(make(sample_home), terminal_size=(80, 24), run_before=help_)
