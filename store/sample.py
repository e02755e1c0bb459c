"""Deterministic generator of the sample county (青山县) shipped in ``sample_db/``.

Seeded random plus a simulated clock and seeded ids make the output identical on every run,
so the committed database is explained by this code rather than being an opaque binary. Every
record is written through the normal store functions (change log, stamps and all), with the
simulated clock set to the day each event would have happened. All names are fictional.

    python -m store.sample sample_db/sample_county.db
"""

from __future__ import annotations

import heapq
import itertools
import os
import random
import sys
import tempfile
from collections.abc import Generator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from store.answers import set_answer
from store.auditors import add_auditor
from store.audits import advance_status, create_audit
from store.county import set_county
from store.credit_code import make_credit_code
from store.db import AuditStore
from store.enums import (
    AnswerResult, AuditorRole, AuditStatus, AuditType, RectifyMode, RectifyStatus,
)
from store.evidence import attach_file
from store.findings import add_finding, set_rectify_status
from store.ids import IdFactory
from store.models import Unit
from store.office.visits import VisitMethod, record_visit
from store.records import MULTI, Writer, decode
from store.template_registry import get_template, publish_builtins, template_items
from store.units import add_units

SEED = 20261123
THIS_YEAR = 2026
_ORG_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_PLACES = ["青山", "青山", "青山", "大连", "江北", "明湖", "石桥", "云岭", "北塘", "南湾"]
_TRADES = ["精细化工", "机械制造", "纺织", "食品", "建材", "电子科技", "物流", "医药", "新能源",
           "农业发展", "包装材料", "汽车零部件", "服装", "印刷", "环保科技", "水务", "建筑安装",
           "粮油", "家具", "酿造", "光电", "模具", "热电", "茶业"]
_SUFFIXES = ["有限公司", "有限公司", "股份有限公司", "有限责任公司"]
_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶"
_GIVEN = ["建国", "秀英", "志强", "丽娟", "海燕", "明", "静", "伟", "芳", "军", "洋", "勇", "艳",
          "杰", "娜", "涛", "超", "霞", "平", "刚", "桂英", "文", "华", "红梅", "玉兰", "国庆"]
_STREETS = ["青山大道", "工业园区纬一路", "开发区经三路", "滨河路", "建设路", "人民路", "兴业大道"]


class SimClock:
    """A settable wall clock that still advances 1 ms per reading (stamps stay distinct)."""

    def __init__(self, start: datetime) -> None:
        self.ms = int(start.timestamp() * 1000)

    def set(self, when: datetime) -> None:
        self.ms = max(self.ms, int(when.timestamp() * 1000))

    def __call__(self) -> int:
        self.ms += 1
        return self.ms


#: A process of the sample's history: yields the time of its next step, then runs it.
Steps = Generator[datetime, None, None]

#: The sample's present: nothing happens after this day (the tests freeze "today" here).
TODAY = date(2026, 11, 23)


@dataclass
class Sample:
    store: AuditStore
    rng: random.Random
    clock: SimClock
    _queue: list[tuple[datetime, int, Steps]] = field(default_factory=list)
    _order: itertools.count = field(default_factory=itertools.count)

    def spawn(self, steps: Steps) -> None:
        """Schedule a process; its first step runs at the time it yields."""
        self._schedule(steps)

    def _schedule(self, steps: Steps) -> None:
        when = next(steps, None)
        if when is None:
            return
        if when.date() > TODAY:
            steps.close()  # the future has not happened yet
            return
        heapq.heappush(self._queue, (when, next(self._order), steps))

    def run(self) -> None:
        """Run every scheduled step in time order (ties: order of scheduling)."""
        while self._queue:
            when, _, steps = heapq.heappop(self._queue)
            self.clock.set(when)
            self._schedule(steps)


def _name(rng: random.Random) -> str:
    return rng.choice(_SURNAMES) + rng.choice(_GIVEN)


def _credit_code(rng: random.Random) -> str:
    org8 = "".join(rng.choice(_ORG_CHARS[:10] + "ABCDEFGHJKLMN") for _ in range(8))
    weights = (3, 7, 9, 10, 5, 8, 4, 2)
    total = sum(int(c, 36) * w for c, w in zip(org8, weights, strict=True))
    check = 11 - total % 11
    org9 = org8 + ("X" if check == 10 else "0" if check == 11 else str(check))
    return make_credit_code("81" + "341822" + org9)


