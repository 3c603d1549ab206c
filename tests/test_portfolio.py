"""The two-engine portfolio (planner/optimize/portfolio.py): the plan written must not depend on which
engine happens to finish first, a wrong verdict from HiGHS must not become an infeasibility, and
HiGHS searches the very model CP-SAT does."""

from __future__ import annotations

import importlib
import threading
import time
from dataclasses import replace
from pathlib import Path

import pytest
from ortools.sat.python import cp_model

from planner.optimize import canonical, mip, portfolio, running
from planner.optimize.constraints import OBJECTIVE_TERMS, build
from planner.optimize.mip import Outcome
from planner.optimize.portfolio import choose
from planner.optimize.solve import solve
from planner.options import SolveOptions
from planner.planning import load_problem
from planner.result import Engine, Status

solve_module = importlib.import_module("planner.optimize.solve")  # the package exports the function
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
    monkeypatch.setattr(portfolio, "_budget", lambda pm: claim)
    usual = solve(seed_problem, SolveOptions(60))
    if slow == "highs":
        monkeypatch.setattr(mip.Search, "_run", late(mip.Search._run, 0.4))
    else:
        monkeypatch.setattr(portfolio, "run_solver", late(portfolio.run_solver, 0.4))

    delayed = solve(seed_problem, SolveOptions(60))

    assert usual.status.value == delayed.status.value == "OPTIMAL"
    assert plan_of(delayed) == plan_of(usual)
    assert delayed.objectives == usual.objectives


@pytest.fixture(scope="module")
def bacp8(tmp_path_factory):
    """The published BACP instance bacp8 (no instructors, so no floors), as the benchmark writes it."""
    from benchmarks import published
    from benchmarks.files import write_instance

    return load_problem(write_instance(published.instance("bacp8"), tmp_path_factory.mktemp("bacp8")))


@pytest.fixture(scope="module")
def tiny():
    """The tiny catalog (no contract floors) under three objectives: coverage, hours, balance."""
    return load_problem(TINY_SCENARIO)


@pytest.mark.parametrize("slow", ["highs", "cp-sat"])
@pytest.mark.parametrize("name", ["bacp8", "tiny"])
def test_without_floors_the_plan_is_the_same_whichever_engine_proves_each_stage(request, monkeypatch, slow, name):
    # Without contract floors HiGHS's proof of the first stage on a translation of its own is the
    # first canonical plan (searched again after the race when CP-SAT proves the stage first), and
    # each later stage's plan follows the one before. BACP's balanced terms have many equal optima.
    problem = request.getfixturevalue(name)
    usual = solve(problem, SolveOptions(60))
    if slow == "highs":
        monkeypatch.setattr(mip.Search, "_run", late(mip.Search._run, 0.4))
    else:
        monkeypatch.setattr(portfolio, "run_solver", late(portfolio.run_solver, 0.4))

    delayed = solve(problem, SolveOptions(60))

    assert usual.status is delayed.status is Status.OPTIMAL
    assert plan_of(delayed) == plan_of(usual)
    assert delayed.objectives == usual.objectives


def test_without_floors_highs_proving_the_first_stage_leaves_no_search_after_it(bacp8, monkeypatch):
    # CP-SAT gives up as soon as HiGHS has ended: HiGHS proves BACP's only stage on its own
    # translation, and no search follows (the plan is already the canonical one).
    problem = bacp8

    def after_highs(solver, model, *args, wake=None, **kwargs):
        assert wake is not None and wake.wait(60)
        return cp_model.UNKNOWN

    monkeypatch.setattr(portfolio, "run_solver", after_highs)
    searched = []
    monkeypatch.setattr(canonical, "highs_plan", lambda *args: searched.append("HiGHS"))
    monkeypatch.setattr(canonical, "follow", lambda *args: searched.append("follow"))

    result = solve(problem, SolveOptions(60))

    assert result.status is Status.OPTIMAL
    assert result.stages[-1].engine is Engine.HIGHS
    assert searched == []
    assert result.violations() == []


def test_without_floors_a_task_without_highs_still_runs_it_on_the_first_stage_only(tiny, monkeypatch):
    # A one-core batch task leaves HiGHS out of the race, but without floors HiGHS's search of the
    # first stage names the plan: it runs there (in the race, and again after it if CP-SAT proved
    # the stage first), and not on the later stages, whose plans follow the first.
    events = []
    monkeypatch.setattr(mip.Search, "begin", recorded(mip.Search.begin, events, "HiGHS"))
    monkeypatch.setattr(canonical, "follow", recorded(canonical.follow, events, "follow"))

    result = solve(tiny, SolveOptions(60, workers=1, highs=False))

    assert result.status is Status.OPTIMAL and len(result.stages) == 3
    assert events[0] == "HiGHS" and events[-2:] == ["follow", "follow"] and set(events[:-2]) == {"HiGHS"}
    assert plan_of(result) == plan_of(solve(tiny, SolveOptions(60)))


def recorded(function, events: list, name: str):
    def record(*args, **kwargs):
        events.append(name)
        return function(*args, **kwargs)

    return record


