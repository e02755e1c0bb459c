"""Full garbage-collection passes wait for a pause in the typing (tui/idle_gc.py)."""

from __future__ import annotations

import gc
import time
from pathlib import Path

from tests.tui_tests.conftest import settle
from tui.idle_gc import NEVER, IdleCollector


class _Timers:
    def __init__(self) -> None:
        self.intervals: list[float] = []

    def set_interval(self, seconds: float, _callback: object) -> None:
        self.intervals.append(seconds)


def _leave_cycles_in_generation_two() -> None:
    for _ in range(3):
        a: list[object] = []
        a.append(a)
        gc.collect(1)  # moves survivors on, counts a generation-1 pass


def test_full_passes_run_only_after_a_pause_and_thresholds_come_back() -> None:
    before = gc.get_threshold()
    collector = IdleCollector(idle_seconds=0.05)
    collector.start(_Timers())  # type: ignore[arg-type]
    try:
        assert gc.get_threshold()[2] == NEVER
        _leave_cycles_in_generation_two()
        collector.input_seen()
        assert not collector.collect_if_idle()  # a key was just pressed
        time.sleep(0.06)
        assert collector.collect_if_idle()
        assert gc.get_count()[2] == 0
        assert not collector.collect_if_idle()  # nothing new since
    finally:
        collector.stop()
    assert gc.get_threshold() == before


async def test_the_app_gives_the_collector_settings_back(sample_home: Path, make) -> None:
    before = gc.get_threshold()
    app = make(sample_home)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        assert gc.get_threshold()[2] == NEVER
        await pilot.press("j")
    assert gc.get_threshold() == before
