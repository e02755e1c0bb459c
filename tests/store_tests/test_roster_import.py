"""Roster import: Chinese headers, .csv and .xlsx, all rows or none, errors by row number."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

from store.credit_code import make_credit_code
from store.errors import InvalidInput
from store.roster_import import RosterRejected, import_roster
from store.units import list_units

HEADER = ["工会名称", "企业名称", "统一社会信用代码", "工会主席", "会员人数", "职工人数",
          "年度工资总额（元）", "是否独立账户", "小微企业"]


def _code(n: int) -> str:
    return make_credit_code(f"81341822MA{n:07d}")


def _rows() -> list[list[str]]:
    return [
        ["丙公司工会委员会", "丙公司", _code(11), "赵一", "45", "50", "3,600,000.00", "是", "否"],
        ["丁公司工会委员会", "丁公司", _code(12), "钱二", "120", "130", "１２３４５６７", "否", "否"],
    ]


def _csv(path: Path, rows: list[list[str]], encoding: str = "utf-8-sig") -> Path:
    text = "\n".join(",".join(f'"{c}"' for c in r) for r in [HEADER, *rows])
    path.write_text(text, encoding=encoding)
    return path


def test_csv_import_converts_money_and_flags(county_db, tmp_path: Path) -> None:
    n = import_roster(county_db, None, _csv(tmp_path / "r.csv", _rows()))
    assert n == 2
    units = {u.enterprise: u for u in list_units(county_db)}
    assert units["丙公司"].payroll_fen == 360_000_000
    assert units["丁公司"].payroll_fen == 1_234_567_00
    assert units["丁公司"].own_account is False and units["丙公司"].own_account is True


def test_gbk_csv_is_read(county_db, tmp_path: Path) -> None:
    assert import_roster(county_db, None, _csv(tmp_path / "g.csv", _rows(), "gb18030")) == 2


def test_xlsx_import(county_db, tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(HEADER)
    for r in _rows():
        ws.append([*r[:4], int(r[4]), int(r[5]), 3600000.5, *r[7:]])
    wb.save(tmp_path / "r.xlsx")
    assert import_roster(county_db, None, tmp_path / "r.xlsx") == 2
    assert {u.payroll_fen for u in list_units(county_db) if u.enterprise in ("丙公司", "丁公司")} == {
        360_000_050}


def test_bad_rows_are_reported_by_number_and_nothing_is_imported(county_db, tmp_path) -> None:
    rows = _rows() + [
        ["戊公司工会委员会", "戊公司", _code(13)[:-1] + "0" if not _code(13).endswith("0")
         else _code(13)[:-1] + "1", "", "10", "10", "100", "是", "否"],
        ["己公司工会委员会", "己公司", _code(14), "", "十", "10", "100", "是", "否"],
        ["庚公司工会委员会", "庚公司", _code(15), "", "10", "10", "-5", "是", "否"],
        ["辛公司工会委员会", "辛公司", _code(11), "", "10", "10", "100", "是", "否"],
    ]
    before = len(list_units(county_db))
    with pytest.raises(RosterRejected) as err:
        import_roster(county_db, None, _csv(tmp_path / "bad.csv", rows))
    assert [e.row for e in err.value.errors] == [4, 5, 6, 7]
    text = str(err.value)
    assert "第 4 行" in text and "统一社会信用代码" in text
    assert "第 5 行" in text and "会员人数" in text
    assert "第 6 行" in text
    assert "第 7 行" in text and "第 2 行" in text  # duplicate within the file
    assert len(list_units(county_db)) == before


def test_missing_required_column(county_db, tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    path.write_text("工会名称,地址\n甲,乙\n", encoding="utf-8")
    with pytest.raises(RosterRejected) as err:
        import_roster(county_db, None, path)
    assert "企业名称" in str(err.value) and "统一社会信用代码" in str(err.value)


def test_already_registered_code_is_refused(county_db, tmp_path: Path) -> None:
    existing = list_units(county_db)[0]
    rows = [["x工会", "x", existing.credit_code, "", "1", "1", "1", "是", "否"]]
    with pytest.raises(RosterRejected) as err:
        import_roster(county_db, None, _csv(tmp_path / "d.csv", rows))
    assert existing.name in str(err.value)


def test_unsupported_file_type(county_db, tmp_path: Path) -> None:
    path = tmp_path / "roster.txt"
    path.write_text("x")
    with pytest.raises(InvalidInput) as err:
        import_roster(county_db, None, path)
    assert ".xlsx" in str(err.value)
