"""整改率: what counts as due, what counts as rectified, and the exact fractions.

No official definition exists for unions (domain.md §7); fieldaudit uses the government-audit
practice and states it wherever a rate is shown (``office.def_*`` messages):

* **应整改问题 (due) on day D** — a finding that existed on D and, on D,
  (a) was already 已整改 or 已销号 (rectified early still counts), or
  (b) had a deadline that had passed (deadline < D: the deadline day itself is still allowed), or
  (c) had no deadline and its audit had reached 已出具报告 (``reported``) or later.
* **问题整改率** = (已整改 + 已销号) / 应整改问题数.
* **部分整改** is counted separately (its own count and share of due); it is *not* in the
  numerator of either rate.
* **金额整改率** = 问题金额 of rectified due findings / 问题金额 of all due findings, where
  问题金额 = 违规金额 + 管理不规范金额 of the finding.
* **逾期天数 (overdue days)** on day D = D − deadline, for a finding still 未整改 or 部分整改
  whose deadline has passed; 0 otherwise.

Rates are kept as integer fractions; percentages are rounded half-up to 0.1 only for display.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from store.enums import AuditStatus, RectifyStatus, rank

RECTIFIED = frozenset({RectifyStatus.DONE.value, RectifyStatus.CLOSED.value})
UNRESOLVED = frozenset({RectifyStatus.OPEN.value, RectifyStatus.PARTIAL.value})


@dataclass(frozen=True)
class Rate:
    """An exact ratio ``num / den``; ``den == 0`` means "nothing to measure" (shown as —)."""

    num: int
    den: int

    @property
    def defined(self) -> bool:
        return self.den > 0

    def fraction(self, places: int = 4) -> Decimal | None:
        """The ratio as a Decimal fraction (0.9123), rounded half-up; None when undefined."""
        if not self.den:
            return None
        q = Decimal(1).scaleb(-places)
        return (Decimal(self.num) / Decimal(self.den)).quantize(q, rounding=ROUND_HALF_UP)

    def percent(self) -> Decimal | None:
        """Percentage with one decimal (91.2), rounded half-up; None when undefined."""
        if not self.den:
            return None
        return (Decimal(self.num * 100) / Decimal(self.den)).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP)

    def text(self) -> str:
        value = self.percent()
        return "—" if value is None else f"{value}%"


def overdue_days(status: str, deadline: date | None, today: date) -> int:
    """Days past the deadline of a finding not yet rectified; 0 when not overdue."""
    if status not in UNRESOLVED or deadline is None or today <= deadline:
        return 0
    return (today - deadline).days


def is_due(status: str, deadline: date | None, audit_status: str | None, on: date) -> bool:
    """Whether a finding counts as 应整改 on day ``on`` (see the module docstring)."""
    if status in RECTIFIED:
        return True
    if deadline is not None:
        return deadline < on
    return audit_status is not None and rank(audit_status, AuditStatus) >= rank(
        AuditStatus.REPORTED, AuditStatus)


@dataclass(frozen=True)
class FindingState:
    """What the rates need to know about one finding on one day."""

    status: str
    deadline: date | None
    audit_status: str | None
    amount_fen: int


@dataclass(frozen=True)
class Rates:
    """Counts and amounts behind the rectification rates on day ``on``."""

    on: date
    findings: int
    due: int
    rectified: int  # 已整改 + 已销号 (all of them are due by definition)
    closed: int  # 已销号 alone
    partial: int  # 部分整改 among due
    unrectified: int  # 未整改 among due
    due_fen: int
    rectified_fen: int

    @property
    def issue_rate(self) -> Rate:
        """问题整改率."""
        return Rate(self.rectified, self.due)

    @property
    def amount_rate(self) -> Rate:
        """金额整改率."""
        return Rate(self.rectified_fen, self.due_fen)

    @property
    def partial_share(self) -> Rate:
        """部分整改 as a share of due findings (reported next to, never inside, the rates)."""
        return Rate(self.partial, self.due)


def compute_rates(states: Iterable[FindingState], on: date) -> Rates:
    findings = due = rectified = closed = partial = unrectified = due_fen = rect_fen = 0
    for s in states:
        findings += 1
        if not is_due(s.status, s.deadline, s.audit_status, on):
            continue
        due += 1
        due_fen += s.amount_fen
        if s.status in RECTIFIED:
            rectified += 1
            rect_fen += s.amount_fen
            closed += s.status == RectifyStatus.CLOSED
        elif s.status == RectifyStatus.PARTIAL:
            partial += 1
        else:
            unrectified += 1
    return Rates(on, findings, due, rectified, closed, partial, unrectified, due_fen, rect_fen)
