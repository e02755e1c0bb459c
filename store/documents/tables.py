"""Ruled tables and forms: findings tables, 资料清单, 取证单 and 送达回证 boxes.

Both are rows of ruled cells whose text is wrapped with the same 避头尾 breaker as the body.
Rows that do not fit move to the next page with the table's header repeated; a row taller than
the space left (a long 审计事项摘要) is split line by line, so nothing is ever clipped.
Tables do not follow the 28-character body grid (cells use 小四/4号 type), but they start on a
grid line and the body grid resumes below them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from reportlab.lib.units import mm

from store.documents.errors import LayoutError
from store.documents.flow import Flow, Measured
from store.documents.fonts import FontRole
from store.documents.geometry import BODY_HEIGHT, BODY_WIDTH, DESCENT, LEFT, PITCH
from store.documents.layout import Align, FormBlock, Table
from store.documents.linebreak import Line, balance_title
from store.documents.ops import LineOp

VAlign = Literal["top", "middle"]
RULE = 0.6  # pt
_KEEP_WHOLE = 4  # rows of up to this many lines move to the next page whole, never split


@dataclass
class Cell:
    """One cell's measured text, already broken into lines for its width."""

    x: float
    width: float
    text: Measured
    lines: list[Line]
    align: Align = "left"
    valign: VAlign = "middle"
    footer: Measured | None = None


@dataclass
class Row:
    cells: list[Cell]
    min_lines: int = 1

    def line_count(self) -> int:
        footer = 1 if any(c.footer for c in self.cells) else 0
        return max([self.min_lines] + [len(c.lines) + footer for c in self.cells])


