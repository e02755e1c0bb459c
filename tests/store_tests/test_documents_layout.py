"""Layout decisions made for the audit documents: where pages break and titles split.

These cover two fixes made while checking the printed documents by eye: a run-in heading
("二、审计依据。《……》……") no longer leaves the bottom of a page empty when only its first
lines fit, and a title that would have to split "2025|年度" takes one line more instead.
"""

from __future__ import annotations

import pytest

from store.documents.layout import Document, Heading, Paragraph, Title
from store.documents.linebreak import balance_title
from store.documents.ops import TextOp
from store.documents.printing import default_fonts
from store.documents.render import layout_pages


@pytest.fixture(scope="module")
def fonts():
    return default_fonts()


def adv(text: str) -> list[float]:
    return [5.0 if ch.isascii() else 10.0 for ch in text]


def _lines_by_page(pages) -> list[list[str]]:
    out = []
    for ops in pages:
        texts = [op for op in ops if isinstance(op, TextOp) and op.line is not None]
        texts.sort(key=lambda op: op.line)
        out.append(["".join(run.text for run in op.runs) for op in texts])
    return out


@pytest.mark.parametrize(("filler_lines", "heading_on_first_page"), [(19, True), (20, True),
                                                                     (21, False)])
def test_run_in_heading_starts_where_two_lines_fit(fonts, filler_lines: int,
                                                   heading_on_first_page: bool) -> None:
    # A paragraph indented 2 字 holds 26 + 28 × (n − 1) characters on n lines.
    filler = Paragraph("审" * (26 + 28 * (filler_lines - 1)))
    body = "。" + "依据规定" * 30  # about 5 lines
    doc = Document((filler, Heading(1, "审计依据", body)), title="t")
    pages = _lines_by_page(layout_pages(doc, fonts))
    assert len(pages[0]) == 22 if heading_on_first_page else len(pages[0]) == filler_lines
    first_page_has_heading = any("一、审计依据" in line for line in pages[0])
    assert first_page_has_heading is heading_on_first_page
    # Nothing lost: every character of the body is printed once.
    printed = "".join("".join(p) for p in pages)
    assert printed.count("依据规定") == 30


def test_heading_without_body_still_keeps_with_the_next_line(fonts) -> None:
    filler = Paragraph("审" * (26 + 28 * 20))  # 21 lines: one left
    doc = Document((filler, Heading(1, "审计发现的问题"), Paragraph("问题" * 10)), title="t")
    pages = _lines_by_page(layout_pages(doc, fonts))
    assert len(pages[0]) == 21 and pages[1][0].endswith("审计发现的问题")


def test_title_takes_a_third_line_rather_than_cut_a_year() -> None:
    """Two lines would need 2025|年度 split across them; three keep every word whole."""
    title = "关于石桥环保科技有限公司工会委员会2025年度经费收支审计的审计报告（征求意见稿）"
    out = [x.text for x in balance_title(title, adv(title), 200.0)]
    assert "".join(out) == title and len(out) == 3
    assert any("2025年度" in line for line in out)
    assert out[-1].endswith("（征求意见稿）")
    assert all(sum(adv(line)) <= 200.0 for line in out)


def test_title_keeps_two_lines_when_they_cut_no_word(fonts) -> None:
    title = "关于对明湖新能源股份有限公司工会委员会进行经费收支审计的通知"
    out = [x.text for x in balance_title(title, adv(title), 200.0)]
    assert out == ["关于对明湖新能源股份有限公司", "工会委员会进行经费收支审计的通知"]
    doc = Document((Title(title),), title=title)
    assert len(_lines_by_page(layout_pages(doc, fonts))[0]) == 2
