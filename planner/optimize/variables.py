"""Every decision variable of the planning model, made up front, before any rule.

Rules (constraints.py) only add constraints over these, so their order carries no meaning, and the
model has one list of its decisions (`Variables.decisions`) for hints and for reading a plan.
Boolean unless said otherwise:
- place[i, t]: candidate module i is taken in term t (only for t in the module's window);
- teach[i, k, t] (integer 0..sections): how many sections of module i qualified instructor k (on the
  roster, or by a training offer) teaches in term t;
- covered[c]: one per distinct set of covering modules, true only when one of them is taken;
- uses[k]: instructor k teaches at least one section;
- buy[o]: training offer o (per Problem.offers) is bought;
- active[k, p]: instructor k, who has a contract floor, teaches in period p.

Objective terms may add measures (the heaviest term's hours, a review's lost sections) when they
are first set; `Variables.measure` records them after the decisions.

The creation order fixes the variables' indices in the model, which CP-SAT's search reads: keep it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from planner.model import Problem


@dataclass
class Variables:
    place: dict[tuple[int, int], cp_model.IntVar] = field(default_factory=dict)
    teach: dict[tuple[int, int, int], cp_model.IntVar] = field(default_factory=dict)
    covered: dict[tuple[int, ...], cp_model.IntVar] = field(default_factory=dict)
    uses: list[cp_model.IntVar] = field(default_factory=list)
    buy: list[cp_model.IntVar] = field(default_factory=list)
    active: dict[tuple[int, int], cp_model.IntVar] = field(default_factory=dict)
    measures: list[cp_model.IntVar] = field(default_factory=list)

    def decisions(self) -> list[cp_model.IntVar]:
        """Every variable a plan sets, decisions first, then the objective measures made so far."""
        return [
            *self.place.values(),
            *self.teach.values(),
            *self.covered.values(),
            *self.uses,
            *self.active.values(),
            *self.buy,
            *self.measures,
        ]

    def measure(self, variable: cp_model.IntVar) -> cp_model.IntVar:
        self.measures.append(variable)
        return variable


def make_variables(problem: Problem, model: cp_model.CpModel) -> Variables:
    """All decision variables of `problem` on `model`; instructor variables only with instructors."""
    out = Variables()
    for i, window in enumerate(problem.windows):
        for t in range(window[0], window[1] + 1):
            out.place[i, t] = model.new_bool_var(f"place_{i}_{t}")
    for row in problem.demand_rows:
        if row.covering not in out.covered:
            out.covered[row.covering] = model.new_bool_var(f"covered_{len(out.covered)}")
    if problem.instructors:
        out.uses = [model.new_bool_var(f"uses_{k}") for k in range(len(problem.instructors))]
        out.buy = [model.new_bool_var(f"buy_{o}") for o in range(len(problem.offers))]
        _teaching(problem, model, out)
        _activity(problem, model, out)
    return out


def qualified_for(problem: Problem) -> list[tuple[int, ...]]:
    """Per candidate: the instructors who may teach it, the roster's, then those a training would qualify."""
    trainable: dict[int, dict[int, None]] = {}
    for offer in problem.offers:
        trainable.setdefault(offer.module, {})[offer.instructor] = None
    return [(*roster, *trainable.get(i, {})) for i, roster in enumerate(problem.qualified)]


def _teaching(problem: Problem, model: cp_model.CpModel, out: Variables) -> None:
    for i, qualified in enumerate(qualified_for(problem)):
        lo, hi = problem.windows[i]
        for t in range(lo, hi + 1):
            for k in qualified:
                out.teach[i, k, t] = model.new_int_var(0, problem.sections, f"teach_{i}_{k}_{t}")


def _activity(problem: Problem, model: cp_model.CpModel, out: Variables) -> None:
    """active[k, p] where instructor k has a contract floor and could teach in period p."""
    periods = sorted({(k, problem.period_of[t]) for (_i, k, t) in out.teach})
    for k, p in periods:
        if problem.instructors[k].min_hours_per_term > 0:
            out.active[k, p] = model.new_bool_var(f"active_{k}_{p}")
