"""The documents screen on the sample county: the audit's documents listed with their numbers,
a text preview of the chosen one, and ``p`` printing it to a PDF in the documents folder,
numbered on the first print and kept on a reprint."""

from __future__ import annotations

import re
from pathlib import Path

import pdfplumber
from textual.widgets import OptionList, Static

from store import paths
from store.auditors import auditor_by_code
from store.audits import list_audits
from store.enums import FindingNature, RectifyMode
from store.findings import add_finding, list_findings
from tests.tui_tests.conftest import open_store, settle
from tui import navigation
from tui.screens.documents import DocumentsScreen

PLANNED = "明湖新能源股份有限公司工会委员会"  # fieldwork from 2026-12-07, no number yet
WITH_FINDINGS = "石桥环保科技有限公司工会委员会"  # fieldwork done, 11 findings


def audit_id(db: Path, unit: str) -> str:
    with open_store(db) as store:
        return next(a.id for a in list_audits(store) if a.unit_name == unit)


def pdf_text(path: Path) -> str:
    with pdfplumber.open(path) as pdf:
        return re.sub(r"\s+", "", "".join(p.extract_text() or "" for p in pdf.pages))


def static_text(screen, selector: str) -> str:
    """The widget's text with the preview's line breaks removed."""
    return str(screen.query_one(selector, Static).render()).replace("\n", "")


def notices(app) -> list[str]:
    return [str(n.message) for n in app._notifications]  # noqa: SLF001


async def open_screen(pilot, audit: str, finding: str | None = None) -> DocumentsScreen:
    await settle(pilot)
    navigation.open_documents(pilot.app, audit, finding)
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, DocumentsScreen)
    return screen


async def test_preview_then_print_the_notice(sample_home: Path, make) -> None:
    audit = audit_id(sample_home, PLANNED)
    app = make(sample_home)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_screen(pilot, audit)
        options = screen.query_one("#documents-list", OptionList)
        labels = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert labels[0] == "审计通知书（首次打印时编号）"
        assert labels[-2:] == ["审计整改通知书（首次打印时编号）", "审计报告（首次打印时编号）"]
        text = static_text(screen, "#documents-preview")
        assert PLANNED in text and "青工审〔2026〕\u3000号" in text  # not numbered by a preview
        assert "审计组成员" in text and "2026年12月7日" in text
        info = static_text(screen, "#documents-info")
        assert "首次打印时分配" in info
        assert str(paths.home_dir() / "documents") in info
        with open_store(sample_home) as store:
            assert store.query("SELECT count(*) AS n FROM doc_numbers WHERE kind = 'notice' "
                               "AND audit_id = ?", [audit])[0]["n"] == 0

        await pilot.press("p")
        await settle(pilot)
        with open_store(sample_home) as store:
            number = store.query("SELECT text FROM doc_numbers WHERE kind = 'notice' "
                                 "AND audit_id = ?", [audit])[0]["text"]
        assert re.fullmatch(r"青工审〔2026〕[1-9]\d*号", number)
        files = list((paths.home_dir() / "documents").glob("*.pdf"))
        assert len(files) == 1 and "审计通知书" in files[0].name
        printed = pdf_text(files[0])
        assert PLANNED in printed and number in printed
        said = [m for m in notices(app) if str(files[0]) in m]
        assert said and number in said[0]
        # The list and the preview now show the number the notice got.
        assert str(options.get_option_at_index(0).prompt) == f"审计通知书（{number}）"
        assert number in static_text(screen, "#documents-preview")

        await pilot.press("p")  # a reprint keeps the number and replaces the file
        await settle(pilot)
        with open_store(sample_home) as store:
            assert store.query("SELECT count(*) AS n FROM doc_numbers WHERE kind = 'notice' "
                               "AND audit_id = ?", [audit])[0]["n"] == 1
        assert len(list((paths.home_dir() / "documents").glob("*.pdf"))) == 1


