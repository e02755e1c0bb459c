"""Findings as the screens show them: a list to filter, sort and total, the context a finding
is edited in, and its change log in readable form.

The findings list reads every finding (of one audit or of the whole county) once, joined with
its unit and audit, and then filters and sorts in memory: a county has a few thousand findings
at most, and re-reading them on every key press would make filtering feel slow. Totals are
computed over what is shown, for both amount kinds (违规金额, 管理不规范金额; domain.md §3.3).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from store.audits import get_audit
from store.auditors import auditor_names
from store.dates import format_gongwen_date, iso_local_time, stamp_local_time
from store.devices import current_auditor_id
from store.enums import AnswerResult, FindingNature, RectifyMode, RectifyStatus, rank
from store.errors import NotFound, RuleViolation
from store.evidence import attach_file, detach, list_evidence
from store.findings import (
    add_finding, delete_finding, get_finding, set_rectify_status, update_finding,
)
from store.history import history
from store.i18n import t
from store.models import Evidence, Finding
from store.money import format_fen
from store.review import REPORTED_OR_LATER
from store.template_registry import get_template
from store.units import get_unit
from store.validation import field_label

if TYPE_CHECKING:
    from store.db import AuditStore

_ROWS_SQL = """
SELECT f.id, f.audit_id, a.unit_id, u.name AS unit_name, a.period_from, a.period_to,
       f.title, f.nature, f.area_code, f.item_code, f.violation_fen, f.irregular_fen,
       f.rectify_mode, f.deadline, f.rectify_status
FROM findings f JOIN audits a ON a.id = f.audit_id JOIN units u ON u.id = a.unit_id
WHERE f.deleted = 0 AND a.deleted = 0 AND ({where})
"""


@dataclass(frozen=True, slots=True)
class FindingRow:
    """One line of the findings list."""

    id: str
    audit_id: str
    unit_id: str
    unit_name: str
    period_from: int
    period_to: int
    title: str
    nature: str
    area_code: str
    item_code: str
    violation_fen: int
    irregular_fen: int
    rectify_mode: str
    deadline: date | None
    rectify_status: str


def finding_rows(store: AuditStore, audit_id: str | None = None) -> list[FindingRow]:
    """Every finding of ``audit_id`` (or of every audit when None), in :data:`SORTS` order."""
    where, params = ("f.audit_id = ?", [audit_id]) if audit_id else ("1", [])
    rows = [FindingRow(**{**r, "deadline": date.fromisoformat(r["deadline"])
                          if r["deadline"] else None})
            for r in store.db.query(_ROWS_SQL.format(where=where), params)]
    return sort_rows(rows, SORTS[0])


# -- filtering, sorting, totals ------------------------------------------------------------------
@dataclass(frozen=True)
class FindingFilter:
    """What the list shows; None means "any"."""

    status: str | None = None
    nature: str | None = None
    area: str | None = None
    unit_id: str | None = None

    def passes(self, row: FindingRow) -> bool:
        return ((self.status is None or row.rectify_status == self.status)
                and (self.nature is None or row.nature == self.nature)
                and (self.area is None or row.area_code == self.area)
                and (self.unit_id is None or row.unit_id == self.unit_id))


def filter_rows(rows: list[FindingRow], flt: FindingFilter) -> list[FindingRow]:
    return [r for r in rows if flt.passes(r)]


def _item_key(code: str) -> tuple[Any, ...]:
    """``A2`` before ``A10``, ``A1.2`` after ``A1``: letters, then the numbers as numbers."""
    letters = code[:len(code) - len(code.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))]
    numbers = tuple(int(p) for p in code[len(letters):].split(".") if p.isdigit())
    return (letters, numbers, code)


def _sort_key(sort: str):
    """Key function for one sort column; ties always fall back to unit, item and id."""
    tie = (lambda r: (r.unit_name, _item_key(r.item_code), r.id))
    keys: dict[str, Any] = {
        "item": lambda r: (r.audit_id, _item_key(r.item_code), r.id),
        "unit": lambda r: (r.unit_name, tie(r)),
        "violation": lambda r: (-r.violation_fen, tie(r)),
        "irregular": lambda r: (-r.irregular_fen, tie(r)),
        "deadline": lambda r: (r.deadline is None, r.deadline or date.max, tie(r)),
        "status": lambda r: (_status_rank(r.rectify_status), tie(r)),
        "title": lambda r: (r.title, tie(r)),
    }
    return keys[sort]


SORTS: tuple[str, ...] = ("unit", "item", "violation", "irregular", "deadline", "status",
                          "title")
"""Sort columns in the order a key cycles through them (amounts largest first)."""


def _status_rank(status: str) -> int:
    try:
        return rank(status, RectifyStatus)
    except ValueError:
        return -1


def sort_rows(rows: list[FindingRow], sort: str, reverse: bool = False) -> list[FindingRow]:
    return sorted(rows, key=_sort_key(sort), reverse=reverse)


@dataclass(frozen=True)
class Totals:
    count: int
    violation_fen: int
    irregular_fen: int


def totals(rows: list[FindingRow]) -> Totals:
    return Totals(len(rows), sum(r.violation_fen for r in rows),
                  sum(r.irregular_fen for r in rows))


def filter_choices(rows: list[FindingRow]) -> tuple[list[str], list[tuple[str, str]]]:
    """Areas and units (id, name) that occur in ``rows``, for the filter choices."""
    areas = sorted({r.area_code for r in rows if r.area_code}, key=lambda a: (len(a), a))
    units = sorted({(r.unit_name, r.unit_id) for r in rows})
    return areas, [(uid, name) for name, uid in units]


def audit_heading(unit_name: str, period_from: int, period_to: int) -> str:
    """``石桥环保科技有限公司工会委员会 · 2025年度`` (or ``2023—2025年度``)."""
    if period_from == period_to:
        return t("findings_ui.context_year", unit=unit_name, year=period_from)
    return t("findings_ui.context", unit=unit_name, start=period_from, end=period_to)


# -- the editor's context --------------------------------------------------------------------------
@dataclass(frozen=True)
class EditorContext:
    """What the finding editor shows around the finding itself."""

    audit_id: str
    unit_name: str
    period: tuple[int, int]
    finding: Finding | None
    areas: list[tuple[str, str]]
    """(code, title) of the audit's checklist areas."""
    items: dict[str, list[tuple[str, str]]]
    """area code → (item code, finding title) of the audit's checklist items."""
    evidence: list[Evidence]
    auditors: dict[str, str]
    """Auditor id → name (who verified or reviewed the finding)."""


