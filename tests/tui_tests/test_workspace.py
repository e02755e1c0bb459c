"""The audit workspace driven as a user would, from Home, with the database checked after.

The sample county's auditor A01 (王建华) leads 石桥酿造 (fieldwork since 2026-11-16, 20/70
answered, findings on B1 and B4) and is not on 石桥环保's team (fieldwork since 2026-11-09,
led by T01 张志强).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input, Label

from store.answers import get_answer
from store.audits import get_audit, list_audits
from store.devices import current_auditor_id
from store.enums import AnswerResult, AuditStatus
from store.records import encode, field_writes
from store.worklist import my_audits
from store.workspace import matches
from tests.tui_tests.conftest import open_store, settle
from tui import navigation
from tui.keys import key_help
from tui.screens.home import HomeScreen
from tui.screens.workspace import AuditWorkspaceScreen
from tui.screens.workspace_confirm import WorkspaceConfirm
from tui.widgets.checklist_detail import ChecklistDetail
from tui.widgets.checklist_tree import ChecklistTree

SIZE = (100, 32)


def _mine(db: Path) -> tuple[str, str]:
    """(audit id, my auditor id) of the audit Home lists first."""
    with open_store(db) as store:
        me = current_auditor_id(store) or ""
        return my_audits(store, me)[0].id, me


def _answer(db: Path, audit_id: str, code: str):
    with open_store(db) as store:
        return get_answer(store, audit_id, code)


def _changes(db: Path, record_id: str, field: str) -> list[dict]:
    """The logged edits of one field (its value at creation left out), oldest first; a
    write of several fields counts once for each."""
    with open_store(db) as store:
        rows = store.query("SELECT field, old, new, base, auditor FROM changes "
                           "WHERE rid = ? AND field != '*' ORDER BY stamp", [record_id])
        return [{"new": encode(new), "auditor": r["auditor"]} for r in rows
                for name, _, new, _ in field_writes(r["field"], r["old"], r["new"], r["base"])
                if name == field]


def _label(app, code: str) -> str:
    tree = app.screen.query_one(ChecklistTree)
    return str(tree._items[code].label)  # noqa: SLF001


def detail_of(screen) -> str:
    """The detail pane's text (it breaks lines itself, at its width)."""
    return screen.query_one(ChecklistDetail).plain


def _notices(app) -> list[str]:
    return [str(n.message) for n in app._notifications]  # noqa: SLF001


async def _open_from_home(pilot) -> AuditWorkspaceScreen:
    await settle(pilot)
    await pilot.press("enter")  # Home: the first of my audits
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, AuditWorkspaceScreen)
    return screen


async def test_answers_typed_with_keys_are_saved_at_once(sample_home: Path, make) -> None:
    audit_id, me = _mine(sample_home)
    app = make(sample_home)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open_from_home(pilot)
        assert screen.audit_id == audit_id
        assert screen.item_code == "C5"  # the first item not yet checked
        assert "0/6" not in str(screen.query_one(ChecklistTree)._areas["C"].label)  # noqa: SLF001
        unsynced = app.shell_status.unsynced
        await pilot.press("1")
        await settle(pilot)
        assert _answer(sample_home, audit_id, "C5").result == AnswerResult.COMPLIANT
        assert _label(app, "C5").startswith("✓ C5")
        assert "5/6" in str(screen.query_one(ChecklistTree)._areas["C"].label)  # noqa: SLF001
        assert app.shell_status.unsynced > unsynced  # the header counts the new change
        await pilot.press("j", "4")
        await settle(pilot)
        assert screen.item_code == "C6"
        assert _answer(sample_home, audit_id, "C6").result == AnswerResult.NOT_APPLICABLE
        await pilot.press("0")
        await settle(pilot)
        c6 = _answer(sample_home, audit_id, "C6")
        assert c6.result == AnswerResult.UNCHECKED
        assert [r["new"] for r in _changes(sample_home, c6.id, "result")] == [
            '"不适用"', '"未检查"']
        assert {r["auditor"] for r in _changes(sample_home, c6.id, "result")} == {me}
        await pilot.press("k", "up")
        await settle(pilot)
        assert screen.item_code == "C4"


