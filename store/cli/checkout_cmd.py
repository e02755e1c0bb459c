"""``fieldaudit checkout``: write a laptop database from the county master for one auditor."""

from __future__ import annotations

import argparse
from pathlib import Path

from store.cli.common import say
from store.i18n import t
from store.sync.checkout import checkout
from store.sync.numbering import kind_label


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("checkout", help=t("sync.checkout_help"),
                       description=t("sync.checkout_help"))
    p.add_argument("--from", dest="master", type=Path, required=True, metavar="MASTER",
                   help=t("sync.opt_from"))
    p.add_argument("--auditor", required=True, metavar="CODE", help=t("sync.opt_auditor"))
    p.add_argument("--out", type=Path, required=True, metavar="LAPTOP.db", help=t("sync.opt_out"))
    p.add_argument("--audit", dest="audits", action="append", default=[], metavar="ID",
                   help=t("sync.opt_audit"))
    p.add_argument("--device-name", default="", help=t("sync.opt_device_name"))
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    report = checkout(args.master, args.auditor, args.out, audit_ids=args.audits,
                      device_name=args.device_name)
    say(t("sync.checkout_done", auditor=report.auditor_name, path=str(report.path),
          device=report.device_name, audits=len(report.audits),
          answers=report.records.get("answers", 0), findings=report.records.get("findings", 0),
          evidence=report.records.get("evidence", 0)))
    for kind, year, first, last in report.blocks:
        say(t("sync.checkout_block", kind=kind_label(kind), year=year, first=first, last=last))
    return 0
