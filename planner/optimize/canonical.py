"""The last stage: among the plans every objective stage left optimal, the one the model names.

Equal optima are many (which of two equal modules, which of two equal teachers), and the one an
objective stage ends with depends on which engine proved it, on how many workers ran and on thread
timing. So the plan written comes from one deterministic search alone, with no hint carried over
from the race; its plan is a function of the model, hence of the inputs, whatever the machine, its
load or the batch task's cores (PLANNER-SPEC.md, "One plan, whatever runs it"). docs/PERFORMANCE.md
says why this design and what it costs.

Where instructors have contract floors (`has_floors`), every objective is fixed at its value and
CP-SAT with one worker (a sequential search: no threads, no clock), a fixed seed and a
deterministic time budget searches a tie-break order as a person breaks ties, one search each, most
significant first: the placements (modules in earlier terms, then modules earlier in the catalog),
then the teachers (earlier on the roster), then the training bought (earlier offers). Each search's
choices are then fixed and its whole plan (itself a function of the model) hints the next, which
keeps the later searches short. A search that spends its budget keeps its best plan, which the same
search always reaches; one that finds nothing in it is run again with twice the budget.

Elsewhere (selection, covering) the canonical plan is HiGHS's optimal plan of the last objective
stage, searched on a translation of its own (one thread, fixed seed, no start, nothing learnt in
earlier stages): sequential branch and bound, deterministic by itself. The race gives HiGHS exactly
that search on the last stage, so when HiGHS proves it there its plan is taken with no search after;
when CP-SAT proves it first, the same HiGHS search runs after the race.
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


def settle(
    pm: PlanModel, objective: cp_model.LinearExprT, value: int, seconds: float, seed: int, known: list[int] | None
) -> Settled:
    """The canonical plan of `pm.model`, whose last objective stage, still set on it, was proven at
    `value` (`objective`); `known`: HiGHS's plan of that stage from a translation of its own
    (portfolio.race's `own`), which is the canonical plan where instructors have no floors."""
    deadline = time.monotonic() + seconds
    if not has_floors(pm):
        if known is not None:
            return Settled(known, True)
        translation = mip.translate(pm.model)
        if translation is not None:
            return _highs_plan(translation, value, deadline)
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
    no plan in 30 s), and HiGHS's sequential branch and bound, deterministic too, names the plan.
    Read from the inputs, so every run of them picks the same engine."""
    return any(i.min_hours_per_term > 0 for i in pm.problem.instructors)


def _highs_plan(translation: mip.Translation, value: int, deadline: float) -> Settled:
    """HiGHS's optimal plan of the last stage (one thread, fixed seed, no start, nothing learnt
    before): the same search the race's `own` translation ran, so the same plan. It must prove the
    value CP-SAT proved, else the plan is no canonical one."""
    search = mip.Search(translation, deadline - time.monotonic())
    search.begin()
    mip.wait(search)
    if search.proven and search.objective == value:
        return Settled(search.values, True)
    return Settled(None, False)  # the race's plan stays, optimal but not the canonical one


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
