"""Deep checks of an open database, used by ``fieldaudit check`` and before sync.

The cheap header checks run on every open (``store.fileguard``); these read every page.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from store.i18n import t
from store.schema import APPLICATION_ID, MERGEABLE_TABLES, schema_version

if TYPE_CHECKING:
    from store.db import AuditStore


def run_checks(store: AuditStore) -> list[str]:
    """Human-readable problems found; an empty list means the file is sound."""
    db = store.db
    problems = [r[0] for r in db.execute("PRAGMA integrity_check").fetchall() if r[0] != "ok"]
    fk = db.execute("PRAGMA foreign_key_check").fetchall()
    if fk:
        problems.append(t("integrity.foreign_keys", n=len(fk), table=fk[0][0]))
    if db.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
        problems.append(t("integrity.application_id"))
    if store.schema_version() != schema_version():
        problems.append(t("integrity.schema", found=store.schema_version(),
                          expected=schema_version()))
    if not store.device_id:
        problems.append(t("integrity.no_device"))
    for table in MERGEABLE_TABLES:
        orphans = db.execute(
            f"SELECT count(*) FROM {table} r WHERE NOT EXISTS "
            f"(SELECT 1 FROM changes c WHERE c.tbl = ? AND c.rid = r.id)", [table]
        ).fetchone()[0]
        if orphans:
            problems.append(t("integrity.unlogged", table=table, n=orphans))
    bad_blobs = db.execute("SELECT count(*) FROM blobs WHERE size != length(data)").fetchone()[0]
    if bad_blobs:
        problems.append(t("integrity.blob_size", n=bad_blobs))
    return problems
