"""发文字号 allocation: numbers never duplicated by laptops that print offline.

Only the county master allocates. At checkout it reserves, for the laptop's device and for
each document kind and year, a block of serials (``number_blocks``: device, kind, year,
first, last) above every serial already reserved or issued for that kind and year. A laptop
takes its numbers only from its own blocks (:func:`next_doc_number`); the master takes its
own from the numbers no block covers. Blocks are ordinary mergeable records, created on the
master, so every file agrees on who owns which serials, and ``doc_numbers``'s
UNIQUE (kind, year, serial) can never be hit by two devices.

Refill: whenever a laptop is synced into its master and has fewer than :data:`REFILL_BELOW`
free numbers left in a kind and year, the master reserves another block in the same
transaction; the new block is written back into the laptop with the sync's receipt.
Offline, a laptop that runs out gets :class:`NumbersExhausted` telling it to sync.

Gaps are possible (a block not used up, a lost laptop); numbers are never reused.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from store.i18n import t
from store.sync.errors import NumbersExhausted
from store.sync.identity import is_master

if TYPE_CHECKING:
    from store.db import AuditStore

BLOCK_SIZE = 20
REFILL_BELOW = 5
DOC_KINDS = ("notice", "report", "opinion", "decision", "rectify")
"""Kinds reserved at checkout: 审计通知书, 审计报告, 审计意见书, 审计决定, 整改通知."""


def next_doc_number(store: AuditStore, kind: str, year: int) -> int:
    """The next free serial for ``kind`` and ``year`` on this device (not yet recorded).

    Call it inside the ``store.write()`` that inserts the ``doc_numbers`` row, so nothing
    can take the number in between.

    Raises:
        NumbersExhausted: on a laptop, when its blocks for ``kind`` and ``year`` are used up.
    """
    issued = _issued(store, kind, year)
    if is_master(store):
        reserved = _blocks(store, None, kind, year)
        serial = 1
        while serial in issued or any(first <= serial <= last for first, last in reserved):
            covering = [last for first, last in reserved if first <= serial <= last]
            serial = max(covering) + 1 if covering else serial + 1
        return serial
    blocks = _blocks(store, store.device_id, kind, year)
    for first, last in blocks:
        for serial in range(first, last + 1):
            if serial not in issued:
                return serial
    raise NumbersExhausted("sync.numbers_exhausted", kind=kind_label(kind), year=year,
                           total=sum(last - first + 1 for first, last in blocks))


def free_numbers(store: AuditStore, device_id: str, kind: str, year: int) -> int:
    """How many serials of ``device_id``'s blocks for ``kind`` and ``year`` are unused."""
    issued = _issued(store, kind, year)
    return sum(1 for first, last in _blocks(store, device_id, kind, year)
               for serial in range(first, last + 1) if serial not in issued)


def reserve_block(store: AuditStore, writer, device_id: str, kind: str, year: int,
                  size: int = BLOCK_SIZE) -> str:
    """Reserve the next ``size`` serials for ``device_id`` (master only, inside a write)."""
    high = store.db.execute(
        "SELECT max(coalesce((SELECT max(last) FROM number_blocks WHERE kind = ? AND year = ? "
        "AND deleted = 0), 0), coalesce((SELECT max(serial) FROM doc_numbers WHERE kind = ? "
        "AND year = ?), 0))", [kind, year, kind, year]).fetchone()[0]
    return writer.insert("number_blocks", {"device_id": device_id, "kind": kind, "year": year,
                                           "first": high + 1, "last": high + size})


def reservation_years(store: AuditStore) -> list[int]:
    """The current year, and the next one in December (a laptop may print into January)."""
    now = datetime.fromtimestamp(store.clock.now_ms() / 1000, UTC)
    return [now.year, now.year + 1] if now.month == 12 else [now.year]


def refill(store: AuditStore, writer, device_id: str, *, initial: bool = False) -> list[str]:
    """Reserve a block for each kind and year where ``device_id`` is running low."""
    created = []
    for year in reservation_years(store):
        for kind in DOC_KINDS:
            if initial or free_numbers(store, device_id, kind, year) < REFILL_BELOW:
                created.append(reserve_block(store, writer, device_id, kind, year))
    return created


def kind_label(kind: str) -> str:
    key = f"sync.kind.{kind}"
    label = t(key)
    return kind if label == key else label


def _issued(store: AuditStore, kind: str, year: int) -> set[int]:
    return {r[0] for r in store.db.execute(
        "SELECT serial FROM doc_numbers WHERE kind = ? AND year = ?", [kind, year])}


def _blocks(store: AuditStore, device_id: str | None, kind: str,
            year: int) -> list[tuple[int, int]]:
    sql = "SELECT first, last FROM number_blocks WHERE kind = ? AND year = ? AND deleted = 0"
    params: list[object] = [kind, year]
    if device_id is not None:
        sql += " AND device_id = ?"
        params.append(device_id)
    return [(r[0], r[1]) for r in store.db.execute(sql + " ORDER BY first", params)]