async def test_headers_count_the_answer_on_this_screen_and_on_home_after(sample_home: Path,
                                                                          make) -> None:
    """The workspace's header counts the new change at once; Home's (covered meanwhile) shows
    the same count when the auditor goes back."""
    app = make(sample_home)
    async with app.run_test(size=SIZE) as pilot:
        await _open_from_home(pilot)
        before = app.shell_status.unsynced
        await pilot.press("1")
        await settle(pilot)
        after = app.shell_status.unsynced
        assert after > before
        shown = str(app.screen.query_one("#header-status", Label).render())
        assert f"未同步变更：{after}" in shown
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert f"未同步变更：{after}" in str(app.screen.query_one("#header-status", Label).render())


async def test_an_answer_typed_right_after_a_move_goes_to_the_new_item(sample_home: Path,
                                                                        make) -> None:
    """Keys typed fast reach the screen before the tree's ItemSelected message: j then 1
    must still answer the item j moved to."""
    audit_id, _ = _mine(sample_home)
    app = make(sample_home)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open_from_home(pilot)
        tree = screen.query_one(ChecklistTree)
        tree.action_next_item()  # no pause: the message has not been handled yet
        screen.action_answer("1")
        tree.action_next_item()
        screen.action_answer("4")
        await settle(pilot)
        assert _answer(sample_home, audit_id, "C5").result == AnswerResult.UNCHECKED
        assert _answer(sample_home, audit_id, "C6").result == AnswerResult.COMPLIANT
        assert _answer(sample_home, audit_id, "D1").result == AnswerResult.NOT_APPLICABLE
        assert screen.item_code == "D1" and "D1" in detail_of(screen)
        screen.action_answer("1")  # D1 again and back before the first write is read back
        screen.action_answer("4")
        await settle(pilot)
        assert _answer(sample_home, audit_id, "D1").result == AnswerResult.NOT_APPLICABLE
        d1 = _answer(sample_home, audit_id, "D1")
        assert [r["new"] for r in _changes(sample_home, d1.id, "result")] == [
            '"不适用"', '"符合"', '"不适用"']


async def test_noncompliant_offers_a_finding_prefilled_from_the_item(sample_home: Path,
                                                                    make) -> None:
    editor = pytest.importorskip("tui.screens.finding_editor")
    audit_id, _ = _mine(sample_home)
    app = make(sample_home)
    async with app.run_test(size=SIZE) as pilot:
        await _open_from_home(pilot)
        await pilot.press("2")
        await settle(pilot)
        assert isinstance(app.screen, WorkspaceConfirm)
        await pilot.press("n")  # not now
        await settle(pilot)
        assert isinstance(app.screen, AuditWorkspaceScreen)
        assert _answer(sample_home, audit_id, "C5").result == AnswerResult.NONCOMPLIANT
        await pilot.press("j", "3")
        await settle(pilot)
        assert isinstance(app.screen, WorkspaceConfirm)
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, editor.FindingEditorScreen)
        assert app.screen.audit_id == audit_id and app.screen.finding_id is None
        assert app.screen.prefill["item_code"] == "C6"
        assert app.screen.prefill["area_code"] == "C"
        assert app.screen.prefill["title"]
        assert _answer(sample_home, audit_id, "C6").result == AnswerResult.PARTIAL


async def test_b1_already_has_a_finding_so_no_dialog(sample_home: Path, make) -> None:
    app = make(sample_home)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open_from_home(pilot)
        await pilot.press("slash")
        screen.query_one("#ws-jump", Input).value = "B1"
        await pilot.press("enter")
        await settle(pilot)
        assert screen.item_code == "B1"
        assert "⚑" in _label(app, "B1")
        await pilot.press("2")
        await settle(pilot)
        assert isinstance(app.screen, AuditWorkspaceScreen)
        assert any("已有1个问题" in n for n in _notices(app))


