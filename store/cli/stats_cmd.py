"""``fieldaudit stats``: statistics for the annual report, a year against the year before."""

from __future__ import annotations

import argparse

from store.cli.common import add_db_option, say, working_db
from store.cli.office_common import add_day_options, to_json, today_of, year_of
from store.db import AuditStore
from store.i18n import t
from store.office.stats import compare_years, rate_series
from store.office.tables import display_cell, stats_table


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("stats", help=t("office.cli_stats_help"),
                       description=t("office.cli_stats_help"))
    add_db_option(p)
    add_day_options(p, year=True)
    p.add_argument("--json", action="store_true", help=t("cli.opt_json"))
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    today = today_of(args)
    year = year_of(args, today)
    with AuditStore.open(working_db(args.db)) as store:
        if args.json:
            cur, prev = compare_years(store, year, today)
            series = rate_series(store, year, today)
            say(to_json({"year": cur, "previous": prev, "rate_by_month": series}))
            return 0
        table = stats_table(store, year, today)
    say("\t".join(table.headers))
    for row in table.rows:
        say("\t".join(display_cell(v) for v in row))
    return 0
