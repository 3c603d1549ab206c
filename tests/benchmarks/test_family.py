"""The benchmark family (issue 11) and staffing version 2: the planner and the independent HiGHS
model agree on small staffing instances, and every family instance is feasible."""

from __future__ import annotations

import pytest

pytest.importorskip("highspy", reason="the side-by-side model needs the bench extra (highspy)")

import highspy  # noqa: E402

from benchmarks import generate, milp  # noqa: E402
from planner.model import Problem  # noqa: E402
from planner.optimize import solve  # noqa: E402
from planner.options import SolveOptions  # noqa: E402
from planner.result import Status  # noqa: E402

pytestmark = pytest.mark.benchmark


@pytest.mark.parametrize("variant", generate.VARIANTS, ids=lambda v: f"{v.number}-{v.intake}")
def test_planner_and_highs_agree_on_small_staffing_instances(variant: generate.Variant) -> None:
    instance = generate.instance(generate.SMALL, variant, staffing=True)
    problem = Problem.build(instance.catalog, instance.scenario)
    highs = milp.solve(problem, time_limit=120)
    planner = solve(problem, SolveOptions(time_limit=120))
    assert highs.result is not None and highs.result.violations() == []
    assert planner.violations() == []
    assert highs.result.status is Status.OPTIMAL and planner.status is Status.OPTIMAL
    # Stage by stage, in the scenario's order (coverage, hours, cost).
    assert [(s.objective, s.value) for s in planner.stages] == [(s.objective, s.value) for s in highs.stages]


@pytest.mark.parametrize("variant", generate.VARIANTS[:3], ids=lambda v: f"{v.number}-{v.intake}")
def test_planner_and_highs_agree_on_small_version_3_instances(variant: generate.Variant) -> None:
    """Commitments, shrinking groups and dual training: both engines reach the same optimum."""
    instance = generate.campus_instance(generate.SMALL, variant)
    problem = Problem.build(instance.catalog, instance.scenario)
    assert instance.catalog.commitments and any(m.dual_hours for m in instance.catalog.modules)
    highs = milp.solve(problem, time_limit=120)
    planner = solve(problem, SolveOptions(time_limit=120))
    assert highs.result is not None and highs.result.violations() == []
    assert planner.violations() == []
    assert highs.result.status is Status.OPTIMAL and planner.status is Status.OPTIMAL
    assert [(s.objective, s.value) for s in planner.stages] == [(s.objective, s.value) for s in highs.stages]


@pytest.mark.parametrize("name", generate.family())
def test_every_family_instance_is_feasible(name: str) -> None:
    """A plan exists (HiGHS with no objective): the limits bind but never rule out every plan.

    National instances with staffing take HiGHS up to a minute or so to find one."""
    problem = Problem.build(generate.named(name).catalog, generate.named(name).scenario)
    model = milp.build(problem)
    highs = milp._highs(model.rows)
    found = milp._solve_stage(highs, {}, highspy.ObjSense.kMinimize, 300, None)
    assert found is not None, highs.getModelStatus()


def test_family_is_deterministic_and_keeps_the_original_instances() -> None:
    assert generate.named("campus-staffing-2") == generate.named("campus-staffing-2")
    original = generate.instance(generate.CAMPUS)
    assert generate.named("campus-1").catalog == original.catalog
    assert generate.named("campus-1").scenario == original.scenario
    staffing = generate.named("national-staffing-1")
    assert staffing.scenario.intake == "yearly" and staffing.scenario.max_cost is not None
    assert {i.min_hours_per_term for i in staffing.catalog.instructors} == {generate.FLOOR}
    assert staffing.catalog.labs and staffing.catalog.module_labs
