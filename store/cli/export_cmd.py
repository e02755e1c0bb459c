"""``fieldaudit export``: the ledger, coverage and statistics as .xlsx and .csv.

``--out FILE.xlsx`` writes one workbook (one sheet per table); the CSV files go to ``--csv
DIR`` if given, otherwise next to the workbook as ``FILE-<sheet>.csv``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from store.cli.common import add_db_option, say, working_db
from store.cli.office_common import add_day_options, today_of, year_of
from store.db import AuditStore
from store.errors import InvalidInput
from store.i18n import t
from store.office.export import write_csv, write_xlsx
from store.office.tables import all_tables


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("export", help=t("office.cli_export_help"),
                       description=t("office.cli_export_help"))
    add_db_option(p)
    p.add_argument("--out", type=Path, metavar="FILE.xlsx", help=t("office.cli_opt_out"))
    p.add_argument("--csv", type=Path, metavar="DIR", help=t("office.cli_opt_csv"))
    add_day_options(p, year=True)
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    if args.out is None and args.csv is None:
        raise InvalidInput("office.cli_export_nothing")
    if args.out is not None and args.out.suffix.lower() != ".xlsx":
        raise InvalidInput("office.cli_export_suffix", path=str(args.out))
    if args.out is not None and not args.out.parent.is_dir():
        raise InvalidInput("office.cli_export_no_dir", path=str(args.out.parent))
    today = today_of(args)
    year = year_of(args, today)
    with AuditStore.open(working_db(args.db)) as store:
        tables = all_tables(store, today, year)
    written: list[Path] = []
    if args.out is not None:
        written.append(write_xlsx(tables, args.out))
    if args.csv is not None:
        written += write_csv(tables, args.csv)
    else:
        written += write_csv(tables, args.out.parent, prefix=f"{args.out.stem}-")
    for path in written:
        say(t("office.cli_written", path=str(path)))
    return 0