def editor_context(store: AuditStore, finding_id: str | None, audit_id: str) -> EditorContext:
    """Read the finding (if any), its audit's unit and checklist, and its evidence."""
    finding = get_finding(store, finding_id) if finding_id else None
    audit = get_audit(store, finding.audit_id if finding else audit_id)
    unit = get_unit(store, audit.unit_id)
    areas: list[tuple[str, str]] = []
    items: dict[str, list[tuple[str, str]]] = {}
    try:
        template = get_template(store, audit.template_id, audit.template_version)
    except NotFound:
        template = None
    if template is not None:
        for area in template.areas:
            areas.append((area.code, area.title))
            items[area.code] = [(i.code, i.finding_title) for i in area.items]
    evidence = list_evidence(store, finding_id=finding_id) if finding_id else []
    return EditorContext(audit.id or audit_id, unit.name, (audit.period_from, audit.period_to),
                         finding, areas, items, evidence, auditor_names(store))


def evidence_of(store: AuditStore, finding_id: str) -> list[Evidence]:
    return list_evidence(store, finding_id=finding_id)


# -- writing as the signed-in auditor (the editor's actions) ---------------------------------------
def save_finding(store: AuditStore, finding_id: str | None, audit_id: str,
                 fields: dict[str, Any]) -> str:
    """Create or update as the signed-in auditor; returns the finding's id."""
    me = current_auditor_id(store)
    if finding_id is None:
        return add_finding(store, me, audit_id=audit_id, **fields).id or ""
    update_finding(store, me, finding_id, **fields)
    return finding_id


