"""The virtual table on its own: rows, cursor keys, mouse, messages, replacing rows, and what
its lines read (Chinese text cut to the column in terminal cells, amounts aligned right)."""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.app import App, ComposeResult
from textual.message import Message

from tui.widgets.virtual_table import Column, VirtualTable, fit

COLUMNS = [Column("code", "代码", 4), Column("name", "名称", 7),
           Column("amount", "金额", 10, "right")]


def rows(n: int) -> list[dict[str, object]]:
    return [{"code": f"R{i}", "name": f"第{i}行", "amount": Text(f"{i},000.00", justify="right")}
            for i in range(n)]


class TableApp(App[None]):
    def __init__(self, data: list[dict[str, object]]) -> None:
        super().__init__()
        self.data = data
        self.messages: list[Message] = []

    def compose(self) -> ComposeResult:
        yield VirtualTable(id="table")

    def on_mount(self) -> None:
        table = self.query_one(VirtualTable)
        table.styles.height = "1fr"
        table.set_columns(COLUMNS)
        table.replace_rows(self.data)
        table.focus()

    def on_virtual_table_row_highlighted(self, message: VirtualTable.RowHighlighted) -> None:
        self.messages.append(message)

    def on_virtual_table_row_selected(self, message: VirtualTable.RowSelected) -> None:
        self.messages.append(message)


def screen_lines(table: VirtualTable) -> list[str]:
    return [table.render_line(y).text for y in range(table.scrollable_content_region.height)]


def selected(app: TableApp) -> list[str]:
    return [str(m.row["code"]) for m in app.messages if isinstance(m, VirtualTable.RowSelected)]


def highlighted(app: TableApp) -> list[int]:
    return [m.cursor_row for m in app.messages if isinstance(m, VirtualTable.RowHighlighted)]


async def test_cursor_keys_scroll_and_enter() -> None:
    app = TableApp(rows(50))
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.pause()
        table = app.query_one(VirtualTable)
        assert table.row_count == 50 and table.cursor_row == 0
        assert [c.label for c in table.columns] == ["代码", "名称", "金额"]
        page = table.scrollable_content_region.height - 1  # the header stays on top
        await pilot.press("down", "down")
        assert table.cursor_row == 2
        await pilot.press("up")
        assert table.cursor_row == 1
        await pilot.press("pagedown")
        assert table.cursor_row == 1 + page
        await pilot.press("end")
        await pilot.pause()
        assert table.cursor_row == 49
        lines = screen_lines(table)
        assert lines[0].split() == ["代码", "名称", "金额"]
        assert lines[-1].split()[0] == "R49"  # scrolled so the cursor is on screen
        await pilot.press("pageup")
        assert table.cursor_row == 49 - page
        await pilot.press("home")
        await pilot.pause()
        assert table.cursor_row == 0 and screen_lines(table)[1].split()[0] == "R0"
        await pilot.press("up")  # stays on the first row
        assert table.cursor_row == 0
        await pilot.press("down", "enter")
        await pilot.pause()
        assert selected(app) == ["R1"]
        assert highlighted(app)[-1] == 1
        assert table.get_row_at(1)["code"] == "R1"


async def test_moves_post_highlighted_and_click_selects() -> None:
    app = TableApp(rows(30))
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.pause()
        table = app.query_one(VirtualTable)
        app.messages.clear()
        table.move_cursor(row=5)
        table.move_cursor(row=5)  # no move, no message
        await pilot.pause()
        assert highlighted(app) == [5]
        # the first data line is y=1 under the header: click the third row on screen
        await pilot.click(VirtualTable, offset=(3, 3))
        await pilot.pause()
        assert table.cursor_row == 2 and selected(app) == []
        await pilot.click(VirtualTable, offset=(3, 3))  # a click on the highlighted row opens it
        await pilot.pause()
        assert selected(app) == ["R2"]
        await pilot.click(VirtualTable, offset=(3, 0))  # the header is not a row
        await pilot.pause()
        assert table.cursor_row == 2 and selected(app) == ["R2"]
        table.scroll_to(y=10, animate=False, immediate=True)  # as the mouse wheel does
        await pilot.pause()
        assert screen_lines(table)[1].split()[0] == "R10"


