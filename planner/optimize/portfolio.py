"""One objective stage searched by two engines at once: CP-SAT and HiGHS, on the same model.

They are good at different things. HiGHS's LP-based branch and bound proves covering-like stages
(set covering, coverage without staffing) in a fraction of CP-SAT's time; CP-SAT finds plans on
small catalogs and on the staffing model quicker. On two cores each gets about one.

Which plan is kept must not depend on which engine happens to finish first, or the same inputs
would give different plans. Both engines' searches are deterministic by themselves: CP-SAT's
interleaved portfolio in its deterministic time, HiGHS's branch and bound. So in the default
(reproducible) mode the plan kept is read from those searches alone:

- Where instructors have contract floors (`_cp_sat_claims`), CP-SAT first searches alone on both
  cores for CLAIM units of deterministic time (most stages of a campus's plan end there, proven,
  with its plan). Elsewhere (selection, covering, catalogs without floors) there is no claim.
- Then both engines search, HiGHS starting from the claim's best plan. Once the stage's optimum V
  is proven, by either engine, the plan kept is the claim's plan of value V if it found one, else
  HiGHS's first plan of value V: HiGHS is let run until it reaches V when CP-SAT proved it.

Only when the time limit ends the search first does the plan depend on how far the engines got,
as any plan cut short by the time limit does. With `--fast` (not reproducible) the same searches
run, and the first proof ends the stage, whichever engine gives it; the plan kept is the one the
rule names if it is at hand then, else the proving engine's.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from ortools.sat.python import cp_model

from planner.optimize import mip
from planner.optimize.constraints import PlanModel
from planner.optimize.running import run_solver
from planner.options import SolveOptions

ReporterFactory = Callable[[cp_model.CpSolver], Callable[[int, float], None] | None]


@dataclass(frozen=True)
class Found:
    """A stage's outcome: the plan (a value per model variable), its objective and bound in
    CP-SAT's terms, and which engine's plan it is."""

    values: list[int] | None
    value: int | None
    bound: int | None
    proven: bool
    infeasible: bool
    engine: str
    parameters: dict[str, object]


def cp_sat_parameters(
    seconds: float, options: SolveOptions, racing: bool = True, claim: bool = False
) -> dict[str, object]:
    """CP-SAT settings for one objective stage.

    Eight workers (a portfolio that includes LP-based and LNS workers) beat two even on a 2-core
    machine. Interleaved search runs that portfolio in deterministic batches, so its plans do not
    depend on thread timing. Beside HiGHS the batches hold one task, which leaves HiGHS the other
    core; `--fast` keeps the same two searches and only stops at the first proof. CP-SAT's claim
    (alone, before HiGHS starts) runs two-task batches in both modes, so that `--fast` makes the
    same claim. Alone for the whole stage (a model HiGHS cannot take), reproducible batches hold
    two tasks, and `--fast` lets the workers race freely.
    """
    parameters: dict[str, object] = {
        "max_time_in_seconds": max(seconds, 0.01),
        "num_workers": options.workers,
        "random_seed": options.seed,
    }
    if racing:
        parameters |= {"interleave_search": True, "interleave_batch_size": 1}
    elif options.reproducible or claim:
        parameters |= {"interleave_search": True, "interleave_batch_size": 2}
    return parameters


# HiGHS checks its clock less often than CP-SAT (up to ~2 s late on national catalogs), so it
# stops a little early to keep the whole run within the time limit.
HIGHS_SHARE = 0.9
# CP-SAT's first run alone, where it claims, in deterministic time units (about 1-4 s on two cores,
# by catalog size): the instructor_shortage seed takes 4.3 s with 2.0, 6-7 s with 0.3.
CLAIM = 2.0


@dataclass
class _Plans:
    """CP-SAT's plans of one run, in the order found: (value, plan)."""

    found: list[tuple[int, list[int]]]

    def at(self, value: int) -> list[int] | None:
        return next((plan for v, plan in self.found if v == value), None)


