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
    cell_name,
    fit_to_page_width,
    flag_above,
    flag_no,
    flag_word,
    level_colour_scale,
    write_line,
    write_row,
    write_table,
)
from planner.export.files import write_atomically
from planner.export.paths import catalog_source, shown_path
from planner.export.training_sheet import training_sheet
from planner.model import Scenario
from planner.result import InstructorLoad, Placement, PlanResult, Status

LEVEL_WORDS = {1: "awareness", 2: "operational", 3: "proficient"}

STATUS_WORDS = {
    Status.OPTIMAL: "Optimal: proven to be the best plan possible",
    Status.FEASIBLE: "Feasible: the best plan found within the time limit; a better one may exist",
}

SHEET_GUIDE = (
    ("Plan", "the modules of each term, one row per section, with the instructor of each section."),
    ("Coverage", "each demanded skill against the modules taken, with the level each module teaches."),
    ("Gaps", "the demanded skills the plan does not cover, and why."),
    ("Instructors", "each instructor's hours per period against the contract's floor and cap, and the cost."),
    ("Labs", "each lab's hours used per period against its capacity."),
    ("Scenario", "the planning inputs, the catalog used and the solver's settings and results."),
)


def write_workbook(result: PlanResult, path: Path, force: bool = False) -> None:
    """Write the administrators' workbook for a plan; refuses to overwrite unless `force`."""
    workbook = build_workbook(result)
    write_atomically(Path(path), workbook.save, force)


def build_workbook(result: PlanResult) -> Workbook:
    workbook = Workbook()
    workbook.remove(workbook.active)
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
        write_sheet(ws, result)
        fit_to_page_width(ws)
    workbook.properties.creator = f"planner {planner.__version__}"
    return workbook


def summary_sheet(ws: Worksheet, result: PlanResult) -> None:
    """Status, key figures and coverage per sector, for a reader who opens nothing else."""
    ws.title = "Summary"
    scenario = result.problem.scenario
    row = write_line(ws, 1, f"Curriculum plan: {scenario.name}", styles.TITLE)
    row = write_line(ws, row, f"{STATUS_WORDS[result.status]} (objectives in order: {', '.join(scenario.objective)}).")
    broken = result.violations()
    if broken:
        row = write_line(ws, row, f"Rule check: this plan breaks {len(broken)} planning rule(s):", styles.ALERT)
        for rule in broken:
            row = write_line(ws, row, f"- {rule}", styles.ALERT)
    else:
        row = write_line(ws, row, "Rule check: the plan keeps every planning rule of the scenario.")
    row = write_line(ws, row + 1, "Key figures", styles.HEADING)
    figures_top = row
    row = write_table(
        ws,
        row,
        1,
        ("Figure", "Value", "Note"),
        _key_figures(result),
        "KeyFigures",
        align={"Value": styles.LEFT},
    )
    row = write_line(ws, row + 1, "Coverage by sector", styles.HEADING)
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
            "yes" if s.met else "no",
        )
        for s in result.sector_coverage
    ]
    headers = (
        "Sector ID",
        "Sector",
        "Weight",
        "Covered importance",
        "Total importance",
        "Coverage %",
        "Required %",
        "Met",
    )
    percent = {"Coverage %": styles.PERCENT, "Required %": styles.PERCENT}
    row = write_table(ws, row, 1, headers, sectors, "SectorCoverage", percent, "No sector in this scenario.")
    flag_no(ws, sectors_top + 1, sectors_top + len(sectors), headers.index("Met") + 1)
    add_bar_chart(
        ws,
        title="Coverage by sector",
        header_row=sectors_top,
        last_row=sectors_top + len(sectors),
        category_column=2,
        value_columns=(headers.index("Coverage %") + 1, headers.index("Required %") + 1),
        anchor=cell_name(figures_top, len(headers) + 2),
        axis_title="share of importance",
        percent=True,
        horizontal=True,
    )
    row = write_line(ws, row + 1, "Hours per term", styles.HEADING)
    terms_top = row
    terms = [
        (t, count, hours)
        for t, (count, hours) in enumerate(zip(result.term_module_counts, result.term_hours, strict=True), start=1)
    ]
    row = write_table(ws, row, 1, ("Term", "Modules", "Term hours"), terms, "TermTotals", {"Term hours": styles.HOURS})
    write_row(ws, row, 1, ("All terms", len(result.placements), result.objectives["hours"]), styles.TOTAL)
    row = write_line(ws, row + 1, "Hours count once per module, however many sections it runs.")
    add_bar_chart(
        ws,
        title="Hours per term",
        header_row=terms_top,
        last_row=terms_top + len(terms),
        category_column=1,
        value_columns=(3,),
        anchor=cell_name(terms_top, len(headers) + 2),
        axis_title="hours",
    )
    row = write_line(ws, row + 1, "Sheets in this workbook", styles.HEADING)
    for sheet, what in SHEET_GUIDE:
        row = write_line(ws, row, f"{sheet}: {what}")
    ws.freeze_panes = "A2"


