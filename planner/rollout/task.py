"""What a Dask worker runs for one campus: it plans the campus and returns the files' bytes and a
small summary; the client writes them (planner/export/national.py) as each arrives."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from typing import Any

from planner.errors import PlannerError
from planner.i18n import _
from planner.options import SolveOptions
from planner.rollout.file import CampusJob


@dataclass(frozen=True)
class CampusOutcome:
    """What a worker sends back: the files' bytes and summary when planned, else the reason."""

    key: str
    planned: bool
    summary: dict[str, Any] = field(default_factory=dict, hash=False)
    workbook: bytes = b""
    plan_file: bytes = b""
    reason: str = ""


def plan_campus(job: CampusJob, record: dict[str, Any], language: str, workers: int) -> CampusOutcome:
    """Plan one campus on a worker: never raises for the campus's own problems, says why instead."""
    from planner import i18n

    i18n.use(language)
    started = time.monotonic()
    options = SolveOptions(
        record["options"]["time_limit_seconds"],
        workers=workers,
        seed=record["options"]["seed"],
        started=started,
        highs=workers >= 2,  # one core per task: CP-SAT alone, as the two engines would share it
    )
    try:
        from planner.planning import solve_checked

        result = solve_checked(_problem(job), options)
        from planner.export.national import campus_files, campus_summary

        summary = campus_summary(result)
        workbook, plan_file = campus_files(result, {**record, "rollout_summary": summary})
        return CampusOutcome(job.key, True, summary, workbook, plan_file)
    except PlannerError as error:
        from planner.words.batch import failure

        return CampusOutcome(job.key, False, reason=failure(error))
    except Exception as error:  # noqa: BLE001 - one campus's bug must not stop the others
        return CampusOutcome(job.key, False, reason=_("unexpected error: {error}", error=error))


def _problem(job: CampusJob) -> Any:
    from planner.planning import load_problem

    if not job.overrides:
        return load_problem(job.scenario_path)
    return load_problem(job.scenario_path, overrides=job.overrides, source=f"{job.scenario_path.name} [{job.key}]")


def solver_workers(cores: int, tasks: int) -> int:
    """CP-SAT workers per task so that tasks running at once x workers fit the cores (at most 8)."""
    return max(1, min(8, cores // max(1, tasks)))


def machine_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1
