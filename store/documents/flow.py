"""The flow of a document down its pages: the grid-line cursor and styled, measured text.

Everything that is drawn goes through here, so two promises are kept in one place: text is
checked against its fonts before it is measured (no boxes, ever), and ``y`` only moves down
on a page, so nothing overlaps and nothing runs past the bottom of the 版心.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.pdfbase.pdfmetrics import stringWidth

from store.documents.fonts import FontRole, FontSet
from store.documents.geometry import BODY_HEIGHT, LINES_PER_PAGE, PITCH
from store.documents.linebreak import Line, break_text, glued_boundaries
from store.documents.ops import Color, Op, TextOp, TextRun

Span = tuple[str, FontRole]


def clean_text(text: str) -> str:
    """Normalise line ends and tabs typed by users; other characters are kept as they are."""
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")


@dataclass(frozen=True)
class Measured:
    """Text with the face chosen for each character and its advance (spacing included)."""

    text: str
    fonts: tuple[str, ...]
    advances: tuple[float, ...]
    size: float
    char_space: float

    def width(self, start: int = 0, end: int | None = None) -> float:
        return sum(self.advances[start:end])

    def lines(self, width: float, first_width: float | None = None) -> list[Line]:
        return break_text(self.text, self.advances, width, first_width)

    def op(self, x: float, y: float, start: int = 0, end: int | None = None, *,
           stretch_to: float | None = None, color: Color = "black", bold: bool = False,
           line: int | None = None, movable: bool = False) -> TextOp:
        """A text line for ``text[start:end]`` at ``x``.

        ``stretch_to`` justifies the line to that width. The difference is spread over the
        gaps between Chinese characters only, so ``12,345.60`` and ``记-0123`` keep their
        letter spacing.
        """
        end = len(self.text) if end is None else end
        glued = glued_boundaries(self.text[start:end])
        # The gap after the last character stays as it is, so a justified line ends exactly
        # where a full grid line does.
        stretchy = [not glued[i + 1] for i in range(end - start - 1)] + [False]
        extra = 0.0
        if stretch_to is not None and any(stretchy):
            extra = (stretch_to - self.width(start, end)) / sum(stretchy)
        runs: list[TextRun] = []
        cursor = x
        for k, i in enumerate(range(start, end)):
            ch, font = self.text[i], self.fonts[i]
            space = self.char_space + (extra if stretchy[k] else 0.0)
            last = runs[-1] if runs else None
            if last is not None and last.font == font and last.char_space == space:
                runs[-1] = TextRun(last.x, font, last.text + ch, space)
            else:
                runs.append(TextRun(cursor, font, ch, space))
            cursor += self.advances[i] + (extra if stretchy[k] else 0.0)
        return TextOp(y, tuple(runs), self.size, color, bold, line, movable)


class Flow:
    """Pages of drawing operations and the position where the next content goes."""

    def __init__(self, fonts: FontSet) -> None:
        self.fonts = fonts
        self.pages: list[list[Op]] = [[]]
        self.y = 0.0
        self._widths: dict[tuple[str, str], float] = {}

    @property
    def ops(self) -> list[Op]:
        return self.pages[-1]

    def add(self, op: Op) -> None:
        self.ops.append(op)

    def new_page(self) -> None:
        self.pages.append([])
        self.y = 0.0

    def fresh_page(self) -> None:
        """Start a new page unless the current one is still empty."""
        if self.ops:
            self.new_page()

    def next_line(self) -> int:
        """The first grid line at or below ``y`` (may be past the last line of the page)."""
        return max(0, math.ceil(self.y / PITCH - 1e-6))

    def lines_left(self) -> int:
        return max(0, LINES_PER_PAGE - self.next_line())

    def take_line(self) -> int:
        """Claim the next grid line, on a new page when this one is full."""
        line = self.next_line()
        if line >= LINES_PER_PAGE:
            self.new_page()
            line = 0
        self.y = (line + 1) * PITCH
        return line

    def skip_lines(self, count: int) -> None:
        """Leave ``count`` blank grid lines; blank lines at the top of a page are dropped."""
        for _ in range(count):
            if not self.ops or self.next_line() >= LINES_PER_PAGE:
                return
            self.y = (self.next_line() + 1) * PITCH

    def space_left(self) -> float:
        return BODY_HEIGHT - self.y

    def measure(self, spans: Sequence[Span], size: float, char_space: float = 0.0) -> Measured:
        """Check every span against its role's fonts and measure it character by character.

        Raises:
            MissingGlyphs: a character that no face of its role can print.
        """
        text_parts: list[str] = []
        fonts: list[str] = []
        advances: list[float] = []
        for raw, role in spans:
            part = clean_text(raw)
            self.fonts.check(part.replace("\n", ""), role)
            for ch in part:
                if ch == "\n":
                    face_name, adv = fonts[-1] if fonts else "", 0.0
                else:
                    face = self.fonts.face_for_char(ch, role)
                    assert face is not None  # check() above
                    face_name = face.name
                    adv = self._char_width(ch, face_name) * size + char_space
                fonts.append(face_name)
                advances.append(adv)
            text_parts.append(part)
        return Measured("".join(text_parts), tuple(fonts), tuple(advances), size, char_space)

    def _char_width(self, ch: str, font: str) -> float:
        key = (font, ch)
        width = self._widths.get(key)
        if width is None:
            width = self._widths[key] = stringWidth(ch, font, 1.0)
        return width
