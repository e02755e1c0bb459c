"""发文字号 blocks: reserved per device at check-out, used offline, refilled at sync."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from store.db import AuditStore
from store.docnumber import format_doc_number
from store.sync import NumbersExhausted, next_doc_number, sync_files
from store.sync.numbering import BLOCK_SIZE, DOC_KINDS, REFILL_BELOW, free_numbers
from sync_world import SharedClock, make_world

YEAR = 2026


@pytest.fixture
def clock() -> SharedClock:
    return SharedClock()


@pytest.fixture
def world(tmp_path: Path, clock: SharedClock):
    master, laptops, info = make_world(tmp_path / "w", 2, clock)
    return master, laptops, info


def issue(store: AuditStore, kind: str, audit_id: str) -> int:
    """What the document printer does: take the number and record it in one transaction."""
    with store.write(None) as w:
        serial = next_doc_number(store, kind, YEAR)
        w.insert("doc_numbers", {"kind": kind, "year": YEAR, "serial": serial,
                                 "text": format_doc_number("测工审", YEAR, serial),
                                 "audit_id": audit_id, "issued_on": date(2026, 11, 23).isoformat()})
    return serial


def test_checkout_reserves_disjoint_blocks_per_device_and_kind(world, clock) -> None:
    master, laptops, _ = world
    ranges: dict[str, list[tuple[int, int]]] = {}
    with AuditStore.open(master, now_ms=clock) as m:
        for kind, first, last in m.db.execute(
                "SELECT kind, first, last FROM number_blocks WHERE year = ?", [YEAR]):
            ranges.setdefault(kind, []).append((first, last))
            assert last - first + 1 == BLOCK_SIZE
    assert set(ranges) == set(DOC_KINDS)
    for blocks in ranges.values():
        assert len(blocks) == len(laptops)
        numbers = [n for first, last in blocks for n in range(first, last + 1)]
        assert len(numbers) == len(set(numbers))


def test_laptops_print_offline_without_duplicates_and_the_master_avoids_their_blocks(
        world, clock) -> None:
    master, laptops, info = world
    issued = []
    for path in laptops:
        with AuditStore.open(path, now_ms=clock) as s:
            issued += [issue(s, "notice", info["audit"]) for _ in range(3)]
    with AuditStore.open(master, now_ms=clock) as m:
        own = [issue(m, "notice", info["audit"]) for _ in range(2)]
        blocks = m.db.execute(
            "SELECT first, last FROM number_blocks WHERE kind = 'notice'").fetchall()
    assert own == [2 * BLOCK_SIZE + 1, 2 * BLOCK_SIZE + 2]
    assert not any(first <= n <= last for n in own for first, last in blocks)
    for path in laptops:
        sync_files(path, master, now_ms=clock)
    with AuditStore.open(master, now_ms=clock) as m:
        serials = [r[0] for r in m.db.execute(
            "SELECT serial FROM doc_numbers WHERE kind = 'notice'")]
    assert sorted(serials) == sorted(issued + own) and len(set(serials)) == len(serials) == 8


def test_an_exhausted_block_says_to_sync_and_the_sync_refills_it(world, clock) -> None:
    master, laptops, info = world
    lap = laptops[0]
    with AuditStore.open(lap, now_ms=clock) as s:
        for _ in range(BLOCK_SIZE):
            issue(s, "report", info["audit"])
        with pytest.raises(NumbersExhausted, match="审计报告.*同步"):
            next_doc_number(s, "report", YEAR)
        device = s.device_id
    report = sync_files(lap, master, now_ms=clock)
    assert report.blocks == 1  # only "report" ran low
    with AuditStore.open(lap, now_ms=clock) as s:  # written back with the receipt
        assert free_numbers(s, device, "report", YEAR) == BLOCK_SIZE
        assert issue(s, "report", info["audit"]) == 2 * BLOCK_SIZE + 1
    assert sync_files(lap, master, now_ms=clock).blocks == 0


def test_refill_threshold(world, clock) -> None:
    master, laptops, info = world
    with AuditStore.open(laptops[1], now_ms=clock) as s:
        for _ in range(BLOCK_SIZE - REFILL_BELOW):
            issue(s, "rectify", info["audit"])
    assert sync_files(laptops[1], master, now_ms=clock).blocks == 0
    with AuditStore.open(laptops[1], now_ms=clock) as s:
        issue(s, "rectify", info["audit"])
    assert sync_files(laptops[1], master, now_ms=clock).blocks == 1


def test_english_message(world, clock) -> None:
    from store.i18n import set_language

    master, laptops, info = world
    set_language("en")
    with AuditStore.open(laptops[0], now_ms=clock) as s:
        with pytest.raises(NumbersExhausted, match="no-such-kind|used all 0"):
            next_doc_number(s, "no-such-kind", YEAR)
