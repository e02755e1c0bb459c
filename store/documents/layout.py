"""The document model: what a document says, block by block, with no audit data in it.

Builders (审计通知书, 取证单, 整改通知书, 审计报告) turn audit records into a :class:`Document`;
the renderer places the blocks on the GB/T 9704-2012 grid and :func:`document_text` gives the
same content as plain text for the terminal preview. Blocks are frozen dataclasses so a
document can be built once, compared in tests and rendered twice with the same result.

Block order follows GB/T 9704: RedHeader, Title, Addressee, body (Paragraph, Heading, Table,
FormBlock), AttachmentNote, Signature, SmallNote (附注), then Attachment pages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from store.dates import format_gongwen_date
from store.documents.fonts import FontRole

Align = Literal["left", "center", "right"]


@dataclass(frozen=True)
class RedHeader:
    """发文机关标志 in red (35 mm below the top of the 版心), 发文字号 and the red rule."""

    issuer: str
    """Full or standard short name, optionally ending in 文件."""
    doc_number: str = ""
    """发文字号 such as ``X工审〔2026〕5号`` (see store/docnumbers rules); empty: none."""
    size: float = 36.0
    """Point size of the issuer mark; shrunk automatically to fit the 版心 width."""


@dataclass(frozen=True)
class Title:
    """The 2号 title, centred; long titles are split into balanced lines at meaning boundaries.

    ``lines`` overrides the automatic split when the author wants a particular shape.
    """

    text: str
    lines: tuple[str, ...] = ()


@dataclass(frozen=True)
class Addressee:
    """主送机关, flush left one blank line below the title; ends with a full-width colon."""

    text: str


@dataclass(frozen=True)
class Paragraph:
    """Body text in 3号 仿宋 on the 28-character grid; first line indented ``indent`` 字."""

    text: str
    indent: int = 2
    align: Literal["justify", "left", "center", "right"] = "justify"
    role: FontRole = FontRole.FANGSONG


@dataclass(frozen=True)
class Heading:
    """A numbered heading: level 1 "一、" 黑体, 2 "（一）" 楷体, 3 "1." and 4 "（1）" 仿宋.

    ``number`` is counted automatically (a higher level resets the lower ones) unless given;
    ``numbered=False`` prints the text alone. ``body`` continues on the same line in 仿宋
    (run-in headings such as "（一）资金使用情况。经审查……").
    """

    level: Literal[1, 2, 3, 4]
    text: str
    body: str = ""
    number: int | None = None
    numbered: bool = True


@dataclass(frozen=True)
class Column:
    """A table column: header text, relative width and alignment of its cells."""

    title: str
    width: float = 1.0
    align: Align = "left"


@dataclass(frozen=True)
class Table:
    """A ruled table (findings, 资料清单): header repeated on every page, optional totals row."""

    columns: tuple[Column, ...]
    rows: tuple[tuple[str, ...], ...]
    totals: tuple[str, ...] = ()
    size: float = 12.0
    """Point size of the cells (小四 by default; tables do not follow the 28-character grid)."""


@dataclass(frozen=True)
class FormField:
    """One label/value pair of a form; ``footer`` is printed bottom-right in the value box
    (e.g. "签名（盖章）：　　　　年　　月　　日")."""

    label: str
    value: str = ""
    footer: str = ""


@dataclass(frozen=True)
class FormRow:
    """A row of one or more label/value pairs, at least ``min_lines`` lines high."""

    fields: tuple[FormField, ...]
    min_lines: int = 1


@dataclass(frozen=True)
class FormBlock:
    """Ruled label/value boxes for 取证单 and 送达回证; long values flow across pages."""

    rows: tuple[FormRow, ...]
    label_chars: int | None = None
    """Width of the label column in characters; ``None``: the longest label, at most 6.
    Longer labels wrap into balanced lines (证据提供/单位意见)."""
    size: float = 14.0


@dataclass(frozen=True)
class Signature:
    """署名 and 成文日期. Sealed: date 4 字 from the right, 署名 centred above, a dashed circle
    marking where the seal goes. Unsealed: 署名 2 字 from the right, date below it."""

    issuer: str
    date: date | str
    sealed: bool = True

    @property
    def date_text(self) -> str:
        return self.date if isinstance(self.date, str) else format_gongwen_date(self.date)


@dataclass(frozen=True)
class AttachmentNote:
    """附件说明: "附件：1. 名称", one blank line below the body, indented 2 字."""

    names: tuple[str, ...]


@dataclass(frozen=True)
class SmallNote:
    """附注 on the line below the date, indented 2 字, in parentheses (added when missing)."""

    text: str

    @property
    def bracketed(self) -> str:
        text = self.text.strip()
        return text if text.startswith("（") else f"（{text}）"


@dataclass(frozen=True)
class BlankLines:
    """Empty grid lines (e.g. before a form's closing note)."""

    count: int = 1


@dataclass(frozen=True)
class PageBreak:
    """Continue on a new page."""


Block = (RedHeader | Title | Addressee | Paragraph | Heading | Table | FormBlock | Signature
         | AttachmentNote | SmallNote | BlankLines | PageBreak)


@dataclass(frozen=True)
class Attachment:
    """An attachment on its own pages: "附件N" in 3号黑体 on line 1, title centred on line 3."""

    title: str
    blocks: tuple[Block, ...] = ()
    number: int | None = None
    """Printed after 附件; ``None`` prints "附件" alone (a single attachment)."""

    @property
    def label(self) -> str:
        return "附件" if self.number is None else f"附件{self.number}"


@dataclass(frozen=True)
class Document:
    """A whole document: body blocks, attachments and the PDF's metadata."""

    blocks: tuple[Block, ...]
    title: str
    """PDF title metadata (also the window title in viewers)."""
    author: str = ""
    """PDF author metadata: the issuing body."""
    subject: str = ""
    attachments: tuple[Attachment, ...] = field(default=())


_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 99 → 九十九 (heading numbers)."""
    if not 0 < n < 100:
        return str(n)
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else _DIGITS[tens] + "十")
    return head + (_DIGITS[ones] if ones else "")


def heading_label(level: int, n: int) -> str:
    """The GB/T 9704 numbering for a heading level: 一、 （一） 1. （1）."""
    if level == 1:
        return f"{chinese_number(n)}、"
    if level == 2:
        return f"（{chinese_number(n)}）"
    if level == 3:
        return f"{n}."
    return f"（{n}）"


class HeadingCounter:
    """Numbers headings in order; a heading resets the counters of the levels below it."""

    def __init__(self) -> None:
        self._counts = [0, 0, 0, 0, 0]

    def label(self, heading: Heading) -> str:
        if not heading.numbered:
            return ""
        level = heading.level
        self._counts[level] = heading.number or self._counts[level] + 1
        for lower in range(level + 1, 5):
            self._counts[lower] = 0
        return heading_label(level, self._counts[level])


HEADING_ROLES = {1: FontRole.HEI, 2: FontRole.KAI, 3: FontRole.FANGSONG, 4: FontRole.FANGSONG}


def attachment_note_lines(names: tuple[str, ...]) -> list[tuple[str, str]]:
    """``(prefix, name)`` pairs: "附件：" then "1. " numbering when there are several names.

    GB/T 9704 puts no punctuation after an attachment name, so a trailing mark is dropped.
    """
    names = tuple(name.strip().rstrip("。；;，,.") for name in names)
    if len(names) == 1:
        return [("附件：", names[0])]
    return [("附件：" if i == 0 else "", f"{i + 1}. {name}") for i, name in enumerate(names)]