def race(
    pm: PlanModel,
    later: mip.Later | None,
    seconds: float,
    options: SolveOptions,
    reporter: ReporterFactory,
    start: list[int] | None,
) -> Found:
    """Search the stage whose objective is set on `pm.model`; `start` is the previous stage's plan."""
    clock = time.monotonic()
    keepable = _Plans([])  # the plans of CP-SAT's claim: one of them may be kept
    budget = _budget(pm, later)
    if budget:  # CP-SAT's claim: alone on both cores, for a short deterministic time
        run = _cp_sat(pm, seconds, options, reporter, None, keepable, budget)
        if run.status in (cp_model.OPTIMAL, cp_model.INFEASIBLE):
            return _decide(pm, run, None, keepable, options)
        if keepable.found:  # the search goes on from CP-SAT's best plan
            start = keepable.found[-1][1]
    translation = later.get() if later is not None else None
    highs = None
    if translation is not None:
        wake = threading.Event()
        highs = mip.Search(translation, HIGHS_SHARE * (seconds - (time.monotonic() - clock)), start, wake=wake)
        highs.begin()
    if highs is not None and start is not None:
        hint(pm, start, pm.place.values())  # placements only: see below
    elif budget and keepable.found:  # CP-SAT goes on alone (HiGHS cannot take the model)
        plan = keepable.found[-1][1]
        hint(pm, plan, (pm.model.get_int_var_from_proto_index(n) for n in range(len(plan))))
    left = seconds - (time.monotonic() - clock)
    run = _cp_sat(pm, left, options, reporter, highs, None, None)
    return _decide(pm, run, highs, keepable, options)


def hint(pm: PlanModel, values: list[int], variables: Iterable[cp_model.IntVar]) -> None:
    """Start CP-SAT from `values` (a plan, one value per model variable) on `variables` only.

    The race hints the placements only. A complete hint is loaded as a first solution, and
    OR-Tools 9.15 can abort the process when a search is stopped around that moment ("Check failed:
    solution->size() == postsolve_mapping.size()"); the race is where CP-SAT is stopped from
    outside, as soon as HiGHS has the answer."""
    pm.model.clear_hints()
    for v in variables:
        pm.model.add_hint(v, values[v.index])


def _cp_sat_claims(pm: PlanModel) -> bool:
    """Whether CP-SAT searches alone first: where instructors have contract floors (each teaches at
    least the floor in a period or nothing), which its propagation handles best (the staffed seeds:
    it proves in 1.2 s what takes HiGHS 4.6 s). Not for selection and covering, where HiGHS's LP
    settles the stage sooner (set covering, the campus benchmark)."""
    return any(i.min_hours_per_term > 0 for i in pm.problem.instructors)


def _budget(pm: PlanModel, later: mip.Later | None) -> float | None:
    """CP-SAT's claim in deterministic time: CLAIM where instructors have floors, 0 elsewhere (both
    start at once); None when HiGHS cannot take the model (CP-SAT searches alone). `--fast` makes
    the same claim, so that it runs the same searches as the default and only stops sooner."""
    if later is None:
        return None
    return CLAIM if _cp_sat_claims(pm) else 0.0


@dataclass(frozen=True)
class _Run:
    """One CP-SAT run: the solver (its plan and bound), its status and the settings it ran with."""

    solver: cp_model.CpSolver
    status: int
    parameters: dict[str, object]


def _cp_sat(pm, seconds, options, reporter, highs, plans: _Plans | None, budget) -> _Run:
    """One CP-SAT run, recording its plans in `plans` (the claim's, which may be kept; None in the
    race); ends early when HiGHS has proven the stage (or its infeasibility)."""
    parameters = cp_sat_parameters(seconds, options, racing=highs is not None, claim=budget is not None)
    if budget is not None:
        parameters["max_deterministic_time"] = budget
    solver = cp_model.CpSolver()
    for key, value in parameters.items():
        setattr(solver.parameters, key, value)
    report = reporter(solver)

    class Recorder(cp_model.CpSolverSolutionCallback):
        def on_solution_callback(self) -> None:
            value = round(self.objective_value)
            if plans is not None:
                plans.found.append((value, list(self.response_proto.solution)))
            if report is not None:
                report(value, self.best_objective_bound)

    wake = highs.wake if highs is not None else None
    status = run_solver(
        solver, pm.model, Recorder(), other=lambda: _settled(highs), on_interrupt=_stopper(highs), wake=wake
    )
    return _Run(solver, status, parameters)