async def test_replace_rows_keeps_the_highlighted_row() -> None:
    data = rows(20)
    app = TableApp(data)
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.pause()
        table = app.query_one(VirtualTable)
        table.move_cursor(row=7)
        await pilot.pause()
        app.messages.clear()
        # the same row objects in another order and fewer of them: the cursor follows R7
        table.replace_rows(list(reversed(data[5:])))
        assert table.row_count == 15
        assert table.get_row_at(table.cursor_row)["code"] == "R7"
        # with keys, new row objects for the same keys
        fresh = rows(20)
        table.replace_rows(fresh[::2], keys=[r["code"] for r in fresh[::2]])
        table.move_cursor(row=3)  # R6
        again = rows(20)
        table.replace_rows(again[3:], keys=[r["code"] for r in again[3:]])
        assert table.get_row_at(table.cursor_row)["code"] == "R6"
        await pilot.pause()
        # R7 is not among the even rows (cursor to R0), then the move to R6; keeping R6 on the
        # last replace posts nothing
        assert highlighted(app) == [0, 3]
        # the row is gone: back to the first row, the table scrolled to the top
        table.move_cursor(row=15)
        await pilot.pause()
        assert table.scroll_y > 0
        table.replace_rows(again[:2], keys=["R0", "R1"])
        assert table.cursor_row == 0 and table.scroll_y == 0
        await pilot.pause()
        lines = screen_lines(table)
        assert [line.split()[0] for line in lines[1:3]] == ["R0", "R1"]
        assert all(not line.strip() for line in lines[3:])
        with_wrong_keys = rows(2)
        try:
            table.replace_rows(with_wrong_keys, keys=["only one"])
        except ValueError:
            pass
        else:
            raise AssertionError("a key per row is required")


async def test_chinese_text_is_cut_in_cells_and_amounts_align_right() -> None:
    data = [
        {"code": "A1", "name": "石桥环保科技", "amount": Text("1,234.50", justify="right")},
        {"code": "B12", "name": "ab中文字", "amount": Text("0.00", justify="right")},
        {"code": "C长代码", "name": "短", "amount": "88,206.00"},
        {"code": "D", "name": Text("审计发现问题", style="bold", justify="left"),
         "amount": None},
        {"code": "E", "name": Text.assemble(("违规", "red"), "金额很长"), "amount": "1.00"},
    ]
    app = TableApp(data)
    async with app.run_test(size=(40, 9)) as pilot:
        await pilot.pause()
        table = app.query_one(VirtualTable)
        lines = screen_lines(table)
        # each column is its width plus one cell of padding on both sides
        assert lines[0].startswith(" 代码 " + " 名称    " + "       金额 ")
        assert lines[1].startswith(" A1   " + " 石桥环… " + "   1,234.50 ")
        assert lines[2].startswith(" B12  " + " ab中文… " + "       0.00 ")
        assert lines[3].startswith(" C长… " + " 短      " + "  88,206.00 ")
        assert lines[4].startswith(" D    " + " 审计发… " + " " * 12)
        assert lines[5].startswith(" E    " + " 违规金… " + "       1.00 ")
        width = table.scrollable_content_region.width
        assert all(cell_len(line) == width for line in lines)
        # the amount column ends in the same terminal cell on every line
        for line in [*lines[:4], lines[5]]:
            amount_end = cell_len(line.rstrip())
            assert amount_end == 1 + 4 + 2 + 7 + 2 + 10
        # the styled cell keeps its own style, on the row's background
        bold = [s for s in table.render_line(4) if "审计" in s.text]
        assert bold and bold[0].style and bold[0].style.bold
        red = [s for s in table.render_line(5) if s.text == "违规"]
        assert red and red[0].style and red[0].style.color.name == "red"


def test_fit_counts_terminal_cells() -> None:
    assert fit("石桥环保科技", 7) == "石桥环…"
    assert fit("a中文字", 6) == "a中文…"
    assert fit("a中文字", 5) == "a中… "  # 文 would straddle the edge: left out, not halved
    assert fit("12.00", 8, "right") == "   12.00"
    assert fit("中", 4, "center") == " 中 "
    assert fit("中文", 4) == "中文"
    for text in ("石桥环保科技", "a中文字", "abc", ""):
        for width in range(1, 10):
            assert cell_len(fit(text, width)) == width


async def test_row_styles_follow_the_theme() -> None:
    app = TableApp(rows(6))
    async with app.run_test(size=(40, 10)) as pilot:
        await pilot.pause()
        table = app.query_one(VirtualTable)
        table.move_cursor(row=2)
        await pilot.pause()

        def background(y: int):
            return next(iter(table.render_line(y))).style.bgcolor

        cursor = table.get_component_rich_style("virtual-table--cursor").bgcolor
        header = table.get_component_rich_style("virtual-table--header").bgcolor
        assert background(0) == header
        assert background(3) == cursor  # row 2, under the header
        assert background(1) != background(2)  # zebra stripes
        assert background(1) == background(5) and background(2) == background(6)
        assert cursor not in (background(1), background(2))


async def test_empty_table() -> None:
    app = TableApp([])
    async with app.run_test(size=(40, 8)) as pilot:
        await pilot.pause()
        table = app.query_one(VirtualTable)
        assert table.row_count == 0 and table.cursor_row == 0
        await pilot.press("down", "pagedown", "end", "enter")
        await pilot.click(VirtualTable, offset=(3, 2))
        await pilot.pause()
        assert app.messages == [] and table.cursor_row == 0
        lines = screen_lines(table)
        assert lines[0].split() == ["代码", "名称", "金额"]
        assert all(not line.strip() for line in lines[1:])
        table.replace_rows(rows(3))
        await pilot.pause()
        assert table.row_count == 3 and highlighted(app) == [0]
        assert screen_lines(table)[3].split()[0] == "R2"
