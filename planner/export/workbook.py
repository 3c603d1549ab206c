"""The Excel workbook for administrators: one function per sheet, in the order they appear.

Every figure comes from the PlanResult's derived properties; this module only lays them out.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

import planner
from planner.export import styles
from planner.export.cells import (
    add_bar_chart,
    break_between,
    cell_name,
    fit_to_page_width,
    flag_above,
    flag_no,
    flag_word,
    level_colour_scale,
    stand_upright,
    write_line,
    write_row,
    write_table,
)
from planner.export.curriculum_map import curriculum_map_sheet
from planner.export.files import write_atomically
from planner.export.paths import catalog_source, shown_path
from planner.export.review_sheets import add_review_parts
from planner.export.sentences import coverage_sentences
from planner.export.training_sheet import training_sheet
from planner.i18n import _, current, ngettext
from planner.model import Scenario
from planner.result import InstructorLoad, Placement, PlanResult, Status
from planner.words.reasons import say


def level_words() -> dict[int, str]:
    return {1: _("awareness"), 2: _("operational"), 3: _("proficient")}


def status_words(status: Status) -> str:
    if status is Status.OPTIMAL:
        return _("Optimal: proven to be the best plan possible")
    return _("Feasible: the best plan found within the time limit; a better one may exist")


def objective_word(key: str) -> str:
    """An objective of the scenario as a reader says it; its key stays on the Scenario sheet."""
    words = {"coverage": _("coverage"), "hours": _("hours"), "balance": _("balance"), "cost": _("cost")}
    return words.get(key, key)


def yes_no(value: bool) -> str:
    return answers()[0 if value else 1]


def answers() -> tuple[str, str]:
    """The words of yes/no columns; one message, since "no" alone reads the same in Spanish."""
    yes, no = _("yes/no").split("/")
    return yes, no


def sheet_guide() -> tuple[tuple[str, str], ...]:
    return (
        (_("Curriculum map"), _("the programme at a glance: one column per term, each module with its hours.")),
        ("Plan", _("the modules of each term, one row per group, with the instructor of each group.")),
        (_("Coverage"), _("each demanded skill against the modules taken, with the level each module teaches.")),
        (_("Gaps"), _("the demanded skills the plan does not cover, and why.")),
        (_("Instructors"), _("each instructor's hours per period against the contract's floor and cap, and the cost.")),
        (_("Labs"), _("each lab's hours used per period against its capacity.")),
        (_("Scenario"), _("the planning inputs, the catalog used and the solver's settings and results.")),
    )


def write_workbook(result: PlanResult, path: Path, force: bool = False) -> None:
    """Write the administrators' workbook for a plan; refuses to overwrite unless `force`."""
    workbook = build_workbook(result)
    write_atomically(Path(path), workbook.save, force)


