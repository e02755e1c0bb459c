"""The selected checklist item in full: what to check, how, on what basis, the province's cap
in force during the audited period, the unit's previous finding on it, the records to ask for.

Shows a :class:`store.workspace.ItemDetail` (computed in memory by the workspace screen); it
never reads the database.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

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


class ChecklistDetail(Static):
    """The right-hand pane's text; :meth:`show` replaces it. Lines are broken here, at the
    pane's width, by the Chinese line-breaking rules (:func:`tui.formatting.wrap_cjk`)."""

    _text: Text | None = None

    def show(self, detail: ItemDetail) -> None:
        self._text = detail_text(detail)
        self._wrap()

    def on_resize(self) -> None:
        if self._text is not None:
            self._wrap()

    def _wrap(self) -> None:
        assert self._text is not None
        self.update(wrap_cjk(self._text, self.content_region.width))
