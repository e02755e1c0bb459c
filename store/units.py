"""The roster of grassroots unions (基层工会) the county audits."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from store.errors import InvalidInput, NotFound
from store.models import Unit
from store.query import fetch_all, fetch_one
from store.validation import build

if TYPE_CHECKING:
    from store.db import AuditStore


def list_units(store: AuditStore) -> list[Unit]:
    return fetch_all(store, Unit, order_by="name")


def get_unit(store: AuditStore, unit_id: str) -> Unit:
    return fetch_one(store, Unit, unit_id)


def unit_by_credit_code(store: AuditStore, code: str) -> Unit:
    found = fetch_all(store, Unit, "credit_code = ?", [code.strip().upper()])
    if not found:
        raise NotFound("units.unknown_code", code=code)
    return found[0]


def _check_unique(store: AuditStore, unit: Unit, own_id: str | None = None) -> None:
    clash = fetch_all(store, Unit, "credit_code = ? AND id IS NOT ?", [unit.credit_code, own_id])
    if clash:
        raise InvalidInput("units.duplicate_code", code=unit.credit_code, name=clash[0].name)


def add_unit(store: AuditStore, acting: str | None, **fields: Any) -> Unit:
    unit = build(Unit, **fields)
    _check_unique(store, unit)
    with store.write(acting) as w:
        unit_id = w.insert("units", unit.to_row())
    return unit.model_copy(update={"id": unit_id})


def add_units(store: AuditStore, acting: str | None, units: list[Unit]) -> list[str]:
    """Insert many validated units in one transaction (all or nothing)."""
    for unit in units:
        _check_unique(store, unit)
    with store.write(acting) as w:
        return [w.insert("units", unit.to_row()) for unit in units]


def update_unit(store: AuditStore, acting: str | None, unit_id: str, **fields: Any) -> Unit:
    current = get_unit(store, unit_id)
    unit = build(Unit, **{**current.data(), **fields})
    _check_unique(store, unit, unit_id)
    with store.write(acting) as w:
        w.update("units", unit_id, unit.to_row())
    return unit.model_copy(update={"id": unit_id})
