"""Roster search (Chinese, pinyin initials, full pinyin, credit code) and the auditor's
worklist (open audits, late rectifications), headless."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from store.auditors import auditor_by_code
from store.db import AuditStore
from store.search import RosterFilter, filter_roster, matches, normalize_query, roster, search_key
from store.worklist import late_rectifications, my_audits

TODAY = date(2026, 11, 23)
KEY = search_key("大连精细化工青山分公司工会委员会", "大连精细化工青山分公司",
                 codes=("81341822941AMCFMX7",))


@pytest.mark.parametrize("query", [
    "", "精细", "大连精细化工", "dljx", "DLJX", "ＤＬＪＸ", "dljxhgqsfgs", "qsfgs", "dalian",
    "dalianjingxi", "da lian jing", "jingxihua", "qingshan", "941amc", "81341822941AMCFMX7",
])
def test_finds(query: str) -> None:
    assert matches(KEY, query)


@pytest.mark.parametrize("query", [
    "alian",  # not at a syllable start
    "dljq",  # initials out of order
    "jx8",  # initials never run into the code
    "大连化工",  # not a substring
    "zzz", "dl-jx",
])
def test_does_not_find(query: str) -> None:
    assert not matches(KEY, query)


def test_heteronyms_are_read_in_context() -> None:
    bank = search_key("青山农村商业银行股份有限公司工会委员会")
    assert matches(bank, "syyh") and matches(bank, "yinhang")  # 行 read hang, not xing
    assert matches(search_key("重庆长江行"), "cqcj")


def test_normalize_query() -> None:
    assert normalize_query(" ＤａＬｉａｎ　jx ") == "dalianjx"


@pytest.fixture
def sample(sample_copy: Path):
    with AuditStore.open(sample_copy) as store:
        yield store


def test_roster_filters(sample: AuditStore) -> None:
    entries = roster(sample, TODAY)
    assert len(entries) == 80
    counts = {k: len(filter_roster(entries, "", k, TODAY)) for k in RosterFilter}
    assert counts == {RosterFilter.ALL: 80, RosterFilter.DUE: 27, RosterFilter.NEVER: 21,
                      RosterFilter.THIS_YEAR: 14, RosterFilter.OPEN_FINDINGS: 54}
    due = filter_roster(entries, "", RosterFilter.DUE, TODAY)
    assert all(e.coverage.directly_managed and e.coverage.due_by(TODAY) for e in due)
    found = filter_roster(entries, "dljx", RosterFilter.ALL, TODAY)
    assert [e.unit.name for e in found] == ["大连机械制造有限责任公司工会委员会",
                                            "大连精细化工青山分公司工会委员会"]
    assert filter_roster(entries, "dljx", RosterFilter.NEVER, TODAY)[0].unit.name.startswith(
        "大连机械")


def test_my_audits_are_open_and_mine(sample: AuditStore) -> None:
    me = auditor_by_code(sample, "A01").id or ""
    mine = my_audits(sample, me)
    assert [a.status for a in mine] == ["fieldwork", "planned", "planned", "reported"]
    for a in mine:
        row = sample.query("SELECT leader_id, members FROM audits WHERE id = ?", [a.id])[0]
        assert row["leader_id"] == me or me in row["members"]
    liu = auditor_by_code(sample, "T03").id or ""
    assert all(a.leader_name != "刘洋" for a in my_audits(sample, liu))  # a member only


def test_late_rectifications(sample: AuditStore) -> None:
    late = late_rectifications(sample, TODAY)
    assert len(late) == 168
    assert all(r.deadline < TODAY and r.rectify_status in ("未整改", "部分整改") for r in late)
    assert late[0].overdue_days == (TODAY - late[0].deadline).days == 1298
    assert [r.overdue_days for r in late] == sorted((r.overdue_days for r in late),
                                                    reverse=True)
    # the deadline day itself is still allowed
    on_deadline = late_rectifications(sample, late[-1].deadline)
    assert late[-1].finding_id not in {r.finding_id for r in on_deadline}
