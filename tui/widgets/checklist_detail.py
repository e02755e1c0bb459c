"""The selected checklist item in full: what to check, how, on what basis, the province's cap
in force during the audited period, the unit's previous finding on it, the records to ask for.

Shows a :class:`store.workspace.ItemDetail` (computed in memory by the workspace screen); it
never reads the database.
"""

from __future__ import annotations

from rich.text import Text
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from store.enums import AnswerResult, FindingNature, RectifyStatus
from store.i18n import t
from store.review import ReviewState
from store.workspace import ItemDetail
from tui.formatting import day, enum_label, money, wrap_cjk

REVIEW_KEYS = {ReviewState.REVIEWED: "workspace.reviewed",
               ReviewState.MODIFIED: "workspace.modified_since_review",
               ReviewState.NOT_REVIEWED: "workspace.not_reviewed"}


def detail_text(d: ItemDetail) -> Text:
    state = d.state
    text = Text()
    text.append(f"{d.item.code} ", style="bold")
    text.append(t("workspace.head", area=d.area.title,
                  result=enum_label(AnswerResult, state.result), n=state.findings,
                  review=t(REVIEW_KEYS[state.review])))
    text.append("\n")
    sections: list[tuple[str, list[str]]] = [
        ("workspace.question", [d.item.question]),
        ("workspace.method", [d.item.method]),
        ("workspace.basis", d.basis),
    ]
    if d.caps:
        sections.append(("workspace.caps", [
            t("workspace.cap_line", since=day(c.effective_from), amount=money(c.amount_fen),
              unit=c.unit, title=c.title) + (f"（{c.note}）" if c.note else "")
            for c in d.caps]))
    if d.previous:
        sections.append(("workspace.previous", [
            t("workspace.previous_line", start=p.period_from, end=p.period_to, title=p.title,
              nature=enum_label(FindingNature, p.nature),
              amount=money(p.violation_fen + p.irregular_fen),
              status=enum_label(RectifyStatus, p.rectify_status))
            for p in d.previous]))
    if d.item.evidence:
        sections.append(("workspace.evidence", ["、".join(d.item.evidence)]))
    for key, lines in sections:
        text.append("\n")
        text.append(t(key) + "\n", style="bold underline")
        for line in lines:
            # no space after the bullet: rich wraps at spaces, and a space before a long
            # Chinese line would leave the bullet alone on its line
            text.append(("•" if len(lines) > 1 else "") + line + "\n")
    return text


class ChecklistDetail(ScrollView, can_focus=False):
    """The right-hand pane: the item's text, scrolled with PageUp/PageDown.

    Drawn line by line (Textual's Line API): moving to another item replaces the lines and
    redraws the pane without laying out the screen again, which a ``Static`` in a scrolling
    container did (one more frame per move). Lines are broken at the pane's width by the
    Chinese line-breaking rules (:func:`tui.formatting.wrap_cjk`)."""

    def __init__(self, placeholder: str = "", *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self._text = Text(placeholder)
        self._lines: list[Strip] = []
        self._width = -1
        self._code = ""

    @property
    def plain(self) -> str:
        """The text shown, without its line breaks (tests, screen readers of the future)."""
        return self._text.plain

    def show(self, detail: ItemDetail) -> None:
        self._text = detail_text(detail)
        self._width = -1
        if detail.item.code != self._code:  # another item: from its top
            self._code = detail.item.code
            self.scroll_to(0, 0, animate=False, immediate=True)
        self._wrap()

    def on_resize(self) -> None:
        self._wrap()

    def _wrap(self) -> None:
        width = self.scrollable_content_region.width
        if width <= 0 or width == self._width:
            return
        self._width = width
        console = self.app.console
        wrapped = wrap_cjk(self._text, width).split("\n")
        style = self.rich_style
        self._lines = [Strip(line.render(console), line.cell_len).apply_style(style)
                       for line in wrapped]
        size = Size(width, len(self._lines))
        if size != self.virtual_size:
            self.set_reactive(ChecklistDetail.virtual_size, size)
            self._scroll_update(size)
        self.refresh()

    def _size_updated(self, size: Size, virtual_size: Size, container_size: Size,
                      layout: bool = True) -> bool:
        # ScrollView compares the region's virtual size with its own (the lines'), which
        # always differ: every layout of the screen would reset the scrollbars and cost one
        # more frame. The lines' virtual size is applied by ``_wrap``.
        changed = super()._size_updated(size, self.virtual_size, container_size, layout)
        if changed:
            self._wrap()
        return changed

    def render_line(self, y: int) -> Strip:
        index = y + self.scroll_offset.y
        width = self.scrollable_content_region.width
        if 0 <= index < len(self._lines):
            return self._lines[index].extend_cell_length(width, self.rich_style)
        return Strip.blank(width, self.rich_style)
