"""Globally unique, time-sortable record ids (UUIDv7, RFC 9562).

Every record a laptop can create gets one, so files from different laptops merge without
renumbering. The 48-bit millisecond prefix makes the text form sort by creation time; within
one millisecond the 12-bit ``rand_a`` field is used as a counter, so ids made by one process
are strictly increasing even when the wall clock stalls or steps back.
"""

from __future__ import annotations

import os
import threading
import time
import uuid

_lock = threading.Lock()
_last_ms = 0
_counter = 0


def new_id(now_ms: int | None = None) -> str:
    """A new UUIDv7 as its canonical 36-character lowercase text."""
    global _last_ms, _counter
    with _lock:
        ms = time.time_ns() // 1_000_000 if now_ms is None else now_ms
        if ms > _last_ms:
            _last_ms, _counter = ms, int.from_bytes(os.urandom(2), "big") & 0x3FF
        else:
            _counter += 1
            if _counter > 0xFFF:
                _last_ms, _counter = _last_ms + 1, 0
        ms = _last_ms
        rand_b = int.from_bytes(os.urandom(8), "big") & ((1 << 62) - 1)
    value = (ms & ((1 << 48) - 1)) << 80 | 0x7 << 76 | _counter << 64 | 0b10 << 62 | rand_b
    return str(uuid.UUID(int=value))


def id_time_ms(record_id: str) -> int:
    """Creation time (Unix ms) carried by a UUIDv7 id."""
    return uuid.UUID(record_id).int >> 80
