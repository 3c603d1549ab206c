"""The command line: every exit code of PLANNER-SPEC.md, the messages, and that failures write nothing.

Runs `planner.cli:app` in-process with typer's CliRunner (stdout and stderr apart), on the tiny
fixture, so each solve takes a fraction of a second.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from ortools.sat.python import cp_model

import planner.export
import planner.optimize
from planner.optimize import mip
from tests.helpers import TINY_CATALOG, listing, run, words, write_scenario

TESTS = Path(__file__).parent
TINY_SCENARIO = TESTS / "fixtures" / "tiny.toml"
DEFECTS = TESTS / "defects"
REPO = TESTS.parent
SEED = REPO / "seeds" / "semiconductor_backend_baja.toml"


# --- exit 0 -------------------------------------------------------------------------------


def test_plan_writes_workbook_and_plan_file_and_prints_a_summary(tmp_path):
    workbook = tmp_path / "out" / "tiny.xlsx"

    result = run("plan", TINY_SCENARIO, "--out", workbook)

    assert result.exit_code == 0, result.output
    assert sorted(listing(tmp_path)) == ["out/tiny.json", "out/tiny.xlsx"]  # no temporary file left
    assert openpyxl.load_workbook(workbook).sheetnames[:3] == ["Curriculum map", "Summary", "Plan"]
    document = json.loads(workbook.with_suffix(".json").read_text(encoding="utf-8"))
    assert document["status"] == "OPTIMAL"
    summary = words(result.stdout)
    assert "Tiny semiconductor back-end plan: OPTIMAL" in summary
    assert f"5 modules, {document['objectives']['hours']} h in total" in summary
    assert "semi 100% 80%" in summary
    assert result.stderr == ""


def test_fast_is_still_accepted_and_writes_the_same_plan(tmp_path):
    # --fast used to trade the reproducible plan for speed; every run now ends each stage at its
    # first proof and writes the canonical plan, so scripts that pass it get the same plan.
    default = run("plan", TINY_SCENARIO, "--out", tmp_path / "a.xlsx")
    fast = run("plan", TINY_SCENARIO, "--out", tmp_path / "b.xlsx", "--fast")

    assert default.exit_code == 0 and fast.exit_code == 0, fast.output
    a = json.loads((tmp_path / "a.json").read_text(encoding="utf-8"))
    b = json.loads((tmp_path / "b.json").read_text(encoding="utf-8"))
    assert a["status"] == b["status"] == "OPTIMAL"
    assert (a["objectives"], a["modules"]) == (b["objectives"], b["modules"])


def test_plan_writes_to_exports_by_default_and_json_where_asked(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)

    result = run("plan", TINY_SCENARIO.resolve(), "--json", "plans/tiny-plan.json")

    assert result.exit_code == 0, result.output
    assert sorted(listing(tmp_path)) == ["exports/tiny.xlsx", "plans/tiny-plan.json"]


# --- exit 2: invalid input ----------------------------------------------------------------


def test_invalid_catalog_names_file_row_and_column(tmp_path):
    catalog = tmp_path / "catalog"
    shutil.copytree(TINY_CATALOG, catalog)
    modules = catalog / "modules.csv"
    modules.write_text(modules.read_text(encoding="utf-8").replace("Mecatrónica,72", "Mecatrónica,abc"), "utf-8")
    before = listing(tmp_path)

    result = run("plan", TINY_SCENARIO, "--catalog", catalog, "--out", tmp_path / "out" / "plan.xlsx")

    assert result.exit_code == 2
    # IECO-02 is on row 8 of modules.csv, counting the header as row 1.
    assert "modules.csv row 8, column hours: 'abc' is not a whole number." in words(result.stderr)
    assert listing(tmp_path) == before


def test_defect_catalog_is_refused_by_plan(tmp_path):
    expected = (DEFECTS / "duplicate_module_id" / "expected.txt").read_text(encoding="utf-8").strip()

    result = run("plan", TINY_SCENARIO, "--catalog", DEFECTS / "duplicate_module_id", "--out", tmp_path / "p.xlsx")

    assert result.exit_code == 2
    assert expected in words(result.stderr)
    assert listing(tmp_path) == {}


@pytest.mark.parametrize("defect", sorted(p.name for p in DEFECTS.iterdir() if p.is_dir()))
def test_validate_reports_each_defect(defect):
    expected = (DEFECTS / defect / "expected.txt").read_text(encoding="utf-8").strip()

    result = run("validate", DEFECTS / defect)

    assert result.exit_code == 2
    assert words(expected) in words(result.stderr)
    assert result.stdout == ""


def test_unknown_scenario_key_is_refused(tmp_path):
    scenario = write_scenario(tmp_path, "terms = 3\n[hours]\nterm_maxx = 200\n")

    result = run("plan", scenario, "--out", tmp_path / "p.xlsx")

    assert result.exit_code == 2
    assert "hours.term_maxx: unknown key 'term_maxx'; did you mean 'term_max'?" in words(result.stderr)
    assert sorted(listing(tmp_path)) == ["scenario.toml"]


def test_time_limit_below_the_minimum_is_a_usage_error(tmp_path):
    result = run("plan", TINY_SCENARIO, "--time-limit", "0", "--out", tmp_path / "p.xlsx")

    assert result.exit_code == 2
    assert "--time-limit" in result.stderr
    assert listing(tmp_path) == {}


def test_existing_outputs_are_not_touched_without_force(tmp_path):
    workbook, plan_file = tmp_path / "plan.xlsx", tmp_path / "plan.json"
    workbook.write_bytes(b"yesterday's workbook")
    plan_file.write_bytes(b"yesterday's plan")
    before = listing(tmp_path)

    result = run("plan", TINY_SCENARIO, "--out", workbook)

    assert result.exit_code == 2
    assert "already exist; nothing was written. Use --force to overwrite." in words(result.stderr)
    assert listing(tmp_path) == before


def test_one_existing_output_stops_both_without_force(tmp_path):
    # Only the plan file exists: the workbook must not be written either.
    plan_file = tmp_path / "plan.json"
    plan_file.write_bytes(b"yesterday's plan")

    result = run("plan", TINY_SCENARIO, "--out", tmp_path / "plan.xlsx")

    assert result.exit_code == 2
    assert listing(tmp_path) == {"plan.json": b"yesterday's plan"}


def test_force_overwrites_existing_outputs(tmp_path):
    workbook, plan_file = tmp_path / "plan.xlsx", tmp_path / "plan.json"
    workbook.write_bytes(b"yesterday's workbook")
    plan_file.write_bytes(b"yesterday's plan")

    result = run("plan", TINY_SCENARIO, "--out", workbook, "--force")

    assert result.exit_code == 0, result.output
    assert "Plan" in openpyxl.load_workbook(workbook).sheetnames
    assert json.loads(plan_file.read_text(encoding="utf-8"))["scenario"] == "Tiny semiconductor back-end plan"
    assert sorted(listing(tmp_path)) == ["plan.json", "plan.xlsx"]


def test_a_plan_file_that_cannot_be_written_leaves_no_workbook(tmp_path):
    (tmp_path / "blocker").write_bytes(b"a file where a folder is expected")
    before = listing(tmp_path)

    result = run("plan", TINY_SCENARIO, "--out", tmp_path / "plan.xlsx", "--json", tmp_path / "blocker" / "plan.json")

    assert result.exit_code == 2
    assert "plan.json' cannot be written: '" in words(result.stderr)
    assert "blocker' is a file, not a folder." in words(result.stderr)
    assert listing(tmp_path) == before


# --- exit 3: infeasible -----------------------------------------------------------------------


def test_infeasible_scenario_names_the_conflicting_requirements(tmp_path):
    # SEEN-01 (90 h) needs SECL-01 (54 h) first: 144 h > total_max 100. term_max 270 is not part of it.
    scenario = write_scenario(
        tmp_path, 'terms = 3\nrequired_modules = ["SEEN-01"]\n[hours]\ntotal_max = 100\nterm_max = 270\n'
    )

    result = run("plan", scenario, "--out", tmp_path / "out" / "p.xlsx")

    assert result.exit_code == 3
    message = words(result.stderr)
    assert "No plan satisfies this scenario" in message
    assert "required module SEEN-01 (90 h" in message
    assert "hours.total_max = 100 h" in message
    assert "term_max" not in message
    assert sorted(listing(tmp_path)) == ["scenario.toml"]


# --- exit 4: no plan within the time limit ------------------------------------------------


def test_no_plan_within_the_time_limit(tmp_path, monkeypatch):
    # Both engines give up before finding any plan, as they would on a hard scenario at its time limit.
    monkeypatch.setattr(cp_model.CpSolver, "solve", lambda self, model, callback=None: cp_model.UNKNOWN)
    monkeypatch.setattr(mip.Search, "_run", lambda self: None)

    result = run("plan", TINY_SCENARIO, "--out", tmp_path / "p.xlsx", "--time-limit", "0.5")

    assert result.exit_code == 4
    assert "No plan was found within the time limit of 0.5 s" in words(result.stderr)
    assert listing(tmp_path) == {}


# --- exit 1: anything else ------------------------------------------------------------------


def explode(*args: object, **kwargs: object) -> None:
    raise RuntimeError("solver exploded")


def test_unexpected_error_is_one_line_without_traceback(tmp_path, monkeypatch):
    monkeypatch.setattr(planner.optimize, "solve", explode)

    result = run("plan", TINY_SCENARIO, "--out", tmp_path / "p.xlsx")

    assert result.exit_code == 1
    assert "Unexpected error: solver exploded." in words(result.stderr)
    assert "--debug" in result.stderr
    assert listing(tmp_path) == {}


def test_debug_shows_the_traceback(tmp_path, monkeypatch):
    monkeypatch.setattr(planner.optimize, "solve", explode)

    result = run("plan", TINY_SCENARIO, "--out", tmp_path / "p.xlsx", "--debug")

    assert result.exit_code == 1
    assert "Traceback" in result.stderr
    assert "RuntimeError: solver exploded" in result.stderr


def test_an_error_while_writing_leaves_nothing_written(tmp_path, monkeypatch):
    monkeypatch.setattr(planner.export, "plan_bytes", explode)  # fails after the workbook is built

    result = run("plan", TINY_SCENARIO, "--out", tmp_path / "p.xlsx")

    assert result.exit_code == 1
    assert "Nothing was written" in result.stderr
    assert listing(tmp_path) == {}


# --- validate ---------------------------------------------------------------------------------


def test_validate_a_valid_catalog():
    result = run("validate", TINY_CATALOG)

    assert result.exit_code == 0, result.output
    assert "is valid: 2 sectors, 6 skills, 8 demands, 8 modules, 3 instructors." in words(result.stdout)


def test_validate_a_scenario_against_its_catalog():
    result = run("validate", "--scenario", TINY_SCENARIO)

    assert result.exit_code == 0, result.output
    assert "Scenario 'Tiny semiconductor back-end plan' is valid: 8 candidate modules" in words(result.stdout)


def test_validate_a_scenario_with_unknown_modules(tmp_path):
    scenario = write_scenario(tmp_path, 'terms = 3\nrequired_modules = ["NOPE-01"]\n')

    result = run("validate", "--scenario", scenario)

    assert result.exit_code == 2
    assert "scenario.toml, required_modules: module 'NOPE-01' is not in the catalog." in words(result.stderr)


def test_validate_the_shipped_seed():
    result = run("validate", "--scenario", SEED)

    assert result.exit_code == 0, result.output
    assert "is valid" in result.stdout


# --- the package as a program -------------------------------------------------------------


def test_python_dash_m_planner_help():
    completed = subprocess.run(
        [sys.executable, "-m", "planner", "--help"], capture_output=True, text=True, timeout=60, check=False
    )

    assert completed.returncode == 0, completed.stderr
    assert "plan" in completed.stdout
    assert "validate" in completed.stdout
