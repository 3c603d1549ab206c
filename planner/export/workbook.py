"""The Excel workbook for administrators: one function per sheet, in the order they appear.

Every figure comes from the PlanResult's derived properties; this module only lays them out.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

import planner
from planner.export import styles
from planner.export.cells import (
    add_bar_chart,
    break_between,
    cell_name,
    flag_above,
    flag_no,
    flag_word,
    level_colour_scale,
    stand_upright,
    write_line,
    write_table,
)
from planner.export.curriculum_map import curriculum_map_sheet
from planner.export.files import write_atomically
from planner.export.labels import answers, module_status, period_name, yes_no
from planner.export.printing import chart_page, header_on_every_page, print_ready
from planner.export.review_sheets import add_review_parts
from planner.export.scenario_sheet import scenario_sheet
from planner.export.summary_sheet import summary_sheet
from planner.export.teaching_load import teaching_load_sheet
from planner.export.training_sheet import training_sheet
from planner.i18n import _, current
from planner.model import Scenario
from planner.result import InstructorLoad, Placement, PlanResult
from planner.words.reasons import say
from planner.words.review import changes_title


def level_words() -> dict[int, str]:
    return {1: _("awareness"), 2: _("operational"), 3: _("proficient")}


def sheet_guide(result: PlanResult) -> list[tuple[str, str]]:
    """Every sheet of the workbook, in order, with what it shows."""
    guide = [
        (_("Curriculum map"), _("the programme as CONALEP prints it: one column per term, modules in bands.")),
        (_("Summary"), _("the decision facts, coverage per sector, the details and the charts.")),
        ("Plan", _("the modules of each term, one row per group, with the instructor of each group.")),
    ]
    if result.problem.review is not None:
        guide.append((changes_title(), _("every change against the reviewed workbook, with its reason.")))
    guide += [
        (_("Coverage"), _("each demanded skill against the modules taken, with the level each module teaches.")),
        (_("Gaps"), _("the demanded skills the plan does not cover, and why.")),
        (_("Instructors"), _("each instructor's hours per period against the contract's floor and cap, and the cost.")),
        (_("Teaching load"), _("for each teacher and period: modules, groups and weekly hours against the contract.")),
        (_("Labs"), _("each lab's hours used per period against its capacity.")),
        (_("Scenario"), _("the planning inputs, the catalog used and the solver's settings and results.")),
        (_("Training"), _("qualifications bought for the plan and the best offers beyond the budget.")),
    ]
    return guide


def write_workbook(result: PlanResult, path: Path, force: bool = False) -> None:
    """Write the administrators' workbook for a plan; refuses to overwrite unless `force`."""
    workbook = build_workbook(result)
    write_atomically(Path(path), workbook.save, force)


def build_workbook(result: PlanResult) -> Workbook:
    """The workbook in the current language (planner.i18n.current(), set by the CLI)."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    curriculum_map_sheet(workbook.create_sheet(), result)  # its own page setup: a grid of boxes
    summary = workbook.create_sheet()  # written last: its guide lists every sheet
    for write_sheet in (
        plan_sheet,
        coverage_sheet,
        gaps_sheet,
        instructors_sheet,
        teaching_load_sheet,
        labs_sheet,
        scenario_sheet,
        training_sheet,
    ):
        write_sheet(workbook.create_sheet(), result)
    add_review_parts(workbook, result)  # Decision column, protection, Changes sheet, export marker
    summary_sheet(summary, result, sheet_guide(result))
    key_columns = {"Plan": "A:C", _("Coverage"): "B:C", _("Instructors"): "A:B"}
    for ws in workbook.worksheets[1:]:
        if ws.sheet_state == "visible":
            print_ready(ws, key_columns.get(ws.title))
    workbook.properties.creator = f"planner {planner.__version__}"
    workbook.properties.language = current()
    return workbook


def plan_sheet(ws: Worksheet, result: PlanResult) -> None:
    """One row per group of each taken module (pinned by the spec), with its hours and staffing.

    The sheet holds nothing but this table, so it reads back as one clean table; totals per term
    and for the plan (hours and group-hours) are on the Summary and the Curriculum map.
    """
    ws.title = "Plan"  # the same in every language: the plan's pinned sheet
    extras = catalog_extras(result)
    headers = (
        _("Term"),
        _("Module ID"),
        _("Module"),
        _("Career"),
        *((_("Track"),) if result.problem.has_tracks else ()),
        *(label for _key, label in extras),
        _("Hours"),
        _("Hours per week"),
        _("Section"),
        *([_("Dual training")] if any(result.problem.scenario.dual) else []),
        _("Instructor ID"),
        _("Instructor"),
        _("Module status"),
        _("Term hours"),
        _("Module group-hours"),
        _("Only teacher"),
    )
    rows = [row for p in _placements_in_order(result) for row in _section_rows(result, p, extras)]
    centred = {_("Term"): styles.CENTER, _("Section"): styles.CENTER}
    hours = dict.fromkeys((_("Hours"), _("Term hours"), _("Module group-hours")), styles.HOURS)
    hours[_("Hours per week")] = styles.PER_WEEK
    write_table(ws, 1, 1, headers, rows, "PlanSections", hours, align=centred)
    header_on_every_page(ws, 1)
    total = result.group_hours
    ws.oddFooter.center.text = _("Total group-hours of the plan: {total:,}", total=total)


def catalog_extras(result: PlanResult) -> list[tuple[str, str]]:
    """The catalog's optional module columns shown on the Plan sheet, where the catalog has them."""
    present = {key for m in result.problem.catalog.modules for key, value in m.extra.items() if str(value).strip()}
    wanted = (("nucleo", _("Core")), ("credits", _("Credits")))
    return [(key, label) for key, label in wanted if key in present]


