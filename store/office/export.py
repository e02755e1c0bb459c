"""Excel (.xlsx) and CSV exports of the office tables.

Excel: one sheet per table, headers in the first row (bold, frozen, filterable); money as
numbers in yuan (``Decimal(fen)/100``, never float arithmetic) with the format ``#,##0.00``;
dates as real dates (``yyyy-mm-dd``); rates as fractions with ``0.0%``; counts as integers.

CSV: one UTF-8 file per table with a byte-order mark (so Excel on Windows reads the Chinese
correctly), money as plain yuan with two decimals, dates ISO, rates as ``91.2%``.

Files are written to a temporary name and renamed, so a failed export never leaves half a file.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from store.money import fen_to_decimal
from store.office.rates import Rate
from store.office.tables import Money, Points, Table

MONEY_FORMAT = "#,##0.00"
DATE_FORMAT = "yyyy-mm-dd"
RATE_FORMAT = "0.0%"
POINTS_FORMAT = "+0.0;-0.0;0.0"
INT_FORMAT = "0"


def excel_cell(value: Any) -> tuple[Any, str | None]:
    """(value openpyxl writes, number format) for a table cell."""
    if isinstance(value, Money):
        return fen_to_decimal(value.fen), MONEY_FORMAT
    if isinstance(value, Rate):
        return value.fraction(), RATE_FORMAT
    if isinstance(value, Points):
        return value.value, POINTS_FORMAT
    if isinstance(value, bool):
        return int(value), INT_FORMAT
    if isinstance(value, int):
        return value, INT_FORMAT
    if isinstance(value, date):
        return value, DATE_FORMAT
    return value, None


def csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Money):
        return str(fen_to_decimal(value.fen))
    if isinstance(value, Rate):
        return "" if not value.defined else value.text()
    if isinstance(value, Points):
        return f"{value.value:+}"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def write_xlsx(tables: Sequence[Table], path: Path | str) -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    path = Path(path)
    wb = Workbook()
    wb.remove(wb.active)
    for table in tables:
        ws = wb.create_sheet(table.title[:31])
        ws.append(table.headers)
        for cell in ws[1]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(horizontal="center", vertical="center")
        for row in table.rows:
            values, formats = zip(*(excel_cell(v) for v in row), strict=True) if row else ((), ())
            ws.append(list(values))
            for cell, fmt in zip(ws[ws.max_row], formats, strict=True):
                if fmt:
                    cell.number_format = fmt
        ws.freeze_panes = "A2"
        last = get_column_letter(len(table.headers))
        ws.auto_filter.ref = f"A1:{last}{max(1, ws.max_row)}"
        for i, width in enumerate(table.widths, start=1):
            ws.column_dimensions[get_column_letter(i)].width = width
    tmp = path.with_name(path.name + ".tmp")
    try:
        wb.save(tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


def write_csv(tables: Sequence[Table], directory: Path | str, prefix: str = "") -> list[Path]:
    """One CSV per table in ``directory``, named ``<prefix><sheet title>.csv``."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for table in tables:
        path = directory / f"{prefix}{table.title}.csv"
        tmp = path.with_name(path.name + ".tmp")
        try:
            with tmp.open("w", encoding="utf-8-sig", newline="") as fh:
                out = csv.writer(fh)
                out.writerow(table.headers)
                out.writerows([csv_cell(v) for v in row] for row in table.rows)
            os.replace(tmp, path)
        finally:
            tmp.unlink(missing_ok=True)
        written.append(path)
    return written
