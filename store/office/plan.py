"""The annual audit plan (年度审计计划): which units to audit, by whom, when; and the return
visits that belong in the plan (审计回访纳入年度计划, domain.md §0).

Which units, in this order (directly managed units only, none with an audit already dated in
the plan year):

1. never audited (必审: 从未审计);
2. due by the end of the plan year under the county's cadence, oldest last audit first
   (必审: 到期);
3. units with open findings (未整改 or 部分整改), most open findings first (整改未完成);
4. every other unit, oldest last audit first (轮换).

The suggestion takes as many as the annual target still needs (target − audits already dated
in the year), and never fewer than all the units of tiers 1 and 2, because the cadence is a
promise the county made. Teams rotate over the active auditors who may lead, each with one
other auditor; fieldwork starts on Mondays, ``per_week`` audits a week, and lasts five days.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING

from store.audits import create_audit
from store.auditors import list_auditors
from store.county import get_county
from store.coverage import UnitCoverage, unit_coverage
from store.enums import AuditorRole, AuditType
from store.errors import InvalidInput
from store.models import Audit
from store.office.visits import list_visits
from store.template_registry import latest_templates
from store.validation import build

if TYPE_CHECKING:
    from store.db import AuditStore

NEVER, DUE, OPEN_FINDINGS, ROTATION = "never", "due", "open_findings", "rotation"
TIERS = (NEVER, DUE, OPEN_FINDINGS, ROTATION)
PREFERRED_TEMPLATE = {AuditType.REVENUE: "grassroots-revenue",
                      AuditType.SPECIAL_FUND: "special-fund",
                      AuditType.ECONOMIC_RESPONSIBILITY: "grassroots-revenue",
                      AuditType.TRANSITION: "grassroots-revenue"}
FIELDWORK_DAYS = 5


@dataclass(frozen=True)
class PlanCandidate:
    unit_id: str
    unit_name: str
    reason: str  # one of TIERS
    last_audit: date | None
    next_due: date | None
    open_findings: int
    suggested: bool = False

    @property
    def required(self) -> bool:
        """Must be audited this year to keep the cadence."""
        return self.reason in (NEVER, DUE)


@dataclass(frozen=True)
class VisitCandidate:
    """An audit whose rectification should be checked by a return visit in the plan year."""

    audit_id: str
    unit_name: str
    audit_start: date
    unclosed: int  # findings not yet 已销号
    latest_deadline: date | None
    suggested_on: date
    planned_on: date | None  # an open (not yet done) planned visit, if any
    last_visit: date | None


@dataclass
class PlanSuggestion:
    year: int
    today: date
    target: int
    already_planned: int  # audits dated in the plan year (any status)
    candidates: list[PlanCandidate] = field(default_factory=list)
    visits: list[VisitCandidate] = field(default_factory=list)

    @property
    def suggested(self) -> list[PlanCandidate]:
        return [c for c in self.candidates if c.suggested]

    @property
    def required(self) -> int:
        return sum(c.required for c in self.candidates)

    @property
    def planned_with_suggestion(self) -> int:
        return self.already_planned + len(self.suggested)

    @property
    def shortfall(self) -> int:
        """Audits still missing to reach the target if the suggestion is adopted."""
        return max(0, self.target - self.planned_with_suggestion)


def _tier(c: UnitCoverage, year_end: date) -> str:
    if c.never_audited:
        return NEVER
    if c.due_by(year_end):
        return DUE
    if c.open_findings:
        return OPEN_FINDINGS
    return ROTATION


def suggest_plan(store: AuditStore, today: date, year: int | None = None) -> PlanSuggestion:
    """The plan suggestion for ``year`` (default: ``today``'s year)."""
    year = year or today.year
    county = get_county(store)
    year_end = date(year, 12, 31)
    dated = {r["unit_id"]: r["n"] for r in store.db.query(
        "SELECT unit_id, count(*) AS n FROM audits WHERE deleted = 0 "
        "AND substr(planned_start, 1, 4) = ? GROUP BY unit_id", [f"{year:04d}"])}
    ranked: list[tuple[tuple, PlanCandidate]] = []
    for c in unit_coverage(store, today):
        if not c.directly_managed or c.unit_id in dated:
            continue
        tier = _tier(c, year_end)
        key = (TIERS.index(tier), -c.open_findings if tier == OPEN_FINDINGS else 0,
               c.last_audit or date.min, c.name)
        ranked.append((key, PlanCandidate(c.unit_id, c.name, tier, c.last_audit, c.next_due,
                                          c.open_findings)))
    ranked.sort(key=lambda kc: kc[0])
    already = sum(dated.values())
    required = sum(c.required for _, c in ranked)
    n = max(county.annual_target - already, required, 0)
    candidates = [PlanCandidate(**{**c.__dict__, "suggested": i < n})
                  for i, (_, c) in enumerate(ranked)]
    return PlanSuggestion(year, today, county.annual_target, already, candidates,
                          visits_due(store, today, year))


def visits_due(store: AuditStore, today: date, year: int | None = None) -> list[VisitCandidate]:
    """Audits with findings not yet 已销号 whose deadlines fall by the end of ``year``.

    Suggested day: the day after the latest deadline of those findings, but not before
    ``today`` nor before 1 January of the plan year. An audit whose reported-stage findings
    have no deadline is suggested from ``today``.
    """
    year = year or today.year
    year_end, year_start = date(year, 12, 31), date(year, 1, 1)
    rows = store.db.query(
        "SELECT a.id, u.name AS unit_name, a.planned_start, count(*) AS unclosed, "
        "max(f.deadline) AS latest, min(coalesce(f.deadline, '0000')) AS earliest "
        "FROM findings f JOIN audits a ON a.id = f.audit_id JOIN units u ON u.id = a.unit_id "
        "WHERE f.deleted = 0 AND a.deleted = 0 AND f.rectify_status != '已销号' "
        "AND a.status IN ('reported', 'rectifying', 'closed') "
        "GROUP BY a.id ORDER BY a.planned_start, u.name")
    out = []
    for r in rows:
        latest = date.fromisoformat(r["latest"]) if r["latest"] else None
        earliest = r["earliest"]
        if earliest != "0000" and date.fromisoformat(earliest) > year_end:
            continue
        suggested = max(latest + timedelta(days=1) if latest else today, today, year_start)
        if suggested > year_end:
            suggested = year_end
        visits = list_visits(store, audit_id=r["id"])
        open_plan = [v.planned_on for v in visits if v.visited_on is None and v.planned_on]
        done = [v.visited_on for v in visits if v.visited_on]
        out.append(VisitCandidate(r["id"], r["unit_name"], date.fromisoformat(r["planned_start"]),
                                  r["unclosed"], latest, suggested,
                                  min(open_plan) if open_plan else None,
                                  max(done) if done else None))
    return out


@dataclass(frozen=True)
class PlanEntry:
    """One audit to create: unit, team and fieldwork dates."""

    unit_id: str
    leader_id: str
    members: tuple[str, ...]
    planned_start: date
    planned_end: date
    type: AuditType = AuditType.REVENUE


def next_monday(d: date) -> date:
    return d + timedelta(days=(7 - d.weekday()) % 7)


def propose_schedule(store: AuditStore, unit_ids: list[str], start: date,
                     per_week: int = 2) -> list[PlanEntry]:
    """Teams and dates for ``unit_ids`` in order: leaders in rotation, Monday starts."""
    if per_week < 1:
        raise InvalidInput("office.plan_per_week")
    active = list_auditors(store, active_only=True)
    leaders = [a for a in active if a.can_lead]
    if not leaders:
        raise InvalidInput("office.plan_no_leader")
    helpers = sorted((a for a in active), key=lambda a: (a.role != AuditorRole.INVITED, a.code))
    first = next_monday(start)
    entries = []
    for i, unit_id in enumerate(unit_ids):
        leader = leaders[i % len(leaders)]
        others = [a for a in helpers if a.id != leader.id]
        members = (others[i % len(others)].id,) if others else ()
        day = first + timedelta(weeks=i // per_week)
        entries.append(PlanEntry(unit_id, leader.id, members, day,
                                 day + timedelta(days=FIELDWORK_DAYS - 1)))
    return entries


def _template_for(store: AuditStore, audit_type: AuditType) -> tuple[str, int]:
    templates = latest_templates(store)
    preferred = PREFERRED_TEMPLATE.get(audit_type)
    for t in templates:
        if t.id == preferred and audit_type in t.audit_types:
            return t.id, t.version
    for t in templates:
        if audit_type in t.audit_types:
            return t.id, t.version
    raise InvalidInput("office.plan_no_template", type=audit_type.value)


def _period(store: AuditStore, unit_id: str, year: int, cadence: int) -> tuple[int, int]:
    """Years audited: from the year after the last audited period (at most ``cadence`` back)
    to the year before the plan year."""
    row = store.db.execute(
        "SELECT max(period_to) FROM audits WHERE unit_id = ? AND deleted = 0 "
        "AND status != 'planned'", [unit_id]).fetchone()
    period_to = year - 1
    period_from = max(year - cadence, (row[0] + 1) if row[0] else year - cadence)
    return min(period_from, period_to), period_to


def create_plan(store: AuditStore, acting: str | None, entries: list[PlanEntry],
                year: int) -> list[Audit]:
    """Create the planned audits (validated all first, then one write per audit)."""
    cadence = get_county(store).cadence_years
    audits = []
    for e in entries:
        if e.planned_start.year != year:
            raise InvalidInput("office.plan_wrong_year", day=e.planned_start.isoformat(),
                               year=year)
        template_id, version = _template_for(store, e.type)
        period_from, period_to = _period(store, e.unit_id, year, cadence)
        audits.append(build(Audit, unit_id=e.unit_id, type=e.type, period_from=period_from,
                            period_to=period_to, leader_id=e.leader_id, members=list(e.members),
                            planned_start=e.planned_start, planned_end=e.planned_end,
                            template_id=template_id, template_version=version))
    return [create_audit(store, acting, **a.data()) for a in audits]

