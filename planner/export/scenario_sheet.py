"""The Scenario sheet: the inputs behind the plan and how the solver ran, so a reviewer can
reproduce it. Every setting, limit and solver parameter is named in the reader's words."""

from __future__ import annotations

from typing import Any

from openpyxl.worksheet.worksheet import Worksheet

import planner
from planner.export import styles
from planner.export.cells import flag_no, write_line, write_table
from planner.export.labels import answers, groups_text, objective_word, parameter_name, parameter_value, yes_no
from planner.export.paths import catalog_source, shown_path
from planner.i18n import _
from planner.model import Scenario
from planner.result import PlanResult


def scenario_sheet(ws: Worksheet, result: PlanResult) -> None:
    ws.title = _("Scenario")
    problem, scenario, catalog = result.problem, result.problem.scenario, result.problem.catalog
    row = write_line(ws, 1, _("Inputs and solver: {name}", name=scenario.name), styles.TITLE)
    row = write_line(ws, row + 1, _("Scenario"), styles.HEADING)
    value = _("Value")
    settings = scenario_settings(scenario)
    row = write_table(ws, row, 1, (_("Setting"), value), settings, "ScenarioSettings", align={value: styles.LEFT})
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
        *(
            (parameter_name(key), parameter_value(key, v))
            for key, v in sorted(result.solver.parameters.items(), key=lambda kv: parameter_name(kv[0]))
        ),
    ]
    row = write_table(ws, row, 1, (item, value), solver, "SolverFacts", align={value: styles.LEFT})
    row = write_line(ws, row + 1, _("Objective stages (lexicographic, in order)"), styles.HEADING)
    stages = [  # an engine's name is the same in every language
        (n, objective_word(s.objective), s.value, s.bound, yes_no(s.proven), s.engine or "-", s.seconds)
        for n, s in enumerate(result.stages, start=1)
    ]
    seconds = _("Seconds")
    stage_headers = (_("Order"), _("Objective"), value, _("Bound"), _("Proven"), _("Plan found by"), seconds)
    formats = {seconds: styles.SECONDS, value: styles.COUNT, _("Bound"): styles.COUNT}
    write_table(ws, row, 1, stage_headers, stages, "SolverStages", formats, _("No stage recorded."))
    flag_no(ws, row + 1, row + len(stages), stage_headers.index(_("Proven")) + 1, answers()[1])
    ws.freeze_panes = "A2"


def scenario_settings(s: Scenario) -> list[tuple[str, Any]]:
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
        (_("Name"), s.name),
        (_("Scenario file"), s.path.name if s.path else _("not read from a file")),
        (_("Catalog (as written in the scenario)"), catalog),
        (_("Terms"), s.terms),
        (_("Groups per module"), groups_text(s)),
        *([(_("Dual groups per term"), ", ".join(map(str, s.dual)))] if s.dual_groups is not None else []),
        *([(_("Company hours per period, maximum"), s.max_company_hours)] if s.max_company_hours is not None else []),
        (_("Weeks per term"), s.weeks_per_term),
        (_("Careers"), careers),
        (_("Required modules"), listed(s.required_modules)),
        (_("Excluded modules"), listed(s.excluded_modules)),
        (_("Objective order"), ", ".join(objective_word(k) for k in s.objective) or _("none")),
        (_("Time limit (seconds)"), limit(s.time_limit_seconds)),
        (_("Total hours, maximum"), limit(s.total_hours_max)),
        (_("Hours per term, minimum"), s.term_hours_min),
        (_("Hours per term, maximum"), limit(s.term_hours_max)),
        (_("Modules per term, minimum"), s.modules_per_term_min),
        (_("Modules per term, maximum"), limit(s.modules_per_term_max)),
        (_("Instructors used, maximum"), limit(s.max_instructors_used)),
    ]
