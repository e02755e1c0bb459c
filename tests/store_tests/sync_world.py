"""A small county master and its laptops for the sync tests, plus an independent oracle.

All devices read one shared simulated wall clock (like real laptops with correct clocks), so
stamps never collide across devices. The oracle recomputes, in plain Python from the union of
change logs, what every field must hold and which writes must be conflicts.
"""

from __future__ import annotations

import json
import shutil
from collections import defaultdict
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from store.auditors import add_auditor
from store.audits import advance_status, create_audit
from store.county import set_county
from store.credit_code import make_credit_code
from store.db import AuditStore
from store.enums import AuditorRole, AuditStatus, FindingNature
from store.findings import add_finding
from store.records import FORWARD_ONLY
from store.sync.checkout import checkout
from store.sync.conflicts import conflict_id
from store.sync.content import content_of
from store.sync.rules import REVIEW_MARKS
from store.template_registry import publish_builtins
from store.units import add_unit


class SharedClock:
    """One simulated wall clock for every device; 1 ms passes per reading."""

    def __init__(self, start: datetime = datetime(2026, 11, 23, 9, tzinfo=UTC)) -> None:
        self.ms = int(start.timestamp() * 1000)

    def __call__(self) -> int:
        self.ms += 1
        return self.ms


def build_master(path: Path, clock: SharedClock, findings: int = 4) -> dict[str, Any]:
    """A county with templates, two auditors, two units, one audit in fieldwork, findings."""
    with AuditStore.create(path, device_name="主库", now_ms=clock) as store:
        set_county(store, None, name="测试县总工会", committee="测试县总工会经费审查委员会",
                   doc_prefix="测工审", province_code="anhui")
        publish_builtins(store, None)
        lead = add_auditor(store, None, code="A01", name="王建华", role=AuditorRole.FULL_TIME,
                           can_lead=True)
        member = add_auditor(store, None, code="T01", name="陈静", role=AuditorRole.INVITED)
        units = [add_unit(store, lead.id, name=f"{n}公司工会委员会", enterprise=f"{n}公司",
                          credit_code=make_credit_code(f"81341822MA000000{i}"))
                 for i, n in enumerate("甲乙", start=1)]
        audit = create_audit(store, lead.id, unit_id=units[0].id, type="经费收支审计",
                             period_from=2025, period_to=2025, leader_id=lead.id,
                             members=[member.id], planned_start=date(2026, 11, 2),
                             planned_end=date(2026, 11, 6), template_id="grassroots-revenue",
                             template_version=1)
        advance_status(store, lead.id, audit.id, AuditStatus.NOTIFIED)
        made = [add_finding(store, lead.id, audit_id=audit.id, title=f"问题{i}",
                            facts=f"事实{i}", violation_fen=100 * i,
                            nature=FindingNature.VIOLATION) for i in range(findings)]
        return {"lead": lead.id, "member": member.id, "audit": audit.id,
                "findings": [f.id for f in made], "units": [u.id for u in units]}


def make_world(folder: Path, laptops: int, clock: SharedClock) -> tuple[Path, list[Path], dict]:
    folder.mkdir(parents=True, exist_ok=True)
    master = folder / "master.db"
    info = build_master(master, clock)
    paths = []
    for i in range(laptops):
        out = folder / f"laptop{i}.db"
        checkout(master, "A01", out, device_name=f"笔记本{i}", now_ms=clock)
        paths.append(out)
    return master, paths, info


def copy_world(files: list[Path], folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for f in files:
        dest = folder / f.name
        shutil.copyfile(f, dest)
        out.append(dest)
    return out


def content(path: Path) -> dict[str, list[tuple]]:
    return content_of(path)


# -- the oracle ------------------------------------------------------------------------------
def _value(row: dict[str, Any], field: str) -> Any:
    if row["field"] == "*":
        return json.loads(row["new"]).get(field)
    return None if row["new"] is None else json.loads(row["new"])


def _rank(table: str, field: str, value: Any) -> Any:
    enum = FORWARD_ONLY.get((table, field))
    if enum is not None:
        members = [m.value for m in enum]
        return members.index(value) + 1 if value in members else 0
    if (table, field) in REVIEW_MARKS:
        return (0, "") if value is None else (1, value)
    return None


def _per_field(row: dict[str, Any]) -> list[dict[str, Any]]:
    """A write of several fields (field ``+``: old, new and base are JSON objects keyed by
    field) as one single-field row per field; other rows as they are."""
    if row["field"] != "+":
        return [row]
    new, base = json.loads(row["new"]), row["base"]
    bases = json.loads(base) if base and base.startswith("{") else dict.fromkeys(new, base)
    return [{**row, "field": k, "new": json.dumps(v), "base": bases.get(k)}
            for k, v in new.items()]


def expected_state(changes: list[dict[str, Any]], fields_of: dict[str, list[str]]):
    """Per (table, record): expected field values; and the expected conflict ids."""
    by_record: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for c in changes:
        by_record[(c["tbl"], c["rid"])].extend(_per_field(c))
    values: dict[tuple[str, str], dict[str, Any]] = {}
    conflicts: set[str] = set()
    resolved = {c["rid"] for c in changes if c["tbl"] == "conflicts"}
    for (table, rid), rows in by_record.items():
        if table not in fields_of:
            continue
        record = {}
        for field in fields_of[table]:
            writes = [r for r in rows if r["field"] in (field, "*")]
            if not writes:
                continue
            order = lambda r: (r["stamp"], r["device"])  # noqa: E731
            if _rank(table, field, None) is not None:
                best = max(writes, key=lambda r: (_rank(table, field, _value(r, field)), order(r)))
                record[field] = _value(best, field)
                continue
            winner = max(writes, key=order)
            record[field] = _value(winner, field)
            superseded = {r["base"] for r in writes if r["field"] == field}
            for w in writes:
                if w is winner or w["stamp"] in superseded:
                    continue
                cid = conflict_id("value", table, rid, field, w["stamp"], w["device"])
                repeated = any(_value(x, field) == _value(w, field) and order(x) > order(w)
                               for x in writes)
                if not repeated or cid in resolved:
                    conflicts.add(cid)
        values[(table, rid)] = record
        if record.get("deleted") == 1:
            delete = max((r for r in rows if r["field"] in ("deleted", "*")),
                         key=lambda r: (r["stamp"], r["device"]))
            for r in rows:
                if r["field"] not in ("deleted", "*") and \
                        (r["stamp"], r["device"]) > (delete["stamp"], delete["device"]):
                    conflicts.add(conflict_id("deleted", table, rid, "deleted", r["stamp"],
                                              r["device"]))
    return values, conflicts
