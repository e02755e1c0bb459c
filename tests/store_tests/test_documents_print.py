"""The audit documents as printed: every required element is in the PDF's text, numbers are
allocated once and kept on reprint, pages are A4 with embedded fonts and GB/T 9704 page
numbers, and long texts flow over pages without loss."""

from __future__ import annotations

import os
import re
from datetime import date
from pathlib import Path

import pdfplumber
import pytest
from pypdf import PdfReader
from reportlab.lib.units import mm

from store.auditors import auditor_by_code
from store.county import set_county
from store.documents.common import load_facts
from store.documents.ops import CircleOp
from store.documents.printing import (
    DocKind,
    audits_planned_in,
    default_fonts,
    preview,
    print_document,
)
from store.documents.notice import build_notice
from store.documents.render import layout_pages
from store.enums import FindingNature
from store.errors import InvalidInput, NotFound
from store.findings import add_finding, get_finding
from store.history import history
from store.money import format_fen
from store.worklist import late_rectifications
from tests.store_tests.documents_world import FACTS_1, FACTS_2, add_two_findings, planned_audit

ON = date(2026, 11, 23)
LEFT, TOP, WIDTH, HEIGHT = 28 * mm, 37 * mm, 156 * mm, 225 * mm
RIGHT, BOTTOM = LEFT + WIDTH, TOP + HEIGHT


@pytest.fixture(scope="module")
def fonts():
    return default_fonts()


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def pages_text(path: Path) -> list[str]:
    with pdfplumber.open(path) as pdf:
        return [squash(p.extract_text() or "") for p in pdf.pages]


def acting(store) -> str:
    return auditor_by_code(store, "A01").id or ""


def test_notice_has_every_element_and_its_pages(county_db, tmp_path, fonts) -> None:
    store = county_db
    audit_id = planned_audit(store)
    out = tmp_path / "notice.pdf"
    printed = print_document(store, acting(store), DocKind.NOTICE, audit_id, out, ON,
                             fonts=fonts)
    assert printed.number == "测工审〔2026〕1号" and printed.new_number
    assert printed.warnings == ()
    pages = pages_text(out)
    body = "".join(pages)
    facts = load_facts(store, audit_id)
    for text in ("测试县总工会经费审查委员会", "测工审〔2026〕1号", "甲公司工会委员会：",
                 "审计项目", "甲公司工会委员会2025年度经费收支审计", "审计依据",
                 "《中华人民共和国工会法》", "审计范围和内容", "审计时间", "2026年12月7日",
                 "2026年12月11日", "审计组成员", "组长：王建华；成员：陈静", "需要配合的事项",
                 "审计纪律", "2026年11月23日", "附件：1.被审计单位需提供的资料清单"):
        assert text in body, text
    for area in facts.template.areas:  # scope and content from the template's areas
        assert area.title in body
    # The materials list and the 送达回证 each start a page of their own.
    attachment = next(i for i, p in enumerate(pages) if p.startswith("附件1"))
    assert "被审计单位需提供的资料清单" in pages[attachment]
    assert "工会法人资格证书" in pages[attachment]
    assert "2026年11月23日" in pages[attachment - 1]
    receipt = pages[-1]
    assert receipt.startswith("附件2")
    for text in ("审计通知书送达回证", "审计通知书（测工审〔2026〕1号）", "受送达单位",
                 "收件人签名（盖章）", "拒绝签收", "见证人"):
        assert text in receipt, text
    # The seal area: a circle over the 署名 and the date.
    ops = layout_pages(build_notice(facts, printed.number, ON).document, fonts)
    assert sum(isinstance(op, CircleOp) for page in ops for op in page) == 1


def test_pdf_is_a4_with_embedded_truetype_fonts(county_db, tmp_path, fonts) -> None:
    audit_id = planned_audit(county_db)
    out = tmp_path / "n.pdf"
    print_document(county_db, None, DocKind.NOTICE, audit_id, out, ON, fonts=fonts)
    if os.name == "posix":  # an ordinary file others may read, not mkstemp's private 0600
        assert out.stat().st_mode & 0o044 == 0o044
    reader = PdfReader(out)
    fonts_seen = 0
    for page in reader.pages:
        assert (float(page.mediabox.width), float(page.mediabox.height)) == \
            pytest.approx((595.28, 841.89), abs=0.01)
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            desc = (descendants[0].get_object() if descendants else font).get("/FontDescriptor")
            assert desc is not None and "/FontFile2" in desc.get_object(), font
            fonts_seen += 1
    assert fonts_seen


