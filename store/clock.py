"""Hybrid logical clock: the stamp on every change.

A stamp is wall-clock milliseconds plus a counter, written as fixed-width text
``2026-11-23T01:46:00.123Z.00000`` so it reads like a time, sorts correctly as a string in SQL,
and never goes backwards on one device even if the laptop's clock is set back. Ties between
devices are broken by the device id, stored next to the stamp (``(stamp, device)`` is the total
order sync uses). On receiving stamps from another file the clock moves past them
(:meth:`HybridClock.observe`), so later local edits always sort after what was seen.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

_FORMAT = "%Y-%m-%dT%H:%M:%S"


@dataclass(frozen=True, order=True, slots=True)
class Stamp:
    wall_ms: int
    counter: int = 0

    def __str__(self) -> str:
        dt = datetime.fromtimestamp(self.wall_ms / 1000, UTC)
        return f"{dt.strftime(_FORMAT)}.{self.wall_ms % 1000:03d}Z.{self.counter:05d}"

    @classmethod
    def parse(cls, text: str) -> Stamp:
        """Inverse of ``str()``; raises ``ValueError`` on anything else."""
        if len(text) != 30 or text[23] != "Z" or text[24] != ".":
            raise ValueError(f"not a clock stamp: {text!r}")
        dt = datetime.strptime(text[:19], _FORMAT).replace(tzinfo=UTC)
        ms = int(dt.timestamp()) * 1000 + int(text[20:23])
        return cls(ms, int(text[25:]))


def wall_ms_now() -> int:
    return time.time_ns() // 1_000_000


class HybridClock:
    """Issues strictly increasing stamps; ``now_ms`` is injectable for deterministic tests."""

    def __init__(self, now_ms: Callable[[], int] = wall_ms_now, last: Stamp | None = None):
        self._now_ms = now_ms
        self._last = last or Stamp(0, 0)
        self._lock = threading.Lock()

    @property
    def last(self) -> Stamp:
        return self._last

    def tick(self) -> Stamp:
        with self._lock:
            wall = self._now_ms()
            if wall > self._last.wall_ms:
                self._last = Stamp(wall, 0)
            else:
                self._last = Stamp(self._last.wall_ms, self._last.counter + 1)
            return self._last

    def observe(self, seen: Stamp) -> None:
        """Move past a stamp received from elsewhere (never backwards)."""
        with self._lock:
            if seen > self._last:
                self._last = seen

    def now_ms(self) -> int:
        return self._now_ms()
