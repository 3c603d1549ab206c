"""The lexicographic driver: solve one objective, fix its value, hint the plan, solve the next."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import ortools
from ortools.sat.python import cp_model

from planner.errors import NoPlanFoundError
from planner.i18n import _
from planner.model import Problem
from planner.optimize import canonical, explain, mip
from planner.optimize.constraints import OBJECTIVE_TERMS, TRAINING_STAGE, PlanModel, build, training_spent
from planner.optimize.portfolio import Found, ReporterFactory, race
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
    run = _Run(pm, (*stage_order(problem), *((TRAINING_STAGE,) if problem.offers else ())), limit, start)
    floors = canonical.has_floors(pm)
    # HiGHS races where the options say, and wherever its search names the plan (portfolio.race)
    # even where they leave it out (a one-core batch task): it would run after the race otherwise.
    translation = mip.Later(pm.model)
    for number, name in enumerate(run.objective, start=1):
        remaining = limit - options.reserve - (time.monotonic() - start)
        if run.values is not None and remaining < MIN_STAGE_SECONDS:
            break
        expr, scale = _set_objective(pm, name)
        reporter = _reporter(progress, name, number, len(run.objective), start, limit, scale)
        stage_start = time.monotonic()
        own = number == 1 and not floors  # HiGHS's proof of it is then the first canonical plan
        found = race(pm, translation, remaining, options, reporter, run.values, own)
        if not run.keep(name, found, scale, time.monotonic() - stage_start):
            break
        assert run.values is not None and found.value is not None
        left = limit - options.reserve - (time.monotonic() - start)
        run.follow(expr, found, left, options.seed)
        if number < len(run.objective):  # the next stage keeps this optimum and starts from this plan
            pm.model.add(expr == found.value)
            pm.hint(run.chain or run.values)  # this plan stays feasible there
        elif run.chain is not None:
            run.values, run.canonical = run.chain, True
    return run.result()


def _set_objective(pm: PlanModel, name: str) -> tuple[cp_model.LinearExprT, int]:
    """Set stage `name`'s objective on the model; its expression, and the hours unit if counted in it."""
    term, maximise, in_hours = OBJECTIVE_TERMS.get(name, (training_spent, False, False))
    expr = term(pm)
    if maximise:
        pm.model.maximize(expr)
    else:
        pm.model.minimize(expr)
    return expr, pm.unit if in_hours else 1


@dataclass
class _Run:
    """What the stages settled so far: the last stage's plan (a value per model variable) and its figures."""

    pm: PlanModel
    objective: tuple[str, ...]
    limit: float
    start: float
    stages: list[Stage] = field(default_factory=list)
    values: list[int] | None = None
    parameters: dict[str, object] = field(default_factory=dict)
    canonical: bool = False  # the plan written is the canonical one: it depends on the inputs only
    chain: list[int] | None = None  # the latest proven stage's canonical plan

    def keep(self, name: str, found: Found, scale: int, seconds: float) -> bool:
        """Record a stage's outcome; whether the next stage may run (this one was proven)."""
        self.parameters = found.parameters
        if found.infeasible and self.values is None:
            raise explain.infeasibility(self.pm.problem, self.limit - (time.monotonic() - self.start))
        if found.values is None:
            if self.values is None:
                raise NoPlanFoundError(
                    _(
                        "No plan was found within the time limit of {limit} s; "
                        "raise --time-limit or time_limit_seconds, or relax the scenario's limits.",
                        limit=f"{self.limit:g}",
                    )
                )
            return False  # keep the plan of the previous stage
        assert found.value is not None and found.bound is not None
        value, bound = found.value * scale, found.bound * scale
        self.stages.append(Stage(name, value, bound, found.proven, round(seconds, 3), found.engine))
        self.values = found.values
        return found.proven  # else no time is left for the next stages

    def follow(self, objective: cp_model.LinearExprT, found: Found, seconds: float, seed: int) -> None:
        """This stage's canonical plan (canonical.py): the race's when it holds it; else HiGHS's
        search on a translation of its own when that names it; else the search that follows the
        previous stage's. Once broken (None: the time limit came first), the chain stays so."""
        assert found.value is not None
        if len(self.stages) > 1 and self.chain is None:
            return  # this stage's searches started from a plan of the race: none of them names it
        if found.canonical is not None:
            self.chain = found.canonical
        elif found.own:
            self.chain = canonical.highs_plan(self.pm, objective, found.value, seconds, seed, found.claimed)
        elif seconds < MIN_STAGE_SECONDS:
            self.chain = None
        else:
            self.chain = canonical.follow(self.pm, objective, found.value, self.chain or [], seconds, seed)

    def result(self) -> PlanResult:
        assert self.values is not None
        pm, values = self.pm, self.values
        bought = tuple(o.training for o, b in zip(pm.problem.offers, pm.buy, strict=True) if values[b.index])
        all_proven = len(self.stages) == len(self.objective) and all(s.proven for s in self.stages) and self.canonical
        info = SolverInfo(
            ortools_version=ortools.__version__,  # type: ignore[attr-defined]
            parameters={k: str(v) for k, v in self.parameters.items() if k != "max_time_in_seconds"}
            | {"time_limit_seconds": f"{self.limit:g}"},
            seconds=round(time.monotonic() - self.start, 3),
        )
        status = Status.OPTIMAL if all_proven else Status.FEASIBLE
        return PlanResult(pm.problem, status, _placements(pm, values), tuple(self.stages), info, training=bought)


def stage_order(problem: Problem) -> tuple[str, ...]:
    """The scenario's objectives in order; with a review, then `changes` (unless ranked already)."""
    objective = problem.scenario.objective
    if problem.review is not None and "changes" not in objective:
        return (*objective, "changes")
    return objective


def _placements(pm: PlanModel, values: list[int]) -> tuple[Placement, ...]:
    """The plan; a module's sections go to its instructors in catalog order (sections are alike),
    its dual sections first (the first sections of a term are its dual groups)."""
    problem = pm.problem
    dual: dict[int, list[str]] = {}
    regular: dict[int, list[str]] = {}
    for (i, k, t), v in sorted(pm.teach.items()):
        who = problem.instructors[k].instructor_id
        company = values[pm.dual[i, k, t].index] if (i, k, t) in pm.dual else 0
        dual.setdefault(i, []).extend([who] * company)
        regular.setdefault(i, []).extend([who] * (values[v.index] - company))
    plan = [
        Placement(
            module_id=problem.candidates[i].module_id,
            term=t,
            instructors=(tuple(dual[i] + regular[i]) if problem.instructors else (None,) * problem.sections_of(i, t)),
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
