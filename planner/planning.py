"""The main job as library calls: load the inputs, check them, solve, and check the plan."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, TypeVar

from planner.catalog import load_catalog
from planner.errors import InputError, Issue, PlannerError
from planner.i18n import _
from planner.loaders.clock import Limit, scenario_limit, time_limited
from planner.model import Catalog, Problem
from planner.options import DEFAULT_TIME_LIMIT, SolveOptions
from planner.result import PlanResult, Progress
from planner.review import load_review
from planner.scenario import campus_named_in, catalog_named_in, load_scenario
from planner.signals import checkpoint, held, pause_point

T = TypeVar("T")

DEFAULT_CATALOG = Path("catalog")
RESERVE_BASE = 0.2
RESERVE_PER_MODULE = 0.0008


def load_problem(
    scenario_path: Path,
    catalog_path: Path | None = None,
    review_path: Path | None = None,
    overrides: Mapping[str, Any] | None = None,
    source: str | None = None,
) -> Problem:
    """Read and check the scenario and its catalog (the --catalog option wins over the scenario's).

    The problems of both files are reported together, so one run lists everything to fix: the
    catalog is read even when the scenario has errors, as long as its place is known.
    `overrides` and `source` are the scenario loader's (a rollout's campus).
    """
    issues: list[Issue] = []
    scenario = _collect(lambda: load_scenario(scenario_path, overrides, source), issues)
    scenario_limit(scenario.time_limit_seconds if scenario is not None else None)
    path = catalog_path or (scenario.catalog if scenario is not None else catalog_named_in(scenario_path))
    if path is None and scenario is not None:
        issues.append(
            Issue(
                scenario.file_name,
                _("no catalog given: set `catalog` in the scenario or pass --catalog."),
                column="catalog",
            )
        )
    campus = scenario.campus if scenario is not None else None
    catalog = _collect(lambda: load_catalog(path, campus), issues) if path is not None else None
    if issues or scenario is None or catalog is None:
        raise InputError(issues)
    review = load_review(review_path, catalog, scenario) if review_path is not None else None
    return Problem.build(catalog, scenario, review)


def run_inputs(scenario_path: Path, catalog_path: Path | None = None, review_path: Path | None = None) -> list[Path]:
    """Every input file or folder of a run, found before it starts, so that no output replaces one:
    the scenario, its catalog (the option's, else the scenario's), its campus folder and the review."""
    found = [scenario_path, catalog_path or catalog_named_in(scenario_path), campus_named_in(scenario_path)]
    return [Path(p) for p in (*found, review_path) if p is not None]


def _collect(load: Callable[[], T], issues: list[Issue]) -> T | None:
    """The loaded value, or None with its problems added to `issues`."""
    try:
        return load()
    except InputError as error:
        issues.extend(error.issues)
        return None


def make_plan(
    scenario_path: Path,
    catalog_path: Path | None = None,
    options: SolveOptions | None = None,
    progress: Callable[[Progress], None] | None = None,
    review_path: Path | None = None,
) -> PlanResult:
    """Solve a scenario (with a reviewed workbook's decisions, if given); the plan is checked
    against every rule before it is returned."""
    options = _clock_started(options)
    with _reading_timed(options):
        problem = load_problem(scenario_path, catalog_path, review_path)
    return solve_checked(problem, options, progress)


def solve_checked(
    problem: Problem, options: SolveOptions, progress: Callable[[Progress], None] | None = None
) -> PlanResult:
    """Solve a loaded problem, keeping time for the work after solving, and refuse a plan that
    breaks a rule of the model (a solver or model bug) instead of handing it out."""
    solve = _optimizer().solve
    checkpoint()
    if os.environ.get("PLANNER_TEST_STEP") == "searching":  # test-only: see signals.pause_point
        progress = _pausing_at_first_report(progress)
    result = solve(problem, replace(options, reserve=after_solve_reserve(problem, options)), progress)
    broken = result.violations()
    if broken:
        from planner.words.reasons import say

        raise PlannerError(
            _(
                "Internal error: the plan found breaks these rules, so nothing was written: {rules}",
                rules="; ".join(say(reason) for reason in broken),
            )
        )
    return result


@dataclass(frozen=True)
class Explanation:
    """What binds a feasible scenario's plan: each limit whose relaxation raises coverage."""

    scenario: str
    bindings: list[Any]
    complete: bool


def explain(scenario_path: Path, catalog_path: Path | None = None, options: SolveOptions | None = None) -> Explanation:
    """The limits that bind the plan of a scenario; raises InfeasibleError naming the conflicting
    requirements when it has no plan. The time limit bounds the whole analysis."""
    options = _clock_started(options)
    started = options.started if options.started is not None else time.monotonic()
    with _reading_timed(options):
        problem = load_problem(scenario_path, catalog_path)
    analysis = _optimizer().explain
    checkpoint()
    limit = options.effective_limit(problem.scenario)
    found, complete = analysis.bindings(problem, limit - (time.monotonic() - started))
    if found is None:  # infeasible: the conflicts
        raise analysis.infeasibility(problem, limit - (time.monotonic() - started))
    return Explanation(problem.scenario.name, found, complete)


def _pausing_at_first_report(progress: Callable[[Progress], None] | None) -> Callable[[Progress], None]:
    """Test-only: the first report from the solver's own thread (a plan or a bound: the search is
    under way) is the step "searching"."""
    reported: list[Progress] = []

    def report(update: Progress) -> None:
        if not reported and threading.current_thread() is not threading.main_thread():
            reported.append(update)
            pause_point("searching")
        if progress is not None:
            progress(update)

    return report


def _optimizer() -> Any:
    """The optimizer package, imported with stop signals held: a signal landing inside a solver
    library's import would break it half-way; held, it stops the run right after."""
    with held():
        import planner.optimize
        import planner.optimize.explain  # noqa: F401 - loaded here, under the held signals

    return planner.optimize


def _clock_started(options: SolveOptions | None) -> SolveOptions:
    options = options or SolveOptions()
    return options if options.started is not None else replace(options, started=time.monotonic())


def _reading_timed(options: SolveOptions) -> AbstractContextManager[Limit]:
    """The time limit bounds reading the inputs too: the option's, else the scenario's once read,
    else the default (planner.loaders.clock stops the reading with exit 4)."""
    return time_limited(options.started, options.time_limit, fallback=DEFAULT_TIME_LIMIT)


def after_solve_reserve(problem: Problem, options: SolveOptions) -> float:
    """Seconds to keep for the work after solving (rule check, gap reasons, workbook), so the time
    limit bounds the whole run: measured at about 2 s for 5,000 candidate modules on one core, and
    doubled for slower machines; at most a quarter of the limit."""
    limit = options.effective_limit(problem.scenario)
    return min(RESERVE_BASE + RESERVE_PER_MODULE * len(problem.candidates), limit / 4)


def check_inputs(catalog_path: Path | None, scenario_path: Path | None) -> tuple[Catalog, Problem | None]:
    """Validate a catalog and, if given, a scenario against it."""
    if scenario_path is None:
        return load_catalog(catalog_path or DEFAULT_CATALOG), None
    problem = load_problem(scenario_path, catalog_path)
    return problem.catalog, problem
