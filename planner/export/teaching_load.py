"""The Carga horaria sheet: what each teacher teaches in each period, as an administrator assigns it.

For every teacher and period: one row per module with its groups (dual groups marked) and weekly
hours, then the period's total row: hours committed to the campus's other careers
(commitments.csv), the total against the contract's floor and cap, and the cost of the plan's
hours. A dual group needs its teacher for the module's school part only.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from openpyxl.worksheet.worksheet import Worksheet

from planner.export import styles
from planner.export.cells import flag_word, write_line, write_table
from planner.export.labels import period_name
from planner.export.printing import header_on_every_page
from planner.i18n import _
from planner.model import per_week
from planner.result import InstructorLoad, Placement, PlanResult


def teaching_load_sheet(ws: Worksheet, result: PlanResult) -> None:
    ws.title = _("Teaching load")
    row = write_line(ws, 1, _("Teaching load per teacher and period"), styles.TITLE)
    if not result.problem.instructors:
        write_line(ws, row, _("The catalog has no instructors, so the plan assigns none and has no loads to show."))
        return
    weeks = result.problem.scenario.weeks_per_term
    row = write_line(
        ws,
        row,
        _(
            "Hours per week = hours per term / {weeks} weeks. Committed hours are those a teacher already "
            "teaches in the campus's other careers; a dual group (marked D) needs its teacher for the "
            "school part of the module only.",
            weeks=weeks,
        ),
    )
    headers = load_headers()
    rows, totals = load_rows(result)
    top = row + 1
    end = write_table(
        ws,
        top,
        1,
        headers,
        rows,
        "TeachingLoad",
        dict.fromkeys(headers[5:8], styles.PER_WEEK) | {headers[10]: styles.MONEY},
        _("No teacher has groups in this plan."),
        align={headers[2]: styles.CENTER, headers[4]: styles.CENTER, headers[8]: styles.CENTER},
    )
    for offset in totals:
        for column in range(1, len(headers) + 1):
            ws.cell(row=top + offset, column=column).font = styles.TOTAL
    flag_word(ws, top + 1, end - 1, headers.index(_("Contract")) + 1, (_("above the cap"), _("below the floor")))
    header_on_every_page(ws, top)


def load_headers() -> tuple[str, ...]:
    return (
        _("Instructor"),
        _("Period"),
        _("Term"),
        _("Module"),
        _("Groups"),
        _("Plan h/week"),
        _("Committed h/week"),
        _("Total h/week"),
        _("Contract h/week"),
        _("Contract"),
        _("Cost"),
    )


def load_rows(result: PlanResult) -> tuple[list[tuple[Any, ...]], list[int]]:
    """Module rows and, after each teacher's period, its total row (whose 1-based offsets are returned)."""
    problem = result.problem
    scenario = problem.scenario
    weeks = scenario.weeks_per_term
    catalog = problem.catalog
    taught: dict[tuple[str, int], list[tuple[Placement, list[int]]]] = defaultdict(list)
    for p in sorted(result.placements, key=lambda p: (p.term, p.module_id)):
        groups: dict[str, list[int]] = defaultdict(list)
        for section, instructor in enumerate(p.instructors, start=1):
            if instructor:
                groups[instructor].append(section)
        for instructor, sections in groups.items():
            taught[instructor, problem.period_of[p.term]].append((p, sections))
    rows: list[tuple[Any, ...]] = []
    totals: list[int] = []
    for load in result.instructor_loads:
        for period in range(len(load.hours_per_period)):
            modules = taught.get((load.instructor_id, period), [])
            if not modules:
                continue
            name = period_name(scenario, period)
            for placement, sections in modules:
                module = catalog.module_by_id[placement.module_id]
                hours = sum(result.section_hours(placement, s) for s in sections)
                listed = ", ".join(f"{s} D" if result.is_dual(placement, s) else str(s) for s in sections)
                label = f"{module.module_id} {module.name}"
                teacher = f"{load.instructor_id} {load.name}"
                rows.append((teacher, name, placement.term, label, listed, hours / weeks, *(None,) * 5))
            rows.append(_total_row(load, name, period, weeks))
            totals.append(len(rows))
    return rows, totals


def _total_row(load: InstructorLoad, name: str, period: int, weeks: int) -> tuple[Any, ...]:
    hours, committed, total = load.hours_per_period[period], load.committed_in(period), load.total_in(period)
    return (
        f"{load.instructor_id} {load.name}",
        name,
        None,
        _("Total for the period"),
        None,
        hours / weeks,
        committed / weeks,
        total / weeks,
        _("{floor} to {cap}", floor=per_week(load.floor, weeks), cap=per_week(load.capacity, weeks)),
        contract_word(load, period),
        hours * load.cost_per_hour,
    )


def contract_word(load: InstructorLoad, period: int) -> str:
    """The contract check of a period: committed plus plan hours against the floor and cap."""
    if load.over_cap(period):
        return _("above the cap")
    if load.below_floor(period):
        return _("below the floor")
    return _("within the contract")
