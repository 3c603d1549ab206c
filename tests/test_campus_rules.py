"""Version 3 by hand: the campus's other careers (commitments), groups per semester, dual training.

Small cases whose optimum is worked out in the comments, the explanation of a conflict that
commitments cause, and every bad input the version names (exit 2, file, row and column, nothing
written).
"""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from planner.errors import InfeasibleError
from planner.export.teaching_load import load_rows
from planner.export.workbook import build_workbook
from planner.model import (
    Catalog,
    Commitment,
    Demand,
    Instructor,
    Lab,
    LabCommitment,
    Module,
    ModuleLab,
    ModuleSkill,
    Problem,
    Qualification,
    Scenario,
    Sector,
    Skill,
)
from planner.optimize import solve
from planner.options import SolveOptions
from planner.result import Placement, PlanResult, Status
from tests.helpers import TINY_CATALOG, listing, run, words, write_scenario

LIMIT = SolveOptions(time_limit=20)


def catalog(modules: list[Module], **tables: object) -> Catalog:
    """One sector demanding one skill per module (importance 1), taught by that module alone."""
    skills = tuple(Skill(f"S{m.module_id}", m.module_id, "C") for m in modules)
    return Catalog(
        sectors=(Sector("K", "K", 1),),
        skills=skills,
        demands=tuple(Demand("K", s.skill_id, 1, 1) for s in skills),
        modules=tuple(modules),
        module_skills=tuple(ModuleSkill(m.module_id, f"S{m.module_id}", 1) for m in modules),
        **tables,  # type: ignore[arg-type]
    )


# --- commitments ----------------------------------------------------------------------------

TEACHER = Instructor("A", "A", 120, min_hours_per_term=60)
ALONE = catalog(
    [Module("M1", "M1", "c", 54, 1, 1), Module("M2", "M2", "c", 54, 1, 1)],
    instructors=(TEACHER,),
    qualifications=(Qualification("A", "M1"), Qualification("A", "M2")),
)
ONE_TERM = Scenario("s", terms=1, required_modules=("M1", "M2"), objective=("coverage",))


def test_a_teacher_who_fits_the_plan_alone_does_not_fit_with_the_other_careers() -> None:
    # A teaches both 54 h modules: 108 h <= 120. With 36 h already committed to the campus's other
    # careers, 36 + 108 = 144 > 120: the plan cannot hold, and the explanation names the commitment
    # as a number that would have to fall (to 12 h: 12 + 108 = 120), not as a contract to change.
    assert solve(Problem.build(ALONE, ONE_TERM), LIMIT).violations() == []
    committed = replace(ALONE, commitments=(Commitment("A", 1, 36),))
    with pytest.raises(InfeasibleError) as caught:
        solve(Problem.build(committed, ONE_TERM), LIMIT)
    conflict = caught.value.found[0]
    kinds = {key.kind for key in conflict.requirements}
    assert "instructor_commitment" in kinds
    fixes = [conflict.relaxation, *conflict.alternatives]
    assert {"kind": "instructor_commitment", "instructor_id": "A", "period": 1, "from": 36, "to": 12} in fixes


def test_commitments_count_towards_the_floor_but_not_the_cost() -> None:
    # A's floor is 60 h; M1 alone (54 h) is under it, but with 18 h committed 18 + 54 = 72 >= 60.
    # The cost counts the plan's hours only: 54 h x 2 = 108.
    teacher = replace(TEACHER, cost_per_hour=2)
    cat = replace(ALONE, instructors=(teacher,))
    scenario = Scenario("s", terms=1, required_modules=("M1",), objective=("hours", "cost"))
    with pytest.raises(InfeasibleError):
        solve(Problem.build(replace(cat, modules=cat.modules[:1]), scenario), LIMIT)
    one = replace(cat, modules=cat.modules[:1], commitments=(Commitment("A", 1, 18),))
    result = solve(Problem.build(one, scenario), LIMIT)
    assert result.violations() == []
    assert result.objectives["cost"] == 108
    assert result.instructor_loads[0].total_in(0) == 72


