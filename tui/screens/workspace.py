"""The audit workspace: the checklist on the left, the selected item on the right.

Answer with 1–4 (0 clears), move with j/k or the arrows, ``n`` writes the note. Every answer
and note is written at once (autosave) and the header's unsynced counter follows; quitting
loses at most the note being typed. The screen remembers the audit and item in ``meta`` so
the next launch reopens here. The view (``store.workspace``) is read once; a write re-reads
and redraws only that item, and coming back from another screen re-reads the item states.
"""

from __future__ import annotations

import time

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label

from store.enums import AnswerResult, AuditStatus
from store.errors import FieldAuditError
from store.i18n import t
from store.review import advance_issues, next_status
from store.workspace import (
    ItemState, WorkspaceView, advance_as_me, finding_prefill, item_detail,
    item_states, load_workspace, matches, record_answer, remember_position, review_item,
)
from tui import navigation
from tui.formatting import enum_label, unit_short
from tui.messages import DataChanged
from tui.screens.base import AppScreen
from tui.screens.workspace_confirm import WorkspaceConfirm
from tui.startup import then_status
from tui.widgets.checklist_detail import ChecklistDetail
from tui.widgets.checklist_tree import ChecklistTree
from tui.widgets.header import StatusHeader
from tui.widgets.steady_footer import SteadyFooter

DISCARD_CONFIRM_SECONDS = 3.0
PREPARE_EDITOR_AFTER = 0.3
"""Seconds without a key press, once the workspace is filled, before the finding editor is
built in advance (out of the way of the auditor's keys; it takes ~200 ms of the UI thread,
in steps of at most ~30 ms)."""
KEY_RESULTS = {"1": AnswerResult.COMPLIANT, "2": AnswerResult.NONCOMPLIANT,
               "3": AnswerResult.PARTIAL, "4": AnswerResult.NOT_APPLICABLE,
               "0": AnswerResult.UNCHECKED}


