"""Exports reopened and checked cell by cell: values, number formats, headers, frozen panes."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from office_scenario import Scenario, build_scenario
from store.office.export import write_csv, write_xlsx
from store.office.tables import all_tables

TODAY = date(2025, 6, 30)
LEDGER_HEADERS = [
    "被审计单位", "审计类型", "审计开始日期", "检查项目", "审计发现问题", "问题性质",
    "违规金额（元）", "管理不规范金额（元）", "审计建议", "整改方式", "整改期限", "整改状态",
    "逾期天数", "联系人", "联系电话", "回访次数", "最近回访", "销号人", "销号日期", "问题编号"]
COVERAGE_HEADERS = ["被审计单位", "所在企业", "直管", "最近审计日期", "最近审计类型",
                    "下次应审日期", "逾期天数", "覆盖状态", "已安排审计", "未完成整改问题数"]


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Scenario, Path, list[Path]]:
    tmp = tmp_path_factory.mktemp("export")
    sc = build_scenario(tmp / "office.db")
    tables = all_tables(sc.store, TODAY, 2025)
    xlsx = write_xlsx(tables, tmp / "报表.xlsx")
    csvs = write_csv(tables, tmp / "csv")
    yield sc, xlsx, csvs
    sc.store.close()


def _row(ws, indicator: str) -> tuple:
    for row in ws.iter_rows(min_row=2):
        if row[1].value == indicator:
            return row
    raise AssertionError(f"no row {indicator!r}")


def test_workbook_has_one_sheet_per_table_with_frozen_bold_headers(exported) -> None:
    _, xlsx, _ = exported
    wb = load_workbook(xlsx)
    assert wb.sheetnames == ["整改台账", "审计覆盖", "年度统计", "回访记录", "口径说明"]
    for ws in wb:
        assert ws.freeze_panes == "A2", ws.title
        assert all(c.font.bold for c in ws[1])
    assert [c.value for c in wb["整改台账"][1]] == LEDGER_HEADERS
    assert [c.value for c in wb["审计覆盖"][1]] == COVERAGE_HEADERS
    assert [c.value for c in wb["年度统计"][1]] == [
        "类别", "指标", "2025年（截至2025-06-30）", "2024年（截至2024-06-30）", "增减"]


def test_ledger_cells_are_typed_numbers_and_dates(exported) -> None:
    sc, xlsx, _ = exported
    ws = load_workbook(xlsx)["整改台账"]
    assert ws.max_row == 7  # header + 6 findings
    ids = [ws.cell(row=r, column=20).value for r in range(2, 8)]
    assert ids == [sc[k] for k in ("F2", "F4", "F1", "F5", "F6", "F3")]
    f2 = [c for c in ws[2]]
    assert [c.value for c in f2[:6]] == ["甲公司工会委员会", "经费收支审计",
                                          datetime(2024, 3, 4), "E1", "问题F2", "违纪违规"]
    assert f2[2].number_format == "yyyy-mm-dd" and f2[10].number_format == "yyyy-mm-dd"
    assert (f2[6].value, f2[6].number_format) == (2000, "#,##0.00")  # 200,000 fen
    assert (f2[7].value, f2[7].number_format) == (0, "#,##0.00")
    assert f2[6].data_type == "n"  # a number, not text
    assert [c.value for c in f2[8:17]] == ["建议追回超标准部分", "限期整改", datetime(2024, 5, 3),
                                           "部分整改", 423, "甲会计", "0550-1234567", 0, None]
    f4 = ws[3]
    assert (f4[7].value, f4[12].value) == (300, 181)  # 2024-12-31 → 2025-06-30
    f1 = ws[4]
    assert [c.value for c in f1[15:19]] == [1, datetime(2024, 6, 10), "王建华",
                                            datetime(2024, 6, 10)]
    assert Decimal(str(f1[6].value)) == Decimal("10000.00")


def test_coverage_cells(exported) -> None:
    _, xlsx, _ = exported
    ws = load_workbook(xlsx)["审计覆盖"]
    rows = {r[0].value: r for r in ws.iter_rows(min_row=2)}
    jia = rows["甲公司工会委员会"]
    assert [c.value for c in jia] == ["甲公司工会委员会", "甲公司", "是", datetime(2024, 3, 4),
                                      "经费收支审计", datetime(2027, 3, 4), 0, "周期内", None, 2]
    assert jia[5].number_format == "yyyy-mm-dd" and jia[9].number_format == "0"
    assert [c.value for c in rows["丙公司工会委员会"]][2:8] == ["是", None, None, None, 0, "从未审计"]
    assert rows["丁公司工会委员会"][2].value == "否"
    assert rows["乙公司工会委员会"][8].value == datetime(2025, 11, 3)


def test_statistics_cells_with_money_rates_and_changes(exported) -> None:
    _, xlsx, _ = exported
    ws = load_workbook(xlsx)["年度统计"]
    money = _row(ws, "审计资金总额（元）")
    assert [c.value for c in money[2:]] == [80000, 50000, 30000]
    assert {c.number_format for c in money[2:]} == {"#,##0.00"}
    assert [c.value for c in _row(ws, "实施审计项目数")[2:]] == [1, 2, -1]
    assert [c.value for c in _row(ws, "专项资金审计")[2:]] == [0, 1, -1]
    assert [c.value for c in _row(ws, "追缴漏缴工会经费（元）")[2:]] == [800, 10000, -9200]
    assert [c.value for c in _row(ws, "提出审计建议数")[2:]] == [1, 3, -2]
    rate = _row(ws, "问题整改率")
    assert [c.value for c in rate[2:]] == [1, 0.3333, 66.7]
    assert [c.number_format for c in rate[2:]] == ["0.0%", "0.0%", "+0.0;-0.0;0.0"]
    assert [c.value for c in _row(ws, "金额整改率")[2:]] == [1, 0.8, 20]
    assert [c.value for c in _row(ws, "D 收入：问题数")[2:]] == [1, 1, 0]
    assert [c.value for c in _row(ws, "SA 资金来源与拨付：金额（元）")[2:]] == [0, 300, -300]
    share = _row(ws, "审计覆盖率")
    assert (share[2].value, share[2].number_format, share[3].value) == (0.75, "0.0%", None)


def test_csv_files_match_the_sheets(exported) -> None:
    sc, _, csvs = exported
    assert [p.name for p in csvs] == ["整改台账.csv", "审计覆盖.csv", "年度统计.csv",
                                      "回访记录.csv", "口径说明.csv"]
    raw = csvs[0].read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads the Chinese correctly
    with csvs[0].open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == LEDGER_HEADERS
    assert rows[1][:13] == ["甲公司工会委员会", "经费收支审计", "2024-03-04", "E1", "问题F2",
                            "违纪违规", "2000.00", "0.00", "建议追回超标准部分", "限期整改",
                            "2024-05-03", "部分整改", "423"]
    assert rows[1][19] == sc["F2"]
    with csvs[2].open(encoding="utf-8-sig", newline="") as fh:
        stats = {r[1]: r[2:] for r in csv.reader(fh)}
    assert stats["问题整改率"] == ["100.0%", "33.3%", "+66.7"]
    assert stats["审计资金总额（元）"] == ["80000.00", "50000.00", "30000.00"]
    with csvs[3].open(encoding="utf-8-sig", newline="") as fh:
        visits = list(csv.reader(fh))
    assert visits[1] == ["甲公司工会委员会", "问题F1", "", "2024-06-10", "实地", "王建华",
                         "已补缴，凭证齐全", ""]


def _cli(*args: str, home: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "FIELDAUDIT_HOME": str(home)}
    env.pop("FIELDAUDIT_LANG", None)
    return subprocess.run([sys.executable, "-m", "tui.cli", *args], capture_output=True,
                          text=True, env=env, timeout=120)


def test_export_command_writes_xlsx_and_csv_next_to_it(tmp_path: Path) -> None:
    sc = build_scenario(tmp_path / "office.db")
    sc.store.close()
    out = tmp_path / "out" / "青山县2025.xlsx"
    out.parent.mkdir()
    r = _cli("export", "--db", str(tmp_path / "office.db"), "--out", str(out),
             "--today", "2025-06-30", "--year", "2025", home=tmp_path)
    assert r.returncode == 0, r.stderr
    assert sorted(p.name for p in out.parent.iterdir()) == sorted(
        ["青山县2025.xlsx"] + [f"青山县2025-{n}.csv" for n in
                              ("整改台账", "审计覆盖", "年度统计", "回访记录", "口径说明")])
    assert "已写入" in r.stdout
    wb = load_workbook(out)
    assert wb["整改台账"]["G2"].value == 2000 and wb["整改台账"]["G2"].number_format == "#,##0.00"
    r = _cli("export", "--db", str(tmp_path / "office.db"), "--csv", str(tmp_path / "c"),
             "--today", "2025-06-30", home=tmp_path)
    assert r.returncode == 0 and (tmp_path / "c" / "整改台账.csv").exists()


@pytest.mark.parametrize("args, message", [
    ((), "--out"),
    (("--out", "x.csv"), ".xlsx"),
    (("--out", "/nonexistent/dir/x.xlsx"), "目录不存在"),
    (("--out", "x.xlsx", "--today", "2025-13-01"), "月"),
    (("--out", "x.xlsx", "--year", "25"), "年份"),
])
def test_export_command_errors_are_one_line(tmp_path: Path, args: tuple, message: str) -> None:
    sc = build_scenario(tmp_path / "office.db")
    sc.store.close()
    r = _cli("export", "--db", str(tmp_path / "office.db"), *args, home=tmp_path)
    assert r.returncode == 2 and message in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.stderr


def test_report_commands_print_text_and_json(tmp_path: Path) -> None:
    import json

    sc = build_scenario(tmp_path / "office.db")
    sc.store.close()
    db = str(tmp_path / "office.db")
    r = _cli("ledger", "--db", db, "--today", "2025-01-02", "--json", home=tmp_path)
    data = json.loads(r.stdout)
    assert data["rates"]["issue_rate"] == {"num": 1, "den": 4, "percent": "25.0"}
    assert [f["overdue_days"] for f in data["findings"]][:2] == [244, 2]
    r = _cli("ledger", "--db", db, "--today", "2025-01-02", home=tmp_path)
    assert "问题整改率 25.0%" in r.stdout and "应整改问题：" in r.stdout
    r = _cli("coverage", "--db", db, "--today", "2025-06-30", "--json", home=tmp_path)
    assert json.loads(r.stdout)["totals"]["share"]["percent"] == "75.0"
    r = _cli("plan", "--db", db, "--today", "2025-06-30", "--year", "2026", home=tmp_path)
    assert r.returncode == 0 and "丙公司工会委员会" in r.stdout and "从未审计" in r.stdout
    r = _cli("stats", "--db", db, "--today", "2025-06-30", "--json", home=tmp_path)
    stats = json.loads(r.stdout)
    assert stats["year"]["audited_fen"] == 8_000_000 and stats["previous"]["audits"] == 2
    assert len(stats["rate_by_month"]) == 6