def test_the_checker_counts_commitments() -> None:
    # The plan alone is within A's contract (108 <= 120); with 36 committed it is not.
    problem = Problem.build(replace(ALONE, commitments=(Commitment("A", 1, 20), Commitment("A", 1, 16))), ONE_TERM)
    plan = (Placement("M1", 1, ("A",)), Placement("M2", 1, ("A",)))
    assert [r.code for r in PlanResult(problem, Status.OPTIMAL, plan).violations()] == ["instructor_over"]


def test_a_lab_full_with_the_other_careers_takes_no_more() -> None:
    # The lab has 100 h; 50 are committed, so M1 (54 h) no longer fits.
    cat = catalog([Module("M1", "M1", "c", 54)], labs=(Lab("L", "L", 100),), module_labs=(ModuleLab("M1", "L"),))
    scenario = Scenario("s", terms=1, objective=("coverage",))
    assert solve(Problem.build(cat, scenario), LIMIT).objectives["coverage"] == 1
    full = replace(cat, lab_commitments=(LabCommitment("L", 1, 50),))
    assert solve(Problem.build(full, scenario), LIMIT).objectives["coverage"] == 0


# --- groups per semester and dual training ---------------------------------------------------


def test_each_semester_runs_its_own_groups() -> None:
    # Three groups in term 1, one in term 2: M1 (term 1) has three sections, M2 (term 2) one.
    cat = catalog(
        [Module("M1", "M1", "c", 10, 1, 1), Module("M2", "M2", "c", 10, 2, 2)],
        instructors=(Instructor("A", "A", 100),),
        qualifications=(Qualification("A", "M1"), Qualification("A", "M2")),
    )
    scenario = Scenario("s", terms=2, sections=(3, 1), intake="single", objective=("coverage",))
    result = solve(Problem.build(cat, scenario), LIMIT)
    assert {p.module_id: len(p.instructors) for p in result.placements} == {"M1": 3, "M2": 1}
    assert result.instructor_loads[0].hours_per_period == (30, 10)
    assert result.group_hours == 40


def test_only_dual_training_lets_a_lab_module_be_taken() -> None:
    # The bonder cell has 150 h per period; the module needs it 108 h per group, two groups: 216 h.
    # With one dual group whose company gives 54 h, the campus needs 108 + 54 = 162 h: still too
    # many. With both groups dual, 54 + 54 = 108 h fit, and the companies give 108 h (the cap).
    bonding = Module("LDUA", "Wire bonding", "c", 108, dual_hours=54)
    cat = catalog(
        [bonding],
        instructors=(Instructor("A", "A", 400),),
        qualifications=(Qualification("A", "LDUA"),),
        labs=(Lab("BOND", "Bonder cell", 150),),
        module_labs=(ModuleLab("LDUA", "BOND"),),
    )
    scenario = Scenario("s", terms=1, sections=2, objective=("coverage",))
    assert solve(Problem.build(cat, scenario), LIMIT).placements == ()
    one_dual = replace(scenario, dual_groups=(1,))
    assert solve(Problem.build(cat, one_dual), LIMIT).placements == ()
    both = replace(scenario, dual_groups=(2,), max_company_hours=108)
    result = solve(Problem.build(cat, both), LIMIT)
    assert [p.module_id for p in result.placements] == ["LDUA"]
    assert result.lab_uses[0].hours_per_period == (108,)
    assert result.company_hours == (108,)
    assert result.instructor_loads[0].hours_per_period == (108,)
    # The partner companies' hours are a limit like any other: 107 h leave the module out.
    assert solve(Problem.build(cat, replace(both, max_company_hours=107)), LIMIT).placements == ()


def test_a_dual_section_needs_its_teacher_for_the_school_part_only() -> None:
    # A's cap is 60 h: a 90 h module is too much, its dual section (90 - 36 = 54 h) is not. The
    # first section of the term is the dual one, so A teaches it and B (cap 90) the other.
    cat = catalog(
        [Module("M", "M", "c", 90, dual_hours=36)],
        instructors=(Instructor("A", "A", 60, cost_per_hour=1), Instructor("B", "B", 90, cost_per_hour=1)),
        qualifications=(Qualification("A", "M"), Qualification("B", "M")),
    )
    scenario = Scenario("s", terms=1, sections=2, dual_groups=(1,), required_modules=("M",), objective=("cost",))
    result = solve(Problem.build(cat, scenario), LIMIT)
    assert result.placements == (Placement("M", 1, ("A", "B")),)
    assert result.objectives["cost"] == 54 + 90
    assert result.violations() == []
    swapped = PlanResult(result.problem, Status.OPTIMAL, (Placement("M", 1, ("B", "A")),))
    assert [r.code for r in swapped.violations()] == ["instructor_over"]


