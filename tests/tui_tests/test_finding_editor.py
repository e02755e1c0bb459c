"""The finding editor driven as a user would: amounts in yuan with their 人民币大写, dates in
both forms, malformed input refused with nothing saved, evidence attached by SHA-256, Esc
asking before unsaved text is lost, and the forward-only rectification status."""

from __future__ import annotations

import gc
import hashlib
from datetime import date
from pathlib import Path

import pytest
from textual.widgets import DataTable, Input, Label, OptionList, Select, TextArea

from store.auditors import auditor_by_code
from store.enums import RectifyStatus
from store.findings import get_finding
from store.i18n import t
from tests.tui_tests.conftest import open_store, settle
from tui import navigation
from tui.screens.file_picker import FilePickerScreen
from tui.screens.finding_dialogs import DiscardChangesModal, RectifyStatusModal
from tui.screens.finding_editor import FindingEditorScreen
from tui.screens.workspace_confirm import WorkspaceConfirm

UNIT = "石桥环保科技有限公司工会委员会"  # an audit in fieldwork in the sample, 11 findings


def fieldwork_audit(db: Path) -> str:
    with open_store(db) as store:
        return store.query(
            "SELECT a.id FROM audits a JOIN units u ON u.id = a.unit_id "
            "WHERE u.name = ? AND a.status = 'fieldwork'", [UNIT])[0]["id"]


def finding_ids(db: Path, audit_id: str) -> set[str]:
    with open_store(db) as store:
        return {r["id"] for r in store.query(
            "SELECT id FROM findings WHERE audit_id = ? AND deleted = 0", [audit_id])}


def note(screen: FindingEditorScreen, name: str, kind: str = "-error") -> str:
    label = screen.query_one(f"#{name}-note", Label)
    return str(label.render()) if label.display and label.has_class(kind) else ""


async def open_editor(pilot, finding_id: str | None, audit_id: str,
                      prefill: dict | None = None) -> FindingEditorScreen:
    await settle(pilot)
    navigation.open_finding(pilot.app, finding_id, audit_id, prefill)
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, FindingEditorScreen)
    return screen


async def test_new_finding_amounts_dates_and_capitals(sample_home: Path, make) -> None:
    audit_id = fieldwork_audit(sample_home)
    before = finding_ids(sample_home, audit_id)
    app = make(sample_home)
    async with app.run_test(size=(100, 32)) as pilot:
        editor = await open_editor(pilot, None, audit_id)
        assert app.focused is editor.query_one("#title", Input)
        await pilot.press(*"bai tiao")  # typed, not set: the field takes keys
        editor.query_one("#title", Input).value = "白条抵库"
        editor.query_one("#violation", Input).focus()
        await pilot.press(*"1,234.50")
        await pilot.pause()
        assert editor.query_one("#violation", Input).value == "1,234.50"
        assert note(editor, "violation", "-hint") == "人民币壹仟贰佰叁拾肆元伍角"
        editor.query_one("#irregular", Input).value = "１２３４"  # full-width, as an IME types
        await pilot.pause()
        assert note(editor, "irregular", "-hint") == "人民币壹仟贰佰叁拾肆元整"
        editor.query_one("#deadline", Input).value = "2026年12月31日"
        await pilot.pause()
        assert note(editor, "deadline", "-hint") == t("findings_ui.date_read",
                                                      date="2026年12月31日")
        editor.query_one("#facts", TextArea).load_text("经抽查记-12号凭证，库存现金以白条抵库。")
        assert editor.has_unsaved_changes
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is editor  # the editor stays open on the saved finding
        assert not editor.has_unsaved_changes
        new = finding_ids(sample_home, audit_id) - before
        assert len(new) == 1 and editor.finding_id in new
        # an update with the other date form
        editor.query_one("#deadline", Input).value = "2027-01-15"
        await pilot.press("ctrl+s")
        await settle(pilot)
    with open_store(sample_home) as store:
        f = get_finding(store, new.pop())
        assert (f.title, f.violation_fen, f.irregular_fen) == ("白条抵库", 123450, 123400)
        assert f.deadline == date(2027, 1, 15) and f.facts.startswith("经抽查记-12号")
        assert f.meta_auditor == auditor_by_code(store, "A01").id
        logged = store.query("SELECT field, old, new FROM changes WHERE rid = ? "
                             "ORDER BY stamp", [f.id])
        assert logged[-1] == {"field": "deadline", "old": '"2026-12-31"', "new": '"2027-01-15"'}


