"""The lexicographic driver: solve one objective, fix its value, hint the plan, solve the next."""

from __future__ import annotations

import time
from collections.abc import Callable

import ortools
from ortools.sat.python import cp_model

from planner.errors import NoPlanFoundError
from planner.i18n import _
from planner.model import Problem, Training
from planner.optimize import explain
from planner.optimize.constraints import OBJECTIVE_TERMS, TRAINING_STAGE, PlanModel, build, training_spent
from planner.optimize.running import run_solver
from planner.options import SolveOptions
from planner.result import Placement, PlanResult, Progress, SolverInfo, Stage, Status

DEFAULT_TIME_LIMIT = 60.0
MIN_STAGE_SECONDS = 0.05


def solver_parameters(seconds: float, options: SolveOptions) -> dict[str, object]:
    """CP-SAT settings for one objective stage.

    Eight workers (a portfolio that includes LP-based and LNS workers) beat two even on a 2-core
    machine. Interleaved search runs that portfolio in deterministic batches, so the same inputs
    give the same plan run after run whatever the thread timing; a batch of two tasks measured
    fastest among the deterministic settings (docs/BENCHMARKS.md). Without it (`reproducible`
    False) the workers race freely: often faster on large catalogs, but among equally good plans
    the one returned may change from run to run.
    """
    parameters: dict[str, object] = {
        "max_time_in_seconds": max(seconds, 0.01),
        "num_workers": options.workers,
        "random_seed": options.seed,
    }
    if options.reproducible:
        parameters |= {"interleave_search": True, "interleave_batch_size": 2}
    return parameters


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
    limit = options.time_limit or problem.scenario.time_limit_seconds or DEFAULT_TIME_LIMIT
    start = options.started if options.started is not None else time.monotonic()  # the run's clock
    pm = build(problem)
    objective = (*stage_order(problem), *((TRAINING_STAGE,) if problem.offers else ()))
    stages: list[Stage] = []
    placements: tuple[Placement, ...] | None = None
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
        solver = cp_model.CpSolver()
        parameters = solver_parameters(remaining, options)
        for key, value in parameters.items():
            setattr(solver.parameters, key, value)
        reporter = _reporter(progress, name, number, len(objective), start, limit, solver, scale)
        stage_start = time.monotonic()
        status = run_solver(solver, pm.model, reporter)
        seconds = time.monotonic() - stage_start
        if status == cp_model.INFEASIBLE and placements is None:
            raise explain.infeasibility(problem, limit - (time.monotonic() - start))
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            if placements is None:
                raise NoPlanFoundError(
                    _(
                        "No plan was found within the time limit of {limit} s; "
                        "raise --time-limit or time_limit_seconds, or relax the scenario's limits.",
                        limit=f"{limit:g}",
                    )
                )
            break  # keep the plan of the previous stage
        value = round(solver.objective_value)
        bound = round(solver.best_objective_bound)
        proven = status == cp_model.OPTIMAL
        stages.append(Stage(name, value * scale, bound * scale, proven, round(seconds, 3)))
        placements = _placements(pm, solver)
        bought = tuple(o.training for o, b in zip(problem.offers, pm.buy, strict=True) if solver.boolean_value(b))
        _fix(pm, expr, value, maximise, proven)
        _hint(pm, solver)
        if not proven:
            break  # no time is left for the next stages
    assert placements is not None
    all_proven = len(stages) == len(objective) and all(s.proven for s in stages)
    info = SolverInfo(
        ortools_version=ortools.__version__,  # type: ignore[attr-defined]
        parameters={k: str(v) for k, v in parameters.items() if k != "max_time_in_seconds"}
        | {"time_limit_seconds": f"{limit:g}"},
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


def _fix(pm: PlanModel, expr: cp_model.LinearExprT, value: int, maximise: bool, proven: bool) -> None:
    """Keep this stage's value in the next stages (at least as good, if it was not proven)."""
    if proven:
        pm.model.add(expr == value)
    elif maximise:
        pm.model.add(expr >= value)
    else:
        pm.model.add(expr <= value)


def _hint(pm: PlanModel, solver: cp_model.CpSolver) -> None:
    """Start the next stage from this stage's plan, which stays feasible there."""
    pm.model.clear_hints()
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
    for v in variables:
        pm.model.add_hint(v, solver.value(v))


def _placements(pm: PlanModel, solver: cp_model.CpSolver) -> tuple[Placement, ...]:
    """The plan; a module's sections go to its instructors in catalog order (sections are alike)."""
    problem = pm.problem
    teachers: dict[int, list[str]] = {}
    for (i, k, _t), v in sorted(pm.teach.items()):
        teachers.setdefault(i, []).extend([problem.instructors[k].instructor_id] * solver.value(v))
    plan = [
        Placement(
            module_id=problem.candidates[i].module_id,
            term=t,
            instructors=tuple(teachers[i]) if problem.instructors else (None,) * problem.sections,
        )
        for (i, t), v in pm.place.items()
        if solver.boolean_value(v)
    ]
    return tuple(sorted(plan, key=lambda p: (p.term, p.module_id)))


def _reporter(
    progress: ProgressCallback | None,
    stage: str,
    number: int,
    stages: int,
    start: float,
    limit: float,
    solver: cp_model.CpSolver,
    scale: int,
) -> cp_model.CpSolverSolutionCallback | None:
    """A callback that passes each new plan and bound to `progress`; None when nobody listens."""
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

    class Reporter(cp_model.CpSolverSolutionCallback):
        def on_solution_callback(self) -> None:
            best[0] = round(self.objective_value) * scale
            report(self.best_objective_bound)

    solver.best_bound_callback = report
    report(None)
    return Reporter()