def _key_figures(result: PlanResult) -> list[tuple[str, Any, str]]:
    scenario = result.problem.scenario
    objectives = result.objectives
    largest = [t for t, hours in enumerate(result.term_hours, start=1) if hours == objectives["balance"]]
    share = objectives["coverage"] / result.max_coverage if result.max_coverage else 1.0
    met = sum(1 for s in result.sector_coverage if s.met)
    if result.problem.instructors:
        instructors: tuple[str, Any, str] = (
            "Instructors used",
            result.instructors_used,
            f"of {len(result.problem.instructors)} in the catalog",
        )
    else:
        instructors = ("Instructors used", "none", "the catalog has no instructors")
    cost = ("Staffing cost", objectives["cost"], _limit_note(scenario.max_cost, "budget.max_cost"))
    return [
        ("Terms", scenario.terms, ""),
        ("Sections per module", scenario.sections, "parallel student groups"),
        ("Modules taken", len(result.placements), ""),
        ("Total hours", objectives["hours"], _limit_note(scenario.total_hours_max, "total_max")),
        ("Largest term (hours)", objectives["balance"], "term " + ", ".join(map(str, largest))),
        ("Coverage score", objectives["coverage"], f"{share:.1%} of the maximum {result.max_coverage}"),
        ("Sectors meeting their goal", met, f"of {len(result.sector_coverage)}"),
        ("Uncovered demands", len(result.gaps), "see the Gaps sheet"),
        instructors,
        cost,
        ("Modules only one instructor can teach", len(result.sole_teacher), "see the Plan sheet"),
    ]


def _limit_note(limit: int | None, key: str) -> str:
    return f"limit {limit} ({key})" if limit is not None else "no limit"


def plan_sheet(ws: Worksheet, result: PlanResult) -> None:
    """One row per section of each taken module (pinned by the spec), with its term's total hours.

    The sheet holds nothing but this table, so it reads back as one clean table; the term totals
    table and chart are on the Summary sheet.
    """
    ws.title = "Plan"
    headers = (
        "Term",
        "Module ID",
        "Module",
        "Career",
        "Hours",
        "Section",
        "Instructor ID",
        "Instructor",
        "Status",
        "Term hours",
        "Only teacher",
    )
    rows = [row for p in _placements_in_order(result) for row in _section_rows(result, p)]
    centred = {"Term": styles.CENTER, "Section": styles.CENTER}
    hours = {"Hours": styles.HOURS, "Term hours": styles.HOURS}
    write_table(ws, 1, 1, headers, rows, "PlanSections", hours, align=centred)
    ws.freeze_panes = "A2"


def _placements_in_order(result: PlanResult) -> list[Placement]:
    return sorted(result.placements, key=lambda p: (p.term, p.module_id))


def _section_rows(result: PlanResult, p: Placement) -> list[tuple[Any, ...]]:
    catalog = result.problem.catalog
    module = catalog.module_by_id[p.module_id]
    rows = []
    for section, instructor_id in enumerate(p.instructors, start=1):
        instructor = catalog.instructor_by_id.get(instructor_id) if instructor_id else None
        rows.append(
            (
                p.term,
                module.module_id,
                module.name,
                module.career,
                module.hours,
                section,
                instructor_id,
                instructor.name if instructor else None,
                module.extra.get("status"),
                result.term_hours[p.term - 1],
                "only one instructor can teach it" if p.module_id in result.sole_teacher else None,
            )
        )
    return rows


