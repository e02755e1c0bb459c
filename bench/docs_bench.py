"""Documents benchmark: printing audit notices and reports, against a one-line reportlab page.

On a scratch copy of the sample county (``FIELDAUDIT_HOME`` in a temporary folder, so nothing
of the user's is touched) it measures, after the fonts are loaded once:

- **baseline**: a one-line A4 page drawn with reportlab's canvas in the same 仿宋-role
  TrueType face, saved to a file (the least a PDF page costs on this machine);
- **notice**: ``print_document`` of one 审计通知书 (read the audit, build, lay out 6 pages,
  render, embed font subsets, write), median of ``--repeat`` prints;
- **report**: the same for a 审计报告 of an audit with 20 findings;
- **100 notices**: 100 planned audits each printed once (a new 发文字号 every time), total.

It prints each median in seconds and as a ratio to the baseline, and the targets: a notice
under 0.3 s once fonts are loaded, 100 notices under 15 s. Not a test: nothing is asserted.

    .venv/bin/python bench/docs_bench.py            # about half a minute
    .venv/bin/python bench/docs_bench.py --repeat 5
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

NOTICE_TARGET = 0.3
HUNDRED_TARGET = 15.0
ON = date(2026, 11, 23)


def timed(fn, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15, help="prints per median")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="docs-bench-"))
    os.environ["FIELDAUDIT_HOME"] = str(work / "home")
    try:
        run(work, args.repeat)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def run(work: Path, repeat: int) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    from store import paths
    from store.audits import create_audit, list_audits
    from store.db import AuditStore
    from store.documents.fonts import FontRole
    from store.documents.printing import DocKind, default_fonts, print_document
    from store.enums import AuditType
    from store.findings import add_finding, list_findings
    from store.units import list_units

    db = work / "county.db"
    shutil.copyfile(paths.sample_db_path(), db)

    start = time.perf_counter()
    fonts = default_fonts()
    font_load = time.perf_counter() - start
    face = next(fonts.faces(FontRole.FANGSONG))
    print(f"fonts: {', '.join(f'{r.value}={next(fonts.faces(r)).path.name}' for r in FontRole)}"
          f" loaded in {font_load:.2f} s")

    out = work / "out"
    out.mkdir()

    def baseline() -> None:
        canvas = Canvas(str(out / "baseline.pdf"), pagesize=A4)
        canvas.setFont(face.name, 16)
        canvas.drawString(80, 700, "关于对某某公司工会委员会进行经费收支审计的通知")
        canvas.showPage()
        canvas.save()

    with AuditStore.open(db) as store:
        audits = list_audits(store)
        notice_audit = next(a.id for a in audits if a.status == "planned")
        source = max(audits, key=lambda a: a.findings)
        found = list_findings(store, source.id)
        template = store.query("SELECT template_id, template_version, leader_id FROM audits "
                               "WHERE id = ?", [source.id])[0]
        units = list_units(store)

        def new_audit(unit_id: str, start_day: date) -> str:
            return create_audit(
                store, None, unit_id=unit_id, type=AuditType.REVENUE, period_from=2026,
                period_to=2026, leader_id=template["leader_id"], members=[],
                planned_start=start_day, planned_end=start_day + timedelta(days=4),
                template_id=template["template_id"],
                template_version=template["template_version"]).id or ""

        report_audit = new_audit(units[0].id, date(2027, 3, 1))
        for i in range(20):
            f = found[i % len(found)]
            add_finding(store, None, audit_id=report_audit, title=f.title, facts=f.facts,
                        violation_fen=f.violation_fen, irregular_fen=f.irregular_fen,
                        nature=f.nature, basis=f.basis, recommendation=f.recommendation,
                        rectify_mode=f.rectify_mode)
        hundred = [new_audit(units[i % len(units)].id, date(2027, 4, 5) + timedelta(days=i))
                   for i in range(100)]

        timed(baseline, 3)  # warm the font subsetter and the file system
        base = statistics.median(timed(baseline, repeat * 2))

        def notice() -> None:
            print_document(store, None, DocKind.NOTICE, notice_audit, out / "notice.pdf", ON,
                           fonts=fonts)

        def report() -> None:
            print_document(store, None, DocKind.REPORT, report_audit, out / "report.pdf", ON,
                           fonts=fonts)

        first_notice = timed(notice, 1)[0]  # allocates the number
        notice_t = statistics.median(timed(notice, repeat))
        report_pages = print_document(store, None, DocKind.REPORT, report_audit,
                                      out / "report.pdf", ON, fonts=fonts).pages
        report_t = statistics.median(timed(report, repeat))

        start = time.perf_counter()
        for i, audit_id in enumerate(hundred):
            print_document(store, None, DocKind.NOTICE, audit_id, out / f"n{i:03d}.pdf", ON,
                           fonts=fonts)
        hundred_t = time.perf_counter() - start

    ok = lambda good: "ok" if good else "MISSED"  # noqa: E731
    print(f"baseline one-line page     {base * 1000:8.1f} ms   1.0×")
    print(f"notice (6 pages)           {notice_t * 1000:8.1f} ms {notice_t / base:6.1f}×   "
          f"target < {NOTICE_TARGET * 1000:.0f} ms: {ok(notice_t < NOTICE_TARGET)}"
          f"   (first print, numbering it: {first_notice * 1000:.1f} ms)")
    print(f"report, 20 findings ({report_pages} p) {report_t * 1000:8.1f} ms "
          f"{report_t / base:6.1f}×")
    print(f"100 notices (new numbers)  {hundred_t:8.2f} s  {hundred_t / 100 / base:6.1f}× each"
          f"   target < {HUNDRED_TARGET:.0f} s: {ok(hundred_t < HUNDRED_TARGET)}")


if __name__ == "__main__":
    main()
