"""The app keeps one finding editor and reopens it (building one took ~300 ms): each opening
must show only its own finding, whatever the previous one left in the fields, in its workers
or in flight, and keys typed while the finding is read are kept."""

from __future__ import annotations

import asyncio
import gc
import weakref
from pathlib import Path

from textual.widgets import DataTable, Input, Label, Select, TextArea
from textual.widgets._footer import FooterKey

from store.findings import get_finding
from store.i18n import t
from tests.tui_tests.conftest import open_store, settle
from tests.tui_tests.terminal_model import TerminalModel, drawn_now
from tests.tui_tests.test_finding_editor import fieldwork_audit, finding_ids, note, open_editor
from tui import navigation
from tui.screens.finding_dialogs import DiscardChangesModal
from tui.screens.finding_editor import FindingEditorScreen
from tui.screens.workspace import PREPARE_EDITOR_AFTER, AuditWorkspaceScreen
from tui.widgets.steady_footer import SteadyFooter

PREFILL = {"title": "会计出纳不相容岗位未分离", "nature": "管理不规范",
           "area_code": "A", "item_code": "A6", "basis": "《工会会计制度》"}


def fields(editor: FindingEditorScreen) -> dict[str, object]:
    """What the user sees in every field."""
    shown: dict[str, object] = {
        name: editor.query_one(f"#{name}", Input).value
        for name in ("title", "violation", "irregular", "deadline")}
    shown |= {name: editor.query_one(f"#{name}", TextArea).text
              for name in ("facts", "basis", "recommendation", "response")}
    shown |= {name: editor.query_one(f"#{name}", Select).value
              for name in ("nature", "area", "item", "rectify_mode")}
    shown["status"] = str(editor.query_one("#rectify_status", Label).render())
    shown["evidence"] = editor.query_one("#evidence", DataTable).row_count
    shown["notes"] = [n for n in ("title", "violation", "irregular", "deadline")
                      if editor.query_one(f"#{n}-note", Label).display]
    return shown


def rich_finding(db: Path, audit_id: str) -> str:
    """A finding of the audit with amounts, a deadline and facts (most fields filled)."""
    with open_store(db) as store:
        return store.query("SELECT id FROM findings WHERE audit_id = ? AND deleted = 0 "
                           "AND violation_fen > 0 AND deadline IS NOT NULL AND facts != '' "
                           "ORDER BY id LIMIT 1", [audit_id])[0]["id"]


async def open_first_audit(pilot) -> None:
    """From Home, the first of my audits, in its workspace."""
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)
    assert isinstance(pilot.app.screen, AuditWorkspaceScreen)


async def pause_for_the_editor(pilot) -> None:
    """Long enough without a key for the workspace to build the editor ahead."""
    await asyncio.sleep(PREPARE_EDITOR_AFTER + 0.3)
    await settle(pilot)


async def test_reopened_editor_shows_exactly_what_a_new_one_shows(sample_home: Path,
                                                                  make) -> None:
    """Every opening of the reused editor equals a freshly built editor's, after any other."""
    audit_id = fieldwork_audit(sample_home)
    full = rich_finding(sample_home, audit_id)
    app = make(sample_home)
    async with app.run_test(size=(100, 32)) as pilot:
        fresh: dict[str, dict[str, object]] = {}
        for name, args in [("full", (full, audit_id)), ("new", (None, audit_id)),
                           ("prefill", (None, audit_id, PREFILL))]:
            editor = FindingEditorScreen(*args)  # built for this opening alone
            app.push_screen(editor)
            await settle(pilot)
            fresh[name] = fields(editor)
            await pilot.press("escape")
            await settle(pilot)
        assert fresh["full"]["violation"] and fresh["full"]["facts"] and fresh["full"]["notes"]
        assert fresh["prefill"]["title"] == PREFILL["title"]

        first = await open_editor(pilot, full, audit_id)
        # leave traces everywhere: typed text, a bad amount with its note, a scrolled form
        first.query_one("#violation", Input).value = "abc"
        first.query_one("#title", Input).value = ""
        first.query_one("#response", TextArea).load_text("单位回复")
        assert first.collect(focus_wrong=False) is None  # shows what is wrong
        first.query_one("#response", TextArea).focus()
        await pilot.pause()
        assert note(first, "violation") and note(first, "title")
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("y")  # discard
        await settle(pilot)
        for name, args in [("prefill", (None, audit_id, PREFILL)), ("full", (full, audit_id)),
                           ("new", (None, audit_id)), ("full", (full, audit_id)),
                           ("prefill", (None, audit_id, PREFILL))]:
            editor = await open_editor(pilot, *args)
            assert editor is first  # the same screen, reopened
            assert fields(editor) == fresh[name], name
            assert app.focused is editor.query_one("#title", Input)
            assert editor.query_one("#finding-form").scroll_y == 0
            assert not editor.has_unsaved_changes
            assert editor.title == t("findings_ui.editor_title_new" if args[0] is None
                                     else "findings_ui.editor_title")
            editor.query_one("#recommendation", TextArea).focus()
            await pilot.press("escape")
            await settle(pilot)
            assert not isinstance(app.screen, FindingEditorScreen)
    with open_store(sample_home) as store:  # nothing was saved by all this
        assert get_finding(store, full).violation_fen > 0


