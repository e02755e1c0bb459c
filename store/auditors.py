"""Auditors of the county: 经审办专职 staff and 特邀审计员, some of whom lead teams."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from store.errors import InvalidInput, NotFound
from store.models import Auditor
from store.query import fetch_all, fetch_one
from store.validation import build

if TYPE_CHECKING:
    from store.db import AuditStore


def list_auditors(store: AuditStore, active_only: bool = False) -> list[Auditor]:
    return fetch_all(store, Auditor, "active = 1" if active_only else "1", order_by="code")


def get_auditor(store: AuditStore, auditor_id: str) -> Auditor:
    return fetch_one(store, Auditor, auditor_id)


def auditor_by_code(store: AuditStore, code: str) -> Auditor:
    found = fetch_all(store, Auditor, "code = ?", [code.strip()])
    if not found:
        raise NotFound("auditors.unknown_code", code=code)
    return found[0]


def add_auditor(store: AuditStore, acting: str | None, **fields: Any) -> Auditor:
    auditor = build(Auditor, **fields)
    if fetch_all(store, Auditor, "code = ?", [auditor.code]):
        raise InvalidInput("auditors.duplicate_code", code=auditor.code)
    with store.write(acting) as w:
        auditor_id = w.insert("auditors", auditor.to_row())
    return auditor.model_copy(update={"id": auditor_id})


def auditor_names(store: AuditStore) -> dict[str, str]:
    """id → name for every auditor ever known (including inactive), for display."""
    return {r["id"]: r["name"] for r in store.db.query("SELECT id, name FROM auditors")}
