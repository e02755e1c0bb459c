"""The Sync and Conflicts screens driven through the real app, checked in the database.

The app's file is a copy of the sample county acting as the master; a laptop is checked out
of it, changed through the store API, and merged back (or refreshed) by keys on the screen.
"""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable, Input, Label, Select

from conftest import settle
from store.auditors import auditor_by_code
from store.db import AuditStore
from store.devices import set_current_auditor, unsynced_count
from store.findings import get_finding, update_finding
from store.sync import checkout, list_conflicts, list_receipts, sync_files
from tui.screens.conflicts import ConflictsScreen
from tui.screens.sync import Direction, SyncScreen
from tui.screens.sync_picker import SyncFilePicker

SIZE = (140, 40)


def open_finding(path: Path) -> tuple[str, str]:
    """An open finding of an audit assigned to A01 (in the laptop too) and A01's id."""
    with AuditStore.open(path) as s:
        lead = auditor_by_code(s, "A01").id or ""
        row = s.db.execute(
            "SELECT f.id FROM findings f JOIN audits a ON a.id = f.audit_id "
            "WHERE a.status != 'closed' AND f.deleted = 0 AND a.leader_id = ? "
            "ORDER BY f.id LIMIT 1", [lead]).fetchone()
    return row[0], lead


def laptop_with_edit(master: Path, folder: Path, facts: str) -> tuple[Path, str]:
    laptop = folder / "laptop.db"
    checkout(master, "A01", laptop, device_name="笔记本甲")
    fid, lead = open_finding(laptop)
    with AuditStore.open(laptop) as s:
        update_finding(s, lead, fid, facts=facts)
    return laptop, fid


async def open_sync(pilot) -> SyncScreen:
    await settle(pilot)
    await pilot.press("g", "y")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, SyncScreen)
    return screen


async def type_path(pilot, screen: SyncScreen, path: Path) -> None:
    await pilot.press("slash")
    field = screen.query_one("#sync-path", Input)
    assert field.has_focus
    field.value = str(path)
    await pilot.press("enter")  # previews
    await settle(pilot)


def facts(path: Path, fid: str) -> str:
    with AuditStore.open(path) as s:
        return get_finding(s, fid).facts


async def test_merge_a_laptop_into_this_database(sample_home, make, tmp_path) -> None:
    laptop, fid = laptop_with_edit(sample_home, tmp_path, "笔记本上补充的事实")
    laptop_bytes = laptop.read_bytes()
    app = make(sample_home)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_sync(pilot)
        await type_path(pilot, screen, laptop)
        # The preview reports what would change, and writes nothing.
        report = screen.last_report
        assert report is not None and report.dry_run and report.applied == 1
        assert "预览" in str(screen.query_one("#sync-summary", Label).render())
        assert screen.query_one("#sync-tables", DataTable).get_row("findings")[2].plain == "1"
        assert facts(sample_home, fid) != "笔记本上补充的事实"
        await pilot.press("a")
        await settle(pilot)
        report = screen.last_report
        assert report is not None and not report.dry_run and report.applied == 1
        assert "已合并" in str(screen.query_one("#sync-summary", Label).render())
        assert screen.query_one("#sync-receipts", DataTable).row_count >= 1
    assert facts(sample_home, fid) == "笔记本上补充的事实"
    with AuditStore.open(sample_home) as m, AuditStore.open(laptop) as lap:
        assert [r.direction for r in list_receipts(m)][:1] == ["received"]
        assert "sent" in [r.direction for r in list_receipts(lap)]
        assert unsynced_count(lap) == 0  # the master acknowledged the laptop's edit
    assert laptop.read_bytes() != laptop_bytes


async def test_refresh_a_laptop_from_this_database(sample_home, make, tmp_path) -> None:
    laptop = tmp_path / "laptop.db"
    checkout(sample_home, "A01", laptop, device_name="笔记本甲")
    fid, lead = open_finding(sample_home)
    with AuditStore.open(sample_home) as m:
        update_finding(m, lead, fid, facts="办公室更新的事实")
    app = make(sample_home)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_sync(pilot)
        screen.query_one("#sync-direction", Select).value = Direction.INTO_FILE
        await type_path(pilot, screen, laptop)
        assert screen.last_report is not None and screen.last_report.dry_run
        assert facts(laptop, fid) != "办公室更新的事实"
        await pilot.press("a")
        await settle(pilot)
        assert screen.last_report is not None and not screen.last_report.dry_run
    assert facts(laptop, fid) == "办公室更新的事实"