async def test_note_saved_with_enter_and_discarded_with_esc_twice(sample_home: Path,
                                                                  make) -> None:
    audit_id, _ = _mine(sample_home)
    app = make(sample_home)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open_from_home(pilot)
        note = screen.query_one("#ws-note", Input)
        await pilot.press("n")
        assert note.has_focus
        await pilot.press("a", "b")
        note.insert_text_at_cursor("凭证第12号")
        await pilot.pause()
        assert screen.has_unsaved_changes
        await pilot.press("enter")
        await settle(pilot)
        assert not screen.has_unsaved_changes
        assert screen.query_one(ChecklistTree).has_focus
        assert _answer(sample_home, audit_id, "C5").note == "ab凭证第12号"
        assert _answer(sample_home, audit_id, "C5").result == AnswerResult.UNCHECKED

        await pilot.press("n", "x", "y", "z")
        assert screen.has_unsaved_changes
        await pilot.press("escape")
        await settle(pilot)
        assert note.has_focus and screen.has_unsaved_changes  # asked, not discarded
        assert isinstance(app.screen, AuditWorkspaceScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert not screen.has_unsaved_changes
        assert note.value == "ab凭证第12号"
        assert _answer(sample_home, audit_id, "C5").note == "ab凭证第12号"
        await pilot.press("escape")  # now Esc leaves the workspace
        await settle(pilot)
        assert not isinstance(app.screen, AuditWorkspaceScreen)


async def test_filters_and_jumps(sample_home: Path, make) -> None:
    audit_id, _ = _mine(sample_home)
    with open_store(sample_home) as store:
        unanswered = [r["item_code"] for r in store.query(
            "SELECT item_code FROM answers WHERE audit_id = ? AND result = '未检查'",
            [audit_id])]
    app = make(sample_home)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open_from_home(pilot)
        tree = screen.query_one(ChecklistTree)
        assert len(tree.shown_codes) == 70
        await pilot.press("u")
        await settle(pilot)
        assert sorted(tree.shown_codes) == sorted(unanswered)
        assert "筛选：未检查" in str(screen.query_one("#ws-status").render())
        await pilot.press("f")
        await settle(pilot)
        assert tree.shown_codes == ["B1", "B4"]
        assert screen.item_code == "B1"
        await pilot.press("j")
        assert screen.item_code == "B4"
        await pilot.press("f")
        await settle(pilot)
        assert len(tree.shown_codes) == 70 and screen.item_code == "B4"

        await pilot.press("slash")
        screen.query_one("#ws-jump", Input).value = "节日慰问品"
        await pilot.press("enter")
        await settle(pilot)
        assert screen.item_code == "E1"
        assert "全年节日慰问品" in detail_of(screen)
        assert "2,000.00" in detail_of(screen)  # the Anhui cap
        await pilot.press("slash")
        screen.query_one("#ws-jump", Input).value = "慰问"
        await pilot.press("enter")
        await settle(pilot)
        found = matches(screen.view, "慰问")
        assert screen.item_code == found[0] and len(found) > 2
        await pilot.press("slash", "enter")  # the same search again: its next match
        await settle(pilot)
        assert screen.item_code == found[1]
        await pilot.press("slash")
        screen.query_one("#ws-jump", Input).value = "e1"
        await pilot.press("enter")  # a new search starts at its first match
        await settle(pilot)
        assert screen.item_code == "E1"
        await pilot.press("slash")
        screen.query_one("#ws-jump", Input).value = "zzz"
        await pilot.press("enter")
        await settle(pilot)
        assert any("zzz" in n for n in _notices(app))
        await pilot.press("escape")
        assert not screen.query_one("#ws-jump", Input).display
        assert screen.item_code == "E1"


async def test_the_leader_reviews_and_a_later_edit_shows(sample_home: Path, make) -> None:
    audit_id, me = _mine(sample_home)
    app = make(sample_home)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open_from_home(pilot)
        screen.query_one(ChecklistTree).select_item("A1")
        await pilot.press("r")
        await settle(pilot)
        a1 = _answer(sample_home, audit_id, "A1")
        assert a1.reviewed_by == me and a1.reviewed_stamp
        assert "✔" in _label(app, "A1")
        await pilot.press("4")
        await settle(pilot)
        assert "✎" in _label(app, "A1")
        assert "复核后有修改" in detail_of(screen)
        await pilot.press("r")
        await settle(pilot)
        assert "✔" in _label(app, "A1")
        assert len(_changes(sample_home, a1.id, "reviewed_stamp")) == 2


async def test_a_team_member_who_is_not_leader_is_refused(sample_home: Path, make) -> None:
    with open_store(sample_home) as store:
        other = next(a for a in list_audits(store, "a.status = 'fieldwork'")
                     if a.leader_name != "王建华")
    app = make(sample_home)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        navigation.open_workspace(app, other.id, "A1")
        await settle(pilot)
        assert app.screen.item_code == "A1"
        await pilot.press("r")
        await settle(pilot)
        assert any(f"只有本次审计的组长（{other.leader_name}）可以复核" in n
                   for n in _notices(app))
        assert _answer(sample_home, other.id, "A1").reviewed_by is None


async def test_advancing_with_unchecked_items_asks_first(sample_home: Path, make) -> None:
    audit_id, _ = _mine(sample_home)
    app = make(sample_home)
    async with app.run_test(size=SIZE) as pilot:
        await _open_from_home(pilot)
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, WorkspaceConfirm)
        shown = " ".join(str(label.render()) for label in app.screen.query(".ws-issue"))
        assert "还有50个事项未检查" in shown
        await pilot.press("escape")  # no
        await settle(pilot)
        assert isinstance(app.screen, AuditWorkspaceScreen)
        with open_store(sample_home) as store:
            assert get_audit(store, audit_id).status == AuditStatus.FIELDWORK
        await pilot.press("s")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        with open_store(sample_home) as store:
            assert get_audit(store, audit_id).status == AuditStatus.REPORTED
            assert store.query("SELECT new FROM changes WHERE rid = ? AND field = 'status'",
                               [audit_id])[-1]["new"] == '"reported"'
        assert "已出报告" in str(app.screen.query_one("#ws-status").render())