def _units(rng: random.Random, n: int = 80) -> list[Unit]:
    units, seen = [], set()
    specials = ["大连精细化工青山分公司", "青山县人民医院", "青山县第一中学", "青山农村商业银行股份有限公司"]
    while len(units) < n:
        if specials:
            enterprise = specials.pop(0)
        else:
            enterprise = rng.choice(_PLACES) + rng.choice(_TRADES) + rng.choice(_SUFFIXES)
        if enterprise in seen:
            continue
        seen.add(enterprise)
        staff = rng.choice([18, 26, 35, 48, 60, 85, 120, 160, 240, 380, 650, 1200])
        members = max(1, int(staff * rng.uniform(0.82, 1.0)))
        payroll_fen = staff * rng.randrange(48_000, 110_000) * 100
        units.append(Unit(
            name=f"{enterprise}工会委员会", enterprise=enterprise, credit_code=_credit_code(rng),
            address=f"青山县{rng.choice(_STREETS)}{rng.randrange(1, 300)}号",
            chairman=_name(rng), finance_contact=_name(rng),
            phone=f"0550-{rng.randrange(6_000_000, 6_999_999)}", member_count=members,
            staff_count=staff, payroll_fen=payroll_fen, own_account=rng.random() > 0.08,
            small_micro=staff < 50, directly_managed=rng.random() > 0.15,
        ))
    return units


def _answer_result(rng: random.Random) -> AnswerResult:
    return rng.choices(
        [AnswerResult.COMPLIANT, AnswerResult.NONCOMPLIANT, AnswerResult.PARTIAL,
         AnswerResult.NOT_APPLICABLE], weights=[82, 5, 6, 7])[0]


def _facts(rng: random.Random, title: str, year: int) -> str:
    month, day = rng.randrange(1, 13), rng.randrange(1, 28)
    voucher = rng.randrange(1, 180)
    return (f"经抽查{year}年{month}月{day}日记-{voucher:03d}号凭证及相关附件，发现{title}。"
            f"涉及支出经办人签字、审批记录与原始票据，详见附件。")


def build_sample(path: Path) -> Path:
    """Write the sample county to ``path`` (which must not exist) and return it.

    Every audit (and every finding's rectification) is a generator of timed steps; a
    scheduler runs all steps in time order with the simulated clock set to each step's time,
    so the change log reads like the county's real three years and nothing happens after
    :data:`TODAY`.
    """
    with _ids_drawn_per_field():
        return _build(path)


@contextmanager
def _ids_drawn_per_field() -> Iterator[None]:
    """Draw, for each change-log row of a several-field write, the ids its fields would have
    used as rows of their own (schema 4 and earlier logged one row per field).

    The sample's ids and its content draw from one random stream, so without this the log
    format would decide who is on which team and which items are answered; with it the county
    stays the one that the tests, screenshots and documentation describe.
    """
    original = Writer._log  # noqa: SLF001

    def _log(self: Writer, table: str, record_id: str, field: str, *rest: Any) -> None:
        original(self, table, record_id, field, *rest)
        if field == MULTI:
            for _ in range(len(decode(rest[1])) - 1):
                self.store.new_id()

    Writer._log = _log  # type: ignore[method-assign]  # noqa: SLF001
    try:
        yield
    finally:
        Writer._log = original  # type: ignore[method-assign]  # noqa: SLF001


