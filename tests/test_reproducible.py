"""Reproducibility: the same inputs give the same plan however it is run (PLANNER-SPEC.md, "One plan,
whatever runs it"); and the workbook the CLI writes, read back.

The seeds here are the quick staffed ones (under a second or two each); random staffed cases are tiny.
"""

from __future__ import annotations

import importlib
import json
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from typer.testing import CliRunner

from planner.cli import app
from planner.errors import InfeasibleError
from planner.optimize import portfolio, solve
from planner.options import SolveOptions
from planner.planning import load_problem, make_plan
from planner.result import Status
from tests.oracles import staffing_problems

TESTS = Path(__file__).parent
solve_module = importlib.import_module("planner.optimize.solve")  # the package exports the function
TINY_SCENARIO = TESTS / "fixtures" / "tiny.toml"
TINY_CATALOG = TESTS / "fixtures" / "tiny_catalog"
SEED = TESTS.parent / "seeds" / "semiconductor_backend_baja.toml"
CAMPUS = TESTS.parent / "seeds" / "campuses" / "jal-guadalajara.toml"
# How `plan` runs (two engines, eight CP-SAT workers), and how a rollout task may (planner/batch.py:
# fewer workers, and CP-SAT alone when the task has one core).
WAYS = {
    "plan": SolveOptions(60),
    "batch task, one core": SolveOptions(60, workers=1, highs=False),
    "batch task, two cores": SolveOptions(60, workers=2),
    "CP-SAT alone": SolveOptions(60, highs=False),
}
SHEETS = ("Summary", "Plan", "Coverage", "Gaps", "Instructors", "Scenario")
PINNED_PLAN_COLUMNS = ("Term", "Module ID", "Module", "Hours", "Section", "Instructor ID")


def the_plan(scenario: Path) -> list[tuple[str, int, tuple[str | None, ...]]]:
    """Modules, terms and the instructor of each section, as make_plan returns them."""
    result = make_plan(scenario)
    return [(p.module_id, p.term, p.instructors) for p in result.placements]


@pytest.mark.parametrize("scenario", [TINY_SCENARIO, SEED], ids=["tiny", "semiconductor_backend_baja"])
def test_same_inputs_give_the_same_plan(scenario):
    first = the_plan(scenario)
    second = the_plan(scenario)

    assert first  # a plan that takes nothing would prove nothing
    assert first == second


def plan_of(result) -> tuple:
    return tuple((p.module_id, p.term, p.instructors) for p in result.placements), result.training


@pytest.mark.parametrize(
    "scenario",
    [SEED, CAMPUS, TINY_SCENARIO],  # the tiny catalog has no contract floors: HiGHS names its first stage's plan
    ids=["semiconductor_backend_baja", "jal-guadalajara", "tiny"],
)
def test_a_proven_plan_is_the_same_however_it_is_run(scenario):
    problem = load_problem(scenario)
    results = {way: solve(problem, options) for way, options in WAYS.items()}

    assert {r.status for r in results.values()} == {Status.OPTIMAL}
    plans = {way: plan_of(r) for way, r in results.items()}
    assert len(set(plans.values())) == 1, plans


def test_stages_whose_claim_lapses_give_one_plan_however_they_are_run(monkeypatch):
    # A claim too short to prove its stage (as on large staffed campuses) hands its plan to HiGHS's
    # search on a translation of its own, which names the stage's plan: in every way of running,
    # HiGHS raced or not, one plan.
    monkeypatch.setattr(portfolio, "CLAIM", 0.01)
    lapsed = []

    def race(*args, **kwargs):
        found = portfolio.race(*args, **kwargs)
        lapsed.append(found.own)
        return found

    monkeypatch.setattr(solve_module, "race", race)
    problem = load_problem(SEED)
    results = {way: solve(problem, options) for way, options in WAYS.items()}

    assert any(lapsed)  # the path under test was taken
    assert {r.status for r in results.values()} == {Status.OPTIMAL}
    assert len({plan_of(r) for r in results.values()}) == 1


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(staffing_problems())
def test_random_staffed_cases_give_one_plan_however_they_are_run(problem):
    # Tiny catalogs with contract floors, labs and budgets: many equal optima to choose among. An
    # infeasible case must be infeasible every way.
    outcomes = []
    for options in WAYS.values():
        try:
            result = solve(problem, options)
        except InfeasibleError:
            outcomes.append("infeasible")
            continue
        assert result.status is Status.OPTIMAL
        outcomes.append(plan_of(result))
    assert len(set(outcomes)) == 1, outcomes