def coverage_sheet(ws: Worksheet, result: PlanResult) -> None:
    """The skill coverage matrix: demanded skills down, taken modules across, taught level inside."""
    ws.title = "Coverage"
    catalog = result.problem.catalog
    modules = [p.module_id for p in _placements_in_order(result)]
    taught: dict[tuple[str, str], int] = {}
    for ms in catalog.module_skills:
        key = (ms.module_id, ms.skill_id)
        taught[key] = max(taught.get(key, 0), ms.level)
    fixed = ("Sector", "Skill ID", "Skill", "Demanded level", "Importance")
    headers = (*fixed, *modules, "Best level taught", "Covered", "Covered by")
    rows = []
    for cov in result.demand_coverage:
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
                "yes" if cov.covered else "no",
                ", ".join(cov.by_modules),
            )
        )
    none_text = "No demands: the scenario's sectors ask for no skill."
    end = write_table(ws, 1, 1, headers, rows, "CoverageMatrix", none_text=none_text)
    ws.freeze_panes = cell_name(2, len(fixed) + 1)
    if rows and modules:
        first, last = len(fixed) + 1, len(fixed) + len(modules)
        level_colour_scale(ws, f"{cell_name(2, first)}:{cell_name(len(rows) + 1, last)}")
    flag_no(ws, 2, len(rows) + 1, len(headers) - 1)  # "Covered", second to last
    levels = ", ".join(f"{level} {word}" for level, word in LEVEL_WORDS.items())
    write_line(
        ws,
        end + 1,
        f"One column per taken module, in term order (names on the Plan sheet). Levels: {levels}.",
    )
    write_line(
        ws,
        end + 2,
        "A demand is covered when a taken module teaches its skill at the demanded level or above.",
    )


def gaps_sheet(ws: Worksheet, result: PlanResult) -> None:
    """Each uncovered demand, with the reason in the designer's words."""
    ws.title = "Gaps"
    catalog = result.problem.catalog
    rows = [
        (
            g.demand.sector_id,
            catalog.sector_by_id[g.demand.sector_id].name,
            g.demand.skill_id,
            catalog.skill_by_id[g.demand.skill_id].name,
            g.demand.level,
            g.demand.importance,
            g.reason,
        )
        for g in result.gaps
    ]
    headers = (
        "Sector ID",
        "Sector",
        "Skill ID",
        "Skill",
        "Demanded level",
        "Importance",
        "Why it is not covered",
    )
    write_table(
        ws,
        1,
        1,
        headers,
        rows,
        "Gaps",
        none_text="None: the plan covers every demand of the scenario's sectors.",
    )
    ws.freeze_panes = "A2"


