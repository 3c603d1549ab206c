"""One objective stage searched by two engines at once: CP-SAT and HiGHS, on the same model.

They are good at different things. HiGHS's LP-based branch and bound proves covering-like stages
(set covering, coverage without staffing) in a fraction of CP-SAT's time; CP-SAT finds plans on
small catalogs and on the staffing model quicker. On two cores each gets about one.

Where instructors have contract floors (`canonical.has_floors`), CP-SAT first searches alone on both
cores for CLAIM units of deterministic time, with canonical.WORKERS workers whatever the machine
(most stages of a campus's plan end there, proven, and its plan is then the stage's canonical one).
Then both engines search, CP-SAT hinted with the best plan at hand, and the first proof ends the
stage. Which engine proves it does not change the plan written (canonical.py): after a claim that
spent its budget, HiGHS searches a translation of its own from the claim's plan (`own`), and so it
does on the first stage without floors, from no plan; the proof of such a search names the
stage's plan, and when CP-SAT proves the stage first the same search runs after the race.

`settle` ends the other engine and waits for it; `choose` is the pure rule that reads the two
outcomes. HiGHS's "infeasible" counts only when CP-SAT confirms it or holds no plan: a MILP solver
can be wrong about a model CP-SAT holds a plan of, and that must never become an infeasibility
report with no conflict in it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from ortools.sat.python import cp_model

from planner.optimize import canonical, mip
from planner.optimize.canonical import has_floors
from planner.optimize.constraints import PlanModel
from planner.optimize.mip import Outcome
from planner.optimize.running import run_solver
from planner.options import SolveOptions
from planner.result import Engine

ReporterFactory = Callable[[cp_model.CpSolver], Callable[[int, float], None] | None]


@dataclass(frozen=True)
class Found:
    """A stage's outcome: the plan (a value per model variable), its objective and bound in
    CP-SAT's terms, whether it is proven, and which engine found the plan (None without a plan)."""

    values: list[int] | None
    value: int | None
    bound: int | None
    proven: bool
    infeasible: bool
    engine: Engine | None
    parameters: dict[str, object]
    # The stage's canonical plan when the race holds it (canonical.py): HiGHS's proof on a
    # translation of the stage's model alone (`race(own=True)`), or CP-SAT's proof in its claim.
    canonical: list[int] | None = None
    # Whether HiGHS's search on a translation of its own, from `claimed` (the plan of a claim that
    # spent its deterministic budget unproven, or none), names the stage's plan (canonical.py).
    own: bool = False
    claimed: list[int] | None = None


def cp_sat_parameters(
    seconds: float, options: SolveOptions, racing: bool = True, workers: int | None = None
) -> dict[str, object]:
    """CP-SAT settings for one objective stage.

    Eight workers (a portfolio that includes LP-based and LNS workers) beat two even on a 2-core
    machine. Interleaved search runs that portfolio in deterministic batches. Beside HiGHS the
    batches hold one task, which leaves HiGHS the other core; alone (its claim, or a model HiGHS
    cannot take) they hold two. `workers` fixes their number whatever the options (the claim).
    """
    return {
        "max_time_in_seconds": max(seconds, 0.01),
        "num_workers": workers or options.workers,
        "random_seed": options.seed,
        "interleave_search": True,
        "interleave_batch_size": 1 if racing else 2,
    }


# HiGHS checks its clock less often than CP-SAT (up to ~2 s late on national catalogs), so it
# stops a little early to keep the whole run within the time limit.
HIGHS_SHARE = 0.9
# CP-SAT's first run alone, where it claims, in deterministic time units (about 1-4 s on two cores,
# by catalog size): the instructor_shortage seed takes 4.3 s with 2.0, 6-7 s with 0.3. It runs
# canonical.WORKERS workers whatever the machine, so its plan is a function of the inputs.
CLAIM = 2.0
CUT = 0.95  # a claim that ran this share of its seconds or more may have been cut by the clock


