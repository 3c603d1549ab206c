"""The independent HiGHS model against the published optima.

Matching a published optimum with the MILP checks the converter (the instance means what the
literature says) and the MILP (it models the planning rules) at once.
"""

from __future__ import annotations

import pytest

pytest.importorskip("highspy", reason="the side-by-side model needs the bench extra (highspy)")

from benchmarks import milp, published  # noqa: E402
from planner.model import Problem  # noqa: E402
from planner.result import Status  # noqa: E402

pytestmark = pytest.mark.benchmark


@pytest.mark.parametrize("name", published.NAMES)
def test_milp_reaches_the_published_optimum(name: str) -> None:
    instance = published.instance(name)
    run = milp.solve(Problem.build(instance.catalog, instance.scenario), time_limit=120)
    assert run.result is not None
    assert run.result.status is Status.OPTIMAL
    assert run.result.objectives[instance.objective] == instance.optimum
    assert run.result.violations() == []