@pytest.mark.skipif(shutil.which("taskset") is None, reason="taskset (util-linux) is not installed")
def test_one_core_writes_the_same_plan_as_plan_on_all_cores(tmp_path):
    # The CLI on one core (taskset -c 0), with --fast as old scripts pass it, against plan in-process.
    plan_file = tmp_path / "one.json"
    command = [sys.executable, "-m", "planner", "plan", str(SEED), "--out", str(tmp_path / "one.xlsx")]
    command += ["--json", str(plan_file), "--fast", "--lang", "en"]
    done = subprocess.run(["taskset", "-c", "0", *command], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr

    one_core = json.loads(plan_file.read_text(encoding="utf-8"))
    here = make_plan(SEED)
    assert one_core["status"] == here.status.value == "OPTIMAL"
    assert [(m["module_id"], m["term"], [s["instructor_id"] for s in m["sections"]]) for m in one_core["modules"]] == [
        (p.module_id, p.term, list(p.instructors)) for p in here.placements
    ]


# --- the workbook, as an administrator's spreadsheet program sees it ----------------------------


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> tuple[openpyxl.Workbook, dict]:
    """A two-section plan of the tiny catalog, written by the CLI: the workbook and the plan file.

    Two sections make "one row per section" differ from "one row per module". No coverage floors,
    since two sections of some modules need more hours than their only instructor has.
    """
    folder = tmp_path_factory.mktemp("workbook")
    scenario = folder / "two_sections.toml"
    scenario.write_text(
        f'name = "Two sections"\ncatalog = "{TINY_CATALOG.as_posix()}"\nterms = 3\nsections = 2\n',
        encoding="utf-8",
    )
    result = CliRunner().invoke(app, ["plan", str(scenario), "--out", str(folder / "plan.xlsx"), "--lang", "en"])
    assert result.exit_code == 0, result.output
    document = json.loads((folder / "plan.json").read_text(encoding="utf-8"))
    return openpyxl.load_workbook(folder / "plan.xlsx"), document


def test_workbook_has_the_sheets_for_administrators(written):
    workbook, _ = written
    assert set(SHEETS) <= set(workbook.sheetnames)


def test_plan_sheet_has_one_row_per_section_as_in_the_plan_file(written):
    workbook, document = written
    rows = list(workbook["Plan"].iter_rows(values_only=True))
    header = list(rows[0])
    assert set(PINNED_PLAN_COLUMNS) <= set(header)
    column = {name: header.index(name) for name in PINNED_PLAN_COLUMNS}

    in_sheet = Counter(
        (row[column["Term"]], row[column["Module ID"]], row[column["Section"]], row[column["Instructor ID"]])
        for row in rows[1:]
    )
    in_file = Counter(
        (m["term"], m["module_id"], s["section"], s["instructor_id"])
        for m in document["modules"]
        for s in m["sections"]
    )
    assert in_sheet == in_file
    assert any(section == 2 for _, _, section, _ in in_file)  # the two sections really are there
    hours = {row[column["Module ID"]]: row[column["Hours"]] for row in rows[1:]}
    assert hours == {m["module_id"]: m["hours"] for m in document["modules"]}


def test_workbook_holds_no_formula(written):
    workbook, _ = written
    formulas = [
        f"{ws.title}!{cell.coordinate}"
        for ws in workbook.worksheets
        for row in ws.iter_rows()
        for cell in row
        if cell.data_type == "f"
    ]
    assert formulas == []
