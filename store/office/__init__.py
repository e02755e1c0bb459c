"""The county office's work on a merged master: plan, rectification ledger, return visits,
statistics and exports.

Every function that depends on "now" takes ``today`` (a ``date``) as a parameter, so reports
are reproducible and tests run against a frozen clock. Money stays integer fen until it is
written out; rates are exact fractions (:class:`store.office.rates.Rate`).

- :mod:`store.office.timeline` — a field's value on a past day, read from the change log;
- :mod:`store.office.rates` — 问题整改率 / 金额整改率 and what counts as "due";
- :mod:`store.office.visits` — 审计回访 and 销号;
- :mod:`store.office.ledger` — 整改台账;
- :mod:`store.office.plan` — the annual plan suggestion;
- :mod:`store.office.stats` — statistics for the annual 经审 report;
- :mod:`store.office.export` — .xlsx and .csv.

Coverage (:mod:`store.coverage`) lives outside the package because the home screen uses it.
"""
