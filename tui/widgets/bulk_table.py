"""A DataTable that takes thousands of rows at once, for columns whose widths are set.

Textual's ``DataTable.add_rows`` adds rows one by one: each row re-validates the cursor and
wakes the idle handler, and that handler then renders and measures every cell of every new
row to size auto-width columns. For the findings list (2,000 findings of one audit, filtered
and sorted in memory on every key) that was ~140 ms per refill before the first frame. Here
every column has a width set by the screen, rows are one line high and unlabelled, so the
measuring is skipped and the rows are added in one pass.

This reaches into ``DataTable`` internals (``_row_locations``, ``_data``, ``_new_rows``,
``_update_dimensions``); Textual is pinned exactly in pyproject.toml, and
tests/tui_tests/test_bulk_table.py checks the behaviour this relies on (rows, cursor, scrolling,
row selection), so an upgrade that changes them fails there first.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from textual.widgets import DataTable
from textual.widgets._data_table import CellType, Row, RowKey


class BulkTable(DataTable):
    """``DataTable`` whose ``add_rows`` is fast when every column has a fixed width."""

    def _fixed_width(self) -> bool:
        return bool(self.columns) and not any(c.auto_width for c in self.columns.values())

    def add_rows(self, rows: Iterable[Iterable[CellType]]) -> list[RowKey]:
        if not self._fixed_width():
            return super().add_rows(rows)
        names = [str(column.key.value) for column in self.ordered_columns]
        records = []
        for cells in rows:
            values = list(cells)
            if len(values) > len(names):
                raise ValueError("More values provided than there are columns.")
            records.append(dict(zip(names, values + [None] * (len(names) - len(values)))))
        return self.add_records(records)

    def add_records(self, records: Sequence[Mapping[str, CellType]]) -> list[RowKey]:
        """Add one row per mapping of column key to cell. The mappings are kept as they are
        (a screen can build them once and add them again after every filter): do not change
        them afterwards. Column keys are strings, which ``ColumnKey`` hashes and compares as."""
        if not self._fixed_width():
            names = [str(column.key.value) for column in self.ordered_columns]
            return super().add_rows([[r.get(n) for n in names] for r in records])
        start = self.row_count
        keys: list[RowKey] = []
        for index, record in enumerate(records, start):
            key = RowKey(None)
            self._row_locations[key] = index
            self._data[key] = record  # type: ignore[assignment]  # str keys == ColumnKeys
            self.rows[key] = Row(key, 1)  # not in _new_rows: there is nothing to measure
            keys.append(key)
        if not keys:
            return keys
        self._update_count += 1  # before the cursor check reads (and caches) the row offsets
        self._require_update_dimensions = True
        self.cursor_coordinate = self.cursor_coordinate
        if start == 0 and self.show_cursor and self.cursor_type != "none":
            self._highlight_cursor()
        self.check_idle()
        return keys

    def _update_dimensions(self, new_rows: Iterable[RowKey]) -> None:
        if self._fixed_width() and all(
                (row := self.rows.get(key)) is None or (row.label is None and not row.auto_height)
                for key in new_rows):
            # nothing to measure: widths are set, heights are 1; only the virtual size changes
            super()._update_dimensions(())
            return
        super()._update_dimensions(new_rows)
