"""Problem.build's derived structures agree with the rule checker's own reading of the catalog and
scenario: candidates, term windows, prerequisites, qualified instructors (within their contract
hours), labs, periods, sector goals, demands and the training on offer. The optimizer works on the
former and the checker judges by the latter; this test ties them together once, on the shipped
seeds and on random catalogs."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.model import Problem, Training
from planner.planning import load_problem
from planner.rules import RuleChecker, intake_periods
from tests.oracles import problems

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.toml")) + sorted((ROOT / "seeds" / "campuses").glob("*.toml"))


def assert_build_agrees(problem: Problem) -> None:
    rules = RuleChecker(problem.catalog, problem.scenario, problem.review)
    catalog, scenario = problem.catalog, problem.scenario
    ids = [m.module_id for m in problem.candidates]
    assert ids == [m.module_id for m in catalog.modules if rules.is_candidate(m.module_id)]
    assert problem.periods == intake_periods(scenario.intake, scenario.terms)
    roster = [i.instructor_id for i in problem.instructors]
    assert roster == list(rules.roster)
    for i, module_id in enumerate(ids):
        terms = rules.allowed_terms(module_id)
        assert problem.windows[i] == (terms[0], terms[-1])
        hours = catalog.module_by_id[module_id].hours
        can_teach = {k for k in rules.qualified(module_id) if rules.roster[k].max_hours_per_term >= hours}
        assert {roster[k] for k in problem.qualified[i]} == can_teach
        assert problem.named_qualified[i] == len(rules.qualified(module_id))
        assert [problem.labs[n].lab_id for n in problem.module_labs[i]] == rules.labs_needed(module_id)
        for n in problem.module_labs[i]:
            assert problem.labs[n].max_hours_per_term == rules.lab_capacity(problem.labs[n].lab_id)
    among = set(ids)
    pairs = [(q.module_id, q.prerequisite_id) for q in catalog.prerequisites if q.module_id in among]
    assert [(ids[m], ids[q]) for m, q in problem.prerequisites] == [(m, q) for m, q in pairs if q in among]
    for module_id, prerequisite in pairs:  # a prerequisite outside the candidates blocks its module
        if prerequisite not in among:
            assert ids.index(module_id) in problem.blocked
    goals = rules.sector_goals()
    assert (
        dict(zip(problem.sector_ids, zip(problem.sector_weights, problem.min_coverage, strict=True), strict=True))
        == goals
    )
    demands = [d for d in catalog.demands if d.sector_id in goals]
    assert [row.demand for row in problem.demand_rows] == demands
    for row in problem.demand_rows:
        d = row.demand
        assert row.weight == goals[d.sector_id][0] * d.importance
        assert sorted(ids[i] for i in row.covering) == rules.covering(d.skill_id, d.level, ids)
    assert {(roster[o.instructor], ids[o.module], o.cost) for o in problem.offers} == offered(rules)


def offered(rules: RuleChecker) -> set[tuple[str, str, int]]:
    """Training the budget may buy: a roster instructor not yet qualified for a candidate module,
    whose contract holds the module's hours, at a cost within the budget."""
    budget = rules.scenario.training_budget
    return {
        (t.instructor_id, t.module_id, t.cost)
        for t in rules.catalog.training
        if budget > 0
        and t.cost <= budget
        and t.instructor_id in rules.roster
        and rules.is_candidate(t.module_id)
        and t.instructor_id not in rules.qualified(t.module_id)
        and rules.roster[t.instructor_id].max_hours_per_term >= rules.catalog.module_by_id[t.module_id].hours
    }


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.stem)
def test_build_agrees_with_the_rule_checker_on_the_shipped_seeds(path: Path) -> None:
    assert_build_agrees(load_problem(path))


@st.composite
def varied(draw: st.DrawFn) -> Problem:
    """A random problem, then careers, exclusions and training offers drawn on top of it."""
    problem = draw(problems(with_instructors=draw(st.booleans())))
    catalog, scenario = problem.catalog, problem.scenario
    modules = [replace(m, career=draw(st.sampled_from(["E", "F"]))) for m in catalog.modules]
    roster = [i.instructor_id for i in catalog.instructors] + ["nobody"]
    training = sorted({(draw(st.sampled_from(roster)), m.module_id) for m in modules if draw(st.booleans())})
    catalog = replace(
        catalog,
        modules=tuple(modules),
        training=tuple(Training(k, m, draw(st.integers(0, 5))) for k, m in training),
    )
    required = set(scenario.required_modules)
    excluded = tuple(m.module_id for m in modules if m.module_id not in required and draw(st.integers(0, 3)) == 0)
    scenario = replace(
        scenario,
        careers=("E",) if any(m.career == "E" for m in modules) and draw(st.booleans()) else None,
        excluded_modules=excluded,
        training_budget=draw(st.sampled_from([0, 2, 5])),
    )
    return Problem.build(catalog, scenario)


@settings(max_examples=200, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(varied())
def test_build_agrees_with_the_rule_checker_on_random_catalogs(problem: Problem) -> None:
    assert_build_agrees(problem)
