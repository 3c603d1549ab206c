"""The canonical plan: among the plans every objective stage left optimal, the one the inputs name.

Equal optima are many (which of two equal modules, which of two equal teachers), and the one an
objective stage ends with depends on which engine proved it, on how many workers ran and on thread
timing. So the plan written comes from deterministic searches only, none hinted with a plan of the
race; it is a function of the model, hence of the inputs, whatever the machine, its load or the
batch task's cores (PLANNER-SPEC.md, "One plan, whatever runs it"). docs/PERFORMANCE.md says why
this design and what it costs.

Where instructors have contract floors (`has_floors`), every objective is fixed at its value and
CP-SAT with one worker (a sequential search: no threads, no clock), a fixed seed and a
deterministic time budget searches a tie-break order as a person breaks ties, one search each, most
significant first: the placements (modules in earlier terms, then modules earlier in the catalog),
then the teachers (earlier on the roster), then the training bought (earlier offers). Each search's
choices are then fixed and its whole plan (itself a function of the model) hints the next, which
keeps the later searches short. A search that spends its budget keeps its best plan, which the same
search always reaches; one that finds nothing in it is run again with twice the budget.

Elsewhere (selection, covering, balancing without staffing) the plan follows the stages: the first
stage's plan is HiGHS's proof of it on a translation of its own (one thread, fixed seed, no start):
sequential branch and bound, deterministic by itself; the race gives HiGHS exactly that search, so
when HiGHS proves the stage there its plan is taken as it is, and when CP-SAT proves it first the
same search runs after the race. Each later stage, once proven, `follow`s: CP-SAT, in deterministic
interleaved batches of a fixed number of workers whatever the machine's cores, starts from the
previous stage's plan and searches for a plan at the proven value (given as a bound, so it stops
there). The previous plan is a function of the inputs, so the next one is too. A search from the
previous plan takes a fraction of a second on most stages where HiGHS's own search of the last
stage took 5-20 s (the synthetic campus class: docs/PERFORMANCE.md).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass

from ortools.sat.python import cp_model

from planner.optimize import mip
from planner.optimize.constraints import PlanModel
from planner.optimize.running import run_solver

# Deterministic time of one tie-break search (0.2-0.7 s on the seeds on a loaded 2-core machine).
BUDGET = 0.5
# A stage's plan following the previous one: CP-SAT's interleaved portfolio of this many workers
# (deterministic however many cores run it), within this deterministic time, doubled until found.
FOLLOW_WORKERS = 8
FOLLOW_BUDGET = 5.0


@dataclass(frozen=True)
class Settled:
    """The canonical plan (a value per model variable; None if none was found), and whether every
    search ended on its own (proof or budget) rather than at the time limit."""

    values: list[int] | None
    finished: bool


def settle(pm: PlanModel, objective: cp_model.LinearExprT, value: int, seconds: float, seed: int) -> Settled:
    """The canonical plan of `pm.model` where instructors have floors; its last objective stage,
    still set on it, was proven at `value` (`objective`)."""
    deadline = time.monotonic() + seconds
    pm.model.add(objective == value)
    values: list[int] | None = None
    pm.model.clear_hints()  # the race's plan must not steer the search
    for order, choices in orders(pm):
        pm.model.minimize(order)
        found = _search(pm, deadline, seed)
        if found is None:
            return Settled(values, False)
        values, finished = found
        if not finished:
            return Settled(values, False)
        for v in choices:
            pm.model.add(v == values[v.index])
        _hint_all(pm, values)
    return Settled(values, True)


def first_plan(
    pm: PlanModel, objective: cp_model.LinearExprT, value: int, seconds: float, seed: int
) -> list[int] | None:
    """Without floors, the first stage's plan: HiGHS's proof of the stage set on `pm.model` (proven
    at `value` in CP-SAT's terms) on a translation of its own; None if it does not prove it in time.
    Where HiGHS cannot take the model (no temporary folder to hand it over), CP-SAT's search from
    nothing, as `follow` runs it."""
    translation = mip.translate(pm.model)
    if translation is None:
        return follow(pm, objective, value, [], seconds, seed)
    search = mip.Search(translation, seconds)
    search.begin()
    mip.wait(search)
    if search.proven and search.objective == value:
        return search.values
    return None


def follow(
    pm: PlanModel, objective: cp_model.LinearExprT, value: int, previous: list[int], seconds: float, seed: int
) -> list[int] | None:
    """Without floors, the plan of the stage set on `pm.model` (proven at `value`) that follows the
    previous stage's plan; None if the time limit comes first."""
    deadline = time.monotonic() + seconds
    maximising = (pm.model.proto.objective.scaling_factor or 1.0) < 0
    pm.model.add(objective <= value if maximising else objective >= value)  # proven: the search stops there
    _hint_all(pm, previous)
    budget = FOLLOW_BUDGET
    while True:
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = max(deadline - time.monotonic(), 0.01)
        solver.parameters.max_deterministic_time = budget
        solver.parameters.num_workers = FOLLOW_WORKERS
        solver.parameters.interleave_search = True
        solver.parameters.interleave_batch_size = 2
        solver.parameters.random_seed = seed
        status = run_solver(solver, pm.model)
        if status == cp_model.OPTIMAL:
            return list(solver.response_proto.solution)
        if status == cp_model.INFEASIBLE or solver.deterministic_time < budget:
            return None  # the time limit (or an interruption) came first
        budget *= 2


def _hint_all(pm: PlanModel, values: list[int]) -> None:
    pm.model.clear_hints()
    for v in pm.variables.decisions():
        if v.index < len(values):
            pm.model.add_hint(v, values[v.index])


def orders(pm: PlanModel) -> Iterator[tuple[cp_model.LinearExprT, list[cp_model.IntVar]]]:
    """The tie-break orders, most significant first, each with the variables it chooses."""
    n = len(pm.problem.candidates)
    place = list(pm.place.items())
    yield (
        cp_model.LinearExpr.weighted_sum([v for _, v in place], [t * n + i for (i, t), _ in place]),
        [v for _, v in place],
    )
    teach = list(pm.teach.items())
    if teach:
        yield (
            cp_model.LinearExpr.weighted_sum([v for _, v in teach], [k for (_i, k, _t), _ in teach]),
            [v for _, v in teach],
        )
    if pm.buy:
        yield cp_model.LinearExpr.weighted_sum(pm.buy, list(range(len(pm.buy)))), list(pm.buy)


def has_floors(pm: PlanModel) -> bool:
    """Whether instructors have contract floors: the staffed campuses, where CP-SAT settles the
    tie-break in a fraction of a second. Elsewhere (selection, covering) finding an optimal plan at
    all is an LP-bound search, which one CP-SAT worker without a hint does not finish (set covering:
    no plan in 30 s), and the stages' plans follow HiGHS's plan of the first (`first_plan`).
    Read from the inputs, so every run of them picks the same engine."""
    return any(i.min_hours_per_term > 0 for i in pm.problem.instructors)


def _search(pm: PlanModel, deadline: float, seed: int) -> tuple[list[int], bool] | None:
    """One tie-break search: its plan, and whether it ended on its own; None when the time limit
    came before any plan. A budget that ends without a plan is doubled."""
    budget = BUDGET
    while True:
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = max(deadline - time.monotonic(), 0.01)
        solver.parameters.max_deterministic_time = budget
        solver.parameters.num_workers = 1
        solver.parameters.random_seed = seed
        status = run_solver(solver, pm.model)
        on_its_own = status == cp_model.OPTIMAL or solver.deterministic_time >= budget
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return list(solver.response_proto.solution), on_its_own
        if not on_its_own or status == cp_model.INFEASIBLE:
            return None
        budget *= 2
