"""Decisions and the `changes` stage against brute force: on tiny random problems with a random
reviewed plan and random decisions, enumerate every plan and compare the lexicographic optimum,
`changes` included. Feasibility is judged by the rule checker, decisions included, which reads
the catalog and scenario itself, independently of Problem.build and the CP-SAT model."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.model import Problem
from planner.optimize.solve import stage_order
from planner.result import PlanResult
from planner.review_plan import DROP, LOCK, Review, ReviewRow
from tests.oracles import (
    SIGNS,
    checker,
    every_plan,
    feasible_plans,
    matches_brute_force,
    problems,
    staffing_problems,
)


@st.composite
def reviewed(draw: st.DrawFn, problem: Problem) -> Problem:
    """A reviewed plan over some of the modules (one row per section, as the Plan sheet has them),
    with consistent random decisions: a module is locked in its row's term, or dropped, or left."""
    rows: list[ReviewRow] = []
    teachers = [None, *(i.instructor_id for i in problem.instructors)]
    for module in problem.catalog.modules:
        if draw(st.integers(0, 3)) == 0:
            continue
        term = draw(st.integers(1, problem.terms))
        decision = draw(st.sampled_from([None, LOCK, LOCK, DROP]))
        for _section in range(problem.most_sections):
            who = draw(st.sampled_from(teachers))
            marked = decision if decision == DROP or draw(st.booleans()) else None
            rows.append(ReviewRow(len(rows) + 2, module.module_id, term, who, marked))
    # `changes` ranked early would keep the reviewed plan anyway and hide a broken decision; the
    # last stage (added for the review) still ranks it.
    objective = tuple(o for o in problem.scenario.objective if o != "changes") or ("hours",)
    return Problem.build(problem.catalog, replace(problem.scenario, objective=objective), Review(tuple(rows)))


def score(result: PlanResult) -> tuple[int, ...]:
    values = checker(result.problem).objectives(result.placements)
    return tuple(SIGNS[name] * values[name] for name in stage_order(result.problem))


def check(problem: Problem) -> None:
    result = matches_brute_force(problem, feasible_plans(problem, every_plan(problem)), score)
    if result is None:
        return
    assert [s.objective for s in result.stages][-1] == "changes" or "changes" in problem.scenario.objective
    assert [s.value for s in result.stages] == [result.objectives[name] for name in stage_order(problem)]


@settings(max_examples=100, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_decisions_and_changes_match_brute_force(data: st.DataObject) -> None:
    check(data.draw(reviewed(data.draw(problems(with_instructors=False)))))


@settings(max_examples=80, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_decisions_and_changes_match_brute_force_with_staffing(data: st.DataObject) -> None:
    check(data.draw(reviewed(data.draw(staffing_problems()))))