def _placements_in_order(result: PlanResult) -> list[Placement]:
    return sorted(result.placements, key=lambda p: (p.term, p.module_id))


def _section_rows(result: PlanResult, p: Placement, extras: list[tuple[str, str]]) -> list[tuple[Any, ...]]:
    catalog = result.problem.catalog
    module = catalog.module_by_id[p.module_id]
    weeks = result.problem.scenario.weeks_per_term
    dual = any(result.problem.scenario.dual)
    rows = []
    for section, instructor_id in enumerate(p.instructors, start=1):
        instructor = catalog.instructor_by_id.get(instructor_id) if instructor_id else None
        rows.append(
            (
                p.term,
                module.module_id,
                module.name,
                module.career,
                *((catalog.track_of.get(module.module_id),) if result.problem.has_tracks else ()),
                *(_number_or_text(module.extra.get(key)) for key, _label in extras),
                module.hours,
                module.hours / weeks,
                section,
                *([yes_no(result.is_dual(p, section))] if dual else []),
                instructor_id,
                instructor.name if instructor else None,
                module_status(module.extra.get("status")),
                result.term_hours[p.term - 1],
                module.hours * len(p.instructors),
                _("only one instructor can teach it") if p.module_id in result.sole_teacher else None,
            )
        )
    return rows


def _number_or_text(value: str | None) -> Any:
    """Catalog credits such as "9" or "7.5" read as numbers; anything else is shown as written."""
    if value is None or not value.strip():
        return None
    try:
        number = float(value)
    except ValueError:
        return value
    return int(number) if number.is_integer() else number