async def test_a_refused_file_shows_one_line_and_changes_nothing(sample_home, make, tmp_path):
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not a database" * 200)
    app = make(sample_home)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_sync(pilot)
        await type_path(pilot, screen, junk)
        await pilot.press("a")
        await settle(pilot)
        assert screen.last_report is None
        assert screen.last_error and "\n" not in screen.last_error
        assert "SQLite" in screen.last_error
        assert "未同步" in str(screen.query_one("#sync-summary", Label).render())
    assert junk.read_bytes() == b"this is not a database" * 200
    with AuditStore.open(sample_home) as m:
        assert list_receipts(m) == [] or all(r.direction != "received" for r in list_receipts(m))


async def test_pick_the_file_in_the_picker(sample_home, make, tmp_path) -> None:
    laptop, _ = laptop_with_edit(sample_home, tmp_path, "用文件选择器选中的笔记本")
    app = make(sample_home)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_sync(pilot)
        await pilot.press("o")
        # Not settle(): DirectoryTree's loader is a worker that runs while the tree is shown.
        for _ in range(5):
            await pilot.pause()
        picker = app.screen
        assert isinstance(picker, SyncFilePicker)
        # The tree starts in the folder of the open database and lists database files:
        # the root, then laptop.db, then sample.db (the open database itself).
        tree = picker.query_one("#sync-picker-tree")
        assert tree.has_focus
        for _ in range(20):
            if tree.root.children:
                break
            await pilot.pause(0.05)
        assert [str(n.label) for n in tree.root.children] == ["laptop.db", "sample.db"]
        await pilot.press("down", "enter")
        for _ in range(5):
            await pilot.pause()
        await settle(pilot)
        assert app.screen is screen
        assert screen.query_one("#sync-path", Input).value == str(laptop)
        assert screen.last_report is not None and screen.last_report.applied == 1


def finding_title(path, fid: str) -> str:
    with AuditStore.open(path) as s:
        return get_finding(s, fid).title


async def test_resolve_conflicts_in_the_conflicts_view(sample_home, make, tmp_path) -> None:
    laptop_a = tmp_path / "a.db"
    laptop_b = tmp_path / "b.db"
    checkout(sample_home, "A01", laptop_a, device_name="笔记本甲")
    checkout(sample_home, "A01", laptop_b, device_name="笔记本乙")
    fid, lead = open_finding(sample_home)
    for path, text in ((laptop_a, "甲机的事实"), (laptop_b, "乙机的事实")):  # b is later: wins
        with AuditStore.open(path) as s:
            update_finding(s, lead, fid, facts=text)
    app = make(sample_home)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_sync(pilot)
        for path in (laptop_a, laptop_b):
            await type_path(pilot, screen, path)
            await pilot.press("a")
            await settle(pilot)
        assert len(screen.last_report.conflicts) == 1  # type: ignore[union-attr]
        await pilot.press("c")
        await settle(pilot)
        view = app.screen
        assert isinstance(view, ConflictsScreen)
        table = view.query_one(DataTable)
        assert table.row_count == 1
        row = [str(getattr(c, "plain", c)) for c in table.get_row_at(0)]
        # Named as users know them: the kind of record, its unit and title, the field's label.
        assert row[0] == "审计发现" and row[2] == "审计事项摘要"
        assert finding_title(sample_home, fid) in row[1]
        assert "乙机的事实" in row[3] and "笔记本乙" in row[4] and "王建华" in row[4]
        assert "甲机的事实" in row[5] and "笔记本甲" in row[6]
        await pilot.press("s")  # swap: the losing value comes back
        await settle(pilot)
        assert table.row_count == 0
        await pilot.press("r")  # resolved ones too
        await settle(pilot)
        assert table.row_count == 1
    assert facts(sample_home, fid) == "甲机的事实"
    with AuditStore.open(sample_home) as m:
        assert list_conflicts(m) == []
        [c] = list_conflicts(m, include_resolved=True)
        assert c.resolution == "other"
    # The resolution is a change like any other: it reaches the laptops.
    sync_files(sample_home, laptop_b)
    assert facts(laptop_b, fid) == "甲机的事实"


async def test_on_a_laptop_the_header_counter_drops_after_syncing_to_the_master(
        sample_home, make, tmp_path) -> None:
    laptop, fid = laptop_with_edit(sample_home, tmp_path, "在笔记本上打开界面同步")
    with AuditStore.open(laptop) as s:
        set_current_auditor(s, auditor_by_code(s, "A01").id or "")
        assert unsynced_count(s) == 1
    app = make(laptop)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_sync(pilot)
        assert app.shell_status is not None and app.shell_status.unsynced == 1
        screen.query_one("#sync-direction", Select).value = Direction.INTO_FILE
        await type_path(pilot, screen, sample_home)
        await pilot.press("a")
        await settle(pilot)
        assert app.shell_status.unsynced == 0  # DataChanged refreshed the header
    assert facts(sample_home, fid) == "在笔记本上打开界面同步"