async def test_a_late_read_or_save_never_lands_in_the_next_finding(sample_home: Path,
                                                                   make) -> None:
    audit_id = fieldwork_audit(sample_home)
    one, other = sorted(finding_ids(sample_home, audit_id))[:2]
    with open_store(sample_home) as store:
        other_title = get_finding(store, other).title
    before = finding_ids(sample_home, audit_id)
    app = make(sample_home)
    async with app.run_test(size=(100, 32)) as pilot:
        editor = await open_editor(pilot, one, audit_id)
        await pilot.press("escape")
        await settle(pilot)
        # opened on one finding and, before its read is back, closed and opened on another
        navigation.open_finding(app, one, audit_id)
        app.pop_screen()
        navigation.open_finding(app, other, audit_id)
        await settle(pilot)
        assert app.screen is editor and editor.finding_id == other
        assert editor.query_one("#title", Input).value == other_title
        # a save on its way when the editor closes and reopens on a new finding
        editor.query_one("#title", Input).value = "改过的标题"
        editor.action_save()
        app.pop_screen()
        navigation.open_finding(app, None, audit_id, PREFILL)
        await settle(pilot)
        assert editor.finding_id is None
        assert editor.query_one("#title", Input).value == PREFILL["title"]
        assert not editor.has_unsaved_changes
    with open_store(sample_home) as store:
        assert get_finding(store, other).title == "改过的标题"  # that save did happen
    assert finding_ids(sample_home, audit_id) == before  # and added nothing


async def test_keys_typed_while_the_finding_is_read_are_kept(sample_home: Path, make) -> None:
    """c, then typing at once: the letters follow the suggested title instead of vanishing,
    and count as unsaved."""
    audit_id = fieldwork_audit(sample_home)
    with open_store(sample_home) as store:  # another audit: nothing of it has been read yet
        elsewhere = store.query("SELECT id FROM audits WHERE id != ? LIMIT 1",
                                [audit_id])[0]["id"]
    app = make(sample_home)
    async with app.run_test(size=(100, 32)) as pilot:
        editor = await open_editor(pilot, None, audit_id)
        await pilot.press("escape")
        await settle(pilot)
        navigation.open_finding(app, None, elsewhere, PREFILL)
        assert editor.context is None  # still being read
        app.set_focus(editor.query_one("#title", Input))
        editor.query_one("#title", Input).insert_text_at_cursor("（食堂）")
        await settle(pilot)
        title = editor.query_one("#title", Input)
        assert title.value == PREFILL["title"] + "（食堂）"
        assert title.cursor_position == len(title.value)
        assert editor.has_unsaved_changes
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, DiscardChangesModal)  # asked first
        await pilot.press("y")
        await settle(pilot)
        assert not isinstance(app.screen, (FindingEditorScreen, DiscardChangesModal))


async def test_one_editor_is_kept_and_rebuilt_after_a_language_switch(sample_home: Path,
                                                                      make) -> None:
    audit_id = fieldwork_audit(sample_home)
    app = make(sample_home)
    async with app.run_test(size=(100, 32)) as pilot:
        first = await open_editor(pilot, None, audit_id)
        await pilot.press("escape")
        await settle(pilot)
        assert await open_editor(pilot, None, audit_id) is first
        await pilot.press("escape")
        await settle(pilot)
        gc.collect()
        assert [o for o in gc.get_objects() if isinstance(o, FindingEditorScreen)] == [first]
        chinese = weakref.ref(first)
        del first
        await app.run_action("toggle_language")
        await settle(pilot)
        english = await open_editor(pilot, None, audit_id)
        assert english is not chinese()
        assert str(english.query_one("#row-title Label").render()) == t(
            "findings_ui.label.title")
        assert t("findings_ui.label.title") != "标题"  # in English now
        await pilot.press("escape")
        await settle(pilot)
        await app.run_action("toggle_language")
        await settle(pilot)
        gc.collect()  # the Chinese editor is gone; the English one waits for the next opening
        assert [o for o in gc.get_objects() if isinstance(o, FindingEditorScreen)] == [english]
        assert chinese() is None