def _build(path: Path) -> Path:
    rng = random.Random(SEED)
    clock = SimClock(datetime(2023, 1, 3, 9, tzinfo=UTC))
    ids = IdFactory(clock, random_bytes=rng.randbytes)
    store = AuditStore.create(path, device_name="县经审办主库", now_ms=clock, new_id=ids)
    s = Sample(store, rng, clock)
    set_county(store, None, name="青山县总工会", committee="青山县总工会经费审查委员会",
               doc_prefix="青工审", province_code="anhui", cadence_years=3, annual_target=40,
               notice_lead_days=3, rectify_days=30)
    publish_builtins(store, None)
    staff = [("A01", "王建华", AuditorRole.FULL_TIME, True), ("A02", "李秀梅", AuditorRole.FULL_TIME, True),
             ("T01", "张志强", AuditorRole.INVITED, True), ("T02", "陈静", AuditorRole.INVITED, False),
             ("T03", "刘洋", AuditorRole.INVITED, False)]
    auditors = [add_auditor(store, None, code=c, name=n, role=r, can_lead=lead,
                            phone=f"139{rng.randrange(10_000_000, 99_999_999)}")
                for c, n, r, lead in staff]
    leaders = [a for a in auditors if a.can_lead]
    unit_ids = add_units(store, auditors[0].id, _units(rng))
    order = unit_ids[:]
    rng.shuffle(order)
    plan = [(2023, order[0:15]), (2024, order[15:30]), (2025, order[30:45]),
            (THIS_YEAR, order[45:62])]
    evidence_dir = Path(tempfile.mkdtemp(prefix="fieldaudit-sample-"))
    for year, units in plan:
        for n, unit_id in enumerate(units):
            s.spawn(_one_audit(s, year, n, unit_id, _start(rng, year, n), leaders, auditors,
                               evidence_dir))
    s.run()
    store.close()
    return path


def _start(rng: random.Random, year: int, n: int) -> date:
    """Fieldwork start (a Monday): spread over March to November. This year's from the 13th
    on are under way on :data:`TODAY` (two), notified (one) or planned for December (two)."""
    if year == THIS_YEAR and n >= 12:
        start = [date(2026, 11, 16), date(2026, 11, 30), date(2026, 11, 9), date(2026, 12, 7),
                 date(2026, 12, 14)][n - 12]
    elif year == THIS_YEAR:
        start = date(year, 3, 1) + timedelta(days=n * 19 + rng.randrange(0, 6))
    else:
        start = date(year, 3, 1) + timedelta(days=int(n * 17 + rng.randrange(0, 10)))
    return start + timedelta(days=(7 - start.weekday()) % 7)