async def test_quit_and_relaunch_reopens_the_same_item(sample_home: Path, make) -> None:
    audit_id, _ = _mine(sample_home)
    app = make(sample_home)
    async with app.run_test(size=SIZE) as pilot:
        await _open_from_home(pilot)
        await pilot.press("j", "j", "1")
        await settle(pilot)
        await pilot.press("q")
        await pilot.pause()
    assert _answer(sample_home, audit_id, "D1").result == AnswerResult.COMPLIANT
    app = make(sample_home)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, AuditWorkspaceScreen)
        assert (app.screen.audit_id, app.screen.item_code) == (audit_id, "D1")
        assert app.screen.query_one(ChecklistTree).current_code == "D1"


async def test_every_key_is_in_help(sample_home: Path, make) -> None:
    app = make(sample_home)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open_from_home(pilot)
        described = {line.description for line in key_help(screen)}
        for text in ("符合", "不符合", "部分符合", "不适用", "清除结论", "备注", "跳转",
                     "只看未检查", "只看有问题", "登记问题", "问题清单", "修改记录", "复核",
                     "推进状态", "文书", "下一项", "上一项"):
            assert text in described, text
        await pilot.press("f1")
        await settle(pilot)
        assert type(app.screen).__name__ == "HelpScreen"


async def test_coming_back_shows_findings_added_meanwhile(sample_home: Path, make) -> None:
    audit_id, me = _mine(sample_home)
    app = make(sample_home)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open_from_home(pilot)
        assert "⚑" not in _label(app, "C5")
        await pilot.press("f1")  # another screen on top, as the finding editor would be
        await settle(pilot)
        with open_store(sample_home) as store:
            from store.findings import add_finding

            add_finding(store, me, audit_id=audit_id, title="决算未经审查", nature="管理不规范",
                        area_code="C", item_code="C5")
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen
        assert "⚑" in _label(app, "C5")
        assert "问题 3 个" in str(screen.query_one("#ws-status").render())
        assert "问题 1 个" in detail_of(screen)


