"""Each uncovered demand comes with the reason an administrator needs to act on it."""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction

from planner import i18n
from planner.builder import CatalogBuilder
from planner.errors import InfeasibleError
from planner.model import (
    Catalog,
    Instructor,
    Lab,
    ModuleLab,
    Prerequisite,
    Problem,
    Qualification,
    Scenario,
    SectorGoal,
)
from planner.optimize import solve
from planner.options import SolveOptions
from planner.reasons import Reason
from planner.words.conflicts import infeasibility
from planner.words.reasons import say

CATALOG = (
    CatalogBuilder()
    .add_sector("semi", "Semiconductores")
    .add_skill("BOND", "BOND", "c")
    .add_skill("TEST", "TEST", "c")
    .add_skill("SPC", "SPC", "c")
    .add_skill("ESD", "ESD", "c")
    .add_demand("semi", "BOND", 3, 5)  # taught only at level 2: never coverable
    .add_demand("semi", "TEST", 1, 4)  # taught by PRUE-00 (90 h), out of reach of total_max
    .add_demand("semi", "SPC", 1, 3)  # taught by CEPR-01, of another career
    .add_demand("semi", "ESD", 1, 2)  # taught by ESDC-00 (54 h), which fits
    .add_module("LDUA-00", 54, "Laboratorio de unión", "Semi", teaches={"BOND": 2})
    .add_module("PRUE-00", 90, "Prueba final", "Semi", teaches={"TEST": 2})
    .add_module("CEPR-01", 54, "Control estadístico", "Calidad", teaches={"SPC": 2})
    .add_module("ESDC-00", 54, "Control ESD", "Semi", teaches={"ESD": 2})
    .build()
)
SCENARIO = Scenario(name="gaps", terms=2, careers=("Semi",), total_hours_max=108)


def reason_data(catalog: Catalog, scenario: Scenario) -> dict[str, Reason]:
    result = solve(Problem.build(catalog, scenario), SolveOptions(time_limit=10))
    assert result.violations() == []
    return {gap.demand.skill_id: gap.reason for gap in result.gaps}


def reasons(catalog: Catalog, scenario: Scenario) -> dict[str, str]:
    return {skill: say(reason) for skill, reason in reason_data(catalog, scenario).items()}


def test_each_gap_names_why():
    # Coverage first: ESDC-00 (54 h, importance 2) and LDUA-00 (54 h, no coverage) fit in 108 h,
    # but PRUE-00 (90 h, importance 4) alone beats ESDC-00 and leaves 18 h: the optimum takes
    # PRUE-00, so ESD is the gap that the total-hours limit explains.
    gaps = reasons(CATALOG, SCENARIO)
    assert gaps["BOND"] == "no module in the catalog teaches BOND at level 3"
    assert gaps["SPC"] == (
        "skill SPC at level 1 is taught by no candidate module (CEPR-01 not candidates in this scenario)"
    )
    assert "the maximum total hours, 108 h" in gaps["ESD"]
    assert "TEST" not in gaps


def test_a_gap_blamed_on_instructor_capacity():
    catalog = replace(
        CATALOG,
        instructors=(Instructor("DOC-01", "Ana", 100),),
        qualifications=(Qualification("DOC-01", "ESDC-00"), Qualification("DOC-01", "PRUE-00")),
    )
    scenario = replace(SCENARIO, total_hours_max=None, sections=2)
    # One instructor with 100 h per period: two sections of ESDC-00 take 108 h, of PRUE-00 180 h,
    # so neither module can be staffed in any period; 108 h over 18 weeks is 6 h/week, 100 h is 5.6.
    gaps = reasons(catalog, scenario)
    assert gaps["ESD"] == (
        "DOC-01, the least loaded instructor qualified for ESDC-00, would teach 6 h/week in the autumn "
        "period (term 1) with its 2 groups; the contract allows 5.6"
    )


def test_a_gap_blamed_on_a_full_lab():
    # ESDC-00 and PRUE-00 both need the bonder, which has 100 h per period: PRUE-00 (90 h, worth more)
    # takes it in the one period there is, so ESDC-00 (54 h) cannot run anywhere.
    catalog = replace(
        CATALOG,
        labs=(Lab("WB", "Wire bonder", 100),),
        module_labs=(ModuleLab("ESDC-00", "WB"), ModuleLab("PRUE-00", "WB")),
    )
    gaps = reasons(catalog, replace(SCENARIO, terms=1, total_hours_max=None))
    assert gaps["ESD"] == (
        "lab WB (Wire bonder) is full in the autumn period (term 1): adding ESDC-00 needs 54 h there, "
        "and 10 h of 100 are free"
    )


