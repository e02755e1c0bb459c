"""A table that draws only the lines on screen, for lists replaced wholesale on every key.

Textual's ``DataTable`` keeps a ``RowKey``/``Row`` pair and offset tables per row and renders
cells through Rich's console, so refilling it with 2,000 rows after each filter key cost about
100 ms and several frames (issue 3). Here the rows are a plain Python list of mappings (column
key → cell, a ``str`` or a Rich ``Text`` as built by ``tui.formatting.cell``), the columns have
widths set by the screen, every row is one line high, and ``render_line`` (Textual's Line API)
builds the strip of one visible row straight from its cells. Replacing all rows is a list
assignment plus a redraw of the visible lines: O(visible rows), whatever the row count.

Widths are terminal cells (``rich.cells``): Chinese characters count two, a value wider than
its column ends in …, and alignment never breaks. Each column is padded by one cell on both
sides, as ``DataTable`` does with its default ``cell_padding``. Colours come from the
component classes below, styled like ``DataTable``'s, so the table looks like the others.

The rows passed in are kept as they are: do not change them afterwards (build new mappings).
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import ClassVar, Literal

from rich.cells import cell_len
from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

Justify = Literal["left", "center", "right"]
Cell = str | Text | None
Row = Mapping[str, Cell]
ELLIPSIS = "…"
PADDING = 1  # cells on each side of a column


@dataclass(frozen=True)
class Column:
    """One column: its key in the row mappings, header label, width in cells (without the
    padding) and how its header and its plain-string cells are aligned."""

    key: str
    label: str | Text
    width: int
    justify: Justify = "left"


def cut(text: str, width: int) -> int:
    """How many leading characters of ``text`` fit in ``width`` cells (a double-width
    character that would straddle the edge is left out, never halved)."""
    used = 0
    for index, char in enumerate(text):
        used += cell_len(char)
        if used > width:
            return index
    return len(text)


def fit(text: str, width: int, justify: Justify = "left") -> str:
    """``text`` made exactly ``width`` terminal cells wide: cut with … when wider, padded on
    the side ``justify`` says otherwise."""
    size = cell_len(text)
    if size > width:
        if width <= 0:
            return ""
        text = text[: cut(text, width - 1)] + ELLIPSIS
        size = cell_len(text)
    gap = width - size
    if gap <= 0:
        return text
    if justify == "right":
        return " " * gap + text
    if justify == "center":
        return " " * (gap // 2) + text + " " * (gap - gap // 2)
    return text + " " * gap


class VirtualTable(ScrollView, can_focus=True):
    """A focusable table of one-line rows with a fixed header, zebra stripes and a row cursor.

    ``set_columns`` lays the columns out; ``replace_rows`` swaps in a new list of rows at once
    (the cursor stays on the same row when it is still there). Enter posts ``RowSelected``;
    every move of the cursor posts ``RowHighlighted``.
    """

    ALLOW_SELECT = False

    # No descriptions: like DataTable's keys they are not listed in the help screen (which
    # lists fieldaudit's own bindings that have one); the screen names what Enter does.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", "", show=False),
        Binding("up", "cursor_up", "", show=False),
        Binding("down", "cursor_down", "", show=False),
        Binding("pageup", "page_up", "", show=False),
        Binding("pagedown", "page_down", "", show=False),
        Binding("home,ctrl+home", "first", "", show=False),
        Binding("end,ctrl+end", "last", "", show=False),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "virtual-table--header",
        "virtual-table--cursor",
        "virtual-table--even-row",
        "virtual-table--odd-row",
    }

    # the rules of DataTable's DEFAULT_CSS for the same parts, so both tables look alike
    DEFAULT_CSS = """
    VirtualTable {
        background: $surface;
        color: $foreground;
        height: auto;
        max-height: 100%;

        &:focus {
            background-tint: $foreground 5%;
            & > .virtual-table--cursor {
                background: $block-cursor-background;
                color: $block-cursor-foreground;
                text-style: $block-cursor-text-style;
            }
            & > .virtual-table--header {
                background-tint: $foreground 5%;
            }
        }
        &:dark > .virtual-table--even-row {
            background: $surface-darken-1 40%;
        }
        & > .virtual-table--header {
            text-style: bold;
            background: $panel;
            color: $foreground;
        }
        &:ansi > .virtual-table--header {
            background: ansi_bright_blue;
            color: ansi_default;
        }
        & > .virtual-table--even-row {
            background: $surface-lighten-1 50%;
        }
        & > .virtual-table--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
    }
    """

    class _RowMessage(Message):
        def __init__(self, table: VirtualTable, cursor_row: int, row: Row) -> None:
            super().__init__()
            self.table = table
            self.cursor_row = cursor_row
            self.row = row

        @property
        def control(self) -> VirtualTable:
            return self.table

    class RowHighlighted(_RowMessage):
        """The cursor moved to another row (or the row under it changed)."""

    class RowSelected(_RowMessage):
        """Enter was pressed on a row, or the highlighted row was clicked."""

    def __init__(self, *, zebra_stripes: bool = True, name: str | None = None,
                 id: str | None = None, classes: str | None = None,  # noqa: A002
                 disabled: bool = False) -> None:
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        self.zebra_stripes = zebra_stripes
        self._columns: tuple[Column, ...] = ()
        self._rows: Sequence[Row] = ()
        self._keys: Sequence[Hashable] | None = None
        self._cursor = 0
        self._lines: LRUCache[tuple[int, bool, int, int], Strip] = LRUCache(256)
        self._header: Strip | None = None
        self._styles: dict[str, Style] | None = None

    # -- data ----------------------------------------------------------------------------------
    @property
    def columns(self) -> tuple[Column, ...]:
        return self._columns

    @property
    def rows(self) -> Sequence[Row]:
        return self._rows

    @property
    def row_count(self) -> int:
        return len(self._rows)

    @property
    def cursor_row(self) -> int:
        """Index of the highlighted row (0 when the table is empty)."""
        return self._cursor

    @property
    def table_width(self) -> int:
        return sum(c.width + 2 * PADDING for c in self._columns)

    def get_row_at(self, index: int) -> Row:
        return self._rows[index]

    def column(self, key: str) -> Column:
        return next(c for c in self._columns if c.key == key)

    def set_columns(self, columns: Sequence[Column]) -> None:
        """Lay out the columns (keys, labels, widths); the rows stay."""
        columns = tuple(columns)
        if columns == self._columns:
            return
        self._columns = columns
        self._changed()

    def replace_rows(self, rows: Sequence[Row], keys: Sequence[Hashable] | None = None) -> None:
        """Show ``rows`` instead of the current ones. With ``keys`` (one per row) the cursor
        follows the key of the highlighted row, else the highlighted row object itself; if that
        row is gone the cursor goes to the first row (its index would mean another row)."""
        if keys is not None and len(keys) != len(rows):
            raise ValueError("one key per row")
        before = self._rows[self._cursor] if self._rows else None
        key = (self._keys[self._cursor] if self._rows and self._keys is not None else None)
        found = None
        if before is not None:
            if keys is not None and key is not None:
                found = next((i for i, k in enumerate(keys) if k == key), None)
            else:
                found = next((i for i, r in enumerate(rows) if r is before), None)
        self._rows = rows
        self._keys = keys
        self._cursor = found or 0
        self._changed()
        self._scroll_to_cursor()
        if rows and found is None:  # another row under the cursor
            self._post_highlighted()

    def clear(self) -> None:
        self.replace_rows(())

    def _changed(self) -> None:
        self._lines.clear()
        self._header = None
        size = Size(self.table_width, len(self._rows) + 1)
        if size != self.virtual_size:
            # New rows need no layout of the screen (~15 ms at 100×32) when the table's height
            # is set: only its scrollbars change, and they lay out again themselves if they
            # appear or go (``Widget._scroll_update``, what ScrollView does on a resize).
            self.set_reactive(VirtualTable.virtual_size, size)
            if self.container_size:
                self._scroll_update(size)
            height = self.styles.height
            if not self.container_size or height is None or height.is_auto:
                self.refresh(layout=True)  # the table's height follows its rows
        self.refresh()

    def _size_updated(self, size: Size, virtual_size: Size, container_size: Size,
                      layout: bool = True) -> bool:
        # ScrollView compares the compositor's virtual size (the region's) with its own (the
        # rows'), which always differ, so every layout of the screen (any label that changes)
        # reset the scrollbars and cost one more frame ~25 ms later. The rows' virtual size
        # is applied by ``_changed``; here only a new size of the widget counts.
        return super()._size_updated(size, self.virtual_size, container_size, layout)

    # -- cursor ----------------------------------------------------------------------------------
    def move_cursor(self, *, row: int, scroll: bool = True) -> None:
        """Highlight row ``row`` (clamped to the rows there are) and bring it into view."""
        if not self._rows:
            return
        new = max(0, min(row, len(self._rows) - 1))
        if new == self._cursor:
            if scroll:
                self._scroll_to_cursor()
            return
        old, self._cursor = self._cursor, new
        self.refresh_line(old + 1)
        self.refresh_line(new + 1)
        if scroll:
            self._scroll_to_cursor()
        self._post_highlighted()

    @property
    def _page(self) -> int:
        """Rows shown at once (the content height less the header)."""
        return max(1, self.scrollable_content_region.height - 1)

    def _scroll_to_cursor(self) -> None:
        top = round(self.scroll_y)
        if self._cursor < top:
            self.scroll_to(y=self._cursor, animate=False, force=True, immediate=True)
        elif self._cursor >= top + self._page:
            self.scroll_to(y=self._cursor - self._page + 1, animate=False, force=True,
                           immediate=True)

    def _post_highlighted(self) -> None:
        if self._rows:
            self.post_message(self.RowHighlighted(self, self._cursor, self._rows[self._cursor]))

    def action_cursor_up(self) -> None:
        self.move_cursor(row=self._cursor - 1)

    def action_cursor_down(self) -> None:
        self.move_cursor(row=self._cursor + 1)

    def action_page_up(self) -> None:
        self.scroll_to(y=self.scroll_y - self._page, animate=False, force=True, immediate=True)
        self.move_cursor(row=self._cursor - self._page)

    def action_page_down(self) -> None:
        self.scroll_to(y=self.scroll_y + self._page, animate=False, force=True, immediate=True)
        self.move_cursor(row=self._cursor + self._page)

    def action_first(self) -> None:
        self.move_cursor(row=0)

    def action_last(self) -> None:
        self.move_cursor(row=len(self._rows) - 1)

    def action_select_cursor(self) -> None:
        if self._rows:
            self.post_message(self.RowSelected(self, self._cursor, self._rows[self._cursor]))

    def _on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None or offset.y < 1:  # the header, or a scrollbar
            return
        index = offset.y - 1 + round(self.scroll_y)
        if not 0 <= index < len(self._rows):
            return
        event.stop()
        if index == self._cursor:
            self.action_select_cursor()
        else:
            self.move_cursor(row=index)

    # -- drawing ---------------------------------------------------------------------------------
    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles = None
        self._lines.clear()
        self._header = None
        self.refresh()

    def _on_focus(self, event: events.Focus) -> None:
        super()._on_focus(event)
        self._restyle()

    def _on_blur(self, event: events.Blur) -> None:
        super()._on_blur(event)
        self._restyle()

    def _on_resize(self, _event: events.Resize) -> None:
        self._header = None  # the header strip is as wide as the widget
        self._lines.clear()

    def _restyle(self) -> None:
        """The cursor and header look different with focus: draw them again."""
        self._styles = None
        self._lines.clear()
        self._header = None

    def _style(self, part: str) -> Style:
        if self._styles is None:
            base = self.rich_style
            self._styles = {
                "base": base,
                "header": self.get_component_rich_style("virtual-table--header"),
                "even": (self.get_component_rich_style("virtual-table--even-row")
                         if self.zebra_stripes else base),
                "odd": (self.get_component_rich_style("virtual-table--odd-row")
                        if self.zebra_stripes else base),
            }
            self._styles["cursor"] = self.get_component_rich_style("virtual-table--cursor")
        return self._styles[part]

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        scroll_x, scroll_y = self.scroll_offset
        if y == 0:
            if self._header is None:
                self._header = self._render_cells(
                    {c.key: c.label for c in self._columns}, self._style("header"))
            return self._header.crop_extend(scroll_x, scroll_x + width, self._style("header"))
        index = y - 1 + scroll_y
        if not 0 <= index < len(self._rows):
            return Strip.blank(width, self._style("base"))
        cursor = index == self._cursor
        key = (index, cursor, scroll_x, width)
        strip = self._lines.get(key)
        if strip is None:
            style = self._style("even" if index % 2 == 0 else "odd")
            if cursor:
                style = style + self._style("cursor")
            strip = self._render_cells(self._rows[index], style).crop_extend(
                scroll_x, scroll_x + width, style)
            self._lines[key] = strip
        return strip

    def _render_cells(self, row: Mapping[str, object], style: Style) -> Strip:
        """One table line for ``row`` (label mappings for the header) in ``style``, as wide as
        the table or the widget, whichever is wider (the row's colour fills the width)."""
        segments: list[Segment] = []
        pad = " " * PADDING
        for column in self._columns:
            value = row.get(column.key)
            if isinstance(value, Text):
                segments.extend(_text_segments(value, column, style, self.app.console))
            else:
                text = "" if value is None else str(value)
                segments.append(Segment(pad + fit(text, column.width, column.justify) + pad,
                                        style))
        rest = self.size.width - self.table_width
        if rest > 0:
            segments.append(Segment(" " * rest, style))
        return Strip(segments, max(self.table_width, self.size.width))


def _text_segments(value: Text, column: Column, style: Style,
                   console: Console) -> list[Segment]:
    """A Rich ``Text`` cell fitted to its column, keeping its own style, spans and justify."""
    justify: Justify = value.justify if value.justify in ("left", "center", "right") else \
        column.justify  # type: ignore[assignment]
    own = value.style if isinstance(value.style, Style) else _parse(value.style)
    if not value.spans or column.width <= 0:
        pad = " " * PADDING
        return [Segment(pad + fit(value.plain, column.width, justify) + pad, style + own)]
    text = value.copy()
    text.end = ""
    if text.cell_len > column.width:
        text = text[: cut(text.plain, column.width - 1)]
        text.append(ELLIPSIS)
    gap = column.width - text.cell_len
    if justify == "right":
        text.pad_left(gap)
    elif justify == "center":
        text.pad_left(gap // 2)
        text.pad_right(gap - gap // 2)
    else:
        text.pad_right(gap)
    text.pad_left(PADDING)
    text.pad_right(PADDING)
    return [Segment(s.text, style + s.style if s.style else style)
            for s in text.render(console, end="")]


@lru_cache(maxsize=64)
def _parse(style: str) -> Style:
    return Style.parse(style) if style else Style.null()
