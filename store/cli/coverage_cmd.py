"""``fieldaudit coverage``: per unit its last audit, next due date and overdue days; totals."""

from __future__ import annotations

import argparse

from store.cli.common import add_db_option, say, working_db
from store.cli.office_common import add_day_options, to_json, today_of
from store.coverage import coverage_totals, unit_coverage
from store.db import AuditStore
from store.i18n import t


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("coverage", help=t("office.cli_coverage_help"),
                       description=t("office.cli_coverage_help"))
    add_db_option(p)
    add_day_options(p)
    p.add_argument("--due", action="store_true", help=t("office.cli_opt_due"))
    p.add_argument("--json", action="store_true", help=t("cli.opt_json"))
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    today = today_of(args)
    with AuditStore.open(working_db(args.db)) as store:
        rows = unit_coverage(store, today)
        totals = coverage_totals(store, today, rows)
    if args.due:
        rows = [r for r in rows if r.directly_managed and r.due_by(today)]
    if args.json:
        say(to_json({"totals": totals, "units": rows}))
        return 0
    for r in rows:
        last = r.last_audit.isoformat() if r.last_audit else t("office.coverage_state.never")
        due = r.next_due.isoformat() if r.next_due else "—"
        say("  ".join([r.name, last, due, t("office.cli_overdue", n=r.overdue_days)
                       if r.overdue_days else ""]).rstrip())
    say(t("office.cli_coverage_totals", managed=totals.directly_managed,
          within=totals.within_window, years=totals.cadence_years, share=totals.share.text(),
          done=totals.audits_done_this_year, target=totals.annual_target,
          year=today.year))
    return 0