async def test_findings_list_and_history_open_for_this_audit(sample_home: Path, make) -> None:
    findings_list = pytest.importorskip("tui.screens.findings_list")
    history = pytest.importorskip("tui.screens.history")
    audit_id, _ = _mine(sample_home)
    app = make(sample_home)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open_from_home(pilot)
        await pilot.press("F")
        await settle(pilot)
        assert isinstance(app.screen, findings_list.FindingsListScreen)
        assert app.screen.audit_id == audit_id
        app.pop_screen()
        await settle(pilot)
        await pilot.press("h")
        await settle(pilot)
        assert isinstance(app.screen, history.HistoryScreen)
        c5 = _answer(sample_home, audit_id, "C5")
        assert screen.item_code == "C5"
        assert (app.screen.table_name, app.screen.record_id) == ("answers", c5.id)
        assert app.screen.record_title.startswith("C5 是否按时编制年度决算")


async def test_a_new_audit_shows_the_previous_audits_finding_on_the_item(sample_home: Path,
                                                                       make) -> None:
    """A unit audited before: its last audit's finding on the item is shown beside it."""
    from datetime import date

    from store.audits import create_audit

    with open_store(sample_home) as store:
        me = current_auditor_id(store)
        last = store.query(
            "SELECT a.unit_id, a.period_from, a.period_to, f.title FROM audits a "
            "JOIN findings f ON f.audit_id = a.id WHERE a.deleted = 0 AND f.deleted = 0 "
            "AND f.item_code = 'A8' AND a.planned_start = (SELECT max(planned_start) "
            "FROM audits b WHERE b.unit_id = a.unit_id AND b.deleted = 0) LIMIT 1")[0]
        audit = create_audit(store, me, unit_id=last["unit_id"], type="经费收支审计",
                             period_from=2025, period_to=2025, leader_id=me,
                             planned_start=date(2026, 12, 21), planned_end=date(2026, 12, 25),
                             template_id="grassroots-revenue", template_version=1)
    app = make(sample_home)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        navigation.open_workspace(app, audit.id, "A8")
        await settle(pilot)
        detail = detail_of(app.screen)
        assert "上次审计发现的问题" in detail
        assert f"{last['period_from']}—{last['period_to']}年度：{last['title']}" in detail
        await pilot.press("k")
        await settle(pilot)
        assert app.screen.item_code == "A7"
        shown = "上次审计发现的问题" in detail_of(app.screen)
        assert shown == bool(app.screen.view.previous.get("A7"))


async def test_p_opens_the_audits_documents(sample_home: Path, make) -> None:
    documents = pytest.importorskip("tui.screens.documents")
    audit_id, _ = _mine(sample_home)
    app = make(sample_home)
    async with app.run_test(size=SIZE) as pilot:
        await _open_from_home(pilot)
        await pilot.press("p")
        await settle(pilot)
        assert isinstance(app.screen, documents.DocumentsScreen)
        assert app.screen.audit_id == audit_id


async def test_an_audit_that_is_gone_closes_with_a_notice(sample_home: Path, make) -> None:
    app = make(sample_home)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        navigation.open_workspace(app, "01900000-0000-7000-8000-000000000000")
        await settle(pilot)
        assert not isinstance(app.screen, AuditWorkspaceScreen)
        assert any(n.startswith("找不到记录") for n in _notices(app))


async def test_the_detail_moves_with_the_cursor_in_one_frame(sample_home: Path, make) -> None:
    """j redraws the tree's cursor and the detail pane in the same frame: the first frame the
    terminal gets after the key already shows the next item (it lagged a frame behind)."""
    from tests.tui_tests.terminal_model import TerminalModel, drawn_now

    app = make(sample_home)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open_from_home(pilot)
        terminal = TerminalModel(*SIZE).attach(app)
        frames = terminal.shown
        app.screen.refresh()
        await settle(pilot)
        for _ in range(3):
            before = screen.item_code
            frames.clear()
            await pilot.press("j")
            await settle(pilot)
            code = screen.item_code
            assert code != before and frames
            first = frames[0]
            detail_header = next(line for line in first if f"{code} " in line and "▕" in line)
            assert detail_header.split("▕", 1)[1].strip().startswith(code), first
            assert terminal.text() == drawn_now(app)
