"""Reading a catalog workbook (.xlsx) into tables: one sheet per table, named like the CSV files."""

from __future__ import annotations

import hashlib
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from planner.errors import Issue
from planner.i18n import _
from planner.loaders.schema import COLUMNS, REQUIRED_TABLES
from planner.loaders.tables import Table, make_table
from planner.loaders.text import near
from planner.loaders.workbooks import read_sheets


def read_workbook(path: Path, issues: list[Issue]) -> tuple[dict[str, Table], str]:
    """The tables of a catalog workbook and its fingerprint (the sha256 of the file)."""
    sheets = read_sheets(path, path.name, wanted=COLUMNS)
    tables: dict[str, Table] = {}
    for name, rows in sheets.rows.items():
        lines = [[_cell_text(v) for v in values] for values in rows]
        table = make_table(name, _("{file}, sheet {sheet}", file=path.name, sheet=name), lines, issues)
        if table is not None:
            tables[name] = table
    for name in REQUIRED_TABLES:
        if name not in sheets.rows:
            issues.append(
                Issue(
                    path.name,
                    _("the required sheet '{name}' is missing{value}.", name=name, value=near(name, sheets.names)),
                )
            )
    return tables, hashlib.sha256(sheets.data).hexdigest()


def _cell_text(value: Any) -> str:
    """A cell as the text a CSV export would hold, so both formats are checked the same way."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        # The user sees 3 in a number cell; some writers store it as 3.0, which is not their typo.
        return str(int(value))
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return str(value)
