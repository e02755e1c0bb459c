"""``fieldaudit sync SOURCE --into TARGET``: merge one database into another, both ways alike."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from store.cli.common import say, warn
from store.i18n import t
from store.sync.checks import CLOCK_MARGIN_MS
from store.sync.errors import SyncRefused, one_line
from store.sync.session import SyncReport, sync_files
from store.validation import field_label, table_label


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("sync", help=t("sync.sync_help"), description=t("sync.sync_help"))
    p.add_argument("source", type=Path, metavar="SOURCE", help=t("sync.opt_source"))
    p.add_argument("--into", dest="target", type=Path, required=True, metavar="TARGET",
                   help=t("sync.opt_into"))
    p.add_argument("--dry-run", action="store_true", help=t("sync.opt_dry_run"))
    p.add_argument("--json", action="store_true", help=t("cli.opt_json"))
    p.add_argument("--clock-margin", type=int, default=CLOCK_MARGIN_MS // 60_000,
                   metavar="MINUTES", help=t("sync.opt_clock_margin"))
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    try:
        report = sync_files(args.source, args.target, dry_run=args.dry_run,
                            margin_ms=max(0, args.clock_margin) * 60_000,
                            on_wait=lambda: warn(t("sync.waiting", path=str(args.target))))
    except SyncRefused as err:
        raise SyncRefused("sync.refused", reason=one_line(err.message())) from None
    if args.json:
        say(json.dumps(report.as_json(), ensure_ascii=False, indent=2))
    else:
        _print(report)
    if report.source_receipt.startswith("failed"):
        warn(t("sync.receipt_not_written", reason=report.source_receipt.removeprefix("failed: ")))
    elif report.source_receipt == "older_schema":
        warn(t("sync.receipt_older_schema"))
    return 0


def _print(report: SyncReport) -> None:
    key = "sync.dry_done" if report.dry_run else "sync.done"
    say(t(key, source=report.source, source_device=report.source_device.device_name,
          target=report.target, applied=report.applied, changes=report.changes,
          blobs=report.blobs, conflicts=len(report.conflicts)))
    for name, counts in sorted(report.tables.items()):
        say(t("sync.table_line", table=table_label(name), added=counts.added,
              updated=counts.updated, fields=counts.fields))
    for c in report.conflicts:
        say(t("sync.conflict_line", id=c.id[:8], table=table_label(c.table),
              record=c.record_id, field=field_label(c.field), kept=_short(c.kept.value),
              kept_device=c.kept.device_name,
              other=_short(c.other.value), other_device=c.other.device_name))
    if report.blocks:
        say(t("sync.blocks_refilled", device=report.source_device.device_name, n=report.blocks))
    if report.acked_seq is not None and not report.dry_run:
        say(t("sync.acked", seq=report.acked_seq))


def _short(value: object, limit: int = 40) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[: limit - 1] + "…"
