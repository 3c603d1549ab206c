"""Why a scenario is infeasible, as data (planner.words.reasons words it).

Every scenario requirement (a required module, a term's hour or module-count bound, the total hour
limit, an instructor's capacity, the instructor limit, a sector's coverage floor) gets an enforcement
literal. CP-SAT, solving under those literals as assumptions, returns a set of them that is already
infeasible; a deletion pass then drops every requirement that is not needed, re-solving each time,
so the reported set is checked to conflict and each member is checked to matter.
"""

from __future__ import annotations

import time

from ortools.sat.python import cp_model

from planner.errors import InfeasibleError
from planner.model import DemandRow, Problem
from planner.optimize.constraints import build
from planner.optimize.running import run_solver
from planner.reasons import Reason
from planner.result import as_data, teachers, uncoverable


def infeasibility(problem: Problem, seconds: float) -> InfeasibleError:
    """An InfeasibleError naming a minimal set of conflicting requirements."""
    deadline = time.monotonic() + max(seconds, 0.5)  # the run's time limit also bounds the explanation
    pm = build(problem, explaining=True)
    groups = pm.requirements.groups
    literal_key = {lit.index: key for key, (lit, _text) in groups.items()}
    core, minimal = _core(pm.model, [lit for lit, _ in groups.values()], deadline)
    if core is None:
        return InfeasibleError([Reason("no_plan_unisolated")])
    keys = sorted(literal_key[lit.index] for lit in core)
    lines = _describe(problem, keys, groups)
    header = Reason("no_plan_one") if len(keys) == 1 else Reason("no_plan_together", {"minimal": minimal})
    return InfeasibleError([header, *lines])


def _core(
    model: cp_model.CpModel, literals: list[cp_model.IntVar], deadline: float
) -> tuple[list[cp_model.IntVar] | None, bool]:
    """A conflicting subset of the literals, and whether each member was shown to be needed."""
    status, core = _solve_under(model, literals, deadline)
    if status != cp_model.INFEASIBLE:
        return None, False
    minimal = True
    for lit in list(core):
        if lit not in core:
            continue
        rest = [other for other in core if other is not lit]
        status, smaller = _solve_under(model, rest, deadline)
        if status == cp_model.INFEASIBLE:
            core = smaller
        elif status != cp_model.FEASIBLE and status != cp_model.OPTIMAL:
            minimal = False  # ran out of time: keep it, but do not claim it is needed
    return core, minimal


def _solve_under(
    model: cp_model.CpModel, literals: list[cp_model.IntVar], deadline: float
) -> tuple[cp_model.CpSolverStatus, list[cp_model.IntVar]]:
    """Solve with exactly these requirement groups switched on (the others off)."""
    model.clear_assumptions()
    model.clear_objective()
    model.add_assumptions(literals)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(deadline - time.monotonic(), 0.01)
    solver.parameters.num_workers = 1  # core extraction runs in one worker, deterministically
    status = run_solver(solver, model)
    if status != cp_model.INFEASIBLE:
        return status, []
    by_index = {lit.index: lit for lit in literals}
    core = [by_index[i] for i in solver.sufficient_assumptions_for_infeasibility() if i in by_index]
    return status, core or list(literals)


def _describe(problem: Problem, keys: list[str], groups: dict[str, tuple[cp_model.IntVar, Reason]]) -> list[Reason]:
    """One reason per requirement, with its evidence under `detail`; per-term bounds of the same
    kind and value merged into one, under `terms`."""
    per_term: dict[tuple[str, tuple[tuple[str, object], ...]], list[int]] = {}
    lines: list[Reason] = []
    for key in keys:
        kind, _, what = key.partition(":")
        requirement = groups[key][1]
        if kind in ("term_min", "term_max", "modules_min", "modules_max"):
            per_term.setdefault((requirement.code, tuple(requirement.params.items())), []).append(int(what))
            continue
        detail = _detail(problem, kind, what)
        lines.append(Reason(requirement.code, {**requirement.params, "detail": [as_data(d) for d in detail]}))
    for (code, params), terms in per_term.items():
        lines.append(Reason(code, {**dict(params), "terms": sorted(terms)}))
    return lines


def _detail(problem: Problem, kind: str, what: str) -> list[Reason]:
    """What makes one requirement impossible on its own, when the catalog alone shows it: a first
    reason to follow the requirement, then reasons of evidence."""
    if kind == "required":
        i = problem.index_of[what]
        return [Reason("never_taken", {"why": as_data(problem.blocked[i])})] if i in problem.blocked else []
    if kind == "coverage":
        return _unreachable_coverage(problem, problem.sector_ids.index(what))
    return []


def _unreachable_coverage(problem: Problem, sector: int) -> list[Reason]:
    """If the floor exceeds what all usable candidates together could cover, say which demands fail."""
    rows = [r for r in problem.demand_rows if r.sector == sector]
    total = sum(r.demand.importance for r in rows)
    missing = [r for r in rows if all(i in problem.blocked for i in r.covering)]
    reachable = total - sum(r.demand.importance for r in missing)
    if not missing or reachable * problem.min_coverage[sector].denominator >= (
        problem.min_coverage[sector].numerator * total
    ):
        return []
    missing.sort(key=lambda r: (-r.demand.importance, r.demand.skill_id))
    shown = 8
    taught = teachers(problem)
    return [
        Reason("coverage_unreachable", {"reachable": reachable, "total": total}),
        *(_why_uncoverable(problem, r, taught) for r in missing[:shown]),
        *([Reason("more_uncoverable", {"count": len(missing) - shown})] if len(missing) > shown else []),
    ]


def _why_uncoverable(problem: Problem, row: DemandRow, taught: dict[str, list[tuple[str, int]]]) -> Reason:
    why = uncoverable(problem, row, taught)
    assert why is not None, "every covering module of a missing demand is blocked"
    return why
