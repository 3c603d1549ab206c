"""The independent HiGHS model (benchmarks/milp.py) on tiny staffing cases with hand-computed optima.

Each case isolates one rule of version 2 (periods by intake, contract floor, lab capacity, cost),
so a wrong row in the MILP shows up here in a second, not only in a benchmark run. Runs in the
default suite when highspy is installed (the test extra pulls it in).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace

import pytest

pytest.importorskip("highspy", reason="the independent MILP needs highspy")

from benchmarks import milp  # noqa: E402
from planner.builder import CatalogBuilder  # noqa: E402
from planner.model import (  # noqa: E402
    Catalog,
    Instructor,
    Problem,
    Scenario,
)
from planner.result import Status  # noqa: E402


def one_skill_each(
    modules: Mapping[str, int], only_in: Mapping[str, int] | None = None, labs: Iterable[str] = ()
) -> CatalogBuilder:
    """One sector demanding one skill per module (importance 1), taught by that module alone;
    `modules` maps module -> hours, `only_in` fixes a module's term, every module uses `labs`."""
    only_in = only_in or {}
    built = CatalogBuilder().add_sector("K")
    for module_id, hours in modules.items():
        skill = f"S{module_id}"
        built.add_skill(skill, module_id, "C").add_demand("K", skill)
        term = only_in.get(module_id)
        built.add_module(
            module_id, hours, career="c", earliest_term=term, latest_term=term, teaches={skill: 1}, labs=labs
        )
    return built


def solve(cat: Catalog, scenario: Scenario) -> dict[str, int]:
    run = milp.solve(Problem.build(cat, scenario), time_limit=30)
    assert run.result is not None and run.result.status is Status.OPTIMAL
    assert run.result.violations() == []
    return {s.objective: s.value for s in run.stages}


def test_terms_one_and_three_share_a_period_under_yearly_intake() -> None:
    # A (100 h per period) alone can teach M1 (term 1) or M3 (term 3), 60 h each: term by term both
    # fit, but yearly intake runs terms 1 and 3 together (120 h > 100 h), so only one is taken.
    cat = (
        one_skill_each({"M1": 60, "M3": 60}, only_in={"M1": 1, "M3": 3})
        .add_instructor("A", 100, qualified_for=["M1", "M3"])
        .build()
    )
    scenario = Scenario("s", terms=3, objective=("coverage",))
    assert solve(cat, replace(scenario, intake="single")) == {"coverage": 2}
    assert solve(cat, scenario) == {"coverage": 1}
    assert solve(cat, replace(scenario, intake="every_term")) == {"coverage": 1}


def test_contract_floor_forces_a_second_module_into_the_period() -> None:
    # Covering M1's demand alone costs 40 h; but A's floor is 80 h in any period A teaches, and A is
    # the only instructor, so M2 (40 h) must run in the same period: 80 h in all.
    cat = (
        one_skill_each({"M1": 40, "M2": 40, "M3": 54})
        .add_instructor("A", 200, min_hours=80, qualified_for=["M1", "M2", "M3"])
        .build()
    )
    scenario = Scenario("s", terms=2, intake="single", required_modules=("M1",), objective=("hours", "coverage"))
    assert solve(cat, scenario) == {"hours": 80, "coverage": 2}
    floorless = replace(cat, instructors=(Instructor("A", "A", 200),))
    assert solve(floorless, scenario) == {"hours": 40, "coverage": 1}


def test_lab_capacity_is_per_period_and_counts_every_section() -> None:
    # Each module's 2 sections use the 100 h lab for 2 x 40 = 80 h, so one module per period:
    # 3 terms under yearly intake are 2 periods, so 2 of the 3 modules; single intake: all 3.
    cat = one_skill_each({"M1": 40, "M2": 40, "M3": 40}, labs=["L"]).add_lab("L", 100, "Cleanroom").build()
    scenario = Scenario("s", terms=3, sections=2, objective=("coverage", "hours"))
    assert solve(cat, scenario) == {"coverage": 2, "hours": 80}
    assert solve(cat, replace(scenario, intake="single")) == {"coverage": 3, "hours": 120}


def test_cost_picks_the_cheaper_instructor_within_capacity_and_budget() -> None:
    # Two sections of M1 (50 h): A costs 100/h, B 300/h. With room for both sections, A teaches
    # both (10,000); with room for one, A and B share them (5,000 + 15,000).
    cat = (
        one_skill_each({"M1": 50})
        .add_instructor("A", 100, cost_per_hour=100, qualified_for=["M1"])
        .add_instructor("B", 100, cost_per_hour=300, qualified_for=["M1"])
        .build()
    )
    scenario = Scenario("s", terms=1, sections=2, objective=("coverage", "cost"))
    assert solve(cat, scenario) == {"coverage": 1, "cost": 10_000}
    tight = replace(cat, instructors=(Instructor("A", "A", 60, cost_per_hour=100), cat.instructors[1]))
    assert solve(tight, scenario) == {"coverage": 1, "cost": 20_000}
    # A budget below 20,000 leaves the module out.
    assert solve(tight, replace(scenario, max_cost=19_999)) == {"coverage": 0, "cost": 0}
