"""The optimizer against brute force: on tiny random catalogs, enumerate every plan and compare optima.

Plans are enumerated from the rule checker's own reading of the catalog and scenario (candidates,
term windows, roster), and each is judged and scored by the rule checker (planner/rules.py), which
shares nothing with Problem.build or the CP-SAT model, so the two cross-check each other.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings

from planner.model import Problem
from tests.oracles import every_plan, feasible_plans, matches_brute_force, problems, score, staffing_problems


@settings(max_examples=80, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(problems(with_instructors=False))
def test_optimizer_matches_brute_force(problem: Problem) -> None:
    check_against_brute_force(problem)


@settings(max_examples=80, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(problems(with_instructors=True))
def test_optimizer_matches_brute_force_with_instructors(problem: Problem) -> None:
    check_against_brute_force(problem)


@settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(staffing_problems())
def test_optimizer_matches_brute_force_with_staffing(problem: Problem) -> None:
    check_against_brute_force(problem)


def check_against_brute_force(problem: Problem) -> None:
    result = matches_brute_force(problem, feasible_plans(problem, every_plan(problem)), score)
    if result is None:
        return
    # The solver's stage values agree with the figures recomputed from its plan.
    assert [s.value for s in result.stages] == [result.objectives[name] for name in problem.scenario.objective]
