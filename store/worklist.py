"""What is on an auditor's plate: their open audits and the rectifications running late.

The home screen shows these next to the units due for audit (:func:`store.coverage.units_due`).
"Open" audits are those whose fieldwork or report is still to be done: planned, notified,
in fieldwork, or reported but not yet in rectification (the team still answers for the report).
A rectification is **late** on day D when its finding is 未整改 or 部分整改 and its deadline is
before D (the deadline day itself is still allowed), the same rule as the county's ledger.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from store.audits import AuditSummary, list_audits
from store.enums import AuditStatus, RectifyStatus

if TYPE_CHECKING:
    from store.db import AuditStore

#: Open audit statuses, in the order the home screen lists them (work under way first).
OPEN_STATUSES = (AuditStatus.FIELDWORK, AuditStatus.NOTIFIED, AuditStatus.PLANNED,
                 AuditStatus.REPORTED)
UNRECTIFIED = (RectifyStatus.OPEN, RectifyStatus.PARTIAL)


def my_audits(store: AuditStore, auditor_id: str) -> list[AuditSummary]:
    """Open audits where ``auditor_id`` leads or is a member: under way first, then by date."""
    marks = ", ".join("?" for _ in OPEN_STATUSES)
    rows = list_audits(
        store,
        f"a.status IN ({marks}) AND (a.leader_id = ? OR EXISTS "
        "(SELECT 1 FROM json_each(a.members) m WHERE m.value = ?))",
        [*(s.value for s in OPEN_STATUSES), auditor_id, auditor_id],
    )
    order = {s.value: i for i, s in enumerate(OPEN_STATUSES)}
    return sorted(rows, key=lambda a: (order[a.status], a.planned_start, a.unit_name))


@dataclass(frozen=True)
class LateRectification:
    """A finding whose rectification deadline has passed while it is still open."""

    finding_id: str
    audit_id: str
    unit_id: str
    unit_name: str
    title: str
    deadline: date
    rectify_status: str
    violation_fen: int
    irregular_fen: int
    overdue_days: int


_LATE_SQL = """
SELECT f.id AS finding_id, f.audit_id, a.unit_id, u.name AS unit_name, f.title, f.deadline,
       f.rectify_status, f.violation_fen, f.irregular_fen
FROM findings f JOIN audits a ON a.id = f.audit_id JOIN units u ON u.id = a.unit_id
WHERE f.deleted = 0 AND a.deleted = 0 AND f.rectify_status IN (?, ?)
  AND f.deadline IS NOT NULL AND f.deadline < ?
ORDER BY f.deadline, u.name, f.id
"""


def late_rectifications(store: AuditStore, today: date) -> list[LateRectification]:
    """Open findings past their deadline on ``today``, the most overdue first."""
    rows = store.db.query(_LATE_SQL, [*(s.value for s in UNRECTIFIED), today.isoformat()])
    out = []
    for r in rows:
        deadline = date.fromisoformat(r["deadline"])
        out.append(LateRectification(**{**r, "deadline": deadline},
                                     overdue_days=(today - deadline).days))
    return out
