"""Typed reads shared by the entity modules: rows in, models out (tombstones excluded)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from store.errors import NotFound
from store.models import Record

if TYPE_CHECKING:
    from store.db import AuditStore

R = TypeVar("R", bound=Record)


def fetch_all(store: AuditStore, model: type[R], where: str = "1", params: Any = (),
              order_by: str = "id") -> list[R]:
    sql = f"SELECT * FROM {model.TABLE} WHERE deleted = 0 AND ({where}) ORDER BY {order_by}"
    return [model.from_row(row) for row in store.db.query(sql, params)]


def fetch_one(store: AuditStore, model: type[R], record_id: str) -> R:
    rows = list(store.db.query(f"SELECT * FROM {model.TABLE} WHERE id = ?", [record_id]))
    if not rows or rows[0]["deleted"]:
        raise NotFound("records.not_found", table=model.TABLE, id=record_id)
    return model.from_row(rows[0])


def count(store: AuditStore, table: str, where: str = "1", params: Any = ()) -> int:
    sql = f"SELECT count(*) FROM {table} WHERE deleted = 0 AND ({where})"
    return store.db.execute(sql, params).fetchone()[0]