def build_workbook(result: PlanResult) -> Workbook:
    """The workbook in the current language (planner.i18n.current(), set by the CLI)."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    curriculum_map_sheet(workbook.create_sheet(), result)  # prints on one page: its own page setup
    for write_sheet in (
        summary_sheet,
        plan_sheet,
        coverage_sheet,
        gaps_sheet,
        instructors_sheet,
        labs_sheet,
        scenario_sheet,
        training_sheet,
    ):
        ws = workbook.create_sheet()
        fit_to_page_width(ws)
        write_sheet(ws, result)
    add_review_parts(workbook, result)  # Decision column, protection, Changes sheet, export marker
    workbook.properties.creator = f"planner {planner.__version__}"
    workbook.properties.language = current()
    return workbook


def summary_sheet(ws: Worksheet, result: PlanResult) -> None:
    """Plain sentences first (status, coverage per sector and why needs stay open), then details."""
    ws.title = _("Summary")
    scenario = result.problem.scenario
    row = write_line(ws, 1, _("Curriculum plan: {name}", name=scenario.name), styles.TITLE)
    row = write_line(ws, row, status_words(result.status), styles.SENTENCE)
    for text, kind in coverage_sentences(result):
        row = write_line(ws, row, text, styles.ALERT if kind == "alert" else styles.SENTENCE)
        if kind == "cause":
            ws.cell(row=row - 1, column=1).alignment = styles.INDENTED
    broken = result.violations()
    if broken:
        row = write_line(
            ws,
            row,
            ngettext(
                "Rule check: this plan breaks {count} planning rule:",
                "Rule check: this plan breaks {count} planning rules:",
                len(broken),
            ),
            styles.ALERT,
        )
        for rule in broken:
            row = write_line(ws, row, f"- {say(rule)}", styles.ALERT)
    else:
        row = write_line(ws, row, _("Rule check: the plan keeps every planning rule of the scenario."))
    order = ", ".join(objective_word(key) for key in scenario.objective)
    row = write_line(ws, row, _("Objectives, in order of priority: {order}.", order=order))
    row = write_line(ws, row + 1, _("Details"), styles.HEADING)
    figures_top = row
    row = write_table(
        ws,
        row,
        1,
        (_("Figure"), _("Value"), _("Note")),
        _key_figures(result),
        "KeyFigures",
        align={_("Value"): styles.LEFT},
    )
    row = write_line(ws, row + 1, _("Coverage by sector"), styles.HEADING)
    sectors_top = row
    sectors = [
        (
            s.sector_id,
            s.name,
            s.weight,
            s.covered_importance,
            s.total_importance,
            float(s.ratio),
            float(s.min_coverage),
            yes_no(s.met),
        )
        for s in result.sector_coverage
    ]
    headers = (
        _("Sector ID"),
        _("Sector name"),
        _("Weight"),
        _("Covered importance"),
        _("Total importance"),
        _("Coverage %"),
        _("Required %"),
        _("Met"),
    )
    percent = {_("Coverage %"): styles.PERCENT, _("Required %"): styles.PERCENT}
    row = write_table(ws, row, 1, headers, sectors, "SectorCoverage", percent, _("No sector in this scenario."))
    flag_no(ws, sectors_top + 1, sectors_top + len(sectors), len(headers), answers()[1])
    add_bar_chart(
        ws,
        title=_("Coverage by sector"),
        header_row=sectors_top,
        last_row=sectors_top + len(sectors),
        category_column=2,
        value_columns=(6, 7),
        anchor=cell_name(figures_top, len(headers) + 2),
        axis_title=_("share of importance"),
        percent=True,
        horizontal=True,
    )
    row = write_line(ws, row + 1, _("Hours per term"), styles.HEADING)
    terms_top = row
    groups = result.problem.scenario.groups
    terms = [
        (t, count, hours, hours * groups[t - 1])
        for t, (count, hours) in enumerate(zip(result.term_module_counts, result.term_hours, strict=True), start=1)
    ]
    term_headers = (_("Term"), _("Modules"), _("Term hours"), _("Group-hours"))
    hours_formats = {_("Term hours"): styles.HOURS, _("Group-hours"): styles.HOURS}
    row = write_table(ws, row, 1, term_headers, terms, "TermTotals", hours_formats)
    hours = result.objectives["hours"]
    write_row(ws, row, 1, (_("All terms"), len(result.placements), hours, result.group_hours), styles.TOTAL)
    row = write_line(
        ws,
        row + 1,
        _(
            "Term hours count each module once; group-hours count it once per group (hours x {groups} groups).",
            groups="/".join(str(g) for g in sorted(set(groups), reverse=True)),
        ),
    )
    add_bar_chart(
        ws,
        title=_("Hours per term"),
        header_row=terms_top,
        last_row=terms_top + len(terms),
        category_column=1,
        value_columns=(3,),
        anchor=cell_name(terms_top, len(headers) + 2),
        axis_title=_("hours"),
    )
    row = write_line(ws, row + 1, _("Sheets in this workbook"), styles.HEADING)
    for sheet, what in sheet_guide():
        row = write_line(ws, row, _("{sheet} sheet: {what}", sheet=sheet, what=what))
    ws.freeze_panes = "A2"


def _key_figures(result: PlanResult) -> list[tuple[str, Any, str]]:
    scenario = result.problem.scenario
    objectives = result.objectives
    largest = ", ".join(str(t) for t, hours in enumerate(result.term_hours, start=1) if hours == objectives["balance"])
    share = objectives["coverage"] / result.max_coverage if result.max_coverage else 1.0
    met = sum(1 for s in result.sector_coverage if s.met)
    if result.problem.instructors:
        instructors: tuple[str, Any, str] = (
            _("Instructors used"),
            result.instructors_used,
            _("of {count} in the catalog", count=len(result.problem.instructors)),
        )
    else:
        instructors = (_("Instructors used"), _("none"), _("the catalog has no instructors"))
    cost = (_("Staffing cost"), objectives["cost"], _limit_note(scenario.max_cost, "budget.max_cost"))
    return [
        (_("Terms"), scenario.terms, ""),
        (_("Groups per module"), _groups(scenario.sections), _("parallel student groups")),
        (_("Modules taken"), len(result.placements), ""),
        (_("Total hours"), objectives["hours"], _limit_note(scenario.total_hours_max, "total_max")),
        (_("Group-hours"), result.group_hours, _("hours x groups")),
        (_("Largest term (hours)"), objectives["balance"], _("term {terms}", terms=largest)),
        (
            _("Coverage score"),
            objectives["coverage"],
            _(
                "{share}% of the maximum {maximum} (importance x sector weight)",
                share=round(share * 100, 1),
                maximum=result.max_coverage,
            ),
        ),
        (_("Sectors meeting their goal"), met, _("of {count}", count=len(result.sector_coverage))),
        (_("Uncovered demands"), len(result.gaps), _("see the Gaps sheet")),
        instructors,
        cost,
        (_("Modules only one instructor can teach"), len(result.sole_teacher), _("see the Plan sheet")),
    ]


def _limit_note(limit: int | None, key: str) -> str:
    return _("limit {limit} ({key})", limit=limit, key=key) if limit is not None else _("no limit")


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
        _("Instructor ID"),
        _("Instructor"),
        _("Status"),
        _("Term hours"),
        _("Module group-hours"),
        _("Only teacher"),
    )
    rows = [row for p in _placements_in_order(result) for row in _section_rows(result, p, extras)]
    centred = {_("Term"): styles.CENTER, _("Section"): styles.CENTER}
    hours = dict.fromkeys((_("Hours"), _("Term hours"), _("Module group-hours")), styles.HOURS)
    hours[_("Hours per week")] = styles.PER_WEEK
    write_table(ws, 1, 1, headers, rows, "PlanSections", hours, align=centred)
    ws.freeze_panes = "A2"
    ws.print_title_rows = "1:1"
    total = result.group_hours
    ws.oddFooter.center.text = _("Total group-hours of the plan: {total}", total=total)


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
                instructor_id,
                instructor.name if instructor else None,
                module.extra.get("status"),
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
    module_headers = [
        _(
            "{module} ({code}), term {term}",
            module=catalog.module_by_id[p.module_id].name,
            code=p.module_id,
            term=p.term,
        )
        for p in placements
    ]
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
    write_line(
        ws,
        end + 2,
        _("A demand is covered when a taken module teaches its skill at the demanded level or above."),
    )


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
    ws.freeze_panes = "A2"
    ws.print_title_rows = "1:1"


def instructors_sheet(ws: Worksheet, result: PlanResult) -> None:
    """Each instructor's load per period (the terms that run together) against the contract."""
    ws.title = _("Instructors")
    if not result.problem.instructors:
        write_line(ws, 1, _("The catalog has no instructors, so the plan assigns none and has no loads to show."))
        ws.freeze_panes = "A2"
        return
    scenario = result.problem.scenario
    weeks = scenario.weeks_per_term
    periods = [period_column(scenario, p) for p in range(len(scenario.periods))]
    per_term = [_("{period} hours", period=name) for name in periods]
    per_week_ = [_("{period} hours/week", period=name) for name in periods]
    floor, cap = _("Floor h/week"), _("Cap h/week")
    headers = (
        _("Instructor ID"),
        _("Instructor"),
        floor,
        cap,
        *(h for pair in zip(per_term, per_week_, strict=True) for h in pair),
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
            *(value for hours in load.hours_per_period for value in (hours, hours / weeks)),
            _contract_word(load),
            load.sections,
            load.cost_per_hour,
            load.cost,
        )
        for load in result.instructor_loads
    ]
    formats = dict.fromkeys(per_term, styles.HOURS) | dict.fromkeys((floor, cap, *per_week_), styles.PER_WEEK)
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


