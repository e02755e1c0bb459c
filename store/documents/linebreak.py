"""Chinese line breaking with 避头尾, measured with the real font.

reportlab's ``wordWrap='CJK'`` lets a line start with ，；：？！”》 and end with （“《 (measured,
tech-notes.md), which official documents must not do. This breaker works on per-character
advances supplied by the caller (so font fallback and GB/T 9704 character spacing are already
in them) and only breaks where Chinese typesetting allows:

* never before a line-start-prohibited mark (，。、；：？！”’）》」』】〕…—·% …) and never after
  a line-end-prohibited one (（“‘《「『【〔 …): the character before is carried to the next
  line instead, so no line ever reaches past the 版心;
* never inside a run of Latin letters and digits, including joined forms such as voucher
  numbers (``记-0123``), amounts (``12,345.60``, ``¥1,000``) and dates (``2026-01-05``), unless
  the run is wider than a whole line.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

from reportlab.pdfbase.pdfmetrics import stringWidth

from store.textbreak import (  # noqa: F401 — re-exported: the engine and tests use them here
    _EPS, NO_LINE_END, NO_LINE_START, Line, break_opportunities, break_text, glued_boundaries,
    is_word_char,
)

TITLE_ENDINGS = (
    "审计整改通知书", "审计通知书", "审计取证单", "整改通知书", "审计意见书", "审计决定书",
    "管理建议书", "审计报告", "审计决定", "送达回证", "整改报告", "通知书", "通知", "报告",
    "决定", "意见", "批复", "请示",
)


def font_advances(text: str, font_name: str, size: float, char_space: float = 0.0) -> list[float]:
    """Per-character advances for a single registered font (reportlab sums glyph widths)."""
    return [stringWidth(ch, font_name, size) + char_space for ch in text]


def break_lines(text: str, width: float, font_name: str, size: float, *,
                char_space: float = 0.0, first_width: float | None = None) -> list[str]:
    """Convenience form of :func:`break_text` for one registered font: the line strings."""
    adv = font_advances(text, font_name, size, char_space)
    return [line.text for line in break_text(text, adv, width, first_width)]


# Words of audit titles that a line break must not split, and name endings after which a
# break reads naturally. A small lexicon, not a segmenter: titles are short and formulaic.
TITLE_WORDS = (
    "工会委员会", "经费审查委员会", "委员会", "总工会", "工会", "有限公司", "有限责任公司",
    "公司", "经费", "收支", "情况", "审计", "年度", "整改", "专项", "工作", "财务", "管理",
)
_NAME_ENDS = ("委员会", "总工会", "工会", "公司", "经审会")
_COUNTERS = frozenset("年月日号元万亿个项人次条页份期")


def _title_costs(text: str, ending: str) -> list[float]:
    """Cost of breaking a title before each ``text[i]``: negative where meaning stays whole."""
    n = len(text)
    cost = [0.0] * (n + 1)
    for word in TITLE_WORDS:
        start = text.find(word)
        while start >= 0:
            for i in range(start + 1, start + len(word)):
                cost[i] = max(cost[i], 20.0)
            start = text.find(word, start + 1)
    for i in range(1, n):
        if text[i - 1].isdigit() and text[i] in _COUNTERS:
            cost[i] = max(cost[i], 20.0)  # 2025|年 reads as two things
        if ending and i > n - len(ending):
            cost[i] = 100.0  # inside 审计通知书 and the like
            continue
        if cost[i] > 0:
            continue
        if ending and i == n - len(ending):
            cost[i] -= 4.0
        if text[i - 1] == "的":
            cost[i] -= 6.0
        if text[i] == "（" and text.endswith("）") and "（" not in text[i + 1:]:
            cost[i] -= 4.0  # before a closing remark such as （征求意见稿）
        if text[:i].endswith("关于"):
            cost[i] -= 3.0
        if text[:i].endswith(_NAME_ENDS):
            cost[i] -= 2.0
    return cost


def _split_title(n_lines: int, cuts: list[int], prefix: list[float], penalty: list[float],
                 width: float, em: float) -> list[int] | None:
    """The best breaks of a title into ``n_lines`` lines (``[0, …, len]``), or ``None``."""
    target = prefix[-1] / n_lines
    inf = float("inf")
    # best[k][j]: cost of putting text[:cuts[j]] on k lines; back-pointers rebuild the breaks.
    best = [[inf] * len(cuts) for _ in range(n_lines + 1)]
    back = [[-1] * len(cuts) for _ in range(n_lines + 1)]
    best[0][0] = 0.0
    for k in range(1, n_lines + 1):
        for j in range(1, len(cuts)):
            for i in range(j):
                if best[k - 1][i] == inf:
                    continue
                w = prefix[cuts[j]] - prefix[cuts[i]]
                if w > width + _EPS:
                    continue
                cost = best[k - 1][i] + ((w - target) / em) ** 2
                if j < len(cuts) - 1:
                    cost += penalty[cuts[j]]
                if cuts[j] - cuts[i] < 2:
                    cost += 50.0
                if cost < best[k][j]:
                    best[k][j], back[k][j] = cost, i
    if best[n_lines][-1] == inf:
        return None
    ends, j = [], len(cuts) - 1
    for k in range(n_lines, 0, -1):
        ends.append(j)
        j = back[k][j]
    return [0] + [cuts[e] for e in reversed(ends)]


def balance_title(text: str, advances: Sequence[float], width: float) -> list[Line]:
    """Break a title into the fewest lines of nearly equal width, at meaning boundaries.

    GB/T 9704 asks for title lines broken "where the meaning stays whole", in a trapezoid or
    diamond shape. Without a dictionary the breaker prefers positions after "的" (the end of a
    "关于……的" phrase), before a document-type ending ("审计通知书"), never inside a Latin/digit
    run or an ending, and otherwise the most balanced split. When the fewest lines can only
    be had by cutting a word (``2025|年度``), one line more is used if it keeps words whole.
    """
    total = sum(advances)
    if total <= width + _EPS or len(text) < 2:
        return [Line(0, len(text), text, total)]
    n_lines = len(break_text(text, advances, width))
    ok = break_opportunities(text)
    ending = next((e for e in TITLE_ENDINGS if text.endswith(e) and len(e) < len(text)), "")
    penalty = _title_costs(text, ending)
    cuts = [0] + [i for i in range(1, len(text)) if ok[i]] + [len(text)]
    prefix = [0.0]
    for a in advances:
        prefix.append(prefix[-1] + a)
    em = max(advances) or 1.0
    bounds = _split_title(n_lines, cuts, prefix, penalty, width, em)
    if bounds is None:
        return break_text(text, advances, width)
    if max((penalty[b] for b in bounds[1:-1]), default=0.0) > 0:
        # Two lines only by cutting a word (2025|年度): one line more keeps meaning whole.
        more = _split_title(n_lines + 1, cuts, prefix, penalty, width, em)
        if more is not None and max((penalty[b] for b in more[1:-1]), default=0.0) <= 0:
            bounds = more
    return [Line(a, b, text[a:b], prefix[b] - prefix[a]) for a, b in pairwise(bounds)]
