"""Errors the PDF engine can raise, each naming what the user can do about it.

They are user-causable (no font installed, a configured font file that is wrong, a name with a
character no installed font can print), so they carry catalogue keys (``documents.*``) like
every other :class:`~store.errors.FieldAuditError`.
"""

from __future__ import annotations

from store.errors import FieldAuditError


class FontNotFound(FieldAuditError):
    """No usable TrueType CJK font on this computer; the message says how to install one."""


class FontUnusable(FieldAuditError):
    """A font file named in the settings is missing, unreadable or cannot be embedded."""


class MissingGlyphs(FieldAuditError):
    """Text contains characters that none of the fonts found for its role can print.

    Printing anyway would put empty boxes in an official document, so the document is refused
    and the characters are named (with their code points) so the user can fix the text or
    install a font.
    """


class LayoutError(FieldAuditError):
    """A block cannot be placed on an A4 page (e.g. table columns narrower than one character)."""


class DocumentNotWritten(FieldAuditError):
    """The PDF file could not be written (folder not writable, file open in a viewer)."""
