"""Build the argument parser and dispatch subcommands, turning user errors into one line."""

from __future__ import annotations

import argparse
import sqlite3
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from types import ModuleType

from store import __version__
from store.cli import (
    audits_cmd, check_cmd, coverage_cmd, export_cmd, import_cmd, init_cmd, ledger_cmd, plan_cmd,
    stats_cmd,
)
from store.cli import checkout_cmd, sync_cmd
from store.cli import print_cmd
from store.cli.common import warn
from store.errors import FieldAuditError
from store.i18n import set_language, t

SUBCOMMANDS: list[ModuleType] = [init_cmd, import_cmd, audits_cmd, check_cmd, plan_cmd,
                                 coverage_cmd, ledger_cmd, stats_cmd, export_cmd,
                                 checkout_cmd, sync_cmd, print_cmd]


def pre_parse_language(argv: Sequence[str]) -> None:
    """Apply ``--lang`` before the parser is built, so help texts are in that language."""
    pre = argparse.ArgumentParser(add_help=False)
    pre.add_argument("--lang")
    known, _ = pre.parse_known_args(argv)
    set_language(known.lang)


def build_parser(extra: Sequence[ModuleType] = ()) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="fieldaudit", description=t("cli.description"))
    parser.add_argument("--version", action="version", version=f"fieldaudit {__version__}")
    parser.add_argument("--lang", choices=["zh", "en"], help=t("cli.opt_lang"))
    parser.add_argument("--db", type=Path, metavar="PATH", help=t("cli.opt_db"))
    sub = parser.add_subparsers(dest="command", metavar=t("cli.subcommand"),
                                title=t("cli.subcommands"))
    for module in [*SUBCOMMANDS, *extra]:
        module.register(sub)
    return parser


def run_command(handler: Callable[[argparse.Namespace], int], args: argparse.Namespace) -> int:
    """Run one handler; errors a user can cause become one line on stderr and exit code 2."""
    try:
        return handler(args)
    except FieldAuditError as err:
        warn(t("cli.error", message=err.message()))
        return err.exit_code
    except sqlite3.OperationalError as err:
        warn(t("cli.error", message=t("cli.sqlite_error", detail=str(err))))
        return 3
    except KeyboardInterrupt:
        warn(t("cli.interrupted"))
        return 130
    except OSError as err:
        warn(t("cli.error", message=t("cli.os_error", detail=f"{err.strerror}: {err.filename}")))
        return 3


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point for the subcommands alone (the TUI adds its own default in tui/cli.py)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    pre_parse_language(argv)
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    return run_command(args.handler, args)