async def test_the_workspace_builds_the_editor_before_the_first_c(sample_home: Path,
                                                                  make) -> None:
    """While the auditor reads the first item the editor is built off screen; the first
    ``c`` then opens that editor, filled for the item, like every later one."""
    app = make(sample_home)
    async with app.run_test(size=(100, 32)) as pilot:
        await open_first_audit(pilot)
        await pause_for_the_editor(pilot)
        spare = app._installed_screens.get(FindingEditorScreen.SPARE)  # noqa: SLF001
        assert isinstance(spare, FindingEditorScreen)
        assert isinstance(app.screen, AuditWorkspaceScreen)  # built, not shown
        # laid out for the terminal and its keys composed while hidden: showing it only
        # fills it (the first c of a session measured ~150 ms p95 before, ~100 ms after)
        assert spare.size == app.size
        assert spare.query_one("#title", Input).region.width > 0
        assert spare.query_one(SteadyFooter).query(FooterKey)
        # filled as a new finding on the item the auditor is reading
        assert spare.query_one("#item", Select).value == app.screen.item_code
        assert spare.query_one("#title", Input).value
        item = app.screen.item_code
        await pilot.press("c")
        await settle(pilot)
        assert app.screen is spare
        assert spare.query_one("#item", Select).value == item
        assert spare.query_one("#title", Input).value  # prefilled from the item


async def test_the_terminal_shows_each_opening_whole(sample_home: Path, make) -> None:
    """What reaches the terminal equals a full drawing of the editor, at the first opening
    (the editor built and drawn off screen beforehand) and at each reopening on another item
    (one drawing after the layout instead of two): nothing stale is left on the screen."""
    app = make(sample_home)
    async with app.run_test(size=(100, 32)) as pilot:
        terminal = TerminalModel(100, 32).attach(app)
        await open_first_audit(pilot)
        await pause_for_the_editor(pilot)
        assert terminal.text() == drawn_now(app)
        titles = set()
        for _ in range(3):
            frames = terminal.frames
            await pilot.press("c")
            await settle(pilot)
            assert isinstance(app.screen, FindingEditorScreen)
            assert terminal.frames > frames
            assert terminal.text() == drawn_now(app)
            title = app.screen.query_one("#title", Input).value
            assert title and any(title[:8] in line for line in terminal.text())
            titles.add(title)
            await pilot.press("escape")
            await settle(pilot)
            assert terminal.text() == drawn_now(app)
            await pilot.press("j")
            await settle(pilot)
        assert len(titles) == 3  # three items, three prefilled titles


async def test_the_editor_is_built_ahead_only_in_a_pause(sample_home: Path, make) -> None:
    """An auditor moving through the items right after opening the audit is not slowed by
    the editor being built: that waits until the keys stop."""
    app = make(sample_home)
    async with app.run_test(size=(100, 32)) as pilot:
        await open_first_audit(pilot)
        for _ in range(8):  # a key every 0.1 s, well past PREPARE_EDITOR_AFTER in all
            await pilot.press("j")
            await asyncio.sleep(PREPARE_EDITOR_AFTER / 3)
        assert FindingEditorScreen.SPARE not in app._installed_screens  # noqa: SLF001
        # straight on to the findings list: nothing is built behind it (Textual counts the
        # screen under the top one as current) ...
        await pilot.press("F")
        await settle(pilot)
        assert not isinstance(app.screen, AuditWorkspaceScreen)
        await pause_for_the_editor(pilot)
        assert FindingEditorScreen.SPARE not in app._installed_screens  # noqa: SLF001
        # ... it is, once back on the checklist and the keys stop
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, AuditWorkspaceScreen)
        await pause_for_the_editor(pilot)
        assert FindingEditorScreen.SPARE in app._installed_screens  # noqa: SLF001