def period_column(scenario: Scenario, p: int) -> str:
    """A period as a column heading: "Autumn (1, 3, 5)" (Spanish: the months CONALEP's periods run)."""
    terms = scenario.periods[p]
    if scenario.intake == "single":
        return _("Term {term}", term=terms[0])
    listed = ", ".join(map(str, terms))
    if scenario.intake == "every_term":
        return _("All terms ({terms})", terms=listed)
    return _("Autumn ({terms})", terms=listed) if p == 0 else _("Spring ({terms})", terms=listed)


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
    periods = [_("{period} hours", period=period_column(scenario, p)) for p in range(len(scenario.periods))]
    capacity, peak = _("Capacity per period (h)"), _("Peak use %")
    headers = (_("Lab ID"), _("Lab"), capacity, *periods, peak)
    rows = [
        (
            lab.lab_id,
            lab.name,
            lab.capacity,
            *lab.hours_per_period,
            max(lab.hours_per_period, default=0) / lab.capacity if lab.capacity else None,
        )
        for lab in result.lab_uses
    ]
    formats = dict.fromkeys((capacity, *periods), styles.HOURS) | {peak: styles.PERCENT}
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


def scenario_sheet(ws: Worksheet, result: PlanResult) -> None:
    """The inputs behind the plan and how the solver ran, so a reviewer can reproduce it."""
    ws.title = _("Scenario")
    problem, scenario, catalog = result.problem, result.problem.scenario, result.problem.catalog
    row = write_line(ws, 1, _("Inputs and solver: {name}", name=scenario.name), styles.TITLE)

    row = write_line(ws, row + 1, _("Scenario"), styles.HEADING)
    value = _("Value")
    row = write_table(
        ws,
        row,
        1,
        (_("Setting"), value, _("Scenario key")),
        _scenario_settings(scenario),
        "ScenarioSettings",
        align={value: styles.LEFT},
    )

    row = write_line(ws, row + 1, _("Priority sectors"), styles.HEADING)
    if scenario.sectors is None:
        row = write_line(
            ws, row, _("The scenario lists no sectors: every catalog sector counts, with no minimum coverage.")
        )
    goals = {g.sector_id: g for g in scenario.sectors or ()}
    sectors = [
        (
            sector_id,
            catalog.sector_by_id[sector_id].name,
            problem.sector_weights[k],
            _("scenario") if sector_id in goals and goals[sector_id].weight is not None else _("catalog"),
            float(problem.min_coverage[k]),
        )
        for k, sector_id in enumerate(problem.sector_ids)
    ]
    min_coverage = _("Min coverage")
    goal_headers = (_("Sector ID"), _("Sector name"), _("Weight"), _("Weight from"), min_coverage)
    row = write_table(ws, row, 1, goal_headers, sectors, "SectorGoals", {min_coverage: styles.PERCENT}, _("None."))

    row = write_line(ws, row + 1, _("Catalog"), styles.HEADING)
    facts = [
        (_("Source"), catalog_source(problem)),
        (_("Fingerprint"), catalog.fingerprint or _("not recorded")),
        (_("Sectors"), len(catalog.sectors)),
        (_("Skills"), len(catalog.skills)),
        (_("Demands"), len(catalog.demands)),
        (_("Modules"), len(catalog.modules)),
        (_("Candidate modules in this scenario"), len(problem.candidates)),
        (_("Candidates that can never be taken"), len(problem.blocked)),
        (_("Instructors"), len(catalog.instructors)),
    ]
    item = _("Item")
    row = write_table(ws, row, 1, (item, value), facts, "CatalogFacts", align={value: styles.LEFT})

    row = write_line(ws, row + 1, _("Solver"), styles.HEADING)
    solver = [
        (_("planner version"), planner.__version__),
        (_("OR-Tools version"), result.solver.ortools_version or _("not recorded")),
        (_("Solver time (seconds)"), round(result.solver.seconds, 2)),
        *((_("Parameter {name}", name=key), v) for key, v in sorted(result.solver.parameters.items())),
    ]
    row = write_table(ws, row, 1, (item, value), solver, "SolverFacts", align={value: styles.LEFT})

    row = write_line(ws, row + 1, _("Objective stages (lexicographic, in order)"), styles.HEADING)
    stages = [
        (n, objective_word(s.objective), s.value, s.bound, yes_no(s.proven), s.seconds)
        for n, s in enumerate(result.stages, start=1)
    ]
    seconds = _("Seconds")
    stage_headers = (_("Order"), _("Objective"), value, _("Bound"), _("Proven"), seconds)
    stages_top = row
    write_table(ws, row, 1, stage_headers, stages, "SolverStages", {seconds: styles.SECONDS}, _("No stage recorded."))
    flag_no(ws, stages_top + 1, stages_top + len(stages), stage_headers.index(_("Proven")) + 1, answers()[1])
    ws.freeze_panes = "A2"