def test_without_floors_a_later_stage_the_time_limit_cuts_leaves_the_run_feasible(tiny, monkeypatch):
    # Every objective proven, but a later stage's canonical plan not reached in time: the plan is
    # optimal yet not the one every run would give, so it is not called OPTIMAL.
    monkeypatch.setattr(canonical, "follow", lambda *args: None)
    result = solve(tiny, SolveOptions(60))

    assert len(result.stages) > 1 and all(s.proven for s in result.stages)
    assert result.status is Status.FEASIBLE
    assert result.violations() == []


def test_each_stage_says_which_engine_proved_it(seed_problem, monkeypatch):
    # No claim, and CP-SAT waits for HiGHS to end and gives up: HiGHS proves every stage, the
    # stages say so as data, and the plan is the one CP-SAT's proofs lead to.
    monkeypatch.setattr(portfolio, "_budget", lambda pm: 0.0)
    usual = solve(seed_problem, SolveOptions(60))

    def after_highs(solver, model, *args, wake=None, **kwargs):
        assert wake is not None and wake.wait(60)
        return cp_model.UNKNOWN

    monkeypatch.setattr(portfolio, "run_solver", after_highs)

    result = solve(seed_problem, SolveOptions(60))

    assert result.status is Status.OPTIMAL
    assert [s.engine for s in result.stages] == [Engine.HIGHS] * len(result.stages)
    assert plan_of(result) == plan_of(usual)


def test_a_wrong_infeasible_from_highs_is_not_an_infeasibility_while_cp_sat_holds_a_plan(seed_problem, monkeypatch):
    # HiGHS answers "infeasible" as soon as CP-SAT has found its first plan (in later stages at
    # once: the previous stage's plan is a plan there). CP-SAT holds a plan, so the verdict is
    # wrong and must be set aside; CP-SAT goes on and proves every stage.
    monkeypatch.setattr(portfolio, "_budget", lambda pm: 0.0)
    usual = solve(seed_problem, SolveOptions(60))
    cp_sat_found = threading.Event()
    original = portfolio.run_solver

    def noticed(solver, model, callback=None, **kwargs):
        class Telling(cp_model.CpSolverSolutionCallback):
            def on_solution_callback(self) -> None:
                callback.on_solution_callback.__func__(self)  # the race's own bookkeeping first
                cp_sat_found.set()

        return original(solver, model, Telling(), **kwargs)

    def says_infeasible(search) -> None:
        assert cp_sat_found.wait(60)
        search.infeasible = True

    monkeypatch.setattr(portfolio, "run_solver", noticed)
    monkeypatch.setattr(mip.Search, "_search", says_infeasible)

    result = solve(seed_problem, SolveOptions(60))

    assert result.status is Status.OPTIMAL
    assert plan_of(result) == plan_of(usual)
    assert {s.engine for s in result.stages} == {Engine.CP_SAT}


def test_cp_sat_racing_highs_is_never_given_a_complete_hint(seed_problem, monkeypatch):
    # CP-SAT 9.15 can abort when stopped around the solution it loads from a complete hint, and in
    # the race it is stopped from outside: there its hint holds the placements only.
    monkeypatch.setattr(portfolio, "_budget", lambda pm: 0.01)  # a claim, then the race
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


def test_highs_goes_on_when_cp_sat_ends_early_without_a_plan(monkeypatch):
    # In deterministic batches CP-SAT can end well before its limit with nothing (national-2: at
    # 18-24 s of 29); HiGHS, still searching, then has the stage to itself until its own limit.
    def ends_at_once(pm, seconds, options, reporter, highs, budget, held=False):
        return portfolio._Run(cp_model.CpSolver(), {}, cp_model.UNKNOWN)

    monkeypatch.setattr(portfolio, "_cp_sat", ends_at_once)
    monkeypatch.setattr(mip.Search, "_run", late(mip.Search._run, 0.2))  # still searching then
    result = solve(load_problem(TINY_SCENARIO), SolveOptions(20))
    assert result.status is Status.OPTIMAL
    assert result.violations() == []
    assert {s.engine for s in result.stages} == {Engine.HIGHS}


PLAN = [1, 0, 1]
OTHER = [0, 1, 1]


