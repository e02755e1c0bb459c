"""The Chinese line breaker: 避头尾, unbroken Latin/digit runs, widths, balanced titles.

Most cases use a fixed advance of 10 pt per character (5 for Latin) so each table row states
exactly where the line would fall without 避头尾; one test measures with a real font.
"""

from __future__ import annotations

import pytest

from store.documents.fonts import FontRole, find_fonts
from store.documents.linebreak import (
    NO_LINE_END,
    NO_LINE_START,
    balance_title,
    break_lines,
    break_opportunities,
    break_text,
)


def adv(text: str) -> list[float]:
    return [5.0 if ch.isascii() else 10.0 for ch in text]


def lines(text: str, chars: int, first: int | None = None) -> list[str]:
    """Break ``text`` into lines of ``chars`` full-width characters."""
    first_w = None if first is None else first * 10.0
    return [ln.text for ln in break_text(text, adv(text), chars * 10.0, first_w)]


@pytest.mark.parametrize("mark", sorted("，。、；：？！”’）》」』】〕…—·%"))
def test_no_line_starts_with_closing_mark(mark: str) -> None:
    # Without the rule the mark would open line 2; the last character comes along instead.
    out = lines("一二三四五" + mark + "六七", 5)
    assert out == ["一二三四", "五" + mark + "六七"]
    assert all(line[0] not in NO_LINE_START for line in out)


@pytest.mark.parametrize("mark", sorted("（“‘《「『【〔"))
def test_no_line_ends_with_opening_mark(mark: str) -> None:
    out = lines("一二三四" + mark + "五六七", 5)
    assert out == ["一二三四", mark + "五六七"]
    assert all(line[-1] not in NO_LINE_END for line in out)


@pytest.mark.parametrize(
    ("text", "chars", "expected"),
    [
        ("一二三四五。”六", 5, ["一二三四", "五。”六"]),  # two closing marks in a row
        ("一二三四——五六", 4, ["一二三", "四——五", "六"]),  # a dash pair is never split
        ("一二三四……五六", 4, ["一二三", "四……五", "六"]),
        ("一二三“（四五", 4, ["一二三", "“（四五"]),  # two opening marks
        ("一二三四五六七八", 4, ["一二三四", "五六七八"]),  # plain text: full lines
        ("一二三，四五六七八九", 3, ["一二", "三，四", "五六七", "八九"]),
    ],
)
def test_prohibition_table(text: str, chars: int, expected: list[str]) -> None:
    assert lines(text, chars) == expected


@pytest.mark.parametrize(
    ("text", "run"),
    [
        ("经抽查记-0123号凭证", "记-0123"),
        ("支付金额12,345.60元整", "12,345.60"),
        ("金额¥1,000.00元", "¥1,000.00"),
        ("日期2026-01-05止", "2026-01-05"),
        ("文号ABC123号", "ABC123"),
    ],
)
def test_latin_and_digit_runs_stay_whole(text: str, run: str) -> None:
    start = text.index(run)
    ok = break_opportunities(text)
    assert not any(ok[start + 1 : start + len(run)])
    for width in range(len(run), 14):  # wherever the line would end, the run stays whole
        out = lines(text, width)
        assert any(run in line for line in out), (width, out)


def test_run_wider_than_a_line_is_cut_rather_than_overflowing() -> None:
    text = "号" + "1234567890" * 3
    out = break_text(text, adv(text), 50.0)
    assert all(line.width <= 50.0 + 0.01 for line in out)
    assert "".join(line.text for line in out) == text


def test_first_line_width_and_hard_newlines() -> None:
    assert lines("一二三四五六七八九十", 4, first=2) == ["一二", "三四五六", "七八九十"]
    assert lines("一二\n三四五六七", 4) == ["一二", "三四五六", "七"]


def test_spaces_are_not_carried_to_line_starts() -> None:
    text = "abcd efgh ijkl"
    out = break_text(text, [5.0] * len(text), 25.0)
    assert [line.text for line in out] == ["abcd", "efgh", "ijkl"]


def test_real_font_width_and_character_spacing() -> None:
    face = find_fonts().primary(FontRole.FANGSONG).name
    text = "审" * 30
    assert [len(x) for x in break_lines(text, 160.0, face, 16.0)] == [10, 10, 10]
    # Negative spacing packs more characters into the same width.
    assert len(break_lines(text, 160.0, face, 16.0, char_space=-1.0)[0]) == 10 * 16 // 15


@pytest.mark.parametrize(
    ("title", "width_chars"),
    [
        ("关于对某某县某某有限公司工会委员会2025年度经费收支情况进行审计的通知", 20),
        ("某某县总工会经费审查委员会关于某某镇总工会2025年度经费审计的审计报告", 20),
        ("关于开展2026年度基层工会经费收支专项审计工作的审计通知书", 18),
    ],
)
def test_titles_are_balanced_and_keep_words(title: str, width_chars: int) -> None:
    out = balance_title(title, adv(title), width_chars * 10.0)
    assert "".join(line.text for line in out) == title
    assert len(out) == 2
    widths = [line.width for line in out]
    assert max(widths) <= width_chars * 10.0
    assert max(widths) - min(widths) <= 60.0  # within 6 characters of each other
    for run in ("2025", "2026"):
        if run in title:
            assert any(run in line.text for line in out)
    for ending in ("审计通知书", "审计报告", "通知"):
        if title.endswith(ending):
            assert out[-1].text.endswith(ending)
    assert out[0].text[-1] not in NO_LINE_END and out[1].text[0] not in NO_LINE_START


def test_title_breaks_after_a_name_not_inside_a_word() -> None:
    title = "关于对某某县某某有限公司工会委员会经费收支情况的审计报告"
    out = balance_title(title, adv(title), 200.0)
    expected = ["关于对某某县某某有限公司", "工会委员会经费收支情况的审计报告"]
    assert [line.text for line in out] == expected


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("关于某某镇总工会二〇二五年度经费收支审计发现问题整改情况的报告",
         ["关于某某镇总工会二〇二五年度经费", "收支审计发现问题整改情况的报告"]),
        ("关于对县直机关工会2025年度经费收支的审计通知书",
         ["关于对县直机关工会2025年度", "经费收支的审计通知书"]),
        ("关于开展全县基层工会经费收支情况审计的通知",
         ["关于开展全县基层工会", "经费收支情况审计的通知"]),
    ],
)
def test_title_breaks_between_words(title: str, expected: list[str]) -> None:
    assert [line.text for line in balance_title(title, adv(title), 160.0)] == expected


def test_short_title_stays_on_one_line() -> None:
    assert [x.text for x in balance_title("审计通知书", adv("审计通知书"), 200.0)] == ["审计通知书"]