def test_reprint_keeps_number_and_date_next_audit_gets_the_next(county_db, tmp_path,
                                                                 fonts) -> None:
    store = county_db
    first = planned_audit(store)
    second = planned_audit(store, date(2026, 12, 14), unit_index=1)
    a = print_document(store, None, DocKind.NOTICE, first, tmp_path / "a.pdf", ON, fonts=fonts)
    again = print_document(store, None, DocKind.NOTICE, first, tmp_path / "b.pdf",
                           date(2026, 12, 1), fonts=fonts)
    b = print_document(store, None, DocKind.NOTICE, second, tmp_path / "c.pdf", ON,
                       fonts=fonts)
    assert (a.number, again.number, b.number) == ("测工审〔2026〕1号", "测工审〔2026〕1号",
                                                  "测工审〔2026〕2号")
    assert not again.new_number
    assert "2026年11月23日" in "".join(pages_text(tmp_path / "b.pdf"))  # the first date
    rows = store.query("SELECT kind, serial, text FROM doc_numbers ORDER BY serial")
    assert [(r["kind"], r["serial"]) for r in rows] == [("notice", 1), ("notice", 2)]
    # Other series have their own serials and a different 机关代字, so texts never repeat.
    add_two_findings(store, first)
    r = print_document(store, None, DocKind.REPORT, first, tmp_path / "r.pdf", ON, fonts=fonts)
    c = print_document(store, None, DocKind.RECTIFICATION, first, tmp_path / "z.pdf", ON,
                       fonts=fonts)
    assert (r.number, c.number) == ("测工审报〔2026〕1号", "测工审改〔2026〕1号")
    # Preview shows the number already issued, and issues none.
    before = store.query("SELECT count(*) AS n FROM doc_numbers")[0]["n"]
    assert preview(store, DocKind.NOTICE, first, ON).number == "测工审〔2026〕1号"
    assert "测工审〔2026〕　号" in preview(store, DocKind.NOTICE, second, ON).text.replace(
        "2号", "　号")
    assert store.query("SELECT count(*) AS n FROM doc_numbers")[0]["n"] == before


def test_short_notice_warns_with_the_county_setting(county_db, tmp_path, fonts) -> None:
    store = county_db
    audit_id = planned_audit(store)  # fieldwork Monday 2026-12-07
    late = print_document(store, None, DocKind.NOTICE, audit_id, tmp_path / "a.pdf",
                          date(2026, 12, 3), fonts=fonts)  # Thu: Fri + Mon = 2 working days
    assert len(late.warnings) == 1 and "2 个工作日" in late.warnings[0]
    assert preview(store, DocKind.NOTICE, audit_id, ON).warnings  # reprint keeps its date
    other = planned_audit(store, date(2026, 12, 14), unit_index=1)
    assert preview(store, DocKind.NOTICE, other, date(2026, 12, 9)).warnings == ()  # Thu,Fri,Mon
    set_county(store, None, notice_lead_days=5)
    assert preview(store, DocKind.NOTICE, other, date(2026, 12, 9)).warnings
    after = preview(store, DocKind.NOTICE, other, date(2026, 12, 16)).warnings
    assert len(after) == 1 and "不早于进场日" in after[0] and "-" not in after[0].split("日")[0]


def test_notice_basis_names_laws_not_coding_standards(county_db, fonts) -> None:
    from store.documents.notice import regulations

    store = county_db
    facts = load_facts(store, planned_audit(store))
    cited = [b.regulation for _a, i in facts.template.iter_items() for b in i.basis]
    assert any(r.startswith("GB 32100") for r in cited)  # the template does cite it …
    basis = regulations(facts)
    assert basis and not any(r.startswith("GB") for r in basis)  # … the notice does not
    assert any("工会法" in r for r in basis)


def test_evidence_sheet_amounts_in_capitals_and_auditee_block(county_db, tmp_path,
                                                              fonts) -> None:
    store = county_db
    audit_id = planned_audit(store)
    ids = add_two_findings(store, audit_id)
    out = tmp_path / "e.pdf"
    printed = print_document(store, None, DocKind.EVIDENCE, audit_id, out, ON, fonts=fonts)
    assert printed.number == "" and printed.pages == 2
    pages = pages_text(out)
    assert squash(FACTS_1) in pages[0] and squash(FACTS_2) in pages[1]
    assert "¥1,409.50（人民币壹仟肆佰零玖元伍角）" in pages[0]
    assert "¥107,000.53（人民币壹拾万柒仟元零伍角叁分）" in pages[1]
    for page in pages:
        for text in ("审计取证单", "项目名称", "被审计单位", "甲公司工会委员会", "审计事项摘要",
                     "审计依据", "审计人员", "王建华、陈静", "编制日期", "2026年11月23日",
                     "证据提供单位意见", "负责人签名", "盖章", "拒绝签署意见", "两名审计"):
            assert text in page, text
    one = tmp_path / "one.pdf"
    assert print_document(store, None, DocKind.EVIDENCE, audit_id, one, ON, ids[1],
                          fonts=fonts).pages == 1
    assert "旅游支出未经集体研究" in pages_text(one)[0]
    with pytest.raises(NotFound):
        print_document(store, None, DocKind.EVIDENCE, audit_id, one, ON, "nope", fonts=fonts)
    empty = planned_audit(store, date(2026, 12, 14), unit_index=1)
    with pytest.raises(InvalidInput):
        print_document(store, None, DocKind.EVIDENCE, empty, one, ON, fonts=fonts)


