"""The PDF engine for official audit documents (GB/T 9704-2012 layout), free of audit data.

Builders make a :class:`Document` from blocks and call :func:`render_pdf`; the terminal
preview shows :func:`document_text`. Fonts are found once with :func:`find_fonts`.
"""

from store.documents.errors import (
    DocumentNotWritten,
    FontNotFound,
    FontUnusable,
    LayoutError,
    MissingGlyphs,
)
from store.documents.fonts import FontConfig, FontFace, FontRole, FontSet, find_fonts
from store.documents.layout import (
    Addressee,
    Attachment,
    AttachmentNote,
    BlankLines,
    Block,
    Column,
    Document,
    FormBlock,
    FormField,
    FormRow,
    Heading,
    PageBreak,
    Paragraph,
    RedHeader,
    Signature,
    SmallNote,
    Table,
    Title,
)
from store.documents.linebreak import balance_title, break_lines, break_text
from store.documents.plaintext import document_text
from store.documents.render import RenderResult, layout_pages, render_pdf

__all__ = [
    "Addressee", "Attachment", "AttachmentNote", "BlankLines", "Block", "Column", "Document",
    "DocumentNotWritten",
    "FontConfig", "FontFace", "FontNotFound", "FontRole", "FontSet", "FontUnusable",
    "FormBlock", "FormField", "FormRow", "Heading", "LayoutError", "MissingGlyphs", "PageBreak",
    "Paragraph", "RedHeader", "RenderResult", "Signature", "SmallNote", "Table", "Title",
    "balance_title", "break_lines", "break_text", "document_text", "find_fonts",
    "layout_pages", "render_pdf",
]
