"""Trayectos técnicos against brute force, and HiGHS on the same model.

On tiny random catalogs with tracks, every plan is enumerated and judged by PlanResult.violations()
(the independent rule checker, per student path); the optimizer must find the best one, proven.
HiGHS, searching the translation of the same CP-SAT model, must reach the same first objective.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.model import (
    OBJECTIVES,
    Catalog,
    Demand,
    Instructor,
    Module,
    ModuleSkill,
    Prerequisite,
    Problem,
    Qualification,
    Scenario,
    Sector,
    SectorGoal,
    Skill,
    Track,
    TrackModule,
)
from planner.optimize import mip, solve
from planner.optimize.constraints import OBJECTIVE_TERMS, build
from planner.options import SolveOptions
from planner.result import Placement, PlanResult, Status
from tests.oracles import matches_brute_force, score

SKILLS = ("A", "B", "C")


@st.composite
def track_problems(draw: st.DrawFn, with_instructors: bool) -> Problem:
    terms = draw(st.integers(1, 3))
    n = draw(st.integers(3, 5))
    modules = []
    for i in range(n):
        lo = draw(st.none() | st.integers(1, terms))
        hi = draw(st.none() | st.integers(lo or 1, terms))
        dual = draw(st.sampled_from([0, 0, 1])) if with_instructors else 0
        modules.append(Module(f"M{i}", f"m{i}", "E", draw(st.sampled_from([2, 3, 4])), lo, hi, dual_hours=dual))
    tracks = draw(st.integers(2, 3))
    # Module i is in track t (0..tracks-1) or in the core (-1); every track gets a module.
    home = [draw(st.integers(-1, tracks - 1)) for _ in range(n)]
    for r in range(tracks):
        if r not in home:
            home[draw(st.integers(0, n - 1))] = r
    home = [h if h in range(tracks) or h == -1 else -1 for h in home]
    tracks_used = sorted({h for h in home if h >= 0})
    teaches = draw(
        st.lists(
            st.tuples(st.integers(0, n - 1), st.sampled_from(SKILLS), st.integers(1, 3)),
            max_size=6,
            unique_by=lambda x: x[:2],
        )
    )
    pairs = draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=2))
    # a needs b (b < a: acyclic), never across two tracks
    prerequisites = {(a, b) for a, b in pairs if a > b and (home[b] == -1 or home[a] == home[b])}
    demands = draw(
        st.lists(
            st.tuples(st.sampled_from(["s1", "s2"]), st.sampled_from(SKILLS), st.integers(1, 3), st.integers(1, 3)),
            min_size=1,
            max_size=4,
            unique_by=lambda x: x[:2],
        )
    )
    instructors = (
        tuple(
            Instructor(f"I{k}", f"i{k}", draw(st.sampled_from([6, 8, 12, 16])), 0, draw(st.integers(0, 2)))
            for k in range(2)
        )
        if with_instructors
        else ()
    )
    catalog = Catalog(
        sectors=(Sector("s1", "one", draw(st.integers(1, 3))), Sector("s2", "two", 1)),
        skills=tuple(Skill(s, s, "c") for s in SKILLS),
        demands=tuple(Demand(*d) for d in demands),
        modules=tuple(modules),
        module_skills=tuple(ModuleSkill(f"M{i}", s, lv) for i, s, lv in teaches),
        prerequisites=tuple(Prerequisite(f"M{a}", f"M{b}") for a, b in sorted(prerequisites)),
        instructors=instructors,
        # I0 can teach every module, I1 some: staffing binds through hours, seldom blocks a track.
        qualifications=tuple(
            Qualification(ins.instructor_id, m.module_id)
            for k, ins in enumerate(instructors)
            for m in modules
            if k == 0 or draw(st.booleans())
        ),
        tracks=tuple(Track(f"T{r}", f"t{r}", "E") for r in tracks_used),
        track_modules=tuple(TrackModule(f"T{h}", f"M{i}") for i, h in enumerate(home) if h >= 0),
    )
    core = [m.module_id for m, h in zip(modules, home, strict=True) if h == -1]
    sections = draw(st.integers(1, 2)) if instructors else 1
    scenario = Scenario(
        name="oracle",
        terms=terms,
        intake=draw(st.sampled_from(["yearly", "single"])),
        sections=sections,
        required_modules=tuple(draw(st.sets(st.sampled_from(core), max_size=1))) if core else (),
        objective=tuple(draw(st.permutations(OBJECTIVES[:4])))[: draw(st.integers(1, 4))],
        total_hours_max=draw(st.none() | st.integers(4, 14)),
        term_hours_min=draw(st.sampled_from([0, 0, 0, 2])),
        term_hours_max=draw(st.none() | st.integers(3, 8)),
        modules_per_term_max=draw(st.none() | st.integers(1, 3)),
        dual_groups=(draw(st.integers(0, sections)),) * terms if instructors else None,
        tracks_offer=draw(st.integers(1, len(tracks_used))),
        track_groups=draw(st.integers(1, 2)),
        sectors=(
            SectorGoal("s1", draw(st.sampled_from([Fraction(0), Fraction(1, 2), Fraction(2, 3)]))),
            SectorGoal("s2"),
        ),
    )
    return Problem.build(catalog, scenario)


def every_plan(problem: Problem) -> Iterator[tuple[Placement, ...]]:
    """Every plan: modules to terms (or not); per module, who teaches its dual and other sections
    (a track module runs the track's groups), each a multiset."""
    teachers: list[str | None] = [i.instructor_id for i in problem.instructors] or [None]
    choices = [[None, *range(lo, hi + 1)] for lo, hi in problem.windows]
    for terms in itertools.product(*choices):
        taken = [(i, t) for i, t in enumerate(terms) if t is not None]
        options = [
            [
                dual + regular
                for dual in itertools.combinations_with_replacement(teachers, problem.dual_of(i, t))
                for regular in itertools.combinations_with_replacement(
                    teachers, problem.sections_of(i, t) - problem.dual_of(i, t)
                )
            ]
            for i, t in taken
        ]
        for assignment in itertools.product(*options):
            yield tuple(
                Placement(problem.candidates[i].module_id, t, who)
                for (i, t), who in zip(taken, assignment, strict=True)
            )


def feasible_plans(problem: Problem) -> list[PlanResult]:
    return [r for plan in every_plan(problem) if not (r := PlanResult(problem, Status.OPTIMAL, plan)).violations()]


@settings(max_examples=80, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(track_problems(with_instructors=False))
def test_optimizer_matches_brute_force_with_tracks(problem: Problem) -> None:
    result = matches_brute_force(problem, feasible_plans(problem), score)
    if result is not None:
        assert len(result.tracks) == problem.scenario.tracks_offer


@settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(track_problems(with_instructors=True))
def test_every_engine_matches_brute_force_with_tracks_and_staff(problem: Problem) -> None:
    """CP-SAT, HiGHS on the translation of the same model, and the independent MILP, each against
    the plans brute force finds: enumerating them is most of the cost, so it is done once here."""
    feasible = feasible_plans(problem)
    matches_brute_force(problem, feasible, score)
    highs_agrees_on_the_first_objective(problem, feasible)
    independent_milp_agrees(problem, feasible)


def highs_agrees_on_the_first_objective(problem: Problem, feasible: list[PlanResult]) -> None:
    first = problem.scenario.objective[0]
    term, maximise, in_units = OBJECTIVE_TERMS[first]
    pm = build(problem)
    expression = term(pm)
    if maximise:
        pm.model.maximize(expression)
    else:
        pm.model.minimize(expression)
    translation = mip.translate(pm.model)
    assert translation is not None, "HiGHS must take the model with tracks"
    search = mip.Search(translation, 20)
    search.begin()
    mip.wait(search)
    if not feasible:
        assert search.infeasible
        return
    assert search.proven
    values = [r.objectives[first] for r in feasible]
    best = max(values) if maximise else min(values)
    assert search.objective is not None
    value = search.objective * (pm.unit if in_units else 1)
    assert value == best


def independent_milp_agrees(problem: Problem, feasible: list[PlanResult]) -> None:
    milp = pytest.importorskip("benchmarks.milp")
    run = milp.solve(problem, time_limit=20)
    if not feasible:
        assert run.result is None and run.status == "INFEASIBLE"
        return
    assert run.result is not None and run.result.status is Status.OPTIMAL
    assert run.result.violations() == []
    assert score(run.result) == min(score(r) for r in feasible)


def test_a_track_too_heavy_for_a_semester_is_not_offered() -> None:
    # Core M0 (4 h, term 1). Track T1: M1 (4 h, term 1); T2: M2 (6 h, term 1). term_max 8: the
    # path with T2 would carry 10 h in term 1, so T1 is offered although T2 covers more.
    catalog = Catalog(
        sectors=(Sector("s", "s", 1),),
        skills=(Skill("A", "a", "c"), Skill("B", "b", "c")),
        demands=(Demand("s", "A", 1, 1), Demand("s", "B", 1, 5)),
        modules=(Module("M0", "m0", "E", 4, 1, 1), Module("M1", "m1", "E", 4, 1, 1), Module("M2", "m2", "E", 6, 1, 1)),
        module_skills=(ModuleSkill("M1", "A", 1), ModuleSkill("M2", "B", 1)),
        tracks=(Track("T1", "t1", "E"), Track("T2", "t2", "E")),
        track_modules=(TrackModule("T1", "M1"), TrackModule("T2", "M2")),
    )
    scenario = Scenario("s", 1, required_modules=("M0",), term_hours_max=8, tracks_offer=1)
    result = solve(Problem.build(catalog, scenario), SolveOptions(time_limit=10))
    assert result.tracks == ("T1",)
    assert [p.module_id for p in result.placements] == ["M0", "M1"]
    # Both paths would hold 8 h and 10 h; all taken modules' hours count in `hours`.
    assert result.objectives["coverage"] == 1


def test_coverage_sums_over_the_offered_paths() -> None:
    # Core M0 teaches A (importance 2); T1's M1 teaches B (3), T2's M2 teaches C (1). Offering both:
    # path T1 covers A and B (5), path T2 covers A and C (3): coverage 8, the core counted twice.
    catalog = Catalog(
        sectors=(Sector("s", "s", 1),),
        skills=tuple(Skill(s, s, "c") for s in SKILLS),
        demands=(Demand("s", "A", 1, 2), Demand("s", "B", 1, 3), Demand("s", "C", 1, 1)),
        modules=tuple(Module(f"M{i}", f"m{i}", "E", 2) for i in range(3)),
        module_skills=(ModuleSkill("M0", "A", 1), ModuleSkill("M1", "B", 1), ModuleSkill("M2", "C", 1)),
        tracks=(Track("T1", "t1", "E"), Track("T2", "t2", "E")),
        track_modules=(TrackModule("T1", "M1"), TrackModule("T2", "M2")),
    )
    result = solve(
        Problem.build(catalog, Scenario("s", 2, tracks_offer=2, track_groups=2)), SolveOptions(time_limit=10)
    )
    assert result.tracks == ("T1", "T2")
    assert result.objectives["coverage"] == 8
    assert {p.module_id: len(p.instructors) for p in result.placements} == {"M0": 1, "M1": 2, "M2": 2}
    assert [path.coverage for path in result.paths] == [5, 3]


@pytest.mark.parametrize("offer", [1, 2])
def test_balance_is_the_heaviest_term_of_any_path(offer: int) -> None:
    # Core M0 4 h; T1: M1 2 h; T2: M2 6 h; one term. Offering one, the lighter T1 wins balance (6);
    # offering both, the heaviest path holds 10 h.
    catalog = Catalog(
        sectors=(Sector("s", "s", 1),),
        skills=(Skill("A", "a", "c"),),
        demands=(),
        modules=(Module("M0", "m0", "E", 4), Module("M1", "m1", "E", 2), Module("M2", "m2", "E", 6)),
        module_skills=(),
        tracks=(Track("T1", "t1", "E"), Track("T2", "t2", "E")),
        track_modules=(TrackModule("T1", "M1"), TrackModule("T2", "M2")),
    )
    scenario = Scenario("s", 1, required_modules=("M0",), objective=("balance",), tracks_offer=offer)
    result = solve(Problem.build(catalog, scenario), SolveOptions(time_limit=10))
    assert result.objectives["balance"] == (6 if offer == 1 else 10)
    assert result.objectives["hours"] == (6 if offer == 1 else 12)
