"""GB/T 9704-2012 page geometry in PDF points, in one place.

Choice for the 28-character grid: body type is exactly 3号 (16 pt) and the characters are
packed with a character spacing of 156 mm / 28 − 16 pt ≈ −0.206 pt, as Word/WPS do with a
document grid. 28 × 16 pt would be 158 mm, 2 mm wider than the 版心 (tech-notes.md). The
alternative, 15.75 pt type, changes the size the standard names. With the spacing, 28 advances
fill the 版心 exactly; the last glyph's em box may reach 0.2 pt (0.07 mm) past it, inside the
side bearing, far within the standard's ±1 mm.

Vertical grid: 22 lines of 225 mm / 22 ≈ 28.99 pt. Each line's em box is centred in its grid
cell, so line 1 and line 22 sit symmetrically inside the 版心. Layout code measures ``y``
downwards from the top of the 版心; :func:`to_pdf_y` converts to reportlab's bottom-up axis.
"""

from __future__ import annotations

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm

PAGE_WIDTH, PAGE_HEIGHT = A4
LEFT = 28 * mm
TOP = 37 * mm
BODY_WIDTH = 156 * mm
BODY_HEIGHT = 225 * mm
LINES_PER_PAGE = 22
CHARS_PER_LINE = 28

BODY_SIZE = 16.0  # 3号
TITLE_SIZE = 22.0  # 2号
PAGE_NUMBER_SIZE = 14.0  # 4号
PITCH = BODY_HEIGHT / LINES_PER_PAGE
CELL = BODY_WIDTH / CHARS_PER_LINE  # "1 字" on the body grid
CHAR_SPACE = CELL - BODY_SIZE

# Ideographs sit in an em box whose bottom is 0.12 em below the baseline in the CJK faces used.
DESCENT = 0.12

ISSUER_TOP = 35 * mm  # 发文机关标志: top edge below the top of the 版心
RULE_GAP = 4 * mm  # red rule below the 发文字号
RULE_WIDTH = 1.5  # pt
PAGE_NUMBER_DROP = 7 * mm  # the page number's dash line below the 版心
SEAL_RADIUS = 21 * mm

RED_CMYK = (0.0, 0.8, 0.8, 0.0)  # Y80% M80%, the printing red GB/T 9704 names


def to_pdf_y(y: float) -> float:
    """A distance below the top of the 版心 → reportlab's y (from the bottom of the page)."""
    return PAGE_HEIGHT - TOP - y


def baseline_in_line(line: int, size: float) -> float:
    """Baseline (below the 版心 top) of text of ``size`` pt centred in grid line ``line``."""
    return line * PITCH + (PITCH - size) / 2 + size * (1 - DESCENT)


def baseline_below(top: float, size: float) -> float:
    """Baseline of text whose em box starts ``top`` pt below the 版心 top."""
    return top + size * (1 - DESCENT)
