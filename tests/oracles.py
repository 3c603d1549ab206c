"""Helpers of the brute-force oracles: tiny random problems, every plan of one, and the check
that the optimizer's answer matches the best plan the rule checker accepts."""

from __future__ import annotations

import itertools
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import strategies as st

from planner.errors import InfeasibleError
from planner.model import (
    INTAKES,
    OBJECTIVES,
    Catalog,
    Demand,
    Instructor,
    Lab,
    Module,
    ModuleLab,
    ModuleSkill,
    Prerequisite,
    Problem,
    Qualification,
    Scenario,
    Sector,
    SectorGoal,
    Skill,
)
from planner.optimize import solve
from planner.options import SolveOptions
from planner.result import Placement, PlanResult, Status
from planner.rules import RuleChecker

SKILLS = ("A", "B", "C")


def one_sector(draw: st.DrawFn, modules: tuple[Module, ...]) -> dict[str, Any]:
    """A Catalog's sector, skills, demands and modules for the small staffed strategies: one sector
    demanding SKILLS, each at a drawn importance, module i teaching SKILLS[i]."""
    return {
        "sectors": (Sector("s1", "one", 1),),
        "skills": tuple(Skill(s, s, "c") for s in SKILLS),
        "demands": tuple(Demand("s1", s, 1, draw(st.integers(1, 3))) for s in SKILLS),
        "modules": modules,
        "module_skills": tuple(ModuleSkill(m.module_id, SKILLS[i], 1) for i, m in enumerate(modules)),
    }


@st.composite
def problems(draw: st.DrawFn, with_instructors: bool) -> Problem:
    terms = draw(st.integers(1, 3))
    n = draw(st.integers(1, 4))
    modules = []
    for i in range(n):
        lo = draw(st.none() | st.integers(1, terms))
        hi = draw(st.none() | st.integers(lo or 1, terms))
        modules.append(Module(f"M{i}", f"m{i}", "E", draw(st.sampled_from([2, 3, 4, 6])), lo, hi))
    teaches = draw(
        st.lists(
            st.tuples(st.integers(0, n - 1), st.sampled_from(SKILLS), st.integers(1, 3)),
            max_size=6,
            unique_by=lambda x: x[:2],
        )
    )
    pairs = draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=2))
    prerequisites = {(a, b) for a, b in pairs if a > b}  # a needs b; b < a keeps it acyclic
    demands = draw(
        st.lists(
            st.tuples(st.sampled_from(["s1", "s2"]), st.sampled_from(SKILLS), st.integers(1, 3), st.integers(1, 3)),
            min_size=1,
            max_size=4,
            unique_by=lambda x: x[:2],
        )
    )
    instructors = tuple(draw(instructor(k)) for k in range(draw(st.integers(1, 2)))) if with_instructors else ()
    qualifications = tuple(
        Qualification(ins.instructor_id, m.module_id)
        for ins in instructors
        for m in modules
        if draw(st.integers(0, 3)) > 0  # mostly qualified, so instructor rules get exercised
    )
    catalog = Catalog(
        sectors=(Sector("s1", "one", draw(st.integers(1, 3))), Sector("s2", "two", 1)),
        skills=tuple(Skill(s, s, "c") for s in SKILLS),
        demands=tuple(Demand(*d) for d in demands),
        modules=tuple(modules),
        module_skills=tuple(ModuleSkill(f"M{i}", s, lv) for i, s, lv in teaches),
        prerequisites=tuple(Prerequisite(f"M{a}", f"M{b}") for a, b in sorted(prerequisites)),
        instructors=instructors,
        qualifications=qualifications,
        labs=(Lab("L", "lab", draw(st.sampled_from([0, 4, 6, 10]))),),
        module_labs=tuple(ModuleLab(m.module_id, "L") for m in modules if draw(st.integers(0, 2)) == 0),
    )
    objective = tuple(draw(st.permutations(OBJECTIVES)))[: draw(st.integers(1, 4))]
    scenario = Scenario(
        name="oracle",
        terms=terms,
        intake=draw(st.sampled_from(INTAKES)),
        sections=draw(st.integers(1, 2)) if instructors else 1,
        required_modules=tuple(draw(st.sets(st.sampled_from([m.module_id for m in modules]), max_size=1))),
        objective=objective,
        total_hours_max=draw(st.none() | st.integers(0, 12)),
        term_hours_min=draw(st.integers(0, 3)),
        term_hours_max=draw(st.none() | st.integers(2, 8)),
        modules_per_term_max=draw(st.none() | st.integers(1, 2)),
        max_instructors_used=draw(st.none() | st.integers(0, 1)) if instructors else None,
        min_qualified=draw(st.sampled_from([1, 1, 2])),
        max_cost=draw(st.none() | st.integers(0, 40)) if instructors else None,
        sectors=(
            SectorGoal("s1", draw(st.sampled_from([Fraction(0), Fraction(1, 2), Fraction(2, 3)]))),
            SectorGoal("s2"),
        ),
    )
    return Problem.build(catalog, scenario)