class AuditWorkspaceScreen(AppScreen[None]):
    BINDINGS = [
        Binding("1", "answer('1')", "workspace.bind.compliant"),
        Binding("2", "answer('2')", "workspace.bind.noncompliant", show=False),
        Binding("3", "answer('3')", "workspace.bind.partial", show=False),
        Binding("4", "answer('4')", "workspace.bind.not_applicable", show=False),
        Binding("0", "answer('0')", "workspace.bind.clear", show=False),
        Binding("n", "edit_note", "workspace.bind.note", id="note"),
        Binding("slash", "jump", "workspace.bind.jump", id="jump", key_display="/"),
        Binding("u", "filter('unanswered')", "workspace.bind.filter_unanswered", show=False),
        Binding("f", "filter('findings')", "workspace.bind.filter_findings", show=False),
        Binding("c", "new_finding", "workspace.bind.new_finding"),
        Binding("F", "findings", "workspace.bind.findings"),
        Binding("h", "history", "workspace.bind.history", show=False),
        Binding("r", "review", "workspace.bind.review"),
        Binding("s", "advance", "workspace.bind.advance"),
        Binding("p", "documents", "workspace.bind.documents", show=False),
        # priority: the tree would page its cursor instead; the detail is what overflows
        Binding("pagedown", "scroll_detail(1)", "workspace.bind.detail_down", show=False,
                priority=True),
        Binding("pageup", "scroll_detail(-1)", "workspace.bind.detail_up", show=False,
                priority=True),
        Binding("escape", "back", "tui.bind.back", show=False),
    ]

    def __init__(self, audit_id: str, item_code: str | None = None) -> None:
        super().__init__()
        self.audit_id = audit_id
        self._start_item = item_code
        self.view: WorkspaceView | None = None
        self.filter: str | None = None
        self._note_dirty = False
        self._discard_until = 0.0
        self._last_jump = ""
        self._requested: dict[str, AnswerResult] = {}
        self._detail_code: str | None = None
        """The item the detail pane shows."""

    @property
    def has_unsaved_changes(self) -> bool:
        return self._note_dirty

    @property
    def item_code(self) -> str | None:
        """The selected item: the tree's, as soon as a key moves it (the one to open at until
        the checklist is shown)."""
        trees = self.query(ChecklistTree)
        current = trees.first().current_code if trees else None
        return current or self._start_item

    # -- layout ---------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield StatusHeader()
        with Horizontal(id="ws-body"):
            with Vertical(id="ws-left"):
                yield ChecklistTree(id="ws-tree")
            yield ChecklistDetail(t("tui.loading"), id="ws-detail")
        yield Label(t("workspace.legend"), id="ws-legend")  # the marks, and the answer keys
        with Horizontal(id="ws-note-row"):
            yield Label(t("workspace.note_label"), id="ws-note-label")
            yield Input(id="ws-note", compact=True, placeholder=t("workspace.note_hint"))
        yield Input(id="ws-jump", compact=True, placeholder=t("workspace.jump_hint"))
        yield Label(id="ws-status")
        yield SteadyFooter()  # no key rebuilds while the editor or a list covers it

    def on_mount(self) -> None:
        self.title = t("workspace.title")
        self.query_one("#ws-jump").display = False
        self.query_one("#ws-note", Input).can_focus = False
        self.query_one(ChecklistTree).on_select = self._selection_moved
        self.load()

    @work(group="workspace-load", exit_on_error=False)
    async def load(self) -> None:
        try:
            view = await self.db.call(load_workspace, self.audit_id)
        except FieldAuditError:
            self.dismiss()  # nothing to show (the audit is gone): back, with the notice
            raise
        self.view = view
        self.sub_title = unit_short(view.unit_name)
        start = self.item_code if self.item_code in view.states else next(
            (c for c in view.codes() if not view.states[c].answered), view.codes()[0])
        tree = self.query_one(ChecklistTree)
        tree.build(view, select=start)
        tree.focus()
        self._show_status()
        self.set_timer(PREPARE_EDITOR_AFTER, self._prepare_editor)

    def _prepare_editor(self) -> None:
        """Build the finding editor while the auditor reads the first item, so that the
        first ``c`` opens it as fast as every later one (``KeptScreen.prepare``)."""
        from tui.screens.finding_editor import FindingEditorScreen

        # not ``is_current``: Textual counts the screen right under the top one as current
        if self.app.screen is not self or self.view is None:
            return
        quiet = self.fa.idle_gc.quiet_for()
        if quiet < PREPARE_EDITOR_AFTER:  # the auditor is moving through the items: later
            self.set_timer(PREPARE_EDITOR_AFTER - quiet, self._prepare_editor)
            return
        code = self.item_code
        prefill = finding_prefill(self.view, code) if code in self.view.states else None
        # a new finding on the item the auditor reads: every field takes a value once, and a
        # c on that item changes nothing
        FindingEditorScreen.prepare(self.app, None, self.audit_id, prefill)

    def on_screen_resume(self) -> None:
        if self.view is not None:
            self.refresh_states()
            # left before the editor was built ahead (or a language switch dropped it)
            self.set_timer(PREPARE_EDITOR_AFTER, self._prepare_editor)

    @work(group="workspace-load", exit_on_error=False)
    async def refresh_states(self) -> None:
        """Coming back from the finding editor or the history: re-read every item's state
        (three queries) and redraw only the items that changed."""
        states = await self.db.call(item_states, self.audit_id)
        if self.view is None:
            return
        for code, state in states.items():
            if self.view.states.get(code) != state:
                self._apply(state)
        self._show_status()

    # -- the selected item ------------------------------------------------------------------
    def _selection_moved(self, code: str) -> None:
        """The tree's selection moved (a key): the detail follows in the same frame."""
        self._show_item(code)

    @on(ChecklistTree.ItemSelected)
    def _item_selected(self, event: ChecklistTree.ItemSelected) -> None:
        if self._detail_code != event.code:  # not shown yet (the tree's first placement)
            self._show_item()
        self.remember(event.code)

    @work(group="workspace-meta", exit_on_error=False)
    async def remember(self, code: str) -> None:
        await self.db.call(remember_position, self.audit_id, code)

    def _show_item(self, code: str | None = None) -> None:
        code = code or self.item_code
        if self.view is None or code not in self.view.states:
            return
        self._detail_code = code
        detail = item_detail(self.view, code)
        self.query_one(ChecklistDetail).show(detail)
        note = self.query_one("#ws-note", Input)
        if not self._note_dirty:
            note.value = detail.state.note

    def _show_status(self) -> None:
        view = self.view
        if view is None:
            return
        filtered = t(f"workspace.filter.{self.filter}") if self.filter else ""
        self.query_one("#ws-status", Label).update(t(  # one line, 1fr: no layout needed
            "workspace.status", status=enum_label(AuditStatus, view.audit.status),
            done=view.answered(), total=len(view.states), findings=view.finding_count(),
            leader=view.leader_name, filter=filtered), layout=False)

    def _apply(self, state: ItemState) -> None:
        """A new state for one item: remember it and redraw that item only."""
        assert self.view is not None
        self.view.states[state.code] = state
        self.query_one(ChecklistTree).show_state(state)
        if state.code == self.item_code:
            self._show_item()

    def _selected(self) -> ItemState | None:
        if self.view is None or self.item_code not in self.view.states:
            return None
        return self.view.states[self.item_code]

    # -- answering --------------------------------------------------------------------------
    def action_answer(self, key: str) -> None:
        state = self._selected()
        if state is None:
            return
        result = KEY_RESULTS[key]
        # compare with the last result asked for, not the stored one: a write typed just
        # before may still be on its way
        if result == self._requested.get(state.code, state.result):
            return
        self._requested[state.code] = result
        self.write_answer(state.code, result)

    @work(group="workspace-write", exit_on_error=False)
    async def write_answer(self, code: str, result: AnswerResult) -> None:
        state, status = await self.db.call(then_status, record_answer, self.audit_id, code,
                                           result)
        if self._requested.get(code) == result:
            del self._requested[code]  # nothing newer on its way: the stored state is current
        self._apply(state)
        self._show_status()
        self.fa.shell_status = status  # the header in the same frame as the mark (a message
        self.post_message(DataChanged("answers", status))  # to the app lands a frame later)
        item = self.view.template.item(code) if self.view else None
        if item is not None and result in item.opens_finding_on:  # 不符合, 部分符合 by default
            self._offer_finding(state)

    def _offer_finding(self, state: ItemState) -> None:
        if state.findings:
            self.notify(t("workspace.has_findings", code=state.code, n=state.findings))
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.action_new_finding(state.code)

        self.app.push_screen(WorkspaceConfirm(t("workspace.offer_finding", code=state.code,
                                                result=enum_label(AnswerResult, state.result))),
                             callback=answered)

    def action_new_finding(self, code: str | None = None) -> None:
        code = code or self.item_code
        if self.view is None or code is None:
            return
        navigation.open_finding(self.app, None, self.audit_id,
                                prefill=finding_prefill(self.view, code))

    # -- the note ---------------------------------------------------------------------------
    def action_edit_note(self) -> None:
        if self._selected() is None:
            return
        note = self.query_one("#ws-note", Input)
        note.can_focus = True
        note.focus()
        note.cursor_position = len(note.value)

    @on(Input.Changed, "#ws-note")
    def _note_typed(self, event: Input.Changed) -> None:
        state = self._selected()
        self._note_dirty = state is not None and event.input.has_focus \
            and event.value != state.note

    @on(Input.Submitted, "#ws-note")
    def _note_submitted(self) -> None:
        self._save_note()
        self._leave_note()

    @on(Input.Blurred, "#ws-note")
    def _note_left(self) -> None:
        self._save_note()  # a click elsewhere keeps what was typed
        self.query_one("#ws-note", Input).can_focus = False

    def _save_note(self) -> None:
        state = self._selected()
        if not self._note_dirty or state is None:
            return
        self._note_dirty = False
        self.write_note(state.code, self.query_one("#ws-note", Input).value)

    @work(group="workspace-write", exit_on_error=False)
    async def write_note(self, code: str, note: str) -> None:
        state, status = await self.db.call(then_status, record_answer, self.audit_id, code,
                                           None, note)
        self._apply(state)
        self.post_message(DataChanged("answers", status))
        self.notify(t("workspace.note_saved", code=code))

    def _leave_note(self) -> None:
        self.query_one(ChecklistTree).focus()

    # -- leaving and Esc --------------------------------------------------------------------
    def action_back(self) -> None:
        jump = self.query_one("#ws-jump", Input)
        if jump.display:
            jump.display = False
            self._leave_note()
            return
        note = self.query_one("#ws-note", Input)
        if note.has_focus:
            if self._note_dirty and time.monotonic() > self._discard_until:
                self._discard_until = time.monotonic() + DISCARD_CONFIRM_SECONDS
                self.notify(t("workspace.discard_confirm"), severity="warning")
                return
            self._note_dirty = False
            state = self._selected()
            note.value = state.note if state else ""
            self._leave_note()
            return
        self.app.pop_screen()

    # -- jumping and filtering --------------------------------------------------------------
    def action_jump(self) -> None:
        """Show the jump field, holding the last search: Enter then goes to its next match."""
        jump = self.query_one("#ws-jump", Input)
        jump.value = self._last_jump
        jump.display = True
        jump.focus()

    @on(Input.Submitted, "#ws-jump")
    def _jump_submitted(self, event: Input.Submitted) -> None:
        if self.view is None:
            return
        found = matches(self.view, event.value)
        if not found:
            self.notify(t("workspace.no_match", text=event.value), severity="warning")
            return
        event.input.display = False
        target = found[0]
        if event.value == self._last_jump and self.item_code in found:
            target = found[(found.index(self.item_code) + 1) % len(found)]  # / Enter again
        self._last_jump = event.value
        tree = self.query_one(ChecklistTree)
        if target not in tree.shown_codes:
            self._set_filter(None, target)
        else:
            tree.select_item(target)
        tree.focus()

    def action_filter(self, name: str) -> None:
        self._set_filter(None if self.filter == name else name, self.item_code)

    def _set_filter(self, name: str | None, select: str | None) -> None:
        view = self.view
        if view is None:
            return
        keep = None
        if name == "unanswered":
            def keep(code: str) -> bool:
                return not view.states[code].answered
        elif name == "findings":
            def keep(code: str) -> bool:
                return view.states[code].findings > 0
        if keep is not None and not any(keep(c) for c in view.codes()):
            self.notify(t(f"workspace.filter_empty.{name}"), severity="warning")
            return
        self.filter = name
        self.query_one(ChecklistTree).build(view, keep, select=select)
        self._show_status()

    def action_scroll_detail(self, direction: int) -> None:
        detail = self.query_one(ChecklistDetail)
        if direction > 0:
            detail.scroll_page_down()
        else:
            detail.scroll_page_up()

    # -- elsewhere --------------------------------------------------------------------------
    def action_findings(self) -> None:
        navigation.open_findings(self.app, self.audit_id)

    def action_documents(self) -> None:
        navigation.open_documents(self.app, self.audit_id)

    def action_history(self) -> None:
        state = self._selected()
        if state is not None and self.view is not None:
            item = self.view.template.item(state.code)
            navigation.open_history(self.app, "answers", state.answer_id,
                                    f"{state.code} {item.question if item else ''}")

    # -- review and status ------------------------------------------------------------------
    def action_review(self) -> None:
        state = self._selected()
        if state is not None:
            self.review(state.code)

    @work(group="workspace-write", exit_on_error=False)
    async def review(self, code: str) -> None:
        state = await self.db.call(review_item, self.audit_id, code)
        self._apply(state)
        self.post_message(DataChanged("answers"))
        self.notify(t("workspace.reviewed_done", code=code))

    def action_advance(self) -> None:
        if self.view is not None:
            self.advance()

    @work(group="workspace-write", exit_on_error=False)
    async def advance(self) -> None:
        """Read what stands in the way, then ask (the dialog answers in a callback, so no
        worker waits on the user)."""
        assert self.view is not None
        target = next_status(self.view.audit.status)
        if target is None:
            self.notify(t("workspace.status_final"), severity="warning")
            return
        issues = await self.db.call(advance_issues, self.audit_id, target)
        blocked = any(i.severity == "block" for i in issues)

        def answered(yes: bool | None) -> None:
            if yes and not blocked:
                self.write_status(target)

        self.app.push_screen(WorkspaceConfirm(
            t("workspace.advance_question",
              old=enum_label(AuditStatus, self.view.audit.status),
              new=enum_label(AuditStatus, target)),
            [(i.severity, i.message()) for i in issues]), callback=answered)

    @work(group="workspace-write", exit_on_error=False)
    async def write_status(self, target: AuditStatus) -> None:
        assert self.view is not None
        audit = await self.db.call(advance_as_me, self.audit_id, target, True)
        self.view.audit = audit
        self._show_status()
        self.post_message(DataChanged("audits"))
        self.notify(t("workspace.advanced", status=enum_label(AuditStatus, audit.status)))
