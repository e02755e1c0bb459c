"""The office screens driven by keys on a copy of the sample county, checked in the database.

A tiny app owns the database thread (as the real app does) and pushes one office screen; the
report day is frozen at 2026-11-23.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from textual.app import App
from textual.widgets import DataTable, Input, Select, Sparkline

from store.db import AuditStore
from store.office.ledger import ledger
from tui.db import DbThread
from tui.screens.office_coverage import OfficeCoverageScreen
from tui.screens.office_forms import (
    CloseFindingForm, ExportForm, PlanCreateForm, ReturnVisitForm, ScheduleVisitForm,
)
from tui.screens.office_ledger import OfficeLedgerScreen
from tui.screens.office_plan import OfficePlanScreen
from tui.screens.office_stats import OfficeStatsScreen

TODAY = date(2026, 11, 23)
from textual.reactive import reactive  # noqa: E402

from tui.widgets.header import ShellStatus  # noqa: E402

CSS = Path(__file__).resolve().parents[2] / "tui" / "office.tcss"
SIZE = (160, 50)


class OfficeTestApp(App[None]):
    CSS_PATH = str(CSS)
    shell_status: reactive[ShellStatus | None] = reactive(None)  # read by the header

    def __init__(self, db_path: Path, screen) -> None:
        super().__init__()
        self.db = DbThread(db_path)
        self.first = screen
        self.errors: list[BaseException] = []

    def today(self) -> date:
        return TODAY

    def report_error(self, error: BaseException) -> None:
        self.errors.append(error)
        self.notify(str(error), severity="error")

    def on_mount(self) -> None:
        self.push_screen(self.first)

    def on_unmount(self) -> None:
        self.db.close()


@pytest.fixture
def db(sample_copy: Path) -> Path:
    """The sample with 王建华 signed in on this device."""
    with AuditStore.open(sample_copy) as store:
        lead = store.db.execute("SELECT id FROM auditors WHERE code = 'A01'").fetchone()[0]
        store.set_meta("auditor_id", lead)
    return sample_copy


async def settle(pilot) -> None:
    for _ in range(3):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def query(path: Path, sql: str, *params) -> list[tuple]:
    with AuditStore.open(path) as store:
        return store.db.execute(sql, params).fetchall()


async def test_ledger_return_visit_then_close(db: Path) -> None:
    """You should see the ledger; a visit recorded on a rectified finding lets 王建华 close it."""
    app = OfficeTestApp(db, OfficeLedgerScreen())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        table = screen.query_one("#ledger-table", DataTable)
        assert table.row_count == 413
        assert "问题整改率" in str(screen.query_one("#ledger-rates").render())
        for _ in range(3):  # all → 未整改 → 部分整改 → 已整改
            await pilot.press("s")
            await settle(pilot)
        assert screen.status_filter == "已整改"
        assert table.row_count == query(
            db, "SELECT count(*) FROM findings WHERE rectify_status = '已整改'")[0][0]
        finding_id = screen.selected_id()

        # 销号 before any visit by 王建华 is refused and changes nothing
        await pilot.press("x")
        await settle(pilot)
        assert isinstance(app.screen, CloseFindingForm)
        await pilot.click("#save")
        await settle(pilot)
        assert app.errors and "回访" in str(app.errors[-1])
        assert query(db, "SELECT rectify_status FROM findings WHERE id = ?", finding_id) == [
            ("已整改",)]

        await pilot.press("v")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ReturnVisitForm)
        assert form.query_one("#visitor", Select).value is not Select.NULL
        form.query_one("#result", Input).value = "现场核对凭证，已整改到位"
        await pilot.click("#save")
        await settle(pilot)
        visits = query(db, "SELECT visited_on, method, result, visitor_id FROM return_visits "
                           "WHERE finding_id = ?", finding_id)
        lead = query(db, "SELECT id FROM auditors WHERE code = 'A01'")[0][0]
        assert visits == [("2026-11-23", "实地", "现场核对凭证，已整改到位", lead)]

        await pilot.press("x")
        await settle(pilot)
        await pilot.click("#save")
        await settle(pilot)
        assert query(db, "SELECT rectify_status, verified_by, verified_at FROM findings "
                         "WHERE id = ?", finding_id) == [("已销号", lead, "2026-11-23")]
        assert table.row_count == 57  # it left the 已整改 filter (58 in the sample)
        assert len(app.errors) == 1


async def test_ledger_visit_form_keeps_bad_input_open(db: Path) -> None:
    """You should see the form stay open with the reason when the date is in the future."""
    app = OfficeTestApp(db, OfficeLedgerScreen())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("o")  # overdue only
        await settle(pilot)
        with AuditStore.open(db) as store:
            rows = ledger(store, TODAY, overdue_only=True)
        assert app.screen.query_one("#ledger-table", DataTable).row_count == len(rows)
        await pilot.press("v")
        await settle(pilot)
        form = app.screen
        form.query_one("#visited_on", Input).value = "2026-13-01"
        form.query_one("#result", Input).value = "x"
        await pilot.click("#save")
        await pilot.pause()
        assert app.screen is form and "月" in str(form.query_one("#form-error").render())
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, OfficeLedgerScreen)
    assert query(db, "SELECT count(*) FROM return_visits") == [(296,)]  # the sample's own


async def test_coverage_screen_filters(db: Path) -> None:
    """You should see the 66 directly managed unions with coverage bars, never audited first."""
    app = OfficeTestApp(db, OfficeCoverageScreen())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        table = screen.query_one("#coverage-table", DataTable)
        assert table.row_count == 66
        summary = str(screen.query_one("#coverage-summary").render())
        assert "59.1%" in summary and "█" in summary
        assert table.get_row_at(0)[6] == "从未审计"
        await pilot.press("d")
        await settle(pilot)
        assert table.row_count == 27  # never audited (15) + overdue (12)
        await pilot.press("d", "m")
        await settle(pilot)
        assert table.row_count == 80


async def test_stats_screen_charts_year_switch_and_export(db: Path, tmp_path: Path) -> None:
    """You should see audits per month and the monthly rate as charts, then the year before."""
    app = OfficeTestApp(db, OfficeStatsScreen())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert screen.data.year == 2026
        assert list(screen.query_one("#audits-spark", Sparkline).data) == list(
            screen.data.current.audits_per_month)
        assert sum(screen.data.current.audits_per_month) == 14
        assert "11月 2" in str(screen.query_one("#audits-bars").render())
        await pilot.press("left_square_bracket")
        await settle(pilot)
        assert screen.data.year == 2025 and screen.data.current.audits == 15
        table = screen.query_one("#stats-table", DataTable)
        assert str(table.ordered_columns[2].label).startswith("2025年")
        assert "%" in str(screen.query_one("#rate-bars").render())
        await pilot.press("e")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ExportForm)
        out = tmp_path / "exports" / "stats.xlsx"
        form.query_one("#path", Input).value = str(out)
        await pilot.click("#save")
        await settle(pilot)
        assert out.exists() and (out.parent / "stats-整改台账.csv").exists()
        assert not app.errors


async def test_plan_screen_creates_audits_and_plans_a_visit(db: Path) -> None:
    """You should see the 2027 candidates (suggested ones ticked) and the visits to plan."""
    app = OfficeTestApp(db, OfficePlanScreen(2027))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        units = screen.query_one("#plan-units", DataTable)
        suggested = len(screen.data.plan.suggested)
        assert suggested >= 40 and len(screen.chosen) == suggested
        assert units.get_row_at(0)[0] == "☑"
        first = screen._key("#plan-units")
        await pilot.press("space")  # untick the first one
        await settle(pilot)
        assert first not in screen.chosen and units.get_row_at(0)[0] == "☐"
        await pilot.press("c")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, PlanCreateForm)
        form.query_one("#per_week", Input).value = "10"
        await pilot.click("#save")
        await settle(pilot)
        assert not app.errors
        created = query(db, "SELECT count(*), count(DISTINCT unit_id), min(planned_start), "
                            "max(planned_end) FROM audits WHERE planned_start LIKE '2027%'")
        n = suggested - 1
        assert created[0][:2] == (n, n) and created[0][2] == "2027-01-04"
        assert query(db, "SELECT count(*) FROM audits WHERE unit_id = ? AND "
                         "planned_start LIKE '2027%'", first) == [(0,)]
        assert screen.data.plan.already_planned == n

        await pilot.press("p")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ScheduleVisitForm)
        audit_id = screen._key("#plan-visits")
        await pilot.click("#save")
        await settle(pilot)
        rows = query(db, "SELECT planned_on, visited_on, method FROM return_visits "
                         "WHERE audit_id = ? AND visited_on IS NULL", audit_id)
        assert rows == [(max(TODAY, date(2027, 1, 1)).isoformat(), None, "实地")]


async def test_stats_year_typed_or_refused(db: Path) -> None:
    """Typing a year and Enter shows that year; a malformed year is refused with its reason."""
    app = OfficeTestApp(db, OfficeStatsScreen())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        year = screen.query_one("#stats-year", Input)
        year.focus()
        year.value = "2024"
        await pilot.press("enter")
        await settle(pilot)
        assert screen.data.year == 2024
        year.value = "20x4"
        await pilot.press("enter")
        await settle(pilot)
        assert screen.data.year == 2024
        assert any("20x4" in str(n.message) for n in app._notifications)
