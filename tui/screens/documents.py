"""An audit's printable documents: pick one, read its text, print it to PDF.

The list on the left offers the 审计通知书, the 取证单 of all findings and of each one, the
整改通知书 and the 审计报告, with the 发文字号 each already has. The right side previews the
chosen document as text (``store.documents.printing.preview``: the same words as the PDF,
numbering nothing). ``p`` prints it in a worker to the documents folder
(``store.documents.printing.output_dir``) and says where the file went and its number; a
first print takes the next 发文字号, a reprint keeps the old one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from store.documents.printing import (
    AuditDocuments,
    DocChoice,
    DocKind,
    Preview,
    audit_documents,
    output_dir,
    preview,
    print_to_folder,
)
from store.errors import FieldAuditError
from store.i18n import t
from tui.formatting import wrap_cjk
from tui.messages import DataChanged
from tui.screens.base import AppScreen
from tui.widgets.header import StatusHeader
from tui.widgets.steady_footer import SteadyFooter

if TYPE_CHECKING:
    from store.db import AuditStore


PREVIEW_CELLS = 56  # 28 Chinese characters, the grid line of the printed page


@dataclass(frozen=True)
class Shown:
    """A preview, or why the document cannot be made yet (no findings …)."""

    preview: Preview | None
    problem: str = ""


def _option_id(choice: DocChoice) -> str:
    return f"{choice.kind.value}:{choice.finding_id or ''}"


class DocumentsScreen(AppScreen[None]):
    """You should see the audit's documents on the left and the chosen one's text on the
    right, with its 发文字号 and the folder it prints to."""

    BINDINGS = [
        Binding("p", "print_pdf", "documents.tui_bind_print", id="documents.print",
                tooltip="documents.tui_bind_print_tip"),
        Binding("r,f5", "reload", "tui.bind.reload", show=False, id="documents.reload"),
        Binding("escape", "back", "tui.bind.back", id="documents.back"),
    ]

    def __init__(self, audit_id: str, finding_id: str | None = None) -> None:
        super().__init__()
        self.audit_id = audit_id
        self.finding_id = finding_id
        self.documents: AuditDocuments | None = None
        self.chosen: DocChoice | None = None
        self.shown: Shown | None = None
        self._text = ""

    def compose(self) -> ComposeResult:
        yield StatusHeader()
        with Horizontal(id="documents-body"):
            with Vertical(id="documents-side"):
                yield Label(t("documents.tui_list_title"), classes="section-title")
                yield OptionList(id="documents-list")
            with Vertical(id="documents-main"):
                yield Static(id="documents-info", markup=False)
                with VerticalScroll(id="documents-scroll"):
                    yield Static(id="documents-preview", markup=False)
        yield SteadyFooter()

    def on_mount(self) -> None:
        self.title = t("documents.tui_title")
        self.load()

    # -- loading --------------------------------------------------------------------------

    @work(group="documents-load", exclusive=True, exit_on_error=False)
    async def load(self) -> None:
        documents = await self.db.call(audit_documents, self.audit_id)
        self.documents = documents
        self.sub_title = documents.unit_name
        options = self.query_one("#documents-list", OptionList)
        keep = _option_id(self.chosen) if self.chosen else None
        options.clear_options()
        options.add_options([Option(c.label, id=_option_id(c)) for c in documents.choices])
        wanted = keep or (f"{DocKind.EVIDENCE.value}:{self.finding_id}" if self.finding_id
                          else f"{DocKind.NOTICE.value}:")
        index = next((i for i, c in enumerate(documents.choices) if _option_id(c) == wanted), 0)
        options.highlighted = index
        options.focus()
        self._choose(documents.choices[index])

    @on(OptionList.OptionHighlighted, "#documents-list")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if self.documents is None:
            return
        choice = next((c for c in self.documents.choices
                       if _option_id(c) == event.option.id), None)
        if choice is not None and choice != self.chosen:
            self._choose(choice)

    def _choose(self, choice: DocChoice) -> None:
        self.chosen = choice
        self.query_one("#documents-info", Static).update(t("documents.tui_loading"))
        self.show_preview(choice)

    @work(group="documents-preview", exclusive=True, exit_on_error=False)
    async def show_preview(self, choice: DocChoice) -> None:
        shown = await self.db.call(_make_preview, choice, self.audit_id, self.today())
        if choice != self.chosen:
            return
        self.shown = shown
        info, self._text = self._describe(choice, shown)
        self.query_one("#documents-info", Static).update(info)
        self._show_text()
        self.query_one("#documents-scroll", VerticalScroll).scroll_home(animate=False)

    def _show_text(self) -> None:
        preview = self.query_one("#documents-preview", Static)
        scroll = self.query_one("#documents-scroll", VerticalScroll)
        # Room for text once the vertical scrollbar shows (a long document always has one).
        room = scroll.scrollable_content_region.width - scroll.styles.scrollbar_size_vertical
        cells = min(PREVIEW_CELLS, room) if room > 10 else PREVIEW_CELLS
        # broken like the page (避头尾, amounts and voucher numbers whole), not the terminal's
        # character-by-character wrap
        preview.update(wrap_cjk(Text(self._text), cells))

    def on_resize(self, _event: events.Resize) -> None:
        if self._text:
            self.call_after_refresh(self._show_text)

    def _describe(self, choice: DocChoice, shown: Shown) -> tuple[str, str]:
        lines = []
        p = shown.preview
        if p is None:
            lines.append(t("documents.tui_preview_cannot", message=shown.problem))
        elif choice.kind is DocKind.EVIDENCE:
            lines.append(t("documents.tui_preview_no_number"))
        elif choice.number:
            lines.append(t("documents.tui_preview_number", number=choice.number))
        else:
            lines.append(t("documents.tui_preview_placeholder", number=p.number))
        if p is not None:
            lines += [t("documents.cli_warning", message=w) for w in p.warnings]
        lines.append(t("documents.tui_preview_folder", folder=str(output_dir())))
        text = "" if p is None else p.text.replace("\f", "\n" + "─" * 28 + "\n")
        return "\n".join(lines), text

    # -- actions --------------------------------------------------------------------------

    def action_print_pdf(self) -> None:
        if self.chosen is None or (self.shown is not None and self.shown.preview is None):
            if self.shown is not None and self.shown.problem:
                self.notify(self.shown.problem, severity="warning")
            return
        self.notify(t("documents.tui_printing", kind=t(f"documents.kind.{self.chosen.kind}")))
        self.print_pdf(self.chosen)

    @work(group="documents-print", exit_on_error=False)
    async def print_pdf(self, choice: DocChoice) -> None:
        printed = await self.db.call(print_to_folder, choice.kind, self.audit_id, self.today(),
                                     choice.finding_id)
        kind = t(f"documents.kind.{printed.kind.value}")
        if printed.number:
            message = t("documents.tui_printed", kind=kind, path=str(printed.path),
                        pages=printed.pages, number=printed.number)
        else:
            message = t("documents.tui_printed_plain", kind=kind, path=str(printed.path),
                        pages=printed.pages)
        self.notify(message, title=t("documents.tui_printed_title"), timeout=12)
        for warning in printed.warnings:
            self.notify(warning, severity="warning", timeout=12)
        if printed.deadlines_recorded:
            self.notify(t("documents.deadlines_recorded", n=len(printed.deadlines_recorded)),
                        timeout=12)
        if printed.new_number or printed.deadlines_recorded:
            self.post_message(DataChanged("findings" if printed.deadlines_recorded
                                          else "doc_numbers"))
            self.load()  # the list shows the new number

    def action_reload(self) -> None:
        self.load()

    def action_back(self) -> None:
        self.app.pop_screen()


def _make_preview(store: AuditStore, choice: DocChoice, audit_id: str, today: date) -> Shown:
    """Runs on the database thread; a document that cannot be made yet says why."""
    try:
        return Shown(preview(store, choice.kind, audit_id, today, choice.finding_id))
    except FieldAuditError as exc:
        return Shown(None, exc.message())
