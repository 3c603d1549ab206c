"""The planning model as the rules see it: the CP-SAT model, its variables and its requirements.

`PlanModel` holds the problem, the model, the variables (variables.py) and the hour unit, with the
sums the rules share (a term's hours, the hours a dual section leaves to its teacher). Scenario
limits are added through `Requirements`: in a normal solve they are hard constraints; when
explaining an infeasible scenario each group gets an enforcement literal so CP-SAT can report which
groups conflict (see explain.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

from ortools.sat.python import cp_model

from planner.conflicts import RequirementKey
from planner.model import Problem
from planner.optimize.variables import Variables
from planner.reasons import Reason


@dataclass
class Requirements:
    """Hands out enforcement literals for requirement groups (only when explaining)."""

    model: cp_model.CpModel
    explaining: bool = False
    groups: dict[RequirementKey, tuple[cp_model.IntVar, Reason]] = field(default_factory=dict)

    def enforce(self, key: RequirementKey, what: Reason) -> list[cp_model.IntVar]:
        """Literals that switch group `key` on; empty (hard constraint) in a normal solve.

        `what` says the requirement as data, for the explanation of an infeasible scenario.
        """
        if not self.explaining:
            return []
        if key not in self.groups:
            self.groups[key] = (self.model.new_bool_var(str(key.as_dict())), what)
        return [self.groups[key][0]]


@dataclass
class PlanModel:
    problem: Problem
    model: cp_model.CpModel
    requirements: Requirements
    variables: Variables
    cost: cp_model.LinearExprT | None = None
    largest_term: cp_model.IntVar | None = None
    changes: cp_model.LinearExprT | None = None  # against the reviewed plan
    # Hours are counted in units of the gcd of all module hours (18 h on CONALEP's 18-week
    # semesters): every sum of hours is a multiple of it, so limits round to whole units and the
    # LP bounds of the hour objectives tighten for free.
    unit: int = 1

    @property
    def place(self) -> dict[tuple[int, int], cp_model.IntVar]:
        return self.variables.place

    @property
    def teach(self) -> dict[tuple[int, int, int], cp_model.IntVar]:
        return self.variables.teach

    @property
    def covered(self) -> dict[tuple[int, ...], cp_model.IntVar]:
        return self.variables.covered

    @property
    def dual(self) -> dict[tuple[int, int, int], cp_model.IntVar]:
        return self.variables.dual

    @property
    def uses(self) -> list[cp_model.IntVar]:
        return self.variables.uses

    @property
    def buy(self) -> list[cp_model.IntVar]:
        return self.variables.buy

    @property
    def active(self) -> dict[tuple[int, int], cp_model.IntVar]:
        return self.variables.active

    @cached_property
    def hours(self) -> tuple[int, ...]:
        return tuple(h // self.unit for h in self.problem.hours)

    @cached_property
    def dual_hours(self) -> tuple[int, ...]:
        """Per candidate: the company's hours of a dual section, in hour units."""
        return tuple(self.problem.dual_hours(i) // self.unit for i in range(len(self.problem.candidates)))

    def taught_units(self, i: int, k: int, t: int) -> cp_model.LinearExprT:
        """The hour units instructor k gives module i in term t: its sections, less the company's
        part of its dual sections."""
        taught = self.hours[i] * self.teach[i, k, t]
        if (i, k, t) in self.dual:
            return taught - self.dual_hours[i] * self.dual[i, k, t]
        return taught

    def group_units(self, i: int, t: int) -> int:
        """The hour units all sections of module i need of instructors (and labs) in term t."""
        return self.problem.group_hours(i, t) // self.unit

    def units_at_most(self, limit: int) -> int:
        return limit // self.unit

    def units_at_least(self, limit: int) -> int:
        return -(-limit // self.unit)

    def terms_of(self, i: int) -> range:
        lo, hi = self.problem.windows[i]
        return range(lo, hi + 1)

    def taken(self, i: int) -> cp_model.LinearExprT:
        return sum(self.place[i, t] for t in self.terms_of(i))

    def term_hours(self, t: int, path: tuple[int, ...] | None = None) -> cp_model.LinearExprT:
        """Term t's hours over every module, or over the modules of one student path."""
        # Long sums are built in one call: sum() grows the expression term by term, 4x slower,
        # which set covering's 1,000-term rows and objectives felt (docs/PERFORMANCE.md).
        hours = self.hours
        on = set(path) if path is not None else None
        placed = [(v, hours[i]) for (i, term), v in self.place.items() if term == t and (on is None or i in on)]
        return cp_model.LinearExpr.weighted_sum([v for v, _ in placed], [h for _, h in placed])

    def term_modules(self, t: int, path: tuple[int, ...] | None = None) -> cp_model.LinearExprT:
        on = set(path) if path is not None else None
        return cp_model.LinearExpr.sum(
            [v for (i, term), v in self.place.items() if term == t and (on is None or i in on)]
        )

    def path_on(self, track: int | None) -> cp_model.LinearExprT:
        """1 when the path is a student's: always without tracks, when its track is offered with them."""
        return 1 if track is None else self.variables.offered[track]

    @property
    def maximising(self) -> bool:
        """Whether the objective now set on the model is maximised."""
        return (self.model.proto.objective.scaling_factor or 1.0) < 0

    def hint(self, values: list[int], variables: Iterable[cp_model.IntVar] | None = None) -> None:
        """Start CP-SAT from `values` (a plan, one value per model variable) on `variables` only
        (by default every decision). Variables made after the plan (a measure the stage's objective
        added) are left to the search."""
        self.model.clear_hints()
        for v in self.variables.decisions() if variables is None else variables:
            if v.index < len(values):
                self.model.add_hint(v, values[v.index])