@pytest.mark.parametrize("typed", ["-5", "1.234", "abc"])
async def test_malformed_amount_is_refused_and_nothing_saved(sample_home: Path, make,
                                                            typed: str) -> None:
    audit_id = fieldwork_audit(sample_home)
    before = finding_ids(sample_home, audit_id)
    app = make(sample_home)
    async with app.run_test(size=(100, 32)) as pilot:
        editor = await open_editor(pilot, None, audit_id)
        editor.query_one("#title", Input).value = "超标准发放慰问品"
        editor.query_one("#violation", Input).value = typed
        await pilot.pause()
        message = note(editor, "violation")
        key = {"-5": "formats.money_negative", "1.234": "formats.money_too_many_decimals",
               "abc": "formats.money_not_number"}[typed]
        assert message == t(key, value=typed)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is editor and app.focused is editor.query_one("#violation")
        assert note(editor, "violation") == message
    assert finding_ids(sample_home, audit_id) == before


async def test_bad_date_and_missing_title_are_refused(sample_home: Path, make) -> None:
    audit_id = fieldwork_audit(sample_home)
    before = finding_ids(sample_home, audit_id)
    app = make(sample_home)
    async with app.run_test(size=(100, 32)) as pilot:
        editor = await open_editor(pilot, None, audit_id)
        editor.query_one("#deadline", Input).value = "2026年2月30日"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert note(editor, "title") == t("findings_ui.need_title")
        assert note(editor, "deadline") == t("formats.date_bad_day", value="2026年2月30日",
                                             year=2026, month=2, day=30, last=28)
        assert app.focused is editor.query_one("#title")
    assert finding_ids(sample_home, audit_id) == before


async def test_prefill_and_escape_asks_before_discarding(sample_home: Path, make) -> None:
    audit_id = fieldwork_audit(sample_home)
    before = finding_ids(sample_home, audit_id)
    prefill = {"title": "会计出纳不相容岗位未分离", "nature": "管理不规范", "area_code": "A",
               "item_code": "A6", "basis": "《工会会计制度》"}
    app = make(sample_home)
    async with app.run_test(size=(100, 32)) as pilot:
        editor = await open_editor(pilot, None, audit_id, prefill)
        assert editor.query_one("#title", Input).value == prefill["title"]
        assert editor.query_one("#nature").value == "管理不规范"
        assert editor.query_one("#area").value == "A"
        assert editor.query_one("#item").value == "A6"
        assert editor.query_one("#basis", TextArea).text == "《工会会计制度》"
        assert not editor.has_unsaved_changes  # nothing typed yet
        editor.query_one("#recommendation", TextArea).load_text("建议设专职出纳。")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, DiscardChangesModal)
        await pilot.press("n")
        await settle(pilot)
        assert app.screen is editor
        assert editor.query_one("#recommendation", TextArea).text == "建议设专职出纳。"
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert not isinstance(app.screen, (FindingEditorScreen, DiscardChangesModal))
        # without changes Esc closes at once
        editor = await open_editor(pilot, None, audit_id)
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, (FindingEditorScreen, DiscardChangesModal))
    assert finding_ids(sample_home, audit_id) == before


async def test_attach_and_detach_evidence(sample_home: Path, make, tmp_path: Path) -> None:
    audit_id = fieldwork_audit(sample_home)
    finding_id = sorted(finding_ids(sample_home, audit_id))[0]
    voucher = tmp_path / "记-157号凭证.pdf"
    voucher.write_bytes(b"%PDF-1.4 voucher scan " * 100)
    digest = hashlib.sha256(voucher.read_bytes()).hexdigest()
    app = make(sample_home)
    async with app.run_test(size=(100, 32)) as pilot:
        editor = await open_editor(pilot, finding_id, audit_id)
        assert not editor.query_one("#evidence", DataTable).row_count
        await pilot.press("ctrl+o")
        # the directory tree keeps a loader worker alive while open: settle() would wait for it
        for _ in range(20):
            await pilot.pause(0.05)
            if isinstance(app.screen, FilePickerScreen):
                break
        picker = app.screen
        assert isinstance(picker, FilePickerScreen)
        picker.query_one("#picker-path", Input).value = str(voucher)
        picker.query_one("#picker-path", Input).focus()
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is editor
        table = editor.query_one("#evidence", DataTable)
        assert table.row_count == 1
        assert [str(c) for c in table.get_row_at(0)[:3]] == ["记-157号凭证.pdf", "2.1 KB",
                                                            digest[:12]]
        with open_store(sample_home) as store:
            rows = store.query("SELECT sha256, size, name FROM evidence WHERE finding_id = ? "
                               "AND deleted = 0", [finding_id])
            assert rows == [{"sha256": digest, "size": 2200, "name": "记-157号凭证.pdf"}]
            blob = store.db.execute("SELECT data FROM blobs WHERE sha256 = ?",
                                    [digest]).fetchone()[0]
            assert hashlib.sha256(blob).hexdigest() == digest
        table.focus()
        await pilot.press("delete")
        await settle(pilot)
        assert editor.query_one("#evidence", DataTable).row_count == 0
    with open_store(sample_home) as store:
        assert not store.query("SELECT id FROM evidence WHERE finding_id = ? AND deleted = 0",
                               [finding_id])