@st.composite
def instructor(draw: st.DrawFn, k: int, caps: list[int] | None = None) -> Instructor:
    """A contract: a cap, a floor at most the cap, and an hourly cost (all tiny, so rules bind)."""
    cap = draw(st.sampled_from(caps or [0, 4, 6, 8, 9, 12]))
    floor = draw(st.sampled_from([0, 0, 3, 5, 6]))
    return Instructor(f"I{k}", f"i{k}", cap, min(floor, cap), draw(st.sampled_from([0, 1, 2])))


@st.composite
def staffing_problems(draw: st.DrawFn) -> Problem:
    """Three terms, so yearly intake runs terms 1 and 3 together; every module is worth taking, so
    contracts (caps and floors), the lab, the budget and the cost objective decide the optimum."""
    n = draw(st.integers(2, 3))
    modules = tuple(Module(f"M{i}", f"m{i}", "E", draw(st.sampled_from([2, 3, 4]))) for i in range(n))
    instructors = tuple(draw(instructor(k, caps=[3, 4, 6, 8])) for k in range(2))
    qualified = [draw(st.sampled_from([("I0",), ("I1",), ("I0", "I1")])) for _ in modules]
    catalog = Catalog(
        **one_sector(draw, modules),
        instructors=instructors,
        qualifications=tuple(
            Qualification(k, m.module_id) for m, ks in zip(modules, qualified, strict=True) for k in ks
        ),
        labs=(Lab("L", "lab", draw(st.sampled_from([4, 6, 8]))),),
        module_labs=tuple(ModuleLab(m.module_id, "L") for m in modules if draw(st.integers(0, 2)) > 0),
    )
    scenario = Scenario(
        name="oracle",
        terms=3,
        intake=draw(st.sampled_from(["yearly", "yearly", "every_term", "single"])),
        sections=draw(st.integers(1, 2)),
        objective=tuple(draw(st.permutations(OBJECTIVES)))[: draw(st.integers(1, 4))],
        max_cost=draw(st.sampled_from([None, 6, 9, 12, 16])),
        min_qualified=draw(st.sampled_from([1, 1, 1, 2])),
        sectors=(SectorGoal("s1", draw(st.sampled_from([Fraction(0), Fraction(1, 2)]))),),
    )
    return Problem.build(catalog, scenario)


def checker(problem: Problem) -> RuleChecker:
    return RuleChecker(problem.catalog, problem.scenario, problem.review)


def every_plan(problem: Problem):
    """Every assignment of modules to terms (or not taken) and of instructors to sections, read
    from the catalog by the rule checker, not from the problem's derived windows and candidates."""
    rules = checker(problem)
    teachers: list[str | None] = [*rules.roster] or [None]
    modules = [m.module_id for m in problem.catalog.modules if rules.is_candidate(m.module_id)]
    choices = [[None, *rules.allowed_terms(m)] for m in modules]
    for terms in itertools.product(*choices):
        taken = [(m, t) for m, t in zip(modules, terms, strict=True) if t is not None]
        # Sections are interchangeable, so who teaches them is a multiset: every plan up to order.
        per_section = itertools.combinations_with_replacement(teachers, problem.most_sections)
        for assignment in itertools.product(list(per_section), repeat=len(taken)):
            yield tuple(Placement(m, t, who) for (m, t), who in zip(taken, assignment, strict=True))


def feasible_plans(problem: Problem, plans) -> list[PlanResult]:
    """The plans (placements, or PlanResults with bought training) that break no rule."""
    rules = checker(problem)
    results = (p if isinstance(p, PlanResult) else PlanResult(problem, Status.OPTIMAL, p) for p in plans)
    return [r for r in results if not rules.violations(r.placements, r.training)]


SIGNS = {"coverage": -1, "hours": 1, "balance": 1, "cost": 1, "changes": 1}


def score(result: PlanResult) -> tuple[int, ...]:
    """The objective vector in scenario order, as the rule checker counts it, as a tuple to minimise."""
    values = checker(result.problem).objectives(result.placements)
    return tuple(SIGNS[name] * values[name] for name in result.problem.scenario.objective)


def matches_brute_force(problem: Problem, feasible: list[PlanResult], score) -> PlanResult | None:
    """Solve `problem`: infeasible exactly when no plan is `feasible`, else proven optimal, breaking
    no rule and as good by `score` as the best feasible plan. The result, for further checks."""
    if not feasible:
        with pytest.raises(InfeasibleError):
            solve(problem, SolveOptions(time_limit=20))
        return None
    result = solve(problem, SolveOptions(time_limit=20))
    assert result.status is Status.OPTIMAL
    assert checker(problem).violations(result.placements, result.training) == []
    assert score(result) == min(score(r) for r in feasible)
    # The plan's own figures (the workbook's) agree with the rule checker's count.
    assert result.objectives == checker(problem).objectives(result.placements)
    return result
