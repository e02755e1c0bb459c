"""Drawing operations: the result of layout, drawn onto a reportlab canvas afterwards.

Layout first records what goes where, page by page, and only then draws. Keeping the two apart
lets layout move the last lines of a page to the next one (so a signature never stands alone on
a page) and lets tests inspect positions without parsing a PDF.
Coordinates: ``x`` from the left edge of the page, ``y`` downwards from the top of the 版心.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

from reportlab.pdfgen.canvas import Canvas

from store.documents.geometry import RED_CMYK, to_pdf_y

Color = Literal["black", "red", "gray"]


@dataclass(frozen=True)
class TextRun:
    """Text one face can print, starting at ``x``, with its character spacing."""

    x: float
    font: str
    text: str
    char_space: float = 0.0


@dataclass(frozen=True)
class TextOp:
    """One line of text at baseline ``y``; ``line`` is its grid line when it sits on the grid
    and ``movable`` marks body lines that may move to the next page with a signature."""

    y: float
    runs: tuple[TextRun, ...]
    size: float
    color: Color = "black"
    bold: bool = False
    line: int | None = None
    movable: bool = False

    def moved_to(self, line: int, y: float) -> TextOp:
        return replace(self, line=line, y=y)


@dataclass(frozen=True)
class LineOp:
    """A straight rule."""

    x1: float
    y1: float
    x2: float
    y2: float
    width: float = 0.5
    color: Color = "black"


@dataclass(frozen=True)
class CircleOp:
    """A dashed circle marking where a seal goes."""

    cx: float
    cy: float
    r: float


Op = TextOp | LineOp | CircleOp


def _set_color(canvas: Canvas, color: Color) -> None:
    if color == "red":
        canvas.setFillColorCMYK(*RED_CMYK)
        canvas.setStrokeColorCMYK(*RED_CMYK)
    elif color == "gray":
        canvas.setFillGray(0.55)
        canvas.setStrokeGray(0.55)
    else:
        canvas.setFillGray(0)
        canvas.setStrokeGray(0)


def draw(canvas: Canvas, ops: list[Op]) -> None:
    """Draw one page's operations."""
    for op in ops:
        canvas.saveState()
        if isinstance(op, TextOp):
            _set_color(canvas, op.color)
            mode = None
            if op.bold:  # 小标宋 stand-in: fill and stroke the 宋 face (text stays extractable)
                canvas.setLineWidth(op.size * 0.03)
                mode = 2
            for run in op.runs:
                canvas.setFont(run.font, op.size)
                canvas.drawString(run.x, to_pdf_y(op.y), run.text, mode=mode,
                                  charSpace=run.char_space)
        elif isinstance(op, LineOp):
            _set_color(canvas, op.color)
            canvas.setLineWidth(op.width)
            canvas.line(op.x1, to_pdf_y(op.y1), op.x2, to_pdf_y(op.y2))
        else:
            _set_color(canvas, "gray")
            canvas.setLineWidth(0.6)
            canvas.setDash(3, 2)
            canvas.circle(op.cx, to_pdf_y(op.cy), op.r, stroke=1, fill=0)
        canvas.restoreState()