def test_fewer_groups_in_a_semester_is_a_fix_like_any_other() -> None:
    # A alone (cap 100) cannot teach two 54 h groups (108 h); one group less fixes it.
    cat = catalog(
        [Module("M", "M", "c", 54)],
        instructors=(Instructor("A", "A", 100),),
        qualifications=(Qualification("A", "M"),),
    )
    scenario = Scenario("s", terms=1, sections=(2,), required_modules=("M",))
    with pytest.raises(InfeasibleError) as caught:
        solve(Problem.build(cat, scenario), LIMIT)
    conflict = caught.value.found[0]
    fixes = [conflict.relaxation, *conflict.alternatives]
    assert {"kind": "sections", "term": 1, "from": 2, "to": 1} in fixes


# --- files: the plan file and bad input --------------------------------------------------------


def campus_catalog(folder: Path, commitments: str = "", lab_commitments: str = "", modules: str = "") -> Path:
    target = folder / "catalog"
    shutil.copytree(TINY_CATALOG, target)
    if commitments:
        (target / "commitments.csv").write_text("instructor_id,period,hours\n" + commitments, encoding="utf-8")
    if lab_commitments:
        (target / "lab_commitments.csv").write_text("lab_id,period,hours\n" + lab_commitments, encoding="utf-8")
    if modules:
        path = target / "modules.csv"
        lines = path.read_text(encoding="utf-8").splitlines()
        lines[0] += ",dual_hours"
        lines[1:] = [line + "," + modules.get(line.split(",")[0], "") for line in lines[1:]]  # type: ignore[attr-defined]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return target


def test_the_plan_file_marks_dual_sections(tmp_path: Path) -> None:
    cat = campus_catalog(tmp_path, commitments="DOC-01,1,18\n", modules={"SEEN-01": "36"})  # type: ignore[arg-type]
    scenario = write_scenario(
        tmp_path,
        "terms = 3\nsections = [2, 2, 1]\n[dual]\ngroups = [0, 1, 1]\nmax_company_hours = 100\n",
        cat,
    )
    out = tmp_path / "out" / "plan.xlsx"
    result = run("plan", scenario, "--out", out)
    assert result.exit_code == 0, result.output
    plan = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
    for module in plan["modules"]:
        groups = {1: 2, 2: 2, 3: 1}[module["term"]]
        dual = {1: 0, 2: 1, 3: 1}[module["term"]]
        assert [s["dual"] for s in module["sections"]] == [s <= dual for s in range(1, groups + 1)]


BAD = [
    ("commitments", "DOC-09,1,18\n", "commitments.csv row 2, column instructor_id"),
    ("commitments", "DOC-01,3,18\n", "commitments.csv row 2, column period: there is no period 3"),
    ("commitments", "DOC-01,1,-5\n", "commitments.csv row 2, column hours"),
    ("commitments", "DOC-01,1,100\nDOC-01,1,90\n", "commitments.csv row 3, column hours: instructor DOC-01 is"),
    ("lab_commitments", "LAB-XX,1,18\n", "lab_commitments.csv row 2, column lab_id"),
    ("lab_commitments", "LAB-CR,0,18\n", "lab_commitments.csv row 2, column period"),
]


@pytest.mark.parametrize(("table", "rows", "expected"), BAD)
def test_bad_commitments_are_refused_and_nothing_is_written(tmp_path: Path, table: str, rows: str, expected: str):
    cat = campus_catalog(tmp_path, **{table: rows})
    scenario = write_scenario(tmp_path, "terms = 3\n", cat)
    before = listing(tmp_path)
    result = run("plan", scenario, "--out", tmp_path / "plan.xlsx")
    assert result.exit_code == 2, result.output
    assert expected in words(result.output)
    assert listing(tmp_path) == before


