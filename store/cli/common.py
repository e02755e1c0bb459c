"""Shared pieces of the subcommands: the --db option, printing, and the working database."""

from __future__ import annotations

import argparse
import shutil
import socket
import sys
from pathlib import Path

from store import paths
from store.i18n import t


def add_db_option(parser: argparse.ArgumentParser, required: bool = False) -> None:
    """``--db`` on a subcommand. Absent, it leaves alone the value given before the subcommand
    (``fieldaudit --db X ledger``): the top-level option in ``build_parser`` sets the default."""
    parser.add_argument("--db", type=Path, required=required, metavar="PATH",
                        default=argparse.SUPPRESS, help=t("cli.opt_db"))


def say(text: str) -> None:
    print(text, flush=True)


def warn(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def working_db(explicit: Path | None) -> Path:
    """``explicit`` if given; otherwise the user's database, copied from the sample on first use.

    The sample under ``sample_db/`` is never opened for writing: the app works on a copy in the
    user data directory (``FIELDAUDIT_HOME`` overrides it) and says where it put it.
    """
    if explicit is not None:
        return explicit
    target = paths.default_db_path()
    if not target.exists():
        sample = paths.sample_db_path()
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(".copying")
        shutil.copyfile(sample, tmp)
        from store.db import AuditStore
        from store.devices import assign_new_device

        with AuditStore.open(tmp) as store:  # the copy is a new device, not the sample's master
            assign_new_device(store, socket.gethostname())
        for suffix in ("-wal", "-shm"):
            Path(f"{tmp}{suffix}").unlink(missing_ok=True)
        tmp.replace(target)
        warn(t("cli.sample_copied", path=str(target)))
    return target
