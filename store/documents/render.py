"""Lay a :class:`~store.documents.layout.Document` out on GB/T 9704-2012 pages and draw it.

Layout and drawing are separate passes (see ops.py): :func:`layout_pages` returns each page's
drawing operations, :func:`render_pdf` draws them with reportlab's canvas and writes the file.
The canvas is used directly rather than platypus because the 28 × 22 grid, 避头尾 and
per-character font fallback all need control of every line.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from reportlab.pdfgen.canvas import Canvas

from store.documents.errors import DocumentNotWritten, LayoutError
from store.documents.flow import Flow, Measured, Span
from store.documents.fonts import FontRole, FontSet, find_fonts
from store.documents.geometry import (
    BODY_HEIGHT,
    BODY_SIZE,
    BODY_WIDTH,
    CELL,
    CHAR_SPACE,
    DESCENT,
    ISSUER_TOP,
    LEFT,
    LINES_PER_PAGE,
    PAGE_HEIGHT,
    PAGE_NUMBER_DROP,
    PAGE_NUMBER_SIZE,
    PAGE_WIDTH,
    PITCH,
    RULE_GAP,
    RULE_WIDTH,
    SEAL_RADIUS,
    TITLE_SIZE,
    baseline_below,
    baseline_in_line,
)
from store.documents.layout import (
    HEADING_ROLES,
    Addressee,
    Attachment,
    AttachmentNote,
    BlankLines,
    Block,
    Document,
    FormBlock,
    Heading,
    HeadingCounter,
    PageBreak,
    Paragraph,
    RedHeader,
    Signature,
    SmallNote,
    Table,
    Title,
    attachment_note_lines,
)
from store.documents.linebreak import balance_title
from store.documents.ops import CircleOp, Color, LineOp, Op, TextOp, draw
from store.documents.tables import place_form, place_table

RIGHT = LEFT + BODY_WIDTH
_MOVABLE_LINES = 2  # body lines carried over so a signature never stands alone on a page


@dataclass(frozen=True)
class RenderResult:
    """What was written: the file and its number of pages."""

    path: Path
    pages: int


class _Layout:
    """Walks the blocks of a document, keeping the grid cursor in a :class:`Flow`."""

    def __init__(self, fonts: FontSet) -> None:
        self.flow = Flow(fonts)
        self.headings = HeadingCounter()
        self.seal: CircleOp | None = None

    def body(self, spans: list[Span]) -> Measured:
        return self.flow.measure(spans, BODY_SIZE, CHAR_SPACE)

    # -- text on the grid ---------------------------------------------------------------

    def text(self, spans: list[Span], *, indent: float = 0.0, hang: float = 0.0,
             align: str = "justify", movable: bool = True, color: Color = "black",
             bold: bool = False, size: float = BODY_SIZE) -> list[int]:
        """Flow text onto grid lines: first line ``indent`` pt in, the others ``hang`` pt."""
        spacing = CHAR_SPACE if size == BODY_SIZE else 0.0
        m = self.flow.measure(spans, size, spacing)
        lines = m.lines(BODY_WIDTH - hang, BODY_WIDTH - indent)
        taken = []
        for k, ln in enumerate(lines):
            offset = indent if k == 0 else hang
            avail = BODY_WIDTH - offset
            x, stretch = LEFT + offset, None
            if align == "center":
                x = LEFT + (BODY_WIDTH - ln.width) / 2
            elif align == "right":
                x = RIGHT - ln.width
            elif align == "justify" and k < len(lines) - 1 and m.text[ln.end:ln.end + 1] != "\n":
                stretch = avail  # the last line and lines ended by the user stay ragged
            line = self.flow.take_line()
            self.flow.add(m.op(x, baseline_in_line(line, size), ln.start, ln.end,
                               stretch_to=stretch, color=color, bold=bold, line=line,
                               movable=movable))
            taken.append(line)
        return taken

    # -- blocks -------------------------------------------------------------------------

    def block(self, block: Block) -> None:
        if isinstance(block, Paragraph):
            self.text([(block.text, block.role)], indent=block.indent * CELL, align=block.align)
        elif isinstance(block, Heading):
            self.heading(block)
        elif isinstance(block, Title):
            self.title(block.text, block.lines)
            self.flow.skip_lines(1)
        elif isinstance(block, Addressee):
            self.text([(block.text, FontRole.FANGSONG)], align="left")
        elif isinstance(block, RedHeader):
            self.red_header(block)
        elif isinstance(block, Table):
            place_table(self.flow, block)
        elif isinstance(block, FormBlock):
            place_form(self.flow, block)
        elif isinstance(block, Signature):
            self.signature(block)
        elif isinstance(block, AttachmentNote):
            self.attachment_note(block)
        elif isinstance(block, SmallNote):
            self.small_note(block)
        elif isinstance(block, BlankLines):
            self.flow.skip_lines(block.count)
        elif isinstance(block, PageBreak):
            self.flow.fresh_page()
        else:  # pragma: no cover - the Block union is closed
            raise TypeError(f"not a document block: {block!r}")

    def heading(self, block: Heading) -> None:
        label = self.headings.label(block)
        spans: list[Span] = [(label + block.text, HEADING_ROLES[block.level])]
        if block.body:
            spans.append((block.body, FontRole.FANGSONG))
        m = self.body(spans)
        # Keep a heading with the first line under it; a run-in heading only needs its own
        # first two lines (heading and the start of its body) on this page, the rest flows on.
        own = len(m.lines(BODY_WIDTH, BODY_WIDTH - 2 * CELL))
        needed = min(own, 2) if block.body else own + 1
        if self.flow.ops and self.flow.lines_left() < needed:
            self.flow.new_page()
        self.text(spans, indent=2 * CELL)

    def title(self, text: str, fixed: tuple[str, ...] = ()) -> None:
        if fixed:
            parts = [self.flow.measure([(p, FontRole.SONG)], TITLE_SIZE) for p in fixed]
            if any(part.width() > BODY_WIDTH for part in parts):
                raise LayoutError("documents.title_line_too_long", text=text)
        else:
            m = self.flow.measure([(text, FontRole.SONG)], TITLE_SIZE)
            parts = [self.flow.measure([(ln.text, FontRole.SONG)], TITLE_SIZE)
                     for ln in balance_title(m.text, m.advances, BODY_WIDTH)]
        for part in parts:
            line = self.flow.take_line()
            x = LEFT + (BODY_WIDTH - part.width()) / 2
            self.flow.add(part.op(x, baseline_in_line(line, TITLE_SIZE), bold=True, line=line))

    def red_header(self, block: RedHeader) -> None:
        self.flow.fresh_page()
        size = block.size
        mark = self.flow.measure([(block.issuer, FontRole.SONG)], size)
        if mark.width() > BODY_WIDTH:
            size = size * BODY_WIDTH / mark.width()
            mark = self.flow.measure([(block.issuer, FontRole.SONG)], size)
        x = LEFT + (BODY_WIDTH - mark.width()) / 2
        self.flow.add(mark.op(x, baseline_below(ISSUER_TOP, size), color="red", bold=True))
        y = ISSUER_TOP + size
        if block.doc_number:
            top = y + 2 * PITCH
            number = self.body([(block.doc_number, FontRole.FANGSONG)])
            x = LEFT + (BODY_WIDTH - number.width()) / 2
            self.flow.add(number.op(x, baseline_below(top, BODY_SIZE)))
            y = top + BODY_SIZE
        rule = y + RULE_GAP
        self.flow.add(LineOp(LEFT, rule, RIGHT, rule, RULE_WIDTH, "red"))
        self.flow.y = rule
        self.flow.skip_lines(2)

    def attachment_note(self, block: AttachmentNote) -> None:
        self.flow.skip_lines(1)
        for prefix, name in attachment_note_lines(block.names):
            lead = self.body([("附件：", FontRole.FANGSONG)]).width()
            numbered = name[: name.find(" ") + 1] if len(block.names) > 1 else ""
            hang = 2 * CELL + lead + self.body([(numbered, FontRole.FANGSONG)]).width()
            lines = self.text([(name, FontRole.FANGSONG)], indent=2 * CELL + lead, hang=hang,
                              align="left")
            if prefix:
                m = self.body([(prefix, FontRole.FANGSONG)])
                self.flow.add(m.op(LEFT + 2 * CELL, baseline_in_line(lines[0], BODY_SIZE),
                                   line=lines[0], movable=True))

    def small_note(self, block: SmallNote) -> None:
        """附注 goes on the line below the date, unless the seal would be stamped over it."""
        spans: list[Span] = [(block.bracketed, FontRole.FANGSONG)]
        seal = self.seal
        if seal is not None and any(op is seal for op in self.flow.ops):
            first = self.body(spans).lines(BODY_WIDTH, BODY_WIDTH - 2 * CELL)[0]
            if LEFT + 2 * CELL + first.width > seal.cx - seal.r:
                self.flow.y = max(self.flow.y, seal.cy + seal.r)
        self.text(spans, indent=2 * CELL, align="left")

    def signature(self, block: Signature) -> None:
        issuer = self.body([(block.issuer, FontRole.FANGSONG)])
        date = self.body([(block.date_text, FontRole.FANGSONG)])
        if issuer.width() > BODY_WIDTH - 2 * CELL or date.width() > BODY_WIDTH - 4 * CELL:
            raise LayoutError("documents.signature_too_long", issuer=block.issuer)
        blanks = 2 if block.sealed else 1
        if not self._signature_fits(blanks, block.sealed):
            self._carry_lines_over()
        first = self.flow.next_line() + blanks if self.flow.ops else 0
        issuer_line, date_line = first, first + 1
        if block.sealed:
            date_x = RIGHT - 4 * CELL - date.width()
            centre = date_x + date.width() / 2
            issuer_x = min(centre - issuer.width() / 2, RIGHT - issuer.width())
            # A long 署名 is kept inside the 版心, so the seal goes between the two centres.
            seal_x = (centre + issuer_x + issuer.width() / 2) / 2
            seal_y = (issuer_line + 1) * PITCH - 0.3 * PITCH
            self.seal = CircleOp(seal_x, seal_y, SEAL_RADIUS)
            self.flow.add(self.seal)
        else:
            issuer_x = RIGHT - 2 * CELL - issuer.width()
            date_x = issuer_x + 2 * CELL
            if date.width() > issuer.width():
                date_x = RIGHT - 2 * CELL - date.width()
        self.flow.add(issuer.op(issuer_x, baseline_in_line(issuer_line, BODY_SIZE),
                                line=issuer_line))
        self.flow.add(date.op(date_x, baseline_in_line(date_line, BODY_SIZE), line=date_line))
        self.flow.y = (date_line + 1) * PITCH

    def _signature_fits(self, blanks: int, sealed: bool) -> bool:
        first = self.flow.next_line() + blanks
        if first + 1 >= LINES_PER_PAGE:
            return False
        return not sealed or (first + 0.7) * PITCH + SEAL_RADIUS <= BODY_HEIGHT

    def _carry_lines_over(self) -> None:
        """Start a new page for the signature, taking the last body lines along with it."""
        ops = self.flow.ops
        lines = sorted({op.line for op in ops if isinstance(op, TextOp) and op.line is not None})
        carry = set(lines[-_MOVABLE_LINES:])
        moving = [op for op in ops if isinstance(op, TextOp) and op.line in carry]
        moving_ids = {id(op) for op in moving}
        staying = [op for op in ops if id(op) not in moving_ids]
        top = min(carry, default=0) * PITCH
        if (not all(op.movable for op in moving) or len(carry) >= len(lines)
                or any(_bottom(op) > top for op in staying)):
            moving = []  # only the very last lines of a page may move, and never all of them
        if moving:
            ops[:] = staying
        self.flow.new_page()
        shift = min(carry) if moving else 0
        for op in moving:
            assert op.line is not None
            line = op.line - shift
            self.flow.add(op.moved_to(line, op.y - shift * PITCH))
            self.flow.y = max(self.flow.y, (line + 1) * PITCH)

    def attachment(self, att: Attachment) -> None:
        self.flow.fresh_page()
        self.headings = HeadingCounter()
        label = self.body([(att.label, FontRole.HEI)])
        self.flow.add(label.op(LEFT, baseline_in_line(0, BODY_SIZE), line=0))
        self.flow.y = 2 * PITCH
        self.title(att.title)
        self.flow.skip_lines(1)
        for block in att.blocks:
            self.block(block)

    def page_number(self, page: int) -> Op:
        m = self.flow.measure([(f"— {page} —", FontRole.SONG)], PAGE_NUMBER_SIZE)
        # Odd pages: 1 字 from the right edge of the 版心; even pages: 1 字 from the left.
        x = RIGHT - PAGE_NUMBER_SIZE - m.width() if page % 2 else LEFT + PAGE_NUMBER_SIZE
        y = BODY_HEIGHT + PAGE_NUMBER_DROP + (0.5 - DESCENT) * PAGE_NUMBER_SIZE
        return m.op(x, y)


def _bottom(op: Op) -> float:
    if isinstance(op, TextOp):
        return op.y
    if isinstance(op, LineOp):
        return max(op.y1, op.y2)
    return op.cy + op.r


def layout_pages(doc: Document, fonts: FontSet) -> list[list[Op]]:
    """Each page's drawing operations, page numbers included.

    Raises:
        MissingGlyphs: some text has a character no installed face for its role can print.
        LayoutError: a block cannot be placed (e.g. a table column narrower than a character).
    """
    layout = _Layout(fonts)
    for block in doc.blocks:
        layout.block(block)
    for att in doc.attachments:
        layout.attachment(att)
    pages = layout.flow.pages
    for number, ops in enumerate(pages, start=1):
        ops.append(layout.page_number(number))
    return pages


def render_pdf(doc: Document, out: Path, fonts: FontSet | None = None, *,
               invariant: bool = False) -> RenderResult:
    """Write ``doc`` to ``out`` as an A4 PDF with embedded fonts and searchable text.

    The whole layout is done before the file is opened, and the PDF is written to a temporary
    file beside ``out`` and then renamed, so a refused document never leaves a partial file.
    ``invariant`` fixes dates and ids inside the PDF so the same document gives the same bytes.
    """
    fonts = fonts or find_fonts()
    pages = layout_pages(doc, fonts)
    out = Path(out)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{out.stem}-", suffix=".pdf", dir=out.parent)
        os.close(fd)
    except OSError as exc:
        raise DocumentNotWritten("documents.cannot_write", path=str(out),
                                 problem=exc.strerror or str(exc)) from None
    try:
        # The initial font is one of ours: reportlab's default Helvetica would be listed in
        # the PDF as an unembedded font.
        canvas = Canvas(tmp, pagesize=(PAGE_WIDTH, PAGE_HEIGHT), invariant=int(invariant),
                        lang="zh-CN", initialFontName=fonts.primary(FontRole.FANGSONG).name,
                        initialFontSize=BODY_SIZE)
        canvas.setTitle(doc.title)
        canvas.setAuthor(doc.author)
        canvas.setSubject(doc.subject)
        canvas.setCreator("fieldaudit")
        canvas.setViewerPreference("DisplayDocTitle", "true")
        for ops in pages:
            draw(canvas, ops)
            canvas.showPage()
        canvas.save()
        # mkstemp makes the file private (0600); a printed document is an ordinary file.
        os.chmod(tmp, out.stat().st_mode & 0o777 if out.exists() else 0o644)
        os.replace(tmp, out)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise DocumentNotWritten("documents.cannot_write", path=str(out),
                                 problem=exc.strerror or str(exc)) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return RenderResult(out, len(pages))