class Grid:
    """Places rows of cells down the pages of a :class:`Flow`."""

    def __init__(self, flow: Flow, size: float) -> None:
        self.flow = flow
        self.size = size
        self.lead = size * 1.45
        self.pad_x = size * 0.4
        self.pad_y = size * 0.3

    def cell(self, x: float, width: float, text: str, role: FontRole, align: Align = "left",
             valign: VAlign = "middle", footer: str = "", balanced: bool = False) -> Cell:
        """A cell whose text is wrapped to ``width``; ``balanced`` splits it into lines of
        even length, which reads better for short centred labels."""
        inner = width - 2 * self.pad_x
        if inner < self.size:
            raise LayoutError("documents.column_too_narrow", width=round(width / mm, 1))
        measured = self.flow.measure([(text, role)], self.size)
        foot = self.flow.measure([(footer, FontRole.FANGSONG)], self.size) if footer else None
        if not text:
            lines = []
        elif balanced and "\n" not in text:
            lines = balance_title(measured.text, measured.advances, inner)
        else:
            lines = measured.lines(inner)
        return Cell(x, width, measured, lines, align, valign, foot)

    def height(self, lines: int) -> float:
        return lines * self.lead + 2 * self.pad_y

    def place(self, rows: list[Row], header: list[Row]) -> None:
        """Lay ``rows`` out after the ``header`` rows, repeating the header on each page."""
        flow = self.flow
        line = flow.next_line()
        flow.y = line * PITCH
        head_h = sum(self.height(r.line_count()) for r in header)
        first_h = self.height(rows[0].line_count()) if rows else 0.0
        if flow.ops and flow.y + head_h + min(first_h, self.height(2)) > BODY_HEIGHT:
            flow.new_page()
        self._draw_header(header)
        pending = list(rows)
        while pending:
            row = pending.pop(0)
            need = self.height(row.line_count())
            if flow.y + need <= BODY_HEIGHT + 0.01:
                self._draw_row(row, row.line_count())
                continue
            fit = int((flow.space_left() - 2 * self.pad_y) // self.lead)
            if row.line_count() > _KEEP_WHOLE and 2 <= fit < row.line_count():
                self._draw_row(row, fit)
                pending.insert(0, _rest(row, fit))
                continue
            if flow.y <= head_h + 0.01:  # already at a page top: split into page-sized parts
                fit = max(1, fit)
                self._draw_row(row, fit)
                pending.insert(0, _rest(row, fit))
                continue
            flow.new_page()
            self._draw_header(header)
            pending.insert(0, row)

    def _draw_header(self, header: list[Row]) -> None:
        for row in header:
            self._draw_row(row, row.line_count())

    def _draw_row(self, row: Row, lines: int) -> None:
        flow, top = self.flow, self.flow.y
        lines = max(1, min(lines, row.line_count()))
        height = self.height(lines)
        bottom = top + height
        for cell in row.cells:
            shown = cell.lines[:lines]
            footer = cell.footer if lines >= row.line_count() else None
            if cell.valign == "middle":
                first = top + (height - len(shown) * self.lead) / 2
            else:
                first = top + self.pad_y
            for j, ln in enumerate(shown):
                flow.add(cell.text.op(self._x(cell, ln.width), self._baseline(first, j),
                                      ln.start, ln.end))
            if footer is not None:
                x = cell.x + cell.width - self.pad_x - footer.width()
                flow.add(footer.op(x, self._baseline(bottom - self.pad_y - self.lead, 0)))
            right = cell.x + cell.width
            flow.add(LineOp(cell.x, top, right, top, RULE))
            flow.add(LineOp(cell.x, bottom, right, bottom, RULE))
            flow.add(LineOp(cell.x, top, cell.x, bottom, RULE))
            flow.add(LineOp(right, top, right, bottom, RULE))
        flow.y = bottom

    def _x(self, cell: Cell, width: float) -> float:
        if cell.align == "center":
            return cell.x + (cell.width - width) / 2
        if cell.align == "right":
            return cell.x + cell.width - self.pad_x - width
        return cell.x + self.pad_x

    def _baseline(self, first_top: float, index: int) -> float:
        top = first_top + index * self.lead + (self.lead - self.size) / 2
        return top + self.size * (1 - DESCENT)


def _rest(row: Row, shown: int) -> Row:
    """What is left of ``row`` after its first ``shown`` lines were drawn."""
    cells = [Cell(c.x, c.width, c.text, c.lines[shown:], c.align, c.valign, c.footer)
             for c in row.cells]
    return Row(cells, max(1, row.min_lines - shown))


def place_table(flow: Flow, table: Table) -> None:
    """A ruled table across the 版心, header in 黑体, totals row (first cell 黑体) last."""
    if not table.columns:
        return
    grid = Grid(flow, table.size)
    total = sum(c.width for c in table.columns)
    xs, widths, x = [], [], LEFT
    for col in table.columns:
        w = BODY_WIDTH * col.width / total
        xs.append(x)
        widths.append(w)
        x += w

    def row(values: tuple[str, ...], roles: list[FontRole], header: bool = False) -> Row:
        values = tuple(values) + ("",) * (len(table.columns) - len(values))
        return Row([grid.cell(xs[i], widths[i], v, roles[i],
                              "center" if header else table.columns[i].align)
                    for i, v in enumerate(values[: len(table.columns)])])

    body_roles = [FontRole.FANGSONG] * len(table.columns)
    header = [row(tuple(c.title for c in table.columns), [FontRole.HEI] * len(xs), True)]
    rows = [row(r, body_roles) for r in table.rows]
    if table.totals:
        rows.append(row(table.totals, [FontRole.HEI, *body_roles[1:]]))
    grid.place(rows, header)


def place_form(flow: Flow, form: FormBlock) -> None:
    """Label/value boxes; several fields in a row share the width left after their labels."""
    grid = Grid(flow, form.size)
    if form.label_chars is not None:
        label_inner = form.label_chars * form.size
    else:
        labels = [f.label for row in form.rows for f in row.fields]
        widest = max((flow.measure([(t, FontRole.FANGSONG)], form.size).width() for t in labels),
                     default=form.size)
        label_inner = min(widest, 6 * form.size)
    label_w = label_inner + 2 * grid.pad_x
    rows = []
    for form_row in form.rows:
        count = len(form_row.fields)
        value_w = (BODY_WIDTH - count * label_w) / count
        cells, x = [], LEFT
        for f in form_row.fields:
            cells.append(grid.cell(x, label_w, f.label, FontRole.FANGSONG, "center",
                                   balanced=True))
            valign: VAlign = "top" if form_row.min_lines > 1 else "middle"
            cells.append(grid.cell(x + label_w, value_w, f.value, FontRole.FANGSONG, "left",
                                   valign, f.footer))
            x += label_w + value_w
        rows.append(Row(cells, form_row.min_lines))
    grid.place(rows, [])
