"""The PDF engine, checked on the PDFs it writes (pdfplumber for positions, pypdf for fonts).

Positions are in PDF points from the top-left of the page (pdfplumber's ``top``); GB/T 9704
margins: left 28 mm, top 37 mm, 版心 156 × 225 mm.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pdfplumber
import pytest
from pypdf import PdfReader
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth

from store.documents import (
    Addressee,
    Attachment,
    AttachmentNote,
    Column,
    Document,
    FontConfig,
    FontNotFound,
    FontRole,
    FontUnusable,
    FormBlock,
    FormField,
    FormRow,
    Heading,
    MissingGlyphs,
    Paragraph,
    RedHeader,
    Signature,
    SmallNote,
    Table,
    Title,
    document_text,
    find_fonts,
    layout_pages,
    render_pdf,
)
from store.documents import fonts as fonts_module
from store.documents.geometry import CELL, PITCH
from store.documents.linebreak import NO_LINE_START
from store.documents.ops import TextOp

LEFT, TOP, WIDTH, HEIGHT = 28 * mm, 37 * mm, 156 * mm, 225 * mm
RIGHT, BOTTOM = LEFT + WIDTH, TOP + HEIGHT
TEXT = ("根据《中华人民共和国工会法》和有关规定，县总工会经费审查委员会决定派出审计组，"
        "自2026年12月1日起，对你单位2025年度工会经费收支情况进行审计。经抽查2025年3月15日"
        "记-0123号凭证，发现支付慰问品费用12,345.60元，超出规定标准（每人每年不超过2000元）。")


@pytest.fixture(scope="module")
def fonts():
    return find_fonts()


def render(tmp_path: Path, fonts, *blocks, attachments=(), name: str = "doc.pdf") -> Path:
    doc = Document(tuple(blocks), title="测试文书", author="某某县总工会经费审查委员会",
                   attachments=tuple(attachments))
    out = tmp_path / name
    render_pdf(doc, out, fonts)
    return out


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def body_lines(page) -> list[list[dict]]:
    """Characters inside the 版心 grouped into lines by baseline, each sorted left to right."""
    rows: dict[float, list[dict]] = {}
    for ch in page.chars:
        if ch["top"] < BOTTOM and ch["text"].strip():
            rows.setdefault(round(ch["bottom"], 0), []).append(ch)
    return [sorted(row, key=lambda c: c["x0"]) for _, row in sorted(rows.items())]


def test_page_size_metadata_and_embedded_truetype_fonts(tmp_path: Path, fonts) -> None:
    out = render(tmp_path, fonts, Title("审计通知书"), Heading(1, "审计范围"), Paragraph(TEXT),
                 Heading(2, "审计时间"))
    reader = PdfReader(out)
    page = reader.pages[0]
    assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(
        (595.28, 841.89), abs=0.01)
    assert reader.metadata.title == "测试文书"
    assert reader.metadata.author == "某某县总工会经费审查委员会"
    fonts_seen = page["/Resources"]["/Font"]
    assert fonts_seen
    for ref in fonts_seen.values():
        font = ref.get_object()
        name = str(font["/BaseFont"])
        assert "STSong" not in name and "Helvetica" not in name
        assert font["/Subtype"] == "/TrueType"
        assert re.match(r"/[A-Z]{6}\+", name), name  # a subset
        assert "/FontFile2" in font["/FontDescriptor"]  # the glyphs are inside the PDF
        assert "/ToUnicode" in font  # text can be searched and copied


def test_text_is_extractable_and_body_sits_on_the_grid(tmp_path: Path, fonts) -> None:
    paragraphs = [TEXT, "第二段：" + TEXT[::-1], "第三段，只有一行。", "工会经费审计" * 10]
    out = render(tmp_path, fonts, *(Paragraph(p) for p in paragraphs))
    with pdfplumber.open(out) as pdf:
        page = pdf.pages[0]
        text = squash(page.extract_text())
        for p in paragraphs:
            assert squash(p) in text
        lines = body_lines(page)
        assert lines[0][0]["x0"] == pytest.approx(LEFT + 2 * WIDTH / 28, abs=0.5)  # 2 字 indent
        assert lines[1][0]["x0"] == pytest.approx(LEFT, abs=0.5)  # wrapped lines flush left
        for line in lines:
            assert line[0]["x0"] >= LEFT - 0.01
            assert line[-1]["x1"] <= RIGHT + 0.5  # ≤ 0.2 pt em-box overhang, see geometry.py
        # 28 characters on a full line of Chinese text, 22 lines of 28.99 pt.
        assert [len(ln) for ln in lines[-3:]] == [26, 28, 6]
        assert lines[1][0]["top"] - lines[0][0]["top"] == pytest.approx(HEIGHT / 22, abs=0.05)
        assert lines[0][0]["top"] >= TOP


def test_long_paragraph_flows_over_pages_in_order(tmp_path: Path, fonts) -> None:
    base = "工会经费收支审计发现问题，记-0123号凭证金额12,345.60元。（整改）“期限”！"
    long_text = (base * 200)[:5000]
    out = render(tmp_path, fonts, Paragraph(long_text))
    with pdfplumber.open(out) as pdf:
        assert len(pdf.pages) >= 6
        seen = []
        for page in pdf.pages:
            for line in body_lines(page):
                assert line[-1]["x1"] <= RIGHT + 0.5
                assert line[-1]["bottom"] <= BOTTOM
                seen.append("".join(c["text"] for c in line))
        assert "".join(seen) == long_text


def test_no_line_starts_with_a_closing_mark(tmp_path: Path, fonts) -> None:
    # Closing marks at many offsets, so some of them fall at a line start without 避头尾.
    text = "".join(f"{'审计' * (i % 7)}第{i}项，金额{i * 3}.5元。“问题”（情况）！"
                   for i in range(60))
    assert naive_bad_starts(fonts, text) >= 3  # the text does test the rule
    out = render(tmp_path, fonts, Paragraph(text), Addressee("某某工会：" * 9))
    starts = 0
    with pdfplumber.open(out) as pdf:
        for page in pdf.pages:
            for line in body_lines(page):
                starts += 1
                assert line[0]["text"] not in NO_LINE_START, "".join(c["text"] for c in line)
                assert line[-1]["text"] not in "（“‘《「『【〔"
    assert starts > 40


def naive_bad_starts(fonts, text: str) -> int:
    """How many lines would start with a closing mark if lines were simply filled up."""
    face = fonts.primary(FontRole.FANGSONG).name
    bad, used, limit = 0, 0.0, WIDTH - 2 * CELL
    for ch in text:
        advance = stringWidth(ch, face, 16) + CELL - 16
        if used + advance > limit + 0.01:
            bad += ch in NO_LINE_START
            used, limit = 0.0, WIDTH
        used += advance
    return bad


def test_page_numbers_alternate_sides(tmp_path: Path, fonts) -> None:
    out = render(tmp_path, fonts, *(Paragraph(TEXT) for _ in range(12)))
    with pdfplumber.open(out) as pdf:
        assert len(pdf.pages) == 3
        for number, page in enumerate(pdf.pages, start=1):
            below = [c for c in page.chars if c["top"] > BOTTOM]
            text = "".join(c["text"] for c in sorted(below, key=lambda c: c["x0"]))
            assert text.replace(" ", "") == f"—{number}—"
            assert f"— {number} —" in page.extract_text()
            x0, x1 = min(c["x0"] for c in below), max(c["x1"] for c in below)
            if number % 2:
                assert x1 == pytest.approx(RIGHT - 14, abs=0.5)  # 1 字 (4号) from the right
            else:
                assert x0 == pytest.approx(LEFT + 14, abs=0.5)
            dash = next(c for c in below if c["text"] == "—")
            middle = (dash["top"] + dash["bottom"]) / 2
            assert middle - BOTTOM == pytest.approx(7 * mm, abs=1.5)
            assert below[0]["size"] == pytest.approx(14)


def test_red_header_rule_and_title(tmp_path: Path, fonts) -> None:
    out = render(tmp_path, fonts, RedHeader("某某县总工会经费审查委员会", "某工审〔2026〕5号"),
                 Title("关于对某某有限公司工会委员会2025年度经费收支情况进行审计的通知"),
                 Addressee("某某有限公司工会委员会："), Paragraph(TEXT))
    with pdfplumber.open(out) as pdf:
        page = pdf.pages[0]
        rules = [ln for ln in page.lines if ln["width"] > 100]
        assert len(rules) == 1
        rule = rules[0]
        assert rule["stroking_color"] == pytest.approx((0, 0.8, 0.8, 0))  # CMYK red
        assert (rule["x0"], rule["x1"]) == pytest.approx((LEFT, RIGHT), abs=0.1)
        issuer = [c for c in page.chars if c["text"] == "某" and c["size"] > 30]
        assert issuer and issuer[0]["non_stroking_color"] == pytest.approx((0, 0.8, 0.8, 0))
        assert issuer[0]["top"] == pytest.approx(TOP + 35 * mm, abs=2)
        number = next(c for c in page.chars if c["text"] == "〔")
        assert rule["top"] - number["bottom"] == pytest.approx(4 * mm, abs=1.5)
        text = page.extract_text()
        lines = text.splitlines()
        title_lines = [ln for ln in lines if "关于" in ln or "通知" in ln]
        assert title_lines == ["关于对某某有限公司工会委员会", "2025年度经费收支情况进行审计的通知"]
        assert "某某有限公司工会委员会：" in lines
        addressee = next(c for c in page.chars if c["text"] == "：")
        assert min(c["x0"] for c in page.chars if abs(c["top"] - addressee["top"]) < 1) == \
            pytest.approx(LEFT, abs=0.5)


def test_headings_numbered_with_their_fonts(tmp_path: Path, fonts) -> None:
    blocks = [Heading(1, "审计概况"), Heading(2, "基本情况"), Heading(3, "收入"),
              Heading(4, "会费收入", body="全年收缴会费12,000.00元。"), Heading(4, "其他"),
              Heading(2, "发现问题"), Heading(1, "审计意见")]
    doc = Document(tuple(blocks), title="t")
    assert document_text(doc).splitlines() == [
        "\u3000\u3000一、审计概况", "\u3000\u3000（一）基本情况", "\u3000\u30001.收入",
        "\u3000\u3000（1）会费收入全年收缴会费12,000.00元。", "\u3000\u3000（2）其他",
        "\u3000\u3000（二）发现问题", "\u3000\u3000二、审计意见"]
    out = render(tmp_path, fonts, *blocks)
    role_fonts = {r: fonts.primary(r).postscript_name for r in FontRole}
    with pdfplumber.open(out) as pdf:
        lines = body_lines(pdf.pages[0])
        assert "".join(c["text"] for c in lines[0]) == "一、审计概况"
        expected = [FontRole.HEI, FontRole.KAI, FontRole.FANGSONG, FontRole.FANGSONG]
        for line, role in zip(lines, expected, strict=False):
            assert line[0]["fontname"].split("+")[1].startswith(role_fonts[role])
        assert lines[0][0]["x0"] == pytest.approx(LEFT + 2 * WIDTH / 28, abs=0.5)


def test_table_repeats_header_and_keeps_rows_inside(tmp_path: Path, fonts) -> None:
    rows = tuple((str(i), f"发放节日慰问品超标准，涉及记-{i:04d}号凭证" * (1 + i % 3),
                  f"{i * 1234.5:,.2f}") for i in range(1, 40))
    table = Table((Column("序号", 0.6, "center"), Column("问题摘要", 4), Column("金额（元）", 1.4,
                   "right")), rows, totals=("合计", "", "999.00"))
    out = render(tmp_path, fonts, Paragraph("问题如下："), table, Paragraph("以上问题请整改。"))
    summary_x = (LEFT + WIDTH * 0.6 / 6, LEFT + WIDTH * 4.6 / 6)
    with pdfplumber.open(out) as pdf:
        assert len(pdf.pages) >= 3
        all_text, summaries = "", ""
        for page in pdf.pages:
            text = squash(page.extract_text())
            assert "序号" in text and "问题摘要" in text
            all_text += text
            summaries += column_text(page, *summary_x)
            for ch in page.chars:
                if ch["top"] < BOTTOM:
                    assert ch["x0"] >= LEFT - 0.01 and ch["x1"] <= RIGHT + 0.01
                    assert ch["bottom"] <= BOTTOM + 0.01
            for edge in page.lines:
                assert edge["bottom"] <= BOTTOM + 0.01
        # Every summary, whole and in order (the repeated headers taken out).
        assert "".join(s for _, s, _ in rows) in summaries.replace("问题摘要", "")
        for _, _, amount in rows:
            assert amount in all_text
        assert all_text.index("合计") < all_text.index("以上问题请整改")


def column_text(page, x0: float, x1: float) -> str:
    """Text of the characters between ``x0`` and ``x1`` inside the 版心, in reading order."""
    chars = [c for c in page.chars if x0 <= c["x0"] and c["x1"] <= x1 and c["top"] < BOTTOM]
    chars.sort(key=lambda c: (round(c["top"]), c["x0"]))
    return "".join(c["text"] for c in chars)


def test_form_block_boxes_and_long_values(tmp_path: Path, fonts) -> None:
    form = FormBlock((
        FormRow((FormField("项目名称", "某某工会2025年度经费收支审计"),)),
        FormRow((FormField("审计事项摘要", TEXT * 8),), min_lines=6),
        FormRow((FormField("证据提供单位意见", "", "签名（盖章）：　　年　　月　　日"),), 3),
        FormRow((FormField("审计人员", "张三"), FormField("编制日期", "2026年12月3日"))),
    ))
    out = render(tmp_path, fonts, Title("审计取证单"), form)
    with pdfplumber.open(out) as pdf:
        assert len(pdf.pages) == 2
        text = squash("".join(p.extract_text() for p in pdf.pages))
        label_right = LEFT + 6 * 14 + 2 * 14 * 0.4  # six 4号 characters and the padding
        values = "".join(column_text(p, label_right, RIGHT) for p in pdf.pages)
        assert squash(TEXT * 8) in values
        for label in ("项目名称", "审计事项摘要", "证据提供单位意见", "编制日期", "签名（盖章）"):
            assert label in text.replace("\n", "")
        assert any(len(p.lines) > 8 for p in pdf.pages)


def test_signature_block_position_and_seal(tmp_path: Path, fonts) -> None:
    doc = Document((Paragraph(TEXT), AttachmentNote(("资料清单。", "审计组成员名单")),
                    Signature("某某县总工会经审会", date(2026, 11, 23)),
                    SmallNote("联系人：张三")), title="t")
    pages = layout_pages(doc, fonts)
    assert len(pages) == 1
    texts = {"".join(r.text for r in op.runs): op for op in pages[0] if isinstance(op, TextOp)}
    date_op, issuer_op = texts["2026年11月23日"], texts["某某县总工会经审会"]
    date_w = sum(fonts_width(fonts, "2026年11月23日"))
    assert date_op.runs[0].x + date_w == pytest.approx(RIGHT - 4 * CELL, abs=0.5)
    assert issuer_op.line + 1 == date_op.line
    assert texts["附件："].runs[0].x == pytest.approx(LEFT + 2 * CELL)
    assert texts["1. 资料清单"].runs[0].x == pytest.approx(LEFT + 5 * CELL, abs=0.5)
    assert texts["2. 审计组成员名单"].runs[0].x == texts["1. 资料清单"].runs[0].x
    note = texts["（联系人：张三）"]
    assert note.y > date_op.y
    assert "附件：" in document_text(doc) and "2. 审计组成员名单" in document_text(doc)


def fonts_width(fonts, text: str) -> list[float]:
    face = fonts.primary(FontRole.FANGSONG).name
    return [stringWidth(ch, face, 16) + (CELL - 16) for ch in text]


def test_signature_never_stands_alone_on_a_page(tmp_path: Path, fonts) -> None:
    # Fill the page to its last grid line, so the signature must go to page 2.
    filler = [Paragraph("审" * (28 - 2 + 28 * 3)) for _ in range(5)] + [Paragraph("完。")]
    doc = Document((*filler, Signature("某某县总工会经审会", "2026年11月23日")), title="t")
    pages = layout_pages(doc, fonts)
    assert len(pages) == 2
    body_on_2 = [op for op in pages[1] if isinstance(op, TextOp) and op.movable]
    assert len(body_on_2) == 2  # the last two body lines came along
    assert body_on_2[0].line == 0


def test_attachment_pages(tmp_path: Path, fonts) -> None:
    out = render(tmp_path, fonts, Paragraph(TEXT), attachments=[
        Attachment("审计需提供资料清单", (Paragraph("1.会计凭证"),), number=1)])
    with pdfplumber.open(out) as pdf:
        assert len(pdf.pages) == 2
        lines = body_lines(pdf.pages[1])
        assert "".join(c["text"] for c in lines[0]) == "附件1"
        assert lines[0][0]["x0"] == pytest.approx(LEFT, abs=0.5)
        assert lines[0][0]["top"] < TOP + PITCH
        title = lines[1]
        assert "".join(c["text"] for c in title) == "审计需提供资料清单"
        assert 2 * PITCH < title[0]["top"] - TOP < 3 * PITCH  # line 3
        centre = (title[0]["x0"] + title[-1]["x1"]) / 2
        assert centre == pytest.approx(LEFT + WIDTH / 2, abs=1)


def test_missing_glyph_is_refused_naming_the_character(tmp_path: Path, fonts) -> None:
    out = tmp_path / "bad.pdf"
    doc = Document((Paragraph("审计\U0010fffd结论"),), title="t")
    with pytest.raises(MissingGlyphs) as err:
        render_pdf(doc, out, fonts)
    assert "U+10FFFD" in err.value.message("zh") and "U+10FFFD" in err.value.message("en")
    assert "仿宋" in err.value.message("zh")
    assert not out.exists() and not list(tmp_path.iterdir())
    assert fonts.missing_glyphs("审计\U0010fffd", FontRole.FANGSONG) == {"\U0010fffd"}


def test_missing_character_falls_back_to_another_face(fonts) -> None:
    primary = fonts.primary(FontRole.FANGSONG)
    others = [f for f in fonts.faces(FontRole.FANGSONG) if f is not primary]
    spare = next(chr(cp) for f in others for cp in sorted(f.cmap - primary.cmap)
                 if 0x4E00 <= cp <= 0x9FFF or 0x3000 <= cp <= 0x30FF or 0xFF00 <= cp <= 0xFFEF)
    runs = fonts.runs(f"审计{spare}结论", FontRole.FANGSONG)
    assert [text for _, text in runs] == ["审计", spare, "结论"]
    assert runs[1][0] is not primary and runs[1][0].covers(spare)


def test_no_fonts_found_says_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fonts_module, "default_search_dirs", lambda: [])
    with pytest.raises(FontNotFound) as err:
        find_fonts()
    assert "apt-get install fonts-wqy-zenhei fonts-arphic-uming fonts-arphic-ukai" in str(err.value)
    assert "fonts-wqy-zenhei" in err.value.message("en") and "settings" in err.value.message("en")
    with pytest.raises(FontNotFound):
        find_fonts(FontConfig(search_dirs=()))


def test_configured_font_overrides_and_bad_paths_are_refused(tmp_path: Path, fonts) -> None:
    kai = fonts.primary(FontRole.KAI).path
    chosen = find_fonts(FontConfig(fangsong=kai))
    assert chosen.primary(FontRole.FANGSONG).path == kai
    with pytest.raises(FontUnusable) as err:
        find_fonts(FontConfig(song=tmp_path / "nope.ttf"))
    assert err.value.key == "documents.font_file_missing" and "宋体" in str(err.value)
    broken = tmp_path / "gbsn00lp.ttf"
    shutil.copy(kai, broken)
    with pytest.raises(FontUnusable) as err:
        find_fonts(FontConfig(song=broken))
    assert err.value.key == "documents.font_broken"
    garbage = tmp_path / "garbage.ttf"
    garbage.write_bytes(b"not a font")
    with pytest.raises(FontUnusable) as err:
        find_fonts(FontConfig(hei=garbage))
    assert err.value.key == "documents.font_unreadable"


def test_user_fonts_folder_is_searched_first(tmp_path: Path, fonts) -> None:
    kai = fonts.primary(FontRole.KAI).path
    folder = tmp_path / "home" / "fonts"  # FIELDAUDIT_HOME/fonts (see conftest)
    folder.mkdir(parents=True)
    shutil.copy(kai, folder / "simfang.ttf")  # stands in for a copy of Windows' 仿宋
    found = find_fonts()
    assert found.primary(FontRole.FANGSONG).path == folder / "simfang.ttf"


def test_document_engine_stays_headless() -> None:
    code = ("import sys, store.documents; "
            "bad = [m for m in ('textual', 'rich', 'tui') if m in sys.modules]; "
            "assert not bad, bad")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).parents[2])