def coverage_sheet(ws: Worksheet, result: PlanResult) -> None:
    """The skill coverage matrix: demanded skills down (by sector), taken modules across, taught level inside.

    Sorted by sector with a page break between sectors, so each sector prints on its own pages
    under the repeated header row.
    """
    ws.title = _("Coverage")
    catalog = result.problem.catalog
    placements = _placements_in_order(result)
    modules = [p.module_id for p in placements]
    taught: dict[tuple[str, str], int] = {}
    for ms in catalog.module_skills:
        key = (ms.module_id, ms.skill_id)
        taught[key] = max(taught.get(key, 0), ms.level)
    fixed = (_("Sector name"), _("Skill ID"), _("Skill"), _("Demanded level"), _("Importance"))
    # Codes stand upright over the narrow level columns; the key below the matrix names them.
    module_headers = [_("{code}, term {term}", code=p.module_id, term=p.term) for p in placements]
    covered_header = _("Covered")
    headers = (*fixed, *module_headers, _("Best level taught"), covered_header, _("Covered by"))
    order = {sector_id: k for k, sector_id in enumerate(result.problem.sector_ids)}
    coverage = sorted(result.demand_coverage, key=lambda cov: order.get(cov.demand.sector_id, len(order)))
    rows = []
    for cov in coverage:
        d = cov.demand
        rows.append(
            (
                catalog.sector_by_id[d.sector_id].name,
                d.skill_id,
                catalog.skill_by_id[d.skill_id].name,
                d.level,
                d.importance,
                *(taught.get((m, d.skill_id)) for m in modules),
                cov.taught_level,
                yes_no(cov.covered),
                ", ".join(cov.by_modules),
            )
        )
    none_text = _("No demands: the scenario's sectors ask for no skill.")
    end = write_table(ws, 1, 1, headers, rows, "CoverageMatrix", none_text=none_text)
    ws.freeze_panes = cell_name(2, len(fixed) + 1)
    if rows and modules:
        first, last = len(fixed) + 1, len(fixed) + len(modules)
        level_colour_scale(ws, f"{cell_name(2, first)}:{cell_name(len(rows) + 1, last)}")
        stand_upright(ws, 1, first, last)
    flag_no(ws, 2, len(rows) + 1, len(headers) - 1, answers()[1])  # "Covered", second to last
    break_between(ws, [cov.demand.sector_id for cov in coverage], first_row=2)
    ws.print_title_rows = "1:1"
    levels = ", ".join(f"{level} {word}" for level, word in level_words().items())
    write_line(ws, end + 1, _("One column per taken module, in term order. Levels: {levels}.", levels=levels))
    row = write_line(
        ws,
        end + 2,
        _("A demand is covered when a taken module teaches its skill at the demanded level or above."),
    )
    if placements:
        # The key is for reading on screen; in print the matrix's header row would repeat over it,
        # heading module names with "Sector" and "Skill", and the Plan sheet names the modules.
        ws.print_area = f"A1:{get_column_letter(len(headers))}{row - 1}"
        named = [(p.module_id, catalog.module_by_id[p.module_id].name, p.term) for p in placements]
        key_headers = (_("Module ID"), _("Module"), _("Term"))
        write_table(ws, row + 1, 1, key_headers, named, "CoverageModules", align={_("Term"): styles.CENTER})


def gaps_sheet(ws: Worksheet, result: PlanResult) -> None:
    """Each uncovered demand, with the reason in the designer's words."""
    ws.title = _("Gaps")
    catalog = result.problem.catalog
    rows = [
        (
            g.demand.sector_id,
            catalog.sector_by_id[g.demand.sector_id].name,
            g.demand.skill_id,
            catalog.skill_by_id[g.demand.skill_id].name,
            g.demand.level,
            g.demand.importance,
            say(g.reason),
        )
        for g in result.gaps
    ]
    headers = (
        _("Sector ID"),
        _("Sector name"),
        _("Skill ID"),
        _("Skill"),
        _("Demanded level"),
        _("Importance"),
        _("Why it is not covered"),
    )
    write_table(
        ws,
        1,
        1,
        headers,
        rows,
        "Gaps",
        none_text=_("None: the plan covers every demand of the scenario's sectors."),
    )
    header_on_every_page(ws, 1)


def instructors_sheet(ws: Worksheet, result: PlanResult) -> None:
    """Each instructor's load per period (the terms that run together) against the contract."""
    ws.title = _("Instructors")
    if not result.problem.instructors:
        write_line(ws, 1, _("The catalog has no instructors, so the plan assigns none and has no loads to show."))
        ws.freeze_panes = "A2"
        return
    scenario = result.problem.scenario
    weeks = scenario.weeks_per_term
    periods = [period_name(scenario, p) for p in range(len(scenario.periods))]
    per_term = [_("{period} hours", period=name) for name in periods]
    per_week_ = [_("{period} hours/week", period=name) for name in periods]
    # With commitments, each period also shows the hours the campus's other careers take, and the
    # hours per week are the total (committed + plan) that the contract bounds.
    committed = [_("{period} committed hours", period=name) for name in periods] if _committed(result) else []
    floor, cap = _("Floor h/week"), _("Cap h/week")
    headers = (
        _("Instructor ID"),
        _("Instructor"),
        floor,
        cap,
        *(
            h
            for p, pair in enumerate(zip(per_term, per_week_, strict=True))
            for h in _period_headers(pair, committed, p)
        ),
        _("Contract"),
        _("Groups"),
        _("Cost per hour"),
        _("Cost"),
    )
    rows = [
        (
            load.instructor_id,
            load.name,
            load.floor / weeks,
            load.capacity / weeks,
            *(value for p in range(len(periods)) for value in _period_values(load, p, weeks, bool(committed))),
            _contract_word(load),
            load.sections,
            load.cost_per_hour,
            load.cost,
        )
        for load in result.instructor_loads
    ]
    formats = dict.fromkeys((*per_term, *committed), styles.HOURS)
    formats |= dict.fromkeys((floor, cap, *per_week_), styles.PER_WEEK)
    formats |= {_("Cost per hour"): styles.MONEY, _("Cost"): styles.MONEY}
    end = write_table(ws, 1, 1, headers, rows, "InstructorLoads", formats)
    ws.freeze_panes = "C2"
    ws.print_title_rows = "1:1"
    flag_word(ws, 2, len(rows) + 1, headers.index(_("Contract")) + 1, contract_broken())
    row = write_line(ws, end + 1, _periods_sentence(scenario))
    row = write_line(
        ws,
        row,
        _("Each group counts its module's hours; hours per week = hours per term / {weeks} weeks.", weeks=weeks),
    )
    chart_page(ws, row + 1)
    add_bar_chart(
        ws,
        title=_("Hours per week in each period"),
        header_row=1,
        last_row=len(rows) + 1,
        category_column=1,
        value_columns=tuple(headers.index(h) + 1 for h in per_week_),
        anchor=cell_name(row + 1, 1),
        axis_title=_("hours per week"),
    )