async def test_new_finding_needs_saving_before_evidence(sample_home: Path, make) -> None:
    app = make(sample_home)
    async with app.run_test(size=(100, 32)) as pilot:
        editor = await open_editor(pilot, None, fieldwork_audit(sample_home))
        await pilot.press("ctrl+o")
        await settle(pilot)
        assert app.screen is editor
        assert [n.message for n in app._notifications] == [t("findings_ui.save_first")]


async def test_status_moves_forward_only(sample_home: Path, make) -> None:
    with open_store(sample_home) as store:
        row = store.query("SELECT id, audit_id FROM findings WHERE rectify_status = '部分整改' "
                          "AND deleted = 0 ORDER BY id LIMIT 1")[0]
    app = make(sample_home)
    async with app.run_test(size=(100, 32)) as pilot:
        editor = await open_editor(pilot, row["id"], row["audit_id"])
        await pilot.press("ctrl+t")
        await settle(pilot)
        assert isinstance(app.screen, RectifyStatusModal)
        options = app.screen.query_one(OptionList)
        options.highlighted = 0  # 未整改: backwards
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is editor
        refusal = t("findings_ui.status_backwards", old="部分整改", new="未整改")
        assert refusal in [n.message for n in app._notifications]
        await pilot.press("ctrl+t")
        await settle(pilot)
        app.screen.query_one(OptionList).highlighted = 2  # 已整改
        await pilot.press("enter")
        await settle(pilot)
        assert str(editor.query_one("#rectify_status", Label).render()) == "已整改"
    with open_store(sample_home) as store:
        assert get_finding(store, row["id"]).rectify_status == RectifyStatus.DONE


async def test_q_outside_a_text_field_asks_too(sample_home: Path, make) -> None:
    app = make(sample_home)
    async with app.run_test(size=(100, 32)) as pilot:
        editor = await open_editor(pilot, None, fieldwork_audit(sample_home))
        await pilot.press(*"abc")  # into the title
        editor.query_one("#nature").focus()
        await pilot.press("q")
        await settle(pilot)
        assert isinstance(app.screen, DiscardChangesModal)
        await pilot.press("n")
        await settle(pilot)
        assert app.screen is editor and app.is_running
        assert editor.query_one("#title", Input).value == "abc"


async def test_area_picker_refills_items_and_an_item_suggests_its_title(sample_home: Path,
                                                                       make) -> None:
    app = make(sample_home)
    async with app.run_test(size=(100, 32)) as pilot:
        editor = await open_editor(pilot, None, fieldwork_audit(sample_home))
        assert editor.context is not None
        area, item = editor.query_one("#area", Select), editor.query_one("#item", Select)
        assert item.is_blank() and not item._options[1:]  # noqa: SLF001 — no area, no items
        first, second = [code for code, _title in editor.context.areas][:2]
        area.value = first
        await pilot.pause()
        codes = [code for code, _usual in editor.context.items[first]]
        assert [value for _prompt, value in item._options[1:]] == codes  # noqa: SLF001
        item.value = codes[0]
        await pilot.pause()
        usual = dict(editor.context.items[first])[codes[0]]
        assert editor.query_one("#title", Input).value == usual
        area.value = second  # another area: its items, and no item of the first one kept
        await pilot.pause()
        assert [value for _prompt, value in item._options[1:]] == [  # noqa: SLF001
            code for code, _usual in editor.context.items[second]]
        assert item.is_blank()
        area.value = first  # and back
        await pilot.pause()
        assert [value for _prompt, value in item._options[1:]] == codes  # noqa: SLF001


