"""``fieldaudit ledger``: the rectification ledger (整改台账) with the rates and their definitions."""

from __future__ import annotations

import argparse

from store.cli.common import add_db_option, say, working_db
from store.cli.office_common import add_day_options, to_json, today_of
from store.db import AuditStore
from store.enums import RectifyStatus
from store.i18n import t
from store.money import format_fen
from store.office.ledger import ledger, ledger_rates


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("ledger", help=t("office.cli_ledger_help"),
                       description=t("office.cli_ledger_help"))
    add_db_option(p)
    add_day_options(p)
    p.add_argument("--overdue", action="store_true", help=t("office.cli_opt_overdue"))
    p.add_argument("--status", choices=[s.value for s in RectifyStatus],
                   help=t("office.cli_opt_status"))
    p.add_argument("--json", action="store_true", help=t("cli.opt_json"))
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    today = today_of(args)
    with AuditStore.open(working_db(args.db)) as store:
        rows = ledger(store, today, status=args.status, overdue_only=args.overdue)
        rates = ledger_rates(store, today)
    if args.json:
        say(to_json({"rates": rates, "findings": rows}))
        return 0
    for r in rows:
        deadline = r.deadline.isoformat() if r.deadline else "—"
        say("  ".join(p for p in [
            r.unit_name, r.item_code, r.title, format_fen(r.violation_fen + r.irregular_fen),
            r.rectify_mode, deadline, r.rectify_status,
            t("office.cli_overdue", n=r.overdue_days) if r.overdue_days else "",
            r.contact] if p))
    say(t("office.cli_rates", day=today.isoformat(), due=rates.due, rectified=rates.rectified,
          closed=rates.closed, partial=rates.partial, rate=rates.issue_rate.text(),
          amount_rate=rates.amount_rate.text()))
    for key in ("due", "issue_rate", "amount_rate", "partial"):
        say(f"  {t(f'office.term.{key}')}：{t(f'office.def.{key}')}")
    return 0