def test_rectification_notice_lists_mode_deadline_and_report_requirement(
        county_db, tmp_path, fonts) -> None:
    store = county_db
    audit_id = planned_audit(store)
    add_two_findings(store, audit_id)
    out = tmp_path / "z.pdf"
    print_document(store, None, DocKind.RECTIFICATION, audit_id, out, ON, fonts=fonts)
    text = "".join(pages_text(out))
    for part in ("测工审改〔2026〕1号", "关于甲公司工会委员会审计发现问题整改的通知",
                 "（一）节日慰问品超标准发放", "追回超标准部分，今后严格执行慰问标准",
                 "整改方式：限期整改；整改期限：2027年1月15日前",
                 "（二）旅游支出未经集体研究", "建立重大支出集体决策制度",
                 "整改方式：立行立改；整改期限：2026年11月30日前",  # 立行立改: 7 days
                 "书面整改报告", "请于2027年1月15日前", "第一责任人", "2026年11月23日"):
        assert part in text, part


def test_the_notice_records_the_deadlines_it_sets_so_the_ledger_sees_them(
        county_db, tmp_path, fonts) -> None:
    store = county_db
    audit_id = planned_audit(store)
    own, immediate = add_two_findings(store, audit_id)
    assert get_finding(store, immediate).deadline is None
    print_document(store, None, DocKind.RECTIFICATION, audit_id, tmp_path / "z.pdf", ON,
                   fonts=fonts)
    assert get_finding(store, own).deadline == date(2027, 1, 15)  # its own, untouched
    assert get_finding(store, immediate).deadline == date(2026, 11, 30)  # 立行立改: 7 days
    history_of = [e.field for e in history(store, "findings", immediate) if e.base is not None]
    assert history_of == ["deadline"]  # a logged change, which syncs like any other
    # a reprint days later is the same notice: same dates, nothing written again
    before = store.db.execute("SELECT count(*) FROM changes").fetchone()[0]
    print_document(store, None, DocKind.RECTIFICATION, audit_id, tmp_path / "z2.pdf",
                   date(2026, 12, 20), fonts=fonts)
    assert store.db.execute("SELECT count(*) FROM changes").fetchone()[0] == before
    assert "整改期限：2026年11月30日前" in "".join(pages_text(tmp_path / "z2.pdf"))
    late = {r.finding_id for r in late_rectifications(store, date(2026, 12, 1))}
    assert immediate in late and own not in late


def test_report_table_totals_conclusion_and_feedback(county_db, tmp_path, fonts) -> None:
    store = county_db
    audit_id = planned_audit(store)
    add_two_findings(store, audit_id)
    out = tmp_path / "r.pdf"
    print_document(store, None, DocKind.REPORT, audit_id, out, ON, fonts=fonts)
    text = "".join(pages_text(out))
    for part in ("审计报告（征求意见稿）", "审计概况", "审计依据", "审计发现的问题",
                 "违规金额", "不规范金额", "被审计单位书面意见", "合计（共2个问题）",
                 format_fen(140950), format_fen(10700053), "审计结论", "审计建议",
                 "被审计单位反馈意见", "10日内", "视为无异议", "被审计单位意见"):
        assert part in text, part
    assert f"合计（共2个问题）{format_fen(140950)}{format_fen(10700053)}" in text


@pytest.mark.parametrize("members, staff, says", [
    (157, 160, "现有会员157人、职工160人，"), (157, 0, "现有会员157人，"),
    (0, 160, "现有职工160人，"), (0, 0, "所在单位为"),
])
def test_report_overview_leaves_out_counts_the_roster_lacks(county_db, members, staff,
                                                            says) -> None:
    from store.units import update_unit

    store = county_db
    audit_id = planned_audit(store)
    unit_id = store.query("SELECT unit_id FROM audits WHERE id = ?", [audit_id])[0]["unit_id"]
    update_unit(store, None, unit_id, member_count=members, staff_count=staff)
    text = preview(store, DocKind.REPORT, audit_id, ON).text
    assert says in text
    assert "0人" not in text.replace("160人", "").replace("157人", "")


