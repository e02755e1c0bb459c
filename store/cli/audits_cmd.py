"""``fieldaudit audits``: list audits (id, unit, type, status, dates) as text or JSON."""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict

from store.audits import list_audits
from store.cli.common import add_db_option, say, working_db
from store.db import AuditStore
from store.i18n import t
from store.money import format_fen


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("audits", help=t("cli.audits_help"), description=t("cli.audits_help"))
    add_db_option(p)
    p.add_argument("--json", action="store_true", help=t("cli.opt_json"))
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    with AuditStore.open(working_db(args.db)) as store:
        audits = list_audits(store)
        numbers = _doc_numbers(store)
    if args.json:
        out = [{**asdict(a), "planned_start": a.planned_start.isoformat(),
                "planned_end": a.planned_end.isoformat(),
                "doc_number": numbers.get(a.id)} for a in audits]
        say(json.dumps(out, ensure_ascii=False, indent=2))
        return 0
    for a in audits:
        status = t(f"audits.status.{a.status}")
        say("  ".join([a.id, a.unit_name, a.type, status,
                       f"{a.planned_start:%Y-%m-%d}~{a.planned_end:%Y-%m-%d}",
                       f"{a.period_from}-{a.period_to}", numbers.get(a.id, "—"),
                       t("cli.audits_progress", answered=a.items_answered, total=a.items_total,
                         findings=a.findings, amount=format_fen(a.violation_fen))]))
    say(t("cli.audits_total", n=len(audits)))
    return 0


def _doc_numbers(store: AuditStore) -> dict[str, str]:
    """The notice's 发文字号 per audit, once the notice has been numbered."""
    rows = store.db.execute(
        "SELECT audit_id, text FROM doc_numbers WHERE kind = 'notice' AND deleted = 0"
    ).fetchall()
    return dict(rows)