async def test_evidence_sheet_of_one_finding(sample_home: Path, make) -> None:
    audit = audit_id(sample_home, WITH_FINDINGS)
    with open_store(sample_home) as store:
        finding = list_findings(store, audit)[0]
    app = make(sample_home)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_screen(pilot, audit, finding.id)
        options = screen.query_one("#documents-list", OptionList)
        assert options.option_count == 1 + 1 + 11 + 2
        highlighted = options.get_option_at_index(options.highlighted or 0)
        assert finding.title in str(highlighted.prompt)
        text = static_text(screen, "#documents-preview")
        assert finding.title in text and "证据提供单位意见" in text and "人民币" in text
        assert "取证单不编发文字号" in static_text(screen, "#documents-info")

        await pilot.press("p")
        await settle(pilot)
        files = list((paths.home_dir() / "documents").glob("*取证单*.pdf"))
        assert len(files) == 1
        printed = pdf_text(files[0])
        assert WITH_FINDINGS in printed and re.sub(r"\s+", "", finding.title) in printed

        await pilot.press("up")  # move to the sheets of all findings
        await settle(pilot)
        assert "审计取证单：全部问题（11 个）" in str(
            options.get_option_at_index(options.highlighted or 0).prompt)
        assert static_text(screen, "#documents-preview").count("审计事项摘要") == 11


async def test_a_document_that_cannot_be_made_says_why(sample_home: Path, make) -> None:
    audit = audit_id(sample_home, PLANNED)  # no findings: no rectification notice yet
    app = make(sample_home)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_screen(pilot, audit)
        options = screen.query_one("#documents-list", OptionList)
        options.highlighted = options.option_count - 2  # 审计整改通知书
        await settle(pilot)
        assert "无法生成这份文书" in static_text(screen, "#documents-info")
        await pilot.press("p")
        await settle(pilot)
        assert not list((paths.home_dir() / "documents").glob("*.pdf"))
        assert any(PLANNED in m for m in notices(app))
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, DocumentsScreen)


def test_snapshot_notice_preview(snap_compare, sample_home: Path, make,
                                 monkeypatch) -> None:
    """You should see 审计文书 · 明湖新能源股份有限公司工会委员会 in the header; on the left
    可打印的文书: 审计通知书（首次打印时编号） highlighted, 审计取证单：全部问题（0 个）,
    审计整改通知书 and 审计报告 (both 首次打印时编号); on the right 发文字号：首次打印时分配
    (预览中显示为“青工审〔2026〕　号”), 打印到：/srv/审计文书, then the notice's text: the issuer
    青山县总工会经费审查委员会, 青工审〔2026〕　号, the title, 明湖新能源股份有限公司工会委员会：
    and the opening paragraph; the footer shows p 打印PDF and esc 返回."""
    monkeypatch.setenv("FIELDAUDIT_DOCUMENTS_DIR", "/srv/审计文书")
    audit = audit_id(sample_home, PLANNED)

    async def show(pilot) -> None:
        await open_screen(pilot, audit)

    assert snap_compare(make(sample_home), terminal_size=(100, 32), run_before=show)


def test_preview_lines_follow_the_documents_line_breaking() -> None:
    from rich.cells import cell_len
    from rich.text import Text

    from store.textbreak import NO_LINE_START
    from tui.formatting import wrap_cjk

    text = "\u3000\u3000经抽查记-0123号凭证，支付慰问品费用12,345.60元。" * 6 + "\n\n附件：清单"
    lines = wrap_cjk(Text(text), 20).plain
    assert lines.replace("\n", "") == text.replace("\n", "")
    for line in lines.split("\n"):
        assert cell_len(line) <= 20
        assert not line or line[0] not in NO_LINE_START
        assert "12,345" not in line or "12,345.60" in line  # an amount is never cut
        assert "记-" not in line or "记-0123" in line


async def test_printing_the_rectification_notice_records_its_deadlines(sample_home: Path,
                                                                      make) -> None:
    audit = audit_id(sample_home, WITH_FINDINGS)
    with open_store(sample_home) as store:  # every sample finding has a deadline: add one
        lead = auditor_by_code(store, "T01").id
        add_finding(store, lead, audit_id=audit, title="工会经费未单独设账", nature=FindingNature.IRREGULAR,
                    rectify_mode=RectifyMode.IMMEDIATE)
        undated = [f.id for f in list_findings(store, audit) if f.deadline is None]
    assert len(undated) == 1
    app = make(sample_home)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_screen(pilot, audit)
        options = screen.query_one("#documents-list", OptionList)
        options.highlighted = options.option_count - 2  # 审计整改通知书
        await settle(pilot)
        await pilot.press("p")
        await settle(pilot)
        assert any(f"已为 {len(undated)} 个没有整改期限的问题记下" in m for m in notices(app))
        assert list((paths.home_dir() / "documents").glob("*整改通知书*.pdf"))
    with open_store(sample_home) as store:
        dated = {f.id: f.deadline for f in list_findings(store, audit)}
    assert all(dated[f] is not None for f in undated)
