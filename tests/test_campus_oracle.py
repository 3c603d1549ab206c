"""Version 3 against brute force: commitments, groups per semester and dual sections.

On tiny random campuses every plan is enumerated (modules to terms, instructors to each section,
the dual sections, a term's first ones, apart from the others) and judged by PlanResult.violations(),
which counts committed hours and the company's part of dual sections independently of the CP-SAT
model. The optimizer must match the best of them; so must the independent HiGHS model of
benchmarks/milp.py, which shares no code with the optimizer; and HiGHS on the CP-SAT model's
row-by-row translation (the portfolio's second engine) must reach CP-SAT's optimum.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ortools.sat.python import cp_model

from planner.model import (
    OBJECTIVES,
    Catalog,
    Commitment,
    Instructor,
    Lab,
    LabCommitment,
    Module,
    ModuleLab,
    Problem,
    Qualification,
    Scenario,
    SectorGoal,
)
from planner.optimize import mip
from planner.optimize.constraints import OBJECTIVE_TERMS, build
from planner.result import Placement, PlanResult, Status
from tests.oracles import matches_brute_force, one_sector, score

SKILLS = ("A", "B", "C")
ORDERS = [o for o in itertools.permutations(OBJECTIVES[:4]) if o]


@st.composite
def campus_problems(draw: st.DrawFn) -> Problem:
    """Three terms (yearly intake runs terms 1 and 3 together), two or three modules, two
    instructors with commitments, one lab with its own, shrinking groups and dual sections."""
    n = draw(st.integers(2, 3))
    modules = tuple(
        Module(f"M{i}", f"m{i}", "E", hours, dual_hours=draw(st.sampled_from([0, 1, hours // 2])))
        for i in range(n)
        for hours in [draw(st.sampled_from([2, 3, 4]))]
    )
    instructors = tuple(
        Instructor(f"I{k}", f"i{k}", cap, min(draw(st.sampled_from([0, 0, 3, 5])), cap), draw(st.integers(0, 2)))
        for k in range(2)
        for cap in [draw(st.sampled_from([4, 6, 8, 9]))]
    )
    periods = 2
    commitments = tuple(
        Commitment(i.instructor_id, p, hours)
        for i in instructors
        for p in range(1, periods + 1)
        if (hours := draw(st.sampled_from([0, 0, 1, 2, 3]))) and hours <= i.max_hours_per_term
    )
    qualified = [draw(st.sampled_from([("I0",), ("I1",), ("I0", "I1")])) for _ in modules]
    lab_capacity = draw(st.sampled_from([4, 6, 8]))
    catalog = Catalog(
        **one_sector(draw, modules),
        instructors=instructors,
        qualifications=tuple(
            Qualification(k, m.module_id) for m, ks in zip(modules, qualified, strict=True) for k in ks
        ),
        labs=(Lab("L", "lab", lab_capacity),),
        module_labs=tuple(ModuleLab(m.module_id, "L") for m in modules if draw(st.booleans())),
        commitments=commitments,
        lab_commitments=tuple(
            LabCommitment("L", p, hours) for p in (1, 2) if (hours := draw(st.sampled_from([0, 1, 2])))
        ),
    )
    groups = draw(st.sampled_from([(2, 2, 1), (2, 1, 1), (1, 1, 1), (2, 2, 2)]))
    dual = tuple(draw(st.integers(0, g)) for g in groups)
    scenario = Scenario(
        name="oracle",
        terms=3,
        sections=groups,
        dual_groups=dual,
        max_company_hours=draw(st.sampled_from([None, 0, 1, 2, 4])),
        objective=draw(st.sampled_from(ORDERS))[: draw(st.integers(1, 4))],
        sectors=(SectorGoal("s1", draw(st.sampled_from([Fraction(0), Fraction(1, 2)]))),),
    )
    return Problem.build(catalog, scenario)


def every_plan(problem: Problem) -> Iterator[tuple[Placement, ...]]:
    """Every plan: modules to terms (or not taken); per module, who teaches its dual sections (the
    term's first ones) and who the others, each a multiset, as sections of one kind are alike."""
    teachers = [i.instructor_id for i in problem.instructors]
    choices = [[None, *range(lo, hi + 1)] for lo, hi in problem.windows]
    for terms in itertools.product(*choices):
        taken = [(m, t) for m, t in zip(problem.candidates, terms, strict=True) if t is not None]
        options = [
            [
                dual + regular
                for dual in itertools.combinations_with_replacement(teachers, problem.dual_in(t))
                for regular in itertools.combinations_with_replacement(
                    teachers, problem.sections_in(t) - problem.dual_in(t)
                )
            ]
            for _m, t in taken
        ]
        for assignment in itertools.product(*options):
            yield tuple(Placement(m.module_id, t, who) for (m, t), who in zip(taken, assignment, strict=True))


@settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(campus_problems())
def test_optimizer_matches_brute_force_on_campuses(problem: Problem) -> None:
    feasible = [r for plan in every_plan(problem) if not (r := PlanResult(problem, Status.OPTIMAL, plan)).violations()]
    result = matches_brute_force(problem, feasible, score)
    if result is not None:
        assert [s.value for s in result.stages] == [result.objectives[name] for name in problem.scenario.objective]


@settings(max_examples=40, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(campus_problems())
def test_independent_milp_matches_brute_force_on_campuses(problem: Problem) -> None:
    milp = pytest.importorskip("benchmarks.milp")
    feasible = [r for plan in every_plan(problem) if not (r := PlanResult(problem, Status.OPTIMAL, plan)).violations()]
    run = milp.solve(problem, time_limit=20)
    if not feasible:
        assert run.result is None and run.status == "INFEASIBLE"
        return
    assert run.result is not None and run.status == "OPTIMAL"
    assert run.result.violations() == []
    assert score(run.result) == min(score(r) for r in feasible)


@settings(max_examples=25, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(campus_problems(), st.sampled_from(["coverage", "hours", "cost"]))
def test_the_highs_translation_reaches_the_cp_sat_optimum_on_campuses(problem: Problem, objective: str) -> None:
    """The portfolio's HiGHS searches the CP-SAT model translated row by row (planner/optimize/mip.py):
    commitments, groups per term and dual sections must translate to the same optimum."""
    pm = build(problem)
    term, maximise, _ = OBJECTIVE_TERMS[objective]
    (pm.model.maximize if maximise else pm.model.minimize)(term(pm))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    status = solver.solve(pm.model)
    translation = mip.translate(pm.model)
    assert translation is not None
    search = mip.Search(translation, 10.0)
    search.begin()
    mip.wait(search)
    if status == cp_model.INFEASIBLE:
        assert search.objective is None
        return
    assert status == cp_model.OPTIMAL and search.proven
    assert search.objective == round(solver.objective_value)
