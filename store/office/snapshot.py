"""The findings of the county with their audit, and their rectification state on any day.

Statistics, the ledger's rates and the rate-over-time chart all need "the state of each finding
on day D". :class:`FindingsHistory` loads the findings once, plus the timelines of
``findings.rectify_status`` and ``audits.status`` from the change log, and answers for any day.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from store.office.rates import FindingState, Rates, compute_rates
from store.office.timeline import field_timelines

if TYPE_CHECKING:
    from store.db import AuditStore

_SQL = """
SELECT f.id, f.audit_id, f.title, f.nature, f.area_code, f.item_code, f.violation_fen,
       f.irregular_fen, f.recommendation, f.rectify_mode, f.deadline, f.rectify_status,
       a.unit_id, a.type AS audit_type, a.status AS audit_status, a.planned_start,
       a.template_id, a.template_version
FROM findings f JOIN audits a ON a.id = f.audit_id
WHERE f.deleted = 0 AND a.deleted = 0
ORDER BY a.planned_start, f.id
"""


@dataclass(frozen=True)
class FindingFact:
    """A finding as it is now, with the audit facts reports group by."""

    id: str
    audit_id: str
    title: str
    nature: str
    area_code: str
    item_code: str
    violation_fen: int
    irregular_fen: int
    recommendation: str
    rectify_mode: str
    deadline: date | None
    rectify_status: str
    unit_id: str
    audit_type: str
    audit_status: str
    audit_start: date
    template_id: str
    template_version: int

    @property
    def amount_fen(self) -> int:
        """问题金额: 违规金额 + 管理不规范金额."""
        return self.violation_fen + self.irregular_fen


def load_facts(store: AuditStore) -> list[FindingFact]:
    facts = []
    for r in store.db.query(_SQL):
        fields = {k: v for k, v in r.items() if k != "planned_start"}
        fields["deadline"] = date.fromisoformat(r["deadline"]) if r["deadline"] else None
        fields["audit_start"] = date.fromisoformat(r["planned_start"])
        facts.append(FindingFact(**fields))
    return facts


class FindingsHistory:
    """Rectification state of every finding on any day, from the change log."""

    def __init__(self, store: AuditStore) -> None:
        self.facts = load_facts(store)
        self._status = field_timelines(store, "findings", "rectify_status")
        self._audit = field_timelines(store, "audits", "status")

    def state(self, fact: FindingFact, day: date) -> FindingState | None:
        """The finding's state at the end of ``day``; None if it did not exist yet."""
        line = self._status.get(fact.id)
        status = line.at(day) if line else fact.rectify_status
        if status is None:
            return None
        audit_line = self._audit.get(fact.audit_id)
        audit_status = audit_line.at(day) if audit_line else fact.audit_status
        return FindingState(status, fact.deadline, audit_status, fact.amount_fen)

    def first_rectified(self, fact: FindingFact) -> date | None:
        """The day the finding first became 已整改 or 已销号, if it has."""
        line = self._status.get(fact.id)
        if line is None:
            return None
        return line.first_day({"已整改", "已销号"})

    def rates(self, day: date,
              where: Callable[[FindingFact], bool] | None = None) -> Rates:
        """The rectification rates on ``day`` over the findings selected by ``where``."""
        chosen: Iterable[FindingFact] = (
            self.facts if where is None else (f for f in self.facts if where(f)))
        states = (self.state(f, day) for f in chosen)
        return compute_rates((s for s in states if s is not None), day)
