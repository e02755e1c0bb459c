"""Where the shell's screens lead: the workspace, the finding editor and the findings list
(written in parallel, see tui/navigation.py) are replaced here by stand-ins that record how
they were opened, so the wiring is tested whether or not those screens exist yet."""

from __future__ import annotations

import sys
import types
from pathlib import Path

import pytest
from textual.screen import Screen
from textual.widgets import DataTable

from store.audits import list_audits
from store.devices import current_auditor_id
from store.worklist import late_rectifications, my_audits
from tests.tui_tests.conftest import TODAY, open_store, settle
from tui.screens.home import HomeScreen


class StandIn(Screen[None]):
    def __init__(self, *args: object) -> None:
        super().__init__()
        self.args = args

    @classmethod
    def reusable(cls, _app: object, *args: object) -> StandIn:
        """How navigation opens the finding editor (the app keeps one and reuses it)."""
        return cls(*args)


@pytest.fixture
def stand_ins(monkeypatch: pytest.MonkeyPatch) -> dict[str, type[StandIn]]:
    made = {}
    for module, name in [("tui.screens.workspace", "AuditWorkspaceScreen"),
                         ("tui.screens.finding_editor", "FindingEditorScreen"),
                         ("tui.screens.findings_list", "FindingsListScreen")]:
        fake = types.ModuleType(module)
        made[name] = type(name, (StandIn,), {})
        setattr(fake, name, made[name])
        monkeypatch.setitem(sys.modules, module, fake)
    return made


async def test_home_opens_the_audit_and_the_late_finding(sample_home: Path, make,
                                                         stand_ins) -> None:
    with open_store(sample_home) as store:
        first = my_audits(store, current_auditor_id(store) or "")[0]
        late = late_rectifications(store, TODAY)[0]
    app = make(sample_home)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, stand_ins["AuditWorkspaceScreen"])
        assert app.screen.args == (first.id, None)
        app.pop_screen()
        await settle(pilot)
        app.screen.query_one("#late", DataTable).focus()
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, stand_ins["FindingEditorScreen"])
        assert app.screen.args == (late.finding_id, late.audit_id, None)


async def test_findings_of_all_audits_from_home_and_palette(sample_home: Path, make,
                                                            stand_ins) -> None:
    app = make(sample_home)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await pilot.press("f")
        await settle(pilot)
        assert isinstance(app.screen, stand_ins["FindingsListScreen"])
        assert app.screen.args == (None,)
        app.pop_screen()
        await app.run_action("findings_all")  # what "findings: all" in the palette runs
        await settle(pilot)
        assert isinstance(app.screen, stand_ins["FindingsListScreen"])


async def test_launch_resumes_at_the_last_audit_and_item(sample_home: Path, make,
                                                         stand_ins) -> None:
    with open_store(sample_home) as store:
        audit = list_audits(store, "a.status = 'fieldwork'")[0]
        store.set_meta("last_audit", audit.id)
        store.set_meta("last_item", "C3")
    app = make(sample_home)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, stand_ins["AuditWorkspaceScreen"])
        assert app.screen.args == (audit.id, "C3")
        assert isinstance(app.screen_stack[-2], HomeScreen)
    app = make(sample_home, resume=False)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)


async def test_a_new_audit_opens_in_its_workspace(sample_home: Path, make, stand_ins) -> None:
    from textual.widgets import Select

    app = make(sample_home)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        form = app.screen
        with open_store(sample_home) as store:
            unit_id = store.query("SELECT id FROM units ORDER BY name LIMIT 1")[0]["id"]
        form.query_one("#unit", Select).value = unit_id
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, stand_ins["AuditWorkspaceScreen"])
        (audit_id, item) = app.screen.args
        with open_store(sample_home) as store:
            assert store.query("SELECT unit_id FROM audits WHERE id = ?",
                               [audit_id]) == [{"unit_id": unit_id}]
        assert item is None
        assert isinstance(app.screen_stack[-2], HomeScreen)  # the form is gone
