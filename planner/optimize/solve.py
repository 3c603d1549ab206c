"""The lexicographic driver: solve one objective, fix its value, hint the plan, solve the next."""

from __future__ import annotations

import time
from collections.abc import Callable

import ortools
from ortools.sat.python import cp_model

from planner.errors import NoPlanFoundError
from planner.i18n import _
from planner.model import Problem, Training
from planner.optimize import explain, mip
from planner.optimize.constraints import OBJECTIVE_TERMS, TRAINING_STAGE, PlanModel, build, training_spent
from planner.optimize.portfolio import ReporterFactory, hint, race
from planner.options import SolveOptions
from planner.result import Placement, PlanResult, Progress, SolverInfo, Stage, Status

MIN_STAGE_SECONDS = 0.05


ProgressCallback = Callable[[Progress], None]


def solve(
    problem: Problem,
    options: SolveOptions | None = None,
    progress: ProgressCallback | None = None,
) -> PlanResult:
    """Find the best plan for `problem`, objective by objective in the scenario's order.

    The time limit (option, else the scenario's, else 60 s) bounds the whole run. The result is
    OPTIMAL only when every stage was proven optimal. Raises InfeasibleError (with the conflicting
    requirements) or NoPlanFoundError when the limit passes before any plan is found.
    """
    options = options or SolveOptions()
    limit = options.effective_limit(problem.scenario)
    start = options.started if options.started is not None else time.monotonic()  # the run's clock
    pm = build(problem)
    objective = (*stage_order(problem), *((TRAINING_STAGE,) if problem.offers else ()))
    stages: list[Stage] = []
    placements: tuple[Placement, ...] | None = None
    values: list[int] | None = None  # the last stage's plan, one value per model variable
    engines: list[str] = []
    translation = mip.Later(pm.model) if options.highs else None
    bought: tuple[Training, ...] = ()
    parameters: dict[str, object] = {}
    for number, name in enumerate(objective, start=1):
        remaining = limit - options.reserve - (time.monotonic() - start)
        if placements is not None and remaining < MIN_STAGE_SECONDS:
            break
        term, maximise, in_hours = OBJECTIVE_TERMS.get(name, (training_spent, False, False))
        scale = pm.unit if in_hours else 1
        expr = term(pm)
        if maximise:
            pm.model.maximize(expr)
        else:
            pm.model.minimize(expr)
        reporter = _reporter(progress, name, number, len(objective), start, limit, scale)
        stage_start = time.monotonic()
        found = race(pm, translation, remaining, options, reporter, values)
        seconds = time.monotonic() - stage_start
        parameters = found.parameters
        if found.infeasible and values is None:
            raise explain.infeasibility(problem, limit - (time.monotonic() - start))
        if found.values is None:
            if values is None:
                raise NoPlanFoundError(
                    _(
                        "No plan was found within the time limit of {limit} s; "
                        "raise --time-limit or time_limit_seconds, or relax the scenario's limits.",
                        limit=f"{limit:g}",
                    )
                )
            break  # keep the plan of the previous stage
        assert found.value is not None and found.bound is not None
        value, bound, proven = found.value, found.bound, found.proven
        stages.append(Stage(name, value * scale, bound * scale, proven, round(seconds, 3)))
        engines.append(f"{name}: {found.engine}")
        values = found.values
        placements = _placements(pm, values)
        bought = tuple(o.training for o, b in zip(problem.offers, pm.buy, strict=True) if values[b.index])
        if not proven:
            break  # no time is left for the next stages
        if number < len(objective):  # the next stage keeps this optimum and starts from this plan
            pm.model.add(expr == value)
            _hint(pm, values)
    assert placements is not None
    all_proven = len(stages) == len(objective) and all(s.proven for s in stages)
    info = SolverInfo(
        ortools_version=ortools.__version__,  # type: ignore[attr-defined]
        parameters={k: str(v) for k, v in parameters.items() if k != "max_time_in_seconds"}
        | {"time_limit_seconds": f"{limit:g}", "plan_found_by": "; ".join(engines)},
        seconds=round(time.monotonic() - start, 3),
    )
    status = Status.OPTIMAL if all_proven else Status.FEASIBLE
    return PlanResult(problem, status, placements, tuple(stages), info, training=bought)


def stage_order(problem: Problem) -> tuple[str, ...]:
    """The scenario's objectives in order; with a review, then `changes` (unless ranked already)."""
    objective = problem.scenario.objective
    if problem.review is not None and "changes" not in objective:
        return (*objective, "changes")
    return objective


def _hint(pm: PlanModel, values: list[int]) -> None:
    """Start the next stage from this stage's plan, which stays feasible there."""
    variables: list[cp_model.IntVar] = [
        *pm.place.values(),
        *pm.teach.values(),
        *pm.covered.values(),
        *pm.uses,
        *pm.active.values(),
        *pm.buy,
    ]
    if pm.largest_term is not None:
        variables.append(pm.largest_term)
    hint(pm, values, variables)


def _placements(pm: PlanModel, values: list[int]) -> tuple[Placement, ...]:
    """The plan; a module's sections go to its instructors in catalog order (sections are alike)."""
    problem = pm.problem
    teachers: dict[int, list[str]] = {}
    for (i, k, _t), v in sorted(pm.teach.items()):
        teachers.setdefault(i, []).extend([problem.instructors[k].instructor_id] * values[v.index])
    plan = [
        Placement(
            module_id=problem.candidates[i].module_id,
            term=t,
            instructors=tuple(teachers[i]) if problem.instructors else (None,) * problem.sections,
        )
        for (i, t), v in pm.place.items()
        if values[v.index]
    ]
    return tuple(sorted(plan, key=lambda p: (p.term, p.module_id)))


def _reporter(
    progress: ProgressCallback | None,
    stage: str,
    number: int,
    stages: int,
    start: float,
    limit: float,
    scale: int,
) -> ReporterFactory:
    """For a CP-SAT solver, a function that passes each new plan and bound to `progress`; None when
    nobody listens."""

    def attach(solver: cp_model.CpSolver) -> Callable[[int, float], None] | None:
        if progress is None:
            return None
        best: list[int | None] = [None]

        def report(bound: float | None) -> None:
            progress(
                Progress(
                    stage=stage,
                    stage_number=number,
                    stages=stages,
                    best=best[0],
                    bound=None if bound is None else round(bound) * scale,
                    elapsed=time.monotonic() - start,
                    limit=limit,
                )
            )

        def plan(value: int, bound: float) -> None:
            best[0] = value * scale
            report(bound)

        solver.best_bound_callback = report
        report(None)
        return plan

    return attach
