"""Training against brute force: on tiny catalogs, enumerate every set of bought training and every
plan (candidates and terms as the rule checker reads them from the catalog), judge each by the rule
checker (independent of Problem.build and the CP-SAT model), and compare the optimum, then the
money spent, with the optimizer's."""

from __future__ import annotations

import itertools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.model import (
    Catalog,
    Demand,
    Instructor,
    Module,
    ModuleSkill,
    Problem,
    Qualification,
    Scenario,
    Sector,
    Skill,
    Training,
)
from planner.optimize import solve
from planner.options import SolveOptions
from planner.result import Placement, PlanResult, Status
from tests.oracles import checker, matches_brute_force, one_sector
from tests.oracles import every_plan as oracle_plans

SKILLS = ("A", "B", "C")


@st.composite
def training_problems(draw: st.DrawFn) -> Problem:
    """Two or three modules, two instructors who are mostly *not* qualified, and offers to buy."""
    n = draw(st.integers(2, 3))
    modules = tuple(Module(f"M{i}", f"m{i}", "E", draw(st.sampled_from([2, 3, 4]))) for i in range(n))
    instructors = tuple(Instructor(f"I{k}", f"i{k}", draw(st.sampled_from([4, 6, 8]))) for k in range(2))
    pairs = [(i.instructor_id, m.module_id) for i in instructors for m in modules]
    qualified = [p for p in pairs if draw(st.integers(0, 3)) == 0]
    offers = [p for p in pairs if p not in qualified and draw(st.booleans())]
    catalog = Catalog(
        **one_sector(draw, modules),
        instructors=instructors,
        qualifications=tuple(Qualification(k, m) for k, m in qualified),
        training=tuple(Training(k, m, draw(st.sampled_from([1, 2, 3, 5]))) for k, m in offers),
    )
    scenario = Scenario(
        name="oracle",
        terms=2,
        intake="single",
        sections=draw(st.integers(1, 2)),
        objective=draw(st.sampled_from([("coverage",), ("coverage", "hours")])),
        total_hours_max=draw(st.sampled_from([None, 6])),
        min_qualified=draw(st.sampled_from([1, 1, 2])),
        training_budget=draw(st.sampled_from([0, 2, 4, 7])),
    )
    return Problem.build(catalog, scenario)


def every_plan(problem: Problem):
    """Every set of bought training, placement of modules and assignment of sections."""
    offers = problem.catalog.training
    for size in range(len(offers) + 1):
        for bought in itertools.combinations(offers, size):
            for plan in oracle_plans(problem):
                yield PlanResult(problem, Status.OPTIMAL, plan, training=bought)


def score(result: PlanResult) -> tuple[int, ...]:
    signs = {"coverage": -1, "hours": 1}
    values = checker(result.problem).objectives(result.placements)
    named = result.problem.scenario.objective
    return (*(signs[n] * values[n] for n in named), sum(t.cost for t in result.training))


@settings(max_examples=50, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(training_problems())
def test_training_matches_brute_force(problem: Problem) -> None:
    feasible = [r for r in every_plan(problem) if not r.violations()]
    matches_brute_force(problem, feasible, score)


def test_a_section_taught_through_unbought_training_breaks_the_rules() -> None:
    catalog = Catalog(
        sectors=(Sector("s1", "one", 1),),
        skills=(Skill("A", "A", "c"),),
        demands=(Demand("s1", "A", 1, 1),),
        modules=(Module("M0", "m0", "E", 2),),
        module_skills=(ModuleSkill("M0", "A", 1),),
        instructors=(Instructor("I0", "i0", 4),),
        training=(Training("I0", "M0", 3),),
    )
    problem = Problem.build(catalog, Scenario(name="t", terms=1, training_budget=3))
    plan = (Placement("M0", 1, ("I0",)),)
    assert any(v.code == "unqualified_instructor" for v in PlanResult(problem, Status.OPTIMAL, plan).violations())
    assert PlanResult(problem, Status.OPTIMAL, plan, training=catalog.training).violations() == []
    over = Problem.build(catalog, Scenario(name="t", terms=1, training_budget=2))
    assert any(
        v.code == "training_over_budget"
        for v in PlanResult(over, Status.OPTIMAL, plan, training=catalog.training).violations()
    )


def test_the_plan_kept_buys_no_more_training_than_the_proven_minimum() -> None:
    # M1 needs training (I0 at 2 or I1 at 1); M0 and M2 have qualified teachers, so covering all
    # three needs 1 spent. Found by the brute-force oracle: HiGHS, given the previous stage's plan
    # as a start, reported the value 1 while handing back that start, which buys 2 (planner/optimize/
    # mip.py now gives it no start and takes no figure its plan disagrees with as a proof).
    catalog = Catalog(
        sectors=(Sector("s1", "one", 1),),
        skills=tuple(Skill(s, s, "c") for s in SKILLS),
        demands=tuple(Demand("s1", s, 1, 1) for s in SKILLS),
        modules=tuple(Module(f"M{i}", f"m{i}", "E", 2) for i in range(3)),
        module_skills=tuple(ModuleSkill(f"M{i}", s, 1) for i, s in enumerate(SKILLS)),
        instructors=(Instructor("I0", "i0", 4), Instructor("I1", "i1", 4)),
        qualifications=(Qualification("I0", "M0"), Qualification("I0", "M2"), Qualification("I1", "M0")),
        training=(Training("I0", "M1", 2), Training("I1", "M1", 1), Training("I1", "M2", 1)),
    )
    scenario = Scenario(name="t", terms=2, intake="single", objective=("coverage",), training_budget=2)
    result = solve(Problem.build(catalog, scenario), SolveOptions(time_limit=20))
    assert [(s.objective, s.value) for s in result.stages] == [("coverage", 3), ("training", 1)]
    assert sum(t.cost for t in result.training) == 1
