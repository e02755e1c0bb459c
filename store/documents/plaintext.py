"""The plain-text form of a document, for the terminal preview and for search.

It shows the same words as the PDF in the same order, with the same heading numbers, so the
preview never disagrees with what is printed; layout (centring, the seal) is only suggested.
"""

from __future__ import annotations

from store.documents.layout import (
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

INDENT = "\u3000\u3000"  # 2 字, as the paragraphs are indented on paper


def _block_lines(block: Block, headings: HeadingCounter) -> list[str]:
    if isinstance(block, RedHeader):
        return [block.issuer] + ([block.doc_number] if block.doc_number else []) + [""]
    if isinstance(block, Title):
        return ["".join(block.lines) or block.text, ""]
    if isinstance(block, Addressee):
        return [block.text]
    if isinstance(block, Paragraph):
        return [("\u3000" * block.indent) + block.text]
    if isinstance(block, Heading):
        return [INDENT + headings.label(block) + block.text + block.body]
    if isinstance(block, Table):
        rows = [tuple(c.title for c in block.columns), *block.rows]
        rows += [block.totals] if block.totals else []
        return [" | ".join(row) for row in rows]
    if isinstance(block, FormBlock):
        out = []
        for row in block.rows:
            for f in row.fields:
                value = " ".join(part for part in (f.value, f.footer) if part)
                out.append(f"{f.label}：{value}")
        return out
    if isinstance(block, AttachmentNote):
        notes = attachment_note_lines(block.names)
        return ["", *(INDENT + prefix + name for prefix, name in notes)]
    if isinstance(block, Signature):
        return ["", block.issuer, block.date_text]
    if isinstance(block, SmallNote):
        return [INDENT + block.bracketed]
    if isinstance(block, BlankLines):
        return [""] * block.count
    if isinstance(block, PageBreak):
        return ["\f"]
    raise TypeError(f"not a document block: {block!r}")  # pragma: no cover


def _attachment_lines(att: Attachment) -> list[str]:
    headings = HeadingCounter()
    out = ["\f", att.label, "", att.title, ""]
    for block in att.blocks:
        out += _block_lines(block, headings)
    return out


def document_text(doc: Document) -> str:
    """All text of ``doc`` in reading order; a form feed marks a forced new page."""
    headings = HeadingCounter()
    lines: list[str] = []
    for block in doc.blocks:
        lines += _block_lines(block, headings)
    for att in doc.attachments:
        lines += _attachment_lines(att)
    return "\n".join(lines).rstrip() + "\n"
