"""The curriculum map: the programme as CONALEP publishes it, one column per semester.

Each cell is one module (code, name, hours per week and per term, núcleo or career); a totals row
per semester and a line for the whole programme follow. It prints on one landscape page.
"""

from __future__ import annotations

import math

from openpyxl.worksheet.worksheet import Worksheet

from planner.export import styles
from planner.export.cells import put, write_line
from planner.i18n import _, ngettext
from planner.model import Module, per_week
from planner.result import PlanResult

HEADER_ROW = 3  # below the title and the note on hours
COLUMN_WIDTH = 30  # characters: room for a module name on two or three lines


def curriculum_map_sheet(ws: Worksheet, result: PlanResult) -> None:
    ws.title = _("Curriculum map")
    scenario = result.problem.scenario
    weeks = scenario.weeks_per_term
    write_line(ws, 1, _("Curriculum map: {name}", name=scenario.name), styles.TITLE)
    write_line(ws, 2, _("Hours per week = hours per term / {weeks} weeks.", weeks=weeks))
    per_term = modules_per_term(result)
    for term in range(1, scenario.terms + 1):
        put(ws, HEADER_ROW, term, _("Term {term}", term=term))
        header = ws.cell(row=HEADER_ROW, column=term)
        header.font, header.fill, header.alignment = styles.HEADER_LIGHT, styles.MAP_HEADER_FILL, styles.CENTER
        header.border = styles.MAP_BORDER
        ws.column_dimensions[header.column_letter].width = COLUMN_WIDTH
    depth = max((len(modules) for modules in per_term.values()), default=0)
    for term, modules in per_term.items():
        for offset, module in enumerate(modules, start=1):
            _module_cell(ws, HEADER_ROW + offset, term, module, weeks)
    for offset in range(1, depth + 1):
        lines = max(_lines(ws.cell(row=HEADER_ROW + offset, column=t).value) for t in per_term)
        ws.row_dimensions[HEADER_ROW + offset].height = styles.LINE_POINTS * max(lines, 1) + 4
    totals_row = HEADER_ROW + depth + 1
    for term, modules in per_term.items():
        hours = sum(m.hours for m in modules)
        text = ngettext(
            "{count} module, {hours} h ({per_week} h/week)",
            "{count} modules, {hours} h ({per_week} h/week)",
            len(modules),
            hours=hours,
            per_week=per_week(hours, weeks),
        )
        put(ws, totals_row, term, text)
        cell = ws.cell(row=totals_row, column=term)
        cell.font, cell.border, cell.alignment = styles.TOTAL, styles.MAP_BORDER, styles.WRAP_TOP
    ws.row_dimensions[totals_row].height = styles.LINE_POINTS * 2 + 4
    total_hours = sum(m.hours for modules in per_term.values() for m in modules)
    count = sum(len(modules) for modules in per_term.values())
    programme = ngettext(
        "Whole programme: {count} module, {hours} h in {terms} terms.",
        "Whole programme: {count} modules, {hours} h in {terms} terms.",
        count,
        hours=total_hours,
        terms=scenario.terms,
    )
    write_line(ws, totals_row + 1, programme, styles.TOTAL)
    _print_on_one_page(ws, scenario.terms, totals_row + 1)


def modules_per_term(result: PlanResult) -> dict[int, list[Module]]:
    """Taken modules by term, in module-id order; every term is present, even an empty one."""
    catalog = result.problem.catalog
    out: dict[int, list[Module]] = {t: [] for t in range(1, result.problem.scenario.terms + 1)}
    for p in sorted(result.placements, key=lambda p: (p.term, p.module_id)):
        out.setdefault(p.term, []).append(catalog.module_by_id[p.module_id])
    return out


def track(module: Module) -> str:
    """The núcleo de formación where the catalog gives one, else the career."""
    nucleo = (module.extra.get("nucleo") or "").strip()
    return _("Core: {nucleo}", nucleo=nucleo) if nucleo else _("Career: {career}", career=module.career)


def _module_cell(ws: Worksheet, row: int, column: int, module: Module, weeks: int) -> None:
    text = _(
        "{code} {name}\n{per_week} h/week, {hours} h per term\n{track}",
        code=module.module_id,
        name=module.name,
        per_week=per_week(module.hours, weeks),
        hours=module.hours,
        track=track(module),
    )
    put(ws, row, column, text)
    cell = ws.cell(row=row, column=column)
    cell.alignment, cell.border = styles.WRAP_TOP, styles.MAP_BORDER


def _lines(value: object) -> int:
    if not isinstance(value, str):
        return 0
    return sum(max(1, math.ceil(len(line) / (COLUMN_WIDTH - 2))) for line in value.splitlines())


def _print_on_one_page(ws: Worksheet, terms: int, last_row: int) -> None:
    ws.page_setup.orientation = "landscape"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 1
    ws.print_area = f"A1:{ws.cell(row=last_row, column=max(terms, 1)).column_letter}{last_row}"
    ws.freeze_panes = f"A{HEADER_ROW + 1}"
