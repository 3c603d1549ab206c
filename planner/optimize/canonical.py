"""The canonical plan: among the plans every objective stage left optimal, the one the inputs name.

Equal optima are many (which of two equal modules, which of two equal teachers), and the one an
objective stage ends with depends on which engine proved it, on how many workers ran and on thread
timing. So the plan written comes from deterministic searches only, none hinted with a plan of the
race: a function of the model, hence of the inputs, whatever the machine, its load or the batch
task's cores (PLANNER-SPEC.md, "One plan, whatever runs it"). docs/PERFORMANCE.md says why this
design and what it costs.

The plan follows the stages: each stage's canonical plan is searched from the previous stage's, so
each is a function of the inputs in turn, and the last stage's is written.

- Where instructors have contract floors (`has_floors`), CP-SAT claims each stage: WORKERS workers
  in deterministic interleaved batches, a fixed seed, a deterministic time budget, started from the
  previous canonical plan (portfolio.race). A claim that proves the stage (most stages of a campus's
  plan) holds its canonical plan. One that spends its budget hands on its best plan, deterministic
  too, and HiGHS's proof of the stage from that plan, on a translation of its own, names the plan.
- Elsewhere (selection, covering, campuses without staffing) the first stage's plan is HiGHS's
  proof of it on a translation of its own, from no plan. Each later stage, once proven, `follow`s:
  CP-SAT, WORKERS workers in deterministic interleaved batches whatever the cores, started from the
  previous plan, the stage's objective bounded by its proven value (so it stops there).

HiGHS's search is sequential branch and bound (one thread, fixed seed): deterministic by itself.
The race gives HiGHS exactly that search, so when HiGHS proves the stage there its plan is taken;
when CP-SAT proves it first the same search runs after the race (`highs_plan`). `follow` after a
large staffed stage is hopeless (campus-staffing-5's coverage: no plan in 133 s from the claim's
plan, where HiGHS proves the stage in 17 s), hence HiGHS there.
"""

from __future__ import annotations

import time

from ortools.sat.python import cp_model

from planner.optimize import mip
from planner.optimize.constraints import PlanModel
from planner.optimize.running import run_solver

# CP-SAT's deterministic searches (the claim and `follow`) run this many workers in interleaved
# batches, whatever the machine: the batches are the same on one core or many.
WORKERS = 8
# `follow`'s deterministic time, doubled until it reaches the proven value.
FOLLOW_BUDGET = 5.0


def has_floors(pm: PlanModel) -> bool:
    """Whether instructors have contract floors: the staffed campuses, where CP-SAT's claim proves
    most stages. Elsewhere (selection, covering) an optimal plan is an LP-bound search, which HiGHS
    finishes sooner. Read from the inputs, so every run of them takes the same path."""
    return any(i.min_hours_per_term > 0 for i in pm.problem.instructors)


def highs_plan(
    pm: PlanModel, objective: cp_model.LinearExprT, value: int, seconds: float, seed: int, start: list[int] | None
) -> list[int] | None:
    """HiGHS's proof of the stage set on `pm.model` (proven at `value` in CP-SAT's terms) on a
    translation of its own, from `start` (a canonical plan, or none): the search the race gave
    HiGHS when CP-SAT proved the stage first. None if it does not prove it in time. Where HiGHS
    cannot take the model (no temporary folder to hand it over), CP-SAT's search as `follow` runs it."""
    translation = mip.translate(pm.model)
    if translation is None:
        return follow(pm, objective, value, start or [], seconds, seed)
    search = mip.Search(translation, seconds, start)
    search.begin()
    mip.wait(search)
    if search.proven and search.objective == value:
        return search.values
    return None


def follow(
    pm: PlanModel, objective: cp_model.LinearExprT, value: int, previous: list[int], seconds: float, seed: int
) -> list[int] | None:
    """The plan of the stage set on `pm.model` (proven at `value`) searched from `previous`, a
    canonical plan (the previous stage's, or the claim's); None if the time limit comes first."""
    deadline = time.monotonic() + seconds
    pm.model.add(objective <= value if pm.maximising else objective >= value)  # proven: the search stops there
    pm.hint(previous)
    budget = FOLLOW_BUDGET
    while True:
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = max(deadline - time.monotonic(), 0.01)
        solver.parameters.max_deterministic_time = budget
        solver.parameters.num_workers = WORKERS
        solver.parameters.interleave_search = True
        solver.parameters.interleave_batch_size = 2
        solver.parameters.random_seed = seed
        status = run_solver(solver, pm.model)
        if status == cp_model.OPTIMAL:
            return list(solver.response_proto.solution)
        if status == cp_model.INFEASIBLE or solver.deterministic_time < budget:
            return None  # the time limit (or an interruption) came first
        budget *= 2