def test_a_teacher_committed_beyond_the_cap_is_an_input_error(tmp_path: Path) -> None:
    cat = campus_catalog(tmp_path, commitments="DOC-03,2,120\n")
    result = run("plan", write_scenario(tmp_path, "terms = 3\n", cat), "--out", tmp_path / "plan.xlsx")
    assert result.exit_code == 2
    assert "the campus is already over contract" in words(result.output)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("sections = [2, 1]\n", "scenario.toml, sections: lists 2 semesters, but terms is 3."),
        ("sections = [2, 0, 1]\n", "scenario.toml, sections: every number must be at least 1"),
        ("[dual]\ngroups = [0, 2, 0]\n", "scenario.toml, dual.groups: puts 2 groups of semester 2 in dual training"),
        ("[dual]\ngroups = [0, 1]\n", "scenario.toml, dual.groups: lists 2 semesters, but terms is 3."),
        ("[dual]\ngroups = [0, -1, 0]\n", "scenario.toml, dual.groups: every number must be at least 0"),
        ("[dual]\nmax_company_hours = -3\n", "scenario.toml, dual.max_company_hours"),
        ("[dual]\ngrups = [0, 1, 1]\n", "did you mean 'groups'?"),
    ],
)
def test_bad_groups_are_refused(tmp_path: Path, body: str, expected: str) -> None:
    scenario = write_scenario(tmp_path, "terms = 3\n" + body)
    result = run("plan", scenario, "--out", tmp_path / "plan.xlsx")
    assert result.exit_code == 2, result.output
    assert expected in words(result.output)
    assert not (tmp_path / "plan.xlsx").exists()


@pytest.mark.parametrize(("dual", "column"), [("90", "dual_hours"), ("-1", "dual_hours"), ("x", "dual_hours")])
def test_bad_dual_hours_are_refused(tmp_path: Path, dual: str, column: str) -> None:
    cat = campus_catalog(tmp_path, modules={"MCEL-02": dual})  # type: ignore[arg-type]
    result = run("validate", cat)
    assert result.exit_code == 2
    assert f"modules.csv row 2, column {column}" in words(result.output)


# --- the workbook ------------------------------------------------------------------------------


def test_the_workbook_shows_commitments_and_dual_groups() -> None:
    # A (cap 180, 36 h committed) teaches both groups of M; the first is dual (company 36 h of 90),
    # so the plan gives A 54 + 90 = 144 h and, with its commitments, 180 h: exactly the cap.
    cat = catalog(
        [Module("M", "M", "c", 90, dual_hours=36)],
        instructors=(Instructor("A", "Ana", 180, cost_per_hour=1),),
        qualifications=(Qualification("A", "M"),),
        commitments=(Commitment("A", 1, 36),),
        labs=(Lab("L", "Lab", 200),),
        module_labs=(ModuleLab("M", "L"),),
        lab_commitments=(LabCommitment("L", 1, 50),),
    )
    scenario = Scenario(
        "s", terms=1, sections=2, dual_groups=(1,), max_company_hours=40, required_modules=("M",), intake="single"
    )
    result = solve(Problem.build(cat, scenario), LIMIT)
    book = build_workbook(result)
    plan = list(book["Plan"].iter_rows(values_only=True))
    dual = plan[0].index("Dual training")
    assert [row[dual] for row in plan[1:]] == ["yes", "no"]
    rows, totals = load_rows(result)
    total = rows[totals[0] - 1]
    weeks = scenario.weeks_per_term
    assert total[5:8] == (144 / weeks, 36 / weeks, 180 / weeks)
    assert total[9] == "within the contract"
    assert "1 D, 2" in [row[4] for row in rows]
    labs = list(book["Labs"].iter_rows(values_only=True))
    assert labs[1][:5] == ("L", "Lab", 200, 144, 50)
    summary = [row for row in book["Summary"].iter_rows(values_only=True) if row and row[0]]
    assert any(row[0].startswith("Company hours") and row[1] == 36 for row in summary)
