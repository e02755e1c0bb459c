"""How long the terminal UI makes an auditor wait, against a baseline measured in the same run.

Run: ``.venv/bin/python bench/tui_latency.py [--runs N] [--only NAME ...]``

Each measurement runs on a *subject* database and on a *baseline* one, interleaved, and prints
the median and p95 of both and their ratio, so a slow machine shows as slow in both columns
and a regression shows in the ratio. Targets (issue 3): launch under 1.5 s, every action's
p95 under 50 ms, on a 2-core laptop.

* **launch** — as a new user would: a fresh Python process runs ``fieldaudit`` (headless, no
  terminal), from process start until Home is on screen with its lists filled. Subject: the
  sample county (80 units, 62 audits, 413 findings, 296 return visits); baseline: an empty county (templates and
  one auditor only).
* **actions** — key press to updated screen, in one running app (``App.run_test``). Add one
  with ``@action("area: verb", subject=…, baseline=…)``: an async function that receives the
  pilot, drives the app to where the action starts, and returns a list of seconds measured
  with :func:`timed_press`. Databases come from the ``FIXTURES`` builders. The workspace and
  findings actions run on ``big`` (the sample plus one audit on a 300-item template with 150
  answers and 2,000 findings) against ``empty_audit`` (the same audit, untouched).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TODAY = date(2026, 11, 23)
SIZE = (100, 32)


# -- databases ---------------------------------------------------------------------------------
def build_sample(path: Path) -> Path:
    """A laptop copy of the committed sample county, 王建华 signed in."""
    from store import paths
    from store.auditors import auditor_by_code
    from store.db import AuditStore
    from store.devices import assign_new_device, set_current_auditor

    shutil.copyfile(paths.sample_db_path(), path)
    with AuditStore.open(path) as store:
        assign_new_device(store, "bench")
        set_current_auditor(store, auditor_by_code(store, "A01").id or "")
    return path


def build_empty(path: Path) -> Path:
    """A county with its templates and one signed-in auditor, and nothing else."""
    from store.auditors import add_auditor
    from store.county import set_county
    from store.db import AuditStore
    from store.devices import set_current_auditor
    from store.enums import AuditorRole
    from store.template_registry import publish_builtins

    with AuditStore.create(path, device_name="bench") as store:
        set_county(store, None, name="空县总工会", committee="空县总工会经费审查委员会",
                   doc_prefix="空工审", province_code="anhui")
        publish_builtins(store, None)
        me = add_auditor(store, None, code="A01", name="王建华", role=AuditorRole.FULL_TIME,
                         can_lead=True)
        set_current_auditor(store, me.id or "")
    return path


BIG_ITEMS, BIG_FINDINGS = 300, 2_000
BENCH_AUDIT = "bench_audit"
"""Meta key naming the audit the workspace and findings actions open."""


def _big_template():
    """A 300-item checklist: the built-in grassroots template's items, recoded over ten areas."""
    from store.checklist import Area, Template, builtin_templates

    base = next(t for t in builtin_templates() if t.id == "grassroots-revenue")
    items = [item for _area, item in base.iter_items()]
    areas = []
    for a in range(BIG_ITEMS // 30):
        code = "ABCDEFGHIJ"[a]
        areas.append(Area(code=code, title=f"{base.areas[a % len(base.areas)].title}（{a + 1}）",
                          items=tuple(items[(a * 30 + i) % len(items)].model_copy(
                              update={"code": f"{code}{i + 1}"}) for i in range(30))))
    return base.model_copy(update={"id": "bench-big", "version": 1, "areas": tuple(areas)})


def _bench_audit(path: Path, *, full: bool) -> Path:
    """The sample county plus one audit in fieldwork on the 300-item template: with half its
    items answered and 2,000 findings (``full``), or untouched (the baseline)."""
    from datetime import timedelta

    from store.audits import advance_status, create_audit
    from store.db import AuditStore
    from store.devices import current_auditor_id
    from store.enums import AuditStatus, AuditType
    from store.template_registry import publish_template

    build_sample(path)
    with AuditStore.open(path) as store:
        me = current_auditor_id(store)
        template = _big_template()
        publish_template(store, me, template)
        unit = store.db.execute("SELECT id FROM units ORDER BY name LIMIT 1").fetchone()[0]
        audit = create_audit(store, me, unit_id=unit, type=AuditType.REVENUE, period_from=2025,
                             period_to=2025, leader_id=me, planned_start=TODAY,
                             planned_end=TODAY + timedelta(days=4), template_id="bench-big",
                             template_version=1)
        advance_status(store, me, audit.id, AuditStatus.NOTIFIED)
        advance_status(store, me, audit.id, AuditStatus.FIELDWORK)
        store.set_meta(BENCH_AUDIT, audit.id or "")
        if full:
            _fill(store, me, audit.id or "", template)
    return path


def _fill(store, me, audit_id: str, template) -> None:
    from store.enums import AnswerResult, FindingNature

    codes = [(area.code, item) for area, item in template.iter_items()]
    results = [AnswerResult.COMPLIANT, AnswerResult.NONCOMPLIANT, AnswerResult.PARTIAL,
               AnswerResult.NOT_APPLICABLE]
    with store.write(me) as w:
        for i, (_area, item) in enumerate(codes[: len(codes) // 2]):
            rid = store.db.execute("SELECT id FROM answers WHERE audit_id = ? AND item_code = ?",
                                   [audit_id, item.code]).fetchone()[0]
            w.update("answers", rid, {"result": results[i % 4].value, "note": f"抽查第{i}号凭证"})
        for n in range(BIG_FINDINGS):
            area, item = codes[n % len(codes)]
            w.insert("findings", {
                "audit_id": audit_id, "title": f"{item.finding_title}（{n + 1}）",
                "facts": f"经查2025年{n % 12 + 1}月第{n}号凭证，" + item.question,
                "violation_fen": (n * 3_217) % 900_000, "irregular_fen": (n * 1_013) % 50_000,
                "nature": (FindingNature.VIOLATION if n % 3 == 0
                           else FindingNature.IRREGULAR).value,
                "area_code": area, "item_code": item.code,
                "basis": item.basis[0].regulation, "recommendation": "建议限期整改。",
            })


def build_big(path: Path) -> Path:
    return _bench_audit(path, full=True)


def build_empty_audit(path: Path) -> Path:
    return _bench_audit(path, full=False)


FIXTURES: dict[str, Callable[[Path], Path]] = {
    "sample": build_sample, "empty": build_empty,
    "big": build_big, "empty_audit": build_empty_audit,
}


# -- statistics ----------------------------------------------------------------------------------
def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


@dataclass
class Result:
    name: str
    subject: list[float]
    baseline: list[float]
    target_s: float
    first: list[float] = field(default_factory=list)
    """Subject: seconds to the first frame of each press (the last frame is what counts)."""

    def line(self) -> str:
        sm, sp = statistics.median(self.subject), p95(self.subject)
        bm, bp = statistics.median(self.baseline), p95(self.baseline)
        verdict = "ok" if sp <= self.target_s else "SLOW"
        first = (f"   first frame p95 {p95(self.first) * 1000:6.1f} ms" if self.first else "")
        return (f"{self.name:<28} median {sm * 1000:8.1f} ms  p95 {sp * 1000:8.1f} ms   "
                f"baseline {bm * 1000:7.1f} / {bp * 1000:7.1f} ms   ratio {sm / bm:5.2f}× "
                f"/ {sp / bp:5.2f}×   target p95 ≤ {self.target_s * 1000:.0f} ms: {verdict}"
                + first)


# -- launch: a fresh process, as a user starts it ------------------------------------------------
_CHILD = textwrap.dedent("""
    import sys, time
    from datetime import date
    from pathlib import Path
    sys.path.insert(0, {root!r})
    from tui.cli import Settings, make_app
    from tui.screens import home

    shown = home.HomeScreen._show

    def _show(self, data):
        shown(self, data)
        self.app.call_after_refresh(lambda: self.app.exit(time.time()))

    home.HomeScreen._show = _show
    app = make_app(Settings(db_path=Path({db!r}), today=date.fromisoformat({today!r})))
    ready = app.run(headless=True, size={size!r})
    print(repr(ready))
""")


def launch_once(db: Path) -> float:
    """Seconds from spawning the process to Home filled and rendered."""
    code = _CHILD.format(root=str(ROOT), db=str(db), today=TODAY.isoformat(), size=SIZE)
    env = {**os.environ, "FIELDAUDIT_HOME": str(db.parent / "home")}
    start = time.time()
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env=env, timeout=60, check=True).stdout
    return float(out.strip().splitlines()[-1]) - start


def measure_launch(dbs: dict[str, Path], runs: int) -> Result:
    subject: list[float] = []
    baseline: list[float] = []
    launch_once(dbs["empty"])  # warm the disk cache and .pyc files once
    for _ in range(runs):
        subject.append(launch_once(dbs["sample"]))
        baseline.append(launch_once(dbs["empty"]))
    return Result("launch → Home ready", subject, baseline, target_s=1.5)


# -- actions: key press to updated screen in a running app ---------------------------------------
ActionFn = Callable[..., Awaitable[list[float]]]


@dataclass
class Action:
    name: str
    fn: ActionFn
    subject: str
    baseline: str
    target_s: float = 0.050


ACTIONS: list[Action] = []


def action(name: str, subject: str = "sample", baseline: str = "empty",
           target_s: float = 0.050) -> Callable[[ActionFn], ActionFn]:
    """Register an action benchmark: ``async def fn(pilot, runs) -> list[seconds]``."""

    def register(fn: ActionFn) -> ActionFn:
        ACTIONS.append(Action(name, fn, subject, baseline, target_s))
        return fn

    return register


async def settle(pilot) -> None:
    """Until no worker runs and the app is idle. Unlike ``Pilot.pause`` this never forces a
    refresh itself, so every frame the clock records was one the app chose to draw."""
    from textual._wait import wait_for_idle

    app = pilot.app
    for _ in range(100):
        await wait_for_idle(0)
        await app.workers.wait_for_complete()
        if not any(w.is_running for w in app.workers):
            await wait_for_idle(0.05)
            return


class FrameClock:
    """Records when the app hands a frame to the terminal driver (headless: discarded)."""

    def __init__(self, app) -> None:
        self.frames: list[float] = []
        self.firsts: list[float] = []
        """Per timed press: seconds to the first frame it caused (the first visible reply)."""
        display = app._display  # noqa: SLF001 — the one place frames leave the app

        def _display(screen, renderable) -> None:
            display(screen, renderable)
            if renderable is not None:  # None: nothing changed, nothing is sent
                self.frames.append(time.perf_counter())

        app._display = _display  # noqa: SLF001


async def timed_press(pilot, *keys: str) -> float:
    """Seconds from pressing the last of ``keys`` to the last frame it caused, once every
    worker it started has finished. The test harness's own idle-polling between keys is not
    counted: only the app's work and its frame timer are."""
    clock: FrameClock = pilot.app.bench_clock
    if keys[:-1]:
        await pilot.press(*keys[:-1])
    clock.frames.clear()
    start = time.perf_counter()
    await pilot.press(keys[-1])
    await settle(pilot)
    end = time.perf_counter()
    clock.firsts.append((clock.frames[0] if clock.frames else end) - start)
    return (clock.frames[-1] if clock.frames else end) - start


async def run_action(db: Path, act: Action, runs: int) -> tuple[list[float], list[float]]:
    from textual.widgets import Input

    from tui.cli import Settings, make_app

    Input._toggle_cursor = lambda self: None  # a blinking cursor is a frame, not latency

    app = make_app(Settings(db_path=db, today=TODAY, resume=False))
    async with app.run_test(size=SIZE) as pilot:
        app.bench_clock = FrameClock(app)
        await settle(pilot)
        times = await act.fn(pilot, runs)
        return times, app.bench_clock.firsts


def measure_action(dbs: dict[str, Path], act: Action, runs: int) -> Result:
    subject, first = asyncio.run(run_action(dbs[act.subject], act, runs))
    baseline, _ = asyncio.run(run_action(dbs[act.baseline], act, runs))
    return Result(act.name, subject, baseline, act.target_s, first)


@action("units: search keystroke")
async def units_search(pilot, runs: int) -> list[float]:
    """One more letter in the roster search box (pinyin initials), table redrawn."""
    await pilot.press("g", "u")
    await settle(pilot)
    times = []
    for _ in range(runs):
        times.append(await timed_press(pilot, "d"))
        times.append(await timed_press(pilot, "backspace"))
    return times


@action("home: open units and back")
async def home_units(pilot, runs: int) -> list[float]:
    """g u (roster read and shown), then Esc back to Home (its lists read again)."""
    times = []
    for _ in range(runs):
        times.append(await timed_press(pilot, "g", "u"))
        pilot.app.screen.query_one("#units-table").focus()
        times.append(await timed_press(pilot, "escape"))
    return times


async def _open_bench_audit(pilot) -> None:
    """Open the bench audit's workspace (300 items; 2,000 findings in the subject)."""
    from tui.navigation import open_workspace

    app = pilot.app
    audit_id = await app.db.call(lambda store: store.meta(BENCH_AUDIT))
    open_workspace(app, audit_id, "A1")
    await settle(pilot)


async def _drop_editor(pilot) -> None:
    """Throw away the editor the app keeps (tui/screens/kept.py): the next c builds one."""
    from tui.screens.finding_editor import FindingEditorScreen

    app = pilot.app
    spare = app._installed_screens.get(FindingEditorScreen.SPARE)  # noqa: SLF001
    if spare is not None:
        app.uninstall_screen(spare)
        await spare.remove()
        await settle(pilot)


@action("workspace: open", subject="big", baseline="empty_audit", target_s=1.0)
async def workspace_open(pilot, runs: int) -> list[float]:
    """From Home: the audit's workspace, tree and detail filled (timed from the call). Not one
    of the issue's per-key actions: its budget (1 s) is ours."""
    from tui.navigation import open_workspace

    app = pilot.app
    audit_id = await app.db.call(lambda store: store.meta(BENCH_AUDIT))
    times = []
    for _ in range(runs):
        app.bench_clock.frames.clear()
        start = time.perf_counter()
        open_workspace(app, audit_id, "A1")
        await settle(pilot)
        times.append(app.bench_clock.frames[-1] - start)
        await pilot.press("escape")
        await settle(pilot)
    return times


@action("workspace: next item (j)", subject="big", baseline="empty_audit")
async def workspace_move(pilot, runs: int) -> list[float]:
    await _open_bench_audit(pilot)
    times = []
    for _ in range(runs):
        times.append(await timed_press(pilot, "j"))
        times.append(await timed_press(pilot, "k"))
    return times


@action("workspace: answer (1/4)", subject="big", baseline="empty_audit")
async def workspace_answer(pilot, runs: int) -> list[float]:
    """An answer key: saved, tree mark and area count redrawn."""
    await _open_bench_audit(pilot)
    times = []
    for _ in range(runs):
        times.append(await timed_press(pilot, "1"))
        times.append(await timed_press(pilot, "4"))
    return times


@action("workspace: new finding (c)", subject="big", baseline="empty_audit")
async def workspace_new_finding(pilot, runs: int) -> list[float]:
    """c opens the finding editor on the next item (j, not timed: each opening fills the form
    with another item's title, basis and area); Esc (nothing typed) closes it. The first
    press builds the app's editor, the others reopen it (see the ``cold`` action)."""
    await _open_bench_audit(pilot)
    times = []
    for _ in range(runs):
        await pilot.press("j")
        await settle(pilot)
        times.append(await timed_press(pilot, "c"))
        await pilot.press("escape")
        await settle(pilot)
    return times


@action("workspace: first c of a session", subject="big", baseline="empty_audit")
async def workspace_first_new_finding(pilot, runs: int) -> list[float]:
    """The first ``c`` after opening an audit: the auditor reads the first item for a second,
    moves to the next (j, not timed) and presses c. Each run opens the workspace anew with no
    editor built yet, so the press finds the editor the workspace built meanwhile, filled for
    the first item (tui/screens/workspace.py): it is refilled for this one."""
    import asyncio

    times = []
    for _ in range(runs):
        await _drop_editor(pilot)
        await _open_bench_audit(pilot)
        await asyncio.sleep(1.0)
        await settle(pilot)
        await pilot.press("j")
        await settle(pilot)
        times.append(await timed_press(pilot, "c"))
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("escape")  # back to Home
        await settle(pilot)
    return times


@action("workspace: new finding, cold", subject="big", baseline="empty_audit")
async def workspace_new_finding_cold(pilot, runs: int) -> list[float]:
    """As ``c`` above, but the app's editor is thrown away right before each press, so every
    press builds one (a ``c`` pressed before the workspace has built it: within 0.3 s of
    opening the audit; the editor is kept after that)."""
    from tui.screens import workspace

    ahead = workspace.PREPARE_EDITOR_AFTER
    workspace.PREPARE_EDITOR_AFTER = 3600.0  # the workspace must not build it meanwhile
    try:
        await _open_bench_audit(pilot)
        times = []
        for _ in range(runs):
            await _drop_editor(pilot)
            times.append(await timed_press(pilot, "c"))
            await pilot.press("escape")
            await settle(pilot)
        return times
    finally:
        workspace.PREPARE_EDITOR_AFTER = ahead


@action("findings list: open (F)", subject="big", baseline="empty_audit")
async def findings_open(pilot, runs: int) -> list[float]:
    await _open_bench_audit(pilot)
    times = []
    for _ in range(runs):
        times.append(await timed_press(pilot, "F"))
        await pilot.press("escape")
        await settle(pilot)
    return times


@action("findings list: filter (v)", subject="big", baseline="empty_audit")
async def findings_filter(pilot, runs: int) -> list[float]:
    """Cycle the nature filter: the table re-filtered and redrawn."""
    await _open_bench_audit(pilot)
    await pilot.press("F")
    await settle(pilot)
    return [await timed_press(pilot, "v") for _ in range(runs * 2)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="runs per measurement")
    parser.add_argument("--only", nargs="*", default=None,
                        help="measure only these (launch, or action names)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="fieldaudit-bench-") as tmp:
        dbs = {name: build(Path(tmp) / f"{name}.db") for name, build in FIXTURES.items()}
        print(f"fieldaudit TUI latency — {args.runs} runs each, Python "
              f"{sys.version.split()[0]}, {os.cpu_count()} CPUs")
        if args.only is None or "launch" in args.only:
            print(measure_launch(dbs, args.runs).line(), flush=True)
        for act in ACTIONS:
            if args.only is None or act.name in args.only:
                print(measure_action(dbs, act, args.runs).line(), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
