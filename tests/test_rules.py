"""One small solve-and-assert test per rule and objective of PLANNER-SPEC.md, "The planning model".

Each catalog is built in code, small enough that the expected plan can be worked out by hand; the
arithmetic is in the comments. Every plan is also checked against the rules recomputed from the
plan itself (PlanResult.violations) and against the solver's own stage values.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from fractions import Fraction

import pytest

from planner.builder import CatalogBuilder
from planner.errors import InfeasibleError
from planner.model import (
    Catalog,
    Instructor,
    Lab,
    Module,
    ModuleLab,
    Problem,
    Qualification,
    Scenario,
    SectorGoal,
)
from planner.optimize import solve
from planner.options import SolveOptions
from planner.reasons import Reason
from planner.result import Placement, PlanResult, Status
from planner.words.conflicts import infeasibility
from planner.words.reasons import say

TIME_LIMIT = 20  # seconds; every catalog here solves in a fraction of that


def module(
    module_id: str, hours: int, earliest: int | None = None, latest: int | None = None, career: str = "E"
) -> Module:
    return Module(module_id, f"Module {module_id}", career, hours, earliest, latest)


def catalog(
    modules: Sequence[Module],
    teaches: Sequence[tuple[str, str, int]] = (),  # (module, skill, level)
    demands: Sequence[tuple[str, int, int]] = (),  # (skill, level, importance), all of sector "s"
    prerequisites: Sequence[tuple[str, str]] = (),  # (module, its prerequisite)
    instructors: Sequence[tuple[str, int]] = (),  # (instructor, max hours per term)
    qualifications: Sequence[tuple[str, str]] = (),  # (instructor, module)
) -> Catalog:
    built = CatalogBuilder().add_sector("s", "Semiconductores")
    for skill in sorted({s for _, s, _ in teaches} | {s for s, _, _ in demands}):
        built.add_skill(skill, f"Skill {skill}", "c")
    for skill, level, importance in demands:
        built.add_demand("s", skill, level, importance)
    for m in modules:
        built.add_module(m.module_id, m.hours, m.name, m.career, m.earliest_term, m.latest_term)
    for module_id, skill, level in teaches:
        built.add_teaching(module_id, skill, level)
    for module_id, prerequisite in prerequisites:
        built.add_prerequisite(module_id, prerequisite)
    for instructor_id, hours in instructors:
        built.add_instructor(instructor_id, hours, name=f"Instructor {instructor_id}")
    for instructor_id, module_id in qualifications:
        built.add_qualification(instructor_id, module_id)
    return built.build()


def scenario(terms: int = 1, **limits: object) -> Scenario:
    return Scenario(name="rule", terms=terms, **limits)  # type: ignore[arg-type]


def plan(cat: Catalog, scen: Scenario) -> PlanResult:
    """Solve and check what must hold of every plan: no rule broken, stage values recomputed."""
    result = solve(Problem.build(cat, scen), SolveOptions(time_limit=TIME_LIMIT))
    assert result.status is Status.OPTIMAL
    assert result.violations() == []
    assert [(s.objective, s.value) for s in result.stages] == [
        (name, result.objectives[name]) for name in scen.objective
    ]
    return result


def terms_of(result: PlanResult) -> dict[str, int]:
    return {p.module_id: p.term for p in result.placements}


def conflicts(cat: Catalog, scen: Scenario) -> str:
    """The infeasibility message, as the CLI prints it."""
    with pytest.raises(InfeasibleError) as caught:
        solve(Problem.build(cat, scen), SolveOptions(time_limit=TIME_LIMIT))
    return "\n".join(infeasibility(caught.value))


# --- rule 1: selection and term placement -------------------------------------------------


@pytest.mark.parametrize(
    ("earliest", "latest", "term"),
    [(2, 2, 2), (None, 1, 1), (3, None, 3)],
)
def test_a_module_is_placed_within_its_term_window(earliest, latest, term):
    # 3 terms; a window [2, 2] leaves term 2, [-, 1] leaves term 1, [3, -] leaves term 3.
    cat = catalog([module("A", 40, earliest, latest)])
    result = plan(cat, scenario(terms=3, required_modules=("A",)))
    assert terms_of(result) == {"A": term}


def test_required_module_is_taken_and_excluded_module_is_not():
    # Demand X can be covered by A (50 h) or B (40 h): coverage then hours picks B, 40 h.
    # Excluding B leaves A (50 h); requiring C (30 h, teaches nothing) adds it anyway: 80 h.
    cat = catalog(
        [module("A", 50), module("B", 40), module("C", 30)],
        teaches=[("A", "X", 2), ("B", "X", 2)],
        demands=[("X", 2, 1)],
    )
    assert terms_of(plan(cat, scenario())) == {"B": 1}

    result = plan(cat, scenario(excluded_modules=("B",), required_modules=("C",)))
    assert set(terms_of(result)) == {"A", "C"}
    assert result.objectives["hours"] == 50 + 30


def test_a_module_whose_prerequisite_is_not_a_candidate_is_never_taken():
    # B alone covers demand X, but its prerequisite A is of another career, so not a candidate:
    # B is blocked and nothing is taken (coverage 0 of 1).
    cat = catalog(
        [module("A", 30, career="Mecatrónica"), module("B", 40)],
        teaches=[("B", "X", 2)],
        demands=[("X", 2, 1)],
        prerequisites=[("B", "A")],
    )
    result = plan(cat, scenario(terms=2, careers=("E",)))
    assert result.placements == ()
    assert result.objectives["coverage"] == 0
    assert "its prerequisite A is not a candidate" in say(result.gaps[0].reason)
    # Without the career filter A is a candidate, and A then B covers X.
    assert terms_of(plan(cat, scenario(terms=2))) == {"A": 1, "B": 2}


# --- rule 2: prerequisites ------------------------------------------------------------------


CHAIN = catalog(
    [module("A", 10), module("B", 10), module("C", 10)],
    teaches=[("C", "X", 1)],
    demands=[("X", 1, 1)],
    prerequisites=[("B", "A"), ("C", "B")],
)


def test_a_chain_of_prerequisites_takes_one_term_per_link():
    # C needs B, B needs A, each strictly earlier: A in 1, B in 2, C in 3 is the only way.
    result = plan(CHAIN, scenario(terms=3))
    assert terms_of(result) == {"A": 1, "B": 2, "C": 3}


def test_a_chain_longer_than_the_programme_is_not_taken():
    # With 2 terms, C would need A in a term before 1: C cannot be taken, so X stays uncovered
    # and the hours objective leaves A and B out too (they cover nothing).
    result = plan(CHAIN, scenario(terms=2))
    assert result.placements == ()
    assert result.objectives["coverage"] == 0


# --- rule 3: hours and module counts --------------------------------------------------------


def test_term_max_splits_modules_over_terms():
    # Two required 90 h modules; term_max 100 < 90 + 90, so one per term.
    cat = catalog([module("A", 90), module("B", 90)])
    result = plan(cat, scenario(terms=2, required_modules=("A", "B"), term_hours_max=100))
    assert result.term_hours == (90, 90)


def test_term_min_forces_hours_into_every_term():
    # No demand, so the hours objective alone would take nothing; term_min 50 needs >= 50 h in
    # each of 2 terms. C (40 h) is too small alone, so the cheapest plan is A | B = 60 + 60 = 120 h
    # (A + C | B would be 150 h).
    cat = catalog([module("A", 60), module("B", 60), module("C", 40)])
    result = plan(cat, scenario(terms=2, term_hours_min=50))
    assert set(terms_of(result)) == {"A", "B"}
    assert result.term_hours == (60, 60)


def test_total_max_keeps_the_more_important_module():
    # A (80 h) covers X of importance 3, B (60 h) covers Y of importance 2; 80 + 60 > total_max 100,
    # so only one fits and coverage prefers A: score 3, not 2.
    cat = catalog(
        [module("A", 80), module("B", 60)],
        teaches=[("A", "X", 1), ("B", "Y", 1)],
        demands=[("X", 1, 3), ("Y", 1, 2)],
    )
    assert set(terms_of(plan(cat, scenario(terms=2)))) == {"A", "B"}
    result = plan(cat, scenario(terms=2, total_hours_max=100))
    assert set(terms_of(result)) == {"A"}
    assert result.objectives == {"coverage": 3, "hours": 80, "balance": 80, "cost": 0}


def test_modules_per_term_max_counts_modules_not_hours():
    # Four required modules of 30, 10, 10, 10 h in 2 terms, balance objective.
    # Free: A | B + C + D = 30 | 30, largest term 30, counts 1 and 3.
    # At most 2 per term: A + one 10 h module | the other two = 40 | 20, largest term 40.
    cat = catalog([module("A", 30), module("B", 10), module("C", 10), module("D", 10)])
    required = {"required_modules": ("A", "B", "C", "D"), "objective": ("balance",)}
    assert plan(cat, scenario(terms=2, **required)).objectives["balance"] == 30
    result = plan(cat, scenario(terms=2, modules_per_term_max=2, **required))
    assert result.objectives["balance"] == 40
    assert result.term_module_counts == (2, 2)


def test_modules_per_term_min_fills_every_term():
    # No demand; at least one module in each of 3 terms, hours minimised: the three cheapest,
    # 10 + 20 + 30 = 60 h, one per term; D (40 h) stays out.
    cat = catalog([module("A", 10), module("B", 20), module("C", 30), module("D", 40)])
    result = plan(cat, scenario(terms=3, modules_per_term_min=1))
    assert set(terms_of(result)) == {"A", "B", "C"}
    assert result.term_module_counts == (1, 1, 1)
    assert result.objectives["hours"] == 60


# --- rule 4: instructors --------------------------------------------------------------------


def test_every_section_has_one_qualified_instructor():
    # 2 sections of A; only I2 is qualified for A (I1 teaches only B) and has room for both
    # sections (2 x 90 = 180 <= 200 h).
    cat = catalog(
        [module("A", 90), module("B", 90)],
        instructors=[("I1", 200), ("I2", 200)],
        qualifications=[("I1", "B"), ("I2", "A")],
    )
    result = plan(cat, scenario(required_modules=("A",), sections=2))
    assert [(p.module_id, p.instructors) for p in result.placements] == [("A", ("I2", "I2"))]


def test_an_unqualified_instructor_never_teaches_a_section():
    # A (90 h) covers X. I2 is the only one qualified for A but has room for one section (100 h);
    # I1 has 500 h but is qualified only for B. So the 2 sections of A cannot both be staffed,
    # and A is not taken (coverage 0).
    cat = catalog(
        [module("A", 90), module("B", 10)],
        teaches=[("A", "X", 1)],
        demands=[("X", 1, 1)],
        instructors=[("I1", 500), ("I2", 100)],
        qualifications=[("I1", "B"), ("I2", "A")],
    )
    result = plan(cat, scenario(sections=2))
    assert result.placements == ()
    assert result.objectives["coverage"] == 0


@pytest.mark.parametrize(("i2_teaches", "sections"), [("B", []), ("A", [["I1", "I2"]])])
def test_instructor_capacity_needs_a_second_instructor_for_two_sections(i2_teaches, sections):
    # A (90 h) covers X; its 2 sections need 2 x 90 = 180 h in one term, above I1's 144 h.
    # If I2 teaches only B, A cannot be taken, although I1 + I2 have 288 h together; if I2 is
    # qualified for A too, each teaches one section.
    cat = catalog(
        [module("A", 90), module("B", 10)],
        teaches=[("A", "X", 1)],
        demands=[("X", 1, 1)],
        instructors=[("I1", 144), ("I2", 144)],
        qualifications=[("I1", "A"), ("I2", i2_teaches)],
    )
    result = plan(cat, scenario(sections=2))
    assert [sorted(p.instructors) for p in result.placements] == sections


def test_instructor_capacity_pushes_a_module_to_another_term():
    # A and B (90 h each) are taught only by I1 (144 h per term): 90 + 90 = 180 > 144, so they
    # cannot share a term (I2's spare 200 h do not help: I2 teaches neither). In 1 term only the
    # more important A (importance 2 > 1) is taken; in 2 terms both are, one per term.
    cat = catalog(
        [module("A", 90), module("B", 90)],
        teaches=[("A", "X", 1), ("B", "Y", 1)],
        demands=[("X", 1, 2), ("Y", 1, 1)],
        instructors=[("I1", 144), ("I2", 200)],
        qualifications=[("I1", "A"), ("I1", "B")],
    )
    assert terms_of(plan(cat, scenario(terms=1))) == {"A": 1}
    result = plan(cat, scenario(terms=2))
    assert set(terms_of(result)) == {"A", "B"}
    assert result.instructor_loads[0].hours_per_term == (90, 90)


def test_max_used_limits_the_distinct_instructors():
    # A needs I1, B needs I2. With max_used 1 only one of them can teach, so only the more
    # important A (importance 2 > 1) is taken: coverage 2 instead of 3.
    cat = catalog(
        [module("A", 50), module("B", 50)],
        teaches=[("A", "X", 1), ("B", "Y", 1)],
        demands=[("X", 1, 2), ("Y", 1, 1)],
        instructors=[("I1", 200), ("I2", 200)],
        qualifications=[("I1", "A"), ("I2", "B")],
    )
    assert plan(cat, scenario()).objectives["coverage"] == 3
    result = plan(cat, scenario(max_instructors_used=1))
    assert terms_of(result) == {"A": 1}
    assert result.instructors_used == 1
    assert result.objectives["coverage"] == 2


# --- rule 4, version 2: staffing in the real calendar ---------------------------------------


def two_cohort_catalog(**changes: object) -> Catalog:
    """A (term 1) and B (term 3), 90 h each, taught only by I1, whose contract allows 144 h."""
    cat = catalog(
        [module("A", 90, 1, 1), module("B", 90, 3, 3)],
        teaches=[("A", "X", 1), ("B", "Y", 1)],
        demands=[("X", 1, 2), ("Y", 1, 1)],
        instructors=[("I1", 144)],
        qualifications=[("I1", "A"), ("I1", "B")],
    )
    return replace(cat, **changes)  # type: ignore[arg-type]


def test_terms_that_fit_one_by_one_do_not_fit_together_with_yearly_intake():
    # Term by term I1 carries 90 h <= 144 h, so one cohort (single intake) takes both. With yearly
    # intake terms 1 and 3 run in the same autumn period: 90 + 90 = 180 > 144, so only the more
    # important A is taken. With a cohort every term, all three terms run together: the same.
    cat = two_cohort_catalog()
    assert set(terms_of(plan(cat, scenario(terms=3, intake="single")))) == {"A", "B"}
    yearly = plan(cat, scenario(terms=3))
    assert terms_of(yearly) == {"A": 1}
    assert yearly.instructor_loads[0].hours_per_period == (90, 0)
    assert terms_of(plan(cat, scenario(terms=3, intake="every_term"))) == {"A": 1}


def test_the_spring_period_holds_the_even_terms():
    # B moved to term 2 runs in spring, so I1 carries 90 h in each period and both are taken.
    cat = replace(two_cohort_catalog(), modules=(module("A", 90, 1, 1), module("B", 90, 2, 2)))
    result = plan(cat, scenario(terms=3))
    assert terms_of(result) == {"A": 1, "B": 2}
    assert result.instructor_loads[0].hours_per_period == (90, 90)


def test_a_contract_floor_means_all_or_nothing_in_a_period():
    # I1 (floor 100 h, cap 144 h) is the only teacher of A (90 h) and B (36 h, terms 2): teaching
    # A alone in autumn would be 90 h, below the floor, so A is not taken; B alone in spring is
    # also below. Raising A's worth does not help: the floor cannot be met by anything I1 teaches
    # within one period, so the plan is empty. I2, with no floor, can teach B: B is taken.
    cat = catalog(
        [module("A", 90, 1, 1), module("B", 36, 2, 2)],
        teaches=[("A", "X", 1), ("B", "Y", 1)],
        demands=[("X", 1, 2), ("Y", 1, 1)],
        qualifications=[("I1", "A"), ("I1", "B"), ("I2", "B")],
    )
    cat = replace(cat, instructors=(Instructor("I1", "floor", 144, min_hours_per_term=100), Instructor("I2", "x", 50)))
    result = plan(cat, scenario(terms=2))
    assert terms_of(result) == {"B": 2}
    assert [load.hours_per_period for load in result.instructor_loads] == [(0, 0), (0, 36)]


def test_a_lab_holds_its_hours_per_period_over_all_groups():
    # A and B need the bonder (200 h per period); two groups of 90 h each is 180 h per module, so
    # they cannot share a period: with yearly intake terms 1 and 3 are one period, so B goes to 2.
    cat = replace(
        catalog(
            [module("A", 90), module("B", 90)],
            teaches=[("A", "X", 1), ("B", "Y", 1)],
            demands=[("X", 1, 2), ("Y", 1, 1)],
        ),
        labs=(Lab("WB", "Wire bonder", 200),),
        module_labs=(ModuleLab("A", "WB"), ModuleLab("B", "WB")),
    )
    result = plan(cat, scenario(terms=3, sections=2, term_hours_max=90))
    assert result.lab_uses[0].hours_per_period == (180, 180)
    assert {result.problem.period_of[t] for t in terms_of(result).values()} == {0, 1}
    # One period only (every term runs together): the second module cannot run at all.
    assert len(terms_of(plan(cat, scenario(terms=3, sections=2, intake="every_term")))) == 1


def test_a_lab_the_campus_lacks_blocks_its_modules():
    cat = replace(
        catalog([module("A", 90)], teaches=[("A", "X", 1)], demands=[("X", 1, 1)]),
        labs=(Lab("CR", "Cleanroom", 0),),
        module_labs=(ModuleLab("A", "CR"),),
    )
    result = plan(cat, scenario())
    assert result.placements == ()
    assert "lab CR has 0 h per term" in say(result.gaps[0].reason)


def test_cost_picks_the_cheaper_instructor_and_the_budget_limits_the_plan():
    # Two qualified teachers, 10 and 30 per hour: cost first gives A (90 h) to I1, 900.
    # With the budget at 1,000, A (900) fits but A + B (1,800) does not; coverage then keeps A.
    cat = catalog(
        [module("A", 90), module("B", 90)],
        teaches=[("A", "X", 1), ("B", "Y", 1)],
        demands=[("X", 1, 2), ("Y", 1, 1)],
        qualifications=[("I1", "A"), ("I2", "A"), ("I1", "B")],
    )
    cat = replace(
        cat,
        instructors=(Instructor("I1", "cheap", 360, cost_per_hour=10), Instructor("I2", "dear", 360, cost_per_hour=30)),
    )
    both = plan(cat, scenario(terms=2, objective=("coverage", "cost")))
    assert both.objectives["cost"] == 1800
    assert {p.instructors for p in both.placements} == {("I1",)}
    capped = plan(cat, scenario(terms=2, max_cost=1000))
    assert terms_of(capped).keys() == {"A"} and capped.objectives["cost"] == 900


def test_min_qualified_keeps_modules_with_a_backup_teacher():
    # A has two qualified teachers, B only one: with min_qualified = 2, B is not a candidate.
    cat = catalog(
        [module("A", 50), module("B", 50)],
        teaches=[("A", "X", 1), ("B", "Y", 1)],
        demands=[("X", 1, 1), ("Y", 1, 1)],
        instructors=[("I1", 200), ("I2", 200)],
        qualifications=[("I1", "A"), ("I2", "A"), ("I1", "B")],
    )
    assert terms_of(plan(cat, scenario(min_qualified=2))).keys() == {"A"}


def test_an_overloaded_contract_is_named_with_its_period():
    # Both modules are required, but I1 can carry only one of them in the autumn period.
    message = conflicts(two_cohort_catalog(), scenario(terms=3, required_modules=("A", "B")))
    assert "contract of instructor I1: at most 8 h/week (144 h per term) in the autumn period (terms 1, 3)" in message


# --- rule 5: coverage -----------------------------------------------------------------------


TWO_OF_THREE = catalog(
    [module("A", 10), module("B", 10)],
    teaches=[("A", "X", 1), ("B", "Y", 1)],
    demands=[("X", 1, 1), ("Y", 1, 1), ("Z", 1, 1)],  # Z is taught by no module
)


def sector_floor(floor: Fraction) -> dict[str, object]:
    # Hours only: coverage is kept only as far as the floor demands it.
    return {"objective": ("hours",), "sectors": (SectorGoal("s", floor),)}


@pytest.mark.parametrize(("floor", "hours"), [(Fraction(1, 3), 10), (Fraction(2, 3), 20)])
def test_min_coverage_takes_just_enough_modules(floor, hours):
    # Each of A, B covers importance 1 of 3 at 10 h: 1/3 needs one module, 2/3 needs both.
    result = plan(TWO_OF_THREE, scenario(**sector_floor(floor)))
    assert result.objectives["hours"] == hours
    assert result.sector_coverage[0].ratio >= floor


def test_min_coverage_is_compared_exactly():
    # At most 2 of 3 can be covered (Z is taught by no module): 2/3 = 0.666... passes a floor of
    # exactly 2/3, but fails 0.67 = 67/100, since 2 x 100 = 200 < 67 x 3 = 201.
    assert plan(TWO_OF_THREE, scenario(**sector_floor(Fraction(2, 3)))).sector_coverage[0].ratio == Fraction(2, 3)
    message = conflicts(TWO_OF_THREE, scenario(**sector_floor(Fraction("0.67"))))
    assert "sector s needs min_coverage 67%" in message
    assert "no module in the catalog teaches Z at level 1" in message


def test_a_lower_level_does_not_cover_a_demand():
    # Demand X at level 3: A teaches X at level 2 (20 h), B at level 3 (60 h). Only B covers it,
    # so coverage first takes B although A is cheaper; without B nothing covers X and A, which
    # would only add hours, stays out.
    cat = catalog(
        [module("A", 20), module("B", 60)],
        teaches=[("A", "X", 2), ("B", "X", 3)],
        demands=[("X", 3, 1)],
    )
    assert terms_of(plan(cat, scenario())) == {"B": 1}
    result = plan(cat, scenario(excluded_modules=("B",)))
    assert result.placements == ()
    assert result.objectives["coverage"] == 0
    assert [g.demand.skill_id for g in result.gaps] == ["X"]


# --- objectives -------------------------------------------------------------------------------


LEXICOGRAPHIC = catalog(
    [module("A", 40), module("B", 60), module("C", 30), module("D", 50)],
    teaches=[("A", "X", 1), ("B", "Y", 1), ("C", "Z", 1), ("D", "X", 1), ("D", "Z", 1)],
    demands=[("X", 1, 2), ("Y", 1, 3), ("Z", 1, 1)],  # total importance 6
)


def test_objective_order_is_lexicographic():
    # Floor 1/2: covered importance >= 3 of 6.
    # coverage, hours: cover all 6; Y needs B (60 h), X and Z cost A + C = 70 h or D = 50 h:
    #   B + D = 110 h, coverage 6.
    # hours, coverage: cheapest plan reaching 3: D (X + Z = 3) at 50 h; B alone is 60 h, A + C 70 h;
    #   with hours fixed at 50 only D fits, coverage 3.
    goals = (SectorGoal("s", Fraction(1, 2)),)
    first = plan(LEXICOGRAPHIC, scenario(objective=("coverage", "hours"), sectors=goals))
    second = plan(LEXICOGRAPHIC, scenario(objective=("hours", "coverage"), sectors=goals))
    assert set(terms_of(first)) == {"B", "D"}
    assert (first.objectives["coverage"], first.objectives["hours"]) == (6, 110)
    assert set(terms_of(second)) == {"D"}
    assert (second.objectives["coverage"], second.objectives["hours"]) == (3, 50)


def test_balance_minimises_the_largest_term():
    # 60 + 50 + 40 + 30 = 180 h over 3 terms. A (60 h) must share no term to stay under 90, and
    # B, C, D split into two terms: B | C + D = 50 | 70, the best of (B + C | D = 90 | 30,
    # B + D | C = 80 | 40). So the largest term is 70 h.
    cat = catalog([module("A", 60), module("B", 50), module("C", 40), module("D", 30)])
    result = plan(cat, scenario(terms=3, required_modules=("A", "B", "C", "D"), objective=("balance",)))
    assert result.objectives["balance"] == 70
    assert sorted(result.term_hours) == [50, 60, 70]


def test_stages_equal_the_objectives_recomputed_from_the_plan():
    # Every objective, in a non-default order, on a plan with instructors and sections.
    # hours: only the required A + B, 40 + 60 = 100 h; balance: A | B, largest term 60 h
    # (2 sections of 60 h = 120 h fit I1's 200 h); coverage: X (2) + Y (3) = 5.
    cat = replace(
        LEXICOGRAPHIC,
        instructors=(Instructor("I1", "Ana", 200),),
        qualifications=tuple(Qualification("I1", m) for m in "ABCD"),
    )
    order = ("hours", "balance", "coverage")
    result = plan(cat, scenario(terms=2, sections=2, required_modules=("A", "B"), objective=order))
    assert [(s.objective, s.value) for s in result.stages] == [("hours", 100), ("balance", 60), ("coverage", 5)]
    assert all(s.proven and s.bound == s.value for s in result.stages)


# --- infeasible scenarios -------------------------------------------------------------------


def test_required_module_above_total_max_names_both():
    # 126 h required, total_max 100: those two conflict; term_max 200, modules_per_term.max 3 and
    # the sector floor (met by A) do not.
    cat = catalog([module("A", 126), module("B", 20)], teaches=[("B", "X", 1)], demands=[("X", 1, 1)])
    message = conflicts(
        cat,
        scenario(
            terms=2,
            required_modules=("A",),
            total_hours_max=100,
            term_hours_max=200,
            modules_per_term_max=3,
            sectors=(SectorGoal("s", Fraction(1)),),
        ),
    )
    assert "required module A (126 h" in message
    assert "hours.total_max = 100 h" in message
    for unrelated in ("term_max", "modules_per_term", "sector s", "module B"):
        assert unrelated not in message


def test_two_required_modules_in_one_window_above_term_max():
    # A and B (90 h) may only go in term 2; 90 + 90 = 180 > term_max 150. Term 1 and the
    # total_max of 1000 h play no part.
    cat = catalog([module("A", 90, 2, 2), module("B", 90, 2, 2), module("C", 10)])
    message = conflicts(
        cat, scenario(terms=3, required_modules=("A", "B", "C"), term_hours_max=150, total_hours_max=1000)
    )
    assert "required module A" in message
    assert "required module B" in message
    requirements = [line for line in message.splitlines() if line.startswith("  - ")]
    assert [line for line in requirements if "term_max" in line] == ["  - hours.term_max = 150 h in term 2"]
    for unrelated in ("module C", "total_max"):
        assert unrelated not in message


def test_unreachable_min_coverage_names_the_untaught_skill():
    # X is taught by A; Z by no module at all, so at most 1/2 is reachable, short of floor 1.
    # The required module R and total_max are satisfiable together and not named.
    cat = catalog(
        [module("A", 10), module("R", 10)],
        teaches=[("A", "X", 1)],
        demands=[("X", 1, 1), ("Z", 2, 1)],
    )
    message = conflicts(
        cat,
        scenario(required_modules=("R",), total_hours_max=100, sectors=(SectorGoal("s", Fraction(1)),)),
    )
    assert "sector s needs min_coverage 100%" in message
    assert "at most 1/2" in message
    assert "no module in the catalog teaches Z at level 2" in message
    assert "required module R" not in message
    assert "total_max" not in message


def test_only_the_requirements_that_matter_are_named():
    # Required A + B + C = 20 + 40 + 10 = 70 h > total_max 50. Only A + B (60 h) overflow on their
    # own: A + C = 30 and B + C = 50 fit. term_max 40 holds for each module alone, so it is not
    # part of the conflict, whatever the solver first blames.
    cat = catalog([module("A", 20), module("B", 40), module("C", 10)])
    message = conflicts(cat, scenario(terms=3, required_modules=("A", "B", "C"), total_hours_max=50, term_hours_max=40))
    assert "cannot all hold together (any fewer can)" in message
    assert "required module A" in message
    assert "required module B" in message
    assert "hours.total_max = 50 h" in message
    assert "required module C" not in message
    assert "term_max" not in message
    assert "Fix: raise hours.total_max from 50 to 70" in message  # A + B + C = 70 h


def test_a_required_module_that_can_never_be_taken_says_why():
    # B requires A, which is excluded: B is blocked, and requiring it is the conflict.
    cat = catalog([module("A", 10), module("B", 10)], prerequisites=[("B", "A")])
    message = conflicts(cat, scenario(terms=2, required_modules=("B",), excluded_modules=("A",)))
    assert "required module B" in message
    assert "its prerequisite A is not a candidate" in message


def test_broken_rules_are_reasons_as_data_and_an_empty_list_when_none_is_broken():
    cat = catalog([module("A", 10), module("B", 10)], prerequisites=[("B", "A")])
    problem = Problem.build(cat, scenario(terms=2))
    assert PlanResult(problem, Status.OPTIMAL, ()).violations() == []
    # B in term 1 before its prerequisite A in term 2: the rule check names it, as data.
    wrong = PlanResult(problem, Status.OPTIMAL, (Placement("A", 2, (None,)), Placement("B", 1, (None,))))
    broken = wrong.violations()
    assert broken == [Reason("prerequisite_order", {"module": "B", "prerequisite": "A"})]
    assert [say(r) for r in broken] == ["module B is not preceded by its prerequisite A"]
