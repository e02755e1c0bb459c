"""``fieldaudit import-units``: import a roster (.xlsx/.csv); all rows or none."""

from __future__ import annotations

import argparse
from pathlib import Path

from store.cli.common import add_db_option, say, working_db
from store.db import AuditStore
from store.i18n import t
from store.roster_import import import_roster


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("import-units", help=t("cli.import_help"),
                       description=t("cli.import_help"))
    add_db_option(p)
    p.add_argument("file", type=Path, metavar="FILE", help=t("cli.import_file"))
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    path = working_db(args.db)
    with AuditStore.open(path) as store:
        n = import_roster(store, store.meta("auditor_id"), args.file)
    say(t("roster.imported", n=n, path=str(path)))
    return 0
