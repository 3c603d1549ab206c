"""Why a demand is uncovered, as data: never coverable from the catalog, or the limit that taking
its cheapest covering module would break in this plan (planner.words.reasons says each reason).

Heuristics that explain a plan, not rules that judge it (that is planner/rules.py). Standard
library only.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from planner.model import Demand, DemandRow, Problem, period_data
from planner.paths import offered_tracks, track_gap_reason
from planner.reasons import Reason


@dataclass(frozen=True)
class Gap:
    """An uncovered demand and why, as data (planner.words.reasons.say words it)."""

    demand: Demand
    reason: Reason


class Load(Protocol):
    """An instructor's load as the plan counts it (planner.result.InstructorLoad)."""

    @property
    def instructor_id(self) -> str: ...
    @property
    def capacity(self) -> int: ...
    @property
    def cost_per_hour(self) -> int: ...
    @property
    def sections(self) -> int: ...
    @property
    def hours_per_period(self) -> tuple[int, ...]: ...
    def total_in(self, p: int) -> int: ...


class LabLoad(Protocol):
    """A lab's use as the plan counts it (planner.result.LabUse)."""

    @property
    def lab_id(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def capacity(self) -> int: ...
    @property
    def hours_per_period(self) -> tuple[int, ...]: ...
    def total_in(self, p: int) -> int: ...


class PlanFigures(Protocol):
    """The figures of a plan the gap reasons read (planner.result.PlanResult has them)."""

    @property
    def problem(self) -> Problem: ...
    @property
    def proven(self) -> bool: ...
    @property
    def taken(self) -> Mapping[str, object]: ...
    @property
    def term_hours(self) -> tuple[int, ...]: ...
    @property
    def term_module_counts(self) -> tuple[int, ...]: ...
    @property
    def lab_uses(self) -> Sequence[LabLoad]: ...
    @property
    def instructor_loads(self) -> Sequence[Load]: ...
    @property
    def instructors_used(self) -> int: ...
    @property
    def objectives(self) -> dict[str, int]: ...


class GapReasons:
    """The reasons of one plan's gaps."""

    def __init__(self, plan: PlanFigures) -> None:
        self.plan = plan
        self._teachers = teachers(plan.problem)  # so each gap need not scan every module

    def reason(self, row_index: int) -> Reason:
        """Why the demand row is uncovered: never coverable, or the limit its cheapest module would break."""
        problem = self.plan.problem
        row = problem.demand_rows[row_index]
        why = uncoverable(problem, row, self._teachers)
        if why is not None:
            return why
        open_ = [i for i in row.covering if i not in problem.blocked]
        cheapest = min(open_, key=lambda i: (problem.candidates[i].hours, i))
        offered = offered_tracks(problem, dict.fromkeys(self.plan.taken, 0))
        return track_gap_reason(problem, cheapest, offered) or self._limit_reason(cheapest)

    def _limit_reason(self, module: int) -> Reason:
        """Which scenario limit taking this (cheapest covering) module would break."""
        problem, scenario = self.plan.problem, self.plan.problem.scenario
        candidate = problem.candidates[module]
        hours = candidate.hours
        name = candidate.module_id
        total = sum(self.plan.term_hours)
        if scenario.total_hours_max is not None and total + hours > scenario.total_hours_max:
            return Reason(
                "total_hours_full", {"module": name, "hours": hours, "limit": scenario.total_hours_max, "used": total}
            )
        lo, hi = problem.windows[module]
        fits = [
            t
            for t in range(lo, hi + 1)
            if (scenario.term_hours_max is None or self.plan.term_hours[t - 1] + hours <= scenario.term_hours_max)
            and (
                scenario.modules_per_term_max is None
                or self.plan.term_module_counts[t - 1] < scenario.modules_per_term_max
            )
        ]
        if not fits:
            return Reason("terms_full", {"module": name, "hours": hours, "first": lo, "last": hi})
        lab_full = self._lab_reason(module, fits)
        if lab_full:
            return lab_full
        if problem.instructors:
            staffing = self._staffing_reason(module, fits)
            if staffing:
                return staffing
        missing = [
            problem.candidates[q].module_id
            for m, q in problem.prerequisites
            if m == module and problem.candidates[q].module_id not in self.plan.taken
        ]
        if missing:
            return Reason("prerequisites_missing", {"module": name, "modules": missing})
        return self._trade_off(name, hours)

    def _lab_reason(self, module: int, fits: list[int]) -> Reason | None:
        """A lab the module needs that is too full in every period it could run in."""
        problem = self.plan.problem
        for n in problem.module_labs[module]:
            use = self.plan.lab_uses[n]  # committed and plan hours against the capacity
            if all(use.total_in(problem.period_of[t]) + problem.group_hours(module, t) > use.capacity for t in fits):
                t = min(fits, key=lambda t: use.total_in(problem.period_of[t]))
                p, need = problem.period_of[t], problem.group_hours(module, t)
                free = use.capacity - use.total_in(p)
                return Reason(
                    "lab_full",
                    {
                        "lab": use.lab_id,
                        "name": use.name,
                        "period": period_data(problem.scenario, p),
                        "module": problem.candidates[module].module_id,
                        "need": need,
                        "free": max(free, 0),
                        "capacity": use.capacity,
                    },
                )
        return None

    def _staffing_reason(self, module: int, fits: list[int]) -> Reason | None:
        """The instructor contracts, instructor limit or budget that adding the module would break."""
        problem = self.plan.problem
        qualified = {problem.instructors[k].instructor_id for k in problem.qualified[module]}
        loads = [load for load in self.plan.instructor_loads if load.instructor_id in qualified]
        if not loads:  # only bought training could staff it, and none was bought for it
            return Reason("needs_training", {"module": problem.candidates[module].module_id})
        periods = sorted({problem.period_of[t] for t in fits})
        full = self._instructors_full(module, loads, periods)
        return full if full is not None else self._limit_or_budget(module, loads, periods)

    def _instructors_full(self, module: int, loads: list[Load], periods: list[int]) -> Reason | None:
        """No period in which the qualified instructors have room for every section together."""
        problem, scenario = self.plan.problem, self.plan.problem.scenario
        hours, sections = problem.hours[module], _fewest_sections(problem, module)
        if any(sum((ld.capacity - ld.total_in(p)) // hours for ld in loads) >= sections for p in periods):
            return None
        ld, p = min(((ld, p) for ld in loads for p in periods), key=lambda x: x[0].total_in(x[1]) - x[0].capacity)
        return Reason(
            "instructor_full",
            {
                "instructor": ld.instructor_id,
                "module": problem.candidates[module].module_id,
                "would": ld.total_in(p) + hours * sections,
                "capacity": ld.capacity,
                "weeks": scenario.weeks_per_term,
                "period": period_data(scenario, p),
                "groups": sections,
            },
        )

    def _limit_or_budget(self, module: int, loads: list[Load], periods: list[int]) -> Reason | None:
        """The instructor limit (no one with room already teaches) or the staffing budget."""
        problem, scenario = self.plan.problem, self.plan.problem.scenario
        name, hours, sections = (
            problem.candidates[module].module_id,
            problem.hours[module],
            _fewest_sections(problem, module),
        )
        spare = {ld.instructor_id for ld in loads if any(ld.capacity - ld.total_in(p) >= hours for p in periods)}
        teaching = {load.instructor_id for load in self.plan.instructor_loads if load.sections}
        limit = scenario.max_instructors_used
        if limit is not None and self.plan.instructors_used >= limit and not spare & teaching:
            return Reason("instructor_limit_reached", {"module": name, "limit": limit})
        cheapest = min((ld.cost_per_hour for ld in loads), default=0) * hours * sections
        cost = self.plan.objectives["cost"]
        if scenario.max_cost is not None and cost + cheapest > scenario.max_cost:
            return Reason(
                "budget_reached", {"module": name, "extra": cheapest, "cost": cost, "budget": scenario.max_cost}
            )
        return None

    def _trade_off(self, name: str, hours: int) -> Reason:
        """The module fits on its own, so the objective order kept it out."""
        first = self.plan.problem.scenario.objective[0]
        if first != "coverage":
            return Reason("objective_order", {"module": name, "hours": hours, "objective": first})
        if self.plan.proven:
            return Reason("better_modules", {"module": name, "hours": hours})
        return Reason("search_time", {"module": name, "hours": hours})


def as_data(reason: Reason) -> dict[str, object]:
    """A reason inside another reason's parameters, kept JSON-able."""
    return {"code": reason.code, "params": dict(reason.params)}


def teachers(problem: Problem) -> dict[str, list[tuple[str, int]]]:
    """Skill -> (module, level) over the whole catalog."""
    out: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for ms in problem.catalog.module_skills:
        out[ms.skill_id].append((ms.module_id, ms.level))
    return out


def uncoverable(problem: Problem, row: DemandRow, taught: Mapping[str, list[tuple[str, int]]]) -> Reason | None:
    """Why no plan of this scenario can cover a demand, from the catalog alone; None if one could.

    The one explanation of an uncoverable demand: gaps and the infeasibility explanation both use it.
    """
    demand = row.demand
    said = {"skill": demand.skill_id, "level": demand.level}
    in_catalog = sorted(m for m, level in taught.get(demand.skill_id, ()) if level >= demand.level)
    if not in_catalog:
        return Reason("not_taught", said)
    if not row.covering:
        return Reason("no_candidate", {**said, "modules": in_catalog})
    if any(i not in problem.blocked for i in row.covering):
        return None
    modules = [{"module": problem.candidates[i].module_id, "why": as_data(problem.blocked[i])} for i in row.covering]
    return Reason("uncoverable", {**said, "modules": modules})


def _fewest_sections(problem: Problem, module: int) -> int:
    """The fewest sections the module runs in any semester (a track module: its track's groups)."""
    return problem.scenario.track_groups if problem.in_track(module) else min(problem.scenario.groups)