def _scenario_settings(s: Scenario) -> list[tuple[str, Any, str]]:
    def listed(values: tuple[str, ...]) -> str:
        return ", ".join(values) if values else _("none")

    def limit(value: float | None) -> Any:
        return value if value is not None else _("no limit")

    if s.careers is None:
        careers = _("all careers")
    else:
        careers = listed(s.careers) if s.careers else _("none (required modules only)")
    catalog = shown_path(s.catalog, s.path) if s.catalog else _("not set")
    return [
        (_("Name"), s.name, "name"),
        (_("Scenario file"), s.path.name if s.path else _("not read from a file"), ""),
        (_("Catalog (as written in the scenario)"), catalog, "catalog"),
        (_("Terms"), s.terms, "terms"),
        (_("Groups per module"), _groups(s.sections), "sections"),
        (_("Weeks per term"), s.weeks_per_term, "calendar.weeks_per_term"),
        (_("Careers"), careers, "careers"),
        (_("Required modules"), listed(s.required_modules), "required_modules"),
        (_("Excluded modules"), listed(s.excluded_modules), "excluded_modules"),
        (_("Objective order"), ", ".join(objective_word(k) for k in s.objective) or _("none"), "objective"),
        (_("Time limit (seconds)"), limit(s.time_limit_seconds), "time_limit_seconds"),
        (_("Total hours, maximum"), limit(s.total_hours_max), "hours.total_max"),
        (_("Hours per term, minimum"), s.term_hours_min, "hours.term_min"),
        (_("Hours per term, maximum"), limit(s.term_hours_max), "hours.term_max"),
        (_("Modules per term, minimum"), s.modules_per_term_min, "modules_per_term.min"),
        (_("Modules per term, maximum"), limit(s.modules_per_term_max), "modules_per_term.max"),
        (_("Instructors used, maximum"), limit(s.max_instructors_used), "instructors.max_used"),
    ]


def _groups(sections: int | tuple[int, ...]) -> int | str:
    """The scenario's groups as written: one number, or one per semester."""
    return sections if isinstance(sections, int) else ", ".join(str(g) for g in sections)