def test_a_gap_blamed_on_the_budget():
    # 20 per hour: PRUE-00 costs 1,800 and ESDC-00 1,080; a budget of 2,000 pays for one of them,
    # and coverage prefers PRUE-00.
    catalog = replace(
        CATALOG,
        instructors=(Instructor("DOC-01", "Ana", 360, cost_per_hour=20),),
        qualifications=(Qualification("DOC-01", "ESDC-00"), Qualification("DOC-01", "PRUE-00")),
    )
    gaps = reasons(catalog, replace(SCENARIO, total_hours_max=None, max_cost=2000))
    assert gaps["ESD"] == (
        "adding ESDC-00 would cost at least 1080 more in staff, and the plan already costs 1800 of the staffing "
        "budget, 2000"
    )


def test_a_gap_blamed_on_a_missing_prerequisite():
    # ESDC-00 needs LDUA-00 first; with one term that can never happen, so ESD stays a gap.
    catalog = replace(CATALOG, prerequisites=(Prerequisite("ESDC-00", "LDUA-00"),))
    gaps = reasons(catalog, replace(SCENARIO, terms=1, total_hours_max=None))
    assert "prerequisites LDUA-00" in gaps["ESD"]


def test_a_gap_left_by_the_objective_order():
    # Hours first: the cheapest plan takes nothing, so every coverable demand is a trade-off.
    gaps = reasons(CATALOG, replace(SCENARIO, objective=("hours", "coverage")))
    assert gaps["ESD"] == "adding ESDC-00 (54 h) would worsen 'hours', which comes first in the objective order"


def test_gap_reasons_are_data_a_code_and_json_able_parameters():
    gaps = reason_data(CATALOG, SCENARIO)
    assert gaps["BOND"] == Reason("not_taught", {"skill": "BOND", "level": 3})
    assert gaps["BOND"].params == {"skill": "BOND", "level": 3}
    assert gaps["SPC"].code == "no_candidate" and gaps["SPC"].params["modules"] == ["CEPR-01"]
    assert gaps["ESD"].code == "total_hours_full"
    assert gaps["ESD"].params == {"module": "ESDC-00", "hours": 54, "limit": 108, "used": 90}


def test_gap_reasons_are_said_in_spanish():
    gaps = reason_data(CATALOG, SCENARIO)
    i18n.use("es")
    assert say(gaps["BOND"]) == "ningún módulo del catálogo imparte BOND en el nivel 3"
    assert say(gaps["ESD"]) == ("agregar ESDC-00 (54 h) rebasaría las horas totales máximas, 108 h (el plan usa 90 h)")


def test_an_uncoverable_demand_reads_the_same_as_a_gap_and_in_the_infeasibility_explanation():
    # ESDC-00 needs an instructor and none is qualified: ESD can never be covered. As a gap (no
    # coverage floor) and as the evidence of an unreachable floor, it is the same reason in the same words.
    catalog = replace(
        CATALOG,
        instructors=(Instructor("DOC-01", "Ana", 360),),
        qualifications=(Qualification("DOC-01", "PRUE-00"),),
    )
    scenario = replace(SCENARIO, total_hours_max=None)
    gap = reason_data(catalog, scenario)["ESD"]
    assert gap == Reason(
        "uncoverable",
        {
            "skill": "ESD",
            "level": 1,
            "modules": [{"module": "ESDC-00", "why": {"code": "no_qualified_instructor", "params": {}}}],
        },
    )
    strict = replace(scenario, sectors=(SectorGoal("semi", min_coverage=Fraction(1)),))
    try:
        solve(Problem.build(catalog, strict), SolveOptions(time_limit=10))
    except InfeasibleError as error:
        explained = "\n".join(infeasibility(error))
    else:
        raise AssertionError("a floor of 100 % cannot be met")
    worded = say(gap)
    assert worded == "skill ESD at level 1 is taught only by ESDC-00, which cannot be taken (no qualified instructor)"
    assert f"      {worded}" in explained.splitlines()
