"""``fieldaudit init``: create an empty county database with the shipped templates and caps."""

from __future__ import annotations

import argparse
from pathlib import Path

from store.cli.common import say
from store.county import set_county
from store.db import AuditStore
from store.i18n import t
from store.template_registry import publish_builtins


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("init", help=t("cli.init_help"), description=t("cli.init_help"))
    p.add_argument("--db", type=Path, required=True, metavar="PATH", help=t("cli.opt_db"))
    p.add_argument("--county", required=True, metavar=t("cli.meta_name"),
                   help=t("cli.init_county"))
    p.add_argument("--code", required=True, metavar=t("cli.meta_prefix"),
                   help=t("cli.init_code"))
    p.add_argument("--committee", help=t("cli.init_committee"))
    p.add_argument("--province", default="anhui", help=t("cli.init_province"))
    p.add_argument("--device-name", default="", help=t("cli.init_device"))
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    committee = args.committee or f"{args.county}经费审查委员会"
    store = AuditStore.create(args.db, device_name=args.device_name)
    try:
        set_county(store, None, name=args.county, committee=committee, doc_prefix=args.code,
                   province_code=args.province)
        publish_builtins(store, None)
    except BaseException:
        store.close()
        args.db.unlink(missing_ok=True)
        raise
    store.close()
    say(t("cli.init_done", path=str(args.db), county=args.county))
    return 0
