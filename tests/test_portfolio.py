"""The two-engine portfolio (planner/optimize/portfolio.py): the plan kept must not depend on which
engine happens to finish first, and HiGHS searches the very model CP-SAT does."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from ortools.sat.python import cp_model

from planner.optimize import mip, portfolio, running
from planner.optimize.constraints import OBJECTIVE_TERMS, build
from planner.optimize.solve import solve
from planner.options import SolveOptions
from planner.planning import load_problem

TESTS = Path(__file__).parent
SEED = TESTS.parent / "seeds" / "semiconductor_backend_baja.toml"
TINY_SCENARIO = TESTS / "fixtures" / "tiny.toml"


def plan_of(result) -> list[tuple[str, int, tuple[str | None, ...]]]:
    return [(p.module_id, p.term, p.instructors) for p in result.placements]


def late(function, seconds: float):
    def delayed(*args, **kwargs):
        time.sleep(seconds)
        return function(*args, **kwargs)

    return delayed


@pytest.fixture(scope="module")
def seed_problem():
    return load_problem(SEED)


@pytest.mark.parametrize("claim", [0.0, 0.01], ids=["no claim", "claim lapses"])
@pytest.mark.parametrize("slow", ["highs", "cp-sat"])
def test_the_plan_does_not_depend_on_which_engine_finishes_first(seed_problem, monkeypatch, slow, claim):
    # The seed has contract floors, so CP-SAT claims it, and its usual claim settles every stage
    # before HiGHS starts: no claim, or one too short to finish in, puts each stage to the race.
    monkeypatch.setattr(portfolio, "_budget", lambda pm, later: claim)
    usual = solve(seed_problem, SolveOptions(60))
    if slow == "highs":
        monkeypatch.setattr(mip.Search, "_run", late(mip.Search._run, 0.4))
    else:
        monkeypatch.setattr(portfolio, "run_solver", late(portfolio.run_solver, 0.4))

    delayed = solve(seed_problem, SolveOptions(60))

    assert usual.status.value == delayed.status.value == "OPTIMAL"
    assert plan_of(delayed) == plan_of(usual)
    assert delayed.objectives == usual.objectives


def test_without_a_claim_plan_of_the_optimum_the_plan_kept_is_highs_first(seed_problem, monkeypatch):
    # Once the stage is proven, by either engine, HiGHS's deterministic search names the plan: a
    # CP-SAT that proves the optimum early no longer holds the stage until it finds a plan of it
    # (campus-staffing-5: HiGHS proved coverage at 17 s, CP-SAT reached it at 45 s).
    monkeypatch.setattr(portfolio, "_budget", lambda pm, later: 0.0)

    result = solve(seed_problem, SolveOptions(60))

    assert result.status.value == "OPTIMAL"
    found_by = dict(part.split(": ") for part in result.solver.parameters["plan_found_by"].split("; "))
    assert set(found_by.values()) == {"HiGHS"}


def test_cp_sat_racing_highs_is_never_given_a_complete_hint(seed_problem, monkeypatch):
    # CP-SAT 9.15 can abort when stopped around the solution it loads from a complete hint, and in
    # the race it is stopped from outside: there its hint holds the placements only.
    monkeypatch.setattr(portfolio, "_budget", lambda pm, later: 0.01)  # a claim, then the race
    hinted: list[tuple[bool, int, int]] = []  # (racing, hinted variables, model variables)
    original = portfolio.run_solver

    def recorded(solver, model, *args, **kwargs):
        racing = kwargs.get("wake") is not None
        hinted.append((racing, len(model.proto.solution_hint.vars), len(model.proto.variables)))
        return original(solver, model, *args, **kwargs)

    monkeypatch.setattr(portfolio, "run_solver", recorded)
    result = solve(seed_problem, SolveOptions(60))

    assert result.status.value == "OPTIMAL"
    races = [(n, total) for racing, n, total in hinted if racing]
    assert races and all(n < total for n, total in races)
    assert any(n == total for racing, n, total in hinted if not racing)  # the claims keep the whole plan


@pytest.mark.parametrize("fast", [False, True], ids=["default", "--fast"])
def test_highs_goes_on_when_cp_sat_ends_early_without_a_plan(monkeypatch, fast):
    # In deterministic batches CP-SAT can end well before its limit with nothing (national-2: at
    # 18-24 s of 29); HiGHS, still searching, then has the stage to itself until its own limit.
    def ends_at_once(pm, seconds, options, reporter, highs, plans, budget):
        return portfolio._Run(cp_model.CpSolver(), cp_model.UNKNOWN, {})

    monkeypatch.setattr(portfolio, "_cp_sat", ends_at_once)
    monkeypatch.setattr(mip.Search, "_run", late(mip.Search._run, 0.2))  # still searching then
    result = solve(load_problem(TINY_SCENARIO), SolveOptions(20, reproducible=not fast))
    assert result.status.value == "OPTIMAL"
    assert result.violations() == []
    assert "HiGHS" in result.solver.parameters["plan_found_by"]


def pigeonhole(holes: int) -> cp_model.CpModel:
    """More pigeons than holes: infeasible, and endless for a search without LP or symmetry."""
    model = cp_model.CpModel()
    pigeons = range(holes + 1)
    x = {(p, h): model.new_bool_var(f"x{p}_{h}") for p in pigeons for h in range(holes)}
    for p in pigeons:
        model.add_bool_or([x[p, h] for h in range(holes)])
    for h in range(holes):
        model.add_at_most_one([x[p, h] for p in pigeons])
    return model


def test_cp_sat_stops_as_soon_as_the_other_engine_has_the_answer(monkeypatch):
    # HiGHS proves set covering in a few hundredths of a second; the race used to notice only at
    # its next check of the clock. It now wakes when HiGHS ends. With checks a minute apart, only
    # the wake can end this search, which CP-SAT alone would not finish in a minute.
    monkeypatch.setattr(running, "WAIT_SLICE", 60.0)
    solver = cp_model.CpSolver()
    for key, value in {
        "num_workers": 1,
        "cp_model_presolve": False,
        "linearization_level": 0,
        "symmetry_level": 0,
        "max_time_in_seconds": 60.0,
    }.items():
        setattr(solver.parameters, key, value)
    wake, answered = threading.Event(), threading.Event()
    other_engine = threading.Timer(0.3, lambda: (answered.set(), wake.set()))
    outcome: list[int] = []
    race = threading.Thread(
        target=lambda: outcome.append(running.run_solver(solver, pigeonhole(12), other=answered.is_set, wake=wake)),
        daemon=True,
    )
    other_engine.start()
    race.start()
    race.join(20.0)

    assert not race.is_alive(), "CP-SAT ran on after the other engine had answered"
    assert outcome == [cp_model.UNKNOWN]


@pytest.mark.parametrize("objective", ["coverage", "hours", "balance"])
def test_highs_finds_the_optimum_cp_sat_proves_on_the_same_model(objective):
    problem = load_problem(TINY_SCENARIO)
    pm = build(problem)
    term, maximise, _ = OBJECTIVE_TERMS[objective]
    (pm.model.maximize if maximise else pm.model.minimize)(term(pm))
    solver = cp_model.CpSolver()
    assert solver.solve(pm.model) == cp_model.OPTIMAL

    translation = mip.translate(pm.model)
    assert translation is not None
    search = mip.Search(translation, 10.0)
    search.begin()
    mip.wait(search)

    assert search.proven
    assert search.objective == round(solver.objective_value)


def test_a_row_highs_cannot_take_leaves_cp_sat_alone():
    model = cp_model.CpModel()
    x = model.new_int_var_from_domain(cp_model.Domain.from_values([0, 2, 5]), "x")
    model.maximize(x)

    assert mip.translate(model) is None


def test_without_a_temporary_folder_cp_sat_plans_alone(monkeypatch):
    # The model reaches HiGHS through a file in a temporary folder; a machine without a writable
    # one must still get its plan.
    def no_folder(*args, **kwargs):
        raise PermissionError("read-only /tmp")

    monkeypatch.setattr(mip.tempfile, "TemporaryDirectory", no_folder)
    problem = load_problem(TINY_SCENARIO)
    assert mip.translate(build(problem).model) is None
    result = solve(problem, SolveOptions(10.0))
    assert result.status.value == "OPTIMAL"
    assert result.violations() == []


def test_fast_makes_the_same_claim_as_the_default(seed_problem, monkeypatch):
    # --fast is the default's searches ending at the first proof; a different claim would send it
    # down another path (and, on campus catalogs, a slower one).
    seen: dict[bool, list[dict]] = {True: [], False: []}
    original = portfolio.cp_sat_parameters

    def recorded(seconds, options, **kinds):
        parameters = original(seconds, options, **kinds)
        if kinds.get("claim"):
            seen[options.reproducible].append({k: v for k, v in parameters.items() if k != "max_time_in_seconds"})
        return parameters

    monkeypatch.setattr(portfolio, "cp_sat_parameters", recorded)
    solve(seed_problem, SolveOptions(60))
    solve(seed_problem, SolveOptions(60, reproducible=False))

    assert seen[True] and seen[False] == seen[True]
