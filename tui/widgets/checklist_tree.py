"""The checklist as a tree: areas with their progress, items with their status marks.

Built once from a :class:`store.workspace.WorkspaceView` (again only when a filter changes);
after an answer is written only that item's label and its area's label are redrawn
(:meth:`ChecklistTree.show_state`). The cursor only ever rests on items: ``j``/``k`` and the
arrows skip the area lines. Moving the cursor posts :class:`ChecklistTree.ItemSelected`.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Tree
from textual.widgets._tree import TreeNode

from store.checklist import Area, Item
from store.enums import AnswerResult
from store.review import ReviewState
from store.workspace import ItemState, WorkspaceView, area_progress
from tui.keys import localize_bindings

#: The mark before each item, and the component class (colour) it is drawn in.
MARKS: dict[AnswerResult, tuple[str, str]] = {
    AnswerResult.COMPLIANT: ("✓", "checklist--good"),
    AnswerResult.NONCOMPLIANT: ("✗", "checklist--bad"),
    AnswerResult.PARTIAL: ("◐", "checklist--flag"),
    AnswerResult.NOT_APPLICABLE: ("–", "checklist--muted"),
    AnswerResult.UNCHECKED: ("·", "checklist--muted"),
}
FINDING_MARK = "⚑"
REVIEW_MARKS = {ReviewState.REVIEWED: "✔", ReviewState.MODIFIED: "✎",
                ReviewState.NOT_REVIEWED: " "}


class ChecklistTree(Tree[str]):
    """Areas (data ``""``) holding items (data = item code)."""

    COMPONENT_CLASSES = {"checklist--good", "checklist--bad", "checklist--flag",
                         "checklist--muted"}
    DEFAULT_CSS = """
    ChecklistTree > .checklist--good { color: $success; }
    ChecklistTree > .checklist--bad { color: $error; }
    ChecklistTree > .checklist--flag { color: $warning; }
    ChecklistTree > .checklist--muted { color: $text-muted; }
    """
    BINDINGS = [
        Binding("j,down", "next_item", "workspace.bind.next", show=False),
        Binding("k,up", "previous_item", "workspace.bind.previous", show=False),
    ]

    class ItemSelected(Message):
        """The cursor rests on another item."""

        def __init__(self, code: str) -> None:
            super().__init__()
            self.code = code

    def __init__(self, **kwargs: object) -> None:
        super().__init__("", **kwargs)  # type: ignore[arg-type]
        localize_bindings(self)
        self.show_root = False
        self.guide_depth = 2
        self._items: dict[str, TreeNode[str]] = {}
        self._areas: dict[str, TreeNode[str]] = {}
        self._area_of: dict[str, Area] = {}
        self._view: WorkspaceView | None = None
        self._current: str | None = None
        self._code_width = 1
        self.on_select: Callable[[str], None] | None = None
        """Called at once when a key moves the selection, so that the screen redraws what
        depends on it in the same frame as the cursor. ``ItemSelected`` (a message) reaches
        the screen after that frame is drawn, and the detail pane followed one frame later:
        ``j`` took ~37 ms to its last frame instead of ~15."""

    # -- building ---------------------------------------------------------------------------
    def build(self, view: WorkspaceView, keep: Callable[[str], bool] | None = None,
              select: str | None = None) -> list[str]:
        """(Re)build the tree, listing the items ``keep`` accepts; returns their codes."""
        self._view = view
        self._code_width = max(len(code) for code in view.codes()) + 1
        self.clear()
        self._items.clear()
        self._areas.clear()
        shown: list[str] = []
        for area in view.template.areas:
            items = [i for i in area.items if keep is None or keep(i.code)]
            if not items:
                continue
            node = self.root.add(self._area_label(area), data="", expand=True)
            self._areas[area.code] = node
            for item in items:
                self._area_of[item.code] = area
                self._items[item.code] = node.add_leaf(
                    self._item_label(item, view.states[item.code]), data=item.code)
                shown.append(item.code)
        # the selection holds at once (keys typed next act on it); the cursor line is known
        # only once the tree has laid out its lines
        target = select if select in self._items else (shown[0] if shown else None)
        self._current = target
        if target is not None:
            self.call_after_refresh(self._place_cursor, target)
        return shown

    def _area_label(self, area: Area) -> Text:
        assert self._view is not None
        done, total = area_progress(self._view, area)
        label = Text.assemble((f"{area.code} {area.title}", "bold"), f"  {done}/{total}")
        if done == total:
            label.stylize(self._style("checklist--good"), len(area.code) + len(area.title) + 1)
        return label

    def _style(self, component: str) -> Style:
        return self.get_component_rich_style(component, partial=True)

    def _item_label(self, item: Item, state: ItemState) -> Text:
        mark, style = MARKS[state.result]
        flags = (FINDING_MARK if state.findings else " ") + REVIEW_MARKS[state.review]
        return Text.assemble((mark, self._style(style)), " ",
                             (item.code.ljust(self._code_width), "bold"),
                             (flags, self._style("checklist--flag")), " ", item.question,
                             no_wrap=True, overflow="ellipsis")

    # -- updating ---------------------------------------------------------------------------
    def show_state(self, state: ItemState) -> None:
        """Redraw one item (and its area's progress) after its answer changed."""
        node = self._items.get(state.code)
        area = self._area_of.get(state.code)
        if node is None or area is None:
            return
        item = next(i for i in area.items if i.code == state.code)
        node.set_label(self._item_label(item, state))
        self._areas[area.code].set_label(self._area_label(area))

    # -- moving -----------------------------------------------------------------------------
    @property
    def shown_codes(self) -> list[str]:
        return list(self._items)

    @property
    def current_code(self) -> str | None:
        """The selected item, updated as soon as a key moves it (before ItemSelected is
        handled), so an answer typed right after j goes to the item j moved to."""
        return self._current

    def select_item(self, code: str) -> bool:
        node = self._items.get(code)
        if node is None:
            return False
        self.move_cursor(node)
        self._announce(code)
        return True

    def _place_cursor(self, code: str) -> None:
        node = self._items.get(code)
        if node is not None and self._current == code:
            self.move_cursor(node)
            self.post_message(self.ItemSelected(code))

    def _step(self, direction: int) -> None:
        codes = self.shown_codes
        if not codes:
            return
        if self._current not in self._items:
            self.select_item(codes[0])
            return
        index = codes.index(self._current) + direction  # type: ignore[arg-type]
        if 0 <= index < len(codes):
            self.select_item(codes[index])

    def action_next_item(self) -> None:
        self._step(1)

    def action_previous_item(self) -> None:
        self._step(-1)

    def _announce(self, code: str) -> None:
        if code != self._current:
            self._current = code
            if self.on_select is not None:
                self.on_select(code)
            self.post_message(self.ItemSelected(code))

    def on_tree_node_highlighted(self, event: Tree.NodeHighlighted[str]) -> None:
        """A click or Textual's own keys moved the cursor: an area line yields to its first
        item."""
        event.stop()
        node = event.node
        if node.data:
            if self._current in self._items and node is not self._items[self._current] \
                    and self.cursor_node is not node:
                return  # a stale highlight from before a newer move
            self._announce(node.data)
        elif node.children and node is not self.root:
            self.move_cursor(node.children[0])