def _page_number_boxes(path: Path) -> list[tuple[str, float, float]]:
    """(text, x0, x1) of the characters below the 版心 on each page."""
    out = []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            chars = [c for c in page.chars if c["top"] > BOTTOM]
            out.append(("".join(c["text"] for c in chars).replace(" ", ""),
                        min(c["x0"] for c in chars), max(c["x1"] for c in chars)))
    return out


@pytest.mark.parametrize("n_findings", [0, 2, 12])
def test_report_numbers_every_page_odd_right_even_left(county_db, tmp_path, fonts,
                                                       n_findings) -> None:
    """A report of three pages or more: "— 1 —", "— 2 —", "— 3 —" … under the 版心, odd
    pages 1 字 from the right edge of the 版心, even pages 1 字 from the left."""
    store = county_db
    audit_id = planned_audit(store)
    for i in range(1, n_findings + 1):
        add_finding(store, None, audit_id=audit_id, title=f"第{i}个问题", facts="事实。" * 10,
                    violation_fen=100 * i, nature=FindingNature.VIOLATION)
    out = tmp_path / "r.pdf"
    printed = print_document(store, None, DocKind.REPORT, audit_id, out, ON, fonts=fonts)
    boxes = _page_number_boxes(out)
    assert printed.pages == len(boxes) >= 3
    assert [b[0] for b in boxes] == [f"—{n}—" for n in range(1, len(boxes) + 1)]
    assert [b[0] for b in boxes][:3] == ["—1—", "—2—", "—3—"]
    one_char = 14.0  # 1 字 of 4号 type
    for number, (_text, x0, x1) in enumerate(boxes, start=1):
        if number % 2:
            assert x1 == pytest.approx(RIGHT - one_char, abs=1.0)
        else:
            assert x0 == pytest.approx(LEFT + one_char, abs=1.0)


def test_a_5000_character_finding_flows_over_pages_without_loss(county_db, tmp_path,
                                                               fonts) -> None:
    store = county_db
    audit_id = planned_audit(store)
    parts, i = [], 0
    while sum(map(len, parts)) < 5000:
        i += 1
        parts.append(f"经抽查2025年{i % 12 + 1}月{i % 28 + 1}日记-{i:04d}号凭证，支付慰问品费用"
                     f"{i * 37},{i % 1000:03d}.50元，未附发放名单。")
    facts = "".join(parts)
    assert len(facts) >= 5000
    finding = add_finding(store, None, audit_id=audit_id, title="长篇问题", facts=facts,
                          violation_fen=123456, nature=FindingNature.VIOLATION)
    out = tmp_path / "long.pdf"
    printed = print_document(store, None, DocKind.EVIDENCE, audit_id, out, ON, finding.id,
                             fonts=fonts)
    assert printed.pages >= 3
    text = ""
    with pdfplumber.open(out) as pdf:
        for page in pdf.pages:
            for c in page.chars:  # nothing outside the 版心 but the page number
                if c["top"] > BOTTOM:
                    continue
                assert LEFT - 1 <= c["x0"] and c["x1"] <= RIGHT + 1, c["text"]
                assert c["top"] >= TOP - 1
            inside = page.within_bbox((0, TOP - 1, page.width, BOTTOM + 1))
            text += squash(inside.extract_text() or "")
    # Every character of the facts, in order (labels of other cells may sit between them).
    position = 0
    for ch in squash(facts):
        position = text.find(ch, position)
        assert position >= 0, "lost text"
        position += 1
    assert text.count("凭证") >= facts.count("凭证")


def test_audits_planned_in_month(county_db) -> None:
    a = planned_audit(county_db)
    b = planned_audit(county_db, date(2026, 12, 14), unit_index=1)
    planned_audit(county_db, date(2027, 1, 4))
    assert audits_planned_in(county_db, 2026, 12) == [a, b]
    assert audits_planned_in(county_db, 2026, 11) == []


def test_every_document_wording_key_exists() -> None:
    from store.i18n import catalogue

    root = Path(__file__).resolve().parents[2] / "store" / "documents"
    used = set()
    for path in root.glob("*.py"):
        used |= set(re.findall(r'doc_text\(\s*"([a-z_.]+)"', path.read_text(encoding="utf-8")))
    assert used
    missing = sorted(k for k in used if f"documents.{k}" not in catalogue())
    assert not missing, missing
