"""Why a scenario is infeasible, in the designer's words.

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
from planner.model import Problem
from planner.optimize.constraints import build
from planner.optimize.running import run_solver


def infeasibility(problem: Problem, seconds: float) -> InfeasibleError:
    """An InfeasibleError naming a minimal set of conflicting requirements."""
    deadline = time.monotonic() + max(seconds, 0.5)  # the run's time limit also bounds the explanation
    pm = build(problem, explaining=True)
    groups = pm.requirements.groups
    literal_key = {lit.index: key for key, (lit, _text) in groups.items()}
    core, minimal = _core(pm.model, [lit for lit, _ in groups.values()], deadline)
    if core is None:
        return InfeasibleError(
            [
                "No plan satisfies this scenario (proven), but the conflicting requirements could not be "
                "isolated within the time limit; raise --time-limit to get them named."
            ],
        )
    keys = sorted(literal_key[lit.index] for lit in core)
    lines = _describe(problem, keys, groups)
    if len(keys) == 1:
        header = "No plan satisfies this scenario. This requirement cannot be met, whatever else is relaxed:"
    else:
        header = "No plan satisfies this scenario. These requirements cannot all hold together" + (
            " (drop any one of them and the rest can):" if minimal else ":"
        )
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


def _describe(problem: Problem, keys: list[str], groups: dict[str, tuple[cp_model.IntVar, str]]) -> list[str]:
    """One line per requirement; per-term bounds of the same kind merged into one line."""
    per_term: dict[str, list[str]] = {}
    lines: list[str] = []
    for key in keys:
        kind, _, what = key.partition(":")
        text = groups[key][1]
        if kind in ("term_min", "term_max", "modules_min", "modules_max"):
            per_term.setdefault(text, []).append(what)
            continue
        detail = _detail(problem, kind, what)
        lines.append(f"  - {text}" + (f": {detail[0]}" if detail else ""))
        lines.extend(f"      {line}" for line in detail[1:])
    for text, terms in per_term.items():
        label = "term" if len(terms) == 1 else "terms"
        lines.append(f"  - {text} in {label} {', '.join(sorted(terms, key=int))}")
    return lines


def _detail(problem: Problem, kind: str, what: str) -> list[str]:
    """What makes one requirement impossible on its own, when the catalog alone shows it: a first
    line to follow the requirement, then lines of evidence."""
    if kind == "required":
        i = problem.index_of[what]
        return [f"it can never be taken, since {problem.blocked[i]}"] if i in problem.blocked else []
    if kind == "coverage":
        return _unreachable_coverage(problem, problem.sector_ids.index(what))
    return []


def _unreachable_coverage(problem: Problem, sector: int) -> list[str]:
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
    return [
        f"at most {reachable}/{total} ({reachable / total:.0%}) is reachable, since these demands cannot be covered:",
        *(_why_uncoverable(problem, r.covering, r.demand.skill_id, r.demand.level) for r in missing[:shown]),
        *([f"... and {len(missing) - shown} more (see planner validate --scenario)"] if len(missing) > shown else []),
    ]


def _why_uncoverable(problem: Problem, covering: tuple[int, ...], skill_id: str, level: int) -> str:
    if not covering:
        return f"skill {skill_id} at level {level} is taught by no candidate module"
    reasons = {problem.blocked[i] for i in covering}
    if len(reasons) == 1:
        modules = ", ".join(problem.candidates[i].module_id for i in covering)
        return f"skill {skill_id} at level {level} is taught only by {modules}, which cannot be taken ({reasons.pop()})"
    named = "; ".join(f"{problem.candidates[i].module_id} ({problem.blocked[i]})" for i in covering)
    return f"skill {skill_id} at level {level} is taught only by modules that cannot be taken: {named}"
