"""Import a roster of grassroots unions from .csv or .xlsx with Chinese column headers.

All or nothing: every row is validated first (including duplicate credit codes within the
file and against the database); if any row is bad, nothing is written and every bad row is
reported by its row number (as the user sees it in Excel: the header is row 1) and reason.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from store.errors import FieldAuditError, InvalidInput
from store.i18n import t
from store.models import Unit
from store.money import parse_yuan
from store.units import add_units, list_units
from store.validation import build

if TYPE_CHECKING:
    from store.db import AuditStore

# Column header (and common variants) → Unit field.
HEADERS: dict[str, str] = {
    "工会名称": "name", "基层工会名称": "name", "基层工会": "name",
    "企业名称": "enterprise", "单位名称": "enterprise", "所在单位": "enterprise",
    "统一社会信用代码": "credit_code", "信用代码": "credit_code", "工会统一社会信用代码": "credit_code",
    "地址": "address", "单位地址": "address",
    "工会主席": "chairman", "主席": "chairman",
    "财务联系人": "finance_contact", "财务人员": "finance_contact",
    "联系电话": "phone", "电话": "phone",
    "会员人数": "member_count", "会员数": "member_count",
    "职工人数": "staff_count", "职工数": "staff_count",
    "年度工资总额": "payroll_fen", "工资总额": "payroll_fen", "年度工资总额（元）": "payroll_fen",
    "工资总额（元）": "payroll_fen", "年度工资总额(元)": "payroll_fen",
    "独立账户": "own_account", "是否独立账户": "own_account", "独立银行账户": "own_account",
    "小微企业": "small_micro", "是否小微企业": "small_micro",
    "直管": "directly_managed", "是否直管": "directly_managed",
}
REQUIRED = ("name", "enterprise", "credit_code")
_YES = {"是", "有", "y", "yes", "true", "1", "√", "✓"}
_NO = {"否", "无", "n", "no", "false", "0", "×"}


@dataclass(frozen=True)
class RowError:
    row: int
    reason: str

    def __str__(self) -> str:
        return t("roster.row_error", row=self.row, reason=self.reason)


class RosterRejected(FieldAuditError):
    """The file had bad rows; nothing was imported."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__("roster.rejected", n=len(errors),
                         details="\n".join(str(e) for e in errors))
        self.errors = errors


def read_table(path: Path) -> list[list[str]]:
    """Rows of cells as text; the first row is the header."""
    suffix = path.suffix.lower()
    if not path.is_file():
        raise InvalidInput("roster.not_found", path=str(path))
    if suffix == ".csv":
        raw = path.read_bytes()
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = raw.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise InvalidInput("roster.encoding", path=str(path))
        return [row for row in csv.reader(text.splitlines())]
    if suffix in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        try:
            wb = load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many types for a bad file
            raise InvalidInput("roster.bad_xlsx", path=str(path), detail=str(exc)) from exc
        sheet = wb.worksheets[0]
        rows = [["" if c is None else _cell_text(c) for c in r]
                for r in sheet.iter_rows(values_only=True)]
        wb.close()
        return rows
    raise InvalidInput("roster.bad_type", path=str(path))


def _cell_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def parse_roster(rows: list[list[str]]) -> tuple[list[tuple[int, Unit]], list[RowError]]:
    """Validated units with their row numbers, and the errors of the bad rows."""
    if not rows:
        return [], [RowError(1, t("roster.no_header"))]
    header = [h.strip() for h in rows[0]]
    columns: dict[int, str] = {}
    for i, name in enumerate(header):
        if name in HEADERS:
            columns[i] = HEADERS[name]
    missing = [f for f in REQUIRED if f not in columns.values()]
    if missing:
        labels = "、".join(t(f"fields.{f}") for f in missing)
        return [], [RowError(1, t("roster.missing_columns", columns=labels))]
    units: list[tuple[int, Unit]] = []
    errors: list[RowError] = []
    seen: dict[str, int] = {}
    for number, cells in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in cells):
            continue
        try:
            data = {field: _convert(field, cells[i] if i < len(cells) else "")
                    for i, field in columns.items()}
            unit = build(Unit, **data)
        except FieldAuditError as err:
            errors.append(RowError(number, err.message()))
            continue
        if unit.credit_code in seen:
            errors.append(RowError(number, t("roster.duplicate_in_file", code=unit.credit_code,
                                             other=seen[unit.credit_code])))
            continue
        seen[unit.credit_code] = number
        units.append((number, unit))
    return units, errors


def _convert(field: str, text: str) -> Any:
    text = text.strip()
    if field == "payroll_fen":
        return parse_yuan(text) if text else 0
    if field in ("member_count", "staff_count"):
        if not text:
            return 0
        if not text.isdigit():
            raise InvalidInput("validation.field", field=t(f"fields.{field}"),
                               problem=t("validation.not_integer", input=text))
        return int(text)
    if field in ("own_account", "small_micro", "directly_managed"):
        low = text.lower()
        if not text:
            return Unit.model_fields[field].default
        if low in _YES:
            return True
        if low in _NO:
            return False
        raise InvalidInput("validation.field", field=t(f"fields.{field}"),
                           problem=t("validation.not_bool", input=text))
    return text


def import_roster(store: AuditStore, acting: str | None, path: Path) -> int:
    """Validate the whole file, then insert all its units in one transaction."""
    units, errors = parse_roster(read_table(path))
    known = {u.credit_code: u.name for u in list_units(store)}
    for number, unit in units:
        if unit.credit_code in known:
            errors.append(RowError(number, t(
                "units.duplicate_code", code=unit.credit_code, name=known[unit.credit_code])))
    if errors:
        raise RosterRejected(sorted(errors, key=lambda e: e.row))
    if not units:
        raise InvalidInput("roster.empty", path=str(path))
    add_units(store, acting, [unit for _, unit in units])
    return len(units)
