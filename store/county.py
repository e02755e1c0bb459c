"""The county union that owns a database: its names, document prefix, province and cadence."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from store.caps import builtin_caps
from store.errors import DatabaseRefused, InvalidInput
from store.models import County
from store.query import fetch_all
from store.validation import build

if TYPE_CHECKING:
    from store.db import AuditStore


def get_county(store: AuditStore) -> County:
    counties = fetch_all(store, County)
    if not counties:
        raise DatabaseRefused("db.no_county", path=str(store.path))
    return counties[0]


def _check_province(province_code: str) -> None:
    known = sorted({c.province_code for c in builtin_caps()})
    if province_code not in known:
        raise InvalidInput("county.unknown_province", code=province_code, known="、".join(known))


def set_county(store: AuditStore, auditor_id: str | None, **fields: Any) -> County:
    """Create the county record, or update the given fields of the existing one."""
    if "province_code" in fields:
        _check_province(fields["province_code"])
    existing = fetch_all(store, County)
    if existing:
        county = build(County, **{**existing[0].data(), **fields})
        with store.write(auditor_id) as w:
            w.update("county", existing[0].id, county.to_row())
        return county.model_copy(update={"id": existing[0].id})
    county = build(County, **fields)
    with store.write(auditor_id) as w:
        county_id = w.insert("county", county.to_row())
    store.set_meta("county_id", county_id)
    return county.model_copy(update={"id": county_id})
