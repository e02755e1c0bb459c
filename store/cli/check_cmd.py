"""``fieldaudit check``: integrity, schema and change-log checks; non-zero exit on failure."""

from __future__ import annotations

import argparse

from store.cli.common import add_db_option, say, working_db
from store.db import AuditStore
from store.errors import FieldAuditError
from store.integrity import run_checks
from store.i18n import t


class CheckFailed(FieldAuditError):
    exit_code = 1


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("check", help=t("cli.check_help"), description=t("cli.check_help"))
    add_db_option(p)
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    path = working_db(args.db)
    with AuditStore.open(path) as store:
        problems = run_checks(store)
        if problems:
            raise CheckFailed("db.integrity_failed", detail="; ".join(problems))
        tables = store.db.execute(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0]
        changes = store.db.execute("SELECT count(*) FROM changes").fetchone()[0]
        say(t("db.integrity_ok", path=str(path), version=store.schema_version(),
              tables=tables, changes=changes))
    return 0
