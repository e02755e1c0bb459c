"""``fieldaudit print``: an audit's documents as PDF files, one at a time or a month's notices.

``fieldaudit print notice|evidence|rectification|report --audit ID --out FILE.pdf
[--finding ID] [--date YYYY-MM-DD]`` writes one document; ``fieldaudit print notices
--month 2026-12 --out DIR`` writes the notice of every audit whose fieldwork starts in that
month. Each line says which file went where, with its 发文字号; warnings (a notice dated too
close to fieldwork) go to stderr. See docs/documents.md.
"""

from __future__ import annotations

import argparse
import re
from datetime import date
from pathlib import Path

from store.cli.common import add_db_option, say, warn, working_db
from store.dates import parse_user_date
from store.db import AuditStore
from store.devices import current_auditor_id
from store.documents.printing import (
    DocKind,
    Printed,
    audits_planned_in,
    default_file_name,
    default_fonts,
    print_document,
)
from store.errors import InvalidInput
from store.i18n import t

BATCH = "notices"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("print", help=t("documents.cli_help"),
                       description=t("documents.cli_description"))
    p.add_argument("kind", choices=[*(k.value for k in DocKind), BATCH],
                   help=t("documents.cli_opt_kind"))
    add_db_option(p)
    p.add_argument("--audit", metavar="ID", help=t("documents.cli_opt_audit"))
    p.add_argument("--finding", metavar="ID", help=t("documents.cli_opt_finding"))
    p.add_argument("--month", metavar="YYYY-MM", help=t("documents.cli_opt_month"))
    p.add_argument("--date", metavar="YYYY-MM-DD", help=t("documents.cli_opt_date"))
    p.add_argument("--out", type=Path, required=True, metavar="PATH",
                   help=t("documents.cli_opt_out"))
    p.set_defaults(handler=run)


def _month(text: str | None) -> tuple[int, int]:
    match = re.fullmatch(r"\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?\s*", text or "")
    if match is None or not 1 <= int(match[2]) <= 12:
        raise InvalidInput("documents.cli_bad_month", value=text or "")
    return int(match[1]), int(match[2])


def _report(p: Printed) -> None:
    key = "documents.cli_printed_new" if p.new_number else "documents.cli_printed"
    if not p.number:
        key = "documents.cli_printed_plain"
    say(t(key, kind=t(f"documents.kind.{p.kind.value}"), path=str(p.path), pages=p.pages,
          number=p.number))
    if p.deadlines_recorded:
        say(t("documents.deadlines_recorded", n=len(p.deadlines_recorded)))
    for w in p.warnings:
        warn(t("documents.cli_warning", message=w))


def run(args: argparse.Namespace) -> int:
    on = parse_user_date(args.date) if args.date else date.today()
    if args.kind == BATCH:
        year, month = _month(args.month)
    elif not args.audit:
        raise InvalidInput("documents.cli_need_audit", kind=args.kind)
    if args.finding and args.kind != DocKind.EVIDENCE.value:
        raise InvalidInput("documents.cli_finding_only_evidence")
    fonts = default_fonts()  # a missing font stops here, before anything is numbered
    with AuditStore.open(working_db(args.db)) as store:
        acting = current_auditor_id(store)
        if args.kind != BATCH:
            _report(print_document(store, acting, args.kind, args.audit, args.out, on,
                                   args.finding, fonts))
            return 0
        audits = audits_planned_in(store, year, month)
        if not audits:
            say(t("documents.cli_batch_none", month=f"{year}-{month:02d}"))
            return 0
        warned = 0
        for audit_id in audits:
            out = args.out / default_file_name(store, DocKind.NOTICE, audit_id)
            printed = print_document(store, acting, DocKind.NOTICE, audit_id, out, on,
                                     fonts=fonts)
            _report(printed)
            warned += bool(printed.warnings)
        say(t("documents.cli_batch_done", n=len(audits), folder=str(args.out), warned=warned))
    return 0