def _at(day: date, hour: int = 9) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def _one_audit(s: Sample, year: int, n: int, unit_id: str, start: date, leaders, auditors,
               evidence_dir: Path) -> Steps:
    rng, store = s.rng, s.store
    yield _at(start - timedelta(days=40 if year == THIS_YEAR and n >= 12 else 20))
    leader = leaders[n % len(leaders)]
    members = [a.id for a in rng.sample(auditors, 2) if a.id != leader.id][:1]
    audit_type = AuditType.SPECIAL_FUND if n % 7 == 6 else AuditType.REVENUE
    template_id = "special-fund" if audit_type == AuditType.SPECIAL_FUND else "grassroots-revenue"
    audit = create_audit(store, leader.id, unit_id=unit_id, type=audit_type,
                         period_from=year - 2 if year < THIS_YEAR else year - 1,
                         period_to=year - 1, leader_id=leader.id, members=members,
                         planned_start=start, planned_end=start + timedelta(days=4),
                         template_id=template_id, template_version=1)
    yield _at(start - timedelta(days=10))
    advance_status(store, leader.id, audit.id, AuditStatus.NOTIFIED)
    yield _at(start)
    advance_status(store, leader.id, audit.id, AuditStatus.FIELDWORK)
    template = get_template(store, template_id, 1)
    items = template_items(template)
    answered = items if year < THIS_YEAR or n != 12 else items[: rng.randrange(12, 30)]
    for i, (area, item) in enumerate(answered):
        yield _at(start + timedelta(days=min(3, i // 20)), 9 + i % 8)
        result = _answer_result(rng)
        note = "" if result == AnswerResult.COMPLIANT else rng.choice(
            ["抽查凭证发现问题，见问题记录", "部分资料未能提供", "已与财务人员核对", "本期未发生此类业务"])
        answer = set_answer(store, rng.choice([leader.id, *members]), audit.id, item.code,
                            result, note)
        if result in (AnswerResult.NONCOMPLIANT, AnswerResult.PARTIAL):
            amount = rng.randrange(2, 900) * 10_000 + rng.randrange(0, 100) * 100
            violation = amount if item.nature.value == "违纪违规" else 0
            finding = add_finding(
                store, leader.id, audit_id=audit.id, title=item.finding_title,
                facts=_facts(rng, item.finding_title, year - 1), violation_fen=violation,
                irregular_fen=0 if violation else amount // 2, nature=item.nature,
                area_code=area, item_code=item.code,
                basis="；".join(f"{b.regulation}{b.article or ''}" for b in item.basis),
                recommendation=f"建议{rng.choice(['立即纠正', '完善制度', '追回款项', '规范手续'])}，"
                               f"并于整改期限内书面报告整改情况。",
                rectify_mode=rng.choice(list(RectifyMode)),
                deadline=start + timedelta(days=60),
            )
            if rng.random() < 0.15:
                ev = evidence_dir / f"凭证照片-{item.code}-{answer.id[-6:]}.txt"
                ev.write_text(f"{finding.title}\n{finding.facts}\n", encoding="utf-8")
                stamp = _at(start, 10).timestamp()
                os.utime(ev, (stamp, stamp))
                attach_file(store, leader.id, ev, finding_id=finding.id)
            s.spawn(_rectify(s, finding.id, audit.id, start, year, leader.id, evidence_dir))
    if year == THIS_YEAR and n >= 12:
        return  # fieldwork under way (or about to start) on TODAY
    yield _at(start + timedelta(days=25))
    advance_status(store, leader.id, audit.id, AuditStatus.REPORTED)
    if year == THIS_YEAR and n in (9, 11):
        return  # report issued, rectification notice not yet
    yield _at(start + timedelta(days=40))
    advance_status(store, leader.id, audit.id, AuditStatus.RECTIFYING)
    if year <= 2024 and rng.random() < 0.8:
        yield _at(start + timedelta(days=150))
        advance_status(store, leader.id, audit.id, AuditStatus.CLOSED)


_VISIT_RESULTS = {
    RectifyStatus.PARTIAL: "已退回部分违规发放款项，制度修订稿尚未经工会委员会审议。",
    RectifyStatus.DONE: "查看了整改报告及相关凭证，问题已整改到位。",
    RectifyStatus.CLOSED: "经实地核查整改到位，同意销号。",
}


def _rectify(s: Sample, finding_id: str, audit_id: str, start: date, year: int,
             verifier: str, evidence_dir: Path) -> Steps:
    """One finding's rectification: progress reported by the unit, and return visits (回访)
    by the team leader, which are how a finding gets verified and closed (销号)."""
    rng = s.rng
    r = rng.random()
    steps: list[RectifyStatus] = []
    age = THIS_YEAR - year
    if age >= 2:
        steps = [RectifyStatus.DONE, RectifyStatus.CLOSED] if r < 0.75 else [RectifyStatus.PARTIAL]
    elif age == 1:
        steps = ([RectifyStatus.PARTIAL] if r < 0.3 else
                 [RectifyStatus.DONE] if r < 0.6 else [RectifyStatus.DONE, RectifyStatus.CLOSED]
                 if r < 0.8 else [])
    else:
        steps = ([RectifyStatus.DONE] if r < 0.35 else
                 [RectifyStatus.PARTIAL] if r < 0.55 else [])
    gap = 60 if age == 1 else 30
    for i, status in enumerate(steps):
        day = start + timedelta(days=50 + gap * i)
        yield _at(day, 15)
        if status == RectifyStatus.CLOSED or rng.random() < 0.4:
            method = VisitMethod.ON_SITE if status == RectifyStatus.CLOSED else rng.choice(
                [VisitMethod.WRITTEN, VisitMethod.ON_SITE])
            record_visit(s.store, verifier, today=day, visited_on=day, method=method,
                         result=_VISIT_RESULTS[status], finding_id=finding_id,
                         new_status=status)
        else:
            set_rectify_status(s.store, verifier, finding_id, status, on=day)


def main(argv: list[str]) -> int:
    out = Path(argv[0] if argv else "sample_db/sample_county.db")
    tmp = out.with_name(out.name + ".new")
    tmp.unlink(missing_ok=True)
    build_sample(tmp)
    for suffix in ("-wal", "-shm"):
        Path(str(tmp) + suffix).unlink(missing_ok=True)
    tmp.replace(out)
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
