"""Catalogs and scenarios built in code (planner.builder) are the ones the loader would give, and plan."""

from __future__ import annotations

from fractions import Fraction

import pytest

from planner.builder import CatalogBuilder, ScenarioBuilder
from planner.model import (
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
    Training,
)
from planner.optimize import solve
from planner.options import SolveOptions
from planner.result import Status


def test_a_built_catalog_holds_each_entity_in_the_order_given() -> None:
    catalog = (
        CatalogBuilder()
        .add_sector("semi", "Semiconductores", weight=2)
        .add_demand("semi", "ESD", level=2, importance=3)
        .add_module("ESD-01", 90, teaches={"ESD": 2}, labs=["CLEAN"])
        .add_module("ESD-02", 60, career="F", earliest_term=2, prerequisites=["ESD-01"])
        .add_instructor("DOC-01", 200, min_hours=40, cost_per_hour=5, qualified_for=["ESD-01"])
        .add_lab("CLEAN", 300)
        .add_training("DOC-01", "ESD-02", 1000)
        .build()
    )
    assert catalog == Catalog(
        sectors=(Sector("semi", "Semiconductores", 2),),
        skills=(Skill("ESD", "ESD", ""),),
        demands=(Demand("semi", "ESD", 2, 3),),
        modules=(Module("ESD-01", "ESD-01", "E", 90), Module("ESD-02", "ESD-02", "F", 60, 2)),
        module_skills=(ModuleSkill("ESD-01", "ESD", 2),),
        prerequisites=(Prerequisite("ESD-02", "ESD-01"),),
        instructors=(Instructor("DOC-01", "DOC-01", 200, 40, 5),),
        qualifications=(Qualification("DOC-01", "ESD-01"),),
        labs=(Lab("CLEAN", "CLEAN", 300),),
        module_labs=(ModuleLab("ESD-01", "CLEAN"),),
        training=(Training("DOC-01", "ESD-02", 1000),),
    )


def test_a_field_out_of_range_is_refused_where_it_is_added() -> None:
    with pytest.raises(ValueError, match="hours 0 must be at least 1"):
        CatalogBuilder().add_module("M", 0)


def test_a_built_scenario_names_its_requirements_goals_and_limits() -> None:
    scenario = (
        ScenarioBuilder(terms=3, name="what-if")
        .require("A")
        .exclude("B", "C")
        .add_sector("semi", Fraction(1, 2), weight=4)
        .set(total_hours_max=300, intake="single")
        .build()
    )
    assert scenario == Scenario(
        name="what-if",
        terms=3,
        required_modules=("A",),
        excluded_modules=("B", "C"),
        sectors=(SectorGoal("semi", Fraction(1, 2), 4),),
        total_hours_max=300,
        intake="single",
    )


def test_a_built_catalog_and_scenario_plan() -> None:
    # X at level 2 is covered by A (30 h) alone, or by B (20 h) after its prerequisite C (10 h):
    # 30 h either way, so balance decides: B and C in two terms (largest term 20 h, not 30).
    catalog = (
        CatalogBuilder()
        .add_sector("s")
        .add_demand("s", "X", level=2)
        .add_module("A", 30, teaches={"X": 2})
        .add_module("B", 20, teaches={"X": 3}, prerequisites=["C"])
        .add_module("C", 10)
        .build()
    )
    problem = Problem.build(catalog, ScenarioBuilder(terms=2).build())
    result = solve(problem, SolveOptions(time_limit=20))
    assert result.status is Status.OPTIMAL
    assert {p.module_id: p.term for p in result.placements} == {"B": 2, "C": 1}
    assert result.objectives["hours"] == 30
