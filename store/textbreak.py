"""Chinese line breaking with 避头尾 over per-character advances, for print and screen.

The rules (which marks may not start or end a line, which runs stay whole) are one concept used
twice: store/documents/linebreak.py measures with the PDF fonts (points), the terminal UI with
cell widths (tui.formatting.wrap_cjk). This module imports nothing heavy, so the terminal UI can
use it without loading reportlab.

* never before a line-start-prohibited mark (，。、；：？！”’）》」』】〕…—·% …) and never after
  a line-end-prohibited one (（“‘《「『【〔 …): the character before is carried to the next
  line instead;
* never inside a run of Latin letters and digits, including joined forms such as voucher
  numbers (``记-0123``), amounts (``12,345.60``, ``¥1,000``) and dates (``2026-01-05``), unless
  the run is wider than a whole line.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

NO_LINE_START = frozenset("，。、；：？！”’）》」』】〕…—·%" ",.;:?!)]}〉］｝％．・～‰℃")
NO_LINE_END = frozenset("（“‘《「『【〔" "([{〈［｛")
_CURRENCY = frozenset("¥￥$#№")
_JOINERS = frozenset("-/.,:_'+&")
_BRIDGES = frozenset("-/")  # also join a Chinese prefix: 记-0123, 字/2026
_EPS = 0.01  # points; float slack so 28 grid characters fit a 156 mm line exactly

# Document-type endings a title line must not split, longest first.
def is_word_char(ch: str) -> bool:
    """Latin letters and digits (half or full width): the characters of an unbreakable run."""
    return (ch.isascii() and ch.isalnum()) or "０" <= ch <= "９" or "Ａ" <= ch <= "ｚ"


@dataclass(frozen=True)
class Line:
    """One output line: ``text[start:end]`` and its measured width in points."""

    start: int
    end: int
    text: str
    width: float


def glued_boundaries(text: str) -> list[bool]:
    """``glued[i]``: the boundary before ``text[i]`` is inside a Latin/digit run
    (``len(text) + 1`` entries; the ends are never glued)."""
    n = len(text)
    glued = [False] * (n + 1)
    for i in range(1, n):
        a, b = text[i - 1], text[i]
        if (is_word_char(a) and is_word_char(b)) or (a in _CURRENCY and is_word_char(b)):
            glued[i] = True
        elif (b in _JOINERS and i + 1 < n and is_word_char(text[i + 1])
              and (is_word_char(a) or (b in _BRIDGES and not a.isspace()))):
            glued[i] = glued[i + 1] = True
    return glued


def break_opportunities(text: str) -> list[bool]:
    """``ok[i]`` is true when a line may end before ``text[i]`` (``0 < i < len(text)``)."""
    glued = glued_boundaries(text)
    ok = [False] * (len(text) + 1)
    for i in range(1, len(text)):
        a, b = text[i - 1], text[i]
        if a.isspace() or b.isspace():
            ok[i] = b not in NO_LINE_START
        else:
            ok[i] = not glued[i] and b not in NO_LINE_START and a not in NO_LINE_END
    return ok


def _forced_break(text: str, advances: Sequence[float], start: int, limit: float) -> int:
    """Where to cut a unit wider than a whole line: the last fitting character boundary,
    preferring one that at least keeps 避头尾."""
    total, last_fit = 0.0, start + 1
    for i in range(start, len(text)):
        total += advances[i]
        if total > limit + _EPS:
            break
        last_fit = i + 1
    for j in range(last_fit, start + 1, -1):
        if text[j] not in NO_LINE_START and text[j - 1] not in NO_LINE_END:
            return j
    return max(last_fit, start + 1)


def _break_segment(text: str, advances: Sequence[float], lo: int, hi: int,
                   ok: list[bool], widths: tuple[float, float]) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    start = lo
    while start < hi:
        while spans and start < hi and text[start] in " \t":
            start += 1  # a continuation line never starts with an ASCII space
        if start >= hi:
            break
        limit = widths[0] if not spans else widths[1]
        total, i, last_ok = 0.0, start, -1
        while i < hi:
            total += advances[i]
            if total > limit + _EPS and not text[i].isspace():
                break
            i += 1
            if i < hi and ok[i]:
                last_ok = i
        if i >= hi:
            spans.append((start, hi))
            break
        end = last_ok if last_ok > start else _forced_break(text, advances, start, limit)
        spans.append((start, end))
        start = end
    return spans


def break_text(text: str, advances: Sequence[float], width: float,
               first_width: float | None = None) -> list[Line]:
    """Break ``text`` into lines no wider than ``width`` (``first_width`` for the first line).

    Args:
        text: the text; ``\\n`` forces a line break.
        advances: per-character advance in points, character spacing included.
        width: available width of every line but the first.
        first_width: width of the first line (smaller when the paragraph is indented).
    """
    if len(advances) != len(text):
        raise ValueError("one advance per character is required")
    ok = break_opportunities(text)
    spans: list[tuple[int, int]] = []
    lo = 0
    for part in text.split("\n"):
        hi = lo + len(part)
        widths = (first_width if first_width is not None and not spans else width, width)
        got = _break_segment(text, advances, lo, hi, ok, widths) if part else [(lo, lo)]
        spans += got
        lo = hi + 1
    lines = []
    for start, end in spans:
        while end > start and text[end - 1] in " \t":
            end -= 1
        lines.append(Line(start, end, text[start:end], sum(advances[start:end])))
    return lines