def delete_as_me(store: AuditStore, finding_id: str) -> None:
    """Delete (tombstone, kept in the change log) as the signed-in auditor. Only before the
    report is out: after, the finding is part of what the unit received and is corrected,
    not removed."""
    finding = get_finding(store, finding_id)
    audit = get_audit(store, finding.audit_id)
    if audit.status in REPORTED_OR_LATER:
        raise RuleViolation("findings_ui.delete_after_report",
                            status=t(f"audits.status.{audit.status}"))
    delete_finding(store, current_auditor_id(store), finding_id)


def move_status(store: AuditStore, finding_id: str, status: RectifyStatus, on: date) -> None:
    set_rectify_status(store, current_auditor_id(store), finding_id, status, on=on)


def attach_as_me(store: AuditStore, finding_id: str, path: Path) -> list[Evidence]:
    attach_file(store, current_auditor_id(store), path, finding_id=finding_id)
    return evidence_of(store, finding_id)


def detach_as_me(store: AuditStore, finding_id: str, evidence_id: str) -> list[Evidence]:
    detach(store, current_auditor_id(store), evidence_id)
    return evidence_of(store, finding_id)


def file_size(size: int) -> str:
    """``532 B``, ``12.3 KB``, ``4.1 MB``: short enough for a table cell."""
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / 1024 / 1024:.1f} MB"


# -- history as a table ----------------------------------------------------------------------------
@dataclass(frozen=True)
class HistoryLine:
    """One change of one field, ready to show."""

    stamp: str
    when: str
    """Local time ``2026-11-23 17:05``."""
    auditor: str
    device: str
    field: str
    """The field's label in the current language."""
    old: str
    new: str
    created: bool = False
    """A value the record was created with (not a change of an earlier value)."""


_WHOLE_RECORD_SKIP = frozenset({"deleted", "audit_id"})
_ENUM_FIELDS: dict[str, type[StrEnum]] = {
    "nature": FindingNature, "rectify_mode": RectifyMode, "rectify_status": RectifyStatus,
    "result": AnswerResult}
_AUDITOR_FIELDS = frozenset({"verified_by", "reviewed_by", "answered_by", "leader_id",
                             "visitor_id", "auditor_id"})


def show_value(name: str, value: Any, auditors: dict[str, str]) -> str:
    """A logged value as a user reads it: money in yuan, dates as 公文 dates, auditors by name."""
    if value is None or value == "":
        return "—"
    if name.endswith("_fen") and isinstance(value, int):
        return format_fen(value)
    if name in _ENUM_FIELDS and isinstance(value, str):
        enum = _ENUM_FIELDS[name]
        try:
            return t(f"tui.enum.{enum.__name__}.{enum(value).name}")
        except ValueError:
            return value
    if name in _AUDITOR_FIELDS and isinstance(value, str):
        return auditors.get(value, value)
    if name == "deleted":
        return t("findings_ui.deleted") if value else t("findings_ui.restored")
    if name.endswith("_stamp") and isinstance(value, str):
        return stamp_local_time(value)
    if isinstance(value, str) and len(value) >= 19 and value[10] == "T":
        return iso_local_time(value)
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return format_gongwen_date(date.fromisoformat(value))
        except ValueError:
            return value
    if isinstance(value, list):
        return "、".join(auditors.get(str(v), str(v)) for v in value)
    if isinstance(value, StrEnum):
        return value.value
    return str(value)


def history_lines(store: AuditStore, table: str, record_id: str,
                  tz: Any = None) -> list[HistoryLine]:
    """Every change of one record, newest first; a creation lists its non-empty fields."""
    names = auditor_names(store)
    lines: list[HistoryLine] = []
    for entry in history(store, table, record_id):
        created = entry.old is None and entry.base is None  # a field of the new record
        if created and (entry.field in _WHOLE_RECORD_SKIP or entry.new in (None, "")):
            continue
        lines.append(HistoryLine(
            entry.stamp, stamp_local_time(entry.stamp, tz), entry.auditor_name or "—", entry.device_name,
            field_label(entry.field), show_value(entry.field, entry.old, names),
            show_value(entry.field, entry.new, names), created))
    # newest first; the fields of one change keep their order
    return sorted(lines, key=lambda line: line.stamp, reverse=True)
