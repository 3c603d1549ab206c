"""The main job as library calls: load the inputs, check them, solve, and check the plan."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from planner.catalog import load_catalog
from planner.errors import InputError, Issue, OutputError, PlannerError
from planner.model import Catalog, Problem
from planner.options import SolveOptions
from planner.result import PlanResult, Progress
from planner.scenario import load_scenario

EXPORTS = Path("exports")
DEFAULT_CATALOG = Path("catalog")


def load_problem(scenario_path: Path, catalog_path: Path | None = None) -> Problem:
    """Read and check the scenario and its catalog (the --catalog option wins over the scenario's)."""
    scenario = load_scenario(scenario_path)
    path = catalog_path or scenario.catalog
    if path is None:
        raise InputError(
            [
                Issue(
                    scenario.file_name,
                    "no catalog given: set `catalog` in the scenario or pass --catalog.",
                    column="catalog",
                )
            ]
        )
    return Problem.build(load_catalog(path, scenario.campus), scenario)


def make_plan(
    scenario_path: Path,
    catalog_path: Path | None = None,
    options: SolveOptions | None = None,
    progress: Callable[[Progress], None] | None = None,
) -> PlanResult:
    """Solve a scenario; the plan is checked against every rule before it is returned."""
    from planner.optimize import solve

    result = solve(load_problem(scenario_path, catalog_path), options, progress)
    broken = result.violations()
    if broken:  # a solver or model bug: refuse to hand out a plan that breaks the rules
        raise PlannerError(
            "Internal error: the plan found breaks these rules, so nothing was written: " + "; ".join(broken)
        )
    return result


def check_inputs(catalog_path: Path | None, scenario_path: Path | None) -> tuple[Catalog, Problem | None]:
    """Validate a catalog and, if given, a scenario against it."""
    if scenario_path is None:
        return load_catalog(catalog_path or DEFAULT_CATALOG), None
    problem = load_problem(scenario_path, catalog_path)
    return problem.catalog, problem


def output_paths(scenario_path: Path, workbook: Path | None, plan_file: Path | None, force: bool) -> tuple[Path, Path]:
    """Where the workbook and plan file go; refused up front if they exist and --force is not given."""
    workbook = workbook or EXPORTS / f"{scenario_path.stem}.xlsx"
    plan_file = plan_file or workbook.with_suffix(".json")
    if workbook.suffix.lower() != ".xlsx":
        raise InputError([Issue("--out", f"'{workbook}' must end in .xlsx.")])
    if workbook.resolve() == plan_file.resolve():
        raise InputError([Issue("--json", "the plan file and the workbook must be different files.")])
    existing = [p for p in (workbook, plan_file) if p.exists()]
    if existing and not force:
        names = " and ".join(str(p) for p in existing)
        raise OutputError(
            f"{names} already exist{'s' if len(existing) == 1 else ''}; nothing was written. Use --force to overwrite."
        )
    return workbook, plan_file
