"""An audit keeps its template version; caps in force follow the county's province and date."""

from __future__ import annotations

from datetime import date

import pytest

from store.audits import create_audit
from store.checklist import builtin_templates
from store.errors import InvalidInput, RuleViolation
from store.template_registry import (
    caps_for, get_template, latest_templates, publish_template,
)
from store.units import list_units
from store.audits import update_audit


def _revenue_v1():
    return next(t for t in builtin_templates() if t.id == "grassroots-revenue")


def test_publishing_a_new_version_never_changes_an_audit_under_way(county_db) -> None:
    lead = county_db.meta("auditor_id")
    audit = create_audit(county_db, lead, unit_id=list_units(county_db)[0].id,
                         type="经费收支审计", period_from=2025, period_to=2025, leader_id=lead,
                         planned_start=date(2026, 12, 1), planned_end=date(2026, 12, 3),
                         template_id="grassroots-revenue", template_version=1)
    v1 = _revenue_v1()
    first_area = v1.areas[0].model_copy(update={"title": "组织与内部控制（第二版）"})
    v2 = v1.model_copy(update={"version": 2, "areas": (first_area, *v1.areas[1:])})
    assert publish_template(county_db, lead, v2) is True
    assert [t.version for t in latest_templates(county_db) if t.id == v1.id] == [2]
    pinned = get_template(county_db, audit.template_id, audit.template_version)
    assert pinned.areas[0].title == v1.areas[0].title
    with pytest.raises(RuleViolation):
        update_audit(county_db, lead, audit.id, template_version=2)


def test_a_published_version_cannot_be_changed_silently(county_db) -> None:
    v1 = _revenue_v1()
    changed = v1.model_copy(update={"title": "改过的标题"})
    with pytest.raises(InvalidInput) as err:
        publish_template(county_db, None, changed)
    assert "提高版本号" in str(err.value)


def test_caps_in_force_follow_province_and_date(county_db) -> None:
    old = caps_for(county_db, "anhui", date(2020, 6, 1))
    new = caps_for(county_db, "anhui", date(2025, 6, 1))
    assert old.version == "2018" and new.version == "2023"
    assert old.cap("holiday_goods").amount_fen == 150_000
    assert new.cap("holiday_goods").amount_fen == 200_000
    assert caps_for(county_db, "nowhere", date(2025, 1, 1)) is None
