"""First run: who is working on this laptop, and what the laptop is called.

Every change is signed with the auditor and the device, and the county master tells laptops
apart by their names, so both are settled before any work. Pick yourself from the county's
auditors, or register (code, name, role, phone, may lead); then name the laptop. Dismisses
with the chosen auditor's id.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import (
    Button, Checkbox, Input, Label, OptionList, Select, Static,
)
from textual.widgets.option_list import Option

from store.auditors import add_auditor, list_auditors
from store.devices import device_name, rename_device, set_current_auditor
from store.enums import AuditorRole
from store.i18n import t
from store.models import Auditor
from tui.formatting import enum_label
from tui.messages import DataChanged
from tui.screens.base import AppScreen
from tui.widgets.header import StatusHeader
from tui.widgets.steady_footer import SteadyFooter

if TYPE_CHECKING:
    from store.db import AuditStore

NEW = "__new__"
CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,15}$")  # as store.models.Auditor.code
PHONE = re.compile(r"^[0-9+\- ]{0,20}$")
DEVICE_NAME_MAX = 40


@dataclass(frozen=True)
class FirstRunChoices:
    auditors: list[Auditor]
    device_name: str


def load_first_run(store: AuditStore) -> FirstRunChoices:
    return FirstRunChoices(list_auditors(store, active_only=True), device_name(store))


def save_first_run(store: AuditStore, auditor_id: str | None, new: dict[str, Any] | None,
                   laptop: str) -> str:
    """Register the auditor if new (signed by themselves), make them current, name the laptop."""
    if auditor_id is None:
        auditor_id = store.new_id()
        add_auditor(store, auditor_id, id=auditor_id, **(new or {}))
    set_current_auditor(store, auditor_id)
    rename_device(store, laptop)
    return auditor_id


class FirstRunScreen(AppScreen[str]):
    BINDINGS = [
        Binding("ctrl+s", "save", "tui.bind.start_working", id="save"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.choices: FirstRunChoices | None = None
        self._saving = False  # a second Enter while saving must not save twice

    def compose(self) -> ComposeResult:
        yield StatusHeader()
        with VerticalScroll(id="first-run-body"):
            yield Static(t("tui.first.intro"), id="first-intro")
            yield Label(t("tui.first.who"), classes="section-title")
            yield OptionList(id="auditor-list")
            yield Label("", id="auditor-error", classes="form-error")
            with Vertical(id="new-auditor"):
                for name in ("code", "name", "phone"):
                    with Horizontal(classes="form-row"):
                        yield Label(t(f"tui.first.{name}"), classes="form-label")
                        with Vertical(classes="form-field"):
                            yield Input(id=f"new-{name}", compact=True,
                                        placeholder=t(f"tui.first.{name}_hint"))
                            yield Label("", id=f"new-{name}-error", classes="form-error")
                with Horizontal(classes="form-row"):
                    yield Label(t("tui.first.role"), classes="form-label")
                    yield Select([(enum_label(AuditorRole, r), r.value) for r in AuditorRole],
                                 value=AuditorRole.FULL_TIME.value, allow_blank=False,
                                 id="new-role", compact=True)
                with Horizontal(classes="form-row"):
                    yield Label("", classes="form-label")
                    yield Checkbox(t("tui.first.can_lead"), id="new-can_lead", compact=True)
            yield Label(t("tui.first.laptop"), classes="section-title")
            with Horizontal(classes="form-row"):
                yield Label(t("tui.first.device"), classes="form-label")
                with Vertical(classes="form-field"):
                    yield Input(id="device-name", compact=True, max_length=DEVICE_NAME_MAX)
                    yield Label("", id="device-name-error", classes="form-error")
            with Horizontal(id="form-buttons"):
                yield Button(t("tui.first.start"), id="start", variant="primary", compact=True)
        yield SteadyFooter()

    def on_mount(self) -> None:
        self.title = t("tui.first.title")
        self.query_one("#new-auditor").display = False
        self.load()

    @work(group="first-run-load", exit_on_error=False)
    async def load(self) -> None:
        self.choices = await self.db.call(load_first_run)
        options = [Option(t("tui.first.auditor_option", code=a.code, name=a.name,
                            role=enum_label(AuditorRole, a.role),
                            lead=t("tui.first.leads") if a.can_lead else ""), id=a.id)
                   for a in self.choices.auditors]
        options.append(Option(t("tui.first.register"), id=NEW))
        auditors = self.query_one("#auditor-list", OptionList)
        auditors.add_options(options)
        auditors.highlighted = 0
        self.query_one("#device-name", Input).value = self.choices.device_name
        auditors.focus()

    # -- choosing -------------------------------------------------------------------------
    def _chosen(self) -> str | None:
        auditors = self.query_one("#auditor-list", OptionList)
        if auditors.highlighted is None:
            return None
        return auditors.get_option_at_index(auditors.highlighted).id

    @on(OptionList.OptionHighlighted, "#auditor-list")
    def _highlighted(self) -> None:
        self.query_one("#new-auditor").display = self._chosen() == NEW

    @on(OptionList.OptionSelected, "#auditor-list")
    def _selected(self) -> None:
        target = "#new-code" if self._chosen() == NEW else "#device-name"
        self.query_one(target).focus()

    @on(Input.Submitted)
    def _next_field(self, event: Input.Submitted) -> None:
        if event.input.id == "device-name":
            self.action_save()
        else:
            self.focus_next()

    @on(Input.Changed)
    def _typing(self, event: Input.Changed) -> None:
        """A correction clears the field's complaint; it is checked again on saving."""
        self._error(event.input.id or "", None)

    # -- checking -------------------------------------------------------------------------
    def _error(self, name: str, message: str | None) -> bool:
        label = self.query_one(f"#{name}-error", Label)
        label.update(message or "")
        label.set_class(bool(message), "-error")
        label.display = bool(message)
        return message is None

    def _value(self, name: str) -> str:
        return self.query_one(f"#{name}", Input).value.strip()

    def _check_new(self) -> dict[str, Any] | None:
        assert self.choices is not None
        code, name, phone = (self._value(f"new-{n}") for n in ("code", "name", "phone"))
        taken = {a.code.upper(): a.name for a in self.choices.auditors}
        checks = [
            ("new-code", t("tui.first.need_code") if not code else
             t("tui.first.bad_code", value=code) if not CODE.match(code) else
             t("tui.first.code_taken", code=code, name=taken[code.upper()])
             if code.upper() in taken else None),
            ("new-name", t("tui.first.need_name") if not name else
             t("tui.first.name_too_long") if len(name) > 200 else None),
            ("new-phone", None if PHONE.match(phone) else t("tui.first.bad_phone", value=phone)),
        ]
        ok = [self._error(field, problem) for field, problem in checks]
        if not all(ok):
            self.query_one(f"#{checks[ok.index(False)][0]}").focus()
            return None
        return {"code": code, "name": name, "phone": phone,
                "role": self.query_one("#new-role", Select).value,
                "can_lead": self.query_one("#new-can_lead", Checkbox).value}

    def _check_device(self) -> str | None:
        laptop = self._value("device-name")
        if self._error("device-name", None if laptop else t("tui.first.need_device")):
            return laptop
        self.query_one("#device-name").focus()
        return None

    # -- saving ---------------------------------------------------------------------------
    def action_save(self) -> None:
        if self.choices is None or self._saving:
            return
        chosen = self._chosen()
        if not self._error("auditor", None if chosen else t("tui.first.need_auditor")):
            return
        new = self._check_new() if chosen == NEW else None
        if chosen == NEW and new is None:
            return
        laptop = self._check_device()
        if laptop is None:
            return
        self._saving = True
        self.save(None if chosen == NEW else chosen, new, laptop)

    @work(group="first-run-save", exit_on_error=False)
    async def save(self, auditor_id: str | None, new: dict[str, Any] | None,
                   laptop: str) -> None:
        try:
            chosen = await self.db.call(save_first_run, auditor_id, new, laptop)
        except BaseException:
            self._saving = False  # let the user correct and try again
            raise
        self.app.post_message(DataChanged("auditors"))
        self.dismiss(chosen)

    @on(Button.Pressed, "#start")
    def _start(self) -> None:
        self.action_save()
