"""What makes the workbook reviewable and what a review changed: the Decision column with its
drop-down, the protected Plan sheet with its editable cells, the Changes sheet, and the hidden
marker that lets `planner plan --review` recognise a planner export of the same catalog.

The workbook builder calls `add_review_parts` once every sheet is written.
"""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.styles import Protection
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

import planner
from planner.export import styles
from planner.export.cells import put, write_line, write_table
from planner.model import Catalog
from planner.result import PlanResult
from planner.review_plan import MARKER, MARKER_SHEET, PLAN_HEADERS
from planner.words import review as words

ADDED_ROWS = 200  # rows below the plan that take a decision from the drop-down, for added modules
EDITABLE_HEADERS = ("term", "module_id", "instructor_id")  # besides the Decision column
UNLOCKED = Protection(locked=False)


def add_review_parts(workbook: Workbook, result: PlanResult) -> None:
    """Decision column and protection on the Plan sheet, the Changes sheet (after a review), and
    the export marker."""
    if "Plan" in workbook.sheetnames:
        decision_column(workbook["Plan"])
    if result.problem.review is not None:
        ws = workbook.create_sheet(
            index=workbook.sheetnames.index("Plan") + 1 if "Plan" in workbook.sheetnames else None
        )
        changes_sheet(ws, result)
    mark_export(workbook, result)


def decision_column(ws: Worksheet) -> None:
    """Append the Decision column (a drop-down of lock/drop words), unlock the cells an
    administrator edits (Decision, Term, Instructor ID, and rows below for added modules), and
    protect the rest of the sheet without a password, so a stray edit cannot break the plan."""
    last_row = ws.max_row
    column = ws.max_column + 1
    put(ws, 1, column, words.decision_header())
    ws.cell(row=1, column=column).font = styles.HEADER
    ws.column_dimensions[ws.cell(row=1, column=column).column_letter].width = 14
    for table in ws.tables.values():  # the plan's Excel table takes the new column in
        first, _sep, last = table.ref.partition(":")
        new_last = f"{ws.cell(row=1, column=column).column_letter}{''.join(c for c in last if c.isdigit())}"
        table.ref = f"{first}:{new_last}"
        if table.autoFilter is not None:
            table.autoFilter.ref = table.ref
        table.tableColumns = []  # named from the header row when saved
    editable = [c for c in (column, *(_column_of(ws, key) for key in EDITABLE_HEADERS)) if c is not None]
    bottom = last_row + ADDED_ROWS
    for c in editable:
        # The column's own style unlocks the cells below the plan without creating them, so the
        # sheet still reads back as one clean table.
        ws.column_dimensions[ws.cell(row=1, column=c).column_letter].protection = UNLOCKED
        for row in range(2, last_row + 1):
            ws.cell(row=row, column=c).protection = UNLOCKED
    _decision_list(ws, column, bottom)
    ws.protection.sheet = True
    for allowed in ("formatColumns", "formatRows", "autoFilter", "sort"):
        setattr(ws.protection, allowed, False)  # False: allowed on the protected sheet


def _decision_list(ws: Worksheet, column: int, bottom: int) -> None:
    letter = ws.cell(row=1, column=column).column_letter
    lock, drop = words.decision_values()
    validation = DataValidation(
        type="list",
        formula1=f'"{lock},{drop}"',
        allow_blank=True,
        showErrorMessage=True,
        showInputMessage=True,
        promptTitle=words.decision_header()[:32],
        prompt=words.decision_prompt()[:255],
        errorTitle=words.decision_header()[:32],
        error=words.decision_error()[:225],
    )
    validation.add(f"{letter}2:{letter}{bottom}")
    ws.add_data_validation(validation)


def _column_of(ws: Worksheet, key: str) -> int | None:
    """The column whose header is the Plan sheet's pinned header for `key`, in either language."""
    names = PLAN_HEADERS[key]
    for cell in ws[1]:
        if cell.value in names:
            return cell.column
    return None


def mark_export(workbook: Workbook, result: PlanResult) -> None:
    """A very hidden sheet naming the planner and the catalog's fingerprint, so a review can be
    recognised as this planner's export of the same catalog."""
    ws = workbook.create_sheet(MARKER_SHEET)
    problem = result.problem
    for row, (key, value) in enumerate(
        (
            ("marker", MARKER),
            ("catalog_fingerprint", problem.catalog.fingerprint),
            ("scenario", problem.scenario.name),
            ("terms", problem.terms),
            ("planner_version", planner.__version__),
        ),
        start=1,
    ):
        put(ws, row, 1, key)
        put(ws, row, 2, value)
    ws.freeze_panes = "A2"
    ws.sheet_state = "veryHidden"


def changes_sheet(ws: Worksheet, result: PlanResult) -> None:
    """Every change against the reviewed plan, with its reason: a decision row, or re-optimised."""
    ws.title = words.changes_title()
    review = result.problem.review
    assert review is not None
    catalog = result.problem.catalog
    row = write_line(ws, 1, words.changes_heading(review.file), styles.TITLE)
    row = write_line(ws, row, words.changes_summary(len(result.changes), len(review.decisions)))
    headers = words.changes_headers()
    rows = [
        (
            words.change_kind(c.kind),
            c.module_id,
            catalog.module_by_id[c.module_id].name if c.module_id in catalog.module_by_id else None,
            c.term_before,
            c.term_now,
            _named(catalog, c.instructor_before),
            _named(catalog, c.instructor_now),
            words.change_reason(c.reason),
        )
        for c in result.changes
    ]
    centred = {header: styles.CENTER for header in headers[3:5]}
    write_table(ws, row + 1, 1, headers, rows, "Changes", none_text=words.no_changes(), align=centred)
    ws.freeze_panes = f"A{row + 2}"


def _named(catalog: Catalog, instructor_id: str | None) -> str | None:
    """A teacher as a person reads it: the id and the name."""
    if instructor_id is None:
        return None
    instructor = catalog.instructor_by_id.get(instructor_id)
    return f"{instructor_id} {instructor.name}" if instructor else instructor_id
