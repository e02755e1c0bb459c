"""The audit workspace as data: the checklist with each item's state, and each item's detail.

:func:`load_workspace` reads everything the screen needs once (template, answers, finding
counts, review states, the caps in force, the previous audit's findings); afterwards the
screen only asks for one item's state after writing it (:func:`record_answer`,
:func:`item_state`) or for all states when it comes back into view (:func:`item_states`, three
queries), so a 300-item checklist does not re-query per keypress. Details and progress are
computed from the loaded view (:func:`item_detail`, :func:`area_progress`), in memory.

Where the user left off is kept in ``meta`` (``last_audit``, ``last_item``; never synced) so
the app reopens there (``tui/startup.py``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from store.answers import get_answer, set_answer
from store.audits import get_audit
from store.auditors import auditor_names
from store.caps import CapsFile, builtin_caps
from store.checklist import Area, Basis, Item, Template
from store.county import get_county
from store.devices import current_auditor_id
from store.enums import AnswerResult, AuditStatus
from store.i18n import t
from store.models import Audit
from store.review import (
    ReviewState, advance_audit, content_stamp, content_stamps, mark_reviewed, review_state,
)
from store.template_registry import get_template, stored_caps

if TYPE_CHECKING:
    from store.db import AuditStore


@dataclass(frozen=True)
class ItemState:
    """What changes as the audit goes on: the answer, its findings, its review."""

    code: str
    answer_id: str
    result: AnswerResult
    note: str
    findings: int
    review: ReviewState

    @property
    def answered(self) -> bool:
        return self.result != AnswerResult.UNCHECKED


@dataclass(frozen=True)
class CapLine:
    """One version of the province's cap for an item, in force during the audited period."""

    effective_from: date
    amount_fen: int
    unit: str
    title: str
    note: str | None


@dataclass(frozen=True)
class PreviousFinding:
    """A finding of the unit's previous audit on the same item."""

    title: str
    nature: str
    violation_fen: int
    irregular_fen: int
    rectify_status: str
    period_from: int
    period_to: int


@dataclass(frozen=True)
class ItemDetail:
    area: Area
    item: Item
    state: ItemState
    basis: list[str]
    caps: list[CapLine]
    previous: list[PreviousFinding]


@dataclass
class WorkspaceView:
    """One audit's workspace; ``states`` is updated in place as answers are written."""

    audit: Audit
    unit_name: str
    leader_name: str
    me: str | None
    template: Template
    states: dict[str, ItemState]
    caps: dict[str, list[CapLine]] = field(default_factory=dict)
    previous: dict[str, list[PreviousFinding]] = field(default_factory=dict)

    @property
    def audit_id(self) -> str:
        return self.audit.id or ""

    @property
    def is_leader(self) -> bool:
        return self.me is not None and self.me == self.audit.leader_id

    def codes(self) -> list[str]:
        return [item.code for _, item in self.template.iter_items()]

    def area_of(self, code: str) -> Area:
        return next(a for a, i in self.template.iter_items() if i.code == code)

    def answered(self) -> int:
        return sum(s.answered for s in self.states.values())

    def finding_count(self) -> int:
        return sum(s.findings for s in self.states.values())


# -- reading ----------------------------------------------------------------------------------
def item_states(store: AuditStore, audit_id: str) -> dict[str, ItemState]:
    """Every item's state: answers, finding counts by item, review states (three queries)."""
    counts = dict(store.db.execute(
        "SELECT item_code, count(*) FROM findings WHERE audit_id = ? AND deleted = 0 "
        "GROUP BY item_code", [audit_id]).fetchall())
    stamps = content_stamps(store, "answers", audit_id)
    rows = store.query("SELECT id, item_code, result, note, reviewed_stamp FROM answers "
                       "WHERE audit_id = ? AND deleted = 0", [audit_id])
    return {r["item_code"]: ItemState(r["item_code"], r["id"], AnswerResult(r["result"]),
                                      r["note"], counts.get(r["item_code"], 0),
                                      review_state(r["reviewed_stamp"], stamps.get(r["id"])))
            for r in rows}


def item_state(store: AuditStore, audit_id: str, code: str) -> ItemState:
    answer = get_answer(store, audit_id, code)
    findings = store.db.execute(
        "SELECT count(*) FROM findings WHERE audit_id = ? AND item_code = ? AND deleted = 0",
        [audit_id, code]).fetchone()[0]
    answer_id = answer.id or ""
    return ItemState(code, answer_id, answer.result, answer.note, findings,
                     review_state(answer.reviewed_stamp,
                                  content_stamp(store, "answers", answer_id)))


def period_caps(caps: list[CapsFile], province_code: str, key: str, first: date,
                last: date) -> list[CapLine]:
    """Each version of cap ``key`` in force on some day from ``first`` to ``last``, oldest
    first (a period can straddle a revision: 2022 under the 2018 rules, 2023 under 2023's)."""
    versions = sorted((c for c in caps if c.province_code == province_code
                       and c.effective_from <= last), key=lambda c: c.effective_from)
    start = 0
    for index, version in enumerate(versions):
        if version.effective_from <= first:
            start = index  # the one in force on the first day
    lines = []
    for version in versions[start:]:
        entry = version.cap(key)
        if entry is not None:
            lines.append(CapLine(version.effective_from, entry.amount_fen, entry.unit,
                                 version.title, entry.note))
    return lines


