"""New audit: unit, type, period, template (newest version), team, planned dates.

Each field is checked when the user leaves it and again on save, with the problem written
under the field; a field with an error is re-checked as it is corrected. Dates accept
``2026-11-23`` and ``2026年11月23日`` (and the other forms of ``store.dates``), and the date
read is shown under the field so a typo cannot pass unnoticed. Saving creates the audit with
its answer sheet (``store.audits.create_audit``) and opens its workspace.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widget import Widget
from textual.widgets import Button, Input, Label, Select, SelectionList

from store.audits import create_audit
from store.auditors import list_auditors
from store.checklist import Template
from store.dates import parse_user_date
from store.devices import current_auditor_id
from store.enums import AuditType
from store.errors import FieldAuditError
from store.i18n import t
from store.models import Auditor
from store.template_registry import latest_templates
from store.units import list_units
from tui import navigation
from tui.formatting import day, enum_label
from tui.messages import DataChanged
from tui.screens.base import AppScreen
from tui.widgets.header import StatusHeader
from tui.widgets.steady_footer import SteadyFooter

if TYPE_CHECKING:
    from store.db import AuditStore

YEAR_MIN, YEAR_MAX = 2000, 2100  # as store.models.Year
CANCEL_CONFIRM_SECONDS = 3.0


@dataclass(frozen=True)
class FormChoices:
    """What the form offers, read once from the database."""

    units: list[tuple[str, str]]  # (id, name)
    last_period: dict[str, int]  # unit id → last audited year
    templates: list[Template]
    usual: dict[str, str]  # audit type → template id of the latest audit of that type
    auditors: list[Auditor]
    me: str | None


def load_choices(store: AuditStore) -> FormChoices:
    last = {r["unit_id"]: r["y"] for r in store.db.query(
        "SELECT unit_id, max(period_to) AS y FROM audits WHERE deleted = 0 GROUP BY unit_id")}
    usual = {r["type"]: r["template_id"] for r in store.db.query(
        "SELECT type, template_id FROM audits WHERE deleted = 0 ORDER BY planned_start, id")}
    return FormChoices([(u.id or "", u.name) for u in list_units(store)], last,
                       latest_templates(store), usual, list_auditors(store, active_only=True),
                       current_auditor_id(store))


def create_as_me(store: AuditStore, fields: dict[str, Any]) -> str:
    audit = create_audit(store, current_auditor_id(store), **fields)
    return audit.id or ""


class NewAuditScreen(AppScreen[None]):
    BINDINGS = [
        Binding("ctrl+s", "save", "tui.bind.save", id="save"),
        Binding("escape", "cancel", "tui.bind.cancel", id="cancel"),
    ]

    def __init__(self, unit_id: str | None = None) -> None:
        super().__init__()
        self.unit_id = unit_id
        self.choices: FormChoices | None = None
        self._dirty = False
        self._cancel_until = 0.0
        self._saving = False  # a second Ctrl+S while saving must not create a second audit

    @property
    def has_unsaved_changes(self) -> bool:
        return self._dirty

    # -- layout ---------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield StatusHeader()
        with VerticalScroll(id="audit-form"):
            yield from self._row("unit", Select([], prompt=t("tui.form.pick_unit"), id="unit",
                                                compact=True, type_to_search=True))
            yield from self._row("type", Select(
                [(enum_label(AuditType, a), a.value) for a in AuditType],
                value=AuditType.REVENUE.value, allow_blank=False, id="type", compact=True))
            period = Horizontal(
                Input(id="period_from", compact=True, max_length=4, classes="year"),
                Label(t("tui.form.period_to"), classes="between"),
                Input(id="period_to", compact=True, max_length=4, classes="year"),
                Label(t("tui.form.period_unit"), classes="between"),
                classes="pair")
            yield from self._row("period", period, error_for="period")
            yield from self._row("template", Select([], prompt=t("tui.form.pick_template"),
                                                    id="template", compact=True))
            yield from self._row("leader", Select([], prompt=t("tui.form.pick_leader"),
                                                  id="leader", compact=True))
            yield from self._row("members", SelectionList[str](id="members"))
            yield from self._row("planned_start", Input(
                id="planned_start", compact=True, placeholder=t("tui.form.date_hint")))
            yield from self._row("planned_end", Input(
                id="planned_end", compact=True, placeholder=t("tui.form.date_hint")))
            with Horizontal(id="form-buttons"):
                yield Button(t("tui.form.save"), id="save", variant="primary", compact=True)
                yield Button(t("tui.form.cancel"), id="cancel", compact=True)
        yield SteadyFooter()

    def _row(self, name: str, widget: Widget, error_for: str | None = None) -> ComposeResult:
        with Horizontal(classes="form-row"):
            yield Label(t(f"tui.form.{name}"), classes="form-label")
            with Vertical(classes="form-field"):
                yield widget
                yield Label("", id=f"{error_for or name}-error", classes="form-error")

    def on_mount(self) -> None:
        self.title = t("tui.new_audit_title")
        year = self.today().year - 1
        self.query_one("#period_from", Input).value = str(year)
        self.query_one("#period_to", Input).value = str(year)
        start = self.today()
        self.query_one("#planned_start", Input).value = start.isoformat()
        self.query_one("#planned_end", Input).value = (start + timedelta(days=4)).isoformat()
        self.query_one("#type" if self.unit_id else "#unit").focus()
        self.load()

    @work(group="new-audit-load", exit_on_error=False)
    async def load(self) -> None:
        choices = await self.db.call(load_choices)
        self.choices = choices
        units = self.query_one("#unit", Select)
        units.set_options([(name, uid) for uid, name in choices.units])
        if self.unit_id:
            units.value = self.unit_id
            self._suggest_period(self.unit_id)
        leaders = [(a.name, a.id) for a in choices.auditors if a.can_lead]
        leader = self.query_one("#leader", Select)
        leader.set_options(leaders)
        if choices.me in {a.id for a in choices.auditors if a.can_lead}:
            leader.value = choices.me
        self._fill_templates()
        self._fill_members()
        self._dirty = False

    # -- dependent choices ----------------------------------------------------------------
    def _fill_templates(self) -> None:
        if self.choices is None:
            return
        kind = self.query_one("#type", Select).value
        fitting = [tp for tp in self.choices.templates if kind in tp.audit_types]
        select = self.query_one("#template", Select)
        select.set_options([(t("tui.form.template_option", title=tp.title, version=tp.version,
                               n=tp.item_count), tp.id) for tp in fitting])
        usual = self.choices.usual.get(str(kind))
        if len(fitting) == 1:
            select.value = fitting[0].id
        elif usual in {tp.id for tp in fitting}:
            select.value = usual  # what this county used last time for this type
        self._show_error("template", None if fitting else t("tui.form.no_template"))

    def _fill_members(self) -> None:
        if self.choices is None:
            return
        members = self.query_one("#members", SelectionList)
        chosen = set(members.selected)
        leader = self.query_one("#leader", Select).value
        members.clear_options()
        members.add_options([(f"{a.name}（{enum_label(type(a.role), a.role)}）", a.id,
                              a.id in chosen) for a in self.choices.auditors if a.id != leader])

    def _suggest_period(self, unit_id: str) -> None:
        """After an earlier audit, the period starts the year after the one it covered."""
        if self.choices is None or unit_id not in self.choices.last_period:
            return
        follow = self.choices.last_period[unit_id] + 1
        until = int(self.query_one("#period_to", Input).value or 0)
        if follow <= until:
            self.query_one("#period_from", Input).value = str(follow)

    @on(Select.Changed, "#type")
    def _type_changed(self) -> None:
        self._fill_templates()

    @on(Select.Changed, "#leader")
    def _leader_changed(self) -> None:
        self._fill_members()
        self._check("leader")

    @on(Select.Changed, "#unit")
    def _unit_changed(self, event: Select.Changed) -> None:
        if isinstance(event.value, str):
            self._suggest_period(event.value)
        self._check("unit")

    @on(Select.Changed)
    @on(SelectionList.SelectedChanged)
    def _touched(self) -> None:
        if self.choices is not None:
            self._dirty = True

    # -- checking ---------------------------------------------------------------------------
    def _input(self, name: str) -> str:
        return self.query_one(f"#{name}", Input).value.strip()

    def _show_error(self, name: str, message: str | None, hint: str | None = None) -> None:
        label = self.query_one(f"#{name}-error", Label)
        label.update(message or hint or "")
        label.set_class(bool(message), "-error")
        label.set_class(bool(hint) and not message, "-hint")
        label.display = bool(message or hint)

    def _check(self, name: str) -> Any:
        """Check one field, show the outcome under it; return the value or None if wrong."""
        problem, value, hint = self._problem(name)
        self._show_error(name, problem, hint)
        return None if problem else value

    def _problem(self, name: str) -> tuple[str | None, Any, str | None]:
        if name in ("unit", "template", "leader"):
            value = self.query_one(f"#{name}", Select).value
            if not isinstance(value, str):
                return t(f"tui.form.need_{name}"), None, None
            return None, value, None
        if name == "period":
            return self._period_problem()
        if name in ("planned_start", "planned_end"):
            try:
                parsed = parse_user_date(self._input(name))
            except FieldAuditError as err:
                return err.message(), None, None
            if name == "planned_end":
                start = self._quiet_date("planned_start")
                if start and parsed < start:
                    return t("tui.form.end_before_start", start=day(start)), None, None
            return None, parsed, t("tui.form.date_read", date=day(parsed))
        return None, None, None

    def _quiet_date(self, name: str) -> date | None:
        try:
            return parse_user_date(self._input(name))
        except FieldAuditError:
            return None

    def _period_problem(self) -> tuple[str | None, Any, str | None]:
        years = []
        for name in ("period_from", "period_to"):
            text = self._input(name)
            if not (text.isascii() and text.isdigit() and len(text) == 4
                    and YEAR_MIN <= int(text) <= YEAR_MAX):
                return t(f"tui.form.bad_{name}", value=text, min=YEAR_MIN,
                         max=YEAR_MAX), None, None
            years.append(int(text))
        if years[0] > years[1]:
            return t("tui.form.period_reversed", start=years[0], end=years[1]), None, None
        if years[1] > self.today().year:
            return t("tui.form.period_future", end=years[1], year=self.today().year), None, None
        return None, tuple(years), None

    @on(Input.Changed)
    def _typing(self, event: Input.Changed) -> None:
        if self.choices is None:
            return
        self._dirty = True
        name = "period" if event.input.id in ("period_from", "period_to") else event.input.id
        if name and self.query_one(f"#{name}-error", Label).display:
            self._check(name)  # keep an error or a read-back date in step with the typing

    @on(Input.Blurred)
    def _left(self, event: Input.Blurred) -> None:
        name = "period" if event.input.id in ("period_from", "period_to") else event.input.id
        if name and self.choices is not None:
            self._check(name)

    def collect(self) -> dict[str, Any] | None:
        """All fields checked at once; the first wrong one gets the focus."""
        names = ("unit", "period", "template", "leader", "planned_start", "planned_end")
        values = {name: self._check(name) for name in names}
        wrong = [n for n in names if values[n] is None]
        if wrong:
            focus = {"period": "period_from"}.get(wrong[0], wrong[0])
            self.query_one(f"#{focus}").focus()
            return None
        assert self.choices is not None
        template = next(tp for tp in self.choices.templates if tp.id == values["template"])
        return {"unit_id": values["unit"], "type": self.query_one("#type", Select).value,
                "period_from": values["period"][0], "period_to": values["period"][1],
                "template_id": template.id, "template_version": template.version,
                "leader_id": values["leader"],
                "members": list(self.query_one("#members", SelectionList).selected),
                "planned_start": values["planned_start"],
                "planned_end": values["planned_end"]}

    # -- saving and leaving ---------------------------------------------------------------
    def action_save(self) -> None:
        if self._saving:
            return
        fields = self.collect()
        if fields is not None:
            self._saving = True
            self.save(fields)

    @work(group="new-audit-save", exit_on_error=False)
    async def save(self, fields: dict[str, Any]) -> None:
        try:
            audit_id = await self.db.call(create_as_me, fields)
        except BaseException:
            self._saving = False  # let the user correct and try again
            raise
        self._dirty = False
        self.app.post_message(DataChanged("audits"))
        self.app.notify(t("tui.form.created"))
        self.app.pop_screen()
        navigation.open_workspace(self.app, audit_id)

    def action_cancel(self) -> None:
        if self._dirty and time.monotonic() > self._cancel_until:
            self._cancel_until = time.monotonic() + CANCEL_CONFIRM_SECONDS
            self.notify(t("tui.form.cancel_confirm"), severity="warning")
            return
        self._dirty = False
        self.app.pop_screen()

    @on(Button.Pressed, "#save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()
