"""``fieldaudit`` entry point: subcommands from ``store.cli``, or the TUI when none is given.

Textual is imported only when the TUI is launched, so ``fieldaudit --help`` and the batch
subcommands start fast and work without a terminal.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from store.cli.common import working_db
from store.cli.parser import build_parser, pre_parse_language, run_command
from store.dates import parse_user_date
from store.i18n import current_language


@dataclass(frozen=True)
class Settings:
    """What the app needs to start; the CLI and the tests build it the same way."""

    db_path: Path
    lang: str = "zh"
    today: date | None = None
    """Freeze "today" (due units, late rectifications): tests, demos; ``FIELDAUDIT_TODAY``."""
    resume: bool = True
    """Reopen the audit and item the user left off at (meta ``last_audit``/``last_item``)."""


def make_app(settings: Settings):  # -> FieldAuditApp (lazy import keeps textual out of --help)
    from tui.app import FieldAuditApp

    return FieldAuditApp(settings)


def _launch(args: argparse.Namespace) -> int:
    db_path = working_db(args.db)
    from store.db import AuditStore

    AuditStore.open(db_path).close()  # refuse a bad file with a clear line before the UI starts
    today = os.environ.get("FIELDAUDIT_TODAY")
    app = make_app(Settings(db_path=db_path, lang=current_language(),
                            today=parse_user_date(today) if today else None))
    app.run()
    return app.return_code or 0


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    pre_parse_language(argv)
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        return run_command(_launch, args)
    return run_command(args.handler, args)


if __name__ == "__main__":
    sys.exit(main())