@pytest.mark.parametrize(
    ("cp", "highs", "expected"),
    [
        # (CP-SAT's outcome, HiGHS's outcome (None: not run), (plan, value, bound, proven, infeasible, engine))
        (Outcome(PLAN, 5, 5, True), None, (PLAN, 5, 5, True, False, Engine.CP_SAT)),
        (Outcome(PLAN, 5, 5, True), Outcome(OTHER, 5, 5, True), (PLAN, 5, 5, True, False, Engine.CP_SAT)),
        (Outcome(PLAN, 4, 6), Outcome(OTHER, 5, 5, True), (OTHER, 5, 5, True, False, Engine.HIGHS)),
        (Outcome(PLAN, 4, 6), Outcome(OTHER, 3, 5), (PLAN, 4, 5, False, False, Engine.CP_SAT)),
        (Outcome(PLAN, 4, 6), Outcome(OTHER, 4, 5), (PLAN, 4, 5, False, False, Engine.CP_SAT)),
        (Outcome(PLAN, 3, 6), Outcome(OTHER, 4, 7), (OTHER, 4, 6, False, False, Engine.HIGHS)),
        (Outcome(), Outcome(OTHER, 4, 7), (OTHER, 4, 7, False, False, Engine.HIGHS)),
        (Outcome(PLAN, 4, None), Outcome(), (PLAN, 4, 4, False, False, Engine.CP_SAT)),
        (Outcome(infeasible=True), Outcome(OTHER, 4, 7), (None, None, None, False, True, None)),
        (Outcome(), Outcome(infeasible=True), (None, None, None, False, True, None)),
        # HiGHS's "infeasible" against a plan CP-SAT holds is wrong: the plan stands, unproven
        (Outcome(PLAN, 4, 6), Outcome(infeasible=True), (PLAN, 4, 6, False, False, Engine.CP_SAT)),
        (Outcome(), Outcome(), (None, None, None, False, False, None)),
    ],
)
def test_the_stage_outcome_read_from_the_two_engines(cp, highs, expected):
    # A maximised stage: higher is better, and the tighter bound is the lower one.
    found = choose(cp, highs, maximising=True, parameters={})
    assert (found.values, found.value, found.bound, found.proven, found.infeasible, found.engine) == expected


def test_a_minimised_stage_keeps_the_lower_plan_and_the_higher_bound():
    found = choose(Outcome(PLAN, 7, 2), Outcome(OTHER, 6, 3), maximising=False, parameters={})
    assert (found.values, found.value, found.bound, found.engine) == (OTHER, 6, 3, Engine.HIGHS)


def test_a_stage_the_time_limit_ends_unproven_ends_the_run_feasible(seed_problem, monkeypatch):
    # The time limit ending the second stage unproven: its plan is kept, no later stage runs, and
    # the run is FEASIBLE with every rule kept.
    original = portfolio.race
    calls: list[int] = []

    def second_unproven(*args, **kwargs):
        found = original(*args, **kwargs)
        calls.append(1)
        return replace(found, proven=False) if len(calls) == 2 else found

    monkeypatch.setattr(solve_module, "race", second_unproven)
    result = solve(seed_problem, SolveOptions(60))

    assert result.status is Status.FEASIBLE
    assert [s.proven for s in result.stages] == [True, False]
    assert result.violations() == []


def test_a_stage_that_finds_nothing_keeps_the_previous_stage_plan(seed_problem, monkeypatch):
    original = portfolio.race
    calls: list[list[int]] = []

    def second_finds_nothing(*args, **kwargs):
        found = original(*args, **kwargs)
        calls.append(found.values)
        if len(calls) == 2:
            return replace(found, values=None, value=None, bound=None, proven=False)
        return found

    monkeypatch.setattr(solve_module, "race", second_finds_nothing)
    result = solve(seed_problem, SolveOptions(60))

    assert result.status is Status.FEASIBLE
    assert [s.objective for s in result.stages] == [seed_problem.scenario.objective[0]]
    assert result.objectives[result.stages[0].objective] == result.stages[0].value
    assert result.violations() == []


def test_a_canonical_search_the_time_limit_cuts_leaves_the_run_feasible(seed_problem, monkeypatch):
    # Every objective proven by the race (no claim), but no time left to search the canonical plan
    # from the previous one: the plan is optimal yet not the one every run would give, so it is not
    # called OPTIMAL.
    monkeypatch.setattr(portfolio, "_budget", lambda pm: 0.0)
    monkeypatch.setattr(canonical, "follow", lambda *args: None)
    result = solve(seed_problem, SolveOptions(60))

    assert result.status is Status.FEASIBLE
    assert all(s.proven for s in result.stages)
    assert result.violations() == []


def test_a_chain_broken_once_stays_broken(seed_problem, monkeypatch):
    # The first stage's canonical plan is not reached in time; the next stages' claims start from
    # the race's plan, so their proofs name no canonical plan either: the run is not OPTIMAL.
    budgets = iter([0.0])
    monkeypatch.setattr(portfolio, "_budget", lambda pm: next(budgets, portfolio.CLAIM))
    monkeypatch.setattr(canonical, "follow", lambda *args: None)
    result = solve(seed_problem, SolveOptions(60))

    assert len(result.stages) == 3 and all(s.proven for s in result.stages)
    assert result.status is Status.FEASIBLE
    assert result.violations() == []


def test_with_floors_a_claim_that_proves_the_stage_holds_its_canonical_plan(seed_problem, monkeypatch):
    # The seed's claims prove every stage: their plans are the canonical ones, no search follows,
    # and HiGHS never starts.
    events = []
    monkeypatch.setattr(canonical, "follow", recorded(canonical.follow, events, "follow"))
    monkeypatch.setattr(mip.Search, "begin", recorded(mip.Search.begin, events, "HiGHS"))

    result = solve(seed_problem, SolveOptions(60))

    assert result.status is Status.OPTIMAL
    assert events == []


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
