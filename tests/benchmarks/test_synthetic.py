"""At campus scale, the planner and the independent HiGHS model must agree on the optimum."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("highspy", reason="the side-by-side model needs the bench extra (highspy)")

from benchmarks import generate, milp  # noqa: E402
from benchmarks.files import write_instance  # noqa: E402
from planner.catalog import load_catalog  # noqa: E402
from planner.model import Problem  # noqa: E402
from planner.optimize import solve
from planner.options import SolveOptions  # noqa: E402
from planner.result import Status  # noqa: E402
from planner.scenario import load_scenario  # noqa: E402

pytestmark = pytest.mark.benchmark


def test_planner_and_highs_agree_at_campus_scale(tmp_path: Path) -> None:
    scenario = write_instance(generate.instance(generate.CAMPUS), tmp_path)
    problem = Problem.build(load_catalog(scenario.parent / "catalog"), load_scenario(scenario))
    planner = solve(problem, SolveOptions(time_limit=120))
    highs = milp.solve(problem, time_limit=300)
    assert planner.violations() == []
    assert highs.result is not None and highs.result.violations() == []
    assert planner.status is Status.OPTIMAL and highs.result.status is Status.OPTIMAL
    assert planner.objectives == highs.result.objectives