def previous_findings(store: AuditStore, audit: Audit) -> dict[str, list[PreviousFinding]]:
    """Item code → findings of the same unit's most recent earlier audit."""
    prior = store.query(
        "SELECT id, period_from, period_to FROM audits WHERE unit_id = ? AND deleted = 0 "
        "AND id != ? AND (planned_start < ? OR (planned_start = ? AND id < ?)) "
        "ORDER BY planned_start DESC, id DESC LIMIT 1",
        [audit.unit_id, audit.id, audit.planned_start.isoformat(),
         audit.planned_start.isoformat(), audit.id])
    if not prior:
        return {}
    found: dict[str, list[PreviousFinding]] = {}
    for r in store.query(
            "SELECT item_code, title, nature, violation_fen, irregular_fen, rectify_status "
            "FROM findings WHERE audit_id = ? AND deleted = 0 AND item_code != '' ORDER BY id",
            [prior[0]["id"]]):
        found.setdefault(r.pop("item_code"), []).append(
            PreviousFinding(**r, period_from=prior[0]["period_from"],
                            period_to=prior[0]["period_to"]))
    return found


def load_workspace(store: AuditStore, audit_id: str) -> WorkspaceView:
    audit = get_audit(store, audit_id)
    template = get_template(store, audit.template_id, audit.template_version)
    names = auditor_names(store)
    unit = store.db.execute("SELECT name FROM units WHERE id = ?", [audit.unit_id]).fetchone()
    province = get_county(store).province_code
    available = stored_caps(store) or builtin_caps()
    first, last = date(audit.period_from, 1, 1), date(audit.period_to, 12, 31)
    caps = {item.code: period_caps(available, province, item.cap, first, last)
            for _, item in template.iter_items() if item.cap}
    return WorkspaceView(audit, unit[0] if unit else "", names.get(audit.leader_id, ""),
                         current_auditor_id(store), template, item_states(store, audit_id),
                         caps, previous_findings(store, audit))


# -- computing from the view ----------------------------------------------------------------
def area_progress(view: WorkspaceView, area: Area) -> tuple[int, int]:
    """(answered, total) items of one area."""
    states = [view.states.get(item.code) for item in area.items]
    return sum(1 for s in states if s is not None and s.answered), len(area.items)


def basis_text(basis: Basis) -> str:
    """``《办法》第七条`` — regulation, then article when there is one."""
    return basis.regulation + (basis.article or "")


def item_detail(view: WorkspaceView, code: str) -> ItemDetail:
    area = view.area_of(code)
    item = next(i for i in area.items if i.code == code)
    lines = [basis_text(b) + (f"（{b.note}）" if b.note else "") for b in item.basis]
    return ItemDetail(area, item, view.states[code], lines,
                      view.caps.get(code, []), view.previous.get(code, []))


def matches(view: WorkspaceView, query: str) -> list[str]:
    """Item codes that match ``query``: codes starting with it first, then text containing it
    (question, method, finding title, note), in checklist order."""
    text = query.strip()
    if not text:
        return []
    upper = text.upper()
    by_code = [c for c in view.codes() if c.upper().startswith(upper)]
    exact = [c for c in by_code if c.upper() == upper]
    by_text = [i.code for _, i in view.template.iter_items() if i.code not in by_code and any(
        text.lower() in part.lower() for part in
        (i.question, i.method, i.finding_title, view.states[i.code].note))]
    return exact + [c for c in by_code if c not in exact] + by_text


def finding_prefill(view: WorkspaceView, code: str) -> dict[str, Any]:
    """Finding fields a checklist item offers (``tui.navigation.open_finding``'s prefill)."""
    area = view.area_of(code)
    item = next(i for i in area.items if i.code == code)
    basis = "；".join(basis_text(b) for b in item.basis)
    return {"title": item.finding_title, "nature": item.nature, "basis": basis,
            "area_code": area.code, "item_code": item.code,
            "recommendation": t("workspace.recommendation", basis=basis)}


# -- writing ----------------------------------------------------------------------------------
def record_answer(store: AuditStore, audit_id: str, code: str,
                  result: AnswerResult | str | None = None,
                  note: str | None = None) -> ItemState:
    """Write one answer as the current auditor and return the item's new state."""
    set_answer(store, current_auditor_id(store), audit_id, code, result, note)
    return item_state(store, audit_id, code)


def remember_position(store: AuditStore, audit_id: str, item_code: str | None) -> None:
    """Where the user is, so the next launch reopens it (local to this laptop)."""
    store.set_meta("last_audit", audit_id)
    store.set_meta("last_item", item_code or "")


def review_item(store: AuditStore, audit_id: str, code: str) -> ItemState:
    """The current auditor reviews one answer (team leader only, see ``store.review``)."""
    answer = get_answer(store, audit_id, code)
    mark_reviewed(store, current_auditor_id(store), "answers", answer.id or "")
    return item_state(store, audit_id, code)


def advance_as_me(store: AuditStore, audit_id: str, target: AuditStatus | str,
                  confirmed: bool) -> Audit:
    """Advance the audit's status as the current auditor (checks in ``store.review``)."""
    return advance_audit(store, current_auditor_id(store), audit_id, target,
                         confirmed=confirmed)
