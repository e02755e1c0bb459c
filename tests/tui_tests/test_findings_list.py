"""The findings list: what it shows, filters, sorts and totals is checked against the database;
Enter opens the editor, ``a`` adds a finding to the audit; 2,000 findings stay fast."""

from __future__ import annotations

import time
from pathlib import Path

from textual.widgets import Label, Select

from store.i18n import t
from store.money import format_fen
from tests.tui_tests.conftest import open_store, settle
from tui import navigation
from tui.screens.finding_editor import FindingEditorScreen
from tui.screens.findings_list import FindingsListScreen
from tui.widgets.virtual_table import VirtualTable


def db_totals(db: Path, where: str = "1", params: list | tuple = ()) -> tuple[int, int, int]:
    with open_store(db) as store:
        row = store.db.execute(
            "SELECT count(*), coalesce(sum(f.violation_fen), 0), coalesce(sum(f.irregular_fen), 0) "
            "FROM findings f JOIN audits a ON a.id = f.audit_id "
            f"WHERE f.deleted = 0 AND a.deleted = 0 AND ({where})", params).fetchone()
    return tuple(row)


def totals_text(screen: FindingsListScreen) -> str:
    return str(screen.query_one("#findings-totals", Label).render())


def expected(n: int, all_: int, violation: int, irregular: int) -> str:
    return t("findings_ui.totals", n=n, all=all_, violation=format_fen(violation),
             irregular=format_fen(irregular))


async def open_list(pilot, audit_id: str | None) -> FindingsListScreen:
    await settle(pilot)
    navigation.open_findings(pilot.app, audit_id)
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, FindingsListScreen)
    return screen


async def test_all_findings_filter_sort_and_totals(sample_home: Path, make) -> None:
    n, violation, irregular = db_totals(sample_home)
    assert n == 413
    app = make(sample_home)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await pilot.press("f")  # Home's key for every finding
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, FindingsListScreen) and screen.audit_id is None
        table = screen.query_one(VirtualTable)
        assert table.row_count == 413
        assert totals_text(screen) == expected(413, 413, violation, irregular)
        await pilot.press("s")  # first status: 未整改
        await pilot.pause()
        want = db_totals(sample_home, "f.rectify_status = '未整改'")
        assert table.row_count == want[0] == len(screen.shown)
        assert totals_text(screen) == expected(want[0], 413, want[1], want[2])
        await pilot.press("v")  # and 违纪违规
        await pilot.pause()
        want = db_totals(sample_home, "f.rectify_status = '未整改' AND f.nature = '违纪违规'")
        assert totals_text(screen) == expected(want[0], 413, want[1], want[2])
        await pilot.press("x")
        await pilot.pause()
        assert table.row_count == 413
        # unit filter (a Select in the filter bar)
        unit = screen.query_one("#filter-unit", Select)
        first_unit = unit._options[1][1]  # noqa: SLF001 — after the blank entry
        unit.value = first_unit
        await pilot.pause()
        want = db_totals(sample_home, "a.unit_id = ?", [first_unit])
        assert totals_text(screen) == expected(want[0], 413, want[1], want[2])
        await pilot.press("x")
        await pilot.pause()
        # sorting: all audits start by unit; o moves to the next column (item, then amounts)
        assert screen.sort == "unit"
        names = [r.unit_name for r in screen.shown]
        assert names == sorted(names)
        await pilot.press("o", "o")
        await pilot.pause()
        assert screen.sort == "violation"
        amounts = [r.violation_fen for r in screen.shown]
        assert amounts == sorted(amounts, reverse=True) and amounts[0] > 0
        assert "违规金额 ▼" in str(table.columns[-2].label)
        highlighted = screen.selected_id()
        await pilot.press("O")
        await pilot.pause()
        assert [r.violation_fen for r in screen.shown] == sorted(amounts)
        assert screen.selected_id() == highlighted  # re-sorting keeps the cursor's finding
        # Enter opens the highlighted finding
        await pilot.press("home", "down", "enter")
        await settle(pilot)
        editor = app.screen
        assert isinstance(editor, FindingEditorScreen)
        assert editor.finding_id == screen.shown[1].id


async def test_one_audit_area_filter_and_add(sample_home: Path, make) -> None:
    with open_store(sample_home) as store:
        audit_id = store.query("SELECT audit_id, count(*) n FROM findings WHERE deleted = 0 "
                               "GROUP BY audit_id ORDER BY n DESC, audit_id LIMIT 1")[0][
            "audit_id"]
    n, violation, irregular = db_totals(sample_home, "f.audit_id = ?", [audit_id])
    app = make(sample_home)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_list(pilot, audit_id)
        assert totals_text(screen) == expected(n, n, violation, irregular)
        assert not screen.query_one("#filter-unit").display
        codes = [r.item_code for r in screen.shown]
        assert codes[0] < codes[-1] or len(codes) == 1  # checklist order
        await pilot.press("e")  # first area that occurs in this audit
        await pilot.pause()
        area = screen.query_one("#filter-area", Select).value
        want = db_totals(sample_home, "f.audit_id = ? AND f.area_code = ?", [audit_id, area])
        assert totals_text(screen) == expected(want[0], n, want[1], want[2])
        await pilot.press("a")
        await settle(pilot)
        editor = app.screen
        assert isinstance(editor, FindingEditorScreen)
        assert editor.finding_id is None and editor.audit_id == audit_id


async def test_add_is_only_offered_for_one_audit(sample_home: Path, make) -> None:
    app = make(sample_home)
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_list(pilot, None)
        await pilot.press("a")
        await settle(pilot)
        assert app.screen is screen


def _multiply_findings(db: Path, total: int) -> None:
    """Copy sample findings under new ids until there are ``total`` (test data only)."""
    with open_store(db) as store:
        rows = store.query("SELECT * FROM findings WHERE deleted = 0")
        conn = store.db.conn
        conn.execute("BEGIN")
        for i in range(total - len(rows)):
            row = dict(rows[i % len(rows)])
            row["id"] = f"{row['id'][:-6]}{i:06d}"
            cols = ", ".join(row)
            conn.execute(f"INSERT INTO findings ({cols}) VALUES ({', '.join('?' * len(row))})",
                         list(row.values()))
        conn.execute("COMMIT")


async def test_two_thousand_findings_stay_fast(sample_home: Path, make) -> None:
    _multiply_findings(sample_home, 2000)
    app = make(sample_home)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        start = time.perf_counter()
        screen = await open_list(pilot, None)
        opened = time.perf_counter() - start
        assert screen.query_one(VirtualTable).row_count == 2000
        start = time.perf_counter()
        for key in ("s", "s", "v", "x", "o"):
            await pilot.press(key)
            await pilot.pause()
        per_key = (time.perf_counter() - start) / 5
        print(f"2,000 findings: list open {opened:.2f} s, {per_key * 1000:.0f} ms per "
              "filter/sort key")
        assert per_key < 1.0
        assert opened < 5.0