async def test_closed_editors_leave_nothing_behind(sample_home: Path, make) -> None:
    """Each TextArea watches the app's theme, and Textual drops such watchers only when the
    theme next changes (Textualize/textual#6666): without the editor's clean-up every editor
    ever opened stayed in memory, and each full garbage collection, which lands while the next
    screen opens, grew slower."""
    audit_id = fieldwork_audit(sample_home)
    app = make(sample_home)
    async with app.run_test(size=(100, 32)) as pilot:
        for _ in range(3):
            await open_editor(pilot, None, audit_id)
            await pilot.press("escape")
            await settle(pilot)
        assert not isinstance(app.screen, FindingEditorScreen)
        gc.collect()
        left = [o for o in gc.get_objects()
                if isinstance(o, (FindingEditorScreen, TextArea)) and not o.is_attached]
        assert left == []


async def test_a_finding_registered_by_mistake_is_deleted_after_a_question(
        sample_home: Path, make) -> None:
    audit_id = fieldwork_audit(sample_home)
    target = sorted(finding_ids(sample_home, audit_id))[0]
    app = make(sample_home)
    async with app.run_test(size=(100, 32)) as pilot:
        await open_editor(pilot, target, audit_id)
        await pilot.press("ctrl+d")
        await settle(pilot)
        assert isinstance(app.screen, WorkspaceConfirm)
        await pilot.press("n")  # kept
        await settle(pilot)
        assert isinstance(app.screen, FindingEditorScreen)
        assert target in finding_ids(sample_home, audit_id)
        await pilot.press("ctrl+d")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert not isinstance(app.screen, FindingEditorScreen)
        assert any("问题已删除" in str(n.message) for n in app._notifications)  # noqa: SLF001
    assert target not in finding_ids(sample_home, audit_id)
    with open_store(sample_home) as store:  # a tombstone in the log, not a vanished row
        logged = store.query("SELECT new FROM changes WHERE tbl = 'findings' AND rid = ? "
                             "AND field = 'deleted'", [target])
        assert [r["new"] for r in logged] == ["1"]


async def test_findings_of_a_reported_audit_cannot_be_deleted(sample_home: Path,
                                                              make) -> None:
    with open_store(sample_home) as store:
        row = store.query("SELECT f.id, f.audit_id FROM findings f JOIN audits a "
                          "ON a.id = f.audit_id WHERE a.status = 'reported' "
                          "AND f.deleted = 0 LIMIT 1")[0]
    app = make(sample_home)
    async with app.run_test(size=(100, 32)) as pilot:
        await open_editor(pilot, row["id"], row["audit_id"])
        await pilot.press("ctrl+d")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, FindingEditorScreen)  # still editing it
        assert any("已不能删除问题" in str(n.message) for n in app._notifications)  # noqa: SLF001
    assert row["id"] in finding_ids(sample_home, row["audit_id"])


async def test_each_accepted_field_is_saved_when_left_without_ctrl_s(sample_home: Path,
                                                                     make) -> None:
    """Autosave: leaving a field saves the finding (a new one once it has a title); a field
    that does not read is not saved and keeps its message; a kill loses only the field being
    typed."""
    audit_id = fieldwork_audit(sample_home)
    before = finding_ids(sample_home, audit_id)
    app = make(sample_home)
    async with app.run_test(size=(100, 32)) as pilot:
        editor = await open_editor(pilot, None, audit_id)
        await pilot.press("tab")  # leaving an empty title saves nothing
        await settle(pilot)
        assert finding_ids(sample_home, audit_id) == before
        editor.query_one("#title", Input).focus()
        editor.query_one("#title", Input).value = "慰问品超标准"
        editor.query_one("#violation", Input).focus()  # leaves the title: created
        await settle(pilot)
        created = finding_ids(sample_home, audit_id) - before
        assert len(created) == 1 and editor.finding_id in created
        await pilot.press(*"2,000", "tab")
        await settle(pilot)
        with open_store(sample_home) as store:
            assert get_finding(store, editor.finding_id).violation_fen == 200000
        editor.query_one("#violation", Input).focus()
        editor.query_one("#violation", Input).value = "2.000.5"
        await pilot.press("tab")
        await settle(pilot)
        assert note(editor, "violation")  # says what is wrong …
        with open_store(sample_home) as store:  # … and the saved amount stands
            assert get_finding(store, editor.finding_id).violation_fen == 200000
        editor.query_one("#violation", Input).value = "2,000"
        editor.query_one("#facts", TextArea).focus()
        await pilot.press(*"jing cha")  # being typed when the terminal dies
        await settle(pilot)
        app.exit()  # no Ctrl+S, no question: as if killed
    assert finding_ids(sample_home, audit_id) - before == created
    with open_store(sample_home) as store:
        f = get_finding(store, created.pop())
        assert (f.title, f.violation_fen) == ("慰问品超标准", 200000)
        assert "jing cha".startswith(f.facts)  # at most a part of the field being typed
