"""The last stage: among the plans every objective stage left optimal, the one the model names.

Equal optima are many (which of two equal modules, which of two equal teachers), and the one an
objective stage ends with depends on which engine proved it, on how many workers ran and on thread
timing. So once every objective is proven and fixed at its value, one deterministic engine alone searches
a tie-break order, with no hint carried over from the race: where instructors have contract
floors, CP-SAT with one worker (a sequential search: no threads, no clock), a fixed seed and a
deterministic time budget; elsewhere HiGHS's sequential branch and bound (`has_floors`). Its plan
is a function of the model, hence of the inputs, whatever the machine, its load or the batch
task's cores (PLANNER-SPEC.md, "One plan, whatever runs it"). docs/PERFORMANCE.md says why this
design and what it costs.

The order reads as a person breaks ties, one search each, most significant first: the placements
(modules in earlier terms, then modules earlier in the catalog), then the teachers (earlier on the
roster), then the training bought (earlier offers). Each search's choices are then fixed and its
whole plan (itself a function of the model) hints the next, which keeps the later searches short.
A search that spends its budget keeps its best plan, which the same search always reaches; one that
finds nothing in it is run again with twice the budget.
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


@dataclass(frozen=True)
class Settled:
    """The canonical plan (a value per model variable; None if none was found), and whether every
    search ended on its own (proof or budget) rather than at the time limit."""

    values: list[int] | None
    finished: bool


def settle(pm: PlanModel, seconds: float, seed: int) -> Settled:
    """The canonical plan of `pm.model`, whose objective stages are all fixed at their values."""
    deadline = time.monotonic() + seconds
    values: list[int] | None = None
    pm.model.clear_hints()  # the race's plan must not steer the search
    by_highs = not has_floors(pm)
    for order, choices in orders(pm):
        pm.model.minimize(order)
        found = _highs_search(pm, deadline, seed) if by_highs else _search(pm, deadline, seed)
        if found is None:
            return Settled(values, False)
        values, finished = found
        if not finished:
            return Settled(values, False)
        for v in choices:
            pm.model.add(v == values[v.index])
        pm.model.clear_hints()
        for v in pm.variables.decisions():
            pm.model.add_hint(v, values[v.index])
    return Settled(values, True)


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
    no plan in 30 s), and HiGHS's sequential branch and bound, deterministic too, runs the
    tie-break. Read from the inputs, so every run of them picks the same engine."""
    return any(i.min_hours_per_term > 0 for i in pm.problem.instructors)


def _highs_search(pm: PlanModel, deadline: float, seed: int) -> tuple[list[int], bool] | None:
    """The tie-break searched by HiGHS alone (one thread, fixed seed, no start); it ends on its own
    only with a proof. CP-SAT's search where HiGHS cannot take the model."""
    translation = mip.translate(pm.model)
    if translation is None:
        return _search(pm, deadline, seed)
    search = mip.Search(translation, deadline - time.monotonic())
    search.begin()
    mip.wait(search)
    if search.values is None:
        return None
    return search.values, search.proven


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