def race(
    pm: PlanModel,
    later: mip.Later | None,
    seconds: float,
    options: SolveOptions,
    reporter: ReporterFactory,
    start: list[int] | None,
    own: bool = False,
) -> Found:
    """Search the stage whose objective is set on `pm.model`; `start` is the previous stage's plan.
    `own`: HiGHS searches a translation of this model of its own, with nothing learnt in earlier
    stages and no start, so that its plan is the one canonical.highs_plan would search for (the
    first stage without floors). So it does, from the claim's plan, after a claim that spent its
    budget unproven."""
    clock = time.monotonic()
    budget = _budget(pm)
    claim: _Run | None = None
    claimed = None
    if budget:  # CP-SAT's claim: alone on both cores, for a short deterministic time
        claim = _cp_sat(pm, seconds, options, reporter, None, budget, start is not None, canonical.WORKERS)
        if claim.status in (cp_model.OPTIMAL, cp_model.INFEASIBLE):
            found = choose(claim.outcome(), None, pm.maximising, claim.parameters)
            return replace(found, canonical=found.values)  # a proven claim's plan is the stage's
        # Ended by its deterministic budget, not the clock (which stops it at `seconds`): its best
        # plan, or none, is then a function of the inputs, and HiGHS's search from it names the plan.
        own = own or claim.solver.wall_time < CUT * seconds
        claimed = claim.outcome().values if own else None
        start = claim.outcome().values or start  # the search goes on from CP-SAT's best plan
    return _both(pm, later, seconds - (time.monotonic() - clock), options, reporter, start, own, claimed, claim)


def _both(
    pm: PlanModel,
    later: mip.Later | None,
    seconds: float,
    options: SolveOptions,
    reporter: ReporterFactory,
    start: list[int] | None,
    own: bool,
    claimed: list[int] | None,
    claim: _Run | None,
) -> Found:
    """The race proper, after the claim if any: HiGHS (where the options say, or where its own
    search names the plan) and CP-SAT, and the stage's outcome from the two."""
    racing = later if options.highs or own else None
    highs = _highs(pm, racing, own, claimed if own else start, HIGHS_SHARE * seconds)
    clock = time.monotonic()
    if start is not None:
        # Racing HiGHS, the placements only; alone, the whole plan. A complete hint is loaded as a
        # first solution, and OR-Tools 9.15 can abort the process when a search is stopped around
        # that moment ("Check failed: solution->size() == postsolve_mapping.size()"); the race is
        # where CP-SAT is stopped from outside, as soon as HiGHS has the answer.
        pm.hint(start, pm.place.values() if highs is not None else None)
    # The previous stage's plan is a plan of this stage too: with it at hand, "infeasible" is wrong.
    held = start is not None
    run = _cp_sat(pm, seconds - (time.monotonic() - clock), options, reporter, highs, None, held)
    settle(run, highs)
    outcome = run.outcome()
    if claim is not None and outcome.values is None:  # the race found nothing better than the claim
        best = claim.outcome()
        outcome = replace(best, bound=best.bound if outcome.bound is None else outcome.bound)
    parameters = run.parameters | ({"engines": "cp-sat, highs"} if highs is not None else {})
    verdict = highs.outcome() if highs is not None else None
    if verdict is not None and verdict.infeasible and held:
        verdict = Outcome()
    found = replace(choose(outcome, verdict, pm.maximising, parameters), own=own, claimed=claimed)
    if own and verdict is not None and verdict.proven and verdict.value == found.value:
        return replace(found, canonical=verdict.values)
    return found


def _highs(
    pm: PlanModel, later: mip.Later | None, own: bool, start: list[int] | None, seconds: float
) -> mip.Search | None:
    """HiGHS's search of the stage, begun (None when it does not race). `own`: on a translation of
    the stage's model alone; the first translation is one, a later one has learnt from earlier stages."""
    if later is None:
        return None
    translation = mip.translate(pm.model) if own and later.done else later.get()
    if translation is None:
        return None
    highs = mip.Search(translation, seconds, start, wake=threading.Event())
    highs.begin()
    return highs


def _budget(pm: PlanModel) -> float | None:
    """CP-SAT's claim in deterministic time: CLAIM where instructors have contract floors (each
    teaches at least the floor in a period or nothing), which its propagation handles best (the
    staffed seeds: it proves in 1.2 s what takes HiGHS 4.6 s), whether or not HiGHS races after it;
    none elsewhere, where HiGHS's LP settles selection and covering sooner (both start at once)."""
    return CLAIM if has_floors(pm) else None


