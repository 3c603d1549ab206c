"""The main job as library calls: load the inputs, check them, solve, and check the plan."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TypeVar

from planner.catalog import load_catalog
from planner.errors import InputError, Issue, OutputError, PlannerError
from planner.i18n import _
from planner.loaders.clock import scenario_limit, time_limited
from planner.model import Catalog, Problem
from planner.options import SolveOptions
from planner.result import PlanResult, Progress
from planner.review import load_review
from planner.scenario import catalog_named_in, load_scenario

T = TypeVar("T")

EXPORTS = Path("exports")
DEFAULT_CATALOG = Path("catalog")
RESERVE_BASE = 0.2
RESERVE_PER_MODULE = 0.0008


def load_problem(scenario_path: Path, catalog_path: Path | None = None, review_path: Path | None = None) -> Problem:
    """Read and check the scenario and its catalog (the --catalog option wins over the scenario's).

    The problems of both files are reported together, so one run lists everything to fix: the
    catalog is read even when the scenario has errors, as long as its place is known.
    """
    issues: list[Issue] = []
    scenario = _collect(lambda: load_scenario(scenario_path), issues)
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
    from planner.optimize import solve
    from planner.optimize.solve import DEFAULT_TIME_LIMIT

    options = options or SolveOptions()
    if options.started is None:
        options = replace(options, started=time.monotonic())
    with time_limited(options.started, options.time_limit, fallback=DEFAULT_TIME_LIMIT):
        problem = load_problem(scenario_path, catalog_path, review_path)
    result = solve(problem, replace(options, reserve=after_solve_reserve(problem, options)), progress)
    broken = result.violations()
    if broken:  # a solver or model bug: refuse to hand out a plan that breaks the rules
        from planner.words.reasons import say

        raise PlannerError(
            _(
                "Internal error: the plan found breaks these rules, so nothing was written: {rules}",
                rules="; ".join(say(reason) for reason in broken),
            )
        )
    return result


def after_solve_reserve(problem: Problem, options: SolveOptions) -> float:
    """Seconds to keep for the work after solving (rule check, gap reasons, workbook), so the time
    limit bounds the whole run: measured at about 2 s for 5,000 candidate modules on one core, and
    doubled for slower machines; at most a quarter of the limit."""
    from planner.optimize.solve import DEFAULT_TIME_LIMIT

    limit = options.time_limit or problem.scenario.time_limit_seconds or DEFAULT_TIME_LIMIT
    return min(RESERVE_BASE + RESERVE_PER_MODULE * len(problem.candidates), limit / 4)


def check_inputs(catalog_path: Path | None, scenario_path: Path | None) -> tuple[Catalog, Problem | None]:
    """Validate a catalog and, if given, a scenario against it."""
    if scenario_path is None:
        return load_catalog(catalog_path or DEFAULT_CATALOG), None
    problem = load_problem(scenario_path, catalog_path)
    return problem.catalog, problem


def output_paths(scenario_path: Path, workbook: Path | None, plan_file: Path | None, force: bool) -> tuple[Path, Path]:
    """Where the workbook and plan file go, checked before any solving.

    What cannot be written (a name too long, a folder in the way, a file where a folder must be,
    an unwritable folder, an input file) is refused with exit 2, and so is an existing file, or a
    link, without --force. The writer checks existence again at the moment it writes.
    """
    workbook = workbook or EXPORTS / f"{scenario_path.stem}.xlsx"
    plan_file = plan_file or workbook.with_suffix(".json")
    issues: list[Issue] = []
    if workbook.suffix.lower() != ".xlsx":
        issues.append(Issue("--out", _("'{path}' must end in .xlsx.", path=workbook)))
    for option, path in (("--out", workbook), ("--json", plan_file)):
        problem = _unwritable(path, scenario_path)
        if problem:
            issues.append(Issue(option, _("'{path}' cannot be written: {problem}.", path=path, problem=problem)))
    if not issues and _same_file(workbook, plan_file):
        issues.append(Issue("--json", _("the plan file and the workbook must be different files.")))
    if issues:
        raise InputError(issues)
    _refuse_existing((workbook, plan_file), force)
    return workbook, plan_file


def compare_output(workbook: Path, plans: list[Path], force: bool) -> Path:
    """The compare workbook's path, checked before any plan file is read: an .xlsx that can be
    written, none of the plan files, and not an existing file without --force."""
    issues: list[Issue] = []
    if workbook.suffix.lower() != ".xlsx":
        issues.append(Issue("--out", _("'{path}' must end in .xlsx.", path=workbook)))
    problem = next(filter(None, (_unwritable(workbook, plan) for plan in plans)), None)
    if problem:
        issues.append(Issue("--out", _("'{path}' cannot be written: {problem}.", path=workbook, problem=problem)))
    if issues:
        raise InputError(issues)
    _refuse_existing((workbook,), force)
    return workbook


def _refuse_existing(paths: tuple[Path, ...], force: bool) -> None:
    existing = [p for p in paths if os.path.lexists(p)]
    if existing and not force:
        if len(existing) == 1:
            message = _("{path} already exists; nothing was written. Use --force to overwrite.", path=existing[0])
        else:
            message = _(
                "{first} and {second} already exist; nothing was written. Use --force to overwrite.",
                first=existing[0],
                second=existing[1],
            )
        raise OutputError(message)


def _unwritable(path: Path, input_path: Path) -> str | None:
    """Why a file could not be created or replaced at `path`, or None."""
    if path.name in ("", ".", ".."):
        return _("it names a folder, not a file")
    folder = _nearest_existing(path.parent)
    if not folder.is_dir():
        return _("'{folder}' is a file, not a folder", folder=folder)
    longest = _name_max(folder)
    for part in path.parts:
        if len(os.fsencode(part)) > longest:
            return _(
                "the name '{name}...' is {size} bytes; at most {longest} fit here",
                name=part[:24],
                size=len(os.fsencode(part)),
                longest=longest,
            )
    if path.is_dir():
        return _("it is a folder")
    if _same_file(path, input_path):
        return _("it is an input file of this run")
    if not os.access(folder, os.W_OK | os.X_OK):
        return _("the folder '{folder}' is not writable", folder=folder)
    return None


def _nearest_existing(folder: Path) -> Path:
    while not os.path.lexists(folder) and folder != folder.parent:
        folder = folder.parent
    return folder


def _name_max(folder: Path) -> int:
    try:
        return os.pathconf(folder, "PC_NAME_MAX")
    except (OSError, ValueError, AttributeError):
        return 255  # the limit of every common file system


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (a.exists() and b.exists() and os.path.samefile(a, b))
    except OSError:
        return False