def instructors_sheet(ws: Worksheet, result: PlanResult) -> None:
    """Each instructor's load per period (the terms that run together) against the contract."""
    ws.title = "Instructors"
    if not result.problem.instructors:
        write_line(ws, 1, "The catalog has no instructors, so the plan assigns none and has no loads to show.")
        ws.freeze_panes = "A2"
        return
    scenario = result.problem.scenario
    weeks = scenario.weeks_per_term
    periods = [period_column(scenario, p) for p in range(len(scenario.periods))]
    per_period = [f"{name} {unit}" for name in periods for unit in ("h", "h/week")]
    headers = (
        "Instructor ID",
        "Instructor",
        "Floor h/week",
        "Cap h/week",
        *per_period,
        "Contract",
        "Sections",
        "Cost per hour",
        "Cost",
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
    weekly = ("Floor h/week", "Cap h/week", *(h for h in per_period if h.endswith("h/week")))
    formats = dict.fromkeys((h for h in per_period if h.endswith(" h")), styles.HOURS)
    formats |= dict.fromkeys(weekly, styles.PER_WEEK)
    formats |= {"Cost per hour": styles.MONEY, "Cost": styles.MONEY}
    end = write_table(ws, 1, 1, headers, rows, "InstructorLoads", formats)
    ws.freeze_panes = "C2"
    flag_word(ws, 2, len(rows) + 1, headers.index("Contract") + 1, CONTRACT_BROKEN)
    row = write_line(
        ws,
        end + 1,
        f"A period is a real school term: {_periods_sentence(scenario)}. Each group (section) counts its "
        f"module's hours; hours per week = hours per term / {weeks} weeks.",
    )
    add_bar_chart(
        ws,
        title="Hours per week in each period",
        header_row=1,
        last_row=len(rows) + 1,
        category_column=1,
        value_columns=tuple(headers.index(f"{name} h/week") + 1 for name in periods),
        anchor=cell_name(row + 1, 1),
        axis_title="hours per week",
    )


CONTRACT_BROKEN = ("above the cap", "below the floor")


def _contract_word(load: InstructorLoad) -> str:
    if load.sections == 0:
        return "not teaching"
    if any(hours > load.capacity for hours in load.hours_per_period):
        return CONTRACT_BROKEN[0]
    if any(load.below_floor(hours) for hours in load.hours_per_period):
        return CONTRACT_BROKEN[1]
    return "within the contract"


def period_column(scenario: Scenario, p: int) -> str:
    """A period as a column heading: "Autumn (1, 3, 5)"."""
    terms = scenario.periods[p]
    if scenario.intake == "single":
        return f"Term {terms[0]}"
    listed = ", ".join(map(str, terms))
    return f"All terms ({listed})" if scenario.intake == "every_term" else f"{('Autumn', 'Spring')[p]} ({listed})"


def _periods_sentence(scenario: Scenario) -> str:
    if scenario.intake == "single":
        return "one cohort only, so each term is its own period"
    if scenario.intake == "every_term":
        return "a cohort starts every term, so all terms run at the same time"
    return "a cohort starts every year, so odd terms run together in autumn and even terms in spring"


def labs_sheet(ws: Worksheet, result: PlanResult) -> None:
    """Each lab's hours used per period against its capacity."""
    ws.title = "Labs"
    if not result.lab_uses:
        write_line(ws, 1, "The catalog lists no labs, so no lab limits the plan.")
        ws.freeze_panes = "A2"
        return
    scenario = result.problem.scenario
    periods = [f"{period_column(scenario, p)} h" for p in range(len(scenario.periods))]
    headers = ("Lab ID", "Lab", "Capacity per period (h)", *periods, "Peak use %")
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
    formats = dict.fromkeys(("Capacity per period (h)", *periods), styles.HOURS) | {"Peak use %": styles.PERCENT}
    end = write_table(ws, 1, 1, headers, rows, "LabUse", formats)
    ws.freeze_panes = "C2"
    flag_above(ws, 2, len(rows) + 1, headers.index("Peak use %") + 1, 1)
    write_line(
        ws,
        end + 1,
        "Every group of a module that needs a lab uses it for the module's hours; a capacity of 0 means "
        "the campus does not have the lab.",
    )


def scenario_sheet(ws: Worksheet, result: PlanResult) -> None:
    """The inputs behind the plan and how the solver ran, so a reviewer can reproduce it."""
    ws.title = "Scenario"
    problem, scenario, catalog = result.problem, result.problem.scenario, result.problem.catalog
    row = write_line(ws, 1, f"Inputs and solver: {scenario.name}", styles.TITLE)

    row = write_line(ws, row + 1, "Scenario", styles.HEADING)
    row = write_table(
        ws,
        row,
        1,
        ("Setting", "Value", "Scenario key"),
        _scenario_settings(scenario),
        "ScenarioSettings",
        align={"Value": styles.LEFT},
    )

    row = write_line(ws, row + 1, "Priority sectors", styles.HEADING)
    if scenario.sectors is None:
        row = write_line(
            ws, row, "The scenario lists no sectors: every catalog sector counts, with no minimum coverage."
        )
    goals = {g.sector_id: g for g in scenario.sectors or ()}
    sectors = [
        (
            sector_id,
            catalog.sector_by_id[sector_id].name,
            problem.sector_weights[k],
            "scenario" if sector_id in goals and goals[sector_id].weight is not None else "catalog",
            float(problem.min_coverage[k]),
        )
        for k, sector_id in enumerate(problem.sector_ids)
    ]
    goal_headers = ("Sector ID", "Sector", "Weight", "Weight from", "Min coverage")
    row = write_table(ws, row, 1, goal_headers, sectors, "SectorGoals", {"Min coverage": styles.PERCENT}, "None.")

    row = write_line(ws, row + 1, "Catalog", styles.HEADING)
    facts = [
        ("Source", catalog_source(problem)),
        ("Fingerprint", catalog.fingerprint or "not recorded"),
        ("Sectors", len(catalog.sectors)),
        ("Skills", len(catalog.skills)),
        ("Demands", len(catalog.demands)),
        ("Modules", len(catalog.modules)),
        ("Candidate modules in this scenario", len(problem.candidates)),
        ("Candidates that can never be taken", len(problem.blocked)),
        ("Instructors", len(catalog.instructors)),
    ]
    row = write_table(ws, row, 1, ("Item", "Value"), facts, "CatalogFacts", align={"Value": styles.LEFT})

    row = write_line(ws, row + 1, "Solver", styles.HEADING)
    solver = [
        ("planner version", planner.__version__),
        ("OR-Tools version", result.solver.ortools_version or "not recorded"),
        ("Solver time (seconds)", round(result.solver.seconds, 2)),
        *((f"Parameter {key}", value) for key, value in sorted(result.solver.parameters.items())),
    ]
    row = write_table(ws, row, 1, ("Item", "Value"), solver, "SolverFacts", align={"Value": styles.LEFT})

    row = write_line(ws, row + 1, "Objective stages (lexicographic, in order)", styles.HEADING)
    stages = [
        (n, s.objective, s.value, s.bound, "yes" if s.proven else "no", s.seconds)
        for n, s in enumerate(result.stages, start=1)
    ]
    stage_headers = ("Order", "Objective", "Value", "Bound", "Proven", "Seconds")
    stages_top = row
    write_table(ws, row, 1, stage_headers, stages, "SolverStages", {"Seconds": styles.SECONDS}, "No stage recorded.")
    flag_no(ws, stages_top + 1, stages_top + len(stages), stage_headers.index("Proven") + 1)
    ws.freeze_panes = "A2"


def _scenario_settings(s: Scenario) -> list[tuple[str, Any, str]]:
    def listed(values: tuple[str, ...]) -> str:
        return ", ".join(values) if values else "none"

    def limit(value: float | None) -> Any:
        return value if value is not None else "no limit"

    careers = (
        "all careers" if s.careers is None else (listed(s.careers) if s.careers else "none (required modules only)")
    )
    return [
        ("Name", s.name, "name"),
        ("Scenario file", s.path.name if s.path else "not read from a file", ""),
        ("Catalog (as written in the scenario)", shown_path(s.catalog, s.path) if s.catalog else "not set", "catalog"),
        ("Terms", s.terms, "terms"),
        ("Sections per module", s.sections, "sections"),
        ("Careers", careers, "careers"),
        ("Required modules", listed(s.required_modules), "required_modules"),
        ("Excluded modules", listed(s.excluded_modules), "excluded_modules"),
        ("Objective order", listed(s.objective), "objective"),
        ("Time limit (seconds)", limit(s.time_limit_seconds), "time_limit_seconds"),
        ("Total hours, maximum", limit(s.total_hours_max), "hours.total_max"),
        ("Hours per term, minimum", s.term_hours_min, "hours.term_min"),
        ("Hours per term, maximum", limit(s.term_hours_max), "hours.term_max"),
        ("Modules per term, minimum", s.modules_per_term_min, "modules_per_term.min"),
        ("Modules per term, maximum", limit(s.modules_per_term_max), "modules_per_term.max"),
        ("Instructors used, maximum", limit(s.max_instructors_used), "instructors.max_used"),
    ]
