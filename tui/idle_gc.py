"""Python's full garbage-collection passes, moved out of the way of key presses.

CPython runs a full (generation 2) pass after enough younger passes; with the app's widgets,
styles and caches that pass took 20-70 ms, and whichever key press it landed in waited that
long: in the latency benchmark every answer or editor opening slower than ~40 ms coincided
with one (``bench/tui_latency.py``; the app's long-lived start-up objects are already frozen
out of it, see ``FieldAuditApp.start``). Here the automatic full pass is switched off while
the app runs, and a full pass is made instead when nobody has pressed a key or used the mouse
for ``IDLE_SECONDS``. Younger passes (a few ms) stay automatic; nothing is left uncollected
for longer than the next pause; the thresholds are given back when the app stops.
"""

from __future__ import annotations

import gc
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.app import App

IDLE_SECONDS = 1.5
NEVER = 1_000_000_000
"""A generation-2 threshold no session reaches (0 would mean "after every pass")."""


class IdleCollector:
    def __init__(self, idle_seconds: float = IDLE_SECONDS) -> None:
        self.idle_seconds = idle_seconds
        self._last_input = time.monotonic()
        self._thresholds: tuple[int, int, int] | None = None

    def start(self, app: App) -> None:
        if self._thresholds is None:
            self._thresholds = gc.get_threshold()
            gc.set_threshold(self._thresholds[0], self._thresholds[1], NEVER)
            app.set_interval(self.idle_seconds / 2, self.collect_if_idle)

    def stop(self) -> None:
        if self._thresholds is not None:
            gc.set_threshold(*self._thresholds)
            self._thresholds = None

    def input_seen(self) -> None:
        self._last_input = time.monotonic()

    def quiet_for(self) -> float:
        """Seconds since the last key press or mouse click (work that can wait, waits for
        a pause too: see the workspace's editor built ahead)."""
        return time.monotonic() - self._last_input

    def collect_if_idle(self) -> bool:
        """A full pass if the user has been idle and younger passes left something behind.
        Returns whether one ran."""
        idle = self.quiet_for() >= self.idle_seconds
        if idle and gc.get_count()[2] > 0:
            gc.collect()
            return True
        return False
