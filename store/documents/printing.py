"""Printing an audit's documents: build, number, render, in that order, for the CLI and TUI.

:func:`preview` builds a document for the terminal without touching ``doc_numbers`` (a
document never printed shows its number as ``青工审〔2026〕　号``). :func:`print_document`
first lays the document out with that placeholder, so text no font can print is refused
before a serial is spent, then takes the document's number (the one it already has on a
reprint) and writes the PDF. Fonts come from :func:`font_config` (settings file and
environment), found once per process.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from store import paths
from store.documents.common import (
    AuditFacts,
    Built,
    existing_number,
    issue_number,
    load_facts,
    series_prefix,
)
from store.documents.evidence_sheet import build_evidence
from store.documents.fonts import FontConfig, FontSet, find_fonts
from store.documents.notice import build_notice
from store.documents.plaintext import document_text
from store.documents.rectification import build_rectification, deadline_of
from store.documents.render import layout_pages, render_pdf
from store.documents.report import build_report
from store.errors import InvalidInput

if TYPE_CHECKING:
    from store.db import AuditStore


class DocKind(StrEnum):
    NOTICE = "notice"
    EVIDENCE = "evidence"
    RECTIFICATION = "rectification"
    REPORT = "report"


NUMBER_KINDS = {DocKind.NOTICE: "notice", DocKind.RECTIFICATION: "rectify",
                DocKind.REPORT: "report"}
"""Document kind → ``doc_numbers.kind`` (the series of 发文字号); 取证单 have none."""

FONT_ENV = {"song": "FIELDAUDIT_FONT_SONG", "fangsong": "FIELDAUDIT_FONT_FANGSONG",
            "hei": "FIELDAUDIT_FONT_HEI", "kai": "FIELDAUDIT_FONT_KAI"}
FONT_DIRS_ENV = "FIELDAUDIT_FONT_DIRS"
OUTPUT_ENV = "FIELDAUDIT_DOCUMENTS_DIR"


@dataclass(frozen=True)
class Printed:
    """What :func:`print_document` wrote."""

    kind: DocKind
    path: Path
    pages: int
    number: str
    """The 发文字号 printed ('' for 取证单)."""
    new_number: bool
    warnings: tuple[str, ...]
    deadlines_recorded: tuple[str, ...] = ()
    """Findings given the deadline this rectification notice set (they had none)."""


@dataclass(frozen=True)
class Preview:
    kind: DocKind
    text: str
    number: str
    warnings: tuple[str, ...]


def _settings() -> dict:
    path = paths.settings_path()
    if not path.is_file():
        return {}
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise InvalidInput("documents.bad_settings", path=str(path), problem=str(exc)) from None


def font_config() -> FontConfig:
    """Fonts from ``[fonts]`` in settings.toml, overridden by ``FIELDAUDIT_FONT_*``."""
    values: dict[str, object] = dict(_settings().get("fonts", {}))
    for role, var in FONT_ENV.items():
        if os.environ.get(var):
            values[role] = os.environ[var]
    if os.environ.get(FONT_DIRS_ENV):
        values["search_dirs"] = tuple(os.environ[FONT_DIRS_ENV].split(os.pathsep))
    try:
        return FontConfig.model_validate(values)
    except ValueError as exc:
        raise InvalidInput("documents.bad_settings", path=str(paths.settings_path()),
                           problem=str(exc)) from None


@cache
def _fonts_for(config: FontConfig) -> FontSet:
    return find_fonts(config)


def default_fonts() -> FontSet:
    """The fonts of the current configuration, found once per process."""
    return _fonts_for(font_config())


def output_dir() -> Path:
    """Where the TUI saves PDFs: ``FIELDAUDIT_DOCUMENTS_DIR``, ``documents_dir`` in the
    settings, ``$FIELDAUDIT_HOME/documents`` for a relocated (portable or test) install, else
    ``fieldaudit`` in the user's documents folder (``~/Documents/fieldaudit``,
    ``文档\\fieldaudit`` on Windows), where an auditor looks for a file to print."""
    if os.environ.get(OUTPUT_ENV):
        return Path(os.environ[OUTPUT_ENV]).expanduser()
    configured = _settings().get("documents_dir")
    if configured:
        return Path(str(configured)).expanduser()
    if os.environ.get("FIELDAUDIT_HOME"):
        return paths.home_dir() / "documents"
    import platformdirs

    return Path(platformdirs.user_documents_dir()) / paths.APP_NAME


def placeholder_number(facts: AuditFacts, kind: DocKind, on: date) -> str:
    prefix = series_prefix(facts.county.doc_prefix, NUMBER_KINDS[kind])
    return f"{prefix}〔{on.year}〕\u3000号"


def _build(kind: DocKind, facts: AuditFacts, number: str, on: date,
           finding_id: str | None) -> Built:
    if kind is DocKind.NOTICE:
        return build_notice(facts, number, on)
    if kind is DocKind.EVIDENCE:
        return build_evidence(facts, on, finding_id)
    if kind is DocKind.RECTIFICATION:
        return build_rectification(facts, number, on)
    return build_report(facts, number, on)


def preview(store: AuditStore, kind: DocKind | str, audit_id: str, on: date,
            finding_id: str | None = None) -> Preview:
    """The document as terminal text (dated like :func:`print_document` would); nothing is
    written."""
    kind = DocKind(kind)
    facts = load_facts(store, audit_id)
    number = ""
    if kind in NUMBER_KINDS:
        issued = existing_number(store, NUMBER_KINDS[kind], audit_id)
        number = issued.text if issued else placeholder_number(facts, kind, on)
        on = issued.issued_on if issued else on
    built = _build(kind, facts, number, on, finding_id)
    return Preview(kind, document_text(built.document), number, built.warnings)


def print_document(store: AuditStore, acting: str | None, kind: DocKind | str, audit_id: str,
                   out: Path, on: date, finding_id: str | None = None,
                   fonts: FontSet | None = None) -> Printed:
    """Write one document as a PDF, numbering it on its first print.

    A reprint of a numbered document is the same document: its number and its date are the
    ones recorded when it was first printed (``on`` is used only the first time).

    Raises:
        FontNotFound, FontUnusable, MissingGlyphs, LayoutError, DocumentNotWritten,
        NotFound, InvalidInput, NumbersExhausted: all with messages for the user.
    """
    kind = DocKind(kind)
    fonts = fonts or default_fonts()
    facts = load_facts(store, audit_id)
    number, new = "", False
    if kind in NUMBER_KINDS:
        series = NUMBER_KINDS[kind]
        if existing_number(store, series, audit_id) is None:
            trial = _build(kind, facts, placeholder_number(facts, kind, on), on, finding_id)
            layout_pages(trial.document, fonts)  # refuse before a serial is spent
        issued = issue_number(store, acting, series, audit_id, on)
        number, new, on = issued.text, issued.new, issued.issued_on
    built = _build(kind, facts, number, on, finding_id)
    result = render_pdf(built.document, out, fonts)
    recorded = record_deadlines(store, acting, facts, on) if kind == DocKind.RECTIFICATION else []
    return Printed(kind, result.path, result.pages, number, new, built.warnings, tuple(recorded))


def record_deadlines(store: AuditStore, acting: str | None, facts: AuditFacts,
                     on: date) -> list[str]:
    """Give each finding without a deadline the one the rectification notice set for it
    (issued ``on``), so the 整改台账 counts it overdue from then. Returns the finding ids.

    A reprint uses the recorded issue date, so it computes the same deadlines; a deadline the
    auditors set or change later is theirs (only missing ones are filled)."""
    missing = [f for f in facts.findings if f.deadline is None]
    if missing:
        with store.write(acting) as w:
            for f in missing:
                w.update("findings", f.id, {"deadline": deadline_of(facts, f, on).isoformat()})
    return [f.id for f in missing]


_UNSAFE = re.compile(r'[\\/:*?"<>|\s]+')


def default_file_name(store: AuditStore, kind: DocKind | str, audit_id: str,
                      finding_id: str | None = None) -> str:
    """``2026-12-07_明湖新能源股份有限公司工会委员会_审计通知书.pdf`` (safe on Windows)."""
    from store.i18n import t

    kind = DocKind(kind)
    facts = load_facts(store, audit_id)
    label = t(f"documents.kind.{kind.value}", "zh")
    parts = [facts.audit.planned_start.isoformat(), facts.unit.name, label]
    if finding_id:
        parts.append(finding_id[-6:])
    return _UNSAFE.sub("_", "_".join(parts)) + ".pdf"


def audits_planned_in(store: AuditStore, year: int, month: int) -> list[str]:
    """Ids of the audits whose fieldwork starts in ``year``-``month``, by start date."""
    prefix = f"{year:04d}-{month:02d}-"
    rows = store.db.execute(
        "SELECT a.id FROM audits a JOIN units u ON u.id = a.unit_id WHERE a.deleted = 0 "
        "AND a.planned_start LIKE ? ORDER BY a.planned_start, u.name", [prefix + "%"])
    return [r[0] for r in rows]


@dataclass(frozen=True)
class DocChoice:
    """One document the TUI offers for an audit: a kind, and for a 取证单 maybe one finding."""

    kind: DocKind
    finding_id: str | None
    label: str
    """In the interface language: ``审计通知书（青工审〔2026〕1号）``, ``审计取证单：标题``."""
    number: str
    """The 发文字号 already issued, '' when none yet (or a kind without numbers)."""


@dataclass(frozen=True)
class AuditDocuments:
    unit_name: str
    choices: tuple[DocChoice, ...]


def audit_documents(store: AuditStore, audit_id: str) -> AuditDocuments:
    """What can be printed for an audit: the notice, the 取证单 of all findings and of each
    one, the rectification notice and the report, with the numbers they already have."""
    from store.i18n import t

    facts = load_facts(store, audit_id)

    def numbered(kind: DocKind) -> DocChoice:
        issued = existing_number(store, NUMBER_KINDS[kind], audit_id)
        name = t(f"documents.kind.{kind.value}")
        label = (t("documents.tui_numbered", kind=name, number=issued.text) if issued
                 else t("documents.tui_unnumbered", kind=name))
        return DocChoice(kind, None, label, issued.text if issued else "")

    sheets = [DocChoice(DocKind.EVIDENCE, None,
                        t("documents.tui_all_sheets", n=len(facts.findings)), "")]
    sheets += [DocChoice(DocKind.EVIDENCE, f.id, t("documents.tui_sheet", title=f.title), "")
               for f in facts.findings]
    return AuditDocuments(facts.unit.name, (
        numbered(DocKind.NOTICE), *sheets, numbered(DocKind.RECTIFICATION),
        numbered(DocKind.REPORT)))


def print_to_folder(store: AuditStore, kind: DocKind | str, audit_id: str, on: date,
                    finding_id: str | None = None, folder: Path | None = None) -> Printed:
    """Print as the current auditor into ``folder`` (default :func:`output_dir`) under
    :func:`default_file_name`; a file of the same name is replaced (a reprint)."""
    from store.devices import current_auditor_id

    out = (folder or output_dir()) / default_file_name(store, kind, audit_id, finding_id)
    return print_document(store, current_auditor_id(store), kind, audit_id, out, on,
                          finding_id)