def _committed(result: PlanResult) -> bool:
    return bool(result.problem.committed)


def _period_headers(pair: tuple[str, str], committed: list[str], p: int) -> tuple[str, ...]:
    hours, per_week = pair
    return (hours, committed[p], per_week) if committed else (hours, per_week)


def _period_values(load: InstructorLoad, p: int, weeks: int, committed: bool) -> tuple[Any, ...]:
    hours = load.hours_per_period[p]
    if committed:
        return hours, load.committed_in(p), load.total_in(p) / weeks
    return hours, hours / weeks


def contract_broken() -> tuple[str, str]:
    return _("above the cap"), _("below the floor")


def _contract_word(load: InstructorLoad) -> str:
    if load.sections == 0:
        return _("not teaching")
    periods = range(len(load.hours_per_period))
    if any(load.over_cap(p) for p in periods):
        return contract_broken()[0]
    if any(load.below_floor(p) for p in periods):
        return contract_broken()[1]
    return _("within the contract")


def _periods_sentence(scenario: Scenario) -> str:
    if scenario.intake == "single":
        return _("A period is a real school term: one cohort only, so each term is its own period.")
    if scenario.intake == "every_term":
        return _("A period is a real school term: a cohort starts every term, so all terms run at the same time.")
    return _(
        "A period is a real school term: a cohort starts every year, so odd terms run together in autumn "
        "and even terms in spring."
    )


def labs_sheet(ws: Worksheet, result: PlanResult) -> None:
    """Each lab's hours used per period against its capacity."""
    ws.title = _("Labs")
    if not result.lab_uses:
        write_line(ws, 1, _("The catalog lists no labs, so no lab limits the plan."))
        ws.freeze_panes = "A2"
        return
    scenario = result.problem.scenario
    count = len(scenario.periods)
    periods = [_("{period} hours", period=period_name(scenario, p)) for p in range(count)]
    # The campus's other careers use the labs too (lab_commitments.csv): shown beside the plan's use.
    committed = bool(result.problem.lab_committed)
    taken = [_("{period} committed hours", period=period_name(scenario, p)) for p in range(count)] if committed else []
    capacity, peak = _("Capacity per period (h)"), _("Peak use %")
    headers = (
        _("Lab ID"),
        _("Lab"),
        capacity,
        *(h for p in range(count) for h in ((periods[p], taken[p]) if committed else (periods[p],))),
        peak,
    )
    rows = [
        (
            lab.lab_id,
            lab.name,
            lab.capacity,
            *(
                v
                for p, hours in enumerate(lab.hours_per_period)
                for v in ((hours, lab.total_in(p) - hours) if committed else (hours,))
            ),
            max((lab.total_in(p) for p in range(count)), default=0) / lab.capacity if lab.capacity else None,
        )
        for lab in result.lab_uses
    ]
    formats = dict.fromkeys((capacity, *periods, *taken), styles.HOURS) | {peak: styles.PERCENT}
    end = write_table(ws, 1, 1, headers, rows, "LabUse", formats)
    ws.freeze_panes = "C2"
    ws.print_title_rows = "1:1"
    flag_above(ws, 2, len(rows) + 1, len(headers), 1)
    write_line(
        ws,
        end + 1,
        _(
            "Every group of a module that needs a lab uses it for the module's hours; a capacity of 0 means "
            "the campus does not have the lab."
        ),
    )