def _settled(highs: mip.Search | None) -> bool:
    return highs is not None and highs.done() and (highs.proven or highs.infeasible)


def _decide(pm, run: _Run, highs, keepable: _Plans, options) -> Found:
    """The stage's plan by the rule in this module's docstring."""
    info = run.parameters | {"reproducible": options.reproducible}
    info |= {"engines": "cp-sat, highs"} if highs else {}
    if highs is not None and not highs.done():
        _settle(run, highs, keepable, options)
    if run.status == cp_model.INFEASIBLE or (highs is not None and highs.infeasible):
        return Found(None, None, None, False, True, "", info)
    cp_plan = _cp_sat_found(run.solver, run.status, info)
    proven = _proven_plan(cp_plan, highs, keepable, info)
    if proven is not None:
        return proven
    if highs is None or highs.values is None:
        return cp_plan
    bound = _tighter(highs.bound, cp_plan.bound if cp_plan.values is not None else None, pm)
    if cp_plan.values is not None and _better(cp_plan.value, highs.objective, pm):
        return Found(cp_plan.values, cp_plan.value, bound, False, False, "CP-SAT", info)
    bound = bound if bound is not None else highs.objective
    return Found(highs.values, highs.objective, bound, False, False, "HiGHS", info)


def _settle(run: _Run, highs: mip.Search, keepable: _Plans, options: SolveOptions) -> None:
    """Let HiGHS end as the rule needs, and wait for it.

    Unproven, CP-SAT ran out of time or ended sooner on its own (in deterministic batches it can
    stop well before its limit: national-2 at 18-24 s of 29); HiGHS then goes on to its own limit,
    which falls inside the stage's."""
    cp_proven = run.status == cp_model.OPTIMAL
    if run.status == cp_model.INFEASIBLE or (cp_proven and not options.reproducible):
        highs.stop()  # the stage is settled and HiGHS's plan is not wanted
    elif cp_proven:
        value = round(run.solver.objective_value)
        if keepable.at(value) is not None:
            highs.stop()
        else:
            highs.first_at(value)
    mip.wait(highs)


def _proven_plan(cp_plan: Found, highs, keepable: _Plans, info: dict[str, object]) -> Found | None:
    """The plan the rule keeps once either engine proved the stage; None when neither did."""
    cp_proven = cp_plan.proven
    proven_value = cp_plan.value if cp_proven else (highs.objective if highs is not None and highs.proven else None)
    if proven_value is None:
        return None
    # --fast too keeps the plan the rule names when it is at hand, so that it seldom takes a
    # different path through the next stages than the default.
    claimed = keepable.at(proven_value)
    if claimed is not None:
        return Found(claimed, proven_value, proven_value, True, False, "CP-SAT", info)
    if highs is not None and highs.values is not None and highs.objective == proven_value:
        return Found(highs.values, proven_value, proven_value, True, False, "HiGHS", info)
    return cp_plan if cp_proven else None  # HiGHS did not reach CP-SAT's optimum before the time limit


def _cp_sat_found(solver: cp_model.CpSolver, status: int, info: dict[str, object]) -> Found:
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return Found(None, None, None, False, False, "", info)
    values = list(solver.response_proto.solution)
    return Found(
        values,
        round(solver.objective_value),
        round(solver.best_objective_bound),
        status == cp_model.OPTIMAL,
        False,
        "CP-SAT",
        info,
    )


def _maximising(pm: PlanModel) -> bool:
    return (pm.model.proto.objective.scaling_factor or 1.0) < 0


def _better(a: int | None, b: int | None, pm: PlanModel) -> bool:
    """a is strictly better than b in the stage's sense."""
    if a is None:
        return False
    if b is None:
        return True
    return a > b if _maximising(pm) else a < b


def _tighter(a: int | None, b: int | None, pm: PlanModel) -> int | None:
    """The tighter of two bounds on the stage's optimum."""
    known = [x for x in (a, b) if x is not None]
    if not known:
        return None
    return min(known) if _maximising(pm) else max(known)


def _stopper(highs: mip.Search | None) -> Callable[[], None] | None:
    if highs is None:
        return None

    def stop() -> None:
        highs.stop()
        highs.join()

    return stop
