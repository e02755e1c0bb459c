"""The finding editor: every field of a finding, its evidence files, its rectification status.

Keyboard first: Tab / Shift+Tab move between fields, vocabularies are Selects. Amounts are
typed in yuan (``1,234.50``, ``１２３４``, ``¥12``) and the 人民币大写 of what was read is shown
under each amount as it is typed; a malformed amount or date says what is wrong right there,
and nothing is saved until every field reads. Dates accept ``2026-11-23`` and ``2026年11月23日``.

Every accepted edit is saved at once, as the workspace saves answers: leaving a field (Tab,
a click elsewhere) or choosing in a picker saves the finding when every field reads (a new
finding once it has a title), so a killed terminal loses at most the field being typed. Ctrl+S
saves right away and says so. The screen **stays open** on the saved finding, so evidence can be
attached to a new finding right after its first save. Esc closes, asking first when typed text
is not saved. Rectification status moves only through Ctrl+T and
the store's forward-only rule; evidence is added with Ctrl+O (file picker) and removed with
Delete in the evidence list; Ctrl+L shows the finding's change history.

The app builds the editor once and reopens it for every finding (``tui/screens/kept.py``):
building it cost ~300 ms, reopening it ~40 ms (docs/tui.md, bench/tui_latency.py).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.events import DescendantBlur
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import DataTable, Input, Label, Select, Static, TextArea

from store.dates import parse_user_date
from store.enums import FindingNature, RectifyMode, RectifyStatus
from store.errors import FieldAuditError, RuleViolation
from store.findings_view import (
    EditorContext, attach_as_me, audit_heading, delete_as_me, detach_as_me, editor_context,
    file_size, move_status, save_finding,
)
from store.i18n import t
from store.models import Evidence
from store.money import format_fen, parse_yuan, rmb_capital
from tui import navigation
from tui.formatting import day, enum_label
from tui.messages import DataChanged
from tui.screens.kept import KeptScreen
from tui.widgets.header import StatusHeader
from tui.widgets.steady_footer import SteadyFooter

AMOUNTS = {"violation": "violation_fen", "irregular": "irregular_fen"}
TEXTS = ("facts", "basis", "recommendation", "response")
SELECTS = ("nature", "area", "item", "rectify_mode")
DEFAULT_NATURE = next(iter(FindingNature)).value
"""What the pickers show for a finding that has no value yet (a new one, or one being read)."""
DEFAULT_MODE = RectifyMode.DEADLINE.value


class FindingEditorScreen(KeptScreen[None]):
    """You should see the finding's unit and audit on top, then every field with its label."""

    BINDINGS = [
        Binding("ctrl+s", "save", "findings_ui.bind.save", id="finding.save"),
        Binding("escape", "close", "findings_ui.bind.close", id="finding.close"),
        Binding("ctrl+o", "attach", "findings_ui.bind.attach", id="finding.attach"),
        Binding("delete", "detach", "findings_ui.bind.detach", show=False, id="finding.detach"),
        Binding("ctrl+t", "status", "findings_ui.bind.status", id="finding.status"),
        Binding("ctrl+l", "history", "findings_ui.bind.history", id="finding.history"),
        # priority: the focused field would take ctrl+d as "delete the next character"
        Binding("ctrl+d", "delete", "findings_ui.bind.delete", show=False, priority=True,
                id="finding.delete"),
        # the app's q (when no text field has the focus) must not lose typed text either
        Binding("q", "quit_guarded", "", show=False),
    ]
    AUTO_FOCUS = "#title"
    """Focus lands on the title as the screen is composed. (The app-wide ``*`` focused the
    scrolling form first and the title only on mount: each move of the form's focus restyled
    all of its widgets, twice ~30 ms before the first frame.)"""

    def __init__(self, finding_id: str | None, audit_id: str,
                 prefill: dict | None = None) -> None:
        super().__init__()
        self.finding_id = finding_id
        self.audit_id = audit_id
        self.prefill = dict(prefill or {})
        self.context: EditorContext | None = None
        self.evidence: list[Evidence] = []
        self._baseline: tuple[Any, ...] | None = None
        self._saving = False
        self._save_again: str | None = None
        """A save asked for while one was on its way: "announce", "quiet" or None."""
        self._status_value: str | None = None
        self._items_area: str | None = None
        """The area whose items the item picker holds."""
        self._mounted_form = False
        self._notes: dict[str, tuple[str | None, str | None]] = {}
        """What each field's note shows (message, hint): hidden at first."""
        self._generation = 0
        """Which opening of this screen is current: a worker started for an earlier finding
        (a late read, a save on its way when the editor closed) checks it after each wait and
        leaves the form alone when the editor has been reopened since."""
        self._blank = True
        """The fields are empty, waiting for the read: keys typed now are kept."""
        self._hold: Timer | None = None
        """While the screen waits for the read before it is drawn (see _hold_frames)."""

    # -- one editor, reused (tui/screens/kept.py) ---------------------------------------------
    SPARE = "finding-editor"

    def _reopen(self, finding_id: str | None, audit_id: str, prefill: dict | None) -> None:
        """Forget the previous finding entirely and start reading this one.

        A new finding in the audit of the previous opening is filled at once from what was
        read then (the audit's unit, checklist and auditors; a new finding has no record or
        evidence of its own), so the first frame shows the filled form; the read started here
        confirms it and refills only if the audit changed meanwhile. Anything else starts
        blank until its read arrives."""
        self._generation += 1
        known = self.context
        self.finding_id = finding_id
        self.audit_id = audit_id
        self.prefill = dict(prefill or {})
        self.context = None
        self.evidence = []
        self._baseline = None
        self._saving = False
        self._save_again = None
        self._status_value = None
        self.title = self._screen_title()
        self.query_one("#finding-form", VerticalScroll).scroll_home(animate=False,
                                                                    immediate=True)
        self.set_focus(self.query_one("#title", Input))
        if finding_id is None and known is not None and known.audit_id == audit_id:
            self.context = replace(known, finding=None, evidence=[])
            self._fill(self.context)
        else:
            self._clear()
            self._hold_frames()
        self.load(self._opening())

    HOLD_AT_MOST = 0.25
    """Seconds the screen may wait for a read before the empty form is shown anyway."""

    def _hold_frames(self) -> None:
        """Paint nothing until the finding is read (a few ms; at most ``HOLD_AT_MOST``).

        The emptied form drawn first and the filled one ~50 ms later were two full layouts,
        and the second one came late. Keys are still taken meanwhile (typing goes into the
        title); only the drawing waits, as in Textual's ``App.delay_update``."""
        if self._hold is None:
            self.app._begin_batch()  # noqa: SLF001 — App.batch_update, across an await
            self._hold = self.set_timer(self.HOLD_AT_MOST, self._release_frames)

    def _release_frames(self) -> None:
        if self._hold is not None:
            self._hold.stop()
            self._hold = None
            self.app._end_batch()  # noqa: SLF001
            self.refresh()

    def _clear(self) -> None:
        """Every field empty (and its note hidden) while the finding is read."""
        self._blank = True
        with self.prevent(Input.Changed, Select.Changed):
            self._clear_fields()

    def _clear_fields(self) -> None:
        for name in ("title", "violation", "irregular", "deadline"):
            self.query_one(f"#{name}", Input).value = ""
            self._note(name, None)
        for name in TEXTS:
            self._load_text(name, "")
        self.query_one("#nature", Select).value = DEFAULT_NATURE
        self.query_one("#rectify_mode", Select).value = DEFAULT_MODE

    def _opening(self) -> tuple[int, str | None, str]:
        """Which opening a worker works for, taken when it is started (a worker runs later,
        possibly after the editor was reopened on another finding)."""
        return self._generation, self.finding_id, self.audit_id

    def _screen_title(self) -> str:
        return t("findings_ui.editor_title_new" if self.finding_id is None
                 else "findings_ui.editor_title")

    # -- unsaved text -----------------------------------------------------------------------
    def _state(self) -> tuple[Any, ...]:
        inputs = tuple(self.query_one(f"#{n}", Input).value
                       for n in ("title", "violation", "irregular", "deadline"))
        texts = tuple(self.query_one(f"#{n}", TextArea).text for n in TEXTS)
        selects = tuple(self.query_one(f"#{n}", Select).value for n in SELECTS)
        return inputs + texts + selects

    @property
    def has_unsaved_changes(self) -> bool:
        return self._baseline is not None and self._state() != self._baseline

    # -- layout -----------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield StatusHeader()
        yield Static("", id="finding-context")
        # the form scrolls to the focused field; it is never a Tab stop of its own
        with VerticalScroll(id="finding-form", can_focus=False):
            # the title is edited, not retyped: focusing it must not select it (typing would replace it)
            yield from self._row("title", Input(id="title", compact=True, max_length=200,
                                                select_on_focus=False), self._note_label("title"))
            yield from self._row("nature", Select(
                [(enum_label(FindingNature, n), n.value) for n in FindingNature],
                allow_blank=False, id="nature", compact=True))
            for name in AMOUNTS:
                yield from self._row(name, Input(id=name, compact=True,
                                                 placeholder=t("findings_ui.amount_hint")),
                                     self._note_label(name))
            yield from self._row("facts", TextArea(id="facts", compact=True))
            yield from self._row("area", Select([], id="area", compact=True,
                                                prompt=t("findings_ui.none")))
            yield from self._row("item", Select([], id="item", compact=True,
                                                prompt=t("findings_ui.none")))
            yield from self._row("basis", TextArea(id="basis", compact=True))
            yield from self._row("recommendation", TextArea(id="recommendation", compact=True))
            yield from self._row("rectify_mode", Select(
                [(enum_label(RectifyMode, m), m.value) for m in RectifyMode],
                allow_blank=False, value=DEFAULT_MODE, id="rectify_mode",
                compact=True))
            yield from self._row("deadline", Input(id="deadline", compact=True,
                                                   placeholder=t("findings_ui.date_hint")),
                                 self._note_label("deadline"))
            yield from self._row("rectify_status", Label("", id="rectify_status"),
                                 self._note_label("rectify_status",
                                                  t("findings_ui.status_key_hint")))
            yield from self._row("response", TextArea(id="response", compact=True))
            yield from self._row("evidence", DataTable(id="evidence", cursor_type="row",
                                                       show_cursor=True),
                                 self._note_label("evidence", ""))
            yield from self._row("reviewed", Label("", id="reviewed"))
        yield SteadyFooter()

    def _row(self, name: str, widget: Widget, note: Label | None = None) -> ComposeResult:
        """A caption and its field; with ``note``, a line under the field for what was read or
        what is wrong. Rows without a note get no extra container: each widget costs style
        matching and layout every time the editor opens, so the form holds only what it shows."""
        with Horizontal(classes="form-row" if note is None else "form-row -noted",
                        id=f"row-{name}"):
            yield Label(t(f"findings_ui.label.{name}"), classes="form-label")
            if note is None:
                widget.add_class("form-input", update=False)  # styled as it mounts
                yield widget
                return
            with Vertical(classes="form-field"):
                yield widget
                yield note

    @staticmethod
    def _note_label(name: str, hint: str | None = None) -> Label:
        """The note under a field: hidden until a check fills it, or (``hint``) a key hint
        shown from the start."""
        label = Label(hint or "", id=f"{name}-note",
                      classes="form-error" if hint is None else "form-error -hint")
        if hint is not None:
            label.display = True
        return label

    def on_mount(self) -> None:
        self.title = self._screen_title()
        table = self.query_one("#evidence", DataTable)
        for column in ("name", "size", "sha256", "captured"):
            table.add_column(t(f"findings_ui.evidence_col.{column}"), key=column)
        self._mounted_form = True
        if self.context is not None:  # read while the widgets were built: one layout, not two
            self._fill(self.context)

    def on_compose(self) -> None:
        # runs before the widgets are built: the read (a few ms on the database thread) is
        # usually done by the time they are mounted, so the first frame shows the filled form
        self.load(self._opening())

    def on_unmount(self) -> None:
        self._release_frames()  # never leave the app not drawing
        self._release_app_watchers()

    def _release_app_watchers(self) -> None:
        """Forget the watchers closed widgets left on the app.

        ``widget.watch(app, name, …)`` stores ``(widget, callback)`` on the app, and Textual
        drops the entries of closed widgets only when that value next changes
        (Textualize/textual#6666). Each TextArea watches the app's theme, which seldom changes,
        so every editor ever opened stayed in memory (~10,000 objects apiece) and every full
        garbage collection, which lands in the middle of opening a screen, grew slower. By the
        time the screen unmounts its widgets are closed; this applies Textual's own rule now.
        """
        watchers: dict[str, list[tuple[Any, Any]]] = getattr(self.app, "__watchers", {})
        for entries in watchers.values():
            entries[:] = [(node, callback) for node, callback in entries
                          if not getattr(node, "_closing", False)]

    @work(group="finding-load", exit_on_error=False)
    async def load(self, opening: tuple[int, str | None, str]) -> None:
        generation, finding_id, audit_id = opening
        try:
            context = await self.db.call(editor_context, finding_id, audit_id)
            if generation != self._generation:
                return  # the editor was reopened on another finding meanwhile
            if context == self.context:
                return  # filled from the previous opening's read, and still so
            refill = self.context is None or not self.has_unsaved_changes
            self.context = context
            self.audit_id = context.audit_id
            if self._mounted_form and refill:
                self._fill(context)
        finally:
            if generation == self._generation:
                self._release_frames()

    # -- filling the form -------------------------------------------------------------------
    def _fill(self, context: EditorContext) -> None:
        # the form is being filled, not edited: the fields' Changed messages would reach the
        # handlers meant for the user's choices (autosave, an item suggesting its title)
        with self.prevent(Input.Changed, Select.Changed):
            self._fill_fields(context)

    def _fill_fields(self, context: EditorContext) -> None:
        self.query_one("#finding-context", Static).update(Text(audit_heading(
            context.unit_name, *context.period)))
        values: dict[str, Any] = (context.finding.data() if context.finding
                                  else {"rectify_status": RectifyStatus.OPEN.value,
                                        **self.prefill})
        # keys typed while the finding was read went into the empty title: they follow the
        # stored title, as if it had been there already, and count as not yet saved
        title_input = self.query_one("#title", Input)
        stored, typed = values.get("title") or "", title_input.value if self._blank else ""
        self._blank = False
        if title_input.value != stored + typed:
            title_input.value = stored + typed
            title_input.cursor_position = len(title_input.value)
        self._note("title", None)  # a "title needed" of the previous opening
        for name, key in AMOUNTS.items():
            fen = values.get(key) or 0
            self.query_one(f"#{name}", Input).value = format_fen(fen) if fen else ""
        for name in TEXTS:
            self._load_text(name, values.get(name) or "")
        self.query_one("#nature", Select).value = str(
            values.get("nature") or DEFAULT_NATURE)
        self.query_one("#rectify_mode", Select).value = str(
            values.get("rectify_mode") or DEFAULT_MODE)
        deadline = values.get("deadline")
        if isinstance(deadline, str):
            deadline = date.fromisoformat(deadline)
        self.query_one("#deadline", Input).value = deadline.isoformat() if deadline else ""
        area = self.query_one("#area", Select)
        areas = list(context.areas)
        code = values.get("area_code") or ""
        if code and code not in {c for c, _ in areas}:
            areas.append((code, ""))
        self._set_options(area, [(f"{c} {title}".strip(), c) for c, title in areas])
        area.value = code or Select.NULL
        self._fill_items(code, values.get("item_code") or "")
        self._show_status(values)
        self._show_evidence(context.evidence)
        for name in ("violation", "irregular", "deadline"):
            self._check(name)
        self._baseline = (stored, *self._state()[1:])

    def _fill_items(self, area_code: str, keep: str = "") -> None:
        assert self.context is not None
        self._items_area = area_code
        items = list(self.context.items.get(area_code, []))
        if keep and keep not in {c for c, _ in items}:
            items.append((keep, ""))
        select = self.query_one("#item", Select)
        self._set_options(select, [(f"{c} {title}".strip(), c) for c, title in items])
        select.value = keep or Select.NULL

    def _load_text(self, name: str, text: str) -> None:
        area = self.query_one(f"#{name}", TextArea)
        if area.text != text or area.history.undo_stack:  # loading lays the form out again
            area.load_text(text)

    @staticmethod
    def _set_options(select: Select, options: list[tuple[str, str]]) -> None:
        """Give a picker its options unless it holds these already: each setting rebuilds
        its option list and lays it out again."""
        held = [(str(p), v) for p, v in select._options  # noqa: SLF001
                if v is not Select.NULL]
        if held != options:
            select.set_options(options)

    def _show_status(self, values: dict[str, Any]) -> None:
        assert self.context is not None
        names = self.context.auditors
        status = str(values.get("rectify_status") or RectifyStatus.OPEN.value)
        text = enum_label(RectifyStatus, status)
        if values.get("verified_by"):
            text = t("findings_ui.status_verified", status=text,
                     who=names.get(values["verified_by"], values["verified_by"]),
                     on=day(values.get("verified_at")))
        self.query_one("#rectify_status", Label).update(Text(text))
        reviewed = values.get("reviewed_by")
        self.query_one("#reviewed", Label).update(Text(
            t("findings_ui.reviewed_by", who=names.get(reviewed, reviewed)) if reviewed
            else t("findings_ui.not_reviewed")))

    def _show_evidence(self, evidence: list[Evidence]) -> None:
        self.evidence = evidence
        table = self.query_one("#evidence", DataTable)
        table.clear()
        for e in evidence:
            table.add_row(e.name, file_size(e.size), e.sha256[:12], day(e.captured_at.date()),
                          key=e.id)
        table.display = bool(evidence)
        self.query_one("#evidence-note", Label).update(t(
            "findings_ui.evidence_none" if not evidence else "findings_ui.evidence_keys",
            n=len(evidence)))

    # -- checking -----------------------------------------------------------------------------
    def _note(self, name: str, message: str | None, hint: str | None = None) -> None:
        # the form's values are checked as they are filled and again as their Changed
        # messages arrive: an unchanged note must not cost another layout of the form
        if self._notes.get(name) == (message, hint):
            return
        self._notes[name] = (message, hint)
        label = self.query_one(f"#{name}-note", Label)
        label.update(Text(message or hint or ""))
        label.set_class(bool(message), "-error")
        label.set_class(bool(hint) and not message, "-hint")
        label.display = bool(message or hint)

    def _check(self, name: str) -> tuple[bool, Any]:
        """Check one field and show the outcome under it: (ok, value)."""
        if name == "title":
            text = self.query_one("#title", Input).value.strip()
            self._note("title", None if text else t("findings_ui.need_title"))
            return bool(text), text
        text = self.query_one(f"#{name}", Input).value.strip()
        if name in AMOUNTS:
            if not text:
                self._note(name, None)
                return True, 0
            try:
                fen = parse_yuan(text)
            except FieldAuditError as err:
                self._note(name, err.message())
                return False, None
            self._note(name, None, rmb_capital(fen))
            return True, fen
        if not text:  # deadline: may be left open
            self._note(name, None)
            return True, None
        try:
            parsed = parse_user_date(text)
        except FieldAuditError as err:
            self._note(name, err.message())
            return False, None
        self._note(name, None, t("findings_ui.date_read", date=day(parsed)))
        return True, parsed

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        name = event.input.id or ""
        if name in AMOUNTS or name == "deadline":
            self._check(name)  # 大写 and date read-back follow the typing
        elif name == "title" and self.query_one("#title-note", Label).display:
            self._check(name)

    @on(Select.Changed, "#area")
    def _area_changed(self, event: Select.Changed) -> None:
        if self.context is None:
            return
        code = event.value if isinstance(event.value, str) else ""
        if code == self._items_area:
            return  # the picker already holds this area's items (as when the form is filled)
        current = self.query_one("#item", Select).value
        keep = current if isinstance(current, str) and current.startswith(code) and code else ""
        self._fill_items(code, keep)

    @on(Select.Changed, "#item")
    def _item_changed(self, event: Select.Changed) -> None:
        """A chosen checklist item suggests its usual problem title when there is none yet."""
        if self.context is None or not isinstance(event.value, str):
            return
        title = self.query_one("#title", Input)
        area = self.query_one("#area", Select).value
        usual = dict(self.context.items.get(str(area), [])).get(event.value, "")
        if usual and not title.value.strip():
            title.value = usual

    def collect(self, focus_wrong: bool = True) -> dict[str, Any] | None:
        """Every field read and checked; the first wrong one gets the focus (``focus_wrong``)."""
        names = ("title", "violation", "irregular", "deadline")
        results = {name: self._check(name) for name in names}
        wrong = [n for n in names if not results[n][0]]
        if wrong:
            if focus_wrong:
                self.query_one(f"#{wrong[0]}").focus()
            return None
        area = self.query_one("#area", Select).value
        item = self.query_one("#item", Select).value
        fields: dict[str, Any] = {
            "title": results["title"][1],
            "violation_fen": results["violation"][1], "irregular_fen": results["irregular"][1],
            "deadline": results["deadline"][1],
            "nature": self.query_one("#nature", Select).value,
            "rectify_mode": self.query_one("#rectify_mode", Select).value,
            "area_code": area if isinstance(area, str) else "",
            "item_code": item if isinstance(item, str) else "",
        }
        fields |= {name: self.query_one(f"#{name}", TextArea).text.strip() for name in TEXTS}
        return fields

    # -- saving -------------------------------------------------------------------------------
    def action_save(self) -> None:
        self._save_now(announce=True)

    @on(DescendantBlur)
    def _field_left(self, event: DescendantBlur) -> None:
        if isinstance(event.widget, (Input, TextArea)):
            self._autosave()

    @on(Select.Changed)
    def _chosen(self, _event: Select.Changed) -> None:
        self._autosave()

    def _autosave(self) -> None:
        """Save what was accepted, quietly. A new finding waits for its title (required);
        a field that does not read (a malformed amount) keeps its message and is not saved."""
        if self.context is None or not self.has_unsaved_changes:
            return
        if self.finding_id is None and not self.query_one("#title", Input).value.strip():
            return
        self._save_now(announce=False, focus_wrong=False)

    def _save_now(self, *, announce: bool, focus_wrong: bool = True) -> None:
        if self.context is None:
            return
        if self._saving:  # one write at a time: a second save of a new finding would add it twice
            self._save_again = self._save_again or ("announce" if announce else "quiet")
            return
        fields = self.collect(focus_wrong=focus_wrong)
        if fields is not None:
            self._saving = True
            self.save(fields, self._state(), announce, self._opening())

    @work(group="finding-save", exit_on_error=False)
    async def save(self, fields: dict[str, Any], state: tuple[Any, ...], announce: bool,
                   opening: tuple[int, str | None, str]) -> None:
        generation, finding_id, audit_id = opening
        try:
            saved_id = await self.db.call(save_finding, finding_id, audit_id, fields)
        finally:
            if generation == self._generation:
                self._saving = False
        if generation != self._generation:  # saved; the editor shows another finding now
            self.post_message(DataChanged("findings"))
            return
        created = finding_id is None
        self.finding_id = saved_id
        self._baseline = state
        self.title = t("findings_ui.editor_title")
        self.post_message(DataChanged("findings"))
        if announce or created:
            self.notify(t("findings_ui.created" if created else "findings_ui.saved"))
        again, self._save_again = self._save_again, None
        if again and self.is_attached and self.has_unsaved_changes:
            self._save_now(announce=again == "announce", focus_wrong=False)

    # -- leaving ------------------------------------------------------------------------------
    def action_close(self) -> None:
        if not self.has_unsaved_changes:
            self.app.pop_screen()
            return
        from tui.screens.finding_dialogs import DiscardChangesModal

        self.app.push_screen(DiscardChangesModal(), callback=self._discard_answered)

    def action_quit_guarded(self) -> None:
        if not self.has_unsaved_changes:
            self.app.exit()
            return
        from tui.screens.finding_dialogs import DiscardChangesModal

        self.app.push_screen(DiscardChangesModal(),
                             callback=lambda discard: self.app.exit() if discard else None)

    def _discard_answered(self, discard: bool | None) -> None:
        if discard:
            self._baseline = None
            self.app.pop_screen()

    def action_delete(self) -> None:
        """Delete a saved finding (registered by mistake) after a question; an unsaved one is
        simply left (Esc)."""
        if self.finding_id is None:
            self.action_close()
            return
        from tui.screens.workspace_confirm import WorkspaceConfirm

        title = self.query_one("#title", Input).value
        self.app.push_screen(WorkspaceConfirm(t("findings_ui.delete_question", title=title)),
                             callback=lambda yes: self.delete(title, self._opening()) if yes
                             else None)

    @work(group="finding-save", exit_on_error=False)
    async def delete(self, title: str, opening: tuple[int, str | None, str]) -> None:
        generation, finding_id, _audit = opening
        assert finding_id is not None
        await self.db.call(delete_as_me, finding_id)
        if generation != self._generation:
            self.post_message(DataChanged("findings"))
            return
        self._baseline = None  # nothing left to save
        self.post_message(DataChanged("findings"))
        self.app.notify(t("findings_ui.deleted_notice", title=title))
        self.app.pop_screen()

    # -- status, evidence, history --------------------------------------------------------------
    def _saved_id(self) -> str | None:
        if self.finding_id is None:
            self.notify(t("findings_ui.save_first"), severity="warning")
        return self.finding_id

    def action_status(self) -> None:
        if self._saved_id() is None or self.context is None:
            return
        from tui.screens.finding_dialogs import RectifyStatusModal

        self.app.push_screen(RectifyStatusModal(self._current_status()),
                             callback=self._status_chosen)

    def _current_status(self) -> str:
        return self._status_value or (
            str(self.context.finding.rectify_status) if self.context and self.context.finding
            else RectifyStatus.OPEN.value)

    def _status_chosen(self, status: RectifyStatus | None) -> None:
        if status is not None:
            self.change_status(status, self._opening())

    @work(group="finding-status", exit_on_error=False)
    async def change_status(self, status: RectifyStatus,
                            opening: tuple[int, str | None, str]) -> None:
        generation, finding_id, audit_id = opening
        assert finding_id is not None
        current = self._current_status()
        if status.value == current:
            self.notify(t("findings_ui.status_unchanged"))
            return
        try:
            await self.db.call(move_status, finding_id, status, self.today())
        except RuleViolation as err:
            if err.key != "records.backwards":
                raise
            self.notify(t("findings_ui.status_backwards",
                          old=enum_label(RectifyStatus, current),
                          new=enum_label(RectifyStatus, status)),
                        title=t("findings_ui.status_refused"), severity="error", timeout=8)
            return
        context = await self.db.call(editor_context, finding_id, audit_id)
        if generation != self._generation:
            self.post_message(DataChanged("findings"))
            return
        self._status_value = status.value
        self.context = context
        assert context.finding is not None
        self._show_status(context.finding.data())
        self.post_message(DataChanged("findings"))
        self.notify(t("findings_ui.status_moved", status=enum_label(RectifyStatus, status)))

    def action_attach(self) -> None:
        if self._saved_id() is None:
            return
        from tui.screens.file_picker import FilePickerScreen

        self.app.push_screen(FilePickerScreen(), callback=self._file_chosen)

    def _file_chosen(self, path: Path | None) -> None:
        if path is not None:
            self.attach_evidence(path, self._opening())

    @work(group="finding-evidence", exit_on_error=False)
    async def attach_evidence(self, path: Path, opening: tuple[int, str | None, str]) -> None:
        generation, finding_id, _audit = opening
        assert finding_id is not None
        evidence = await self.db.call(attach_as_me, finding_id, path)
        if generation != self._generation:
            self.post_message(DataChanged("evidence"))
            return
        self._show_evidence(evidence)
        self.post_message(DataChanged("evidence"))
        self.notify(t("findings_ui.attached", name=path.name), markup=False)

    def action_detach(self) -> None:
        table = self.query_one("#evidence", DataTable)
        if self.focused is not table or not table.row_count or self.finding_id is None:
            self.notify(t("findings_ui.detach_how"), severity="warning")
            return
        row_key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        self.detach_evidence(str(row_key), self._opening())

    @work(group="finding-evidence", exit_on_error=False)
    async def detach_evidence(self, evidence_id: str,
                              opening: tuple[int, str | None, str]) -> None:
        generation, finding_id, _audit = opening
        assert finding_id is not None
        name = next((e.name for e in self.evidence if e.id == evidence_id), "")
        evidence = await self.db.call(detach_as_me, finding_id, evidence_id)
        if generation != self._generation:
            self.post_message(DataChanged("evidence"))
            return
        self._show_evidence(evidence)
        if evidence:
            self.query_one("#evidence", DataTable).focus()
        self.post_message(DataChanged("evidence"))
        self.notify(t("findings_ui.detached", name=name), markup=False)

    def action_history(self) -> None:
        finding_id = self._saved_id()
        if finding_id is not None:
            title = self.query_one("#title", Input).value.strip()
            navigation.open_history(self.app, "findings", finding_id, title)
