"""整改台账: every finding with its deadline, mode, status, overdue days and whom to call.

The county chases rectification from this list (逐个督办、逐个销号, domain.md §0): one line per
finding of every audit, the unit's contacts, the return visits made, and who closed it when.
Rates over the whole ledger use the definitions in :mod:`store.office.rates`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from store.office.rates import Rates, overdue_days
from store.office.snapshot import FindingsHistory

if TYPE_CHECKING:
    from store.db import AuditStore

_SQL = """
SELECT f.id AS finding_id, f.audit_id, a.unit_id, u.name AS unit_name,
       u.finance_contact, u.chairman, u.phone, a.type AS audit_type, a.status AS audit_status,
       a.planned_start, f.title, f.nature, f.area_code, f.item_code, f.violation_fen,
       f.irregular_fen, f.recommendation, f.rectify_mode, f.deadline, f.rectify_status,
       coalesce(v.name, '') AS verified_by_name, f.verified_at,
       (SELECT count(*) FROM return_visits r WHERE r.deleted = 0 AND r.visited_on IS NOT NULL
          AND (r.finding_id = f.id OR (r.finding_id IS NULL AND r.audit_id = f.audit_id)))
          AS visits,
       (SELECT max(r.visited_on) FROM return_visits r WHERE r.deleted = 0
          AND (r.finding_id = f.id OR (r.finding_id IS NULL AND r.audit_id = f.audit_id)))
          AS last_visit
FROM findings f JOIN audits a ON a.id = f.audit_id JOIN units u ON u.id = a.unit_id
LEFT JOIN auditors v ON v.id = f.verified_by
WHERE f.deleted = 0 AND a.deleted = 0
"""


@dataclass(frozen=True)
class LedgerRow:
    finding_id: str
    audit_id: str
    unit_id: str
    unit_name: str
    finance_contact: str
    chairman: str
    phone: str
    audit_type: str
    audit_status: str
    audit_start: date
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
    overdue_days: int
    verified_by_name: str
    verified_at: date | None
    visits: int
    last_visit: date | None

    @property
    def contact(self) -> str:
        """Whom to call: the finance contact (or the chairman) and the phone."""
        who = self.finance_contact or self.chairman
        return " ".join(p for p in (who, self.phone) if p)


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def ledger(store: AuditStore, today: date, *, status: str | None = None,
           audit_id: str | None = None, overdue_only: bool = False) -> list[LedgerRow]:
    """The ledger on ``today``: most overdue first, then by deadline, unit and finding."""
    rows = []
    for r in store.db.query(_SQL):
        deadline = _day(r["deadline"])
        row = LedgerRow(
            **{k: v for k, v in r.items() if k not in ("planned_start",)}
            | {"audit_start": date.fromisoformat(r["planned_start"]), "deadline": deadline,
               "verified_at": _day(r["verified_at"]), "last_visit": _day(r["last_visit"]),
               "overdue_days": overdue_days(r["rectify_status"], deadline, today)})
        if status and row.rectify_status != status:
            continue
        if audit_id and row.audit_id != audit_id:
            continue
        if overdue_only and not row.overdue_days:
            continue
        rows.append(row)
    rows.sort(key=lambda x: (-x.overdue_days, x.deadline or date.max, x.unit_name,
                             x.item_code, x.finding_id))
    return rows


def ledger_rates(store: AuditStore, today: date) -> Rates:
    """Rectification rates over every finding of the county on ``today``."""
    return FindingsHistory(store).rates(today)
