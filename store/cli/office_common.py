"""Options and output shared by the office subcommands (plan, coverage, ledger, stats, export).

Every office report depends on the day it is made, so each takes ``--today`` (default: the
system date, read here at the edge and nowhere in the core) and prints JSON with ``--json``.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
from datetime import date
from decimal import Decimal
from typing import Any

from store.dates import parse_user_date
from store.errors import InvalidInput
from store.i18n import t
from store.office.rates import Rate


def add_day_options(parser: argparse.ArgumentParser, year: bool = False) -> None:
    parser.add_argument("--today", metavar="YYYY-MM-DD", help=t("office.cli_opt_today"))
    if year:
        parser.add_argument("--year", metavar="YYYY", help=t("office.cli_opt_year"))


def today_of(args: argparse.Namespace) -> date:
    return parse_user_date(args.today) if getattr(args, "today", None) else date.today()


def year_of(args: argparse.Namespace, today: date) -> int:
    text = getattr(args, "year", None)
    if not text:
        return today.year
    if not (text.isdigit() and len(text) == 4 and 2000 <= int(text) <= 2100):
        raise InvalidInput("office.bad_year", value=text)
    return int(text)


def _plain(value: Any) -> Any:
    if isinstance(value, Rate):
        pct = value.percent()
        return {"num": value.num, "den": value.den, "percent": None if pct is None else str(pct)}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out = {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
        for name in ("issue_rate", "amount_rate", "partial_share", "share", "target_progress"):
            if hasattr(type(value), name):
                out[name] = _plain(getattr(value, name))
        return out
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def to_json(value: Any) -> str:
    """Dataclasses, dates and rates as JSON (money stays integer fen in ``*_fen`` fields)."""
    return json.dumps(_plain(value), ensure_ascii=False, indent=2)
