"""What both catalog formats are turned into: tables of text cells, rows numbered as a spreadsheet counts."""

from __future__ import annotations

from dataclasses import dataclass, field

from planner.errors import Issue
from planner.i18n import _
from planner.loaders.clock import ROWS_BETWEEN_CHECKS, check_time
from planner.loaders.text import MAX_CELL_CHARACTERS, clip

# --- tables: what both formats are turned into -----------------------------------------------


@dataclass
class Row:
    """One data row: its spreadsheet number and its cells by column name (missing columns absent)."""

    number: int
    cells: dict[str, str]


@dataclass
class Table:
    name: str  # the file stem / sheet name, e.g. "modules"
    label: str  # how messages name it: "modules.csv" or "catalog.xlsx, sheet modules"
    columns: list[str]
    rows: list[Row] = field(default_factory=list)


def make_table(name: str, label: str, lines: list[list[str]], issues: list[Issue]) -> Table | None:
    """Build a table from rows of text cells; the first row is the header (spreadsheet row 1)."""
    if not lines or all(cell.strip() == "" for cell in lines[0]):
        issues.append(Issue(label, _("the first row must be the header row with the column names, but it is empty.")))
        return None
    header = lines[0]
    position: dict[str, int] = {}
    for index, column in enumerate(header):
        if column == "":
            continue  # spreadsheets often carry empty trailing columns; they hold nothing to read
        if column in position:
            issues.append(
                Issue(
                    label,
                    _("the column '{column}' appears more than once.", column=clip(column)),
                    row=1,
                    column=column,
                )
            )
            continue
        position[column] = index
    table = Table(name, label, list(position))
    for number, cells in enumerate(lines[1:], start=2):
        if number % ROWS_BETWEEN_CHECKS == 0:
            check_time(label)
        if all(cell.strip() == "" for cell in cells):
            continue  # a blank row holds no entity; later rows keep their spreadsheet numbers
        padded = cells + [""] * (len(header) - len(cells))
        row = Row(number, {column: padded[index] for column, index in position.items()})
        _overlong_cells(row, label, issues)
        table.rows.append(row)
    return table


def _overlong_cells(row: Row, label: str, issues: list[Issue]) -> None:
    """A cell longer than a spreadsheet cell can hold is a mistake, and the export could not show it."""
    for column, value in row.cells.items():
        if len(value) > MAX_CELL_CHARACTERS:
            issues.append(
                Issue(
                    label,
                    _(
                        "the cell holds {count:,} characters; a cell holds at most {most:,} (Excel's limit).",
                        count=len(value),
                        most=MAX_CELL_CHARACTERS,
                    ),
                    row=row.number,
                    column=column,
                )
            )
            row.cells[column] = value[:MAX_CELL_CHARACTERS]  # reported; kept short so later messages stay short
