"""Published optima, solved through the designer's path: CSV catalog + TOML scenario on disk,
the real loaders, Problem.build and the optimizer (run with `pytest -m benchmark`)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from benchmarks import published
from benchmarks.files import Instance, write_instance
from planner.catalog import load_catalog
from planner.model import OBJECTIVES, Problem
from planner.optimize import solve
from planner.options import SolveOptions
from planner.result import Status
from planner.scenario import load_scenario

pytestmark = pytest.mark.benchmark

TIME_LIMIT = 120.0


def load(instance: Instance, folder: Path) -> Problem:
    scenario = write_instance(instance, folder)
    return Problem.build(load_catalog(scenario.parent / "catalog"), load_scenario(scenario))


@pytest.mark.parametrize("name", published.NAMES)
def test_planner_reaches_the_published_optimum(name: str, tmp_path: Path) -> None:
    instance = published.instance(name)
    result = solve(load(instance, tmp_path), SolveOptions(time_limit=TIME_LIMIT))
    assert result.status is Status.OPTIMAL
    assert result.objectives[instance.objective] == instance.optimum
    assert result.violations() == []


@pytest.mark.parametrize("name", list(published.BACP))
def test_bacp_default_objective_order_still_balances(name: str, tmp_path: Path) -> None:
    # BACP has no demands (coverage is 0 whatever the plan) and every module is required (hours
    # are the sum of all credits), so the first two stages change nothing and balance decides.
    instance = published.instance(name)
    instance = replace(instance, scenario=replace(instance.scenario, objective=OBJECTIVES))
    result = solve(load(instance, tmp_path), SolveOptions(time_limit=TIME_LIMIT))
    assert result.status is Status.OPTIMAL
    assert result.objectives == {
        "coverage": 0,
        "hours": sum(m.hours for m in instance.catalog.modules),
        "balance": instance.optimum,
    }