@dataclass
class _Run:
    """One CP-SAT run: the solver (its plan and bound), its status and the settings it ran with;
    `found` counts the plans it holds (the race reads it while it runs)."""

    solver: cp_model.CpSolver
    parameters: dict[str, object]
    status: Any = cp_model.UNKNOWN
    found: int = 0

    def outcome(self) -> Outcome:
        if self.status == cp_model.INFEASIBLE:
            return Outcome(infeasible=True)
        if self.status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return Outcome()
        solver = self.solver
        return Outcome(
            list(solver.response_proto.solution),
            round(solver.objective_value),
            round(solver.best_objective_bound),
            self.status == cp_model.OPTIMAL,
        )


def _cp_sat(
    pm, seconds, options, reporter, highs: mip.Search | None, budget: float | None, held=False, workers=None
) -> _Run:
    """One CP-SAT run; ends early when HiGHS has settled the stage (see `_answered`); `held`: a plan
    of the stage is known already."""
    parameters = cp_sat_parameters(seconds, options, racing=highs is not None, workers=workers)
    if budget is not None:
        parameters["max_deterministic_time"] = budget
    solver = cp_model.CpSolver()
    for key, value in parameters.items():
        setattr(solver.parameters, key, value)
    run = _Run(solver, parameters, found=int(held))
    report = reporter(solver)

    class Recorder(cp_model.CpSolverSolutionCallback):
        def on_solution_callback(self) -> None:
            run.found += 1
            if report is not None:
                report(round(self.objective_value), self.best_objective_bound)

    wake = highs.wake if highs is not None else None
    run.status = run_solver(
        solver, pm.model, Recorder(), other=lambda: _answered(highs, run), on_interrupt=_stopper(highs), wake=wake
    )
    return run


def _answered(highs: mip.Search | None, run: _Run) -> bool:
    """HiGHS has settled the stage: proven, or infeasible while CP-SAT holds no plan to doubt it with."""
    return highs is not None and highs.done() and (highs.proven or (highs.infeasible and run.found == 0))


def settle(run: _Run, highs: mip.Search | None) -> None:
    """End HiGHS once CP-SAT's run is over, and wait for it.

    A proof or an infeasibility from CP-SAT ends the stage. Unproven, CP-SAT ran out of time or
    ended sooner on its own (in deterministic batches it can stop well before its limit: national-2
    at 18-24 s of 29); HiGHS then goes on to its own limit, which falls inside the stage's."""
    if highs is None:
        return
    if run.status in (cp_model.OPTIMAL, cp_model.INFEASIBLE):
        highs.stop()
    mip.wait(highs)


def choose(cp: Outcome, highs: Outcome | None, maximising: bool, parameters: dict[str, object]) -> Found:
    """The stage's outcome from the two engines' (pure: tests/test_portfolio.py reads it as a table).

    A proof wins, CP-SAT's first; then the better plan, CP-SAT's on a tie, with the tighter bound of
    the two. Infeasible when CP-SAT proves it, or when HiGHS does and CP-SAT holds no plan."""
    highs = highs or Outcome()
    if cp.infeasible or (highs.infeasible and cp.values is None):
        return Found(None, None, None, False, True, None, parameters)
    for outcome, engine in ((cp, Engine.CP_SAT), (highs, Engine.HIGHS)):
        if outcome.proven and outcome.values is not None:
            return Found(outcome.values, outcome.value, outcome.value, True, False, engine, parameters)
    bounds = [b for b in (cp.bound, None if highs.infeasible else highs.bound) if b is not None]
    bound = (min if maximising else max)(bounds) if bounds else None
    best, engine = cp, Engine.CP_SAT
    if highs.values is not None and (cp.values is None or _better(highs.value, cp.value, maximising)):
        best, engine = highs, Engine.HIGHS
    if best.values is None:
        return Found(None, None, None, False, False, None, parameters)
    return Found(best.values, best.value, best.value if bound is None else bound, False, False, engine, parameters)


def _better(a: int | None, b: int | None, maximising: bool) -> bool:
    """a is strictly better than b in the stage's sense."""
    if a is None or b is None:
        return a is not None
    return a > b if maximising else a < b


def _stopper(highs: mip.Search | None) -> Callable[[], None] | None:
    if highs is None:
        return None

    def stop() -> None:
        highs.stop()
        highs.join()

    return stop
