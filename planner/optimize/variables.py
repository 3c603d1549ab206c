"""Every decision variable of the planning model, made up front, before any rule.

Rules (constraints.py) only add constraints over these, so their order carries no meaning, and the
model has one list of its decisions (`Variables.decisions`) for hints and for reading a plan.
Boolean unless said otherwise:
- place[i, t]: candidate module i is taken in term t (only for t in the module's window);
- teach[i, k, t] (integer 0..sections of term t): how many sections of module i qualified instructor
  k (on the roster, or by a training offer) teaches in term t;
- dual[i, k, t] (integer 0..dual groups of term t): how many of those are dual sections, which need
  the instructor for the module's hours less its company hours (only for modules with company
  hours, in terms with dual groups);
- covered[c]: one per distinct set of covering modules, true only when one of them is taken;
- uses[k]: instructor k teaches at least one section;
- buy[o]: training offer o (per Problem.offers) is bought;
- active[k, p]: instructor k, who has a contract floor, teaches in period p;
- offered[r]: candidate track r is offered (only with [tracks]);
- path_covered[r, c]: on the path of track r (the common core and r's modules), the demands whose
  covering modules there are c are covered; replaces covered[c] with [tracks].

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
    dual: dict[tuple[int, int, int], cp_model.IntVar] = field(default_factory=dict)
    covered: dict[tuple[int, ...], cp_model.IntVar] = field(default_factory=dict)
    uses: list[cp_model.IntVar] = field(default_factory=list)
    buy: list[cp_model.IntVar] = field(default_factory=list)
    active: dict[tuple[int, int], cp_model.IntVar] = field(default_factory=dict)
    offered: list[cp_model.IntVar] = field(default_factory=list)
    path_covered: dict[tuple[int, tuple[int, ...]], cp_model.IntVar] = field(default_factory=dict)
    measures: list[cp_model.IntVar] = field(default_factory=list)

    def decisions(self) -> list[cp_model.IntVar]:
        """Every variable a plan sets, decisions first, then the objective measures made so far."""
        return [
            *self.place.values(),
            *self.teach.values(),
            *self.dual.values(),
            *self.covered.values(),
            *self.uses,
            *self.active.values(),
            *self.buy,
            *self.offered,
            *self.path_covered.values(),
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
    for row in problem.demand_rows if not problem.has_tracks else ():
        if row.covering not in out.covered:
            out.covered[row.covering] = model.new_bool_var(f"covered_{len(out.covered)}")
    if problem.instructors:
        out.uses = [model.new_bool_var(f"uses_{k}") for k in range(len(problem.instructors))]
        out.buy = [model.new_bool_var(f"buy_{o}") for o in range(len(problem.offers))]
        _teaching(problem, model, out)
        _activity(problem, model, out)
    if problem.has_tracks:  # made last: a scenario without tracks keeps its variables' indices
        _paths(problem, model, out)
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
                out.teach[i, k, t] = model.new_int_var(0, problem.sections_of(i, t), f"teach_{i}_{k}_{t}")
    for (i, k, t), _taught in list(out.teach.items()):
        if problem.dual_hours(i) and problem.dual_of(i, t):
            out.dual[i, k, t] = model.new_int_var(0, problem.dual_of(i, t), f"dual_{i}_{k}_{t}")


def _activity(problem: Problem, model: cp_model.CpModel, out: Variables) -> None:
    """active[k, p] where instructor k has a contract floor and could teach in period p."""
    periods = sorted({(k, problem.period_of[t]) for (_i, k, t) in out.teach})
    for k, p in periods:
        if problem.instructors[k].min_hours_per_term > 0:
            out.active[k, p] = model.new_bool_var(f"active_{k}_{p}")


def path_covering(problem: Problem, r: int, covering: tuple[int, ...]) -> tuple[int, ...]:
    """The modules of `covering` a student of track r takes, if taken: the core's and r's own."""
    return tuple(i for i in covering if problem.track_of[i] is None or problem.track_of[i] == r)


def _paths(problem: Problem, model: cp_model.CpModel, out: Variables) -> None:
    out.offered = [model.new_bool_var(f"offered_{r}") for r in range(len(problem.tracks))]
    for r in range(len(problem.tracks)):
        for row in problem.demand_rows:
            key = (r, path_covering(problem, r, row.covering))
            if key not in out.path_covered:
                out.path_covered[key] = model.new_bool_var(f"path_covered_{len(out.path_covered)}")
