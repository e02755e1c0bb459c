"""``fieldaudit plan``: the suggested annual plan (units to audit, return visits), read-only.

Creating the planned audits with teams and dates is done in the terminal UI (office plan
screen) or with :func:`store.office.plan.create_plan`.
"""

from __future__ import annotations

import argparse

from store.cli.common import add_db_option, say, working_db
from store.cli.office_common import add_day_options, to_json, today_of, year_of
from store.db import AuditStore
from store.i18n import t
from store.office.plan import suggest_plan


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("plan", help=t("office.cli_plan_help"),
                       description=t("office.cli_plan_help"))
    add_db_option(p)
    add_day_options(p, year=True)
    p.add_argument("--all", action="store_true", help=t("office.cli_opt_all"))
    p.add_argument("--json", action="store_true", help=t("cli.opt_json"))
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    today = today_of(args)
    year = year_of(args, today)
    with AuditStore.open(working_db(args.db)) as store:
        plan = suggest_plan(store, today, year)
    if args.json:
        say(to_json({"year": plan.year, "target": plan.target,
                     "already_planned": plan.already_planned, "required": plan.required,
                     "shortfall": plan.shortfall, "candidates": plan.candidates,
                     "visits": plan.visits}))
        return 0
    say(t("office.cli_plan_head", year=plan.year, target=plan.target,
          planned=plan.already_planned, suggested=len(plan.suggested), required=plan.required,
          shortfall=plan.shortfall))
    for i, c in enumerate(plan.candidates if args.all else plan.suggested, start=1):
        last = c.last_audit.isoformat() if c.last_audit else "—"
        mark = "*" if c.suggested else " "
        say(f"{mark}{i:3d}  {c.unit_name}  {t(f'office.reason.{c.reason}')}  {last}")
    say(t("office.cli_plan_visits", n=len(plan.visits)))
    for v in plan.visits:
        say(f"     {v.unit_name}  {v.audit_start.isoformat()}  "
            f"{t('office.cli_unclosed', n=v.unclosed)}  {v.suggested_on.isoformat()}")
    return 0
